//! A `Confirm` that answers from a script and records every question with its details.
use aws_agent::capability::confirm::Confirm;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// (question, details) of every question asked.
pub type Asked = Arc<Mutex<Vec<(String, Vec<String>)>>>;

pub struct Scripted {
    answers: VecDeque<bool>,
    asked: Asked,
}

/// Answers `answers` in order, then no.
pub fn answering(answers: &[bool]) -> (Box<dyn Confirm>, Asked) {
    let asked = Asked::default();
    (Box::new(Scripted { answers: answers.iter().copied().collect(), asked: asked.clone() }), asked)
}

impl Confirm for Scripted {
    fn confirm(&mut self, question: &str, details: &[String]) -> Result<bool, String> {
        self.asked.lock().expect("not poisoned").push((question.to_string(), details.to_vec()));
        Ok(self.answers.pop_front().unwrap_or(false))
    }
}
