//! The official forms (XLSX): what they hold, that they read back into the same project and
//! the same scores, that XLSX → project → XLSX keeps every cell, that malformed sheets are
//! refused with the sheet and cell named, and that LibreOffice opens them.
#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot unwrap should fail the test"
)]

#[path = "../../core/benches/support/variants.rs"]
#[expect(dead_code, reason = "shared with the scoring benchmark")]
mod variants;

use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use jixiao_core::framework::Framework;
use jixiao_core::project::{ActualValue, Project};
use jixiao_core::scoring;
use jixiao_report::forms::{self, FormError};

fn kunming() -> (Project, Framework) {
    let src = jixiao_testkit::kunming_example();
    let p = jixiao_core::file::project::read(src.as_bytes())
        .value
        .unwrap();
    let fw = jixiao_core::builtin::load("kunming-2022").unwrap();
    (p, fw)
}

fn builtin(name: &str) -> Option<Framework> {
    jixiao_core::builtin::load(name).ok()
}

fn xlsx(p: &Project, fw: &Framework) -> Vec<u8> {
    forms::xlsx(&scoring::score(fw, p)).unwrap()
}

fn import(bytes: &[u8]) -> forms::Imported {
    forms::read(bytes, &builtin)
        .unwrap_or_else(|e| panic!("{:#?}", e.iter().map(FormError::zh).collect::<Vec<_>>()))
}

/// Every non-empty cell of every sheet: (sheet, row, column, value).
fn cells(bytes: &[u8]) -> Vec<(String, u32, u32, String)> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for (r, c, v) in range.used_cells() {
            if *v != Data::Empty {
                let (r0, c0) = range.start().unwrap();
                out.push((
                    name.clone(),
                    r0 + u32::try_from(r).unwrap(),
                    c0 + u32::try_from(c).unwrap(),
                    v.to_string(),
                ));
            }
        }
    }
    out
}

fn cell(all: &[(String, u32, u32, String)], sheet: &str, name: &str) -> String {
    let col = u32::from(name.as_bytes()[0] - b'A');
    let row: u32 = name[1..].parse::<u32>().unwrap() - 1;
    all.iter()
        .find(|(s, r, c, _)| s == sheet && *r == row && *c == col)
        .map(|x| x.3.clone())
        .unwrap_or_default()
}

#[test]
fn the_kunming_forms_hold_the_computed_figures() {
    let (p, fw) = kunming();
    let all = cells(&xlsx(&p, &fw));
    let sheets: Vec<&str> = all
        .iter()
        .map(|x| x.0.as_str())
        .fold(Vec::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        });
    assert_eq!(
        sheets,
        [
            "绩效目标申报表",
            "项目支出绩效自评表",
            "指标体系评分表",
            "支出明细"
        ]
    );
    // Funds in 万元 as numbers: 年初预算 76.1, 全年预算 76.1, 到位 76.1, 执行 44.39, 执行率 58.33%.
    let f = |c: &str| cell(&all, "项目支出绩效自评表", c);
    assert_eq!(f("A6"), "年度资金总额");
    assert_eq!(
        [f("E6"), f("F6"), f("G6"), f("H6")],
        ["76.1", "76.1", "76.1", "44.39"]
    );
    assert_eq!(f("J6"), "0.583311");
    // The indicator table starts with the header, then T01.
    assert_eq!(f("A12"), "编号");
    assert_eq!(f("A13"), "T01");
    let total = all
        .iter()
        .find(|x| x.0 == "项目支出绩效自评表" && x.3 == "总分")
        .unwrap();
    let score = all
        .iter()
        .find(|x| x.0 == total.0 && x.1 == total.1 && x.2 == 9)
        .unwrap();
    assert_eq!(score.3, "22.15");
    assert!(all.iter().any(|x| x.3 == "评价等级：差"));
    let d = |c: &str| cell(&all, "绩效目标申报表", c);
    assert_eq!([d("A3"), d("B3")], ["项目名称".to_owned(), p.name.clone()]);
    assert_eq!([d("A4"), d("B4")], ["年度".to_owned(), "2022".to_owned()]);
    let l = |c: &str| cell(&all, "支出明细", c);
    assert_eq!(l("C3"), "用途");
    assert_eq!(
        l("D4"),
        p.budget.spending[0]
            .amount
            .yuan()
            .trim_end_matches('0')
            .trim_end_matches('.')
    );
}

