//! Stated counts against what is listed: "开展五类课后服务：一是…四是…", "共设置绩效指标12项"
//! followed by (1)…(10), "三级指标18项" against the indicator table.

use jixiao_core::num::Dec;

use crate::doc::Doc;
use crate::util::finding;
use crate::{Finding, Severity};

/// Classifiers that announce a list.
const LIST_WORDS: &[&str] = &[
    "类",
    "项",
    "个方面",
    "方面",
    "个环节",
    "环节",
    "大类",
    "条",
    "点",
    "种",
    "项措施",
    "个重点",
    "大任务",
    "项任务",
    "个阶段",
    "阶段",
    "部分",
    "个",
    "件",
];

const CN: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// The list markers after byte `at` of `line` and on following lines: 一是, （1）, 1., ①,
/// in order. Returns the highest marker, the line it is on and the marker as written.
fn list_after(doc: &Doc, line: usize, at: usize) -> Option<(usize, usize, String)> {
    let mut best: Option<(usize, usize, String)> = None;
    let mut expect = 1;
    let mut l = line;
    let mut cursor = at;
    let mut style: Option<u8> = None;
    while l < doc.lines.len() && l <= line + 40 && expect <= 20 {
        let text = &doc.lines[l];
        let mut found_here = false;
        loop {
            let from = crate::util::floor(text, cursor);
            let lead = text.len() - text.trim_start().len();
            // Every item in the list's own style: "（三）改进措施" after 一是…二是… is the
            // next heading, not a third item.
            let hit = markers_for(expect)
                .into_iter()
                .filter(|&(_, _, st)| style.is_none_or(|s| s == st))
                .filter_map(|(m, at_start, st)| {
                    if at_start {
                        // "1." / "2、" only as the first thing on a line (not 1.5万元).
                        (from <= lead && text[lead..].starts_with(m.as_str()))
                            .then_some((lead, m, st))
                    } else {
                        text[from..].find(m.as_str()).map(|i| (from + i, m, st))
                    }
                })
                .min_by_key(|(i, _, _)| *i);
            let Some((i, m, st)) = hit else { break };
            style = Some(st);
            cursor = i + m.len();
            best = Some((expect, l, m));
            expect += 1;
            found_here = true;
        }
        // A list runs on while each following line carries its next marker. It may start on
        // the next line only when the statement's line ends at its colon: "分三个阶段进行：第一
        // 阶段…" lists its items in words of its own, and a list further down is another one.
        if !found_here
            && (l > line || text[crate::util::floor(text, at)..].trim().chars().count() > 6)
        {
            break;
        }
        l += 1;
        cursor = 0;
    }
    best
}

/// The ways item `k` of a list is marked, each with whether it must start its line and its
/// style (the same for every item of one list).
fn markers_for(k: usize) -> Vec<(String, bool, u8)> {
    let mut v = Vec::new();
    if let Some(c) = CN.get(k - 1) {
        v.push((format!("{c}是"), false, 0));
        v.push((format!("（{c}）"), false, 1));
    }
    v.push((format!("（{k}）"), false, 2));
    v.push((format!("({k})"), false, 3));
    if let Some(c) = "①②③④⑤⑥⑦⑧⑨⑩".chars().nth(k - 1) {
        v.push((c.to_string(), false, 4));
    }
    // (A full-width 1． is the same style as 1.)
    for (st, sep) in [(5, '.'), (5, '．'), (6, '、')] {
        v.push((format!("{k}{sep}"), true, st));
    }
    v
}

