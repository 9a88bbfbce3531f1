//! `jixiao serve`: the web application on the embedded SQLite file of the data directory (or
//! PostgreSQL with `--database-url`), and `jixiao admin create-user` for the first
//! administrator.

use std::io::BufRead as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use jixiao_core::project::Role;
use jixiao_core::workflow::{FlowKind, FlowState};
use jixiao_store::Store;

use super::fail;

/// The `serve` command.
#[derive(Debug, Args)]
pub struct ServeCmd {
    /// 监听地址
    #[arg(long, default_value = "127.0.0.1:8080", env = "JIXIAO_ADDR")]
    addr: String,
    /// 数据目录（内置 SQLite 数据库所在目录）
    #[arg(long, default_value = "jixiao-data", env = "JIXIAO_DATA_DIR")]
    data_dir: PathBuf,
    /// 数据库地址（postgres://…）；给出时不用数据目录
    #[arg(long, env = "JIXIAO_DATABASE_URL")]
    database_url: Option<String>,
    /// 演示模式：数据库中没有用户时载入昆明 2022 案例和各角色的演示用户（密码见 README）
    #[arg(long)]
    demo: bool,
    /// 在 HTTPS 之后运行：Cookie 加 Secure 标记
    #[arg(long, env = "JIXIAO_SECURE_COOKIES")]
    secure_cookies: bool,
}

async fn open(data_dir: &std::path::Path, url: Option<&str>) -> Result<Store, String> {
    match url {
        Some(u) => Store::open(u).await,
        None => Store::open_data_dir(data_dir).await,
    }
    .map_err(|e| format!("错误: {}", e.zh()))
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("错误: 无法启动（{e}）"))
}

impl ServeCmd {
    /// Runs the command until interrupted.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        // Configuration is checked before anything starts, naming the setting.
        let addr: SocketAddr = match self.addr.parse() {
            Ok(a) => a,
            Err(_) => {
                return Ok(fail(&format!(
                    "错误: 设置 --addr（JIXIAO_ADDR）的值「{}」不是“地址:端口”，例如 127.0.0.1:8080",
                    self.addr
                )));
            }
        };
        let rt = match runtime() {
            Ok(rt) => rt,
            Err(msg) => return Ok(fail(&msg)),
        };
        Ok(rt.block_on(async {
            let started = std::time::Instant::now();
            let store = match open(&self.data_dir, self.database_url.as_deref()).await {
                Ok(s) => s,
                Err(msg) => return fail(&msg),
            };
            if self.demo {
                match jixiao_web::demo::seed(&store).await {
                    Ok(true) => {
                        #[expect(clippy::print_stdout, reason = "command output")]
                        {
                            println!(
                                "已载入演示数据：昆明 2022 案例和各角色演示用户（密码见 README）"
                            );
                        }
                    }
                    Ok(false) => {}
                    Err(msg) => return fail(&format!("错误: 无法载入演示数据：{msg}")),
                }
            }
            let listener = match tokio::net::TcpListener::bind(addr).await {
                Ok(l) => l,
                Err(e) => {
                    return fail(&format!("错误: 无法监听 {addr}（设置 --addr）：{e}"));
                }
            };
            #[expect(clippy::print_stdout, reason = "command output")]
            {
                println!(
                    "jixiao 已启动：http://{addr}/（{} ms，{}）",
                    started.elapsed().as_millis(),
                    if self.database_url.is_some() {
                        "PostgreSQL"
                    } else {
                        "内置 SQLite"
                    }
                );
            }
            // Red warnings past their stored deadline go to the finance bureau; every process
            // sweeps, and the store escalates each warning once.
            jixiao_web::monitoring::spawn_escalation(
                store.clone(),
                std::time::Duration::from_secs(600),
            );
            let app = jixiao_web::app(jixiao_web::AppState::new(
                store,
                self.demo,
                self.secure_cookies,
            ));
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            match axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&format!("错误: 服务中断：{e}")),
            }
        }))
    }
}

/// The `admin` command.
#[derive(Debug, Args)]
pub struct AdminCmd {
    #[command(subcommand)]
    action: AdminAction,
}

