//! Run-time monitoring through the API: a project's rounds and warnings, a round's values
//! (checked field by field, nothing saved when one is wrong), submission, answers to warnings,
//! the overview by warning level, and the administrators' rules and calendar. The pages use
//! the same value reader, so a value is refused the same way in both.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jixiao_core::date::Date;
use jixiao_core::monitor::{self, Cause, Decision, Level, Likelihood};
use jixiao_core::num::{Dec, Money};
use jixiao_core::project::{Project, Role};
use jixiao_store::{OrgId, OverviewFilter, OverviewRow, Round, RoundValue, StoredWarning};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::handlers::{BodyType, current, json_body, json_error, require_body, visible_project};

fn money(m: Money) -> Value {
    json!({ "fen": m.fen(), "yuan": m.yuan() })
}

/// A rate as a percent string with two decimals, rounded half-up.
pub(crate) fn rate(part: Money, whole: Money) -> Option<String> {
    part.ratio_to(whole).map(|r| r.percent(2).to_string())
}

pub(crate) fn round_json(r: &Round) -> Value {
    json!({
        "id": r.id,
        "project": r.project.0,
        "period_end": r.period_end.to_string(),
        "state": r.state.id(),
        "state_name": r.state.zh(),
        "summary": r.summary,
        "expected_spending": r.expected.map(money),
        "executed": r.executed.map(money),
        "budget": r.budget.map(money),
        "execution_rate": r.executed.zip(r.budget).and_then(|(e, b)| rate(e, b)),
        "level": r.level.map(Level::id),
        "level_name": r.level.map(Level::zh),
        "version": r.version,
        "submitted_by": r.submitted.as_ref().map(|s| s.0.clone()),
        "submitted_on": r.submitted.as_ref().map(|s| s.1.to_string()),
        "values": r.values.iter().map(|v| json!({
            "target": v.target,
            "achieved": v.achieved.map(|d| d.to_string()),
            "expected": v.expected.map(|d| d.to_string()),
            "likelihood": v.likelihood.map(Likelihood::id),
            "causes": v.causes.iter().map(|c| c.id()).collect::<Vec<_>>(),
            "cause_text": v.cause_text,
            "measures": v.measures,
            "note": v.note,
        })).collect::<Vec<_>>(),
    })
}

pub(crate) fn warning_json(w: &StoredWarning) -> Value {
    json!({
        "id": w.id,
        "project": w.project.0,
        "round": w.round,
        "kind": w.kind,
        "subject": w.subject,
        "level": w.level.id(),
        "level_name": w.level.zh(),
        "message": w.message,
        "raised_on": w.raised_on.to_string(),
        "deadline": w.deadline.map(|d| d.to_string()),
        "escalated_at": w.escalated_at,
        "response": w.response.as_ref().map(|r| json!({
            "cause": r.cause,
            "measure": r.measure,
            "decision": r.decision.id(),
            "decision_name": r.decision.zh(),
            "by": r.by,
            "at": r.at,
        })),
    })
}

