//! The same quantity stated twice with different values (卡 4万张 here, 5万张 there).

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
    "超过", "超出", "人均", "平均", "每", "单价", "标准", "剩余", "不足", "差", "约", "近", "预计",
    "计划", "目标", "要求", "分别", "增开", "多开", "追加",
];

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
    let m = &doc.nums[n];
    let cjk = ctx.key.chars().filter(|c| is_cjk(*c)).count();
    countable(m.unit)
        && !ctx.target
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
}

/// A sum budgeted or planned, in a sentence about the budget and not about spending.
fn budgeted(ctx: &Ctx) -> bool {
    ["预算", "安排", "计划"]
        .iter()
        .any(|w| ctx.sentence.contains(w))
        && !["支出", "执行", "使用", "支付", "拨付"]
            .iter()
            .any(|w| ctx.sentence.contains(w))
}

fn scope(ctx: &Ctx) -> Vec<&'static str> {
    SCOPES
        .iter()
        .copied()
        .filter(|s| ctx.before.contains(s))
        .collect()
}

/// Groups mentions of one quantity and reports groups whose values differ.
pub fn check(doc: &Doc, ctxs: &[Ctx], acc: &mut Vec<Finding>) {
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
    let term_sets: Vec<Vec<&str>> = idx.iter().map(|&n| terms(&ctxs[n].before)).collect();
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
            let (ca, cb) = (&ctxs[na], &ctxs[nb]);
            let len = |k: &str| k.chars().filter(|c| is_cjk(*c)).count();
            let (la, lb) = (len(&ca.key), len(&cb.key));
            let comparable = la.min(lb) >= 4 && (la.min(lb) >= 5 || la.max(lb) <= 2 * la.min(lb));
            if !comparable || term_sets[a] != term_sets[b] || !same_subject(&ca.key, &cb.key, 4) {
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
            // A budget line (预算按用途分为…) and the money actually spent on it are two sums.
            if ma.unit == "元" && budgeted(ca) != budgeted(cb) {
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
    for members in groups.values() {
        let mut values: Vec<_> = members.iter().map(|&n| doc.nums[n].value).collect();
        values.sort();
        values.dedup();
        if values.len() < 2 {
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
        let severity = if scopes.windows(2).all(|w| w[0] == w[1]) {
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
