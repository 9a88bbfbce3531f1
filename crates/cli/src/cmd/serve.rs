//! `jixiao serve`: the web application on the embedded SQLite file of the data directory (or
//! PostgreSQL with `--database-url`), and `jixiao admin create-user` for the first
//! administrator.

use std::io::BufRead as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use jixiao_core::project::Role;
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
}

impl AdminCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
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
