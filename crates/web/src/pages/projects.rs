//! The project list and a project's page: its facts, budget, targets with actual values,
//! evidence, review workflows with their history and actions, and its report downloads.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_core::project::{ActualValue, Project, Role, Target};
use jixiao_core::workflow::{FlowAction, FlowKind, FlowState, step_roles};
use jixiao_store::{ProjectFilter, ProjectId, Stored};
use serde::Deserialize;

use super::{
    Viewer, bar_chart, error_summary, forbidden, not_found, percent_centi, posted, render, seen,
    select, server_error, stale_form, text_area, text_field, viewer,
};
use crate::AppState;
use crate::handlers::{edits, esc, same_department, scope};

/// Rows per page of the project list.
const PAGE_ROWS: i64 = 50;

/// The list's query string.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    target_sheet: String,
    #[serde(default)]
    self_evaluation: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

fn state_options(kind: FlowKind) -> Vec<(String, String)> {
    std::iter::once((String::new(), "全部".to_owned()))
        .chain(
            FlowState::ALL
                .iter()
                .map(|s| (s.id().to_owned(), s.zh(kind).to_owned())),
        )
        .collect()
}

/// `GET /projects`: the projects the viewer may see, filtered and paginated.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let scope = scope(&state, &v.s.user).await;
    let page_no = q.page.parse::<i64>().unwrap_or(1).max(1);
    let filter = ProjectFilter {
        scope,
        year: q.year.parse().ok(),
        department: Some(q.department.clone()).filter(|d| !d.is_empty()),
        grade: Some(q.grade.clone()).filter(|g| !g.is_empty()),
        target_sheet: FlowState::parse(&q.target_sheet),
        self_evaluation: FlowState::parse(&q.self_evaluation),
        query: Some(q.q.trim().to_owned()).filter(|s| !s.is_empty()),
        offset: (page_no - 1) * PAGE_ROWS,
        limit: PAGE_ROWS,
    };
    let (rows, total) = match state.store.project_page(&filter).await {
        Ok(r) => r,
        Err(e) => return server_error(&state, &v, &e),
    };
    let (years, departments) = state.store.project_facets(scope).await.unwrap_or_default();
    let all = || (String::new(), "全部".to_owned());
    let year_options: Vec<(String, String)> = std::iter::once(all())
        .chain(years.iter().map(|y| (y.to_string(), format!("{y}年"))))
        .collect();
    let dept_options: Vec<(String, String)> = std::iter::once(all())
        .chain(departments.iter().map(|d| (d.clone(), d.clone())))
        .collect();
    let grade_options: Vec<(String, String)> = std::iter::once(all())
        .chain(
            ["优", "良", "中", "差"]
                .iter()
                .map(|g| ((*g).to_owned(), (*g).to_owned())),
        )
        .collect();
    let mut main = format!(
        "<form method=\"get\" action=\"/projects\" class=\"filters\" role=\"search\" aria-label=\"筛选项目\">\
         {}{}{}{}{}{}<div class=\"field\"><button type=\"submit\">筛选</button></div></form>",
        text_field("q", "项目名称包含", &q.q, None, None),
        select("year", "年度", &year_options, &q.year),
        select("department", "预算单位", &dept_options, &q.department),
        select("grade", "等级", &grade_options, &q.grade),
        select(
            "target_sheet",
            "绩效目标表状态",
            &state_options(FlowKind::TargetSheet),
            &q.target_sheet
        ),
        select(
            "self_evaluation",
            "绩效自评状态",
            &state_options(FlowKind::SelfEvaluation),
            &q.self_evaluation
        ),
    );
    if edits(v.role()) {
        main.push_str("<p><a href=\"/projects/new\">新建项目</a></p>");
    }
    let pages = ((total + PAGE_ROWS - 1) / PAGE_ROWS).max(1);
    let body: String = rows
        .iter()
        .map(|r| {
            format!(
                "<tr><td>{}</td><th scope=\"row\"><a href=\"/projects/{}\">{}</a></th><td>{}</td>\
                 <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.summary.year,
                r.summary.id.0,
                esc(&r.summary.name),
                esc(&r.summary.department),
                r.score.map(|s| s.to_string()).unwrap_or_else(|| "—".into()),
                esc(r.grade.as_deref().unwrap_or("—")),
                r.target_sheet.zh(FlowKind::TargetSheet),
                r.self_evaluation.zh(FlowKind::SelfEvaluation),
            )
        })
        .collect();
    main.push_str(&format!(
        "<table><caption>项目（共 {total} 个，第 {page_no}/{pages} 页）</caption><thead><tr>\
         <th scope=\"col\">年度</th><th scope=\"col\">项目名称</th><th scope=\"col\">预算单位</th>\
         <th scope=\"col\">得分</th><th scope=\"col\">等级</th><th scope=\"col\">绩效目标表</th>\
         <th scope=\"col\">绩效自评</th></tr></thead><tbody>{body}</tbody></table>"
    ));
    if rows.is_empty() {
        main.push_str("<p>没有符合条件的项目。</p>");
    }
    if pages > 1 {
        let link = |n: i64, text: &str| {
            let qs = serde_urlencoded_pairs(&[
                ("q", &q.q),
                ("year", &q.year),
                ("department", &q.department),
                ("grade", &q.grade),
                ("target_sheet", &q.target_sheet),
                ("self_evaluation", &q.self_evaluation),
                ("page", &n.to_string()),
            ]);
            format!("<a href=\"/projects?{qs}\">{text}</a>")
        };
        let mut nav = String::from("<nav aria-label=\"分页\" class=\"pager\"><ul>");
        if page_no > 1 {
            nav.push_str(&format!("<li>{}</li>", link(page_no - 1, "上一页")));
        }
        nav.push_str(&format!(
            "<li aria-current=\"page\">第 {page_no} 页，共 {pages} 页</li>"
        ));
        if page_no < pages {
            nav.push_str(&format!("<li>{}</li>", link(page_no + 1, "下一页")));
        }
        nav.push_str("</ul></nav>");
        main.push_str(&nav);
    }
    Html(render(&state, &v, "/projects", "项目", &main)).into_response()
}

