//! The parts of a project as API resources: create a project, read its project file, its
//! budget and its target sheet with actual values, and record one actual value. Every write
//! goes through the same validation as a project file and the same version check as a save.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jixiao_core::num::Points;
use jixiao_core::num::{Dec, Money};
use jixiao_core::project::{
    Actual, ActualValue, Judgment, Project, Role, Subject, Target, Tier, Verdict,
};
use jixiao_core::unit::Unit;
use jixiao_store::{OrgId, ProjectId, Session, Stored};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::handlers::{
    BodyType, current, edits, if_match, invalid_project, json_error, read_project, require_body,
    saved_response, visible_project,
};

fn money(m: Money) -> Value {
    json!({ "fen": m.fen(), "yuan": m.yuan() })
}

fn percent(part: Money, whole: Money) -> Value {
    part.ratio_to(whole)
        .map_or(Value::Null, |r| Value::String(r.percent(2).to_string()))
}

fn opt<T: ToString>(v: Option<&T>) -> Value {
    v.map_or(Value::Null, |v| Value::String(v.to_string()))
}

/// The organisation a new project belongs to: the caller's, or for an administrator the one
/// named by `?organisation=`.
#[derive(Debug, Deserialize)]
pub struct CreateQuery {
    #[serde(default)]
    organisation: Option<i64>,
}

/// `POST /api/v1/projects`: creates a project from a project file (TOML body).
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<CreateQuery>,
    body: axum::body::Bytes,
) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    };
    if !edits(s.user.role) {
        return json_error(StatusCode::FORBIDDEN, "forbidden", "无权创建项目");
    }
    let org = match (s.user.role, q.organisation) {
        (Role::Admin, Some(o)) => OrgId(o),
        (Role::Admin, None) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "organisation_required",
                "管理员创建项目须给出所属单位（organisation 参数）",
            );
        }
        (_, Some(o)) if !crate::handlers::same_department(&state, &s.user, OrgId(o)).await => {
            return json_error(StatusCode::FORBIDDEN, "forbidden", "只能为本单位创建项目");
        }
        (_, Some(o)) => OrgId(o),
        (_, None) => s.user.organisation,
    };
    if let Some(refused) = require_body(&headers, BodyType::Toml) {
        return refused;
    }
    let project = match read_project(&body) {
        Ok(p) => p,
        Err(errors) => return invalid_project(&errors),
    };
    match state.store.organisation_name(org).await {
        Ok(Some(_)) => {}
        Ok(None) => return json_error(StatusCode::NOT_FOUND, "not_found", "单位不存在"),
        Err(_) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
    match state
        .store
        .insert_project(org, &project, &s.user.username)
        .await
    {
        Ok(ProjectId(id)) => {
            let mut res = (
                StatusCode::CREATED,
                axum::Json(json!({ "id": id, "version": 1 })),
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/projects/{id}")) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
        Err(e) => saved_response(0, Err(e)),
    }
}

/// `GET /api/v1/projects/{id}/file`: the project file (TOML), with its version as the ETag to
/// send back in `If-Match`.
pub async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    match state.store.project(id).await {
        Ok(stored) => {
            let mut res = jixiao_core::file::write::project(&stored.project).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/toml; charset=utf-8"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", stored.version)) {
                h.insert(header::ETAG, v);
            }
            res
        }
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// `GET /api/v1/projects/{id}/budget`: appropriation, adjustments, funds received, spending
/// lines and what follows from them (exact amounts in fen and yuan, rates half-up to 0.01 %).
pub async fn budget(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Ok(stored) = state.store.project(id).await else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
    };
    // Spent: the project's own lines and the ledger's payments by the cut-off date.
    let Ok(viewed) = state.store.scoring_view(&stored).await else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
    };
    let b = &stored.project.budget;
    let all = &viewed.budget;
    axum::Json(json!({
        "version": stored.version,
        "appropriation": money(b.appropriation),
        "approval_document": b.approval_document,
        "adjustments": b.adjustments.iter().map(|a| json!({
            "date": opt(a.date.as_ref()), "amount": money(a.amount),
            "document": a.document, "reason": a.reason,
        })).collect::<Vec<_>>(),
        "adjusted": money(b.adjusted()),
        "receipts": b.receipts.iter().map(|r| json!({
            "source": r.source.zh(), "date": opt(r.date.as_ref()), "amount": money(r.amount),
            "note": r.note,
        })).collect::<Vec<_>>(),
        "received": money(b.received()),
        "spending": b.spending.iter().map(|l| json!({
            "date": opt(l.date.as_ref()), "purpose": l.purpose, "amount": money(l.amount),
            "payee": l.payee, "functional_code": l.functional_code,
            "economic_code": l.economic_code, "targets": l.targets, "note": l.note,
        })).collect::<Vec<_>>(),
        "ledger_paid": money(all.spent().minus(b.spent())),
        "cutoff": jixiao_store::cutoff(&stored.project).to_string(),
        "spent": money(all.spent()),
        "unspent": money(all.unspent()),
        "execution_rate": percent(all.spent(), all.adjusted()),
        "receipt_rate": percent(b.received(), b.adjusted()),
    }))
    .into_response()
}

