//! The database commands: `jixiao import FILE` (a project file or the XLSX forms into the
//! database), `jixiao export ID --out FILE` (back to a project file or the forms) and
//! `jixiao projects` (the list). The database is the embedded SQLite file in the data
//! directory unless `--database-url` (or `JIXIAO_DATABASE_URL`) names another.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use jixiao_core::project::Project;
use jixiao_store::{ProjectId, Store};

use super::{fail, write_atomic, write_forms};
use crate::load;

/// Where the database is.
#[derive(Debug, Args)]
pub struct DbOpts {
    /// 数据目录（内置 SQLite 数据库 jixiao.db 所在目录）
    #[arg(long, default_value = "jixiao-data")]
    data_dir: PathBuf,
    /// 数据库地址（sqlite:文件 或 postgres://…）；给出时不用数据目录
    #[arg(long, env = "JIXIAO_DATABASE_URL")]
    database_url: Option<String>,
}

impl DbOpts {
    async fn open(&self) -> Result<Store, String> {
        let store = match &self.database_url {
            Some(url) => Store::open(url).await,
            None => Store::open_data_dir(&self.data_dir).await,
        };
        store.map_err(|e| format!("错误: {}", e.zh()))
    }
}

/// Who acts, for the audit trail: the command line and the system user.
pub fn actor() -> String {
    format!(
        "命令行:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".to_owned())
    )
}

/// Runs an async body on a small runtime (the CLI is otherwise synchronous).
fn block_on<F: Future<Output = ExitCode>>(f: F) -> ExitCode {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(f),
        Err(e) => fail(&format!("错误: 无法启动（{e}）")),
    }
}

/// The `import` command.
#[derive(Debug, Args)]
pub struct ImportCmd {
    /// 项目文件（.toml）或官方表格（.xlsx）
    file: PathBuf,
    /// 已有同一单位、同一年度、同名项目时，用文件中的数据替换它
    #[arg(long)]
    replace: bool,
    #[command(flatten)]
    db: DbOpts,
}

fn read_project(path: &Path) -> Result<Project, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" => {
            let bytes = load::read_bytes(path).map_err(|load::Invalid(m)| m)?;
            let base = path.parent();
            let resolve = |name: &str| load::framework(name, base).ok().map(|(fw, _)| fw);
            jixiao_report::forms::read(&bytes, &resolve)
                .map(|i| i.project)
                .map_err(|errors| {
                    let mut msg = String::new();
                    for e in &errors {
                        let _ = writeln!(msg, "{}: 错误: {}", path.display(), e.zh());
                    }
                    msg
                })
        }
        _ => match load::project(path) {
            Ok((p, _, _)) => Ok(p),
            Err(load::Invalid(m)) => Err(m),
        },
    }
}

impl ImportCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let project = match read_project(&self.file) {
            Ok(p) => p,
            Err(msg) => return Ok(fail(&msg)),
        };
        Ok(block_on(async {
            let store = match self.db.open().await {
                Ok(s) => s,
                Err(msg) => return fail(&msg),
            };
            let result = async {
                let org = store.department(&project.department, &actor()).await?;
                let existing = store
                    .projects(Some(org))
                    .await?
                    .into_iter()
                    .find(|s| s.year == project.year && s.name == project.name);
                match existing {
                    Some(s) if self.replace => {
                        store
                            .update_project(s.id, s.version, &project, &actor())
                            .await?;
                        Ok((s.id, "已替换"))
                    }
                    _ => Ok((
                        store.insert_project(org, &project, &actor()).await?,
                        "已导入",
                    )),
                }
            }
            .await;
            store.close().await;
            match result {
                Ok((id, verb)) => {
                    #[expect(clippy::print_stdout, reason = "command output")]
                    {
                        println!(
                            "{verb}：项目 {}（{}年 {}，{}）",
                            id.0, project.year, project.name, project.department
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&format!(
                    "{}: 错误: {}{}",
                    self.file.display(),
                    jixiao_store::Error::zh(&e),
                    if matches!(e, jixiao_store::Error::Conflict { .. }) {
                        "（用 --replace 替换）"
                    } else {
                        ""
                    }
                )),
            }
        }))
    }
}

/// The `export` command.
#[derive(Debug, Args)]
pub struct ExportCmd {
    /// 项目编号（jixiao projects 列出的编号）
    id: i64,
    /// 输出文件：.toml（项目文件）或 .xlsx（官方表格）
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    db: DbOpts,
}

