//! The generated report: its text and structure (snapshot), the audit that guards it, the
//! DOCX typography, the DOCX read back as the audited lines, LibreOffice opening it, the PDF,
//! the HTML page, narrative placeholders, and generated projects that all pass the audit.
#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot unwrap should fail the test"
)]

#[path = "../../core/benches/support/variants.rs"]
#[expect(dead_code, reason = "shared with the scoring benchmark")]
mod variants;

use std::process::Command;

use jixiao_core::framework::Framework;
use jixiao_core::project::Project;
use jixiao_core::scoring::{self, Scored};
use jixiao_report::docx::{self, Grid};
use jixiao_report::{Error, html, pdf, prepare};

fn kunming() -> (Project, Framework) {
    let src = jixiao_testkit::kunming_example();
    let p = jixiao_core::file::project::read(src.as_bytes())
        .value
        .unwrap();
    let fw = jixiao_core::builtin::load("kunming-2022").unwrap();
    (p, fw)
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut f = z.by_name(name).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut f, &mut s).unwrap();
    s
}

#[test]
fn kunming_report_text_and_audit() {
    let (p, fw) = kunming();
    let s = scoring::score(&fw, &p);
    let checked = prepare(&s).unwrap();
    assert_eq!(checked.audit.errors(), 0);
    let text = checked.lines.join("\n");
    for needle in [
        "2022年残疾人基层组织建设及服务经费支出绩效自评报告",
        "全年支出44.39万元，预算执行率58.33%",
        "本项目得分22.15分，评价等级为“差”",
        "1. 项目决策（满分20分，评价得分4分）",
        "2. 项目管理（满分20分，评价得分12.75分）",
        "一级指标3个、二级指标8个、三级指标22个、四级指标33个",
        "经办人—部门负责人—财务负责人—分管领导—单位负责人—出纳",
        "单位成本10.34元/张",
        "建党101周年",
        "2023年4月21日至5月20日",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
    // The claimed 95.8 / 优 is never printed as the result.
    assert!(!text.contains("95.8"), "claimed total printed");
    assert!(!text.contains("“优”"), "claimed grade printed");
    insta::assert_snapshot!("kunming_report_lines", text);
}

#[test]
fn docx_reads_back_as_the_audited_lines_and_has_government_typography() {
    let (p, fw) = kunming();
    let s = scoring::score(&fw, &p);
    let checked = prepare(&s).unwrap();
    let bytes = docx::write(&checked.document, Grid::LinesAndChars).unwrap();
    // What `jixiao audit` reads from the file is exactly what was audited.
    let read =
        jixiao_audit::input::docx_lines(&bytes, &jixiao_audit::input::Limits::default()).unwrap();
    assert_eq!(read, checked.lines);
    let doc = unzip(&bytes, "word/document.xml");
    for needle in [
        "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>",
        "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\"",
        "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\" w:charSpace=\"-849\"/>",
        "w:orient=\"landscape\"",
        "<w:tblHeader/>",
        "<w:vMerge w:val=\"restart\"/>",
        "r:id=\"rIdChart1\"",
    ] {
        assert!(doc.contains(needle), "document.xml lacks {needle}");
    }
    let styles = unzip(&bytes, "word/styles.xml");
    for (style, font, size) in [
        ("Title", "方正小标宋简体", "44"),
        ("Heading1", "黑体", "32"),
        ("Heading2", "楷体_GB2312", "32"),
        ("TableText", "仿宋_GB2312", "24"),
    ] {
        let at = styles
            .find(&format!("w:styleId=\"{style}\""))
            .unwrap_or_else(|| panic!("no style {style}"));
        let block = &styles[at..at + styles[at..].find("</w:style>").unwrap()];
        if style != "TableText" {
            assert!(
                block.contains(&format!("w:eastAsia=\"{font}\"")),
                "{style}: {block}"
            );
        }
        if style == "Title" || style == "TableText" {
            assert!(
                block.contains(&format!("<w:sz w:val=\"{size}\"/>")),
                "{style}"
            );
        }
    }
    // Body text: 仿宋_GB2312 at 3号 (16 pt) by default.
    assert!(styles.contains(
        "<w:rFonts w:ascii=\"仿宋_GB2312\" w:hAnsi=\"仿宋_GB2312\" w:eastAsia=\"仿宋_GB2312\""
    ));
    assert!(styles.contains("<w:sz w:val=\"32\"/>"));
    let fonts = unzip(&bytes, "word/fontTable.xml");
    assert!(fonts.contains("<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/>"));
    let odd = unzip(&bytes, "word/footer1.xml");
    assert!(odd.contains("— </w:t>") && odd.contains(" PAGE ") && odd.contains("w:val=\"right\""));
    let even = unzip(&bytes, "word/footer2.xml");
    assert!(even.contains("w:val=\"left\""));
    // The charts are native chart parts with their data, referenced from the text with
    // their description as alternative text.
    let doc = unzip(&bytes, "word/document.xml");
    assert!(doc.contains("r:id=\"rIdChart1\"") && doc.contains("r:id=\"rIdChart2\""));
    assert!(doc.contains("descr=\"图1"), "charts carry alternative text");
    let rels = unzip(&bytes, "word/_rels/document.xml.rels");
    assert!(rels.contains("Target=\"charts/chart1.xml\""));
    let types = unzip(&bytes, "[Content_Types].xml");
    assert!(types.contains("/word/charts/chart2.xml"));
    let chart1 = unzip(&bytes, "word/charts/chart1.xml");
    assert!(chart1.contains("<c:barChart>") && chart1.contains("<c:numCache>"));
}

/// The PDF: LibreOffice opens the DOCX, the text has every key figure, the page is A4 and
/// the fonts are embedded CJK faces.
#[test]
fn pdf_from_libreoffice_has_the_figures_a4_pages_and_embedded_cjk_fonts() {
    let (p, fw) = kunming();
    let s = scoring::score(&fw, &p);
    let checked = prepare(&s).unwrap();
    let bytes = docx::write(&checked.document, Grid::Lines).unwrap();
    let pdf = pdf::from_docx(&bytes).unwrap();
    let dir = jixiao_testkit::TempDir::new("report-pdf");
    let path = dir.write("k.pdf", &pdf);
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for figure in [
        "44.39万元",
        "58.33%",
        "76.10万元",
        "22.15分",
        "评价等级为“差”",
        "31.71万元",
        "—1—",
    ] {
        assert!(squeezed.contains(figure), "PDF text lacks {figure}");
    }
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("595.304 x 841.89 pts (A4)"), "{info}");
    let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let cjk: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| l.contains("CJK") || l.contains("UKai"))
        .collect();
    assert!(!cjk.is_empty(), "{fonts}");
    assert!(
        cjk.iter()
            .all(|l| l.split_whitespace().rev().nth(4) == Some("yes")),
        "{fonts}"
    );
    // Serif body (仿宋 → Noto Serif), sans headings (黑体 → Noto Sans), Kai (楷体 → UKai).
    assert!(fonts.contains("NotoSerifCJK"), "{fonts}");
    assert!(fonts.contains("NotoSansCJK"), "{fonts}");
}

