//! Scoring rules as data: every formula of domain.md c.1–c.5 with its worked examples.

use rstest::rstest;

use crate::diag::Problem;
use crate::file;
use crate::framework::Framework;
use crate::project::Project;
use crate::scoring::{Scored, Status, score};
use crate::sheet::Sheet;

/// A framework from TOML text; panics with the diagnostics if it is invalid.
pub(crate) fn fw(src: &str) -> Framework {
    let l = file::framework::read(src.as_bytes());
    assert!(!l.has_errors(), "framework invalid: {:#?}", l.diagnostics);
    l.value.unwrap()
}

/// A project from TOML text; panics with the diagnostics if it is invalid.
pub(crate) fn project(src: &str) -> Project {
    let l = file::project::read(src.as_bytes());
    assert!(!l.has_errors(), "project invalid: {:#?}", l.diagnostics);
    l.value.unwrap()
}

const HEAD: &str = r#"
[project]
name = "测试项目"
year = 2022
department = "测试单位"
[budget]
appropriation = 1000
"#;

/// A framework whose only node is one slot of `weight` points taking every category.
fn slot_fw(weight: &str, extra_rules: &str) -> Framework {
    fw(&format!(
        r#"
[framework]
name = "t"
total = {weight}
[rules]
{extra_rules}
[[node]]
code = "S"
name = "目标"
weight = {weight}
categories = ["产出", "效益", "满意度", "成本"]
"#
    ))
}

/// Scores one target (given as the body of a `[[target]]` table) under a one-slot framework.
fn check_target(weight: &str, target: &str, judgment: &str) -> (String, Vec<&'static str>) {
    let f = slot_fw(weight, "");
    let p = project(&format!(
        "{HEAD}\n[[target]]\nid = \"T1\"\n{target}\n{judgment}"
    ));
    let s = score(&f, &p);
    let ids = s.diagnostics().iter().map(|d| d.problem.id()).collect();
    (s.total.to_string(), ids)
}

#[rstest]
// domain.md c.2: cards 40000 of 50000 with a weight of 5 → 4.00.
#[case::cards_shortfall(
    "5",
    r#"category = "产出"
subcategory = "数量"
name = "制卡数量"
comparator = "="
value = 50000
unit = "张"
actual = { value = 40000, unit = "张" }"#,
    "4.00"
)]
// The same in 万张: units convert.
#[case::cards_in_wan(
    "5",
    r#"category = "产出"
subcategory = "数量"
name = "制卡数量"
comparator = "≥"
value = 50000
unit = "张"
actual = { value = 4, unit = "万张" }"#,
    "4.00"
)]
// Reverse indicator: cost ≤ 100, actual 125, weight 10 → 10 × 100/125 = 8.00.
#[case::reverse_over(
    "10",
    r#"category = "产出"
subcategory = "成本"
name = "人均成本"
comparator = "≤"
value = 100
unit = "元"
actual = { value = 125 }"#,
    "8.00"
)]
// Reverse indicator met: cost below its ceiling earns the whole weight.
#[case::reverse_met(
    "10",
    r#"category = "产出"
subcategory = "成本"
name = "人均成本"
comparator = "≤"
value = 100
unit = "元"
actual = { value = 80 }"#,
    "10.00"
)]
// Over-achievement is capped at the weight: 培训次数 ≥ 10, actual 25.
#[case::capped(
    "10",
    r#"category = "产出"
subcategory = "数量"
name = "培训次数"
comparator = "≥"
value = 10
unit = "次"
actual = { value = 25, deviation_reason = "上级追加任务" }"#,
    "10.00"
)]
// "=" met exactly.
#[case::equal_met(
    "6",
    r#"category = "产出"
subcategory = "数量"
name = "培训期数"
comparator = "="
value = 5
unit = "期"
actual = { value = 5 }"#,
    "6.00"
)]
// "=" missed: the positive formula, 4/5 of 6 = 4.80.
#[case::equal_missed(
    "6",
    r#"category = "产出"
