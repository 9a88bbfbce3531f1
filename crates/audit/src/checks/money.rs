//! The money of the report: budget, funds received, spending and the balance, and every
//! percentage that is a ratio of two stated figures (执行率, 到位率, 完成率, 占…的 P%).

use jixiao_core::num::{Dec, Ratio};

use super::quantities::countable;
use crate::context::{ColRole, Ctx};
use crate::doc::Doc;
use crate::util::{close, finding, gap, is_cjk, rounds_to, sentence, sub};
use crate::{Finding, Severity};

/// A money figure in yuan, with the number it comes from.
#[derive(Clone, Copy, Debug)]
pub struct Amount {
    /// Index into `Doc::nums`.
    pub n: usize,
    /// Value in yuan.
    pub yuan: Dec,
}

/// The money figures of a report by what they are.
#[derive(Debug, Default)]
pub struct Facts {
    /// 预算 (年初预算, 批复, 安排).
    pub budget: Vec<Amount>,
    /// 调整后 / 全年预算.
    pub adjusted: Vec<Amount>,
    /// 到位资金.
    pub received: Vec<Amount>,
    /// Total spending (全年支出, 执行数).
    pub spent: Vec<Amount>,
    /// Single payments (支付, 采购, 用于 …).
    pub items: Vec<Amount>,
}

/// The value of a number in yuan, when it is money.
pub fn yuan(doc: &Doc, ctx: &Ctx, n: usize) -> Option<Dec> {
    let m = &doc.nums[n];
    if m.unit == "元" {
        return Some(m.value);
    }
    if m.unit.is_empty()
        && let Some(e) = ctx.money_exp
        && matches!(
            ctx.col,
            Some(ColRole::Budget | ColRole::Adjusted | ColRole::Spent | ColRole::Received)
        )
    {
        return m.value.shift(i8::try_from(e).unwrap_or(0));
    }
    None
}

/// Whether `text` tells the accounts of a fund (基金收入, 基金支出, 基金结余) in a report whose
/// title names no fund: the fund is another thing than the money the report evaluates.
fn fund_accounts(doc: &Doc, text: &str) -> bool {
    text.contains("基金")
        && [
            "基金总收入",
            "基金总支出",
            "基金收入",
            "基金支出",
            "基金结余",
            "基金累计结余",
        ]
        .iter()
        .any(|w| text.contains(w))
        // (The title: the first short lines.)
        && !doc
            .lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .take(3)
            .take_while(|l| l.chars().count() <= 40)
            .any(|l| l.contains("基金"))
}

fn has(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.contains(w))
}

/// Classifies every money figure.
pub fn facts(doc: &Doc, ctxs: &[Ctx]) -> Facts {
    let mut f = Facts::default();
    for (n, ctx) in ctxs.iter().enumerate() {
        let Some(y) = yuan(doc, ctx, n) else { continue };
        let m = &doc.nums[n];
        if m.cmp.is_some()
            || ctx.target
            || m.approx
            || ctx.earlier_year
            || doc.lines[m.line][m.end..].starts_with(['/', '／'])
        {
            continue;
        }
        // A sub-project's own money ("（二）防火物资装备购置子项目 / 全年支出118.64万元") is not
        // the project's, unless the words say so.
        if doc.sub_project(m.line).is_some()
            && !["本项目", "项目总", "全项目"]
                .iter()
                .any(|w| ctx.sentence.contains(w))
        {
            continue;
        }
        let a = Amount { n, yuan: y };
        // Table cells: by column, in rows that carry the project total.
        if let Some(col) = ctx.col {
            let row = ctx.row.as_deref().unwrap_or("");
            let total_row =
                row.is_empty() || has(row, &["总额", "合计", "总计", "年度资金", "资金总额"]);
            if !total_row {
                continue;
            }
            match col {
                ColRole::Budget => f.budget.push(a),
                ColRole::Adjusted => f.adjusted.push(a),
                ColRole::Spent => f.spent.push(a),
                ColRole::Received => f.received.push(a),
                _ => {}
            }
            continue;
        }
        let b = &ctx.before;
        // A category of a unit's whole spending ("其中基本支出198.30万元（人员经费…），项目支出
        // 88.20万元"): a part of the budget or of the spending, never the whole.
        // (项目支出 is a project's whole spending unless the line parts the spending into
        // 基本支出 and 项目支出.)
        if ["基本支出", "人员经费", "公用经费", "三公经费", "“三公”经费"]
            .iter()
            .any(|w| ctx.clause.contains(w))
            || ctx.clause.contains("项目支出") && doc.lines[m.line].contains("基本支出")
        {
            continue;
        }
        // An estimate a spending stays under ("项目总支出未超过批复概算3,126.50万元") is neither.
        if b.ends_with("概算") || b.ends_with("估算") || b.contains("未超过") {
            continue;
        }
        // A fund's own accounts ("居民医保基金总收入…；基金总支出53,986.42万元，当年结余…")
        // in a report on the money paid into it are not the project's.
        if fund_accounts(doc, &ctx.clause) {
            continue;
        }
        // A whole the project is one part of ("全院医疗设备购置总支出为3,428.65万元，其中本项目
        // 财政专项资金支出1,661.82万元"): not the project's money.
        let rest_of_sentence = ctx.sentence.split(doc.written(n)).nth(1).unwrap_or("");
        if ["其中本项目", "其中项目资金", "其中专项资金"]
            .iter()
            .any(|w| rest_of_sentence.contains(w))
            || ["全院", "全校", "全局", "全单位", "全系统", "各级财政"]
                .iter()
                .any(|w| b.contains(w))
        {
            continue;
        }
        // A later item of a breakdown ("专项资金共4.38亿元，其中中央…2.60亿元，省级财政安排
        // 1.78亿元"): a part of the sum before 其中, whatever its own words.
        let line = &doc.lines[m.line];
        let (s, _) = sentence(doc, m.line, m.start, m.end);
        if let Some(q) = line[s..m.start].rfind("其中")
            && doc
                .nums_of(m.line)
                .iter()
                .any(|o| o.start >= s && o.end <= s + q && o.unit == "元")
        {
            continue;
        }
        // A rate per head belongs to the figure right after it: "按…人均84元标准下达本院…补助
        // 资金390.60万元" states the year's money after the 84元.
        let since_last = doc
            .nums_of(m.line)
            .iter()
            .filter(|o| o.end <= m.start)
            .map(|o| o.end)
            .max()
            .unwrap_or(0)
            .max(m.start.saturating_sub(b.len()));
        // (The 标准 right after the 84元 closes that figure's phrase.)
        let own_words = line
            .get(since_last..m.start)
            .unwrap_or(b)
            .trim_start_matches("标准");
        if has(
            b,
            &[
                "结余", "结转", "剩余", "余额", "收回", "上缴", "较", "比", "增加", "减少", "其中",
            ],
        ) || has(own_words, &["单价", "每", "人均", "户均", "标准"])
        {
            continue;
        }
        if has(b, &["调整后", "调整为", "全年预算", "追加后", "预算调整"]) {
            f.adjusted.push(a);
        } else if has(b, &["到位"]) {
            f.received.push(a);
        } else if (has(b, &["预算", "批复", "下达预算", "安排"])
            // ("实施…项目，项目资金150万元，其中…": the project's money for the year.)
            // (Only those words: "产业发展类项目资金786.40万元" is one part of it.)
            || ["项目资金", "本项目资金", "资金总额", "项目资金总额"]
                .contains(&b.rsplit(['，', ',', '；']).next().unwrap_or(b).trim())
            // "省财政厅、省农业农村厅下达我县…补助奖励资金575.25万元": the year's money, unless
            // it is one batch of it.
            || has(b, &["下达"]) && has(b, &["资金"]) && !has(b, &["批", "第", "提前"]))
            && !has(b, &["执行", "支出", "使用", "追加", "调减"])
        {
            f.budget.push(a);
        } else if has(b, &["支出中", "资金中", "执行中"]) && has(b, &["用于"]) {
            // "实际支出中用于传统民居修缮的资金为5,624,000.00元": one use of the spending.
            f.items.push(a);
        } else if has(b, &["支出", "执行", "使用资金", "实际使用"]) && !has(b, &["支付", "采购"])
        {
            f.spent.push(a);
        } else if (has(b, &["支付", "采购", "购置", "兑付", "发放"])
            // "向定点机构拨付康复训练补助153.60万元": paid out, not received.
            || has(b, &["拨付"]) && has(b, &["向", "给"]))
            && !has(b, &["财政", "预算"])
            // "医疗设备购置项目全部资金1,350.00万元": the project's money, not one payment.
            && !has(b, &["全部资金", "项目资金", "资金总额", "总投资"])
            // "全年应兑付补贴资金合计3,150.00万元": what was due, not what was paid.
            && !has(b, &["应兑付", "应支付", "应发放", "应拨付", "应付"])
            // (A running total over the years, "累计支付资金51,226.58万元", is no one payment;
            // "全年累计兑付" is the year's.)
            && (!has(b, &["累计"]) || has(b, &["全年", "本年", "当年", "年度"]))
            // Loans banks lend are not the project's spending ("发放创业担保贷款4.86亿元").
            && !has(b, &["贷款", "撬动", "带动", "融资", "授信"])
            && !has(&ctx.sentence, &["贷款", "撬动", "融资", "授信"])
        {
            f.items.push(a);
        }
    }
    f
}

fn w(doc: &Doc, n: usize) -> String {
    doc.written(n).trim().to_owned()
}

