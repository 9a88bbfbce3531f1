//! The same quantity stated twice with different values (卡 4万张 here, 5万张 there).

use jixiao_core::num::Dec;

use crate::context::{ColRole, Ctx};
use crate::doc::Doc;
use crate::util::{finding, is_cjk, same_subject, terms};
use crate::{Finding, Severity};

/// Units that measure something countable in the report (not rates, scores or durations).
pub fn countable(unit: &str) -> bool {
    !unit.is_empty()
        && !matches!(
            unit,
            "%" | "分"
                | "百分点"
                | "倍"
                | "岁"
                | "天"
                | "小时"
                | "分钟"
                | "个月"
                | "周"
                | "季"
                | "届"
        )
}

/// Words that make a number a comparison, a rate or a part rather than the quantity itself.
const NOT_THE_QUANTITY: &[&str] = &[
    "较", "比", "同比", "环比", "上年", "去年", "增加", "减少", "增长", "下降", "提高", "降低",
    "超过", "超出", "人均", "户均", "村均", "校均", "场均", "日均", "月均", "年均", "生均", "平均",
    "每", "单价", "标准", "剩余", "不足", "差", "约", "近", "预计", "计划", "目标", "要求", "分别",
    "增开", "多开", "追加", "组成",
];

/// Units of things counted whole: a figure of them with decimals ("户均补贴机具1.21台") is an
/// average, not a count.
const DISCRETE: &[&str] = &[
    "台", "套", "个", "人", "户", "所", "家", "辆", "件", "座", "处", "名",
];

/// A count of whole things written with decimals and no 万.
fn average(m: &crate::scan::Num) -> bool {
    m.decimals > 0 && m.mult == 0 && DISCRETE.contains(&m.unit)
}

/// Words right after a number that make it a bound or an estimate.
const NOT_AFTER: &[&str] = &["以上", "以下", "以内", "左右", "余"];

/// Scope words: the same quantity for the whole city and for one unit legitimately differ.
const SCOPES: &[&str] = &[
    "全市",
    "全区",
    "全县",
    "全省",
    "全州",
    "全国",
    "系统",
    "辖区",
    "全镇",
    "全乡",
    "本项目",
    "本单位",
    "中心",
    "各县",
    "县区",
    "镇卫生院",
    "街道",
    "社区",
];

fn eligible(doc: &Doc, ctx: &Ctx, n: usize) -> bool {
    if per_item(ctx) {
        return false;
    }
    let m = &doc.nums[n];
    let cjk = ctx.key.chars().filter(|c| is_cjk(*c)).count();
    // (A rate per unit, "1,000元/生·年", "616.56元/㎡", is no quantity.)
    let per_unit = doc.lines[m.line][m.end..].starts_with(['/', '／']);
    !per_unit
        && countable(m.unit)
        && !average(m)
        && !ctx.target
        && !ctx.earlier_year
        && !m.approx
        && !m.paren
        && m.cmp.is_none()
        && ctx
            .col
            .is_none_or(|r| matches!(r, ColRole::Actual | ColRole::Other))
        && cjk >= 3
        && !ctx.criteria
        && !NOT_THE_QUANTITY.iter().any(|w| ctx.before.contains(w))
        && !NOT_AFTER.iter().any(|w| ctx.after.starts_with(w))
        && !frames_a_subset(doc, n)
        && !counted_within(doc, n)
        && !planned(ctx)
        && !planned_on_line(doc, ctx, n)
        && !as_of_before_a_late_one(doc, n)
        && !doc.in_scope_section(m.line)
}

/// For each line, whether it lies under a heading of the project's planned scope ("（二）建设
/// 内容及规模") of a project built over several years (the section dates its works in two
/// years or more: "建设期为2019年5月至2021年6月"): its figures are what the whole project
/// builds, not what the year did. A section runs to the next heading, at most 15 lines.
pub fn scope_lines(doc: &Doc) -> Vec<bool> {
    let n = doc.lines.len();
    let mut out = vec![false; n];
    let words = ["建设内容", "建设规模", "设计规模"];
    let heading = |k: usize| {
        let t = crate::doc::strip_debris(&doc.lines[k]);
        crate::context::heading_level(t.trim()).is_some()
    };
    for h in 0..n {
        if !words
            .iter()
            .any(|w| doc.may_contain(h, w) && doc.lines[h].contains(w))
            || !heading(h)
        {
            continue;
        }
        let end = (h + 1..n.min(h + 16))
            .find(|&k| heading(k))
            .unwrap_or(n.min(h + 16));
        let mut years: Vec<i32> = doc
            .dates
            .iter()
            .filter(|d| d.line > h && d.line < end)
            .filter_map(|d| d.year)
            .collect();
        years.sort_unstable();
        years.dedup();
        if years.len() >= 2 {
            for flag in &mut out[h + 1..end] {
                *flag = true;
            }
        }
    }
    out
}

/// "至2022年12月底，11个小区通过竣工验收；屏山小区…于2023年1月18日通过竣工验收": a count up
/// to a day, told beside one done after the year, is not the year's whole count.
fn as_of_before_a_late_one(doc: &Doc, n: usize) -> bool {
    let m = &doc.nums[n];
    let (s, _) = crate::util::sentence(doc, m.line, m.start, m.end);
    let head = doc.lines[m.line][s..m.start].trim_start();
    ["至", "截至", "截止"].iter().any(|w| head.starts_with(w))
        && doc.year.is_some_and(|fy| {
            doc.dates
                .iter()
                .any(|d| d.line == m.line && d.year.is_some_and(|y| y > fy))
        })
}

/// A task set earlier on the same line and broken down next ("任务为一万二千吨…。储备品种为
/// …，其中尿素6,000吨…"): the breakdown is planned too.
fn planned_on_line(doc: &Doc, ctx: &Ctx, n: usize) -> bool {
    let m = &doc.nums[n];
    let before = &doc.lines[m.line][..m.start];
    (before.contains("任务为") || before.contains("任务是"))
        && !ctx.sentence.contains("完成")
        && !ctx.sentence.contains("实际")
}

/// A sentence setting the year's task ("储备任务为一万二千吨…其中尿素6,000吨、磷酸二铵4,000
/// 吨"): its figures are what was planned, not what was done.
fn planned(ctx: &Ctx) -> bool {
    let s = &ctx.sentence;
    ["任务为", "任务是", "计划", "拟", "目标为", "目标是"]
        .iter()
        .any(|w| s.contains(w))
        && !s.contains("完成")
        && !s.contains("实际")
}

