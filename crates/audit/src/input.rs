//! Reading reports: text in any of the encodings Chinese offices use, and `.docx`.
//!
//! Everything here is pure (bytes in, lines out) except [`convert_with_tools`], which runs
//! the distribution's converters (pdftotext, LibreOffice) for `.pdf`, `.doc` and `.wps`.

use std::io::Read;

use thiserror::Error;

/// Limits that keep hostile input bounded in time and memory.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest text accepted, in bytes (after decoding or extraction).
    pub max_text: usize,
    /// Largest single `.docx` entry read, uncompressed.
    pub max_entry: u64,
    /// Largest compression ratio of the `.docx` main part (a zip bomb has thousands).
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_text: 32 * 1024 * 1024,
            max_entry: 64 * 1024 * 1024,
            max_ratio: 200,
        }
    }
}

/// Why a report could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputError {
    /// The bytes are not text in a supported encoding.
    #[error("not text in UTF-8, GB18030/GBK or UTF-16 with a byte-order mark")]
    Encoding,
    /// The file contains binary data.
    #[error("binary data at byte {offset}")]
    Binary {
        /// Where.
        offset: usize,
    },
    /// Larger than the limit.
    #[error("input of {size} bytes exceeds the limit of {limit}")]
    TooLarge {
        /// Size seen (may be a lower bound).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A `.docx` that is not a valid zip archive or lacks its main part.
    #[error("not a valid .docx: {why}")]
    BadDocx {
        /// Explanation.
        why: String,
    },
    /// A compressed entry whose ratio suggests a zip bomb.
    #[error("suspicious compression ratio {ratio}:1 in {entry}")]
    Bomb {
        /// The entry.
        entry: String,
        /// Ratio.
        ratio: u64,
    },
    /// A converter program is not installed.
    #[error("{program} is not installed (Debian package {package})")]
    MissingTool {
        /// The program.
        program: &'static str,
        /// The package that provides it.
        package: &'static str,
    },
    /// A converter failed.
    #[error("{program} failed: {detail}")]
    ToolFailed {
        /// The program.
        program: &'static str,
        /// Its message.
        detail: String,
    },
    /// A file type the auditor does not read.
    #[error("unsupported file type {ext}")]
    Unsupported {
        /// The extension.
        ext: String,
    },
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(String),
}

impl InputError {
    /// The message users read.
    #[must_use]
    pub fn zh(&self) -> String {
        match self {
            InputError::Encoding => {
                "无法识别文本编码：只支持 UTF-8、GB18030/GBK 和带字节序标记（BOM）的 UTF-16，请另存为 UTF-8".into()
            }
            InputError::Binary { offset } => {
                format!("文件含有二进制数据（第 {offset} 字节起），不是文本报告")
            }
            InputError::TooLarge { size, limit } => {
                format!("文件过大：{size} 字节，超过 {limit} 字节的上限")
            }
            InputError::BadDocx { why } => format!("不是有效的 .docx 文件：{why}"),
            InputError::Bomb { entry, ratio } => {
                format!(".docx 中的 {entry} 压缩比达 {ratio}:1，疑似压缩炸弹，已拒绝")
            }
            InputError::MissingTool { program, package } => format!(
                "读取此类文件需要 {program}，但系统中没有安装；请安装 Debian 软件包 {package}（apt-get install {package}）"
            ),
            InputError::ToolFailed { program, detail } => {
                format!("{program} 转换失败：{detail}")
            }
            InputError::Unsupported { ext } => format!(
                "不支持的文件类型“{ext}”：可读取 .txt、.docx、.pdf、.doc、.wps"
            ),
            InputError::Io(e) => format!("无法读取文件：{e}"),
        }
    }
}

/// Decodes a text report: UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK.
/// Anything else is refused rather than garbled.
///
/// # Errors
/// [`InputError`] when the bytes are not text in one of those encodings.
pub fn decode_text(bytes: &[u8], limits: &Limits) -> Result<String, InputError> {
    if bytes.len() > limits.max_text {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_text as u64,
        });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(str::to_owned)
            .map_err(|_| InputError::Encoding)
            .and_then(check_text);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, malformed) = enc.decode_without_bom_handling(&bytes[2..]);
        if malformed {
            return Err(InputError::Encoding);
        }
        return check_text(text.into_owned());
    }
    if let Some(i) = bytes.iter().position(|b| *b == 0) {
        // UTF-16 without a byte-order mark, or a binary file.
        return Err(if looks_utf16(bytes) {
            InputError::Encoding
        } else {
            InputError::Binary { offset: i }
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return check_text(s.to_owned());
    }
    let decoded = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes);
    match decoded {
        Some(text) if plausible_chinese(&text) => check_text(text.into_owned()),
        _ => Err(InputError::Encoding),
    }
}

fn looks_utf16(bytes: &[u8]) -> bool {
    let zeros = bytes.iter().filter(|b| **b == 0).count();
    zeros * 4 > bytes.len()
}

