//! Parts and wholes: "共X人，其中A人、B人" (a part above its whole; parts that do not add up),
//! lists with a 合计, table columns with a total row, and differences ("较…增加Y").

use jixiao_core::num::Dec;

use super::quantities::countable;
use super::scores::{RowKind, aligned, numeric_header, row_kind};
use crate::doc::Doc;
use crate::scan::Num;
use crate::util::{close, finding, sentence, show, sub, sum};
use crate::{Finding, Severity};

fn tol(unit: &str) -> Dec {
    // Money is written to the fen or the hundredth of a 万元; counts are whole.
    if unit == "元" {
        Dec::from_int(1).unwrap_or(Dec::ZERO)
    } else {
        Dec::new(1, 2).unwrap_or(Dec::ZERO)
    }
}

fn usable(n: &Num) -> bool {
    (countable(n.unit) || n.unit == "元") && n.cmp.is_none() && !n.approx && !n.paren
}

/// Words after which a number in a 其中 list is no longer a part (结余, 此外 …).
const NOT_A_PART: &[&str] = &[
    // Money the project drew in, not money it spent ("其中撬动创业担保贷款4.86亿元").
    "撬动",
    "带动",
    "贷款",
    "结余",
    "结转",
    "剩余",
    "余额",
    "此外",
    "另外",
    "另有",
    "另设",
    // "…四个维度…，其中决策20分…，共设一级指标4个": a new total ends the parts.
    "共设",
    "共有",
    "另建",
    "另行",
    "未",
    "较",
    "比",
    "占",
    "超额",
    "目标",
    "任务",
    "计划",
    "全年执行",
    "全年支出",
    "实际支出",
    "执行率",
];

/// A figure that is a change, not a total ("较2024年的11,000吨增加1,000吨").
fn is_change(before: &str) -> bool {
    [
        "增加", "减少", "增长", "下降", "提高", "降低", "多", "少", "增", "减",
    ]
    .iter()
    .any(|w| before.trim_end().ends_with(w))
}

/// A figure of an earlier period, given for comparison ("较2024年的11,000吨").
fn is_earlier(before: &str) -> bool {
    let clause = before.rsplit(['，', ',', '。', '；']).next().unwrap_or("");
    ["较", "上年", "去年", "同期"]
        .iter()
        .any(|w| clause.contains(w))
}

/// Units that count the same people: 86例 (cases) found, of whom 91人 re-examined.
fn same_count(a: &str, b: &str) -> bool {
    a == b || matches!((a, b), ("例" | "人" | "名", "例" | "人" | "名"))
}

/// Where `word` first ends a list of parts in `text`: money carried over from last year
/// (上年结转资金12.40万元) is one of the sources, not a balance.
fn not_a_part_at(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        !(word == "结转" && (text[..i].ends_with("上年") || text[..i].ends_with("上年度")))
    })
}

/// Whether a list of parts names only some ("主要…", "…等", "包括…"): a list that ends with
/// the others ("微耕机、谷物烘干机等其他机具146.47万元") names them all.
fn hedged(parts: &str) -> bool {
    ["主要", "等", "部分", "包括", "如"]
        .iter()
        .any(|w| parts.contains(w))
        && !["其他", "其它", "其余"].iter().any(|w| parts.contains(w))
}

/// "垃圾桶2,400个，每个120元，计28.80万元": a unit price (每…, 单价, 标准) is no part of a total.
fn unit_price(text: &str, n: &Num) -> bool {
    let head = text[..n.start].trim_end();
    let tail: String = head.chars().rev().take(4).collect();
    tail.contains('每') || head.ends_with("单价") || head.ends_with("标准")
}

/// "质保金2.70万元为合同价54.00万元的5%": the figure a share is taken of is no part.
fn base_of_share(text: &str, n: &Num) -> bool {
    let after = &text[n.end..];
    after.strip_prefix('的').is_some_and(|rest| {
        let digits = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .count();
        digits > 0 && rest[digits..].starts_with(['%', '％'])
    })
}

