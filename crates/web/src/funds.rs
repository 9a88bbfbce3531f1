//! Fund requests and the ledger through the API. The rules (who decides which step, the
//! budget and funds received) are the store's; this layer reads JSON, names bad fields, and
//! answers with the request, its history or the ledger.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jixiao_core::num::Money;
use jixiao_store::{FundDecision, FundRequest, LedgerLine, NewFundRequest, Session};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::handlers::{
    BodyType, current, json_error, require_body, same_department, visible_project,
};

fn money(m: Money) -> Value {
    json!({ "fen": m.fen(), "yuan": m.yuan() })
}

pub(crate) fn request_json(r: &FundRequest) -> Value {
    json!({
        "id": r.id,
        "project": r.project.0,
        "amount": money(r.amount),
        "purpose": r.purpose,
        "payee": r.payee,
        "budget_line": r.budget_line,
        "chain": r.chain.iter().map(|x| x.zh()).collect::<Vec<_>>(),
        "state": r.state.id(),
        "state_name": r.state.zh(),
        "step": r.step,
        "next_role": r.chain.get(r.step).map(|x| x.zh()),
        "version": r.version,
    })
}

pub(crate) fn line_json(l: &LedgerLine) -> Value {
    json!({
        "id": l.id,
        "request": l.request,
        "paid_on": l.paid_on,
        "purpose": l.purpose,
        "payee": l.payee,
        "amount": money(l.amount),
        "bank_reference": l.bank_reference,
        "reverses": l.reverses,
        "reason": l.reason,
    })
}

fn refused(e: &jixiao_store::Error) -> Response {
    match e {
        jixiao_store::Error::Refused { .. } => json_error(StatusCode::CONFLICT, "refused", &e.zh()),
        jixiao_store::Error::NotFound { .. } => {
            json_error(StatusCode::NOT_FOUND, "not_found", &e.zh())
        }
        _ => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// An amount in yuan as a string, exact: more than zero, at most two decimals.
pub(crate) fn amount_of(text: &str) -> Result<Money, String> {
    let t = text.trim();
    if let Some((_, decimals)) = t.split_once('.')
        && decimals.len() > 2
    {
        return Err(format!("amount：金额「{t}」至多两位小数（分）"));
    }
    match Money::parse(t) {
        Ok(m) if m.fen() > 0 => Ok(m),
        Ok(_) => Err(format!("amount：金额「{t}」应大于零")),
        Err(_) => Err(format!("amount：「{t}」不是金额（元，如 \"1200.50\"）")),
    }
}

/// `GET /api/v1/projects/{id}/fund-requests`.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    match state.store.fund_requests(id).await {
        Ok(list) => axum::Json(list.iter().map(request_json).collect::<Vec<_>>()).into_response(),
        Err(e) => refused(&e),
    }
}

/// A new request as the API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    amount: String,
    purpose: String,
    payee: String,
    #[serde(default)]
    budget_line: Option<String>,
}

/// `POST /api/v1/projects/{id}/fund-requests`: files a request (JSON, the amount as a string).
pub async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let (s, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(r) = require_body(&headers, BodyType::Json) {
        return r;
    }
    let Ok(req) = serde_json::from_slice::<NewRequest>(&body) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "请求体应为 {\"amount\": \"1200.50\", \"purpose\": …, \"payee\": …, \"budget_line\": …}",
        );
    };
    let amount = match amount_of(&req.amount) {
        Ok(a) => a,
        Err(m) => return json_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_amount", &m),
    };
    let new = NewFundRequest {
        amount,
        purpose: &req.purpose,
        payee: &req.payee,
        budget_line: req.budget_line.as_deref(),
    };
    match state.store.file_fund_request(id, &s.user, &new).await {
        Ok(r) => (StatusCode::CREATED, axum::Json(request_json(&r))).into_response(),
        Err(e) => refused(&e),
    }
}

/// The caller and a request the caller may see.
async fn visible_request(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Session, FundRequest), Response> {
    let Some((s, _)) = current(state, headers).await else {
        return Err(json_error(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录",
        ));
    };
    let Ok(id) = id.parse::<i64>() else {
        return Err(json_error(
            StatusCode::BAD_REQUEST,
            "bad_id",
            "资金申请编号应为整数",
        ));
    };
    let r = state
        .store
        .fund_request(id)
        .await
        .map_err(|e| refused(&e))?;
    let Ok(Some((org, _))) = state.store.project_version(r.project).await else {
        return Err(json_error(StatusCode::NOT_FOUND, "not_found", "项目不存在"));
    };
    let sees_all = matches!(
        s.user.role,
        jixiao_core::project::Role::Reviewer | jixiao_core::project::Role::Admin
    );
    if !sees_all && !same_department(state, &s.user, org).await {
        return Err(json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权查看其他单位的资金申请",
        ));
    }
    Ok((s, r))
}

