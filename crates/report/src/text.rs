//! The report as numbered canonical lines: exactly what the auditor reads from the DOCX
//! (`jixiao audit --dump-text`): one line per non-empty paragraph, one per table row with
//! cells joined by tabs. The generator audits these lines before writing any file.

use crate::model::{Block, Document};

/// The caption paragraph printed under a chart.
#[must_use]
pub fn chart_caption(c: &crate::model::Chart) -> String {
    c.title.clone()
}

/// The canonical lines of a document.
#[must_use]
pub fn lines(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |s: &str| {
        if !s.trim().is_empty() {
            out.push(s.to_owned());
        }
    };
    for b in &doc.blocks {
        match b {
            Block::Title(t) | Block::Para(t) => push(t),
            Block::Heading { text, .. } | Block::Plain { text, .. } => push(text),
            Block::Table(t) => {
                push(&t.caption);
                for row in t.head.iter().chain(&t.body) {
                    // A cell spanning n columns is followed by n − 1 empty cells, as the
                    // auditor reads a merged Word cell.
                    let cells: Vec<&str> = row
                        .iter()
                        .flat_map(|c| {
                            std::iter::once(c.text.trim())
                                .chain(std::iter::repeat_n("", usize::from(c.span.max(1)) - 1))
                        })
                        .collect();
                    push(&cells.join("\t"));
                }
            }
            Block::Chart(c) => push(&chart_caption(c)),
            Block::PageBreak | Block::Landscape => {}
        }
    }
    out
}
