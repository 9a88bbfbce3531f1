//! The scoring engine: applies a framework to a project and scores every node.
//!
//! Steps, all in one pass over a flat pre-order tree (no allocation per node):
//! 1. build the tree: the framework's nodes, with each slot expanded into the project's
//!    target indicators (optionally grouped by sub-category) and its weight divided by the
//!    slot's rule;
//! 2. mark what does not apply (an empty slot, a judgment of 不适用) and give its weight to
//!    its siblings in proportion, top-down, so every node is the exact sum of its children;
//! 3. score each leaf once, rounded half-up to hundredths; sum parents exactly;
//! 4. grade the total and raise warnings.
//!
//! Data problems never abort: they come back as [`Diagnostic`]s beside the scores.

use std::borrow::Cow;

use crate::diag::{Diagnostic, Loc, Problem};
use crate::framework::{Denominator, Framework, Measure, NodeKind, RateRule, Split};
use crate::num::{Dec, Points, Ratio, apportion_into};
use crate::project::{
    ActualValue, Category, Comparator, Direction, Project, Subcategory, Subject, Target, Verdict,
};

/// No parent.
const NONE: u32 = u32::MAX;

/// Where a tree node comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeOrigin {
    /// A framework node (index into `Framework::nodes`).
    Framework(u32),
    /// A group made by a slot: one category's sub-category.
    Group(Category, Subcategory),
    /// A target indicator (index into `Project::targets`).
    Target(u32),
}

/// Why a leaf has no real score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unscored {
    /// 无佐证: a target without an actual value.
    NoEvidence,
    /// 未评分: a judged leaf or a qualitative target without a judgment.
    Unjudged,
    /// The measure cannot be computed (e.g. a zero budget).
    Undefined,
}

impl Unscored {
    /// The Chinese label.
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            Unscored::NoEvidence => "无佐证",
            Unscored::Unjudged => "未评分",
            Unscored::Undefined => "无法计算",
        }
    }
}

/// How a node got its score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Sum of children.
    Sum,
    /// Computed from the budget.
    Computed,
    /// Formula on a target's actual value.
    Measured,
    /// From a judgment.
    Judged,
    /// No score could be given.
    Unscored(Unscored),
    /// Does not apply; weight given to siblings.
    NotApplicable,
}

/// One node of the applied tree with its score.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    /// Origin.
    pub origin: NodeOrigin,
    /// Parent position, `None` for level 1.
    parent: u32,
    /// One past the last position of this node's subtree.
    end: u32,
    /// 1 for level 1.
    pub depth: u8,
    /// 1-based position among generated siblings (for codes).
    ordinal: u16,
    /// Number of generated siblings (for code width).
    siblings: u16,
    /// Weight before redistribution.
    pub base: Points,
    /// Final weight.
    pub weight: Points,
    /// Score.
    pub score: Points,
    /// How it was scored.
    pub status: Status,
    /// Completion or execution rate (leaves only).
    pub rate: Option<Ratio>,
    /// Index of the judgment used, if any.
    pub judgment: Option<u16>,
}

impl Node {
    /// Parent position.
    #[must_use]
    pub fn parent(&self) -> Option<usize> {
        (self.parent != NONE).then_some(self.parent as usize)
    }

    /// 扣分.
    #[must_use]
    pub fn deduction(&self) -> Points {
        self.weight.minus(self.score)
    }

    /// 得分率 (`None` for a zero weight).
    #[must_use]
    pub fn score_rate(&self) -> Option<Ratio> {
        self.score.ratio_to(self.weight)
    }
}

