//! Snapshots of the findings on the seed report and on every development-corpus report, so
//! that any change in what the auditor says (rule, severity, lines, values, wording) shows up
//! in review. Accept an intended change with `cargo insta review` (or `INSTA_UPDATE=always`).

use std::fmt::Write as _;
use std::path::Path;

use jixiao_audit::input::{self, Kind, Limits};
use jixiao_audit::{Options, Report, Severity};

fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "line_count: {}", report.line_count);
    for f in &report.findings {
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "- {} {sev} lines={:?} values={:?}\n  {}",
            f.rule, f.lines, f.values, f.message
        );
    }
    out
}

fn audit_file(path: &Path) -> Report {
    let bytes = std::fs::read(path).expect("read the report");
    let kind = match path.extension().and_then(|e| e.to_str()) {
        Some("docx") => Kind::Docx,
        _ => Kind::Text,
    };
    let lines = input::lines_of(&bytes, kind, &Limits::default()).expect("readable");
    jixiao_audit::audit_lines(lines, &Options::default())
}

#[test]
fn seed_report_findings() {
    let seed = jixiao_testkit::seed_report();
    insta::assert_snapshot!("seed", render(&audit_file(&seed)));
}

#[test]
fn development_corpus_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/dev");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.to_string_lossy();
            (name.ends_with(".txt") && !name.ends_with(".lines.txt")) || name.ends_with(".docx")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the corpus is in the checkout");
    for f in files {
        let stem = f
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("UTF-8 name")
            .to_owned();
        insta::assert_snapshot!(stem, render(&audit_file(&f)));
    }
}
