//! Runs the real `jixiao report`: the default file name, every format, the generated files
//! passing `jixiao audit`, and the refusals (unknown figure, contradiction, missing program)
//! that leave no file behind.
#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot unwrap should fail the test"
)]

mod common;

use common::{jixiao, stderr, stdout};
use std::path::Path;
use std::process::Command;

use jixiao_testkit::{TempDir, example, kunming_example};

const TITLE: &str = "2022年残疾人基层组织建设及服务经费支出绩效自评报告";

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn docx_by_default_named_after_the_project_and_it_passes_the_audit() {
    let dir = TempDir::new("report-docx");
    let ex = example("kunming-2022.toml");
    let o = jixiao(&["report", ex.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let name = format!("{TITLE}.docx");
    assert!(
        stdout(&o).starts_with(&format!("已生成：{name}（审核无错误")),
        "{}",
        stdout(&o)
    );
    assert_eq!(files(dir.path()), std::slice::from_ref(&name));
    // The file is a report the auditor reads without a single error.
    let o = jixiao(&["audit", &name], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("共 0 个错误"));
}

#[test]
fn html_and_txt_formats_and_pdf_passes_the_audit_too() {
    let dir = TempDir::new("report-formats");
    let ex = example("kunming-2022.toml");
    let o = jixiao(
        &[
            "report",
            ex.to_str().unwrap(),
            "--format",
            "html",
            "--out",
            "r.html",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains(&format!("<h1>{TITLE}</h1>")));

    let o = jixiao(
        &[
            "report",
            ex.to_str().unwrap(),
            "--format",
            "json",
            "--out",
            "r.json",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(json["title"], TITLE);
    assert_eq!(json["blocks"][0]["kind"], "title");

    let o = jixiao(
        &["report", ex.to_str().unwrap(), "--format", "txt"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with(&format!("  1\t{TITLE}\n")), "{text}");

    let o = jixiao(
        &[
            "report",
            ex.to_str().unwrap(),
            "--format",
            "pdf",
            "--out",
            "r.pdf",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read(dir.path().join("r.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
    let o = jixiao(&["audit", "r.pdf"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

fn with_narrative(dir: &TempDir, performance: &str) -> std::path::PathBuf {
    let src = kunming_example();
    let from = "performance = \"";
    let at = src.find(from).unwrap() + from.len();
    let end = at + src[at..].find('"').unwrap();
    let toml = format!("{}{performance}{}", &src[..at], &src[end..]);
    dir.write("p.toml", toml)
}

#[test]
fn an_unknown_figure_is_named_and_nothing_is_written() {
    let dir = TempDir::new("report-unknown");
    let p = with_narrative(&dir, "执行率为{执行率}。");
    let o = jixiao(&["report", p.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("p.toml: 错误: 叙述 narrative.performance 引用了未知的数据名“{执行率}”"),
        "{err}"
    );
    assert_eq!(files(dir.path()), ["p.toml"]);
}

#[test]
fn a_contradiction_stops_generation_with_the_findings() {
    let dir = TempDir::new("report-contradiction");
    let p = with_narrative(&dir, "全年预算执行率68.33%，完成全年预定的绩效目标。");
    let o = jixiao(&["report", p.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("生成的报告自相矛盾"), "{err}");
    assert!(err.contains("percent-of-parts: 文中写作“68.33%”"), "{err}");
    assert!(err.contains("target-claim"), "{err}");
    assert_eq!(files(dir.path()), ["p.toml"], "nothing half-saved");
}

#[test]
fn pdf_without_libreoffice_names_the_package() {
    let dir = TempDir::new("report-nosoffice");
    let ex = example("kunming-2022.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["report", ex.to_str().unwrap(), "--format", "pdf"])
        .current_dir(dir.path())
        .env("PATH", dir.path().join("no-bin"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("libreoffice-writer-nogui") && err.contains("fonts-noto-cjk"),
        "{err}"
    );
    assert!(files(dir.path()).is_empty());
}
