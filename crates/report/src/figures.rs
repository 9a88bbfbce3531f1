//! The figures a report prints, computed once from the scored project, and the named
//! placeholders (`{预算执行率}`, `{指标:培训人次:实际}`, `{事实:接待来访}`) that narrative text
//! may embed. A name that is not known is an error naming it, never an empty string.

use jixiao_core::num::{Money, Points, Ratio};
use jixiao_core::project::{ActualValue, Comparator, Target, TargetValue};
use jixiao_core::scoring::{Scored, completion};

use crate::Error;

/// Money in 万元 with two decimals and its unit: `44.39万元`.
#[must_use]
pub fn wan(m: Money) -> String {
    format!("{}万元", m.wan())
}

/// A rate as a percentage with two decimals: `58.33%`, or `—` when undefined.
#[must_use]
pub fn pct(r: Option<Ratio>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{}%", r.percent(2)))
}

/// Points without trailing zeros, for prose: 20.00 → "20", 12.50 → "12.5".
#[must_use]
pub fn pts(p: Points) -> String {
    let s = p.to_string();
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// The comparator as printed before a target value.
#[must_use]
pub fn comparator(c: Comparator) -> &'static str {
    match c {
        Comparator::AtLeast => "≥",
        Comparator::Above => "＞",
        Comparator::AtMost => "≤",
        Comparator::Below => "＜",
        Comparator::Equal | Comparator::Qualitative => "",
    }
}

/// A target value with its comparator and unit: `≥470人次`, `50000张`, `明显提高`.
#[must_use]
pub fn target_value(t: &Target) -> String {
    match &t.value {
        TargetValue::Number(v) => format!("{}{v}{}", comparator(t.comparator), t.unit),
        TargetValue::Text(s) => s.clone(),
    }
}

/// The actual value as recorded: `4万张`, `96.2%（481/500）`, or a text.
#[must_use]
pub fn actual_value(t: &Target) -> Option<String> {
    let a = t.actual.as_ref()?;
    Some(match &a.value {
        ActualValue::Number { value, unit } => format!("{value}{unit}"),
        ActualValue::Counts {
            numerator,
            denominator,
        } => {
            let r = numerator.ratio(*denominator);
            format!("{}（{numerator}/{denominator}）", pct(r))
        }
        ActualValue::Text(s) => s.clone(),
    })
}

/// 完成率 of a quantitative target, or `—`.
#[must_use]
pub fn completion_rate(t: &Target) -> String {
    pct(completion(t))
}

/// The names a narrative may use, for messages.
pub const NAMES: &[&str] = &[
    "年度",
    "项目名称",
    "单位名称",
    "年初预算",
    "调整后预算",
    "到位资金",
    "资金到位率",
    "支出金额",
    "预算执行率",
    "结转结余",
    "总分",
    "等级",
    "评价开始",
    "评价结束",
    "指标:名称或编号:目标|实际|完成率",
    "事实:名称",
];

/// Every placeholder this project's narrative can use, with what it prints now (for the
/// pages' picker): the fixed names, then each indicator's target, result and completion, then
/// each named fact. Names without a value yet (no evaluation dates) are left out.
#[must_use]
pub fn available(s: &Scored<'_>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = NAMES
        .iter()
        .filter(|n| !n.contains(':'))
        .filter_map(|n| value(s, n).map(|v| (format!("{{{n}}}"), v)))
        .collect();
    for t in &s.project.targets {
        for what in ["目标", "实际", "完成率"] {
            let name = format!("指标:{}:{what}", t.id);
            if let Some(v) = value(s, &name) {
                out.push((format!("{{{name}}}"), format!("{v}（{}）", t.name)));
            }
        }
    }
    for f in &s.project.facts {
        let name = format!("事实:{}", f.name);
        if let Some(v) = value(s, &name) {
            out.push((format!("{{{name}}}"), v));
        }
    }
    out
}

/// The value of one placeholder name.
fn value(s: &Scored<'_>, name: &str) -> Option<String> {
    let p = s.project;
    let b = &p.budget;
    Some(match name {
        "年度" => p.year.to_string(),
        "项目名称" => p.name.clone(),
        "单位名称" => p.department.clone(),
        "年初预算" | "预算金额" => wan(b.appropriation),
        "调整后预算" | "全年预算" => wan(b.adjusted()),
        "到位资金" => wan(b.received()),
        "资金到位率" => pct(b.received().ratio_to(b.adjusted())),
        "支出金额" | "执行数" => wan(b.spent()),
        "预算执行率" => pct(b.spent().ratio_to(b.adjusted())),
        "结转结余" => wan(b.unspent()),
        "总分" => pts(s.total),
        "等级" => s.grade().to_owned(),
        "评价开始" => p.evaluation.start?.zh(),
        "评价结束" => p.evaluation.end?.zh(),
        _ => {
            if let Some(rest) = name
                .strip_prefix("指标:")
                .or_else(|| name.strip_prefix("指标："))
            {
                let (who, what) = rest.rsplit_once([':', '：'])?;
                let t = p.targets.iter().find(|t| t.id == who || t.name == who)?;
                return match what {
                    "目标" => Some(target_value(t)),
                    "实际" => actual_value(t),
                    "完成率" => completion(t).map(|r| format!("{}%", r.percent(2))),
                    _ => None,
                };
            }
            if let Some(n) = name
                .strip_prefix("事实:")
                .or_else(|| name.strip_prefix("事实："))
            {
                let f = p.facts.iter().find(|f| f.name == n)?;
                return Some(format!("{}{}", f.value, f.unit));
            }
            return None;
        }
    })
}

/// Replaces every `{名称}` in `text` (from narrative field `field`) by its figure; `{{` and
/// `}}` stand for braces.
///
/// # Errors
/// [`Error::UnknownFigure`] naming the first unknown name, [`Error::Placeholder`] for an
/// unclosed brace.
pub fn expand(s: &Scored<'_>, field: &str, text: &str) -> Result<String, Error> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let c = &rest[i..];
        if let Some(r) = c.strip_prefix("{{") {
            out.push('{');
            rest = r;
        } else if let Some(r) = c.strip_prefix("}}") {
            out.push('}');
            rest = r;
        } else if c.starts_with('}') {
            return Err(Error::Placeholder {
                field: field.to_owned(),
                text: c.chars().take(20).collect(),
            });
        } else {
            let Some(end) = c.find('}') else {
                return Err(Error::Placeholder {
                    field: field.to_owned(),
                    text: c.chars().take(20).collect(),
                });
            };
            let name = c[1..end].trim();
            let v = value(s, name).ok_or_else(|| Error::UnknownFigure {
                field: field.to_owned(),
                name: name.to_owned(),
            })?;
            out.push_str(&v);
            rest = &c[end + 1..];
        }
    }
    out.push_str(rest);
    Ok(out)
}