/// `GET /api/v1/fund-requests/{id}`: the request and its history.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, r) = match visible_request(&state, &headers, &id).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let history = state.store.fund_history(r.id).await.unwrap_or_default();
    let mut v = request_json(&r);
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "history".into(),
            history
                .iter()
                .map(|h| {
                    json!({ "step": h.step, "decision": h.decision, "actor": h.actor,
                            "role": h.role, "reason": h.reason, "at": h.at })
                })
                .collect(),
        );
    }
    axum::Json(v).into_response()
}

/// A decision as the API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    action: String,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    to: Option<usize>,
    #[serde(default)]
    paid_on: Option<String>,
    #[serde(default)]
    bank_reference: Option<String>,
}

/// `POST /api/v1/fund-requests/{id}/decisions`: `approve`, `reject`, `return` (with the
/// version read), `withdraw` and `resubmit` (the applicant), or `pay` (the cashier).
pub async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let (s, r) = match visible_request(&state, &headers, &id).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    if let Some(resp) = require_body(&headers, BodyType::Json) {
        return resp;
    }
    let Ok(req) = serde_json::from_slice::<DecisionRequest>(&body) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "请求体应为 {\"action\": \"approve|reject|return|withdraw|resubmit|pay\", \"version\": …}",
        );
    };
    let reason = req.reason.clone().unwrap_or_default();
    let decision = match req.action.as_str() {
        "approve" => Some(FundDecision::Approve),
        "reject" => Some(FundDecision::Reject { reason }),
        "return" => Some(FundDecision::Return { to: req.to, reason }),
        _ => None,
    };
    let result = match (req.action.as_str(), decision) {
        (_, Some(d)) => {
            let Some(version) = req.version else {
                return json_error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "version_required",
                    "version：审批须带读取时的版本号",
                );
            };
            state
                .store
                .decide_fund_request(r.id, &s.user, &d, version)
                .await
                .map(|r| request_json(&r))
        }
        ("withdraw" | "resubmit", None) => state
            .store
            .applicant_action(r.id, &s.user, req.action == "resubmit")
            .await
            .map(|r| request_json(&r)),
        ("pay", None) => state
            .store
            .pay_fund_request(
                r.id,
                &s.user,
                req.paid_on.as_deref().unwrap_or(""),
                req.bank_reference.as_deref().unwrap_or(""),
            )
            .await
            .map(|l| line_json(&l)),
        _ => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "bad_action",
                "action 应为 approve、reject、return、withdraw、resubmit 或 pay",
            );
        }
    };
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => refused(&e),
    }
}

/// `GET /api/v1/projects/{id}/ledger`: the ledger with its total.
pub async fn ledger(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    match state.store.ledger(id).await {
        Ok(lines) => {
            let total: Money = lines.iter().map(|l| l.amount).sum();
            axum::Json(json!({
                "total": money(total),
                "lines": lines.iter().map(line_json).collect::<Vec<_>>(),
            }))
            .into_response()
        }
        Err(e) => refused(&e),
    }
}

/// A reversal.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReversalRequest {
    paid_on: String,
    reason: String,
}

/// `POST /api/v1/projects/{id}/ledger/{line}/reversal`: a reversing line with its reason.
pub async fn reverse(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, line)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let (s, project, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(r) = require_body(&headers, BodyType::Json) {
        return r;
    }
    let Ok(line) = line.parse::<i64>() else {
        return json_error(StatusCode::BAD_REQUEST, "bad_id", "支出记录编号应为整数");
    };
    let Ok(req) = serde_json::from_slice::<ReversalRequest>(&body) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "请求体应为 {\"paid_on\": \"2022-10-05\", \"reason\": …}",
        );
    };
    if jixiao_core::date::Date::parse(&req.paid_on).is_none() {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_date",
            &format!("paid_on：日期「{}」应写成 年-月-日", req.paid_on),
        );
    }
    match state.store.ledger(project).await {
        Ok(lines) if lines.iter().any(|l| l.id == line) => {}
        Ok(_) => return json_error(StatusCode::NOT_FOUND, "not_found", "该项目没有这笔支出"),
        Err(e) => return refused(&e),
    }
    match state
        .store
        .reverse_ledger_line(line, &s.user, &req.paid_on, &req.reason)
        .await
    {
        Ok(l) => (StatusCode::CREATED, axum::Json(line_json(&l))).into_response(),
        Err(e) => refused(&e),
    }
}

