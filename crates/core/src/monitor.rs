//! Run-time monitoring (绩效运行监控, 双监控; domain.md e.2 and c.6): the working-day calendar,
//! the monitoring rules, and the warnings a monitoring round raises from budget execution and
//! target progress against the time elapsed (序时进度).
//!
//! Pure: the date, the money spent to date and the values reported are passed in. Every rate is
//! an exact fraction; percentages are rounded half-up only when shown.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::date::{Date, days_in_month, is_leap};
use crate::num::{Dec, Money, Ratio};
use crate::project::{Comparator, Direction, Subcategory, Target};

/// The shipped calendar of public holidays and make-up working days (法定节假日/调休).
pub const CHINA_CALENDAR: &str = include_str!("../../../calendars/cn.txt");

/// What a calendar entry makes of a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// A public holiday (休), even on a weekday.
    Holiday,
    /// A make-up working day (班), even on a weekend.
    Workday,
}

/// Working days: Monday to Friday, except the holidays listed; plus the make-up days listed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    days: BTreeMap<Date, (DayKind, String)>,
}

/// Reads `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`.
fn date_range(text: &str) -> Option<(Date, Date)> {
    match text.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (Date::parse(a)?, Date::parse(b)?);
            (a <= b && b.days_since_epoch() - a.days_since_epoch() < 60).then_some((a, b))
        }
        None => Date::parse(text).map(|d| (d, d)),
    }
}

/// The non-comment lines of a settings text, numbered from 1.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split('#').next().unwrap_or("").trim()))
        .filter(|(_, l)| !l.is_empty())
}

impl Calendar {
    /// The shipped calendar.
    #[must_use]
    pub fn china() -> Calendar {
        Calendar::parse(CHINA_CALENDAR).unwrap_or_default()
    }

    /// Reads a calendar: one entry a line, `日期 休|班 名称` (a date range `A..B` for several
    /// days), `#` starting a comment.
    ///
    /// # Errors
    /// Every bad line, each message naming its line number, in Chinese.
    pub fn parse(text: &str) -> Result<Calendar, Vec<String>> {
        let mut days = BTreeMap::new();
        let mut errors = Vec::new();
        for (n, line) in lines(text) {
            let mut parts = line.split_whitespace();
            let (Some(when), Some(kind)) = (parts.next(), parts.next()) else {
                errors.push(format!(
                    "第 {n} 行：应为“日期 休|班 名称”，如“2026-10-01 休 国庆节”"
                ));
                continue;
            };
            let name = parts.collect::<Vec<_>>().join(" ");
            let Some((from, to)) = date_range(when) else {
                errors.push(format!(
                    "第 {n} 行：“{when}”不是日期或日期范围（如 2026-10-01 或 2026-10-01..2026-10-07，最长 60 天）"
                ));
                continue;
            };
            let kind = match kind {
                "休" => DayKind::Holiday,
                "班" => DayKind::Workday,
                other => {
                    errors.push(format!("第 {n} 行：“{other}”应为“休”或“班”"));
                    continue;
                }
            };
            let mut d = from;
            loop {
                if days.insert(d, (kind, name.clone())).is_some() {
                    errors.push(format!("第 {n} 行：{d} 已在前面的行中出现"));
                }
                if d == to {
                    break;
                }
                let Some(next) = Date::from_days_since_epoch(d.days_since_epoch() + 1) else {
                    break;
                };
                d = next;
            }
        }
        if errors.is_empty() {
            Ok(Calendar { days })
        } else {
            Err(errors)
        }
    }

    /// The entries, by date.
    pub fn entries(&self) -> impl Iterator<Item = (Date, DayKind, &str)> {
        self.days.iter().map(|(d, (k, n))| (*d, *k, n.as_str()))
    }

    /// Whether `d` is a working day.
    #[must_use]
    pub fn is_working_day(&self, d: Date) -> bool {
        match self.days.get(&d) {
            Some((DayKind::Holiday, _)) => false,
            Some((DayKind::Workday, _)) => true,
            // 1970-01-01 was a Thursday: 0 is Monday.
            None => (d.days_since_epoch() + 3).rem_euclid(7) < 5,
        }
    }

