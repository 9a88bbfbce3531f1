//! Development aid: prints the tables and numbers the auditor sees in a report.
//! Usage: `cargo run -p jixiao-audit --example dump -- FILE`.

use jixiao_audit::doc::Doc;
use jixiao_audit::input::{self, Kind, Limits};

fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let bytes = std::fs::read(&path).expect("readable");
    let kind = Kind::from_extension(path.rsplit('.').next().unwrap_or("txt")).unwrap_or(Kind::Text);
    let lines = input::lines_of(&bytes, kind, &Limits::default()).expect("decodable");
    let doc = Doc::new(lines);
    #[expect(clippy::print_stdout, reason = "a development tool")]
    {
        println!("fiscal year: {:?}", doc.year);
        for (ti, t) in doc.tables.iter().enumerate() {
            println!("== table {ti} (header: {})", t.header);
            for r in &t.rows {
                let cells: Vec<String> = r
                    .cells
                    .iter()
                    .map(|c| format!("{}:{}", c.line + 1, doc.cell_text(c)))
                    .collect();
                println!("  {}", cells.join(" | "));
            }
        }
        let report =
            jixiao_audit::audit_lines(doc.lines.clone(), &jixiao_audit::Options::default());
        for f in &report.findings {
            println!(
                "{:?} {} {:?} {:?} {}",
                f.severity, f.rule, f.lines, f.values, f.message
            );
        }
        if std::env::args().any(|a| a == "--ctx") {
            let ctxs = jixiao_audit::context::contexts(&doc);
            for (i, c) in ctxs.iter().enumerate() {
                println!(
                    "{:>4} L{} {:?} target={} col={:?} key={:?} before={:?}",
                    i,
                    doc.nums[i].line + 1,
                    doc.written(i),
                    c.target,
                    c.col,
                    c.key,
                    c.before
                );
            }
        }
        if std::env::args().any(|a| a == "--nums") {
            for (i, n) in doc.nums.iter().enumerate() {
                println!(
                    "{:>4} L{} {:?} {} {}",
                    i,
                    n.line + 1,
                    doc.written(i),
                    n.value,
                    n.unit
                );
            }
        }
    }
}
