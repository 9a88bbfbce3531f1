//! Reads the official forms (an XLSX workbook in the layout of [`super::write`], or one
//! filled in by another program) back into a [`Project`].
//!
//! Only visible sheets are read, and in them only the cells of the layout: blocks are found
//! by their labels, columns by their header text. Computed cells are not data: 分值, 执行率
//! and the totals are ignored, and a 得分 is read only where a person gives it (judged
//! indicators, or a deduction from a computed one in the score sheet). Every problem is
//! reported with its sheet and cell, all at once, and nothing is returned when any is found.

use std::collections::HashMap;

use jixiao_core::date::Date;
use jixiao_core::diag::Severity;
use jixiao_core::framework::{Framework, NodeKind};
use jixiao_core::num::{Dec, Money, Points};
use jixiao_core::project::{
    Actual, ActualValue, Adjustment, Category, Comparator, Direction, EvaluationKind, FundSource,
    Judgment, PolicyDoc, Project, Receipt, Role, SpendingLine, Subcategory, Subject, Target,
    TargetValue, Tier, Verdict,
};
use jixiao_core::scoring::{NodeOrigin, Status, score};
use jixiao_core::unit::Unit;

use super::book::{Book, Cell, Cells};
use super::{
    ANNUAL_GOAL, DECLARATION, DECLARATION_COLS, DECLARATION_HEADER, FUND_COLS, FUND_ROWS,
    GOAL_COLS, LEDGER, LEDGER_COLS, LEDGER_TOTAL, NOT_APPLICABLE, OVERALL_GOAL, POLICY,
    POLICY_COLS, SCORE_COLS, SCORE_HEADER, SCORE_SHEET, SELF_COLS, SELF_EVALUATION, TOTAL,
    cell_name,
};

/// The most problems reported for one workbook; more would bury the first ones.
const MAX_ERRORS: usize = 50;

/// A problem in the workbook, at a sheet and (usually) a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormError {
    /// The sheet, or empty for the workbook as a whole.
    pub sheet: String,
    /// The cell, e.g. `F15`.
    pub cell: Option<String>,
    /// What is wrong, in Chinese.
    pub problem: String,
}

impl FormError {
    /// `项目支出绩效自评表!H15：实际完成值「约五十」不是数字`.
    #[must_use]
    pub fn zh(&self) -> String {
        match (&self.sheet, &self.cell) {
            (s, _) if s.is_empty() => self.problem.clone(),
            (s, Some(c)) => format!("工作表「{s}」{c}：{}", self.problem),
            (s, None) => format!("工作表「{s}」：{}", self.problem),
        }
    }
}

/// A project read from the forms, with what the reader noticed but accepted.
#[derive(Debug)]
pub struct Imported {
    /// The project.
    pub project: Project,
    /// Warnings in Chinese, each naming its cell.
    pub warnings: Vec<String>,
}

/// Reads the workbook. `framework` resolves the framework named in the score sheet
/// (a built-in name or a path), which is needed to tell judged scores from computed ones.
///
/// # Errors
/// Every problem found, each naming the sheet and cell.
pub fn read(
    bytes: &[u8],
    framework: &dyn Fn(&str) -> Option<Framework>,
) -> Result<Imported, Vec<FormError>> {
    let book = Book::open(bytes).map_err(|e| {
        vec![FormError {
            sheet: String::new(),
            cell: None,
            problem: format!("不是可读取的 XLSX 工作簿（{e}）"),
        }]
    })?;
    let mut errors = Errors::default();
    let names = [DECLARATION, SELF_EVALUATION, SCORE_SHEET, LEDGER];
    let mut wanted = Vec::new();
    for (k, name) in names.iter().enumerate() {
        match book.sheets.iter().find(|m| m.name == *name) {
            Some(m) if !m.visible => {
                errors.sheet(name, "工作表被隐藏；只读取可见的工作表，请取消隐藏后再导入");
            }
            Some(_) => wanted.push(*name),
            None if k < 2 => errors.sheet(
                name,
                &format!(
                    "缺少该工作表（应有：{DECLARATION}、{SELF_EVALUATION}，可选 {SCORE_SHEET}、{LEDGER}）"
                ),
            ),
            None => {}
        }
    }
    if !errors.list.is_empty() {
        return Err(errors.list);
    }
    let (strings, read) = book.read(&wanted).map_err(|e| {
        vec![FormError {
            sheet: String::new(),
            cell: None,
            problem: e,
        }]
    })?;
    let mut grids: Vec<Option<Grid<'_>>> = names.iter().map(|_| None).collect();
    for (name, cells) in wanted.iter().zip(read) {
        if let (Some(k), Some(cells)) = (names.iter().position(|n| n == name), cells) {
            grids[k] = Some(Grid::new(name, cells, &strings));
        }
    }
    let mut grids = grids.into_iter();
    let (Some(Some(decl)), Some(Some(selfe)), Some(scores), Some(ledger)) =
        (grids.next(), grids.next(), grids.next(), grids.next())
    else {
        return Err(errors.list);
    };

    let mut p = Project::default();
    let mut rows = Rows::default();
    read_declaration(&decl, &mut p, &mut rows, &mut errors);
    let spent = read_self_evaluation(&selfe, &mut p, &mut rows, &mut errors);
    if let Some(l) = &ledger {
        read_ledger(l, &mut p, &mut rows, &mut errors);
    }
    reconcile_spending(&selfe, &mut p, spent, ledger.is_some(), &mut errors);
    let mut warnings = Vec::new();
    if errors.list.is_empty()
        && let Some(sc) = &scores
    {
        read_scores(sc, &mut p, framework, &mut errors);
    }
    if errors.list.is_empty() {
        validate(&p, &rows, &mut errors, &mut warnings);
    }
    if errors.list.is_empty() {
        compare_scores(&p, &rows, framework, &mut warnings);
    }
    if errors.list.is_empty() {
        Ok(Imported {
            project: p,
            warnings,
        })
    } else {
        Err(errors.list)
    }
}

