//! Scores written in the prose: level headings ("项目管理（满分20分，评价得分19.9分）"),
//! component lists ("其中预算执行得分6.01分，绩效指标得分64.28分") and totals
//! ("最终自评得分95.8分"), compared with each other and with the score tables.

use std::collections::HashSet;

use jixiao_core::num::Dec;

use super::scores::{RowKind, ScoreRow};
use crate::doc::Doc;
use crate::util::{close, finding, sum};
use crate::{Finding, Severity};

/// A score found in the prose.
#[derive(Clone, Debug)]
pub struct ProseScore {
    /// Line.
    pub line: usize,
    /// What is scored (normalised label), empty for a bare total.
    pub label: String,
    /// `满分` weight, when written.
    pub weight: Option<usize>,
    /// The score (index into `Doc::nums`).
    pub score: usize,
    /// A total (自评得分, 总分 …).
    pub total: bool,
}

/// Numbers that belong to score tables (handled there, not as prose).
fn table_nums(tables: &[Vec<ScoreRow>]) -> HashSet<usize> {
    tables
        .iter()
        .flatten()
        .flat_map(|r| [r.weight, r.score, r.deduction, r.rate])
        .flatten()
        .collect()
}

const TOTAL_WORDS: &[&str] = &[
    "自评得分",
    "总分",
    "综合得分",
    "最终得分",
    "评价得分为",
    "合计得分",
    "总得分",
    "自评总分",
    "最终自评",
    "综合评分",
    "本项目得分",
    "项目得分",
    "自评分",
];

/// Strips numbering, brackets and filler from a label so that text and table labels compare.
pub fn norm_label(s: &str) -> String {
    // An outline number in brackets: （二） (3).
    let s = s.trim_start();
    let s = s
        .strip_prefix(['（', '('])
        .and_then(|r| {
            let close = r.find(['）', ')'])?;
            let width = r[close..].chars().next()?.len_utf8();
            r[..close]
                .chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
                .then(|| &r[close + width..])
        })
        .unwrap_or(s);
    let mut t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !"（）()【】[]：:、，。“”\"'".contains(*c))
        .collect();
    // Leading outline numbers and letters: 1. （一） 一、 A B C.
    loop {
        let before = t.len();
        t = t
            .trim_start_matches(|c: char| {
                c.is_ascii_digit() || c == '.' || c == '．' || c.is_ascii_uppercase()
            })
            .to_owned();
        for p in ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"] {
            if t.starts_with(p) && t[p.len()..].starts_with(['、', '是']) {
                t = t[p.len() + 3..].to_owned();
            }
        }
        for p in [
            "其中",
            "本项目",
            "项目的",
            "经评价",
            "经综合评价",
            "综上",
            "通过",
        ] {
            if let Some(r) = t.strip_prefix(p) {
                t = r.to_owned();
            }
        }
        if t.len() == before {
            break;
        }
    }
    for suffix in [
        "评价得分",
        "得分",
        "满分",
        "的",
        "方面",
        "部分",
        "共计",
        "合计",
        "小计",
        "为",
    ] {
        if let Some(r) = t.strip_suffix(suffix) {
            t = r.to_owned();
        }
    }
    t
}

