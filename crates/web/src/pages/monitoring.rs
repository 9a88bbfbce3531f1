//! Run-time monitoring in the pages: a project's monitoring (cumulative spending against the
//! time line and the checkpoints, target progress, rounds and warnings), one round's form, the
//! answer to a warning, and the finance bureau's overview of every project by warning level.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_core::date::{Date, days_in_month, is_leap};
use jixiao_core::monitor::{self, Cause, Decision, Level, Likelihood, Rules};
use jixiao_core::num::Money;
use jixiao_core::project::TargetValue;
use jixiao_store::{OverviewFilter, Round, RoundState, Stored, StoredWarning};

use super::{
    Viewer, bar_chart, error_summary, forbidden, percent_centi, posted, posted_viewer, record_of,
    render, seen, server_error, text_area, text_field, viewer,
};
use crate::AppState;
use crate::handlers::esc;
use crate::monitoring::{RawValue, next_period_end, overview_scope, rate, read_values, row_level};

/// The level as text with its class (never colour alone).
fn level_badge(level: Option<Level>) -> String {
    match level {
        None => "<span>未监控</span>".to_owned(),
        Some(l) => format!("<span class=\"level-{}\">{}</span>", l.id(), l.zh()),
    }
}

/// Where a warning stands, in words.
fn warning_state(w: &StoredWarning) -> String {
    match (&w.response, &w.escalated_at, w.deadline) {
        (Some(r), _, _) => format!(
            "已答复（{}，{}）：{}",
            esc(&r.by),
            r.decision.zh(),
            esc(&r.cause)
        ),
        (None, Some(_), _) => "<strong>逾期未答复，已报财政部门</strong>".to_owned(),
        (None, None, Some(d)) => format!("须于 {}（含）前答复", d.zh()),
        (None, None, None) => "可说明原因".to_owned(),
    }
}

/// Whether the viewer may fill in the project's monitoring.
async fn reports(state: &AppState, v: &Viewer, stored: &Stored) -> bool {
    crate::monitoring::may_report(state, &v.s.user, stored.organisation).await
}

/// Whether the viewer may answer the project's warnings.
async fn answers(state: &AppState, v: &Viewer, stored: &Stored) -> bool {
    crate::monitoring::may_answer(state, &v.s.user, stored.organisation).await
}

/// Cumulative spending (payments in the ledger and dated lines of the project file) against
/// the time line (序时进度) and the checkpoints, as SVG with integer coordinates, followed by the
/// month-end figures as a table.
fn spending_chart(
    year: i32,
    budget: Money,
    payments: &[(Date, Money)],
    rules: &Rules,
    today: Date,
) -> String {
    let days = if is_leap(year) { 366 } else { 365 };
    let start = Date::new(year, 1, 1).map_or(0, Date::days_since_epoch);
    let day_of = |d: Date| (d.days_since_epoch() - start).clamp(0, days);
    // x: 60–660 px over the year; y: 260 px (0 %) to 20 px (120 %), in tenths of a pixel.
    let x = |day: i64| 600 + day * 6000 / days;
    let bp = |m: Money| -> i64 {
        m.ratio_to(budget)
            .map_or(0, |r| i64::try_from(r.percent(2).scaled()).unwrap_or(0))
            .clamp(0, 12_000)
    };
    let y = |basis_points: i64| 2600 - basis_points / 5;
    let px = |tenths: i64| format!("{}.{}", tenths / 10, tenths % 10);
    let mut svg = String::from(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"spend-t spend-d\" viewBox=\"0 0 700 300\" \
         width=\"100%\" preserveAspectRatio=\"xMinYMin meet\"><title id=\"spend-t\">累计支出与序时进度</title>\
         <desc id=\"spend-d\">横轴为月份，纵轴为占调整后预算的百分比；虚线为序时进度，菱形为检查点，实线为累计支出。数据见下表。</desc>",
    );
    for pct in [0, 25, 50, 75, 100] {
        let yy = y(pct * 100);
        let _ = write!(
            svg,
            "<line x1=\"60\" y1=\"{0}\" x2=\"660\" y2=\"{0}\" stroke=\"#ccc\"></line>\
             <text x=\"52\" y=\"{1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1a1a1a\">{pct}%</text>",
            px(yy),
            px(yy + 40)
        );
    }
    for m in 1..=12u8 {
        let mid = Date::new(year, m, 15).map_or(0, &day_of);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"285\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1a1a1a\">{m}月</text>",
            px(x(mid))
        );
    }
    // The time line: 0 % on 1 January to 100 % on 31 December.
    let _ = write!(
        svg,
        "<line x1=\"60\" y1=\"{}\" x2=\"660\" y2=\"{}\" stroke=\"#8a6d00\" stroke-width=\"2\" stroke-dasharray=\"6 4\"></line>",
        px(y(0)),
        px(y(10_000))
    );
    for (m, p) in &rules.checkpoints {
        let Some(end) = Date::new(year, *m, days_in_month(year, *m)) else {
            continue;
        };
        let cx = x(day_of(end) + 1);
        // The checkpoint is a percent already: 25 → 2,500 hundredths of a percent.
        let cy = y(i64::try_from(p.to_ratio().round(2).scaled()).unwrap_or(0));
        let _ = write!(
            svg,
            "<path d=\"M{} {} l6 6 l-6 6 l-6 -6 z\" fill=\"#a40000\"></path>",
            px(cx),
            px(cy - 60)
        );
    }
    let mut sorted: Vec<(Date, Money)> = payments.to_vec();
    sorted.sort_by_key(|p| p.0);
    let mut points = format!("60,{}", px(y(0)));
    let mut total = Money::ZERO;
    for (d, amount) in &sorted {
        let xx = px(x(day_of(*d) + 1));
        let _ = write!(points, " {xx},{}", px(y(bp(total))));
        total = total.plus(*amount);
        let _ = write!(points, " {xx},{}", px(y(bp(total))));
    }
    let end = if today.year() == year {
        day_of(today) + 1
    } else if today.year() > year {
        days
    } else {
        0
    };
    let _ = write!(points, " {},{}", px(x(end)), px(y(bp(total))));
    let _ = write!(
        svg,
        "<polyline points=\"{points}\" fill=\"none\" stroke=\"#0b4f9c\" stroke-width=\"3\"></polyline></svg>"
    );
    // The table: month by month.
    let mut rows = String::new();
    for m in 1..=12u8 {
        let Some(end) = Date::new(year, m, days_in_month(year, m)) else {
            continue;
        };
        let spent: Money = sorted
            .iter()
            .filter(|(d, _)| *d <= end)
            .map(|(_, a)| *a)
            .sum();
        let checkpoint = rules
            .checkpoints
            .iter()
            .find(|(cm, _)| *cm == m)
            .map_or(String::new(), |(_, p)| format!("{p}%"));
        let _ = write!(
            rows,
            "<tr><th scope=\"row\">{m}月末</th><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{checkpoint}</td></tr>",
            spent.yuan_grouped(),
            rate(spent, budget).map_or("—".to_owned(), |r| format!("{r}%")),
            monitor::elapsed(year, end).percent(2),
        );
    }
    format!(
        "<figure class=\"chart-box\">{svg}<div class=\"table-wrap\" role=\"region\" aria-label=\"累计支出数据表\" tabindex=\"0\">\
         <table><caption>累计支出与序时进度（数据表）</caption><thead><tr><th scope=\"col\">月份</th>\
         <th scope=\"col\">累计支出（元）</th><th scope=\"col\">执行率</th><th scope=\"col\">序时进度</th>\
         <th scope=\"col\">检查点</th></tr></thead><tbody>{rows}</tbody></table></div></figure>"
    )
}

