//! Score tables and the scores written in the prose: 扣分 = 权重 − 得分, 得分率 = 得分 ÷ 权重,
//! totals that add up, level scores in the text that agree with the table.

use jixiao_core::num::Dec;

use crate::doc::{Cell, Doc, Table};
use crate::util::{close, finding, rounds_to, sub, sum};
use crate::{Finding, Severity};

/// What a score-table row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// An indicator or level.
    Item,
    /// 小计.
    Subtotal,
    /// 合计 / 总分 / 总计.
    Total,
}

/// One row of a score table, numbers as indices into `Doc::nums`.
#[derive(Clone, Debug)]
pub struct ScoreRow {
    /// The row's label.
    pub label: String,
    /// Line of the label.
    pub line: usize,
    /// 权重 / 分值.
    pub weight: Option<usize>,
    /// 得分.
    pub score: Option<usize>,
    /// 扣分.
    pub deduction: Option<usize>,
    /// 得分率.
    pub rate: Option<usize>,
    /// Kind.
    pub kind: RowKind,
    /// The row opens a new group of the table (its first cell names another group).
    pub opens_group: bool,
    /// The group the row belongs to: the latest first cell that named one (a level whose
    /// name is written only in the first row of its block).
    pub group: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Weight,
    Score,
    Deduction,
    Rate,
    Other,
}

fn col_of(text: &str) -> Col {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.contains("得分率") || t == "得分比例" {
        Col::Rate
    } else if t.contains("扣分") && !t.contains("原因") && !t.contains("说明") {
        Col::Deduction
    } else if t.contains("得分") && !t.contains("原因") && !t.contains("说明") {
        Col::Score
    } else if t.contains("权重")
        || t == "分值"
        || t.ends_with("分值")
        || t == "满分"
        || t.contains("标准分")
    {
        Col::Weight
    } else {
        Col::Other
    }
}

/// Row kinds from their label text.
pub fn row_kind(label: &str) -> RowKind {
    let t: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    // "绩效指标得分 90 88" closes a block of indicator rows as a 小计 does.
    if t.contains("小计") || (t.ends_with("指标得分") && t.chars().count() <= 8) {
        RowKind::Subtotal
    } else if t.contains("合计")
        || t.contains("总计")
        || t == "总得分"
        // (Not "总分馆通借通还覆盖率": 总分 inside a name.)
        || t.match_indices("总分").any(|(i, w)| {
            !t[i + w.len()..]
                .chars()
                .next()
                .is_some_and(|c| matches!(c, '馆' | '行' | '院' | '部' | '站' | '类' | '支'))
        })
    {
        RowKind::Total
    } else {
        RowKind::Item
    }
}

/// Whether a header cell names a column of numbers.
pub fn numeric_header(text: &str) -> bool {
    // "补贴面积（亩）", "人数（人次）": a unit in brackets names a column of figures.
    let bracketed_unit = text
        .rsplit_once(['（', '('])
        .and_then(|(_, u)| u.strip_suffix(['）', ')']))
        .is_some_and(crate::scan::is_unit);
    !label_header(text) && bracketed_unit
        || !label_header(text)
            && [
                "分值",
                "得分",
                "权重",
                "扣分",
                "率",
                "数",
                "值",
                "金额",
                "万元",
                "元",
                "满分",
                "预算",
                "执行",
                "支出",
                "到位",
                "投资",
                "费用",
                "收入",
                "结余",
                "拨款",
                "合计",
                "年度目标",
            ]
            .iter()
            .any(|w| text.contains(w))
            && !text.contains("原因")
            && !text.contains("说明")
            && !text.contains("来源")
            && !text.contains("名称")
}

/// A header naming what each row is (支出内容, 支出项目, 资金用途, 费用明细): its cells are
/// labels, even when they start with a figure ("12348热线运营").
pub fn label_header(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '：' | ':'));
    [
        "内容", "项目", "名称", "用途", "明细", "类别", "事项", "科目",
    ]
    .iter()
    .any(|w| t.ends_with(w))
}

