//! The grade against the score band (优 ≥ 90, 良 80–90, 中 60–80, 差 < 60 unless the report
//! states its own bands).

use jixiao_core::num::Dec;

use super::scores::RowKind;
use crate::doc::Doc;
use crate::util::finding;
use crate::{Finding, Severity};

const GRADES: &[(&str, &str)] = &[
    ("优秀", "优"),
    ("良好", "良"),
    ("不合格", "差"),
    ("合格", "中"),
    ("中等", "中"),
    ("较差", "差"),
    ("优", "优"),
    ("良", "良"),
    ("中", "中"),
    ("差", "差"),
];

/// Lower bounds of the grades, highest first.
fn default_bands() -> Vec<(&'static str, Dec)> {
    let d = |v| Dec::from_int(v).unwrap_or(Dec::ZERO);
    vec![("优", d(90)), ("良", d(80)), ("中", d(60)), ("差", d(0))]
}

fn grade_at(s: &str) -> Option<(&'static str, usize)> {
    GRADES
        .iter()
        .find(|(w, _)| s.starts_with(w))
        .map(|(w, g)| (*g, w.len()))
}

/// Bands the report states itself ("90分（含）以上为优，80分（含）至90分为良…").
fn stated_bands(doc: &Doc) -> Option<Vec<(&'static str, Dec)>> {
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        // (Three figures in points first: most lines have none.)
        if doc.nums_of(line).iter().filter(|n| n.unit == "分").count() < 3 {
            continue;
        }
        // Distinct grades named on the line (优秀/良好/合格/不合格 name 优/良/中/差).
        let mut named: Vec<&str> = GRADES
            .iter()
            .filter(|(w, _)| text.contains(w))
            .map(|(w, g)| {
                if *w == "合格" && !text.replace("不合格", "").contains("合格") {
                    "差"
                } else {
                    *g
                }
            })
            .collect();
        named.sort_unstable();
        named.dedup();
        let grades = named.len();
        let points: Vec<_> = doc
            .nums_of(line)
            .iter()
            .filter(|n| n.unit == "分")
            .collect();
        if grades < 3 || points.len() < 3 {
            continue;
        }
        let mut bands: Vec<(&'static str, Dec)> = Vec::new();
        for seg in text.split(['，', '；', '、', ',', ';', '。']) {
            let seg_start = seg.as_ptr() as usize - text.as_ptr() as usize;
            let seg_end = seg_start + seg.len();
            // A band states a range ("85分（含）以上为优"); "评价等级为“差”" states a result.
            if ![
                "以上",
                "以下",
                "至",
                "（含）",
                "(含)",
                "不足",
                "低于",
                "～",
                "-",
                "≥",
                "≤",
                "＞",
                "＜",
                ">",
                "<",
                "不低于",
                "不少于",
            ]
            .iter()
            .any(|w| seg.contains(w))
            {
                continue;
            }
            // The grade the range leads to: the last grade word of the segment
            // ("评价等级为“差”（90分（含）以上为优" defines 优).
            let Some(grade) = seg.char_indices().rev().find_map(|(i, _)| {
                let mut g = grade_at(&seg[i..])?;
                // "为“不合格”": the 合格 inside 不合格 is 差.
                if seg[..i].ends_with('不') && seg[i..].starts_with("合格") {
                    g = ("差", g.1);
                }
                // "为优" / "优（" / "评为良": a grade word, not 优化 or 中心.
                let next = seg[i + g.1..].chars().next();
                let before = seg[..i].trim_end_matches(['“', '"', '「']);
                (next.is_none_or(|c| {
                    matches!(c, '（' | '(' | '）' | ')' | '。' | '等' | '”' | '"' | '」')
                }) || before.ends_with('为'))
                .then_some(g.0)
            }) else {
                continue;
            };
            // (A bound may be written bare: "80（含）至90分为良".)
            let nums: Vec<Dec> = doc
                .nums_of(line)
                .iter()
                .filter(|n| n.unit == "分" || n.unit.is_empty())
                .filter(|n| n.start >= seg_start && n.end <= seg_end)
                // (Not the item's own number: "4.等级标准：90分（含）以上为优".)
                .filter(|n| !(n.unit.is_empty() && text[n.end..].starts_with(['.', '．', '、'])))
                .map(|n| n.value)
                .collect();
            let lower = if nums.is_empty() {
                continue;
            } else if nums.len() == 1
                && seg.contains("以下")
                && !seg.contains("以上")
                && !seg.contains('至')
            {
                Dec::ZERO
            } else {
                nums.iter().copied().min().unwrap_or(Dec::ZERO)
            };
            if !bands.iter().any(|(g, _)| *g == grade) {
                bands.push((grade, lower));
            }
        }
        if bands.len() >= 3 {
            bands.sort_by_key(|b| std::cmp::Reverse(b.1));
            return Some(bands);
        }
    }
    None
}

