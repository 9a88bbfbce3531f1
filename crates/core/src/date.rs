//! Calendar dates without a clock: parsing, validation and ordering.
//!
//! The core never asks the system for today's date; whoever needs "today" passes it in.

use std::fmt;

/// A valid Gregorian calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    y: i32,
    m: u8,
    d: u8,
}

impl Date {
    /// 1970-01-01.
    pub const EPOCH: Date = Date {
        y: 1970,
        m: 1,
        d: 1,
    };

    /// A date, `None` when the day does not exist (2023-02-29, 2022-13-01 …).
    #[must_use]
    pub fn new(y: i32, m: u8, d: u8) -> Option<Date> {
        ((1..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
            .then_some(Date { y, m, d })
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYY.MM.DD` and `YYYY年M月D日`).
    #[must_use]
    pub fn parse(text: &str) -> Option<Date> {
        let t = text.trim();
        let t = t.strip_suffix('日').unwrap_or(t);
        let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
        let [y, m, d] = parts.as_slice() else {
            return None;
        };
        if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The year.
    #[must_use]
    pub fn year(self) -> i32 {
        self.y
    }

    /// The month, 1–12.
    #[must_use]
    pub fn month(self) -> u8 {
        self.m
    }

    /// The day of the month.
    #[must_use]
    pub fn day(self) -> u8 {
        self.d
    }

    /// Days since 1970-01-01 (negative before), for differences and weekdays.
    #[must_use]
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of [`Date::days_since_epoch`]);
    /// `None` outside the years 1..=9999.
    #[must_use]
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        if !(1..=9999).contains(&y) {
            return None;
        }
        Date::new(
            i32::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    }

    /// The date in Chinese, e.g. `2023年5月20日`.
    #[must_use]
    pub fn zh(self) -> String {
        format!("{}年{}月{}日", self.y, self.m, self.d)
    }
}

/// Whether `y` is a leap year.
#[must_use]
pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` of year `y` (0 for an invalid month).
#[must_use]
pub fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    /// ISO 8601, `2023-05-20`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_forms() {
        let d = Date::new(2023, 5, 20).unwrap();
        for t in ["2023-05-20", "2023/5/20", "2023.05.20", "2023年5月20日"] {
            assert_eq!(Date::parse(t), Some(d), "{t}");
        }
        assert_eq!(d.to_string(), "2023-05-20");
        assert_eq!(d.zh(), "2023年5月20日");
    }

    #[test]
    fn refuses_days_that_do_not_exist() {
        assert_eq!(Date::parse("2023-02-29"), None);
        assert!(Date::parse("2024-02-29").is_some());
        assert_eq!(Date::parse("2023-13-01"), None);
        assert_eq!(Date::parse("2023-04-31"), None);
        assert_eq!(Date::parse("23-04-01"), None);
        assert_eq!(Date::parse("明天"), None);
    }

    #[test]
    fn day_numbers_count_days() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        let a = Date::new(2023, 4, 21).unwrap();
        let b = Date::new(2023, 5, 20).unwrap();
        assert_eq!(b.days_since_epoch() - a.days_since_epoch(), 29);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
    }

    #[test]
    fn day_numbers_turn_back_into_dates() {
        for (y, m, d) in [
            (1970, 1, 1),
            (1900, 3, 1),
            (2000, 2, 29),
            (2022, 12, 31),
            (2100, 3, 1),
        ] {
            let date = Date::new(y, m, d).unwrap();
            assert_eq!(
                Date::from_days_since_epoch(date.days_since_epoch()),
                Some(date)
            );
        }
        let start = Date::new(1999, 12, 25).unwrap().days_since_epoch();
        for k in 0..1000 {
            let back = Date::from_days_since_epoch(start + k).unwrap();
            assert_eq!(back.days_since_epoch(), start + k);
        }
    }
}
