//! Scores many fully-scored variants of the Kunming case; for whole-process timing and
//! instruction counts (`valgrind --tool=callgrind`). Usage: `score_batch [DISTINCT] [PASSES]`.

#[path = "../benches/support/variants.rs"]
mod variants;

use jixiao_core::builtin;
use jixiao_core::scoring::batch::Batch;
use jixiao_core::scoring::{Scratch, score_with};

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>().unwrap_or(1));
    let distinct = args.next().unwrap_or(10_000);
    let passes = args.next().unwrap_or(10);
    let fw = builtin::load("kunming-2022").expect("built-in framework");
    let base = variants::example();
    let mut rng = variants::Lcg(42);
    let projects: Vec<_> = (0..distinct)
        .map(|_| variants::variant(&base, &fw, &mut rng))
        .collect();
    let start = std::time::Instant::now();
    let mut sum = 0_i64;
    let mut scratch = Scratch::default();
    for _ in 0..passes {
        for p in &projects {
            sum += score_with(&fw, p, &mut scratch).total.centi();
        }
    }
    let took = start.elapsed();
    report("engine", distinct * passes, took, sum);

    let start = std::time::Instant::now();
    let mut batch = Batch::new(&fw, &projects[0]).expect("the variants fit one batch");
    batch.reserve(projects.len());
    for p in &projects {
        batch.push(p).expect("the variants fit one batch");
    }
    let filled = start.elapsed();
    let start = std::time::Instant::now();
    let mut sum = 0_i64;
    let mut totals = Vec::with_capacity(distinct);
    for _ in 0..passes {
        totals.clear();
        batch.totals_into(&mut totals);
        sum += totals.iter().map(|t| t.centi()).sum::<i64>();
    }
    report("batch rows", distinct * passes, start.elapsed(), sum);
    #[expect(clippy::print_stdout, reason = "an example program")]
    {
        println!("filled {distinct} batch rows in {filled:?}");
    }
}

fn report(what: &str, n: usize, took: std::time::Duration, sum: i64) {
    #[expect(clippy::print_stdout, reason = "an example program")]
    {
        println!(
            "{what}: scored {n} projects in {took:?} ({:.2} µs each; checksum {sum})",
            took.as_secs_f64() * 1e6 / n as f64
        );
    }
}