/// Percent-encodes query pairs (skipping empty values).
fn serde_urlencoded_pairs(pairs: &[(&str, &str)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (k, val) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        if !out.is_empty() {
            out.push_str("&amp;");
        }
        out.push_str(k);
        out.push('=');
        for b in val.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// The project a page is about, if the viewer may see it; the refusal page otherwise.
pub(crate) async fn visible(state: &AppState, v: &Viewer, id: &str) -> Result<Stored, Response> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(not_found(state, v, "项目编号应为整数。"));
    };
    match state.store.project(ProjectId(id)).await {
        Ok(stored) => {
            let sees_all = matches!(v.role(), Role::Reviewer | Role::Admin);
            if sees_all || same_department(state, &v.s.user, stored.organisation).await {
                Ok(stored)
            } else {
                Err(forbidden(state, v, "这是其他单位的项目，您无权查看。"))
            }
        }
        Err(jixiao_store::Error::NotFound { .. }) => {
            Err(not_found(state, v, &format!("项目 {id} 不存在。")))
        }
        Err(e) => Err(server_error(state, v, &e)),
    }
}

/// Whether the viewer may change this project's data.
pub(crate) async fn may_edit(state: &AppState, v: &Viewer, stored: &Stored) -> bool {
    edits(v.role())
        && (v.role() == Role::Admin || same_department(state, &v.s.user, stored.organisation).await)
}

/// Messages shown in one section of the project page after a refused action.
#[derive(Default)]
struct Notices {
    workflow: Option<String>,
    evidence: Option<String>,
}

/// `GET /projects/{id}`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    project_page(&state, &v, &stored, StatusCode::OK, &Notices::default()).await
}

fn dl(items: &[(&str, String)]) -> String {
    let inner: String = items
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, val)| format!("<dt>{k}</dt><dd>{}</dd>", esc(val)))
        .collect();
    format!("<dl class=\"facts\">{inner}</dl>")
}

fn actual_text(t: &Target) -> String {
    match t.actual.as_ref().map(|a| &a.value) {
        None => "未填报".to_owned(),
        Some(ActualValue::Number { value, unit }) => format!("{value}{unit}"),
        Some(ActualValue::Counts {
            numerator,
            denominator,
        }) => format!("{numerator}/{denominator}"),
        Some(ActualValue::Text(t)) => t.clone(),
    }
}

