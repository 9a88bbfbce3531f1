//! What each number is about: its subject ("key"), whether it states a target or a result,
//! the table column it sits in, and the outline section around it.

use crate::checks::scores::{aligned, numeric_header};
use crate::doc::Doc;
use crate::scan::Cmp;
use crate::util::{clause_after, clause_before, is_cjk};

/// The role of a table column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColRole {
    /// 年度指标值 / 目标值.
    Target,
    /// 实际完成值.
    Actual,
    /// 分值 / 权重 / 得分 / 扣分 / 得分率.
    Score,
    /// 预算数 / 年初预算.
    Budget,
    /// 调整后 / 全年预算数.
    Adjusted,
    /// 执行数 / 支出.
    Spent,
    /// 到位.
    Received,
    /// 执行率 and other rates.
    Rate,
    /// Anything else.
    Other,
}

/// The context of one number.
#[derive(Clone, Debug, Default)]
pub struct Ctx {
    /// What is counted: the clause before the number (or the row label in a table),
    /// without outline numbers and filler.
    pub key: String,
    /// The clause before the number, from the previous number of the clause if any.
    pub before: String,
    /// The whole clause before the number.
    pub clause: String,
    /// A scoring criterion ("执行率80%（含）至90%得6.5分"), neither a target nor a result.
    pub criteria: bool,
    /// The clause after the number.
    pub after: String,
    /// The whole sentence around the number.
    pub sentence: String,
    /// A target rather than a result.
    pub target: bool,
    /// The column, for numbers in table cells.
    pub col: Option<ColRole>,
    /// The row label, for numbers in table cells.
    pub row: Option<String>,
    /// The row holds a deviation reason.
    pub row_explained: bool,
    /// Inside a section about targets (绩效目标).
    pub in_target_section: bool,
    /// For numbers in tables whose header names the money unit: the power of ten to apply
    /// (4 for 万元, 0 for 元).
    pub money_exp: Option<u8>,
    /// A comparator written in a cell of its own in the figure's table row (the 指标性质
    /// column: "≤" / "1.2").
    pub row_cmp: Option<Cmp>,
    /// The sentence names a year before the fiscal year last before the figure ("2020年度预算
    /// 4,500万元" in a report on 2021; "对2017年度…进行了绩效自评，…等级为良"): a figure of
    /// that year, told beside this year's.
    pub earlier_year: bool,
}

