//! Finding numbers in report text: digits of either width, Chinese numerals, thousands
//! separators, 万/亿 multipliers, units, comparators (≥, 不低于 …), percentages, and dates.
//!
//! Positions are byte offsets into the line as written, so a finding can quote a value
//! exactly as the report spells it (`216３次`).

use jixiao_core::num::Dec;

/// A comparator written before a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// ≥, 不低于, 不少于, 以上
    AtLeast,
    /// ≤, 不超过, 不高于, 以内
    AtMost,
    /// >
    Above,
    /// <
    Below,
    /// =
    Equal,
}

/// One number found in a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Num {
    /// Line index (0-based).
    pub line: usize,
    /// Byte range of the whole mention (comparator, number, multiplier, unit).
    pub start: usize,
    /// End of the mention.
    pub end: usize,
    /// Byte offset where the digits start.
    pub digits_at: usize,
    /// The value in the base unit (万/亿 applied).
    pub value: Dec,
    /// Decimals as written (for rounding tolerance).
    pub decimals: u8,
    /// The base unit: `元`, `人`, `%`, `分`, `张` … or empty.
    pub unit: &'static str,
    /// Power of ten applied to the digits: `4` for 万, `8` for 亿, and 3 more for 公里, which
    /// is read in 米.
    pub mult: u8,
    /// A comparator written before it.
    pub cmp: Option<Cmp>,
    /// Written in Chinese numerals.
    pub chinese: bool,
    /// Followed by 余/多, or after 约/近 (an approximation).
    pub approx: bool,
    /// Inside parentheses (an aside: a unit price, a breakdown, a restatement).
    pub paren: bool,
}

impl Num {
    /// The power of ten of the last digit as written, in the base unit: 0 for "12人", −2 for
    /// "3.26%", 6 for "1.97亿元" (a figure is exact to half of this step).
    #[must_use]
    pub fn step(&self) -> i32 {
        i32::from(self.mult) - i32::from(self.decimals)
    }
}

/// A calendar date or part of one found in a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateMention {
    /// Line index.
    pub line: usize,
    /// Byte range.
    pub start: usize,
    /// End.
    pub end: usize,
    /// Year, if written (or inherited within a range such as `4月21日至5月20日`).
    pub year: Option<i32>,
    /// Month.
    pub month: Option<u8>,
    /// Day.
    pub day: Option<u8>,
    /// The year was inherited from an earlier date in the same range.
    pub inherited: bool,
}

/// Units recognised after a number, longest first where one is a prefix of another. The
/// base unit groups spellings that count the same thing (`名` counts people).
const UNITS: &[(&str, &str)] = &[
    ("个百分点", "百分点"),
    ("百分点", "百分点"),
    ("平方公里", "平方公里"),
    ("平方米", "平方米"),
    ("立方米", "立方米"),
    ("公里", "公里"),
    ("千米", "公里"),
    ("千克", "千克"),
    ("公斤", "千克"),
    ("公顷", "公顷"),
    ("小时", "小时"),
    ("分钟", "分钟"),
    ("个月", "个月"),
    ("人次", "人次"),
    ("户次", "户次"),
    ("场次", "场次"),
    ("车次", "车次"),
    ("台次", "台次"),
    ("班次", "班次"),
    ("册次", "册次"),
    ("元", "元"),
    ("%", "%"),
    ("％", "%"),
    ("人", "人"),
    ("名", "人"),
    ("位", "人"),
    ("户", "户"),
    ("家", "家"),
    ("个", "个"),
    ("项", "项"),
    ("类", "类"),
    ("期", "期"),
    ("次", "次"),
    ("场", "场"),
    ("张", "张"),
    ("所", "所"),
    ("座", "座"),
    ("头", "头"),
    ("只", "只"),
    ("尾", "尾"),
    ("株", "株"),
    ("棵", "棵"),
    ("亩", "亩"),
    ("件", "件"),
    ("份", "份"),
    ("条", "条"),
    ("起", "起"),
    ("批", "批"),
    ("篇", "篇"),
    ("本", "本"),
    ("册", "册"),
    ("天", "天"),
    ("日", "天"),
    ("周", "周"),
    ("吨", "吨"),
    ("台", "台"),
    ("套", "套"),
    ("辆", "辆"),
    ("处", "处"),
    ("栋", "栋"),
    ("间", "间"),
    ("床", "床"),
    ("例", "例"),
    ("剂次", "剂次"),
    ("针次", "针次"),
    ("村", "村"),
    ("镇", "镇"),
    ("个村", "村"),
    ("米", "米"),
    ("分", "分"),
    ("组", "组"),
    ("支", "支"),
    ("队", "队"),
    ("章", "章"),
    ("点", "点"),
    ("枚", "枚"),
    ("块", "块"),
    ("根", "根"),
    ("盏", "盏"),
    ("具", "具"),
    ("艘", "艘"),
    ("樘", "樘"),
    ("瓶", "瓶"),
    ("盒", "盒"),
    ("页", "页"),
    ("卷", "卷"),
    ("幅", "幅"),
    ("匹", "匹"),
    ("扇", "扇"),
    ("副", "副"),
    ("眼", "眼"),
    ("羽", "羽"),
    ("箱", "箱"),
    ("袋", "袋"),
    ("顶", "顶"),
    ("幢", "幢"),
    ("孔", "孔"),
    ("宗", "宗"),
    ("单", "单"),
    ("笔", "笔"),
    ("课时", "课时"),
    ("学时", "学时"),
    ("节", "节"),
    ("门", "门"),
    ("季", "季"),
    ("届", "届"),
    ("轮", "轮"),
    ("岁", "岁"),
    ("倍", "倍"),
];