/// The whole workbook as text (every non-empty cell by sheet and cell name), as a snapshot:
/// a change to the layout or to a figure shows up in review.
#[test]
fn kunming_forms_snapshot() {
    let (p, fw) = kunming();
    let text: String = cells(&xlsx(&p, &fw))
        .iter()
        .map(|(sheet, r, c, v)| {
            format!(
                "{sheet}!{}\t{}\n",
                forms::cell_name(*r, *c),
                v.replace('\n', "⏎")
            )
        })
        .collect();
    insta::assert_snapshot!("kunming_forms_cells", text);
}

#[test]
fn the_forms_read_back_into_the_same_data_and_scores() {
    let (p, fw) = kunming();
    let bytes = xlsx(&p, &fw);
    let back = import(&bytes);
    let q = &back.project;
    assert_eq!(
        (q.name.as_str(), q.year, q.department.as_str()),
        (p.name.as_str(), p.year, p.department.as_str())
    );
    assert_eq!(q.policy_basis, p.policy_basis);
    assert_eq!(q.approval_chain, p.approval_chain);
    assert_eq!(q.budget.spending, p.budget.spending);
    assert_eq!(q.budget.adjusted(), p.budget.adjusted());
    assert_eq!(q.budget.received(), p.budget.received());
    assert_eq!(q.targets.len(), p.targets.len());
    for (a, b) in q.targets.iter().zip(&p.targets) {
        assert_eq!(
            (&a.id, &a.name, &a.value, &a.unit, a.comparator, a.weight),
            (&b.id, &b.name, &b.value, &b.unit, b.comparator, b.weight)
        );
        let (x, y) = (a.actual.as_ref(), b.actual.as_ref());
        assert_eq!(x.map(|x| &x.evidence), y.map(|y| &y.evidence), "{}", a.id);
        assert_eq!(
            x.map(|x| &x.deviation_reason),
            y.map(|y| &y.deviation_reason),
            "{}",
            a.id
        );
        match (x.map(|x| &x.value), y.map(|y| &y.value)) {
            (
                Some(ActualValue::Number { value: v1, .. }),
                Some(ActualValue::Number { value: v2, .. }),
            ) => assert_eq!(v1, v2),
            (v1, v2) => assert_eq!(v1, v2, "{}", a.id),
        }
    }
    let (s1, s2) = (scoring::score(&fw, &p), scoring::score(&fw, q));
    assert_eq!((s1.total, s1.grade()), (s2.total, s2.grade()));
    for i in 0..s1.nodes.len() {
        assert_eq!(
            (s1.code(i), s1.nodes[i].score),
            (s2.code(i), s2.nodes[i].score)
        );
    }
}

/// Generated variants (other actuals, spending lines, judgments incl. shares, deductions
/// and 不适用): the scores survive TOML → XLSX → TOML, and XLSX → TOML → XLSX keeps every cell.
#[test]
fn round_trips_keep_scores_and_every_cell() {
    let (base, fw) = kunming();
    let mut rng = variants::Lcg(11);
    for k in 0..20 {
        let p = variants::variant(&base, &fw, &mut rng);
        let first = xlsx(&p, &fw);
        let q = import(&first).project;
        let (s1, s2) = (scoring::score(&fw, &p), scoring::score(&fw, &q));
        assert_eq!(s1.total, s2.total, "variant {k}");
        // Through the project-file text as `jixiao convert` does it.
        let text = jixiao_core::file::write::project(&q);
        let q2 = jixiao_core::file::project::read(text.as_bytes())
            .value
            .unwrap();
        assert_eq!(q2, q, "variant {k}");
        let second = xlsx(&q2, &fw);
        let (a, b) = (cells(&first), cells(&second));
        let diff: Vec<_> = a.iter().zip(&b).filter(|(x, y)| x != y).take(3).collect();
        assert!(
            diff.is_empty() && a.len() == b.len(),
            "variant {k}: {diff:?}"
        );
    }
}