/// Contexts of all numbers of a document, by index into `Doc::nums`.
pub fn contexts(doc: &Doc) -> Vec<Ctx> {
    let target_lines = target_sections(doc);
    let mut out: Vec<Ctx> = (0..doc.nums.len())
        .map(|i| {
            let n = &doc.nums[i];
            let clause = clause_before(doc, n.line, n.start);
            let mut before = clause.clone();
            // A number earlier in the same clause ends this one's subject:
            // "未竣工的14户D级危房和89户…" — 89户 is about what follows 14户. A number right
            // after another ("3,862户7,014人") shares its subject.
            if i > 0 && doc.nums[i - 1].line == n.line {
                let prev = &doc.nums[i - 1];
                let clause_start = n.start.saturating_sub(clause.len());
                let between = &doc.lines[n.line][prev.end.min(n.start)..n.start];
                if prev.end > clause_start && prev.end <= n.start && between.chars().any(is_cjk) {
                    before = crate::doc::strip_debris(between).into_owned();
                }
            }
            let after = clause_after(doc, n.line, n.end);
            let in_sec = target_lines[n.line];
            let explicit = matches!(
                n.cmp,
                Some(Cmp::AtLeast | Cmp::AtMost | Cmp::Above | Cmp::Below)
            ) && !before.ends_with("达到");
            let target_words = ["目标", "计划", "预期", "指标值", "要求", "任务"]
                .iter()
                .any(|w| before.contains(w))
                && !["完成", "实际", "实现", "竣工", "已"]
                    .iter()
                    .any(|w| before.contains(w));
            // Scoring criteria ("执行率95%（含）以上的，得8分") are neither targets nor results.
            let tail = &doc.lines[n.line][n.end..];
            let criteria = ["（含）", "(含)", "以上的", "以下的", "至"]
                .iter()
                .any(|w| tail.starts_with(w))
                && doc.lines[n.line].contains('得')
                && doc.lines[n.line].contains('分');
            // The sentence (or table cell) up to the number: "目标：完成改造2,400户" and
            // "计划新建10万亩，其中…3万亩" state targets even where the clause does not.
            let lead = lead_in(doc, n.line, n.start);
            let planned = [
                "目标：",
                "目标:",
                "预期目标",
                "计划",
                "预计",
                "拟",
                "力争",
                "年度目标",
            ]
            .iter()
            .any(|w| lead.contains(w))
                && ![
                    "完成情况",
                    "实际完成",
                    "实际",
                    "已完成",
                    "截至",
                    "按计划",
                    "按照计划",
                ]
                .iter()
                .any(|w| lead.contains(w));
            // "名称：值" — a target list gives the subject before the colon.
            if before.trim().is_empty() {
                let head =
                    doc.lines[n.line][..crate::util::floor(&doc.lines[n.line], n.start)].trim_end();
                if let Some(h) = head.strip_suffix('：').or_else(|| head.strip_suffix(':')) {
                    let h = &h[crate::util::floor(h, h.len().saturating_sub(90))..];
                    let start = h
                        .char_indices()
                        .rev()
                        .find(|(_, c)| {
                            matches!(c, '，' | '。' | '；' | '：' | ',' | ';' | '\t' | '|')
                        })
                        .map_or(0, |(i, c)| i + c.len_utf8());
                    before = crate::doc::strip_debris(&h[start..]).into_owned();
                }
            }
            let key = subject_key(doc, n, &before);
            let (ss, se) = crate::util::sentence(doc, n.line, n.start, n.end);
            let in_quotes = {
                let head = &doc.lines[n.line][..n.start];
                head.matches('“').count() > head.matches('”').count()
            };
            Ctx {
                clause,
                criteria: criteria
                    || (in_quotes
                        && doc.lines[n.line].contains('得')
                        && doc.lines[n.line].contains('分')),
                sentence: crate::doc::strip_debris(&doc.lines[n.line][ss..se]).into_owned(),
                key,
                before,
                after,
                target: !criteria && (explicit || in_sec || planned || target_words),
                in_target_section: in_sec,
                earlier_year: doc
                    .year
                    .is_some_and(|fy| of_earlier_year(&doc.lines[n.line][ss..n.start.max(ss)], fy)),
                ..Ctx::default()
            }
        })
        .collect();
    table_contexts(doc, &mut out);
    out
}

/// The last year a text names ("2020年度", "2022年专职养护员", "2018年3月"), as written with
/// four digits before 年.
pub fn last_year_named(text: &str) -> Option<i32> {
    text.rmatch_indices('年').find_map(|(at, _)| {
        let mut before = text[..at].chars().rev();
        let mut year = 0;
        for place in [1, 10, 100, 1000] {
            let digit = match before.next()? {
                c @ '0'..='9' => u32::from(c) - u32::from('0'),
                c @ '０'..='９' => u32::from(c) - u32::from('０'),
                _ => return None,
            };
            year += i32::try_from(digit).ok()? * place;
        }
        // (Five digits or more are no year.)
        (!before.next().is_some_and(|c| c.is_ascii_digit())).then_some(year)
    })
}

/// Whether the words of a sentence before a figure set it in a year before `fy`: its own
/// clause names that year ("…，2020年度预算4,500万元"), or the sentence opens with it, after a
/// list mark and a label ("2022年专职养护员24名，养护里程188.6公里"; "①上年问题：2023年度下达
/// 资金…，支出2,875.10万元"), or with 上年.
pub(crate) fn of_earlier_year(head: &str, fy: i32) -> bool {
    let clause = head
        .rsplit(['，', ',', '；', '：', ':'])
        .next()
        .unwrap_or(head);
    if last_year_named(clause).is_some_and(|y| y < fy) {
        return true;
    }
    // "2020年度预算4,500万元，当年支出3,891.15万元": 当年 is the year named before.
    if ["当年", "同年", "当期"]
        .iter()
        .any(|w| clause.starts_with(w))
        && last_year_named(&head[..head.len() - clause.len()]).is_some_and(|y| y < fy)
    {
        return true;
    }
    let opening = list_mark_stripped(head);
    // A short label before a colon ("上年问题：") opens the sentence too.
    let opening = match opening.split_once(['：', ':']) {
        Some((label, rest)) if label.chars().count() <= 8 => {
            if last_year_label(label) {
                return true;
            }
            rest
        }
        _ => opening,
    };
    if last_year_label(opening) {
        return true;
    }
    let first: String = opening.chars().take(5).collect();
    first.ends_with('年') && last_year_named(&first).is_some_and(|y| y < fy)
}

