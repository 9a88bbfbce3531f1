//! Uploaded indicator frameworks: a region's or a year's variant without a new binary. Each is
//! stored once under its own name and never changed, so a project scored with it keeps its
//! score; the built-in frameworks are found first and cannot be shadowed.

use jixiao_core::framework::Framework;
use sqlx::Row;

use crate::audit::{self, Action};
use crate::{Error, OrgId, Result, Store, now};

/// An uploaded framework's description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFramework {
    /// Its `[framework]` name.
    pub name: String,
    /// Its title.
    pub title: String,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When (RFC 3339 UTC).
    pub uploaded_at: String,
}

impl Store {
    /// Stores a framework (already read from `source` without errors) under its name.
    ///
    /// # Errors
    /// [`Error::Refused`] when the name is a built-in's or already taken, [`Error::Database`].
    pub async fn add_framework(
        &self,
        org: OrgId,
        framework: &Framework,
        source: &str,
        actor: &str,
    ) -> Result<()> {
        let name = &framework.name;
        if jixiao_core::builtin::source(name).is_some() {
            return Err(Error::Refused {
                reason: format!("「{name}」是内置框架的名称；请在 [framework] name 中另起名称"),
            });
        }
        let mut tx = self.write_tx().await?;
        let taken: Option<String> =
            sqlx::query_scalar("select name from framework where name = $1")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(Error::Refused {
                reason: format!(
                    "框架「{name}」已存在；框架上传后不再修改（已按它评分的项目不受影响），\
                     修改后的框架请用新名称上传，例如加上年份"
                ),
            });
        }
        let at = now();
        sqlx::query(
            "insert into framework (name, title, source, uploaded_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $5)",
        )
        .bind(name)
        .bind(&framework.title)
        .bind(source)
        .bind(actor)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            org,
            actor,
            Action::Create,
            &format!("framework:{name}"),
            "",
            source,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The uploaded frameworks, by name.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn frameworks(&self) -> Result<Vec<StoredFramework>> {
        let rows =
            sqlx::query("select name, title, uploaded_by, created_at from framework order by name")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredFramework {
                    name: r.try_get("name")?,
                    title: r.try_get("title")?,
                    uploaded_by: r.try_get("uploaded_by")?,
                    uploaded_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// The TOML source of a framework, built-in or uploaded.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn framework_source(&self, name: &str) -> Result<Option<String>> {
        if let Some(src) = jixiao_core::builtin::source(name) {
            return Ok(Some(src.to_owned()));
        }
        Ok(
            sqlx::query_scalar("select source from framework where name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// A framework by name: a built-in one, or an uploaded one.
    ///
    /// # Errors
    /// [`Error::Database`], [`Error::Corrupt`] when a stored framework no longer reads.
    pub async fn framework(&self, name: &str) -> Result<Option<Framework>> {
        if let Ok(cache) = self.frameworks.read()
            && let Some(fw) = cache.get(name)
        {
            return Ok(Some(fw.clone()));
        }
        let fw = if jixiao_core::builtin::source(name).is_some() {
            jixiao_core::builtin::load(name).map_err(|e| Error::Corrupt {
                field: "built-in framework".into(),
                value: e.to_string(),
            })?
        } else {
            let Some(source) = self.framework_source(name).await? else {
                return Ok(None);
            };
            let loaded = jixiao_core::file::framework::read(source.as_bytes());
            match loaded.value {
                Some(fw) if !loaded.has_errors() => fw,
                _ => {
                    return Err(Error::Corrupt {
                        field: "framework.source".into(),
                        value: name.to_owned(),
                    });
                }
            }
        };
        if let Ok(mut cache) = self.frameworks.write() {
            cache.insert(name.to_owned(), fw.clone());
        }
        Ok(Some(fw))
    }
}
