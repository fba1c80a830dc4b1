//! Questions are answered and change nothing; requests, however politely asked, still change
//! what they ask. Each line is one utterance with the call an expert maps it to and its kind:
//!
//! ```json
//! {"text": "what does an m5.large cost per hour?", "intent": "describe-instance-type", "args": {"InstanceType": "m5.large"}, "kind": "question"}
//! {"text": "could you set the type to m5.large?", "intent": "modify-ec2", "args": {"InstanceType": "m5.large"}, "kind": "request"}
//! ```
//!
//! Each case runs in the session from a fresh configuration (`before` lines first). A question
//! is right when its turn runs the labelled intent and the configuration is the same after it;
//! a request when its turn runs the labelled call, exactly, and it succeeds.
use super::{args_of, percent, same_args};
use crate::session::{Session, Turn};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Question,
    Request,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub text: String,
    pub intent: String,
    #[serde(default)]
    pub args: serde_json::Map<String, serde_json::Value>,
    pub kind: Kind,
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

#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: Case,
    /// The calls its turn ran.
    pub calls: Vec<String>,
    /// The turn ran the labelled intent.
    pub reached: bool,
    /// ... with exactly the labelled arguments.
    pub exact: bool,
    /// The configuration (requirements included) was the same after the turn.
    pub unchanged: bool,
    pub ok: bool,
}

impl Outcome {
    pub fn right(&self) -> bool {
        match self.case.kind {
            Kind::Question => self.reached && self.unchanged,
            Kind::Request => self.exact && self.ok,
        }
    }
}

#[derive(Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
}

impl Report {
    fn of(&self, kind: Kind) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(move |o| o.case.kind == kind)
    }

    /// (right, total) for one kind.
    pub fn figure(&self, kind: Kind) -> (usize, usize) {
        (self.of(kind).filter(|o| o.right()).count(), self.of(kind).count())
    }

    pub fn to_json(&self) -> serde_json::Value {
        let (q, questions) = self.figure(Kind::Question);
        let (r, requests) = self.figure(Kind::Request);
        let unchanged = self.of(Kind::Question).filter(|o| o.unchanged).count();
        let exact = self.of(Kind::Question).filter(|o| o.exact && o.unchanged).count();
        serde_json::json!({
            "questions": questions, "answered_unchanged": q, "unchanged": unchanged, "exact": exact,
            "requests": requests, "requests_acted": r,
        })
    }
}

pub fn evaluate(session: &mut Session, cases: &[Case]) -> Result<Report, String> {
    let mut report = Report::default();
    for case in cases {
        let want = args_of(&case.args).map_err(|e| format!("{:?}: {e}", case.text))?;
        session.reset();
        for line in &case.before {
            session.turn(line);
        }
        let before = serde_json::to_value(&session.caps().config).map_err(|e| e.to_string())?;
        let turn = session.turn(&case.text);
        let after = serde_json::to_value(&session.caps().config).map_err(|e| e.to_string())?;
        let _ = session.caps().console.take_lines();
        let ran = turn.ran();
        let reached = ran.iter().any(|c| c.intent == case.intent);
        let exact = ran.len() == 1 && reached && same_args(&ran[0].args, &want);
        let ok = matches!(turn, Turn::Ran { .. });
        let calls = ran.iter().map(ToString::to_string).collect();
        report.outcomes.push(Outcome { case: case.clone(), calls, reached, exact, unchanged: before == after, ok });
    }
    session.reset();
    Ok(report)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (q, questions) = self.figure(Kind::Question);
        let (r, requests) = self.figure(Kind::Request);
        let unchanged = self.of(Kind::Question).filter(|o| o.unchanged).count();
        writeln!(f, "questions answered by the labelled intent, nothing changed: {q}/{questions} = {:.1}%", percent(q, questions))?;
        writeln!(f, "questions that changed nothing (any intent): {unchanged}/{questions} = {:.1}%", percent(unchanged, questions))?;
        writeln!(f, "requests that made their change exactly: {r}/{requests} = {:.1}%", percent(r, requests))?;
        let misses: Vec<&Outcome> = self.outcomes.iter().filter(|o| !o.right()).collect();
        if !misses.is_empty() {
            writeln!(f, "\nmisses:")?;
        }
        for o in misses {
            let want = crate::conversation::Call { intent: o.case.intent.clone(), args: args_of(&o.case.args).unwrap_or_default() };
            let ran = if o.calls.is_empty() { "nothing".to_string() } else { o.calls.join("; ") };
            let changed = if o.unchanged { "" } else { " (changed the configuration)" };
            writeln!(f, "  [{:?}] {:?}\n      want {want}, ran {ran}{changed}", o.case.kind, o.case.text)?;
        }
        Ok(())
    }
}
