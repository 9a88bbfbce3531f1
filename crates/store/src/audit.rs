//! The audit trail: every change to a project appended in the same transaction as the
//! change, one hash chain per organisation, and the check that finds an edited, inserted or
//! deleted entry.

use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

use crate::{OrgId, Result, Store, now};

/// What happened to the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Created.
    Create,
    /// Changed.
    Update,
    /// Deleted.
    Delete,
    /// A review step (submitted, approved, returned).
    Workflow,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Workflow => "workflow",
        }
    }
}

/// The last entry of one organisation's chain, to be kept outside the database: verifying
/// against kept heads also finds entries deleted from the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// The organisation.
    pub organisation: OrgId,
    /// The last position.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
}

impl Head {
    /// One line of text: `organisation seq hash`.
    #[must_use]
    pub fn line(&self) -> String {
        format!("{} {} {}", self.organisation.0, self.seq, self.hash)
    }

    /// Reads [`Head::line`] back.
    #[must_use]
    pub fn parse(line: &str) -> Option<Head> {
        let mut parts = line.split_whitespace();
        let organisation = OrgId(parts.next()?.parse().ok()?);
        let seq = parts.next()?.parse().ok()?;
        let hash = parts.next()?.to_owned();
        (hash.len() == 64 && parts.next().is_none()).then_some(Head {
            organisation,
            seq,
            hash,
        })
    }
}

/// What is wrong with a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The entry's content does not match its hash: it was edited.
    Edited {
        /// Organisation.
        organisation: OrgId,
        /// Position.
        seq: i64,
    },
    /// The entry does not follow from the one before it: it was inserted or replaced.
    Inserted {
        /// Organisation.
        organisation: OrgId,
        /// Position.
        seq: i64,
    },
    /// Positions are missing: entries were deleted.
    Missing {
        /// Organisation.
        organisation: OrgId,
        /// First missing position.
        from: i64,
        /// Last missing position.
        to: i64,
    },
    /// The chain ends before, or differs at, a kept head: its end was deleted or rewritten.
    Head {
        /// Organisation.
        organisation: OrgId,
        /// The kept head's position.
        seq: i64,
    },
}

impl Problem {
    /// The message users read.
    #[must_use]
    pub fn zh(&self) -> String {
        match self {
            Problem::Edited { organisation, seq } => format!(
                "单位 {} 的审计日志第 {seq} 条内容与其哈希不符：该条被修改过",
                organisation.0
            ),
            Problem::Inserted { organisation, seq } => format!(
                "单位 {} 的审计日志第 {seq} 条与前一条的哈希不相接：该条是插入或替换的",
                organisation.0
            ),
            Problem::Missing {
                organisation,
                from,
                to,
            } => format!(
                "单位 {} 的审计日志缺少第 {from} 至第 {to} 条：有记录被删除",
                organisation.0
            ),
            Problem::Head { organisation, seq } => format!(
                "单位 {} 的审计日志与保存在库外的第 {seq} 条哈希不符：日志末尾被删除或改写",
                organisation.0
            ),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The hash of an entry: SHA-256 over its fields, each preceded by its length so that no
/// two different entries hash the same text.
fn entry_hash(fields: &[&str]) -> String {
    let mut h = Sha256::new();
    for f in fields {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    hex(&h.finalize())
}

/// One entry of the trail as people read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrailEntry {
    /// Position in its organisation's chain.
    pub seq: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// `create`, `update`, `delete` or `workflow`.
    pub action: String,
    /// What (`project:7`, `project:7/target_sheet`, `project:7/evidence:3` …).
    pub object: String,
    /// Before (empty for a creation).
    pub before: String,
    /// After (empty for a deletion).
    pub after: String,
}

fn trail_entry(r: &sqlx::any::AnyRow) -> Result<TrailEntry> {
    Ok(TrailEntry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        object: r.try_get("object")?,
        before: r.try_get("before_text")?,
        after: r.try_get("after_text")?,
    })
}

/// One entry's fields in hashing order.
struct Entry {
    organisation: i64,
    seq: i64,
    at: String,
    actor: String,
    action: String,
    object: String,
    before: String,
    after: String,
    prev_hash: String,
    hash: String,
}

impl Entry {
    fn computed_hash(&self) -> String {
        entry_hash(&[
            &self.organisation.to_string(),
            &self.seq.to_string(),
            &self.at,
            &self.actor,
            &self.action,
            &self.object,
            &self.before,
            &self.after,
            &self.prev_hash,
        ])
    }
}

/// Appends an entry to the organisation's chain inside the caller's transaction.
pub(crate) async fn append(
    tx: &mut Transaction<'_, Any>,
    org: OrgId,
    actor: &str,
    action: Action,
    object: &str,
    before: &str,
    after: &str,
) -> Result<()> {
    let last = sqlx::query(
        "select seq, hash from audit_entry where organisation_id = $1 order by seq desc limit 1",
    )
    .bind(org.0)
    .fetch_optional(&mut **tx)
    .await?;
    let (seq, prev_hash) = match last {
        Some(r) => (
            r.try_get::<i64, _>("seq")? + 1,
            r.try_get::<String, _>("hash")?,
        ),
        None => (1, String::new()),
    };
    let entry = Entry {
        organisation: org.0,
        seq,
        at: now(),
        actor: actor.to_owned(),
        action: action.as_str().to_owned(),
        object: object.to_owned(),
        before: before.to_owned(),
        after: after.to_owned(),
        prev_hash,
        hash: String::new(),
    };
    let hash = entry.computed_hash();
    // Two writers appending at once: the unique (organisation, seq) refuses the second,
    // whose whole change then fails and can be retried; nothing is half-saved.
    sqlx::query(
        "insert into audit_entry (organisation_id, seq, at, actor, action, object, before_text, \
         after_text, prev_hash, hash, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $3, $3)",
    )
    .bind(entry.organisation)
    .bind(entry.seq)
    .bind(&entry.at)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.object)
    .bind(&entry.before)
    .bind(&entry.after)
    .bind(&entry.prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The latest entries of a department's chains (its own and its offices'), or of all for
    /// `None`, newest first.
    ///
    /// # Errors
    /// [`crate::Error::Database`].
    pub async fn recent_trail(&self, scope: Option<OrgId>, limit: i64) -> Result<Vec<TrailEntry>> {
        let rows = sqlx::query(
            // `+organisation_id`: walk the time index and stop at the limit, rather than let
            // SQLite gather a busy department's every entry and sort them (101 ms → 1 ms over
            // 90,000 entries).
            "select seq, at, actor, action, object, before_text, after_text from audit_entry \
             where audit_entry_id in (select audit_entry_id from audit_entry \
             where $1 is null or +organisation_id = $1 or +organisation_id in \
             (select organisation_id from organisation where parent_id = $1 and kind = '处室') \
             order by at desc, seq desc limit $2) order by at desc, seq desc",
        )
        .bind(scope.map(|o| o.0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(trail_entry).collect()
    }

    /// The trail of one project (its changes, review steps and evidence), newest first.
    ///
    /// # Errors
    /// [`crate::Error::Database`].
    pub async fn project_trail(&self, project: crate::ProjectId) -> Result<Vec<TrailEntry>> {
        let exact = format!("project:{}", project.0);
        let below = format!("project:{}/%", project.0);
        let rows = sqlx::query(
            "select seq, at, actor, action, object, before_text, after_text from audit_entry \
             where object = $1 or object like $2 order by at desc, seq desc",
        )
        .bind(&exact)
        .bind(&below)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(trail_entry).collect()
    }

    /// The last entry of every organisation's chain.
    ///
    /// # Errors
    /// [`crate::Error::Database`].
    pub async fn audit_heads(&self) -> Result<Vec<Head>> {
        let rows = sqlx::query(
            "select a.organisation_id, a.seq, a.hash from audit_entry a \
             where a.seq = (select max(b.seq) from audit_entry b where b.organisation_id = a.organisation_id) \
             order by a.organisation_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Head {
                    organisation: OrgId(r.try_get("organisation_id")?),
                    seq: r.try_get("seq")?,
                    hash: r.try_get("hash")?,
                })
            })
            .collect()
    }