    /// The `n`-th working day after `from` (`from` itself when `n` is 0): the last day on which
    /// something due "within `n` working days" of `from` is on time.
    #[must_use]
    pub fn add_working_days(&self, from: Date, n: u32) -> Date {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            let Some(next) = Date::from_days_since_epoch(d.days_since_epoch() + 1) else {
                return d;
            };
            d = next;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }
}

/// The configurable monitoring rules (domain.md c.6; the defaults are UNVERIFIED practice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    /// The rounds' period ends, as (month, day): default the end of July (covering 1–7月).
    pub rounds: Vec<(u8, u8)>,
    /// Budget-execution checkpoints: by the end of the month, at least this percent spent.
    pub checkpoints: Vec<(u8, Dec)>,
    /// A progress ratio (rate ÷ what time requires, in percent) below this is yellow.
    pub yellow: Dec,
    /// A progress ratio below this is red.
    pub red: Dec,
    /// A gap (percentage points) between target progress and budget execution from which a
    /// warning is yellow.
    pub gap_yellow: Dec,
    /// … and red.
    pub gap_red: Dec,
    /// Working days to answer a red warning with a cause, a measure and a decision.
    pub response_days: u32,
}

impl Default for Rules {
    fn default() -> Rules {
        let pct = |v| Dec::from_int(v).unwrap_or_default();
        Rules {
            rounds: vec![(7, 31)],
            checkpoints: vec![(4, pct(25)), (6, pct(40)), (8, pct(60)), (10, pct(80))],
            yellow: pct(80),
            red: pct(60),
            gap_yellow: pct(20),
            gap_red: pct(40),
            response_days: 5,
        }
    }
}

fn percent_value(text: &str) -> Option<Dec> {
    let d = Dec::parse(text.trim().trim_end_matches(['%', '％'])).ok()?;
    (!d.is_negative() && d.to_ratio() <= Ratio::new(1000, 1)).then_some(d)
}

