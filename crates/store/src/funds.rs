//! Funds: requests for payment (资金申请) through the organisation's approval chain, and the
//! append-only ledger (支出明细) that payments write.
//!
//! The rules that money depends on hold in the database, not in application code that reads
//! and then writes: each decision is one conditional UPDATE (the version, the state and the
//! step it expects; that the decider took no earlier step; for the last approval, that the
//! project's approved and paid money stays within its adjusted budget; for a payment, that paid
//! money stays within the funds received). On PostgreSQL the project's row is locked first, so
//! decisions on one project are serialised; SQLite writers are serialised by `BEGIN IMMEDIATE`.

use jixiao_core::date::Date;
use jixiao_core::num::Money;
use jixiao_core::project::{Project, Role, SpendingLine};
use sqlx::Row;

use crate::audit::{self, Action};
use crate::{Backend, Error, OrgId, ProjectId, Result, Store, User, UserId, now};

/// The seed's chain: 经办人提出 → 部门负责人 → 财务负责人 → 分管领导 → 单位负责人 → 出纳 pays.
pub const DEFAULT_FUND_CHAIN: [Role; 4] = [
    Role::HeadOfOffice,
    Role::FinanceHead,
    Role::DeputyLeader,
    Role::UnitHead,
];

/// One step of an organisation's approval chain: a role, applying only from `min` and below
/// `below` when set (amount thresholds that add or skip steps).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundChainStep {
    /// Who decides.
    pub role: Role,
    /// The step applies from this amount on.
    pub min: Option<Money>,
    /// The step applies below this amount.
    pub below: Option<Money>,
}

impl FundChainStep {
    fn applies(&self, amount: Money) -> bool {
        self.min.is_none_or(|m| amount >= m) && self.below.is_none_or(|b| amount < b)
    }
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FundState {
    /// In the chain, waiting for the step `step`.
    Pending,
    /// Sent back to the applicant.
    Returned,
    /// Every step approved; waiting for the cashier.
    Approved,
    /// Ended by a rejection.
    Rejected,
    /// Withdrawn by the applicant before the first decision.
    Withdrawn,
    /// Paid: a ledger line exists.
    Paid,
}

impl FundState {
    /// Stable identifier.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            FundState::Pending => "pending",
            FundState::Returned => "returned",
            FundState::Approved => "approved",
            FundState::Rejected => "rejected",
            FundState::Withdrawn => "withdrawn",
            FundState::Paid => "paid",
        }
    }

    /// The Chinese name.
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            FundState::Pending => "审批中",
            FundState::Returned => "已退回申请人",
            FundState::Approved => "已批准待支付",
            FundState::Rejected => "已驳回",
            FundState::Withdrawn => "已撤回",
            FundState::Paid => "已支付",
        }
    }

    fn parse(s: &str) -> Option<FundState> {
        [
            FundState::Pending,
            FundState::Returned,
            FundState::Approved,
            FundState::Rejected,
            FundState::Withdrawn,
            FundState::Paid,
        ]
        .into_iter()
        .find(|x| x.id() == s)
    }
}

/// A request as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundRequest {
    /// Id.
    pub id: i64,
    /// The project it spends.
    pub project: ProjectId,
    /// Who filed it.
    pub applicant: UserId,
    /// Amount.
    pub amount: Money,
    /// Purpose.
    pub purpose: String,
    /// Payee.
    pub payee: String,
    /// Budget line (预算科目), if named.
    pub budget_line: Option<String>,
    /// The roles that decide, in order (frozen when filed).
    pub chain: Vec<Role>,
    /// Where it stands.
    pub state: FundState,
    /// The chain position of the next decision.
    pub step: usize,
    /// Version (every decision raises it).
    pub version: i64,
}

/// A new request.
#[derive(Clone, Debug)]
pub struct NewFundRequest<'a> {
    /// Amount (more than zero).
    pub amount: Money,
    /// Purpose.
    pub purpose: &'a str,
    /// Payee.
    pub payee: &'a str,
    /// Budget line, if any.
    pub budget_line: Option<&'a str>,
}