/// Refuses control characters other than tab, CR, LF and form feed.
fn check_text(text: String) -> Result<String, InputError> {
    if let Some((i, _)) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
    {
        return Err(InputError::Binary { offset: i });
    }
    Ok(text)
}

/// Whether text decoded as GB18030 reads like Chinese or ASCII (and not like bytes of some
/// other encoding that happened to decode).
fn plausible_chinese(text: &str) -> bool {
    let mut total = 0_usize;
    let mut good = 0_usize;
    for c in text.chars() {
        total += 1;
        let u = u32::from(c);
        if c.is_ascii()
            || (0x4E00..=0x9FA5).contains(&u)
            || (0x3000..=0x303F).contains(&u)
            || (0xFF00..=0xFFEF).contains(&u)
            || (0x2000..=0x206F).contains(&u)
            || matches!(u, 0x2100..=0x23FF | 0x2460..=0x24FF | 0x25A0..=0x25FF | 0x00B7 | 0x00D7)
        {
            good += 1;
        }
    }
    total == 0 || good * 100 >= total * 97
}

/// Splits text into lines the way editors number them (`\r\n`, `\n` or `\r`).
#[must_use]
pub fn split_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(std::mem::take(&mut cur));
            }
            '\n' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Reads the canonical lines of a `.docx`: each non-empty paragraph is a line; each table
/// row is a line with its cells joined by a tab; in document order.
///
/// # Errors
/// [`InputError`] for a file that is not a `.docx`, a zip bomb or an oversized part.
pub fn docx_lines(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, InputError> {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| InputError::BadDocx {
            why: format!("不是 zip 压缩包（{e}）"),
        })?;
    let mut entry = zip
        .by_name("word/document.xml")
        .map_err(|_| InputError::BadDocx {
            why: "缺少 word/document.xml".into(),
        })?;
    let size = entry.size();
    let packed = entry.compressed_size().max(1);
    if size > limits.max_entry {
        return Err(InputError::TooLarge {
            size,
            limit: limits.max_entry,
        });
    }
    if size / packed > limits.max_ratio && size > 1024 * 1024 {
        return Err(InputError::Bomb {
            entry: "word/document.xml".into(),
            ratio: size / packed,
        });
    }
    // The declared size may lie: read at most the limit plus one byte.
    let mut xml = Vec::new();
    (&mut entry)
        .take(limits.max_entry + 1)
        .read_to_end(&mut xml)
        .map_err(|e| InputError::BadDocx {
            why: format!("无法解压 word/document.xml（{e}）"),
        })?;
    if xml.len() as u64 > limits.max_entry {
        return Err(InputError::TooLarge {
            size: xml.len() as u64,
            limit: limits.max_entry,
        });
    }
    let lines = document_xml_lines(&xml)?;
    let total: usize = lines.iter().map(String::len).sum();
    if total > limits.max_text {
        return Err(InputError::TooLarge {
            size: total as u64,
            limit: limits.max_text as u64,
        });
    }
    Ok(lines)
}

/// The canonical lines of WordprocessingML `document.xml`.
fn document_xml_lines(xml: &[u8]) -> Result<Vec<String>, InputError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut lines = Vec::new();
    // Nesting: depth of tables, the current row's cells, the current paragraph text.
    let mut table_depth = 0_usize;
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut para = String::new();
    let mut in_text = false;
    // Columns the current cell spans (w:gridSpan): a merged cell is followed by empty cells
    // for the columns it covers, so that the row's cells stay under their headers.
    let mut span = 1_usize;
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| InputError::BadDocx {
                why: format!("document.xml 格式错误（{e}）"),
            })?;
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                "tbl" => table_depth += 1,
                "tr" if table_depth == 1 => cells.clear(),
                "tc" if table_depth == 1 => cell.clear(),
                "p" => para.clear(),
                "t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => para.push('\t'),
                "br" | "cr" => para.push(' '),
                "gridSpan" if table_depth == 1 => {
                    span = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "val")
                        .and_then(|a| a.value.parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 64);
                }
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
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
                    para.push(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    if table_depth == 0 {
                        if !para.trim().is_empty() {
                            lines.push(std::mem::take(&mut para));
                        }
                    } else {
                        let text = std::mem::take(&mut para);
                        if !text.trim().is_empty() {
                            if !cell.is_empty() {
                                cell.push(' ');
                            }
                            cell.push_str(text.trim());
                        }
                    }
                }
                "tc" if table_depth == 1 => {
                    cells.push(std::mem::take(&mut cell));
                    cells.extend((1..span).map(|_| String::new()));
                    span = 1;
                }
                "tr" if table_depth == 1 => {
                    let row = cells.join("\t");
                    if !row.trim().is_empty() {
                        lines.push(row);
                    }
                    cells.clear();
                }
                "tbl" => table_depth = table_depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(lines)
}

/// The kinds of file the auditor reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Plain text.
    Text,
    /// Office Open XML.
    Docx,
    /// PDF, via pdftotext.
    Pdf,
    /// Word 97–2003 or WPS, via LibreOffice.
    Legacy,
}

