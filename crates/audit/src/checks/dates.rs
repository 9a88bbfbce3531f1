//! Dates and years: the same period or event given in two years, an evaluation dated inside
//! the year it evaluates, a report signed before its evaluation ends, events in an order
//! that cannot be, and anniversaries that belong to another year (建党100周年 is 2021).

use jixiao_core::num::Dec;

use crate::doc::Doc;
use crate::scan::DateMention;
use crate::util::{finding, is_cjk};
use crate::{Finding, Severity};

fn written(doc: &Doc, d: &DateMention) -> String {
    doc.lines[d.line]
        .get(d.start..d.end)
        .unwrap_or("")
        .to_owned()
}

fn full(d: &DateMention) -> Option<(i32, u8, u8)> {
    Some((d.year?, d.month?, d.day?))
}

/// A date range written `A至B` (or with a dash) in one line.
#[derive(Clone, Copy, Debug)]
struct Range {
    from: usize,
    to: usize,
}

fn ranges(doc: &Doc) -> Vec<Range> {
    let mut out = Vec::new();
    for (i, a) in doc.dates.iter().enumerate() {
        let Some(b) = doc.dates.get(i + 1) else { break };
        if a.line != b.line || a.month.is_none() || b.month.is_none() {
            continue;
        }
        let between = &doc.lines[a.line][a.end..b.start];
        // A dash alone in a table cell between two dates (target, —, actual) is no range.
        if between.contains(['\t', '|', '｜']) {
            continue;
        }
        if matches!(
            between.trim(),
            "至" | "—" | "-" | "－" | "~" | "～" | "到" | "——"
        ) {
            out.push(Range { from: i, to: i + 1 });
        }
    }
    out
}

fn text_around(doc: &Doc, d: &DateMention, before: usize, after: usize) -> (String, String) {
    let l = &doc.lines[d.line];
    let head = crate::util::last_chars(&l[..d.start], before).to_owned();
    let tail: String = l[d.end..].chars().take(after).collect();
    (head, tail)
}

/// The error for one event given two dates: both lines, both dates as written.
fn one_event_two_dates(doc: &Doc, a: &DateMention, b: &DateMention, message: String) -> Finding {
    finding(
        "date-conflict",
        Severity::Error,
        message,
        [a.line, b.line],
        vec![written(doc, a), written(doc, b)],
    )
}

/// The once-only act a date is of, written right after it in its clause ("于2021年1月12日开工",
/// "2020年1月12日正式开工"; not "2021年6月30日前完工", a deadline).
fn act_right_after(doc: &Doc, d: &DateMention) -> Option<&'static str> {
    let tail = &doc.lines[d.line][d.end..];
    let clause = tail
        .split(['，', '。', '；', '、', ',', ';', '（', '('])
        .next()
        .unwrap_or("");
    let head: String = clause.chars().take(6).collect();
    // (After 底, 末, 初 or 旬: "2022年6月底前完成竣工决算审计" in a report on 2021 is a plan;
    // "于2021年10月底前全部完工" in a report on 2022 tells what was done.)
    let after_part = head.trim_start_matches(['底', '末', '初', '中', '上', '下', '旬']);
    let deadline = after_part.starts_with(['前', '止'])
        || after_part.starts_with("以前")
        || after_part.starts_with("之前");
    let ahead = match (d.year, doc.year) {
        (Some(y), Some(fy)) => y > fy,
        _ => true,
    };
    if deadline && (ahead || d.day.is_some()) {
        return None;
    }
    EVENT_WORDS
        .iter()
        .chain(&["演练", "开放", "揭牌", "投入使用"])
        .find(|w| head.contains(*w))
        .copied()
}

/// Whether a sentence sets one year beside another ("较上年", "去年同期", "每年"): its dates
/// may be of two years on purpose.
fn comparing_years(sentence: &str) -> bool {
    [
        "上年", "去年", "同期", "每年", "历年", "往年", "以来", "周年",
    ]
    .iter()
    .any(|w| sentence.contains(w))
}

/// The sentence a date is in, without the date itself.
fn sentence_around(doc: &Doc, d: &DateMention) -> String {
    let (s, e) = crate::util::sentence(doc, d.line, d.start, d.end);
    let l = &doc.lines[d.line];
    format!("{}{}", &l[s..d.start], &l[d.end..e])
}

/// For each date, the words of the table row it is a cell of (its other cells of words), when
/// it is one, and the act its column names ("发行" of "发行日期"), when it names one.
fn row_labels(doc: &Doc) -> Vec<Option<(String, Option<String>)>> {
    // The cells of each line, found once: (table, row, cell).
    let mut by_line: std::collections::HashMap<usize, Vec<(usize, usize, usize)>> =
        std::collections::HashMap::new();
    for (ti, t) in doc.tables.iter().enumerate() {
        for (ri, r) in t.rows.iter().enumerate() {
            for (ci, c) in r.cells.iter().enumerate() {
                by_line.entry(c.line).or_default().push((ti, ri, ci));
            }
        }
    }
    doc.dates
        .iter()
        .map(|d| {
            let &(ti, ri, at) = by_line.get(&d.line)?.iter().find(|&&(ti, ri, ci)| {
                let c = &doc.tables[ti].rows[ri].cells[ci];
                c.start <= d.start && d.end <= c.end
            })?;
            let t = &doc.tables[ti];
            let r = &t.rows[ri];
            let label = r
                .cells
                .iter()
                .enumerate()
                .filter(|&(ci, _)| ci != at)
                .map(|(_, c)| doc.cell_text(c))
                // (Words, though a name may hold a figure: "2023年…专项债券（九期）".)
                .filter(|t| t.chars().filter(|ch| is_cjk(*ch)).count() >= 4)
                .collect::<String>();
            let act = (t.header && r.cells.len() == t.rows[0].cells.len())
                .then(|| doc.cell_text(&t.rows[0].cells[at]).trim())
                .and_then(|h| h.strip_suffix("日期").or_else(|| h.strip_suffix("时间")))
                .filter(|w| w.chars().count() >= 2)
                .map(str::to_owned);
            Some((label, act))
        })
        .collect()
}

/// The phase a date's sentence opens with ("一期安置房…").
fn phase_at(doc: &Doc, d: &DateMention) -> Option<char> {
    crate::context::phase_opening(doc, d.line, d.start, d.end)
}

/// Acts that happen once: the same act on the same day of two years is one event misdated.
const EVENT_WORDS: &[&str] = &[
    "签订", "开工", "竣工", "完工", "建成", "验收", "下达", "印发", "召开", "启动", "成立", "开班",
    "结业", "招标", "发放", "拨付", "兑付",
];