/// A cell of words with a figure inside ("65岁及以上老年人健康管理人数"): a name, not a figure.
fn names_with_figures(text: &str) -> bool {
    let cjk = text.chars().filter(|ch| crate::util::is_cjk(*ch)).count();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    cjk >= 4 && cjk > 2 * digits
}

/// "合计 … 100 95.5" under "… 分值 得分 偏差原因": labels from the left, figures under the
/// last columns that take figures (for a row shorter than its header).
fn figures_by_kind<'c>(
    doc: &Doc,
    cells: &'c [Cell],
    header: &[Cell],
) -> Option<Vec<Option<&'c Cell>>> {
    let width = header.len();
    // (A label may hold figures: "总分（预算执行20分＋指标80分）".)
    let labels = cells
        .iter()
        .take_while(|c| c.nums.is_empty() || names_with_figures(doc.cell_text(c)))
        .count();
    let figures = &cells[labels..];
    let numeric_cols: Vec<usize> = (0..width)
        .filter(|&i| numeric_header(doc.cell_text(&header[i])))
        .collect();
    (cells.len() < width
        && !figures.is_empty()
        && figures
            .iter()
            .all(|c| !c.nums.is_empty() && !names_with_figures(doc.cell_text(c)))
        && figures.len() <= numeric_cols.len()
        && numeric_cols[numeric_cols.len() - figures.len()] >= labels)
        .then(|| {
            let mut out: Vec<Option<&Cell>> = vec![None; width];
            for (i, c) in cells[..labels].iter().enumerate() {
                out[i] = Some(c);
            }
            let cols = &numeric_cols[numeric_cols.len() - figures.len()..];
            for (&col, c) in cols.iter().zip(figures) {
                out[col] = Some(c);
            }
            out
        })
}

/// The cells of a data row aligned to the header's columns. A row with fewer cells has
/// either merged cells on the left (align right) or missing trailing cells (align left);
/// the alignment that puts numbers under numeric headers wins.
pub fn aligned<'c>(doc: &Doc, cells: &'c [Cell], header: &[Cell]) -> Vec<Option<&'c Cell>> {
    let width = header.len();
    let fit = |a: &[Option<&Cell>]| -> i32 {
        a.iter()
            .zip(header)
            .map(|(c, h)| match c {
                Some(c) if !c.nums.is_empty() => {
                    if numeric_header(doc.cell_text(h)) {
                        1
                    } else {
                        -1
                    }
                }
                _ => 0,
            })
            .sum()
    };
    if cells.len() >= width {
        // A header without a cell over the row labels ("　　年初预算数 …" over "年度资金总额 356.00 …")
        // lines up with the row's last cells.
        let left: Vec<Option<&Cell>> = cells.iter().take(width).map(Some).collect();
        let right: Vec<Option<&Cell>> = cells[cells.len() - width..].iter().map(Some).collect();
        let label_under_number = cells[0].nums.is_empty()
            && header
                .first()
                .is_some_and(|h| numeric_header(doc.cell_text(h)));
        // (An empty first cell, one more than the header has, is an indent: "\t其中：中央补助
        // 资金\t300.00\t300.00\t285.20\t—" lines up with the row's last cells too.)
        let indented = cells.len() == width + 1 && doc.cell_text(&cells[0]).trim().is_empty();
        if cells.len() > width
            && (label_under_number
                || fit(&right) > fit(&left)
                || indented && fit(&right) >= fit(&left))
        {
            return right;
        }
        // "总分\t\t\t\t\t\t100\t98.53" under "… 实际完成值 分值 得分 偏差原因": one empty cell
        // too many before the figures (and the trailing tab lost) puts them a column to the
        // right; without that cell they sit under 分值 and 得分.
        if cells.len() == width
            && let Some(first) = cells.iter().position(|c| !c.nums.is_empty())
            && first > 0
            && doc.cell_text(&cells[first - 1]).trim().is_empty()
        {
            let shifted: Vec<Option<&Cell>> = cells[..first - 1]
                .iter()
                .chain(&cells[first..])
                .map(Some)
                .chain([None])
                .collect();
            if fit(&shifted) > fit(&left) {
                return shifted;
            }
        }
        return left;
    }
    let by_kind = figures_by_kind(doc, cells, header);
    // Cells placed under the header cells they start beneath, unless that puts figures under
    // words ("绩效指标合计 … 90 89.00" typed short of 权重 and 得分, under 性质 and 指标值)
    // where placing them by kind does not.
    if cells.len() < width
        && let Some(placed) = by_position(doc, cells, header)
    {
        return match by_kind {
            Some(k) if fit(&k) > fit(&placed) => k,
            _ => placed,
        };
    }
    let pad = width - cells.len();
    let left: Vec<Option<&Cell>> = (0..width).map(|i| cells.get(i)).collect();
    let right: Vec<Option<&Cell>> = (0..width)
        .map(|i| if i < pad { None } else { cells.get(i - pad) })
        .collect();
    let mut best = if fit(&right) > fit(&left) {
        right
    } else {
        left
    };
    // A total row's figures are its weight and score: the last figure columns, when nothing
    // else fits better ("小计 / 40 / 39.60" under "指标名称 年初目标值 实际完成值 分值 得分").
    let total_row = cells
        .first()
        .is_some_and(|c| row_kind(doc.cell_text(c)) != RowKind::Item);
    // Figures under the weight and score columns (a total's own).
    let own = |a: &[Option<&Cell>]| -> usize {
        a.iter()
            .zip(header)
            .filter(|(c, h)| {
                c.is_some_and(|c| !c.nums.is_empty())
                    && matches!(col_of(doc.cell_text(h)), Col::Weight | Col::Score)
            })
            .count()
    };
    if let Some(k) = by_kind
        && (fit(&k) > fit(&best) || total_row && fit(&k) == fit(&best) && own(&k) > own(&best))
    {
        best = k;
    }
    best
}