/// Scores in the prose (use `Doc::prose_scores`, which caches them).
pub fn find_prose_scores(doc: &Doc) -> Vec<ProseScore> {
    let skip = table_nums(doc.score_tables());
    let mut out: Vec<ProseScore> = Vec::new();
    for line in 0..doc.lines.len() {
        let range = doc.line_nums[line].clone();
        let mut pending_weight: Option<usize> = None;
        for n in range {
            let m = &doc.nums[n];
            // (A sum's result, "…＋…＝88.86分", is a score though written after ＝.)
            let sum_result = !m.paren
                && m.cmp == Some(crate::scan::Cmp::Equal)
                && doc.lines[line][..m.start].contains(['＋', '+'])
                && doc.lines[line][m.start..m.end].starts_with(['＝', '=']);
            if m.unit != "分" || skip.contains(&n) || m.cmp.is_some() && !sum_result {
                continue;
            }
            let before = &doc.lines[line][..m.start];
            let tail = crate::util::last_chars(before, 6).trim_end();
            let after = &doc.lines[line][m.end..];
            // "（二）过程指标（20分，得18.5分）": the full mark in brackets before the score.
            // "过程（20分）：得分16.5分": the full mark alone in brackets after the name and the
            // score right after it (not a criterion: "合理性（4分）：…的，得4分").
            let bracketed = (tail.ends_with('（') || tail.ends_with('('))
                && (after.starts_with('，')
                    || after.starts_with(',')
                    || after.starts_with('、')
                    || [
                        "）：得",
                        "）:得",
                        "):得",
                        "），得",
                        "）：自评得",
                        "），自评得",
                    ]
                    .iter()
                    .any(|w| after.starts_with(w))
                    || level_heading_mark(doc, line, n));
            // "产出指标得分49.81分（满分50分），效益指标得分30分…": a full mark in brackets
            // right after a score is that score's, not the next one's.
            if tail.ends_with("满分")
                && let Some(prev) = out.last_mut()
                && prev.line == line
                && prev.weight.is_none()
                && {
                    let between = &doc.lines[line][doc.nums[prev.score].end..m.start];
                    let between = between
                        .trim_end_matches("满分")
                        .trim_end_matches([':', '：']);
                    between == "（" || between == "("
                }
            {
                prev.weight = Some(n);
                continue;
            }
            if tail.ends_with("满分")
                || tail.ends_with("分值")
                || tail.ends_with("权重")
                || bracketed
            {
                pending_weight = Some(n);
                continue;
            }
            if [
                "（含）以上",
                "(含)以上",
                "以上",
                "及以上",
                "以下",
                "至",
                "（含）至",
                "-",
                "～",
            ]
            .iter()
            .any(|w| after.starts_with(w))
            {
                continue; // a band or a range, not a score
            }
            // "…加绩效指标得分80.37分，合计87.83分": a sum of the scores before it.
            // (Only after scores: "分值分别为15分、20分…，合计100分" adds full marks.)
            let summed = (tail.ends_with("合计") || tail.ends_with("共计")) && {
                let (ss, _) = crate::util::sentence(doc, line, m.start, m.end);
                let head = &doc.lines[line][ss..m.start];
                head.contains("得分") && !head.contains("分值") && !head.contains("满分")
            } || sum_result && {
                // "预算执行情况15.02分＋产出指标38.40分＋…＝88.86分".
                let (ss, _) = crate::util::sentence(doc, line, m.start, m.end);
                let head = &doc.lines[line][ss..m.start];
                head.contains(['＋', '+']) && !head.contains("满分")
            };
            // (The terms of "A 15.02分＋B 38.40分＋C 35.44分＝88.86分" are scores too.)
            // (Not a label's note in brackets: "总分（预算执行20分＋指标80分）".)
            let term = after.starts_with(['＋', '+', '＝', '='])
                && doc.lines[line].contains(['＋', '+'])
                && !m.paren;
            let scored = tail.ends_with("得分")
                || summed
                || term
                || sum_result
                || tail.ends_with("总分")
                || tail.ends_with("得")
                || tail.ends_with("为")
                || tail.ends_with("评分");
            if !scored || tail.ends_with("扣") || tail.ends_with("扣除") {
                continue;
            }
            // "预算执行率95%（含）以上得8分，90%（含）至95%得7.5分": the marks a rule gives, not
            // a score.
            let criterion = crate::util::clause_before(doc, line, m.start);
            if tail.ends_with('得')
                && [
                    "以上",
                    "以下",
                    "（含）",
                    "(含)",
                    "至",
                    "每低",
                    "每少",
                    "每高",
                    "达到",
                ]
                .iter()
                .any(|w| criterion.contains(w))
                && criterion.contains(['%', '％'])
            {
                continue;
            }
            // "一级指标为项目决策20分、…，总分100分": the full mark of the system, not a score.
            if tail.ends_with("总分")
                && m.value == Dec::from_int(100).unwrap_or(Dec::ZERO)
                && !crate::util::clause_before(doc, line, m.start).contains('得')
            {
                continue;
            }
            let clause = crate::util::clause_before(doc, line, m.start);
            let mut total = TOTAL_WORDS.iter().any(|w| clause.contains(w))
                || (clause.contains("自评") && clause.contains("得分"))
                || summed;
            // "自评得分为预算执行得分7.46分加绩效指标得分80.37分": after the total's words, a
            // score of its own names a component.
            if total
                && !summed
                && let Some(at) = TOTAL_WORDS
                    .iter()
                    .chain(&["自评"])
                    .filter_map(|w| clause.rfind(w).map(|i| i + w.len()))
                    .max()
                && clause[at..].contains("得分")
            {
                total = false;
            }
            // The label: the heading text before "（满分", or the clause before "得分".
            let label = if let Some(wn) = pending_weight {
                // "项目管理（满分" and "（二）产出指标：满分": the words before the full mark.
                let head = doc.lines[line][..doc.nums[wn].start]
                    .trim_end()
                    .trim_end_matches(['：', ':', ' '])
                    .trim_end_matches("满分")
                    .trim_end_matches("分值")
                    .trim_end_matches("权重")
                    .trim_end_matches(['：', ':', '（', '(', ' ', '，']);
                let head = head.rsplit(['。', '；', '，']).next().unwrap_or(head);
                norm_label(head)
            } else {
                norm_label(&clause)
            };
            // "本项目2023年度得分98.48分": the year's score is the total, not a level's.
            let (label, total) =
                if ["年度", "本年度", "全年", "当年", "本年"].contains(&label.as_str()) {
                    (String::new(), true)
                } else {
                    (label, total)
                };
            let mut total = total;
            // "（二）产出指标：满分50分，自评得分47.5分" scores a level, whatever the words.
            if total
                && pending_weight.is_some()
                && !label.is_empty()
                && !label.contains("项目")
                && !tail.ends_with("总分")
            {
                total = false;
            }
            // Another year's or another project's score ("2018年度同类项目自评得分为86.2分")
            // is no total of this report.
            let sentence_text = {
                let (ss, se) = crate::util::sentence(doc, line, m.start, m.end);
                &doc.lines[line][ss..se]
            };
            if total
                && (["上年", "去年", "同类项目", "上一年度"]
                    .iter()
                    .any(|w| sentence_text.contains(w))
                    || doc.year.is_some_and(|fy| {
                        doc.dates.iter().any(|d| {
                            d.line == line && d.year.is_some_and(|y| y < fy) && d.start < m.start
                        })
                    }))
            {
                continue;
            }
            // "总分97.80分" is the total, whatever full mark was written before it (the one in
            // "绩效指标得分88分（满分90分），总分97.80分" belongs to the level before).
            if tail.ends_with("总分") {
                total = true;
                pending_weight = None;
            }
            out.push(ProseScore {
                line,
                label: if total { String::new() } else { label },
                weight: pending_weight.take(),
                score: n,
                total,
            });
        }
    }
    out
}

