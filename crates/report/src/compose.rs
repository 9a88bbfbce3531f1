//! Composes the self-evaluation report from a scored project, in the outline of the Kunming
//! report (domain.md f.2). Every figure comes from the data: money from the budget lines,
//! scores from the scored tree, counts from the framework. Narrative text comes from the
//! project file, with its placeholders expanded.

use jixiao_core::framework::Grades;
use jixiao_core::num::{Points, Ratio};
use jixiao_core::project::{Category, Project, Target};
use jixiao_core::scoring::{NodeOrigin, Scored, Status, actual_in_target_unit};
use jixiao_core::sheet;

use crate::Error;
use crate::figures::{actual_value, completion_rate, pct, pts, target_value, wan};
use crate::model::{Align, Block, Cell, Chart, Document, Merge, Table};

const LEVELS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

/// Builds the document; narrative placeholders are expanded here.
struct Builder<'s, 'a> {
    s: &'s Scored<'a>,
    blocks: Vec<Block>,
    tables: usize,
    charts: usize,
}

impl Builder<'_, '_> {
    fn h(&mut self, level: u8, text: impl Into<String>) {
        self.blocks.push(Block::Heading {
            level,
            text: text.into(),
        });
    }

    fn p(&mut self, text: impl Into<String>) {
        let t = text.into();
        if !t.trim().is_empty() {
            self.blocks.push(Block::Para(t));
        }
    }

    fn plain(&mut self, text: impl Into<String>, align: Align) {
        self.blocks.push(Block::Plain {
            text: text.into(),
            align,
        });
    }

    /// A narrative field, expanded; `None` when the project file does not have it.
    fn narrative(&self, field: &str) -> Result<Option<String>, Error> {
        self.s
            .project
            .narrative
            .get(field)
            .map(|t| crate::figures::expand(self.s, field, t.trim()))
            .transpose()
    }

    /// Paragraphs of a narrative field (one per line of the field), or a fallback sentence.
    fn narrative_paras(&mut self, field: &str, fallback: &str) -> Result<(), Error> {
        match self.narrative(field)? {
            Some(t) => {
                for para in t.lines() {
                    self.p(para.trim());
                }
            }
            None => self.p(fallback),
        }
        Ok(())
    }

    fn table(&mut self, mut t: Table) {
        self.tables += 1;
        t.caption = format!("表{} {}", self.tables, t.caption);
        self.blocks.push(Block::Table(t));
    }

    fn chart(&mut self, mut c: Chart) {
        self.charts += 1;
        c.title = format!("图{} {}", self.charts, c.title);
        self.blocks.push(Block::Chart(c));
    }
}

/// "2023年4月21日至5月20日" (the year printed once when both dates share it).
fn window(p: &Project) -> Option<String> {
    let (a, b) = (p.evaluation.start?, p.evaluation.end?);
    Some(if a.year() == b.year() {
        format!("{}至{}月{}日", a.zh(), b.month(), b.day())
    } else {
        format!("{}至{}", a.zh(), b.zh())
    })
}

/// 《标题》（文号）.
fn cite(d: &jixiao_core::project::PolicyDoc) -> String {
    let t = d.title.trim_start_matches('《').trim_end_matches('》');
    match &d.number {
        Some(n) => format!("《{t}》（{n}）"),
        None => format!("《{t}》"),
    }
}

/// Whether a policy document is about budgets and evaluation (评价依据) rather than the
/// project's purpose (立项依据).
fn is_evaluation_basis(d: &jixiao_core::project::PolicyDoc) -> bool {
    ["预算", "绩效", "评价"].iter().any(|w| d.title.contains(w))
}

/// Number of nodes per depth (index 0 = level 1), counted as the score tables list them: a
/// node that does not apply to this project (weight given to the others) is still listed.
fn counts_by_depth(s: &Scored<'_>) -> Vec<usize> {
    let mut counts = Vec::new();
    for n in &s.nodes {
        let d = usize::from(n.depth.max(1)) - 1;
        if counts.len() <= d {
            counts.resize(d + 1, 0);
        }
        counts[d] += 1;
    }
    counts
}