/// Cells of a row aligned with spaces, placed under the header cells they start beneath
/// (blank merged cells on the left or in the middle, as in "　　　　立项程序规范性  规范  4  3"
/// under "一级指标  二级指标  三级指标 …"). Writers align Chinese text either by display width
/// (a Chinese character two columns wide) or by character count; the reading under which
/// more cells start exactly beneath a header cell is taken. `None` when the lines are not
/// space-aligned or the cells do not fall under the header's columns one by one.
fn by_position<'c>(doc: &Doc, cells: &'c [Cell], header: &[Cell]) -> Option<Vec<Option<&'c Cell>>> {
    let spaced = |c: &Cell| {
        let l = &doc.lines[c.line];
        !l.contains(['\t', '|', '｜'])
    };
    if !cells.first().is_some_and(spaced) || !header.first().is_some_and(spaced) {
        return None;
    }
    if header.iter().any(|h| h.line != header[0].line)
        || cells.iter().any(|c| c.line != cells[0].line)
    {
        return None;
    }
    let mut best: Option<(usize, Vec<Option<&'c Cell>>)> = None;
    for wide in [true, false] {
        let col = |c: &Cell| -> usize {
            doc.lines[c.line][..c.start]
                .chars()
                .map(|ch| if wide && !ch.is_ascii() { 2 } else { 1 })
                .sum()
        };
        let starts: Vec<usize> = header.iter().map(col).collect();
        let mut out: Vec<Option<&'c Cell>> = vec![None; header.len()];
        let mut exact = 0;
        let mut prev: Option<usize> = None;
        let mut fits = true;
        for c in cells {
            let x = col(c);
            // A row label may start left of the header's first cell ("总分" flush left
            // under an indented header).
            let first_label = prev.is_none() && c.nums.is_empty();
            let Some(j) = starts
                .iter()
                .rposition(|&h| h <= x + 1)
                .or(first_label.then_some(0))
            else {
                fits = false;
                break;
            };
            if prev.is_some_and(|p| p >= j) {
                fits = false;
                break;
            }
            if starts[j].abs_diff(x) <= 1 {
                exact += 1;
            }
            out[j] = Some(c);
            prev = Some(j);
        }
        if fits && best.as_ref().is_none_or(|(e, _)| exact > *e) {
            best = Some((exact, out));
        }
    }
    // Most cells must start right under a header cell: otherwise the row is not laid out
    // on the header's grid.
    best.filter(|(exact, _)| exact * 2 > cells.len())
        .map(|(_, out)| out)
}

