//! Routing an utterance to one intent call. Every backend sits behind [`Router`], and whatever
//! it returns is checked against the plugin's spec before anything runs.

pub mod eval;
pub mod llm;
pub mod offline;
mod text;

use crate::plugin::spec::{Args, IntentSpec, Value};
use serde_json::json;

/// The intent that answers anything no other intent covers. It is part of the contract.
pub const OUT_OF_SCOPE: &str = "out-of-scope";

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// The router `llm` asks for, over these intents.
pub fn build<'a>(specs: impl IntoIterator<Item = &'a IntentSpec>, llm: &crate::llm::Settings) -> Result<Box<dyn Router>, crate::llm::LlmError> {
    Ok(match llm.backend {
        crate::llm::Backend::Offline => Box::new(offline::OfflineRouter::new(specs)),
        _ => Box::new(llm::LlmRouter::new(specs, crate::llm::connect(llm)?, llm.reflect)),
    })
}

/// One earlier turn, as a model backend sees the conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub utterance: String,
    pub call: Call,
}

#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// No answer from the backend (a model server down or slow); another router may try.
    #[error(transparent)]
    Unavailable(#[from] crate::llm::LlmError),
    /// An answer the application will not act on; the message says why.
    #[error("{0}")]
    Rejected(String),
}

pub trait Router {
    /// The call for `utterance`; `history` is the conversation so far, oldest first.
    fn route_with(&self, utterance: &str, history: &[Exchange]) -> Result<Call, RouteError>;

    fn route(&self, utterance: &str) -> Result<Call, RouteError> {
        self.route_with(utterance, &[])
    }

    /// How the backend reached its call, for people tuning it.
    fn explain(&self, utterance: &str) -> String {
        match self.route(utterance) {
            Ok(call) => format!("call: {call}"),
            Err(e) => format!("error: {e}"),
        }
    }

    /// The router to offer for a turn this one could not answer.
    fn fallback(&self) -> Option<&dyn Router> {
        None
    }
}