/// "在回访的1,069名适配对象中，…": the number sets the frame for a part counted next, and is
/// itself often a subset (those visited) of the quantity named elsewhere.
/// "57个老旧小区中有52个实现清雪全覆盖": a count taken within a frame stated just before it
/// in its clause is a subset, not the frame's quantity.
fn counted_within(doc: &Doc, n: usize) -> bool {
    let m = &doc.nums[n];
    let head = doc.lines[m.line][..m.start].trim_end();
    let clause = head.rsplit(['，', ',', '。', '；']).next().unwrap_or("");
    (head.ends_with("中有") || head.ends_with("中的") || head.ends_with('中'))
        && clause
            .chars()
            .any(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
}

fn frames_a_subset(doc: &Doc, n: usize) -> bool {
    let m = &doc.nums[n];
    let l = &doc.lines[m.line];
    let rest = &l[m.end..];
    let clause = rest.split(['，', ',', '。', '；']).next().unwrap_or("");
    let head = l[..m.start]
        .rsplit(['，', ',', '。', '；'])
        .next()
        .unwrap_or("");
    (clause.ends_with('中') && head.contains('在'))
        // "抽查工单300单中3单返修": the frame of a count that follows at once.
        || (rest.starts_with('中') && rest[3..].chars().next().is_some_and(|c| c.is_ascii_digit()))
}

/// The department a clause opens with ("神经内科" of "神经内科开放床位"), when it opens with
/// one (two to five characters ending in 科).
fn dept_of(before: &str) -> Option<&str> {
    let (k, _) = before
        .char_indices()
        .take(6)
        .skip(2)
        .find(|&(_, c)| c == '科')?;
    let head = &before[..k + '科'.len_utf8()];
    (head.chars().all(is_cjk) && !head.ends_with("学科") && !head.ends_with("专科")).then_some(head)
}

/// A figure of a multi-year total: its sentence, or the one before when it opens with 其中,
/// names the whole period's budget or investment (建设期总预算, 总投资, 建设周期).
fn multi_year_total(doc: &Doc, n: usize) -> bool {
    let m = &doc.nums[n];
    let l = &doc.lines[m.line];
    let (s, e) = crate::util::sentence(doc, m.line, m.start, m.end);
    let words = ["建设期总预算", "总预算", "总投资", "建设周期", "建设期内"];
    let said = |t: &str| words.iter().any(|w| t.contains(w));
    if said(&l[s..e]) {
        return true;
    }
    // (The sentence before, on this line or the line before.)
    let opens = l[s..].trim_start().starts_with("其中");
    opens && (s > 0 && said(&l[..s]) || s == 0 && m.line > 0 && said(&doc.lines[m.line - 1]))
}

/// The phase a figure's sentence opens with ("一期产权调换户612户…").
pub(crate) fn phase_of(doc: &Doc, n: usize) -> Option<char> {
    let m = &doc.nums[n];
    crate::context::phase_opening(doc, m.line, m.start, m.end)
}

/// The noun a count of things is followed by ("3个海岛礼堂"), when one follows it at once.
fn noun_after(c: &Ctx, unit: &str) -> Option<String> {
    if !["个", "家", "座", "所", "处", "台", "套", "辆", "项", "条"].contains(&unit) {
        return None;
    }
    let noun: String = c.after.chars().take_while(|c| is_cjk(*c)).take(2).collect();
    let verb = [
        "完成", "实现", "达到", "通过", "参加", "享受", "获得", "已", "均", "全", "共", "的", "以",
        "左", "次", "中", "为", "是", "和", "及", "与", "在", "被", "占",
    ];
    (noun.chars().count() == 2 && !verb.iter().any(|v| noun.starts_with(v))).then_some(noun)
}

/// A sum budgeted or planned, in a sentence about the budget and not about spending.
fn budgeted(doc: &Doc, n: usize, ctx: &Ctx) -> bool {
    // (A sentence opening with 其中 breaks down the sentence before: "年初预算1,150万元，全年
    // 未调整。其中养护服务费1,080万元，苗木补植50万元".)
    let m = &doc.nums[n];
    let (s, _) = crate::util::sentence(doc, m.line, m.start, m.end);
    let line = &doc.lines[m.line];
    let before = if line[s..].trim_start().starts_with("其中") && s > 0 {
        let (ps, _) = crate::util::sentence(doc, m.line, s - 1, s - 1);
        &line[ps..s]
    } else if let Some(q) = line[..s].rfind("其中：")
        && !line[q..s].contains('。')
    {
        // (An item of a list after 其中： and ；, "批复预算35.00万元，其中：助餐补贴…；食品安全
        // 抽检费8,000元": the sentence before the list says whose parts they are.)
        let (ps, _) = crate::util::sentence(doc, m.line, q, q);
        &line[ps..q]
    } else if ctx.before.contains("项目支出") || ctx.before.contains("基本支出") {
        // (A category after ；, "年初预算286.40万元，其中：基本支出…；项目支出104.10万元": the
        // line before it says whose part it is.)
        &line[..s]
    } else if let Some(intro) = (m.line.saturating_sub(6)..m.line)
        .rev()
        .take_while(|&k| k + 1 == m.line || !doc.lines[k + 1].trim_end().ends_with("其中："))
        .find(|&k| doc.lines[k].trim_end().ends_with("其中："))
    {
        // (An item on a line of its own under "…预算安排本项目资金600万元…，其中：": the line
        // that opens the list says whose parts they are.)
        let l = doc.lines[intro].trim_end();
        let (ps, _) = crate::util::sentence(doc, intro, l.len(), l.len());
        &doc.lines[intro][ps..]
    } else {
        ""
    };
    // (基本支出 and 项目支出 name parts of a budget, not spending.)
    let plain = |t: &str| t.replace("基本支出", "").replace("项目支出", "");
    let (sentence, before) = (plain(&ctx.sentence), plain(before));
    let said = |w: &&str| sentence.contains(w) || before.contains(w);
    ["预算", "安排", "计划", "按用途分"].iter().any(said)
        && !["支出", "执行", "使用", "支付", "拨付"].iter().any(said)
}

/// A sum left over (结余…，其中…照料护理补贴0.85万元), told in a sentence about the balance
/// and not about spending.
fn left_over(doc: &Doc, ctx: &Ctx, n: usize) -> bool {
    let m = &doc.nums[n];
    let (s, _) = crate::util::sentence(doc, m.line, m.start, m.end);
    let head = &doc.lines[m.line][s..m.start];
    ["结余", "结转", "剩余", "节余"]
        .iter()
        .any(|w| head.contains(w))
        && !ctx.before.contains("支出")
}

/// The subject of the whole a 其中 part belongs to ("年末在册特困供养人员八十六人，其中…十四人"
/// → 年末在册特困供养人员), when the part follows 其中 in its sentence.
fn whole_of_part<'c>(doc: &Doc, ctxs: &'c [Ctx], n: usize) -> Option<&'c str> {
    let m = &doc.nums[n];
    let line = &doc.lines[m.line];
    let (s, _) = crate::util::sentence(doc, m.line, m.start, m.end);
    let at = s + line[s..m.start].rfind("其中")?;
    doc.line_nums[m.line]
        .clone()
        .rfind(|&k| doc.nums[k].end <= at && doc.nums[k].start >= s && doc.nums[k].unit == m.unit)
        .map(|k| ctxs[k].key.as_str())
}

/// "6个司法所各配置…终端3套": a count for each of several things, not the whole.
fn per_item(ctx: &Ctx) -> bool {
    let clause = ctx
        .clause
        .rsplit(['，', '。', '；', ','])
        .next()
        .unwrap_or(&ctx.clause);
    clause.find('各').is_some_and(|i| {
        let head = &clause[..i];
        head.contains(|c: char| c.is_ascii_digit() || "一二三四五六七八九十两".contains(c))
            && head.contains(['个', '所', '家', '户', '村', '镇', '乡', '处'])
    })
}

