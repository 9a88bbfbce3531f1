//! Reads a project file (TOML) into a [`Project`]; the format is in docs/project-file.md.

use std::collections::BTreeMap;

use toml::de::DeValue;

use super::{Loaded, Reader, Tbl};
use crate::code::Code;
use crate::diag::{Origin, Problem};
use crate::num::{Dec, Money};
use crate::project::{
    Actual, ActualValue, Adjustment, Budget, Category, Claimed, Comparator, Direction, Evaluation,
    EvaluationKind, Fact, FundSource, Judgment, PolicyDoc, Project, Receipt, Role, SpendingLine,
    Subcategory, Subject, Target, TargetValue, Tier, Verdict,
};
use crate::unit::Unit;

/// Narrative section keys the report generator knows (docs/project-file.md).
pub const NARRATIVE_KEYS: &[&str] = &[
    "summary_background",
    "background",
    "preparation",
    "implementation",
    "management",
    "purpose",
    "research",
    "documents",
    "design",
    "principles",
    "methods",
    "data_collection",
    "survey",
    "analysis",
    "performance",
    "decision_analysis",
    "management_analysis",
    "performance_analysis",
    "output_analysis",
    "benefit_analysis",
    "cost_benefit",
    "experience",
    "problems",
    "suggestions",
    "other",
];

const TOP: &[&str] = &[
    "format",
    "project",
    "policy",
    "fact",
    "budget",
    "target",
    "evaluation",
    "claimed",
    "narrative",
];
const PROJECT: &[&str] = &[
    "code",
    "name",
    "year",
    "department",
    "office",
    "category",
    "nature",
    "supervisor",
    "contact",
    "start",
    "end",
    "overall_goal",
    "annual_goal",
    "approval_chain",
];
const POLICY: &[&str] = &["title", "number", "issuer"];
const FACT: &[&str] = &["name", "value", "unit", "source", "note"];
const BUDGET: &[&str] = &[
    "appropriation",
    "approval_document",
    "adjustment",
    "receipt",
    "spending",
];
const ADJUSTMENT: &[&str] = &["date", "amount", "document", "reason"];
const RECEIPT: &[&str] = &["source", "date", "amount", "note"];
const SPENDING: &[&str] = &[
    "date",
    "purpose",
    "amount",
    "payee",
    "functional_code",
    "economic_code",
    "targets",
    "note",
];
const TARGET: &[&str] = &[
    "id",
    "category",
    "subcategory",
    "name",
    "comparator",
    "value",
    "unit",
    "direction",
    "weight",
    "explanation",
    "basis",
    "actual",
];
const ACTUAL: &[&str] = &[
    "value",
    "unit",
    "numerator",
    "denominator",
    "text",
    "note",
    "deviation_reason",
    "measures",
    "evidence",
];
const EVALUATION: &[&str] = &[
    "kind",
    "framework",
    "weights",
    "names",
    "leader",
    "members",
    "start",
    "end",
    "signed",
    "cutoff",
    "principles",
    "methods",
    "limitations",
    "judgment",
];
const JUDGMENT: &[&str] = &[
    "node",
    "target",
    "score",
    "share",
    "deduction",
    "not_applicable",
    "tier",
    "reason",
    "evidence",
];
const CLAIMED: &[&str] = &["total", "grade", "nodes", "source"];

/// Reads and validates a project file.
#[must_use]
pub fn read(bytes: &[u8]) -> Loaded<Project> {
    let mut r = Reader::new(Origin::Project);
    let src = match super::decode_utf8(bytes, Origin::Project) {
        Ok(s) => s,
        Err(d) => {
            return Loaded {
                value: None,
                diagnostics: vec![*d],
                map: r.map,
            };
        }
    };
    let Some(doc) = r.parse(src) else {
        return Loaded {
            value: None,
            diagnostics: r.diags,
            map: r.map,
        };
    };
    let root = r.open(&doc, String::new(), 0..src.len(), TOP);
    let project = read_project(&mut r, &root);
    let mut diags = r.diags;
    // Cross-field checks only make sense once every field could be read: indices and
    // references would otherwise point at the wrong entries.
    if let Some(p) = &project
        && !crate::diag::has_errors(&diags)
    {
        diags.extend(crate::validate::validate_project(p));
    }
    Loaded {
        value: project,
        diagnostics: diags,
        map: r.map,
    }
}