/// "其中" statements.
pub fn check_of_which(doc: &Doc, acc: &mut Vec<Finding>) {
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        let nums = doc.nums_of(line);
        let base = doc.line_nums[line].start;
        // Where parts begin: after 其中, and after "全年支出986.45万元中，" (a figure followed
        // by 中).
        // "另对其中因病致困的渔民发放…": 其中 as the object of a verb ("among them") opens no
        // list of parts.
        let mut marks: Vec<usize> = text
            .match_indices("其中")
            .map(|(i, _)| i)
            .filter(|&i| !text[..i].ends_with(['对', '向', '为', '给', '从', '在']))
            .collect();
        marks.extend(nums.iter().filter_map(|n| {
            let after = &text[n.end..];
            (after.starts_with("中，")
                || after.starts_with("中,")
                || after.starts_with("中：")
                || after.starts_with("中:"))
            .then_some(n.end)
        }));
        // "…调整后预算7,136.50万元。调整后预算中，中央…4,960.00万元、省级…": a sentence that
        // opens with the name of a figure of the sentence before, then 中, lists its parts.
        let mut named: Vec<(usize, usize)> = Vec::new();
        for (i, _) in text.match_indices("中，").chain(text.match_indices("中：")) {
            let (s, _) = sentence(doc, line, i, i);
            let name = text[s..i].trim_start_matches(|c: char| !crate::util::is_cjk(c));
            let len = name.chars().count();
            if s == 0 || !(2..=10).contains(&len) || !name.chars().all(crate::util::is_cjk) {
                continue;
            }
            let (ps, _) = sentence(doc, line, s - 1, s - 1);
            let whole = (0..nums.len()).find(|&k| {
                let n = &nums[k];
                n.start >= ps
                    && n.end <= s
                    && usable(n)
                    && text[ps..n.start]
                        .trim_end_matches(['为', '是', '达', '共', '：'])
                        .ends_with(name)
            });
            if let Some(k) = whole {
                let at = i + "中，".len();
                named.push((at, k));
                marks.push(at);
            }
        }
        marks.sort_unstable();
        marks.dedup();
        for p in marks {
            let (s, e) = sentence(doc, line, p, p);
            // The whole: in this sentence before 其中, or in the one before it.
            let prev_start = if s > 0 {
                sentence(doc, line, s.saturating_sub(1), s.saturating_sub(1)).0
            } else {
                0
            };
            let end_of_parts = {
                // Parts run to the end of the sentence or to a clause that is not a part, or
                // to the next 其中 (which opens parts of something else: "…对16名患者…，同时
                // 协助其中5名…").
                let mut end = e;
                for w in NOT_A_PART {
                    if let Some(i) = not_a_part_at(&text[p..e], w) {
                        end = end.min(p + i);
                    }
                }
                if let Some(i) = text[p + "其中".len().min(e - p)..e].find("其中") {
                    end = end.min(p + "其中".len() + i);
                }
                end
            };
            let hedged = hedged(&text[p..end_of_parts]);
            // Parts in brackets count when the 其中 is in them too ("980人次（其中…1,020人次）").
            let bracketed = text[..p]
                .rfind(['（', '('])
                .is_some_and(|o| !text[o..p].contains(['）', ')']));
            let part_ok = |n: &Num| {
                (usable(n) || bracketed && n.paren && n.cmp.is_none() && !n.approx)
                    && !base_of_share(text, n)
            };
            // …and end with the bracket.
            let end_of_parts = if bracketed {
                text[p..end_of_parts]
                    .find(['）', ')'])
                    .map_or(end_of_parts, |i| p + i)
            } else {
                end_of_parts
            };
            let mut units: Vec<&str> = nums
                .iter()
                .filter(|n| n.start > p && n.end <= end_of_parts && part_ok(n))
                .map(|n| n.unit)
                .collect();
            units.sort_unstable();
            units.dedup();
            for unit in units {
                let mut parts: Vec<usize> = (0..nums.len())
                    .filter(|&k| {
                        let n = &nums[k];
                        n.unit == unit && n.start > p && n.end <= end_of_parts && part_ok(n)
                    })
                    .collect();
                // "8,421.60万元，即84,216,000.00元": the same amount restated is not another part.
                parts.dedup_by(|later, earlier| {
                    let (a, b) = (&nums[*earlier], &nums[*later]);
                    let between = &text[a.end.min(b.start)..b.start];
                    a.value == b.value
                        && (between.contains('即')
                            || between.contains("折合")
                            || between.contains('（')
                            || between.contains('(')
                            || b.paren)
                });
                // A candidate whole must not itself be listed after an earlier 其中 of its
                // sentence ("共420户，其中…105户。其中D级210户" compares with 420).
                let is_part = |k: usize| {
                    let (ks, _) = sentence(doc, line, nums[k].start, nums[k].end);
                    text[ks..nums[k].start].contains("其中")
                };
                let before = |from: usize| -> Option<usize> {
                    (0..nums.len()).rfind(|&k| {
                        let n = &nums[k];
                        same_count(n.unit, unit)
                            && n.start >= from
                            && n.end <= p
                            && usable(n)
                            && !is_part(k)
                            && !is_change(&text[..n.start])
                            && !is_earlier(&text[..n.start])
                    })
                };
                let whole = named
                    .iter()
                    .find(|&&(at, k)| at == p && nums[k].unit == unit)
                    .map(|&(_, k)| k)
                    .or_else(|| before(s))
                    .or_else(|| before(prev_start));
                let Some(wk) = whole else { continue };
                // "一级指标为…四项…。其中产出、效益两类三级指标13项": a count of one level of
                // indicators is no part of another level's count.
                let level = |k: usize| {
                    let head = &text[..nums[k].start];
                    let clause = head.rsplit(['，', '。', '；', ',']).next().unwrap_or(head);
                    let clause = if clause.contains("级指标") {
                        clause
                    } else {
                        head
                    };
                    ["一级指标", "二级指标", "三级指标", "四级指标"]
                        .iter()
                        .filter_map(|l| clause.rfind(l).map(|i| (i, *l)))
                        .max()
                        .map(|(_, l)| l)
                };
                if let Some(lw) = level(wk) {
                    parts.retain(|&k| level(k).is_none_or(|lp| lp == lw));
                    if parts.is_empty() {
                        continue;
                    }
                }
                let w = nums[wk].value;
                let wn = base + wk;
                // "支出1,148.37万元，…，结余111.63万元。其中：物资采购支出826.50万元…": the
                // parts add up exactly to another figure before them; they are its parts.
                let parts_sum = sum(parts.iter().map(|&k| nums[k].value));
                if parts.len() >= 2
                    && !close(parts_sum, w, tol(unit))
                    && nums.iter().enumerate().any(|(k, n)| {
                        k != wk
                            && n.end <= p
                            && same_count(n.unit, unit)
                            && close(n.value, parts_sum, tol(unit))
                    })
                {
                    continue;
                }
                // The whole restated among its parts ("16人，其中宫颈癌9人、乳腺癌7人，…对16名
                // 患者…") is no part.
                if parts.len() > 2 {
                    parts.retain(|&k| nums[k].value != w);
                }
                // Nor is a figure said to hold a part ("其中…发现隐患642项，已包含在全县3,452项
                // 之中"), nor one that restates a figure told before 其中.
                let several = parts.len() >= 2;
                parts.retain(|&k| {
                    let head = crate::util::last_chars(&text[..nums[k].start], 6);
                    let restated = nums[..k]
                        .iter()
                        .any(|o| o.end <= p && o.value == nums[k].value && o.unit == nums[k].unit);
                    !(["包含在", "含在", "计入", "纳入"]
                        .iter()
                        .any(|w| head.contains(w))
                        || restated && k != wk && several)
                });
                if parts.is_empty() {
                    continue;
                }
                // "12,860人。其中…8,415人，分别为：甲1236人、乙412人…": the first part has its
                // own breakdown; the rest are parts of it, not of the whole.
                if parts.len() >= 3
                    && let [first, second, ..] = parts[..]
                    && ["分别为", "分别是", "包括", "："]
                        .iter()
                        .any(|m| text[nums[first].end..nums[second].start].contains(m))
                {
                    parts.truncate(1);
                }
                for &pk in &parts {
                    if nums[pk].value > w {
                        acc.push(finding(
                            "part-exceeds-whole",
                            Severity::Error,
                            format!(
                                "总数为“{}”，其中一项却是“{}”，部分比整体多 {}",
                                doc.written(wn).trim(),
                                doc.written(base + pk).trim(),
                                crate::util::gap(nums[pk].value, w, unit)
                            ),
                            [line],
                            vec![
                                doc.written(wn).trim().to_owned(),
                                doc.written(base + pk).trim().to_owned(),
                            ],
                        ));
                    }
                }
                if parts.len() >= 2 {
                    let total = sum(parts.iter().map(|&k| nums[k].value));
                    let exceeds = total > w && !close(total, w, tol(unit));
                    // Parts named by the levels of government that fund the project (中央、省级、
                    // 县级资金) are all of it: any shortfall is an error, however large.
                    let by_level = parts.len() >= 3 && {
                        let mut from = p;
                        parts.iter().all(|&k| {
                            let label = &text[from.min(nums[k].start)..nums[k].start];
                            from = nums[k].end;
                            [
                                "中央",
                                "省级",
                                "省财政",
                                "市级",
                                "县级",
                                "区级",
                                "州级",
                                "县财政",
                                "市财政",
                                "自筹",
                            ]
                            .iter()
                            .any(|w| label.contains(w))
                        })
                    };
                    // (Answers named after 其中, "“非常满意”403份、“满意”148份", need not be all
                    // of them: the others go unnamed.)
                    let answers = parts.iter().all(|&k| {
                        crate::util::last_chars(&text[..nums[k].start], 6).contains("满意")
                    });
                    let short = total < w
                        && !close(total, w, tol(unit))
                        && !hedged
                        && !answers
                        && (by_level
                            || total
                                .to_ratio()
                                .checked_mul(jixiao_core::num::Ratio::new(10, 9))
                                .is_some_and(|t| t >= w.to_ratio()));
                    // Counts of another kind than the whole's ("4个一级指标，其中…下设…3个二级指标")
                    // are no parts of it.
                    let noun = |end: usize| -> String {
                        text[end..]
                            .chars()
                            .take_while(|c| crate::util::is_cjk(*c))
                            .take(4)
                            .collect()
                    };
                    let whole_noun = noun(doc.nums[wn].end);
                    let other_kind = unit != "元"
                        && whole_noun.chars().count() >= 2
                        && parts.iter().any(|&k| {
                            let n = noun(nums[k].end);
                            n.chars().count() >= 2
                                && n.chars().take(2).ne(whole_noun.chars().take(2))
                        });
                    // Each part within the one before ("回收190份，其中有效问卷187份，表示满意
                    // 的175份"): a chain of subsets, not parts to add.
                    let nested = parts
                        .windows(2)
                        .all(|p| nums[p[1]].value <= nums[p[0]].value)
                        && parts[1..].iter().all(|&k| {
                            text[..nums[k].start]
                                .rsplit(['，', ',', '；'])
                                .next()
                                .is_some_and(|c| c.trim_end().ends_with('的'))
                        });
                    if (exceeds && !nested || short) && !other_kind {
                        let mut values = vec![doc.written(wn).trim().to_owned()];
                        values.extend(
                            parts
                                .iter()
                                .map(|&k| doc.written(base + k).trim().to_owned()),
                        );
                        acc.push(finding(
                            "sum-mismatch",
                            Severity::Error,
                            format!(
                                "总数“{}”与其中各项之和 {} 不符",
                                doc.written(wn).trim(),
                                show(total, unit)
                            ),
                            [line],
                            values,
                        ));
                    }
                }
            }
        }
    }
}