/// "3.产出（40分）：护林员、扑火队…落实到位，部分工作量统计依据不够完整，得37.00分。": a
/// numbered level with its full mark in brackets, its reasons, and one score given at the
/// end (not a criterion: "合理性（4分）：目标明确的，得4分；部分明确的，得2分").
fn level_heading_mark(doc: &Doc, line: usize, n: usize) -> bool {
    let text = &doc.lines[line];
    let m = &doc.nums[n];
    let range = doc.line_nums[line].clone();
    let Some(head) = text[..m.start].trim_end().strip_suffix(['（', '(']) else {
        return false;
    };
    if crate::context::heading_level(head.trim_start()).is_none()
        || !text[m.end..].starts_with(['）', ')'])
        || !text[m.end..]
            .trim_start_matches(['）', ')'])
            .starts_with(['：', ':'])
    {
        return false;
    }
    let later: Vec<usize> = range
        .filter(|&k| k > n && doc.nums[k].unit == "分")
        .collect();
    let [score] = later.as_slice() else {
        return false;
    };
    // ("…，得分9.0分" as well: "（四）满意度指标（10分）：家长满意度94.12%，…，得分9.0分".)
    let before = text[..doc.nums[*score].start].trim_end();
    let before = before.strip_suffix('分').unwrap_or(before);
    before.ends_with('得') && !before.ends_with("的，得") && !before.ends_with("的得")
}

/// A line that states grade bands ("90分以上为优，80分至90分为良…").
pub fn is_band_statement(doc: &Doc, line: usize) -> bool {
    let text = &doc.lines[line];
    let grades = [
        "为优",
        "为良",
        "为中",
        "为差",
        "优（",
        "良（",
        "中（",
        "差（",
        "优(",
        "良(",
        "为合格",
        "为不合格",
    ]
    .iter()
    .filter(|g| text.contains(*g))
    .count();
    grades >= 3
}

