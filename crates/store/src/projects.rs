//! Projects: the whole case of one project and year, saved and read back in one transaction
//! each, with optimistic locking (a save names the version it read).

use std::collections::BTreeMap;

use jixiao_core::date::Date;
use jixiao_core::num::{Dec, Money, Points};
use jixiao_core::project::{
    Actual, ActualValue, Adjustment, Category, Claimed, Comparator, Direction, Evaluation,
    EvaluationKind, Fact, FundSource, Judgment, PolicyDoc, Project, Receipt, Role, SpendingLine,
    Subcategory, Subject, Target, TargetValue, Tier, Verdict,
};
use jixiao_core::unit::Unit;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use jixiao_core::workflow::{FlowKind, FlowState};

use crate::audit::{self, Action};
use crate::{Error, OrgId, ProjectId, Result, Store, now};

/// A project as stored: its id, organisation and version with the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// Id.
    pub id: ProjectId,
    /// The organisation it belongs to.
    pub organisation: OrgId,
    /// Version, raised by every save.
    pub version: i64,
    /// The data.
    pub project: Project,
}

/// One line of a project list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectSummary {
    /// Id.
    pub id: ProjectId,
    /// Organisation.
    pub organisation: OrgId,
    /// Fiscal year.
    pub year: i32,
    /// Name.
    pub name: String,
    /// Department.
    pub department: String,
    /// Version.
    pub version: i64,
}

/// The joins and filters of the project list ($1 scope, $2 year, $3 department, $4 grade,
/// $5 target-sheet state, $6 self-evaluation state, $7 name pattern), for `concat!`.
macro_rules! project_filters {
    () => {
        " from project p \
         left join workflow ts on ts.project_id = p.project_id and ts.kind = 'target_sheet' \
         left join workflow se on se.project_id = p.project_id and se.kind = 'self_evaluation' \
         where ($1 is null or p.organisation_id = $1 or p.organisation_id in \
         (select organisation_id from organisation where parent_id = $1 and kind = '处室')) \
         and ($2 is null or p.year = $2) and ($3 is null or p.department = $3) \
         and ($4 is null or p.grade = $4) \
         and ($5 is null or coalesce(ts.state, 'draft') = $5) \
         and ($6 is null or coalesce(se.state, 'draft') = $6) \
         and ($7 is null or p.name like $7 escape '\\')"
    };
}

/// What the project list shows of a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectRow {
    /// Id, organisation, year, name, department, version.
    pub summary: ProjectSummary,
    /// The computed total, when the project names a known framework.
    pub score: Option<Points>,
    /// Its grade.
    pub grade: Option<String>,
    /// Where the target sheet stands.
    pub target_sheet: FlowState,
    /// Where the self-evaluation stands.
    pub self_evaluation: FlowState,
}

/// The project list's filters and page.
#[derive(Clone, Debug, Default)]
pub struct ProjectFilter {
    /// The department (with its offices) whose projects are listed; `None` for all.
    pub scope: Option<OrgId>,
    /// Fiscal year.
    pub year: Option<i32>,
    /// Department name as in the project.
    pub department: Option<String>,
    /// Grade (优, 良, 中, 差).
    pub grade: Option<String>,
    /// Target-sheet state.
    pub target_sheet: Option<FlowState>,
    /// Self-evaluation state.
    pub self_evaluation: Option<FlowState>,
    /// Words in the name.
    pub query: Option<String>,
    /// Rows to skip.
    pub offset: i64,
    /// Rows to show.
    pub limit: i64,
}

fn json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_owned())
}

fn corrupt(field: &str, value: impl std::fmt::Display) -> Error {
    Error::Corrupt {
        field: field.to_owned(),
        value: value.to_string(),
    }
}

fn list(row: &AnyRow, col: &str) -> Result<Vec<String>> {
    let text: String = row.try_get(col)?;
    serde_json::from_str(&text).map_err(|_| corrupt(col, text))
}

fn text(row: &AnyRow, col: &str) -> Result<String> {
    Ok(row.try_get(col)?)
}

fn opt(row: &AnyRow, col: &str) -> Result<Option<String>> {
    Ok(row.try_get(col)?)
}

fn date(row: &AnyRow, col: &str) -> Result<Option<Date>> {
    opt(row, col)?
        .map(|t| Date::parse(&t).ok_or_else(|| corrupt(col, &t)))
        .transpose()
}

fn dec(col: &str, t: &str) -> Result<Dec> {
    Dec::parse(t).map_err(|_| corrupt(col, t))
}

fn money(row: &AnyRow, col: &str) -> Result<Money> {
    Ok(Money::from_fen(row.try_get::<i64, _>(col)?))
}

fn points(row: &AnyRow, col: &str) -> Result<Option<Points>> {
    Ok(row.try_get::<Option<i64>, _>(col)?.map(Points::from_centi))
}

fn choice<T>(col: &str, t: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(t).ok_or_else(|| corrupt(col, t))
}

