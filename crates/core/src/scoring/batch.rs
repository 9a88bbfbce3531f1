//! Bulk scoring: many projects of one shape scored from compact rows.
//!
//! [`score_with`](super::score_with) reads a whole [`Project`]: names, texts, evidence
//! lists and reasons, several kilobytes over dozens of allocations per project. Scoring a
//! finance bureau's 100,000 projects that way is bound by memory traffic, not arithmetic.
//! A [`Batch`] lays the applied tree out once, from a template project, and keeps for each
//! project only the numbers scoring reads, in the tree's leaf order: the budget's four
//! totals and one small [`Input`] per scored leaf. It then scores them with the engine's own
//! formulas ([`rate_score`], [`completion_of`], the verdict and unscored rules), so a row's
//! scores are exactly those [`score`](super::score) gives for its project.
//!
//! A project fits a batch when the engine would lay it out as it laid out the template:
//! the same targets (ids, categories, sub-categories and weights, in order), the same judged
//! subjects in the same order, the same 不适用 verdicts, and no weights set by the
//! evaluation. [`Batch::push`] refuses any other project, and the caller scores it with the
//! engine. Rows carry scores only: the diagnostics (a deduction without a reason, a score
//! above its weight, …) come from the engine, which every project has passed through when
//! it was saved.

use std::fmt;

use super::{
    BudgetTotals, Layout, NodeOrigin, Scratch, Status, budget_rate, completion_of,
    completion_points, group_bit, own_framework, score_with, unscored_points, verdict_points,
};
use crate::framework::{Denominator, Framework, Measure, NodeKind, RateRule};
use crate::num::{Dec, Points};
use crate::project::{Comparator, Direction, Project, Verdict};

/// Why a project cannot be scored in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unfit {
    /// The evaluation sets its own weights: each project is laid out by itself.
    OwnWeights,
    /// Laying the template out found errors; score it with the engine to see them.
    TemplateErrors,
    /// The project's targets or judged subjects differ from the template's.
    OtherShape,
}

impl fmt::Display for Unfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unfit::OwnWeights => "评价自定了指标权重，须逐个项目评分",
            Unfit::TemplateErrors => "样板项目的指标体系有错误，请先单独评分查看",
            Unfit::OtherShape => "项目的目标指标或评分对象与样板项目不同，须单独评分",
        })
    }
}

impl std::error::Error for Unfit {}

/// What one scored leaf of the template's tree is.
#[derive(Clone, Copy, Debug)]
enum Leaf<'f> {
    /// Computed from the budget.
    Computed {
        measure: Measure,
        denominator: Option<Denominator>,
        rule: &'f RateRule,
    },
    /// Judged: a framework leaf or a target; its input holds the verdict.
    Judged,
    /// A target indicator (its index): qualitative or measured as each project says.
    Target(u32),
}

/// The numbers one scored leaf of one project contributes.
#[derive(Clone, Debug)]
enum Input {
    /// No score could be given: the framework's unscored rule applies.
    Unscored,
    /// A judgment's verdict.
    Verdict(Verdict),
    /// A computed leaf, with the deduction its judgment makes (0 for none).
    Computed(Points),
    /// A quantitative target: its value and the actual in the target's unit.
    Measured {
        /// 指标值.
        goal: Dec,
        /// The actual value, converted into the target's unit.
        actual: Dec,
        /// 指标性质.
        comparator: Comparator,
        /// 指标方向.
        direction: Direction,
        /// The deduction its judgment makes (0 for none).
        deduction: Points,
    },
}

/// Projects of one shape, scored together. See the module documentation.
#[derive(Debug)]
pub struct Batch<'f> {
    fw: &'f Framework,
    layout: Layout,
    /// Tree position and kind of each scored leaf.
    leaves: Vec<(u32, Leaf<'f>)>,
    /// Final weight of each scored leaf.
    weights: Vec<Points>,
    budgets: Vec<BudgetTotals>,
    /// `leaves.len()` inputs per row.
    inputs: Vec<Input>,
    gbits: Vec<u8>,
}

impl<'f> Batch<'f> {
    /// An empty batch for projects shaped like `template`.
    ///
    /// # Errors
    /// [`Unfit::OwnWeights`] when the template's evaluation sets weights;
    /// [`Unfit::TemplateErrors`] when laying it out finds errors.
    pub fn new(fw: &'f Framework, template: &Project) -> Result<Batch<'f>, Unfit> {
        if !template.evaluation.weights.is_empty() {
            return Err(Unfit::OwnWeights);
        }
        let mut scratch = Scratch::default();
        let _ = score_with(fw, template, &mut scratch);
        let layout = std::mem::take(&mut scratch.layout);
        if !layout.valid {
            return Err(Unfit::OwnWeights);
        }
        if crate::diag::has_errors(&layout.errors) {
            return Err(Unfit::TemplateErrors);
        }
        let mut leaves = Vec::new();
        let mut weights = Vec::new();
        for (i, n) in layout.nodes.iter().enumerate() {
            if n.end as usize != i + 1 || n.status == Status::NotApplicable {
                continue;
            }
            let leaf = match n.origin {
                NodeOrigin::Framework(f) => match &fw.nodes[f as usize].kind {
                    NodeKind::Computed {
                        measure,
                        rule,
                        denominator,
                    } => Leaf::Computed {
                        measure: *measure,
                        denominator: *denominator,
                        rule,
                    },
                    NodeKind::Judged => Leaf::Judged,
                    // An empty group scores nothing.
                    NodeKind::Group | NodeKind::Slot(_) => continue,
                },
                NodeOrigin::Target(t) => Leaf::Target(t),
                NodeOrigin::Group(..) => continue,
            };
            leaves.push((super::as_u32(i), leaf));
            weights.push(n.weight);
        }
        Ok(Batch {
            fw,
            layout,
            leaves,
            weights,
            budgets: Vec::new(),
            inputs: Vec::new(),
            gbits: Vec::new(),
        })
    }

    /// Number of projects held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.budgets.len()
    }

