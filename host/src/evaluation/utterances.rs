//! Scoring a router against labelled utterances: exact match of intent and every argument.
//!
//! Reports exact match, per-intent precision and recall, the confusion between intents and the
//! misses; read by `aws-agent eval` and `host/tests/router_eval.rs`.
use crate::plugin::spec::Args;
use crate::router::{Call, RouteError, Router};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Case {
    pub text: String,
    pub intent: String,
    #[serde(default)]
    pub args: serde_json::Map<String, serde_json::Value>,
}

impl Case {
    /// Reads JSON Lines; a line that is not a case is an error naming the line.
    pub fn parse_all(jsonl: &str) -> Result<Vec<Case>, String> {
        super::json_lines(jsonl)
    }

    fn expected(&self) -> Result<Args, String> {
        super::args_of(&self.args).map_err(|e| format!("{:?}: {e}", self.text))
    }
}

#[derive(Default)]
pub struct Report {
    pub total: usize,
    pub exact: usize,
    pub intent_right: usize,
    /// Expected intent → routed intent → count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    pub misses: Vec<(Case, Call)>,
    /// Intents that act on AWS, whose precision is reported on its own: the goal is 100%.
    pub actions: Vec<String>,
    /// Model replies that broke the protocol, or that the server answered with an HTTP error;
    /// each is a miss routed to [`FAILED_REPLY`].
    pub failed_replies: usize,
}

/// What a failed model reply counts as in the confusion table: no intent at all.
pub const FAILED_REPLY: &str = "(failed reply)";

impl Report {
    pub fn accuracy(&self) -> f64 {
        self.exact as f64 / self.total.max(1) as f64
    }

    /// (precision, recall) of one intent, over intent choice alone.
    pub fn precision_recall(&self, intent: &str) -> (f64, f64) {
        let tp = self.confusion.get(intent).and_then(|r| r.get(intent)).copied().unwrap_or(0) as f64;
        let expected: usize = self.confusion.get(intent).map(|r| r.values().sum()).unwrap_or(0);
        let predicted: usize = self.confusion.values().filter_map(|r| r.get(intent)).sum();
        (tp / (predicted.max(1) as f64), tp / (expected.max(1) as f64))
    }
}

pub fn evaluate(router: &dyn Router, cases: &[Case]) -> Result<Report, String> {
    let mut report = Report::default();
    for case in cases {
        let expected = case.expected()?;
        // A refusal runs nothing, as out-of-scope does; only a router with no answer is an error.
        let got = match router.route(&case.text) {
            Ok(call) => call,
            Err(RouteError::Rejected(_)) => Call::out_of_scope(),
            // The server answered, but not with a usable reply (llama.cpp answers HTTP 500 when
            // the model's output does not parse as a tool call): a miss, not the end of the run.
            Err(RouteError::BadReply(_) | RouteError::Unavailable(crate::llm::LlmError::Status { .. })) => {
                report.failed_replies += 1;
                Call { intent: FAILED_REPLY.into(), args: vec![] }
            }
            Err(e) => return Err(e.to_string()),
        };
        report.total += 1;
        *report.confusion.entry(case.intent.clone()).or_default().entry(got.intent.clone()).or_default() += 1;
        if got.intent == case.intent {
            report.intent_right += 1;
            if super::same_args(&got.args, &expected) {
                report.exact += 1;
                continue;
            }
        }
        report.misses.push((case.clone(), got));
    }
    Ok(report)
}

impl Report {
    /// The figures without the misses: totals, accuracies, per-intent precision and recall,
    /// and the confusion counts.
    pub fn to_json(&self) -> serde_json::Value {
        let per_intent: serde_json::Map<String, serde_json::Value> = self
            .confusion
            .keys()
            .map(|i| {
                let (precision, recall) = self.precision_recall(i);
                (i.clone(), serde_json::json!({ "precision": precision, "recall": recall }))
            })
            .collect();
        serde_json::json!({
            "total": self.total,
            "exact": self.exact,
            "accuracy": self.accuracy(),
            "intent_accuracy": self.intent_right as f64 / self.total.max(1) as f64,
            "per_intent": per_intent,
            "confusion": self.confusion,
            "action_precision": self.actions.iter().map(|a| (a.clone(), self.precision_recall(a).0.into())).collect::<serde_json::Map<_, _>>(),
            "failed_replies": self.failed_replies,
        })
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "exact match (intent and all arguments): {}/{} = {:.1}%", self.exact, self.total, 100.0 * self.accuracy())?;
        writeln!(f, "intent only: {}/{} = {:.1}%", self.intent_right, self.total, 100.0 * self.intent_right as f64 / self.total.max(1) as f64)?;
        if self.failed_replies > 0 {
            writeln!(f, "failed model replies (cut off, unreadable, no call): {}", self.failed_replies)?;
        }
        let mut intents: Vec<&String> = self.confusion.keys().chain(self.confusion.values().flat_map(|r| r.keys())).collect();
        intents.sort();
        intents.dedup();
        writeln!(f, "\n{:<20} {:>9} {:>7}", "intent", "precision", "recall")?;
        for i in &intents {
            let (p, r) = self.precision_recall(i);
            writeln!(f, "{i:<20} {:>8.1}% {:>6.1}%", 100.0 * p, 100.0 * r)?;
        }
        for a in &self.actions {
            let routed: usize = self.confusion.values().filter_map(|r| r.get(a)).sum();
            let right = self.confusion.get(a).and_then(|r| r.get(a)).copied().unwrap_or(0);
            writeln!(f, "acts on AWS: {a} precision {right}/{routed}")?;
        }
        writeln!(f, "\nconfusion (expected → routed, off-diagonal only):")?;
        for (expected, row) in &self.confusion {
            for (got, n) in row.iter().filter(|(got, _)| *got != expected) {
                writeln!(f, "  {expected} → {got}: {n}")?;
            }
        }
        if !self.misses.is_empty() {
            writeln!(f, "\nmisses:")?;
            for (case, got) in &self.misses {
                let want = Call { intent: case.intent.clone(), args: case.expected().unwrap_or_default() };
                writeln!(f, "  {:?}\n      want {want}\n      got  {got}", case.text)?;
            }
        }
        Ok(())
    }
}
