//! `jixiao convert IN OUT [--framework NAME|PATH]`: converts between the project file (.toml)
//! and the official forms (.xlsx); the direction follows the extensions. Nothing is written
//! when the input has any problem (exit 2); warnings are printed and the output is written.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use jixiao_core::scoring;

use super::{fail, write_atomic, write_forms};
use crate::load;

/// The `convert` command.
#[derive(Debug, Args)]
pub struct ConvertCmd {
    /// 输入文件：项目文件（.toml）或官方表格（.xlsx）
    input: PathBuf,
    /// 输出文件：.xlsx 或 .toml（方向由扩展名决定）
    output: PathBuf,
    /// 指标体系框架：内置名称或框架文件路径（默认用文件中指定的框架）
    #[arg(long)]
    framework: Option<String>,
}

fn ext(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

impl ConvertCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        Ok(
            match (ext(&self.input).as_str(), ext(&self.output).as_str()) {
                ("toml", "xlsx") => self.to_forms(),
                ("xlsx", "toml") => self.to_project(),
                (a, b) => fail(&format!(
                    "错误: 无法从 .{a} 转换为 .{b}；支持 项目文件.toml → 表格.xlsx 与 表格.xlsx → 项目文件.toml"
                )),
            },
        )
    }

    fn to_forms(&self) -> ExitCode {
        let (project, psrc, _warnings) = match load::project(&self.input) {
            Ok(v) => v,
            Err(load::Invalid(msg)) => return fail(&msg),
        };
        let Some(spec) = self
            .framework
            .as_deref()
            .or(project.framework_name())
            .map(str::to_owned)
        else {
            return fail(&format!(
                "{}: 错误: 项目文件没有指定指标体系框架（evaluation.framework），请用 --framework 指定",
                self.input.display()
            ));
        };
        let (fw, fsrc) = match load::framework(&spec, self.input.parent()) {
            Ok(v) => v,
            Err(load::Invalid(msg)) => return fail(&msg),
        };
        let scored = scoring::score(&fw, &project);
        if scored.has_errors() {
            let errors: Vec<_> = scored
                .diagnostics()
                .into_iter()
                .filter(jixiao_core::diag::Diagnostic::is_error)
                .collect();
            return fail(&load::render(&errors, Some(&psrc), Some(&fsrc)));
        }
        write_forms(&scored, &self.output)
    }

    fn to_project(&self) -> ExitCode {
        let bytes = match load::read_bytes(&self.input) {
            Ok(b) => b,
            Err(load::Invalid(msg)) => return fail(&msg),
        };
        let base = self.input.parent();
        let forced = self.framework.clone();
        let resolve = |name: &str| {
            load::framework(forced.as_deref().unwrap_or(name), base)
                .ok()
                .map(|(fw, _)| fw)
        };
        let imported = match jixiao_report::forms::read(&bytes, &resolve) {
            Ok(i) => i,
            Err(errors) => {
                let mut msg = String::new();
                for e in &errors {
                    msg.push_str(&format!("{}: 错误: {}\n", self.input.display(), e.zh()));
                }
                msg.push_str(&format!("共 {} 处错误，未写入任何文件。", errors.len()));
                return fail(&msg);
            }
        };
        let mut project = imported.project;
        if let Some(f) = &self.framework {
            project.evaluation.framework = Some(f.clone());
        }
        let text = jixiao_core::file::write::project(&project);
        if let Err(msg) = write_atomic(&self.output, text.as_bytes()) {
            return fail(&msg);
        }
        #[expect(clippy::print_stderr, reason = "warnings go to standard error")]
        for w in &imported.warnings {
            eprintln!("{}: 警告: {w}", self.input.display());
        }
        #[expect(clippy::print_stdout, reason = "command output")]
        {
            println!(
                "已生成：{}（{} 个绩效指标，{} 条支出明细，{} 项评分）",
                self.output.display(),
                project.targets.len(),
                project.budget.spending.len(),
                project.evaluation.judgments.len()
            );
        }
        ExitCode::SUCCESS
    }
}
