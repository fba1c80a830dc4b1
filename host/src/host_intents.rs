//! Intents the host answers itself: `undo` and `redo`, which step the session's journal (its
//! configuration history) rather than run a plugin. They have specs like any plugin's, so the
//! routers learn them from their examples ("revert that", "scratch that", "put it back") and
//! never know them by name; the session runs them. They never touch AWS: undoing a change
//! after a deploy changes the configuration only, and a teardown must be asked for.
use crate::plugin::spec::{Example, IntentSpec};

pub const UNDO: &str = "undo";
pub const REDO: &str = "redo";

/// The specs of the host's own intents, checked like a plugin's at start-up.
pub fn specs() -> Vec<IntentSpec> {
    let spec = |name: &str, docstring: &str, examples: &[&str]| IntentSpec {
        name: name.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        docstring: docstring.into(),
        params: vec![],
        examples: examples.iter().map(|e| Example { utterance: e.to_string(), args: vec![] }).collect(),
    };
    vec![
        spec(
            UNDO,
            "Undo the last change to the configuration: step back to the configuration before it (the whole line that made it). Nothing on AWS changes.",
            &[
                "undo",
                "undo that",
                "undo my last change",
                "revert that",
                "scratch that",
                "go back",
                "put it back",
                "change it back",
                "take that back",
                "back to the previous settings",
                "roll back",
            ],
        ),
        spec(
            REDO,
            "Redo the change that was just undone. Nothing on AWS changes.",
            &["redo", "redo it", "redo that", "redo the last change", "bring that change back"],
        ),
    ]
}

/// Whether `intent` is one the host answers itself.
pub fn is_host_intent(intent: &str) -> bool {
    intent == UNDO || intent == REDO
}
