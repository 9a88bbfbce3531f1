//! Shared by the CLI test files: run the real `jixiao` binary and read what it printed.
#![allow(
    dead_code,
    reason = "each test file uses the helpers it needs; unused ones are not a defect"
)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `jixiao ARGS` in `dir`.
pub fn jixiao(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run jixiao")
}

/// Standard output as UTF-8.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error as UTF-8.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// A fresh PostgreSQL database on the server of `JIXIAO_TEST_PG_URL`, dropped when this is
/// dropped; `None` (with a note) when the variable is not set.
pub struct PgDatabase {
    rt: tokio::runtime::Runtime,
    admin: String,
    name: String,
    /// The new database's URL.
    pub url: String,
}

impl PgDatabase {
    /// Creates `jixiao_<label>_<pid>`.
    #[expect(
        clippy::print_stderr,
        reason = "a note in the test output when skipped"
    )]
    pub fn create(label: &str) -> Option<PgDatabase> {
        let Ok(admin) = std::env::var("JIXIAO_TEST_PG_URL") else {
            eprintln!(
                "JIXIAO_TEST_PG_URL is not set: the PostgreSQL run is skipped (scripts/test sets it)"
            );
            return None;
        };
        let name = format!("jixiao_{label}_{}", std::process::id());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let url = rt
            .block_on(jixiao_store::admin::create_database(&admin, &name))
            .expect("create database");
        Some(PgDatabase {
            rt,
            admin,
            name,
            url,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = self
            .rt
            .block_on(jixiao_store::admin::drop_database(&self.admin, &self.name));
    }
}

/// A server process, stopped when dropped.
pub struct Server {
    child: Child,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18_123)
}

/// Starts `jixiao serve ARGS` on a free port in `dir` and waits until it accepts connections.
pub fn start(args: &[&str], dir: &Path) -> Server {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["serve", "--addr", &addr])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jixiao serve");
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server on {port} did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// One HTTP/1.1 request; returns (status, headers, body).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}
