//! Scoring speed: one Kunming-sized project, and a batch of 100,000 projects of 33 leaves.
//!
//! Target (issue 2): 100,000 projects scored in memory in under 200 ms on one core.
//! The batch is 10,000 distinct fully-scored variants of the Kunming case (all 44 leaves —
//! the 33 四级 indicators and 11 三级 ones scored directly — have an actual or a judgment), each scored 10 times, so the inputs stay in
//! a realistic amount of memory while every scoring does the whole work. The same batch is
//! then scored from compact rows (`scoring::batch`), and filling those rows is timed apart.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao_core::builtin;
use jixiao_core::project::Project;
use jixiao_core::scoring::batch::Batch;
use jixiao_core::scoring::{Scratch, score, score_with};
use jixiao_core::sheet::Sheet;

#[path = "support/variants.rs"]
mod variants;
use variants::{Lcg, example, variant};

fn bench(c: &mut Criterion) {
    let fw = builtin::load("kunming-2022").expect("built-in");
    let base = example();
    c.bench_function("score kunming example", |b| {
        b.iter(|| black_box(score(&fw, black_box(&base)).total));
    });
    c.bench_function("score + sheet kunming example", |b| {
        b.iter(|| black_box(Sheet::new(&score(&fw, black_box(&base)))));
    });
    let mut rng = Lcg(42);
    let projects: Vec<Project> = (0..10_000).map(|_| variant(&base, &fw, &mut rng)).collect();
    let check = score(&fw, &projects[0]);
    assert!(!check.has_errors(), "{:?}", check.diagnostics());
    // 33 leaves at level 4 plus 11 三级 indicators scored directly: 44 scored leaves.
    let leaves = (0..check.nodes.len()).filter(|&i| check.is_leaf(i)).count();
    assert_eq!(leaves, 44);
    assert!(Sheet::new(&check).unscored.is_empty());
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.bench_function("score 100000 projects of 33 leaves", |b| {
        let mut scratch = Scratch::default();
        b.iter(|| {
            let mut sum = 0_i64;
            for _ in 0..10 {
                for p in &projects {
                    sum += score_with(&fw, p, &mut scratch).total.centi();
                }
            }
            black_box(sum)
        });
    });
    // The same 100,000 scorings from compact rows (scoring::batch), filled once from the
    // 10,000 projects.
    let mut batch = Batch::new(&fw, &projects[0]).expect("the variants share one shape");
    for p in &projects {
        batch.push(p).expect("the variants share one shape");
    }
    g.bench_function("score 100000 batch rows of 33 leaves", |b| {
        let mut totals = Vec::with_capacity(batch.len());
        b.iter(|| {
            let mut sum = 0_i64;
            for _ in 0..10 {
                totals.clear();
                batch.totals_into(&mut totals);
                sum += totals.iter().map(|t| t.centi()).sum::<i64>();
            }
            black_box(sum)
        });
    });
    g.bench_function("fill 10000 batch rows", |b| {
        b.iter(|| {
            let mut fresh = Batch::new(&fw, &projects[0]).expect("fits");
            fresh.reserve(projects.len());
            for p in &projects {
                fresh.push(p).expect("fits");
            }
            black_box(fresh.len())
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
