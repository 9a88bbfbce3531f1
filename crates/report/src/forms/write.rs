//! Writes the four official forms of a scored project as one XLSX workbook.
//!
//! Numbers are numbers (money in 万元 or 元 with number formats, weights and scores with two
//! decimals, rates as percentages), so the forms can be summed and checked in a spreadsheet.
//! Every sheet is set up for A4 printing with its header rows repeated on each page.

use std::fmt::Display;

use jixiao_core::date::Date;
use jixiao_core::framework::NodeKind;
use jixiao_core::monitor::RoundValue;
use jixiao_core::num::{Dec, Money, Points, Ratio};
use jixiao_core::project::{ActualValue, EvaluationKind, FundSource, Project, TargetValue};
use jixiao_core::scoring::{NodeOrigin, Scored, Status};
use jixiao_core::sheet;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{
    ANNUAL_GOAL, DECLARATION, DECLARATION_COLS, DECLARATION_HEADER, FUND_COLS, FUND_ROWS,
    GOAL_COLS, INDICATORS, LEDGER, LEDGER_COLS, LEDGER_TOTAL, LIST_SEP, MONITORING,
    MONITORING_COLS, NOT_APPLICABLE, OVERALL_GOAL, POLICY, POLICY_COLS, SCORE_COLS, SCORE_HEADER,
    SCORE_SHEET, SELF_COLS, SELF_EVALUATION, TOTAL,
};
use crate::Error;
use crate::figures::actual_value;

const PAPER_A4: u8 = 9;
const BODY_FONT: &str = "宋体";
const TITLE_FONT: &str = "黑体";

/// The workbook of the four forms.
///
/// # Errors
/// [`Error::Io`] when the workbook cannot be assembled (a sheet beyond the format's limits).
pub fn xlsx(s: &Scored<'_>) -> Result<Vec<u8>, Error> {
    build(s).map_err(|e| Error::Io(format!("XLSX：{e}")))
}

fn build(s: &Scored<'_>) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let p = s.project;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}年{}绩效表", p.year, p.name))
            .set_author(p.department.as_str()),
    );
    declaration(wb.add_worksheet(), s, &f)?;
    self_evaluation(wb.add_worksheet(), s, &f)?;
    score_sheet(wb.add_worksheet(), s, &f)?;
    ledger(wb.add_worksheet(), s.project, &f)?;
    wb.save_to_buffer()
}

/// 附件2 支出明细 alone, from the spending lines of `p` (the pages export the ledger with it).
///
/// # Errors
/// [`Error::Io`] when the workbook cannot be written.
pub fn ledger_xlsx(p: &Project) -> Result<Vec<u8>, Error> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let f = Formats::new();
        let mut wb = Workbook::new();
        wb.set_properties(
            &DocProperties::new()
                .set_title(format!("{}年{}支出明细", p.year, p.name))
                .set_author(p.department.as_str()),
        );
        ledger(wb.add_worksheet(), p, &f)?;
        wb.save_to_buffer()
    };
    build().map_err(|e| Error::Io(format!("XLSX：{e}")))
}

/// A monitoring round as the form (项目支出绩效目标执行监控表, domain.md e.2) shows it.
#[derive(Clone, Debug)]
pub struct MonitoringForm<'a> {
    /// The project (header, budget, targets).
    pub project: &'a Project,
    /// The end of the period covered.
    pub period_end: Date,
    /// Spent to `period_end`.
    pub executed: Money,
    /// The adjusted budget the round was assessed against (frozen at submission).
    pub budget: Money,
    /// 全年预计执行数.
    pub expected: Option<Money>,
    /// 项目绩效目标执行总体情况.
    pub summary: Option<&'a str>,
    /// The values reported, by indicator.
    pub values: &'a [RoundValue],
    /// The warnings: level name and message.
    pub warnings: &'a [(String, String)],
}

/// The monitoring form of one round as an XLSX workbook (one sheet, A4 landscape).
///
/// # Errors
/// [`Error::Io`] when the workbook cannot be written.
pub fn monitoring_xlsx(m: &MonitoringForm<'_>) -> Result<Vec<u8>, Error> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let f = Formats::new();
        let mut wb = Workbook::new();
        let p = m.project;
        wb.set_properties(
            &DocProperties::new()
                .set_title(format!("{}年{}绩效目标执行监控表", p.year, p.name))
                .set_author(p.department.as_str()),
        );
        monitoring(wb.add_worksheet(), m, &f)?;
        wb.save_to_buffer()
    };
    build().map_err(|e| Error::Io(format!("XLSX：{e}")))
}

