//! A batch scores every project exactly as the engine does, and refuses what it cannot.

use proptest::prelude::*;

use super::{Batch, Unfit};
use crate::builtin;
use crate::code::Code;
use crate::file;
use crate::framework::{Framework, NodeKind};
use crate::num::{Dec, Money, Points};
use crate::project::{
    Actual, ActualValue, Comparator, Direction, Judgment, Project, Subject, TargetValue, Tier,
    Verdict,
};
use crate::scoring::score;

fn example() -> Project {
    let src = include_bytes!("../../../../../examples/kunming-2022.toml");
    file::project::read(src)
        .value
        .expect("the example is valid")
}

/// A small deterministic generator.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
    fn int(&mut self, n: u64) -> i64 {
        i64::try_from(self.below(n)).unwrap_or(0)
    }
}

fn points(rng: &mut Lcg, max: i64) -> Points {
    Points::from_centi(rng.int(u64::try_from(max.max(0)).unwrap_or(0) + 200) - 100)
}

fn verdict(rng: &mut Lcg, weight: Points) -> Verdict {
    match rng.below(4) {
        0 => Verdict::Score(points(rng, weight.centi())),
        1 => Verdict::Share(Dec::new(rng.int(12_000), 2).unwrap_or(Dec::ZERO)),
        _ => Verdict::Deduction(points(rng, weight.centi())),
    }
}

fn judgment(subject: Subject, verdict: Verdict, rng: &mut Lcg) -> Judgment {
    Judgment {
        subject,
        verdict,
        tier: (rng.below(2) == 0).then_some(Tier::Achieved),
        reason: (rng.below(4) != 0).then(|| "依据评分标准".to_owned()),
        evidence: Vec::new(),
    }
}

