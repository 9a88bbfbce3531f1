//! Run-time monitoring on SQLite and on PostgreSQL (`JIXIAO_TEST_PG_URL`): a round filled in
//! and submitted with spending to date from the ledger and the project file, the warnings it
//! raises with their deadlines in working days, answers, and escalation by several store
//! handles at once (as several server processes would) after a restart.
#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot unwrap should fail the test"
)]

use std::collections::HashMap;

use jixiao_core::date::Date;
use jixiao_core::monitor::{Cause, Decision, Level, Likelihood};
use jixiao_core::num::{Dec, Money};
use jixiao_core::project::Role;
use jixiao_store::{
    Error, FundDecision, NewFundRequest, OrgKind, ProjectId, RoundState, RoundValue, Store, User,
};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn refusal<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(e @ Error::Refused { .. }) => e.zh(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn case(store: &Store) -> (ProjectId, HashMap<&'static str, User>) {
    let bureau = store
        .create_organisation("昆明市财政局", OrgKind::FinanceBureau, None, "t")
        .await
        .unwrap();
    let dept = store
        .create_organisation("昆明市残疾人联合会", OrgKind::Department, Some(bureau), "t")
        .await
        .unwrap();
    let other = store
        .create_organisation("昆明市民政局", OrgKind::Department, Some(bureau), "t")
        .await
        .unwrap();
    let mut p = jixiao_core::file::project::read(jixiao_testkit::kunming_example().as_bytes())
        .value
        .unwrap();
    // The card purchase was paid in June, the rest in November.
    p.budget.spending[0].date = Some(d("2022-06-15"));
    p.budget.spending[1].date = Some(d("2022-11-20"));
    let project = store.insert_project(dept, &p, "t").await.unwrap();
    let mut users = HashMap::new();
    for (name, role, org) in [
        ("officer", Role::Officer, dept),
        ("head", Role::HeadOfOffice, dept),
        ("finance", Role::FinanceHead, dept),
        ("deputy", Role::DeputyLeader, dept),
        ("unit-head", Role::UnitHead, dept),
        ("cashier", Role::Cashier, dept),
        ("stranger", Role::Officer, other),
        ("reviewer", Role::Reviewer, bureau),
        ("admin", Role::Admin, bureau),
    ] {
        store
            .create_user(org, name, name, role, "$argon2id$x", "t")
            .await
            .unwrap();
        users.insert(name, store.user_by_username(name).await.unwrap().unwrap());
    }
    (project, users)
}

fn value(target: &str, achieved: i64) -> RoundValue {
    RoundValue {
        target: target.into(),
        achieved: Some(Dec::from_int(achieved).unwrap()),
        likelihood: Some(Likelihood::Certain),
        ..RoundValue::default()
    }
}

async fn story(store: &Store, reopen: impl AsyncFn() -> Store) {
    let (project, u) = case(store).await;
    // 10,000 yuan paid through the approval chain on 2022-07-20.
    let r = store
        .file_fund_request(
            project,
            &u["officer"],
            &NewFundRequest {
                amount: Money::from_yuan(10_000),
                purpose: "专门协会活动",
                payee: "某酒店",
                budget_line: None,
            },
        )
        .await
        .unwrap();
    let mut version = r.version;
    for who in ["head", "finance", "deputy", "unit-head"] {
        version = store
            .decide_fund_request(r.id, &u[who], &FundDecision::Approve, version)
            .await
            .unwrap()
            .version;
    }
    store
        .pay_fund_request(r.id, &u["cashier"], "2022/7/20", "B-1")
        .await
        .unwrap();

    // Who may open a round, and for which dates.
    for who in ["cashier", "stranger", "finance"] {
        let r = store.open_round(project, &u[who], d("2022-07-31")).await;
        assert!(refusal(r).contains("经办人或部门负责人"), "{who}");
    }
    let r = store
        .open_round(project, &u["officer"], d("2023-07-31"))
        .await;
    assert!(refusal(r).contains("不在项目的年度 2022 年内"));
    let round = store
        .open_round(project, &u["officer"], d("2022-07-31"))
        .await
        .unwrap();
    let r = store.open_round(project, &u["head"], d("2022-07-31")).await;
    assert!(refusal(r).contains("已经存在"));
    assert_eq!(round.state, RoundState::Draft);

    // Submitting needs a value to date for every indicator.
    let r = store
        .submit_round(round.id, &u["officer"], round.version, d("2026-09-29"))
        .await;
    let message = refusal(r);
    assert!(
        message.contains("T01") && message.contains("T17"),
        "{message}"
    );

    let project_file = store.project(project).await.unwrap().project;
    let mut values: Vec<RoundValue> = project_file
        .targets
        .iter()
        .map(|t| {
            let mut v = value(&t.id, t.number().map_or(0, Dec::mantissa));
            if t.is_qualitative() {
                v.achieved = None;
            }
            v
        })
        .collect();
    // T01: 2 of 10 events by July (red); T04: 20,000 of 50,000 cards (yellow); T11 cannot be
    // met (red).
    values[0].achieved = Some(Dec::from_int(2).unwrap());
    values[0].causes = vec![Cause::Staff, Cause::Other];
    values[0].cause_text = Some("协会换届".into());
    values[3].achieved = Some(Dec::from_int(20_000).unwrap());
    let t11 = values.iter_mut().find(|v| v.target == "T11").unwrap();
    t11.likelihood = Some(Likelihood::Impossible);
    let saved = store
        .save_round(
            round.id,
            &u["officer"],
            round.version,
            Some("上半年制卡已完成一半"),
            Some(Money::from_yuan(700_000)),
            &values,
        )
        .await
        .unwrap();
    assert_eq!(saved.values.len(), project_file.targets.len());
    let t01 = saved.values.iter().find(|v| v.target == "T01").unwrap();
    assert_eq!(t01.causes, vec![Cause::Staff, Cause::Other]);
    assert_eq!(t01.cause_text.as_deref(), Some("协会换届"));
    // A stale page saves nothing.
    let r = store
        .save_round(round.id, &u["head"], round.version, None, None, &[])
        .await;
    assert!(refusal(r).contains("刚被他人修改"));
    assert_eq!(store.round(round.id).await.unwrap().values.len(), 17);

    // Not before the round's own date.
    let r = store
        .submit_round(round.id, &u["officer"], saved.version, d("2022-07-30"))
        .await;
    assert!(refusal(r).contains("尚未到期"));
    // Submitted on Tuesday 2026-09-29: five working days run to Monday 2026-10-12 (the
    // National Day holidays and the make-up Saturday 10-10 on the calendar).
    let (round, warnings) = store
        .submit_round(round.id, &u["officer"], saved.version, d("2026-09-29"))
        .await
        .unwrap();
    assert_eq!(round.state, RoundState::Submitted);
    // Spent by 07-31: the June card purchase (413,600) and the July payment (10,000); the
    // November line is not yet spent.
    assert_eq!(round.executed, Some(Money::from_yuan(423_600)));
    assert_eq!(round.budget, Some(Money::from_yuan(761_000)));
    assert_eq!(round.level, Some(Level::Red));
    let kinds: Vec<(&str, &str, Level)> = warnings
        .iter()
        .map(|w| (w.kind.as_str(), w.subject.as_str(), w.level))
        .collect();
    assert!(
        kinds.contains(&("target-pace", "T01", Level::Red)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("target-pace", "T04", Level::Yellow)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("likelihood", "T11", Level::Red)),
        "{kinds:?}"
    );
    assert!(!kinds.iter().any(|k| k.0 == "execution-pace"), "{kinds:?}");
    for w in &warnings {
        let expected = (w.level == Level::Red).then(|| d("2026-10-12"));
        assert_eq!(w.deadline, expected, "{w:?}");
    }
    let r = store
        .submit_round(round.id, &u["officer"], round.version, d("2026-09-29"))
        .await;
    assert!(refusal(r).contains("已经报送"));
    let r = store
        .save_round(round.id, &u["officer"], round.version, None, None, &[])
        .await;
    assert!(refusal(r).contains("已报送"));

    // Answers.
    let reds: Vec<i64> = warnings
        .iter()
        .filter(|w| w.level == Level::Red)
        .map(|w| w.id)
        .collect();
    assert_eq!(reds.len(), 2);
    for (who, cause, measure, message) in [
        ("cashier", "x", "y", "可以答复预警"),
        ("stranger", "x", "y", "可以答复预警"),
        ("head", " ", "y", "偏差原因"),
        ("head", "x", "", "纠偏措施"),
    ] {
        let r = store
            .respond_warning(reds[0], &u[who], cause, measure, Decision::Continue)
            .await;
        assert!(refusal(r).contains(message), "{who}");
    }
    let answered = store
        .respond_warning(
            reds[0],
            &u["unit-head"],
            "协会换届推迟活动",
            "下半年集中举办",
            Decision::Adjust,
        )
        .await
        .unwrap();
    let response = answered.response.unwrap();
    assert_eq!(response.decision, Decision::Adjust);
    assert_eq!(response.by, "unit-head");
    let r = store
        .respond_warning(reds[0], &u["head"], "x", "y", Decision::Stop)
        .await;
    assert!(refusal(r).contains("已经答复"));

    // Escalation: nothing on the deadline itself; the day after, the unanswered red warning,
    // once, whichever handle sweeps first; after a restart nothing is escalated twice.
    assert_eq!(
        store.escalate_overdue(d("2026-10-12")).await.unwrap(),
        Vec::<i64>::new()
    );
    let second = reopen().await;
    let (a, b) = tokio::join!(
        store.escalate_overdue(d("2026-10-13")),
        second.escalate_overdue(d("2026-10-13"))
    );
    let mut both: Vec<i64> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    both.sort_unstable();
    assert_eq!(both, vec![reds[1]]);
    second.close().await;
    let restarted = reopen().await;
    assert_eq!(
        restarted.escalate_overdue(d("2026-12-31")).await.unwrap(),
        Vec::<i64>::new()
    );
    let w = restarted.warning(reds[1]).await.unwrap();
    assert!(w.escalated_at.is_some() && w.response.is_none());
    // An escalated warning can still be answered.
    restarted
        .respond_warning(
            reds[1],
            &u["officer"],
            "不再需要",
            "调整目标",
            Decision::Adjust,
        )
        .await
        .unwrap();
    restarted.close().await;

    // The overview: the project is red; no red warning is left open.
    use jixiao_store::OverviewFilter;
    let page = store
        .monitoring_overview(None, OverviewFilter::All, 0, 100)
        .await
        .unwrap();
    assert_eq!(page.counts, [1, 0, 0, 0, 0]);
    let row = page.rows.iter().find(|r| r.project == project).unwrap();
    let (date, spent, budget, level) = row.latest.unwrap();
    assert_eq!(
        (date, spent, budget, level),
        (
            d("2022-07-31"),
            Money::from_yuan(423_600),
            Money::from_yuan(761_000),
            Level::Red
        )
    );
    assert_eq!((row.open_red, row.escalated), (0, 0));
    let dept = u["officer"].organisation;
    let mine = store
        .monitoring_overview(Some(dept), OverviewFilter::Level(Level::Red), 0, 100)
        .await
        .unwrap();
    assert_eq!((mine.chosen, mine.rows.len()), (1, 1));
    let none = store
        .monitoring_overview(Some(dept), OverviewFilter::Unmonitored, 0, 100)
        .await
        .unwrap();
    assert_eq!((none.chosen, none.rows.len(), none.counts[0]), (0, 0, 1));
    let past = store
        .monitoring_overview(Some(dept), OverviewFilter::All, 100, 100)
        .await
        .unwrap();
    assert_eq!((past.chosen, past.rows.len(), past.counts[0]), (1, 0, 1));
    let theirs = store
        .monitoring_overview(
            Some(u["stranger"].organisation),
            OverviewFilter::All,
            0,
            100,
        )
        .await
        .unwrap();
    assert_eq!((theirs.chosen, theirs.counts), (0, [0; 5]));

    // Settings: administrators only, every bad line named, and the response time is theirs.
    let r = store
        .set_monitoring_rules(&u["officer"], "答复期限 3")
        .await;
    assert!(refusal(r).contains("只有管理员"));
    let r = store
        .set_monitoring_rules(&u["admin"], "答复期限 3\n黄色线 九十")
        .await;
    assert!(refusal(r).contains("第 2 行"));
    assert_eq!(store.monitoring_rules().await.unwrap().0.response_days, 5);
    store
        .set_monitoring_rules(&u["admin"], "答复期限 3")
        .await
        .unwrap();
    assert_eq!(store.monitoring_rules().await.unwrap().0.response_days, 3);
    let r = store
        .set_work_calendar(&u["admin"], "2026-10-01 休 国庆\n2026-10-01 班 x")
        .await;
    assert!(refusal(r).contains("第 2 行"));
    store
        .set_work_calendar(&u["admin"], "2027-01-01 休 元旦")
        .await
        .unwrap();
    let (cal, text) = store.work_calendar().await.unwrap();
    assert_eq!(text, "2027-01-01 休 元旦");
    assert!(!cal.is_working_day(d("2027-01-01")));
    assert!(
        cal.is_working_day(d("2026-10-05")),
        "the old calendar is replaced"
    );

    // Scoring and reports see the ledger's payments by the cut-off date after the project's
    // own lines; a submitted self-evaluation keeps them in its snapshot.
    let stored = store.project(project).await.unwrap();
    let viewed = store.scoring_view(&stored).await.unwrap();
    assert_eq!(
        viewed.budget.spent(),
        stored.project.budget.spent().plus(Money::from_yuan(10_000))
    );
    let paid = viewed.budget.spending.last().unwrap();
    assert_eq!(
        paid.note.as_deref(),
        Some("资金申请第 1 号，银行流水号 B-1")
    );
    let mut early = stored.project.clone();
    early.evaluation.cutoff = Some(d("2022-07-19"));
    let ledger = store.ledger(project).await.unwrap();
    assert_eq!(ledger[0].paid_on, "2022-07-20", "stored as YYYY-MM-DD");
    assert_eq!(
        jixiao_store::with_ledger(&early, &ledger, jixiao_store::cutoff(&early))
            .budget
            .spent(),
        stored.project.budget.spent(),
        "a payment after the cut-off date is not counted"
    );
    use jixiao_core::workflow::{FlowAction, FlowKind};
    for (kind, action, who) in [
        (FlowKind::TargetSheet, FlowAction::Submit, "officer"),
        (FlowKind::TargetSheet, FlowAction::Approve, "head"),
        (FlowKind::TargetSheet, FlowAction::Approve, "unit-head"),
        (FlowKind::TargetSheet, FlowAction::Approve, "reviewer"),
        (FlowKind::SelfEvaluation, FlowAction::Submit, "officer"),
    ] {
        store
            .workflow_act(project, kind, action, &u[who], None)
            .await
            .unwrap();
    }
    let flows = store.workflows(project).await.unwrap();
    let evaluation = flows
        .iter()
        .find(|f| f.kind == FlowKind::SelfEvaluation)
        .unwrap();
    let frozen = store
        .snapshot(evaluation.snapshot.as_deref().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(frozen.contains("银行流水号 B-1"), "{frozen}");
    let target_sheet = flows
        .iter()
        .find(|f| f.kind == FlowKind::TargetSheet)
        .unwrap();
    let sheet = store
        .snapshot(target_sheet.snapshot.as_deref().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        !sheet.contains("银行流水号"),
        "the target sheet is the file as it was"
    );

    let problems = store.verify_audit(&[]).await.unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn monitoring_on_sqlite() {
    let dir = jixiao_testkit::TempDir::new("monitoring-sqlite");
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    story(&store, async || {
        Store::open_data_dir(dir.path()).await.unwrap()
    })
    .await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn monitoring_on_postgres() {
    let Ok(admin) = std::env::var("JIXIAO_TEST_PG_URL") else {
        eprintln!(
            "JIXIAO_TEST_PG_URL is not set: the PostgreSQL run is skipped (scripts/test sets it)"
        );
        return;
    };
    let name = format!("jixiao_monitoring_{}", std::process::id());
    let url = jixiao_store::admin::create_database(&admin, &name)
        .await
        .unwrap();
    let store = Store::open(&url).await.unwrap();
    story(&store, async || Store::open(&url).await.unwrap()).await;
    store.close().await;
    jixiao_store::admin::drop_database(&admin, &name)
        .await
        .unwrap();
}