const EVALUATION_WORDS: &[&str] = &[
    "评价",
    "自评",
    "评估",
    "绩效",
    "考核",
    "工作小组",
    "领导小组",
];

/// A report signed before the work its own text says produced it ("2022年3月25日形成自评报告
/// 初稿，3月30日经局党组会议审议通过后报送", signed "2022年3月18日").
fn check_signed_before_work(doc: &Doc, si: usize, acc: &mut Vec<Finding>) {
    const WORK: &[&str] = &[
        "报告初稿",
        "形成自评报告",
        "形成报告",
        "报告定稿",
        "审议通过",
        "审定",
        "报送",
        "上报",
        "撰写",
        "工作小组",
        "工作组",
        "自评工作",
    ];
    const PLANNED: &[&str] = &["计划", "将于", "拟", "之前", "前完成", "以前", "截至"];
    let s = &doc.dates[si];
    let Some(sig) = full(s) else { return };
    let mut later: Vec<&DateMention> = Vec::new();
    for (i, d) in doc.dates.iter().enumerate() {
        if i == si || d.line == s.line || d.day.is_none() {
            continue;
        }
        // A date without its year takes it from the date before it on its line.
        let year = d.year.or_else(|| {
            doc.dates[..i]
                .iter()
                .rev()
                .take_while(|p| p.line == d.line)
                .find_map(|p| p.year)
        });
        let (Some(y), Some(m), Some(day)) = (year, d.month, d.day) else {
            continue;
        };
        if y != sig.0 || (y, m, day) <= sig {
            continue;
        }
        let around = sentence_around(doc, d);
        let own: String = {
            let (_, t) = text_around(doc, d, 0, 40);
            t.split(['。', '；']).next().unwrap_or("").to_owned()
        };
        // ("自评工作于2020年3月2日启动，至3月27日结束": the work's own end.)
        if WORK.iter().any(|w| around.contains(w))
            && (WORK.iter().any(|w| own.contains(w))
                || ["工作小组", "自评工作", "评价工作"]
                    .iter()
                    .any(|w| around.contains(w)))
            && !PLANNED.iter().any(|w| around.contains(w))
        {
            later.push(d);
        }
    }
    let Some(last) = later.iter().max_by_key(|d| (d.month, d.day)) else {
        return;
    };
    let mut lines: Vec<usize> = later.iter().map(|d| d.line).collect();
    lines.push(s.line);
    let mut values: Vec<String> = later.iter().map(|d| written(doc, d)).collect();
    values.push(written(doc, s));
    acc.push(finding(
        "date-conflict",
        Severity::Error,
        format!(
            "报告落款日期“{}”早于文中所述评价工作或报告审议的日期“{}”",
            written(doc, s),
            written(doc, last)
        ),
        lines,
        values,
    ));
}

/// A purchase contract signed before the bids were opened ("于2024年6月18日在…交易中心开标" /
/// "2024年5月27日，医院与中标供应商签订采购合同"), in a report of one purchase (no lots).
fn check_contract_before_bids(doc: &Doc, acc: &mut Vec<Finding>) {
    let act = |d: &DateMention, words: &[&str]| {
        let (_, t) = text_around(doc, d, 0, 20);
        let clause = t.split(['。', '；']).next().unwrap_or("").to_owned();
        words.iter().any(|w| clause.contains(w)).then_some(clause)
    };
    let lots = doc
        .lines
        .iter()
        .any(|l| ["第二批", "二期"].iter().any(|w| l.contains(w)));
    if lots {
        return;
    }
    let dated = |d: &DateMention| Some((d.year?, d.month?, d.day?));
    let opened: Vec<&DateMention> = doc
        .dates
        .iter()
        .filter(|d| dated(d).is_some() && act(d, &["开标"]).is_some())
        .collect();
    let signed: Vec<&DateMention> = doc
        .dates
        .iter()
        .filter(|d| {
            // (With the party the bids chose, not a designer engaged before them.)
            dated(d).is_some()
                && act(d, &["签订"]).is_some_and(|c| {
                    let (h, _) = text_around(doc, d, 20, 0);
                    let party = format!("{h}{c}");
                    c.contains("合同")
                        && ["中标", "供应商", "承检", "施工单位", "承建", "服务商"]
                            .iter()
                            .any(|w| party.contains(w))
                })
        })
        .collect();
    if let ([o], [c]) = (opened.as_slice(), signed.as_slice())
        && dated(c) < dated(o)
    {
        acc.push(finding(
            "date-conflict",
            Severity::Error,
            format!(
                "与中标供应商签订合同的日期“{}”早于开标日期“{}”",
                written(doc, c),
                written(doc, o)
            ),
            [o.line, c.line],
            vec![written(doc, o), written(doc, c)],
        ));
    }
}

/// A class held from a day on ("2023年9月18日至20日…举办…培训班") said elsewhere to have
/// ended before it began ("2023年9月15日培训班结业").
fn check_class_ends_before_it_starts(doc: &Doc, acc: &mut Vec<Finding>) {
    for f in &doc.dates {
        let Some(start) = full(f) else { continue };
        let (_, after) = text_around(doc, f, 0, 40);
        let after = after.split(['。', '；']).next().unwrap_or("");
        if !after.starts_with('至') || !after.contains("培训班") || after.contains("结业") {
            continue;
        }
        for d in &doc.dates {
            if d.line == f.line {
                continue;
            }
            let Some(end) = full(d) else { continue };
            // ("2020年9月11日培训班结业", "培训班于2020年9月11日结业".)
            let (_, tail) = text_around(doc, d, 0, 12);
            let tail = tail.split(['。', '；', '，']).next().unwrap_or("");
            if sentence_around(doc, d).contains("培训班") && tail.contains("结业") && end < start
            {
                acc.push(finding(
                    "date-conflict",
                    Severity::Error,
                    format!(
                        "培训班于“{}”开班，第{}行却写“{}”结业，结业早于开班",
                        written(doc, f),
                        d.line + 1,
                        written(doc, d)
                    ),
                    [f.line, d.line],
                    vec![written(doc, f), written(doc, d)],
                ));
            }
        }
    }
}