fn store_error(e: &jixiao_store::Error) -> Response {
    match e {
        jixiao_store::Error::Refused { .. } => json_error(StatusCode::CONFLICT, "refused", &e.zh()),
        jixiao_store::Error::NotFound { .. } => {
            json_error(StatusCode::NOT_FOUND, "not_found", &e.zh())
        }
        _ => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// One indicator's values as typed (API JSON or page form).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawValue {
    pub target: String,
    #[serde(default)]
    pub achieved: Option<String>,
    #[serde(default)]
    pub expected: Option<String>,
    #[serde(default)]
    pub likelihood: Option<String>,
    #[serde(default)]
    pub causes: Vec<String>,
    #[serde(default)]
    pub cause_text: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A number typed for an indicator: digits with an optional unit or `%` after them.
fn number(text: &str, unit: &str) -> Result<Option<Dec>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let t = t
        .strip_suffix(unit)
        .filter(|_| !unit.is_empty())
        .unwrap_or(t);
    let t = t.trim().trim_end_matches(['%', '％']).replace(',', "");
    Dec::parse(&t).map(Some).map_err(|_| ())
}

/// Reads the typed values against the project's target sheet. `field(i, target, name)` names a
/// field in the caller's terms (`values[0].achieved`, `achieved-T01`); every problem is
/// returned with its field, and nothing is kept when there is one.
pub(crate) fn read_values(
    project: &Project,
    raw: &[RawValue],
    field: &dyn Fn(usize, &str, &str) -> String,
) -> Result<Vec<RoundValue>, Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let Some(t) = project.target(r.target.trim()) else {
            errors.push((
                field(i, &r.target, "target"),
                format!("指标「{}」不在绩效目标表中", r.target),
            ));
            continue;
        };
        let label = format!("{}“{}”", t.id, t.name);
        let unit = t.unit.to_string();
        let mut num = |name: &str, what: &str, text: Option<&str>| {
            number(text.unwrap_or(""), &unit).unwrap_or_else(|()| {
                errors.push((
                    field(i, &t.id, name),
                    format!(
                        "{label}的{what}「{}」不是数字（单位：{}）",
                        text.unwrap_or("").trim(),
                        if unit.is_empty() { "无" } else { &unit }
                    ),
                ));
                None
            })
        };
        let achieved = num("achieved", "截至当期完成值", r.achieved.as_deref());
        let expected = num("expected", "全年预计完成值", r.expected.as_deref());
        let likelihood = match r.likelihood.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(l) => Likelihood::parse(l).or_else(|| {
                errors.push((
                    field(i, &t.id, "likelihood"),
                    format!("{label}的完成可能性「{l}」应为确定能、有可能或完全不可能"),
                ));
                None
            }),
        };
        let mut causes = Vec::new();
        for c in &r.causes {
            match Cause::parse(c) {
                Some(c) if !causes.contains(&c) => causes.push(c),
                Some(_) => {}
                None => errors.push((
                    field(i, &t.id, "causes"),
                    format!("{label}的偏差原因「{c}」应为经费保障、制度保障、人员保障、硬件条件保障或其他"),
                )),
            }
        }
        if causes.contains(&Cause::Other)
            && r.cause_text.as_deref().is_none_or(|s| s.trim().is_empty())
        {
            errors.push((
                field(i, &t.id, "cause_text"),
                format!("{label}：偏差原因选了“其他”，请说明"),
            ));
        }
        if likelihood == Some(Likelihood::Impossible)
            && r.measures.as_deref().is_none_or(|s| s.trim().is_empty())
        {
            errors.push((
                field(i, &t.id, "measures"),
                format!("{label}：完全不可能完成时须写明纠偏措施"),
            ));
        }
        if out.iter().any(|v: &RoundValue| v.target == t.id) {
            errors.push((field(i, &t.id, "target"), format!("{label}填了两次")));
        }
        out.push(RoundValue {
            target: t.id.to_string(),
            achieved,
            expected,
            likelihood,
            causes,
            cause_text: r.cause_text.clone(),
            measures: r.measures.clone(),
            note: r.note.clone(),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The next round date the rules give for a project that has `rounds` already.
pub(crate) fn next_period_end(rules: &monitor::Rules, year: i32, rounds: &[Round]) -> Option<Date> {
    rules
        .rounds
        .iter()
        .filter_map(|(m, d)| Date::new(year, *m, *d))
        .find(|d| !rounds.iter().any(|r| r.period_end == *d))
}

/// `GET /api/v1/projects/{id}/monitoring`: the rounds and the warnings.
pub async fn project(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let result = async {
        let stored = state.store.project(id).await?;
        let rounds = state.store.rounds(id).await?;
        let warnings = state.store.warnings(id).await?;
        let (rules, _) = state.store.monitoring_rules().await?;
        Ok::<_, jixiao_store::Error>(json!({
            "next_period_end": next_period_end(&rules, stored.project.year, &rounds)
                .map(|d| d.to_string()),
            "rounds": rounds.iter().map(round_json).collect::<Vec<_>>(),
            "warnings": warnings.iter().map(warning_json).collect::<Vec<_>>(),
        }))
    }
    .await;
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => store_error(&e),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRound {
    period_end: String,
}

/// `POST /api/v1/projects/{id}/monitoring`: opens a round (`{"period_end": "2022-07-31"}`).
pub async fn open(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let (s, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let req: NewRound = match json_body(&headers, &body, r#"{"period_end": "2022-07-31"}"#) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let Some(date) = Date::parse(&req.period_end) else {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_date",
            &format!(
                "period_end：「{}」不是日期（如 2022-07-31）",
                req.period_end
            ),
        );
    };
    let Ok(stored) = state.store.project(id).await else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
    };
    if !may_report(&state, &s.user, stored.organisation).await {
        return forbidden_to_report();
    }
    if date.year() != stored.project.year {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_date",
            &format!(
                "period_end：截至日期 {date} 不在项目的年度 {} 年内",
                stored.project.year
            ),
        );
    }
    match state.store.open_round(id, &s.user, date).await {
        Ok(r) => (StatusCode::CREATED, axum::Json(round_json(&r))).into_response(),
        Err(e) => store_error(&e),
    }
}

/// Whether `user` may fill in the monitoring of a project of `org`: an officer or head of
/// office of its department.
pub(crate) async fn may_report(state: &AppState, user: &jixiao_store::User, org: OrgId) -> bool {
    matches!(user.role, Role::Officer | Role::HeadOfOffice)
        && crate::handlers::same_department(state, user, org).await
}

/// Whether `user` may answer the warnings of a project of `org`.
pub(crate) async fn may_answer(state: &AppState, user: &jixiao_store::User, org: OrgId) -> bool {
    matches!(
        user.role,
        Role::Officer | Role::HeadOfOffice | Role::DeputyLeader | Role::UnitHead
    ) && crate::handlers::same_department(state, user, org).await
}

fn forbidden_to_report() -> Response {
    json_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        "只有本单位的经办人或部门负责人可以填报绩效运行监控",
    )
}

