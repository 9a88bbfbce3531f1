//! Units of measure (度量单位): a base unit with an optional 万/亿 multiplier.
//!
//! `万张` is ten thousand `张`; `50000张` and `5万张` are the same quantity. Two units can be
//! compared when their base units agree (`名` counts as `人`).

use std::fmt;

use crate::num::Dec;

/// A unit of measure as written, split into a multiplier and a base unit.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Unit {
    written: String,
    base: String,
    /// Power of ten of the multiplier: 0, 4 (万) or 8 (亿).
    exp: u8,
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
        let written = text.trim().to_owned();
        let norm = written.replace('％', "%");
        let (exp, rest) = if let Some(r) = norm.strip_prefix('万').filter(|r| !r.is_empty()) {
            (4, r)
        } else if let Some(r) = norm.strip_prefix('亿').filter(|r| !r.is_empty()) {
            (8, r)
        } else {
            (0, norm.as_str())
        };
        let base = match rest {
            "名" | "位" => "人",
            "个百分点" => "%",
            other => other,
        }
        .to_owned();
        Unit { written, base, exp }
    }

    /// The unit as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// The base unit (`张` for `万张`).
    #[must_use]
    pub fn base(&self) -> &str {
        &self.base
    }

    /// True for no unit at all.
    #[must_use]
    pub fn is_none(&self) -> bool {
        self.written.is_empty()
    }

    /// True for a percentage.
    #[must_use]
    pub fn is_percent(&self) -> bool {
        self.base == "%"
    }

    /// Whether quantities in `self` and `other` measure the same thing.
    #[must_use]
    pub fn compatible(&self, other: &Unit) -> bool {
        self.base == other.base
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