/// The lasting rules a sentence says were issued or revised ("本院修订出台《…实施细则》",
/// "我院…出台的实施细则"): their name, from the title in 《》 or the words before 细则, 办法 …
/// Plans and notices (方案, 通知) are issued anew every year and are left out.
fn rule_issued(sentence: &str) -> Option<String> {
    const ISSUED: &[&str] = &["制定", "印发", "出台", "修订", "颁布", "发布", "下发"];
    const KINDS: &[&str] = &["细则", "办法", "规定", "制度", "条例", "规程"];
    if !ISSUED.iter().any(|w| sentence.contains(w)) {
        return None;
    }
    let name = match sentence.split_once('《') {
        Some((_, rest)) => rest.split_once('》')?.0.to_owned(),
        None => {
            let (at, kind) = KINDS
                .iter()
                .filter_map(|k| sentence.find(k).map(|i| (i, *k)))
                .min()?;
            let head: String = sentence[..at]
                .chars()
                .rev()
                .take_while(|c| is_cjk(*c) && *c != '的' && *c != '了')
                .collect();
            let head: String = head.chars().rev().collect();
            let head = ISSUED
                .iter()
                .fold(head, |h, w| h.rsplit(w).next().unwrap_or("").to_owned());
            format!("{head}{kind}")
        }
    };
    KINDS.iter().any(|k| name.ends_with(k)).then_some(name)
}

/// One document issued on two dates ("我市于2022年1月印发《嘉兴市…实施方案》" / "依据2021年11月
/// 印发的《嘉兴市…实施方案》"): the same verb and title right after two different months.
/// (A document drawn up in one month and issued in another is told with two verbs.)
fn check_document_issued(doc: &Doc, acc: &mut Vec<Finding>) {
    const ISSUED: &[&str] = &["印发", "出台", "颁布", "发布", "下发"];
    let mut seen: Vec<(String, &str, usize)> = Vec::new();
    for (i, d) in doc.dates.iter().enumerate() {
        let (Some(y), Some(m)) = (d.year, d.month) else {
            continue;
        };
        let after = &doc.lines[d.line][d.end..];
        let after = after.trim_start_matches(['，', ',']);
        let Some(verb) = ISSUED.iter().find(|w| after.starts_with(**w)) else {
            continue;
        };
        let rest = after[verb.len()..].trim_start_matches('的');
        let Some(title) = rest
            .strip_prefix('《')
            .and_then(|r| r.split_once('》'))
            .map(|(t, _)| t)
        else {
            continue;
        };
        if title.chars().count() < 6 {
            continue;
        }
        if let Some((_, _, j)) = seen.iter().find(|(t, v, j)| {
            t == title && v == verb && {
                let e = &doc.dates[*j];
                (e.year, e.month) != (Some(y), Some(m))
            }
        }) {
            let e = &doc.dates[*j];
            acc.push(one_event_two_dates(
                doc,
                e,
                d,
                format!(
                    "《{title}》的{verb}时间前后不一致：“{}”与“{}”",
                    written(doc, e),
                    written(doc, d)
                ),
            ));
            continue;
        }
        seen.push((title.to_owned(), verb, i));
    }
}

/// The report's own date: "填报日期：…", "报告日期", or a date alone on one of the last lines.
fn signature(doc: &Doc) -> Option<usize> {
    let n = doc.lines.len();
    for (i, d) in doc.dates.iter().enumerate().rev() {
        if d.line + 6 < n || full(d).is_none() {
            continue;
        }
        let l = doc.lines[d.line].trim();
        let alone = l.len() <= d.end - d.start + 2;
        if alone
            || ["填报日期", "报告日期", "日期：", "落款"]
                .iter()
                .any(|w| l.contains(w))
        {
            return Some(i);
        }
    }
    // A report followed by attachments signs off before them: a date alone on its line
    // under the unit's name ("冕宁县林业和草原局" / "2023年3月20日"), past the cover page.
    doc.dates.iter().enumerate().rev().find_map(|(i, d)| {
        let l = doc.lines[d.line].trim();
        let alone = l.len() <= d.end - d.start + 2;
        let unit_above = doc.lines[..d.line]
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .is_some_and(|u| {
                u.chars().count() <= 25
                    && UNIT_ENDINGS.iter().any(|e| u.ends_with(e))
                    && !u.contains(['，', '。', '：'])
            });
        (d.line > 10 && full(d).is_some() && alone && unit_above).then_some(i)
    })
}

/// An evaluation or its report dated inside the fiscal year it evaluates.
fn inside_year(what: &str, fy: i32, lines: Vec<usize>, values: Vec<String>) -> Finding {
    finding(
        "date-conflict",
        Severity::Error,
        format!("{what}在被评价的{fy}年度之内，自评应在年度结束后进行"),
        lines,
        values,
    )
}

/// Dates a form labels as its own (填报日期：…, 报告日期：…), anywhere in the report.
fn filled_in(doc: &Doc) -> impl Iterator<Item = usize> + '_ {
    doc.dates.iter().enumerate().filter_map(|(i, d)| {
        let before = &doc.lines[d.line][..d.start];
        let label = before.trim_end_matches([' ', '\u{3000}', '：', ':']);
        (full(d).is_some()
            && ["填报日期", "报告日期", "填报时间", "填表日期"]
                .iter()
                .any(|w| label.ends_with(w)))
        .then_some(i)
    })
}

/// Whether two lines count one thing alike: a figure of ten or more in one unit on both.
fn same_count(doc: &Doc, a: usize, b: usize) -> bool {
    doc.line_nums[a].clone().any(|i| {
        let x = &doc.nums[i];
        !x.unit.is_empty()
            && x.cmp.is_none()
            && x.value >= Dec::from_int(10).unwrap_or(Dec::ZERO)
            && doc.line_nums[b]
                .clone()
                .any(|k| doc.nums[k].unit == x.unit && doc.nums[k].value == x.value)
    })
}

/// How the names of the units that sign reports end.
const UNIT_ENDINGS: &[&str] = &[
    "局",
    "委员会",
    "委",
    "政府",
    "办公室",
    "联合会",
    "中心",
    "医院",
    "卫生院",
    "学校",
    "中学",
    "小学",
    "学院",
    "所",
    "站",
    "馆",
    "院",
    "厅",
    "部",
    "处",
    "公司",
    "办事处",
    "（盖章）",
];

