//! Exact numbers: decimals as written, rationals for rates, and scores in hundredths of a point.
//!
//! Nothing here uses floating point. Rates are kept as exact fractions and rounded half-up
//! (四舍五入, half away from zero) only when they are shown; a leaf score is rounded to two
//! decimals once, and every parent is the exact sum of its rounded children.

use std::cmp::Ordering;
use std::fmt;

/// The largest absolute mantissa a [`Dec`] may hold (15 significant digits).
const MAX_MANTISSA: i64 = 999_999_999_999_999;
/// The most decimals a [`Dec`] may carry.
pub const MAX_SCALE: u8 = 6;

/// Why a piece of text is not an acceptable number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumError {
    /// Not a number at all.
    NotANumber,
    /// More significant digits or decimals than the engine keeps exactly.
    TooLarge,
    /// More decimals than the field allows.
    TooManyDecimals {
        /// The most decimals allowed.
        max: u8,
    },
    /// A negative value where only zero or more is allowed.
    Negative,
}

impl fmt::Display for NumError {
    /// Chinese, because this text reaches users inside a file diagnostic.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumError::NotANumber => f.write_str("不是数字"),
            NumError::TooLarge => write!(f, "数值超出范围（最多15位有效数字、{MAX_SCALE}位小数）"),
            NumError::TooManyDecimals { max } => write!(f, "最多允许{max}位小数"),
            NumError::Negative => f.write_str("不能为负数"),
        }
    }
}

/// An exact decimal `mantissa × 10^-scale`, normalised (no trailing zeros in the fraction).
///
/// Bounded to 15 significant digits and six decimals so that every ratio the scoring engine
/// forms from two of them, multiplied by a weight, fits in an `i128` without overflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Dec {
    m: i64,
    s: u8,
}

impl Dec {
    /// Zero.
    pub const ZERO: Dec = Dec { m: 0, s: 0 };
    /// One hundred (a whole, in percent).
    pub const HUNDRED: Dec = Dec { m: 100, s: 0 };

    /// Builds `mantissa × 10^-scale`, normalised; `None` when out of range.
    #[must_use]
    pub fn new(mantissa: i64, scale: u8) -> Option<Dec> {
        let (mut m, mut s) = (mantissa, scale);
        while s > 0 && m % 10 == 0 {
            m /= 10;
            s -= 1;
        }
        (s <= MAX_SCALE && m.abs() <= MAX_MANTISSA).then_some(Dec { m, s })
    }

    /// An integer value.
    #[must_use]
    pub fn from_int(v: i64) -> Option<Dec> {
        Dec::new(v, 0)
    }

    /// The mantissa (value × 10^scale).
    #[must_use]
    pub fn mantissa(self) -> i64 {
        self.m
    }

    /// Number of decimals after normalisation.
    #[must_use]
    pub fn scale(self) -> u8 {
        self.s
    }

    /// True when the value is zero.
    #[must_use]
    pub fn is_zero(self) -> bool {
        self.m == 0
    }

    /// True when the value is below zero.
    #[must_use]
    pub fn is_negative(self) -> bool {
        self.m < 0
    }