fn monitoring(ws: &mut Worksheet, m: &MonitoringForm<'_>, f: &Formats) -> Result<(), XlsxError> {
    let p = m.project;
    let last = MONITORING_COLS.len() - 1;
    widths(
        ws,
        &[
            8.0, 10.0, 22.0, 12.0, 12.0, 12.0, 16.0, 18.0, 10.0, 18.0, 12.0,
        ],
    )?;
    title(
        ws,
        f,
        last,
        MONITORING,
        &format!("（{}年度，截至{}）", p.year, m.period_end.zh()),
    )?;
    // Header: 项目名称; 主管部门及代码; 实施单位.
    let mut at = 2;
    span(ws, at, 0, 1, "项目名称", &f.label)?;
    span(ws, at, 2, 4, &p.name, &f.text)?;
    span(ws, at, 5, 6, "主管部门及代码", &f.label)?;
    span(
        ws,
        at,
        7,
        8,
        p.supervisor.as_deref().unwrap_or(&p.department),
        &f.text,
    )?;
    ws.write_string_with_format(row(at), 9, "实施单位", &f.label)?;
    ws.write_string_with_format(
        row(at),
        10,
        p.office.as_deref().unwrap_or(&p.department),
        &f.text,
    )?;
    fit_row(ws, at, &[(30.0, &p.name)])?;
    // Funds (万元).
    at += 1;
    span(ws, at, 0, 1, "项目资金（万元）", &f.label)?;
    for (c, h) in [
        "年初预算数",
        "调整后预算数",
        "预算执行数",
        "预算执行率",
        "全年预计执行数",
    ]
    .iter()
    .enumerate()
    {
        let c0 = 2 + 2 * c;
        span(ws, at, c0, (c0 + 1).min(last), h, &f.head)?;
    }
    at += 1;
    span(ws, at, 0, 1, "", &f.text)?;
    let budget = m.budget;
    let cells: [(Option<f64>, &Format); 5] = [
        (Some(wan(p.budget.appropriation)), &f.wan),
        (Some(wan(budget)), &f.wan),
        (Some(wan(m.executed)), &f.wan),
        (percent(m.executed.ratio_to(budget)), &f.percent),
        (m.expected.map(wan), &f.wan),
    ];
    for (c, (v, fmt)) in cells.iter().enumerate() {
        let c0 = 2 + 2 * c;
        let c1 = (c0 + 1).min(last);
        if c1 > c0 {
            ws.merge_range(row(at), col(c0), row(at), col(c1), "", fmt)?;
        }
        match v {
            Some(v) => ws.write_number_with_format(row(at), col(c0), *v, fmt)?,
            None => ws.write_blank(row(at), col(c0), fmt)?,
        };
    }
    // Goals.
    for (label, text) in [
        ("年度总体目标", p.annual_goal.as_deref().unwrap_or_default()),
        ("执行情况", m.summary.unwrap_or_default()),
    ] {
        at += 1;
        span(ws, at, 0, 1, label, &f.label)?;
        span(ws, at, 2, last, text, &f.text)?;
        fit_row(ws, at, &[(130.0, text)])?;
    }
    // Indicator rows.
    at += 1;
    let head = at;
    header_row(ws, head, &MONITORING_COLS, f)?;
    ws.set_row_height(row(head), 45)?;
    for t in &p.targets {
        at += 1;
        let r = row(at);
        let v = m.values.iter().find(|v| v.target == t.id);
        ws.write_string_with_format(r, 0, t.category.zh(), &f.center)?;
        ws.write_string_with_format(r, 1, t.subcategory.zh(), &f.center)?;
        ws.write_string_with_format(r, 2, &t.name, &f.text)?;
        ws.write_string_with_format(r, 3, t.display_value(), &f.center)?;
        for (c, d) in [
            (4, v.and_then(|v| v.achieved)),
            (5, v.and_then(|v| v.expected)),
        ] {
            match d {
                Some(d) => ws.write_number_with_format(r, c, num(d), &f.number)?,
                None => ws.write_blank(r, c, &f.number)?,
            };
        }
        let causes = v
            .map(|v| {
                v.causes
                    .iter()
                    .map(|c| c.zh())
                    .collect::<Vec<_>>()
                    .join(LIST_SEP)
            })
            .unwrap_or_default();
        let texts = [
            causes.as_str(),
            v.and_then(|v| v.cause_text.as_deref()).unwrap_or_default(),
            v.and_then(|v| v.likelihood).map_or("", |l| l.zh()),
            v.and_then(|v| v.measures.as_deref()).unwrap_or_default(),
            v.and_then(|v| v.note.as_deref()).unwrap_or_default(),
        ];
        for (c, text) in texts.iter().enumerate() {
            ws.write_string_with_format(r, col(6 + c), *text, &f.text)?;
        }
        fit_row(
            ws,
            at,
            &[
                (22.0, &t.name),
                (18.0, texts[1]),
                (18.0, texts[3]),
                (16.0, texts[0]),
            ],
        )?;
    }
    // Warnings.
    if !m.warnings.is_empty() {
        at += 2;
        span(ws, at, 0, last, "预警", &f.head)?;
        for (level, message) in m.warnings {
            at += 1;
            span(ws, at, 0, 1, level, &f.center)?;
            span(ws, at, 2, last, message, &f.text)?;
            fit_row(ws, at, &[(130.0, message)])?;
        }
    }
    ws.set_freeze_panes(row(head + 1), 0)?;
    page_setup(ws, MONITORING, true, (head, head))
}

/// Cell formats shared by the sheets.
struct Formats {
    title: Format,
    subtitle: Format,
    head: Format,
    label: Format,
    text: Format,
    center: Format,
    wan: Format,
    yuan: Format,
    points: Format,
    number: Format,
    percent: Format,
    date: Format,
    plain: Format,
}