fn w(doc: &Doc, n: usize) -> String {
    doc.written(n).trim().to_owned()
}

fn val(doc: &Doc, n: usize) -> Dec {
    doc.nums[n].value
}

/// The label a prose score is matched against: a row's own last label cell, normalised.
fn row_label(row: &ScoreRow) -> String {
    // A detail row under a group ("产出指标 | 时效指标 | 火情扑灭率 | … | 10") is named by its
    // last label cell; the first ones are the group it sits in, whose score is not this row's.
    let own = match row.label.rsplit_once(' ') {
        Some((_, last))
            if row.kind != RowKind::Subtotal
                && last.chars().filter(|c| crate::util::is_cjk(*c)).count() >= 2 =>
        {
            last
        }
        _ => row.label.as_str(),
    };
    norm_label(&own.replace("小计", "").replace("合计", ""))
}

/// "社会效益指标" is a part of the level "效益指标", not that level: a qualifier in front of
/// the level's name names a sub-level.
fn sub_level_of(label: &str, level: &str) -> bool {
    label.find(level).is_some_and(|i| {
        let pre = &label[..i];
        [
            "社会",
            "经济",
            "生态",
            "可持续",
            "数量",
            "质量",
            "时效",
            "成本",
            "服务对象",
        ]
        .iter()
        .any(|q| pre.ends_with(q))
    })
}

/// Whether a prose label names a table row (whose label `r` is [`row_label`]'s).
fn matches_row(label: &str, r: &str) -> bool {
    let cjk = |s: &str| s.chars().filter(|c| crate::util::is_cjk(*c)).count();
    let (a, b) = (cjk(label), cjk(r));
    let (short, long) = (a.min(b), a.max(b));
    short >= 2
        && !sub_level_of(label, r)
        && (r.contains(label) || label.contains(r))
        && short * 2 >= long.saturating_sub(2)
}