/// Text without its bracketed asides ("电子商务（直播带货）" → "电子商务").
fn strip_asides(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0_usize;
    for c in text.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// "N类/项/个方面" followed by "：" and a marked list.
pub fn check_lists(doc: &Doc, acc: &mut Vec<Finding>) {
    for line in 0..doc.lines.len() {
        for n in doc.nums_of(line) {
            let text = &doc.lines[line];
            let after = &text[n.end.min(text.len())..];
            // (Or "包括四个子系统：" closing its line, the items on the lines below; a heading
            // such as "1.五个专门协会活动：" names a thing, not a list.)
            let closes_line = ["包括", "分为", "涵盖", "设有", "包含", "由"]
                .iter()
                .any(|w| text[..n.start].contains(w))
                && after.trim_end().ends_with(['：', ':'])
                && after.trim_end().chars().count() <= 8
                && !after.contains(['，', '；', '。']);
            let classifier = matches!(
                n.unit,
                "类" | "项" | "条" | "点" | "种" | "件" | "处" | "起"
            ) || (n.unit == "个"
                && (LIST_WORDS.iter().any(|w| after.starts_with(w)) || closes_line))
                || (n.unit.is_empty() && LIST_WORDS.iter().any(|w| after.starts_with(w)));
            if !classifier || n.cmp.is_some() {
                continue;
            }
            // The statement announces what follows: a colon before its sentence ends.
            let (_, se) = crate::util::sentence(doc, line, n.start, n.end);
            let Some(ce) = text[n.end..se.max(n.end)]
                .find(['：', ':'])
                .map(|i| n.end + i)
            else {
                continue;
            };
            let Ok(stated) = n.value.to_string().parse::<usize>() else {
                continue;
            };
            if !(2..=20).contains(&stated) {
                continue;
            }
            let Some((max, mline, marker)) = list_after(doc, line, ce) else {
                continue;
            };
            if max < 2 || max == stated {
                continue;
            }
            // "三级指标十项：" over "（一）产出指标：…；…；…" lines: the marks group the items,
            // which are told after each group's colon, parted by ；.
            let grouped: Vec<usize> = (line + 1..=mline)
                .filter(|&l| !doc.lines[l].trim().is_empty())
                .map(|l| {
                    doc.lines[l]
                        .split_once(['：', ':'])
                        .map_or(0, |(_, items)| {
                            items
                                .split(['；', ';'])
                                .filter(|it| it.trim().trim_end_matches('。').chars().count() >= 2)
                                .count()
                        })
                })
                .collect();
            // Such a list is not counted by its marks (nor, here, by its items: a group may run
            // on below its mark).
            if grouped.iter().all(|&k| k >= 1) && grouped.iter().any(|&k| k >= 2) {
                continue;
            }
            let statement = text[n.start..ce].to_owned();
            let head = {
                let h = &text[..n.start];
                let start = h
                    .char_indices()
                    .rev()
                    .find(|(_, c)| matches!(c, '，' | '。' | '；'))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                h[start..].to_owned()
            };
            acc.push(finding(
                "count-mismatch",
                Severity::Error,
                format!("称“{head}{statement}”，但其后只列出到“{marker}”，共 {max} 项"),
                [line, mline],
                vec![format!("{head}{statement}"), marker],
            ));
        }
    }
}

/// "实施9座小型水库除险加固，分别是：甲水库、乙水库…": a count against the names listed after
/// it, separated by 、, when every name ends with the noun that was counted.
pub fn check_enumerations(doc: &Doc, acc: &mut Vec<Finding>) {
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        // The list may follow on the next line ("…的12座小型水库为：" / "甲水库、乙水库…。").
        let next = doc.lines.get(line + 1).filter(|l| {
            text.trim_end().ends_with(['：', ':']) && l.contains('、') && !l.contains('\t')
        });
        if !(text.contains('、') || next.is_some() || text.contains("分别为："))
            || !(text.contains("分别")
                || text.contains("包括")
                || text.contains('：')
                || text.contains("，即")
                || text.contains('（'))
        {
            continue;
        }
        for n in doc.nums_of(line) {
            // ("五大类：…" counts with a word the scanner takes for no unit.)
            let after = &text[n.end..];
            let unitless = n.unit.is_empty() && after.starts_with("大类");
            if n.cmp.is_some() || n.approx || n.unit.is_empty() && !unitless || n.unit == "%" {
                continue;
            }
            let Ok(stated) = n.value.to_string().parse::<usize>() else {
                continue;
            };
            if !(2..=30).contains(&stated) {
                continue;
            }
            let (_, se) = crate::util::sentence(doc, line, n.start, n.end);
            let rest = &text[n.end..se.max(n.end)];
            // "全区13个街道（西安路、西华、…、凤凰山街道）": the names in brackets right after
            // the counted noun.
            let bracketed = rest.split_once('（').and_then(|(noun, inner)| {
                let inner = inner.split_once('）')?.0;
                // (Not "6个县（市、区）", a scope; not "3家（主要承担…、…）", a description.)
                let items: Vec<&str> = inner.split('、').collect();
                (noun.chars().count() <= 6
                    && noun.chars().all(crate::util::is_cjk)
                    && items.len() >= 3
                    && items.iter().all(|it| it.chars().count() >= 2)
                    && !["主要", "含", "包括", "其中", "即"]
                        .iter()
                        .any(|w| inner.starts_with(w)))
                .then_some((noun, inner))
            });
            // The list starts after 分别是/分别为/包括/： within the same sentence.
            let Some((intro, list)) = bracketed.or_else(|| {
                [
                    "分别是：",
                    "分别为：",
                    "分别是",
                    "分别为",
                    "，即",
                    "即：",
                    "分别设在",
                    "分别设于",
                    "分别位于",
                    "分别在",
                    "包括：",
                    "包括",
                    "：",
                ]
                .iter()
                .find_map(|m| rest.find(m).map(|i| (&rest[..i], &rest[i + m.len()..])))
            }) else {
                continue;
            };
            // "三个设区市的六个县（市、区）：…": the list is of the last count before it.
            if doc
                .nums_of(line)
                .iter()
                .any(|o| o.start >= n.end && o.end <= n.end + intro.len() && !o.unit.is_empty())
            {
                continue;
            }
            // "项目分三期实施，一期为建华社区、跃进社区片区": the list names one phase's places.
            if ["一期", "第一期", "一标段", "第一批"]
                .iter()
                .any(|w| intro.contains(w) || list.trim_start().starts_with(w))
            {
                continue;
            }
            // "12个乡镇…，这些乡镇是：…": a later clause points back at the counted noun.
            let pointed_back = intro.rsplit_once('，').is_some_and(|(_, last)| {
                let noun: String = rest.chars().take(2).collect();
                (last.starts_with("这些") || last.starts_with("上述"))
                    && noun.chars().all(crate::util::is_cjk)
                    && last.contains(noun.as_str())
            });
            if !pointed_back
                && (intro.chars().count() > 24
                    || intro.contains(['，', '；']) && intro.chars().count() > 16)
            {
                continue;
            }
            // "其中县级定点医疗机构2个、乡镇中心卫生院7个，县级定点医疗机构分别为…": the list
            // after the comma names a thing counted earlier in the sentence, not this count.
            if let Some((_, named)) = intro.rsplit_once(['，', ','])
                && named.chars().count() >= 4
            {
                let (ss, _) = crate::util::sentence(doc, line, n.start, n.end);
                if text[ss..n.start].contains(named.trim()) {
                    continue;
                }
            }
            let (list, list_line) = match next {
                Some(l) if list.trim().is_empty() => (l.as_str(), line + 1),
                _ => (list, line),
            };
            // "三个阶段：第一阶段…、…；第二阶段…": items told one clause each by their ordinals,
            // whose own words may hold a 、 list; the ordinal lists are counted elsewhere.
            if ["第一", "第1", "一是", "①", "1.", "（1）", "(1)"]
                .iter()
                .any(|w| list.trim_start().starts_with(w))
            {
                continue;
            }
            // "全年开展政策宣传7场，分别为：3月…，4月…，…12月4日…。": events told one clause
            // each, every clause opening with its month.
            if rest.contains("分别为") || rest.contains("分别是") {
                let sentence_rest = list.split(['。', '；']).next().unwrap_or("");
                let clauses: Vec<&str> = sentence_rest.split('，').map(str::trim).collect();
                let dated = |c: &str| {
                    let digits = c.chars().take_while(char::is_ascii_digit).count();
                    (1..=2).contains(&digits) && c[digits..].starts_with('月')
                };
                if clauses.len() >= 2 && clauses.iter().all(|c| dated(c)) {
                    if clauses.len() != stated {
                        let statement = format!("{}{}", &text[n.start..n.end], intro);
                        acc.push(listed_other_count(
                            &statement,
                            "逐一列出的",
                            clauses.len(),
                            [line, list_line],
                            sentence_rest,
                        ));
                    }
                    continue;
                }
            }
            // "12个县（市、区）：温州市永嘉县、文成县、泰顺县，湖州市安吉县、…": the places
            // grouped by city, a comma between groups, are one list.
            let grouped = {
                let pieces: Vec<&str> = list
                    .split(['。', '；', ';'])
                    .next()
                    .unwrap_or("")
                    .split(['，', ','])
                    .map(str::trim)
                    .collect();
                let items: Vec<&str> = pieces.iter().flat_map(|p| p.split('、')).collect();
                (pieces.len() >= 2
                    && pieces.iter().all(|p| p.contains('、'))
                    && items.iter().all(|it| {
                        (2..=12).contains(&it.chars().count())
                            && it.chars().all(crate::util::is_cjk)
                            && it
                                .chars()
                                .next_back()
                                .is_some_and(|c| "镇乡村县区市旗州".contains(c))
                    }))
                .then(|| pieces.join("、"))
            };
            let list = match &grouped {
                Some(g) => g.as_str(),
                None => list
                    .split(['。', '；', '，', ';', ','])
                    .next()
                    .unwrap_or("")
                    .trim(),
            };
            // "全年抽检四批次，分别在3月、6月、10月进行": events counted against the months
            // listed for them, one each.
            if let Some(months) = listed_months(list)
                && ["批次", "批", "次", "期", "场", "轮"].contains(&n.unit)
            {
                if months.len() != stated {
                    let written = doc.lines[line][n.start..n.end].trim();
                    acc.push(finding(
                        "count-mismatch",
                        Severity::Error,
                        format!(
                            "称“{written}”，但其后列出的月份只有 {} 个（{}）",
                            months.len(),
                            months.join("、")
                        ),
                        [line, list_line],
                        vec![written.to_owned(), months.join("、")],
                    ));
                }
                continue;
            }
            // "三个方面：一是新建、改扩建…；二是…": items told one clause each, numbered (the
            // numbered-list check counts them), the 、 inside the first of them.
            if list.starts_with("一是") || list.starts_with(['（', '(', '①', '1']) {
                continue;
            }
            // Items that all end alike ("西陵区片区、…、点军区和猇亭区片区") are each one thing,
            // 和 or not; otherwise the last "A和B" names two.
            // (A "B和C" whose halves both end alike is two: "…中庄供水站和…大坪供水站".)
            // "电子商务（直播带货）": an aside in brackets is no part of the item's name.
            let unbracketed = strip_asides(list);
            let list = unbracketed.as_str();
            let raw: Vec<&str> = list.split('、').map(str::trim).collect();
            let ending = common_ending(&raw);
            let suffix: String = raw
                .first()
                .map(|f| {
                    let cs: Vec<char> = f.chars().collect();
                    cs[cs.len() - ending..].iter().collect()
                })
                .unwrap_or_default();
            // (和 inside a name, as in 和平镇, joins nothing.)
            // (Nor does a verb pair, "报告和处理": what follows 和 names a thing of its own, three
            // characters or more.)
            fn joined(it: &str) -> Option<(&str, &str)> {
                it.split_once('和')
                    .filter(|(a, b)| a.chars().count() >= 2 && b.chars().count() >= 3)
            }
            let items: Vec<&str> = raw
                .iter()
                .flat_map(|it| match joined(it) {
                    Some((a, b))
                        if ending < 2
                            || a.ends_with(suffix.as_str()) && b.ends_with(suffix.as_str()) =>
                    {
                        vec![a, b]
                    }
                    _ => vec![*it],
                })
                .collect();
            // "三级指标十一项：产出指标七项、效益指标三项、满意度指标一项": items that carry
            // their own counts break the whole down; they do not name its members.
            let counted = |it: &str| {
                let cs: Vec<char> = it.chars().collect();
                cs.len() >= 3
                    && "项个类名人家所座处条种批次".contains(cs[cs.len() - 1])
                    && "一二三四五六七八九十两百".contains(cs[cs.len() - 2])
            };
            // Kinds (类, 种) are named whatever each counts: "岗位类型共5类：保洁员38人、护路员
            // 20人…" lists four kinds, each with its own number of people.
            let kinds = matches!(n.unit, "类" | "种") || after.starts_with("大类");
            let items: Vec<&str> = if kinds {
                items
                    .iter()
                    .map(|it| {
                        let head = it.trim_end_matches(|c: char| !c.is_ascii_digit());
                        let name = head.trim_end_matches(|c: char| c.is_ascii_digit() || c == ',');
                        if name.chars().count() >= 2 && name.chars().all(crate::util::is_cjk) {
                            name
                        } else {
                            it
                        }
                    })
                    .collect()
            } else {
                items
            };
            if !kinds && items.iter().filter(|it| counted(it)).count() >= 2 {
                continue;
            }
            // (An item may open with an age range or a type, "0—6岁儿童健康管理", "2型糖尿病";
            // a figure after words counts something, "产出指标6项".)
            let name_like = |it: &str| {
                let words =
                    it.trim_start_matches(|c: char| c.is_ascii_digit() || "—-～~".contains(c));
                words.chars().all(crate::util::is_cjk)
                    && (words.len() == it.len() || words.chars().count() >= 4)
            };
            if items.len() < 2
                || items
                    .iter()
                    .any(|it| it.is_empty() || it.chars().count() > 20 || !name_like(it))
            {
                continue;
            }
            // The counted noun: the longest common ending of the items, named before the list.
            let first: Vec<char> = items[0].chars().rev().collect();
            let common = first
                .iter()
                .enumerate()
                .take_while(|(i, c)| items.iter().all(|it| it.chars().rev().nth(*i) == Some(**c)))
                .count();
            let noun: String = first[..common].iter().rev().collect();
            // "分别为" announces exactly the things counted, whatever each is called; other
            // lists count only when every item names the counted noun.
            // "六个环节：…", "6个紧缺工种开展培训：…": a colon right after a short counted noun,
            // or after a noun that names kinds or steps, introduces the things counted.
            let colon = rest.trim_start().starts_with(intro.trim_start())
                && rest[intro.len()..].starts_with(['：', ':']);
            let direct = colon
                && !intro.contains(['，', ','])
                && (intro.chars().count() <= 8
                    || ["工种", "环节", "方面", "步骤", "阶段", "类别", "举措"]
                        .iter()
                        .any(|w| intro.contains(w))
                        && intro.chars().count() <= 12);
            // Such a list is short names on the statement's own line ("中小学校、社区、重点企业"),
            // not clauses, and not two names joined by 和 in one item.
            let direct = direct
                && n.unit != "分"
                && list_line == line
                && !raw[..raw.len() - 1].iter().any(|it| joined(it).is_some())
                && items.iter().all(|it| it.chars().count() <= 20);
            let announced = direct
                || bracketed.is_some()
                || pointed_back
                || rest.contains("分别为")
                || rest.contains("分别是")
                || ["分别在", "分别设在", "分别设于", "分别位于", "，即", "即："]
                    .iter()
                    .any(|w| rest.contains(w));
            // "主要包括…" names some; "主要负责人审签" as an item hedges nothing.
            let hedged = list.ends_with('等') || list.contains("等。") || intro.contains("主要");
            // "6个乡镇（街道）：西平街道、…、白水镇": each item ends with a noun the
            // introduction names, though the items share no ending.
            let each_named = !list.contains('和')
                && items.iter().all(|it| {
                    let cs: Vec<char> = it.chars().collect();
                    let two: String = cs[cs.len().saturating_sub(2)..].iter().collect();
                    cs.len() >= 3
                        && (intro.contains(two.as_str())
                            || cs.last().is_some_and(|c| {
                                "镇乡村县区市省".contains(*c) && intro.contains(*c)
                            }))
                });
            if hedged
                || !announced
                    && !each_named
                    && (noun.chars().count() < 2 || !intro.contains(noun.as_str()))
            {
                continue;
            }
            if items.len() != stated {
                let statement = format!("{}{}", &text[n.start..n.end], intro);
                acc.push(listed_other_count(
                    &statement,
                    &format!("列出的{noun}"),
                    items.len(),
                    [line, list_line],
                    list,
                ));
            }
        }
    }
}