fn scope(ctx: &Ctx) -> Vec<&'static str> {
    SCOPES
        .iter()
        .copied()
        .filter(|s| ctx.before.contains(s))
        .collect()
}

/// The digits of a figure's value, when it has at least three ("12,640人" and "1.246万人"
/// give 12640 and 12460; "42.6公里" gives 426).
fn digits_of(value: Dec) -> Option<Vec<u8>> {
    let text = value.to_string();
    let digits: Vec<u8> = text
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&d| d == b'0')
        .collect();
    (digits.len() >= 3).then_some(digits)
}

/// Two adjacent digits swapped (1,326 and 1,362).
fn transposed(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(diff[..], [i, j] if j == i + 1 && a[i] == b[j] && a[j] == b[i])
}

/// The same count written with two adjacent digits swapped, in sentences about the same
/// thing ("实施临时救助1,326人次" … "1,362人次困难群众通过临时救助"): a typing slip to check. A
/// warning, as the words around the two differ.
fn check_transposed(doc: &Doc, ctxs: &[Ctx], reported: &[usize], acc: &mut Vec<Finding>) {
    let cands: Vec<(usize, Vec<u8>)> = (0..doc.nums.len())
        .filter(|&n| {
            let m = &doc.nums[n];
            countable(m.unit)
                && m.unit != "元"
                && m.cmp.is_none()
                && !m.approx
                && !ctxs[n].target
                && ctxs[n]
                    .col
                    .is_none_or(|r| matches!(r, ColRole::Actual | ColRole::Other))
                && !reported.contains(&n)
        })
        .filter_map(|n| digits_of(doc.nums[n].value).map(|d| (n, d)))
        .collect();
    // Only numbers with the same digits in the same unit can be a swap of each other: bucket
    // them so that a long report is not compared pair by pair.
    let mut buckets: std::collections::BTreeMap<(&str, Vec<u8>), Vec<usize>> =
        std::collections::BTreeMap::new();
    for (k, (n, d)) in cands.iter().enumerate() {
        let mut key = d.clone();
        key.sort_unstable();
        buckets.entry((doc.nums[*n].unit, key)).or_default().push(k);
    }
    let mut seen: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let pairs = buckets.values().flat_map(|members| {
        members
            .iter()
            .enumerate()
            .flat_map(move |(i, &ka)| members[i + 1..].iter().map(move |&kb| (ka, kb)))
    });
    let mut pairs: Vec<(usize, usize)> = pairs.collect();
    pairs.sort_unstable();
    for (ka, kb) in pairs {
        let ((a, da), (b, db)) = (&cands[ka], &cands[kb]);
        let (ma, mb) = (&doc.nums[*a], &doc.nums[*b]);
        if ma.unit != mb.unit || ma.line == mb.line || !transposed(da, db) {
            continue;
        }
        let (sa, sb) = (&ctxs[*a].sentence, &ctxs[*b].sentence);
        if crate::util::overlap(sa, sb).0 < 4 {
            continue;
        }
        let pair = if da < db {
            (da.clone(), db.clone())
        } else {
            (db.clone(), da.clone())
        };
        if seen.contains(&pair) {
            continue;
        }
        seen.push(pair);
        acc.push(finding(
            "quantity-conflict",
            Severity::Warning,
            format!(
                "第{}行“{}”与第{}行“{}”疑为同一数字前后颠倒，请核对",
                ma.line + 1,
                doc.written(*a).trim(),
                mb.line + 1,
                doc.written(*b).trim()
            ),
            [ma.line, mb.line],
            vec![
                doc.written(*a).trim().to_owned(),
                doc.written(*b).trim().to_owned(),
            ],
        ));
    }
}

/// Whether two figures agree once the finer is rounded as the coarser is written.
fn agree_when_rounded(doc: &Doc, a: usize, b: usize) -> bool {
    let (ma, mb) = (&doc.nums[a], &doc.nums[b]);
    let coarse = ma.step().max(mb.step());
    if coarse <= 0 {
        return ma.value == mb.value;
    }
    crate::util::within_half_step(ma.value, mb.value, coarse)
}

/// The same quantity stated twice with different values.
pub fn check(doc: &Doc, ctxs: &[Ctx], acc: &mut Vec<Finding>) {
    let before = acc.len();
    check_groups(doc, ctxs, acc);
    // Numbers already in a conflict need no second finding.
    let reported: Vec<usize> = doc
        .nums
        .iter()
        .enumerate()
        .filter(|&(n, m)| {
            acc[before..].iter().any(|f| {
                f.lines.contains(&(m.line + 1))
                    && f.values.iter().any(|v| v == doc.written(n).trim())
            })
        })
        .map(|(n, _)| n)
        .collect();
    check_transposed(doc, ctxs, &reported, acc);
    check_counted_nouns(doc, ctxs, &reported, acc);
    let plain_nums: Vec<usize> = (0..doc.nums.len())
        .filter(|&n| plain_count(doc, ctxs, &reported, n))
        .collect();
    let before = acc.len();
    check_noun_before_and_after(doc, ctxs, &plain_nums, acc);
    let told: Vec<usize> = acc[before..].iter().flat_map(|f| f.lines.clone()).collect();
    check_near_figures(doc, ctxs, &plain_nums, &told, acc);
    check_rows_in_text(doc, ctxs, acc);
}

