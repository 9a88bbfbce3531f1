//! The handlers: each checks who is asking first, then calls the store and renders.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_core::project::Role;
use jixiao_core::workflow::{FlowKind, FlowState};
use jixiao_store::{OrgId, ProjectId, Session, timestamp_after};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::{
    self, ABSOLUTE_SECS, CSRF_COOKIE, IDLE_SECS, LOCK_SECS, SESSION_COOKIE, cookie, same_secret,
    set_cookie, token, token_hash,
};

/// Escapes text for HTML.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page: language, title, skip link, the demo banner, main content.
pub(crate) fn page(state: &AppState, title: &str, header_html: &str, main: &str) -> String {
    let banner = if state.demo {
        "<p class=\"demo\" role=\"note\">演示数据：本系统正在演示模式下运行，数据仅供体验。</p>"
    } else {
        ""
    };
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} - 绩效</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>\
         <body><a class=\"skip\" href=\"#main\">跳到主要内容</a>\
         <header>{banner}{header_html}</header><main id=\"main\"><h1>{t}</h1>{main}</main></body></html>",
        t = esc(title)
    )
}

pub(crate) fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

/// A JSON request body read as `T`: 415 unless the body is JSON, 400 with `usage` (what the
/// body should look like) when it does not read.
#[expect(
    clippy::result_large_err,
    reason = "the error is the handler's answer, returned at once"
)]
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
    usage: &str,
) -> Result<T, Response> {
    if let Some(r) = require_body(headers, BodyType::Json) {
        return Err(r);
    }
    serde_json::from_slice::<T>(body).map_err(|_| {
        json_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            &format!("请求体应为 {usage}"),
        )
    })
}

/// 422 listing every problem (`error.problems`), each naming its field.
pub(crate) fn problems(code: &str, problems: &[String]) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(json!({ "error": {
            "code": code,
            "message": problems.join("；"),
            "problems": problems,
        }})),
    )
        .into_response()
}

/// The type a request body must have. Checked before the body is read: a form posted from
/// another site can only carry form types, so a JSON, TOML or file body also proves the
/// request came from a program or from our own pages' scripts, not from a cross-site form.
#[derive(Clone, Copy, Debug)]
pub(crate) enum BodyType {
    /// `application/json`.
    Json,
    /// `application/toml` (project and framework files).
    Toml,
    /// `application/octet-stream` (an uploaded file itself).
    Octets,
}

/// 415 with the type expected, unless the request's body has it.
pub(crate) fn require_body(headers: &HeaderMap, want: BodyType) -> Option<Response> {
    let (mime, code, message) = match want {
        BodyType::Json => (
            "application/json",
            "json_required",
            "请求体须为 JSON（Content-Type: application/json）",
        ),
        BodyType::Toml => (
            "application/toml",
            "toml_required",
            "请求体须为 TOML 文件（Content-Type: application/toml）",
        ),
        BodyType::Octets => (
            "application/octet-stream",
            "octet_stream_required",
            "请以 application/octet-stream 上传文件本身",
        ),
    };
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(mime));
    (!ok).then(|| json_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, code, message))
}

/// The version in `If-Match` (`"3"` or `3`), if any.
pub(crate) fn if_match(headers: &HeaderMap) -> Option<i64> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_matches('"').parse::<i64>().ok())
}

/// The logged-in session of a request, if it is valid; an expired one is removed. A program
/// may instead send `Authorization: Bearer <API token>` (no cookie, so no CSRF either).
pub(crate) async fn current(state: &AppState, headers: &HeaderMap) -> Option<(Session, String)> {
    if let Some(bearer) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        let hash = token_hash(bearer.trim());
        let user = state.store.token_user(&hash).await.ok()??;
        let session = Session {
            user,
            // Forms are for browsers; a token-bearing program has no form token to forge.
            csrf: token().ok()?,
            last_seen_at: timestamp_after(0),
            expires_at: timestamp_after(ABSOLUTE_SECS),
        };
        return Some((session, String::new()));
    }
    let token = cookie(headers, SESSION_COOKIE)?;
    let hash = token_hash(&token);
    let session = state.store.session(&hash).await.ok()??;
    let now = timestamp_after(0);
    let idle_limit = timestamp_after(-IDLE_SECS);
    if session.expires_at <= now || session.last_seen_at < idle_limit {
        let _ = state.store.delete_session(&hash).await;
        return None;
    }
    // The idle clock needs minutes, not every request: write at most once a minute.
    if session.last_seen_at < timestamp_after(-60) {
        let _ = state.store.touch_session(&hash).await;
    }
    Some((session, hash))
}

/// Whether a role sees every organisation's projects (the finance bureau's reviewers and the
/// administrators); everyone else sees their own organisation's.
fn sees_all(role: Role) -> bool {
    matches!(role, Role::Reviewer | Role::Admin)
}

/// The department whose projects a user sees (their own, or their office's), or `None` for
/// the finance bureau's reviewers and administrators, who see every organisation's.
pub(crate) async fn scope(state: &AppState, user: &jixiao_store::User) -> Option<OrgId> {
    if sees_all(user.role) {
        return None;
    }
    Some(
        state
            .store
            .department_of(user.organisation)
            .await
            .unwrap_or(user.organisation),
    )
}