/// The payments a project has made: the ledger's lines and the project file's dated lines.
async fn payments(
    state: &AppState,
    stored: &Stored,
) -> Result<Vec<(Date, Money)>, jixiao_store::Error> {
    let ledger = state.store.ledger(stored.id).await?;
    Ok(ledger
        .iter()
        .filter_map(|l| Date::parse(&l.paid_on).map(|d| (d, l.amount)))
        .chain(
            stored
                .project
                .budget
                .spending
                .iter()
                .filter_map(|l| l.date.map(|d| (d, l.amount))),
        )
        .collect())
}

async fn project_page(
    state: &AppState,
    v: &Viewer,
    stored: &Stored,
    input: &HashMap<String, String>,
    errors: &[(&str, String)],
    status: StatusCode,
) -> Response {
    let id = stored.id.0;
    let p = &stored.project;
    let loaded = async {
        Ok::<_, jixiao_store::Error>((
            state.store.rounds(stored.id).await?,
            state.store.warnings(stored.id).await?,
            state.store.monitoring_rules().await?.0,
            payments(state, stored).await?,
        ))
    }
    .await;
    let (rounds, warnings, rules, paid) = match loaded {
        Ok(x) => x,
        Err(e) => return server_error(state, v, &e),
    };
    let today = jixiao_store::today();
    let budget = p.budget.adjusted();
    let chart = spending_chart(p.year, budget, &paid, &rules, today);
    // Target progress from the newest round.
    let latest = match rounds.last() {
        Some(r) => match state.store.round(r.id).await {
            Ok(r) => Some(r),
            Err(e) => return server_error(state, v, &e),
        },
        None => None,
    };
    let progress = latest.as_ref().map_or(String::new(), |r| {
        let bars: Vec<(String, Option<i64>, String)> = p
            .targets
            .iter()
            .filter_map(|t| {
                let achieved = r.values.iter().find(|x| x.target == t.id)?.achieved?;
                let TargetValue::Number(goal) = t.value else {
                    return None;
                };
                let shown = achieved
                    .to_ratio()
                    .checked_mul(goal.to_ratio().recip()?)?
                    .percent(2)
                    .to_string();
                Some((
                    format!("{} {}", t.id, t.name),
                    percent_centi(Some(&shown)),
                    format!("{shown}%（{achieved}/{}{}）", goal, t.unit),
                ))
            })
            .collect();
        if bars.is_empty() {
            String::new()
        } else {
            format!(
                "<h2>目标完成进度（截至{}）</h2>{}",
                r.period_end.zh(),
                bar_chart(
                    "progress",
                    &format!("各指标截至{}的完成进度", r.period_end.zh()),
                    &bars
                )
            )
        }
    });
    let round_rows: String = rounds
        .iter()
        .map(|r| {
            format!(
                "<tr><th scope=\"row\"><a href=\"/monitoring/{}\">截至 {}</a></th><td>{}</td><td class=\"nowrap\">{}</td>\
                 <td>{}</td><td>{}</td><td><a href=\"/monitoring/{}/form.xlsx\">监控表（XLSX）</a></td></tr>",
                r.id,
                r.period_end.zh(),
                r.state.zh(),
                r.executed.map_or("—".to_owned(), Money::yuan_grouped),
                r.executed
                    .zip(r.budget)
                    .and_then(|(e, b)| rate(e, b))
                    .map_or("—".to_owned(), |x| format!("{x}%")),
                if r.state == RoundState::Submitted {
                    level_badge(r.level)
                } else {
                    "—".to_owned()
                },
                r.id
            )
        })
        .collect();
    let warning_rows: String = warnings
        .iter()
        .map(|w| {
            let link = if w.response.is_none() && w.level == Level::Red {
                format!(" <a href=\"/warnings/{}\">答复</a>", w.id)
            } else if w.response.is_none() {
                format!(" <a href=\"/warnings/{}\">说明</a>", w.id)
            } else {
                String::new()
            };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{link}</td></tr>",
                level_badge(Some(w.level)),
                esc(&w.message),
                w.raised_on.zh(),
                warning_state(w)
            )
        })
        .collect();
    let get = |k: &str| input.get(k).map_or("", String::as_str);
    let err = |f: &str| {
        errors
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, m)| m.as_str())
    };
    let open_form = if reports(state, v, stored).await {
        let suggested =
            next_period_end(&rules, p.year, &rounds).map_or(String::new(), |d| d.to_string());
        let value = if input.contains_key("period_end") {
            get("period_end").to_owned()
        } else {
            suggested
        };
        format!(
            "<form method=\"post\" action=\"/projects/{id}/monitoring\" class=\"block-form\"><h2 id=\"open\">开始一次监控</h2>{}{}\
             <button type=\"submit\">开始填报</button></form>",
            v.csrf_field(),
            text_field(
                "period_end",
                "截至日期",
                &value,
                Some("如 2022-07-31；默认按监控规则的下一轮次"),
                err("period_end")
            )
        )
    } else {
        String::new()
    };
    let main = format!(
        "{}<p><a href=\"/projects/{id}\">返回项目</a> · <a href=\"/projects/{id}/funds\">资金申请与支出明细</a> · \
         <a href=\"/monitoring\">全部项目的监控情况</a></p>\
         <dl class=\"facts\"><dt>调整后预算数</dt><dd>{} 元</dd><dt>已支出（支出明细）</dt><dd>{} 元</dd>\
         <dt>序时进度（今天）</dt><dd>{}%</dd></dl>\
         <h2>预算执行</h2>{chart}{progress}{open_form}\
         <div class=\"table-wrap\" role=\"region\" aria-label=\"监控轮次\" tabindex=\"0\"><table><caption>监控轮次（{} 次）</caption>\
         <thead><tr><th scope=\"col\">截至</th><th scope=\"col\">状态</th><th scope=\"col\">已支出（元）</th>\
         <th scope=\"col\">执行率</th><th scope=\"col\">预警等级</th><th scope=\"col\">下载</th></tr></thead><tbody>{round_rows}</tbody></table></div>\
         <div class=\"table-wrap\" role=\"region\" aria-label=\"预警\" tabindex=\"0\"><table><caption>预警（{} 条）</caption>\
         <thead><tr><th scope=\"col\">等级</th><th scope=\"col\">内容</th><th scope=\"col\">提出日期</th>\
         <th scope=\"col\">处理</th></tr></thead><tbody>{warning_rows}</tbody></table></div>",
        error_summary(errors),
        budget.yuan_grouped(),
        paid.iter()
            .filter(|(d, _)| *d <= today)
            .map(|(_, a)| *a)
            .sum::<Money>()
            .yuan_grouped(),
        monitor::elapsed(p.year, today).percent(2),
        rounds.len(),
        warnings.len(),
    );
    (
        status,
        Html(render(
            state,
            v,
            "/monitoring",
            &format!("绩效运行监控：{}", p.name),
            &main,
        )),
    )
        .into_response()
}

