//! The web application through its router (no socket): every route × every role and
//! anonymous, log-in with lock-out, CSRF, cookies, security headers, scoping by organisation.
#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot unwrap should fail the test"
)]

use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt as _;
use jixiao_core::project::Role;
use jixiao_store::{OrgKind, Store};
use jixiao_web::demo::{DEMO_PASSWORD, DEMO_USERS};
use jixiao_web::{Access, AppState, app, routes};
use tower::ServiceExt as _;

struct TestApp {
    state: AppState,
    _dir: jixiao_testkit::TempDir,
    /// The demo project (the Federation's) and another department's.
    own: i64,
    other: i64,
    /// Their organisations.
    own_org: i64,
    other_org: i64,
    /// The Kunming project file, for saves.
    file: String,
}

impl TestApp {
    async fn new() -> TestApp {
        let dir = jixiao_testkit::TempDir::new("web");
        let store = Store::open_data_dir(dir.path()).await.unwrap();
        assert!(jixiao_web::demo::seed(&store).await.unwrap());
        assert!(
            !jixiao_web::demo::seed(&store).await.unwrap(),
            "seeded once"
        );
        let own = store.projects(None).await.unwrap()[0].id.0;
        let bureau = store
            .organisation_by_name("昆明市财政局")
            .await
            .unwrap()
            .unwrap();
        let other_org = store
            .create_organisation("昆明市民政局", OrgKind::Department, Some(bureau), "test")
            .await
            .unwrap();
        let mut p = jixiao_core::file::project::read(jixiao_testkit::kunming_example().as_bytes())
            .value
            .unwrap();
        p.department = "昆明市民政局".into();
        let other = store.insert_project(other_org, &p, "test").await.unwrap().0;
        let own_org = store
            .organisation_by_name("昆明市残疾人联合会")
            .await
            .unwrap()
            .unwrap()
            .0;
        TestApp {
            own_org,
            other_org: other_org.0,
            state: AppState::new(store, true, false),
            _dir: dir,
            own,
            other,
            file: jixiao_testkit::kunming_example(),
        }
    }

    async fn send(&self, req: Request<Body>) -> Response<Body> {
        app(self.state.clone()).oneshot(req).await.unwrap()
    }

    /// Logs in; returns the session cookie and the page's CSRF token.
    async fn login(&self, username: &str, password: &str) -> (StatusCode, Option<String>) {
        let page = self.send(get("/login", None)).await;
        let csrf_cookie = set_cookie(&page, "jixiao_csrf").unwrap();
        let html = body(page).await;
        let csrf = html
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        let res = self
            .send(post(
                "/login",
                Some(&format!("jixiao_csrf={csrf_cookie}")),
                &format!("username={username}&password={password}&csrf={csrf}"),
            ))
            .await;
        let status = res.status();
        (status, set_cookie(&res, "jixiao_session"))
    }

    /// The session's CSRF token, from the home page's log-out form.
    async fn csrf_of(&self, session: &str) -> String {
        let html = body(
            self.send(get("/", Some(&format!("jixiao_session={session}"))))
                .await,
        )
        .await;
        html.split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned()
    }
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::builder().method("GET").uri(path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

/// A request without a body.
fn request(method: &str, path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

fn post(path: &str, cookie: Option<&str>, form: &str) -> Request<Body> {
    let mut b = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(form.to_owned())).unwrap()
}

/// A save that overwrites whatever version is there.
fn put(path: &str, cookie: Option<&str>, file: &str) -> Request<Body> {
    put_if(path, cookie, file, Some("*"))
}

fn put_if(path: &str, cookie: Option<&str>, file: &str, if_match: Option<&str>) -> Request<Body> {
    let mut b = Request::builder()
        .method("PUT")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/toml");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    if let Some(m) = if_match {
        b = b.header(header::IF_MATCH, m);
    }
    b.body(Body::from(file.to_owned())).unwrap()
}

fn set_cookie(res: &Response<Body>, name: &str) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

async fn body(res: Response<Body>) -> String {
    String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

/// A multipart form as a browser sends it: the fields, then one file.
fn multipart(
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    file: (&str, &str, &[u8]),
) -> Request<Body> {
    let boundary = "----jixiao-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    let (field, filename, bytes) = file;
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut b = Request::builder().method("POST").uri(path).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={boundary}"),
    );
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body)).unwrap()
}

/// What each page route must answer for a role (`None`: anonymous): the requests and their
/// statuses. Posts carry a wrong CSRF token: refused (403) for everyone logged in.
fn page_expectations(
    t: &TestApp,
    method: &str,
    path: &str,
    role: Option<Role>,
    cookie: Option<&str>,
) -> (Vec<Request<Body>>, Vec<StatusCode>) {
    let fill = |project: i64| {
        path.replace("{id}", &project.to_string())
            .replace("{target}", "T01")
            .replace("{code}", "A111")
            .replace("{name}", "kunming-2022")
            .replace("{username}", "officer")
            .replace("{tid}", "T01")
            .replace("{format}", "xlsx")
            .replace("{round}", "1")
    };
    let Some(role) = role else {
        // Every page sends an anonymous visitor to the log-in page.
        let req = if method == "GET" {
            get(&fill(t.own), cookie)
        } else if [
            "/projects/{id}/evidence",
            "/check",
            "/admin/frameworks",
            "/projects/import",
            "/projects/{id}/replace",
        ]
        .contains(&path)
        {
            multipart(
                &fill(t.own),
                cookie,
                &[("csrf", "x")],
                ("file", "a.pdf", b"%PDF-1.4"),
            )
        } else {
            post(&fill(t.own), cookie, "csrf=x")
        };
        return (vec![req], vec![StatusCode::SEE_OTHER]);
    };
    let ok_if = |allowed: bool| {
        if allowed {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        }
    };
    let sees_all = matches!(role, Role::Reviewer | Role::Admin);
    let editor = matches!(role, Role::Officer | Role::HeadOfOffice | Role::Admin);
    let judge = editor || role == Role::EvaluationGroup;
    match (method, path) {
        ("GET", "/projects" | "/check" | "/admin/frameworks/{name}") => {
            (vec![get(&fill(t.own), cookie)], vec![StatusCode::OK])
        }
        ("GET", "/admin") => (vec![get(path, cookie)], vec![ok_if(role == Role::Admin)]),
        ("GET", "/projects/new") => (vec![get(path, cookie)], vec![ok_if(editor)]),
        ("GET", "/fund-requests/{id}" | "/warnings/{id}") => (
            vec![get(&path.replace("{id}", "999999"), cookie)],
            vec![StatusCode::NOT_FOUND],
        ),
        ("GET", "/monitoring") => (vec![get(path, cookie)], vec![StatusCode::OK]),
        ("GET", "/monitoring/{round}" | "/monitoring/{round}/form.xlsx") => (
            vec![get(&path.replace("{round}", "999999"), cookie)],
            vec![StatusCode::NOT_FOUND],
        ),
        ("GET", _) => {
            let may = match path {
                "/projects/{id}/targets/{target}"
                | "/projects/{id}/edit"
                | "/projects/{id}/narrative"
                | "/projects/{id}/lists"
                | "/projects/{id}/indicators/{tid}" => editor,
                "/projects/{id}/judgments/{code}" => judge,
                "/projects/{id}/audit" => sees_all,
                _ => true,
            };
            (
                vec![get(&fill(t.own), cookie), get(&fill(t.other), cookie)],
                vec![ok_if(may), ok_if(may && sees_all)],
            )
        }
        (
            _,
            "/projects/{id}/evidence"
            | "/check"
            | "/admin/frameworks"
            | "/projects/import"
            | "/projects/{id}/replace",
        ) => (
            vec![multipart(
                &fill(t.own),
                cookie,
                &[("csrf", "wrong")],
                ("file", "a.pdf", b"%PDF-1.4"),
            )],
            vec![StatusCode::FORBIDDEN],
        ),
        _ => (
            vec![post(&fill(t.own), cookie, "csrf=wrong")],
            vec![StatusCode::FORBIDDEN],
        ),
    }
}

