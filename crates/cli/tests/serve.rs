//! `jixiao serve` as real processes: configuration errors name the setting, and two server
//! processes share one PostgreSQL database (`JIXIAO_TEST_PG_URL`): a session made through one
//! works through the other, and a save through one is read through the other.

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use common::{http, jixiao, start, stderr};

fn cookie_from(head: &str, name: &str) -> String {
    head.lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_owned()
}

/// The first administrator and an API token from the command line; the password comes on
/// standard input and must be long enough.
#[test]
fn admin_creates_users_and_tokens() {
    let dir = jixiao_testkit::TempDir::new("serve-admin");
    let run = |args: &[&str], input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run jixiao");
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(input.as_bytes());
        }
        child.wait_with_output().expect("wait")
    };
    let create = [
        "admin",
        "create-user",
        "--role",
        "管理员",
        "--username",
        "root",
        "--name",
        "管理员",
        "--org",
        "某市财政局",
    ];
    let o = run(&create, "short\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("密码至少 10 个字符"));
    let o = run(&create, "a-long-enough-password\n");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&create, "a-long-enough-password\n");
    assert!(String::from_utf8_lossy(&o.stderr).contains("用户名「root」已存在"));
    let o = run(
        &[
            "admin",
            "create-user",
            "--role",
            "国王",
            "--username",
            "k",
            "--name",
            "k",
            "--org",
            "x",
        ],
        "a-long-enough-password\n",
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("不是角色"));
    let o = run(
        &[
            "admin",
            "create-token",
            "--username",
            "root",
            "--name",
            "报表程序",
        ],
        "",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let token = String::from_utf8_lossy(&o.stdout).trim().to_owned();
    assert_eq!(token.len(), 64, "{token}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
}

/// An administrator gives a department's review of submitted self-evaluations to its finance
/// head; steps outside the department and roles that may not review are refused by name.
#[test]
fn admin_configures_a_review_chain() {
    let dir = jixiao_testkit::TempDir::new("serve-chain");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args([
                "admin",
                "review-chain",
                "--org",
                "昆明市残疾人联合会",
                "--kind",
                "绩效自评",
            ])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("run jixiao")
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("单位「昆明市残疾人联合会」不存在"),
        "{}",
        stderr(&o)
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args([
            "admin",
            "create-user",
            "--role",
            "管理员",
            "--username",
            "root",
            "--name",
            "管理员",
            "--org",
            "昆明市残疾人联合会",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run jixiao");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"a-long-enough-password\n");
    }
    assert!(child.wait().expect("wait").success());

    let o = run(&["--step", "已提交", "--roles", "财务负责人，单位负责人"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(
        shown.contains("已提交 → 主管部门审核：财务负责人、单位负责人（本单位配置）"),
        "{shown}"
    );
    assert!(shown.contains("财政审核 → 审核通过：财政局审核"), "{shown}");
    for (args, message) in [
        (
            ["--step", "财政审核", "--roles", "单位负责人"],
            "“财政审核”这一步不能改由其他角色办理",
        ),
        (
            ["--step", "已提交", "--roles", "出纳"],
            "出纳不能担任单位内部审核",
        ),
        (["--step", "已提交", "--roles", "国王"], "「国王」不是角色"),
        (
            ["--step", "第九步", "--roles", "单位负责人"],
            "「第九步」不是审核环节",
        ),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    }
    let o = run(&[]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("财务负责人、单位负责人（本单位配置）"),
        "a refused change leaves the chain as it was"
    );
    let o = run(&["--step", "已提交", "--default"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("已提交 → 主管部门审核：部门负责人\n"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let o = jixiao(&["audit-log", "verify"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_bad_setting_is_named() {
    let dir = jixiao_testkit::TempDir::new("serve-config");
    let o = jixiao(&["serve", "--addr", "localhost-8080"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("设置 --addr（JIXIAO_ADDR）的值「localhost-8080」"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn two_processes_share_one_postgres_database() {
    let Some(db) = common::PgDatabase::create("serve") else {
        return;
    };
    let url = db.url.clone();
    let dir = jixiao_testkit::TempDir::new("serve-pg");
    let a = start(&["--database-url", &url, "--demo"], dir.path());
    let b = start(&["--database-url", &url], dir.path());
    // Log in through A.
    let (_, head, page) = http(a.port, "GET", "/login", &[], "");
    let csrf_cookie = cookie_from(&head, "jixiao_csrf");
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let form = format!("username=officer&password=jixiao-demo-2022&csrf={csrf}");
    let (status, head, _) = http(
        a.port,
        "POST",
        "/login",
        &[
            ("Cookie", &format!("jixiao_csrf={csrf_cookie}")),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        &form,
    );
    assert_eq!(status, 303);
    let session = format!("jixiao_session={}", cookie_from(&head, "jixiao_session"));
    // Work through B with the session made by A.
    let (status, _, me) = http(b.port, "GET", "/api/v1/me", &[("Cookie", &session)], "");
    assert_eq!(status, 200, "{me}");
    assert!(me.contains("\"username\":\"officer\""), "{me}");
    // Read through A (its cache now holds version 1), save through B, read through A again.
    let (_, _, before) = http(
        a.port,
        "GET",
        "/api/v1/projects/1",
        &[("Cookie", &session)],
        "",
    );
    assert!(before.contains("\"version\":1"), "{before}");
    let file = jixiao_testkit::kunming_example().replace(
        "name = \"残疾人基层组织建设及服务经费\"",
        "name = \"残疾人基层组织建设经费\"",
    );
    let (status, _, saved) = http(
        b.port,
        "PUT",
        "/api/v1/projects/1",
        &[
            ("Cookie", &session),
            ("If-Match", "1"),
            ("Content-Type", "application/toml"),
        ],
        &file,
    );
    assert_eq!(status, 200, "{saved}");
    let (_, _, after) = http(
        a.port,
        "GET",
        "/api/v1/projects/1",
        &[("Cookie", &session)],
        "",
    );
    assert!(
        after.contains("\"version\":2") && after.contains("残疾人基层组织建设经费"),
        "{after}"
    );
    drop(a);
    drop(b);
    drop(db);
}
