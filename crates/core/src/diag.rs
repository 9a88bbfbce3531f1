//! Diagnostics: problems in the data, reported as values, never as panics or early returns.
//!
//! Each [`Problem`] carries data and has a stable id ([`Problem::id`]) for programs; its
//! `Display` is the Chinese message users read. A [`Loc`] names the file and the field path
//! (`budget.spending[1].amount`); the reader that parsed the file maps it to a line and column.

use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data cannot be right as it stands: the input is refused.
    Error,
    /// Possibly right, but someone should look or explain.
    Warning,
}

/// Which input file a location points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The project file.
    Project,
    /// The framework file.
    Framework,
}

/// A place in an input file, as a field path such as `target[3].unit`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    /// The file.
    pub origin: Origin,
    /// Dotted field path with array indices (0-based), as the reader recorded it.
    pub path: String,
}

impl Loc {
    /// A location in the project file.
    #[must_use]
    pub fn project(path: impl Into<String>) -> Loc {
        Loc {
            origin: Origin::Project,
            path: path.into(),
        }
    }

    /// A location in the framework file.
    #[must_use]
    pub fn framework(path: impl Into<String>) -> Loc {
        Loc {
            origin: Origin::Framework,
            path: path.into(),
        }
    }
}

/// One problem with its severity and location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where, when known.
    pub at: Option<Loc>,
    /// What.
    pub problem: Problem,
}

impl Diagnostic {
    /// An error at a location.
    #[must_use]
    pub fn error(at: Loc, problem: Problem) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            at: Some(at),
            problem,
        }
    }

    /// A warning at a location.
    #[must_use]
    pub fn warning(at: Option<Loc>, problem: Problem) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            at,
            problem,
        }
    }

    /// True for errors.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any diagnostic is an error.
#[must_use]
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// The kinds of value a field can hold, named for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Text.
    Text,
    /// A number.
    Number,
    /// An integer.
    Integer,
    /// A table.
    Table,
    /// An array.
    Array,
    /// A date.
    Date,
    /// A boolean.
    Bool,
    /// An amount of money.
    Money,
}

impl fmt::Display for ValueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValueKind::Text => "文本",
            ValueKind::Number => "数值",
            ValueKind::Integer => "整数",
            ValueKind::Table => "表",
            ValueKind::Array => "数组",
            ValueKind::Date => "日期（YYYY-MM-DD）",
            ValueKind::Bool => "布尔值（true/false）",
            ValueKind::Money => "金额（元，或带“万元”的文本）",
        })
    }
}

