//! `jixiao import`, `export` and `projects` on the real binary: project file → database →
//! project file is lossless, on the embedded SQLite file and on PostgreSQL when
//! `JIXIAO_TEST_PG_URL` is set.

mod common;

use common::{jixiao, stderr, stdout};

fn example() -> (String, jixiao_core::project::Project) {
    let path = jixiao_testkit::example("kunming-2022.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let p = jixiao_core::file::project::read(text.as_bytes())
        .value
        .unwrap_or_default();
    (path.display().to_string(), p)
}

/// The import/export story against one database (given as extra arguments).
fn story(db: &[&str], dir: &std::path::Path) {
    let (path, original) = example();
    let with = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend_from_slice(db);
        jixiao(&all, dir)
    };
    let o = with(&["import", &path]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("已导入：项目"), "{}", stdout(&o));
    let id = stdout(&o)
        .split("项目 ")
        .nth(1)
        .and_then(|s| s.split('（').next())
        .unwrap_or_default()
        .to_owned();
    // Lossless: the exported file reads back as the same project.
    let o = with(&["export", &id, "--out", "back.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let back = std::fs::read_to_string(dir.join("back.toml")).unwrap_or_default();
    let back = jixiao_core::file::project::read(back.as_bytes());
    assert!(!back.has_errors(), "{:?}", back.diagnostics);
    assert_eq!(back.value.as_ref(), Some(&original));
    // The same project twice is refused with a message and exit code 2; --replace replaces.
    let o = with(&["import", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("同一单位同一年度已有同名项目"),
        "{}",
        stderr(&o)
    );
    let o = with(&["import", &path, "--replace"]);
    assert!(
        o.status.success() && stdout(&o).contains("已替换"),
        "{}",
        stderr(&o)
    );
    let o = with(&["projects"]);
    assert!(
        stdout(&o).contains("残疾人基层组织建设及服务经费\t昆明市残疾人联合会\t2"),
        "{}",
        stdout(&o)
    );
    // The forms come out of the database too, and go back in.
    let o = with(&["export", &id, "--out", "forms.xlsx"]);
    assert!(
        o.status.success() && stdout(&o).contains("总分 22.15"),
        "{}",
        stderr(&o)
    );
    let o = with(&["import", "forms.xlsx", "--replace"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The audit trail holds every change and its chain is intact; a kept head that the
    // database no longer matches is found (exit code 1).
    let o = with(&["audit-log", "verify"]);
    assert!(
        o.status.success() && stdout(&o).contains("审计日志完整"),
        "{}",
        stderr(&o)
    );
    let o = with(&["audit-log", "head", "--out", "heads.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let heads = std::fs::read_to_string(dir.join("heads.txt")).unwrap_or_default();
    assert_eq!(heads.lines().count(), 1, "{heads}");
    let o = with(&["audit-log", "verify", "--heads", "heads.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (org, rest) = heads.trim().split_once(' ').unwrap_or_default();
    let seq = rest.split(' ').next().unwrap_or_default();
    std::fs::write(
        dir.join("forged.txt"),
        format!("{org} {seq} {}\n", "0".repeat(64)),
    )
    .ok();
    let o = with(&["audit-log", "verify", "--heads", "forged.txt"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("日志末尾被删除或改写"),
        "{}",
        stderr(&o)
    );
    std::fs::write(dir.join("garbage.txt"), "not a head\n").ok();
    let o = with(&["audit-log", "verify", "--heads", "garbage.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("garbage.txt:1: 错误: 不是链头记录"),
        "{}",
        stderr(&o)
    );
    let o = with(&["export", "999999", "--out", "x.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("项目 999999 不存在"), "{}", stderr(&o));
}

#[test]
fn import_and_export_on_the_embedded_database() {
    let dir = jixiao_testkit::TempDir::new("cli-db");
    story(&["--data-dir", "data"], dir.path());
    assert!(dir.path().join("data/jixiao.db").exists());
    // Backup, a later change, restore: the database is back to the backup's state.
    let o = jixiao(&["backup", "copy.db", "--data-dir", "data"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = jixiao(&["backup", "copy.db", "--data-dir", "data"], dir.path());
    assert_eq!(
        o.status.code(),
        Some(2),
        "an existing backup is not overwritten"
    );
    let listed = |d: &str| stdout(&jixiao(&["projects", "--data-dir", d], dir.path()));
    let before = listed("data");
    let (path, mut other) = example();
    other.name = "另一个项目".into();
    std::fs::write(
        dir.path().join("other.toml"),
        jixiao_core::file::write::project(&other),
    )
    .ok();
    assert!(
        jixiao(&["import", "other.toml", "--data-dir", "data"], dir.path())
            .status
            .success()
    );
    assert_ne!(listed("data"), before);
    let o = jixiao(&["restore", "copy.db", "--data-dir", "data"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(listed("data"), before);
    assert!(dir.path().join("data/jixiao.db.before-restore").exists());
    assert!(
        jixiao(&["audit-log", "verify", "--data-dir", "data"], dir.path())
            .status
            .success()
    );
    // Something that is not a backup changes nothing.
    let o = jixiao(&["restore", &path, "--data-dir", "data"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("不是 jixiao 的数据库备份"),
        "{}",
        stderr(&o)
    );
    assert_eq!(listed("data"), before);
    // A mistyped database file is not created.
    let o = jixiao(
        &["projects", "--database-url", "sqlite:nope/x.db"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("无法打开数据库"), "{}", stderr(&o));
}

#[test]
fn import_and_export_on_postgres() {
    let Some(db) = common::PgDatabase::create("cli") else {
        return;
    };
    let dir = jixiao_testkit::TempDir::new("cli-db-pg");
    story(&["--database-url", &db.url], dir.path());
}
