//! Writes a [`Document`] as one accessible HTML page: `lang="zh-CN"`, headings in order
//! (the title is the only `h1`), tables with `<caption>`, `scope` on every header cell and
//! `rowspan`/`colspan` for merged cells, charts as inline SVG with a title and a description,
//! and print CSS for A4 with the GB/T 9704 margins.

use std::fmt::Write as _;

use crate::esc;
use crate::model::{Align, Block, Document, Merge, Table};

const STYLE: &str = "
:root { color: #111; background: #fff; }
body { margin: 0; font-family: 'FangSong_GB2312', '仿宋_GB2312', FangSong, STFangsong, 'Noto Serif CJK SC', serif; font-size: 1.125rem; line-height: 1.8; }
main { max-width: 48rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
h1 { font-family: '方正小标宋简体', 'FZXiaoBiaoSong-B05S', 'Noto Serif CJK SC', serif; font-weight: normal; font-size: 1.75rem; text-align: center; margin: 1rem 0 2rem; }
h2 { font-family: '黑体', SimHei, 'Noto Sans CJK SC', sans-serif; font-weight: normal; font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
h3 { font-family: '楷体_GB2312', KaiTi, 'AR PL UKai CN', serif; font-weight: normal; font-size: 1.2rem; margin: 1rem 0 .5rem; }
h4 { font-size: 1.125rem; margin: .75rem 0 .25rem; }
p { text-indent: 2em; margin: 0 0 .5rem; }
p.plain { text-indent: 0; }
p.right { text-align: right; }
p.center { text-align: center; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.25rem; font-size: .95rem; line-height: 1.5; }
caption { font-family: '黑体', SimHei, 'Noto Sans CJK SC', sans-serif; padding: .25rem; }
th, td { border: 1px solid #333; padding: .25rem .4rem; vertical-align: middle; }
thead th { background: #eef1f6; font-weight: bold; }
th[scope=row] { text-align: left; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.center { text-align: center; }
.table-wrap { overflow-x: auto; }
.table-wrap:focus { outline: 3px solid #1a56db; outline-offset: 2px; }
figure { margin: .5rem 0 1.25rem; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-family: '黑体', SimHei, 'Noto Sans CJK SC', sans-serif; }
.page-break { break-before: page; }
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page wide { size: A4 landscape; margin: 28mm 35mm 26mm 37mm; }
section.landscape { page: wide; break-before: page; }
@media print {
  body { font-size: 16pt; line-height: 28.95pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 22pt; }
  h2, h3, h4 { font-size: 16pt; break-after: avoid; }
  table { font-size: 12pt; }
  tr, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
}
";

fn table(t: &Table, k: usize, out: &mut String) {
    // A wide table scrolls on its own and can be reached by keyboard to do so.
    let _ = write!(
        out,
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"table-{k}\"><table><caption id=\"table-{k}\">"
    );
    esc(&t.caption, out);
    out.push_str("</caption>");
    // Row spans: how many rows each Start cell covers.
    let rows: Vec<&Vec<crate::model::Cell>> = t.body.iter().collect();
    let span_of = |r: usize, c: usize| -> usize {
        let mut n = 1;
        while rows
            .get(r + n)
            .and_then(|row| row.get(c))
            .is_some_and(|x| x.merge == Merge::Continue)
        {
            n += 1;
        }
        n
    };
    if !t.head.is_empty() {
        out.push_str("<thead>");
        for r in &t.head {
            out.push_str("<tr>");
            for c in r {
                out.push_str("<th scope=\"col\"");
                if c.span > 1 {
                    let _ = write!(out, " colspan=\"{}\"", c.span);
                }
                out.push('>');
                esc(&c.text, out);
                out.push_str("</th>");
            }
            out.push_str("</tr>");
        }
        out.push_str("</thead>");
    }
    out.push_str("<tbody>");
    for (ri, r) in rows.iter().enumerate() {
        out.push_str("<tr>");
        for (ci, c) in r.iter().enumerate() {
            if c.merge == Merge::Continue {
                continue;
            }
            let tag = if c.row_header || (c.merge == Merge::Start && ci == 0) {
                "th"
            } else {
                "td"
            };
            let _ = write!(out, "<{tag}");
            if tag == "th" {
                let scope = if c.merge == Merge::Start {
                    "rowgroup"
                } else {
                    "row"
                };
                let _ = write!(out, " scope=\"{scope}\"");
            }
            if c.span > 1 {
                let _ = write!(out, " colspan=\"{}\"", c.span);
            }
            if c.merge == Merge::Start {
                let _ = write!(out, " rowspan=\"{}\"", span_of(ri, ci));
            }
            match c.align {
                Align::Right if tag == "td" => out.push_str(" class=\"num\""),
                Align::Center if tag == "td" => out.push_str(" class=\"center\""),
                _ => {}
            }
            out.push('>');
            esc(&c.text, out);
            let _ = write!(out, "</{tag}>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
}

/// The document as an HTML page.
#[must_use]
pub fn write(doc: &Document) -> String {
    let mut out = String::with_capacity(256 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc(&doc.title, &mut out);
    let _ = write!(
        out,
        "</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
    );
    let (mut tables, mut charts) = (0, 0);
    let mut break_next = false;
    let mut landscape = false;
    for b in &doc.blocks {
        let brk = if std::mem::take(&mut break_next) {
            " class=\"page-break\""
        } else {
            ""
        };
        match b {
            Block::Title(t) => {
                out.push_str("<h1>");
                esc(t, &mut out);
                out.push_str("</h1>\n");
            }
            Block::Heading { level, text } => {
                let h = level.clamp(&1, &3) + 1;
                let _ = write!(out, "<h{h}{brk}>");
                esc(text, &mut out);
                let _ = writeln!(out, "</h{h}>");
            }
            Block::Para(t) => {
                let _ = write!(out, "<p{brk}>");
                esc(t, &mut out);
                out.push_str("</p>\n");
            }
            Block::Plain { text, align } => {
                let class = match align {
                    Align::Left => "plain",
                    Align::Center => "plain center",
                    Align::Right => "plain right",
                };
                let class = if brk.is_empty() {
                    class.to_owned()
                } else {
                    format!("{class} page-break")
                };
                let _ = write!(out, "<p class=\"{class}\">");
                esc(text, &mut out);
                out.push_str("</p>\n");
            }
            Block::Table(t) => {
                tables += 1;
                table(t, tables, &mut out);
                out.push('\n');
            }
            Block::Chart(c) => {
                charts += 1;
                out.push_str("<figure>");
                out.push_str(&crate::chart::svg(c, &format!("chart-{charts}")));
                out.push_str("<figcaption>");
                esc(&c.title, &mut out);
                out.push_str("</figcaption></figure>\n");
            }
            Block::PageBreak => break_next = true,
            Block::Landscape => {
                if !landscape {
                    out.push_str("<section class=\"landscape\">\n");
                    landscape = true;
                }
            }
        }
    }
    if landscape {
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
