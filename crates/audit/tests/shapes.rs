//! Small reports, each in one shape or phrasing the auditor must read: the finding it must
//! give, and the near-miss beside it that must give none.

use jixiao_audit::{Finding, Severity, audit_text};

fn findings(text: &str) -> Vec<Finding> {
    audit_text(text).findings
}

fn rules(text: &str) -> Vec<(&'static str, Severity)> {
    findings(text)
        .iter()
        .map(|f| (f.rule, f.severity))
        .collect()
}

fn has(text: &str, rule: &str, severity: Severity) -> bool {
    rules(text).contains(&(rule, severity))
}

/// Asserts that `text` gives a finding of `rule` with `severity` (listing what it gave).
#[track_caller]
fn expect(text: &str, rule: &str, severity: Severity) {
    assert!(has(text, rule, severity), "{:?}", rules(text));
}

/// Asserts that `text` gives no finding of `rule` with `severity`.
#[track_caller]
fn expect_none(text: &str, rule: &str, severity: Severity) {
    assert!(!has(text, rule, severity), "{:?}", rules(text));
}

/// Asserts that `text` gives no finding at all.
#[track_caller]
fn expect_clean(text: &str) {
    assert!(findings(text).is_empty(), "{:?}", rules(text));
}

#[test]
fn the_full_mark_of_the_system_is_no_total_score() {
    let text = "指标体系共设一级指标3个，其中项目决策20分、项目管理20分、项目绩效60分，总分100分。\n\
                一级指标\t分值\t得分\n项目决策\t20\t18\n项目管理\t20\t17\n项目绩效\t60\t55\n合计\t100\t90\n\
                经评价，综合得分90分，等级为优。\n";
    expect_none(text, "score-total", Severity::Error);
}

#[test]
fn a_total_after_a_levels_full_mark_is_the_total() {
    let ok =
        "本项目预算执行得分9.80分，绩效指标得分88分（满分90分），总分97.80分，自评等级为优。\n";
    expect_clean(ok);
    let wrong =
        "本项目预算执行得分9.80分，绩效指标得分88分（满分90分），总分98.80分，自评等级为优。\n";
    expect(wrong, "score-total", Severity::Error);
}

#[test]
fn a_part_introduced_by_zai_zhong_cannot_exceed_its_whole() {
    let wrong = "全年培训18,436人次，其中农村转移就业劳动力培训9,260人次。\n\
                 在农村转移就业劳动力培训中，脱贫劳动力9,620人次，均享受了生活费补贴。\n";
    let f = findings(wrong);
    assert!(
        f.iter()
            .any(|f| f.rule == "part-exceeds-whole" && f.lines == [1, 2]),
        "{f:?}"
    );
    let ok = wrong.replace("9,620人次", "6,920人次");
    expect_none(&ok, "part-exceeds-whole", Severity::Error);
}

#[test]
fn a_change_against_an_earlier_figure_is_a_share_of_that_figure() {
    let wrong = "全年受理涉河环境投诉37件，较2021年的58件下降56.76%。\n";
    expect(wrong, "percent-of-parts", Severity::Error);
    let ok = "全年受理涉河环境投诉37件，较2021年的58件下降36.21%。\n";
    expect_clean(ok);
}

#[test]
fn two_adjacent_digits_swapped_are_a_warning() {
    let text = "全年共实施临时救助1,326人次，发放救助金388.64万元。\n\
                临时救助作用明显，全年1,362人次困难群众通过临时救助渡过难关。\n";
    let f = findings(text);
    assert!(
        f.iter().any(|f| f.rule == "quantity-conflict"
            && f.severity == Severity::Warning
            && f.values == ["1,326人次", "1,362人次"]),
        "{f:?}"
    );
}

#[test]
fn a_table_row_may_not_end_before_it_starts() {
    let table = "班次\t开班时间\t结业时间\t参训人数\n\
                 焊工培训班\t2024年5月6日\t2024年6月7日\t88\n\
                 汽车维修培训班\t2024年9月23日\t2024年9月20日\t98\n";
    let f = findings(table);
    assert!(
        f.iter()
            .any(|f| f.rule == "date-conflict" && f.lines == [3]),
        "{f:?}"
    );
    let ok = table.replace("2024年9月20日", "2024年10月20日");
    expect_none(&ok, "date-conflict", Severity::Error);
}

#[test]
fn a_count_announced_over_a_table_matches_its_rows() {
    let head = "全年共开设培训班3期，各期培训情况如下：\n\
                班次\t开班时间\t结业时间\t参训人数\n\
                焊工培训班\t2024年5月6日\t2024年6月7日\t88\n\
                电工培训班\t2024年6月3日\t2024年7月5日\t96\n";
    let wrong = head.to_owned();
    expect(&wrong, "count-mismatch", Severity::Error);
    let ok = format!("{head}烹调师培训班\t2024年7月8日\t2024年8月2日\t92\n");
    expect_none(&ok, "count-mismatch", Severity::Error);
}

#[test]
fn a_claim_that_excepts_the_target_missed_is_no_contradiction() {
    let base = "（二）年度绩效指标\n1.产出指标\n（1）人工耳蜗植入6例；\n（2）辅助器具适配不少于80名。\n\
                三、绩效目标完成情况\n完成人工耳蜗植入4例，为86名儿童适配了辅助器具。\n";
    let excepted =
        format!("{base}除人工耳蜗植入例数因医学原因未达目标外，其余各项绩效指标均达到年度目标。\n");
    expect_none(&excepted, "target-claim", Severity::Error);
    let claimed = format!("{base}各项绩效指标均达到年度目标。\n");
    expect(&claimed, "target-claim", Severity::Error);
}

#[test]
fn space_aligned_rows_sit_under_the_header_cells_they_start_beneath() {
    // Level names only in the first row of each block; the rows below start further right.
    let table = "一级指标  二级指标    三级指标            分值  得分\n\
                 决策      项目立项    立项依据充分性      4     4\n\
                 \x20                     立项程序规范性      4     3\n\
                 合计                                      8     7\n";
    expect_clean(table);
    let wrong = table.replace("8     7", "8     8");
    expect(&wrong, "score-total", Severity::Error);
}

#[test]
fn a_thousands_separator_ends_no_clause() {
    let wrong = "项目实际支出2,323.94万元，占预算2,860.00万元的83.0%。\n";
    expect(wrong, "percent-of-parts", Severity::Error);
    let ok = "项目实际支出2,323.94万元，占预算2,860.00万元的81.26%。\n";
    expect_clean(ok);
}

#[test]
fn a_satisfaction_rate_is_of_the_valid_answers() {
    let wrong = "共发放问卷600份，回收有效问卷572份，其中满意541份，群众满意度95.6%。\n";
    expect(wrong, "percent-of-parts", Severity::Error);
    let ok = "共发放问卷600份，回收有效问卷572份，其中满意541份，群众满意度94.58%。\n";
    expect_clean(ok);
}

#[test]
fn the_only_start_and_end_of_the_works_are_in_order() {
    let wrong = "工程于2023年9月18日开工建设，主要完成库房地面硬化。\n\
                 2023年8月29日，工程通过竣工验收，改造面积1,200平方米。\n";
    expect(wrong, "date-conflict", Severity::Error);
    let ok = wrong.replace("8月29日", "11月29日");
    expect_clean(&ok);
}

#[test]
fn a_signed_count_is_exact() {
    // 签约 holds 约 but is no "about": the rate is checked against it.
    let wrong = "全市重点人群总数1,138,700人，已签约812,640人，重点人群签约率76.12%。\n";
    expect(wrong, "percent-of-parts", Severity::Error);
}

#[test]
fn a_share_of_a_stated_figure_is_checked() {
    let wrong = "全年举办培训班15期，培训农牧民1,620人次，为年度目标1,500人次的118%。\n";
    expect(wrong, "percent-of-parts", Severity::Error);
    let ok = wrong.replace("118%", "108%");
    expect_clean(&ok);
}

#[test]
fn a_share_of_a_named_whole_in_another_unit_is_checked() {
    let wrong =
        "全市火化遗体21,300具，火化率99.60%；全市节地生态安葬6,390例，占火化遗体总数的31.5%。\n";
    expect(wrong, "percent-of-parts", Severity::Error);
    let ok = wrong.replace("31.5%", "30.0%");
    expect_none(&ok, "percent-of-parts", Severity::Error);
}

#[test]
fn a_column_that_names_its_own_unit_keeps_it() {
    // 预算 in 万元, 支出 in 元: no spending above the budget.
    let ok = "支出内容\t预算数（万元）\t支出数（元）\t结余（万元）\n\
              数字资源采购\t180.00\t1,562,800.00\t23.72\n\
              阅读推广活动\t42.00\t412,600.00\t0.74\n\
              合计\t222.00\t1,975,400.00\t24.46\n";
    expect_none(ok, "part-exceeds-whole", Severity::Error);
    // The same table with one 万元 column header: the spending is far above the budget.
    let wrong = ok.replace("支出数（元）", "支出数（万元）");
    expect(&wrong, "part-exceeds-whole", Severity::Error);
}

#[test]
fn a_figure_in_a_label_column_is_no_amount() {
    let ok = "支出内容                预算数    支出数    结余\n\
              法律援助办案补贴        748.23    685.60    62.63\n\
              12348热线运营           248.00    248.00    0.00\n\
              合计                    996.23    933.60    62.63\n";
    expect_clean(ok);
}

#[test]
fn the_years_spending_stated_twice_must_agree() {
    let wrong = "2020年项目预算186.50万元，资金全部到位。截至2020年12月31日，项目实际支出168.74万元。\n\
                 全年支出171.28万元，结余15.22万元。\n";
    expect(wrong, "quantity-conflict", Severity::Error);
    // A part's spending, named in the clause before, is not the year's.
    let ok = "截至2023年12月31日，项目实际支出371.25万元。\n\
              其中自动雨量站更新22处，支出72.16万元；自动水位站更新6处，支出76.46万元。\n";
    expect_none(ok, "quantity-conflict", Severity::Error);
}

#[test]
fn a_count_before_a_colon_is_checked_against_the_names_after_it() {
    let wrong = "资金拨付履行以下六个环节：经办人申请、科室负责人审核、财务科审核、分管领导审批、主要负责人审签。\n";
    expect(wrong, "count-mismatch", Severity::Error);
    let ok = wrong.replace("六个环节", "五个环节");
    expect_clean(&ok);
    // Two names joined by 和 in one item are one item.
    let joined = "项目分为三个片区：西陵区片区、伍家岗区片区、点军区和猇亭区片区。\n";
    expect_clean(joined);
}

#[test]
fn a_word_spaced_over_its_column_is_one_cell() {
    let wrong = "资金来源　　　　　预算数　　　　支出数\n\
                 中央补助资金　　　8,650.00　　　5,870.26\n\
                 省级补助资金　　　1,230.00　　　　756.80\n\
                 市级配套资金　　　2,420.00　　　1,385.34\n\
                 合　　计　　　　 12,200.00　　　8,012.40\n";
    expect(wrong, "sum-mismatch", Severity::Error);
    let ok = wrong.replace("12,200.00", "12,300.00");
    expect_none(&ok, "sum-mismatch", Severity::Error);
}

#[test]
fn one_event_dated_in_two_years_is_misdated() {
    let wrong = "2019年5月20日至22日，市卫生健康委举办两癌检查技术培训班，培训医务人员156人。\n\
                 项目管理较为规范，两癌检查技术培训班于2018年5月20日开班。\n";
    expect(wrong, "date-conflict", Severity::Error);
    let ok = wrong.replace("2018年5月20日", "2019年5月20日");
    expect_none(&ok, "date-conflict", Severity::Error);
}

#[test]
fn a_pass_rate_is_checked_against_the_failures_and_the_whole() {
    let wrong = "全年共抽检样品6,240批次，检出不合格样品106批次，例行监测合格率98.23%。\n";
    expect(wrong, "percent-of-parts", Severity::Error);
    let ok = wrong.replace("98.23%", "98.30%");
    expect_clean(&ok);
}

#[test]
fn parts_that_add_up_to_another_figure_are_its_parts() {
    let ok = "2020年本项目支出1,148.37万元，结余111.63万元。其中：物资采购支出826.50万元，仓储保管费198.62万元，维护保养费86.45万元，运输调运费36.80万元。\n";
    assert!(
        !has(ok, "sum-mismatch", Severity::Error)
            && !has(ok, "part-exceeds-whole", Severity::Error),
        "{:?}",
        rules(ok)
    );
    let wrong = ok.replace("36.80万元", "63.80万元");
    assert!(
        has(&wrong, "part-exceeds-whole", Severity::Error)
            || has(&wrong, "sum-mismatch", Severity::Error),
        "{:?}",
        rules(&wrong)
    );
}

#[test]
fn a_total_naming_two_units_adds_rows_of_both() {
    let ok = "| 序号 | 设备名称 | 数量 | 金额（万元） |\n\
              |---|---|---|---|\n\
              | 1 | CT | 1台 | 512.00 |\n\
              | 2 | DR | 2台 | 236.00 |\n\
              | 3 | 胃肠镜 | 1套 | 42.80 |\n\
              | 4 | 麻醉机 | 2台 | 19.80 |\n\
              | 合计 | | 6台（套） | 810.60 |\n";
    expect_clean(ok);
    let wrong = ok.replace("6台（套）", "7台（套）");
    expect(&wrong, "sum-mismatch", Severity::Error);
}

#[test]
fn names_listed_before_their_count_are_counted() {
    let wrong = "抽样覆盖生产基地、批发市场、农贸市场和超市三个环节，监测品种包括蔬菜、水果、畜禽产品和水产品四大类。\n";
    let f = findings(wrong);
    assert!(
        f.iter().filter(|f| f.rule == "count-mismatch").count() == 1,
        "{f:?}"
    );
    // 和 inside an earlier item leaves the grouping open.
    let open = "培训分为经营管理型和专业生产型、技能服务型两大类。\n";
    expect_clean(open);
}

#[test]
fn a_last_item_joined_by_he_is_two_unless_it_names_one_thing() {
    let wrong = "服务内容包括六类：助餐、助洁、助浴、助医和精神慰藉。\n";
    expect(wrong, "count-mismatch", Severity::Error);
    // Items that end alike: "点军区和猇亭区片区" is one 片区 …
    let one = "项目分为三个片区：西陵区片区、伍家岗区片区、点军区和猇亭区片区。\n";
    expect_clean(one);
    // … but two names that both end alike are two.
    let two = "改造三处供水站：内官营镇二十里铺供水站、香泉镇中庄供水站和青岚山乡大坪供水站。\n";
    expect_clean(two);
}

#[test]
fn an_ordinal_is_no_count() {
    let ok = "培训于2023年4月10日开班，11月24日最后一期结业，全年共举办培训班二十四期；期数较上年的18期增加6期。\n";
    expect_clean(ok);
    let wrong = ok.replace("增加6期", "增加8期");
    expect(&wrong, "sum-mismatch", Severity::Error);
}

#[test]
fn the_rate_of_one_part_with_no_budget_of_its_own_is_not_checked() {
    let ok = "全年预算348.65万元，实际支出341.20万元，执行率97.86%。其中当年财政拨款执行311.20万元，执行率97.66%；上年结转资金30.00万元全部支出。\n";
    expect_none(ok, "percent-of-parts", Severity::Error);
    // After a list of parts, the rate is the whole's again.
    let wrong = "项目总预算2,200万元。实际到位资金2,130万元，其中省级补助1,650万元、县级配套480万元，资金到位率96.28%。\n";
    expect(wrong, "percent-of-parts", Severity::Error);
}

#[test]
fn a_sum_of_scores_is_the_total_graded() {
    let ok = "本项目自评得分为预算执行得分7.46分加绩效指标得分80.37分，合计87.83分。自评结果分为四个等次：85分（含）以上为优，70分（含）至85分为良，60分（含）至70分为中，60分以下为差。本项目自评等次为“优”。\n";
    expect_none(ok, "grade-band", Severity::Error);
    let wrong = ok.replace("合计87.83分", "合计87.33分");
    expect(&wrong, "score-total", Severity::Error);
}

#[test]
fn he_inside_a_place_name_joins_nothing() {
    let wrong = "项目覆盖8个乡镇：营根镇、湾岭镇、黎母山镇、和平镇、长征镇、红毛镇、中平镇。\n";
    expect(wrong, "count-mismatch", Severity::Error);
    let ok = wrong.replace("8个乡镇", "7个乡镇");
    expect_clean(&ok);
}

#[test]
fn a_count_taken_within_a_frame_is_a_subset() {
    let ok = "辖区下设9个社区，老旧小区57个，背街小巷多。\n\
              57个老旧小区中有52个实现清雪全覆盖，覆盖率91.23%。\n";
    expect_clean(ok);
}

#[test]
fn one_subtotal_under_groups_none_closed_adds_them_all() {
    let wrong = "一级指标\t三级指标\t指标值\t完成值\t权重\t得分\n\
                 产出指标\t养护里程\t4800\t4862.5\t20\t20\n\
                 产出指标\t病害处治\t150\t163\t10\t10\n\
                 效益指标\t列养率\t100\t100\t15\t15\n\
                 满意度指标\t群众满意度\t90\t87.2\t10\t9.69\n\
                 小计\t\t\t\t55\t54.96\n";
    expect(wrong, "score-total", Severity::Error);
    let ok = wrong.replace("54.96", "54.69");
    expect_none(&ok, "score-total", Severity::Error);
}

#[test]
fn a_rate_whose_whole_follows_it_is_checked_against_it() {
    let ok = "全年完成统防统治面积12.86万亩；其中植保无人机飞防作业2.74万亩，完成率91.33%，未达到3万亩的目标，主要原因是连续降雨。\n";
    expect_none(ok, "percent-of-parts", Severity::Error);
}

/// A score table flattened one cell per line, with no blank line between rows: the title
/// above it names 得分 too, and its first column is headed 项目, which is no header word.
#[test]
fn a_flattened_score_table_under_a_title_that_names_its_scores() {
    let table = |deduction: &str| {
        format!(
            "项目得分情况如下：\n项目\n权重\n得分\n扣分\n得分率\n\
             A项目决策\n20.00\n18.50\n1.50\n92.50%\n\
             B项目管理\n20.00\n18.00\n{deduction}\n90.00%\n\
             C项目绩效\n60.00\n57.00\n3.00\n95.00%\n\
             合计\n100.00\n93.50\n6.50\n93.50%\n\
             综合得分93.50分，等级为优。\n"
        )
    };
    let wrong = table("1.80");
    let f = findings(&wrong);
    assert!(
        f.iter().any(|f| f.rule == "score-deduction"
            && f.severity == Severity::Error
            && f.lines == [13, 14, 15]),
        "{f:?}"
    );
    let ok = table("2.00");
    expect_clean(&ok);
}

/// A register flattened one cell per line whose rows begin with a count (1,562人) is not
/// read with its columns shifted by one.
#[test]
fn a_flattened_register_is_not_read_one_column_off() {
    let text = "附件：支出明细（表格按单元格逐行列示）\n补贴类别\n受益对象\n金额（元）\n金额（万元）\n\
                社会保险补贴\n1,562人\n6,124,000.00\n612.40\n\
                一次性创业补贴\n636户\n3,180,000.00\n318.00\n\
                公益性岗位补贴\n212个\n1,360,000.00\n136.00\n\
                合计\n—\n10,664,000.00\n1,066.40\n";
    expect_clean(text);
    let wrong = text.replace("10,664,000.00", "10,644,000.00");
    expect(&wrong, "sum-mismatch", Severity::Error);
}

/// "三项合计" adds three items: the two figures before it, of other things, are not them.
#[test]
fn a_total_that_counts_its_items_adds_only_that_many() {
    let ok = "本项目到位资金320.00万元，支出298.56万元，资金主要用于帮扶援助、走访慰问和医疗救助，\
              三项合计282.30万元，占全年支出的94.55%。\n";
    expect_clean(ok);
    let listed = "帮扶援助180.00万元、走访慰问40.30万元、医疗救助62.00万元，三项合计282.30万元。\n";
    expect_clean(listed);
    let wrong = listed.replace("三项合计282.30万元", "三项合计292.30万元");
    expect(&wrong, "sum-mismatch", Severity::Error);
}

/// A rate's two parts may follow it in brackets, after another rate with its own.
#[test]
fn a_rates_parts_in_brackets_after_it() {
    let ok = "乡村医生满意度91.33%（300名受访者中274名表示满意），\
              村民满意度89.60%（500名受访者中448名表示满意），均达到目标值。\n";
    expect_clean(ok);
    let wrong = ok.replace("89.60%", "86.90%");
    expect(&wrong, "percent-of-parts", Severity::Error);
}

/// "执行率低于90%的原因": a bound the rate is below, not the rate.
#[test]
fn a_rate_below_a_bound_is_not_the_rate() {
    let ok = "调整后预算110.00万元，全年支出78.63万元，预算执行率71.48%。执行率低于90%的原因是追加资金到位较晚。\n";
    expect_clean(ok);
    let wrong = ok.replace("71.48%", "74.18%");
    expect(&wrong, "percent-of-parts", Severity::Error);
}

/// "各项指标均按本馆数据计算" says how the indicators were counted, not that they were met.
#[test]
fn each_indicator_counted_alike_is_no_claim_that_all_were_met() {
    let text = |claim: &str| {
        format!(
            "一、年度目标\n举办临时展览不少于6个。\n二、完成情况\n全年举办临时展览5个，{claim}。\n"
        )
    };
    let counted = text("本报告各项指标均按本馆数据计算");
    expect_none(&counted, "target-claim", Severity::Error);
    let claimed = text("各项指标均按计划完成");
    expect(&claimed, "target-claim", Severity::Error);
}

