//! Writes a [`Project`] as a project file (docs/project-file.md), the inverse of
//! [`super::project::read`]: reading what this writes gives back an equal project.
//!
//! Used by `jixiao convert` (XLSX forms → project file) and by exports from the database.
//! Every field is written explicitly, in the order of the documentation, so that an exported
//! file reads like one written by hand and diffs well between years.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::date::Date;
use crate::num::{Dec, Money, Points};
use crate::project::{ActualValue, EvaluationKind, Project, Subject, TargetValue, Tier, Verdict};

/// The project as project-file text (UTF-8 TOML, `format = 1`).
#[must_use]
pub fn project(p: &Project) -> String {
    let mut w = Toml(String::with_capacity(4096 + p.targets.len() * 400));
    w.0.push_str("format = 1\n\n[project]\n");
    w.opt_str("code", Some(&p.code));
    w.str("name", &p.name);
    w.raw("year", &p.year.to_string());
    w.str("department", &p.department);
    w.opt_str("office", p.office.as_deref());
    w.opt_str("category", p.category.as_deref());
    w.opt_str("nature", p.nature.as_deref());
    w.opt_str("supervisor", p.supervisor.as_deref());
    w.opt_str("contact", p.contact.as_deref());
    w.opt_date("start", p.start);
    w.opt_date("end", p.end);
    if !p.approval_chain.is_empty() {
        w.list("approval_chain", p.approval_chain.iter().map(|r| r.zh()));
    }
    w.opt_str("overall_goal", p.overall_goal.as_deref());
    w.opt_str("annual_goal", p.annual_goal.as_deref());

    for d in &p.policy_basis {
        w.header("[[policy]]");
        w.str("title", &d.title);
        w.opt_str("number", d.number.as_deref());
        w.opt_str("issuer", d.issuer.as_deref());
    }
    for f in &p.facts {
        w.header("[[fact]]");
        w.str("name", &f.name);
        w.dec("value", f.value);
        w.opt_str("unit", Some(f.unit.as_str()));
        w.opt_str("source", f.source.as_deref());
        w.opt_str("note", f.note.as_deref());
    }

    let b = &p.budget;
    w.header("[budget]");
    w.money("appropriation", b.appropriation);
    w.opt_str("approval_document", b.approval_document.as_deref());
    for a in &b.adjustments {
        w.header("[[budget.adjustment]]");
        w.opt_date("date", a.date);
        w.money("amount", a.amount);
        w.opt_str("document", a.document.as_deref());
        w.opt_str("reason", a.reason.as_deref());
    }
    for r in &b.receipts {
        w.header("[[budget.receipt]]");
        w.str("source", r.source.zh());
        w.opt_date("date", r.date);
        w.money("amount", r.amount);
        w.opt_str("note", r.note.as_deref());
    }
    for s in &b.spending {
        w.header("[[budget.spending]]");
        w.opt_date("date", s.date);
        w.str("purpose", &s.purpose);
        w.money("amount", s.amount);
        w.opt_str("payee", s.payee.as_deref());
        w.opt_str("functional_code", s.functional_code.as_deref());
        w.opt_str("economic_code", s.economic_code.as_deref());
        if !s.targets.is_empty() {
            w.list("targets", s.targets.iter().map(String::as_str));
        }
        w.opt_str("note", s.note.as_deref());
    }

    for t in &p.targets {
        w.header("[[target]]");
        w.str("id", &t.id);
        w.str("category", t.category.zh());
        w.str("subcategory", t.subcategory.zh());
        w.str("name", &t.name);
        w.str("comparator", t.comparator.symbol());
        match &t.value {
            TargetValue::Number(d) => w.dec("value", *d),
            TargetValue::Text(s) => w.str("value", s),
        }
        w.opt_str("unit", Some(t.unit.as_str()));
        w.str("direction", t.direction.zh());
        if let Some(weight) = t.weight {
            w.points("weight", weight);
        }
        w.opt_str("explanation", t.explanation.as_deref());
        w.opt_str("basis", t.basis.as_deref());
        if let Some(a) = &t.actual {
            w.header("[target.actual]");
            match &a.value {
                ActualValue::Number { value, unit } => {
                    w.dec("value", *value);
                    w.opt_str("unit", Some(unit.as_str()));
                }
                ActualValue::Counts {
                    numerator,
                    denominator,
                } => {
                    w.dec("numerator", *numerator);
                    w.dec("denominator", *denominator);
                }
                ActualValue::Text(s) => w.str("text", s),
            }
            w.opt_str("note", a.note.as_deref());
            w.opt_str("deviation_reason", a.deviation_reason.as_deref());
            w.opt_str("measures", a.measures.as_deref());
            w.opt_list("evidence", &a.evidence);
        }
    }

    let e = &p.evaluation;
    let empty_eval = e == &crate::project::Evaluation::default();
    if !empty_eval {
        w.header("[evaluation]");
        w.opt_str("kind", e.kind.map(EvaluationKind::zh));
        w.opt_str("framework", e.framework.as_deref());
        w.opt_str("leader", e.leader.as_deref());
        w.opt_list("members", &e.members);
        w.opt_date("start", e.start);
        w.opt_date("end", e.end);
        w.opt_date("signed", e.signed);
        w.opt_date("cutoff", e.cutoff);
        w.opt_list("principles", &e.principles);
        w.opt_list("methods", &e.methods);
        w.opt_str("limitations", e.limitations.as_deref());
        w.points_map("[evaluation.weights]", &e.weights);
        if !e.names.is_empty() {
            w.header("[evaluation.names]");
            for (code, name) in &e.names {
                w.key(code);
                w.0.push_str(" = ");
                w.quoted(name);
                w.0.push('\n');
            }
        }
        for j in &e.judgments {
            w.header("[[evaluation.judgment]]");
            match &j.subject {
                Subject::Node(c) => w.str("node", c),
                Subject::Target(t) => w.str("target", t),
            }
            match j.verdict {
                Verdict::Score(s) => w.points("score", s),
                Verdict::Share(d) => w.dec("share", d),
                Verdict::Deduction(s) => w.points("deduction", s),
                Verdict::NotApplicable => w.raw("not_applicable", "true"),
            }
            w.opt_str("tier", j.tier.map(Tier::zh));
            w.opt_str("reason", j.reason.as_deref());
            w.opt_list("evidence", &j.evidence);
        }
    }

    let c = &p.claimed;
    if c != &crate::project::Claimed::default() {
        w.header("[claimed]");
        if let Some(t) = c.total {
            w.points("total", t);
        }
        w.opt_str("grade", c.grade.as_deref());
        w.opt_str("source", c.source.as_deref());
        w.points_map("[claimed.nodes]", &c.nodes);
    }

    if !p.narrative.is_empty() {
        w.header("[narrative]");
        for (key, text) in &p.narrative {
            w.str(key, text);
        }
    }
    w.0
}

