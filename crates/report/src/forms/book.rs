//! A small XLSX reader for the forms: the sheets' names and visibility, their cells, the
//! shared strings and which styles are dates. Nothing else of the workbook is read (no
//! hidden sheets, no document properties, no formulas — only their cached values).
//!
//! Written for speed on large forms (100,000 indicator rows): the sheets are inflated and
//! parsed in parallel, text cells point into the shared-string table instead of copying it,
//! and the XML is read in place without an intermediate buffer.

use std::borrow::Cow;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

/// One cell's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// An index into the shared strings.
    Shared(u32),
    /// Text stored in the cell itself.
    Text(Box<str>),
    /// A number.
    Number(f64),
    /// A number shown as a date (a serial day number).
    Date(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// An error value such as `#DIV/0!`.
    Error(Box<str>),
}

/// A sheet of the workbook as listed in workbook.xml.
#[derive(Clone, Debug)]
pub struct SheetInfo {
    /// Its name.
    pub name: String,
    /// False for hidden and very hidden sheets.
    pub visible: bool,
    path: String,
}

/// An opened workbook: the sheet list, shared strings and date styles.
#[derive(Debug)]
pub struct Book<'b> {
    bytes: &'b [u8],
    /// Sheets in workbook order.
    pub sheets: Vec<SheetInfo>,
    dates: Vec<bool>,
}

/// Rows of cells; row and column numbers from 0.
#[derive(Debug, Default)]
pub struct Cells {
    /// Rows, each as long as its last non-empty cell.
    pub rows: Vec<Vec<Cell>>,
}

/// Why a workbook cannot be read.
pub type Error = String;

fn zip_err(e: impl std::fmt::Display) -> Error {
    format!("不是有效的 XLSX 压缩包（{e}）")
}

/// The most bytes one part may inflate to: declared sizes are not trusted, and a zip bomb
/// must not take the memory.
const LIMIT: u64 = 1 << 30;

fn part(bytes: &[u8], path: &str) -> Result<Option<Vec<u8>>, Error> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_err)?;
    let mut f = match z.by_name(path) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(zip_err(e)),
    };
    let mut out = Vec::with_capacity(usize::try_from(f.size().min(LIMIT)).unwrap_or(0));
    (&mut f)
        .take(LIMIT)
        .read_to_end(&mut out)
        .map_err(|e| format!("{path} 无法解压（{e}）"))?;
    Ok(Some(out))
}

fn attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name || a.key.local_name().as_ref() == name)
        .map(|a| a.value)
}

fn attr_str(e: &BytesStart<'_>, name: &str) -> Option<String> {
    attr(e, name)
        .map(|v| quick_xml::escape::unescape(&v).map_or_else(|_| v.to_string(), Cow::into_owned))
}

fn parse_u32(v: &str) -> Option<u32> {
    v.parse().ok()
}

/// Appends the character of an entity or character reference.
fn push_ref(out: &mut String, r: &quick_xml::events::BytesRef<'_>) {
    let name: &str = r.as_ref();
    let ch = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => r.resolve_char_ref().ok().flatten(),
    };
    if let Some(c) = ch {
        out.push(c);
    }
}