/// "到位资金结余" is what is left of the funds received, not of the budget.
#[test]
fn the_balance_of_funds_received() {
    let ok = "本项目全年预算6,850.00万元。截至年底实际到位资金5,920.00万元，资金到位率86.42%。\
              全年实际支出5,587.36万元。截至年底，到位资金结余332.64万元。\n";
    expect_clean(ok);
    let wrong = ok.replace("332.64万元", "342.64万元");
    let f = findings(&wrong);
    assert!(
        f.iter().any(|f| f.rule == "sum-mismatch"
            && f.severity == Severity::Error
            && f.message.contains("到位资金“5,920.00万元”")),
        "{f:?}"
    );
}

/// A 其中 whose whole is on the line above, and parts listed one per line under a heading.
#[test]
fn parts_below_their_whole() {
    let single = |part: &str| {
        format!(
            "2023年全年共发放城乡低保金5,637.84万元，预算执行率79.00%，结余1,498.66万元结转下年使用。\n\
             低保金全部通过“一卡通”按月发放至保障对象个人账户。其中，农村低保全年发放保障金{part}，惠及10,564人。\n"
        )
    };
    let ok = single("46,912,400元");
    expect_clean(&ok);
    let wrong = single("56,912,400元");
    let f = findings(&wrong);
    assert!(
        f.iter()
            .any(|f| f.rule == "part-exceeds-whole" && f.lines == [1, 2]),
        "{f:?}"
    );
    let listed = |last: &str| {
        format!(
            "全年实际拨付（执行）8,420.36万元，预算执行率97.35%。未执行的229.64万元已由区财政收回。\n\
             补贴资金按用途分列如下：\n\
             其中：成本规制亏损补贴5,862.40万元；\n\
             \u{3000}\u{3000}老年人等群体免费乘车补贴1,763.50万元；\n\
             \u{3000}\u{3000}新能源公交车辆运营补贴618.20万元；\n\
             \u{3000}\u{3000}疫情防控专项补贴{last}。\n"
        )
    };
    let ok = listed("176.26万元");
    expect_clean(&ok);
    let wrong = listed("203.26万元");
    let f = findings(&wrong);
    assert!(
        f.iter()
            .any(|f| f.rule == "sum-mismatch" && f.lines == [1, 3, 4, 5, 6]),
        "{f:?}"
    );
}

/// The same activity introduced by another verb (举办…活动 / 组织开展…) is one quantity.
#[test]
fn one_activity_said_with_another_verb() {
    let text = |first: &str, second: &str| {
        format!(
            "全年共举办垃圾分类{first}活动31场，参与群众约9,800人次。\n\
             数量指标方面，组织开展垃圾分类{second}33场，覆盖全部村（社区）。\n"
        )
    };
    let wrong = text("宣传培训", "宣传培训");
    expect(&wrong, "quantity-conflict", Severity::Error);
    let other = text("宣传", "培训");
    expect_none(&other, "quantity-conflict", Severity::Error);
}

/// Money paid out to others (向定点机构拨付) is one item of the year's spending; money the
/// finance bureau passed to the unit is not.
#[test]
fn a_payment_to_an_institution_cannot_exceed_the_years_spending() {
    let text = |paid: &str| {
        format!(
            "2022年全年支出152.64万元，预算执行率90.86%。\n\
             康复训练补助按季度审核拨付。全年向定点机构拨付康复训练补助{paid}。\n"
        )
    };
    let wrong = text("153.60万元");
    expect(&wrong, "part-exceeds-whole", Severity::Error);
    let ok = text("135.60万元");
    expect_clean(&ok);
    let received =
        "2022年全年支出152.64万元，预算执行率90.86%。\n区财政局向我会拨付资金168.00万元。\n";
    expect_none(received, "part-exceeds-whole", Severity::Error);
}

/// "5家均评定为合格" grades the institutions evaluated, not the project.
#[test]
fn institutions_rated_pass_are_not_the_projects_grade() {
    let text = |line: &str| {
        format!(
            "年底对5家定点康复机构开展年度评估，{line}。\n\
             一级指标\t分值\t得分\n决策\t20\t18\n过程\t25\t22\n产出\t30\t27\n效益\t25\t20.35\n合计\t100\t87.35\n"
        )
    };
    let ok = text("5家均评定为合格");
    expect_clean(&ok);
    let wrong = text("本项目自评等级为优");
    expect(&wrong, "grade-band", Severity::Error);
}

/// A result whose own words are all words of the target, in a sentence that names the
/// target whole ("举办家长康复知识培训班4期，累计培训家长186人次").
#[test]
fn a_result_named_by_its_sentence() {
    let text = |who: &str| {
        format!(
            "（二）年度指标\n一级指标   二级指标       三级指标                     指标值\n\
             产出指标   数量指标       家长康复知识培训             ≥200人次\n\
             三、完成情况\n举办家长康复知识培训班4期，累计培训{who}186人次，内容包括家庭康复技巧等。\n"
        )
    };
    let short = text("家长");
    let f = findings(&short);
    assert!(
        f.iter()
            .any(|f| f.rule == "target-shortfall" && f.lines == [3, 5]),
        "{f:?}"
    );
    let other = text("教师");
    expect_none(&other, "target-shortfall", Severity::Warning);
}

/// "分别设在" lists where each counted thing is, one place each.
#[test]
fn a_count_of_places_each_set_somewhere() {
    let text = |n: &str| {
        format!(
            "2021年建成辅具适配服务点{n}个，分别设在区残疾人康复中心、五龙街道、湖滨街道和南航街道，为残疾人提供就近服务。\n"
        )
    };
    let wrong = text("5");
    expect(&wrong, "count-mismatch", Severity::Error);
    let ok = text("4");
    expect_clean(&ok);
}

/// "调整后预算中，…" opens the parts of the figure named so in the sentence before.
#[test]
fn parts_of_a_figure_named_in_the_sentence_before() {
    let text = |county: &str| {
        format!(
            "本项目年初预算6,820.00万元，年中省级追加提标补助资金316.50万元，调整后预算7,136.50万元。\
             调整后预算中，中央财政补助资金4,960.00万元、省级财政补助资金1,384.50万元、县级财政配套资金{county}，均已按时拨付到位。\n"
        )
    };
    let ok = text("792.00万元");
    expect_clean(&ok);
    let wrong = text("782.00万元");
    expect(&wrong, "sum-mismatch", Severity::Error);
}

/// The unit named in the header and signed under another name of the same place and work.
#[test]
fn the_unit_signs_under_another_name() {
    let text = |head: &str, sign: &str| {
        format!(
            "2022年度孤独症儿童康复救助项目绩效自评报告\n\n{head}\n\n\
             本项目全年支出152.64万元，预算执行率90.86%。\n\n{sign}\n2023年3月10日\n"
        )
    };
    let renamed = text(
        "主管部门：长治市潞州区残疾人联合会\n实施单位：长治市潞州区残疾人康复协会",
        "长治市潞州区残疾人康复服务中心",
    );
    expect(&renamed, "name-inconsistent", Severity::Warning);
    let same = text(
        "主管部门：长治市潞州区残疾人联合会\n实施单位：长治市潞州区残疾人康复服务中心",
        "长治市潞州区残疾人康复服务中心",
    );
    expect_clean(&same);
}

/// "…覆盖10个月，未达到12个月的目标。其余产出指标均已完成": 其余 leaves out the sentence before.
#[test]
fn the_rest_after_a_sentence_that_admits_a_shortfall() {
    let text = |rest: &str| {
        format!(
            "（三）绩效目标\n1.对分散供养人员每月至少探视巡访1次，全年12个月全覆盖；\n\
             （四）完成情况\n因疫情暂停入户探视，全年入户探视巡访覆盖10个月，未达到12个月的目标，按完成比例得5分。{rest}\n"
        )
    };
    let admitted = text("其余产出指标均已完成。");
    expect_none(&admitted, "target-claim", Severity::Error);
    let claimed = text("\n五、结论\n各项绩效指标均已完成。");
    expect(&claimed, "target-claim", Severity::Error);
}

/// Parts of two different wholes, a balance and a spending, one kind and two kinds: each
/// pair is two quantities.
#[test]
fn figures_of_one_name_that_count_different_things() {
    let parts = "年末在册特困供养人员八十六人，其中在区社会福利中心集中供养十四人，分散供养七十二人。\n\
                 年末辖区失能、半失能特困人员18人，其中在区社会福利中心集中供养11人。\n";
    expect_clean(parts);
    let same_whole = "年末在册特困供养人员八十六人，其中在区社会福利中心集中供养十四人。\n\
                      年末在册特困供养人员86人，其中在区社会福利中心集中供养11人。\n";
    expect(same_whole, "quantity-conflict", Severity::Error);
    let balance = "全年实际支出128.47万元，分项支出为：基本生活费98.12万元，照料护理补贴18.95万元。\n\
                   结余4.13万元，其中基本生活费3.28万元、照料护理补贴0.85万元，已上缴区财政。\n";
    expect_none(balance, "quantity-conflict", Severity::Error);
    let union = "2020年初在册特困供养人员89人，年内去世3人。\n结余资金是年内4名人员去世或退出后停发形成的。\n";
    expect_none(union, "quantity-conflict", Severity::Error);
}

/// Figures listed side by side, each of its own subject, are not a rate's parts because the
/// rate's name shares a common word (管理) with one of them.
#[test]
fn a_common_word_makes_no_rate_of_two_listed_figures() {
    let listed = "签约居民52316人，老年人健康管理9368人，完成2个站点标准化改造，高血压患者规范管理率58.2%，略低于目标。\n";
    expect_none(listed, "percent-of-parts", Severity::Error);
    let survey =
        "共发放问卷600份，回收有效问卷572份，其中“满意”和“比较满意”541份，群众满意度96.5%。\n";
    expect(survey, "percent-of-parts", Severity::Error);
}

/// A score table flattened one cell per line whose indicator names hold figures (65岁及以上…):
/// a level's score in the text is the sum of its rows, not one of them.
#[test]
fn indicator_names_with_figures_in_a_flattened_score_table() {
    let table = |score: &str| {
        format!(
            "按照自评表评分，产出指标得分{score}分。\n\
             \t一级指标\n\t三级指标\n\t年度指标值\n\t实际完成值\n\t分值\n\t得分\n\t偏差原因\n\
             \t产出指标\n\t家庭医生签约服务人数\n\t≥50000人\n\t52316人\n\t12\n\t12\n\t—\n\
             \t产出指标\n\t65岁及以上老年人健康管理人数\n\t≥9000人\n\t9368人\n\t10\n\t10\n\t—\n\
             \t产出指标\n\t高血压患者规范管理率\n\t≥60%\n\t58.2%\n\t10\n\t9.70\n\t失访率高\n"
        )
    };
    let ok = table("31.70");
    expect_none(&ok, "score-text-vs-table", Severity::Error);
}

/// "X中：" opens X's parts, and a last part "…等其他机具" makes the list whole.
#[test]
fn parts_after_a_colon_ending_with_the_others() {
    let text = |last: &str| {
        format!(
            "按机具类别分，兑付资金1,236.48万元中：拖拉机412.36万元，联合收割机538.90万元，\
             植保无人机136.75万元，微耕机、谷物烘干机等其他机具{last}。\n"
        )
    };
    let ok = text("148.47万元");
    expect_clean(&ok);
    let wrong = text("146.47万元");
    expect(&wrong, "sum-mismatch", Severity::Error);
}

/// Steps named right before their count, after a verb that is no list word.
#[test]
fn steps_named_after_a_verb_before_their_count() {
    let text =
        |n: &str| format!("一是严格落实申请、审核、审批、发放{n}个环节管理，做到程序规范。\n");
    let wrong = text("五");
    expect(&wrong, "count-mismatch", Severity::Error);
    let ok = text("四");
    expect_clean(&ok);
}

/// A list marked 一是、二是 ends where a heading （三） begins.
#[test]
fn a_heading_in_another_style_ends_a_list() {
    let text = |n: &str| {
        format!(
            "本项目主要存在以下{n}个方面的问题：\n一是部分学校食堂从业人员配备不足；\n\
             二是部分家长对营养改善计划政策了解不够。\n（三）改进措施及建议\n"
        )
    };
    let wrong = text("三");
    expect(&wrong, "count-mismatch", Severity::Error);
    let ok = text("两");
    expect_clean(&ok);
}

/// Acceptance before completion, told in one sentence.
#[test]
fn accepted_before_it_was_finished() {
    let text = |year: &str| {
        format!(
            "3.时效指标。全县改厕任务于2021年11月28日完工，全部改厕户于{year}年12月20日前通过县级验收，完工及时率100%。\n"
        )
    };
    let wrong = text("2020");
    expect(&wrong, "date-conflict", Severity::Error);
    let ok = text("2021");
    expect_clean(&ok);
}

/// Whole counts are exact: their rate rounds half-up one way only.
#[test]
fn a_rate_of_exact_counts_rounds_one_way() {
    let text = |rate: &str| {
        format!("全年全县产妇2,921人，纳入孕产妇系统管理2,698人，系统管理率{rate}。\n")
    };
    let wrong = text("92.36%");
    expect(&wrong, "percent-of-parts", Severity::Error);
    let ok = text("92.37%");
    expect_clean(&ok);
    // Rounded figures leave a hundredth either way: 44.39 ÷ 76.1 = 58.331…%.
    let rounded = "本项目调整后预算76.1万元，全年实际支出44.39万元，预算执行率58.34%。\n";
    expect_clean(rounded);
}

/// One project's 竣工验收 on the same day of two years.
#[test]
fn one_acceptance_dated_in_two_years() {
    let text = |year: &str| {
        format!(
            "主体工程于2021年4月28日完工。2021年12月24日，项目通过区住建、水务等部门组织的联合竣工验收。\n\
             时效方面，项目于{year}年12月24日完成竣工验收。\n"
        )
    };
    let wrong = text("2022");
    expect(&wrong, "date-conflict", Severity::Error);
    let ok = text("2021");
    expect_clean(&ok);
    let phases = "一期工程2021年12月24日通过竣工验收。\n二期工程于2022年12月24日完成竣工验收。\n";
    expect_none(phases, "date-conflict", Severity::Error);
}

/// Lists introduced by 即, with an aside in brackets, against their count.
#[test]
fn lists_after_ji_and_items_with_asides() {
    let ji = |n: &str| {
        format!(
            "县河长办建立完善了{n}项工作制度，即河湖长会议制度、信息报送制度、工作督察制度和考核问责制度，各项支出均履行审批程序。\n"
        )
    };
    let wrong = ji("五");
    expect(&wrong, "count-mismatch", Severity::Error);
    let ok = ji("四");
    expect_clean(&ok);
    let aside = |n: &str| {
        format!(
            "2022年共开设{n}个培训工种，分别为：盲人保健按摩、电子商务（直播带货）、中式面点、手工编织、计算机基础操作。\n"
        )
    };
    let wrong = aside("6");
    expect(&wrong, "count-mismatch", Severity::Error);
    let ok = aside("5");
    expect_clean(&ok);
}

/// A class's start and end told without a year, the subject in the clause before the date.
#[test]
fn a_class_ends_before_it_starts_without_a_year() {
    let text = |end: &str| {
        format!(
            "2022年度残疾人职业技能培训项目绩效自评报告\n第三期 中式面点班，8月15日开班，学员66人；\n\
             各期培训结束后组织结业考核。盲人保健按摩班5月20日结业，中式面点班{end}结业。\n"
        )
    };
    let wrong = text("8月12日");
    expect(&wrong, "date-conflict", Severity::Error);
    let ok = text("9月12日");
    expect_none(&ok, "date-conflict", Severity::Error);
}

/// Total rows typed short of their columns, and a 总分 that adds an earlier total to the row
/// after it (绩效指标合计 + 预算执行情况).
#[test]
fn a_grand_total_over_a_total_and_the_budget_row() {
    let table = |total: &str| {
        format!(
            "一级指标　　三级指标　　　　　　　　　性质　　　指标值　　　完成值　　　　权重　得分　　未完成原因分析\n\
             产出指标　　支持规模养殖场设施装备建设　≥　　　　 35　　　　 36　　　　　　50　　50.00\n\
             效益指标　　粪污处理设施正常运行率　　　≥　　　　 95　　　　 96　　　　　　40　　39.00\n\
             绩效指标合计　　　　　　　　　　　　　　　　　90　　89.00\n\
             预算执行情况　　　　　　　　　　　　　　　　　10　　9.42\n\
             总分　　　　　　　　　　　　　　　　　　　　　100　　{total}\n"
        )
    };
    let wrong = table("98.62");
    let f = findings(&wrong);
    assert!(
        f.iter()
            .any(|f| f.rule == "score-total" && f.message.contains("98.42")),
        "{f:?}"
    );
    let ok = table("98.42");
    expect_clean(&ok);
}

/// A Hubei form flattened one cell per line, its blocks closed by 小计 rows typed with their
/// figures only, the next block's title right after.
#[test]
fn flattened_blocks_closed_by_short_subtotals() {
    let form = |subtotal: &str| {
        format!(
            "\t年度目标一：产出目标（40分）\n\t指标名称\n\t年初目标值（A）\n\t实际完成值（B）\n\t分值\n\t得分\n\
             \t新建村级健身路径\n\t≥50套\n\t46套\n\t10\n\t9.20\n\
             \t新建多功能运动场\n\t4个\n\t4个\n\t10\n\t10.00\n\
             \t新建健身步道\n\t≥8公里\n\t8.6公里\n\t20\n\t20.00\n\
             \t小计\n\t40\n\t{subtotal}\n\
             \t年度目标二：效益目标（40分）\n\t指标名称\n\t年初目标值（A）\n\t实际完成值（B）\n\t分值\n\t得分\n\
             \t设施免费开放率\n\t100%\n\t100%\n\t20\n\t20.00\n\
             \t受益群众满意度\n\t≥90%\n\t93.5%\n\t20\n\t20.00\n\
             \t小计\n\t40\n\t40.00\n"
        )
    };
    let wrong = form("39.60");
    let f = findings(&wrong);
    assert!(
        f.iter()
            .any(|f| f.rule == "score-total" && f.message.contains("39.20")),
        "{f:?}"
    );
    let ok = form("39.20");
    assert!(
        findings(&ok)
            .iter()
            .all(|f| f.severity == Severity::Warning),
        "{:?}",
        rules(&ok)
    );
}

/// The unit signs with its seal note after its name.
#[test]
fn a_signature_with_its_seal_note() {
    let text = |sign: &str| {
        format!(
            "2024年畜禽粪污资源化利用项目绩效自评报告\n\n实施单位：农安县畜牧业发展服务中心\n\n\
             本项目全年支出452.36万元。\n\n{sign}（盖章）\n2025年3月20日\n"
        )
    };
    let renamed = text("农安县畜牧业服务中心");
    expect(&renamed, "name-inconsistent", Severity::Warning);
    let same = text("农安县畜牧业发展服务中心");
    expect_clean(&same);
}

/// Near-misses from unseen consistent reports: money carried over from last year is a
/// source; a balance formed by one part; a part's own 全年支出; the year's score.
#[test]
fn sources_balances_and_the_years_score() {
    let sources = "2024年项目预算数312.40万元，其中：省级救助资金180.00万元，市级配套资金120.00万元，上年结转资金12.40万元。\n";
    expect_clean(sources);
    let short = sources.replace("12.40万元。", "2.40万元。");
    expect(&short, "sum-mismatch", Severity::Error);
    let balance = "项目预算数312.40万元，全年执行数205.36万元，执行率65.74%。\n\
                   执行率偏低，主要是改造工程尾款67.55万元须在验收后支付；同时救助补助按儿童实际训练月数结算，形成结余37.33万元。\n";
    expect_clean(balance);
    let part = "全年实际支出1,254,300.00元，即125.43万元，预算执行率97.54%。\n\
                4.成本指标。强制免疫疫苗通过省级集中招标采购，全年支出64.82万元，未超过66.5万元的控制数。\n";
    expect_none(part, "quantity-conflict", Severity::Error);
    let year = "经自评，本项目2023年度得分98.48分，等级为“优”。\n\
                | 资金项目 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n|---|---|---|---|---|---|\n\
                | 年度资金总额 | 128.60 | 125.43 | 10 | 97.54% | 9.75 |\n";
    expect_none(year, "score-text-vs-table", Severity::Error);
}

/// Names in brackets right after the counted noun; a scope or a description in brackets is
/// no list.
#[test]
fn names_in_brackets_after_their_count() {
    let text = |n: &str| {
        format!(
            "服务网络已覆盖全区{n}个街道（西安路、西华、人民北路、荷花池、驷马桥），形成三级服务体系。\n"
        )
    };
    let wrong = text("6");
    expect(&wrong, "count-mismatch", Severity::Error);
    let ok = text("5");
    expect_clean(&ok);
    for aside in [
        "项目覆盖全市6个县（市、区）的农村供水工程。\n",
        "全市定点康复机构3家（主要承担人工耳蜗植入、孤独症专项康复、肢体康复训练），均通过年度评估。\n",
    ] {
        assert!(
            !has(aside, "count-mismatch", Severity::Error),
            "{aside} {:?}",
            rules(aside)
        );
    }
}