/// Level scores in the text against the table, and totals against their parts.
pub fn check(doc: &Doc, acc: &mut Vec<Finding>) {
    let tables = doc.score_tables();
    let prose = doc.prose_scores();
    let tol = Dec::new(1, 2).unwrap_or(Dec::ZERO);
    rates_and_deductions(doc, prose, acc);
    // score-text-vs-table: each labelled prose score against the matching table row (the
    // rows' labels normalised once).
    let labelled: Vec<(&ScoreRow, String)> = tables
        .iter()
        .flatten()
        .filter(|r| r.kind != RowKind::Total && r.score.is_some())
        .map(|r| (r, row_label(r)))
        .collect();
    for p in prose.iter().filter(|p| !p.total) {
        let rows: Vec<&ScoreRow> = labelled
            .iter()
            .filter(|(_, l)| matches_row(&p.label, l))
            .map(|(r, _)| *r)
            .collect();
        if rows.is_empty() {
            group_against_text(doc, tables, p, acc);
            continue;
        }
        if rows.iter().any(|r| {
            r.score
                .is_some_and(|s| close(val(doc, s), val(doc, p.score), tol))
        }) {
            continue;
        }
        // Ambiguous labels (several rows) only count when all rows disagree and agree among
        // themselves.
        let first = rows[0].score.unwrap_or(0);
        if rows.iter().any(|r| {
            r.score
                .is_some_and(|s| !close(val(doc, s), val(doc, first), tol))
        }) {
            continue;
        }
        if let Some(pw) = p.weight
            && let Some(rw) = rows[0].weight
            && !close(val(doc, pw), val(doc, rw), tol)
        {
            continue; // a different level that happens to share a word
        }
        // "全省群众食品安全满意度为85.6分" against a row worth 10: a score above the row's
        // weight is the indicator's own value in points, not the marks it earned.
        if let Some(rw) = rows[0].weight
            && val(doc, p.score) > val(doc, rw)
        {
            continue;
        }
        acc.push(finding(
            "score-text-vs-table",
            Severity::Error,
            format!(
                "正文称“{}”得分 {}，得分表中为 {}，相差 {}",
                p.label,
                w(doc, p.score),
                w(doc, first),
                crate::util::gap(val(doc, p.score), val(doc, first), "分")
            ),
            [doc.nums[first].line, p.line],
            vec![w(doc, first), w(doc, p.score)],
        ));
    }
    // A table of part of the marks ("合计 90 86" over the indicators, 预算执行率 apart) says
    // nothing of the whole score.
    let hundred = Dec::from_int(100).unwrap_or(Dec::ZERO);
    // (A total without a weight is taken only when no total has the full 100: the budget
    // table's 合计 row scores the budget line alone.)
    let totals_of = |weighted: bool| -> Vec<usize> {
        tables
            .iter()
            // (Nor from a table with no weights at all: a budget table's 得分 column.)
            .filter(|rows| rows.iter().any(|r| r.weight.is_some()))
            .flatten()
            .filter(|r| r.kind == RowKind::Total)
            .filter(|r| match r.weight {
                Some(wn) => close(val(doc, wn), hundred, tol),
                None => !weighted,
            })
            .filter_map(|r| r.score)
            .collect()
    };
    let weighted = totals_of(true);
    let table_totals = if weighted.is_empty() {
        totals_of(false)
    } else {
        weighted
    };
    let totals: Vec<&ProseScore> = prose.iter().filter(|p| p.total).collect();
    // Prose totals against the table totals.
    if let Some(&tt) = table_totals.last() {
        for t in &totals {
            if !table_totals
                .iter()
                .any(|&x| close(val(doc, x), val(doc, t.score), tol))
            {
                acc.push(finding(
                    "score-total",
                    Severity::Error,
                    format!(
                        "正文总分 {} 与得分表合计 {} 不一致",
                        w(doc, t.score),
                        w(doc, tt)
                    ),
                    [doc.nums[tt].line, t.line],
                    vec![w(doc, tt), w(doc, t.score)],
                ));
            }
        }
    }
    // Components and a total in one sentence: "自评得分69.29分，其中预算执行得分6.01分，绩效指标得分64.28分".
    for t in &totals {
        // Parts in the total's sentence ("扣分情况：…少得0.24分" in the next one is none).
        let tn = &doc.nums[t.score];
        let (ts, mut te) = crate::util::sentence(doc, t.line, tn.start, tn.end);
        // "…自评得分98.15分，自评等级为“优”。其中，预算执行率得分9.51分，…": the parts may
        // follow in the next sentence, opened by 其中.
        let text = &doc.lines[t.line];
        if let Some(rest) = text.get(te..)
            && rest
                .trim_start_matches(['。', '；'])
                .trim_start()
                .starts_with("其中")
        {
            let next = te + (rest.len() - rest.trim_start_matches(['。', '；']).len());
            te = crate::util::sentence(doc, t.line, next, next).1;
        }
        let parts: Vec<&ProseScore> = prose
            .iter()
            .filter(|p| {
                let n = &doc.nums[p.score];
                p.line == t.line && !p.total && p.score != t.score && n.start >= ts && n.end <= te
            })
            .collect();
        if parts.len() < 2 {
            continue;
        }
        let s = sum(parts.iter().map(|p| val(doc, p.score)));
        if !close(s, val(doc, t.score), tol) {
            let mut values: Vec<String> = Vec::new();
            let mut all: Vec<usize> = parts.iter().map(|p| p.score).collect();
            all.push(t.score);
            all.sort_unstable();
            values.extend(all.iter().map(|&n| w(doc, n)));
            acc.push(finding(
                "score-total",
                Severity::Error,
                format!(
                    "正文所列各项得分相加为 {s}，与所称总分 {} 不一致",
                    w(doc, t.score)
                ),
                [t.line],
                values,
            ));
        }
    }
    // Level headings with their full marks across the text: when the full marks make up
    // the whole (100), their scores must add up to the stated total.
    let heads: Vec<&ProseScore> = prose
        .iter()
        .filter(|p| p.weight.is_some() && !p.total)
        .collect();
    let mut seen = HashSet::new();
    let heads: Vec<&ProseScore> = heads
        .into_iter()
        .filter(|h| seen.insert(h.label.clone()))
        .collect();
    if heads.len() >= 2 {
        let weights = sum(heads.iter().filter_map(|h| h.weight).map(|n| val(doc, n)));
        let hundred = Dec::from_int(100).unwrap_or(Dec::ZERO);
        if close(weights, hundred, tol)
            && let Some(t) = totals.first()
        {
            let s = sum(heads.iter().map(|h| val(doc, h.score)));
            if !close(s, val(doc, t.score), tol) {
                let mut lines: Vec<usize> = heads.iter().map(|h| h.line).collect();
                lines.extend(totals.iter().map(|t| t.line));
                let mut values: Vec<String> = totals.iter().map(|t| w(doc, t.score)).collect();
                values.extend(heads.iter().map(|h| w(doc, h.score)));
                acc.push(finding(
                    "score-total",
                    Severity::Error,
                    format!(
                        "正文各一级指标得分相加为 {s}，与所称总分 {} 不一致",
                        w(doc, t.score)
                    ),
                    lines,
                    values,
                ));
            }
        }
    }
}