/// What is wrong. The `Display` text is Chinese and names the values involved.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The file is empty.
    EmptyFile,
    /// The bytes are not UTF-8.
    NotUtf8 {
        /// Line (from 1) of the first invalid sequence.
        line: usize,
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// TOML syntax error (the parser's own message).
    Syntax {
        /// Parser message.
        message: String,
    },
    /// A required field is absent.
    MissingField {
        /// Field name.
        field: String,
    },
    /// A field the format does not know (often a typo).
    UnknownField {
        /// Field name.
        field: String,
        /// Accepted names.
        allowed: Vec<&'static str>,
    },
    /// A field holds the wrong kind of value.
    WrongType {
        /// What was expected.
        expected: ValueKind,
    },
    /// A number that cannot be used.
    BadNumber {
        /// As written.
        text: String,
        /// Why.
        why: crate::num::NumError,
    },
    /// A money amount that cannot be used.
    BadMoney {
        /// As written.
        text: String,
        /// Why.
        why: crate::num::NumError,
    },
    /// A date that does not exist or is not written as a date.
    BadDate {
        /// As written.
        text: String,
    },
    /// A value outside the closed set a field accepts.
    BadChoice {
        /// As written.
        value: String,
        /// Accepted values.
        allowed: Vec<&'static str>,
    },
    /// A value that must be unique appears twice.
    Duplicate {
        /// What kind of thing (指标编码, 目标编号 …).
        what: &'static str,
        /// The repeated key.
        key: String,
    },
    /// A reference to something that does not exist.
    UnknownRef {
        /// What kind of thing.
        what: &'static str,
        /// The key referred to.
        key: String,
    },
    /// A percentage above 100 where that is impossible.
    PercentOver100 {
        /// What the percentage is of.
        what: &'static str,
        /// As computed or written.
        value: String,
    },
    /// The actual value's unit does not measure what the target measures.
    UnitMismatch {
        /// The target's unit.
        target: String,
        /// The actual's unit.
        actual: String,
    },
    /// A numeric comparator (≥, ≤ …) with a value that is not a number.
    NumericComparatorText {
        /// The comparator.
        comparator: String,
        /// The value as written.
        value: String,
    },
    /// Qualitative target with a numeric value, or numeric fields on a qualitative target.
    QualitativeNumeric {
        /// The value as written.
        value: String,
    },
    /// A category and sub-category that do not belong together.
    BadSubcategory {
        /// Category.
        category: String,
        /// Sub-category.
        subcategory: String,
    },
    /// A direction contradicting the comparator (≥ with 反向 …).
    DirectionConflict {
        /// Comparator.
        comparator: String,
        /// Direction.
        direction: String,
    },
    /// The evaluation window does not begin after the fiscal year.
    WindowNotAfterYear {
        /// Window start.
        start: String,
        /// Fiscal year.
        year: i32,
    },
    /// The evaluation window ends before it starts.
    WindowReversed {
        /// Start.
        start: String,
        /// End.
        end: String,
    },
    /// The report is signed before the evaluation window ends.
    SignedBeforeWindowEnd {
        /// Signature date.
        signed: String,
        /// Window end.
        end: String,
    },
    /// A date outside the fiscal year where it must fall inside.
    DateOutsideYear {
        /// The date.
        date: String,
        /// Fiscal year.
        year: i32,
    },
    /// Children's weights do not add up to their parent's.
    WeightsDontSum {
        /// Parent code (or `总分` for the roots).
        code: String,
        /// Parent weight.
        expected: String,
        /// Sum of the children.
        actual: String,
    },
    /// A node has no weight and the evaluation did not set one.
    MissingWeight {
        /// Node code.
        code: String,
    },
    /// A weight that is zero or negative.
    NonPositiveWeight {
        /// Node code.
        code: String,
        /// As written.
        value: String,
    },
    /// A framework constraint (e.g. 产出+效益 ≥ 60) does not hold.
    ConstraintViolated {
        /// The constraint as text.
        rule: String,
        /// The sum found.
        actual: String,
    },
    /// The framework's tree is malformed (a cycle, a slot with children …).
    BadTree {
        /// Node code.
        code: String,
        /// Explanation.
        why: &'static str,
    },
    /// A score given above the node's weight.
    ScoreAboveWeight {
        /// Node code.
        code: String,
        /// Score given.
        score: String,
        /// Weight.
        weight: String,
    },
    /// A deduction (score below the weight) without a reason.
    DeductionWithoutReason {
        /// Node code.
        code: String,
        /// Points deducted.
        deduction: String,
    },
    /// A qualitative judgment's share lies outside its tier's band.
    ShareOutsideTier {
        /// Node code.
        code: String,
        /// Tier name.
        tier: String,
        /// Share given, percent.
        share: String,
        /// The band, e.g. `80%–100%`.
        band: String,
    },
    /// A judgment that does not fit the kind of node it is about.
    JudgmentMismatch {
        /// Node code or target id.
        code: String,
        /// Explanation.
        why: &'static str,
    },
    /// More than one judgment for the same node.
    DuplicateJudgment {
        /// Node code or target id.
        code: String,
    },
    /// Grade bands that overlap or leave gaps.
    BadBands {
        /// Explanation.
        why: String,
    },
    /// Two numbers that must add up do not.
    SumMismatch {
        /// What.
        what: &'static str,
        /// Stated.
        stated: String,
        /// Computed.
        computed: String,
    },
    /// A field that must not be empty is empty.
    EmptyText,
    /// An actual value of the wrong kind for its target (text for a number, or the reverse).
    ActualKind {
        /// What the target needs.
        expected: &'static str,
    },
    // ---- warnings raised while scoring ----
    /// Output scores far above budget execution (双高/双低 check).
    ExecutionGap {
        /// Indicator score rate, percent.
        indicators: String,
        /// Budget execution score rate, percent.
        execution: String,
        /// Relative gap, percent.
        gap: String,
    },
    /// An actual far above its target: perhaps the target was set too low.
    OverAchievement {
        /// Node code.
        code: String,
        /// Target name.
        name: String,
        /// Completion, percent.
        rate: String,
        /// Whether a deviation reason was given.
        explained: bool,
    },
    /// A satisfaction value without the survey counts it rests on.
    SatisfactionWithoutSample {
        /// Node code.
        code: String,
        /// Target name.
        name: String,
    },
    /// Target weights missing: the slot's weight was divided evenly instead.
    SplitFallbackEven {
        /// Slot code.
        code: String,
    },
    /// A node that no longer applies; its weight went to its siblings.
    NotApplicable {
        /// Node code.
        code: String,
        /// Node name.
        name: String,
    },
    /// A claimed score differs from the computed one.
    ClaimedDiffers {
        /// Node code, or `总分`.
        code: String,
        /// Claimed.
        claimed: String,
        /// Computed.
        computed: String,
    },
    /// A target missed without a deviation reason.
    MissedWithoutReason {
        /// Node code.
        code: String,
        /// Target name.
        name: String,
    },
    /// The measure a computed leaf needs cannot be computed (a zero budget …).
    MeasureUndefined {
        /// Node code.
        code: String,
        /// Why.
        why: &'static str,
    },
    /// Spending above the adjusted budget or above the funds received.
    Overspent {
        /// Spent.
        spent: String,
        /// The limit.
        limit: String,
        /// Which limit (调整后预算 / 到位资金).
        what: &'static str,
    },
}