impl Formats {
    fn new() -> Formats {
        let body = Format::new()
            .set_font_name(BODY_FONT)
            .set_font_size(10.5)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let right = body.clone().set_align(FormatAlign::Right);
        Formats {
            title: Format::new()
                .set_font_name(TITLE_FONT)
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: Format::new()
                .set_font_name(BODY_FONT)
                .set_font_size(10.5)
                .set_align(FormatAlign::Center),
            head: body
                .clone()
                .set_font_name(TITLE_FONT)
                .set_align(FormatAlign::Center)
                .set_background_color("D9D9D9"),
            label: body.clone().set_bold().set_align(FormatAlign::Center),
            center: body.clone().set_align(FormatAlign::Center),
            text: body,
            wan: right.clone().set_num_format("#,##0.00"),
            yuan: right.clone().set_num_format("#,##0.00"),
            points: right.clone().set_num_format("0.00"),
            number: right.clone().set_num_format("General"),
            percent: right.set_num_format("0.00%"),
            date: Format::new()
                .set_font_name(BODY_FONT)
                .set_font_size(10.5)
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_num_format("yyyy-mm-dd"),
            plain: Format::new().set_font_name(BODY_FONT).set_font_size(10.5),
        }
    }
}

/// A number cell from an exact value: the value's shortest decimal text read as a double,
/// which the reader turns back into the same decimal (at most 15 significant digits).
fn num(v: impl Display) -> f64 {
    v.to_string().parse().unwrap_or(0.0)
}

/// Money in 万元, exact to the fen: 443900.10元 → 44.39001.
fn wan(m: Money) -> f64 {
    Dec::new(m.fen(), 6).map_or(0.0, num)
}

fn yuan(m: Money) -> f64 {
    Dec::new(m.fen(), 2).map_or(0.0, num)
}

fn percent(r: Option<Ratio>) -> Option<f64> {
    r.map(|r| num(r.round(6)))
}

fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

fn row(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

/// Common page set-up: A4, margins of about 2 cm, one page wide, page numbers.
fn page_setup(
    ws: &mut Worksheet,
    name: &str,
    landscape: bool,
    repeat: (usize, usize),
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    ws.set_paper_size(PAPER_A4);
    if landscape {
        ws.set_landscape();
    }
    ws.set_margins(0.7, 0.7, 0.8, 0.8, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_repeat_rows(row(repeat.0), row(repeat.1))?;
    Ok(())
}

fn widths(ws: &mut Worksheet, w: &[f64]) -> Result<(), XlsxError> {
    for (c, width) in w.iter().enumerate() {
        ws.set_column_width(col(c), *width)?;
    }
    Ok(())
}

/// A merged text cell over columns `c0..=c1` of row `r` (a plain cell when one column).
fn span(
    ws: &mut Worksheet,
    r: usize,
    c0: usize,
    c1: usize,
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    if c1 > c0 {
        ws.merge_range(row(r), col(c0), row(r), col(c1), text, f)?;
    } else {
        ws.write_string_with_format(row(r), col(c0), text, f)?;
    }
    Ok(())
}

/// A text row tall enough for `text` in a cell about `chars_per_line` characters wide.
fn fit_height(
    ws: &mut Worksheet,
    r: usize,
    text: &str,
    chars_per_line: usize,
) -> Result<(), XlsxError> {
    let lines = text
        .chars()
        .count()
        .div_ceil(chars_per_line.max(1))
        .clamp(1, 12)
        + text.matches('\n').count();
    let lines = u32::try_from(lines).unwrap_or(12);
    ws.set_row_height(row(r), 15.0 * f64::from(lines) + 3.0)?;
    Ok(())
}

/// Sets row `r` tall enough for the wrapped texts written in it, given the width of the
/// column (or merged columns) each is in. Spreadsheet programs do not grow rows on opening.
fn fit_row(ws: &mut Worksheet, r: usize, cells: &[(f64, &str)]) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .map(|(width, text)| {
            let per_line = (width - 1.0).max(1.0);
            text.split('\n')
                .map(|part| {
                    let w: f64 = part
                        .chars()
                        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                        .sum();
                    (w / per_line).ceil().max(1.0)
                })
                .sum::<f64>()
        })
        .fold(1.0_f64, f64::max)
        .min(20.0);
    if lines > 1.0 {
        ws.set_row_height(row(r), 14.0 * lines + 2.0)?;
    }
    Ok(())
}

fn title(
    ws: &mut Worksheet,
    f: &Formats,
    last_col: usize,
    title: &str,
    sub: &str,
) -> Result<(), XlsxError> {
    span(ws, 0, 0, last_col, title, &f.title)?;
    ws.set_row_height(0, 30)?;
    span(ws, 1, 0, last_col, sub, &f.subtitle)?;
    Ok(())
}

fn header_row(ws: &mut Worksheet, r: usize, cols: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(row(r), col(c), *h, &f.head)?;
    }
    // Two lines: narrow columns wrap their headers (指标性质, 年初预算数).
    ws.set_row_height(row(r), 30)?;
    Ok(())
}

fn opt_num(
    ws: &mut Worksheet,
    r: usize,
    c: usize,
    v: Option<f64>,
    fmt: &Format,
) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number_with_format(row(r), col(c), v, fmt)?,
        None => ws.write_blank(row(r), col(c), fmt)?,
    };
    Ok(())
}