/// Runs the date checks.
pub fn check(doc: &Doc, acc: &mut Vec<Finding>) {
    let before = acc.len();
    let ranges = ranges(doc);
    let year = doc.year;
    // An evaluation's own dates: the words before the range, in its sentence, name the
    // evaluation ("自评工作于…至…开展"; not "储备考核时点…；入库期为…至…").
    let is_eval = |r: &Range| {
        let d = &doc.dates[r.from];
        let t = &doc.dates[r.to];
        let l = &doc.lines[d.line];
        let (s, e) = crate::util::sentence(doc, d.line, d.start, d.start);
        let e = e.max(t.end.min(l.len()));
        // The words before it in its clause and the clause before ("成立自评工作组，于…至…"),
        let breaks = ['，', '：', '；', ',', ':'];
        let own = l[s..d.start].rfind(breaks).map_or(s, |i| s + i);
        let prev = l[s..own].rfind(breaks).map_or(s, |i| s + i);
        let (head, before) = (&l[own..d.start], &l[prev..own]);
        // and the clause after it, when those say it was an evaluation ("…，开展自评").
        let after = l[t.end.min(e)..e].trim_start_matches(breaks);
        let tail = after.split(['，', '；', ',']).next().unwrap_or("");
        let strong = ["自评", "评价", "评估"];
        EVALUATION_WORDS.iter().any(|w| head.contains(w))
            || strong
                .iter()
                .any(|w| before.contains(w) || tail.contains(w))
    };
    // The same range of days given in two different years.
    let mut reported = Vec::new();
    for (i, a) in ranges.iter().enumerate() {
        for b in &ranges[i + 1..] {
            let (af, at) = (&doc.dates[a.from], &doc.dates[a.to]);
            let (bf, bt) = (&doc.dates[b.from], &doc.dates[b.to]);
            let same_days =
                (af.month, af.day, at.month, at.day) == (bf.month, bf.day, bt.month, bt.day);
            if same_days && af.year != bf.year && af.day.is_some() {
                reported.push(a.from);
                reported.push(b.from);
                acc.push(finding(
                    "date-conflict",
                    Severity::Error,
                    format!(
                        "同一时段前后写成不同年份：“{}至{}”与“{}至{}”",
                        written(doc, af),
                        written(doc, at),
                        written(doc, bf),
                        written(doc, bt)
                    ),
                    [af.line, bf.line],
                    vec![
                        format!("{}至{}", written(doc, af), written(doc, at)),
                        format!("{}至{}", written(doc, bf), written(doc, bt)),
                    ],
                ));
            }
        }
    }
    // One event told to the month in two years ("2020年7月，组织数控、汽修专业12名骨干教师赴
    // 西安参加设备操作与维护培训" … "2019年7月组织12名专业教师赴西安参加设备操作培训"): no
    // day in either, and the sentences share eight or more characters beside a once-only act.
    // (Only month-only dates are compared, so a long report's many full dates cost nothing.)
    let month_only: Vec<usize> = (0..doc.dates.len())
        .filter(|&i| {
            let d = &doc.dates[i];
            d.year.is_some() && d.month.is_some() && d.day.is_none() && !d.inherited
        })
        .collect();
    for (x, &i) in month_only.iter().enumerate() {
        let a = &doc.dates[i];
        if reported.contains(&i) {
            continue;
        }
        for b in month_only[x + 1..].iter().map(|&j| &doc.dates[j]) {
            // (Two columns of one table row, "| 主体工程完工时间 | 2019年6月 | … | 2020年6月 |",
            // are a baseline and a result, not one event.)
            let one_row = a.line == b.line && doc.lines[a.line].contains(['|', '\t']);
            if b.month != a.month || b.year == a.year || one_row {
                continue;
            }
            let (sa, sb) = (sentence_around(doc, a), sentence_around(doc, b));
            // (举办 and 举行 tell one act: "运动会于2023年8月…举行" / "在2022年8月举办的…运动会".)
            let held = |t: &str| t.contains("举办") || t.contains("举行");
            let once = EVENT_WORDS
                .iter()
                .chain(&["组织", "赴"])
                .any(|w| sa.contains(w) && sb.contains(w))
                || held(&sa) && held(&sb);
            let rules = match (rule_issued(&sa), rule_issued(&sb)) {
                (Some(x), Some(y)) => {
                    x.chars().count().min(y.chars().count()) >= 4
                        && (x.ends_with(y.as_str()) || y.ends_with(x.as_str()))
                }
                _ => false,
            };
            // (Or one project's acceptance, 竣工验收, told in two years: "于2021年11月底前全部
            // 通过竣工验收" / "2020.11组织…联合竣工验收".)
            let acceptance = ["竣工验收", "交工验收", "完工验收"]
                .iter()
                .any(|w| sa.contains(w) && sb.contains(w))
                && !["期", "批", "标段", "上年", "以前年度"]
                    .iter()
                    .any(|w| sa.contains(w) || sb.contains(w));
            // (Or five characters in a row and the same figure counted: "组织开展全省法律援助
            // 案件质量评查，随机抽查案卷1,200件" / "本年度组织的全省案件质量评查（2018年10月）中，
            // 抽查的1,200件案卷".)
            let run = crate::util::common_run(&sa, &sb);
            // (A sentence that sets last year's date beside this year's tells two events.)
            let compared = comparing_years(&sa) || comparing_years(&sb);
            // (Or the act written right after both dates, "第二批资金于2023年7月下达" / "2022年
            // 7月下达的第二批资金", and four characters in a row shared. Documents are issued
            // anew every year: their dates are compared by title above.)
            let acted = run >= 4
                && matches!((act_right_after(doc, a), act_right_after(doc, b)), (Some(x), Some(y)) if x == y && x != "印发")
                && !compared;
            // (Or the same four words right after both dates: "2023年9月秋季学期起，全省推行…"
            // / "自2022年9月秋季学期起推行的…".)
            let after = |d: &DateMention| {
                doc.lines[d.line][d.end..]
                    .chars()
                    .take_while(|c| is_cjk(*c))
                    .collect::<String>()
            };
            let continued = !compared
                && after(a)
                    .chars()
                    .zip(after(b).chars())
                    .take_while(|(x, y)| x == y)
                    .count()
                    >= 4;
            if once && !compared && (run >= 8 || run >= 5 && same_count(doc, a.line, b.line))
                || continued
                || acted
                || rules
                || acceptance
            {
                let message = format!(
                    "同一事项前后写成不同年份：“{}”与“{}”",
                    written(doc, a),
                    written(doc, b)
                );
                acc.push(one_event_two_dates(doc, a, b, message));
            }
        }
    }
    // The same event (same day, same words after it) in two years.
    let labels = row_labels(doc);
    for (i, a) in doc.dates.iter().enumerate() {
        let Some((ya, ma, da)) = full(a) else {
            continue;
        };
        if a.inherited {
            continue;
        }
        for (j, b) in doc.dates.iter().enumerate().skip(i + 1) {
            let Some((yb, mb, db)) = full(b) else {
                continue;
            };
            if b.inherited || (ma, da) != (mb, db) || ya == yb {
                continue;
            }
            // (The words after each date, to the end of its sentence, for the message.)
            let upto_end = |t: String| t.split(['。', '；']).next().unwrap_or("").to_owned();
            let ta = upto_end(text_around(doc, a, 0, 8).1);
            let tb = upto_end(text_around(doc, b, 0, 8).1);
            // Or the same act on the same day and month within the sentence: "3月18日，…签订
            // 海漂垃圾清理服务合同" and "于3月18日签订服务合同".
            // The clause runs from the sentence's start (its subject: "12处工程均于") to the
            // end of the act after the date.
            let clause = |d: &DateMention| {
                let (_, t) = text_around(doc, d, 0, 30);
                t.split(['。', '；']).next().unwrap_or("").to_owned()
            };
            let subject_clause = |d: &DateMention| {
                let (h, t) = text_around(doc, d, 30, 30);
                let head = h.rsplit(['。', '；']).next().unwrap_or("");
                let tail = t.split(['。', '；', '，']).next().unwrap_or("");
                format!("{head}{tail}")
            };
            let act = |ca: &str, cb: &str| {
                EVENT_WORDS.iter().any(|w| ca.contains(w) && cb.contains(w))
                    && crate::util::overlap(ca, cb).0 >= 6
            };
            let sentence_of = |d: &DateMention| {
                let (h, t) = text_around(doc, d, 30, 30);
                let head = h.rsplit(['。', '；']).next().unwrap_or("");
                let tail = t.split(['。', '；']).next().unwrap_or("");
                format!("{head}{tail}")
            };
            // Or one of them names a once-only act and both name the same thing in five or
            // more characters ("两癌检查技术培训班" held on one day of two years).
            let named_twice = |ca: &str, cb: &str| {
                (EVENT_WORDS
                    .iter()
                    .chain(&["举办", "演练", "大检查", "排查", "督查"])
                    .any(|w| ca.contains(w) || cb.contains(w)))
                    && crate::util::common_run(ca, cb) >= 5
            };
            // Or one project's once-only acceptance (竣工验收) on the same day of two years,
            // the sentences naming no two phases (一期 / 二期).
            let acceptance = |ca: &str, cb: &str| {
                ["竣工验收", "交工验收", "完工验收"]
                    .iter()
                    .any(|w| ca.contains(w) && cb.contains(w))
                    && !["期", "批", "标段"]
                        .iter()
                        .any(|w| ca.contains(w) || cb.contains(w))
            };
            // Or both are the cut-off of one monitoring ("截至2021年6月30日各子项目执行进度" /
            // "截至2020年6月30日辅助器具适配子项目已完成适配536件"), neither set beside the other.
            let as_of = |d: &DateMention| {
                let head = &doc.lines[d.line][..d.start];
                head.ends_with("截至") || head.ends_with("截止")
            };
            let cut_off = as_of(a)
                && as_of(b)
                && doc.year.is_some_and(|fy| a.year.max(b.year) == Some(fy))
                && !comparing_years(&sentence_of(a))
                && !comparing_years(&sentence_of(b))
                && (ma, da) != (12, 31);
            // Or a table row's date ("新陈列对外开放时间 … 2023年9月28日") and a date in the
            // text whose sentence names the row's thing ("新陈列于2022年9月28日正式对外开放").
            // (A column that names its act, "发行日期", meets only a sentence that tells it: not
            // "于2023年6月15日…付息" beside a bond issued on 2022年6月15日.)
            let row_and_text = |t: usize, p: usize| {
                labels[t].as_ref().is_some_and(|(label, act)| {
                    let sp = sentence_of(&doc.dates[p]);
                    labels[p].is_none()
                        && crate::util::common_run(label, &sp) >= 4
                        && act.as_ref().is_none_or(|w| sp.contains(w.as_str()))
                        && !comparing_years(&sp)
                })
            };
            let same_act = cut_off
                || row_and_text(i, j)
                || row_and_text(j, i)
                || act(&clause(a), &clause(b))
                || matches!((act_right_after(doc, a), act_right_after(doc, b)), (Some(x), Some(y)) if x == y)
                    && !comparing_years(&sentence_of(a))
                    && !comparing_years(&sentence_of(b))
                || acceptance(&clause(a), &clause(b))
                || act(&subject_clause(a), &subject_clause(b))
                || named_twice(&sentence_of(a), &sentence_of(b));
            // Two phases of the works (一期 / 二期, 第一批 / 第二批) are two events.
            let phase = |d: &DateMention| -> Option<char> {
                let sent = sentence_of(d);
                let chars: Vec<char> = sent.chars().collect();
                chars.windows(2).find_map(|w| {
                    (matches!(w[1], '期' | '批')
                        && ("一二三四五六七八九十".contains(w[0]) || w[0].is_ascii_digit()))
                    .then_some(w[0])
                })
            };
            let other_phase = matches!((phase(a), phase(b)), (Some(x), Some(y)) if x != y);
            // (A sentence that sets last year's date beside this year's tells two events.)
            let compared = comparing_years(&sentence_of(a)) || comparing_years(&sentence_of(b));
            let same_event =
                !other_phase && (crate::util::overlap(&ta, &tb).0 >= 4 && !compared || same_act);
            if same_event && !reported.contains(&i) {
                let message = format!(
                    "同一事项前后写成不同日期：“{}{ta}”与“{}{tb}”",
                    written(doc, a),
                    written(doc, b)
                );
                acc.push(one_event_two_dates(doc, a, b, message));
            }
        }
    }
    // An evaluation dated inside the fiscal year it evaluates. The period evaluated
    // ("自评范围为2021年1月1日至12月31日…", "评价时段：2022年1月1日—2022年12月31日") is the
    // fiscal year itself, not when the evaluation was done.
    if let Some(fy) = year {
        for r in ranges.iter().filter(|r| is_eval(r)) {
            let f = &doc.dates[r.from];
            let t = &doc.dates[r.to];
            let whole_year =
                (f.month, f.day, t.month, t.day) == (Some(1), Some(1), Some(12), Some(31));
            let head = &doc.lines[f.line][..f.start];
            let scope = ["范围", "对象", "期间", "年度"].iter().any(|w| {
                head.ends_with(w) || head.trim_end_matches(['为', '：', ':', ' ']).ends_with(w)
            });
            if whole_year || scope {
                continue;
            }
            if f.year.is_some_and(|y| y <= fy) && !reported.contains(&r.from) {
                let mut lines = vec![f.line];
                let mut values = vec![format!("{}至{}", written(doc, f), written(doc, t))];
                // A signature on the window's last day, a year later, shows the slip.
                if let Some(si) = signature(doc) {
                    let s = &doc.dates[si];
                    if (s.month, s.day) == (t.month, t.day) && s.year != t.year {
                        lines.push(s.line);
                        values.push(written(doc, s));
                    }
                }
                let what = format!("评价时间“{}”", values[0]);
                acc.push(inside_year(&what, fy, lines, values));
            }
        }
    }
    // The self-evaluation's team set up, or its work begun, on one date inside the year it
    // evaluates ("我院于2024年3月成立自评工作组" in a report on 2024): the year had not ended.
    if let Some(fy) = year {
        for (i, d) in doc.dates.iter().enumerate() {
            if d.year != Some(fy) || d.month.is_none() || reported.contains(&i) || d.inherited {
                continue;
            }
            let after: String = doc.lines[d.line][d.end..].chars().take(10).collect();
            let head = &doc.lines[d.line][..d.start];
            let act = [
                "成立自评",
                "成立绩效自评",
                "启动自评",
                "启动绩效自评",
                "开展自评",
            ]
            .iter()
            .any(|w| after.starts_with(w) || after.contains(w) && after.starts_with(['，', ',']))
                && (head.ends_with('于')
                    || head.trim_end().ends_with(['，', '。'])
                    || head.is_empty());
            // (Not a range, told above; nor a date of another year's evaluation.)
            if act && !ranges.iter().any(|r| r.from == i || r.to == i) {
                let what = format!("自评工作时间“{}”", written(doc, d));
                acc.push(inside_year(&what, fy, vec![d.line], vec![written(doc, d)]));
            }
        }
    }
    // A report signed, or a form filled in (填报日期), before its evaluation ends.
    let signed = signature(doc);
    let mut own_dates: Vec<usize> = signed.into_iter().collect();
    own_dates.extend(filled_in(doc).filter(|i| Some(*i) != signed));
    // A form filled in within the year it evaluates ("2020年度…填报日期：2020年3月16日").
    if let Some(fy) = year {
        for &si in &own_dates {
            let d = &doc.dates[si];
            if d.year.is_some_and(|y| y <= fy) && full(d).is_some() {
                let mut lines = vec![d.line];
                let mut values = vec![written(doc, d)];
                if let Some(o) = own_dates
                    .iter()
                    .map(|&o| &doc.dates[o])
                    .find(|o| o.line != d.line && o.year.is_some_and(|y| y > fy))
                {
                    lines.push(o.line);
                    values.push(written(doc, o));
                }
                let what = format!("报告日期“{}”", written(doc, d));
                acc.push(inside_year(&what, fy, lines, values));
            }
        }
    }
    for &si in &own_dates {
        let s = &doc.dates[si];
        for r in ranges.iter().filter(|r| is_eval(r)) {
            let t = &doc.dates[r.to];
            if let (Some(end), Some(sig)) = (full(t), full(s))
                && sig < end
                && t.line != s.line
            {
                let f = &doc.dates[r.from];
                let mut lines = vec![t.line, s.line];
                let mut values = vec![
                    format!("{}至{}", written(doc, f), written(doc, t)),
                    written(doc, s),
                ];
                // The same day a year later elsewhere shows which one slipped.
                if let Some(o) = own_dates.iter().map(|&o| &doc.dates[o]).find(|o| {
                    o.line != s.line && (o.month, o.day) == (s.month, s.day) && o.year != s.year
                }) {
                    lines.push(o.line);
                    values.insert(1, written(doc, o));
                }
                acc.push(finding(
                    "date-conflict",
                    Severity::Error,
                    format!(
                        "报告落款日期“{}”早于评价工作结束日期“{}”",
                        written(doc, s),
                        written(doc, t)
                    ),
                    lines,
                    values,
                ));
            }
        }
    }
    if let Some(si) = signed
        && !acc[before..]
            .iter()
            .any(|f| f.message.starts_with("报告落款日期"))
    {
        check_signed_before_work(doc, si, acc);
    }
    check_order(doc, &ranges, acc);
    check_order_across(doc, acc);
    check_document_issued(doc, acc);
    check_contract_before_bids(doc, acc);
    check_class_ends_before_it_starts(doc, acc);
    check_order_in_tables(doc, acc);
    check_anniversaries(doc, acc);
    check_series_years(doc, acc);
}

