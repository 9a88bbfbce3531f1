//! The evaluation: the score sheet of a project under its framework (computed leaves with
//! how they were computed, judged leaves with their reasons), the total and grade against the
//! unit's claim, the leaves without a real score, and the form the evaluation group scores a
//! judged leaf with.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_core::framework::{Framework, NodeKind};
use jixiao_core::project::{Subject, Verdict};
use jixiao_core::sheet::{Sheet, SheetNode};
use jixiao_store::Stored;
use serde::Deserialize;

use super::{
    Viewer, bar_chart, error_summary, forbidden, not_found, percent_centi, posted, render, seen,
    select, server_error, text_area, text_field,
};
use crate::AppState;
use crate::handlers::{esc, same_department};

async fn framework_of(state: &AppState, stored: &Stored) -> Option<Framework> {
    let name = stored.project.framework_name()?;
    state.store.framework(name).await.ok().flatten()
}

async fn may_judge(state: &AppState, v: &Viewer, stored: &Stored) -> bool {
    crate::resources::judges(v.role())
        && (v.role() == jixiao_core::project::Role::Admin
            || same_department(state, &v.s.user, stored.organisation).await)
}

fn kind_of(fw: &Framework, code: &str) -> &'static str {
    match fw.nodes.iter().find(|n| n.code == code).map(|n| &n.kind) {
        Some(NodeKind::Group) => "汇总",
        Some(NodeKind::Judged) => "评判",
        Some(NodeKind::Computed { .. }) => "计算",
        Some(NodeKind::Slot(_)) | None => "绩效指标",
    }
}

fn rows(out: &mut String, nodes: &[SheetNode], depth: usize, fw: &Framework, id: i64, judge: bool) {
    for n in nodes {
        let kind = kind_of(fw, &n.code);
        let action = if judge && kind == "评判" {
            format!(
                "<a href=\"/projects/{id}/judgments/{}\">评分<span class=\"visually-hidden\">：{}</span></a>",
                esc(&n.code),
                esc(&n.name)
            )
        } else {
            String::new()
        };
        let reasons: String = n
            .reasons
            .iter()
            .map(|r| format!("<li>{}</li>", esc(r)))
            .collect();
        out.push_str(&format!(
            "<tr class=\"depth-{depth}\"><td class=\"nowrap\">{}</td><th scope=\"row\">{}</th><td class=\"nowrap\">{kind}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td class=\"nowrap\">{action}</td></tr>",
            esc(&n.code),
            esc(&n.name),
            esc(&n.weight),
            esc(&n.score),
            esc(&n.deduction),
            n.rate.as_deref().map_or("—".to_owned(), |r| format!("{r}%")),
            esc(n.claimed.as_deref().unwrap_or("")),
            if reasons.is_empty() {
                String::new()
            } else {
                format!("<ul class=\"reasons\">{reasons}</ul>")
            },
        ));
        rows(out, &n.children, depth + 1, fw, id, judge);
    }
}

