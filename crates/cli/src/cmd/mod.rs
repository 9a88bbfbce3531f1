//! One module per subcommand, each with a `Cmd` struct and a `run()` method.

pub mod audit;
pub mod frameworks;
pub mod report;
pub mod score;

use std::process::ExitCode;

use clap::error::ErrorKind;

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