impl Kind {
    /// The kind for a file extension (case-insensitive).
    #[must_use]
    pub fn from_extension(ext: &str) -> Option<Kind> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" | "md" => Some(Kind::Text),
            "docx" => Some(Kind::Docx),
            "pdf" => Some(Kind::Pdf),
            "doc" | "wps" => Some(Kind::Legacy),
            _ => None,
        }
    }
}

/// Reads a report's canonical lines from bytes of a known kind (`.pdf`, `.doc` and `.wps`
/// need [`convert_with_tools`] first).
///
/// # Errors
/// [`InputError`] when the bytes cannot be read as that kind.
pub fn lines_of(bytes: &[u8], kind: Kind, limits: &Limits) -> Result<Vec<String>, InputError> {
    match kind {
        Kind::Docx => docx_lines(bytes, limits),
        Kind::Text | Kind::Legacy => Ok(split_lines(&decode_text(bytes, limits)?)),
        // pdftotext ends every page with a form feed.
        Kind::Pdf => Ok(split_lines(
            &decode_text(bytes, limits)?.replace('\u{c}', ""),
        )),
    }
}

/// Converts a `.pdf`, `.doc` or `.wps` file to UTF-8 text with the distribution's tools:
/// `pdftotext -layout` (poppler-utils) or `soffice --headless --convert-to txt`
/// (libreoffice-writer). This is the auditor's only IO.
///
/// # Errors
/// [`InputError::MissingTool`] naming the package when the program is absent, or
/// [`InputError::ToolFailed`].
pub fn convert_with_tools(path: &std::path::Path, kind: Kind) -> Result<Vec<u8>, InputError> {
    use std::process::Command;
    let run = |program: &'static str, package: &'static str, cmd: &mut Command| {
        cmd.output().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                InputError::MissingTool { program, package }
            } else {
                InputError::ToolFailed {
                    program,
                    detail: e.to_string(),
                }
            }
        })
    };
    match kind {
        Kind::Pdf => {
            let out = run(
                "pdftotext",
                "poppler-utils",
                Command::new("pdftotext")
                    .args(["-layout", "-enc", "UTF-8"])
                    .arg(path)
                    .arg("-"),
            )?;
            if !out.status.success() {
                return Err(InputError::ToolFailed {
                    program: "pdftotext",
                    detail: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
                });
            }
            Ok(out.stdout)
        }
        Kind::Legacy => {
            // One private folder per conversion: folders are audited in parallel and two
            // reports may share a file name.
            static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let dir = std::env::temp_dir().join(format!(
                "jixiao-convert-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&dir).map_err(|e| InputError::Io(e.to_string()))?;
            let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
            let out = run(
                "soffice",
                "libreoffice-writer",
                Command::new("soffice")
                    .arg(profile)
                    .args([
                        "--headless",
                        "--convert-to",
                        "txt:Text (encoded):UTF8",
                        "--outdir",
                    ])
                    .arg(&dir)
                    .arg(path),
            )?;
            let txt = dir.join(path.with_extension("txt").file_name().unwrap_or_default());
            let result = std::fs::read(&txt).map_err(|_| InputError::ToolFailed {
                program: "soffice",
                detail: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            });
            let _ = std::fs::remove_dir_all(&dir);
            result
        }
        Kind::Text | Kind::Docx => std::fs::read(path).map_err(|e| InputError::Io(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(b: &[u8]) -> Result<String, InputError> {
        decode_text(b, &Limits::default())
    }

    #[test]
    fn encodings_decode() {
        assert_eq!(decode("支出44.39万元".as_bytes()).unwrap(), "支出44.39万元");
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap(), "abc");
        // 支出 in GB18030.
        assert_eq!(decode(b"\xd6\xa7\xb3\xf6").unwrap(), "支出");
        // 支出 in UTF-16LE and UTF-16BE with BOMs.
        assert_eq!(decode(b"\xFF\xFE\x2f\x65\xfa\x51").unwrap(), "支出");
        assert_eq!(decode(b"\xFE\xFF\x65\x2f\x51\xfa").unwrap(), "支出");
    }

    #[test]
    fn other_bytes_are_refused_not_garbled() {
        assert_eq!(decode(b"\x2f\x00\x65\x00"), Err(InputError::Encoding));
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\x00\x00"),
            Err(InputError::Binary { offset: 8 })
        );
        // Latin-1 bytes that GB18030 decodes to unlikely characters.
        assert_eq!(
            decode(b"caf\xe9 cr\xe8me br\xfbl\xe9e"),
            Err(InputError::Encoding)
        );
    }

    #[test]
    fn lines_split_like_editors() {
        assert_eq!(split_lines("a\r\nb\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(split_lines("a\n\nb\n"), ["a", "", "b"]);
    }

    #[test]
    fn docx_that_is_not_a_zip_is_refused() {
        let e = docx_lines(b"plain text", &Limits::default()).unwrap_err();
        assert!(matches!(e, InputError::BadDocx { .. }), "{e:?}");
    }
}
