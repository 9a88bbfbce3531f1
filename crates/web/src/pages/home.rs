//! The home page per role: what waits for me (待办, with counts), my projects, recent changes.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use jixiao_core::project::Role;
use jixiao_core::workflow::{FlowKind, FlowState, step_roles};
use jixiao_store::ProjectFilter;

use super::{render, server_error, viewer};
use crate::AppState;
use crate::handlers::{esc, scope};

/// What the viewer's role does in one state: the step the user would take.
fn task(kind: FlowKind, state: FlowState) -> String {
    match state {
        FlowState::Draft => format!("待提交的{}", kind.zh()),
        s => format!("待审核的{}（{}）", kind.zh(), s.zh(kind)),
    }
}

/// `GET /`.
pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let scope = scope(&state, &v.s.user).await;
    let role = v.role();
    // 待办: every state in which this role takes the next step, by the department's own
    // review chain (the finance bureau's reviewers: the finance review of every project).
    let mut todo = String::new();
    let mut total = 0;
    for kind in [FlowKind::TargetSheet, FlowKind::SelfEvaluation] {
        let chain: Vec<(FlowState, Vec<Role>)> = match scope {
            Some(dept) => match state.store.review_chain(dept, kind).await {
                Ok(c) => c.into_iter().map(|s| (s.state, s.roles)).collect(),
                Err(e) => return server_error(&state, &v, &e),
            },
            None => [FlowState::FinanceReview]
                .into_iter()
                .map(|s| (s, step_roles(s).to_vec()))
                .collect(),
        };
        for (s, _) in chain.iter().filter(|(_, roles)| roles.contains(&role)) {
            // A self-evaluation is only a task once its target sheet is approved.
            let filter = ProjectFilter {
                scope,
                target_sheet: match kind {
                    FlowKind::TargetSheet => Some(*s),
                    _ => Some(FlowState::Approved),
                },
                self_evaluation: (kind == FlowKind::SelfEvaluation).then_some(*s),
                limit: 10,
                ..ProjectFilter::default()
            };
            let (rows, n) = match state.store.project_page(&filter).await {
                Ok(r) => r,
                Err(e) => return server_error(&state, &v, &e),
            };
            if n == 0 {
                continue;
            }
            total += n;
            let items: String = rows
                .iter()
                .map(|r| {
                    format!(
                        "<li><a href=\"/projects/{}#wf-{}\">{}年{}</a></li>",
                        r.summary.id.0,
                        kind.id(),
                        r.summary.year,
                        esc(&r.summary.name)
                    )
                })
                .collect();
            let more = if n > 10 {
                format!(
                    "<p><a href=\"/projects?{}={}\">查看全部 {n} 个</a></p>",
                    if kind == FlowKind::TargetSheet {
                        "target_sheet"
                    } else {
                        "self_evaluation"
                    },
                    s.id()
                )
            } else {
                String::new()
            };
            todo.push_str(&format!(
                "<h3>{}（{n} 个）</h3><ul>{items}</ul>{more}",
                task(kind, *s)
            ));
        }
    }
    let funds = super::funds::waiting(&state, &v).await;
    if !funds.is_empty() {
        total += i64::try_from(funds.len()).unwrap_or(0);
        let items: String = funds
            .iter()
            .take(10)
            .map(|r| {
                format!(
                    "<li><a href=\"/fund-requests/{}\">资金申请第 {} 号：{}（{} 元，{}）</a></li>",
                    r.id,
                    r.id,
                    esc(&r.purpose),
                    r.amount.yuan_grouped(),
                    r.state.zh()
                )
            })
            .collect();
        todo.push_str(&format!(
            "<h3>资金申请（{} 笔）</h3><ul>{items}</ul>",
            funds.len()
        ));
    }
    // Red warnings: the department answers them; the finance bureau sees those escalated.
    let warnings = match v.role() {
        Role::Officer | Role::HeadOfOffice | Role::DeputyLeader | Role::UnitHead => {
            let dept = state
                .store
                .department_of(v.s.user.organisation)
                .await
                .unwrap_or(v.s.user.organisation);
            state.store.waiting_warnings(Some(dept), false, 10).await
        }
        Role::Reviewer => state.store.waiting_warnings(None, true, 10).await,
        _ => Ok((0, Vec::new())),
    };
    let (waiting, warnings) = match warnings {
        Ok(w) => w,
        Err(e) => return server_error(&state, &v, &e),
    };
    if waiting > 0 {
        total += waiting;
        let items: String = warnings
            .iter()
            .map(|(w, project)| {
                format!(
                    "<li><a href=\"/warnings/{}\">{}：{}</a>（{}）</li>",
                    w.id,
                    esc(project),
                    esc(&w.message),
                    match (&w.escalated_at, w.deadline) {
                        (Some(_), _) => "逾期未答复，已报财政部门".to_owned(),
                        (None, Some(d)) => format!("须于 {}（含）前答复", d.zh()),
                        (None, None) => "待答复".to_owned(),
                    }
                )
            })
            .collect();
        // The finance bureau's list is the escalated warnings; a department's, every red one.
        let more = match (waiting > 10, v.role()) {
            (false, _) => "",
            (true, Role::Reviewer) => "<p><a href=\"/monitoring?level=escalated\">查看全部</a></p>",
            (true, _) => "<p><a href=\"/monitoring?level=red\">查看全部</a></p>",
        };
        todo.push_str(&format!(
            "<h3>红色预警（{waiting} 条）</h3><ul>{items}</ul>{more}"
        ));
    }
    let mut main = format!(
        "<section aria-labelledby=\"todo\"><h2 id=\"todo\">待办（{total} 项）</h2>{}</section>",
        if todo.is_empty() {
            "<p>没有等待您办理的事项。</p>".to_owned()
        } else {
            todo
        }
    );
    // My projects: the newest page of the list.
    let (rows, n) = match state
        .store
        .project_page(&ProjectFilter {
            scope,
            limit: 10,
            ..ProjectFilter::default()
        })
        .await
    {
        Ok(r) => r,
        Err(e) => return server_error(&state, &v, &e),
    };
    let list: String = rows
        .iter()
        .map(|r| {
            format!(
                "<tr><td>{}</td><th scope=\"row\"><a href=\"/projects/{}\">{}</a></th><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.summary.year,
                r.summary.id.0,
                esc(&r.summary.name),
                esc(&r.summary.department),
                r.target_sheet.zh(FlowKind::TargetSheet),
                r.self_evaluation.zh(FlowKind::SelfEvaluation),
            )
        })
        .collect();
    main.push_str(&format!(
        "<section aria-labelledby=\"mine\"><h2 id=\"mine\">我的项目</h2>{}</section>",
        if n == 0 {
            "<p>暂无可查看的项目。</p>".to_owned()
        } else {
            format!(
                "<table><caption>最近的项目（共 {n} 个，<a href=\"/projects\">全部项目</a>）</caption><thead><tr>\
                 <th scope=\"col\">年度</th><th scope=\"col\">项目</th><th scope=\"col\">预算单位</th>\
                 <th scope=\"col\">绩效目标表</th><th scope=\"col\">绩效自评</th></tr></thead><tbody>{list}</tbody></table>"
            )
        }
    ));
    // Recent changes.
    let recent = state
        .store
        .recent_trail(scope, 10)
        .await
        .unwrap_or_default();
    let items: String = recent
        .iter()
        .map(|e| {
            let link = e
                .object
                .strip_prefix("project:")
                .and_then(|rest| rest.split('/').next())
                .map_or(esc(&e.object), |id| {
                    format!(
                        "<a href=\"/projects/{id}\">项目 {id}</a>{}",
                        esc(e.object.trim_start_matches(&format!("project:{id}")))
                    )
                });
            format!(
                "<li>{} {} {}：{}</li>",
                esc(&e.at),
                esc(&e.actor),
                match e.action.as_str() {
                    "create" => "新建",
                    "update" => "修改",
                    "delete" => "删除",
                    "workflow" => "办理审核",
                    _ => "操作",
                },
                link
            )
        })
        .collect();
    main.push_str(&format!(
        "<section aria-labelledby=\"recent\"><h2 id=\"recent\">最近的变更</h2>{}</section>",
        if items.is_empty() {
            "<p>暂无变更。</p>".to_owned()
        } else {
            format!("<ul>{items}</ul>")
        }
    ));
    Html(render(&state, &v, "/", "首页", &main)).into_response()
}
