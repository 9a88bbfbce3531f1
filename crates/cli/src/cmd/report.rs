//! `jixiao report FILE --format docx|pdf|html|txt|json|xlsx [--out PATH] [--framework NAME|PATH]`:
//! generates the self-evaluation report (or, with xlsx, the official forms) from a project file. The generated text is audited
//! first; a contradiction stops generation (exit 1) and nothing is written.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use jixiao_core::scoring;
use jixiao_report::Error;

use super::fail_with as fail;
use super::write_atomic;
use crate::load;

/// Output format.
#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum Format {
    /// Word 文档（GB/T 9704 版式）
    #[default]
    Docx,
    /// PDF（由 LibreOffice 转换 DOCX）
    Pdf,
    /// 网页（无障碍，可打印）
    Html,
    /// 带行号的纯文本（审核所用的规范化文本）
    Txt,
    /// 报告的结构与数据（JSON），供其他程序排版
    Json,
    /// 官方表格（XLSX）：绩效目标申报表、项目支出绩效自评表、指标体系评分表、支出明细
    Xlsx,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Txt => "txt",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }
}

/// The `report` command.
#[derive(Debug, Args)]
pub struct ReportCmd {
    /// 项目文件（TOML）
    file: PathBuf,
    /// 输出格式
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// 输出文件（默认：<年度><项目名称>支出绩效自评报告.<扩展名>，写在当前目录）
    #[arg(long)]
    out: Option<PathBuf>,
    /// 指标体系框架：内置名称或框架文件路径（默认用项目文件指定的框架）
    #[arg(long)]
    framework: Option<String>,
}

impl ReportCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (project, psrc, _warnings) = match load::project(&self.file) {
            Ok(v) => v,
            Err(load::Invalid(msg)) => return Ok(fail(&msg, 2)),
        };
        let Some(spec) = self
            .framework
            .as_deref()
            .or(project.framework_name())
            .map(str::to_owned)
        else {
            return Ok(fail(
                &format!(
                    "{}: 错误: 项目文件没有指定指标体系框架（evaluation.framework），请用 --framework 指定",
                    self.file.display()
                ),
                2,
            ));
        };
        let (fw, fsrc) = match load::framework(&spec, self.file.parent()) {
            Ok(v) => v,
            Err(load::Invalid(msg)) => return Ok(fail(&msg, 2)),
        };
        let scored = scoring::score(&fw, &project);
        if scored.has_errors() {
            let errors: Vec<_> = scored
                .diagnostics()
                .into_iter()
                .filter(jixiao_core::diag::Diagnostic::is_error)
                .collect();
            return Ok(fail(&load::render(&errors, Some(&psrc), Some(&fsrc)), 2));
        }
        if self.format == Format::Xlsx {
            let path = self
                .out
                .clone()
                .unwrap_or_else(|| PathBuf::from(super::forms_file_name(&project)));
            return Ok(super::write_forms(&scored, &path));
        }
        // The numbered text is printed even when the audit fails: it is what the findings
        // refer to.
        if self.format == Format::Txt && self.out.is_none() {
            let document = match jixiao_report::compose::compose(&scored) {
                Ok(d) => d,
                Err(e) => {
                    return Ok(fail(
                        &format!("{}: 错误: {}", self.file.display(), e.zh()),
                        2,
                    ));
                }
            };
            let lines = jixiao_report::text::lines(&document);
            let mut out = String::new();
            let width = lines.len().to_string().len();
            for (i, l) in lines.iter().enumerate() {
                let _ = writeln!(out, "{:>width$}\t{l}", i + 1);
            }
            #[expect(clippy::print_stdout, reason = "command output")]
            {
                print!("{out}");
            }
        }
        // Word and WPS lay out the 28-character grid; LibreOffice, which makes the PDF, is
        // given a lines-only grid (see jixiao_report::docx::Grid).
        let grid = if self.format == Format::Pdf {
            jixiao_report::docx::Grid::Lines
        } else {
            jixiao_report::docx::Grid::LinesAndChars
        };
        let prepared = match self.format {
            Format::Docx | Format::Pdf => {
                jixiao_report::docx(&scored, grid).map(|(bytes, c)| (Some(bytes), c))
            }
            Format::Html | Format::Txt | Format::Json | Format::Xlsx => {
                jixiao_report::prepare(&scored).map(|c| (None, c))
            }
        };
        let (docx, checked) = match prepared {
            Ok(v) => v,
            Err(Error::Contradictions(report)) => {
                let mut msg = format!(
                    "{}: 错误: {}\n",
                    self.file.display(),
                    Error::Contradictions(report.clone()).zh()
                );
                for f in report
                    .findings
                    .iter()
                    .filter(|f| f.severity == jixiao_audit::Severity::Error)
                {
                    let _ = writeln!(
                        msg,
                        "生成的报告第{}行: {}: {}",
                        f.lines.first().copied().unwrap_or(0),
                        f.rule,
                        f.message
                    );
                }
                let _ = writeln!(
                    msg,
                    "（用 jixiao report {} --format txt 查看带行号的报告文本）",
                    self.file.display()
                );
                return Ok(fail(&msg, 1));
            }
            Err(e) => {
                return Ok(fail(
                    &format!("{}: 错误: {}", self.file.display(), e.zh()),
                    2,
                ));
            }
        };
        if self.format == Format::Txt && self.out.is_none() {
            return Ok(ExitCode::SUCCESS);
        }
        let bytes = match self.format {
            Format::Docx => docx.unwrap_or_default(),
            Format::Pdf => match jixiao_report::pdf::from_docx(&docx.unwrap_or_default()) {
                Ok(p) => p,
                Err(e) => return Ok(fail(&format!("错误: {}", e.zh()), 2)),
            },
            Format::Html => jixiao_report::html::write(&checked.document).into_bytes(),
            Format::Json => {
                let mut v = serde_json::to_vec_pretty(&checked.document)?;
                v.push(b'\n');
                v
            }
            Format::Txt | Format::Xlsx => {
                let mut s = checked.lines.join("\n");
                s.push('\n');
                s.into_bytes()
            }
        };
        let path = self.out.clone().unwrap_or_else(|| {
            PathBuf::from(format!("{}.{}", checked.document.title, self.format.ext()))
        });
        if let Err(msg) = write_atomic(&path, &bytes) {
            return Ok(fail(&msg, 2));
        }
        let warnings = checked.audit.warnings();
        let mut msg = format!("已生成：{}", path.display());
        if warnings > 0 {
            let _ = write!(msg, "（审核无错误，{warnings} 个警告：");
            let shown: Vec<String> = checked
                .audit
                .findings
                .iter()
                .take(3)
                .map(|f| f.message.clone())
                .collect();
            let _ = write!(msg, "{}", shown.join("；"));
            if warnings > 3 {
                msg.push_str("……");
            }
            msg.push('）');
        } else {
            msg.push_str("（审核无错误、无警告）");
        }
        #[expect(clippy::print_stdout, reason = "command output")]
        {
            println!("{msg}");
        }
        Ok(ExitCode::SUCCESS)
    }
}
