//! Shared by the CLI test files: run the real `jixiao` binary and read what it printed.
#![allow(
    dead_code,
    reason = "each test file uses the helpers it needs; unused ones are not a defect"
)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `jixiao ARGS` in `dir`.
pub fn jixiao(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run jixiao")
}

/// Standard output as UTF-8.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error as UTF-8.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}
