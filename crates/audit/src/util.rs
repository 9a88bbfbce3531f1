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
    let s = i128::from(stated.mantissa()) * pow10(decimals - scale)
        / pow10(stated.scale() - scale);
    (r - s).abs() <= 1
}

/// The value `num / den` as a ratio, `None` for a zero denominator.
pub fn ratio(num: Dec, den: Dec) -> Option<Ratio> {
    num.ratio(den)
}

/// `x` as a decimal string with two decimals, rounded half-up.
pub fn two(x: Ratio) -> String {
    x.round(2).to_string()
}

/// A sum of decimals (saturating to zero on overflow, which real reports never reach).
pub fn sum(xs: impl IntoIterator<Item = Dec>) -> Dec {
    xs.into_iter().fold(Dec::ZERO, |a, b| a.checked_add(b).unwrap_or(a))
}

/// `a − b`.
pub fn sub(a: Dec, b: Dec) -> Dec {
    a.checked_add(Dec::new(-b.mantissa(), b.scale()).unwrap_or(Dec::ZERO))
        .unwrap_or(Dec::ZERO)
}

/// Whether a character is a CJK ideograph.
pub fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The longest run of CJK characters two strings share.
pub fn common_run(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut best = 0;
    let mut prev = vec![0_usize; b.len() + 1];
    for i in 1..=a.len() {
        let mut cur = vec![0_usize; b.len() + 1];
        for j in 1..=b.len() {
            if a[i - 1] == b[j - 1] && is_cjk(a[i - 1]) {
                cur[j] = prev[j - 1] + 1;
                best = best.max(cur[j]);
            }
        }
        prev = cur;
    }
    best
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
    Finding {
        rule,
        severity,
        message,
        lines,
        values,
    }
}

/// The text of a line before byte `end`, back to the start of its clause (after the last
/// `，。；：,;:、` or tab), without debris.
pub fn clause_before(doc: &Doc, line: usize, end: usize) -> String {
    let l = &doc.lines[line];
    let head = &l[..end.min(l.len())];
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '，' | '。' | '；' | '：' | ',' | ';' | ':' | '\t' | '|' | '、' | '！' | '？'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    crate::doc::strip_debris(&head[start..])
}

/// The text of a line after byte `start` up to the end of its clause.
pub fn clause_after(doc: &Doc, line: usize, start: usize) -> String {
    let l = &doc.lines[line];
    let tail = &l[start.min(l.len())..];
    let end = tail
        .char_indices()
        .find(|(_, c)| matches!(c, '，' | '。' | '；' | ',' | ';' | '\t' | '|' | '！' | '？'))
        .map_or(tail.len(), |(i, _)| i);
    crate::doc::strip_debris(&tail[..end])
}

/// The sentence around byte range `start..end` (between `。；` or line ends).
pub fn sentence(doc: &Doc, line: usize, start: usize, end: usize) -> (usize, usize) {
    let l = &doc.lines[line];
    let s = l[..start.min(l.len())]
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '。' | '；' | ';' | '！' | '？'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let e = l[end.min(l.len())..]
        .char_indices()
        .find(|(_, c)| matches!(c, '。' | '；' | ';' | '！' | '？'))
        .map_or(l.len(), |(i, _)| end + i);
    (s, e)
}