/// `GET /projects/{id}/evaluation`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // Scored with the ledger's payments by the cut-off date.
    let viewed = match state.store.scoring_view(&stored).await {
        Ok(p) => p,
        Err(e) => return server_error(&state, &v, &e),
    };
    let p = &viewed;
    let id = stored.id.0;
    let title = format!("绩效评价：{}年{}", p.year, p.name);
    let Some(fw) = framework_of(&state, &stored).await else {
        let main = format!(
            "<p role=\"alert\">项目没有指定已知的指标体系框架（内置的或管理员上传的），无法评分。\
             请在项目文件的 [evaluation] framework 中写明框架名称。</p><p><a href=\"/projects/{id}\">返回项目</a></p>"
        );
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(render(&state, &v, "/projects", &title, &main)),
        )
            .into_response();
    };
    let scored = jixiao_core::scoring::score(&fw, p);
    let sheet = Sheet::new(&scored);
    let judge = may_judge(&state, &v, &stored).await;
    let mut main = format!(
        "<p><a href=\"/projects/{id}\">返回项目</a></p>\
         <section aria-labelledby=\"result\"><h2 id=\"result\">评价结论</h2>\
         <dl class=\"facts\"><dt>指标体系框架</dt><dd>{}（{}）</dd><dt>计算得分</dt><dd>{} 分</dd>\
         <dt>等级</dt><dd>{}</dd>{}</dl>",
        esc(&fw.title),
        esc(&fw.name),
        esc(&sheet.total),
        esc(&sheet.grade),
        match (&sheet.claimed_total, &sheet.claimed_grade) {
            (Some(t), g) => format!(
                "<dt>单位自报</dt><dd>{} 分{}{}</dd>",
                esc(t),
                g.as_deref()
                    .map(|g| format!("，{}", esc(g)))
                    .unwrap_or_default(),
                if *t == sheet.total {
                    String::new()
                } else {
                    "（与计算得分不一致，以计算得分为准）".to_owned()
                }
            ),
            _ => String::new(),
        }
    );
    let differences = sheet.claim_differences();
    if !differences.is_empty() {
        let rows: String = differences
            .iter()
            .map(|(code, name, claimed, computed)| {
                format!(
                    "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
                    esc(code),
                    esc(name),
                    esc(claimed),
                    esc(computed)
                )
            })
            .collect();
        main.push_str(&format!(
            "<table><caption>自报得分与计算得分不一致的指标</caption><thead><tr><th scope=\"col\">编码</th>\
             <th scope=\"col\">指标</th><th scope=\"col\">自报</th><th scope=\"col\">计算</th></tr></thead>\
             <tbody>{rows}</tbody></table>"
        ));
    }
    let level1: Vec<(String, Option<i64>, String)> = sheet
        .nodes
        .iter()
        .map(|n| {
            (
                n.name.clone(),
                percent_centi(n.rate.as_deref()),
                n.rate.as_deref().map_or("—".into(), |r| format!("{r}%")),
            )
        })
        .collect();
    main.push_str(&bar_chart("rates", "一级指标得分率", &level1));
    if judge {
        main.push_str(&framework_picker(&state, &v, &stored).await);
    }
    main.push_str("</section>");
    let mut body = String::new();
    rows(&mut body, &sheet.nodes, 1, &fw, id, judge);
    main.push_str(&format!(
        "<section aria-labelledby=\"sheet\"><h2 id=\"sheet\">指标评分表</h2>\
         <div class=\"table-wrap\" role=\"region\" aria-label=\"指标评分表（窄屏可左右滚动）\" tabindex=\"0\">\
         <table class=\"sheet\"><caption>各级指标的权重、得分与理由（计算类指标说明了计算方法与数据）</caption>\
         <thead><tr><th scope=\"col\">编码</th><th scope=\"col\">指标</th><th scope=\"col\">方式</th>\
         <th scope=\"col\">权重</th><th scope=\"col\">得分</th><th scope=\"col\">扣分</th>\
         <th scope=\"col\">得分率</th><th scope=\"col\">自报</th><th scope=\"col\">计算方法与扣分理由</th>\
         <th scope=\"col\">操作</th></tr></thead><tbody>{body}</tbody></table></div></section>"
    ));
    if !sheet.unscored.is_empty() {
        let items: String = sheet
            .unscored
            .iter()
            .map(|u| {
                format!(
                    "<li>{} {}（{}，权重 {}，按规则计 {} 分）</li>",
                    esc(&u.code),
                    esc(&u.name),
                    esc(&u.status),
                    esc(&u.weight),
                    esc(&u.score)
                )
            })
            .collect();
        main.push_str(&format!(
            "<section aria-labelledby=\"unscored\"><h2 id=\"unscored\">未评分与无佐证的指标（{} 项）</h2><ul>{items}</ul></section>",
            sheet.unscored.len()
        ));
    }
    if !sheet.warnings.is_empty() {
        let items: String = sheet
            .warnings
            .iter()
            .map(|w| format!("<li>{}</li>", esc(&w.message)))
            .collect();
        main.push_str(&format!(
            "<section aria-labelledby=\"warnings\"><h2 id=\"warnings\">提示</h2><ul>{items}</ul></section>"
        ));
    }
    Html(render(&state, &v, "/projects", &title, &main)).into_response()
}