/// Whether an organisation is in the user's department (offices included).
pub(crate) async fn same_department(
    state: &AppState,
    user: &jixiao_store::User,
    org: OrgId,
) -> bool {
    state
        .store
        .same_department(user.organisation, org)
        .await
        .unwrap_or(false)
}

fn login_form(state: &AppState, csrf: &str, message: Option<&str>, first_run: bool) -> String {
    let note = if first_run {
        "<p role=\"status\">系统中还没有用户。请在服务器上运行 \
         <code>jixiao admin create-user --role 管理员 --username 用户名 --name 姓名 --org 单位</code> \
         创建第一个管理员，再登录。</p>"
    } else {
        ""
    };
    let alert = message
        .map(|m| format!("<p role=\"alert\" class=\"error\">{}</p>", esc(m)))
        .unwrap_or_default();
    let main = format!(
        "{note}{alert}<form method=\"post\" action=\"/login\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <p><label for=\"username\">用户名</label>\
         <input id=\"username\" name=\"username\" autocomplete=\"username\" required></p>\
         <p><label for=\"password\">密码</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\
         <p><button type=\"submit\">登录</button></p></form>"
    );
    page(state, "登录", "", &main)
}

/// The log-in page with a fresh CSRF cookie for its form.
async fn login_response(state: &AppState, status: StatusCode, message: Option<&str>) -> Response {
    let Ok(csrf) = token() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "系统错误").into_response();
    };
    let first_run = state.store.user_count().await.unwrap_or(1) == 0;
    let mut res = (status, Html(login_form(state, &csrf, message, first_run))).into_response();
    if let Ok(v) =
        HeaderValue::from_str(&set_cookie(CSRF_COOKIE, &csrf, None, state.secure_cookies))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

pub async fn login_page(State(state): State<AppState>) -> Response {
    login_response(&state, StatusCode::OK, None).await
}

/// The log-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let cookie_csrf = cookie(&headers, CSRF_COOKIE).unwrap_or_default();
    if cookie_csrf.is_empty() || !same_secret(&cookie_csrf, &form.csrf) {
        return login_response(
            &state,
            StatusCode::FORBIDDEN,
            Some("表单已过期，请重新登录"),
        )
        .await;
    }
    let wrong = "用户名或密码错误";
    let Ok(Some(user)) = state.store.user_by_username(form.username.trim()).await else {
        return login_response(&state, StatusCode::UNAUTHORIZED, Some(wrong)).await;
    };
    if user
        .locked_until
        .as_deref()
        .is_some_and(|until| until > timestamp_after(0).as_str())
    {
        return login_response(
            &state,
            StatusCode::LOCKED,
            Some("连续 5 次密码错误，账户已锁定 15 分钟，请稍后再试"),
        )
        .await;
    }
    let hash = user.password_hash.clone();
    let password = form.password.clone();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        let _ = state
            .store
            .login_failed(user.id, &timestamp_after(LOCK_SECS))
            .await;
        return login_response(&state, StatusCode::UNAUTHORIZED, Some(wrong)).await;
    }
    // Said only after the right password, so the page does not tell who has an account.
    if user.disabled_at.is_some() {
        return login_response(
            &state,
            StatusCode::FORBIDDEN,
            Some("该账户已停用，请联系管理员"),
        )
        .await;
    }
    let (Ok(session_token), Ok(csrf)) = (token(), token()) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "系统错误").into_response();
    };
    if state.store.login_succeeded(user.id).await.is_err()
        || state
            .store
            .create_session(
                &token_hash(&session_token),
                user.id,
                &csrf,
                &timestamp_after(ABSOLUTE_SECS),
            )
            .await
            .is_err()
    {
        return (StatusCode::INTERNAL_SERVER_ERROR, "系统错误").into_response();
    }
    let mut res = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&set_cookie(
        SESSION_COOKIE,
        &session_token,
        None,
        state.secure_cookies,
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// A form that only carries its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some((s, hash)) = current(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    if !same_secret(&s.csrf, &form.csrf) {
        return (
            StatusCode::FORBIDDEN,
            Html(page(
                &state,
                "禁止访问",
                "",
                "<p>表单已过期，请刷新页面后重试。</p>",
            )),
        )
            .into_response();
    }
    let _ = state.store.delete_session(&hash).await;
    let mut res = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&set_cookie(
        SESSION_COOKIE,
        "",
        Some(0),
        state.secure_cookies,
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

fn account_form(s: &Session, message: Option<(&str, bool)>) -> String {
    let note = message
        .map(|(m, ok)| {
            if ok {
                format!("<p role=\"status\">{}</p>", esc(m))
            } else {
                format!("<p role=\"alert\" class=\"error\">{}</p>", esc(m))
            }
        })
        .unwrap_or_default();
    format!(
        "{note}<form method=\"post\" action=\"/account/password\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <p><label for=\"current\">当前密码</label>\
         <input id=\"current\" name=\"current\" type=\"password\" autocomplete=\"current-password\" required></p>\
         <p><label for=\"new\">新密码（至少 {} 个字符）</label>\
         <input id=\"new\" name=\"new\" type=\"password\" autocomplete=\"new-password\" minlength=\"{}\" required></p>\
         <p><label for=\"confirm\">再次输入新密码</label>\
         <input id=\"confirm\" name=\"confirm\" type=\"password\" autocomplete=\"new-password\" required></p>\
         <p><button type=\"submit\">修改密码</button></p></form>",
        esc(&s.csrf),
        auth::MIN_PASSWORD,
        auth::MIN_PASSWORD
    )
}

async fn account_response(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    message: Option<(&str, bool)>,
) -> Response {
    let org = state
        .store
        .organisation_name(s.user.organisation)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let viewer = crate::pages::Viewer { s: s.clone(), org };
    (
        status,
        Html(crate::pages::render(
            state,
            &viewer,
            "",
            "账户",
            &account_form(s, message),
        )),
    )
        .into_response()
}

pub async fn account(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    account_response(&state, &s, StatusCode::OK, None).await
}

/// The change-password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    if !same_secret(&s.csrf, &form.csrf) {
        return account_response(
            &state,
            &s,
            StatusCode::FORBIDDEN,
            Some(("表单已过期，请重试", false)),
        )
        .await;
    }
    if form.new.chars().count() < auth::MIN_PASSWORD {
        return account_response(
            &state,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(("新密码太短：至少 10 个字符", false)),
        )
        .await;
    }
    if form.new != form.confirm {
        return account_response(
            &state,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(("两次输入的新密码不一致", false)),
        )
        .await;
    }
    let (hash, current_pw, new_pw) = (s.user.password_hash.clone(), form.current, form.new);
    let result = tokio::task::spawn_blocking(move || {
        auth::verify_password(&current_pw, &hash)
            .then(|| auth::hash_password(&new_pw).ok())
            .flatten()
    })
    .await
    .ok()
    .flatten();
    let Some(new_hash) = result else {
        return account_response(
            &state,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(("当前密码不正确", false)),
        )
        .await;
    };
    if state
        .store
        .set_password(&s.user, &new_hash, &s.user.username)
        .await
        .is_err()
    {
        return (StatusCode::INTERNAL_SERVER_ERROR, "系统错误").into_response();
    }
    account_response(&state, &s, StatusCode::OK, Some(("密码已修改", true))).await
}

