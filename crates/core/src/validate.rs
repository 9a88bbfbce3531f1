//! Checks that span several fields of a project: references, units, dates, money.
//!
//! Whatever reads a project (the file reader, the database, the web forms) runs these, so a
//! case is held to the same rules wherever it comes from. Field paths follow the project
//! file (`target[3].actual.unit`).

use std::collections::HashSet;

use crate::date::Date;
use crate::diag::{Diagnostic, Loc, Problem};
use crate::num::{Dec, NumError};
use crate::project::{
    ActualValue, Category, Comparator, Direction, Project, Role, Subject, TargetValue, Verdict,
};

/// All cross-field problems of a project.
#[must_use]
pub fn validate_project(p: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_targets(p, &mut out);
    check_budget(p, &mut out);
    check_evaluation(p, &mut out);
    check_facts(p, &mut out);
    check_chain(p, &mut out);
    out
}

fn err(out: &mut Vec<Diagnostic>, path: String, problem: Problem) {
    out.push(Diagnostic::error(Loc::project(path), problem));
}

fn check_targets(p: &Project, out: &mut Vec<Diagnostic>) {
    let mut ids = HashSet::new();
    for (i, t) in p.targets.iter().enumerate() {
        let at = |f: &str| format!("target[{i}].{f}");
        if !ids.insert(t.id.as_str()) {
            err(
                out,
                at("id"),
                Problem::Duplicate {
                    what: "目标编号",
                    key: t.id.to_string(),
                },
            );
        }
        if !t.subcategory.belongs_to(t.category) {
            err(
                out,
                at("subcategory"),
                Problem::BadSubcategory {
                    category: t.category.zh().into(),
                    subcategory: t.subcategory.zh().into(),
                },
            );
        }
        match (&t.value, t.comparator) {
            (TargetValue::Text(v), c) if c != Comparator::Qualitative => err(
                out,
                at("comparator"),
                Problem::NumericComparatorText {
                    comparator: c.symbol().into(),
                    value: v.clone(),
                },
            ),
            (TargetValue::Number(n), Comparator::Qualitative) => err(
                out,
                at("value"),
                Problem::QualitativeNumeric {
                    value: n.to_string(),
                },
            ),
            _ => {}
        }
        let implied = t.comparator.implied_direction();
        let conflict = match t.comparator {
            Comparator::AtLeast | Comparator::Above => t.direction == Direction::Reverse,
            Comparator::AtMost | Comparator::Below => t.direction == Direction::Positive,
            Comparator::Equal | Comparator::Qualitative => false,
        };
        if conflict && t.direction != implied {
            err(
                out,
                at("direction"),
                Problem::DirectionConflict {
                    comparator: t.comparator.symbol().into(),
                    direction: t.direction.zh().into(),
                },
            );
        }
        if let TargetValue::Number(n) = t.value {
            if n.is_negative() {
                err(
                    out,
                    at("value"),
                    Problem::BadNumber {
                        text: n.to_string(),
                        why: NumError::Negative,
                    },
                );
            }
            if t.unit.is_percent() && bounded_rate(t.category) && n > Dec::HUNDRED {
                err(
                    out,
                    at("value"),
                    Problem::PercentOver100 {
                        what: "目标值",
                        value: n.to_string(),
                    },
                );
            }
        }
        if let Some(a) = &t.actual {
            check_actual(p, i, out);
            let _ = a;
        }
    }
}

/// Rates in these categories cannot exceed 100 % (满意度; quality rates are checked by unit).
fn bounded_rate(c: Category) -> bool {
    c == Category::Satisfaction
}

