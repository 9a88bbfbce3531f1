//! Creating and dropping whole PostgreSQL databases, for tests and for setting up a
//! deployment (`CREATE DATABASE` cannot run inside a transaction or take parameters).

use crate::{Error, Result};

/// Whether a database name is safe to put into SQL text: ASCII letters, digits and `_`.
fn plain(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `admin` with its database name replaced by `name`.
fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path = base[scheme_end..].find('/').map(|i| scheme_end + i);
    let root = path.map_or(base, |i| &base[..i]);
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

/// Creates database `name` (dropping an old one of that name) on the server of the
/// PostgreSQL URL `admin`, and returns the URL of the new database.
///
/// # Errors
/// [`Error::Open`] for an unsafe name or an unreachable server, [`Error::Database`].
pub async fn create_database(admin: &str, name: &str) -> Result<String> {
    if !plain(name) {
        return Err(Error::Open(format!("database name {name} is not plain")));
    }
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(admin)
        .await
        .map_err(|e| Error::Open(e.to_string()))?;
    // The name was checked to be plain above.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "drop database if exists {name}"
    )))
    .execute(&pool)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
        .execute(&pool)
        .await?;
    pool.close().await;
    Ok(with_database(admin, name))
}

/// Drops database `name` on the server of `admin`.
///
/// # Errors
/// As [`create_database`].
pub async fn drop_database(admin: &str, name: &str) -> Result<()> {
    if !plain(name) {
        return Err(Error::Open(format!("database name {name} is not plain")));
    }
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(admin)
        .await
        .map_err(|e| Error::Open(e.to_string()))?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "drop database if exists {name} with (force)"
    )))
    .execute(&pool)
    .await?;
    pool.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_replaced_in_urls() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u@h/db?sslmode=disable", "t2"),
            "postgres://u@h/t2?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "t3"), "postgres://u@h/t3");
        assert!(plain("jixiao_test_12") && !plain("x; drop table y") && !plain("Upper"));
    }
}