/// The judgment form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct JudgeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    not_applicable: String,
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page and everything it shows"
)]
fn judge_page(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    fw: &Framework,
    code: &str,
    form: &JudgeForm,
    errors: &[(&str, String)],
    status: StatusCode,
) -> Response {
    let id = stored.id.0;
    let node = fw.nodes.iter().find(|n| n.code == code);
    let weight = node
        .and_then(|n| n.weight)
        .map_or(String::new(), |w| w.to_string());
    let err = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    };
    let main = format!(
        "{}<dl class=\"facts\"><dt>权重</dt><dd>{} 分</dd><dt>指标解释</dt><dd>{}</dd><dt>评分标准</dt><dd>{}</dd></dl>\
         <form method=\"post\" action=\"/projects/{id}/judgments/{}\">{}<input type=\"hidden\" name=\"version\" value=\"{}\">\
         {}{}<div class=\"field\"><input type=\"checkbox\" id=\"not_applicable\" name=\"not_applicable\" value=\"1\"{}>\
         <label for=\"not_applicable\" class=\"inline\">本项目不适用此指标</label></div>\
         <button type=\"submit\">保存评分</button> <a href=\"/projects/{id}/evaluation\">返回评价</a></form>",
        error_summary(errors),
        esc(&weight),
        esc(node.and_then(|n| n.explanation.as_deref()).unwrap_or("")),
        esc(node.and_then(|n| n.criteria.as_deref()).unwrap_or("")),
        esc(code),
        v.csrf_field(),
        stored.version,
        text_field(
            "score",
            "得分",
            &form.score,
            Some(&format!("0 至 {weight} 分，最多两位小数")),
            err("score")
        ),
        text_area(
            "reason",
            "评分理由（低于满分时必填，写明扣分原因与依据）",
            &form.reason,
            err("reason")
        ),
        if form.not_applicable == "1" {
            " checked"
        } else {
            ""
        },
    );
    let name = node.map_or(code.to_owned(), |n| n.name.clone());
    (
        status,
        Html(render(
            state,
            v,
            "/projects",
            &format!("评分：{code} {name}"),
            &main,
        )),
    )
        .into_response()
}

/// `GET /projects/{id}/judgments/{code}`.
pub async fn judge_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, code)): Path<(String, String)>,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !may_judge(&state, &v, &stored).await {
        return forbidden(
            &state,
            &v,
            "只有评价小组和本单位的经办人、部门负责人可以评分。",
        );
    }
    let Some(fw) = framework_of(&state, &stored).await else {
        return not_found(&state, &v, "项目没有指定已知的指标体系框架。");
    };
    if !fw
        .nodes
        .iter()
        .any(|n| n.code == code && matches!(n.kind, NodeKind::Judged))
    {
        return not_found(&state, &v, &format!("框架中没有需要评判的指标「{code}」。"));
    }
    let subject = Subject::Node(code.as_str().into());
    let mut form = JudgeForm::default();
    if let Some(j) = stored
        .project
        .evaluation
        .judgments
        .iter()
        .find(|j| j.subject == subject)
    {
        match &j.verdict {
            Verdict::Score(p) => form.score = p.to_string(),
            Verdict::NotApplicable => form.not_applicable = "1".into(),
            Verdict::Share(_) | Verdict::Deduction(_) => {}
        }
        form.reason = j.reason.clone().unwrap_or_default();
    }
    judge_page(&state, &v, &stored, &fw, &code, &form, &[], StatusCode::OK)
}