/// The result of scoring one project with one framework.
#[derive(Debug)]
pub struct Scored<'a> {
    /// The framework.
    pub framework: &'a Framework,
    /// The project.
    pub project: &'a Project,
    /// Nodes in pre-order.
    pub nodes: Vec<Node>,
    /// Total score.
    pub total: Points,
    /// Problems found (errors make the result unofficial).
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Scored<'a> {
    /// Positions of the children of node `i` (or of the roots for `None`).
    pub fn children(&self, i: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        let (mut c, end) = match i {
            Some(i) => (i + 1, self.nodes[i].end as usize),
            None => (0, self.nodes.len()),
        };
        std::iter::from_fn(move || {
            (c < end).then(|| {
                let here = c;
                c = self.nodes[c].end as usize;
                here
            })
        })
    }

    /// Whether node `i` has children.
    #[must_use]
    pub fn is_leaf(&self, i: usize) -> bool {
        self.nodes[i].end as usize == i + 1
    }

    /// The code of node `i`: the framework's, or for generated nodes the parent's code
    /// followed by the position (`C11` → `C111`; `-01` style beyond nine siblings).
    #[must_use]
    pub fn code(&self, i: usize) -> Cow<'a, str> {
        node_code(self.framework, &self.nodes, i)
    }

    /// The name of node `i` (with the evaluation's renames applied).
    #[must_use]
    pub fn name(&self, i: usize) -> Cow<'a, str> {
        match self.nodes[i].origin {
            NodeOrigin::Framework(f) => {
                let node = &self.framework.nodes[f as usize];
                let renamed = self.project.evaluation.names.get(&node.code);
                Cow::Borrowed(renamed.unwrap_or(&node.name))
            }
            NodeOrigin::Group(c, s) => {
                let slot = self.nodes[i]
                    .parent()
                    .and_then(|p| match self.nodes[p].origin {
                        NodeOrigin::Framework(f) => match &self.framework.nodes[f as usize].kind {
                            NodeKind::Slot(s) => Some(s),
                            _ => None,
                        },
                        _ => None,
                    });
                Cow::Owned(slot.map_or_else(
                    || crate::framework::default_group_name(c, s),
                    |sl| sl.group_name(c, s),
                ))
            }
            NodeOrigin::Target(t) => Cow::Borrowed(&self.project.targets[t as usize].name),
        }
    }

    /// The target behind node `i`, if it is one.
    #[must_use]
    pub fn target(&self, i: usize) -> Option<&'a Target> {
        match self.nodes[i].origin {
            NodeOrigin::Target(t) => self.project.targets.get(t as usize),
            _ => None,
        }
    }

    /// The position of the node with this code.
    #[must_use]
    pub fn find(&self, code: &str) -> Option<usize> {
        if let Some(f) = self.framework.index_of(code) {
            let pos = self
                .nodes
                .iter()
                .position(|n| n.origin == NodeOrigin::Framework(as_u32(f)));
            if pos.is_some() {
                return pos;
            }
        }
        (0..self.nodes.len()).find(|&i| self.code(i) == code)
    }

    /// The grade of the total.
    #[must_use]
    pub fn grade(&self) -> &'a str {
        self.framework.grades.grade(self.total)
    }

    /// Whether any diagnostic is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        crate::diag::has_errors(&self.diagnostics)
    }
}

/// The code of tree node `i` (see [`Scored::code`]).
fn node_code<'f>(fw: &'f Framework, nodes: &[Node], i: usize) -> Cow<'f, str> {
    let n = &nodes[i];
    match n.origin {
        NodeOrigin::Framework(f) => Cow::Borrowed(&fw.nodes[f as usize].code),
        NodeOrigin::Group(..) | NodeOrigin::Target(_) => {
            let parent = n
                .parent()
                .map_or(Cow::Borrowed(""), |p| node_code(fw, nodes, p));
            if n.siblings > 9 {
                Cow::Owned(format!("{parent}-{:02}", n.ordinal))
            } else {
                Cow::Owned(format!("{parent}{}", n.ordinal))
            }
        }
    }
}

fn as_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn as_u16(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// Scores a project with a framework.
#[must_use]
pub fn score<'a>(fw: &'a Framework, project: &'a Project) -> Scored<'a> {
    let mut b = Builder {
        fw,
        project,
        nodes: Vec::with_capacity(fw.nodes.len() + project.targets.len() + 8),
        diags: Vec::new(),
        jud_fw: vec![None; fw.nodes.len()],
        jud_target: vec![None; project.targets.len()],
        taken: vec![false; project.targets.len()],
        shares: Vec::new(),
        parts: Vec::new(),
        eff: Vec::new(),
    };
    b.resolve_weights();
    b.resolve_judgments();
    for &r in fw.roots() {
        b.build(r, NONE, 1);
    }
    b.untaken_targets();
    b.check_weights();
    b.mark_not_applicable();
    b.distribute();
    b.score_leaves();
    let total = b.sum_up();
    let own = b.own_framework();
    let mut s = Scored {
        framework: fw,
        project,
        nodes: b.nodes,
        total,
        diagnostics: b.diags,
    };
    check_claims(&mut s, own);
    check_execution_gap(&mut s);
    s
}

struct Builder<'a> {
    fw: &'a Framework,
    project: &'a Project,
    nodes: Vec<Node>,
    diags: Vec<Diagnostic>,
    jud_fw: Vec<Option<u16>>,
    jud_target: Vec<Option<u16>>,
    taken: Vec<bool>,
    shares: Vec<u64>,
    parts: Vec<Points>,
    /// Effective weight of each framework node: the evaluation's, the framework's, or an
    /// even share of the parent's when no sibling has one.
    eff: Vec<Option<Points>>,
}

fn jloc(j: usize, field: &str) -> Loc {
    Loc::project(format!("evaluation.judgment[{j}].{field}"))
}