/// Administration.
#[derive(Debug, Subcommand)]
enum AdminAction {
    /// 创建用户（密码从标准输入读取一行，不出现在命令行和日志中）
    CreateUser {
        /// 用户名（登录名）
        #[arg(long)]
        username: String,
        /// 姓名
        #[arg(long)]
        name: String,
        /// 角色：经办人、部门负责人、财务负责人、分管领导、单位负责人、出纳、评价小组、财政局审核、管理员
        #[arg(long)]
        role: String,
        /// 所在单位（不存在时创建）
        #[arg(long)]
        org: String,
        /// 数据目录
        #[arg(long, default_value = "jixiao-data", env = "JIXIAO_DATA_DIR")]
        data_dir: PathBuf,
        /// 数据库地址（postgres://…）
        #[arg(long, env = "JIXIAO_DATABASE_URL")]
        database_url: Option<String>,
    },
    /// 为用户创建 API 令牌（只显示这一次；程序以 Authorization: Bearer 令牌 调用接口）
    CreateToken {
        /// 用户名
        #[arg(long)]
        username: String,
        /// 用途（例如调用它的程序）
        #[arg(long)]
        name: String,
        /// 数据目录
        #[arg(long, default_value = "jixiao-data", env = "JIXIAO_DATA_DIR")]
        data_dir: PathBuf,
        /// 数据库地址（postgres://…）
        #[arg(long, env = "JIXIAO_DATABASE_URL")]
        database_url: Option<String>,
    },
    /// 查看或配置单位的审核链：单位内部的审核环节（已提交、主管部门审核）由哪些角色办理
    ReviewChain {
        /// 单位名称
        #[arg(long)]
        org: String,
        /// 流程：绩效目标表 或 绩效自评
        #[arg(long)]
        kind: String,
        /// 要配置的环节：已提交 或 主管部门审核（不给出时只显示审核链）
        #[arg(long, requires = "change")]
        step: Option<String>,
        /// 办理角色，用逗号或顿号分隔，例如 财务负责人,单位负责人
        #[arg(long, group = "change", requires = "step")]
        roles: Option<String>,
        /// 恢复该环节的默认办理角色
        #[arg(long, group = "change", requires = "step")]
        default: bool,
        /// 数据目录
        #[arg(long, default_value = "jixiao-data", env = "JIXIAO_DATA_DIR")]
        data_dir: PathBuf,
        /// 数据库地址（postgres://…）
        #[arg(long, env = "JIXIAO_DATABASE_URL")]
        database_url: Option<String>,
    },
}

impl AdminCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        if let AdminAction::ReviewChain {
            org,
            kind,
            step,
            roles,
            default,
            data_dir,
            database_url,
        } = &self.action
        {
            let change = match (step, roles) {
                (None, _) => None,
                (Some(step), roles) => Some((step.as_str(), roles.as_deref().filter(|_| !default))),
            };
            return Ok(review_chain(
                org,
                kind,
                change,
                data_dir,
                database_url.as_deref(),
            ));
        }
        if let AdminAction::CreateToken {
            username,
            name,
            data_dir,
            database_url,
        } = &self.action
        {
            return Ok(create_token(
                username,
                name,
                data_dir,
                database_url.as_deref(),
            ));
        }
        let AdminAction::CreateUser {
            username,
            name,
            role,
            org,
            data_dir,
            database_url,
        } = self.action
        else {
            return Ok(fail("错误: 未知的管理操作"));
        };
        let Some(role) = Role::parse(&role) else {
            return Ok(fail(&format!(
                "错误: 参数 --role 的值「{role}」不是角色；可用：{}",
                Role::NAMES.join("、")
            )));
        };
        let mut password = String::new();
        if std::io::stdin().lock().read_line(&mut password).is_err() {
            return Ok(fail("错误: 无法从标准输入读取密码"));
        }
        let password = password.trim_end_matches(['\n', '\r']);
        if password.chars().count() < jixiao_web::auth::MIN_PASSWORD {
            return Ok(fail(&format!(
                "错误: 密码至少 {} 个字符（从标准输入读取）",
                jixiao_web::auth::MIN_PASSWORD
            )));
        }
        let hash = match jixiao_web::auth::hash_password(password) {
            Ok(h) => h,
            Err(e) => return Ok(fail(&format!("错误: 无法计算密码哈希：{e}"))),
        };
        let rt = match runtime() {
            Ok(rt) => rt,
            Err(msg) => return Ok(fail(&msg)),
        };
        Ok(rt.block_on(async {
            let store = match open(&data_dir, database_url.as_deref()).await {
                Ok(s) => s,
                Err(msg) => return fail(&msg),
            };
            let result = async {
                let org_id = store.department(&org, &super::db::actor()).await?;
                store
                    .create_user(org_id, &username, &name, role, &hash, &super::db::actor())
                    .await
            }
            .await;
            store.close().await;
            match result {
                Ok(_) => {
                    #[expect(clippy::print_stdout, reason = "command output")]
                    {
                        println!("已创建用户 {username}（{}，{org}）", role.zh());
                    }
                    ExitCode::SUCCESS
                }
                Err(jixiao_store::Error::Conflict { .. }) => {
                    fail(&format!("错误: 用户名「{username}」已存在"))
                }
                Err(e) => fail(&format!("错误: {}", e.zh())),
            }
        }))
    }
}

