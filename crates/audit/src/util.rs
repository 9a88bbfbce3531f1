//! Small helpers shared by the checks: exact comparisons with rounding tolerance, text
//! similarity for Chinese phrases, and building findings.

use jixiao_core::num::{Dec, Ratio, pow10};

use crate::doc::Doc;
use crate::{Finding, Severity};

/// `a == b` up to `tol` (in the units of the values).
pub fn close(a: Dec, b: Dec, tol: Dec) -> bool {
    let diff = a.to_ratio().num() * b.to_ratio().den() - b.to_ratio().num() * a.to_ratio().den();
    let den = a.to_ratio().den() * b.to_ratio().den();
    let d = Ratio::new(diff.abs(), den);
    d <= tol.to_ratio()
}

/// Whether `stated`, written with `decimals` decimals, is `exact` rounded half-up to that
/// many decimals (or one unit of the last place off, which reports produce by rounding in
/// two steps).
pub fn rounds_to(exact: Ratio, stated: Dec, decimals: u8) -> bool {
    let r = exact.round(decimals).scaled();
    let scale = stated.scale().min(decimals);
    let s = i128::from(stated.mantissa()) * pow10(decimals - scale) / pow10(stated.scale() - scale);
    (r - s).abs() <= 1
}

/// `d` written with at least `decimals` decimals ("39.2" as "39.20" beside 39.60).
pub fn with_decimals(d: Dec, decimals: u8) -> String {
    let text = d.to_string();
    let have = text.split_once('.').map_or(0, |(_, f)| f.len());
    let want = usize::from(decimals);
    if have >= want {
        return text;
    }
    let dot = if have == 0 { "." } else { "" };
    format!("{text}{dot}{}", "0".repeat(want - have))
}

/// A sum of decimals (saturating to zero on overflow, which real reports never reach).
pub fn sum(xs: impl IntoIterator<Item = Dec>) -> Dec {
    xs.into_iter()
        .fold(Dec::ZERO, |a, b| a.checked_add(b).unwrap_or(a))
}

/// `a − b`.
pub fn sub(a: Dec, b: Dec) -> Dec {
    a.checked_add(Dec::new(-b.mantissa(), b.scale()).unwrap_or(Dec::ZERO))
        .unwrap_or(Dec::ZERO)
}

/// An amount in its base unit as a finance officer reads it: money in 万元, other units as
/// they are.
pub fn show(v: Dec, unit: &str) -> String {
    // Lengths are compared in 米 and told in 公里 from a kilometre on.
    if unit == "米"
        && let Some(km) = v.shift(-3)
        && Dec::from_int(1).is_some_and(|one| km >= one)
    {
        return format!("{km}公里");
    }
    if unit == "元" {
        match v.shift(-4) {
            Some(w) => format!("{w}万元"),
            None => format!("{v}元"),
        }
    } else {
        format!("{v}{unit}")
    }
}

/// How far apart two amounts of one unit are, written for a message.
pub fn gap(a: Dec, b: Dec, unit: &str) -> String {
    let d = abs_diff(a, b);
    if unit == "%" {
        return format!("{d} 个百分点");
    }
    show(d, unit)
}

/// `|a − b|`.
pub fn abs_diff(a: Dec, b: Dec) -> Dec {
    let d = sub(a, b);
    if d.is_negative() { sub(b, a) } else { d }
}

/// Whether `a` and `b` agree to half of the step `10^step` a figure is written to ("3.68亿元"
/// is exact to 50万元 either way).
pub fn within_half_step(a: Dec, b: Dec, step: i32) -> bool {
    let half = Dec::new(5, 0).and_then(|five| five.shift(i8::try_from(step - 1).ok()?));
    half.is_some_and(|h| abs_diff(a, b) <= h)
}

/// Whether `a` lies within a tenth of `whole` of it.
pub fn within_tenth(a: Dec, whole: Dec) -> bool {
    within_share(a, whole, 10)
}

/// Whether `a` lies within `1/n` of `whole` of it.
pub fn within_share(a: Dec, whole: Dec, n: i128) -> bool {
    abs_diff(a, whole)
        .to_ratio()
        .checked_mul(Ratio::new(n, 1))
        .is_some_and(|g| g <= whole.to_ratio())
}