fn declaration(ws: &mut Worksheet, s: &Scored<'_>, f: &Formats) -> Result<(), XlsxError> {
    let p = s.project;
    let last = DECLARATION_COLS.len() - 1;
    widths(
        ws,
        &[10.0, 10.0, 10.0, 24.0, 8.0, 12.0, 9.0, 8.0, 7.0, 26.0, 16.0],
    )?;
    title(
        ws,
        f,
        last,
        "项目支出绩效目标申报表",
        &format!("（{}年度）", p.year),
    )?;
    let chain = p
        .approval_chain
        .iter()
        .map(|r| r.zh())
        .collect::<Vec<_>>()
        .join("→");
    let values: [(String, String); 7] = [
        (p.name.clone(), p.code.clone()),
        (String::new(), p.nature.clone().unwrap_or_default()),
        (
            p.supervisor.clone().unwrap_or_default(),
            p.department.clone(),
        ),
        (
            p.category.clone().unwrap_or_default(),
            p.office.clone().unwrap_or_default(),
        ),
        (p.contact.clone().unwrap_or_default(), chain),
        (date_text(p.start), date_text(p.end)),
        (
            String::new(),
            p.budget.approval_document.clone().unwrap_or_default(),
        ),
    ];
    for (k, ((l, r), (lv, rv))) in DECLARATION_HEADER.iter().zip(&values).enumerate() {
        let at = 2 + k;
        ws.write_string_with_format(row(at), 0, *l, &f.label)?;
        match k {
            1 => {
                ws.merge_range(row(at), 1, row(at), 4, "", &f.center)?;
                ws.write_number_with_format(row(at), 1, f64::from(p.year), &f.center)?;
            }
            6 => {
                ws.merge_range(row(at), 1, row(at), 4, "", &f.wan)?;
                ws.write_number_with_format(row(at), 1, wan(p.budget.appropriation), &f.wan)?;
            }
            _ => span(ws, at, 1, 4, lv, &f.text)?,
        }
        ws.write_string_with_format(row(at), 5, *r, &f.label)?;
        span(ws, at, 6, last, rv, &f.text)?;
        fit_row(ws, at, &[(10.0, l), (52.0, lv), (12.0, r), (66.0, rv)])?;
    }
    let mut at = 2 + DECLARATION_HEADER.len();
    for (label, text) in [
        (OVERALL_GOAL, p.overall_goal.as_deref().unwrap_or_default()),
        (ANNUAL_GOAL, p.annual_goal.as_deref().unwrap_or_default()),
    ] {
        ws.write_string_with_format(row(at), 0, label, &f.label)?;
        span(ws, at, 1, last, text, &f.text)?;
        fit_height(ws, at, text, 70)?;
        at += 1;
    }
    at += 1;
    span(ws, at, 0, last, INDICATORS, &f.head)?;
    at += 1;
    let head = at;
    header_row(ws, at, &DECLARATION_COLS, f)?;
    for t in &p.targets {
        at += 1;
        let r = row(at);
        ws.write_string_with_format(r, 0, t.id.as_str(), &f.center)?;
        ws.write_string_with_format(r, 1, t.category.zh(), &f.center)?;
        ws.write_string_with_format(r, 2, t.subcategory.zh(), &f.center)?;
        ws.write_string_with_format(r, 3, &t.name, &f.text)?;
        ws.write_string_with_format(r, 4, t.comparator.symbol(), &f.center)?;
        match &t.value {
            TargetValue::Number(d) => ws.write_number_with_format(r, 5, num(d), &f.number)?,
            TargetValue::Text(x) => ws.write_string_with_format(r, 5, x, &f.text)?,
        };
        ws.write_string_with_format(r, 6, t.unit.as_str(), &f.center)?;
        ws.write_string_with_format(r, 7, t.direction.zh(), &f.center)?;
        opt_num(ws, at, 8, t.weight.map(num), &f.points)?;
        ws.write_string_with_format(r, 9, t.explanation.as_deref().unwrap_or_default(), &f.text)?;
        ws.write_string_with_format(r, 10, t.basis.as_deref().unwrap_or_default(), &f.text)?;
        let value = match &t.value {
            TargetValue::Text(x) => x.as_str(),
            TargetValue::Number(_) => "",
        };
        fit_row(
            ws,
            at,
            &[
                (24.0, &t.name),
                (12.0, value),
                (26.0, t.explanation.as_deref().unwrap_or_default()),
                (16.0, t.basis.as_deref().unwrap_or_default()),
            ],
        )?;
    }
    at += 2;
    span(ws, at, 0, last, POLICY, &f.head)?;
    at += 1;
    // 序号 | 文件名称 (B–F) | 文号 (G–H) | 发文单位 (I–K)
    let policy_cols = [(0, 0), (1, 5), (6, 7), (8, last)];
    for ((c0, c1), h) in policy_cols.iter().zip(POLICY_COLS) {
        span(ws, at, *c0, *c1, h, &f.head)?;
    }
    for (k, d) in p.policy_basis.iter().enumerate() {
        at += 1;
        ws.write_number_with_format(row(at), 0, num(k + 1), &f.center)?;
        let cells = [
            d.title.as_str(),
            d.number.as_deref().unwrap_or_default(),
            d.issuer.as_deref().unwrap_or_default(),
        ];
        for ((c0, c1), text) in policy_cols[1..].iter().zip(cells) {
            span(ws, at, *c0, *c1, text, &f.text)?;
        }
        fit_row(
            ws,
            at,
            &[(64.0, cells[0]), (17.0, cells[1]), (49.0, cells[2])],
        )?;
    }
    at += 2;
    ws.write_string_with_format(row(at), 0, "填报人：", &f.plain)?;
    ws.write_string_with_format(row(at), 3, "单位负责人：", &f.plain)?;
    ws.write_string_with_format(row(at), 6, "填报日期：", &f.plain)?;
    page_setup(ws, DECLARATION, false, (head, head))
}

