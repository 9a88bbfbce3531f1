//! The lists of a project, each kept on one page: policy basis (立项依据), named facts the
//! narrative cites, budget adjustments, funds received and spending lines. Each row can be
//! removed and a new one added; every change passes the project file's checks and is saved
//! with the version the page was read at.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use jixiao_core::date::Date;
use jixiao_core::num::{Dec, Money};
use jixiao_core::project::{
    Adjustment, Fact, FundSource, PolicyDoc, Project, Receipt, SpendingLine,
};
use jixiao_core::unit::Unit;
use jixiao_store::Stored;

use super::projects::visible;
use super::{
    Viewer, error_summary, forbidden, not_found, render, select, stale_form, text_field, viewer,
};
use crate::AppState;
use crate::handlers::{esc, read_project};

/// One kind of list: its key, title, the fields of a new row (id, label, hint).
struct Kind {
    key: &'static str,
    title: &'static str,
    fields: &'static [(&'static str, &'static str, &'static str)],
}

const KINDS: [Kind; 5] = [
    Kind {
        key: "policy",
        title: "立项依据",
        fields: &[
            (
                "title",
                "文件名称",
                "如《关于进一步加强和规范基层残疾人组织建设的实施意见》",
            ),
            ("number", "文号", "如 云残发〔2010〕94号；法律可不填"),
            ("issuer", "发文机关", "可不填"),
        ],
    },
    Kind {
        key: "fact",
        title: "可引用的事实",
        fields: &[
            ("name", "名称", "如 接待来访"),
            ("value", "数量", "十进制数，如 1140"),
            ("unit", "单位", "如 人次"),
            ("source", "来源", "如 信访登记簿"),
        ],
    },
    Kind {
        key: "adjustment",
        title: "预算调整",
        fields: &[
            ("date", "日期", "如 2022-06-30"),
            ("amount", "金额（元）", "追加为正，调减为负，如 -50000"),
            ("document", "批复文件", "可不填"),
            ("reason", "原因", "可不填"),
        ],
    },
    Kind {
        key: "receipt",
        title: "资金到位",
        fields: &[
            ("date", "到位日期", "如 2022-03-15；可不填"),
            ("amount", "金额（元）", "精确到分"),
            ("note", "说明", "可不填"),
        ],
    },
    Kind {
        key: "spending",
        title: "支出明细",
        fields: &[
            ("date", "日期", "如 2022-09-20；可不填"),
            ("purpose", "用途", "如 采购第三代残疾人证"),
            ("amount", "金额（元）", "精确到分"),
            ("payee", "收款方", "可不填"),
            ("targets", "对应指标编号", "以逗号分隔，如 T04；可不填"),
        ],
    },
];

