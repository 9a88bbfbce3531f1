//! Names that drift: the project called one thing in the title and another in the text
//! (残疾人基层组织建设及服务经费 / 残疾人事业职能补助经费), or the unit's name changing
//! (西宁市城东区民政局 / 西宁市城北区民政局).

use crate::doc::{Doc, strip_debris};
use crate::util::{finding, is_cjk, overlap};
use crate::{Finding, Severity};

/// Words a fund's name ends with.
const FUND_ENDINGS: &[&str] = &["专项资金", "补助资金", "资金", "经费", "补助", "工程"];

/// Words a unit's name ends with.
const UNIT_ENDINGS: &[&str] = &[
    "委员会",
    "联合会",
    "局",
    "委",
    "中心",
    "办公室",
    "办事处",
    "公司",
    "政府",
    "医院",
    "学校",
    "协会",
    "院",
    "馆",
    "站",
    "所",
    "厅",
];

/// The last characters of [`UNIT_ENDINGS`].
const ENDING_CHARS: &str = "会局委心室处司府院校馆站所厅";

/// Fields of a report's form that name a unit other than the report's own.
const OTHER_UNIT_FIELDS: &[&str] = &["主管部门", "委托单位"];

fn fund_ending(s: &str) -> Option<&'static str> {
    FUND_ENDINGS.iter().copied().find(|e| s.ends_with(e))
}

/// The project's name from the title or the 项目名称 cell, and the lines it is on (two when
/// the title is broken over two lines).
fn project_name(doc: &Doc) -> Option<(String, Vec<usize>)> {
    for (i, l) in doc.lines.iter().enumerate().take(60) {
        let t = strip_debris(l);
        let t = t.trim();
        if let Some(rest) = t.strip_prefix("项目名称") {
            let name = rest
                .trim_start_matches([':', '：', '\t', ' ', '|'])
                .split(['\t', '|'])
                .next()
                .unwrap_or("");
            let name = clean_name(name);
            if name.chars().count() >= 4 {
                return Some((name, vec![i]));
            }
        }
        for marker in [
            "项目支出绩效自评报告",
            "支出绩效自评报告",
            "绩效自评报告",
            "绩效评价报告",
            "自评报告",
        ] {
            if let Some(head) = t.strip_suffix(marker) {
                // A title broken over two lines: "2022年残疾人基层组织建设及服务" / "经费支出绩效自评报告".
                let (head, at) = if head.trim().chars().count() < 4 && i > 0 {
                    (
                        format!("{}{}", strip_debris(&doc.lines[i - 1]).trim(), head.trim()),
                        vec![i - 1, i],
                    )
                } else {
                    (head.to_owned(), vec![i])
                };
                let name = clean_name(&head);
                if name.chars().count() >= 4 {
                    return Some((name, at));
                }
            }
        }
    }
    None
}

/// A name without its year prefix, quotes and a trailing 项目.
fn clean_name(s: &str) -> String {
    let mut t = cjk_only_keep(s.trim());
    // "2022年", "天水市2023年" and the like: the name starts after the year.
    if let Some(i) = t.find('年')
        && i >= 4
        && t[..i].chars().rev().take(4).all(|c| c.is_ascii_digit())
    {
        t = t[i + '年'.len_utf8()..].to_owned();
        // "2021年度…": 年度 is the year too.
        if let Some(rest) = t.strip_prefix('度') {
            t = rest.to_owned();
        }
    }
    let t = t.trim_end_matches("项目").to_owned();
    t.trim_end_matches("支出").to_owned()
}

fn cjk_only_keep(s: &str) -> String {
    s.chars()
        .filter(|c| is_cjk(*c) || c.is_ascii_digit() || matches!(c, '（' | '）'))
        .collect()
}