fn counts_sentence(s: &Scored<'_>) -> String {
    counts_by_depth(s)
        .iter()
        .enumerate()
        .map(|(d, n)| format!("{}级指标{n}个", LEVELS.get(d).copied().unwrap_or("末")))
        .collect::<Vec<_>>()
        .join("、")
}

/// The grade bands as a sentence the auditor reads ("90分（含）以上为优，…").
fn bands_sentence(g: &Grades) -> String {
    let mut parts = Vec::new();
    let mut upper: Option<Points> = None;
    for (name, min) in &g.bands {
        let part = match upper {
            None => format!("{}分（含）以上为{name}", pts(*min)),
            Some(u) if *min > Points::ZERO => {
                format!("{}分（含）至{}分为{name}", pts(*min), pts(u))
            }
            Some(u) => format!("{}分以下为{name}", pts(u)),
        };
        parts.push(part);
        upper = Some(*min);
    }
    parts.join("，")
}

/// A rate in hundredths of a percent for charts (58.33 % → 5833).
fn hundredths(r: Option<Ratio>) -> i64 {
    r.map_or(0, |r| {
        i64::try_from(r.percent(2).scaled()).unwrap_or(i64::MAX)
    })
}

/// Composes the report.
///
/// # Errors
/// [`Error::UnknownFigure`] or [`Error::Placeholder`] for a narrative placeholder.
pub fn compose(s: &Scored<'_>) -> Result<Document, Error> {
    let p = s.project;
    let title = format!("{}年{}支出绩效自评报告", p.year, p.name);
    let mut b = Builder {
        s,
        blocks: vec![Block::Title(title.clone())],
        tables: 0,
        charts: 0,
    };
    abstract_(&mut b)?;
    preamble(&mut b);
    basic_information(&mut b)?;
    evaluation_work(&mut b)?;
    conclusion(&mut b)?;
    cost_benefit(&mut b);
    lessons(&mut b)?;
    closing(&mut b);
    attachments(&mut b);
    Ok(Document {
        title,
        blocks: b.blocks,
    })
}

fn abstract_(b: &mut Builder<'_, '_>) -> Result<(), Error> {
    let s = b.s;
    let p = s.project;
    let bu = &p.budget;
    b.h(1, "摘要");
    b.p(format!(
        "1. 项目概况。{}年，本项目年初预算{}，调整后预算{}，到位资金{}，全年支出{}，预算执行率{}。",
        p.year,
        wan(bu.appropriation),
        wan(bu.adjusted()),
        wan(bu.received()),
        wan(bu.spent()),
        pct(bu.spent().ratio_to(bu.adjusted()))
    ));
    b.p(format!(
        "2. 评价结论。本项目绩效评价指标体系共设{}。经评价，本项目得分{}分，评价等级为“{}”。",
        counts_sentence(s),
        pts(s.total),
        s.grade()
    ));
    if let Some(problems) = b.narrative("problems")? {
        b.p(format!(
            "3. 存在的问题。{}",
            problems.lines().collect::<String>()
        ));
    }
    Ok(())
}

fn preamble(b: &mut Builder<'_, '_>) {
    let p = b.s.project;
    let basis: Vec<String> = p
        .policy_basis
        .iter()
        .filter(|d| is_evaluation_basis(d))
        .map(cite)
        .collect();
    let mut text = String::new();
    if !basis.is_empty() {
        text.push_str(&format!("根据{}的要求，", basis.join("、")));
    }
    match window(p) {
        Some(w) => text.push_str(&format!(
            "{}于{w}对{}年度{}开展了绩效自评。",
            p.department, p.year, p.name
        )),
        None => text.push_str(&format!(
            "{}对{}年度{}开展了绩效自评。",
            p.department, p.year, p.name
        )),
    }
    let e = &p.evaluation;
    if let Some(leader) = &e.leader {
        text.push_str(&format!("单位成立了以{leader}为组长"));
        if !e.members.is_empty() {
            text.push_str(&format!("，{}为成员", e.members.join("、")));
        }
        text.push_str("的绩效评价工作小组。");
    }
    text.push_str("现将评价情况报告如下：");
    b.p(text);
}