impl Rules {
    /// Reads the rules: one setting a line (`轮次 07-31`, `检查点 4 25%`, `黄色线 80%`,
    /// `红色线 60%`, `差距黄色 20`, `差距红色 40`, `答复期限 5`); what is not given keeps its
    /// default, except that any `轮次` or `检查点` line replaces the default list.
    ///
    /// # Errors
    /// Every bad line, each message naming its line number, in Chinese.
    pub fn parse(text: &str) -> Result<Rules, Vec<String>> {
        let mut r = Rules::default();
        let (mut rounds, mut checkpoints) = (Vec::new(), Vec::new());
        let mut errors = Vec::new();
        for (n, line) in lines(text) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let bad = |what: &str| format!("第 {n} 行：{what}");
            match parts.as_slice() {
                ["轮次", md] => {
                    let ok = md.split_once('-').and_then(|(m, d)| {
                        let (m, d) = (m.parse::<u8>().ok()?, d.parse::<u8>().ok()?);
                        // Any year: 02-29 is refused, rounds must exist every year.
                        Date::new(2023, m, d).map(|_| (m, d))
                    });
                    match ok {
                        Some(md) if !rounds.contains(&md) => rounds.push(md),
                        Some(_) => errors.push(bad(&format!("轮次 {md} 重复"))),
                        None => errors.push(bad(&format!(
                            "轮次“{md}”应为“月-日”，如 07-31（不可用 02-29）"
                        ))),
                    }
                }
                ["检查点", month, pct] => {
                    let m = month
                        .trim_end_matches('月')
                        .parse::<u8>()
                        .ok()
                        .filter(|m| (1..=12).contains(m));
                    match (m, percent_value(pct)) {
                        (Some(m), Some(p)) if p.to_ratio() <= Ratio::new(100, 1) => {
                            checkpoints.push((m, p));
                        }
                        (None, _) => errors.push(bad(&format!("检查点的月份“{month}”应为 1–12"))),
                        _ => errors.push(bad(&format!("检查点的执行率“{pct}”应为 0–100%"))),
                    }
                }
                [key @ ("黄色线" | "红色线" | "差距黄色" | "差距红色"), v] => {
                    let Some(p) = percent_value(v) else {
                        errors.push(bad(&format!("{key}“{v}”应为不小于零的百分数")));
                        continue;
                    };
                    match *key {
                        "黄色线" => r.yellow = p,
                        "红色线" => r.red = p,
                        "差距黄色" => r.gap_yellow = p,
                        _ => r.gap_red = p,
                    }
                }
                ["答复期限", v] => match v.trim_end_matches("个工作日").parse::<u32>() {
                    Ok(d) if (1..=60).contains(&d) => r.response_days = d,
                    _ => errors.push(bad(&format!("答复期限“{v}”应为 1–60 个工作日"))),
                },
                _ => errors.push(bad(&format!(
                    "无法识别“{line}”；可用的设置：轮次、检查点、黄色线、红色线、差距黄色、差距红色、答复期限"
                ))),
            }
        }
        if !rounds.is_empty() {
            rounds.sort_unstable();
            r.rounds = rounds;
        }
        if !checkpoints.is_empty() {
            checkpoints.sort_by_key(|c| c.0);
            if checkpoints.windows(2).any(|w| w[0].0 == w[1].0) {
                errors.push("检查点的月份重复".to_owned());
            }
            if checkpoints
                .windows(2)
                .any(|w| w[0].1.to_ratio() > w[1].1.to_ratio())
            {
                errors.push("检查点的执行率应随月份递增".to_owned());
            }
            r.checkpoints = checkpoints;
        }
        if r.red.to_ratio() > r.yellow.to_ratio() {
            errors.push(format!("红色线 {}% 不应高于黄色线 {}%", r.red, r.yellow));
        }
        if r.gap_red.to_ratio() < r.gap_yellow.to_ratio() {
            errors.push(format!(
                "差距红色 {} 不应低于差距黄色 {}",
                r.gap_red, r.gap_yellow
            ));
        }
        if errors.is_empty() {
            Ok(r)
        } else {
            Err(errors)
        }
    }

    /// The rules as text that [`Rules::parse`] reads back.
    #[must_use]
    pub fn text(&self) -> String {
        let mut s = String::from("# 监控轮次（截至月-日）\n");
        for (m, d) in &self.rounds {
            let _ = writeln!(s, "轮次 {m:02}-{d:02}");
        }
        s.push_str("# 预算执行检查点：截至该月末应达到的执行率\n");
        for (m, p) in &self.checkpoints {
            let _ = writeln!(s, "检查点 {m} {p}%");
        }
        let _ = write!(
            s,
            "# 进度比（执行率或目标进度 ÷ 序时进度）低于黄色线为黄色预警，低于红色线为红色预警\n\
             黄色线 {}%\n红色线 {}%\n\
             # 目标进度与预算执行率相差的百分点\n差距黄色 {}\n差距红色 {}\n\
             # 红色预警须在几个工作日内说明原因、措施并作出决定，逾期报财政部门\n答复期限 {}\n",
            self.yellow, self.red, self.gap_yellow, self.gap_red, self.response_days
        );
        s
    }

    /// The level of a progress ratio (percent of what time requires).
    fn level_of(&self, ratio: Ratio) -> Level {
        if ratio < self.red.to_ratio() {
            Level::Red
        } else if ratio < self.yellow.to_ratio() {
            Level::Yellow
        } else {
            Level::Green
        }
    }
}

macro_rules! zh_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $id:literal, $zh:literal;)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// Stable identifier (API, database).
            #[must_use]
            pub fn id(self) -> &'static str {
                match self { $($name::$v => $id),+ }
            }

            /// The Chinese name.
            #[must_use]
            pub fn zh(self) -> &'static str {
                match self { $($name::$v => $zh),+ }
            }

            /// Reads the identifier or the Chinese name.
            #[must_use]
            pub fn parse(text: &str) -> Option<$name> {
                let t = text.trim();
                Self::ALL.iter().copied().find(|x| x.id() == t || x.zh() == t)
            }
        }
    };
}

zh_enum! {
    /// A warning's level; ordered, so the worst of several is their maximum.
    Level {
        /// No warning.
        Green = "green", "正常";
        /// 黄色预警.
        Yellow = "yellow", "黄色预警";
        /// 红色预警: needs a cause, a measure and a decision within the response time.
        Red = "red", "红色预警";
    }
}

zh_enum! {
    /// 完成目标可能性.
    Likelihood {
        /// 确定能.
        Certain = "certain", "确定能";
        /// 有可能.
        Possible = "possible", "有可能";
        /// 完全不可能.
        Impossible = "impossible", "完全不可能";
    }
}

