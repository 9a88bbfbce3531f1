//! House rules that a compiler does not check (STYLE.md rule 15): every Rust file opens with
//! a `//!` summary, SQL stays in the store crate, migrations come in SQLite/PostgreSQL
//! pairs, and every framework file shipped in `frameworks/` is built into the binary.

use std::path::{Path, PathBuf};

use jixiao_testkit::workspace_root;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            if !matches!(
                name,
                "target" | "corpus" | "node_modules" | "fuzz" | "snapshots"
            ) {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn all_rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&workspace_root().join("crates"), &mut files);
    assert!(files.len() > 10, "found the sources");
    files
}

#[test]
fn every_rust_file_opens_with_a_summary() {
    let missing: Vec<_> = all_rust_files()
        .into_iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! first line: {missing:#?}"
    );
}

#[test]
fn sql_lives_only_in_the_store() {
    let offenders: Vec<_> = all_rust_files()
        .into_iter()
        .filter(|p| !p.starts_with(workspace_root().join("crates/store")))
        .filter(|p| !p.ends_with("tidy.rs"))
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            text.contains("sqlx::") || text.contains("use sqlx")
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "sqlx used outside crates/store: {offenders:#?}"
    );
}

#[test]
fn migrations_come_in_pairs() {
    let base = workspace_root().join("crates/store/migrations");
    let list = |d: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(base.join(d))
            .map(|r| {
                r.flatten()
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    assert_eq!(
        list("sqlite"),
        list("postgres"),
        "migrations/sqlite and migrations/postgres differ"
    );
}

#[test]
fn every_framework_file_is_built_in() {
    let dir = workspace_root().join("frameworks");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("frameworks/ exists")
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_owned))
        .collect();
    names.sort();
    let mut built: Vec<String> = jixiao_core::builtin::BUILTIN
        .iter()
        .map(|(n, _, _)| (*n).to_owned())
        .collect();
    built.sort();
    assert_eq!(names, built);
}

#[test]
fn docs_the_house_style_asks_for_exist() {
    for f in [
        "README.md",
        "ARCHITECTURE.md",
        "docs/glossary.md",
        "docs/project-file.md",
        "docs/frameworks.md",
    ] {
        assert!(workspace_root().join(f).is_file(), "{f} is missing");
    }
}