/// A table row's figure told again in the text under the row's name ("7 赣州市 38,652.00 …"
/// under 下达数 in a table of 万元, and "赣州市：下达资金3.68亿元" after it): the two must
/// agree to the step the text rounds to.
fn check_rows_in_text(doc: &Doc, ctxs: &[Ctx], acc: &mut Vec<Finding>) {
    let table_lines: std::collections::HashSet<usize> = doc
        .tables
        .iter()
        .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter().map(|c| c.line)))
        .collect();
    for t in doc.tables.iter().filter(|t| t.header && t.rows.len() >= 3) {
        // The word of each column: "下达" of "下达数", "执行率" of "执行率（%）".
        let words: Vec<String> = t.rows[0]
            .cells
            .iter()
            .map(|c| {
                let h = doc.cell_text(c);
                let h = h.split(['（', '(']).next().unwrap_or(h).trim();
                let h = ["金额", "资金", "数", "额", "值"]
                    .iter()
                    .find_map(|x| h.strip_suffix(x))
                    .unwrap_or(h);
                h.to_owned()
            })
            .collect();
        // Row names: the first cell of words (a place, a unit), not a total.
        let names: Vec<Option<&str>> = t.rows[1..]
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| doc.cell_text(c).trim())
                    .find(|x| !x.is_empty() && !x.starts_with(|c: char| c.is_ascii_digit()))
                    .filter(|x| {
                        (2..=12).contains(&x.chars().count())
                            && x.chars().all(is_cjk)
                            && !["合计", "小计", "总计", "其中", "全省", "全市", "合 计"]
                                .iter()
                                .any(|w| x.contains(w))
                    })
            })
            .collect();
        for (r, name) in t.rows[1..].iter().zip(&names) {
            let Some(name) = *name else { continue };
            let cells = crate::checks::scores::aligned(doc, &r.cells, &t.rows[0].cells);
            for (col, cell) in cells.iter().enumerate() {
                let Some(&n) = cell.and_then(|c| c.nums.first()) else {
                    continue;
                };
                let word = &words[col];
                // (Not a rate per head or a standard, "每亩（头）保费": the text may give
                // another rate of the row.)
                if word.chars().count() < 2
                    || !word.chars().all(is_cjk)
                    || ["每", "单价", "标准", "目标", "指标"]
                        .iter()
                        .any(|w| word.contains(w))
                {
                    continue;
                }
                let m = &doc.nums[n];
                // (Nor a target of the row.)
                if m.cmp.is_some() || ctxs[n].target {
                    continue;
                }
                let (unit, value) = match (m.unit, ctxs[n].money_exp) {
                    ("", Some(e)) => ("元", m.value.shift(i8::try_from(e).unwrap_or(0))),
                    (u, _) if !u.is_empty() => (u, Some(m.value)),
                    _ => continue,
                };
                let Some(value) = value else { continue };
                for (i, l) in doc.lines.iter().enumerate() {
                    if table_lines.contains(&i) || !doc.may_contain(i, name) {
                        continue;
                    }
                    let Some(p) = l.find(name) else { continue };
                    // (Not one name of several, "一、二标段…合计".)
                    if l[..p].ends_with(['、', '和', '及', '与']) {
                        continue;
                    }
                    let (_, e) = crate::util::sentence(doc, i, p, p + name.len());
                    for (k, o) in doc.nums_of(i).iter().enumerate() {
                        let between = &l[p + name.len()..o.start.max(p + name.len())];
                        // The figure follows the name and the column's word in one sentence,
                        // with no other row's name between.
                        if o.start < p
                            || o.end > e
                            // (Close by, or further on with the column's word right before
                            // the figure: "…合作社示范基地…，项目实施中合作社自筹资金268,000元".)
                            || between.chars().count() > 12
                                && (between.chars().count() > 60
                                    || !crate::util::last_chars(between, 4).starts_with(word.as_str())
                                    || between.contains(['；', ';'])
                                    || doc.nums_of(i)[..k]
                                        .iter()
                                        .any(|x| x.start >= p + name.len()))
                            || ["合计", "共", "累计", "总"]
                                .iter()
                                .any(|w| between.contains(w))
                            || o.unit != unit
                            || o.cmp.is_some()
                            || o.approx
                            || !between.contains(word.as_str())
                            || between.chars().count() <= 12 && between.contains(['，', ','])
                            || names
                                .iter()
                                .flatten()
                                .any(|x| *x != name && between.contains(x))
                        {
                            continue;
                        }
                        if !crate::util::within_half_step(value, o.value, o.step()) {
                            let o_idx = doc.line_nums[i].start + k;
                            acc.push(finding(
                                "quantity-conflict",
                                Severity::Error,
                                format!(
                                    "“{name}”的“{}”：表中为“{}”，正文写作“{}”",
                                    doc.cell_text(&t.rows[0].cells[col]).trim(),
                                    doc.written(n).trim(),
                                    doc.written(o_idx).trim()
                                ),
                                [m.line, i],
                                vec![
                                    doc.written(n).trim().to_owned(),
                                    doc.written(o_idx).trim().to_owned(),
                                ],
                            ));
                        }
                    }
                }
            }
        }
    }
}

/// A count of something whole, told as a result: not a target, a sample, a part, a change or a
/// count narrowed to some of a set. (A table's result counts too, named by its row: "进修医务
/// 人员 ≥5人 5人" against "选派6名医务人员…进修".)
fn plain_count(doc: &Doc, ctxs: &[Ctx], reported: &[usize], n: usize) -> bool {
    const PART: &[&str] = &[
        "其中", "抽", "新增", "新建", "另", "较", "比", "增加", "减少", "剩余", "其余", "每", "各",
        "已", "未", "累计", "计划", "目标", "第",
    ];
    // A count narrowed to some of the set ("在回访的1,069名适配对象", "新接入…的乡镇卫生院18个"),
    // taken at one end of the year ("年末在册的86名"), or a whole told with its parts
    // ("全区共有1312名青年…，其中226人…") is no second count of the same set.
    let narrowed = |n: usize| {
        let m = &doc.nums[n];
        let clause = clause_up_to(doc, n);
        let (s, e) = crate::util::sentence(doc, m.line, m.start, m.end);
        let sentence = &doc.lines[m.line][s..e];
        clause.contains('的')
            || ctxs[n].key.contains('的')
            || ["年初", "年末", "回访", "新增", "新接入", "纳入", "共有"]
                .iter()
                .any(|w| clause.contains(w) || ctxs[n].key.contains(w))
            || sentence.contains("其中")
    };
    let (m, c) = (&doc.nums[n], &ctxs[n]);
    countable(m.unit)
        && !c.target
        && !c.earlier_year
        && matches!(c.col, None | Some(ColRole::Actual))
        && m.cmp.is_none()
        && !m.approx
        && !m.paren
        && !c.criteria
        && !reported.contains(&n)
        && (c.col.is_some() || {
            let clause = clause_up_to(doc, n);
            !PART.iter().any(|w| clause.contains(w))
        })
        && !narrowed(n)
}

