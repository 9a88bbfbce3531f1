//! Reading TOML files (project files, frameworks) into domain types with exact locations.
//!
//! The reader walks the span-preserving TOML tree by hand instead of deriving serde, so that
//! every problem gets a Chinese message, a field path and a byte span, all problems are
//! reported at once, unknown keys (typos) are caught, and numbers are read from their
//! literal text — `443900.10` stays exact, never passing through a float.

pub mod framework;
pub mod project;
pub mod write;

use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::date::Date;
use crate::diag::{Diagnostic, Loc, Origin, Problem, ValueKind};
use crate::num::{Dec, Money, NumError, Points};

/// Byte spans of every field a reader visited, by field path.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    spans: HashMap<String, Range<usize>>,
}

impl SourceMap {
    /// The span recorded for a path, or for its nearest recorded ancestor.
    #[must_use]
    pub fn span(&self, path: &str) -> Option<Range<usize>> {
        let mut p = path;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(s.clone());
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

/// A position in a text file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

/// Line and column of a byte offset.
#[must_use]
pub fn line_col(src: &str, offset: usize) -> LineCol {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    LineCol { line, col }
}

/// A parsed file: the value, its diagnostics and where each field sits.
#[derive(Debug)]
pub struct Loaded<T> {
    /// The value, when the file could be read at all (possibly with errors in it).
    pub value: Option<T>,
    /// Problems found, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Field spans, to turn a [`Loc`] into a line and column.
    pub map: SourceMap,
}

impl<T> Loaded<T> {
    /// True when any diagnostic is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        crate::diag::has_errors(&self.diagnostics)
    }
}

/// Decodes bytes as UTF-8 text, with a diagnostic naming the first bad byte.
///
/// # Errors
/// A `NotUtf8` or `EmptyFile` diagnostic.
pub fn decode_utf8(bytes: &[u8], origin: Origin) -> Result<&str, Box<Diagnostic>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Box::new(Diagnostic {
            severity: crate::diag::Severity::Error,
            at: Some(Loc {
                origin,
                path: String::new(),
            }),
            problem: Problem::NotUtf8 {
                line: bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1,
                offset: e.valid_up_to(),
            },
        })
    })?;
    if text.trim().is_empty() {
        return Err(Box::new(Diagnostic {
            severity: crate::diag::Severity::Error,
            at: Some(Loc {
                origin,
                path: String::new(),
            }),
            problem: Problem::EmptyFile,
        }));
    }
    Ok(text)
}

/// A table being read, with its path and span.
pub(crate) struct Tbl<'a, 'i> {
    pub t: &'a DeTable<'i>,
    pub path: String,
    pub span: Range<usize>,
}

impl Tbl<'_, '_> {
    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

/// The walker: collects diagnostics and spans while reading.
pub(crate) struct Reader {
    pub origin: Origin,
    pub map: SourceMap,
    pub diags: Vec<Diagnostic>,
}

impl Reader {
    pub fn new(origin: Origin) -> Reader {
        Reader {
            origin,
            map: SourceMap::default(),
            diags: Vec::new(),
        }
    }

    pub fn loc(&self, path: &str) -> Loc {
        Loc {
            origin: self.origin,
            path: path.to_owned(),
        }
    }

    pub fn error(&mut self, path: &str, problem: Problem) {
        let loc = self.loc(path);
        self.diags.push(Diagnostic::error(loc, problem));
    }

