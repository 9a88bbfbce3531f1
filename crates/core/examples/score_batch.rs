//! Scores many fully-scored variants of the Kunming case; for whole-process timing and
//! instruction counts (`valgrind --tool=callgrind`). Usage: `score_batch [DISTINCT] [PASSES]`.

#[path = "../benches/support/variants.rs"]
mod variants;

use jixiao_core::builtin;
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
    #[expect(clippy::print_stdout, reason = "an example program")]
    {
        println!(
            "scored {} projects in {took:?} ({:.2} µs each; checksum {sum})",
            distinct * passes,
            took.as_secs_f64() * 1e6 / (distinct * passes) as f64
        );
    }
}