subcategory = "数量"
name = "培训期数"
comparator = "="
value = 5
unit = "期"
actual = { value = 4, deviation_reason = "疫情" }"#,
    "4.80"
)]
// "=" marked 反向 (a cost that must equal its budget): the reverse formula.
#[case::equal_reverse(
    "10",
    r#"category = "成本"
subcategory = "经济"
name = "单位成本"
comparator = "="
direction = "反向"
value = 100
unit = "元"
actual = { value = 125 }"#,
    "8.00"
)]
// A zero target that must not be exceeded (≤ 0 accidents), met.
#[case::zero_ceiling_met(
    "4",
    r#"category = "产出"
subcategory = "质量"
name = "安全事故"
comparator = "≤"
value = 0
unit = "起"
actual = { value = 0 }"#,
    "4.00"
)]
// …and missed: any accident loses the whole weight.
#[case::zero_ceiling_missed(
    "4",
    r#"category = "产出"
subcategory = "质量"
name = "安全事故"
comparator = "≤"
value = 0
unit = "起"
actual = { value = 1, deviation_reason = "意外" }"#,
    "0.00"
)]
// Satisfaction from counts: 450 of 500 = 90 % against ≥ 85 % → whole weight.
#[case::satisfaction_counts_met(
    "10",
    r#"category = "满意度"
subcategory = "服务对象满意度"
name = "满意度"
comparator = "≥"
value = 85
unit = "%"
actual = { numerator = 450, denominator = 500 }"#,
    "10.00"
)]
// 400 of 500 = 80 % against ≥ 85 % → 10 × 80/85 = 9.41.
#[case::satisfaction_counts_short(
    "10",
    r#"category = "满意度"
subcategory = "服务对象满意度"
name = "满意度"
comparator = "≥"
value = 85
unit = "%"
actual = { numerator = 400, denominator = 500, deviation_reason = "样本中新用户较多" }"#,
    "9.41"
)]
// Half-up rounding of a leaf: 3 × 1/3 = 0.999… is not it; 2 × 2/3 = 1.3333 → 1.33.
#[case::rounds_half_up(
    "2",
    r#"category = "产出"
subcategory = "数量"
name = "次数"
comparator = "≥"
value = 3
unit = "次"
actual = { value = 2, deviation_reason = "x" }"#,
    "1.33"
)]
// 1 × 0.125 → 0.125 → 0.13 (half away from zero, not banker's rounding).
#[case::rounds_half_away(
    "1",
    r#"category = "产出"
subcategory = "数量"
name = "次数"
comparator = "≥"
value = 8
unit = "次"
actual = { value = 1, deviation_reason = "x" }"#,
    "0.13"
)]
fn quantitative_formulas(#[case] weight: &str, #[case] target: &str, #[case] expected: &str) {
    assert_eq!(check_target(weight, target, "").0, expected);
}

#[test]
fn over_achievement_warns_and_a_deduction_needs_a_reason() {
    let t = r#"category = "产出"
subcategory = "数量"
name = "培训次数"
comparator = "≥"
value = 10
unit = "次"
actual = { value = 25 }"#;
    let (total, ids) = check_target("10", t, "");
    assert_eq!(total, "10.00");
    assert_eq!(ids, vec!["over-achievement"]);
    // The evaluation group judges the target was set too low and deducts, with a reason.
    let j = "[[evaluation.judgment]]\ntarget = \"T1\"\ndeduction = 2\nreason = \"目标明显偏低\"";
    let (total, _) = check_target("10", t, j);
    assert_eq!(total, "8.00");
    // Without the reason the file is refused.
    let l = file::project::read(
        format!("{HEAD}\n[[target]]\nid = \"T1\"\n{t}\n[[evaluation.judgment]]\ntarget = \"T1\"\ndeduction = 2")
            .as_bytes(),
    );
    assert!(
        l.diagnostics
            .iter()
            .any(|d| matches!(d.problem, Problem::DeductionWithoutReason { .. }))
    );
}