/// A prose level score against the sum of its block in a table that names the level only
/// in the block's first row and has no 小计 ("产出指标 ⇥ 数量指标 ⇥ … ⇥ 10", then rows with
/// the first cell empty).
fn group_against_text(doc: &Doc, tables: &[Vec<ScoreRow>], p: &ProseScore, acc: &mut Vec<Finding>) {
    let tol = Dec::new(1, 2).unwrap_or(Dec::ZERO);
    let hundred = Dec::from_int(100).unwrap_or(Dec::ZERO);
    let ten = Dec::from_int(10).unwrap_or(Dec::ZERO);
    for rows in tables {
        // Only a table read whole: its rows' weights add up to its total row, to 100, or to
        // 90 beside a 预算执行率 of 10 kept elsewhere (a table split by a page or read in
        // pieces would give a part of a level).
        let weights = sum(rows
            .iter()
            .filter(|r| r.kind == RowKind::Item)
            .filter_map(|r| r.weight)
            .map(|n| val(doc, n)));
        let full = rows
            .iter()
            .find(|r| r.kind == RowKind::Total)
            .and_then(|r| r.weight)
            .map_or(hundred, |n| val(doc, n));
        if !(weights == full || weights == hundred || weights.checked_add(ten) == Some(full)) {
            continue;
        }
        let members: Vec<&ScoreRow> = rows
            .iter()
            .filter(|r| r.kind == RowKind::Item && !r.group.is_empty())
            .filter(|r| {
                let g = norm_label(&r.group);
                let cjk = |s: &str| s.chars().filter(|c| crate::util::is_cjk(*c)).count();
                cjk(&g).min(cjk(&p.label)) >= 2
                    && (g.contains(&p.label) || p.label.contains(&g))
                    && !sub_level_of(&p.label, &g)
            })
            .collect();
        if members.len() < 2 || members.iter().any(|r| r.score.is_none()) {
            continue;
        }
        // The block's rows must be one group: the same name throughout.
        if members.iter().any(|r| r.group != members[0].group) {
            continue;
        }
        let total = sum(members.iter().filter_map(|r| r.score).map(|n| val(doc, n)));
        if let Some(pw) = p.weight {
            let weights: Vec<Dec> = members
                .iter()
                .filter_map(|r| r.weight)
                .map(|n| val(doc, n))
                .collect();
            if weights.len() == members.len() && !close(sum(weights), val(doc, pw), tol) {
                continue; // not the whole level
            }
        }
        if close(total, val(doc, p.score), tol) {
            continue;
        }
        let mut lines = vec![p.line];
        lines.extend(
            members
                .iter()
                .filter_map(|r| r.score)
                .map(|n| doc.nums[n].line),
        );
        let mut values = vec![w(doc, p.score)];
        values.extend(members.iter().filter_map(|r| r.score).map(|n| w(doc, n)));
        acc.push(finding(
            "score-text-vs-table",
            Severity::Error,
            format!(
                "正文称“{}”得分 {}，得分表中该部分各项得分相加为 {total}，相差 {}",
                p.label,
                w(doc, p.score),
                crate::util::gap(val(doc, p.score), total, "分")
            ),
            lines,
            values,
        ));
    }
}