/// The caller and a round of a project the caller may see.
async fn visible_round(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(jixiao_store::Session, Round, jixiao_store::Stored), Response> {
    if current(state, headers).await.is_none() {
        return Err(json_error(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录",
        ));
    }
    let Ok(id) = id.parse::<i64>() else {
        return Err(json_error(
            StatusCode::BAD_REQUEST,
            "bad_id",
            "监控编号应为整数",
        ));
    };
    let round = state.store.round(id).await.map_err(|e| store_error(&e))?;
    let (s, project, _) = visible_project(state, headers, &round.project.0.to_string()).await?;
    let stored = state
        .store
        .project(project)
        .await
        .map_err(|e| store_error(&e))?;
    Ok((s, round, stored))
}

/// Where a round stands: for a draft what its warnings would be now, for a submitted round its
/// snapshot and the warnings it raised.
pub(crate) async fn standing(
    state: &AppState,
    round: &Round,
    project: &Project,
) -> Result<(Money, Money, Vec<(Level, String, String)>), jixiao_store::Error> {
    if round.state == jixiao_store::RoundState::Submitted {
        let warnings = state.store.warnings(round.project).await?;
        Ok((
            round.executed.unwrap_or_default(),
            round.budget.unwrap_or_default(),
            warnings
                .into_iter()
                .filter(|w| w.round == round.id)
                .map(|w| (w.level, w.kind, w.message))
                .collect(),
        ))
    } else {
        let (situation, warnings) = state.store.assess_round(round, project).await?;
        Ok((
            situation.executed,
            situation.budget,
            warnings
                .into_iter()
                .map(|w| (w.level, w.kind.to_owned(), w.message))
                .collect(),
        ))
    }
}

/// `GET /api/v1/monitoring/{round}`: the round, its values and where it stands.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, round, stored) = match visible_round(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (executed, budget, warnings) = match standing(&state, &round, &stored.project).await {
        Ok(v) => v,
        Err(e) => return store_error(&e),
    };
    let mut v = round_json(&round);
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "standing".into(),
            json!({
                "executed": money(executed),
                "budget": money(budget),
                "execution_rate": rate(executed, budget),
                "time_elapsed": monitor::elapsed(stored.project.year, round.period_end)
                    .percent(2).to_string(),
                "warnings": warnings.iter().map(|(level, kind, message)| json!({
                    "level": level.id(), "kind": kind, "message": message,
                })).collect::<Vec<_>>(),
            }),
        );
    }
    axum::Json(v).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveRound {
    version: i64,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    expected_spending: Option<String>,
    #[serde(default)]
    values: Vec<RawValue>,
}

/// Reads an optional amount in yuan (at most two decimals, not negative).
pub(crate) fn optional_amount(text: Option<&str>) -> Result<Option<Money>, String> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => match crate::funds::amount_of(t) {
            Ok(m) => Ok(Some(m)),
            Err(_) if Money::parse(t).is_ok_and(|m| m.fen() == 0) => Ok(Some(Money::ZERO)),
            Err(m) => Err(m.replacen("amount：", "", 1)),
        },
    }
}

