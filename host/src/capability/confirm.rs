//! Consent for side effects that cost money or cannot be undone: a teardown, and a deploy to
//! real AWS. The capability that performs the side effect asks, right where it happens, after it
//! has shown what it will do; the surface the user is on answers.
//!
//! - The REPL asks on the terminal, or reads the next piped line, and takes "yes" or "y"
//!   (anything else is no).
//! - One-shot commands take an explicit flag (`teardown --all --yes`): [`Answer::Yes`], or
//!   without it [`Answer::No`] with the hint.
//! - The MCP server asks through elicitation, and refuses where the client cannot elicit.

/// Who answers the question before a side effect.
pub trait Confirm: Send {
    /// Asks `question`; `details` (what will be created or deleted, one line each) were shown
    /// just before it. `Ok(true)` only for an explicit yes; `Err` when nobody can be asked, with
    /// what to do instead.
    fn confirm(&mut self, question: &str, details: &[String]) -> Result<bool, String>;
}

/// A fixed answer, for surfaces with no one to ask.
pub enum Answer {
    /// The user said yes in advance (`--yes`).
    Yes,
    /// Nobody can be asked: refuse, saying how to go ahead.
    No(String),
}

impl Confirm for Answer {
    fn confirm(&mut self, _question: &str, _details: &[String]) -> Result<bool, String> {
        match self {
            Answer::Yes => Ok(true),
            Answer::No(how) => Err(how.clone()),
        }
    }
}

/// What a session starts with until its surface says who answers: nobody.
pub fn nobody() -> Box<dyn Confirm> {
    Box::new(Answer::No("this needs your confirmation, and nobody here can be asked; run it in the REPL, or pass --yes".into()))
}

/// Whether a typed answer is an explicit yes.
pub fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}
