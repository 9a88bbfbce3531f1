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

/// A fresh directory under the system temp dir, removed when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates a new empty directory whose name includes `label`.
    ///
    /// # Panics
    /// If the directory cannot be created (tests cannot run then).
    #[must_use]
    pub fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("jixiao-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a temp dir");
        TempDir(dir)
    }

    /// The directory.
    #[must_use]
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }

    /// Writes a file in the directory and returns its path.
    ///
    /// # Panics
    /// If the file cannot be written.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).expect("write a temp file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The Kunming example project file's text.
///
/// # Panics
/// If the example is missing from the checkout.
#[must_use]
pub fn kunming_example() -> String {
    std::fs::read_to_string(example("kunming-2022.toml")).expect("examples/kunming-2022.toml")
}
