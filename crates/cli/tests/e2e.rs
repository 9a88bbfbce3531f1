//! The journeys of the workspace in a real browser (`tests/e2e/journey.mjs`, Debian's headless
//! Chromium through playwright-core) against a real `jixiao serve --demo` process; the DOCX
//! the officer downloads is then opened in LibreOffice and must hold the report.

mod common;

use std::process::Command;

use common::start;

#[test]
fn journeys_in_chromium_and_the_downloaded_report_opens_in_libreoffice() {
    let dir = jixiao_testkit::TempDir::new("e2e");
    let server = start(&["--demo", "--data-dir", "data"], dir.path());
    let out = dir.path().join("journey");
    let script = jixiao_testkit::workspace_root().join("tests/e2e/journey.mjs");
    let o = Command::new("node")
        .arg(&script)
        .arg(format!("http://127.0.0.1:{}", server.port))
        .arg(&out)
        .output()
        .expect("node is installed by scripts/test");
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let screenshots = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "png"))
        })
        .count();
    assert!(
        screenshots >= 15,
        "a screenshot of every page: {screenshots}"
    );

    // The downloaded report, opened by a real office program.
    let o = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.path().display()
        ))
        .args(["--headless", "--convert-to", "txt:Text", "--outdir"])
        .arg(&out)
        .arg(out.join("report.docx"))
        .output()
        .expect("LibreOffice is installed by scripts/test");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(out.join("report.txt")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    assert!(
        text.contains("2023年残疾人辅具适配服务支出绩效自评报告"),
        "{}",
        &text[..text.len().min(400)]
    );
    assert!(
        text.contains("辅具适配人次"),
        "the indicator entered in the browser"
    );
    assert!(
        text.contains("320"),
        "its actual value as submitted (the snapshot)"
    );
}