/// Classifiers after which a run of Chinese numerals counts as a number (`五个`, `两期`).
const CLASSIFIERS: &[char] = &[
    '个', '项', '类', '期', '次', '人', '名', '所', '家', '张', '座', '头', '只', '件', '份', '条',
    '起', '批', '场', '户', '位', '处', '台', '套', '辆', '篇', '本', '天', '周', '组', '支', '轮',
    '届', '季', '门', '节', '方', '大', '种', '部', '章', '条', '月', '年', '步', '吨', '亩', '例',
];

fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => u8::try_from(u32::from(c) - u32::from('０')).ok(),
        _ => None,
    }
}

fn is_point(c: char) -> bool {
    matches!(c, '.' | '．')
}

fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn cn_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// The value of a Chinese numeral below a hundred million (`三十六`, `一百二十`, `两`,
/// `一万二千`).
fn cn_value(s: &str) -> Option<u32> {
    if let Some((high, low)) = s.split_once('万') {
        let high = if high.is_empty() { 1 } else { cn_small(high)? };
        // "一万二" is 12,000: a last digit after 万 counts thousands.
        let low = match low.chars().collect::<Vec<_>>()[..] {
            [d] if cn_digit(d).is_some() => cn_digit(d)? * 1000,
            _ => cn_small(low)?,
        };
        return high.checked_mul(10_000)?.checked_add(low);
    }
    cn_small(s)
}

/// The value of a Chinese numeral below ten thousand.
fn cn_small(s: &str) -> Option<u32> {
    let mut total = 0;
    let mut cur = 0;
    let mut any = false;
    for c in s.chars() {
        if let Some(d) = cn_digit(c) {
            cur = d;
            any = true;
        } else if let Some(u) = cn_unit(c) {
            let k = if any || cur > 0 { cur.max(1) } else { 1 };
            total += if cur == 0 && !any { u } else { k * u };
            cur = 0;
            any = false;
        } else {
            return None;
        }
    }
    Some(total + cur)
}

/// Byte ranges of `[bookmark: …]` debris, which the scanner treats as absent.
fn debris(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = line[from..].find("[bookmark:") {
        let s = from + i;
        let e = line[s..].find(']').map_or(line.len(), |j| s + j + 1);
        out.push((s, e));
        from = e;
    }
    out
}