/// `PUT /api/v1/monitoring/{round}`: saves a draft's summary, expected spending and values.
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let (s, round, stored) = match visible_round(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(r) = require_body(&headers, BodyType::Json) {
        return r;
    }
    let req = match serde_json::from_slice::<SaveRound>(&body) {
        Ok(r) => r,
        Err(e) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                &format!(
                    "请求体应为 {{\"version\": …, \"summary\": …, \"expected_spending\": \"700000\", \"values\": [{{\"target\": \"T01\", \"achieved\": \"6\", …}}]}}（第 {} 行第 {} 列）",
                    e.line(),
                    e.column()
                ),
            );
        }
    };
    if !may_report(&state, &s.user, stored.organisation).await {
        return forbidden_to_report();
    }
    let mut problems = Vec::new();
    let expected = optional_amount(req.expected_spending.as_deref()).unwrap_or_else(|m| {
        problems.push(format!("expected_spending：{m}"));
        None
    });
    let values = read_values(&stored.project, &req.values, &|i, _, name| {
        format!("values[{i}].{name}")
    })
    .unwrap_or_else(|errors| {
        problems.extend(errors.into_iter().map(|(f, m)| format!("{f}：{m}")));
        Vec::new()
    });
    if !problems.is_empty() {
        return crate::handlers::problems("invalid_values", &problems);
    }
    match state
        .store
        .save_round(
            round.id,
            &s.user,
            req.version,
            req.summary.as_deref(),
            expected,
            &values,
        )
        .await
    {
        Ok(r) => axum::Json(round_json(&r)).into_response(),
        Err(e) => store_error(&e),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    version: i64,
}

/// `POST /api/v1/monitoring/{round}/submission`: submits the round, raising its warnings.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let (s, round, stored) = match visible_round(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let req: Submit = match json_body(&headers, &body, r#"{"version": …}"#) {
        Ok(r) => r,
        Err(r) => return r,
    };
    if !may_report(&state, &s.user, stored.organisation).await {
        return forbidden_to_report();
    }
    match state
        .store
        .submit_round(round.id, &s.user, req.version, jixiao_store::today())
        .await
    {
        Ok((r, warnings)) => axum::Json(json!({
            "round": round_json(&r),
            "warnings": warnings.iter().filter(|w| w.round == r.id).map(warning_json).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => store_error(&e),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    cause: String,
    measure: String,
    decision: String,
}

/// `POST /api/v1/warnings/{id}/response`: the cause, the measure and the decision.
pub async fn respond(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    if current(&state, &headers).await.is_none() {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    }
    let Ok(id) = id.parse::<i64>() else {
        return json_error(StatusCode::BAD_REQUEST, "bad_id", "预警编号应为整数");
    };
    let w = match state.store.warning(id).await {
        Ok(w) => w,
        Err(e) => return store_error(&e),
    };
    let (s, project, _) = match visible_project(&state, &headers, &w.project.0.to_string()).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let req: Answer = match json_body(
        &headers,
        &body,
        r#"{"cause": …, "measure": …, "decision": "continue|adjust|stop"}"#,
    ) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let Ok(Some((org, _))) = state.store.project_version(project).await else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
    };
    if !may_answer(&state, &s.user, org).await {
        return json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "只有本单位的经办人、部门负责人、分管领导或单位负责人可以答复预警",
        );
    }
    for (field, text, what) in [
        ("cause", &req.cause, "请写明偏差原因"),
        ("measure", &req.measure, "请写明纠偏措施"),
    ] {
        if text.trim().is_empty() {
            return json_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_answer",
                &format!("{field}：{what}"),
            );
        }
    }
    let Some(decision) = Decision::parse(&req.decision) else {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_decision",
            &format!(
                "decision：「{}」应为 continue（继续实施）、adjust（调整预算或目标）或 stop（暂缓或停止）",
                req.decision
            ),
        );
    };
    match state
        .store
        .respond_warning(id, &s.user, &req.cause, &req.measure, decision)
        .await
    {
        Ok(w) => axum::Json(warning_json(&w)).into_response(),
        Err(e) => store_error(&e),
    }
}

/// The projects a viewer's overview covers: all for the finance bureau's reviewers and for
/// administrators, the department's otherwise.
pub(crate) async fn overview_scope(state: &AppState, user: &jixiao_store::User) -> Option<OrgId> {
    if matches!(user.role, Role::Reviewer | Role::Admin) {
        None
    } else {
        Some(
            state
                .store
                .department_of(user.organisation)
                .await
                .unwrap_or(user.organisation),
        )
    }
}

/// An overview row's level: its latest round's, `None` when never monitored.
pub(crate) fn row_level(r: &OverviewRow) -> Option<Level> {
    r.latest.map(|l| l.3)
}

