//! A framework compiled for scoring: everything that depends only on the framework, worked
//! out once and reused for every project scored with it.
//!
//! Scoring a batch applies one framework to many projects. What the engine would otherwise
//! recompute for each of them — the pre-order layout, which target categories each slot
//! takes, which nodes may be judged, the framework's own weights, the rule constants as
//! exact fractions — lives here, so the per-project work reads only the project and these
//! small tables.

use crate::framework::{Framework, Measure, NodeKind, Rules, Split};
use crate::num::{Dec, Points, Ratio};
use crate::project::{Category, Subcategory};

use super::{NONE, as_u32};

/// What kind of framework node, for the engine's purposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// A node whose score is the sum of its children (or zero, for a childless group).
    Group,
    /// Scored by a judgment.
    Judged,
    /// Computed from the budget; `exec` for 预算执行率 (the c.6 execution-gap check).
    Computed {
        /// Whether it measures 预算执行率.
        exec: bool,
    },
    /// Takes the project's targets; index into [`Compiled::slots`].
    Slot(u32),
}

/// One framework node as the engine sees it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Info {
    /// Position in the framework's pre-order (`NONE` when unreachable from a root).
    pub(super) order: u32,
    /// Whether a judgment may name it: a leaf that is not a slot.
    pub(super) judgeable: bool,
    /// Its role.
    pub(super) role: Role,
}

/// A slot, reduced to what expanding it needs.
#[derive(Clone, Copy, Debug)]
pub(super) struct SlotPlan {
    /// The (category, sub-category) pairs taken, as bits of [`group_bit`].
    pub(super) takes: u64,
    /// One node per sub-category between the slot and the targets.
    pub(super) group: bool,
    /// How the slot's weight is divided.
    pub(super) split: Split,
}

/// What identifies the framework a plan was compiled from (see [`Compiled::fits`]).
#[derive(Clone, Debug)]
struct Key {
    id: u64,
    addr: usize,
    nodes: usize,
    total: Points,
    constraints: usize,
    rules: Rules,
}

/// The compiled form of a framework, owned (no borrow), so [`super::Scratch`] can keep one.
#[derive(Clone, Debug)]
pub(super) struct Compiled {
    key: Key,
    /// Framework nodes in pre-order: (node index, pre-order position of the parent or
    /// `NONE`, depth from 1).
    pub(super) preorder: Vec<(u32, u32, u8)>,
    /// Per framework node.
    pub(super) info: Vec<Info>,
    /// Per slot.
    pub(super) slots: Vec<SlotPlan>,
    /// The framework's own weights, by node.
    pub(super) weights: Vec<Option<Points>>,
    /// Completion at or above which over-achievement is noted.
    pub(super) over: Option<Ratio>,
    /// Share of the weight given to an unscored leaf (`None` for nothing).
    pub(super) unscored: Option<Ratio>,
}

/// The bit of a (category, sub-category) pair; canonical order is category-major.
pub(super) fn group_bit(c: Category, s: Subcategory) -> u32 {
    // Both enums list their variants in canonical (`ALL`) order.
    c as u32 * as_u32(Subcategory::ALL.len()) + s as u32
}

impl Compiled {
    /// Compiles a framework.
    pub(super) fn new(fw: &Framework) -> Compiled {
        let mut slots = Vec::new();
        let mut info: Vec<Info> = fw
            .nodes
            .iter()
            .enumerate()
            .map(|(f, n)| {
                let role = match &n.kind {
                    NodeKind::Group => Role::Group,
                    NodeKind::Judged => Role::Judged,
                    NodeKind::Computed { measure, .. } => Role::Computed {
                        exec: *measure == Measure::ExecutionRate,
                    },
                    NodeKind::Slot(slot) => {
                        let mut takes = 0_u64;
                        for &c in Category::ALL {
                            for &s in Subcategory::ALL {
                                if slot.takes(c, s) {
                                    takes |= 1 << group_bit(c, s);
                                }
                            }
                        }
                        slots.push(SlotPlan {
                            takes,
                            group: slot.group,
                            split: slot.split,
                        });
                        Role::Slot(as_u32(slots.len() - 1))
                    }
                };
                Info {
                    order: NONE,
                    judgeable: fw.children(f).is_empty() && !matches!(role, Role::Slot(_)),
                    role,
                }
            })
            .collect();
        for (k, &(f, _, _)) in fw.preorder().iter().enumerate() {
            if let Some(i) = info.get_mut(f as usize) {
                i.order = as_u32(k);
            }
        }
        let percent = |d: Dec| d.ratio(Dec::HUNDRED);
        Compiled {
            key: key(fw),
            preorder: fw.preorder().to_vec(),
            info,
            slots,
            weights: fw.nodes.iter().map(|n| n.weight).collect(),
            over: percent(fw.rules.over_achievement),
            unscored: (!fw.rules.unscored_share.is_zero())
                .then(|| percent(fw.rules.unscored_share))
                .flatten(),
        }
    }

    /// Whether this plan was compiled from `fw` (the same assembled framework at the same
    /// place, with the same rules and weight checks).
    pub(super) fn fits(&self, fw: &Framework) -> bool {
        let k = &self.key;
        k.id == fw.id()
            && k.addr == std::ptr::from_ref(fw).addr()
            && k.nodes == fw.nodes.len()
            && k.total == fw.total
            && k.constraints == fw.constraints.len()
            && k.rules == fw.rules
    }
}

fn key(fw: &Framework) -> Key {
    Key {
        id: fw.id(),
        addr: std::ptr::from_ref(fw).addr(),
        nodes: fw.nodes.len(),
        total: fw.total,
        constraints: fw.constraints.len(),
        rules: fw.rules.clone(),
    }
}