/// A slogan that counts its own items ("“六进”活动，即进机关、进学校、进社区…"): the numeral
/// against the items listed after 即 or a colon, each opening with the slogan's word.
pub fn check_slogans(doc: &Doc, acc: &mut Vec<Finding>) {
    const NUMERALS: &str = "两二三四五六七八九十";
    for (line, text) in doc.lines.iter().enumerate() {
        if !text.contains('“') {
            continue;
        }
        for (at, _) in text.match_indices('“') {
            let inner = &text[at + '“'.len_utf8()..];
            let Some((slogan, rest)) = inner.split_once('”') else {
                continue;
            };
            let mut cs = slogan.chars();
            let (Some(num), word) = (cs.next(), cs.as_str()) else {
                continue;
            };
            let Some(stated) = NUMERALS
                .find(num)
                .map(|i| NUMERALS[..i].chars().count() + 1)
            else {
                continue;
            };
            // (两 and 二 both count two.)
            let stated = if num == '两' { 2 } else { stated };
            if !(1..=2).contains(&word.chars().count()) || !word.chars().all(crate::util::is_cjk) {
                continue;
            }
            let sentence = rest.split(['。', '；']).next().unwrap_or("");
            let Some(list) = ["，即", "即：", "：", "，包括"]
                .iter()
                .find_map(|m| sentence.split_once(m).map(|(_, l)| l))
            else {
                continue;
            };
            let list = list.split(['，', ',']).next().unwrap_or("");
            let items: Vec<&str> = list.split('、').map(str::trim).collect();
            if items.len() < 2 || !items.iter().all(|it| it.starts_with(word)) {
                continue;
            }
            if items.len() != stated {
                acc.push(listed_other_count(
                    &format!("“{slogan}”"),
                    "列出的",
                    items.len(),
                    [line, line],
                    list,
                ));
            }
        }
    }
}