/// The score tables of a document (use `Doc::score_tables`, which caches them).
pub fn find_score_tables(doc: &Doc) -> Vec<Vec<ScoreRow>> {
    let mut out = Vec::new();
    for t in &doc.tables {
        if let Some(rows) = score_rows(doc, t) {
            out.push(rows);
        }
    }
    out.sort_by_key(|rows| rows.first().map_or(0, |r| r.line));
    out
}

fn score_rows(doc: &Doc, t: &Table) -> Option<Vec<ScoreRow>> {
    if !t.header {
        return None;
    }
    let header = &t.rows[0];
    let cols: Vec<Col> = header
        .cells
        .iter()
        .map(|c| col_of(doc.cell_text(c)))
        .collect();
    // "得分（20×执行率）" over a single row: the full mark is written in the header.
    // Or in the heading just above ("一、预算执行情况（20分）" over "预算数 执行数 执行率 得分").
    let heading_weight = || {
        let l = header.cells.first()?.line.checked_sub(1)?;
        let nums = doc.nums_of(l);
        (nums.len() == 1 && nums[0].unit == "分" && doc.lines[l].contains(['（', '(']))
            .then(|| doc.line_nums[l].start)
    };
    let header_weight = cols
        .iter()
        .position(|c| *c == Col::Score)
        .and_then(|i| {
            header.cells[i]
                .nums
                .first()
                .copied()
                .or_else(heading_weight)
        })
        .filter(|_| t.rows.len() == 2);
    // A 得分 column alone makes a score table when rows add it up (小计, 合计, 总分).
    let summed = t.rows[1..].iter().any(|r| {
        r.cells.first().is_some_and(|c| {
            row_kind(doc.cell_text(c)) != RowKind::Item && !c.nums.is_empty() || {
                let text = doc.cell_text(c);
                row_kind(text) != RowKind::Item && r.cells.iter().any(|x| !x.nums.is_empty())
            }
        })
    });
    if !cols.contains(&Col::Score)
        || !(cols.contains(&Col::Weight)
            || cols.contains(&Col::Rate)
            || cols.contains(&Col::Deduction)
            || header_weight.is_some()
            || summed)
    {
        return None;
    }
    let label_cols = header
        .cells
        .iter()
        .take_while(|h| !numeric_header(doc.cell_text(h)))
        .count();
    let mut rows = Vec::new();
    // The group a 小计 closes: the first cell of the latest row that has one (the group's
    // first row names it; merged cells below are empty).
    let mut group = String::new();
    for r in &t.rows[1..] {
        let cells = aligned(doc, &r.cells, &header.cells);
        let first = r.cells.first().map_or("", |c| doc.cell_text(c));
        let label_cell = r
            .cells
            .iter()
            .find(|c| c.nums.is_empty() && !doc.cell_text(c).is_empty());
        // Label cells: words, and names with a figure inside them ("65岁及以上老年人健康管理
        // 人数"); not a dash standing for an empty reason cell.
        // (Only before the row's first figure: a reason cell after the scores is no label.)
        let named = |c: &Cell| names_with_figures(doc.cell_text(c));
        let first_figure = r
            .cells
            .iter()
            .position(|c| !c.nums.is_empty() && !named(c))
            .unwrap_or(r.cells.len());
        let label: String = r
            .cells
            .iter()
            .enumerate()
            .filter(|&(i, c)| c.nums.is_empty() || i < first_figure && named(c))
            .map(|(_, c)| c)
            .map(|c| doc.cell_text(c))
            .filter(|s| s.chars().any(char::is_alphanumeric))
            .collect::<Vec<_>>()
            .join(" ");
        // With two weight columns ("一级指标 分值 二级指标 分值 得分"), a row's own weight is
        // the one nearest before its score.
        let score_col = cols.iter().position(|c| *c == Col::Score);
        let pick = |want: Col| -> Option<usize> {
            let col = if want == Col::Weight {
                score_col
                    .and_then(|sc| cols[..sc].iter().rposition(|c| *c == Col::Weight))
                    .or_else(|| cols.iter().position(|c| *c == want))
            } else {
                cols.iter().position(|c| *c == want)
            };
            col.and_then(|i| cells[i])
                .and_then(|c| c.nums.first().copied())
                // A weight, score or deduction is a bare number or points; "47处" under a
                // score column is text that strayed there (a merged cell of another block).
                .filter(|&n| {
                    let u = doc.nums[n].unit;
                    want == Col::Rate && u == "%" || u.is_empty() || u == "分"
                })
        };
        let kind = row_kind(&label);
        let mut opens_group = false;
        // Only a table with more than one label column before its figures (一级指标 二级指标
        // 三级指标) has groups: where the first column is the only label, every row is its own
        // indicator.
        // (A row with fewer label cells than the header has label columns left its first ones
        // empty, merged with the rows above: "　　　　　绩效目标　　5　　 4.5" stays in 决策.)
        // (Or a row whose line opens with blanks, the first column left empty.)
        let row_labels = r.cells.iter().take_while(|c| c.nums.is_empty()).count();
        let blank_first = r
            .cells
            .first()
            .is_some_and(|c| doc.lines[c.line].starts_with([' ', '\u{3000}', '\t']) && c.start > 0);
        let continues =
            kind == RowKind::Item && label_cols >= 2 && (row_labels < label_cols || blank_first);
        if !continues && !first.is_empty() && r.cells.first().is_some_and(|c| c.nums.is_empty()) {
            opens_group = !group.is_empty() && group != first && label_cols >= 2;
            group = first.to_owned();
        }
        let label = if kind == RowKind::Subtotal && first.is_empty() && !group.is_empty() {
            format!("{group} {label}")
        } else {
            label
        };
        let row = ScoreRow {
            kind,
            opens_group,
            line: label_cell.map_or(r.cells[0].line, |c| c.line),
            label,
            weight: pick(Col::Weight).or(header_weight),
            score: pick(Col::Score),
            deduction: pick(Col::Deduction),
            rate: pick(Col::Rate),
            group: group.clone(),
        };
        if row.score.is_some() || row.weight.is_some() {
            rows.push(row);
        }
    }
    (!rows.is_empty()).then_some(rows)
}

