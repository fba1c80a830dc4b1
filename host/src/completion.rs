//! Tab completion for the terminal REPL: REPL commands, intent names, parameter names and
//! their synonyms, all taken from the loaded plugins.
//!
//! Positions are byte offsets into the line (rustyline's cursor), and every cut is made on a
//! character boundary: a word starts after the last whitespace character of any width (a
//! no-break space is two bytes, an ideographic space three), and a cursor inside a character
//! counts as the start of it.
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

    /// Where the word being typed starts (a byte offset on a character boundary), and the known
    /// words it could become. Any `line` and `pos` are taken; a `pos` past the end is the end.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let before = &line[..line.floor_char_boundary(pos)];
        let start = before.char_indices().rfind(|(_, c)| c.is_whitespace()).map_or(0, |(i, c)| i + c.len_utf8());
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

    /// Pasted text often carries a no-break space or an ideographic space: wider than one byte.
    #[test]
    fn a_wide_space_before_the_word_is_one_character() {
        let words = Words::new(vec!["MinCount".into(), "history".into()]);
        for space in ['\u{a0}', '\u{3000}', '\u{2003}'] {
            let line = format!("set{space}mi");
            assert_eq!(words.candidates(&line, line.len()), (3 + space.len_utf8(), vec!["MinCount".to_string()]), "{space:?}");
            let line = format!("{space}");
            assert_eq!(words.candidates(&line, line.len()), (line.len(), vec![]));
            // A cursor inside the space counts as before it.
            assert_eq!(words.candidates(&line, 1), (0, vec![]));
        }
        assert_eq!(words.candidates("hist", 99), (0, vec!["history".to_string()]));
    }
}
