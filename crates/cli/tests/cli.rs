//! Runs the real `jixiao` binary: scoring the Kunming case, frameworks, and bad input.
#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot unwrap should fail the test"
)]

mod common;

use common::{jixiao, stderr, stdout};

use jixiao_testkit::{TempDir, example, kunming_example};

#[test]
fn score_kunming_text() {
    let dir = TempDir::new("score-text");
    let ex = example("kunming-2022.toml");
    let o = jixiao(&["score", ex.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "框架：kunming-2022",
        "B13 预算执行率",
        "预算执行率 = 支出 443900.00元 ÷ 调整后预算数 761000.00元 = 58.33%",
        "C114 第三代残疾人证（智能化）制卡数量",
        "实际 4万张（即 40000张），完成率 80.00%",
        "预算执行率 58.33%",
        "自报：总分 95.80，等级 优",
        "A 项目决策：自报 19.00，计算 4.00",
        "B 项目管理：自报 18.80，计算 12.75",
        "无佐证",
        "[over-achievement]",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    assert!(out.contains("总分 22.15，等级 差"), "{out}");
}

#[test]
fn score_kunming_json() {
    let dir = TempDir::new("score-json");
    let ex = example("kunming-2022.toml");
    let o = jixiao(
        &["score", ex.to_str().unwrap(), "--format", "json"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["project"]["name"], "残疾人基层组织建设及服务经费");
    assert_eq!(v["project"]["year"], 2022);
    assert_eq!(v["framework"], "kunming-2022");
    assert_eq!(v["budget"]["execution_rate"], "58.33");
    assert_eq!(v["budget"]["appropriation_yuan"], "761000.00");
    assert_eq!(v["budget"]["spent_yuan"], "443900.00");
    assert_eq!(v["claimed_total"], "95.80");
    assert_eq!(v["total"], "22.15");
    assert_eq!(v["grade"], "差");
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 3);
    assert_eq!(nodes[1]["code"], "B");
    assert_eq!(nodes[1]["claimed"], "18.80");
    // Every node carries the documented keys, decimals as strings.
    for key in [
        "code",
        "name",
        "weight",
        "score",
        "deduction",
        "rate",
        "reasons",
        "claimed",
        "children",
    ] {
        assert!(nodes[0].get(key).is_some(), "node lacks {key}");
    }
    assert!(v["unscored"].as_array().unwrap().len() > 20);
    assert!(!v["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn framework_flag_overrides_the_file() {
    let dir = TempDir::new("score-fw");
    let ex = example("kunming-2022.toml");
    let o = jixiao(
        &[
            "score",
            ex.to_str().unwrap(),
            "--framework",
            "mof-2020-self",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["framework"], "mof-2020-self");
    assert_eq!(v["nodes"][0]["name"], "预算执行率");
    assert_eq!(v["nodes"][0]["score"], "5.83");
}

#[test]
fn frameworks_list_and_show() {
    let dir = TempDir::new("fw");
    let o = jixiao(&["frameworks"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for n in ["mof-2020-self", "mof-2020-eval", "kunming-2022"] {
        assert!(out.contains(n), "{out}");
    }
    let o = jixiao(&["frameworks", "show", "kunming-2022"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("A 项目决策 20.00"), "{out}");
    assert!(
        out.contains("B13 预算执行率 3.00 ［计算：预算执行率，线性］"),
        "{out}"
    );
    assert!(
        out.contains("等级：优 ≥ 90.00，良 ≥ 80.00，中 ≥ 60.00，差 ≥ 0.00"),
        "{out}"
    );
    // A path works as well as a name.
    let path = jixiao_testkit::workspace_root().join("frameworks/mof-2020-eval.toml");
    let o = jixiao(&["frameworks", "show", path.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("（由评价设定）"));
}

/// Writes the Kunming example with one substitution and scores it; expects exit code 2 and
/// every `needles` in stderr.
fn check_bad_project(from: &str, to: &str, needles: &[&str]) {
    let src = kunming_example();
    assert!(src.contains(from), "the example lacks {from:?}");
    let dir = TempDir::new("bad");
    let f = dir.write("bad.toml", src.replacen(from, to, 1));
    let o = jixiao(&["score", f.to_str().unwrap()], dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(o.stdout.is_empty());
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in\n{err}");
    }
    assert!(!err.contains("panicked") && !err.contains("{ "), "{err}");
}

#[test]
fn negative_money() {
    check_bad_project(
        r#"appropriation = "76.1万元""#,
        r#"appropriation = "-76.1万元""#,
        &["bad.toml:260:17: 错误: 字段 budget.appropriation: 金额 -76.1万元 无效：不能为负数"],
    );
}

#[test]
fn non_numeric_money() {
    check_bad_project(
        r#"appropriation = "76.1万元""#,
        r#"appropriation = "七十六万""#,
        &["bad.toml:260:17: 错误: 字段 budget.appropriation: 金额 七十六万 无效：不是数字"],
    );
}

#[test]
fn more_than_two_decimals_of_yuan() {
    check_bad_project(
        r#"amount = "3.03万元""#,
        "amount = 30300.001",
        &[
            "bad.toml:281:10: 错误: 字段 budget.spending[1].amount: 金额 30300.001 无效：最多允许2位小数",
        ],
    );
}

#[test]
fn percentage_over_100() {
    check_bad_project(
        "name = \"参加协会活动残疾人满意度\"\ncomparator = \"≥\"\nvalue = 80",
        "name = \"参加协会活动残疾人满意度\"\ncomparator = \"≥\"\nvalue = 120",
        &["bad.toml:428:9: 错误: 字段 target[13].value: 目标值为 120%，不能超过 100%"],
    );
}

#[test]
fn counts_above_their_whole() {
    check_bad_project(
        "unit = \"%\"\n# 第110行",
        "unit = \"%\"\nactual = { numerator = 120, denominator = 100 }\n# 第110行",
        &[
            "字段 target[13].actual.numerator: 比率（numerator/denominator）为 120.00%，不能超过 100%",
        ],
    );
}

#[test]
fn actual_unit_differs_from_target() {
    check_bad_project(
        r#"unit = "万张""#,
        r#"unit = "万人次""#,
        &[
            "bad.toml:326:8: 错误: 字段 target[3].actual.unit: 实际值的单位“万人次”与目标值的单位“张”不一致",
        ],
    );
}

#[test]
fn reference_to_missing_indicator() {
    check_bad_project(
        r#"node = "A112""#,
        r#"node = "A119""#,
        &["bad.toml:488:8: 错误: 字段 evaluation.judgment[1].node: 引用了不存在的指标编码“A119”"],
    );
    check_bad_project(
        r#"targets = ["T04"]"#,
        r#"targets = ["T99"]"#,
        &["字段 budget.spending[0].targets[0]: 引用了不存在的目标编号“T99”"],
    );
}

#[test]
fn qualitative_target_with_numeric_comparator() {
    check_bad_project(
        "comparator = \"定性\"\nvalue = \"提高\"",
        "comparator = \"≥\"\nvalue = \"提高\"",
        &[
            "bad.toml:419:14: 错误: 字段 target[12].comparator: 比较符“≥”需要数值目标，而目标值“提高”不是数值",
        ],
    );
}

#[test]
fn evaluation_window_inside_the_fiscal_year() {
    check_bad_project(
        "start = 2023-04-21",
        "start = 2022-04-21",
        &[
            "bad.toml:469:9: 错误: 字段 evaluation.start: 评价开始日期 2022-04-21 不在 2022 年度结束之后",
        ],
    );
}

#[test]
fn signature_before_the_window_ends() {
    check_bad_project(
        "signed = 2023-05-20",
        "signed = 2023-05-10",
        &[
            "bad.toml:471:10: 错误: 字段 evaluation.signed: 报告落款日期 2023-05-10 早于评价结束日期 2023-05-20",
        ],
    );
}

#[test]
fn date_that_does_not_exist() {
    check_bad_project(
        "end = 2023-05-20",
        "end = \"2023-02-30\"",
        &["字段 evaluation.end: 日期 2023-02-30 无效"],
    );
}

#[test]
fn unknown_field_is_named_with_the_allowed_ones() {
    check_bad_project(
        "appropriation = \"76.1万元\"",
        "apropriation = \"76.1万元\"",
        &[
            "字段 budget.apropriation: 未知字段 apropriation（可用字段：appropriation、",
            "字段 budget.appropriation: 缺少必填字段 budget.appropriation",
        ],
    );
}

#[test]
fn toml_syntax_error_has_a_position() {
    check_bad_project(
        "name = \"残疾人基层组织建设及服务经费\"",
        "name = \"残疾人基层组织建设及服务经费",
        &["bad.toml:15:23: 错误: TOML 语法错误：invalid basic string"],
    );
}

#[test]
fn duplicate_target_ids() {
    check_bad_project(
        "id = \"T02\"",
        "id = \"T01\"",
        &["字段 target[1].id: 目标编号“T01”重复"],
    );
}

#[test]
fn spending_above_budget() {
    check_bad_project(
        "amount = \"41.36万元\"",
        "amount = \"81.36万元\"",
        &["字段 budget.spending: 支出 843900.00 元超过调整后预算数 761000.00 元"],
    );
}

#[test]
fn empty_and_non_utf8_files() {
    let dir = TempDir::new("enc");
    let empty = dir.write("empty.toml", "");
    let o = jixiao(&["score", empty.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("empty.toml: 错误: 文件为空"),
        "{}",
        stderr(&o)
    );
    // 名称 in GB18030.
    let gbk = dir.write("gbk.toml", b"[project]\nname = \"\xc3\xfb\xb3\xc6\"\n");
    let o = jixiao(&["score", gbk.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("gbk.toml: 错误: 文件不是 UTF-8 编码（第 2 行、第 18 字节起无法解码）"),
        "{}",
        stderr(&o)
    );
    let o = jixiao(&["score", "missing.toml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.toml: 错误: 文件不存在"));
}

#[test]
fn unknown_framework_and_bad_flags() {
    let dir = TempDir::new("flags");
    let ex = example("kunming-2022.toml");
    let o = jixiao(
        &["score", ex.to_str().unwrap(), "--framework", "nosuch"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("错误: 未知的指标体系框架“nosuch”"));
    let o = jixiao(
        &["score", ex.to_str().unwrap(), "--format", "xml"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("错误：参数值无效"));
}

/// Writes a framework file and scores the example with it.
fn check_bad_framework(src: &str, needles: &[&str]) {
    let dir = TempDir::new("badfw");
    let f = dir.write("fw.toml", src);
    let ex = example("kunming-2022.toml");
    let o = jixiao(
        &[
            "score",
            ex.to_str().unwrap(),
            "--framework",
            f.to_str().unwrap(),
        ],
        dir.path(),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in\n{err}");
    }
}

#[test]
fn framework_weights_that_do_not_sum() {
    check_bad_framework(
        "[framework]\nname = \"x\"\n\n[[node]]\ncode = \"A\"\nname = \"甲\"\nweight = 60\n\n[[node]]\ncode = \"A1\"\nparent = \"A\"\nname = \"甲一\"\nweight = 50\n\n[[node]]\ncode = \"B\"\nname = \"乙\"\nweight = 40\n",
        &[
            "fw.toml:7:10: 错误: 字段 node[0].weight: 指标 A 的下级指标权重之和为 50.00，应等于其权重 60.00",
        ],
    );
    check_bad_framework(
        "[framework]\nname = \"x\"\n\n[[node]]\ncode = \"A\"\nname = \"甲\"\nweight = 60\n\n[[node]]\ncode = \"B\"\nname = \"乙\"\nweight = 30\n",
        &["字段 framework.total: 指标 总分 的下级指标权重之和为 90.00，应等于其权重 100.00"],
    );
}

#[test]
fn framework_duplicate_codes_and_unknown_parents() {
    check_bad_framework(
        "[framework]\nname = \"x\"\n\n[[node]]\ncode = \"A\"\nname = \"甲\"\nweight = 50\n\n[[node]]\ncode = \"A\"\nname = \"乙\"\nweight = 50\n",
        &["fw.toml:10:8: 错误: 字段 node[1].code: 指标编码“A”重复"],
    );
    check_bad_framework(
        "[framework]\nname = \"x\"\n\n[[node]]\ncode = \"A\"\nname = \"甲\"\nweight = 100\nparent = \"Z\"\n",
        &["字段 node[0].parent: 引用了不存在的上级指标编码“Z”"],
    );
}
