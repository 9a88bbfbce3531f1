//! Fuzzes the text reader and every rule: any bytes as a `.txt` report must give findings
//! or an `InputError`, never a panic or a hang.
#![no_main]

use jixiao_audit::input::Kind;
use jixiao_audit::{Options, audit_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = audit_bytes(data, Kind::Text, &Options::default()) {
        for f in &report.findings {
            assert!(f.lines.iter().all(|&l| l >= 1 && l <= report.line_count));
        }
    }
});
