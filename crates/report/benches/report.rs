//! Report speed: the Kunming report as DOCX in-process (compose, audit, charts, write), and
//! its parts. Target (issue 4): under 10 ms for the whole DOCX, charts included.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao_report::docx::{self, Grid};

fn bench(c: &mut Criterion) {
    let src = jixiao_testkit::kunming_example();
    let p = jixiao_core::file::project::read(src.as_bytes())
        .value
        .expect("example");
    let fw = jixiao_core::builtin::load("kunming-2022").expect("framework");
    let s = jixiao_core::scoring::score(&fw, &p);
    let checked = jixiao_report::prepare(&s).expect("report");
    c.bench_function("kunming docx: score, compose, audit, charts, write", |b| {
        b.iter(|| {
            let s = jixiao_core::scoring::score(&fw, &p);
            let (bytes, _) = jixiao_report::docx(&s, Grid::LinesAndChars).expect("docx");
            black_box(bytes.len())
        });
    });
    c.bench_function("compose and audit", |b| {
        b.iter(|| black_box(jixiao_report::prepare(&s).expect("report").lines.len()));
    });
    c.bench_function("docx write", |b| {
        b.iter(|| {
            black_box(
                docx::write(&checked.document, Grid::LinesAndChars)
                    .expect("docx")
                    .len(),
            )
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