#[test]
fn html_is_one_accessible_page() {
    let (p, fw) = kunming();
    let s = scoring::score(&fw, &p);
    let checked = prepare(&s).unwrap();
    let page = html::write(&checked.document);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert_eq!(page.matches("<h1>").count(), 1);
    // Headings never skip a level.
    let mut last = 1;
    for (i, _) in page.match_indices("<h") {
        let Some(level) = page[i + 2..].chars().next().and_then(|c| c.to_digit(10)) else {
            continue;
        };
        assert!(level <= last + 1, "h{level} after h{last}");
        last = level;
    }
    let tables = page.matches("<table>").count();
    assert_eq!(page.matches("<caption").count(), tables);
    assert!(!page.contains("<th>"), "every th has a scope");
    assert_eq!(
        page.matches("<svg").count(),
        page.matches("role=\"img\" aria-labelledby=").count()
    );
    assert!(page.contains("<desc id=\"chart-1-d\">图1 各一级指标得分率：项目决策20.00%"));
    assert!(page.contains("@page { size: A4; margin: 37mm 26mm 35mm 28mm; }"));
}

/// axe-core (WCAG 2.1 AA) in Debian's headless Chromium finds no violation on the page
/// (tests/a11y/check.mjs; scripts/test installs Chromium, Node and the packages).
#[test]
fn html_passes_axe_core_in_chromium() {
    let (p, fw) = kunming();
    let s = scoring::score(&fw, &p);
    let page = html::write(&prepare(&s).unwrap().document);
    let dir = jixiao_testkit::TempDir::new("report-axe");
    let file = dir.write("report.html", page);
    let check = jixiao_testkit::workspace_root().join("tests/a11y/check.mjs");
    let o = Command::new("node")
        .arg(&check)
        .arg(&file)
        .output()
        .expect("node is installed by scripts/test");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("0 violated"), "{out}");
}

fn with_narrative(field: &str, text: &str) -> (Project, Framework) {
    let (mut p, fw) = kunming();
    p.narrative.insert(field.to_owned(), text.to_owned());
    (p, fw)
}