/// A decision in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FundDecision {
    /// Passes the request to the next step (the last approval makes it approved).
    Approve,
    /// Ends the request.
    Reject {
        /// Why.
        reason: String,
    },
    /// Sends it back to an earlier step, or to the applicant (`None`).
    Return {
        /// The chain position it goes back to.
        to: Option<usize>,
        /// Why.
        reason: String,
    },
}

/// One line of the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerLine {
    /// Id.
    pub id: i64,
    /// The request it pays, if any.
    pub request: Option<i64>,
    /// Date paid (YYYY-MM-DD).
    pub paid_on: String,
    /// Purpose.
    pub purpose: String,
    /// Payee.
    pub payee: String,
    /// Amount (negative for a reversal).
    pub amount: Money,
    /// The bank's reference of the transfer.
    pub bank_reference: Option<String>,
    /// The line this one reverses.
    pub reverses: Option<i64>,
    /// Why (for a reversal).
    pub reason: Option<String>,
}

impl LedgerLine {
    /// The line as a spending line of the project file (支出明细): the payee, and in the note
    /// the request and bank reference of a payment or the reason of a reversal.
    #[must_use]
    pub fn spending_line(&self) -> SpendingLine {
        SpendingLine {
            date: Date::parse(&self.paid_on),
            purpose: self.purpose.clone(),
            amount: self.amount,
            payee: Some(self.payee.clone()),
            functional_code: None,
            economic_code: None,
            targets: Vec::new(),
            note: Some(match (&self.reason, &self.bank_reference) {
                (Some(reason), _) => {
                    format!("冲销第 {} 笔：{reason}", self.reverses.unwrap_or_default())
                }
                (None, Some(bank)) => format!(
                    "资金申请第 {} 号，银行流水号 {bank}",
                    self.request.unwrap_or_default()
                ),
                (None, None) => "经审批支付".to_owned(),
            }),
        }
    }
}

/// The project as scoring and reports see it: its own spending lines, then the ledger's
/// payments and reversals made by `until` (the two are disjoint: payments through the approval
/// chain are only in the ledger).
#[must_use]
pub fn with_ledger(project: &Project, ledger: &[LedgerLine], until: Date) -> Project {
    let mut p = project.clone();
    p.budget.spending.extend(
        ledger
            .iter()
            .filter(|l| Date::parse(&l.paid_on).is_some_and(|d| d <= until))
            .map(LedgerLine::spending_line),
    );
    p
}

/// The evaluation's cut-off date: the one the evaluation gives, else the year's end.
#[must_use]
pub fn cutoff(project: &Project) -> Date {
    project
        .evaluation
        .cutoff
        .or_else(|| Date::new(project.year, 12, 31))
        .unwrap_or(Date::EPOCH)
}

/// One entry of a request's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundEvent {
    /// The chain position decided, if any.
    pub step: Option<i64>,
    /// `file`, `approve`, `reject`, `return`, `resubmit`, `withdraw` or `pay`.
    pub decision: String,
    /// Who (user name) and in which role.
    pub actor: String,
    /// The role.
    pub role: String,
    /// What was said (the reason, or the bank reference of a payment).
    pub reason: Option<String>,
    /// When (RFC 3339 UTC).
    pub at: String,
}

fn roles_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.zh()).collect::<Vec<_>>().join("、")
}

fn refused(reason: impl Into<String>) -> Error {
    Error::Refused {
        reason: reason.into(),
    }
}

fn request_of(r: &sqlx::any::AnyRow) -> Result<FundRequest> {
    let chain: String = r.try_get("chain")?;
    let state: String = r.try_get("state")?;
    Ok(FundRequest {
        id: r.try_get("fund_request_id")?,
        project: ProjectId(r.try_get("project_id")?),
        applicant: UserId(r.try_get("applicant_id")?),
        amount: Money::from_fen(r.try_get("amount_fen")?),
        purpose: r.try_get("purpose")?,
        payee: r.try_get("payee")?,
        budget_line: r.try_get("budget_line")?,
        chain: chain
            .split('、')
            .filter(|s| !s.is_empty())
            .map(|s| {
                Role::parse(s).ok_or_else(|| Error::Corrupt {
                    field: "fund_request.chain".into(),
                    value: chain.clone(),
                })
            })
            .collect::<Result<_>>()?,
        state: FundState::parse(&state).ok_or_else(|| Error::Corrupt {
            field: "fund_request.state".into(),
            value: state.clone(),
        })?,
        step: usize::try_from(r.try_get::<i64, _>("step")?).unwrap_or(0),
        version: r.try_get("version")?,
    })
}

