//! The store: organisations and projects on an embedded SQLite file or on PostgreSQL, with
//! one SQL text for both (sqlx's `Any` driver, `$N` placeholders, per-backend migrations).
//!
//! Every SQL string of jixiao lives in this crate. The API takes and returns core types
//! ([`jixiao_core::project::Project`]); no `sqlx` type leaves it. Money is stored as integer
//! fen, scores as integer hundredths, exact decimals as the text they were written in, so a
//! project read back is equal to the project saved.

pub mod admin;
mod audit;
mod evidence;
mod frameworks;
mod funds;
mod monitoring;
mod projects;
mod users;
mod workflow;

use std::path::Path;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use thiserror::Error;

pub use audit::{Action, Head, Problem, TrailEntry};
pub use evidence::{Evidence, NewEvidence, clean_name};
pub use frameworks::StoredFramework;
pub use funds::{
    DEFAULT_FUND_CHAIN, FundChainStep, FundDecision, FundEvent, FundRequest, FundState, LedgerLine,
    NewFundRequest, cutoff, with_ledger,
};
pub use jixiao_core::monitor::RoundValue;
pub use monitoring::{
    OverviewFilter, OverviewPage, OverviewRow, Response, Round, RoundState, StoredWarning,
    spent_by, today,
};
pub use projects::{ProjectFilter, ProjectRow, ProjectSummary, Stored};
pub use users::{Session, User, UserId, timestamp_after};
pub use workflow::{ChainStep, Flow, FlowStep, TargetVersion};

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server (for large deployments).
    Postgres,
}

/// Why a store operation failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The URL is neither `sqlite:` nor `postgres://`.
    #[error("unsupported database url {url}")]
    UnsupportedUrl {
        /// The URL as given (without a password).
        url: String,
    },
    /// The database could not be opened or reached.
    #[error("cannot open database: {0}")]
    Open(String),
    /// Applying the migrations failed.
    #[error("migration failed: {0}")]
    Migrate(String),
    /// No such record.
    #[error("{what} {id} not found")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its id.
        id: i64,
    },
    /// A unique constraint refused the change.
    #[error("conflict on {constraint}")]
    Conflict {
        /// The constraint's name from the migration.
        constraint: String,
    },
    /// Someone saved the record since it was read.
    #[error("stale write: expected version {expected}, found {found}")]
    Stale {
        /// The version the writer read.
        expected: i64,
        /// The version in the database.
        found: i64,
    },
    /// A stored value cannot be read back into the domain type.
    #[error("corrupt stored value in {field}: {value}")]
    Corrupt {
        /// Table and column.
        field: String,
        /// The value.
        value: String,
    },
    /// A review step or a change the rules refuse (the reason is for users).
    #[error("refused: {reason}")]
    Refused {
        /// Why, in Chinese.
        reason: String,
    },
    /// The operation does not exist on this backend.
    #[error("unsupported: {what}")]
    Unsupported {
        /// What.
        what: &'static str,
    },
    /// Any other database error.
    #[error("database error: {0}")]
    Database(String),
}

impl Error {
    /// The message users read.
    #[must_use]
    pub fn zh(&self) -> String {
        match self {
            Error::UnsupportedUrl { url } => format!(
                "不支持的数据库地址「{url}」：应为 sqlite:文件路径 或 postgres://用户@主机/数据库"
            ),
            Error::Open(e) => format!("无法打开数据库：{e}"),
            Error::Migrate(e) => format!("数据库结构升级失败：{e}"),
            Error::NotFound { what, id } => format!("{what} {id} 不存在"),
            Error::Conflict { constraint } => match constraint.as_str() {
                "project_unique" => "同一单位同一年度已有同名项目".to_owned(),
                "organisation_name_unique" => "已有同名单位".to_owned(),
                "target_key_unique" => "同一项目的指标编号重复".to_owned(),
                other => format!("与已有数据冲突（{other}）"),
            },
            Error::Stale { expected, found } => format!(
                "项目已被他人修改（读取时为第 {expected} 版，现为第 {found} 版），请重新读取后再保存"
            ),
            Error::Corrupt { field, value } => format!("数据库中 {field} 的值「{value}」无法读取"),
            Error::Refused { reason } => reason.clone(),
            Error::Unsupported { .. } => {
                "PostgreSQL 数据库请用 pg_dump 备份、pg_restore 恢复（见 README）".to_owned()
            }
            Error::Database(e) => format!("数据库错误：{e}"),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Error {
        if let sqlx::Error::Database(db) = &e
            && matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation)
        {
            let constraint = db
                .constraint()
                .map(str::to_owned)
                .or_else(|| sqlite_constraint(db.message()))
                .unwrap_or_else(|| db.message().to_owned());
            return Error::Conflict { constraint };
        }
        Error::Database(e.to_string())
    }
}

/// SQLite names the columns of a failed unique constraint, not the constraint: map them.
fn sqlite_constraint(message: &str) -> Option<String> {
    let name = if message.contains("project.organisation_id, project.year, project.name") {
        "project_unique"
    } else if message.contains("organisation.name") {
        "organisation_name_unique"
    } else if message.contains("target.project_id, target.target_key") {
        "target_key_unique"
    } else {
        return None;
    };
    Some(name.to_owned())
}

/// `Result` with this crate's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An organisation's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrgId(pub i64);

/// A project's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProjectId(pub i64);

/// What kind of organisation (DESIGN.md: finance bureau → departments → offices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgKind {
    /// 财政局.
    FinanceBureau,
    /// 部门 (a budget unit such as a Disabled Persons' Federation).
    Department,
    /// 处室.
    Office,
}

