//! Where aws-agent finds its built-in plugins and keeps its caches.
//!
//! Built-in plugins: `target/plugins` beside the binary's `release/` folder, else
//! `./target/plugins`. Cache: `AWS_AGENT_CACHE_DIR`, else the user cache directory, else a folder
//! under the temp directory. State (session file, line history, log): `AWS_AGENT_STATE_DIR`, else
//! the user state directory. The source checkout the binary was built in, for `.venv` and
//! `data/refresh.sh`.
use std::path::PathBuf;

/// `make build` puts the built-in plugins in `target/plugins`, beside `target/release`.
pub fn builtin_plugins() -> PathBuf {
    let beside_exe = std::env::current_exe().ok().and_then(|exe| exe.parent().and_then(|dir| dir.parent()).map(|target| target.join("plugins")));
    match beside_exe {
        Some(dir) if dir.is_dir() => dir,
        _ => PathBuf::from("target/plugins"),
    }
}

/// The source checkout this binary was built in (it runs as `<checkout>/target/release/aws-agent`),
/// where `make` put the simulator's venv and the catalog generator lives.
pub fn checkout() -> Option<PathBuf> {
    std::env::current_exe().ok()?.ancestors().nth(3).map(PathBuf::from)
}

/// What is kept between runs — the session file, line history, log: `AWS_AGENT_STATE_DIR`, else
/// the user's state directory, else a folder under the temp dir.
pub fn state_dir() -> PathBuf {
    match std::env::var_os("AWS_AGENT_STATE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => directories::ProjectDirs::from("", "", "aws-agent")
            .map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())
            .unwrap_or_else(|| std::env::temp_dir().join("aws-agent-state")),
    }
}

/// Where the conversation is kept between runs.
pub fn session_file() -> PathBuf {
    state_dir().join("session.json")
}

/// `AWS_AGENT_CACHE_DIR`, else the user's cache directory, else a folder under the temp dir.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("AWS_AGENT_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "aws-agent").map(|d| d.cache_dir().to_path_buf()).unwrap_or_else(|| std::env::temp_dir().join("aws-agent-cache"))
}