#[test]
fn malformed_sheets_are_refused_naming_sheet_and_cell() {
    let (p, fw) = kunming();
    let bytes = xlsx(&p, &fw);
    // Not a workbook at all.
    let e = forms::read(b"PK\x03\x04 not really", &builtin).unwrap_err();
    assert!(e[0].zh().contains("不是可读取的 XLSX 工作簿"), "{e:?}");
    // A workbook without the forms.
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("Sheet1").unwrap();
    let e = forms::read(&wb.save_to_buffer().unwrap(), &builtin).unwrap_err();
    let msgs: Vec<String> = e.iter().map(FormError::zh).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("工作表「绩效目标申报表」：缺少该工作表")),
        "{msgs:?}"
    );
    // The reader checks the ledger against the form: the file itself is fine.
    assert!(forms::read(&bytes, &builtin).is_ok());
}

#[test]
fn libreoffice_opens_the_forms_and_prints_the_figures() {
    let (p, fw) = kunming();
    let dir = jixiao_testkit::TempDir::new("forms-soffice");
    let path = dir.write("k.xlsx", xlsx(&p, &fw));
    let out = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .expect("LibreOffice (soffice) is installed by scripts/test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.path().join("k.pdf");
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text: String = String::from_utf8(text.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for figure in [
        "项目支出绩效自评表",
        "绩效目标申报表",
        "76.10",
        "44.39",
        "58.33%",
        "22.15",
        "评价等级：差",
        "443,900.00",
    ] {
        assert!(
            text.contains(figure),
            "LibreOffice's PDF of the forms lacks {figure}"
        );
    }
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("(A4)"), "{info}");
}

/// A workbook with `xml` as the declaration sheet (and a valid rest), built by hand.
fn workbook_with_sheet(xml: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let files: [(&str, &[u8]); 4] = [
        (
            "xl/workbook.xml",
            r#"<workbook><sheets><sheet name="绩效目标申报表" sheetId="1" r:id="rId1"/><sheet name="项目支出绩效自评表" sheetId="2" r:id="rId2"/></sheets></workbook>"#.as_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", xml),
        ("xl/worksheets/sheet2.xml", b"<worksheet><sheetData/></worksheet>"),
    ];
    for (name, body) in files {
        z.start_file(name, opts).unwrap();
        z.write_all(body).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// Truncated files and sheets of broken XML are refused with a message, never a panic.
#[test]
fn broken_workbooks_are_refused_without_panicking() {
    let (p, fw) = kunming();
    let bytes = xlsx(&p, &fw);
    for k in 0..40 {
        let cut = bytes.len() * k / 40;
        let e = forms::read(&bytes[..cut], &builtin).unwrap_err();
        assert!(!e.is_empty() && !e[0].zh().is_empty());
    }
    for xml in [
        &b"<worksheet><sheetData><row r=\"0\"><c r=\"A1\" t=\"s\"><v>99999</v></c></row>"[..],
        b"<worksheet><sheetData><row><c r=\"XFD1048577\"><v>1</v></c>",
        b"<worksheet><sheetData><row><c r=\"ZZZZ9\" t=\"inlineStr\"><is><t>&bogus;&#xFFFFFFFF;&#0;</t></is></c></row>",
        b"<worksheet><sheetData><row><c r=\"A1\"><v>1</v>",
        b"<worksheet><sheetData><row><c r=\"A1\" t=\"s\"><v>",
        b"<c",
        b"<",
        b"\xff\xfe<\x00c\x00",
        b"<worksheet><sheetData><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>\xe7\xbc\x96\xe5\x8f\xb7</t></is></c></row></sheetData></worksheet>",
    ] {
        let e = forms::read(&workbook_with_sheet(xml), &builtin).unwrap_err();
        assert!(!e.is_empty(), "{:?}", String::from_utf8_lossy(xml));
    }
}