fn rows_of(p: &Project, key: &str) -> Vec<Vec<String>> {
    let d = |d: &Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    match key {
        "policy" => p
            .policy_basis
            .iter()
            .map(|x| {
                vec![
                    x.title.clone(),
                    x.number.clone().unwrap_or_default(),
                    x.issuer.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        "fact" => p
            .facts
            .iter()
            .map(|f| {
                vec![
                    f.name.clone(),
                    f.value.to_string(),
                    f.unit.to_string(),
                    f.source.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        "adjustment" => p
            .budget
            .adjustments
            .iter()
            .map(|a| {
                vec![
                    d(&a.date),
                    a.amount.yuan(),
                    a.document.clone().unwrap_or_default(),
                    a.reason.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        "receipt" => p
            .budget
            .receipts
            .iter()
            .map(|r| {
                vec![
                    r.source.zh().to_owned(),
                    d(&r.date),
                    r.amount.yuan(),
                    r.note.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        _ => p
            .budget
            .spending
            .iter()
            .map(|l| {
                vec![
                    d(&l.date),
                    l.purpose.clone(),
                    l.amount.yuan(),
                    l.payee.clone().unwrap_or_default(),
                    l.targets.join("、"),
                ]
            })
            .collect(),
    }
}

fn headers_of(kind: &Kind) -> Vec<&'static str> {
    if kind.key == "receipt" {
        std::iter::once("资金来源")
            .chain(kind.fields.iter().map(|f| f.1))
            .collect()
    } else {
        kind.fields.iter().map(|f| f.1).collect()
    }
}

fn page(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    input: &HashMap<String, String>,
    errors: &[(&str, String)],
    status: StatusCode,
) -> Response {
    let id = stored.id.0;
    let p = &stored.project;
    let err_for = |field: &str| {
        errors
            .iter()
            .find(|(k, _)| *k == field)
            .map(|(_, m)| m.as_str())
    };
    let mut main = format!(
        "{}<nav aria-label=\"本页\" class=\"subnav\"><ul>{}</ul></nav>",
        error_summary(errors),
        KINDS
            .iter()
            .map(|k| format!("<li><a href=\"#{}\">{}</a></li>", k.key, k.title))
            .collect::<String>()
    );
    for kind in &KINDS {
        let heads: String = headers_of(kind)
            .iter()
            .map(|h| format!("<th scope=\"col\">{h}</th>"))
            .collect();
        let body: String = rows_of(p, kind.key)
            .iter()
            .enumerate()
            .map(|(i, cells)| {
                let tds: String = cells
                    .iter()
                    .enumerate()
                    .map(|(c, text)| {
                        // The row's header is the cell that names it (never an empty date).
                        let header = match kind.key {
                            "adjustment" | "spending" => 1,
                            _ => 0,
                        };
                        if c == header {
                            format!("<th scope=\"row\">{}</th>", esc(text))
                        } else {
                            format!("<td>{}</td>", esc(text))
                        }
                    })
                    .collect();
                format!(
                    "<tr>{tds}<td><form method=\"post\" action=\"/projects/{id}/lists/{}\" class=\"inline-form\">{}\
                     <input type=\"hidden\" name=\"version\" value=\"{}\"><input type=\"hidden\" name=\"op\" value=\"remove\">\
                     <input type=\"hidden\" name=\"index\" value=\"{i}\"><button type=\"submit\" class=\"small\">删除\
                     <span class=\"visually-hidden\">{}第 {} 行</span></button></form></td></tr>",
                    kind.key,
                    v.csrf_field(),
                    stored.version,
                    kind.title,
                    i + 1
                )
            })
            .collect();
        let mut fields = String::new();
        if kind.key == "receipt" {
            let sources: Vec<(String, String)> = FundSource::NAMES
                .iter()
                .map(|n| ((*n).to_owned(), (*n).to_owned()))
                .collect();
            fields.push_str(&select(
                "receipt-source",
                "资金来源",
                &sources,
                input.get("receipt-source").map_or("", String::as_str),
            ));
        }
        for (name, label, hint) in kind.fields {
            let field = format!("{}-{name}", kind.key);
            fields.push_str(&text_field(
                &field,
                label,
                input.get(&field).map_or("", String::as_str),
                Some(hint),
                err_for(&field),
            ));
        }
        main.push_str(&format!(
            "<section aria-labelledby=\"{key}\"><h2 id=\"{key}\">{title}</h2>\
             <table><caption>{title}（{n} 项）</caption><thead><tr>{heads}<th scope=\"col\">操作</th></tr></thead><tbody>{body}</tbody></table>\
             <form method=\"post\" action=\"/projects/{id}/lists/{key}\" class=\"block-form\">{csrf}\
             <input type=\"hidden\" name=\"version\" value=\"{version}\"><input type=\"hidden\" name=\"op\" value=\"add\">\
             <fieldset><legend>新增一项{title}</legend>{fields}</fieldset><button type=\"submit\">新增</button></form></section>",
            key = kind.key,
            title = kind.title,
            n = rows_of(p, kind.key).len(),
            csrf = v.csrf_field(),
            version = stored.version,
        ));
    }
    main.push_str(&format!("<p><a href=\"/projects/{id}\">返回项目</a></p>"));
    (
        status,
        Html(render(
            state,
            v,
            "/projects",
            &format!("依据、事实与资金：{}", p.name),
            &main,
        )),
    )
        .into_response()
}

async fn guard(state: &AppState, v: &Viewer, id: &str) -> Result<Stored, Response> {
    let stored = visible(state, v, id).await?;
    if !super::projects::may_edit(state, v, &stored).await {
        return Err(forbidden(state, v, "您可以查看该项目，但无权修改。"));
    }
    Ok(stored)
}

/// `GET /projects/{id}/lists`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let stored = match guard(&state, &v, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    page(&state, &v, &stored, &HashMap::new(), &[], StatusCode::OK)
}

fn opt(s: Option<&String>) -> Option<String> {
    s.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Adds the row described by the form to the list `key`, or says which field is wrong.
fn add(p: &mut Project, key: &str, f: &HashMap<String, String>) -> Result<(), (String, String)> {
    let get = |name: &str| f.get(&format!("{key}-{name}")).map_or("", |s| s.trim());
    let field = |name: &str| format!("{key}-{name}");
    let date = |name: &str| -> Result<Option<Date>, (String, String)> {
        match get(name) {
            "" => Ok(None),
            t => Date::parse(t).map(Some).ok_or_else(|| {
                (
                    field(name),
                    format!("日期「{t}」应写成 年-月-日，如 2022-12-31"),
                )
            }),
        }
    };
    let money = |name: &str| -> Result<Money, (String, String)> {
        Money::parse(get(name)).map_err(|_| {
            (
                field(name),
                format!("金额「{}」不是金额（元，至多两位小数）", get(name)),
            )
        })
    };
    let required = |name: &str, what: &str| -> Result<String, (String, String)> {
        Some(get(name).to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| (field(name), format!("请填写{what}")))
    };
    match key {
        "policy" => p.policy_basis.push(PolicyDoc {
            title: required("title", "文件名称")?,
            number: opt(f.get(&field("number"))),
            issuer: opt(f.get(&field("issuer"))),
        }),
        "fact" => {
            let name = required("name", "名称")?;
            if p.facts.iter().any(|x| x.name == name) {
                return Err((field("name"), format!("已有名为「{name}」的事实")));
            }
            let value = Dec::parse(get("value"))
                .map_err(|_| (field("value"), format!("数量「{}」不是数", get("value"))))?;
            p.facts.push(Fact {
                name,
                value,
                unit: Unit::parse(get("unit")),
                source: opt(f.get(&field("source"))),
                note: None,
            });
        }
        "adjustment" => p.budget.adjustments.push(Adjustment {
            date: date("date")?,
            amount: money("amount")?,
            document: opt(f.get(&field("document"))),
            reason: opt(f.get(&field("reason"))),
        }),
        "receipt" => {
            let source = FundSource::parse(f.get("receipt-source").map_or("", |s| s.trim()))
                .ok_or_else(|| ("receipt-source".to_owned(), "请选择资金来源".to_owned()))?;
            let amount = money("amount")?;
            if amount.is_negative() {
                return Err((field("amount"), "到位金额不能为负".into()));
            }
            p.budget.receipts.push(Receipt {
                source,
                date: date("date")?,
                amount,
                note: opt(f.get(&field("note"))),
            });
        }
        _ => {
            let amount = money("amount")?;
            let targets: Vec<String> = get("targets")
                .split([',', '，', '、', ' '])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect();
            if let Some(bad) = targets
                .iter()
                .find(|t| p.targets.iter().all(|x| x.id != **t))
            {
                return Err((
                    field("targets"),
                    format!("项目没有编号为「{bad}」的绩效指标"),
                ));
            }
            p.budget.spending.push(SpendingLine {
                date: date("date")?,
                purpose: required("purpose", "用途")?,
                amount,
                payee: opt(f.get(&field("payee"))),
                functional_code: None,
                economic_code: None,
                targets,
                note: None,
            });
        }
    }
    Ok(())
}

fn remove(p: &mut Project, key: &str, index: usize) -> bool {
    fn take<T>(v: &mut Vec<T>, i: usize) -> bool {
        if i < v.len() {
            v.remove(i);
            true
        } else {
            false
        }
    }
    match key {
        "policy" => take(&mut p.policy_basis, index),
        "fact" => take(&mut p.facts, index),
        "adjustment" => take(&mut p.budget.adjustments, index),
        "receipt" => take(&mut p.budget.receipts, index),
        _ => take(&mut p.budget.spending, index),
    }
}

/// `POST /projects/{id}/lists/{kind}`: adds a row (`op=add`) or removes one (`op=remove`,
/// `index`).
pub async fn change(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, key)): Path<(String, String)>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !v.csrf_ok(form.get("csrf").map_or("", String::as_str)) {
        return stale_form(&state, &v);
    }
    let stored = match guard(&state, &v, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !KINDS.iter().any(|k| k.key == key) {
        return not_found(&state, &v, "没有这种清单。");
    }
    let version = form
        .get("version")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    if version != stored.version {
        let message = format!(
            "您打开此页后，他人已保存了该项目（现为第 {} 版）；下面是最新的清单，您的输入保留在表单中，请核对后再提交。",
            stored.version
        );
        return page(
            &state,
            &v,
            &stored,
            &form,
            &[("", message)],
            StatusCode::CONFLICT,
        );
    }
    let mut p = stored.project.clone();
    match form.get("op").map(String::as_str) {
        Some("add") => {
            if let Err((field, message)) = add(&mut p, &key, &form) {
                let errors = vec![(field.as_str(), message)];
                return page(
                    &state,
                    &v,
                    &stored,
                    &form,
                    &errors,
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            }
        }
        Some("remove") => {
            let index = form
                .get("index")
                .and_then(|s| s.parse::<usize>().ok())
                .unwrap_or(usize::MAX);
            if !remove(&mut p, &key, index) {
                return not_found(&state, &v, "这一行已不存在，请刷新后再试。");
            }
        }
        _ => return not_found(&state, &v, "没有这种操作。"),
    }
    let written = jixiao_core::file::write::project(&p);
    let p = match read_project(written.as_bytes()) {
        Ok(p) => p,
        Err(problems) => {
            let errors: Vec<(&str, String)> = problems.into_iter().map(|m| ("", m)).collect();
            return page(
                &state,
                &v,
                &stored,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match state
        .store
        .update_project(stored.id, version, &p, &v.s.user.username)
        .await
    {
        Ok(_) => axum::response::Redirect::to(&format!("/projects/{}/lists#{key}", stored.id.0))
            .into_response(),
        Err(e) => {
            let errors = vec![("", e.zh())];
            page(&state, &v, &stored, &form, &errors, StatusCode::CONFLICT)
        }
    }
}