impl OrgKind {
    /// Every kind.
    pub const ALL: [OrgKind; 3] = [OrgKind::FinanceBureau, OrgKind::Department, OrgKind::Office];

    /// The Chinese name (as stored).
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            OrgKind::FinanceBureau => "财政局",
            OrgKind::Department => "部门",
            OrgKind::Office => "处室",
        }
    }

    /// Reads [`OrgKind::zh`].
    #[must_use]
    pub fn parse(text: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.zh() == text)
    }
}

/// An organisation as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    /// Id.
    pub id: OrgId,
    /// The organisation above it (none for the top).
    pub parent: Option<OrgId>,
    /// Name, unique.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
}

/// The store: a connection pool and the backend it talks to.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Each organisation's department (itself, or an office's parent). An organisation's
    /// parent never changes once created, so this cache can never be wrong, in any process.
    departments: std::sync::Arc<std::sync::RwLock<std::collections::HashMap<i64, i64>>>,
    /// Frameworks read so far, by name: built-in and uploaded frameworks never change, so
    /// each is parsed once per process.
    frameworks: std::sync::Arc<
        std::sync::RwLock<std::collections::HashMap<String, jixiao_core::framework::Framework>>,
    >,
}

/// Seconds since 1970 (UTC).
fn unix_now() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs).unwrap_or(0)
}