/// Comparators written just before a number (the text that ends right before it).
fn comparator_before(before: &str) -> (Option<Cmp>, usize) {
    let t = before.trim_end_matches([' ', '\u{3000}', '\t']);
    const WORDS: &[(&str, Cmp)] = &[
        ("≥", Cmp::AtLeast),
        (">=", Cmp::AtLeast),
        ("＞＝", Cmp::AtLeast),
        ("≧", Cmp::AtLeast),
        ("不低于", Cmp::AtLeast),
        ("不少于", Cmp::AtLeast),
        ("大于等于", Cmp::AtLeast),
        ("达到", Cmp::AtLeast),
        ("≤", Cmp::AtMost),
        ("<=", Cmp::AtMost),
        ("＜＝", Cmp::AtMost),
        ("≦", Cmp::AtMost),
        ("不超过", Cmp::AtMost),
        ("不高于", Cmp::AtMost),
        ("不多于", Cmp::AtMost),
        ("控制在", Cmp::AtMost),
        // "执行率低于90%的原因": a bound, not the rate.
        ("低于", Cmp::Below),
        ("高于", Cmp::Above),
        ("＞", Cmp::Above),
        (">", Cmp::Above),
        ("＜", Cmp::Below),
        ("<", Cmp::Below),
        ("＝", Cmp::Equal),
        ("=", Cmp::Equal),
    ];
    for (w, c) in WORDS {
        if t.ends_with(w) {
            return (Some(*c), before.len() - (t.len() - w.len()));
        }
    }
    (None, 0)
}

/// Whether `text` is a unit of measure as written (`亩`, `万元`, `人次`, `%`), with an optional
/// 万/亿 multiplier.
#[must_use]
pub fn is_unit(text: &str) -> bool {
    let t = text.trim();
    let t = t
        .strip_prefix('万')
        .or_else(|| t.strip_prefix('亿'))
        .filter(|r| !r.is_empty())
        .unwrap_or(t);
    UNITS.iter().any(|(w, _)| *w == t)
}

