//! Fuzzes the `.docx` reader (zip, size and ratio limits, WordprocessingML) and the rules on
//! what it reads: any bytes must give findings or an `InputError`, never a panic or a hang.
#![no_main]

use jixiao_audit::input::Kind;
use jixiao_audit::{Options, audit_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = audit_bytes(data, Kind::Docx, &Options::default());
});
