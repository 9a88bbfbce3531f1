//! The pages people work in: server-rendered HTML that works without JavaScript.
//!
//! Every page goes through [`render`]: `lang="zh-CN"`, a skip link, the demo banner, the main
//! navigation with the current page marked, one `h1`. Forms post back to the page routes with
//! the session's CSRF token and follow the post/redirect/get pattern; a form with errors is
//! shown again with the user's input, an error summary (`role="alert"`) and each message tied
//! to its field (`aria-describedby`, `aria-invalid`).

pub(crate) mod admin;
pub(crate) mod check;
pub(crate) mod edit;
pub(crate) mod evaluation;
pub(crate) mod funds;
pub(crate) mod home;
pub(crate) mod lists;
pub(crate) mod monitoring;
pub(crate) mod projects;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_core::project::Role;
use jixiao_store::Session;

use crate::AppState;
use crate::auth::same_secret;
use crate::handlers::{current, esc, page};

/// Who is looking at a page.
pub(crate) struct Viewer {
    /// The session.
    pub s: Session,
    /// The name of the user's organisation.
    pub org: String,
}

impl Viewer {
    /// The user's role.
    pub fn role(&self) -> Role {
        self.s.user.role
    }

    /// A hidden field with the session's CSRF token.
    pub fn csrf_field(&self) -> String {
        format!(
            "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
            esc(&self.s.csrf)
        )
    }

    /// Whether a posted token is the session's.
    pub fn csrf_ok(&self, posted: &str) -> bool {
        same_secret(&self.s.csrf, posted)
    }
}

/// The viewer, or a redirect to the log-in page.
pub(crate) async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Response> {
    let Some((s, _)) = current(state, headers).await else {
        return Err(Redirect::to("/login").into_response());
    };
    let org = state
        .store
        .organisation_name(s.user.organisation)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    Ok(Viewer { s, org })
}

/// The viewer and the project a page is about, or the page that refuses (log-in, 403, 404).
pub(crate) async fn seen(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Viewer, jixiao_store::Stored), Response> {
    let v = viewer(state, headers).await?;
    let stored = projects::visible(state, &v, id).await?;
    Ok((v, stored))
}

/// As [`seen`], for a posted form whose CSRF token must be the session's.
pub(crate) async fn posted(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
    id: &str,
) -> Result<(Viewer, jixiao_store::Stored), Response> {
    let v = viewer(state, headers).await?;
    if !v.csrf_ok(csrf) {
        return Err(stale_form(state, &v));
    }
    let stored = projects::visible(state, &v, id).await?;
    Ok((v, stored))
}

/// A record that belongs to a project (a fund request, a monitoring round, a warning), by the
/// id in its URL, and the project; or the page that refuses (not found, forbidden).
pub(crate) async fn record_of<T, Fut>(
    state: &AppState,
    v: &Viewer,
    id: &str,
    what: &str,
    fetch: impl FnOnce(i64) -> Fut,
    project: impl FnOnce(&T) -> jixiao_store::ProjectId,
) -> Result<(T, jixiao_store::Stored), Response>
where
    Fut: Future<Output = jixiao_store::Result<T>>,
{
    let Ok(id) = id.parse::<i64>() else {
        return Err(not_found(state, v, &format!("{what}编号应为整数。")));
    };
    let record = match fetch(id).await {
        Ok(r) => r,
        Err(jixiao_store::Error::NotFound { .. }) => {
            return Err(not_found(state, v, &format!("{what} {id} 不存在。")));
        }
        Err(e) => return Err(server_error(state, v, &e)),
    };
    let stored = projects::visible(state, v, &project(&record).0.to_string()).await?;
    Ok((record, stored))
}

/// The viewer of a posted form (about no one project) whose CSRF token must be the session's.
pub(crate) async fn posted_viewer(
    state: &AppState,
    headers: &HeaderMap,
    form: &std::collections::HashMap<String, String>,
) -> Result<Viewer, Response> {
    let v = viewer(state, headers).await?;
    if !v.csrf_ok(form.get("csrf").map_or("", String::as_str)) {
        return Err(stale_form(state, &v));
    }
    Ok(v)
}