/// Sources listed on the line after the whole they make up.
#[test]
fn sources_on_the_line_after_their_whole() {
    let text = |county: &str| {
        format!(
            "2023年年初预算196.00万元，8月追加区级资金9.60万元，调整后预算205.60万元。\n\
             按资金来源分：省级财政补助60.00万元，市级财政补助45.00万元，区级财政配套{county}。\n"
        )
    };
    let wrong = text("100.50万元");
    expect(&wrong, "sum-mismatch", Severity::Error);
    let ok = text("100.60万元");
    expect_clean(&ok);
}

/// One trip told to the month in two years; two trips of different words are not one.
#[test]
fn one_event_told_to_the_month_in_two_years() {
    let text = |year: &str, what: &str| {
        format!(
            "三是开展师资培训。2020年7月，组织数控、汽修专业12名骨干教师赴西安参加设备操作与维护培训。\n\
             2020年，完成实训用房改造1,860平方米，{year}年7月组织12名专业教师{what}。\n"
        )
    };
    let wrong = text("2019", "赴西安参加设备操作与维护培训");
    expect(&wrong, "date-conflict", Severity::Error);
    let ok = text("2020", "赴西安参加设备操作与维护培训");
    expect_clean(&ok);
    let other = text("2019", "到企业跟岗实践");
    expect_none(&other, "date-conflict", Severity::Error);
}

/// A result of two words of its own beside the clause that names the target; not a
/// semester's part of a year's figure.
#[test]
fn a_result_beside_the_clause_naming_its_target() {
    let text = |result: &str| {
        format!(
            "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t消杀人员业务培训\t≥300人次\n供餐天数≥200天。\n\
             三、完成情况\n{result}\n全年供餐200天。\n"
        )
    };
    let short = text("举办镇（街道）、社区消杀人员业务培训班6期，共培训286人次。");
    expect(&short, "target-shortfall", Severity::Warning);
    let semester = text(
        "按学期实际在校学生人数和供餐天数核拨：春季学期受益学生8,412人、供餐98天，补助资金4,121,880元。\n\
         举办消杀人员业务培训班6期，共培训312人次。",
    );
    expect_none(&semester, "target-shortfall", Severity::Warning);
    let first = text("在县委党校举办第一期消杀人员业务培训班，培训198人次；两期共培训312人次。");
    expect_none(&first, "target-shortfall", Severity::Warning);
}

/// Near-misses from unseen consistent reports: a sub-level's score in the prose, a count for
/// each of several places, and a total in two units.
#[test]
fn sub_levels_counts_for_each_and_totals_in_two_units() {
    let sub = "一级指标\t分值\t得分\t得分率\n产出指标\t60\t59.00\t98.33%\n效益指标\t30\t29.00\t96.67%\n\
               满意度指标\t10\t10.00\t100.00%\n合计\t100\t98.00\t98.00%\n\
               1.社会效益。受益学生在校就餐率97.3%。社会效益指标得20分。\n";
    expect_none(sub, "score-text-vs-table", Severity::Error);
    let each = "6个司法所各配置远程视频调解（公证）终端3套，共十八套。\n\
                数量：配置远程视频调解（公证）终端18套，均达到年度目标。\n";
    expect_clean(each);
    let two_units = |total: &str| {
        format!(
            "共安装扶手及抓杆386处、修建坡道41处、卫生间地面防滑处理118处，配置闪光门铃22套、盲人语音提示设备11套，合计{total}处（套）。\n"
        )
    };
    let ok = two_units("578");
    expect_clean(&ok);
    let wrong = two_units("587");
    expect(&wrong, "sum-mismatch", Severity::Error);
}

/// Shares and balances from held-out set l: a bracketed aside beside a rate's parts, a
/// share of the planned figure, and the money 下达 to the county as its budget.
#[test]
fn asides_plans_and_money_allocated() {
    let aside = |rate: &str| {
        format!(
            "全县纳入乡村一体化管理的村卫生室263个，2023年对其中259个落实基本药物制度补助（另4个因乡村医生离岗暂停执业），补助覆盖率{rate}。\n"
        )
    };
    let wrong = aside("99.62%");
    expect(&wrong, "percent-of-parts", Severity::Error);
    let ok = aside("98.48%");
    expect_clean(&ok);
    let plan = |rate: &str| format!("计划更换教室门窗320樘，实际更换286樘，完成计划的{rate}。\n");
    let wrong = plan("86.9%");
    expect(&wrong, "percent-of-parts", Severity::Error);
    let ok = plan("89.4%");
    expect_none(&ok, "percent-of-parts", Severity::Error);
    let balance = |left: &str| {
        format!(
            "2019年，省财政厅下达我县中央财政草原生态保护补助奖励资金575.25万元。\n\
             截至2019年12月31日，项目全年支出553.85万元，预算执行率96.28%，结余{left}，结转下年继续使用。\n"
        )
    };
    let wrong = balance("21.04万元");
    expect(&wrong, "sum-mismatch", Severity::Error);
    let ok = balance("21.40万元");
    expect_clean(&ok);
}

/// A total and its parts in the next sentence, opened by 其中.
#[test]
fn a_total_with_its_parts_in_the_next_sentence() {
    let text = |total: &str| {
        format!(
            "本项目自评得分{total}分，自评等级为“优”。其中，预算执行率得分9.51分，产出指标得分49分，效益指标得分30分，满意度指标得分10分。\n"
        )
    };
    let wrong = text("98.15");
    expect(&wrong, "score-total", Severity::Error);
    let ok = text("98.51");
    expect_clean(&ok);
}

/// Near-misses from held-out set o: a full mark in brackets after its score; 总分 inside a
/// name; a sum written with ＋ and ＝; one source's own rate; a budget by purpose; items of
/// a list under their own labels.
#[test]
fn brackets_sums_sources_and_list_items() {
    let bracketed = "一级指标\t分值\t得分\n产出指标\t50\t49.81\n效益指标\t30\t30\n合计\t80\t79.81\n\
                     经逐项对照打分，本项目产出指标得分49.81分（满分50分），效益指标得分30分（满分30分），合计79.81分。\n";
    expect_clean(bracketed);
    let sum = |total: &str| {
        format!(
            "评分等级：总分85分（含）以上为优，70分（含）至85分为良，60分（含）至70分为中，60分以下为差。\n\
             指标\t分值\t得分\n总分馆通借通还覆盖率\t6\t6.00\n\
             预算执行情况15.02分＋产出指标38.40分＋效益及满意度指标35.44分＝{total}分。自评等级为“优”。\n"
        )
    };
    let ok = sum("88.86");
    expect_clean(&ok);
    let wrong = sum("88.96");
    expect(&wrong, "score-total", Severity::Error);
    let source = "资金来源\t预算数\t执行数\t执行率\n合计\t560.00\t420.56\t75.10%\n其中：区级财政资金\t480.00\t340.56\t70.95%\n\
                  全年执行420.56万元，执行率75.10%。其中省级补助资金80.00万元全部用于图书采购，执行率100.00%；\
                  区级财政资金执行340.56万元，执行率70.95%。\n";
    expect_none(source, "percent-of-parts", Severity::Error);
    let purpose = "调整后预算1,600.00万元。按用途分，设备购置987.20万元、人员培训60.00万元。\n\
                   累计支出1,047.20万元，其中：设备购置987.20万元，人员培训45.00万元，其余结转下年。\n";
    expect_none(purpose, "quantity-conflict", Severity::Error);
    let items = "13.患者满意度：发放问卷600份，收回有效问卷583份，满意551份，满意度94.51%。\n\
                 14.医务人员满意度：收回有效问卷120份，满意109份，满意度90.83%。\n";
    expect_clean(items);
}

/// Counters of bottles, boxes, pages, scrolls and borrowings are units like any other.
#[test]
fn more_counters_are_units() {
    let text = |n: &str| {
        format!(
            "全年生产傣药院内制剂1.26万瓶，全部用于本院临床。\n2023年，完成傣药院内制剂生产{n}瓶。\n"
        )
    };
    let wrong = text("12,800");
    expect(&wrong, "quantity-conflict", Severity::Error);
    let ok = text("12,600");
    expect_clean(&ok);
}

#[test]
fn a_flattened_score_table_may_sit_under_two_title_lines() {
    let table = |deduction: &str| {
        format!(
            "各一级指标得分情况如下：\n项目绩效评价得分情况表\n\t一级指标\n\t权重\n\t得分\n\t扣分\n\n\
             \t决策\n\t20.00\n\t18.50\n\t1.50\n\n\t产出\n\t40.00\n\t35.40\n\t{deduction}\n\n\
             \t合计\n\t60.00\n\t53.90\n\t6.10\n\n"
        )
    };
    let wrong = table("4.40");
    expect(&wrong, "score-deduction", Severity::Error);
    let ok = table("4.60");
    expect_clean(&ok);
}

#[test]
fn a_rise_written_zengfu_is_a_share_of_the_earlier_figure() {
    let wrong = "除险加固后，有效灌溉面积由实施前的1.86万亩恢复至2.15万亩，增幅15.95%。\n";
    expect(wrong, "percent-of-parts", Severity::Error);
    let ok = wrong.replace("15.95%", "15.59%");
    expect_clean(&ok);
}

#[test]
fn a_goal_under_its_own_label_line_is_a_target_not_a_result() {
    let text = "项目基本情况\n年度目标\n完成24万卷档案扫描，平台接入13个市（地）档案馆。\n完成情况\n\
                扫描24.68万卷，平台接入7个市级档案馆，其余6个因网络条件未接入。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn a_sample_checked_is_not_the_work_done() {
    let done = "全年完成43个入河排污口的排查整治，整治入河排污口43个。\n";
    let sampled = format!("{done}2.现场核查。抽查污水处理设施9座、入河排污口12个。\n");
    expect_none(&sampled, "quantity-conflict", Severity::Error);
    let twice = format!("{done}3.全年整治入河排污口41个，均已销号。\n");
    expect(&twice, "quantity-conflict", Severity::Error);
}

#[test]
fn items_with_their_own_counts_break_a_count_down() {
    let ok = "结合项目实际，共设置三级指标十一项：产出指标七项、效益指标三项、满意度指标一项。\n";
    expect_none(ok, "count-mismatch", Severity::Error);
    let named = "项目覆盖3个乡镇，分别为：西江镇、丹江镇。\n";
    expect(named, "count-mismatch", Severity::Error);
}

#[test]
fn a_claim_about_the_outputs_says_nothing_of_satisfaction() {
    let base = "（二）年度绩效指标\n1.产出指标\n（1）人工耳蜗植入6例；\n2.满意度指标\n\
                （2）受助家庭满意度不低于95%。\n三、绩效目标完成情况\n完成人工耳蜗植入6例。\
                受助家庭满意度88.4%。\n";
    let outputs = format!("{base}产出指标均已完成。\n");
    expect_none(&outputs, "target-claim", Severity::Error);
    let all = format!("{base}各项绩效指标均已完成。\n");
    expect(&all, "target-claim", Severity::Error);
}

#[test]
fn one_rule_issued_in_the_same_month_of_two_years_is_misdated() {
    let wrong = "我院于2021年3月制定印发了《于都县人民法院国家司法救助工作实施细则》。\n\
                 立项依据充分。我院2020年3月出台的实施细则又对救助条件作了细化。\n";
    expect(wrong, "date-conflict", Severity::Error);
    // Plans are issued anew every year.
    let plans =
        "2021年3月印发《2021年度司法救助工作方案》。\n2020年3月印发的工作方案已执行完毕。\n";
    expect_none(plans, "date-conflict", Severity::Error);
}

#[test]
fn a_report_may_not_be_signed_before_it_was_drafted() {
    let body = "2021年度小型水库除险加固项目绩效自评报告\n2022年3月1日，我局成立自评工作小组。3月2日至3月20日，工作小组收集整理了项目资料。\n\
                2022年3月25日形成自评报告初稿，3月30日经局党组会议审议通过后报送区财政局。\n\
                一、项目概况\n本项目为小型水库除险加固。\n二、结论\n自评等级为优。\n\n\n赣州市章贡区水利局\n";
    let early = format!("{body}2022年3月18日\n");
    expect(&early, "date-conflict", Severity::Error);
    let late = format!("{body}2022年3月31日\n");
    expect_none(&late, "date-conflict", Severity::Error);
}

#[test]
fn money_broken_down_by_use_adds_up_to_its_whole() {
    let listed = |last: &str| {
        format!(
            "全年实际支出186.40万元，预算执行率93.20%。支出构成为：学员培训补贴132.60万元，\
             教材费21.30万元，鉴定费18.90万元，场地租赁费{last}万元。\n"
        )
    };
    let wrong = listed("12.80");
    expect(&wrong, "sum-mismatch", Severity::Error);
    let ok = listed("13.60");
    expect_none(&ok, "sum-mismatch", Severity::Error);
    // Main uses leave small ones out; a gap within a hundredth is a slip to check.
    let main = "全年实际支出419.52万元，主要用于：器材购置182.60万元、场地建设146.30万元、\
                赛事组织58.72万元、指导员培训12.50万元、设施维护18.40万元。\n";
    expect(main, "sum-mismatch", Severity::Warning);
}

#[test]
fn a_breakdown_by_kind_nearly_adding_to_a_stated_sum_is_checked() {
    let text = |c: &str| {
        format!(
            "2020年，本项目共发放救助金286.50万元，结余43.50万元。\n全年发放救助金286.50万元。\n\
             从救助类型看，刑事案件被害人获得救助152.30万元，民事侵权案件当事人获得救助98.60万元，\
             执行不能案件申请执行人获得救助{c}万元。\n"
        )
    };
    let wrong = text("36.60");
    expect(&wrong, "sum-mismatch", Severity::Warning);
    let ok = text("35.60");
    assert!(
        !rules(&ok).iter().any(|(r, _)| *r == "sum-mismatch"),
        "{:?}",
        rules(&ok)
    );
}

#[test]
fn one_use_of_the_spending_cannot_exceed_it() {
    let text = |part: &str| {
        format!(
            "2022年，本项目到位资金600.00万元，实际支出548.36万元，预算执行率91.39%。\n\
             从支出结构看，实际支出中用于传统民居修缮的资金为{part}元，其余用于消防设施改造。\n"
        )
    };
    let wrong = text("5,624,000.00");
    expect(&wrong, "part-exceeds-whole", Severity::Error);
    let ok = text("4,624,000.00");
    expect_none(&ok, "part-exceeds-whole", Severity::Error);
}

#[test]
fn the_cover_and_the_signature_name_one_unit() {
    let body = "2020年北江流域水环境综合整治项目绩效自评报告\n\n一、项目概况\n本项目为流域整治。\n\
                二、结论\n自评等级为优。\n\n";
    let renamed = format!("韶关市生态环境局\n{body}韶关市环境保护局\n2021年4月9日\n");
    expect(&renamed, "name-inconsistent", Severity::Warning);
    let same = format!("韶关市生态环境局\n{body}韶关市生态环境局\n2021年4月9日\n");
    expect_clean(&same);
}

#[test]
fn a_signature_named_nowhere_else_is_the_unit_renamed() {
    // The unit carried out the evaluation (named before 于 and its dates) and signs under
    // another name of the same place, which the report never uses otherwise.
    let text = |signer: &str, body_unit: &str| {
        format!(
            "2021年农村饮水工程维修养护补助资金绩效自评报告\n\
             根据市财政局要求，柳州市水利局于2022年3月10日至4月15日对该项目开展了绩效自评。\n\
             一、项目概况\n项目由{body_unit}负责资金复核。\n二、结论\n自评等级为优。\n\n\
             {signer}\n2022年4月20日\n"
        )
    };
    expect(
        &text("柳州市水务局", "柳州市财政局"),
        "name-inconsistent",
        Severity::Warning,
    );
    expect_clean(&text("柳州市水利局", "柳州市财政局"));
    // A unit the body names too (here the finance bureau) may sign: it is another unit.
    expect_none(
        &text("柳州市财政局", "柳州市财政局"),
        "name-inconsistent",
        Severity::Warning,
    );
    // The form's 报送单位 and 主管部门 fields name the unit; a signature may leave out the
    // higher place.
    let form = |signer: &str| {
        format!(
            "2019年农村公路养护项目绩效自评报告\n主管部门：重庆市江津区交通局\n\
             报送单位：重庆市江津区交通局\n一、项目概况\n本项目用于养护。\n\n{signer}\n2020年4月10日\n"
        )
    };
    expect(
        &form("江津区交通运输委员会"),
        "name-inconsistent",
        Severity::Warning,
    );
    expect_clean(&form("江津区交通局"));
    // The unit that commissions the evaluation is another unit than the one that signs.
    let commissioned = "2022年孤独症儿童康复救助项目绩效自评报告\n委托单位：长治市潞州区残疾人联合会\n\
                        一、项目概况\n本项目用于康复。\n\n\
                        长治市潞州区残疾人康复服务中心\n2023年4月6日\n";
    expect_clean(commissioned);
}

#[test]
fn a_count_retyped_with_other_words_is_a_warning() {
    let text = |later: &str| {
        format!(
            "一、项目实施情况\n全区核定补贴面积233,826.4亩，涉及13个乡镇、受益农户41,265户。\n\
             二、绩效分析\n（一）产出数量。补贴资金惠及农户{later}，完成受益农户目标。\n"
        )
    };
    expect(&text("40,918户"), "quantity-conflict", Severity::Warning);
    expect_clean(&text("41,265户"));
    // Rounded (4.13万户 is 41,265 to the hundred), or a round figure, or what was due and
    // what was done: no second count of the same households.
    expect_clean(&text("4.13万户"));
    let due = "全区应兑付农户41,265户，实际兑付41,208户，兑付率99.86%。\n\
               二、绩效分析\n补贴资金惠及农户41,208户。\n";
    expect_clean(due);
    let round = "全区计划宣传覆盖农户41,265户。\n二、绩效分析\n发放问卷调查农户42,000户。\n";
    expect_none(round, "quantity-conflict", Severity::Warning);
}

#[test]
fn one_act_right_after_dates_of_two_years_is_misdated() {
    let text = |second: &str| {
        format!(
            "2021年度堤防加固项目绩效自评报告\n（3）进度安排。项目主体工程于2021年1月12日开工，于2021年5月26日完工。\n\
             二、项目实施\n{second}\n"
        )
    };
    expect(
        &text("项目于2020年1月12日正式开工，实行项目法人责任制。"),
        "date-conflict",
        Severity::Error,
    );
    expect_clean(&text("项目于2021年1月12日正式开工，实行项目法人责任制。"));
    // A deadline is no second date of the act.
    expect_clean(&text("按照2020年1月12日前报送的实施方案组织施工。"));
    let month = |second: &str| {
        format!(
            "县财政第一批资金于2023年3月下达，第二批资金于2023年7月下达。\n三、预算执行\n{second}\n"
        )
    };
    expect(
        &month("2022年7月下达的第二批资金在当年8月初已全部拨付到村。"),
        "date-conflict",
        Severity::Error,
    );
    expect_none(
        &month("上年第二批资金于2022年7月下达，较本年略早。"),
        "date-conflict",
        Severity::Error,
    );
}

#[test]
fn work_on_more_of_a_set_than_there_are_is_a_warning() {
    let text = |work: &str| {
        format!("全县现有渡口36道、在册营运渡船41艘、在岗渡工52人。\n二、绩效分析\n{work}\n")
    };
    expect(
        &text("全年完成43艘渡船年度安全技术检验，检验合格率100%。"),
        "part-exceeds-whole",
        Severity::Warning,
    );
    expect_clean(&text("全年完成41艘渡船年度安全技术检验，检验合格率100%。"));
    // New boats are more than the old stock; trips are counted in 次.
    expect_clean(&text("全年新建标准化钢质渡船43艘，替换老旧木质渡船。"));
    expect_clean(&text("全年检查渡船430艘次，发现隐患12处。"));
}

#[test]
fn last_years_figures_are_not_this_years() {
    // Restated in a section on last year's findings: last year's budget, length and grade.
    let text = "2021年度高标准农田建设项目绩效自评报告\n三、上年评价发现问题整改情况\n\
                ②资金支出偏慢，2020年度预算4,500万元，当年支出3,891.15万元，执行率86.47%；\n\
                2020年专职养护员24名，养护里程188.6公里，人均养护7.86公里。\n\
                2021年3月，我局对2020年度项目进行了绩效自评，自评得分89.5分，等级为良。\n\
                四、预算执行情况\n2021年全年预算5,250万元，到位5,250万元，到位率100%；\n\
                累计支出4,935.00万元，预算执行率94.00%。\n日常养护里程195.8公里，完成率100%。\n\
                一级指标\t分值\t得分\n决策\t20\t19\n过程\t20\t19\n产出\t40\t38\n效益\t20\t17.5\n合计\t100\t93.5\n";
    expect_none(text, "part-exceeds-whole", Severity::Error);
    expect_none(text, "percent-of-parts", Severity::Error);
    expect_none(text, "quantity-conflict", Severity::Error);
    expect_none(text, "grade-band", Severity::Error);
}