fn pos(k: usize) -> i64 {
    i64::try_from(k).unwrap_or(i64::MAX)
}

impl Store {
    /// Saves a new project under an organisation; returns its id (version 1).
    ///
    /// # Errors
    /// [`Error::Conflict`] when the organisation already has a project of that name and year.
    pub async fn insert_project(&self, org: OrgId, p: &Project, actor: &str) -> Result<ProjectId> {
        let (score, grade) = self.summary(p).await;
        let mut tx = self.write_tx().await?;
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "insert into project (organisation_id, code, name, year, department, office, category, \
             nature, supervisor, contact, start_date, end_date, overall_goal, annual_goal, \
             approval_chain, appropriation_fen, approval_document, version, created_at, updated_at, \
             score_centi, grade) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1, $18, \
             $18, $19, $20) returning project_id",
        )
        .bind(org.0)
        .bind(&p.code)
        .bind(&p.name)
        .bind(i64::from(p.year))
        .bind(&p.department)
        .bind(p.office.as_deref())
        .bind(p.category.as_deref())
        .bind(p.nature.as_deref())
        .bind(p.supervisor.as_deref())
        .bind(p.contact.as_deref())
        .bind(p.start.map(|d| d.to_string()))
        .bind(p.end.map(|d| d.to_string()))
        .bind(p.overall_goal.as_deref())
        .bind(p.annual_goal.as_deref())
        .bind(json(&chain(p)))
        .bind(p.budget.appropriation.fen())
        .bind(p.budget.approval_document.as_deref())
        .bind(&at)
        .bind(score)
        .bind(grade.as_deref())
        .fetch_one(&mut *tx)
        .await?;
        insert_children(&mut tx, id, p, &at).await?;
        let after = jixiao_core::file::write::project(p);
        audit::append(
            &mut tx,
            org,
            actor,
            Action::Create,
            &format!("project:{id}"),
            "",
            &after,
        )
        .await?;
        sqlx::query("insert into project_document (project_id, document) values ($1, $2)")
            .bind(id)
            .bind(&after)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(ProjectId(id))
    }

    /// The computed total (in hundredths) and grade of a project, when it names a framework
    /// that is known (built-in or uploaded).
    async fn summary(&self, p: &Project) -> (Option<i64>, Option<String>) {
        let Some(name) = p.framework_name() else {
            return (None, None);
        };
        match self.framework(name).await {
            Ok(Some(fw)) => {
                let scored = jixiao_core::scoring::score(&fw, p);
                (Some(scored.total.centi()), Some(scored.grade().to_owned()))
            }
            _ => (None, None),
        }
    }

    /// One page of the projects a list shows: filtered, sorted by year (newest first) and
    /// name, with their computed grade and review states; and how many match in all.
    ///
    /// # Errors
    /// [`Error::Database`], [`Error::Corrupt`].
    pub async fn project_page(&self, f: &ProjectFilter) -> Result<(Vec<ProjectRow>, i64)> {
        let pattern = f.query.as_deref().map(|q| {
            let escaped = q
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        });
        let count: i64 = sqlx::query_scalar(concat!("select count(*)", project_filters!()))
            .bind(f.scope.map(|o| o.0))
            .bind(f.year.map(i64::from))
            .bind(f.department.as_deref())
            .bind(f.grade.as_deref())
            .bind(f.target_sheet.map(FlowState::id))
            .bind(f.self_evaluation.map(FlowState::id))
            .bind(pattern.as_deref())
            .fetch_one(&self.pool)
            .await?;
        let rows = sqlx::query(concat!(
            "select p.project_id, p.organisation_id, p.year, p.name, p.department, p.version, \
             p.score_centi, p.grade, coalesce(ts.state, 'draft') as ts_state, \
             coalesce(se.state, 'draft') as se_state",
            project_filters!(),
            " order by p.year desc, p.name, p.project_id limit $8 offset $9"
        ))
        .bind(f.scope.map(|o| o.0))
        .bind(f.year.map(i64::from))
        .bind(f.department.as_deref())
        .bind(f.grade.as_deref())
        .bind(f.target_sheet.map(FlowState::id))
        .bind(f.self_evaluation.map(FlowState::id))
        .bind(pattern.as_deref())
        .bind(f.limit)
        .bind(f.offset)
        .fetch_all(&self.pool)
        .await?;
        let state = |r: &AnyRow, col: &str| -> Result<FlowState> {
            let text: String = r.try_get(col)?;
            FlowState::parse(&text).ok_or_else(|| corrupt("workflow.state", text))
        };
        let list = rows
            .iter()
            .map(|r| {
                Ok(ProjectRow {
                    summary: ProjectSummary {
                        id: ProjectId(r.try_get("project_id")?),
                        organisation: OrgId(r.try_get("organisation_id")?),
                        year: i32::try_from(r.try_get::<i64, _>("year")?)
                            .map_err(|e| corrupt("year", e))?,
                        name: text(r, "name")?,
                        department: text(r, "department")?,
                        version: r.try_get("version")?,
                    },
                    score: r
                        .try_get::<Option<i64>, _>("score_centi")?
                        .map(Points::from_centi),
                    grade: r.try_get("grade")?,
                    target_sheet: state(r, "ts_state")?,
                    self_evaluation: state(r, "se_state")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((list, count))
    }

    /// The years and departments among the projects of a scope, for the list's filters.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn project_facets(&self, scope: Option<OrgId>) -> Result<(Vec<i32>, Vec<String>)> {
        let rows = sqlx::query(
            "select distinct year, department from project \
             where $1 is null or organisation_id = $1 or organisation_id in \
             (select organisation_id from organisation where parent_id = $1 and kind = '处室')",
        )
        .bind(scope.map(|o| o.0))
        .fetch_all(&self.pool)
        .await?;
        let mut years = Vec::new();
        let mut departments = Vec::new();
        for r in &rows {
            if let Ok(y) = i32::try_from(r.try_get::<i64, _>("year")?) {
                years.push(y);
            }
            departments.push(text(r, "department")?);
        }
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        departments.sort();
        departments.dedup();
        Ok((years, departments))
    }

    /// Replaces a project's data, if it is still at `version`; returns the new version.
    ///
    /// # Errors
    /// [`Error::Stale`] when someone saved it since, [`Error::NotFound`].
    pub async fn update_project(
        &self,
        id: ProjectId,
        version: i64,
        p: &Project,
        actor: &str,
    ) -> Result<i64> {
        self.update(id, Some(version), p, actor).await
    }

    /// Replaces a project's data whatever its version (an explicit overwrite, `If-Match: *`);
    /// returns the new version.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub async fn replace_project(&self, id: ProjectId, p: &Project, actor: &str) -> Result<i64> {
        self.update(id, None, p, actor).await
    }

    async fn update(
        &self,
        id: ProjectId,
        version: Option<i64>,
        p: &Project,
        actor: &str,
    ) -> Result<i64> {
        let (score, grade) = self.summary(p).await;
        let mut tx = self.write_tx().await?;
        let at = now();
        // The state being replaced, for the audit trail (read in the same transaction).
        let before = document(&mut tx, id).await?;
        let after = jixiao_core::file::write::project(p);
        // A submitted or approved target sheet is out of its author's hands: the indicators
        // may not change (their actual values may), except in an open adjustment (调整).
        let sheet = crate::workflow::flow_state(&mut tx, id, FlowKind::TargetSheet).await?;
        let adjustment = crate::workflow::flow_state(&mut tx, id, FlowKind::Adjustment).await?;
        let editable = sheet == FlowState::Draft
            || (sheet == FlowState::Approved && adjustment == FlowState::Draft);
        if !editable && let Some((_, text)) = &before {
            let old = jixiao_core::file::project::read(text.as_bytes()).value;
            let defs = |targets: &[Target]| -> Vec<Target> {
                targets
                    .iter()
                    .map(|t| Target {
                        actual: None,
                        ..t.clone()
                    })
                    .collect()
            };
            if old.is_some_and(|o| defs(&o.targets) != defs(&p.targets)) {
                let reason = if sheet != FlowState::Approved {
                    format!(
                        "绩效目标表当前为“{}”，指标不能修改；须由审核人退回后再改",
                        sheet.zh(FlowKind::TargetSheet)
                    )
                } else if adjustment == FlowState::Approved {
                    "绩效目标表已批复，指标不能直接修改；请先发起绩效目标调整（写明原因），\
                     调整经审核批复后生效"
                        .to_owned()
                } else {
                    format!(
                        "绩效目标调整当前为“{}”，指标不能修改；须由审核人退回后再改",
                        adjustment.zh(FlowKind::Adjustment)
                    )
                };
                return Err(Error::Refused { reason });
            }
        }
        // The version check and the write are one statement: two writers cannot both pass.
        let done: Option<i64> = sqlx::query_scalar(
            "update project set code = $1, name = $2, year = $3, department = $4, office = $5, \
             category = $6, nature = $7, supervisor = $8, contact = $9, start_date = $10, \
             end_date = $11, overall_goal = $12, annual_goal = $13, approval_chain = $14, \
             appropriation_fen = $15, approval_document = $16, version = version + 1, \
             updated_at = $17, score_centi = $20, grade = $21 \
             where project_id = $18 and ($19 is null or version = $19) returning version",
        )
        .bind(&p.code)
        .bind(&p.name)
        .bind(i64::from(p.year))
        .bind(&p.department)
        .bind(p.office.as_deref())
        .bind(p.category.as_deref())
        .bind(p.nature.as_deref())
        .bind(p.supervisor.as_deref())
        .bind(p.contact.as_deref())
        .bind(p.start.map(|d| d.to_string()))
        .bind(p.end.map(|d| d.to_string()))
        .bind(p.overall_goal.as_deref())
        .bind(p.annual_goal.as_deref())
        .bind(json(&chain(p)))
        .bind(p.budget.appropriation.fen())
        .bind(p.budget.approval_document.as_deref())
        .bind(&at)
        .bind(id.0)
        .bind(version)
        .bind(score)
        .bind(grade.as_deref())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(new_version) = done else {
            let found: Option<i64> =
                sqlx::query_scalar("select version from project where project_id = $1")
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(match found {
                Some(found) => Error::Stale {
                    expected: version.unwrap_or(found),
                    found,
                },
                None => Error::NotFound {
                    what: "项目",
                    id: id.0,
                },
            });
        };
        sqlx::query("update project_document set document = $1 where project_id = $2")
            .bind(&after)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        for sql in DELETE_CHILDREN {
            sqlx::query(sql).bind(id.0).execute(&mut *tx).await?;
        }
        insert_children(&mut tx, id.0, p, &at).await?;
        if let Some((org, before)) = before {
            audit::append(
                &mut tx,
                org,
                actor,
                Action::Update,
                &format!("project:{}", id.0),
                &before,
                &after,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(new_version)
    }

    /// Reads a project back whole.
    ///
    /// # Errors
    /// [`Error::NotFound`], or [`Error::Corrupt`] for a value the domain refuses.
    pub async fn project(&self, id: ProjectId) -> Result<Stored> {
        // One transaction: the parts are read from one state of the database.
        let mut tx = self.pool.begin().await?;
        let stored = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// A project's organisation and version, without reading it (to validate a cached copy).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn project_version(&self, id: ProjectId) -> Result<Option<(OrgId, i64)>> {
        let row = sqlx::query("select organisation_id, version from project where project_id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((OrgId(r.try_get("organisation_id")?), r.try_get("version")?)))
            .transpose()
    }

    /// The projects of one department and its offices (or of all, for `None`), by year and
    /// name.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn projects(&self, org: Option<OrgId>) -> Result<Vec<ProjectSummary>> {
        let rows = sqlx::query(
            "select project_id, organisation_id, year, name, department, version from project \
             where $1 is null or organisation_id = $1 or organisation_id in \
             (select organisation_id from organisation where parent_id = $1 and kind = '处室') \
             order by year desc, name, project_id",
        )
        .bind(org.map(|o| o.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ProjectSummary {
                    id: ProjectId(r.try_get("project_id")?),
                    organisation: OrgId(r.try_get("organisation_id")?),
                    year: i32::try_from(r.try_get::<i64, _>("year")?)
                        .map_err(|e| corrupt("year", e))?,
                    name: text(r, "name")?,
                    department: text(r, "department")?,
                    version: r.try_get("version")?,
                })
            })
            .collect()
    }

    /// Deletes a project and everything that belongs to it.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub async fn delete_project(&self, id: ProjectId, actor: &str) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let before = document(&mut tx, id).await?.ok_or(Error::NotFound {
            what: "项目",
            id: id.0,
        })?;
        // Children first: SQLite enforces the cascade only with foreign keys on, and being
        // explicit keeps both backends equal.
        for &sql in DELETE_CHILDREN.iter().chain(&DELETE_REVIEWS) {
            sqlx::query(sql).bind(id.0).execute(&mut *tx).await?;
        }
        let done = sqlx::query("delete from project where project_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound {
                what: "项目",
                id: id.0,
            });
        }
        audit::append(
            &mut tx,
            before.0,
            actor,
            Action::Delete,
            &format!("project:{}", id.0),
            &before.1,
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A project's organisation and its current project file text.
async fn document(tx: &mut Transaction<'_, Any>, id: ProjectId) -> Result<Option<(OrgId, String)>> {
    let row = sqlx::query(
        "select p.organisation_id, d.document from project p \
         join project_document d on d.project_id = p.project_id where p.project_id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| Ok((OrgId(r.try_get("organisation_id")?), r.try_get("document")?)))
        .transpose()
}

/// Reads a project whole inside the caller's transaction.
async fn load(tx: &mut Transaction<'_, Any>, id: ProjectId) -> Result<Stored> {
    let row = sqlx::query("select * from project where project_id = $1")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::NotFound {
            what: "项目",
            id: id.0,
        })?;
    let roles = list(&row, "approval_chain")?;
    let mut p = Project {
        code: text(&row, "code")?,
        name: text(&row, "name")?,
        year: i32::try_from(row.try_get::<i64, _>("year")?).map_err(|e| corrupt("year", e))?,
        department: text(&row, "department")?,
        office: opt(&row, "office")?,
        category: opt(&row, "category")?,
        nature: opt(&row, "nature")?,
        supervisor: opt(&row, "supervisor")?,
        contact: opt(&row, "contact")?,
        start: date(&row, "start_date")?,
        end: date(&row, "end_date")?,
        overall_goal: opt(&row, "overall_goal")?,
        annual_goal: opt(&row, "annual_goal")?,
        approval_chain: roles
            .iter()
            .map(|r| choice("approval_chain", r, Role::parse))
            .collect::<Result<_>>()?,
        ..Project::default()
    };
    p.budget.appropriation = money(&row, "appropriation_fen")?;
    p.budget.approval_document = opt(&row, "approval_document")?;
    let stored_meta = (
        OrgId(row.try_get("organisation_id")?),
        row.try_get::<i64, _>("version")?,
    );
    let rows = |sql: &'static str| sqlx::query(sql).bind(id.0);
    for r in rows("select * from policy_document where project_id = $1 order by position")
        .fetch_all(&mut **tx)
        .await?
    {
        p.policy_basis.push(PolicyDoc {
            title: text(&r, "title")?,
            number: opt(&r, "number")?,
            issuer: opt(&r, "issuer")?,
        });
    }
    for r in rows("select * from project_fact where project_id = $1 order by position")
        .fetch_all(&mut **tx)
        .await?
    {
        p.facts.push(Fact {
            name: text(&r, "name")?,
            value: dec("project_fact.value", &text(&r, "value")?)?,
            unit: Unit::parse(&text(&r, "unit")?),
            source: opt(&r, "source")?,
            note: opt(&r, "note")?,
        });
    }
    for r in rows("select * from budget_adjustment where project_id = $1 order by position")
        .fetch_all(&mut **tx)
        .await?
    {
        p.budget.adjustments.push(Adjustment {
            date: date(&r, "adjusted_on")?,
            amount: money(&r, "amount_fen")?,
            document: opt(&r, "document")?,
            reason: opt(&r, "reason")?,
        });
    }
    for r in rows("select * from fund_receipt where project_id = $1 order by position")
        .fetch_all(&mut **tx)
        .await?
    {
        p.budget.receipts.push(Receipt {
            source: choice(
                "fund_receipt.source",
                &text(&r, "source")?,
                FundSource::parse,
            )?,
            date: date(&r, "received_on")?,
            amount: money(&r, "amount_fen")?,
            note: opt(&r, "note")?,
        });
    }
    for r in rows("select * from spending_line where project_id = $1 order by position")
        .fetch_all(&mut **tx)
        .await?
    {
        p.budget.spending.push(SpendingLine {
            date: date(&r, "paid_on")?,
            purpose: text(&r, "purpose")?,
            amount: money(&r, "amount_fen")?,
            payee: opt(&r, "payee")?,
            functional_code: opt(&r, "functional_code")?,
            economic_code: opt(&r, "economic_code")?,
            targets: list(&r, "target_ids")?,
            note: opt(&r, "note")?,
        });
    }
    for r in rows("select * from target where project_id = $1 order by position")
        .fetch_all(&mut **tx)
        .await?
    {
        p.targets.push(target(&r)?);
    }
    if let Some(r) = rows("select * from evaluation where project_id = $1")
        .fetch_optional(&mut **tx)
        .await?
    {
        p.evaluation = Evaluation {
            kind: opt(&r, "kind")?
                .map(|k| choice("evaluation.kind", &k, EvaluationKind::parse))
                .transpose()?,
            framework: opt(&r, "framework")?,
            leader: opt(&r, "leader")?,
            members: list(&r, "members")?,
            principles: list(&r, "principles")?,
            methods: list(&r, "methods")?,
            start: date(&r, "start_date")?,
            end: date(&r, "end_date")?,
            signed: date(&r, "signed_on")?,
            cutoff: date(&r, "cutoff_on")?,
            limitations: opt(&r, "limitations")?,
            ..Evaluation::default()
        };
        p.claimed = Claimed {
            total: points(&r, "claimed_total_centi")?,
            grade: opt(&r, "claimed_grade")?,
            source: opt(&r, "claimed_source")?,
            nodes: BTreeMap::new(),
        };
    }
    for r in rows("select * from evaluation_node where project_id = $1 order by code")
        .fetch_all(&mut **tx)
        .await?
    {
        let code = text(&r, "code")?;
        if let Some(w) = points(&r, "weight_centi")? {
            p.evaluation.weights.insert(code.clone(), w);
        }
        if let Some(n) = opt(&r, "name")? {
            p.evaluation.names.insert(code.clone(), n);
        }
        if let Some(c) = points(&r, "claimed_centi")? {
            p.claimed.nodes.insert(code, c);
        }
    }
    for r in rows("select * from judgment where project_id = $1 order by position")
        .fetch_all(&mut **tx)
        .await?
    {
        p.evaluation.judgments.push(judgment(&r)?);
    }
    for r in rows("select * from narrative_section where project_id = $1")
        .fetch_all(&mut **tx)
        .await?
    {
        p.narrative
            .insert(text(&r, "section_key")?, text(&r, "body")?);
    }
    Ok(Stored {
        id,
        organisation: stored_meta.0,
        version: stored_meta.1,
        project: p,
    })
}

/// Deleting a project's review records (only when the project itself is deleted).
const DELETE_REVIEWS: [&str; 3] = [
    "delete from workflow_step where project_id = $1",
    "delete from workflow where project_id = $1",
    "delete from snapshot where project_id = $1",
];

/// Deleting a project's parts (they are replaced wholesale on save), one table each.
const DELETE_CHILDREN: [&str; 10] = [
    "delete from policy_document where project_id = $1",
    "delete from project_fact where project_id = $1",
    "delete from budget_adjustment where project_id = $1",
    "delete from fund_receipt where project_id = $1",
    "delete from spending_line where project_id = $1",
    "delete from target where project_id = $1",
    "delete from evaluation where project_id = $1",
    "delete from evaluation_node where project_id = $1",
    "delete from judgment where project_id = $1",
    "delete from narrative_section where project_id = $1",
];

fn chain(p: &Project) -> Vec<String> {
    p.approval_chain.iter().map(|r| r.zh().to_owned()).collect()
}

fn target(r: &AnyRow) -> Result<Target> {
    let comparator = choice(
        "target.comparator",
        &text(r, "comparator")?,
        Comparator::parse,
    )?;
    let value = match (opt(r, "value_number")?, opt(r, "value_text")?) {
        (Some(n), _) => TargetValue::Number(dec("target.value_number", &n)?),
        (None, Some(t)) => TargetValue::Text(t),
        (None, None) => return Err(corrupt("target.value", "")),
    };
    let actual = match opt(r, "actual_kind")?.as_deref() {
        None => None,
        Some(kind) => {
            let value = match kind {
                "number" => ActualValue::Number {
                    value: dec("target.actual_number", &text(r, "actual_number")?)?,
                    unit: Unit::parse(&opt(r, "actual_unit")?.unwrap_or_default()),
                },
                "counts" => ActualValue::Counts {
                    numerator: dec("target.actual_numerator", &text(r, "actual_numerator")?)?,
                    denominator: dec("target.actual_denominator", &text(r, "actual_denominator")?)?,
                },
                "text" => ActualValue::Text(text(r, "actual_text")?),
                other => return Err(corrupt("target.actual_kind", other)),
            };
            Some(Actual {
                value,
                note: opt(r, "actual_note")?,
                deviation_reason: opt(r, "deviation_reason")?,
                measures: opt(r, "measures")?,
                evidence: list(r, "evidence")?,
            })
        }
    };
    Ok(Target {
        id: text(r, "target_key")?.into(),
        category: choice("target.category", &text(r, "category")?, Category::parse)?,
        subcategory: choice(
            "target.subcategory",
            &text(r, "subcategory")?,
            Subcategory::parse,
        )?,
        name: text(r, "name")?,
        comparator,
        value,
        unit: Unit::parse(&text(r, "unit")?),
        direction: choice("target.direction", &text(r, "direction")?, Direction::parse)?,
        weight: points(r, "weight_centi")?,
        explanation: opt(r, "explanation")?,
        basis: opt(r, "basis")?,
        actual,
    })
}

fn judgment(r: &AnyRow) -> Result<Judgment> {
    let subject = match text(r, "subject_kind")?.as_str() {
        "node" => Subject::Node(text(r, "subject")?.into()),
        "target" => Subject::Target(text(r, "subject")?.into()),
        other => return Err(corrupt("judgment.subject_kind", other)),
    };
    let value = opt(r, "verdict_value")?;
    let pts = |v: &Option<String>| -> Result<Points> {
        let t = v.as_deref().unwrap_or_default();
        Points::from_dec(dec("judgment.verdict_value", t)?)
            .map_err(|_| corrupt("judgment.verdict_value", t))
    };
    let verdict = match text(r, "verdict_kind")?.as_str() {
        "score" => Verdict::Score(pts(&value)?),
        "deduction" => Verdict::Deduction(pts(&value)?),
        "share" => Verdict::Share(dec(
            "judgment.verdict_value",
            value.as_deref().unwrap_or_default(),
        )?),
        "not_applicable" => Verdict::NotApplicable,
        other => return Err(corrupt("judgment.verdict_kind", other)),
    };
    Ok(Judgment {
        subject,
        verdict,
        tier: opt(r, "tier")?
            .map(|t| choice("judgment.tier", &t, Tier::parse))
            .transpose()?,
        reason: opt(r, "reason")?,
        evidence: list(r, "evidence")?,
    })
}

/// A value to bind in a batch insert.
enum Val {
    I(i64),
    OptI(Option<i64>),
    S(String),
    OptS(Option<String>),
}

fn s(v: &str) -> Val {
    Val::S(v.to_owned())
}

fn os(v: Option<&str>) -> Val {
    Val::OptS(v.map(str::to_owned))
}

/// Inserts rows into one table with as few statements as the parameter limits allow (one
/// round trip per few hundred rows instead of one per row).
async fn insert_rows(
    tx: &mut Transaction<'_, Any>,
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Val>>,
) -> Result<()> {
    let per = columns.len();
    let batch = (30_000 / per).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(batch).collect();
        let mut sql = format!("insert into {table} ({}) values ", columns.join(", "));
        let mut n = 0;
        for (r, row) in chunk.iter().enumerate() {
            debug_assert_eq!(row.len(), per);
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..per {
                n += 1;
                sql.push_str(&format!("{}${n}", if c == 0 { "" } else { ", " }));
            }
            sql.push(')');
        }
        // Only this crate's table and column names and numbered placeholders are in the text.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            for v in row {
                q = match v {
                    Val::I(x) => q.bind(x),
                    Val::OptI(x) => q.bind(x),
                    Val::S(x) => q.bind(x),
                    Val::OptS(x) => q.bind(x),
                };
            }
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_children(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    p: &Project,
    at: &str,
) -> Result<()> {
    let date = |d: Option<Date>| Val::OptS(d.map(|d| d.to_string()));
    let rows = |n: usize, f: &dyn Fn(usize) -> Vec<Val>| (0..n).map(f).collect::<Vec<_>>();
    insert_rows(
        tx,
        "policy_document",
        &[
            "project_id",
            "position",
            "title",
            "number",
            "issuer",
            "created_at",
        ],
        rows(p.policy_basis.len(), &|k| {
            let d = &p.policy_basis[k];
            vec![
                Val::I(id),
                Val::I(pos(k)),
                s(&d.title),
                os(d.number.as_deref()),
                os(d.issuer.as_deref()),
                s(at),
            ]
        }),
    )
    .await?;
    insert_rows(
        tx,
        "project_fact",
        &[
            "project_id",
            "position",
            "name",
            "value",
            "unit",
            "source",
            "note",
            "created_at",
        ],
        rows(p.facts.len(), &|k| {
            let f = &p.facts[k];
            vec![
                Val::I(id),
                Val::I(pos(k)),
                s(&f.name),
                Val::S(f.value.to_string()),
                s(f.unit.as_str()),
                os(f.source.as_deref()),
                os(f.note.as_deref()),
                s(at),
            ]
        }),
    )
    .await?;
    let b = &p.budget;
    insert_rows(
        tx,
        "budget_adjustment",
        &[
            "project_id",
            "position",
            "adjusted_on",
            "amount_fen",
            "document",
            "reason",
            "created_at",
        ],
        rows(b.adjustments.len(), &|k| {
            let a = &b.adjustments[k];
            vec![
                Val::I(id),
                Val::I(pos(k)),
                date(a.date),
                Val::I(a.amount.fen()),
                os(a.document.as_deref()),
                os(a.reason.as_deref()),
                s(at),
            ]
        }),
    )
    .await?;
    insert_rows(
        tx,
        "fund_receipt",
        &[
            "project_id",
            "position",
            "source",
            "received_on",
            "amount_fen",
            "note",
            "created_at",
        ],
        rows(b.receipts.len(), &|k| {
            let r = &b.receipts[k];
            vec![
                Val::I(id),
                Val::I(pos(k)),
                s(r.source.zh()),
                date(r.date),
                Val::I(r.amount.fen()),
                os(r.note.as_deref()),
                s(at),
            ]
        }),
    )
    .await?;
    insert_rows(
        tx,
        "spending_line",
        &[
            "project_id",
            "position",
            "paid_on",
            "purpose",
            "amount_fen",
            "payee",
            "functional_code",
            "economic_code",
            "target_ids",
            "note",
            "created_at",
        ],
        rows(b.spending.len(), &|k| {
            let l = &b.spending[k];
            vec![
                Val::I(id),
                Val::I(pos(k)),
                date(l.date),
                s(&l.purpose),
                Val::I(l.amount.fen()),
                os(l.payee.as_deref()),
                os(l.functional_code.as_deref()),
                os(l.economic_code.as_deref()),
                Val::S(json(&l.targets)),
                os(l.note.as_deref()),
                s(at),
            ]
        }),
    )
    .await?;
    insert_rows(
        tx,
        "target",
        &[
            "project_id",
            "position",
            "target_key",
            "category",
            "subcategory",
            "name",
            "comparator",
            "value_number",
            "value_text",
            "unit",
            "direction",
            "weight_centi",
            "explanation",
            "basis",
            "actual_kind",
            "actual_number",
            "actual_unit",
            "actual_numerator",
            "actual_denominator",
            "actual_text",
            "actual_note",
            "deviation_reason",
            "measures",
            "evidence",
            "created_at",
        ],
        rows(p.targets.len(), &|k| target_row(id, k, &p.targets[k], at)),
    )
    .await?;
    insert_evaluation(tx, id, p, at).await?;
    insert_rows(
        tx,
        "narrative_section",
        &["project_id", "section_key", "body", "created_at"],
        p.narrative
            .iter()
            .map(|(key, body)| vec![Val::I(id), s(key), s(body), s(at)])
            .collect(),
    )
    .await?;
    Ok(())
}

fn target_row(id: i64, k: usize, t: &Target, at: &str) -> Vec<Val> {
    let (number, value_text) = match &t.value {
        TargetValue::Number(d) => (Some(d.to_string()), None),
        TargetValue::Text(x) => (None, Some(x.clone())),
    };
    let a = t.actual.as_ref();
    let (kind, a_number, a_unit, a_num, a_den, a_text) = match a.map(|a| &a.value) {
        None => (None, None, None, None, None, None),
        Some(ActualValue::Number { value, unit }) => (
            Some("number"),
            Some(value.to_string()),
            Some(unit.as_str().to_owned()),
            None,
            None,
            None,
        ),
        Some(ActualValue::Counts {
            numerator,
            denominator,
        }) => (
            Some("counts"),
            None,
            None,
            Some(numerator.to_string()),
            Some(denominator.to_string()),
            None,
        ),
        Some(ActualValue::Text(x)) => (Some("text"), None, None, None, None, Some(x.clone())),
    };
    vec![
        Val::I(id),
        Val::I(pos(k)),
        s(&t.id),
        s(t.category.zh()),
        s(t.subcategory.zh()),
        s(&t.name),
        s(t.comparator.symbol()),
        Val::OptS(number),
        Val::OptS(value_text),
        s(t.unit.as_str()),
        s(t.direction.zh()),
        Val::OptI(t.weight.map(Points::centi)),
        os(t.explanation.as_deref()),
        os(t.basis.as_deref()),
        os(kind),
        Val::OptS(a_number),
        Val::OptS(a_unit),
        Val::OptS(a_num),
        Val::OptS(a_den),
        Val::OptS(a_text),
        os(a.and_then(|a| a.note.as_deref())),
        os(a.and_then(|a| a.deviation_reason.as_deref())),
        os(a.and_then(|a| a.measures.as_deref())),
        Val::OptS(a.map(|a| json(&a.evidence))),
        s(at),
    ]
}

async fn insert_evaluation(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    p: &Project,
    at: &str,
) -> Result<()> {
    let e = &p.evaluation;
    let c = &p.claimed;
    let date = |d: Option<Date>| Val::OptS(d.map(|d| d.to_string()));
    insert_rows(
        tx,
        "evaluation",
        &[
            "project_id",
            "kind",
            "framework",
            "leader",
            "members",
            "principles",
            "methods",
            "start_date",
            "end_date",
            "signed_on",
            "cutoff_on",
            "limitations",
            "claimed_total_centi",
            "claimed_grade",
            "claimed_source",
            "created_at",
            "updated_at",
        ],
        vec![vec![
            Val::I(id),
            os(e.kind.map(EvaluationKind::zh)),
            os(e.framework.as_deref()),
            os(e.leader.as_deref()),
            Val::S(json(&e.members)),
            Val::S(json(&e.principles)),
            Val::S(json(&e.methods)),
            date(e.start),
            date(e.end),
            date(e.signed),
            date(e.cutoff),
            os(e.limitations.as_deref()),
            Val::OptI(c.total.map(Points::centi)),
            os(c.grade.as_deref()),
            os(c.source.as_deref()),
            s(at),
            s(at),
        ]],
    )
    .await?;
    let mut codes: Vec<&String> = e
        .weights
        .keys()
        .chain(e.names.keys())
        .chain(c.nodes.keys())
        .collect();
    codes.sort();
    codes.dedup();
    insert_rows(
        tx,
        "evaluation_node",
        &[
            "project_id",
            "code",
            "weight_centi",
            "name",
            "claimed_centi",
            "created_at",
        ],
        codes
            .into_iter()
            .map(|code| {
                vec![
                    Val::I(id),
                    s(code),
                    Val::OptI(e.weights.get(code).map(|w| w.centi())),
                    os(e.names.get(code).map(String::as_str)),
                    Val::OptI(c.nodes.get(code).map(|w| w.centi())),
                    s(at),
                ]
            })
            .collect(),
    )
    .await?;
    insert_rows(
        tx,
        "judgment",
        &[
            "project_id",
            "position",
            "subject_kind",
            "subject",
            "verdict_kind",
            "verdict_value",
            "tier",
            "reason",
            "evidence",
            "created_at",
        ],
        e.judgments
            .iter()
            .enumerate()
            .map(|(k, j)| {
                let (subject_kind, subject) = match &j.subject {
                    Subject::Node(c) => ("node", c),
                    Subject::Target(t) => ("target", t),
                };
                let (verdict_kind, value) = match j.verdict {
                    Verdict::Score(x) => ("score", Some(x.to_string())),
                    Verdict::Share(d) => ("share", Some(d.to_string())),
                    Verdict::Deduction(x) => ("deduction", Some(x.to_string())),
                    Verdict::NotApplicable => ("not_applicable", None),
                };
                vec![
                    Val::I(id),
                    Val::I(pos(k)),
                    s(subject_kind),
                    s(subject),
                    s(verdict_kind),
                    Val::OptS(value),
                    os(j.tier.map(Tier::zh)),
                    os(j.reason.as_deref()),
                    Val::S(json(&j.evidence)),
                    s(at),
                ]
            })
            .collect(),
    )
    .await?;
    Ok(())
}