/// The main navigation, with the current section marked for screen readers.
fn nav(v: &Viewer, here: &str) -> String {
    let mut items = vec![
        ("/", "首页"),
        ("/projects", "项目"),
        ("/monitoring", "监控"),
        ("/check", "报告体检"),
    ];
    if v.role() == Role::Admin {
        items.push(("/admin", "管理"));
    }
    items.push(("/api/docs", "接口文档"));
    let links: String = items
        .iter()
        .map(|(href, label)| {
            let current = if *href == here {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!("<li><a href=\"{href}\"{current}>{label}</a></li>")
        })
        .collect();
    format!(
        "<nav aria-label=\"主导航\" class=\"main-nav\"><ul>{links}</ul></nav>\
         <nav aria-label=\"账户\" class=\"account\"><span>{}（{}，{}）</span>\
         <a href=\"/account\">账户</a>\
         <form method=\"post\" action=\"/logout\">{}<button type=\"submit\">退出登录</button></form></nav>",
        esc(&v.s.user.display_name),
        esc(v.role().zh()),
        esc(&v.org),
        v.csrf_field()
    )
}

/// A whole page for a logged-in viewer. `here` is the navigation entry it belongs to.
pub(crate) fn render(state: &AppState, v: &Viewer, here: &str, title: &str, main: &str) -> String {
    page(state, title, &nav(v, here), main)
}

/// A page with a status: forbidden, not found, a stale form …
pub(crate) fn status_page(
    state: &AppState,
    v: &Viewer,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Response {
    (
        status,
        Html(render(
            state,
            v,
            "",
            title,
            &format!(
                "<p role=\"alert\">{}</p><p><a href=\"/\">返回首页</a></p>",
                esc(message)
            ),
        )),
    )
        .into_response()
}

/// 403 in Chinese.
pub(crate) fn forbidden(state: &AppState, v: &Viewer, message: &str) -> Response {
    status_page(state, v, StatusCode::FORBIDDEN, "无权访问", message)
}

/// 404 in Chinese.
pub(crate) fn not_found(state: &AppState, v: &Viewer, message: &str) -> Response {
    status_page(state, v, StatusCode::NOT_FOUND, "未找到", message)
}

/// 500 with a reference number the user can quote; the details go to the server's log only.
pub(crate) fn server_error(
    state: &AppState,
    v: &Viewer,
    detail: &dyn std::fmt::Display,
) -> Response {
    let reference = crate::auth::token()
        .map(|t| t.chars().take(10).collect::<String>())
        .unwrap_or_else(|_| "0".repeat(10));
    #[expect(
        clippy::print_stderr,
        reason = "the server's log: the reference and the cause"
    )]
    {
        eprintln!("错误 参考号 {reference}：{detail}");
    }
    status_page(
        state,
        v,
        StatusCode::INTERNAL_SERVER_ERROR,
        "系统错误",
        &format!("系统出错，请稍后再试。如需协助，请向管理员提供参考号 {reference}。"),
    )
}

/// A refused form: the form's CSRF token is not the session's.
pub(crate) fn stale_form(state: &AppState, v: &Viewer) -> Response {
    status_page(
        state,
        v,
        StatusCode::FORBIDDEN,
        "表单已过期",
        "表单已过期（可能已在其他窗口退出登录），请返回上一页刷新后重试。",
    )
}

/// An error summary at the top of a form: each message links to its field.
pub(crate) fn error_summary(errors: &[(&str, String)]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let items: String = errors
        .iter()
        .map(|(field, message)| {
            if field.is_empty() {
                format!("<li>{}</li>", esc(message))
            } else {
                format!("<li><a href=\"#{}\">{}</a></li>", esc(field), esc(message))
            }
        })
        .collect();
    format!(
        "<div class=\"error-summary\" role=\"alert\" tabindex=\"0\"><h2>请修改以下问题</h2><ul>{items}</ul></div>"
    )
}