async fn project_page(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    status: StatusCode,
    notices: &Notices,
) -> Response {
    let p = &stored.project;
    let id = stored.id.0;
    let editable = may_edit(state, v, stored).await;
    let mut main = String::new();
    main.push_str(&format!(
        "<nav aria-label=\"本项目\" class=\"subnav\"><ul><li><a href=\"#overview\">概况</a></li>\
         <li><a href=\"#budget\">预算</a></li><li><a href=\"#targets\">绩效目标</a></li>\
         <li><a href=\"#evidence\">佐证材料</a></li><li><a href=\"#workflow\">审核流程</a></li>\
         <li><a href=\"#report\">报告</a></li><li><a href=\"/projects/{id}/evaluation\">绩效评价</a></li>\
         <li><a href=\"/projects/{id}/funds\">资金申请与支出</a></li>{}</ul></nav>",
        if matches!(v.role(), Role::Admin | Role::Reviewer) {
            format!("<li><a href=\"/projects/{id}/audit\">审计记录</a></li>")
        } else {
            String::new()
        }
    ));
    // Overview.
    let period = match (p.start, p.end) {
        (Some(s), Some(e)) => format!("{s} 至 {e}"),
        _ => String::new(),
    };
    main.push_str(&format!(
        "<section aria-labelledby=\"overview\"><h2 id=\"overview\">概况</h2>{}",
        dl(&[
            ("项目编码", p.code.clone()),
            ("年度", format!("{}年", p.year)),
            ("预算单位", p.department.clone()),
            ("处室", p.office.clone().unwrap_or_default()),
            ("项目类别", p.category.clone().unwrap_or_default()),
            ("实施期限", period),
            ("主管部门", p.supervisor.clone().unwrap_or_default()),
            (
                "资金拨付流程",
                p.approval_chain
                    .iter()
                    .map(|r| r.zh())
                    .collect::<Vec<_>>()
                    .join(" → "),
            ),
            ("总目标", p.overall_goal.clone().unwrap_or_default()),
            ("年度目标", p.annual_goal.clone().unwrap_or_default()),
            ("版本", stored.version.to_string()),
        ])
    ));
    if !p.policy_basis.is_empty() {
        let docs: String = p
            .policy_basis
            .iter()
            .map(|d| {
                format!(
                    "<li>{}{}</li>",
                    esc(&d.title),
                    d.number
                        .as_deref()
                        .map(|n| format!("（{}）", esc(n)))
                        .unwrap_or_default()
                )
            })
            .collect();
        main.push_str(&format!("<h3>立项依据</h3><ul>{docs}</ul>"));
    }
    if !p.facts.is_empty() {
        let rows: String = p
            .facts
            .iter()
            .map(|f| {
                format!(
                    "<tr><th scope=\"row\">{}</th><td>{}{}</td><td>{}</td></tr>",
                    esc(&f.name),
                    f.value,
                    f.unit,
                    esc(f.source.as_deref().unwrap_or(""))
                )
            })
            .collect();
        main.push_str(&format!(
            "<table><caption>可引用的事实</caption><thead><tr><th scope=\"col\">名称</th>\
             <th scope=\"col\">数量</th><th scope=\"col\">来源</th></tr></thead><tbody>{rows}</tbody></table>"
        ));
    }
    if editable {
        main.push_str(&format!(
            "<h3>维护</h3><ul class=\"actions\"><li><a href=\"/projects/{id}/edit\">修改基本信息</a></li>\
             <li><a href=\"/projects/{id}/narrative\">编写报告叙述</a></li>\
             <li><a href=\"/projects/{id}/lists\">立项依据、事实与资金</a></li>\
             <li><form method=\"post\" action=\"/projects/{id}/continue\" class=\"inline-form\">{}\
             <button type=\"submit\">建立{}年延续项目</button></form></li></ul>\
             <form method=\"post\" action=\"/projects/{id}/replace\" enctype=\"multipart/form-data\" class=\"block-form\">{}\
             <input type=\"hidden\" name=\"version\" value=\"{}\">\
             <div class=\"field\"><label for=\"replace-file\">用项目文件（.toml）或填好的官方表格（.xlsx）更新本项目</label>\
             <p class=\"hint\" id=\"replace-hint\">替换项目的全部数据；已提交或已批复的指标不能借此修改。至多 4 MB。</p>\
             <input type=\"file\" id=\"replace-file\" name=\"file\" accept=\".toml,.xlsx\" aria-describedby=\"replace-hint\"></div>\
             <button type=\"submit\">上传并更新</button></form>",
            v.csrf_field(),
            p.year + 1,
            v.csrf_field(),
            stored.version
        ));
    }
    main.push_str("</section>");
    // Budget: the project's own spending lines and the ledger's payments by the cut-off date.
    let viewed = match state.store.scoring_view(stored).await {
        Ok(p) => p,
        Err(e) => return server_error(state, v, &e),
    };
    let b = &viewed.budget;
    let rate = |part: jixiao_core::num::Money| {
        part.ratio_to(b.adjusted())
            .map(|r| r.percent(2).to_string())
    };
    let execution = rate(b.spent());
    let received = rate(b.received());
    main.push_str(&format!(
        "<section aria-labelledby=\"budget\"><h2 id=\"budget\">预算</h2>\
         <table><caption>预算执行（元）</caption><thead><tr><th scope=\"col\">年初预算数</th>\
         <th scope=\"col\">调整后预算数</th><th scope=\"col\">到位资金</th><th scope=\"col\">执行数</th>\
         <th scope=\"col\">结转结余</th><th scope=\"col\">预算执行率</th><th scope=\"col\">资金到位率</th></tr></thead>\
         <tbody><tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr></tbody></table>{}",
        b.appropriation.yuan_grouped(),
        b.adjusted().yuan_grouped(),
        b.received().yuan_grouped(),
        b.spent().yuan_grouped(),
        b.unspent().yuan_grouped(),
        execution.as_deref().map_or("—".to_owned(), |r| format!("{r}%")),
        received.as_deref().map_or("—".to_owned(), |r| format!("{r}%")),
        bar_chart(
            "budget-chart",
            "预算执行率与资金到位率",
            &[
                (
                    "预算执行率".to_owned(),
                    percent_centi(execution.as_deref()),
                    execution.as_deref().map_or("—".into(), |r| format!("{r}%")),
                ),
                (
                    "资金到位率".to_owned(),
                    percent_centi(received.as_deref()),
                    received.as_deref().map_or("—".into(), |r| format!("{r}%")),
                ),
            ],
        )
    ));
    if !b.spending.is_empty() {
        let rows: String = b
            .spending
            .iter()
            .map(|l| {
                format!(
                    "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td></tr>",
                    l.date.map(|d| d.to_string()).unwrap_or_default(),
                    esc(&l.purpose),
                    l.amount.yuan_grouped()
                )
            })
            .collect();
        main.push_str(&format!(
            "<table><caption>支出明细</caption><thead><tr><th scope=\"col\">日期</th>\
             <th scope=\"col\">用途</th><th scope=\"col\">金额（元）</th></tr></thead><tbody>{rows}</tbody></table>"
        ));
    }
    main.push_str("</section>");
    // Targets.
    let indicators_open = editable && super::edit::targets_open(state, stored).await;
    let mut rows = String::new();
    let mut bars = Vec::new();
    for t in &p.targets {
        let completion = jixiao_core::scoring::completion(t).map(|r| r.percent(2).to_string());
        bars.push((
            t.name.clone(),
            percent_centi(completion.as_deref()),
            completion
                .as_deref()
                .map_or("—".into(), |c| format!("{c}%")),
        ));
        let reason = t
            .actual
            .as_ref()
            .and_then(|a| a.deviation_reason.as_deref())
            .unwrap_or("");
        let action = if editable {
            let arrange = if indicators_open {
                let button = |op: &str, label: &str| {
                    format!(
                        "<form method=\"post\" action=\"/projects/{id}/indicators/{}/arrange\" class=\"inline-form\">{}\
                         <input type=\"hidden\" name=\"version\" value=\"{}\"><input type=\"hidden\" name=\"op\" value=\"{op}\">\
                         <button type=\"submit\" class=\"small\">{label}<span class=\"visually-hidden\">：{}</span></button></form>",
                        esc(&t.id),
                        v.csrf_field(),
                        stored.version,
                        esc(&t.name)
                    )
                };
                format!(
                    "<br><a href=\"/projects/{id}/indicators/{}\">修改<span class=\"visually-hidden\">指标{}</span></a>{}{}{}",
                    esc(&t.id),
                    esc(&t.name),
                    button("up", "上移"),
                    button("down", "下移"),
                    button("remove", "删除")
                )
            } else {
                String::new()
            };
            format!(
                "<td><a href=\"/projects/{id}/targets/{}\">填报<span class=\"visually-hidden\">{}的实际完成值</span></a>{arrange}</td>",
                esc(&t.id),
                esc(&t.name)
            )
        } else {
            String::new()
        };
        rows.push_str(&format!(
            "<tr><td class=\"nowrap\">{}</td><td>{}/{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td><td>{}</td>{action}</tr>",
            esc(&t.id),
            t.category.zh(),
            t.subcategory.zh(),
            esc(&t.name),
            esc(&t.display_value()),
            esc(&actual_text(t)),
            completion.as_deref().map_or("—".to_owned(), |c| format!("{c}%")),
            esc(reason),
        ));
    }
    main.push_str(&format!(
        "<section aria-labelledby=\"targets\"><h2 id=\"targets\">绩效目标</h2>\
         <div class=\"table-wrap\" role=\"region\" aria-label=\"绩效目标与实际完成情况（窄屏可左右滚动）\" tabindex=\"0\">\
         <table><caption>绩效目标与实际完成情况</caption><thead><tr><th scope=\"col\">编号</th>\
         <th scope=\"col\">类别</th><th scope=\"col\">指标</th><th scope=\"col\">目标值</th>\
         <th scope=\"col\">实际完成值</th><th scope=\"col\">完成率</th><th scope=\"col\">偏差原因</th>{}</tr></thead>\
         <tbody>{rows}</tbody></table></div>{}{}</section>",
        if editable {
            "<th scope=\"col\">操作</th>"
        } else {
            ""
        },
        if indicators_open {
            format!("<p><a href=\"/projects/{id}/indicators/new\">新增绩效指标</a></p>")
        } else {
            String::new()
        },
        bar_chart("targets-chart", "指标完成率", &bars)
    ));
    // Evidence.
    main.push_str(&evidence_section(state, v, stored, editable, notices).await);
    // Workflows.
    main.push_str(&workflow_section(state, v, stored, notices).await);
    // Report.
    main.push_str(&format!(
        "<section aria-labelledby=\"report\"><h2 id=\"report\">报告</h2><ul>\
         <li><a href=\"/projects/{id}/report/html\">预览自评报告（HTML）</a></li>\
         <li><a href=\"/projects/{id}/report/docx\">下载自评报告（DOCX）</a></li>\
         <li><a href=\"/projects/{id}/report/pdf\">下载自评报告（PDF）</a></li>\
         <li><a href=\"/projects/{id}/report/xlsx\">下载绩效表格（XLSX）</a></li>\
         <li><a href=\"/api/v1/projects/{id}/file\">导出项目文件（TOML）</a></li></ul>\
         <p>提交绩效自评后，报告依据提交时的数据快照生成。</p></section>"
    ));
    let title = format!("{}年{}", p.year, p.name);
    (status, Html(render(state, v, "/projects", &title, &main))).into_response()
}