fn actual_json(a: &Actual) -> Value {
    let mut v = match &a.value {
        ActualValue::Number { value, unit } => {
            json!({ "kind": "number", "value": value.to_string(), "unit": unit.to_string() })
        }
        ActualValue::Counts {
            numerator,
            denominator,
        } => json!({ "kind": "counts", "numerator": numerator.to_string(),
                     "denominator": denominator.to_string() }),
        ActualValue::Text(t) => json!({ "kind": "text", "text": t }),
    };
    if let Some(o) = v.as_object_mut() {
        o.insert("note".into(), json!(a.note));
        o.insert("deviation_reason".into(), json!(a.deviation_reason));
        o.insert("measures".into(), json!(a.measures));
        o.insert("evidence".into(), json!(a.evidence));
    }
    v
}

fn target_json(t: &Target) -> Value {
    json!({
        "id": t.id,
        "category": t.category.zh(),
        "subcategory": t.subcategory.zh(),
        "name": t.name,
        "comparator": t.comparator.symbol(),
        "target": t.display_value(),
        "unit": t.unit.to_string(),
        "direction": t.direction.zh(),
        "weight": opt(t.weight.as_ref()),
        "explanation": t.explanation,
        "actual": t.actual.as_ref().map(actual_json),
        "completion": jixiao_core::scoring::completion(t)
            .map(|r| r.percent(2).to_string()),
    })
}

/// `GET /api/v1/projects/{id}/targets`: the target sheet with the actual values and the
/// completion of each indicator.
pub async fn targets(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Ok(stored) = state.store.project(id).await else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
    };
    axum::Json(json!({
        "version": stored.version,
        "targets": stored.project.targets.iter().map(target_json).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// A write to one part of a project: the caller (who may see the project and whose role
/// `may` allows, in the project's department unless an administrator), the project as read,
/// and the version in `If-Match`; the body must be JSON. Otherwise the refusal.
async fn part_write(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    may: fn(Role) -> bool,
    forbidden: &str,
) -> Result<(Session, ProjectId, Stored, i64), Response> {
    let (s, id, _) = visible_project(state, headers, id).await?;
    let Ok(stored) = state.store.project(id).await else {
        return Err(json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "系统错误",
        ));
    };
    let allowed = may(s.user.role)
        && (s.user.role == Role::Admin
            || crate::handlers::same_department(state, &s.user, stored.organisation).await);
    if !allowed {
        return Err(json_error(StatusCode::FORBIDDEN, "forbidden", forbidden));
    }
    if let Some(refused) = require_body(headers, BodyType::Json) {
        return Err(refused);
    }
    let Some(expected) = if_match(headers) else {
        return Err(json_error(
            StatusCode::PRECONDITION_REQUIRED,
            "if_match_required",
            "修改须带 If-Match：读取时的版本号",
        ));
    };
    Ok((s, id, stored, expected))
}

/// An actual value as the API takes it: exactly one of `value` (with an optional `unit`),
/// `numerator` and `denominator`, or `text`; decimals as strings so nothing is rounded.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActualRequest {
    #[serde(default)]
    pub(crate) value: Option<Value>,
    #[serde(default)]
    pub(crate) unit: Option<String>,
    #[serde(default)]
    pub(crate) numerator: Option<Value>,
    #[serde(default)]
    pub(crate) denominator: Option<Value>,
    #[serde(default)]
    pub(crate) text: Option<String>,
    #[serde(default)]
    pub(crate) note: Option<String>,
    #[serde(default)]
    pub(crate) deviation_reason: Option<String>,
    #[serde(default)]
    pub(crate) measures: Option<String>,
    #[serde(default)]
    pub(crate) evidence: Vec<String>,
}

/// A decimal from a JSON string (or an integer), naming the field when it is not one.
fn decimal(field: &str, v: &Value) -> Result<Dec, String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
        Value::Number(_) => {
            return Err(format!(
                "{field}：小数须写成字符串（如 \"98.5\"），以免精度丢失"
            ));
        }
        _ => return Err(format!("{field}：应为数（字符串形式的十进制数）")),
    };
    Dec::parse(&text).map_err(|_| format!("{field}：「{text}」不是数"))
}