#[test]
fn missing_actual_is_never_silently_scored() {
    let t = r#"category = "产出"
subcategory = "数量"
name = "培训人次"
comparator = "≥"
value = 470
unit = "人次""#;
    let f = slot_fw("10", "");
    let p = project(&format!("{HEAD}\n[[target]]\nid = \"T1\"\n{t}"));
    let s = score(&f, &p);
    assert_eq!(s.total.to_string(), "0.00");
    let sheet = Sheet::new(&s);
    assert_eq!(sheet.unscored.len(), 1);
    assert_eq!(sheet.unscored[0].status, "无佐证");
    // A configurable rule may give a share instead; it is still listed.
    let f = slot_fw("10", "unscored_share = 50");
    let s = score(&f, &p);
    assert_eq!(s.total.to_string(), "5.00");
    assert_eq!(Sheet::new(&s).unscored.len(), 1);
}

const QUAL: &str = r#"category = "效益"
subcategory = "社会"
name = "服务能力明显提高"
comparator = "定性"
value = "明显提高""#;

#[rstest]
#[case::achieved_share("tier = \"达成\"\nshare = 90\nreason = \"培训考核优良率高\"", "9.00", vec![])]
#[case::achieved_full("tier = \"达成\"\nscore = 10", "10.00", vec![])]
#[case::partly("tier = \"部分达成\"\nshare = 70\nreason = \"部分县区未开展\"", "7.00", vec![])]
#[case::not_achieved("tier = \"未达成\"\nscore = 2\nreason = \"未开展\"", "2.00", vec![])]
#[case::outside_band("tier = \"达成\"\nshare = 70\nreason = \"x\"", "7.00", vec!["share-outside-tier"])]
#[case::no_tier("score = 8\nreason = \"x\"", "8.00", vec!["missing-field"])]
fn qualitative_tiers(#[case] j: &str, #[case] expected: &str, #[case] problems: Vec<&str>) {
    let judgment = format!("[[evaluation.judgment]]\ntarget = \"T1\"\n{j}");
    let (total, ids) = check_target("10", QUAL, &judgment);
    assert_eq!(total, expected);
    assert_eq!(ids, problems);
}

#[test]
fn qualitative_bands_are_configurable() {
    // Hubei bands (domain.md c.3): 部分达成 50–80 %.
    let f = slot_fw(
        "10",
        "[rules.tiers]\n\"达成\" = [80, 100]\n\"部分达成\" = [50, 80]\n\"未达成\" = [0, 50]",
    );
    let p = project(&format!(
        "{HEAD}\n[[target]]\nid = \"T1\"\n{QUAL}\n[[evaluation.judgment]]\ntarget = \"T1\"\ntier = \"部分达成\"\nshare = 55\nreason = \"x\""
    ));
    let s = score(&f, &p);
    assert!(!s.has_errors(), "{:?}", s.diagnostics());
    assert_eq!(s.total.to_string(), "5.50");
}

fn exec_fw(weight: &str, rule: &str, denominator: &str) -> Framework {
    fw(&format!(
        r#"
[framework]
name = "e"
total = {weight}
[rules]
execution_denominator = "{denominator}"
[[node]]
code = "E"
name = "预算执行率"
weight = {weight}
measure = "预算执行率"
{rule}
"#
    ))
}

const SEED_BUDGET: &str = r#"
[project]
name = "残疾人基层组织建设及服务经费"
year = 2022
department = "昆明市残疾人联合会"
[budget]
appropriation = "76.1万元"
[[budget.receipt]]
amount = "76.1万元"
[[budget.spending]]
purpose = "制卡"
amount = "41.36万元"
[[budget.spending]]
purpose = "其他"
amount = "3.03万元"
"#;