/// Spending above the budget, funds received above the budget, one payment above the
/// year's whole spending, and the balance against budget − spending.
pub fn check_money(doc: &Doc, ctxs: &[Ctx], acc: &mut Vec<Finding>) {
    let f = facts(doc, ctxs);
    let tol = Dec::from_int(100).unwrap_or(Dec::ZERO); // one hundred yuan: 0.01万元
    let limits: Vec<Amount> = f.adjusted.iter().chain(&f.budget).copied().collect();
    let max_limit = limits.iter().max_by(|a, b| a.yuan.cmp(&b.yuan)).copied();
    if let Some(lim) = max_limit {
        for s in &f.spent {
            if s.yuan > lim.yuan && !close(s.yuan, lim.yuan, tol) {
                acc.push(finding(
                    "part-exceeds-whole",
                    Severity::Error,
                    format!(
                        "支出“{}”超过预算“{}”，超出 {}",
                        w(doc, s.n),
                        w(doc, lim.n),
                        gap(s.yuan, lim.yuan, "元")
                    ),
                    [doc.nums[lim.n].line, doc.nums[s.n].line],
                    vec![w(doc, lim.n), w(doc, s.n)],
                ));
            }
        }
        for r in &f.received {
            if r.yuan > lim.yuan && !close(r.yuan, lim.yuan, tol) {
                acc.push(finding(
                    "part-exceeds-whole",
                    Severity::Warning,
                    format!(
                        "到位资金“{}”超过预算“{}”，超出 {}，请说明",
                        w(doc, r.n),
                        w(doc, lim.n),
                        gap(r.yuan, lim.yuan, "元")
                    ),
                    [doc.nums[lim.n].line, doc.nums[r.n].line],
                    vec![w(doc, lim.n), w(doc, r.n)],
                ));
            }
        }
    }
    if let Some(total) = f.spent.iter().max_by(|a, b| a.yuan.cmp(&b.yuan)).copied() {
        for it in &f.items {
            if it.yuan > total.yuan && !close(it.yuan, total.yuan, tol) {
                acc.push(finding(
                    "part-exceeds-whole",
                    Severity::Error,
                    format!(
                        "单项支出“{}”超过全年支出总额“{}”，超出 {}",
                        w(doc, it.n),
                        w(doc, total.n),
                        gap(it.yuan, total.yuan, "元")
                    ),
                    [doc.nums[total.n].line, doc.nums[it.n].line],
                    vec![w(doc, total.n), w(doc, it.n)],
                ));
            }
        }
    }
    check_balance(doc, ctxs, &f, acc);
    check_spent_twice(doc, ctxs, &f, acc);
}

/// Whether a spending figure is the project's whole spending for the year: a table's total
/// row, or prose whose words before it name nothing narrower than the project and whose
/// sentence gives no date before the year's end ("截至6月30日已支出").
fn whole_year_spent(doc: &Doc, ctx: &Ctx, n: usize) -> bool {
    let line = doc.nums[n].line;
    if ctx.col.is_some() {
        // A total row, or the only row of its table (the form's 预算数 / 执行数 line); the
        // unlabelled rows of a funds table are its sources (当年拨款, 上年结转 …).
        return match ctx.row.as_deref() {
            Some(r) if !r.trim().is_empty() => has(r, &["合计", "总计", "总额"]),
            _ => doc
                .tables
                .iter()
                .find(|t| {
                    t.rows
                        .iter()
                        .any(|r| r.cells.iter().any(|c| c.line == line))
                })
                .is_some_and(|t| t.rows.len() == 2),
        };
    }
    // "764,600.00元（76.46万元）": the figure in brackets restates the one before it.
    let text = ctx.before.as_str();
    if text.trim_end().ends_with(['（', '(']) && text.contains(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let parts = clauses(text);
    let clause = parts.last().copied().unwrap_or(text);
    // The clause before this one: in the words before the figure, or else the sentence's
    // clause that ends right where these words begin.
    let previous = if parts.len() >= 2 {
        Some(parts[parts.len() - 2])
    } else {
        let s = ctx.sentence.as_str();
        let at = s
            .find(&format!("{}{}", ctx.before, doc.written(n).trim()))
            .unwrap_or(0);
        match clauses(&s[..at]).as_slice() {
            [.., prev, ""] => Some(*prev),
            _ => None,
        }
    };
    if names_a_part(clause) {
        return false;
    }
    // "自动水位站更新6处，支出764,600.00元": a bare 支出 spends on what the clause before
    // names.
    // ("强制免疫疫苗通过省级集中招标采购，全年支出64.82万元": 全年 narrows nothing.)
    let bare = cjk_left(
        clause,
        &[
            "支出", "执行", "使用", "实际", "全年", "当年", "已", "共", "为", "了",
        ],
    ) == 0;
    if bare && previous.is_some_and(names_a_part) {
        return false;
    }
    // "上年结转资金312.60万元执行249.12万元": a bare 执行 after a figure in its own clause
    // spends what that clause names.
    if bare {
        let named: String = ctx.clause.chars().filter(|c| is_cjk(*c)).collect();
        if ctx.clause.contains(|c: char| c.is_ascii_digit()) && names_a_part(&named) {
            return false;
        }
    }
    let s = &ctx.sentence;
    if s.contains("其中") {
        return false;
    }
    let dated = s.contains("截至") || s.contains("截止") || s.contains("月底");
    !dated || s.contains("12月31日") || s.contains("12月底") || s.contains("年底")
}

/// "A…，为B的P%" (or 相当于B的P%, 是B的P%): the stated share against A ÷ B, where A is the
/// last figure in B's unit before 为. `None` when the sentence has no such shape or agrees.
fn check_share_of(doc: &Doc, n: usize) -> Option<Finding> {
    let p = &doc.nums[n];
    let line = p.line;
    let text = &doc.lines[line];
    if !text[..p.start].ends_with('的') {
        return None;
    }
    let (s, _) = sentence(doc, line, p.start, p.end);
    let nums: Vec<usize> = doc.line_nums[line]
        .clone()
        .filter(|&k| doc.nums[k].start >= s && doc.nums[k].end <= p.start)
        .collect();
    let &den = nums.last()?;
    let d = &doc.nums[den];
    let between = &text[d.end..p.start];
    if between != "的" || d.unit.is_empty() || d.unit == "%" {
        return None;
    }
    let lead = &text[s..d.start];
    let at = ["相当于", "为", "是"].iter().find_map(|w| lead.rfind(w))?;
    let num = nums.iter().copied().rev().find(|&k| {
        doc.nums[k].end <= s + at && doc.nums[k].unit == d.unit && !doc.nums[k].approx
    })?;
    // Nothing but words and punctuation between the part and 为.
    if text[doc.nums[num].end..s + at]
        .chars()
        .any(|c| c.is_ascii_digit())
    {
        return None;
    }
    share_mismatch(doc, num, den, n, [num, den, n])
}

/// "计划更换教室门窗320樘，实际更换286樘，完成计划的86.9%": the share of the planned figure
/// of the sentence that the last figure before it is.
fn check_share_of_plan(doc: &Doc, n: usize) -> Option<Finding> {
    let p = &doc.nums[n];
    let line = p.line;
    let text = &doc.lines[line];
    let head = text[..p.start].trim_end_matches('的');
    let word = ["计划", "目标"].into_iter().find(|w| head.ends_with(w))?;
    let (s, _) = sentence(doc, line, p.start, p.end);
    let nums: Vec<usize> = doc.line_nums[line]
        .clone()
        .filter(|&k| {
            let m = &doc.nums[k];
            m.start >= s && m.end <= p.start && !m.approx && m.cmp.is_none() && !m.unit.is_empty()
        })
        .collect();
    let &part = nums.last()?;
    let unit = doc.nums[part].unit;
    if unit == "%" {
        return None;
    }
    let whole = nums.iter().copied().find(|&k| {
        k != part && doc.nums[k].unit == unit && {
            let m = &doc.nums[k];
            let clause = text[s..m.start].rsplit(['，', '；']).next().unwrap_or("");
            clause.contains(word)
        }
    })?;
    share_mismatch(doc, part, whole, n, [whole, part, n])
}

/// The error for a stated share `n` that is not `part` ÷ `whole`, citing `cited` in order;
/// `None` when it is.
fn share_mismatch(
    doc: &Doc,
    part: usize,
    whole: usize,
    n: usize,
    cited: [usize; 3],
) -> Option<Finding> {
    let (a, d) = (&doc.nums[part], &doc.nums[whole]);
    if matches_rate(&doc.nums[n], a.value, d.value) {
        return None;
    }
    let computed = a.value.ratio(d.value)?.percent(2);
    Some(finding(
        "percent-of-parts",
        Severity::Error,
        format!(
            "“{}”÷“{}”= {computed}%，文中写作“{}”",
            w(doc, part),
            w(doc, whole),
            w(doc, n)
        ),
        [doc.nums[n].line],
        cited.iter().map(|&k| w(doc, k)).collect(),
    ))
}

/// "安葬6,390例，占火化遗体总数的31.5%" after "火化遗体21,300具": the part is the figure
/// just before 占, the whole the figure of the sentence whose words hold the name after 占.
fn check_share_of_named(doc: &Doc, ctxs: &[Ctx], n: usize) -> Option<Finding> {
    let p = &doc.nums[n];
    let line = p.line;
    let text = &doc.lines[line];
    let head = &text[..p.start];
    let zhan = head.rfind('占')?;
    let named = head[zhan + '占'.len_utf8()..].strip_suffix('的')?;
    let named = ["总数", "总量", "总额", "总人数", "总户数"]
        .iter()
        .find_map(|w| named.strip_suffix(w))
        .unwrap_or(named);
    if named.chars().count() < 2 || !named.chars().all(is_cjk) {
        return None;
    }
    let (s, _) = sentence(doc, line, p.start, p.end);
    let before: Vec<usize> = doc.line_nums[line]
        .clone()
        .filter(|&k| {
            doc.nums[k].start >= s && doc.nums[k].end <= zhan && countable(doc.nums[k].unit)
        })
        .collect();
    // (Not a figure in an aside, "资本金1.36亿元，由…分两年安排（2020年、2021年各0.68亿元），
    // 占总投资的20.00%": the share is of the figure the aside breaks down.)
    let &part = before.iter().rev().find(|&&k| !aside_or_each(doc, k))?;
    // Only words and a comma between the part and 占 (an aside in brackets aside).
    if strip_brackets(&text[doc.nums[part].end..zhan])
        .chars()
        .any(|c| c.is_ascii_digit())
    {
        return None;
    }
    // The whole may be stated in the sentence before, on the same line ("火化遗体21,300具，
    // …；…安葬6,390例，占火化遗体总数的31.5%").
    let mut wholes: Vec<usize> = doc.line_nums[line]
        .clone()
        .filter(|&k| {
            k != part
                && doc.nums[k].end <= zhan
                && countable(doc.nums[k].unit)
                && ctxs[k].key.contains(named)
        })
        .collect();
    // Or in the paragraph before ("3.资金支出。…实际支出79.64万元…" above "4.支出结构。文献资源
    // 购置41.30万元，占实际支出的54.86%"), in the part's unit, named by the whole's own words.
    for prev in (line.saturating_sub(2)..line).rev() {
        if !wholes.is_empty() {
            break;
        }
        wholes.extend(doc.line_nums[prev].clone().filter(|&k| {
            doc.nums[k].unit == doc.nums[part].unit
                && doc.nums[k].cmp.is_none()
                && !ctxs[k].target
                && (ctxs[k].key.ends_with(named) || ctxs[k].before.ends_with(named))
        }));
    }
    let [whole] = wholes.as_slice() else {
        return None;
    };
    if doc.nums[part].value > doc.nums[*whole].value {
        return None;
    }
    share_mismatch(doc, part, *whole, n, [*whole, part, n])
}

/// A figure in brackets, or told for each of several ("两年各安排0.26亿元").
fn aside_or_each(doc: &Doc, k: usize) -> bool {
    let m = &doc.nums[k];
    let head = &doc.lines[m.line][..m.start];
    let clause = head.rsplit(['，', ',', '；', '。']).next().unwrap_or(head);
    m.paren || clause.contains('各')
}

/// `text` without what stands in brackets.
fn strip_brackets(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|&c| {
            match c {
                '（' | '(' => depth += 1,
                '）' | ')' => {
                    depth = depth.saturating_sub(1);
                    return false;
                }
                _ => {}
            }
            depth == 0
        })
        .collect()
}