/// A table of one series of events (第一批 … 第四批, 第1期 …) held in the year evaluated,
/// one of whose rows is dated in an earlier year: a date copied from last year's report.
fn check_series_years(doc: &Doc, acc: &mut Vec<Finding>) {
    let Some(fy) = doc.year else { return };
    let ordinal = |label: &str| {
        let l = label.trim();
        l.starts_with('第')
            && l.chars().count() <= 6
            && ["批", "期", "次", "轮", "场", "班"]
                .iter()
                .any(|w| l.ends_with(w))
    };
    for t in &doc.tables {
        // Each row's first cell, and the first date with a year of its own on that line.
        let rows: Vec<(&str, &DateMention)> = t
            .rows
            .iter()
            .filter_map(|r| {
                let first = r.cells.first()?;
                let label = doc.cell_text(first);
                let d = doc
                    .dates
                    .iter()
                    .find(|d| d.line == first.line && d.year.is_some() && !d.inherited)?;
                Some((label, d))
            })
            .collect();
        if rows.len() < 3 || !rows.iter().all(|(l, _)| ordinal(l)) {
            continue;
        }
        let odd: Vec<&DateMention> = rows
            .iter()
            .map(|(_, d)| *d)
            .filter(|d| d.year != Some(fy))
            .collect();
        if let [d] = odd.as_slice()
            && d.year.is_some_and(|y| y < fy)
        {
            acc.push(finding(
                "date-conflict",
                Severity::Error,
                format!(
                    "表中同一系列的其余各行均在{fy}年，此行写作“{}”，不属于评价年度",
                    written(doc, d)
                ),
                [d.line],
                vec![written(doc, d)],
            ));
        }
    }
}

