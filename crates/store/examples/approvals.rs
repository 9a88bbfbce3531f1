//! Approval decisions per second on the store (issue 7): R requests filed, then workers take
//! every step of the seed's chain and pay, concurrently; the invariants are checked at the end.
//!
//!   cargo run --release -p jixiao-store --example approvals -- [REQUESTS] [WORKERS] [postgres-url]
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark that cannot set up should stop"
)]
#![expect(clippy::print_stdout, reason = "the benchmark's report")]

use std::time::Instant;

use jixiao_core::num::Money;
use jixiao_core::project::Role;
use jixiao_store::{FundDecision, FundState, NewFundRequest, OrgKind, Store, User};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let requests: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(500);
    let workers: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(8);
    let dir = std::env::temp_dir().join(format!("jixiao-approvals-{}", std::process::id()));
    let store = match args.get(3) {
        Some(url) => Store::open(url).await.unwrap(),
        None => Store::open_data_dir(&dir).await.unwrap(),
    };
    let bureau = store
        .create_organisation("某市财政局", OrgKind::FinanceBureau, None, "bench")
        .await
        .unwrap();
    let dept = store
        .create_organisation(
            "某市残疾人联合会",
            OrgKind::Department,
            Some(bureau),
            "bench",
        )
        .await
        .unwrap();
    let mut p = jixiao_core::file::project::read(
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/kunming-2022.toml"
        ))
        .unwrap()
        .as_slice(),
    )
    .value
    .unwrap();
    p.budget.spending.clear();
    // Room for 90 % of the requests: the last 10 % are refused by the budget rule.
    let fen = i64::try_from(requests).unwrap() * 100_000 * 9 / 10;
    p.budget.appropriation = Money::from_fen(fen);
    p.budget.adjustments.clear();
    for r in &mut p.budget.receipts {
        r.amount = Money::ZERO;
    }
    p.budget.receipts[0].amount = Money::from_fen(fen);
    let project = store.insert_project(dept, &p, "bench").await.unwrap();
    let mut users = std::collections::HashMap::new();
    for (name, role) in [
        ("officer", Role::Officer),
        ("head", Role::HeadOfOffice),
        ("finance", Role::FinanceHead),
        ("deputy", Role::DeputyLeader),
        ("unit-head", Role::UnitHead),
        ("cashier", Role::Cashier),
    ] {
        let id = store
            .create_user(dept, name, name, role, "$argon2id$x", "bench")
            .await
            .unwrap();
        users.insert(
            name,
            User {
                id,
                organisation: dept,
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
    let mut ids = Vec::new();
    for _ in 0..requests {
        let r = store
            .file_fund_request(
                project,
                &users["officer"],
                &NewFundRequest {
                    amount: Money::from_fen(100_000),
                    purpose: "培训",
                    payee: "某培训机构",
                    budget_line: None,
                },
            )
            .await
            .unwrap();
        ids.push(r.id);
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..workers {
        let store = store.clone();
        let chunk: Vec<i64> = ids.iter().copied().skip(w).step_by(workers).collect();
        let users = users.clone();
        tasks.push(tokio::spawn(async move {
            let mut decisions = 0_u64;
            for id in chunk {
                let mut version = 1;
                let mut approved = true;
                for who in ["head", "finance", "deputy", "unit-head"] {
                    match store
                        .decide_fund_request(id, &users[who], &FundDecision::Approve, version)
                        .await
                    {
                        Ok(r) => {
                            version = r.version;
                            decisions += 1;
                        }
                        Err(_) => {
                            approved = false;
                            break;
                        }
                    }
                }
                if approved
                    && store
                        .pay_fund_request(id, &users["cashier"], "2022-11-01", &format!("B{id}"))
                        .await
                        .is_ok()
                {
                    decisions += 1;
                }
            }
            decisions
        }));
    }
    let mut decisions = 0;
    for t in tasks {
        decisions += t.await.unwrap();
    }
    let elapsed = start.elapsed();
    let ledger = store.ledger(project).await.unwrap();
    let total: i64 = ledger.iter().map(|l| l.amount.fen()).sum();
    let all = store.fund_requests(project).await.unwrap();
    let paid: i64 = all
        .iter()
        .filter(|r| r.state == FundState::Paid)
        .map(|r| r.amount.fen())
        .sum();
    assert_eq!(total, paid, "the ledger is the paid requests");
    assert!(total <= fen, "never over the budget or the funds received");
    let mut once: Vec<i64> = ledger.iter().filter_map(|l| l.request).collect();
    let n = once.len();
    once.sort_unstable();
    once.dedup();
    assert_eq!(n, once.len(), "nothing paid twice");
    println!(
        "{requests} requests, {workers} workers: {decisions} decisions (approvals and payments) in {:.2} s = {:.0} decisions/s; {} paid, ledger {} yuan; invariants hold",
        elapsed.as_secs_f64(),
        decisions as f64 / elapsed.as_secs_f64(),
        once.len(),
        Money::from_fen(total).yuan()
    );
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
