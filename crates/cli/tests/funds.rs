//! Fund requests against real `jixiao serve` processes, driven over HTTP by many clients at
//! once: a storm of approvals and payments on one SQLite server and on two server processes
//! sharing one PostgreSQL database (`JIXIAO_TEST_PG_URL`), and a server killed (SIGKILL) in
//! the middle of a payment storm and restarted. Afterwards, in every case: no request paid
//! twice, no step taken twice, the ledger equals the paid requests, and money never above the
//! budget or the funds received.

#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot unwrap should fail the test"
)]

mod common;

use std::path::Path;

use common::{Server, http, jixiao, start};

/// The demo users' API tokens (made with `jixiao admin create-token`).
fn tokens(dir: &Path, db: &[&str]) -> std::collections::HashMap<&'static str, String> {
    let mut out = std::collections::HashMap::new();
    for user in [
        "officer",
        "head",
        "finance",
        "deputy",
        "unit-head",
        "cashier",
    ] {
        let mut args = vec![
            "admin",
            "create-token",
            "--username",
            user,
            "--name",
            "test",
            "--data-dir",
            "data",
        ];
        args.extend_from_slice(db);
        let o = jixiao(&args, dir);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out.insert(user, String::from_utf8_lossy(&o.stdout).trim().to_owned());
    }
    out
}

