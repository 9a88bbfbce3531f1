//! Targets against results: each quantitative target (≥N, N期, ≥85%) is paired with the
//! actual values the report gives for it; a shortfall under a claim that every target was
//! met is an error, an unexplained shortfall a warning, a target with no actual a warning.

use jixiao_core::num::{Dec, Ratio};

use crate::context::{ColRole, Ctx};
use crate::doc::Doc;
use crate::scan::Cmp;
use crate::util::{finding, is_cjk, last_chars, overlap, sentence};
use crate::{Finding, Severity};

/// Phrases claiming every target was met.
const CLAIMS: &[&str] = &[
    "全面完成",
    "各项绩效目标均",
    "各项绩效指标均",
    "各项指标均",
    "各项目标均",
    "均已完成",
    "全部完成年度",
    "完成全年预定的绩效目标",
    "完成了年初设定的各项",
    "完成年初设定的各项",
    "完成了全年预定",
    "圆满完成",
    "全部达到年度目标",
    "各项绩效目标全面",
    "均达到或超过",
    "全部实现",
    "目标全部完成",
    "各项任务全部完成",
];

/// A claim in words the list above lacks: 各项 and up to six characters naming the targets
/// (各项绩效指标, 各项产出目标), then 均, 全部, 全面, 都 or 已 (so that "各项指标完成情况" is no
/// claim), then a word saying they were met: "年度各项绩效指标全部完成".
fn general_claim(t: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(k) = t[from..].find("各项") {
        let start = from + k;
        from = start + "各项".len();
        let rest = &t[from..];
        let Some((noun, _)) = rest.char_indices().take(7).find(|&(b, _)| {
            ["目标", "指标", "任务"]
                .iter()
                .any(|w| rest[b..].starts_with(w))
        }) else {
            continue;
        };
        let mut at = noun + "目标".len();
        let mut said = false;
        // (In any order: 均已, 已全部, 全部按期.)
        while let Some(w) = [
            "均", "全部", "全面", "都", "已经", "已", "按期", "如期", "顺利",
        ]
        .iter()
        .find(|w| rest[at..].starts_with(**w))
        {
            at += w.len();
            said |= !matches!(*w, "按期" | "如期" | "顺利");
        }
        if let Some(met) = MET.iter().find(|w| rest[at..].starts_with(**w))
            && said
        {
            return Some((start, from + at + met.len() - start));
        }
    }
    None
}

/// Words saying that targets were met, after a claim's 均.
const MET: &[&str] = &[
    "完成", "达到", "达成", "实现", "超过", "超额", "达标", "满足", "全部", "全面", "优于",
];

/// Words showing that a shortfall was explained.
const EXPLAINED: &[&str] = &[
    "原因",
    "由于",
    "因为",
    "因疫情",
    "影响",
    "未能",
    "未完成",
    "未达到",
    "没有达到",
    "低于",
    "滞后",
    "主要是",
    "尚未",
    "下一步",
    "将加快",
    "延期",
    "推迟",
    "扣",
    "差距",
    "不足",
];

fn stem(key: &str) -> String {
    let mut k = key.to_owned();
    for s in [
        "人数", "数量", "次数", "期数", "户数", "个数", "数", "规模", "面积", "总量", "量",
    ] {
        if let Some(r) = k.strip_suffix(s)
            && r.chars().filter(|c| is_cjk(*c)).count() >= 2
        {
            k = r.to_owned();
            break;
        }
    }
    k
}

/// Whether an actual's context names the target's subject.
fn names(target_key: &str, actual: &Ctx) -> bool {
    let t = stem(target_key);
    let tl = t.chars().filter(|c| is_cjk(*c)).count();
    if tl < 2 {
        return false;
    }
    let hay = format!("{}{}", actual.key, actual.before);
    if crate::util::terms(&t) != crate::util::terms(&actual.key)
        && !crate::util::terms(&t).iter().all(|x| hay.contains(x))
    {
        return false;
    }
    let (common, _) = overlap(&t, &hay);
    // Rates must share their own name (完工率 with 完工率); the rest of the target's name
    // may sit anywhere in the sentence ("对受训残疾人开展问卷调查，满意度96%").
    if t.ends_with('率') || t.ends_with('度') || t.ends_with("比例") {
        let rate = last_chars(&t, 3);
        let own = actual.key.ends_with(rate)
            || actual.before.ends_with(rate)
            || actual.before.contains(rate);
        let wider = format!("{hay}{}", actual.sentence);
        return own && (common * 10 >= tl * 7 || overlap(&t, &wider).0 * 10 >= tl * 8);
    }
    if common * 10 >= tl * 9 || (tl >= 8 && common >= 6 && common * 10 >= tl * 7) {
        return true;
    }
    // "举办家长康复知识培训班4期，累计培训家长186人次" for "家长康复知识培训": the sentence
    // names the subject whole, and the result's own words are all words of it.
    // (Two words of its own name a result only beside the clause that names the target:
    // "举办…消杀人员业务培训班6期，共培训286人次", not "按…供餐天数核拨：春季学期…供餐98天".)
    let own: Vec<char> = actual.key.chars().filter(|c| is_cjk(*c)).collect();
    let named_in = |text: &str| overlap(&t, text).0 * 10 >= tl * 9;
    // The result's own clause: the one where its words run into its figure. It must not
    // narrow the target ("春季学期…供餐98天" is a part of the year's days).
    let near = || {
        // (Not at ASCII commas: "8,412人" is one figure.)
        let clauses: Vec<&str> = actual.sentence.split(['，', '；', '：']).collect();
        let runs_into_figure = |c: &str| {
            !actual.clause.is_empty()
                && c.match_indices(actual.clause.as_str()).any(|(i, w)| {
                    c[i + w.len()..].chars().next().is_some_and(|ch| {
                        ch.is_ascii_digit() || "一二三四五六七八九十两".contains(ch)
                    })
                })
        };
        clauses
            .iter()
            .position(|c| runs_into_figure(c))
            .is_some_and(|k| {
                let prev = if k > 0 { clauses[k - 1] } else { "" };
                // (Nor one of a series: "举办第一期人民调解员培训班，培训198人次".)
                let ordinal = |c: &str| {
                    let cs: Vec<char> = c.chars().collect();
                    cs.windows(3).any(|w| {
                        w[0] == '第'
                            && ("一二三四五六七八九十".contains(w[1]) || w[1].is_ascii_digit())
                            && "期批次轮季".contains(w[2])
                    })
                };
                let narrowed = ordinal(prev)
                    || ordinal(clauses[k])
                    || crate::util::terms(clauses[k]).iter().any(|x| {
                        !crate::util::terms(&t).contains(x)
                            && !matches!(*x, "全年" | "当年" | "本年")
                    });
                !narrowed && named_in(&format!("{prev}{}", clauses[k]))
            })
    };
    own.iter().all(|c| t.contains(*c))
        && (own.len() >= 3 && named_in(&actual.sentence) || own.len() == 2 && near())
}

