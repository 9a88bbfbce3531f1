//! Review workflows: what makes numbers official (DESIGN.md lifecycle, domain.md (g)).
//!
//! A target sheet goes 草稿 → 已提交 → 主管部门审核 → 财政审核 → 已批复, a self-evaluation the
//! same way to 审核通过. An approved target sheet changes only through an adjustment (调整):
//! opened with a reason, it goes through the same review to 已批复 again. Each step names who
//! may take it; a reviewer may return the work to the author or to an earlier step, always with
//! a reason. Pure rules: the store records the steps, the web shows them.

use crate::project::Role;

/// What goes through review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowKind {
    /// 绩效目标表.
    TargetSheet,
    /// 绩效自评.
    SelfEvaluation,
    /// 绩效目标调整: a change of an approved target sheet.
    Adjustment,
}

impl FlowKind {
    /// Every kind.
    pub const ALL: [FlowKind; 3] = [
        FlowKind::TargetSheet,
        FlowKind::SelfEvaluation,
        FlowKind::Adjustment,
    ];

    /// Stable identifier (API, database).
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            FlowKind::TargetSheet => "target_sheet",
            FlowKind::SelfEvaluation => "self_evaluation",
            FlowKind::Adjustment => "adjustment",
        }
    }

    /// Reads [`FlowKind::id`].
    #[must_use]
    pub fn parse(s: &str) -> Option<FlowKind> {
        FlowKind::ALL.into_iter().find(|k| k.id() == s)
    }

    /// The Chinese name.
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            FlowKind::TargetSheet => "绩效目标表",
            FlowKind::SelfEvaluation => "绩效自评",
            FlowKind::Adjustment => "绩效目标调整",
        }
    }

    /// Where work of this kind stands before anyone acted on it: a draft, except an adjustment,
    /// of which none is open until someone opens one.
    #[must_use]
    pub fn initial(self) -> FlowState {
        match self {
            FlowKind::TargetSheet | FlowKind::SelfEvaluation => FlowState::Draft,
            FlowKind::Adjustment => FlowState::Approved,
        }
    }

    /// Whose review chain this kind follows: an adjustment goes through the target sheet's.
    #[must_use]
    pub fn chain(self) -> FlowKind {
        match self {
            FlowKind::Adjustment => FlowKind::TargetSheet,
            k => k,
        }
    }
}

/// Where a piece of work stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlowState {
    /// 草稿: the author works on it.
    Draft,
    /// 已提交: waiting for the office head.
    Submitted,
    /// 主管部门审核: with the competent department's leadership.
    DepartmentReview,
    /// 财政审核: with the finance bureau.
    FinanceReview,
    /// 已批复 (target sheet) / 审核通过 (self-evaluation): official, locked.
    Approved,
}

impl FlowState {
    /// Every state, in order.
    pub const ALL: [FlowState; 5] = [
        FlowState::Draft,
        FlowState::Submitted,
        FlowState::DepartmentReview,
        FlowState::FinanceReview,
        FlowState::Approved,
    ];

    /// Stable identifier.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            FlowState::Draft => "draft",
            FlowState::Submitted => "submitted",
            FlowState::DepartmentReview => "department_review",
            FlowState::FinanceReview => "finance_review",
            FlowState::Approved => "approved",
        }
    }

    /// Reads [`FlowState::id`].
    #[must_use]
    pub fn parse(s: &str) -> Option<FlowState> {
        FlowState::ALL.into_iter().find(|k| k.id() == s)
    }

    /// The Chinese name for this kind of work.
    #[must_use]
    pub fn zh(self, kind: FlowKind) -> &'static str {
        match (self, kind) {
            (FlowState::Draft, _) => "草稿",
            (FlowState::Submitted, _) => "已提交",
            (FlowState::DepartmentReview, _) => "主管部门审核",
            (FlowState::FinanceReview, _) => "财政审核",
            (FlowState::Approved, FlowKind::TargetSheet | FlowKind::Adjustment) => "已批复",
            (FlowState::Approved, FlowKind::SelfEvaluation) => "审核通过",
        }
    }

    /// Whether the work is out of its author's hands (submitted, in review or approved):
    /// its content may not change.
    #[must_use]
    pub fn locked(self) -> bool {
        self != FlowState::Draft
    }
}

