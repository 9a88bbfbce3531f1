//! The scoring engine: applies a framework to a project and scores every node.
//!
//! Steps, all over one flat pre-order tree:
//! 1. build the tree: the framework's nodes, with each slot expanded into the project's
//!    target indicators (optionally grouped by sub-category) and its weight divided by the
//!    slot's rule;
//! 2. mark what does not apply (an empty slot, a judgment of 不适用) and give its weight to
//!    its siblings in proportion, top-down, so every node is the exact sum of its children;
//! 3. score each leaf once, rounded half-up to hundredths; sum parents exactly;
//! 4. grade the total and note warnings.
//!
//! Data problems never abort: they come back as [`Diagnostic`]s beside the scores. Scoring
//! is on the hot path of batch work (a finance bureau scores thousands of projects), so the
//! engine allocates little: [`Scratch`] buffers can be reused across calls, and warnings are
//! kept as small [`Note`]s and rendered into messages only when someone asks for them.

use std::borrow::Cow;

use crate::code::Code;
use crate::diag::{Diagnostic, Loc, Problem};
use crate::framework::{Denominator, Framework, Measure, NodeKind, RateRule, Slot, Split};
use crate::num::{Dec, Money, Points, Ratio, apportion_into};
use crate::project::{
    ActualValue, Budget, Category, Comparator, Direction, Project, Subcategory, Subject, Target,
    Verdict,
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
    /// Parent position, `NONE` for level 1.
    parent: u32,
    /// One past the last position of this node's subtree.
    end: u32,
    /// Index of the judgment used, if any.
    pub judgment: Option<u16>,
    /// 1-based position among generated siblings (for codes).
    ordinal: u16,
    /// Number of generated siblings (for code width).
    siblings: u16,
    /// 1 for level 1.
    pub depth: u8,
    /// How it was scored.
    pub status: Status,
    /// Weight before redistribution.
    pub base: Points,
    /// Final weight.
    pub weight: Points,
    /// Score.
    pub score: Points,
}

impl Node {
    /// Parent position, `None` for level 1.
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

/// A warning noted while scoring, kept compact and rendered only on demand.
#[derive(Clone, Copy, Debug)]
pub enum Note {
    /// A target far above its goal.
    OverAchievement {
        /// Tree position.
        node: u32,
    },
    /// A target missed without a deviation reason.
    Missed {
        /// Tree position.
        node: u32,
    },
    /// A satisfaction value without survey counts.
    NoSample {
        /// Tree position.
        node: u32,
    },
    /// A node that does not apply.
    NotApplicable {
        /// Tree position.
        node: u32,
    },
    /// A slot fell back to an even split.
    EvenFallback {
        /// Framework node.
        fw: u32,
    },
    /// A computed leaf whose measure has a zero denominator.
    Undefined {
        /// Framework node.
        fw: u32,
    },
    /// A target no slot of the framework takes.
    Untaken {
        /// Target index.
        target: u32,
    },
    /// Indicators score much better than budget execution.
    ExecutionGap {
        /// Indicator score rate.
        indicators: Ratio,
        /// Execution score rate.
        execution: Ratio,
        /// Relative gap.
        gap: Ratio,
    },
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
    /// Errors (and the rare warning that needs its own data), in the order found.
    errors: Vec<Diagnostic>,
    /// Warnings noted while scoring.
    pub notes: Vec<Note>,
}

impl<'a> Scored<'a> {
    /// Positions of the children of node `i` (or of the level-1 nodes for `None`).
    pub fn children(&self, i: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        children_of(&self.nodes, i)
    }

    /// Whether node `i` has no children.
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
        node_name(self.framework, self.project, &self.nodes, i)
    }

    /// The target behind node `i`, if it is one.
    #[must_use]
    pub fn target(&self, i: usize) -> Option<&'a Target> {
        match self.nodes[i].origin {
            NodeOrigin::Target(t) => self.project.targets.get(t as usize),
            _ => None,
        }
    }

    /// The completion rate of a measured target, or the rate of a computed leaf.
    #[must_use]
    pub fn rate(&self, i: usize) -> Option<Ratio> {
        match self.nodes[i].origin {
            NodeOrigin::Target(_) => self.target(i).and_then(completion),
            NodeOrigin::Framework(f) => match &self.framework.nodes[f as usize].kind {
                NodeKind::Computed {
                    measure,
                    denominator,
                    ..
                } => measure_rate(self.framework, self.project, *measure, *denominator),
                _ => None,
            },
            NodeOrigin::Group(..) => None,
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

    /// Whether any problem is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        crate::diag::has_errors(&self.errors)
    }

    /// Every problem found, errors and warnings, with Chinese messages.
    #[must_use]
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = self.errors.clone();
        out.extend(self.notes.iter().map(|n| self.render(n)));
        out
    }

    /// The node's code, with the target id for target indicators (`C114（T04）`).
    fn label(&self, node: u32) -> String {
        let i = node as usize;
        let code = self.code(i);
        match self.target(i) {
            Some(t) => format!("{code}（{}）", t.id),
            None => code.into_owned(),
        }
    }

    fn target_loc(&self, node: u32) -> Option<Loc> {
        match self.nodes[node as usize].origin {
            NodeOrigin::Target(t) => Some(Loc::project(format!("target[{t}].actual"))),
            _ => None,
        }
    }

    fn render(&self, note: &Note) -> Diagnostic {
        let name = |node: u32| self.name(node as usize).into_owned();
        match *note {
            Note::OverAchievement { node } => Diagnostic::warning(
                self.target_loc(node),
                Problem::OverAchievement {
                    code: self.label(node),
                    name: name(node),
                    rate: self
                        .rate(node as usize)
                        .map(|r| r.percent(2).to_string())
                        .unwrap_or_default(),
                    explained: self
                        .target(node as usize)
                        .and_then(|t| t.actual.as_ref())
                        .is_some_and(|a| a.deviation_reason.is_some()),
                },
            ),
            Note::Missed { node } => Diagnostic::warning(
                self.target_loc(node),
                Problem::MissedWithoutReason {
                    code: self.label(node),
                    name: name(node),
                },
            ),
            Note::NoSample { node } => Diagnostic::warning(
                self.target_loc(node),
                Problem::SatisfactionWithoutSample {
                    code: self.label(node),
                    name: name(node),
                },
            ),
            Note::NotApplicable { node } => Diagnostic::warning(
                None,
                Problem::NotApplicable {
                    code: self.label(node),
                    name: name(node),
                },
            ),
            Note::EvenFallback { fw } => Diagnostic::warning(
                None,
                Problem::SplitFallbackEven {
                    code: self.framework.nodes[fw as usize].code.clone(),
                },
            ),
            Note::Undefined { fw } => Diagnostic::warning(
                None,
                Problem::MeasureUndefined {
                    code: self.framework.nodes[fw as usize].code.clone(),
                    why: "分母为零（预算或到位资金为 0）",
                },
            ),
            Note::Untaken { target } => Diagnostic::warning(
                Some(Loc::project(format!("target[{target}]"))),
                Problem::JudgmentMismatch {
                    code: self.project.targets[target as usize].id.to_string(),
                    why: "该目标指标不属于所选框架的任何位置，未计入得分",
                },
            ),
            Note::ExecutionGap {
                indicators,
                execution,
                gap,
            } => Diagnostic::warning(
                None,
                Problem::ExecutionGap {
                    indicators: indicators.percent(2).to_string(),
                    execution: execution.percent(2).to_string(),
                    gap: gap.percent(2).to_string(),
                },
            ),
        }
    }
}