async fn evidence_section(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    editable: bool,
    notices: &Notices,
) -> String {
    let id = stored.id.0;
    let list = state.store.evidence(stored.id).await.unwrap_or_default();
    let rows: String = list
        .iter()
        .map(|e| {
            format!(
                "<tr><th scope=\"row\"><a href=\"/api/v1/projects/{id}/evidence/{}\">{}</a></th>\
                 <td>{}</td><td>{} 字节</td><td>{}</td><td>{}</td></tr>",
                e.id,
                esc(&e.name),
                esc(e.target.as_deref().unwrap_or("整个项目")),
                e.size,
                esc(&e.uploaded_by),
                esc(&e.uploaded_at),
            )
        })
        .collect();
    let mut out = format!(
        "<section aria-labelledby=\"evidence\"><h2 id=\"evidence\">佐证材料</h2>\
         <table><caption>已上传的佐证材料（{} 份）</caption><thead><tr><th scope=\"col\">文件</th>\
         <th scope=\"col\">所佐证的指标</th><th scope=\"col\">大小</th><th scope=\"col\">上传人</th>\
         <th scope=\"col\">上传时间</th></tr></thead><tbody>{rows}</tbody></table>",
        list.len()
    );
    let handles = editable || v.role() == Role::EvaluationGroup;
    if handles {
        let error = notices.evidence.as_deref();
        let targets: Vec<(String, String)> =
            std::iter::once((String::new(), "整个项目".to_owned()))
                .chain(
                    stored
                        .project
                        .targets
                        .iter()
                        .map(|t| (t.id.to_string(), format!("{} {}", t.id, t.name))),
                )
                .collect();
        out.push_str(&format!(
            "<form method=\"post\" action=\"/projects/{id}/evidence\" enctype=\"multipart/form-data\">\
             <h3>上传佐证材料</h3>{}{}{}<div class=\"field\"><label for=\"file\">佐证材料文件</label>\
             <p class=\"hint\" id=\"file-hint\">至多 20 MB；可上传 PDF、PNG、JPEG、docx、xlsx、doc、xls、wps、et、OFD 或 UTF-8 文本；类型按文件内容检查。</p>{}\
             <input type=\"file\" id=\"file\" name=\"file\" aria-describedby=\"file-hint{}\"{}></div>\
             <button type=\"submit\">上传佐证材料</button></form>",
            error_summary(&error.map(|e| vec![("file", e.to_owned())]).unwrap_or_default()),
            v.csrf_field(),
            select("target", "所佐证的指标", &targets, ""),
            error.map_or(String::new(), |e| format!(
                "<p class=\"field-error\" id=\"file-error\">{}</p>",
                esc(e)
            )),
            if error.is_some() { " file-error" } else { "" },
            if error.is_some() {
                " aria-invalid=\"true\""
            } else {
                ""
            },
        ));
    }
    out.push_str("</section>");
    out
}

