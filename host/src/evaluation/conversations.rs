//! Scoring whole conversations: each case's turns run, in order, in the session as a user's
//! would (router, spec check, plugins, the host's rules), from a fresh configuration; the
//! configuration after the last turn is compared with what the case expects.
//!
//! ```json
//! {"turns": ["cheapest with 8 cpus", "what about in us-west-2?"],
//!  "expect": {"ec2.Region": "us-west-2", "ec2.InstanceType": {"cheapest": {"cpu": 8, "region": "us-west-2"}}}}
//! ```
//!
//! Keys name the session file's configuration fields (`ec2.MinCount`, `asg.Enabled`, …). A value
//! `{"cheapest": {…}}` expects the type [`CHEAPEST_INTENT`] chooses for those arguments, worked
//! out by running that intent in a fresh configuration, so no answer is written by hand.
use crate::conversation::Call;
use crate::plugin::spec::{Args, Value};
use crate::session::{Session, Turn};
use serde_json::Value as Json;
use std::fmt;

/// The intent an expectation `{"cheapest": …}` asks: part of this file format.
pub const CHEAPEST_INTENT: &str = "find-cheapest";

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversation {
    pub turns: Vec<String>,
    pub expect: serde_json::Map<String, Json>,
    #[serde(default)]
    pub note: String,
    /// What kind of talk it checks (compound, correction, reference, …), for the per-class figures.
    #[serde(default)]
    pub class: String,
    /// Who talks (operator, newcomer, …), for the per-voice figures.
    #[serde(default)]
    pub voice: String,
}

impl Conversation {
    /// Reads JSON Lines; a line that is not a conversation is an error naming the line.
    pub fn parse_all(jsonl: &str) -> Result<Vec<Conversation>, String> {
        super::json_lines(jsonl)
    }
}

/// One conversation that did not end as expected.
pub struct Miss {
    pub conversation: Conversation,
    /// Per turn: the call it was routed to, or what went wrong.
    pub calls: Vec<String>,
    /// (key, expected, got)
    pub wrong: Vec<(String, Json, Json)>,
}

#[derive(Default)]
pub struct Report {
    pub total: usize,
    pub passed: usize,
    pub misses: Vec<Miss>,
    /// Per class and per voice: (passed, total), where the set names them.
    pub by_class: std::collections::BTreeMap<String, (usize, usize)>,
    pub by_voice: std::collections::BTreeMap<String, (usize, usize)>,
}

impl Report {
    pub fn accuracy(&self) -> f64 {
        self.passed as f64 / self.total.max(1) as f64
    }

    pub fn to_json(&self) -> Json {
        let pairs = |m: &std::collections::BTreeMap<String, (usize, usize)>| -> serde_json::Map<String, Json> {
            m.iter().map(|(k, (p, t))| (k.clone(), serde_json::json!({"passed": p, "total": t}))).collect()
        };
        serde_json::json!({ "conversations": self.total, "passed": self.passed, "accuracy": self.accuracy(), "by_class": pairs(&self.by_class), "by_voice": pairs(&self.by_voice) })
    }
}

/// Runs every conversation in `session` (reset before each) and scores the outcome.
pub fn evaluate(session: &mut Session, conversations: &[Conversation]) -> Result<Report, String> {
    let mut report = Report::default();
    for c in conversations {
        let mut expected = Vec::new();
        let mut unanswerable = None;
        for (key, want) in &c.expect {
            // An expectation the intent cannot answer (a parameter this build lacks) is this
            // conversation's miss, not the end of the run.
            match resolve(session, want) {
                Ok(value) => expected.push((key.clone(), value)),
                Err(why) => unanswerable = Some((key.clone(), want.clone(), Json::String(why))),
            }
        }
        session.reset();
        let calls: Vec<String> = c.turns.iter().map(|t| describe(&session.turn(t))).collect();
        let config = serde_json::to_value(&session.caps().config).map_err(|e| e.to_string())?;
        let wrong: Vec<(String, Json, Json)> = expected
            .into_iter()
            .filter_map(|(key, want)| {
                let got = key.split('.').try_fold(&config, |v, k| v.get(k)).cloned().unwrap_or(Json::Null);
                (!same(&want, &got)).then_some((key, want, got))
            })
            .chain(unanswerable)
            .collect();
        report.total += 1;
        for (table, key) in [(&mut report.by_class, &c.class), (&mut report.by_voice, &c.voice)] {
            if !key.is_empty() {
                let entry = table.entry(key.clone()).or_default();
                entry.0 += usize::from(wrong.is_empty());
                entry.1 += 1;
            }
        }
        match wrong.is_empty() {
            true => report.passed += 1,
            false => report.misses.push(Miss { conversation: c.clone(), calls, wrong }),
        }
    }
    session.reset();
    Ok(report)
}

/// The expected value, with `{"cheapest": args}` worked out by the intent itself.
fn resolve(session: &mut Session, want: &Json) -> Result<Json, String> {
    let Some(args) = want.get("cheapest").and_then(Json::as_object) else { return Ok(want.clone()) };
    let args: Args = args
        .iter()
        .map(|(k, v)| serde_json::from_value::<Value>(v.clone()).map(|v| (k.clone(), v)).map_err(|e| format!("cheapest: {k}: {e}")))
        .collect::<Result<_, _>>()?;
    session.reset();
    let call = Call { intent: CHEAPEST_INTENT.into(), args };
    match session.execute(call.clone()) {
        Turn::Ran { .. } => Ok(Json::String(session.caps().config.ec2.instance_type.clone())),
        other => Err(format!("expectation {call} has no answer: {}", describe(&other))),
    }
}

fn describe(turn: &Turn) -> String {
    match turn {
        Turn::Ran { calls, .. } if calls.is_empty() => "(nothing run)".to_string(),
        Turn::Ran { calls, .. } => calls.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
        Turn::Failed { calls, message } => format!("{} failed: {message}", calls.last().map(ToString::to_string).unwrap_or_else(|| "(refused)".into())),
        Turn::Unanswered { message } => message.clone(),
    }
}

/// Equal as the user meant them: 8 and 8.0 are the same amount.
fn same(a: &Json, b: &Json) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "conversations ending as expected: {}/{} = {:.1}%", self.passed, self.total, 100.0 * self.accuracy())?;
        for (label, table) in [("class", &self.by_class), ("voice", &self.by_voice)] {
            for (key, (passed, total)) in table {
                writeln!(f, "  {label} {key:<12} {passed}/{total}")?;
            }
        }
        if !self.misses.is_empty() {
            writeln!(f, "\nmisses:")?;
        }
        for m in &self.misses {
            writeln!(f, "  {}", if m.conversation.note.is_empty() { "(no note)" } else { &m.conversation.note })?;
            for (turn, call) in m.conversation.turns.iter().zip(&m.calls) {
                writeln!(f, "      > {turn}\n          {call}")?;
            }
            for (key, want, got) in &m.wrong {
                writeln!(f, "      {key}: want {want}, got {got}")?;
            }
        }
        Ok(())
    }
}
