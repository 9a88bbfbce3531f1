//! `jixiao-core`: the domain model and the scoring engine of jixiao.
//!
//! It owns the types of a budget-performance case (project, budget, target sheet, actual
//! values, evaluation and judgments), the indicator frameworks as data, the scoring rules of
//! `shared/domain.md` (c.1–c.5) and the grade bands. It does no IO, reads no clock and runs
//! no async code: callers pass bytes and dates in, and get values and [`diag::Diagnostic`]s
//! back. Money is integer fen ([`num::Money`]), scores are hundredths of a point
//! ([`num::Points`]) and rates exact fractions ([`num::Ratio`]); nothing is a float.
//!
//! ```
//! use jixiao_core::{builtin, file, scoring, sheet::Sheet};
//!
//! let src = r#"
//! [project]
//! name = "示例项目"
//! year = 2022
//! department = "示例单位"
//! [budget]
//! appropriation = "76.1万元"
//! [[budget.spending]]
//! purpose = "采购"
//! amount = "44.39万元"
//! [[target]]
//! id = "T1"
//! category = "产出"
//! subcategory = "数量"
//! name = "制卡数量"
//! comparator = "≥"
//! value = 50000
//! unit = "张"
//! actual = { value = 4, unit = "万张" }
//! "#;
//! let project = file::project::read(src.as_bytes()).value.unwrap();
//! let fw = builtin::load("mof-2020-self").unwrap();
//! let scored = scoring::score(&fw, &project);
//! let sheet = Sheet::new(&scored);
//! assert_eq!(sheet.budget.execution_rate.as_deref(), Some("58.33"));
//! // Only 产出 has targets here: the empty 效益 (30) and 满意度 (10) blocks do not apply and
//! // their weight goes to the other level-1 nodes in proportion (10 : 50), as domain.md c.2
//! // rescales inapplicable indicators.
//! assert_eq!(sheet.nodes[0].weight, "16.67");
//! assert_eq!(sheet.nodes[0].score, "9.72"); // 16.67 × 58.33 %
//! assert_eq!(sheet.nodes[1].weight, "83.33");
//! assert_eq!(sheet.nodes[1].score, "66.66"); // 40000 of 50000 cards: 80 %
//! assert_eq!(sheet.total, "76.38");
//! ```
#![deny(missing_docs)]

pub mod builtin;
pub mod code;
pub mod date;
pub mod diag;
pub mod error;
pub mod file;
pub mod framework;
pub mod monitor;
pub mod num;
pub mod project;
pub mod scoring;
pub mod sheet;
pub mod unit;
pub mod validate;
pub mod workflow;

pub use error::{Error, Result};