fn why_locked(kind: FlowKind, state: FlowState) -> Option<String> {
    match (kind, state) {
        (_, FlowState::Draft) | (FlowKind::Adjustment, FlowState::Approved) => None,
        (FlowKind::TargetSheet, FlowState::Approved) => Some(
            "绩效目标表已批复，指标已锁定；如需修改，请发起绩效目标调整并写明原因。".to_owned(),
        ),
        (FlowKind::SelfEvaluation, FlowState::Approved) => {
            Some("绩效自评已审核通过，评价结果以提交时的数据快照为准。".to_owned())
        }
        (k, s) => Some(format!(
            "{}当前为“{}”，正在审核，内容已锁定；审核人退回后才能修改。",
            k.zh(),
            s.zh(k)
        )),
    }
}

async fn workflow_section(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    notices: &Notices,
) -> String {
    let id = stored.id.0;
    let flows = state.store.workflows(stored.id).await.unwrap_or_default();
    let mut out =
        String::from("<section aria-labelledby=\"workflow\"><h2 id=\"workflow\">审核流程</h2>");
    if let Some(message) = &notices.workflow {
        out.push_str(&error_summary(&[("", message.clone())]));
    }
    let mut kinds: Vec<FlowKind> = flows.iter().map(|f| f.kind).collect();
    if !kinds.contains(&FlowKind::Adjustment) {
        kinds.push(FlowKind::Adjustment);
    }
    for kind in kinds {
        let flow = flows.iter().find(|f| f.kind == kind);
        let current = flow.map_or(kind.initial(), |f| f.state);
        let heading = format!("wf-{}", kind.id());
        out.push_str(&format!(
            "<h3 id=\"{heading}\">{}：{}</h3>",
            kind.zh(),
            if kind == FlowKind::Adjustment && flow.is_none() {
                "未发起"
            } else {
                current.zh(kind)
            }
        ));
        if let Some(why) = why_locked(kind, current) {
            out.push_str(&format!("<p class=\"locked\">{}</p>", esc(&why)));
        }
        if let Some(f) = flow.filter(|f| !f.steps.is_empty()) {
            let rows: String = f
                .steps
                .iter()
                .map(|s| {
                    format!(
                        "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
                        esc(&s.at),
                        esc(&s.actor),
                        s.from.zh(kind),
                        s.to.zh(kind),
                        action_zh(&s.action),
                        esc(s.reason.as_deref().unwrap_or(""))
                    )
                })
                .collect();
            out.push_str(&format!(
                "<table><caption>{}的办理记录</caption><thead><tr><th scope=\"col\">时间</th>\
                 <th scope=\"col\">办理人</th><th scope=\"col\">状态</th><th scope=\"col\">操作</th>\
                 <th scope=\"col\">意见或原因</th></tr></thead><tbody>{rows}</tbody></table>",
                kind.zh()
            ));
        }
        let sheet = flows
            .iter()
            .find(|f| f.kind == FlowKind::TargetSheet)
            .map_or(FlowState::Draft, |f| f.state);
        let evaluation = flows
            .iter()
            .find(|f| f.kind == FlowKind::SelfEvaluation)
            .map_or(FlowState::Draft, |f| f.state);
        let waiting = match kind {
            FlowKind::SelfEvaluation if sheet != FlowState::Approved => {
                Some("绩效目标表批复后才能提交绩效自评。")
            }
            FlowKind::Adjustment if sheet != FlowState::Approved => {
                Some("绩效目标表批复前可直接修改指标，无须调整。")
            }
            FlowKind::Adjustment if evaluation != FlowState::Draft => {
                Some("绩效自评已提交，本年度绩效目标不能再调整。")
            }
            _ => None,
        };
        match waiting {
            Some(why) if flow.is_none_or(|f| !f.state.locked() || kind == FlowKind::Adjustment) => {
                out.push_str(&format!("<p>{why}</p>"));
            }
            _ => out.push_str(&action_forms(v, id, kind, current)),
        }
    }
    out.push_str("</section>");
    out
}

fn action_zh(id: &str) -> &'static str {
    match id {
        "submit" => "提交",
        "approve" => "通过",
        "return" => "退回",
        "open" => "发起调整",
        _ => "办理",
    }
}