fn children_of(nodes: &[Node], i: Option<usize>) -> impl Iterator<Item = usize> + '_ {
    let (mut c, end) = match i {
        Some(i) => (i + 1, nodes[i].end as usize),
        None => (0, nodes.len()),
    };
    std::iter::from_fn(move || {
        (c < end).then(|| {
            let here = c;
            c = nodes[c].end as usize;
            here
        })
    })
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

fn node_name<'a>(
    fw: &'a Framework,
    project: &'a Project,
    nodes: &[Node],
    i: usize,
) -> Cow<'a, str> {
    match nodes[i].origin {
        NodeOrigin::Framework(f) => {
            let node = &fw.nodes[f as usize];
            let renamed = project.evaluation.names.get(&node.code);
            Cow::Borrowed(renamed.unwrap_or(&node.name))
        }
        NodeOrigin::Group(c, s) => {
            let slot = nodes[i].parent().and_then(|p| match nodes[p].origin {
                NodeOrigin::Framework(f) => match &fw.nodes[f as usize].kind {
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
        NodeOrigin::Target(t) => Cow::Borrowed(&project.targets[t as usize].name),
    }
}

fn as_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn as_u16(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// Reusable working memory for [`score_with`]; one per thread when scoring in batches.
///
/// It remembers the tree laid out for the last project and framework, keyed by the
/// framework's id and address: a framework must not be changed in place while a `Scratch`
/// that has scored with it is still in use.
#[derive(Debug, Default)]
pub struct Scratch {
    jud_fw: Vec<Option<u16>>,
    jud_target: Vec<Option<u16>>,
    taken: Vec<bool>,
    eff: Vec<Option<Points>>,
    shares: Vec<u64>,
    parts: Vec<Points>,
    matched: Vec<u32>,
    members: Vec<u32>,
    gweights: Vec<Points>,
    /// Tree position of each framework pre-order entry.
    pos: Vec<u32>,
    /// Judgment codes resolved for the previous project, by judgment index: projects in a
    /// batch usually list their judgments in the same order.
    memo: Vec<(Code, Option<usize>)>,
    /// The framework the memo belongs to.
    memo_fw: u64,
    /// Target index each judgment named in the previous project, by judgment index.
    target_memo: Vec<u32>,
    /// The (category, sub-category) group bit of each target of the project.
    gbits: Vec<u8>,
    /// The group bits each framework slot takes, by framework node (0 for other nodes).
    slot_masks: Vec<u64>,
    /// The tree laid out for the previous project, reused when the next one has the same
    /// shape.
    layout: Layout,
}

/// The applied tree before any leaf is scored, with what laying it out found, and the
/// inputs it was laid out from.
///
/// Laying out reads only the framework, whether the project names it, the target sheet's
/// categories, weights and ids, and the judgments' subjects and whether they say 不适用. In a
/// batch, consecutive projects of one department usually share all of these and differ only
/// in values, so the layout is built once and copied.
#[derive(Debug, Default)]
struct Layout {
    valid: bool,
    fw: (u64, usize),
    own: bool,
    /// Group bit, weight and id of each target.
    targets: Vec<(u8, Option<Points>, Code)>,
    /// Subject of each judgment, and whether it says 不适用.
    judgments: Vec<(Subject, bool)>,
    nodes: Vec<Node>,
    errors: Vec<Diagnostic>,
    notes: Vec<Note>,
}

impl Layout {
    /// Whether this layout was built from the same inputs as `project` would be. The caller
    /// has filled `gbits` for `project`.
    fn fits(&self, fw: &Framework, project: &Project, own: bool, gbits: &[u8]) -> bool {
        let targets = &project.targets;
        let judgments = &project.evaluation.judgments;
        self.valid
            && self.fw == (fw.id(), std::ptr::from_ref(fw).addr())
            && self.own == own
            && project.evaluation.weights.is_empty()
            && self.targets.len() == targets.len()
            && self.judgments.len() == judgments.len()
            && self
                .targets
                .iter()
                .zip(targets.iter().zip(gbits))
                .all(|((bit, w, id), (t, b))| bit == b && *w == t.weight && *id == t.id)
            && self
                .judgments
                .iter()
                .zip(judgments)
                .all(|((subject, na), j)| {
                    *na == (j.verdict == Verdict::NotApplicable) && *subject == j.subject
                })
    }

    /// Remembers the layout just built from `project`'s inputs.
    fn keep(&mut self, b: &Builder<'_, '_>) {
        let project = b.project;
        self.valid = project.evaluation.weights.is_empty();
        if !self.valid {
            return;
        }
        self.fw = (b.fw.id(), std::ptr::from_ref(b.fw).addr());
        self.own = b.own;
        self.targets.clear();
        self.targets.extend(
            project
                .targets
                .iter()
                .zip(&b.s.gbits)
                .map(|(t, &bit)| (bit, t.weight, t.id.clone())),
        );
        self.judgments.clear();
        self.judgments.extend(
            project
                .evaluation
                .judgments
                .iter()
                .map(|j| (j.subject.clone(), j.verdict == Verdict::NotApplicable)),
        );
        self.nodes.clone_from(&b.nodes);
        self.errors.clone_from(&b.errors);
        self.notes.clone_from(&b.notes);
    }
}

/// String equality without a library call: the codes and ids compared while scoring are a
/// few bytes long, where calling `memcmp` costs more than the comparison.
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// Scores a project with a framework.
#[must_use]
pub fn score<'a>(fw: &'a Framework, project: &'a Project) -> Scored<'a> {
    score_with(fw, project, &mut Scratch::default())
}

/// Scores a project with a framework, reusing `scratch`'s buffers.
#[must_use]
pub fn score_with<'a>(
    fw: &'a Framework,
    project: &'a Project,
    scratch: &mut Scratch,
) -> Scored<'a> {
    let mut b = Builder {
        fw,
        project,
        nodes: Vec::with_capacity(fw.nodes.len() + project.targets.len() + 8),
        errors: Vec::new(),
        notes: Vec::new(),
        s: scratch,
        own: own_framework(fw, project),
        over: fw.rules.over_achievement.ratio(Dec::HUNDRED),
        na_possible: false,
        leaves: LeafSums::default(),
    };
    if b.s.memo_fw != fw.id() {
        b.s.memo.clear();
        b.s.slot_masks.clear();
        b.s.slot_masks
            .extend(fw.nodes.iter().map(|n| match &n.kind {
                NodeKind::Slot(slot) => slot_mask(slot),
                _ => 0,
            }));
        b.s.memo_fw = fw.id();
    }
    b.s.gbits.clear();
    b.s.gbits.extend(
        project
            .targets
            .iter()
            .map(|t| group_bit(t.category, t.subcategory)),
    );
    if b.s.layout.fits(fw, project, b.own, &b.s.gbits) {
        let layout = &b.s.layout;
        b.nodes.extend_from_slice(&layout.nodes);
        b.errors.extend_from_slice(&layout.errors);
        b.notes.extend_from_slice(&layout.notes);
    } else {
        b.lay_out();
        let mut layout = std::mem::take(&mut b.s.layout);
        layout.keep(&b);
        b.s.layout = layout;
    }
    b.score_leaves();
    let total = b.sum_up();
    let own = b.own;
    let leaves = b.leaves;
    let mut s = Scored {
        framework: fw,
        project,
        nodes: b.nodes,
        total,
        errors: b.errors,
        notes: b.notes,
    };
    if !project.claimed.nodes.is_empty() {
        check_claims(&mut s, own);
    }
    if let Some(note) = execution_gap(fw, leaves) {
        s.notes.push(note);
    }
    s
}

struct Builder<'a, 's> {
    fw: &'a Framework,
    project: &'a Project,
    nodes: Vec<Node>,
    errors: Vec<Diagnostic>,
    notes: Vec<Note>,
    s: &'s mut Scratch,
    /// Whether the project was written for this framework.
    own: bool,
    /// The completion above which a target counts as over-achieved.
    over: Option<Ratio>,
    /// Whether a judgment of 不适用 or an empty slot was met while building.
    na_possible: bool,
    /// Scores and weights of the leaves, for the 双高/双低 check.
    leaves: LeafSums,
}

/// Scores and weights of the leaves, budget execution apart from the rest.
#[derive(Clone, Copy, Debug, Default)]
struct LeafSums {
    exec_score: Points,
    exec_weight: Points,
    other_score: Points,
    other_weight: Points,
}

/// Whether the project names this framework: references to nodes the framework lacks are
/// errors then, and merely ignored (with a warning) when scoring with another framework.
fn own_framework(fw: &Framework, project: &Project) -> bool {
    project.framework_name().is_none_or(|n| {
        same(n, &fw.name)
            || n.strip_suffix(".toml")
                .is_some_and(|stem| stem.ends_with(fw.name.as_str()))
    })
}

fn jloc(j: usize, field: &str) -> Loc {
    Loc::project(format!("evaluation.judgment[{j}].{field}"))
}

/// Readers trim text and drop blank fields, and validation refuses blank reasons, so an
/// empty check suffices here.
fn no_reason(reason: Option<&String>) -> bool {
    reason.is_none_or(String::is_empty)
}

impl Builder<'_, '_> {
    /// Builds the applied tree with its final weights, before any leaf is scored.
    fn lay_out(&mut self) {
        self.s.jud_fw.clear();
        self.s.jud_fw.resize(self.fw.nodes.len(), None);
        self.s.jud_target.clear();
        self.s.jud_target.resize(self.project.targets.len(), None);
        self.s.taken.clear();
        self.s.taken.resize(self.project.targets.len(), false);
        self.resolve_weights();
        self.resolve_judgments();
        self.build();
        self.untaken_targets();
        self.check_weights();
        // Only a judgment of 不适用 or a slot without targets starts a not-applicable
        // subtree.
        let any_na = self.na_possible && self.mark_not_applicable();
        // With nothing dropped and the framework's own, consistent weights, every node keeps
        // its base weight (slot children were divided exactly): nothing to redistribute.
        if any_na || !self.fw.consistent() || !self.project.evaluation.weights.is_empty() {
            self.distribute();
        }
    }

    /// Effective weight of each framework node: the evaluation's, the framework's, or an
    /// even share of the parent's when no sibling has one.
    fn resolve_weights(&mut self) {
        let fw = self.fw;
        let overrides = &self.project.evaluation.weights;
        self.s.eff.clear();
        if overrides.is_empty() {
            self.s.eff.extend(fw.nodes.iter().map(|n| n.weight));
        } else {
            self.s.eff.extend(
                fw.nodes
                    .iter()
                    .map(|n| overrides.get(&n.code).copied().or(n.weight)),
            );
        }
        if !(overrides.is_empty() && fw.fully_weighted()) {
            self.derive_even(None, Some(fw.total));
        }
    }

    /// Gives unweighted siblings equal shares of their parent's weight, recursively.
    fn derive_even(&mut self, parent: Option<usize>, parent_weight: Option<Points>) {
        let fw = self.fw;
        let kids: &[usize] = match parent {
            Some(p) => fw.children(p),
            None => fw.roots(),
        };
        if let Some(w) = parent_weight
            && !kids.is_empty()
            && kids.iter().all(|&k| self.s.eff[k].is_none())
        {
            let parts = crate::num::apportion(w, &vec![1; kids.len()]);
            for (k, p) in kids.iter().zip(parts) {
                self.s.eff[*k] = Some(p);
            }
        }
        for &k in kids {
            self.derive_even(Some(k), self.s.eff[k]);
        }
    }

    /// The framework index of a judged code, remembering it for the next project.
    fn lookup(&mut self, j: usize, code: &Code) -> Option<usize> {
        if let Some((c, idx)) = self.s.memo.get(j)
            && c == code
        {
            return *idx;
        }
        let idx = self.fw.index_of(code);
        if j >= self.s.memo.len() {
            self.s.memo.resize(j + 1, (Code::default(), None));
        }
        self.s.memo[j] = (code.clone(), idx);
        idx
    }

    /// The index of the target with this id, trying first the one the same judgment named
    /// in the previous project.
    fn target_index(&mut self, j: usize, id: &Code) -> Option<usize> {
        let targets = &self.project.targets;
        if let Some(&t) = self.s.target_memo.get(j)
            && targets.get(t as usize).is_some_and(|tg| tg.id == *id)
        {
            return Some(t as usize);
        }
        let t = targets.iter().position(|tg| tg.id == *id)?;
        if j >= self.s.target_memo.len() {
            self.s.target_memo.resize(j + 1, u32::MAX);
        }
        self.s.target_memo[j] = as_u32(t);
        Some(t)
    }

    fn resolve_judgments(&mut self) {
        for (j, jd) in self.project.evaluation.judgments.iter().enumerate() {
            let field = match &jd.subject {
                Subject::Node(_) => "node",
                Subject::Target(_) => "target",
            };
            let slot = match &jd.subject {
                Subject::Node(code) => match self.lookup(j, code) {
                    Some(f) => {
                        let node = &self.fw.nodes[f];
                        if !self.fw.children(f).is_empty() || matches!(node.kind, NodeKind::Slot(_))
                        {
                            self.errors.push(Diagnostic::error(
                                jloc(j, field),
                                Problem::JudgmentMismatch {
                                    code: code.to_string(),
                                    why: "只能对末级指标评分，上级指标的得分由下级指标相加得出",
                                },
                            ));
                            continue;
                        }
                        &mut self.s.jud_fw[f]
                    }
                    None => {
                        let problem = Problem::UnknownRef {
                            what: "指标编码",
                            key: code.to_string(),
                        };
                        self.errors.push(if self.own {
                            Diagnostic::error(jloc(j, field), problem)
                        } else {
                            Diagnostic::warning(Some(jloc(j, field)), problem)
                        });
                        continue;
                    }
                },
                Subject::Target(id) => match self.target_index(j, id) {
                    Some(t) => &mut self.s.jud_target[t],
                    None => {
                        self.errors.push(Diagnostic::error(
                            jloc(j, field),
                            Problem::UnknownRef {
                                what: "目标编号",
                                key: id.to_string(),
                            },
                        ));
                        continue;
                    }
                },
            };
            if slot.is_some() {
                self.errors.push(Diagnostic::error(
                    jloc(j, field),
                    Problem::DuplicateJudgment {
                        code: jd.subject.to_string(),
                    },
                ));
            } else {
                *slot = Some(as_u16(j));
                self.na_possible |= jd.verdict == Verdict::NotApplicable;
            }
        }
    }

    fn push(&mut self, origin: NodeOrigin, parent: u32, depth: u8, base: Points) -> usize {
        self.nodes.push(Node {
            origin,
            parent,
            end: 0,
            judgment: None,
            ordinal: 0,
            siblings: 0,
            depth,
            status: Status::Sum,
            base,
            weight: base,
            score: Points::ZERO,
        });
        self.nodes.len() - 1
    }

    /// Lays the framework out in pre-order, expanding slots into the project's targets.
    fn build(&mut self) {
        let fw = self.fw;
        self.s.pos.clear();
        for &(f, parent, depth) in fw.preorder() {
            let f = f as usize;
            let parent = if parent == NONE {
                NONE
            } else {
                self.s.pos[parent as usize]
            };
            let base = self.s.eff[f].unwrap_or(Points::ZERO);
            let me = self.push(NodeOrigin::Framework(as_u32(f)), parent, depth, base);
            self.s.pos.push(as_u32(me));
            let n = &mut self.nodes[me];
            n.judgment = self.s.jud_fw[f];
            n.end = as_u32(me + 1);
            if let NodeKind::Slot(slot) = &fw.nodes[f].kind {
                self.expand_slot(me, f, slot, depth);
            }
        }
        // Children follow their parent, so walking backwards finalises every subtree's end
        // before its parent needs it.
        for i in (0..self.nodes.len()).rev() {
            let (parent, end) = (self.nodes[i].parent, self.nodes[i].end);
            if parent != NONE {
                let p = &mut self.nodes[parent as usize];
                p.end = p.end.max(end);
            }
        }
    }

    /// The split a slot will really use, checking the target sheet's weights.
    fn effective_split(&mut self, f: usize, slot: &Slot, matched: &[u32]) -> Split {
        if slot.split != Split::TargetWeights {
            return slot.split;
        }
        let targets = &self.project.targets;
        let with = matched
            .iter()
            .filter(|&&t| targets[t as usize].weight.is_some())
            .count();
        if with == matched.len() {
            return Split::TargetWeights;
        }
        if with == 0 {
            self.notes.push(Note::EvenFallback { fw: as_u32(f) });
        } else {
            for &t in matched
                .iter()
                .filter(|&&t| targets[t as usize].weight.is_none())
            {
                self.errors.push(Diagnostic::error(
                    Loc::project(format!("target[{t}].weight")),
                    Problem::MissingWeight {
                        code: targets[t as usize].id.to_string(),
                    },
                ));
            }
        }
        Split::Even
    }

    fn expand_slot(&mut self, me: usize, f: usize, slot: &Slot, depth: u8) {
        let targets = &self.project.targets;
        let mut matched = std::mem::take(&mut self.s.matched);
        matched.clear();
        // Present (category, sub-category) pairs as a bit set, in canonical order.
        let mut present: u64 = 0;
        let mask = self.s.slot_masks[f];
        for (t, &bit) in self.s.gbits.iter().enumerate() {
            if mask & (1_u64 << bit) != 0 {
                matched.push(as_u32(t));
                present |= 1 << bit;
                if self.s.taken[t] {
                    self.errors.push(Diagnostic::error(
                        Loc::framework(format!("node[{f}].categories")),
                        Problem::BadTree {
                            code: self.fw.nodes[f].code.clone(),
                            why: "与其他位置重复收录了同一目标指标",
                        },
                    ));
                }
                self.s.taken[t] = true;
            }
        }
        if matched.is_empty() {
            self.na_possible = true;
            self.s.matched = matched;
            return;
        }
        let split = self.effective_split(f, slot, &matched);
        let share = |t: u32| -> u64 {
            match split {
                Split::TargetWeights => {
                    u64::try_from(targets[t as usize].weight.map_or(0, Points::centi)).unwrap_or(0)
                }
                Split::Even | Split::EvenPerGroup => 1,
            }
        };
        let weight = self.nodes[me].base;
        if slot.group {
            let groups = present.count_ones() as usize;
            self.s.shares.clear();
            let mut bits = present;
            while bits != 0 {
                let g = bits.trailing_zeros();
                bits &= bits - 1;
                let sum: u64 = matched
                    .iter()
                    .filter(|&&t| u32::from(self.s.gbits[t as usize]) == g)
                    .map(|&t| share(t))
                    .sum();
                self.s
                    .shares
                    .push(if split == Split::EvenPerGroup { 1 } else { sum });
            }
            let mut gweights = std::mem::take(&mut self.s.gweights);
            gweights.clear();
            gweights.resize(groups, Points::ZERO);
            apportion_into(weight, &self.s.shares, &mut gweights);
            let mut bits = present;
            let mut gi = 0;
            while bits != 0 {
                let g = bits.trailing_zeros();
                bits &= bits - 1;
                let (c, s) = group_of(g);
                let gpos = self.push(
                    NodeOrigin::Group(c, s),
                    as_u32(me),
                    depth.saturating_add(1),
                    gweights[gi],
                );
                self.nodes[gpos].ordinal = as_u16(gi + 1);
                self.nodes[gpos].siblings = as_u16(groups);
                let mut members = std::mem::take(&mut self.s.members);
                members.clear();
                members.extend(
                    matched
                        .iter()
                        .copied()
                        .filter(|&t| u32::from(self.s.gbits[t as usize]) == g),
                );
                self.push_targets(gpos, &members, gweights[gi], depth.saturating_add(2), share);
                self.s.members = members;
                self.nodes[gpos].end = as_u32(self.nodes.len());
                gi += 1;
            }
            self.s.gweights = gweights;
        } else {
            self.push_targets(me, &matched, weight, depth.saturating_add(1), share);
        }
        self.s.matched = matched;
    }

    fn push_targets(
        &mut self,
        parent: usize,
        members: &[u32],
        weight: Points,
        depth: u8,
        share: impl Fn(u32) -> u64,
    ) {
        self.s.shares.clear();
        self.s.shares.extend(members.iter().map(|&t| share(t)));
        self.s.parts.clear();
        self.s.parts.resize(members.len(), Points::ZERO);
        apportion_into(weight, &self.s.shares, &mut self.s.parts);
        for (k, &t) in members.iter().enumerate() {
            let pos = self.push(
                NodeOrigin::Target(t),
                as_u32(parent),
                depth,
                self.s.parts[k],
            );
            let n = &mut self.nodes[pos];
            n.ordinal = as_u16(k + 1);
            n.siblings = as_u16(members.len());
            n.judgment = self.s.jud_target[t as usize];
            n.end = as_u32(pos + 1);
        }
    }

    fn untaken_targets(&mut self) {
        for (t, taken) in self.s.taken.iter().enumerate() {
            if !taken {
                self.notes.push(Note::Untaken { target: as_u32(t) });
            }
        }
    }

    /// Checks that the weights set by the framework or the evaluation add up.
    fn check_weights(&mut self) {
        if self.project.evaluation.weights.is_empty()
            && self.fw.consistent()
            && self.fw.constraints.is_empty()
        {
            return;
        }
        let mut roots = Points::ZERO;
        for i in 0..self.nodes.len() {
            let n = &self.nodes[i];
            let NodeOrigin::Framework(f) = n.origin else {
                continue;
            };
            let fnode = &self.fw.nodes[f as usize];
            let overridden = || self.project.evaluation.weights.contains_key(&fnode.code);
            // Built only when there is something to report: this loop runs for every project.
            let loc = || {
                if overridden() {
                    Loc::project(format!("evaluation.weights.{}", fnode.code))
                } else {
                    Loc::framework(format!("node[{f}].weight"))
                }
            };
            if self.s.eff[f as usize].is_none() {
                self.errors.push(Diagnostic::error(
                    loc(),
                    Problem::MissingWeight {
                        code: fnode.code.clone(),
                    },
                ));
                continue;
            }
            if n.base.centi() <= 0 {
                self.errors.push(Diagnostic::error(
                    loc(),
                    Problem::NonPositiveWeight {
                        code: fnode.code.clone(),
                        value: n.base.to_string(),
                    },
                ));
            }
            if n.parent == NONE {
                roots = roots.plus(n.base);
            }
            if !self.fw.children(f as usize).is_empty() {
                let sum: Points = children_of(&self.nodes, Some(i))
                    .filter(|&c| matches!(self.nodes[c].origin, NodeOrigin::Framework(_)))
                    .map(|c| self.nodes[c].base)
                    .sum();
                if sum != n.base {
                    let base = n.base;
                    self.errors.push(Diagnostic::error(
                        loc(),
                        Problem::WeightsDontSum {
                            code: fnode.code.clone(),
                            expected: base.to_string(),
                            actual: sum.to_string(),
                        },
                    ));
                }
            }
        }
        if roots != self.fw.total && !crate::diag::has_errors(&self.errors) {
            self.errors.push(Diagnostic::error(
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
                .filter_map(|f| self.s.eff[f])
                .sum();
            if sum < c.min {
                self.errors.push(Diagnostic::error(
                    Loc::project("evaluation.weights"),
                    Problem::ConstraintViolated {
                        rule: format!("{} ≥ {}", c.codes.join(" + "), c.min),
                        actual: sum.to_string(),
                    },
                ));
            }
        }
    }

    /// Marks what does not apply; returns whether anything was marked.
    fn mark_not_applicable(&mut self) -> bool {
        let mut any = false;
        // Reverse pre-order visits children before parents.
        for i in (0..self.nodes.len()).rev() {
            let n = &self.nodes[i];
            let na = if n.end as usize == i + 1 {
                let judged_na = n.judgment.is_some_and(|j| {
                    self.project.evaluation.judgments[j as usize].verdict == Verdict::NotApplicable
                });
                let empty_slot = matches!(n.origin, NodeOrigin::Framework(f)
                    if matches!(self.fw.nodes[f as usize].kind, NodeKind::Slot(_)));
                judged_na || empty_slot
            } else {
                children_of(&self.nodes, Some(i))
                    .all(|c| self.nodes[c].status == Status::NotApplicable)
            };
            if na {
                self.nodes[i].status = Status::NotApplicable;
                any = true;
            }
        }
        any
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

    /// Whether every child would keep its base weight: the parent kept its total and no
    /// child dropped out.
    fn unchanged(&self, start: usize, end: usize, total: Points) -> bool {
        let mut c = start;
        let mut sum = Points::ZERO;
        while c < end {
            let n = &self.nodes[c];
            if n.status == Status::NotApplicable || n.weight != n.base {
                return false;
            }
            sum = sum.plus(n.base);
            c = n.end as usize;
        }
        sum == total
    }

    fn divide(&mut self, parent: Option<usize>) {
        let (start, end, total) = match parent {
            Some(p) => (p + 1, self.nodes[p].end as usize, self.nodes[p].weight),
            None => (0, self.nodes.len(), self.fw.total),
        };
        let applicable = parent.is_none_or(|p| self.nodes[p].status != Status::NotApplicable);
        if applicable && self.unchanged(start, end, total) {
            return;
        }
        self.s.shares.clear();
        let mut c = start;
        while c < end {
            let n = &self.nodes[c];
            self.s.shares.push(if n.status == Status::NotApplicable {
                0
            } else {
                u64::try_from(n.base.centi()).unwrap_or(0)
            });
            c = n.end as usize;
        }
        self.s.parts.clear();
        self.s.parts.resize(self.s.shares.len(), Points::ZERO);
        if applicable {
            apportion_into(total, &self.s.shares, &mut self.s.parts);
        }
        let mut c = start;
        let mut k = 0;
        while c < end {
            self.nodes[c].weight = self.s.parts[k];
            k += 1;
            c = self.nodes[c].end as usize;
        }
    }

    fn score_leaves(&mut self) {
        let mut sums = LeafSums::default();
        for i in 0..self.nodes.len() {
            if self.nodes[i].end as usize != i + 1 {
                continue;
            }
            if self.nodes[i].status == Status::NotApplicable {
                // Its weight went to its siblings: it adds nothing to the sums.
                self.notes.push(Note::NotApplicable { node: as_u32(i) });
                continue;
            }
            let mut exec = false;
            let (score, status) = match self.nodes[i].origin {
                NodeOrigin::Framework(f) => {
                    exec = matches!(
                        self.fw.nodes[f as usize].kind,
                        NodeKind::Computed {
                            measure: Measure::ExecutionRate,
                            ..
                        }
                    );
                    self.score_fw_leaf(i, f as usize)
                }
                NodeOrigin::Target(t) => self.score_target(i, t as usize),
                NodeOrigin::Group(..) => (Points::ZERO, Status::Sum),
            };
            let n = &mut self.nodes[i];
            n.score = score;
            n.status = status;
            if exec {
                sums.exec_score = sums.exec_score.plus(score);
                sums.exec_weight = sums.exec_weight.plus(n.weight);
            } else {
                sums.other_score = sums.other_score.plus(score);
                sums.other_weight = sums.other_weight.plus(n.weight);
            }
        }
        self.leaves = sums;
    }

    fn unscored(&self, i: usize, why: Unscored) -> (Points, Status) {
        (
            unscored_points(self.fw, self.nodes[i].weight),
            Status::Unscored(why),
        )
    }

    /// The node's code, with the target id for target indicators (`C114（T04）`); for
    /// error messages only.
    fn code_of(&self, i: usize) -> String {
        let code = node_code(self.fw, &self.nodes, i);
        match self.nodes[i].origin {
            NodeOrigin::Target(t) => format!("{code}（{}）", self.project.targets[t as usize].id),
            _ => code.into_owned(),
        }
    }

    fn score_fw_leaf(&mut self, i: usize, f: usize) -> (Points, Status) {
        let weight = self.nodes[i].weight;
        match &self.fw.nodes[f].kind {
            NodeKind::Computed {
                measure,
                rule,
                denominator,
            } => {
                let Some(rate) = measure_rate(self.fw, self.project, *measure, *denominator) else {
                    self.notes.push(Note::Undefined { fw: as_u32(f) });
                    return self.unscored(i, Unscored::Undefined);
                };
                let mut score = rate_score(rule, rate, weight);
                if let Some(j) = self.nodes[i].judgment {
                    score = self.apply_deduction(i, j as usize, score, true);
                }
                (score, Status::Computed)
            }
            NodeKind::Judged => match self.nodes[i].judgment {
                None => self.unscored(i, Unscored::Unjudged),
                Some(j) => (self.judged_score(i, j as usize, false), Status::Judged),
            },
            NodeKind::Group | NodeKind::Slot(_) => (Points::ZERO, Status::Sum),
        }
    }

    /// Applies a `Deduction` verdict to a computed score; other verdicts are refused.
    fn apply_deduction(&mut self, i: usize, j: usize, score: Points, computed: bool) -> Points {
        let jd = &self.project.evaluation.judgments[j];
        match &jd.verdict {
            Verdict::Deduction(d) => {
                if d.centi() > 0 && no_reason(jd.reason.as_ref()) {
                    self.errors.push(Diagnostic::error(
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
                self.errors.push(Diagnostic::error(
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
        let raw = verdict_points(&jd.verdict, weight);
        if raw > weight {
            self.errors.push(Diagnostic::error(
                jloc(j, "score"),
                Problem::ScoreAboveWeight {
                    code: self.code_of(i),
                    score: raw.to_string(),
                    weight: weight.to_string(),
                },
            ));
        }
        if raw < Points::ZERO {
            self.errors.push(Diagnostic::error(
                jloc(j, "score"),
                Problem::NonPositiveWeight {
                    code: self.code_of(i),
                    value: raw.to_string(),
                },
            ));
        }
        let score = raw.clamp(Points::ZERO, weight);
        if score < weight && no_reason(jd.reason.as_ref()) {
            self.errors.push(Diagnostic::error(
                jloc(j, "reason"),
                Problem::DeductionWithoutReason {
                    code: self.code_of(i),
                    deduction: weight.minus(score).to_string(),
                },
            ));
        }
        if qualitative {
            self.check_tier(i, j, score, weight);
        } else if jd.tier.is_some() {
            self.errors.push(Diagnostic::error(
                jloc(j, "tier"),
                Problem::JudgmentMismatch {
                    code: self.code_of(i),
                    why: "档次（tier）只用于定性目标指标",
                },
            ));
        }
        score
    }

    /// A qualitative judgment names its tier, and its share lies in the tier's band.
    fn check_tier(&mut self, i: usize, j: usize, score: Points, weight: Points) {
        let jd = &self.project.evaluation.judgments[j];
        let Some(tier) = jd.tier else {
            self.errors.push(Diagnostic::error(
                jloc(j, "tier"),
                Problem::MissingField {
                    field: "tier（定性指标须选择：达成、部分达成、未达成）".into(),
                },
            ));
            return;
        };
        let band = self.fw.rules.band(tier);
        let share = match &jd.verdict {
            Verdict::Share(s) => Some(*s),
            _ => score.ratio_to(weight).map(|r| {
                let p = r.percent(2);
                Dec::new(i64::try_from(p.scaled()).unwrap_or(0), 2).unwrap_or(Dec::ZERO)
            }),
        };
        if let Some(share) = share.filter(|s| !band.contains(*s)) {
            self.errors.push(Diagnostic::error(
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

    fn score_target(&mut self, i: usize, t: usize) -> (Points, Status) {
        let target = &self.project.targets[t];
        if target.is_qualitative() {
            return match self.nodes[i].judgment {
                None => self.unscored(i, Unscored::Unjudged),
                Some(j) => (self.judged_score(i, j as usize, true), Status::Judged),
            };
        }
        let Some(actual) = &target.actual else {
            return self.unscored(i, Unscored::NoEvidence);
        };
        let Some(done) = completion(target) else {
            return self.unscored(i, Unscored::NoEvidence);
        };
        let mut score = completion_points(done, self.nodes[i].weight);
        if let Some(j) = self.nodes[i].judgment {
            score = self.apply_deduction(i, j as usize, score, false);
        }
        let node = as_u32(i);
        if self.over.is_some_and(|o| done >= o) {
            self.notes.push(Note::OverAchievement { node });
        }
        if done < Ratio::ONE && actual.deviation_reason.is_none() {
            self.notes.push(Note::Missed { node });
        }
        if target.category == Category::Satisfaction
            && matches!(actual.value, ActualValue::Number { .. })
        {
            self.notes.push(Note::NoSample { node });
        }
        (score, Status::Measured)
    }

    /// Parents are the exact sums of their children; returns the total.
    fn sum_up(&mut self) -> Points {
        let mut total = Points::ZERO;
        for i in (0..self.nodes.len()).rev() {
            let (parent, score) = (self.nodes[i].parent, self.nodes[i].score);
            if parent == NONE {
                total = total.plus(score);
            } else {
                let p = &mut self.nodes[parent as usize];
                p.score = p.score.plus(score);
            }
        }
        total
    }
}

/// The bit of a (category, sub-category) pair; canonical order is category-major.
fn group_bit(c: Category, s: Subcategory) -> u8 {
    let ci = Category::ALL.iter().position(|x| *x == c).unwrap_or(0);
    let si = Subcategory::ALL.iter().position(|x| *x == s).unwrap_or(0);
    u8::try_from(ci * Subcategory::ALL.len() + si).unwrap_or(u8::MAX)
}

/// The group bits of every (category, sub-category) pair a slot takes.
fn slot_mask(slot: &Slot) -> u64 {
    let mut mask = 0;
    for &c in Category::ALL {
        for &s in Subcategory::ALL {
            if slot.takes(c, s) {
                mask |= 1 << group_bit(c, s);
            }
        }
    }
    mask
}

/// The pair of a group bit.
fn group_of(bit: u32) -> (Category, Subcategory) {
    let n = Subcategory::ALL.len();
    let b = bit as usize;
    (
        Category::ALL
            .get(b / n)
            .copied()
            .unwrap_or(Category::Output),
        Subcategory::ALL
            .get(b % n)
            .copied()
            .unwrap_or(Subcategory::Quantity),
    )
}

/// The rate a computed leaf measures; `None` when its denominator is zero.
#[must_use]
pub fn measure_rate(
    fw: &Framework,
    project: &Project,
    measure: Measure,
    denominator: Option<Denominator>,
) -> Option<Ratio> {
    budget_rate(fw, &BudgetTotals::of(&project.budget), measure, denominator)
}

/// The budget figures the computed leaves read.
#[derive(Clone, Copy, Debug)]
struct BudgetTotals {
    appropriation: Money,
    adjusted: Money,
    received: Money,
    spent: Money,
}

impl BudgetTotals {
    fn of(b: &Budget) -> BudgetTotals {
        BudgetTotals {
            appropriation: b.appropriation,
            adjusted: b.adjusted(),
            received: b.received(),
            spent: b.spent(),
        }
    }
}

/// The rate a computed leaf measures from the budget's totals (see [`measure_rate`]).
fn budget_rate(
    fw: &Framework,
    b: &BudgetTotals,
    measure: Measure,
    denominator: Option<Denominator>,
) -> Option<Ratio> {
    match measure {
        Measure::ExecutionRate => {
            let den = match denominator.unwrap_or(fw.rules.execution_denominator) {
                Denominator::AdjustedBudget => b.adjusted,
                Denominator::Appropriation => b.appropriation,
                Denominator::Received => b.received,
            };
            b.spent.ratio_to(den)
        }
        Measure::FundsReceivedRate => b.received.ratio_to(b.adjusted),
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
    completion_of(
        target.number()?,
        actual_in_target_unit(target)?,
        target.comparator,
        target.direction,
    )
}

/// The completion of `actual` against `goal`, both in the target's unit (see
/// [`completion`]).
#[must_use]
pub fn completion_of(
    goal: Dec,
    actual: Dec,
    comparator: Comparator,
    direction: Direction,
) -> Option<Ratio> {
    let reverse = direction == Direction::Reverse
        || matches!(comparator, Comparator::AtMost | Comparator::Below);
    if comparator == Comparator::Equal && actual == goal {
        return Some(Ratio::ONE);
    }
    let (num, den) = if reverse {
        (goal, actual)
    } else {
        (actual, goal)
    };
    if den.is_zero() {
        // Nothing allowed and nothing done (reverse), or nothing asked (positive): met,
        // unless the other side is negative.
        return Some(if num.is_negative() {
            Ratio::ZERO
        } else {
            Ratio::ONE
        });
    }
    num.ratio(den).map(Ratio::max_zero)
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
            // Percent with four decimals: exact enough and bounded.
            let p = r.percent(4);
            Dec::new(i64::try_from(p.scaled()).ok()?, 4)
        }
        ActualValue::Text(_) => None,
    }
}

/// The score of a measured target from its completion: capped at the weight.
fn completion_points(done: Ratio, weight: Points) -> Points {
    done.min_one().max_zero().of_points(weight)
}

/// The score a judgment's verdict gives before it is clamped to [0, weight].
fn verdict_points(verdict: &Verdict, weight: Points) -> Points {
    match verdict {
        Verdict::Score(p) => *p,
        Verdict::Share(s) => s
            .ratio(Dec::HUNDRED)
            .map_or(Points::ZERO, |r| r.of_points(weight)),
        Verdict::Deduction(d) => weight.minus(*d),
        Verdict::NotApplicable => Points::ZERO,
    }
}

/// The score of a leaf with no real score (无佐证, 未评分, 无法计算): the framework's share of
/// its weight, 0 by default.
fn unscored_points(fw: &Framework, weight: Points) -> Points {
    let share = fw.rules.unscored_share;
    if share.is_zero() {
        Points::ZERO
    } else {
        share
            .ratio(Dec::HUNDRED)
            .map_or(Points::ZERO, |r| r.of_points(weight))
    }
}

/// Every claimed node code must exist in the scored tree.
fn check_claims(s: &mut Scored<'_>, own: bool) {
    let claimed = &s.project.claimed;
    for code in claimed.nodes.keys() {
        // Every framework node is in the tree; only generated codes need a search.
        if s.framework.index_of(code).is_none() && s.find(code).is_none() {
            let at = Loc::project(format!("claimed.nodes.{code}"));
            let problem = Problem::UnknownRef {
                what: "指标编码",
                key: code.clone(),
            };
            s.errors.push(if own {
                Diagnostic::error(at, problem)
            } else {
                Diagnostic::warning(Some(at), problem)
            });
        }
    }
}

/// domain.md c.6: outputs scoring much better than spending (the 双高/双低 check).
fn execution_gap(fw: &Framework, leaves: LeafSums) -> Option<Note> {
    let LeafSums {
        exec_score,
        exec_weight,
        other_score,
        other_weight,
    } = leaves;
    let (Some(ind), Some(bud)) = (
        other_score.ratio_to(other_weight),
        exec_score.ratio_to(exec_weight),
    ) else {
        return None;
    };
    if ind.num() <= 0 || ind <= bud {
        return None;
    }
    // gap = (ind − bud) / ind
    let gap = Ratio::new(
        ind.num() * bud.den() - bud.num() * ind.den(),
        ind.den() * bud.den(),
    )
    .checked_mul(Ratio::new(ind.den(), ind.num()));
    let (gap, limit) = (gap?, fw.rules.execution_gap.ratio(Dec::HUNDRED)?);
    (gap > limit).then_some(Note::ExecutionGap {
        indicators: ind,
        execution: bud,
        gap,
    })
}

pub mod batch;
#[cfg(test)]
mod tests;