#[test]
fn a_monitoring_table_beside_the_years_figures() {
    // Mid-year columns, a unit declared at the end of the sentence above, a progress column
    // in % that is no amount, and each sub-project's own budget and rate.
    let text = "2023年医疗设备购置补助资金绩效自评报告\n三、绩效运行监控情况\n\
        截至2023年6月30日，本项目累计支出459.67万元，执行进度24.71%，子项目6月30日与全年执行情况对照如下（单位：元）：\n\
        | 子项目 | 全年预算 | 6月30日累计支出 | 6月30日执行进度 | 全年支出 | 全年执行率 |\n\
        | CT购置 | 9,800,000.00 | 2,886,000.00 | 29.45% | 8,658,000.00 | 88.35% |\n\
        | 手术室设备更新 | 5,600,000.00 | 784,810.00 | 14.01% | 4,873,770.00 | 87.03% |\n\
        | 分院设备配置 | 3,200,000.00 | 925,920.00 | 28.94% | 3,086,400.00 | 96.45% |\n\
        | 合计 | 18,600,000.00 | 4,596,730.00 | 24.71% | 16,618,170.00 | 89.35% |\n\
        四、预算执行情况\n2023年本项目全年预算1,860.00万元，全年支出1,661.82万元，预算执行率89.35%。\n\
        需要说明的是，2023年全院医疗设备购置总支出为3,428.65万元，其中本项目财政专项资金支出1,661.82万元。\n\
        五、各子项目实施情况\n（一）CT购置子项目\n购置CT一台，合同金额962.00万元，全年支付865.80万元，执行率88.35%。\n\
        （二）分院设备配置子项目\n配置设备5台，合同金额308.64万元，全年支付308.64万元，执行率96.45%。\n";
    expect_clean(text);
}

#[test]
fn parts_under_of_which_products_and_failures() {
    // Indented rows under a 其中 row are parts of the row above; a product is no sum.
    let table = "学期\t受益学生（人）\t补助天数\t支出金额（万元）\n\
                 2024年春季学期\t28,460\t100\t1,423.00\n其中：小学\t19,326\t100\t966.30\n\
                 \u{3000}\u{3000}\u{3000}初中\t9,134\t100\t456.70\n2024年秋季学期\t27,915\t100\t1,395.75\n\
                 其中：小学\t18,947\t100\t947.35\n\u{3000}\u{3000}\u{3000}初中\t8,968\t100\t448.40\n\
                 全年合计\t—\t200\t2,818.75\n";
    expect_clean(table);
    let product =
        "中央财政下达补助资金2,846.00万元，按在校学生28,460人×1,000元核定，共计28,460,000元。\n";
    expect_clean(product);
    // The ones that failed and the ones that passed: no part and whole.
    let failed =
        "整改情况：对未达标的232个服务站逐一建立整改台账，2025年达标2,391个，达标率96.88%。\n";
    expect_clean(failed);
    // Stages told by their ordinals, one with a 、 list of its own.
    let stages = "本次自评分为三个阶段：第一阶段由财务处制定自评工作方案、下发资料清单；\
                  第二阶段由各处室报送数据；第三阶段汇总评分并形成自评报告。\n";
    expect_clean(stages);
}

#[test]
fn lengths_in_kilometres_and_metres_are_one_quantity() {
    let text = |later: &str| {
        format!(
            "一、项目概况\n全年新建改造田间道路48.6公里，配套排灌渠系。\n二、绩效分析\n\
             新建改造田间道路{later}，通行条件明显改善。\n"
        )
    };
    expect(&text("46,800米"), "quantity-conflict", Severity::Error);
    expect_clean(&text("48,600米"));
    // 48.6公里 is 48,640米 to the tenth of a kilometre.
    expect_clean(&text("48,640米"));
}

#[test]
fn a_breakdown_of_the_spending_on_the_next_line_adds_up() {
    let text = |works: &str| {
        format!(
            "（二）资金支出\n截至2018年12月31日，项目支出1,527.6万元，预算执行率92.58%。\n\
             1. 按支出内容：工程建设支出{works}，勘测设计及监理费115.7万元，建设管理费及其他36.7万元；\n\
             2. 按水库类型：小（1）型水库5座支出698.4万元，小（2）型水库18座支出829.2万元。\n"
        )
    };
    let wrong = text("1,572.6万元");
    expect(&wrong, "sum-mismatch", Severity::Error);
    expect(&wrong, "part-exceeds-whole", Severity::Error);
    expect_clean(&text("1,375.2万元"));
}

#[test]
fn a_class_ending_without_a_year_before_it_began() {
    let text = |end: &str| {
        format!(
            "2025年度退役军人服务保障资金绩效自评报告\n全省集中适应性培训于2025年10月13日开班，分两期举办，每期5天；\n\
             三、存在问题\n③集中适应性培训{end}结业后，仍有部分退役军人未能参训。\n"
        )
    };
    expect(&text("10月8日"), "date-conflict", Severity::Error);
    expect_clean(&text("10月24日"));
}

#[test]
fn one_monitoring_cut_off_in_two_years() {
    let text = |year: &str| {
        format!(
            "2021年度残疾人康复项目绩效自评报告\n表2  截至2021年6月30日各子项目执行进度（单位：元）\n\
             二是截至{year}年6月30日辅助器具适配子项目已完成适配536件。\n"
        )
    };
    expect(&text("2020"), "date-conflict", Severity::Error);
    expect_clean(&text("2021"));
    // Last year's cut-off set beside this year's is a comparison.
    let compared = "2021年度残疾人康复项目绩效自评报告\n截至2021年6月30日累计支出550.19万元。\n\
                    上年同期（截至2020年6月30日）累计支出498.20万元。\n";
    expect_none(compared, "date-conflict", Severity::Error);
}

#[test]
fn a_result_told_in_other_words_is_evidence() {
    let text = |result: &str| {
        format!(
            "二、绩效目标\n年度绩效目标共设产出指标5项。\n4.开展农民技术培训≥1000人次；\n\
             培训助餐服务人员≥60人次。\n三、绩效目标完成情况\n{result}\n"
        )
    };
    // The farmers trained are the target's result; the meals served tell nothing of the
    // staff trained, and the count of indicators is no target.
    let told =
        text("镇农技站在田间地头开展技术培训，共培训农民1,180人次。全年助餐服务15.6万人次。");
    assert_eq!(
        findings(&told)
            .iter()
            .filter(|f| f.rule == "target-no-actual")
            .flat_map(|f| f.values.clone())
            .collect::<Vec<_>>(),
        vec!["≥60人次".to_owned()]
    );
}

#[test]
fn full_width_thousands_and_a_funds_own_accounts() {
    // "１４，３７４．４３" is one figure.
    let wide = "资金来源　　预算数　　　　　　　　到位数\n中央补助　　１４，３７４．４３　　１４，３７４．４３\n\
                省级补助　　４，４２２．９０　　　４，４２２．９０\n市级配套　　１，１０５．７３　　　１，１０５．７３\n\
                区县配套　　２，２１１．４４　　　２，２１１．４４\n合计　　　　２２，１１４．５０　　２２，１１４．５０\n";
    expect_clean(wide);
    // The insurance fund's spending and balances are not the subsidy's.
    let fund = "2021年度居民医保财政补助资金绩效评价报告\n财政补助资金预算36,038.30万元，全年实际到位35,720.50万元。\n\
                2021年居民医保基金总收入55,540.75万元；基金总支出53,986.42万元，当年结余1,554.33万元。\n";
    expect_clean(fund);
    // A scoring rule quoted beside a deduction is no deduction of its own.
    let rule = "3.项目产出（满分30分，得分28.8分）。住院人次占比37.60%，按“每低1个百分点扣0.5分”扣1.2分。\n";
    expect_none(rule, "score-deduction", Severity::Error);
}

#[test]
fn a_form_flattened_one_cell_per_line_with_fields_above_its_table() {
    let text = "2023年度项目支出绩效自评表\n项目名称\n2023年新城镇农村人居环境整治提升项目\n主管部门\n\
                大悟县农业农村局\n实施单位\n大悟县新城镇人民政府\n项目资金（万元）\n年初预算数\n全年预算数\n\
                全年执行数\n分值\n执行率\n得分\n年度资金总额\n40.0000\n80.0000\n79.6520\n20\n99.57%\n19.91\n\
                其中：当年财政拨款\n40.0000\n80.0000\n79.6520\n—\n—\n\
                全年支出79.6520万元（796,520.00元），预算执行率99.57%。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
    // A pipe table ends at its last pipe row: the heading below it is no row.
    let pipe = "下设二级指标3项，详见附表1。\n附表1  评分表\n| 一级指标 | 二级指标 | 分值 | 得分 |\n\
                | 决策 | 项目立项 | 30 | 30 |\n| 过程 | 资金管理 | 30 | 28 |\n| 效益 | 满意度 | 40 | 38 |\n\
                | 合计 |  | 100 | 96 |\n附件2  数据来源清单\n";
    expect_none(pipe, "count-mismatch", Severity::Error);
}

#[test]
fn items_on_the_lines_above_their_total() {
    let lines = |last: &str| {
        format!(
            "（二）资金支出\n1.防汛物资购置：12.3600万元；\n2.村（社区）汛期值守补助：8.4500万元；\n\
             3.抗旱设备购置及运行：15.2000万元；\n4.水毁设施应急修复：{last}万元。\n合计：46.8200万元。\n"
        )
    };
    expect(&lines("11.8100"), "sum-mismatch", Severity::Error);
    expect_clean(&lines("10.8100"));
    let villages = |sum: &str| {
        format!(
            "桥头村：50.0000万元；上模村：40.0000万元；罗家村：35.0000万元；横岭村：20.0000万元。\n\
             以上4个村合计{sum}万元（1,450,000.00元）。\n"
        )
    };
    expect(&villages("150.0000"), "sum-mismatch", Severity::Error);
    expect_clean(&villages("145.0000"));
}

#[test]
fn a_commissioning_unit_signing_under_its_old_name() {
    let text = |signer: &str| {
        format!(
            "2019年度基本公共卫生服务项目绩效评价报告\n委托单位：遂宁市卫生健康委员会\n\
             评价机构：四川蜀信绩效评价咨询有限公司\n一、项目概况\n本项目用于公共卫生服务。\n\n\
             {signer}（盖章）\n四川蜀信绩效评价咨询有限公司（盖章）\n2020年5月12日\n"
        )
    };
    expect(
        &text("遂宁市卫生和计划生育委员会"),
        "name-inconsistent",
        Severity::Warning,
    );
    expect_clean(&text("遂宁市卫生健康委员会"));
}

#[test]
fn one_inspection_on_one_day_of_two_years() {
    let text = |second: &str| {
        format!(
            "2024年度防汛抗旱资金绩效自评报告\n2.2024年4月10日，镇防汛抗旱指挥部组织汛前大检查，对辖区堤段进行全面排查。\n\
             三、存在问题\n1.汛前大检查（{second}）发现的团山村涵闸闸门锈蚀问题，目前采取临时度汛措施。\n"
        )
    };
    expect(&text("2023.4.10"), "date-conflict", Severity::Error);
    expect_clean(&text("2024.4.10"));
}

#[test]
fn lists_of_services_and_of_hazards_are_counted() {
    let services = |n: &str| {
        format!(
            "项目主要包括以下{n}类服务：建立居民健康档案、健康教育、预防接种、0—6岁儿童健康管理、\
             孕产妇健康管理、老年人健康管理、慢性病患者健康管理（高血压、2型糖尿病）、严重精神障碍患者管理、\
             中医药健康管理、传染病及突发公共卫生事件报告和处理、卫生监督协管。\n"
        )
    };
    expect(&services("十二"), "count-mismatch", Severity::Error);
    expect_clean(&services("十一"));
    let hazards = |n: &str| {
        format!(
            "3.汛前检查共排查出隐患{n}处，已于主汛期前落实整改或度汛措施：\n（1）东湖村堤段护坡滑塌；\n\
             （2）沙口村电排站配电柜老化；\n（3）塔市村山塘溢洪道堵塞；\n（4）团山村涵闸闸门锈蚀。\n"
        )
    };
    expect(&hazards("5"), "count-mismatch", Severity::Error);
    expect_clean(&hazards("4"));
}

#[test]
fn shortfalls_the_claim_leaves_out_by_name() {
    // The lines before the claim name the missed targets; or the exception counts them.
    let above = "1．产出指标：完工项目数12个；按期完工率100%。\n\
                 截至2023年12月31日，十二个项目中已完工十一个。按期完工项目11个，按期完工率为91.67%。\n\
                 营前镇中学项目跨年完工，导致完工项目数和按期完工率未达到年度目标。除上述指标外，其余绩效目标均已完成。\n";
    expect_none(above, "target-claim", Severity::Error);
    let counted = "目标：更换井盖1,200座。\n计划更换1,200座，实际更换1,146座，完成率95.5%。\n\
                   除井盖更换数量、按期完工率两项指标外，其余六项指标均已完成。\n";
    expect_none(counted, "target-claim", Severity::Error);
}

#[test]
fn instalments_rates_per_unit_and_budget_parts() {
    // Instalments that add up to the funds received are no budget of their own.
    let instalments = "本项目共下达资金190万元。\n2021年4月，县财政局下达春季学期资金94万元；2021年9月下达秋季学期资金96万元。\
                       全年资金到位190万元，到位率100%。\n";
    expect_clean(instalments);
    // A rate per child is no amount; a budget's parts (其中… after 预算) are no spending.
    let rates = "2024年本项目实际支出108.61万元，其中生均补助66.21万元、困难幼儿资助42.40万元。\n\
                 补助标准：生均补助600元/生·年，困难幼儿资助1,000元/生·年。\n\
                 2024年年初预算1,150万元，全年未调整。其中养护服务费1,080万元，苗木补植50万元，第三方考核20万元。\n\
                 2.苗木补植48.36万元；\n";
    expect_none(rates, "quantity-conflict", Severity::Error);
    // What is left of one contract is no balance of the project.
    let contract = "2023年本项目下达财政资金500万元，全年支出500万元。\n\
                    营前镇中学合同价580,000元，2023年支付406,000元；剩余174,000元在2024年竣工结算后支付。\n";
    expect_none(contract, "sum-mismatch", Severity::Error);
}

#[test]
fn rules_quoted_in_points_are_no_scores() {
    // An item's own number is no bound of a band.
    let bands = "4.等级标准：90分（含）以上为优，80分（含）至90分为良，60分（含）至80分为中，60分以下为差。\n\
                 本项目2024年度自评总分97.93分，其中预算执行得分9.93分，绩效指标得分88分，评价等级为优。\n";
    expect_clean(bands);
    // Marks a rule gives, and marks given part by part beside one deduction.
    let rule = "预算执行率95%（含）以上得8分，90%（含）至95%得7.5分，90%以下每低1个百分点扣0.5分。\n\
                一级指标\t二级指标\t分值\t得分\n过程\t预算执行率\t8\t7.5\n\
                4.效果（满分25分，得分23.4分）：停车场巡查考核制度未出台，扣1分；群众满意度88.0%，得4.4分。\n";
    expect_none(rule, "score-text-vs-table", Severity::Error);
    expect_none(rule, "score-deduction", Severity::Error);
}

#[test]
fn a_units_whole_year_of_spending() {
    // A department's budget and spending parted into 基本支出 and 项目支出, a table of changes
    // on last year (增减额, 增减率), and an adjusted budget followed by its own part.
    let text = "2018年年初预算268.40万元，其中基本支出112.60万元（人员经费96.80万元，公用经费15.80万元），项目支出155.80万元。\
                年中收到上级下达的科普惠农兴村专项资金20.00万元，调整后全年预算288.40万元，其中项目支出175.80万元。\n\
                2018年全年支出274.46万元，预算执行率95.17%。其中：基本支出110.94万元，占40.42%；项目支出163.52万元，占59.58%。\n\
                支出类别\t2018年（万元）\t2017年（万元）\t增减额（万元）\t增减率\n\
                人员经费\t96.12\t90.36\t5.76\t6.37%\n公用经费\t14.82\t16.42\t-1.60\t-9.74%\n\
                项目支出\t163.52\t142.08\t21.44\t15.09%\n合计\t274.46\t248.86\t25.60\t10.29%\n";
    expect_none(text, "part-exceeds-whole", Severity::Error);
    expect_none(text, "percent-of-parts", Severity::Error);
    expect_none(text, "sum-mismatch", Severity::Error);
    // A total counted without repeats is less than its rows.
    let distinct = "人群\t人数\t签约人数\n65岁及以上老年人\t8,436\t7,017\n高血压患者\t4,920\t4,102\n\
                    2型糖尿病患者\t1,538\t1,311\n重点人群合计（去重）\t12,680\t10,760\n";
    expect_none(distinct, "sum-mismatch", Severity::Error);
}

#[test]
fn indented_parts_other_kinds_and_age_groups() {
    // Rows under 其中 indented inside their pipe cell are parts of the row above.
    let pipe = "| 支出项目 | 金额 |\n| 一、接种服务劳务补助 | 26.40 |\n| \u{3000}\u{3000}其中：卫生院接种人员 | 19.80 |\n\
                | \u{3000}\u{3000}\u{3000}\u{3000}\u{3000}村医协助通知及查漏 | 6.60 |\n| 二、冷链运转及维护 | 7.35 |\n\
                | 三、查漏补种 | 4.90 |\n| 合计 | 38.65 |\n";
    expect_none(pipe, "sum-mismatch", Severity::Error);
    // Counts of another kind are no parts of the whole.
    let kinds = "设预算执行率、产出指标、效益指标、满意度指标4个一级指标，其中产出指标下设运行成本、管理效率、\
                 履职效能3个二级指标，效益指标下设社会效应、可持续影响2个二级指标。\n";
    expect_none(kinds, "sum-mismatch", Severity::Error);
    // An age group is another set than all the children.
    let ages = "3.年龄组接种率以本地常住儿童2,172人为基数，不含流动儿童146人。\n\
                4.卡介苗首针以活产数256人为基数，其中5人迁出，故＜1岁本地常住儿童为251人。\n";
    expect_none(ages, "quantity-conflict", Severity::Error);
}

#[test]
fn rates_of_sources_estimates_and_rounded_figures() {
    let text = "2021年度项目预算2,980.00万元，其中：中央资金2,000.00万元，省级配套资金600.00万元，县级配套资金380.00万元。\n\
                全年支出2,846.37万元，预算执行率95.52%。\n\
                两个标段审定金额合计2,383.43万元，项目总支出未超过批复概算3,126.50万元。\n\
                （一）县级配套资金支付滞后。县级配套资金执行率仅64.83%，造成133.63万元资金结转。\n\
                年末结转133.63万元，占全年预算的4.48%。\n\
                2019年度我局实施的南湖河项目预算执行率91.08%，自评得分88.5分。\n";
    expect_clean(text);
    // A figure in 亿元 to two places is rounded to a million yuan.
    let rounded =
        |change: &str| format!("全市保费收入1.97亿元，较2020年的17,825.40万元增加{change}万元。\n");
    expect_clean(&rounded("1,864.65"));
    expect(&rounded("1,964.65"), "sum-mismatch", Severity::Error);
    // A 其中 row whose label holds a figure, in a space-aligned table.
    let table = "支出方向                     预算数（元）      实际支出（元）\n\
                 示范场创建奖补                 1,700,000         1,700,000\n\
                 其中：省级示范场（3家）          600,000           600,000\n\
                 \x20\x20\x20\x20\x20\x20苏州市级示范场（5家）      500,000           500,000\n\
                 \x20\x20\x20\x20\x20\x20太仓市级示范场（12家）     600,000           600,000\n\
                 家庭农场主培训                   300,000           248,400\n\
                 合计                           2,000,000         1,948,400\n";
    expect_none(table, "sum-mismatch", Severity::Error);
}

#[test]
fn a_change_told_by_its_amount_is_a_share_of_the_base_it_names() {
    let text = |rate: &str| {
        format!(
            "2021年“三公”经费预算8.60万元。实际支出6.92万元，较预算节约1.68万元，下降{rate}%。\n"
        )
    };
    expect_clean(&text("19.53"));
    expect(&text("24.28"), "percent-of-parts", Severity::Error);
    let growth = "2020年全年支出293.22万元，较上年增加21.36万元，增长7.86%。\n";
    expect_clean(growth);
}

#[test]
fn a_project_renamed_after_its_year_is_a_warning() {
    let text = |name: &str| {
        format!(
            "2021年度司法救助资金项目支出绩效自评报告\n一、项目概况\n本项目用于司法救助。\n\
             综上，2021年度{name}项目自评得分98.18分，等级为“优”。\n"
        )
    };
    let renamed = text("涉法涉诉救助资金");
    expect(&renamed, "name-inconsistent", Severity::Warning);
    let same = text("司法救助资金");
    expect_clean(&same);
}

#[test]
fn works_may_not_be_finished_before_the_builder_arrived() {
    let text = |day: &str| {
        format!(
            "重点工程乌石镇集中式污水处理站于2020年8月25日完成主体工程并通水试运行。\n\
             另外，乌石镇污水处理站施工单位于2020年{day}方进场施工，工期较紧。\n"
        )
    };
    let wrong = text("9月3日");
    expect(&wrong, "date-conflict", Severity::Error);
    let ok = text("5月3日");
    expect_clean(&ok);
}

#[test]
fn events_told_one_clause_each_are_counted() {
    let text = |n: &str| {
        format!(
            "全年开展政策宣传{n}场，分别为：3月在县城步行街设点宣传，4月走进贡江镇开展送法下乡，\
             6月在县职业中专举办专题讲座，9月联合县妇联开展反家暴宣传，11月在罗坳镇巡回审判时同步宣讲，\
             12月4日国家宪法日集中宣传。\n"
        )
    };
    let wrong = text("7");
    expect(&wrong, "count-mismatch", Severity::Error);
    let ok = text("6");
    expect_clean(&ok);
}

