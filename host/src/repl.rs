//! The conversation loop: a line editor on a terminal, one utterance per line when piped.
use crate::session::Session;
use std::io::{BufRead, IsTerminal};

pub const FIRST_PROMPT: &str = "Enter EC2 requirements - Amount of RAM and CPU cores:";

pub fn run(session: &mut Session) -> std::io::Result<()> {
    session.say(FIRST_PROMPT);
    if std::io::stdin().is_terminal() {
        interactive(session)
    } else {
        piped(session)
    }
}

fn interactive(session: &mut Session) -> std::io::Result<()> {
    use rustyline::error::ReadlineError;
    let mut editor = rustyline::DefaultEditor::new().map_err(std::io::Error::other)?;
    loop {
        match editor.readline("> ") {
            Ok(line) => {
                let _ = editor.add_history_entry(line.as_str());
                if !handle(session, &line) {
                    return Ok(());
                }
            }
            // Ctrl-C drops the line being typed, not the session.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => return Ok(()),
            Err(e) => return Err(std::io::Error::other(e)),
        }
    }
}

fn piped(session: &mut Session) -> std::io::Result<()> {
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        // Echo the utterance so a transcript reads like the conversation it was.
        session.say(&format!("> {line}"));
        if !handle(session, &line) {
            break;
        }
    }
    Ok(())
}

/// Handles one line; false when the user asked to leave.
fn handle(session: &mut Session, line: &str) -> bool {
    match line.trim() {
        "" => {}
        "quit" | "exit" => return false,
        "help" => {
            let help = help_text(session);
            session.say(&help);
        }
        text => {
            session.turn(text);
        }
    }
    true
}

fn help_text(session: &Session) -> String {
    let mut out = String::from("What you can ask (quit or Ctrl-D to leave):");
    for spec in session.registry().specs() {
        out.push_str(&format!("\n  {} — {}", spec.name, spec.docstring));
        for example in spec.examples.iter().take(2) {
            out.push_str(&format!("\n      e.g. \"{}\"", example.utterance));
        }
    }
    out
}