/// The actions this viewer's role may take on a workflow now (the server checks again,
/// against the organisation's own review chain).
fn action_forms(v: &Viewer, id: i64, kind: FlowKind, state: FlowState) -> String {
    let role = v.role();
    let mut out = String::new();
    let form = |action: &str, label: &str, extra: &str| {
        format!(
            "<form method=\"post\" action=\"/projects/{id}/workflow\" class=\"{}\">{}\
             <input type=\"hidden\" name=\"kind\" value=\"{}\"><input type=\"hidden\" name=\"action\" value=\"{action}\">\
             {extra}<button type=\"submit\">{label}</button></form>",
            if extra.is_empty() {
                "inline-form"
            } else {
                "block-form"
            },
            v.csrf_field(),
            kind.id()
        )
    };
    let field = |suffix: &str| format!("{}-{}-{suffix}", kind.id(), id);
    match state {
        FlowState::Draft if step_roles(state).contains(&role) => {
            out.push_str(&form("submit", &format!("提交{}", kind.zh()), ""));
        }
        FlowState::Approved
            if kind == FlowKind::Adjustment && step_roles(state).contains(&role) =>
        {
            let reason = field("reason");
            out.push_str(&form(
                "open",
                "发起绩效目标调整",
                &format!(
                    "<div class=\"field\"><label for=\"{reason}\">调整原因（必填）</label>\
                     <textarea id=\"{reason}\" name=\"reason\" rows=\"2\"></textarea></div>"
                ),
            ));
        }
        FlowState::Submitted | FlowState::DepartmentReview | FlowState::FinanceReview
            if role != Role::Officer && role != Role::Cashier =>
        {
            out.push_str(&form("approve", "审核通过", ""));
            let earlier: Vec<(String, String)> = FlowState::ALL
                .iter()
                .filter(|s| **s < state)
                .map(|s| {
                    (
                        s.id().to_owned(),
                        if *s == FlowState::Draft {
                            "退回经办人（草稿）".to_owned()
                        } else {
                            s.zh(kind).to_owned()
                        },
                    )
                })
                .collect();
            let to = field("to");
            let reason = field("reason");
            let options: String = earlier
                .iter()
                .map(|(value, text)| format!("<option value=\"{value}\">{}</option>", esc(text)))
                .collect();
            out.push_str(&form(
                "return",
                "退回",
                &format!(
                    "<div class=\"field\"><label for=\"{to}\">退回到</label><select id=\"{to}\" name=\"to\">{options}</select></div>\
                     <div class=\"field\"><label for=\"{reason}\">退回原因（必填）</label>\
                     <textarea id=\"{reason}\" name=\"reason\" rows=\"2\"></textarea></div>"
                ),
            ));
        }
        _ => {}
    }
    out
}

/// A workflow form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    csrf: String,
    kind: String,
    action: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

/// `POST /projects/{id}/workflow`: takes a step and comes back to the project.
pub async fn step(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<StepForm>,
) -> Response {
    let (v, stored) = match posted(&state, &headers, &form.csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(kind) = FlowKind::parse(&form.kind) else {
        return not_found(&state, &v, "没有这种审核流程。");
    };
    let action = match form.action.as_str() {
        "submit" => FlowAction::Submit,
        "approve" => FlowAction::Approve,
        "open" => FlowAction::Open,
        "return" => FlowAction::Return {
            to: FlowState::parse(&form.to).unwrap_or(FlowState::Draft),
        },
        _ => return not_found(&state, &v, "没有这种操作。"),
    };
    let reason = Some(form.reason.trim()).filter(|r| !r.is_empty());
    match state
        .store
        .workflow_act(stored.id, kind, action, &v.s.user, reason)
        .await
    {
        Ok(_) => {
            Redirect::to(&format!("/projects/{}#wf-{}", stored.id.0, kind.id())).into_response()
        }
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            let notices = Notices {
                workflow: Some(format!("{}：{}", kind.zh(), e.zh())),
                ..Notices::default()
            };
            project_page(&state, &v, &stored, StatusCode::CONFLICT, &notices).await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

/// `POST /projects/{id}/evidence` (multipart): stores an evidence file and comes back.
pub async fn upload_evidence(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (mut csrf, mut target, mut name, mut content) =
        (String::new(), String::new(), String::new(), Vec::new());
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let field_name = field.name().unwrap_or("").to_owned();
                if field_name == "file" {
                    name = field.file_name().unwrap_or("").to_owned();
                }
                let Ok(bytes) = field.bytes().await else {
                    return evidence_refused(
                        &state,
                        &v,
                        &stored,
                        "文件未能完整上传（可能超过 20 MB），请重试。",
                    )
                    .await;
                };
                match field_name.as_str() {
                    "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
                    "target" => target = String::from_utf8_lossy(&bytes).into_owned(),
                    "file" => content = bytes.to_vec(),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => {
                return evidence_refused(
                    &state,
                    &v,
                    &stored,
                    "文件未能完整上传（可能超过 20 MB），请重试。",
                )
                .await;
            }
        }
    }
    if !v.csrf_ok(&csrf) {
        return stale_form(&state, &v);
    }
    let handles = may_edit(&state, &v, &stored).await || v.role() == Role::EvaluationGroup;
    if !handles {
        return forbidden(&state, &v, "您无权上传该项目的佐证材料。");
    }
    if name.is_empty() {
        return evidence_refused(&state, &v, &stored, "请选择要上传的文件。").await;
    }
    let media = match crate::evidence::sniff(&name, &content) {
        Ok(m) => m,
        Err(reason) => return evidence_refused(&state, &v, &stored, &reason).await,
    };
    let file = jixiao_store::NewEvidence {
        target: Some(target.as_str()).filter(|t| !t.is_empty()),
        name: &name,
        media_type: media,
        content: &content,
    };
    match state
        .store
        .add_evidence(stored.id, file, &v.s.user.username)
        .await
    {
        Ok(_) => Redirect::to(&format!("/projects/{}#evidence", stored.id.0)).into_response(),
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            evidence_refused(&state, &v, &stored, &e.zh()).await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

async fn evidence_refused(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    message: &str,
) -> Response {
    let notices = Notices {
        evidence: Some(message.to_owned()),
        ..Notices::default()
    };
    project_page(state, v, stored, StatusCode::UNPROCESSABLE_ENTITY, &notices).await
}

/// The actual-value form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct ActualForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    numerator: String,
    #[serde(default)]
    denominator: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    deviation_reason: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    clear: String,
}

impl ActualForm {
    fn of(t: &Target) -> ActualForm {
        let mut f = ActualForm::default();
        if let Some(a) = &t.actual {
            match &a.value {
                ActualValue::Number { value, unit } => {
                    f.value = value.to_string();
                    f.unit = unit.to_string();
                }
                ActualValue::Counts {
                    numerator,
                    denominator,
                } => {
                    f.numerator = numerator.to_string();
                    f.denominator = denominator.to_string();
                }
                ActualValue::Text(t) => f.text.clone_from(t),
            }
            f.note = a.note.clone().unwrap_or_default();
            f.deviation_reason = a.deviation_reason.clone().unwrap_or_default();
            f.measures = a.measures.clone().unwrap_or_default();
        }
        f
    }
}

fn target_of<'a>(p: &'a Project, tid: &str) -> Option<(usize, &'a Target)> {
    p.targets.iter().enumerate().find(|(_, t)| t.id == tid)
}

/// `GET /projects/{id}/targets/{target}`: the form for one indicator's actual value.
pub async fn actual_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, tid)): Path<(String, String)>,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !may_edit(&state, &v, &stored).await {
        return forbidden(&state, &v, "您可以查看该项目，但无权填报实际完成值。");
    }
    let Some((_, t)) = target_of(&stored.project, &tid) else {
        return not_found(&state, &v, &format!("项目没有编号为「{tid}」的绩效指标。"));
    };
    let form = ActualForm::of(t);
    actual_page(
        &state,
        &v,
        &stored,
        t,
        &form,
        stored.version,
        &[],
        None,
        StatusCode::OK,
    )
}