/// Other names of the project: runs that start like it and end like a fund's name.
fn project_aliases(doc: &Doc, name: &str, name_line: usize) -> Vec<(String, usize)> {
    let head: String = name.chars().take(3).collect();
    let head2: String = name.chars().take(2).collect();
    let mut out: Vec<(String, usize)> = Vec::new();
    // A name that is no fund's ("城厢镇河道保洁服务项目") is looked for before 项目.
    let before_xiangmu = fund_ending(name).is_none();
    if before_xiangmu && name.chars().count() < 6 {
        return out;
    }
    // One searcher per probe for the whole document.
    let (find_head, find_head2) = (
        memchr::memmem::Finder::new(head.as_bytes()),
        memchr::memmem::Finder::new(head2.as_bytes()),
    );
    for (i, l) in doc.lines.iter().enumerate() {
        if i == name_line || !doc.may_contain(i, &head2) {
            continue;
        }
        let text = strip_debris(l);
        let (probe, finder) = if find_head.find(text.as_bytes()).is_some() {
            (&head, &find_head)
        } else {
            (&head2, &find_head2)
        };
        let mut from = 0;
        while let Some(p) = finder.find(&text.as_bytes()[from..]) {
            let start = from + p;
            from = start + probe.len();
            // Extend to the nearest fund ending within 24 characters, through CJK only.
            let run: String = text[start..]
                .chars()
                .take_while(|c| is_cjk(*c))
                .take(24)
                .collect();
            // The shortest run ending in 资金 or 经费, else in 补助 or 工程.
            let ends_at = |strong: bool| -> Option<String> {
                let mut ends: Vec<usize> = run.char_indices().map(|(k, _)| k).collect();
                ends.push(run.len());
                ends.into_iter().find_map(|k| {
                    let cand = &run[..k];
                    let ok = if strong {
                        cand.ends_with("资金") || cand.ends_with("经费")
                    } else {
                        fund_ending(cand).is_some()
                    };
                    (ok && cand.chars().count() >= 5).then(|| cand.to_owned())
                })
            };
            let strong_name = name.ends_with("资金") || name.ends_with("经费");
            let best = if before_xiangmu {
                run.match_indices("项目")
                    .map(|(k, _)| &run[..k])
                    .find(|cand| cand.chars().count() >= 5)
                    .map(str::to_owned)
            } else if strong_name {
                ends_at(true)
            } else {
                ends_at(false)
            };
            let Some(c) = best else { continue };
            if c == name || name.contains(&c) || c.contains(name) {
                continue;
            }
            let (common, shorter) = overlap(&c, name);
            let lead = c
                .chars()
                .zip(name.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let similar = lead >= 2
                && common * 5 >= shorter * 2
                && common >= 4
                && (c.chars().count().abs_diff(name.chars().count())) <= 6;
            if similar && !out.iter().any(|(x, l)| *x == c && *l == i) {
                out.push((c, i));
            }
        }
    }
    out
}

/// The project's name shortened, or its money called 资金 or 经费 ("地质灾害防治专项资金" /
/// "地质灾害防治资金", "冬季清冰雪专项经费" / "冬季清雪资金"): the same project, as people
/// write it. (A word changed, "安置保障资金" / "安置补助资金", or put in, "托养服务" / "托养照料
/// 服务", is another name.)
fn shorthand(name: &str, alias: &str) -> bool {
    const MONEY_WORDS: &[&str] = &["资金", "经费", "项目", "专项", "奖补"];
    let core = |s: &str| -> Vec<char> {
        let mut t = s.to_owned();
        while let Some(w) = MONEY_WORDS.iter().find(|w| t.ends_with(*w)) {
            t.truncate(t.len() - w.len());
        }
        t.chars().collect()
    };
    let (a, b) = (core(name), core(alias));
    // Words put into the name ("托养服务补助资金" / "托养照料服务补助资金") rename it.
    if b.len() > a.len() {
        return false;
    }
    let (short, long) = (b, a);
    // Every character of the shorter core, in order, in the longer.
    let mut it = long.iter();
    short.len() >= 2 && short.iter().all(|c| it.any(|x| x == c))
}

/// Words that make a run of text no name of the project ("生态环境局监测科负责",
/// "中医传承工作室不在本项目资金", "退役军人提供项目指导"), when the project's name does not hold them.
fn not_a_name(name: &str, alias: &str) -> bool {
    [
        "负责", "组织", "不在", "每年", "安排", "本级", "配套", "考核", "所需", "专账", "生均",
        "局", "科", "与", "提供", "开展", "给予", "实施", "任务",
    ]
    .iter()
    .any(|w| alias.contains(w) && !name.contains(w))
}

/// Other names of the project in the places a project is named by its year ("2021年度涉法涉诉
/// 救助资金项目自评得分…" under the title "2021年度司法救助资金项目…"): the same last words
/// after a year, followed by the project's evaluation or score.
fn renamed_after_year(doc: &Doc, name: &str, name_lines: &[usize]) -> Vec<(String, usize)> {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 6 {
        return Vec::new();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    let mut out: Vec<(String, usize)> = Vec::new();
    for (i, l) in doc.lines.iter().enumerate() {
        if name_lines.contains(&i) || !doc.may_contain(i, &tail) {
            continue;
        }
        let text = strip_debris(l);
        for (at, _) in text.match_indices(tail.as_str()) {
            let end = at + tail.len();
            let after = text[end..].strip_prefix("项目").unwrap_or(&text[end..]);
            if !["自评", "绩效", "综合得分", "评价", "得分"]
                .iter()
                .any(|w| after.starts_with(w))
            {
                continue;
            }
            // Back over the name to the year before it.
            let head = &text[..at];
            let run: String = head
                .chars()
                .rev()
                .take_while(|c| is_cjk(*c) && *c != '年')
                .collect();
            let run: String = run.chars().rev().collect();
            let before = &head[..head.len() - run.len()];
            let run = run.strip_prefix('度').unwrap_or(&run);
            let year_before = before
                .strip_suffix('年')
                .is_some_and(|b| b.chars().rev().take(4).filter(char::is_ascii_digit).count() == 4)
                || before.strip_suffix("年度").is_some();
            let cand = format!("{run}{tail}");
            if !year_before
                || run.chars().count() < 2
                || cand == name
                || name.contains(&cand)
                || cand.contains(name)
                || out.iter().any(|(c, _)| *c == cand)
            {
                continue;
            }
            out.push((cand, i));
        }
    }
    out
}

/// The office that carries the project out, named in two ways ("由本院立案一庭（司法救助办公
/// 室）负责组织实施" / "本项目由立案二庭负责组织实施"): names of one length that differ in one
/// character, each right before 负责组织实施 or 负责实施.
fn implementing_offices(doc: &Doc, acc: &mut Vec<Finding>) {
    const ROLE: &[&str] = &[
        "负责组织实施",
        "负责项目实施",
        "负责具体实施",
        "负责实施",
        "作为项目法人",
        "作为项目实施单位",
    ];
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, l) in doc.lines.iter().enumerate() {
        if !doc.may_contain(i, "负责") && !doc.may_contain(i, "作为") {
            continue;
        }
        for role in ROLE {
            for (at, _) in l.match_indices(role) {
                // Back over an aside in brackets, then over the office's name.
                let mut head = l[..at].trim_end();
                if let Some(h) = head.strip_suffix('）')
                    && let Some(open) = h.rfind('（')
                {
                    head = &h[..open];
                }
                let name: String = head
                    .chars()
                    .rev()
                    .take_while(|c| is_cjk(*c) && !matches!(*c, '由' | '院' | '局' | '委' | '的'))
                    .take(16)
                    .collect();
                let name: String = name.chars().rev().collect();
                if name.chars().count() < 3
                    || !["庭", "科", "股", "处", "室", "所", "站", "队", "办", "中心"]
                        .iter()
                        .any(|e| name.ends_with(e))
                    || seen.iter().any(|(n, _)| *n == name)
                {
                    continue;
                }
                seen.push((name, i));
            }
        }
    }
    for (a, (n1, l1)) in seen.iter().enumerate() {
        for (n2, l2) in &seen[a + 1..] {
            let differ = n1.chars().zip(n2.chars()).filter(|(x, y)| x != y).count();
            // One letter apart ("立案一庭" / "立案二庭"), or one body's place and work with
            // another ending ("阳城县水利工程建设管理站" / "阳城县水利工程建设服务中心").
            let one_letter = n1.chars().count() == n2.chars().count() && differ == 1;
            let other_ending = shared_prefix(n1, n2) >= 6;
            if one_letter || other_ending {
                acc.push(two_names("负责组织实施的单位", (n1, *l1), (n2, *l2)));
            }
        }
    }
}

/// The unit's name from the header or the signature.
fn unit_names(doc: &Doc) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, l) in doc.lines.iter().enumerate() {
        if !["单位", "部门"].iter().any(|k| doc.may_contain(i, k)) {
            continue;
        }
        let t = strip_debris(l);
        for key in [
            "主管部门",
            "实施单位",
            "填报单位",
            "单位名称",
            "报告单位",
            "评价单位",
            "项目单位",
            "委托单位",
            "预算单位",
            "申报单位",
            "报送单位",
            "编制单位",
        ] {
            if !doc.may_contain(i, key) {
                continue;
            }
            if let Some(p) = crate::util::find(&t, key) {
                let rest = t[p + key.len()..]
                    .trim_start_matches([':', '：', '\t', ' ', '|', '（', '盖', '章', '）'])
                    // "具体实施单位为安定区农村供水管理站"
                    .trim_start_matches(['为', '是']);
                let v: String = rest.chars().take_while(|c| is_cjk(*c)).collect();
                let v = v.trim_end_matches("盖章").to_owned();
                if v.chars().count() < 5 || !UNIT_ENDINGS.iter().any(|e| v.ends_with(e)) {
                    continue;
                }
                match out.iter_mut().find(|(x, _)| *x == v) {
                    None => out.push((v, i)),
                    // The unit that supervises itself ("主管部门：…交通局" / "实施单位：…交通局")
                    // is named for its own field, so that its signature is compared.
                    Some((_, l))
                        if !OTHER_UNIT_FIELDS.contains(&key)
                            && OTHER_UNIT_FIELDS.iter().any(|f| doc.lines[*l].contains(f)) =>
                    {
                        *l = i;
                    }
                    Some(_) => {}
                }
            }
        }
    }
    // The unit the preamble says carried out the evaluation ("…要求，镇原县水土保持局会同县
    // 财政局，于…对2019年度…开展了绩效自评"): the name right before 会同 or 组织, in a
    // sentence about the self-evaluation, in the first lines.
    for (i, l) in doc.lines.iter().enumerate().take(12) {
        if !l.contains("自评") {
            continue;
        }
        // (Or right before 于 and the dates of the work: "柳州市水利局于2022年3月10日至4月15日
        // 对…开展了绩效自评".)
        let dated = doc
            .dates
            .iter()
            .filter(|d| d.line == i && d.start >= "于".len())
            .filter(|d| l[..d.start].ends_with('于'))
            .map(|d| (d.start - "于".len(), "于"));
        let verbs: Vec<(usize, &str)> = ["会同", "组织"]
            .iter()
            .flat_map(|verb| l.match_indices(verb))
            .chain(dated)
            .collect();
        {
            for (at, _) in verbs {
                let v: String = l[..at].chars().rev().take_while(|c| is_cjk(*c)).collect();
                let v: String = v.chars().rev().collect();
                let (place, _) = split_place(&v);
                if v.chars().count() >= 5
                    && v.chars().count() <= 20
                    && !place.is_empty()
                    && UNIT_ENDINGS.iter().any(|e| v.ends_with(e))
                    && !out.iter().any(|(x, _)| *x == v)
                {
                    out.push((v, i));
                }
            }
        }
    }
    // The unit alone on one of the first lines (a cover) or of the last lines (the signature),
    // or alone right above a date alone (a signature before attachments).
    let n = doc.lines.len();
    let signs = (4..n).filter(|&i| {
        let t = seal_stripped(doc.lines[i].trim());
        t.chars().count() >= 5
            && t.chars().count() <= 30
            && UNIT_ENDINGS.iter().any(|e| t.ends_with(e))
            && t.chars().all(is_cjk)
            && above_a_date(doc, i)
    });
    let lines: Vec<usize> = (0..n.min(4))
        .chain(n.saturating_sub(6).max(n.min(4))..n)
        .chain(signs)
        .collect();
    for i in lines {
        // "农安县畜牧业服务中心（盖章）": the seal note is no part of the name (nor is a
        // bookmark left before it).
        let line = strip_debris(&doc.lines[i]);
        let t = seal_stripped(line.trim());
        if t.chars().count() >= 5
            && t.chars().all(is_cjk)
            && UNIT_ENDINGS.iter().any(|e| t.ends_with(e))
            && !out.iter().any(|(x, _)| x == t)
        {
            out.push((t.to_owned(), i));
        }
    }
    out
}