impl<'b> Book<'b> {
    /// Opens a workbook held in memory.
    ///
    /// # Errors
    /// A message in Chinese when the bytes are not an XLSX workbook.
    pub fn open(bytes: &'b [u8]) -> Result<Book<'b>, Error> {
        let workbook =
            part(bytes, "xl/workbook.xml")?.ok_or("缺少 xl/workbook.xml，不是 XLSX 工作簿")?;
        let rels = part(bytes, "xl/_rels/workbook.xml.rels")?.unwrap_or_default();
        let targets = relationships(&rels)?;
        let mut sheets = Vec::new();
        let mut reader = quick_xml::Reader::from_reader(workbook.as_slice());
        loop {
            match reader
                .read_event()
                .map_err(|e| format!("workbook.xml 格式错误（{e}）"))?
            {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                    let name = attr_str(&e, "name").unwrap_or_default();
                    let state = attr_str(&e, "state").unwrap_or_default();
                    let id = attr_str(&e, "id").unwrap_or_default();
                    let target = targets
                        .iter()
                        .find(|(i, _)| *i == id)
                        .map(|(_, t)| t.clone());
                    if let Some(t) = target {
                        let path = match t.strip_prefix('/') {
                            Some(abs) => abs.to_owned(),
                            None => format!("xl/{t}"),
                        };
                        sheets.push(SheetInfo {
                            name,
                            visible: state.is_empty() || state == "visible",
                            path,
                        });
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let dates = date_styles(&part(bytes, "xl/styles.xml")?.unwrap_or_default())?;
        Ok(Book {
            bytes,
            sheets,
            dates,
        })
    }

    /// Reads the shared strings and the cells of the named sheets, in parallel; `None` for a
    /// name not in the book.
    ///
    /// # Errors
    /// A message naming the sheet whose XML cannot be read.
    pub fn read(&self, names: &[&str]) -> Result<(Vec<String>, Vec<Option<Cells>>), Error> {
        std::thread::scope(|s| {
            let strings = s.spawn(|| {
                part(self.bytes, "xl/sharedStrings.xml")
                    .and_then(|x| shared_strings(&x.unwrap_or_default()))
            });
            let handles: Vec<_> = names
                .iter()
                .map(|name| {
                    let info = self.sheets.iter().find(|i| i.name == *name);
                    info.map(|info| {
                        s.spawn(move || {
                            let mut z =
                                zip::ZipArchive::new(Cursor::new(self.bytes)).map_err(zip_err)?;
                            let f = z
                                .by_name(&info.path)
                                .map_err(|_| format!("工作表「{}」的内容缺失", info.name))?;
                            sheet_cells_from(f.take(LIMIT), &self.dates, 1 << 18)
                                .map_err(|e| format!("工作表「{}」格式错误（{e}）", info.name))
                        })
                    })
                })
                .collect();
            let cells = handles
                .into_iter()
                .map(|h| {
                    h.map(|h| {
                        h.join()
                            .unwrap_or_else(|_| Err("工作表读取失败".to_owned()))
                    })
                    .transpose()
                })
                .collect::<Result<Vec<_>, Error>>()?;
            let strings = strings
                .join()
                .unwrap_or_else(|_| Err("共享字符串读取失败".to_owned()))?;
            Ok((strings, cells))
        })
    }
}

/// `Id → Target` of workbook.xml.rels.
fn relationships(xml: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_reader(xml);
    loop {
        match reader
            .read_event()
            .map_err(|e| format!("workbook.xml.rels 格式错误（{e}）"))?
        {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(t)) = (attr_str(&e, "Id"), attr_str(&e, "Target")) {
                    out.push((id, t));
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

fn shared_strings(xml: &[u8]) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut cur = String::new();
    let (mut in_t, mut in_phonetic) = (false, false);
    loop {
        match reader
            .read_event()
            .map_err(|e| format!("sharedStrings.xml 格式错误（{e}）"))?
        {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => cur.clear(),
                "t" => in_t = true,
                "rPh" => in_phonetic = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => out.push(String::new()),
            Event::Text(t) if in_t && !in_phonetic => cur.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t && !in_phonetic => push_ref(&mut cur, &r),
            Event::End(e) => match e.local_name().as_ref() {
                "si" => out.push(std::mem::take(&mut cur)),
                "t" => in_t = false,
                "rPh" => in_phonetic = false,
                _ => {}
            },
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// For each cell style (cellXfs entry), whether its number format shows a date.
fn date_styles(xml: &[u8]) -> Result<Vec<bool>, Error> {
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut xfs = Vec::new();
    let mut in_xfs = false;
    let mut reader = quick_xml::Reader::from_reader(xml);
    loop {
        match reader
            .read_event()
            .map_err(|e| format!("styles.xml 格式错误（{e}）"))?
        {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    let id = attr(&e, "numFmtId").and_then(|v| parse_u32(&v));
                    let code = attr_str(&e, "formatCode").unwrap_or_default();
                    if let Some(id) = id {
                        custom.push((id, is_date_format(&code)));
                    }
                }
                "cellXfs" => in_xfs = true,
                "xf" if in_xfs => {
                    let id = attr(&e, "numFmtId")
                        .and_then(|v| parse_u32(&v))
                        .unwrap_or(0);
                    let date = custom.iter().find(|(c, _)| *c == id).map_or(
                        matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58),
                        |(_, d)| *d,
                    );
                    xfs.push(date);
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_xfs = false,
            Event::Eof => return Ok(xfs),
            _ => {}
        }
    }
}

/// Whether a number format code shows a date: it has y, m or d outside quotes and brackets.
fn is_date_format(code: &str) -> bool {
    let (mut quoted, mut bracket) = (false, false);
    for ch in code.chars() {
        match ch {
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            'y' | 'Y' | 'd' | 'D' | 'm' | 'M' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// Row and column (from 0) of a reference such as `AB12`.
fn cell_ref(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col = 0_u32;
    for b in &r[..letters] {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    let row = std::str::from_utf8(&r[letters..])
        .ok()?
        .parse::<u32>()
        .ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The most rows and columns a sheet may have (Excel's limits).
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLS: u32 = 16_384;

/// Reads a worksheet's cells from its XML with a small scanner: SpreadsheetML cells are
/// `<c r="B5" t="s" s="3"><v>12</v></c>` (or `<is><t>…</t></is>` for inline text), and
/// everything else in the sheet (formats, merges, page set-up) is skipped. About three
/// times faster than a general XML parser on large forms.
#[cfg(test)]
fn sheet_cells(xml: &[u8], dates: &[bool]) -> Result<Cells, String> {
    let mut cells = Cells::default();
    scan(xml, true, &mut Scan::default(), &mut cells, dates)?;
    Ok(cells)
}

/// Reads a worksheet from a stream in chunks, so that a large sheet's XML is never held
/// whole (and its memory never faulted in page by page).
fn sheet_cells_from(
    mut stream: impl Read,
    dates: &[bool],
    chunk_size: usize,
) -> Result<Cells, String> {
    let mut cells = Cells::default();
    let mut state = Scan::default();
    let mut chunk = vec![0_u8; chunk_size.max(1)];
    let mut buf: Vec<u8> = Vec::with_capacity(2 * chunk.len());
    loop {
        // Fill a whole chunk (readers may hand out less per call), then scan.
        let (mut got, mut last) = (0, false);
        while got < chunk.len() {
            let n = stream.read(&mut chunk[got..]).map_err(|e| e.to_string())?;
            if n == 0 {
                last = true;
                break;
            }
            got += n;
        }
        buf.extend_from_slice(&chunk[..got]);
        let used = scan(&buf, last, &mut state, &mut cells, dates)?;
        buf.drain(..used);
        if last {
            return Ok(cells);
        }
    }
}

/// Where the scanner stands between chunks.
#[derive(Debug, Default)]
struct Scan {
    row: u32,
    col: u32,
    next_row: u32,
}

/// Scans `xml` for rows and cells and returns how many bytes it used. Unless `last`, an
/// element cut off at the end of `xml` is left for the next chunk.
fn scan(
    xml: &[u8],
    last: bool,
    st: &mut Scan,
    cells: &mut Cells,
    dates: &[bool],
) -> Result<usize, String> {
    let (mut row, mut col, mut next_row) = (st.row, st.col, st.next_row);
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &xml[at..]) {
        let open = at + lt;
        let start = open + 1;
        // End tags, declarations and comments carry nothing: skip them without looking.
        if matches!(xml.get(start), Some(b'/' | b'?' | b'!')) {
            at = start;
            continue;
        }
        let name_end = start
            + xml[start..]
                .iter()
                .position(|b| matches!(b, b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(xml.len() - start);
        let name = local(&xml[start..name_end]);
        let Some(gt) = memchr::memchr(b'>', &xml[name_end..]) else {
            if !last {
                at = open;
                break;
            }
            return Err("标签没有结束".into());
        };
        let tag_end = name_end + gt;
        let attrs = &xml[name_end..tag_end];
        let empty = attrs.last() == Some(&b'/');
        match name {
            b"row" => {
                at = tag_end + 1;
                row = xml_attr(attrs, b"r")
                    .and_then(|v| std::str::from_utf8(v).ok()?.parse::<u32>().ok())
                    .and_then(|r| r.checked_sub(1))
                    .unwrap_or(next_row);
                next_row = row + 1;
                col = 0;
            }
            b"c" => {
                let content = tag_end + 1;
                let close = if empty {
                    None
                } else {
                    find_close(&xml[content..], b"c")
                };
                if !empty && close.is_none() {
                    if !last {
                        at = open;
                        break;
                    }
                    return Err(format!("第{}行的单元格没有结束", row + 1));
                }
                let (r_attr, t_attr, s_attr) = cell_attrs(attrs);
                if let Some((r, c)) = r_attr.and_then(cell_ref) {
                    row = r;
                    col = c;
                }
                at = content;
                if let Some(close) = close {
                    let inner = &xml[content..content + close.0];
                    at = content + close.1;
                    let kind = t_attr.unwrap_or(b"n");
                    let date = s_attr
                        .and_then(digits)
                        .and_then(|s| dates.get(s as usize).copied())
                        .unwrap_or(false);
                    let cell = cell_value(inner, kind, date);
                    if cell != Cell::Empty {
                        if row >= MAX_ROWS || col >= MAX_COLS {
                            return Err(format!(
                                "单元格超出范围（第{}行第{}列）",
                                row + 1,
                                col + 1
                            ));
                        }
                        let r = row as usize;
                        if cells.rows.len() <= r {
                            // Rows of a form are alike: start a row as long as the last one.
                            let hint = cells.rows.last().map_or(0, Vec::len);
                            cells.rows.resize_with(r + 1, || Vec::with_capacity(hint));
                        }
                        let line = &mut cells.rows[r];
                        let c = col as usize;
                        if line.len() <= c {
                            line.resize(c + 1, Cell::Empty);
                        }
                        line[c] = cell;
                    }
                }
                col += 1;
            }
            _ => at = tag_end + 1,
        }
    }
    if last || memchr::memchr(b'<', &xml[at..]).is_none() {
        at = xml.len();
    }
    *st = Scan { row, col, next_row };
    Ok(at)
}

/// The local part of a possibly prefixed name (`x:c` → `c`).
fn local(name: &[u8]) -> &[u8] {
    name.iter()
        .position(|&b| b == b':')
        .map_or(name, |i| &name[i + 1..])
}

/// The end of the content of element `name` (its `</name>`, or a prefixed `</x:name>`):
/// (length of the content, length including the closing tag).
fn find_close(hay: &[u8], name: &[u8]) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'<', &hay[from..]) {
        let lt = from + i;
        if hay.get(lt + 1) != Some(&b'/') {
            from = lt + 1;
            continue;
        }
        let s = lt + 2;
        let gt = s + memchr::memchr(b'>', &hay[s..])?;
        if local(hay[s..gt].trim_ascii()) == name {
            return Some((lt, gt + 1));
        }
        from = gt + 1;
    }
    None
}

/// An attribute value, as bytes of the XML.
type Attr<'x> = Option<&'x [u8]>;

/// The `r`, `t` and `s` attributes of a cell's start tag, in one pass.
fn cell_attrs(attrs: &[u8]) -> (Attr<'_>, Attr<'_>, Attr<'_>) {
    let (mut r, mut t, mut s) = (None, None, None);
    let mut i = 0;
    while let Some(eq) = memchr::memchr(b'=', &attrs[i..]) {
        let key = local(attrs[i..i + eq].trim_ascii());
        let q = i + eq + 1;
        let Some(&quote) = attrs.get(q) else { break };
        let Some(len) = memchr::memchr(quote, &attrs[q + 1..]) else {
            break;
        };
        let value = &attrs[q + 1..q + 1 + len];
        match key {
            b"r" => r = Some(value),
            b"t" => t = Some(value),
            b"s" => s = Some(value),
            _ => {}
        }
        i = q + 2 + len;
    }
    (r, t, s)
}

/// The value of attribute `key` in the text of a start tag.
fn xml_attr<'x>(attrs: &'x [u8], key: &[u8]) -> Option<&'x [u8]> {
    let mut i = 0;
    while i < attrs.len() {
        while i < attrs.len() && attrs[i].is_ascii_whitespace() {
            i += 1;
        }
        let k0 = i;
        while i < attrs.len() && attrs[i] != b'=' && !attrs[i].is_ascii_whitespace() {
            i += 1;
        }
        let k = &attrs[k0..i];
        while i < attrs.len() && (attrs[i] == b'=' || attrs[i].is_ascii_whitespace()) {
            i += 1;
        }
        let quote = *attrs.get(i)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let v0 = i + 1;
        let v1 = v0 + memchr::memchr(quote, &attrs[v0..])?;
        if local(k) == key {
            return Some(&attrs[v0..v1]);
        }
        i = v1 + 1;
    }
    None
}

/// The text content of the first `<name>` element in `inner`, or of all of them joined
/// (inline rich text has several `<t>`).
fn element_text(inner: &[u8], name: &[u8], all: bool) -> Option<String> {
    let mut out: Option<String> = None;
    let mut from = 0;
    while let Some(lt) = memchr::memchr(b'<', &inner[from..]) {
        let s = from + lt + 1;
        let gt = s + memchr::memchr(b'>', &inner[s..])?;
        let tag = &inner[s..gt];
        let tag_name_end = tag
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(tag.len());
        from = gt + 1;
        if local(&tag[..tag_name_end]) != name || tag.first() == Some(&b'/') {
            continue;
        }
        let text = if tag.last() == Some(&b'/') {
            String::new()
        } else {
            let (len, total) = find_close(&inner[from..], name)?;
            let t = unescape(&inner[from..from + len]);
            from += total;
            t
        };
        out.get_or_insert_with(String::new).push_str(&text);
        if !all {
            break;
        }
    }
    out
}

/// XML text with its entity and character references resolved.
fn unescape(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    if !text.contains('&') {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else { break };
        let name = &rest[1..end];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A whole number written in ASCII digits (at most nine, so it fits).
fn digits(v: &[u8]) -> Option<u32> {
    if v.is_empty() || v.len() > 9 || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(v.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

fn cell_value(inner: &[u8], kind: &[u8], date: bool) -> Cell {
    // The common case, `<v>12</v>` without references, is read in place.
    if kind != b"inlineStr"
        && let Some(rest) = inner.strip_prefix(b"<v>")
        && let Some(end) = memchr::memchr(b'<', rest)
        && !rest[..end].contains(&b'&')
    {
        let raw = &rest[..end];
        if kind == b"s"
            && let Some(i) = digits(raw)
        {
            return Cell::Shared(i);
        }
        if let Ok(v) = std::str::from_utf8(raw) {
            return typed(v, kind, date);
        }
    }
    let value = if kind == b"inlineStr" {
        element_text(inner, b"t", true)
    } else {
        element_text(inner, b"v", false)
    };
    value.map_or(Cell::Empty, |v| typed(&v, kind, date))
}

/// A cell's value text as the cell type says.
fn typed(value: &str, kind: &[u8], date: bool) -> Cell {
    if value.is_empty() {
        return Cell::Empty;
    }
    let v = value.trim();
    match kind {
        b"s" => v.parse().map_or(Cell::Empty, Cell::Shared),
        b"str" | b"inlineStr" | b"d" => Cell::Text(value.into()),
        b"b" => Cell::Bool(v == "1" || v.eq_ignore_ascii_case("true")),
        b"e" => Cell::Error(v.into()),
        _ => match v.parse::<f64>() {
            Ok(n) if date => Cell::Date(n),
            Ok(n) => Cell::Number(n),
            Err(_) => Cell::Text(v.into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_date_formats() {
        assert_eq!(cell_ref(b"A1"), Some((0, 0)));
        assert_eq!(cell_ref(b"AB12"), Some((11, 27)));
        assert_eq!(cell_ref(b"1A"), None);
        assert!(is_date_format("yyyy-mm-dd"));
        assert!(is_date_format("yyyy\"年\"m\"月\"d\"日\""));
        assert!(!is_date_format("#,##0.00"));
        assert!(!is_date_format("0.00%"));
        assert!(!is_date_format("[Red]0.00"));
    }

    #[test]
    fn shared_strings_join_runs_and_skip_phonetics() {
        let xml = br#"<sst><si><t>A&amp;B</t></si><si><r><t>x</t></r><r><t xml:space="preserve"> y</t></r><rPh><t>ignored</t></rPh></si><si/></sst>"#;
        assert_eq!(shared_strings(xml).unwrap_or_default(), ["A&B", "x y", ""]);
    }

    #[test]
    fn cells_of_every_kind() {
        let xml = br#"<worksheet><sheetData><row r="2"><c r="B2" t="s"><v>3</v></c><c t="inlineStr"><is><t>in&lt;line</t></is></c><c r="E2" s="1"><v>44927</v></c><c r="F2"><v>12.5</v></c><c r="G2" t="b"><v>1</v></c></row></sheetData></worksheet>"#;
        let cells = sheet_cells(&xml[..], &[false, true]).unwrap_or_default();
        assert_eq!(cells.rows.len(), 2);
        assert_eq!(
            cells.rows[1],
            [
                Cell::Empty,
                Cell::Shared(3),
                Cell::Text("in<line".into()),
                Cell::Empty,
                Cell::Date(44927.0),
                Cell::Number(12.5),
                Cell::Bool(true)
            ]
        );
    }

    /// A reader that hands out a few bytes at a time, so that elements are cut anywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_sheet_read_in_pieces_is_the_sheet_read_whole() {
        let mut xml = String::from("<?xml version=\"1.0\"?><worksheet><sheetData>");
        for r in 1..=200 {
            xml.push_str(&format!(
                "<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>{r}</v></c><c r=\"B{r}\" s=\"1\"><v>4492{}</v></c>\
                 <c r=\"C{r}\" t=\"inlineStr\"><is><t>行&amp;{r}</t></is></c><c r=\"D{r}\" s=\"0\"/></row>",
                r % 10
            ));
        }
        xml.push_str("</sheetData><mergeCells count=\"0\"/></worksheet>");
        let whole = sheet_cells(xml.as_bytes(), &[false, true]).unwrap_or_default();
        assert_eq!(whole.rows.len(), 200);
        for step in [1, 3, 7, 64, 1000] {
            let pieces = sheet_cells_from(Trickle(xml.as_bytes(), 5), &[false, true], step)
                .unwrap_or_default();
            assert_eq!(pieces.rows, whole.rows, "{step} bytes at a time");
        }
    }
}
