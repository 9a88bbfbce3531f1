//! The web application behind `jixiao serve`: log-in with roles, security headers on every
//! response, the pages and the JSON API (`/api/v1`).
//!
//! The router is built from one route table ([`routes`]), so the route × role test covers
//! every route there is. The server keeps no state of its own: sessions live in the store,
//! so several processes can serve one database.

mod admin;
pub mod auth;
pub mod demo;
pub mod evidence;
mod frameworks;
mod funds;
mod handlers;
pub mod monitoring;
mod pages;
mod resources;

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use jixiao_store::Store;

/// Everything a handler needs.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Whether the data is the demo (a banner on every page).
    pub demo: bool,
    /// Whether cookies are marked Secure (behind TLS).
    pub secure_cookies: bool,
    /// Computed answers by project and version: a copy, checked against the database's
    /// version on every request, so several processes never serve stale data.
    pub cache: Cache,
}

impl AppState {
    /// A state over a store.
    #[must_use]
    pub fn new(store: Store, demo: bool, secure_cookies: bool) -> AppState {
        AppState {
            store,
            demo,
            secure_cookies,
            cache: Cache::default(),
        }
    }
}

/// Per project id: the state an answer was computed from (the project's version and its
/// number of ledger lines, which change what scoring sees), and the answer.
type Answers = std::collections::HashMap<i64, ((i64, i64), std::sync::Arc<str>)>;

/// Scored project answers keyed by project id, each with the version it was computed from.
#[derive(Clone, Debug, Default)]
pub struct Cache(std::sync::Arc<std::sync::Mutex<Answers>>);

impl Cache {
    /// The cached answer for a project at exactly this state (version, ledger lines).
    #[must_use]
    pub fn get(&self, id: i64, version: (i64, i64)) -> Option<std::sync::Arc<str>> {
        let map = self.0.lock().ok()?;
        map.get(&id)
            .filter(|(v, _)| *v == version)
            .map(|(_, body)| body.clone())
    }

    /// Keeps an answer (at most a few thousand projects are kept; then the cache restarts).
    pub fn put(&self, id: i64, version: (i64, i64), body: std::sync::Arc<str>) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= 4096 {
                map.clear();
            }
            map.insert(id, (version, body));
        }
    }
}

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Anyone logged in; what they see is scoped by organisation and role inside.
    LoggedIn,
}

/// One route of the application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// HTTP method.
    pub method: &'static str,
    /// Path pattern, axum syntax (`/api/v1/projects/{id}`).
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
}

