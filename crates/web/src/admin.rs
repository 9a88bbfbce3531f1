//! Administration through the API: the organisation tree and the users. Administrators create
//! organisations and users, change a user's role and disable or restore an account; everyone
//! logged in may see the organisations they belong to (reviewers and administrators: all).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jixiao_core::project::Role;
use jixiao_store::{OrgId, OrgKind, Session, User};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{MIN_PASSWORD, hash_password};
use crate::handlers::{BodyType, current, json_error, require_body};

/// The caller, who must be an administrator; the refusal otherwise.
async fn administrator(state: &AppState, headers: &HeaderMap) -> Result<Session, Response> {
    let Some((s, _)) = current(state, headers).await else {
        return Err(json_error(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录",
        ));
    };
    if s.user.role != Role::Admin {
        return Err(json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "只有管理员可以管理单位和用户",
        ));
    }
    Ok(s)
}

/// An administrator's request with a JSON body of type `T`; `usage` says what the body should
/// be when it is not.
async fn administrator_with<T: serde::de::DeserializeOwned>(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    usage: &str,
) -> Result<(Session, T), Response> {
    let s = administrator(state, headers).await?;
    if let Some(refused) = require_body(headers, BodyType::Json) {
        return Err(refused);
    }
    match serde_json::from_slice::<T>(body) {
        Ok(req) => Ok((s, req)),
        Err(_) => Err(json_error(StatusCode::BAD_REQUEST, "bad_request", usage)),
    }
}

/// `GET /api/v1/organisations`.
pub async fn organisations(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    };
    let mine = crate::handlers::scope(&state, &s.user).await;
    match state.store.organisations().await {
        Ok(list) => axum::Json(
            list.iter()
                .filter(|o| mine.is_none_or(|d| o.id == d || o.parent == Some(d)))
                .map(|o| {
                    json!({ "id": o.id.0, "name": o.name, "kind": o.kind.zh(),
                            "parent": o.parent.map(|p| p.0) })
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// A new organisation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    name: String,
    kind: String,
    #[serde(default)]
    parent: Option<i64>,
}

/// `POST /api/v1/organisations` (administrators): `{"name", "kind": "财政局|部门|处室", "parent"}`.
pub async fn create_organisation(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (s, req) = match administrator_with::<NewOrganisation>(
        &state,
        &headers,
        &body,
        "请求体应为 {\"name\": …, \"kind\": \"财政局|部门|处室\", \"parent\": 上级单位编号}",
    )
    .await
    {
        Ok(v) => v,
        Err(r) => return r,
    };
    let name = req.name.trim();
    if name.is_empty() {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "name：单位名称不能为空",
        );
    }
    let Some(kind) = OrgKind::parse(req.kind.trim()) else {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            &format!(
                "kind：「{}」不是单位类型；可用：财政局、部门、处室",
                req.kind
            ),
        );
    };
    let parent = match req.parent {
        None if kind == OrgKind::FinanceBureau => None,
        None => {
            return json_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "parent：部门和处室须给出上级单位",
            );
        }
        Some(p) => match state.store.organisation_name(OrgId(p)).await {
            Ok(Some(_)) => Some(OrgId(p)),
            Ok(None) => {
                return json_error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    &format!("parent：单位 {p} 不存在"),
                );
            }
            Err(_) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
        },
    };
    match state
        .store
        .create_organisation(name, kind, parent, &s.user.username)
        .await
    {
        Ok(id) => (
            StatusCode::CREATED,
            axum::Json(json!({ "id": id.0, "name": name, "kind": kind.zh(),
                               "parent": parent.map(|p| p.0) })),
        )
            .into_response(),
        Err(e @ jixiao_store::Error::Conflict { .. }) => {
            json_error(StatusCode::CONFLICT, "conflict", &e.zh())
        }
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            json_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &e.zh())
        }
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

fn user_json(u: &User) -> Value {
    // Never the password hash.
    json!({
        "username": u.username,
        "display_name": u.display_name,
        "role": u.role.zh(),
        "organisation": u.organisation.0,
        "locked_until": u.locked_until,
        "disabled": u.disabled_at.is_some(),
        "disabled_at": u.disabled_at,
    })
}