pub async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../static/app.css"),
    )
        .into_response()
}

pub async fn openapi() -> Response {
    axum::Json(openapi_doc()).into_response()
}

/// `/api/docs`: the OpenAPI document as a readable page (no script, no internet needed).
pub async fn api_docs(State(state): State<AppState>) -> Response {
    let doc = openapi_doc();
    let mut main = String::from(
        "<p>接口文档（机器可读版本：<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>）。</p>",
    );
    if let Some(d) = doc["info"]["description"].as_str() {
        main.push_str(&format!("<p>{}</p>", esc(d)));
    }
    if let Some(paths) = doc["paths"].as_object() {
        let mut paths: Vec<_> = paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        for (path, methods) in paths {
            let Some(methods) = methods.as_object() else {
                continue;
            };
            for (method, op) in methods {
                main.push_str(&format!(
                    "<section><h2><code>{} {}</code></h2><p>{}</p>",
                    esc(&method.to_uppercase()),
                    esc(path),
                    esc(op["summary"].as_str().unwrap_or_default())
                ));
                if let Some(params) = op["parameters"].as_array() {
                    main.push_str("<table><caption>参数</caption><thead><tr><th scope=\"col\">名称</th><th scope=\"col\">位置</th><th scope=\"col\">必填</th></tr></thead><tbody>");
                    for p in params {
                        main.push_str(&format!(
                            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
                            esc(p["name"].as_str().unwrap_or_default()),
                            esc(p["in"].as_str().unwrap_or_default()),
                            if p["required"].as_bool().unwrap_or(false) {
                                "是"
                            } else {
                                "否"
                            }
                        ));
                    }
                    main.push_str("</tbody></table>");
                }
                if let Some(responses) = op["responses"].as_object() {
                    main.push_str("<table><caption>响应</caption><thead><tr><th scope=\"col\">状态</th><th scope=\"col\">含义</th></tr></thead><tbody>");
                    for (code, r) in responses {
                        main.push_str(&format!(
                            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                            esc(code),
                            esc(r["description"].as_str().unwrap_or_default())
                        ));
                    }
                    main.push_str("</tbody></table>");
                }
                main.push_str("</section>");
            }
        }
    }
    Html(page(&state, "接口文档", "", &main)).into_response()
}

/// The OpenAPI document of `/api/v1`.
fn openapi_doc() -> serde_json::Value {
    // The document is data (src/openapi.json); a test checks it parses and covers every route.
    serde_json::from_str(include_str!("openapi.json")).unwrap_or_default()
}

pub async fn me(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    };
    axum::Json(json!({
        "username": s.user.username,
        "display_name": s.user.display_name,
        "role": s.user.role.zh(),
        "organisation": s.user.organisation.0,
    }))
    .into_response()
}

