//! Batch timing: writes N reports (fully scored variants of the Kunming case) as DOCX into a
//! folder, on all cores. `cargo run --release -p jixiao-report --example report_batch -- 1000 DIR`
//! Target (issue 4): 1,000 reports in under 10 s on the 2-core machine.
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark driver: a failure is a bug in it"
)]

#[path = "../../core/benches/support/variants.rs"]
#[allow(
    dead_code,
    reason = "shared with the scoring benchmark; this driver uses part of it"
)]
mod variants;

use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "target/report-batch".into()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = variants::example();
    let fw = jixiao_core::builtin::load("kunming-2022").unwrap();
    let mut rng = variants::Lcg(42);
    let projects: Vec<_> = (0..n)
        .map(|k| {
            let mut p = variants::variant(&base, &fw, &mut rng);
            p.narrative = base.narrative.clone();
            p.name = format!("{}（第{}批）", base.name, k + 1);
            p
        })
        .collect();
    let start = std::time::Instant::now();
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = projects.get(k) else { break };
                    let scored = jixiao_core::scoring::score(&fw, p);
                    let (docx, _) =
                        jixiao_report::docx(&scored, jixiao_report::docx::Grid::LinesAndChars)
                            .unwrap();
                    bytes.fetch_add(docx.len(), Ordering::Relaxed);
                    std::fs::write(dir.join(format!("{k:04}.docx")), docx).unwrap();
                }
            });
        }
    });
    #[expect(clippy::print_stdout, reason = "a benchmark driver")]
    {
        println!(
            "{n} reports ({} MB) in {:?} with {workers} workers",
            bytes.load(Ordering::Relaxed) / 1_000_000,
            start.elapsed()
        );
    }
}