/// What someone does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowAction {
    /// The author hands the work in.
    Submit,
    /// The reviewer of the current step passes it on.
    Approve,
    /// The reviewer of the current step sends it back (to the author or an earlier step).
    Return {
        /// Where it goes.
        to: FlowState,
    },
    /// The author opens an adjustment of the approved target sheet (with its reason).
    Open,
}

/// Why an action is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlowError {
    /// Not possible in this state.
    NotNow {
        /// The state.
        state: FlowState,
    },
    /// This role does not take this step.
    NotYourStep {
        /// The roles that do.
        roles: Vec<Role>,
    },
    /// A return needs a reason.
    NoReason,
    /// An adjustment needs a reason.
    NoAdjustmentReason,
    /// A return can only go back.
    NotBack,
}

impl FlowError {
    /// The message users read.
    #[must_use]
    pub fn zh(&self, kind: FlowKind) -> String {
        match self {
            FlowError::NotNow { state } => {
                format!("{}当前为“{}”，不能进行此操作", kind.zh(), state.zh(kind))
            }
            FlowError::NotYourStep { roles } => format!(
                "这一步由{}办理",
                roles.iter().map(|r| r.zh()).collect::<Vec<_>>().join("或")
            ),
            FlowError::NoReason => "退回须写明原因".to_owned(),
            FlowError::NoAdjustmentReason => "发起绩效目标调整须写明调整原因".to_owned(),
            FlowError::NotBack => "只能退回到作者或之前的审核环节".to_owned(),
        }
    }
}

/// Who takes the step out of `state`: submitting from a draft and opening an adjustment of
/// approved targets are the authors'; approving or returning in review the reviewers'.
#[must_use]
pub fn step_roles(state: FlowState) -> &'static [Role] {
    match state {
        FlowState::Draft | FlowState::Approved => &[Role::Officer, Role::HeadOfOffice],
        FlowState::Submitted => &[Role::HeadOfOffice],
        FlowState::DepartmentReview => &[Role::UnitHead, Role::DeputyLeader],
        FlowState::FinanceReview => &[Role::Reviewer],
    }
}

/// The steps an organisation may give to other roles (its review chain): the reviews inside
/// the department. Submitting stays the author's and 财政审核 the finance bureau's.
pub const CONFIGURABLE_STEPS: [FlowState; 2] = [FlowState::Submitted, FlowState::DepartmentReview];

/// The roles that may review inside a department: never the author's (经办人), the cashier's
/// (出纳 only pays), the administrator's or the finance bureau's.
pub const DEPARTMENT_REVIEWERS: [Role; 4] = [
    Role::HeadOfOffice,
    Role::FinanceHead,
    Role::DeputyLeader,
    Role::UnitHead,
];