fn chain_json(org: jixiao_store::OrgId, steps: &[jixiao_store::FundChainStep]) -> Value {
    json!({
        "organisation": org.0,
        "steps": steps.iter().map(|s| json!({
            "role": s.role.zh(),
            "min": s.min.map(money),
            "below": s.below.map(money),
        })).collect::<Vec<_>>(),
    })
}

/// `GET /api/v1/organisations/{org}/fund-chain`: the department's approval chain.
pub async fn chain(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    };
    let Ok(org) = org.parse::<i64>().map(jixiao_store::OrgId) else {
        return json_error(StatusCode::BAD_REQUEST, "bad_id", "单位编号应为整数");
    };
    let sees_all = matches!(
        s.user.role,
        jixiao_core::project::Role::Reviewer | jixiao_core::project::Role::Admin
    );
    if !sees_all && !same_department(&state, &s.user, org).await {
        return json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权查看其他单位的审批链",
        );
    }
    match state.store.fund_chain(org).await {
        Ok(steps) => axum::Json(chain_json(org, &steps)).into_response(),
        Err(e) => refused(&e),
    }
}

/// One step as the API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRequest {
    role: String,
    #[serde(default)]
    min: Option<String>,
    #[serde(default)]
    below: Option<String>,
}

/// The chain as the API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainRequest {
    steps: Vec<StepRequest>,
}

/// Reads the steps of a chain, naming the first bad field (`steps[1].min：…`).
pub(crate) fn chain_steps(
    steps: &[(String, Option<String>, Option<String>)],
) -> Result<Vec<jixiao_store::FundChainStep>, String> {
    steps
        .iter()
        .enumerate()
        .map(|(i, (role, min, below))| {
            let role = jixiao_core::project::Role::parse(role)
                .ok_or_else(|| format!("steps[{i}].role：「{role}」不是角色"))?;
            let amount = |field: &str, v: &Option<String>| -> Result<Option<Money>, String> {
                match v.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    None => Ok(None),
                    Some(t) => amount_of(t)
                        .map(Some)
                        .map_err(|m| m.replacen("amount", &format!("steps[{i}].{field}"), 1)),
                }
            };
            Ok(jixiao_store::FundChainStep {
                role,
                min: amount("min", min)?,
                below: amount("below", below)?,
            })
        })
        .collect()
}

/// `PUT /api/v1/organisations/{org}/fund-chain` (administrators): `{"steps": [{"role": …,
/// "min": "5000.00", "below": null}, …]}`; an empty list restores the default.
pub async fn set_chain(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    };
    if s.user.role != jixiao_core::project::Role::Admin {
        return json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "只有管理员可以配置审批链",
        );
    }
    let Ok(org) = org.parse::<i64>().map(jixiao_store::OrgId) else {
        return json_error(StatusCode::BAD_REQUEST, "bad_id", "单位编号应为整数");
    };
    if let Some(r) = require_body(&headers, BodyType::Json) {
        return r;
    }
    let Ok(req) = serde_json::from_slice::<ChainRequest>(&body) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "请求体应为 {\"steps\": [{\"role\": \"部门负责人\", \"min\": null, \"below\": null}, …]}",
        );
    };
    let raw: Vec<(String, Option<String>, Option<String>)> = req
        .steps
        .into_iter()
        .map(|s| (s.role, s.min, s.below))
        .collect();
    let steps = match chain_steps(&raw) {
        Ok(s) => s,
        Err(m) => return json_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &m),
    };
    match state
        .store
        .set_fund_chain(org, &steps, &s.user.username)
        .await
    {
        Ok(()) => match state.store.fund_chain(org).await {
            Ok(steps) => axum::Json(chain_json(org, &steps)).into_response(),
            Err(e) => refused(&e),
        },
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            json_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &e.zh())
        }
        Err(e) => refused(&e),
    }
}
