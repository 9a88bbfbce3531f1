//! Reads a framework file (TOML) into a [`Framework`]; the format is in docs/frameworks.md.

use std::collections::HashMap;

use toml::de::DeValue;

use super::{Loaded, Reader, Tbl};
use crate::diag::{Origin, Problem, ValueKind};
use crate::framework::{
    Band, Constraint, Denominator, Framework, FwNode, Grades, Measure, NodeKind, RateRule, Rules,
    Slot, Split, Step,
};
use crate::num::{Dec, Points};
use crate::project::{Category, Subcategory, Tier};

const TOP: &[&str] = &["framework", "rules", "grade", "constraint", "node"];
const HEAD: &[&str] = &["name", "title", "description", "total"];
const RULES: &[&str] = &[
    "execution_denominator",
    "over_achievement",
    "unscored_share",
    "execution_gap",
    "tiers",
];
const GRADE: &[&str] = &["name", "min"];
const CONSTRAINT: &[&str] = &["codes", "min", "source"];
const NODE: &[&str] = &[
    "code",
    "name",
    "parent",
    "weight",
    "kind",
    "explanation",
    "criteria",
    "source",
    "measure",
    "denominator",
    "steps",
    "below",
    "categories",
    "subcategories",
    "split",
    "group",
    "group_names",
];
const STEP: &[&str] = &["min", "share"];
const KINDS: &[&str] = &[
    "分组", "评分", "计算", "目标", "group", "judged", "computed", "slot",
];