/// A level's 得分率 and 扣分 written beside its weight and score in the prose ("过程（20分）：
/// 得分16.5分，扣分3.5分，得分率85.50%"): the rate must be score ÷ weight and the deduction
/// weight − score, as in a score table.
fn rates_and_deductions(doc: &Doc, prose: &[ProseScore], acc: &mut Vec<Finding>) {
    for p in prose.iter().filter(|p| !p.total) {
        let Some(wn) = p.weight else { continue };
        let (weight, score) = (&doc.nums[wn], &doc.nums[p.score]);
        let line = &doc.lines[p.line];
        // The figures after the score, up to the end of its clause.
        let rest_end = line[score.end..]
            .find(['；', '。', ';'])
            .map_or(line.len(), |k| score.end + k);
        let (wr, sr) = (weight.value.to_ratio(), score.value.to_ratio());
        let expected = jixiao_core::num::Ratio::new(
            wr.num() * sr.den() - sr.num() * wr.den(),
            wr.den() * sr.den(),
        );
        // Deductions item by item, each after its reason ("…未支付，扣0.2分；…照片不全，扣1.6分"):
        // together they are weight − score; one of them alone is not. A total among them
        // (共扣, 合计扣) is compared alone.
        let items: Vec<usize> = doc.line_nums[p.line]
            .clone()
            .filter(|&k| {
                let n = &doc.nums[k];
                if n.start < score.end || n.unit != "分" || n.cmp.is_some() {
                    return false;
                }
                // (Not the rule quoted for it: "按“每低1个百分点扣0.5分”扣1.2分".)
                let head = &line[score.end..n.start];
                let quoted = head.matches('“').count() > head.matches('”').count();
                crate::util::last_chars(head, 2).contains('扣')
                    && !quoted
                    && !crate::util::last_chars(head, 12).contains('每')
            })
            .collect();
        let total_item = items.iter().any(|&k| {
            let before = crate::util::last_chars(&line[score.end..doc.nums[k].start], 4);
            ["共", "合计", "累计"].iter().any(|w| before.contains(w))
        });
        // Marks given part by part beside them ("资金到位率100%，得3分；…按执行率计得4.70分")
        // leave deductions unwritten: then the items may only fall short of the whole.
        let partial = doc.line_nums[p.line].clone().any(|k| {
            let n = &doc.nums[k];
            n.start >= score.end
                && n.unit == "分"
                && crate::util::last_chars(&line[score.end..n.start], 2).contains('得')
        });
        if items.len() >= 2 && !total_item {
            let sum = items
                .iter()
                .try_fold(Dec::ZERO, |a, &k| a.checked_add(doc.nums[k].value));
            if let Some(sum) = sum.filter(|s| {
                let s = s.to_ratio();
                s > expected || s < expected && !partial
            }) {
                let mut values = vec![w(doc, wn), w(doc, p.score)];
                values.extend(items.iter().map(|&k| w(doc, k)));
                acc.push(finding(
                    "score-deduction",
                    Severity::Error,
                    format!(
                        "“{}”权重 {} − 得分 {} = {}，文中各项扣分相加为 {}",
                        p.label,
                        weight.value,
                        score.value,
                        expected.round(2),
                        sum
                    ),
                    [p.line],
                    values,
                ));
            }
        }
        for (k, n) in doc.nums.iter().enumerate().filter(|(_, n)| {
            n.line == p.line && n.start >= score.end && n.end <= rest_end && n.cmp.is_none()
        }) {
            let before = &line[score.end..n.start];
            let label = before.rsplit(['，', ',']).next().unwrap_or(before);
            if n.unit == "%" && label.contains("得分率") {
                if !crate::checks::money::matches_rate(n, score.value, weight.value) {
                    let exact = score.value.ratio(weight.value);
                    acc.push(finding(
                        "score-rate",
                        Severity::Error,
                        format!(
                            "“{}”得分 {} ÷ 权重 {} = {}%，文中得分率写作 {}",
                            p.label,
                            score.value,
                            weight.value,
                            exact.map(|r| r.percent(2).to_string()).unwrap_or_default(),
                            w(doc, k)
                        ),
                        [p.line],
                        vec![w(doc, wn), w(doc, p.score), w(doc, k)],
                    ));
                }
            } else if n.unit == "分"
                && label.contains("扣")
                && items.len() < 2
                && expected != n.value.to_ratio()
                // (Other marks given part by part leave their deductions unwritten: "…扣1分；
                // 群众满意度88.0%，得4.4分".)
                && !(partial && n.value.to_ratio() < expected)
            {
                acc.push(finding(
                    "score-deduction",
                    Severity::Error,
                    format!(
                        "“{}”权重 {} − 得分 {} = {}，文中扣分写作 {}",
                        p.label,
                        weight.value,
                        score.value,
                        expected.round(2),
                        w(doc, k)
                    ),
                    [p.line],
                    vec![w(doc, wn), w(doc, p.score), w(doc, k)],
                ));
            }
        }
    }
}
