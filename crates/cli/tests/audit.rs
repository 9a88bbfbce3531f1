//! Runs the real `jixiao audit` on the seed report and on generated files: output shapes,
//! exit codes, encodings, .docx/.pdf/.doc input, folders and bad input.
#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot unwrap should fail the test"
)]

mod common;

use common::{jixiao, stderr, stdout};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use jixiao_testkit::{TempDir, seed_report, workspace_root};

fn seed_text() -> String {
    std::fs::read_to_string(seed_report()).unwrap()
}

/// A consistent report from the development corpus.
fn consistent_text() -> String {
    std::fs::read_to_string(
        workspace_root().join("crates/audit/tests/corpus/dev/d01_lijiang_preschool_2020.txt"),
    )
    .unwrap()
}

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {e}: {l}")))
        .collect()
}

/// The (rule, lines, values) of every finding, to compare runs on differently encoded copies.
fn essence(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {} {}", f["rule"], f["lines"], f["values"]))
        .collect()
}

#[test]
fn seed_text_output_names_the_known_contradictions() {
    let dir = TempDir::new("audit-seed");
    let seed = dir.write("seed.txt", seed_text());
    let o = jixiao(&["audit", seed.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    // Every finding line is `file:line: rule: severity：message`.
    let prefix = format!("{}:", seed.display());
    for l in &lines[..lines.len() - 1] {
        assert!(l.starts_with(&prefix), "{l}");
        let rest = &l[prefix.len()..];
        let (line_no, rest) = rest.split_once(": ").unwrap();
        assert!(line_no.parse::<usize>().unwrap() >= 1, "{l}");
        let (rule, _) = rest.split_once(": ").unwrap();
        assert!(jixiao_audit::rules::is_rule(rule), "{l}");
    }
    // Errors come before warnings.
    let first_warning = lines.iter().position(|l| l.contains(": 警告：")).unwrap();
    let last_error = lines.iter().rposition(|l| l.contains(": 错误：")).unwrap();
    assert!(last_error < first_warning, "{out}");
    for needle in [
        "score-text-vs-table: 错误：",
        "19.9",
        "18.8",
        "54",
        "58",
        "41.36万元",
        "51.7万元",
        "44.39万元",
        "part-exceeds-whole",
        "date-conflict",
        "2023",
        "target-claim",
        "4万张",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    let summary = lines.last().unwrap();
    assert!(
        summary.starts_with(&format!("{}: 共 ", seed.display())) && summary.contains("个错误"),
        "{summary}"
    );
}

#[test]
fn seed_json_has_the_documented_shape() {
    let dir = TempDir::new("audit-json");
    let seed = dir.write("seed.txt", seed_text());
    let o = jixiao(
        &["audit", "--format", "json", seed.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let objs = json_lines(&o);
    assert_eq!(objs.len(), 1);
    let v = &objs[0];
    assert_eq!(v["file"], seed.display().to_string());
    let line_count = v["line_count"].as_u64().unwrap();
    assert_eq!(
        usize::try_from(line_count).unwrap(),
        seed_text().lines().count()
    );
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.len() >= 6, "{v}");
    let text = seed_text();
    let source: Vec<&str> = text.lines().collect();
    for f in findings {
        let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["lines", "message", "rule", "severity", "values"],
            "{f}"
        );
        assert!(jixiao_audit::rules::is_rule(f["rule"].as_str().unwrap()));
        assert!(matches!(
            f["severity"].as_str().unwrap(),
            "error" | "warning"
        ));
        let cited: Vec<u64> = f["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect();
        assert!(!cited.is_empty(), "{f}");
        assert!(cited.windows(2).all(|w| w[0] < w[1]), "ascending: {f}");
        assert!(cited.iter().all(|&n| n >= 1 && n <= line_count), "{f}");
        // Each value is quoted as written on one of the cited lines (or across two
        // consecutive cited lines, for a title broken over two lines).
        let line = |n: u64| source[usize::try_from(n).unwrap() - 1].trim();
        for val in f["values"].as_array().unwrap() {
            let val = val.as_str().unwrap();
            let on_one = cited.iter().any(|&n| line(n).contains(val));
            let across = cited
                .windows(2)
                .any(|w| w[1] == w[0] + 1 && format!("{}{}", line(w[0]), line(w[1])).contains(val));
            assert!(
                on_one || across,
                "value {val:?} not on the cited lines of {f}"
            );
        }
    }
}

#[test]
fn consistent_report_exits_zero() {
    let dir = TempDir::new("audit-ok");
    let f = dir.write("ok.txt", consistent_text());
    let o = jixiao(&["audit", f.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("共 0 个错误"), "{}", stdout(&o));
}

#[test]
fn encodings_give_the_same_findings_and_others_are_refused() {
    let dir = TempDir::new("audit-enc");
    let text = seed_text();
    let utf8 = dir.write("utf8.txt", &text);
    let (gb, _, bad) = encoding_rs::GB18030.encode(&text);
    assert!(!bad);
    let gb = dir.write("gb18030.txt", &gb);
    let mut u16le = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        u16le.extend_from_slice(&unit.to_le_bytes());
    }
    let u16le = dir.write("utf16.txt", &u16le);
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(text.as_bytes());
    let bom8 = dir.write("bom.txt", &bom8);

    let run = |p: &Path| {
        let o = jixiao(
            &["audit", "--format", "json", p.to_str().unwrap()],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        essence(&json_lines(&o)[0])
    };
    let want = run(&utf8);
    assert!(!want.is_empty());
    assert_eq!(run(&gb), want, "GB18030");
    assert_eq!(run(&u16le), want, "UTF-16LE");
    assert_eq!(run(&bom8), want, "UTF-8 with BOM");

    // Latin-1 bytes of a Western text: refused, not garbled.
    let latin = dir.write("latin1.txt", b"Budget \xe9t\xe9 2022: 44\xb739 \xa3\n");
    let o = jixiao(&["audit", latin.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("latin1.txt: 错误: 无法识别文本编码"), "{err}");
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
}

#[test]
fn folder_is_audited_with_a_summary_and_unreadable_files_exit_2() {
    let dir = TempDir::new("audit-dir");
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(reports.join("sub")).unwrap();
    std::fs::write(reports.join("a-seed.txt"), seed_text()).unwrap();
    std::fs::write(reports.join("sub/b-ok.txt"), consistent_text()).unwrap();
    std::fs::write(reports.join("c-broken.docx"), b"not a zip at all").unwrap();
    std::fs::write(reports.join("budget.xlsx"), "ignored: not a report type").unwrap();
    let o = jixiao(&["audit", "reports"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("reports/a-seed.txt:"), "{out}");
    assert!(!out.contains("b-ok.txt:"), "{out}");
    assert!(
        out.contains("汇总：3 份报告，1 份无法读取，1 份有错误"),
        "{out}"
    );
    assert!(out.contains("问题最多的报告："), "{out}");
    assert!(!out.contains("budget.xlsx"), "{out}");
    let err = stderr(&o);
    assert!(
        err.contains("c-broken.docx: 错误: 不是有效的 .docx 文件"),
        "{err}"
    );

    // JSON lines: one object per readable file, in path order.
    let o = jixiao(&["audit", "--format", "json", "reports"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let files: Vec<String> = json_lines(&o)
        .iter()
        .map(|v| v["file"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(files, ["reports/a-seed.txt", "reports/sub/b-ok.txt"]);
}

#[test]
fn missing_file_and_unknown_rule_and_type() {
    let dir = TempDir::new("audit-bad");
    let o = jixiao(&["audit", "nowhere.txt"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nowhere.txt: 错误: 文件不存在"),
        "{}",
        stderr(&o)
    );

    let seed = dir.write("seed.txt", seed_text());
    let o = jixiao(
        &["audit", "--rules", "grade-band,no-such-rule", "seed.txt"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("未知的规则编号 no-such-rule"), "{err}");
    assert!(err.contains("score-text-vs-table"), "lists the ids: {err}");
    assert!(stdout(&o).is_empty());

    let x = dir.write("report.xlsx", b"PK");
    let o = jixiao(&["audit", x.to_str().unwrap(), "seed.txt"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("不支持的文件类型“.xlsx”"),
        "{}",
        stderr(&o)
    );
    // The readable file was still audited.
    assert!(stdout(&o).contains("seed.txt:"), "{}", stdout(&o));
    drop(seed);
}

#[test]
fn rules_option_selects_rules() {
    let dir = TempDir::new("audit-rules");
    dir.write("seed.txt", seed_text());
    let o = jixiao(
        &[
            "audit",
            "--format",
            "json",
            "--rules",
            "score-text-vs-table,date-conflict",
            "seed.txt",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let v = &json_lines(&o)[0];
    let rules: std::collections::BTreeSet<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules.into_iter().collect::<Vec<_>>(),
        ["date-conflict", "score-text-vs-table"]
    );

    // Only warning rules: warnings do not fail the run.
    let o = jixiao(
        &["audit", "--rules", "target-no-actual", "seed.txt"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("target-no-actual: 警告："));
}

/// A minimal .docx with a paragraph, a table and another paragraph.
fn small_docx() -> Vec<u8> {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>绩效自评得分表</w:t></w:r></w:p>
<w:tbl>
<w:tr><w:tc><w:p><w:r><w:t>一级指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>分值</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>得分</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>项目决策</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>20</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>19</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>项目管理</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>20</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>18.8</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
<w:p><w:r><w:t>项目管理满分20分，评价得分</w:t></w:r><w:r><w:t>19.9分。</w:t></w:r></w:p>
</w:body></w:document>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zw = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zw.start_file("[Content_Types].xml", opts).unwrap();
        zw.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#)
            .unwrap();
        zw.start_file("word/document.xml", opts).unwrap();
        zw.write_all(xml.as_bytes()).unwrap();
        zw.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn docx_dump_text_and_findings() {
    let dir = TempDir::new("audit-docx");
    let f = dir.write("report.docx", small_docx());
    let o = jixiao(&["audit", "--dump-text", "report.docx"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "1\t绩效自评得分表\n2\t一级指标\t分值\t得分\n3\t项目决策\t20\t19\n4\t项目管理\t20\t18.8\n5\t项目管理满分20分，评价得分19.9分。\n"
    );
    let o = jixiao(
        &["audit", "--format", "json", f.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = &json_lines(&o)[0];
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "score-text-vs-table", "{v}");
    assert_eq!(f["lines"], serde_json::json!([4, 5]), "{v}");
}

#[test]
fn dump_text_of_a_txt_is_its_own_lines() {
    let dir = TempDir::new("audit-dump");
    dir.write("r.txt", "第一行\r\n\r\n第三行　全角２１６３\n");
    let o = jixiao(&["audit", "--dump-text", "r.txt"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "1\t第一行\n2\t\n3\t第三行　全角２１６３\n");
}

/// Converts `src` with LibreOffice into `dir` (used to make a .pdf and a .doc of the seed).
fn soffice_convert(src: &Path, to: &str, dir: &Path) {
    let o = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/lo-profile",
            dir.display()
        ))
        .args([
            "--headless",
            "--infilter=Text (encoded):UTF8,LF,,,",
            "--convert-to",
            to,
            "--outdir",
        ])
        .arg(dir)
        .arg(src)
        .output()
        .expect("soffice is installed by scripts/test (libreoffice-writer-nogui)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn pdf_and_doc_are_converted_with_the_distribution_tools() {
    let dir = TempDir::new("audit-office");
    // A tab-separated score table and a sentence that contradicts it, as a Word document
    // and as a PDF (where pdftotext lays the table out with spaces).
    let txt = dir.write(
        "seed.txt",
        "绩效自评得分表\n一级指标\t分值\t得分\n项目决策\t20\t19\n项目管理\t20\t18.8\n项目管理满分20分，评价得分19.9分。\n",
    );
    soffice_convert(&txt, "pdf", dir.path());
    soffice_convert(&txt, "doc", dir.path());
    // WPS Office saves its .wps documents in the Word 97 format.
    std::fs::copy(dir.path().join("seed.doc"), dir.path().join("seed.wps")).unwrap();
    for name in ["seed.pdf", "seed.doc", "seed.wps"] {
        let o = jixiao(&["audit", "--format", "json", name], dir.path());
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let v = &json_lines(&o)[0];
        let rules: Vec<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert!(rules.contains(&"score-text-vs-table"), "{name}: {v}");
    }

    // Without the tools on PATH the message names the package to install.
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["audit", "seed.pdf", "seed.doc"])
        .current_dir(dir.path())
        .env("PATH", dir.path().join("no-such-bin"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("seed.pdf: 错误: 读取此类文件需要 pdftotext")
            && err.contains("apt-get install poppler-utils"),
        "{err}"
    );
    assert!(
        err.contains("seed.doc: 错误: 读取此类文件需要 soffice")
            && err.contains("libreoffice-writer"),
        "{err}"
    );
}

/// Every rule is documented in docs/audit-rules.md with an example whose output the document
/// shows verbatim; the examples are run here so that the document cannot drift.
#[test]
fn rules_doc_examples_hold() {
    let doc = std::fs::read_to_string(workspace_root().join("docs/audit-rules.md")).unwrap();
    let block = |section: &str, lang: &str| -> String {
        let open = format!("```{lang}\n");
        let start = section
            .find(&open)
            .unwrap_or_else(|| panic!("no {lang} block in {section}"))
            + open.len();
        let len = section[start..].find("```").unwrap();
        section[start..start + len].to_owned()
    };
    let dir = TempDir::new("audit-doc");
    let mut documented = Vec::new();
    for section in doc.split("\n## `").skip(1) {
        let id = &section[..section.find('`').unwrap()];
        documented.push(id.to_owned());
        dir.write("example.txt", block(section, "report"));
        let o = jixiao(&["audit", "--rules", id, "example.txt"], dir.path());
        let out = stdout(&o);
        let got: Vec<&str> = out
            .lines()
            .filter(|l| !l.starts_with("example.txt: 共"))
            .collect();
        let want = block(section, "findings");
        assert_eq!(got, want.lines().collect::<Vec<_>>(), "rule {id}");
        let errors = want.lines().any(|l| l.contains(": 错误："));
        assert_eq!(o.status.code(), Some(i32::from(errors)), "rule {id}");
    }
    let all: Vec<String> = jixiao_audit::rules::RULES
        .iter()
        .map(|(r, _, _)| (*r).to_owned())
        .collect();
    assert_eq!(
        documented, all,
        "every rule documented, in the order of RULES"
    );
}