/// A text without the list mark it opens with ("①", "（二）", "3.", "二、").
pub(crate) fn list_mark_stripped(t: &str) -> &str {
    let t = t.trim_start();
    let t = t.trim_start_matches(|c: char| "①②③④⑤⑥⑦⑧⑨⑩".contains(c));
    let t = match t.strip_prefix(['（', '(']) {
        Some(rest) => rest
            .split_once(['）', ')'])
            .filter(|(n, _)| n.chars().count() <= 3)
            .map_or(t, |(_, r)| r),
        None => t,
    };
    let mark_end = t
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十".contains(c)))
        .filter(|&(i, c)| i > 0 && "、.．".contains(c))
        .map(|(i, c)| i + c.len_utf8());
    mark_end.map_or(t, |i| &t[i..]).trim_start()
}

/// Words that open a statement about last year ("上年问题", "上年…"), not this year's money
/// carried over from it ("上年结转资金312.60万元执行249.12万元").
fn last_year_label(t: &str) -> bool {
    (t.starts_with("上年") || t.contains("上年问题") || t.contains("上年评价"))
        && !["上年结转", "上年结余", "上年度结转"]
            .iter()
            .any(|w| t.starts_with(w))
}

/// The sentence or table cell before byte `at` of a line.
fn lead_in(doc: &Doc, line: usize, at: usize) -> String {
    let l = &doc.lines[line];
    let head = &l[..crate::util::floor(l, at)];
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '。' | '；' | ';' | '\t' | '|'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    head[start..].to_owned()
}

/// What a number counts: the words after it when it modifies them ("4个街道综合文化站"),
/// otherwise the clause before it ("接听来电890个").
fn subject_key(doc: &Doc, n: &crate::scan::Num, before: &str) -> String {
    let after = clause_after(doc, n.line, n.end);
    let mut noun_after: String = after
        .chars()
        .take_while(|c| {
            (is_cjk(*c) || c.is_ascii_alphabetic())
                && !matches!(c, '和' | '及' | '与' | '、' | '或')
        })
        .collect();
    // "4名人员去世或退出": the number counts both, and its subject says so.
    if let Some(rest) = after[noun_after.len()..].strip_prefix('或') {
        let other: String = rest.chars().take_while(|c| is_cjk(*c)).collect();
        if !other.is_empty() {
            noun_after = format!("{noun_after}或{other}");
        }
    }
    let head = key_of(before);
    let weak = before.ends_with(['和', '及', '与', '、', '了', '共', '的'])
        || head.chars().filter(|c| is_cjk(*c)).count() <= 3;
    // "与全部6家定点康复机构签订协议": after 全部/所有 the number counts the noun that follows,
    // and the verb before is not part of what is counted.
    let whole_of = ["全部", "所有", "全体"].iter().any(|w| before.ends_with(w));
    if noun_after.chars().count() >= 2 && whole_of && !noun_after.starts_with(['的', '是', '为'])
    {
        // The noun ends where the verb of the clause begins ("6家定点康复机构签订了协议").
        let verbs = [
            "签订", "签署", "开展", "进行", "实施", "完成", "举办", "组织", "提供", "参加", "接受",
            "获得", "建立", "达到", "纳入", "通过", "了",
        ];
        let cut = verbs
            .iter()
            .filter_map(|v| noun_after.find(v))
            .min()
            .unwrap_or(noun_after.len());
        key_of(&noun_after[..cut])
    } else if noun_after.chars().count() >= 2 && weak && !noun_after.starts_with(['的', '是', '为'])
    {
        format!("{head}{}", key_of(&noun_after))
    } else if head.is_empty()
        && (before.contains("完成") || before.contains("实际"))
        && doc.lines[n.line][..n.start].ends_with(before)
    {
        // "对缺株断行…的地块进行补植补造，全年完成1.16万亩": a clause of fillers counts what
        // the clause before it, in the same sentence, did (its last six characters).
        let line = &doc.lines[n.line];
        let own = line[..n.start].len() - before.len();
        let prev = line[..own].trim_end_matches(['，', ',']);
        if prev.len() == line[..own].len() || prev.ends_with(['。', '；', '：']) {
            return head;
        }
        let clause = prev
            .rsplit(['，', ',', '。', '；', '：'])
            .next()
            .unwrap_or("");
        // (Words only: a clause with a figure of its own counts that figure.)
        if clause.contains(|c: char| c.is_ascii_digit() || "一二三四五六七八九十两".contains(c))
        {
            return head;
        }
        key_of(crate::util::last_chars(clause, 6))
    } else {
        head
    }
}