/// Whether the next non-empty line after `line` is a date alone (a signature's date).
fn above_a_date(doc: &Doc, line: usize) -> bool {
    (line + 1..doc.lines.len())
        .find(|&k| !doc.lines[k].trim().is_empty())
        .is_some_and(|k| {
            doc.dates
                .iter()
                .any(|d| d.line == k && doc.lines[k].trim().len() <= d.end - d.start + 2)
        })
}

/// How many characters two names share from their start.
fn shared_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// A signature line without its seal note ("（盖章）", "(公章)").
fn seal_stripped(t: &str) -> &str {
    ["（盖章）", "(盖章)", "（公章）", "(公章)", "（章）"]
        .iter()
        .find_map(|w| t.strip_suffix(w))
        .unwrap_or(t)
        .trim_end()
}

/// A character that ends a place's name (区, 县, 市, 州, 省, 镇, 乡, 旗).
fn is_place_char(c: char) -> bool {
    matches!(c, '区' | '县' | '市' | '州' | '省' | '镇' | '乡' | '旗')
}

/// A unit name split after its last place word (区/县/市 …): (place, function).
fn split_place(s: &str) -> (&str, &str) {
    let cut = s
        .char_indices()
        .filter(|(_, c)| is_place_char(*c))
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
        .unwrap_or(0);
    (&s[..cut], &s[cut..])
}

