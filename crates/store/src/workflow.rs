//! Review workflows in the store: each step is checked by the core rules
//! ([`jixiao_core::workflow::apply`]), recorded with who, when and why, written to the audit
//! trail, and a submission freezes the project as a snapshot (its project file text, by hash).
//! Each organisation may name other reviewers for the steps inside the department (its review
//! chain, table `review_step`).

use jixiao_core::project::Role;
use jixiao_core::workflow::{
    FlowAction, FlowKind, FlowState, apply_with, check_step_roles, step_roles,
};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{self, Action};
use crate::{Error, OrgId, ProjectId, Result, Store, User, now};

/// Chinese role names as stored in `review_step.roles`.
fn roles_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.zh()).collect::<Vec<_>>().join("、")
}

fn roles_of(text: &str) -> Result<Vec<Role>> {
    text.split('、')
        .map(|name| {
            Role::parse(name).ok_or_else(|| Error::Corrupt {
                field: "review_step.roles".into(),
                value: text.into(),
            })
        })
        .collect()
}

/// An approved version of a project's targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetVersion {
    /// 1 for the first approval, then one more per approved adjustment.
    pub seq: i64,
    /// [`FlowKind::TargetSheet`] or [`FlowKind::Adjustment`].
    pub kind: FlowKind,
    /// The snapshot that was reviewed.
    pub snapshot: String,
    /// Who gave the final approval.
    pub approved_by: String,
    /// When (RFC 3339 UTC).
    pub approved_at: String,
}

/// One step of an organisation's review chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainStep {
    /// The state the step leaves.
    pub state: FlowState,
    /// Who takes it.
    pub roles: Vec<Role>,
    /// Whether the organisation chose these roles (else they are the default).
    pub configured: bool,
}

/// One step taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowStep {
    /// `submit`, `approve` or `return`.
    pub action: String,
    /// State before.
    pub from: FlowState,
    /// State after.
    pub to: FlowState,
    /// Who (user name).
    pub actor: String,
    /// Why, for a return.
    pub reason: Option<String>,
    /// When (RFC 3339 UTC).
    pub at: String,
}

/// A workflow with its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// What is reviewed.
    pub kind: FlowKind,
    /// Where it stands.
    pub state: FlowState,
    /// The snapshot it was last submitted as.
    pub snapshot: Option<String>,
    /// Every step, oldest first.
    pub steps: Vec<FlowStep>,
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn state_of(text: &str) -> Result<FlowState> {
    FlowState::parse(text).ok_or_else(|| Error::Corrupt {
        field: "workflow.state".into(),
        value: text.to_owned(),
    })
}

/// Where one of a project's workflows stands, inside a transaction.
pub(crate) async fn flow_state(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project: ProjectId,
    kind: FlowKind,
) -> Result<FlowState> {
    let s: Option<String> =
        sqlx::query_scalar("select state from workflow where project_id = $1 and kind = $2")
            .bind(project.0)
            .bind(kind.id())
            .fetch_optional(&mut **tx)
            .await?;
    s.map_or(Ok(kind.initial()), |s| state_of(&s))
}

fn action_id(a: FlowAction) -> &'static str {
    match a {
        FlowAction::Submit => "submit",
        FlowAction::Approve => "approve",
        FlowAction::Return { .. } => "return",
        FlowAction::Open => "open",
    }
}