fn read_project(r: &mut Reader, root: &Tbl<'_, '_>) -> Option<Project> {
    if let Some(v) = r.opt_int(root, "format")
        && v != 1
    {
        r.error(
            "format",
            Problem::BadChoice {
                value: v.to_string(),
                allowed: vec!["1"],
            },
        );
    }
    let Some(pt) = r.opt_table(root, "project", PROJECT) else {
        if !Reader::has(root, "project") {
            r.missing(root, "project");
        }
        return None;
    };
    let name = r.req_str(&pt, "name").unwrap_or_default();
    let year = r.req_int(&pt, "year");
    if let Some(y) = year
        && !(1990..=2100).contains(&y)
    {
        r.error(
            "project.year",
            Problem::BadNumber {
                text: y.to_string(),
                why: crate::num::NumError::TooLarge,
            },
        );
    }
    let approval_chain = read_chain(r, &pt);
    let mut p = Project {
        code: r.opt_str(&pt, "code").unwrap_or_default(),
        name,
        year: year.and_then(|y| i32::try_from(y).ok()).unwrap_or(0),
        department: r.req_str(&pt, "department").unwrap_or_default(),
        office: r.opt_str(&pt, "office"),
        category: r.opt_str(&pt, "category"),
        nature: r.opt_str(&pt, "nature"),
        supervisor: r.opt_str(&pt, "supervisor"),
        contact: r.opt_str(&pt, "contact"),
        start: r.opt_date(&pt, "start"),
        end: r.opt_date(&pt, "end"),
        overall_goal: r.opt_str(&pt, "overall_goal"),
        annual_goal: r.opt_str(&pt, "annual_goal"),
        approval_chain,
        ..Project::default()
    };
    for t in r.tables(root, "policy", POLICY) {
        if let Some(title) = r.req_str(&t, "title") {
            p.policy_basis.push(PolicyDoc {
                title,
                number: r.opt_str(&t, "number"),
                issuer: r.opt_str(&t, "issuer"),
            });
        }
    }
    for t in r.tables(root, "fact", FACT) {
        let name = r.req_str(&t, "name");
        let value = r.req_dec(&t, "value");
        let unit = Unit::parse(&r.opt_str(&t, "unit").unwrap_or_default());
        if let (Some(name), Some(value)) = (name, value) {
            p.facts.push(Fact {
                name,
                value,
                unit,
                source: r.opt_str(&t, "source"),
                note: r.opt_str(&t, "note"),
            });
        }
    }
    if let Some(bt) = r.opt_table(root, "budget", BUDGET) {
        p.budget = read_budget(r, &bt);
    } else if !Reader::has(root, "budget") {
        r.missing(root, "budget");
    }
    for t in r.tables(root, "target", TARGET) {
        if let Some(target) = read_target(r, &t) {
            p.targets.push(target);
        }
    }
    if let Some(et) = r.opt_table(root, "evaluation", EVALUATION) {
        p.evaluation = read_evaluation(r, &et);
    }
    if let Some(ct) = r.opt_table(root, "claimed", CLAIMED) {
        p.claimed = read_claimed(r, &ct);
    }
    if let Some(nt) = r.opt_table(root, "narrative", NARRATIVE_KEYS) {
        for key in NARRATIVE_KEYS {
            if let Some(text) = r.opt_str(&nt, key) {
                p.narrative.insert((*key).to_owned(), text);
            }
        }
    }
    Some(p)
}

fn read_chain(r: &mut Reader, pt: &Tbl<'_, '_>) -> Vec<Role> {
    let names = r.str_list(pt, "approval_chain");
    let mut out = Vec::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        match Role::parse(n) {
            Some(role) => out.push(role),
            None => r.error(
                &format!("project.approval_chain[{i}]"),
                Problem::BadChoice {
                    value: n.clone(),
                    allowed: Role::NAMES.to_vec(),
                },
            ),
        }
    }
    out
}

fn read_budget(r: &mut Reader, bt: &Tbl<'_, '_>) -> Budget {
    let mut b = Budget {
        appropriation: r
            .req_money(bt, "appropriation", false)
            .unwrap_or(Money::ZERO),
        approval_document: r.opt_str(bt, "approval_document"),
        ..Budget::default()
    };
    for t in r.tables(bt, "adjustment", ADJUSTMENT) {
        if let Some(amount) = r.req_money(&t, "amount", true) {
            b.adjustments.push(Adjustment {
                date: r.opt_date(&t, "date"),
                amount,
                document: r.opt_str(&t, "document"),
                reason: r.opt_str(&t, "reason"),
            });
        }
    }
    for t in r.tables(bt, "receipt", RECEIPT) {
        let source = r
            .opt_choice(&t, "source", FundSource::parse, FundSource::NAMES)
            .unwrap_or(FundSource::Appropriation);
        if let Some(amount) = r.req_money(&t, "amount", false) {
            b.receipts.push(Receipt {
                source,
                date: r.opt_date(&t, "date"),
                amount,
                note: r.opt_str(&t, "note"),
            });
        }
    }
    for t in r.tables(bt, "spending", SPENDING) {
        let purpose = r.req_str(&t, "purpose");
        let amount = r.req_money(&t, "amount", true);
        if let (Some(purpose), Some(amount)) = (purpose, amount) {
            b.spending.push(SpendingLine {
                date: r.opt_date(&t, "date"),
                purpose,
                amount,
                payee: r.opt_str(&t, "payee"),
                functional_code: r.opt_str(&t, "functional_code"),
                economic_code: r.opt_str(&t, "economic_code"),
                targets: r.str_list(&t, "targets"),
                note: r.opt_str(&t, "note"),
            });
        }
    }
    b
}