fn v(doc: &Doc, n: usize) -> Dec {
    doc.nums[n].value
}

fn w(doc: &Doc, n: usize) -> String {
    doc.written(n).trim().to_owned()
}

fn line(doc: &Doc, n: usize) -> usize {
    doc.nums[n].line
}

/// 扣分 and 得分率 of each row.
pub fn check_rows(doc: &Doc, acc: &mut Vec<Finding>) {
    let tol = Dec::new(1, 2).unwrap_or(Dec::ZERO);
    for rows in doc.score_tables() {
        for r in rows {
            if let (Some(wi), Some(si), Some(di)) = (r.weight, r.score, r.deduction)
                && !close(sub(v(doc, wi), v(doc, si)), v(doc, di), tol)
            {
                acc.push(finding(
                    "score-deduction",
                    Severity::Error,
                    format!(
                        "“{}”权重 {}、得分 {}，扣分应为 {}，表中写作 {}",
                        r.label,
                        w(doc, wi),
                        w(doc, si),
                        crate::util::with_decimals(
                            sub(v(doc, wi), v(doc, si)),
                            doc.nums[di].decimals
                        ),
                        w(doc, di)
                    ),
                    [line(doc, wi), line(doc, si), line(doc, di)],
                    vec![w(doc, wi), w(doc, si), w(doc, di)],
                ));
            }
            if let (Some(wi), Some(si), Some(ri)) = (r.weight, r.score, r.rate)
                && let Some(exact) = v(doc, si).ratio(v(doc, wi))
            {
                let rate = &doc.nums[ri];
                let pct = jixiao_core::num::Ratio::new(exact.num() * 100, exact.den());
                if rate.unit == "%"
                    && !rounds_to(pct, rate.value, rate.decimals.max(2))
                    && !rounds_to(pct, rate.value, rate.decimals)
                {
                    acc.push(finding(
                        "score-rate",
                        Severity::Error,
                        format!(
                            "“{}”得分 {} ÷ 权重 {} = {}%，表中得分率写作 {}",
                            r.label,
                            w(doc, si),
                            w(doc, wi),
                            exact.percent(2),
                            w(doc, ri)
                        ),
                        [line(doc, wi), line(doc, si), line(doc, ri)],
                        vec![w(doc, wi), w(doc, si), w(doc, ri)],
                    ));
                }
            }
        }
    }
}

