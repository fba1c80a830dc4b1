//! Whether the agent acts on AWS exactly when asked. Each line is one utterance, labelled with
//! the action it asks to run now (an intent whose plugin imports `aws`: `deploy`, `teardown`) or
//! `none`, and a class saying why (plain, confirmation, future, negated, embedded, …):
//!
//! ```json
//! {"text": "I'll deploy it tomorrow", "act": "none", "class": "future"}
//! {"text": "yes", "act": "deploy", "class": "answer-to-question", "before": ["show config"]}
//! ```
//!
//! Each case runs in the session from a fresh configuration: the `before` lines, then the line.
//! The line acted when its turn ran an intent that acts on AWS. Precision: of the turns that
//! acted, those that ran the labelled action; recall: of the lines that ask for an action, those
//! that ran it. Deploys go wherever the session's AWS target points (the local simulator by default).
use super::percent;
use crate::session::Session;
use std::collections::BTreeMap;
use std::fmt;

/// What a line that asks for nothing on AWS is labelled.
pub const NONE: &str = "none";

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub text: String,
    pub act: String,
    pub class: String,
    #[serde(default)]
    pub before: Vec<String>,
    #[serde(default)]
    pub note: String,
}

impl Case {
    pub fn parse_all(jsonl: &str) -> Result<Vec<Case>, String> {
        super::json_lines(jsonl)
    }
}

/// One case and the actions its turn ran.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: Case,
    pub acted: Vec<String>,
    /// Every call the turn ran, for the misses.
    pub calls: Vec<String>,
}

impl Outcome {
    fn right(&self) -> bool {
        match self.case.act.as_str() {
            NONE => self.acted.is_empty(),
            act => self.acted == [act],
        }
    }
}

#[derive(Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
}

impl Report {
    /// Turns that acted, and of those the ones that ran the labelled action.
    pub fn precision(&self) -> (usize, usize) {
        let acted: Vec<&Outcome> = self.outcomes.iter().filter(|o| !o.acted.is_empty()).collect();
        (acted.iter().filter(|o| o.right()).count(), acted.len())
    }

    /// Lines that ask for an action, and of those the ones that ran it.
    pub fn recall(&self) -> (usize, usize) {
        let asked: Vec<&Outcome> = self.outcomes.iter().filter(|o| o.case.act != NONE).collect();
        (asked.iter().filter(|o| o.right()).count(), asked.len())
    }

    /// Lines that must not act and did.
    pub fn wrongly_acted(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(|o| o.case.act == NONE && !o.acted.is_empty())
    }

    pub fn by_class(&self) -> BTreeMap<&str, (usize, usize)> {
        let mut table: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for o in &self.outcomes {
            let entry = table.entry(o.case.class.as_str()).or_default();
            entry.0 += usize::from(o.right());
            entry.1 += 1;
        }
        table
    }

    pub fn to_json(&self) -> serde_json::Value {
        let (p, acted) = self.precision();
        let (r, asked) = self.recall();
        let classes: serde_json::Map<String, serde_json::Value> =
            self.by_class().into_iter().map(|(c, (right, total))| (c.to_string(), serde_json::json!({"right": right, "total": total}))).collect();
        serde_json::json!({
            "total": self.outcomes.len(),
            "acted": acted,
            "precision": p as f64 / acted.max(1) as f64,
            "asked": asked,
            "recall": r as f64 / asked.max(1) as f64,
            "wrongly_acted": self.wrongly_acted().count(),
            "by_class": classes,
        })
    }
}

/// Runs every case in `session`, from a fresh configuration each.
pub fn evaluate(session: &mut Session, cases: &[Case]) -> Report {
    let actions: Vec<String> = session.registry().actions().map(String::from).collect();
    let mut report = Report::default();
    for case in cases {
        session.reset();
        for line in &case.before {
            session.turn(line);
        }
        let turn = session.turn(&case.text);
        let calls: Vec<String> = turn.ran().iter().map(ToString::to_string).collect();
        let acted = turn.ran().iter().filter(|c| actions.contains(&c.intent)).map(|c| c.intent.clone()).collect();
        let _ = session.caps().console.take_lines();
        report.outcomes.push(Outcome { case: case.clone(), acted, calls });
    }
    session.reset();
    report
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (p, acted) = self.precision();
        let (r, asked) = self.recall();
        writeln!(f, "action precision: {p}/{acted} = {:.1}% (turns that acted and ran what the line asked)", percent(p, acted))?;
        writeln!(f, "action recall:    {r}/{asked} = {:.1}% (lines asking for an action that ran it)", percent(r, asked))?;
        writeln!(f, "lines that must not act and did: {}", self.wrongly_acted().count())?;
        writeln!(f, "\n{:<20} {:>5}", "class", "right")?;
        for (class, (right, total)) in self.by_class() {
            writeln!(f, "{class:<20} {right:>2}/{total}")?;
        }
        let misses: Vec<&Outcome> = self.outcomes.iter().filter(|o| !o.right()).collect();
        if !misses.is_empty() {
            writeln!(f, "\nmisses:")?;
        }
        for o in misses {
            let before = if o.case.before.is_empty() { String::new() } else { format!(" (after {:?})", o.case.before) };
            let ran = if o.calls.is_empty() { "nothing".to_string() } else { o.calls.join("; ") };
            writeln!(f, "  [{}] {:?}{before}\n      want {}, ran {ran}", o.case.class, o.case.text, o.case.act)?;
        }
        Ok(())
    }
}