/// "抽检样品6,240批次……检出不合格样品106批次，合格率98.23%": a pass rate against the
/// failures and the whole, (whole − failed) ÷ whole. The whole is the nearest larger figure
/// in the failures' unit earlier on the line.
fn check_complement(doc: &Doc, ctxs: &[Ctx], n: usize) -> Option<Finding> {
    let p = &doc.nums[n];
    let line = p.line;
    let name = ctxs[n].clause.as_str();
    if !["合格率", "达标率", "完好率", "通过率"]
        .iter()
        .any(|w| name.ends_with(w))
    {
        return None;
    }
    let text = &doc.lines[line];
    let before: Vec<usize> = doc.line_nums[line]
        .clone()
        .filter(|&k| doc.nums[k].end <= p.start && countable(doc.nums[k].unit))
        .collect();
    // The failures: the last figure before the rate, in the rate's sentence, counted as
    // failing.
    let &bad = before.last()?;
    let b = &doc.nums[bad];
    if text[b.end..p.start].chars().any(|c| c.is_ascii_digit())
        || !["不合格", "未达标", "不达标", "损坏", "未通过"]
            .iter()
            .any(|w| ctxs[bad].clause.contains(w))
    {
        return None;
    }
    let &whole = before
        .iter()
        .rev()
        .find(|&&k| k != bad && doc.nums[k].unit == b.unit && doc.nums[k].value > b.value)?;
    let total = &doc.nums[whole];
    let good = sub(total.value, b.value);
    if matches_rate(p, good, total.value)
        || matches_rate(p, b.value, total.value)
        // Another pair of the sentence may give it.
        || before.iter().any(|&k| k != bad && matches_rate(p, doc.nums[k].value, total.value))
    {
        return None;
    }
    let computed = good.ratio(total.value)?.percent(2);
    Some(finding(
        "percent-of-parts",
        Severity::Error,
        format!(
            "（“{}”－“{}”）÷“{}”= {computed}%，文中写作“{}”",
            w(doc, whole),
            w(doc, bad),
            w(doc, whole),
            w(doc, n)
        ),
        [line],
        vec![w(doc, whole), w(doc, bad), w(doc, n)],
    ))
}

/// How many Chinese characters of `text` are left once `words` are taken out, in order.
fn cjk_left(text: &str, words: &[&str]) -> usize {
    let mut rest = text.to_owned();
    for w in words {
        rest = rest.replace(w, "");
    }
    rest.chars().filter(|c| is_cjk(*c)).count()
}

/// The clauses of a text, in order: parted by Chinese punctuation and by commas that do not
/// stand between digits ("1,486,200.00" is one figure). A text ending in a comma ends with an
/// empty clause.
fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    for (i, c) in text.char_indices() {
        let cut = matches!(c, '，' | '。' | '；' | '：' | ';' | ':')
            || (c == ',' && !text[i + 1..].starts_with(|d: char| d.is_ascii_digit()));
        if cut {
            out.push(&text[from..i]);
            from = i + c.len_utf8();
        }
    }
    out.push(&text[from..]);
    out
}

/// Whether words before a spending figure name something narrower than the project.
fn names_a_part(clause: &str) -> bool {
    let left = cjk_left(
        clause,
        &[
            "截至",
            "截止",
            "年底",
            "年末",
            "本项目",
            "该项目",
            "项目",
            "全年",
            "年度",
            "当年",
            "本年",
            "实际",
            "累计",
            "共计",
            "共",
            "资金",
            "预算",
            "支出",
            "执行",
            "使用",
            "已",
            "完成",
            "总额",
            "合计",
            "为",
            "达",
            "了",
            // Single characters last, once the words that hold them are gone.
            "万元",
            "元",
            "年",
            "月",
            "日",
        ],
    );
    left > 0
}

/// The year's whole spending stated with two values ("项目实际支出168.74万元" and "全年支出
/// 171.28万元").
fn check_spent_twice(doc: &Doc, ctxs: &[Ctx], f: &Facts, acc: &mut Vec<Finding>) {
    let tol = Dec::from_int(100).unwrap_or(Dec::ZERO);
    // A "spending" that equals a stated budget, which no prose spending equals, is a budget
    // read in the wrong column.
    let misread = |a: &Amount| {
        f.budget.iter().chain(&f.adjusted).any(|b| {
            close(a.yuan, b.yuan, tol)
                && !f
                    .spent
                    .iter()
                    .any(|s| s.n != a.n && close(s.yuan, b.yuan, tol) && ctxs[s.n].col.is_none())
        })
    };
    // A unit's whole year (部门整体支出) has many spendings by category and table: only those
    // named as the whole ("全年支出", "支出合计") are the year's.
    let whole_unit = doc
        .lines
        .iter()
        .take(5)
        .any(|l| l.contains("部门整体") || l.contains("整体支出"));
    let named_whole = |a: &Amount| {
        let c = &ctxs[a.n];
        !whole_unit
            || c.col.is_none()
                && ["全年支出", "全年实际支出", "总支出", "支出合计"]
                    .iter()
                    .any(|w| c.clause.contains(w))
    };
    let whole: Vec<Amount> = f
        .spent
        .iter()
        .copied()
        .filter(|a| {
            !a.yuan.is_zero()
                && !misread(a)
                && whole_year_spent(doc, &ctxs[a.n], a.n)
                && named_whole(a)
        })
        .collect();
    let Some(first) = whole.first() else { return };
    if whole.iter().all(|a| close(a.yuan, first.yuan, tol)) {
        return;
    }
    // The value stated most often is taken as the right one.
    let count = |a: &Amount| whole.iter().filter(|b| close(a.yuan, b.yuan, tol)).count();
    let Some(major) = whole.iter().max_by_key(|a| count(a)).copied() else {
        return;
    };
    let odd: Vec<&Amount> = whole
        .iter()
        .filter(|a| !close(a.yuan, major.yuan, tol))
        .collect();
    let lines: Vec<usize> = whole.iter().map(|a| doc.nums[a.n].line).collect();
    let values: Vec<String> = whole.iter().map(|a| w(doc, a.n)).collect();
    acc.push(finding(
        "quantity-conflict",
        Severity::Error,
        format!(
            "全年支出前后不一致：{}，另处写作“{}”",
            odd.iter()
                .map(|a| format!("第{}行“{}”", doc.nums[a.n].line + 1, w(doc, a.n)))
                .collect::<Vec<_>>()
                .join("、"),
            w(doc, major.n)
        ),
        lines,
        values,
    ));
}

/// Whether the words before a 结余 name one part of the project ("办案补贴结余") rather
/// than the project or its funds ("项目资金结余", "年末结余").
fn part_balance(before: &str) -> bool {
    let mut clauses = before.rsplit(['，', '。', '；', '：', '、', ',', ';', ':']);
    let clause = clauses.next().unwrap_or(before);
    // "同时救助补助按儿童实际训练月数结算，形成结余37.33万元": a balance 形成 by a part
    // named in the clause before.
    if ["形成", "产生", "出现"]
        .iter()
        .any(|w| clause.starts_with(w))
        && let Some(prev) = clauses.next()
        && !prev.contains(|c: char| c.is_ascii_digit())
        && ["补助", "补贴", "工程", "设备", "培训", "经费"]
            .iter()
            .any(|w| prev.contains(w))
    {
        return true;
    }
    let left = cjk_left(
        clause,
        &[
            "结转结余",
            "结余资金",
            "结余",
            "剩余",
            "到位",
            "本项目",
            "项目",
            "资金",
            "全年",
            "年度",
            "年末",
            "年底",
            "当年",
            "本年",
            "实际",
            "累计",
            "共计",
            "共",
            "预算",
            "财政",
            "专项",
            "经费",
            "截至",
            "截止",
            "月",
            "日",
            "年",
            "底",
            "合计",
            "总计",
            "形成",
            "产生",
            "尚",
            "还",
        ],
    );
    left >= 2
}