pub async fn projects(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    };
    match state.store.projects(scope(&state, &s.user).await).await {
        Ok(list) => axum::Json(
            list.iter()
                .map(|p| {
                    json!({ "id": p.id.0, "organisation": p.organisation.0, "year": p.year,
                            "name": p.name, "department": p.department, "version": p.version })
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

pub async fn project(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    // Permission and freshness from one small query; the computed answer from the cache
    // when the project has not changed since.
    let (_, ProjectId(id), version) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Ok(lines) = state.store.ledger_count(ProjectId(id)).await else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
    };
    let body = match state.cache.get(id, (version, lines)) {
        Some(body) => body,
        None => {
            let stored = match state.store.project(ProjectId(id)).await {
                Ok(p) => p,
                Err(jixiao_store::Error::NotFound { .. }) => {
                    return json_error(StatusCode::NOT_FOUND, "not_found", "项目不存在");
                }
                Err(_) => {
                    return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
                }
            };
            // Scored with the ledger's payments by the cut-off date.
            let Ok(viewed) = state.store.scoring_view(&stored).await else {
                return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
            };
            let p = &viewed;
            let fw = match p.framework_name() {
                Some(name) => state.store.framework(name).await.ok().flatten(),
                None => None,
            };
            let sheet =
                fw.map(|fw| jixiao_core::sheet::Sheet::new(&jixiao_core::scoring::score(&fw, p)));
            let body: std::sync::Arc<str> = json!({
                "id": stored.id.0,
                "organisation": stored.organisation.0,
                "version": stored.version,
                "name": p.name,
                "year": p.year,
                "department": p.department,
                "score": sheet,
            })
            .to_string()
            .into();
            state.cache.put(id, (stored.version, lines), body.clone());
            body
        }
    };
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Reads a project file as the CLI does; the errors name the field (`target[2].value：…`).
pub(crate) fn read_project(bytes: &[u8]) -> Result<jixiao_core::project::Project, Vec<String>> {
    let loaded = jixiao_core::file::project::read(bytes);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| match &d.at {
            Some(at) if !at.path.is_empty() => format!("{}：{}", at.path, d.problem),
            _ => d.problem.to_string(),
        })
        .collect();
    match loaded.value {
        Some(p) if errors.is_empty() => Ok(p),
        _ => Err(errors),
    }
}

/// 422 with every problem of a project file.
pub(crate) fn invalid_project(errors: &[String]) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(json!({ "error": { "code": "invalid_project", "message": "项目文件有误", "details": errors } })),
    )
        .into_response()
}

/// Whether a role may change its organisation's projects (administrators: any project).
pub(crate) fn edits(role: Role) -> bool {
    matches!(role, Role::Officer | Role::HeadOfOffice | Role::Admin)
}

/// `PUT /api/v1/projects/{id}`: replaces a project with the project file in the body
/// (`If-Match: <version>` as read, or `*` to overwrite whatever is there).
pub async fn save_project(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let Some((s, _)) = current(&state, &headers).await else {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    };
    let Ok(id) = id.parse::<i64>() else {
        return json_error(StatusCode::BAD_REQUEST, "bad_id", "项目编号应为整数");
    };
    let org = match state.store.project_version(ProjectId(id)).await {
        Ok(Some((org, _))) => org,
        Ok(None) => return json_error(StatusCode::NOT_FOUND, "not_found", "项目不存在"),
        Err(_) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    };
    let allowed = edits(s.user.role)
        && (s.user.role == Role::Admin || same_department(&state, &s.user, org).await);
    if !allowed {
        return json_error(StatusCode::FORBIDDEN, "forbidden", "无权修改该项目");
    }
    let expected = match headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
        Some("*") => None,
        Some(v) => match v.trim_matches('"').parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                return json_error(
                    StatusCode::BAD_REQUEST,
                    "bad_if_match",
                    "If-Match 应为读取时的版本号或 *",
                );
            }
        },
        None => {
            return json_error(
                StatusCode::PRECONDITION_REQUIRED,
                "if_match_required",
                "保存须带 If-Match：读取时的版本号（或 * 表示覆盖）",
            );
        }
    };
    let project = match read_project(&body) {
        Ok(p) => p,
        Err(errors) => return invalid_project(&errors),
    };
    let saved = match expected {
        Some(v) => {
            state
                .store
                .update_project(ProjectId(id), v, &project, &s.user.username)
                .await
        }
        None => {
            state
                .store
                .replace_project(ProjectId(id), &project, &s.user.username)
                .await
        }
    };
    saved_response(id, saved)
}