fn read_target(r: &mut Reader, t: &Tbl<'_, '_>) -> Option<Target> {
    let id = r.req_str(t, "id");
    let category = r.req_choice(t, "category", Category::parse, Category::NAMES);
    let subcategory = r.req_choice(t, "subcategory", Subcategory::parse, Subcategory::NAMES);
    let name = r.req_str(t, "name");
    let comparator = r.req_choice(t, "comparator", Comparator::parse, Comparator::NAMES);
    let unit = Unit::parse(&r.opt_str(t, "unit").unwrap_or_default());
    let direction = r.opt_choice(t, "direction", Direction::parse, Direction::NAMES);
    let weight = r.opt_points(t, "weight");
    let value_path = format!("{}.value", t.path);
    let value = match t.t.get("value").map(toml::Spanned::get_ref) {
        None => {
            r.missing(t, "value");
            None
        }
        Some(DeValue::String(s)) => {
            r.map.spans.insert(value_path.clone(), t.t["value"].span());
            let s = s.trim();
            match Dec::parse(s.trim_end_matches(['%', '％'])) {
                Ok(d) if comparator != Some(Comparator::Qualitative) => {
                    Some(TargetValue::Number(d))
                }
                _ if s.is_empty() => {
                    r.error(&value_path, Problem::EmptyText);
                    None
                }
                _ => Some(TargetValue::Text(s.to_owned())),
            }
        }
        Some(_) => r.opt_dec(t, "value").map(TargetValue::Number),
    };
    let actual = read_actual(r, t);
    let (Some(id), Some(category), Some(subcategory), Some(name), Some(comparator), Some(value)) =
        (id, category, subcategory, name, comparator, value)
    else {
        return None;
    };
    Some(Target {
        id: id.into(),
        category,
        subcategory,
        name,
        comparator,
        value,
        direction: direction.unwrap_or_else(|| comparator.implied_direction()),
        unit,
        weight,
        explanation: r.opt_str(t, "explanation"),
        basis: r.opt_str(t, "basis"),
        actual,
    })
}

fn read_actual(r: &mut Reader, t: &Tbl<'_, '_>) -> Option<Actual> {
    let at = r.opt_table(t, "actual", ACTUAL)?;
    let has_value = Reader::has(&at, "value");
    let has_counts = Reader::has(&at, "numerator") || Reader::has(&at, "denominator");
    let has_text = Reader::has(&at, "text");
    if usize::from(has_value) + usize::from(has_counts) + usize::from(has_text) != 1 {
        r.error(
            &at.path,
            Problem::MissingField {
                field: format!(
                    "{}.value（或 numerator 与 denominator，或 text，三者取一）",
                    at.path
                ),
            },
        );
        return None;
    }
    let value = if has_value {
        let v = r.opt_dec(&at, "value")?;
        let unit = Unit::parse(&r.opt_str(&at, "unit").unwrap_or_default());
        ActualValue::Number { value: v, unit }
    } else if has_counts {
        let n = r.req_dec(&at, "numerator");
        let d = r.req_dec(&at, "denominator");
        ActualValue::Counts {
            numerator: n?,
            denominator: d?,
        }
    } else {
        ActualValue::Text(r.req_str(&at, "text")?)
    };
    Some(Actual {
        value,
        note: r.opt_str(&at, "note"),
        deviation_reason: r.opt_str(&at, "deviation_reason"),
        measures: r.opt_str(&at, "measures"),
        evidence: r.str_list(&at, "evidence"),
    })
}