/// One count retyped with other words around it ("受益农户41,265户" / "补贴资金惠及农户
/// 40,918户", "共完成鉴定1,126户" / "入户鉴定1,184户"): two plain counts of three figures or
/// more in one unit, within 5 % of each other but not equal, whose subjects share a word of
/// two characters that is not about the year or the sum. A warning: the words differ, so the
/// two may count different things that happen to be close.
fn check_near_figures(
    doc: &Doc,
    ctxs: &[Ctx],
    plain_nums: &[usize],
    told: &[usize],
    acc: &mut Vec<Finding>,
) {
    // Two-character words that name no thing.
    const COMMON: &[&str] = &[
        "全年", "年度", "本年", "当年", "完成", "累计", "共计", "合计", "总计", "实际", "项目",
        "全县", "全市", "全省", "全区", "全镇", "全乡", "共有", "开展", "组织", "实施", "通过",
        "情况", "工作", "资金", "其中", "共完", "成了", "年共", "年全", "年累", "人数", "户数",
        "数量", "人次", "总数",
    ];
    // The words right before the figure name what it counts and how ("受益农户" / "惠及农户");
    // words further back set the scene.
    let words = |n: usize| -> Vec<[char; 2]> {
        let k: Vec<char> = ctxs[n].key.chars().collect();
        k[k.len().saturating_sub(4)..]
            .windows(2)
            .filter(|w| w.iter().all(|c| is_cjk(*c)))
            .map(|w| [w[0], w[1]])
            .filter(|w| !COMMON.contains(&w.iter().collect::<String>().as_str()))
            .collect()
    };
    // A round figure (500份, 1,200人, 一百二十名) is a plan, a batch or an estimate as often as
    // a count: only figures written to the last unit are compared.
    let exact = |n: usize| {
        let written = doc.written(n);
        let digits: String = written
            .chars()
            .filter_map(|c| match c {
                '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
                '0'..='9' | '.' | '．' => Some(if c == '．' { '.' } else { c }),
                _ => None,
            })
            .collect();
        let digits = if digits.contains('.') {
            digits.trim_end_matches('0').trim_end_matches('.')
        } else {
            digits.as_str()
        };
        match digits.chars().next_back() {
            Some(last) => last != '0',
            None => {
                let v = doc.nums[n].value;
                10_i64
                    .checked_pow(u32::from(v.scale()) + 1)
                    .is_some_and(|ten| v.mantissa() % ten != 0)
            }
        }
    };
    let big: Vec<usize> = plain_nums
        .iter()
        .copied()
        .filter(|&n| {
            // (What was due, "应兑付农牧户9,876户", is the base of what was done.)
            doc.nums[n].unit != "元"
                && !clause_up_to(doc, n).contains('应')
                // (Nor is "206所实施学校中203所" a second count of the schools.)
                && !clause_up_to(doc, n).ends_with('中')
                && Dec::from_int(100).is_some_and(|h| doc.nums[n].value >= h)
                && exact(n)
                && !told.contains(&(doc.nums[n].line + 1))
        })
        .collect();
    let word_sets: Vec<Vec<[char; 2]>> = big.iter().map(|&n| words(n)).collect();
    let mut reported: Vec<usize> = Vec::new();
    for (i, &a) in big.iter().enumerate() {
        for (j, &b) in big.iter().enumerate().skip(i + 1) {
            let (m, o) = (&doc.nums[a], &doc.nums[b]);
            // (Within a report's length: a folder joined into one text is not paired whole.)
            if o.line > m.line + 400 {
                break;
            }
            if m.unit != o.unit
                || m.value == o.value
                || m.line == o.line
                || reported.contains(&a)
                || reported.contains(&b)
            {
                continue;
            }
            let (lo, hi) = if m.value < o.value {
                (m.value, o.value)
            } else {
                (o.value, m.value)
            };
            // (Within a thousandth, one is the other rounded: "186,742户" / "18.67万户".)
            if !crate::util::within_share(lo, hi, 20)
                || crate::util::within_share(lo, hi, 1000)
                || !word_sets[i].iter().any(|w| word_sets[j].contains(w))
            {
                continue;
            }
            reported.extend([a, b]);
            acc.push(finding(
                "quantity-conflict",
                Severity::Warning,
                format!(
                    "同一数量可能前后不一致：第{}行写“{}”，第{}行写“{}”，相差{}，请核对或说明口径",
                    m.line + 1,
                    doc.written(a).trim(),
                    o.line + 1,
                    doc.written(b).trim(),
                    crate::util::gap(lo, hi, m.unit),
                ),
                [m.line, o.line],
                vec![
                    doc.written(a).trim().to_owned(),
                    doc.written(b).trim().to_owned(),
                ],
            ));
        }
    }
}

/// One set counted with its name before the figure in one place and after it in another
/// ("乡政府聘用专职护林员38名" / "全乡36名专职护林员平均年龄超过55岁"): the name, four
/// characters or more, ends the one's subject and starts the words after the other's figure.
/// A warning: the words around the two counts differ.
fn check_noun_before_and_after(
    doc: &Doc,
    ctxs: &[Ctx],
    plain_nums: &[usize],
    acc: &mut Vec<Finding>,
) {
    // Each plain count by the last four to twelve characters of its subject, where they end
    // right before its figure.
    let mut by_tail: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for &b in plain_nums {
        let o = &doc.nums[b];
        let head = doc.lines[o.line][..o.start].trim_end();
        let key: Vec<char> = ctxs[b].key.chars().collect();
        let in_row = ctxs[b].col.is_some();
        for k in 4..=key.len().min(12) {
            let tail: String = key[key.len() - k..].iter().collect();
            if !tail.chars().all(is_cjk) || !(in_row || head.ends_with(&tail)) {
                break;
            }
            by_tail.entry(tail).or_default().push(b);
        }
    }
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for &a in plain_nums {
        let m = &doc.nums[a];
        let after: Vec<char> = doc.lines[m.line][m.end..]
            .chars()
            .take_while(|c| is_cjk(*c))
            .take(12)
            .collect();
        let candidates: Vec<usize> = (4..=after.len())
            .rev()
            .filter_map(|k| by_tail.get(&after[..k].iter().collect::<String>()))
            .flatten()
            .copied()
            .collect();
        for b in candidates {
            let o = &doc.nums[b];
            if b == a
                || o.unit != m.unit
                || o.value == m.value
                || o.line == m.line
                || o.line.abs_diff(m.line) > 400
            {
                continue;
            }
            let (lo, hi) = if m.value < o.value {
                (m.value, o.value)
            } else {
                (o.value, m.value)
            };
            if !crate::util::within_share(lo, hi, 5) || seen.contains(&(a.min(b), a.max(b))) {
                continue;
            }
            seen.push((a.min(b), a.max(b)));
            let (first, second) = if o.line < m.line { (b, a) } else { (a, b) };
            let (f, s) = (&doc.nums[first], &doc.nums[second]);
            acc.push(finding(
                "quantity-conflict",
                Severity::Warning,
                format!(
                    "同一数量前后不一致：第{}行写“{}”，第{}行写“{}”",
                    f.line + 1,
                    doc.written(first).trim(),
                    s.line + 1,
                    doc.written(second).trim()
                ),
                [f.line, s.line],
                vec![
                    doc.written(first).trim().to_owned(),
                    doc.written(second).trim().to_owned(),
                ],
            ));
        }
    }
}

/// The thing a count is of, named right after it ("九个社区", "8个养护标段"): the first two
/// characters of the run up to the first particle, mark or figure.
/// (The scanner reads 个村 and 镇 as units: "十三个村寨" is 村 followed by 寨.)
fn counted_noun(doc: &Doc, n: usize) -> Option<String> {
    let m = &doc.nums[n];
    let rest = &doc.lines[m.line][m.end..];
    let end = rest
        .char_indices()
        .find(|(_, c)| !is_cjk(*c) || "的和与及等中内里，。、；".contains(*c))
        .map_or(rest.len(), |(i, _)| i);
    let noun = match m.unit {
        "村" | "镇" => format!("{}{}", m.unit, &rest[..end]),
        _ => rest[..end].to_owned(),
    };
    // The noun's first two characters name the set ("养护标段，…" / "养护标段开展月度考核").
    (noun.chars().count() >= 2).then(|| noun.chars().take(2).collect())
}