/// Checks an organisation's choice of reviewers for the step out of `state`.
///
/// # Errors
/// The reason in Chinese when the step is not configurable, no role is named, or a role may not
/// review inside a department.
pub fn check_step_roles(kind: FlowKind, state: FlowState, roles: &[Role]) -> Result<(), String> {
    if !CONFIGURABLE_STEPS.contains(&state) {
        return Err(format!(
            "“{}”这一步不能改由其他角色办理；可配置的是：{}",
            state.zh(kind),
            CONFIGURABLE_STEPS
                .iter()
                .map(|s| s.zh(kind))
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    if roles.is_empty() {
        return Err(format!("“{}”这一步至少要有一个办理角色", state.zh(kind)));
    }
    if let Some(bad) = roles.iter().find(|r| !DEPARTMENT_REVIEWERS.contains(r)) {
        return Err(format!(
            "{}不能担任单位内部审核；可选角色：{}",
            bad.zh(),
            DEPARTMENT_REVIEWERS
                .iter()
                .map(|r| r.zh())
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    Ok(())
}

/// The state after `action` by someone in `role`, or why not.
///
/// # Errors
/// [`FlowError`] when the action does not apply now or is not this role's.
pub fn apply(
    kind: FlowKind,
    state: FlowState,
    action: FlowAction,
    role: Role,
    reason: Option<&str>,
) -> Result<FlowState, FlowError> {
    apply_with(kind, state, action, role, reason, step_roles(state))
}

/// [`apply`] with the roles an organisation has configured for the step out of `state`
/// (its review chain) instead of the default ones.
///
/// # Errors
/// As [`apply`].
pub fn apply_with(
    kind: FlowKind,
    state: FlowState,
    action: FlowAction,
    role: Role,
    reason: Option<&str>,
    roles: &[Role],
) -> Result<FlowState, FlowError> {
    let next = match (action, state) {
        (FlowAction::Open, FlowState::Approved) if kind == FlowKind::Adjustment => {
            if reason.is_none_or(|r| r.trim().is_empty()) {
                return Err(FlowError::NoAdjustmentReason);
            }
            FlowState::Draft
        }
        (FlowAction::Submit, FlowState::Draft) => FlowState::Submitted,
        (FlowAction::Approve, FlowState::Submitted) => FlowState::DepartmentReview,
        (FlowAction::Approve, FlowState::DepartmentReview) => FlowState::FinanceReview,
        (FlowAction::Approve, FlowState::FinanceReview) => FlowState::Approved,
        (
            FlowAction::Return { to },
            FlowState::Submitted | FlowState::DepartmentReview | FlowState::FinanceReview,
        ) => {
            if to >= state || to == FlowState::Submitted && state == FlowState::Submitted {
                return Err(FlowError::NotBack);
            }
            if reason.is_none_or(|r| r.trim().is_empty()) {
                return Err(FlowError::NoReason);
            }
            to
        }
        _ => return Err(FlowError::NotNow { state }),
    };
    if !roles.contains(&role) {
        return Err(FlowError::NotYourStep {
            roles: roles.to_vec(),
        });
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_sheet_goes_from_draft_to_approved_through_each_reviewer() {
        let mut s = FlowState::Draft;
        for (action, role, want) in [
            (FlowAction::Submit, Role::Officer, FlowState::Submitted),
            (
                FlowAction::Approve,
                Role::HeadOfOffice,
                FlowState::DepartmentReview,
            ),
            (
                FlowAction::Approve,
                Role::UnitHead,
                FlowState::FinanceReview,
            ),
            (FlowAction::Approve, Role::Reviewer, FlowState::Approved),
        ] {
            s = apply(FlowKind::TargetSheet, s, action, role, None).unwrap_or(s);
            assert_eq!(s, want);
        }
        assert!(s.locked());
        assert_eq!(s.zh(FlowKind::TargetSheet), "已批复");
        assert_eq!(s.zh(FlowKind::SelfEvaluation), "审核通过");
        assert_eq!(
            apply(
                FlowKind::TargetSheet,
                s,
                FlowAction::Submit,
                Role::Officer,
                None
            ),
            Err(FlowError::NotNow { state: s })
        );
    }

    #[test]
    fn only_department_reviews_are_configurable_and_only_to_reviewing_roles() {
        let k = FlowKind::TargetSheet;
        assert_eq!(
            check_step_roles(
                k,
                FlowState::DepartmentReview,
                &[Role::FinanceHead, Role::UnitHead]
            ),
            Ok(())
        );
        assert_eq!(
            check_step_roles(k, FlowState::FinanceReview, &[Role::UnitHead]),
            Err("“财政审核”这一步不能改由其他角色办理；可配置的是：已提交、主管部门审核".into())
        );
        assert_eq!(
            check_step_roles(k, FlowState::Submitted, &[]),
            Err("“已提交”这一步至少要有一个办理角色".into())
        );
        assert_eq!(
            check_step_roles(k, FlowState::Submitted, &[Role::HeadOfOffice, Role::Officer]),
            Err("经办人不能担任单位内部审核；可选角色：部门负责人、财务负责人、分管领导、单位负责人".into())
        );
        assert!(check_step_roles(k, FlowState::Submitted, &[Role::Cashier]).is_err());
        assert!(check_step_roles(k, FlowState::Submitted, &[Role::Reviewer]).is_err());
    }

    #[test]
    fn an_organisation_may_name_other_reviewers_for_a_step() {
        let finance_checks = [Role::FinanceHead];
        assert_eq!(
            apply_with(
                FlowKind::TargetSheet,
                FlowState::Submitted,
                FlowAction::Approve,
                Role::FinanceHead,
                None,
                &finance_checks
            ),
            Ok(FlowState::DepartmentReview)
        );
        assert!(matches!(
            apply_with(
                FlowKind::TargetSheet,
                FlowState::Submitted,
                FlowAction::Approve,
                Role::HeadOfOffice,
                None,
                &finance_checks
            ),
            Err(FlowError::NotYourStep { .. })
        ));
    }

    #[test]
    fn only_the_step_s_reviewer_acts_and_returns_need_a_reason() {
        let s = FlowState::FinanceReview;
        assert!(matches!(
            apply(
                FlowKind::TargetSheet,
                s,
                FlowAction::Approve,
                Role::Officer,
                None
            ),
            Err(FlowError::NotYourStep { .. })
        ));
        assert!(matches!(
            apply(
                FlowKind::TargetSheet,
                s,
                FlowAction::Approve,
                Role::Admin,
                None
            ),
            Err(FlowError::NotYourStep { .. })
        ));
        let back = FlowAction::Return {
            to: FlowState::Draft,
        };
        assert_eq!(
            apply(FlowKind::TargetSheet, s, back, Role::Reviewer, None),
            Err(FlowError::NoReason)
        );
        assert_eq!(
            apply(FlowKind::TargetSheet, s, back, Role::Reviewer, Some("  ")),
            Err(FlowError::NoReason)
        );
        assert_eq!(
            apply(
                FlowKind::TargetSheet,
                s,
                back,
                Role::Reviewer,
                Some("产出指标未细化")
            ),
            Ok(FlowState::Draft)
        );
        assert_eq!(
            apply(
                FlowKind::TargetSheet,
                s,
                FlowAction::Return {
                    to: FlowState::Approved
                },
                Role::Reviewer,
                Some("x")
            ),
            Err(FlowError::NotBack)
        );
        assert_eq!(
            apply(
                FlowKind::TargetSheet,
                s,
                FlowAction::Return {
                    to: FlowState::DepartmentReview
                },
                Role::Reviewer,
                Some("请主管部门复核")
            ),
            Ok(FlowState::DepartmentReview)
        );
        assert_eq!(
            FlowError::NotYourStep {
                roles: step_roles(FlowState::DepartmentReview).to_vec()
            }
            .zh(FlowKind::TargetSheet),
            "这一步由单位负责人或分管领导办理"
        );
    }

    #[test]
    fn an_approved_target_sheet_changes_through_an_adjustment_with_a_reason() {
        let k = FlowKind::Adjustment;
        assert_eq!(k.initial(), FlowState::Approved);
        assert_eq!(k.chain(), FlowKind::TargetSheet);
        assert_eq!(
            apply(
                k,
                FlowState::Approved,
                FlowAction::Open,
                Role::Officer,
                None
            ),
            Err(FlowError::NoAdjustmentReason)
        );
        assert_eq!(
            apply(
                k,
                FlowState::Approved,
                FlowAction::Open,
                Role::Officer,
                Some("资金调减")
            ),
            Ok(FlowState::Draft)
        );
        assert!(matches!(
            apply(
                k,
                FlowState::Approved,
                FlowAction::Open,
                Role::Reviewer,
                Some("x")
            ),
            Err(FlowError::NotYourStep { .. })
        ));
        assert_eq!(
            apply(
                FlowKind::TargetSheet,
                FlowState::Approved,
                FlowAction::Open,
                Role::Officer,
                Some("x")
            ),
            Err(FlowError::NotNow {
                state: FlowState::Approved
            }),
            "only an adjustment is opened"
        );
        assert_eq!(
            apply(
                k,
                FlowState::Draft,
                FlowAction::Open,
                Role::Officer,
                Some("x")
            ),
            Err(FlowError::NotNow {
                state: FlowState::Draft
            }),
            "one adjustment at a time"
        );
        assert_eq!(FlowState::Approved.zh(k), "已批复");
    }
}