/// Scans one line for numbers and dates.
#[must_use]
#[expect(
    clippy::too_many_lines,
    reason = "one pass over the characters, kept together"
)]
pub fn scan_line(idx: usize, line: &str) -> (Vec<Num>, Vec<DateMention>) {
    let mut nums = Vec::new();
    let mut dates: Vec<DateMention> = Vec::new();
    let skip = debris(line);
    let chars: Vec<(usize, char)> = line
        .char_indices()
        .filter(|(i, _)| !skip.iter().any(|(s, e)| i >= s && i < e))
        .collect();
    let at = |k: usize| chars.get(k).map(|(_, c)| *c);
    let pos = |k: usize| chars.get(k).map_or(line.len(), |(i, _)| *i);
    let mut k = 0;
    let mut last_year: Option<i32> = None;
    while k < chars.len() {
        let c = chars[k].1;
        if let Some(d0) = digit(c) {
            let prev = if k > 0 { at(k - 1) } else { None };
            // A standard's number after its code and a space ("GB 3838-2002", "HJ 91.1—2019"):
            // its digits, dots and dashes are a name, not quantities or a year.
            let standard = prev == Some(' ')
                && ["GB", "GB/T", "HJ", "DB", "CJJ", "JGJ", "GBZ"]
                    .iter()
                    .any(|code| line[..pos(k)].trim_end().ends_with(code));
            if standard {
                while k < chars.len()
                    && (digit(chars[k].1).is_some() || matches!(chars[k].1, '.' | '-' | '—' | '–'))
                {
                    k += 1;
                }
                continue;
            }
            // Part of an identifier (A11, _Toc123, B2): not a quantity.
            if prev.is_some_and(|p| p.is_ascii_alphabetic() || p == '_') {
                while k < chars.len()
                    && (digit(chars[k].1).is_some() || chars[k].1.is_ascii_alphanumeric())
                {
                    k += 1;
                }
                continue;
            }
            // An outline number glued to what follows it at the start of a line
            // ("5.2023年6月21日…", "5.500户受访农户…"): the "5." is no part of a number.
            if chars[..k].iter().all(|(_, c)| c.is_whitespace()) {
                let mut j = k;
                while at(j).and_then(digit).is_some() {
                    j += 1;
                }
                if j - k <= 2 && at(j).is_some_and(is_point) {
                    let mut e = j + 1;
                    while at(e).and_then(digit).is_some() {
                        e += 1;
                    }
                    let frac_len = e - j - 1;
                    let next = at(e);
                    let outline = (frac_len == 4 && next == Some('年'))
                        || (frac_len >= 2
                            && next
                                .is_some_and(|c| "户人名个家所座处件场次辆台套批期项".contains(c)));
                    if outline {
                        k = j + 1;
                        continue;
                    }
                }
            }
            let start_k = k;
            let mut int_digits = String::new();
            int_digits.push(char::from(b'0' + d0));
            k += 1;
            // Digits with thousands separators (ASCII comma followed by exactly three digits).
            loop {
                match at(k) {
                    Some(ch) if digit(ch).is_some() => {
                        int_digits.push(char::from(b'0' + digit(ch).unwrap_or(0)));
                        k += 1;
                    }
                    Some(',')
                        if (1..=3).all(|j| at(k + j).and_then(digit).is_some())
                            && at(k + 4).and_then(digit).is_none() =>
                    {
                        k += 1;
                    }
                    // Full-width digits take the full-width comma ("１４，３７４．４３").
                    Some('，')
                        if at(k - 1).is_some_and(|c| ('０'..='９').contains(&c))
                            && (1..=3)
                                .all(|j| at(k + j).is_some_and(|c| ('０'..='９').contains(&c)))
                            && at(k + 4).and_then(digit).is_none() =>
                    {
                        k += 1;
                    }
                    _ => break,
                }
            }
            let mut frac = String::new();
            if at(k).is_some_and(is_point) && at(k + 1).and_then(digit).is_some() {
                k += 1;
                while let Some(d) = at(k).and_then(digit) {
                    frac.push(char::from(b'0' + d));
                    k += 1;
                }
                // A third dotted group (a version number, an outline number "1.2.3"): skip,
                // unless it is a date ("2022.8.30", handled below).
                let date_like = int_digits.len() == 4
                    && (1..=2).contains(&frac.len())
                    && iso_date(&chars, start_k + 4).is_some();
                if !date_like && at(k).is_some_and(is_point) && at(k + 1).and_then(digit).is_some()
                {
                    while at(k).is_some_and(|c| is_point(c) || digit(c).is_some()) {
                        k += 1;
                    }
                    continue;
                }
            }
            let digits_at = pos(start_k);
            // Dates: 2023年4月21日, 2023年, 4月21日, 2023-04-21.
            let next = at(k);
            if frac.is_empty() && next == Some('年') && int_digits.len() == 4 {
                let year: i32 = int_digits.parse().unwrap_or(0);
                let mut end_k = k + 1;
                let mut month = None;
                let mut day = None;
                if let Some((m, after)) = small_number(&chars, end_k, '月') {
                    month = Some(m);
                    end_k = after;
                    if let Some((d, after2)) = small_number(&chars, end_k, '日') {
                        day = Some(d);
                        end_k = after2;
                    }
                }
                last_year = Some(year);
                dates.push(DateMention {
                    line: idx,
                    start: digits_at,
                    end: pos(end_k),
                    year: Some(year),
                    month,
                    day,
                    inherited: false,
                });
                k = end_k;
                continue;
            }
            if frac.is_empty() && next == Some('月') && int_digits.len() <= 2 {
                if let Some((d, after)) = small_number(&chars, k + 1, '日') {
                    let m: u8 = int_digits.parse().unwrap_or(0);
                    if (1..=12).contains(&m) {
                        dates.push(DateMention {
                            line: idx,
                            start: digits_at,
                            end: pos(after),
                            year: last_year,
                            month: Some(m),
                            day: Some(d),
                            inherited: true,
                        });
                        k = after;
                        continue;
                    }
                }
                // "6月" or "12个月" style: a month, not a quantity.
                k += 1;
                continue;
            }
            // "2022.8.30": what read as the decimal 2022.8 is a date when another dot and a
            // day follow.
            let dotted = int_digits.len() == 4
                && (1..=2).contains(&frac.len())
                && next == Some('.')
                && int_digits
                    .parse::<i32>()
                    .is_ok_and(|y| (1950..=2100).contains(&y));
            let sep_at = if dotted { start_k + 4 } else { k };
            if (dotted
                || (frac.is_empty() && int_digits.len() == 4 && matches!(next, Some('-' | '/'))))
                && let Some(d) = iso_date(&chars, sep_at)
            {
                let (y, m, dd, after) = d;
                last_year = Some(y);
                dates.push(DateMention {
                    line: idx,
                    start: digits_at,
                    end: pos(after),
                    year: Some(y),
                    month: Some(m),
                    day: Some(dd),
                    inherited: false,
                });
                k = after;
                continue;
            }
            // "2020.11组织…竣工验收": a year and a month written with a dot, when no unit
            // follows (2020.11万元 is money).
            if int_digits.len() == 4
                && (1..=2).contains(&frac.len())
                && next != Some('.')
                && let (Ok(y), Ok(mo)) = (int_digits.parse::<i32>(), frac.parse::<u8>())
                && (1950..=2100).contains(&y)
                && (1..=12).contains(&mo)
                && !next.is_some_and(|c| c.is_ascii_digit() || c == '%' || c == '％')
                && let ("", 0, ..) = unit_after(&chars, k)
            {
                last_year = Some(y);
                dates.push(DateMention {
                    line: idx,
                    start: digits_at,
                    end: pos(k),
                    year: Some(y),
                    month: Some(mo),
                    day: None,
                    inherited: false,
                });
                continue;
            }
            // Document numbers 〔2022〕2号 and the like: not quantities.
            if next == Some('号') || next == Some('〕') || prev == Some('〔') {
                k += 1;
                continue;
            }
            let decimals = u8::try_from(frac.len()).unwrap_or(u8::MAX);
            let text = if frac.is_empty() {
                int_digits
            } else {
                format!("{int_digits}.{frac}")
            };
            let Ok(value) = Dec::parse(&text) else {
                continue;
            };
            // "七百四十六（746）人次": a Chinese numeral restated in digits in brackets, the
            // unit after them; one figure, read from the digits.
            let restated = (start_k >= 2
                && frac.is_empty()
                && matches!(at(start_k - 1), Some('（' | '('))
                && matches!(at(k), Some('）' | ')')))
            .then(|| {
                let mut b = start_k - 1;
                while b > 0
                    && at(b - 1).is_some_and(|c| cn_digit(c).is_some() || cn_unit(c).is_some())
                {
                    b -= 1;
                }
                b
            })
            .filter(|&b| b + 1 < start_k && !unit_after(&chars, k + 1).0.is_empty());
            let head_at = restated.map_or(digits_at, pos);
            let (cmp, cmp_len) = comparator_before(&line[..head_at]);
            let start = head_at - cmp_len;
            let (unit, mult, approx, end_k) = unit_after(&chars, restated.map_or(k, |_| k + 1));
            let head = line[..head_at].trim_end();
            // "约" is "about" alone, not in 签约, 节约, 预约, 履约 …; "近" not in 最近, 附近.
            let compound = [
                "签约",
                "节约",
                "预约",
                "履约",
                "合约",
                "制约",
                "违约",
                "解约",
                "最近",
                "附近",
                "接近于",
            ]
            .iter()
            .any(|w| head.ends_with(w));
            let approx = approx
                || !compound
                    && ["约", "近", "逾", "超过", "大约"]
                        .iter()
                        .any(|w| head.ends_with(w))
                || line[pos(end_k)..].starts_with("左右");
            let value = if mult > 0 {
                value
                    .shift(i8::try_from(mult).unwrap_or(0))
                    .unwrap_or(value)
            } else {
                value
            };
            nums.push(Num {
                line: idx,
                start,
                end: pos(end_k),
                digits_at,
                value,
                decimals,
                unit,
                mult,
                cmp,
                chinese: false,
                approx,
                paren: in_parens(&line[..head_at]),
            });
            k = end_k.max(k);
            continue;
        }
        if cn_digit(c).is_some() || (cn_unit(c).is_some() && c != '千') {
            let start_k = k;
            let mut s = String::new();
            while let Some(ch) = at(k) {
                // 万 inside a numeral ("一万二千"), not a trailing multiplier ("五万元" is read
                // by the unit).
                let wan_inside = ch == '万'
                    && !s.is_empty()
                    && !s.contains('万')
                    && at(k + 1).is_some_and(|n| cn_digit(n).is_some() || CLASSIFIERS.contains(&n));
                if cn_digit(ch).is_some() || cn_unit(ch).is_some() || wan_inside {
                    s.push(ch);
                    k += 1;
                } else {
                    break;
                }
            }
            let prev = if start_k > 0 { at(start_k - 1) } else { None };
            let next = at(k);
            let counts = next.is_some_and(|n| CLASSIFIERS.contains(&n))
                && prev != Some('第')
                && !(s == "一"
                    && matches!(next, Some('年' | '月' | '步' | '方' | '大' | '种' | '部')))
                && !matches!(next, Some('年' | '月'))
                // "一期为建华社区…", "二期工程", "三期（…）": a phase's name, not a count of
                // phases ("举办培训三期", "两期培训班" count).
                && !(next == Some('期')
                    && s.chars().count() == 1
                    && "一二三四五六七八九".contains(s.as_str())
                    && at(k + 1).is_some_and(|c| "为工项建安征拆改房地片社区已于（(：:、".contains(c)));
            if counts && let Some(v) = cn_value(&s) {
                let digits_at = pos(start_k);
                let (cmp, cmp_len) = comparator_before(&line[..digits_at]);
                let (unit, mult, approx, end_k) = unit_after(&chars, k);
                nums.push(Num {
                    line: idx,
                    start: digits_at - cmp_len,
                    end: pos(end_k),
                    digits_at,
                    value: Dec::from_int(i64::from(v)).unwrap_or(Dec::ZERO),
                    decimals: 0,
                    unit,
                    mult,
                    cmp,
                    chinese: true,
                    approx,
                    paren: in_parens(&line[..digits_at]),
                });
                k = end_k.max(k);
            }
            continue;
        }
        k += 1;
    }
    (nums, dates)
}

