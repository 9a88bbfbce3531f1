//! The report generator: the self-evaluation report (自评报告) computed from a scored project,
//! written as DOCX, HTML or canonical text, and checked by the auditor before anything is
//! written, so that a report that contradicts itself cannot be produced.
//!
//! ```text
//! Scored ──compose──▶ Document ──text──▶ lines ──audit──▶ errors? stop
//!                         │
//!                         ├──docx──▶ .docx (GB/T 9704 typography)
//!                         └──html──▶ .html (accessible, print CSS)
//! ```

pub mod chart;
pub mod compose;
pub mod docx;
pub mod figures;
pub mod forms;
pub mod html;
pub mod model;
pub mod pdf;
pub mod text;

use jixiao_core::scoring::Scored;
use thiserror::Error;

/// Escapes text for XML content and attributes.
pub(crate) fn esc(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 forbids are dropped rather than written.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
}

/// [`esc`] into a new string.
pub(crate) fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    esc(s, &mut out);
    out
}

/// Why a report could not be produced.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A narrative names a figure that does not exist.
    #[error("unknown figure {name} in narrative.{field}")]
    UnknownFigure {
        /// The narrative field.
        field: String,
        /// The name.
        name: String,
    },
    /// A brace that opens or closes no placeholder.
    #[error("unmatched brace in narrative.{field} near {text}")]
    Placeholder {
        /// The narrative field.
        field: String,
        /// Text around it.
        text: String,
    },
    /// The generated text contradicts itself: the auditor found errors.
    #[error("the generated report has {} contradictions", .0.errors())]
    Contradictions(jixiao_audit::Report),
    /// A program the format needs is missing or failed.
    #[error("{0}")]
    Tool(String),
    /// Writing failed.
    #[error("write failed: {0}")]
    Io(String),
}

impl Error {
    /// The message users read.
    #[must_use]
    pub fn zh(&self) -> String {
        match self {
            Error::UnknownFigure { field, name } => format!(
                "叙述 narrative.{field} 引用了未知的数据名“{{{name}}}”；可用的名称：{}",
                figures::NAMES.join("、")
            ),
            Error::Placeholder { field, text } => format!(
                "叙述 narrative.{field} 中的花括号不成对（“{text}”）；要写花括号本身请用 {{{{ 或 }}}}"
            ),
            Error::Contradictions(r) => format!(
                "生成的报告自相矛盾（{} 个错误），未生成文件；请先修改项目数据或叙述",
                r.errors()
            ),
            Error::Tool(msg) | Error::Io(msg) => msg.clone(),
        }
    }
}

/// The report as `.docx` bytes: composed, audited, then written. Returns the audited report
/// with the bytes.
///
/// # Errors
/// As [`prepare`]; and [`Error::Io`] if the archive cannot be written.
pub fn docx(scored: &Scored<'_>, grid: docx::Grid) -> Result<(Vec<u8>, Checked), Error> {
    docx_with(scored, grid, None)
}

/// [`docx`] with a closing note (for example, which data snapshot the report comes from).
///
/// # Errors
/// As [`docx`].
pub fn docx_with(
    scored: &Scored<'_>,
    grid: docx::Grid,
    note: Option<&str>,
) -> Result<(Vec<u8>, Checked), Error> {
    let checked = prepare_with(scored, note)?;
    let bytes = docx::write(&checked.document, grid)?;
    Ok((bytes, checked))
}

/// A composed report that passed the audit.
#[derive(Debug)]
pub struct Checked {
    /// The document.
    pub document: model::Document,
    /// Its canonical lines (what `jixiao audit --dump-text` of the DOCX prints).
    pub lines: Vec<String>,
    /// The audit (warnings only).
    pub audit: jixiao_audit::Report,
}

/// Composes the report of a scored project and audits it.
///
/// # Errors
/// [`Error::UnknownFigure`] or [`Error::Placeholder`] for a bad narrative, and
/// [`Error::Contradictions`] when the auditor finds an error in the generated text.
pub fn prepare(scored: &Scored<'_>) -> Result<Checked, Error> {
    prepare_with(scored, None)
}

/// [`prepare`] with a closing note, audited with the rest.
///
/// # Errors
/// As [`prepare`].
pub fn prepare_with(scored: &Scored<'_>, note: Option<&str>) -> Result<Checked, Error> {
    let mut document = compose::compose(scored)?;
    if let Some(note) = note {
        document.blocks.push(model::Block::Plain {
            text: note.to_owned(),
            align: model::Align::Left,
        });
    }
    let lines = text::lines(&document);
    let audit = jixiao_audit::audit_lines(lines.clone(), &jixiao_audit::Options::default());
    if audit.errors() > 0 {
        return Err(Error::Contradictions(audit));
    }
    Ok(Checked {
        document,
        lines,
        audit,
    })
}
