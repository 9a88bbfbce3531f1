//! People who log in (with an argon2id hash, never a password) and their sessions (kept by
//! the hash of their token, so a copy of the database holds no usable session).

use jixiao_core::project::Role;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Error, OrgId, Result, Store, now};

/// A user's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

/// A user as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// The organisation the user works in.
    pub organisation: OrgId,
    /// Log-in name.
    pub username: String,
    /// Name shown on pages.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// argon2id hash in PHC format.
    pub password_hash: String,
    /// Failed log-ins in a row.
    pub failed_logins: i64,
    /// Locked until this time (RFC 3339 UTC), if locked.
    pub locked_until: Option<String>,
    /// When an administrator disabled the account, if disabled.
    pub disabled_at: Option<String>,
}

/// A live session with its user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Who.
    pub user: User,
    /// The token forms must carry.
    pub csrf: String,
    /// Last request (RFC 3339 UTC).
    pub last_seen_at: String,
    /// Absolute end (RFC 3339 UTC).
    pub expires_at: String,
}

fn user(r: &AnyRow) -> Result<User> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: UserId(r.try_get("app_user_id")?),
        organisation: OrgId(r.try_get("organisation_id")?),
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: Role::parse(&role).ok_or(Error::Corrupt {
            field: "app_user.role".into(),
            value: role,
        })?,
        password_hash: r.try_get("password_hash")?,
        failed_logins: r.try_get("failed_logins")?,
        locked_until: r.try_get("locked_until")?,
        disabled_at: r.try_get("disabled_at")?,
    })
}