/// A set of things counted as a whole in one place and as more than that in another, each
/// time named right after its count ("全年共支持12个少数民族特色村寨" / "项目完成十三个村寨的
/// 寨容寨貌整治"; "确定8个养护标段" / "对9个养护标段开展月度考核"): a warning, as the words
/// around the two counts differ. (Fewer than the whole is a part of it: "七个村寨…全部完工".)
fn check_counted_nouns(doc: &Doc, ctxs: &[Ctx], reported: &[usize], acc: &mut Vec<Finding>) {
    // Words before a count that make it a part, a sample or a change of the set.
    const PART: &[&str] = &[
        "其中",
        "中",
        "有",
        "占",
        "每",
        "各",
        "累计",
        "已",
        "未",
        "新增",
        "新建",
        "另",
        "抽",
        "较",
        "比",
        "增加",
        "减少",
        "剩余",
        "其余",
        "全县",
        "全市",
        "全省",
        "全区",
        "全州",
        "全镇",
        "全乡",
        "辖区",
        "共有",
        "计划",
        "目标",
        "不少于",
        "不低于",
        "超过",
        "第",
        "前",
        "后",
        "查看",
        "走访",
        "核查",
        "检查",
    ];
    let mut groups: std::collections::BTreeMap<(&str, String), Vec<usize>> =
        std::collections::BTreeMap::new();
    for (n, (m, c)) in doc.nums.iter().zip(ctxs).enumerate() {
        if !matches!(
            m.unit,
            "个" | "所" | "家" | "座" | "处" | "条" | "支" | "村" | "镇"
        ) || c.target
            || c.col.is_some()
            || m.cmp.is_some()
            || m.approx
            || m.paren
            || c.criteria
            || reported.contains(&n)
        {
            continue;
        }
        let clause = clause_up_to(doc, n);
        if PART.iter().any(|w| clause.contains(w)) || per_item(c) || planned(c) {
            continue;
        }
        let Some(noun) = counted_noun(doc, n) else {
            continue;
        };
        groups.entry((m.unit, noun)).or_default().push(n);
    }
    // Counts that set the whole ("全年共支持12个少数民族特色村寨", "确定8个养护标段").
    const WHOLE: &[&str] = &["支持", "覆盖", "涉及", "确定", "包括", "实施", "安排", "共"];
    for members in groups.into_values() {
        let (wholes, others): (Vec<usize>, Vec<usize>) = members.iter().partition(|&&n| {
            let clause = clause_up_to(doc, n);
            WHOLE.iter().any(|w| clause.contains(w))
        });
        let Some(&whole) = wholes.iter().max_by_key(|&&n| doc.nums[n].value) else {
            continue;
        };
        let Some(&over) = others.iter().max_by_key(|&&n| doc.nums[n].value) else {
            continue;
        };
        let (w, o) = (doc.nums[whole].value, doc.nums[over].value);
        // A step or two more than the whole is the set miscounted; far more is another set.
        if o <= w
            || crate::util::abs_diff(w, o) > Dec::from_int(2).unwrap_or(Dec::ZERO)
            || !crate::util::within_share(o, w, 5)
            || doc.nums[whole].line == doc.nums[over].line
        {
            continue;
        }
        let (ma, mb) = (&doc.nums[whole], &doc.nums[over]);
        let (wa, wb) = (doc.written(whole).trim(), doc.written(over).trim());
        // The count with the noun after it, as written ("十三个村寨").
        let phrase = |n: usize| {
            let m = &doc.nums[n];
            let l = &doc.lines[m.line];
            let noun: String = l[m.end..]
                .chars()
                .take_while(|c| is_cjk(*c) && !"的和与及等中内里".contains(*c))
                .take(4)
                .collect();
            format!("{}{noun}", l[m.start..m.end].trim())
        };
        acc.push(finding(
            "quantity-conflict",
            Severity::Warning,
            format!(
                "第{}行写“{}”，第{}行却写“{}”，多于前者，请核对",
                ma.line + 1,
                phrase(whole),
                mb.line + 1,
                phrase(over)
            ),
            [ma.line, mb.line],
            vec![wa.to_owned(), wb.to_owned()],
        ));
    }
}

/// The words before a figure back to the last mark that ends a clause (not 、: a list's items
/// share their clause, "抽查污水处理设施9座、入河排污口12个").
fn clause_up_to(doc: &Doc, n: usize) -> &str {
    let m = &doc.nums[n];
    let head = &doc.lines[m.line][..m.start];
    // The last of ，,。；： ends the clause before; a byte scan (each is one code point, and a
    // UTF-8 sequence cannot start inside another) is much faster than splitting on characters.
    let stop = (0..head.len()).rev().find(|&i| {
        let b = head.as_bytes();
        b[i] == b','
            || i >= 2
                && matches!(
                    &b[i - 2..=i],
                    [0xEF, 0xBC, 0x8C | 0x9B | 0x9A] | [0xE3, 0x80, 0x82]
                )
    });
    stop.map_or(head, |i| &head[i + 1..])
}

/// A figure in a clause that opens with a check of samples ("抽查污水处理设施9座、入河排污口
/// 12个"): it counts what was looked at, not the work.
fn sampled(doc: &Doc, n: usize) -> bool {
    let clause = clause_up_to(doc, n).trim_start_matches(['共', '并', '还', '另']);
    [
        "抽查",
        "抽取",
        "抽检",
        "抽样",
        "随机抽",
        "实地查看",
        "现场查看",
        "查看",
        "走访",
        "暗访",
        "现场核查",
        "实地核查",
    ]
    .iter()
    .any(|w| clause.starts_with(w))
}

/// A subject that counts what was not done, cancelled or left over.
fn undone(key: &str) -> bool {
    [
        "取消",
        "未完成",
        "未能",
        "未按",
        "暂缓",
        "停止",
        "放弃",
        "未实施",
        "未安装",
        "未发放",
    ]
    .iter()
    .any(|w| key.contains(w))
}

/// Whether two subjects end in one object of four or more characters, and the shorter says
/// before it only how the work was done ("提供法律咨询" / "…共解答群众法律咨询").
fn verb_and_object(a: &str, b: &str) -> bool {
    const VERBS: &[&str] = &[
        "提供", "开展", "完成", "举办", "组织", "实施", "解答", "接待", "受理", "办理",
    ];
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    let common = short
        .chars()
        .rev()
        .zip(long.chars().rev())
        .take_while(|(x, y)| x == y && is_cjk(*x))
        .count();
    let head: String = short.chars().take(short.chars().count() - common).collect();
    common >= 4 && VERBS.contains(&head.as_str())
}