/// A 其中 whose whole is on an earlier line: "…全年共发放城乡低保金5,637.84万元…" then, on
/// the next line, "…个人账户。其中，农村低保全年发放保障金56,912,400元"; or a list of
/// parts one per line under a heading ("补贴资金按用途分列如下：" / "其中：…5,862.40万元；" /
/// "…1,763.50万元；"). Nothing before the 其中 on its line states a figure, so the whole is
/// the figure of the nearest earlier line with figures of the parts' unit that comes
/// closest to them, and only within a tenth of them: a breakdown of something the text never
/// totals is left alone.
pub fn check_of_which_above(doc: &Doc, acc: &mut Vec<Finding>) {
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        // Or a line of sources under the whole stated just above ("调整后预算205.60万元。" /
        // "按资金来源分：省级…60.00万元，市级…45.00万元，区级…100.50万元。").
        let by_source = ["按资金来源分", "按来源分", "资金来源："]
            .iter()
            .find_map(|w| {
                text.trim_start()
                    .starts_with(w)
                    .then(|| text.find(w))
                    .flatten()
            });
        let Some(p) = text.find("其中").or(by_source) else {
            continue;
        };
        let nums = doc.nums_of(line);
        if nums.iter().any(|n| n.start < p)
            || text[..p].ends_with(['对', '向', '为', '给', '从', '在'])
        {
            continue;
        }
        // (A line of sources runs to its end, past the semicolons between them: "…举办方投入
        // 支出400万元，执行率均为100%；学校自筹资金支出146.38万元，执行率58.55%。")
        let (_, e) = if by_source.is_some_and(|b| b == p) {
            (0, text.len())
        } else {
            sentence(doc, line, p, p)
        };
        let mut end = e;
        for w in NOT_A_PART {
            // (A line of sources tells each source's rate beside its sum.)
            if by_source.is_some_and(|b| b == p) && *w == "执行率" {
                continue;
            }
            if let Some(i) = not_a_part_at(&text[p..e], w) {
                end = end.min(p + i);
            }
        }
        let hedged = hedged(&text[p..end]);
        // (line, index within the line) of each part.
        let mut parts: Vec<(usize, usize)> = (0..nums.len())
            .filter(|&k| {
                nums[k].start > p
                    && nums[k].end <= end
                    && usable(&nums[k])
                    && !base_of_share(text, &nums[k])
            })
            .map(|k| (line, k))
            .collect();
        let Some(&(_, first)) = parts.first() else {
            continue;
        };
        let unit = nums[first].unit;
        parts.retain(|&(_, k)| nums[k].unit == unit);
        // Parts that go on over the next lines, one per line, each ending in ；.
        if text[end..]
            .trim_matches(['；', ';', ' ', '\u{3000}'])
            .is_empty()
            && text.trim_end().ends_with(['；', ';'])
        {
            for next in line + 1..doc.lines.len() {
                let t = doc.lines[next].trim();
                let ns: Vec<usize> = (0..doc.nums_of(next).len())
                    .filter(|&k| usable(&doc.nums_of(next)[k]))
                    .collect();
                if t.is_empty() || t.chars().count() > 60 || ns.len() != 1 || t.contains("其中") {
                    break;
                }
                if doc.nums_of(next)[ns[0]].unit != unit {
                    break;
                }
                parts.push((next, ns[0]));
                if !t.ends_with(['；', ';']) {
                    break;
                }
            }
        }
        let value = |(l, k): (usize, usize)| doc.nums_of(l)[k].value;
        let total = sum(parts.iter().map(|&x| value(x)));
        let biggest = parts.iter().map(|&x| value(x)).max().unwrap_or(Dec::ZERO);
        let target = if parts.len() >= 2 && !hedged {
            total
        } else {
            biggest
        };
        // The nearest earlier line with figures of this unit, up to three lines back.
        let Some(above) = (line.saturating_sub(3)..line)
            .rev()
            .find(|&l| doc.nums_of(l).iter().any(|n| n.unit == unit && usable(n)))
        else {
            continue;
        };
        let above_nums = doc.nums_of(above);
        let above_text = &doc.lines[above];
        let whole = (0..above_nums.len())
            .filter(|&k| {
                let n = &above_nums[k];
                n.unit == unit
                    && usable(n)
                    && !is_change(&above_text[..n.start])
                    && !is_earlier(&above_text[..n.start])
            })
            .min_by_key(|&k| crate::util::abs_diff(above_nums[k].value, target));
        let Some(wk) = whole else { continue };
        let w = above_nums[wk].value;
        if !crate::util::within_tenth(target, w) {
            continue;
        }
        let written = |x: (usize, usize)| written_at(doc, x);
        let whole_written = written((above, wk));
        if let Some(&big) = parts.iter().find(|&&x| value(x) > w) {
            acc.push(finding(
                "part-exceeds-whole",
                Severity::Error,
                format!(
                    "总数为“{whole_written}”，其中一项却是“{}”，部分比整体多 {}",
                    written(big),
                    crate::util::gap(value(big), w, unit)
                ),
                [above, big.0],
                vec![whole_written, written(big)],
            ));
        } else if parts.len() >= 2 && !hedged && !close(total, w, tol(unit)) {
            acc.push(parts_mismatch(doc, (above, wk), &parts, total, "其中各项"));
        }
    }
}

/// The figure at index `k` of line `l`, as written.
fn written_at(doc: &Doc, (l, k): (usize, usize)) -> String {
    doc.written(doc.line_nums[l].start + k).trim().to_owned()
}

/// The error for a whole (line, index) whose `parts` add up to `total` instead; `listed`
/// says how the parts were given (其中各项 …). A sum in 元 beside a whole written in 元 is
/// shown in 元.
fn parts_mismatch(
    doc: &Doc,
    whole: (usize, usize),
    parts: &[(usize, usize)],
    total: Dec,
    listed: &str,
) -> Finding {
    let unit = doc.nums_of(whole.0)[whole.1].unit;
    let whole_written = written_at(doc, whole);
    let mut values = vec![whole_written.clone()];
    values.extend(parts.iter().map(|&x| written_at(doc, x)));
    let shown = if unit == "元" && !whole_written.contains(['万', '亿']) {
        format!("{}元", crate::util::with_decimals(total, 2))
    } else {
        show(total, unit)
    };
    finding(
        "sum-mismatch",
        Severity::Error,
        format!("总数“{whole_written}”与{listed}之和 {shown} 不符"),
        std::iter::once(whole.0).chain(parts.iter().map(|&(l, _)| l)),
        values,
    )
}

/// "全年实际支出1,203,580.00元，预算执行率93.56%。其中：" closing its line, the parts one per
/// line below it ("1.宫颈癌筛查…费用742,600.00元；" …), each ending in ； and the last in 。:
/// together they are the whole, the last figure of their unit before 其中.
pub fn check_of_which_below(doc: &Doc, acc: &mut Vec<Finding>) {
    for line in 0..doc.lines.len() {
        let text = doc.lines[line].trim_end();
        let Some(head) = text
            .strip_suffix("其中：")
            .or_else(|| text.strip_suffix("其中:"))
        else {
            continue;
        };
        let mut parts: Vec<(usize, usize)> = Vec::new();
        let mut unit = "";
        for next in line + 1..doc.lines.len().min(line + 16) {
            let t = doc.lines[next].trim();
            let ns: Vec<usize> = (0..doc.nums_of(next).len())
                .filter(|&k| {
                    let n = &doc.nums_of(next)[k];
                    usable(n) && !n.unit.is_empty()
                })
                .collect();
            let [k] = ns.as_slice() else { break };
            let u = doc.nums_of(next)[*k].unit;
            if t.chars().count() > 60 || !unit.is_empty() && u != unit {
                break;
            }
            unit = u;
            parts.push((next, *k));
            if !t.ends_with(['；', ';']) {
                break;
            }
        }
        if parts.len() < 2 || hedged(head) {
            continue;
        }
        let nums = doc.nums_of(line);
        let Some(wk) = (0..nums.len())
            .rev()
            .find(|&k| nums[k].unit == unit && usable(&nums[k]) && nums[k].end <= head.len())
        else {
            continue;
        };
        let value = |(l, k): (usize, usize)| doc.nums_of(l)[k].value;
        let total = sum(parts.iter().map(|&x| value(x)));
        let w = nums[wk].value;
        // (A breakdown far from its whole is of something else.)
        if close(total, w, tol(unit)) || !crate::util::within_tenth(total, w) {
            continue;
        }
        acc.push(parts_mismatch(
            doc,
            (line, wk),
            &parts,
            total,
            "其下逐行列出的各项",
        ));
    }
}

/// "在农村转移就业劳动力培训中，脱贫劳动力9,620人次": a part of a whole stated just before
/// ("农村转移就业劳动力培训9,260人次") cannot exceed it.
pub fn check_within(doc: &Doc, acc: &mut Vec<Finding>) {
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        for (at, _) in text.match_indices('在') {
            let (s, e) = sentence(doc, line, at, at);
            let lead = text[s..at].trim_start_matches(|c: char| !crate::util::is_cjk(c));
            if !lead.is_empty() {
                continue;
            }
            let Some(close) = text[at..e].find("中，").map(|i| at + i) else {
                continue;
            };
            let what = &text[at + '在'.len_utf8()..close];
            let cjk = what.chars().filter(|c| crate::util::is_cjk(*c)).count();
            if !(4..=20).contains(&cjk) || what.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            let parts: Vec<&Num> = doc
                .nums_of(line)
                .iter()
                .filter(|n| n.start > close && n.end <= e && usable(n))
                .collect();
            for part in parts {
                // The whole: the same unit, named as `what` right before it, in this line
                // or the three before.
                let whole = (line.saturating_sub(3)..=line).rev().find_map(|l| {
                    doc.nums_of(l).iter().rev().find(|w| {
                        if w.unit != part.unit || (l == line && w.start >= at) || !usable(w) {
                            return false;
                        }
                        let lt = &doc.lines[l];
                        let head =
                            crate::util::last_chars(&lt[..w.start], what.chars().count() + 2);
                        let (common, shorter) = crate::util::overlap(head, what);
                        shorter > 0 && common == shorter
                    })
                });
                let Some(whole) = whole else { continue };
                if part.value > whole.value {
                    acc.push(finding(
                        "part-exceeds-whole",
                        Severity::Error,
                        format!(
                            "“{what}”共“{}”，其中一部分却是“{}”，部分比整体多 {}",
                            doc.lines[whole.line][whole.start..whole.end].trim(),
                            text[part.start..part.end].trim(),
                            crate::util::gap(part.value, whole.value, part.unit)
                        ),
                        [whole.line, line],
                        vec![
                            doc.lines[whole.line][whole.start..whole.end]
                                .trim()
                                .to_owned(),
                            text[part.start..part.end].trim().to_owned(),
                        ],
                    ));
                }
            }
        }
    }
}