/// Totals and subtotals of score tables.
pub fn check_totals(doc: &Doc, acc: &mut Vec<Finding>) {
    let tables = doc.score_tables();
    // Item scores of tables without a total of their own (the 预算执行率 row of a
    // self-evaluation form sits in the budget table, its total in the indicator table).
    let mut carried: Vec<&ScoreRow> = Vec::new();
    for rows in tables {
        check_coded_levels(doc, rows, acc);
        let mut since_total: Vec<&ScoreRow> = Vec::new();
        let mut since_sub: Vec<&ScoreRow> = Vec::new();
        let mut subs: Vec<&ScoreRow> = Vec::new();
        let mut covered: Vec<&ScoreRow> = Vec::new();
        // Totals already closed in this table: "绩效指标合计 90 89.00 / 预算执行情况 10 9.42 /
        // 总分 100 98.62" adds the first total to the rows after it.
        let mut closed: Vec<&ScoreRow> = Vec::new();
        let has_total = rows.iter().any(|r| r.kind == RowKind::Total);
        for r in rows {
            match r.kind {
                RowKind::Item => {
                    // A new group begins: what came before it is not under the next 小计.
                    if r.opens_group {
                        covered.append(&mut since_sub);
                    }
                    since_total.push(r);
                    since_sub.push(r);
                }
                RowKind::Subtotal => {
                    // The first 小计 after groups that none closed (产出指标 … 效益指标 …
                    // 满意度指标, then one 小计) closes them all.
                    if subs.is_empty() && !covered.is_empty() {
                        let mut all = covered.clone();
                        all.extend(since_sub.iter().copied());
                        check_sum(doc, r, &all, acc, "小计");
                    } else {
                        check_sum(doc, r, &since_sub, acc, "小计");
                    }
                    covered.append(&mut since_sub);
                    subs.push(r);
                }
                RowKind::Total => {
                    let uncovered: Vec<&ScoreRow> = since_sub.clone();
                    let mut alt: Vec<&ScoreRow> = subs.clone();
                    alt.extend(uncovered.iter().copied());
                    let mut with_carried = since_total.clone();
                    with_carried.extend(carried.iter().copied());
                    let mut alt_carried = alt.clone();
                    alt_carried.extend(carried.iter().copied());
                    let mut after_closed = closed.clone();
                    after_closed.extend(since_total.iter().copied());
                    let mut candidates: Vec<&[&ScoreRow]> =
                        vec![&since_total, &alt, &with_carried, &alt_carried];
                    if !closed.is_empty() && !since_total.is_empty() {
                        candidates.push(&after_closed);
                    }
                    check_total(doc, r, &candidates, acc);
                    closed.push(r);
                    since_total.clear();
                    since_sub.clear();
                    subs.clear();
                    covered.clear();
                }
            }
        }
        if has_total {
            carried.clear();
        } else {
            carried.extend(
                rows.iter()
                    .filter(|r| r.kind == RowKind::Item && r.score.is_some()),
            );
        }
    }
}

/// The code a row's label begins with ("C项目绩效" → C, "其中：C1产出" → C1), when it has one.
fn row_code(label: &str) -> Option<&str> {
    let t = label
        .trim_start()
        .trim_start_matches("其中")
        .trim_start_matches(['：', ':', ' ', '\u{3000}']);
    t.chars().next().filter(char::is_ascii_uppercase)?;
    let digits = t[1..].chars().take_while(char::is_ascii_digit).count();
    let code = &t[..1 + digits];
    // The code is followed by the name, not by more letters or a dash (an id such as AB-2).
    t[code.len()..]
        .chars()
        .next()
        .is_some_and(crate::util::is_cjk)
        .then_some(code)
}