/// Per target index, the node that scores it.
fn target_nodes(s: &Scored<'_>) -> Vec<Option<usize>> {
    let mut out = vec![None; s.project.targets.len()];
    for (i, n) in s.nodes.iter().enumerate() {
        if let NodeOrigin::Target(t) = n.origin
            && let Some(slot) = out.get_mut(t as usize)
        {
            *slot = Some(i);
        }
    }
    out
}

/// The node of the framework's 预算执行率 leaf, if the framework has one.
fn execution_node(s: &Scored<'_>) -> Option<usize> {
    s.nodes.iter().position(|n| match n.origin {
        NodeOrigin::Framework(f) => matches!(
            s.framework.nodes[f as usize].kind,
            NodeKind::Computed {
                measure: jixiao_core::framework::Measure::ExecutionRate,
                ..
            }
        ),
        _ => false,
    })
}

/// The score cell of a node: a number, 不适用, or empty when unscored.
fn score_cell(
    ws: &mut Worksheet,
    r: usize,
    c: usize,
    s: &Scored<'_>,
    i: usize,
    f: &Formats,
) -> Result<(), XlsxError> {
    match s.nodes[i].status {
        Status::NotApplicable => {
            ws.write_string_with_format(row(r), col(c), NOT_APPLICABLE, &f.center)?;
        }
        Status::Unscored(_) => {
            ws.write_blank(row(r), col(c), &f.points)?;
        }
        _ => {
            ws.write_number_with_format(row(r), col(c), num(s.nodes[i].score), &f.points)?;
        }
    }
    Ok(())
}

fn self_evaluation(ws: &mut Worksheet, s: &Scored<'_>, f: &Formats) -> Result<(), XlsxError> {
    let p = s.project;
    let b = &p.budget;
    let last = SELF_COLS.len() - 1;
    widths(
        ws,
        &[
            8.0, 9.0, 9.0, 22.0, 7.0, 10.0, 8.0, 14.0, 7.0, 7.0, 20.0, 18.0, 16.0,
        ],
    )?;
    title(
        ws,
        f,
        last,
        "项目支出绩效自评表",
        &format!("（{}年度）", p.year),
    )?;
    ws.write_string_with_format(2, 0, "项目名称", &f.label)?;
    span(ws, 2, 1, last, &p.name, &f.text)?;
    ws.write_string_with_format(3, 0, "主管部门", &f.label)?;
    span(
        ws,
        3,
        1,
        5,
        p.supervisor.as_deref().unwrap_or_default(),
        &f.text,
    )?;
    span(ws, 3, 6, 7, "实施单位", &f.label)?;
    span(ws, 3, 8, last, &p.department, &f.text)?;
    // Funds: the label spans A–D, the figures follow.
    span(ws, 4, 0, 3, FUND_COLS[0], &f.head)?;
    for (k, h) in FUND_COLS[1..].iter().enumerate() {
        ws.write_string_with_format(4, col(4 + k), *h, &f.head)?;
    }
    ws.set_row_height(4, 30)?;
    let exec = execution_node(s);
    for (k, label) in FUND_ROWS.iter().enumerate() {
        let r = 5 + k;
        span(ws, r, 0, 3, label, if k == 0 { &f.label } else { &f.text })?;
        for c in 4..=10 {
            ws.write_blank(row(r), col(c), &f.wan)?;
        }
        if k == 0 {
            ws.write_number_with_format(row(r), 4, wan(b.appropriation), &f.wan)?;
            ws.write_number_with_format(row(r), 5, wan(b.adjusted()), &f.wan)?;
            ws.write_number_with_format(row(r), 6, wan(b.received()), &f.wan)?;
            ws.write_number_with_format(row(r), 7, wan(b.spent()), &f.wan)?;
            if let Some(i) = exec {
                ws.write_number_with_format(row(r), 8, num(s.nodes[i].weight), &f.points)?;
                opt_num(ws, r, 9, percent(s.rate(i)), &f.percent)?;
                score_cell(ws, r, 10, s, i, f)?;
            }
        } else {
            let source = FundSource::ALL[k - 1];
            let got: Money = b
                .receipts
                .iter()
                .filter(|x| x.source == source)
                .map(|x| x.amount)
                .sum();
            ws.write_number_with_format(row(r), 6, wan(got), &f.wan)?;
        }
    }
    // Goals.
    let g = 5 + FUND_ROWS.len();
    ws.merge_range(row(g), 0, row(g + 1), 0, GOAL_COLS[0], &f.label)?;
    span(ws, g, 1, 6, GOAL_COLS[1], &f.head)?;
    span(ws, g, 7, last, GOAL_COLS[2], &f.head)?;
    let expected = p.annual_goal.as_deref().unwrap_or_default();
    let achieved = p.narrative.get("performance").map_or("", String::as_str);
    span(ws, g + 1, 1, 6, expected, &f.text)?;
    span(ws, g + 1, 7, last, achieved, &f.text)?;
    fit_height(ws, g + 1, &format!("{expected}{achieved}"), 70)?;
    // Indicators.
    let head = g + 2;
    header_row(ws, head, &SELF_COLS, f)?;
    let nodes = target_nodes(s);
    let mut at = head;
    for (k, t) in p.targets.iter().enumerate() {
        at += 1;
        let r = row(at);
        ws.write_string_with_format(r, 0, t.id.as_str(), &f.center)?;
        ws.write_string_with_format(r, 1, t.category.zh(), &f.center)?;
        ws.write_string_with_format(r, 2, t.subcategory.zh(), &f.center)?;
        ws.write_string_with_format(r, 3, &t.name, &f.text)?;
        ws.write_string_with_format(r, 4, t.comparator.symbol(), &f.center)?;
        match &t.value {
            TargetValue::Number(d) => ws.write_number_with_format(r, 5, num(d), &f.number)?,
            TargetValue::Text(x) => ws.write_string_with_format(r, 5, x, &f.text)?,
        };
        ws.write_string_with_format(r, 6, t.unit.as_str(), &f.center)?;
        match t.actual.as_ref().map(|a| &a.value) {
            Some(ActualValue::Number { value, unit })
                if unit.is_none() || unit.as_str() == t.unit.as_str() =>
            {
                ws.write_number_with_format(r, 7, num(value), &f.number)?;
            }
            Some(_) => {
                let text = actual_value(t).unwrap_or_default();
                ws.write_string_with_format(r, 7, text, &f.text)?;
            }
            None => {
                ws.write_blank(r, 7, &f.text)?;
            }
        }
        match nodes[k] {
            Some(i) => {
                ws.write_number_with_format(r, 8, num(s.nodes[i].weight), &f.points)?;
                score_cell(ws, at, 9, s, i, f)?;
            }
            None => {
                ws.write_blank(r, 8, &f.points)?;
                ws.write_blank(r, 9, &f.points)?;
            }
        }
        let a = t.actual.as_ref();
        let texts = [
            a.and_then(|a| a.deviation_reason.clone())
                .unwrap_or_default(),
            a.and_then(|a| a.measures.clone()).unwrap_or_default(),
            a.map(|a| a.evidence.join(LIST_SEP)).unwrap_or_default(),
        ];
        for (c, text) in texts.iter().enumerate() {
            ws.write_string_with_format(r, col(10 + c), text, &f.text)?;
        }
        let value = match &t.value {
            TargetValue::Text(x) => x.as_str(),
            TargetValue::Number(_) => "",
        };
        let actual = actual_value(t).unwrap_or_default();
        fit_row(
            ws,
            at,
            &[
                (9.0, t.subcategory.zh()),
                (22.0, &t.name),
                (10.0, value),
                (14.0, &actual),
                (20.0, &texts[0]),
                (18.0, &texts[1]),
                (16.0, &texts[2]),
            ],
        )?;
    }
    at += 1;
    span(ws, at, 0, 7, TOTAL, &f.label)?;
    let total_weight: Points = s.children(None).map(|i| s.nodes[i].weight).sum();
    ws.write_number_with_format(row(at), 8, num(total_weight), &f.points)?;
    ws.write_number_with_format(row(at), 9, num(s.total), &f.points)?;
    span(
        ws,
        at,
        10,
        last,
        &format!("评价等级：{}", s.grade()),
        &f.text,
    )?;
    ws.set_freeze_panes(row(head + 1), 0)?;
    page_setup(ws, SELF_EVALUATION, true, (head, head))
}