impl Builder<'_> {
    fn resolve_weights(&mut self) {
        let fw = self.fw;
        let overrides = &self.project.evaluation.weights;
        self.eff = fw
            .nodes
            .iter()
            .map(|n| overrides.get(&n.code).copied().or(n.weight))
            .collect();
        self.derive_even(None, Some(fw.total));
    }

    /// Gives unweighted siblings equal shares of their parent's weight, recursively.
    fn derive_even(&mut self, parent: Option<usize>, parent_weight: Option<Points>) {
        let kids: &[usize] = match parent {
            Some(p) => self.fw.children(p),
            None => self.fw.roots(),
        };
        if let Some(w) = parent_weight
            && !kids.is_empty()
            && kids.iter().all(|&k| self.eff[k].is_none())
        {
            let parts = crate::num::apportion(w, &vec![1; kids.len()]);
            for (k, p) in kids.iter().zip(parts) {
                self.eff[*k] = Some(p);
            }
        }
        for &k in kids {
            self.derive_even(Some(k), self.eff[k]);
        }
    }

    /// Whether the project was written for this framework: references to nodes it lacks are
    /// errors then, and merely ignored (with a warning) when scoring with another framework.
    fn own_framework(&self) -> bool {
        self.project
            .framework_name()
            .is_none_or(|n| n == self.fw.name || n.ends_with(&format!("{}.toml", self.fw.name)))
    }

    fn resolve_judgments(&mut self) {
        let own = self.own_framework();
        for (j, jd) in self.project.evaluation.judgments.iter().enumerate() {
            let (slot, field) = match &jd.subject {
                Subject::Node(code) => match self.fw.index_of(code) {
                    Some(f) => {
                        let node = &self.fw.nodes[f];
                        if !self.fw.children(f).is_empty() || matches!(node.kind, NodeKind::Slot(_))
                        {
                            self.diags.push(Diagnostic::error(
                                jloc(j, "node"),
                                Problem::JudgmentMismatch {
                                    code: code.clone(),
                                    why: "只能对末级指标评分，上级指标的得分由下级指标相加得出",
                                },
                            ));
                            continue;
                        }
                        (&mut self.jud_fw[f], "node")
                    }
                    None => {
                        let problem = Problem::UnknownRef {
                            what: "指标编码",
                            key: code.clone(),
                        };
                        self.diags.push(if own {
                            Diagnostic::error(jloc(j, "node"), problem)
                        } else {
                            Diagnostic::warning(Some(jloc(j, "node")), problem)
                        });
                        continue;
                    }
                },
                Subject::Target(id) => {
                    match self.project.targets.iter().position(|t| &t.id == id) {
                        Some(t) => (&mut self.jud_target[t], "target"),
                        None => {
                            self.diags.push(Diagnostic::error(
                                jloc(j, "target"),
                                Problem::UnknownRef {
                                    what: "目标编号",
                                    key: id.clone(),
                                },
                            ));
                            continue;
                        }
                    }
                }
            };
            if slot.is_some() {
                self.diags.push(Diagnostic::error(
                    jloc(j, field),
                    Problem::DuplicateJudgment {
                        code: jd.subject.to_string(),
                    },
                ));
            } else {
                *slot = Some(as_u16(j));
            }
        }
    }

    fn push(&mut self, origin: NodeOrigin, parent: u32, depth: u8, base: Points) -> usize {
        self.nodes.push(Node {
            origin,
            parent,
            end: 0,
            depth,
            ordinal: 0,
            siblings: 0,
            base,
            weight: base,
            score: Points::ZERO,
            status: Status::Sum,
            rate: None,
            judgment: None,
        });
        self.nodes.len() - 1
    }

    fn build(&mut self, f: usize, parent: u32, depth: u8) {
        let node = &self.fw.nodes[f];
        let base = self.eff[f].unwrap_or(Points::ZERO);
        let me = self.push(NodeOrigin::Framework(as_u32(f)), parent, depth, base);
        self.nodes[me].judgment = self.jud_fw[f];
        if let NodeKind::Slot(slot) = &node.kind {
            self.expand_slot(me, f, slot, depth);
        }
        for &c in self.fw.children(f) {
            self.build(c, as_u32(me), depth.saturating_add(1));
        }
        self.nodes[me].end = as_u32(self.nodes.len());
    }

    fn expand_slot(&mut self, me: usize, f: usize, slot: &crate::framework::Slot, depth: u8) {
        let targets = &self.project.targets;
        let matched: Vec<usize> = (0..targets.len())
            .filter(|&t| slot.takes(targets[t].category, targets[t].subcategory))
            .collect();
        if matched.is_empty() {
            return;
        }
        let mut split = slot.split;
        if split == Split::TargetWeights {
            let with = matched
                .iter()
                .filter(|&&t| targets[t].weight.is_some())
                .count();
            if with == 0 {
                self.diags.push(Diagnostic::warning(
                    None,
                    Problem::SplitFallbackEven {
                        code: self.fw.nodes[f].code.clone(),
                    },
                ));
                split = Split::Even;
            } else if with < matched.len() {
                for &t in matched.iter().filter(|&&t| targets[t].weight.is_none()) {
                    self.diags.push(Diagnostic::error(
                        Loc::project(format!("target[{t}].weight")),
                        Problem::MissingWeight {
                            code: targets[t].id.clone(),
                        },
                    ));
                }
                split = Split::Even;
            }
        }
        let tshare = |t: usize| -> u64 {
            match split {
                Split::TargetWeights => {
                    u64::try_from(targets[t].weight.map_or(0, Points::centi)).unwrap_or(0)
                }
                Split::Even | Split::EvenPerGroup => 1,
            }
        };
        for &t in &matched {
            if self.taken[t] {
                self.diags.push(Diagnostic::error(
                    Loc::framework(format!("node[{f}].slot")),
                    Problem::BadTree {
                        code: self.fw.nodes[f].code.clone(),
                        why: "与其他位置重复收录了同一目标指标",
                    },
                ));
            }
            self.taken[t] = true;
        }
        let slot_weight = self.nodes[me].base;
        if slot.group {
            let mut groups: Vec<(Category, Subcategory)> = Vec::new();
            for c in Category::ALL {
                for sc in Subcategory::ALL {
                    if matched
                        .iter()
                        .any(|&t| targets[t].category == *c && targets[t].subcategory == *sc)
                    {
                        groups.push((*c, *sc));
                    }
                }
            }
            let in_group = |t: usize, g: (Category, Subcategory)| {
                targets[t].category == g.0 && targets[t].subcategory == g.1
            };
            self.shares.clear();
            for g in &groups {
                let members = matched.iter().filter(|&&t| in_group(t, *g));
                self.shares.push(match split {
                    Split::EvenPerGroup => 1,
                    _ => members.map(|&t| tshare(t)).sum(),
                });
            }
            let mut gweights = vec![Points::ZERO; groups.len()];
            apportion_into(slot_weight, &self.shares, &mut gweights);
            for (gi, g) in groups.iter().enumerate() {
                let gpos = self.push(
                    NodeOrigin::Group(g.0, g.1),
                    as_u32(me),
                    depth.saturating_add(1),
                    gweights[gi],
                );
                self.nodes[gpos].ordinal = as_u16(gi + 1);
                self.nodes[gpos].siblings = as_u16(groups.len());
                let members: Vec<usize> = matched
                    .iter()
                    .copied()
                    .filter(|&t| in_group(t, *g))
                    .collect();
                self.push_targets(
                    gpos,
                    &members,
                    gweights[gi],
                    depth.saturating_add(2),
                    tshare,
                );
                self.nodes[gpos].end = as_u32(self.nodes.len());
            }
        } else {
            self.push_targets(me, &matched, slot_weight, depth.saturating_add(1), tshare);
        }
    }

    fn push_targets(
        &mut self,
        parent: usize,
        members: &[usize],
        weight: Points,
        depth: u8,
        share: impl Fn(usize) -> u64,
    ) {
        self.shares.clear();
        self.shares.extend(members.iter().map(|&t| share(t)));
        self.parts.clear();
        self.parts.resize(members.len(), Points::ZERO);
        apportion_into(weight, &self.shares, &mut self.parts);
        for (k, &t) in members.iter().enumerate() {
            let w = self.parts[k];
            let pos = self.push(NodeOrigin::Target(as_u32(t)), as_u32(parent), depth, w);
            self.nodes[pos].ordinal = as_u16(k + 1);
            self.nodes[pos].siblings = as_u16(members.len());
            self.nodes[pos].judgment = self.jud_target[t];
            self.nodes[pos].end = as_u32(pos + 1);
        }
    }

    fn untaken_targets(&mut self) {
        for (t, taken) in self.taken.iter().enumerate() {
            if !taken {
                let tg = &self.project.targets[t];
                self.diags.push(Diagnostic::warning(
                    Some(Loc::project(format!("target[{t}]"))),
                    Problem::JudgmentMismatch {
                        code: tg.id.clone(),
                        why: "该目标指标不属于所选框架的任何位置，未计入得分",
                    },
                ));
            }
        }
    }

    /// Checks that the weights set by the framework or the evaluation add up.
    fn check_weights(&mut self) {
        let mut roots = Points::ZERO;
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            let NodeOrigin::Framework(f) = n.origin else {
                continue;
            };
            let fnode = &self.fw.nodes[f as usize];
            let set = self.eff[f as usize].is_some();
            let loc = if self.project.evaluation.weights.contains_key(&fnode.code) {
                Loc::project(format!("evaluation.weights.{}", fnode.code))
            } else {
                Loc::framework(format!("node[{f}].weight"))
            };
            if !set {
                self.diags.push(Diagnostic::error(
                    loc,
                    Problem::MissingWeight {
                        code: fnode.code.clone(),
                    },
                ));
                continue;
            }
            if n.base.centi() <= 0 {
                self.diags.push(Diagnostic::error(
                    loc.clone(),
                    Problem::NonPositiveWeight {
                        code: fnode.code.clone(),
                        value: n.base.to_string(),
                    },
                ));
            }
            if n.parent == NONE {
                roots = roots.plus(n.base);
            }
            let fw_children = self.fw.children(f as usize);
            if !fw_children.is_empty() {
                let sum: Points = self.fw_child_positions(i).map(|c| self.nodes[c].base).sum();
                if sum != n.base {
                    self.diags.push(Diagnostic::error(
                        loc,
                        Problem::WeightsDontSum {
                            code: fnode.code.clone(),
                            expected: n.base.to_string(),
                            actual: sum.to_string(),
                        },
                    ));
                }
            }
        }
        if roots != self.fw.total && !crate::diag::has_errors(&self.diags) {
            self.diags.push(Diagnostic::error(
                Loc::framework("framework.total"),
                Problem::WeightsDontSum {
                    code: "总分".into(),
                    expected: self.fw.total.to_string(),
                    actual: roots.to_string(),
                },
            ));
        }
        for c in &self.fw.constraints {
            let sum: Points = c
                .codes
                .iter()
                .filter_map(|code| self.fw.index_of(code))
                .filter_map(|f| {
                    self.nodes
                        .iter()
                        .find(|n| n.origin == NodeOrigin::Framework(as_u32(f)))
                })
                .map(|n| n.base)
                .sum();
            if sum < c.min {
                self.diags.push(Diagnostic::error(
                    Loc::project("evaluation.weights"),
                    Problem::ConstraintViolated {
                        rule: format!("{} ≥ {}", c.codes.join(" + "), c.min),
                        actual: sum.to_string(),
                    },
                ));
            }
        }
    }

    fn fw_child_positions(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.nodes[i].end as usize;
        let mut c = i + 1;
        std::iter::from_fn(move || {
            while c < end {
                let here = c;
                c = self.nodes[c].end as usize;
                if matches!(self.nodes[here].origin, NodeOrigin::Framework(_)) {
                    return Some(here);
                }
            }
            None
        })
    }

    fn mark_not_applicable(&mut self) {
        // Reverse pre-order visits children before parents.
        for i in (0..self.nodes.len()).rev() {
            let n = self.nodes[i];
            let leaf = n.end as usize == i + 1;
            let na = if leaf {
                let judged_na = n.judgment.is_some_and(|j| {
                    self.project.evaluation.judgments[j as usize].verdict == Verdict::NotApplicable
                });
                let empty_slot = matches!(n.origin, NodeOrigin::Framework(f)
                    if matches!(self.fw.nodes[f as usize].kind, NodeKind::Slot(_)));
                judged_na || empty_slot
            } else {
                let mut c = i + 1;
                let mut all = true;
                while c < n.end as usize {
                    all &= self.nodes[c].status == Status::NotApplicable;
                    c = self.nodes[c].end as usize;
                }
                all
            };
            if na {
                self.nodes[i].status = Status::NotApplicable;
            }
        }
    }

    /// Top-down: each applicable node's weight is divided among its applicable children in
    /// proportion to their base weights; not-applicable nodes get zero.
    fn distribute(&mut self) {
        self.divide(None);
        for i in 0..self.nodes.len() {
            if self.nodes[i].end as usize > i + 1 {
                self.divide(Some(i));
            }
        }
    }

    fn divide(&mut self, parent: Option<usize>) {
        let (start, end, total) = match parent {
            Some(p) => (p + 1, self.nodes[p].end as usize, self.nodes[p].weight),
            None => (0, self.nodes.len(), self.fw.total),
        };
        self.shares.clear();
        let mut c = start;
        while c < end {
            let n = &self.nodes[c];
            let share = if n.status == Status::NotApplicable {
                0
            } else {
                u64::try_from(n.base.centi()).unwrap_or(0)
            };
            self.shares.push(share);
            c = n.end as usize;
        }
        self.parts.clear();
        self.parts.resize(self.shares.len(), Points::ZERO);
        let applicable = parent.is_none_or(|p| self.nodes[p].status != Status::NotApplicable);
        if applicable {
            apportion_into(total, &self.shares, &mut self.parts);
        }
        let mut c = start;
        let mut k = 0;
        while c < end {
            self.nodes[c].weight = self.parts[k];
            k += 1;
            c = self.nodes[c].end as usize;
        }
    }

    fn score_leaves(&mut self) {
        for i in 0..self.nodes.len() {
            if self.nodes[i].end as usize != i + 1 {
                continue;
            }
            if self.nodes[i].status == Status::NotApplicable {
                let code = self.code_of(i);
                let name = self.name_of(i);
                self.diags.push(Diagnostic::warning(
                    None,
                    Problem::NotApplicable { code, name },
                ));
                continue;
            }
            let (score, status, rate) = match self.nodes[i].origin {
                NodeOrigin::Framework(f) => self.score_fw_leaf(i, f as usize),
                NodeOrigin::Target(t) => self.score_target(i, t as usize),
                NodeOrigin::Group(..) => (Points::ZERO, Status::Sum, None),
            };
            let n = &mut self.nodes[i];
            n.score = score;
            n.status = status;
            n.rate = rate;
        }
    }

    fn unscored(&self, i: usize, why: Unscored) -> (Points, Status, Option<Ratio>) {
        let share = self.fw.rules.unscored_share.ratio(Dec::HUNDRED);
        let score = share.map_or(Points::ZERO, |r| r.of_points(self.nodes[i].weight));
        (score, Status::Unscored(why), None)
    }

    /// The node's code, with the target id for target indicators (`C114（T04）`).
    fn code_of(&self, i: usize) -> String {
        let code = node_code(self.fw, &self.nodes, i);
        match self.nodes[i].origin {
            NodeOrigin::Target(t) => format!("{code}（{}）", self.project.targets[t as usize].id),
            _ => code.into_owned(),
        }
    }

    fn name_of(&self, i: usize) -> String {
        match self.nodes[i].origin {
            NodeOrigin::Framework(f) => self.fw.nodes[f as usize].name.clone(),
            NodeOrigin::Target(t) => self.project.targets[t as usize].name.clone(),
            NodeOrigin::Group(c, s) => crate::framework::default_group_name(c, s),
        }
    }

    fn score_fw_leaf(&mut self, i: usize, f: usize) -> (Points, Status, Option<Ratio>) {
        let weight = self.nodes[i].weight;
        match &self.fw.nodes[f].kind {
            NodeKind::Computed {
                measure,
                rule,
                denominator,
            } => {
                let budget = &self.project.budget;
                let rate = match measure {
                    Measure::ExecutionRate => {
                        let den = match denominator.unwrap_or(self.fw.rules.execution_denominator) {
                            Denominator::AdjustedBudget => budget.adjusted(),
                            Denominator::Appropriation => budget.appropriation,
                            Denominator::Received => budget.received(),
                        };
                        budget.spent().ratio_to(den)
                    }
                    Measure::FundsReceivedRate => budget.received().ratio_to(budget.adjusted()),
                };
                let Some(rate) = rate else {
                    self.diags.push(Diagnostic::warning(
                        None,
                        Problem::MeasureUndefined {
                            code: self.fw.nodes[f].code.clone(),
                            why: "分母为零（预算或到位资金为 0）",
                        },
                    ));
                    return self.unscored(i, Unscored::Undefined);
                };
                let mut score = rate_score(rule, rate, weight);
                if let Some(j) = self.nodes[i].judgment {
                    score = self.apply_deduction(i, j as usize, score, true);
                }
                (score, Status::Computed, Some(rate))
            }
            NodeKind::Judged => match self.nodes[i].judgment {
                None => self.unscored(i, Unscored::Unjudged),
                Some(j) => {
                    let score = self.judged_score(i, j as usize, false);
                    (score, Status::Judged, None)
                }
            },
            NodeKind::Group | NodeKind::Slot(_) => (Points::ZERO, Status::Sum, None),
        }
    }

    /// Applies a `Deduction` verdict to a computed score; other verdicts are refused.
    fn apply_deduction(&mut self, i: usize, j: usize, score: Points, computed: bool) -> Points {
        let jd = &self.project.evaluation.judgments[j];
        match &jd.verdict {
            Verdict::Deduction(d) => {
                if jd.reason.as_deref().is_none_or(|r| r.trim().is_empty()) && d.centi() > 0 {
                    self.diags.push(Diagnostic::error(
                        jloc(j, "reason"),
                        Problem::DeductionWithoutReason {
                            code: self.code_of(i),
                            deduction: d.to_string(),
                        },
                    ));
                }
                score.minus(*d).max(Points::ZERO)
            }
            Verdict::NotApplicable => score,
            Verdict::Score(_) | Verdict::Share(_) => {
                self.diags.push(Diagnostic::error(
                    jloc(j, "score"),
                    Problem::JudgmentMismatch {
                        code: self.code_of(i),
                        why: if computed {
                            "该指标由预算数据计算得出，只能给出扣分（deduction）并说明理由"
                        } else {
                            "定量指标按实际完成值计算得分，只能给出扣分（deduction）并说明理由"
                        },
                    },
                ));
                score
            }
        }
    }

    /// The score of a judged leaf or qualitative target from its judgment.
    fn judged_score(&mut self, i: usize, j: usize, qualitative: bool) -> Points {
        let weight = self.nodes[i].weight;
        let jd = &self.project.evaluation.judgments[j];
        let score = match &jd.verdict {
            Verdict::Score(p) => *p,
            Verdict::Share(s) => s
                .ratio(Dec::HUNDRED)
                .map_or(Points::ZERO, |r| r.of_points(weight)),
            Verdict::Deduction(d) => weight.minus(*d),
            Verdict::NotApplicable => Points::ZERO,
        };
        if score > weight {
            self.diags.push(Diagnostic::error(
                jloc(j, "score"),
                Problem::ScoreAboveWeight {
                    code: self.code_of(i),
                    score: score.to_string(),
                    weight: weight.to_string(),
                },
            ));
        }
        if score < Points::ZERO {
            self.diags.push(Diagnostic::error(
                jloc(j, "score"),
                Problem::NonPositiveWeight {
                    code: self.code_of(i),
                    value: score.to_string(),
                },
            ));
        }
        let score = score.clamp(Points::ZERO, weight);
        if score < weight && jd.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            self.diags.push(Diagnostic::error(
                jloc(j, "reason"),
                Problem::DeductionWithoutReason {
                    code: self.code_of(i),
                    deduction: weight.minus(score).to_string(),
                },
            ));
        }
        if qualitative {
            match jd.tier {
                None => self.diags.push(Diagnostic::error(
                    jloc(j, "tier"),
                    Problem::MissingField {
                        field: "tier（定性指标须选择：达成、部分达成、未达成）".into(),
                    },
                )),
                Some(tier) => {
                    let band = self.fw.rules.band(tier);
                    let share = match &jd.verdict {
                        Verdict::Share(s) => Some(*s),
                        _ => score.ratio_to(weight).map(|r| {
                            let p = r.percent(2);
                            Dec::new(i64::try_from(p.scaled()).unwrap_or(0), 2).unwrap_or(Dec::ZERO)
                        }),
                    };
                    if let Some(share) = share.filter(|s| !band.contains(*s)) {
                        self.diags.push(Diagnostic::error(
                            jloc(j, "tier"),
                            Problem::ShareOutsideTier {
                                code: self.code_of(i),
                                tier: tier.zh().into(),
                                share: share.to_string(),
                                band: band.to_string(),
                            },
                        ));
                    }
                }
            }
        } else if jd.tier.is_some() {
            self.diags.push(Diagnostic::error(
                jloc(j, "tier"),
                Problem::JudgmentMismatch {
                    code: self.code_of(i),
                    why: "档次（tier）只用于定性目标指标",
                },
            ));
        }
        score
    }

    fn score_target(&mut self, i: usize, t: usize) -> (Points, Status, Option<Ratio>) {
        let target = &self.project.targets[t];
        let weight = self.nodes[i].weight;
        if target.is_qualitative() {
            return match self.nodes[i].judgment {
                None => self.unscored(i, Unscored::Unjudged),
                Some(j) => {
                    let score = self.judged_score(i, j as usize, true);
                    (score, Status::Judged, None)
                }
            };
        }
        let Some(actual) = &target.actual else {
            return self.unscored(i, Unscored::NoEvidence);
        };
        let Some(completion) = completion(target) else {
            return self.unscored(i, Unscored::NoEvidence);
        };
        let mut score = completion.min_one().max_zero().of_points(weight);
        if let Some(j) = self.nodes[i].judgment {
            score = self.apply_deduction(i, j as usize, score, false);
        }
        let over = self.fw.rules.over_achievement.ratio(Dec::HUNDRED);
        if over.is_some_and(|o| completion >= o) {
            self.diags.push(Diagnostic::warning(
                Some(Loc::project(format!("target[{t}].actual"))),
                Problem::OverAchievement {
                    code: self.code_of(i),
                    name: target.name.clone(),
                    rate: completion.percent(2).to_string(),
                    explained: actual.deviation_reason.is_some(),
                },
            ));
        }
        if completion < Ratio::ONE && actual.deviation_reason.is_none() {
            self.diags.push(Diagnostic::warning(
                Some(Loc::project(format!("target[{t}].actual"))),
                Problem::MissedWithoutReason {
                    code: self.code_of(i),
                    name: target.name.clone(),
                },
            ));
        }
        if target.category == Category::Satisfaction
            && matches!(actual.value, ActualValue::Number { .. })
        {
            self.diags.push(Diagnostic::warning(
                Some(Loc::project(format!("target[{t}].actual"))),
                Problem::SatisfactionWithoutSample {
                    code: self.code_of(i),
                    name: target.name.clone(),
                },
            ));
        }
        (score, Status::Measured, Some(completion))
    }

    /// Parents are the exact sums of their children; returns the total.
    fn sum_up(&mut self) -> Points {
        let mut total = Points::ZERO;
        for i in (0..self.nodes.len()).rev() {
            let n = self.nodes[i];
            if n.end as usize > i + 1 && n.status != Status::NotApplicable {
                self.nodes[i].status = Status::Sum;
            }
            match n.parent() {
                Some(p) => self.nodes[p].score = self.nodes[p].score.plus(n.score),
                None => total = total.plus(n.score),
            }
        }
        total
    }
}