fn read_evaluation(r: &mut Reader, et: &Tbl<'_, '_>) -> Evaluation {
    let mut e = Evaluation {
        kind: r.opt_choice(et, "kind", EvaluationKind::parse, EvaluationKind::NAMES),
        framework: r.opt_str(et, "framework"),
        leader: r.opt_str(et, "leader"),
        members: r.str_list(et, "members"),
        start: r.opt_date(et, "start"),
        end: r.opt_date(et, "end"),
        signed: r.opt_date(et, "signed"),
        cutoff: r.opt_date(et, "cutoff"),
        principles: r.str_list(et, "principles"),
        methods: r.str_list(et, "methods"),
        limitations: r.opt_str(et, "limitations"),
        ..Evaluation::default()
    };
    if let Some(wt) = r.opt_table_free(et, "weights") {
        for (code, p, v) in r.entries(&wt) {
            if let Some(pt) = r.entry_points(&p, v.get_ref()) {
                e.weights.insert(code, pt);
            }
        }
    }
    if let Some(nt) = r.opt_table_free(et, "names") {
        for (code, p, v) in r.entries(&nt) {
            match v.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => {
                    e.names.insert(code, s.trim().to_owned());
                }
                _ => r.error(
                    &p,
                    Problem::WrongType {
                        expected: crate::diag::ValueKind::Text,
                    },
                ),
            }
        }
    }
    for jt in r.tables(et, "judgment", JUDGMENT) {
        if let Some(j) = read_judgment(r, &jt) {
            e.judgments.push(j);
        } else {
            // Keep indices aligned with the file so later locations stay right.
            e.judgments.push(Judgment {
                subject: Subject::Node(Code::default()),
                verdict: Verdict::NotApplicable,
                tier: None,
                reason: None,
                evidence: Vec::new(),
            });
        }
    }
    e
}

fn read_judgment(r: &mut Reader, jt: &Tbl<'_, '_>) -> Option<Judgment> {
    let node = r.opt_str(jt, "node");
    let target = r.opt_str(jt, "target");
    let subject = match (node, target) {
        (Some(n), None) => Subject::Node(n.into()),
        (None, Some(t)) => Subject::Target(t.into()),
        _ => {
            r.error(
                &jt.path,
                Problem::MissingField {
                    field: format!("{}.node 或 {}.target（二者取一）", jt.path, jt.path),
                },
            );
            return None;
        }
    };
    let mut verdicts = Vec::new();
    if Reader::has(jt, "score") {
        verdicts.push(r.opt_points(jt, "score").map(Verdict::Score));
    }
    if Reader::has(jt, "share") {
        verdicts.push(r.opt_percent(jt, "share", "得分比例").map(Verdict::Share));
    }
    if Reader::has(jt, "deduction") {
        verdicts.push(r.opt_points(jt, "deduction").map(Verdict::Deduction));
    }
    if Reader::has(jt, "not_applicable") {
        verdicts.push(
            r.opt_bool(jt, "not_applicable")
                .filter(|b| *b)
                .map(|_| Verdict::NotApplicable),
        );
    }
    if verdicts.len() != 1 {
        r.error(
            &jt.path,
            Problem::MissingField {
                field: format!(
                    "{}.score、share、deduction 或 not_applicable（四者取一）",
                    jt.path
                ),
            },
        );
        return None;
    }
    let verdict = verdicts.pop().flatten()?;
    Some(Judgment {
        subject,
        verdict,
        tier: r.opt_choice(jt, "tier", Tier::parse, Tier::NAMES),
        reason: r.opt_str(jt, "reason"),
        evidence: r.str_list(jt, "evidence"),
    })
}

fn read_claimed(r: &mut Reader, ct: &Tbl<'_, '_>) -> Claimed {
    let mut c = Claimed {
        total: r.opt_points(ct, "total"),
        grade: r.opt_str(ct, "grade"),
        source: r.opt_str(ct, "source"),
        nodes: BTreeMap::new(),
    };
    if let Some(nt) = r.opt_table_free(ct, "nodes") {
        for (code, p, v) in r.entries(&nt) {
            if let Some(pt) = r.entry_points(&p, v.get_ref()) {
                c.nodes.insert(code, pt);
            }
        }
    }
    c
}

impl Reader {
    /// A sub-table whose keys are free (a map from codes to values).
    fn opt_table_free<'a, 'i>(&mut self, tbl: &Tbl<'a, 'i>, key: &str) -> Option<Tbl<'a, 'i>> {
        let (p, v) = self.get(tbl, key)?;
        if let DeValue::Table(t) = v.get_ref() {
            self.map.spans.insert(p.clone(), v.span());
            Some(Tbl {
                t,
                path: p,
                span: v.span(),
            })
        } else {
            self.wrong(&p, crate::diag::ValueKind::Table);
            None
        }
    }
}