/// The subject words of a clause: outline markers, verbs of reporting and fillers removed.
pub fn key_of(clause: &str) -> String {
    let t: String = crate::doc::strip_debris(clause)
        .chars()
        .filter(|c| is_cjk(*c) || c.is_ascii_alphabetic() || "（）()-—".contains(*c))
        .collect();
    // "（1）" and "(2)" lose their digits above: what is left of them goes with the prefixes.
    const PREFIXES: &[&str] = &[
        "一是", "二是", "三是", "四是", "五是", "六是", "其中", "全年", "累计", "共计", "合计",
        "共", "实际", "完成", "实施", "达到", "为", "约", "有", "（）", "()", "）", ")",
    ];
    const SUFFIXES: &[&str] = &[
        "为", "达到", "达", "共计", "合计", "共", "约", "近", "计", "了", "的", "是",
    ];
    let mut s: &str = &t;
    loop {
        let before = s.len();
        for p in PREFIXES {
            s = s.strip_prefix(p).unwrap_or(s);
        }
        if s.len() == before {
            break;
        }
    }
    loop {
        let before = s.len();
        for x in SUFFIXES {
            s = s.strip_suffix(x).unwrap_or(s);
        }
        if s.len() == before {
            break;
        }
    }
    s.to_owned()
}

/// The phase the sentence around `start..end` of `line` opens with ("一期产权调换户612户…",
/// "第二期…", "三标段…", "二批…"): the phase's number as written, when it opens with one.
pub(crate) fn phase_opening(doc: &Doc, line: usize, start: usize, end: usize) -> Option<char> {
    let (s, _) = crate::util::sentence(doc, line, start, end);
    let t = list_mark_stripped(doc.lines[line][s..].trim_start());
    let t = t.strip_prefix('第').unwrap_or(t);
    let mut cs = t.chars();
    let first = cs.next()?;
    let rest = cs.as_str();
    ("一二三四五六七八九十".contains(first)
        && (rest.starts_with('期') || rest.starts_with("标段") || rest.starts_with('批')))
    .then_some(first)
}

/// Which lines lie in a section about targets (绩效目标, 年度目标 …).
pub(crate) fn target_sections(doc: &Doc) -> Vec<bool> {
    let mut inside = vec![false; doc.lines.len()];
    let mut current: Option<u8> = None;
    // The level of the latest heading over results ("二、绩效目标及完成情况"): its
    // sub-headings name goals ("（一）年度目标1：…") whose results follow them.
    let mut results: Option<u8> = None;
    for (i, l) in doc.lines.iter().enumerate() {
        let t = crate::doc::strip_debris(l);
        let t = t.trim();
        if let Some(level) = heading_level(t) {
            match current {
                Some(lv) if level <= lv => current = None,
                _ => {}
            }
            match results {
                Some(lv) if level <= lv => results = None,
                _ => {}
            }
            if results.is_none()
                && ["完成情况", "实现情况", "实施情况", "实施成效", "绩效分析"]
                    .iter()
                    .any(|w| t.contains(w))
            {
                results = Some(level);
            }
            let under_results = results.is_some_and(|lv| level > lv);
            let about_targets =
                (t.contains("目标") || t.contains("年度指标") || t.contains("绩效指标"))
                    && ![
                        "完成",
                        "实现",
                        "情况",
                        "分析",
                        "评价",
                        "偏差",
                        "结论",
                        "体系",
                        "设计",
                        "满分",
                        "得分",
                        "分）",
                        "合理性",
                        "明确性",
                    ]
                    .iter()
                    .any(|w| t.contains(w));
            if about_targets && current.is_none() && !under_results {
                current = Some(level);
                continue;
            }
        }
        inside[i] = current.is_some();
    }
    // A form flattened one cell per line: "预期目标" / "实际完成情况" labels, then their two
    // texts in the same order; the first text states the targets.
    let label = |l: &str| {
        let t = l.trim();
        !t.is_empty() && t.chars().count() <= 8 && t.chars().all(is_cjk)
    };
    for i in 0..doc.lines.len().saturating_sub(2) {
        let (a, b) = (doc.lines[i].trim(), doc.lines[i + 1].trim());
        if label(a)
            && label(b)
            && (a.contains("目标") || a.contains("预期"))
            && (b.contains("实际") || b.contains("完成"))
            && !label(&doc.lines[i + 2])
        {
            inside[i + 2] = true;
        }
        // "年度目标" / "完成24万卷…" / "完成情况" / "扫描24.68万卷…": a goal's label on its own
        // line, its text on the next.
        if label(a)
            && a.contains("目标")
            && !["完成", "实际", "情况", "实现", "分析"]
                .iter()
                .any(|w| a.contains(w))
            && !b.is_empty()
            && !label(b)
        {
            inside[i + 1] = true;
        }
    }
    inside
}

