//! Any input gives findings or a clear error, never a panic or a hang: arbitrary bytes as
//! text and as `.docx`, report-like text built from the pieces reports are made of, and
//! hostile archives (a zip bomb, an oversized part, a text over the limit).

use std::io::Write;

use jixiao_audit::input::{self, InputError, Kind, Limits};
use jixiao_audit::{Options, audit_bytes, audit_lines};
use proptest::prelude::*;

/// Pieces of real reports: numbers of every shape, units, comparators, table separators,
/// dates, headings, debris, and the words the checks key on.
const PIECES: &[&str] = &[
    "44.39",
    "76.1",
    "万元",
    "元",
    "1,234,567.89",
    "２１６３",
    "５",
    "．",
    "%",
    "％",
    "≥",
    "≤",
    "＞＝",
    "不低于",
    "\t",
    "|",
    "  ",
    "　",
    "，",
    "。",
    "；",
    "：",
    "、",
    "（",
    "）",
    "(",
    ")",
    "“",
    "”",
    "\n",
    "其中",
    "合计",
    "小计",
    "总分",
    "得分",
    "权重",
    "扣分",
    "得分率",
    "满分",
    "评价得分",
    "分",
    "优",
    "良",
    "中",
    "差",
    "等级为",
    "预算",
    "支出",
    "执行率",
    "到位",
    "结余",
    "较上年",
    "增加",
    "减少",
    "完成",
    "目标",
    "实际",
    "全面完成",
    "各项绩效目标均已完成",
    "2022年",
    "4月21日",
    "至",
    "5月20日",
    "2023年5月20日",
    "开班",
    "结业",
    "建党100周年",
    "[bookmark: _Toc1]",
    "一、",
    "（一）",
    "1.",
    "（1）",
    "一是",
    "二是",
    "三是",
    "五类",
    "四个环节",
    "三级指标",
    "18项",
    "人",
    "人次",
    "张",
    "万张",
    "个",
    "所",
    "户",
    "项目",
    "资金",
    "经费",
    "局",
    "西宁市城东区民政局",
    "残疾人基层组织建设及服务经费",
    "支出绩效自评报告",
    "0",
    "9",
    "100",
    "0.5",
    "-",
    "—",
    "率",
    "占",
    "的",
];

fn report_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..400).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _ = audit_bytes(&bytes, Kind::Text, &Options::default());
        let _ = audit_bytes(&bytes, Kind::Docx, &Options::default());
    }

    #[test]
    fn report_like_text_gives_sane_findings(text in report_text()) {
        let lines = input::split_lines(&text);
        let n = lines.len();
        let report = audit_lines(lines, &Options::default());
        prop_assert_eq!(report.line_count, n);
        for f in &report.findings {
            prop_assert!(jixiao_audit::rules::is_rule(f.rule), "{}", f.rule);
            prop_assert!(!f.lines.is_empty());
            prop_assert!(f.lines.windows(2).all(|w| w[0] < w[1]), "{:?}", f.lines);
            prop_assert!(f.lines.iter().all(|&l| l >= 1 && l <= n), "{:?} of {n}", f.lines);
            prop_assert!(!f.message.is_empty());
        }
    }
}

/// A `.docx` whose main part is `xml`, stored with the given compression.
fn docx_with(xml: &[u8], method: zip::CompressionMethod) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zw = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        zw.start_file("word/document.xml", opts).expect("entry");
        zw.write_all(xml).expect("write");
        zw.finish().expect("finish");
    }
    buf.into_inner()
}

#[test]
fn docx_paragraphs_and_tables_in_reading_order() {
    let xml = r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>
        <w:p><w:r><w:t>本项目支出44.39万元，</w:t></w:r><w:r><w:t>预算执行率58.33%。</w:t></w:r></w:p>
        <w:p></w:p>
        <w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>得分</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:p><w:r><w:t>A&amp;B</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>19</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
        <w:p><w:r><w:t>结论</w:t><w:tab/><w:t>优</w:t></w:r></w:p>
        </w:body></w:document>"#;
    let bytes = docx_with(xml.as_bytes(), zip::CompressionMethod::Deflated);
    let lines = input::docx_lines(&bytes, &Limits::default()).expect("a valid docx");
    assert_eq!(
        lines,
        vec![
            "本项目支出44.39万元，预算执行率58.33%。",
            "项目\t得分",
            "A&B\t19",
            "结论\t优",
        ]
    );
}

#[test]
fn zip_bomb_is_refused_quickly() {
    // 200 MB of zeros compresses to a few hundred KB.
    let zeros = vec![b'0'; 200 * 1024 * 1024];
    let bytes = docx_with(&zeros, zip::CompressionMethod::Deflated);
    drop(zeros);
    let start = std::time::Instant::now();
    let e = input::docx_lines(&bytes, &Limits::default()).unwrap_err();
    assert!(
        matches!(e, InputError::TooLarge { .. } | InputError::Bomb { .. }),
        "{e:?}"
    );
    assert!(start.elapsed().as_secs() < 5, "refused in bounded time");
    assert!(
        e.zh().contains("压缩") || e.zh().contains("过大"),
        "{}",
        e.zh()
    );
}

#[test]
fn oversized_entry_and_text_are_refused() {
    let limits = Limits {
        max_text: 1024,
        max_entry: 4096,
        max_ratio: 200,
    };
    let big = vec![b'x'; 10_000];
    let bytes = docx_with(&big, zip::CompressionMethod::Stored);
    assert!(matches!(
        input::docx_lines(&bytes, &limits),
        Err(InputError::TooLarge { .. })
    ));
    assert!(matches!(
        input::decode_text(&big, &limits),
        Err(InputError::TooLarge {
            size: 10_000,
            limit: 1024
        })
    ));
    // The default limit takes at least 16 MB of text.
    assert!(Limits::default().max_text >= 16 * 1024 * 1024);
}

#[test]
fn not_a_docx_gets_a_clear_error() {
    for bytes in [&b"PK\x03\x04garbage"[..], b"plain text", b""] {
        let e = input::docx_lines(bytes, &Limits::default()).unwrap_err();
        assert!(matches!(e, InputError::BadDocx { .. }), "{e:?}");
        assert!(e.zh().contains(".docx"), "{}", e.zh());
    }
    let no_main = {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zw = zip::ZipWriter::new(&mut buf);
        zw.start_file("other.xml", zip::write::SimpleFileOptions::default())
            .expect("entry");
        zw.write_all(b"<x/>").expect("write");
        zw.finish().expect("finish");
        buf.into_inner()
    };
    let e = input::docx_lines(&no_main, &Limits::default()).unwrap_err();
    assert!(e.zh().contains("word/document.xml"), "{}", e.zh());
}
