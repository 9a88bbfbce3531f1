//! Auditor speed: the 32 KB seed report, and a 3 MB input made of it repeated (time must
//! grow linearly with input size).
//!
//! Targets (issue 3): a 30 KB report in under 2 ms on one core; 3 MB in under 0.5 s.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao_audit::{Options, audit_lines, input::split_lines};

/// The allocator of the `jixiao` binary, so that timings match the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn seed() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testkit/data/kunming-2022-self-evaluation.txt"
    ))
    .expect("seed report")
}

fn bench(c: &mut Criterion) {
    let text = seed();
    let lines = split_lines(&text);
    c.bench_function("audit seed report (32 KB)", |b| {
        b.iter(|| {
            black_box(
                audit_lines(lines.clone(), &Options::default())
                    .findings
                    .len(),
            )
        });
    });
    let mut g = c.benchmark_group("linear");
    g.sample_size(10);
    for copies in [10, 100] {
        let big: Vec<String> = (0..copies).flat_map(|_| lines.iter().cloned()).collect();
        let kb = big.iter().map(|l| l.len() + 1).sum::<usize>() / 1024;
        g.bench_function(format!("audit {copies} copies ({kb} KB)"), |b| {
            b.iter(|| black_box(audit_lines(big.clone(), &Options::default()).findings.len()));
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