/// Rows coded as a tree ("C项目绩效 60 51.90" over "C1产出", "C2效益", "C3满意度"): a level's
/// weight and score are the sums of its children's, the rows coded one digit longer that
/// follow it.
pub fn check_coded_levels(doc: &Doc, rows: &[ScoreRow], acc: &mut Vec<Finding>) {
    let codes: Vec<Option<&str>> = rows.iter().map(|r| row_code(&r.label)).collect();
    for (i, parent) in rows.iter().enumerate() {
        let Some(pc) = codes[i] else { continue };
        let children: Vec<&ScoreRow> = rows[i + 1..]
            .iter()
            .zip(&codes[i + 1..])
            .take_while(|(_, c)| c.is_none_or(|c| c.starts_with(pc)))
            .filter(|(_, c)| c.is_some_and(|c| c.len() == pc.len() + 1))
            .map(|(r, _)| r)
            .collect();
        if children.len() < 2 {
            continue;
        }
        let names: Vec<&str> = children.iter().filter_map(|r| row_code(&r.label)).collect();
        check_parts(
            doc,
            parent,
            &children,
            acc,
            "",
            &format!("其下各项（{}）", names.join("、")),
        );
    }
}

/// A subtotal against the items above it.
fn check_sum(doc: &Doc, total: &ScoreRow, items: &[&ScoreRow], acc: &mut Vec<Finding>, what: &str) {
    check_parts(doc, total, items, acc, what, "上面各项");
}

/// A total (`what` names its kind: 小计 …) against its parts (`parts` says where they are:
/// 上面各项, 其下各项（C1、C2）), scores and weights both, kept only if understood.
fn check_parts(
    doc: &Doc,
    total: &ScoreRow,
    items: &[&ScoreRow],
    acc: &mut Vec<Finding>,
    what: &str,
    parts: &str,
) {
    let mut found = Vec::new();
    check_sum_fields(doc, total, items, &mut found, what, parts);
    keep_if_understood(found, acc);
}

fn check_sum_fields(
    doc: &Doc,
    total: &ScoreRow,
    items: &[&ScoreRow],
    acc: &mut Vec<Finding>,
    what: &str,
    parts: &str,
) {
    if items.len() < 2 {
        return;
    }
    // Scores, and the weights too ("小计 20" over 5 + 10 + 6).
    for (field, get) in [
        (
            "得分",
            (|r: &ScoreRow| r.score) as fn(&ScoreRow) -> Option<usize>,
        ),
        ("分值", |r: &ScoreRow| r.weight),
    ] {
        let Some(ti) = get(total) else { continue };
        if !items.iter().all(|r| get(r).is_some()) {
            continue;
        }
        let s = sum(items.iter().filter_map(|r| get(r)).map(|n| v(doc, n)));
        if close(s, v(doc, ti), Dec::new(1, 2).unwrap_or(Dec::ZERO)) {
            continue;
        }
        // Parts far from their total (6 under a 小计 of 15) were not read as the table has
        // them (merged cells flattened one per line): a typed error moves a figure a little.
        let (sr, tr) = (s.to_ratio(), v(doc, ti).to_ratio());
        let far = |k: i128| tr.checked_mul(jixiao_core::num::Ratio::new(k, 10));
        if far(6).is_some_and(|lo| sr < lo) || far(14).is_some_and(|hi| sr > hi) {
            continue;
        }
        acc.push(unbalanced(
            doc,
            items,
            get,
            ti,
            format!(
                "{what}“{}”的{field}写作 {}，但{parts}{field}相加为 {}",
                total.label,
                w(doc, ti),
                crate::util::with_decimals(s, doc.nums[ti].decimals)
            ),
        ));
    }
}

/// A total that its parts do not add up to: cites every part and the total, as written.
fn unbalanced(
    doc: &Doc,
    parts: &[&ScoreRow],
    get: fn(&ScoreRow) -> Option<usize>,
    total: usize,
    message: String,
) -> Finding {
    let nums: Vec<usize> = parts.iter().filter_map(|r| get(r)).chain([total]).collect();
    finding(
        "score-total",
        Severity::Error,
        message,
        nums.iter().map(|&n| line(doc, n)),
        nums.iter().map(|&n| w(doc, n)).collect(),
    )
}

