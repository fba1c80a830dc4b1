//! What the benchmarks share: the checkout, medians, and a session over chosen plugin folders.
use aws_agent::capability::console::Sink;
use aws_agent::catalog::Source;
use aws_agent::plugin::{Limits, PluginDir};
use aws_agent::session::{Options, Session};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("host/ has a parent").to_path_buf()
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// A session over the trusted plugin folders `dirs` (relative to the checkout), with the
/// default limits; every plugin must load.
pub fn session(cache: &Path, dirs: &[&str], catalog: Source) -> Session {
    let options = Options {
        plugin_dirs: dirs.iter().map(|dir| PluginDir { path: repo().join(dir), builtin: true }).collect(),
        grants: Default::default(),
        catalog,
        cache_dir: cache.to_path_buf(),
        limits: Limits::default(),
        sink: Sink::Buffer(vec![]),
        aws: Default::default(),
        region: "us-east-1".into(),
        quiet: false,
        llm: aws_agent::llm::Settings::offline(),
    };
    let (session, errors) = Session::start(options).expect("the runtime starts");
    assert!(errors.is_empty(), "run `make build test-plugins` first: {errors:?}");
    session
}
