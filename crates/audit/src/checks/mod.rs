//! The checks. Each one reads the [`Doc`] and appends findings; none of them can fail.

pub mod counts;
pub mod dates;
pub mod grade;
pub mod money;
pub mod names;
pub mod parts;
pub mod prose;
pub mod quantities;
pub mod scores;
pub mod targets;

use crate::Finding;
use crate::doc::Doc;

/// Runs every check.
pub fn run(doc: &Doc, acc: &mut Vec<Finding>) {
    scores::check_rows(doc, acc);
    scores::check_totals(doc, acc);
    prose::check(doc, acc);
    grade::check(doc, acc);
    let ctxs = doc.contexts();
    quantities::check(doc, ctxs, acc);
    parts::check_of_which(doc, acc);
    parts::check_of_which_above(doc, acc);
    parts::check_of_which_below(doc, acc);
    parts::check_within(doc, acc);
    parts::check_stock(doc, acc);
    parts::check_listed_totals(doc, acc);
    parts::check_items_then_total(doc, acc);
    parts::check_breakdowns(doc, acc);
    parts::check_bracketed_parts(doc, acc);
    parts::check_passed_of_trained(doc, acc);
    parts::check_table_sums(doc, acc);
    parts::check_change_columns(doc, acc);
    parts::check_differences(doc, acc);
    money::check_money(doc, ctxs, acc);
    money::check_percents(doc, ctxs, acc);
    money::check_breakdown_lines(doc, ctxs, acc);
    money::check_summed_shares(doc, acc);
    targets::check(doc, ctxs, acc);
    dates::check(doc, acc);
    counts::check_lists(doc, acc);
    counts::check_enumerations(doc, acc);
    counts::check_slogans(doc, acc);
    counts::check_lists_before(doc, acc);
    counts::check_table_rows(doc, acc);
    counts::check_indicator_counts(doc, acc);
    names::check(doc, acc);
}

/// Merges findings that report the same contradiction twice: same rule and the same set of
/// values, or one finding's lines contained in another's.
#[must_use]
pub fn tidy(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        // The same contradiction found twice: the same message, or overlapping lines with
        // the same values.
        if let Some(prev) = out.iter_mut().find(|p| {
            p.rule == f.rule
                && (p.message == f.message
                    || (p.lines.iter().any(|l| f.lines.contains(l))
                        && (f.values.iter().all(|v| p.values.contains(v))
                            || p.values.iter().all(|v| f.values.contains(v)))))
        }) {
            if f.severity < prev.severity {
                prev.severity = f.severity;
            }
            for l in f.lines {
                if !prev.lines.contains(&l) {
                    prev.lines.push(l);
                }
            }
            prev.lines.sort_unstable();
            continue;
        }
        out.push(f);
    }
    out
}
