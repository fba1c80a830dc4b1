//! The log file: every routed call and every capability call, for finding out afterwards what
//! happened (the seed prototype's app.log). `--verbose` also shows it on stderr.
use std::path::Path;
use std::sync::Mutex;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, fmt};

/// Starts logging to `path` (appending); a log that cannot be opened is reported, not fatal.
/// A server (`serving`) also logs its requests to stderr, since stdout may be its protocol.
pub fn init(path: &Path, verbose: bool, serving: bool) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| format!("cannot open the log file {}: {e}", path.display()))?;
    let level = if verbose { tracing::Level::DEBUG } else { tracing::Level::INFO };
    // Our own debug events (each model pass with its prompt size, each capability call) are the
    // point of --verbose; the libraries' (every HTTP connection the SDKs make) would bury them.
    let ours = |level| Targets::new().with_default(tracing::Level::WARN).with_target("aws_agent", level);
    let to_file = fmt::layer().with_writer(Mutex::new(file)).with_ansi(false).with_filter(ours(level));
    let to_stderr = match (verbose, serving) {
        (true, _) => Some(ours(tracing::Level::DEBUG)),
        // A server's operator sees each request and anything that went wrong, not every capability call.
        (false, true) => Some(Targets::new().with_default(tracing::Level::WARN).with_target("aws_agent::mcp", tracing::Level::INFO)),
        (false, false) => None,
    };
    let to_stderr = to_stderr.map(|targets| fmt::layer().with_writer(std::io::stderr).without_time().with_filter(targets));
    tracing_subscriber::registry().with(to_file).with(to_stderr).try_init().map_err(|e| e.to_string())
}
