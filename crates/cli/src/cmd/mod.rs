//! One module per subcommand, each with a `Cmd` struct and a `run()` method.

pub mod audit;
pub mod convert;
pub mod db;
pub mod frameworks;
pub mod report;
pub mod score;
pub mod serve;

use std::path::Path;
use std::process::ExitCode;

use clap::error::ErrorKind;
use jixiao_core::project::Project;
use jixiao_core::scoring::Scored;

use crate::load;

/// Prints an error message (the binary's own, in Chinese) on standard error and returns
/// `code` for the process to exit with.
pub fn fail_with(msg: &str, code: u8) -> ExitCode {
    #[expect(clippy::print_stderr, reason = "the binary reports its own errors")]
    {
        eprint!("{msg}");
        if !msg.ends_with('\n') {
            eprintln!();
        }
    }
    ExitCode::from(code)
}

/// [`fail_with`] exit code 2: the input could not be read or is invalid.
pub fn fail(msg: &str) -> ExitCode {
    fail_with(msg, 2)
}

/// Prints a command-line error in Chinese (with clap's detail) and returns exit code 2;
/// `--help` and `--version` print normally and return 0.
pub fn usage_error(e: &clap::Error) -> ExitCode {
    let what = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
        ErrorKind::InvalidSubcommand => "未知的子命令",
        ErrorKind::UnknownArgument => "未知的参数",
        ErrorKind::MissingRequiredArgument => "缺少必需的参数",
        ErrorKind::InvalidValue => "参数值无效",
        ErrorKind::ValueValidation => "参数值不符合要求",
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => "参数个数不对",
        ErrorKind::ArgumentConflict => "参数相互冲突",
        _ => "命令行有误",
    };
    #[expect(clippy::print_stderr, reason = "the binary reports its own errors")]
    {
        eprintln!(
            "错误：{what}（运行 jixiao --help 查看用法）\n{}",
            e.render()
        );
    }
    ExitCode::from(2)
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so that a failure
/// leaves no half-written report.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("report"),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!(
                "{}: 错误: 无法写入文件：{}",
                path.display(),
                load::io_zh(&e)
            )
        })
}

/// The default name of the forms workbook: `2022年<项目名称>绩效表.xlsx`.
pub fn forms_file_name(p: &Project) -> String {
    format!("{}年{}绩效表.xlsx", p.year, p.name)
}

/// Writes the forms workbook of a scored project and says so; exit 0, or 2 on failure.
pub fn write_forms(scored: &Scored<'_>, path: &Path) -> ExitCode {
    let bytes = match jixiao_report::forms::xlsx(scored) {
        Ok(b) => b,
        Err(e) => return fail(&format!("错误: {}", e.zh())),
    };
    if let Err(msg) = write_atomic(path, &bytes) {
        return fail(&msg);
    }
    #[expect(clippy::print_stdout, reason = "command output")]
    {
        println!(
            "已生成：{}（{} 个绩效指标，{} 条支出明细，总分 {}，{}）",
            path.display(),
            scored.project.targets.len(),
            scored.project.budget.spending.len(),
            scored.total,
            scored.grade()
        );
    }
    ExitCode::SUCCESS
}
