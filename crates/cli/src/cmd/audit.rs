//! `jixiao audit FILE…|DIR [--format text|json] [--rules ID,…] [--dump-text]`: checks
//! self-evaluation reports for contradictions. Exit code 0 without errors, 1 when a report
//! has errors, 2 when an input could not be read (the others are still audited).

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::{Args, ValueEnum};
use jixiao_audit::input::{self, InputError, Kind, Limits};
use jixiao_audit::{Options, Report, Severity};

use super::fail;
use crate::load::io_zh;

/// Output format.
#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum Format {
    /// 供人阅读：文件:行: 规则: 说明
    #[default]
    Text,
    /// 每个文件一行 JSON
    Json,
}

/// The `audit` command.
#[derive(Debug, Args)]
pub struct AuditCmd {
    /// 报告文件（.txt .docx .pdf .doc .wps）或文件夹
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// 只运行这些规则（逗号分隔的规则编号）
    #[arg(long, value_delimiter = ',')]
    rules: Vec<String>,
    /// 打印带行号的规范化文本（检查结果所引用的行），不做检查
    #[arg(long)]
    dump_text: bool,
}

/// What became of one file.
#[derive(Debug)]
enum Outcome {
    Audited(Report),
    Unreadable(String),
}

/// The files to audit: the files given, and the reports found in folders (recursively).
fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)
                .map_err(|e| format!("{}: 错误: 无法读取文件夹：{}", p.display(), io_zh(&e)))?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .and_then(Kind::from_extension)
            .is_some()
        {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads a report's canonical lines, converting with the distribution's tools when needed.
pub fn read_lines(path: &Path) -> Result<Vec<String>, String> {
    let fail = |msg: String| format!("{}: 错误: {msg}", path.display());
    let limits = Limits::default();
    let meta = std::fs::metadata(path).map_err(|e| fail(io_zh(&e)))?;
    if meta.is_dir() {
        return Err(fail("这是一个目录，不是文件".into()));
    }
    let kind = match path.extension().and_then(|e| e.to_str()) {
        None => Kind::Text,
        Some(ext) => Kind::from_extension(ext).ok_or_else(|| {
            fail(
                InputError::Unsupported {
                    ext: format!(".{ext}"),
                }
                .zh(),
            )
        })?,
    };
    let bytes = match kind {
        Kind::Pdf | Kind::Legacy => {
            input::convert_with_tools(path, kind).map_err(|e| fail(e.zh()))?
        }
        Kind::Text | Kind::Docx => {
            let cap = match kind {
                Kind::Text => limits.max_text as u64,
                _ => limits.max_entry,
            };
            if meta.len() > cap {
                return Err(fail(
                    InputError::TooLarge {
                        size: meta.len(),
                        limit: cap,
                    }
                    .zh(),
                ));
            }
            std::fs::read(path).map_err(|e| fail(io_zh(&e)))?
        }
    };
    input::lines_of(&bytes, kind, &limits).map_err(|e| fail(e.zh()))
}

fn audit_one(path: &Path, options: &Options) -> Outcome {
    match read_lines(path) {
        Ok(lines) => Outcome::Audited(jixiao_audit::audit_lines(lines, options)),
        Err(msg) => Outcome::Unreadable(msg),
    }
}

/// Audits every file, in parallel, with a progress bar on a terminal.
fn audit_all(files: &[PathBuf], options: &Options) -> Vec<Outcome> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(files.len().max(1));
    let bar = if files.len() > 1 && std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(files.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 份报告 {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..files.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    let o = audit_one(f, options);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(o);
                    }
                    bar.inc(1);
                }
            });
        }
    });
    bar.finish_and_clear();
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Outcome::Unreadable("内部错误：未完成".into())))
        .collect()
}

fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
    }
}

