//! Fund requests and the ledger in the pages: a project's requests with the filing form and
//! its ledger, and one request with its history and the actions the viewer may take.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_core::project::Role;
use jixiao_store::{FundDecision, FundRequest, FundState, NewFundRequest, Stored};

use super::{
    Viewer, error_summary, not_found, posted, record_of, render, seen, server_error, stale_form,
    text_area, text_field, viewer,
};
use crate::AppState;
use crate::handlers::{esc, same_department};

async fn funds_page(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    input: &HashMap<String, String>,
    errors: &[(&str, String)],
    status: StatusCode,
) -> Response {
    let id = stored.id.0;
    let requests = match state.store.fund_requests(stored.id).await {
        Ok(r) => r,
        Err(e) => return server_error(state, v, &e),
    };
    let ledger = match state.store.ledger(stored.id).await {
        Ok(l) => l,
        Err(e) => return server_error(state, v, &e),
    };
    let err = |f: &str| {
        errors
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, m)| m.as_str())
    };
    let get = |k: &str| input.get(k).map_or("", String::as_str);
    let rows: String = requests
        .iter()
        .map(|r| {
            format!(
                "<tr><th scope=\"row\"><a href=\"/fund-requests/{}\">第 {} 号：{}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.id,
                r.id,
                esc(&r.purpose),
                r.amount.yuan_grouped(),
                esc(&r.payee),
                r.state.zh(),
                r.chain.get(r.step).filter(|_| r.state == FundState::Pending).map_or("—", |x| x.zh()),
            )
        })
        .collect();
    let total: jixiao_core::num::Money = ledger.iter().map(|l| l.amount).sum();
    let lines: String = ledger
        .iter()
        .map(|l| {
            format!(
                "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&l.paid_on),
                esc(&l.purpose),
                esc(&l.payee),
                l.amount.yuan_grouped(),
                esc(l.bank_reference.as_deref().unwrap_or("")),
                esc(l.reason.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let can_file = matches!(v.role(), Role::Officer | Role::HeadOfOffice)
        && same_department(state, &v.s.user, stored.organisation).await;
    let form = if can_file {
        format!(
            "<form method=\"post\" action=\"/projects/{id}/funds\" class=\"block-form\"><h2 id=\"file\">提出资金申请</h2>{}{}{}{}{}\
             <button type=\"submit\">提出申请</button></form>",
            v.csrf_field(),
            text_field(
                "amount",
                "金额（元）",
                get("amount"),
                Some("精确到分，如 1200.50"),
                err("amount")
            ),
            text_field("purpose", "用途", get("purpose"), None, err("purpose")),
            text_field("payee", "收款方", get("payee"), None, err("payee")),
            text_field(
                "budget_line",
                "预算科目",
                get("budget_line"),
                Some("可不填"),
                err("budget_line")
            ),
        )
    } else {
        String::new()
    };
    let main = format!(
        "{}<p><a href=\"/projects/{id}\">返回项目</a>。审批顺序：经办人提出 → 各审批环节依次审批 → 出纳支付并记入支出明细。\
         最后一步批准不能使已批准和已支付的金额超过调整后预算；支付不能超过到位资金。</p>{form}\
         <table><caption>资金申请（{} 笔）</caption><thead><tr><th scope=\"col\">申请</th><th scope=\"col\">金额（元）</th>\
         <th scope=\"col\">收款方</th><th scope=\"col\">状态</th><th scope=\"col\">待办环节</th></tr></thead><tbody>{rows}</tbody></table>\
         <p><a href=\"/projects/{id}/ledger.xlsx\">下载支出明细（附件2，XLSX）</a></p>\
         <table><caption>支出明细（只增不改；合计 {} 元）</caption><thead><tr><th scope=\"col\">日期</th><th scope=\"col\">用途</th>\
         <th scope=\"col\">收款方</th><th scope=\"col\">金额（元）</th><th scope=\"col\">银行流水号</th><th scope=\"col\">冲销原因</th></tr></thead>\
         <tbody>{lines}</tbody></table>",
        error_summary(errors),
        requests.len(),
        total.yuan_grouped(),
    );
    (
        status,
        Html(render(
            state,
            v,
            "/projects",
            &format!("资金：{}", stored.project.name),
            &main,
        )),
    )
        .into_response()
}

/// `GET /projects/{id}/funds`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    funds_page(&state, &v, &stored, &HashMap::new(), &[], StatusCode::OK).await
}

/// `POST /projects/{id}/funds`: files a request.
pub async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let csrf = form.get("csrf").cloned().unwrap_or_default();
    let (v, stored) = match posted(&state, &headers, &csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let get = |k: &str| form.get(k).map_or("", String::as_str);
    let amount = match crate::funds::amount_of(get("amount")) {
        Ok(a) => a,
        Err(m) => {
            let m = m.replacen("amount：", "金额：", 1);
            return funds_page(
                &state,
                &v,
                &stored,
                &form,
                &[("amount", m)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let new = NewFundRequest {
        amount,
        purpose: get("purpose"),
        payee: get("payee"),
        budget_line: Some(get("budget_line")),
    };
    match state
        .store
        .file_fund_request(stored.id, &v.s.user, &new)
        .await
    {
        Ok(r) => Redirect::to(&format!("/fund-requests/{}", r.id)).into_response(),
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            let message = e.zh();
            let field = if message.contains("用途") {
                "purpose"
            } else if message.contains("收款方") {
                "payee"
            } else {
                ""
            };
            funds_page(
                &state,
                &v,
                &stored,
                &form,
                &[(field, message)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

async fn request_guard(
    state: &AppState,
    v: &Viewer,
    id: &str,
) -> Result<(FundRequest, Stored), Response> {
    record_of(
        state,
        v,
        id,
        "资金申请",
        |id| state.store.fund_request(id),
        |r: &FundRequest| r.project,
    )
    .await
}

async fn request_page(
    state: &AppState,
    v: &Viewer,
    r: &FundRequest,
    stored: &Stored,
    message: Option<&str>,
    status: StatusCode,
) -> Response {
    let history = state.store.fund_history(r.id).await.unwrap_or_default();
    let rows: String = history
        .iter()
        .map(|h| {
            format!(
                "<tr><td>{}</td><td>{}（{}）</td><td>{}</td><td>{}</td></tr>",
                esc(&h.at),
                esc(&h.actor),
                esc(&h.role),
                match h.decision.as_str() {
                    "file" => "提出",
                    "approve" => "同意",
                    "reject" => "驳回",
                    "return" => "退回",
                    "resubmit" => "重新提交",
                    "withdraw" => "撤回",
                    "pay" => "支付",
                    _ => "办理",
                },
                esc(h.reason.as_deref().unwrap_or(""))
            )
        })
        .collect();
    let chain: String = r
        .chain
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let mark = if r.state == FundState::Pending && i == r.step {
                "（待审批）"
            } else if i < r.step || matches!(r.state, FundState::Approved | FundState::Paid) {
                "（已同意）"
            } else {
                ""
            };
            format!("<li>{}{mark}</li>", role.zh())
        })
        .collect();
    let action = |name: &str, label: &str, extra: &str| {
        format!(
            "<form method=\"post\" action=\"/fund-requests/{}\" class=\"{}\">{}\
             <input type=\"hidden\" name=\"version\" value=\"{}\"><input type=\"hidden\" name=\"action\" value=\"{name}\">\
             {extra}<button type=\"submit\">{label}</button></form>",
            r.id,
            if extra.is_empty() {
                "inline-form"
            } else {
                "block-form"
            },
            v.csrf_field(),
            r.version
        )
    };
    let mut actions = String::new();
    let my_step = r.state == FundState::Pending
        && r.chain.get(r.step) == Some(&v.role())
        && r.applicant != v.s.user.id;
    if my_step {
        actions.push_str(&action("approve", "同意", ""));
        actions.push_str(&action(
            "reject",
            "驳回",
            &text_area(
                &format!("reject-{}", r.id),
                "驳回原因（必填，驳回即终止申请）",
                "",
                None,
            )
            .replace(&format!("name=\"reject-{}\"", r.id), "name=\"reason\""),
        ));
        let options: String = std::iter::once(("applicant".to_owned(), "申请人".to_owned()))
            .chain((0..r.step).map(|i| {
                (
                    i.to_string(),
                    format!("第 {} 步：{}", i + 1, r.chain[i].zh()),
                )
            }))
            .map(|(value, text)| format!("<option value=\"{value}\">{}</option>", esc(&text)))
            .collect();
        actions.push_str(&action(
            "return",
            "退回",
            &format!(
                "<div class=\"field\"><label for=\"to-{id}\">退回到</label><select id=\"to-{id}\" name=\"to\">{options}</select></div>{}",
                text_area(&format!("return-{}", r.id), "退回原因（必填）", "", None)
                    .replace(&format!("name=\"return-{}\"", r.id), "name=\"reason\""),
                id = r.id
            ),
        ));
    }
    if r.applicant == v.s.user.id {
        match r.state {
            FundState::Returned => actions.push_str(&action("resubmit", "重新提交", "")),
            FundState::Pending if r.step == 0 => {
                actions.push_str(&action("withdraw", "撤回申请", ""));
            }
            _ => {}
        }
    }
    if r.state == FundState::Approved && v.role() == Role::Cashier {
        actions.push_str(&action(
            "pay",
            "支付并记入支出明细",
            &format!(
                "{}{}",
                text_field("paid_on", "支付日期", "", Some("如 2022-10-08"), None),
                text_field("bank_reference", "银行流水号", "", None, None)
            ),
        ));
    }
    let main = format!(
        "{}<p><a href=\"/projects/{}/funds\">返回资金</a></p>\
         <dl class=\"facts\"><dt>项目</dt><dd>{}</dd><dt>金额</dt><dd>{} 元</dd><dt>用途</dt><dd>{}</dd>\
         <dt>收款方</dt><dd>{}</dd><dt>预算科目</dt><dd>{}</dd><dt>状态</dt><dd>{}</dd></dl>\
         <h2>审批链</h2><ol>{chain}<li>出纳支付</li></ol>{}\
         <table><caption>办理记录</caption><thead><tr><th scope=\"col\">时间</th><th scope=\"col\">办理人</th>\
         <th scope=\"col\">操作</th><th scope=\"col\">意见</th></tr></thead><tbody>{rows}</tbody></table>",
        message.map_or(String::new(), |m| error_summary(&[("", m.to_owned())])),
        stored.id.0,
        esc(&stored.project.name),
        r.amount.yuan_grouped(),
        esc(&r.purpose),
        esc(&r.payee),
        esc(r.budget_line.as_deref().unwrap_or("")),
        r.state.zh(),
        if actions.is_empty() {
            String::new()
        } else {
            format!("<h2>办理</h2>{actions}")
        }
    );
    (
        status,
        Html(render(
            state,
            v,
            "/projects",
            &format!("资金申请第 {} 号", r.id),
            &main,
        )),
    )
        .into_response()
}

/// `GET /fund-requests/{id}`.
pub async fn request(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (r, stored) = match request_guard(&state, &v, &id).await {
        Ok(x) => x,
        Err(resp) => return resp,
    };
    request_page(&state, &v, &r, &stored, None, StatusCode::OK).await
}

/// `POST /fund-requests/{id}`: the viewer's action on the request.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !v.csrf_ok(form.get("csrf").map_or("", String::as_str)) {
        return stale_form(&state, &v);
    }
    let (r, stored) = match request_guard(&state, &v, &id).await {
        Ok(x) => x,
        Err(resp) => return resp,
    };
    let get = |k: &str| form.get(k).map_or("", String::as_str);
    let version = get("version").parse::<i64>().unwrap_or(0);
    let reason = get("reason").trim().to_owned();
    let result = match get("action") {
        "approve" => state
            .store
            .decide_fund_request(r.id, &v.s.user, &FundDecision::Approve, version)
            .await
            .map(|_| ()),
        "reject" => state
            .store
            .decide_fund_request(r.id, &v.s.user, &FundDecision::Reject { reason }, version)
            .await
            .map(|_| ()),
        "return" => {
            let to = get("to").parse::<usize>().ok();
            state
                .store
                .decide_fund_request(
                    r.id,
                    &v.s.user,
                    &FundDecision::Return { to, reason },
                    version,
                )
                .await
                .map(|_| ())
        }
        "withdraw" | "resubmit" => state
            .store
            .applicant_action(r.id, &v.s.user, get("action") == "resubmit")
            .await
            .map(|_| ()),
        "pay" => state
            .store
            .pay_fund_request(
                r.id,
                &v.s.user,
                get("paid_on").trim(),
                get("bank_reference"),
            )
            .await
            .map(|_| ()),
        _ => return not_found(&state, &v, "没有这种操作。"),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/fund-requests/{}", r.id)).into_response(),
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            let now = state.store.fund_request(r.id).await.unwrap_or(r);
            request_page(
                &state,
                &v,
                &now,
                &stored,
                Some(&e.zh()),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

/// Fund requests waiting for this viewer (for the home page's 待办): a step of theirs, a
/// payment for the cashier, a returned request for its applicant.
pub(crate) async fn waiting(state: &AppState, v: &Viewer) -> Vec<FundRequest> {
    let scope = crate::handlers::scope(state, &v.s.user).await;
    let open = state
        .store
        .open_fund_requests(scope)
        .await
        .unwrap_or_default();
    open.into_iter()
        .filter(|r| match r.state {
            FundState::Pending => {
                r.chain.get(r.step) == Some(&v.role()) && r.applicant != v.s.user.id
            }
            FundState::Approved => v.role() == Role::Cashier,
            FundState::Returned => r.applicant == v.s.user.id,
            _ => false,
        })
        .collect()
}

/// `GET /projects/{id}/ledger.xlsx`: the ledger as 附件2 支出明细 (each payment with its bank
/// reference; each reversal with its reason).
pub async fn ledger_xlsx(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let ledger = match state.store.ledger(stored.id).await {
        Ok(l) => l,
        Err(e) => return server_error(&state, &v, &e),
    };
    let mut p = stored.project.clone();
    p.budget.spending = ledger
        .iter()
        .map(jixiao_store::LedgerLine::spending_line)
        .collect();
    match jixiao_report::forms::ledger_xlsx(&p) {
        Ok(bytes) => {
            let name = format!("{}年{}支出明细.xlsx", p.year, p.name);
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            );
            if let Ok(v) = axum::http::HeaderValue::from_str(&crate::handlers::disposition(&name)) {
                h.insert(axum::http::header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Err(e) => server_error(&state, &v, &e.zh()),
    }
}
