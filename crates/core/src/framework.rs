//! Indicator frameworks (指标体系): a weighted tree of any depth, kept as data.
//!
//! Leaves are *computed* from the budget (预算执行率, 资金到位率), *judged* by the evaluation
//! group (立项依据充分性 …), or *slots* that take the project's own target indicators by
//! category and divide the slot's weight among them. Frameworks are read from TOML files
//! (see `frameworks/*.toml` and docs/frameworks.md); the built-in ones are embedded.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::num::{Dec, Points};
use crate::project::{Category, Subcategory, Tier};

/// What a computed leaf measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    /// 预算执行率 = 支出 / denominator.
    ExecutionRate,
    /// 资金到位率 = 到位资金 / 调整后预算.
    FundsReceivedRate,
}

impl Measure {
    /// Names accepted in framework files.
    pub const NAMES: &'static [&'static str] = &["预算执行率", "资金到位率"];

    /// Reads a measure name (Chinese or the English identifier).
    #[must_use]
    pub fn parse(t: &str) -> Option<Measure> {
        match t.trim() {
            "预算执行率" | "execution_rate" => Some(Measure::ExecutionRate),
            "资金到位率" | "funds_received_rate" => Some(Measure::FundsReceivedRate),
            _ => None,
        }
    }

    /// The Chinese name.
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            Measure::ExecutionRate => "预算执行率",
            Measure::FundsReceivedRate => "资金到位率",
        }
    }
}

/// The denominator of 预算执行率 (domain.md c.1: it differs between forms).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Denominator {
    /// 调整后预算数 (全年预算数): the self-evaluation form.
    AdjustedBudget,
    /// 年初预算数.
    Appropriation,
    /// 实际到位资金: the 10号 framework's 三级 formula.
    Received,
}

impl Denominator {
    /// Names accepted in framework files.
    pub const NAMES: &'static [&'static str] = &["调整后预算", "年初预算", "到位资金"];

    /// Reads a denominator name.
    #[must_use]
    pub fn parse(t: &str) -> Option<Denominator> {
        match t.trim() {
            "调整后预算" | "全年预算" | "adjusted_budget" => {
                Some(Denominator::AdjustedBudget)
            }
            "年初预算" | "appropriation" => Some(Denominator::Appropriation),
            "到位资金" | "received" => Some(Denominator::Received),
            _ => None,
        }
    }

    /// The Chinese name.
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            Denominator::AdjustedBudget => "调整后预算数",
            Denominator::Appropriation => "年初预算数",
            Denominator::Received => "实际到位资金",
        }
    }
}

/// One step of a tiered rule: a rate at or above `min` (percent) earns `share` of the weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Lowest rate of this step, percent.
    pub min: Dec,
    /// Share of the weight earned, percent.
    pub share: Dec,
}

/// How a computed rate becomes a score.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RateRule {
    /// score = weight × min(rate, 100 %).
    Linear,
    /// Steps from the highest `min` down; below the last step, `linear_below` decides
    /// between weight × rate and zero.
    Tiered {
        /// Steps, highest `min` first.
        steps: Vec<Step>,
        /// Below the last step, score linearly (true) or give nothing (false).
        linear_below: bool,
    },
}

/// How a slot divides its weight among the target indicators it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Split {
    /// Equally per indicator.
    Even,
    /// In proportion to the target sheet's own weights (falls back to `Even`, with a
    /// warning, when the sheet gives none).
    TargetWeights,
    /// Equally per sub-category group, then equally inside each group.
    EvenPerGroup,
}

impl Split {
    /// Names accepted in framework files.
    pub const NAMES: &'static [&'static str] = &["平均", "目标表权重", "按二级平均"];

    /// Reads a split name.
    #[must_use]
    pub fn parse(t: &str) -> Option<Split> {
        match t.trim() {
            "平均" | "even" => Some(Split::Even),
            "目标表权重" | "target-weights" => Some(Split::TargetWeights),
            "按二级平均" | "even-per-group" => Some(Split::EvenPerGroup),
            _ => None,
        }
    }
}

