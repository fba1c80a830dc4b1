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
//!
//! A number said once backs one argument: "set min size to 2" does not back both `MinCount=2`
//! and `MaxCount=2` (the 1.5B model's answer in the first `make eval-llm` run). An argument the
//! offline router reads under the same name ("launch exactly two instances" → MinCount and
//! MaxCount) is backed whatever the count, and uses up the occurrence it was read from.
use super::offline::Scored;
use super::text;
use super::{Call, Context};
use crate::plugin::spec::Value;

/// What backs argument values in one turn.
pub struct Evidence {
    said: String,
    numbers: Vec<f64>,
    /// Every (parameter, value) the offline router reads for any intent.
    read: Vec<(String, Value)>,
    earlier: Vec<(String, Value)>,
}

impl Evidence {
    /// `scores`: the offline router's readings of `utterance`, for every intent.
    pub fn of(scores: &[Scored<'_>], utterance: &str, context: &Context) -> Evidence {
        let numbers = text::tokens(utterance).iter().filter_map(|t| t.text.parse::<f64>().ok()).collect();
        let read = scores.iter().flat_map(|s| s.args.iter().cloned()).collect();
        let earlier = context.history.iter().flat_map(|e| e.plan.iter().flat_map(|c| c.args.iter().cloned())).collect();
        Evidence { said: utterance.to_lowercase(), numbers, read, earlier }
    }

    /// Backed by name in this turn: the offline router reads this value for this parameter.
    fn reads(&self, name: &str, value: &Value) -> bool {
        self.read.iter().any(|(n, v)| n == name && same(v, value))
    }

    /// Backed by name by the conversation: an earlier call gave this parameter this value.
    fn repeats(&self, name: &str, value: &Value) -> bool {
        self.earlier.iter().any(|(n, v)| n == name && same(v, value))
    }

    /// Backed by the value alone: said, or read for some parameter.
    fn backs(&self, value: &Value) -> bool {
        if self.read.iter().any(|(_, r)| same(r, value)) {
            return true;
        }
        match value {
            Value::Int(i) => self.numbers.contains(&(*i as f64)),
            Value::Float(f) => self.numbers.contains(f),
            Value::Text(t) => self.mentions(t),
            Value::TextList(items) => {
                let read_items: Vec<&String> =
                    self.read.iter().filter_map(|(_, r)| if let Value::TextList(l) = r { Some(l) } else { None }).flatten().collect();
                items.iter().all(|t| self.mentions(t) || read_items.iter().any(|r| r.eq_ignore_ascii_case(t)))
            }
        }
    }

    /// How many arguments a number can back: the times it is said, and at least once when the
    /// offline router reads it (in another unit, say).
    fn occurrences(&self, value: &Value) -> usize {
        let Some(x) = number(value) else { return usize::MAX };
        let said = self.numbers.iter().filter(|n| **n == x).count();
        let read = self.read.iter().any(|(_, r)| number(r) == Some(x));
        said.max(usize::from(read))
    }

    /// Said as a word of its own: "no" is not in "now", "us-east-1" is not in "us-east-1a".
    fn mentions(&self, text: &str) -> bool {
        let text = text.trim().to_lowercase();
        !text.is_empty()
            && self.said.char_indices().any(|(at, _)| {
                if !self.said[at..].starts_with(&text) {
                    return false;
                }
                let before = self.said[..at].chars().next_back();
                let after = self.said[at + text.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
            })
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

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// `call` with only its backed arguments, in their order, and the arguments left out. Those
/// read by name use up a number's occurrences first; the others take what is left. A value
/// repeated from an earlier call uses up nothing said in this turn.
pub fn ground(call: Call, evidence: &Evidence) -> (Call, Vec<(String, Value)>) {
    let by_name: Vec<bool> = call.args.iter().map(|(n, v)| evidence.reads(n, v)).collect();
    // One entry per occurrence of a number used up so far.
    let mut spent: Vec<f64> = vec![];
    let mut use_one = |value: &Value| {
        number(value).is_none_or(|x| {
            let before = spent.iter().filter(|s| **s == x).count();
            spent.push(x);
            before < evidence.occurrences(value)
        })
    };
    for ((_, value), named) in call.args.iter().zip(&by_name) {
        if *named {
            use_one(value);
        }
    }
    let keep: Vec<bool> = call.args.iter().zip(&by_name).map(|((n, v), named)| *named || evidence.repeats(n, v) || (evidence.backs(v) && use_one(v))).collect();
    let (kept, dropped): (Vec<_>, Vec<_>) = call.args.into_iter().zip(keep).partition(|(_, keep)| *keep);
    let (kept, dropped) = (kept.into_iter().map(|(arg, _)| arg).collect(), dropped.into_iter().map(|(arg, _)| arg).collect());
    (Call { intent: call.intent, args: kept }, dropped)
}

/// `InstanceType="m5.large", cpu=2` — how dropped arguments are named to the user.
pub fn describe(args: &[(String, Value)]) -> String {
    crate::conversation::args_text(args)
}

#[cfg(test)]
mod tests {
    use super::Evidence;

    #[test]
    fn text_is_mentioned_only_as_a_word_of_its_own() {
        let said = |s: &str| Evidence { said: s.to_lowercase(), numbers: vec![], read: vec![], earlier: vec![] };
        assert!(!said("cheapest thing, now").mentions("no"));
        assert!(said("no burstable ones").mentions("no"));
        assert!(!said("zones us-east-1a").mentions("us-east-1"));
        // A later whole-word match counts though an earlier overlapping one does not.
        assert!(said("use xdev-dev-dev").mentions("dev-dev"));
        assert!(said("Key ÄRGER-Key").mentions("ärger-key"));
    }
}