/// Every route of the table, for every demo user and for an anonymous visitor, with the
/// status each must get; a route the table gains without an expectation here fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_for_every_role_and_anonymous() {
    let t = TestApp::new().await;
    let mut sessions = vec![(None, None)];
    for (username, _, role, _) in DEMO_USERS {
        let (status, cookie) = t.login(username, DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{username} logs in");
        sessions.push((Some(*role), cookie));
    }
    for route in routes() {
        for (role, session) in &sessions {
            let cookie = session.as_ref().map(|s| format!("jixiao_session={s}"));
            let cookie = cookie.as_deref();
            let sees_all = matches!(role, Some(Role::Reviewer | Role::Admin));
            let (req, expected): (Vec<Request<Body>>, Vec<StatusCode>) =
                match (route.method, route.path, role.is_some()) {
                    (method, path, _)
                        if [
                            "/projects",
                            "/check",
                            "/admin",
                            "/fund-requests",
                            "/monitoring",
                            "/warnings",
                        ]
                        .iter()
                        .any(|p| path == *p || path.starts_with(&format!("{p}/"))) =>
                    {
                        page_expectations(&t, method, path, *role, cookie)
                    }
                    ("GET", "/", true) => (vec![get("/", cookie)], vec![StatusCode::OK]),
                    ("GET", "/", false) => (vec![get("/", cookie)], vec![StatusCode::SEE_OTHER]),
                    ("GET", "/login", _) => (vec![get("/login", cookie)], vec![StatusCode::OK]),
                    // A log-in post without the form's token is refused whoever sends it.
                    ("POST", "/login", _) => (
                        vec![post("/login", cookie, "username=x&password=y")],
                        vec![StatusCode::FORBIDDEN],
                    ),
                    ("POST", "/logout", true) => (
                        vec![post("/logout", cookie, "csrf=wrong")],
                        vec![StatusCode::FORBIDDEN],
                    ),
                    ("POST", "/logout", false) => (
                        vec![post("/logout", cookie, "csrf=x")],
                        vec![StatusCode::SEE_OTHER],
                    ),
                    ("GET", "/account", true) => {
                        (vec![get("/account", cookie)], vec![StatusCode::OK])
                    }
                    ("GET", "/account", false) => {
                        (vec![get("/account", cookie)], vec![StatusCode::SEE_OTHER])
                    }
                    ("POST", "/account/password", true) => (
                        vec![post(
                            "/account/password",
                            cookie,
                            "csrf=wrong&current=x&new=y&confirm=y",
                        )],
                        vec![StatusCode::FORBIDDEN],
                    ),
                    ("POST", "/account/password", false) => (
                        vec![post("/account/password", cookie, "csrf=x")],
                        vec![StatusCode::SEE_OTHER],
                    ),
                    ("GET", "/static/app.css" | "/api/v1/openapi.json" | "/api/docs", _)
                    | ("GET", "/api/v1/me" | "/api/v1/projects", true) => {
                        (vec![get(route.path, cookie)], vec![StatusCode::OK])
                    }
                    ("GET", "/api/v1/me" | "/api/v1/projects", false) => (
                        vec![get(route.path, cookie)],
                        vec![StatusCode::UNAUTHORIZED],
                    ),
                    ("GET", "/api/v1/projects/{id}", true) => (
                        vec![
                            get(&format!("/api/v1/projects/{}", t.own), cookie),
                            get(&format!("/api/v1/projects/{}", t.other), cookie),
                            get("/api/v1/projects/999999", cookie),
                        ],
                        vec![
                            // Every demo user but the reviewer and admin works at the Federation;
                            // those two see every organisation's projects.
                            StatusCode::OK,
                            if sees_all {
                                StatusCode::OK
                            } else {
                                StatusCode::FORBIDDEN
                            },
                            StatusCode::NOT_FOUND,
                        ],
                    ),
                    ("PUT", "/api/v1/projects/{id}", true) => {
                        let editor =
                            matches!(role, Some(Role::Officer | Role::HeadOfOffice | Role::Admin));
                        (
                            vec![
                                put(&format!("/api/v1/projects/{}", t.own), cookie, &t.file),
                                put(&format!("/api/v1/projects/{}", t.other), cookie, &t.file),
                            ],
                            vec![
                                if editor {
                                    StatusCode::OK
                                } else {
                                    StatusCode::FORBIDDEN
                                },
                                if *role == Some(Role::Admin) {
                                    StatusCode::OK
                                } else {
                                    StatusCode::FORBIDDEN
                                },
                            ],
                        )
                    }
                    // A step must come as JSON: a form (what another site could post) is refused.
                    ("POST", "/api/v1/projects/{id}/workflows/{kind}", true) => (
                        vec![
                            post(
                                &format!("/api/v1/projects/{}/workflows/target_sheet", t.own),
                                cookie,
                                "action=submit",
                            ),
                            post(
                                &format!("/api/v1/projects/{}/workflows/target_sheet", t.other),
                                cookie,
                                "action=submit",
                            ),
                        ],
                        vec![
                            StatusCode::UNSUPPORTED_MEDIA_TYPE,
                            if sees_all {
                                StatusCode::UNSUPPORTED_MEDIA_TYPE
                            } else {
                                StatusCode::FORBIDDEN
                            },
                        ],
                    ),
                    ("POST", "/api/v1/projects/{id}/workflows/{kind}", false) => (
                        vec![post(
                            &format!("/api/v1/projects/{}/workflows/target_sheet", t.own),
                            cookie,
                            "action=submit",
                        )],
                        vec![StatusCode::UNAUTHORIZED],
                    ),
                    ("GET", "/api/v1/projects/{id}/report", true) => (
                        vec![
                            get(
                                &format!("/api/v1/projects/{}/report?format=xlsx", t.own),
                                cookie,
                            ),
                            get(
                                &format!("/api/v1/projects/{}/report?format=xlsx", t.other),
                                cookie,
                            ),
                        ],
                        vec![
                            StatusCode::OK,
                            if sees_all {
                                StatusCode::OK
                            } else {
                                StatusCode::FORBIDDEN
                            },
                        ],
                    ),
                    ("GET", "/api/v1/projects/{id}/report", false) => (
                        vec![get(
                            &format!("/api/v1/projects/{}/report?format=docx", t.own),
                            cookie,
                        )],
                        vec![StatusCode::UNAUTHORIZED],
                    ),
                    ("GET", "/api/v1/organisations/{org}/review-chain/{kind}", true) => (
                        vec![
                            get(
                                &format!(
                                    "/api/v1/organisations/{}/review-chain/target_sheet",
                                    t.own_org
                                ),
                                cookie,
                            ),
                            get(
                                &format!(
                                    "/api/v1/organisations/{}/review-chain/target_sheet",
                                    t.other_org
                                ),
                                cookie,
                            ),
                        ],
                        vec![
                            StatusCode::OK,
                            if sees_all {
                                StatusCode::OK
                            } else {
                                StatusCode::FORBIDDEN
                            },
                        ],
                    ),
                    ("GET", "/api/v1/organisations/{org}/review-chain/{kind}", false) => (
                        vec![get(
                            &format!(
                                "/api/v1/organisations/{}/review-chain/target_sheet",
                                t.own_org
                            ),
                            cookie,
                        )],
                        vec![StatusCode::UNAUTHORIZED],
                    ),
                    // Only an administrator changes a review chain (here to its default roles).
                    (
                        "PUT",
                        "/api/v1/organisations/{org}/review-chain/{kind}/{step}",
                        logged_in,
                    ) => (
                        vec![json_request(
                            "PUT",
                            &format!(
                                "/api/v1/organisations/{}/review-chain/target_sheet/submitted",
                                t.own_org
                            ),
                            cookie,
                            r#"{"roles":["部门负责人"]}"#,
                        )],
                        vec![if !logged_in {
                            StatusCode::UNAUTHORIZED
                        } else if *role == Some(Role::Admin) {
                            StatusCode::OK
                        } else {
                            StatusCode::FORBIDDEN
                        }],
                    ),
                    ("GET", "/api/v1/projects/{id}/evidence/{evidence}", true) => (
                        vec![
                            get(
                                &format!("/api/v1/projects/{}/evidence/999999", t.own),
                                cookie,
                            ),
                            get(
                                &format!("/api/v1/projects/{}/evidence/999999", t.other),
                                cookie,
                            ),
                        ],
                        vec![
                            StatusCode::NOT_FOUND,
                            if sees_all {
                                StatusCode::NOT_FOUND
                            } else {
                                StatusCode::FORBIDDEN
                            },
                        ],
                    ),
                    // Uploads must be the file itself (a form is refused) and only by those who
                    // handle the project's evidence: its officers, office head, evaluation group
                    // and administrators.
                    ("POST", "/api/v1/projects/{id}/evidence", true) => {
                        let handles = matches!(
                            role,
                            Some(
                                Role::Officer
                                    | Role::HeadOfOffice
                                    | Role::EvaluationGroup
                                    | Role::Admin
                            )
                        );
                        (
                            vec![
                                post(
                                    &format!("/api/v1/projects/{}/evidence?name=a.pdf", t.own),
                                    cookie,
                                    "x=1",
                                ),
                                post(
                                    &format!("/api/v1/projects/{}/evidence?name=a.pdf", t.other),
                                    cookie,
                                    "x=1",
                                ),
                            ],
                            vec![
                                if handles {
                                    StatusCode::UNSUPPORTED_MEDIA_TYPE
                                } else {
                                    StatusCode::FORBIDDEN
                                },
                                if *role == Some(Role::Admin) {
                                    StatusCode::UNSUPPORTED_MEDIA_TYPE
                                } else {
                                    StatusCode::FORBIDDEN
                                },
                            ],
                        )
                    }
                    ("DELETE", "/api/v1/projects/{id}/evidence/{evidence}", true) => {
                        let handles = matches!(
                            role,
                            Some(
                                Role::Officer
                                    | Role::HeadOfOffice
                                    | Role::EvaluationGroup
                                    | Role::Admin
                            )
                        );
                        (
                            vec![
                                request(
                                    "DELETE",
                                    &format!("/api/v1/projects/{}/evidence/999999", t.own),
                                    cookie,
                                ),
                                request(
                                    "DELETE",
                                    &format!("/api/v1/projects/{}/evidence/999999", t.other),
                                    cookie,
                                ),
                            ],
                            vec![
                                if handles {
                                    StatusCode::NOT_FOUND
                                } else {
                                    StatusCode::FORBIDDEN
                                },
                                if *role == Some(Role::Admin) {
                                    StatusCode::NOT_FOUND
                                } else {
                                    StatusCode::FORBIDDEN
                                },
                            ],
                        )
                    }
                    (
                        method @ ("GET" | "POST" | "DELETE"),
                        path @ ("/api/v1/projects/{id}/evidence"
                        | "/api/v1/projects/{id}/evidence/{evidence}"),
                        false,
                    ) => (
                        vec![request(
                            method,
                            &path
                                .replace("{id}", &t.own.to_string())
                                .replace("{evidence}", "1"),
                            cookie,
                        )],
                        vec![StatusCode::UNAUTHORIZED],
                    ),
                    (
                        "GET",
                        path @ ("/api/v1/projects/{id}/file"
                        | "/api/v1/projects/{id}/budget"
                        | "/api/v1/projects/{id}/targets"
                        | "/api/v1/projects/{id}/workflows"
                        | "/api/v1/projects/{id}/target-versions"
                        | "/api/v1/projects/{id}/evidence"
                        | "/api/v1/projects/{id}/fund-requests"
                        | "/api/v1/projects/{id}/ledger"
                        | "/api/v1/projects/{id}/monitoring"),
                        logged_in,
                    ) => (
                        vec![
                            get(&path.replace("{id}", &t.own.to_string()), cookie),
                            get(&path.replace("{id}", &t.other.to_string()), cookie),
                        ],
                        if !logged_in {
                            vec![StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED]
                        } else if sees_all {
                            vec![StatusCode::OK, StatusCode::OK]
                        } else {
                            vec![StatusCode::OK, StatusCode::FORBIDDEN]
                        },
                    ),
                    // Creating needs an editor; an administrator must name the organisation.
                    ("POST", "/api/v1/projects", logged_in) => (
                        vec![post("/api/v1/projects", cookie, "x=1")],
                        vec![match role {
                            None => StatusCode::UNAUTHORIZED,
                            Some(Role::Admin) => StatusCode::BAD_REQUEST,
                            Some(Role::Officer | Role::HeadOfOffice) => {
                                StatusCode::UNSUPPORTED_MEDIA_TYPE
                            }
                            Some(_) => {
                                assert!(logged_in);
                                StatusCode::FORBIDDEN
                            }
                        }],
                    ),
                    // Actual values are the editors'; scores also the evaluation group's. The
                    // body must be JSON: a form (what another site could send) is refused.
                    (
                        "PUT",
                        path @ ("/api/v1/projects/{id}/targets/{target}/actual"
                        | "/api/v1/projects/{id}/judgments/{subject}"),
                        logged_in,
                    ) => {
                        let may = match role {
                            Some(Role::Officer | Role::HeadOfOffice | Role::Admin) => true,
                            Some(Role::EvaluationGroup) => path.contains("judgments"),
                            _ => false,
                        };
                        let form = |project: i64| {
                            let uri = path
                                .replace("{id}", &project.to_string())
                                .replace("{target}", "T01")
                                .replace("{subject}", "A111");
                            let mut b = Request::builder()
                                .method("PUT")
                                .uri(uri)
                                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                            if let Some(c) = cookie {
                                b = b.header(header::COOKIE, c);
                            }
                            b.body(Body::from("value=1")).unwrap()
                        };
                        (
                            vec![form(t.own), form(t.other)],
                            if !logged_in {
                                vec![StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED]
                            } else if *role == Some(Role::Admin) {
                                vec![
                                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                                ]
                            } else if may {
                                vec![StatusCode::UNSUPPORTED_MEDIA_TYPE, StatusCode::FORBIDDEN]
                            } else {
                                vec![StatusCode::FORBIDDEN, StatusCode::FORBIDDEN]
                            },
                        )
                    }
                    ("GET", "/api/v1/frameworks", logged_in) => (
                        vec![get("/api/v1/frameworks", cookie)],
                        vec![if logged_in {
                            StatusCode::OK
                        } else {
                            StatusCode::UNAUTHORIZED
                        }],
                    ),
                    ("GET", "/api/v1/frameworks/{name}", logged_in) => (
                        vec![
                            get("/api/v1/frameworks/kunming-2022", cookie),
                            get("/api/v1/frameworks/nothing", cookie),
                        ],
                        if logged_in {
                            vec![StatusCode::OK, StatusCode::NOT_FOUND]
                        } else {
                            vec![StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED]
                        },
                    ),
                    // Only an administrator uploads, and only a TOML file.
                    ("POST", "/api/v1/frameworks", logged_in) => (
                        vec![post("/api/v1/frameworks", cookie, "x=1")],
                        vec![match role {
                            None => StatusCode::UNAUTHORIZED,
                            Some(Role::Admin) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                            Some(_) => {
                                assert!(logged_in);
                                StatusCode::FORBIDDEN
                            }
                        }],
                    ),
                    ("GET", "/api/v1/organisations", logged_in) => (
                        vec![get("/api/v1/organisations", cookie)],
                        vec![if logged_in {
                            StatusCode::OK
                        } else {
                            StatusCode::UNAUTHORIZED
                        }],
                    ),
                    ("GET", "/api/v1/users", logged_in) => (
                        vec![get("/api/v1/users", cookie)],
                        vec![match role {
                            None => StatusCode::UNAUTHORIZED,
                            Some(Role::Admin) => StatusCode::OK,
                            Some(_) => {
                                assert!(logged_in);
                                StatusCode::FORBIDDEN
                            }
                        }],
                    ),
                    // Administration needs an administrator and a JSON body.
                    (
                        method @ ("POST" | "PATCH"),
                        path @ ("/api/v1/organisations"
                        | "/api/v1/users"
                        | "/api/v1/users/{username}"),
                        logged_in,
                    ) => {
                        let mut b = Request::builder()
                            .method(method)
                            .uri(path.replace("{username}", "officer"))
                            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                        if let Some(c) = cookie {
                            b = b.header(header::COOKIE, c);
                        }
                        (
                            vec![b.body(Body::from("name=x")).unwrap()],
                            vec![match role {
                                None => StatusCode::UNAUTHORIZED,
                                Some(Role::Admin) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                                Some(_) => {
                                    assert!(logged_in);
                                    StatusCode::FORBIDDEN
                                }
                            }],
                        )
                    }
                    // Funds: a form body is refused (415) once the project is visible.
                    (
                        "POST",
                        path @ ("/api/v1/projects/{id}/fund-requests"
                        | "/api/v1/projects/{id}/ledger/{line}/reversal"
                        | "/api/v1/projects/{id}/monitoring"),
                        logged_in,
                    ) => {
                        let fill = |project: i64| {
                            path.replace("{id}", &project.to_string())
                                .replace("{line}", "1")
                        };
                        (
                            vec![
                                post(&fill(t.own), cookie, "amount=1"),
                                post(&fill(t.other), cookie, "amount=1"),
                            ],
                            if !logged_in {
                                vec![StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED]
                            } else if sees_all {
                                vec![
                                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                                ]
                            } else {
                                vec![StatusCode::UNSUPPORTED_MEDIA_TYPE, StatusCode::FORBIDDEN]
                            },
                        )
                    }
                    (
                        method,
                        path @ ("/api/v1/fund-requests/{id}"
                        | "/api/v1/fund-requests/{id}/decisions"
                        | "/api/v1/monitoring/{round}"
                        | "/api/v1/monitoring/{round}/submission"
                        | "/api/v1/warnings/{id}/response"),
                        logged_in,
                    ) => (
                        vec![{
                            let uri = path.replace("{id}", "999999").replace("{round}", "999999");
                            match method {
                                "GET" => get(&uri, cookie),
                                "PUT" => json_request("PUT", &uri, cookie, r#"{"version":1}"#),
                                _ => post(&uri, cookie, "action=approve"),
                            }
                        }],
                        vec![if logged_in {
                            StatusCode::NOT_FOUND
                        } else {
                            StatusCode::UNAUTHORIZED
                        }],
                    ),
                    ("GET", "/api/v1/monitoring" | "/api/v1/settings/monitoring", logged_in) => (
                        vec![get(route.path, cookie)],
                        vec![if logged_in {
                            StatusCode::OK
                        } else {
                            StatusCode::UNAUTHORIZED
                        }],
                    ),
                    // Settings: administrators only; a form body is refused (415).
                    ("PUT", "/api/v1/settings/monitoring", _) => (
                        vec![put(route.path, cookie, "rules=x")],
                        vec![match role {
                            None => StatusCode::UNAUTHORIZED,
                            Some(Role::Admin) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                            Some(_) => StatusCode::FORBIDDEN,
                        }],
                    ),
                    ("GET", "/api/v1/organisations/{org}/fund-chain", logged_in) => (
                        vec![
                            get(
                                &format!("/api/v1/organisations/{}/fund-chain", t.own_org),
                                cookie,
                            ),
                            get(
                                &format!("/api/v1/organisations/{}/fund-chain", t.other_org),
                                cookie,
                            ),
                        ],
                        if !logged_in {
                            vec![StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED]
                        } else if sees_all {
                            vec![StatusCode::OK, StatusCode::OK]
                        } else {
                            vec![StatusCode::OK, StatusCode::FORBIDDEN]
                        },
                    ),
                    ("PUT", "/api/v1/organisations/{org}/fund-chain", logged_in) => (
                        vec![json_request(
                            "PUT",
                            &format!("/api/v1/organisations/{}/fund-chain", t.own_org),
                            cookie,
                            r#"{"steps":[]}"#,
                        )],
                        vec![match role {
                            None => StatusCode::UNAUTHORIZED,
                            Some(Role::Admin) => StatusCode::OK,
                            Some(_) => {
                                assert!(logged_in);
                                StatusCode::FORBIDDEN
                            }
                        }],
                    ),
                    ("POST", "/api/v1/audit", true) => (
                        vec![post("/api/v1/audit?name=a.txt", cookie, "text")],
                        vec![StatusCode::UNSUPPORTED_MEDIA_TYPE],
                    ),
                    ("POST", "/api/v1/audit", false) => (
                        vec![post("/api/v1/audit?name=a.txt", cookie, "text")],
                        vec![StatusCode::UNAUTHORIZED],
                    ),
                    ("PUT", "/api/v1/projects/{id}", false) => (
                        vec![put(&format!("/api/v1/projects/{}", t.own), cookie, &t.file)],
                        vec![StatusCode::UNAUTHORIZED],
                    ),
                    ("GET", "/api/v1/projects/{id}", false) => (
                        vec![get(&format!("/api/v1/projects/{}", t.own), cookie)],
                        vec![StatusCode::UNAUTHORIZED],
                    ),
                    other => panic!("route {other:?} has no expectation in this test"),
                };
            for (req, want) in req.into_iter().zip(expected) {
                let uri = req.uri().clone();
                let res = t.send(req).await;
                assert_eq!(res.status(), want, "{} {uri} as {role:?}", route.method);
                // Security headers on every response.
                let h = res.headers();
                assert!(h.contains_key(header::CONTENT_SECURITY_POLICY), "{uri}");
                assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
                assert_eq!(h.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
                assert!(h.contains_key(header::REFERRER_POLICY));
            }
            // An anonymous visitor is turned away from every route that is not public.
            if role.is_none() && route.access == Access::LoggedIn {
                assert!(route.path != "/login" && route.path != "/static/app.css");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_lock_out_and_log_out() {
    let t = TestApp::new().await;
    // The session cookie is HttpOnly and SameSite=Strict.
    let page = t.send(get("/login", None)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let (status, session) = t.login("officer", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let session = session.unwrap();
    let me = body(
        t.send(get(
            "/api/v1/me",
            Some(&format!("jixiao_session={session}")),
        ))
        .await,
    )
    .await;
    assert!(me.contains("\"role\":\"经办人\""), "{me}");
    // Log-out needs the session's CSRF token, then the session is gone.
    let csrf = t.csrf_of(&session).await;
    let cookie = format!("jixiao_session={session}");
    let res = t
        .send(post("/logout", Some(&cookie), &format!("csrf={csrf}")))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        t.send(get("/api/v1/me", Some(&cookie))).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Changing the password: the current one is checked, the new one must be long enough and
    // typed twice; afterwards only the new one logs in.
    let (_, session) = t.login("finance", DEMO_PASSWORD).await;
    let session = session.unwrap();
    let cookie = format!("jixiao_session={session}");
    let csrf = t.csrf_of(&session).await;
    let change = |current: &str, new: &str, confirm: &str| {
        post(
            "/account/password",
            Some(&cookie),
            &format!("csrf={csrf}&current={current}&new={new}&confirm={confirm}"),
        )
    };
    let res = t
        .send(change("wrong-current", "new-password-1", "new-password-1"))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(res).await.contains("当前密码不正确"));
    let res = t.send(change(DEMO_PASSWORD, "short", "short")).await;
    assert!(body(res).await.contains("新密码太短"));
    let res = t
        .send(change(DEMO_PASSWORD, "new-password-1", "new-password-2"))
        .await;
    assert!(body(res).await.contains("两次输入的新密码不一致"));
    let res = t
        .send(change(DEMO_PASSWORD, "new-password-1", "new-password-1"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body(res).await.contains("密码已修改"));
    assert_eq!(
        t.login("finance", DEMO_PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        t.login("finance", "new-password-1").await.0,
        StatusCode::SEE_OTHER
    );
    // Five wrong passwords lock the account: the right one is then refused too.
    for _ in 0..5 {
        let (status, cookie) = t.login("cashier", "wrong-password").await;
        assert_eq!((status, cookie), (StatusCode::UNAUTHORIZED, None));
    }
    let (status, cookie) = t.login("cashier", DEMO_PASSWORD).await;
    assert_eq!((status, cookie), (StatusCode::LOCKED, None));
    // An unknown user gets the same answer as a wrong password.
    assert_eq!(
        t.login("nobody", "whatever-pass").await.0,
        StatusCode::UNAUTHORIZED
    );
    // A forged session cookie is no session.
    let forged = "jixiao_session=00000000";
    assert_eq!(
        t.send(get("/", Some(forged))).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_chinese_accessible_html_and_errors_are_json_for_the_api() {
    let t = TestApp::new().await;
    let html = body(t.send(get("/login", None)).await).await;
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("<label for=\"username\">用户名</label>"));
    assert!(html.contains("<label for=\"password\">密码</label>"));
    assert!(html.contains("演示数据"), "the demo banner");
    assert!(!html.contains("<script"), "no inline script");
    let docs = body(t.send(get("/api/docs", None)).await).await;
    assert!(
        docs.contains("<code>PUT /api/v1/projects/{id}</code>")
            && docs.contains("<caption>响应</caption>"),
        "the API docs are browsable without logging in"
    );
    let res = t.send(get("/api/v1/nothing", None)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        body(res).await,
        r#"{"error":{"code":"not_found","message":"接口不存在"}}"#
    );
    let res = t.send(get("/nothing", None)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(body(res).await.contains("页面不存在"));
    let (_, session) = t.login("admin", DEMO_PASSWORD).await;
    let cookie = format!("jixiao_session={}", session.unwrap());
    let res = t.send(get("/api/v1/projects/abc", Some(&cookie))).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let json = body(
        t.send(get(&format!("/api/v1/projects/{}", t.own), Some(&cookie)))
            .await,
    )
    .await;
    assert!(
        json.contains("\"total\":\"22.15\"") && json.contains("\"grade\":\"差\""),
        "{json}"
    );
}

/// Saving through the API: the version read is required, a stale one is refused with 409 and
/// nothing is overwritten, a broken file is refused naming its fields, and a read after a
/// save shows the new data (the cache follows the version).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_need_the_version_read_and_valid_data() {
    let t = TestApp::new().await;
    let (_, session) = t.login("officer", DEMO_PASSWORD).await;
    let cookie = format!("jixiao_session={}", session.unwrap());
    let url = format!("/api/v1/projects/{}", t.own);
    let read = body(t.send(get(&url, Some(&cookie))).await).await;
    assert!(read.contains("\"version\":1"), "{read}");
    let res = t.send(put_if(&url, Some(&cookie), &t.file, None)).await;
    assert_eq!(res.status(), StatusCode::PRECONDITION_REQUIRED);
    let edited = t.file.replace(
        "name = \"残疾人基层组织建设及服务经费\"",
        "name = \"残疾人基层组织建设经费\"",
    );
    let res = t
        .send(put_if(&url, Some(&cookie), &edited, Some("1")))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        body(res).await,
        format!("{{\"id\":{},\"version\":2}}", t.own)
    );
    // The second writer read version 1 too: refused, and the first writer's data stays.
    let res = t
        .send(put_if(&url, Some(&cookie), &t.file, Some("1")))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("已被他人修改"));
    let read = body(t.send(get(&url, Some(&cookie))).await).await;
    assert!(
        read.contains("\"name\":\"残疾人基层组织建设经费\"") && read.contains("\"version\":2"),
        "{read}"
    );
    // A broken file: 422 with the fields named, nothing saved.
    let broken = t.file.replace("year = 2022", "year = \"明年\"");
    let res = t
        .send(put_if(&url, Some(&cookie), &broken, Some("2")))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let msg = body(res).await;
    assert!(
        msg.contains("invalid_project") && msg.contains("project.year"),
        "{msg}"
    );
    let read = body(t.send(get(&url, Some(&cookie))).await).await;
    assert!(read.contains("\"version\":2"), "{read}");
    // Every save is in the audit trail, and the trail verifies.
    assert!(t.state.store.verify_audit(&[]).await.unwrap().is_empty());
}

fn step(path: &str, cookie: &str, json: &str) -> Request<Body> {
    json_request("POST", path, Some(cookie), json)
}

fn json_request(method: &str, path: &str, cookie: Option<&str>, json: &str) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(json.to_owned())).unwrap()
}

/// The target sheet's review through the API: each step by its role, a return with its
/// reason, the history, and the indicators locked while submitted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_through_the_api() {
    let t = TestApp::new().await;
    let mut cookies = std::collections::HashMap::new();
    for user in ["officer", "head", "unit-head", "reviewer"] {
        let (_, session) = t.login(user, DEMO_PASSWORD).await;
        cookies.insert(user, format!("jixiao_session={}", session.unwrap()));
    }
    let url = format!("/api/v1/projects/{}/workflows/target_sheet", t.own);
    let res = t
        .send(step(&url, &cookies["officer"], r#"{"action":"submit"}"#))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        body(res).await,
        r#"{"state":"submitted","state_name":"已提交"}"#
    );
    // The indicators are locked now.
    let edited = t
        .file
        .replace("name = \"培训人次\"", "name = \"培训总人次\"");
    let res = t
        .send(put(
            &format!("/api/v1/projects/{}", t.own),
            Some(&cookies["officer"]),
            &edited,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("指标不能修改"));
    let res = t
        .send(step(&url, &cookies["officer"], r#"{"action":"approve"}"#))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("这一步由部门负责人办理"));
    for (user, want) in [
        ("head", "department_review"),
        ("unit-head", "finance_review"),
    ] {
        let res = t
            .send(step(&url, &cookies[user], r#"{"action":"approve"}"#))
            .await;
        assert!(body(res).await.contains(want), "{user}");
    }
    let res = t
        .send(step(
            &url,
            &cookies["reviewer"],
            r#"{"action":"return","to":"draft"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("退回须写明原因"));
    let res = t
        .send(step(
            &url,
            &cookies["reviewer"],
            r#"{"action":"return","to":"draft","reason":"培训人次目标偏低"}"#,
        ))
        .await;
    assert_eq!(body(res).await, r#"{"state":"draft","state_name":"草稿"}"#);
    let flows = body(
        t.send(get(
            &format!("/api/v1/projects/{}/workflows", t.own),
            Some(&cookies["reviewer"]),
        ))
        .await,
    )
    .await;
    assert!(
        flows.contains("\"reason\":\"培训人次目标偏低\"")
            && flows.contains("\"actor\":\"reviewer\""),
        "{flows}"
    );
    // Back in draft, the officer may change the indicators again.
    let res = t
        .send(put(
            &format!("/api/v1/projects/{}", t.own),
            Some(&cookies["officer"]),
            &edited,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t.send(step(&url, &cookies["officer"], "not json")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

/// An administrator gives the Federation's check of submitted target sheets to its finance
/// head; the office head is then refused and the finance head passes it on. Steps outside the
/// department, roles that may not review, and callers who are not administrators are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_chain_through_the_api() {
    let t = TestApp::new().await;
    let mut cookies = std::collections::HashMap::new();
    for user in ["officer", "head", "finance", "admin"] {
        let (_, session) = t.login(user, DEMO_PASSWORD).await;
        cookies.insert(user, format!("jixiao_session={}", session.unwrap()));
    }
    let chain = format!(
        "/api/v1/organisations/{}/review-chain/target_sheet",
        t.own_org
    );
    let set = |user: &str, step: &str, json: &str| {
        json_request(
            "PUT",
            &format!("{chain}/{step}"),
            Some(&cookies[user]),
            json,
        )
    };
    let res = t
        .send(set("admin", "submitted", r#"{"roles":["财务负责人"]}"#))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let shown = body(res).await;
    assert!(
        shown.contains(r#"{"configured":true,"from":"submitted","from_name":"已提交","roles":["财务负责人"],"to":"department_review","to_name":"主管部门审核"}"#),
        "{shown}"
    );
    for (user, step, json, status, message) in [
        (
            "head",
            "submitted",
            r#"{"roles":["部门负责人"]}"#,
            StatusCode::FORBIDDEN,
            "只有管理员",
        ),
        (
            "admin",
            "finance_review",
            r#"{"roles":["单位负责人"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "“财政审核”这一步不能改由其他角色办理",
        ),
        (
            "admin",
            "submitted",
            r#"{"roles":["经办人"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "经办人不能担任单位内部审核",
        ),
        (
            "admin",
            "submitted",
            r#"{"roles":["国王"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "「国王」不是角色",
        ),
        (
            "admin",
            "submitted",
            r#"{"roles":[]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "至少要有一个办理角色",
        ),
        (
            "admin",
            "nowhere",
            r#"{"roles":["单位负责人"]}"#,
            StatusCode::NOT_FOUND,
            "环节应为",
        ),
        (
            "admin",
            "submitted",
            "roles=x",
            StatusCode::BAD_REQUEST,
            "请求体应为",
        ),
    ] {
        let res = t.send(set(user, step, json)).await;
        assert_eq!(res.status(), status, "{user} {step} {json}");
        assert!(body(res).await.contains(message), "{user} {step} {json}");
    }
    let res = t.send(get(&chain, Some(&cookies["officer"]))).await;
    assert!(
        body(res).await.contains(r#""roles":["财务负责人"]"#),
        "a refused change leaves the chain as it was"
    );
    let url = format!("/api/v1/projects/{}/workflows/target_sheet", t.own);
    let res = t
        .send(step(&url, &cookies["officer"], r#"{"action":"submit"}"#))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t
        .send(step(&url, &cookies["head"], r#"{"action":"approve"}"#))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("这一步由财务负责人办理"));
    let res = t
        .send(step(&url, &cookies["finance"], r#"{"action":"approve"}"#))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body(res).await.contains("department_review"));
    let res = t.send(set("admin", "submitted", r#"{"roles":null}"#)).await;
    assert!(body(res).await.contains(
        r#"{"configured":false,"from":"submitted","from_name":"已提交","roles":["部门负责人"]"#
    ));
}

/// An approved target sheet changes only through an adjustment: opened with a reason, reviewed
/// like the sheet, and both approved versions are listed with what changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adjustments_through_the_api() {
    let t = TestApp::new().await;
    let mut cookies = std::collections::HashMap::new();
    for user in ["officer", "head", "unit-head", "reviewer"] {
        let (_, session) = t.login(user, DEMO_PASSWORD).await;
        cookies.insert(user, format!("jixiao_session={}", session.unwrap()));
    }
    let sheet = format!("/api/v1/projects/{}/workflows/target_sheet", t.own);
    let adjustment = format!("/api/v1/projects/{}/workflows/adjustment", t.own);
    let res = t
        .send(step(
            &adjustment,
            &cookies["officer"],
            r#"{"action":"open","reason":"x"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        body(res).await.contains("无须调整"),
        "a draft sheet is edited directly"
    );
    for (user, action) in [
        ("officer", "submit"),
        ("head", "approve"),
        ("unit-head", "approve"),
        ("reviewer", "approve"),
    ] {
        let res = t
            .send(step(
                &sheet,
                &cookies[user],
                &format!(r#"{{"action":"{action}"}}"#),
            ))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{user} {action}");
    }
    let project = format!("/api/v1/projects/{}", t.own);
    let edited = t
        .file
        .replace("name = \"培训人次\"", "name = \"培训总人次\"");
    let res = t
        .send(put(&project, Some(&cookies["officer"]), &edited))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("请先发起绩效目标调整"));
    let res = t
        .send(step(
            &adjustment,
            &cookies["officer"],
            r#"{"action":"open"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("须写明调整原因"));
    let res = t
        .send(step(
            &adjustment,
            &cookies["officer"],
            r#"{"action":"open","reason":"培训改为线上线下合计"}"#,
        ))
        .await;
    assert_eq!(body(res).await, r#"{"state":"draft","state_name":"草稿"}"#);
    let res = t
        .send(put(&project, Some(&cookies["officer"]), &edited))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    for (user, action) in [
        ("officer", "submit"),
        ("head", "approve"),
        ("unit-head", "approve"),
        ("reviewer", "approve"),
    ] {
        let res = t
            .send(step(
                &adjustment,
                &cookies[user],
                &format!(r#"{{"action":"{action}"}}"#),
            ))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{user} {action}");
    }
    let res = t
        .send(get(
            &format!("/api/v1/projects/{}/target-versions", t.own),
            Some(&cookies["reviewer"]),
        ))
        .await;
    let versions: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["kind_name"], "绩效目标表");
    assert_eq!(versions[0]["changes"], serde_json::json!([]));
    assert_eq!(versions[1]["kind_name"], "绩效目标调整");
    assert_eq!(versions[1]["approved_by"], "reviewer");
    let changes = versions[1]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["change"], "changed");
    assert_eq!(changes[0]["from_name"], "培训人次");
    assert_eq!(changes[0]["name"], "培训总人次");
    let flows = body(
        t.send(get(
            &format!("/api/v1/projects/{}/workflows", t.own),
            Some(&cookies["officer"]),
        ))
        .await,
    )
    .await;
    assert!(flows.contains("培训改为线上线下合计"), "{flows}");
}

fn octets(path: &str, cookie: &str, bytes: Vec<u8>) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(header::COOKIE, cookie)
        .body(Body::from(bytes))
        .unwrap()
}

/// Evidence files: uploaded for an indicator, type checked by content, listed, downloaded
/// byte for byte under a safe name, and deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_files_through_the_api() {
    let t = TestApp::new().await;
    let (_, session) = t.login("officer", DEMO_PASSWORD).await;
    let officer = format!("jixiao_session={}", session.unwrap());
    let base = format!("/api/v1/projects/{}/evidence", t.own);
    let pdf: Vec<u8> = b"%PDF-1.7\n".iter().copied().chain(0..=255u8).collect();
    let name = "%E5%9F%B9%E8%AE%AD%E7%AD%BE%E5%88%B0%E8%A1%A8.pdf"; // 培训签到表.pdf
    let res = t
        .send(octets(
            &format!("{base}?name={name}&target=T01"),
            &officer,
            pdf.clone(),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    assert_eq!(created["name"], "培训签到表.pdf");
    assert_eq!(created["target"], "T01");
    assert_eq!(created["media_type"], "application/pdf");
    assert_eq!(created["size"], 265);
    let href = created["href"].as_str().unwrap().to_owned();
    for (query, bytes, status, message) in [
        (
            "name=a.pdf",
            b"MZ\x90\x00".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "扩展名与内容不符",
        ),
        (
            "name=a.exe",
            b"MZ\x90\x00".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "不支持的佐证材料类型",
        ),
        (
            "name=a.pdf&target=T99",
            pdf.clone(),
            StatusCode::CONFLICT,
            "项目没有编号为「T99」的绩效指标",
        ),
        (
            "target=T01",
            pdf.clone(),
            StatusCode::BAD_REQUEST,
            "须给出文件名",
        ),
    ] {
        let res = t
            .send(octets(&format!("{base}?{query}"), &officer, bytes))
            .await;
        assert_eq!(res.status(), status, "{query}");
        assert!(body(res).await.contains(message), "{query}");
    }
    let list: serde_json::Value =
        serde_json::from_str(&body(t.send(get(&base, Some(&officer))).await).await).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "refused uploads leave nothing"
    );
    let res = t.send(get(&href, Some(&officer))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
    let disposition = res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment;")
            && disposition
                .contains("filename*=UTF-8''%E5%9F%B9%E8%AE%AD%E7%AD%BE%E5%88%B0%E8%A1%A8.pdf"),
        "{disposition}"
    );
    assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    assert_eq!(bytes, pdf, "the file comes back byte for byte");
    let big = vec![b'%'; 21 * 1024 * 1024];
    let res = t
        .send(octets(&format!("{base}?name=big.pdf"), &officer, big))
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body(res).await.contains("20 MB"));
    let res = t.send(request("DELETE", &href, Some(&officer))).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = t.send(get(&href, Some(&officer))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The parts of a project as resources: create one from a project file, read its file, its
/// budget and its targets, and record one actual value with the version read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn project_parts_through_the_api() {
    let t = TestApp::new().await;
    let (_, session) = t.login("officer", DEMO_PASSWORD).await;
    let officer = format!("jixiao_session={}", session.unwrap());
    let toml = |path: &str, file: &str| {
        Request::builder()
            .method("POST")
            .uri(path)
            .header(header::CONTENT_TYPE, "application/toml")
            .header(header::COOKIE, &officer)
            .body(Body::from(file.to_owned()))
            .unwrap()
    };
    let res = t.send(toml("/api/v1/projects", &t.file)).await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "the same name and year again"
    );
    assert!(body(res).await.contains("同名项目"));
    let res = t.send(toml("/api/v1/projects", "name = 1\n")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let second_phase = t.file.replacen(
        "name = \"残疾人基层组织建设及服务经费\"",
        "name = \"残疾人基层组织建设及服务经费（二期）\"",
        1,
    );
    assert_ne!(second_phase, t.file);
    let res = t.send(toml("/api/v1/projects", &second_phase)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let created: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    assert_eq!(location, format!("/api/v1/projects/{}", created["id"]));
    let res = t
        .send(toml(
            &format!("/api/v1/projects?organisation={}", t.other_org),
            &second_phase,
        ))
        .await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "not for another organisation"
    );

    let base = format!("/api/v1/projects/{}", t.own);
    let res = t.send(get(&format!("{base}/file"), Some(&officer))).await;
    assert_eq!(res.headers()[header::ETAG], "\"1\"");
    let file = body(res).await;
    assert!(
        file.contains("残疾人基层组织建设及服务经费"),
        "the project file"
    );

    let budget: serde_json::Value = serde_json::from_str(
        &body(t.send(get(&format!("{base}/budget"), Some(&officer))).await).await,
    )
    .unwrap();
    assert_eq!(
        budget["execution_rate"], "58.33",
        "the seed's budget execution"
    );
    assert_eq!(
        budget["spent"]["fen"].as_i64().unwrap() + budget["unspent"]["fen"].as_i64().unwrap(),
        budget["adjusted"]["fen"].as_i64().unwrap()
    );

    let actual = |if_match: Option<&str>, json: &str| {
        let mut b = Request::builder()
            .method("PUT")
            .uri(format!("{base}/targets/T01/actual"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &officer);
        if let Some(m) = if_match {
            b = b.header(header::IF_MATCH, m);
        }
        b.body(Body::from(json.to_owned())).unwrap()
    };
    for (if_match, json, status, message) in [
        (
            None,
            r#"{"value":"12"}"#,
            StatusCode::PRECONDITION_REQUIRED,
            "If-Match",
        ),
        (
            Some("1"),
            r#"{"value":12.5}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "小数须写成字符串",
        ),
        (
            Some("1"),
            r#"{"value":"约十二"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "「约十二」不是数",
        ),
        (
            Some("1"),
            r#"{"value":"12","text":"完成"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "只给出一种",
        ),
        (
            Some("1"),
            r#"{"valeu":"12"}"#,
            StatusCode::BAD_REQUEST,
            "未知字段「valeu」",
        ),
    ] {
        let res = t.send(actual(if_match, json)).await;
        assert_eq!(res.status(), status, "{json}");
        assert!(body(res).await.contains(message), "{json}");
    }
    let res = t
        .send(actual(
            Some("\"1\""),
            r#"{"value":"12","note":"五个协会全年活动登记"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body(res).await.contains(r#""version":2"#));
    let res = t.send(actual(Some("1"), r#"{"value":"13"}"#)).await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "someone saved since version 1"
    );
    let targets: serde_json::Value = serde_json::from_str(
        &body(
            t.send(get(&format!("{base}/targets"), Some(&officer)))
                .await,
        )
        .await,
    )
    .unwrap();
    let t01 = &targets["targets"][0];
    assert_eq!(t01["id"], "T01");
    assert_eq!(t01["target"], "≥10次");
    assert_eq!(t01["actual"]["value"], "12");
    assert_eq!(t01["actual"]["unit"], "次");
    assert_eq!(t01["actual"]["note"], "五个协会全年活动登记");
    let res = t
        .send(
            Request::builder()
                .method("PUT")
                .uri(format!("{base}/targets/T99/actual"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, &officer)
                .header(header::IF_MATCH, "2")
                .body(Body::from("null"))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = t.send(actual(Some("2"), "null")).await;
    assert_eq!(res.status(), StatusCode::OK, "null clears the value");
    let targets = body(
        t.send(get(&format!("{base}/targets"), Some(&officer)))
            .await,
    )
    .await;
    let targets: serde_json::Value = serde_json::from_str(&targets).unwrap();
    assert_eq!(targets["targets"][0]["actual"], serde_json::Value::Null);
}

/// The OpenAPI document parses and documents every API route of the table, with the method.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_covers_every_api_route() {
    let t = TestApp::new().await;
    let res = t.send(get("/api/v1/openapi.json", None)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for route in routes() {
        if !route.path.starts_with("/api/v1/") || route.path == "/api/v1/openapi.json" {
            continue;
        }
        let op = &doc["paths"][route.path][route.method.to_ascii_lowercase()];
        assert!(
            op.is_object(),
            "{} {} is not documented",
            route.method,
            route.path
        );
        assert!(op["summary"].is_string(), "{} {}", route.method, route.path);
        assert!(
            op["responses"]["401"].is_object(),
            "{} {}: 401",
            route.method,
            route.path
        );
    }
}

/// An administrator uploads a region's framework; problems are named with their line; the
/// name cannot be a built-in's or be reused; a project naming it is scored with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploaded_frameworks_score_projects() {
    let t = TestApp::new().await;
    let mut cookies = std::collections::HashMap::new();
    for user in ["officer", "admin"] {
        let (_, session) = t.login(user, DEMO_PASSWORD).await;
        cookies.insert(user, format!("jixiao_session={}", session.unwrap()));
    }
    let upload = |user: &str, file: &str| {
        Request::builder()
            .method("POST")
            .uri("/api/v1/frameworks")
            .header(header::CONTENT_TYPE, "application/toml")
            .header(header::COOKIE, &cookies[user])
            .body(Body::from(file.to_owned()))
            .unwrap()
    };
    let builtin = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../frameworks/kunming-2022.toml"
    ))
    .unwrap();
    let variant = builtin.replacen("name = \"kunming-2022\"", "name = \"yunnan-2023\"", 1);
    let res = t.send(upload("officer", &variant)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = t.send(upload("admin", &builtin)).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("内置框架的名称"));
    let broken = variant.replacen("weight = 20", "weight = \"二十\"", 1);
    assert_ne!(broken, variant);
    let res = t.send(upload("admin", &broken)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problems = body(res).await;
    assert!(
        problems.contains("第 ") && problems.contains(" 行"),
        "{problems}"
    );
    let res = t.send(upload("admin", &variant)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = t.send(upload("admin", &variant)).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "never replaced");
    let list = body(
        t.send(get("/api/v1/frameworks", Some(&cookies["officer"])))
            .await,
    )
    .await;
    assert!(
        list.contains(r#""builtin":false"#) && list.contains("yunnan-2023"),
        "{list}"
    );
    let tree: serde_json::Value = serde_json::from_str(
        &body(
            t.send(get(
                "/api/v1/frameworks/yunnan-2023",
                Some(&cookies["officer"]),
            ))
            .await,
        )
        .await,
    )
    .unwrap();
    assert_eq!(tree["total"], "100.00");
    assert!(tree["nodes"].as_array().unwrap().len() > 10);

    // The demo project now names the uploaded framework: it is scored and reported with it.
    let renamed = t.file.replacen(
        "framework = \"kunming-2022\"",
        "framework = \"yunnan-2023\"",
        1,
    );
    assert_ne!(renamed, t.file, "the example names its framework");
    let res = t
        .send(put(
            &format!("/api/v1/projects/{}", t.own),
            Some(&cookies["officer"]),
            &renamed,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let project: serde_json::Value = serde_json::from_str(
        &body(
            t.send(get(
                &format!("/api/v1/projects/{}", t.own),
                Some(&cookies["officer"]),
            ))
            .await,
        )
        .await,
    )
    .unwrap();
    assert!(project["score"].is_object(), "{project}");
    let res = t
        .send(get(
            &format!("/api/v1/projects/{}/report?format=xlsx", t.own),
            Some(&cookies["officer"]),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// An administrator builds the organisation tree and manages users: a new office, a new user
/// who logs in, a role change, and a user who left is disabled (their session ends and they
/// cannot log in again) — never the administrator themself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_manage_organisations_and_users() {
    let t = TestApp::new().await;
    let (_, session) = t.login("admin", DEMO_PASSWORD).await;
    let admin = format!("jixiao_session={}", session.unwrap());
    let send =
        |method: &str, path: &str, json: &str| json_request(method, path, Some(&admin), json);
    let res = t
        .send(send(
            "POST",
            "/api/v1/organisations",
            &format!(
                r#"{{"name":"组联处","kind":"处室","parent":{}}}"#,
                t.own_org
            ),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let office: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    for (path, json, message) in [
        (
            "/api/v1/organisations",
            r#"{"name":"昆明市财政局","kind":"财政局"}"#,
            "已有同名单位",
        ),
        (
            "/api/v1/organisations",
            r#"{"name":"某处","kind":"科室","parent":1}"#,
            "kind：「科室」不是单位类型",
        ),
        (
            "/api/v1/organisations",
            r#"{"name":"某处","kind":"处室"}"#,
            "parent：部门和处室须给出上级单位",
        ),
        (
            "/api/v1/users",
            r#"{"username":"li min","display_name":"李敏","role":"经办人","organisation":1,"password":"long-enough-1"}"#,
            "username：",
        ),
        (
            "/api/v1/users",
            r#"{"username":"limin","display_name":"李敏","role":"国王","organisation":1,"password":"long-enough-1"}"#,
            "role：「国王」不是角色",
        ),
        (
            "/api/v1/users",
            r#"{"username":"limin","display_name":"李敏","role":"经办人","organisation":1,"password":"short"}"#,
            "password：密码至少 10 个字符",
        ),
        (
            "/api/v1/users",
            r#"{"username":"officer","display_name":"李敏","role":"经办人","organisation":1,"password":"long-enough-1"}"#,
            "用户名「officer」已存在",
        ),
    ] {
        let res = t.send(send("POST", path, json)).await;
        assert!(res.status().is_client_error(), "{json}");
        assert!(body(res).await.contains(message), "{json}");
    }
    let res = t
        .send(send(
            "POST",
            "/api/v1/users",
            &format!(
                r#"{{"username":"zhang.wei","display_name":"组联处 张伟","role":"经办人","organisation":{},"password":"a-new-password-1"}}"#,
                office["id"]
            ),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created = body(res).await;
    assert!(!created.contains("argon2"), "never the hash: {created}");
    let (status, new_session) = t.login("zhang.wei", "a-new-password-1").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the new user logs in");
    let new_cookie = format!("jixiao_session={}", new_session.unwrap());
    let res = t
        .send(get("/api/v1/organisations", Some(&new_cookie)))
        .await;
    let seen: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    let names: Vec<&str> = seen
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["昆明市残疾人联合会", "组联处"],
        "their department and its offices"
    );
    // An office's officer works on the department's projects.
    let res = t
        .send(get(
            &format!("/api/v1/projects/{}", t.own),
            Some(&new_cookie),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t
        .send(get(
            &format!("/api/v1/projects/{}", t.other),
            Some(&new_cookie),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = t
        .send(send(
            "POST",
            "/api/v1/organisations",
            &format!(
                r#"{{"name":"某科","kind":"处室","parent":{}}}"#,
                office["id"]
            ),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(res).await.contains("单位层级为 财政局 → 部门 → 处室"));

    let res = t
        .send(send(
            "PATCH",
            "/api/v1/users/zhang.wei",
            r#"{"role":"部门负责人"}"#,
        ))
        .await;
    assert!(body(res).await.contains(r#""role":"部门负责人""#));
    let res = t
        .send(send(
            "PATCH",
            "/api/v1/users/zhang.wei",
            r#"{"disabled":true}"#,
        ))
        .await;
    assert!(body(res).await.contains(r#""disabled":true"#));
    let res = t.send(get("/api/v1/me", Some(&new_cookie))).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "the session ended");
    let (status, _) = t.login("zhang.wei", "a-new-password-1").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a disabled account cannot log in"
    );
    let res = t
        .send(send("PATCH", "/api/v1/users/admin", r#"{"disabled":true}"#))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = t
        .send(send(
            "PATCH",
            "/api/v1/users/nobody",
            r#"{"disabled":true}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let users = body(t.send(get("/api/v1/users", Some(&admin))).await).await;
    assert!(
        users.contains("zhang.wei") && !users.contains("$argon2"),
        "{users}"
    );
}

/// The evaluation group scores a judged leaf with its reason; a score below full marks
/// without a reason is refused, and the computed total follows the judgment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_evaluation_group_scores_with_reasons() {
    let t = TestApp::new().await;
    let (_, session) = t.login("evaluator", DEMO_PASSWORD).await;
    let evaluator = format!("jixiao_session={}", session.unwrap());
    let base = format!("/api/v1/projects/{}", t.own);
    let total = |json: &str| -> String {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["score"]["total"].to_string()
    };
    let before = total(&body(t.send(get(&base, Some(&evaluator))).await).await);
    let judge = |subject: &str, if_match: &str, json: &str| {
        Request::builder()
            .method("PUT")
            .uri(format!("{base}/judgments/{subject}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &evaluator)
            .header(header::IF_MATCH, if_match)
            .body(Body::from(json.to_owned()))
            .unwrap()
    };
    for (subject, json, status, message) in [
        (
            "A111",
            r#"{"score":"0.5"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "未说明扣分理由",
        ),
        (
            "A111",
            r#"{"score":"0.5","share":"50"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "只给出一种评分",
        ),
        (
            "A111",
            r#"{"score":"0.555","reason":"x"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "最多两位小数",
        ),
        (
            "Z999",
            r#"{"score":"1"}"#,
            StatusCode::NOT_FOUND,
            "没有编码为「Z999」的指标",
        ),
    ] {
        let res = t.send(judge(subject, "1", json)).await;
        assert_eq!(res.status(), status, "{json}");
        let text = body(res).await;
        assert!(text.contains(message), "{json}: {text}");
    }
    let res = t
        .send(judge(
            "A111",
            "1",
            r#"{"score":"0.5","reason":"立项依据只列出章程，未附年度工作要点"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let project = body(t.send(get(&base, Some(&evaluator))).await).await;
    let after = total(&project);
    assert_ne!(before, after, "the total follows the judgment");
    assert!(project.contains("立项依据只列出章程"), "the reason is kept");
    let file = body(t.send(get(&format!("{base}/file"), Some(&evaluator))).await).await;
    assert!(file.contains("score = 0.5"), "{file}");
}

fn location(res: &Response<Body>) -> String {
    res.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// The officer's and the reviewers' work through the pages (forms, not the API): review steps
/// with refusals shown on the page, an actual value with field errors and a stale form that
/// keeps the input, an evidence upload, a judgment with its reason, a report check, and
/// administration.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_work_through_the_pages() {
    let t = TestApp::new().await;
    let mut cookies = std::collections::HashMap::new();
    let mut tokens = std::collections::HashMap::new();
    for user in ["officer", "head", "evaluator", "admin"] {
        let (_, session) = t.login(user, DEMO_PASSWORD).await;
        let session = session.unwrap();
        tokens.insert(user, t.csrf_of(&session).await);
        cookies.insert(user, format!("jixiao_session={session}"));
    }
    let own = t.own;
    let page = |user: &str, path: String| get(&path, Some(&cookies[user]));
    let form = |user: &str, path: String, fields: &str| {
        post(
            &path,
            Some(&cookies[user]),
            &format!("csrf={}&{fields}", tokens[user]),
        )
    };

    // Review: the officer submits; approving is the office head's, and the page says so.
    let res = t
        .send(form(
            "officer",
            format!("/projects/{own}/workflow"),
            "kind=target_sheet&action=submit",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/projects/{own}#wf-target_sheet"));
    let res = t
        .send(form(
            "officer",
            format!("/projects/{own}/workflow"),
            "kind=target_sheet&action=approve",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = body(res).await;
    assert!(
        html.contains("role=\"alert\"") && html.contains("这一步由部门负责人办理"),
        "refusal shown"
    );
    let res = t
        .send(form(
            "head",
            format!("/projects/{own}/workflow"),
            "kind=target_sheet&action=return&to=draft&reason=",
        ))
        .await;
    assert!(body(res).await.contains("退回须写明原因"));
    let res = t
        .send(form(
            "head",
            format!("/projects/{own}/workflow"),
            "kind=target_sheet&action=approve",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = body(t.send(page("officer", format!("/projects/{own}"))).await).await;
    assert!(html.contains("绩效目标表：主管部门审核"), "the state");
    assert!(
        html.contains("正在审核，内容已锁定"),
        "locked things say why"
    );
    assert!(html.contains("<td>head</td>"), "the history names who");

    // An actual value: an error on its field and nothing saved; then saved; then a stale form.
    let before = body(
        t.send(get(
            &format!("/api/v1/projects/{own}/file"),
            Some(&cookies["officer"]),
        ))
        .await,
    )
    .await;
    let res = t
        .send(form(
            "officer",
            format!("/projects/{own}/targets/T01"),
            "version=1&value=%E5%8D%81%E4%BA%8C",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(res).await;
    assert!(
        html.contains("aria-invalid=\"true\"") && html.contains("数值：「十二」不是数"),
        "{html}"
    );
    assert!(html.contains("value=\"十二\""), "the input is kept");
    let after = body(
        t.send(get(
            &format!("/api/v1/projects/{own}/file"),
            Some(&cookies["officer"]),
        ))
        .await,
    )
    .await;
    assert_eq!(before, after, "nothing saved");
    let version: i64 = {
        let v: serde_json::Value = serde_json::from_str(
            &body(
                t.send(get(
                    &format!("/api/v1/projects/{own}/targets"),
                    Some(&cookies["officer"]),
                ))
                .await,
            )
            .await,
        )
        .unwrap();
        v["version"].as_i64().unwrap()
    };
    let res = t
        .send(form(
            "officer",
            format!("/projects/{own}/targets/T01"),
            &format!("version={version}&value=12&note=%E7%99%BB%E8%AE%B0%E7%B0%BF"),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", body(res).await);
    let res = t
        .send(form(
            "officer",
            format!("/projects/{own}/targets/T01"),
            &format!("version={version}&value=13"),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = body(res).await;
    assert!(
        html.contains("他人已保存了该项目") && html.contains("12次"),
        "what the other saved"
    );
    assert!(html.contains("value=\"13\""), "the user's input is kept");

    // Evidence through the page's upload form.
    let res = t
        .send(multipart(
            &format!("/projects/{own}/evidence"),
            Some(&cookies["officer"]),
            &[("csrf", &tokens["officer"]), ("target", "T01")],
            ("file", "签到表.pdf", b"%PDF-1.7 test"),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = t
        .send(multipart(
            &format!("/projects/{own}/evidence"),
            Some(&cookies["officer"]),
            &[("csrf", &tokens["officer"])],
            ("file", "签到表.pdf", b"MZ not a pdf"),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(res).await;
    assert!(
        html.contains("扩展名与内容不符") && html.contains("签到表.pdf</a>"),
        "the refusal and the list"
    );

    // A judgment needs its reason below full marks.
    let project_version = version + 1;
    let res = t
        .send(form(
            "evaluator",
            format!("/projects/{own}/judgments/A113"),
            &format!("version={project_version}&score=0.5"),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(res).await.contains("未说明扣分理由"));
    let res = t
        .send(form(
            "evaluator",
            format!("/projects/{own}/judgments/A113"),
            &format!("version={project_version}&score=0.5&reason=%E4%B8%8E%E7%9C%81%E6%AE%8B%E8%81%94%E9%A1%B9%E7%9B%AE%E9%83%A8%E5%88%86%E9%87%8D%E5%8F%A0"),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = body(
        t.send(page("evaluator", format!("/projects/{own}/evaluation")))
            .await,
    )
    .await;
    assert!(
        html.contains("与省残联项目部分重叠"),
        "the reason is on the sheet"
    );

    // The report check shows findings linked to the lines they cite.
    let seed = std::fs::read(jixiao_testkit::seed_report()).unwrap();
    let res = t
        .send(multipart(
            "/check",
            Some(&cookies["officer"]),
            &[("csrf", &tokens["officer"])],
            ("report", "自评报告.txt", &seed),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = body(res).await;
    assert!(
        html.contains("处错误") && html.contains("<a href=\"#L") && html.contains("id=\"L1\""),
        "findings beside the text"
    );
    let res = t
        .send(multipart(
            "/check",
            Some(&cookies["officer"]),
            &[("csrf", &tokens["officer"])],
            ("report", "报告.exe", b"MZ"),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Administration: a user, a refused organisation, a department's review chain.
    let res = t
        .send(form(
            "admin",
            "/admin/users".to_owned(),
            &format!("username=zhangwei&display_name=%E5%BC%A0%E4%BC%9F&new_role=%E7%BB%8F%E5%8A%9E%E4%BA%BA&organisation={}&password=a-long-password", t.own_org),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = t
        .send(form(
            "admin",
            "/admin/organisations".to_owned(),
            &format!(
                "org_name=%E6%9F%90%E7%A7%91&kind=%E5%A4%84%E5%AE%A4&parent={}",
                t.other_org + 1000
            ),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = t
        .send(form(
            "admin",
            "/admin/review-chain".to_owned(),
            &format!(
                "org={}&kind=self_evaluation&step=submitted&r1=1&save=1",
                t.own_org
            ),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = t
        .send(form(
            "admin",
            "/admin/fund-chain".to_owned(),
            &format!("org={}&lines=%E9%83%A8%E9%97%A8%E8%B4%9F%E8%B4%A3%E4%BA%BA%0A%E5%88%86%E7%AE%A1%E9%A2%86%E5%AF%BC+x", t.own_org),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body(res).await.contains("第 2 行 起始金额"),
        "the bad line and field named"
    );
    let res = t
        .send(form(
            "admin",
            "/admin/fund-chain".to_owned(),
            &format!("org={}&lines=%E9%83%A8%E9%97%A8%E8%B4%9F%E8%B4%A3%E4%BA%BA%0A%E5%88%86%E7%AE%A1%E9%A2%86%E5%AF%BC+5000+-", t.own_org),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = body(
        t.send(page("admin", format!("/admin?org={}", t.own_org)))
            .await,
    )
    .await;
    assert!(
        html.contains("zhangwei") && html.contains("财务负责人（本单位配置）"),
        "user and chain shown"
    );
    assert!(html.contains("分管领导 5000.00 -"), "the fund chain shown");

    // Another department's project is forbidden, in Chinese.
    let res = t
        .send(page("officer", format!("/projects/{}", t.other)))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(body(res).await.contains("其他单位的项目"));
}

/// Projects are created (from the short form or a file), edited (basic facts, indicators
/// added, changed, moved and removed while the sheet is a draft), continued into next year,
/// and updated from the filled XLSX forms, all through the pages; bad input names its field
/// and saves nothing; submitted indicators are locked and the page says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn projects_are_created_and_edited_in_the_pages() {
    let t = TestApp::new().await;
    let (_, session) = t.login("officer", DEMO_PASSWORD).await;
    let session = session.unwrap();
    let csrf = t.csrf_of(&session).await;
    let cookie = format!("jixiao_session={session}");
    let form =
        |path: String, fields: &str| post(&path, Some(&cookie), &format!("csrf={csrf}&{fields}"));
    let count = || async {
        let list: serde_json::Value =
            serde_json::from_str(&body(t.send(get("/api/v1/projects", Some(&cookie))).await).await)
                .unwrap();
        list.as_array().unwrap().len()
    };
    let before = count().await;
    let res = t
        .send(form(
            "/projects/new".into(),
            "name=%E6%B5%8B%E8%AF%95&year=20x3&appropriation=%E5%BE%88%E5%A4%9A",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(res).await;
    assert!(
        html.contains("年度「20x3」") && html.contains("年初预算数「很多」"),
        "both fields named"
    );
    assert_eq!(count().await, before, "nothing saved");
    let res = t
        .send(form(
            "/projects/new".into(),
            "name=%E6%AE%8B%E7%96%BE%E4%BA%BA%E8%BE%85%E5%85%B7%E9%80%82%E9%85%8D&year=2023&appropriation=120000.50&framework=mof-2020-self",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let project = location(&res);
    assert_eq!(count().await, before + 1);
    let version = |path: String| {
        let t = &t;
        let cookie = cookie.clone();
        async move {
            let v: serde_json::Value = serde_json::from_str(
                &body(
                    t.send(get(&format!("/api/v1{path}/targets"), Some(&cookie)))
                        .await,
                )
                .await,
            )
            .unwrap();
            v
        }
    };

    // Indicators: a wrong pair of categories is refused; then two are added, moved, changed
    // and one removed.
    let res = t
        .send(form(
            format!("{project}/indicators/new"),
            "version=1&category=%E4%BA%A7%E5%87%BA&subcategory=%E6%9C%8D%E5%8A%A1%E5%AF%B9%E8%B1%A1%E6%BB%A1%E6%84%8F%E5%BA%A6&name=x&comparator=%E2%89%A5&value=1&unit=%E4%BA%BA",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(res).await.contains("不属于一级指标"));
    let add = |version: i64, name: &str| {
        form(
            format!("{project}/indicators/new"),
            &format!(
                "version={version}&category=%E4%BA%A7%E5%87%BA&subcategory=%E6%95%B0%E9%87%8F&name={name}&comparator=%E2%89%A5&value=300&unit=%E4%BA%BA%E6%AC%A1"
            ),
        )
    };
    assert_eq!(t.send(add(1, "A")).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(t.send(add(2, "B")).await.status(), StatusCode::SEE_OTHER);
    let res = t.send(add(2, "C")).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "a stale form");
    let html = body(res).await;
    assert!(html.contains("他人已保存了该项目") && html.contains("value=\"C\""));
    let res = t
        .send(form(
            format!("{project}/indicators/T02/arrange"),
            "version=3&op=up",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let targets = version(project.clone()).await;
    assert_eq!(targets["targets"][0]["name"], "B", "moved up");
    let res = t
        .send(form(
            format!("{project}/indicators/T01"),
            "version=4&category=%E4%BA%A7%E5%87%BA&subcategory=%E6%95%B0%E9%87%8F&name=A2&comparator=%E2%89%A5&value=350&unit=%E4%BA%BA%E6%AC%A1",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = t
        .send(form(
            format!("{project}/indicators/T02/arrange"),
            "version=5&op=remove",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let targets = version(project.clone()).await;
    assert_eq!(targets["targets"].as_array().unwrap().len(), 1);
    assert_eq!(targets["targets"][0]["target"], "≥350人次");

    // Basic facts: a bad date is named; a good one is saved.
    let res = t
        .send(form(
            format!("{project}/edit"),
            "version=6&name=%E8%BE%85%E5%85%B7&start=2023-13-01&appropriation=1",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(res).await.contains("日期「2023-13-01」"));
    let res = t
        .send(form(
            format!("{project}/edit"),
            "version=6&name=%E8%BE%85%E5%85%B7&start=2023-01-01&end=2023-12-31&appropriation=1",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Next year's continuing project: targets and framework copied, numbers cleared.
    let res = t
        .send(form(format!("/projects/{}/continue", t.own), ""))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let next = location(&res);
    let old = version(format!("/projects/{}", t.own)).await;
    let new = version(next.clone()).await;
    assert_eq!(
        old["targets"].as_array().unwrap().len(),
        new["targets"].as_array().unwrap().len()
    );
    assert!(
        new["targets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["actual"].is_null())
    );
    let budget: serde_json::Value = serde_json::from_str(
        &body(
            t.send(get(&format!("/api/v1{next}/budget"), Some(&cookie)))
                .await,
        )
        .await,
    )
    .unwrap();
    assert_eq!(budget["appropriation"]["fen"], 0);
    let page = body(t.send(get(&next, Some(&cookie))).await).await;
    assert!(page.contains("2023年残疾人基层组织建设及服务经费"));

    // The filled XLSX forms update a draft.
    let xlsx = t
        .send(get(
            &format!("/api/v1/projects/{}/report?format=xlsx", t.own),
            Some(&cookie),
        ))
        .await;
    let xlsx = xlsx
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    let current = old["version"].as_i64().unwrap().to_string();
    let res = t
        .send(multipart(
            &format!("/projects/{}/replace", t.own),
            Some(&cookie),
            &[("csrf", &csrf), ("version", &current)],
            ("file", "绩效表.xlsx", &xlsx),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", body(res).await);
    let res = t
        .send(multipart(
            "/projects/import",
            Some(&cookie),
            &[("csrf", &csrf)],
            ("file", "项目.toml", t.file.as_bytes()),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "the same project twice");
    assert!(body(res).await.contains("同名项目"));

    // Once submitted, the indicators are locked and the page says why.
    let res = t
        .send(form(
            format!("{project}/workflow"),
            "kind=target_sheet&action=submit",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = t
        .send(get(&format!("{project}/indicators/T01"), Some(&cookie)))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("绩效目标表已提交或已批复"));
}

/// The report's narrative is written in the pages with the figures it may cite offered beside
/// it; an unknown figure is named on its section, and a typed number the data contradicts is
/// refused with the auditor's finding.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_narrative_cites_figures_and_cannot_contradict_the_data() {
    let t = TestApp::new().await;
    let (_, session) = t.login("officer", DEMO_PASSWORD).await;
    let session = session.unwrap();
    let csrf = t.csrf_of(&session).await;
    let cookie = format!("jixiao_session={session}");
    let path = format!("/projects/{}/narrative", t.own);
    let html = body(t.send(get(&path, Some(&cookie))).await).await;
    assert!(
        html.contains("<code>{预算执行率}</code>") && html.contains("58.33%"),
        "the picker"
    );
    assert!(html.contains("{指标:T04:实际}"), "indicators' figures");
    let save = |text: &str| {
        post(
            &path,
            Some(&cookie),
            &format!(
                "csrf={csrf}&version=1&performance={}",
                text.bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect::<String>()
            ),
        )
    };
    let res = t.send(save("本年度预算执行率为{不存在的数}。")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(res).await;
    assert!(
        html.contains("未知的数据名") && html.contains("id=\"performance-error\""),
        "on its section"
    );
    let res = t.send(save("本年度预算执行率为85%。")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body(res).await.contains("自相矛盾"),
        "the typed rate disagrees with the data"
    );
    let res = t.send(save("本年度预算执行率为{预算执行率}。")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let file = body(
        t.send(get(
            &format!("/api/v1/projects/{}/file", t.own),
            Some(&cookie),
        ))
        .await,
    )
    .await;
    assert!(
        file.contains("本年度预算执行率为{预算执行率}。"),
        "the placeholder is kept, not the number"
    );
    // A narrative written elsewhere (here through the API) that contradicts the data: the
    // report is refused on a page that lists what the auditor found.
    let typed = file.replace(
        "本年度预算执行率为{预算执行率}。",
        "本年度预算执行率为85%。",
    );
    let res = t
        .send(put(
            &format!("/api/v1/projects/{}", t.own),
            Some(&cookie),
            &typed,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t
        .send(get(
            &format!("/projects/{}/report/docx", t.own),
            Some(&cookie),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(res).await;
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("审查发现的问题"),
        "{html}"
    );
    assert!(html.contains("85"), "the finding quotes the typed rate");
    let res = t
        .send(get(
            &format!("/projects/{}/report/xlsx", t.own),
            Some(&cookie),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "the forms print no narrative");
}

/// Policy documents, facts, adjustments, funds received and spending lines are kept on one
/// page: a bad row names its field and saves nothing; a good one changes the budget figures;
/// a removed one is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_of_a_project_are_kept_in_the_pages() {
    let t = TestApp::new().await;
    let (_, session) = t.login("officer", DEMO_PASSWORD).await;
    let session = session.unwrap();
    let csrf = t.csrf_of(&session).await;
    let cookie = format!("jixiao_session={session}");
    let enc = |s: &str| s.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let change = |kind: &str, version: i64, fields: &[(&str, &str)]| {
        let mut body = format!("csrf={csrf}&version={version}");
        for (k, v) in fields {
            body.push_str(&format!("&{k}={}", enc(v)));
        }
        post(
            &format!("/projects/{}/lists/{kind}", t.own),
            Some(&cookie),
            &body,
        )
    };
    let spent = || async {
        let b: serde_json::Value = serde_json::from_str(
            &body(
                t.send(get(
                    &format!("/api/v1/projects/{}/budget", t.own),
                    Some(&cookie),
                ))
                .await,
            )
            .await,
        )
        .unwrap();
        (
            b["spent"]["fen"].as_i64().unwrap(),
            b["version"].as_i64().unwrap(),
        )
    };
    let (before, version) = spent().await;
    let res = t
        .send(change(
            "receipt",
            version,
            &[
                ("op", "add"),
                ("receipt-source", "当年财政拨款"),
                ("receipt-amount", "很多"),
            ],
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(res).await;
    assert!(
        html.contains("金额「很多」") && html.contains("id=\"receipt-amount-error\""),
        "named on its field"
    );
    let res = t
        .send(change(
            "spending",
            version,
            &[
                ("op", "add"),
                ("spending-purpose", "培训教材"),
                ("spending-amount", "1200.50"),
                ("spending-targets", "T99"),
            ],
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(res).await.contains("没有编号为「T99」"));
    let res = t
        .send(change(
            "fact",
            version,
            &[
                ("op", "add"),
                ("fact-name", "全市残联系统接待来访"),
                ("fact-value", "1"),
            ],
        ))
        .await;
    assert!(
        body(res).await.contains("已有名为"),
        "facts have unique names"
    );
    assert_eq!(spent().await, (before, version), "nothing saved");
    let res = t
        .send(change(
            "spending",
            version,
            &[
                ("op", "add"),
                ("spending-date", "2022-10-08"),
                ("spending-purpose", "培训教材"),
                ("spending-amount", "1200.50"),
                ("spending-targets", "T03"),
            ],
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (after, version) = spent().await;
    assert_eq!(after, before + 120_050, "exact to the fen");
    let html = body(
        t.send(get(&format!("/projects/{}/lists", t.own), Some(&cookie)))
            .await,
    )
    .await;
    let rows = html
        .matches("<span class=\"visually-hidden\">支出明细第")
        .count();
    let res = t
        .send(change(
            "spending",
            version,
            &[("op", "remove"), ("index", &(rows - 1).to_string())],
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(spent().await.0, before);
}

/// The seed's chain through the API with the demo users: the officer files, the four leaders
/// approve in turn (a wrong role, one's own request and a stale version refused), the cashier
/// pays into the ledger, a correction reverses the line; bad amounts name the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fund_requests_through_the_api() {
    let t = TestApp::new().await;
    let mut cookies = std::collections::HashMap::new();
    for user in [
        "officer",
        "head",
        "finance",
        "deputy",
        "unit-head",
        "cashier",
    ] {
        let (_, session) = t.login(user, DEMO_PASSWORD).await;
        cookies.insert(user, format!("jixiao_session={}", session.unwrap()));
    }
    let files = format!("/api/v1/projects/{}/fund-requests", t.own);
    for (amount, message) in [
        ("0", "应大于零"),
        ("-3", "应大于零"),
        ("10.005", "至多两位小数"),
        ("很多", "不是金额"),
    ] {
        let res = t
            .send(json_request(
                "POST",
                &files,
                Some(&cookies["officer"]),
                &format!(r#"{{"amount":"{amount}","purpose":"培训教材","payee":"某书店"}}"#),
            ))
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{amount}");
        assert!(body(res).await.contains(message), "{amount}");
    }
    let res = t
        .send(json_request(
            "POST",
            &files,
            Some(&cookies["officer"]),
            r#"{"amount":"1200.50","purpose":"培训教材","payee":"某书店","budget_line":"2100101"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let r: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    assert_eq!(
        r["chain"],
        serde_json::json!(["部门负责人", "财务负责人", "分管领导", "单位负责人"])
    );
    let decide = format!("/api/v1/fund-requests/{}/decisions", r["id"]);
    let act = |user: &str, json: String| json_request("POST", &decide, Some(&cookies[user]), &json);
    let res = t
        .send(act("finance", r#"{"action":"approve","version":1}"#.into()))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("这一步由部门负责人审批"));
    for (version, user) in (1..).zip(["head", "finance", "deputy", "unit-head"]) {
        let res = t
            .send(act(
                user,
                format!(r#"{{"action":"approve","version":{version}}}"#),
            ))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{user}");
    }
    let res = t
        .send(act("head", r#"{"action":"approve","version":1}"#.into()))
        .await;
    assert!(body(res).await.contains("刚被他人办理"), "a stale page");
    let res = t
        .send(act(
            "finance",
            r#"{"action":"pay","paid_on":"2022-10-08","bank_reference":"B-1"}"#.into(),
        ))
        .await;
    assert!(body(res).await.contains("只有本单位的出纳可以支付"));
    let res = t
        .send(act(
            "cashier",
            r#"{"action":"pay","paid_on":"2022-10-08","bank_reference":"B-1"}"#.into(),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let line: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    assert_eq!(line["amount"]["fen"], 120_050);
    let history = body(
        t.send(get(
            &format!("/api/v1/fund-requests/{}", r["id"]),
            Some(&cookies["officer"]),
        ))
        .await,
    )
    .await;
    assert!(history.contains(r#""decision":"pay""#) && history.contains(r#""actor":"unit-head""#));
    let ledger = format!("/api/v1/projects/{}/ledger", t.own);
    let res = t
        .send(json_request(
            "POST",
            &format!("{ledger}/{}/reversal", line["id"]),
            Some(&cookies["cashier"]),
            r#"{"paid_on":"2022-10-09","reason":"收款方账户有误，款项退回"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let total: serde_json::Value =
        serde_json::from_str(&body(t.send(get(&ledger, Some(&cookies["officer"]))).await).await)
            .unwrap();
    assert_eq!(total["total"]["fen"], 0);
    assert_eq!(total["lines"].as_array().unwrap().len(), 2);
    // An administrator sets amount thresholds: small payments skip the two leaders.
    let (_, admin) = t.login("admin", DEMO_PASSWORD).await;
    let admin = format!("jixiao_session={}", admin.unwrap());
    let chain = format!("/api/v1/organisations/{}/fund-chain", t.own_org);
    let res = t
        .send(json_request(
            "PUT",
            &chain,
            Some(&admin),
            r#"{"steps":[{"role":"部门负责人"},{"role":"财务负责人"},{"role":"分管领导","min":"5000.001"}]}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(res).await.contains("steps[2].min"));
    let res = t
        .send(json_request(
            "PUT",
            &chain,
            Some(&admin),
            r#"{"steps":[{"role":"部门负责人"},{"role":"财务负责人"},{"role":"分管领导","min":"5000"},{"role":"单位负责人","min":"50000"}]}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t
        .send(json_request(
            "POST",
            &files,
            Some(&cookies["officer"]),
            r#"{"amount":"800","purpose":"文具","payee":"某文具店"}"#,
        ))
        .await;
    let small: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    assert_eq!(
        small["chain"],
        serde_json::json!(["部门负责人", "财务负责人"])
    );
    // The officer's own request cannot be approved by the officer (not a leader) nor by a
    // leader who files one.
    let res = t
        .send(json_request(
            "POST",
            &files,
            Some(&cookies["head"]),
            r#"{"amount":"10","purpose":"x","payee":"y"}"#,
        ))
        .await;
    let mine: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    let res = t
        .send(json_request(
            "POST",
            &format!("/api/v1/fund-requests/{}/decisions", mine["id"]),
            Some(&cookies["head"]),
            r#"{"action":"approve","version":1}"#,
        ))
        .await;
    assert!(body(res).await.contains("不能审批自己提出的资金申请"));
}

/// The seed's payment chain through the pages: the officer files (a bad amount named on its
/// field first), each leader finds it in the to-do list and approves, the cashier pays into the
/// ledger (a bad date refused on the page).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fund_requests_through_the_pages() {
    let t = TestApp::new().await;
    let mut cookies = std::collections::HashMap::new();
    let mut tokens = std::collections::HashMap::new();
    for user in [
        "officer",
        "head",
        "finance",
        "deputy",
        "unit-head",
        "cashier",
    ] {
        let (_, session) = t.login(user, DEMO_PASSWORD).await;
        let session = session.unwrap();
        tokens.insert(user, t.csrf_of(&session).await);
        cookies.insert(user, format!("jixiao_session={session}"));
    }
    let enc = |s: &str| s.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let form = |user: &str, path: &str, fields: &[(&str, &str)]| {
        let mut body = format!("csrf={}", tokens[user]);
        for (k, v) in fields {
            body.push_str(&format!("&{k}={}", enc(v)));
        }
        post(path, Some(&cookies[user]), &body)
    };
    let funds = format!("/projects/{}/funds", t.own);
    let res = t
        .send(form(
            "officer",
            &funds,
            &[
                ("amount", "12.345"),
                ("purpose", "培训教材"),
                ("payee", "某书店"),
            ],
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(res).await;
    assert!(
        html.contains("金额：金额「12.345」至多两位小数") && html.contains("id=\"amount-error\""),
        "{html}"
    );
    let res = t
        .send(form(
            "officer",
            &funds,
            &[
                ("amount", "1200.50"),
                ("purpose", "培训教材"),
                ("payee", "某书店"),
            ],
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let request = location(&res);
    for (version, user) in (1..).zip(["head", "finance", "deputy", "unit-head"]) {
        let home = body(t.send(get("/", Some(&cookies[user]))).await).await;
        assert!(
            home.contains("资金申请第"),
            "{user} sees it in the to-do list"
        );
        let res = t
            .send(form(
                user,
                &request,
                &[("action", "approve"), ("version", &version.to_string())],
            ))
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{user}");
    }
    let page = body(t.send(get(&request, Some(&cookies["cashier"]))).await).await;
    assert!(page.contains("支付并记入支出明细"));
    let res = t
        .send(form(
            "cashier",
            &request,
            &[
                ("action", "pay"),
                ("paid_on", "2022-13-40"),
                ("bank_reference", "B-9"),
            ],
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("应写成 年-月-日"));
    let res = t
        .send(form(
            "cashier",
            &request,
            &[
                ("action", "pay"),
                ("paid_on", "2022-10-08"),
                ("bank_reference", "B-9"),
            ],
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = body(t.send(get(&funds, Some(&cookies["officer"]))).await).await;
    assert!(
        html.contains("合计 1,200.50 元") && html.contains("已支付"),
        "{html}"
    );
    // The ledger downloads as 附件2 支出明细.
    let res = t
        .send(get(
            &format!("/projects/{}/ledger.xlsx", t.own),
            Some(&cookies["officer"]),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("%E6%94%AF%E5%87%BA%E6%98%8E%E7%BB%86.xlsx"),
        "{disposition}"
    );
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    assert!(bytes.starts_with(b"PK"), "a workbook");
}

fn upload(name: &str, cookie: &str, bytes: Vec<u8>) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri(format!("/api/v1/audit?name={name}"))
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(header::COOKIE, cookie)
        .body(Body::from(bytes))
        .unwrap()
}

/// 体检 through the API: the seed report's contradictions, a Word file, a bad name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploaded_reports_are_audited() {
    let t = TestApp::new().await;
    let (_, session) = t.login("reviewer", DEMO_PASSWORD).await;
    let cookie = format!("jixiao_session={}", session.unwrap());
    let seed = std::fs::read(jixiao_testkit::seed_report()).unwrap();
    let res = t.send(upload("seed.txt", &cookie, seed)).await;
    let status = res.status();
    let json = body(res).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert!(json.contains("\"rule\":\"score-text-vs-table\""), "{json}");
    assert!(json.contains("\"name\":\"seed.txt\""));
    let docx = std::fs::read(
        jixiao_testkit::workspace_root()
            .join("crates/audit/tests/corpus/dev/d04_fuzhou_gulou_culture_2023.docx"),
    )
    .unwrap();
    let res = t.send(upload("d04.docx", &cookie, docx)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body(res).await.contains("\"findings\":["));
    let res = t.send(upload("report.xyz", &cookie, b"x".to_vec())).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = t
        .send(upload("broken.docx", &cookie, b"PK not a docx".to_vec()))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// Reports through the API: from the current data while the self-evaluation is a draft;
/// once it is submitted, from the snapshot, which the report names, whatever changes later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_come_from_the_submitted_snapshot() {
    let t = TestApp::new().await;
    let (_, session) = t.login("officer", DEMO_PASSWORD).await;
    let cookie = format!("jixiao_session={}", session.unwrap());
    let url = |f: &str| format!("/api/v1/projects/{}/report?format={f}", t.own);
    let res = t.send(get(&url("docx"), Some(&cookie))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("x-jixiao-snapshot").is_none());
    let disposition = res
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''2022"),
        "{disposition}"
    );
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.starts_with(b"PK"), "a zip (DOCX)");
    let res = t.send(get(&url("odt"), Some(&cookie))).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // The self-evaluation judges approved targets: refused before the target sheet is approved.
    let evaluation = format!("/api/v1/projects/{}/workflows/self_evaluation", t.own);
    let res = t
        .send(step(&evaluation, &cookie, r#"{"action":"submit"}"#))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("绩效目标表尚未批复"));
    let sheet = format!("/api/v1/projects/{}/workflows/target_sheet", t.own);
    for user in ["officer", "head", "unit-head", "reviewer"] {
        let (_, s) = t.login(user, DEMO_PASSWORD).await;
        let c = format!("jixiao_session={}", s.unwrap());
        let action = if user == "officer" {
            "submit"
        } else {
            "approve"
        };
        let res = t
            .send(step(&sheet, &c, &format!("{{\"action\":\"{action}\"}}")))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{user}");
    }
    // Submit the self-evaluation: the report now comes from the snapshot.
    let res = t
        .send(step(
            &format!("/api/v1/projects/{}/workflows/self_evaluation", t.own),
            &cookie,
            r#"{"action":"submit"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t.send(get(&url("html"), Some(&cookie))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let hash = res
        .headers()
        .get("x-jixiao-snapshot")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let before = body(res).await;
    assert!(
        before.contains(&format!("数据快照 {}", &hash[..12])),
        "the report names its snapshot"
    );
    // A later correction changes the data, not the submitted report.
    let changed = t.file.replace(
        "appropriation = \"76.1万元\"",
        "appropriation = \"76.2万元\"",
    );
    assert_ne!(changed, t.file);
    let res = t
        .send(put(
            &format!("/api/v1/projects/{}", t.own),
            Some(&cookie),
            &changed,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = body(t.send(get(&url("html"), Some(&cookie))).await).await;
    assert_eq!(after, before);
}

/// Programs call the API with a token instead of a cookie.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_stand_in_for_a_session() {
    let t = TestApp::new().await;
    let user = t
        .state
        .store
        .user_by_username("reviewer")
        .await
        .unwrap()
        .unwrap();
    let token = jixiao_web::auth::token().unwrap();
    t.state
        .store
        .create_api_token(
            &jixiao_web::auth::token_hash(&token),
            &user,
            "报表程序",
            "test",
        )
        .await
        .unwrap();
    let with = |value: &str| {
        Request::builder()
            .uri("/api/v1/me")
            .header(header::AUTHORIZATION, value)
            .body(Body::empty())
            .unwrap()
    };
    let res = t.send(with(&format!("Bearer {token}"))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body(res).await.contains("\"role\":\"财政局审核\""));
    assert_eq!(
        t.send(with("Bearer not-a-token")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        t.send(with(&token)).await.status(),
        StatusCode::UNAUTHORIZED,
        "the Bearer scheme is required"
    );
}

/// Oversized bodies are refused with the limit stated, in Chinese, before anything is read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused_with_the_limit() {
    let t = TestApp::new().await;
    let (_, session) = t.login("officer", DEMO_PASSWORD).await;
    let cookie = format!("jixiao_session={}", session.unwrap());
    let big = "x".repeat(5 * 1024 * 1024);
    let res = t
        .send(put(
            &format!("/api/v1/projects/{}", t.own),
            Some(&cookie),
            &big,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body(res).await.contains("请求体超过上限 4 MB"));
    let res = t.send(post("/login", None, &"a".repeat(100 * 1024))).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body(res).await.contains("64 KB"));
}

/// Every page passes axe-core (WCAG 2.1 A/AA and best practice) in Chromium, with its own
/// style sheet, in the roles that see it and in its error states (a form with errors, a report
/// check's result, a forbidden page); every focusable element is reachable by the keyboard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_pass_axe_core_in_chromium() {
    let t = TestApp::new().await;
    let mut cookies = std::collections::HashMap::new();
    for user in ["officer", "admin", "reviewer", "evaluator", "head"] {
        let (_, session) = t.login(user, DEMO_PASSWORD).await;
        cookies.insert(user, format!("jixiao_session={}", session.unwrap()));
    }
    let filed = t
        .send(json_request(
            "POST",
            &format!("/api/v1/projects/{}/fund-requests", t.own),
            Some(&cookies["officer"]),
            r#"{"amount":"1200.50","purpose":"培训教材","payee":"某书店"}"#,
        ))
        .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let dir = jixiao_testkit::TempDir::new("web-axe");
    let css = body(t.send(get("/static/app.css", None)).await).await;
    dir.write("app.css", css);
    let own = t.own;
    let other = t.other;
    let mut pages: Vec<(String, Request<Body>)> = Vec::new();
    for (name, path, user) in [
        ("login", "/login".to_owned(), None),
        ("home", "/".to_owned(), Some("officer")),
        ("home-reviewer", "/".to_owned(), Some("reviewer")),
        ("account", "/account".to_owned(), Some("officer")),
        ("docs", "/api/docs".to_owned(), None),
        ("missing", "/nothing-here".to_owned(), None),
        (
            "projects",
            "/projects?year=2022".to_owned(),
            Some("officer"),
        ),
        ("project", format!("/projects/{own}"), Some("officer")),
        (
            "project-reviewer",
            format!("/projects/{other}"),
            Some("reviewer"),
        ),
        ("forbidden", format!("/projects/{other}"), Some("officer")),
        (
            "evaluation",
            format!("/projects/{own}/evaluation"),
            Some("evaluator"),
        ),
        (
            "actual",
            format!("/projects/{own}/targets/T04"),
            Some("officer"),
        ),
        (
            "judge",
            format!("/projects/{own}/judgments/A111"),
            Some("evaluator"),
        ),
        ("check", "/check".to_owned(), Some("officer")),
        ("new-project", "/projects/new".to_owned(), Some("officer")),
        (
            "narrative",
            format!("/projects/{own}/narrative"),
            Some("officer"),
        ),
        ("lists", format!("/projects/{own}/lists"), Some("officer")),
        ("funds", format!("/projects/{own}/funds"), Some("officer")),
        ("fund-request", "/fund-requests/1".to_owned(), Some("head")),
        (
            "edit-project",
            format!("/projects/{own}/edit"),
            Some("officer"),
        ),
        (
            "new-indicator",
            format!("/projects/{own}/indicators/new"),
            Some("officer"),
        ),
        (
            "indicator",
            format!("/projects/{own}/indicators/T03"),
            Some("officer"),
        ),
        ("admin", "/admin".to_owned(), Some("admin")),
        (
            "framework",
            "/admin/frameworks/kunming-2022".to_owned(),
            Some("admin"),
        ),
        ("audit", format!("/projects/{own}/audit"), Some("reviewer")),
    ] {
        pages.push((
            name.to_owned(),
            get(&path, user.map(|u| cookies[u].as_str())),
        ));
    }
    // Error states: a form with errors on its fields, and a report check's findings.
    let csrf = t
        .csrf_of(cookies["officer"].trim_start_matches("jixiao_session="))
        .await;
    // Monitoring: a submitted round with red warnings, a draft, a warning, the overview, and
    // the round's form and the warning's answer with errors.
    let (submitted, red) = monitored(&t, &cookies["officer"]).await;
    let res = t
        .send(json_request(
            "POST",
            &format!("/api/v1/projects/{own}/monitoring"),
            Some(&cookies["officer"]),
            r#"{"period_end":"2022-12-31"}"#,
        ))
        .await;
    let draft: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    let draft = draft["id"].as_i64().unwrap();
    for (name, path, user) in [
        (
            "monitoring",
            format!("/projects/{own}/monitoring"),
            "officer",
        ),
        (
            "monitoring-draft",
            format!("/monitoring/{draft}"),
            "officer",
        ),
        (
            "monitoring-submitted",
            format!("/monitoring/{submitted}"),
            "reviewer",
        ),
        ("warning", format!("/warnings/{red}"), "head"),
        ("monitoring-overview", "/monitoring".to_owned(), "reviewer"),
    ] {
        pages.push((name.to_owned(), get(&path, Some(&cookies[user]))));
    }
    pages.push((
        "monitoring-errors".to_owned(),
        post(
            &format!("/monitoring/{draft}"),
            Some(&cookies["officer"]),
            &format!("csrf={csrf}&version=1&action=save&achieved-T01=x&cause-other-T02=1"),
        ),
    ));
    let head_csrf = t
        .csrf_of(cookies["head"].trim_start_matches("jixiao_session="))
        .await;
    pages.push((
        "warning-errors".to_owned(),
        post(
            &format!("/warnings/{red}"),
            Some(&cookies["head"]),
            &format!("csrf={head_csrf}&cause=&measure="),
        ),
    ));
    pages.push((
        "actual-errors".to_owned(),
        post(
            &format!("/projects/{own}/targets/T04"),
            Some(&cookies["officer"]),
            &format!("csrf={csrf}&version=1&value=%E7%BA%A6%E4%BA%94%E4%B8%87"),
        ),
    ));
    let seed = std::fs::read(jixiao_testkit::seed_report()).unwrap();
    pages.push((
        "check-result".to_owned(),
        multipart(
            "/check",
            Some(&cookies["officer"]),
            &[("csrf", &csrf)],
            ("report", "自评报告.txt", &seed),
        ),
    ));
    let mut files = Vec::new();
    for (name, req) in pages {
        let uri = req.uri().clone();
        let res = t.send(req).await;
        let status = res.status();
        let html = body(res).await;
        assert!(html.starts_with("<!DOCTYPE html>"), "{name} {uri} {status}");
        files.push(dir.write(
            &format!("{name}.html"),
            html.replace("/static/app.css", "app.css"),
        ));
    }
    let check = jixiao_testkit::workspace_root().join("tests/a11y/check.mjs");
    let shot = dir.path().join("home.png");
    let o = std::process::Command::new("node")
        .arg(&check)
        .args(&files)
        .arg("--screenshot")
        .arg(&shot)
        .output()
        .expect("node is installed by scripts/test");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("0 violated"), "{out}");
}

/// The demo project's targets with a value each: on target except T01 (2 of 10 events by
/// July, red) and T11 (cannot be met, red). Returns the values as the API takes them.
fn monitoring_values(file: &str, broken: bool) -> String {
    let p = jixiao_core::file::project::read(file.as_bytes())
        .value
        .unwrap();
    let values: Vec<serde_json::Value> = p
        .targets
        .iter()
        .map(|t| {
            let achieved = match (t.id.as_str(), t.number()) {
                ("T01", _) => Some(if broken {
                    "约五十".to_owned()
                } else {
                    "2".to_owned()
                }),
                (_, Some(n)) => Some(n.to_string()),
                (_, None) => None,
            };
            let likelihood = match t.id.as_str() {
                "T11" => "impossible",
                "T02" if broken => "说不好",
                _ => "certain",
            };
            serde_json::json!({
                "target": t.id,
                "achieved": achieved,
                "likelihood": likelihood,
                "measures": (t.id == "T11").then_some("调整目标"),
            })
        })
        .collect();
    serde_json::to_string(&values).unwrap()
}

/// Opens, fills and submits the demo project's July round through the API; returns the
/// round's id and the first red warning's id.
async fn monitored(t: &TestApp, officer: &str) -> (i64, i64) {
    let base = format!("/api/v1/projects/{}/monitoring", t.own);
    let res = t
        .send(json_request(
            "POST",
            &base,
            Some(officer),
            r#"{"period_end":"2022-07-31"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let round: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    let uri = format!("/api/v1/monitoring/{}", round["id"]);
    let res = t
        .send(json_request(
            "PUT",
            &uri,
            Some(officer),
            &format!(
                r#"{{"version":1,"summary":"上半年进展","values":{}}}"#,
                monitoring_values(&t.file, false)
            ),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t
        .send(json_request(
            "POST",
            &format!("{uri}/submission"),
            Some(officer),
            r#"{"version":2}"#,
        ))
        .await;
    let text = body(res).await;
    let submitted: serde_json::Value = serde_json::from_str(&text).unwrap();
    let red = submitted["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["level"] == "red")
        .unwrap_or_else(|| panic!("a red warning: {text}"))["id"]
        .as_i64()
        .unwrap();
    (round["id"].as_i64().unwrap(), red)
}

/// Monitoring through the API and the pages: bad values named by field and nothing saved, a
/// stale version refused, submission raising red warnings with deadlines, answers, the
/// overview, the monitoring form as XLSX, and the administrators' settings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monitoring_through_the_api_and_the_pages() {
    let t = TestApp::new().await;
    let mut cookies = std::collections::HashMap::new();
    for user in ["officer", "reviewer", "cashier", "unit-head", "admin"] {
        let (_, session) = t.login(user, DEMO_PASSWORD).await;
        cookies.insert(user, format!("jixiao_session={}", session.unwrap()));
    }
    let officer = cookies["officer"].clone();
    let base = format!("/api/v1/projects/{}/monitoring", t.own);
    // Only the department's officers open rounds, for a date of the project's year.
    for (who, json, status) in [
        (
            "cashier",
            r#"{"period_end":"2022-07-31"}"#,
            StatusCode::FORBIDDEN,
        ),
        (
            "officer",
            r#"{"period_end":"2023-07-31"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "officer",
            r#"{"period_end":"七月底"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let res = t
            .send(json_request("POST", &base, Some(&cookies[who]), json))
            .await;
        assert_eq!(res.status(), status, "{who} {json}");
    }
    let res = t
        .send(json_request(
            "POST",
            &base,
            Some(&officer),
            r#"{"period_end":"2022-07-31"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let round: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    let uri = format!("/api/v1/monitoring/{}", round["id"]);
    // Bad values: each named by field; nothing saved.
    let res = t
        .send(json_request(
            "PUT",
            &uri,
            Some(&officer),
            &format!(
                r#"{{"version":1,"expected_spending":"12.345","values":{}}}"#,
                monitoring_values(&t.file, true)
            ),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problems = body(res).await;
    for want in [
        "expected_spending：",
        "values[0].achieved：",
        "约五十",
        "values[1].likelihood：",
    ] {
        assert!(problems.contains(want), "{want}: {problems}");
    }
    let shown: serde_json::Value =
        serde_json::from_str(&body(t.send(get(&uri, Some(&officer))).await).await).unwrap();
    assert_eq!(shown["values"].as_array().unwrap().len(), 0);
    assert_eq!(shown["version"], 1);
    // Submitting before every value is there is refused, naming the indicators.
    let res = t
        .send(json_request(
            "POST",
            &format!("{uri}/submission"),
            Some(&officer),
            r#"{"version":1}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("T01"));
    let good = format!(
        r#"{{"version":1,"expected_spending":"700000","values":{}}}"#,
        monitoring_values(&t.file, false)
    );
    let res = t
        .send(json_request("PUT", &uri, Some(&officer), &good))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // A stale page saves nothing.
    let res = t
        .send(json_request("PUT", &uri, Some(&officer), &good))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(body(res).await.contains("刚被他人修改"));
    // The draft shows what submission would raise.
    let shown: serde_json::Value =
        serde_json::from_str(&body(t.send(get(&uri, Some(&officer))).await).await).unwrap();
    assert_eq!(shown["standing"]["time_elapsed"], "58.33");
    let preview = shown["standing"]["warnings"].to_string();
    assert!(
        preview.contains("T01") && preview.contains("完全不可能"),
        "{preview}"
    );
    let res = t
        .send(json_request(
            "POST",
            &format!("{uri}/submission"),
            Some(&officer),
            r#"{"version":2}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let submitted: serde_json::Value = serde_json::from_str(&body(res).await).unwrap();
    assert_eq!(submitted["round"]["state"], "submitted");
    assert_eq!(submitted["round"]["level"], "red");
    let reds: Vec<&serde_json::Value> = submitted["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["level"] == "red")
        .collect();
    assert!(reds.len() >= 2, "{submitted}");
    assert!(
        reds.iter().all(|w| w["deadline"].is_string()),
        "{submitted}"
    );
    let red = reds[0]["id"].as_i64().unwrap();

    // The overview: the finance bureau sees the project red.
    let overview: serde_json::Value = serde_json::from_str(
        &body(
            t.send(get(
                "/api/v1/monitoring?level=red",
                Some(&cookies["reviewer"]),
            ))
            .await,
        )
        .await,
    )
    .unwrap();
    assert_eq!(overview["counts"]["red"], 1, "{overview}");
    assert_eq!(overview["projects"][0]["project"], t.own);
    assert_eq!(overview["projects"][0]["open_red"], reds.len());
    let res = t
        .send(get("/api/v1/monitoring?level=purple", Some(&officer)))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Answers: the cashier may not; a bad decision is named; the unit head answers once.
    let answer = |who: &str, json: &str| {
        json_request(
            "POST",
            &format!("/api/v1/warnings/{red}/response"),
            Some(&cookies[who]),
            json,
        )
    };
    let ok = r#"{"cause":"换届","measure":"下半年举办","decision":"continue"}"#;
    assert_eq!(
        t.send(answer("cashier", ok)).await.status(),
        StatusCode::FORBIDDEN
    );
    let res = t
        .send(answer(
            "unit-head",
            r#"{"cause":" ","measure":"下半年举办","decision":"continue"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(res).await.contains("cause：请写明偏差原因"));
    let res = t
        .send(answer(
            "unit-head",
            r#"{"cause":"换届","measure":"下半年举办","decision":"maybe"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(res).await.contains("decision："));
    assert_eq!(
        t.send(answer("unit-head", ok)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        t.send(answer("unit-head", ok)).await.status(),
        StatusCode::CONFLICT
    );

    // The pages: the project's monitoring with its chart, the overview, a warning.
    let html = body(
        t.send(get(
            &format!("/projects/{}/monitoring", t.own),
            Some(&officer),
        ))
        .await,
    )
    .await;
    for want in [
        "累计支出与序时进度",
        "红色预警",
        "已答复",
        "截至 2022年7月31日",
    ] {
        assert!(html.contains(want), "{want}");
    }
    let html = body(t.send(get("/monitoring", Some(&cookies["reviewer"]))).await).await;
    assert!(html.contains("红色预警（1）"), "{html}");
    // A page form with a bad date, then a good one; then a bad value on the round's form.
    let csrf = t
        .csrf_of(officer.trim_start_matches("jixiao_session="))
        .await;
    let res = t
        .send(post(
            &format!("/projects/{}/monitoring", t.own),
            Some(&officer),
            &format!("csrf={csrf}&period_end=%E5%B9%B4%E5%BA%95"),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(res).await.contains("截至日期：「年底」不是日期"));
    let res = t
        .send(post(
            &format!("/projects/{}/monitoring", t.own),
            Some(&officer),
            &format!("csrf={csrf}&period_end=2022-12-31"),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let res = t
        .send(post(
            &page,
            Some(&officer),
            &format!("csrf={csrf}&version=1&action=save&achieved-T01=%E7%BA%A6%E4%BA%94%E5%8D%81&cause-other-T02=1"),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(res).await;
    assert!(html.contains("id=\"achieved-T01\" name=\"achieved-T01\" value=\"约五十\" aria-describedby=\"achieved-T01-hint achieved-T01-error\" aria-invalid=\"true\""), "{html}");
    assert!(html.contains("偏差原因选了“其他”，请说明"), "{html}");
    let html = body(t.send(get(&page, Some(&officer))).await).await;
    assert!(!html.contains("约五十"), "nothing saved");
    // The reviewer sees the round read-only; the officer may not answer for another role's
    // page and the cashier is refused the form.
    let html = body(t.send(get(&page, Some(&cookies["reviewer"]))).await).await;
    assert!(!html.contains("name=\"achieved-T01\""));
    // The monitoring form as XLSX.
    let res = t
        .send(get(
            &format!("/monitoring/{}/form.xlsx", round["id"]),
            Some(&officer),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.starts_with(b"PK"));

    // Settings: every bad line named, nothing saved; administrators only.
    let res = t
        .send(json_request(
            "PUT",
            "/api/v1/settings/monitoring",
            Some(&cookies["admin"]),
            r#"{"rules":"答复期限 3\n黄色线 很高","calendar":"2026-13-01 休 x"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problems = body(res).await;
    assert!(
        problems.contains("rules：第 2 行") && problems.contains("calendar：第 1 行"),
        "{problems}"
    );
    let settings = body(
        t.send(get("/api/v1/settings/monitoring", Some(&officer)))
            .await,
    )
    .await;
    assert!(settings.contains("答复期限 5"), "{settings}");
    let res = t
        .send(json_request(
            "PUT",
            "/api/v1/settings/monitoring",
            Some(&cookies["admin"]),
            r#"{"rules":"答复期限 3"}"#,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body(res).await.contains("答复期限 3"));
}
