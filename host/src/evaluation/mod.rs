//! Scoring the agent on labelled sets, the files in `tests/eval/`. Four shapes, told apart by
//! the keys of a file's first line:
//!
//! - `utterances`: `{"text", "intent", "args"}` (or `"calls"` for a plan) — routing alone,
//!   exact match of every call.
//! - `conversations`: `{"turns", "expect"}` — whole conversations run in the session; the
//!   configuration after the last turn is compared.
//! - `actions`: `{"text", "act", "class"}` — whether the turn acts on AWS (deploy, teardown)
//!   exactly when the line asks for it now: action precision and recall.
//! - `questions`: `{"text", "intent", "args", "kind"}` — a question reaches the intent that
//!   answers it and changes nothing; a request still makes its change.
//!
//! Every set but `utterances` runs in a real session: the router, the spec check, the plugins
//! and the host's rules, from a fresh configuration per case (`before` lines first).
use crate::plugin::spec::{Args, Value};

pub mod actions;
pub mod conversations;
pub mod questions;
pub mod utterances;

/// Which scorer a file of labelled lines is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Utterances,
    Conversations,
    Actions,
    Questions,
}

impl Shape {
    /// Told by the keys of the first non-blank line.
    pub fn of(jsonl: &str) -> Shape {
        let first = jsonl.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        let keys = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(first).unwrap_or_default();
        match () {
            _ if keys.contains_key("turns") => Shape::Conversations,
            _ if keys.contains_key("act") => Shape::Actions,
            _ if keys.contains_key("kind") => Shape::Questions,
            _ => Shape::Utterances,
        }
    }
}

/// Reads JSON Lines (blank lines skipped); a line that does not parse is an error naming it.
pub fn json_lines<T: serde::de::DeserializeOwned>(jsonl: &str) -> Result<Vec<T>, String> {
    jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1))).collect()
}

/// A label's arguments as typed values.
pub fn args_of(map: &serde_json::Map<String, serde_json::Value>) -> Result<Args, String> {
    map.iter().map(|(k, v)| serde_json::from_value::<Value>(v.clone()).map(|v| (k.clone(), v)).map_err(|e| format!("argument {k}: {e}"))).collect()
}

/// Equal as the user meant them: 8 and 8.0 are the same amount.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => *i as f64 == *f,
        _ => a == b,
    }
}

/// The same arguments, in any order.
pub fn same_args(a: &Args, b: &Args) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.iter().any(|(k2, v2)| k == k2 && same_value(v, v2)))
}

/// `part` of `whole` as a percentage, for reports.
pub fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}
