//! The score sheet: a scored tree as plain strings, for text, JSON and reports.
//!
//! Every number is rendered once here, rounded half-up to two decimals, so the CLI, the
//! JSON API and the generated documents print the same figures.

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::framework::{Denominator, Measure, NodeKind, RateRule};
use crate::num::{Money, Points, Ratio};
use crate::project::{ActualValue, Verdict};
use crate::scoring::{NodeOrigin, Scored, Status, actual_in_target_unit};

/// The whole sheet.
#[derive(Clone, Debug, Serialize)]
pub struct Sheet {
    /// Project identity.
    pub project: SheetProject,
    /// Framework name.
    pub framework: String,
    /// Total score.
    pub total: String,
    /// Grade.
    pub grade: String,
    /// The unit's own claimed total, if recorded.
    pub claimed_total: Option<String>,
    /// The unit's own claimed grade, if recorded.
    pub claimed_grade: Option<String>,
    /// Budget figures.
    pub budget: SheetBudget,
    /// Level-1 nodes with their subtrees.
    pub nodes: Vec<SheetNode>,
    /// Leaves scored by the fallback rule (无佐证/未评分).
    pub unscored: Vec<SheetUnscored>,
    /// Warnings.
    pub warnings: Vec<SheetWarning>,
}

/// Project identity.
#[derive(Clone, Debug, Serialize)]
pub struct SheetProject {
    /// Name.
    pub name: String,
    /// Fiscal year.
    pub year: i32,
    /// Code, if any.
    pub code: Option<String>,
    /// Department.
    pub department: String,
}

/// Budget figures in yuan with two decimals, rates in percent without the sign.
#[derive(Clone, Debug, Serialize)]
pub struct SheetBudget {
    /// 年初预算数.
    pub appropriation_yuan: String,
    /// 调整后预算数.
    pub adjusted_yuan: String,
    /// 到位资金.
    pub received_yuan: String,
    /// 支出.
    pub spent_yuan: String,
    /// 结转结余.
    pub unspent_yuan: String,
    /// 预算执行率 = 支出 / 调整后预算数.
    pub execution_rate: Option<String>,
    /// 资金到位率 = 到位资金 / 调整后预算数.
    pub received_rate: Option<String>,
}

/// One node.
#[derive(Clone, Debug, Serialize)]
pub struct SheetNode {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// 权重.
    pub weight: String,
    /// 得分.
    pub score: String,
    /// 扣分.
    pub deduction: String,
    /// 得分率, percent (null for a zero weight).
    pub rate: Option<String>,
    /// How the score came about, and every deduction's reason.
    pub reasons: Vec<String>,
    /// The unit's claimed score for this node, if recorded.
    pub claimed: Option<String>,
    /// Children.
    pub children: Vec<SheetNode>,
}

/// A leaf without a real score.
#[derive(Clone, Debug, Serialize)]
pub struct SheetUnscored {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// 无佐证, 未评分 or 无法计算.
    pub status: String,
    /// Weight.
    pub weight: String,
    /// Score given by the fallback rule.
    pub score: String,
}

/// A warning.
#[derive(Clone, Debug, Serialize)]
pub struct SheetWarning {
    /// Stable id.
    pub id: String,
    /// Chinese message.
    pub message: String,
    /// Field path in the input, when known.
    pub at: Option<String>,
}

fn rate_str(r: Option<Ratio>) -> Option<String> {
    r.map(|r| r.percent(2).to_string())
}