#[test]
fn the_office_that_carries_the_project_out_keeps_its_name() {
    let text = |second: &str| {
        format!(
            "（1）项目具体工作由本院立案一庭（司法救助办公室）负责组织实施，主要负责救助申请受理。\n\
             （2）自评工作小组明确了评价范围，本项目由{second}负责组织实施，并提供救助案件卷宗。\n"
        )
    };
    let renamed = text("立案二庭");
    expect(&renamed, "name-inconsistent", Severity::Warning);
    let same = text("立案一庭");
    expect_clean(&same);
}

#[test]
fn a_project_named_in_short_is_no_other_name() {
    let text = |alias: &str| {
        format!(
            "2021年长江禁捕退捕渔民安置保障资金项目支出绩效自评报告\n一、项目概况\n\
             本项目为长江禁捕退捕渔民安置保障资金项目。\n二、结论\n\
             长江禁捕退捕渔民{alias}使用规范，自评等级为优。\n"
        )
    };
    let short = text("安置保障经费");
    expect_clean(&short);
    let renamed = text("安置补助资金");
    expect(&renamed, "name-inconsistent", Severity::Warning);
}

#[test]
fn a_set_counted_as_a_whole_is_not_exceeded_elsewhere() {
    let text = |done: &str| {
        format!(
            "州民宗委2022年继续实施特色村寨保护项目，全年共支持12个村寨。\n\
             2022年，项目完成{done}村寨的寨容寨貌整治，修缮传统民居163栋。\n"
        )
    };
    let more = text("十三个");
    expect(&more, "quantity-conflict", Severity::Warning);
    // Fewer than the whole is a part of it.
    let fewer = text("十一个");
    expect_clean(&fewer);
}

#[test]
fn digits_swapped_in_a_decimal_or_across_wan_are_a_warning() {
    let roads = |later: &str| {
        format!(
            "至2021年12月20日，各标段全部完工，累计完成县乡道提质改造42.6公里。\n\
             1.社会效益。提质改造后的{later}公里县乡道沿线农产品运输更加顺畅。\n"
        )
    };
    let swapped = roads("46.2");
    expect(&swapped, "quantity-conflict", Severity::Warning);
    let same = roads("42.6");
    expect_clean(&same);
    let pupils = "项目覆盖全区24所农村小学，惠及在校小学生12,640人。\n\
                  项目实施后，受益学生1.246万人，农村小学教学秩序更加稳定。\n";
    expect(pupils, "quantity-conflict", Severity::Warning);
}

#[test]
fn numbered_rows_under_a_count_are_the_things_counted() {
    let table = |n: &str| {
        format!(
            "全年共对{n}个场馆拨付补助资金，具体如下表：\n序号\t场馆名称\t补助资金（万元）\n\
             1\t长春市体育中心\t268.40\n2\t吉林市江城体育中心\t224.56\n3\t四平市体育中心\t152.30\n\
             合计\t—\t645.26\n"
        )
    };
    let wrong = table("4");
    expect(&wrong, "count-mismatch", Severity::Error);
    let ok = table("3");
    expect_clean(&ok);
}

#[test]
fn a_contract_with_the_winner_follows_the_opening_of_bids() {
    let text = |signed: &str| {
        format!(
            "本项目委托招标代理公司组织公开招标，于2024年6月18日在市公共资源交易中心开标，中标结果经公示无异议。\n\
             {signed}，医院与中标供应商签订采购合同，约定设备于2024年9月底前到货。\n"
        )
    };
    let early = text("2024年5月27日");
    expect(&early, "date-conflict", Severity::Error);
    let late = text("2024年7月2日");
    expect_clean(&late);
}

#[test]
fn a_class_cannot_end_before_it_began() {
    let text = |end: &str| {
        format!(
            "四是开展业务培训。2023年9月18日至20日，在定西市举办全市法院信息化应用培训班，96人次参训。\n\
             系统运行稳定。{end}培训班结业，参训干警均通过了结业测试。\n"
        )
    };
    let early = text("2023年9月15日");
    expect(&early, "date-conflict", Severity::Error);
    let ok = text("2023年9月20日");
    expect_clean(&ok);
}

#[test]
fn more_cannot_pass_than_took_part() {
    let text = |passed: &str| {
        format!(
            "共组织新设备操作培训21场次，参训医技人员164人，经考核合格并取得上岗授权的{passed}人。\n"
        )
    };
    let more = text("172");
    expect(&more, "part-exceeds-whole", Severity::Error);
    let fewer = text("158");
    expect_clean(&fewer);
}

#[test]
fn the_legal_person_of_the_project_keeps_its_name() {
    let text = |second: &str| {
        format!(
            "项目由阳城县水利局统一组织领导，阳城县水利工程建设管理站作为项目法人具体负责实施。\n\
             2.组织实施。{second}作为项目法人，建立了质量管理、安全生产等制度。\n"
        )
    };
    let renamed = text("阳城县水利工程建设服务中心");
    expect(&renamed, "name-inconsistent", Severity::Warning);
    let same = text("阳城县水利工程建设管理站");
    expect_clean(&same);
}

#[test]
fn an_average_per_household_and_a_sum_due_are_no_counts_or_payments() {
    let text = "全年预算3,150.00万元，执行3,086.52万元，执行率97.98%。\n\
                1.数量指标。全年受理并核验补贴申请1,946台（套）。受益农户1,612户，户均补贴机具1.21台（套）。\n\
                4.成本指标。全年应兑付补贴资金合计3,150.00万元（含跨年兑付的63.48万元），补贴机具1,946台（套）。\n";
    assert!(
        !rules(text).iter().any(|(r, s)| *s == Severity::Error
            && matches!(*r, "quantity-conflict" | "part-exceeds-whole")),
        "{:?}",
        rules(text)
    );
    let paid = text.replace("应兑付", "兑付");
    expect(&paid, "part-exceeds-whole", Severity::Error);
}

#[test]
fn a_source_spent_is_no_second_total() {
    let text = "全年预算3,150.00万元，执行3,086.52万元，执行率97.98%。当年财政拨款2,837.40万元全部执行；\
                上年结转资金312.60万元执行249.12万元，执行率79.69%。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
    let twice = format!("{text}二、结论\n全年执行3,068.52万元。\n");
    expect(&twice, "quantity-conflict", Severity::Error);
}

#[test]
fn a_report_is_signed_after_its_evaluation_ends() {
    let text = |signed: &str| {
        format!(
            "2019年度农村危房改造补助资金项目绩效自评报告\n我乡对2019年度农村危房改造补助资金项目开展了绩效自评。\
             自评工作于2020年3月2日启动，至3月27日结束。\n一、项目概况\n本项目改造危房86户。\n\
             二、结论\n自评等级为优。\n\n\n田林县八渡瑶族乡人民政府\n{signed}\n"
        )
    };
    let early = text("2020年3月16日");
    expect(&early, "date-conflict", Severity::Error);
    let ok = text("2020年3月30日");
    expect_clean(&ok);
}

#[test]
fn one_level_of_indicators_is_no_part_of_another() {
    let text = "一级指标为决策、过程、产出、效益四项，权重依次为15分、20分、40分、25分。\
                其中产出、效益两类三级指标13项，逐项对应年度绩效指标。\n";
    expect_none(text, "part-exceeds-whole", Severity::Error);
}

#[test]
fn the_sum_a_share_is_taken_of_is_no_part() {
    let text = |base: &str| {
        format!(
            "调整后预算92.40万元，实际支出88.56万元。结余3.84万元中，场地改造质保金2.70万元为合同价{base}的5%，\
             按合同约定在质保期满后支付。\n"
        )
    };
    let share = text("54.00万元");
    expect_clean(&share);
}

#[test]
fn a_sentence_that_states_both_counts_tells_them_apart() {
    let text = "年初设定的目标为：建设农业科技示范基地8个，招募特聘农技员6名。\n\
                3.特聘农技员招募。通过公开遴选招募特聘农技员6名，其中1名于8月离职，年末在岗5名。\n\
                指标\t目标值\t实际值\n特聘农技员在岗人数\t=6名\t5名\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn a_score_above_the_rows_weight_is_the_indicators_value() {
    let text = "4.群众满意度。根据年度调查，全省群众食品安全满意度为85.6分，高于82分的目标。\n\
                | 一级指标 | 三级指标 | 目标值 | 实际值 | 分值 | 得分 |\n\
                | 满意度 | 群众食品安全满意度 | ≥82分 | 85.6分 | 10 | 10.00 |\n\
                | 产出 | 抽检批次 | ≥400批次 | 412批次 | 90 | 90.00 |\n";
    expect_none(text, "score-text-vs-table", Severity::Error);
}

#[test]
fn a_target_met_in_its_own_table_row_is_met() {
    let text = "2.作业实施。春季以增雨（雪）为主，开展增雨（雪）作业42次；夏季开展增雨作业118次。\n\
                1.产出指标：增雨（雪）作业不少于150次；防雹作业不少于60次。\n\
                一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n\
                产出指标\t数量指标\t增雨（雪）作业次数\t≥150次\t186次\t8\t8\n\
                产出指标\t数量指标\t防雹作业次数\t≥60次\t64次\t8\t8\n\
                除上述情况外，其余量化指标均达到或超过年度目标值。\n";
    expect_none(text, "target-claim", Severity::Error);
}

#[test]
fn a_total_row_with_one_empty_cell_too_many_keeps_its_columns() {
    let text = |score: &str| {
        format!(
            "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因\n\
             产出指标\t数量指标\t作业次数\t≥150次\t186次\t50\t50\t\n\
             效益指标\t社会效益\t受益人口\t≥10万人\t12万人\t40\t38.53\t\n\
             满意度指标\t服务对象满意度\t满意度\t≥90%\t92.66%\t10\t10\t\n\
             总分\t\t\t\t\t\t100\t{score}\t\n"
        )
    };
    let ok = text("98.53");
    expect_clean(&ok);
    let wrong = text("99.53");
    expect(&wrong, "score-total", Severity::Error);
}

#[test]
fn a_class_named_before_its_end_date_cannot_end_before_it_began() {
    let text = |end: &str| {
        format!(
            "五是开展渡运安全培训，2020年9月14日至16日在县城举办全县渡运安全培训班，培训渡工126人次。\n\
             项目实施总体规范。渡运安全培训班于{end}结业，参训人员全部考核合格。\n"
        )
    };
    let early = text("2020年9月11日");
    expect(&early, "date-conflict", Severity::Error);
    let ok = text("2020年9月16日");
    expect_clean(&ok);
}

#[test]
fn a_contract_with_a_tester_chosen_by_bids_follows_their_opening() {
    let text = |signed: &str| {
        format!(
            "委托检验服务采用公开招标方式分包采购，于2023年3月28日在省公共资源交易中心开标。\n\
             主要原因是省局与承检机构于{signed}签订的委托检验合同约定，第四季度费用跨年结算。\n"
        )
    };
    let early = text("2023年3月10日");
    expect(&early, "date-conflict", Severity::Error);
    let late = text("2023年4月10日");
    expect_clean(&late);
    // A designer engaged before the bids is another party.
    let designer = "施工招标于2023年3月28日开标。\n2023年3月10日与设计单位签订设计合同。\n";
    expect_clean(designer);
}

#[test]
fn one_games_held_and_hosted_in_two_years_is_misdated() {
    let text = |year: &str| {
        format!(
            "二是抓赛事组织。长治市第十届青少年运动会于2023年8月在市体育中心举行，1,800余名运动员参赛。\n\
             全年输送运动员17人。在{year}年8月举办的长治市第十届青少年运动会上，学校代表队承担了示范表演任务。\n"
        )
    };
    let wrong = text("2022");
    expect(&wrong, "date-conflict", Severity::Error);
    let ok = text("2023");
    expect_clean(&ok);
}

#[test]
fn doses_are_counted_in_jici() {
    let text = "全年累计接种免疫规划疫苗12.46万剂次，新生儿首针均按时完成。\n\
                数量方面，全年接种免疫规划疫苗124,060剂次，超过12万剂次的年度目标。\n";
    assert!(
        rules(text).iter().any(|(r, _)| *r == "quantity-conflict"),
        "{:?}",
        rules(text)
    );
    let same = text.replace("124,060剂次", "124,600剂次");
    expect_clean(&same);
}

#[test]
fn a_table_flattened_without_blank_lines_ends_where_the_next_header_begins() {
    let text = |score: &str| {
        format!(
            "\t项目支出绩效自评表（2024年度）\n\t项目名称\n\t残疾人就业创业扶持项目\n\t预算数(A)（万元）\n\
             \t执行数(B)（万元）\n\t执行率(B/A)\n\t得分\n\t186.00\n\t105.74\n\t56.85%\n\t11.37\n\
             \t二、绩效指标完成情况（80分）\n\t一级指标\n\t二级指标\n\t三级指标\n\t年初目标值(A)\n\
             \t实际完成值(B)\n\t分值\n\t得分\n\
             \t产出指标\n\t数量指标\n\t职业技能培训人数\n\t≥300人\n\t326人\n\t40\n\t40.00\n\
             \t效益指标\n\t社会效益指标\n\t就业稳定率\n\t≥85%\n\t82.54%\n\t30\n\t29.12\n\
             \t满意度指标\n\t服务对象满意度\n\t服务对象满意度\n\t≥95%\n\t92.31%\n\t10\n\t9.72\n\
             \t总分\n\t80\n\t{score}\n\t自评等级\n\t良\n"
        )
    };
    let ok = text("78.84");
    assert!(
        !rules(&ok)
            .iter()
            .any(|(r, s)| *s == Severity::Error && matches!(*r, "score-total" | "sum-mismatch")),
        "{:?}",
        rules(&ok)
    );
    let wrong = text("79.84");
    expect(&wrong, "score-total", Severity::Error);
}

#[test]
fn a_count_up_to_a_day_beside_a_late_one_is_not_the_whole() {
    let text = |late: &str| {
        format!(
            "2022年度老旧小区改造项目绩效自评报告\n\
             4月各小区陆续开工。至2022年12月底，11个小区通过竣工验收；{late}\n\
             2.质量：12个小区均通过竣工验收，验收合格率100%。\n"
        )
    };
    let explained =
        text("屏山小区于2023年1月18日通过竣工验收，其改造内容和资金均属于2022年度计划。");
    expect_none(&explained, "quantity-conflict", Severity::Error);
}

#[test]
fn the_unit_that_carried_out_the_evaluation_signs_the_report() {
    let text = |signed: &str| {
        format!(
            "2019年度国家水土保持重点工程项目绩效自评报告\n\
             按照县财政局要求，镇原县水土保持局会同县财政局，于2020年3月2日至3月27日对2019年度项目开展了绩效自评。\n\
             一、项目概况\n本项目治理小流域5条。\n二、结论\n自评等级为优。\n\n{signed}\n2020年4月3日\n"
        )
    };
    let renamed = text("镇原县水土保持工作站");
    expect(&renamed, "name-inconsistent", Severity::Warning);
    let same = text("镇原县水土保持局");
    expect_clean(&same);
}

#[test]
fn a_claim_in_other_words_is_still_a_claim() {
    let text = |claim: &str| {
        format!(
            "2021年度畜牧良种补贴项目绩效自评报告\n\
             （一）产出目标：肉牛良种覆盖率达到85%以上。\n\
             总体来看，项目资金管理规范，{claim}，良种改良成效明显。\n\
             一级指标\t二级指标\t三级指标\t指标值\t实际完成值\t分值\t得分\t偏差原因\n\
             产出指标\t质量指标\t肉牛良种覆盖率\t≥85%\t83.6%\t8\t7\t边远村组冷配覆盖不足\n"
        )
    };
    let claimed = text("年度各项绩效指标全部完成");
    expect(&claimed, "target-claim", Severity::Error);
    // The same words asking a question, or saying the targets were not all met, claim nothing.
    for words in ["年度各项绩效指标完成情况见下表", "年度各项绩效指标均未完成"]
    {
        let text = text(words);
        assert!(
            !has(&text, "target-claim", Severity::Error),
            "{words}: {:?}",
            rules(&text)
        );
    }
}

#[test]
fn a_claim_is_not_disproved_by_a_sample_or_by_another_scope() {
    let text = "2024年度城市照明节能改造项目绩效自评报告\n\
                1.产出目标：完成改造路段不少于18条；区管路灯亮灯率不低于98%。\n\
                全年对十八条路段实施改造。全年巡查维护区管路灯8,420盏，年末亮灯8,302盏，亮灯率98.60%。\
                另据市城市管理局通报，全市城区路灯平均亮灯率97.9%，该数据为全市口径，与本项目统计范围不同。\n\
                自评小组夜间实地抽查改造路段5条，向周边居民发放问卷400份。\n\
                （三）产出（45分，得45分）。各项产出指标均达到目标。\n";
    expect_none(text, "target-claim", Severity::Error);
}

#[test]
fn deductions_item_by_item_add_up_to_the_levels() {
    let text = |second: &str| {
        format!(
            "2024年度乡村振兴产业项目绩效自评报告\n\
             2.过程（满分20分，得18.2分）：质保金按合同约定未支付，扣0.2分；部分档案照片不全，扣{second}分。\n"
        )
    };
    let ok = text("1.6");
    expect_clean(&ok);
    let wrong = text("1.5");
    expect(&wrong, "score-deduction", Severity::Error);
    // Marks given part by part leave some deductions unwritten.
    let partial = "2．过程（20分，得16.6分）。资金到位率100%，得3分；预算执行率94.08%，按执行率计得4.70分；\
                   台账不规范，扣1.0分；缺少退出条款，扣0.5分；记录不完整，扣1.6分。\n";
    expect_none(partial, "score-deduction", Severity::Error);
}

#[test]
fn bands_written_with_a_comparator_and_points_before_wei() {
    let text = |grade: &str| {
        format!(
            "2024年度产业项目绩效自评报告\n\
             评价等级划分为：总分≥85分为“优”，70分（含）至85分为“良”，60分（含）至70分为“中”，60分以下为“差”。\n\
             经自评，本项目得分87.6分，评价等级为“{grade}”。\n"
        )
    };
    expect_clean(&text("优"));
    expect(&text("良"), "grade-band", Severity::Error);
}

#[test]
fn a_satisfaction_rate_is_not_of_the_valid_answers() {
    let text = "2021年度松材线虫病防治项目绩效自评报告\n\
                林农满意度调查发放问卷400份，回收有效问卷382份，满意度95.2%。\n";
    expect_clean(text);
    let counted = "2021年度松材线虫病防治项目绩效自评报告\n\
                   发放问卷400份，回收有效问卷382份，其中表示满意的356份，满意度95.2%。\n";
    expect(counted, "percent-of-parts", Severity::Error);
}

#[test]
fn a_share_of_another_stated_scope_is_not_the_projects() {
    let text = "2024年度衔接资金产业项目绩效自评报告\n\
                2024年下达我乡衔接推进乡村振兴补助资金586万元，全年实际支出579.32万元，预算执行率98.86%。\n\
                县农业农村局公布的“全县衔接资金用于产业发展的比重为62.4%”为全县口径；\
                本乡586万元资金全部用于产业发展，两者统计范围不同。\n";
    expect_clean(text);
}

#[test]
fn a_balance_written_in_yuan_agrees_to_the_fen() {
    let text = |left: &str| {
        format!(
            "2022年度公共法律服务项目绩效自评报告\n\
             项目预算3,460,000.00元，实际支出3,318,650.40元，结余{left}元，结余资金已收回。\n"
        )
    };
    expect_clean(&text("141,349.60"));
    let wrong = text("141,394.60");
    let f = findings(&wrong);
    assert!(
        f.iter()
            .any(|f| f.rule == "sum-mismatch" && f.message.contains("141349.60元")),
        "{f:?}"
    );
}

#[test]
fn a_change_between_two_dated_figures() {
    let text = |rate: &str| {
        format!(
            "2019年度河道保洁项目绩效自评报告\n\
             2018年河道垃圾清运量412吨，2019年356吨，减少56吨，减少幅度{rate}。\n"
        )
    };
    expect_clean(&text("13.59%"));
    expect(&text("13.95%"), "percent-of-parts", Severity::Error);
}

#[test]
fn a_table_rows_result_against_the_prose() {
    let text = |prose: &str| {
        format!(
            "2021年度气象防灾减灾项目绩效自评报告\n\
             一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因\n\
             产出\t数量指标\t区域自动气象站升级改造数量\t≥12套\t12套\t6\t6\t\n\
             四、产出\n全年完成区域自动气象站升级改造{prose}、预警大喇叭40套。\n"
        )
    };
    expect_clean(&text("12套"));
    expect(&text("21套"), "quantity-conflict", Severity::Error);
}

#[test]
fn a_list_after_dui_counted_after_it() {
    let text = |list: &str| {
        format!(
            "2022年度食品安全抽检项目绩效自评报告\n\
             年初制定抽检计划，重点对{list}五类高风险食品加大抽检频次。\n"
        )
    };
    let ok = text("食用农产品、肉制品、水产品、乳制品、餐饮自制食品");
    expect_clean(&ok);
    let short = text("食用农产品、肉制品、水产品、餐饮自制食品");
    expect(&short, "count-mismatch", Severity::Error);
    // A list counted by its own last words, before another count.
    let places = "2022年度体育场馆免费开放项目绩效自评报告\n\
                  由群众体育处牵头，对长春、吉林、延边三地4个场馆进行现场抽查。\n";
    expect_clean(places);
}