/// The answer to a save: the new version, or why not (409 for a stale version, a duplicate or
/// a lock).
pub(crate) fn saved_response(id: i64, saved: jixiao_store::Result<i64>) -> Response {
    match saved {
        Ok(v) => axum::Json(json!({ "id": id, "version": v })).into_response(),
        Err(e @ jixiao_store::Error::Stale { .. }) => {
            json_error(StatusCode::CONFLICT, "stale", &e.zh())
        }
        Err(e @ jixiao_store::Error::Conflict { .. }) => {
            json_error(StatusCode::CONFLICT, "conflict", &e.zh())
        }
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            json_error(StatusCode::CONFLICT, "locked", &e.zh())
        }
        Err(e @ jixiao_store::Error::NotFound { .. }) => {
            json_error(StatusCode::NOT_FOUND, "not_found", &e.zh())
        }
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// Who asks, and whether they may see the project (404 / 403 as JSON otherwise).
pub(crate) async fn visible_project(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Session, ProjectId, i64), Response> {
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
            "项目编号应为整数",
        ));
    };
    match state.store.project_version(ProjectId(id)).await {
        Ok(Some((org, version)))
            if sees_all(s.user.role) || same_department(state, &s.user, org).await =>
        {
            Ok((s, ProjectId(id), version))
        }
        Ok(Some(_)) => Err(json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权查看其他单位的项目",
        )),
        Ok(None) => Err(json_error(StatusCode::NOT_FOUND, "not_found", "项目不存在")),
        Err(_) => Err(json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "系统错误",
        )),
    }
}