#[expect(clippy::too_many_arguments, reason = "one page, its inputs")]
fn actual_page(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    t: &Target,
    form: &ActualForm,
    version: i64,
    errors: &[(&str, String)],
    notice: Option<&str>,
    status: StatusCode,
) -> Response {
    let err = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    };
    let id = stored.id.0;
    let main = format!(
        "{}{}<p>目标值：{}（{}/{}）。数值、比率（分子/分母）或文字三者填一种；未达到或明显超过目标时须写偏差原因。</p>\
         <form method=\"post\" action=\"/projects/{id}/targets/{}\">{}<input type=\"hidden\" name=\"version\" value=\"{version}\">\
         <fieldset><legend>实际完成值</legend>{}{}{}{}{}</fieldset>{}{}{}\
         <div class=\"field\"><input type=\"checkbox\" id=\"clear\" name=\"clear\" value=\"1\"><label for=\"clear\" class=\"inline\">清除实际完成值</label></div>\
         <button type=\"submit\">保存</button> <a href=\"/projects/{id}#targets\">返回项目</a></form>",
        notice.map_or(String::new(), |n| format!(
            "<div class=\"notice\" role=\"alert\">{}</div>",
            esc(n)
        )),
        error_summary(errors),
        esc(&t.display_value()),
        t.category.zh(),
        t.subcategory.zh(),
        esc(&t.id),
        v.csrf_field(),
        text_field(
            "value",
            "数值",
            &form.value,
            Some("十进制数，如 1140 或 98.5"),
            err("value")
        ),
        text_field(
            "unit",
            "单位",
            &form.unit,
            Some(&format!("不填则为目标值的单位“{}”", t.unit)),
            err("unit")
        ),
        text_field(
            "numerator",
            "分子",
            &form.numerator,
            Some("比率类指标，如合格人数"),
            err("numerator")
        ),
        text_field(
            "denominator",
            "分母",
            &form.denominator,
            Some("如参训总人数"),
            err("denominator")
        ),
        text_area("text", "文字描述（定性指标）", &form.text, err("text")),
        text_area(
            "deviation_reason",
            "偏差原因",
            &form.deviation_reason,
            err("deviation_reason")
        ),
        text_area("measures", "改进措施", &form.measures, err("measures")),
        text_area("note", "说明", &form.note, err("note")),
    );
    (
        status,
        Html(render(
            state,
            v,
            "/projects",
            &format!("填报实际完成值：{}", t.name),
            &main,
        )),
    )
        .into_response()
}

/// The message with the form's Chinese label instead of the API's field name.
fn field_label(message: &str) -> String {
    for (field, label) in [
        ("value：", "数值："),
        ("numerator：", "分子："),
        ("denominator：", "分母："),
        ("unit：", "单位："),
    ] {
        if let Some(rest) = message.strip_prefix(field) {
            return format!("{label}{rest}");
        }
    }
    message.to_owned()
}

/// Which form field a message from the API's checks is about.
fn field_of(message: &str) -> &'static str {
    for (prefix, field) in [
        ("value", "value"),
        ("numerator", "numerator"),
        ("denominator", "denominator"),
        ("unit", "unit"),
    ] {
        if message.starts_with(prefix) {
            return field;
        }
    }
    if message.contains("偏差原因") || message.contains("deviation") {
        return "deviation_reason";
    }
    if message.contains(".unit") || message.contains("单位") {
        return "unit";
    }
    "value"
}