/// A TOML text under construction.
struct Toml(String);

impl Toml {
    fn header(&mut self, h: &str) {
        self.0.push('\n');
        self.0.push_str(h);
        self.0.push('\n');
    }

    fn raw(&mut self, key: &str, value: &str) {
        self.key(key);
        self.0.push_str(" = ");
        self.0.push_str(value);
        self.0.push('\n');
    }

    fn key(&mut self, key: &str) {
        let bare = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if bare {
            self.0.push_str(key);
        } else {
            self.quoted(key);
        }
    }

    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.0.push_str(" = ");
        if value.contains('\n') {
            self.multiline(value);
        } else {
            self.quoted(value);
        }
        self.0.push('\n');
    }

    fn opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.str(key, v);
        }
    }

    fn opt_date(&mut self, key: &str, value: Option<Date>) {
        if let Some(d) = value {
            self.raw(key, &d.to_string());
        }
    }

    fn dec(&mut self, key: &str, d: Dec) {
        self.raw(key, &d.to_string());
    }

    fn money(&mut self, key: &str, m: Money) {
        self.raw(key, &m.yuan());
    }

    fn points(&mut self, key: &str, p: Points) {
        self.raw(key, &p.to_string());
    }

    fn points_map(&mut self, header: &str, map: &BTreeMap<String, Points>) {
        if map.is_empty() {
            return;
        }
        self.header(header);
        for (code, pts) in map {
            self.points(code, *pts);
        }
    }

    fn list<'a>(&mut self, key: &str, items: impl Iterator<Item = &'a str>) {
        self.key(key);
        self.0.push_str(" = [");
        for (i, it) in items.enumerate() {
            if i > 0 {
                self.0.push_str(", ");
            }
            self.quoted(it);
        }
        self.0.push_str("]\n");
    }

    fn opt_list(&mut self, key: &str, items: &[String]) {
        if !items.is_empty() {
            self.list(key, items.iter().map(String::as_str));
        }
    }

    /// A basic string with every character TOML requires escaped.
    fn quoted(&mut self, s: &str) {
        self.0.push('"');
        self.escaped(s, false);
        self.0.push('"');
    }

    /// A multi-line basic string; newlines stay as they are, so long text stays readable.
    fn multiline(&mut self, s: &str) {
        // The newline right after the opening quotes is not part of the value.
        self.0.push_str("\"\"\"\n");
        self.escaped(s, true);
        self.0.push_str("\"\"\"");
    }

    fn escaped(&mut self, s: &str, keep_newlines: bool) {
        // Most text needs no escape: copy it whole.
        if !s
            .bytes()
            .any(|b| b == b'"' || b == b'\\' || b < 0x20 || b == 0x7f)
        {
            self.0.push_str(s);
            return;
        }
        for ch in s.chars() {
            match ch {
                '"' => self.0.push_str("\\\""),
                '\\' => self.0.push_str("\\\\"),
                '\n' if keep_newlines => self.0.push('\n'),
                '\n' => self.0.push_str("\\n"),
                '\t' => self.0.push_str("\\t"),
                '\r' => self.0.push_str("\\r"),
                c if c.is_control() => {
                    let _ = write!(self.0, "\\u{:04X}", u32::from(c));
                }
                c => self.0.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::file::project::read;

    fn round_trip(p: &Project) -> Project {
        let text = project(p);
        let loaded = read(text.as_bytes());
        assert!(!loaded.has_errors(), "{:#?}\n{text}", loaded.diagnostics);
        loaded.value.expect("a project")
    }

    #[test]
    fn the_kunming_example_survives_writing_and_reading() {
        let src = include_bytes!("../../../../examples/kunming-2022.toml");
        let p = read(src).value.expect("example reads");
        assert_eq!(round_trip(&p), p);
    }

    #[test]
    fn awkward_text_is_escaped() {
        let src = include_bytes!("../../../../examples/kunming-2022.toml");
        let mut p = read(src).value.expect("example reads");
        p.name = "引号\"与反斜杠\\以及\t制表".to_owned();
        p.narrative.insert(
            "problems".to_owned(),
            "第一行\n\"\"\"三个引号\"\"\"\n\n末行\\".to_owned(),
        );
        p.evaluation
            .names
            .insert("A 1.\"x\"".to_owned(), "名称".to_owned());
        assert_eq!(round_trip(&p), p);
    }
}
