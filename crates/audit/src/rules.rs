//! The rules the auditor applies, with their stable ids (documented in docs/audit-rules.md).

/// (id, default severity, Chinese description).
pub const RULES: &[(&str, &str, &str)] = &[
    (
        "percent-of-parts",
        "error",
        "百分比与其组成数字不符（执行率、到位率、完成率等）",
    ),
    (
        "sum-mismatch",
        "error",
        "合计、其中各项之和或差额与所列数字不符",
    ),
    ("score-rate", "error", "得分率不等于得分除以权重"),
    ("score-deduction", "error", "扣分不等于权重减得分"),
    (
        "score-total",
        "error",
        "得分表或正文中的各项得分相加不等于总分",
    ),
    (
        "score-text-vs-table",
        "error",
        "正文中某级指标的得分与得分表不一致",
    ),
    ("grade-band", "error", "评价等级与得分所在的分数段不符"),
    ("quantity-conflict", "error", "同一数量在两处写成不同的数值"),
    (
        "part-exceeds-whole",
        "error",
        "部分大于整体（单项支出超过总支出、其中数大于总数、支出或到位资金超过预算）",
    ),
    (
        "date-conflict",
        "error",
        "日期或年份相互矛盾，或与预算年度矛盾",
    ),
    (
        "target-claim",
        "error",
        "声称全面完成目标，但有指标的实际值未达到目标值",
    ),
    (
        "target-shortfall",
        "warning",
        "指标实际值未达到目标值，且未说明原因",
    ),
    (
        "target-no-actual",
        "warning",
        "定量目标在报告中没有任何实际完成值",
    ),
    ("count-mismatch", "error", "所述数量与后面列出的条目数不符"),
    (
        "name-inconsistent",
        "warning",
        "项目、单位或处室的名称前后不一致",
    ),
];

/// Whether `id` names a rule.
#[must_use]
pub fn is_rule(id: &str) -> bool {
    RULES.iter().any(|(r, _, _)| *r == id)
}
