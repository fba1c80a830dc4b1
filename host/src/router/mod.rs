//! Routing an utterance to one intent call. Every backend sits behind [`Router`], and whatever
//! it returns is checked against the plugin's spec before anything runs.

pub mod eval;
pub mod offline;
mod text;

use crate::plugin::spec::{Args, Value};
use serde_json::json;

/// The intent that answers anything no other intent covers. It is part of the contract.
pub const OUT_OF_SCOPE: &str = "out-of-scope";

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub intent: String,
    pub args: Args,
}

impl Call {
    pub fn out_of_scope() -> Call {
        Call { intent: OUT_OF_SCOPE.into(), args: vec![] }
    }

    /// `{"intent": "modify-ec2", "args": {"MinCount": 2, "MaxCount": 4}}`
    pub fn to_json(&self) -> serde_json::Value {
        let args: serde_json::Map<String, serde_json::Value> = self
            .args
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or(serde_json::Value::Null)))
            .collect();
        json!({ "intent": self.intent, "args": args })
    }
}

impl std::fmt::Display for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|(k, v)| match v {
                Value::Text(t) => format!("{k}={t:?}"),
                other => format!("{k}={}", serde_json::to_string(other).unwrap_or_default()),
            })
            .collect();
        write!(f, "{}({})", self.intent, args.join(", "))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    #[error("{0}")]
    Backend(String),
}

pub trait Router {
    fn route(&self, utterance: &str) -> Result<Call, RouteError>;

    /// How the backend reached its call, for people tuning it.
    fn explain(&self, utterance: &str) -> String {
        match self.route(utterance) {
            Ok(call) => format!("call: {call}"),
            Err(e) => format!("error: {e}"),
        }
    }
}