/// "称“7场”，但其后列出的共 6 个": a count (with the words introducing its list, a trailing
/// comma dropped) against the items listed.
fn listed_other_count(
    statement: &str,
    listed: &str,
    count: usize,
    lines: [usize; 2],
    list: &str,
) -> Finding {
    let statement = statement.trim_end_matches(['，', ',']).to_owned();
    finding(
        "count-mismatch",
        Severity::Error,
        format!("称“{statement}”，但其后{listed}共 {count} 个"),
        lines,
        vec![statement, list.to_owned()],
    )
}

/// Whether `after` (the words after a count on `line`) names table `t` by its title's number
/// ("附表2", "表2") written on the line above its header, or sends the reader to the table
/// right below ("具体见下表：").
fn referred_to(doc: &Doc, t: &crate::doc::Table, line: usize, after: &str) -> bool {
    // "具体见下表：" right above the table's header.
    let header_line = t.rows[0].cells[0].line;
    if (after.contains("见下表") || after.contains("如下表"))
        && header_line > line
        && doc.lines[line + 1..header_line]
            .iter()
            .all(|l| l.trim().is_empty())
    {
        return true;
    }
    let above = t.rows[0].cells[0].line.checked_sub(1);
    let title = above.map_or("", |l| doc.lines[l].trim_start());
    let name: String = title
        .chars()
        .take_while(|c| *c != '：' && *c != ':' && !c.is_whitespace())
        .collect();
    (name.starts_with("附表") || name.starts_with('表'))
        && name.chars().count() <= 5
        && after.contains(name.as_str())
}

