//! Administration pages: users, organisations, each department's review chain, frameworks
//! (upload a file, see its tree), and the audit trail of a project.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_core::framework::NodeKind;
use jixiao_core::project::Role;
use jixiao_core::workflow::{CONFIGURABLE_STEPS, DEPARTMENT_REVIEWERS, FlowKind, FlowState};
use jixiao_store::{OrgId, OrgKind};
use serde::Deserialize;

use super::projects::visible;
use super::{
    Viewer, error_summary, forbidden, not_found, render, select, server_error, stale_form,
    text_field, viewer,
};
use crate::AppState;
use crate::auth::{MIN_PASSWORD, hash_password};
use crate::handlers::esc;

/// A refusal shown in one section of the administration page.
#[derive(Default)]
struct Notices {
    users: Option<String>,
    organisations: Option<String>,
    chain: Option<String>,
    fund: Option<String>,
    frameworks: Option<String>,
    monitoring: Option<String>,
    /// The monitoring rules and calendar as typed, when they were refused.
    monitoring_input: Option<(String, String)>,
}

async fn administrator(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Response> {
    let v = viewer(state, headers).await?;
    if v.role() != Role::Admin {
        return Err(forbidden(state, &v, "只有管理员可以进入管理页面。"));
    }
    Ok(v)
}

/// An administrator's posted form, its CSRF token checked.
async fn administrator_form(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<Viewer, Response> {
    let v = administrator(state, headers).await?;
    if !v.csrf_ok(csrf) {
        return Err(stale_form(state, &v));
    }
    Ok(v)
}

/// Which department's review chain the page shows.
#[derive(Debug, Default, Deserialize)]
pub struct AdminQuery {
    #[serde(default)]
    org: String,
}

/// `GET /admin`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<AdminQuery>,
) -> Response {
    let v = match administrator(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    admin_page(
        &state,
        &v,
        q.org.parse().ok(),
        &Notices::default(),
        StatusCode::OK,
    )
    .await
}

fn notice(message: Option<&String>) -> String {
    message.map_or(String::new(), |m| error_summary(&[("", m.clone())]))
}

async fn admin_page(
    state: &AppState,
    v: &Viewer,
    chain_org: Option<i64>,
    notices: &Notices,
    status: StatusCode,
) -> Response {
    let orgs = match state.store.organisations().await {
        Ok(o) => o,
        Err(e) => return server_error(state, v, &e),
    };
    let users = match state.store.users(None).await {
        Ok(u) => u,
        Err(e) => return server_error(state, v, &e),
    };
    let org_name = |id: OrgId| {
        orgs.iter()
            .find(|o| o.id == id)
            .map_or(String::new(), |o| o.name.clone())
    };
    let role_options: Vec<(String, String)> = Role::NAMES
        .iter()
        .map(|r| ((*r).to_owned(), (*r).to_owned()))
        .collect();
    let org_options: Vec<(String, String)> = orgs
        .iter()
        .map(|o| (o.id.0.to_string(), format!("{}（{}）", o.name, o.kind.zh())))
        .collect();
    let mut main = String::from(
        "<nav aria-label=\"管理\" class=\"subnav\"><ul><li><a href=\"#users\">用户</a></li>\
         <li><a href=\"#organisations\">单位</a></li><li><a href=\"#chain\">审核链</a></li>\
         <li><a href=\"#monitoring\">监控规则</a></li>\
         <li><a href=\"#frameworks\">指标体系框架</a></li></ul></nav>",
    );
    // Users.
    let rows: String = users
        .iter()
        .map(|u| {
            let role_id = format!("role-{}", u.id.0);
            format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>\
                 <form method=\"post\" action=\"/admin/users/{}\" class=\"inline-form\">{}\
                 <label for=\"{role_id}\" class=\"visually-hidden\">{}的角色</label>\
                 <select id=\"{role_id}\" name=\"role\">{}</select>\
                 <input type=\"hidden\" name=\"disabled\" value=\"{}\">\
                 <button type=\"submit\">改角色</button></form>\
                 <form method=\"post\" action=\"/admin/users/{}\" class=\"inline-form\">{}\
                 <input type=\"hidden\" name=\"role\" value=\"{}\"><input type=\"hidden\" name=\"disabled\" value=\"{}\">\
                 <button type=\"submit\">{}<span class=\"visually-hidden\">{}</span></button></form></td></tr>",
                esc(&u.username),
                esc(&u.display_name),
                esc(&org_name(u.organisation)),
                if u.disabled_at.is_some() { "已停用" } else { "正常" },
                esc(&u.username),
                v.csrf_field(),
                esc(&u.username),
                Role::NAMES
                    .iter()
                    .map(|r| format!(
                        "<option{}>{}</option>",
                        if *r == u.role.zh() { " selected" } else { "" },
                        r
                    ))
                    .collect::<String>(),
                if u.disabled_at.is_some() { "1" } else { "0" },
                esc(&u.username),
                v.csrf_field(),
                u.role.zh(),
                if u.disabled_at.is_some() { "0" } else { "1" },
                if u.disabled_at.is_some() { "恢复" } else { "停用" },
                esc(&u.username),
            )
        })
        .collect();
    main.push_str(&format!(
        "<section aria-labelledby=\"users\"><h2 id=\"users\">用户</h2>{}\
         <table><caption>全部用户（{} 人）</caption><thead><tr><th scope=\"col\">用户名</th>\
         <th scope=\"col\">姓名</th><th scope=\"col\">单位</th><th scope=\"col\">状态</th>\
         <th scope=\"col\">角色与操作</th></tr></thead><tbody>{rows}</tbody></table>\
         <form method=\"post\" action=\"/admin/users\"><h3>新建用户</h3>{}{}{}{}{}\
         <div class=\"field\"><label for=\"password\">初始密码</label><p class=\"hint\" id=\"password-hint\">至少 {MIN_PASSWORD} 个字符；请线下告知本人并提醒修改。</p>\
         <input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"new-password\" aria-describedby=\"password-hint\"></div>\
         <button type=\"submit\">创建用户</button></form></section>",
        notice(notices.users.as_ref()),
        users.len(),
        v.csrf_field(),
        text_field("username", "用户名", "", Some("字母、数字或 - _ . @"), None),
        text_field("display_name", "姓名", "", None, None),
        select("new_role", "角色", &role_options, "经办人"),
        select("organisation", "单位", &org_options, ""),
    ));
    // Organisations.
    let rows: String = orgs
        .iter()
        .map(|o| {
            format!(
                "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
                o.id.0,
                esc(&o.name),
                o.kind.zh(),
                esc(&o.parent.map(org_name).unwrap_or_default())
            )
        })
        .collect();
    let kinds: Vec<(String, String)> = OrgKind::ALL
        .iter()
        .map(|k| (k.zh().to_owned(), k.zh().to_owned()))
        .collect();
    let parents: Vec<(String, String)> = std::iter::once((String::new(), "无（顶层）".to_owned()))
        .chain(org_options.iter().cloned())
        .collect();
    main.push_str(&format!(
        "<section aria-labelledby=\"organisations\"><h2 id=\"organisations\">单位</h2>{}\
         <table><caption>单位（财政局 → 部门 → 处室）</caption><thead><tr><th scope=\"col\">编号</th>\
         <th scope=\"col\">名称</th><th scope=\"col\">类型</th><th scope=\"col\">上级单位</th></tr></thead>\
         <tbody>{rows}</tbody></table><form method=\"post\" action=\"/admin/organisations\"><h3>新建单位</h3>{}{}{}{}\
         <button type=\"submit\">创建单位</button></form></section>",
        notice(notices.organisations.as_ref()),
        v.csrf_field(),
        text_field("org_name", "名称", "", None, None),
        select("kind", "类型", &kinds, "部门"),
        select("parent", "上级单位", &parents, ""),
    ));
    // Review chain of one department.
    let departments: Vec<&jixiao_store::Organisation> = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::Department)
        .collect();
    let chosen = chain_org
        .and_then(|c| departments.iter().find(|o| o.id.0 == c))
        .or_else(|| departments.first())
        .copied();
    main.push_str(&format!(
        "<section aria-labelledby=\"chain\"><h2 id=\"chain\">审核链</h2>{}",
        notice(notices.chain.as_ref())
    ));
    if let Some(dept) = chosen {
        let dept_options: Vec<(String, String)> = departments
            .iter()
            .map(|o| (o.id.0.to_string(), o.name.clone()))
            .collect();
        main.push_str(&format!(
            "<form method=\"get\" action=\"/admin#chain\" class=\"inline-form\">{}<button type=\"submit\">查看</button></form>",
            select("org", "部门", &dept_options, &dept.id.0.to_string())
        ));
        for kind in [FlowKind::TargetSheet, FlowKind::SelfEvaluation] {
            let chain = match state.store.review_chain(dept.id, kind).await {
                Ok(c) => c,
                Err(e) => return server_error(state, v, &e),
            };
            let rows: String = chain
                .iter()
                .enumerate()
                .map(|(i, step)| {
                    let next = chain.get(i + 1).map_or(FlowState::Approved, |n| n.state);
                    let roles = step
                        .roles
                        .iter()
                        .map(|r| r.zh())
                        .collect::<Vec<_>>()
                        .join("、");
                    let form = if CONFIGURABLE_STEPS.contains(&step.state) {
                        let boxes: String = DEPARTMENT_REVIEWERS
                            .iter()
                            .enumerate()
                            .map(|(n, r)| {
                                let id = format!("c-{}-{}-{n}", kind.id(), step.state.id());
                                format!(
                                    "<input type=\"checkbox\" id=\"{id}\" name=\"r{n}\" value=\"1\"{}>\
                                     <label for=\"{id}\" class=\"inline\">{}</label> ",
                                    if step.roles.contains(r) { " checked" } else { "" },
                                    r.zh()
                                )
                            })
                            .collect();
                        format!(
                            "<form method=\"post\" action=\"/admin/review-chain\">{}\
                             <input type=\"hidden\" name=\"org\" value=\"{}\"><input type=\"hidden\" name=\"kind\" value=\"{}\">\
                             <input type=\"hidden\" name=\"step\" value=\"{}\">\
                             <fieldset><legend>“{} → {}”由谁办理</legend>{boxes}</fieldset>\
                             <button type=\"submit\" name=\"save\" value=\"1\">保存</button> \
                             <button type=\"submit\" name=\"default\" value=\"1\">恢复默认</button></form>",
                            v.csrf_field(),
                            dept.id.0,
                            kind.id(),
                            step.state.id(),
                            step.state.zh(kind),
                            next.zh(kind)
                        )
                    } else {
                        "不可配置".to_owned()
                    };
                    format!(
                        "<tr><th scope=\"row\">{} → {}</th><td>{}{}</td><td>{form}</td></tr>",
                        step.state.zh(kind),
                        next.zh(kind),
                        esc(&roles),
                        if step.configured { "（本单位配置）" } else { "" }
                    )
                })
                .collect();
            main.push_str(&format!(
                "<table><caption>{} {}的审核链（绩效目标调整沿用绩效目标表的审核链）</caption>\
                 <thead><tr><th scope=\"col\">环节</th><th scope=\"col\">办理角色</th><th scope=\"col\">配置</th></tr></thead>\
                 <tbody>{rows}</tbody></table>",
                esc(&dept.name),
                kind.zh()
            ));
        }
        // The department's approval chain for payments.
        let fund = match state.store.fund_chain(dept.id).await {
            Ok(c) => c,
            Err(e) => return server_error(state, v, &e),
        };
        let lines: String = fund
            .iter()
            .map(|s| {
                format!(
                    "{} {} {}\n",
                    s.role.zh(),
                    s.min.map_or("-".to_owned(), jixiao_core::num::Money::yuan),
                    s.below
                        .map_or("-".to_owned(), jixiao_core::num::Money::yuan)
                )
            })
            .collect();
        main.push_str(&format!(
            "<h3 id=\"fund-chain\">{} 的资金审批链</h3>{}\
             <form method=\"post\" action=\"/admin/fund-chain\" class=\"block-form\">{}\
             <input type=\"hidden\" name=\"org\" value=\"{}\">\
             <div class=\"field\"><label for=\"fund-lines\">审批环节（每行一个：角色 起始金额 上限金额；不设金额写 -）</label>\
             <p class=\"hint\" id=\"fund-lines-hint\">例如“分管领导 5000 -”表示 5000 元起才需分管领导审批；清空后保存恢复默认（部门负责人 → 财务负责人 → 分管领导 → 单位负责人）。出纳在审批完成后支付。</p>\
             <textarea id=\"fund-lines\" name=\"lines\" rows=\"5\" aria-describedby=\"fund-lines-hint\">{}</textarea></div>\
             <button type=\"submit\">保存资金审批链</button></form>",
            esc(&dept.name),
            notice(notices.fund.as_ref()),
            v.csrf_field(),
            dept.id.0,
            esc(&lines)
        ));
    } else {
        main.push_str("<p>还没有部门。</p>");
    }
    main.push_str("</section>");
    // Monitoring rules and the working-day calendar.
    let (rules, calendar) = match &notices.monitoring_input {
        Some((r, c)) => (r.clone(), c.clone()),
        None => {
            let loaded = async {
                Ok::<_, jixiao_store::Error>((
                    state.store.monitoring_rules().await?.1,
                    state.store.work_calendar().await?.1,
                ))
            }
            .await;
            match loaded {
                Ok(x) => x,
                Err(e) => return server_error(state, v, &e),
            }
        }
    };
    main.push_str(&format!(
        "<section aria-labelledby=\"monitoring\"><h2 id=\"monitoring\">监控规则与工作日历</h2>{}\
         <form method=\"post\" action=\"/admin/monitoring\">{}\
         <div class=\"field\"><label for=\"rules\">监控规则</label>\
         <p class=\"hint\" id=\"rules-hint\">每行一项：轮次 月-日；检查点 月 执行率；黄色线、红色线（进度比）；差距黄色、差距红色（百分点）；答复期限（工作日）。</p>\
         <textarea id=\"rules\" name=\"rules\" rows=\"14\" aria-describedby=\"rules-hint\">{}</textarea></div>\
         <div class=\"field\"><label for=\"calendar\">工作日历（法定节假日与调休）</label>\
         <p class=\"hint\" id=\"calendar-hint\">每行一项：日期或日期范围（如 2026-10-01..2026-10-07）、休或班、名称。周六、周日休息，除非列为“班”。</p>\
         <textarea id=\"calendar\" name=\"calendar\" rows=\"14\" aria-describedby=\"calendar-hint\">{}</textarea></div>\
         <button type=\"submit\">保存监控规则与工作日历</button></form></section>",
        notice(notices.monitoring.as_ref()),
        v.csrf_field(),
        esc(&rules),
        esc(&calendar)
    ));
    // Frameworks.
    let uploaded = state.store.frameworks().await.unwrap_or_default();
    let rows: String = jixiao_core::builtin::BUILTIN
        .iter()
        .map(|(name, title, _)| {
            format!(
                "<tr><th scope=\"row\"><a href=\"/admin/frameworks/{name}\">{name}</a></th><td>{}</td><td>内置</td></tr>",
                esc(title)
            )
        })
        .chain(uploaded.iter().map(|f| {
            format!(
                "<tr><th scope=\"row\"><a href=\"/admin/frameworks/{}\">{}</a></th><td>{}</td><td>{} 于 {} 上传</td></tr>",
                esc(&f.name),
                esc(&f.name),
                esc(&f.title),
                esc(&f.uploaded_by),
                esc(&f.uploaded_at)
            )
        }))
        .collect();
    let fw_error = notices.frameworks.as_deref();
    main.push_str(&format!(
        "<section aria-labelledby=\"frameworks\"><h2 id=\"frameworks\">指标体系框架</h2>{}\
         <table><caption>可用的指标体系框架</caption><thead><tr><th scope=\"col\">名称</th>\
         <th scope=\"col\">说明</th><th scope=\"col\">来源</th></tr></thead><tbody>{rows}</tbody></table>\
         <form method=\"post\" action=\"/admin/frameworks\" enctype=\"multipart/form-data\"><h3>上传框架文件</h3>{}\
         <div class=\"field\"><label for=\"framework\">框架文件（TOML，格式同内置框架）</label>\
         <p class=\"hint\" id=\"framework-hint\">以文件中 [framework] name 为名；不能与已有框架同名；上传后不再修改。</p>\
         <input type=\"file\" id=\"framework\" name=\"framework\" accept=\".toml\" aria-describedby=\"framework-hint\"{}></div>\
         <button type=\"submit\">上传</button></form></section>",
        notice(notices.frameworks.as_ref()),
        v.csrf_field(),
        if fw_error.is_some() {
            " aria-invalid=\"true\""
        } else {
            ""
        }
    ));
    (status, Html(render(state, v, "/admin", "管理", &main))).into_response()
}

