//! Units of measure (度量单位): a base unit with an optional 万/亿 multiplier.
//!
//! `万张` is ten thousand `张`; `50000张` and `5万张` are the same quantity. Two units can be
//! compared when their base units agree (`名` counts as `人`).

use std::fmt;

use crate::code::Code;
use crate::num::Dec;

/// A unit of measure as written, split into a multiplier and a base unit.
///
/// Kept small and inline (a unit is a few characters): every target and every actual value
/// holds one, and scoring reads them for each of many thousands of projects.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Unit {
    written: Code,
    /// Byte offset in `written` where the base unit begins (after 万/亿).
    base_from: u8,
    /// The base unit when it is spelt differently from the text (`名` → `人`).
    alias: Alias,
    /// Power of ten of the multiplier: 0, 4 (万) or 8 (亿).
    exp: u8,
}

/// Spellings that name another base unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
enum Alias {
    /// The base is the text after the multiplier.
    #[default]
    AsWritten,
    /// `名` and `位` count people: `人`.
    People,
    /// `个百分点`: `%`.
    Percent,
}

impl Unit {
    /// No unit (a bare count or an unspecified unit).
    #[must_use]
    pub fn none() -> Unit {
        Unit::default()
    }

    /// Reads a unit such as `张`, `万张`, `人次`, `%`, `万元`.
    #[must_use]
    pub fn parse(text: &str) -> Unit {
        let written = text.trim();
        let (exp, base_from) = match written.chars().next() {
            Some('万') if written.len() > '万'.len_utf8() => (4, '万'.len_utf8()),
            Some('亿') if written.len() > '亿'.len_utf8() => (8, '亿'.len_utf8()),
            _ => (0, 0),
        };
        let alias = match &written[base_from..] {
            "名" | "位" => Alias::People,
            "个百分点" | "％" => Alias::Percent,
            _ => Alias::AsWritten,
        };
        Unit {
            base_from: u8::try_from(base_from).unwrap_or(0),
            written: Code::from(written),
            alias,
            exp,
        }
    }

    /// The unit as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// The base unit (`张` for `万张`).
    #[must_use]
    pub fn base(&self) -> &str {
        match self.alias {
            Alias::People => "人",
            Alias::Percent => "%",
            Alias::AsWritten => self
                .written
                .get(usize::from(self.base_from)..)
                .unwrap_or(""),
        }
    }

    /// True for no unit at all.
    #[must_use]
    pub fn is_none(&self) -> bool {
        self.written.is_empty()
    }

    /// True for a percentage.
    #[must_use]
    pub fn is_percent(&self) -> bool {
        self.base() == "%"
    }

    /// Whether quantities in `self` and `other` measure the same thing.
    #[must_use]
    pub fn compatible(&self, other: &Unit) -> bool {
        self.base() == other.base()
    }

    /// Converts `v`, measured in this unit, into `to` (which must be compatible).
    #[must_use]
    pub fn convert(&self, v: Dec, to: &Unit) -> Option<Dec> {
        let k = i8::try_from(i16::from(self.exp) - i16::from(to.exp)).ok()?;
        v.shift(k)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipliers_convert() {
        let wan = Unit::parse("万张");
        let zhang = Unit::parse("张");
        assert!(wan.compatible(&zhang));
        let four = Dec::parse("4").unwrap();
        assert_eq!(wan.convert(four, &zhang).unwrap().to_string(), "40000");
        assert_eq!(
            zhang
                .convert(Dec::parse("50000").unwrap(), &wan)
                .unwrap()
                .to_string(),
            "5"
        );
    }

    #[test]
    fn bases_decide_compatibility() {
        assert!(Unit::parse("名").compatible(&Unit::parse("人")));
        assert!(!Unit::parse("人次").compatible(&Unit::parse("次")));
        assert!(Unit::parse("％").is_percent());
        assert!(!Unit::parse("万").is_percent());
        assert_eq!(Unit::parse("万").base(), "万");
    }
}