/// `GET /api/v1/monitoring?level=red&page=1`: every visible project by warning level, 100 a
/// page.
pub async fn overview(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    };
    let Some(filter) = OverviewFilter::parse(q.get("level").map_or("", String::as_str)) else {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_level",
            "level：应为 red、yellow、green、none 或 escalated",
        );
    };
    let page: i64 = match q.get("page").map(|p| p.parse::<i64>()) {
        None => 1,
        Some(Ok(p)) if p >= 1 => p,
        Some(_) => {
            return json_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_page",
                "page：应为从 1 起的整数",
            );
        }
    };
    let scope = overview_scope(&state, &s.user).await;
    let found = match state
        .store
        .monitoring_overview(scope, filter, (page - 1).saturating_mul(100), 100)
        .await
    {
        Ok(r) => r,
        Err(e) => return store_error(&e),
    };
    let counts = found.counts;
    let items: Vec<Value> = found
        .rows
        .iter()
        .map(|r| {
            json!({
                "project": r.project.0,
                "name": r.name,
                "department": r.department,
                "year": r.year,
                "period_end": r.latest.map(|l| l.0.to_string()),
                "executed": r.latest.map(|l| money(l.1)),
                "budget": r.latest.map(|l| money(l.2)),
                "execution_rate": r.latest.and_then(|l| rate(l.1, l.2)),
                "level": row_level(r).map(Level::id),
                "open_red": r.open_red,
                "escalated": r.escalated,
            })
        })
        .collect();
    axum::Json(json!({
        "counts": { "red": counts[0], "yellow": counts[1], "green": counts[2],
                    "none": counts[3], "escalated": counts[4] },
        "total": found.chosen,
        "page": page,
        "projects": items,
    }))
    .into_response()
}

/// `GET /api/v1/settings/monitoring`: the rules and the calendar as text.
pub async fn settings(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if current(&state, &headers).await.is_none() {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    }
    let result = async {
        let (_, rules) = state.store.monitoring_rules().await?;
        let (_, calendar) = state.store.work_calendar().await?;
        Ok::<_, jixiao_store::Error>(json!({ "rules": rules, "calendar": calendar }))
    }
    .await;
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => store_error(&e),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    rules: Option<String>,
    #[serde(default)]
    calendar: Option<String>,
}

/// `PUT /api/v1/settings/monitoring`: administrators replace the rules, the calendar or both;
/// every bad line is named and nothing is saved when one is wrong.
pub async fn set_settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    };
    if s.user.role != Role::Admin {
        return json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "只有管理员可以修改监控规则和工作日历",
        );
    }
    let req: Settings = match json_body(&headers, &body, r#"{"rules": "…", "calendar": "…"}"#) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let mut problems = Vec::new();
    if let Some(Err(e)) = req.rules.as_deref().map(monitor::Rules::parse) {
        problems.extend(e.into_iter().map(|m| format!("rules：{m}")));
    }
    if let Some(Err(e)) = req.calendar.as_deref().map(monitor::Calendar::parse) {
        problems.extend(e.into_iter().map(|m| format!("calendar：{m}")));
    }
    if !problems.is_empty() {
        return crate::handlers::problems("invalid_settings", &problems);
    }
    // Both or neither, in one transaction.
    if let Err(e) = state
        .store
        .set_monitoring_settings(&s.user, req.rules.as_deref(), req.calendar.as_deref())
        .await
    {
        return store_error(&e);
    }
    settings(State(state), headers).await
}

/// Escalates overdue red warnings now and then every `every` (each server process runs this;
/// the store makes each escalation happen once).
pub fn spawn_escalation(store: jixiao_store::Store, every: std::time::Duration) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = store.escalate_overdue(jixiao_store::today()).await {
                #[expect(clippy::print_stderr, reason = "the server's log")]
                {
                    eprintln!("jixiao: 预警逾期上报失败：{}", e.zh());
                }
            }
            tokio::time::sleep(every).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_their_unit_and_percent_signs() {
        assert_eq!(number("6", "次"), Ok(Dec::from_int(6)));
        assert_eq!(number(" 40,000张 ", "张"), Ok(Dec::from_int(40_000)));
        assert_eq!(number("96.5%", "%"), Ok(Dec::parse("96.5").ok()));
        assert_eq!(number("", "次"), Ok(None));
        assert_eq!(number("约五十", "次"), Err(()));
    }
}
