//! Routing an utterance to one intent call. Every backend sits behind [`Router`], and whatever
//! it returns is checked against the plugin's spec before anything runs.
//!
//! `Call` (intent plus `Args`, with its `Display` and `to_json` forms) and `OUT_OF_SCOPE`, the one
//! intent name routers know, are defined in `crate::conversation` and re-exported here. `Router` is
//! `route_with` (an utterance and the conversation so far), `explain` and `fallback`.
//! `RouteError::Unavailable` is no answer and `BadReply` a reply that breaks the protocol, which
//! another router may try; `Rejected` is an answer the application will not run. `build` makes the router the settings ask for.

mod grounding;
mod lexicon;
pub mod llm;
pub mod offline;
mod text;

pub use crate::conversation::{Call, Context, Exchange, OUT_OF_SCOPE};

/// The router `llm` asks for, over the registry's intents. Intents whose plugins can act on
/// AWS (they import the `aws` capability) are chosen only on clear evidence.
pub fn build(registry: &crate::plugin::Registry, llm: &crate::llm::Settings) -> Result<Box<dyn Router>, crate::llm::LlmError> {
    let offline = offline::OfflineRouter::new(registry.specs()).with_actions(registry.actions());
    Ok(match llm.backend {
        crate::llm::Backend::Offline => Box::new(offline),
        _ => Box::new(llm::LlmRouter::new(registry.specs(), offline, crate::llm::connect(llm)?, llm.reflect, llm.ask_model)),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// No answer from the backend (a model server down or slow); another router may try.
    #[error(transparent)]
    Unavailable(#[from] crate::llm::LlmError),
    /// An answer the application will not act on; the message says why.
    #[error("{0}")]
    Rejected(String),
    /// A reply that breaks the protocol (cut off, unreadable, no call): as good as no answer,
    /// and never passed off as out of scope.
    #[error("the model's reply could not be used: {0}")]
    BadReply(String),
}

pub trait Router {
    /// The call for `utterance` in the conversation `context` describes.
    fn route_with(&self, utterance: &str, context: &Context) -> Result<Call, RouteError>;

    fn route(&self, utterance: &str) -> Result<Call, RouteError> {
        self.route_with(utterance, &Context::default())
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

    /// What the last routing has to tell the user besides the call (a model's arguments that
    /// were left out), once.
    fn take_notes(&self) -> Vec<String> {
        vec![]
    }
}
