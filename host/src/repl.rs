//! The conversation loop: a line editor on a terminal, one utterance per line when piped.
//!
//! On a terminal it uses rustyline, with Tab completion from `completion`. With piped stdin it
//! reads one utterance per line and echoes each line, so a transcript reads like the conversation.
//! `quit`, `exit`, `undo`, `redo` (also "undo that"), `history`, `help` and empty lines are handled
//! here and never reach the router. When a model gives no answer, the next line `y` routes that
//! utterance with the offline router instead.
use crate::capability::confirm::{Confirm, is_yes};
use crate::completion::{REPL_COMMANDS, Words};
use crate::session::{Session, Turn};
use std::io::{BufRead, IsTerminal};
use std::sync::{Arc, Mutex};

pub const FIRST_PROMPT: &str = "Enter EC2 requirements - Amount of RAM and CPU cores:";

/// Whether a terminal is attached, so the REPL may ask questions before it starts.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// Asks a yes/no question on the terminal; anything but "y"/"yes" is no.
pub fn confirm(question: &str) -> bool {
    let mut editor = match rustyline::DefaultEditor::new() {
        Ok(e) => e,
        Err(_) => return false,
    };
    editor.readline(&format!("{question} [y/N] ")).is_ok_and(|a| is_yes(&a))
}

/// The terminal answers a question asked inside a turn (a teardown, a real-AWS deploy).
struct TerminalConfirm;

impl Confirm for TerminalConfirm {
    fn confirm(&mut self, question: &str, _details: &[String]) -> Result<bool, String> {
        Ok(confirm(question))
    }
}

/// Piped input, one line at a time, shared by the conversation and the questions asked inside a
/// turn: the line after a question is its answer. Bytes that are not UTF-8 are read as U+FFFD
/// rather than ending the conversation.
#[derive(Clone)]
struct Input(Arc<Mutex<std::io::BufReader<std::io::Stdin>>>);

impl Input {
    fn new() -> Input {
        Input(Arc::new(Mutex::new(std::io::BufReader::new(std::io::stdin()))))
    }

    fn next(&self) -> Option<std::io::Result<String>> {
        let mut bytes = Vec::new();
        let mut reader = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match reader.read_until(b'\n', &mut bytes) {
            Ok(0) => None,
            Ok(_) => {
                while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    bytes.pop();
                }
                Some(Ok(String::from_utf8_lossy(&bytes).into_owned()))
            }
            Err(e) => Some(Err(e)),
        }
    }
}

/// The next piped line answers a question asked inside a turn; it is echoed like any line.
struct PipedConfirm(Input);

impl Confirm for PipedConfirm {
    fn confirm(&mut self, question: &str, _details: &[String]) -> Result<bool, String> {
        println!("{question} (yes/no)");
        match self.0.next() {
            Some(Ok(answer)) => {
                println!("> {answer}");
                Ok(is_yes(&answer))
            }
            Some(Err(e)) => Err(format!("cannot read the answer: {e}")),
            None => Err("the input ended before an answer was given".into()),
        }
    }
}

/// `first_prompt`: ask for the requirements first (not when quiet, nor after a resume).
pub fn run(session: &mut Session, first_prompt: bool) -> std::io::Result<()> {
    if first_prompt {
        session.say(FIRST_PROMPT);
    }
    if interactive() {
        session.caps().confirm = Box::new(TerminalConfirm);
        line_editor(session)
    } else {
        let input = Input::new();
        session.caps().confirm = Box::new(PipedConfirm(input.clone()));
        piped(session, input)
    }
}

