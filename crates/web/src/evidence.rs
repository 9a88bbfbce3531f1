//! Evidence files (佐证材料) through the API: upload (type checked by content, not by the name
//! or the header a client sends), list, download with a safe file name, delete.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jixiao_core::project::Role;
use jixiao_store::{Evidence, NewEvidence, ProjectId};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::handlers::{BodyType, disposition, edits, json_error, require_body, visible_project};

/// The largest evidence file, stated in messages and the OpenAPI document.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// What kinds of file are accepted, for messages.
const ACCEPTED: &str = "PDF、图片（PNG、JPEG）、Word 与 Excel（docx、xlsx、doc、xls）、WPS（wps、et）、OFD、文本（txt、csv，UTF-8）";

/// The media type of an upload, from its content, which must agree with its name's extension.
///
/// # Errors
/// The reason in Chinese: an unsupported extension, an empty file, or content of another kind.
pub fn sniff(name: &str, content: &[u8]) -> Result<&'static str, String> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let zip = content.starts_with(b"PK\x03\x04");
    let contains = |needle: &[u8]| content.windows(needle.len()).any(|w| w == needle);
    let ole = content.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let (what, ok, media) = match ext.as_str() {
        "pdf" => ("PDF", content.starts_with(b"%PDF-"), "application/pdf"),
        "png" => (
            "PNG 图片",
            content.starts_with(b"\x89PNG\r\n\x1a\n"),
            "image/png",
        ),
        "jpg" | "jpeg" => (
            "JPEG 图片",
            content.starts_with(&[0xFF, 0xD8, 0xFF]),
            "image/jpeg",
        ),
        "docx" => (
            "Word 文档（docx）",
            zip && contains(b"word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xlsx" => (
            "Excel 工作簿（xlsx）",
            zip && contains(b"xl/"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "ofd" => (
            "OFD 版式文件",
            zip && contains(b"OFD.xml"),
            "application/ofd",
        ),
        "doc" | "wps" => ("Word/WPS 文档", ole, "application/msword"),
        "xls" | "et" => ("Excel/WPS 表格", ole, "application/vnd.ms-excel"),
        "txt" | "csv" => (
            "UTF-8 文本",
            std::str::from_utf8(content).is_ok() && !content.contains(&0),
            if ext == "csv" {
                "text/csv; charset=utf-8"
            } else {
                "text/plain; charset=utf-8"
            },
        ),
        _ => {
            return Err(format!(
                "不支持的佐证材料类型「{}」；可上传：{ACCEPTED}",
                if ext.is_empty() {
                    "无扩展名".to_owned()
                } else {
                    format!(".{ext}")
                }
            ));
        }
    };
    if content.is_empty() {
        return Err(format!("文件「{name}」是空的"));
    }
    if !ok {
        return Err(format!("文件「{name}」的内容不是{what}：扩展名与内容不符"));
    }
    Ok(media)
}

fn describe(e: &Evidence, project: ProjectId) -> serde_json::Value {
    json!({
        "id": e.id,
        "target": e.target,
        "name": e.name,
        "media_type": e.media_type,
        "size": e.size,
        "sha256": e.sha256,
        "uploaded_by": e.uploaded_by,
        "uploaded_at": e.uploaded_at,
        "href": format!("/api/v1/projects/{}/evidence/{}", project.0, e.id),
    })
}

/// `GET /api/v1/projects/{id}/evidence`: the project's evidence files.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    match state.store.evidence(id).await {
        Ok(list) => {
            axum::Json(list.iter().map(|e| describe(e, id)).collect::<Vec<_>>()).into_response()
        }
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// The query of an upload.
#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    target: Option<String>,
}

/// Whether a role may add or remove its organisation's evidence (administrators: any).
fn handles_evidence(role: Role) -> bool {
    edits(role) || role == Role::EvaluationGroup
}

/// `POST /api/v1/projects/{id}/evidence?name=签到表.pdf&target=T01`: the body is the file
/// (`application/octet-stream`, at most 20 MB).
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<UploadQuery>,
    body: axum::body::Bytes,
) -> Response {
    let (s, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !handles_evidence(s.user.role) {
        return json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权上传该项目的佐证材料",
        );
    }
    if let Some(refused) = require_body(&headers, BodyType::Octets) {
        return refused;
    }
    if q.name.trim().is_empty() {
        return json_error(
            StatusCode::BAD_REQUEST,
            "name_required",
            "须给出文件名（name 参数，扩展名决定类型）",
        );
    }
    let media = match sniff(&q.name, &body) {
        Ok(m) => m,
        Err(reason) => return json_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_file", &reason),
    };
    let file = NewEvidence {
        target: q.target.as_deref().filter(|t| !t.is_empty()),
        name: &q.name,
        media_type: media,
        content: &body,
    };
    match state.store.add_evidence(id, file, &s.user.username).await {
        Ok(e) => (StatusCode::CREATED, axum::Json(describe(&e, id))).into_response(),
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            json_error(StatusCode::CONFLICT, "refused", &e.zh())
        }
        Err(e @ jixiao_store::Error::NotFound { .. }) => {
            json_error(StatusCode::NOT_FOUND, "not_found", &e.zh())
        }
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

fn bad_evidence_id() -> Response {
    json_error(StatusCode::BAD_REQUEST, "bad_id", "佐证材料编号应为整数")
}

/// `GET /api/v1/projects/{id}/evidence/{evidence}`: the file, as an attachment.
pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, evidence)): Path<(String, String)>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Ok(evidence) = evidence.parse::<i64>() else {
        return bad_evidence_id();
    };
    match state.store.evidence_file(id, evidence).await {
        Ok(Some((meta, bytes))) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&meta.media_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            if let Ok(v) = HeaderValue::from_str(&disposition(&meta.name)) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Ok(None) => json_error(StatusCode::NOT_FOUND, "not_found", "佐证材料不存在"),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// `DELETE /api/v1/projects/{id}/evidence/{evidence}`.
pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, evidence)): Path<(String, String)>,
) -> Response {
    let (s, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !handles_evidence(s.user.role) {
        return json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权删除该项目的佐证材料",
        );
    }
    let Ok(evidence) = evidence.parse::<i64>() else {
        return bad_evidence_id();
    };
    match state
        .store
        .delete_evidence(id, evidence, &s.user.username)
        .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(jixiao_store::Error::NotFound { .. }) => {
            json_error(StatusCode::NOT_FOUND, "not_found", "佐证材料不存在")
        }
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            json_error(StatusCode::CONFLICT, "refused", &e.zh())
        }
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn the_content_decides_the_type_and_must_agree_with_the_name() {
        assert_eq!(sniff("签到表.PDF", b"%PDF-1.4 ..."), Ok("application/pdf"));
        assert_eq!(
            sniff("照片.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Ok("image/jpeg")
        );
        assert_eq!(
            sniff("名单.csv", "姓名,人数\n李敏,3\n".as_bytes()),
            Ok("text/csv; charset=utf-8")
        );
        assert_eq!(
            sniff("发票.ofd", b"PK\x03\x04....OFD.xml...."),
            Ok("application/ofd")
        );
        assert_eq!(
            sniff("签到表.pdf", b"MZ\x90\x00 an executable"),
            Err("文件「签到表.pdf」的内容不是PDF：扩展名与内容不符".into())
        );
        assert_eq!(
            sniff("表.xlsx", b"PK\x03\x04....word/document.xml"),
            Err("文件「表.xlsx」的内容不是Excel 工作簿（xlsx）：扩展名与内容不符".into())
        );
        assert!(
            sniff("run.exe", b"MZ")
                .unwrap_err()
                .starts_with("不支持的佐证材料类型「.exe」")
        );
        assert!(sniff("说明", b"x").unwrap_err().contains("无扩展名"));
        assert_eq!(sniff("空.txt", b""), Err("文件「空.txt」是空的".into()));
        assert!(
            sniff("乱码.txt", &[0xB2, 0xE2, 0xCA, 0xD4]).is_err(),
            "GBK is refused, not garbled"
        );
    }
}
