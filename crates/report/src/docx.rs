//! Writes a [`Document`] as a `.docx` (WordprocessingML) in the layout of GB/T 9704-2012 党政
//! 机关公文格式: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a document grid
//! of 22 lines × 28 characters; title 2号 方正小标宋简体; body 3号 仿宋_GB2312; headings 3号
//! 黑体 "一、", 楷体_GB2312 "（一）", bold 仿宋 "1."; tables in 仿宋; page numbers "— 1 —"
//! in 4号 宋体 at the foot, right on odd pages and left on even ones.
//!
//! The XML is written directly (no DOCX library): the parts are few, their content is fully
//! determined by the model, and writing them is fast. Chinese fonts are named in `w:eastAsia`
//! as Word and WPS read them; `fontTable.xml` gives their fallbacks (仿宋, 楷体, SimHei).

use std::fmt::Write as _;
use std::io::Write as _;

use crate::Error;
use crate::esc;
use crate::model::{Align, Block, Cell, Document, Merge, Table};

/// A4 and GB/T 9704 margins in twentieths of a point (1 mm = 56.7 twips).
pub const PAGE_WIDTH: u32 = 11_906;
/// A4 height.
pub const PAGE_HEIGHT: u32 = 16_838;
/// 37 mm.
pub const MARGIN_TOP: u32 = 2_098;
/// 35 mm.
pub const MARGIN_BOTTOM: u32 = 1_984;
/// 28 mm.
pub const MARGIN_LEFT: u32 = 1_587;
/// 26 mm.
pub const MARGIN_RIGHT: u32 = 1_474;
/// Text width: 156 mm.
pub const TEXT_WIDTH: u32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// 22 lines on the 225 mm text height: 12 756 / 22.
pub const LINE_PITCH: u32 = 579;
/// 28 characters of 16 pt on the 156 mm line: the pitch is 15.79 pt, 0.207 pt (849/4096 pt)
/// narrower than the font size.
pub const CHAR_SPACE: i32 = -849;

/// Font names as Word and WPS know them.
pub const FONT_TITLE: &str = "方正小标宋简体";
/// Body.
pub const FONT_BODY: &str = "仿宋_GB2312";
/// Level-1 headings.
pub const FONT_H1: &str = "黑体";
/// Level-2 headings.
pub const FONT_H2: &str = "楷体_GB2312";
/// Page numbers.
pub const FONT_PAGE: &str = "宋体";

/// The document grid written in the section properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grid {
    /// 22 lines × 28 characters, as GB/T 9704 prescribes and Word and WPS lay it out.
    LinesAndChars,
    /// 22 lines, characters not snapped: for LibreOffice, which gives every CJK character
    /// wider than the 28-character pitch (16 pt type on a 15.79 pt pitch) two grid cells
    /// instead of compressing it, and so would print 14 characters a line.
    Lines,
}

/// A run of text; tabs become `w:tab`.
fn run(text: &str, out: &mut String) {
    out.push_str("<w:r>");
    for (k, part) in text.split('\t').enumerate() {
        if k > 0 {
            out.push_str("<w:tab/>");
        }
        if !part.is_empty() {
            out.push_str("<w:t xml:space=\"preserve\">");
            esc(part, out);
            out.push_str("</w:t>");
        }
    }
    out.push_str("</w:r>");
}