/// A variant of the example. `shape` decides which subjects are judged (the same for every
/// row of a batch); `values` decides the numbers and verdicts, and with `na` one judgment
/// says 不适用, which changes the tree.
fn variant(base: &Project, fw: &Framework, shape: u64, values: u64, na: bool) -> Project {
    let mut s = Lcg(shape);
    let mut v = Lcg(values);
    let mut p = base.clone();
    p.evaluation.judgments.clear();
    p.budget.appropriation = Money::from_yuan(v.int(3) * 400_000);
    for line in &mut p.budget.spending {
        line.amount = Money::from_fen(v.int(60_000_000));
    }
    for t in &mut p.targets {
        if let TargetValue::Number(goal) = t.value {
            if s.below(3) == 0 {
                t.comparator = [
                    Comparator::AtLeast,
                    Comparator::Above,
                    Comparator::AtMost,
                    Comparator::Below,
                    Comparator::Equal,
                ][usize::try_from(v.below(5)).unwrap_or(0)];
                t.direction = if v.below(4) == 0 {
                    Direction::Reverse
                } else {
                    Direction::Positive
                };
            }
            let value = match v.below(7) {
                0 => None,
                1 => Some(ActualValue::Counts {
                    numerator: Dec::from_int(v.int(500)).unwrap_or(Dec::ZERO),
                    denominator: Dec::from_int(v.int(500)).unwrap_or(Dec::ZERO),
                }),
                2 => Some(ActualValue::Number {
                    value: goal,
                    unit: t.unit.clone(),
                }),
                _ => Some(ActualValue::Number {
                    value: Dec::new(goal.mantissa() * v.int(200) / 100, goal.scale())
                        .unwrap_or(goal),
                    unit: t.unit.clone(),
                }),
            };
            t.actual = value.map(|value| Actual {
                value,
                deviation_reason: None,
                note: None,
                measures: None,
                evidence: Vec::new(),
            });
        }
        if t.is_qualitative() || s.below(4) == 0 {
            let w = t.weight.unwrap_or(Points::whole(5));
            let verdict = verdict(&mut v, w);
            let j = judgment(Subject::Target(t.id.clone()), verdict, &mut v);
            p.evaluation.judgments.push(j);
        }
    }
    for n in &fw.nodes {
        let judged = match n.kind {
            NodeKind::Judged => s.below(5) != 0,
            NodeKind::Computed { .. } => s.below(2) == 0,
            _ => false,
        };
        if judged {
            let w = n.weight.unwrap_or(Points::whole(2));
            let verdict = verdict(&mut v, w);
            let j = judgment(Subject::Node(Code::from(n.code.as_str())), verdict, &mut v);
            p.evaluation.judgments.push(j);
        }
    }
    if na && !p.evaluation.judgments.is_empty() {
        let k = usize::try_from(v.below(p.evaluation.judgments.len() as u64)).unwrap_or(0);
        p.evaluation.judgments[k].verdict = Verdict::NotApplicable;
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every row's total and node scores are the engine's, whatever the values and
    /// verdicts; a project the engine would lay out otherwise is refused.
    #[test]
    fn rows_score_as_the_engine(shape in any::<u64>(), seeds in prop::collection::vec((any::<u64>(), 0..12u8), 1..12)) {
        let fw = builtin::load("kunming-2022").expect("built-in");
        let base = example();
        let template = variant(&base, &fw, shape, 0, false);
        let mut batch = match Batch::new(&fw, &template) {
            Ok(b) => b,
            // A shape whose layout has errors is refused as a template; nothing to compare.
            Err(e) => {
                prop_assert_eq!(e, Unfit::TemplateErrors);
                prop_assert!(score(&fw, &template).has_errors());
                return Ok(());
            }
        };
        let mut rows = Vec::new();
        for &(seed, na) in &seeds {
            let na = na == 0;
            let p = variant(&base, &fw, shape, seed, na);
            match batch.push(&p) {
                Ok(r) => {
                    prop_assert!(!na, "a project with a 不适用 verdict fitted the template");
                    rows.push((r, p));
                }
                Err(e) => {
                    prop_assert!(na, "refused: {e}");
                    prop_assert_eq!(e, Unfit::OtherShape);
                }
            }
        }
        prop_assert_eq!(batch.len(), rows.len());
        let mut totals = Vec::new();
        batch.totals_into(&mut totals);
        let mut nodes = Vec::new();
        for (r, p) in &rows {
            let scored = score(&fw, p);
            prop_assert_eq!(batch.total(*r), scored.total);
            prop_assert_eq!(totals[*r], scored.total);
            prop_assert_eq!(batch.grade(totals[*r]), scored.grade());
            batch.node_scores(*r, &mut nodes);
            let expected: Vec<Points> = scored.nodes.iter().map(|n| n.score).collect();
            prop_assert_eq!(&nodes, &expected);
        }
    }
}

#[test]
fn the_example_scores_as_the_engine() {
    let fw = builtin::load("kunming-2022").expect("built-in");
    let p = example();
    let mut batch = Batch::new(&fw, &p).expect("the example fits its own batch");
    let row = batch.push(&p).expect("the template fits");
    let scored = score(&fw, &p);
    assert_eq!(batch.total(row), scored.total);
    // 33 四级 nodes and the 三级 nodes scored directly, less the unscored-free groups.
    assert!(batch.width() >= 33, "{}", batch.width());
}

#[test]
fn evaluation_weights_and_other_targets_are_refused() {
    let fw = builtin::load("kunming-2022").expect("built-in");
    let p = example();
    let mut weighted = p.clone();
    weighted
        .evaluation
        .weights
        .insert("A".into(), Points::whole(20));
    assert_eq!(Batch::new(&fw, &weighted).err(), Some(Unfit::OwnWeights));
    let mut batch = Batch::new(&fw, &p).expect("fits");
    assert_eq!(batch.push(&weighted), Err(Unfit::OwnWeights));
    let mut fewer = p.clone();
    fewer.targets.pop();
    assert_eq!(batch.push(&fewer), Err(Unfit::OtherShape));
    let mut reweighted = p.clone();
    reweighted.targets[0].weight = Some(Points::whole(7));
    assert_eq!(batch.push(&reweighted), Err(Unfit::OtherShape));
    assert!(
        batch.is_empty(),
        "nothing is added when a project is refused"
    );
}

#[test]
fn a_template_with_layout_errors_is_refused() {
    let fw = builtin::load("kunming-2022").expect("built-in");
    let mut p = example();
    p.evaluation.judgments.push(Judgment {
        subject: Subject::Node("Z9".into()),
        verdict: Verdict::Score(Points::whole(1)),
        tier: None,
        reason: Some("无此指标".into()),
        evidence: Vec::new(),
    });
    assert!(score(&fw, &p).has_errors());
    assert_eq!(Batch::new(&fw, &p).err(), Some(Unfit::TemplateErrors));
}
