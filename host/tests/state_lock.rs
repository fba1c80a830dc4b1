//! Two real processes, one state directory: the first REPL holds it; a second REPL or an MCP
//! server started beside it stops with the holder's pid and command and the way to run beside
//! it, and leaves the first one's session file where it is. Once the first leaves, the directory
//! is free; with a directory of its own, the second runs beside it.
mod common;

use std::io::Write;
use std::process::{Child, Output};
use std::time::{Duration, Instant};

/// A REPL reading piped input that has not ended: it holds the state directory while it waits.
fn waiting_repl(home: &std::path::Path) -> Child {
    common::agent(home).args(["--catalog", "tests/fixtures/catalog"]).spawn().expect("the REPL starts")
}

/// Waits until the lock file names `pid` (the first process has taken the directory).
fn until_held_by(home: &std::path::Path, pid: u32) {
    let lock = home.join("state").join(aws_agent::state_lock::LOCK_FILE);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains(&format!("pid={pid}\n"))) {
        assert!(Instant::now() < deadline, "the first process never took the state directory");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn run(home: &std::path::Path, args: &[&str], input: &str) -> Output {
    let mut child = common::agent(home).args(args).spawn().expect("starts");
    // A process that stops at once never reads its input.
    let _ = child.stdin.take().expect("piped").write_all(input.as_bytes());
    child.wait_with_output().expect("ends")
}

#[test]
fn a_second_process_on_the_same_state_dir_stops_and_says_who_holds_it() {
    let home = tempfile::tempdir().unwrap();
    let mut first = waiting_repl(home.path());
    until_held_by(home.path(), first.id());
    // The first one's conversation, as it would be after a turn.
    let session = home.path().join("state/session.json");
    let stdin = first.stdin.as_mut().unwrap();
    stdin.write_all(b"4 RAM\n").unwrap();
    stdin.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    // Saved once the turn is done (the file may be written before it, empty).
    let turn_saved = || std::fs::read_to_string(&session).is_ok_and(|s| s.contains("\"4 RAM\"") && s.contains("\"ok\""));
    while !turn_saved() {
        assert!(Instant::now() < deadline, "the first REPL saved no session file with its turn");
        std::thread::sleep(Duration::from_millis(50));
    }
    let saved = std::fs::read(&session).unwrap();

    for args in [&["--catalog", "tests/fixtures/catalog"][..], &["mcp"][..], &["--resume"][..]] {
        let out = run(home.path(), args, "show config\n");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&format!("in use by process {} (`aws-agent --catalog tests/fixtures/catalog`, since ", first.id())), "{args:?}: {err}");
        assert!(err.contains(&format!("AWS_AGENT_STATE_DIR={}-2", home.path().join("state").display())), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} answered: {}", String::from_utf8_lossy(&out.stdout));
    }
    assert_eq!(std::fs::read(&session).unwrap(), saved, "the first one's session file was touched");
    let beside: Vec<_> = std::fs::read_dir(home.path().join("state")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!beside.iter().any(|n| n.to_string_lossy().contains("session") && n != "session.json"), "a session file was moved aside: {beside:?}");

    // Commands that keep nothing in the state directory still run beside it.
    let out = run(home.path(), &["--catalog", "tests/fixtures/catalog", "route", "4 RAM"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // A directory of its own runs beside the first.
    let other = tempfile::tempdir().unwrap();
    let out = run(other.path(), &["--catalog", "tests/fixtures/catalog", "--quiet"], "show config\n");
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("InstanceType"), "{}", String::from_utf8_lossy(&out.stderr));

    // Once the first leaves, the directory is free again.
    drop(first.stdin.take());
    assert!(first.wait().unwrap().success());
    let out = run(home.path(), &["--catalog", "tests/fixtures/catalog", "--resume", "--quiet"], "show config\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