pub(crate) fn actual_of(req: ActualRequest, target: &Target) -> Result<Actual, String> {
    let value = match (&req.value, &req.numerator, &req.denominator, &req.text) {
        (Some(v), None, None, None) => ActualValue::Number {
            value: decimal("value", v)?,
            unit: req
                .unit
                .as_deref()
                .map_or_else(|| target.unit.clone(), Unit::parse),
        },
        (None, Some(n), Some(d), None) => ActualValue::Counts {
            numerator: decimal("numerator", n)?,
            denominator: decimal("denominator", d)?,
        },
        (None, None, None, Some(t)) if !t.trim().is_empty() => ActualValue::Text(t.clone()),
        _ => {
            return Err(
                "须给出且只给出一种实际完成值：value（可带 unit）、numerator 与 denominator，或 text"
                    .to_owned(),
            );
        }
    };
    let some = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    Ok(Actual {
        value,
        note: some(req.note),
        deviation_reason: some(req.deviation_reason),
        measures: some(req.measures),
        evidence: req.evidence,
    })
}

/// `PUT /api/v1/projects/{id}/targets/{target}/actual`: records one indicator's actual value
/// (JSON; `null` clears it), if the project is still at the version in `If-Match`.
pub async fn set_actual(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, target)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let (s, id, stored, expected) =
        match part_write(&state, &headers, &id, edits, "无权修改该项目").await {
            Ok(v) => v,
            Err(r) => return r,
        };
    let mut project: Project = stored.project;
    let Some(index) = project.targets.iter().position(|t| t.id == target) else {
        return json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("项目没有编号为「{target}」的绩效指标"),
        );
    };
    let request: Option<ActualRequest> = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                &format!(
                    "请求体不是有效的实际完成值（第 {} 列附近）：{}",
                    e.column(),
                    zh_serde(&e)
                ),
            );
        }
    };
    project.targets[index].actual = match request {
        None => None,
        Some(req) => match actual_of(req, &project.targets[index]) {
            Ok(a) => Some(a),
            Err(reason) => {
                return json_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_actual", &reason);
            }
        },
    };
    // The same checks as a project file (units, rates, deviation reasons …).
    let written = jixiao_core::file::write::project(&project);
    let project = match read_project(written.as_bytes()) {
        Ok(p) => p,
        Err(errors) => return invalid_project(&errors),
    };
    saved_response(
        id.0,
        state
            .store
            .update_project(id, expected, &project, &s.user.username)
            .await,
    )
}

/// A judgment as the API takes it: exactly one of `score`, `share` (percent of the node's
/// weight), `deduction` or `not_applicable`; a reason is required for anything below full
/// marks (checked as in a project file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgmentRequest {
    #[serde(default)]
    pub(crate) score: Option<Value>,
    #[serde(default)]
    pub(crate) share: Option<Value>,
    #[serde(default)]
    pub(crate) deduction: Option<Value>,
    #[serde(default)]
    pub(crate) not_applicable: bool,
    #[serde(default)]
    pub(crate) tier: Option<String>,
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) evidence: Vec<String>,
}

fn points(field: &str, v: &Value) -> Result<Points, String> {
    Points::from_dec(decimal(field, v)?).map_err(|_| format!("{field}：分值最多两位小数"))
}

