//! Creating and editing projects in the pages: a new project (from a short form, or from a
//! project file or the filled XLSX forms), next year's continuing project (延续项目), the
//! project's basic facts, the target sheet's indicators (add, edit, move, remove while the
//! sheet is a draft or an adjustment is open), and replacing a draft from a filled XLSX form.
//!
//! Every change goes through the project file's own checks (written, then read back), and is
//! saved with the version the form was read at: a stale form is shown again with its input.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_core::num::{Dec, Money, Points};
use jixiao_core::project::{
    Category, Comparator, Direction, Project, Subcategory, Target, TargetValue,
};
use jixiao_core::unit::Unit;
use jixiao_core::workflow::{FlowKind, FlowState};
use jixiao_store::Stored;
use serde::Deserialize;

use super::projects::visible;
use super::{
    Viewer, error_summary, forbidden, not_found, posted, render, seen, select, server_error,
    stale_form, text_area, text_field, viewer,
};
use crate::AppState;
use crate::handlers::{edits, esc, read_project};

/// A project as small as the project file allows: name, year, department, appropriation.
fn blank(name: &str, year: i32, department: &str) -> Option<Project> {
    let mut p = read_project(
        b"format = 1\n[project]\nname = \"x\"\nyear = 2000\ndepartment = \"x\"\n[budget]\nappropriation = \"0\"\n",
    )
    .ok()?;
    p.name = name.to_owned();
    p.year = year;
    p.department = department.to_owned();
    Some(p)
}

/// Reads a project back through the project file's checks; the errors name the field path.
fn checked(p: &Project) -> Result<Project, Vec<String>> {
    read_project(jixiao_core::file::write::project(p).as_bytes())
}

/// Which field of a form a project-file problem (`target[2].value：…`) is about.
fn field_for<'a>(message: &str, fields: &[(&'a str, &str)]) -> &'a str {
    let path = message.split('：').next().unwrap_or("");
    fields
        .iter()
        .find(|(_, suffix)| path.ends_with(suffix))
        .map_or("", |(field, _)| *field)
}

fn framework_options(state_frameworks: &[(String, String)]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "暂不指定".to_owned()))
        .chain(state_frameworks.iter().cloned())
        .collect()
}

async fn frameworks(state: &AppState) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = jixiao_core::builtin::BUILTIN
        .iter()
        .map(|(n, t, _)| ((*n).to_owned(), format!("{n}：{t}")))
        .collect();
    for f in state.store.frameworks().await.unwrap_or_default() {
        out.push((f.name.clone(), format!("{}：{}", f.name, f.title)));
    }
    out
}

/// The new-project form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewForm {
    csrf: String,
    name: String,
    year: String,
    code: String,
    office: String,
    appropriation: String,
    framework: String,
}

async fn new_page(
    state: &AppState,
    v: &Viewer,
    form: &NewForm,
    errors: &[(&str, String)],
    status: StatusCode,
) -> Response {
    let err = |f: &str| {
        errors
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, m)| m.as_str())
    };
    let fws = frameworks(state).await;
    let main = format!(
        "{}<section aria-labelledby=\"blank\"><h2 id=\"blank\">填写基本信息新建</h2>\
         <form method=\"post\" action=\"/projects/new\">{}{}{}{}{}{}{}<button type=\"submit\">新建项目</button></form></section>\
         <section aria-labelledby=\"import\"><h2 id=\"import\">从文件导入</h2>\
         <form method=\"post\" action=\"/projects/import\" enctype=\"multipart/form-data\">{}\
         <div class=\"field\"><label for=\"file\">项目文件（.toml）或填好的官方表格（.xlsx）</label>\
         <p class=\"hint\" id=\"file-hint\">至多 4 MB；表格中的问题会指明工作表和单元格。</p>{}\
         <input type=\"file\" id=\"file\" name=\"file\" accept=\".toml,.xlsx\" aria-describedby=\"file-hint{}\"></div>\
         <button type=\"submit\">导入</button></form></section>",
        error_summary(errors),
        v.csrf_field(),
        text_field("name", "项目名称", &form.name, None, err("name")),
        text_field("year", "年度", &form.year, Some("如 2023"), err("year")),
        text_field("code", "项目编码", &form.code, Some("可不填"), err("code")),
        text_field(
            "office",
            "负责处室",
            &form.office,
            Some("可不填"),
            err("office")
        ),
        text_field(
            "appropriation",
            "年初预算数（元）",
            &form.appropriation,
            Some("精确到分，如 761000 或 76.1万元"),
            err("appropriation")
        ),
        select(
            "framework",
            "指标体系框架",
            &framework_options(&fws),
            &form.framework
        ),
        v.csrf_field(),
        err("file").map_or(String::new(), |e| format!(
            "<p class=\"field-error\" id=\"file-error\">{}</p>",
            esc(e)
        )),
        if err("file").is_some() {
            " file-error"
        } else {
            ""
        },
    );
    (
        status,
        Html(render(state, v, "/projects", "新建项目", &main)),
    )
        .into_response()
}