fn jc(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

fn para(style: &str, align: Option<Align>, text: &str, out: &mut String) {
    let _ = write!(out, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>");
    if let Some(a) = align {
        let _ = write!(out, "<w:jc w:val=\"{}\"/>", jc(a));
        // Right-aligned lines (the signature and its date) stand four characters in.
        if a == Align::Right && style == "Plain" {
            out.push_str("<w:ind w:right=\"1280\" w:rightChars=\"400\"/>");
        }
    }
    out.push_str("</w:pPr>");
    run(text, out);
    out.push_str("</w:p>");
}

fn cell(c: &Cell, width: u32, head: bool, out: &mut String) {
    let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if c.span > 1 {
        let _ = write!(out, "<w:gridSpan w:val=\"{}\"/>", c.span);
    }
    match c.merge {
        Merge::Start => out.push_str("<w:vMerge w:val=\"restart\"/>"),
        Merge::Continue => out.push_str("<w:vMerge/>"),
        Merge::None => {}
    }
    out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
    let style = if head { "TableHead" } else { "TableText" };
    let align = if head { Align::Center } else { c.align };
    para(style, Some(align), c.text.trim(), out);
    out.push_str("</w:tc>");
}

fn table(t: &Table, text_width: u32, out: &mut String) {
    para("Caption", None, &t.caption, out);
    let cols = t
        .head
        .iter()
        .chain(&t.body)
        .map(|r| r.iter().map(|c| usize::from(c.span.max(1))).sum::<usize>())
        .max()
        .unwrap_or(1);
    let mut rel: Vec<u32> = t.widths.clone();
    rel.resize(cols, rel.last().copied().unwrap_or(1));
    let total: u32 = rel.iter().sum::<u32>().max(1);
    let widths: Vec<u32> = rel.iter().map(|w| text_width * w / total).collect();
    out.push_str(
        "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:jc w:val=\"center\"/>\
         <w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tblBorders>\
         <w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"28\" w:type=\"dxa\"/>\
         <w:left w:w=\"57\" w:type=\"dxa\"/><w:bottom w:w=\"28\" w:type=\"dxa\"/>\
         <w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>",
    );
    for w in &widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>");
    for (rows, head) in [(&t.head, true), (&t.body, false)] {
        for r in rows {
            out.push_str("<w:tr>");
            if head {
                // Header rows repeat on every page.
                out.push_str("<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
            }
            let mut col = 0;
            for c in r {
                let span = usize::from(c.span.max(1));
                let w: u32 = widths.iter().skip(col).take(span).sum();
                cell(c, w, head, out);
                col += span;
            }
            out.push_str("</w:tr>");
        }
    }
    out.push_str("</w:tbl>");
}

/// EMU per twip.
const EMU_PER_TWIP: u64 = 635;

/// A native chart, inline in its own paragraph, across the text width; `descr` is its
/// alternative text.
fn chart(n: usize, bars: usize, descr: &str, out: &mut String) {
    let cx = u64::from(TEXT_WIDTH) * EMU_PER_TWIP;
    // About 0.8 cm a bar plus 3.2 cm for the title and the axis.
    let cy = (u64::try_from(bars).unwrap_or(0) * 288_000 + 1_152_000).min(cx);
    let mut d = String::new();
    esc(descr, &mut d);
    let _ = write!(
        out,
        "<w:p><w:pPr><w:pStyle w:val=\"Plain\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>\
         <wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>\
         <wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{n}\" name=\"图{n}\" descr=\"{d}\"/>\
         <wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">\
         <c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rIdChart{n}\"/>\
         </a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    );
}

/// Section properties: page size and orientation, margins, footers, grid.
fn sect_pr(landscape: bool, grid: Grid, out: &mut String) {
    let (w, h, orient) = if landscape {
        (PAGE_HEIGHT, PAGE_WIDTH, " w:orient=\"landscape\"")
    } else {
        (PAGE_WIDTH, PAGE_HEIGHT, "")
    };
    let _ = write!(
        out,
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>\
         <w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>\
         <w:type w:val=\"nextPage\"/><w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/>\
         <w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" \
         w:left=\"{MARGIN_LEFT}\" w:header=\"851\" w:footer=\"1304\" w:gutter=\"0\"/>{}</w:sectPr>",
        match grid {
            Grid::LinesAndChars => format!(
                "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"{LINE_PITCH}\" w:charSpace=\"{CHAR_SPACE}\"/>"
            ),
            Grid::Lines => format!("<w:docGrid w:type=\"lines\" w:linePitch=\"{LINE_PITCH}\"/>"),
        }
    );
}

fn document_xml(doc: &Document, grid: Grid) -> String {
    let mut out = String::with_capacity(256 * 1024);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><w:body>",
    );
    let mut chart_no = 0;
    let mut landscape = false;
    for b in &doc.blocks {
        match b {
            Block::Title(t) => para("Title", None, t, &mut out),
            Block::Heading { level, text } => {
                para(
                    &format!("Heading{}", level.clamp(&1, &3)),
                    None,
                    text,
                    &mut out,
                );
            }
            Block::Para(t) => para("Normal", None, t, &mut out),
            Block::Plain { text, align } => para("Plain", Some(*align), text, &mut out),
            Block::Table(t) => {
                let width = if landscape {
                    PAGE_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT
                } else {
                    TEXT_WIDTH
                };
                table(t, width, &mut out);
            }
            Block::Chart(c) => {
                chart_no += 1;
                chart(chart_no, c.bars.len(), &c.description(), &mut out);
                para("Caption", None, &crate::text::chart_caption(c), &mut out);
            }
            Block::Landscape if !landscape => {
                // The portrait section ends in this paragraph's properties.
                out.push_str("<w:p><w:pPr><w:pStyle w:val=\"Plain\"/>");
                sect_pr(false, grid, &mut out);
                out.push_str("</w:pPr></w:p>");
                landscape = true;
            }
            Block::Landscape => {}
            Block::PageBreak => {
                out.push_str("<w:p><w:pPr><w:pStyle w:val=\"Plain\"/></w:pPr><w:r><w:br w:type=\"page\"/></w:r></w:p>");
            }
        }
    }
    sect_pr(landscape, grid, &mut out);
    out.push_str("</w:body></w:document>");
    out
}

fn fonts(ascii: &str, east: &str) -> String {
    format!(
        "<w:rFonts w:ascii=\"{ascii}\" w:hAnsi=\"{ascii}\" w:eastAsia=\"{east}\" w:cs=\"{ascii}\"/>"
    )
}

fn styles_xml() -> String {
    let body = fonts(FONT_BODY, FONT_BODY);
    let title = fonts(FONT_TITLE, FONT_TITLE);
    let h1 = fonts(FONT_H1, FONT_H1);
    let h2 = fonts(FONT_H2, FONT_H2);
    let page = fonts(FONT_PAGE, FONT_PAGE);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>{body}<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>\
<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:spacing w:after=\"{LINE_PITCH}\"/></w:pPr>\
<w:rPr>{title}<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>{h1}</w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr>{h2}</w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Plain\"><w:name w:val=\"Plain\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Plain\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:jc w:val=\"center\"/></w:pPr><w:rPr>{h1}<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Plain\"/><w:qFormat/>\
<w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableHead\"><w:name w:val=\"Table Heading\"/><w:basedOn w:val=\"TableText\"/><w:qFormat/>\
<w:rPr>{h1}</w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Plain\"/>\
<w:pPr><w:snapToGrid w:val=\"0\"/></w:pPr><w:rPr>{page}<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
</w:styles>"
    )
}

fn footer_xml(align: Align) -> String {
    // One character (4号 = 14 pt = 280 twips) in from the edge of the text area.
    let indent = match align {
        Align::Right => "<w:ind w:right=\"280\"/>",
        _ => "<w:ind w:left=\"280\"/>",
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"{}\"/>{indent}</w:pPr>\
<w:r><w:t xml:space=\"preserve\">— </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>",
        jc(align)
    )
}

const FONT_TABLE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/><w:charset w:val=\"86\"/><w:family w:val=\"script\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"楷体_GB2312\"><w:altName w:val=\"楷体\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>\
</w:fonts>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:evenAndOddHeaders/><w:defaultTabStop w:val=\"420\"/>\
<w:characterSpacingControl w:val=\"compressPunctuation\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>";

fn content_types(charts: usize) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>",
    );
    for n in 1..=charts {
        let _ = write!(
            out,
            "<Override PartName=\"/word/charts/chart{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"
        );
    }
    out.push_str("</Types>");
    out
}

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