/// 结余 = 预算 − 支出 (or 到位 − 支出).
fn check_balance(doc: &Doc, ctxs: &[Ctx], f: &Facts, acc: &mut Vec<Finding>) {
    let tol = Dec::from_int(100).unwrap_or(Dec::ZERO);
    let wholes: Vec<Amount> = f
        .adjusted
        .iter()
        .chain(&f.budget)
        .chain(&f.received)
        .copied()
        .collect();
    if wholes.is_empty() || f.spent.is_empty() {
        return;
    }
    for (n, ctx) in ctxs.iter().enumerate() {
        let Some(y) = yuan(doc, ctx, n) else { continue };
        let b = ctx.before.trim_end();
        if !(b.ends_with("结余")
            || b.ends_with("结转结余")
            || b.ends_with("剩余")
            || b.ends_with("结余资金"))
            || ctx.col.is_some()
            || ctx.earlier_year
            || doc.sub_project(doc.nums[n].line).is_some()
            || fund_accounts(doc, &ctx.sentence)
            // (What is left of one contract, "合同价580,000元，…剩余174,000元在竣工结算后支付",
            // is not the project's balance.)
            || {
                let l = &doc.lines[doc.nums[n].line];
                ["合同价", "合同金额", "合同额"].iter().any(|w| l.contains(w)) && !l.contains("预算")
            }
        {
            continue;
        }
        // "办案补贴结余62.63万元": the balance of one part, named before it (in its clause
        // or its sentence).
        let m = &doc.nums[n];
        let (ss, _) = sentence(doc, m.line, m.start, m.end);
        if part_balance(b) || part_balance(&doc.lines[m.line][ss..m.start]) {
            continue;
        }
        // "结余153.60万元，其中免学费补助结余50.40万元": a part of the balance, not the balance.
        if doc.lines[m.line][ss..m.start].contains("其中") {
            continue;
        }
        // "到位资金结余342.64万元": the balance of the funds received.
        let of_received = b.contains("到位") && !f.received.is_empty();
        let wholes: &[Amount] = if of_received { &f.received } else { &wholes };
        // Figures written in 万元 to two places leave 100元 either way; three figures all
        // written in 元 must agree to the fen ("预算3,460,000.00元，实际支出3,318,650.40元，
        // 结余141,394.60元").
        // (A bare figure in a column headed 万元 counts as written in 万元.)
        let in_wan = |k: usize| {
            let t = doc.written(k);
            t.contains('万') || t.contains('亿') || ctxs[k].money_exp.is_some_and(|e| e >= 4)
        };
        // A budget and a spending stated on the balance's own line, before it, are what it
        // is the balance of.
        let before = |a: &&Amount| doc.nums[a.n].line == m.line && doc.nums[a.n].end <= m.start;
        let own_wholes: Vec<Amount> = wholes.iter().filter(before).copied().collect();
        let own_spent: Vec<Amount> = f.spent.iter().filter(before).copied().collect();
        let (wholes, spent): (&[Amount], &[Amount]) =
            if own_wholes.is_empty() || own_spent.is_empty() {
                (wholes, &f.spent)
            } else {
                (&own_wholes, &own_spent)
            };
        let ok = wholes.iter().any(|wh| {
            spent.iter().any(|s| {
                let tol = if [wh.n, s.n, n].iter().any(|&k| in_wan(k)) {
                    tol
                } else {
                    Dec::ZERO
                };
                close(sub(wh.yuan, s.yuan), y, tol)
            })
        });
        if !ok {
            // (`wholes` lists the adjusted budget first, then the budget, then what arrived.)
            let wh = wholes.first().copied();
            let s = spent.first().copied();
            if let (Some(wh), Some(s)) = (wh, s) {
                let diff = sub(wh.yuan, s.yuan);
                let shown = if [wh.n, s.n].iter().any(|&k| in_wan(k)) {
                    format!(
                        "{}万元",
                        crate::util::with_decimals(diff.shift(-4).unwrap_or(Dec::ZERO), 2)
                    )
                } else {
                    format!("{}元", crate::util::with_decimals(diff, 2))
                };
                acc.push(finding(
                    "sum-mismatch",
                    Severity::Error,
                    format!(
                        "结余写作“{}”，但{}“{}”减支出“{}”为 {shown}",
                        w(doc, n),
                        if of_received {
                            "到位资金"
                        } else {
                            "预算"
                        },
                        w(doc, wh.n),
                        w(doc, s.n),
                    ),
                    [doc.nums[wh.n].line, doc.nums[s.n].line, doc.nums[n].line],
                    vec![w(doc, wh.n), w(doc, s.n), w(doc, n)],
                ));
            }
        }
    }
}

/// Whether the words after a figure open with 中 meaning "of which" ("参训21,560人次中取证…"),
/// not a word that begins with 中 ("48个中心…").
fn partitive(after: &str) -> bool {
    let mut cs = after.chars();
    cs.next() == Some('中')
        && !cs
            .next()
            .is_some_and(|c| "心国央学小级期旬标医药华部间止断转层型等".contains(c))
}

/// One source's rate with that source's own two sums before it in its sentence ("县级配套资金
/// 1560万元，实际到位1248万元，到位率82.00%"): the rate of those two. `None` when the sentence
/// has another shape; `Some(None)` when the rate agrees.
fn source_rate(doc: &Doc, ctxs: &[Ctx], n: usize) -> Option<Option<Finding>> {
    let p = &doc.nums[n];
    let line = p.line;
    let (ss, _) = sentence(doc, line, p.start, p.end);
    let head = doc.lines[line][ss..p.start].trim_start();
    // One source, named first ("中央和省级资金全部到位，县级配套资金到位…，实际到位资金…，
    // 资金到位率98.28%" names three and ends with the whole).
    let levels = ["区级", "省级", "市级", "县级", "中央", "乡级", "镇级"];
    if !levels.iter().any(|w| head.starts_with(w))
        || levels.iter().filter(|w| head.contains(**w)).count() > 1
    {
        return None;
    }
    let two: Vec<(usize, Dec)> = doc.line_nums[line]
        .clone()
        .filter(|&k| k != n && doc.nums[k].start >= ss && doc.nums[k].end <= p.start)
        .filter_map(|k| Some((k, yuan(doc, &ctxs[k], k)?)))
        .collect();
    let [(ka, a), (kb, b)] = two.as_slice() else {
        return None;
    };
    let ((ks, small), (kg, big)) = if a <= b {
        ((*ka, *a), (*kb, *b))
    } else {
        ((*kb, *b), (*ka, *a))
    };
    if matches_rate(p, small, big) {
        return Some(None);
    }
    let c = small.ratio(big)?.percent(2);
    Some(Some(finding(
        "percent-of-parts",
        Severity::Error,
        format!(
            "“{}”÷“{}”= {c}%，文中写作“{}”",
            w(doc, ks),
            w(doc, kg),
            w(doc, n)
        ),
        [line],
        vec![w(doc, kg), w(doc, ks), w(doc, n)],
    )))
}

/// A change rate against the "由/从 A … 到/至 B" figures of its sentence: |B − A| ÷ A.
fn check_change(doc: &Doc, ctxs: &[Ctx], n: usize, acc: &mut Vec<Finding>) {
    let p = &doc.nums[n];
    let text = &doc.lines[p.line];
    let (s, _) = sentence(doc, p.line, p.start, p.end);
    let head = &text[s..p.start];
    // (The last 由 before the rate: "透明度由16.3cm升至39.7cm，…氨氮由17.2mg/L降至3.1mg/L，
    // 下降82.0%" is the ammonia's change.)
    let Some(from) = head.rfind('由').or_else(|| head.rfind('从')).map(|i| s + i) else {
        check_change_against(doc, ctxs, n, acc);
        return;
    };
    let Some(to) = text[from..p.start]
        .find("到")
        .or_else(|| text[from..p.start].find('至'))
        .map(|i| from + i)
    else {
        return;
    };
    let nums: Vec<usize> = doc.line_nums[p.line]
        .clone()
        .filter(|&k| k != n && ctxs[k].col.is_none())
        .collect();
    let a = nums
        .iter()
        .copied()
        .find(|&k| doc.nums[k].start > from && doc.nums[k].end <= to);
    let b = nums
        .iter()
        .copied()
        .find(|&k| doc.nums[k].start > to && doc.nums[k].end <= p.start);
    let (Some(a), Some(b)) = (a, b) else { return };
    if doc.nums[a].unit != doc.nums[b].unit || doc.nums[a].unit == "%" {
        return;
    }
    change_rate(doc, n, a, b, acc);
}

/// A change from `from` to `to` stated as rate `n`: the rate must be the difference as a
/// share of `from`.
fn change_rate(doc: &Doc, n: usize, from: usize, to: usize, acc: &mut Vec<Finding>) {
    let p = &doc.nums[n];
    let (vf, vt) = (doc.nums[from].value, doc.nums[to].value);
    if vf.is_zero() {
        return;
    }
    let diff = if vt > vf { sub(vt, vf) } else { sub(vf, vt) };
    if matches_rate(p, diff, vf) {
        return;
    }
    // (Two figures rounded to very different steps, "1.97亿元" and "17,825.40万元", cannot
    // give a rate to two decimals.)
    if (doc.nums[from].step() - doc.nums[to].step()).abs() >= 2 {
        return;
    }
    let exact = diff
        .ratio(vf)
        .map(|r| r.percent(2).to_string())
        .unwrap_or_default();
    let mut shown = [from, to];
    shown.sort_by_key(|&k| doc.nums[k].start);
    acc.push(finding(
        "percent-of-parts",
        Severity::Error,
        format!(
            "由“{}”变为“{}”，变化幅度为 {exact}%（以原数为基数），文中写作“{}”",
            w(doc, from),
            w(doc, to),
            w(doc, n)
        ),
        [p.line],
        vec![w(doc, shown[0]), w(doc, shown[1]), w(doc, n)],
    ));
}

/// "受理投诉37件，较2021年的58件下降56.76%": the change from the earlier figure (after 较 or
/// 比) to the current one (before it), as a share of the earlier one.
fn check_change_against(doc: &Doc, ctxs: &[Ctx], n: usize, acc: &mut Vec<Finding>) {
    let p = &doc.nums[n];
    let text = &doc.lines[p.line];
    let (s, _) = sentence(doc, p.line, p.start, p.end);
    let head = &text[s..p.start];
    let Some(at) = head
        .rfind('较')
        .or_else(|| head.rfind("比上年"))
        .map(|i| s + i)
    else {
        check_change_between_years(doc, ctxs, n, acc);
        return;
    };
    let changed = &text[at..p.start];
    if ![
        "下降", "减少", "降低", "增长", "增加", "提高", "上升", "增幅", "降幅", "涨幅",
    ]
    .iter()
    .any(|w| changed.contains(w))
    {
        return;
    }
    let nums: Vec<usize> = doc.line_nums[p.line]
        .clone()
        .filter(|&k| k != n && ctxs[k].col.is_none() && doc.nums[k].unit != "%")
        .collect();
    // The earlier figure: the first after 较 that is not a year.
    let Some(b) = nums.iter().copied().find(|&k| {
        let m = &doc.nums[k];
        m.start > at && m.end <= p.start && !text[m.end..].starts_with('年') && !m.unit.is_empty()
    }) else {
        return;
    };
    // (A rate told between them is the change; "增长7.69%，达到增长5%以上的目标" sets a
    // target after it.)
    if doc.line_nums[p.line].clone().any(|k| {
        let m = &doc.nums[k];
        k != n && m.unit == "%" && m.start >= doc.nums[b].end && m.end <= p.start
    }) {
        return;
    }
    // The current figure: the last before 较 in the same clause, in the same unit.
    let clause_start = text[s..at].rfind(['，', ',']).map_or(s, |i| s + i);
    let clause_start = text[s..clause_start]
        .rfind(['，', ','])
        .map_or(s, |i| s + i);
    let Some(a) = nums.iter().copied().rev().find(|&k| {
        let m = &doc.nums[k];
        m.start >= clause_start && m.end <= at && m.unit == doc.nums[b].unit
    }) else {
        return;
    };
    // "实际支出6.92万元，较预算节约1.68万元，下降19.53%": the figure after 较 is the change
    // itself, against a base the sentence names without a figure (here 6.92 + 1.68).
    let between = &text[at..doc.nums[b].start];
    if ["节约", "节余", "减少", "增加", "超出", "超支", "多", "少"]
        .iter()
        .any(|w| between.contains(w))
    {
        let (va, vb) = (doc.nums[a].value, doc.nums[b].value);
        let less = ["节约", "节余", "减少", "少"]
            .iter()
            .any(|w| between.contains(w));
        let base = if less {
            va.checked_add(vb)
        } else {
            Some(sub(va, vb))
        };
        let Some(base) = base.filter(|b| !b.is_zero()) else {
            return;
        };
        if !matches_rate(p, vb, base)
            && let Some(exact) = vb.ratio(base).map(|r| r.percent(2))
        {
            acc.push(finding(
                "percent-of-parts",
                Severity::Error,
                format!(
                    "变化额“{}”÷ 原数（{}{}{}）= {exact}%，文中写作“{}”",
                    w(doc, b),
                    w(doc, a),
                    if less { "＋" } else { "－" },
                    w(doc, b),
                    w(doc, n)
                ),
                [p.line],
                vec![w(doc, a), w(doc, b), w(doc, n)],
            ));
        }
        return;
    }
    change_rate(doc, n, b, a, acc);
}

