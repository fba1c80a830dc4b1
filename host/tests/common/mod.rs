//! Shared set-up for the integration tests: the real components `make test` builds, a real
//! catalog, and a console that records what the user would see.
//!
//! Compiled components are cached in `target/test-cache`, shared by every test.
#![allow(dead_code)]
use aws_agent::capability::console::Sink;
use aws_agent::catalog::Source;
use aws_agent::plugin::{Limits, PluginDir};
use aws_agent::session::{Options, Session};
use std::path::PathBuf;

pub mod confirm;
pub mod fake_aws;
pub mod model_server;
pub mod moto;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("host/ has a parent").to_path_buf()
}

fn built(dir: &str) -> PathBuf {
    let path = repo().join("target").join(dir);
    assert!(path.is_dir(), "{} is missing: run `make test`, which builds the components first", path.display());
    path
}

pub fn builtin_plugins() -> PathBuf {
    built("plugins")
}

pub fn test_plugins() -> PathBuf {
    built("test-plugins")
}

/// Test plugins that lie in their spec, which the host refuses at load.
pub fn lying_plugins() -> PathBuf {
    built("lying-plugins")
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A cache shared by the tests of one run; compiled components and catalogs are reused.
pub fn cache_dir() -> PathBuf {
    repo().join("target/test-cache")
}

/// A session over `plugin_dirs` and the fixture catalog, and the messages of what failed to load.
pub fn start(plugin_dirs: Vec<PluginDir>) -> (Session, Vec<String>) {
    start_with(plugin_dirs, Source::Directory(fixtures().join("catalog")), Limits::default())
}

fn start_with(plugin_dirs: Vec<PluginDir>, catalog: Source, limits: Limits) -> (Session, Vec<String>) {
    start_routed(plugin_dirs, catalog, limits, aws_agent::llm::Settings::offline())
}

fn start_routed(plugin_dirs: Vec<PluginDir>, catalog: Source, limits: Limits, llm: aws_agent::llm::Settings) -> (Session, Vec<String>) {
    start_in(plugin_dirs, catalog, limits, llm, cache_dir())
}

/// The plugins of `dir` (trusted) and the fixture catalog, with compiled components cached in
/// `cache` rather than the shared test cache.
pub fn session_cached_in(dir: PathBuf, cache: &std::path::Path) -> Session {
    let (session, errors) = start_in(
        vec![trusted(dir)],
        Source::Directory(fixtures().join("catalog")),
        Limits::default(),
        aws_agent::llm::Settings::offline(),
        cache.to_path_buf(),
    );
    assert!(errors.is_empty(), "plugins failed to load: {errors:?}");
    session
}

fn start_in(plugin_dirs: Vec<PluginDir>, catalog: Source, limits: Limits, llm: aws_agent::llm::Settings, cache_dir: PathBuf) -> (Session, Vec<String>) {
    let options = Options {
        plugin_dirs,
        grants: Default::default(),
        catalog,
        cache_dir,
        limits,
        sink: Sink::Buffer(vec![]),
        aws: Default::default(),
        region: "us-east-1".into(),
        quiet: false,
        llm,
    };
    let (session, errors) = Session::start(options).expect("runtime starts");
    (session, errors.iter().map(ToString::to_string).collect())
}

/// A trusted plugin folder (like the built-in one: grants have their own tests).
pub fn trusted(path: PathBuf) -> PluginDir {
    PluginDir { path, builtin: true }
}

/// A session over `plugin_dirs`, all trusted, every plugin of which must load.
pub fn session_with(plugin_dirs: Vec<PathBuf>, catalog: Source, limits: Limits) -> Session {
    let (session, errors) = start_with(plugin_dirs.into_iter().map(trusted).collect(), catalog, limits);
    assert!(errors.is_empty(), "plugins failed to load: {errors:?}");
    session
}

pub fn session() -> Session {
    session_with(vec![builtin_plugins()], Source::Directory(fixtures().join("catalog")), Limits::default())
}

/// Like [`session`], routed by the backend `llm` describes.
pub fn session_routed(llm: aws_agent::llm::Settings) -> Session {
    let (session, errors) = start_routed(vec![trusted(builtin_plugins())], Source::Directory(fixtures().join("catalog")), Limits::default(), llm);
    assert!(errors.is_empty(), "plugins failed to load: {errors:?}");
    session
}

/// Runs one utterance and returns everything it printed.
pub fn say(session: &mut Session, text: &str) -> String {
    session.turn(text);
    session.caps().console.take_lines().join("\n")
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_aws-agent"))
}

/// The binary, run from the repository root with the tests' cache, and with `home`'s own
/// session state and config file so that no test reads or writes the user's.
pub fn agent(home: &std::path::Path) -> std::process::Command {
    use std::process::Stdio;
    let mut command = std::process::Command::new(binary());
    command
        .env("AWS_AGENT_CACHE_DIR", cache_dir())
        .env("AWS_AGENT_STATE_DIR", home.join("state"))
        .env("AWS_AGENT_CONFIG", home.join("config.toml"))
        .env_remove("AWS_AGENT_REGION")
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs the binary with `args`, `input` on stdin, to the end.
pub fn agent_piped(home: &std::path::Path, args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = agent(home).args(args).spawn().expect("the binary runs");
    child.stdin.take().expect("stdin is piped").write_all(input.as_bytes()).expect("the binary reads its input");
    child.wait_with_output().expect("the binary finishes")
}
