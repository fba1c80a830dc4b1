//! Deployment to AWS. This build has no AWS client yet: every call explains that, changes
//! nothing and sends nothing, so the deploy intent can show what it would deploy.
use super::config::Configuration;

pub struct Deployment {
    pub created: Vec<String>,
    pub instance_ids: Vec<String>,
}

pub trait Aws: Send {
    fn deploy(&mut self, config: &Configuration) -> Result<Deployment, String>;
    fn stream_console(&mut self, instance_id: &str) -> Result<(), String>;
    fn teardown(&mut self) -> Result<Vec<String>, String>;
}

/// The AWS capability before a deployment backend exists.
pub struct NotConnected;

const NOT_CONNECTED: &str = "Nothing was deployed: this build of aws-agent does not talk to AWS yet. The commands above show what a deployment would send.";

impl Aws for NotConnected {
    fn deploy(&mut self, _config: &Configuration) -> Result<Deployment, String> {
        Err(NOT_CONNECTED.into())
    }

    fn stream_console(&mut self, _instance_id: &str) -> Result<(), String> {
        Err(NOT_CONNECTED.into())
    }

    fn teardown(&mut self) -> Result<Vec<String>, String> {
        Err(NOT_CONNECTED.into())
    }
}
