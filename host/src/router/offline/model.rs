//! What the offline router learns from one intent's spec: its example vectors (filled in once
//! every intent's lessons are known, for inverse document frequency), the words a user may use
//! for each parameter, value words and number positions the examples teach.
use super::extract::extract;
use super::score::Vector;
use crate::plugin::spec::{IntentSpec, ParamSpec, Value};
use crate::router::text::{Token, is_number, is_stopword, stem, tokens};
use std::collections::{HashMap, HashSet};

pub(super) struct IntentModel {
    pub(super) spec: IntentSpec,
    /// Per parameter: whether its pattern picks its values out of a sentence by shape alone.
    pub(super) shaped: Vec<bool>,
    pub(super) examples: Vec<Vector>,
    /// All examples together: words that mark the intent even when no single example has them all.
    pub(super) vocabulary: Vector,
    pub(super) docstring: Vector,
    /// (words of a synonym, parameter index), longest first so "launch template name" beats "template".
    pub(super) mentions: Vec<(Vec<String>, usize)>,
    /// Words the examples use for a text value they never spell out ("graviton" → arch arm64).
    /// Each with its confidence: 1 over the number of words its example left to choose from.
    pub(super) aliases: HashMap<String, (usize, String, f64)>,
    /// Words the examples put right before a number no mention explains ("between" → MinSize).
    pub(super) positions: HashMap<String, Vec<usize>>,
    /// Whether the examples say what the intent does with a negation ("no autoscaling after
    /// all"): a declining word then asks for it rather than against it.
    pub(super) negative: bool,
    /// Per parameter whose pattern lists names as its values ("Region|InstanceType|MaxSize"):
    /// each value with the words it is made of ("max size" → MaxSize), longest first.
    pub(super) named_values: Vec<Vec<(Vec<String>, String)>>,
    /// Per list parameter: the fewest items any example gives it ("compare m5.large and
    /// m6i.large" always names two), under which a reading gives it nothing.
    pub(super) min_items: Vec<usize>,
    /// Whether any example asks a question ("what about in us-west-2?", "is autoscaling on?"),
    /// and whether any asks what a thing is ("what is an AMI?"): a question reaches an intent
    /// that changes the configuration only if its examples ask questions too, and a question
    /// about what a thing is only an intent whose examples ask that.
    pub(super) asks: bool,
    pub(super) defines: bool,
    /// Whether every example asks a question or to be told ("describe the m6i.large"): such an
    /// intent answers only those ("use m5.large" asks nothing about it).
    pub(super) only_asks: bool,
    /// Stems that mark this intent: in two or more of its examples, and so in one other
    /// intent's examples at most ("enable", "cheapest"). A clause asks for an intent that takes nothing
    /// only when it says one of them.
    pub(super) markers: HashSet<String>,
}

/// The values of `p`, each with the words it is made of, when its pattern lists names made of
/// words (three or more alternatives, one at least in CamelCase: "Region|InstanceType|MaxSize"):
/// the SDK's documented way for a parameter to name one of several settings.
/// `all` are every loaded intent's parameters: a value is also read from the synonyms any of
/// them gives the parameter of that name ("ami" names ImageId, as modify-ec2 says).
pub(super) fn named_values(p: &ParamSpec, all: &[&ParamSpec]) -> Vec<(Vec<String>, String)> {
    let Some(pattern) = p.pattern.as_deref() else { return vec![] };
    let values: Vec<&str> = pattern.split('|').collect();
    let plain = values.iter().all(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric()));
    let camel = |v: &str| v.chars().zip(v.chars().skip(1)).any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    if values.len() < 3 || !plain || !values.iter().any(|v| camel(v)) {
        return vec![];
    }
    let mut named: Vec<(Vec<String>, String)> = values
        .iter()
        .map(|v| {
            let mut words = String::new();
            for (i, c) in v.char_indices() {
                if i > 0 && c.is_uppercase() && v[..i].chars().last().is_some_and(|l| l.is_lowercase()) {
                    words.push(' ');
                }
                words.push(c);
            }
            (tokens(&words).into_iter().map(|t| stem(&t.text)).collect::<Vec<String>>(), v.to_string())
        })
        .collect();
    let synonyms: Vec<(Vec<String>, String)> = named
        .iter()
        .flat_map(|(_, v)| {
            all.iter()
                .filter(move |q| q.name == *v)
                .flat_map(move |q| q.synonyms.iter().map(move |s| (tokens(s).into_iter().map(|t| stem(&t.text)).collect(), v.clone())))
        })
        .collect();
    named.extend(synonyms);
    named.retain(|(words, _)| !words.is_empty());
    named.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
    named
}

/// Whether the spec's examples teach that this intent always takes an argument.
pub(super) fn needs_arguments(spec: &IntentSpec) -> bool {
    !spec.params.is_empty() && !spec.examples.is_empty() && spec.examples.iter().all(|e| !e.args.is_empty())
}