/// The unit's own function named in the text under a place one or two characters off its
/// own ("阜阳市颍州区疾病预防控制中心" … "颍泉区疾病预防控制中心免疫规划科…").
fn misplaced_mentions(doc: &Doc, units: &[(String, usize)], acc: &mut Vec<Finding>) {
    let mut seen: Vec<String> = Vec::new();
    for (unit, uline) in units {
        let (place, function) = split_place(unit);
        if function.chars().count() < 4 {
            continue;
        }
        // The last place: "颍州区" of "阜阳市颍州区" (a county or district name is mostly two
        // characters and its level word).
        let own: Vec<char> = {
            let cs: Vec<char> = place.chars().collect();
            cs[cs.len().saturating_sub(3)..].to_vec()
        };
        if own.len() < 3 {
            continue;
        }
        // (One searcher for every line.)
        let finder = memchr::memmem::Finder::new(function);
        for (i, l) in doc.lines.iter().enumerate() {
            if !doc.may_contain(i, function) {
                continue;
            }
            let text = strip_debris(l);
            for at in finder.find_iter(text.as_bytes()) {
                let before: Vec<char> = crate::util::last_chars(&text[..at], own.len())
                    .chars()
                    .collect();
                // (A county become a city, "黔西县" / "黔西市", keeps its name and changes its
                // level word.)
                let level = |c: Option<&char>| c.is_some_and(|c| "县市区".contains(*c));
                let relevelled = before.len() == own.len()
                    && before[..before.len() - 1] == own[..own.len() - 1]
                    && before != own
                    && level(before.last())
                    && level(own.last());
                if before.len() != own.len()
                    || before == own
                    || before.last() != own.last() && !relevelled
                {
                    continue;
                }
                let diff = before.iter().zip(&own).filter(|(a, b)| a != b).count();
                if diff != 1 || !before.iter().all(|c| is_cjk(*c)) {
                    continue;
                }
                let other: String = before.iter().collect::<String>() + function;
                if seen.contains(&other) {
                    continue;
                }
                seen.push(other.clone());
                acc.push(two_names("单位名称", (unit, *uline), (&other, i)));
            }
        }
    }
}