/// Keeps a total's findings unless both its weights and its scores fail to add up: a
/// planted or typed error changes one of them, while both failing together means the rows
/// or columns were not understood (an unfamiliar layout), and saying nothing is better than
/// a false error.
fn keep_if_understood(found: Vec<Finding>, acc: &mut Vec<Finding>) {
    let scores = found.iter().any(|f| f.message.contains("得分写作"));
    let weights = found
        .iter()
        .any(|f| f.message.contains("权重写作") || f.message.contains("分值写作"));
    if !(scores && weights) {
        acc.extend(found);
    }
}

/// A total against every plausible set of parts; an error only when none adds up.
fn check_total(doc: &Doc, total: &ScoreRow, candidates: &[&[&ScoreRow]], acc: &mut Vec<Finding>) {
    let mut found = Vec::new();
    check_total_fields(doc, total, candidates, &mut found);
    keep_if_understood(found, acc);
}

fn check_total_fields(
    doc: &Doc,
    total: &ScoreRow,
    candidates: &[&[&ScoreRow]],
    acc: &mut Vec<Finding>,
) {
    let tol = Dec::new(1, 2).unwrap_or(Dec::ZERO);
    for (field, get) in [
        (
            "得分",
            (|r: &ScoreRow| r.score) as fn(&ScoreRow) -> Option<usize>,
        ),
        ("权重", |r: &ScoreRow| r.weight),
    ] {
        let Some(ti) = get(total) else { continue };
        let usable: Vec<&[&ScoreRow]> = candidates
            .iter()
            .copied()
            .filter(|c| c.len() >= 2 && c.iter().all(|r| get(r).is_some()))
            .collect();
        if usable.is_empty() {
            continue;
        }
        let sums: Vec<Dec> = usable
            .iter()
            .map(|c| sum(c.iter().filter_map(|r| get(r)).map(|n| v(doc, n))))
            .collect();
        if sums.iter().any(|s| close(*s, v(doc, ti), tol)) {
            continue;
        }
        // Several levels of one hierarchy in one table add up to a multiple of the total.
        let t = v(doc, ti);
        if sums.iter().any(|s| {
            (2..=4).any(|k| {
                close(
                    *s,
                    Dec::from_int(k)
                        .and_then(|k| mul(t, k))
                        .unwrap_or(Dec::ZERO),
                    tol,
                )
            })
        }) {
            continue;
        }
        // A set with rows whose value is not in the table (the 预算执行率 row's weight is in
        // its heading) cannot be checked: say nothing rather than something wrong.
        if candidates
            .iter()
            .any(|c| c.len() >= 2 && !c.iter().all(|r| get(r).is_some()))
        {
            continue;
        }
        // Report against the set that comes closest (subtotals when there are any).
        let best = usable
            .iter()
            .zip(&sums)
            .min_by_key(|(c, s)| {
                let d = sub(**s, t);
                let off = if d.is_negative() { sub(t, **s) } else { d };
                (off, c.len())
            })
            .map(|(c, _)| *c)
            .unwrap_or(&[]);
        let s = sum(best.iter().filter_map(|r| get(r)).map(|n| v(doc, n)));
        // A total with no weight of its own to show the rows were read whole: a gap of more
        // than a tenth of it is a part of the score kept elsewhere (the 预算执行 line of
        // another table), not a slip.
        if total.weight.is_none() && !crate::util::within_tenth(s, t) {
            continue;
        }
        acc.push(unbalanced(
            doc,
            best,
            get,
            ti,
            format!(
                "“{}”的{field}写作 {}，但各项{field}相加为 {}",
                total.label,
                w(doc, ti),
                crate::util::with_decimals(s, doc.nums[ti].decimals)
            ),
        ));
    }
}

fn mul(a: Dec, k: Dec) -> Option<Dec> {
    Dec::new(
        a.mantissa().checked_mul(k.mantissa())?,
        a.scale() + k.scale(),
    )
}