#[rstest]
// domain.md c.1: 44.39 / 76.1 = 58.33 % → 5.83 of 10 (4.17 deducted).
#[case::self_form_10("10", "", "调整后预算", "5.83")]
// Hubei 20-point rule: 11.67.
#[case::hubei_20("20", "", "调整后预算", "11.67")]
// Framework formula 支出/到位 gives the same here (到位 = 预算).
#[case::received_denominator("10", "", "到位资金", "5.83")]
// Tiered: ≥ 95 % full marks, ≥ 80 % 80 %, ≥ 60 % 60 %, below that nothing.
#[case::tiered_zero(
    "10",
    "below = \"零分\"\nsteps = [{min = 95, share = 100}, {min = 80, share = 80}, {min = 60, share = 60}]",
    "调整后预算",
    "0.00"
)]
#[case::tiered_linear_below(
    "10",
    "steps = [{min = 95, share = 100}, {min = 80, share = 80}]",
    "调整后预算",
    "5.83"
)]
#[case::tiered_step(
    "10",
    "steps = [{min = 95, share = 100}, {min = 50, share = 70}]",
    "调整后预算",
    "7.00"
)]
fn execution_rate(
    #[case] weight: &str,
    #[case] rule: &str,
    #[case] denominator: &str,
    #[case] expected: &str,
) {
    let f = exec_fw(weight, rule, denominator);
    let p = project(SEED_BUDGET);
    let s = score(&f, &p);
    assert_eq!(s.total.to_string(), expected);
    assert_eq!(
        Sheet::new(&s).budget.execution_rate.as_deref(),
        Some("58.33")
    );
}

#[test]
fn execution_rate_uses_the_adjusted_budget() {
    let f = exec_fw("10", "", "调整后预算");
    let p = project(&format!(
        "{SEED_BUDGET}\n[[budget.adjustment]]\namount = \"-10万元\"\nreason = \"调减\""
    ));
    let s = score(&f, &p);
    // 44.39 / 66.1 = 67.16 %
    assert_eq!(s.rate(0).unwrap().percent(2).to_string(), "67.16");
    assert_eq!(s.total.to_string(), "6.72");
}

#[test]
fn zero_budget_is_reported_not_divided() {
    let f = exec_fw("10", "", "调整后预算");
    let p = project(&HEAD.replace("appropriation = 1000", "appropriation = 0"));
    let s = score(&f, &p);
    assert_eq!(s.total.to_string(), "0.00");
    assert!(matches!(
        s.nodes[0].status,
        Status::Unscored(crate::scoring::Unscored::Undefined)
    ));
}