/// Reads and validates a framework file.
#[must_use]
pub fn read(bytes: &[u8]) -> Loaded<Framework> {
    let mut r = Reader::new(Origin::Framework);
    let src = match super::decode_utf8(bytes, Origin::Framework) {
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
    let fw = read_framework(&mut r, &root);
    Loaded {
        value: fw,
        diagnostics: r.diags,
        map: r.map,
    }
}

fn read_framework(r: &mut Reader, root: &Tbl<'_, '_>) -> Option<Framework> {
    let Some(head) = r.opt_table(root, "framework", HEAD) else {
        r.missing(root, "framework");
        return None;
    };
    let name = r.req_str(&head, "name").unwrap_or_default();
    let title = r.opt_str(&head, "title").unwrap_or_else(|| name.clone());
    let description = r.opt_str(&head, "description");
    let total = r.opt_points(&head, "total").unwrap_or(Points::whole(100));
    let rules = r
        .opt_table(root, "rules", RULES)
        .map(|t| read_rules(r, &t))
        .unwrap_or_default();
    let grades = read_grades(r, root);
    let constraints = r
        .tables(root, "constraint", CONSTRAINT)
        .iter()
        .filter_map(|t| {
            let codes = r.str_list(t, "codes");
            let min = r.opt_points(t, "min")?;
            Some(Constraint {
                codes,
                min,
                source: r.opt_str(t, "source"),
            })
        })
        .collect::<Vec<_>>();
    let tables = r.tables(root, "node", NODE);
    if tables.is_empty() {
        r.missing(root, "node");
        return None;
    }
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut codes = Vec::with_capacity(tables.len());
    for (i, t) in tables.iter().enumerate() {
        let code = r.req_str(t, "code").unwrap_or_default();
        if !code.is_empty() && index.insert(code.clone(), i).is_some() {
            r.error(
                &format!("{}.code", t.path),
                Problem::Duplicate {
                    what: "指标编码",
                    key: code.clone(),
                },
            );
        }
        codes.push(code);
    }
    let mut nodes = Vec::with_capacity(tables.len());
    let mut has_children = vec![false; tables.len()];
    let mut parents = vec![None; tables.len()];
    for (i, t) in tables.iter().enumerate() {
        if let Some(p) = r.opt_str(t, "parent") {
            match index.get(&p) {
                Some(&pi) => {
                    parents[i] = Some(pi);
                    has_children[pi] = true;
                }
                None => r.error(
                    &format!("{}.parent", t.path),
                    Problem::UnknownRef {
                        what: "上级指标编码",
                        key: p,
                    },
                ),
            }
        }
    }
    for (i, t) in tables.iter().enumerate() {
        let kind = read_kind(r, t, has_children[i]);
        nodes.push(FwNode {
            code: codes[i].clone(),
            name: r.req_str(t, "name").unwrap_or_default(),
            parent: parents[i],
            weight: r.opt_points(t, "weight"),
            kind,
            explanation: r.opt_str(t, "explanation"),
            criteria: r.opt_str(t, "criteria"),
            source: r.opt_str(t, "source"),
        });
    }
    check_cycles(r, &tables, &parents);
    if crate::diag::has_errors(&r.diags) {
        return None;
    }
    let mut fw = Framework::new(name, title, total, nodes, rules, grades);
    fw.description = description;
    fw.constraints = constraints;
    check_static(r, &fw, &tables);
    Some(fw)
}

fn read_rules(r: &mut Reader, t: &Tbl<'_, '_>) -> Rules {
    let mut rules = Rules::default();
    if let Some(d) = r.opt_choice(
        t,
        "execution_denominator",
        Denominator::parse,
        Denominator::NAMES,
    ) {
        rules.execution_denominator = d;
    }
    if let Some(v) = r.opt_dec(t, "over_achievement") {
        rules.over_achievement = v;
    }
    if let Some(v) = r.opt_percent(t, "unscored_share", "未评分指标的得分比例") {
        rules.unscored_share = v;
    }
    if let Some(v) = r.opt_percent(t, "execution_gap", "双高/双低差距阈值") {
        rules.execution_gap = v;
    }
    if let Some(tt) = r.opt_table(t, "tiers", Tier::NAMES) {
        for (k, tier) in Tier::ALL.iter().enumerate() {
            let key = Tier::NAMES[k];
            let Some((p, v)) = r.get(&tt, key) else {
                continue;
            };
            let band = match v.get_ref() {
                DeValue::Array(a) if a.len() == 2 => {
                    let lo = r.number_text(&p, a[0].get_ref(), ValueKind::Number);
                    let hi = r.number_text(&p, a[1].get_ref(), ValueKind::Number);
                    match (
                        lo.and_then(|s| Dec::parse(&s).ok()),
                        hi.and_then(|s| Dec::parse(&s).ok()),
                    ) {
                        (Some(low), Some(high))
                            if !low.is_negative() && low <= high && high <= Dec::HUNDRED =>
                        {
                            Some(Band { low, high })
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            match band {
                Some(b) => rules.tiers[k] = (*tier, b),
                None => r.error(
                    &p,
                    Problem::BadBands {
                        why: format!("“{key}”应为 [下限, 上限]，0 ≤ 下限 ≤ 上限 ≤ 100"),
                    },
                ),
            }
        }
    }
    rules
}

fn read_grades(r: &mut Reader, root: &Tbl<'_, '_>) -> Grades {
    let tables = r.tables(root, "grade", GRADE);
    if tables.is_empty() {
        return Grades::standard();
    }
    let mut bands = Vec::new();
    for t in &tables {
        let name = r.req_str(t, "name");
        let min = r.opt_points(t, "min");
        if let (Some(n), Some(m)) = (name, min) {
            bands.push((n, m));
        } else if !Reader::has(t, "min") {
            r.missing(t, "min");
        }
    }
    let sorted = bands.windows(2).all(|w| w[0].1 > w[1].1);
    if !sorted {
        r.error(
            "grade",
            Problem::BadBands {
                why: "等级须按分数线从高到低排列，且分数线互不相同".into(),
            },
        );
    } else if bands.last().is_some_and(|(_, m)| *m != Points::ZERO) {
        r.error(
            "grade",
            Problem::BadBands {
                why: "最低一档的分数线应为 0，否则低分没有等级".into(),
            },
        );
    }
    Grades { bands }
}

fn read_kind(r: &mut Reader, t: &Tbl<'_, '_>, has_children: bool) -> NodeKind {
    let explicit = r.opt_choice(
        t,
        "kind",
        |s| KINDS.iter().position(|k| *k == s).map(|i| i % 4),
        KINDS,
    );
    let inferred = if Reader::has(t, "measure") {
        2
    } else if Reader::has(t, "categories") {
        3
    } else if has_children {
        0
    } else {
        1
    };
    let kind = explicit.unwrap_or(inferred);
    match kind {
        0 => NodeKind::Group,
        2 => {
            let measure = r
                .req_choice(t, "measure", Measure::parse, Measure::NAMES)
                .unwrap_or(Measure::ExecutionRate);
            let denominator =
                r.opt_choice(t, "denominator", Denominator::parse, Denominator::NAMES);
            let steps: Vec<Step> = r
                .tables(t, "steps", STEP)
                .iter()
                .filter_map(|st| {
                    let min = r.opt_percent(st, "min", "分档下限")?;
                    let share = r.opt_percent(st, "share", "得分比例")?;
                    Some(Step { min, share })
                })
                .collect();
            let below = r.opt_choice(
                t,
                "below",
                |s| match s {
                    "线性" | "linear" => Some(true),
                    "零分" | "zero" => Some(false),
                    _ => None,
                },
                &["线性", "零分"],
            );
            let rule = if steps.is_empty() {
                RateRule::Linear
            } else {
                if !steps.windows(2).all(|w| w[0].min > w[1].min) {
                    r.error(
                        &format!("{}.steps", t.path),
                        Problem::BadBands {
                            why: "分档须按下限从高到低排列".into(),
                        },
                    );
                }
                RateRule::Tiered {
                    steps,
                    linear_below: below.unwrap_or(true),
                }
            };
            NodeKind::Computed {
                measure,
                rule,
                denominator,
            }
        }
        3 => NodeKind::Slot(read_slot(r, t)),
        _ => NodeKind::Judged,
    }
}

fn read_slot(r: &mut Reader, t: &Tbl<'_, '_>) -> Slot {
    let mut categories = Vec::new();
    for (i, c) in r.str_list(t, "categories").iter().enumerate() {
        match Category::parse(c) {
            Some(c) => categories.push(c),
            None => r.error(
                &format!("{}.categories[{i}]", t.path),
                Problem::BadChoice {
                    value: c.clone(),
                    allowed: Category::NAMES.to_vec(),
                },
            ),
        }
    }
    if categories.is_empty() && !Reader::has(t, "categories") {
        r.missing(t, "categories");
    }
    let mut subcategories = Vec::new();
    for (i, s) in r.str_list(t, "subcategories").iter().enumerate() {
        match Subcategory::parse(s) {
            Some(s) => subcategories.push(s),
            None => r.error(
                &format!("{}.subcategories[{i}]", t.path),
                Problem::BadChoice {
                    value: s.clone(),
                    allowed: Subcategory::NAMES.to_vec(),
                },
            ),
        }
    }
    let split = r
        .opt_choice(t, "split", Split::parse, Split::NAMES)
        .unwrap_or(Split::Even);
    let group = r.opt_bool(t, "group").unwrap_or(false);
    let mut group_names = Vec::new();
    if let Some(gt) = r.opt_table(t, "group_names", Subcategory::NAMES) {
        for (k, s) in Subcategory::ALL.iter().enumerate() {
            if let Some(n) = r.opt_str(&gt, Subcategory::NAMES[k]) {
                group_names.push((*s, n));
            }
        }
    }
    if split == Split::EvenPerGroup && !group {
        r.error(
            &format!("{}.split", t.path),
            Problem::BadChoice {
                value: "按二级平均".into(),
                allowed: vec!["平均", "目标表权重（按二级平均须同时设 group = true）"],
            },
        );
    }
    Slot {
        categories,
        subcategories,
        split,
        group,
        group_names,
    }
}

fn check_cycles(r: &mut Reader, tables: &[Tbl<'_, '_>], parents: &[Option<usize>]) {
    for (i, t) in tables.iter().enumerate() {
        let mut p = parents[i];
        let mut steps = 0;
        while let Some(q) = p {
            steps += 1;
            if q == i || steps > parents.len() {
                r.error(
                    &format!("{}.parent", t.path),
                    Problem::BadTree {
                        code: String::new(),
                        why: "上级指标形成了循环",
                    },
                );
                break;
            }
            p = parents[q];
        }
    }
}

/// Checks on the assembled tree that need no project: weights adding up where all are set,
/// leaves of the right kind, slots that do not overlap, codes generated under slots that
/// cannot collide with fixed codes.
fn check_static(r: &mut Reader, fw: &Framework, tables: &[Tbl<'_, '_>]) {
    let all_weighted = fw.nodes.iter().all(|n| n.weight.is_some());
    for (i, n) in fw.nodes.iter().enumerate() {
        let path = &tables[i].path;
        let kids = fw.children(i);
        if let Some(w) = n.weight
            && w.centi() <= 0
        {
            r.error(
                &format!("{path}.weight"),
                Problem::NonPositiveWeight {
                    code: n.code.clone(),
                    value: w.to_string(),
                },
            );
        }
        match &n.kind {
            NodeKind::Slot(_) if !kids.is_empty() => r.error(
                &format!("{path}.categories"),
                Problem::BadTree {
                    code: n.code.clone(),
                    why: "目标指标位置（slot）不能再有固定的下级指标",
                },
            ),
            NodeKind::Computed { .. } | NodeKind::Judged if !kids.is_empty() => r.error(
                &format!("{path}.kind"),
                Problem::BadTree {
                    code: n.code.clone(),
                    why: "有下级指标的节点只能是分组",
                },
            ),
            NodeKind::Group if kids.is_empty() => r.error(
                &format!("{path}.kind"),
                Problem::BadTree {
                    code: n.code.clone(),
                    why: "分组节点没有下级指标",
                },
            ),
            _ => {}
        }
        if !kids.is_empty()
            && kids.iter().all(|&k| fw.nodes[k].weight.is_some())
            && let Some(w) = n.weight
        {
            let sum: Points = kids.iter().filter_map(|&k| fw.nodes[k].weight).sum();
            if sum != w {
                r.error(
                    &format!("{path}.weight"),
                    Problem::WeightsDontSum {
                        code: n.code.clone(),
                        expected: w.to_string(),
                        actual: sum.to_string(),
                    },
                );
            }
        }
        if let NodeKind::Slot(_) = n.kind {
            for (k, other) in fw.nodes.iter().enumerate() {
                let rest = other.code.strip_prefix(n.code.as_str());
                if k != i
                    && rest.is_some_and(|s| {
                        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '-')
                    })
                {
                    r.error(
                        &format!("{}.code", tables[k].path),
                        Problem::BadTree {
                            code: other.code.clone(),
                            why: "编码与目标指标位置自动生成的下级编码冲突（位置编码后接数字）",
                        },
                    );
                }
            }
        }
    }
    if all_weighted {
        let sum: Points = fw.roots().iter().filter_map(|&i| fw.nodes[i].weight).sum();
        if sum != fw.total {
            r.error(
                "framework.total",
                Problem::WeightsDontSum {
                    code: "总分".into(),
                    expected: fw.total.to_string(),
                    actual: sum.to_string(),
                },
            );
        }
    }
    // Two slots taking the same category and sub-category would count a target twice.
    let slots: Vec<(usize, &Slot)> = fw
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match &n.kind {
            NodeKind::Slot(s) => Some((i, s)),
            _ => None,
        })
        .collect();
    for (a, (ia, sa)) in slots.iter().enumerate() {
        for (ib, sb) in &slots[a + 1..] {
            let overlap = Category::ALL.iter().any(|c| {
                Subcategory::ALL
                    .iter()
                    .any(|s| s.belongs_to(*c) && sa.takes(*c, *s) && sb.takes(*c, *s))
            });
            if overlap {
                r.error(
                    &format!("{}.categories", tables[*ib].path),
                    Problem::BadTree {
                        code: fw.nodes[*ib].code.clone(),
                        why: "与另一目标指标位置收录的类别重叠，同一目标会被计分两次",
                    },
                );
                let _ = ia;
            }
        }
    }
}