impl Store {
    /// Creates a user.
    ///
    /// # Errors
    /// [`Error::Conflict`] when the user name is taken.
    pub async fn create_user(
        &self,
        org: OrgId,
        username: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
        actor: &str,
    ) -> Result<UserId> {
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into app_user (organisation_id, username, display_name, role, password_hash, \
             failed_logins, locked_until, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, 0, null, $6, $6) returning app_user_id",
        )
        .bind(org.0)
        .bind(username)
        .bind(display_name)
        .bind(role.zh())
        .bind(password_hash)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        // The trail records who the user is and their role, never the password hash.
        crate::audit::append(
            &mut tx,
            org,
            actor,
            crate::audit::Action::Create,
            &format!("user:{username}"),
            "",
            &format!("{display_name}（{}）", role.zh()),
        )
        .await?;
        tx.commit().await?;
        Ok(UserId(id))
    }

    /// The user with this log-in name.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let sql = "select app_user_id, organisation_id, username, display_name, role, \
                   password_hash, failed_logins, locked_until, disabled_at from app_user \
                   where username = $1";
        let row = sqlx::query(sql)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user).transpose()
    }

    /// The users of one organisation, or of all, by organisation and name.
    ///
    /// # Errors
    /// [`Error::Database`], [`Error::Corrupt`].
    pub async fn users(&self, org: Option<OrgId>) -> Result<Vec<User>> {
        let rows = sqlx::query(
            "select app_user_id, organisation_id, username, display_name, role, password_hash, \
             failed_logins, locked_until, disabled_at from app_user \
             where ($1 is null or organisation_id = $1) order by organisation_id, username",
        )
        .bind(org.map(|o| o.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user).collect()
    }

    /// Changes a user's role and whether the account is disabled; disabling ends the user's
    /// sessions. Recorded in the audit trail.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub async fn update_user(
        &self,
        target: &User,
        role: Role,
        disabled: bool,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let at = now();
        let done = sqlx::query(
            "update app_user set role = $1, \
             disabled_at = case when $2 then coalesce(disabled_at, $3) else null end, \
             updated_at = $3 where app_user_id = $4",
        )
        .bind(role.zh())
        .bind(disabled)
        .bind(&at)
        .bind(target.id.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound {
                what: "用户",
                id: target.id.0,
            });
        }
        if disabled {
            sqlx::query("delete from app_session where app_user_id = $1")
                .bind(target.id.0)
                .execute(&mut *tx)
                .await?;
        }
        let state = |role: Role, disabled: bool| {
            format!("{}{}", role.zh(), if disabled { "，已停用" } else { "" })
        };
        crate::audit::append(
            &mut tx,
            target.organisation,
            actor,
            crate::audit::Action::Update,
            &format!("user:{}", target.username),
            &state(target.role, target.disabled_at.is_some()),
            &state(role, disabled),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many users exist (none: the log-in page explains how to create the first).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("select count(*) from app_user")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Records a failed log-in; from the fifth in a row the account is locked until `lock_until`.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn login_failed(&self, id: UserId, lock_until: &str) -> Result<()> {
        // One statement: concurrent failures all count.
        sqlx::query(
            "update app_user set failed_logins = failed_logins + 1, \
             locked_until = case when failed_logins + 1 >= 5 then $1 else locked_until end, \
             updated_at = $2 where app_user_id = $3",
        )
        .bind(lock_until)
        .bind(now())
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Clears the failure count after a successful log-in.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn login_succeeded(&self, id: UserId) -> Result<()> {
        sqlx::query(
            "update app_user set failed_logins = 0, locked_until = null, updated_at = $1 \
             where app_user_id = $2",
        )
        .bind(now())
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces a user's password hash (the audit trail notes the change, not the hash).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn set_password(&self, user: &User, password_hash: &str, actor: &str) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "update app_user set password_hash = $1, updated_at = $2 where app_user_id = $3",
        )
        .bind(password_hash)
        .bind(now())
        .bind(user.id.0)
        .execute(&mut *tx)
        .await?;
        crate::audit::append(
            &mut tx,
            user.organisation,
            actor,
            crate::audit::Action::Update,
            &format!("user:{}", user.username),
            "",
            "密码已修改",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a session under the hash of its token.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf: &str,
        expires_at: &str,
    ) -> Result<()> {
        let at = now();
        sqlx::query(
            "insert into app_session (app_session_id, app_user_id, csrf_token, last_seen_at, \
             expires_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $4, $4)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(csrf)
        .bind(&at)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The session with this token hash, and its user.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row = sqlx::query(
            "select u.app_user_id, u.organisation_id, u.username, u.display_name, u.role, \
             u.password_hash, u.failed_logins, u.locked_until, u.disabled_at, s.csrf_token, \
             s.last_seen_at, s.expires_at from app_session s \
             join app_user u on u.app_user_id = s.app_user_id \
             where s.app_session_id = $1 and u.disabled_at is null",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Session {
                user: user(&r)?,
                csrf: r.try_get("csrf_token")?,
                last_seen_at: r.try_get("last_seen_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    /// Notes a request in the session (for the idle timeout).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn touch_session(&self, token_hash: &str) -> Result<()> {
        let at = now();
        sqlx::query(
            "update app_session set last_seen_at = $1, updated_at = $1 where app_session_id = $2",
        )
        .bind(&at)
        .bind(token_hash)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Ends a session.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("delete from app_session where app_session_id = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records an API token (by its hash) for a user.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn create_api_token(
        &self,
        token_hash: &str,
        user: &User,
        name: &str,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let at = now();
        sqlx::query(
            "insert into api_token (api_token_id, app_user_id, name, created_at, updated_at) \
             values ($1, $2, $3, $4, $4)",
        )
        .bind(token_hash)
        .bind(user.id.0)
        .bind(name)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        crate::audit::append(
            &mut tx,
            user.organisation,
            actor,
            crate::audit::Action::Create,
            &format!("api_token:{}", user.username),
            "",
            &format!("API 令牌「{name}」"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user an API token (by its hash) belongs to.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn token_user(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "select u.app_user_id, u.organisation_id, u.username, u.display_name, u.role, \
             u.password_hash, u.failed_logins, u.locked_until, u.disabled_at from api_token t \
             join app_user u on u.app_user_id = t.app_user_id \
             where t.api_token_id = $1 and u.disabled_at is null",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user).transpose()
    }

    /// An organisation's name.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn organisation_name(&self, id: OrgId) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("select name from organisation where organisation_id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

/// The time `secs` seconds from now, in the stored format (for lock and session ends).
#[must_use]
pub fn timestamp_after(secs: i64) -> String {
    crate::at(crate::unix_now() + secs)
}