impl AuditCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let unknown: Vec<&String> = self
            .rules
            .iter()
            .filter(|r| !jixiao_audit::rules::is_rule(r))
            .collect();
        if !unknown.is_empty() {
            let ids: Vec<&str> = jixiao_audit::rules::RULES
                .iter()
                .map(|(r, _, _)| *r)
                .collect();
            return Ok(fail(&format!(
                "错误: 未知的规则编号 {}（可用：{}）",
                unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                ids.join("、")
            )));
        }
        let files = match collect(&self.paths) {
            Ok(f) => f,
            Err(msg) => return Ok(fail(&msg)),
        };
        if self.dump_text {
            return Ok(self.dump(&files));
        }
        let options = Options {
            rules: self.rules.clone(),
        };
        let outcomes = audit_all(&files, &options);
        let mut out = String::new();
        let mut err = String::new();
        let (mut errors, mut warnings, mut unreadable) = (0, 0, 0);
        let mut worst: Vec<(usize, usize, &Path)> = Vec::new();
        for (path, o) in files.iter().zip(&outcomes) {
            match o {
                Outcome::Unreadable(msg) => {
                    unreadable += 1;
                    let _ = writeln!(err, "{msg}");
                }
                Outcome::Audited(report) => {
                    errors += report.errors();
                    warnings += report.warnings();
                    worst.push((report.errors(), report.warnings(), path));
                    match self.format {
                        Format::Json => {
                            let v = serde_json::json!({
                                "file": path.display().to_string(),
                                "line_count": report.line_count,
                                "findings": report.findings,
                            });
                            let _ = writeln!(out, "{}", serde_json::to_string(&v)?);
                        }
                        Format::Text => {
                            for f in &report.findings {
                                let _ = writeln!(
                                    out,
                                    "{}:{}: {}: {}：{}",
                                    path.display(),
                                    f.lines.first().copied().unwrap_or(0),
                                    f.rule,
                                    severity_zh(f.severity),
                                    f.message
                                );
                            }
                            if files.len() == 1 {
                                let _ = writeln!(
                                    out,
                                    "{}: 共 {} 个错误，{} 个警告",
                                    path.display(),
                                    report.errors(),
                                    report.warnings()
                                );
                            }
                        }
                    }
                }
            }
        }
        if files.len() > 1 && matches!(self.format, Format::Text) {
            summary(
                &mut out,
                files.len(),
                unreadable,
                errors,
                warnings,
                &mut worst,
            );
        }
        #[expect(clippy::print_stdout, clippy::print_stderr, reason = "command output")]
        {
            print!("{out}");
            eprint!("{err}");
        }
        Ok(if unreadable > 0 {
            ExitCode::from(2)
        } else if errors > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }

    fn dump(&self, files: &[PathBuf]) -> ExitCode {
        let mut code = ExitCode::SUCCESS;
        for f in files {
            match read_lines(f) {
                Ok(lines) => {
                    let width = lines.len().to_string().len();
                    let mut out = String::new();
                    if files.len() > 1 {
                        let _ = writeln!(out, "== {}", f.display());
                    }
                    for (i, l) in lines.iter().enumerate() {
                        let _ = writeln!(out, "{:>width$}\t{l}", i + 1);
                    }
                    #[expect(clippy::print_stdout, reason = "command output")]
                    {
                        print!("{out}");
                    }
                }
                Err(msg) => {
                    code = fail(&msg);
                }
            }
        }
        code
    }
}

fn summary(
    out: &mut String,
    files: usize,
    unreadable: usize,
    errors: usize,
    warnings: usize,
    worst: &mut [(usize, usize, &Path)],
) {
    let with_errors = worst.iter().filter(|w| w.0 > 0).count();
    let _ = writeln!(
        out,
        "\n汇总：{files} 份报告，{unreadable} 份无法读取，{with_errors} 份有错误；共 {errors} 个错误，{warnings} 个警告"
    );
    worst.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let top: Vec<_> = worst.iter().filter(|w| w.0 + w.1 > 0).take(10).collect();
    if !top.is_empty() {
        let _ = writeln!(out, "问题最多的报告：");
        let _ = writeln!(out, "  错误  警告  文件");
        for (e, w, p) in top {
            let _ = writeln!(out, "  {e:>4}  {w:>4}  {}", p.display());
        }
    }
}