/// A figure that names no target: a table or item referred to ("见表2", "第4项") or the count
/// of the indicators themselves ("共设置三级绩效指标12项").
fn reference_or_indicator_count(doc: &Doc, t: usize, key: &str) -> bool {
    let n = &doc.nums[t];
    let head = doc.lines[n.line][..n.start].trim_end();
    head.ends_with('表')
        || head.ends_with('第')
        || matches!(n.unit, "项" | "个")
            && (key.contains("级指标") || key.contains("绩效指标") || key.ends_with("指标"))
}

/// Whether the target has evidence somewhere, though it was not paired with it: none
/// happened for a zero target, or a result stated far away under its whole name.
fn stated_anywhere(doc: &Doc, ctxs: &[Ctx], t: usize, key: &str) -> bool {
    zero_met(doc, t, key)
        || !distant_actuals(doc, ctxs, t, key).is_empty()
        || counted_before_its_noun(doc, ctxs, t, key)
        || told_in_other_order(doc, ctxs, t, key)
}

/// A result whose own words, past what any result says (共, 全年, 完成 …), are all words of
/// the target, in another order ("共培训农民1,180人次" for "开展农民技术培训≥1000人次"), in
/// the target's unit and of its size: evidence that the report states what was done.
fn told_in_other_order(doc: &Doc, ctxs: &[Ctx], t: usize, key: &str) -> bool {
    const FILLER: &str = "全年本当度累计共计完成实际已";
    let tn = &doc.nums[t];
    let subject: String = stem(key).chars().filter(|c| is_cjk(*c)).collect();
    if tn.unit.is_empty() || tn.unit == "%" || subject.chars().count() < 4 {
        return false;
    }
    let half = tn.value.to_ratio().checked_mul(Ratio::new(1, 2));
    let lines = window(doc, tn.line);
    let nums = doc.line_nums[lines.start].start..doc.line_nums[lines.end - 1].end;
    nums.into_iter().any(|a| {
        let (an, ac) = (&doc.nums[a], &ctxs[a]);
        if a == t
            || ac.target
            || ac.in_target_section
            || an.unit != tn.unit
            || an.cmp.is_some()
            || half.is_none_or(|h| an.value.to_ratio() < h)
        {
            return false;
        }
        let own: String = ac
            .key
            .chars()
            .filter(|c| is_cjk(*c))
            .skip_while(|c| FILLER.contains(*c))
            .collect();
        // (With the subject's head noun: "助餐服务15.6万人次" tells nothing of "培训助餐服务
        // 人员≥60人次".)
        own.chars().count() >= 4
            && own.chars().all(|c| subject.contains(c))
            && own.contains(last_chars(&subject, 2))
    })
}

