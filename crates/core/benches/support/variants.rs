//! Shared by the scoring benchmark and the `score_batch` example: fully-scored variants of
//! the Kunming case, so that every leaf does real work.
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark input generator: a failure is a bug in it"
)]

use jixiao_core::num::{Dec, Points};
use jixiao_core::project::{
    Actual, ActualValue, Category, Judgment, Project, Subject, TargetValue, Tier, Verdict,
};
use jixiao_core::{file, framework::NodeKind};

/// The Kunming example project.
pub fn example() -> Project {
    let src = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/kunming-2022.toml"
    ))
    .expect("example file");
    file::project::read(&src).value.expect("valid example")
}

/// A small deterministic generator (no extra dependency).
#[derive(Debug)]
pub struct Lcg(pub u64);
impl Lcg {
    /// A number below `n`.
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// A variant of the example in which every leaf is scored.
pub fn variant(base: &Project, fw: &jixiao_core::framework::Framework, rng: &mut Lcg) -> Project {
    let mut p = base.clone();
    p.narrative.clear();
    p.facts.clear();
    p.policy_basis.clear();
    p.evaluation.judgments.clear();
    for t in &mut p.targets {
        match (&t.value, t.category) {
            (TargetValue::Text(_), _) => p.evaluation.judgments.push(Judgment {
                subject: Subject::Target(t.id.as_str().into()),
                verdict: Verdict::Share(
                    Dec::from_int(80 + i64::try_from(rng.next(21)).unwrap()).unwrap(),
                ),
                tier: Some(Tier::Achieved),
                reason: Some("抽样核实".into()),
                evidence: Vec::new(),
            }),
            (TargetValue::Number(goal), Category::Satisfaction) => {
                let _ = goal;
                let valid = 200 + rng.next(300);
                t.actual = Some(Actual {
                    value: ActualValue::Counts {
                        numerator: Dec::from_int(i64::try_from(valid - rng.next(60)).unwrap())
                            .unwrap(),
                        denominator: Dec::from_int(i64::try_from(valid).unwrap()).unwrap(),
                    },
                    note: None,
                    deviation_reason: Some("问卷".into()),
                    measures: None,
                    evidence: Vec::new(),
                });
            }
            (TargetValue::Number(goal), _) => {
                let pct = 50 + rng.next(100);
                let v = goal.mantissa() * i64::try_from(pct).unwrap() / 100;
                t.actual = Some(Actual {
                    value: ActualValue::Number {
                        value: Dec::new(v, goal.scale()).unwrap(),
                        unit: t.unit.clone(),
                    },
                    note: None,
                    deviation_reason: Some("说明".into()),
                    measures: None,
                    evidence: Vec::new(),
                });
            }
        }
    }
    for n in &fw.nodes {
        if matches!(n.kind, NodeKind::Judged) {
            let w = n.weight.unwrap_or(Points::ZERO).centi();
            let s = i64::try_from(rng.next(u64::try_from(w).unwrap() + 1)).unwrap();
            p.evaluation.judgments.push(Judgment {
                subject: Subject::Node(n.code.as_str().into()),
                verdict: Verdict::Score(Points::from_centi(s)),
                tier: None,
                reason: Some("依据评分标准".into()),
                evidence: Vec::new(),
            });
        }
    }
    p
}