impl Problem {
    /// A stable identifier for programs (kebab-case English).
    #[must_use]
    pub fn id(&self) -> &'static str {
        match self {
            Problem::EmptyFile => "empty-file",
            Problem::NotUtf8 { .. } => "not-utf8",
            Problem::Syntax { .. } => "syntax",
            Problem::MissingField { .. } => "missing-field",
            Problem::UnknownField { .. } => "unknown-field",
            Problem::WrongType { .. } => "wrong-type",
            Problem::BadNumber { .. } => "bad-number",
            Problem::BadMoney { .. } => "bad-money",
            Problem::BadDate { .. } => "bad-date",
            Problem::BadChoice { .. } => "bad-choice",
            Problem::Duplicate { .. } => "duplicate",
            Problem::UnknownRef { .. } => "unknown-ref",
            Problem::PercentOver100 { .. } => "percent-over-100",
            Problem::UnitMismatch { .. } => "unit-mismatch",
            Problem::NumericComparatorText { .. } => "numeric-comparator-text",
            Problem::QualitativeNumeric { .. } => "qualitative-numeric",
            Problem::BadSubcategory { .. } => "bad-subcategory",
            Problem::DirectionConflict { .. } => "direction-conflict",
            Problem::WindowNotAfterYear { .. } => "window-not-after-year",
            Problem::WindowReversed { .. } => "window-reversed",
            Problem::SignedBeforeWindowEnd { .. } => "signed-before-window-end",
            Problem::DateOutsideYear { .. } => "date-outside-year",
            Problem::WeightsDontSum { .. } => "weights-dont-sum",
            Problem::MissingWeight { .. } => "missing-weight",
            Problem::NonPositiveWeight { .. } => "non-positive-weight",
            Problem::ConstraintViolated { .. } => "constraint-violated",
            Problem::BadTree { .. } => "bad-tree",
            Problem::ScoreAboveWeight { .. } => "score-above-weight",
            Problem::DeductionWithoutReason { .. } => "deduction-without-reason",
            Problem::ShareOutsideTier { .. } => "share-outside-tier",
            Problem::JudgmentMismatch { .. } => "judgment-mismatch",
            Problem::DuplicateJudgment { .. } => "duplicate-judgment",
            Problem::BadBands { .. } => "bad-bands",
            Problem::SumMismatch { .. } => "sum-mismatch",
            Problem::EmptyText => "empty-text",
            Problem::ActualKind { .. } => "actual-kind",
            Problem::ExecutionGap { .. } => "execution-gap",
            Problem::OverAchievement { .. } => "over-achievement",
            Problem::SatisfactionWithoutSample { .. } => "satisfaction-without-sample",
            Problem::SplitFallbackEven { .. } => "split-fallback-even",
            Problem::NotApplicable { .. } => "not-applicable",
            Problem::ClaimedDiffers { .. } => "claimed-differs",
            Problem::MissedWithoutReason { .. } => "missed-without-reason",
            Problem::MeasureUndefined { .. } => "measure-undefined",
            Problem::Overspent { .. } => "overspent",
        }
    }
}