fn line_editor(session: &mut Session) -> std::io::Result<()> {
    use rustyline::error::ReadlineError;
    // At the prompt Ctrl-C is a key the editor reads; while an action runs, the actions that
    // can stop cleanly (a model call, a deployment, a console stream) listen for it themselves.
    // Anything else (a plugin call, bounded by its fuel; a teardown) finishes: Ctrl-C must not
    // end the conversation half-way through one. Piped sessions keep the default, so a script
    // can still be interrupted.
    // SAFETY: setting a signal's disposition to SIG_IGN has no preconditions.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
    let mut editor: rustyline::Editor<Words, rustyline::history::DefaultHistory> = rustyline::Editor::new().map_err(std::io::Error::other)?;
    editor.set_helper(Some(completion_words(session)));
    // Lines typed in earlier runs come back with the up arrow; a missing file is a first run.
    let history = crate::paths::state_dir().join("history.txt");
    if let Some(dir) = history.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = editor.load_history(&history);
    let mut pending = None;
    loop {
        match editor.readline("> ") {
            Ok(line) => {
                // A refused line (too long) stays out of the history, the router and the journal.
                let Some(line) = admitted(session, &line) else { continue };
                let _ = editor.add_history_entry(line.as_str());
                let _ = editor.append_history(&history);
                if !handle(session, &line, &mut pending) {
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

fn completion_words(session: &Session) -> Words {
    let mut words: Vec<String> = REPL_COMMANDS.iter().map(|w| w.to_string()).collect();
    for spec in session.registry().specs() {
        words.push(spec.name.clone());
        for p in &spec.params {
            words.push(p.name.clone());
            words.extend(p.synonyms.iter().filter(|s| !s.contains(' ')).cloned());
        }
    }
    Words::new(words)
}

fn piped(session: &mut Session, input: Input) -> std::io::Result<()> {
    let mut pending = None;
    while let Some(line) = input.next() {
        let line = line?;
        let Some(line) = admitted(session, &line) else { continue };
        // Echo the utterance so a transcript reads like the conversation it was.
        session.say(&format!("> {line}"));
        if !handle(session, &line, &mut pending) {
            break;
        }
    }
    Ok(())
}

/// The line as the conversation reads it, escape sequences and control characters removed (and
/// said); None, with the reason said, for a line over the limit, which is never echoed whole.
fn admitted(session: &mut Session, line: &str) -> Option<String> {
    match crate::input::admit(line) {
        Ok(text) => {
            if let Some(note) = crate::input::note(line, &text) {
                session.say(&note);
            }
            Some(text.into_owned())
        }
        Err(refusal) => {
            session.caps().console.print_problem(&refusal.to_string());
            None
        }
    }
}

/// "undo that", "Undo.", "redo please": a REPL command with only a word of reference or
/// courtesy around it, so "undo that" steps back rather than reaching the router.
fn command_word(line: &str) -> Option<&'static str> {
    const AROUND: [&str; 8] = ["that", "it", "this", "please", "the", "last", "change", "again"];
    let words: Vec<String> = line.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()).filter(|w| !w.is_empty()).collect();
    let (first, rest) = words.split_first()?;
    let command = ["undo", "redo"].into_iter().find(|c| c == first)?;
    rest.iter().all(|w| AROUND.contains(&w.as_str())).then_some(command)
}

/// Handles one line; false when the user asked to leave. `pending` is an utterance the model
/// could not answer, which a `y` on the next line routes offline instead.
fn handle(session: &mut Session, line: &str, pending: &mut Option<String>) -> bool {
    if let Some(utterance) = pending.take()
        && is_yes(line)
    {
        session.turn_offline(&utterance);
        return true;
    }
    match command_word(line).unwrap_or(line.trim()) {
        "" => {}
        "quit" | "exit" => return false,
        "undo" => {
            session.undo();
        }
        "redo" => {
            session.redo();
        }
        "history" => {
            let turns = &session.journal().turns;
            let lines: Vec<String> = turns
                .iter()
                .enumerate()
                .map(|(i, t)| format!("{:>3}. {} → {}{}", i + 1, t.utterance, t.call, if t.ok { "" } else { " (did not finish)" }))
                .collect();
            let text = if lines.is_empty() { "No turns yet.".to_string() } else { lines.join("\n") };
            session.say(&text);
        }
        "help" => {
            let help = help_text(session);
            session.say(&help);
        }
        text => {
            if let Turn::Unanswered { .. } = session.turn(text)
                && session.router().fallback().is_some()
            {
                session.say("Route it with the offline router instead? Answer y (anything else skips it).");
                *pending = Some(text.to_string());
            }
        }
    }
    true
}

fn help_text(session: &Session) -> String {
    let mut out = String::from("What you can ask (also: undo, redo, history; quit or Ctrl-D to leave):");
    for spec in session.registry().specs() {
        out.push_str(&format!("\n  {} — {}", spec.name, spec.docstring));
        for example in spec.examples.iter().take(2) {
            out.push_str(&format!("\n      e.g. \"{}\"", example.utterance));
        }
    }
    out
}