/// The score a rate earns under a rule (never above the weight, never below zero).
#[must_use]
pub fn rate_score(rule: &RateRule, rate: Ratio, weight: Points) -> Points {
    let rate = rate.max_zero();
    match rule {
        RateRule::Linear => rate.min_one().of_points(weight),
        RateRule::Tiered {
            steps,
            linear_below,
        } => {
            for s in steps {
                if s.min.ratio(Dec::HUNDRED).is_some_and(|m| rate >= m) {
                    return s
                        .share
                        .ratio(Dec::HUNDRED)
                        .map_or(Points::ZERO, |r| r.min_one().of_points(weight));
                }
            }
            if *linear_below {
                rate.min_one().of_points(weight)
            } else {
                Points::ZERO
            }
        }
    }
}

/// The completion of a quantitative target: 1 means exactly met; above 1, exceeded.
///
/// Positive targets (≥, >): actual / target. Reverse targets (≤, <, or `=` marked 反向):
/// target / actual. `=` targets: 1 when met exactly, otherwise the positive formula
/// (domain.md c.2). `None` when the actual cannot be compared with the target.
#[must_use]
pub fn completion(target: &Target) -> Option<Ratio> {
    let goal = target.number()?;
    let actual = actual_in_target_unit(target)?;
    let reverse = target.direction == Direction::Reverse
        || matches!(target.comparator, Comparator::AtMost | Comparator::Below);
    if target.comparator == Comparator::Equal && actual == goal {
        return Some(Ratio::ONE);
    }
    if reverse {
        if actual.is_zero() {
            return Some(if goal.is_negative() {
                Ratio::ZERO
            } else {
                Ratio::ONE
            });
        }
        goal.ratio(actual).map(Ratio::max_zero)
    } else {
        if goal.is_zero() {
            return Some(if actual.is_negative() {
                Ratio::ZERO
            } else {
                Ratio::ONE
            });
        }
        actual.ratio(goal).map(Ratio::max_zero)
    }
}

