//! Fund requests and the ledger on SQLite and on PostgreSQL (`JIXIAO_TEST_PG_URL`): the
//! approval chain with its thresholds, separation of duties, returns and withdrawals, payments
//! into an append-only ledger with reversals, and the budget rules under a storm of concurrent
//! approvals and payments.
#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot unwrap should fail the test"
)]

use jixiao_core::num::Money;
use jixiao_core::project::Role;
use jixiao_store::{
    Error, FundChainStep, FundDecision, FundState, NewFundRequest, OrgId, OrgKind, ProjectId,
    Store, User,
};

struct Case {
    dept: OrgId,
    project: ProjectId,
    users: std::collections::HashMap<&'static str, User>,
}

async fn case(store: &Store) -> Case {
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
    // 761,000.00 yuan budgeted and received; nothing paid through the ledger yet.
    p.budget.spending.clear();
    let project = store.insert_project(dept, &p, "t").await.unwrap();
    let mut users = std::collections::HashMap::new();
    for (name, role, org) in [
        ("officer", Role::Officer, dept),
        ("officer2", Role::Officer, dept),
        ("head", Role::HeadOfOffice, dept),
        ("finance", Role::FinanceHead, dept),
        ("deputy", Role::DeputyLeader, dept),
        ("unit-head", Role::UnitHead, dept),
        ("cashier", Role::Cashier, dept),
        ("stranger", Role::HeadOfOffice, other),
    ] {
        let id = store
            .create_user(org, name, name, role, "$argon2id$x", "t")
            .await
            .unwrap();
        users.insert(
            name,
            User {
                id,
                organisation: org,
                username: name.into(),
                display_name: name.into(),
                role,
                password_hash: String::new(),
                failed_logins: 0,
                locked_until: None,
                disabled_at: None,
            },
        );
    }
    Case {
        dept,
        project,
        users,
    }
}