impl ExportCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        Ok(block_on(async {
            let store = match self.db.open().await {
                Ok(s) => s,
                Err(msg) => return fail(&msg),
            };
            let stored = store.project(ProjectId(self.id)).await;
            store.close().await;
            let p = match stored {
                Ok(s) => s.project,
                Err(e) => return fail(&format!("错误: {}", e.zh())),
            };
            let xlsx = self
                .out
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            if xlsx {
                let Some(spec) = p.framework_name() else {
                    return fail(
                        "错误: 项目没有指定指标体系框架（evaluation.framework），无法生成表格",
                    );
                };
                let fw = match load::framework(spec, None) {
                    Ok((fw, _)) => fw,
                    Err(load::Invalid(m)) => return fail(&m),
                };
                return write_forms(&jixiao_core::scoring::score(&fw, &p), &self.out);
            }
            let text = jixiao_core::file::write::project(&p);
            if let Err(msg) = write_atomic(&self.out, text.as_bytes()) {
                return fail(&msg);
            }
            #[expect(clippy::print_stdout, reason = "command output")]
            {
                println!("已导出：{}", self.out.display());
            }
            ExitCode::SUCCESS
        }))
    }
}

/// The `projects` command.
#[derive(Debug, Args)]
pub struct ProjectsCmd {
    #[command(flatten)]
    db: DbOpts,
}

impl ProjectsCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        Ok(block_on(async {
            let store = match self.db.open().await {
                Ok(s) => s,
                Err(msg) => return fail(&msg),
            };
            let list = store.projects(None).await;
            store.close().await;
            match list {
                Ok(list) => {
                    let mut out = String::from("编号\t年度\t项目\t单位\t版本\n");
                    for s in list {
                        let _ = writeln!(
                            out,
                            "{}\t{}\t{}\t{}\t{}",
                            s.id.0, s.year, s.name, s.department, s.version
                        );
                    }
                    #[expect(clippy::print_stdout, reason = "command output")]
                    {
                        print!("{out}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&format!("错误: {}", e.zh())),
            }
        }))
    }
}

/// The `audit-log` command.
#[derive(Debug, Args)]
pub struct AuditLogCmd {
    #[command(subcommand)]
    action: AuditLogAction,
}

/// What to do with the audit trail.
#[derive(Debug, clap::Subcommand)]
enum AuditLogAction {
    /// 校验审计日志的哈希链：找出被修改、插入或删除的记录（退出码 1 表示发现问题）
    Verify {
        /// 之前导出的链头文件（jixiao audit-log head 的输出）：还能发现末尾被删除的记录
        #[arg(long)]
        heads: Option<PathBuf>,
        #[command(flatten)]
        db: DbOpts,
    },
    /// 输出每个单位审计日志的链头（保存在数据库之外，供日后校验）
    Head {
        /// 写入文件（默认输出到屏幕）
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: DbOpts,
    },
}

impl AuditLogCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let kept = match &self.action {
            AuditLogAction::Verify {
                heads: Some(path), ..
            } => {
                let text = match load::read_bytes(path) {
                    Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                    Err(load::Invalid(m)) => return Ok(fail(&m)),
                };
                let mut kept = Vec::new();
                for (k, line) in text
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| !l.trim().is_empty())
                {
                    match jixiao_store::Head::parse(line) {
                        Some(h) => kept.push(h),
                        None => {
                            return Ok(fail(&format!(
                                "{}:{}: 错误: 不是链头记录（应为“单位编号 序号 哈希”）",
                                path.display(),
                                k + 1
                            )));
                        }
                    }
                }
                kept
            }
            _ => Vec::new(),
        };
        let (AuditLogAction::Verify { db, .. } | AuditLogAction::Head { db, .. }) = &self.action;
        Ok(block_on(async {
            let store = match db.open().await {
                Ok(s) => s,
                Err(msg) => return fail(&msg),
            };
            let code = match &self.action {
                AuditLogAction::Verify { .. } => match store.verify_audit(&kept).await {
                    Ok(problems) if problems.is_empty() => {
                        #[expect(clippy::print_stdout, reason = "command output")]
                        {
                            println!(
                                "审计日志完整：哈希链无断点{}",
                                if kept.is_empty() {
                                    ""
                                } else {
                                    "，与保存的链头一致"
                                }
                            );
                        }
                        ExitCode::SUCCESS
                    }
                    Ok(problems) => {
                        let mut msg = String::new();
                        for p in &problems {
                            let _ = writeln!(msg, "错误: {}", p.zh());
                        }
                        super::fail_with(&msg, 1)
                    }
                    Err(e) => fail(&format!("错误: {}", e.zh())),
                },
                AuditLogAction::Head { out, .. } => match store.audit_heads().await {
                    Ok(heads) => {
                        let text: String = heads.iter().map(|h| h.line() + "\n").collect();
                        match out {
                            Some(path) => match write_atomic(path, text.as_bytes()) {
                                Ok(()) => ExitCode::SUCCESS,
                                Err(msg) => fail(&msg),
                            },
                            None => {
                                #[expect(clippy::print_stdout, reason = "command output")]
                                {
                                    print!("{text}");
                                }
                                ExitCode::SUCCESS
                            }
                        }
                    }
                    Err(e) => fail(&format!("错误: {}", e.zh())),
                },
            };
            store.close().await;
            code
        }))
    }
}