/// `GET /projects/{id}/monitoring`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (v, stored) = match seen(&state, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    project_page(&state, &v, &stored, &HashMap::new(), &[], StatusCode::OK).await
}

/// `POST /projects/{id}/monitoring`: opens a round.
pub async fn open(
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
    let text = form.get("period_end").map_or("", String::as_str).trim();
    let Some(date) = Date::parse(text) else {
        return project_page(
            &state,
            &v,
            &stored,
            &form,
            &[(
                "period_end",
                format!(
                    "截至日期：「{text}」不是日期（如 {}-07-31）",
                    stored.project.year
                ),
            )],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match state.store.open_round(stored.id, &v.s.user, date).await {
        Ok(r) => Redirect::to(&format!("/monitoring/{}", r.id)).into_response(),
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            let status = if reports(&state, &v, &stored).await {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::FORBIDDEN
            };
            project_page(
                &state,
                &v,
                &stored,
                &form,
                &[("period_end", e.zh())],
                status,
            )
            .await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

async fn round_guard(state: &AppState, v: &Viewer, id: &str) -> Result<(Round, Stored), Response> {
    record_of(
        state,
        v,
        id,
        "监控",
        |id| state.store.round(id),
        |r: &Round| r.project,
    )
    .await
}

/// The form's values for an indicator: what was typed, else what is saved.
fn typed<'a>(
    input: &'a HashMap<String, String>,
    round: &'a Round,
    target: &str,
    field: &str,
) -> String {
    if let Some(v) = input.get(&format!("{field}-{target}")) {
        return v.clone();
    }
    if !input.is_empty() {
        return String::new();
    }
    let Some(v) = round.values.iter().find(|x| x.target == target) else {
        return String::new();
    };
    match field {
        "achieved" => v.achieved.map(|d| d.to_string()).unwrap_or_default(),
        "expected" => v.expected.map(|d| d.to_string()).unwrap_or_default(),
        "likelihood" => v.likelihood.map(|l| l.id().to_owned()).unwrap_or_default(),
        "cause_text" => v.cause_text.clone().unwrap_or_default(),
        "measures" => v.measures.clone().unwrap_or_default(),
        "note" => v.note.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

fn ticked(input: &HashMap<String, String>, round: &Round, target: &str, cause: Cause) -> bool {
    if input.is_empty() {
        round
            .values
            .iter()
            .any(|v| v.target == target && v.causes.contains(&cause))
    } else {
        input.contains_key(&format!("cause-{}-{target}", cause.id()))
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one page: the form and the read-only view"
)]
async fn round_page(
    state: &AppState,
    v: &Viewer,
    round: &Round,
    stored: &Stored,
    input: &HashMap<String, String>,
    errors: &[(String, String)],
    status: StatusCode,
) -> Response {
    let p = &stored.project;
    let (executed, budget, standing) = match crate::monitoring::standing(state, round, p).await {
        Ok(x) => x,
        Err(e) => return server_error(state, v, &e),
    };
    let editable = round.state == RoundState::Draft && reports(state, v, stored).await;
    let err = |f: &str| errors.iter().find(|(k, _)| k == f).map(|(_, m)| m.as_str());
    let warning_items: String = standing
        .iter()
        .map(|(level, _, message)| {
            format!("<li>{}：{}</li>", level_badge(Some(*level)), esc(message))
        })
        .collect();
    let standing_html = format!(
        "<h2>{}</h2><dl class=\"facts\"><dt>截至</dt><dd>{}</dd><dt>已支出</dt><dd>{} 元</dd>\
         <dt>调整后预算数</dt><dd>{} 元</dd><dt>预算执行率</dt><dd>{}</dd><dt>序时进度</dt><dd>{}%</dd></dl>{}",
        if round.state == RoundState::Draft {
            "按目前填写的数据，报送时将提出的预警"
        } else {
            "报送时提出的预警"
        },
        round.period_end.zh(),
        executed.yuan_grouped(),
        budget.yuan_grouped(),
        rate(executed, budget).map_or("—".to_owned(), |r| format!("{r}%")),
        monitor::elapsed(p.year, round.period_end).percent(2),
        if warning_items.is_empty() {
            "<p>没有预警。</p>".to_owned()
        } else {
            format!("<ul>{warning_items}</ul>")
        }
    );
    let body = if editable {
        let mut sets = String::new();
        for t in &p.targets {
            // The indicator's id comes from the project file: escaped wherever it is written.
            let tid = esc(&t.id);
            let f = |name: &str| format!("{name}-{}", t.id);
            let fe = |name: &str| format!("{name}-{tid}");
            let likelihood = typed(input, round, &t.id, "likelihood");
            let options: String = std::iter::once(("", "（未填）"))
                .chain(Likelihood::ALL.iter().map(|l| (l.id(), l.zh())))
                .map(|(value, label)| {
                    format!(
                        "<option value=\"{value}\"{}>{label}</option>",
                        if value == likelihood { " selected" } else { "" }
                    )
                })
                .collect();
            let boxes: String = Cause::ALL
                .iter()
                .map(|c| {
                    let id = format!("cause-{}-{tid}", c.id());
                    format!(
                        "<label class=\"inline\" for=\"{id}\"><input type=\"checkbox\" id=\"{id}\" name=\"{id}\" value=\"1\"{}> {}</label>",
                        if ticked(input, round, &t.id, *c) { " checked" } else { "" },
                        c.zh()
                    )
                })
                .collect();
            let unit = t.unit.to_string();
            let _ = write!(
                sets,
                "<fieldset id=\"target-{tid}\"><legend>{tid} {name}（{cat}·{sub}，目标 {goal}）</legend>{achieved}{expected}\
                 <div class=\"field\"><label for=\"{lid}\">完成目标可能性</label>{lerr}<select id=\"{lid}\" name=\"{lid}\"{laria}>{options}</select></div>\
                 <fieldset id=\"{cid}\"><legend>偏差原因（可多选）</legend>{cerr}{boxes}</fieldset>{cause_text}{measures}{note}</fieldset>",
                name = esc(&t.name),
                cat = t.category.zh(),
                sub = t.subcategory.zh(),
                goal = esc(&t.display_value()),
                achieved = text_field(
                    &f("achieved"),
                    "截至当期实际完成值",
                    &typed(input, round, &t.id, "achieved"),
                    (!unit.is_empty())
                        .then_some(format!("单位：{unit}"))
                        .as_deref(),
                    err(&f("achieved"))
                ),
                expected = text_field(
                    &f("expected"),
                    "全年预计完成值",
                    &typed(input, round, &t.id, "expected"),
                    None,
                    err(&f("expected"))
                ),
                lid = fe("likelihood"),
                lerr = err(&f("likelihood")).map_or(String::new(), |m| format!(
                    "<p class=\"field-error\" id=\"{}-error\">{}</p>",
                    fe("likelihood"),
                    esc(m)
                )),
                laria = if err(&f("likelihood")).is_some() {
                    format!(
                        " aria-describedby=\"{}-error\" aria-invalid=\"true\"",
                        fe("likelihood")
                    )
                } else {
                    String::new()
                },
                cid = fe("causes"),
                cerr = err(&f("causes")).map_or(String::new(), |m| format!(
                    "<p class=\"field-error\">{}</p>",
                    esc(m)
                )),
                cause_text = text_area(
                    &f("cause_text"),
                    "偏差原因说明",
                    &typed(input, round, &t.id, "cause_text"),
                    err(&f("cause_text"))
                ),
                measures = text_area(
                    &f("measures"),
                    "纠偏措施",
                    &typed(input, round, &t.id, "measures"),
                    err(&f("measures"))
                ),
                note = text_field(
                    &f("note"),
                    "备注",
                    &typed(input, round, &t.id, "note"),
                    None,
                    err(&f("note"))
                ),
            );
        }
        let summary = if input.is_empty() {
            round.summary.clone().unwrap_or_default()
        } else {
            input.get("summary").cloned().unwrap_or_default()
        };
        let expected = if input.is_empty() {
            round.expected.map(Money::yuan).unwrap_or_default()
        } else {
            input.get("expected_spending").cloned().unwrap_or_default()
        };
        format!(
            "<form method=\"post\" action=\"/monitoring/{rid}\">{csrf}<input type=\"hidden\" name=\"version\" value=\"{version}\">\
             {summary}{expected}{sets}\
             <p><button type=\"submit\" name=\"action\" value=\"save\">保存</button> \
             <button type=\"submit\" name=\"action\" value=\"submit\">保存并报送</button></p>\
             <p class=\"hint\">报送后数据冻结，系统按监控规则提出预警；红色预警须在规定的工作日内答复，逾期报财政部门。</p></form>",
            rid = round.id,
            csrf = v.csrf_field(),
            version = round.version,
            summary = text_area(
                "summary",
                "项目绩效目标执行总体情况",
                &summary,
                err("summary")
            ),
            expected = text_field(
                "expected_spending",
                "全年预计执行数（元）",
                &expected,
                Some("精确到分，可不填"),
                err("expected_spending")
            ),
        )
    } else {
        let rows: String = p
            .targets
            .iter()
            .map(|t| {
                let x = round.values.iter().find(|x| x.target == t.id);
                format!(
                    "<tr><th scope=\"row\">{} {}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&t.id),
                    esc(&t.name),
                    esc(&t.display_value()),
                    x.and_then(|x| x.achieved).map(|d| d.to_string()).unwrap_or_default(),
                    x.and_then(|x| x.expected).map(|d| d.to_string()).unwrap_or_default(),
                    x.and_then(|x| x.likelihood).map_or("", |l| l.zh()),
                    esc(&x.map(|x| {
                        let mut c: Vec<&str> = x.causes.iter().map(|c| c.zh()).collect();
                        if let Some(t) = &x.cause_text {
                            c.push(t);
                        }
                        c.join("；")
                    }).unwrap_or_default()),
                    esc(x.and_then(|x| x.measures.as_deref()).unwrap_or_default()),
                )
            })
            .collect();
        format!(
            "{}<p>总体情况：{}</p><div class=\"table-wrap\" role=\"region\" aria-label=\"各指标执行情况\" tabindex=\"0\"><table>\
             <caption>各指标执行情况</caption><thead><tr><th scope=\"col\">指标</th><th scope=\"col\">年度指标值</th>\
             <th scope=\"col\">截至当期完成值</th><th scope=\"col\">全年预计</th><th scope=\"col\">完成可能性</th>\
             <th scope=\"col\">偏差原因</th><th scope=\"col\">纠偏措施</th></tr></thead><tbody>{rows}</tbody></table></div>",
            match (&round.submitted, round.state) {
                (Some((by, on)), RoundState::Submitted) => {
                    format!("<p>{} 于 {} 报送。</p>", esc(by), on.zh())
                }
                _ => "<p>填报中；只有本单位的经办人或部门负责人可以填写。</p>".to_owned(),
            },
            esc(round.summary.as_deref().unwrap_or("（未填）"))
        )
    };
    let error_pairs: Vec<(&str, String)> = errors
        .iter()
        .map(|(f, m)| (f.as_str(), m.clone()))
        .collect();
    let main = format!(
        "{}<p><a href=\"/projects/{}/monitoring\">返回项目的监控</a> · <a href=\"/monitoring/{}/form.xlsx\">下载监控表（XLSX）</a></p>{standing_html}{body}",
        error_summary(&error_pairs),
        round.project.0,
        round.id,
    );
    (
        status,
        Html(render(
            state,
            v,
            "/monitoring",
            &format!("绩效运行监控（截至{}）：{}", round.period_end.zh(), p.name),
            &main,
        )),
    )
        .into_response()
}

/// `GET /monitoring/{round}`.
pub async fn round(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (round, stored) = match round_guard(&state, &v, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    round_page(
        &state,
        &v,
        &round,
        &stored,
        &HashMap::new(),
        &[],
        StatusCode::OK,
    )
    .await
}

/// `POST /monitoring/{round}`: saves the round, and submits it with `action=submit`.
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let v = match posted_viewer(&state, &headers, &form).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (round, stored) = match round_guard(&state, &v, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !reports(&state, &v, &stored).await {
        return forbidden(
            &state,
            &v,
            "只有本单位的经办人或部门负责人可以填报绩效运行监控。",
        );
    }
    let get = |k: &str| form.get(k).map_or("", String::as_str);
    let raw: Vec<RawValue> = stored
        .project
        .targets
        .iter()
        .map(|t| {
            let field = |name: &str| Some(get(&format!("{name}-{}", t.id)).to_owned());
            RawValue {
                target: t.id.to_string(),
                achieved: field("achieved"),
                expected: field("expected"),
                likelihood: field("likelihood"),
                causes: Cause::ALL
                    .iter()
                    .filter(|c| form.contains_key(&format!("cause-{}-{}", c.id(), t.id)))
                    .map(|c| c.id().to_owned())
                    .collect(),
                cause_text: field("cause_text"),
                measures: field("measures"),
                note: field("note"),
            }
        })
        .collect();
    let mut errors: Vec<(String, String)> = Vec::new();
    let expected = crate::monitoring::optional_amount(Some(get("expected_spending")))
        .unwrap_or_else(|m| {
            errors.push(("expected_spending".into(), format!("全年预计执行数：{m}")));
            None
        });
    let values = read_values(&stored.project, &raw, &|_, target, name| {
        format!("{name}-{target}")
    })
    .unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    if !errors.is_empty() {
        return round_page(&state, &v, &round, &stored, &form, &errors, status).await;
    }
    let version: i64 = get("version").parse().unwrap_or(-1);
    let saved = match state
        .store
        .save_round(
            round.id,
            &v.s.user,
            version,
            Some(get("summary")),
            expected,
            &values,
        )
        .await
    {
        Ok(r) => r,
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            let current = state.store.round(round.id).await.unwrap_or(round);
            let status = if e.zh().contains("刚被他人") {
                StatusCode::CONFLICT
            } else {
                status
            };
            return round_page(
                &state,
                &v,
                &current,
                &stored,
                &form,
                &[(String::new(), e.zh())],
                status,
            )
            .await;
        }
        Err(e) => return server_error(&state, &v, &e),
    };
    if get("action") == "submit" {
        match state
            .store
            .submit_round(saved.id, &v.s.user, saved.version, jixiao_store::today())
            .await
        {
            Ok(_) => {}
            Err(e @ jixiao_store::Error::Refused { .. }) => {
                return round_page(
                    &state,
                    &v,
                    &saved,
                    &stored,
                    &HashMap::new(),
                    &[(String::new(), format!("已保存，但未能报送：{}", e.zh()))],
                    status,
                )
                .await;
            }
            Err(e) => return server_error(&state, &v, &e),
        }
    }
    Redirect::to(&format!("/monitoring/{}", saved.id)).into_response()
}

/// `GET /monitoring/{round}/form.xlsx`: the monitoring form (e.2) of the round.
pub async fn form_xlsx(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (round, stored) = match round_guard(&state, &v, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (executed, budget, standing) =
        match crate::monitoring::standing(&state, &round, &stored.project).await {
            Ok(x) => x,
            Err(e) => return server_error(&state, &v, &e),
        };
    let warnings: Vec<(String, String)> = standing
        .into_iter()
        .map(|(l, _, m)| (l.zh().to_owned(), m))
        .collect();
    let form = jixiao_report::forms::MonitoringForm {
        project: &stored.project,
        period_end: round.period_end,
        executed,
        budget,
        expected: round.expected,
        summary: round.summary.as_deref(),
        values: &round.values,
        warnings: &warnings,
    };
    match jixiao_report::forms::monitoring_xlsx(&form) {
        Ok(bytes) => {
            let name = format!(
                "{}年{}绩效目标执行监控表（截至{}）.xlsx",
                stored.project.year, stored.project.name, round.period_end
            );
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

async fn warning_page(
    state: &AppState,
    v: &Viewer,
    w: &StoredWarning,
    stored: &Stored,
    input: &HashMap<String, String>,
    errors: &[(&str, String)],
    status: StatusCode,
) -> Response {
    let get = |k: &str| input.get(k).map_or("", String::as_str);
    let err = |f: &str| {
        errors
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, m)| m.as_str())
    };
    let form = if w.response.is_none() && answers(state, v, stored).await {
        let chosen = get("decision");
        let radios: String = Decision::ALL
            .iter()
            .map(|d| {
                format!(
                    "<label class=\"inline\" for=\"decision-{0}\"><input type=\"radio\" id=\"decision-{0}\" name=\"decision\" value=\"{0}\"{1}> {2}</label>",
                    d.id(),
                    if chosen == d.id() { " checked" } else { "" },
                    d.zh()
                )
            })
            .collect();
        format!(
            "<form method=\"post\" action=\"/warnings/{}\" class=\"block-form\">{}{}{}\
             <fieldset id=\"decision\"{}><legend>决定</legend>{}{radios}</fieldset>\
             <button type=\"submit\">提交答复</button></form>",
            w.id,
            v.csrf_field(),
            text_area("cause", "偏差原因", get("cause"), err("cause")),
            text_area("measure", "纠偏措施", get("measure"), err("measure")),
            if err("decision").is_some() {
                " aria-describedby=\"decision-error\""
            } else {
                ""
            },
            err("decision").map_or(String::new(), |m| format!(
                "<p class=\"field-error\" id=\"decision-error\">{}</p>",
                esc(m)
            )),
        )
    } else {
        String::new()
    };
    let main = format!(
        "{}<p><a href=\"/projects/{}/monitoring\">返回项目的监控</a></p>\
         <dl class=\"facts\"><dt>等级</dt><dd>{}</dd><dt>内容</dt><dd>{}</dd><dt>提出日期</dt><dd>{}</dd><dt>处理</dt><dd>{}</dd></dl>{form}",
        error_summary(errors),
        w.project.0,
        level_badge(Some(w.level)),
        esc(&w.message),
        w.raised_on.zh(),
        warning_state(w),
    );
    (
        status,
        Html(render(
            state,
            v,
            "/monitoring",
            &format!("预警：{}", stored.project.name),
            &main,
        )),
    )
        .into_response()
}

async fn warning_guard(
    state: &AppState,
    v: &Viewer,
    id: &str,
) -> Result<(StoredWarning, Stored), Response> {
    record_of(
        state,
        v,
        id,
        "预警",
        |id| state.store.warning(id),
        |w: &StoredWarning| w.project,
    )
    .await
}

/// `GET /warnings/{id}`.
pub async fn warning(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (w, stored) = match warning_guard(&state, &v, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    warning_page(
        &state,
        &v,
        &w,
        &stored,
        &HashMap::new(),
        &[],
        StatusCode::OK,
    )
    .await
}

/// `POST /warnings/{id}`: the answer.
pub async fn respond(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let v = match posted_viewer(&state, &headers, &form).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (w, stored) = match warning_guard(&state, &v, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !answers(&state, &v, &stored).await {
        return forbidden(
            &state,
            &v,
            "只有本单位的经办人、部门负责人、分管领导或单位负责人可以答复预警。",
        );
    }
    let get = |k: &str| form.get(k).map_or("", String::as_str);
    let mut errors = Vec::new();
    if get("cause").trim().is_empty() {
        errors.push(("cause", "偏差原因：请写明原因".to_owned()));
    }
    if get("measure").trim().is_empty() {
        errors.push(("measure", "纠偏措施：请写明措施".to_owned()));
    }
    let decision = Decision::parse(get("decision"));
    if decision.is_none() {
        errors.push((
            "decision",
            "决定：请选择继续实施、调整预算或目标、暂缓或停止".to_owned(),
        ));
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let Some(decision) = decision.filter(|_| errors.is_empty()) else {
        return warning_page(&state, &v, &w, &stored, &form, &errors, status).await;
    };
    match state
        .store
        .respond_warning(w.id, &v.s.user, get("cause"), get("measure"), decision)
        .await
    {
        Ok(_) => Redirect::to(&format!("/projects/{}/monitoring", w.project.0)).into_response(),
        Err(e @ jixiao_store::Error::Refused { .. }) => {
            let current = state.store.warning(w.id).await.unwrap_or(w);
            warning_page(
                &state,
                &v,
                &current,
                &stored,
                &form,
                &[("", e.zh())],
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => server_error(&state, &v, &e),
    }
}

/// `GET /monitoring?level=red&page=2`: every project the viewer may see, by warning level.
pub async fn overview(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let filter = OverviewFilter::parse(q.get("level").map_or("", String::as_str))
        .unwrap_or(OverviewFilter::All);
    let asked: i64 = q
        .get("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let scope = overview_scope(&state, &v.s.user).await;
    let mut found = match state
        .store
        .monitoring_overview(scope, filter, (asked - 1).saturating_mul(100), 100)
        .await
    {
        Ok(r) => r,
        Err(e) => return server_error(&state, &v, &e),
    };
    let pages = (found.chosen + 99).div_euclid(100).max(1);
    let page = asked.min(pages);
    if page != asked {
        // Past the last page: show the last.
        found = match state
            .store
            .monitoring_overview(scope, filter, (page - 1) * 100, 100)
            .await
        {
            Ok(r) => r,
            Err(e) => return server_error(&state, &v, &e),
        };
    }
    let counts = found.counts;
    let filter = filter.id();
    let mut table = String::with_capacity(100 * 400);
    for r in &found.rows {
        let _ = write!(
            table,
            "<tr><th scope=\"row\"><a href=\"/projects/{}/monitoring\">{}</a></th><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.project.0,
            esc(&r.name),
            esc(&r.department),
            r.year,
            r.latest.map_or("—".to_owned(), |l| l.0.to_string()),
            r.latest
                .and_then(|l| rate(l.1, l.2))
                .map_or("—".to_owned(), |x| format!("{x}%")),
            level_badge(row_level(r)),
            r.open_red,
            if r.escalated > 0 {
                format!("<strong>{}</strong>", r.escalated)
            } else {
                "0".to_owned()
            },
        );
    }
    let filters: String = [
        ("", "全部", counts[..4].iter().sum::<i64>()),
        ("escalated", "逾期已上报", counts[4]),
        ("red", "红色预警", counts[0]),
        ("yellow", "黄色预警", counts[1]),
        ("green", "正常", counts[2]),
        ("none", "未监控", counts[3]),
    ]
    .iter()
    .map(|(id, label, n)| {
        let current = if *id == filter {
            " aria-current=\"page\""
        } else {
            ""
        };
        let href = if id.is_empty() {
            "/monitoring".to_owned()
        } else {
            format!("/monitoring?level={id}")
        };
        format!("<li><a href=\"{href}\"{current}>{label}（{n}）</a></li>")
    })
    .collect();
    let link = |p: i64| {
        if filter.is_empty() {
            format!("/monitoring?page={p}")
        } else {
            format!("/monitoring?level={filter}&amp;page={p}")
        }
    };
    let mut pager = String::new();
    if page > 1 {
        let _ = write!(pager, "<li><a href=\"{}\">上一页</a></li>", link(page - 1));
    }
    let _ = write!(pager, "<li>第 {page} 页，共 {pages} 页</li>");
    if page < pages {
        let _ = write!(pager, "<li><a href=\"{}\">下一页</a></li>", link(page + 1));
    }
    let main = format!(
        "<p>每个项目按最近一次报送的监控显示预警等级；红色预警须在规定的工作日内答复，逾期自动报财政部门。</p>\
         <nav aria-label=\"按预警等级筛选\" class=\"subnav\"><ul>{filters}</ul></nav>\
         <div class=\"table-wrap\" role=\"region\" aria-label=\"项目监控情况\" tabindex=\"0\"><table>\
         <caption>项目监控情况（{} 个项目）</caption><thead><tr><th scope=\"col\">项目</th><th scope=\"col\">单位</th>\
         <th scope=\"col\">年度</th><th scope=\"col\">最近监控截至</th><th scope=\"col\">执行率</th><th scope=\"col\">预警等级</th>\
         <th scope=\"col\">待答复红色预警</th><th scope=\"col\">逾期已上报</th></tr></thead><tbody>{table}</tbody></table></div>\
         <nav aria-label=\"分页\" class=\"pager\"><ul>{pager}</ul></nav>",
        found.chosen
    );
    Html(render(&state, &v, "/monitoring", "绩效运行监控", &main)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chart is drawn from exact figures: the checkpoints at their percent, the spending
    /// line stepping up on the day paid, and the same figures in the table below it.
    #[test]
    fn the_spending_chart_places_checkpoints_and_payments_exactly() {
        let d = |s: &str| Date::parse(s).unwrap();
        let html = spending_chart(
            2022,
            Money::from_yuan(1000),
            &[(d("2022-07-01"), Money::from_yuan(500))],
            &Rules::default(),
            d("2022-12-31"),
        );
        // 25 % by April: y = 260 − 25 × 2 = 210 px, the diamond's top 6 px above; x at the
        // first day of May (day 120 of 365).
        assert!(html.contains("<path d=\"M257.2 204.0 "), "{html}");
        // 80 % by October: y = 100 px.
        assert!(html.contains(" 94.0 l6 6"), "{html}");
        // Half the budget on 1 July (day 182): the line steps from 260 to 160 px there.
        assert!(html.contains("359.1,260.0 359.1,160.0"), "{html}");
        assert!(html.contains("<th scope=\"row\">7月末</th><td class=\"nowrap\">500.00</td><td>50.00%</td><td>58.33</td>"));
        assert!(html.contains("<title id=\"spend-t\">累计支出与序时进度</title>"));
    }
}