zh_enum! {
    /// 偏差原因 (tick one or more).
    Cause {
        /// 经费保障.
        Funding = "funding", "经费保障";
        /// 制度保障.
        Rules = "rules", "制度保障";
        /// 人员保障.
        Staff = "staff", "人员保障";
        /// 硬件条件保障.
        Hardware = "hardware", "硬件条件保障";
        /// 其他.
        Other = "other", "其他";
    }
}

zh_enum! {
    /// What is decided on a red warning.
    Decision {
        /// 继续实施.
        Continue = "continue", "继续实施";
        /// 调整（预算或目标）.
        Adjust = "adjust", "调整预算或目标";
        /// 暂缓或停止.
        Stop = "stop", "暂缓或停止";
    }
}

/// The share of the fiscal year elapsed on `as_of` (序时进度): `month / 12` at a month's end,
/// as practice counts it (domain.md c.6), otherwise days elapsed over the year's days; 0 before
/// the year and 1 after it.
#[must_use]
pub fn elapsed(year: i32, as_of: Date) -> Ratio {
    if as_of.year() < year {
        return Ratio::ZERO;
    }
    if as_of.year() > year {
        return Ratio::ONE;
    }
    if as_of.day() == days_in_month(year, as_of.month()) {
        return Ratio::new(i128::from(as_of.month()), 12);
    }
    let start = Date::new(year, 1, 1).map_or(0, Date::days_since_epoch);
    let days = as_of.days_since_epoch() - start + 1;
    Ratio::new(i128::from(days), if is_leap(year) { 366 } else { 365 })
}

/// What was reported for one indicator in a round.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    /// The indicator.
    pub target: &'a Target,
    /// 截至当期实际完成值, in the target's unit.
    pub achieved: Option<Dec>,
    /// 全年预计完成值.
    pub expected: Option<Dec>,
    /// 完成目标可能性.
    pub likelihood: Option<Likelihood>,
}

/// What the unit reports for one indicator in a round (domain.md e.2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundValue {
    /// The indicator's id.
    pub target: String,
    /// 截至当期实际完成值.
    pub achieved: Option<Dec>,
    /// 全年预计完成值.
    pub expected: Option<Dec>,
    /// 完成目标可能性.
    pub likelihood: Option<Likelihood>,
    /// 偏差原因 ticked.
    pub causes: Vec<Cause>,
    /// 偏差原因说明.
    pub cause_text: Option<String>,
    /// 纠偏措施.
    pub measures: Option<String>,
    /// 备注.
    pub note: Option<String>,
}

/// The round's money and date.
#[derive(Clone, Copy, Debug)]
pub struct Situation {
    /// Fiscal year.
    pub year: i32,
    /// The end of the period the round covers.
    pub as_of: Date,
    /// The adjusted budget (调整后预算数).
    pub budget: Money,
    /// Spent to date (预算执行数).
    pub executed: Money,
}

impl Situation {
    /// 预算执行率 to date, `None` without a budget.
    #[must_use]
    pub fn execution(&self) -> Option<Ratio> {
        self.executed.ratio_to(self.budget)
    }
}

/// One warning a round raises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Which check (stable id, documented in docs/monitoring.md).
    pub kind: &'static str,
    /// The indicator id, or empty for the project.
    pub subject: String,
    /// Yellow or red.
    pub level: Level,
    /// What is wrong, with the figures, in Chinese.
    pub message: String,
}

/// Progress of a cumulative target (数量 with ≥ > =): achieved ÷ target, `None` otherwise.
#[must_use]
pub fn cumulative_progress(t: &Target, achieved: Dec) -> Option<Ratio> {
    let cumulative = t.subcategory == Subcategory::Quantity
        && matches!(
            t.comparator,
            Comparator::AtLeast | Comparator::Above | Comparator::Equal
        );
    let goal = t.number()?;
    (cumulative && !goal.is_zero() && !goal.is_negative())
        .then(|| achieved.to_ratio().max_zero())
        .and_then(|a| a.checked_mul(goal.to_ratio().recip()?))
}

fn pct(r: Ratio) -> String {
    format!("{}%", r.percent(2))
}