/// "分配市县3,420.00万元（17个省辖市2,280.00万元，济源市和10个省直管县1,040.00万元）": a sum
/// of money followed by its parts in brackets, two or more, each named. Parts that fall far
/// short or far over are some other figures, not a breakdown.
pub fn check_bracketed_parts(doc: &Doc, acc: &mut Vec<Finding>) {
    const NOT_PARTS: &[&str] = &[
        "其中", "较", "比", "增", "减", "上年", "同比", "占", "%", "％", "含", "每", "标准",
        "单价", "累计", "结余", "结转", "合同", "约", "扣",
    ];
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        if !text.contains('（') && !text.contains('(') {
            continue;
        }
        let nums = doc.nums_of(line);
        for (w, whole) in nums.iter().enumerate() {
            if whole.unit != "元" || !usable(whole) {
                continue;
            }
            let rest = &text[whole.end..];
            let Some(open) = rest.strip_prefix(['（', '(']) else {
                continue;
            };
            let Some(shut) = open.find(['）', ')']) else {
                continue;
            };
            let (from, to) = (text.len() - open.len(), text.len() - open.len() + shut);
            let inner = &text[from..to];
            if NOT_PARTS.iter().any(|x| inner.contains(x)) || hedged(inner) {
                continue;
            }
            let parts: Vec<usize> = (0..nums.len())
                .filter(|&k| {
                    let n = &nums[k];
                    n.start >= from
                        && n.end <= to
                        && n.unit == "元"
                        && n.cmp.is_none()
                        && !n.approx
                        && text[..n.start]
                            .chars()
                            .next_back()
                            .is_some_and(crate::util::is_cjk)
                })
                .collect();
            if parts.len() < 2 {
                continue;
            }
            let total = parts
                .iter()
                .fold(Dec::ZERO, |acc, &k| add(acc, nums[k].value));
            let (whole_v, sum) = (whole.value.to_ratio(), total.to_ratio());
            let near = |num: i128, den: i128| {
                whole_v
                    .checked_mul(jixiao_core::num::Ratio::new(num, den))
                    .is_some_and(|bound| {
                        if num < den {
                            sum >= bound
                        } else {
                            sum <= bound
                        }
                    })
            };
            let differs = !close(total, whole.value, tol(whole.unit));
            if differs && near(4, 5) && near(5, 4) {
                let cited: Vec<(usize, usize)> = parts.iter().map(|&k| (line, k)).collect();
                acc.push(parts_mismatch(doc, (line, w), &cited, total, "括号内各项"));
            }
        }
    }
}

/// "A x、B y、C z，合计W": the listed amounts against the stated total.
pub fn check_listed_totals(doc: &Doc, acc: &mut Vec<Finding>) {
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        let nums = doc.nums_of(line);
        let base = doc.line_nums[line].start;
        for (k, n) in nums.iter().enumerate() {
            let before = &text[..n.start];
            let key = before.trim_end();
            if !(key.ends_with("合计") || key.ends_with("共计") || key.ends_with("总计"))
                || !usable(n)
            {
                continue;
            }
            let (s, _) = sentence(doc, line, n.start, n.end);
            // "合计675处（套）": a total in two units adds the parts of both.
            let second_unit = text[n.end..]
                .strip_prefix('（')
                .and_then(|r| r.split_once('）'))
                .map(|(u, _)| u)
                .filter(|u| !u.is_empty() && u.chars().count() <= 2);
            let parts: Vec<usize> = (0..k)
                .filter(|&j| {
                    nums[j].start >= s
                        && (nums[j].unit == n.unit || second_unit == Some(nums[j].unit))
                        && usable(&nums[j])
                        && !unit_price(text, &nums[j])
                })
                .collect();
            // "按在校学生28,460人×1,000元核定，共计28,460,000元": a product, not a sum.
            // (Nor is "于6月15日、12月15日各付息114.40万元，合计228.80万元": a figure told for
            // each of several.)
            let each = parts.iter().any(|&j| {
                let head = &text[s..nums[j].start];
                head.rsplit(['，', ',', '；'])
                    .next()
                    .is_some_and(|c| c.contains('各'))
            });
            if parts.len() < 2 || each || text[s..n.start].contains(['×', '*', '＊']) {
                continue;
            }
            // "用于帮扶援助、走访慰问和医疗救助，三项合计282.30万元": the total says how many
            // items it adds; figures of another number are not those items.
            let word = ["合计", "共计", "总计"]
                .iter()
                .find(|w| key.ends_with(*w))
                .map_or(0, |w| w.len());
            let counted = key[..key.len() - word].trim_end();
            let stated = nums[..k].iter().rev().find(|m| {
                text[..m.end].trim_end().len() == counted.len()
                    && ["项", "类", "笔", "部分"].contains(&m.unit)
            });
            if stated.is_some_and(|m| {
                m.value
                    != Dec::from_int(i64::try_from(parts.len()).unwrap_or(0)).unwrap_or(Dec::ZERO)
            }) {
                continue;
            }
            let total = sum(parts.iter().map(|&j| nums[j].value));
            if !close(total, n.value, tol(n.unit)) {
                let mut values: Vec<String> = parts
                    .iter()
                    .map(|&j| doc.written(base + j).trim().to_owned())
                    .collect();
                values.push(doc.written(base + k).trim().to_owned());
                acc.push(finding(
                    "sum-mismatch",
                    Severity::Error,
                    format!(
                        "所列各项之和为 {}，合计却写作“{}”",
                        show(total, n.unit),
                        doc.written(base + k).trim()
                    ),
                    [line],
                    values,
                ));
            }
        }
    }
}