/// Whether the end of `head` lies inside an unclosed parenthesis.
fn in_parens(head: &str) -> bool {
    let mut depth = 0_i32;
    for c in head.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = (depth - 1).max(0),
            _ => {}
        }
    }
    depth > 0
}

/// A one- or two-digit number at `k` followed by `suffix` (for months and days).
fn small_number(chars: &[(usize, char)], k: usize, suffix: char) -> Option<(u8, usize)> {
    let mut j = k;
    let mut v: u32 = 0;
    while let Some(d) = chars.get(j).and_then(|(_, c)| digit(*c)) {
        v = v * 10 + u32::from(d);
        j += 1;
        if j - k > 2 {
            return None;
        }
    }
    if j == k || chars.get(j).map(|(_, c)| *c) != Some(suffix) {
        return None;
    }
    Some((u8::try_from(v).ok()?, j + 1))
}

/// `-MM-DD` or `/MM/DD` after a four-digit year at `k`.
fn iso_date(chars: &[(usize, char)], k: usize) -> Option<(i32, u8, u8, usize)> {
    let sep = chars.get(k)?.1;
    let year_digits: String = chars[k.saturating_sub(4)..k]
        .iter()
        .map(|(_, c)| *c)
        .collect();
    let y: i32 = year_digits
        .chars()
        .filter_map(digit)
        .fold(0, |a, d| a * 10 + i32::from(d));
    let mut j = k + 1;
    let read = |j: &mut usize| -> Option<u8> {
        let mut v = 0_u32;
        let s = *j;
        while let Some(d) = chars.get(*j).and_then(|(_, c)| digit(*c)) {
            v = v * 10 + u32::from(d);
            *j += 1;
        }
        (*j > s && *j - s <= 2)
            .then(|| u8::try_from(v).ok())
            .flatten()
    };
    let m = read(&mut j)?;
    if chars.get(j)?.1 != sep {
        return None;
    }
    j += 1;
    let d = read(&mut j)?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d, j))
}

