//! Indicator frameworks through the API: the built-in and uploaded ones, one framework's tree,
//! and uploading a framework file (administrators), checked like `jixiao frameworks show`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jixiao_core::framework::{Framework, NodeKind};
use jixiao_core::project::Role;
use serde_json::{Value, json};

use crate::AppState;
use crate::handlers::{BodyType, current, json_error, require_body};

/// `GET /api/v1/frameworks`: every framework a project may name.
pub async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if current(&state, &headers).await.is_none() {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    }
    let Ok(uploaded) = state.store.frameworks().await else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
    };
    let mut out: Vec<Value> = jixiao_core::builtin::BUILTIN
        .iter()
        .map(
            |(name, description, _)| json!({ "name": name, "title": description, "builtin": true }),
        )
        .collect();
    out.extend(uploaded.iter().map(|f| {
        json!({ "name": f.name, "title": f.title, "builtin": false,
                "uploaded_by": f.uploaded_by, "uploaded_at": f.uploaded_at })
    }));
    axum::Json(out).into_response()
}

fn tree(fw: &Framework) -> Value {
    let nodes: Vec<Value> = fw
        .nodes
        .iter()
        .map(|n| {
            json!({
                "code": n.code,
                "name": n.name,
                "parent": n.parent.map(|p| fw.nodes[p].code.clone()),
                "weight": n.weight.map(|w| w.to_string()),
                "kind": match n.kind {
                    NodeKind::Group => "group",
                    NodeKind::Judged => "judged",
                    NodeKind::Computed { .. } => "computed",
                    NodeKind::Slot(_) => "slot",
                },
                "explanation": n.explanation,
                "criteria": n.criteria,
            })
        })
        .collect();
    json!({
        "name": fw.name,
        "title": fw.title,
        "description": fw.description,
        "total": fw.total.to_string(),
        "nodes": nodes,
    })
}

/// `GET /api/v1/frameworks/{name}`: one framework's tree (every node with its parent, weight
/// and kind, 指标解释 and 评分标准).
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    if current(&state, &headers).await.is_none() {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    }
    match state.store.framework(&name).await {
        Ok(Some(fw)) => axum::Json(tree(&fw)).into_response(),
        Ok(None) => json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("没有名为「{name}」的指标体系框架"),
        ),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// The line (1-based) of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// `POST /api/v1/frameworks`: an administrator uploads a framework file (TOML); every problem
/// is named with its line and field.
pub async fn upload(
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
            "只有管理员可以上传指标体系框架",
        );
    }
    if let Some(refused) = require_body(&headers, BodyType::Toml) {
        return refused;
    }
    let loaded = jixiao_core::file::framework::read(&body);
    let text = String::from_utf8_lossy(&body);
    let details: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| match &d.at {
            Some(at) => {
                let line = loaded
                    .map
                    .span(&at.path)
                    .map(|span| format!("第 {} 行 ", line_of(&text, span.start)))
                    .unwrap_or_default();
                if at.path.is_empty() {
                    format!("{line}{}", d.problem)
                } else {
                    format!("{line}{}：{}", at.path, d.problem)
                }
            }
            None => d.problem.to_string(),
        })
        .collect();
    let fw = match loaded.value {
        Some(fw) if details.is_empty() => fw,
        _ => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                axum::Json(json!({ "error": { "code": "invalid_framework",
                    "message": "框架文件有误", "details": details } })),
            )
                .into_response();
        }
    };
    match state
        .store
        .add_framework(s.user.organisation, &fw, &text, &s.user.username)
        .await
    {
        Ok(()) => (StatusCode::CREATED, axum::Json(tree(&fw))).into_response(),
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            json_error(StatusCode::CONFLICT, "refused", &e.zh())
        }
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}