#[test]
fn a_coded_level_is_the_sum_of_its_coded_children() {
    let text = |c: &str| {
        format!(
            "2022年度项目绩效自评报告\n项目\t权重分\t得分\t得分率\n\
             A项目决策\t20.00\t18.50\t92.50%\nB项目管理\t20.00\t18.20\t91.00%\n\
             C项目绩效\t60.00\t{c}\t86.50%\n其中：C1产出\t30.00\t26.40\t88.00%\n\
             C2效益\t20.00\t17.20\t86.00%\nC3满意度\t10.00\t8.60\t86.00%\n合计\t100.00\t88.60\t88.60%\n"
        )
    };
    let wrong = text("51.90");
    expect(&wrong, "score-total", Severity::Error);
    let ok = text("52.20")
        .replace("88.60", "88.90")
        .replace("86.50%", "87.00%");
    expect_none(&ok, "score-total", Severity::Error);
}

#[test]
fn an_execution_rate_of_the_total_investment_on_its_line() {
    let text = |rate: &str| {
        format!(
            "2021年度高标准农田建设项目绩效自评报告\n\
             项目计划建设高标准农田5.2万亩，总投资7800万元。截至2021年12月31日，项目资金到位7488万元，\
             累计支出7412.36万元，预算执行率{rate}。\n"
        )
    };
    expect_clean(&text("95.03%"));
    // A share of the figure right before it, in another unit than two counts earlier.
    let share = "2021年度高标准农田建设项目绩效自评报告\n\
                 评价组对3个标段中的21个行政村进行了实地抽查，抽查面积1.93万亩，占建设面积的37.12%。\n";
    expect_clean(share);
}

#[test]
fn one_sources_rate_against_its_own_two_sums() {
    let text = |rate: &str| {
        format!(
            "2021年度高标准农田建设项目绩效自评报告\n\
             中央和省级资金于2021年6月前全部下达；县级配套资金1560万元，实际到位1248万元，到位率{rate}。\n"
        )
    };
    expect_clean(&text("80.00%"));
    expect(&text("82.00%"), "percent-of-parts", Severity::Error);
}

#[test]
fn a_claims_exception_names_the_line_label() {
    let text = "2023年度嵌入式养老服务项目绩效自评报告\n\
                4.家庭养老床位。年度计划建设30张，实际建成28张。\n\
                除家庭养老床位因服务对象原因核减2张外，其余产出、效益和满意度指标均达到或超过年度目标。\n";
    expect_none(text, "target-claim", Severity::Error);
}

#[test]
fn a_rate_of_the_larger_count_against_an_earlier_whole() {
    let text = "2019年度非遗保护项目绩效自评报告\n\
                两期共招收学员34人，超过30人的目标；结业32人，另有2人因外出务工中途退出，结业率94.1%，高于90%的目标。\n";
    expect_clean(text);
}

#[test]
fn labels_and_values_under_a_title_naming_both_lines() {
    let text = |total: &str| {
        format!(
            "2022年度农技推广项目绩效自评报告\n\
             综合评分86.6分，评价等级为“良”。\n\
             附：分值及得分\n\
             预算执行\t产出指标\t效益指标\t合计\t20\t40\t40\t100\t得分\t\n\
             预算执行\t产出指标\t效益指标\t合计\t18\t34.5\t34.1\t{total}\n"
        )
    };
    let ok = text("86.6");
    expect_clean(&ok);
    let wrong = text("68.6");
    expect(&wrong, "score-total", Severity::Error);
}

#[test]
fn a_unit_named_with_words_left_out_or_put_in() {
    for (cover, body) in [
        (
            "委托单位：沈丘县农业农村局",
            "领导小组办公室设在沈丘县农业局，具体负责项目实施。",
        ),
        (
            "项目单位：宜昌市退役军人事务局",
            "项目由宜昌市退役军人事务管理局就业创业科牵头组织。",
        ),
    ] {
        let text = format!("2021年度项目支出绩效自评报告\n\n{cover}\n一、项目概况\n{body}\n");
        assert!(
            has(&text, "name-inconsistent", Severity::Warning),
            "{cover}: {:?}",
            rules(&text)
        );
    }
}

#[test]
fn a_count_before_a_colon_against_longer_names() {
    let text = |list: &str| {
        format!(
            "2020年度退役军人培训项目绩效自评报告\n\
             经公开招标，市局确定了6家承训机构：{list}。\n"
        )
    };
    let ok = text(
        "宜昌市技师学院、三峡电力职业学院、宜昌市高级技工学校、宜昌市就业训练中心、宜昌市创业孵化示范基地、宜昌华中职业培训学校",
    );
    expect_clean(&ok);
    let short = text(
        "宜昌市技师学院、三峡电力职业学院、宜昌市高级技工学校、宜昌市就业训练中心、宜昌市创业孵化示范基地",
    );
    expect(&short, "count-mismatch", Severity::Error);
}

#[test]
fn an_indicator_count_against_the_table_it_refers_to() {
    let rows = [
        "| 产出指标 | 数量指标 | 城乡居民参保人数 | ≥560万人 | 571.23万人 | 完成 |",
        "| 产出指标 | 数量指标 | 门诊慢特病保障病种 | ≥50种 | 58种 | 完成 |",
        "| 产出指标 | 时效指标 | 补助资金拨付及时率 | 100% | 100% | 完成 |",
        "| 效益指标 | 社会效益 | 脱贫人口参保率 | ≥99% | 100% | 完成 |",
        "| 满意度指标 | 服务对象满意度 | 参保群众满意度 | ≥90% | 92.4% | 完成 |",
    ];
    let text = |count: &str| {
        format!(
            "2023年度城乡居民医保补助资金绩效自评报告\n\
             2.年度绩效指标：本年度设置产出、效益、满意度三级指标共{count}项（详见附表2）。\n\
             附表2：绩效目标完成情况表\n\
             | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 完成情况 |\n\
             |---|---|---|---|---|---|\n{}\n",
            rows.join("\n")
        )
    };
    expect_clean(&text("5"));
    expect(&text("6"), "count-mismatch", Severity::Error);
}

#[test]
fn a_target_without_a_comparator_beside_others_that_have_one() {
    let text = "2021年度农村饮水工程维修养护项目绩效自评报告\n\
                （二）年度绩效目标\n\
                1.数量指标：维修更换管网≥3.5公里；维修集中供水点12处；水源清淤≥6处。\n\
                三、绩效目标完成情况\n\
                1.产出情况。2021年，全乡共维修更换管网3.6公里，维修集中供水点11处，清淤水源7处。\n\
                综上，本项目各项绩效指标均已完成。\n";
    expect(text, "target-claim", Severity::Error);
}

#[test]
fn a_rate_stated_once_under_its_own_last_words_is_the_targets_result() {
    let text = |words: &str| {
        format!(
            "2020年度退役军人培训项目绩效自评报告\n（二）绩效目标\n\
             2.效益指标：参训学员培训后就业率不低于80%；建立培训就业跟踪服务机制。\n\
             三、项目实施情况\n\
             1.就业情况。我中心对结业学员进行了3个月跟踪回访，已有372名学员实现就业，就业率76.54%{words}。\n"
        )
    };
    let bare = text("");
    expect(&bare, "target-shortfall", Severity::Warning);
    let explained = text("，未达到目标的原因是部分学员选择继续升学");
    expect_clean(&explained);
}

#[test]
fn a_budget_stated_after_a_rate_per_head() {
    let text = |left: &str| {
        format!(
            "2022年度基本公共卫生服务项目绩效自评报告\n\
             1.县卫生健康委员会按辖区常住人口和人均84元标准下达本院2022年基本公共卫生服务补助资金390.60万元。\n\
             2.全年实际支出372.80万元，预算执行率95.44%，年末结余{left}万元。\n"
        )
    };
    expect_clean(&text("17.80"));
    expect(&text("18.20"), "sum-mismatch", Severity::Error);
}

#[test]
fn names_with_words_put_in_or_three_left_out() {
    let fund = "2021年度湖南省残疾人托养服务补助资金绩效自评报告\n一、项目概况\n本项目为湖南省残疾人托养服务补助资金。\n\
                （四）将自评结果作为2022年湖南省残疾人托养照料服务补助资金分配的重要因素。\n";
    expect(fund, "name-inconsistent", Severity::Warning);
    let unit = "2019年度公共文化场馆免费开放项目绩效自评报告\n\n湖北省文化和旅游厅\n一、项目概况\n\
                项目由湖北省文化厅公共服务处牵头管理。\n";
    expect(unit, "name-inconsistent", Severity::Warning);
    // The name said shorter is the same name.
    let short = "2021年度湖南省残疾人托养照料服务补助资金绩效自评报告\n一、项目概况\n\
                 本项目为湖南省残疾人托养服务补助资金。\n";
    expect_clean(short);
}

#[test]
fn a_count_before_a_colon_against_company_names() {
    let text = |n: &str| {
        format!(
            "2024年度农业保险保费补贴项目绩效自评报告\n\
             3.县内共有承保机构{n}家：中国人民财产保险股份有限公司南部支公司、中华联合财产保险股份有限公司南部支公司、\
             中国太平洋财产保险股份有限公司南部支公司、国元农业保险股份有限公司南部支公司。\n"
        )
    };
    expect_clean(&text("4"));
    expect(&text("5"), "count-mismatch", Severity::Error);
}

#[test]
fn one_acceptance_told_in_two_years_with_a_dotted_month() {
    let text = |when: &str| {
        format!(
            "2021年度农村危房改造项目绩效自评报告\n\
             4.于2021年11月底前全部通过竣工验收，验收结果在各村公示栏公示7天，无异议。\n\
             3.组织实施：{when}组织县住建局、镇村镇建设服务中心联合竣工验收，验收资料基本齐全。\n"
        )
    };
    expect_clean(&text("2021.11"));
    expect(&text("2020.11"), "date-conflict", Severity::Error);
}

#[test]
fn a_count_closing_its_line_against_numbered_lines_below() {
    let text = |n: &str| {
        format!(
            "2023年度文物安全防范设施项目绩效自评报告\n\
             2.安防系统建设内容包括{n}个子系统：\n（1）入侵和紧急报警系统；\n（2）视频监控系统；\n（3）出入口控制系统。\n"
        )
    };
    expect_clean(&text("三"));
    expect(&text("四"), "count-mismatch", Severity::Error);
    // A heading naming a thing, with its reasons numbered below.
    let heading = "2022年度残疾人事业项目绩效自评报告
1.五个专门协会活动：
                   （1）结合章程开展活动；
（2）落实协会经费；
（3）各协会制定了章程。
";
    expect_clean(heading);
}

#[test]
fn a_rate_of_a_part_counted_within_a_whole_in_another_unit() {
    let text = |rate: &str| {
        format!(
            "2022年度职业技能提升行动项目绩效自评报告\n\
             3.参训21,560人次中取证18,742人，培训合格率{rate}。\n"
        )
    };
    expect_clean(&text("86.9%"));
    expect(&text("87.9%"), "percent-of-parts", Severity::Error);
    // 中心 is no "of which".
    let centres = "2024年度村级文化中心项目绩效自评报告\n\
                   3.质量和时效。48个中心全部一次性通过验收，验收合格率100%。\n";
    expect_clean(centres);
}

#[test]
fn rows_indented_by_an_empty_cell_line_up_with_the_header() {
    let text = |total: &str| {
        format!(
            "2020年度中医药传承创新发展项目绩效自评表\n\
             项目资金\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\
             \t年度资金总额\t380.00\t380.00\t{total}\t10\t92.80%\t9.28\n\
             \t其中：中央补助资金\t300.00\t300.00\t285.20\t—\t—\t—\n\
             \t省级财政资金\t80.00\t80.00\t67.44\t—\t—\t—\n"
        )
    };
    expect_none(&text("352.64"), "sum-mismatch", Severity::Error);
    expect(&text("362.64"), "sum-mismatch", Severity::Error);
}

#[test]
fn a_grade_given_as_the_conclusion() {
    let text = |grade: &str| {
        format!(
            "2020年度中医药传承创新发展项目绩效自评报告\n\
             按照省级项目支出绩效自评要求，本项目自评得分98.28分，自评结论为“{grade}”。\n"
        )
    };
    expect_clean(&text("优"));
    expect(&text("良"), "grade-band", Severity::Error);
}

#[test]
fn parts_listed_one_per_line_below_a_closing_qizhong() {
    let text = |last: &str| {
        format!(
            "2023年度两癌筛查项目绩效自评报告\n（三）资金使用\n\
             全年实际支出1,203,580.00元，预算执行率93.56%。其中：\n\
             1.宫颈癌筛查（HPV检测、细胞学检查）费用742,600.00元；\n\
             2.乳腺癌筛查（乳腺彩超、钼靶检查）费用398,480.00元；\n\
             3.宣传动员及人员培训费用41,200.00元；\n\
             4.质量控制及信息管理费用{last}元。\n"
        )
    };
    expect_clean(&text("21,300.00"));
    expect(&text("30,300.00"), "sum-mismatch", Severity::Error);
}

#[test]
fn a_result_told_after_the_clause_that_names_the_work() {
    let text = |done: &str| {
        format!(
            "2019年度退耕还林项目绩效自评报告\n（二）绩效目标\n\
             产出指标：补植补造面积≥1.2万亩。\n（三）总体结论\n\
             年度绩效指标全面完成，资金使用规范。\n三、绩效分析\n\
             二是补植补造。对缺株断行、林分质量差的地块进行补植补造，全年完成{done}万亩。\n"
        )
    };
    expect_clean(&text("1.26"));
    expect(&text("1.16"), "target-claim", Severity::Error);
}

#[test]
fn a_sum_per_village_is_no_part_of_a_rate() {
    let text = |rate: &str| {
        format!(
            "2023年度村级组织运转经费项目绩效自评报告\n\
             4.服务群众专项经费。每村安排5万元，共安排70.00万元，全年实际使用66.50万元，使用率{rate}。\n"
        )
    };
    expect_clean(&text("95.00%"));
    expect(&text("96.50%"), "percent-of-parts", Severity::Error);
}

#[test]
fn a_target_counted_in_other_words_has_its_result() {
    let text = |result: &str| {
        format!(
            "2023年度智慧法院运维项目绩效自评报告\n\
             一、绩效目标\n数量指标：科技法庭运维数量≥28个；\n\
             二、完成情况\n{result}\n"
        )
    };
    // The courts are counted before their own name, and the snow area under its last words.
    let counted = text("运维单位对全市两级法院12套业务系统和28个科技法庭开展日常巡检。");
    expect_none(&counted, "target-no-actual", Severity::Warning);
    let absent = text("运维单位对全市两级法院12套业务系统开展日常巡检。");
    expect(&absent, "target-no-actual", Severity::Warning);
    let area = "2024年度冬季清冰雪专项经费项目绩效自评报告\n\
                年初设定的绩效目标为：街道负责区域清冰雪作业面积不少于60万平方米。\n\
                1.作业面积。全年完成清冰雪作业面积61.4万平方米。\n";
    expect_none(area, "target-no-actual", Severity::Warning);
    // Another patient group managed is no result of this one.
    let other = "2022年度基本公共卫生服务项目绩效自评报告\n\
                 绩效目标：2型糖尿病患者规范管理人数≥3.6万人；\n\
                 完成情况：全区高血压患者规范管理9.83万人。\n";
    expect(other, "target-no-actual", Severity::Warning);
}

#[test]
fn a_share_of_a_whole_stated_in_the_paragraph_before() {
    let text = |rate: &str| {
        format!(
            "2021年度公共图书馆免费开放项目绩效自评报告\n\
             3.资金支出。截至2021年12月31日，实际支出79.64万元，结余6.36万元。\n\
             4.支出结构。文献资源购置41.30万元，占实际支出的{rate}，是项目支出的主体。\n"
        )
    };
    expect_clean(&text("51.86%"));
    expect(&text("54.86%"), "percent-of-parts", Severity::Error);
}

#[test]
fn one_review_told_in_two_years_with_the_same_sample() {
    let text = |year: &str| {
        format!(
            "2019年度法律援助项目绩效自评报告\n\
             2019年10月，省法律援助中心组织开展全省法律援助案件质量评查，随机抽查案卷1,200件，合格1,174件。\n\
             二、存在问题\n\
             在本年度组织的全省案件质量评查（{year}年10月）中，抽查的1,200件案卷有部分存在证据材料不全等问题。\n"
        )
    };
    expect_none(&text("2019"), "date-conflict", Severity::Error);
    expect(&text("2018"), "date-conflict", Severity::Error);
}

#[test]
fn a_caption_set_off_by_spaces_is_no_header_and_a_row_is_said_in_other_words() {
    let text = |prose: &str| {
        format!(
            "2019年度法律援助项目绩效自评报告\n\
             表1  绩效指标完成情况\n\
             指标\t年度目标\t实际完成\n\
             受理法律援助案件\t≥8万件\t86,412件\n\
             提供法律咨询\t≥50万人次\t52.6万人次\n\
             \n\
             1.产出指标。全年受理法律援助案件86,412件。各级法律援助工作站共解答群众法律咨询{prose}万人次。\n"
        )
    };
    expect_none(&text("52.6"), "quantity-conflict", Severity::Error);
    expect(&text("54.1"), "quantity-conflict", Severity::Error);
}

#[test]
fn parts_in_brackets_after_their_sum() {
    let text = |part: &str| {
        format!(
            "2019年度法律援助项目绩效自评报告\n\
             1.预算。2019年度预算3,600.00万元，其中分配市县3,420.00万元（17个省辖市{part}万元，济源市和10个省直管县1,040.00万元），省法律援助中心本级180.00万元。\n"
        )
    };
    expect_clean(&text("2,380.00"));
    expect(&text("2,280.00"), "sum-mismatch", Severity::Error);
    // A change in brackets is no breakdown.
    let change = "2020年度预算3,600.00万元（较上年增加200.00万元，其中省级100.00万元）。\n";
    expect_clean(change);
}

#[test]
fn a_numbered_level_with_its_mark_in_brackets_and_its_score_at_the_end() {
    let text = |score: &str| {
        format!(
            "2024年度森林草原防火项目绩效自评报告\n\
             | 一级指标 | 权重 | 得分 |\n| --- | --- | --- |\n\
             | 决策 | 10 | 9.50 |\n| 产出 | 40 | 38.00 |\n| 合计 | 50 | 47.50 |\n\
             1.决策（10分）：项目符合旗防火规划，但部分指标未量化，得9.50分。\n\
             2.产出（40分）：护林员、扑火队任务落实到位，部分工作量统计依据不够完整，得{score}分。\n"
        )
    };
    expect_none(&text("38.00"), "score-text-vs-table", Severity::Error);
    expect(&text("37.00"), "score-text-vs-table", Severity::Error);
    // A criterion with several conditional scores is no level's score.
    let criteria = "| 一级指标 | 权重 | 得分 |\n| --- | --- | --- |\n| 合理性 | 4 | 4 |\n\
                    2.合理性（4分）：目标明确的，得4分；部分明确的，得2分。\n";
    expect_none(criteria, "score-text-vs-table", Severity::Error);
}

#[test]
fn a_set_named_before_its_count_and_after_it() {
    let text = |later: &str| {
        format!(
            "2024年度森林草原防火项目绩效自评报告\n\
             乡政府聘用专职护林员38名，组建半专业扑火队2支。\n\
             五、存在问题\n\
             （一）护林员队伍老化。全乡{later}专职护林员平均年龄超过55岁。\n"
        )
    };
    expect_none(&text("38名"), "quantity-conflict", Severity::Warning);
    expect(&text("36名"), "quantity-conflict", Severity::Warning);
    // Some of the set, narrowed by a clause ending in 的, are counted apart.
    let sample =
        "全年为辅具适配对象1,108人提供服务。\n在回访的1,069名适配对象中，有明显改善的958人。\n";
    expect_none(sample, "quantity-conflict", Severity::Warning);
}

#[test]
fn a_unit_signed_above_its_date_with_attachments_after() {
    let mut text = String::from(
        "2020年度农村公路养护资金项目支出绩效自评报告\n\n项目名称：农村公路养护资金\n\
         主管部门：建始县交通运输局\n实施单位：建始县农村公路管理局\n",
    );
    for k in 0..6 {
        text.push_str(&format!("{k}.本年度养护工作按计划推进。\n"));
    }
    text.push_str("建始县公路管理局\n2021年4月2日\n\n附件：\n");
    for k in 0..12 {
        text.push_str(&format!("附表{k}\t说明\n"));
    }
    expect(&text, "name-inconsistent", Severity::Warning);
}

#[test]
fn equipment_installed_before_its_tender() {
    let text = |day: &str| {
        format!(
            "2023年度乡镇卫生院能力建设项目绩效自评报告\n\
             2023年6月12日完成设备公开招标，采购DR一台、彩色多普勒超声诊断仪一台。\n\
             中医馆改造7月开工，2023.09.20竣工验收。\n\
             3.设备使用：DR于{day}安装调试完毕投入使用，全年拍片2,318人次。\n"
        )
    };
    expect_none(&text("2023.07.30"), "date-conflict", Severity::Error);
    expect(&text("2023.05.30"), "date-conflict", Severity::Error);
}

#[test]
fn one_document_issued_in_two_months() {
    let text = |month: &str| {
        format!(
            "2022年度保障性租赁住房项目绩效自评报告\n\
             我市于2022年1月印发《嘉兴市加快发展保障性租赁住房实施方案》，明确筹集任务。\n\
             三、决策情况\n依据{month}印发的《嘉兴市加快发展保障性租赁住房实施方案》安排资金，立项依据充分。\n"
        )
    };
    expect_none(&text("2022年1月"), "date-conflict", Severity::Error);
    expect(&text("2021年11月"), "date-conflict", Severity::Error);
}

