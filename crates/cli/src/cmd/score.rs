//! `jixiao score FILE [--framework NAME|PATH] [--format text|json]`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use jixiao_core::scoring;
use jixiao_core::sheet::{Sheet, SheetNode};

use super::fail;
use crate::load;
use crate::text;

/// Output format.
#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum Format {
    /// 供人阅读的表格
    #[default]
    Text,
    /// 供程序读取的 JSON
    Json,
}

/// The `score` command.
#[derive(Debug, Args)]
pub struct ScoreCmd {
    /// 项目文件（TOML）
    file: PathBuf,
    /// 指标体系框架：内置名称或框架文件路径（默认用项目文件 evaluation.framework 指定的框架）
    #[arg(long)]
    framework: Option<String>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl ScoreCmd {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (project, psrc, load_warnings) = match load::project(&self.file) {
            Ok(v) => v,
            Err(load::Invalid(msg)) => return Ok(fail(&msg)),
        };
        let spec = match self.framework.as_deref().or(project.framework_name()) {
            Some(s) => s.to_owned(),
            None => {
                return Ok(fail(&format!(
                    "{}: 错误: 项目文件没有指定指标体系框架（evaluation.framework），请用 --framework 指定",
                    self.file.display()
                )));
            }
        };
        let base = self.file.parent();
        let (fw, fsrc) = match load::framework(&spec, base) {
            Ok(v) => v,
            Err(load::Invalid(msg)) => return Ok(fail(&msg)),
        };
        let scored = scoring::score(&fw, &project);
        if scored.has_errors() {
            let errors: Vec<_> = scored
                .diagnostics()
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            return Ok(fail(&load::render(&errors, Some(&psrc), Some(&fsrc))));
        }
        let mut sheet = Sheet::new(&scored);
        for d in &load_warnings {
            sheet.warnings.insert(
                0,
                jixiao_core::sheet::SheetWarning {
                    id: d.problem.id().to_owned(),
                    message: d.problem.to_string(),
                    at: d.at.as_ref().map(|l| l.path.clone()),
                },
            );
        }
        let out = match self.format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&sheet)?;
                s.push('\n');
                s
            }
            Format::Text => render_text(&sheet, &fw.title),
        };
        #[expect(clippy::print_stdout, reason = "command output")]
        {
            print!("{out}");
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// The sheet as an indented table with reasons, totals, budget, claims and warnings.
pub fn render_text(sheet: &Sheet, title: &str) -> String {
    let mut out = String::new();
    let p = &sheet.project;
    let _ = writeln!(out, "项目：{}（{}年度，{}）", p.name, p.year, p.department);
    let _ = writeln!(out, "框架：{}（{title}）\n", sheet.framework);
    let mut rows = Vec::new();
    for n in &sheet.nodes {
        collect(n, 0, &mut rows);
    }
    let name_w = rows
        .iter()
        .map(|(d, n)| 2 * d + text::width(&n.code) + 1 + text::width(&n.name))
        .max()
        .unwrap_or(10)
        .max(10);
    let _ = writeln!(
        out,
        "{}  {}  {}  {}  {}",
        text::left("指标", name_w),
        text::right("权重", 6),
        text::right("得分", 6),
        text::right("扣分", 6),
        text::right("得分率", 8)
    );
    for (depth, n) in &rows {
        let label = format!("{}{} {}", "  ".repeat(*depth), n.code, n.name);
        let rate = n
            .rate
            .as_ref()
            .map_or_else(|| "—".to_owned(), |r| format!("{r}%"));
        let _ = writeln!(
            out,
            "{}  {}  {}  {}  {}",
            text::left(&label, name_w),
            text::right(&n.weight, 6),
            text::right(&n.score, 6),
            text::right(&n.deduction, 6),
            text::right(&rate, 8)
        );
        for r in &n.reasons {
            let _ = writeln!(out, "{}    · {r}", "  ".repeat(*depth));
        }
    }
    let _ = writeln!(out, "\n总分 {}，等级 {}", sheet.total, sheet.grade);
    if sheet.claimed_total.is_some() || sheet.claimed_grade.is_some() {
        let _ = writeln!(
            out,
            "自报：总分 {}，等级 {}",
            sheet.claimed_total.as_deref().unwrap_or("—"),
            sheet.claimed_grade.as_deref().unwrap_or("—")
        );
    }
    let b = &sheet.budget;
    let _ = writeln!(
        out,
        "\n预算：年初预算 {} 元，调整后预算 {} 元，到位资金 {} 元（到位率 {}），支出 {} 元，结转结余 {} 元，预算执行率 {}",
        b.appropriation_yuan,
        b.adjusted_yuan,
        b.received_yuan,
        b.received_rate
            .as_deref()
            .map_or_else(|| "—".to_owned(), |r| format!("{r}%")),
        b.spent_yuan,
        b.unspent_yuan,
        b.execution_rate
            .as_deref()
            .map_or_else(|| "—".to_owned(), |r| format!("{r}%")),
    );
    let diffs = sheet.claim_differences();
    if !diffs.is_empty() {
        let _ = writeln!(out, "\n自报得分与计算得分不一致：");
        for (code, name, claimed, computed) in diffs {
            let _ = writeln!(out, "  {code} {name}：自报 {claimed}，计算 {computed}");
        }
    }
    if !sheet.unscored.is_empty() {
        let _ = writeln!(
            out,
            "\n未得到实际评分的指标（{} 项，按规则计分）：",
            sheet.unscored.len()
        );
        for u in &sheet.unscored {
            let _ = writeln!(
                out,
                "  {} {}：{}，分值 {}，计 {} 分",
                u.code, u.name, u.status, u.weight, u.score
            );
        }
    }
    if !sheet.warnings.is_empty() {
        let _ = writeln!(out, "\n警告（{} 条）：", sheet.warnings.len());
        for w in &sheet.warnings {
            let _ = writeln!(out, "  [{}] {}", w.id, w.message);
        }
    }
    out
}

fn collect<'a>(n: &'a SheetNode, depth: usize, rows: &mut Vec<(usize, &'a SheetNode)>) {
    rows.push((depth, n));
    for c in &n.children {
        collect(c, depth + 1, rows);
    }
}