/// A result counted with the target's noun right after it, outside the targets ("对…28个
/// 科技法庭开展日常巡检" for "科技法庭运维数量≥28个", "覆盖全市12个县区" for "抽检覆盖县区：
/// 12个"): evidence that the report states what was done, though not in the target's words.
fn counted_before_its_noun(doc: &Doc, ctxs: &[Ctx], t: usize, key: &str) -> bool {
    let tn = &doc.nums[t];
    let subject: String = stem(key).chars().filter(|c| is_cjk(*c)).collect();
    if tn.unit.is_empty() || tn.unit == "%" || subject.chars().count() < 3 {
        return false;
    }
    let lines = window(doc, tn.line);
    let nums = doc.line_nums[lines.start].start..doc.line_nums[lines.end - 1].end;
    nums.into_iter().any(|a| {
        let (an, ac) = (&doc.nums[a], &ctxs[a]);
        // (Of the target's size: "部分中医馆只有一名中医类别医师" is no count of the 60
        // doctors trained.)
        let sized = an.value.to_ratio()
            >= tn
                .value
                .to_ratio()
                .checked_mul(Ratio::new(1, 2))
                .unwrap_or(Ratio::ONE);
        if a == t
            || ac.target
            || ac.in_target_section
            || an.unit != tn.unit
            || an.cmp.is_some()
            || !sized
        {
            return false;
        }
        // "全年完成清冰雪作业面积53.4万平方米" for "街道负责区域清冰雪作业面积不少于60万平方米":
        // the target's last four words or more before the figure, with nothing of another
        // subject before them ("高血压患者规范管理9.83万人" is not "2型糖尿病患者规范管理").
        if ends_named(&subject, &ac.key) {
            return true;
        }
        // "…28个科技法庭" for "科技法庭运维数量≥28个": the target's words right after the
        // figure, three or more, or its last two ("覆盖全市12个县区" for "抽检覆盖县区").
        let noun: Vec<char> = doc.lines[an.line][an.end..]
            .chars()
            .take_while(|c| is_cjk(*c))
            .take(4)
            .collect();
        (2..=noun.len()).rev().any(|k| {
            let head: String = noun[..k].iter().collect();
            subject.contains(&head) && (k >= 3 || subject.ends_with(&head))
        })
    })
}

/// Whether `key` ends its subject with the last four or more words of `subject`, and says
/// before them only what any result says (全年完成, 累计, 全区 …) or words of `subject`.
fn ends_named(subject: &str, key: &str) -> bool {
    const FILLER: &str = "全年本当度累计共完成实际现区县市镇省乡为对开展提供组织已均合总";
    let s: Vec<char> = subject.chars().collect();
    let k: Vec<char> = key.chars().filter(|c| is_cjk(*c)).collect();
    (4..=s.len().min(k.len())).rev().any(|n| {
        let tail = &s[s.len() - n..];
        k.windows(n)
            .position(|w| w == tail)
            .is_some_and(|at| k[..at].iter().all(|c| FILLER.contains(*c) || s.contains(c)))
    })
}

fn subject_of(key: &str) -> Option<String> {
    let subject = stem(key);
    let subject = subject.trim_start_matches(|c: char| !is_cjk(c));
    (subject.chars().filter(|c| is_cjk(*c)).count() >= 3).then(|| subject.to_owned())
}

/// The lines a far result may sit on: a report's length either side of the target, so that
/// a folder of reports joined into one text is not searched whole for every target.
fn window(doc: &Doc, line: usize) -> std::ops::Range<usize> {
    const REACH: usize = 400;
    line.saturating_sub(REACH)..(line + REACH + 1).min(doc.lines.len())
}

/// "…事故0起": met when the text says none happened.
fn zero_met(doc: &Doc, t: usize, key: &str) -> bool {
    let Some(subject) = subject_of(key) else {
        return false;
    };
    if !doc.nums[t].value.is_zero() {
        return false;
    }
    let tail = last_chars(&subject, 2);
    let line = doc.nums[t].line;
    doc.lines[window(doc, line)].iter().any(|l| {
        (l.contains("未发生") || l.contains("没有发生") || l.contains("零发生")) && l.contains(tail)
    })
}

/// Results in the same unit, however far from the target, stated in a sentence or table row
/// that names the target's whole subject ("受检妇女满意度：…满意度95.1%"), or a rate by its
/// own last words ("居民满意度93.2%" for "周边居民满意度不低于90%").
fn distant_actuals(doc: &Doc, ctxs: &[Ctx], t: usize, key: &str) -> Vec<usize> {
    let Some(subject) = subject_of(key) else {
        return Vec::new();
    };
    let tn = &doc.nums[t];
    let rate_word = (tn.unit == "%"
        && (subject.ends_with('率') || subject.ends_with('度') || subject.ends_with("比例")))
    .then(|| last_chars(&subject, 3));
    let lines = window(doc, tn.line);
    let nums = doc.line_nums[lines.start].start..doc.line_nums[lines.end - 1].end;
    nums.filter(|&a| {
        let (an, ac) = (&doc.nums[a], &ctxs[a]);
        a != t
            && !ac.target
            && an.unit == tn.unit
            && an.cmp.is_none()
            && !matches!(
                ac.col,
                Some(ColRole::Score | ColRole::Rate | ColRole::Target)
            )
            && (ac.sentence.contains(subject.as_str())
                || ac
                    .row
                    .as_deref()
                    .is_some_and(|r| r.contains(subject.as_str()))
                || rate_word.is_some_and(|w| ac.key.ends_with(w) || ac.before.ends_with(w)))
            && !baseline(doc, a)
    })
    .collect()
}

/// Whether a result is listed after 其中 under a larger figure of its sentence, in the same
/// unit, that meets the target ("培训162人次，其中…村级河湖长和巡河员培训115人次").
fn part_of_met(
    doc: &Doc,
    ctxs: &[Ctx],
    key: &str,
    a: usize,
    cmp: Option<Cmp>,
    target: Dec,
) -> bool {
    let m = &doc.nums[a];
    let l = &doc.lines[m.line];
    let (s, _) = sentence(doc, m.line, m.start, m.end);
    let Some(q) = l[s..m.start].rfind("其中").map(|i| s + i) else {
        return false;
    };
    // The larger figure must share words with the target's subject (not "沙化土地治理3.12万亩，其中
    // …人工造林4,280亩" for a target of 人工造林).
    doc.line_nums[m.line].clone().any(|k| {
        let w = &doc.nums[k];
        w.start >= s
            && w.end <= q
            && w.unit == m.unit
            && !falls_short(cmp, target, w.value)
            && overlap(key, &format!("{}{}", ctxs[k].key, ctxs[k].before)).0 >= 2
    })
}

