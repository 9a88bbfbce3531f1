//! The official forms as an XLSX workbook, out and in.
//!
//! Four sheets (domain.md e.1, e.3, e.5 and 附件2 of the report):
//!
//! | sheet | holds | read back |
//! |---|---|---|
//! | 绩效目标申报表 | project header, goals, the target sheet, 立项依据 | everything |
//! | 项目支出绩效自评表 | funds, actual values, 分值/得分 (computed) | funds, actuals, reasons, evidence |
//! | 指标体系评分表 | the whole scored tree | judged scores, deductions, reasons, evidence |
//! | 支出明细 | the spending lines | everything |
//!
//! The layout is defined once here and used by the writer ([`write`]) and the reader
//! ([`read`]). The reader finds blocks by their labels and columns by their header text, so
//! a form filled in by another program, with rows added, still reads; computed cells (分值,
//! 得分 of measured and computed indicators, 执行率, totals) are never read as data.

mod book;
pub mod read;
pub mod write;

pub use read::{FormError, Imported, read};
pub use write::{MonitoringForm, ledger_xlsx, monitoring_xlsx, xlsx};

/// Sheet names, in workbook order.
pub const DECLARATION: &str = "绩效目标申报表";
/// The self-evaluation form.
pub const SELF_EVALUATION: &str = "项目支出绩效自评表";
/// The full score sheet.
pub const SCORE_SHEET: &str = "指标体系评分表";
/// The spending lines.
pub const LEDGER: &str = "支出明细";

/// Header labels of the declaration form, as (left label, right label) per row; the value
/// of a label is the cell right of it.
pub const DECLARATION_HEADER: [(&str, &str); 7] = [
    ("项目名称", "项目编码"),
    ("年度", "项目属性"),
    ("主管部门", "实施单位"),
    ("项目类别", "主管处室"),
    ("项目负责人", "资金拨付流程"),
    ("计划开始日期", "计划完成日期"),
    ("年初预算数（万元）", "预算批复文号"),
];
/// Long text rows of the declaration form.
pub const OVERALL_GOAL: &str = "总体目标";
/// Long text rows of the declaration form.
pub const ANNUAL_GOAL: &str = "年度目标";
/// Block title of the indicator table.
pub const INDICATORS: &str = "绩效指标";
/// Block title of the policy documents.
pub const POLICY: &str = "立项依据";

/// Columns of the declaration form's indicator table.
pub const DECLARATION_COLS: [&str; 11] = [
    "编号",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "度量单位",
    "指标方向",
    "权重",
    "指标解释",
    "设定依据",
];
/// Columns of the policy block.
pub const POLICY_COLS: [&str; 4] = ["序号", "文件名称", "文号", "发文单位"];

/// Header row of the funds block of the self-evaluation form.
pub const FUND_COLS: [&str; 8] = [
    "项目资金（万元）",
    "年初预算数",
    "全年预算数",
    "到位数",
    "全年执行数",
    "分值",
    "执行率",
    "得分",
];
/// Row labels of the funds block: the total, then 其中 by source.
pub const FUND_ROWS: [&str; 4] = [
    "年度资金总额",
    "其中：当年财政拨款",
    "上年结转资金",
    "其他资金",
];
/// The goal block of the self-evaluation form.
pub const GOAL_COLS: [&str; 3] = ["年度总体目标", "预期目标", "实际完成情况"];
/// Columns of the self-evaluation form's indicator table.
pub const SELF_COLS: [&str; 13] = [
    "编号",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "度量单位",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因",
    "改进措施",
    "佐证材料",
];
/// The total row label.
pub const TOTAL: &str = "总分";

/// Header labels above the score sheet's table.
pub const SCORE_HEADER: [(&str, &str); 2] = [("评价框架", "评价类型"), ("总分", "评价等级")];
/// Columns of the score sheet after the level columns.
pub const SCORE_COLS: [&str; 8] = [
    "权重",
    "得分",
    "扣分",
    "指标解释及评分标准",
    "评分说明",
    "评价档次",
    "评分理由",
    "佐证材料",
];

/// Columns of the spending sheet.
pub const LEDGER_COLS: [&str; 9] = [
    "序号",
    "日期",
    "用途",
    "金额（元）",
    "收款单位",
    "功能分类科目",
    "经济分类科目",
    "对应指标",
    "备注",
];
/// The spending sheet's total row.
pub const LEDGER_TOTAL: &str = "合计";

/// Sheet name of the monitoring form (domain.md e.2).
pub const MONITORING: &str = "项目支出绩效目标执行监控表";

/// Columns of the monitoring form's indicator rows (domain.md e.2).
pub const MONITORING_COLS: [&str; 11] = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "截至当期实际完成值",
    "全年预计完成值",
    "偏差原因（经费保障/制度保障/人员保障/硬件条件保障/其他）",
    "偏差原因说明",
    "完成目标可能性",
    "纠偏措施",
    "备注",
];

/// The 得分 text of a node that does not apply.
pub const NOT_APPLICABLE: &str = "不适用";
/// Separator of list cells (evidence, target ids, members).
pub const LIST_SEP: &str = "；";

/// Column letters for cell names in messages: 0 → A, 27 → AB.
#[must_use]
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

#[cfg(test)]
mod tests {
    use super::cell_name;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(99, 26), "AA100");
        assert_eq!(cell_name(0, 27), "AB1");
    }
}