/// `GET /projects/new`.
pub async fn new_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !edits(v.role()) {
        return forbidden(&state, &v, "只有经办人、部门负责人和管理员可以新建项目。");
    }
    let form = NewForm {
        year: "2023".into(),
        framework: "mof-2020-self".into(),
        ..NewForm::default()
    };
    new_page(&state, &v, &form, &[], StatusCode::OK).await
}

/// Saves a new project in the viewer's organisation and goes to it.
async fn create(state: &AppState, v: &Viewer, project: &Project) -> Result<Response, String> {
    match state
        .store
        .insert_project(v.s.user.organisation, project, &v.s.user.username)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/projects/{}", id.0)).into_response()),
        Err(e @ jixiao_store::Error::Conflict { .. }) => Err(e.zh()),
        Err(e) => Ok(server_error(state, v, &e)),
    }
}

/// `POST /projects/new`.
pub async fn create_blank(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<NewForm>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !v.csrf_ok(&form.csrf) {
        return stale_form(&state, &v);
    }
    if !edits(v.role()) {
        return forbidden(&state, &v, "只有经办人、部门负责人和管理员可以新建项目。");
    }
    let mut errors: Vec<(&str, String)> = Vec::new();
    let name = form.name.trim();
    if name.is_empty() {
        errors.push(("name", "请填写项目名称".into()));
    }
    let year = match form.year.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            errors.push((
                "year",
                format!("年度「{}」应为 2000 至 2100 之间的年份", form.year.trim()),
            ));
            0
        }
    };
    let appropriation = match Money::parse(form.appropriation.trim()) {
        Ok(m) if !m.is_negative() => m,
        _ => {
            errors.push((
                "appropriation",
                format!(
                    "年初预算数「{}」不是金额（元，至多两位小数）",
                    form.appropriation.trim()
                ),
            ));
            Money::ZERO
        }
    };
    if !errors.is_empty() {
        return new_page(&state, &v, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let Some(mut p) = blank(name, year, &v.org) else {
        return server_error(&state, &v, &"空白项目无法生成");
    };
    p.code = form.code.trim().to_owned();
    p.office = Some(form.office.trim().to_owned()).filter(|o| !o.is_empty());
    p.budget.appropriation = appropriation;
    p.evaluation.framework = Some(form.framework.clone()).filter(|f| !f.is_empty());
    let p = match checked(&p) {
        Ok(p) => p,
        Err(problems) => {
            let errors: Vec<(&str, String)> = problems.into_iter().map(|m| ("", m)).collect();
            return new_page(&state, &v, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match create(&state, &v, &p).await {
        Ok(r) => r,
        Err(why) => new_page(&state, &v, &form, &[("name", why)], StatusCode::CONFLICT).await,
    }
}

/// A project from an uploaded project file or filled XLSX forms; the problems name their
/// field, or sheet and cell.
async fn project_from_upload(
    state: &AppState,
    name: &str,
    bytes: &[u8],
) -> Result<Project, String> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "toml" => read_project(bytes).map_err(|e| format!("项目文件有误：{}", e.join("；"))),
        "xlsx" => {
            let mut uploaded = Vec::new();
            for f in state.store.frameworks().await.unwrap_or_default() {
                if let Ok(Some(fw)) = state.store.framework(&f.name).await {
                    uploaded.push(fw);
                }
            }
            let resolve = |n: &str| {
                jixiao_core::builtin::load(n)
                    .ok()
                    .or_else(|| uploaded.iter().find(|f| f.name == n).cloned())
            };
            jixiao_report::forms::read(bytes, &resolve)
                .map(|i| i.project)
                .map_err(|errors| {
                    format!(
                        "表格有误：{}",
                        errors
                            .iter()
                            .map(jixiao_report::forms::FormError::zh)
                            .collect::<Vec<_>>()
                            .join("；")
                    )
                })
        }
        _ => Err(format!(
            "「{name}」不是项目文件（.toml）或官方表格（.xlsx）"
        )),
    }
}

/// Reads a multipart form: the CSRF token, other text fields, and one file.
async fn read_multipart(
    multipart: &mut Multipart,
) -> Result<(std::collections::HashMap<String, String>, String, Vec<u8>), String> {
    let mut fields = std::collections::HashMap::new();
    let (mut name, mut content) = (String::new(), Vec::new());
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let field_name = field.name().unwrap_or("").to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| "文件未能完整上传（可能超过上限），请重试。".to_owned())?;
                if let Some(f) = file_name {
                    name = f;
                    content = bytes.to_vec();
                } else {
                    fields.insert(field_name, String::from_utf8_lossy(&bytes).into_owned());
                }
            }
            Ok(None) => return Ok((fields, name, content)),
            Err(_) => return Err("文件未能完整上传（可能超过上限），请重试。".to_owned()),
        }
    }
}