/// A slot: where the project's target indicators enter the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Target categories taken.
    pub categories: Vec<Category>,
    /// Sub-categories taken (empty: all of the categories').
    pub subcategories: Vec<Subcategory>,
    /// Weight division rule.
    pub split: Split,
    /// Insert one node per sub-category between the slot and the targets.
    pub group: bool,
    /// Names of the group nodes by sub-category (default `数量指标` …).
    pub group_names: Vec<(Subcategory, String)>,
}

impl Slot {
    /// Whether a target of this category and sub-category belongs in the slot.
    #[must_use]
    pub fn takes(&self, c: Category, s: Subcategory) -> bool {
        self.categories.contains(&c)
            && (self.subcategories.is_empty() || self.subcategories.contains(&s))
    }

    /// The name of the group node for a category's sub-category.
    #[must_use]
    pub fn group_name(&self, c: Category, s: Subcategory) -> String {
        self.group_names
            .iter()
            .find(|(k, _)| *k == s)
            .map_or_else(|| default_group_name(c, s), |(_, n)| n.clone())
    }
}

/// The usual name of a target-sheet 二级指标: 数量指标, 社会效益指标, 经济成本指标 ….
#[must_use]
pub fn default_group_name(c: Category, s: Subcategory) -> String {
    use Subcategory as S;
    match (c, s) {
        (Category::Benefit, S::Economic | S::Social | S::Ecological) => {
            format!("{}效益指标", s.zh())
        }
        (Category::Cost, S::Ecological) => "生态环境成本指标".into(),
        (Category::Cost, S::Economic | S::Social) => format!("{}成本指标", s.zh()),
        _ => format!("{}指标", s.zh()),
    }
}

/// What kind of node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// An inner node: its score is the sum of its children.
    Group,
    /// Scored by the evaluation group with a reason.
    Judged,
    /// Computed from the budget.
    Computed {
        /// What is measured.
        measure: Measure,
        /// How the rate becomes a score.
        rule: RateRule,
        /// Denominator override for 预算执行率.
        denominator: Option<Denominator>,
    },
    /// Takes the project's targets.
    Slot(Slot),
}

/// One node of a framework.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FwNode {
    /// Unique code (A, A1, A11 …).
    pub code: String,
    /// Name.
    pub name: String,
    /// Index of the parent, `None` for a level-1 node.
    pub parent: Option<usize>,
    /// Weight (分值); `None` when the evaluation sets it.
    pub weight: Option<Points>,
    /// Kind.
    pub kind: NodeKind,
    /// 指标解释.
    pub explanation: Option<String>,
    /// 评分标准.
    pub criteria: Option<String>,
    /// Where this node comes from (a document, a seed line) — the framework's own notes.
    pub source: Option<String>,
}

/// A share band for one qualitative tier, in percent of the weight: `low ≤ share ≤ high`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Band {
    /// Lowest share, percent.
    pub low: Dec,
    /// Highest share, percent.
    pub high: Dec,
}

impl Band {
    /// Whether a share lies in the band.
    #[must_use]
    pub fn contains(&self, share: Dec) -> bool {
        self.low <= share && share <= self.high
    }
}

impl std::fmt::Display for Band {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}%–{}%", self.low, self.high)
    }
}

/// Grade bands: the first band whose `min` the total reaches gives the grade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grades {
    /// (grade, lowest score), highest first.
    pub bands: Vec<(String, Points)>,
}

impl Grades {
    /// 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below (domain.md d).
    #[must_use]
    pub fn standard() -> Grades {
        Grades {
            bands: vec![
                ("优".into(), Points::whole(90)),
                ("良".into(), Points::whole(80)),
                ("中".into(), Points::whole(60)),
                ("差".into(), Points::ZERO),
            ],
        }
    }

    /// The grade for a total, as an index into `bands`.
    #[must_use]
    pub fn grade_index(&self, total: Points) -> usize {
        self.bands
            .iter()
            .position(|(_, min)| total >= *min)
            .unwrap_or(self.bands.len().saturating_sub(1))
    }

    /// The grade for a total.
    #[must_use]
    pub fn grade(&self, total: Points) -> &str {
        self.bands
            .get(self.grade_index(total))
            .map_or("", |(g, _)| g.as_str())
    }
}