pub async fn workflows(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    match state.store.workflows(id).await {
        Ok(flows) => axum::Json(
            flows
                .iter()
                .map(|f| {
                    json!({
                        "kind": f.kind.id(),
                        "name": f.kind.zh(),
                        "state": f.state.id(),
                        "state_name": f.state.zh(f.kind),
                        "locked": f.state.locked(),
                        "snapshot": f.snapshot,
                        "steps": f.steps.iter().map(|st| json!({
                            "action": st.action,
                            "from": st.from.id(),
                            "to": st.to.id(),
                            "actor": st.actor,
                            "reason": st.reason,
                            "at": st.at,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// `GET /api/v1/projects/{id}/target-versions`: every approved version of the targets, each
/// with its indicators and what changed against the version before.
pub async fn target_versions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Ok(versions) = state.store.target_versions(id).await else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
    };
    let mut out = Vec::new();
    let mut previous: Vec<jixiao_core::project::Target> = Vec::new();
    for v in versions {
        let targets = match state.store.snapshot(&v.snapshot).await {
            Ok(Some(text)) => jixiao_core::file::project::read(text.as_bytes())
                .value
                .map(|p| p.targets)
                .unwrap_or_default(),
            _ => return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
        };
        let mut changes = Vec::new();
        if v.seq > 1 {
            for t in &targets {
                match previous.iter().find(|o| o.id == t.id) {
                    None => changes.push(json!({ "id": t.id, "change": "added", "name": t.name, "to": t.display_value() })),
                    Some(o) if o.display_value() != t.display_value() || o.name != t.name || o.weight != t.weight => {
                        changes.push(json!({ "id": t.id, "change": "changed", "name": t.name,
                            "from": o.display_value(), "to": t.display_value(),
                            "from_name": o.name, "from_weight": o.weight.map(|w| w.to_string()),
                            "weight": t.weight.map(|w| w.to_string()) }));
                    }
                    Some(_) => {}
                }
            }
            for o in &previous {
                if !targets.iter().any(|t| t.id == o.id) {
                    changes.push(json!({ "id": o.id, "change": "removed", "name": o.name, "from": o.display_value() }));
                }
            }
        }
        out.push(json!({
            "seq": v.seq,
            "kind": v.kind.id(),
            "kind_name": v.kind.zh(),
            "snapshot": v.snapshot,
            "approved_by": v.approved_by,
            "approved_at": v.approved_at,
            "targets": targets.iter().map(|t| json!({
                "id": t.id,
                "category": t.category.zh(),
                "subcategory": t.subcategory.zh(),
                "name": t.name,
                "target": t.display_value(),
                "weight": t.weight.map(|w| w.to_string()),
            })).collect::<Vec<_>>(),
            "changes": changes,
        }));
        previous = targets;
    }
    axum::Json(out).into_response()
}

/// A review step as the API takes it.
#[derive(Debug, Deserialize)]
pub struct StepRequest {
    action: String,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

/// `POST /api/v1/projects/{id}/workflows/{kind}`: a JSON body (which a cross-site form
/// cannot send) with the action, for a return its target state, and the reason.
pub async fn workflow_step(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let (s, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(refused) = require_body(&headers, BodyType::Json) {
        return refused;
    }
    let Some(kind) = FlowKind::parse(&kind) else {
        return json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "流程应为 target_sheet、self_evaluation 或 adjustment",
        );
    };
    let Ok(req) = serde_json::from_slice::<StepRequest>(&body) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "请求体应为 {\"action\": \"submit|approve|return|open\", \"to\": …, \"reason\": …}",
        );
    };
    use jixiao_core::workflow::FlowAction;
    let action = match req.action.as_str() {
        "submit" => FlowAction::Submit,
        "approve" => FlowAction::Approve,
        "open" => FlowAction::Open,
        "return" => match req
            .to
            .as_deref()
            .map_or(Some(FlowState::Draft), FlowState::parse)
        {
            Some(to) => FlowAction::Return { to },
            None => return json_error(StatusCode::BAD_REQUEST, "bad_to", "退回目标状态无效"),
        },
        _ => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "bad_action",
                "action 应为 submit、approve、return 或 open（发起绩效目标调整）",
            );
        }
    };
    match state
        .store
        .workflow_act(id, kind, action, &s.user, req.reason.as_deref())
        .await
    {
        Ok(next) => {
            axum::Json(json!({ "state": next.id(), "state_name": next.zh(kind) })).into_response()
        }
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            json_error(StatusCode::CONFLICT, "refused", &e.zh())
        }
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// The organisation and flow kind of a review-chain request, with the caller, who must be
/// logged in and belong to the organisation or see every organisation.
async fn chain_target(
    state: &AppState,
    headers: &HeaderMap,
    org: &str,
    kind: &str,
) -> Result<(Session, OrgId, FlowKind), Response> {
    let Some((s, _)) = current(state, headers).await else {
        return Err(json_error(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录",
        ));
    };
    let Ok(org) = org.parse::<i64>().map(OrgId) else {
        return Err(json_error(
            StatusCode::BAD_REQUEST,
            "bad_id",
            "单位编号应为整数",
        ));
    };
    let Some(kind) = FlowKind::parse(kind) else {
        return Err(json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "流程应为 target_sheet 或 self_evaluation",
        ));
    };
    if !sees_all(s.user.role) && !same_department(state, &s.user, org).await {
        return Err(json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权查看其他单位的审核链",
        ));
    }
    match state.store.organisation_name(org).await {
        Ok(Some(_)) => Ok((s, org, kind)),
        Ok(None) => Err(json_error(StatusCode::NOT_FOUND, "not_found", "单位不存在")),
        Err(_) => Err(json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "系统错误",
        )),
    }
}

async fn chain_json(state: &AppState, org: OrgId, kind: FlowKind) -> Response {
    match state.store.review_chain(org, kind).await {
        Ok(chain) => {
            let steps = chain
                .iter()
                .enumerate()
                .map(|(i, step)| {
                    let to = chain.get(i + 1).map_or(FlowState::Approved, |n| n.state);
                    json!({
                        "from": step.state.id(),
                        "from_name": step.state.zh(kind),
                        "to": to.id(),
                        "to_name": to.zh(kind),
                        "roles": step.roles.iter().map(|r| r.zh()).collect::<Vec<_>>(),
                        "configured": step.configured,
                    })
                })
                .collect::<Vec<_>>();
            axum::Json(json!({ "organisation": org.0, "kind": kind.id(), "name": kind.zh(), "steps": steps }))
                .into_response()
        }
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// `GET /api/v1/organisations/{org}/review-chain/{kind}`: who takes each step.
pub async fn review_chain(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, kind)): Path<(String, String)>,
) -> Response {
    match chain_target(&state, &headers, &org, &kind).await {
        Ok((_, org, kind)) => chain_json(&state, org, kind).await,
        Err(r) => r,
    }
}

/// The body of a review-chain change: the roles by Chinese name, or null for the default.
#[derive(Debug, Deserialize)]
pub struct ChainRequest {
    roles: Option<Vec<String>>,
}

/// `PUT /api/v1/organisations/{org}/review-chain/{kind}/{step}`: an administrator names the
/// reviewers of one step inside the department (JSON body, which a cross-site form cannot send).
pub async fn set_review_step(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, kind, step)): Path<(String, String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let (s, org, kind) = match chain_target(&state, &headers, &org, &kind).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if s.user.role != Role::Admin {
        return json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "只有管理员可以配置审核链",
        );
    }
    let Some(step) = FlowState::parse(&step) else {
        return json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "环节应为 submitted 或 department_review",
        );
    };
    if let Some(refused) = require_body(&headers, BodyType::Json) {
        return refused;
    }
    let Ok(req) = serde_json::from_slice::<ChainRequest>(&body) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "请求体应为 {\"roles\": [\"财务负责人\", …]} 或 {\"roles\": null}",
        );
    };
    let roles = match req.roles {
        None => None,
        Some(names) => {
            let mut roles = Vec::new();
            for name in &names {
                let Some(role) = Role::parse(name) else {
                    return json_error(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "bad_role",
                        &format!(
                            "roles 中的「{name}」不是角色；可用：{}",
                            Role::NAMES.join("、")
                        ),
                    );
                };
                if !roles.contains(&role) {
                    roles.push(role);
                }
            }
            Some(roles)
        }
    };
    match state
        .store
        .set_review_step(org, kind, step, roles.as_deref(), &s.user.username)
        .await
    {
        Ok(()) => chain_json(&state, org, kind).await,
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            json_error(StatusCode::UNPROCESSABLE_ENTITY, "refused", &e.zh())
        }
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