/// `GET /api/v1/users` (administrators).
pub async fn users(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(r) = administrator(&state, &headers).await {
        return r;
    }
    match state.store.users(None).await {
        Ok(list) => axum::Json(list.iter().map(user_json).collect::<Vec<_>>()).into_response(),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// A new user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    username: String,
    display_name: String,
    role: String,
    organisation: i64,
    password: String,
}

fn role_of(text: &str) -> Result<Role, String> {
    Role::parse(text)
        .ok_or_else(|| format!("role：「{text}」不是角色；可用：{}", Role::NAMES.join("、")))
}

/// `POST /api/v1/users` (administrators): the password is hashed with argon2id at once and
/// never stored or logged.
pub async fn create_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (s, req) = match administrator_with::<NewUser>(
        &state,
        &headers,
        &body,
        "请求体应为 {\"username\", \"display_name\", \"role\", \"organisation\", \"password\"}",
    )
    .await
    {
        Ok(v) => v,
        Err(r) => return r,
    };
    let username = req.username.trim();
    let valid_name = !username.is_empty()
        && username.chars().count() <= 64
        && username
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.@".contains(c));
    if !valid_name {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "username：用户名须为 1–64 个字母、数字或 - _ . @",
        );
    }
    if req.display_name.trim().is_empty() {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "display_name：姓名不能为空",
        );
    }
    let role = match role_of(req.role.trim()) {
        Ok(r) => r,
        Err(m) => return json_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &m),
    };
    if req.password.chars().count() < MIN_PASSWORD {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            &format!("password：密码至少 {MIN_PASSWORD} 个字符"),
        );
    }
    match state.store.organisation_name(OrgId(req.organisation)).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return json_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                &format!("organisation：单位 {} 不存在", req.organisation),
            );
        }
        Err(_) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
    let password = req.password;
    let Ok(Ok(hash)) = tokio::task::spawn_blocking(move || hash_password(&password)).await else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
    };
    match state
        .store
        .create_user(
            OrgId(req.organisation),
            username,
            req.display_name.trim(),
            role,
            &hash,
            &s.user.username,
        )
        .await
    {
        Ok(_) => match state.store.user_by_username(username).await {
            Ok(Some(u)) => (StatusCode::CREATED, axum::Json(user_json(&u))).into_response(),
            _ => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
        },
        Err(jixiao_store::Error::Conflict { .. }) => json_error(
            StatusCode::CONFLICT,
            "conflict",
            &format!("用户名「{username}」已存在"),
        ),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// A change of a user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    disabled: Option<bool>,
}

/// `PATCH /api/v1/users/{username}` (administrators): `{"role": …, "disabled": true|false}`.
/// Disabling ends the user's sessions; administrators cannot disable or demote themselves.
pub async fn update_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(username): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let (s, req) = match administrator_with::<UserChange>(
        &state,
        &headers,
        &body,
        "请求体应为 {\"role\": 角色, \"disabled\": true 或 false}",
    )
    .await
    {
        Ok(v) => v,
        Err(r) => return r,
    };
    let target = match state.store.user_by_username(&username).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return json_error(
                StatusCode::NOT_FOUND,
                "not_found",
                &format!("用户「{username}」不存在"),
            );
        }
        Err(_) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    };
    let role = match req.role.as_deref().map(str::trim).map(role_of).transpose() {
        Ok(r) => r.unwrap_or(target.role),
        Err(m) => return json_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &m),
    };
    let disabled = req.disabled.unwrap_or(target.disabled_at.is_some());
    if target.id == s.user.id && (disabled || role != Role::Admin) {
        return json_error(
            StatusCode::CONFLICT,
            "self",
            "不能停用自己的账户或取消自己的管理员角色（以免无人能管理系统）",
        );
    }
    match state
        .store
        .update_user(&target, role, disabled, &s.user.username)
        .await
    {
        Ok(()) => match state.store.user_by_username(&username).await {
            Ok(Some(u)) => axum::Json(user_json(&u)).into_response(),
            _ => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
        },
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}