/// Whether each short result is listed as a part (after 其中) of a result that meets the
/// target.
fn parts_of_met(doc: &Doc, actuals: &[usize], short: &[usize]) -> bool {
    short.iter().all(|&s| {
        let m = &doc.nums[s];
        let l = &doc.lines[m.line];
        actuals.iter().any(|&a| {
            let w = &doc.nums[a];
            !short.contains(&a)
                && w.line == m.line
                && w.end <= m.start
                && l[w.end..m.start].contains("其中")
        })
    })
}

/// A figure of an earlier period given for comparison ("较2019年的38微克/立方米下降13.16%",
/// "上年同期为…"): not a result of this year.
fn baseline(doc: &Doc, a: usize) -> bool {
    let m = &doc.nums[a];
    let l = &doc.lines[m.line];
    let clause = l[..m.start]
        .rsplit(['，', ',', '。', '；', '：'])
        .next()
        .unwrap_or("");
    // "2023年全镇完成户厕改造860户" in a report on 2024: an earlier year's figure.
    // (Dates are in document order: only this line's are looked at.)
    let earlier_year = doc.year.is_some_and(|fy| {
        let first = doc.dates.partition_point(|d| d.line < m.line);
        doc.dates[first..]
            .iter()
            .take_while(|d| d.line == m.line)
            .any(|d| {
                d.end <= m.start
                    && d.start >= m.start.saturating_sub(clause.len())
                    && d.year.is_some_and(|y| y < fy)
            })
    });
    earlier_year
        || ["较", "上年", "去年", "同期", "基期", "上一年"]
            .iter()
            .any(|w| clause.contains(w))
}

/// The short label a line opens with ("4.家庭养老床位。…", "（二）培训：…"), without its
/// number; empty when it has none.
fn line_label(doc: &Doc, line: usize) -> &str {
    let t = doc.lines[line].trim_start().trim_start_matches(|c: char| {
        c.is_ascii_digit()
            || matches!(
                c,
                '.' | '．'
                    | '、'
                    | '（'
                    | '）'
                    | '('
                    | ')'
                    | '一'
                    | '二'
                    | '三'
                    | '四'
                    | '五'
                    | '六'
                    | '七'
                    | '八'
                    | '九'
                    | '十'
            )
    });
    t.find(['。', '：', ':'])
        .map(|k| &t[..k])
        .filter(|l| (2..=12).contains(&l.chars().count()) && l.chars().all(is_cjk))
        .unwrap_or("")
}

/// A sample checked, not what was done ("实地抽查改造路段5条" against "完成改造路段不少于18条"),
/// unless checking samples is the target itself (监督抽查样品≥1,200批).
fn sampled(doc: &Doc, a: usize, key: &str) -> bool {
    const SAMPLE: [&str; 4] = ["抽查", "抽检", "抽取", "抽样"];
    let m = &doc.nums[a];
    let clause = crate::util::clause_before(doc, m.line, m.start);
    SAMPLE.iter().any(|w| last_chars(&clause, 8).contains(w))
        && !SAMPLE.iter().any(|w| key.contains(w))
}

/// A result the text itself places in another scope ("该数据为全市口径…与本项目…统计范围不同").
fn other_scope(doc: &Doc, a: usize) -> bool {
    let m = &doc.nums[a];
    crate::util::scope_stated_after(&doc.lines[m.line][m.end..])
}

/// Budget execution is no performance target: a claim that every target was met does not
/// cover it ("预算执行率 100% / 97.94%", a budget of 400.00万元 spent as 388.50万元).
fn budget_execution(key: &str, unit: &str) -> bool {
    key.contains("执行率") || key.contains("预算执行") || unit == "元" && key.contains("预算")
}

/// The bound of a target: its comparator before ("≤15个工作日"), or after ("15个工作日内",
/// "5%以下", "95%以上").
fn bound(doc: &Doc, t: usize) -> Option<Cmp> {
    let n = &doc.nums[t];
    n.cmp.or_else(|| {
        let after = &doc.lines[n.line][n.end..];
        // (After the rest of a time: "15个" of "15个工作日内".)
        let after = ["工作日", "小时", "分钟", "日", "天", "月"]
            .iter()
            .find_map(|w| after.strip_prefix(w))
            .unwrap_or(after);
        if ["以内", "之内", "以下", "内"]
            .iter()
            .any(|w| after.starts_with(w))
        {
            Some(Cmp::AtMost)
        } else if ["以上", "及以上"].iter().any(|w| after.starts_with(w)) {
            Some(Cmp::AtLeast)
        } else {
            None
        }
    })
}

fn falls_short(cmp: Option<Cmp>, target: Dec, actual: Dec) -> bool {
    match cmp {
        Some(Cmp::AtMost | Cmp::Below) => actual > target,
        _ => actual < target,
    }
}

