//! Evidence files (佐证材料): the documents behind a project's actual values, stored in the
//! database with their checked media type and SHA-256, each upload and deletion in the audit
//! trail. They are frozen with the self-evaluation: once it is submitted they cannot change.

use jixiao_core::workflow::{FlowKind, FlowState};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{self, Action};
use crate::{Error, OrgId, ProjectId, Result, Store, now};

/// An evidence file's description (its content is read separately).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// Id.
    pub id: i64,
    /// The indicator it supports (target id), or none for the whole project.
    pub target: Option<String>,
    /// File name, without any directory part.
    pub name: String,
    /// Media type found from the content.
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When (RFC 3339 UTC).
    pub uploaded_at: String,
}

/// A new evidence file.
#[derive(Clone, Copy, Debug)]
pub struct NewEvidence<'a> {
    /// The indicator it supports (a target id of the project), or none.
    pub target: Option<&'a str>,
    /// File name as uploaded (any directory part is dropped).
    pub name: &'a str,
    /// Media type, checked by the caller against the content.
    pub media_type: &'a str,
    /// The content.
    pub content: &'a [u8],
}

/// The columns of [`Evidence`], for `concat!` (SQL text stays static).
macro_rules! columns {
    () => {
        "evidence_id, target_id, file_name, media_type, size_bytes, sha256, uploaded_by, created_at"
    };
}

fn evidence_of(r: &sqlx::any::AnyRow) -> Result<Evidence> {
    Ok(Evidence {
        id: r.try_get("evidence_id")?,
        target: r.try_get("target_id")?,
        name: r.try_get("file_name")?,
        media_type: r.try_get("media_type")?,
        size: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("created_at")?,
    })
}

/// The last path component of an uploaded name, without control characters, at most 120
/// characters; `佐证材料` when nothing is left.
#[must_use]
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .chars()
        .rev()
        .take(120)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if clean.is_empty() {
        "佐证材料".to_owned()
    } else {
        clean
    }
}

impl Store {
    /// Stores an evidence file for a project (and one of its indicators).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown project, [`Error::Refused`] for an unknown indicator
    /// or a submitted self-evaluation, [`Error::Database`].
    pub async fn add_evidence(
        &self,
        project: ProjectId,
        file: NewEvidence<'_>,
        actor: &str,
    ) -> Result<Evidence> {
        let mut tx = self.write_tx().await?;
        let org = unlocked(&mut tx, project).await?;
        if let Some(target) = file.target {
            let document: String =
                sqlx::query_scalar("select document from project_document where project_id = $1")
                    .bind(project.0)
                    .fetch_one(&mut *tx)
                    .await?;
            let known = jixiao_core::file::project::read(document.as_bytes())
                .value
                .is_some_and(|p| p.targets.iter().any(|t| t.id == target));
            if !known {
                return Err(Error::Refused {
                    reason: format!("项目没有编号为「{target}」的绩效指标"),
                });
            }
        }
        let name = clean_name(file.name);
        let sha256 = crate::workflow::hex(&Sha256::digest(file.content));
        let size = i64::try_from(file.content.len()).unwrap_or(i64::MAX);
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "insert into evidence (project_id, target_id, file_name, media_type, size_bytes, \
             sha256, content, uploaded_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) returning evidence_id",
        )
        .bind(project.0)
        .bind(file.target)
        .bind(&name)
        .bind(file.media_type)
        .bind(size)
        .bind(&sha256)
        .bind(file.content)
        .bind(actor)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            org,
            actor,
            Action::Create,
            &format!("project:{}/evidence:{id}", project.0),
            "",
            &format!("{name}（{size} 字节，SHA-256 {sha256}）"),
        )
        .await?;
        tx.commit().await?;
        Ok(Evidence {
            id,
            target: file.target.map(str::to_owned),
            name,
            media_type: file.media_type.to_owned(),
            size,
            sha256,
            uploaded_by: actor.to_owned(),
            uploaded_at: at,
        })
    }

    /// A project's evidence files, oldest first.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn evidence(&self, project: ProjectId) -> Result<Vec<Evidence>> {
        let rows = sqlx::query(concat!(
            "select ",
            columns!(),
            " from evidence where project_id = $1 order by evidence_id"
        ))
        .bind(project.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(evidence_of).collect()
    }

    /// One evidence file of a project with its content.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn evidence_file(
        &self,
        project: ProjectId,
        id: i64,
    ) -> Result<Option<(Evidence, Vec<u8>)>> {
        let row = sqlx::query(concat!(
            "select ",
            columns!(),
            ", content from evidence where project_id = $1 and evidence_id = $2"
        ))
        .bind(project.0)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((evidence_of(&r)?, r.try_get::<Vec<u8>, _>("content")?)))
            .transpose()
    }

    /// Deletes an evidence file of a project.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Refused`] for a submitted self-evaluation,
    /// [`Error::Database`].
    pub async fn delete_evidence(&self, project: ProjectId, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let org = unlocked(&mut tx, project).await?;
        let row = sqlx::query(concat!(
            "select ",
            columns!(),
            " from evidence where project_id = $1 and evidence_id = $2"
        ))
        .bind(project.0)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound {
            what: "佐证材料",
            id,
        })?;
        let gone = evidence_of(&row)?;
        sqlx::query("delete from evidence where evidence_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            org,
            actor,
            Action::Delete,
            &format!("project:{}/evidence:{id}", project.0),
            &format!(
                "{}（{} 字节，SHA-256 {}）",
                gone.name, gone.size, gone.sha256
            ),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The project's organisation, if its evidence may still change: not after the
/// self-evaluation was submitted.
async fn unlocked(tx: &mut sqlx::Transaction<'_, sqlx::Any>, project: ProjectId) -> Result<OrgId> {
    let org: Option<i64> =
        sqlx::query_scalar("select organisation_id from project where project_id = $1")
            .bind(project.0)
            .fetch_optional(&mut **tx)
            .await?;
    let org = org.ok_or(Error::NotFound {
        what: "项目",
        id: project.0,
    })?;
    let state = crate::workflow::flow_state(tx, project, FlowKind::SelfEvaluation).await?;
    if state != FlowState::Draft {
        return Err(Error::Refused {
            reason: format!(
                "绩效自评当前为“{}”，佐证材料不能更改；须由审核人退回后再改",
                state.zh(FlowKind::SelfEvaluation)
            ),
        });
    }
    Ok(OrgId(org))
}

#[cfg(test)]
mod tests {
    use super::clean_name;

    #[test]
    fn uploaded_names_lose_directories_and_control_characters() {
        assert_eq!(
            clean_name("C:\\Users\\李敏\\培训签到表.pdf"),
            "培训签到表.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\r\n.pdf"), "ab.pdf");
        assert_eq!(clean_name(".."), "佐证材料");
        assert_eq!(clean_name(""), "佐证材料");
        assert_eq!(clean_name(&"长".repeat(300)).chars().count(), 120);
    }
}