impl Sheet {
    /// Builds the sheet of a scored project.
    #[must_use]
    pub fn new(s: &Scored<'_>) -> Sheet {
        let p = s.project;
        let b = &p.budget;
        let nodes = s.children(None).map(|i| node(s, i)).collect();
        let mut unscored = Vec::new();
        for i in 0..s.nodes.len() {
            if let Status::Unscored(u) = s.nodes[i].status {
                unscored.push(SheetUnscored {
                    code: s.code(i).into_owned(),
                    name: s.name(i).into_owned(),
                    status: u.zh().to_owned(),
                    weight: s.nodes[i].weight.to_string(),
                    score: s.nodes[i].score.to_string(),
                });
            }
        }
        Sheet {
            project: SheetProject {
                name: p.name.clone(),
                year: p.year,
                code: (!p.code.is_empty()).then(|| p.code.clone()),
                department: p.department.clone(),
            },
            framework: s.framework.name.clone(),
            total: s.total.to_string(),
            grade: s.grade().to_owned(),
            claimed_total: p.claimed.total.map(|t| t.to_string()),
            claimed_grade: p.claimed.grade.clone(),
            budget: SheetBudget {
                appropriation_yuan: b.appropriation.yuan(),
                adjusted_yuan: b.adjusted().yuan(),
                received_yuan: b.received().yuan(),
                spent_yuan: b.spent().yuan(),
                unspent_yuan: b.unspent().yuan(),
                execution_rate: rate_str(b.spent().ratio_to(b.adjusted())),
                received_rate: rate_str(b.received().ratio_to(b.adjusted())),
            },
            nodes,
            unscored,
            warnings: s
                .diagnostics()
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .map(warning)
                .collect(),
        }
    }

    /// Claimed scores that differ from the computed ones: (code, name, claimed, computed).
    #[must_use]
    pub fn claim_differences(&self) -> Vec<(String, String, String, String)> {
        let mut out = Vec::new();
        fn walk(n: &SheetNode, out: &mut Vec<(String, String, String, String)>) {
            if let Some(c) = &n.claimed
                && *c != n.score
            {
                out.push((n.code.clone(), n.name.clone(), c.clone(), n.score.clone()));
            }
            n.children.iter().for_each(|c| walk(c, out));
        }
        self.nodes.iter().for_each(|n| walk(n, &mut out));
        if let Some(c) = &self.claimed_total
            && *c != self.total
        {
            out.push(("总分".into(), "合计".into(), c.clone(), self.total.clone()));
        }
        out
    }
}

fn warning(d: &Diagnostic) -> SheetWarning {
    SheetWarning {
        id: d.problem.id().to_owned(),
        message: d.problem.to_string(),
        at: d.at.as_ref().map(|l| l.path.clone()),
    }
}

fn node(s: &Scored<'_>, i: usize) -> SheetNode {
    let n = &s.nodes[i];
    let code = s.code(i).into_owned();
    SheetNode {
        claimed: s.project.claimed.nodes.get(&code).map(ToString::to_string),
        code,
        name: s.name(i).into_owned(),
        weight: n.weight.to_string(),
        score: n.score.to_string(),
        deduction: n.deduction().to_string(),
        rate: rate_str(n.score_rate()),
        reasons: reasons(s, i),
        children: s.children(Some(i)).map(|c| node(s, c)).collect(),
    }
}

fn yuan(m: Money) -> String {
    format!("{}元", m.yuan())
}