/// "全年实际支出419.52万元，主要用于：A 182.60万元、B 146.30万元…": money broken down by use
/// right after its whole, in one sentence; and "从救助类型看，A获得救助152.30万元，B…": a
/// breakdown whose whole the report states elsewhere.
pub fn check_breakdowns(doc: &Doc, acc: &mut Vec<Finding>) {
    const MARKERS: &[&str] = &[
        "主要用于：",
        "主要用于",
        "具体用于：",
        "具体用于",
        "用于：",
        "具体为：",
        "支出构成为：",
        "支出结构为：",
        "构成如下：",
    ];
    // Sums of money the report states, to recognise the whole of a breakdown given alone.
    let mut stated: Vec<Dec> = doc
        .nums
        .iter()
        .filter(|n| n.unit == "元")
        .map(|n| n.value)
        .collect();
    stated.sort();
    stated.dedup();
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        if !["用于", "具体为", "看", "构成"]
            .iter()
            .any(|w| text.contains(w))
        {
            continue;
        }
        let nums = doc.nums_of(line);
        let base = doc.line_nums[line].start;
        let mut from = 0;
        while from < text.len() {
            let (s, e) = sentence(doc, line, from, from);
            let e = e.max(from).min(text.len());
            let sent = &text[s..e];
            // On past the sentence's end mark.
            from = e + text[e..].chars().next().map_or(1, char::len_utf8);
            let money: Vec<usize> = (0..nums.len())
                .filter(|&j| {
                    let n = &nums[j];
                    n.start >= s && n.end <= e && n.unit == "元" && usable(n)
                })
                .collect();
            if money.len() < 2 {
                continue;
            }
            let marker = MARKERS
                .iter()
                .find_map(|m| sent.find(m).map(|i| (s + i, s + i + m.len())));
            let (whole, parts, hedge): (Option<usize>, Vec<usize>, bool) =
                if let Some((at, end)) = marker {
                    // The whole: the last sum right before the marker; or, when the marker opens
                    // its sentence ("…全年实际支出186.40万元…。支出构成为：…"), the sum spent in
                    // the sentence before.
                    let w = match money.iter().rev().find(|&&j| nums[j].end <= at) {
                        Some(&w) => {
                            let between = &text[nums[w].end..at];
                            if !between.trim_start_matches(['，', ',']).is_empty()
                                && between.chars().count() > 2
                            {
                                continue;
                            }
                            w
                        }
                        None if text[s..at].chars().count() <= 2 && s > 0 => {
                            let (ps, _) = sentence(doc, line, s - 1, s - 1);
                            let Some(w) = (0..nums.len()).find(|&j| {
                                let n = &nums[j];
                                let lead: String = text[..n.start].chars().rev().take(6).collect();
                                n.start >= ps
                                    && n.end < s
                                    && n.unit == "元"
                                    && usable(n)
                                    && ["出支", "行执", "用使"].iter().any(|w| lead.contains(w))
                            }) else {
                                continue;
                            };
                            w
                        }
                        None => continue,
                    };
                    let parts: Vec<usize> = money
                        .iter()
                        .copied()
                        .filter(|&j| nums[j].start >= end && !unit_price(text, &nums[j]))
                        .collect();
                    let hedge = sent.contains("主要") || hedged(&text[end..e]);
                    (Some(w), parts, hedge)
                } else {
                    // "从救助类型看，…": a breakdown that opens its sentence.
                    let lead = sent.trim_start_matches(|c: char| !crate::util::is_cjk(c));
                    let opens = (lead.starts_with('从') || lead.starts_with("分"))
                        && lead
                            .split_once('，')
                            .is_some_and(|(h, _)| h.ends_with('看') && h.chars().count() <= 12);
                    if !opens || hedged(sent) {
                        continue;
                    }
                    let parts: Vec<usize> = money
                        .iter()
                        .copied()
                        .filter(|&j| !unit_price(text, &nums[j]))
                        .collect();
                    if parts.len() < 3 {
                        continue;
                    }
                    (None, parts, false)
                };
            if parts.len() < 2 {
                continue;
            }
            let total = sum(parts.iter().map(|&j| nums[j].value));
            let mut values: Vec<String> = parts
                .iter()
                .map(|&j| doc.written(base + j).trim().to_owned())
                .collect();
            match whole {
                Some(w) => {
                    let wv = nums[w].value;
                    if close(total, wv, tol("元")) {
                        continue;
                    }
                    // Main uses may leave small ones out; a gap of a hundredth or less is a
                    // slip to check, a larger one may be the uses not named.
                    let small = total < wv && crate::util::within_share(total, wv, 100);
                    let severity = if !hedge || total > wv {
                        Severity::Error
                    } else if small {
                        Severity::Warning
                    } else {
                        continue;
                    };
                    values.insert(0, doc.written(base + w).trim().to_owned());
                    acc.push(finding(
                        "sum-mismatch",
                        severity,
                        format!(
                            "“{}”所列各项用途之和为 {}，相差 {}",
                            doc.written(base + w).trim(),
                            show(total, "元"),
                            crate::util::gap(total, wv, "元")
                        ),
                        [line],
                        values,
                    ));
                }
                None => {
                    if stated.binary_search(&total).is_ok() {
                        continue;
                    }
                    // The whole the breakdown is of: a sum stated elsewhere within a fiftieth.
                    let Some(&wv) = stated.iter().find(|&&v| {
                        crate::util::within_share(total, v, 50)
                            && !parts.iter().any(|&j| nums[j].value == v)
                    }) else {
                        continue;
                    };
                    let Some(wn) = doc
                        .nums
                        .iter()
                        .position(|n| n.unit == "元" && n.value == wv && n.line != line)
                    else {
                        continue;
                    };
                    values.push(doc.written(wn).trim().to_owned());
                    acc.push(finding(
                        "sum-mismatch",
                        Severity::Warning,
                        format!(
                            "分项金额之和为 {}，与第{}行的“{}”相差 {}，请核对",
                            show(total, "元"),
                            doc.nums[wn].line + 1,
                            doc.written(wn).trim(),
                            crate::util::gap(total, wv, "元")
                        ),
                        [doc.nums[wn].line, line],
                        values,
                    ));
                }
            }
        }
    }
}

/// "参训医技人员164人，经考核合格并取得院内上岗授权的172人": those who passed, in the same
/// sentence as those who took part, cannot be more.
pub fn check_passed_of_trained(doc: &Doc, acc: &mut Vec<Finding>) {
    // (What took part, what passed, the units counted, and the message's two words.)
    // Questionnaires too: "发放满意度问卷300份，收回有效问卷312份" returns more than it sent.
    type Pair = (
        &'static [&'static str],
        &'static [&'static str],
        &'static [&'static str],
        &'static str,
        &'static str,
        &'static str,
    );
    const PAIRS: &[Pair] = &[
        (
            &["参训", "培训", "参加", "报名", "参考"],
            &["合格", "通过", "取得", "获证", "结业"],
            &["人", "人次"],
            "参加的共",
            "其中合格或通过的却有",
            "多于参加的人数",
        ),
        (
            &["发放", "发出", "派发"],
            &["回收", "收回"],
            &["份"],
            "发放的问卷共",
            "收回的却有",
            "多于发放的份数",
        ),
    ];
    for &(took_part, passed, units, whole_words, part_words, more) in PAIRS {
        for line in 0..doc.lines.len() {
            let text = &doc.lines[line];
            if !passed
                .iter()
                .any(|w| doc.may_contain(line, w) && text.contains(w))
            {
                continue;
            }
            let nums = doc.nums_of(line);
            for (i, a) in nums.iter().enumerate() {
                if !units.contains(&a.unit) || !usable(a) {
                    continue;
                }
                let head = crate::util::cjk_tail(&text[..a.start], 8);
                if !took_part.iter().any(|w| head.contains(w)) {
                    continue;
                }
                let (_, e) = sentence(doc, line, a.start, a.end);
                let Some(b) = nums[i + 1..].iter().find(|b| {
                    b.start < e && b.unit == a.unit && usable(b) && {
                        // The words right before the second count say it passed.
                        let between = &text[a.end..b.start];
                        let own = between.rsplit(['，', ',']).next().unwrap_or(between);
                        passed.iter().any(|w| own.contains(w))
                            && !["不合格", "未", "没有"].iter().any(|w| own.contains(w))
                    }
                }) else {
                    continue;
                };
                if b.value > a.value {
                    let (wa, wb) = (text[a.start..a.end].trim(), text[b.start..b.end].trim());
                    acc.push(finding(
                        "part-exceeds-whole",
                        Severity::Error,
                        format!("{whole_words}“{wa}”，{part_words}“{wb}”，{more}"),
                        [line],
                        vec![wa.to_owned(), wb.to_owned()],
                    ));
                }
            }
        }
    }
}

/// A table of two years side by side and their change ("指标 2024年 2025年 增减" / "门诊人次
/// 486,200 519,280 +8.60%"): each row's change is the later figure against the earlier one.
pub fn check_change_columns(doc: &Doc, acc: &mut Vec<Finding>) {
    let year_of = |h: &str| -> Option<i32> {
        let digits: String = h.chars().take_while(char::is_ascii_digit).collect();
        (digits.len() == 4 && h[4..].starts_with('年')).then(|| digits.parse().ok())?
    };
    for t in doc.tables.iter().filter(|t| t.header && t.rows.len() >= 2) {
        let header = &t.rows[0];
        let heads: Vec<&str> = header
            .cells
            .iter()
            .map(|c| doc.cell_text(c).trim())
            .collect();
        let years: Vec<(usize, i32)> = heads
            .iter()
            .enumerate()
            .filter_map(|(i, h)| Some((i, year_of(h)?)))
            .collect();
        let [(ea, ya), (eb, yb)] = years.as_slice() else {
            continue;
        };
        let (from, to) = if ya < yb { (*ea, *eb) } else { (*eb, *ea) };
        let Some(change) = heads.iter().position(|h| {
            ["增减", "增长", "同比", "变化", "增幅"]
                .iter()
                .any(|w| h.contains(w))
                && !["额", "量", "数"].iter().any(|w| h.contains(w))
        }) else {
            continue;
        };
        for r in &t.rows[1..] {
            let cells = aligned(doc, &r.cells, &header.cells);
            let pick = |i: usize| cells.get(i).copied().flatten().and_then(|c| c.nums.first());
            let (Some(&a), Some(&b), Some(&c)) = (pick(from), pick(to), pick(change)) else {
                continue;
            };
            let (ma, mb, mc) = (&doc.nums[a], &doc.nums[b], &doc.nums[c]);
            if mc.unit != "%" || ma.unit != mb.unit || ma.unit == "%" || ma.value.is_zero() {
                continue;
            }
            let delta = sub(mb.value, ma.value);
            let up = !delta.is_negative();
            let size = if up { delta } else { sub(ma.value, mb.value) };
            // (A sign written before the change says which way: "+8.60%", "-3.20%".)
            let cell_text = &doc.lines[mc.line][..mc.start];
            let signed_down = cell_text.ends_with(['-', '－', '−']);
            let signed_up = cell_text.ends_with(['+', '＋']);
            let wrong_way = signed_down && up && !size.is_zero() || signed_up && !up;
            if wrong_way || !crate::checks::money::matches_rate(mc, size, ma.value) {
                let exact = size.ratio(ma.value).map(|r| r.percent(2));
                let w = |k: usize| doc.written(k).trim().to_owned();
                acc.push(finding(
                    "percent-of-parts",
                    Severity::Error,
                    format!(
                        "由“{}”变为“{}”，变化幅度为 {}{}%，表中写作“{}”",
                        w(a),
                        w(b),
                        if up { "+" } else { "-" },
                        exact.map(|e| e.to_string()).unwrap_or_default(),
                        w(c)
                    ),
                    [mc.line],
                    vec![w(a), w(b), w(c)],
                ));
            }
        }
    }
}