/// `POST /projects/{id}/targets/{target}`: saves one actual value; a stale form keeps the
/// user's input and shows what the other person saved.
pub async fn save_actual(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, tid)): Path<(String, String)>,
    axum::Form(form): axum::Form<ActualForm>,
) -> Response {
    let (v, stored) = match posted(&state, &headers, &form.csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !may_edit(&state, &v, &stored).await {
        return forbidden(&state, &v, "您可以查看该项目，但无权填报实际完成值。");
    }
    let Some((index, t)) = target_of(&stored.project, &tid) else {
        return not_found(&state, &v, &format!("项目没有编号为「{tid}」的绩效指标。"));
    };
    let t = t.clone();
    let read_version = form.version.parse::<i64>().unwrap_or(0);
    if read_version != stored.version {
        let theirs = actual_text(&t);
        let notice = format!(
            "您打开此页后，他人已保存了该项目（现为第 {} 版）。他人保存的实际完成值为：{theirs}。您的输入保留如下，核对后再次保存将以您的输入为准。",
            stored.version
        );
        return actual_page(
            &state,
            &v,
            &stored,
            &t,
            &form,
            stored.version,
            &[],
            Some(&notice),
            StatusCode::CONFLICT,
        );
    }
    let s = |x: &str| {
        Some(x.trim())
            .filter(|x| !x.is_empty())
            .map(|x| serde_json::Value::String(x.to_owned()))
    };
    let actual = if form.clear == "1" {
        None
    } else {
        let request = crate::resources::ActualRequest {
            value: s(&form.value),
            unit: Some(form.unit.trim().to_owned()).filter(|u| !u.is_empty()),
            numerator: s(&form.numerator),
            denominator: s(&form.denominator),
            text: Some(form.text.trim().to_owned()).filter(|u| !u.is_empty()),
            note: Some(form.note.clone()),
            deviation_reason: Some(form.deviation_reason.clone()),
            measures: Some(form.measures.clone()),
            evidence: t
                .actual
                .as_ref()
                .map(|a| a.evidence.clone())
                .unwrap_or_default(),
        };
        match crate::resources::actual_of(request, &t) {
            Ok(a) => Some(a),
            Err(message) => {
                let errors = vec![(field_of(&message), field_label(&message))];
                return actual_page(
                    &state,
                    &v,
                    &stored,
                    &t,
                    &form,
                    stored.version,
                    &errors,
                    None,
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            }
        }
    };
    let mut project = stored.project.clone();
    project.targets[index].actual = actual;
    let written = jixiao_core::file::write::project(&project);
    let project = match crate::handlers::read_project(written.as_bytes()) {
        Ok(p) => p,
        Err(problems) => {
            let errors: Vec<(&str, String)> = problems
                .into_iter()
                .map(|m| (field_of(m.split('：').next().unwrap_or("")), m))
                .collect();
            return actual_page(
                &state,
                &v,
                &stored,
                &t,
                &form,
                stored.version,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match state
        .store
        .update_project(stored.id, read_version, &project, &v.s.user.username)
        .await
    {
        Ok(_) => Redirect::to(&format!("/projects/{}#targets", stored.id.0)).into_response(),
        Err(jixiao_store::Error::Stale { found, .. }) => {
            let notice = format!(
                "您打开此页后，他人已保存了该项目（现为第 {found} 版）。您的输入保留如下，核对后再次保存将以您的输入为准。"
            );
            actual_page(
                &state,
                &v,
                &stored,
                &t,
                &form,
                found,
                &[],
                Some(&notice),
                StatusCode::CONFLICT,
            )
        }
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            let errors = vec![("", e.zh())];
            actual_page(
                &state,
                &v,
                &stored,
                &t,
                &form,
                stored.version,
                &errors,
                None,
                StatusCode::CONFLICT,
            )
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

/// `GET /projects/{id}/report/{format}`: the report or forms as a download (the HTML preview
/// shown in the browser); a refusal is a page that lists what the auditor found.
pub async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, format)): Path<(String, String)>,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !["docx", "pdf", "html", "xlsx"].contains(&format.as_str()) {
        return not_found(&state, &v, "报告格式应为 docx、pdf、html 或 xlsx。");
    }
    match crate::handlers::generate(&state, stored.id, &format).await {
        Ok(file) if format == "html" => {
            // The preview opens in the browser instead of downloading.
            let mut res = file.into_response();
            res.headers_mut()
                .remove(axum::http::header::CONTENT_DISPOSITION);
            res
        }
        Ok(file) => file.into_response(),
        Err(refusal) => {
            let findings: String = refusal
                .findings
                .iter()
                .map(|f| format!("<li>{}</li>", esc(f)))
                .collect();
            let main = format!(
                "<div class=\"error-summary\" role=\"alert\"><h2>报告未生成</h2><p>{}</p>{}</div>\
                 <p>报告中的数字都由项目数据计算；请修改项目数据或<a href=\"/projects/{}/narrative\">报告叙述</a>后再生成。\
                 <a href=\"/projects/{}#report\">返回项目</a></p>",
                esc(&refusal.message),
                if findings.is_empty() {
                    String::new()
                } else {
                    format!("<h3>审查发现的问题</h3><ol>{findings}</ol>")
                },
                stored.id.0,
                stored.id.0,
            );
            (
                refusal.status,
                Html(render(&state, &v, "/projects", "报告未生成", &main)),
            )
                .into_response()
        }
    }
}
