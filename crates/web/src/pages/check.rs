//! Report check (体检): upload any self-evaluation report and see the auditor's findings beside
//! its text, each finding linked to the lines it cites.

use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use jixiao_audit::Severity;

use super::{Viewer, error_summary, render, server_error, stale_form, viewer};
use crate::AppState;
use crate::handlers::{esc, read_and_audit};

/// The largest report accepted, stated on the page.
const MAX_BYTES: usize = 20 * 1024 * 1024;

fn upload_form(v: &Viewer, error: Option<&str>) -> String {
    format!(
        "{}<form method=\"post\" action=\"/check\" enctype=\"multipart/form-data\">{}\
         <div class=\"field\"><label for=\"report\">自评报告文件</label>\
         <p class=\"hint\" id=\"report-hint\">.txt（UTF-8、GB18030 或 UTF-16）、.docx、.pdf、.doc 或 .wps，至多 20 MB。\
         报告只用于本次检查，不会保存。</p>{}<input type=\"file\" id=\"report\" name=\"report\" \
         accept=\".txt,.docx,.pdf,.doc,.wps\" aria-describedby=\"report-hint{}\"{}></div>\
         <button type=\"submit\">检查</button></form>",
        error_summary(
            &error
                .map(|e| vec![("report", e.to_owned())])
                .unwrap_or_default()
        ),
        v.csrf_field(),
        error.map_or(String::new(), |e| format!(
            "<p class=\"field-error\" id=\"report-error\">{}</p>",
            esc(e)
        )),
        if error.is_some() { " report-error" } else { "" },
        if error.is_some() {
            " aria-invalid=\"true\""
        } else {
            ""
        },
    )
}

/// `GET /check`.
pub async fn form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let main = format!(
        "<p>上传任一份绩效自评报告（无论是否由本系统生成），检查其中前后矛盾的数字：百分比与其分子分母、合计、得分与得分率、等级与分数段、同一数量在不同地方的不同写法等。</p>{}",
        upload_form(&v, None)
    );
    Html(render(&state, &v, "/check", "报告体检", &main)).into_response()
}

fn refused(state: &AppState, v: &Viewer, message: &str) -> Response {
    let main = upload_form(v, Some(message));
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Html(render(state, v, "/check", "报告体检", &main)),
    )
        .into_response()
}

/// `POST /check` (multipart): the findings beside the text.
pub async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (mut csrf, mut name, mut body) = (String::new(), String::new(), Vec::new());
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let field_name = field.name().unwrap_or("").to_owned();
                if field_name == "report" {
                    name = field.file_name().unwrap_or("").to_owned();
                }
                let Ok(bytes) = field.bytes().await else {
                    return refused(&state, &v, "文件未能完整上传（可能超过 20 MB），请重试。");
                };
                match field_name.as_str() {
                    "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
                    "report" => body = bytes.to_vec(),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return refused(&state, &v, "文件未能完整上传（可能超过 20 MB），请重试。"),
        }
    }
    if !v.csrf_ok(&csrf) {
        return stale_form(&state, &v);
    }
    if name.is_empty() || body.is_empty() {
        return refused(&state, &v, "请选择要检查的报告文件。");
    }
    if body.len() > MAX_BYTES {
        return refused(&state, &v, "文件超过 20 MB。");
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let Some(kind) = jixiao_audit::input::Kind::from_extension(ext) else {
        return refused(
            &state,
            &v,
            &format!("「{name}」不是可检查的报告：文件须以 .txt、.docx、.pdf、.doc 或 .wps 结尾。"),
        );
    };
    let result = tokio::task::spawn_blocking(move || read_and_audit(&body, kind)).await;
    let (lines, report) = match result {
        Ok(Ok(r)) => r,
        Ok(Err(why)) => return refused(&state, &v, &format!("「{name}」无法读取：{why}")),
        Err(e) => return server_error(&state, &v, &e),
    };
    let mut cited = vec![false; lines.len() + 1];
    let mut findings = String::new();
    for (i, f) in report.findings.iter().enumerate() {
        for &l in &f.lines {
            if let Some(c) = cited.get_mut(l) {
                *c = true;
            }
        }
        let links: String = f
            .lines
            .iter()
            .map(|l| format!("<a href=\"#L{l}\">第 {l} 行</a>"))
            .collect::<Vec<_>>()
            .join("、");
        let values = if f.values.is_empty() {
            String::new()
        } else {
            format!(
                "<p>原文数值：{}</p>",
                f.values
                    .iter()
                    .map(|v| esc(v))
                    .collect::<Vec<_>>()
                    .join("；")
            )
        };
        findings.push_str(&format!(
            "<li id=\"F{n}\" class=\"finding {cls}\"><p><strong>{sev}</strong>（{rule}）{msg}</p>{values}<p>见 {links}</p></li>",
            n = i + 1,
            cls = if f.severity == Severity::Error { "is-error" } else { "is-warning" },
            sev = if f.severity == Severity::Error { "错误" } else { "提示" },
            rule = esc(f.rule),
            msg = esc(&f.message),
        ));
    }
    let text: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let n = i + 1;
            let mark = if cited.get(n).copied().unwrap_or(false) {
                " class=\"cited\""
            } else {
                ""
            };
            format!("<li id=\"L{n}\"{mark}>{}</li>", esc(l))
        })
        .collect();
    let main = format!(
        "<p role=\"status\">「{}」共 {} 行：发现 {} 处错误、{} 处提示。</p>\
         <div class=\"check-layout\"><section aria-labelledby=\"findings\"><h2 id=\"findings\">发现的问题</h2>{}</section>\
         <section aria-labelledby=\"text\"><h2 id=\"text\">报告原文（按行编号）</h2>\
         <ol class=\"report-text\" tabindex=\"0\" aria-label=\"报告原文\">{text}</ol></section></div><h2>再检查一份</h2>{}",
        esc(&name),
        report.line_count,
        report.errors(),
        report.warnings(),
        if findings.is_empty() {
            "<p>没有发现前后矛盾之处。</p>".to_owned()
        } else {
            format!("<ol class=\"findings\">{findings}</ol>")
        },
        upload_form(&v, None)
    );
    Html(render(&state, &v, "/check", "报告体检结果", &main)).into_response()
}