/// Columns of non-score tables against their 合计 / 总计 rows.
pub fn check_table_sums(doc: &Doc, acc: &mut Vec<Finding>) {
    for t in doc.tables.iter().filter(|t| t.header && t.rows.len() >= 4) {
        let header = &t.rows[0];
        let width = header.cells.len();
        let label = |r: &crate::doc::Row| -> String {
            r.cells
                .iter()
                .filter(|c| c.nums.is_empty())
                .map(|c| doc.cell_text(c))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let rows: Vec<(String, Vec<Option<usize>>)> = t.rows[1..]
            .iter()
            .map(|r| {
                let cells = aligned(doc, &r.cells, &header.cells);
                (
                    label(r),
                    cells
                        .iter()
                        .map(|c| c.and_then(|c| c.nums.first().copied()))
                        .collect(),
                )
            })
            .collect();
        let summed = |col: usize| {
            let h = doc.cell_text(&header.cells[col]);
            // (Nor are shares and progress, "执行进度" in %: they are no amounts.)
            // A short header of other words ("保育工时", "托育人日") names a count too, unless
            // it names an order, a price, a standard or a time.
            let counted = !crate::checks::scores::label_header(h)
                && (1..=8).contains(&h.chars().count())
                && h.chars().all(crate::util::is_cjk)
                && ![
                    "序号", "编号", "排名", "名次", "单价", "标准", "均", "年", "月", "日期",
                    "时间", "期限", "利率", "等级", "档次", "代码", "单位", "名称", "备注",
                    "指标", "说明", "原因", "依据", "方式", "情况", "变更", "差", "调整", "项目",
                ]
                .iter()
                .any(|w| h.contains(w))
                // (And a figure in every row under it.)
                && rows
                    .iter()
                    .all(|(_, cells)| cells.get(col).copied().flatten().is_some());
            (numeric_header(h) || counted)
                && ![
                    "率", "分", "权重", "进度", "占比", "比例", "比重", "%", "增减", "增长", "变动",
                ]
                .iter()
                .any(|w| h.contains(w))
                && !rows.iter().any(|(_, cells)| {
                    cells
                        .get(col)
                        .copied()
                        .flatten()
                        .is_some_and(|n| doc.nums[n].unit == "%")
                })
        };
        let shifted = shifted_totals(doc, &rows, width, &summed);
        // Rows that follow a 其中 row indented deeper than it ("其中：小学 …" / "　　　初中 …").
        // (In a pipe table the label cell's own text is indented: "|  | 　　　档案装具更新 |".)
        let indent = |r: &crate::doc::Row| {
            let lead = |t: &str| t.chars().take_while(|ch| ch.is_whitespace()).count();
            r.cells.first().map_or(0, |c| {
                let line = lead(&doc.lines[c.line]);
                // (From the cell's bar: its bounds may leave out the spaces that indent it.)
                let label = r
                    .cells
                    .iter()
                    .filter(|c| !doc.cell_text(c).is_empty())
                    .map(|c| {
                        let l = &doc.lines[c.line];
                        let from = l[..c.start].rfind('|').map_or(c.start, |i| i + 1);
                        l[from..c.end].trim_start_matches(' ')
                    })
                    .next()
                    .map_or(0, lead);
                line.max(label)
            })
        };
        // (A 其中 row's label may hold a figure, "其中：省级示范场（3家）", and so be left out of
        // its label: its line says it.)
        let of_which_row = |r: &crate::doc::Row, lab: &str| {
            lab.trim_start().starts_with("其中")
                || r.cells.first().is_some_and(|c| {
                    doc.lines[c.line]
                        .trim_start_matches(|ch: char| ch.is_whitespace() || ch == '|')
                        .starts_with("其中")
                })
        };
        let of_which_rows: Vec<bool> = t.rows[1..]
            .iter()
            .zip(&rows)
            .map(|(r, (lab, _))| of_which_row(r, lab))
            .collect();
        let under_of_which: Vec<bool> = {
            let mut of_which: Option<usize> = None;
            t.rows[1..]
                .iter()
                .zip(&of_which_rows)
                .map(|(r, &opens)| {
                    let here = indent(r);
                    let inside = of_which.is_some_and(|w| here > w);
                    if opens {
                        of_which = Some(here);
                    } else if !inside {
                        of_which = None;
                    }
                    inside
                })
                .collect()
        };
        for col in 0..width {
            if !summed(col) {
                continue;
            }
            // Total at the bottom.
            let mut items: Vec<usize> = Vec::new();
            // A 小计 above its own parts ("办案补贴 142.36 小计" / "其中：刑事案件 78.40" /
            // "民事案件 58.66" …): it counts toward the total, and the rows that add up to it
            // are its parts. When they never add up exactly, the column is not understood.
            let mut absorbing: Option<(Dec, Dec)> = None;
            let mut confused = false;
            for (r, (lab, cells)) in rows.iter().enumerate() {
                if shifted.contains(&r) {
                    items.clear();
                    continue;
                }
                let Some(n) = cells.get(col).copied().flatten() else {
                    continue;
                };
                // Targets (≥12000) are no amounts to add up.
                if doc.nums[n].cmp.is_some() {
                    continue;
                }
                let kind = row_kind(lab);
                if let Some((target, got)) = absorbing
                    && kind == RowKind::Item
                {
                    let got = add(got, doc.nums[n].value);
                    if close(got, target, tol(doc.nums[n].unit)) {
                        absorbing = None;
                    } else if got > target {
                        confused = true;
                        absorbing = None;
                    } else {
                        absorbing = Some((target, got));
                    }
                    continue;
                }
                // (A 其中 row and the indented rows under it are parts of the row above.)
                if of_which_rows[r] || under_of_which[r] {
                    continue;
                }
                match kind {
                    RowKind::Item => items.push(n),
                    RowKind::Subtotal if items.is_empty() => {
                        items.push(n);
                        absorbing = Some((doc.nums[n].value, Dec::ZERO));
                    }
                    RowKind::Subtotal | RowKind::Total => {
                        // (A total counted without repeats, "重点人群合计（去重）", is less than
                        // its rows.)
                        let distinct = ["去重", "不重复", "剔除重复"]
                            .iter()
                            .any(|w| lab.contains(w));
                        if !confused && absorbing.is_none() && !distinct {
                            // Items in the total's unit, or in another unit it names
                            // ("34台（套）" over rows of 台 and of 套).
                            let after = &doc.lines[doc.nums[n].line][doc.nums[n].end..];
                            let written = format!(
                                "{}{}",
                                doc.written(n),
                                after
                                    .strip_prefix(['（', '('])
                                    .and_then(|r| r.split_once(['）', ')']))
                                    .map_or("", |(u, _)| u)
                            );
                            let chosen: Vec<usize> = items
                                .iter()
                                .copied()
                                .filter(|&k| {
                                    let u = doc.nums[k].unit;
                                    u == doc.nums[n].unit || !u.is_empty() && written.contains(u)
                                })
                                .collect();
                            column_sum(doc, &chosen, n, acc);
                        }
                        items.clear();
                    }
                }
            }
            // Total on top: 年度资金总额 followed by 其中 / 其他 rows.
            if let Some((lab, cells)) = rows.first()
                && (lab.contains("总额") || lab.contains("合计"))
                && let Some(total) = cells.get(col).copied().flatten()
            {
                let parts: Vec<usize> = rows[1..]
                    .iter()
                    .filter_map(|(_, c)| c.get(col).copied().flatten())
                    .filter(|&n| doc.nums[n].unit == doc.nums[total].unit)
                    .collect();
                if parts.len() >= 2 {
                    column_sum(doc, &parts, total, acc);
                }
            }
        }
    }
}

/// Total rows typed one cell off ("合计 23个 ⇥ ⇥ 186 5864 12" under 楼栋数, 户数, 电梯): every
/// figure of the row equals the sum of the column beside its own, all in the same direction.
/// A reader sees the totals as right; the row is read as shifted, not as wrong.
fn shifted_totals(
    doc: &Doc,
    rows: &[(String, Vec<Option<usize>>)],
    width: usize,
    summed: &dyn Fn(usize) -> bool,
) -> Vec<usize> {
    let mut out = Vec::new();
    let mut sums: Vec<Option<Dec>> = vec![None; width];
    for (r, (lab, cells)) in rows.iter().enumerate() {
        if lab.trim_start().starts_with("其中") {
            continue;
        }
        if matches!(row_kind(lab), RowKind::Item) {
            for (c, n) in cells.iter().enumerate() {
                if let (Some(n), Some(slot)) = (n, sums.get_mut(c)) {
                    *slot = Some(slot.map_or(doc.nums[*n].value, |s| sum([s, doc.nums[*n].value])));
                }
            }
            continue;
        }
        let figures: Vec<(usize, Dec)> = cells
            .iter()
            .enumerate()
            .filter_map(|(c, n)| n.map(|n| (c, doc.nums[n].value)))
            .collect();
        let fits = |shift: isize| {
            let under: Vec<(Dec, Dec)> = figures
                .iter()
                .filter_map(|&(c, v)| {
                    let o = c
                        .checked_add_signed(shift)
                        .filter(|&o| o < width && summed(o))?;
                    Some((sums[o]?, v))
                })
                .collect();
            under.len() >= 2 && under.iter().all(|(s, v)| s == v)
        };
        let straight = figures.iter().all(|&(c, v)| sums[c].is_none_or(|s| s == v));
        if !straight && (fits(-1) || fits(1)) {
            out.push(r);
        }
        sums = vec![None; width];
    }
    out
}

fn add(a: Dec, b: Dec) -> Dec {
    sum([a, b])
}

fn column_sum(doc: &Doc, items: &[usize], total: usize, acc: &mut Vec<Finding>) {
    if items.len() < 2 {
        return;
    }
    let unit = doc.nums[total].unit;
    let s = sum(items.iter().map(|&n| doc.nums[n].value));
    if !close(s, doc.nums[total].value, tol(unit)) {
        let mut values: Vec<String> = items
            .iter()
            .map(|&n| doc.written(n).trim().to_owned())
            .collect();
        values.push(doc.written(total).trim().to_owned());
        acc.push(finding(
            "sum-mismatch",
            Severity::Error,
            format!(
                "表中各行之和为 {s}，合计行写作“{}”",
                doc.written(total).trim()
            ),
            items
                .iter()
                .map(|&n| doc.nums[n].line)
                .chain([doc.nums[total].line]),
            values,
        ));
    }
}

/// "较上年的X增加Y": the current figure minus X must be Y.
pub fn check_differences(doc: &Doc, acc: &mut Vec<Finding>) {
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        let nums = doc.nums_of(line);
        let base = doc.line_nums[line].start;
        for (k, n) in nums.iter().enumerate() {
            let before = text[..n.start].trim_end();
            let up = ["增加", "增长", "提高", "多"]
                .iter()
                .any(|w| before.ends_with(w));
            let down = ["减少", "下降", "降低", "少"]
                .iter()
                .any(|w| before.ends_with(w));
            if !(up || down) || !usable(n) || k == 0 {
                continue;
            }
            // The reference: the number right before, introduced by 较 / 比.
            let reference = k - 1;
            let r = &nums[reference];
            let between = &text[r.end..n.start];
            let ref_clause = &text[..r.start];
            let cmp_at = ref_clause.rfind('较').or_else(|| ref_clause.rfind('比'));
            if r.unit != n.unit || !usable(r) || between.contains(['，', '。', '；']) {
                continue;
            }
            let Some(cmp_at) = cmp_at else { continue };
            if text[cmp_at..r.start].contains(['，', '。', '；']) {
                continue;
            }
            // The current figure: the first amount of this sentence, or of the one before.
            let (s, _) = sentence(doc, line, cmp_at, cmp_at);
            let prev = if s > 0 {
                sentence(doc, line, s - 1, s - 1).0
            } else {
                0
            };
            // The figure the sentence before starts with, unless that sentence goes on to
            // change it ("申报面积129.07万亩，核减0.43万亩。2024年核定面积较…"): then the
            // current figure is unstated.
            // "最后一期", "第一期": an ordinal is no count.
            let ordinal = |j: usize| {
                let head = text[..nums[j].start].trim_end();
                ["第", "最后", "每", "首", "同"]
                    .iter()
                    .any(|w| head.ends_with(w))
            };
            let current = (0..reference)
                .find(|&j| {
                    nums[j].start >= s && nums[j].unit == n.unit && usable(&nums[j]) && !ordinal(j)
                })
                .or_else(|| {
                    let j = (0..reference).find(|&j| {
                        nums[j].start >= prev
                            && nums[j].unit == n.unit
                            && usable(&nums[j])
                            && !ordinal(j)
                    })?;
                    let changed = (j + 1..reference).any(|m| {
                        nums[m].unit == n.unit
                            && nums[m].start < s
                            && ["核减", "核增", "调减", "调增", "减少", "增加"]
                                .iter()
                                .any(|w| text[..nums[m].start].trim_end().ends_with(w))
                    });
                    (!changed).then_some(j)
                });
            let Some(c) = current else { continue };
            let diff = if up {
                sub(nums[c].value, r.value)
            } else {
                sub(r.value, nums[c].value)
            };
            // Another figure of the sentence may be the one compared ("春季8,412人、秋季
            // 8,360人…，较上年秋季学期8,512人减少152人").
            let other_fits = (0..reference).any(|j| {
                j != c
                    && nums[j].start >= prev
                    && nums[j].unit == n.unit
                    && usable(&nums[j])
                    && close(
                        if up {
                            sub(nums[j].value, r.value)
                        } else {
                            sub(r.value, nums[j].value)
                        },
                        n.value,
                        tol(n.unit),
                    )
            });
            // (A figure rounded far coarser than the change, "1.97亿元" beside "17,825.40万元…
            // 增加1,864.65万元", cannot show it to its last digit.)
            // The difference may be off by half a step of each figure as written.
            let half_step = |m: &Num| {
                let shift = i8::try_from(m.step()).unwrap_or(0);
                Dec::new(5, 1)
                    .and_then(|h| h.shift(shift))
                    .unwrap_or(Dec::ZERO)
            };
            let rounding = add(half_step(&nums[c]), half_step(r));
            let within = |t: Dec| close(diff, n.value, t);
            if !within(tol(n.unit)) && !within(rounding) && !other_fits {
                acc.push(finding(
                    "sum-mismatch",
                    Severity::Error,
                    format!(
                        "“{}”与“{}”相差 {}，文中写作“{}”",
                        doc.written(base + c).trim(),
                        doc.written(base + reference).trim(),
                        show(
                            if diff.is_negative() {
                                sub(Dec::ZERO, diff)
                            } else {
                                diff
                            },
                            n.unit
                        ),
                        doc.written(base + k).trim()
                    ),
                    [line],
                    vec![
                        doc.written(base + c).trim().to_owned(),
                        doc.written(base + reference).trim().to_owned(),
                        doc.written(base + k).trim().to_owned(),
                    ],
                ));
            }
        }
    }
}

