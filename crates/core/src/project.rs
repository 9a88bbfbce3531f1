//! The project: master data, budget, target sheet, actual values, evaluation and narrative.
//!
//! A [`Project`] is one project's complete case for one fiscal year, as a project file holds
//! it. Fields are public plain data; the types inside them (money, dates, units, decimals)
//! carry their own preconditions, and [`crate::validate`] checks what spans several fields.

use std::collections::BTreeMap;

use crate::code::Code;
use crate::date::Date;
use crate::num::{Dec, Money, Points};
use crate::unit::Unit;

/// Declares a closed set of Chinese terms with English identifiers.
macro_rules! terms {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $zh:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            /// Every value, in canonical order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The canonical Chinese names, in the same order.
            pub const NAMES: &'static [&'static str] = &[$($zh),+];
            /// The Chinese name.
            #[must_use]
            pub fn zh(self) -> &'static str {
                match self { $($name::$v => $zh),+ }
            }
            /// Reads the Chinese name or an accepted alias.
            #[must_use]
            pub fn parse(text: &str) -> Option<$name> {
                match text.trim() { $($zh $(| $alias)* => Some($name::$v),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.zh()) }
        }
    };
}

terms! {
    /// The people in the lifecycle (DESIGN.md, "Who uses it").
    Role {
        /// 经办人: creates projects, files fund requests.
        Officer = "经办人" | "经办人员",
        /// 部门负责人: head of the office.
        HeadOfOffice = "部门负责人" | "处室负责人",
        /// 财务负责人: finance head (计财处).
        FinanceHead = "财务负责人",
        /// 分管领导: deputy leader in charge.
        DeputyLeader = "分管领导",
        /// 单位负责人: head of the unit.
        UnitHead = "单位负责人",
        /// 出纳: records bank transfers; never approves.
        Cashier = "出纳" | "出纳人员",
        /// 评价小组: scores indicators.
        EvaluationGroup = "评价小组",
        /// 财政局审核: finance-bureau reviewer.
        Reviewer = "财政局审核" | "财政审核",
        /// 管理员: administrator.
        Admin = "管理员",
    }
}

terms! {
    /// Where received funds come from (自评表 资金来源 rows).
    FundSource {
        /// 当年财政拨款.
        Appropriation = "当年财政拨款" | "财政拨款" | "财政资金",
        /// 上年结转资金.
        CarryOver = "上年结转资金" | "上年结转",
        /// 其他资金.
        Other = "其他资金" | "其他",
    }
}

/// A policy or legal document the project rests on (立项依据).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDoc {
    /// Title, e.g. 《关于进一步加强和规范云南省基层残疾人组织建设的实施意见》.
    pub title: String,
    /// Document number (文号), e.g. 云残发〔2010〕94号; absent for laws and charters.
    pub number: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
}

/// A named fact the narrative may cite, e.g. 接待来访 1140 人次.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    /// Name, unique in the project.
    pub name: String,
    /// The quantity.
    pub value: Dec,
    /// Its unit.
    pub unit: Unit,
    /// Where it comes from (a register, a statistics table, a line of a document …).
    pub source: Option<String>,
    /// Free note.
    pub note: Option<String>,
}

/// A budget adjustment (追加/调减), signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjustment {
    /// Date of the adjustment.
    pub date: Option<Date>,
    /// Amount: positive adds, negative cuts.
    pub amount: Money,
    /// Approving document.
    pub document: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

/// Funds received (资金到位).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// Source of the funds.
    pub source: FundSource,
    /// Date received; absent when only the year is known.
    pub date: Option<Date>,
    /// Amount.
    pub amount: Money,
    /// Free note.
    pub note: Option<String>,
}

/// One line of spending (支出明细).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpendingLine {
    /// Date paid; absent when the source does not give it.
    pub date: Option<Date>,
    /// Purpose (用途).
    pub purpose: String,
    /// Amount; negative only for a reversal, which must give a reason.
    pub amount: Money,
    /// Payee.
    pub payee: Option<String>,
    /// 支出功能分类科目 code.
    pub functional_code: Option<String>,
    /// 支出经济分类科目 code.
    pub economic_code: Option<String>,
    /// Target ids whose output this spending produced (for unit costs).
    pub targets: Vec<String>,
    /// Free note, or the reason of a reversal.
    pub note: Option<String>,
}