/// The new-user form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewUserForm {
    csrf: String,
    username: String,
    display_name: String,
    new_role: String,
    organisation: String,
    password: String,
}

/// `POST /admin/users`.
pub async fn create_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<NewUserForm>,
) -> Response {
    let v = match administrator_form(&state, &headers, &form.csrf).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let refuse = |m: String| Notices {
        users: Some(m),
        ..Notices::default()
    };
    let username = form.username.trim();
    let valid = !username.is_empty()
        && username.chars().count() <= 64
        && username
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.@".contains(c));
    let problem = if !valid {
        Some("用户名须为 1–64 个字母、数字或 - _ . @".to_owned())
    } else if form.display_name.trim().is_empty() {
        Some("请填写姓名".to_owned())
    } else if form.password.chars().count() < MIN_PASSWORD {
        Some(format!("初始密码至少 {MIN_PASSWORD} 个字符"))
    } else {
        None
    };
    if let Some(m) = problem {
        return admin_page(
            &state,
            &v,
            None,
            &refuse(m),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (Some(role), Ok(org)) = (
        Role::parse(&form.new_role),
        form.organisation.parse::<i64>(),
    ) else {
        return admin_page(
            &state,
            &v,
            None,
            &refuse("请选择角色和单位".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let password = form.password.clone();
    let Ok(Ok(hash)) = tokio::task::spawn_blocking(move || hash_password(&password)).await else {
        return server_error(&state, &v, &"密码哈希失败");
    };
    match state
        .store
        .create_user(
            OrgId(org),
            username,
            form.display_name.trim(),
            role,
            &hash,
            &v.s.user.username,
        )
        .await
    {
        Ok(_) => Redirect::to("/admin#users").into_response(),
        Err(jixiao_store::Error::Conflict { .. }) => {
            admin_page(
                &state,
                &v,
                None,
                &refuse(format!("用户名「{username}」已存在")),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

/// A user's role and state.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UserForm {
    csrf: String,
    role: String,
    disabled: String,
}

/// `POST /admin/users/{username}`.
pub async fn update_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(username): Path<String>,
    axum::Form(form): axum::Form<UserForm>,
) -> Response {
    let v = match administrator_form(&state, &headers, &form.csrf).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let target = match state.store.user_by_username(&username).await {
        Ok(Some(u)) => u,
        Ok(None) => return not_found(&state, &v, &format!("用户「{username}」不存在。")),
        Err(e) => return server_error(&state, &v, &e),
    };
    let Some(role) = Role::parse(&form.role) else {
        return not_found(&state, &v, "没有这个角色。");
    };
    let disabled = form.disabled == "1";
    if target.id == v.s.user.id && (disabled || role != Role::Admin) {
        let notices = Notices {
            users: Some("不能停用自己的账户或取消自己的管理员角色（以免无人能管理系统）".into()),
            ..Notices::default()
        };
        return admin_page(&state, &v, None, &notices, StatusCode::CONFLICT).await;
    }
    match state
        .store
        .update_user(&target, role, disabled, &v.s.user.username)
        .await
    {
        Ok(()) => Redirect::to("/admin#users").into_response(),
        Err(e) => server_error(&state, &v, &e),
    }
}

/// The new-organisation form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrgForm {
    csrf: String,
    org_name: String,
    kind: String,
    #[serde(default)]
    parent: String,
}

/// `POST /admin/organisations`.
pub async fn create_organisation(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<OrgForm>,
) -> Response {
    let v = match administrator_form(&state, &headers, &form.csrf).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let refuse = |m: String| Notices {
        organisations: Some(m),
        ..Notices::default()
    };
    let name = form.org_name.trim();
    let Some(kind) = OrgKind::parse(&form.kind) else {
        return admin_page(
            &state,
            &v,
            None,
            &refuse("请选择单位类型".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if name.is_empty() {
        return admin_page(
            &state,
            &v,
            None,
            &refuse("请填写单位名称".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let parent = form.parent.parse::<i64>().ok().map(OrgId);
    match state
        .store
        .create_organisation(name, kind, parent, &v.s.user.username)
        .await
    {
        Ok(_) => Redirect::to("/admin#organisations").into_response(),
        Err(
            e @ (jixiao_store::Error::Conflict { .. }
            | jixiao_store::Error::Refused { .. }
            | jixiao_store::Error::NotFound { .. }),
        ) => {
            admin_page(
                &state,
                &v,
                None,
                &refuse(e.zh()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

/// `POST /admin/review-chain`: the roles of one step (checkboxes `r0`…), or its default.
pub async fn review_chain(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let v = match administrator(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let get = |k: &str| form.get(k).map_or("", String::as_str);
    if !v.csrf_ok(get("csrf")) {
        return stale_form(&state, &v);
    }
    let (Ok(org), Some(kind), Some(step)) = (
        get("org").parse::<i64>(),
        FlowKind::parse(get("kind")),
        FlowState::parse(get("step")),
    ) else {
        return not_found(&state, &v, "没有这个审核环节。");
    };
    let roles: Option<Vec<Role>> = if get("default") == "1" {
        None
    } else {
        Some(
            DEPARTMENT_REVIEWERS
                .iter()
                .enumerate()
                .filter(|(n, _)| get(&format!("r{n}")) == "1")
                .map(|(_, r)| *r)
                .collect(),
        )
    };
    match state
        .store
        .set_review_step(OrgId(org), kind, step, roles.as_deref(), &v.s.user.username)
        .await
    {
        Ok(()) => Redirect::to(&format!("/admin?org={org}#chain")).into_response(),
        Err(e @ (jixiao_store::Error::Refused { .. } | jixiao_store::Error::NotFound { .. })) => {
            let notices = Notices {
                chain: Some(e.zh()),
                ..Notices::default()
            };
            admin_page(
                &state,
                &v,
                Some(org),
                &notices,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

/// `POST /admin/frameworks` (multipart): uploads a framework file.
pub async fn upload_framework(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let v = match administrator(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (mut csrf, mut body) = (String::new(), Vec::new());
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        let Ok(bytes) = field.bytes().await else {
            break;
        };
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "framework" => body = bytes.to_vec(),
            _ => {}
        }
    }
    if !v.csrf_ok(&csrf) {
        return stale_form(&state, &v);
    }
    let refuse = |m: String| Notices {
        frameworks: Some(m),
        ..Notices::default()
    };
    if body.is_empty() {
        return admin_page(
            &state,
            &v,
            None,
            &refuse("请选择框架文件".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let loaded = jixiao_core::file::framework::read(&body);
    let text = String::from_utf8_lossy(&body).into_owned();
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let line =
                d.at.as_ref()
                    .and_then(|at| loaded.map.span(&at.path))
                    .map(|span| {
                        format!(
                            "第 {} 行 ",
                            text.as_bytes()[..span.start.min(text.len())]
                                .iter()
                                .filter(|&&b| b == b'\n')
                                .count()
                                + 1
                        )
                    })
                    .unwrap_or_default();
            format!("{line}{}", d.problem)
        })
        .collect();
    let fw = match loaded.value {
        Some(fw) if problems.is_empty() => fw,
        _ => {
            return admin_page(
                &state,
                &v,
                None,
                &refuse(format!("框架文件有误：{}", problems.join("；"))),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .store
        .add_framework(v.s.user.organisation, &fw, &text, &v.s.user.username)
        .await
    {
        Ok(()) => Redirect::to(&format!("/admin/frameworks/{}", fw.name)).into_response(),
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            admin_page(&state, &v, None, &refuse(e.zh()), StatusCode::CONFLICT).await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

/// `GET /admin/frameworks/{name}`: a framework's tree (any logged-in user may read it).
pub async fn framework(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let fw = match state.store.framework(&name).await {
        Ok(Some(fw)) => fw,
        Ok(None) => return not_found(&state, &v, &format!("没有名为「{name}」的指标体系框架。")),
        Err(e) => return server_error(&state, &v, &e),
    };
    let depth = |mut i: usize| {
        let mut d = 1;
        while let Some(p) = fw.nodes[i].parent {
            d += 1;
            i = p;
        }
        d
    };
    let rows: String = fw
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!(
                "<tr class=\"depth-{}\"><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                depth(i),
                esc(&n.code),
                esc(&n.name),
                n.weight.map_or(String::new(), |w| w.to_string()),
                match n.kind {
                    NodeKind::Group => "汇总",
                    NodeKind::Judged => "评判",
                    NodeKind::Computed { .. } => "计算",
                    NodeKind::Slot(_) => "绩效指标",
                },
                esc(n.explanation.as_deref().unwrap_or("")),
                esc(n.criteria.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let main = format!(
        "<p>{}</p><table class=\"sheet\"><caption>{}（{}）的指标树，总分 {}</caption><thead><tr>\
         <th scope=\"col\">编码</th><th scope=\"col\">指标</th><th scope=\"col\">权重</th><th scope=\"col\">方式</th>\
         <th scope=\"col\">指标解释</th><th scope=\"col\">评分标准</th></tr></thead><tbody>{rows}</tbody></table>",
        esc(fw.description.as_deref().unwrap_or("")),
        esc(&fw.title),
        esc(&fw.name),
        fw.total,
    );
    Html(render(
        &state,
        &v,
        "/admin",
        &format!("指标体系框架：{}", fw.name),
        &main,
    ))
    .into_response()
}

/// `GET /projects/{id}/audit`: the project's audit trail (administrators and reviewers).
pub async fn trail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !matches!(v.role(), Role::Admin | Role::Reviewer) {
        return forbidden(&state, &v, "只有管理员和财政局审核人员可以查看审计记录。");
    }
    let stored = match visible(&state, &v, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let entries = match state.store.project_trail(stored.id).await {
        Ok(e) => e,
        Err(e) => return server_error(&state, &v, &e),
    };
    let shown = |text: &str| {
        if text.is_empty() {
            "—".to_owned()
        } else if text.chars().count() > 120 {
            format!(
                "<details><summary>{}…（共 {} 字，展开）</summary><pre tabindex=\"0\">{}</pre></details>",
                esc(&text.chars().take(60).collect::<String>()),
                text.chars().count(),
                esc(text)
            )
        } else {
            esc(text)
        }
    };
    let rows: String = entries
        .iter()
        .map(|e| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
                esc(&e.at),
                esc(&e.actor),
                match e.action.as_str() {
                    "create" => "新建",
                    "update" => "修改",
                    "delete" => "删除",
                    "workflow" => "审核流程",
                    _ => "其他",
                },
                esc(&e.object),
                shown(&e.before),
                shown(&e.after),
            )
        })
        .collect();
    let main = format!(
        "<p><a href=\"/projects/{}\">返回项目</a>。每条记录都在本单位的哈希链中，可用 <code>jixiao audit-log verify</code> 核验。</p>\
         <table><caption>审计记录（{} 条，最新在前）</caption><thead><tr><th scope=\"col\">时间</th>\
         <th scope=\"col\">操作人</th><th scope=\"col\">操作</th><th scope=\"col\">对象</th>\
         <th scope=\"col\">修改前</th><th scope=\"col\">修改后</th></tr></thead><tbody>{rows}</tbody></table>",
        stored.id.0,
        entries.len()
    );
    Html(render(
        &state,
        &v,
        "/projects",
        &format!("审计记录：{}年{}", stored.project.year, stored.project.name),
        &main,
    ))
    .into_response()
}

/// `POST /admin/fund-chain`: a department's approval chain for payments, one step per line
/// (`角色 起始金额 上限金额`, `-` for none); empty restores the default.
pub async fn fund_chain(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let v = match administrator(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let get = |k: &str| form.get(k).map_or("", String::as_str);
    if !v.csrf_ok(get("csrf")) {
        return stale_form(&state, &v);
    }
    let Ok(org) = get("org").parse::<i64>() else {
        return not_found(&state, &v, "没有这个部门。");
    };
    let dash = |t: Option<&str>| t.filter(|t| *t != "-").map(str::to_owned);
    let raw: Vec<(String, Option<String>, Option<String>)> = get("lines")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.split_whitespace();
            (
                parts.next().unwrap_or("").to_owned(),
                dash(parts.next()),
                dash(parts.next()),
            )
        })
        .collect();
    let refuse = |m: String| Notices {
        fund: Some(m),
        ..Notices::default()
    };
    let steps = match crate::funds::chain_steps(&raw) {
        Ok(s) => s,
        Err(m) => {
            // `steps[1].min：…` → 第 2 行 起始金额：…
            let m = m
                .replace(".role", " 角色")
                .replace(".min", " 起始金额")
                .replace(".below", " 上限金额");
            let m = match m.strip_prefix("steps[").and_then(|r| r.split_once(']')) {
                Some((n, rest)) => {
                    format!("第 {} 行{rest}", n.parse::<usize>().map_or(0, |n| n + 1))
                }
                None => m,
            };
            return admin_page(
                &state,
                &v,
                Some(org),
                &refuse(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .store
        .set_fund_chain(OrgId(org), &steps, &v.s.user.username)
        .await
    {
        Ok(()) => Redirect::to(&format!("/admin?org={org}#fund-chain")).into_response(),
        Err(e @ (jixiao_store::Error::Refused { .. } | jixiao_store::Error::NotFound { .. })) => {
            admin_page(
                &state,
                &v,
                Some(org),
                &refuse(e.zh()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

/// `POST /admin/monitoring`: the monitoring rules and the working-day calendar; every bad
/// line is named and nothing is saved when one is wrong.
pub async fn monitoring(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| form.get(k).map_or("", String::as_str);
    let v = match administrator_form(&state, &headers, get("csrf")).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    // Both or neither, in one transaction; every bad line named.
    let refused = match state
        .store
        .set_monitoring_settings(&v.s.user, Some(get("rules")), Some(get("calendar")))
        .await
    {
        Ok(()) => return Redirect::to("/admin#monitoring").into_response(),
        Err(e @ jixiao_store::Error::Refused { .. }) => e.zh(),
        Err(e) => return server_error(&state, &v, &e),
    };
    let notices = Notices {
        monitoring: Some(refused),
        monitoring_input: Some((get("rules").to_owned(), get("calendar").to_owned())),
        ..Notices::default()
    };
    admin_page(&state, &v, None, &notices, StatusCode::UNPROCESSABLE_ENTITY).await
}