/// For each line, the heading line of the sub-project section it is in: a heading naming a
/// 子项目 or 分项目 opens one, and the next heading of its level or above closes it.
pub fn sub_project_sections(doc: &Doc) -> Vec<Option<usize>> {
    let named = |i: usize| doc.may_contain(i, "子项目") || doc.may_contain(i, "分项目");
    if !(0..doc.lines.len()).any(named) {
        return vec![None; doc.lines.len()];
    }
    let mut current: Option<(usize, u8)> = None;
    doc.lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let t = crate::doc::strip_debris(l);
            let t = t.trim();
            if let Some(level) = heading_level(t) {
                if current.is_some_and(|(_, lv)| level <= lv) {
                    current = None;
                }
                if ["子项目", "分项目"].iter().any(|w| t.contains(w))
                    && !["情况", "总体", "汇总"].iter().any(|w| t.contains(w))
                {
                    current = Some((i, level));
                }
            }
            current.map(|(h, _)| h)
        })
        .collect()
}

/// The outline level of a heading line (一、 = 1, （一） = 2, 1. = 3, （1） = 4), if it is one.
pub fn heading_level(t: &str) -> Option<u8> {
    let short = t.chars().count() <= 40 && !t.trim_end_matches('。').contains('。');
    if !short {
        return None;
    }
    let cn = |c: char| "一二三四五六七八九十".contains(c);
    let mut chars = t.chars();
    let first = chars.next()?;
    if cn(first) {
        let rest: String = t.chars().skip_while(|c| cn(*c)).take(1).collect();
        if rest == "、" || rest == "．" || rest == "." {
            return Some(1);
        }
    }
    if first == '（' || first == '(' {
        let inner: String = t
            .chars()
            .skip(1)
            .take_while(|c| *c != '）' && *c != ')')
            .collect();
        if !inner.is_empty() && inner.chars().all(cn) {
            return Some(2);
        }
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
            return Some(4);
        }
    }
    if first.is_ascii_digit() {
        let rest: String = t.chars().skip_while(char::is_ascii_digit).take(1).collect();
        if rest == "." || rest == "、" || rest == "．" {
            return Some(3);
        }
    }
    None
}

fn role_of(header: &str) -> ColRole {
    let h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    if is_note_header(&h) || crate::checks::scores::label_header(&h) || interim_header(&h) {
        ColRole::Other
    } else if h.contains("实际")
        || h.contains("完成值")
        || h.contains("完成情况")
        || h.contains("实现值")
    {
        ColRole::Actual
    } else if h.contains("指标值")
        || h.contains("目标值")
        || h.contains("计划值")
        || h.contains("预期")
        || h.ends_with("年度目标")
        || h == "目标"
    {
        ColRole::Target
    } else if h.contains("分值")
        || h.contains("得分")
        || h.contains("权重")
        || h.contains("扣分")
        || h == "满分"
    {
        ColRole::Score
    } else if [
        "未支出",
        "未执行",
        "结余",
        "结转",
        "余额",
        "增减",
        "增长",
        "变动",
        "同比",
    ]
    .iter()
    .any(|w| h.contains(w))
    {
        // (Nor is a change on last year, "增减额" / "增减率", a spending or an execution rate.)
        // What was left, not what was spent.
        ColRole::Other
    } else if h.contains("执行率") || h.ends_with('率') {
        ColRole::Rate
    } else if h.contains("调整") || h.contains("全年预算") {
        ColRole::Adjusted
    } else if h.contains("执行数")
        || h.contains("支出")
        || h.contains("执行金额")
        || h.contains("实际使用")
    {
        ColRole::Spent
    } else if h.contains("到位") {
        ColRole::Received
    } else if h.contains("预算") {
        ColRole::Budget
    } else {
        ColRole::Other
    }
}