/// The project's money: appropriation, adjustments, receipts and spending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Budget {
    /// Initial appropriation (年初预算数).
    pub appropriation: Money,
    /// Approving document (e.g. 昆财社〔2022〕2号).
    pub approval_document: Option<String>,
    /// In-year adjustments.
    pub adjustments: Vec<Adjustment>,
    /// Funds received.
    pub receipts: Vec<Receipt>,
    /// Spending lines.
    pub spending: Vec<SpendingLine>,
}

impl Budget {
    /// 调整后预算数 (全年预算数): appropriation plus adjustments.
    #[must_use]
    pub fn adjusted(&self) -> Money {
        self.appropriation
            .plus(self.adjustments.iter().map(|a| a.amount).sum())
    }

    /// 到位资金: the sum of receipts.
    #[must_use]
    pub fn received(&self) -> Money {
        self.receipts.iter().map(|r| r.amount).sum()
    }

    /// 支出 (执行数): the sum of spending lines.
    #[must_use]
    pub fn spent(&self) -> Money {
        self.spending.iter().map(|s| s.amount).sum()
    }

    /// 结转结余: adjusted budget minus spending.
    #[must_use]
    pub fn unspent(&self) -> Money {
        self.adjusted().minus(self.spent())
    }
}

terms! {
    /// 一级指标 of a target sheet.
    Category {
        /// 产出指标.
        Output = "产出" | "产出指标",
        /// 效益指标.
        Benefit = "效益" | "效益指标",
        /// 满意度指标.
        Satisfaction = "满意度" | "满意度指标",
        /// 成本指标 (a top-level category since 财预〔2021〕101号).
        Cost = "成本" | "成本指标",
    }
}

terms! {
    /// 二级指标 of a target sheet.
    Subcategory {
        /// 数量指标.
        Quantity = "数量" | "数量指标",
        /// 质量指标.
        Quality = "质量" | "质量指标",
        /// 时效指标.
        Timeliness = "时效" | "时效指标",
        /// 成本指标 (under 产出, pre-2022 forms).
        Cost = "成本" | "成本指标",
        /// 经济效益 / 经济成本.
        Economic = "经济" | "经济效益" | "经济效益指标" | "经济成本" | "经济成本指标",
        /// 社会效益 / 社会成本.
        Social = "社会" | "社会效益" | "社会效益指标" | "社会成本" | "社会成本指标",
        /// 生态效益 / 生态环境成本.
        Ecological = "生态" | "生态效益" | "生态效益指标" | "生态环境成本" | "生态环境成本指标" | "环境效益",
        /// 可持续影响.
        Sustainable = "可持续影响" | "可持续影响指标",
        /// 服务对象满意度.
        ClientSatisfaction = "服务对象满意度" | "服务对象满意度指标" | "满意度",
    }
}

impl Subcategory {
    /// Whether this sub-category may sit under `cat`.
    #[must_use]
    pub fn belongs_to(self, cat: Category) -> bool {
        use Subcategory as S;
        match cat {
            Category::Output => matches!(self, S::Quantity | S::Quality | S::Timeliness | S::Cost),
            Category::Benefit => {
                matches!(
                    self,
                    S::Economic | S::Social | S::Ecological | S::Sustainable
                )
            }
            Category::Satisfaction => self == S::ClientSatisfaction,
            Category::Cost => matches!(self, S::Economic | S::Social | S::Ecological),
        }
    }
}

/// How a target value is compared (指标性质).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Comparator {
    /// ≥
    AtLeast,
    /// >
    Above,
    /// ≤
    AtMost,
    /// <
    Below,
    /// =
    Equal,
    /// 定性: judged, not measured.
    Qualitative,
}

impl Comparator {
    /// Accepted spellings, for messages.
    pub const NAMES: &'static [&'static str] = &["≥", "≤", "=", ">", "<", "定性"];

    /// Reads `≥ >= ＞＝ 不低于 不少于 …`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Comparator> {
        Some(match text.trim() {
            "≥" | ">=" | "＞＝" | "≧" | "不低于" | "不少于" | "大于等于" => {
                Comparator::AtLeast
            }
            ">" | "＞" | "大于" | "高于" | "多于" => Comparator::Above,
            "≤" | "<=" | "＜＝" | "≦" | "不高于" | "不超过" | "不多于" | "小于等于" => {
                Comparator::AtMost
            }
            "<" | "＜" | "小于" | "低于" | "少于" => Comparator::Below,
            "=" | "＝" | "等于" | "" => Comparator::Equal,
            "定性" => Comparator::Qualitative,
            _ => return None,
        })
    }

    /// The symbol.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtLeast => "≥",
            Comparator::Above => ">",
            Comparator::AtMost => "≤",
            Comparator::Below => "<",
            Comparator::Equal => "=",
            Comparator::Qualitative => "定性",
        }
    }

    /// The direction this comparator implies.
    #[must_use]
    pub fn implied_direction(self) -> Direction {
        match self {
            Comparator::AtLeast | Comparator::Above | Comparator::Qualitative => {
                Direction::Positive
            }
            Comparator::AtMost | Comparator::Below => Direction::Reverse,
            Comparator::Equal => Direction::Exact,
        }
    }
}