fn basic_information(b: &mut Builder<'_, '_>) -> Result<(), Error> {
    let s = b.s;
    let p = s.project;
    let bu = &p.budget;
    b.h(1, "一、项目基本情况");
    b.h(2, "（一）项目概况");
    b.h(3, "1. 立项背景及目的");
    b.narrative_paras("background", "")?;
    let purpose_docs: Vec<String> = p
        .policy_basis
        .iter()
        .filter(|d| !is_evaluation_basis(d))
        .map(cite)
        .collect();
    if !purpose_docs.is_empty() {
        b.p(format!("项目立项依据：{}。", purpose_docs.join("、")));
    }
    b.h(3, "2. 项目实施情况");
    b.narrative_paras("preparation", "")?;
    b.narrative_paras("implementation", "")?;
    b.h(3, "3. 资金来源及使用情况");
    let mut t = format!("{}年，", p.year);
    match &bu.approval_document {
        Some(doc) => t.push_str(&format!(
            "根据{doc}，本项目年初预算{}",
            wan(bu.appropriation)
        )),
        None => t.push_str(&format!("本项目年初预算{}", wan(bu.appropriation))),
    }
    if bu.adjustments.is_empty() {
        t.push_str("，年内未调整");
    } else {
        t.push_str(&format!("，年内调整后预算为{}", wan(bu.adjusted())));
    }
    t.push_str(&format!(
        "。全年到位资金{}，资金到位率{}；全年支出{}，预算执行率{}，结转结余{}。",
        wan(bu.received()),
        pct(bu.received().ratio_to(bu.adjusted())),
        wan(bu.spent()),
        pct(bu.spent().ratio_to(bu.adjusted())),
        wan(bu.unspent())
    ));
    b.p(t);
    if !bu.spending.is_empty() {
        let items: Vec<String> = bu
            .spending
            .iter()
            .map(|l| format!("{}，支付{}", l.purpose, wan(l.amount)))
            .collect();
        b.p(format!("主要支出：{}。支出明细见附件2。", items.join("；")));
    }
    b.h(3, "4. 组织及管理情况");
    b.narrative_paras("management", "")?;
    if !p.approval_chain.is_empty() {
        let chain: Vec<&str> = p.approval_chain.iter().map(|r| r.zh()).collect();
        b.p(format!(
            "资金支付实行逐级审批，审批流程为：{}。",
            chain.join("—")
        ));
    }
    b.h(2, "（二）绩效目标");
    b.h(3, "1. 总目标");
    match &p.overall_goal {
        Some(g) => b.p(g.trim()),
        None => b.p("项目未单独设定总目标。"),
    }
    b.h(3, "2. 年度目标");
    if let Some(g) = &p.annual_goal {
        b.p(g.trim());
    }
    let mut k = 0;
    for cat in Category::ALL {
        let of_cat: Vec<&Target> = p.targets.iter().filter(|t| t.category == *cat).collect();
        if of_cat.is_empty() {
            continue;
        }
        k += 1;
        let mut subs: Vec<_> = of_cat.iter().map(|t| t.subcategory).collect();
        subs.dedup();
        let mut parts = Vec::new();
        for sub in subs {
            let items: Vec<String> = of_cat
                .iter()
                .filter(|t| t.subcategory == sub)
                .map(|t| format!("{}{}", t.name, target_value(t)))
                .collect();
            parts.push(format!("{}指标：{}", sub.zh(), items.join("；")));
        }
        b.p(format!("（{k}）{}指标。{}。", cat.zh(), parts.join("。")));
    }
    Ok(())
}