/// `POST /projects/import` (multipart).
pub async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let form = NewForm::default();
    let (fields, name, bytes) = match read_multipart(&mut multipart).await {
        Ok(x) => x,
        Err(why) => {
            return new_page(
                &state,
                &v,
                &form,
                &[("file", why)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if !v.csrf_ok(fields.get("csrf").map_or("", String::as_str)) {
        return stale_form(&state, &v);
    }
    if !edits(v.role()) {
        return forbidden(&state, &v, "只有经办人、部门负责人和管理员可以新建项目。");
    }
    if name.is_empty() {
        return new_page(
            &state,
            &v,
            &form,
            &[("file", "请选择要导入的文件".into())],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let project = match project_from_upload(&state, &name, &bytes).await {
        Ok(p) => p,
        Err(why) => {
            return new_page(
                &state,
                &v,
                &form,
                &[("file", why)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match create(&state, &v, &project).await {
        Ok(r) => r,
        Err(why) => new_page(&state, &v, &form, &[("file", why)], StatusCode::CONFLICT).await,
    }
}

/// The CSRF token only.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    csrf: String,
}

/// `POST /projects/{id}/continue`: next year's continuing project (延续项目): the facts,
/// policy basis, approval chain, targets and framework copied; budget, spending, actual values,
/// judgments, claims and narrative cleared.
pub async fn continue_project(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<TokenForm>,
) -> Response {
    let (v, stored) = match posted(&state, &headers, &form.csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !super::projects::may_edit(&state, &v, &stored).await {
        return forbidden(&state, &v, "您无权为该项目建立延续项目。");
    }
    let old = &stored.project;
    let Some(mut next) = blank(&old.name, old.year + 1, &old.department) else {
        return server_error(&state, &v, &"空白项目无法生成");
    };
    next.code = old.code.clone();
    next.office = old.office.clone();
    next.category = old.category.clone();
    next.nature = Some("延续项目".to_owned());
    next.supervisor = old.supervisor.clone();
    next.contact = old.contact.clone();
    next.policy_basis = old.policy_basis.clone();
    next.approval_chain = old.approval_chain.clone();
    next.facts = old.facts.clone();
    next.overall_goal = old.overall_goal.clone();
    next.annual_goal = old.annual_goal.clone();
    next.targets = old
        .targets
        .iter()
        .map(|t| Target {
            actual: None,
            ..t.clone()
        })
        .collect();
    next.evaluation.framework = old.evaluation.framework.clone();
    next.evaluation.kind = old.evaluation.kind;
    let next = match checked(&next) {
        Ok(p) => p,
        Err(problems) => return server_error(&state, &v, &problems.join("；")),
    };
    match state
        .store
        .insert_project(stored.organisation, &next, &v.s.user.username)
        .await
    {
        Ok(new_id) => Redirect::to(&format!("/projects/{}", new_id.0)).into_response(),
        Err(e @ jixiao_store::Error::Conflict { .. }) => super::status_page(
            &state,
            &v,
            StatusCode::CONFLICT,
            "延续项目已存在",
            &format!("{}年已有同名项目：{}", old.year + 1, e.zh()),
        ),
        Err(e) => server_error(&state, &v, &e),
    }
}

/// Whether the indicators may change now: the target sheet is a draft, or an adjustment of the
/// approved sheet is open (the store checks the same when saving).
pub(crate) async fn targets_open(state: &AppState, stored: &Stored) -> bool {
    let flows = state.store.workflows(stored.id).await.unwrap_or_default();
    let state_of = |k: FlowKind| {
        flows
            .iter()
            .find(|f| f.kind == k)
            .map_or(k.initial(), |f| f.state)
    };
    state_of(FlowKind::TargetSheet) == FlowState::Draft
        || (state_of(FlowKind::TargetSheet) == FlowState::Approved
            && state_of(FlowKind::Adjustment) == FlowState::Draft)
}

/// The basic-facts form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BasicsForm {
    csrf: String,
    version: String,
    name: String,
    code: String,
    office: String,
    category: String,
    start: String,
    end: String,
    overall_goal: String,
    annual_goal: String,
    appropriation: String,
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page and everything it shows"
)]
fn basics_page(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    form: &BasicsForm,
    version: i64,
    errors: &[(&str, String)],
    notice: Option<&str>,
    status: StatusCode,
) -> Response {
    let err = |f: &str| {
        errors
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, m)| m.as_str())
    };
    let id = stored.id.0;
    let main = format!(
        "{}{}<form method=\"post\" action=\"/projects/{id}/edit\">{}<input type=\"hidden\" name=\"version\" value=\"{version}\">\
         {}{}{}{}{}{}{}{}{}<button type=\"submit\">保存</button> <a href=\"/projects/{id}\">返回项目</a></form>",
        notice.map_or(String::new(), |n| format!(
            "<div class=\"notice\" role=\"alert\">{}</div>",
            esc(n)
        )),
        error_summary(errors),
        v.csrf_field(),
        text_field("name", "项目名称", &form.name, None, err("name")),
        text_field("code", "项目编码", &form.code, None, err("code")),
        text_field("office", "负责处室", &form.office, None, err("office")),
        text_field(
            "category",
            "项目类别",
            &form.category,
            None,
            err("category")
        ),
        text_field(
            "start",
            "开始日期",
            &form.start,
            Some("如 2022-01-01"),
            err("start")
        ),
        text_field(
            "end",
            "结束日期",
            &form.end,
            Some("如 2022-12-31"),
            err("end")
        ),
        text_area(
            "overall_goal",
            "总目标",
            &form.overall_goal,
            err("overall_goal")
        ),
        text_area(
            "annual_goal",
            "年度目标",
            &form.annual_goal,
            err("annual_goal")
        ),
        text_field(
            "appropriation",
            "年初预算数（元）",
            &form.appropriation,
            Some("精确到分"),
            err("appropriation")
        ),
    );
    (
        status,
        Html(render(
            state,
            v,
            "/projects",
            &format!("修改基本信息：{}", stored.project.name),
            &main,
        )),
    )
        .into_response()
}

/// `GET /projects/{id}/edit`.
pub async fn basics_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !super::projects::may_edit(&state, &v, &stored).await {
        return forbidden(&state, &v, "您可以查看该项目，但无权修改。");
    }
    let p = &stored.project;
    let form = BasicsForm {
        name: p.name.clone(),
        code: p.code.clone(),
        office: p.office.clone().unwrap_or_default(),
        category: p.category.clone().unwrap_or_default(),
        start: p.start.map(|d| d.to_string()).unwrap_or_default(),
        end: p.end.map(|d| d.to_string()).unwrap_or_default(),
        overall_goal: p.overall_goal.clone().unwrap_or_default(),
        annual_goal: p.annual_goal.clone().unwrap_or_default(),
        appropriation: p.budget.appropriation.yuan(),
        ..BasicsForm::default()
    };
    basics_page(
        &state,
        &v,
        &stored,
        &form,
        stored.version,
        &[],
        None,
        StatusCode::OK,
    )
}

/// Saves `project` if still at `version`; on a stale version the `page` is shown again.
async fn save(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    version: i64,
    project: &Project,
    back: String,
) -> Result<Response, (i64, String)> {
    match state
        .store
        .update_project(stored.id, version, project, &v.s.user.username)
        .await
    {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        Err(jixiao_store::Error::Stale { found, .. }) => Err((
            found,
            format!(
                "您打开此页后，他人已保存了该项目（现为第 {found} 版）。您的输入保留如下，请核对后再次保存。"
            ),
        )),
        Err(e @ jixiao_store::Error::Refused { .. }) => Err((version, e.zh())),
        Err(e) => Ok(server_error(state, v, &e)),
    }
}

/// `POST /projects/{id}/edit`.
pub async fn save_basics(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<BasicsForm>,
) -> Response {
    let (v, stored) = match posted(&state, &headers, &form.csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !super::projects::may_edit(&state, &v, &stored).await {
        return forbidden(&state, &v, "您可以查看该项目，但无权修改。");
    }
    let version = form.version.parse::<i64>().unwrap_or(0);
    let mut errors: Vec<(&str, String)> = Vec::new();
    let mut p = stored.project.clone();
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    if form.name.trim().is_empty() {
        errors.push(("name", "请填写项目名称".into()));
    }
    p.name = form.name.trim().to_owned();
    p.code = form.code.trim().to_owned();
    p.office = opt(&form.office);
    p.category = opt(&form.category);
    p.overall_goal = opt(&form.overall_goal);
    p.annual_goal = opt(&form.annual_goal);
    for (field, text, slot) in [
        ("start", &form.start, &mut p.start),
        ("end", &form.end, &mut p.end),
    ] {
        *slot = match text.trim() {
            "" => None,
            t => match jixiao_core::date::Date::parse(t) {
                Some(d) => Some(d),
                None => {
                    errors.push((field, format!("日期「{t}」应写成 年-月-日，如 2022-12-31")));
                    None
                }
            },
        };
    }
    match Money::parse(form.appropriation.trim()) {
        Ok(m) if !m.is_negative() => p.budget.appropriation = m,
        _ => errors.push((
            "appropriation",
            format!(
                "年初预算数「{}」不是金额（元，至多两位小数）",
                form.appropriation.trim()
            ),
        )),
    }
    if errors.is_empty() {
        match checked(&p) {
            Ok(valid) => {
                match save(
                    &state,
                    &v,
                    &stored,
                    version,
                    &valid,
                    format!("/projects/{}", stored.id.0),
                )
                .await
                {
                    Ok(r) => return r,
                    Err((found, message)) => {
                        return basics_page(
                            &state,
                            &v,
                            &stored,
                            &form,
                            found,
                            &[],
                            Some(&message),
                            StatusCode::CONFLICT,
                        );
                    }
                }
            }
            Err(problems) => {
                let fields = [("start", "start"), ("end", "end"), ("name", "name")];
                errors.extend(problems.into_iter().map(|m| (field_for(&m, &fields), m)));
            }
        }
    }
    basics_page(
        &state,
        &v,
        &stored,
        &form,
        version,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

/// An indicator's form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct IndicatorForm {
    csrf: String,
    version: String,
    category: String,
    subcategory: String,
    name: String,
    comparator: String,
    value: String,
    unit: String,
    weight: String,
    explanation: String,
}

impl IndicatorForm {
    fn of(t: &Target) -> IndicatorForm {
        IndicatorForm {
            category: t.category.zh().to_owned(),
            subcategory: t.subcategory.zh().to_owned(),
            name: t.name.clone(),
            comparator: t.comparator.symbol().to_owned(),
            value: match &t.value {
                TargetValue::Number(d) => d.to_string(),
                TargetValue::Text(s) => s.clone(),
            },
            unit: t.unit.to_string(),
            weight: t.weight.map(|w| w.to_string()).unwrap_or_default(),
            explanation: t.explanation.clone().unwrap_or_default(),
            ..IndicatorForm::default()
        }
    }
}

fn options(names: &[&str]) -> Vec<(String, String)> {
    names
        .iter()
        .map(|n| ((*n).to_owned(), (*n).to_owned()))
        .collect()
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page and everything it shows"
)]
fn indicator_page(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    tid: Option<&str>,
    form: &IndicatorForm,
    version: i64,
    errors: &[(&str, String)],
    notice: Option<&str>,
    status: StatusCode,
) -> Response {
    let err = |f: &str| {
        errors
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, m)| m.as_str())
    };
    let id = stored.id.0;
    let action = tid.map_or(format!("/projects/{id}/indicators/new"), |t| {
        format!("/projects/{id}/indicators/{t}")
    });
    let main = format!(
        "{}{}<form method=\"post\" action=\"{}\">{}<input type=\"hidden\" name=\"version\" value=\"{version}\">\
         {}{}{}{}{}{}{}{}<button type=\"submit\">保存</button> <a href=\"/projects/{id}#targets\">返回项目</a></form>",
        notice.map_or(String::new(), |n| format!(
            "<div class=\"notice\" role=\"alert\">{}</div>",
            esc(n)
        )),
        error_summary(errors),
        esc(&action),
        v.csrf_field(),
        select(
            "category",
            "一级指标（类别）",
            &options(Category::NAMES),
            &form.category
        ),
        select(
            "subcategory",
            "二级指标",
            &options(Subcategory::NAMES),
            &form.subcategory
        ),
        text_field("name", "三级指标（名称）", &form.name, None, err("name")),
        select(
            "comparator",
            "指标性质",
            &options(Comparator::NAMES),
            &form.comparator
        ),
        text_field(
            "value",
            "指标值",
            &form.value,
            Some("数值，或定性指标的文字（如 明显提高）"),
            err("value")
        ),
        text_field(
            "unit",
            "计量单位",
            &form.unit,
            Some("如 人次、%、万元"),
            err("unit")
        ),
        text_field(
            "weight",
            "权重（分）",
            &form.weight,
            Some("可不填：按框架均分"),
            err("weight")
        ),
        text_area(
            "explanation",
            "指标解释",
            &form.explanation,
            err("explanation")
        ),
    );
    let title = tid.map_or("新增绩效指标".to_owned(), |t| {
        format!("修改绩效指标 {t}")
    });
    (status, Html(render(state, v, "/projects", &title, &main))).into_response()
}

/// The viewer and the project whose indicators are to change (a posted form's CSRF token
/// checked when given), or the page that refuses: not allowed, or the sheet is locked.
async fn indicator_guard(
    state: &AppState,
    headers: &HeaderMap,
    csrf: Option<&str>,
    id: &str,
) -> Result<(Viewer, Stored), Response> {
    let (v, stored) = match csrf {
        Some(token) => posted(state, headers, token, id).await?,
        None => seen(state, headers, id).await?,
    };
    if !super::projects::may_edit(state, &v, &stored).await {
        return Err(forbidden(
            state,
            &v,
            "您可以查看该项目，但无权修改绩效指标。",
        ));
    }
    if !targets_open(state, &stored).await {
        return Err(super::status_page(
            state,
            &v,
            StatusCode::CONFLICT,
            "绩效指标已锁定",
            "绩效目标表已提交或已批复，指标不能修改；批复后如需修改，请在项目页发起绩效目标调整。",
        ));
    }
    Ok((v, stored))
}

/// `GET /projects/{id}/indicators/{tid}` (`new` for a new one).
pub async fn indicator_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, tid)): Path<(String, String)>,
) -> Response {
    let (v, stored) = match indicator_guard(&state, &headers, None, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if tid == "new" {
        let form = IndicatorForm {
            category: "产出".into(),
            subcategory: "数量".into(),
            comparator: "≥".into(),
            ..IndicatorForm::default()
        };
        return indicator_page(
            &state,
            &v,
            &stored,
            None,
            &form,
            stored.version,
            &[],
            None,
            StatusCode::OK,
        );
    }
    let Some(t) = stored.project.targets.iter().find(|t| t.id == tid) else {
        return not_found(&state, &v, &format!("项目没有编号为「{tid}」的绩效指标。"));
    };
    let form = IndicatorForm::of(t);
    indicator_page(
        &state,
        &v,
        &stored,
        Some(&tid),
        &form,
        stored.version,
        &[],
        None,
        StatusCode::OK,
    )
}

/// The next free indicator id (`T01`, `T02` …).
fn next_id(p: &Project) -> String {
    (1..)
        .map(|n| format!("T{n:02}"))
        .find(|c| p.targets.iter().all(|t| t.id != *c))
        .unwrap_or_default()
}

/// `POST /projects/{id}/indicators/{tid}` (`new` adds one).
pub async fn save_indicator(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, tid)): Path<(String, String)>,
    axum::Form(form): axum::Form<IndicatorForm>,
) -> Response {
    let (v, stored) = match indicator_guard(&state, &headers, Some(&form.csrf), &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let version = form.version.parse::<i64>().unwrap_or(0);
    let shown = (tid != "new").then_some(tid.as_str());
    let mut errors: Vec<(&str, String)> = Vec::new();
    let category = Category::parse(&form.category);
    let subcategory = Subcategory::parse(&form.subcategory);
    let comparator = Comparator::parse(&form.comparator);
    match (category, subcategory) {
        (Some(c), Some(s)) if !s.belongs_to(c) => errors.push((
            "subcategory",
            format!("二级指标“{}”不属于一级指标“{}”", s.zh(), c.zh()),
        )),
        (None, _) | (_, None) => errors.push(("category", "请选择一级和二级指标".into())),
        _ => {}
    }
    if form.name.trim().is_empty() {
        errors.push(("name", "请填写指标名称".into()));
    }
    let value = match comparator {
        Some(Comparator::Qualitative) => {
            if form.value.trim().is_empty() {
                errors.push(("value", "定性指标请写明指标值（如 明显提高）".into()));
            }
            TargetValue::Text(form.value.trim().to_owned())
        }
        Some(_) => match Dec::parse(form.value.trim()) {
            Ok(d) => TargetValue::Number(d),
            Err(_) => {
                errors.push(("value", format!("指标值「{}」不是数", form.value.trim())));
                TargetValue::Text(String::new())
            }
        },
        None => {
            errors.push(("comparator", "请选择指标性质".into()));
            TargetValue::Text(String::new())
        }
    };
    let weight = match form.weight.trim() {
        "" => None,
        w => match Dec::parse(w).ok().and_then(|d| Points::from_dec(d).ok()) {
            Some(p) => Some(p),
            None => {
                errors.push(("weight", format!("权重「{w}」应为分值，至多两位小数")));
                None
            }
        },
    };
    if !errors.is_empty() {
        return indicator_page(
            &state,
            &v,
            &stored,
            shown,
            &form,
            version,
            &errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let (Some(category), Some(subcategory), Some(comparator)) = (category, subcategory, comparator)
    else {
        return indicator_page(
            &state,
            &v,
            &stored,
            shown,
            &form,
            version,
            &errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let mut p = stored.project.clone();
    let explanation = Some(form.explanation.trim().to_owned()).filter(|e| !e.is_empty());
    let direction: Direction = comparator.implied_direction();
    if tid == "new" {
        p.targets.push(Target {
            id: next_id(&p).into(),
            category,
            subcategory,
            name: form.name.trim().to_owned(),
            comparator,
            value,
            unit: Unit::parse(form.unit.trim()),
            direction,
            weight,
            explanation,
            basis: None,
            actual: None,
        });
    } else {
        let Some(t) = p.targets.iter_mut().find(|t| t.id == tid) else {
            return not_found(&state, &v, &format!("项目没有编号为「{tid}」的绩效指标。"));
        };
        t.category = category;
        t.subcategory = subcategory;
        t.name = form.name.trim().to_owned();
        t.comparator = comparator;
        t.value = value;
        t.unit = Unit::parse(form.unit.trim());
        t.direction = direction;
        t.weight = weight;
        t.explanation = explanation;
    }
    let p = match checked(&p) {
        Ok(p) => p,
        Err(problems) => {
            let fields = [
                ("value", "value"),
                ("unit", "unit"),
                ("weight", "weight"),
                ("name", "name"),
            ];
            let errors: Vec<(&str, String)> = problems
                .into_iter()
                .map(|m| (field_for(&m, &fields), m))
                .collect();
            return indicator_page(
                &state,
                &v,
                &stored,
                shown,
                &form,
                version,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match save(
        &state,
        &v,
        &stored,
        version,
        &p,
        format!("/projects/{}#targets", stored.id.0),
    )
    .await
    {
        Ok(r) => r,
        Err((found, message)) => indicator_page(
            &state,
            &v,
            &stored,
            shown,
            &form,
            found,
            &[],
            Some(&message),
            StatusCode::CONFLICT,
        ),
    }
}

/// Moving or removing an indicator.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ArrangeForm {
    csrf: String,
    version: String,
    /// `up`, `down` or `remove`.
    op: String,
}

/// `POST /projects/{id}/indicators/{tid}/arrange`: moves an indicator up or down, or removes it.
pub async fn arrange(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, tid)): Path<(String, String)>,
    axum::Form(form): axum::Form<ArrangeForm>,
) -> Response {
    let (v, stored) = match indicator_guard(&state, &headers, Some(&form.csrf), &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut p = stored.project.clone();
    let Some(i) = p.targets.iter().position(|t| t.id == tid) else {
        return not_found(&state, &v, &format!("项目没有编号为「{tid}」的绩效指标。"));
    };
    match form.op.as_str() {
        "up" if i > 0 => p.targets.swap(i, i - 1),
        "down" if i + 1 < p.targets.len() => p.targets.swap(i, i + 1),
        "remove" => {
            p.targets.remove(i);
            // Judgments of the removed indicator go with it.
            p.evaluation.judgments.retain(
                |j| !matches!(&j.subject, jixiao_core::project::Subject::Target(t) if *t == tid),
            );
        }
        "up" | "down" => {}
        _ => return not_found(&state, &v, "没有这种操作。"),
    }
    let version = form.version.parse::<i64>().unwrap_or(0);
    let p = match checked(&p) {
        Ok(p) => p,
        Err(problems) => {
            return super::status_page(
                &state,
                &v,
                StatusCode::UNPROCESSABLE_ENTITY,
                "无法修改",
                &problems.join("；"),
            );
        }
    };
    match save(
        &state,
        &v,
        &stored,
        version,
        &p,
        format!("/projects/{}#targets", stored.id.0),
    )
    .await
    {
        Ok(r) => r,
        Err((_, message)) => super::status_page(
            &state,
            &v,
            StatusCode::CONFLICT,
            "未保存",
            &format!("{message}（请返回项目页刷新后再操作）"),
        ),
    }
}

/// `POST /projects/{id}/replace` (multipart): replaces a draft with an uploaded project file or
/// filled XLSX forms, if the project is still at the version the page was read at.
pub async fn replace(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let refused = |state: &AppState, v: &Viewer, message: &str| {
        super::status_page(
            state,
            v,
            StatusCode::UNPROCESSABLE_ENTITY,
            "未能更新项目",
            message,
        )
    };
    let (fields, name, bytes) = match read_multipart(&mut multipart).await {
        Ok(x) => x,
        Err(why) => return refused(&state, &v, &why),
    };
    if !v.csrf_ok(fields.get("csrf").map_or("", String::as_str)) {
        return stale_form(&state, &v);
    }
    if !super::projects::may_edit(&state, &v, &stored).await {
        return forbidden(&state, &v, "您可以查看该项目，但无权修改。");
    }
    if name.is_empty() {
        return refused(&state, &v, "请选择要上传的文件。");
    }
    let project = match project_from_upload(&state, &name, &bytes).await {
        Ok(p) => p,
        Err(why) => return refused(&state, &v, &why),
    };
    let version = fields
        .get("version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    match save(
        &state,
        &v,
        &stored,
        version,
        &project,
        format!("/projects/{}", stored.id.0),
    )
    .await
    {
        Ok(r) => r,
        Err((_, message)) => {
            super::status_page(&state, &v, StatusCode::CONFLICT, "未能更新项目", &message)
        }
    }
}

/// The narrative sections of the report, in the outline's order, with where each is printed.
const SECTIONS: [(&str, &str); 10] = [
    ("background", "立项背景及目的（一、（一）1.）"),
    ("preparation", "项目实施情况：前期准备（一、（一）2.）"),
    ("implementation", "项目实施情况：实施过程（一、（一）2.）"),
    ("management", "组织及管理情况（一、（一）4.）"),
    ("purpose", "评价目的（二、（一））"),
    ("analysis", "评价实施过程（二、（四））"),
    ("performance", "主要绩效（三、（一）2.）"),
    ("experience", "主要经验及做法（五、（一））"),
    ("problems", "存在的问题（五、（二））"),
    ("suggestions", "建议（五、（三））"),
];

#[expect(
    clippy::too_many_arguments,
    reason = "one page and everything it shows"
)]
fn narrative_page(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    texts: &std::collections::HashMap<String, String>,
    version: i64,
    errors: &[(&str, String)],
    status: StatusCode,
    figures: &[(String, String)],
) -> Response {
    let id = stored.id.0;
    let err = |f: &str| {
        errors
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, m)| m.as_str())
    };
    let fields: String = SECTIONS
        .iter()
        .map(|(key, label)| {
            text_area(
                key,
                label,
                texts.get(*key).map_or("", String::as_str),
                err(key),
            )
        })
        .collect();
    let rows: String = figures
        .iter()
        .map(|(name, value)| {
            format!(
                "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td></tr>",
                esc(name),
                esc(value)
            )
        })
        .collect();
    let picker = if figures.is_empty() {
        "<p>项目指定指标体系框架后，这里列出叙述中可以引用的数据。</p>".to_owned()
    } else {
        format!(
            "<table><caption>可引用的数据：把左列的名称（连同花括号）写进叙述，报告中就印出右列的数，数据改了报告跟着改</caption>\
             <thead><tr><th scope=\"col\">名称</th><th scope=\"col\">现在印出</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let main = format!(
        "{}<p>每行一段。报告中的金额、比率、得分、等级、指标数和各表格都由数据计算，不在这里填写；\
         叙述中写出的数字若与数据矛盾，保存时会指出。</p>\
         <form method=\"post\" action=\"/projects/{id}/narrative\">{}<input type=\"hidden\" name=\"version\" value=\"{version}\">\
         {fields}<button type=\"submit\">保存叙述</button> <a href=\"/projects/{id}#report\">返回项目</a></form>\
         <section aria-labelledby=\"figures\"><h2 id=\"figures\">可引用的数据</h2>{picker}</section>",
        error_summary(errors),
        v.csrf_field(),
    );
    (
        status,
        Html(render(
            state,
            v,
            "/projects",
            &format!("报告叙述：{}", stored.project.name),
            &main,
        )),
    )
        .into_response()
}

/// The project as the report sees it: with the ledger's payments by the cut-off date.
async fn reported(state: &AppState, stored: &Stored, p: &Project) -> Project {
    match state.store.ledger(stored.id).await {
        Ok(ledger) if !ledger.is_empty() => {
            jixiao_store::with_ledger(p, &ledger, jixiao_store::cutoff(p))
        }
        _ => p.clone(),
    }
}

async fn figures_of(state: &AppState, p: &Project) -> Vec<(String, String)> {
    let Some(name) = p.framework_name() else {
        return Vec::new();
    };
    match state.store.framework(name).await {
        Ok(Some(fw)) => jixiao_report::figures::available(&jixiao_core::scoring::score(&fw, p)),
        _ => Vec::new(),
    }
}

/// `GET /projects/{id}/narrative`: the report's narrative sections, with the figures they
/// may cite.
pub async fn narrative_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !super::projects::may_edit(&state, &v, &stored).await {
        return forbidden(&state, &v, "您可以查看该项目，但无权修改报告叙述。");
    }
    let texts = stored
        .project
        .narrative
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let figures = figures_of(&state, &reported(&state, &stored, &stored.project).await).await;
    narrative_page(
        &state,
        &v,
        &stored,
        &texts,
        stored.version,
        &[],
        StatusCode::OK,
        &figures,
    )
}

/// `POST /projects/{id}/narrative`: saves the sections, refusing a reference to an unknown
/// figure (named with its section) or a narrative that contradicts the data.
pub async fn save_narrative(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !v.csrf_ok(form.get("csrf").map_or("", String::as_str)) {
        return stale_form(&state, &v);
    }
    let stored = match visible(&state, &v, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !super::projects::may_edit(&state, &v, &stored).await {
        return forbidden(&state, &v, "您可以查看该项目，但无权修改报告叙述。");
    }
    let version = form
        .get("version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    let mut p = stored.project.clone();
    for (key, _) in SECTIONS {
        let text = form
            .get(key)
            .map_or("", String::as_str)
            .trim()
            .replace("\r\n", "\n");
        if text.is_empty() {
            p.narrative.remove(key);
        } else {
            p.narrative.insert(key.to_owned(), text);
        }
    }
    let texts: std::collections::HashMap<String, String> = form.clone();
    let figures = figures_of(&state, &reported(&state, &stored, &p).await).await;
    let p = match checked(&p) {
        Ok(p) => p,
        Err(problems) => {
            let errors: Vec<(&str, String)> = problems.into_iter().map(|m| ("", m)).collect();
            return narrative_page(
                &state,
                &v,
                &stored,
                &texts,
                version,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                &figures,
            );
        }
    };
    // The report's own checks: every figure known, and nothing typed that the data contradicts.
    if let Some(name) = p.framework_name()
        && let Ok(Some(fw)) = state.store.framework(name).await
    {
        let viewed = reported(&state, &stored, &p).await;
        let scored = jixiao_core::scoring::score(&fw, &viewed);
        if let Err(e) = jixiao_report::prepare(&scored) {
            let field = match &e {
                jixiao_report::Error::UnknownFigure { field, .. }
                | jixiao_report::Error::Placeholder { field, .. } => SECTIONS
                    .iter()
                    .find(|(k, _)| k == field)
                    .map_or("", |(k, _)| *k),
                _ => "",
            };
            let mut errors = vec![(field, e.zh())];
            if let jixiao_report::Error::Contradictions(r) = &e {
                errors.extend(
                    r.findings
                        .iter()
                        .filter(|f| f.severity == jixiao_audit::Severity::Error)
                        .map(|f| ("", f.message.clone())),
                );
            }
            return narrative_page(
                &state,
                &v,
                &stored,
                &texts,
                version,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                &figures,
            );
        }
    }
    match save(
        &state,
        &v,
        &stored,
        version,
        &p,
        format!("/projects/{}#report", stored.id.0),
    )
    .await
    {
        Ok(r) => r,
        Err((found, message)) => narrative_page(
            &state,
            &v,
            &stored,
            &texts,
            found,
            &[("", message)],
            StatusCode::CONFLICT,
            &figures,
        ),
    }
}