const STARTS: &[&str] = &[
    "开班", "开工", "启动", "开始", "开幕", "开学", "签订", "进场",
];
const ENDS: &[&str] = &[
    "结业", "竣工", "完工", "结束", "闭幕", "验收", "交付", "办结", "完成",
];

/// A table with a start column and an end column (开班时间 / 结业时间, 开工日期 / 竣工日期):
/// no row may end before it starts.
fn check_order_in_tables(doc: &Doc, acc: &mut Vec<Finding>) {
    use crate::doc::Cell;
    let date_in = |c: &Cell| {
        doc.dates
            .iter()
            .find(|d| d.line == c.line && d.start >= c.start && d.end <= c.end && full(d).is_some())
    };
    for t in doc.tables.iter().filter(|t| t.header) {
        let header = &t.rows[0].cells;
        let col = |words: &[&str]| {
            header.iter().position(|h| {
                let h = doc.cell_text(h);
                h.chars().count() <= 10 && words.iter().any(|w| h.contains(w))
            })
        };
        let (Some(sc), Some(ec)) = (col(STARTS), col(ENDS)) else {
            continue;
        };
        if sc == ec {
            continue;
        }
        for r in &t.rows[1..] {
            let cells = super::scores::aligned(doc, &r.cells, header);
            let (Some(Some(a)), Some(Some(b))) = (cells.get(sc), cells.get(ec)) else {
                continue;
            };
            let (Some(da), Some(db)) = (date_in(a), date_in(b)) else {
                continue;
            };
            if let (Some(fa), Some(fb)) = (full(da), full(db))
                && fb < fa
            {
                let label = r.cells.first().map_or("", |c| doc.cell_text(c));
                acc.push(finding(
                    "date-conflict",
                    Severity::Error,
                    format!(
                        "“{label}”{}为“{}”，却早于{}“{}”",
                        doc.cell_text(&header[ec]),
                        written(doc, db),
                        doc.cell_text(&header[sc]),
                        written(doc, da)
                    ),
                    [da.line, db.line],
                    vec![written(doc, da), written(doc, db)],
                ));
            }
        }
    }
}

