//! aws-agent: size, configure and deploy EC2 capacity by talking to it.
//!
//! See ARCHITECTURE.md at the repository root for the map of this crate.

pub mod aws;
pub mod capability;
pub mod catalog;
pub mod cause;
pub mod completion;
pub mod conversation;
pub mod evaluation;
pub mod harness;
pub mod host_intents;
pub mod input;
pub mod journal;
pub mod llm;
pub mod log;
pub mod mcp;
pub mod paths;
pub mod plugin;
pub mod repl;
pub mod router;
pub mod scaffold;
pub mod session;
pub mod settings;
pub mod spinner;
pub mod state_lock;