fn evaluation_work(b: &mut Builder<'_, '_>) -> Result<(), Error> {
    let s = b.s;
    let p = s.project;
    let e = &p.evaluation;
    b.h(1, "二、绩效评价工作情况");
    b.h(2, "（一）评价目的");
    b.narrative_paras("purpose", "通过绩效评价，了解项目管理过程是否规范、绩效目标是否实现，总结经验，查找不足，为今后年度的预算安排和项目管理提供参考。")?;
    b.h(2, "（二）工作方案制定过程");
    let level1: Vec<String> = s
        .children(None)
        .map(|i| format!("{}{}分", s.name(i), pts(s.nodes[i].weight)))
        .collect();
    b.p(format!(
        "评价工作组在前期调研和研究相关文件的基础上，设计了绩效评价指标体系和工作方案。指标体系共设{}，其中一级指标为{}，总分{}分。",
        counts_sentence(s),
        level1.join("、"),
        pts(s.framework.total)
    ));
    b.h(2, "（三）评价原则与方法");
    if !e.principles.is_empty() {
        b.p(format!("评价遵循{}。", e.principles.join("、")));
    }
    if !e.methods.is_empty() {
        b.p(format!("评价采用{}等方法。", e.methods.join("、")));
    }
    b.h(2, "（四）评价实施过程");
    b.narrative_paras(
        "analysis",
        "评价工作组收集整理项目资料，核实数据，开展满意度调查，进行综合分析并撰写评价报告。",
    )?;
    b.h(2, "（五）评价的局限性");
    match &e.limitations {
        Some(l) => b.p(l.trim()),
        None => b.p("本次评价未发现影响结论的重大局限。"),
    }
    Ok(())
}

fn conclusion(b: &mut Builder<'_, '_>) -> Result<(), Error> {
    let s = b.s;
    b.h(1, "三、评价结论和绩效分析");
    b.h(2, "（一）评价结论");
    b.h(3, "1. 评价结果");
    b.p(format!(
        "经评价，本项目得分{}分，评价等级为“{}”（{}）。各一级指标得分情况见表1。",
        pts(s.total),
        s.grade(),
        bands_sentence(&s.framework.grades)
    ));
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for i in s.children(None) {
        let n = &s.nodes[i];
        rows.push(vec![
            Cell::text(s.name(i)).header(),
            Cell::num(n.weight.to_string()),
            Cell::num(n.score.to_string()),
            Cell::num(n.deduction().to_string()),
            Cell::num(pct(n.score_rate())),
        ]);
        bars.push((s.name(i).into_owned(), hundredths(n.score_rate())));
    }
    let total_weight: Points = s.children(None).map(|i| s.nodes[i].weight).sum();
    rows.push(vec![
        Cell::text("合计").header(),
        Cell::num(total_weight.to_string()),
        Cell::num(s.total.to_string()),
        Cell::num(total_weight.minus(s.total).to_string()),
        Cell::num(pct(s.total.ratio_to(total_weight))),
    ]);
    b.table(Table {
        caption: "项目绩效指标体系得分情况".into(),
        widths: vec![30, 17, 17, 17, 19],
        head: vec![vec![
            Cell::center("一级指标"),
            Cell::center("权重分"),
            Cell::center("得分"),
            Cell::center("扣分"),
            Cell::center("得分率"),
        ]],
        body: rows,
    });
    b.chart(Chart {
        title: "各一级指标得分率".into(),
        axis: "得分率（%）".into(),
        bars,
        reference: None,
    });
    b.h(3, "2. 主要绩效");
    b.narrative_paras("performance", "")?;
    b.h(2, "（二）具体绩效分析");
    for (k, i) in s.children(None).enumerate() {
        let n = &s.nodes[i];
        b.h(
            3,
            format!(
                "{}. {}（满分{}分，评价得分{}分）",
                k + 1,
                s.name(i),
                pts(n.weight),
                pts(n.score)
            ),
        );
        let mut full = Vec::new();
        let mut lost = Vec::new();
        for leaf in (i + 1..s.nodes.len()).take_while(|&j| {
            let mut a = s.nodes[j].parent();
            while let Some(x) = a {
                if x == i {
                    return true;
                }
                a = s.nodes[x].parent();
            }
            false
        }) {
            if !s.is_leaf(leaf) || s.nodes[leaf].status == Status::NotApplicable {
                continue;
            }
            let ln = &s.nodes[leaf];
            if ln.deduction() == Points::ZERO {
                full.push(s.name(leaf).into_owned());
            } else {
                let why = sheet::reasons(s, leaf).join("；");
                lost.push(format!(
                    "{}扣{}分（{}）",
                    s.name(leaf),
                    pts(ln.deduction()),
                    why.trim_end_matches('。')
                ));
            }
        }
        if !full.is_empty() {
            b.p(format!("{}等指标无扣分。", full.join("、")));
        }
        if !lost.is_empty() {
            b.p(format!("扣分情况：{}。", lost.join("；")));
        }
    }
    Ok(())
}

