//! Where aws-agent finds its built-in plugins and keeps its caches.
use std::path::PathBuf;

/// `make build` puts the built-in plugins in `target/plugins`, beside `target/release`.
pub fn builtin_plugins() -> PathBuf {
    let beside_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().and_then(|dir| dir.parent()).map(|target| target.join("plugins")));
    match beside_exe {
        Some(dir) if dir.is_dir() => dir,
        _ => PathBuf::from("target/plugins"),
    }
}

/// Where the conversation is kept between runs: `AWS_AGENT_STATE_DIR`, else the user's state
/// directory, else a folder under the temp dir.
pub fn session_file() -> PathBuf {
    let dir = match std::env::var_os("AWS_AGENT_STATE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => directories::ProjectDirs::from("", "", "aws-agent")
            .map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())
            .unwrap_or_else(|| std::env::temp_dir().join("aws-agent-state")),
    };
    dir.join("session.json")
}

/// `AWS_AGENT_CACHE_DIR`, else the user's cache directory, else a folder under the temp dir.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("AWS_AGENT_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "aws-agent")
        .map(|d| d.cache_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("aws-agent-cache"))
}
