//! Property tests: the engine against a small independent reference on random trees.
//!
//! The reference is written separately, recursively and with `rust_decimal`, from the rules in
//! domain.md c.2/c.5: not-applicable leaves give their weight to their siblings in proportion
//! (largest remainder to the hundredth), each leaf is rounded half-up once, and each parent is
//! the exact sum of its children.

use jixiao_core::file;
use jixiao_core::num::Points;
use jixiao_core::scoring::{Scored, score};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Clone, Debug)]
struct Spec {
    /// Base weight in hundredths (leaves only; groups sum their children).
    weight: u32,
    /// Share of the weight earned, in hundredths of a percent; `None` = not applicable.
    share: Option<u32>,
    children: Vec<Spec>,
}

impl Spec {
    fn base(&self) -> u64 {
        if self.children.is_empty() {
            u64::from(self.weight)
        } else {
            self.children.iter().map(Spec::base).sum()
        }
    }

    fn applicable(&self) -> bool {
        if self.children.is_empty() {
            self.share.is_some()
        } else {
            self.children.iter().any(Spec::applicable)
        }
    }
}

fn spec() -> impl Strategy<Value = Spec> {
    let leaf =
        (1_u32..=2_000, prop::option::weighted(0.8, 0_u32..=10_000)).prop_map(|(weight, share)| {
            Spec {
                weight,
                share,
                children: Vec::new(),
            }
        });
    leaf.prop_recursive(3, 40, 5, |inner| {
        prop::collection::vec(inner, 1..5).prop_map(|children| Spec {
            weight: 0,
            share: None,
            children,
        })
    })
}

fn cents(v: u64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}

/// Writes the spec as a framework file and a project file with one judgment per leaf.
fn files(roots: &[Spec]) -> (String, String) {
    let total: u64 = roots.iter().map(Spec::base).sum();
    let mut fw = format!("[framework]\nname = \"prop\"\ntotal = {}\n", cents(total));
    let mut pj = String::from(
        "[project]\nname = \"p\"\nyear = 2022\ndepartment = \"d\"\n[budget]\nappropriation = 1\n",
    );
    fn walk(s: &Spec, code: &str, parent: Option<&str>, fw: &mut String, pj: &mut String) {
        fw.push_str(&format!(
            "[[node]]\ncode = \"{code}\"\nname = \"{code}\"\nweight = {}\n",
            cents(s.base())
        ));
        if let Some(p) = parent {
            fw.push_str(&format!("parent = \"{p}\"\n"));
        }
        if s.children.is_empty() {
            match s.share {
                Some(sh) => pj.push_str(&format!(
                    "[[evaluation.judgment]]\nnode = \"{code}\"\nshare = {}\nreason = \"r\"\n",
                    cents(u64::from(sh))
                )),
                None => pj.push_str(&format!(
                    "[[evaluation.judgment]]\nnode = \"{code}\"\nnot_applicable = true\n"
                )),
            }
        }
        for (i, c) in s.children.iter().enumerate() {
            walk(c, &format!("{code}_{i}"), Some(code), fw, pj);
        }
    }
    for (i, r) in roots.iter().enumerate() {
        walk(r, &format!("N{i}"), None, &mut fw, &mut pj);
    }
    (fw, pj)
}

/// Largest-remainder division of `total` hundredths by `bases`, written independently.
fn divide(total: i128, bases: &[i128]) -> Vec<i128> {
    let sum: i128 = bases.iter().sum();
    if sum == 0 {
        return vec![0; bases.len()];
    }
    let mut parts: Vec<i128> = bases.iter().map(|b| total * b / sum).collect();
    let mut order: Vec<usize> = (0..bases.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(total * bases[i] % sum), i));
    let left = total - parts.iter().sum::<i128>();
    for &i in order
        .iter()
        .take(usize::try_from(left).expect("fewer than len remain"))
    {
        parts[i] += 1;
    }
    parts
}