    /// Checks every chain (and, when given, that each kept head is still in its chain);
    /// returns the problems found, none when the trail is intact.
    ///
    /// # Errors
    /// [`crate::Error::Database`].
    pub async fn verify_audit(&self, kept: &[Head]) -> Result<Vec<Problem>> {
        let rows = sqlx::query(
            "select organisation_id, seq, at, actor, action, object, before_text, after_text, \
             prev_hash, hash from audit_entry order by organisation_id, seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut problems = Vec::new();
        let mut last: Option<(i64, i64, String)> = None;
        let mut seen: Vec<(i64, i64, String)> = Vec::new();
        for r in &rows {
            let e = Entry {
                organisation: r.try_get("organisation_id")?,
                seq: r.try_get("seq")?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                object: r.try_get("object")?,
                before: r.try_get("before_text")?,
                after: r.try_get("after_text")?,
                prev_hash: r.try_get("prev_hash")?,
                hash: r.try_get("hash")?,
            };
            let org = OrgId(e.organisation);
            let (expected_seq, expected_prev) = match &last {
                Some((o, s, h)) if *o == e.organisation => (s + 1, h.clone()),
                _ => (1, String::new()),
            };
            if e.seq > expected_seq {
                problems.push(Problem::Missing {
                    organisation: org,
                    from: expected_seq,
                    to: e.seq - 1,
                });
            }
            if e.computed_hash() != e.hash {
                problems.push(Problem::Edited {
                    organisation: org,
                    seq: e.seq,
                });
            } else if e.prev_hash != expected_prev && e.seq == expected_seq {
                problems.push(Problem::Inserted {
                    organisation: org,
                    seq: e.seq,
                });
            }
            seen.push((e.organisation, e.seq, e.hash.clone()));
            last = Some((e.organisation, e.seq, e.hash));
        }
        for head in kept {
            let intact = seen
                .iter()
                .any(|(o, s, h)| *o == head.organisation.0 && *s == head.seq && *h == head.hash);
            if !intact {
                problems.push(Problem::Head {
                    organisation: head.organisation,
                    seq: head.seq,
                });
            }
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_boundaries_change_the_hash() {
        assert_ne!(entry_hash(&["ab", "c"]), entry_hash(&["a", "bc"]));
        assert_eq!(entry_hash(&["x"]).len(), 64);
    }

    #[test]
    fn heads_read_back() {
        let h = Head {
            organisation: OrgId(7),
            seq: 12,
            hash: "a".repeat(64),
        };
        assert_eq!(Head::parse(&h.line()), Some(h));
        assert_eq!(Head::parse("7 12 short"), None);
    }
}