/// A time as RFC 3339 text in UTC, which sorts as the times do (stored as text: the Any
/// driver carries no timestamp type).
fn at(secs: i64) -> String {
    let date = jixiao_core::date::Date::from_days_since_epoch(secs.div_euclid(86_400))
        .map(|d| d.to_string())
        .unwrap_or_default();
    let s = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// The current time as stored.
fn now() -> String {
    at(unix_now())
}

/// Holds an exclusive lock on `PATH.migrate-lock` beside a SQLite file until dropped; `None`
/// for an in-memory database.
async fn migration_lock(url: &str) -> Result<Option<std::fs::File>> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path.contains(":memory:") {
        return Ok(None);
    }
    let lock_path = format!("{path}.migrate-lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| Error::Open(format!("{lock_path}: {e}")))?;
    // Waiting blocks a thread: not one of the runtime's workers, which the holder of the
    // lock may need to finish.
    tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await
        .map_err(|e| Error::Open(format!("{lock_path}: {e}")))?
        .map(Some)
        .map_err(|e| Error::Open(format!("{lock_path}: {e}")))
}

impl Store {
    /// Opens a database by URL and brings its schema up to date: `sqlite:PATH` (the file must
    /// exist; a mistyped path is not silently created) or `postgres://user@host/db`.
    ///
    /// # Errors
    /// [`Error::UnsupportedUrl`], [`Error::Open`] or [`Error::Migrate`].
    pub async fn open(url: &str) -> Result<Store> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(Error::UnsupportedUrl { url: redact(url) });
        };
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .connect(url)
            .await
            .map_err(|e| Error::Open(e.to_string()))?;
        let store = Store {
            pool,
            backend,
            departments: std::sync::Arc::default(),
            frameworks: std::sync::Arc::default(),
        };
        // SQLite has no advisory lock for sqlx's migrator: two processes opening one new file
        // at once (`serve` starting while `admin` runs) would both create the tables, or one
        // would find the file busy while the other changes its journal. A lock file beside the
        // database makes the second wait for the first.
        let guard = match backend {
            Backend::Sqlite => migration_lock(url).await?,
            Backend::Postgres => None,
        };
        let prepared = async {
            if backend == Backend::Sqlite {
                // WAL lets readers work while one writer writes; it is a property of the file.
                sqlx::query("pragma journal_mode = wal")
                    .execute(&store.pool)
                    .await?;
            }
            store.migrate().await
        }
        .await;
        drop(guard);
        prepared?;
        Ok(store)
    }

    /// Opens (creating when missing) the embedded database `jixiao.db` in a data directory.
    ///
    /// # Errors
    /// As [`Store::open`], or [`Error::Open`] when the directory cannot be created.
    pub async fn open_data_dir(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| Error::Open(format!("{}: {e}", dir.display())))?;
        let file = dir.join("jixiao.db");
        Store::open(&format!("sqlite://{}?mode=rwc", file.display())).await
    }

    /// A transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that a writer that first reads waits for another writer
    /// instead of failing when it upgrades; PostgreSQL locks rows as it goes.
    pub(crate) async fn write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("begin immediate").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Which database this is.
    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| Error::Migrate(e.to_string()))
    }

    /// Creates an organisation.
    ///
    /// # Errors
    /// [`Error::Conflict`] when the name is taken.
    pub async fn create_organisation(
        &self,
        name: &str,
        kind: OrgKind,
        parent: Option<OrgId>,
        actor: &str,
    ) -> Result<OrgId> {
        let mut tx = self.write_tx().await?;
        // The tree is finance bureau → departments → offices.
        let parent_kind = match parent {
            Some(p) => {
                let kind: Option<String> =
                    sqlx::query_scalar("select kind from organisation where organisation_id = $1")
                        .bind(p.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                match kind.as_deref().and_then(OrgKind::parse) {
                    Some(k) => Some(k),
                    None => {
                        return Err(Error::NotFound {
                            what: "上级单位",
                            id: p.0,
                        });
                    }
                }
            }
            None => None,
        };
        let fits = matches!(
            (kind, parent_kind),
            (OrgKind::FinanceBureau | OrgKind::Department, None)
                | (OrgKind::Department, Some(OrgKind::FinanceBureau))
                | (OrgKind::Office, Some(OrgKind::Department))
        );
        if !fits {
            return Err(Error::Refused {
                reason: format!(
                    "{}不能设在{}之下：单位层级为 财政局 → 部门 → 处室",
                    kind.zh(),
                    parent_kind.map_or("顶层", OrgKind::zh)
                ),
            });
        }
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "insert into organisation (parent_id, name, kind, created_at, updated_at) \
             values ($1, $2, $3, $4, $4) returning organisation_id",
        )
        .bind(parent.map(|p| p.0))
        .bind(name)
        .bind(kind.zh())
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            OrgId(id),
            actor,
            Action::Create,
            &format!("organisation:{id}"),
            "",
            &format!("{}（{}）", name, kind.zh()),
        )
        .await?;
        tx.commit().await?;
        Ok(OrgId(id))
    }

    /// Every organisation, by id (parents before their children).
    ///
    /// # Errors
    /// [`Error::Database`], [`Error::Corrupt`].
    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        use sqlx::Row as _;
        let rows = sqlx::query(
            "select organisation_id, parent_id, name, kind from organisation order by organisation_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(Organisation {
                    id: OrgId(r.try_get("organisation_id")?),
                    parent: r.try_get::<Option<i64>, _>("parent_id")?.map(OrgId),
                    name: r.try_get("name")?,
                    kind: OrgKind::parse(&kind).ok_or(Error::Corrupt {
                        field: "organisation.kind".into(),
                        value: kind,
                    })?,
                })
            })
            .collect()
    }

    /// The department an organisation belongs to: itself, or for an office its department.
    /// Users see and work on the projects of their department, offices included.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub async fn department_of(&self, org: OrgId) -> Result<OrgId> {
        if let Ok(map) = self.departments.read()
            && let Some(d) = map.get(&org.0)
        {
            return Ok(OrgId(*d));
        }
        let dept: Option<i64> = sqlx::query_scalar(
            "select case when kind = '处室' then parent_id else organisation_id end \
             from organisation where organisation_id = $1",
        )
        .bind(org.0)
        .fetch_optional(&self.pool)
        .await?;
        let dept = dept.ok_or(Error::NotFound {
            what: "单位",
            id: org.0,
        })?;
        if let Ok(mut map) = self.departments.write() {
            map.insert(org.0, dept);
        }
        Ok(OrgId(dept))
    }

    /// Whether two organisations belong to the same department.
    ///
    /// # Errors
    /// As [`Store::department_of`].
    pub async fn same_department(&self, a: OrgId, b: OrgId) -> Result<bool> {
        Ok(a == b || self.department_of(a).await? == self.department_of(b).await?)
    }

    /// The organisation with this name, if any.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn organisation_by_name(&self, name: &str) -> Result<Option<OrgId>> {
        let id: Option<i64> =
            sqlx::query_scalar("select organisation_id from organisation where name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(id.map(OrgId))
    }

    /// The organisation with this name, created as a department when missing.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn department(&self, name: &str, actor: &str) -> Result<OrgId> {
        match self.organisation_by_name(name).await? {
            Some(id) => Ok(id),
            None => {
                self.create_organisation(name, OrgKind::Department, None, actor)
                    .await
            }
        }
    }

    /// Writes a consistent copy of the live SQLite database to `path` (which must not exist),
    /// while it stays in use: SQLite's `VACUUM INTO` copies one committed state. PostgreSQL
    /// deployments back up with `pg_dump` (README).
    ///
    /// # Errors
    /// [`Error::Unsupported`] on PostgreSQL, [`Error::Database`] when the copy fails (for
    /// example because `path` exists).
    pub async fn backup(&self, path: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(Error::Unsupported {
                what: "backup on PostgreSQL (use pg_dump)",
            });
        }
        if path.exists() {
            return Err(Error::Open(format!("{} already exists", path.display())));
        }
        sqlx::query("vacuum into $1")
            .bind(path.display().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the pool (waits for connections to finish).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://app:secret@db/jixiao"),
            "postgres://app:***@db/jixiao"
        );
        assert_eq!(redact("mysql://x"), "mysql://x");
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = now();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
    }
}