/// Explains a node's score in words: the formula with its inputs, or the judgment's reason.
#[must_use]
pub fn reasons(s: &Scored<'_>, i: usize) -> Vec<String> {
    let n = &s.nodes[i];
    let mut out = Vec::new();
    let judgment = n
        .judgment
        .and_then(|j| s.project.evaluation.judgments.get(usize::from(j)));
    match n.status {
        Status::Sum => {}
        Status::NotApplicable => {
            out.push("不适用，权重已按比例分配给同级指标".into());
        }
        Status::Unscored(u) => {
            let what = match u {
                crate::scoring::Unscored::NoEvidence => "未填报实际完成值",
                crate::scoring::Unscored::Unjudged => "评价小组尚未评分",
                crate::scoring::Unscored::Undefined => "缺少计算所需的预算数据",
            };
            out.push(format!("{}：{what}，按规则计 {} 分", u.zh(), n.score));
        }
        Status::Computed => {
            if let NodeOrigin::Framework(f) = n.origin
                && let NodeKind::Computed {
                    measure,
                    rule,
                    denominator,
                } = &s.framework.nodes[f as usize].kind
            {
                let b = &s.project.budget;
                let rate = s
                    .rate(i)
                    .map(|r| r.percent(2).to_string())
                    .unwrap_or_default();
                let formula = match measure {
                    Measure::ExecutionRate => {
                        let d = denominator.unwrap_or(s.framework.rules.execution_denominator);
                        let den = match d {
                            Denominator::AdjustedBudget => b.adjusted(),
                            Denominator::Appropriation => b.appropriation,
                            Denominator::Received => b.received(),
                        };
                        format!(
                            "预算执行率 = 支出 {} ÷ {} {} = {rate}%",
                            yuan(b.spent()),
                            d.zh(),
                            yuan(den)
                        )
                    }
                    Measure::FundsReceivedRate => format!(
                        "资金到位率 = 到位资金 {} ÷ 调整后预算数 {} = {rate}%",
                        yuan(b.received()),
                        yuan(b.adjusted())
                    ),
                };
                out.push(formula);
                out.push(match rule {
                    RateRule::Linear => format!(
                        "得分 = 权重 {} × min({rate}%, 100%) = {}",
                        n.weight,
                        base_score(s, i)
                    ),
                    RateRule::Tiered { .. } => {
                        format!("按分档标准，{rate}% 得 {} 分", base_score(s, i))
                    }
                });
            }
        }
        Status::Measured => {
            if let Some(t) = s.target(i) {
                let actual = match t.actual.as_ref().map(|a| &a.value) {
                    Some(ActualValue::Counts {
                        numerator,
                        denominator,
                    }) => format!(
                        "{numerator} ÷ {denominator} = {}%",
                        actual_in_target_unit(t)
                            .map(|v| v.to_ratio().round(2).to_string())
                            .unwrap_or_default()
                    ),
                    Some(ActualValue::Number { value, unit }) => {
                        let u = if unit.is_none() { &t.unit } else { unit };
                        match actual_in_target_unit(t) {
                            Some(conv) if u.as_str() != t.unit.as_str() && !t.unit.is_none() => {
                                format!("{value}{u}（即 {conv}{}）", t.unit)
                            }
                            _ => format!("{value}{u}"),
                        }
                    }
                    _ => String::new(),
                };
                let rate = s
                    .rate(i)
                    .map(|r| r.percent(2).to_string())
                    .unwrap_or_default();
                out.push(format!(
                    "目标 {}，实际 {actual}，完成率 {rate}%；得分 = 权重 {} × min({rate}%, 100%) = {}",
                    t.display_value(),
                    n.weight,
                    base_score(s, i)
                ));
                if let Some(reason) = t.actual.as_ref().and_then(|a| a.deviation_reason.as_ref()) {
                    out.push(format!("偏差原因：{reason}"));
                }
            }
        }
        Status::Judged => {
            if let Some(j) = judgment {
                let tier = j
                    .tier
                    .map(|t| format!("（{}）", t.zh()))
                    .unwrap_or_default();
                out.push(format!("评价小组评分 {}{tier}", n.score));
            }
        }
    }
    if let Some(j) = judgment {
        if let Verdict::Deduction(d) = &j.verdict
            && matches!(n.status, Status::Computed | Status::Measured)
        {
            out.push(format!("评价小组扣减 {d} 分"));
        }
        if let Some(r) = &j.reason {
            out.push(format!("理由：{r}"));
        }
        if !j.evidence.is_empty() {
            out.push(format!("佐证：{}", j.evidence.join("；")));
        }
    }
    out
}

/// The score before any manual deduction (for formula text).
fn base_score(s: &Scored<'_>, i: usize) -> Points {
    let n = &s.nodes[i];
    let deducted = n
        .judgment
        .and_then(|j| s.project.evaluation.judgments.get(usize::from(j)))
        .and_then(|j| match j.verdict {
            Verdict::Deduction(d) => Some(d),
            _ => None,
        })
        .unwrap_or(Points::ZERO);
    if deducted == Points::ZERO {
        return n.score;
    }
    match n.origin {
        NodeOrigin::Framework(f) => match &s.framework.nodes[f as usize].kind {
            NodeKind::Computed { rule, .. } => s
                .rate(i)
                .map_or(n.score, |r| crate::scoring::rate_score(rule, r, n.weight)),
            _ => n.score,
        },
        _ => s
            .rate(i)
            .map_or(n.score, |r| r.min_one().max_zero().of_points(n.weight)),
    }
}