fn document_rels(charts: usize) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>\
<Relationship Id=\"rIdFooterOdd\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
<Relationship Id=\"rIdFooterEven\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>",
    );
    for n in 1..=charts {
        let _ = write!(
            out,
            "<Relationship Id=\"rIdChart{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"charts/chart{n}.xml\"/>"
        );
    }
    out.push_str("</Relationships>");
    out
}

fn core_xml(title: &str) -> String {
    let mut t = String::new();
    esc(title, &mut t);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{t}</dc:title><dc:creator>jixiao</dc:creator>\
<dc:language>zh-CN</dc:language></cp:coreProperties>"
    )
}

/// Writes the document as `.docx` bytes, its charts as native chart parts.
///
/// # Errors
/// [`Error::Io`] when the archive cannot be written.
pub fn write(doc: &Document, grid: Grid) -> Result<Vec<u8>, Error> {
    let charts: Vec<&crate::model::Chart> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
        .collect();
    let io = |e: &dyn std::fmt::Display| Error::Io(format!("无法写入 .docx：{e}"));
    let mut buf = std::io::Cursor::new(Vec::with_capacity(128 * 1024));
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        let parts: [(&str, String); 9] = [
            ("[Content_Types].xml", content_types(charts.len())),
            ("_rels/.rels", ROOT_RELS.to_owned()),
            ("word/document.xml", document_xml(doc, grid)),
            ("word/_rels/document.xml.rels", document_rels(charts.len())),
            ("word/styles.xml", styles_xml()),
            ("word/settings.xml", SETTINGS.to_owned()),
            ("word/fontTable.xml", FONT_TABLE.to_owned()),
            ("word/footer1.xml", footer_xml(Align::Right)),
            ("word/footer2.xml", footer_xml(Align::Left)),
        ];
        for (name, body) in &parts {
            z.start_file(*name, opts).map_err(|e| io(&e))?;
            z.write_all(body.as_bytes()).map_err(|e| io(&e))?;
        }
        z.start_file("docProps/core.xml", opts)
            .map_err(|e| io(&e))?;
        z.write_all(core_xml(&doc.title).as_bytes())
            .map_err(|e| io(&e))?;
        for (k, c) in charts.iter().enumerate() {
            z.start_file(format!("word/charts/chart{}.xml", k + 1), opts)
                .map_err(|e| io(&e))?;
            z.write_all(crate::chart::drawingml(c).as_bytes())
                .map_err(|e| io(&e))?;
        }
        z.finish().map_err(|e| io(&e))?;
    }
    Ok(buf.into_inner())
}
