//! A state directory belongs to one process at a time.
//!
//! The REPL and `aws-agent mcp` keep a conversation in the state directory (`session.json`,
//! `mcp-session*.json`, `history.txt`) and rewrite it every turn; two processes on the same
//! directory would overwrite, or move aside, each other's files. Before either touches them it
//! takes an advisory lock ([`std::fs::File::try_lock`]: `flock` on Unix, `LockFileEx` on
//! Windows) on [`LOCK_FILE`] in the directory and holds it until it exits, crash included (the
//! system drops the lock with the process, so a stale lock never blocks anyone). The holder
//! writes who it is into the file — process id, command line, since when — so a second process
//! can say who holds the directory and how to run beside it, and stops without touching a file.
//!
//! Commands that keep nothing there (`route`, `catalog`, `eval`, …) take no lock.
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file's name in the state directory.
pub const LOCK_FILE: &str = "aws-agent.lock";

/// The state directory, held until this is dropped (or the process ends).
#[derive(Debug)]
pub struct StateLock {
    _file: File,
}

/// Who holds a state directory, as the holder wrote it into the lock file: `pid=…`, `since=…`
/// (seconds since 1970, UTC) and `command=…` lines. Plain lines, written with what start-up
/// already runs: a JSON or date formatter here would be code read from disk for this alone,
/// before the first prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    /// When it took the lock, in seconds since 1970 (UTC).
    pub since: u64,
    /// The holder's command line.
    pub command: String,
}

impl Holder {
    fn of_this_process() -> Holder {
        let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Holder { pid: std::process::id(), since, command: command_line() }
    }

    fn read(text: &str) -> Option<Holder> {
        let field = |name: &str| text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix('='));
        Some(Holder { pid: field("pid")?.parse().ok()?, since: field("since")?.parse().ok()?, command: field("command")?.to_string() })
    }

    fn text(&self) -> String {
        format!("pid={}\nsince={}\ncommand={}\n", self.pid, self.since, self.command.replace('\n', " "))
    }

    /// "2026-05-01 10:03:12 UTC".
    fn since_shown(&self) -> String {
        let at = i64::try_from(self.since).ok().and_then(|s| chrono::DateTime::from_timestamp(s, 0));
        at.map_or_else(|| format!("{} seconds after 1970", self.since), |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds the directory; `holder` is `None` if it has not said who it is yet.
    #[error("{}", held_message(dir, holder.as_ref()))]
    Held { dir: PathBuf, holder: Option<Holder> },
    /// The lock file cannot be made or locked (an unwritable directory, a file system without locks).
    #[error("cannot lock the state directory {}: {source}", dir.display())]
    Io { dir: PathBuf, source: std::io::Error },
}

/// Takes `dir` (made if missing) for this process, or says who holds it.
pub fn acquire(dir: &Path) -> Result<StateLock, LockError> {
    let io = |source| LockError::Io { dir: dir.to_path_buf(), source };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(dir.join(LOCK_FILE)).map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let holder = file.read_to_string(&mut text).ok().and_then(|_| Holder::read(&text));
            return Err(LockError::Held { dir: dir.to_path_buf(), holder });
        }
        Err(TryLockError::Error(source)) => return Err(io(source)),
    }
    let said = Holder::of_this_process().text();
    file.set_len(0).and_then(|()| file.rewind()).and_then(|()| file.write_all(said.as_bytes())).and_then(|()| file.flush()).map_err(io)?;
    Ok(StateLock { _file: file })
}

/// This process's command line as the user typed it, the program by its file name.
fn command_line() -> String {
    let mut args = std::env::args();
    let program = args.next().map(|p| Path::new(&p).file_name().map_or(p.clone(), |f| f.to_string_lossy().into_owned())).unwrap_or_default();
    let line: Vec<String> = std::iter::once(program).chain(args).collect();
    line.join(" ")
}

fn held_message(dir: &Path, holder: Option<&Holder>) -> String {
    let who = match holder {
        Some(h) => format!("process {} (`{}`, since {})", h.pid, crate::input::cut(&h.command, 80), h.since_shown()),
        None => "another aws-agent process".into(),
    };
    let beside = format!("{}-2", dir.display());
    format!(
        "the state directory {} is in use by {who}, which keeps its conversation there; nothing was changed. To run beside it, give this one a directory of its own: AWS_AGENT_STATE_DIR={beside}",
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_the_second_hears_who() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let held = acquire(&state).expect("a free directory is taken");
        match acquire(&state) {
            Err(LockError::Held { holder: Some(h), .. }) => assert_eq!(h.pid, std::process::id()),
            other => panic!("{other:?}"),
        }
        drop(held);
        let again = acquire(&state).expect("a released directory is free");
        let text = std::fs::read_to_string(state.join(LOCK_FILE)).unwrap();
        assert_eq!(Holder::read(&text).map(|h| h.pid), Some(std::process::id()), "{text}");
        drop(again);
    }

    #[test]
    fn the_message_names_the_holder_and_the_way_beside_it() {
        let holder = Holder { pid: 4242, command: "aws-agent mcp --http 127.0.0.1:8080".into(), since: 1_777_629_792 };
        assert_eq!(Holder::read(&holder.text()), Some(holder.clone()));
        let message = held_message(Path::new("/home/u/.local/state/aws-agent"), Some(&holder));
        assert_eq!(
            message,
            "the state directory /home/u/.local/state/aws-agent is in use by process 4242 (`aws-agent mcp --http 127.0.0.1:8080`, since 2026-05-01 10:03:12 UTC), which keeps its conversation there; nothing was changed. To run beside it, give this one a directory of its own: AWS_AGENT_STATE_DIR=/home/u/.local/state/aws-agent-2"
        );
        assert!(held_message(Path::new("/s"), None).contains("in use by another aws-agent process"));
    }
}