fn score_sheet(ws: &mut Worksheet, s: &Scored<'_>, f: &Formats) -> Result<(), XlsxError> {
    let p = s.project;
    let depth = s
        .nodes
        .iter()
        .map(|n| usize::from(n.depth))
        .max()
        .unwrap_or(1);
    let last = depth + SCORE_COLS.len() - 1;
    let mut w = vec![14.0; depth];
    w.extend([7.0, 7.0, 7.0, 30.0, 30.0, 10.0, 20.0, 14.0]);
    widths(ws, &w)?;
    title(
        ws,
        f,
        last,
        "绩效评价指标体系评分表",
        &format!("（{}年度 {}）", p.year, p.name),
    )?;
    let kind = p
        .evaluation
        .kind
        .map(EvaluationKind::zh)
        .unwrap_or_default();
    let fw_name = p.evaluation.framework.as_deref().unwrap_or_default();
    let total_weight: Points = s.children(None).map(|i| s.nodes[i].weight).sum();
    for (k, (l, r)) in SCORE_HEADER.iter().enumerate() {
        let at = 2 + k;
        ws.write_string_with_format(row(at), 0, *l, &f.label)?;
        if k == 0 {
            span(ws, at, 1, 2, fw_name, &f.text)?;
        } else {
            ws.merge_range(row(at), 1, row(at), 2, "", &f.points)?;
            ws.write_number_with_format(row(at), 1, num(s.total), &f.points)?;
        }
        ws.write_string_with_format(row(at), 3, *r, &f.label)?;
        span(ws, at, 4, 5, if k == 0 { kind } else { s.grade() }, &f.text)?;
    }
    let head = 5;
    let levels = [
        "一级指标",
        "二级指标",
        "三级指标",
        "四级指标",
        "五级指标",
        "六级指标",
    ];
    let mut cols: Vec<&str> = (0..depth)
        .map(|d| levels.get(d).copied().unwrap_or("末级指标"))
        .collect();
    cols.extend(SCORE_COLS);
    header_row(ws, head, &cols, f)?;
    let mut at = head;
    // Ancestor cells merge down while the ancestor stays the same.
    let mut open: Vec<Option<(usize, usize)>> = vec![None; depth];
    let judgments = &p.evaluation.judgments;
    for leaf in (0..s.nodes.len()).filter(|&i| s.is_leaf(i)) {
        at += 1;
        let mut chain = vec![leaf];
        let mut up = s.nodes[leaf].parent();
        while let Some(x) = up {
            chain.push(x);
            up = s.nodes[x].parent();
        }
        chain.reverse();
        for (d, slot) in open.iter_mut().enumerate() {
            let node = chain.get(d).copied();
            let is_ancestor = node.is_some_and(|n| n != leaf);
            if let (Some((n0, _)), Some(n)) = (&slot, node)
                && is_ancestor
                && *n0 == n
            {
                continue;
            }
            close_merge(ws, s, slot, at, d, f)?;
            let text = node
                .map(|n| format!("{} {}", s.code(n), s.name(n)))
                .unwrap_or_default();
            ws.write_string_with_format(row(at), col(d), &text, &f.text)?;
            if is_ancestor {
                *slot = node.map(|n| (n, at));
            }
        }
        let n = &s.nodes[leaf];
        let c = depth;
        ws.write_number_with_format(row(at), col(c), num(n.weight), &f.points)?;
        score_cell(ws, at, c + 1, s, leaf, f)?;
        ws.write_number_with_format(row(at), col(c + 2), num(n.deduction()), &f.points)?;
        let (explanation, criteria) = match n.origin {
            NodeOrigin::Framework(i) => {
                let fw = &s.framework.nodes[i as usize];
                (fw.explanation.clone(), fw.criteria.clone())
            }
            NodeOrigin::Target(_) => (s.target(leaf).and_then(|t| t.explanation.clone()), None),
            NodeOrigin::Group(..) => (None, None),
        };
        let explain = [explanation, criteria]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("；");
        let judgment = n.judgment.and_then(|j| judgments.get(usize::from(j)));
        let texts = [
            explain,
            sheet::reasons(s, leaf).join("；"),
            judgment
                .and_then(|j| j.tier)
                .map(|t| t.zh().to_owned())
                .unwrap_or_default(),
            judgment.and_then(|j| j.reason.clone()).unwrap_or_default(),
            judgment
                .map(|j| j.evidence.join(LIST_SEP))
                .unwrap_or_default(),
        ];
        for (k, text) in texts.iter().enumerate() {
            ws.write_string_with_format(row(at), col(c + 3 + k), text, &f.text)?;
        }
        let leaf_text = format!("{} {}", s.code(leaf), s.name(leaf));
        fit_row(
            ws,
            at,
            &[
                (14.0, &leaf_text),
                (30.0, &texts[0]),
                (30.0, &texts[1]),
                (20.0, &texts[3]),
                (14.0, &texts[4]),
            ],
        )?;
    }
    for (d, slot) in open.iter_mut().enumerate() {
        close_merge(ws, s, slot, at + 1, d, f)?;
    }
    at += 1;
    span(ws, at, 0, depth - 1, "合计", &f.label)?;
    ws.write_number_with_format(row(at), col(depth), num(total_weight), &f.points)?;
    ws.write_number_with_format(row(at), col(depth + 1), num(s.total), &f.points)?;
    ws.write_number_with_format(
        row(at),
        col(depth + 2),
        num(total_weight.minus(s.total)),
        &f.points,
    )?;
    for c in depth + 3..=last {
        ws.write_blank(row(at), col(c), &f.text)?;
    }
    ws.set_freeze_panes(row(head + 1), 0)?;
    page_setup(ws, SCORE_SHEET, true, (head, head))
}