impl fmt::Display for Problem {
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per problem keeps every message in one place"
    )]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::EmptyFile => f.write_str("文件为空"),
            Problem::NotUtf8 { line, offset } => write!(
                f,
                "文件不是 UTF-8 编码（第 {line} 行、第 {offset} 字节起无法解码），请另存为 UTF-8"
            ),
            Problem::Syntax { message } => write!(f, "TOML 语法错误：{message}"),
            Problem::MissingField { field } => write!(f, "缺少必填字段 {field}"),
            Problem::UnknownField { field, allowed } => {
                write!(f, "未知字段 {field}（可用字段：{}）", allowed.join("、"))
            }
            Problem::WrongType { expected } => write!(f, "应为{expected}"),
            Problem::BadNumber { text, why } => write!(f, "数值 {text} 无效：{why}"),
            Problem::BadMoney { text, why } => write!(f, "金额 {text} 无效：{why}"),
            Problem::BadDate { text } => {
                write!(f, "日期 {text} 无效（应为存在的日期，格式 YYYY-MM-DD）")
            }
            Problem::BadChoice { value, allowed } => {
                write!(f, "“{value}”不是可选值（可选：{}）", allowed.join("、"))
            }
            Problem::Duplicate { what, key } => write!(f, "{what}“{key}”重复"),
            Problem::UnknownRef { what, key } => write!(f, "引用了不存在的{what}“{key}”"),
            Problem::PercentOver100 { what, value } => {
                write!(f, "{what}为 {value}%，不能超过 100%")
            }
            Problem::UnitMismatch { target, actual } => write!(
                f,
                "实际值的单位“{actual}”与目标值的单位“{target}”不一致，无法比较"
            ),
            Problem::NumericComparatorText { comparator, value } => write!(
                f,
                "比较符“{comparator}”需要数值目标，而目标值“{value}”不是数值；定性指标请用比较符“定性”"
            ),
            Problem::QualitativeNumeric { value } => write!(
                f,
                "定性指标的目标值“{value}”是数值；定量指标请用 ≥ ≤ = > < 比较符"
            ),
            Problem::BadSubcategory {
                category,
                subcategory,
            } => write!(f, "二级指标“{subcategory}”不属于一级指标“{category}”"),
            Problem::DirectionConflict {
                comparator,
                direction,
            } => write!(f, "指标方向“{direction}”与比较符“{comparator}”矛盾"),
            Problem::WindowNotAfterYear { start, year } => write!(
                f,
                "评价开始日期 {start} 不在 {year} 年度结束之后（自评应在预算年度结束后进行）"
            ),
            Problem::WindowReversed { start, end } => {
                write!(f, "评价结束日期 {end} 早于开始日期 {start}")
            }
            Problem::SignedBeforeWindowEnd { signed, end } => {
                write!(f, "报告落款日期 {signed} 早于评价结束日期 {end}")
            }
            Problem::DateOutsideYear { date, year } => {
                write!(f, "日期 {date} 不在预算年度 {year} 年内")
            }
            Problem::WeightsDontSum {
                code,
                expected,
                actual,
            } => write!(
                f,
                "指标 {code} 的下级指标权重之和为 {actual}，应等于其权重 {expected}"
            ),
            Problem::MissingWeight { code } => write!(
                f,
                "指标 {code} 没有权重：请在框架中给出，或在项目文件的 evaluation.weights 中设定"
            ),
            Problem::NonPositiveWeight { code, value } => {
                write!(f, "指标 {code} 的权重 {value} 必须大于 0")
            }
            Problem::ConstraintViolated { rule, actual } => {
                write!(f, "权重不满足约束“{rule}”（实际为 {actual}）")
            }
            Problem::BadTree { code, why } => write!(f, "指标 {code}：{why}"),
            Problem::ScoreAboveWeight {
                code,
                score,
                weight,
            } => write!(f, "指标 {code} 的得分 {score} 超过其权重 {weight}"),
            Problem::DeductionWithoutReason { code, deduction } => write!(
                f,
                "指标 {code} 扣分 {deduction} 分但未说明扣分理由（reason 必填）"
            ),
            Problem::ShareOutsideTier {
                code,
                tier,
                share,
                band,
            } => write!(
                f,
                "指标 {code} 评为“{tier}”，得分比例应在 {band} 之间，实际为 {share}%"
            ),
            Problem::JudgmentMismatch { code, why } => write!(f, "对 {code} 的评分：{why}"),
            Problem::DuplicateJudgment { code } => write!(f, "对 {code} 的评分出现了不止一次"),
            Problem::BadBands { why } => write!(f, "分档设置有误：{why}"),
            Problem::SumMismatch {
                what,
                stated,
                computed,
            } => write!(f, "{what}填写为 {stated}，但按明细计算为 {computed}"),
            Problem::EmptyText => f.write_str("不能为空"),
            Problem::ActualKind { expected } => write!(f, "实际值应为{expected}"),
            Problem::ExecutionGap {
                indicators,
                execution,
                gap,
            } => write!(
                f,
                "绩效指标得分率 {indicators}% 明显高于预算执行得分率 {execution}%（相差 {gap}%），产出与资金使用不匹配，请核实（双高/双低检查）"
            ),
            Problem::OverAchievement {
                code,
                name,
                rate,
                explained,
            } => {
                write!(
                    f,
                    "指标 {code}“{name}”完成率 {rate}%，大幅超过目标，可能目标设定偏低"
                )?;
                if *explained {
                    f.write_str("（已说明原因）")
                } else {
                    f.write_str("，请说明偏差原因")
                }
            }
            Problem::SatisfactionWithoutSample { code, name } => write!(
                f,
                "满意度指标 {code}“{name}”只有结果，没有调查样本（满意人数/有效问卷数）"
            ),
            Problem::SplitFallbackEven { code } => write!(
                f,
                "指标 {code} 按目标表权重分配，但目标表未给出权重，已改为平均分配"
            ),
            Problem::NotApplicable { code, name } => {
                write!(f, "指标 {code}“{name}”不适用，其权重已按比例分配给同级指标")
            }
            Problem::ClaimedDiffers {
                code,
                claimed,
                computed,
            } => write!(f, "{code} 自报得分 {claimed}，按数据计算为 {computed}"),
            Problem::MissedWithoutReason { code, name } => {
                write!(f, "指标 {code}“{name}”未完成目标，且未说明偏差原因")
            }
            Problem::MeasureUndefined { code, why } => {
                write!(f, "指标 {code} 无法计算：{why}")
            }
            Problem::Overspent { spent, limit, what } => {
                write!(f, "支出 {spent} 元超过{what} {limit} 元")
            }
        }
    }
}