    /// Parses ASCII decimal text: an optional sign, digits, an optional fraction. Commas
    /// between digit groups (thousands separators) are accepted and ignored.
    ///
    /// # Errors
    /// [`NumError::NotANumber`] for anything else, [`NumError::TooLarge`] beyond the bounds.
    pub fn parse(text: &str) -> Result<Dec, NumError> {
        let t = text.trim();
        let (neg, body) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let int: String = int.chars().filter(|c| *c != ',' && *c != '_').collect();
        if int.is_empty() && frac.is_none_or(str::is_empty) {
            return Err(NumError::NotANumber);
        }
        if !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.unwrap_or("").bytes().all(|b| b.is_ascii_digit())
        {
            return Err(NumError::NotANumber);
        }
        let frac = frac.unwrap_or("").trim_end_matches('0');
        if frac.len() > usize::from(MAX_SCALE) {
            return Err(NumError::TooManyDecimals { max: MAX_SCALE });
        }
        let int = int.trim_start_matches('0');
        if int.len() + frac.len() > 15 {
            return Err(NumError::TooLarge);
        }
        let mut m: i64 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            m = m * 10 + i64::from(b - b'0');
        }
        if neg {
            m = -m;
        }
        let scale = u8::try_from(frac.len()).map_err(|_| NumError::TooLarge)?;
        Dec::new(m, scale).ok_or(NumError::TooLarge)
    }

    /// This value times `10^k`, or `None` when that leaves the bounds.
    #[must_use]
    pub fn shift(self, k: i8) -> Option<Dec> {
        let k_abs = k.unsigned_abs();
        if k < 0 {
            return Dec::new(self.m, self.s.checked_add(k_abs)?);
        }
        if self.s >= k_abs {
            Dec::new(self.m, self.s - k_abs)
        } else {
            let f = 10_i64.checked_pow(u32::from(k_abs - self.s))?;
            Dec::new(self.m.checked_mul(f)?, 0)
        }
    }

    /// The exact fraction `self / other`, or `None` when `other` is zero.
    #[must_use]
    pub fn ratio(self, other: Dec) -> Option<Ratio> {
        if other.m == 0 {
            return None;
        }
        let num = i128::from(self.m) * pow10(other.s);
        let den = i128::from(other.m) * pow10(self.s);
        Some(Ratio::new(num, den))
    }

    /// The value as an exact fraction.
    #[must_use]
    pub fn to_ratio(self) -> Ratio {
        Ratio::new(i128::from(self.m), pow10(self.s))
    }

    /// Sum of two values, `None` beyond the bounds.
    #[must_use]
    pub fn checked_add(self, other: Dec) -> Option<Dec> {
        let s = self.s.max(other.s);
        let a = self.m.checked_mul(10_i64.pow(u32::from(s - self.s)))?;
        let b = other.m.checked_mul(10_i64.pow(u32::from(s - other.s)))?;
        Dec::new(a.checked_add(b)?, s)
    }
}

impl Ord for Dec {
    fn cmp(&self, other: &Self) -> Ordering {
        let a = i128::from(self.m) * pow10(other.s);
        let b = i128::from(other.m) * pow10(self.s);
        a.cmp(&b)
    }
}

impl PartialOrd for Dec {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_scaled(f, i128::from(self.m), self.s, false)
    }
}

/// Writes `v × 10^-scale` with exactly `scale` decimals; optional thousands separators.
fn write_scaled(f: &mut fmt::Formatter<'_>, v: i128, scale: u8, group: bool) -> fmt::Result {
    let neg = v < 0;
    let digits = v.unsigned_abs().to_string();
    let scale = usize::from(scale);
    let padded = if digits.len() <= scale {
        format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
    } else {
        digits
    };
    let (int, frac) = padded.split_at(padded.len() - scale);
    if neg {
        f.write_str("-")?;
    }
    if group {
        let n = int.len();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (n - i) % 3 == 0 {
                f.write_str(",")?;
            }
            write!(f, "{ch}")?;
        }
    } else {
        f.write_str(int)?;
    }
    if scale > 0 {
        write!(f, ".{frac}")?;
    }
    Ok(())
}

/// `10^k` as an `i128`.
#[must_use]
pub fn pow10(k: u8) -> i128 {
    10_i128.pow(u32::from(k))
}

/// `n / d` rounded half away from zero (四舍五入); `d` must be positive.
#[must_use]
pub fn div_round(n: i128, d: i128) -> i128 {
    debug_assert!(d > 0, "divisor must be positive");
    // 64-bit division is many times faster than the 128-bit routine; scores, weights and the
    // ratios of ordinary values fit comfortably.
    if let (Ok(n64), Ok(d64)) = (i64::try_from(n), i64::try_from(d)) {
        let q = n64 / d64;
        let r = n64 % d64;
        return i128::from(if 2 * r.unsigned_abs() >= d64.unsigned_abs() {
            q + n64.signum()
        } else {
            q
        });
    }
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d { q + n.signum() } else { q }
}