/// Pairs targets with actuals and reports shortfalls and missing actuals.
pub fn check(doc: &Doc, ctxs: &[Ctx], acc: &mut Vec<Finding>) {
    // Results indexed by the words around them, to find each target's few candidates.
    let results: Vec<usize> = (0..doc.nums.len()).filter(|&n| !ctxs[n].target).collect();
    let texts: Vec<String> = results
        .iter()
        .map(|&n| format!("{}{}", ctxs[n].key, ctxs[n].before))
        .collect();
    let index =
        crate::util::SubjectIndex::build(texts.iter().enumerate().map(|(k, t)| (k, t.as_str())));
    let lookup = Lookup {
        results: &results,
        index: &index,
    };
    // A claim is about the targets: its sentence names 目标, 指标 or 任务.
    // A claim limited to one kind of target ("均达到或超过年度数量目标") says nothing of the
    // others; "除…外，其余…均…" leaves out what it names.
    let claim = (0..doc.lines.len()).find_map(|l| {
        let t = &doc.lines[l];
        let fixed = CLAIMS
            .iter()
            .filter_map(|c| Some((doc.find(l, c)?, c.len())));
        fixed.chain(general_claim(t)).find_map(|(i, len)| {
            let c = &t[i..i + len];
            // "各项指标均按本馆数据计算": 均 must go on to say the targets were met.
            if c.ends_with('均') {
                let next: String = t[i + c.len()..].chars().take(8).collect();
                // "各项绩效指标均未完成" says the opposite.
                if !MET.iter().any(|w| next.contains(w))
                    || next.starts_with(['未', '没', '不', '尚'])
                {
                    return None;
                }
            }
            let (s, e) = sentence(doc, l, i, i + c.len());
            let sent = &t[s..e];
            let after: String = t[i + c.len()..e].chars().take(10).collect();
            let scoped = ["数量", "质量", "时效", "成本", "效益", "满意度"]
                .iter()
                .any(|w| {
                    after.contains(&format!("{w}目标"))
                        || after.contains(&format!("{w}指标"))
                        || c.contains(&format!("{w}目标"))
                        || c.contains(&format!("{w}指标"))
                });
            // "秸秆综合利用率为95.4%，较96%的目标值低…，其余…指标均已完成": 其余 leaves out
            // what the sentence named before it.
            // "…覆盖10个月，未达到12个月的目标，按完成比例得5分。其余产出指标均已完成": 其余 at
            // the start of its sentence leaves out what the sentence before named.
            let except = t[s..i]
                .find('除')
                .and_then(|d| {
                    let rest = &t[s + d + '除'.len_utf8()..i];
                    rest.find('外').map(|x| rest[..x].to_owned())
                })
                .or_else(|| {
                    let r = t[s..i].rfind("其余")?;
                    let named = t[s..s + r].trim_matches(|c: char| !is_cjk(c));
                    if !named.is_empty() || s == 0 {
                        return Some(t[s..s + r].to_owned());
                    }
                    // (Back to the full stop: "横向技术服务项目18项，未达到20项的目标，扣1分；
                    // …扣0.5分；其余产出指标均达到…" leaves out both clauses before it.)
                    let (ps, _) = sentence(doc, l, s - 1, s - 1);
                    let full_stop = t[..s].rfind('。').map_or(0, |i| i + '。'.len_utf8());
                    Some(t[full_stop.min(ps)..s].to_owned())
                });
            // "示范面积、取土化验、培训等指标均达到目标": a claim about the indicators it names.
            // (With the claim itself, which may name them: "各项产出指标均达到目标".)
            let lead = &t[s..i + len];
            let named = lead.contains('、')
                && ["等指标", "等目标", "等任务", "等各项"]
                    .iter()
                    .any(|w| lead.contains(w));
            // "其余产出指标均已完成": a claim about the outputs says nothing of benefits or
            // satisfaction.
            let outputs_only = ["产出指标", "产出目标", "产出任务"]
                .iter()
                .any(|w| lead.contains(w));
            (!scoped
                && !named
                && (sent.contains("目标") || sent.contains("指标") || sent.contains("任务")))
            .then_some((l, c, except, outputs_only))
        })
    });
    // Targets whose own table row gives a result that meets them ("增雨（雪）作业次数 ≥150次
    // 186次"): the same target in the prose is met, whatever partial figure the prose gives
    // near it (春季…开展增雨（雪）作业42次).
    let met_in_rows: Vec<usize> = (0..doc.nums.len())
        .filter(|&t| ctxs[t].target && ctxs[t].col.is_some())
        .filter(|&t| {
            let tn = &doc.nums[t];
            doc.nums_of(tn.line).iter().enumerate().any(|(k, a)| {
                let a_idx = doc.line_nums[tn.line].start + k;
                ctxs[a_idx].col == Some(ColRole::Actual)
                    && a.unit == tn.unit
                    && !falls_short(tn.cmp, tn.value, a.value)
            })
        })
        .collect();
    // (The same figure and unit, and the row's name sharing four characters with the words
    // before the prose target: ≥85% is the target of many rows.)
    let met_in_a_row = |t: usize| {
        let tn = &doc.nums[t];
        met_in_rows.iter().any(|&r| {
            let rn = &doc.nums[r];
            rn.unit == tn.unit
                && rn.value == tn.value
                && ctxs[r]
                    .row
                    .as_deref()
                    .is_some_and(|row| overlap(row, &ctxs[t].before).0 >= 4)
        })
    };
    // The short results of each target-claim finding, and where it is in `acc`.
    let mut claimed: Vec<(Vec<usize>, usize)> = Vec::new();
    for t in 0..doc.nums.len() {
        let tn = &doc.nums[t];
        let tc = &ctxs[t];
        if !tc.target || tn.unit == "分" || tn.unit == "元" && tc.col.is_none() && tn.cmp.is_none()
        {
            continue;
        }
        if tc.col.is_none() && met_in_a_row(t) {
            continue;
        }
        if matches!(
            tc.col,
            Some(
                ColRole::Score
                    | ColRole::Rate
                    | ColRole::Budget
                    | ColRole::Adjusted
                    | ColRole::Spent
                    | ColRole::Received
            )
        ) {
            continue;
        }
        // "五个专门协会举办活动完成率≥98%": the leading count names the subject; the target
        // is the figure with the comparator.
        // (In its clause: "维修集中供水点12处；水源清淤≥6处" lists two targets.)
        if tn.cmp.is_none()
            && tc.col.is_none()
            && doc.nums_of(tn.line).iter().any(|o| {
                o.start > tn.end
                    && o.cmp.is_some()
                    && !doc.lines[tn.line][tn.end..o.start].contains(['；', ';', '，', ',', '。'])
            })
        {
            continue;
        }
        let key = if tc.key.is_empty() {
            tc.row.clone().unwrap_or_default()
        } else {
            tc.key.clone()
        };
        // A bare count on a line whose other targets carry comparators ("维修集中供水点12
        // 处；水源清淤≥6处") is a target only where a result names exactly the same thing
        // ("维修集中供水点11处"); otherwise it is often a count inside a phrase.
        let bare_beside_comparators = tn.cmp.is_none()
            && tc.col.is_none()
            && doc
                .nums_of(tn.line)
                .iter()
                .any(|o| o.start > tn.end && o.cmp.is_some());
        let Some(actuals) = actuals_of(doc, ctxs, t, &key, &lookup) else {
            continue;
        };
        if bare_beside_comparators && !actuals.iter().any(|&a| ctxs[a].key == tc.key) {
            continue;
        }
        if actuals.is_empty() && !zero_met(doc, t, &key) {
            // Results found only far away: an unexplained shortfall is worth a warning, never
            // an error, as the pairing is loose.
            // Only results named as the target is, and not a small part of it (a shortfall
            // of more than half is another quantity more often than a miss).
            let half = tn.value.to_ratio().checked_mul(Ratio::new(1, 2));
            // (A rate the report states once under its own last words, "就业率76.54%" for
            // "参训学员培训后就业率不低于80%", is its result, though the sentence names the
            // trainees otherwise.)
            let distant = distant_actuals(doc, ctxs, t, &key);
            let only_rate = tn.unit == "%"
                && distant.len() == 1
                && (key.ends_with('率') || key.ends_with('度'))
                && ctxs[distant[0]].key.ends_with(last_chars(&key, 3));
            let far: Vec<usize> = distant
                .into_iter()
                .filter(|&a| {
                    !doc.nums[a].approx
                        && (only_rate || names(&key, &ctxs[a]))
                        && half.is_some_and(|h| doc.nums[a].value.to_ratio() >= h)
                        && !tn.unit.is_empty()
                })
                .collect();
            let short: Vec<usize> = far
                .iter()
                .copied()
                .filter(|&a| falls_short(bound(doc, t).or(tc.row_cmp), tn.value, doc.nums[a].value))
                .collect();
            if !far.is_empty()
                && short.len() == far.len()
                && !short.iter().any(|&a| explained(doc, ctxs, a))
            {
                acc.push(shortfall(doc, t, &key, &short));
                continue;
            }
        }
        if actuals.is_empty() {
            let stated_as_target = tc.in_target_section
                || tc.col == Some(ColRole::Target)
                || tc.sentence.contains("目标")
                || tc.sentence.contains("指标")
                || announced_list(doc, tn.line);
            if (tn.cmp.is_some() || tc.in_target_section || tc.col == Some(ColRole::Target))
                && stated_as_target
                && key.chars().filter(|c| is_cjk(*c)).count() >= 2
                && !has_text_actual(doc, ctxs, t)
                && !stated_anywhere(doc, ctxs, t, &key)
                && !reference_or_indicator_count(doc, t, &key)
            {
                // The target as written in prose ("生产安全事故起数不高于2020年（7起）"), or its
                // row's name and value in a table.
                let shown = if tc.col.is_none() {
                    let line = &doc.lines[tn.line];
                    let head = &line[..tn.start];
                    let from = head
                        .rfind(['，', '。', '；', '：', ',', ';'])
                        .map_or(0, |i| {
                            i + head[i..].chars().next().map_or(1, char::len_utf8)
                        });
                    let mut text =
                        crate::context::list_mark_stripped(line[from..tn.end].trim()).to_owned();
                    if text.matches('（').count() > text.matches('）').count() {
                        text.push('）');
                    }
                    text
                } else {
                    format!("{key}{}", doc.written(t).trim())
                };
                acc.push(finding(
                    "target-no-actual",
                    Severity::Warning,
                    format!("目标“{shown}”在报告中没有实际完成值（无佐证）"),
                    [tn.line],
                    vec![doc.written(t).trim().to_owned()],
                ));
            }
            continue;
        }
        let short: Vec<usize> = actuals
            .iter()
            .copied()
            .filter(|&a| falls_short(bound(doc, t).or(tc.row_cmp), tn.value, doc.nums[a].value))
            .collect();
        // Some result meets it and another falls short ("培训312人次，其中岗前培训186人次"):
        // the short one is a part or another thing, not this target's result.
        if short.is_empty()
            || short.len() < actuals.len() && parts_of_met(doc, &actuals, &short)
            || short
                .iter()
                .all(|&a| part_of_met(doc, ctxs, &key, a, bound(doc, t).or(tc.row_cmp), tn.value))
        {
            continue;
        }
        let mut lines = vec![tn.line];
        lines.extend(short.iter().map(|&a| doc.nums[a].line));
        let mut values = vec![doc.written(t).trim().to_owned()];
        values.extend(short.iter().map(|&a| doc.written(a).trim().to_owned()));
        let shown = doc.written(short[0]).trim().to_owned();
        if let Some((_, _, Some(except), _)) = &claim {
            // The claim's own exception names this target, or states the short result
            // itself: the shortfall is admitted.
            // (With the label its line opens with: "4.家庭养老床位。年度计划建设30张".)
            let (common, shorter) = overlap(except, &format!("{}{key}", line_label(doc, tn.line)));
            // (The result with the two characters before it, so that a bare "10" elsewhere
            // in the exception does not count.)
            let states_result = short.iter().any(|&a| {
                let m = &doc.nums[a];
                let line = &doc.lines[m.line];
                let lead: String = line[..m.start].chars().rev().take(2).collect();
                let lead: String = lead.chars().rev().collect();
                except.contains(&format!("{lead}{}", &line[m.start..m.end]))
            });
            // "除上述两项外，其余指标均达到…": the exception points back at the shortfalls told
            // in the lines just before the claim.
            let cl = claim.as_ref().map_or(0, |c| c.0);
            let told_above = ["上述", "以上", "前述"].iter().any(|w| except.contains(w))
                && short.iter().any(|&a| {
                    let shown = doc.written(a).trim();
                    doc.lines[cl.saturating_sub(6)..=cl]
                        .iter()
                        .any(|l| l.contains(shown))
                });
            // Or the lines before the claim tell this target missed by its name ("…导致完工项目数
            // 和按期完工率未达到年度目标…。除上述指标外，其余绩效目标均已完成").
            let subject = stem(&key);
            let named_above = ["上述", "以上", "前述"].iter().any(|w| except.contains(w))
                && subject.chars().count() >= 4
                && doc.lines[cl.saturating_sub(6)..=cl].iter().any(|l| {
                    l.contains(last_chars(&subject, 4))
                        && ["未达到", "未完成", "未能", "超出", "低于"]
                            .iter()
                            .any(|w| l.contains(w))
                });
            // Or the exception counts the indicators it leaves out and names this one by its
            // head word ("除井盖更换数量、按期完工率两项指标外" for "计划更换1,200座").
            let counted_out = ["项指标", "个指标", "项外"]
                .iter()
                .any(|w| except.contains(w))
                && subject.chars().count() >= 2
                && except.contains(last_chars(&subject, 2));
            if shorter >= 2 && common >= shorter.min(3)
                || states_result
                || told_above
                || named_above
                || counted_out
            {
                continue;
            }
        }
        // A sum of money paired from afar (≥2,000万元 against 15,879,300.00元) may be another
        // sum: only a result in the target's own table row makes the claim wrong.
        let same_row = short
            .iter()
            .all(|&a| doc.nums[a].line == tn.line && ctxs[a].col == Some(ColRole::Actual));
        let beyond_outputs = ["满意", "效益", "效果"].iter().any(|w| key.contains(w));
        // A short result the text places in another scope ("亮灯率98.60%" beside the city's
        // "平均亮灯率97.9%，该数据为全市口径"): a claim is not proved wrong by it.
        let another_scope = !same_row && short.iter().all(|&a| other_scope(doc, a));
        if let Some((cl, phrase, _, _)) = claim.as_ref().filter(|c| {
            !budget_execution(&key, tn.unit)
                && (tn.unit != "元" || same_row)
                && !another_scope
                && !(c.3 && beyond_outputs)
        }) {
            let (cl, phrase) = (*cl, *phrase);
            // The same short results already disprove the claim for this target stated
            // elsewhere (in the prose and in its table row): one finding, citing both.
            if let Some(&(_, k)) = claimed.iter().find(|(s, _)| *s == short) {
                let f: &mut Finding = &mut acc[k];
                if !f.lines.contains(&(tn.line + 1)) {
                    f.lines.push(tn.line + 1);
                    f.lines.sort_unstable();
                }
                let value = doc.written(t).trim().to_owned();
                if !f.values.contains(&value) {
                    f.values.insert(0, value);
                }
                continue;
            }
            claimed.push((short.clone(), acc.len()));
            lines.push(cl);
            values.push(phrase.to_owned());
            acc.push(finding(
                "target-claim",
                Severity::Error,
                format!(
                    "报告称“{phrase}”，但“{key}”目标为“{}”，实际只有“{shown}”，相差 {}",
                    doc.written(t).trim(),
                    crate::util::gap(tn.value, doc.nums[short[0]].value, tn.unit)
                ),
                lines,
                values,
            ));
        } else if !short.iter().any(|&a| explained(doc, ctxs, a)) {
            acc.push(shortfall(doc, t, &key, &short));
        }
    }
}

