//! The conversation survives the process: atomic session file, --resume, undo/redo, history.
//!
//! Resume after `kill -9` restores the exact configuration; undo and redo; a damaged session file
//! is reported, not trusted.
mod common;

use std::io::{BufRead, BufReader, Write};
use std::time::Duration;

const CATALOG: [&str; 2] = ["--catalog", "tests/fixtures/catalog"];

fn piped(home: &std::path::Path, args: &[&str], input: &str) -> (bool, String, String) {
    let args: Vec<&str> = CATALOG.iter().chain(args).copied().collect();
    let out = common::agent_piped(home, &args, input);
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn resume_after_kill_9_restores_the_exact_configuration() {
    let state = tempfile::tempdir().unwrap();
    let mut child = common::agent(state.path()).args(CATALOG).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).for_each(|l| drop(tx.send(l))));
    let wait_for = |needle: &str| loop {
        let line = lines.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|_| panic!("no {needle:?}"));
        if line.contains(needle) {
            break;
        }
    };
    stdin.write_all(b"4 RAM\nchange min count to 2 and max count to 3\nenable autoscaling\nzones us-east-1b and us-east-1c\nhello\nhistory\n").unwrap();
    stdin.flush().unwrap();
    // `history` runs only after the fifth turn was saved.
    wait_for("  5. hello → out-of-scope()");
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();

    let (ok, out, err) = piped(state.path(), &["--resume"], "history\n");
    assert!(ok, "{err}");
    assert!(out.contains("Resumed 5 turns"), "{out}");
    for shown in [
        "│ InstanceType       ┆ t4g.medium",
        "│ MinCount           ┆ 2",
        "│ MaxCount           ┆ 3",
        "│ Autoscaling        ┆ enabled",
        "│ AvailabilityZones  ┆ us-east-1b, us-east-1c",
    ] {
        assert!(out.contains(shown), "{shown:?} missing:\n{out}");
    }
    assert!(out.contains("  2. change min count to 2 and max count to 3 → modify-ec2(MinCount=2, MaxCount=3)"), "{out}");
}

#[test]
fn undo_and_redo_step_through_configuration_changes() {
    let state = tempfile::tempdir().unwrap();
    let script = "change min count to 2 and max count to 3\nshow config\nchange max count to 5\nundo\nundo\nundo\nredo\n";
    let (ok, out, err) = piped(state.path(), &[], script);
    assert!(ok, "{err}");
    let after = |marker: &str| out.split(marker).nth(1).unwrap_or_else(|| panic!("no {marker:?} in {out}")).to_string();
    let first_undo = after("> undo\n");
    assert!(first_undo.contains("│ MaxCount     ┆ 3"), "undo goes back one change, past the show: {first_undo}");
    assert!(out.contains("Nothing to undo."), "{out}");
    let redo = after("> redo\n");
    assert!(redo.contains("│ MinCount     ┆ 2") && redo.contains("│ MaxCount     ┆ 3"), "{redo}");
}

#[test]
fn a_damaged_session_file_is_reported_not_trusted() {
    let state = tempfile::tempdir().unwrap();
    std::fs::create_dir(state.path().join("state")).unwrap();
    std::fs::write(state.path().join("state/session.json"), "{ not json").unwrap();
    let (ok, _, err) = piped(state.path(), &["--resume"], "");
    assert!(!ok);
    assert!(err.contains("is damaged or from another version"), "{err}");
    // Starting fresh keeps the old file beside the new one instead of losing it.
    let (ok, _, err) = piped(state.path(), &[], "4 RAM\n");
    assert!(ok, "{err}");
    assert_eq!(std::fs::read_to_string(state.path().join("state/session.prev.json")).unwrap(), "{ not json");
    assert!(std::fs::read_to_string(state.path().join("state/session.json")).unwrap().contains("\"utterance\": \"4 RAM\""));
}