/// domain.md c.2: leaves that do not apply are dropped and the rest rescaled.
/// Scores 8 + 9 + 27 of 10 + 10 + 30 → 44 / 50 × 100 = 88.0.
#[test]
fn not_applicable_is_rescaled() {
    let f = fw(r#"
[framework]
name = "na"
[[node]]
code = "A"
name = "甲"
weight = 10
[[node]]
code = "B"
name = "乙"
weight = 10
[[node]]
code = "C"
name = "丙"
weight = 30
[[node]]
code = "D"
name = "丁"
weight = 50
"#);
    let p = project(&format!(
        r#"{HEAD}
[[evaluation.judgment]]
node = "A"
share = 80
reason = "a"
[[evaluation.judgment]]
node = "B"
share = 90
reason = "b"
[[evaluation.judgment]]
node = "C"
share = 90
reason = "c"
[[evaluation.judgment]]
node = "D"
not_applicable = true
"#
    ));
    let s = score(&f, &p);
    assert!(!s.has_errors(), "{:?}", s.diagnostics());
    assert_eq!(s.total.to_string(), "88.00");
    let weights: Vec<String> = s.nodes.iter().map(|n| n.weight.to_string()).collect();
    assert_eq!(weights, ["20.00", "20.00", "60.00", "0.00"]);
    assert_eq!(s.nodes[3].status, Status::NotApplicable);
}

#[rstest]
#[case("100", "优")]
#[case("90", "优")]
#[case("89.99", "良")]
#[case("80", "良")]
#[case("79.99", "中")]
#[case("60", "中")]
#[case("59.99", "差")]
#[case("0", "差")]
fn grade_bands(#[case] total: &str, #[case] grade: &str) {
    let g = crate::framework::Grades::standard();
    let p = crate::num::Points::from_dec(crate::num::Dec::parse(total).unwrap()).unwrap();
    assert_eq!(g.grade(p), grade);
}

#[test]
fn grade_bands_are_configurable() {
    let f = fw(r#"
[framework]
name = "g"
[[grade]]
name = "A"
min = 85
[[grade]]
name = "B"
min = 0
[[node]]
code = "X"
name = "x"
weight = 100
"#);
    let p = project(&format!(
        "{HEAD}\n[[evaluation.judgment]]\nnode = \"X\"\nscore = 86\nreason = \"r\""
    ));
    assert_eq!(score(&f, &p).grade(), "A");
}

#[test]
fn judged_scores_are_checked_against_the_weight() {
    let f = fw(r#"
[framework]
name = "j"
[[node]]
code = "X"
name = "x"
weight = 100
"#);
    let over = project(&format!(
        "{HEAD}\n[[evaluation.judgment]]\nnode = \"X\"\nscore = 101"
    ));
    let ids: Vec<_> = score(&f, &over)
        .diagnostics()
        .iter()
        .map(|d| d.problem.id())
        .collect();
    assert_eq!(ids, ["score-above-weight"]);
    let no_reason = project(&format!(
        "{HEAD}\n[[evaluation.judgment]]\nnode = \"X\"\nscore = 99"
    ));
    let ids: Vec<_> = score(&f, &no_reason)
        .diagnostics()
        .iter()
        .map(|d| d.problem.id())
        .collect();
    assert_eq!(ids, ["deduction-without-reason"]);
    let unknown = project(&format!(
        "{HEAD}\n[[evaluation.judgment]]\nnode = \"Y\"\nscore = 1"
    ));
    let ids: Vec<_> = score(&f, &unknown)
        .diagnostics()
        .iter()
        .map(|d| d.problem.id())
        .collect();
    assert_eq!(ids, ["unknown-ref"]);
}

/// mof-2020-eval leaves its weights to the evaluation; once set they are validated.
#[test]
fn evaluation_sets_and_validates_weights() {
    let f = crate::builtin::load("mof-2020-eval").unwrap();
    let with_targets = format!(
        r#"{SEED_BUDGET}
[[target]]
id = "T1"
category = "产出"
subcategory = "数量"
name = "制卡数量"
comparator = "≥"
value = 50000
unit = "张"
[[target]]
id = "T2"
category = "满意度"
subcategory = "服务对象满意度"
name = "满意度"
comparator = "≥"
value = 85
unit = "%"
"#
    );
    let base = project(&with_targets);
    // Nothing set: 25 each violates 产出 + 效益 ≥ 60.
    let s = score(&f, &base);
    assert!(
        s.diagnostics()
            .iter()
            .any(|d| d.problem.id() == "constraint-violated")
    );
    let set = |w: &str| {
        project(&format!(
            "{with_targets}\n[evaluation]\nframework = \"mof-2020-eval\"\n[evaluation.weights]\n{w}"
        ))
    };
    let ok = set("A = 15\nB = 20\nC = 40\nD = 25");
    let s = score(&f, &ok);
    assert!(!s.has_errors(), "{:?}", s.diagnostics());
    let sheet = Sheet::new(&s);
    assert_eq!(sheet.nodes[1].weight, "20.00");
    assert_eq!(sheet.nodes[1].children[0].weight, "10.00"); // 资金管理: half of 过程
    // Children that do not add up to their parent.
    let bad = set("A = 15\nB = 20\nC = 40\nD = 25\nB1 = 12\nB2 = 10");
    let ids: Vec<_> = score(&f, &bad)
        .diagnostics()
        .iter()
        .map(|d| d.problem.id())
        .collect();
    assert!(ids.contains(&"weights-dont-sum"), "{ids:?}");
    // Level 1 not adding up to 100.
    let bad = set("A = 15\nB = 20\nC = 40\nD = 20");
    let ids: Vec<_> = score(&f, &bad)
        .diagnostics()
        .iter()
        .map(|d| d.problem.id())
        .collect();
    assert!(ids.contains(&"weights-dont-sum"), "{ids:?}");
}

fn kunming() -> (Framework, Project) {
    let src = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/kunming-2022.toml"
    ))
    .unwrap();
    let l = file::project::read(&src);
    assert!(!l.has_errors(), "{:#?}", l.diagnostics);
    (
        crate::builtin::load("kunming-2022").unwrap(),
        l.value.unwrap(),
    )
}

/// Seed line 95: 二级指标8项，三级指标22项，四级指标33项.
#[test]
fn kunming_tree_has_the_seed_counts() {
    let (f, p) = kunming();
    let s = score(&f, &p);
    let count = |d: u8| s.nodes.iter().filter(|n| n.depth == d).count();
    assert_eq!(
        (count(1), count(2), count(3), count(4), count(5)),
        (3, 8, 22, 33, 0)
    );
    let weights: Vec<String> = s
        .children(None)
        .map(|i| s.nodes[i].weight.to_string())
        .collect();
    assert_eq!(weights, ["20.00", "20.00", "60.00"]);
}

fn assert_sums(s: &Scored<'_>) {
    for i in 0..s.nodes.len() {
        let n = &s.nodes[i];
        assert!(n.score >= crate::num::Points::ZERO && n.score <= n.weight);
        if !s.is_leaf(i) {
            let w: crate::num::Points = s.children(Some(i)).map(|c| s.nodes[c].weight).sum();
            let sc: crate::num::Points = s.children(Some(i)).map(|c| s.nodes[c].score).sum();
            assert_eq!(w, n.weight, "weights of {}", s.code(i));
            assert_eq!(sc, n.score, "scores of {}", s.code(i));
        }
    }
    let total: crate::num::Points = s.children(None).map(|c| s.nodes[c].score).sum();
    assert_eq!(total, s.total);
}

#[test]
fn kunming_scores_honestly() {
    let (f, p) = kunming();
    let s = score(&f, &p);
    assert!(!s.has_errors(), "{:#?}", s.diagnostics());
    assert_sums(&s);
    let b13 = s.find("B13").unwrap();
    assert_eq!(s.nodes[b13].score.to_string(), "1.75"); // 3 × 58.33 %
    let cards = s.find("C114").unwrap();
    assert_eq!(s.nodes[cards].score.to_string(), "2.40"); // 3 × 40000/50000
    assert_eq!(s.target(cards).unwrap().id, "T04");
    let sheet = Sheet::new(&s);
    assert_eq!(sheet.claimed_total.as_deref(), Some("95.80"));
    assert_ne!(sheet.total, "95.80");
    // Every indicator the seed gives no evidence for is listed, none silently scored.
    assert_eq!(sheet.unscored.len(), 28);
    assert!(sheet.unscored.iter().all(|u| u.score == "0.00"));
}

#[test]
fn kunming_also_scores_under_the_self_evaluation_form() {
    let (_, p) = kunming();
    let f = crate::builtin::load("mof-2020-self").unwrap();
    let s = score(&f, &p);
    assert!(!s.has_errors(), "{:#?}", s.diagnostics());
    assert_sums(&s);
    // 预算执行率 10 × 58.33 % = 5.83 (domain.md c.1 worked example).
    assert_eq!(s.nodes[0].score.to_string(), "5.83");
    // The target sheet has no weights: divided evenly, with a warning.
    assert!(
        s.diagnostics()
            .iter()
            .any(|d| d.problem.id() == "split-fallback-even")
    );
}

#[test]
fn kunming_json_snapshot() {
    let (f, p) = kunming();
    let s = score(&f, &p);
    insta::assert_json_snapshot!("kunming_2022_sheet", Sheet::new(&s));
}

/// Working memory reused across projects remembers where each judgment's subject was found;
/// a project whose judgments or targets come in another order must still score exactly as
/// it would alone.
#[test]
fn reused_scratch_scores_reordered_projects_as_fresh_ones() {
    use crate::num::Dec;
    use crate::project::{Judgment, Subject, Tier, Verdict};
    use crate::scoring::{Scratch, score_with};
    let (f, mut p) = kunming();
    // Judge every qualitative target with a different share, so that a judgment given to
    // the wrong target changes the scores.
    let qualitative: Vec<crate::code::Code> = p
        .targets
        .iter()
        .filter(|t| t.is_qualitative())
        .map(|t| t.id.clone())
        .collect();
    assert!(qualitative.len() >= 2);
    for (k, id) in (0_i64..).zip(qualitative) {
        p.evaluation.judgments.push(Judgment {
            subject: Subject::Target(id),
            verdict: Verdict::Share(Dec::from_int(100 - 7 * k).unwrap()),
            tier: Some(Tier::Achieved),
            reason: Some("抽样核实".into()),
            evidence: Vec::new(),
        });
    }
    let mut reordered = p.clone();
    reordered.evaluation.judgments.reverse();
    reordered.targets.reverse();
    let mut renamed = p.clone();
    for t in &mut renamed.targets {
        t.id = format!("X{}", t.id).into();
    }
    for j in &mut renamed.evaluation.judgments {
        if let Subject::Target(id) = &mut j.subject {
            *id = format!("X{id}").into();
        }
    }
    // The same judgment positions naming other targets.
    let mut swapped = p.clone();
    let n = swapped.evaluation.judgments.len();
    let (first, second) = swapped.evaluation.judgments.split_at_mut(n - 1);
    std::mem::swap(&mut first[n - 2].subject, &mut second[0].subject);
    // Inputs of the tree's layout, each changed alone: the layout kept from the previous
    // project must not be reused for these.
    let mut not_applicable = p.clone();
    not_applicable.evaluation.judgments[0].verdict = Verdict::NotApplicable;
    let mut reweighted = p.clone();
    reweighted.targets[0].weight = Some(crate::num::Points::from_centi(1234));
    let mut regrouped = p.clone();
    let quantity = regrouped
        .targets
        .iter()
        .position(|t| t.subcategory == crate::project::Subcategory::Quantity)
        .unwrap();
    regrouped.targets[quantity].subcategory = crate::project::Subcategory::Timeliness;
    let mut weighted = p.clone();
    weighted
        .evaluation
        .weights
        .insert("A".into(), crate::num::Points::from_centi(2000));
    let other = crate::builtin::load("mof-2020-self").unwrap();
    let mut scratch = Scratch::default();
    let cases = [
        &p,
        &swapped,
        &reordered,
        &renamed,
        &p,
        &not_applicable,
        &p,
        &reweighted,
        &p,
        &regrouped,
        &p,
        &weighted,
        &weighted,
        &p,
        &renamed,
    ];
    // Each framework alone, then the two alternating on the same working memory.
    let runs: [&[&Framework]; 3] = [&[&f], &[&other], &[&f, &other]];
    for frameworks in runs {
        for (k, q) in cases.into_iter().enumerate() {
            for fw in frameworks {
                let reused = Sheet::new(&score_with(fw, q, &mut scratch));
                let fresh = Sheet::new(&score(fw, q));
                assert_eq!(
                    serde_json::to_value(&reused).unwrap(),
                    serde_json::to_value(&fresh).unwrap(),
                    "case {k} with {}",
                    fw.name
                );
            }
        }
    }
    // Each changed input does change the result, so the comparisons above can fail.
    let sheet =
        |fw: &Framework, q: &Project| serde_json::to_value(Sheet::new(&score(fw, q))).unwrap();
    for (name, q) in [
        ("不适用", &not_applicable),
        ("权重", &reweighted),
        ("二级指标", &regrouped),
    ] {
        assert!(
            sheet(&f, q) != sheet(&f, &p) || sheet(&other, q) != sheet(&other, &p),
            "{name}"
        );
    }
    // The reordered project is the same case: the same total.
    assert_eq!(
        score_with(&f, &reordered, &mut scratch).total,
        score(&f, &p).total
    );
}