/// Ends an open vertical merge of an ancestor cell before row `next`.
fn close_merge(
    ws: &mut Worksheet,
    s: &Scored<'_>,
    open: &mut Option<(usize, usize)>,
    next: usize,
    d: usize,
    f: &Formats,
) -> Result<(), XlsxError> {
    if let Some((n, first)) = open.take()
        && next > first + 1
    {
        let text = format!("{} {}", s.code(n), s.name(n));
        ws.merge_range(row(first), col(d), row(next - 1), col(d), &text, &f.text)?;
    }
    Ok(())
}

fn ledger(ws: &mut Worksheet, p: &Project, f: &Formats) -> Result<(), XlsxError> {
    let last = LEDGER_COLS.len() - 1;
    widths(ws, &[6.0, 12.0, 30.0, 14.0, 16.0, 12.0, 12.0, 12.0, 16.0])?;
    title(
        ws,
        f,
        last,
        "支出明细",
        &format!("（{}年度 {}，单位：元）", p.year, p.name),
    )?;
    let head = 2;
    header_row(ws, head, &LEDGER_COLS, f)?;
    let mut at = head;
    for (k, l) in p.budget.spending.iter().enumerate() {
        at += 1;
        let r = row(at);
        ws.write_number_with_format(r, 0, num(k + 1), &f.center)?;
        match l.date.and_then(|d| {
            ExcelDateTime::from_ymd(u16::try_from(d.year()).ok()?, d.month(), d.day()).ok()
        }) {
            Some(dt) => ws.write_datetime_with_format(r, 1, &dt, &f.date)?,
            None => ws.write_blank(r, 1, &f.date)?,
        };
        ws.write_string_with_format(r, 2, &l.purpose, &f.text)?;
        ws.write_number_with_format(r, 3, yuan(l.amount), &f.yuan)?;
        let texts = [
            l.payee.as_deref().unwrap_or_default(),
            l.functional_code.as_deref().unwrap_or_default(),
            l.economic_code.as_deref().unwrap_or_default(),
        ];
        for (c, text) in texts.iter().enumerate() {
            ws.write_string_with_format(r, col(4 + c), *text, &f.center)?;
        }
        ws.write_string_with_format(r, 7, l.targets.join(LIST_SEP), &f.center)?;
        ws.write_string_with_format(r, 8, l.note.as_deref().unwrap_or_default(), &f.text)?;
        fit_row(
            ws,
            at,
            &[
                (30.0, &l.purpose),
                (16.0, l.payee.as_deref().unwrap_or_default()),
                (16.0, l.note.as_deref().unwrap_or_default()),
            ],
        )?;
    }
    at += 1;
    span(ws, at, 0, 2, LEDGER_TOTAL, &f.label)?;
    ws.write_number_with_format(row(at), 3, yuan(p.budget.spent()), &f.yuan)?;
    for c in 4..=last {
        ws.write_blank(row(at), col(c), &f.text)?;
    }
    ws.set_freeze_panes(row(head + 1), 0)?;
    page_setup(ws, LEDGER, false, (head, head))
}