#[derive(Default)]
struct Errors {
    list: Vec<FormError>,
}

impl Errors {
    fn at(&mut self, sheet: &str, r: u32, c: u32, problem: impl Into<String>) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(FormError {
                sheet: sheet.to_owned(),
                cell: Some(cell_name(r, c)),
                problem: problem.into(),
            });
        }
    }

    fn sheet(&mut self, sheet: &str, problem: &str) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(FormError {
                sheet: sheet.to_owned(),
                cell: None,
                problem: problem.to_owned(),
            });
        }
    }
}

/// A 得分 typed in the self-evaluation form: where, and what.
#[derive(Clone, Debug)]
struct Typed {
    row: u32,
    col: u32,
    text: Option<String>,
    points: Option<Points>,
}

/// Where things were read, for messages about the assembled project.
#[derive(Default)]
struct Rows {
    /// Declaration row of each target.
    targets: Vec<u32>,
    /// Self-evaluation row and 得分 column of each target, if listed there.
    scores: Vec<Option<Typed>>,
    /// Ledger row of each spending line.
    spending: Vec<u32>,
}

/// One sheet's cells with absolute positions.
struct Grid<'a> {
    name: &'static str,
    rows: Vec<Vec<Cell>>,
    strings: &'a [String],
    width: u32,
}

const EMPTY: Cell = Cell::Empty;

impl<'a> Grid<'a> {
    fn new(name: &'static str, cells: Cells, strings: &'a [String]) -> Grid<'a> {
        let width = cells.rows.iter().map(Vec::len).max().unwrap_or(0);
        Grid {
            name,
            rows: cells.rows,
            strings,
            width: u32::try_from(width).unwrap_or(u32::MAX),
        }
    }

    fn height(&self) -> u32 {
        u32::try_from(self.rows.len()).unwrap_or(u32::MAX)
    }

    fn width(&self) -> u32 {
        self.width
    }

    fn get(&self, r: u32, c: u32) -> &Cell {
        self.rows
            .get(r as usize)
            .and_then(|row| row.get(c as usize))
            .unwrap_or(&EMPTY)
    }

    /// A text cell's trimmed text, without copying; `None` for numbers and empty cells.
    fn str(&self, r: u32, c: u32) -> Option<&str> {
        let s = match self.get(r, c) {
            Cell::Shared(i) => self.strings.get(*i as usize).map(String::as_str)?,
            Cell::Text(t) => t,
            _ => return None,
        }
        .trim();
        (!s.is_empty()).then_some(s)
    }

    /// The cell as text without copying when it is text; numbers in their shortest form.
    fn cow(&self, r: u32, c: u32) -> Option<std::borrow::Cow<'_, str>> {
        match self.str(r, c) {
            Some(s) => Some(std::borrow::Cow::Borrowed(s)),
            None => self.text(r, c).map(std::borrow::Cow::Owned),
        }
    }

    /// Whether the cell reads exactly `label`.
    fn is(&self, r: u32, c: u32, label: &str) -> bool {
        self.str(r, c) == Some(label)
    }

    /// The cell as text, trimmed; numbers in their shortest form; `None` when empty.
    fn text(&self, r: u32, c: u32) -> Option<String> {
        let t = match self.get(r, c) {
            Cell::Empty => return None,
            Cell::Shared(_) | Cell::Text(_) => return self.str(r, c).map(str::to_owned),
            Cell::Number(f) => f.to_string(),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
            Cell::Date(d) => serial_date(*d).map(|d| d.to_string()).unwrap_or_default(),
            Cell::Error(e) => e.to_string(),
        };
        (!t.is_empty()).then_some(t)
    }

    fn is_blank_row(&self, r: u32) -> bool {
        self.rows.get(r as usize).is_none_or(|row| {
            row.iter().all(|c| match c {
                Cell::Empty => true,
                Cell::Shared(i) => self
                    .strings
                    .get(*i as usize)
                    .is_none_or(|s| s.trim().is_empty()),
                Cell::Text(t) => t.trim().is_empty(),
                _ => false,
            })
        })
    }

    /// The first row at or after `from` whose column 0 reads `label` (and, when given,
    /// that also has a cell reading `also`).
    fn find_row(&self, from: u32, label: &str, also: Option<&str>) -> Option<u32> {
        (from..self.height()).find(|&r| {
            self.is(r, 0, label) && also.is_none_or(|a| (0..self.width()).any(|c| self.is(r, c, a)))
        })
    }

    /// Column positions of a header row, by header text.
    fn columns(&self, r: u32) -> HashMap<String, u32> {
        (0..self.width())
            .filter_map(|c| self.text(r, c).map(|t| (t, c)))
            .collect()
    }

    /// The value right of a label found in the first rows (`None` when the label is absent).
    fn labelled(&self, label: &str, rows: u32) -> Option<(u32, u32)> {
        for r in 0..rows.min(self.height()) {
            for c in 0..self.width() {
                if self.text(r, c).as_deref() == Some(label) {
                    return Some((r, c + 1));
                }
            }
        }
        None
    }

    /// An exact decimal number: a numeric cell through its shortest decimal text, or text
    /// with optional thousands separators and percent sign.
    fn dec(&self, r: u32, c: u32, what: &str, errors: &mut Errors) -> Option<Dec> {
        let text = match self.get(r, c) {
            Cell::Number(f) => f.to_string(),
            Cell::Empty => return None,
            _ => self
                .text(r, c)?
                .replace([',', '，'], "")
                .trim_end_matches(['%', '％'])
                .to_owned(),
        };
        match Dec::parse(&text) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.at(self.name, r, c, format!("{what}「{text}」不是数字"));
                None
            }
        }
    }

    fn money(&self, r: u32, c: u32, what: &str, shift: i8, errors: &mut Errors) -> Option<Money> {
        let d = self.dec(r, c, what, errors)?;
        match d
            .shift(shift)
            .ok_or(())
            .and_then(|y| Money::from_yuan_dec(y).map_err(|_| ()))
        {
            Ok(m) => Some(m),
            Err(()) => {
                errors.at(self.name, r, c, format!("{what}「{d}」不是精确到分的金额"));
                None
            }
        }
    }

    fn points(&self, r: u32, c: u32, what: &str, errors: &mut Errors) -> Option<Points> {
        let d = self.dec(r, c, what, errors)?;
        match Points::from_dec(d) {
            Ok(p) if !d.is_negative() => Some(p),
            _ => {
                errors.at(
                    self.name,
                    r,
                    c,
                    format!("{what}「{d}」应为不小于 0、至多两位小数的分数"),
                );
                None
            }
        }
    }

    fn date(&self, r: u32, c: u32, what: &str, errors: &mut Errors) -> Option<Date> {
        let parsed = match self.get(r, c) {
            Cell::Empty => return None,
            Cell::Date(d) | Cell::Number(d) => serial_date(*d),
            _ => self
                .text(r, c)
                .and_then(|t| Date::parse(t.get(..10).unwrap_or(&t)).or_else(|| Date::parse(&t))),
        };
        if parsed.is_none() {
            let t = self.text(r, c).unwrap_or_default();
            errors.at(
                self.name,
                r,
                c,
                format!("{what}「{t}」不是日期（应为 2022-03-01 这样的日期）"),
            );
        }
        parsed
    }
}