    /// Parses the document; a syntax error becomes a diagnostic with its span.
    pub fn parse<'i>(&mut self, src: &'i str) -> Option<DeTable<'i>> {
        match DeTable::parse(src) {
            Ok(t) => {
                self.map.spans.insert(String::new(), t.span());
                Some(t.into_inner())
            }
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                self.map.spans.insert("<syntax>".into(), span);
                let message = e.message().trim().to_owned();
                self.error("<syntax>", Problem::Syntax { message });
                None
            }
        }
    }

    /// Opens a table, reporting keys not in `allowed`.
    pub fn open<'a, 'i>(
        &mut self,
        t: &'a DeTable<'i>,
        path: String,
        span: Range<usize>,
        allowed: &[&'static str],
    ) -> Tbl<'a, 'i> {
        self.map.spans.insert(path.clone(), span.clone());
        let tbl = Tbl { t, path, span };
        for (k, v) in t {
            if !allowed.contains(&k.get_ref().as_ref()) {
                let p = tbl.key_path(k.get_ref());
                self.map
                    .spans
                    .insert(p.clone(), k.span().start..v.span().end);
                self.error(
                    &p,
                    Problem::UnknownField {
                        field: k.get_ref().to_string(),
                        allowed: allowed.to_vec(),
                    },
                );
            }
        }
        tbl
    }

    /// Looks a key up, recording its span; `None` when absent.
    fn get<'a, 'i>(
        &mut self,
        tbl: &Tbl<'a, 'i>,
        key: &str,
    ) -> Option<(String, &'a toml::Spanned<DeValue<'i>>)> {
        let v = tbl.t.get(key)?;
        let p = tbl.key_path(key);
        self.map.spans.insert(p.clone(), v.span());
        Some((p, v))
    }

    fn missing(&mut self, tbl: &Tbl<'_, '_>, key: &str) {
        let p = tbl.key_path(key);
        self.map.spans.insert(p.clone(), tbl.span.clone());
        self.error(&p, Problem::MissingField { field: p.clone() });
    }

    fn wrong(&mut self, path: &str, expected: ValueKind) {
        self.error(path, Problem::WrongType { expected });
    }

    /// A text field; empty text counts as absent for optional fields.
    pub fn opt_str(&mut self, tbl: &Tbl<'_, '_>, key: &str) -> Option<String> {
        let (p, v) = self.get(tbl, key)?;
        match v.get_ref() {
            DeValue::String(s) => {
                let s = s.trim();
                (!s.is_empty()).then(|| s.to_owned())
            }
            _ => {
                self.wrong(&p, ValueKind::Text);
                None
            }
        }
    }

    /// A required, non-empty text field.
    pub fn req_str(&mut self, tbl: &Tbl<'_, '_>, key: &str) -> Option<String> {
        if !tbl.t.contains_key(key) {
            self.missing(tbl, key);
            return None;
        }
        let v = self.opt_str(tbl, key);
        if v.is_none()
            && matches!(
                tbl.t.get(key).map(toml::Spanned::get_ref),
                Some(DeValue::String(_))
            )
        {
            self.error(&tbl.key_path(key), Problem::EmptyText);
        }
        v
    }

    /// A list of texts; a single text is accepted as a list of one.
    pub fn str_list(&mut self, tbl: &Tbl<'_, '_>, key: &str) -> Vec<String> {
        let Some((p, v)) = self.get(tbl, key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::String(s) => vec![s.trim().to_owned()],
            DeValue::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for (i, item) in a.iter().enumerate() {
                    let ip = format!("{p}[{i}]");
                    self.map.spans.insert(ip.clone(), item.span());
                    match item.get_ref() {
                        DeValue::String(s) => out.push(s.trim().to_owned()),
                        _ => self.wrong(&ip, ValueKind::Text),
                    }
                }
                out
            }
            _ => {
                self.wrong(&p, ValueKind::Array);
                Vec::new()
            }
        }
    }

    /// An integer field.
    pub fn opt_int(&mut self, tbl: &Tbl<'_, '_>, key: &str) -> Option<i64> {
        let (p, v) = self.get(tbl, key)?;
        if let DeValue::Integer(i) = v.get_ref()
            && i.radix() == 10
            && let Ok(n) = i.as_str().replace('_', "").parse::<i64>()
        {
            return Some(n);
        }
        self.wrong(&p, ValueKind::Integer);
        None
    }

    /// A required integer field.
    pub fn req_int(&mut self, tbl: &Tbl<'_, '_>, key: &str) -> Option<i64> {
        if !tbl.t.contains_key(key) {
            self.missing(tbl, key);
            return None;
        }
        self.opt_int(tbl, key)
    }

    /// The literal text of a number (integer, float or numeric string), for exact parsing.
    fn number_text(&mut self, p: &str, v: &DeValue<'_>, kind: ValueKind) -> Option<String> {
        match v {
            DeValue::Integer(i) if i.radix() == 10 => Some(i.as_str().replace('_', "")),
            DeValue::Float(f) => {
                let t = f.as_str().replace('_', "");
                if t.contains(['e', 'E', 'n', 'i']) {
                    self.error(
                        p,
                        Problem::BadNumber {
                            text: t,
                            why: NumError::NotANumber,
                        },
                    );
                    None
                } else {
                    Some(t)
                }
            }
            DeValue::String(s) => Some(s.trim().to_owned()),
            _ => {
                self.wrong(p, kind);
                None
            }
        }
    }

    /// A decimal number, from a TOML number or a numeric string.
    pub fn opt_dec(&mut self, tbl: &Tbl<'_, '_>, key: &str) -> Option<Dec> {
        let (p, v) = self.get(tbl, key)?;
        let text = self.number_text(&p, v.get_ref(), ValueKind::Number)?;
        let text = text.trim_end_matches(['%', '％']).trim().to_owned();
        match Dec::parse(&text) {
            Ok(d) => Some(d),
            Err(why) => {
                self.error(&p, Problem::BadNumber { text, why });
                None
            }
        }
    }

    /// A required decimal number.
    pub fn req_dec(&mut self, tbl: &Tbl<'_, '_>, key: &str) -> Option<Dec> {
        if !tbl.t.contains_key(key) {
            self.missing(tbl, key);
            return None;
        }
        self.opt_dec(tbl, key)
    }

    /// A percentage between 0 and 100.
    pub fn opt_percent(&mut self, tbl: &Tbl<'_, '_>, key: &str, what: &'static str) -> Option<Dec> {
        let d = self.opt_dec(tbl, key)?;
        let p = tbl.key_path(key);
        if d.is_negative() {
            self.error(
                &p,
                Problem::BadNumber {
                    text: d.to_string(),
                    why: NumError::Negative,
                },
            );
            return None;
        }
        if d > Dec::HUNDRED {
            self.error(
                &p,
                Problem::PercentOver100 {
                    what,
                    value: d.to_string(),
                },
            );
            return None;
        }
        Some(d)
    }

    /// Score points (at most two decimals).
    pub fn opt_points(&mut self, tbl: &Tbl<'_, '_>, key: &str) -> Option<Points> {
        let d = self.opt_dec(tbl, key)?;
        let p = tbl.key_path(key);
        if d.is_negative() {
            self.error(
                &p,
                Problem::BadNumber {
                    text: d.to_string(),
                    why: NumError::Negative,
                },
            );
            return None;
        }
        match Points::from_dec(d) {
            Ok(v) => Some(v),
            Err(why) => {
                self.error(
                    &p,
                    Problem::BadNumber {
                        text: d.to_string(),
                        why,
                    },
                );
                None
            }
        }
    }

    /// Money in yuan: a TOML number (read exactly) or text such as `76.1万元`.
    pub fn opt_money(
        &mut self,
        tbl: &Tbl<'_, '_>,
        key: &str,
        allow_negative: bool,
    ) -> Option<Money> {
        let (p, v) = self.get(tbl, key)?;
        let text = self.number_text(&p, v.get_ref(), ValueKind::Money)?;
        let parsed = match v.get_ref() {
            DeValue::String(_) => Money::parse(&text),
            _ => Dec::parse(&text).and_then(Money::from_yuan_dec),
        };
        match parsed {
            Ok(m) if m.is_negative() && !allow_negative => {
                self.error(
                    &p,
                    Problem::BadMoney {
                        text,
                        why: NumError::Negative,
                    },
                );
                None
            }
            Ok(m) => Some(m),
            Err(why) => {
                self.error(&p, Problem::BadMoney { text, why });
                None
            }
        }
    }

    /// Required money.
    pub fn req_money(
        &mut self,
        tbl: &Tbl<'_, '_>,
        key: &str,
        allow_negative: bool,
    ) -> Option<Money> {
        if !tbl.t.contains_key(key) {
            self.missing(tbl, key);
            return None;
        }
        self.opt_money(tbl, key, allow_negative)
    }

    /// A date: a TOML local date or text `YYYY-MM-DD`.
    pub fn opt_date(&mut self, tbl: &Tbl<'_, '_>, key: &str) -> Option<Date> {
        let (p, v) = self.get(tbl, key)?;
        let text = match v.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            DeValue::String(s) => s.trim().to_owned(),
            DeValue::Datetime(dt) => dt.to_string(),
            _ => {
                self.wrong(&p, ValueKind::Date);
                return None;
            }
        };
        let d = Date::parse(&text);
        if d.is_none() {
            self.error(&p, Problem::BadDate { text });
        }
        d
    }

    /// A boolean.
    pub fn opt_bool(&mut self, tbl: &Tbl<'_, '_>, key: &str) -> Option<bool> {
        let (p, v) = self.get(tbl, key)?;
        if let DeValue::Boolean(b) = v.get_ref() {
            Some(*b)
        } else {
            self.wrong(&p, ValueKind::Bool);
            None
        }
    }

    /// A value from a closed set of names.
    pub fn opt_choice<T>(
        &mut self,
        tbl: &Tbl<'_, '_>,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
        names: &[&'static str],
    ) -> Option<T> {
        let p = tbl.key_path(key);
        let s = self.opt_str(tbl, key)?;
        let v = parse(&s);
        if v.is_none() {
            self.error(
                &p,
                Problem::BadChoice {
                    value: s,
                    allowed: names.to_vec(),
                },
            );
        }
        v
    }

    /// A required value from a closed set.
    pub fn req_choice<T>(
        &mut self,
        tbl: &Tbl<'_, '_>,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
        names: &[&'static str],
    ) -> Option<T> {
        if !tbl.t.contains_key(key) {
            self.missing(tbl, key);
            return None;
        }
        self.opt_choice(tbl, key, parse, names)
    }

    /// A sub-table, opened with its allowed keys.
    pub fn opt_table<'a, 'i>(
        &mut self,
        tbl: &Tbl<'a, 'i>,
        key: &str,
        allowed: &[&'static str],
    ) -> Option<Tbl<'a, 'i>> {
        let (p, v) = self.get(tbl, key)?;
        if let DeValue::Table(t) = v.get_ref() {
            Some(self.open(t, p, v.span(), allowed))
        } else {
            self.wrong(&p, ValueKind::Table);
            None
        }
    }

    /// An array of tables (`[[key]]`), each opened with its allowed keys.
    pub fn tables<'a, 'i>(
        &mut self,
        tbl: &Tbl<'a, 'i>,
        key: &str,
        allowed: &[&'static str],
    ) -> Vec<Tbl<'a, 'i>> {
        let Some((p, v)) = self.get(tbl, key) else {
            return Vec::new();
        };
        let DeValue::Array(a) = v.get_ref() else {
            self.wrong(&p, ValueKind::Array);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(a.len());
        for (i, item) in a.iter().enumerate() {
            let ip = format!("{p}[{i}]");
            if let DeValue::Table(t) = item.get_ref() {
                out.push(self.open(t, ip, item.span(), allowed));
            } else {
                self.map.spans.insert(ip.clone(), item.span());
                self.wrong(&ip, ValueKind::Table);
            }
        }
        out
    }

    /// The entries of a table whose keys are free (codes → values), for maps.
    pub fn entries<'a, 'i>(
        &mut self,
        tbl: &Tbl<'a, 'i>,
    ) -> Vec<(String, String, &'a toml::Spanned<DeValue<'i>>)> {
        let mut out = Vec::with_capacity(tbl.t.len());
        for (k, v) in tbl.t {
            let p = tbl.key_path(k.get_ref());
            self.map.spans.insert(p.clone(), v.span());
            out.push((k.get_ref().to_string(), p, v));
        }
        out
    }

    /// A number held in a map entry, as points.
    pub fn entry_points(&mut self, p: &str, v: &DeValue<'_>) -> Option<Points> {
        let text = self.number_text(p, v, ValueKind::Number)?;
        match Dec::parse(&text).and_then(|d| {
            if d.is_negative() {
                Err(NumError::Negative)
            } else {
                Points::from_dec(d)
            }
        }) {
            Ok(pt) => Some(pt),
            Err(why) => {
                self.error(p, Problem::BadNumber { text, why });
                None
            }
        }
    }

    /// Whether a key is present.
    pub fn has(tbl: &Tbl<'_, '_>, key: &str) -> bool {
        tbl.t.contains_key(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = "a = 1\n名称 = \"x\"\n";
        assert_eq!(line_col(src, 0), LineCol { line: 1, col: 1 });
        let off = src.find('=').unwrap();
        assert_eq!(line_col(src, off), LineCol { line: 1, col: 3 });
        let off = src.rfind('=').unwrap();
        assert_eq!(line_col(src, off), LineCol { line: 2, col: 4 });
    }

    #[test]
    fn source_map_falls_back_to_ancestors() {
        let mut m = SourceMap::default();
        m.spans.insert("target[2]".into(), 10..20);
        assert_eq!(m.span("target[2].actual.unit"), Some(10..20));
        assert_eq!(m.span("nothing"), None);
    }

    #[test]
    fn utf8_and_empty_files_are_refused() {
        let d = decode_utf8(b"\xff\xfe", Origin::Project).unwrap_err();
        assert_eq!(d.problem, Problem::NotUtf8 { line: 1, offset: 0 });
        let d = decode_utf8(b"  \n", Origin::Project).unwrap_err();
        assert_eq!(d.problem, Problem::EmptyFile);
        assert_eq!(
            decode_utf8(b"\xEF\xBB\xBFa=1", Origin::Project).unwrap(),
            "a=1"
        );
    }
}
