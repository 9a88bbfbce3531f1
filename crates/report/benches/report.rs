//! Report speed: the Kunming report as DOCX in-process (compose, audit, charts, write), and
//! its parts. Target (issue 4): under 10 ms for the whole DOCX, charts included.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao_report::docx::{self, Grid};
use jixiao_report::model::Block;

fn bench(c: &mut Criterion) {
    let src = jixiao_testkit::kunming_example();
    let p = jixiao_core::file::project::read(src.as_bytes())
        .value
        .expect("example");
    let fw = jixiao_core::builtin::load("kunming-2022").expect("framework");
    let s = jixiao_core::scoring::score(&fw, &p);
    let checked = jixiao_report::prepare(&s).expect("report");
    let charts: Vec<_> = checked
        .document
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    // Load the fonts once, as a long-running process or a batch does.
    let _ = jixiao_report::chart::png(&charts[0]);
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
    c.bench_function("one chart as PNG", |b| {
        b.iter(|| black_box(jixiao_report::chart::png(&charts[0]).map(|p| p.bytes.len())));
    });
    let refs: Vec<&jixiao_report::model::Chart> = charts.iter().collect();
    c.bench_function("both charts in parallel", |b| {
        b.iter(|| black_box(jixiao_report::chart::pngs(&refs).len()));
    });
    let pngs: Vec<_> = charts.iter().map(jixiao_report::chart::png).collect();
    c.bench_function("docx write", |b| {
        b.iter(|| {
            black_box(
                docx::write(&checked.document, &pngs, Grid::LinesAndChars)
                    .expect("docx")
                    .len(),
            )
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
