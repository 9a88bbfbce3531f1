//! Fills a demo database with N more projects of the demo department, each with a submitted
//! July monitoring round whose values vary (some on pace, some behind, some that cannot be
//! met), so that the monitoring overview has thousands of projects at every warning level
//! (bench/monitoring.sh measures the overview over them).
//!
//!   cargo run --release -p jixiao-store --example monitoring_seed -- DATA_DIR [N]
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark that cannot set up should stop"
)]
#![expect(clippy::print_stdout, reason = "the benchmark's report")]

use std::time::Instant;

use jixiao_core::date::Date;
use jixiao_core::monitor::{Likelihood, RoundValue};
use jixiao_core::num::Dec;
use jixiao_store::Store;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).expect("DATA_DIR"));
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let store = Store::open_data_dir(&dir).await.unwrap();
    let officer = store.user_by_username("officer").await.unwrap().unwrap();
    let p = jixiao_core::file::project::read(
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/kunming-2022.toml"
        ))
        .unwrap()
        .as_slice(),
    )
    .value
    .unwrap();
    let july = Date::parse("2022-07-31").unwrap();
    let today = Date::parse("2022-08-05").unwrap();
    let started = Instant::now();
    for i in 0..n {
        let mut q = p.clone();
        q.name = format!("{}（监控样本 {i}）", p.name);
        // A quarter of the projects paid part of their budget by June.
        if i % 4 == 0 {
            q.budget.spending[0].date = Date::parse("2022-06-15");
        }
        let id = store
            .insert_project(officer.organisation, &q, "bench")
            .await
            .unwrap();
        // Every tenth project is never monitored.
        if i % 10 == 9 {
            continue;
        }
        let round = store.open_round(id, &officer, july).await.unwrap();
        let values: Vec<RoundValue> = q
            .targets
            .iter()
            .map(|t| RoundValue {
                target: t.id.to_string(),
                achieved: t.number().map(|n| {
                    // Some projects are behind on their quantities.
                    if i % 3 == 0 {
                        Dec::new(n.mantissa() * 3, n.scale() + 1).unwrap_or(n)
                    } else {
                        Dec::new(n.mantissa() * 7, n.scale() + 1).unwrap_or(n)
                    }
                }),
                likelihood: Some(if i % 7 == 0 {
                    Likelihood::Impossible
                } else {
                    Likelihood::Certain
                }),
                measures: Some("调整实施计划".into()),
                ..RoundValue::default()
            })
            .collect();
        let saved = store
            .save_round(round.id, &officer, round.version, None, None, &values)
            .await
            .unwrap();
        store
            .submit_round(saved.id, &officer, saved.version, today)
            .await
            .unwrap();
        if i % 1000 == 999 {
            println!(
                "{} projects in {:.1} s",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    // A week later the deadlines of the unanswered red warnings have passed.
    let escalated = store
        .escalate_overdue(Date::parse("2022-08-20").unwrap())
        .await
        .unwrap();
    println!(
        "{n} projects seeded in {:.1} s; {} red warnings escalated",
        started.elapsed().as_secs_f64(),
        escalated.len()
    );
    store.close().await;
}