/// A labelled text field with its hint and error (both announced with the field).
pub(crate) fn text_field(
    id: &str,
    label: &str,
    value: &str,
    hint: Option<&str>,
    error: Option<&str>,
) -> String {
    // Ids come from data (an indicator's id in a field's name): escaped like any text.
    let id = &esc(id);
    let mut described = Vec::new();
    let hint_html = hint.map_or(String::new(), |h| {
        described.push(format!("{id}-hint"));
        format!("<p class=\"hint\" id=\"{id}-hint\">{}</p>", esc(h))
    });
    let error_html = error.map_or(String::new(), |e| {
        described.push(format!("{id}-error"));
        format!("<p class=\"field-error\" id=\"{id}-error\">{}</p>", esc(e))
    });
    let aria = if described.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{}\"", described.join(" "))
    };
    let invalid = if error.is_some() {
        " aria-invalid=\"true\""
    } else {
        ""
    };
    format!(
        "<div class=\"field\"><label for=\"{id}\">{}</label>{hint_html}{error_html}\
         <input id=\"{id}\" name=\"{id}\" value=\"{}\"{aria}{invalid}></div>",
        esc(label),
        esc(value)
    )
}

/// A labelled multi-line field.
pub(crate) fn text_area(id: &str, label: &str, value: &str, error: Option<&str>) -> String {
    let id = &esc(id);
    let error_html = error.map_or(String::new(), |e| {
        format!("<p class=\"field-error\" id=\"{id}-error\">{}</p>", esc(e))
    });
    let aria = if error.is_some() {
        format!(" aria-describedby=\"{id}-error\" aria-invalid=\"true\"")
    } else {
        String::new()
    };
    format!(
        "<div class=\"field\"><label for=\"{id}\">{}</label>{error_html}\
         <textarea id=\"{id}\" name=\"{id}\" rows=\"3\"{aria}>{}</textarea></div>",
        esc(label),
        esc(value)
    )
}

/// A labelled select; `options` are (value, label).
pub(crate) fn select(
    id: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
) -> String {
    let opts: String = options
        .iter()
        .map(|(value, text)| {
            let sel = if value == selected { " selected" } else { "" };
            format!(
                "<option value=\"{}\"{sel}>{}</option>",
                esc(value),
                esc(text)
            )
        })
        .collect();
    format!(
        "<div class=\"field\"><label for=\"{id}\">{}</label><select id=\"{id}\" name=\"{id}\">{opts}</select></div>",
        esc(label),
        id = esc(id)
    )
}

/// A horizontal bar chart as SVG (`role="img"` with a title). Each bar is (label, value in
/// hundredths of a percent, the value as shown); bars stop at 150 %. The same data follows as
/// a table, for screen readers and printing.
pub(crate) fn bar_chart(id: &str, title: &str, bars: &[(String, Option<i64>, String)]) -> String {
    let height = 28 * bars.len() + 10;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-t\" viewBox=\"0 0 700 {height}\" \
         width=\"100%\" preserveAspectRatio=\"xMinYMin meet\"><title id=\"{id}-t\">{}</title>",
        esc(title)
    );
    for (i, (label, value, shown)) in bars.iter().enumerate() {
        let y = 5 + 28 * i;
        // 2.2 px per percent, in tenths of a pixel.
        let tenths = value.map_or(0, |v| v.clamp(0, 15_000) * 22 / 100);
        let width = format!("{}.{}", tenths / 10, tenths % 10);
        let text_x = 2260 + tenths;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{ty}\" font-size=\"13\" fill=\"#1a1a1a\">{}</text>\
             <rect x=\"220\" y=\"{y}\" width=\"{width}\" height=\"18\" fill=\"#0b4f9c\"></rect>\
             <text x=\"{}.{}\" y=\"{ty}\" font-size=\"13\" fill=\"#1a1a1a\">{}</text>",
            esc(&truncate(label, 16)),
            text_x / 10,
            text_x % 10,
            esc(shown),
            ty = y + 14,
        ));
    }
    // The 100 % line.
    svg.push_str(&format!(
        "<line x1=\"440\" y1=\"0\" x2=\"440\" y2=\"{height}\" stroke=\"#8a6d00\" stroke-dasharray=\"4 3\"></line></svg>"
    ));
    let rows: String = bars
        .iter()
        .map(|(label, _, shown)| {
            format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                esc(label),
                esc(shown)
            )
        })
        .collect();
    format!(
        "<figure class=\"chart-box\">{svg}<table><caption>{}（数据表）</caption>\
         <thead><tr><th scope=\"col\">项目</th><th scope=\"col\">数值</th></tr></thead>\
         <tbody>{rows}</tbody></table></figure>",
        esc(title)
    )
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// A percent as written (`"58.33"`, `"100"`) in hundredths (5833, 10000), for drawing.
pub(crate) fn percent_centi(text: Option<&str>) -> Option<i64> {
    let t = text?.trim().trim_end_matches('%');
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let int: i64 = int.parse().ok()?;
    let frac: String = frac.chars().chain("00".chars()).take(2).collect();
    let frac: i64 = frac.parse().ok()?;
    Some(int * 100 + if int < 0 { -frac } else { frac })
}