/// The warning for a target whose results fall short without a word of why.
fn shortfall(doc: &Doc, t: usize, key: &str, short: &[usize]) -> Finding {
    let tn = &doc.nums[t];
    let mut lines = vec![tn.line];
    lines.extend(short.iter().map(|&a| doc.nums[a].line));
    let mut values = vec![doc.written(t).trim().to_owned()];
    values.extend(short.iter().map(|&a| doc.written(a).trim().to_owned()));
    finding(
        "target-shortfall",
        Severity::Warning,
        format!(
            "“{key}”目标为“{}”，实际为“{}”，相差 {}，未达到目标且未说明原因",
            doc.written(t).trim(),
            doc.written(short[0]).trim(),
            crate::util::gap(tn.value, doc.nums[short[0]].value, tn.unit)
        ),
        lines,
        values,
    )
}

/// The actual values reported for target `t`: the same table row's actual column, a
/// "实际…" figure right after it, or figures elsewhere that name its subject. `None` when the
/// target is not one to pair (a duplicate mention of another target).
/// Results and their subject index.
struct Lookup<'a> {
    results: &'a [usize],
    index: &'a crate::util::SubjectIndex,
}

fn actuals_of(
    doc: &Doc,
    ctxs: &[Ctx],
    t: usize,
    key: &str,
    lookup: &Lookup<'_>,
) -> Option<Vec<usize>> {
    let tn = &doc.nums[t];
    let tc = &ctxs[t];
    let compatible = |a: usize| {
        let an = &doc.nums[a];
        let ac = &ctxs[a];
        !ac.target
            && !baseline(doc, a)
            && !sampled(doc, a, key)
            && a != t
            && an.unit == tn.unit
            && an.cmp.is_none()
            && !matches!(ac.col, Some(ColRole::Score | ColRole::Rate))
            // (One phase's result, "一期入户调查612户", answers no target of the project.)
            && (crate::checks::quantities::phase_of(doc, a).is_none()
                || crate::checks::quantities::phase_of(doc, t).is_some())
    };
    // The same table row.
    if tc.col == Some(ColRole::Target) {
        let row: Vec<usize> = doc.line_nums[tn.line]
            .clone()
            .filter(|&a| ctxs[a].col == Some(ColRole::Actual) && compatible(a))
            .collect();
        if !row.is_empty() {
            return Some(row);
        }
    }
    // "…≥38所，实际38所" in the same sentence.
    let (_, e) = sentence(doc, tn.line, tn.start, tn.end);
    let next: Vec<usize> = doc.line_nums[tn.line]
        .clone()
        .filter(|&a| doc.nums[a].start > tn.end && doc.nums[a].end <= e && compatible(a))
        .take(1)
        .filter(|&a| ctxs[a].before.contains("实际") || ctxs[a].before.contains("完成"))
        .collect();
    if !next.is_empty() {
        return Some(next);
    }
    let found = lookup
        .index
        .candidates(
            &stem(key),
            tn.line,
            |k| doc.nums[lookup.results[k]].line,
            48,
        )
        .into_iter()
        .map(|k| lookup.results[k])
        .filter(|&a| compatible(a) && !doc.nums[a].approx && names(key, &ctxs[a]))
        .collect();
    Some(found)
}