/// The months of a list "3月、6月、10月进行" (the last item may carry the verb), two or more.
fn listed_months(list: &str) -> Option<Vec<&str>> {
    let items: Vec<&str> = list.split('、').map(str::trim).collect();
    let months: Vec<&str> = items
        .iter()
        .enumerate()
        .map(|(k, it)| {
            let digits = it.chars().take_while(char::is_ascii_digit).count();
            let rest = it[digits..].strip_prefix('月')?;
            let last = k + 1 == items.len();
            let fits = rest.is_empty()
                || ["上旬", "中旬", "下旬", "份", "底", "初"].contains(&rest)
                || last && rest.chars().count() <= 4;
            ((1..=2).contains(&digits) && fits).then_some(&it[..digits + '月'.len_utf8()])
        })
        .collect::<Option<_>>()?;
    (months.len() >= 2).then_some(months)
}

/// How many characters every item ends with in common.
fn common_ending(items: &[&str]) -> usize {
    let Some(first) = items.first() else { return 0 };
    let first: Vec<char> = first.chars().rev().collect();
    first
        .iter()
        .enumerate()
        .take_while(|(i, c)| items.iter().all(|it| it.chars().rev().nth(*i) == Some(**c)))
        .count()
}

/// "抽样覆盖生产基地、批发市场、农贸市场和超市三个环节": names listed right before their
/// count.
pub fn check_lists_before(doc: &Doc, acc: &mut Vec<Finding>) {
    const LEADS: &[&str] = &["覆盖", "包括", "涉及", "包含", "分为", "涵盖"];
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        if !text.contains('、') {
            continue;
        }
        for n in doc.nums_of(line) {
            if n.cmp.is_some() || n.approx || n.paren {
                continue;
            }
            let Ok(stated) = n.value.to_string().parse::<usize>() else {
                continue;
            };
            if !(2..=20).contains(&stated) {
                continue;
            }
            let head = &text[..n.start];
            let clause = head
                .rsplit(['，', '。', '；', '：', ',', ';', ':'])
                .next()
                .unwrap_or(head);
            // Without a verb that opens the list, a count of steps or kinds right after short
            // names ("落实申请、审核、审批、发放五个环节") still counts them: the first name is
            // cut to the length of the longest of the others.
            let noun_after: String = text[n.end..]
                .chars()
                .skip_while(|c| matches!(c, '个' | '大' | '项' | '类'))
                .take(2)
                .collect();
            let collective = ["环节", "方面", "步骤", "阶段", "类别", "渠道", "程序"]
                .contains(&noun_after.as_str());
            let list_start = LEADS
                .iter()
                .filter_map(|w| clause.rfind(w).map(|i| (i, *w)))
                .max()
                .map(|(at, lead)| at + lead.len())
                // "重点对A、B、C、D五类高风险食品加大抽检频次": 对 opens the list when a measure
                // word follows the count.
                .or_else(|| {
                    let measured = matches!(n.unit, "类" | "种" | "项" | "家" | "所" | "个")
                        || text[n.end..].starts_with(['类', '种', '项', '家', '所']);
                    let first = clause.find('、')?;
                    let at = clause[..first].rfind('对')?;
                    // The count right after the list ("对长春、吉林、延边三地4个场馆": the
                    // list is counted by 三地, not by 4个).
                    let clause_at = n.start - clause.len();
                    let last = clause.rfind('、').map_or("", |k| &clause[k..]);
                    let between = doc
                        .nums_of(line)
                        .iter()
                        .any(|o| o.start > clause_at + first && o.end < n.start)
                        || last.contains([
                            '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '两',
                        ]);
                    (measured
                        && !between
                        && clause[at + '对'.len_utf8()..first].chars().count() <= 12)
                        .then_some(at + '对'.len_utf8())
                })
                .or_else(|| {
                    if !collective {
                        return None;
                    }
                    let segs: Vec<&str> = clause.split('、').collect();
                    let (first, rest) = segs.split_first()?;
                    let longest = rest.iter().map(|x| x.chars().count()).max()?;
                    let keep: usize = first.chars().rev().take(longest).map(char::len_utf8).sum();
                    (first.chars().count() > longest).then(|| first.len() - keep)
                });
            let Some(at) = list_start else {
                continue;
            };
            let list = &clause[at..];
            if !list.contains('、') || list.ends_with('等') || list.ends_with("等等") {
                continue;
            }
            // "A、B和C": only the last item may join two with 和; one earlier ("A和B、C")
            // leaves the grouping open.
            let parts: Vec<&str> = list.split('、').collect();
            if parts[..parts.len() - 1]
                .iter()
                .any(|it| it.contains(['和', '及', '与']))
            {
                continue;
            }
            let items: Vec<&str> = parts
                .iter()
                .flat_map(|it| {
                    it.split_once(['和', '及', '与'])
                        .map_or(vec![*it], |(a, b)| vec![a, b])
                })
                .map(str::trim)
                .collect();
            if items.len() < 3
                || items.iter().any(|it| {
                    let k = it.chars().count();
                    !(2..=8).contains(&k) || !it.chars().all(crate::util::is_cjk)
                })
            {
                continue;
            }
            if items.len() != stated {
                let noun: String = text[n.end..]
                    .chars()
                    .take_while(|c| crate::util::is_cjk(*c))
                    .take(4)
                    .collect();
                let statement = format!("{}{noun}", text[n.start..n.end].trim());
                acc.push(finding(
                    "count-mismatch",
                    Severity::Error,
                    format!("称“{statement}”，但前面列出的共 {} 项", items.len()),
                    [line],
                    vec![list.to_owned(), statement],
                ));
            }
        }
    }
}