macro_rules! request_columns {
    () => {
        "fund_request_id, project_id, applicant_id, amount_fen, purpose, payee, budget_line, \
         chain, state, step, version"
    };
}

impl Store {
    /// The approval chain of an organisation's department: its own steps, or the default.
    ///
    /// # Errors
    /// [`Error::Database`], [`Error::Corrupt`].
    pub async fn fund_chain(&self, org: OrgId) -> Result<Vec<FundChainStep>> {
        let dept = self.department_of(org).await?;
        let rows = sqlx::query(
            "select role, min_fen, below_fen from fund_chain_step where organisation_id = $1 \
             order by position",
        )
        .bind(dept.0)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(DEFAULT_FUND_CHAIN
                .iter()
                .map(|r| FundChainStep {
                    role: *r,
                    min: None,
                    below: None,
                })
                .collect());
        }
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                Ok(FundChainStep {
                    role: Role::parse(&role).ok_or(Error::Corrupt {
                        field: "fund_chain_step.role".into(),
                        value: role,
                    })?,
                    min: r.try_get::<Option<i64>, _>("min_fen")?.map(Money::from_fen),
                    below: r
                        .try_get::<Option<i64>, _>("below_fen")?
                        .map(Money::from_fen),
                })
            })
            .collect()
    }

    /// Sets a department's approval chain (an empty list restores the default).
    ///
    /// # Errors
    /// [`Error::Refused`] for a role that may not approve payments or a threshold that is not
    /// positive, [`Error::Database`].
    pub async fn set_fund_chain(
        &self,
        org: OrgId,
        steps: &[FundChainStep],
        actor: &str,
    ) -> Result<()> {
        if self.department_of(org).await? != org {
            return Err(refused("审批链按部门配置，处室沿用所在部门的审批链"));
        }
        for s in steps {
            if matches!(
                s.role,
                Role::Officer
                    | Role::Cashier
                    | Role::Reviewer
                    | Role::Admin
                    | Role::EvaluationGroup
            ) {
                return Err(refused(format!(
                    "{}不能审批资金申请（经办人申请、出纳只支付）",
                    s.role.zh()
                )));
            }
            if s.min.is_some_and(|m| m.fen() <= 0) || s.below.is_some_and(|b| b.fen() <= 0) {
                return Err(refused("金额门槛应大于零"));
            }
        }
        let mut tx = self.write_tx().await?;
        sqlx::query("delete from fund_chain_step where organisation_id = $1")
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
        let at = now();
        for (i, s) in steps.iter().enumerate() {
            sqlx::query(
                "insert into fund_chain_step (organisation_id, position, role, min_fen, below_fen, \
                 created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(org.0)
            .bind(i64::try_from(i).unwrap_or(0))
            .bind(s.role.zh())
            .bind(s.min.map(Money::fen))
            .bind(s.below.map(Money::fen))
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        let described: Vec<String> = steps
            .iter()
            .map(|s| {
                let mut t = s.role.zh().to_owned();
                if let Some(m) = s.min {
                    t.push_str(&format!("（{}元起）", m.yuan()));
                }
                if let Some(b) = s.below {
                    t.push_str(&format!("（{}元以下）", b.yuan()));
                }
                t
            })
            .collect();
        audit::append(
            &mut tx,
            org,
            actor,
            Action::Update,
            "fund_chain",
            "",
            &if described.is_empty() {
                format!("默认：{}", roles_text(&DEFAULT_FUND_CHAIN))
            } else {
                described.join(" → ")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Files a request against a project (an officer of the project's department).
    ///
    /// # Errors
    /// [`Error::Refused`] for an amount that is not positive, an empty purpose or payee, or a
    /// user who may not file; [`Error::NotFound`].
    pub async fn file_fund_request(
        &self,
        project: ProjectId,
        user: &User,
        new: &NewFundRequest<'_>,
    ) -> Result<FundRequest> {
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
            return Err(refused("只有本单位的经办人或部门负责人可以提出资金申请"));
        }
        if new.amount.fen() <= 0 {
            return Err(refused(format!(
                "申请金额 {} 元应大于零",
                new.amount.yuan()
            )));
        }
        if new.purpose.trim().is_empty() {
            return Err(refused("请写明用途"));
        }
        if new.payee.trim().is_empty() {
            return Err(refused("请写明收款方"));
        }
        let chain: Vec<Role> = self
            .fund_chain(org)
            .await?
            .iter()
            .filter(|s| s.applies(new.amount))
            .map(|s| s.role)
            .collect();
        if chain.is_empty() {
            return Err(refused(
                "审批链对这一金额没有任何审批环节，请管理员检查金额门槛",
            ));
        }
        let mut tx = self.write_tx().await?;
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "insert into fund_request (project_id, applicant_id, amount_fen, purpose, payee, \
             budget_line, chain, state, step, version, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, 1, $8, $8) returning fund_request_id",
        )
        .bind(project.0)
        .bind(user.id.0)
        .bind(new.amount.fen())
        .bind(new.purpose.trim())
        .bind(new.payee.trim())
        .bind(new.budget_line.map(str::trim).filter(|s| !s.is_empty()))
        .bind(roles_text(&chain))
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        record(&mut tx, id, None, "file", user, None, &at).await?;
        audit::append(
            &mut tx,
            org,
            &user.username,
            Action::Create,
            &format!("project:{}/fund_request:{id}", project.0),
            "",
            &format!(
                "资金申请 {} 元：{}（收款方 {}），审批链 {}",
                new.amount.yuan(),
                new.purpose.trim(),
                new.payee.trim(),
                roles_text(&chain)
            ),
        )
        .await?;
        tx.commit().await?;
        self.fund_request(id).await
    }

    /// One request.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub async fn fund_request(&self, id: i64) -> Result<FundRequest> {
        let row = sqlx::query(concat!(
            "select ",
            request_columns!(),
            " from fund_request where fund_request_id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound {
            what: "资金申请",
            id,
        })?;
        request_of(&row)
    }

    /// A project's requests, newest first.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn fund_requests(&self, project: ProjectId) -> Result<Vec<FundRequest>> {
        let rows = sqlx::query(concat!(
            "select ",
            request_columns!(),
            " from fund_request where project_id = $1 order by fund_request_id desc"
        ))
        .bind(project.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(request_of).collect()
    }

    /// The open requests (pending, approved or returned) of a department and its offices, or
    /// of all, oldest first: what may wait for someone.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn open_fund_requests(&self, scope: Option<OrgId>) -> Result<Vec<FundRequest>> {
        let rows = sqlx::query(concat!(
            "select ",
            request_columns!(),
            " from fund_request where state in ('pending', 'approved', 'returned') \
             and project_id in (select project_id from project where $1 is null \
             or organisation_id = $1 or organisation_id in (select organisation_id \
             from organisation where parent_id = $1 and kind = '处室')) order by fund_request_id"
        ))
        .bind(scope.map(|o| o.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(request_of).collect()
    }

    /// Takes the decision of the request's current step.
    ///
    /// # Errors
    /// [`Error::Refused`] with the reason in Chinese: not pending, not this role's step, one's
    /// own request, a second step by the same person, a stale version, a return without a
    /// reason or not backwards, an approval over the remaining budget.
    pub async fn decide_fund_request(
        &self,
        id: i64,
        user: &User,
        decision: &FundDecision,
        version: i64,
    ) -> Result<FundRequest> {
        let r = self.fund_request(id).await?;
        let (org, _) = self
            .project_version(r.project)
            .await?
            .ok_or(Error::NotFound {
                what: "项目",
                id: r.project.0,
            })?;
        if !self.same_department(user.organisation, org).await? {
            return Err(refused("只能审批本单位项目的资金申请"));
        }
        if r.version != version {
            return Err(refused("资金申请刚被他人办理，请刷新后再试"));
        }
        if r.state != FundState::Pending {
            return Err(refused(format!(
                "资金申请当前为“{}”，不能审批",
                r.state.zh()
            )));
        }
        if r.applicant == user.id {
            return Err(refused("不能审批自己提出的资金申请"));
        }
        let Some(role) = r.chain.get(r.step).copied() else {
            return Err(refused("资金申请的审批已完成"));
        };
        if user.role != role {
            return Err(refused(format!("这一步由{}审批", role.zh())));
        }
        let last = r.step + 1 == r.chain.len();
        let mut tx = self.write_tx().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("select project_id from project where project_id = $1 for update")
                .bind(r.project.0)
                .fetch_optional(&mut *tx)
                .await?;
        }
        let at = now();
        let step = i64::try_from(r.step).unwrap_or(0);
        // The conditions the decision depends on are in the statement that makes it.
        let done = match decision {
            FundDecision::Approve if last => {
                sqlx::query(
                    "update fund_request set state = 'approved', step = step + 1, \
                     version = version + 1, updated_at = $5 \
                     where fund_request_id = $1 and version = $2 and state = 'pending' \
                     and step = $3 and not exists (select 1 from fund_decision d \
                     where d.fund_request_id = $1 and d.actor_id = $4 and d.decision = 'approve' \
                     and d.step <> $3) \
                     and (select p.appropriation_fen + coalesce((select sum(a.amount_fen) \
                     from budget_adjustment a where a.project_id = p.project_id), 0) \
                     from project p where p.project_id = fund_request.project_id) \
                     >= coalesce((select sum(l.amount_fen) from ledger_line l \
                     where l.project_id = fund_request.project_id), 0) \
                     + coalesce((select sum(o.amount_fen) from fund_request o \
                     where o.project_id = fund_request.project_id and o.state = 'approved'), 0) \
                     + fund_request.amount_fen",
                )
                .bind(id)
                .bind(version)
                .bind(step)
                .bind(user.id.0)
                .bind(&at)
                .execute(&mut *tx)
                .await?
            }
            FundDecision::Approve => {
                sqlx::query(
                    "update fund_request set step = step + 1, version = version + 1, \
                     updated_at = $5 \
                     where fund_request_id = $1 and version = $2 and state = 'pending' \
                     and step = $3 and not exists (select 1 from fund_decision d \
                     where d.fund_request_id = $1 and d.actor_id = $4 and d.decision = 'approve' \
                     and d.step <> $3)",
                )
                .bind(id)
                .bind(version)
                .bind(step)
                .bind(user.id.0)
                .bind(&at)
                .execute(&mut *tx)
                .await?
            }
            FundDecision::Reject { reason } | FundDecision::Return { reason, .. }
                if reason.trim().is_empty() =>
            {
                return Err(refused("驳回或退回须写明原因"));
            }
            FundDecision::Reject { .. } => {
                sqlx::query(
                    "update fund_request set state = 'rejected', version = version + 1, \
                     updated_at = $4 \
                     where fund_request_id = $1 and version = $2 and state = 'pending' and step = $3",
                )
                .bind(id)
                .bind(version)
                .bind(step)
                .bind(&at)
                .execute(&mut *tx)
                .await?
            }
            FundDecision::Return { to, .. } => {
                if to.is_some_and(|t| t >= r.step) {
                    return Err(refused("只能退回到之前的审批环节或申请人"));
                }
                let (state, to_step) = match to {
                    Some(t) => ("pending", i64::try_from(*t).unwrap_or(0)),
                    None => ("returned", 0),
                };
                sqlx::query(
                    "update fund_request set state = $4, step = $5, version = version + 1, \
                     updated_at = $6 \
                     where fund_request_id = $1 and version = $2 and state = 'pending' and step = $3",
                )
                .bind(id)
                .bind(version)
                .bind(step)
                .bind(state)
                .bind(to_step)
                .bind(&at)
                .execute(&mut *tx)
                .await?
            }
        };
        if done.rows_affected() == 0 {
            drop(tx);
            return Err(self
                .why_not(&r, user, matches!(decision, FundDecision::Approve) && last)
                .await);
        }
        let (name, reason) = match decision {
            FundDecision::Approve => ("approve", None),
            FundDecision::Reject { reason } => ("reject", Some(reason.as_str())),
            FundDecision::Return { reason, .. } => ("return", Some(reason.as_str())),
        };
        record(&mut tx, id, Some(step), name, user, reason, &at).await?;
        audit::append(
            &mut tx,
            org,
            &user.username,
            Action::Workflow,
            &format!("project:{}/fund_request:{id}", r.project.0),
            FundState::Pending.zh(),
            &format!(
                "{}（第 {} 步，{}）{}",
                match name {
                    "approve" => "同意",
                    "reject" => "驳回",
                    _ => "退回",
                },
                r.step + 1,
                role.zh(),
                reason.map(|x| format!("：{x}")).unwrap_or_default()
            ),
        )
        .await?;
        tx.commit().await?;
        self.fund_request(id).await
    }

    /// Why a conditional update changed nothing (read after the fact, for the message only).
    async fn why_not(&self, r: &FundRequest, user: &User, last_approval: bool) -> Error {
        let Ok(now_r) = self.fund_request(r.id).await else {
            return refused("资金申请不存在");
        };
        if now_r.version != r.version {
            return refused("资金申请刚被他人办理，请刷新后再试");
        }
        let decided: Option<i64> = sqlx::query_scalar(
            "select fund_decision_id from fund_decision where fund_request_id = $1 \
             and actor_id = $2 and decision = 'approve' and step <> $3",
        )
        .bind(r.id)
        .bind(user.id.0)
        .bind(i64::try_from(r.step).unwrap_or(0))
        .fetch_optional(&self.pool)
        .await
        .ok()
        .flatten();
        if decided.is_some() {
            return refused("同一人不能办理同一申请的两个审批环节");
        }
        if last_approval {
            return refused(format!(
                "批准后已批准和已支付的金额将超过项目调整后预算，不能批准这笔 {} 元的申请",
                r.amount.yuan()
            ));
        }
        refused("资金申请的状态已变，请刷新后再试")
    }

    /// The applicant withdraws a request before the first decision, or sends a returned one
    /// back into the chain (`resubmit`).
    ///
    /// # Errors
    /// [`Error::Refused`] when it is not the applicant's or a decision was already taken.
    pub async fn applicant_action(
        &self,
        id: i64,
        user: &User,
        resubmit: bool,
    ) -> Result<FundRequest> {
        let r = self.fund_request(id).await?;
        if r.applicant != user.id {
            return Err(refused("只有申请人本人可以撤回或重新提交"));
        }
        let (org, _) = self
            .project_version(r.project)
            .await?
            .ok_or(Error::NotFound {
                what: "项目",
                id: r.project.0,
            })?;
        let mut tx = self.write_tx().await?;
        let at = now();
        let done = if resubmit {
            sqlx::query(
                "update fund_request set state = 'pending', step = 0, version = version + 1, \
                 updated_at = $2 where fund_request_id = $1 and state = 'returned'",
            )
            .bind(id)
            .bind(&at)
            .execute(&mut *tx)
            .await?
        } else {
            sqlx::query(
                "update fund_request set state = 'withdrawn', version = version + 1, updated_at = $2 \
                 where fund_request_id = $1 and state in ('pending', 'returned') \
                 and not exists (select 1 from fund_decision d where d.fund_request_id = $1 \
                 and d.decision in ('approve', 'reject', 'return'))",
            )
            .bind(id)
            .bind(&at)
            .execute(&mut *tx)
            .await?
        };
        if done.rows_affected() == 0 {
            return Err(refused(if resubmit {
                "只有退回申请人的申请可以重新提交"
            } else {
                "已有审批意见的申请不能撤回"
            }));
        }
        let name = if resubmit { "resubmit" } else { "withdraw" };
        record(&mut tx, id, None, name, user, None, &at).await?;
        audit::append(
            &mut tx,
            org,
            &user.username,
            Action::Workflow,
            &format!("project:{}/fund_request:{id}", r.project.0),
            r.state.zh(),
            if resubmit { "重新提交" } else { "撤回" },
        )
        .await?;
        tx.commit().await?;
        self.fund_request(id).await
    }

    /// The cashier pays an approved request: it becomes a ledger line. Paid money never exceeds
    /// the funds received.
    ///
    /// # Errors
    /// [`Error::Refused`] for anyone but the department's cashier, a request not approved (or
    /// already paid), or a payment over the funds received.
    pub async fn pay_fund_request(
        &self,
        id: i64,
        user: &User,
        paid_on: &str,
        bank_reference: &str,
    ) -> Result<LedgerLine> {
        let r = self.fund_request(id).await?;
        let (org, _) = self
            .project_version(r.project)
            .await?
            .ok_or(Error::NotFound {
                what: "项目",
                id: r.project.0,
            })?;
        if user.role != Role::Cashier || !self.same_department(user.organisation, org).await? {
            return Err(refused("只有本单位的出纳可以支付"));
        }
        // Stored as YYYY-MM-DD whatever form it was typed in, so dates compare as text.
        let Some(paid) = Date::parse(paid_on) else {
            return Err(refused(format!("支付日期「{paid_on}」应写成 年-月-日")));
        };
        let paid_on = &paid.to_string();
        if bank_reference.trim().is_empty() {
            return Err(refused("请填写银行转账的流水号"));
        }
        let mut tx = self.write_tx().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("select project_id from project where project_id = $1 for update")
                .bind(r.project.0)
                .fetch_optional(&mut *tx)
                .await?;
        }
        let at = now();
        let done = sqlx::query(
            "update fund_request set state = 'paid', version = version + 1, updated_at = $2 \
             where fund_request_id = $1 and state = 'approved' \
             and coalesce((select sum(f.amount_fen) from fund_receipt f \
             where f.project_id = fund_request.project_id), 0) \
             >= coalesce((select sum(l.amount_fen) from ledger_line l \
             where l.project_id = fund_request.project_id), 0) + fund_request.amount_fen",
        )
        .bind(id)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            drop(tx);
            let now_r = self.fund_request(id).await?;
            return Err(refused(match now_r.state {
                FundState::Paid => "这笔申请已经支付过".to_owned(),
                FundState::Approved => format!(
                    "支付后已支付金额将超过到位资金，不能支付这笔 {} 元",
                    r.amount.yuan()
                ),
                s => format!("资金申请当前为“{}”，未经批准不能支付", s.zh()),
            }));
        }
        let line_id: i64 = sqlx::query_scalar(
            "insert into ledger_line (project_id, fund_request_id, paid_on, purpose, payee, \
             amount_fen, bank_reference, created_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) returning ledger_line_id",
        )
        .bind(r.project.0)
        .bind(id)
        .bind(paid_on)
        .bind(&r.purpose)
        .bind(&r.payee)
        .bind(r.amount.fen())
        .bind(bank_reference.trim())
        .bind(&user.username)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            id,
            None,
            "pay",
            user,
            Some(bank_reference.trim()),
            &at,
        )
        .await?;
        audit::append(
            &mut tx,
            org,
            &user.username,
            Action::Create,
            &format!("project:{}/ledger:{line_id}", r.project.0),
            "",
            &format!(
                "{paid_on} 支付 {} 元：{}（收款方 {}，流水号 {}）",
                r.amount.yuan(),
                r.purpose,
                r.payee,
                bank_reference.trim()
            ),
        )
        .await?;
        tx.commit().await?;
        self.ledger_line(line_id).await
    }

    /// Reverses a ledger line (a correction): a new line with the opposite amount that names the
    /// line and the reason; the line itself never changes.
    ///
    /// # Errors
    /// [`Error::Refused`] for anyone but the department's cashier or finance head, an empty
    /// reason, or a line already reversed.
    pub async fn reverse_ledger_line(
        &self,
        line: i64,
        user: &User,
        paid_on: &str,
        reason: &str,
    ) -> Result<LedgerLine> {
        let l = self.ledger_line(line).await?;
        let project = self.ledger_project(line).await?;
        let (org, _) = self
            .project_version(project)
            .await?
            .ok_or(Error::NotFound {
                what: "项目",
                id: project.0,
            })?;
        if !matches!(user.role, Role::Cashier | Role::FinanceHead)
            || !self.same_department(user.organisation, org).await?
        {
            return Err(refused("只有本单位的出纳或财务负责人可以冲销支出"));
        }
        if reason.trim().is_empty() {
            return Err(refused("冲销须写明原因"));
        }
        let Some(reversed_on) = Date::parse(paid_on) else {
            return Err(refused(format!("冲销日期「{paid_on}」应写成 年-月-日")));
        };
        let paid_on = &reversed_on.to_string();
        if l.reverses.is_some() {
            return Err(refused("冲销记录本身不能再冲销"));
        }
        let mut tx = self.write_tx().await?;
        let at = now();
        let inserted = sqlx::query_scalar::<_, i64>(
            "insert into ledger_line (project_id, paid_on, purpose, payee, amount_fen, reverses, \
             reason, created_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) returning ledger_line_id",
        )
        .bind(project.0)
        .bind(paid_on)
        .bind(format!("冲销：{}", l.purpose))
        .bind(&l.payee)
        .bind(-l.amount.fen())
        .bind(line)
        .bind(reason.trim())
        .bind(&user.username)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(refused("这笔支出已经冲销过"));
            }
            Err(e) => return Err(e.into()),
        };
        audit::append(
            &mut tx,
            org,
            &user.username,
            Action::Create,
            &format!("project:{}/ledger:{id}", project.0),
            "",
            &format!("冲销第 {line} 笔 {} 元：{}", l.amount.yuan(), reason.trim()),
        )
        .await?;
        tx.commit().await?;
        self.ledger_line(id).await
    }

    async fn ledger_project(&self, line: i64) -> Result<ProjectId> {
        let p: Option<i64> =
            sqlx::query_scalar("select project_id from ledger_line where ledger_line_id = $1")
                .bind(line)
                .fetch_optional(&self.pool)
                .await?;
        p.map(ProjectId).ok_or(Error::NotFound {
            what: "支出记录",
            id: line,
        })
    }

    /// A request's history, oldest first.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn fund_history(&self, id: i64) -> Result<Vec<FundEvent>> {
        let rows = sqlx::query(
            "select step, decision, actor, role, reason, at from fund_decision \
             where fund_request_id = $1 order by fund_decision_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FundEvent {
                    step: r.try_get("step")?,
                    decision: r.try_get("decision")?,
                    actor: r.try_get("actor")?,
                    role: r.try_get("role")?,
                    reason: r.try_get("reason")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// One ledger line.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub async fn ledger_line(&self, id: i64) -> Result<LedgerLine> {
        let row = sqlx::query(
            "select ledger_line_id, fund_request_id, paid_on, purpose, payee, amount_fen, \
             bank_reference, reverses, reason from ledger_line where ledger_line_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound {
            what: "支出记录",
            id,
        })?;
        ledger_of(&row)
    }

    /// The project as scoring and reports see it ([`with_ledger`]): its ledger up to the
    /// evaluation's cut-off date after its own spending lines.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn scoring_view(&self, stored: &crate::Stored) -> Result<Project> {
        let ledger = self.ledger(stored.id).await?;
        Ok(if ledger.is_empty() {
            stored.project.clone()
        } else {
            with_ledger(&stored.project, &ledger, cutoff(&stored.project))
        })
    }

    /// How many ledger lines a project has (a payment or a reversal changes what scoring sees
    /// without changing the project's version).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn ledger_count(&self, project: ProjectId) -> Result<i64> {
        Ok(
            sqlx::query_scalar("select count(*) from ledger_line where project_id = $1")
                .bind(project.0)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// A project's ledger, oldest first.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn ledger(&self, project: ProjectId) -> Result<Vec<LedgerLine>> {
        let rows = sqlx::query(
            "select ledger_line_id, fund_request_id, paid_on, purpose, payee, amount_fen, \
             bank_reference, reverses, reason from ledger_line where project_id = $1 \
             order by ledger_line_id",
        )
        .bind(project.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ledger_of).collect()
    }
}

pub(crate) fn ledger_of(r: &sqlx::any::AnyRow) -> Result<LedgerLine> {
    Ok(LedgerLine {
        id: r.try_get("ledger_line_id")?,
        request: r.try_get("fund_request_id")?,
        paid_on: r.try_get("paid_on")?,
        purpose: r.try_get("purpose")?,
        payee: r.try_get("payee")?,
        amount: Money::from_fen(r.try_get("amount_fen")?),
        bank_reference: r.try_get("bank_reference")?,
        reverses: r.try_get("reverses")?,
        reason: r.try_get("reason")?,
    })
}

/// Records a decision in the request's history.
async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    step: Option<i64>,
    decision: &str,
    user: &User,
    reason: Option<&str>,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "insert into fund_decision (fund_request_id, step, decision, actor_id, actor, role, reason, \
         at, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)",
    )
    .bind(id)
    .bind(step)
    .bind(decision)
    .bind(user.id.0)
    .bind(&user.username)
    .bind(user.role.zh())
    .bind(reason)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