fn create_token(
    username: &str,
    name: &str,
    data_dir: &std::path::Path,
    database_url: Option<&str>,
) -> ExitCode {
    let Ok(token) = jixiao_web::auth::token() else {
        return fail("错误: 系统无法生成随机令牌");
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(msg) => return fail(&msg),
    };
    rt.block_on(async {
        let store = match open(data_dir, database_url).await {
            Ok(s) => s,
            Err(msg) => return fail(&msg),
        };
        let result = async {
            let Some(user) = store.user_by_username(username).await? else {
                return Ok(false);
            };
            store
                .create_api_token(
                    &jixiao_web::auth::token_hash(&token),
                    &user,
                    name,
                    &super::db::actor(),
                )
                .await?;
            Ok::<bool, jixiao_store::Error>(true)
        }
        .await;
        store.close().await;
        match result {
            Ok(true) => {
                #[expect(clippy::print_stdout, reason = "command output")]
                {
                    println!("{token}");
                }
                #[expect(clippy::print_stderr, reason = "a note beside the token")]
                {
                    eprintln!(
                        "已为 {username} 创建 API 令牌（{name}）：只显示这一次，请妥善保存。"
                    );
                }
                ExitCode::SUCCESS
            }
            Ok(false) => fail(&format!("错误: 用户「{username}」不存在")),
            Err(e) => fail(&format!("错误: {}", e.zh())),
        }
    })
}

/// Reads a flow kind by its Chinese name or identifier.
fn flow_kind(text: &str) -> Option<FlowKind> {
    FlowKind::ALL
        .into_iter()
        .find(|k| k.zh() == text || k.id() == text)
}

/// Shows an organisation's review chain for one kind, after changing one step when asked
/// (`change`: the step, and its roles or `None` for the default).
fn review_chain(
    org: &str,
    kind: &str,
    change: Option<(&str, Option<&str>)>,
    data_dir: &std::path::Path,
    database_url: Option<&str>,
) -> ExitCode {
    let Some(kind) = flow_kind(kind) else {
        return fail(&format!(
            "错误: 参数 --kind 的值「{kind}」不是流程；可用：绩效目标表、绩效自评"
        ));
    };
    let change = match change {
        None => None,
        Some((step, roles)) => {
            let Some(state) = [
                FlowState::Draft,
                FlowState::Submitted,
                FlowState::DepartmentReview,
                FlowState::FinanceReview,
                FlowState::Approved,
            ]
            .into_iter()
            .find(|s| s.zh(kind) == step || s.id() == step) else {
                return fail(&format!(
                    "错误: 参数 --step 的值「{step}」不是审核环节；可配置：已提交、主管部门审核"
                ));
            };
            let roles = match roles {
                None => None,
                Some(text) => {
                    let mut parsed = Vec::new();
                    for name in text
                        .split([',', '，', '、'])
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                    {
                        let Some(role) = Role::parse(name) else {
                            return fail(&format!(
                                "错误: 参数 --roles 中的「{name}」不是角色；可用：{}",
                                Role::NAMES.join("、")
                            ));
                        };
                        if !parsed.contains(&role) {
                            parsed.push(role);
                        }
                    }
                    Some(parsed)
                }
            };
            Some((state, roles))
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(msg) => return fail(&msg),
    };
    rt.block_on(async {
        let store = match open(data_dir, database_url).await {
            Ok(s) => s,
            Err(msg) => return fail(&msg),
        };
        let result = async {
            let Some(org_id) = store.organisation_by_name(org).await? else {
                return Ok(None);
            };
            if let Some((state, roles)) = &change {
                store
                    .set_review_step(org_id, kind, *state, roles.as_deref(), &super::db::actor())
                    .await?;
            }
            Ok::<_, jixiao_store::Error>(Some(store.review_chain(org_id, kind).await?))
        }
        .await;
        store.close().await;
        match result {
            Ok(Some(chain)) => {
                let mut out = format!("{org} {}审核链：\n", kind.zh());
                for (i, step) in chain.iter().enumerate() {
                    let next = chain.get(i + 1).map_or(FlowState::Approved, |n| n.state);
                    let roles = step
                        .roles
                        .iter()
                        .map(|r| r.zh())
                        .collect::<Vec<_>>()
                        .join("、");
                    let mark = if step.configured {
                        "（本单位配置）"
                    } else {
                        ""
                    };
                    out.push_str(&format!(
                        "  {} → {}：{roles}{mark}\n",
                        step.state.zh(kind),
                        next.zh(kind)
                    ));
                }
                #[expect(clippy::print_stdout, reason = "command output")]
                {
                    print!("{out}");
                }
                ExitCode::SUCCESS
            }
            Ok(None) => fail(&format!("错误: 单位「{org}」不存在")),
            Err(e) => fail(&format!("错误: {}", e.zh())),
        }
    })
}
