//! Run-time monitoring (绩效运行监控): the deployment's rules and working-day calendar, each
//! project's monitoring rounds, and the warnings a submitted round raises.
//!
//! A red warning gets a stored deadline (the response time counted in working days on the
//! calendar) when it is raised. Escalation to the finance bureau is one conditional UPDATE per
//! warning (`escalated_at is null and responded_at is null and deadline < today`), so any
//! number of server processes may sweep at any time, after any restart, and each overdue
//! warning is escalated exactly once.

use jixiao_core::date::Date;
use jixiao_core::monitor::{
    self, Calendar, Cause, Decision, Level, Likelihood, Progress, RoundValue, Rules, Situation,
};
use jixiao_core::num::{Dec, Money};
use jixiao_core::project::{Project, Role};
use sqlx::Row;

use crate::audit::{self, Action};
use crate::{Backend, Error, OrgId, ProjectId, Result, Store, User, now};

const RULES: &str = "monitoring_rules";
const CALENDAR: &str = "work_calendar";

/// Today's date in China (UTC+8), which deadlines are counted in.
#[must_use]
pub fn today() -> Date {
    let secs = crate::unix_now() + 8 * 3600;
    Date::from_days_since_epoch(secs.div_euclid(86_400)).unwrap_or(Date::EPOCH)
}

macro_rules! round_columns {
    () => {
        "monitoring_round_id, project_id, period_end, state, summary, expected_fen, executed_fen, \
         budget_fen, level, version, submitted_by, submitted_on"
    };
}

macro_rules! warning_columns {
    () => {
        "monitoring_warning_id, project_id, monitoring_round_id, kind, subject, level, message, \
         raised_on, deadline, cause, measure, decision, responded_by, responded_at, escalated_at"
    };
}

/// Whether a round is still being filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundState {
    /// 填报中.
    Draft,
    /// 已报送: values and snapshot frozen, warnings raised.
    Submitted,
}

impl RoundState {
    /// Stable identifier.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            RoundState::Draft => "draft",
            RoundState::Submitted => "submitted",
        }
    }

    /// The Chinese name.
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            RoundState::Draft => "填报中",
            RoundState::Submitted => "已报送",
        }
    }
}

/// A monitoring round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    /// Id.
    pub id: i64,
    /// The project.
    pub project: ProjectId,
    /// The end of the period covered.
    pub period_end: Date,
    /// Draft or submitted.
    pub state: RoundState,
    /// 项目绩效目标执行总体情况.
    pub summary: Option<String>,
    /// 全年预计执行数.
    pub expected: Option<Money>,
    /// Spent to `period_end`, frozen at submission.
    pub executed: Option<Money>,
    /// The adjusted budget, frozen at submission.
    pub budget: Option<Money>,
    /// The worst warning, at submission.
    pub level: Option<Level>,
    /// Version (every save raises it).
    pub version: i64,
    /// Who submitted it, and on which day.
    pub submitted: Option<(String, Date)>,
    /// The values, by indicator.
    pub values: Vec<RoundValue>,
}

/// A warning as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredWarning {
    /// Id.
    pub id: i64,
    /// The project.
    pub project: ProjectId,
    /// The round that raised it.
    pub round: i64,
    /// The check (see [`monitor::assess`]).
    pub kind: String,
    /// The indicator, or empty.
    pub subject: String,
    /// Yellow or red.
    pub level: Level,
    /// What is wrong.
    pub message: String,
    /// The day it was raised.
    pub raised_on: Date,
    /// Red: the last working day for the response.
    pub deadline: Option<Date>,
    /// The response: cause, measure, decision, by whom and when.
    pub response: Option<Response>,
    /// When it was escalated to the finance bureau.
    pub escalated_at: Option<String>,
}

/// The answer to a warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// 原因.
    pub cause: String,
    /// 措施.
    pub measure: String,
    /// 决定.
    pub decision: Decision,
    /// Who answered.
    pub by: String,
    /// When (RFC 3339 UTC).
    pub at: String,
}

/// One project in the monitoring overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverviewRow {
    /// The project.
    pub project: ProjectId,
    /// Name.
    pub name: String,
    /// Department.
    pub department: String,
    /// Year.
    pub year: i32,
    /// The latest submitted round: its date, spent, budget and level.
    pub latest: Option<(Date, Money, Money, Level)>,
    /// Red warnings not yet answered.
    pub open_red: i64,
    /// Of those, escalated to the finance bureau.
    pub escalated: i64,
}

/// Which projects the overview lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverviewFilter {
    /// Every project.
    All,
    /// Those whose latest round is at this level.
    Level(Level),
    /// Those never monitored.
    Unmonitored,
    /// Those with a red warning escalated to the finance bureau and still unanswered.
    Escalated,
}