/// A set counted as it stands ("在册营运渡船41艘", "在岗驾驶员1,520名", "共有规模养殖场128
/// 家") and more of the same set worked on elsewhere ("完成43艘渡船年度安全技术检验",
/// "培训驾驶员1,586名"): the work cannot reach more than there are. A warning: the set may
/// have grown in the year, or the other figure may be of a wider scope.
pub fn check_stock(doc: &Doc, acc: &mut Vec<Finding>) {
    const STOCK: &[&str] = &["共有", "现有", "在册", "在岗", "在编", "拥有", "辖有"];
    // Words that make a figure a change, a sum over time, a plan, or of a wider scope.
    const NOT_WORK: &[&str] = &[
        "累计", "新增", "新建", "增加", "上年", "去年", "目标", "计划", "预计", "全省", "全国",
        "全市", "人次", "次",
    ];
    let cjk_run_before = |l: &str, end: usize| -> String {
        let run: String = l[..end]
            .chars()
            .rev()
            .take_while(|c| crate::util::is_cjk(*c))
            .collect();
        run.chars().rev().collect()
    };
    let cjk_run_after = |l: &str, start: usize| -> String {
        l[start..]
            .chars()
            .take_while(|c| crate::util::is_cjk(*c) && !"的和与及等中".contains(*c))
            .collect()
    };
    let mut stocks: Vec<(&Num, String)> = Vec::new();
    for n in &doc.nums {
        if !usable(n) || n.unit == "元" || n.unit.ends_with('次') {
            continue;
        }
        let l = &doc.lines[n.line];
        let before = cjk_run_before(l, n.start);
        let Some(word) = STOCK.iter().find(|w| before.contains(*w)) else {
            continue;
        };
        // The set's name: the words after the stock word ("在册营运渡船"), or right after the
        // figure ("共有128家规模养殖场").
        let after_word = &before[before.rfind(word).map_or(0, |i| i + word.len())..];
        let name = if after_word.chars().count() >= 2 {
            after_word.to_owned()
        } else {
            cjk_run_after(l, n.end)
        };
        let name: String = {
            let c: Vec<char> = name.chars().collect();
            c[c.len().saturating_sub(4)..].iter().collect()
        };
        if name.chars().count() >= 2 {
            stocks.push((n, name));
        }
    }
    for (stock, name) in &stocks {
        // (Within a report's length either side.)
        let from = doc.line_nums[stock.line.saturating_sub(400)].start;
        let to = doc.line_nums[(stock.line + 400).min(doc.lines.len() - 1)].end;
        for m in &doc.nums[from..to] {
            if std::ptr::eq(m, *stock)
                || m.unit != stock.unit
                || !usable(m)
                || m.value <= stock.value
                || m.value > stock.value.checked_add(stock.value).unwrap_or(stock.value)
            {
                continue;
            }
            let l = &doc.lines[m.line];
            let before = cjk_run_before(l, m.start);
            let after = cjk_run_after(l, m.end);
            // (By the name's last two characters: "营运渡船41艘" / "43艘渡船".)
            let tail: String = {
                let c: Vec<char> = name.chars().collect();
                c[c.len() - 2..].iter().collect()
            };
            let head: String = after.chars().take(name.chars().count() + 2).collect();
            let named = before.ends_with(tail.as_str()) || head.contains(tail.as_str());
            // (The figure's own clause: "…支持136家规模养殖场完成设施提升改造，新建或改造…" is
            // work on the farms, whatever the next clause builds.)
            let (s, e) = sentence(doc, m.line, m.start, m.end);
            let stops = ['，', ',', '：', ':'];
            let s = l[s..m.start].rfind(stops).map_or(s, |i| s + i);
            let e = l[m.end..e].find(stops).map_or(e, |i| m.end + i);
            let around = &l[s..e];
            if !named
                || STOCK.iter().any(|w| before.contains(w))
                || NOT_WORK.iter().any(|w| around.contains(w))
            {
                continue;
            }
            let (a, b) = if stock.line <= m.line {
                (*stock, m)
            } else {
                (m, *stock)
            };
            let text = |n: &Num| doc.lines[n.line][n.start..n.end].trim().to_owned();
            acc.push(finding(
                "part-exceeds-whole",
                Severity::Warning,
                format!(
                    "{name}共“{}”，此处却有“{}”，多出 {}，请核对或说明",
                    text(stock),
                    text(m),
                    crate::util::gap(m.value, stock.value, m.unit)
                ),
                [a.line, b.line],
                vec![text(a), text(b)],
            ));
        }
    }
}