/// A spreadsheet date serial (days since 1899-12-30) as a date.
fn serial_date(serial: f64) -> Option<Date> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor().to_string().parse::<i64>().ok()?;
    Date::from_days_since_epoch(days - 25_569)
}

fn col_of(cols: &HashMap<String, u32>, name: &str) -> Option<u32> {
    cols.get(name).copied()
}

fn read_declaration(g: &Grid, p: &mut Project, rows: &mut Rows, errors: &mut Errors) {
    let head = g
        .find_row(0, DECLARATION_COLS[0], Some(DECLARATION_COLS[3]))
        .or_else(|| g.find_row(0, DECLARATION_COLS[1], Some(DECLARATION_COLS[3])));
    let Some(head) = head else {
        errors.sheet(
            g.name,
            "找不到绩效指标表的表头（“编号 | 一级指标 | 二级指标 | 三级指标 | …”）",
        );
        return;
    };
    let text = |label: &str| g.labelled(label, head).and_then(|(r, c)| g.text(r, c));
    let need = |label: &str, errors: &mut Errors| {
        let v = text(label);
        if v.is_none() {
            match g.labelled(label, head) {
                Some((r, c)) => errors.at(g.name, r, c, format!("{label}不能为空")),
                None => errors.sheet(g.name, &format!("缺少“{label}”一栏")),
            }
        }
        v.unwrap_or_default()
    };
    let [
        (name, code),
        (year, nature),
        (supervisor, department),
        (category, office),
        (contact, chain),
        (start, end),
        (appropriation, approval),
    ] = DECLARATION_HEADER;
    p.name = need(name, errors);
    p.code = text(code).unwrap_or_default();
    p.department = need(department, errors);
    p.supervisor = text(supervisor);
    p.nature = text(nature);
    p.category = text(category);
    p.office = text(office);
    p.contact = text(contact);
    match g.labelled(year, head) {
        Some((r, c)) => match g
            .dec(r, c, year, errors)
            .map(|d| d.to_string().parse::<i32>())
        {
            Some(Ok(y)) if (1990..=2100).contains(&y) => p.year = y,
            Some(_) => errors.at(g.name, r, c, "年度应为 1990 到 2100 之间的整数"),
            None => errors.at(g.name, r, c, "年度不能为空"),
        },
        None => errors.sheet(g.name, "缺少“年度”一栏"),
    }
    if let Some((r, c)) = g.labelled(chain, head)
        && let Some(t) = g.text(r, c)
    {
        for step in t
            .split(['→', '-', '>', '、', '，', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match Role::parse(step) {
                Some(role) => p.approval_chain.push(role),
                None => errors.at(
                    g.name,
                    r,
                    c,
                    format!(
                        "资金拨付流程中的“{step}”不是已知角色（{}）",
                        Role::NAMES.join("、")
                    ),
                ),
            }
        }
    }
    for (label, slot) in [(start, &mut p.start), (end, &mut p.end)] {
        if let Some((r, c)) = g.labelled(label, head) {
            *slot = g.date(r, c, label, errors);
        }
    }
    match g.labelled(appropriation, head) {
        Some((r, c)) => match g.money(r, c, appropriation, 4, errors) {
            Some(m) if !m.is_negative() => p.budget.appropriation = m,
            Some(_) => errors.at(g.name, r, c, "年初预算数不能为负数"),
            None => {
                if g.text(r, c).is_none() {
                    errors.at(g.name, r, c, "年初预算数不能为空");
                }
            }
        },
        None => errors.sheet(g.name, "缺少“年初预算数（万元）”一栏"),
    }
    p.budget.approval_document = text(approval);
    p.overall_goal = text(OVERALL_GOAL);
    p.annual_goal = text(ANNUAL_GOAL);

    let cols = g.columns(head);
    let mut seen = std::collections::HashSet::new();
    let mut r = head + 1;
    while r < g.height() && !g.is_blank_row(r) && !g.is(r, 0, POLICY) {
        if let Some(t) = read_target(g, r, &cols, p.targets.len(), errors) {
            if !seen.insert(t.id.clone()) {
                errors.at(
                    g.name,
                    r,
                    col_of(&cols, "编号").unwrap_or(0),
                    format!("编号「{}」重复", t.id),
                );
            }
            p.targets.push(t);
            rows.targets.push(r);
        }
        r += 1;
    }
    if let Some(title) = g.find_row(r, POLICY, None) {
        let pc = g.columns(title + 1);
        let [_, name, number, issuer] = POLICY_COLS;
        let Some(name_col) = col_of(&pc, name) else {
            errors.at(g.name, title + 1, 0, "立项依据表缺少“文件名称”列");
            return;
        };
        let mut r = title + 2;
        while r < g.height() && !g.is_blank_row(r) {
            if let Some(t) = g.text(r, name_col) {
                p.policy_basis.push(PolicyDoc {
                    title: t,
                    number: col_of(&pc, number).and_then(|c| g.text(r, c)),
                    issuer: col_of(&pc, issuer).and_then(|c| g.text(r, c)),
                });
            }
            r += 1;
        }
    }
}

fn read_target(
    g: &Grid,
    r: u32,
    cols: &HashMap<String, u32>,
    k: usize,
    errors: &mut Errors,
) -> Option<Target> {
    let cell = |name: &str| col_of(cols, name).and_then(|c| g.cow(r, c));
    let at = |name: &str| col_of(cols, name).unwrap_or(0);
    let before = errors.list.len();
    let id = cell("编号").map_or_else(|| format!("T{}", k + 1), std::borrow::Cow::into_owned);
    let category = match cell("一级指标") {
        Some(t) => Category::parse(&t).or_else(|| {
            errors.at(
                g.name,
                r,
                at("一级指标"),
                format!("一级指标「{t}」应为 {}", Category::NAMES.join("、")),
            );
            None
        }),
        None => {
            errors.at(g.name, r, at("一级指标"), "一级指标不能为空");
            None
        }
    };
    let subcategory = match cell("二级指标") {
        Some(t) => match Subcategory::parse(&t) {
            Some(s) if category.is_none_or(|c| s.belongs_to(c)) => Some(s),
            Some(_) => {
                errors.at(
                    g.name,
                    r,
                    at("二级指标"),
                    format!(
                        "二级指标「{t}」不属于一级指标「{}」",
                        category.map(Category::zh).unwrap_or_default()
                    ),
                );
                None
            }
            None => {
                errors.at(
                    g.name,
                    r,
                    at("二级指标"),
                    format!("二级指标「{t}」应为 {}", Subcategory::NAMES.join("、")),
                );
                None
            }
        },
        None => {
            errors.at(g.name, r, at("二级指标"), "二级指标不能为空");
            None
        }
    };
    let name = cell("三级指标");
    if name.is_none() {
        errors.at(g.name, r, at("三级指标"), "三级指标（指标名称）不能为空");
    }
    let mut comparator = match cell("指标性质") {
        Some(t) => Comparator::parse(&t).or_else(|| {
            errors.at(
                g.name,
                r,
                at("指标性质"),
                format!("指标性质「{t}」应为 {}", Comparator::NAMES.join(" ")),
            );
            None
        }),
        None => Some(Comparator::Equal),
    };
    let mut unit = cell("度量单位")
        .map(|u| Unit::parse(&u))
        .unwrap_or_default();
    let value = match col_of(cols, "指标值").map(|c| (c, g.get(r, c))) {
        Some((_, Cell::Number(_))) => g
            .dec(r, at("指标值"), "指标值", errors)
            .map(TargetValue::Number),
        Some((c, _)) => match g.text(r, c) {
            None => {
                errors.at(g.name, r, c, "指标值不能为空");
                None
            }
            Some(t) if comparator == Some(Comparator::Qualitative) => Some(TargetValue::Text(t)),
            Some(t) => {
                // "≥95%" typed in one cell: the comparator and the unit come out of the text.
                let (cmp, rest) = split_comparator(&t);
                if let Some(cmp) = cmp
                    && cell("指标性质").is_none()
                {
                    comparator = Some(cmp);
                }
                let (number, written_unit) = split_number(rest);
                match number {
                    Some(d) => {
                        if unit.is_none() && !written_unit.is_empty() {
                            unit = Unit::parse(written_unit);
                        }
                        Some(TargetValue::Number(d))
                    }
                    None => {
                        errors.at(
                            g.name,
                            r,
                            c,
                            format!("指标值「{t}」不是数字；定性指标请在“指标性质”一栏填“定性”"),
                        );
                        None
                    }
                }
            }
        },
        None => {
            errors.at(g.name, r, 0, "缺少“指标值”列");
            None
        }
    };
    let direction = match cell("指标方向") {
        Some(t) => Direction::parse(&t).or_else(|| {
            errors.at(
                g.name,
                r,
                at("指标方向"),
                format!("指标方向「{t}」应为 {}", Direction::NAMES.join("、")),
            );
            None
        }),
        None => comparator.map(Comparator::implied_direction),
    };
    let weight = col_of(cols, "权重").and_then(|c| g.points(r, c, "权重", errors));
    if errors.list.len() > before {
        return None;
    }
    Some(Target {
        id: id.into(),
        category: category?,
        subcategory: subcategory?,
        name: name?.into_owned(),
        comparator: comparator?,
        value: value?,
        unit,
        direction: direction?,
        weight,
        explanation: cell("指标解释").map(std::borrow::Cow::into_owned),
        basis: cell("设定依据").map(std::borrow::Cow::into_owned),
        actual: None,
    })
}

/// A leading comparator sign: `≥95` → (≥, `95`).
fn split_comparator(t: &str) -> (Option<Comparator>, &str) {
    for sign in [
        "≥", ">=", "＞＝", "≤", "<=", "＜＝", "＞", ">", "＜", "<", "＝", "=",
    ] {
        if let Some(rest) = t.strip_prefix(sign) {
            return (Comparator::parse(sign), rest.trim());
        }
    }
    (None, t)
}

/// A leading number and the unit after it: `4万张` → (4, `万张`), `1,140人次` → (1140, `人次`).
fn split_number(t: &str) -> (Option<Dec>, &str) {
    let end = t
        .char_indices()
        .find(|&(_, ch)| !(ch.is_ascii_digit() || matches!(ch, '.' | '-' | ',')))
        .map_or(t.len(), |(i, _)| i);
    let number = t[..end].replace(',', "");
    (
        Dec::parse(&number).ok().filter(|_| end > 0),
        t[end..].trim(),
    )
}

/// Reads the self-evaluation form; returns the 全年执行数 and its cell.
fn read_self_evaluation(
    g: &Grid,
    p: &mut Project,
    rows: &mut Rows,
    errors: &mut Errors,
) -> Option<(Money, u32, u32)> {
    let mut spent = None;
    match g.find_row(0, FUND_COLS[0], None) {
        None => errors.sheet(g.name, "找不到“项目资金（万元）”一栏"),
        Some(fh) => {
            let fc = g.columns(fh);
            let [_, initial, adjusted, received, executed, ..] = FUND_COLS;
            let total_row = g.find_row(fh + 1, FUND_ROWS[0], None);
            if let Some(tr) = total_row {
                let amount = |name: &str, errors: &mut Errors| {
                    col_of(&fc, name).and_then(|c| g.money(tr, c, name, 4, errors).map(|m| (m, c)))
                };
                if let Some((a, c)) = amount(initial, errors)
                    && a != p.budget.appropriation
                {
                    errors.at(
                        g.name,
                        tr,
                        c,
                        format!(
                            "年初预算数 {} 万元与绩效目标申报表的 {} 万元不一致",
                            a.wan(),
                            p.budget.appropriation.wan()
                        ),
                    );
                }
                if let Some((adj, _)) = amount(adjusted, errors) {
                    let diff = adj.minus(p.budget.appropriation);
                    if diff != Money::ZERO {
                        p.budget.adjustments.push(Adjustment {
                            date: None,
                            amount: diff,
                            document: None,
                            reason: Some(
                                "项目支出绩效自评表：全年预算数与年初预算数之差".to_owned(),
                            ),
                        });
                    }
                }
                let total_received = amount(received, errors);
                if let Some(rc) = col_of(&fc, received) {
                    for (k, source) in FundSource::ALL.iter().enumerate() {
                        if let Some(r) = g.find_row(tr + 1, FUND_ROWS[k + 1], None)
                            && let Some(m) = g.money(r, rc, "到位数", 4, errors)
                            && m != Money::ZERO
                        {
                            p.budget.receipts.push(Receipt {
                                source: *source,
                                date: None,
                                amount: m,
                                note: None,
                            });
                        }
                    }
                    if let Some((total, c)) = total_received {
                        if p.budget.receipts.is_empty() && total != Money::ZERO {
                            p.budget.receipts.push(Receipt {
                                source: FundSource::Appropriation,
                                date: None,
                                amount: total,
                                note: None,
                            });
                        } else if p.budget.received() != total {
                            errors.at(
                                g.name,
                                tr,
                                c,
                                format!(
                                    "到位数合计 {} 万元与分项之和 {} 万元不一致",
                                    total.wan(),
                                    p.budget.received().wan()
                                ),
                            );
                        }
                    }
                }
                spent = amount(executed, errors).map(|(m, c)| (m, tr, c));
            } else {
                errors.sheet(g.name, "找不到“年度资金总额”一行");
            }
        }
    }
    if let Some(gr) = g.find_row(0, GOAL_COLS[0], None) {
        let gc = g.columns(gr);
        if let Some(c) = col_of(&gc, GOAL_COLS[1])
            && let Some(t) = g.text(gr + 1, c)
        {
            if p.annual_goal.as_ref().is_some_and(|a| *a != t) {
                errors.at(
                    g.name,
                    gr + 1,
                    c,
                    "预期目标与绩效目标申报表的年度目标不一致",
                );
            }
            p.annual_goal = Some(t);
        }
        if let Some(c) = col_of(&gc, GOAL_COLS[2])
            && let Some(t) = g.text(gr + 1, c)
        {
            p.narrative.insert("performance".to_owned(), t);
        }
    }
    let Some(head) = g.find_row(0, SELF_COLS[0], Some(SELF_COLS[7])) else {
        errors.sheet(
            g.name,
            "找不到绩效指标表的表头（“编号 | 一级指标 | … | 实际完成值 | …”）",
        );
        return spent;
    };
    let cols = g.columns(head);
    let index: HashMap<String, usize> = p
        .targets
        .iter()
        .enumerate()
        .map(|(k, t)| (t.id.to_string(), k))
        .collect();
    let mut r = head + 1;
    while r < g.height() && !g.is_blank_row(r) && !g.is(r, 0, TOTAL) {
        let id = g.cow(r, 0).or_else(|| {
            // Forms without ids list the targets in the declaration's order.
            let k = usize::try_from(r - head - 1).ok()?;
            p.targets
                .get(k)
                .map(|t| std::borrow::Cow::Owned(t.id.to_string()))
        });
        let Some(k) = id.as_deref().and_then(|id| index.get(id)).copied() else {
            errors.at(
                g.name,
                r,
                0,
                format!("编号「{}」不在绩效目标申报表中", id.unwrap_or_default()),
            );
            r += 1;
            continue;
        };
        let t = &mut p.targets[k];
        if let Some(c) = col_of(&cols, "三级指标")
            && let Some(name) = g.cow(r, c)
            && name != t.name.as_str()
        {
            errors.at(
                g.name,
                r,
                c,
                format!(
                    "三级指标「{name}」与绩效目标申报表中编号 {} 的「{}」不一致",
                    t.id, t.name
                ),
            );
        }
        if let Some(c) = col_of(&cols, "指标值") {
            let same = match (&t.value, g.get(r, c)) {
                (TargetValue::Number(d), Cell::Number(_)) => {
                    g.dec(r, c, "指标值", errors) == Some(*d)
                }
                (TargetValue::Text(x), _) => g.text(r, c).as_deref() == Some(x.as_str()),
                (TargetValue::Number(_), Cell::Empty) => true,
                (TargetValue::Number(d), _) => {
                    g.text(r, c)
                        .and_then(|x| split_number(split_comparator(&x).1).0)
                        == Some(*d)
                }
            };
            if !same {
                errors.at(
                    g.name,
                    r,
                    c,
                    format!(
                        "指标值与绩效目标申报表中编号 {} 的 {} 不一致",
                        t.id,
                        t.display_value()
                    ),
                );
            }
        }
        let text = |name: &str| col_of(&cols, name).and_then(|c| g.text(r, c));
        let value = col_of(&cols, "实际完成值").and_then(|c| actual_value(g, r, c, t, errors));
        let reason = text("偏差原因");
        let measures = text("改进措施");
        let evidence = split_list(text("佐证材料"));
        match value {
            Some(value) => {
                t.actual = Some(Actual {
                    value,
                    note: None,
                    deviation_reason: reason,
                    measures,
                    evidence,
                });
            }
            None if (reason.is_some() || measures.is_some() || !evidence.is_empty())
                && col_of(&cols, "实际完成值").is_none_or(|c| g.text(r, c).is_none()) =>
            {
                errors.at(
                    g.name,
                    r,
                    col_of(&cols, "实际完成值").unwrap_or(0),
                    "填写了偏差原因、改进措施或佐证材料，但实际完成值为空",
                );
            }
            None => {}
        }
        if let Some(c) = col_of(&cols, "得分") {
            let points = match g.get(r, c) {
                Cell::Number(f) => Dec::parse(&f.to_string())
                    .ok()
                    .and_then(|d| Points::from_dec(d).ok()),
                _ => None,
            };
            let text = if points.is_some() { None } else { g.text(r, c) };
            if rows.scores.len() <= k {
                rows.scores.resize(k + 1, None);
            }
            rows.scores[k] = Some(Typed {
                row: r,
                col: c,
                text,
                points,
            });
        }
        r += 1;
    }
    spent
}

fn actual_value(g: &Grid, r: u32, c: u32, t: &Target, errors: &mut Errors) -> Option<ActualValue> {
    match g.get(r, c) {
        Cell::Empty => None,
        Cell::Number(_) => g
            .dec(r, c, "实际完成值", errors)
            .map(|value| ActualValue::Number {
                value,
                unit: Unit::none(),
            }),
        _ => {
            let text = g.text(r, c)?;
            if let Some(counts) = counts(&text) {
                return Some(counts);
            }
            if t.is_qualitative() {
                return Some(ActualValue::Text(text));
            }
            match split_number(split_comparator(&text).1) {
                (Some(value), unit) => Some(ActualValue::Number {
                    value,
                    unit: Unit::parse(unit),
                }),
                (None, _) => {
                    errors.at(
                        g.name,
                        r,
                        c,
                        format!("实际完成值「{text}」不是数字（可写 4万张、96%、481/500）"),
                    );
                    None
                }
            }
        }
    }
}

/// `481/500` or `96.2%（481/500）`: a rate from counts.
fn counts(text: &str) -> Option<ActualValue> {
    let inner = match (text.find(['（', '(']), text.rfind(['）', ')'])) {
        (Some(a), Some(b)) if a < b => {
            let open = text[a..].chars().next()?.len_utf8();
            &text[a + open..b]
        }
        _ => text,
    };
    let (n, d) = inner.split_once('/')?;
    let numerator = Dec::parse(n.trim()).ok()?;
    let denominator = Dec::parse(d.trim()).ok()?;
    Some(ActualValue::Counts {
        numerator,
        denominator,
    })
}

fn split_list(text: Option<String>) -> Vec<String> {
    text.map(|t| {
        t.split([';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

fn read_ledger(g: &Grid, p: &mut Project, rows: &mut Rows, errors: &mut Errors) {
    let Some(head) = g.find_row(0, LEDGER_COLS[0], Some(LEDGER_COLS[2])) else {
        errors.sheet(
            g.name,
            "找不到支出明细的表头（“序号 | 日期 | 用途 | 金额（元） | …”）",
        );
        return;
    };
    let cols = g.columns(head);
    let [
        _,
        date,
        purpose,
        amount,
        payee,
        functional,
        economic,
        targets,
        note,
    ] = LEDGER_COLS;
    let (Some(pc), Some(ac)) = (col_of(&cols, purpose), col_of(&cols, amount)) else {
        errors.at(g.name, head, 0, "支出明细缺少“用途”或“金额（元）”列");
        return;
    };
    let mut r = head + 1;
    while r < g.height() && !g.is_blank_row(r) && !g.is(r, 0, LEDGER_TOTAL) {
        let text = |name: &str| col_of(&cols, name).and_then(|c| g.text(r, c));
        let line_date = col_of(&cols, date).and_then(|c| g.date(r, c, "日期", errors));
        let what = g.text(r, pc);
        if what.is_none() {
            errors.at(g.name, r, pc, "用途不能为空");
        }
        let money = g.money(r, ac, "金额", 0, errors);
        if money.is_none() && g.text(r, ac).is_none() {
            errors.at(g.name, r, ac, "金额不能为空");
        }
        if let (Some(purpose), Some(amount)) = (what, money) {
            p.budget.spending.push(SpendingLine {
                date: line_date,
                purpose,
                amount,
                payee: text(payee),
                functional_code: text(functional),
                economic_code: text(economic),
                targets: text(targets)
                    .map(|t| {
                        t.split([';', '；', '、', ',', '，'])
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
                note: text(note),
            });
            rows.spending.push(r);
        }
        r += 1;
    }
}

/// The self-evaluation form's 全年执行数 must be the ledger's total; without a ledger sheet
/// it becomes one spending line.
fn reconcile_spending(
    selfe: &Grid,
    p: &mut Project,
    spent: Option<(Money, u32, u32)>,
    has_ledger: bool,
    errors: &mut Errors,
) {
    let Some((total, r, c)) = spent else { return };
    if has_ledger {
        if p.budget.spent() != total {
            errors.at(
                selfe.name,
                r,
                c,
                format!(
                    "全年执行数 {} 万元与支出明细合计 {} 万元不一致",
                    total.wan(),
                    p.budget.spent().wan()
                ),
            );
        }
    } else if total != Money::ZERO {
        p.budget.spending.push(SpendingLine {
            date: None,
            purpose: "全年执行数（据项目支出绩效自评表）".to_owned(),
            amount: total,
            payee: None,
            functional_code: None,
            economic_code: None,
            targets: Vec::new(),
            note: None,
        });
    }
}

fn read_scores(
    g: &Grid,
    p: &mut Project,
    framework: &dyn Fn(&str) -> Option<Framework>,
    errors: &mut Errors,
) {
    let [(fw_label, kind_label), _] = SCORE_HEADER;
    if let Some((r, c)) = g.labelled(kind_label, 5)
        && let Some(t) = g.text(r, c)
    {
        match EvaluationKind::parse(&t) {
            Some(k) => p.evaluation.kind = Some(k),
            None => errors.at(
                g.name,
                r,
                c,
                format!("评价类型「{t}」应为 {}", EvaluationKind::NAMES.join("、")),
            ),
        }
    }
    let Some((fr, fc)) = g.labelled(fw_label, 5) else {
        errors.sheet(g.name, "缺少“评价框架”一栏");
        return;
    };
    let Some(name) = g.text(fr, fc) else {
        // A score sheet without a framework carries no scores to read.
        return;
    };
    let Some(fw) = framework(&name) else {
        errors.at(
            g.name,
            fr,
            fc,
            format!("评价框架「{name}」既不是内置框架，也找不到该框架文件"),
        );
        return;
    };
    p.evaluation.framework = Some(name);
    let Some(head) = g.find_row(0, "一级指标", Some(SCORE_COLS[0])) else {
        errors.sheet(
            g.name,
            "找不到评分表的表头（“一级指标 | … | 权重 | 得分 | …”）",
        );
        return;
    };
    let cols = g.columns(head);
    let [
        weight_label,
        score_label,
        _,
        _,
        _,
        tier_label,
        reason_label,
        evidence_label,
    ] = SCORE_COLS;
    let (Some(wc), Some(sc)) = (col_of(&cols, weight_label), col_of(&cols, score_label)) else {
        errors.at(g.name, head, 0, "评分表缺少“权重”或“得分”列");
        return;
    };
    // Scores as the data alone gives them, to tell a deduction from a formula result.
    let base: &Project = p;
    let scored = score(&fw, base);
    // Rows list the leaves in tree order, as the writer wrote them: each row is first
    // matched with the next leaf; a map of all codes is built only when a row is out of
    // that order (rows moved or added by hand).
    let leaves: Vec<usize> = (0..scored.nodes.len())
        .filter(|&i| scored.is_leaf(i))
        .collect();
    let mut next_leaf = 0;
    let mut codes: Option<HashMap<String, usize>> = None;
    let (mut weights, mut judgments) = (Vec::new(), Vec::new());
    let mut r = head + 1;
    while r < g.height() && !g.is_blank_row(r) && !g.is(r, 0, "合计") {
        let Some((code, lc)) = (0..wc).rev().find_map(|c| {
            g.text(r, c).map(|t| {
                (
                    t.split_whitespace().next().unwrap_or_default().to_owned(),
                    c,
                )
            })
        }) else {
            r += 1;
            continue;
        };
        let in_order = leaves
            .get(next_leaf)
            .copied()
            .filter(|&i| scored.code(i) == code.as_str());
        let found = in_order.or_else(|| {
            codes
                .get_or_insert_with(|| {
                    (0..scored.nodes.len())
                        .map(|i| (scored.code(i).into_owned(), i))
                        .collect()
                })
                .get(&code)
                .copied()
        });
        if let Some(i) = found
            && let Ok(pos) = leaves.binary_search(&i)
        {
            next_leaf = pos + 1;
        }
        let Some(i) = found else {
            errors.at(
                g.name,
                r,
                lc,
                format!("指标「{code}」不在评价框架「{}」中", fw.name),
            );
            r += 1;
            continue;
        };
        let n = &scored.nodes[i];
        let cell = g.text(r, sc);
        let reason = col_of(&cols, reason_label).and_then(|c| g.text(r, c));
        let evidence = split_list(col_of(&cols, evidence_label).and_then(|c| g.text(r, c)));
        let tier = match col_of(&cols, tier_label).and_then(|c| g.text(r, c).map(|t| (t, c))) {
            Some((t, c)) => match Tier::parse(&t) {
                Some(tier) => Some(tier),
                None => {
                    errors.at(
                        g.name,
                        r,
                        c,
                        format!("评价档次「{t}」应为 {}", Tier::NAMES.join("、")),
                    );
                    None
                }
            },
            None => None,
        };
        let (subject, judged) = match n.origin {
            NodeOrigin::Framework(f) => {
                let node = &fw.nodes[f as usize];
                if node.weight.is_none()
                    && let Some(w) = g.points(r, wc, "权重", errors)
                {
                    weights.push((code.clone(), w));
                }
                (
                    Subject::Node(code.into()),
                    matches!(node.kind, NodeKind::Judged),
                )
            }
            NodeOrigin::Target(t) => {
                let target = &base.targets[t as usize];
                (Subject::Target(target.id.clone()), target.is_qualitative())
            }
            NodeOrigin::Group(..) => {
                r += 1;
                continue;
            }
        };
        let verdict = match cell.as_deref() {
            None => None,
            Some(NOT_APPLICABLE) => Some(Verdict::NotApplicable),
            Some(_) => {
                let got = g.points(r, sc, "得分", errors);
                match got {
                    Some(s) if s > n.weight => {
                        errors.at(g.name, r, sc, format!("得分 {s} 超过权重 {}", n.weight));
                        None
                    }
                    Some(s) if judged => Some(Verdict::Score(s)),
                    Some(s) => match n.status {
                        Status::Unscored(_) => {
                            errors.at(g.name, r, sc, "该指标缺少计算所需的数据（实际完成值或预算数据），不能直接填写得分");
                            None
                        }
                        _ if s > n.score => {
                            errors.at(
                                g.name,
                                r,
                                sc,
                                format!(
                                    "得分 {s} 高于按公式计算的 {} 分；计算得分不能调高",
                                    n.score
                                ),
                            );
                            None
                        }
                        _ if s < n.score => Some(Verdict::Deduction(n.score.minus(s))),
                        _ => None,
                    },
                    None => None,
                }
            }
        };
        if let Some(verdict) = verdict {
            judgments.push(Judgment {
                subject,
                verdict,
                tier,
                reason,
                evidence,
            });
        }
        r += 1;
    }
    drop(scored);
    p.evaluation.weights.extend(weights);
    p.evaluation.judgments.extend(judgments);
}

/// The project's own rules (validate.rs), reported at the rows they concern.
fn validate(p: &Project, rows: &Rows, errors: &mut Errors, warnings: &mut Vec<String>) {
    for d in jixiao_core::validate::validate_project(p) {
        let path = d.at.as_ref().map(|l| l.path.clone()).unwrap_or_default();
        let (sheet, cell) = locate(&path, rows);
        let e = FormError {
            sheet: sheet.to_owned(),
            cell,
            problem: d.problem.to_string(),
        };
        match d.severity {
            Severity::Error => {
                if errors.list.len() < MAX_ERRORS {
                    errors.list.push(e);
                }
            }
            Severity::Warning => warnings.push(e.zh()),
        }
    }
}

/// The sheet and row of a project-file path such as `target[3].weight`.
fn locate(path: &str, rows: &Rows) -> (&'static str, Option<String>) {
    let index = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.split(']').next())
            .and_then(|n| n.parse::<usize>().ok())
    };
    if let Some(k) = index("target[")
        && let Some(&r) = rows.targets.get(k)
    {
        return (DECLARATION, Some(format!("第{}行", r + 1)));
    }
    if let Some(k) = index("budget.spending[")
        && let Some(&r) = rows.spending.get(k)
    {
        return (LEDGER, Some(format!("第{}行", r + 1)));
    }
    if path.starts_with("evaluation") {
        return (SCORE_SHEET, None);
    }
    (SELF_EVALUATION, None)
}

/// 得分 typed in the self-evaluation form that differs from the computed score: kept as
/// computed, reported so the person who typed it knows.
fn compare_scores(
    p: &Project,
    rows: &Rows,
    framework: &dyn Fn(&str) -> Option<Framework>,
    warnings: &mut Vec<String>,
) {
    let Some(fw) = p.framework_name().and_then(framework) else {
        return;
    };
    let scored = score(&fw, p);
    for n in &scored.nodes {
        let NodeOrigin::Target(k) = n.origin else {
            continue;
        };
        let Some(Some(typed)) = rows.scores.get(k as usize) else {
            continue;
        };
        // Compared as numbers; text only for 不适用 and what is not a number.
        let same = match (n.status, typed.points, typed.text.as_deref()) {
            (Status::Unscored(_), None, None) => true,
            (Status::NotApplicable, None, Some(t)) => t == NOT_APPLICABLE,
            (Status::Unscored(_) | Status::NotApplicable, _, _) | (_, None, None) => false,
            (_, Some(pts), _) => pts == n.score,
            (_, None, Some(t)) => Dec::parse(t)
                .ok()
                .and_then(|d| Points::from_dec(d).ok())
                .is_some_and(|pts| pts == n.score),
        };
        if !same {
            let computed = match n.status {
                Status::Unscored(u) => format!("无（{}）", u.zh()),
                Status::NotApplicable => NOT_APPLICABLE.to_owned(),
                _ => n.score.to_string(),
            };
            let shown = typed
                .points
                .map(|p| p.to_string())
                .or_else(|| typed.text.clone())
                .unwrap_or_default();
            warnings.push(format!(
                "工作表「{SELF_EVALUATION}」{}：填写的得分「{shown}」与计算得分「{computed}」不同；得分由数据计算，导出时按计算值填写（定性指标请在「{SCORE_SHEET}」中评分）",
                cell_name(typed.row, typed.col),
            ));
        }
    }
}
