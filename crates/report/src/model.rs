//! The report as a document model: headings, paragraphs, tables and charts. It is built once
//! from the data (`compose`) and rendered by every writer (DOCX, HTML, canonical text), so
//! all formats print the same figures from the same values. It serialises to JSON
//! (`jixiao report --format json`) for programs that lay the report out themselves.

use serde::Serialize;

/// A whole report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The title (also the file's document title).
    pub title: String,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
}

/// One block of the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Block {
    /// The report title, centred.
    Title(String),
    /// A heading: level 1 is "一、", level 2 "（一）", level 3 "1.".
    Heading {
        /// 1, 2 or 3.
        level: u8,
        /// The text including its number.
        text: String,
    },
    /// A body paragraph (first line indented two characters).
    Para(String),
    /// A paragraph without indent, e.g. "附件1" or the signature.
    Plain {
        /// Text.
        text: String,
        /// Alignment.
        align: Align,
    },
    /// A table.
    Table(Table),
    /// A bar chart.
    Chart(Chart),
    /// Start a new page.
    PageBreak,
    /// Start a new section on landscape pages (for wide tables); lasts to the end.
    Landscape,
}

/// Horizontal alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Left.
    #[default]
    Left,
    /// Centre.
    Center,
    /// Right.
    Right,
}

/// A table with a caption, header rows and body rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The caption (printed above the table, and `<caption>` in HTML).
    pub caption: String,
    /// Relative column widths.
    pub widths: Vec<u32>,
    /// Header rows.
    pub head: Vec<Vec<Cell>>,
    /// Body rows.
    pub body: Vec<Vec<Cell>>,
}

/// Vertical merging of a cell with the cells above or below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Merge {
    /// Not merged.
    #[default]
    None,
    /// The first cell of a vertical run (carries the text).
    Start,
    /// A cell covered by the run above (no text of its own).
    Continue,
}

/// A table cell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// Text.
    pub text: String,
    /// Columns spanned.
    pub span: u16,
    /// Vertical merge.
    pub merge: Merge,
    /// Alignment.
    pub align: Align,
    /// A row header (`<th scope="row">`).
    pub row_header: bool,
}

impl Cell {
    /// A left-aligned text cell.
    #[must_use]
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            span: 1,
            ..Cell::default()
        }
    }

    /// A right-aligned number cell.
    #[must_use]
    pub fn num(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            span: 1,
            align: Align::Right,
            ..Cell::default()
        }
    }

    /// A centred cell.
    #[must_use]
    pub fn center(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            span: 1,
            align: Align::Center,
            ..Cell::default()
        }
    }

    /// The same cell spanning `n` columns.
    #[must_use]
    pub fn spanning(mut self, n: u16) -> Cell {
        self.span = n;
        self
    }

    /// The same cell as a row header.
    #[must_use]
    pub fn header(mut self) -> Cell {
        self.row_header = true;
        self
    }
}

/// A horizontal bar chart of percentages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Chart {
    /// Title (also the image's alternative text lead).
    pub title: String,
    /// What the values measure, e.g. "得分率（%）".
    pub axis: String,
    /// Bars: label and value in hundredths of a percent (5833 = 58.33 %).
    pub bars: Vec<(String, i64)>,
    /// A reference line in hundredths of a percent (100 % = 10000), if any.
    pub reference: Option<i64>,
}

impl Chart {
    /// The chart as one sentence for screen readers and for the canonical text.
    #[must_use]
    pub fn description(&self) -> String {
        let parts: Vec<String> = self
            .bars
            .iter()
            .map(|(l, v)| format!("{l}{}%", hundredths(*v)))
            .collect();
        format!("{}：{}", self.title, parts.join("，"))
    }
}

/// Hundredths as a decimal string: 5833 → "58.33".
#[must_use]
pub fn hundredths(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}