#[test]
fn batches_counted_against_the_months_listed() {
    let text = |months: &str| {
        format!(
            "2019年度学生营养改善计划绩效自评报告\n\
             委托第三方检测机构对大宗食材开展抽检，全年抽检四批次，分别在{months}进行。\n"
        )
    };
    expect_clean(&text("3月、6月、9月、11月"));
    expect(&text("3月、6月、10月"), "count-mismatch", Severity::Error);
}

#[test]
fn an_indicator_count_against_the_table_it_names() {
    let text = |count: &str| {
        format!(
            "2021年度公共图书馆免费开放项目绩效自评报告\n\
             2.年度绩效指标。年初共设定三级指标{count}项，指标值及完成情况见表2。\n\
             表2  2021年度绩效指标完成情况\n\
             指标名称\t目标值\t实际完成值\n\
             年接待读者人次\t≥52万人次\t56.3万人次\n\
             举办阅读推广活动\t≥150场\t162场\n\
             总分馆图书流转\t≥4次\t4次\n\
             读者满意度\t≥90%\t95.33%\n"
        )
    };
    expect_none(&text("4"), "count-mismatch", Severity::Error);
    expect(&text("5"), "count-mismatch", Severity::Error);
}

#[test]
fn a_completion_rate_is_not_of_a_part_named_after_of_which() {
    let text = "2023年度殡葬改革项目绩效自评报告\n\
                1.数量指标：新建和改扩建农村公益性公墓4座，其中洋坪镇一座2024年1月验收但属本年度任务，完成率100%。\n";
    expect_none(text, "percent-of-parts", Severity::Error);
}

#[test]
fn two_things_accepted_and_finished_in_one_sentence() {
    let text = |done: &str| {
        format!(
            "2023年度殡葬改革项目绩效自评报告\n\
             新建公墓4座，其中三座于2023年10月至11月通过验收，洋坪镇一座于2023年12月26日主体完工，于2024年1月12日通过县级竣工验收。\n\
             另：本年度第二批公墓于{done}完工，全部公墓于2023年11月20日前通过县级验收。\n"
        )
    };
    expect_none(&text("2023年11月10日"), "date-conflict", Severity::Error);
    expect(&text("2023年11月28日"), "date-conflict", Severity::Error);
}

#[test]
fn county_level_and_above_is_not_county_level() {
    let text = "2024年度公共法律服务项目绩效自评报告\n\
                全年新创建县级民主法治示范村两个、市级民主法治示范村一个。\n\
                三级指标\t指标值\t实际完成值\t权重\t得分\n                新创建县级以上民主法治示范村\t≥2个\t3个\t10\t10\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn score_lines_each_with_the_labels_and_one_title() {
    let text = |rate: &str| {
        format!(
            "2019年度农村饮水安全工程巡检维护项目绩效自评报告\n\
             一级指标得分情况：\n\
             一级指标\t决策\t过程\t产出\t效益\t合计\t权重\t15\t25\t40\t20\t100\n\
             一级指标\t决策\t过程\t产出\t效益\t合计\t得分\t12.60\t21.40\t30.80\t14.80\t79.60\n\
             一级指标\t决策\t过程\t产出\t效益\t合计\t得分率\t84.00%\t85.60%\t{rate}\t74.00%\t79.60%\n"
        )
    };
    expect_none(&text("77.00%"), "score-rate", Severity::Error);
    expect(&text("75.00%"), "score-rate", Severity::Error);
}

#[test]
fn an_indicator_count_against_the_table_below() {
    let text = |count: &str| {
        format!(
            "2021年度水土保持项目绩效自评报告\n\
             按照批复的绩效目标表，年度共设置三级指标{count}项，具体见下表：\n\
             | 一级指标 | 二级指标 | 三级指标 | 年度指标值 |\n| --- | --- | --- | --- |\n\
             | 产出指标 | 数量指标 | 新修梯田面积 | ≥0.4万亩 |\n\
             | 产出指标 | 数量指标 | 新建蓄水池数量 | 40处 |\n\
             | 产出指标 | 质量指标 | 工程验收合格率 | 100% |\n\
             | 效益指标 | 满意度指标 | 项目区群众满意度 | ≥90% |\n"
        )
    };
    expect_none(&text("四"), "count-mismatch", Severity::Error);
    expect(&text("五"), "count-mismatch", Severity::Error);
    // Neither the count of indicators nor the table it names is a target without a result.
    assert!(
        !findings(&text("四"))
            .iter()
            .any(|f| f.rule == "target-no-actual" && f.lines.contains(&2)),
        "{:?}",
        rules(&text("四"))
    );
}

#[test]
fn an_indicator_count_against_a_flattened_table_of_numbered_rows() {
    let text = |count: &str| {
        let mut t = format!(
            "2020年度就业见习补贴项目绩效评价报告\n\
             本项目共设置三级绩效指标{count}项，各项指标目标值及完成值详见附表2。\n\n\
             附表2 2020年就业见习补贴项目绩效指标完成情况\n序号及三级指标\n年度目标值\n实际完成值\n"
        );
        for (k, (name, goal, done)) in [
            ("见习人数", "≥9,000人", "9,642人"),
            ("募集见习岗位", "≥12,000个", "12,460个"),
            ("新认定省级见习示范基地", "≥50家", "56家"),
            ("见习期满留用率", "≥30%", "34.23%"),
        ]
        .iter()
        .enumerate()
        {
            t.push_str(&format!("{}.{name}\n{goal}\n{done}\n", k + 1));
        }
        t
    };
    expect_none(&text("4"), "count-mismatch", Severity::Error);
    expect(&text("5"), "count-mismatch", Severity::Error);
}

#[test]
fn a_rate_of_those_who_stayed_and_those_who_left() {
    let text = "2020年度乡村公益性岗位项目绩效自评报告\n\
                6.在岗情况。全年有6人因外出务工中途退出，年末在岗74人，持续在岗率92.5%。\n";
    expect_none(text, "percent-of-parts", Severity::Error);
}

#[test]
fn kinds_counted_against_the_kinds_listed() {
    let kinds =
        |list: &str| format!("2020年度乡村公益性岗位项目绩效自评报告\n岗位类型共5类：{list}。\n");
    let five = kinds("保洁员38人、护路员20人、水管员12人、治安协管员10人、护林员6人");
    expect_clean(&five);
    let four = kinds("保洁员38人、护路员20人、水管员12人、治安协管员10人");
    expect(&four, "count-mismatch", Severity::Error);
    let big = "2022年度应急物资储备项目绩效自评报告\n省级储备物资分为五大类：帐篷类、被服类、床具类、照明类。\n";
    expect(big, "count-mismatch", Severity::Error);
}

#[test]
fn a_slogan_counts_its_items() {
    let text = |list: &str| {
        format!(
            "2022年度禁毒宣传项目绩效自评报告\n1.深入开展禁毒宣传“六进”活动，即{list}，组织民警、志愿者分片包干。\n"
        )
    };
    let six = text("进机关、进学校、进社区、进农村、进家庭、进场所");
    expect_clean(&six);
    let five = text("进机关、进学校、进社区、进农村、进家庭");
    expect(&five, "count-mismatch", Severity::Error);
}

#[test]
fn acceptance_before_completion_each_told_once() {
    let text = |day: &str| {
        format!(
            "2021年度森林抚育项目绩效自评报告\n\
             一、绩效目标\n5.抚育作业于2021年10月31日前完工；\n\
             二、实施情况\n经县林草局批复后，于2021年4月12日开工。\n\
             县林草局于{day}对全乡抚育作业进行了全面检查验收，验收资料已归档。\n\
             三、完成情况\n3.时效指标。各作业组于2021年10月25日全部完工，比计划提前6天。\n"
        )
    };
    expect_none(&text("2021年11月8日"), "date-conflict", Severity::Error);
    expect(&text("2021年9月28日"), "date-conflict", Severity::Error);
}

#[test]
fn a_vaccination_density_of_the_animals_due_and_done() {
    let text = |rate: &str| {
        format!(
            "2020年度动物疫病强制免疫项目绩效自评报告\n14.口蹄疫免疫。全市生猪应免41.26万头，实免39.87万头，免疫密度{rate}。\n"
        )
    };
    expect_clean(&text("96.63%"));
    expect(&text("97.63%"), "percent-of-parts", Severity::Error);
}

#[test]
fn an_exception_that_points_back_at_the_shortfalls_told_above() {
    let text = "2020年度基层农技推广项目绩效自评报告\n\
                项目共设置三级指标：培育农业科技示范主体600户；服务对象满意度≥90%。\n\
                三、完成情况\n3.培育农业科技示范主体588户，完成率98.00%，按完成比例得9.8分。\n\
                四、偏离原因\n2.示范主体培育588户，较目标少12户：6户因土地流转退出经营。除上述两项外，其余指标均达到或超过年度目标值。\n";
    expect_none(text, "target-claim", Severity::Error);
}

#[test]
fn a_column_of_the_year_before_is_no_figure_of_this_year() {
    let text = "2023年度乡镇综合文化站项目绩效自评报告\n\
                全年支出126,080元，预算执行率98.50%。支出构成如下：\n\
                支出项目\t上年支出（元）\t本年支出（元）\n\
                文化活动开展\t41,300\t48,600\n\
                免费开放运行\t67,100\t77,480\n\
                合计\t108,400\t126,080\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn all_of_a_whole_with_a_part_named_after_it() {
    let text = "2022年度儿童福利机构运转项目绩效自评报告\n\
                3.特殊教育：适龄儿童62名全部入学，其中送教上门11名，入学率100%。\n";
    expect_none(text, "percent-of-parts", Severity::Error);
}

#[test]
fn a_baseline_and_a_result_in_one_table_row() {
    let text = "2020年度小型水库除险加固项目绩效自评报告\n\
                | 指标 | 基期值 | 目标值 | 实际完成值 |\n| --- | --- | --- | --- |\n\
                | 主体工程完工时间 | 2019年6月 | 2020年主汛期前 | 2020年6月 |\n";
    expect_none(text, "date-conflict", Severity::Error);
}

#[test]
fn a_rate_after_a_semicolon_belongs_to_another_subject() {
    let text = "2024年度城市生活垃圾分类项目绩效自评报告\n\
                全省安排省级补助资金3.20亿元，实际支出3.01亿元，预算执行率94.06%。\n\
                其中，汕头市获省级补助32,000,000元，实际支出3,136万元，执行率最高；湛江市执行率88.00%，为各市最低。\n";
    expect_none(text, "percent-of-parts", Severity::Error);
}

#[test]
fn a_count_of_indicators_over_groups_of_them() {
    let text = "2024年度城市生活垃圾分类项目绩效自评报告\n\
                项目设置三级指标六项：\n\
                （一）产出指标：支持新建改造分类投放点≥8,000个；配置分类运输车辆≥600辆；资金下达及时率100%。\n\
                （二）效益指标：全省城市生活垃圾回收利用率≥35%；城市生活垃圾无害化处理率100%。\n\
                （三）满意度指标：居民满意度≥85%。\n";
    expect_none(text, "count-mismatch", Severity::Error);
}

#[test]
fn a_cover_name_after_a_bookmark_is_the_units_name() {
    let text = "[bookmark: _Toc5120]湄潭县科学技术协会\n2018年度部门整体支出绩效自评报告\n\n\
                一、部门基本情况\n本部门全年开展科普活动36场。\n\n\
                湄潭县科学技术局\n二〇一九年四月十二日\n";
    expect(text, "name-inconsistent", Severity::Warning);
    let same = text.replace("湄潭县科学技术局", "湄潭县科学技术协会");
    expect_none(&same, "name-inconsistent", Severity::Warning);
}

#[test]
fn a_body_of_the_units_place_with_two_words_changed_is_misnamed() {
    let text = "宁波市城市管理局\n2021年度城市道路桥梁维护项目支出绩效自评报告\n\
                项目由宁波市市政设施管理中心具体实施，全年养护道路412条。\n\
                下一步，由宁波市市政设施养护中心牵头建立应急抢修调度机制。\n";
    expect(text, "name-inconsistent", Severity::Warning);
    // Two bodies that differ in a number, or in most of their function, are two bodies.
    let two = text.replace("市政设施养护中心", "市政设施第二中心");
    expect_none(&two, "name-inconsistent", Severity::Warning);
    let other = text.replace("市政设施养护中心", "城市照明管理中心");
    expect_none(&other, "name-inconsistent", Severity::Warning);
    // An old name told as one is no mistake.
    let old = text.replace("由宁波市市政设施养护中心", "由原宁波市市政设施养护中心");
    expect_none(&old, "name-inconsistent", Severity::Warning);
    // Two bodies named side by side are two bodies.
    let listed =
        "昆明市残疾人联合会\n下设昆明市智力残疾人及亲友协会、昆明市精神残疾人及亲友协会。\n";
    expect_none(listed, "name-inconsistent", Severity::Warning);
}

#[test]
fn an_office_of_the_units_list_with_another_ending_is_misnamed() {
    let text = "市残联内设办公室、组织联络部、康复部、教育就业部、计划财务部5个部室。\n\
                全年实施残疾儿童康复救助436名，由康复科具体组织定点康复机构实施。\n";
    expect(text, "name-inconsistent", Severity::Warning);
    let same = text.replace("康复科", "康复部");
    expect_none(&same, "name-inconsistent", Severity::Warning);
    // 科学, 部署 and 财务 inside a longer office of the list are no offices.
    let words = "市残联内设办公室、组织联络部、康复部、计划财务部4个部室。\n\
                 康复科学研究由计划财务部统筹，康复部署了全年工作。\n";
    expect_none(words, "name-inconsistent", Severity::Warning);
}

#[test]
fn a_time_limit_told_with_nei_after_it_is_an_upper_bound() {
    let text = "二、绩效目标\n3.时效指标\n服务费在季度评估后15个工作日内支付。\n\
                四、绩效目标完成情况\n四个季度的服务费均在评估结束后15个工作日以内支付，已完成。\n\
                各项绩效指标均已完成。\n";
    expect_none(text, "target-claim", Severity::Error);
}

#[test]
fn items_of_a_budget_list_after_qizhong_are_budgeted_not_spent() {
    let text = "2024年2月，区财政局批复本项目预算350,000元，其中：助餐补贴330,000元；\
                食品安全抽检费8,000元；评估费12,000元。\n\
                2024年内实际支付250,600元，其中：助餐补贴233,040元；食品安全抽检费7,960元\
                （按实际检测批次结算）；评估费9,600元。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn items_of_a_labelled_list_are_other_quantities_however_long_the_list() {
    let text = "（三）季度评估和支付\n第一季度：核定助餐17,950人次，结算72,450元；\n\
                第二季度：核定助餐19,610人次，结算79,980元；\n\
                第三季度：核定助餐19,620人次，结算80,610元；\n\
                第四季度：核定助餐20,220人次，结算83,760元。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn a_count_followed_by_its_own_noun_counts_that_noun() {
    let text = "新建城市书房、文化驿站186个，比目标200个少14个，未完成年度目标。\n\
                下一步，对14个城市书房、文化驿站和舟山市3个海岛礼堂实行清单管理。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn a_target_rate_after_the_change_is_not_the_change() {
    let ok =
        "全省公共文化场馆服务1.26亿人次，较2018年的1.17亿人次增长7.69%，达到增长5%以上的目标。\n";
    expect_none(ok, "percent-of-parts", Severity::Error);
    let wrong =
        "全省公共文化场馆服务1.26亿人次，较2018年的1.17亿人次增长8.69%，达到增长5%以上的目标。\n";
    expect(wrong, "percent-of-parts", Severity::Error);
}

#[test]
fn every_item_after_qizhong_is_a_part_and_all_levels_spending_is_wider() {
    let text = "2024年专项资金预算共4.38亿元，其中中央财政补助2.60亿元，省级财政安排1.78亿元。\n\
                截至2024年12月31日，实际支出40,696.50万元，结余3,103.50万元结转下年使用。\n\
                需要说明的是，全省各级财政医疗救助支出合计19.74亿元，其中使用中央和省级资金4.07亿元。\n";
    expect_none(text, "part-exceeds-whole", Severity::Error);
    expect_none(text, "sum-mismatch", Severity::Error);
    let over = text.replace("40,696.50万元", "46,696.50万元");
    expect(&over, "part-exceeds-whole", Severity::Error);
}

#[test]
fn places_grouped_by_city_are_one_list() {
    let ok = "抽查了赣州、吉安、上饶三个设区市的六个县（市、区）：赣州市于都县、兴国县，\
              吉安市永丰县、遂川县，上饶市鄱阳县、余干县。\n";
    expect_none(ok, "count-mismatch", Severity::Error);
    let wrong = "共抽查7个县（市、区）：赣州市于都县、兴国县，吉安市永丰县、遂川县，上饶市鄱阳县、余干县。\n";
    expect(wrong, "count-mismatch", Severity::Error);
}

#[test]
fn a_chinese_numeral_restated_in_digits_is_one_figure() {
    let text = "一、基本情况\n辖区持证残疾人一千一百二十三（1,123）人，登记服务的残疾人42人。\n\
                二、绩效目标完成情况\n据区残联统计，辖区持证残疾人1,087人。\n";
    expect(text, "quantity-conflict", Severity::Error);
    let same = text.replace("1,087人", "1,123人");
    expect_none(&same, "quantity-conflict", Severity::Error);
}

#[test]
fn a_column_of_counts_under_a_plain_header_adds_up_to_its_total() {
    let ok = "| 月份 | 托育人日 | 保育工时 |\n|---|---|---|\n| 1月 | 880 | 1,210 |\n\
              | 2月 | 820 | 1,150 |\n| 3月 | 1,150 | 1,380 |\n| 合计 | 2,850 | 3,740 |\n";
    expect_none(ok, "sum-mismatch", Severity::Error);
    let wrong = ok.replace("3,740", "3,840");
    expect(&wrong, "sum-mismatch", Severity::Error);
    // A column of signed changes (设计变更 +4.36 / -2.10) is not summed as written.
    let signed = "| 沟 | 合同价 | 设计变更 |\n|---|---|---|\n| 甲沟 | 98.65 | +4.36 |\n\
                  | 乙沟 | 71.32 | 0 |\n| 丙沟 | 76.48 | -2.10 |\n| 合计 | 246.45 | +2.26 |\n";
    expect_none(signed, "sum-mismatch", Severity::Error);
}

#[test]
fn a_level_heading_with_its_full_mark_scores_the_level_where_the_line_ends() {
    let text = "（一）预算执行率（10分）：预算执行率95.84%，得分9.6分。\n\
                （二）产出指标（50分）：得分46.0分。\n（三）效益指标（30分）：得分27.0分。\n\
                （四）满意度指标（10分）：家长满意度94.12%，但部分家长提出意见，得分9.5分。\n\
                综合以上各项，本项目自评得分92.1分，评价等级为“优”。\n";
    expect_none(text, "score-total", Severity::Error);
    let wrong = text.replace("得分9.5分", "得分9.0分");
    expect(&wrong, "score-total", Severity::Error);
}

#[test]
fn rows_indented_under_a_level_belong_to_its_subtotal() {
    let ok = "一级指标　二级指标　　分值　得分\n决策　　　项目立项　　5　　 5.0\n\
              \u{3000}\u{3000}\u{3000}\u{3000}\u{3000}绩效目标　　5　　 4.5\n　　　　　小计　　　　10　　9.5\n\
              产出　　　产出数量　　16　　15.2\n　　　　　产出质量　　10　　9.4\n\
              \u{3000}\u{3000}\u{3000}\u{3000}\u{3000}产出时效　　8　　 6.4\n　　　　　小计　　　　34　　31.0\n\
              合计　　　　　　　　　44　　40.5\n";
    expect_none(ok, "score-total", Severity::Error);
    let wrong = ok
        .replace("34　　31.0", "34　　30.6")
        .replace("40.5", "40.1");
    expect(&wrong, "score-total", Severity::Error);
}

#[test]
fn a_sub_district_office_signed_under_another_district_is_misnamed() {
    let text = "贵阳市云岩区金关北街道办事处\n2025年度困难群众探访关爱项目绩效自评报告\n\n\
                一、基本情况\n本项目全年探访困难群众416户。\n\n\n\
                贵阳市南明区金关北街道办事处\n2026年3月20日\n";
    expect(text, "name-inconsistent", Severity::Warning);
    let same = text.replace("南明区", "云岩区");
    expect_none(&same, "name-inconsistent", Severity::Warning);
}

#[test]
fn a_result_introduced_by_shishi_answers_its_target() {
    let text = "二、绩效目标\n| 指标类型 | 指标名称 | 年度目标 |\n| --- | --- | --- |\n\
                | 产出指标 | 门诊救助人次 | ≥95万人次 |\n三、完成情况\n\
                全年实施门诊救助91.3万人次，主要用于慢性病门诊费用救助。\n\
                总体来看，各项绩效指标均已全面完成。\n";
    expect(text, "target-claim", Severity::Error);
    let met = text.replace("91.3万人次", "96.3万人次");
    expect_none(&met, "target-claim", Severity::Error);
}

#[test]
fn a_table_rows_figure_told_again_under_the_rows_name_must_agree() {
    let text = "表一  2018年就业补助资金分配及执行情况表（单位：万元）\n\
                序号\t设区市\t分配数\t下达数\t支出数\t执行率\n\
                1\t南昌市\t22,860.00\t22,860.00\t21,685.40\t94.86%\n\
                2\t赣州市\t38,652.00\t38,652.00\t35,684.90\t92.32%\n\
                3\t吉安市\t19,480.00\t19,480.00\t18,046.20\t92.64%\n\
                （二）抽查情况\n赣州市：下达资金3.87亿元，规模全省最大。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
    let wrong = text.replace("下达资金3.87亿元", "下达资金3.68亿元");
    expect(&wrong, "quantity-conflict", Severity::Error);
    // A sum of two rows' figures is no figure of one row.
    let sum = text.replace(
        "赣州市：下达资金3.87亿元",
        "南昌市、赣州市下达资金合计6.15亿元",
    );
    expect_none(&sum, "quantity-conflict", Severity::Error);
}