fn check_actual(p: &Project, i: usize, out: &mut Vec<Diagnostic>) {
    let t = &p.targets[i];
    let Some(a) = &t.actual else { return };
    let at = |f: &str| format!("target[{i}].actual.{f}");
    match &a.value {
        ActualValue::Number { value, unit } => {
            if t.is_qualitative() {
                err(
                    out,
                    at("value"),
                    Problem::ActualKind {
                        expected: "文字描述（定性指标用 text 字段）",
                    },
                );
            }
            if !unit.is_none() && !t.unit.is_none() && !unit.compatible(&t.unit) {
                err(
                    out,
                    at("unit"),
                    Problem::UnitMismatch {
                        target: t.unit.to_string(),
                        actual: unit.to_string(),
                    },
                );
            }
            if !unit.is_none() && t.unit.is_none() {
                err(
                    out,
                    at("unit"),
                    Problem::UnitMismatch {
                        target: "（无）".into(),
                        actual: unit.to_string(),
                    },
                );
            }
            if value.is_negative() {
                err(
                    out,
                    at("value"),
                    Problem::BadNumber {
                        text: value.to_string(),
                        why: NumError::Negative,
                    },
                );
            }
            let pct = unit.is_percent() || (unit.is_none() && t.unit.is_percent());
            if pct && bounded_rate(t.category) && *value > Dec::HUNDRED {
                err(
                    out,
                    at("value"),
                    Problem::PercentOver100 {
                        what: "实际值",
                        value: value.to_string(),
                    },
                );
            }
        }
        ActualValue::Counts {
            numerator,
            denominator,
        } => {
            if !t.unit.is_percent() {
                err(
                    out,
                    at("numerator"),
                    Problem::UnitMismatch {
                        target: t.unit.to_string(),
                        actual: "%（由 numerator/denominator 计算）".into(),
                    },
                );
            }
            if denominator.is_zero() || denominator.is_negative() {
                err(
                    out,
                    at("denominator"),
                    Problem::BadNumber {
                        text: denominator.to_string(),
                        why: NumError::Negative,
                    },
                );
            } else if numerator > denominator {
                let pct = numerator
                    .ratio(*denominator)
                    .map(|r| r.percent(2).to_string())
                    .unwrap_or_default();
                err(
                    out,
                    at("numerator"),
                    Problem::PercentOver100 {
                        what: "比率（numerator/denominator）",
                        value: pct,
                    },
                );
            }
            if numerator.is_negative() {
                err(
                    out,
                    at("numerator"),
                    Problem::BadNumber {
                        text: numerator.to_string(),
                        why: NumError::Negative,
                    },
                );
            }
        }
        ActualValue::Text(_) => {
            if !t.is_qualitative() {
                err(
                    out,
                    at("text"),
                    Problem::ActualKind {
                        expected: "数值（定量指标用 value，或 numerator 与 denominator）",
                    },
                );
            }
        }
    }
}

fn check_budget(p: &Project, out: &mut Vec<Diagnostic>) {
    let b = &p.budget;
    for (i, s) in b.spending.iter().enumerate() {
        if s.amount.fen() == 0 {
            err(
                out,
                format!("budget.spending[{i}].amount"),
                Problem::BadMoney {
                    text: "0".into(),
                    why: NumError::NotANumber,
                },
            );
        }
        if s.amount.is_negative() && s.note.is_none() {
            err(
                out,
                format!("budget.spending[{i}].amount"),
                Problem::BadMoney {
                    text: s.amount.yuan(),
                    why: NumError::Negative,
                },
            );
        }
        for (k, id) in s.targets.iter().enumerate() {
            if p.target(id).is_none() {
                err(
                    out,
                    format!("budget.spending[{i}].targets[{k}]"),
                    Problem::UnknownRef {
                        what: "目标编号",
                        key: id.clone(),
                    },
                );
            }
        }
        if let Some(d) = s.date {
            outside_year(p, d, format!("budget.spending[{i}].date"), out);
        }
    }
    for (i, r) in b.receipts.iter().enumerate() {
        if let Some(d) = r.date {
            outside_year(p, d, format!("budget.receipt[{i}].date"), out);
        }
    }
    if b.adjusted().is_negative() {
        err(
            out,
            "budget.adjustment".into(),
            Problem::BadMoney {
                text: b.adjusted().yuan(),
                why: NumError::Negative,
            },
        );
    }
    let spent = b.spent();
    if spent > b.adjusted() {
        err(
            out,
            "budget.spending".into(),
            Problem::Overspent {
                spent: spent.yuan(),
                limit: b.adjusted().yuan(),
                what: "调整后预算数",
            },
        );
    } else if !b.receipts.is_empty() && spent > b.received() {
        out.push(Diagnostic::warning(
            Some(Loc::project("budget.spending")),
            Problem::Overspent {
                spent: spent.yuan(),
                limit: b.received().yuan(),
                what: "到位资金",
            },
        ));
    }
}