/// Reads an uploaded report into its canonical lines and audits them (PDF and old Word files
/// through the distribution's converters, from a private temporary copy removed afterwards).
///
/// # Errors
/// Why the file cannot be read, in Chinese.
pub(crate) fn read_and_audit(
    body: &[u8],
    kind: jixiao_audit::input::Kind,
) -> Result<(Vec<String>, jixiao_audit::Report), String> {
    use jixiao_audit::input::{Kind, Limits, convert_with_tools, lines_of};
    let limits = Limits::default();
    let lines = match kind {
        Kind::Text | Kind::Docx => lines_of(body, kind, &limits).map_err(|e| e.zh())?,
        Kind::Pdf | Kind::Legacy => {
            let dir =
                std::env::temp_dir().join(format!("jixiao-upload-{}", token().unwrap_or_default()));
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let path = dir.join(format!("upload.{}", ext_of(kind)));
            let result = std::fs::write(&path, body)
                .map_err(|e| e.to_string())
                .and_then(|()| convert_with_tools(&path, kind).map_err(|e| e.zh()))
                .and_then(|text| lines_of(&text, Kind::Text, &limits).map_err(|e| e.zh()));
            let _ = std::fs::remove_dir_all(&dir);
            result?
        }
    };
    let report = jixiao_audit::audit_lines(lines.clone(), &jixiao_audit::Options::default());
    Ok((lines, report))
}

/// The query of an upload: the file's name (its extension tells the kind).
#[derive(Debug, Deserialize)]
pub struct UploadName {
    #[serde(default)]
    name: String,
}

/// `POST /api/v1/audit?name=报告.docx`: audits an uploaded report (.txt, .docx, .pdf, .doc,
/// .wps; the body is the file, `application/octet-stream`) and returns the findings.
pub async fn audit_upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<UploadName>,
    body: axum::body::Bytes,
) -> Response {
    if current(&state, &headers).await.is_none() {
        return json_error(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录");
    }
    if let Some(refused) = require_body(&headers, BodyType::Octets) {
        return refused;
    }
    let ext = q.name.rsplit_once('.').map_or("", |(_, e)| e);
    let Some(kind) = jixiao_audit::input::Kind::from_extension(ext) else {
        return json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_kind",
            "文件名须以 .txt、.docx、.pdf、.doc 或 .wps 结尾（name 参数）",
        );
    };
    let name = q.name.clone();
    let report = tokio::task::spawn_blocking(move || read_and_audit(&body, kind))
        .await
        .map(|r| r.map(|(_, report)| report));
    match report {
        Ok(Ok(report)) => axum::Json(json!({
            "name": name,
            "line_count": report.line_count,
            "errors": report.errors(),
            "warnings": report.warnings(),
            "findings": report.findings,
        }))
        .into_response(),
        Ok(Err(why)) => json_error(StatusCode::UNPROCESSABLE_ENTITY, "unreadable", &why),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误"),
    }
}

fn ext_of(kind: jixiao_audit::input::Kind) -> &'static str {
    match kind {
        jixiao_audit::input::Kind::Pdf => "pdf",
        jixiao_audit::input::Kind::Legacy => "doc",
        jixiao_audit::input::Kind::Text => "txt",
        jixiao_audit::input::Kind::Docx => "docx",
    }
}

/// The query of a report download.
#[derive(Debug, Deserialize)]
pub struct ReportFormat {
    #[serde(default)]
    format: String,
}

/// A file name for `Content-Disposition`, percent-encoded (RFC 5987) and with an ASCII fallback.
pub(crate) fn disposition(name: &str) -> String {
    use std::fmt::Write as _;
    let mut enc = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            enc.push(char::from(b));
        } else {
            let _ = write!(enc, "%{b:02X}");
        }
    }
    let ext = name.rsplit_once('.').map_or("bin", |(_, e)| e);
    format!("attachment; filename=\"report.{ext}\"; filename*=UTF-8''{enc}")
}

/// `GET /api/v1/projects/{id}/report?format=docx|pdf|html|xlsx`: the self-evaluation report
/// (or the forms). Once the self-evaluation is submitted it is generated from the submitted
/// snapshot, and says so; before, from the current data.
pub async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ReportFormat>,
) -> Response {
    let (_, id, _) = match visible_project(&state, &headers, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let format = q.format.to_ascii_lowercase();
    if !["docx", "pdf", "html", "xlsx"].contains(&format.as_str()) {
        return json_error(
            StatusCode::BAD_REQUEST,
            "bad_format",
            "format 应为 docx、pdf、html 或 xlsx",
        );
    }
    match generate(&state, id, &format).await {
        Ok(file) => file.into_response(),
        Err(refusal) => json_error(refusal.status, refusal.code, &refusal.message),
    }
}

/// A generated report or form, ready to send.
pub(crate) struct Generated {
    bytes: Vec<u8>,
    name: String,
    mime: &'static str,
    snapshot: Option<String>,
}

impl IntoResponse for Generated {
    fn into_response(self) -> Response {
        let mut res = (StatusCode::OK, self.bytes).into_response();
        let h = res.headers_mut();
        if let Ok(v) = HeaderValue::from_str(self.mime) {
            h.insert(header::CONTENT_TYPE, v);
        }
        if let Ok(v) = HeaderValue::from_str(&disposition(&self.name)) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        if let Some(hash) = self.snapshot
            && let Ok(v) = HeaderValue::from_str(&hash)
        {
            h.insert("x-jixiao-snapshot", v);
        }
        res
    }
}

/// Why a report was not generated: the status, a stable code, the message and what the
/// auditor found in the text it would have printed.
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub findings: Vec<String>,
}

