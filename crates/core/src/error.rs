//! The crate's error type, for "could not run at all" (data problems are diagnostics).

use thiserror::Error;

/// Errors of `jixiao-core`.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// No built-in framework has this name.
    #[error("unknown built-in framework {name:?}")]
    UnknownFramework {
        /// The name asked for.
        name: String,
    },
    /// A built-in framework failed to load (a bug in the embedded file).
    #[error("built-in framework {name} is invalid: {first}")]
    BadBuiltin {
        /// Its name.
        name: String,
        /// The first problem.
        first: String,
    },
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
