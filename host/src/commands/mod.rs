//! One-shot subcommands; each prints its answer and returns.
pub mod catalog;
pub mod eval;
pub mod export;
pub mod mcp;
pub mod plugins;
pub mod route;
pub mod status;
pub mod teardown;