impl Store {
    /// A project's workflows, with their steps: the target sheet and the self-evaluation (a
    /// draft until someone acts on it), and its adjustments once one was opened.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn workflows(&self, project: ProjectId) -> Result<Vec<Flow>> {
        let mut out = Vec::new();
        for kind in FlowKind::ALL {
            let row = sqlx::query(
                "select state, snapshot_hash from workflow where project_id = $1 and kind = $2",
            )
            .bind(project.0)
            .bind(kind.id())
            .fetch_optional(&self.pool)
            .await?;
            let (state, snapshot) = match row {
                Some(r) => (
                    state_of(&r.try_get::<String, _>("state")?)?,
                    r.try_get("snapshot_hash")?,
                ),
                None if kind == FlowKind::Adjustment => continue,
                None => (kind.initial(), None),
            };
            let rows = sqlx::query(
                "select action, from_state, to_state, actor, reason, at from workflow_step \
                 where project_id = $1 and kind = $2 order by workflow_step_id",
            )
            .bind(project.0)
            .bind(kind.id())
            .fetch_all(&self.pool)
            .await?;
            let steps = rows
                .iter()
                .map(|r| {
                    Ok(FlowStep {
                        action: r.try_get("action")?,
                        from: state_of(&r.try_get::<String, _>("from_state")?)?,
                        to: state_of(&r.try_get::<String, _>("to_state")?)?,
                        actor: r.try_get("actor")?,
                        reason: r.try_get("reason")?,
                        at: r.try_get("at")?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            out.push(Flow {
                kind,
                state,
                snapshot,
                steps,
            });
        }
        Ok(out)
    }

    /// The state of one workflow.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn workflow_state(&self, project: ProjectId, kind: FlowKind) -> Result<FlowState> {
        let state: Option<String> =
            sqlx::query_scalar("select state from workflow where project_id = $1 and kind = $2")
                .bind(project.0)
                .bind(kind.id())
                .fetch_optional(&self.pool)
                .await?;
        state.map_or(Ok(kind.initial()), |s| state_of(&s))
    }

    /// The project file text of a snapshot.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn snapshot(&self, hash: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("select document from snapshot where snapshot_hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Every approved version of a project's targets, oldest first.
    ///
    /// # Errors
    /// [`Error::Database`], [`Error::Corrupt`].
    pub async fn target_versions(&self, project: ProjectId) -> Result<Vec<TargetVersion>> {
        let rows = sqlx::query(
            "select seq, kind, snapshot_hash, approved_by, approved_at from target_version \
             where project_id = $1 order by seq",
        )
        .bind(project.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(TargetVersion {
                    seq: r.try_get("seq")?,
                    kind: FlowKind::parse(&kind).ok_or_else(|| Error::Corrupt {
                        field: "target_version.kind".into(),
                        value: kind.clone(),
                    })?,
                    snapshot: r.try_get("snapshot_hash")?,
                    approved_by: r.try_get("approved_by")?,
                    approved_at: r.try_get("approved_at")?,
                })
            })
            .collect()
    }

    /// An organisation's review chain for `kind`: who takes each step, from submission to the
    /// finance bureau's review, the organisation's choice where it made one.
    ///
    /// # Errors
    /// [`Error::Database`], [`Error::Corrupt`].
    pub async fn review_chain(&self, org: OrgId, kind: FlowKind) -> Result<Vec<ChainStep>> {
        let rows = sqlx::query(
            "select state, roles from review_step where organisation_id = $1 and kind = $2",
        )
        .bind(org.0)
        .bind(kind.chain().id())
        .fetch_all(&self.pool)
        .await?;
        let mut chain = Vec::new();
        for state in [
            FlowState::Draft,
            FlowState::Submitted,
            FlowState::DepartmentReview,
            FlowState::FinanceReview,
        ] {
            let mine = rows
                .iter()
                .find(|r| r.try_get::<String, _>("state").ok().as_deref() == Some(state.id()));
            chain.push(match mine {
                Some(r) => ChainStep {
                    state,
                    roles: roles_of(&r.try_get::<String, _>("roles")?)?,
                    configured: true,
                },
                None => ChainStep {
                    state,
                    roles: step_roles(state).to_vec(),
                    configured: false,
                },
            });
        }
        Ok(chain)
    }

    /// Names the reviewers of one step of an organisation's review chain (`None`: back to the
    /// default), checked by [`check_step_roles`] and recorded in the audit trail.
    ///
    /// # Errors
    /// [`Error::Refused`] with the reason in Chinese, [`Error::Database`].
    pub async fn set_review_step(
        &self,
        org: OrgId,
        kind: FlowKind,
        state: FlowState,
        roles: Option<&[Role]>,
        actor: &str,
    ) -> Result<()> {
        if kind.chain() != kind {
            return Err(Error::Refused {
                reason: format!("{}使用{}的审核链，请配置后者", kind.zh(), kind.chain().zh()),
            });
        }
        if let Some(roles) = roles {
            check_step_roles(kind, state, roles).map_err(|reason| Error::Refused { reason })?;
        } else {
            check_step_roles(kind, state, step_roles(state))
                .map_err(|reason| Error::Refused { reason })?;
        }
        if self.department_of(org).await? != org {
            return Err(Error::Refused {
                reason: "审核链按部门配置，处室的项目沿用所在部门的审核链".into(),
            });
        }
        let mut tx = self.write_tx().await?;
        let exists: Option<i64> = sqlx::query_scalar(
            "select organisation_id from organisation where organisation_id = $1",
        )
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            return Err(Error::NotFound {
                what: "单位",
                id: org.0,
            });
        }
        let before: Option<String> = sqlx::query_scalar(
            "select roles from review_step where organisation_id = $1 and kind = $2 and state = $3",
        )
        .bind(org.0)
        .bind(kind.id())
        .bind(state.id())
        .fetch_optional(&mut *tx)
        .await?;
        let at = now();
        match roles {
            Some(roles) => {
                sqlx::query(
                    "insert into review_step (organisation_id, kind, state, roles, created_at, \
                     updated_at) values ($1, $2, $3, $4, $5, $5) \
                     on conflict (organisation_id, kind, state) \
                     do update set roles = excluded.roles, updated_at = excluded.updated_at",
                )
                .bind(org.0)
                .bind(kind.id())
                .bind(state.id())
                .bind(roles_text(roles))
                .bind(&at)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "delete from review_step where organisation_id = $1 and kind = $2 and state = $3",
                )
                .bind(org.0)
                .bind(kind.id())
                .bind(state.id())
                .execute(&mut *tx)
                .await?;
            }
        }
        let default = roles_text(step_roles(state));
        audit::append(
            &mut tx,
            org,
            actor,
            Action::Update,
            &format!("review_chain:{}:{}", kind.id(), state.id()),
            &before.unwrap_or_else(|| default.clone()),
            &roles.map_or(default, roles_text),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes a step: checks it against the rules and the actor's organisation, records it,
    /// freezes a snapshot on submission, and appends it to the audit trail; all or nothing.
    ///
    /// # Errors
    /// [`Error::Refused`] with the reason in Chinese, [`Error::NotFound`].
    pub async fn workflow_act(
        &self,
        project: ProjectId,
        kind: FlowKind,
        action: FlowAction,
        actor: &User,
        reason: Option<&str>,
    ) -> Result<FlowState> {
        // Department steps are the project's own department's (offices included); the finance
        // bureau's reviewers review every organisation. A project never changes organisation,
        // so this is checked before the write transaction.
        let (org, _) = self
            .project_version(project)
            .await?
            .ok_or(Error::NotFound {
                what: "项目",
                id: project.0,
            })?;
        if actor.role != Role::Reviewer && !self.same_department(actor.organisation, org).await? {
            return Err(Error::Refused {
                reason: "只能办理本单位项目的审核流程".into(),
            });
        }
        // The review chain is the department's (a project of an office follows it too).
        let chain_org = self.department_of(org).await?.0;
        let org = org.0;
        let mut tx = self.write_tx().await?;
        let document: String =
            sqlx::query_scalar("select document from project_document where project_id = $1")
                .bind(project.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(Error::NotFound {
                    what: "项目",
                    id: project.0,
                })?;
        let current = sqlx::query(
            "select state, version, snapshot_hash from workflow where project_id = $1 and kind = $2",
        )
        .bind(project.0)
        .bind(kind.id())
        .fetch_optional(&mut *tx)
        .await?;
        let (state, version, submitted) = match current {
            Some(r) => (
                state_of(&r.try_get::<String, _>("state")?)?,
                r.try_get::<i64, _>("version")?,
                r.try_get::<Option<String>, _>("snapshot_hash")?,
            ),
            None => (kind.initial(), 0, None),
        };
        let configured: Option<String> = sqlx::query_scalar(
            "select roles from review_step where organisation_id = $1 and kind = $2 and state = $3",
        )
        .bind(chain_org)
        .bind(kind.chain().id())
        .bind(state.id())
        .fetch_optional(&mut *tx)
        .await?;
        let roles = match configured {
            Some(text) => roles_of(&text)?,
            None => step_roles(state).to_vec(),
        };
        let next = apply_with(kind, state, action, actor.role, reason, &roles)
            .map_err(|e| Error::Refused { reason: e.zh(kind) })?;
        // An adjustment changes approved targets; a self-evaluation judges the approved targets:
        // both need the target sheet approved, and the self-evaluation no adjustment under way.
        if ((kind == FlowKind::Adjustment && action == FlowAction::Open)
            || (kind == FlowKind::SelfEvaluation && action == FlowAction::Submit))
            && flow_state(&mut tx, project, FlowKind::TargetSheet).await? != FlowState::Approved
        {
            return Err(Error::Refused {
                reason: if kind == FlowKind::Adjustment {
                    "绩效目标表尚未批复，直接修改目标表即可，无须调整".into()
                } else {
                    "绩效目标表尚未批复，不能提交绩效自评".into()
                },
            });
        }
        if kind == FlowKind::Adjustment
            && action == FlowAction::Open
            && flow_state(&mut tx, project, FlowKind::SelfEvaluation).await? != FlowState::Draft
        {
            return Err(Error::Refused {
                reason: "绩效自评已提交，本年度绩效目标不能再调整".into(),
            });
        }
        if kind == FlowKind::SelfEvaluation && action == FlowAction::Submit {
            let adjustment = flow_state(&mut tx, project, FlowKind::Adjustment).await?;
            if adjustment != FlowState::Approved {
                return Err(Error::Refused {
                    reason: format!(
                        "绩效目标调整当前为“{}”，须批复后才能提交绩效自评",
                        adjustment.zh(FlowKind::Adjustment)
                    ),
                });
            }
        }
        let at = now();
        let snapshot = if action == FlowAction::Submit {
            // A self-evaluation is judged with the money paid through the ledger by the
            // cut-off date; the snapshot keeps it, so later payments do not change the report.
            let document = if kind == FlowKind::SelfEvaluation {
                let lines = sqlx::query(
                    "select ledger_line_id, fund_request_id, paid_on, purpose, payee, amount_fen, \
                     bank_reference, reverses, reason from ledger_line where project_id = $1 \
                     order by ledger_line_id",
                )
                .bind(project.0)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(crate::funds::ledger_of)
                .collect::<Result<Vec<_>>>()?;
                match jixiao_core::file::project::read(document.as_bytes()).value {
                    Some(p) if !lines.is_empty() => jixiao_core::file::write::project(
                        &crate::funds::with_ledger(&p, &lines, crate::funds::cutoff(&p)),
                    ),
                    _ => document,
                }
            } else {
                document
            };
            let hash = hex(&Sha256::digest(document.as_bytes()));
            sqlx::query(
                "insert into snapshot (snapshot_hash, project_id, document, created_at, updated_at) \
                 values ($1, $2, $3, $4, $4) on conflict (snapshot_hash) do nothing",
            )
            .bind(&hash)
            .bind(project.0)
            .bind(&document)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
            Some(hash)
        } else {
            None
        };
        if version == 0 {
            sqlx::query(
                "insert into workflow (project_id, kind, state, snapshot_hash, version, created_at, \
                 updated_at) values ($1, $2, $3, $4, 1, $5, $5)",
            )
            .bind(project.0)
            .bind(kind.id())
            .bind(next.id())
            .bind(snapshot.as_deref())
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        } else {
            let done = sqlx::query(
                "update workflow set state = $1, snapshot_hash = coalesce($2, snapshot_hash), \
                 version = version + 1, updated_at = $3 \
                 where project_id = $4 and kind = $5 and version = $6",
            )
            .bind(next.id())
            .bind(snapshot.as_deref())
            .bind(&at)
            .bind(project.0)
            .bind(kind.id())
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(Error::Refused {
                    reason: "该流程刚被他人办理，请刷新后再试".into(),
                });
            }
        }
        sqlx::query(
            "insert into workflow_step (project_id, kind, action, from_state, to_state, actor, \
             reason, at, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)",
        )
        .bind(project.0)
        .bind(kind.id())
        .bind(action_id(action))
        .bind(state.id())
        .bind(next.id())
        .bind(&actor.username)
        .bind(reason.map(str::trim).filter(|r| !r.is_empty()))
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        // Every approved version of the targets is kept: the snapshot that was reviewed.
        if next == FlowState::Approved
            && matches!(kind, FlowKind::TargetSheet | FlowKind::Adjustment)
            && let Some(hash) = &submitted
        {
            sqlx::query(
                "insert into target_version (project_id, seq, kind, snapshot_hash, approved_by, \
                 approved_at, created_at, updated_at) \
                 select $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $5, $5 \
                 from target_version where project_id = $1",
            )
            .bind(project.0)
            .bind(kind.id())
            .bind(hash)
            .bind(&actor.username)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        audit::append(
            &mut tx,
            OrgId(org),
            &actor.username,
            Action::Workflow,
            &format!("project:{}/{}", project.0, kind.id()),
            state.zh(kind),
            &format!(
                "{}{}",
                next.zh(kind),
                reason.map(|r| format!("（{r}）")).unwrap_or_default()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }
}