/// The words a user may use for a parameter: its synonyms and its name split at case changes.
pub(super) fn names_of(p: &ParamSpec) -> Vec<Vec<String>> {
    let mut split = String::new();
    for (i, c) in p.name.char_indices() {
        let prev_lower = p.name[..i].chars().last().is_some_and(|l| l.is_lowercase());
        if c.is_uppercase() && prev_lower {
            split.push(' ');
        }
        split.push(c);
    }
    let mut names: Vec<Vec<String>> = p
        .synonyms
        .iter()
        .chain([&split, &p.name])
        .map(|s| tokens(s).into_iter().map(|t| stem(&t.text)).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A pattern that also accepts everyday words ("test", "web-server") names a free-form value,
/// which only a mention of the parameter can locate; one that refuses them recognises values
/// by shape (an instance type, a zone, an AMI id).
/// "yes" and "no" are words of conversation ("yes, deploy it"), so a yes/no parameter is found
/// by its name only.
pub(super) fn is_shaped(p: &ParamSpec) -> bool {
    p.matcher.is_some() && !["test", "name", "value", "web-server", "my_app", "yes", "no"].iter().any(|w| p.accepts_text(w))
}

/// Learns value words and number positions from the intent's own examples: whatever an example's
/// arguments need that names, shapes and units do not already explain.
pub(super) fn learn(model: &mut IntentModel, example_words: &[Vec<Token>], plain: &HashSet<String>) {
    let mention_words: HashSet<&str> = model.mentions.iter().flat_map(|(w, _)| w.iter().map(String::as_str)).collect();
    let mut aliases = HashMap::new();
    let mut positions: HashMap<String, Vec<usize>> = HashMap::new();
    for (e, (example, words)) in model.spec.examples.iter().zip(example_words).enumerate() {
        let found = extract(model, words, plain, false).args;
        let mut explained: HashSet<usize> = HashSet::new();
        for (name, value) in &example.args {
            let Some(p) = model.spec.params.iter().position(|p| p.name == *name) else { continue };
            // A setting named as a value is read from its own words only, never guessed from
            // the other words of an example.
            if found.iter().any(|(n, v)| n == name && v == value) || !model.named_values[p].is_empty() {
                continue;
            }
            match value {
                // A value spelled in the words is found by its shape or mention, unless only its
                // case differs and the pattern wants AWS's spelling ("nvidia" for NVIDIA): then the
                // word stands for it like any other.
                Value::Text(text) if !words.iter().any(|w| w.text == text.to_lowercase() && model.spec.params[p].accepts_text(&w.text)) => {
                    // Words only this example's value explains: not in examples without it.
                    let elsewhere: HashSet<String> = model
                        .spec
                        .examples
                        .iter()
                        .zip(example_words)
                        .enumerate()
                        .filter(|(o, (other, _))| *o != e && !other.args.iter().any(|(n, v)| n == name && v == value))
                        .flat_map(|(_, (_, other_words))| other_words.iter().map(|t| t.text.clone()))
                        .collect();
                    let shaped = |t: &str| model.spec.params.iter().zip(&model.shaped).any(|(p, s)| *s && p.accepts_text(t));
                    let candidates: Vec<&str> = words
                        .iter()
                        .map(|w| w.text.as_str())
                        .filter(|t| !is_stopword(t) && !is_number(t) && !mention_words.contains(stem(t).as_str()) && !elsewhere.contains(*t) && !shaped(t))
                        .collect();
                    // "best deal on arm" teaches "best", "deal" and "arm" a third each; "amd
                    // server" teaches "amd" outright.
                    let confidence = 1.0 / candidates.len().max(1) as f64;
                    for t in candidates {
                        let entry = aliases.entry(t.to_string()).or_insert((p, text.clone(), confidence));
                        if entry.2 < confidence {
                            *entry = (p, text.clone(), confidence);
                        }
                    }
                }
                Value::Int(_) | Value::Float(_) => {
                    let at = (1..words.len()).find(|&w| !explained.contains(&w) && number_value(&words[w].text, value));
                    if let Some(at) = at {
                        // Several arguments with one value at one place ("exactly 2") share it.
                        let prev = &words[at - 1].text;
                        if !is_number(prev) && !mention_words.contains(stem(prev).as_str()) {
                            let slot = positions.entry(stem(prev)).or_default();
                            if !slot.contains(&p) {
                                slot.push(p);
                            }
                        }
                        if !example.args.iter().any(|(n, v)| n != name && v == value && !found.iter().any(|(f, _)| f == n)) {
                            explained.insert(at);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    model.aliases = aliases;
    model.positions = positions;
}

fn number_value(token: &str, value: &Value) -> bool {
    match value {
        Value::Int(i) => token.parse::<i64>().is_ok_and(|t| t == *i),
        Value::Float(f) => token.parse::<f64>().is_ok_and(|t| t == *f),
        _ => false,
    }
}
