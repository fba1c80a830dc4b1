//! The AWS capability as plugins see it; `crate::aws` implements it over the SDK.
//!
//! `crate::aws::AwsBackend` implements `Aws` over the SDK; the plugin test harness implements it
//! with a recorder.
use super::config::Configuration;
use super::console::Console;

pub struct Deployment {
    pub created: Vec<String>,
    pub instance_ids: Vec<String>,
}

pub trait Aws: Send {
    /// Deploys `config`; on failure, deletes whatever it had created and says so.
    fn deploy(&mut self, config: &Configuration, console: &mut Console) -> Result<Deployment, String>;
    fn stream_console(&mut self, instance_id: &str, console: &mut Console) -> Result<(), String>;
    /// Deletes what this session deployed; returns what was deleted.
    fn teardown(&mut self, console: &mut Console) -> Result<Vec<String>, String>;
    /// The architecture of `image_id` in `region`, if an endpoint is already up to ask (nothing
    /// is started for this); None when unknown.
    fn image_architecture(&mut self, _region: &str, _image_id: &str) -> Option<String> {
        None
    }
}
