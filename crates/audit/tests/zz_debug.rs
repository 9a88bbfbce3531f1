//! Debug helper, never committed.
#[test]
fn show() {
    let Ok(path) = std::env::var("FILE") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let lines = jixiao_audit::input::split_lines(&text);
    let r = jixiao_audit::audit_lines(lines, &jixiao_audit::Options::default());
    for f in &r.findings {
        println!(
            "{:?} {:?} {:?} {:?} {}",
            f.rule, f.severity, f.lines, f.values, f.message
        );
    }
}

#[test]
fn tables() {
    let Ok(path) = std::env::var("TABLES") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let lines = jixiao_audit::input::split_lines(&text);
    let doc = jixiao_audit::doc::Doc::new(lines);
    let ctxs = jixiao_audit::context::contexts(&doc);
    for t in &doc.tables {
        println!("TABLE header={} rows={}", t.header, t.rows.len());
        for r in &t.rows {
            let cells: Vec<String> = r
                .cells
                .iter()
                .map(|c| format!("{}:{}", c.line + 1, doc.cell_text(c)))
                .collect();
            println!("  {}", cells.join(" | "));
        }
    }
    if let Ok(n) = std::env::var("LINE") {
        let n: usize = n.parse().unwrap();
        for (i, m) in doc.nums.iter().enumerate().filter(|(_, m)| m.line + 1 == n) {
            let c = &ctxs[i];
            println!(
                "{} col={:?} exp={:?} row={:?} key={} earlier={}",
                doc.written(i),
                c.col,
                c.money_exp,
                c.row,
                c.key,
                c.earlier_year
            );
        }
    }
}

#[test]
fn dates() {
    let Ok(path) = std::env::var("DATES") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let lines = jixiao_audit::input::split_lines(&text);
    let doc = jixiao_audit::doc::Doc::new(lines);
    println!("year={:?}", doc.year);
    for d in &doc.dates {
        println!("{:?}", d);
    }
}