/// The `backup` command.
#[derive(Debug, Args)]
pub struct BackupCmd {
    /// 备份文件（不得已存在）
    path: PathBuf,
    #[command(flatten)]
    db: DbOpts,
}

impl BackupCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        Ok(block_on(async {
            let store = match self.db.open().await {
                Ok(s) => s,
                Err(msg) => return fail(&msg),
            };
            let done = store.backup(&self.path).await;
            store.close().await;
            match done {
                Ok(()) => {
                    #[expect(clippy::print_stdout, reason = "command output")]
                    {
                        println!("已备份：{}", self.path.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&format!("{}: 错误: {}", self.path.display(), e.zh())),
            }
        }))
    }
}

/// The `restore` command.
#[derive(Debug, Args)]
pub struct RestoreCmd {
    /// 备份文件（jixiao backup 写出的文件）
    path: PathBuf,
    /// 数据目录：其中的 jixiao.db 被备份替换（原文件保留为 jixiao.db.before-restore）
    #[arg(long, default_value = "jixiao-data")]
    data_dir: PathBuf,
}

impl RestoreCmd {
    /// Runs the command. The server must not be running on this data directory.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        if !self.path.is_file() {
            return Ok(fail(&format!(
                "{}: 错误: 备份文件不存在",
                self.path.display()
            )));
        }
        let staged = self.data_dir.join("jixiao.db.restoring");
        let target = self.data_dir.join("jixiao.db");
        let io =
            |what: &str, e: &std::io::Error| fail(&format!("错误: {what}：{}", load::io_zh(e)));
        if let Err(e) = std::fs::create_dir_all(&self.data_dir) {
            return Ok(io("无法创建数据目录", &e));
        }
        if let Err(e) = std::fs::copy(&self.path, &staged) {
            return Ok(io("无法复制备份文件", &e));
        }
        // Open the copy before it replaces anything: it must be a jixiao database (older
        // ones are brought up to date here).
        let url = format!("sqlite://{}", staged.display());
        let checked = block_on(async {
            match Store::open(&url).await {
                Ok(store) => {
                    let ok = store.projects(None).await.is_ok();
                    store.close().await;
                    if ok {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(2)
                    }
                }
                Err(_) => ExitCode::from(2),
            }
        });
        if checked != ExitCode::SUCCESS {
            let _ = std::fs::remove_file(&staged);
            return Ok(fail(&format!(
                "{}: 错误: 不是 jixiao 的数据库备份，未做任何改动",
                self.path.display()
            )));
        }
        for side in ["jixiao.db-wal", "jixiao.db-shm"] {
            let _ = std::fs::remove_file(self.data_dir.join(side));
        }
        if target.exists()
            && let Err(e) = std::fs::rename(&target, self.data_dir.join("jixiao.db.before-restore"))
        {
            return Ok(io("无法保留原数据库", &e));
        }
        if let Err(e) = std::fs::rename(&staged, &target) {
            return Ok(io("无法替换数据库", &e));
        }
        #[expect(clippy::print_stdout, reason = "command output")]
        {
            println!(
                "已恢复：{} → {}（原数据库保留为 jixiao.db.before-restore）",
                self.path.display(),
                target.display()
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}