#[test]
fn a_captions_unit_holds_for_a_table_with_a_converted_column() {
    let text = "支出明细表（单位：元）\n序号\t支出内容\t预算数\t实际支出数\t折合万元\n\
                1\t监测预警设施更新\t1,500,000.00\t1,486,200.00\t148.62\n\
                2\t抢险队伍装备\t580,000.00\t586,000.00\t58.60\n\
                \t合计\t2,080,000.00\t2,072,200.00\t207.22\n\
                说明：抢险队伍装备实际支出586,000.00元，超出分项预算6,000.00元。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
    let wrong = text.replace("实际支出586,000.00元", "实际支出568,000.00元");
    expect(&wrong, "quantity-conflict", Severity::Error);
}

#[test]
fn a_share_told_as_the_sum_of_named_answers_is_their_sum() {
    let ok = "发放问卷100份，回收有效问卷96份。其中非常满意52份（54.17%），满意36份（37.50%），\
              一般6份（6.25%），不满意2份（2.08%）。\n满意度（非常满意与满意之和）为91.67%，高于90%的目标值。\n";
    expect_none(ok, "percent-of-parts", Severity::Error);
    let wrong = ok.replace("为91.67%", "为93.75%");
    expect(&wrong, "percent-of-parts", Severity::Error);
}

#[test]
fn a_table_rows_date_and_the_texts_date_of_its_thing_are_one_event() {
    let text = "一、项目实施\n全部维修任务于2022年11月28日完工并交付镇（街道）水务站管护。\n\
                二、绩效自评表\n| 二级指标 | 三级指标 | 指标值 | 实际完成值 |\n| --- | --- | --- | --- |\n\
                | 时效指标 | 维修任务完成时间 | 2023年11月30日前 | 2023年11月28日 |\n";
    expect(text, "date-conflict", Severity::Error);
    let same = text.replace("于2022年11月28日", "于2023年11月28日");
    expect_none(&same, "date-conflict", Severity::Error);
}

#[test]
fn the_same_words_right_after_a_month_of_two_years_are_one_event() {
    let text = "2023年9月秋季学期起，全省推行课后服务“一校一案”。\n\
                自2022年9月秋季学期起推行的“一校一案”已覆盖全部学校。\n";
    expect(text, "date-conflict", Severity::Error);
    let same = text.replace("自2022年9月", "自2023年9月");
    expect_none(&same, "date-conflict", Severity::Error);
}

#[test]
fn a_share_is_of_the_figure_an_aside_breaks_down() {
    let ok = "项目批复总投资6.80亿元，资金来源如下：\n1.地方政府专项债券4.00亿元；\n\
              2.项目资本金1.36亿元，由区级财政预算分两年安排（2020年、2021年各0.68亿元），占总投资的20.00%；\n";
    expect_none(ok, "percent-of-parts", Severity::Error);
    let each = "项目总投资2.60亿元，其中：项目资本金0.52亿元，由县级财政预算分两年各安排0.26亿元，占总投资的20%。\n";
    expect_none(each, "percent-of-parts", Severity::Error);
    let wrong = ok.replace("20.00%", "25.00%");
    expect(&wrong, "percent-of-parts", Severity::Error);
}

#[test]
fn a_figure_told_for_each_is_not_added_to_a_total() {
    let text = "1.（四十一期）债券0.80亿元，票面利率2.86%，于2023年6月15日、12月15日各付息114.40万元，合计228.80万元；\n";
    expect_none(text, "sum-mismatch", Severity::Error);
}

#[test]
fn parts_each_within_the_one_before_are_a_chain_not_a_sum() {
    let ok = "发放满意度调查问卷200份，回收190份，回收率95.0%，其中有效问卷187份，表示“满意”或“基本满意”的175份，满意度93.6%。\n";
    expect_none(ok, "sum-mismatch", Severity::Error);
}

#[test]
fn a_share_of_a_named_whole_is_not_of_the_figure_before() {
    let text = "截至2021年末，本项目累计到位资金53,600.00万元，累计支付资金51,226.58万元，占批复总投资的75.33%。\n";
    expect_none(text, "percent-of-parts", Severity::Error);
}

#[test]
fn items_on_lines_under_a_budget_list_are_budgeted() {
    let text = "（二）资金安排\n2021年市财政预算安排本项目资金600万元，其中：\n重点研发项目380万元；\n\
                科技型中小企业研发后补助120万元；\n农业科技示范100万元。\n（二）资金使用情况\n\
                截至2021年12月31日，本项目实际支出563.36万元，预算执行率93.89%。其中：\n\
                重点研发项目拨付346万元；\n科技型中小企业研发后补助120万元；\n农业科技示范97.36万元。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn an_execution_rate_is_of_the_budget_not_of_the_funds_received_beside_it() {
    let ok = "2018年，县科技局实施设施农业科技示范项目，项目资金150万元。\n\
              2018年，本项目到位资金145万元，支出138.62万元，预算执行率92.41%。\n";
    expect_none(ok, "percent-of-parts", Severity::Error);
    let wrong = ok.replace("92.41%", "93.41%");
    expect(&wrong, "percent-of-parts", Severity::Error);
}

#[test]
fn funds_received_in_batches_add_up_for_the_arrival_rate() {
    let text = "2020年度本项目资金预算22,200.00万元，其中专项债券资金18,000.00万元、资本金4,200.00万元。\n\
                专项债券资金于2020年5月8日拨付到位18,000.00万元；资本金于2020年3月16日到位2,000.00万元、\
                2020年9月10日到位2,200.00万元。全年资金到位率100%。\n";
    expect_none(text, "percent-of-parts", Severity::Error);
}

#[test]
fn the_projects_planned_scope_is_not_the_years_result() {
    let text = "（二）建设内容及规模\n新建污水处理厂一座，新建配套污水管网32.5公里，建设期为2019年5月至2021年6月。\n\
                （三）实施情况\n全年新建污水管网21.4公里，年末工程形象进度88%。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn a_running_total_over_the_years_is_no_one_payment() {
    let text = "2021年度本项目实际支出29,426.58万元，预算执行率92.54%。\n\
                截至2021年末，本项目累计支付资金51,226.58万元。\n";
    expect_none(text, "part-exceeds-whole", Severity::Error);
    let year = text.replace("本项目累计支付资金", "全年累计支付工程款");
    expect(&year, "part-exceeds-whole", Severity::Error);
}

#[test]
fn questionnaires_returned_cannot_be_more_than_those_sent() {
    let ok =
        "县住建局委托第三方发放满意度问卷300份，收回有效问卷292份，其中满意270份，满意度92.47%。\n";
    expect_none(ok, "part-exceeds-whole", Severity::Error);
    let wrong = ok.replace("292份", "312份").replace("92.47%", "86.54%");
    expect(&wrong, "part-exceeds-whole", Severity::Error);
}

#[test]
fn a_rate_whose_word_follows_the_whole_is_of_the_two_figures() {
    let ok = "一组团720套房源开始配租，已签订租赁合同612套，配租率85.00%。\n";
    expect_none(ok, "percent-of-parts", Severity::Error);
    let wrong = ok.replace("85.00%", "87.50%");
    expect(&wrong, "percent-of-parts", Severity::Error);
    // "无一人" is none.
    let none = "接受救助的5名当事人均签订了息诉罢访承诺书，无一人再次上访，息诉罢访率100%。\n";
    expect_none(none, "percent-of-parts", Severity::Error);
}

#[test]
fn a_company_signing_under_another_name_is_misnamed_but_two_trade_names_are_two() {
    let text = "商水县农产品冷链物流中心建设项目\n2023年度地方政府专项债券项目绩效自评报告\n\n\
                项目单位：商水县城市建设投资有限公司\n\n一、项目概况\n本项目新建冷库2万吨。\n\n\
                商水县城乡建设投资有限公司\n2024年3月22日\n";
    expect(text, "name-inconsistent", Severity::Warning);
    let farms = "正阳县畜禽粪污资源化利用项目\n\n项目单位：正阳县农业农村局\n\n\
                 正阳县永兴牧业有限公司建成粪污处理设施1处；正阳县丰源牧业有限公司建成2处。\n\n\
                 正阳县农业农村局\n2021年3月1日\n";
    expect_none(farms, "name-inconsistent", Severity::Warning);
}

#[test]
fn a_bond_issued_on_one_day_of_two_years_is_one_event_misdated() {
    let text = "| 序号 | 债券名称 | 发行日期 | 期限 | 金额（亿元） |\n| --- | --- | --- | --- | --- |\n\
                | 1 | 2022年河南省政府专项债券（四十一期） | 2022年6月15日 | 10年 | 0.80 |\n\
                | 2 | 2023年河南省政府专项债券（九期） | 2023年3月28日 | 10年 | 1.00 |\n\
                （二）资金到位\n1.（九期）专项债券1.00亿元于2022年3月28日发行，县财政局于2023年4月6日拨付到位。\n\
                2.（四十一期）债券0.80亿元，于2023年6月15日、12月15日各付息114.40万元。\n";
    expect(text, "date-conflict", Severity::Error);
    // The coupon paid on the issue's day of the next year is another act.
    let ok = text.replace("于2022年3月28日发行", "于2023年3月28日发行");
    expect_none(&ok, "date-conflict", Severity::Error);
}

#[test]
fn a_row_figure_told_later_in_a_sentence_by_its_columns_word_must_agree() {
    let text = "表1　示范基地承担单位及产出情况（金额单位：元）\n\
                序号\t承担单位\t立项经费\t拨付\t自筹\n1\t内丘县岗峪苹果专业合作社\t150,000\t150,000\t286,000\n\
                2\t内丘县金果林果专业合作社\t120,000\t120,000\t200,000\n3\t内丘县绿野农业科技有限公司\t100,000\t100,000\t150,000\n\
                内丘县岗峪苹果专业合作社示范基地采用矮砧密植技术，项目实施中合作社自筹资金286,000元用于购置滴灌设备。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
    let wrong = text.replace("自筹资金286,000元", "自筹资金268,000元");
    expect(&wrong, "quantity-conflict", Severity::Error);
}

#[test]
fn the_self_raised_moneys_own_rate_is_not_the_projects() {
    let text = "2018年项目预算380.00万元，支出361.40万元，执行率95.11%。\
                其中财政资金300.00万元全部支出，执行率100%；医院自筹资金支出61.40万元，执行率76.75%。\n";
    expect_none(text, "percent-of-parts", Severity::Error);
}

#[test]
fn the_satisfied_answers_together_make_the_satisfaction_rate() {
    let ok = "面向演出所在行政村居民发放问卷600份，回收有效问卷582份，其中“非常满意”403份、\
              “满意”148份，满意度为94.67%，高于90%的目标值。\n";
    expect_none(ok, "percent-of-parts", Severity::Error);
    expect_none(ok, "sum-mismatch", Severity::Error);
    let wrong = ok.replace("94.67%", "96.67%");
    expect(&wrong, "percent-of-parts", Severity::Error);
}

#[test]
fn a_departments_count_is_not_the_whole_hospitals() {
    let text = "我院为三级甲等综合医院，开放床位２４００张，２０２４年医疗收入28.64亿元。\n\
                神经内科开放床位196张，设卒中单元40张；神经外科开放床位120张。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
    let wrong = "我院为三级甲等综合医院，开放床位2,400张。\n全院开放床位2,040张。\n";
    expect(wrong, "quantity-conflict", Severity::Error);
}

#[test]
fn a_self_evaluation_team_set_up_inside_the_year_it_evaluates_is_misdated() {
    let text = "2024年度卒中中心建设项目支出绩效自评报告\n\
                按照市财政局要求，我院于2024年3月成立自评工作组，对2024年度项目开展自评。\n\
                一、项目概况\n本项目2024年完成溶栓186例。\n";
    expect(text, "date-conflict", Severity::Error);
    let ok = text.replace("于2024年3月成立", "于2025年3月成立");
    expect_none(&ok, "date-conflict", Severity::Error);
}

#[test]
fn a_county_become_a_city_named_under_its_old_level_is_misnamed() {
    let text = "黔西市人民医院\n2025年度医疗服务能力提升项目绩效自评报告\n\
                以上进修协议由黔西县人民医院科教科统一签订，进修期间工资待遇不变。\n\n黔西市人民医院\n";
    expect(text, "name-inconsistent", Severity::Warning);
    let same = text.replace("黔西县人民医院", "黔西市人民医院");
    expect_none(&same, "name-inconsistent", Severity::Warning);
}

#[test]
fn a_change_column_is_the_later_year_against_the_earlier() {
    let ok = "指标\t2024年\t2025年\t增减\n门诊人次\t486,200\t519,280\t+6.80%\n\
              手术台次\t13,850\t14,620\t+5.56%\n平均住院日\t8.6\t8.1\t-5.81%\n";
    expect_none(ok, "percent-of-parts", Severity::Error);
    let wrong = ok.replace("+6.80%", "+8.60%");
    expect(&wrong, "percent-of-parts", Severity::Error);
    let wrong_way = ok.replace("-5.81%", "+5.81%");
    expect(&wrong_way, "percent-of-parts", Severity::Error);
}

#[test]
fn indicators_counted_for_two_blocks_of_the_hubei_form_against_their_table() {
    let ok = "自评采用湖北省项目支出绩效自评表，由预算执行（20分）、产出目标（40分）、效果目标（40分）三部分构成，满分100分。\
              产出目标和效果目标共设三级指标4项。\n\
              | 一级指标 | 二级指标 | 三级指标 | 分值 | 得分 |\n| --- | --- | --- | --- | --- |\n\
              | 产出目标 | 数量指标 | 补贴机具数量 | 20 | 20 |\n| 产出目标 | 质量指标 | 机具合格率 | 20 | 19 |\n\
              | 效果目标 | 社会效益 | 机械化率 | 20 | 18 |\n| 效果目标 | 满意度 | 农户满意度 | 20 | 20 |\n";
    expect_none(ok, "count-mismatch", Severity::Error);
    let wrong = ok.replace("三级指标4项", "三级指标5项");
    expect(&wrong, "count-mismatch", Severity::Error);
}

#[test]
fn a_rate_after_two_changes_is_of_the_last() {
    let text = "整治后水体透明度均值由16.3cm升至39.7cm，氨氮均值由17.2mg/L降至3.1mg/L，下降82.0%，高于50%的目标值。\n";
    expect_none(text, "percent-of-parts", Severity::Error);
    let wrong = text.replace("下降82.0%", "下降80.0%");
    expect(&wrong, "percent-of-parts", Severity::Error);
}

#[test]
fn a_figure_said_to_hold_a_part_is_no_part() {
    let text = "全年共发现各类隐患3,452项，已整改3,417项，整改率98.99%。其中县应急管理局本级执法检查发现隐患642项，\
                已包含在全县3,452项之中，其余为乡镇监管站排查发现。\n";
    expect_none(text, "part-exceeds-whole", Severity::Error);
    expect_none(text, "sum-mismatch", Severity::Error);
}

#[test]
fn a_count_before_its_noun_beside_one_after_it_is_only_a_warning() {
    let text = "一、项目概况\n建设内容为：新建溪口镇、湖镇镇乡镇空气自动监测站2个。\n\
                二、完成情况\n1.数量：建成乡镇空气站2个、水质自动站1个，均达到目标值。\n\
                三、存在问题\n（三）运维保障尚未常态化。3个乡镇空气站和1个水质站年运维费用约48万元。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
    let wrong = text.replace("1.数量：建成乡镇空气站2个", "1.数量：建成乡镇空气站3个");
    expect(&wrong, "quantity-conflict", Severity::Error);
}

#[test]
fn each_phases_figures_are_its_own() {
    let text = "项目分三期实施，一期为建华社区、跃进社区片区，二期为谈固片区，三期为义堂片区。\n\
                2021年共完成入户调查1,400户，签订征收补偿协议1,340户。\n\
                一期入户调查612户，其中建华社区352户、跃进社区260户。\n\
                一期产权调换户612户，发放过渡安置费587.52万元；\n二期产权调换户378户，发放483.84万元；\n";
    expect_none(text, "quantity-conflict", Severity::Error);
    expect_none(text, "count-mismatch", Severity::Error);
    let wrong = text.replace(
        "一期产权调换户612户",
        "一期产权调换户612户；一期入户调查621户",
    );
    expect(&wrong, "quantity-conflict", Severity::Error);
}

#[test]
fn a_rate_of_each_or_of_money_all_arrived_is_no_pairs_rate() {
    let each = "2021年度项目实际支出2,046.38万元，预算执行率95.18%。\n\
                按资金来源分：中央财政资金支出600万元、省级财政资金支出900万元、举办方投入支出400万元，执行率均为100%。\n";
    expect_none(each, "percent-of-parts", Severity::Error);
    let all = "全年预算资金61,900.00万元全部到位，到位率100%。其中专项债券资金40,000.00万元分三批到位：\
               3月15日到位18,000.00万元，8月22日到位12,000.00万元，12月26日到位10,000.00万元。\n";
    expect_none(all, "percent-of-parts", Severity::Error);
}

#[test]
fn one_phases_result_answers_no_target_of_the_project_and_two_phases_works_are_two() {
    let text = "二、绩效目标\n1.入户调查≥1,400户。\n三、完成情况\n一期入户调查612户，其中建华社区352户。\n\
                各项绩效目标均已完成。\n\
                一期安置房青和苑于2022年6月30日竣工交付。\n二期安置房钢城新苑于2022年7月开工，计划2024年6月交付。\n";
    expect_none(text, "target-claim", Severity::Error);
    expect_none(text, "date-conflict", Severity::Error);
}

#[test]
fn two_surveys_on_neighbouring_lines_in_one_shape_are_two() {
    let text = "学校委托第三方机构开展满意度调查。\n\
                在校生问卷发放1,200份，回收有效问卷1,136份，有效回收率94.67%，在校生满意度94.6%。\n\
                用人单位问卷发放160份，回收有效问卷152份，有效回收率95.00%，用人单位满意度96.2%。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn an_amount_less_a_deduction_in_brackets_is_no_sum_of_parts() {
    let text = "设备采购合同支出1,769.42万元（中标金额1,788.26万元扣除质保金18.84万元），安装调试支出73.26万元。\n";
    expect_none(text, "sum-mismatch", Severity::Error);
}

#[test]
fn the_rest_claimed_after_several_shortfalls_leaves_them_all_out() {
    let text = "二、绩效目标\n（8）承接企业横向技术服务项目≥20项；\n（9）技术技能平台建设完成率100%；\n\
                三、完成情况\n承接企业横向技术服务项目18项，较年度目标少2项，该项指标本年度未完成，已在自评中扣分。\n\
                3.产出（满分40分，得分38.5分）。横向技术服务项目18项，未达到20项的目标，扣1分；\
                技术技能平台年度建设内容完成90%，扣0.5分；其余产出指标均达到或超过目标值。\n";
    expect_none(text, "target-claim", Severity::Error);
}

#[test]
fn a_multi_year_totals_part_is_not_the_years() {
    let text = "（一）项目背景\n2022年，我校材料科学与工程学科入选四川省一流学科建设名单，建设周期为2022—2025年，\
                建设期总预算1.86亿元。\n\
                其中中央财政支持地方高校改革发展资金5,400万元，省级财政资金8,000万元，市校共建资金2,200万元，学校自筹3,000万元。\n\
                （二）年度预算\n年度资金来源：中央财政资金1,500万元，省级财政资金2,200万元，市校共建资金600万元，学校自筹900万元。\n";
    expect_none(text, "quantity-conflict", Severity::Error);
}

#[test]
fn an_indicator_set_apart_after_the_count_is_not_counted() {
    let ok = "2025年度绩效目标表共设置三级指标3项（产出指标2项、满意度指标1项），另设预算执行率指标。具体如下：\n\
              | 一级指标 | 二级指标 | 三级指标 | 分值 | 得分 |\n| --- | --- | --- | --- | --- |\n\
              | 预算执行率 | 预算执行率 | 预算执行率 | 10 | 10 |\n| 产出指标 | 数量指标 | 实训工位数 | 40 | 40 |\n\
              | 产出指标 | 质量指标 | 设备验收合格率 | 30 | 30 |\n| 满意度指标 | 满意度 | 学生满意度 | 20 | 19 |\n\
              | 合计 | | | 100 | 99 |\n";
    expect_none(ok, "count-mismatch", Severity::Error);
    let wrong = ok.replace("三级指标3项", "三级指标5项");
    expect(&wrong, "count-mismatch", Severity::Error);
}

#[test]
fn a_line_of_sources_runs_past_each_sources_rate_to_its_end() {
    let ok = "2021年度项目实际支出2,046.38万元，预算执行率95.18%，结余103.62万元。\n\
              按资金来源分：中央财政资金支出600万元、省级财政资金支出900万元、举办方投入支出400万元，执行率均为100%；\
              学校自筹资金支出146.38万元，执行率58.55%。\n";
    expect_none(ok, "sum-mismatch", Severity::Error);
    let wrong = ok.replace("学校自筹资金支出146.38万元", "学校自筹资金支出164.38万元");
    expect(&wrong, "sum-mismatch", Severity::Error);
}