fn check_groups(doc: &Doc, ctxs: &[Ctx], acc: &mut Vec<Finding>) {
    let idx: Vec<usize> = (0..doc.nums.len())
        .filter(|&n| eligible(doc, &ctxs[n], n))
        .collect();
    // Union-find over mentions that name the same thing in the same unit.
    let mut parent: Vec<usize> = (0..idx.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let index = crate::util::SubjectIndex::build(
        idx.iter()
            .enumerate()
            .map(|(k, &n)| (k, ctxs[n].key.as_str())),
    );
    // "全年完成清淤疏浚土方3.62万立方米" and "清淤疏浚土方3.82万立方米" count the same year's
    // work: for anything but money, the year's own words distinguish nothing.
    // (A table cell has no words before it: its row's name carries them.)
    let term_sets: Vec<Vec<&str>> = idx
        .iter()
        .map(|&n| {
            let c = &ctxs[n];
            terms(if c.before.is_empty() && c.col.is_some() {
                &c.key
            } else {
                &c.before
            })
        })
        .collect();
    let undone_flags: Vec<bool> = idx.iter().map(|&n| undone(&ctxs[n].key)).collect();
    let sampled_flags: Vec<bool> = idx.iter().map(|&n| sampled(doc, n)).collect();
    let left_flags: Vec<bool> = idx
        .iter()
        .map(|&n| doc.nums[n].unit == "元" && left_over(doc, &ctxs[n], n))
        .collect();
    let wholes: Vec<Option<&str>> = idx.iter().map(|&n| whole_of_part(doc, ctxs, n)).collect();
    let budget_flags: Vec<bool> = idx
        .iter()
        .map(|&n| doc.nums[n].unit == "元" && budgeted(doc, n, &ctxs[n]))
        .collect();
    let phases: Vec<Option<char>> = idx.iter().map(|&n| phase_of(doc, n)).collect();
    let multi_year_flags: Vec<bool> = idx.iter().map(|&n| multi_year_total(doc, n)).collect();
    let nouns_after: Vec<Option<String>> = idx
        .iter()
        .map(|&n| noun_after(&ctxs[n], doc.nums[n].unit))
        .collect();
    // The same two subjects meet again and again in a long report: compare each pair once.
    let mut ids: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let key_id: Vec<usize> = idx
        .iter()
        .map(|&n| {
            let next = ids.len();
            *ids.entry(ctxs[n].key.as_str()).or_insert(next)
        })
        .collect();
    let memo: std::cell::RefCell<std::collections::HashMap<(usize, usize, usize), bool>> =
        std::cell::RefCell::default();
    let alike = |a: usize, b: usize, min: usize| -> bool {
        let (x, y) = (key_id[a].min(key_id[b]), key_id[a].max(key_id[b]));
        if let Some(&v) = memo.borrow().get(&(x, y, min)) {
            return v;
        }
        let v = same_subject(&ctxs[idx[a]].key, &ctxs[idx[b]].key, min);
        memo.borrow_mut().insert((x, y, min), v);
        v
    };
    let year_free = |t: &[&'static str]| -> Vec<&'static str> {
        t.iter()
            .copied()
            .filter(|w| !matches!(*w, "全年" | "当年" | "本年"))
            .collect()
    };
    for a in 0..idx.len() {
        let near = index.candidates(
            &ctxs[idx[a]].key,
            doc.nums[idx[a]].line,
            |k| doc.nums[idx[k]].line,
            32,
        );
        // Both directions: a short phrase ("空气自动站") finds a longer one that shares all its
        // words, though the longer one does not share half of its own with the short one.
        for b in near.into_iter().filter(|&b| b != a) {
            let (na, nb) = (idx[a], idx[b]);
            let (ma, mb) = (&doc.nums[na], &doc.nums[nb]);
            if ma.unit != mb.unit {
                continue;
            }
            // Two age groups are two sets ("本地常住儿童2,172人" / "＜1岁本地常住儿童为251人").
            let ages = |c: &Ctx| -> Vec<String> {
                let cs: Vec<char> = c.clause.chars().collect();
                (0..cs.len())
                    .filter(|&i| cs[i] == '岁')
                    .map(|i| cs[i.saturating_sub(3)..=i].iter().collect())
                    .collect()
            };
            if ages(&ctxs[na]) != ages(&ctxs[nb]) {
                continue;
            }
            // Two sub-projects' figures are two things ("合同金额962.00万元" for the CT,
            // "合同金额308.64万元" for the branch clinics).
            let (sa, sb) = (doc.sub_project(ma.line), doc.sub_project(mb.line));
            if sa.is_some() && sb.is_some() && sa != sb {
                continue;
            }
            let (ca, cb) = (&ctxs[na], &ctxs[nb]);
            let len = |k: &str| k.chars().filter(|c| is_cjk(*c)).count();
            let (la, lb) = (len(&ca.key), len(&cb.key));
            let comparable = la.min(lb) >= 4 && (la.min(lb) >= 5 || la.max(lb) <= 2 * la.min(lb));
            if !comparable {
                continue;
            }
            // The year's own words set nothing apart when the rest of the words agree and
            // one statement's subject holds the other's ("全年完成清淤疏浚土方" /
            // "清淤疏浚土方"), for anything but money.
            let same_terms = term_sets[a] == term_sets[b]
                || (ma.unit != "元"
                    && year_free(&term_sets[a]) == year_free(&term_sets[b])
                    && la.min(lb) >= 5
                    && (ca.key.contains(cb.key.as_str())
                        || cb.key.contains(ca.key.as_str())
                        // "过渡期生活补助发放人数" / "发放过渡期生活补助": the same words in
                        // another order.
                        || alike(a, b, 6)));
            // "享受产业到户奖补的脱贫户和监测户936户" counts some of "全镇共有脱贫户和监测户
            // 2,136户": a subject narrowed by a clause ending in 的 is another quantity.
            let narrowed = |c: &Ctx| {
                c.before
                    .rfind('的')
                    .is_some_and(|i| c.before[i + '的'.len_utf8()..].chars().count() >= 2)
            };
            if narrowed(ca) != narrowed(cb) {
                continue;
            }
            // "…和舟山市3个海岛礼堂" counts the 海岛礼堂 named after it, whatever came
            // before: another thing than "文化驿站186个" unless the other names it too.
            let elsewhere = |noun: &Option<String>, c: &Ctx| {
                noun.as_ref().is_some_and(|w| {
                    !c.key.contains(w.as_str()) && !c.after.starts_with(w.as_str())
                })
            };
            if elsewhere(&nouns_after[a], cb) || elsewhere(&nouns_after[b], ca) {
                continue;
            }
            // "一期产权调换户612户" / "二期产权调换户378户": each phase's own count, neither
            // the other's nor the project's ("全年共完成入户调查1,400户").
            if phases[a] != phases[b] {
                continue;
            }
            // Two lines next to each other in one shape, each about its own subject ("在校生
            // 问卷发放1,200份，回收有效问卷1,136份…" / "用人单位问卷发放160份，回收有效问卷152份…"):
            // two surveys, not one counted twice.
            if ma.line.abs_diff(mb.line) == 1 && {
                let head = |l: usize| -> String {
                    crate::context::list_mark_stripped(doc.lines[l].trim())
                        .chars()
                        .take(2)
                        .collect()
                };
                let shape = |l: usize| doc.nums_of(l).iter().map(|n| n.unit).collect::<Vec<_>>();
                head(ma.line) != head(mb.line)
                    && shape(ma.line) == shape(mb.line)
                    && shape(ma.line).len() >= 3
            } {
                continue;
            }
            // "神经内科开放床位196张" counts one department's beds, not the hospital's
            // "开放床位２４００张".
            if dept_of(&ca.before) != dept_of(&cb.before) {
                continue;
            }
            // "20盏太阳能杀虫灯取消安装" counts what was not done of "太阳能杀虫灯安装580盏".
            if undone_flags[a] != undone_flags[b] {
                continue;
            }
            // "抽查…入河排污口12个" counts a sample of "整治入河排污口43个".
            if sampled_flags[a] != sampled_flags[b] {
                continue;
            }
            // What was left of a sum is not what was spent of it.
            if left_flags[a] != left_flags[b] {
                continue;
            }
            // "年内4名人员去世或退出" counts more than "年内去世3人"; "县级以上示范村" more than
            // "县级示范村" (not "65岁以上老年人", an age).
            if ca.key.contains('或') != cb.key.contains('或')
                || ["级以上", "级以下"]
                    .iter()
                    .any(|w| ca.key.contains(w) != cb.key.contains(w))
            {
                continue;
            }
            // Parts of two different wholes ("在册特困供养人员86人，其中集中供养14人" and
            // "失能、半失能特困人员18人，其中集中供养11人") are two quantities.
            if let (Some(wa), Some(wb)) = (wholes[a], wholes[b])
                && !same_subject(wa, wb, 4)
            {
                continue;
            }
            if !comparable || !same_terms || !(alike(a, b, 4) || verb_and_object(&ca.key, &cb.key))
            {
                continue;
            }
            // Items of a list on lines next to each other, each under its own label
            // ("13.患者满意度：…收回有效问卷583份" / "14.医务人员满意度：…收回有效问卷120份").
            let item_label = |line: usize| {
                let l = doc.lines[line].trim_start();
                l.split_once(['：', ':'])
                    .map(|(h, _)| h)
                    .filter(|h| h.chars().count() <= 14)
            };
            // (Or further apart with every line between them an item of the list too:
            // "第一季度：核定助餐17,950人次…" … "第四季度：核定助餐20,220人次…".)
            let (lo, hi) = (ma.line.min(mb.line), ma.line.max(mb.line));
            if ma.line != mb.line
                && (hi - lo <= 2 || hi - lo <= 12 && (lo..=hi).all(|k| item_label(k).is_some()))
                && let (Some(la), Some(lb)) = (item_label(ma.line), item_label(mb.line))
                && la != lb
            {
                continue;
            }
            // Parallel clauses of one line ("任务420户，年内竣工406户；…330户，年内竣工241户")
            // share words without being one quantity.
            if ma.line == mb.line && (ca.key != cb.key || la < 6) {
                continue;
            }
            // Money needs the same words, not merely similar ones.
            if ma.unit == "元" && ca.key != cb.key {
                continue;
            }
            // A multi-year total's part ("建设期总预算1.86亿元。其中…学校自筹3,000万元") and the
            // year's ("年度资金来源：…学校自筹900万元") are two sums.
            if ma.unit == "元" && multi_year_flags[a] != multi_year_flags[b] {
                continue;
            }
            // A budget line (预算按用途分为…) and the money actually spent on it are two sums.
            if ma.unit == "元" && budget_flags[a] != budget_flags[b] {
                continue;
            }
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra] = rb;
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, &n) in idx.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(n);
    }
    // Every target figure, by unit and value, once.
    let targets: std::collections::HashSet<(&str, Dec)> = (0..doc.nums.len())
        .filter(|&t| ctxs[t].target)
        .map(|t| (doc.nums[t].unit, doc.nums[t].value))
        .collect();
    for members in groups.values() {
        let mut values: Vec<_> = members.iter().map(|&n| doc.nums[n].value).collect();
        values.sort();
        values.dedup();
        if values.len() < 2 {
            continue;
        }
        // "招募特聘农技员6名，其中1名…离职，年末在岗5名": a sentence that states both values
        // tells them apart itself.
        if let [x, y] = values[..]
            && members.iter().any(|&n| {
                let m = &doc.nums[n];
                let (s, e) = crate::util::sentence(doc, m.line, m.start, m.end);
                let other = if m.value == x { y } else { x };
                // (Not a target beside the result: "完成…126场，完成不少于120场的目标".)
                doc.nums_of(m.line).iter().any(|o| {
                    o.start >= s
                        && o.end <= e
                        && o.unit == m.unit
                        && o.value == other
                        && o.cmp.is_none()
                        && !doc.lines[m.line][o.end..e].starts_with("的目标")
                })
            })
        {
            continue;
        }
        // "新建…60个 / 52个" and "二是8个…选址冲突": the shortfall of a target, stated beside
        // the result, is no second statement of it.
        if let [x, y] = values[..]
            && targets.contains(&(doc.nums[members[0]].unit, crate::util::sum([x, y])))
        {
            continue;
        }
        // "18.65万户" is "186,452户" rounded: values within half a step of the coarsest one
        // written agree.
        if members
            .iter()
            .all(|&a| members.iter().all(|&b| agree_when_rounded(doc, a, b)))
        {
            continue;
        }
        // Two values that sit side by side on every line that mentions them are two things
        // counted in parallel ("游客问卷…收回有效问卷1,162份；居民问卷…收回有效问卷392份"),
        // not one thing counted twice.
        let parallel = members.iter().all(|&n| {
            let line = doc.nums[n].line;
            members
                .iter()
                .filter(|&&m| doc.nums[m].line == line)
                .map(|&m| doc.nums[m].value)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
                >= 2
        });
        if parallel {
            continue;
        }
        let scopes: Vec<Vec<&str>> = members.iter().map(|&n| scope(&ctxs[n])).collect();
        // (A count told before its noun, "3个乡镇空气站…年运维费用", beside one told after it,
        // "建成乡镇空气站2个", may count another set: the new ones against all there are.)
        // (Not one told as work done, "全年完成43个入河排污口的排查整治".)
        let before_noun: Vec<bool> = members
            .iter()
            .map(|&n| {
                noun_after(&ctxs[n], doc.nums[n].unit).is_some()
                    && ![
                        "完成", "建成", "新建", "整治", "实施", "改造", "开展", "组织", "培训",
                        "发放", "建设",
                    ]
                    .iter()
                    .any(|w| ctxs[n].clause.contains(w))
            })
            .collect();
        // (Only when the counts told after their nouns agree among themselves.)
        let after_values: Vec<Dec> = members
            .iter()
            .zip(&before_noun)
            .filter(|(_, b)| !**b)
            .map(|(&n, _)| doc.nums[n].value)
            .collect();
        let mixed = before_noun.contains(&true)
            && !after_values.is_empty()
            && after_values.iter().all(|v| *v == after_values[0]);
        let severity = if scopes.windows(2).all(|w| w[0] == w[1]) && !mixed {
            Severity::Error
        } else {
            Severity::Warning
        };
        let listed: Vec<String> = members
            .iter()
            .map(|&n| format!("第{}行“{}”", doc.nums[n].line + 1, doc.written(n).trim()))
            .collect();
        let what = &ctxs[members[0]].key;
        acc.push(finding(
            "quantity-conflict",
            severity,
            format!(
                "“{what}”前后不一致：{}{}{}",
                listed.join("，"),
                if let [a, b] = members[..] {
                    format!(
                        "，相差 {}",
                        crate::util::gap(doc.nums[a].value, doc.nums[b].value, doc.nums[a].unit)
                    )
                } else {
                    String::new()
                },
                if severity == Severity::Warning {
                    "（统计范围可能不同，请说明）"
                } else {
                    ""
                }
            ),
            members.iter().map(|&n| doc.nums[n].line),
            members
                .iter()
                .map(|&n| doc.written(n).trim().to_owned())
                .collect(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::{digits_of, transposed};
    use jixiao_core::num::Dec;

    #[test]
    fn adjacent_digits_swapped() {
        let dec = |s: &str| Dec::parse(s).unwrap();
        let d = |s: &str| digits_of(dec(s)).unwrap();
        assert!(transposed(&d("1326"), &d("1362")));
        assert!(transposed(&d("40812"), &d("40182")));
        // Decimals and figures in 万 compare by their digits: 42.6 / 46.2, 12640 / 1.246万.
        assert!(transposed(&d("42.6"), &d("46.2")));
        assert!(transposed(&d("12640"), &d("12460")));
        // Not adjacent, more than one swap, other lengths, or the same number.
        assert!(!transposed(&d("1326"), &d("1623")));
        assert!(!transposed(&d("1326"), &d("3162")));
        assert!(!transposed(&d("1326"), &d("13260")));
        assert!(!transposed(&d("1326"), &d("1326")));
        // Two digits are too few to tell a slip from another number.
        assert!(digits_of(dec("23")).is_none());
        assert!(digits_of(dec("0.5")).is_none());
    }
}