/// A column of figures part way through the year ("6月30日累计支出", "1-6月执行数",
/// "上半年支出", "截至9月底执行进度"): a monitoring figure, not the year's.
fn interim_header(h: &str) -> bool {
    let dated = h.contains('月')
        && h.chars()
            .any(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        && !h.contains("12月")
        && !h.contains("十二月");
    dated
        || ["上半年", "前三季度", "一季度", "二季度", "三季度", "半年"]
            .iter()
            .any(|w| h.contains(w))
}

/// The comparator a cell holds alone (the 指标性质 column).
fn comparator(text: &str) -> Option<Cmp> {
    match text.trim() {
        "≥" | ">=" | "＞＝" | "不低于" | "不少于" => Some(Cmp::AtLeast),
        "≤" | "<=" | "＜＝" | "不高于" | "不超过" => Some(Cmp::AtMost),
        ">" | "＞" => Some(Cmp::Above),
        "<" | "＜" => Some(Cmp::Below),
        "=" | "＝" => Some(Cmp::Equal),
        _ => None,
    }
}

/// The power of ten of the money unit a header cell names: 亿元 8, 万元 4, 元 0.
fn money_unit_exp(h: &str) -> Option<u8> {
    if h.contains("亿元") {
        Some(8)
    } else if h.contains("万元") {
        Some(4)
    } else if h.contains("（元）") || h.contains("(元)") || h.trim_end().ends_with('元') {
        Some(0)
    } else {
        None
    }
}

/// A column of an earlier year's figures ("上年支出（元）", "2021年支出（万元）" in a 2022
/// report): what it holds is no figure of the year reported.
fn earlier_year_header(doc: &Doc, h: &str) -> bool {
    if ["上年", "去年", "上一年"].iter().any(|w| h.contains(w)) {
        return true;
    }
    let digits: String = h.chars().take_while(char::is_ascii_digit).collect();
    h[digits.len()..].starts_with('年')
        && digits.len() == 4
        && doc
            .year
            .zip(digits.parse::<i32>().ok())
            .is_some_and(|(fy, y)| y < fy)
}

/// A column of row numbers (序号): its figures count nothing.
fn is_index_header(h: &str) -> bool {
    matches!(h.trim(), "序号" | "编号" | "序" | "No." | "NO." | "No")
}

/// A column of explanations (偏差原因, 扣分说明, 备注, 改进措施): figures in it are about
/// something else than the row's indicator ("2个因重新选址延期").
fn is_note_header(h: &str) -> bool {
    ["原因", "说明", "备注", "措施"]
        .iter()
        .any(|w| h.contains(w))
}

fn table_contexts(doc: &Doc, out: &mut [Ctx]) {
    for t in doc.tables.iter().filter(|t| t.header) {
        let header = &t.rows[0];
        let roles: Vec<ColRole> = header
            .cells
            .iter()
            .map(|c| role_of(doc.cell_text(c)))
            .collect();
        let header_text: String = header.cells.iter().map(|c| doc.cell_text(c)).collect();
        let above = header
            .cells
            .first()
            .and_then(|c| c.line.checked_sub(1))
            .map(|l| doc.lines[l].as_str())
            .unwrap_or("");
        // The line above names the unit when it is a caption ("表1 资金情况（单位：万元）"), not
        // a sentence that happens to hold an amount in 万元.
        // (A sentence may end with the caption: "…万元…对照如下（单位：元）：".)
        let declared = |t: &str| {
            let at = t.find("单位：").map(|i| i + "单位：".len());
            let at = at.or_else(|| t.find("单位:").map(|i| i + "单位:".len()))?;
            // (Up to the bracket that closes the caption: "（单位：元）".)
            money_unit_exp(
                &t[at..]
                    .chars()
                    .take(3)
                    .take_while(|c| !matches!(c, '）' | ')'))
                    .collect::<String>(),
            )
        };
        let says = |t: &str, unit: &str| {
            t.contains(&format!("（{unit}）")) || t.contains(&format!("({unit})"))
        };
        let short = above.chars().count() <= 30;
        // (A caption's unit holds for the table, though one column converts: "支出明细表
        // （单位：元）" over "… 实际支出数 折合万元".)
        let money_exp = if let Some(e) = declared(&header_text).or_else(|| declared(above)) {
            Some(e)
        } else if header_text.contains("万元") || short && above.contains("万元") {
            Some(4)
        } else if says(&header_text, "元") || short && says(above, "元") {
            Some(0)
        } else {
            None
        };
        // A column that states its own unit (预算数（万元）beside 支出数（元）) keeps it.
        let col_exp: Vec<Option<u8>> = header
            .cells
            .iter()
            .map(|c| money_unit_exp(doc.cell_text(c)).or(money_exp))
            .collect();
        for r in &t.rows[1..] {
            let cells = aligned(doc, &r.cells, &header.cells);
            // The row label: the last non-numeric cell before the first numeric column.
            let label = cells
                .iter()
                .zip(&header.cells)
                .take_while(|(_, h)| !numeric_header(doc.cell_text(h)))
                .filter_map(|(c, _)| *c)
                .map(|c| doc.cell_text(c))
                // Dashes, and the 指标性质 column (≥, ≤, =, 定性), name nothing.
                .filter(|s| {
                    let t = s.trim();
                    !t.chars().all(|c| "—-－/／≥≤＞＜><=＝".contains(c))
                        && !matches!(t, "定性" | "定量" | "正向" | "反向")
                })
                .last()
                .map(str::to_owned);
            let row_cmp = cells
                .iter()
                .flatten()
                .filter(|c| c.nums.is_empty())
                .find_map(|c| comparator(doc.cell_text(c)));
            let explained = cells.iter().zip(&header.cells).any(|(c, h)| {
                let h = doc.cell_text(h);
                (h.contains("原因")
                    || h.contains("说明")
                    || h.contains("措施")
                    || h.contains("备注"))
                    && c.is_some_and(|c| doc.cell_text(c).chars().count() >= 4)
            });
            for (((c, role), h), &exp) in cells.iter().zip(&roles).zip(&header.cells).zip(&col_exp)
            {
                let Some(c) = c else { continue };
                if is_note_header(doc.cell_text(h))
                    || is_index_header(doc.cell_text(h))
                    || earlier_year_header(doc, doc.cell_text(h))
                {
                    // Its subject is not the row's, and a note's few words ("目标 5期，实际
                    // 4期") name no quantity of their own: no subject at all.
                    for &n in &c.nums {
                        let ctx = &mut out[n];
                        ctx.col = Some(ColRole::Other);
                        ctx.key = String::new();
                        ctx.target = false;
                    }
                    continue;
                }
                for &n in &c.nums {
                    let ctx = &mut out[n];
                    ctx.col = Some(*role);
                    ctx.row_explained = explained;
                    ctx.money_exp = exp;
                    if *role == ColRole::Target {
                        ctx.row_cmp = row_cmp;
                    }
                    if let Some(l) = &label {
                        ctx.row = Some(l.clone());
                        ctx.key = key_of(l);
                    }
                    match role {
                        ColRole::Target => ctx.target = true,
                        ColRole::Actual => ctx.target = false,
                        _ => {}
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        assert_eq!(heading_level("一、项目基本情况"), Some(1));
        assert_eq!(heading_level("（二）绩效目标"), Some(2));
        assert_eq!(heading_level("2.年度目标。"), Some(3));
        assert_eq!(heading_level("（1）数量指标"), Some(4));
        assert_eq!(heading_level("项目立项符合规定。"), None);
    }

    #[test]
    fn keys_drop_filler() {
        assert_eq!(key_of("一是全年累计完成"), "");
        assert_eq!(key_of("实际受益学生"), "受益学生");
        assert_eq!(
            key_of("完成采购第三代残疾人证（预制卡）"),
            "采购第三代残疾人证（预制卡）"
        );
    }
}