terms! {
    /// Which way is better (指标方向).
    Direction {
        /// 正向: more is better.
        Positive = "正向" | "正向指标",
        /// 反向: less is better (cost, time).
        Reverse = "反向" | "反向指标",
        /// 等于: exactly the target.
        Exact = "等于" | "持平",
    }
}

/// A target value: a number, or text for a qualitative target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetValue {
    /// A number in the target's unit.
    Number(Dec),
    /// Text, for 定性 targets (e.g. 明显提高).
    Text(String),
}

/// One indicator of the target sheet (绩效目标表).
///
/// Laid out in declaration order, what scoring reads first: a finance bureau scores many
/// thousands of projects at once, and then the cache lines each target costs are most of the
/// time; the texts scoring never reads come last.
#[derive(Clone, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Target {
    /// 一级.
    pub category: Category,
    /// 二级.
    pub subcategory: Subcategory,
    /// 指标性质.
    pub comparator: Comparator,
    /// 指标方向.
    pub direction: Direction,
    /// The unit's own weight for this indicator, if it set one.
    pub weight: Option<Points>,
    /// 指标值.
    pub value: TargetValue,
    /// Identifier, unique in the project, used by actuals, judgments and narrative.
    pub id: Code,
    /// 度量单位.
    pub unit: Unit,
    /// What was achieved, once recorded.
    pub actual: Option<Actual>,
    /// 三级: the indicator's name.
    pub name: String,
    /// 指标解释.
    pub explanation: Option<String>,
    /// 指标值设定依据 (计划标准, 行业标准 …).
    pub basis: Option<String>,
}

impl Target {
    /// True for 定性 targets.
    #[must_use]
    pub fn is_qualitative(&self) -> bool {
        self.comparator == Comparator::Qualitative
    }

    /// The numeric target value, if any.
    #[must_use]
    pub fn number(&self) -> Option<Dec> {
        match &self.value {
            TargetValue::Number(d) => Some(*d),
            TargetValue::Text(_) => None,
        }
    }

    /// The target as people write it: `≥470人次`, `50000张`, `定性：明显提高`.
    #[must_use]
    pub fn display_value(&self) -> String {
        match (&self.value, self.comparator) {
            (TargetValue::Text(t), _) => t.clone(),
            (TargetValue::Number(n), Comparator::Equal) => format!("{n}{}", self.unit),
            (TargetValue::Number(n), c) => format!("{}{n}{}", c.symbol(), self.unit),
        }
    }
}

/// A measured or observed value for a target (实际完成值).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActualValue {
    /// A number in `unit`.
    Number {
        /// The value.
        value: Dec,
        /// Its unit (defaults to the target's).
        unit: Unit,
    },
    /// A rate from counts: `numerator / denominator × 100 %` (合格率, 满意度 …).
    Counts {
        /// E.g. qualified trainees, or satisfied respondents.
        numerator: Dec,
        /// E.g. all trainees, or valid answers.
        denominator: Dec,
    },
    /// An observation in words, for qualitative targets.
    Text(String),
}

/// What was achieved for one target (laid out, like [`Target`], what scoring reads first).
#[derive(Clone, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Actual {
    /// The value.
    pub value: ActualValue,
    /// 偏差原因 (needed when the target was missed or far exceeded).
    pub deviation_reason: Option<String>,
    /// Free note.
    pub note: Option<String>,
    /// 改进措施.
    pub measures: Option<String>,
    /// Evidence references (file names, document numbers, register pages).
    pub evidence: Vec<String>,
}

terms! {
    /// Tiers for qualitative indicators (domain.md c.3).
    Tier {
        /// 达成年度指标.
        Achieved = "达成" | "达成年度指标",
        /// 部分达成年度指标并具有一定效果.
        Partly = "部分达成" | "部分达成年度指标并具有一定效果",
        /// 未达成年度指标且效果较差.
        NotAchieved = "未达成" | "未达成年度指标且效果较差",
    }
}