impl OverviewFilter {
    /// Reads `""`, `red`, `yellow`, `green`, `none` or `escalated`.
    #[must_use]
    pub fn parse(text: &str) -> Option<OverviewFilter> {
        Some(match text {
            "" => OverviewFilter::All,
            "none" => OverviewFilter::Unmonitored,
            "escalated" => OverviewFilter::Escalated,
            other => OverviewFilter::Level(Level::parse(other).filter(|l| l.id() == other)?),
        })
    }

    /// The identifier [`OverviewFilter::parse`] reads.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            OverviewFilter::All => "",
            OverviewFilter::Level(l) => l.id(),
            OverviewFilter::Unmonitored => "none",
            OverviewFilter::Escalated => "escalated",
        }
    }
}

/// One page of the overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverviewPage {
    /// Projects at each level, of all in scope: red, yellow, green, never monitored, and
    /// those with escalated warnings.
    pub counts: [i64; 5],
    /// How many the filter chose.
    pub chosen: i64,
    /// The page.
    pub rows: Vec<OverviewRow>,
}

fn refused(reason: impl Into<String>) -> Error {
    Error::Refused {
        reason: reason.into(),
    }
}

fn corrupt(field: &str, value: &str) -> Error {
    Error::Corrupt {
        field: field.to_owned(),
        value: value.to_owned(),
    }
}

fn date_of(field: &str, text: &str) -> Result<Date> {
    Date::parse(text).ok_or_else(|| corrupt(field, text))
}

fn opt_date(field: &str, text: Option<String>) -> Result<Option<Date>> {
    text.map(|t| date_of(field, &t)).transpose()
}

fn dec_of(field: &str, text: Option<String>) -> Result<Option<Dec>> {
    text.map(|t| Dec::parse(&t).map_err(|_| corrupt(field, &t)))
        .transpose()
}

fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Spent on a project by `date`: the ledger's lines paid by then, and the project file's own
/// spending lines dated by then (lines without a date count from the year's end). The two are
/// disjoint: payments through the approval chain are only in the ledger.
#[must_use]
pub fn spent_by(project: &Project, ledger: Money, date: Date) -> Money {
    let year_end = Date::new(project.year, 12, 31);
    project
        .budget
        .spending
        .iter()
        .filter(|l| match l.date {
            Some(d) => d <= date,
            None => year_end.is_some_and(|e| date >= e),
        })
        .map(|l| l.amount)
        .fold(ledger, Money::plus)
}

