//! The demo data of `jixiao serve --demo`: the Kunming 2022 case and one user per role, with
//! the documented demo password (README). Loaded only into a database without users.

use jixiao_core::project::Role;
use jixiao_store::{OrgKind, Store};

/// The password of every demo user (documented in the README; never use it for real data).
pub const DEMO_PASSWORD: &str = "jixiao-demo-2022";

/// The demo users: user name, display name, role, and whether they work at the finance
/// bureau (else at the Disabled Persons' Federation).
pub const DEMO_USERS: &[(&str, &str, Role, bool)] = &[
    ("officer", "经办人 李敏", Role::Officer, false),
    ("head", "组联处处长 王强", Role::HeadOfOffice, false),
    ("finance", "计财处处长 赵丽", Role::FinanceHead, false),
    ("deputy", "分管领导 陈刚", Role::DeputyLeader, false),
    ("unit-head", "理事长 刘洋", Role::UnitHead, false),
    ("cashier", "出纳 周静", Role::Cashier, false),
    ("evaluator", "评价小组 孙伟", Role::EvaluationGroup, false),
    ("reviewer", "财政局绩效科 吴芳", Role::Reviewer, true),
    ("admin", "系统管理员", Role::Admin, true),
];

/// Loads the demo when the database has no users yet; returns whether it did.
///
/// # Errors
/// A message when the store refuses the data.
pub async fn seed(store: &Store) -> Result<bool, String> {
    if store.user_count().await.map_err(|e| e.zh())? > 0 {
        return Ok(false);
    }
    let src = include_str!("../../../examples/kunming-2022.toml");
    let project = jixiao_core::file::project::read(src.as_bytes())
        .value
        .ok_or("示例项目文件有误")?;
    let bureau = store
        .create_organisation("昆明市财政局", OrgKind::FinanceBureau, None, "演示数据")
        .await
        .map_err(|e| e.zh())?;
    let dept = store
        .create_organisation(
            "昆明市残疾人联合会",
            OrgKind::Department,
            Some(bureau),
            "演示数据",
        )
        .await
        .map_err(|e| e.zh())?;
    store
        .insert_project(dept, &project, "演示数据")
        .await
        .map_err(|e| e.zh())?;
    // One hash, shared: the demo users have the same documented password.
    let hash = tokio::task::spawn_blocking(|| crate::auth::hash_password(DEMO_PASSWORD))
        .await
        .map_err(|e| e.to_string())??;
    for (username, name, role, at_bureau) in DEMO_USERS {
        let org = if *at_bureau { bureau } else { dept };
        store
            .create_user(org, username, name, *role, &hash, "演示数据")
            .await
            .map_err(|e| e.zh())?;
    }
    Ok(true)
}
