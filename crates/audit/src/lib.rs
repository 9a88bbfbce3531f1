//! `jixiao-audit`: reads a self-evaluation report (自评报告) and finds where it contradicts
//! itself — arithmetic, score tables against the prose, grades against their bands, the same
//! quantity given twice, parts above their wholes, dates, targets against results, stated
//! counts against lists, and names that drift.
//!
//! Text in, findings out: no database, no network. The one exception is
//! [`input::convert_with_tools`], which runs pdftotext or LibreOffice for `.pdf`, `.doc` and
//! `.wps`. The auditor never aborts on a malformed document: whatever it cannot read as a
//! table or a number it leaves alone. Every check is a function that appends [`Finding`]s.
//!
//! ```
//! let report = jixiao_audit::audit_text("本项目预算100万元，支出120万元，预算执行率120%。");
//! assert!(report.findings.iter().any(|f| f.rule == "part-exceeds-whole"));
//! ```
#![deny(missing_docs)]

pub mod checks;
pub mod context;
pub mod doc;
pub mod input;
pub mod rules;
pub mod scan;
mod util;

pub use jixiao_core::diag::Severity;

use serde::Serialize;

/// One contradiction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule id (see `docs/audit-rules.md`).
    pub rule: &'static str,
    /// `error`: cannot be right as written; `warning`: needs an explanation.
    pub severity: Severity,
    /// What disagrees with what, and by how much, in Chinese.
    pub message: String,
    /// 1-based lines holding the compared values, ascending.
    pub lines: Vec<usize>,
    /// The compared values as written.
    pub values: Vec<String>,
}

/// The findings for one report.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Number of canonical lines.
    pub line_count: usize,
    /// Findings, errors first, then by line.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Number of errors.
    #[must_use]
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    #[must_use]
    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// Which checks run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only these rule ids (all when empty).
    pub rules: Vec<String>,
}

/// Audits canonical lines.
#[must_use]
pub fn audit_lines(lines: Vec<String>, options: &Options) -> Report {
    let doc = doc::Doc::new(lines);
    let mut findings = Vec::new();
    checks::run(&doc, &mut findings);
    if !options.rules.is_empty() {
        findings.retain(|f| options.rules.iter().any(|r| r == f.rule));
    }
    let mut findings = checks::tidy(findings);
    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then(a.lines.first().cmp(&b.lines.first()))
            .then(a.rule.cmp(b.rule))
    });
    Report {
        line_count: doc.lines.len(),
        findings,
    }
}

/// Audits a text (already decoded).
#[must_use]
pub fn audit_text(text: &str) -> Report {
    audit_lines(input::split_lines(text), &Options::default())
}

/// Audits the bytes of a report of a known kind.
///
/// # Errors
/// [`input::InputError`] when the bytes cannot be read.
pub fn audit_bytes(
    bytes: &[u8],
    kind: input::Kind,
    options: &Options,
) -> Result<Report, input::InputError> {
    let lines = input::lines_of(bytes, kind, &input::Limits::default())?;
    Ok(audit_lines(lines, options))
}