pub(crate) fn judgment_of(req: JudgmentRequest, subject: Subject) -> Result<Judgment, String> {
    let verdict = match (&req.score, &req.share, &req.deduction, req.not_applicable) {
        (Some(v), None, None, false) => Verdict::Score(points("score", v)?),
        (None, Some(v), None, false) => Verdict::Share(decimal("share", v)?),
        (None, None, Some(v), false) => Verdict::Deduction(points("deduction", v)?),
        (None, None, None, true) => Verdict::NotApplicable,
        _ => {
            return Err(
                "须给出且只给出一种评分：score、share（占权重的百分比）、deduction 或 not_applicable"
                    .to_owned(),
            );
        }
    };
    let tier =
        match req.tier.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => Some(Tier::parse(t).ok_or_else(|| {
                format!("tier：「{t}」不是档次；可用：{}", Tier::NAMES.join("、"))
            })?),
        };
    Ok(Judgment {
        subject,
        verdict,
        tier,
        reason: req.reason.filter(|r| !r.trim().is_empty()),
        evidence: req.evidence,
    })
}

/// Scoring's own check of one judgment: a score below the node's weight needs its reason.
pub(crate) fn deductions_without_reason(
    framework: &jixiao_core::framework::Framework,
    project: &Project,
    subject: &str,
) -> Vec<String> {
    jixiao_core::scoring::score(framework, project)
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .filter(|d| {
            matches!(&d.problem, jixiao_core::diag::Problem::DeductionWithoutReason { code, .. }
                if code == subject)
        })
        .map(|d| d.problem.to_string())
        .collect()
}

/// Who may record judgments: the evaluation group and the department's editors.
pub(crate) fn judges(role: Role) -> bool {
    edits(role) || role == Role::EvaluationGroup
}

/// `PUT /api/v1/projects/{id}/judgments/{subject}`: the evaluation group scores one judged
/// leaf of the framework (by node code) or one indicator (by target id), with its reason;
/// `null` removes the judgment. Needs the version read in `If-Match`.
pub async fn set_judgment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, subject)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let (s, id, stored, expected) =
        match part_write(&state, &headers, &id, judges, "无权评分").await {
            Ok(v) => v,
            Err(r) => return r,
        };
    let mut project: Project = stored.project;
    let subject_text = subject.clone();
    // An indicator by its id, otherwise a node of the project's framework by its code.
    let subject = if project.targets.iter().any(|t| t.id == subject) {
        Subject::Target(subject.into())
    } else {
        let framework = match project.framework_name() {
            Some(name) => state.store.framework(name).await.ok().flatten(),
            None => None,
        };
        let Some(framework) = framework else {
            return json_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "no_framework",
                "项目没有指定已知的指标体系框架，无法按指标编码评分",
            );
        };
        if !framework.nodes.iter().any(|n| n.code == subject) {
            return json_error(
                StatusCode::NOT_FOUND,
                "not_found",
                &format!(
                    "框架「{}」没有编码为「{subject}」的指标，项目也没有这个编号的绩效指标",
                    framework.name
                ),
            );
        }
        Subject::Node(subject.into())
    };
    let framework = match project.framework_name() {
        Some(name) => state.store.framework(name).await.ok().flatten(),
        None => None,
    };
    let request: Option<JudgmentRequest> = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                &format!(
                    "请求体不是有效的评分（第 {} 列附近）：{}",
                    e.column(),
                    zh_serde(&e)
                ),
            );
        }
    };
    let judgments = &mut project.evaluation.judgments;
    judgments.retain(|j| j.subject != subject);
    if let Some(req) = request {
        match judgment_of(req, subject) {
            Ok(j) => judgments.push(j),
            Err(reason) => {
                return json_error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_judgment",
                    &reason,
                );
            }
        }
    }
    // The same checks as a project file, and the scoring's own: a score below the node's
    // weight needs its reason.
    let written = jixiao_core::file::write::project(&project);
    let project = match read_project(written.as_bytes()) {
        Ok(p) => p,
        Err(errors) => return invalid_project(&errors),
    };
    if let Some(fw) = &framework {
        let errors = deductions_without_reason(fw, &project, &subject_text);
        if !errors.is_empty() {
            return invalid_project(&errors);
        }
    }
    saved_response(
        id.0,
        state
            .store
            .update_project(id, expected, &project, &s.user.username)
            .await,
    )
}

/// serde's reason in Chinese, for the kinds a client can cause.
fn zh_serde(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        format!("未知字段「{field}」")
    } else if e.is_syntax() || e.is_eof() {
        "JSON 格式错误".to_owned()
    } else {
        "字段类型不对".to_owned()
    }
}
