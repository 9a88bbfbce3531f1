//! Loading project and framework files, and printing their diagnostics as `file:line:col`.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use jixiao_core::builtin;
use jixiao_core::diag::{Diagnostic, Origin, Severity};
use jixiao_core::file::{Loaded, SourceMap, line_col};
use jixiao_core::framework::Framework;
use jixiao_core::project::Project;

/// A file that was read, kept for locating diagnostics.
#[derive(Debug)]
pub struct Source {
    /// The path as the user gave it (or `内置:NAME`).
    pub label: String,
    /// The text (empty when it could not be decoded).
    pub text: String,
    /// Field spans.
    pub map: SourceMap,
}

/// The reason a load failed, already rendered for the user.
#[derive(Debug)]
pub struct Invalid(pub String);

/// A Chinese description of an IO error.
pub fn io_zh(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "文件不存在".into(),
        io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        io::ErrorKind::IsADirectory => "这是一个目录，不是文件".into(),
        io::ErrorKind::InvalidData => "文件内容无法读取".into(),
        _ => format!("读取失败（{e}）"),
    }
}

/// Reads a file's bytes, refusing directories and unreadable paths with a Chinese message.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Invalid> {
    if path.is_dir() {
        return Err(Invalid(format!(
            "{}: 错误: 这是一个目录，不是文件",
            path.display()
        )));
    }
    std::fs::read(path).map_err(|e| Invalid(format!("{}: 错误: {}", path.display(), io_zh(&e))))
}

/// Renders diagnostics as `file:line:col: 错误: field: message`, errors first.
pub fn render(
    diags: &[Diagnostic],
    project: Option<&Source>,
    framework: Option<&Source>,
) -> String {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| d.severity);
    let mut out = String::new();
    for d in sorted {
        let label = match d.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let src = d.at.as_ref().and_then(|l| match l.origin {
            Origin::Project => project,
            Origin::Framework => framework,
        });
        let path = d.at.as_ref().map_or("", |l| l.path.as_str());
        let place = match src {
            Some(s) => {
                let span = s.map.span(if path.is_empty() { "" } else { path });
                match span {
                    Some(sp) if !s.text.is_empty() => {
                        let lc = line_col(&s.text, sp.start);
                        format!("{}:{}:{}", s.label, lc.line, lc.col)
                    }
                    _ => s.label.clone(),
                }
            }
            None => String::new(),
        };
        let field = if path.is_empty() || path == "<syntax>" {
            String::new()
        } else {
            format!("字段 {path}: ")
        };
        if place.is_empty() {
            let _ = writeln!(out, "{label}: {field}{}", d.problem);
        } else {
            let _ = writeln!(out, "{place}: {label}: {field}{}", d.problem);
        }
    }
    out
}

/// Loads a project file; on any error returns the rendered diagnostics.
pub fn project(path: &Path) -> Result<(Project, Source, Vec<Diagnostic>), Invalid> {
    let bytes = read_bytes(path)?;
    let Loaded {
        value,
        diagnostics,
        map,
    } = jixiao_core::file::project::read(&bytes);
    let src = Source {
        label: path.display().to_string(),
        text: String::from_utf8(bytes).unwrap_or_default(),
        map,
    };
    match value {
        Some(p) if !jixiao_core::diag::has_errors(&diagnostics) => Ok((p, src, diagnostics)),
        _ => Err(Invalid(render(&diagnostics, Some(&src), None))),
    }
}

/// Finds a framework by built-in name or path. `base` is the directory that a relative path
/// named inside a project file is resolved against.
pub fn framework(spec: &str, base: Option<&Path>) -> Result<(Framework, Source), Invalid> {
    if let Some(src) = builtin::source(spec) {
        let fw = builtin::load(spec).map_err(|e| Invalid(format!("内置框架 {spec} 有误：{e}")))?;
        return Ok((
            fw,
            Source {
                label: format!("内置框架:{spec}"),
                text: src.to_owned(),
                map: SourceMap::default(),
            },
        ));
    }
    let mut path = PathBuf::from(spec);
    if path.is_relative()
        && let Some(b) = base
        && !path.exists()
    {
        path = b.join(spec);
    }
    if !path.exists() {
        let names: Vec<&str> = builtin::BUILTIN.iter().map(|(n, _, _)| *n).collect();
        return Err(Invalid(format!(
            "错误: 未知的指标体系框架“{spec}”：既不是内置框架（{}），也不是存在的文件",
            names.join("、")
        )));
    }
    let bytes = read_bytes(&path)?;
    let Loaded {
        value,
        diagnostics,
        map,
    } = jixiao_core::file::framework::read(&bytes);
    let src = Source {
        label: path.display().to_string(),
        text: String::from_utf8(bytes).unwrap_or_default(),
        map,
    };
    match value {
        Some(fw) if !jixiao_core::diag::has_errors(&diagnostics) => Ok((fw, src)),
        _ => Err(Invalid(render(&diagnostics, None, Some(&src)))),
    }
}