/// Bodies of the unit's own place named twice with one or two words of their function
/// changed ("宁波市市政设施管理中心" / "宁波市市政设施养护中心", "甘肃省救灾物资储备中心" /
/// "甘肃省应急物资储备中心"): one body misnamed. Two bodies of one place differ in more than
/// that, or in a number or a direction ("第一人民医院" / "第二人民医院", "城东" / "城西").
fn reworded_bodies(doc: &Doc, units: &[(String, usize)], acc: &mut Vec<Finding>) {
    // (Every place the unit's name opens with: "宁波市" and "宁波市城市" of "宁波市城市管理局".)
    let mut places: Vec<&str> = units
        .iter()
        .flat_map(|(u, _)| {
            let place = split_place(u).0;
            place
                .char_indices()
                .filter(|(_, c)| is_place_char(*c))
                .map(move |(k, c)| &place[..k + c.len_utf8()])
        })
        .filter(|p| p.chars().count() >= 3)
        .collect();
    places.sort_unstable();
    places.dedup();
    // Each body named after one of the places: (place, function, line).
    let mut named: Vec<(&str, String, usize)> = Vec::new();
    for place in places {
        let finder = memchr::memmem::Finder::new(place);
        for (i, l) in doc.lines.iter().enumerate() {
            if !doc.may_contain(i, place) {
                continue;
            }
            let text = strip_debris(l);
            for at in finder.find_iter(text.as_bytes()) {
                // (An old name, "原…" or "…更名为…", is told as one.)
                if text[..at].ends_with('原') || text.contains("更名") {
                    continue;
                }
                let run = &text[at + place.len()..];
                // The shortest name the run opens with: "市政设施管理中心有关人员" names
                // 市政设施管理中心.
                let function = run
                    .char_indices()
                    .take_while(|(_, c)| is_cjk(*c))
                    .take(14)
                    .skip(4)
                    .find_map(|(k, c)| {
                        let f = &run[..k + c.len_utf8()];
                        (ENDING_CHARS.contains(c) && UNIT_ENDINGS.iter().any(|e| f.ends_with(e)))
                            .then(|| f.to_owned())
                    });
                if let Some(f) = function
                    && !named.iter().any(|(p, g, _)| *p == place && *g == f)
                {
                    named.push((place, f, i));
                }
            }
        }
    }
    for (a, (p1, f1, l1)) in named.iter().enumerate() {
        for (p2, f2, l2) in &named[a + 1..] {
            let (c1, c2): (Vec<char>, Vec<char>) = (f1.chars().collect(), f2.chars().collect());
            // (Companies of one place differ by their trade names: "永兴牧业有限公司" /
            // "丰源牧业有限公司" are two.)
            if p1 != p2 || c1.len() != c2.len() || f1.ends_with("公司") {
                continue;
            }
            let differ: Vec<(char, char)> = c1
                .iter()
                .zip(&c2)
                .filter(|(x, y)| x != y)
                .map(|(x, y)| (*x, *y))
                .collect();
            let ordinal = |c: char| "一二三四五六七八九十东南西北中上下前后新老大小".contains(c);
            let head = shared_prefix(f1, f2);
            let tail = c1
                .iter()
                .rev()
                .zip(c2.iter().rev())
                .take_while(|(x, y)| x == y)
                .count();
            // The changed words sit together, with four characters kept on one side of them
            // and the ending on the other.
            if (1..=2).contains(&differ.len())
                && head + tail + differ.len() == c1.len()
                && head.max(tail) >= 4
                && tail >= 1
                && !differ.iter().any(|(x, y)| ordinal(*x) || ordinal(*y))
                && !units.iter().any(|(u, _)| {
                    *u == format!("{p1}{f1}") && units.iter().any(|(v, _)| *v == format!("{p2}{f2}"))
                })
                // (Two bodies named side by side are two: "智力残疾人及亲友协会、精神残疾人及
                // 亲友协会".)
                && !doc.lines.iter().any(|l| l.contains(f1.as_str()) && l.contains(f2.as_str()))
            {
                acc.push(two_names(
                    "单位名称",
                    (&format!("{p1}{f1}"), *l1),
                    (&format!("{p2}{f2}"), *l2),
                ));
            }
        }
    }
}