#[cfg(test)]
mod tests {
    use super::super::book::{Book, Cell};

    /// The ledger alone is one sheet, 支出明细, with each line and the total, read back by the
    /// forms' own reader.
    #[test]
    fn the_ledger_alone_reads_back_with_its_lines_and_total() {
        let mut p = jixiao_core::file::project::read(jixiao_testkit::kunming_example().as_bytes())
            .value
            .unwrap();
        p.budget.spending.truncate(1);
        let purpose = p.budget.spending[0].purpose.clone();
        let bytes = super::ledger_xlsx(&p).unwrap();
        let book = Book::open(&bytes).unwrap();
        assert_eq!(
            book.sheets
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["支出明细"]
        );
        let (strings, sheets) = book.read(&["支出明细"]).unwrap();
        let cells = sheets[0].as_ref().unwrap();
        let texts: Vec<String> = cells
            .rows
            .iter()
            .flatten()
            .map(|c| match c {
                Cell::Shared(i) => strings[*i as usize].clone(),
                Cell::Text(t) => t.to_string(),
                other => format!("{other:?}"),
            })
            .collect();
        assert!(texts.contains(&purpose), "{texts:?}");
        assert!(texts.iter().any(|t| t == "合计"), "{texts:?}");
    }

    /// The monitoring form (e.2) is one landscape sheet with the header, the funds to date,
    /// one row per indicator with its values, causes and likelihood, and the warnings.
    #[test]
    fn the_monitoring_form_holds_the_round() {
        use jixiao_core::monitor::{Cause, Likelihood, RoundValue};
        use jixiao_core::num::{Dec, Money};
        let p = jixiao_core::file::project::read(jixiao_testkit::kunming_example().as_bytes())
            .value
            .unwrap();
        let values = [RoundValue {
            target: "T04".into(),
            achieved: Some(Dec::from_int(20_000).unwrap()),
            expected: Some(Dec::from_int(40_000).unwrap()),
            likelihood: Some(Likelihood::Possible),
            causes: vec![Cause::Funding, Cause::Other],
            cause_text: Some("制卡厂商延期交货".into()),
            measures: Some("督促厂商".into()),
            note: None,
        }];
        let warnings = [(
            "红色预警".to_owned(),
            "截至2022年7月31日预算执行率 10.00%".to_owned(),
        )];
        let bytes = super::monitoring_xlsx(&super::MonitoringForm {
            project: &p,
            period_end: jixiao_core::date::Date::parse("2022-07-31").unwrap(),
            executed: Money::from_yuan(76_100),
            budget: Money::from_yuan(761_000),
            expected: Some(Money::from_yuan(700_000)),
            summary: Some("上半年进展"),
            values: &values,
            warnings: &warnings,
        })
        .unwrap();
        let book = Book::open(&bytes).unwrap();
        let (strings, sheets) = book.read(&[super::MONITORING]).unwrap();
        let cells = sheets[0].as_ref().unwrap();
        let texts: Vec<String> = cells
            .rows
            .iter()
            .flatten()
            .map(|c| match c {
                Cell::Shared(i) => strings[*i as usize].clone(),
                Cell::Text(t) => t.to_string(),
                other => format!("{other:?}"),
            })
            .collect();
        for want in [
            p.name.as_str(),
            "（2022年度，截至2022年7月31日）",
            "截至当期实际完成值",
            "经费保障；其他",
            "制卡厂商延期交货",
            "有可能",
            "上半年进展",
            "红色预警",
        ] {
            assert!(texts.iter().any(|t| t == want), "{want}: {texts:?}");
        }
        let joined = texts.join("|");
        assert!(joined.contains("20000"), "{joined}");
        assert!(
            joined.contains("0.1"),
            "execution 10 % as a number: {joined}"
        );
        assert_eq!(
            texts
                .iter()
                .filter(|t| p.targets.iter().any(|x| &x.name == *t))
                .count(),
            p.targets.len(),
            "one row per indicator"
        );
    }
}