/// "全年共开设培训班9期，各期培训情况如下：" against the rows of the table that follows, when
/// the rows name what was counted (培训班, 第N期).
pub fn check_table_rows(doc: &Doc, acc: &mut Vec<Finding>) {
    use super::scores::{RowKind, row_kind};
    for table in doc.tables.iter().filter(|t| t.header && t.rows.len() >= 3) {
        let Some(first) = table.rows[0].cells.first() else {
            continue;
        };
        // The announcing line: the last non-empty one right above the table.
        let Some(line) = first.line.checked_sub(1) else {
            continue;
        };
        let text = &doc.lines[line];
        if !(text.contains("如下") || text.contains("见下表")) {
            continue;
        }
        for n in doc.nums_of(line) {
            if n.cmp.is_some() || n.approx || n.unit.is_empty() || n.unit.chars().count() > 2 {
                continue;
            }
            let Ok(stated) = n.value.to_string().parse::<usize>() else {
                continue;
            };
            if !(2..=60).contains(&stated) {
                continue;
            }
            // "全年共对12个场馆拨付补助资金，具体如下表：" over rows numbered 1 to 11: the
            // numbered rows are the things counted, whatever each is called.
            let data: Vec<&str> = table.rows[1..]
                .iter()
                .filter_map(|r| r.cells.first().map(|c| doc.cell_text(c).trim()))
                .filter(|l| row_kind(l) == RowKind::Item)
                .collect();
            let numbered = data.len() >= 2
                && data
                    .iter()
                    .enumerate()
                    .all(|(i, l)| l.parse::<usize>().ok() == Some(i + 1));
            let (ss, se) = crate::util::sentence(doc, line, n.start, n.end);
            const COUNTED: &[&str] = &[
                "个", "家", "所", "座", "处", "项", "名", "户", "条", "支", "台", "套",
            ];
            if numbered
                && COUNTED.contains(&n.unit)
                && (text[ss..se].contains("如下") || text[ss..se].contains("下表"))
            {
                // ("本项目23个小区…分布在…7个街道，明细如下": one of the sentence's counts is
                // the rows'.)
                let rows_counted = doc.nums_of(line).iter().any(|m| {
                    m.start >= ss
                        && m.end <= se
                        && COUNTED.contains(&m.unit)
                        && m.value.to_string().parse::<usize>().ok() == Some(data.len())
                });
                if !rows_counted {
                    let written = text[n.start..n.end].trim().to_owned();
                    acc.push(finding(
                        "count-mismatch",
                        Severity::Error,
                        format!("称“{written}”，但其后表中编号列出 {} 个", data.len()),
                        [line],
                        vec![written],
                    ));
                }
                continue;
            }
            // The counted noun: the CJK characters right before the number ("培训班").
            let noun = crate::util::cjk_tail(&text[..n.start], 3);
            let noun = noun.trim_start_matches(['共', '计', '了', '有', '设', '办']);
            if noun.chars().count() < 2 {
                continue;
            }
            let labels: Vec<String> = table.rows[1..]
                .iter()
                .filter_map(|r| r.cells.first().map(|c| doc.cell_text(c).to_owned()))
                .filter(|l| row_kind(l) == RowKind::Item && !l.starts_with("其中"))
                .collect();
            let named = labels
                .iter()
                .filter(|l| l.contains(noun) || l.ends_with(n.unit))
                .count();
            if labels.len() < 2 || named * 3 < labels.len() * 2 || labels.len() == stated {
                continue;
            }
            let written = text[n.start..n.end].trim().to_owned();
            acc.push(finding(
                "count-mismatch",
                Severity::Error,
                format!("称“{noun}{written}”，但其后表中列出 {} 行", labels.len()),
                [line],
                vec![written],
            ));
        }
    }
}