/// The route table: every route with who may call it and its handler. The router is built
/// from it and the route × role test reads it, so the two cannot drift apart.
fn table() -> Vec<(Route, MethodRouter<AppState>)> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{delete, get, patch, post, put};
    let r = |method, path, access| Route {
        method,
        path,
        access,
    };
    use Access::{LoggedIn, Public};
    vec![
        (r("GET", "/", LoggedIn), get(pages::home::home)),
        (r("GET", "/login", Public), get(handlers::login_page)),
        (r("POST", "/login", Public), post(handlers::login)),
        (r("POST", "/logout", LoggedIn), post(handlers::logout)),
        (r("GET", "/account", LoggedIn), get(handlers::account)),
        (
            r("POST", "/account/password", LoggedIn),
            post(handlers::change_password),
        ),
        (r("GET", "/static/app.css", Public), get(handlers::css)),
        (
            r("GET", "/api/v1/openapi.json", Public),
            get(handlers::openapi),
        ),
        (r("GET", "/api/docs", Public), get(handlers::api_docs)),
        (r("GET", "/projects", LoggedIn), get(pages::projects::list)),
        (r("GET", "/admin", LoggedIn), get(pages::admin::show)),
        (
            r("POST", "/admin/users", LoggedIn),
            post(pages::admin::create_user),
        ),
        (
            r("POST", "/admin/users/{username}", LoggedIn),
            post(pages::admin::update_user),
        ),
        (
            r("POST", "/admin/organisations", LoggedIn),
            post(pages::admin::create_organisation),
        ),
        (
            r("POST", "/admin/review-chain", LoggedIn),
            post(pages::admin::review_chain),
        ),
        (
            r("POST", "/admin/monitoring", LoggedIn),
            post(pages::admin::monitoring),
        ),
        (
            r("POST", "/admin/fund-chain", LoggedIn),
            post(pages::admin::fund_chain),
        ),
        (
            r("POST", "/admin/frameworks", LoggedIn),
            post(pages::admin::upload_framework)
                .layer(DefaultBodyLimit::max(1024 * 1024 + 64 * 1024)),
        ),
        (
            r("GET", "/admin/frameworks/{name}", LoggedIn),
            get(pages::admin::framework),
        ),
        (
            r("GET", "/projects/{id}/audit", LoggedIn),
            get(pages::admin::trail),
        ),
        (r("GET", "/check", LoggedIn), get(pages::check::form)),
        (
            r("POST", "/check", LoggedIn),
            post(pages::check::check).layer(DefaultBodyLimit::max(20 * 1024 * 1024 + 64 * 1024)),
        ),
        (
            r("GET", "/projects/new", LoggedIn),
            get(pages::edit::new_form),
        ),
        (
            r("POST", "/projects/new", LoggedIn),
            post(pages::edit::create_blank),
        ),
        (
            r("POST", "/projects/import", LoggedIn),
            post(pages::edit::import).layer(DefaultBodyLimit::max(4 * 1024 * 1024 + 64 * 1024)),
        ),
        (
            r("GET", "/projects/{id}", LoggedIn),
            get(pages::projects::show),
        ),
        (
            r("GET", "/projects/{id}/edit", LoggedIn),
            get(pages::edit::basics_form),
        ),
        (
            r("POST", "/projects/{id}/edit", LoggedIn),
            post(pages::edit::save_basics),
        ),
        (
            r("GET", "/projects/{id}/report/{format}", LoggedIn),
            get(pages::projects::report),
        ),
        (
            r("GET", "/projects/{id}/funds", LoggedIn),
            get(pages::funds::show),
        ),
        (
            r("POST", "/projects/{id}/funds", LoggedIn),
            post(pages::funds::file),
        ),
        (
            r("GET", "/projects/{id}/ledger.xlsx", LoggedIn),
            get(pages::funds::ledger_xlsx),
        ),
        (
            r("GET", "/projects/{id}/monitoring", LoggedIn),
            get(pages::monitoring::show),
        ),
        (
            r("POST", "/projects/{id}/monitoring", LoggedIn),
            post(pages::monitoring::open),
        ),
        (
            r("GET", "/monitoring", LoggedIn),
            get(pages::monitoring::overview),
        ),
        (
            r("GET", "/monitoring/{round}", LoggedIn),
            get(pages::monitoring::round),
        ),
        (
            r("POST", "/monitoring/{round}", LoggedIn),
            post(pages::monitoring::save),
        ),
        (
            r("GET", "/monitoring/{round}/form.xlsx", LoggedIn),
            get(pages::monitoring::form_xlsx),
        ),
        (
            r("GET", "/warnings/{id}", LoggedIn),
            get(pages::monitoring::warning),
        ),
        (
            r("POST", "/warnings/{id}", LoggedIn),
            post(pages::monitoring::respond),
        ),
        (
            r("GET", "/fund-requests/{id}", LoggedIn),
            get(pages::funds::request),
        ),
        (
            r("POST", "/fund-requests/{id}", LoggedIn),
            post(pages::funds::act),
        ),
        (
            r("GET", "/projects/{id}/lists", LoggedIn),
            get(pages::lists::show),
        ),
        (
            r("POST", "/projects/{id}/lists/{kind}", LoggedIn),
            post(pages::lists::change),
        ),
        (
            r("GET", "/projects/{id}/narrative", LoggedIn),
            get(pages::edit::narrative_form),
        ),
        (
            r("POST", "/projects/{id}/narrative", LoggedIn),
            post(pages::edit::save_narrative),
        ),
        (
            r("POST", "/projects/{id}/continue", LoggedIn),
            post(pages::edit::continue_project),
        ),
        (
            r("POST", "/projects/{id}/replace", LoggedIn),
            post(pages::edit::replace).layer(DefaultBodyLimit::max(4 * 1024 * 1024 + 64 * 1024)),
        ),
        (
            r("GET", "/projects/{id}/indicators/{tid}", LoggedIn),
            get(pages::edit::indicator_form),
        ),
        (
            r("POST", "/projects/{id}/indicators/{tid}", LoggedIn),
            post(pages::edit::save_indicator),
        ),
        (
            r("POST", "/projects/{id}/indicators/{tid}/arrange", LoggedIn),
            post(pages::edit::arrange),
        ),
        (
            r("POST", "/projects/{id}/workflow", LoggedIn),
            post(pages::projects::step),
        ),
        (
            r("POST", "/projects/{id}/evidence", LoggedIn),
            post(pages::projects::upload_evidence)
                .layer(DefaultBodyLimit::max(evidence::MAX_BYTES + 64 * 1024)),
        ),
        (
            r("GET", "/projects/{id}/evaluation", LoggedIn),
            get(pages::evaluation::show),
        ),
        (
            r("POST", "/projects/{id}/framework", LoggedIn),
            post(pages::evaluation::choose_framework),
        ),
        (
            r("GET", "/projects/{id}/judgments/{code}", LoggedIn),
            get(pages::evaluation::judge_form),
        ),
        (
            r("POST", "/projects/{id}/judgments/{code}", LoggedIn),
            post(pages::evaluation::judge),
        ),
        (
            r("GET", "/projects/{id}/targets/{target}", LoggedIn),
            get(pages::projects::actual_form),
        ),
        (
            r("POST", "/projects/{id}/targets/{target}", LoggedIn),
            post(pages::projects::save_actual),
        ),
        (r("GET", "/api/v1/me", LoggedIn), get(handlers::me)),
        (
            r("GET", "/api/v1/organisations", LoggedIn),
            get(admin::organisations),
        ),
        (
            r("POST", "/api/v1/organisations", LoggedIn),
            post(admin::create_organisation),
        ),
        (r("GET", "/api/v1/users", LoggedIn), get(admin::users)),
        (
            r("POST", "/api/v1/users", LoggedIn),
            post(admin::create_user),
        ),
        (
            r("PATCH", "/api/v1/users/{username}", LoggedIn),
            patch(admin::update_user),
        ),
        (
            r("GET", "/api/v1/frameworks", LoggedIn),
            get(frameworks::list),
        ),
        (
            r("POST", "/api/v1/frameworks", LoggedIn),
            post(frameworks::upload).layer(DefaultBodyLimit::max(1024 * 1024)),
        ),
        (
            r("GET", "/api/v1/frameworks/{name}", LoggedIn),
            get(frameworks::show),
        ),
        (
            r("GET", "/api/v1/projects", LoggedIn),
            get(handlers::projects),
        ),
        (
            r("POST", "/api/v1/projects", LoggedIn),
            post(resources::create).layer(DefaultBodyLimit::max(4 * 1024 * 1024)),
        ),
        (
            r("GET", "/api/v1/projects/{id}", LoggedIn),
            get(handlers::project),
        ),
        (
            r("GET", "/api/v1/projects/{id}/file", LoggedIn),
            get(resources::file),
        ),
        (
            r("GET", "/api/v1/projects/{id}/budget", LoggedIn),
            get(resources::budget),
        ),
        (
            r("GET", "/api/v1/projects/{id}/targets", LoggedIn),
            get(resources::targets),
        ),
        (
            r(
                "PUT",
                "/api/v1/projects/{id}/targets/{target}/actual",
                LoggedIn,
            ),
            put(resources::set_actual),
        ),
        (
            r("PUT", "/api/v1/projects/{id}/judgments/{subject}", LoggedIn),
            put(resources::set_judgment),
        ),
        (
            r("PUT", "/api/v1/projects/{id}", LoggedIn),
            put(handlers::save_project).layer(DefaultBodyLimit::max(4 * 1024 * 1024)),
        ),
        (
            r("GET", "/api/v1/projects/{id}/workflows", LoggedIn),
            get(handlers::workflows),
        ),
        (
            r("GET", "/api/v1/projects/{id}/evidence", LoggedIn),
            get(evidence::list),
        ),
        (
            r("POST", "/api/v1/projects/{id}/evidence", LoggedIn),
            post(evidence::upload).layer(DefaultBodyLimit::max(evidence::MAX_BYTES)),
        ),
        (
            r("GET", "/api/v1/projects/{id}/evidence/{evidence}", LoggedIn),
            get(evidence::download),
        ),
        (
            r(
                "DELETE",
                "/api/v1/projects/{id}/evidence/{evidence}",
                LoggedIn,
            ),
            delete(evidence::delete),
        ),
        (
            r("GET", "/api/v1/organisations/{org}/fund-chain", LoggedIn),
            get(funds::chain),
        ),
        (
            r("PUT", "/api/v1/organisations/{org}/fund-chain", LoggedIn),
            put(funds::set_chain),
        ),
        (
            r("GET", "/api/v1/projects/{id}/fund-requests", LoggedIn),
            get(funds::list),
        ),
        (
            r("POST", "/api/v1/projects/{id}/fund-requests", LoggedIn),
            post(funds::file),
        ),
        (
            r("GET", "/api/v1/fund-requests/{id}", LoggedIn),
            get(funds::show),
        ),
        (
            r("POST", "/api/v1/fund-requests/{id}/decisions", LoggedIn),
            post(funds::decide),
        ),
        (
            r("GET", "/api/v1/projects/{id}/monitoring", LoggedIn),
            get(monitoring::project),
        ),
        (
            r("POST", "/api/v1/projects/{id}/monitoring", LoggedIn),
            post(monitoring::open),
        ),
        (
            r("GET", "/api/v1/monitoring", LoggedIn),
            get(monitoring::overview),
        ),
        (
            r("GET", "/api/v1/monitoring/{round}", LoggedIn),
            get(monitoring::show),
        ),
        (
            r("PUT", "/api/v1/monitoring/{round}", LoggedIn),
            put(monitoring::save),
        ),
        (
            r("POST", "/api/v1/monitoring/{round}/submission", LoggedIn),
            post(monitoring::submit),
        ),
        (
            r("POST", "/api/v1/warnings/{id}/response", LoggedIn),
            post(monitoring::respond),
        ),
        (
            r("GET", "/api/v1/settings/monitoring", LoggedIn),
            get(monitoring::settings),
        ),
        (
            r("PUT", "/api/v1/settings/monitoring", LoggedIn),
            put(monitoring::set_settings),
        ),
        (
            r("GET", "/api/v1/projects/{id}/ledger", LoggedIn),
            get(funds::ledger),
        ),
        (
            r(
                "POST",
                "/api/v1/projects/{id}/ledger/{line}/reversal",
                LoggedIn,
            ),
            post(funds::reverse),
        ),
        (
            r("GET", "/api/v1/projects/{id}/target-versions", LoggedIn),
            get(handlers::target_versions),
        ),
        (
            r("POST", "/api/v1/projects/{id}/workflows/{kind}", LoggedIn),
            post(handlers::workflow_step),
        ),
        (
            r(
                "GET",
                "/api/v1/organisations/{org}/review-chain/{kind}",
                LoggedIn,
            ),
            get(handlers::review_chain),
        ),
        (
            r(
                "PUT",
                "/api/v1/organisations/{org}/review-chain/{kind}/{step}",
                LoggedIn,
            ),
            put(handlers::set_review_step),
        ),
        (
            r("GET", "/api/v1/projects/{id}/report", LoggedIn),
            get(handlers::report),
        ),
        (
            r("POST", "/api/v1/audit", LoggedIn),
            post(handlers::audit_upload).layer(DefaultBodyLimit::max(20 * 1024 * 1024)),
        ),
    ]
}