/// Whether `value` falls short of the target in the target's direction.
fn short_of(t: &Target, value: Dec) -> Option<bool> {
    let goal = t.number()?.to_ratio();
    let v = value.to_ratio();
    Some(match t.direction {
        Direction::Positive => v < goal || (t.comparator == Comparator::Above && v == goal),
        Direction::Reverse => v > goal || (t.comparator == Comparator::Below && v == goal),
        Direction::Exact => v != goal,
    })
}

/// The warnings of a round: budget execution against the time elapsed and the checkpoints,
/// each indicator's progress, the likelihood reported, and the gap between target progress and
/// budget execution. Green checks give no warning.
#[must_use]
pub fn assess(rules: &Rules, s: &Situation, progress: &[Progress<'_>]) -> Vec<Warning> {
    let mut out = Vec::new();
    let time = elapsed(s.year, s.as_of);
    let mut warn = |kind, subject: &str, level, message: String| {
        if level != Level::Green {
            out.push(Warning {
                kind,
                subject: subject.to_owned(),
                level,
                message,
            });
        }
    };
    let execution = s.execution();
    match execution {
        None => warn(
            "execution-pace",
            "",
            Level::Yellow,
            format!("调整后预算数为 {} 元，无法计算预算执行率", s.budget.yuan()),
        ),
        Some(exec) if time > Ratio::ZERO => {
            if let Some(ratio) = exec.checked_mul(time.recip().unwrap_or(Ratio::ONE)) {
                warn(
                    "execution-pace",
                    "",
                    rules.level_of(Ratio::new(ratio.num() * 100, ratio.den())),
                    format!(
                        "截至{}预算执行率 {}（支出 {} 元 / 预算 {} 元），序时进度 {}，进度比 {}",
                        s.as_of.zh(),
                        pct(exec),
                        s.executed.yuan_grouped(),
                        s.budget.yuan_grouped(),
                        pct(time),
                        pct(ratio)
                    ),
                );
            }
            let reached = rules.checkpoints.iter().rev().find(|(m, _)| {
                s.as_of.year() > s.year
                    || (s.as_of.year() == s.year
                        && (*m < s.as_of.month()
                            || (*m == s.as_of.month()
                                && s.as_of.day() == days_in_month(s.year, *m))))
            });
            if let Some((m, p)) = reached {
                let want = Ratio::new(p.to_ratio().num(), p.to_ratio().den() * 100);
                if exec < want && !p.is_zero() {
                    let ratio = exec.checked_mul(want.recip().unwrap_or(Ratio::ONE));
                    let level = ratio.map_or(Level::Red, |r| {
                        rules
                            .level_of(Ratio::new(r.num() * 100, r.den()))
                            .max(Level::Yellow)
                    });
                    warn(
                        "execution-checkpoint",
                        "",
                        level,
                        format!(
                            "{m}月末应达到执行率 {p}%，截至{}仅为 {}，相差 {} 个百分点",
                            s.as_of.zh(),
                            pct(exec),
                            Ratio::new(
                                want.num() * exec.den() - exec.num() * want.den(),
                                want.den() * exec.den()
                            )
                            .percent(2)
                        ),
                    );
                }
            }
        }
        Some(_) => {}
    }
    let mut cumulative = Vec::new();
    for p in progress {
        let t = p.target;
        let label = format!("{}“{}”（目标 {}）", t.id, t.name, t.display_value());
        match p.likelihood {
            Some(Likelihood::Impossible) => warn(
                "likelihood",
                &t.id,
                Level::Red,
                format!("{label}：填报单位认为完全不可能完成"),
            ),
            Some(Likelihood::Possible) => warn(
                "likelihood",
                &t.id,
                Level::Yellow,
                format!("{label}：填报单位认为有可能完成，尚不确定"),
            ),
            _ => {}
        }
        let Some(achieved) = p.achieved else {
            continue;
        };
        if let Some(done) = cumulative_progress(t, achieved) {
            cumulative.push(done.min_one());
            if time > Ratio::ZERO
                && let Some(ratio) = done.checked_mul(time.recip().unwrap_or(Ratio::ONE))
            {
                let mut level = rules.level_of(Ratio::new(ratio.num() * 100, ratio.den()));
                if time == Ratio::ONE && done < Ratio::ONE {
                    // At the year's end a shortfall is final, whatever the ratio.
                    level = level.max(Level::Yellow);
                }
                warn(
                    "target-pace",
                    &t.id,
                    level,
                    format!(
                        "{label}：截至{}完成 {achieved}{}，目标进度 {}，序时进度 {}",
                        s.as_of.zh(),
                        t.unit,
                        pct(done),
                        pct(time)
                    ),
                );
            }
        } else if t.direction == Direction::Reverse && short_of(t, achieved) == Some(true) {
            warn(
                "target-cap",
                &t.id,
                Level::Red,
                format!(
                    "{label}：截至{}已达 {achieved}{}，超出全年上限",
                    s.as_of.zh(),
                    t.unit
                ),
            );
        } else if short_of(t, achieved) == Some(true) {
            warn(
                "target-level",
                &t.id,
                Level::Yellow,
                format!("{label}：当前值 {achieved}{} 未达到目标值", t.unit),
            );
        }
        if let Some(expected) = p.expected
            && short_of(t, expected) == Some(true)
            && p.likelihood != Some(Likelihood::Impossible)
        {
            warn(
                "target-expected",
                &t.id,
                Level::Yellow,
                format!("{label}：预计全年完成 {expected}{}，达不到目标", t.unit),
            );
        }
    }
    if let (Some(exec), false) = (execution, cumulative.is_empty()) {
        // In millionths, each rounded half-up once: exact sums of fractions would multiply
        // every goal into one denominator and overflow with a handful of large goals.
        let micro = |r: Ratio| r.round(6).scaled();
        let n = i128::try_from(cumulative.len()).unwrap_or(1);
        let sum: i128 = cumulative.iter().map(|r| micro(*r)).sum();
        let avg = Ratio::new(sum, 1_000_000 * n);
        let exec_micro = micro(exec);
        let gap = Ratio::new((micro(avg) - exec_micro).abs(), 10_000);
        let level = if gap >= rules.gap_red.to_ratio() {
            Level::Red
        } else if gap >= rules.gap_yellow.to_ratio() {
            Level::Yellow
        } else {
            Level::Green
        };
        let why = if avg > exec {
            "产出进度明显快于资金支出，可能预算编制偏高或支付滞后"
        } else {
            "资金支出明显快于产出进度，可能成本超支或产出滞后"
        };
        warn(
            "pace-gap",
            "",
            level,
            format!(
                "数量指标平均完成进度 {}，预算执行率 {}，相差 {} 个百分点：{why}",
                pct(avg),
                pct(exec),
                gap.round(2)
            ),
        );
    }
    out
}

/// The worst level of a set of warnings.
#[must_use]
pub fn worst(warnings: &[Warning]) -> Level {
    warnings
        .iter()
        .map(|w| w.level)
        .max()
        .unwrap_or(Level::Green)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Category, TargetValue};
    use crate::unit::Unit;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn working_days_follow_the_holidays_and_make_up_days() {
        let c = Calendar::china();
        // 2026 National Day: 10-01..10-07 off, Saturday 10-10 worked.
        assert!(!c.is_working_day(d("2026-10-05")), "a holiday on a Monday");
        assert!(c.is_working_day(d("2026-10-10")), "a make-up Saturday");
        assert!(!c.is_working_day(d("2026-10-11")), "an ordinary Sunday");
        assert!(c.is_working_day(d("2026-10-09")), "an ordinary Friday");
        // Five working days after Tuesday 2026-09-29: 09-30, 10-08, 10-09, 10-10, 10-12.
        assert_eq!(c.add_working_days(d("2026-09-29"), 5), d("2026-10-12"));
        // Without the calendar it would be Tuesday 10-06.
        assert_eq!(
            Calendar::default().add_working_days(d("2026-09-29"), 5),
            d("2026-10-06")
        );
        // Spring Festival 2026: 02-15..02-23 off, 02-14 and 02-28 worked.
        assert_eq!(c.add_working_days(d("2026-02-13"), 1), d("2026-02-14"));
        assert_eq!(c.add_working_days(d("2026-02-14"), 1), d("2026-02-24"));
        assert_eq!(c.add_working_days(d("2026-02-13"), 0), d("2026-02-13"));
    }

    #[test]
    fn a_bad_calendar_names_each_line() {
        let e = Calendar::parse(
            "2026-10-01 休 国庆\n2026-13-01 休 x\n\n2026-10-02 放 y\n2026-10-01 班 z",
        )
        .unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e[0].starts_with("第 2 行") && e[0].contains("2026-13-01"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("第 4 行") && e[1].contains("“放”"),
            "{e:?}"
        );
        assert!(
            e[2].starts_with("第 5 行") && e[2].contains("已在前面"),
            "{e:?}"
        );
        assert!(Calendar::parse(CHINA_CALENDAR).is_ok());
    }

    #[test]
    fn rules_read_back_what_they_write() {
        let r = Rules::default();
        assert_eq!(Rules::parse(&r.text()), Ok(r.clone()));
        assert_eq!(Rules::parse(""), Ok(r));
        let custom =
            Rules::parse("轮次 06-30\n轮次 08-31\n检查点 6 30%\n黄色线 90\n答复期限 3").unwrap();
        assert_eq!(custom.rounds, vec![(6, 30), (8, 31)]);
        assert_eq!(custom.checkpoints.len(), 1);
        assert_eq!(custom.response_days, 3);
        assert_eq!(Rules::parse(&custom.text()), Ok(custom));
        let e = Rules::parse("轮次 02-29\n检查点 13 20%\n红色线 90%\n速度 快").unwrap_err();
        assert!(e[0].starts_with("第 1 行"), "{e:?}");
        assert!(e[1].starts_with("第 2 行"), "{e:?}");
        assert!(e[2].starts_with("第 4 行"), "{e:?}");
        assert!(e[3].contains("红色线 90% 不应高于黄色线 80%"), "{e:?}");
    }

    #[test]
    fn time_elapsed_counts_months_at_a_months_end() {
        assert_eq!(elapsed(2022, d("2022-07-31")), Ratio::new(7, 12));
        assert_eq!(elapsed(2022, d("2022-12-31")), Ratio::ONE);
        assert_eq!(elapsed(2022, d("2022-01-10")), Ratio::new(10, 365));
        assert_eq!(elapsed(2022, d("2021-12-31")), Ratio::ZERO);
        assert_eq!(elapsed(2022, d("2023-03-01")), Ratio::ONE);
    }

    fn target(id: &str, sub: Subcategory, cmp: Comparator, v: i64) -> Target {
        Target {
            id: id.into(),
            category: Category::Output,
            subcategory: sub,
            name: format!("指标{id}"),
            comparator: cmp,
            value: TargetValue::Number(Dec::from_int(v).unwrap()),
            unit: Unit::parse("张"),
            direction: cmp.implied_direction(),
            weight: None,
            explanation: None,
            basis: None,
            actual: None,
        }
    }

    #[test]
    fn the_seed_at_year_end_is_red_on_execution_and_the_gap() {
        // Seed: 预算执行率 58.33 % at year end; 4万 of 5万 cards.
        let cards = target("T01", Subcategory::Quantity, Comparator::AtLeast, 50_000);
        let s = Situation {
            year: 2022,
            as_of: d("2022-12-31"),
            budget: Money::from_yuan(761_000),
            executed: Money::from_fen(44_390_000),
        };
        let w = assess(
            &Rules::default(),
            &s,
            &[Progress {
                target: &cards,
                achieved: Some(Dec::from_int(40_000).unwrap()),
                expected: None,
                likelihood: Some(Likelihood::Certain),
            }],
        );
        let kinds: Vec<(&str, Level)> = w.iter().map(|w| (w.kind, w.level)).collect();
        assert_eq!(
            kinds,
            vec![
                ("execution-pace", Level::Red),
                ("execution-checkpoint", Level::Yellow),
                ("target-pace", Level::Yellow),
                ("pace-gap", Level::Yellow),
            ],
            "{w:#?}"
        );
        assert!(
            w[0].message.contains("预算执行率 58.33%"),
            "{}",
            w[0].message
        );
        assert!(w[1].message.contains("10月末应达到执行率 80%") && w[1].message.contains("21.67"));
        assert!(w[3].message.contains("平均完成进度 80.00%") && w[3].message.contains("21.67"));
        assert_eq!(worst(&w), Level::Red);
    }

    #[test]
    fn on_pace_gives_no_warning_and_thresholds_are_the_rules() {
        let t = target("T01", Subcategory::Quantity, Comparator::AtLeast, 1200);
        let at = |spent: i64, done: i64, rules: &Rules| {
            assess(
                rules,
                &Situation {
                    year: 2026,
                    as_of: d("2026-06-30"),
                    budget: Money::from_yuan(1000),
                    executed: Money::from_yuan(spent),
                },
                &[Progress {
                    target: &t,
                    achieved: Some(Dec::from_int(done).unwrap()),
                    expected: None,
                    likelihood: None,
                }],
            )
        };
        let rules = Rules::default();
        assert!(
            at(500, 600, &rules).is_empty(),
            "half spent, half done in June"
        );
        // 40 % spent in June: the checkpoint holds, the pace ratio is exactly 80 % (green).
        assert!(at(400, 480, &rules).is_empty());
        // 39.9 % is below the checkpoint and the yellow line.
        let w = at(399, 480, &rules);
        assert_eq!(w[0].level, Level::Yellow);
        assert_eq!(w[1].kind, "execution-checkpoint");
        // 29.9 %: the pace ratio 59.8 % is red.
        assert_eq!(at(299, 600, &rules)[0].level, Level::Red);
        let strict = Rules::parse("黄色线 95%\n红色线 90%").unwrap();
        assert_eq!(at(460, 600, &strict)[0].level, Level::Yellow);
        assert_eq!(at(460, 600, &rules), vec![]);
    }

    /// Many quantity indicators with large goals, all behind: the gap is computed without
    /// overflowing (exact sums of their fractions would not fit in 128 bits).
    #[test]
    fn many_large_goals_do_not_overflow_the_gap() {
        let targets: Vec<Target> = (0..12)
            .map(|i| {
                target(
                    &format!("T{i:02}"),
                    Subcategory::Quantity,
                    Comparator::AtLeast,
                    49_999 + 2 * i,
                )
            })
            .collect();
        let progress: Vec<Progress<'_>> = targets
            .iter()
            .map(|t| Progress {
                target: t,
                achieved: Some(Dec::from_int(12_347).unwrap()),
                expected: None,
                likelihood: None,
            })
            .collect();
        let w = assess(
            &Rules::default(),
            &Situation {
                year: 2026,
                as_of: d("2026-12-31"),
                budget: Money::from_fen(987_654_321_987),
                executed: Money::from_fen(912_345_678_901),
            },
            &progress,
        );
        let gap = w.iter().find(|w| w.kind == "pace-gap").unwrap();
        assert_eq!(gap.level, Level::Red, "{}", gap.message);
        assert!(
            gap.message.contains("平均完成进度 24.69%"),
            "{}",
            gap.message
        );
        assert!(gap.message.contains("预算执行率 92.37%"), "{}", gap.message);
    }

    #[test]
    fn caps_levels_expectations_and_likelihood() {
        let cost = target("C01", Subcategory::Cost, Comparator::AtMost, 100);
        let rate = target("Q01", Subcategory::Quality, Comparator::AtLeast, 95);
        let s = Situation {
            year: 2026,
            as_of: d("2026-07-31"),
            budget: Money::from_yuan(1200),
            executed: Money::from_yuan(700),
        };
        let dec = |v: i64| Some(Dec::from_int(v).unwrap());
        let w = assess(
            &Rules::default(),
            &s,
            &[
                Progress {
                    target: &cost,
                    achieved: dec(101),
                    expected: None,
                    likelihood: Some(Likelihood::Impossible),
                },
                Progress {
                    target: &rate,
                    achieved: dec(90),
                    expected: dec(93),
                    likelihood: Some(Likelihood::Possible),
                },
            ],
        );
        let kinds: Vec<(&str, &str, Level)> = w
            .iter()
            .map(|w| (w.kind, w.subject.as_str(), w.level))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("likelihood", "C01", Level::Red),
                ("target-cap", "C01", Level::Red),
                ("likelihood", "Q01", Level::Yellow),
                ("target-level", "Q01", Level::Yellow),
                ("target-expected", "Q01", Level::Yellow),
            ]
        );
    }
}