#[cfg(test)]
mod tests {
    use super::{Viewer, bar_chart, percent_centi, server_error};

    /// A server error shows the user a reference number and never the internal cause.
    #[tokio::test]
    async fn a_server_error_shows_a_reference_not_internals() {
        let dir = jixiao_testkit::TempDir::new("web-error");
        let store = jixiao_store::Store::open_data_dir(dir.path())
            .await
            .unwrap();
        let state = crate::AppState::new(store, false, false);
        let v = Viewer {
            s: jixiao_store::Session {
                user: jixiao_store::User {
                    id: jixiao_store::UserId(1),
                    organisation: jixiao_store::OrgId(1),
                    username: "officer".into(),
                    display_name: "经办人".into(),
                    role: jixiao_core::project::Role::Officer,
                    password_hash: String::new(),
                    failed_logins: 0,
                    locked_until: None,
                    disabled_at: None,
                },
                csrf: "t".into(),
                last_seen_at: String::new(),
                expires_at: String::new(),
            },
            org: "某单位".into(),
        };
        let res = server_error(
            &state,
            &v,
            &"database error: disk I/O error at /var/lib/secret",
        );
        assert_eq!(res.status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        let html = String::from_utf8(bytes.to_vec()).unwrap();
        let reference = html
            .split("参考号 ")
            .nth(1)
            .and_then(|r| r.split('。').next())
            .unwrap();
        assert_eq!(reference.len(), 10, "{html}");
        assert!(
            !html.contains("disk I/O") && !html.contains("/var/lib"),
            "no internals"
        );
    }

    /// Field ids come from data (an indicator's id): markup in them is escaped everywhere the
    /// id is written.
    #[test]
    fn field_ids_are_escaped() {
        let id = "achieved-T1\"><script>alert(1)</script>";
        for html in [
            super::text_field(id, "值", "", Some("提示"), Some("错误")),
            super::text_area(id, "值", "", Some("错误")),
            super::select(id, "值", &[], ""),
            super::error_summary(&[(id, "错误".to_owned())]),
        ] {
            assert!(!html.contains("<script>"), "{html}");
            assert!(html.contains("&lt;script&gt;"), "{html}");
        }
    }

    #[test]
    fn percents_are_read_exactly_and_bars_stop_at_150() {
        assert_eq!(percent_centi(Some("58.33")), Some(5833));
        assert_eq!(percent_centi(Some("100")), Some(10_000));
        assert_eq!(percent_centi(Some("7.5%")), Some(750));
        assert_eq!(percent_centi(Some("约五成")), None);
        let svg = bar_chart(
            "c",
            "预算执行",
            &[
                ("预算执行率".into(), Some(5833), "58.33%".into()),
                ("超额".into(), Some(90_000), "900.00%".into()),
            ],
        );
        assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"c-t\">预算执行</title>"));
        assert!(svg.contains("width=\"128.3\""), "58.33 % is 128.3 px");
        assert!(svg.contains("width=\"330.0\""), "capped at 150 %");
        assert!(svg.contains("<caption>预算执行（数据表）</caption>"));
    }
}