#[test]
fn placeholders_print_figures_from_data() {
    let (p, fw) = with_narrative(
        "performance",
        "全年支出{支出金额}，预算执行率{预算执行率}；制卡{指标:T04:实际}，目标{指标:第三代残疾人证（智能化）制卡数量:目标}，\
         完成率{指标:T04:完成率}；接待来访{事实:全市残联系统接待来访}；总分{总分}分，等级{等级}。{{原样}}",
    );
    let s = scoring::score(&fw, &p);
    let text = prepare(&s).unwrap().lines.join("\n");
    assert!(
        text.contains(
            "全年支出44.39万元，预算执行率58.33%；制卡4万张，目标50000张，完成率80.00%；\
             接待来访1140人次；总分22.15分，等级差。{原样}"
        ),
        "{text}"
    );
}

#[test]
fn unknown_placeholder_names_itself() {
    let (p, fw) = with_narrative("performance", "执行率为{执行率}。");
    let s = scoring::score(&fw, &p);
    let err = prepare(&s).unwrap_err();
    assert!(
        matches!(&err, Error::UnknownFigure { field, name } if field == "performance" && name == "执行率")
    );
    assert!(
        err.zh()
            .contains("narrative.performance 引用了未知的数据名“{执行率}”")
    );
    assert!(err.zh().contains("预算执行率"), "lists the known names");
    let (p, fw) = with_narrative("analysis", "未闭合的{花括号");
    let s = scoring::score(&fw, &p);
    assert!(matches!(
        prepare(&s).unwrap_err(),
        Error::Placeholder { .. }
    ));
}

#[test]
fn a_narrative_that_contradicts_the_data_is_refused() {
    for (typed, rule) in [
        // A figure typed by hand instead of {预算执行率}.
        ("全年预算执行率68.33%。", "percent-of-parts"),
        // The seed's slip: the same period in another year.
        (
            "2022年4月21日至5月20日，评价组进行了现场核实。",
            "date-conflict",
        ),
        // Every target claimed met while cards fell short.
        ("本项目完成全年预定的绩效目标。", "target-claim"),
    ] {
        let (p, fw) = with_narrative("performance", typed);
        let s = scoring::score(&fw, &p);
        match prepare(&s) {
            Err(Error::Contradictions(r)) => {
                assert!(
                    r.findings.iter().any(|f| f.rule == rule),
                    "{typed}: {:?}",
                    r.findings
                );
            }
            Ok(c) => panic!(
                "{typed}: expected contradictions, got none: {:?}",
                c.audit.findings
            ),
            Err(e) => panic!("{typed}: {e}"),
        }
    }
}

fn report_of(p: &Project, fw: &Framework) -> Result<jixiao_report::Checked, Error> {
    let s: Scored<'_> = scoring::score(fw, p);
    prepare(&s)
}

/// Fully scored variants of the example (other actual values, spending, judgments): every
/// generated report passes the audit with zero errors.
#[test]
fn generated_projects_produce_reports_without_contradictions() {
    let (base, fw) = kunming();
    let mut rng = variants::Lcg(7);
    for k in 0..25 {
        let p = variants::variant(&base, &fw, &mut rng);
        match report_of(&p, &fw) {
            Ok(c) => assert_eq!(c.audit.errors(), 0),
            Err(Error::Contradictions(r)) => panic!(
                "variant {k}: {:?}",
                r.findings
                    .iter()
                    .map(|f| format!("{} {:?} {}", f.rule, f.lines, f.message))
                    .collect::<Vec<_>>()
            ),
            Err(e) => panic!("variant {k}: {e}"),
        }
    }
    // The central self-evaluation form framework too (its 预算执行率 is a level-1 leaf).
    let fw = jixiao_core::builtin::load("mof-2020-self").unwrap();
    match report_of(&base, &fw) {
        Ok(c) => assert_eq!(c.audit.errors(), 0),
        Err(Error::Contradictions(r)) => panic!("mof-2020-self: {:?}", r.findings),
        Err(e) => panic!("mof-2020-self: {e}"),
    }
}

/// A framework level that does not apply to a project (no indicators of its category: its
/// weight goes to the others) is still listed in the score tables, and the counts in the text
/// agree with them; such a report used to be refused as self-contradictory.
#[test]
fn levels_that_do_not_apply_are_counted_as_the_tables_list_them() {
    let (mut p, _) = kunming();
    p.targets
        .retain(|t| t.category == jixiao_core::project::Category::Output);
    p.evaluation.judgments.clear();
    let fw = jixiao_core::builtin::load("mof-2020-self").unwrap();
    let s = scoring::score(&fw, &p);
    let checked = prepare(&s).unwrap_or_else(|e| panic!("{}", e.zh()));
    assert_eq!(checked.audit.errors(), 0);
    let text = checked.lines.join("\n");
    assert!(text.contains("一级指标4个"), "{text}");
}