impl Store {
    async fn setting(&self, name: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("select body from setting where name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Saves settings (name, text) in one transaction, each change in the audit trail.
    async fn put_settings(&self, user: &User, settings: &[(&str, &str)]) -> Result<()> {
        if user.role != Role::Admin {
            return Err(refused("只有管理员可以修改监控规则和工作日历"));
        }
        let root = self.finance_bureau().await?;
        let mut tx = self.write_tx().await?;
        let at = now();
        for (name, body) in settings {
            put_setting(&mut tx, root, user, name, body, &at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Saves the rules, the calendar or both (administrators), all or nothing.
    ///
    /// # Errors
    /// [`Error::Refused`] listing every bad line, or for a user who is not an administrator.
    pub async fn set_monitoring_settings(
        &self,
        user: &User,
        rules: Option<&str>,
        calendar: Option<&str>,
    ) -> Result<()> {
        let mut problems = Vec::new();
        if let Some(Err(e)) = rules.map(Rules::parse) {
            problems.extend(e.into_iter().map(|m| format!("监控规则{m}")));
        }
        if let Some(Err(e)) = calendar.map(Calendar::parse) {
            problems.extend(e.into_iter().map(|m| format!("工作日历{m}")));
        }
        if !problems.is_empty() {
            return Err(refused(problems.join("；")));
        }
        let settings: Vec<(&str, &str)> = [(RULES, rules), (CALENDAR, calendar)]
            .into_iter()
            .filter_map(|(name, body)| body.map(|b| (name, b)))
            .collect();
        self.put_settings(user, &settings).await
    }

    /// The finance bureau (the root of the tree), whose audit trail keeps deployment settings.
    async fn finance_bureau(&self) -> Result<OrgId> {
        let id: Option<i64> = sqlx::query_scalar(
            "select organisation_id from organisation where parent_id is null \
             order by organisation_id limit 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        id.map(OrgId)
            .ok_or_else(|| refused("还没有财政局，请先建立单位"))
    }

    /// The monitoring rules in force and their text (the default when none were saved).
    ///
    /// # Errors
    /// [`Error::Database`]; [`Error::Corrupt`] for stored text that no longer reads.
    pub async fn monitoring_rules(&self) -> Result<(Rules, String)> {
        match self.setting(RULES).await? {
            None => {
                let r = Rules::default();
                let text = r.text();
                Ok((r, text))
            }
            Some(text) => Rules::parse(&text)
                .map(|r| (r, text.clone()))
                .map_err(|_| corrupt("setting.monitoring_rules", &text)),
        }
    }

    /// Saves the monitoring rules (administrators).
    ///
    /// # Errors
    /// [`Error::Refused`] listing every bad line, or for a user who is not an administrator.
    pub async fn set_monitoring_rules(&self, user: &User, text: &str) -> Result<Rules> {
        let rules = Rules::parse(text).map_err(|e| refused(e.join("；")))?;
        self.put_settings(user, &[(RULES, text)]).await?;
        Ok(rules)
    }

    /// The working-day calendar in force and its text (the shipped one when none was saved).
    ///
    /// # Errors
    /// [`Error::Database`]; [`Error::Corrupt`] for stored text that no longer reads.
    pub async fn work_calendar(&self) -> Result<(Calendar, String)> {
        match self.setting(CALENDAR).await? {
            None => Ok((Calendar::china(), monitor::CHINA_CALENDAR.to_owned())),
            Some(text) => Calendar::parse(&text)
                .map(|c| (c, text.clone()))
                .map_err(|_| corrupt("setting.work_calendar", &text)),
        }
    }

    /// Saves the working-day calendar (administrators).
    ///
    /// # Errors
    /// [`Error::Refused`] listing every bad line, or for a user who is not an administrator.
    pub async fn set_work_calendar(&self, user: &User, text: &str) -> Result<Calendar> {
        let cal = Calendar::parse(text).map_err(|e| refused(e.join("；")))?;
        self.put_settings(user, &[(CALENDAR, text)]).await?;
        Ok(cal)
    }

    /// On PostgreSQL, locks the project's row for the transaction, so that submissions,
    /// answers and escalations of one project take turns (SQLite writers already do).
    async fn lock_project(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        project: ProjectId,
    ) -> Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("select project_id from project where project_id = $1 for update")
                .bind(project.0)
                .fetch_optional(&mut **tx)
                .await?;
        }
        Ok(())
    }

    async fn may_report(&self, user: &User, project: ProjectId) -> Result<OrgId> {
        let (org, _) = self
            .project_version(project)
            .await?
            .ok_or(Error::NotFound {
                what: "项目",
                id: project.0,
            })?;
        if !matches!(user.role, Role::Officer | Role::HeadOfOffice)
            || !self.same_department(user.organisation, org).await?
        {
            return Err(refused(
                "只有本单位的经办人或部门负责人可以填报绩效运行监控",
            ));
        }
        Ok(org)
    }

    /// Opens a monitoring round of a project for the period ending `period_end`.
    ///
    /// # Errors
    /// [`Error::Refused`] for a user who may not report, a date outside the project's year, or
    /// a round that exists for that date; [`Error::NotFound`].
    pub async fn open_round(
        &self,
        project: ProjectId,
        user: &User,
        period_end: Date,
    ) -> Result<Round> {
        let org = self.may_report(user, project).await?;
        let year: i64 = sqlx::query_scalar("select year from project where project_id = $1")
            .bind(project.0)
            .fetch_one(&self.pool)
            .await?;
        if i64::from(period_end.year()) != year {
            return Err(refused(format!(
                "监控截至日期 {period_end} 不在项目的年度 {year} 年内"
            )));
        }
        let mut tx = self.write_tx().await?;
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "insert into monitoring_round (project_id, period_end, state, version, created_at, \
             updated_at) values ($1, $2, 'draft', 1, $3, $3) returning monitoring_round_id",
        )
        .bind(project.0)
        .bind(period_end.to_string())
        .bind(&at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match Error::from(e) {
            Error::Conflict { .. } => refused(format!("截至 {period_end} 的监控已经存在")),
            other => other,
        })?;
        audit::append(
            &mut tx,
            org,
            &user.username,
            Action::Create,
            &format!("project:{}/monitoring:{id}", project.0),
            "",
            &format!("绩效运行监控（截至 {period_end}）"),
        )
        .await?;
        tx.commit().await?;
        self.round(id).await
    }

    /// One round with its values.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Corrupt`], [`Error::Database`].
    pub async fn round(&self, id: i64) -> Result<Round> {
        let row = sqlx::query(concat!(
            "select ",
            round_columns!(),
            " from monitoring_round where monitoring_round_id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound { what: "监控", id })?;
        let mut round = round_of(&row)?;
        let rows = sqlx::query(
            "select target_key, achieved, expected, likelihood, causes, cause_text, measures, note \
             from monitoring_value where monitoring_round_id = $1 order by target_key",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let likelihood: Option<String> = r.try_get("likelihood")?;
            let causes: Option<String> = r.try_get("causes")?;
            round.values.push(RoundValue {
                target: r.try_get("target_key")?,
                achieved: dec_of("monitoring_value.achieved", r.try_get("achieved")?)?,
                expected: dec_of("monitoring_value.expected", r.try_get("expected")?)?,
                likelihood: likelihood
                    .map(|l| {
                        Likelihood::parse(&l)
                            .ok_or_else(|| corrupt("monitoring_value.likelihood", &l))
                    })
                    .transpose()?,
                causes: causes
                    .iter()
                    .flat_map(|c| c.split(','))
                    .filter(|c| !c.is_empty())
                    .map(|c| Cause::parse(c).ok_or_else(|| corrupt("monitoring_value.causes", c)))
                    .collect::<Result<_>>()?,
                cause_text: r.try_get("cause_text")?,
                measures: r.try_get("measures")?,
                note: r.try_get("note")?,
            });
        }
        Ok(round)
    }

    /// A project's rounds, by date, without their values.
    ///
    /// # Errors
    /// [`Error::Corrupt`], [`Error::Database`].
    pub async fn rounds(&self, project: ProjectId) -> Result<Vec<Round>> {
        let rows = sqlx::query(concat!(
            "select ",
            round_columns!(),
            " from monitoring_round where project_id = $1 order by period_end"
        ))
        .bind(project.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(round_of).collect()
    }

    /// Saves a draft round: the summary, the expected full-year spending and every value
    /// (replacing those saved before), if the round is still at `version`.
    ///
    /// # Errors
    /// [`Error::Refused`] for a submitted round, a stale version, an unknown indicator or a
    /// user who may not report.
    pub async fn save_round(
        &self,
        id: i64,
        user: &User,
        version: i64,
        summary: Option<&str>,
        expected: Option<Money>,
        values: &[RoundValue],
    ) -> Result<Round> {
        let round = self.round(id).await?;
        self.may_report(user, round.project).await?;
        if round.state != RoundState::Draft {
            return Err(refused("这次监控已报送，不能再修改"));
        }
        if expected.is_some_and(Money::is_negative) {
            return Err(refused("全年预计执行数不能为负数"));
        }
        let mut tx = self.write_tx().await?;
        let at = now();
        let done = sqlx::query(
            "update monitoring_round set summary = $1, expected_fen = $2, version = version + 1, \
             updated_at = $3 where monitoring_round_id = $4 and version = $5 and state = 'draft'",
        )
        .bind(clean(summary))
        .bind(expected.map(Money::fen))
        .bind(&at)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(refused("这次监控刚被他人修改或报送，请刷新后再填"));
        }
        sqlx::query("delete from monitoring_value where monitoring_round_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for v in values {
            let causes: Vec<&str> = v.causes.iter().map(|c| c.id()).collect();
            sqlx::query(
                "insert into monitoring_value (monitoring_round_id, target_key, achieved, expected, \
                 likelihood, causes, cause_text, measures, note, created_at, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            )
            .bind(id)
            .bind(&v.target)
            .bind(v.achieved.map(|d| d.to_string()))
            .bind(v.expected.map(|d| d.to_string()))
            .bind(v.likelihood.map(Likelihood::id))
            .bind((!causes.is_empty()).then(|| causes.join(",")))
            .bind(clean(v.cause_text.as_deref()))
            .bind(clean(v.measures.as_deref()))
            .bind(clean(v.note.as_deref()))
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.round(id).await
    }

    /// Money paid from the ledger on or before `date`.
    async fn ledger_by(&self, project: ProjectId, date: Date) -> Result<Money> {
        // Dates compared as dates: lines written before payments were stored as YYYY-MM-DD
        // may hold another accepted form (2022-7-5).
        Ok(self
            .ledger(project)
            .await?
            .iter()
            .filter(|l| Date::parse(&l.paid_on).is_some_and(|d| d <= date))
            .map(|l| l.amount)
            .sum())
    }

    /// What a round stands at: its situation (spent to its date from the ledger and the
    /// project file's dated lines, the adjusted budget) and the warnings it raises now.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub async fn assess_round(
        &self,
        round: &Round,
        project: &Project,
    ) -> Result<(Situation, Vec<monitor::Warning>)> {
        let (rules, _) = self.monitoring_rules().await?;
        self.assess_with(round, project, &rules).await
    }

    /// As [`Store::assess_round`], with the rules already read.
    async fn assess_with(
        &self,
        round: &Round,
        project: &Project,
        rules: &Rules,
    ) -> Result<(Situation, Vec<monitor::Warning>)> {
        let ledger = self.ledger_by(round.project, round.period_end).await?;
        let situation = Situation {
            year: project.year,
            as_of: round.period_end,
            budget: project.budget.adjusted(),
            executed: spent_by(project, ledger, round.period_end),
        };
        let progress: Vec<Progress<'_>> = project
            .targets
            .iter()
            .map(|t| {
                let v = round.values.iter().find(|v| v.target == t.id);
                Progress {
                    target: t,
                    achieved: v.and_then(|v| v.achieved),
                    expected: v.and_then(|v| v.expected),
                    likelihood: v.and_then(|v| v.likelihood),
                }
            })
            .collect();
        let warnings = monitor::assess(rules, &situation, &progress);
        Ok((situation, warnings))
    }

    /// Submits a round on `today`: freezes its snapshot and raises its warnings, red ones with
    /// the response deadline counted in working days from `today`.
    ///
    /// # Errors
    /// [`Error::Refused`] for a round already submitted, a stale version, an indicator of the
    /// target sheet with no value to date, or a user who may not report.
    pub async fn submit_round(
        &self,
        id: i64,
        user: &User,
        version: i64,
        today: Date,
    ) -> Result<(Round, Vec<StoredWarning>)> {
        let round = self.round(id).await?;
        let org = self.may_report(user, round.project).await?;
        if round.state != RoundState::Draft {
            return Err(refused("这次监控已经报送"));
        }
        if today < round.period_end {
            return Err(refused(format!(
                "监控截至 {}，尚未到期，到期后才能报送（今天是 {today}）",
                round.period_end
            )));
        }
        let stored = self.project(round.project).await?;
        let missing: Vec<&str> = stored
            .project
            .targets
            .iter()
            .filter(|t| {
                !round.values.iter().any(|v| {
                    v.target == t.id
                        && (v.achieved.is_some() || (t.is_qualitative() && v.likelihood.is_some()))
                })
            })
            .map(|t| t.id.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(refused(format!(
                "以下指标还没有填写截至当期的完成值：{}",
                missing.join("、")
            )));
        }
        let (rules, _) = self.monitoring_rules().await?;
        let (situation, warnings) = self.assess_with(&round, &stored.project, &rules).await?;
        let (calendar, _) = self.work_calendar().await?;
        let deadline = calendar.add_working_days(today, rules.response_days);
        let level = monitor::worst(&warnings);
        let mut tx = self.write_tx().await?;
        self.lock_project(&mut tx, round.project).await?;
        let at = now();
        let done = sqlx::query(
            "update monitoring_round set state = 'submitted', executed_fen = $1, budget_fen = $2, \
             level = $3, submitted_by = $4, submitted_on = $5, version = version + 1, \
             updated_at = $6 where monitoring_round_id = $7 and version = $8 and state = 'draft'",
        )
        .bind(situation.executed.fen())
        .bind(situation.budget.fen())
        .bind(level.id())
        .bind(&user.username)
        .bind(today.to_string())
        .bind(&at)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(refused("这次监控刚被他人修改或报送，请刷新后再试"));
        }
        for w in &warnings {
            sqlx::query(
                "insert into monitoring_warning (project_id, monitoring_round_id, kind, subject, \
                 level, message, raised_on, deadline, created_at, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            )
            .bind(round.project.0)
            .bind(id)
            .bind(w.kind)
            .bind(&w.subject)
            .bind(w.level.id())
            .bind(&w.message)
            .bind(today.to_string())
            .bind((w.level == Level::Red).then(|| deadline.to_string()))
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        refresh_status(&mut tx, round.project, &at).await?;
        let reds = warnings.iter().filter(|w| w.level == Level::Red).count();
        audit::append(
            &mut tx,
            org,
            &user.username,
            Action::Workflow,
            &format!("project:{}/monitoring:{id}", round.project.0),
            "填报中",
            &format!(
                "报送绩效运行监控（截至 {}）：执行 {} 元 / 预算 {} 元，{}，预警 {} 条（红色 {reds} 条{}）",
                round.period_end,
                situation.executed.yuan(),
                situation.budget.yuan(),
                level.zh(),
                warnings.len(),
                if reds > 0 {
                    format!("，须于 {deadline} 前答复")
                } else {
                    String::new()
                }
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((self.round(id).await?, self.warnings(round.project).await?))
    }

    /// A project's warnings, newest round first, red before yellow.
    ///
    /// # Errors
    /// [`Error::Corrupt`], [`Error::Database`].
    pub async fn warnings(&self, project: ProjectId) -> Result<Vec<StoredWarning>> {
        let rows = sqlx::query(concat!(
            "select ",
            warning_columns!(),
            " from monitoring_warning where project_id = $1 \
             order by monitoring_round_id desc, level, monitoring_warning_id"
        ))
        .bind(project.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(warning_of).collect()
    }

    /// One warning.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Corrupt`], [`Error::Database`].
    pub async fn warning(&self, id: i64) -> Result<StoredWarning> {
        let row = sqlx::query(concat!(
            "select ",
            warning_columns!(),
            " from monitoring_warning where monitoring_warning_id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound { what: "预警", id })?;
        warning_of(&row)
    }

    /// Answers a warning with its cause, the measure taken and the decision (once).
    ///
    /// # Errors
    /// [`Error::Refused`] for an empty cause or measure, a warning already answered, or a
    /// user outside the project's department or not among its officers and leaders.
    pub async fn respond_warning(
        &self,
        id: i64,
        user: &User,
        cause: &str,
        measure: &str,
        decision: Decision,
    ) -> Result<StoredWarning> {
        let w = self.warning(id).await?;
        let (org, _) = self
            .project_version(w.project)
            .await?
            .ok_or(Error::NotFound {
                what: "项目",
                id: w.project.0,
            })?;
        if !matches!(
            user.role,
            Role::Officer | Role::HeadOfOffice | Role::DeputyLeader | Role::UnitHead
        ) || !self.same_department(user.organisation, org).await?
        {
            return Err(refused(
                "只有本单位的经办人、部门负责人、分管领导或单位负责人可以答复预警",
            ));
        }
        let (cause, measure) = (cause.trim(), measure.trim());
        if cause.is_empty() {
            return Err(refused("请写明偏差原因"));
        }
        if measure.is_empty() {
            return Err(refused("请写明纠偏措施"));
        }
        let mut tx = self.write_tx().await?;
        self.lock_project(&mut tx, w.project).await?;
        let at = now();
        let done = sqlx::query(
            "update monitoring_warning set cause = $1, measure = $2, decision = $3, \
             responded_by = $4, responded_at = $5, updated_at = $5 \
             where monitoring_warning_id = $6 and responded_at is null",
        )
        .bind(cause)
        .bind(measure)
        .bind(decision.id())
        .bind(&user.username)
        .bind(&at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(refused("这条预警已经答复过了"));
        }
        refresh_status(&mut tx, w.project, &at).await?;
        audit::append(
            &mut tx,
            org,
            &user.username,
            Action::Update,
            &format!("project:{}/warning:{id}", w.project.0),
            &w.message,
            &format!("原因：{cause}；措施：{measure}；决定：{}", decision.zh()),
        )
        .await?;
        tx.commit().await?;
        self.warning(id).await
    }

    /// Escalates every red warning not answered by its deadline (`deadline < today`) to the
    /// finance bureau. Safe to run from several processes at once: each warning is escalated
    /// by exactly one of them, which also writes the audit entry.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn escalate_overdue(&self, today: Date) -> Result<Vec<i64>> {
        let due: Vec<(i64, i64, i64)> = sqlx::query_as(
            "select w.monitoring_warning_id, p.organisation_id, p.project_id from monitoring_warning w \
             join project p on p.project_id = w.project_id \
             where w.responded_at is null and w.escalated_at is null and w.deadline < $1 \
             order by w.monitoring_warning_id",
        )
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut escalated = Vec::new();
        for (id, org, project) in due {
            let mut tx = self.write_tx().await?;
            self.lock_project(&mut tx, ProjectId(project)).await?;
            let at = now();
            let done = sqlx::query(
                "update monitoring_warning set escalated_at = $1, updated_at = $1 \
                 where monitoring_warning_id = $2 and escalated_at is null \
                 and responded_at is null and deadline < $3",
            )
            .bind(&at)
            .bind(id)
            .bind(today.to_string())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                refresh_status(&mut tx, ProjectId(project), &at).await?;
                audit::append(
                    &mut tx,
                    OrgId(org),
                    "系统",
                    Action::Workflow,
                    &format!("warning:{id}"),
                    "红色预警未按期答复",
                    "已报财政部门",
                )
                .await?;
                tx.commit().await?;
                escalated.push(id);
            } else {
                tx.rollback().await?;
            }
        }
        Ok(escalated)
    }

    /// Red warnings not yet answered, of a department and its offices (or of all, for
    /// `None`), oldest first, with their project's name; only the escalated ones when asked.
    ///
    /// # Errors
    /// [`Error::Corrupt`], [`Error::Database`].
    pub async fn waiting_warnings(
        &self,
        scope: Option<OrgId>,
        escalated_only: bool,
        limit: i64,
    ) -> Result<(i64, Vec<(StoredWarning, String)>)> {
        // Two texts: without a scope the oldest warnings come straight from the primary key.
        // With one, `+project_id` keeps SQLite from driving the query from the project index
        // (and then sorting every red warning of a department with thousands of projects):
        // it walks the primary key and stops at the limit (82 ms → 6 ms with 60,000 warnings).
        let rows = match scope {
            None => {
                sqlx::query(concat!(
                    "select ",
                    warning_columns!(),
                    ", (select name from project p where p.project_id = w.project_id) \
                     as project_name from monitoring_warning w where level = 'red' \
                     and responded_at is null and ($1 = 0 or escalated_at is not null) \
                     order by monitoring_warning_id limit $2"
                ))
                .bind(i64::from(escalated_only))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            Some(org) => {
                sqlx::query(concat!(
                    "select ",
                    warning_columns!(),
                    ", (select name from project p where p.project_id = w.project_id) \
                     as project_name from monitoring_warning w where level = 'red' \
                     and responded_at is null and ($2 = 0 or escalated_at is not null) \
                     and +project_id in (select project_id from project where organisation_id = $1 \
                     or organisation_id in (select organisation_id from organisation \
                     where parent_id = $1 and kind = '处室')) \
                     order by monitoring_warning_id limit $3"
                ))
                .bind(org.0)
                .bind(i64::from(escalated_only))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
        let total: i64 = if i64::try_from(rows.len()).unwrap_or(0) < limit {
            i64::try_from(rows.len()).unwrap_or(0)
        } else {
            // From the per-project counts, not from every warning.
            let total: Option<i64> = sqlx::query_scalar(
                "select cast(sum(case when $2 = 0 then open_red else escalated end) as bigint) \
                 from monitoring_status where project_id in (select project_id from project \
                 where $1 is null or organisation_id = $1 or organisation_id in \
                 (select organisation_id from organisation where parent_id = $1 and kind = '处室'))",
            )
            .bind(scope.map(|o| o.0))
            .bind(i64::from(escalated_only))
            .fetch_one(&self.pool)
            .await?;
            total.unwrap_or(0)
        };
        let list = rows
            .iter()
            .map(|r| Ok((warning_of(r)?, r.try_get("project_name")?)))
            .collect::<Result<Vec<_>>>()?;
        Ok((total, list))
    }

    /// One page of the projects of a department and its offices (or of all, for `None`), each
    /// with its latest submitted round and its unanswered red warnings: the escalated first,
    /// then by unanswered red warnings, level (red, yellow, green, never monitored) and name;
    /// with the number of projects at each level. Sorting, counting and paging happen in the
    /// database, so a page costs the same with 100 projects or 10,000.
    ///
    /// # Errors
    /// [`Error::Corrupt`], [`Error::Database`].
    pub async fn monitoring_overview(
        &self,
        scope: Option<OrgId>,
        filter: OverviewFilter,
        offset: i64,
        limit: i64,
    ) -> Result<OverviewPage> {
        let rows = sqlx::query(
            "with overview as (select p.project_id, p.name, p.department, p.year, s.period_end, \
               s.executed_fen, s.budget_fen, s.level, coalesce(s.open_red, 0) as open_red, \
               coalesce(s.escalated, 0) as escalated, \
               case s.level when 'red' then 0 when 'yellow' then 1 when 'green' then 2 else 3 end \
               as level_rank from project p \
               left join monitoring_status s on s.project_id = p.project_id \
               where $1 is null or p.organisation_id = $1 or p.organisation_id in \
               (select organisation_id from organisation where parent_id = $1 and kind = '处室')), \
             counted as (select o.*, \
               sum(case when level_rank = 0 then 1 else 0 end) over () as n_red, \
               sum(case when level_rank = 1 then 1 else 0 end) over () as n_yellow, \
               sum(case when level_rank = 2 then 1 else 0 end) over () as n_green, \
               sum(case when level_rank = 3 then 1 else 0 end) over () as n_none, \
               sum(case when escalated > 0 then 1 else 0 end) over () as n_escalated \
               from overview o) \
             select c.*, count(*) over () as n_chosen from counted c \
             where $2 = '' or ($2 = 'escalated' and escalated > 0) \
               or ($2 = 'none' and level_rank = 3) or level = $2 \
             order by case when escalated > 0 then 0 else 1 end, open_red desc, level_rank, \
               name, project_id limit $3 offset $4",
        )
        .bind(scope.map(|o| o.0))
        .bind(filter.id())
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let Some(first) = rows.first() else {
            // Past the last page (or nothing chosen): the counts alone.
            if offset > 0 {
                let mut page = Box::pin(self.monitoring_overview(scope, filter, 0, 1)).await?;
                page.rows.clear();
                return Ok(page);
            }
            if filter == OverviewFilter::All {
                return Ok(OverviewPage {
                    counts: [0; 5],
                    chosen: 0,
                    rows: Vec::new(),
                });
            }
            let all = Box::pin(self.monitoring_overview(scope, OverviewFilter::All, 0, 1)).await?;
            return Ok(OverviewPage {
                counts: all.counts,
                chosen: 0,
                rows: Vec::new(),
            });
        };
        let n = |c: &str| -> Result<i64> { Ok(first.try_get::<Option<i64>, _>(c)?.unwrap_or(0)) };
        let counts = [
            n("n_red")?,
            n("n_yellow")?,
            n("n_green")?,
            n("n_none")?,
            n("n_escalated")?,
        ];
        let chosen = n("n_chosen")?;
        let rows = rows
            .iter()
            .map(|r| {
                let period: Option<String> = r.try_get("period_end")?;
                let latest = match period {
                    None => None,
                    Some(p) => {
                        let level: String = r.try_get("level")?;
                        Some((
                            date_of("monitoring_round.period_end", &p)?,
                            Money::from_fen(r.try_get("executed_fen")?),
                            Money::from_fen(r.try_get("budget_fen")?),
                            Level::parse(&level)
                                .ok_or_else(|| corrupt("monitoring_round.level", &level))?,
                        ))
                    }
                };
                Ok(OverviewRow {
                    project: ProjectId(r.try_get("project_id")?),
                    name: r.try_get("name")?,
                    department: r.try_get("department")?,
                    year: i32::try_from(r.try_get::<i64, _>("year")?).unwrap_or(0),
                    latest,
                    open_red: r.try_get("open_red")?,
                    escalated: r.try_get("escalated")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(OverviewPage {
            counts,
            chosen,
            rows,
        })
    }
}

/// Recomputes a project's row of `monitoring_status` from its rounds and warnings, inside the
/// transaction that changed them.
async fn refresh_status(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project: ProjectId,
    at: &str,
) -> Result<()> {
    // One upsert: two transactions refreshing one project never collide on the key (callers
    // also lock the project row on PostgreSQL first, so the counts see the other's commit).
    sqlx::query(
        "insert into monitoring_status (project_id, period_end, executed_fen, budget_fen, level, \
         open_red, escalated, updated_at) \
         select r.project_id, r.period_end, r.executed_fen, r.budget_fen, r.level, \
         (select count(*) from monitoring_warning w where w.project_id = r.project_id \
          and w.level = 'red' and w.responded_at is null), \
         (select count(*) from monitoring_warning w where w.project_id = r.project_id \
          and w.escalated_at is not null and w.responded_at is null), cast($2 as text) \
         from monitoring_round r where r.project_id = $1 and r.state = 'submitted' \
         order by r.period_end desc limit 1 \
         on conflict (project_id) do update set period_end = excluded.period_end, \
         executed_fen = excluded.executed_fen, budget_fen = excluded.budget_fen, \
         level = excluded.level, open_red = excluded.open_red, escalated = excluded.escalated, \
         updated_at = excluded.updated_at",
    )
    .bind(project.0)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces one setting, with its audit entry.
async fn put_setting(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    root: OrgId,
    user: &User,
    name: &str,
    body: &str,
    at: &str,
) -> Result<()> {
    let before: Option<String> = sqlx::query_scalar("select body from setting where name = $1")
        .bind(name)
        .fetch_optional(&mut **tx)
        .await?;
    sqlx::query("delete from setting where name = $1")
        .bind(name)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "insert into setting (name, body, updated_by, created_at, updated_at) \
         values ($1, $2, $3, $4, $4)",
    )
    .bind(name)
    .bind(body)
    .bind(&user.username)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    audit::append(
        tx,
        root,
        &user.username,
        Action::Update,
        name,
        before.as_deref().unwrap_or("（默认）"),
        body,
    )
    .await
}

fn round_of(r: &sqlx::any::AnyRow) -> Result<Round> {
    let state: String = r.try_get("state")?;
    let level: Option<String> = r.try_get("level")?;
    let by: Option<String> = r.try_get("submitted_by")?;
    let on = opt_date("monitoring_round.submitted_on", r.try_get("submitted_on")?)?;
    Ok(Round {
        id: r.try_get("monitoring_round_id")?,
        project: ProjectId(r.try_get("project_id")?),
        period_end: date_of(
            "monitoring_round.period_end",
            &r.try_get::<String, _>("period_end")?,
        )?,
        state: match state.as_str() {
            "draft" => RoundState::Draft,
            "submitted" => RoundState::Submitted,
            _ => return Err(corrupt("monitoring_round.state", &state)),
        },
        summary: r.try_get("summary")?,
        expected: r
            .try_get::<Option<i64>, _>("expected_fen")?
            .map(Money::from_fen),
        executed: r
            .try_get::<Option<i64>, _>("executed_fen")?
            .map(Money::from_fen),
        budget: r
            .try_get::<Option<i64>, _>("budget_fen")?
            .map(Money::from_fen),
        level: level
            .map(|l| Level::parse(&l).ok_or_else(|| corrupt("monitoring_round.level", &l)))
            .transpose()?,
        version: r.try_get("version")?,
        submitted: by.zip(on),
        values: Vec::new(),
    })
}

fn warning_of(r: &sqlx::any::AnyRow) -> Result<StoredWarning> {
    let level: String = r.try_get("level")?;
    let decision: Option<String> = r.try_get("decision")?;
    let response = match decision {
        None => None,
        Some(d) => Some(Response {
            cause: r.try_get::<Option<String>, _>("cause")?.unwrap_or_default(),
            measure: r
                .try_get::<Option<String>, _>("measure")?
                .unwrap_or_default(),
            decision: Decision::parse(&d)
                .ok_or_else(|| corrupt("monitoring_warning.decision", &d))?,
            by: r
                .try_get::<Option<String>, _>("responded_by")?
                .unwrap_or_default(),
            at: r
                .try_get::<Option<String>, _>("responded_at")?
                .unwrap_or_default(),
        }),
    };
    Ok(StoredWarning {
        id: r.try_get("monitoring_warning_id")?,
        project: ProjectId(r.try_get("project_id")?),
        round: r.try_get("monitoring_round_id")?,
        kind: r.try_get("kind")?,
        subject: r.try_get("subject")?,
        level: Level::parse(&level).ok_or_else(|| corrupt("monitoring_warning.level", &level))?,
        message: r.try_get("message")?,
        raised_on: date_of(
            "monitoring_warning.raised_on",
            &r.try_get::<String, _>("raised_on")?,
        )?,
        deadline: opt_date("monitoring_warning.deadline", r.try_get("deadline")?)?,
        response,
        escalated_at: r.try_get("escalated_at")?,
    })
}
