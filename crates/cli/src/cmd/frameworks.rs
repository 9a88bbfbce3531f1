//! `jixiao frameworks [list | show NAME|PATH]`: the indicator frameworks.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use jixiao_core::builtin::BUILTIN;
use jixiao_core::framework::{Framework, NodeKind, RateRule, Split};

use crate::load;
use crate::text;

/// The `frameworks` command.
#[derive(Debug, Args)]
pub struct FrameworksCmd {
    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// 列出内置框架（默认）
    List,
    /// 显示一个框架的指标树、权重、计分规则和等级
    Show {
        /// 内置框架名或框架文件路径
        framework: String,
    },
}

impl FrameworksCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let out = match self.action.unwrap_or(Action::List) {
            Action::List => list(),
            Action::Show { framework } => match load::framework(&framework, None) {
                Ok((fw, _)) => show(&fw),
                Err(load::Invalid(msg)) => {
                    #[expect(clippy::print_stderr, reason = "the binary reports its own errors")]
                    {
                        eprint!("{msg}");
                        if !msg.ends_with('\n') {
                            eprintln!();
                        }
                    }
                    return Ok(ExitCode::from(2));
                }
            },
        };
        #[expect(clippy::print_stdout, reason = "command output")]
        {
            print!("{out}");
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn list() -> String {
    let mut out = String::from("内置指标体系框架：\n");
    let w = BUILTIN
        .iter()
        .map(|(n, _, _)| text::width(n))
        .max()
        .unwrap_or(0);
    for (name, desc, _) in BUILTIN {
        let _ = writeln!(out, "  {}  {desc}", text::left(name, w));
    }
    out.push_str("\n用 jixiao frameworks show 名称 查看；--framework 也接受框架文件路径。\n");
    out
}

/// The whole framework as an indented tree with rules and grades.
pub fn show(fw: &Framework) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}（{}）", fw.title, fw.name);
    if let Some(d) = &fw.description {
        let _ = writeln!(out, "{}", d.trim());
    }
    let _ = writeln!(out, "\n总分 {}", fw.total);
    for &r in fw.roots() {
        node(fw, r, 1, &mut out);
    }
    let r = &fw.rules;
    let _ = writeln!(out, "\n计分规则：");
    let _ = writeln!(out, "  预算执行率分母：{}", r.execution_denominator.zh());
    let _ = writeln!(out, "  超额完成提示阈值：完成率 ≥ {}%", r.over_achievement);
    let _ = writeln!(
        out,
        "  无佐证/未评分的指标得分：分值的 {}%",
        r.unscored_share
    );
    let _ = writeln!(out, "  双高/双低提示阈值：{}%", r.execution_gap);
    for (tier, band) in &r.tiers {
        let _ = writeln!(out, "  定性指标“{}”：分值的 {band}", tier.zh());
    }
    let bands: Vec<String> = fw
        .grades
        .bands
        .iter()
        .map(|(g, min)| format!("{g} ≥ {min}"))
        .collect();
    let _ = writeln!(out, "等级：{}", bands.join("，"));
    for c in &fw.constraints {
        let _ = writeln!(out, "约束：{} 权重合计 ≥ {}", c.codes.join(" + "), c.min);
    }
    out
}

fn node(fw: &Framework, i: usize, depth: usize, out: &mut String) {
    let n = &fw.nodes[i];
    let indent = "  ".repeat(depth);
    let weight = n
        .weight
        .map_or_else(|| "（由评价设定）".to_owned(), |w| w.to_string());
    let kind = match &n.kind {
        NodeKind::Group => String::new(),
        NodeKind::Judged => "［评分］".into(),
        NodeKind::Computed { measure, rule, .. } => format!(
            "［计算：{}，{}］",
            measure.zh(),
            match rule {
                RateRule::Linear => "线性".to_owned(),
                RateRule::Tiered { steps, .. } => format!("分{}档", steps.len()),
            }
        ),
        NodeKind::Slot(s) => {
            let cats: Vec<&str> = s.categories.iter().map(|c| c.zh()).collect();
            let subs: Vec<&str> = s.subcategories.iter().map(|c| c.zh()).collect();
            let split = match s.split {
                Split::Even => "平均分配",
                Split::TargetWeights => "按目标表权重",
                Split::EvenPerGroup => "各二级平均",
            };
            format!(
                "［目标指标：{}{}，{split}{}］",
                cats.join("、"),
                if subs.is_empty() {
                    String::new()
                } else {
                    format!("/{}", subs.join("、"))
                },
                if s.group { "，按二级分组" } else { "" }
            )
        }
    };
    let _ = writeln!(out, "{indent}{} {} {weight} {kind}", n.code, n.name);
    for (label, text) in [("指标解释", &n.explanation), ("评分标准", &n.criteria)] {
        if let Some(t) = text {
            let _ = writeln!(out, "{indent}    {label}：{}", t.trim().replace('\n', ""));
        }
    }
    for &c in fw.children(i) {
        node(fw, c, depth + 1, out);
    }
}