/// Items listed on the lines above a total of their own line ("1.防汛物资购置：12.3600万元；"
/// … "4.水毁设施应急修复：11.8100万元。" / "合计：46.8200万元。"), or on the one line above
/// ("桥头村：50.0000万元；上模村：40.0000万元；…" / "以上4个村合计150.0000万元"): the items
/// add up to the total.
pub fn check_items_then_total(doc: &Doc, acc: &mut Vec<Finding>) {
    for line in 1..doc.lines.len() {
        let text = crate::context::list_mark_stripped(&doc.lines[line]);
        let opens = ["合计", "共计", "总计"].iter().any(|w| text.starts_with(w))
            || text.starts_with("以上")
                && ["合计", "共计"]
                    .iter()
                    .any(|w| text.chars().take(12).collect::<String>().contains(w));
        if !opens {
            continue;
        }
        // The figure right after 合计 / 共计 / 总计 ("以上4个村合计150.0000万元").
        let l = &doc.lines[line];
        let Some(word_end) = ["合计", "共计", "总计"]
            .iter()
            .filter_map(|w| l.find(w).map(|i| i + w.len()))
            .min()
        else {
            continue;
        };
        let Some(total) = doc
            .nums_of(line)
            .iter()
            .find(|n| {
                n.start >= word_end
                    && l[word_end..n.start]
                        .trim_matches(['：', ':', ' '])
                        .is_empty()
            })
            .filter(|n| usable(n))
        else {
            continue;
        };
        let unit = total.unit;
        // One amount at the end of each numbered line above.
        let alone = |l: usize| -> Option<&Num> {
            let t = doc.lines[l].trim();
            let marked = crate::context::list_mark_stripped(t).len() < t.len();
            let nums: Vec<&Num> = doc.nums_of(l).iter().filter(|n| n.unit == unit).collect();
            let [n] = nums.as_slice() else { return None };
            let rest = doc.lines[l][n.end..].trim_end_matches(['；', '。', ';', '，', ' ']);
            (marked && usable(n) && rest.trim().is_empty()).then_some(*n)
        };
        let mut items: Vec<&Num> = Vec::new();
        let mut l = line;
        while l > 0 {
            match alone(l - 1) {
                Some(n) => items.push(n),
                None => break,
            }
            l -= 1;
        }
        items.reverse();
        // (A numbered line above the first item that holds no single amount leaves the list
        // incomplete: "1.…（两项）" / "2.…100.00万元。" / "3.…76.20万元。" / "以上合计…".)
        if l > 0 && {
            let t = doc.lines[l - 1].trim();
            !t.is_empty()
                && crate::context::list_mark_stripped(t).len() < t.len()
                && doc.nums_of(l - 1).iter().any(|n| n.unit == unit)
        } {
            continue;
        }
        if items.len() < 2 {
            // Or the one line above, its amounts parted by ；or 、 and no 其中.
            let above = &doc.lines[line - 1];
            let nums: Vec<&Num> = doc
                .nums_of(line - 1)
                .iter()
                .filter(|n| n.unit == unit)
                .collect();
            if nums.len() >= 2
                && nums.iter().all(|n| usable(n))
                && !above.contains("其中")
                && nums
                    .windows(2)
                    .all(|w| above[w[0].end..w[1].start].contains(['；', '、', ';']))
                && doc.nums_of(line - 1).len() == nums.len()
            {
                items = nums;
            }
        }
        if items.len() < 2 {
            continue;
        }
        let Some(s) = items
            .iter()
            .try_fold(Dec::ZERO, |a, n| a.checked_add(n.value))
        else {
            continue;
        };
        let wan = |n: &Num| doc.lines[n.line][n.start..n.end].contains('万');
        let tolerance = if unit == "元" && (wan(total) || items.iter().any(|n| wan(n))) {
            Dec::from_int(100).unwrap_or(Dec::ZERO)
        } else {
            tol(unit)
        };
        if close(s, total.value, tolerance) {
            continue;
        }
        let text_of = |n: &Num| doc.lines[n.line][n.start..n.end].trim().to_owned();
        let mut values: Vec<String> = items.iter().map(|n| text_of(n)).collect();
        values.push(text_of(total));
        acc.push(finding(
            "sum-mismatch",
            Severity::Error,
            format!(
                "所列各项之和为 {}，合计却写作“{}”",
                show(s, unit),
                text_of(total)
            ),
            items.iter().map(|n| n.line).chain([line]),
            values,
        ));
    }
}