/// An exact fraction with a positive denominator, for rates (执行率, 完成率, 得分率 …).
#[derive(Clone, Copy, Debug)]
pub struct Ratio {
    num: i128,
    den: i128,
}

impl Ratio {
    /// The fraction 1.
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };
    /// The fraction 0.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    /// `num / den`; a negative denominator moves its sign to the numerator. `den` must not be 0.
    #[must_use]
    pub fn new(num: i128, den: i128) -> Ratio {
        debug_assert!(den != 0, "a ratio needs a non-zero denominator");
        if den < 0 {
            Ratio {
                num: -num,
                den: -den,
            }
        } else {
            Ratio { num, den }
        }
    }

    /// Numerator.
    #[must_use]
    pub fn num(self) -> i128 {
        self.num
    }

    /// Denominator (always positive).
    #[must_use]
    pub fn den(self) -> i128 {
        self.den
    }

    /// The smaller of this and 1.
    #[must_use]
    pub fn min_one(self) -> Ratio {
        if self.num > self.den {
            Ratio::ONE
        } else {
            self
        }
    }

    /// The larger of this and 0.
    #[must_use]
    pub fn max_zero(self) -> Ratio {
        if self.num < 0 { Ratio::ZERO } else { self }
    }

    /// `1 / self`, `None` for zero.
    #[must_use]
    pub fn recip(self) -> Option<Ratio> {
        (self.num != 0).then(|| Ratio::new(self.den, self.num))
    }

    /// The rate in percent, rounded half-up to `dp` decimals.
    #[must_use]
    pub fn percent(self, dp: u8) -> Rounded {
        Rounded {
            v: div_round(self.num * 100 * pow10(dp), self.den),
            dp,
        }
    }

    /// The value rounded half-up to `dp` decimals.
    #[must_use]
    pub fn round(self, dp: u8) -> Rounded {
        Rounded {
            v: div_round(self.num * pow10(dp), self.den),
            dp,
        }
    }

    /// `points × self`, rounded half-up to the hundredth of a point.
    #[must_use]
    pub fn of_points(self, p: Points) -> Points {
        let v = div_round(i128::from(p.0) * self.num, self.den);
        Points(i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX }))
    }

    /// The product of two fractions (`None` on overflow).
    #[must_use]
    pub fn checked_mul(self, o: Ratio) -> Option<Ratio> {
        Some(Ratio::new(
            self.num.checked_mul(o.num)?,
            self.den.checked_mul(o.den)?,
        ))
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ratio {}
impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}
impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A value rounded to a fixed number of decimals, for display: `v × 10^-dp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rounded {
    v: i128,
    dp: u8,
}

impl Rounded {
    /// The scaled integer (value × 10^dp).
    #[must_use]
    pub fn scaled(self) -> i128 {
        self.v
    }
}

impl fmt::Display for Rounded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_scaled(f, self.v, self.dp, false)
    }
}

/// Score points in hundredths (分值、得分、扣分). Scores keep two decimals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(i64);

impl Points {
    /// Zero points.
    pub const ZERO: Points = Points(0);

    /// From hundredths of a point.
    #[must_use]
    pub const fn from_centi(c: i64) -> Points {
        Points(c)
    }

    /// From whole points.
    #[must_use]
    pub const fn whole(p: i64) -> Points {
        Points(p * 100)
    }

    /// Hundredths of a point.
    #[must_use]
    pub const fn centi(self) -> i64 {
        self.0
    }

    /// From a decimal with at most two decimals.
    ///
    /// # Errors
    /// [`NumError::TooManyDecimals`] beyond two decimals, [`NumError::TooLarge`] beyond range.
    pub fn from_dec(d: Dec) -> Result<Points, NumError> {
        if d.scale() > 2 {
            return Err(NumError::TooManyDecimals { max: 2 });
        }
        let c = d
            .mantissa()
            .checked_mul(10_i64.pow(u32::from(2 - d.scale())))
            .ok_or(NumError::TooLarge)?;
        if c.abs() > 100_000_000 {
            return Err(NumError::TooLarge);
        }
        Ok(Points(c))
    }

    /// The value as an exact decimal.
    #[must_use]
    pub fn to_dec(self) -> Dec {
        Dec::new(self.0, 2).unwrap_or(Dec::ZERO)
    }

    /// `self / whole` as an exact fraction (得分率); `None` when `whole` is zero.
    #[must_use]
    pub fn ratio_to(self, whole: Points) -> Option<Ratio> {
        (whole.0 != 0).then(|| Ratio::new(i128::from(self.0), i128::from(whole.0)))
    }

    /// Saturating sum.
    #[must_use]
    pub fn plus(self, o: Points) -> Points {
        Points(self.0.saturating_add(o.0))
    }

    /// Saturating difference.
    #[must_use]
    pub fn minus(self, o: Points) -> Points {
        Points(self.0.saturating_sub(o.0))
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, Points::plus)
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_scaled(f, i128::from(self.0), 2, false)
    }
}

/// Divides `total` among shares in proportion to them (largest-remainder method), so that the
/// parts are whole hundredths and add up to `total` exactly. Ties go to the earlier share.
/// Returns all zeros when the shares sum to zero.
#[must_use]
pub fn apportion(total: Points, shares: &[u64]) -> Vec<Points> {
    let mut out = vec![Points::ZERO; shares.len()];
    apportion_into(total, shares, &mut out);
    out
}

/// [`apportion`] writing into a caller's buffer of the same length.
pub fn apportion_into(total: Points, shares: &[u64], out: &mut [Points]) {
    let sum: u128 = shares.iter().map(|s| u128::from(*s)).sum();
    if sum == 0 || out.len() != shares.len() {
        out.iter_mut().for_each(|p| *p = Points::ZERO);
        return;
    }
    let t = u128::from(total.0.unsigned_abs());
    let mut given: u128 = 0;
    // Weights and shares are small: 64-bit arithmetic when the operands fit in 32 bits.
    let small = u32::try_from(t).ok().zip(u64::try_from(sum).ok());
    for (o, s) in out.iter_mut().zip(shares) {
        let q = match (small, u32::try_from(*s)) {
            (Some((t32, sum64)), Ok(s32)) => u128::from(u64::from(t32) * u64::from(s32) / sum64),
            _ => t * u128::from(*s) / sum,
        };
        given += q;
        *o = Points(i64::try_from(q).unwrap_or(i64::MAX));
    }
    let left = usize::try_from(t - given).unwrap_or(usize::MAX);
    if left > 0 {
        // Fewer than `len` hundredths remain: they go to the largest remainders, earlier first.
        let mut rem: Vec<(u128, usize)> = shares
            .iter()
            .enumerate()
            .map(|(i, s)| ((t * u128::from(*s)) % sum, i))
            .collect();
        rem.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in rem.into_iter().take(left) {
            out[i] = Points(out[i].0 + 1);
        }
    }
    if total.0 < 0 {
        out.iter_mut().for_each(|p| *p = Points(-p.0));
    }
}

/// Money in fen (分), exact. Shown in 元 or 万元 with two decimals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    /// No money.
    pub const ZERO: Money = Money(0);

    /// From fen.
    #[must_use]
    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    /// From whole yuan.
    #[must_use]
    pub const fn from_yuan(yuan: i64) -> Money {
        Money(yuan * 100)
    }

    /// The amount in fen.
    #[must_use]
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// True below zero.
    #[must_use]
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// From a decimal amount in yuan (at most two decimals).
    ///
    /// # Errors
    /// [`NumError::TooManyDecimals`] for fractions of a fen.
    pub fn from_yuan_dec(d: Dec) -> Result<Money, NumError> {
        if d.scale() > 2 {
            return Err(NumError::TooManyDecimals { max: 2 });
        }
        let fen = d
            .mantissa()
            .checked_mul(10_i64.pow(u32::from(2 - d.scale())))
            .ok_or(NumError::TooLarge)?;
        Ok(Money(fen))
    }

    /// Parses an amount as people write it: `761000`, `761,000.00`, `761000元`, `76.1万元`,
    /// `76.1万`, `0.5亿元`. The result must be a whole number of fen.
    ///
    /// # Errors
    /// [`NumError`] describing what is wrong with the text.
    pub fn parse(text: &str) -> Result<Money, NumError> {
        let t = text.trim().trim_start_matches(['¥', '￥']);
        let (num, shift) = if let Some(n) = t.strip_suffix("万元").or(t.strip_suffix('万')) {
            (n, 4)
        } else if let Some(n) = t.strip_suffix("亿元").or(t.strip_suffix('亿')) {
            (n, 8)
        } else {
            (t.strip_suffix('元').unwrap_or(t), 0)
        };
        let d = Dec::parse(num).map_err(|e| match e {
            NumError::TooManyDecimals { .. } => NumError::TooManyDecimals { max: 2 },
            other => other,
        })?;
        // fen = d × 10^(shift + 2), which must come out whole.
        let m = i128::from(d.mantissa()) * pow10(shift + 2);
        let div = pow10(d.scale());
        if m % div != 0 {
            return Err(NumError::TooManyDecimals { max: 2 });
        }
        i64::try_from(m / div)
            .map(Money)
            .map_err(|_| NumError::TooLarge)
    }

    /// Saturating sum.
    #[must_use]
    pub fn plus(self, o: Money) -> Money {
        Money(self.0.saturating_add(o.0))
    }

    /// Saturating difference.
    #[must_use]
    pub fn minus(self, o: Money) -> Money {
        Money(self.0.saturating_sub(o.0))
    }

    /// `self / whole` as an exact fraction, `None` when `whole` is zero.
    #[must_use]
    pub fn ratio_to(self, whole: Money) -> Option<Ratio> {
        (whole.0 != 0).then(|| Ratio::new(i128::from(self.0), i128::from(whole.0)))
    }

    /// The amount in yuan with two decimals, e.g. `443900.00`.
    #[must_use]
    pub fn yuan(self) -> String {
        Rounded {
            v: i128::from(self.0),
            dp: 2,
        }
        .to_string()
    }

    /// The amount in yuan with thousands separators, e.g. `443,900.00`.
    #[must_use]
    pub fn yuan_grouped(self) -> String {
        struct G(i64);
        impl fmt::Display for G {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_scaled(f, i128::from(self.0), 2, true)
            }
        }
        G(self.0).to_string()
    }

    /// The amount in 万元, rounded half-up to two decimals, e.g. `44.39`.
    #[must_use]
    pub fn wan(self) -> String {
        Rounded {
            v: div_round(i128::from(self.0), 10_000),
            dp: 2,
        }
        .to_string()
    }

    /// The exact amount as a decimal number of yuan.
    #[must_use]
    pub fn to_yuan_dec(self) -> Option<Dec> {
        Dec::new(self.0, 2)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Money::plus)
    }
}

impl fmt::Display for Money {
    /// Yuan with two decimals and the unit, e.g. `443900.00元`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}元", self.yuan())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Dec {
        Dec::parse(s).unwrap()
    }

    #[test]
    fn dec_parses_and_normalises() {
        assert_eq!(dec("85").to_string(), "85");
        assert_eq!(dec("85.0").to_string(), "85");
        assert_eq!(dec("0.50").to_string(), "0.5");
        assert_eq!(dec("1,234.5").to_string(), "1234.5");
        assert_eq!(dec("-3.25").to_string(), "-3.25");
        assert_eq!(dec(".5").to_string(), "0.5");
        assert_eq!(Dec::parse("abc"), Err(NumError::NotANumber));
        assert_eq!(Dec::parse(""), Err(NumError::NotANumber));
        assert_eq!(Dec::parse("1.2.3"), Err(NumError::NotANumber));
        assert_eq!(
            Dec::parse("1.1234567"),
            Err(NumError::TooManyDecimals { max: 6 })
        );
        assert_eq!(Dec::parse("1234567890123456"), Err(NumError::TooLarge));
        assert!(dec("85") == dec("85.000"));
        assert!(dec("9.5") < dec("10"));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(15, 10), 2);
        assert_eq!(div_round(25, 10), 3);
    }

    #[test]
    fn seed_execution_rate_is_58_33_percent() {
        // domain.md c.1: 44.39 / 76.1 = 0.583311… → 58.33 %, 10 × rate = 5.83.
        let spent = Money::parse("44.39万元").unwrap();
        let budget = Money::parse("76.1万元").unwrap();
        let r = spent.ratio_to(budget).unwrap();
        assert_eq!(r.percent(2).to_string(), "58.33");
        assert_eq!(r.of_points(Points::whole(10)).to_string(), "5.83");
        assert_eq!(r.of_points(Points::whole(20)).to_string(), "11.67");
    }

    #[test]
    fn money_parses_the_ways_people_write_it() {
        assert_eq!(Money::parse("761000").unwrap().fen(), 76_100_000);
        assert_eq!(Money::parse("761,000.00元").unwrap().fen(), 76_100_000);
        assert_eq!(Money::parse("76.1万元").unwrap().fen(), 76_100_000);
        assert_eq!(Money::parse("76.1万").unwrap().fen(), 76_100_000);
        assert_eq!(Money::parse("0.5亿元").unwrap().fen(), 5_000_000_000);
        assert_eq!(Money::parse("12.345678万元").unwrap().fen(), 12_345_678);
        assert_eq!(
            Money::parse("1.005"),
            Err(NumError::TooManyDecimals { max: 2 })
        );
        assert_eq!(
            Money::parse("1.0000001万元"),
            Err(NumError::TooManyDecimals { max: 2 })
        );
        assert_eq!(Money::parse("七十万"), Err(NumError::NotANumber));
        assert_eq!(Money::parse("-5").unwrap().fen(), -500);
    }

    #[test]
    fn money_displays_in_yuan_and_wan() {
        let m = Money::from_fen(44_390_000);
        assert_eq!(m.yuan(), "443900.00");
        assert_eq!(m.yuan_grouped(), "443,900.00");
        assert_eq!(m.wan(), "44.39");
        assert_eq!(Money::from_fen(123_456_789).wan(), "123.46");
        assert_eq!(Money::from_fen(-150).yuan(), "-1.50");
        assert_eq!(Money::from_fen(5).yuan(), "0.05");
    }

    #[test]
    fn apportion_adds_up_exactly() {
        let parts = apportion(Points::whole(20), &[1; 7]);
        assert_eq!(parts.iter().copied().sum::<Points>(), Points::whole(20));
        assert_eq!(
            parts.iter().map(|p| p.centi()).collect::<Vec<_>>(),
            vec![286, 286, 286, 286, 286, 285, 285]
        );
        let parts = apportion(Points::whole(30), &[1; 7]);
        assert_eq!(parts.iter().copied().sum::<Points>(), Points::whole(30));
        let parts = apportion(Points::whole(30), &[2, 1]);
        assert_eq!(parts, vec![Points::whole(20), Points::whole(10)]);
        assert_eq!(apportion(Points::whole(5), &[0, 0]), vec![Points::ZERO; 2]);
    }

    #[test]
    fn ratio_compares_exactly() {
        let a = dec("40000").ratio(dec("50000")).unwrap();
        assert_eq!(a.percent(2).to_string(), "80.00");
        assert_eq!(a.of_points(Points::whole(3)).to_string(), "2.40");
        assert!(a < Ratio::ONE);
        assert_eq!(dec("125").ratio(dec("100")).unwrap().min_one(), Ratio::ONE);
        assert!(dec("1").ratio(Dec::ZERO).is_none());
    }

    #[test]
    fn points_reject_three_decimals() {
        assert_eq!(
            Points::from_dec(dec("1.234")),
            Err(NumError::TooManyDecimals { max: 2 })
        );
        assert_eq!(Points::from_dec(dec("18.8")).unwrap().to_string(), "18.80");
    }
}
