//! Deployment through the official AWS SDK for Rust, to a local moto server by default.
//!
//! Nothing here runs at start-up: the runtime, the simulator and the clients are created the
//! first time a plugin asks to deploy. Without `--aws-endpoint` or `--real-aws` every request
//! goes to a simulator this process started on loopback.
//!
//! `AwsBackend` (`backend.rs`) is the capability: it keeps what this session deployed, compares a
//! new deploy with it (`preview.rs`), checks the plan with AWS (`preflight.rs`), creates or
//! updates in place (`deploy.rs`), deletes in AWS's order (`teardown.rs`), and searches regions
//! for what the tool's tag marks (`inventory.rs`, `status.rs`); side effects that cost money or
//! cannot be undone are confirmed through `capability::confirm`.

mod backend;
mod client;
mod console_log;
mod deploy;
mod instance_types;
mod interrupt;
mod inventory;
mod preflight;
mod preview;
pub mod simulator;
mod spot;
mod status;
mod teardown;

pub use backend::{AwsBackend, CleanupReport};
pub use simulator::Simulator;

use std::path::PathBuf;

/// Where AWS requests go.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A moto server started on a free loopback port the first time AWS is needed.
    Simulator { moto_server: PathBuf },
    /// An AWS-compatible endpoint the user named (`--aws-endpoint`, `AWS_ENDPOINT_URL`).
    Endpoint(String),
    /// Real AWS through the normal credential chain; each deployment is confirmed first.
    RealAws,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub target: Target,
    /// How long to follow an instance's console output.
    pub log_seconds: u64,
}

/// The seed prototype followed the console for 30 seconds.
pub const DEFAULT_LOG_SECONDS: u64 = 30;

impl Default for Settings {
    /// The safe default: a local simulator, never real AWS.
    fn default() -> Self {
        Settings { target: Target::Simulator { moto_server: simulator::find_moto_server() }, log_seconds: DEFAULT_LOG_SECONDS }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    #[error("{0}")]
    Simulator(String),
    #[error("cannot reach the AWS endpoint {endpoint}: {detail}")]
    Unreachable { endpoint: String, detail: String },
    #[error("{operation} failed: {detail}")]
    Refused { operation: &'static str, detail: String },
    #[error("{0}")]
    Setup(String),
    #[error("cancelled with Ctrl-C")]
    Cancelled,
    /// AWS answers a region the account has not enabled with AuthFailure, which reads like a
    /// credentials problem; this says what it is.
    #[error(
        "region {region} is an opt-in region that this account has not enabled (AWS answered {code}, which reads like a credentials problem but is not); enable it with `aws account enable-region --region-name {region}` and wait until `aws account get-region-opt-status --region-name {region}` says ENABLED, or choose another region"
    )]
    RegionNotEnabled { region: String, code: String },
}
