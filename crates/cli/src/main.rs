//! The `jixiao` binary: argument parsing, dispatch and exit codes.
//!
//! Exit codes scripts can rely on: 0 success; 1 an audit found errors; 2 the input could not
//! be read or is invalid (or the command line is wrong).

mod cmd;
mod load;
mod text;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc rather than the system allocator: the auditor and the web handlers make many
/// small, short-lived strings, and with mimalloc a report is audited about 10 % faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// 预算绩效管理：评分、框架、报告与体检。
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 按指标体系为项目评分（jixiao score 项目文件.toml）
    Score(cmd::score::ScoreCmd),
    /// 列出或查看指标体系框架
    Frameworks(cmd::frameworks::FrameworksCmd),
    /// 检查自评报告中的前后矛盾（jixiao audit 报告.docx|文件夹）
    Audit(cmd::audit::AuditCmd),
    /// 由项目数据生成自评报告（jixiao report 项目文件.toml --format docx|pdf|html）
    Report(cmd::report::ReportCmd),
    /// 项目文件与官方表格互相转换（jixiao convert 项目.toml 表格.xlsx，或反向）
    Convert(cmd::convert::ConvertCmd),
    /// 把项目文件或官方表格导入数据库（jixiao import 项目.toml|表格.xlsx）
    Import(cmd::db::ImportCmd),
    /// 把数据库中的项目导出为项目文件或官方表格（jixiao export 编号 --out 文件）
    Export(cmd::db::ExportCmd),
    /// 列出数据库中的项目
    Projects(cmd::db::ProjectsCmd),
    /// 审计日志：校验哈希链、导出链头
    AuditLog(cmd::db::AuditLogCmd),
    /// 在线备份内置数据库（jixiao backup 备份文件）
    Backup(cmd::db::BackupCmd),
    /// 用备份替换数据目录中的数据库（先停止服务）
    Restore(cmd::db::RestoreCmd),
    /// 启动网页服务（jixiao serve --demo 载入演示数据）
    Serve(cmd::serve::ServeCmd),
    /// 管理：创建用户
    Admin(cmd::serve::AdminCmd),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return cmd::usage_error(&e),
    };
    let result = match cli.command {
        Command::Score(c) => c.run(),
        Command::Frameworks(c) => c.run(),
        Command::Audit(c) => c.run(),
        Command::Report(c) => c.run(),
        Command::Convert(c) => c.run(),
        Command::Import(c) => c.run(),
        Command::Export(c) => c.run(),
        Command::Projects(c) => c.run(),
        Command::AuditLog(c) => c.run(),
        Command::Backup(c) => c.run(),
        Command::Restore(c) => c.run(),
        Command::Serve(c) => c.run(),
        Command::Admin(c) => c.run(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            #[expect(clippy::print_stderr, reason = "the binary reports its own errors")]
            {
                eprintln!("错误：{e:#}");
            }
            ExitCode::from(2)
        }
    }
}