/// "三级指标18项" against the rows of an indicator table that lists them.
pub fn check_indicator_counts(doc: &Doc, acc: &mut Vec<Finding>) {
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        // ("三级绩效指标12项" names the level too.)
        for (written, level) in [
            ("一级指标", "一级指标"),
            ("二级指标", "二级指标"),
            ("三级指标", "三级指标"),
            ("四级指标", "四级指标"),
            ("三级绩效指标", "三级指标"),
        ] {
            let Some(i) = doc.find(line, written) else {
                continue;
            };
            let after = &text[i + written.len()..];
            // "产出指标下设三级指标八项": the count of one level's indicators, not the table's.
            let clause_head = text[..i]
                .rsplit(['，', '。', '；', ','])
                .next()
                .unwrap_or("");
            // (One level named; "产出、效益、满意度共设…" names all but one and counts them all.)
            if ["产出", "效益", "效果", "满意度", "决策", "过程", "管理"]
                .iter()
                .filter(|w| clause_head.contains(*w))
                .count()
                == 1
            {
                continue;
            }
            // The count right after the level's name ("三级指标18项"), not the next level's
            // ("3个一级指标和12个二级指标").
            let Some(n) = doc.nums_of(line).iter().find(|n| {
                n.start >= i + written.len()
                    && n.start <= i + written.len() + 6
                    && !text[i + written.len()..n.start].contains(['和', '、', '，', '及'])
            }) else {
                continue;
            };
            if !matches!(n.unit, "项" | "个") && !after.contains('项') {
                continue;
            }
            let Ok(stated) = n.value.to_string().parse::<usize>() else {
                continue;
            };
            // "三级指标15项（不含预算执行率）": that row is not counted.
            let excluded: Option<&str> = text[n.end..]
                .strip_prefix(['（', '('])
                .and_then(|r| r.strip_prefix("不含").or_else(|| r.strip_prefix("不包括")))
                .and_then(|r| r.split(['）', ')']).next())
                .map(str::trim)
                .filter(|x| !x.is_empty())
                // "三级指标17项（…），另设预算执行率指标": a row set apart after it.
                .or_else(|| {
                    let (_, se) = crate::util::sentence(doc, line, n.end, n.end);
                    let tail = &text[n.end..se.max(n.end)];
                    let at = tail.find("另设")? + "另设".len();
                    let rest = &tail[at..];
                    let end = rest.find("指标").unwrap_or(rest.len());
                    Some(rest[..end].trim()).filter(|x| x.chars().count() >= 2)
                })
                // "除预算执行率外，共设三级指标10项": the same exclusion written before.
                .or_else(|| {
                    let (ss, _) = crate::util::sentence(doc, line, i, i);
                    let head = &text[ss..i];
                    let d = head.rfind('除')?;
                    let rest = &head[d + '除'.len_utf8()..];
                    let x = rest.find('外')?;
                    Some(rest[..x].trim()).filter(|x| !x.is_empty())
                });
            // Tables with a column of that level: count their distinct non-empty cells. A
            // report may have several (the target sheet's 一级/二级/三级 and the framework's);
            // the statement is wrong only when no table agrees with it.
            let mut counted: Vec<usize> = Vec::new();
            for t in doc.tables.iter().filter(|t| t.header) {
                let header = &t.rows[0];
                // (A table the statement sends the reader to may name the level's column
                // 指标名称.)
                let Some(col) = header
                    .cells
                    .iter()
                    .position(|c| doc.cell_text(c).contains(level))
                    .or_else(|| {
                        referred_to(doc, t, line, &text[n.end..]).then(|| {
                            header
                                .cells
                                .iter()
                                .position(|c| doc.cell_text(c).trim() == "指标名称")
                        })?
                    })
                else {
                    continue;
                };
                if header.cells.len() < 3 {
                    continue;
                }
                // A table whose rows are mostly fragments (cells wrapped over several lines, as
                // a PDF's text gives them) cannot be counted.
                let fragments = t.rows[1..]
                    .iter()
                    .filter(|r| r.cells.len() * 2 < header.cells.len())
                    .count();
                if fragments * 10 > (t.rows.len() - 1) * 3 {
                    continue;
                }
                // Only a table read whole can be counted: its rows' weights must add up to
                // its 合计 row or to 100 (a table cut by a page, wrapped cells or a shape read
                // wrongly loses rows, and the count would be wrong, not the report).
                let weight_col = header.cells.iter().position(|c| {
                    let h = doc.cell_text(c);
                    h.contains("分值") || h.contains("权重") || h == "满分"
                });
                let mut weights = Dec::ZERO;
                let mut total: Option<Dec> = None;
                let mut seen: Vec<String> = Vec::new();
                for r in &t.rows[1..] {
                    let cells = super::scores::aligned(doc, &r.cells, &header.cells);
                    if let Some(wc) = weight_col
                        && let Some(Some(c)) = cells.get(wc)
                        && let Some(&wn) = c.nums.first()
                    {
                        let first: String = r
                            .cells
                            .iter()
                            .map(|c| doc.cell_text(c))
                            .find(|t| !t.trim().is_empty())
                            .unwrap_or("")
                            .to_owned();
                        let kind = super::scores::row_kind(&first);
                        // The first total row is the table's (a 总分 under a 合计 adds the
                        // budget table's points).
                        if kind == super::scores::RowKind::Total {
                            total = total.or(Some(doc.nums[wn].value));
                        } else if kind == super::scores::RowKind::Item {
                            weights = weights.checked_add(doc.nums[wn].value).unwrap_or(weights);
                        }
                    }
                    if let Some(Some(c)) = cells.get(col) {
                        let v = doc.cell_text(c).to_owned();
                        // The row's label: its first non-empty cell (later cells may be
                        // explanations that mention 合计 or 总分).
                        let label: &str = r
                            .cells
                            .iter()
                            .map(|c| doc.cell_text(c))
                            .find(|t| !t.trim().is_empty())
                            .unwrap_or("");
                        let dash = v
                            .trim()
                            .chars()
                            .all(|c| matches!(c, '—' | '-' | '－' | '/' | '／'));
                        if !v.is_empty()
                            && !dash
                            && excluded.is_none_or(|x| !v.contains(x))
                            // (Totals and 小计 rows; not "总分馆图书流转", 总分 in a name.)
                            && super::scores::row_kind(label) == super::scores::RowKind::Item
                            && !seen.contains(&v)
                        {
                            seen.push(v);
                        }
                    }
                }
                let hundred = Dec::from_int(100).unwrap_or(Dec::ZERO);
                // The central form keeps 预算执行率 (10 points) in the budget table above.
                let ten = Dec::from_int(10).unwrap_or(Dec::ZERO);
                let full = total.unwrap_or(hundred);
                // (The Hubei form keeps 20 points for it.)
                let twenty = Dec::from_int(20).unwrap_or(Dec::ZERO);
                let budget_apart = (weights.checked_add(ten) == Some(full)
                    || weights.checked_add(twenty) == Some(full))
                    && doc.lines[..t.rows[0].cells[0].line].iter().any(|l| {
                        (l.contains("执行率") || l.contains("预算执行"))
                            && (l.contains("分值") || l.contains("权重") || l.contains("分）"))
                    });
                // Or the statement sends the reader to this very table ("三级指标共12项（详见
                // 附表2）" above "附表2：…绩效目标完成情况表", "具体见表2" above "表2  …"), and
                // every row is as wide as the header.
                let referenced = referred_to(doc, t, line, &text[n.end..])
                    && t.rows[1..]
                        .iter()
                        .all(|r| r.cells.len() == header.cells.len());
                let whole = referenced
                    || weight_col.is_some()
                        && (weights == full || weights == hundred || budget_apart);
                if whole && seen.len() >= 3 && t.rows[0].cells[0].line > line {
                    counted.push(seen.len());
                }
            }
            if !counted.is_empty() && !counted.contains(&stated) {
                let closest = counted
                    .iter()
                    .copied()
                    .min_by_key(|c| c.abs_diff(stated))
                    .unwrap_or(0);
                // (As written, with what stands between: "三级指标共12项".)
                let w = text[i..n.end].to_owned();
                acc.push(finding(
                    "count-mismatch",
                    Severity::Error,
                    format!("称“{w}”，但指标表中列有 {closest} 项"),
                    [line],
                    vec![w],
                ));
            }
        }
    }
}