/// An office of the unit's own list ("办公室、组织联络部、康复部、教育就业部…7个部室") named
/// later with another ending ("由康复科具体组织"): one office under two names.
fn listed_offices_renamed(doc: &Doc, acc: &mut Vec<Finding>) {
    const ENDINGS: &[char] = &['科', '部', '股', '室', '处'];
    // Words an ending opens that are no office: 科学, 部署, 处理, 股份, 室内 …
    let word_after = |e: char, next: Option<char>| {
        next.is_some_and(|n| match e {
            '科' => "学研技普".contains(n),
            '部' => "署分门位队".contains(n),
            '处' => "理置罚于在".contains(n),
            '股' => "份权东票".contains(n),
            '室' => "内外".contains(n),
            _ => false,
        })
    };
    let mut listed: Vec<(String, usize)> = Vec::new();
    for (i, l) in doc.lines.iter().enumerate() {
        // (A list of offices has at least two items that end in an office before a 、.)
        if !doc.may_contain(i, "、")
            || l.match_indices('、')
                .filter(|(at, _)| l[..*at].ends_with(ENDINGS))
                .count()
                < 2
        {
            continue;
        }
        let text = strip_debris(l);
        let items: Vec<&str> = text.split('、').collect();
        let offices: Vec<String> = items
            .iter()
            .enumerate()
            .filter_map(|(k, item)| {
                // The first item is the end of its text, the last the start of its.
                let run: String = if k == 0 {
                    let r: String = item.chars().rev().take_while(|c| is_cjk(*c)).collect();
                    r.chars().rev().collect()
                } else {
                    item.chars().take_while(|c| is_cjk(*c)).collect()
                };
                let end = run.char_indices().find(|&(at, c)| {
                    ENDINGS.contains(&c)
                        && at >= 2 * 3
                        && !word_after(c, run[at + c.len_utf8()..].chars().next())
                });
                let (at, c) = if k + 1 == items.len() {
                    end?
                } else {
                    (
                        run.len() - run.chars().next_back()?.len_utf8(),
                        run.chars().next_back()?,
                    )
                };
                (ENDINGS.contains(&c) && run[..at].chars().count() >= 2)
                    .then(|| run[..at + c.len_utf8()].to_owned())
            })
            .collect();
        if offices.len() >= 3 && offices.len() + 1 >= items.len() {
            for o in offices {
                if !listed.iter().any(|(x, _)| *x == o) {
                    listed.push((o, i));
                }
            }
        }
    }
    let mut seen: Vec<String> = Vec::new();
    for (office, ol) in &listed {
        let Some(ending) = office.chars().next_back() else {
            continue;
        };
        let stem = &office[..office.len() - ending.len_utf8()];
        if stem.chars().count() > 6 {
            continue;
        }
        let finder = memchr::memmem::Finder::new(stem);
        for (i, l) in doc.lines.iter().enumerate() {
            if !doc.may_contain(i, stem) {
                continue;
            }
            let text = strip_debris(l);
            for at in finder.find_iter(text.as_bytes()) {
                let mut rest = text[at + stem.len()..].chars();
                let Some(e) = rest.next() else { continue };
                if e == ending || !ENDINGS.contains(&e) || word_after(e, rest.next()) {
                    continue;
                }
                let other = format!("{stem}{e}");
                // (Part of a longer office of the list: "财务科" / "计划财务部".)
                let longer = listed.iter().any(|(x, _)| {
                    x.ends_with(&other) && text[..at + other.len()].ends_with(x.as_str())
                });
                if longer || seen.contains(&other) {
                    continue;
                }
                seen.push(other.clone());
                acc.push(two_names("内设科室名称", (office, *ol), (&other, i)));
            }
        }
    }
}