/// "2018年河道垃圾清运量412吨，2019年356吨，减少56吨，减少幅度13.95%": the change between
/// the two figures of one unit that the sentence dates to two years, as a share of the
/// earlier one.
fn check_change_between_years(doc: &Doc, ctxs: &[Ctx], n: usize, acc: &mut Vec<Finding>) {
    let p = &doc.nums[n];
    let text = &doc.lines[p.line];
    let (s, _) = sentence(doc, p.line, p.start, p.end);
    let year_of = |k: usize| {
        let clause = text[s..doc.nums[k].start]
            .rsplit(['，', ',', '；'])
            .next()
            .unwrap_or("");
        let at = clause.find('年')?;
        let digits = clause[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .count();
        (digits == 4)
            .then(|| clause[at - 4..at].parse::<i32>().ok())
            .flatten()
    };
    let dated: Vec<(usize, i32)> = doc.line_nums[p.line]
        .clone()
        .filter(|&k| {
            let m = &doc.nums[k];
            k != n
                && m.start >= s
                && m.end <= p.start
                && ctxs[k].col.is_none()
                && !m.unit.is_empty()
                && !matches!(m.unit, "%" | "年")
        })
        .filter_map(|k| Some((k, year_of(k)?)))
        .collect();
    let [(a, ya), (b, yb)] = dated.as_slice() else {
        return;
    };
    if ya == yb || doc.nums[*a].unit != doc.nums[*b].unit {
        return;
    }
    let (from, to) = if ya < yb { (*a, *b) } else { (*b, *a) };
    change_rate(doc, n, from, to, acc);
}

/// Whether a rate's clause names the project's own rate and nothing narrower ("全年预算执行
/// 率", "本项目资金到位率", not "中央资金执行率" or "培训经费执行率").
fn project_wide(clause: &str) -> bool {
    let left = cjk_left(
        clause,
        &[
            "预算执行率",
            "资金执行率",
            "执行率",
            "资金到位率",
            "到位率",
            "全年",
            "全年度",
            "本年度",
            "年度",
            "本项目",
            "该项目",
            "项目",
            "整体",
            "总体",
            "综合",
            "最终",
            "实际",
            "的",
            "为",
            "达到",
            "达",
            "是",
            "共",
            "了",
            "计算",
        ],
    );
    (clause.contains("执行率") || clause.contains("到位率")) && left == 0
}

/// A whole count written in full (no 万, no decimals): exact, not rounded.
fn exact_count(m: &crate::scan::Num) -> bool {
    m.mult == 0 && m.decimals == 0 && !m.approx
}

/// Whether rate `p` is `x ÷ y`, where `x` and `y` are the values (or a difference) of the
/// figures `of`: exactly when both are whole counts written in full, else to a hundredth
/// either way.
fn rate_fits(doc: &Doc, p: &crate::scan::Num, of: [usize; 2], x: Dec, y: Dec) -> bool {
    if of.iter().all(|&k| exact_count(&doc.nums[k])) {
        matches_rate_exactly(p, x, y)
    } else {
        matches_rate(p, x, y)
    }
}

/// Whether `num ÷ den`, rounded half-up to the decimals written, is the stated rate exactly.
fn matches_rate_exactly(p: &crate::scan::Num, num: Dec, den: Dec) -> bool {
    let Some(r) = num.ratio(den) else {
        return false;
    };
    let pct = Ratio::new(r.num() * 100, r.den());
    let dp = p.decimals;
    let rounded = pct.round(dp).scaled();
    let stated = i128::from(p.value.mantissa()) * jixiao_core::num::pow10(dp)
        / jixiao_core::num::pow10(p.value.scale());
    rounded == stated && p.value.scale() <= dp
}

pub(crate) fn matches_rate(p: &crate::scan::Num, num: Dec, den: Dec) -> bool {
    let Some(r) = num.ratio(den) else {
        return false;
    };
    let pct = Ratio::new(r.num() * 100, r.den());
    rounds_to(pct, p.value, p.decimals)
}

/// Percentages that are ratios of figures stated with them.
pub fn check_percents(doc: &Doc, ctxs: &[Ctx], acc: &mut Vec<Finding>) {
    let f = facts(doc, ctxs);
    for n in 0..doc.nums.len() {
        let p = &doc.nums[n];
        let ctx = &ctxs[n];
        // "培训1,620人次，为年度目标1,500人次的118%": X is P% of Y, even of a target.
        if p.unit == "%"
            && p.cmp.is_none()
            && !ctx.criteria
            && let Some(share) = check_share_of(doc, n)
                .or_else(|| check_share_of_plan(doc, n))
                .or_else(|| check_share_of_named(doc, ctxs, n))
                .or_else(|| check_complement(doc, ctxs, n))
        {
            acc.push(share);
            continue;
        }
        if p.unit != "%"
            || ctx.target
            || ctx.criteria
            || p.cmp.is_some()
            || matches!(ctx.col, Some(ColRole::Score))
        {
            continue;
        }
        // "县农业农村局公布的…比重为62.4%”为全县口径": another body's figure of another scope.
        if crate::util::scope_stated_after(&doc.lines[p.line][p.end..]) {
            continue;
        }
        let b = ctx.clause.as_str();
        // "…支出600万元、…400万元，执行率均为100%": the rate of each, not of one pair; "预算资金
        // 61,900.00万元全部到位，到位率100%" and "…均已全部支出，执行率100%" say it whole.
        let whole_said = {
            let (s, _) = sentence(doc, p.line, p.start, p.end);
            let head = &doc.lines[p.line][s..p.start];
            p.value == Dec::from_int(100).unwrap_or(Dec::ZERO)
                && ["全部到位", "足额到位", "全部支出", "全部拨付"]
                    .iter()
                    .any(|w| head.contains(w))
        };
        if doc.lines[p.line][..p.start].ends_with("均为") || whole_said {
            continue;
        }
        // "由上年的1,285吨减少到1,136吨，减少幅度13.1%": a change against its two figures.
        if has(
            b,
            &[
                "幅度", "下降", "减少", "增长", "提高", "降低", "增加", "增幅", "降幅", "涨幅",
                "上升",
            ],
        ) {
            check_change(doc, ctxs, n, acc);
            continue;
        }
        if has(
            b,
            &[
                "较",
                "比上年",
                "同比",
                "增长",
                "提高",
                "下降",
                "降低",
                "增加",
                "减少",
                "超过",
                "目标",
                "标准",
                "不低于",
                "要求",
            ],
        ) {
            continue;
        }
        // Table rows: 执行率 against the row's spending and budget columns.
        if matches!(ctx.col, Some(ColRole::Rate)) {
            check_table_rate(doc, ctxs, n, acc);
            continue;
        }
        let line = p.line;
        let execution = b.contains("执行率") || (b.contains("执行") && b.contains("率"));
        let arrival = b.contains("到位率");
        let of_whole = b.contains("的") && (b.contains('为') || b.contains('占'));
        // (An earlier year's rate, "2019年度…项目…预算执行率91.08%", is that year's.)
        if (execution || arrival || (of_whole && has(b, &["预算", "到位资金", "资金"])))
            && !ctx.earlier_year
        {
            if let Some(found) = source_rate(doc, ctxs, n) {
                acc.extend(found);
                continue;
            }
            let nums: Vec<&Amount> = f.spent.iter().chain(&f.received).collect();
            let dens: Vec<&Amount> = if arrival {
                f.budget.iter().chain(&f.adjusted).collect()
            } else {
                f.adjusted
                    .iter()
                    .chain(&f.budget)
                    .chain(&f.received)
                    .collect()
            };
            let nums: Vec<&Amount> = if arrival {
                f.received.iter().collect()
            } else {
                nums
            };
            if nums.is_empty() || dens.is_empty() {
                continue;
            }
            let ok = nums
                .iter()
                .any(|a| dens.iter().any(|d| matches_rate(p, a.yuan, d.yuan)));
            // (A share, "年末结转1,733.72万元，占全年预算数的9.08%": the sum before 占 against
            // the budget.)
            let ok = ok
                || of_whole && b.contains('占') && {
                    let zhan = doc.lines[line][..p.start].rfind('占').unwrap_or(0);
                    doc.line_nums[line]
                        .clone()
                        .filter(|&k| doc.nums[k].end <= zhan)
                        .filter_map(|k| yuan(doc, &ctxs[k], k))
                        .last()
                        .is_some_and(|part| dens.iter().any(|d| matches_rate(p, part, d.yuan)))
                };
            // Amounts on this line, when the line states them, are what the rate is of.
            let local: Vec<usize> = doc.line_nums[line]
                .clone()
                .filter(|&k| yuan(doc, &ctxs[k], k).is_some() && k != n)
                .collect();
            // No amounts on the line: a rate of the project as a whole ("全年预算执行率
            // 68.33%") must match the year's spending and budget stated elsewhere.
            // A rate of one part ("区级资金支出3,087.18万元，执行率88.14%") against that part's
            // own budget, stated a line or two before.
            let ok = ok || {
                let near: Vec<Dec> = (line.saturating_sub(3)..=line)
                    .flat_map(|l| doc.line_nums[l].clone())
                    .filter(|&k| k != n)
                    .filter_map(|k| yuan(doc, &ctxs[k], k))
                    .collect();
                local
                    .iter()
                    .filter_map(|&k| yuan(doc, &ctxs[k], k))
                    .any(|a| near.iter().any(|&d| d > a && matches_rate(p, a, d)))
            };
            // "项目预算186.50万元…实际支出168.74万元，预算执行率91.84%": when the rate's own
            // line states the spending and the budget before it, the rate is of them, even if
            // another pair in the report gives that rate.
            let before_rate =
                |a: &&Amount| doc.nums[a.n].line == line && doc.nums[a.n].end <= p.start;
            let own_nums: Vec<&Amount> = if arrival { &f.received } else { &f.spent }
                .iter()
                .filter(before_rate)
                .collect();
            let own_dens: Vec<&Amount> = dens.iter().copied().filter(before_rate).collect();
            // (Or another sum on that line before the rate that the reader takes for the
            // budget: "总投资7800万元…资金到位7488万元，累计支出7412.36万元，预算执行率95.03%".)
            // (Sums that add up to the figure are its instalments, not its budget: "下达春季学期
            // 资金94万元；…下达秋季学期资金96万元。全年资金到位190万元，到位率100%".)
            let instalments = own_nums.len() == 1
                && own_dens.len() >= 2
                && own_dens
                    .iter()
                    .try_fold(Dec::ZERO, |acc, d| acc.checked_add(d.yuan))
                    .is_some_and(|s| s == own_nums[0].yuan);
            let ok =
                if own_nums.len() == 1 && !own_dens.is_empty() && project_wide(b) && !instalments {
                    own_dens
                        .iter()
                        .any(|d| d.n != own_nums[0].n && matches_rate(p, own_nums[0].yuan, d.yuan))
                        || local.iter().any(|&k| {
                            doc.nums[k].end <= p.start
                                && k != own_nums[0].n
                                && yuan(doc, &ctxs[k], k)
                                    .is_some_and(|d| matches_rate(p, own_nums[0].yuan, d))
                        })
                        // (Funds received on the line are no budget of an execution rate:
                        // "到位资金145万元，支出138.62万元，预算执行率92.41%" is of the budget
                        // of 150万元 stated above.)
                        || !arrival
                            && own_dens.iter().all(|d| f.received.iter().any(|r| r.n == d.n))
                            && f.budget
                                .iter()
                                .chain(&f.adjusted)
                                .any(|d| matches_rate(p, own_nums[0].yuan, d.yuan))
                } else {
                    ok
                };
            // (Sums received in batches on the rate's line add up to what was received:
            // "…到位18,000.00万元；资本金…到位2,000.00万元、…到位2,200.00万元。全年资金到位率
            // 100%".)
            let ok = ok
                || own_nums.len() >= 2
                    && own_nums
                        .iter()
                        .try_fold(Dec::ZERO, |acc, a| acc.checked_add(a.yuan))
                        .is_some_and(|total| dens.iter().any(|d| matches_rate(p, total, d.yuan)));
            let threshold = {
                let after = &doc.lines[line][p.end..];
                ["以上", "以下", "及以上", "（含）", "(含)", "的"]
                    .iter()
                    .any(|w| after.starts_with(w))
                    || ctx.sentence.contains("标准")
                    || ctx.sentence.contains("满分")
            };
            if !ok && local.is_empty() && project_wide(b) && !threshold {
                let (a, d) = (nums[0], dens[0]);
                let computed = a.yuan.ratio(d.yuan).map(|r| r.percent(2));
                if let Some(c) = computed {
                    let (what, of) = if arrival {
                        ("到位资金", "预算")
                    } else {
                        ("支出", "预算")
                    };
                    acc.push(finding(
                        "percent-of-parts",
                        Severity::Error,
                        format!(
                            "文中写作“{}”，但{what}“{}”÷{of}“{}”= {c}%",
                            w(doc, n),
                            w(doc, a.n),
                            w(doc, d.n)
                        ),
                        [line, doc.nums[a.n].line, doc.nums[d.n].line],
                        vec![w(doc, d.n), w(doc, a.n), w(doc, n)],
                    ));
                }
                continue;
            }
            // "其中当年财政拨款执行311.20万元，执行率97.66%": the rate of a part whose own
            // budget the report does not state cannot be checked.
            let of_a_part = {
                let (ss, _) = sentence(doc, line, p.start, p.end);
                // One part right before the rate ("其中A执行X，执行率P%"); after a list of
                // parts ("其中省级1,650万元、县级480万元，资金到位率P%") the rate is the whole's.
                let head = &doc.lines[line][ss..p.start];
                let one_after = |from: usize| {
                    local
                        .iter()
                        .filter(|&&k| doc.nums[k].start > from && doc.nums[k].end <= p.start)
                        .count()
                        == 1
                };
                head.rfind("其中").is_some_and(|i| one_after(ss + i))
                    // "全年子项目支出523.65万元，执行率96.97%": one sub-project's rate, of a
                    // budget of its own.
                    || ["子项目", "分项目", "子项"].iter().any(|w| head.contains(w))
                    || doc.sub_project(line).is_some()
                    // "…；区级财政资金执行340.56万元，执行率70.95%": one source's own rate.
                    || ["区级", "省级", "市级", "县级", "中央", "乡级", "镇级", "市县", "区县", "县区"]
                        .iter()
                        .any(|w| crate::context::list_mark_stripped(head).starts_with(w))
                        && (head.contains("资金") || head.contains("财政"))
                        && local
                            .iter()
                            .filter(|&&k| doc.nums[k].start > ss && doc.nums[k].end <= p.start)
                            .count()
                            <= 1
                    // "…；医院自筹资金支出61.40万元，执行率76.75%": the self-raised or matching
                    // money's own rate.
                    || ["自筹", "配套"].iter().any(|w| {
                        head.split(['，', ',']).next().is_some_and(|c| c.contains(w))
                    }) && local
                        .iter()
                        .filter(|&&k| doc.nums[k].start > ss && doc.nums[k].end <= p.start)
                        .count()
                        <= 1
            };
            // "汕头市获省级补助32,000,000元，实际支出3,136万元，执行率最高；湛江市执行率88.00%":
            // a rate told after a semicolon with no sum of its own is another subject's.
            let another_subject = doc.lines[line][..p.start]
                .rfind('；')
                .is_some_and(|semi| local.iter().all(|&k| doc.nums[k].end <= semi));
            if !ok && !local.is_empty() && !of_a_part && !another_subject {
                let mut values: Vec<String> = local.iter().map(|&k| w(doc, k)).collect();
                values.push(w(doc, n));
                let mut lines = vec![line];
                if local.len() < 2
                    && let Some(d) = dens.first()
                {
                    lines.push(doc.nums[d.n].line);
                    values.insert(0, w(doc, d.n));
                }
                // Name the pair the rate should be of: this line's amounts first.
                let pick = |set: &[&Amount]| {
                    set.iter()
                        .find(|a| local.contains(&a.n))
                        .or(set.first())
                        .map(|a| **a)
                };
                let (num, den) = (pick(&nums), pick(&dens));
                let (what, of) = if arrival {
                    ("到位资金", "预算")
                } else {
                    ("支出", "预算")
                };
                let message = match (num, den) {
                    (Some(a), Some(d)) if a.n != d.n => {
                        let computed =
                            a.yuan.ratio(d.yuan).map(|r| r.percent(2)).and_then(|c| {
                                Some((c, Dec::new(i64::try_from(c.scaled()).ok()?, 2)?))
                            });
                        match computed {
                            Some((c, cd)) => {
                                let diff = sub(p.value, cd);
                                let diff = if diff.is_negative() {
                                    sub(cd, p.value)
                                } else {
                                    diff
                                };
                                format!(
                                    "{what}“{}”÷{of}“{}”= {c}%，文中写作“{}”，相差 {diff} 个百分点",
                                    w(doc, a.n),
                                    w(doc, d.n),
                                    w(doc, n),
                                )
                            }
                            None => format!("“{}”与所列金额不符", w(doc, n)),
                        }
                    }
                    _ => format!(
                        "“{}”与所列金额不符：按支出和预算计算不是这个比例",
                        w(doc, n)
                    ),
                };
                acc.push(finding(
                    "percent-of-parts",
                    Severity::Error,
                    message,
                    lines,
                    values,
                ));
            }
            continue;
        }
        // Any other rate: the same-unit figures of its sentence. (免疫密度 is the share of the
        // animals due that were vaccinated.)
        if !(b.contains('率')
            || b.contains('占')
            || b.contains("比例")
            || b.contains("比重")
            || b.contains("满意度")
            || b.ends_with("免疫密度"))
        {
            continue;
        }
        let (mut s, _) = sentence(doc, line, p.start, p.end);
        // "共12个断面…；其中11个断面达标，达标率92.5%": the whole is in the sentence before.
        if s > 0 && doc.lines[line][s..].trim_start().starts_with("其中") {
            s = sentence(doc, line, s - 1, s - 1).0;
        }
        let cands: Vec<usize> = doc.line_nums[line]
            .clone()
            .filter(|&k| {
                let m = &doc.nums[k];
                // "15个工作日" is a time, not a count of items.
                let after = &doc.lines[line][m.end..];
                let duration = ["工作日", "日", "天", "月", "小时", "季度", "年", "周"]
                    .iter()
                    .any(|w| after.starts_with(w));
                // "每村安排5万元，共安排70.00万元，全年实际使用66.50万元，使用率96.50%": a
                // sum per village is no part of the rate.
                let per_item = ctxs[k].before.contains('每');
                k != n
                    && m.start >= s
                    && m.end <= p.start
                    && countable(m.unit)
                    && m.cmp.is_none()
                    && !m.approx
                    && !duration
                    && !per_item
            })
            .collect();
        let mut units: Vec<&str> = cands.iter().map(|&k| doc.nums[k].unit).collect();
        units.sort_unstable();
        units.dedup();
        let mut any_match = false;
        let mut pair: Option<(usize, usize)> = None;
        for u in units {
            let mut same: Vec<usize> = cands
                .iter()
                .copied()
                .filter(|&k| doc.nums[k].unit == u)
                .collect();
            // The same figure repeated ("46个…46个项目全部开工") counts once.
            let mut seen = Vec::new();
            same.retain(|&k| {
                let v = doc.nums[k].value;
                if seen.contains(&v) {
                    false
                } else {
                    seen.push(v);
                    true
                }
            });
            // Whole counts as written (2,921人, 2,698人) are exact: their rate rounds one way
            // only (2,698 ÷ 2,921 = 92.3656…% is 92.37%, not 92.36%). Figures written rounded
            // (3.05万亩) leave a hundredth either way.
            let fits = |a: usize, d: usize, x: Dec, y: Dec| rate_fits(doc, p, [a, d], x, y);
            for &a in &same {
                for &d in &same {
                    let (x, y) = (doc.nums[a].value, doc.nums[d].value);
                    // Or the rest of the whole: a pass rate beside the failures
                    // ("抽检6,240批次，不合格106批次，合格率98.30%").
                    if a != d && (fits(a, d, x, y) || x < y && fits(a, d, sub(y, x), y)) {
                        any_match = true;
                    }
                }
            }
            // Counts of different units can be a rate's parts too ("收回有效问卷292份，表示
            // 满意的273家，满意度93.5%").
            for &a in &same {
                for &d in &cands {
                    if a != d && fits(a, d, doc.nums[a].value, doc.nums[d].value) {
                        any_match = true;
                    }
                }
            }
            // "村卫生室263个，…其中259个…（另4个因…暂停执业）": an aside in brackets is no
            // part of the rate.
            let unbracketed: Vec<usize> = same
                .iter()
                .copied()
                .filter(|&k| !doc.nums[k].paren)
                .collect();
            if same.len() == 2 {
                pair = Some((same[0], same[1]));
            } else if unbracketed.len() == 2 {
                pair = Some((unbracketed[0], unbracketed[1]));
            } else if same.len() >= 3 {
                // "发放问卷600份，回收有效问卷572份，其中满意541份，满意度95.6%": the valid
                // answers and the part counted among them.
                let valid = same
                    .iter()
                    .copied()
                    .rfind(|&k| ctxs[k].before.contains("有效"));
                let part = valid.and_then(|v| {
                    same.iter().copied().find(|&k| {
                        let (m, vm) = (&doc.nums[k], &doc.nums[v]);
                        m.start > vm.end && doc.lines[line][vm.end..m.start].contains("其中")
                    })
                });
                if let (Some(v), Some(k)) = (valid, part) {
                    pair = Some((k, v));
                }
            }
        }
        // The whole may follow the rate in its sentence ("飞防作业2.74万亩，完成率91.33%，未达到3万
        // 亩的目标"), and so may both parts ("满意度89.60%（500名受访者中448名表示满意）").
        if !any_match {
            let (_, se) = sentence(doc, line, p.start, p.end);
            let after: Vec<usize> = doc.line_nums[line]
                .clone()
                .filter(|&k| doc.nums[k].start >= p.end && doc.nums[k].end <= se)
                .collect();
            any_match = cands.iter().chain(&after).any(|&a| {
                after.iter().any(|&d| {
                    a != d
                        && doc.nums[d].unit == doc.nums[a].unit
                        && matches_rate(p, doc.nums[a].value, doc.nums[d].value)
                })
            });
            // Both parts in brackets right after the rate, and they disagree with it: the
            // rate is of them ("村民满意度86.90%（500名受访者中448名表示满意）").
            if !any_match
                && let [x, y] = after.as_slice()
                && doc.nums[*x].paren
                && doc.nums[*y].paren
                && doc.nums[*x].unit == doc.nums[*y].unit
                && countable(doc.nums[*x].unit)
                && doc.lines[line][p.end..doc.nums[*x].start].trim() == "（"
            {
                let (small, big) = if doc.nums[*x].value <= doc.nums[*y].value {
                    (*x, *y)
                } else {
                    (*y, *x)
                };
                if let Some(f) = share_mismatch(doc, small, big, n, [big, small, n]) {
                    acc.push(f);
                }
                continue;
            }
        }
        if any_match {
            continue;
        }
        // "参训21,560人次中取证18,742人，培训合格率87.9%": a whole and the part of it after
        // 中, in two units.
        let pair = pair.or_else(|| {
            cands.iter().find_map(|&d| {
                let after = doc.lines[line][doc.nums[d].end..].trim_start();
                let a = cands.iter().copied().find(|&a| {
                    doc.nums[a].start > doc.nums[d].end
                        && doc.nums[a].value < doc.nums[d].value
                        && doc.nums[a].unit != doc.nums[d].unit
                })?;
                (partitive(after)
                    && doc.lines[line][doc.nums[d].end..doc.nums[a].start]
                        .chars()
                        .count()
                        <= 8)
                    .then_some((a, d))
            })
        });
        if let Some((a, d)) = pair {
            // "发放问卷400份，回收有效问卷382份，满意度95.2%": a satisfaction rate is of the
            // satisfied answers, which the sentence does not give.
            // (A survey named 满意度调查 says nothing of how many were satisfied.)
            let satisfied = |k: usize| {
                let mut w = ctxs[k].before.clone();
                for survey in ["满意度调查", "满意度测评", "满意度问卷"] {
                    w = w.replace(survey, "");
                }
                w.contains("满意")
            };
            if b.contains("满意") && !satisfied(a) && !satisfied(d) {
                continue;
            }
            // "回收有效问卷582份，其中“非常满意”403份、“满意”148份，满意度为94.67%": the
            // satisfied answers together, (403 + 148) ÷ 582.
            if b.contains("满意") {
                let (s_, _) = sentence(doc, line, p.start, p.end);
                let answers: Vec<usize> = doc.line_nums[line]
                    .clone()
                    .filter(|&k| {
                        let m = &doc.nums[k];
                        m.start >= s_
                            && m.end <= p.start
                            && m.unit == doc.nums[a].unit
                            && k != d
                            && {
                                let w = crate::util::last_chars(&doc.lines[line][..m.start], 6);
                                w.contains("满意") && !w.contains("不满意")
                            }
                    })
                    .collect();
                if answers.len() >= 2 {
                    let total = crate::util::sum(answers.iter().map(|&k| doc.nums[k].value));
                    let whole = doc.nums[d].value.max(doc.nums[a].value);
                    if matches_rate(p, total, whole) {
                        continue;
                    }
                }
            }
            // "对3个标段中的21个行政村进行了实地抽查，抽查面积1.93万亩，占建设面积的37.12%": the
            // share is of the figure right before it, in another unit than the pair.
            let nearest = doc.line_nums[line]
                .clone()
                .filter(|&k| k != n && doc.nums[k].end <= p.start && doc.nums[k].start >= s)
                .last();
            if nearest.is_some_and(|k| {
                k != a && k != d && doc.nums[k].unit != doc.nums[a].unit && doc.nums[k].unit != "%"
            }) {
                continue;
            }
            // Exactly two figures of one unit before a rate, and the rate's name shares a
            // word with one of them (兑付率 ↔ 完成兑付386张): the rate is of them.
            let stem = rate_stem(b);
            // Or the two are what was due and what was done (应发放3,418人，实际发放3,405人).
            let due_done = |x: usize, y: usize| {
                ctxs[x].before.contains('应')
                    && [
                        "实际", "实发", "实到", "实有", "实收", "实缴", "实付", "实领", "已",
                    ]
                    .iter()
                    .any(|w| ctxs[y].before.contains(w))
                    // (Any 实-word opening the clause says done: "应免41.26万头，实免39.87万头".)
                    || ctxs[x].before.contains('应') && ctxs[y].before.starts_with('实')
            };
            // Or the one is counted within the other ("42处水体中有39处水质达到…").
            let within = {
                let (x, y) = if doc.nums[a].start < doc.nums[d].start {
                    (a, d)
                } else {
                    (d, a)
                };
                let between = &doc.lines[line][doc.nums[x].end..doc.nums[y].start];
                between.chars().count() <= 12
                    && (between.contains("中有")
                        || between.contains("中，")
                        || between.contains("其中")
                        || doc.nums[x].unit != doc.nums[y].unit && partitive(between))
            };
            // (A figure in an aside or told for each, "（2020年、2021年各0.68亿元）", "两年各安排
            // 0.26亿元", breaks down another; the share is not of it.)
            // (Parts in brackets after the rate are its own: "满意度89.60%（500名受访者中448名
            // 表示满意）".)
            if [a, d]
                .iter()
                .any(|&k| doc.nums[k].end <= p.start && aside_or_each(doc, k))
            {
                continue;
            }
            // (A share of a whole the words after 占 name, "累计到位资金53,600.00万元，累计支付
            // 资金51,226.58万元，占批复总投资的75.33%": not of the figure before, unless its
            // words name that whole.)
            if let Some(z) = b.rfind('占') {
                let named = b[z + '占'.len_utf8()..].trim_end_matches('的');
                let named = named.strip_prefix("批复").unwrap_or(named);
                if named.chars().count() >= 2
                    && named.chars().all(is_cjk)
                    && ![a, d]
                        .iter()
                        .any(|&k| ctxs[k].before.contains(named) || ctxs[k].key.contains(named))
                {
                    continue;
                }
            }
            let related = b.contains('占')
                || within
                || due_done(a, d)
                || due_done(d, a)
                || [a, d].iter().any(|&k| {
                    let c = &ctxs[k].clause;
                    stem.chars().count() >= 2 && shares_word(&stem, c)
                })
                // (Or the rate's word follows the whole in its clause: "720套房源于…开始配租，
                // 已签订租赁合同612套，配租率87.50%".)
                || stem.chars().count() >= 2
                    && [a, d].iter().any(|&k| ctxs[k].after.contains(stem.as_str()));
            // ("无一人再次上访": none, not one.)
            if [a, d].iter().any(|&k| {
                let head = &doc.lines[line][..doc.nums[k].start];
                head.ends_with('无') || head.ends_with("没有")
            }) {
                continue;
            }
            if !related {
                continue;
            }
            // "新建公墓4座，其中洋坪镇一座2024年1月验收但属本年度任务，完成率100%": a 完成率 is of
            // the work against its target, not of a part named after 其中.
            if within
                && b.contains("完成率")
                && !b.contains('占')
                && !due_done(a, d)
                && !due_done(d, a)
            {
                continue;
            }
            // "42名村级林长考核合格率100%": a count in the rate's own clause names what the
            // rate is of; the figures of earlier clauses are about other things.
            let clause_start = doc.lines[line][..p.start]
                .rfind(['，', '；', '。', ','])
                .unwrap_or(0);
            let own_count = doc.line_nums[line].clone().any(|k| {
                k != a
                    && k != d
                    && k != n
                    && doc.nums[k].start > clause_start
                    && doc.nums[k].end <= p.start
                    && countable(doc.nums[k].unit)
            });
            if own_count && [a, d].iter().all(|&k| doc.nums[k].end <= clause_start) {
                continue;
            }
            let (small, big) = if doc.nums[a].value <= doc.nums[d].value {
                (a, d)
            } else {
                (d, a)
            };
            // "发现问题42个…；销号41个…，其中39个…，及时整改率92.86%": the rate may be of a
            // whole stated earlier on the line (39 ÷ 42).
            // Or the larger of the two is the part ("招收学员34人；结业32人，另有2人…退出，
            // 结业率94.1%": 32 ÷ 34).
            let earlier_whole = [small, big].iter().any(|&part| {
                doc.line_nums[line].clone().any(|k| {
                    let (x, y) = (doc.nums[part].value, doc.nums[k].value);
                    k != small
                        && k != big
                        && doc.nums[k].unit == doc.nums[part].unit
                        && doc.nums[k].end <= p.start
                        && rate_fits(doc, p, [part, k], x, y)
                })
            });
            // "6人…中途退出，年末在岗74人，持续在岗率92.5%": the rate may be of the two together
            // (74 ÷ 80), the whole being those who stayed and those who left.
            let (sv, bv) = (doc.nums[small].value, doc.nums[big].value);
            let together = sv
                .checked_add(bv)
                .is_some_and(|whole| matches_rate(p, bv, whole) || matches_rate(p, sv, whole));
            // "适龄儿童62名全部入学，其中送教上门11名，入学率100%": all of the whole, said so.
            let all_of_it = matches_rate(p, bv, bv) && {
                let (ss, se) = sentence(doc, line, p.start, p.end);
                let sent = &doc.lines[line][ss..se];
                sent.contains("全部") || sent.contains("全数")
            };
            // "对未达标的232个服务站…，2025年达标2,391个，达标率96.88%": the ones that failed
            // and the ones that passed are no part and whole; with no whole stated, the rate
            // cannot be checked.
            let failed_and_passed = stem.chars().count() >= 2
                && [small, big].iter().any(|&k| {
                    let c = &ctxs[k].clause;
                    c.contains(&format!("未{stem}")) || c.contains(&format!("不{stem}"))
                });
            if earlier_whole || together || all_of_it || failed_and_passed {
                continue;
            }
            let exact = doc.nums[small].value.ratio(doc.nums[big].value);
            acc.push(finding(
                "percent-of-parts",
                Severity::Error,
                format!(
                    "“{}”÷“{}”= {}%，文中写作“{}”",
                    w(doc, small),
                    w(doc, big),
                    exact.map(|r| r.percent(2).to_string()).unwrap_or_default(),
                    w(doc, n)
                ),
                [line],
                vec![w(doc, a), w(doc, d), w(doc, n)],
            ));
        }
    }
}

/// Whether a rate's name and a figure's clause share a word: three characters in order, or
/// two side by side that are not a word every indicator uses (管理 in 高血压患者规范管理率
/// and 老年人健康管理9368人 says nothing).
fn shares_word(stem: &str, clause: &str) -> bool {
    const COMMON: &[&str] = &[
        "管理", "服务", "工作", "建设", "完成", "项目", "指标", "资金", "人员", "实施",
    ];
    if crate::util::overlap(stem, clause).0 >= 3 {
        return true;
    }
    let chars: Vec<char> = stem.chars().collect();
    chars.windows(2).any(|w| {
        let pair: String = w.iter().collect();
        w.iter().all(|c| is_cjk(*c)) && clause.contains(&pair) && !COMMON.contains(&pair.as_str())
    })
}

/// The name of a rate without 率 and filler: "机械化清扫率为" → "机械化清扫".
fn rate_stem(before: &str) -> String {
    let t = before.trim_end_matches(['为', '是', '达', '到']);
    let t = t.strip_suffix("达到").unwrap_or(t);
    let t = t.strip_suffix('率').unwrap_or(t);
    crate::util::cjk_tail(t, 6).to_owned()
}

fn check_table_rate(doc: &Doc, ctxs: &[Ctx], n: usize, acc: &mut Vec<Finding>) {
    let line = doc.nums[n].line;
    let row: Vec<usize> = doc.line_nums[line].clone().collect();
    let pick = |role: ColRole| {
        row.iter()
            .copied()
            .filter(|&k| ctxs[k].col == Some(role))
            .collect::<Vec<_>>()
    };
    let spent = pick(ColRole::Spent);
    let mut dens = pick(ColRole::Adjusted);
    dens.extend(pick(ColRole::Budget));
    dens.extend(pick(ColRole::Received));
    let (Some(&s), false) = (spent.first(), dens.is_empty()) else {
        return;
    };
    let p = &doc.nums[n];
    if dens
        .iter()
        .any(|&d| matches_rate(p, doc.nums[s].value, doc.nums[d].value))
    {
        return;
    }
    let d = dens[0];
    acc.push(finding(
        "percent-of-parts",
        Severity::Error,
        format!(
            "执行数“{}”÷预算数“{}”= {}%，表中执行率写作“{}”",
            w(doc, s),
            w(doc, d),
            doc.nums[s]
                .value
                .ratio(doc.nums[d].value)
                .map(|r| r.percent(2).to_string())
                .unwrap_or_default(),
            w(doc, n)
        ),
        [line],
        vec![w(doc, d), w(doc, s), w(doc, n)],
    ));
}

/// A share told as the sum of named answers ("满意度（非常满意与满意之和）为93.75%") after the
/// answers with their shares ("非常满意52份（54.17%），满意36份（37.50%）…"): the sum of those
/// shares, to the rounding of each.
pub fn check_summed_shares(doc: &Doc, acc: &mut Vec<Finding>) {
    for (n, p) in doc.nums.iter().enumerate() {
        if p.unit != "%" || p.cmp.is_some() || !doc.may_contain(p.line, "之和") {
            continue;
        }
        let l = &doc.lines[p.line];
        let (s, _) = sentence(doc, p.line, p.start, p.end);
        let head = &l[s..p.start];
        let Some(at) = head.rfind("之和") else {
            continue;
        };
        // The names: back from 之和 to a bracket or the clause's start, parted by 与/和/及/、.
        let from = head[..at].rfind(['（', '(', '，', '：']).map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
        let names: Vec<&str> = head[from..at]
            .split(['与', '和', '及', '、', '加'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .collect();
        if names.len() < 2 || names.iter().any(|x| !x.chars().all(is_cjk)) {
            continue;
        }
        // Each name's share on the lines just above (or before on this line): the first % after
        // the name where the name starts an item (not "满意" inside "非常满意").
        let mut shares: Vec<usize> = Vec::new();
        for name in &names {
            let found = (p.line.saturating_sub(4)..=p.line).rev().find_map(|i| {
                let t = &doc.lines[i];
                t.match_indices(name).find_map(|(q, _)| {
                    if i == p.line && q >= s {
                        return None;
                    }
                    let starts_item = t[..q]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !is_cjk(c) || "中其".contains(c));
                    if !starts_item {
                        return None;
                    }
                    let end = q + name.len();
                    doc.line_nums[i].clone().find(|&k| {
                        let m = &doc.nums[k];
                        m.unit == "%" && m.start >= end && m.start - end <= 16 && {
                            let between = &t[end..m.start];
                            !between.contains(['，', '；', '。'])
                        }
                    })
                })
            });
            match found {
                Some(k) if !shares.contains(&k) => shares.push(k),
                _ => break,
            }
        }
        if shares.len() != names.len() {
            continue;
        }
        let total = crate::util::sum(shares.iter().map(|&k| doc.nums[k].value));
        // Each share is rounded: the sum may be off by half a step of each, and the stated
        // one by half of its own.
        let decimals = shares
            .iter()
            .map(|&k| doc.nums[k].decimals)
            .max()
            .unwrap_or(0);
        let slack = Dec::new(
            5 * (i64::try_from(shares.len()).unwrap_or(1) + 1),
            decimals + 1,
        );
        if slack.is_some_and(|sl| crate::util::abs_diff(total, p.value) > sl) {
            let mut values: Vec<String> = shares
                .iter()
                .map(|&k| doc.written(k).trim().to_owned())
                .collect();
            values.push(doc.written(n).trim().to_owned());
            acc.push(finding(
                "percent-of-parts",
                Severity::Error,
                format!(
                    "“{}”之和为 {}={}%，文中写作“{}”",
                    names.join("”与“"),
                    shares
                        .iter()
                        .map(|&k| doc.written(k).trim().to_owned())
                        .collect::<Vec<_>>()
                        .join("+"),
                    total,
                    doc.written(n).trim()
                ),
                shares.iter().map(|&k| doc.nums[k].line).chain([p.line]),
                values,
            ));
        }
    }
}

/// The year's spending broken down on the lines after it, one way per line ("项目支出1,527.6
/// 万元…" / "1. 按支出内容：工程建设支出1,572.6万元，勘测设计及监理费115.7万元，…" / "2. 按水库
/// 类型：…"): each way's amounts add up to the spending, and none is above it. (The lines
/// above may also tell parts of the spending: the way must add up to one of their figures.)
pub fn check_breakdown_lines(doc: &Doc, ctxs: &[Ctx], acc: &mut Vec<Finding>) {
    let ways: Vec<usize> = (1..doc.lines.len())
        .filter(|&l| doc.may_contain(l, "按") && doc.lines[l].contains('按'))
        .collect();
    if ways.is_empty() {
        return;
    }
    let f = facts(doc, ctxs);
    for line in ways {
        let text = crate::context::list_mark_stripped(&doc.lines[line]);
        let Some((way, items)) = text.split_once(['：', ':']) else {
            continue;
        };
        if !way.starts_with('按') || way.chars().count() > 10 {
            continue;
        }
        let totals: Vec<&Amount> = f
            .spent
            .iter()
            .filter(|a| {
                let l = doc.nums[a.n].line;
                l < line && l + 3 >= line && ctxs[a.n].col.is_none()
            })
            .collect();
        let Some(total) = totals.iter().max_by_key(|a| a.yuan).copied() else {
            continue;
        };
        let from = doc.lines[line].len() - items.len();
        let parts: Vec<(usize, Dec)> = doc.line_nums[line]
            .clone()
            .filter(|&k| doc.nums[k].start >= from && !doc.nums[k].paren && !doc.nums[k].approx)
            .filter_map(|k| Some((k, yuan(doc, &ctxs[k], k)?)))
            .collect();
        if parts.len() < 2 {
            continue;
        }
        let in_wan = |k: usize| doc.written(k).contains('万');
        let tol = if parts.iter().any(|&(k, _)| in_wan(k)) || in_wan(total.n) {
            Dec::from_int(100).unwrap_or(Dec::ZERO)
        } else {
            Dec::from_int(1).unwrap_or(Dec::ZERO)
        };
        let Some(sum) = parts
            .iter()
            .try_fold(Dec::ZERO, |acc, &(_, v)| acc.checked_add(v))
        else {
            continue;
        };
        if totals.iter().any(|t| close(sum, t.yuan, tol)) {
            continue;
        }
        let tn = &doc.nums[total.n];
        if let Some(&(big, _)) = parts.iter().find(|&&(_, v)| v > total.yuan) {
            acc.push(finding(
                "part-exceeds-whole",
                Severity::Error,
                format!(
                    "{way}列出的“{}”超过全年支出“{}”",
                    w(doc, big),
                    w(doc, total.n)
                ),
                [tn.line, line],
                vec![w(doc, total.n), w(doc, big)],
            ));
        }
        let mut values = vec![w(doc, total.n)];
        values.extend(parts.iter().map(|&(k, _)| w(doc, k)));
        acc.push(finding(
            "sum-mismatch",
            Severity::Error,
            format!(
                "{way}列出的各项之和为 {}，全年支出却是“{}”",
                crate::util::show(sum, "元"),
                w(doc, total.n)
            ),
            [tn.line, line],
            values,
        ));
    }
}