/// `POST /projects/{id}/judgments/{code}`.
pub async fn judge(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, code)): Path<(String, String)>,
    axum::Form(form): axum::Form<JudgeForm>,
) -> Response {
    let (v, stored) = match posted(&state, &headers, &form.csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !may_judge(&state, &v, &stored).await {
        return forbidden(
            &state,
            &v,
            "只有评价小组和本单位的经办人、部门负责人可以评分。",
        );
    }
    let Some(fw) = framework_of(&state, &stored).await else {
        return not_found(&state, &v, "项目没有指定已知的指标体系框架。");
    };
    if !fw
        .nodes
        .iter()
        .any(|n| n.code == code && matches!(n.kind, NodeKind::Judged))
    {
        return not_found(&state, &v, &format!("框架中没有需要评判的指标「{code}」。"));
    }
    let version = form.version.parse::<i64>().unwrap_or(0);
    if version != stored.version {
        let errors = vec![(
            "",
            format!(
                "您打开此页后，他人已保存了该项目（现为第 {} 版）；您的输入保留如下，请核对后再次保存。",
                stored.version
            ),
        )];
        return judge_page(
            &state,
            &v,
            &stored,
            &fw,
            &code,
            &form,
            &errors,
            StatusCode::CONFLICT,
        );
    }
    fn text(s: &str) -> Option<&str> {
        Some(s.trim()).filter(|s| !s.is_empty())
    }
    let request = crate::resources::JudgmentRequest {
        score: text(&form.score)
            .filter(|_| form.not_applicable != "1")
            .map(|s| serde_json::Value::String(s.to_owned())),
        share: None,
        deduction: None,
        not_applicable: form.not_applicable == "1",
        tier: None,
        reason: text(&form.reason).map(str::to_owned),
        evidence: Vec::new(),
    };
    let subject = Subject::Node(code.as_str().into());
    let judgment = match crate::resources::judgment_of(request, subject.clone()) {
        Ok(j) => j,
        Err(message) => {
            let errors = vec![("score", message.replace("score：", "得分："))];
            return judge_page(
                &state,
                &v,
                &stored,
                &fw,
                &code,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let mut project = stored.project.clone();
    project
        .evaluation
        .judgments
        .retain(|j| j.subject != subject);
    project.evaluation.judgments.push(judgment);
    let missing = crate::resources::deductions_without_reason(&fw, &project, &code);
    if !missing.is_empty() {
        let errors: Vec<(&str, String)> = missing.into_iter().map(|m| ("reason", m)).collect();
        return judge_page(
            &state,
            &v,
            &stored,
            &fw,
            &code,
            &form,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match state
        .store
        .update_project(stored.id, version, &project, &v.s.user.username)
        .await
    {
        Ok(_) => {
            Redirect::to(&format!("/projects/{}/evaluation#sheet", stored.id.0)).into_response()
        }
        Err(jixiao_store::Error::Stale { found, .. }) => {
            let errors = vec![(
                "",
                format!(
                    "他人刚刚保存了该项目（现为第 {found} 版）；您的输入保留如下，请核对后再次保存。"
                ),
            )];
            judge_page(
                &state,
                &v,
                &stored,
                &fw,
                &code,
                &form,
                &errors,
                StatusCode::CONFLICT,
            )
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

/// The framework choice.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FrameworkForm {
    csrf: String,
    framework: String,
}

/// The form that changes the framework the project is evaluated with.
pub(crate) async fn framework_picker(state: &AppState, v: &Viewer, stored: &Stored) -> String {
    let mut options: Vec<(String, String)> = jixiao_core::builtin::BUILTIN
        .iter()
        .map(|(name, title, _)| ((*name).to_owned(), format!("{name}：{title}")))
        .collect();
    for f in state.store.frameworks().await.unwrap_or_default() {
        options.push((f.name.clone(), format!("{}：{}", f.name, f.title)));
    }
    format!(
        "<form method=\"post\" action=\"/projects/{}/framework\">{}{}<button type=\"submit\">更换框架</button></form>",
        stored.id.0,
        v.csrf_field(),
        select(
            "framework",
            "指标体系框架",
            &options,
            stored.project.framework_name().unwrap_or("")
        )
    )
}

/// `POST /projects/{id}/framework`: chooses the framework the project is evaluated with.
pub async fn choose_framework(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<FrameworkForm>,
) -> Response {
    let (v, stored) = match posted(&state, &headers, &form.csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !may_judge(&state, &v, &stored).await {
        return forbidden(&state, &v, "您无权更换该项目的指标体系框架。");
    }
    match state.store.framework(&form.framework).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return not_found(
                &state,
                &v,
                &format!("没有名为「{}」的框架。", form.framework),
            );
        }
        Err(e) => return server_error(&state, &v, &e),
    }
    let mut project = stored.project.clone();
    project.evaluation.framework = Some(form.framework.clone());
    match state
        .store
        .update_project(stored.id, stored.version, &project, &v.s.user.username)
        .await
    {
        Ok(_) => Redirect::to(&format!("/projects/{}/evaluation", stored.id.0)).into_response(),
        Err(e) => server_error(&state, &v, &e),
    }
}