/// Project names and unit names that change.
pub fn check(doc: &Doc, acc: &mut Vec<Finding>) {
    if let Some((name, lines)) = project_name(doc) {
        let mut aliases = project_aliases(doc, &name, lines[0]);
        for (alias, l) in renamed_after_year(doc, &name, &lines) {
            if !aliases.iter().any(|(a, _)| *a == alias) {
                aliases.push((alias, l));
            }
        }
        aliases.retain(|(alias, _)| !shorthand(&name, alias) && !not_a_name(&name, alias));
        for (alias, l) in aliases {
            acc.push(finding(
                "name-inconsistent",
                Severity::Warning,
                format!("项目名称前后不一致：标题为“{name}”，此处为“{alias}”"),
                lines.iter().copied().chain([l]),
                vec![name.clone(), alias],
            ));
        }
    }
    let units = unit_names(doc);
    // The unit named on the cover, in the form and in the signature: "城市管理局" and
    // "城市管理和综合执法局" of one place are one unit before and after a reorganisation, or a
    // mistake; either way the report must use one name.
    for (a, (u1, l1)) in units.iter().enumerate() {
        for (u2, l2) in &units[a + 1..] {
            let ((p1, f1), (p2, f2)) = (split_place(u1), split_place(u2));
            let (short, long) = if f1.len() <= f2.len() {
                (f1, f2)
            } else {
                (f2, f1)
            };
            let Some(last) = short.chars().next_back() else {
                continue;
            };
            let stem = &short[..short.len() - last.len_utf8()];
            // One function, the place misspelt: "城东区民政局" / "城北区民政局".
            let misplaced = f1 == f2
                && !f1.is_empty()
                && p1 != p2
                && p1.chars().count() == p2.chars().count()
                && (1..=2).contains(&p1.chars().zip(p2.chars()).filter(|(a, b)| a != b).count());
            if misplaced {
                acc.push(two_names("单位名称", (u1, *l1), (u2, *l2)));
                continue;
            }
            // The report's own unit, named in its header and signed otherwise ("残疾人康复协会"
            // / "残疾人康复服务中心"): one unit under two names. (A 主管部门 is another unit.)
            // (Nor is a 委托单位, which commissions the evaluation.)
            let in_field = |u: &str, l: usize, field: &str| {
                crate::util::find(&doc.lines[l], field)
                    .is_some_and(|i| doc.lines[l][i..].contains(u))
            };
            let supervisor =
                |u: &str, l: usize| OTHER_UNIT_FIELDS.iter().any(|field| in_field(u, l, field));
            let shared = shared_prefix(f1, f2);
            let own_renamed = p1 == p2
                && !p1.is_empty()
                && f1 != f2
                && shared >= 4
                && !supervisor(u1, *l1)
                && !supervisor(u2, *l2);
            // "韶关市生态环境局" on the cover, "韶关市环境保护局" under the report: the cover
            // and the signature name the report's own unit, whatever its two names share.
            let n = doc.lines.len();
            // (A signature above its date may have attachments after it.)
            let signed = |l: usize| l + 8 >= n || above_a_date(doc, l);
            // (The unit's own field of the form, "实施单位：…", names it as the cover does.)
            let cover = |l: usize| {
                l < 5
                    || [
                        "实施单位",
                        "填报单位",
                        "单位名称",
                        "报告单位",
                        "项目单位",
                        "预算单位",
                    ]
                    .iter()
                    .any(|k| doc.lines[l].contains(k))
            };
            // (A signature may leave out the higher place: "重庆市江津区交通局" / "江津区…".)
            let same_place = !p1.is_empty()
                && !p2.is_empty()
                && (p1 == p2 || p1.ends_with(p2) || p2.ends_with(p1));
            let signed_pair = cover(*l1) && signed(*l2) || cover(*l2) && signed(*l1);
            // A unit that signs and is named nowhere else is no second unit of the report
            // ("柳州市水利局" throughout, "柳州市水务局" signing): the report's own, renamed.
            let named_once = |u: &str, l: usize| {
                (0..n).all(|i| i == l || !doc.may_contain(i, u) || !doc.lines[i].contains(u))
            };
            let lone_signature = if signed(*l2) && !cover(*l2) {
                named_once(u2, *l2)
            } else {
                signed(*l1) && !cover(*l1) && named_once(u1, *l1)
            };
            let cover_and_signature = signed_pair
                && same_place
                && f1 != f2
                && f1.chars().count() >= 2
                && f2.chars().count() >= 2
                && (f1.chars().count() >= 3
                    && f2.chars().count() >= 3
                    && f1.chars().next_back() == f2.chars().next_back()
                    && f1.chars().filter(|c| f2.contains(*c)).count() >= 3
                    // (A 委托单位 that signs under its old name, "卫生健康委员会" / "卫生和
                    // 计划生育委员会", is the unit renamed; a 主管部门 is another unit.)
                    && !in_field(u1, *l1, "主管部门")
                    && !in_field(u2, *l2, "主管部门")
                    || lone_signature && !supervisor(u1, *l1) && !supervisor(u2, *l2));
            if own_renamed
                || cover_and_signature
                || p1 == p2
                    && !p1.is_empty()
                    && short != long
                    && long.ends_with(last)
                    && stem.chars().count() >= 2
                    && long.starts_with(stem)
                    && long.chars().count() - short.chars().count() <= 8
            {
                acc.push(two_names("单位名称", (u1, *l1), (u2, *l2)));
            }
        }
    }
    misplaced_mentions(doc, &units, acc);
    reworded_bodies(doc, &units, acc);
    listed_offices_renamed(doc, acc);
    implementing_offices(doc, acc);
    for (unit, uline) in &units {
        let chars: Vec<char> = unit.chars().collect();
        let len = chars.len();
        let head: String = chars[..3.min(len)].iter().collect();
        let tail: String = chars[len.saturating_sub(1)..].iter().collect();
        let finder = memchr::memmem::Finder::new(&head);
        for (i, l) in doc.lines.iter().enumerate() {
            if !doc.may_contain(i, &head) || finder.find(l.as_bytes()).is_none() {
                continue;
            }
            let stripped = strip_debris(l);
            // (Only where the head is: each place it starts, the characters a name may take.)
            let mut from = 0;
            while let Some(p) = finder.find(&stripped.as_bytes()[from..]) {
                let at = from + p;
                let text: Vec<char> = stripped[at..].chars().take(len + 2).collect();
                let next = at + head.chars().next().map_or(1, char::len_utf8);
                let past = |n: usize| at + text[..n].iter().map(|c| c.len_utf8()).sum::<usize>();
                if text.len() < len {
                    break;
                }
                let window: String = text[..len].iter().collect();
                if window.starts_with(&head) && window.ends_with(&tail) && window != *unit {
                    let diff = window
                        .chars()
                        .zip(unit.chars())
                        .filter(|(a, b)| a != b)
                        .count();
                    // A different place with the same function is the same unit misnamed; the same
                    // place with another function is another unit (民政局 / 财政局).
                    let (p1, f1) = split_place(unit);
                    let (p2, f2) = split_place(&window);
                    // "文化旅游体育局" / "文化旅游广电局": one function's name with its last words
                    // changed, in one place, is the unit misnamed too.
                    let common_prefix = shared_prefix(f1, f2);
                    let renamed = p1 == p2
                        && f1.chars().count() == f2.chars().count()
                        && f1.chars().count() >= 6
                        && common_prefix >= 4;
                    let is_other_unit = units.iter().any(|(u, _)| *u == window)
                        || !renamed && (f1 != f2 || p1 == p2);
                    if (1..=2).contains(&diff) && window.chars().all(is_cjk) && !is_other_unit {
                        acc.push(misnamed(unit, *uline, window, i));
                        from = past(len);
                        continue;
                    }
                }
                // The unit's name with one or two characters put inside its function
                // ("农村供水管理站" / "农村供水管理总站", "就业服务中心" / "就业创业服务中心"),
                // not after it ("人民医院" / "人民医院分院" is another unit).
                if let Some(window) =
                    inserted_variant(&chars, &text).or_else(|| removed_variant(&chars, &text))
                {
                    acc.push(misnamed(unit, *uline, window, i));
                    from = past(len);
                    continue;
                }
                from = next;
            }
        }
    }
}