/// The unit after a number at `k`: (base unit, multiplier exponent, approximate, end index).
fn unit_after(chars: &[(usize, char)], mut k: usize) -> (&'static str, u8, bool, usize) {
    let at = |j: usize| chars.get(j).map(|(_, c)| *c);
    // A tab or spaces between a number and its percent sign ("80\t%").
    let mut j = k;
    while matches!(at(j), Some(' ' | '\t' | '\u{3000}')) {
        j += 1;
    }
    if matches!(at(j), Some('%' | '％')) {
        return ("%", 0, false, j + 1);
    }
    let mut mult = 0;
    let mut approx = false;
    // One space before a Chinese multiplier or unit ("19.9 分", "44.39 万元"), as pdftotext
    // and some typists write it.
    let bare = k;
    let spaced =
        at(k) == Some(' ') && at(k + 1).is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if spaced {
        k += 1;
    }
    match at(k) {
        Some('万') => {
            mult = 4;
            k += 1;
        }
        Some('亿') => {
            mult = 8;
            k += 1;
        }
        _ => {}
    }
    if matches!(at(k), Some('余' | '多')) {
        approx = true;
        k += 1;
    }
    // The units by their first character, built once.
    type ByFirst = std::collections::HashMap<char, Vec<(Vec<char>, &'static str)>>;
    static BY_FIRST: std::sync::OnceLock<ByFirst> = std::sync::OnceLock::new();
    let by_first = BY_FIRST.get_or_init(|| {
        let mut m = ByFirst::new();
        for (w, base) in UNITS {
            let cs: Vec<char> = w.chars().collect();
            if let Some(&first) = cs.first() {
                m.entry(first).or_default().push((cs, *base));
            }
        }
        m
    });
    let rest: Vec<char> = chars[k.min(chars.len())..]
        .iter()
        .take(6)
        .map(|(_, c)| *c)
        .collect();
    let mut best: Option<(&'static str, usize)> = None;
    if let Some(cands) = rest.first().and_then(|c| by_first.get(c)) {
        for (w, base) in cands {
            if rest.starts_with(w) && best.is_none_or(|(_, l)| w.len() > l) {
                best = Some((base, w.len()));
            }
        }
    }
    match best {
        // 组 as in 组织/组建 is no group ("2020.11组织…验收").
        Some(("组", _)) if matches!(rest.get(1).copied(), Some('织' | '建')) => {
            ("", mult, approx, if spaced && mult == 0 { bare } else { k })
        }
        // 分 as in 分钟/分配/分别 is not a score; "85分为“优”" is.
        Some(("分", _))
            if !(rest.get(1) == Some(&'为')
                && matches!(
                    rest.get(2).copied(),
                    Some('“' | '"' | '「' | '优' | '良' | '中' | '差' | '合' | '满' | '不')
                ))
                && matches!(
                    rest.get(1).copied(),
                    Some(
                        '别' | '配'
                            | '类'
                            | '析'
                            | '期'
                            | '项'
                            | '档'
                            | '为'
                            | '之'
                            | '解'
                            | '局'
                            | '布'
                            | '散'
                            | '批'
                            | '工'
                            | '阶'
                            | '级'
                            | '管'
                            | '担'
                            | '摊'
                            | '成'
                            | '头'
                            | '拣'
                    )
                ) =>
        {
            ("", mult, approx, if spaced && mult == 0 { bare } else { k })
        }
        Some((base, len)) => {
            if matches!(at(k + len), Some('余' | '多')) {
                approx = true;
            }
            // Lengths are compared in 米 ("48.6公里" is "48,600米"), the tolerance following
            // the multiplier.
            if base == "公里" {
                ("米", mult + 3, approx, k + len)
            } else {
                (base, mult, approx, k + len)
            }
        }
        None if spaced && mult == 0 && !approx => ("", 0, false, bare),
        // "521.36万困难群众": tens of thousands of people named by who they are, counted in 人.
        None if mult > 0
            && [
                "群众",
                "困难群众",
                "人口",
                "贫困人口",
                "居民",
                "农民",
                "学生",
                "儿童",
                "老人",
                "职工",
                "患者",
            ]
            .iter()
            .any(|w| rest.starts_with(&w.chars().collect::<Vec<char>>())) =>
        {
            ("人", mult, approx, k)
        }
        None => ("", mult, approx, k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(line: &str) -> Vec<(String, String, &'static str)> {
        scan_line(0, line)
            .0
            .into_iter()
            .map(|n| (line[n.start..n.end].to_owned(), n.value.to_string(), n.unit))
            .collect()
    }

    #[test]
    fn money_and_counts() {
        assert_eq!(
            nums("本项目支出44.39万元，为预算金额的58.33%。"),
            vec![
                ("44.39万元".into(), "443900".into(), "元"),
                ("58.33%".into(), "58.33".into(), "%")
            ]
        );
        assert_eq!(
            nums("接听来电216３次，发放补助1.5万余元"),
            vec![
                ("216３次".into(), "2163".into(), "次"),
                ("1.5万余元".into(), "15000".into(), "元")
            ]
        );
        assert_eq!(
            nums("共1,884,400.00元"),
            vec![("1,884,400.00元".into(), "1884400".into(), "元")]
        );
        assert_eq!(
            nums("满意度≥80\t%"),
            vec![("≥80\t%".into(), "80".into(), "%")]
        );
        // An outline number glued to a date or a count at the start of a line.
        assert_eq!(
            nums("5.500户受访农户中满意的478户"),
            vec![
                ("500户".into(), "500".into(), "户"),
                ("478户".into(), "478".into(), "户")
            ]
        );
        assert_eq!(
            scan_line(0, "5.2023年6月21日集中发放")
                .1
                .first()
                .map(|d| (d.year, d.month, d.day)),
            Some((Some(2023), Some(6), Some(21)))
        );
        // 签约 is no "about": the count is exact.
        assert!(
            scan_line(0, "已签约812,640人，约500人")
                .0
                .iter()
                .map(|n| n.approx)
                .eq([false, true])
        );
        assert_eq!(
            nums("储备任务为一万二千吨，改造一万亩，救助一万二例"),
            vec![
                ("一万二千吨".into(), "12000".into(), "吨"),
                ("一万亩".into(), "10000".into(), "亩"),
                ("一万二例".into(), "12000".into(), "例")
            ]
        );
        assert_eq!(
            nums("五个专门协会，两期培训"),
            vec![
                ("五个".into(), "5".into(), "个"),
                ("两期".into(), "2".into(), "期")
            ]
        );
        assert_eq!(
            nums("三十六人和一百二十次"),
            vec![
                ("三十六人".into(), "36".into(), "人"),
                ("一百二十次".into(), "120".into(), "次")
            ]
        );
        // pdftotext writes a space between digits and Chinese.
        assert_eq!(
            nums("评价得分 19.9 分，支出 44.39 万元，共 12 次会议"),
            vec![
                ("19.9 分".into(), "19.9".into(), "分"),
                ("44.39 万元".into(), "443900".into(), "元"),
                ("12 次".into(), "12".into(), "次")
            ]
        );
        assert_eq!(nums("见表 3 分别说明"), vec![("3".into(), "3".into(), "")]);
        assert_eq!(
            nums("不少于470人次"),
            vec![("不少于470人次".into(), "470".into(), "人次")]
        );
    }

    #[test]
    fn not_quantities() {
        assert!(nums("（昆财社〔2022〕2号）").is_empty());
        assert!(nums("[bookmark: _Toc29662]一是第一").is_empty());
        assert!(nums("A11 B2 C3").is_empty());
        assert!(nums("一是加强，进一步完善").is_empty());
    }

    #[test]
    fn dotted_dates() {
        let (n, d) = scan_line(0, "于2022.8.30通过交工验收，单价2.5元");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].year, d[0].month, d[0].day),
            (Some(2022), Some(8), Some(30))
        );
        assert_eq!(n.len(), 1, "2.5元 stays a number");
    }

    #[test]
    fn dates() {
        let (_, d) = scan_line(0, "2023年4月21日至5月20日，2022年");
        assert_eq!(d.len(), 3);
        assert_eq!(
            (d[0].year, d[0].month, d[0].day),
            (Some(2023), Some(4), Some(21))
        );
        assert_eq!(
            (d[1].year, d[1].month, d[1].day, d[1].inherited),
            (Some(2023), Some(5), Some(20), true)
        );
        assert_eq!((d[2].year, d[2].month), (Some(2022), None));
    }

    #[test]
    fn a_phase_named_by_its_number_is_no_count() {
        assert_eq!(
            nums("项目分三期实施，一期为建华社区、跃进社区片区").len(),
            1
        );
        assert!(nums("二期工程于5月开工").is_empty());
        // Counts of sessions stay counts.
        assert_eq!(nums("全年举办培训三期，两期培训班结业")[0].1, "3");
        assert_eq!(nums("全年举办培训三期，两期培训班结业").len(), 2);
    }

    #[test]
    fn a_standards_number_is_no_figure() {
        assert!(nums("各项指标均优于GB 3838-2002 Ⅱ类标准限值").is_empty());
        assert!(nums("执行GB/T 14848—2017标准").is_empty());
        // The figures after the standard are read as ever.
        assert_eq!(nums("对照GB 3838-2002，溶解氧8.2mg/L").len(), 1);
    }

    #[test]
    fn tens_of_thousands_of_people_named_by_who_they_are() {
        let n = nums("全省资助521.36万困难群众参加医保，另有3.2万份问卷");
        assert_eq!(n[0].2, "人", "{n:?}");
        assert_eq!(n[0].1, "5213600");
        assert_eq!(n[1].2, "份", "{n:?}");
        // A figure of 万 followed by other words keeps no unit.
        assert_eq!(nums("投入12万建设")[0].2, "");
    }
}