/// Whether a line belongs to a numbered list announced as targets ("共设置绩效指标12项，具体为：").
fn announced_list(doc: &Doc, line: usize) -> bool {
    let item = |t: &str| {
        let t = t.trim_start();
        t.starts_with('（')
            || t.starts_with('(')
            || t.starts_with(|c: char| c.is_ascii_digit())
            || t.starts_with(['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩'])
    };
    let mut l = line;
    while l > 0 && item(&doc.lines[l]) && line - l < 20 {
        l -= 1;
    }
    let head = doc.lines[l].trim_end();
    l < line
        && (head.ends_with('：') || head.ends_with(':'))
        && (head.contains("指标") || head.contains("目标"))
}

/// Whether the target's table row reports its result in words (基本达成, 100%完成 …).
fn has_text_actual(doc: &Doc, ctxs: &[Ctx], t: usize) -> bool {
    let tc = &ctxs[t];
    if tc.col != Some(ColRole::Target) {
        return false;
    }
    let line = doc.nums[t].line;
    let cells: Vec<&str> = doc.lines[line].split(['\t', '|']).map(str::trim).collect();
    cells.len() > 2
        && cells.iter().skip(2).any(|c| {
            c.chars().count() >= 2
                && !c.chars().any(|ch| ch.is_ascii_digit())
                && *c != "—"
                && *c != "-"
        })
}

fn explained(doc: &Doc, ctxs: &[Ctx], a: usize) -> bool {
    if ctxs[a].row_explained {
        return true;
    }
    let n = &doc.nums[a];
    let (s, e) = sentence(doc, n.line, n.start, n.end);
    let text = &doc.lines[n.line][s..e];
    if EXPLAINED.iter().any(|w| text.contains(w)) {
        return true;
    }
    // The sentences after it on its line, or the next line, often give the reason
    // ("…2,940件，完成年度目标的84.00%；…。两项指标未完成的主要原因：…").
    // A score right after it ("达标率83.33%，计4.90分") scores the shortfall.
    if doc
        .nums_of(n.line)
        .iter()
        .any(|m| m.unit == "分" && m.start >= n.end && m.end <= e)
    {
        return true;
    }
    let later = &doc.lines[n.line][e..];
    ["原因", "由于", "主要是", "导致", "未达到", "扣"]
        .iter()
        .any(|w| later.contains(w))
        || doc
            .lines
            .get(n.line + 1)
            .is_some_and(|l| ["原因", "由于", "主要是"].iter().any(|w| l.contains(w)))
}
