//! The auditor against its corpus of reports with planted contradictions (tests/corpus/).
//!
//! A planted finding is recalled when the auditor reports a finding of the same rule that
//! cites at least one of its lines ("strict"), or of any rule ("lenient"). An error the
//! auditor reports is correct when it cites a line of some planted finding. The development
//! set must reach 90 % recall and 90 % error precision with no error on a consistent report;
//! the held-out set is measured with `JIXIAO_HOLDOUT=1` (see docs/audit-rules.md).

use std::path::{Path, PathBuf};

use jixiao_audit::input::Kind;
use jixiao_audit::{Finding, Options, Severity, audit_bytes};

#[derive(Debug)]
struct Expected {
    rule: String,
    lines: Vec<usize>,
    values: Vec<String>,
}

fn corpus(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(dir)
}

fn expected(path: &Path) -> (bool, Vec<Expected>) {
    let text = std::fs::read_to_string(path).expect("expected file");
    let doc = toml::de::DeTable::parse(&text)
        .expect("valid TOML")
        .into_inner();
    let consistent = matches!(
        doc.get("consistent").map(toml::Spanned::get_ref),
        Some(toml::de::DeValue::Boolean(true))
    );
    let mut out = Vec::new();
    if let Some(toml::de::DeValue::Array(items)) = doc.get("finding").map(toml::Spanned::get_ref) {
        for it in items {
            let toml::de::DeValue::Table(t) = it.get_ref() else {
                continue;
            };
            let s = |k: &str| match t.get(k).map(toml::Spanned::get_ref) {
                Some(toml::de::DeValue::String(s)) => s.to_string(),
                _ => String::new(),
            };
            let list = |k: &str| -> Vec<toml::de::DeValue<'_>> {
                match t.get(k).map(toml::Spanned::get_ref) {
                    Some(toml::de::DeValue::Array(a)) => {
                        a.iter().map(|x| x.get_ref().clone()).collect()
                    }
                    _ => Vec::new(),
                }
            };
            out.push(Expected {
                rule: s("rule"),
                lines: list("lines")
                    .iter()
                    .filter_map(|v| match v {
                        toml::de::DeValue::Integer(i) => i.as_str().parse().ok(),
                        _ => None,
                    })
                    .collect(),
                values: list("values")
                    .iter()
                    .filter_map(|v| match v {
                        toml::de::DeValue::String(s) => Some(s.to_string()),
                        _ => None,
                    })
                    .collect(),
            });
        }
    }
    (consistent, out)
}

#[derive(Default, Debug)]
struct Stats {
    reports: usize,
    planted: usize,
    recalled_strict: usize,
    recalled_lenient: usize,
    errors: usize,
    errors_correct: usize,
    /// Warnings, and those that overlap a planted finding (the rest are noise a reader must
    /// dismiss; not part of the bar, but watched).
    warnings: usize,
    warnings_correct: usize,
    consistent_with_errors: Vec<String>,
    log: String,
}

fn overlaps(f: &Finding, e: &Expected) -> bool {
    f.lines.iter().any(|l| e.lines.contains(l))
}

fn run(dir: &str) -> Stats {
    let mut st = Stats::default();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(corpus(dir))
        .expect("corpus dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.ends_with(".txt") && !name.ends_with(".lines.txt")) || name.ends_with(".docx")
        })
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(s, _)| s)
            .to_owned();
        let (consistent, exp) = expected(&path.with_file_name(format!("{stem}.expected.toml")));
        let kind = Kind::from_extension(path.extension().and_then(|e| e.to_str()).unwrap_or(""))
            .unwrap_or(Kind::Text);
        let bytes = std::fs::read(&path).expect("report");
        let report = audit_bytes(&bytes, kind, &Options::default()).expect("readable report");
        st.reports += 1;
        st.planted += exp.len();
        for e in &exp {
            let strict = report
                .findings
                .iter()
                .any(|f| f.rule == e.rule && overlaps(f, e));
            let lenient = report.findings.iter().any(|f| overlaps(f, e));
            st.recalled_strict += usize::from(strict);
            st.recalled_lenient += usize::from(lenient);
            if !strict {
                st.log.push_str(&format!(
                    "MISSED {name}: {} {:?} {:?}{}\n",
                    e.rule,
                    e.lines,
                    e.values,
                    if lenient {
                        " (found under another rule)"
                    } else {
                        ""
                    }
                ));
            }
        }
        // Errors that match no planted finding are false; warnings that match none are
        // noise, listed only when asked for.
        let show_noise = std::env::var_os("JIXIAO_WARNINGS").is_some();
        for f in &report.findings {
            let error = f.severity == Severity::Error;
            let correct = exp.iter().any(|e| overlaps(f, e));
            let (total, right) = if error {
                (&mut st.errors, &mut st.errors_correct)
            } else {
                (&mut st.warnings, &mut st.warnings_correct)
            };
            *total += 1;
            *right += usize::from(correct);
            if !correct && (error || show_noise) {
                st.log.push_str(&format!(
                    "{} {name}: {} {:?} {:?} {}\n",
                    if error { "FALSE" } else { "NOISE" },
                    f.rule,
                    f.lines,
                    f.values,
                    f.message
                ));
            }
        }
        if consistent && report.errors() > 0 {
            st.consistent_with_errors.push(name);
        }
    }
    st
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        a as f64 * 100.0 / b as f64
    }
}

fn summary(dir: &str, st: &Stats) -> String {
    format!(
        "{dir}: {} reports, {} planted; recall strict {:.1}% lenient {:.1}%; error precision {:.1}% ({}/{}); warning precision {:.1}% ({}/{}); consistent reports with errors: {:?}\n{}",
        st.reports,
        st.planted,
        pct(st.recalled_strict, st.planted),
        pct(st.recalled_lenient, st.planted),
        pct(st.errors_correct, st.errors),
        st.errors_correct,
        st.errors,
        pct(st.warnings_correct, st.warnings),
        st.warnings_correct,
        st.warnings,
        st.consistent_with_errors,
        st.log
    )
}

#[test]
fn development_corpus_meets_the_quality_bar() {
    let st = run("dev");
    let text = summary("dev", &st);
    println!("{text}");
    assert!(pct(st.recalled_lenient, st.planted) >= 90.0, "{text}");
    assert!(pct(st.errors_correct, st.errors) >= 90.0, "{text}");
    assert!(st.consistent_with_errors.is_empty(), "{text}");
}

/// The held-out set, measured once at the end (`JIXIAO_HOLDOUT=1 cargo test -p jixiao-audit
/// --test corpus -- --nocapture holdout`).
#[test]
fn holdout_corpus_when_asked() {
    if std::env::var("JIXIAO_HOLDOUT").is_err() {
        return;
    }
    let reports = std::fs::read_dir(corpus("holdout")).map_or(0, |d| {
        d.flatten()
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.ends_with(".expected.toml")
            })
            .count()
    });
    if reports == 0 {
        println!(
            "holdout: no held-out set (every set written so far has been measured and moved to dev/)"
        );
        return;
    }
    let st = run("holdout");
    println!("{}", summary("holdout", &st));
}