/// Framework-wide rules; every constant marked UNVERIFIED in domain.md lives here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    /// Denominator of 预算执行率 unless a node overrides it.
    pub execution_denominator: Denominator,
    /// Completion (percent) above which over-achievement is flagged.
    pub over_achievement: Dec,
    /// Share of the weight given to a leaf with no evidence or no judgment (percent).
    pub unscored_share: Dec,
    /// Qualitative tier bands.
    pub tiers: [(Tier, Band); 3],
    /// Relative gap (percent) between indicator and execution score rates that is flagged.
    pub execution_gap: Dec,
}

impl Default for Rules {
    fn default() -> Rules {
        let d = |v: i64| Dec::from_int(v).unwrap_or(Dec::ZERO);
        Rules {
            execution_denominator: Denominator::AdjustedBudget,
            over_achievement: d(120),
            unscored_share: Dec::ZERO,
            tiers: [
                (
                    Tier::Achieved,
                    Band {
                        low: d(80),
                        high: d(100),
                    },
                ),
                (
                    Tier::Partly,
                    Band {
                        low: d(60),
                        high: d(80),
                    },
                ),
                (
                    Tier::NotAchieved,
                    Band {
                        low: d(0),
                        high: d(60),
                    },
                ),
            ],
            execution_gap: d(5),
        }
    }
}

impl Rules {
    /// The band of a tier.
    #[must_use]
    pub fn band(&self, tier: Tier) -> Band {
        self.tiers
            .iter()
            .find(|(t, _)| *t == tier)
            .map_or(self.tiers[0].1, |(_, b)| *b)
    }
}

/// A lower bound on the summed weights of some nodes (e.g. 产出 + 效益 ≥ 60).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    /// Codes whose weights are summed.
    pub codes: Vec<String>,
    /// The least the sum may be.
    pub min: Points,
    /// Where the rule comes from.
    pub source: Option<String>,
}

/// A whole framework.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Framework {
    /// Short name (`kunming-2022`).
    pub name: String,
    /// Title.
    pub title: String,
    /// Description and sources.
    pub description: Option<String>,
    /// Total of the level-1 weights (normally 100).
    pub total: Points,
    /// Nodes in file order.
    pub nodes: Vec<FwNode>,
    /// Rules.
    pub rules: Rules,
    /// Grade bands.
    pub grades: Grades,
    /// Weight constraints checked once weights are set.
    pub constraints: Vec<Constraint>,
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
    by_code: HashMap<String, usize, BuildHasherDefault<CodeHasher>>,
    /// Codes of up to eight bytes packed into integers, sorted, for fast lookups.
    packed: Vec<(u64, u32)>,
    /// Nodes in pre-order as (node index, position of the parent in this list, depth).
    preorder: Vec<(u32, u32, u8)>,
    /// Unique per assembled framework (clones share it), for caches keyed by framework.
    id: u64,
    fully_weighted: bool,
    consistent: bool,
}