/// The actual value converted into the target's unit (counts become percent).
#[must_use]
pub fn actual_in_target_unit(target: &Target) -> Option<Dec> {
    match &target.actual.as_ref()?.value {
        ActualValue::Number { value, unit } => {
            if unit.is_none() || target.unit.is_none() {
                Some(*value)
            } else {
                unit.convert(*value, &target.unit)
            }
        }
        ActualValue::Counts {
            numerator,
            denominator,
        } => {
            let r = numerator.ratio(*denominator)?;
            // Percent with six decimals: exact enough and bounded.
            let p = r.percent(4);
            Dec::new(i64::try_from(p.scaled()).ok()?, 4)
        }
        ActualValue::Text(_) => None,
    }
}

/// Compares every claimed score with the computed one.
fn check_claims(s: &mut Scored<'_>, own: bool) {
    let claimed = &s.project.claimed;
    for code in claimed.nodes.keys() {
        if s.find(code).is_none() {
            let at = Loc::project(format!("claimed.nodes.{code}"));
            let problem = Problem::UnknownRef {
                what: "指标编码",
                key: code.clone(),
            };
            s.diagnostics.push(if own {
                Diagnostic::error(at, problem)
            } else {
                Diagnostic::warning(Some(at), problem)
            });
        }
    }
}