    /// Whether no project is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.budgets.is_empty()
    }

    /// Number of scored leaves per project.
    #[must_use]
    pub fn width(&self) -> usize {
        self.leaves.len()
    }

    /// Reserves room for `n` more projects.
    pub fn reserve(&mut self, n: usize) {
        self.budgets.reserve(n);
        self.inputs.reserve(n * self.leaves.len());
    }

    /// Adds a project; returns its row.
    ///
    /// # Errors
    /// [`Unfit`] when the engine would lay the project out otherwise than the template;
    /// nothing is added then.
    pub fn push(&mut self, project: &Project) -> Result<usize, Unfit> {
        if !project.evaluation.weights.is_empty() {
            return Err(Unfit::OwnWeights);
        }
        self.gbits.clear();
        self.gbits.extend(
            project
                .targets
                .iter()
                .map(|t| group_bit(t.category, t.subcategory)),
        );
        let own = own_framework(self.fw, project);
        if !self.layout.fits(self.fw, project, own, &self.gbits) {
            return Err(Unfit::OtherShape);
        }
        let judgments = &project.evaluation.judgments;
        let deduction = |j: Option<u16>| match j.map(|j| &judgments[j as usize].verdict) {
            Some(Verdict::Deduction(d)) => *d,
            _ => Points::ZERO,
        };
        for &(pos, leaf) in &self.leaves {
            let node = &self.layout.nodes[pos as usize];
            let verdict = |j: Option<u16>| {
                j.map_or(Input::Unscored, |j| {
                    Input::Verdict(judgments[j as usize].verdict.clone())
                })
            };
            let input = match leaf {
                Leaf::Computed { .. } => Input::Computed(deduction(node.judgment)),
                Leaf::Judged => verdict(node.judgment),
                Leaf::Target(t) => {
                    let target = &project.targets[t as usize];
                    if target.is_qualitative() {
                        verdict(node.judgment)
                    } else {
                        match (target.number(), super::actual_in_target_unit(target)) {
                            (Some(goal), Some(actual)) => Input::Measured {
                                goal,
                                actual,
                                comparator: target.comparator,
                                direction: target.direction,
                                deduction: deduction(node.judgment),
                            },
                            _ => Input::Unscored,
                        }
                    }
                }
            };
            self.inputs.push(input);
        }
        self.budgets.push(BudgetTotals::of(&project.budget));
        Ok(self.budgets.len() - 1)
    }

    /// The score of each scored leaf of row `row`, in leaf order.
    fn leaf_scores(&self, row: usize) -> impl Iterator<Item = Points> + '_ {
        let w = self.leaves.len();
        let budget = &self.budgets[row];
        self.inputs[row * w..(row + 1) * w]
            .iter()
            .zip(&self.leaves)
            .zip(&self.weights)
            .map(move |((input, (_, leaf)), &weight)| self.leaf_score(leaf, input, budget, weight))
    }

    fn leaf_score(
        &self,
        leaf: &Leaf<'_>,
        input: &Input,
        budget: &BudgetTotals,
        weight: Points,
    ) -> Points {
        match *input {
            Input::Unscored => unscored_points(self.fw, weight),
            Input::Verdict(ref v) => verdict_points(v, weight).clamp(Points::ZERO, weight),
            Input::Computed(deduction) => {
                let Leaf::Computed {
                    measure,
                    denominator,
                    rule,
                } = *leaf
                else {
                    return Points::ZERO;
                };
                match budget_rate(self.fw, budget, measure, denominator) {
                    Some(rate) => super::rate_score(rule, rate, weight)
                        .minus(deduction)
                        .max(Points::ZERO),
                    None => unscored_points(self.fw, weight),
                }
            }
            Input::Measured {
                goal,
                actual,
                comparator,
                direction,
                deduction,
            } => match completion_of(goal, actual, comparator, direction) {
                Some(done) => completion_points(done, weight)
                    .minus(deduction)
                    .max(Points::ZERO),
                None => unscored_points(self.fw, weight),
            },
        }
    }

    /// The total score of row `row` (the sum of its leaves, as every parent is the exact sum
    /// of its children).
    #[must_use]
    pub fn total(&self, row: usize) -> Points {
        self.leaf_scores(row).sum()
    }

    /// The total score of every row, in row order, appended to `out`.
    pub fn totals_into(&self, out: &mut Vec<Points>) {
        out.extend((0..self.len()).map(|r| self.total(r)));
    }

    /// The grade of a total under the framework's bands.
    #[must_use]
    pub fn grade(&self, total: Points) -> &'f str {
        self.fw.grades.grade(total)
    }

    /// The score of every node of row `row`, in the pre-order of
    /// [`Scored::nodes`](super::Scored::nodes) for the template.
    pub fn node_scores(&self, row: usize, out: &mut Vec<Points>) {
        let nodes = &self.layout.nodes;
        out.clear();
        out.resize(nodes.len(), Points::ZERO);
        for (&(pos, _), score) in self.leaves.iter().zip(self.leaf_scores(row)) {
            out[pos as usize] = score;
        }
        for i in (0..nodes.len()).rev() {
            if let Some(p) = nodes[i].parent() {
                out[p] = out[p].plus(out[i]);
            }
        }
    }
}

#[cfg(test)]
mod tests;