/// Reference score of a subtree given its final weight (hundredths).
fn reference(s: &Spec, weight: i128) -> Decimal {
    if s.children.is_empty() {
        return match s.share {
            None => Decimal::ZERO,
            Some(sh) => {
                let w = Decimal::from_i128_with_scale(weight, 2);
                let share = Decimal::new(i64::from(sh), 4); // hundredths of a percent → fraction
                (w * share).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            }
        };
    }
    let bases: Vec<i128> = s
        .children
        .iter()
        .map(|c| {
            if c.applicable() {
                i128::from(c.base())
            } else {
                0
            }
        })
        .collect();
    let parts = divide(weight, &bases);
    s.children
        .iter()
        .zip(parts)
        .map(|(c, w)| reference(c, w))
        .sum()
}

fn reference_total(roots: &[Spec]) -> Decimal {
    let total: i128 = roots.iter().map(|r| i128::from(r.base())).sum();
    let bases: Vec<i128> = roots
        .iter()
        .map(|c| {
            if c.applicable() {
                i128::from(c.base())
            } else {
                0
            }
        })
        .collect();
    let parts = divide(total, &bases);
    roots.iter().zip(parts).map(|(r, w)| reference(r, w)).sum()
}

fn check_tree(s: &Scored<'_>) {
    for i in 0..s.nodes.len() {
        let n = &s.nodes[i];
        assert!(
            n.score >= Points::ZERO && n.score <= n.weight,
            "{}",
            s.code(i)
        );
        if !s.is_leaf(i) {
            let w: Points = s.children(Some(i)).map(|c| s.nodes[c].weight).sum();
            let sc: Points = s.children(Some(i)).map(|c| s.nodes[c].score).sum();
            assert_eq!(w, n.weight, "weights under {}", s.code(i));
            assert_eq!(sc, n.score, "scores under {}", s.code(i));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn engine_matches_reference(roots in prop::collection::vec(spec(), 1..4)) {
        let (fw_src, pj_src) = files(&roots);
        let fw = file::framework::read(fw_src.as_bytes());
        prop_assert!(!fw.has_errors(), "{:?}\n{fw_src}", fw.diagnostics);
        let pj = file::project::read(pj_src.as_bytes());
        prop_assert!(!pj.has_errors(), "{:?}", pj.diagnostics);
        let (fw, pj) = (fw.value.unwrap(), pj.value.unwrap());
        let s = score(&fw, &pj);
        prop_assert!(!s.has_errors(), "{:?}", s.diagnostics());
        check_tree(&s);
        let expected = reference_total(&roots);
        prop_assert_eq!(s.total.to_string(), format!("{expected:.2}"));
    }

    #[test]
    fn completion_is_monotone(
        goal in 1_u32..10_000,
        a in 0_u32..20_000,
        b in 0_u32..20_000,
        weight in 1_u32..3_000,
        reverse in any::<bool>(),
    ) {
        let (lo, hi) = (a.min(b), a.max(b));
        let cmp = if reverse { "≤" } else { "≥" };
        let score_of = |actual: u32| {
            let fw = file::framework::read(format!(
                "[framework]\nname = \"m\"\ntotal = {w}\n[[node]]\ncode = \"S\"\nname = \"s\"\nweight = {w}\ncategories = [\"产出\"]\n",
                w = cents(u64::from(weight))
            ).as_bytes()).value.unwrap();
            let pj = file::project::read(format!(
                "[project]\nname = \"p\"\nyear = 2022\ndepartment = \"d\"\n[budget]\nappropriation = 1\n\
                 [[target]]\nid = \"T\"\ncategory = \"产出\"\nsubcategory = \"数量\"\nname = \"n\"\n\
                 comparator = \"{cmp}\"\nvalue = {goal}\nunit = \"次\"\nactual = {{ value = {actual}, deviation_reason = \"r\" }}\n"
            ).as_bytes()).value.unwrap();
            let s = score(&fw, &pj);
            check_tree(&s);
            s.total
        };
        let (s_lo, s_hi) = (score_of(lo), score_of(hi));
        if reverse {
            prop_assert!(s_lo >= s_hi, "≤ {goal}: {lo}→{s_lo}, {hi}→{s_hi}");
        } else {
            prop_assert!(s_lo <= s_hi, "≥ {goal}: {lo}→{s_lo}, {hi}→{s_hi}");
        }
        let max = Points::from_centi(i64::from(weight));
        prop_assert!(s_hi <= max && s_lo <= max);
    }
}