fn grade_of(bands: &[(&'static str, Dec)], score: Dec) -> &'static str {
    bands
        .iter()
        .find(|(_, min)| score >= *min)
        .or(bands.last())
        .map_or("", |(g, _)| *g)
}

/// Grade statements against the score they are given for.
pub fn check(doc: &Doc, acc: &mut Vec<Finding>) {
    let bands = stated_bands(doc).unwrap_or_else(default_bands);
    let prose = doc.prose_scores();
    let table_total = doc
        .score_tables()
        .iter()
        .flatten()
        .filter(|r| r.kind == RowKind::Total)
        .filter_map(|r| r.score)
        .next_back();
    for line in 0..doc.lines.len() {
        let text = &doc.lines[line];
        for key in [
            "等级为",
            "等级：",
            "等级:",
            "评定为",
            "评价为",
            "等级是",
            "等次为",
            "等级评定为",
            // "自评得分98.28分，自评结论为“良”" (a grade word must follow).
            "结论为",
        ] {
            let Some(i) = doc.find(line, key) else {
                continue;
            };
            let after = text[i + key.len()..]
                .trim_start()
                .trim_start_matches(['“', '"', '「', '『', '‘', '\'']);
            let Some((grade, glen)) = grade_at(after) else {
                continue;
            };
            // "结论为合格" passes or fails; it names no band.
            if key == "结论为" && !after.starts_with(['优', '良', '中', '差']) {
                continue;
            }
            // The score: a total on this line, else the table's total, when the sentence
            // grades the project ("5家均评定为合格" grades the institutions).
            let on_line = prose
                .iter()
                .filter(|p| p.line == line && p.total)
                .map(|p| p.score)
                .next_back();
            let (s, _) = crate::util::sentence(doc, line, i, i);
            let of_project = [
                "项目", "自评", "评价", "综合", "总体", "绩效", "得分", "最终", "本次", "结果",
            ]
            .iter()
            .any(|w| text[s..i].contains(w));
            // "对2017年度…进行了绩效自评，自评得分89.5分，等级为良": last year's grade.
            let head = &text[s..i];
            let earlier_fy = |fy: i32| {
                head.match_indices("年度").any(|(k, _)| {
                    crate::context::last_year_named(&head[..k + "年".len()]).is_some_and(|y| y < fy)
                })
            };
            if doc
                .year
                .is_some_and(|fy| crate::context::of_earlier_year(head, fy) || earlier_fy(fy))
            {
                continue;
            }
            let score = on_line.or(table_total.filter(|_| of_project));
            let Some(sn) = score else { continue };
            let expected = grade_of(&bands, doc.nums[sn].value);
            if expected != grade {
                let grade_text = &after[..glen];
                acc.push(finding(
                    "grade-band",
                    Severity::Error,
                    format!(
                        "得分 {} 应评为“{expected}”，报告写作“{grade_text}”",
                        doc.written(sn).trim()
                    ),
                    [doc.nums[sn].line, line],
                    vec![doc.written(sn).trim().to_owned(), grade_text.to_owned()],
                ));
            }
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands(line: &str) -> Vec<(&'static str, String)> {
        let doc = Doc::new(vec![line.to_owned()]);
        stated_bands(&doc)
            .unwrap_or_default()
            .into_iter()
            .map(|(g, d)| (g, d.to_string()))
            .collect()
    }

    /// The four bands 优/良/中/差 from their lower bounds (差 starts at 0).
    fn four(you: &str, liang: &str, zhong: &str) -> Vec<(&'static str, String)> {
        vec![
            ("优", you.into()),
            ("良", liang.into()),
            ("中", zhong.into()),
            ("差", "0".into()),
        ]
    }

    #[test]
    fn quoted_grades_and_a_result_before_the_bands() {
        let expect = four("85", "75", "60");
        assert_eq!(
            bands(
                "自评结果分为四个等级：85分（含）以上为“优”，75分（含）至85分为“良”，60分（含）至75分为“中”，60分以下为“差”。"
            ),
            expect
        );
        assert_eq!(
            bands(
                "本项目得分22.15分，评价等级为“差”（85分（含）以上为优，75分（含）至85分为良，60分（含）至75分为中，60分以下为差）。"
            ),
            expect
        );
    }

    #[test]
    fn bands_written_with_a_comparator() {
        assert_eq!(
            bands(
                "评价等级划分为：总分≥85分为“优”，70分（含）至85分为“良”，60分（含）至70分为“中”，60分以下为“差”。"
            ),
            four("85", "70", "60")
        );
    }

    #[test]
    fn stated_bands_are_read() {
        let expect = four("90", "80", "60");
        assert_eq!(
            bands(
                "评价结果按得分划分为优（90分及以上）、良（80分至90分以下）、中（60分至80分以下）、差（60分以下）四个等级。"
            ),
            expect
        );
        assert_eq!(
            bands(
                "自评得分85分（含）以上为优，75分（含）至85分为良，60分（含）至75分为中，60分以下为差。"
            ),
            four("85", "75", "60")
        );
        // Quoted four-character grade names, 合格 for 中 and 不合格 for 差.
        assert_eq!(
            bands(
                "自评结果分为四个等级：综合得分85分（含）以上为“优秀”，70分（含）至85分为“良好”，60分（含）至70分为“合格”，60分以下为“不合格”。"
            ),
            four("85", "70", "60")
        );
    }
}
