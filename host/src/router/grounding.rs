//! Grounded arguments: every value a model proposes must be backed by what the user said —
//! the seed's rule that application code, not the model, has the last word. Small models copy
//! the prompt's examples and defaults into their calls ("find the cheapest 8 GB instance" →
//! `cpu=2` added); an argument nothing backs is left out and the user is told.
//!
//! A value is backed when it is a number the utterance contains (number words and thousands
//! groups read as the offline router reads them), text the utterance contains, a value the
//! offline router reads from the utterance for any intent (units converted, places read as
//! region codes, value words such as "graviton" → arm64), or the same argument's value in an
//! earlier call of the conversation (a follow-up repeats what was said before). Nothing here
//! names an intent: the evidence is the specs' own readings.
use super::offline::OfflineRouter;
use super::text;
use super::{Call, Context};
use crate::plugin::spec::Value;

/// What backs argument values in one turn.
pub struct Evidence {
    said: String,
    numbers: Vec<f64>,
    read: Vec<Value>,
    earlier: Vec<(String, Value)>,
}

impl Evidence {
    pub fn of(offline: &OfflineRouter, utterance: &str, context: &Context) -> Evidence {
        let numbers = text::tokens(utterance).iter().filter_map(|t| t.text.parse::<f64>().ok()).collect();
        let read = offline.scores(utterance).into_iter().flat_map(|s| s.args.into_iter().map(|(_, v)| v)).collect();
        let earlier = context.history.iter().flat_map(|e| e.call.args.iter().cloned()).collect();
        Evidence { said: utterance.to_lowercase(), numbers, read, earlier }
    }

    fn backs(&self, name: &str, value: &Value) -> bool {
        if self.read.iter().any(|r| same(r, value)) || self.earlier.iter().any(|(n, v)| n == name && same(v, value)) {
            return true;
        }
        match value {
            Value::Int(i) => self.numbers.contains(&(*i as f64)),
            Value::Float(f) => self.numbers.contains(f),
            Value::Text(t) => self.mentions(t),
            Value::TextList(items) => {
                let read_items = self.read.iter().filter_map(|r| if let Value::TextList(l) = r { Some(l) } else { None }).flatten();
                let read_items: Vec<&String> = read_items.collect();
                items.iter().all(|t| self.mentions(t) || read_items.iter().any(|r| r.eq_ignore_ascii_case(t)))
            }
        }
    }

    fn mentions(&self, text: &str) -> bool {
        !text.trim().is_empty() && self.said.contains(&text.to_lowercase())
    }
}

/// Equal as the user meant them: 8 and 8.0 are one amount, "ARM64" and "arm64" one word.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => *i as f64 == *f,
        (Value::Text(x), Value::Text(y)) => x.eq_ignore_ascii_case(y),
        (Value::TextList(x), Value::TextList(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| x.eq_ignore_ascii_case(y)),
        _ => a == b,
    }
}

/// `call` with only its backed arguments, and the arguments left out.
pub fn ground(call: Call, evidence: &Evidence) -> (Call, Vec<(String, Value)>) {
    let (kept, dropped) = call.args.into_iter().partition(|(name, value)| evidence.backs(name, value));
    (Call { intent: call.intent, args: kept }, dropped)
}

/// `InstanceType="m5.large", cpu=2` — how dropped arguments are named to the user.
pub fn describe(args: &[(String, Value)]) -> String {
    crate::conversation::args_text(args)
}