/// Events in an impossible order, and ranges that end before they start.
fn check_order(doc: &Doc, ranges: &[Range], acc: &mut Vec<Finding>) {
    for r in ranges {
        let (f, t) = (&doc.dates[r.from], &doc.dates[r.to]);
        if let (Some(a), Some(b)) = (full(f), full(t))
            && b < a
        {
            acc.push(finding(
                "date-conflict",
                Severity::Error,
                format!(
                    "时段“{}至{}”的结束早于开始",
                    written(doc, f),
                    written(doc, t)
                ),
                [f.line],
                vec![format!("{}至{}", written(doc, f), written(doc, t))],
            ));
        }
    }
    for (i, a) in doc.dates.iter().enumerate() {
        let Some(b) = doc.dates.get(i + 1) else { break };
        if a.line != b.line {
            continue;
        }
        let (Some(da), Some(db)) = (full(a), full(b)) else {
            continue;
        };
        let l = &doc.lines[a.line];
        let between = &l[a.end..b.start];
        let after_b: String = l[b.end..].chars().take(6).collect();
        let starts = STARTS
            .iter()
            .any(|w| between.starts_with(w) || between.contains(w));
        let ends = ENDS
            .iter()
            .any(|w| after_b.starts_with(w) || after_b.contains(w));
        if starts && ends && db < da && between.chars().count() <= 12 {
            let tail: String = after_b.chars().take(2).collect();
            let whole = format!("{}{between}{}{tail}", written(doc, a), written(doc, b));
            acc.push(finding(
                "date-conflict",
                Severity::Error,
                format!("先后顺序不可能：“{whole}”"),
                [a.line],
                vec![whole],
            ));
        }
    }
}

