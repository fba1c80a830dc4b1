//! Scoring a router against labelled utterances: exact match of every call of the plan, in
//! order. A label is one call, `{"text", "intent", "args"}`, or a plan,
//! `{"text", "calls": [{"intent", "args"}, …]}` (`"calls": []` for a line that must run nothing).
//!
//! Reports exact match, per-intent precision and recall, the confusion between intents (a plan
//! of several shows as `a+b`; a plan of none as out-of-scope, which also runs nothing), the
//! precision of each intent that acts on AWS, and the misses; read by `aws-agent eval` and
//! `host/tests/router_eval.rs`.
use crate::router::{Call, OUT_OF_SCOPE, RouteError, Routed, Router};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub text: String,
    #[serde(default)]
    pub intent: String,
    #[serde(default)]
    pub args: serde_json::Map<String, serde_json::Value>,
    /// The plan, for a line that asks for several calls (or none).
    #[serde(default)]
    pub calls: Option<Vec<Labelled>>,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    pub intent: String,
    #[serde(default)]
    pub args: serde_json::Map<String, serde_json::Value>,
}

impl Case {
    /// Reads JSON Lines; a line that is not a case is an error naming the line.
    pub fn parse_all(jsonl: &str) -> Result<Vec<Case>, String> {
        let cases: Vec<Case> = super::json_lines(jsonl)?;
        match cases.iter().position(|c| c.calls.is_none() && c.intent.is_empty()) {
            Some(i) => Err(format!("{:?}: a case needs \"intent\" or \"calls\"", cases[i].text)),
            None => Ok(cases),
        }
    }

    /// The labelled plan.
    pub fn expected(&self) -> Result<Vec<Call>, String> {
        let call = |intent: &str, args: &serde_json::Map<String, serde_json::Value>| -> Result<Call, String> {
            Ok(Call { intent: intent.to_string(), args: super::args_of(args).map_err(|e| format!("{:?}: {e}", self.text))? })
        };
        match &self.calls {
            Some(calls) => calls.iter().map(|c| call(&c.intent, &c.args)).collect(),
            None => Ok(vec![call(&self.intent, &self.args)?]),
        }
    }
}

/// A plan as the confusion table names it.
pub fn plan_intent(plan: &[Call]) -> String {
    match plan {
        [] => OUT_OF_SCOPE.to_string(),
        calls => calls.iter().map(|c| c.intent.as_str()).collect::<Vec<_>>().join("+"),
    }
}

fn same_plan(got: &[Call], want: &[Call]) -> bool {
    // Out-of-scope (with the service it names or not) and a plan of nothing both run nothing.
    if got.iter().chain(want).all(|c| c.intent == OUT_OF_SCOPE) {
        return true;
    }
    got.len() == want.len() && got.iter().zip(want).all(|(g, w)| g.intent == w.intent && super::same_args(&g.args, &w.args))
}

#[derive(Default)]
pub struct Report {
    pub total: usize,
    pub exact: usize,
    pub intent_right: usize,
    /// Expected intent → routed intent → count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    pub misses: Vec<(Case, Routed)>,
    /// Per intent that acts on AWS: (plans that ran it, of those the ones labelled with it).
    pub acted: BTreeMap<String, (usize, usize)>,
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

    /// Of the plans that ran `action`, the share labelled with it; 1 when none ran it.
    pub fn action_precision(&self, action: &str) -> f64 {
        let (routed, right) = self.acted.get(action).copied().unwrap_or_default();
        if routed == 0 { 1.0 } else { right as f64 / routed as f64 }
    }

    /// (precision, recall) of one intent, over intent choice alone.
    pub fn precision_recall(&self, intent: &str) -> (f64, f64) {
        let tp = self.confusion.get(intent).and_then(|r| r.get(intent)).copied().unwrap_or(0) as f64;
        let expected: usize = self.confusion.get(intent).map(|r| r.values().sum()).unwrap_or(0);
        let predicted: usize = self.confusion.values().filter_map(|r| r.get(intent)).sum();
        (tp / (predicted.max(1) as f64), tp / (expected.max(1) as f64))
    }
}

/// Scores `router` on `cases`; `actions` are the intents that act on AWS.
pub fn evaluate(router: &dyn Router, cases: &[Case], actions: &[String]) -> Result<Report, String> {
    let mut report = Report { actions: actions.to_vec(), ..Default::default() };
    for case in cases {
        let expected = case.expected()?;
        // A refusal runs nothing, as out-of-scope does; only a router with no answer is an error.
        let got = match router.route(&case.text) {
            Ok(routed) => routed,
            Err(RouteError::Rejected(_) | RouteError::Declined(_)) => Routed::default(),
            // The server answered, but not with a usable reply (llama.cpp answers HTTP 500 when
            // the model's output does not parse as a tool call): a miss, not the end of the run.
            Err(RouteError::BadReply(_) | RouteError::Unavailable(crate::llm::LlmError::Status { .. })) => {
                report.failed_replies += 1;
                Routed::call(Call { intent: FAILED_REPLY.into(), args: vec![] })
            }
            Err(e) => return Err(e.to_string()),
        };
        report.total += 1;
        let (want, routed) = (plan_intent(&expected), plan_intent(&got.plan));
        *report.confusion.entry(want.clone()).or_default().entry(routed.clone()).or_default() += 1;
        for action in actions.iter().filter(|a| got.plan.iter().any(|c| c.intent == **a)) {
            let entry = report.acted.entry(action.clone()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(expected.iter().any(|c| c.intent == *action));
        }
        if want == routed {
            report.intent_right += 1;
            if same_plan(&got.plan, &expected) {
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
            "action_precision": self.actions.iter().map(|a| (a.clone(), self.action_precision(a).into())).collect::<serde_json::Map<_, _>>(),
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
            let (routed, right) = self.acted.get(a).copied().unwrap_or_default();
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
                let want = Routed { plan: case.expected().unwrap_or_default(), notes: vec![] };
                writeln!(f, "  {:?}\n      want {want}\n      got  {got}", case.text)?;
            }
        }
        Ok(())
    }
}
