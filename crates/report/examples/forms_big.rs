//! Writes the forms workbook of a project with N target indicators (the Kunming case's
//! targets repeated, each with an actual value), for the forms-reading benchmark
//! (bench/forms.sh). Usage: `forms_big N OUT.xlsx`.

use jixiao_core::num::Dec;
use jixiao_core::project::{Actual, ActualValue};
use jixiao_core::unit::Unit;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().ok_or("usage: forms_big N OUT.xlsx")?.parse()?;
    let out = args.next().ok_or("usage: forms_big N OUT.xlsx")?;
    let src = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/kunming-2022.toml"
    ))?;
    let mut p = jixiao_core::file::project::read(&src)
        .value
        .ok_or("example")?;
    let fw = jixiao_core::builtin::load("kunming-2022")?;
    let base = std::mem::take(&mut p.targets);
    // Judgments name targets of the example; the big project has its own.
    p.evaluation
        .judgments
        .retain(|j| matches!(j.subject, jixiao_core::project::Subject::Node(_)));
    for k in 0..n {
        let mut t = base[k % base.len()].clone();
        t.id = format!("T{:06}", k + 1).into();
        t.name = format!("{}（{}）", t.name, k + 1);
        if !t.is_qualitative() {
            let v = t.number().unwrap_or(Dec::ZERO);
            t.actual = Some(Actual {
                value: ActualValue::Number {
                    value: v,
                    unit: Unit::none(),
                },
                note: None,
                deviation_reason: None,
                measures: None,
                evidence: vec![format!("台账第{}页", k + 1)],
            });
        }
        p.targets.push(t);
    }
    for line in &mut p.budget.spending {
        line.targets.clear();
    }
    let scored = jixiao_core::scoring::score(&fw, &p);
    std::fs::write(&out, jixiao_report::forms::xlsx(&scored)?)?;
    Ok(())
}