/// domain.md c.6: outputs scoring much better than spending (the 双高/双低 check).
fn check_execution_gap(s: &mut Scored<'_>) {
    let mut exec_score = Points::ZERO;
    let mut exec_weight = Points::ZERO;
    let mut other_score = Points::ZERO;
    let mut other_weight = Points::ZERO;
    for i in 0..s.nodes.len() {
        if !s.is_leaf(i) {
            continue;
        }
        let n = &s.nodes[i];
        let is_exec = matches!(n.origin, NodeOrigin::Framework(f)
            if matches!(s.framework.nodes[f as usize].kind,
                NodeKind::Computed { measure: Measure::ExecutionRate, .. }));
        if is_exec {
            exec_score = exec_score.plus(n.score);
            exec_weight = exec_weight.plus(n.weight);
        } else {
            other_score = other_score.plus(n.score);
            other_weight = other_weight.plus(n.weight);
        }
    }
    let (Some(ind), Some(bud)) = (
        other_score.ratio_to(other_weight),
        exec_score.ratio_to(exec_weight),
    ) else {
        return;
    };
    if ind.num() == 0 {
        return;
    }
    // gap = (ind − bud) / ind
    let gap = Ratio::new(
        ind.num() * bud.den() - bud.num() * ind.den(),
        ind.den() * bud.den(),
    )
    .checked_mul(Ratio::new(ind.den(), ind.num()));
    let limit = s.framework.rules.execution_gap.ratio(Dec::HUNDRED);
    if let (Some(gap), Some(limit)) = (gap, limit)
        && gap > limit
    {
        s.diagnostics.push(Diagnostic::warning(
            None,
            Problem::ExecutionGap {
                indicators: ind.percent(2).to_string(),
                execution: bud.percent(2).to_string(),
                gap: gap.percent(2).to_string(),
            },
        ));
    }
}

#[cfg(test)]
mod tests;