fn call(port: u16, token: &str, method: &str, path: &str, body: &str) -> (u16, serde_json::Value) {
    let auth = format!("Bearer {token}");
    let (status, _, text) = http(
        port,
        method,
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        body,
    );
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// As [`call`], but a server that is gone (killed) is an answer, not a failure of the test.
fn try_call(
    port: u16,
    token: &str,
    method: &str,
    path: &str,
    body: &str,
) -> Option<serde_json::Value> {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (_, body) = text.split_once("\r\n\r\n")?;
    serde_json::from_str(body).ok()
}

fn file_requests(port: u16, officer: &str, n: usize) -> Vec<i64> {
    (0..n)
        .map(|_| {
            let (status, r) = call(
                port,
                officer,
                "POST",
                "/api/v1/projects/1/fund-requests",
                r#"{"amount":"2000","purpose":"培训","payee":"某培训机构"}"#,
            );
            assert_eq!(status, 201, "{r}");
            r["id"].as_i64().unwrap()
        })
        .collect()
}

/// Every client walks the requests, taking every step it can and paying; ports alternate.
fn storm(
    ports: &[u16],
    tokens: &std::collections::HashMap<&'static str, String>,
    ids: &[i64],
    clients: usize,
) {
    std::thread::scope(|scope| {
        for c in 0..clients {
            let ports = ports.to_vec();
            let ids = ids.to_vec();
            scope.spawn(move || {
                for (n, id) in ids.iter().enumerate().skip(c % 3) {
                    let port = ports[(n + c) % ports.len()];
                    for user in ["head", "finance", "deputy", "unit-head"] {
                        let Some(r) = try_call(
                            port,
                            &tokens[user],
                            "GET",
                            &format!("/api/v1/fund-requests/{id}"),
                            "",
                        ) else {
                            return;
                        };
                        let Some(version) = r["version"].as_i64() else {
                            return;
                        };
                        let _ = try_call(
                            port,
                            &tokens[user],
                            "POST",
                            &format!("/api/v1/fund-requests/{id}/decisions"),
                            &format!(r#"{{"action":"approve","version":{version}}}"#),
                        );
                    }
                    let _ = try_call(
                        port,
                        &tokens["cashier"],
                        "POST",
                        &format!("/api/v1/fund-requests/{id}/decisions"),
                        &format!(
                            r#"{{"action":"pay","paid_on":"2022-11-01","bank_reference":"B{id}"}}"#
                        ),
                    );
                }
            });
        }
    });
}

/// The invariants, read through the API.
fn check(port: u16, tokens: &std::collections::HashMap<&'static str, String>) -> (usize, i64) {
    let (_, ledger) = call(
        port,
        &tokens["officer"],
        "GET",
        "/api/v1/projects/1/ledger",
        "",
    );
    let lines = ledger["lines"].as_array().unwrap();
    let mut paid_ids: Vec<i64> = lines.iter().filter_map(|l| l["request"].as_i64()).collect();
    let n = paid_ids.len();
    paid_ids.sort_unstable();
    paid_ids.dedup();
    assert_eq!(n, paid_ids.len(), "no request paid twice");
    let total = ledger["total"]["fen"].as_i64().unwrap();
    let (_, requests) = call(
        port,
        &tokens["officer"],
        "GET",
        "/api/v1/projects/1/fund-requests",
        "",
    );
    let requests = requests.as_array().unwrap();
    let sum = |state: &str| -> i64 {
        requests
            .iter()
            .filter(|r| r["state"] == state)
            .map(|r| r["amount"]["fen"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(total, sum("paid"), "the ledger is the paid requests");
    assert!(
        total + sum("approved") <= 76_100_000,
        "never above the adjusted budget"
    );
    assert!(total <= 76_100_000, "never above the funds received");
    for r in requests.iter().filter(|r| r["state"] == "paid").take(20) {
        let (_, full) = call(
            port,
            &tokens["officer"],
            "GET",
            &format!("/api/v1/fund-requests/{}", r["id"]),
            "",
        );
        let approvals: Vec<i64> = full["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["decision"] == "approve")
            .filter_map(|h| h["step"].as_i64())
            .collect();
        assert_eq!(approvals, [0, 1, 2, 3], "each step taken once, in order");
    }
    (n, total)
}

#[test]
fn a_storm_of_approvals_and_payments_on_sqlite_keeps_the_rules() {
    let dir = jixiao_testkit::TempDir::new("funds-http");
    let server: Server = start(&["--demo", "--data-dir", "data"], dir.path());
    let tokens = tokens(dir.path(), &[]);
    // 400 requests of 2,000.00 against 761,000.00: 380 fit.
    let ids = file_requests(server.port, &tokens["officer"], 400);
    storm(&[server.port], &tokens, &ids, 8);
    let (paid, total) = check(server.port, &tokens);
    assert_eq!(
        (paid, total),
        (380, 76_000_000),
        "every request that fits is paid"
    );
}

#[test]
fn a_server_killed_in_a_payment_storm_loses_nothing_and_half_writes_nothing() {
    let dir = jixiao_testkit::TempDir::new("funds-crash");
    let server = start(&["--demo", "--data-dir", "data"], dir.path());
    let tokens = tokens(dir.path(), &[]);
    let ids = file_requests(server.port, &tokens["officer"], 200);
    let port = server.port;
    std::thread::scope(|scope| {
        scope.spawn(|| storm(&[port], &tokens, &ids, 6));
        std::thread::sleep(std::time::Duration::from_millis(1000));
        // SIGKILL: no shutdown, no flushing.
        drop(server);
    });
    let again = start(&["--data-dir", "data"], dir.path());
    check(again.port, &tokens);
    // The storm finishes on the restarted server and the rules still hold.
    storm(&[again.port], &tokens, &ids, 4);
    let (paid, _) = check(again.port, &tokens);
    assert_eq!(paid, 200, "every request fits and is paid in the end");
    let o = jixiao(&["audit-log", "verify", "--data-dir", "data"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn two_servers_on_one_postgres_database_keep_the_rules() {
    let Some(db) = common::PgDatabase::create("funds_http") else {
        return;
    };
    let dir = jixiao_testkit::TempDir::new("funds-pg");
    let a = start(&["--demo", "--database-url", &db.url], dir.path());
    let b = start(&["--database-url", &db.url], dir.path());
    let tokens = tokens(dir.path(), &["--database-url", &db.url]);
    let ids = file_requests(a.port, &tokens["officer"], 400);
    storm(&[a.port, b.port], &tokens, &ids, 8);
    let (paid, total) = check(b.port, &tokens);
    assert_eq!((paid, total), (380, 76_000_000));
}