fn cost_benefit(b: &mut Builder<'_, '_>) {
    let s = b.s;
    let p = s.project;
    let bu = &p.budget;
    b.h(1, "四、成本效益分析");
    b.p(format!(
        "本项目调整后预算{}，到位资金{}，全年支出{}，预算执行率{}，结转结余{}。预算执行情况见表2。",
        wan(bu.adjusted()),
        wan(bu.received()),
        wan(bu.spent()),
        pct(bu.spent().ratio_to(bu.adjusted())),
        wan(bu.unspent())
    ));
    b.table(Table {
        caption: "预算执行情况（万元）".into(),
        widths: vec![16, 14, 14, 14, 14, 14, 14],
        head: vec![vec![
            Cell::center("项目"),
            Cell::center("年初预算数"),
            Cell::center("调整后预算数"),
            Cell::center("到位资金"),
            Cell::center("执行数"),
            Cell::center("执行率"),
            Cell::center("结转结余"),
        ]],
        body: vec![vec![
            Cell::text("合计").header(),
            Cell::num(bu.appropriation.wan()),
            Cell::num(bu.adjusted().wan()),
            Cell::num(bu.received().wan()),
            Cell::num(bu.spent().wan()),
            Cell::num(pct(bu.spent().ratio_to(bu.adjusted()))),
            Cell::num(bu.unspent().wan()),
        ]],
    });
    // Unit costs where a spending line pays for a target with a measured output.
    let mut costs = Vec::new();
    for line in &bu.spending {
        for id in &line.targets {
            let Some(t) = p.target(id) else { continue };
            let Some(q) = actual_in_target_unit(t) else {
                continue;
            };
            if q.is_zero() {
                continue;
            }
            let Some(per) = jixiao_core::num::Dec::from_int(line.amount.fen())
                .and_then(|fen| fen.ratio(q))
                .map(|r| r.checked_mul(Ratio::new(1, 100)).unwrap_or(r))
            else {
                continue;
            };
            costs.push(format!(
                "{}实际完成{q}{}，对应支出{}，单位成本{}元/{}",
                t.name,
                t.unit.base(),
                wan(line.amount),
                per.round(2),
                t.unit.base()
            ));
        }
    }
    if !costs.is_empty() {
        b.p(format!("按产出测算单位成本：{}。", costs.join("；")));
    }
    // Targets against results.
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for t in &p.targets {
        let actual = actual_value(t);
        let reason = t
            .actual
            .as_ref()
            .and_then(|a| a.deviation_reason.clone())
            .unwrap_or_default();
        rows.push(vec![
            Cell::text(t.category.zh()),
            Cell::text(t.subcategory.zh()),
            Cell::text(t.name.clone()),
            Cell::center(target_value(t)),
            Cell::center(actual.clone().unwrap_or_else(|| "未填报".into())),
            Cell::num(completion_rate(t)),
            Cell::text(reason),
        ]);
        if let Some(r) = jixiao_core::scoring::completion(t) {
            bars.push((t.name.clone(), hundredths(Some(r))));
        }
    }
    if rows.is_empty() {
        return;
    }
    b.p("绩效目标完成情况见表3。");
    b.table(Table {
        caption: "绩效目标完成情况".into(),
        widths: vec![10, 12, 26, 13, 13, 10, 16],
        head: vec![vec![
            Cell::center("一级指标"),
            Cell::center("二级指标"),
            Cell::center("三级指标"),
            Cell::center("目标值"),
            Cell::center("实际完成值"),
            Cell::center("完成率"),
            Cell::center("偏差原因"),
        ]],
        body: merge_runs(rows, 2),
    });
    if !bars.is_empty() {
        b.chart(Chart {
            title: "定量指标完成率".into(),
            axis: "完成率（%）".into(),
            bars,
            reference: Some(10_000),
        });
    }
}