/// Every route the application serves.
#[must_use]
pub fn routes() -> Vec<Route> {
    table().into_iter().map(|(route, _)| route).collect()
}

/// The application.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for (route, handler) in table() {
        router = router.route(route.path, handler);
    }
    router
        .fallback(handlers::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Security headers on every response: a CSP without inline script, no sniffing, no
/// framing, no referrer, and no caching of what a logged-in user sees.
async fn security_headers(req: axum::extract::Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let method_is_safe = req.method() == Method::GET;
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    if res.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        // The framework's own refusal is English text: say it in Chinese, with the limit.
        let limit = if path.starts_with("/api/v1/audit")
            || path.contains("/evidence")
            || path == "/check"
        {
            "20 MB"
        } else if path.starts_with("/api/v1/projects") {
            "4 MB"
        } else if path.starts_with("/api/v1/frameworks") {
            "1 MB"
        } else {
            "64 KB"
        };
        res = if path.starts_with("/api/") {
            (
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                axum::Json(serde_json::json!({ "error": {
                    "code": "too_large",
                    "message": format!("请求体超过上限 {limit}"),
                }})),
            )
                .into_response()
        } else {
            (
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                axum::response::Html(format!(
                    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
                     <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                     <title>文件太大 - 绩效</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>\
                     <body><main id=\"main\"><h1>文件太大</h1><p role=\"alert\">上传的内容超过上限 {limit}，\
                     未保存任何内容。请返回上一页，换一个较小的文件。</p></main></body></html>"
                )),
            )
                .into_response()
        };
    }
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "no-referrer");
    if !is_static || !method_is_safe {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    res
}