/// One thing's start and end told in different places ("研修培训班于2023年9月18日开班" …
/// "研修培训班于2023年9月12日结业"): the end cannot come before the start.
fn check_order_across(doc: &Doc, acc: &mut Vec<Finding>) {
    const PAIRS: &[(&str, &str)] = &[
        ("开班", "结业"),
        ("开学", "结业"),
        ("开工", "竣工"),
        ("开工", "完工"),
        ("开幕", "闭幕"),
        ("开工", "验收"),
        ("完工", "验收"),
        ("进场", "完成主体"),
        ("进场", "竣工"),
        ("进场", "完工"),
        ("进场", "通水"),
        ("开工", "完成主体"),
        ("开工", "通水"),
        // Equipment is bought by tender, then delivered and installed.
        ("招标", "到货"),
        ("招标", "安装"),
        ("招标", "投入使用"),
    ];
    // The event word right after a full date, and the subject in the clause before it.
    // A deadline among the targets ("5.标准化改造于2019年11月30日前完工；") is no act; told
    // as done ("全部改厕户于2020年12月20日前通过县级验收") it is.
    let targets = crate::context::target_sections(doc);
    let event = |d: &DateMention, words: &[&str]| -> Option<(String, &'static str)> {
        let l = &doc.lines[d.line];
        if targets[d.line]
            && ["前", "以前", "之前"]
                .iter()
                .any(|w| l[d.end..].starts_with(w))
        {
            return None;
        }
        // The act within the clause after the date ("…日开工", "…日，工程通过竣工验收").
        let after: String = l[d.end..]
            .trim_start_matches(['，', ','])
            .chars()
            .take_while(|c| !matches!(c, '，' | '。' | '；' | ','))
            // ("…于2021年9月28日对全乡抚育作业进行了全面检查验收": the act may close a longer clause.)
            .take(16)
            .collect();
        let word = PAIRS
            .iter()
            .flat_map(|(a, b)| [*a, *b])
            .find(|w| words.contains(w) && after.contains(w))?;
        // The subject: the clause before the date, or the one before that when the date
        // opens its clause ("第三期 中式面点班，8月15日开班").
        let mut clauses = l[..d.start].rsplit(['，', '。', '；', '：', ',']);
        let first = clauses.next().unwrap_or("");
        let clause = if first.trim().is_empty() && !l[..d.start].trim_end().ends_with('。') {
            clauses.next().unwrap_or("")
        } else {
            first
        };
        Some((crate::context::key_of(clause.trim_end_matches('于')), word))
    };
    // Dated acts of one kind (starts or ends): date index, subject, act.
    // (A date without a year, "8月15日开班", is in the year the report evaluates.)
    let acts = |words: Vec<&str>| -> Vec<(usize, String, &'static str)> {
        doc.dates
            .iter()
            .enumerate()
            .filter(|(_, d)| d.year.or(doc.year).is_some() && d.month.is_some())
            .filter_map(|(i, d)| event(d, &words).map(|(k, w)| (i, k, w)))
            .collect()
    };
    let starts = acts(PAIRS.iter().map(|p| p.0).collect());
    let ends = acts(PAIRS.iter().map(|p| p.1).collect());
    // One start and one end in the whole report are the works' own, however briefly named.
    // (The tender and installation of equipment are acts of their own, not of the works.)
    let equipment = |w: &str| matches!(w, "招标" | "到货" | "安装" | "投入使用");
    let only_pair = starts.iter().filter(|(_, _, w)| !equipment(w)).count() == 1
        && ends.iter().filter(|(_, _, w)| !equipment(w)).count() == 1;
    for (j, ke, we) in &ends {
        let (j, we) = (*j, *we);
        let e = &doc.dates[j];
        let (Some(ye), Some(me)) = (e.year.or(doc.year), e.month) else {
            continue;
        };
        for (i, ks, ws) in &starts {
            let s = &doc.dates[*i];
            // (Or both name the same works in five characters or more: "乌石镇集中式污水处理
            // 站" / "乌石镇污水处理站施工单位".)
            let named = ks.chars().count().min(ke.chars().count()) >= 4
                && (ks.contains(ke.as_str())
                    || ke.contains(ks.as_str())
                    || crate::util::common_run(ks, ke) >= 5);
            // Or the tender names what is later installed ("2023年6月12日完成设备公开招标，采购
            // DR一台…" / "DR于2023.05.30安装调试完毕").
            let tendered = *ws == "招标" && ke.chars().count() >= 2 && {
                let (a, b) = crate::util::sentence(doc, s.line, s.start, s.end);
                doc.lines[s.line][a..b].contains(ke.as_str())
            };
            let named = named || tendered;
            // Or one sentence that runs on to the next line ("该工程于…开工，\n经过约两个月
            // 施工，于…通过交工验收").
            let run_on = e.line == s.line + 1
                && !doc.lines[s.line][s.end..].contains('。')
                && !doc.lines[e.line][..e.start].contains('。');
            // One sentence telling both acts ("改厕任务于2021年11月28日完工，全部改厕户于2020年
            // 12月20日前通过县级验收") tells them of one thing.
            // (Other pairs in one sentence are checked with the line's own dates.)
            // (Told in that order: "三座于…通过验收，洋坪镇一座于…主体完工" tells two things.)
            let one_sentence = s.line == e.line
                && (*ws, we) == ("完工", "验收")
                && s.end <= e.start
                && !doc.lines[s.line][s.end..e.start].contains(['。', '；']);
            // Or the report tells each of the two acts once ("于2021年10月25日全部完工" /
            // "于2021年9月28日对全乡抚育作业进行了全面检查验收"), unless the start's own
            // sentence tells its end too ("5月26日全部完工并通过县水利局组织的验收" is another
            // thing than "5月18日组织验收").
            let each_once = !equipment(ws) && {
                let (a, b) = crate::util::sentence(doc, s.line, s.start, s.end);
                !doc.lines[s.line][a..b].contains(we)
                    && starts.iter().filter(|(_, _, w)| w == ws).count() == 1
                    && ends.iter().filter(|(_, _, w)| *w == we).count() == 1
            };
            let paired =
                named || run_on || only_pair && !equipment(ws) || one_sentence || each_once;
            if s.line == e.line && !one_sentence || !paired || !PAIRS.contains(&(*ws, we)) {
                continue;
            }
            // (Two phases' works, "二期安置房…于2022年7月开工" / "一期安置房…于2022年6月30日
            // 竣工", are two things.)
            if let (Some(ps), Some(pe)) = (phase_at(doc, s), phase_at(doc, e))
                && ps != pe
            {
                continue;
            }
            // Compared to the day when both give one, else to the month; a date without a
            // year only with another without one.
            // (Or a start in the year evaluated and an end without a year in the same month:
            // "于2025年10月13日开班" / "10月8日结业".)
            let same_month_of_the_year =
                doc.year.is_some() && s.year.or(e.year) == doc.year && s.month == e.month;
            if s.year.is_some() != e.year.is_some() && !same_month_of_the_year {
                continue;
            }
            let dated = |d: &DateMention| Some((d.year.or(doc.year)?, d.month?, d.day?));
            let before = match (dated(s), dated(e)) {
                (Some(ds), Some(de)) => de < ds,
                _ => s
                    .year
                    .or(doc.year)
                    .zip(s.month)
                    .is_some_and(|(ys, ms)| (ye, me) < (ys, ms)),
            };
            if before {
                acc.push(finding(
                    "date-conflict",
                    Severity::Error,
                    format!(
                        "“{}”第{}行{}于{}，第{}行却{}于{}，结束早于开始",
                        if ks.chars().count() >= 4 && ks.len() <= ke.len() {
                            ks
                        } else if ke.chars().count() >= 4 {
                            &ke
                        } else {
                            "该事项"
                        },
                        s.line + 1,
                        ws,
                        written(doc, s),
                        e.line + 1,
                        we,
                        written(doc, e)
                    ),
                    [s.line, e.line],
                    vec![written(doc, s), written(doc, e)],
                ));
            }
        }
    }
}

/// Anniversaries with a known year: 建党N周年 is 1921 + N, and so on.
fn check_anniversaries(doc: &Doc, acc: &mut Vec<Finding>) {
    let Some(fy) = doc.year else { return };
    const EVENTS: &[(&str, i32)] = &[
        ("建党", 1921),
        ("中国共产党成立", 1921),
        ("建国", 1949),
        ("新中国成立", 1949),
        ("中华人民共和国成立", 1949),
        ("建军", 1927),
        ("改革开放", 1978),
        ("香港回归", 1997),
        ("澳门回归", 1999),
    ];
    for (line, text) in doc.lines.iter().enumerate() {
        for (event, base) in EVENTS {
            if !doc.may_contain(line, event) {
                continue;
            }
            let mut from = 0;
            while let Some(i) = crate::util::find(&text[from..], event) {
                let at = from + i + event.len();
                from = at;
                let rest = &text[at..];
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if digits.is_empty() || !rest[digits.len()..].starts_with("周年") {
                    continue;
                }
                let Ok(n) = digits.parse::<i32>() else {
                    continue;
                };
                let year = base + n;
                // The sentence must be about the reporting year (no other year named in it).
                let (s, e) = crate::util::sentence(doc, line, at, at);
                let other_year = doc.dates.iter().any(|d| {
                    d.line == line && d.start >= s && d.end <= e && d.year.is_some_and(|y| y != fy)
                });
                if year != fy && !other_year {
                    let w = format!("{event}{digits}周年");
                    acc.push(finding(
                        "date-conflict",
                        Severity::Error,
                        format!("“{w}”是{year}年，不属于报告评价的{fy}年度"),
                        [line],
                        vec![w],
                    ));
                }
            }
        }
    }
}