fn outside_year(p: &Project, d: Date, path: String, out: &mut Vec<Diagnostic>) {
    if d.year() != p.year {
        out.push(Diagnostic::warning(
            Some(Loc::project(path)),
            Problem::DateOutsideYear {
                date: d.to_string(),
                year: p.year,
            },
        ));
    }
}

fn check_evaluation(p: &Project, out: &mut Vec<Diagnostic>) {
    let e = &p.evaluation;
    if let Some(start) = e.start
        && start.year() <= p.year
    {
        err(
            out,
            "evaluation.start".into(),
            Problem::WindowNotAfterYear {
                start: start.to_string(),
                year: p.year,
            },
        );
    }
    if let (Some(start), Some(end)) = (e.start, e.end)
        && end < start
    {
        err(
            out,
            "evaluation.end".into(),
            Problem::WindowReversed {
                start: start.to_string(),
                end: end.to_string(),
            },
        );
    }
    if let (Some(signed), Some(end)) = (e.signed, e.end)
        && signed < end
    {
        err(
            out,
            "evaluation.signed".into(),
            Problem::SignedBeforeWindowEnd {
                signed: signed.to_string(),
                end: end.to_string(),
            },
        );
    }
    for (j, jd) in e.judgments.iter().enumerate() {
        if jd.reason.as_deref().is_some_and(|r| r.trim().is_empty()) {
            err(
                out,
                format!("evaluation.judgment[{j}].reason"),
                Problem::EmptyText,
            );
        }
        let needs_reason = match &jd.verdict {
            Verdict::Share(s) => *s < Dec::HUNDRED,
            Verdict::Deduction(d) => d.centi() > 0,
            Verdict::Score(_) | Verdict::NotApplicable => false,
        };
        if needs_reason && jd.reason.is_none() {
            err(
                out,
                format!("evaluation.judgment[{j}].reason"),
                Problem::DeductionWithoutReason {
                    code: jd.subject.to_string(),
                    deduction: match &jd.verdict {
                        Verdict::Deduction(d) => d.to_string(),
                        Verdict::Share(s) => format!("（得分比例 {s}%）"),
                        _ => String::new(),
                    },
                },
            );
        }
        if let Subject::Target(id) = &jd.subject
            && p.target(id).is_none()
        {
            err(
                out,
                format!("evaluation.judgment[{j}].target"),
                Problem::UnknownRef {
                    what: "目标编号",
                    key: id.to_string(),
                },
            );
        }
    }
}

fn check_facts(p: &Project, out: &mut Vec<Diagnostic>) {
    let mut names = HashSet::new();
    for (i, f) in p.facts.iter().enumerate() {
        if !names.insert(f.name.as_str()) {
            err(
                out,
                format!("fact[{i}].name"),
                Problem::Duplicate {
                    what: "事实名称",
                    key: f.name.clone(),
                },
            );
        }
    }
}

fn check_chain(p: &Project, out: &mut Vec<Diagnostic>) {
    let chain = &p.approval_chain;
    let mut seen = HashSet::new();
    for (i, r) in chain.iter().enumerate() {
        if !seen.insert(*r) {
            err(
                out,
                format!("project.approval_chain[{i}]"),
                Problem::Duplicate {
                    what: "审批环节",
                    key: r.zh().into(),
                },
            );
        }
        if *r == Role::Cashier && i + 1 != chain.len() {
            err(
                out,
                format!("project.approval_chain[{i}]"),
                Problem::BadChoice {
                    value: "出纳（出纳只负责付款，应为最后一步，不能审批）".into(),
                    allowed: vec!["出纳 置于最后"],
                },
            );
        }
    }
}