fn lessons(b: &mut Builder<'_, '_>) -> Result<(), Error> {
    b.h(1, "五、主要经验及做法、存在的问题和建议");
    b.h(2, "（一）主要经验及做法");
    b.narrative_paras("experience", "无。")?;
    b.h(2, "（二）存在的问题");
    b.narrative_paras("problems", "无。")?;
    b.h(2, "（三）改进措施及建议");
    b.narrative_paras("suggestions", "无。")?;
    Ok(())
}

fn closing(b: &mut Builder<'_, '_>) {
    let p = b.s.project;
    b.h(1, "相关附件");
    b.p("附件1：绩效评价指标体系评分表");
    b.p("附件2：支出明细");
    b.p("附件3：项目文件依据");
    b.plain(p.department.clone(), Align::Right);
    if let Some(d) = p.evaluation.signed {
        b.plain(d.zh(), Align::Right);
    }
}

fn attachments(b: &mut Builder<'_, '_>) {
    let s = b.s;
    let p = s.project;
    // 附件1: the full score sheet, on landscape pages like the other attachments.
    b.blocks.push(Block::Landscape);
    b.plain("附件1", Align::Left);
    b.plain("绩效评价指标体系评分表", Align::Center);
    let depth = counts_by_depth(s).len().max(1);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for leaf in 0..s.nodes.len() {
        if !s.is_leaf(leaf) {
            continue;
        }
        let n = &s.nodes[leaf];
        let mut chain = vec![leaf];
        let mut a = n.parent();
        while let Some(x) = a {
            chain.push(x);
            a = s.nodes[x].parent();
        }
        chain.reverse();
        let mut row = Vec::new();
        for d in 0..depth {
            row.push(Cell::text(
                chain
                    .get(d)
                    .map(|&i| format!("{} {}", s.code(i), s.name(i)))
                    .unwrap_or_default(),
            ));
        }
        let (explanation, criteria) = match n.origin {
            NodeOrigin::Framework(f) => {
                let fw = &s.framework.nodes[f as usize];
                (fw.explanation.clone(), fw.criteria.clone())
            }
            NodeOrigin::Target(_) => (s.target(leaf).and_then(|t| t.explanation.clone()), None),
            NodeOrigin::Group(..) => (None, None),
        };
        let explain = [explanation, criteria]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("；");
        let why = if n.deduction() == Points::ZERO && n.status != Status::NotApplicable {
            String::new()
        } else {
            sheet::reasons(s, leaf).join("；")
        };
        row.push(Cell::num(n.weight.to_string()));
        row.push(Cell::num(n.score.to_string()));
        row.push(Cell::num(n.deduction().to_string()));
        row.push(Cell::text(explain));
        row.push(Cell::text(why));
        rows.push(row);
    }
    // The total row keeps one cell per column (no spans), so that every reader, including
    // one that reads the table as text, finds the weight and score under their headers.
    let mut total = vec![Cell::text("合计").header()];
    total.extend((1..depth).map(|_| Cell::text("")));
    let tw: Points = s.children(None).map(|i| s.nodes[i].weight).sum();
    total.push(Cell::num(tw.to_string()));
    total.push(Cell::num(s.total.to_string()));
    total.push(Cell::num(tw.minus(s.total).to_string()));
    total.push(Cell::text(""));
    total.push(Cell::text(""));
    let mut body = merge_runs(rows, depth.saturating_sub(1));
    body.push(total);
    let mut head: Vec<Cell> = (0..depth)
        .map(|d| Cell::center(format!("{}级指标", LEVELS.get(d).copied().unwrap_or("末"))))
        .collect();
    head.extend([
        Cell::center("权重"),
        Cell::center("得分"),
        Cell::center("扣分"),
        Cell::center("指标解释及评分标准"),
        Cell::center("扣分原因"),
    ]);
    let mut widths = vec![12; depth];
    widths.extend([7, 7, 7, 26, 20]);
    b.table(Table {
        caption: "绩效评价指标体系评分表".into(),
        widths,
        head: vec![head],
        body,
    });
    // 附件2: spending lines.
    b.blocks.push(Block::PageBreak);
    b.plain("附件2", Align::Left);
    b.plain("支出明细", Align::Center);
    let mut rows = Vec::new();
    for (k, l) in p.budget.spending.iter().enumerate() {
        rows.push(vec![
            Cell::center((k + 1).to_string()),
            Cell::center(l.date.map(|d| d.to_string()).unwrap_or_default()),
            Cell::text(l.purpose.clone()),
            Cell::num(l.amount.yuan_grouped()),
            Cell::center(l.functional_code.clone().unwrap_or_default()),
            Cell::center(l.economic_code.clone().unwrap_or_default()),
            Cell::center(l.targets.join("、")),
        ]);
    }
    rows.push(vec![
        Cell::text("合计").header(),
        Cell::text(""),
        Cell::text(""),
        Cell::num(p.budget.spent().yuan_grouped()),
        Cell::text(""),
        Cell::text(""),
        Cell::text(""),
    ]);
    b.table(Table {
        caption: "支出明细（元）".into(),
        widths: vec![6, 13, 35, 14, 10, 10, 12],
        head: vec![vec![
            Cell::center("序号"),
            Cell::center("日期"),
            Cell::center("用途"),
            Cell::center("金额"),
            Cell::center("功能分类"),
            Cell::center("经济分类"),
            Cell::center("对应指标"),
        ]],
        body: rows,
    });
    // 附件3: documents.
    b.blocks.push(Block::PageBreak);
    b.plain("附件3", Align::Left);
    b.plain("项目文件依据", Align::Center);
    let rows = p
        .policy_basis
        .iter()
        .enumerate()
        .map(|(k, d)| {
            vec![
                Cell::center((k + 1).to_string()),
                Cell::text(format!(
                    "《{}》",
                    d.title.trim_start_matches('《').trim_end_matches('》')
                )),
                Cell::center(d.number.clone().unwrap_or_default()),
                Cell::text(d.issuer.clone().unwrap_or_default()),
            ]
        })
        .collect();
    b.table(Table {
        caption: "项目文件依据".into(),
        widths: vec![8, 48, 20, 24],
        head: vec![vec![
            Cell::center("序号"),
            Cell::center("文件名称"),
            Cell::center("文号"),
            Cell::center("发文单位"),
        ]],
        body: rows,
    });
}

/// Merges runs of equal text vertically in the first `cols` columns (a cell merges only
/// while the cells to its left merge too).
fn merge_runs(mut rows: Vec<Vec<Cell>>, cols: usize) -> Vec<Vec<Cell>> {
    for c in 0..cols {
        let mut r = 1;
        while r < rows.len() {
            let same = rows[r].get(c).map(|x| &x.text) == rows[r - 1].get(c).map(|x| &x.text)
                && !rows[r][c].text.is_empty()
                && (c == 0 || rows[r][c - 1].merge == Merge::Continue);
            if same {
                if rows[r - 1][c].merge == Merge::None {
                    rows[r - 1][c].merge = Merge::Start;
                }
                rows[r][c].merge = Merge::Continue;
            }
            r += 1;
        }
    }
    for row in &mut rows {
        for cell in row.iter_mut() {
            if cell.merge == Merge::Continue {
                cell.text.clear();
            }
        }
    }
    rows
}