terms! {
    /// Who evaluates (domain.md (a) stage 3).
    EvaluationKind {
        /// 单位自评.
        SelfEvaluation = "单位自评" | "自评" | "绩效自评",
        /// 部门评价.
        Department = "部门评价",
        /// 财政评价.
        Finance = "财政评价" | "财政重点评价",
    }
}

/// What a judgment is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A framework node, by code.
    Node(Code),
    /// A target indicator, by id.
    Target(Code),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Node(c) | Subject::Target(c) => f.write_str(c),
        }
    }
}

/// The evaluation group's decision on one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A score in points.
    Score(Points),
    /// A share of the node's weight, in percent.
    Share(Dec),
    /// A deduction from a computed score (e.g. a target set too low).
    Deduction(Points),
    /// The node does not apply to this project.
    NotApplicable,
}

/// One judgment with its reason (评分及扣分理由).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgment {
    /// What is judged.
    pub subject: Subject,
    /// The decision.
    pub verdict: Verdict,
    /// Tier, for qualitative targets.
    pub tier: Option<Tier>,
    /// Reason; mandatory for any deduction.
    pub reason: Option<String>,
    /// Evidence references.
    pub evidence: Vec<String>,
}

/// The evaluation work record (评价工作情况).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Who evaluates.
    pub kind: Option<EvaluationKind>,
    /// Framework name or path.
    pub framework: Option<String>,
    /// Node weights set by this evaluation, by code (for frameworks that leave them open).
    pub weights: BTreeMap<String, Points>,
    /// Node names changed by this evaluation, by code.
    pub names: BTreeMap<String, String>,
    /// Leader of the group (e.g. 党组书记).
    pub leader: Option<String>,
    /// Members (people or offices).
    pub members: Vec<String>,
    /// First day of the evaluation.
    pub start: Option<Date>,
    /// Last day of the evaluation.
    pub end: Option<Date>,
    /// Date the report is signed.
    pub signed: Option<Date>,
    /// Data cut-off date.
    pub cutoff: Option<Date>,
    /// Principles (相关性、重要性 …).
    pub principles: Vec<String>,
    /// Methods (比较法、因素分析法 …).
    pub methods: Vec<String>,
    /// Limitations (局限性).
    pub limitations: Option<String>,
    /// Judgments.
    pub judgments: Vec<Judgment>,
}

/// Scores the unit itself claimed (e.g. the seed's A 19, B 18.8, C 58, total 95.8).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claimed {
    /// Claimed total.
    pub total: Option<Points>,
    /// Claimed grade.
    pub grade: Option<String>,
    /// Claimed node scores by code.
    pub nodes: BTreeMap<String, Points>,
    /// Where the claim comes from.
    pub source: Option<String>,
}

/// One project's complete case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Project {
    /// Project code (项目编码).
    pub code: String,
    /// Name, e.g. 残疾人基层组织建设及服务经费.
    pub name: String,
    /// Fiscal year.
    pub year: i32,
    /// Department (预算单位), e.g. 昆明市残疾人联合会.
    pub department: String,
    /// Managing office (处室), e.g. 组联处.
    pub office: Option<String>,
    /// Category (项目类别).
    pub category: Option<String>,
    /// Nature (新增/延续, 一次性/经常性).
    pub nature: Option<String>,
    /// Competent department (主管部门), when different from the department.
    pub supervisor: Option<String>,
    /// Contact person.
    pub contact: Option<String>,
    /// Planned start of the project.
    pub start: Option<Date>,
    /// Planned end of the project.
    pub end: Option<Date>,
    /// Policy basis (立项依据).
    pub policy_basis: Vec<PolicyDoc>,
    /// Fund-payment chain by role, applicant first, payer last.
    pub approval_chain: Vec<Role>,
    /// Named facts.
    pub facts: Vec<Fact>,
    /// Money.
    pub budget: Budget,
    /// Overall goal (总目标).
    pub overall_goal: Option<String>,
    /// Annual goal (年度目标) as text.
    pub annual_goal: Option<String>,
    /// The target sheet, with actuals attached.
    pub targets: Vec<Target>,
    /// The evaluation.
    pub evaluation: Evaluation,
    /// Claimed scores.
    pub claimed: Claimed,
    /// Narrative text by section key (see docs/project-file.md).
    pub narrative: BTreeMap<String, String>,
}

impl Project {
    /// The target with this id.
    #[must_use]
    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }

    /// The framework this project asks for.
    #[must_use]
    pub fn framework_name(&self) -> Option<&str> {
        self.evaluation.framework.as_deref()
    }
}
