//! `jixiao-testkit`: fixtures and helpers shared by the test suites (dev-dependency only).
//!
//! It knows where the workspace's example files, built-in frameworks and sample documents
//! live, so tests do not hard-code relative paths.

use std::path::PathBuf;

/// The workspace root (the directory holding the top `Cargo.toml`).
#[must_use]
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(|p| p.parent())
        .map(PathBuf::from)
        .expect("the testkit crate sits two levels below the workspace root")
}

/// A file under `examples/`.
#[must_use]
pub fn example(name: &str) -> PathBuf {
    workspace_root().join("examples").join(name)
}

/// A file under `crates/testkit/data/`.
#[must_use]
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// The seed report (`crates/testkit/data/kunming-2022-self-evaluation.txt`).
#[must_use]
pub fn seed_report() -> PathBuf {
    data("kunming-2022-self-evaluation.txt")
}