/// The warning for one thing given two names: `what` (单位名称 …), each name with its line.
fn two_names(what: &str, (a, la): (&str, usize), (b, lb): (&str, usize)) -> Finding {
    finding(
        "name-inconsistent",
        Severity::Warning,
        format!("{what}前后不一致：“{a}”与“{b}”"),
        [la, lb],
        vec![a.to_owned(), b.to_owned()],
    )
}

/// The warning for a unit named `window` on line `line` and `unit` on line `uline`.
fn misnamed(unit: &str, uline: usize, window: String, line: usize) -> Finding {
    finding(
        "name-inconsistent",
        Severity::Warning,
        format!("单位名称前后不一致：“{unit}”与“{window}”"),
        [uline, line],
        vec![unit.to_owned(), window],
    )
}

/// The length of `unit`'s place name, and how many characters `text` shares with `unit` from
/// the start, when that is the place and at least two characters of the function but not
/// the whole name (where a variant may begin to differ).
fn head_in_common(unit: &[char], text: &[char]) -> Option<(usize, usize)> {
    let name: String = unit.iter().collect();
    let place = split_place(&name).0.chars().count();
    let p = unit.iter().zip(text).take_while(|(a, b)| a == b).count();
    (p < unit.len() && p >= place + 2).then_some((place, p))
}

/// The run at the start of `text` that is `unit` with one to three characters taken out of
/// its function (after its place and at least two characters of the function, before its
/// last character): "沈丘县农业农村局" / "沈丘县农业局", "湖北省文化和旅游厅" / "湖北省文化厅".
fn removed_variant(unit: &[char], text: &[char]) -> Option<String> {
    let len = unit.len();
    let (place, p) = head_in_common(unit, text)?;
    (1..=3).find_map(|gone| {
        let rest = unit.get(p + gone..)?;
        // At least the last character is left after the gap, and the function keeps three.
        if rest.is_empty() || len - gone < place + 3 {
            return None;
        }
        let window = text.get(..len - gone)?;
        (window[p..] == *rest).then(|| window.iter().collect())
    })
}

/// The run at the start of `text` that is `unit` with one or two Chinese characters put
/// inside its function (after its place and at least two characters of the function, before
/// its last character).
fn inserted_variant(unit: &[char], text: &[char]) -> Option<String> {
    let len = unit.len();
    let (_, p) = head_in_common(unit, text)?;
    let rest = &unit[p..];
    (1..=2).find_map(|extra| {
        let end = len + extra;
        let window = text.get(..end)?;
        (window[p + extra..] == *rest && window[p..p + extra].iter().all(|c| is_cjk(*c)))
            .then(|| window.iter().collect())
    })
}

#[cfg(test)]
mod tests {
    use super::{ENDING_CHARS, UNIT_ENDINGS};

    #[test]
    fn every_unit_ending_ends_in_one_of_the_ending_characters() {
        for e in UNIT_ENDINGS {
            let last = e.chars().next_back().unwrap_or(' ');
            assert!(ENDING_CHARS.contains(last), "{e}");
        }
    }
}