/// Whether a character is a CJK ideograph.
pub fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// A finding with lines made 1-based, sorted and deduplicated.
pub fn finding(
    rule: &'static str,
    severity: Severity,
    message: String,
    lines: impl IntoIterator<Item = usize>,
    values: Vec<String>,
) -> Finding {
    let mut lines: Vec<usize> = lines.into_iter().map(|l| l + 1).collect();
    lines.sort_unstable();
    lines.dedup();
    // A figure whose comparator sits in the cell before it ("≥\t60") reads as one in a
    // sentence.
    let message = if message.contains('\t') {
        let mut m = message;
        for c in ["≥", "≤", "＞", "＜", ">", "<", "=", "＝"] {
            m = m.replace(&format!("{c}\t"), c);
        }
        m.replace('\t', " ").replace(" %", "%")
    } else {
        message
    };
    Finding {
        rule,
        severity,
        message,
        lines,
        values,
    }
}

/// The largest char boundary of `s` at or below `i`.
pub fn floor(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The text of a line before byte `end`, back to the start of its clause (after the last
/// `，。；：,;:、` or tab), without debris.
pub fn clause_before(doc: &Doc, line: usize, end: usize) -> String {
    let l = &doc.lines[line];
    let head = &l[..floor(l, end)];
    let start = head
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            matches!(
                c,
                '，' | '。' | '；' | '：' | ',' | ';' | ':' | '\t' | '|' | '、' | '！' | '？'
            ) && !thousands_comma(l, i, c)
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    crate::doc::strip_debris(&head[start..]).into_owned()
}

/// Whether the words right after a figure say it is of another scope than the project's
/// ("…为全县口径，包含…；…两者统计范围不同").
#[must_use]
pub fn scope_stated_after(rest: &str) -> bool {
    let rest: String = rest.chars().take(60).collect();
    ["口径", "统计范围", "范围不同"]
        .iter()
        .any(|w| rest.contains(w))
}

/// The last `n` characters of `s` (all of it when shorter).
#[must_use]
pub fn last_chars(s: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    s.char_indices()
        .rev()
        .nth(n - 1)
        .map_or(s, |(i, _)| &s[i..])
}

/// The run of Chinese characters that ends `s`, at most `max` of them ("培训班" of "共开设培训班").
#[must_use]
pub fn cjk_tail(s: &str, max: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_cjk(*c))
        .take(max)
        .last()
        .map_or(s.len(), |(i, _)| i);
    &s[start..]
}

/// A comma between digits ("2,860.00") groups thousands; it ends no clause.
fn thousands_comma(l: &str, i: usize, c: char) -> bool {
    let wide = |d: char| ('０'..='９').contains(&d);
    let prev = l[..i].chars().next_back();
    let next = l[i + c.len_utf8()..].chars().next();
    match c {
        ',' => prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit()),
        // ("１４，３７４．４３": full-width digits take the full-width comma.)
        '，' => prev.is_some_and(wide) && next.is_some_and(wide),
        _ => false,
    }
}

/// The text of a line after byte `start` up to the end of its clause.
pub fn clause_after(doc: &Doc, line: usize, start: usize) -> String {
    let l = &doc.lines[line];
    let tail = &l[floor(l, start)..];
    let end = tail
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '，' | '。' | '；' | ',' | ';' | '\t' | '|' | '！' | '？')
                && !thousands_comma(tail, i, c)
        })
        .map_or(tail.len(), |(i, _)| i);
    crate::doc::strip_debris(&tail[..end]).into_owned()
}

/// The sentence around byte range `start..end` (between `。；` or line ends).
pub fn sentence(doc: &Doc, line: usize, start: usize, end: usize) -> (usize, usize) {
    doc.sentence(line, start, end)
}