fn refusal(status: StatusCode, code: &'static str, message: &str) -> Refusal {
    Refusal {
        status,
        code,
        message: message.to_owned(),
        findings: Vec::new(),
    }
}

/// Generates a project's report (`docx`, `pdf`, `html`) or forms (`xlsx`): from the submitted
/// snapshot once the self-evaluation is submitted, else from the current data.
pub(crate) async fn generate(
    state: &AppState,
    id: ProjectId,
    format: &str,
) -> Result<Generated, Refusal> {
    let format = format.to_owned();
    let flows = state.store.workflows(id).await.unwrap_or_default();
    let evaluation = flows.iter().find(|f| f.kind == FlowKind::SelfEvaluation);
    let snapshot = evaluation
        .filter(|f| f.state.locked())
        .and_then(|f| f.snapshot.clone());
    let internal = || refusal(StatusCode::INTERNAL_SERVER_ERROR, "internal", "系统错误");
    let (text, note) = match &snapshot {
        Some(hash) => match state.store.snapshot(hash).await {
            Ok(Some(text)) => (
                text,
                Some(format!(
                    "本报告依据已提交的绩效自评数据快照 {} 生成；提交之后的数据修改不影响本报告。",
                    &hash[..12.min(hash.len())]
                )),
            ),
            _ => return Err(internal()),
        },
        // Not submitted: the current data, with the ledger's payments by the cut-off date.
        None => match state.store.project(id).await {
            Ok(stored) => match state.store.scoring_view(&stored).await {
                Ok(p) => (jixiao_core::file::write::project(&p), None),
                Err(_) => return Err(internal()),
            },
            Err(_) => return Err(internal()),
        },
    };
    let Some(project) = jixiao_core::file::project::read(text.as_bytes()).value else {
        return Err(refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "项目数据无法读取",
        ));
    };
    let fw = match project.framework_name() {
        Some(name) => state.store.framework(name).await.map_err(|_| internal())?,
        None => None,
    };
    let Some(fw) = fw else {
        return Err(refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_framework",
            "项目没有指定已知的指标体系框架（内置或已上传的），无法生成报告",
        ));
    };
    let result = tokio::task::spawn_blocking(move || -> Result<Generated, Refusal> {
        let scored = jixiao_core::scoring::score(&fw, &project);
        // A refusal names what the auditor found, so the user knows what to fix.
        let fail = |e: jixiao_report::Error| {
            let findings: Vec<String> = match &e {
                jixiao_report::Error::Contradictions(r) => r
                    .findings
                    .iter()
                    .filter(|f| f.severity == jixiao_audit::Severity::Error)
                    .map(|f| f.message.clone())
                    .collect(),
                _ => Vec::new(),
            };
            let message = if findings.is_empty() {
                e.zh()
            } else {
                format!("{}。发现的问题：{}", e.zh(), findings.join("；"))
            };
            Refusal {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "report_refused",
                message,
                findings,
            }
        };
        let title = format!("{}年{}支出绩效自评报告", project.year, project.name);
        let (bytes, name, mime) = match format.as_str() {
            "xlsx" => (
                jixiao_report::forms::xlsx(&scored).map_err(fail)?,
                format!("{}年{}绩效表.xlsx", project.year, project.name),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            "html" => {
                let checked =
                    jixiao_report::prepare_with(&scored, note.as_deref()).map_err(fail)?;
                (
                    jixiao_report::html::write(&checked.document).into_bytes(),
                    format!("{title}.html"),
                    "text/html; charset=utf-8",
                )
            }
            "pdf" => {
                let (docx, _) = jixiao_report::docx_with(
                    &scored,
                    jixiao_report::docx::Grid::Lines,
                    note.as_deref(),
                )
                .map_err(fail)?;
                let pdf = jixiao_report::pdf::from_docx(&docx).map_err(|e| {
                    refusal(StatusCode::SERVICE_UNAVAILABLE, "report_refused", &e.zh())
                })?;
                (pdf, format!("{title}.pdf"), "application/pdf")
            }
            _ => {
                let (docx, _) = jixiao_report::docx_with(
                    &scored,
                    jixiao_report::docx::Grid::LinesAndChars,
                    note.as_deref(),
                )
                .map_err(fail)?;
                (
                    docx,
                    format!("{title}.docx"),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                )
            }
        };
        Ok(Generated {
            bytes,
            name,
            mime,
            snapshot: None,
        })
    })
    .await;
    match result {
        Ok(Ok(generated)) => Ok(Generated {
            snapshot,
            ..generated
        }),
        Ok(Err(refused)) => Err(refused),
        Err(_) => Err(internal()),
    }
}

pub async fn not_found(State(state): State<AppState>, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return json_error(StatusCode::NOT_FOUND, "not_found", "接口不存在");
    }
    (
        StatusCode::NOT_FOUND,
        Html(page(
            &state,
            "页面不存在",
            "",
            "<p>您要找的页面不存在。<a href=\"/\">返回首页</a></p>",
        )),
    )
        .into_response()
}
