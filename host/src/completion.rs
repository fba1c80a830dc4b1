//! Tab completion for the terminal REPL: REPL commands, intent names, parameter names and
//! their synonyms, all taken from the loaded plugins.
use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

/// Words the REPL itself understands.
pub const REPL_COMMANDS: [&str; 6] = ["help", "history", "undo", "redo", "quit", "exit"];

pub struct Words(Vec<String>);

impl Words {
    pub fn new(mut words: Vec<String>) -> Words {
        words.sort();
        words.dedup();
        Words(words)
    }

    /// Where the word being typed starts, and the known words it could become.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let before = &line[..pos.min(line.len())];
        let start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let prefix = before[start..].to_lowercase();
        let found = self.0.iter().filter(|w| !prefix.is_empty() && w.to_lowercase().starts_with(&prefix)).cloned().collect();
        (start, found)
    }
}

impl Completer for Words {
    type Candidate = String;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.candidates(line, pos))
    }
}

impl Hinter for Words {
    type Hint = String;
}

impl Highlighter for Words {}

impl Validator for Words {}

impl Helper for Words {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_the_word_under_the_cursor() {
        let words = Words::new(vec!["MinCount".into(), "MinSize".into(), "modify-asg".into(), "history".into()]);
        assert_eq!(words.candidates("set mi", 6), (4, vec!["MinCount".to_string(), "MinSize".into()]));
        assert_eq!(words.candidates("hist", 4), (0, vec!["history".to_string()]));
        assert_eq!(words.candidates("set ", 4).1, Vec::<String>::new());
    }
}