/// The longest run of Chinese characters two texts share.
#[must_use]
pub fn common_run(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut best = 0;
    let mut prev = vec![0_usize; b.len() + 1];
    for &x in &a {
        let mut cur = vec![0_usize; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            if x == y && is_cjk(x) {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

/// The longest common subsequence of the CJK and alphanumeric characters of two phrases,
/// and the length of the shorter phrase: how much of the shorter one the longer contains.
pub fn overlap(a: &str, b: &str) -> (usize, usize) {
    let keep = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| is_cjk(*c) || c.is_ascii_alphanumeric())
            .collect()
    };
    let (a, b) = (keep(a), keep(b));
    if a.is_empty() || b.is_empty() {
        return (0, 0);
    }
    // Two rows of the table, reused: this runs for many pairs of phrases.
    let mut prev = vec![0_usize; b.len() + 1];
    let mut cur = vec![0_usize; b.len() + 1];
    for ca in &a {
        cur[0] = 0;
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()], a.len().min(b.len()))
}

/// Whether two subject phrases name the same thing: the shorter one (at least `min`
/// characters) is almost wholly contained, in order, in the longer one.
pub fn same_subject(a: &str, b: &str, min: usize) -> bool {
    let (common, shorter) = overlap(a, b);
    if shorter >= min && common * 10 >= shorter * 9 {
        return true;
    }
    // "举办垃圾分类宣传培训活动" and "组织开展垃圾分类宣传培训": the same thing done, said with
    // another verb.
    let (ca, cb) = (core(a), core(b));
    if ca == cb && ca.chars().filter(|c| is_cjk(*c)).count() >= min.max(6) {
        return true;
    }
    // The same words in another order: "改造低产芒果园" and "低产芒果园改造".
    let sorted = |s: &str| {
        let mut v: Vec<char> = s.chars().filter(|c| is_cjk(*c)).collect();
        v.sort_unstable();
        v
    };
    let (x, y) = (sorted(a), sorted(b));
    if x.len() >= min.max(5) && x == y {
        return true;
    }
    // A shorter name made of the longer one's words in another order ("修缮单体建筑" and
    // "修缮文物建筑单体"): every character of the shorter is in the longer.
    let (short, long) = if x.len() <= y.len() {
        (&x, &y)
    } else {
        (&y, &x)
    };
    if short.len() < min.max(5) || short.len() * 10 < long.len() * 6 {
        return false;
    }
    let mut rest = long.clone();
    short.iter().all(|c| match rest.binary_search(c) {
        Ok(i) => {
            rest.remove(i);
            true
        }
        Err(_) => false,
    })
}

/// A subject without the verb that introduces it and a trailing 活动 / 工作.
fn core(s: &str) -> &str {
    const VERBS: &[&str] = &[
        "组织开展",
        "组织",
        "开展",
        "举办",
        "举行",
        "进行",
        "实施",
        "完成",
        "共",
    ];
    let mut t = s.trim_start_matches(|c: char| !is_cjk(c));
    while let Some(rest) = VERBS.iter().find_map(|v| t.strip_prefix(v)) {
        t = rest;
    }
    for tail in ["活动", "工作"] {
        if let Some(rest) = t.strip_suffix(tail) {
            t = rest;
        }
    }
    t
}

/// Terms that tell apart quantities sharing most of their words (年初 vs 全年 budget, 城市 vs
/// 农村 recipients …). Two phrases can only name the same quantity when they carry the same
/// of these terms.
pub const DISTINGUISHING: &[&str] = &[
    "年初",
    "全年",
    "调整",
    "追加",
    "调减",
    "结余",
    "结转",
    "到位",
    "执行",
    "支出",
    "拨付",
    "兑付",
    "预算",
    "计划",
    "实际",
    "目标",
    "上年",
    "去年",
    "当年",
    "本年",
    "累计",
    "新增",
    "新建",
    "改造",
    "维修",
    "未",
    "其中",
    "合计",
    "剩余",
    "男",
    "女",
    "城市",
    "城镇",
    "农村",
    "春季",
    "秋季",
    "上半年",
    "下半年",
    "中央",
    "省级",
    "市级",
    "县级",
    "区级",
    "固定",
    "临时",
    "公办",
    "民办",
    "小微",
    "新",
    "老",
    "申请",
    "受理",
    "审核",
    "退出",
    "发放",
    "回收",
    "有效",
    "验收",
    "开工",
    "完工",
    "在建",
    "续建",
    "应",
    "已",
    "覆盖",
    "首",
    "加强",
    "全程",
    "第一",
    "第二",
    "一期",
    "二期",
    "三期",
    "重点",
    "一般",
    "特殊",
    "走访",
    "抽查",
    "抽样",
    "检查",
    "调研",
    "实地",
    "参观",
    "考察",
    "督查",
    "核查",
    "试点",
    "竣工",
    "鉴定",
    "拆除",
    "重建",
    "修缮",
    "签约",
    "在保",
    "申报",
    "认定",
    "批准",
    "入选",
    "毕业",
    "培育",
];

/// The distinguishing terms a phrase carries, in the order of [`DISTINGUISHING`].
pub fn terms(s: &str) -> Vec<&'static str> {
    // The terms by their first character, built once: a phrase is then read in one pass.
    static BY_FIRST: std::sync::OnceLock<std::collections::HashMap<char, Vec<usize>, Fast>> =
        std::sync::OnceLock::new();
    let by_first = BY_FIRST.get_or_init(|| {
        let mut m: std::collections::HashMap<char, Vec<usize>, Fast> = Default::default();
        for (k, t) in DISTINGUISHING.iter().enumerate() {
            if let Some(c) = t.chars().next() {
                m.entry(c).or_default().push(k);
            }
        }
        m
    });
    let mut found = vec![false; DISTINGUISHING.len()];
    for (i, c) in s.char_indices() {
        if let Some(ks) = by_first.get(&c) {
            for &k in ks {
                if s[i..].starts_with(DISTINGUISHING[k]) {
                    found[k] = true;
                }
            }
        }
    }
    DISTINGUISHING
        .iter()
        .zip(found)
        .filter_map(|(t, f)| f.then_some(*t))
        .collect()
}