fn yuan(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn refusal<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(e @ Error::Refused { .. }) => e.zh(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn story(store: &Store) {
    let c = case(store).await;
    let u = |n: &str| c.users[n].clone();
    let request = |amount: &'static str| NewFundRequest {
        amount: yuan(amount),
        purpose: "采购第三代残疾人证",
        payee: "某卡证公司",
        budget_line: Some("2100101"),
    };
    // Bad requests: nothing filed.
    for (amount, message) in [("0", "应大于零"), ("-5", "应大于零")] {
        let r = store
            .file_fund_request(c.project, &u("officer"), &request(amount))
            .await;
        assert!(refusal(r).contains(message));
    }
    assert!(
        refusal(
            store
                .file_fund_request(c.project, &u("cashier"), &request("10"))
                .await
        )
        .contains("经办人")
    );
    assert!(
        refusal(
            store
                .file_fund_request(c.project, &u("stranger"), &request("10"))
                .await
        )
        .contains("本单位")
    );

    // The seed's chain, step by step; separation of duties.
    let r = store
        .file_fund_request(c.project, &u("officer"), &request("1000.00"))
        .await
        .unwrap();
    assert_eq!(
        r.chain,
        [
            Role::HeadOfOffice,
            Role::FinanceHead,
            Role::DeputyLeader,
            Role::UnitHead
        ]
    );
    assert!(
        refusal(
            store
                .decide_fund_request(r.id, &u("finance"), &FundDecision::Approve, 1)
                .await
        )
        .contains("部门负责人")
    );
    let r = store
        .decide_fund_request(r.id, &u("head"), &FundDecision::Approve, 1)
        .await
        .unwrap();
    assert_eq!((r.step, r.version), (1, 2));
    assert!(
        refusal(
            store
                .decide_fund_request(r.id, &u("head"), &FundDecision::Approve, 1)
                .await
        )
        .contains("刚被他人办理"),
        "a stale page"
    );
    // Returned to the applicant with a reason; resubmitted; through again.
    assert!(
        refusal(
            store
                .decide_fund_request(
                    r.id,
                    &u("finance"),
                    &FundDecision::Return {
                        to: None,
                        reason: " ".into()
                    },
                    2
                )
                .await
        )
        .contains("原因")
    );
    let r = store
        .decide_fund_request(
            r.id,
            &u("finance"),
            &FundDecision::Return {
                to: None,
                reason: "缺少采购合同".into(),
            },
            2,
        )
        .await
        .unwrap();
    assert_eq!(r.state, FundState::Returned);
    assert!(refusal(store.applicant_action(r.id, &u("officer"), false).await).contains("不能撤回"));
    let r = store
        .applicant_action(r.id, &u("officer"), true)
        .await
        .unwrap();
    assert_eq!((r.state, r.step), (FundState::Pending, 0));
    let mut r = r;
    for name in ["head", "finance", "deputy", "unit-head"] {
        let who = u(name);
        r = store
            .decide_fund_request(r.id, &who, &FundDecision::Approve, r.version)
            .await
            .unwrap_or_else(|e| panic!("{name}: {}", e.zh()));
    }
    assert_eq!(r.state, FundState::Approved);
    assert!(
        refusal(
            store
                .pay_fund_request(r.id, &u("finance"), "2022-10-01", "B1")
                .await
        )
        .contains("出纳")
    );
    assert!(
        refusal(
            store
                .pay_fund_request(r.id, &u("cashier"), "2022-13-01", "B1")
                .await
        )
        .contains("年-月-日")
    );
    let line = store
        .pay_fund_request(r.id, &u("cashier"), "2022-10-01", "BANK-0001")
        .await
        .unwrap();
    assert_eq!(line.amount, yuan("1000.00"));
    assert!(
        refusal(
            store
                .pay_fund_request(r.id, &u("cashier"), "2022-10-02", "B2")
                .await
        )
        .contains("已经支付")
    );

    // Nobody takes two steps of one request (an office head who is also asked as deputy).
    store
        .set_fund_chain(
            c.dept,
            &[
                FundChainStep {
                    role: Role::HeadOfOffice,
                    min: None,
                    below: None,
                },
                FundChainStep {
                    role: Role::HeadOfOffice,
                    min: None,
                    below: None,
                },
            ],
            "admin",
        )
        .await
        .unwrap();
    let twice = store
        .file_fund_request(c.project, &u("officer"), &request("30"))
        .await
        .unwrap();
    let twice = store
        .decide_fund_request(twice.id, &u("head"), &FundDecision::Approve, 1)
        .await
        .unwrap();
    assert!(
        refusal(
            store
                .decide_fund_request(twice.id, &u("head"), &FundDecision::Approve, 2)
                .await
        )
        .contains("两个审批环节")
    );
    store.set_fund_chain(c.dept, &[], "admin").await.unwrap();
    // The applicant cannot decide on their own request.
    let mine = store
        .file_fund_request(c.project, &u("head"), &request("10"))
        .await
        .unwrap();
    assert!(
        refusal(
            store
                .decide_fund_request(mine.id, &u("head"), &FundDecision::Approve, 1)
                .await
        )
        .contains("自己")
    );
    // Withdrawn before any decision.
    let w = store
        .file_fund_request(c.project, &u("officer"), &request("20"))
        .await
        .unwrap();
    assert_eq!(
        store
            .applicant_action(w.id, &u("officer"), false)
            .await
            .unwrap()
            .state,
        FundState::Withdrawn
    );
    assert!(refusal(store.applicant_action(w.id, &u("officer2"), false).await).contains("本人"));

    // Thresholds: a small payment skips the deputy leader; a large one adds the unit head.
    store
        .set_fund_chain(
            c.dept,
            &[
                FundChainStep {
                    role: Role::HeadOfOffice,
                    min: None,
                    below: None,
                },
                FundChainStep {
                    role: Role::FinanceHead,
                    min: None,
                    below: None,
                },
                FundChainStep {
                    role: Role::DeputyLeader,
                    min: Some(yuan("5000")),
                    below: None,
                },
                FundChainStep {
                    role: Role::UnitHead,
                    min: Some(yuan("50000")),
                    below: None,
                },
            ],
            "admin",
        )
        .await
        .unwrap();
    let small = store
        .file_fund_request(c.project, &u("officer"), &request("800"))
        .await
        .unwrap();
    assert_eq!(small.chain, [Role::HeadOfOffice, Role::FinanceHead]);
    let large = store
        .file_fund_request(c.project, &u("officer"), &request("60000"))
        .await
        .unwrap();
    assert_eq!(large.chain.len(), 4);
    assert!(
        refusal(
            store
                .set_fund_chain(
                    c.dept,
                    &[FundChainStep {
                        role: Role::Cashier,
                        min: None,
                        below: None
                    }],
                    "admin"
                )
                .await
        )
        .contains("出纳")
    );

    // Over the remaining budget: the last approval is refused and nothing changes.
    store.set_fund_chain(c.dept, &[], "admin").await.unwrap();
    let big = store
        .file_fund_request(c.project, &u("officer"), &request("760000.01"))
        .await
        .unwrap();
    let mut b = big;
    for name in ["head", "finance", "deputy"] {
        b = store
            .decide_fund_request(b.id, &u(name), &FundDecision::Approve, b.version)
            .await
            .unwrap();
    }
    assert!(
        refusal(
            store
                .decide_fund_request(b.id, &u("unit-head"), &FundDecision::Approve, b.version)
                .await
        )
        .contains("超过项目调整后预算")
    );
    assert_eq!(
        store.fund_request(b.id).await.unwrap().state,
        FundState::Pending
    );

    // The ledger is append-only: a correction is a reversing line, once.
    assert!(
        refusal(
            store
                .reverse_ledger_line(line.id, &u("cashier"), "2022-10-05", "")
                .await
        )
        .contains("原因")
    );
    let back = store
        .reverse_ledger_line(line.id, &u("finance"), "2022-10-05", "重复支付")
        .await
        .unwrap();
    assert_eq!(
        (back.amount, back.reverses),
        (yuan("-1000.00"), Some(line.id))
    );
    assert!(
        refusal(
            store
                .reverse_ledger_line(line.id, &u("cashier"), "2022-10-06", "再冲")
                .await
        )
        .contains("已经冲销")
    );
    let ledger = store.ledger(c.project).await.unwrap();
    assert_eq!(ledger.len(), 2);
    let problems = store.verify_audit(&[]).await.unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

/// Many clients approve and pay at once: no step is taken twice, nothing is paid twice, the
/// ledger equals the paid requests, and money never goes over the budget or the funds received.
async fn storm(store: &Store) {
    let c = case(store).await;
    let u = |n: &str| c.users[n].clone();
    store
        .set_fund_chain(
            c.dept,
            &[
                FundChainStep {
                    role: Role::HeadOfOffice,
                    min: None,
                    below: None,
                },
                FundChainStep {
                    role: Role::FinanceHead,
                    min: None,
                    below: None,
                },
            ],
            "admin",
        )
        .await
        .unwrap();
    // 60 requests of 15,000.00: 900,000.00 asked against 761,000.00 budgeted and received.
    let mut ids = Vec::new();
    for _ in 0..60 {
        let r = store
            .file_fund_request(
                c.project,
                &u("officer"),
                &NewFundRequest {
                    amount: yuan("15000"),
                    purpose: "培训",
                    payee: "某培训机构",
                    budget_line: None,
                },
            )
            .await
            .unwrap();
        ids.push(r.id);
    }
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let store = store.clone();
        let ids = ids.clone();
        let (head, finance, cashier) = (u("head"), u("finance"), u("cashier"));
        tasks.push(tokio::spawn(async move {
            // Each worker walks every request and tries every step: most attempts collide.
            for (n, id) in ids.iter().enumerate() {
                if (n + worker) % 2 == 0 {
                    continue;
                }
                for who in [&head, &finance] {
                    if let Ok(r) = store.fund_request(*id).await {
                        let _ = store
                            .decide_fund_request(*id, who, &FundDecision::Approve, r.version)
                            .await;
                    }
                }
                let _ = store
                    .pay_fund_request(*id, &cashier, "2022-11-01", &format!("B{id}"))
                    .await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let ledger = store.ledger(c.project).await.unwrap();
    let paid: Vec<i64> = ledger.iter().filter_map(|l| l.request).collect();
    let mut unique = paid.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(paid.len(), unique.len(), "nothing paid twice");
    let total: i64 = ledger.iter().map(|l| l.amount.fen()).sum();
    let requests = store.fund_requests(c.project).await.unwrap();
    let paid_requests: i64 = requests
        .iter()
        .filter(|r| r.state == FundState::Paid)
        .map(|r| r.amount.fen())
        .sum();
    assert_eq!(total, paid_requests, "the ledger is the paid requests");
    let approved: i64 = requests
        .iter()
        .filter(|r| r.state == FundState::Approved)
        .map(|r| r.amount.fen())
        .sum();
    assert!(
        total + approved <= 76_100_000,
        "never over the budget: {}",
        total + approved
    );
    assert!(total <= 76_100_000, "never over the funds received");
    assert_eq!(
        total + approved,
        50 * 1_500_000,
        "50 requests fit in the budget, all approved"
    );
    assert!(
        requests
            .iter()
            .filter(|r| r.state == FundState::Pending)
            .all(|r| r.step == 1),
        "the ones left wait for the last approval that would go over the budget"
    );
    let problems = store.verify_audit(&[]).await.unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn funds_on_sqlite() {
    let dir = jixiao_testkit::TempDir::new("funds-sqlite");
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    story(&store).await;
    store.close().await;
    let dir = jixiao_testkit::TempDir::new("funds-storm-sqlite");
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    storm(&store).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn funds_on_postgres() {
    let Ok(admin) = std::env::var("JIXIAO_TEST_PG_URL") else {
        eprintln!(
            "JIXIAO_TEST_PG_URL is not set: the PostgreSQL run is skipped (scripts/test sets it)"
        );
        return;
    };
    for (suffix, storm_run) in [("story", false), ("storm", true)] {
        let name = format!("jixiao_funds_{suffix}_{}", std::process::id());
        let url = jixiao_store::admin::create_database(&admin, &name)
            .await
            .unwrap();
        let store = Store::open(&url).await.unwrap();
        if storm_run {
            storm(&store).await;
        } else {
            story(&store).await;
        }
        store.close().await;
        jixiao_store::admin::drop_database(&admin, &name)
            .await
            .unwrap();
    }
}
