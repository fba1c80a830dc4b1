//! Routing an utterance to a plan: the calls it asks for, in the user's order. Every backend sits
//! behind [`Router`], and every call it returns is checked against its plugin's spec before
//! anything runs.
//!
//! `Call` (intent plus `Args`, with its `Display` and `to_json` forms) and `OUT_OF_SCOPE`, the one
//! intent name routers know, are defined in `crate::conversation` and re-exported here. `Router` is
//! `route_with` (an utterance and the conversation so far) → [`Routed`] (the plan and what the
//! user should be told about it), `explain` and `fallback`.
//! `RouteError::Unavailable` is no answer and `BadReply` a reply that breaks the protocol, which
//! another router may try; `Rejected` is an answer the application will not run. `build` makes the router the settings ask for.

mod grounding;
mod lexicon;
pub mod llm;
pub mod offline;
pub mod reading;
mod text;

pub use crate::conversation::{Call, Context, Exchange, OUT_OF_SCOPE};

/// The router `llm` asks for, over the registry's intents and the host's own (undo, redo).
/// Intents whose plugins can act on AWS (they import the `aws` capability) are chosen only on
/// clear evidence, and only where the words ask for them now.
pub fn build(registry: &crate::plugin::Registry, llm: &crate::llm::Settings) -> Result<Box<dyn Router>, crate::llm::LlmError> {
    let offline = offline_router(registry);
    Ok(match llm.backend {
        crate::llm::Backend::Offline => Box::new(offline),
        _ => Box::new(llm::LlmRouter::new(&intents(registry), offline, crate::llm::connect(llm)?, llm.reflect, llm.ask_model)),
    })
}

/// The offline router over the registry's intents and the host's own.
pub fn build_offline(registry: &crate::plugin::Registry) -> Box<dyn Router> {
    Box::new(offline_router(registry))
}

/// The offline router the session builds over `registry`: its intents and the host's own, with
/// the grants that mark actions and writers.
pub fn offline_router(registry: &crate::plugin::Registry) -> offline::OfflineRouter {
    let solo = crate::host_intents::specs().into_iter().map(|s| s.name).collect::<Vec<_>>();
    offline::OfflineRouter::new(&intents(registry)).with_actions(registry.actions()).with_writers(registry.writers()).with_solo(solo.iter().map(String::as_str))
}

fn intents(registry: &crate::plugin::Registry) -> Vec<crate::plugin::spec::IntentSpec> {
    registry.specs().cloned().chain(crate::host_intents::specs()).collect()
}

#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// No answer from the backend (a model server down or slow); another router may try.
    #[error(transparent)]
    Unavailable(#[from] crate::llm::LlmError),
    /// An answer the application will not act on; the message says why.
    #[error("{0}")]
    Rejected(String),
    /// The words ask for something not to happen ("don't deploy yet"): nothing runs, and the
    /// message says what was read.
    #[error("{0}")]
    Declined(String),
    /// A reply that breaks the protocol (cut off, unreadable, no call): as good as no answer,
    /// and never passed off as out of scope.
    #[error("the model's reply could not be used: {0}")]
    BadReply(String),
}

/// What a router makes of an utterance: the calls to run, in order (none when the words ask for
/// nothing to run, say a "no" to the agent's question), and what the user should be told
/// besides (a clause left out, an action not asked for now, a model's argument nobody gave).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Routed {
    pub plan: Vec<Call>,
    pub notes: Vec<String>,
}

impl Routed {
    pub fn call(call: Call) -> Routed {
        Routed { plan: vec![call], notes: vec![] }
    }

    /// The one call of a one-call plan.
    pub fn only(&self) -> Option<&Call> {
        match self.plan.as_slice() {
            [call] => Some(call),
            _ => None,
        }
    }

    /// `{"intent", "args"}` for one call, `{"calls": [...]}` for a plan of more or of none.
    pub fn to_json(&self) -> serde_json::Value {
        match self.only() {
            Some(call) => call.to_json(),
            None => serde_json::json!({ "calls": self.plan.iter().map(Call::to_json).collect::<Vec<_>>() }),
        }
    }
}

impl std::fmt::Display for Routed {
    /// `modify-ec2(MinCount=2)`, or `enable-autoscaling(); modify-asg(MaxSize=3)`, or `(nothing)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.plan.is_empty() {
            true => f.write_str("(nothing)"),
            false => f.write_str(&self.plan.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")),
        }
    }
}

pub trait Router {
    /// The plan for `utterance` in the conversation `context` describes.
    fn route_with(&self, utterance: &str, context: &Context) -> Result<Routed, RouteError>;

    fn route(&self, utterance: &str) -> Result<Routed, RouteError> {
        self.route_with(utterance, &Context::default())
    }

    /// How the backend reached its plan, for people tuning it.
    fn explain(&self, utterance: &str) -> String {
        match self.route(utterance) {
            Ok(routed) => format!("call: {routed}"),
            Err(e) => format!("error: {e}"),
        }
    }

    /// The router to offer for a turn this one could not answer.
    fn fallback(&self) -> Option<&dyn Router> {
        None
    }
}