/// An index from two-character runs to the items whose text contains them, to find the few
/// items whose subject could match a phrase without comparing every pair (keeps the checks
/// linear in the size of the report).
#[derive(Debug, Default)]
pub struct SubjectIndex {
    postings: std::collections::HashMap<(char, char), Vec<u32>, Fast>,
    items: usize,
    /// Vote counters, one per item, reset after every query.
    votes: std::cell::RefCell<Vec<u16>>,
}

/// A fast hasher for the index's small keys.
type Fast = std::hash::BuildHasherDefault<jixiao_core::framework::CodeHasher>;

fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s
        .chars()
        .filter(|c| is_cjk(*c) || c.is_ascii_alphanumeric())
        .collect();
    let mut out: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl SubjectIndex {
    /// Indexes `(id, text)` pairs; ids must be `0..n` in document order.
    pub fn build<'a>(items: impl IntoIterator<Item = (usize, &'a str)>) -> SubjectIndex {
        let mut postings: std::collections::HashMap<(char, char), Vec<u32>, Fast> =
            std::collections::HashMap::default();
        let mut n = 0;
        for (id, text) in items {
            n = n.max(id + 1);
            for b in bigrams(text) {
                postings
                    .entry(b)
                    .or_default()
                    .push(u32::try_from(id).unwrap_or(u32::MAX));
            }
        }
        SubjectIndex {
            postings,
            items: n,
            votes: std::cell::RefCell::new(vec![0; n]),
        }
    }

    /// Items sharing at least half of the phrase's two-character runs, nearest to `line`
    /// first (by `line_of`), at most `cap`.
    pub fn candidates(
        &self,
        phrase: &str,
        line: usize,
        line_of: impl Fn(usize) -> usize,
        cap: usize,
    ) -> Vec<usize> {
        let grams = bigrams(phrase);
        if grams.is_empty() || self.items == 0 {
            return Vec::new();
        }
        let mut votes = self.votes.borrow_mut();
        let mut touched: Vec<u32> = Vec::new();
        // Posting lists are in document order: look only at a window of entries around the
        // phrase's own line, so that a long report costs no more per phrase than a short one.
        const WINDOW: usize = 48;
        for g in &grams {
            if let Some(ids) = self.postings.get(g) {
                let p = ids.partition_point(|&id| line_of(id as usize) < line);
                let from = p.saturating_sub(WINDOW);
                let to = (p + WINDOW).min(ids.len());
                for &id in &ids[from..to] {
                    let v = &mut votes[id as usize];
                    if *v == 0 {
                        touched.push(id);
                    }
                    *v = v.saturating_add(1);
                }
            }
        }
        let need = u16::try_from(grams.len().div_ceil(2)).unwrap_or(u16::MAX);
        let mut found: Vec<usize> = touched
            .iter()
            .filter(|&&id| votes[id as usize] >= need)
            .map(|&id| id as usize)
            .collect();
        for &id in &touched {
            votes[id as usize] = 0;
        }
        found.sort_by_key(|&id| (line_of(id).abs_diff(line), id));
        found.truncate(cap);
        found.sort_unstable();
        found
    }
}

/// `hay.find(needle)`, faster on Chinese text: a byte search (a whole UTF-8 needle can only
/// match at a character boundary) that does not stop at every character sharing the needle's
/// first one, as the standard searcher's first-character scan does on CJK text.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::{cjk_tail, last_chars};

    #[test]
    fn tails_of_text() {
        assert_eq!(last_chars("全年完成清淤", 2), "清淤");
        assert_eq!(last_chars("清淤", 5), "清淤");
        assert_eq!(last_chars("清淤", 0), "");
        assert_eq!(cjk_tail("共开设培训班", 3), "培训班");
        assert_eq!(cjk_tail("第3期培训", 6), "期培训");
        assert_eq!(cjk_tail("支出44.39", 6), "");
    }
}