/// A code of at most eight bytes as an integer (`None` for longer codes).
fn pack(code: &str) -> Option<u64> {
    let b = code.as_bytes();
    (b.len() <= 8).then(|| {
        let mut w = [0_u8; 8];
        w[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(w)
    })
}

/// A small fast hasher for node codes (short ASCII keys looked up for every judgment of
/// every project scored; SipHash's flood resistance buys nothing here).
#[derive(Clone, Copy, Debug, Default)]
pub struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0_u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Framework {
    /// Assembles a framework; `nodes` must already have valid parent indices (no cycles).
    #[must_use]
    pub fn new(
        name: String,
        title: String,
        total: Points,
        nodes: Vec<FwNode>,
        rules: Rules,
        grades: Grades,
    ) -> Framework {
        let mut children = vec![Vec::new(); nodes.len()];
        let mut roots = Vec::new();
        let mut by_code =
            HashMap::with_capacity_and_hasher(nodes.len(), BuildHasherDefault::default());
        let fully_weighted = nodes.iter().all(|n| n.weight.is_some());
        let mut packed: Vec<(u64, u32)> = nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((pack(&n.code)?, u32::try_from(i).ok()?)))
            .collect();
        packed.sort_unstable();
        packed.dedup_by_key(|(k, _)| *k);
        for (i, n) in nodes.iter().enumerate() {
            match n.parent {
                Some(p) if p < nodes.len() => children[p].push(i),
                _ => roots.push(i),
            }
            by_code.entry(n.code.clone()).or_insert(i);
        }
        Framework {
            name,
            title,
            description: None,
            total,
            nodes,
            rules,
            grades,
            constraints: Vec::new(),
            children,
            roots,
            by_code,
            packed,
            preorder: Vec::new(),
            id: {
                use std::sync::atomic::{AtomicU64, Ordering};
                static NEXT: AtomicU64 = AtomicU64::new(1);
                NEXT.fetch_add(1, Ordering::Relaxed)
            },
            fully_weighted,
            consistent: false,
        }
        .with_consistency()
        .with_preorder()
    }

    fn with_preorder(mut self) -> Framework {
        fn walk(fw: &Framework, i: usize, parent: u32, depth: u8, out: &mut Vec<(u32, u32, u8)>) {
            let me = u32::try_from(out.len()).unwrap_or(u32::MAX);
            out.push((u32::try_from(i).unwrap_or(u32::MAX), parent, depth));
            if usize::from(depth) > fw.nodes.len() {
                return; // a cycle; the reader refuses those before this point
            }
            for &c in &fw.children[i] {
                walk(fw, c, me, depth.saturating_add(1), out);
            }
        }
        let mut out = Vec::with_capacity(self.nodes.len());
        for &r in &self.roots {
            walk(&self, r, u32::MAX, 1, &mut out);
        }
        self.preorder = out;
        self
    }

    /// An identity that differs between separately assembled frameworks.
    #[must_use]
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The nodes in pre-order: (node index, position of the parent in this list or
    /// `u32::MAX`, depth from 1).
    #[must_use]
    pub fn preorder(&self) -> &[(u32, u32, u8)] {
        &self.preorder
    }

    /// Records whether every weighted parent equals the sum of its children and the level-1
    /// weights equal the total, so scoring can skip re-checking an unchanged framework.
    fn with_consistency(mut self) -> Framework {
        let sums = |kids: &[usize]| -> Option<Points> {
            kids.iter()
                .map(|&k| self.nodes[k].weight)
                .sum::<Option<Points>>()
        };
        let parents_ok = (0..self.nodes.len()).all(|i| {
            self.children[i].is_empty() || sums(&self.children[i]) == self.nodes[i].weight
        });
        let roots_ok = sums(&self.roots) == Some(self.total);
        let positive = self
            .nodes
            .iter()
            .all(|n| n.weight.is_some_and(|w| w.centi() > 0));
        self.consistent = self.fully_weighted && parents_ok && roots_ok && positive;
        self
    }

    /// Whether all weights are set, positive and add up (checked once, when assembled).
    #[must_use]
    pub fn consistent(&self) -> bool {
        self.consistent
    }

    /// Whether every node carries its own weight (nothing left to the evaluation).
    #[must_use]
    pub fn fully_weighted(&self) -> bool {
        self.fully_weighted
    }

    /// Children of node `i`, in file order.
    #[must_use]
    pub fn children(&self, i: usize) -> &[usize] {
        &self.children[i]
    }

    /// Level-1 nodes.
    #[must_use]
    pub fn roots(&self) -> &[usize] {
        &self.roots
    }

    /// The node with this code.
    #[must_use]
    pub fn index_of(&self, code: &str) -> Option<usize> {
        match pack(code) {
            Some(k) => self
                .packed
                .binary_search_by_key(&k, |(p, _)| *p)
                .ok()
                .map(|i| self.packed[i].1 as usize),
            None => self.by_code.get(code).copied(),
        }
    }

    /// Depth of node `i` (1 for a root).
    #[must_use]
    pub fn depth(&self, mut i: usize) -> usize {
        let mut d = 1;
        while let Some(p) = self.nodes[i].parent {
            d += 1;
            i = p;
            if d > self.nodes.len() {
                break;
            }
        }
        d
    }
}
