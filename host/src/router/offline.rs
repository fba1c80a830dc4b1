//! The offline router: no model, no network. It learns every intent from its spec — example
//! utterances, docstring, parameter names, synonyms, units and value patterns — and knows no
//! intent by name except the out-of-scope fallback.
use super::text::{is_number, is_stopword, stem, tokens, unit_factor};
use super::{Call, RouteError, Router, OUT_OF_SCOPE};
use crate::plugin::spec::{Args, IntentSpec, ParamSpec, ParamType, Value};
use std::collections::{HashMap, HashSet};

/// Below this similarity, with no argument found either, an utterance is out of scope.
const MIN_SCORE: f64 = 0.3;
/// What one argument the utterance fills for an intent adds to that intent's score.
const ARG_WEIGHT: f64 = 0.35;
/// Words allowed between a parameter's name and its value ("min count to 2", "ram of 4").
const FILLERS: [&str; 12] = ["to", "of", "=", "is", "be", "at", "least", "as", "named", "called", "set", "about"];

type Vector = HashMap<String, f64>;

struct IntentModel {
    spec: IntentSpec,
    /// Per parameter: whether its pattern picks its values out of a sentence by shape alone.
    shaped: Vec<bool>,
    examples: Vec<Vector>,
    /// (words of a synonym, parameter index), longest first so "launch template name" beats "template".
    mentions: Vec<(Vec<String>, usize)>,
}

pub struct OfflineRouter {
    intents: Vec<IntentModel>,
    idf: HashMap<String, f64>,
}

impl OfflineRouter {
    pub fn new<'a>(specs: impl IntoIterator<Item = &'a IntentSpec>) -> OfflineRouter {
        let specs: Vec<IntentSpec> = specs.into_iter().cloned().collect();
        let shaped: Vec<ParamSpec> = specs.iter().flat_map(|s| &s.params).filter(|p| is_shaped(p)).cloned().collect();
        let all_params: Vec<&ParamSpec> = shaped.iter().collect();
        // Each example (and each docstring) is one document for inverse document frequency.
        let docs: Vec<Vec<String>> = specs
            .iter()
            .flat_map(|s| s.examples.iter().map(|e| terms(&e.utterance, &all_params)).chain([terms(&s.docstring, &all_params)]))
            .collect();
        let mut df: HashMap<String, f64> = HashMap::new();
        for doc in &docs {
            for t in doc.iter().collect::<HashSet<_>>() {
                *df.entry(t.clone()).or_default() += 1.0;
            }
        }
        let n = docs.len().max(1) as f64;
        let idf = df.into_iter().map(|(t, d)| (t, (1.0 + n / d).ln())).collect();
        let mut router = OfflineRouter { intents: vec![], idf };
        router.intents = specs
            .into_iter()
            .map(|spec| {
                let examples = spec.examples.iter().map(|e| router.vector(&terms(&e.utterance, &all_params))).collect();
                let mut mentions: Vec<(Vec<String>, usize)> = spec
                    .params
                    .iter()
                    .enumerate()
                    .flat_map(|(i, p)| names_of(p).into_iter().map(move |words| (words, i)))
                    .collect();
                mentions.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
                let shaped = spec.params.iter().map(is_shaped).collect();
                IntentModel { spec, shaped, examples, mentions }
            })
            .collect();
        router
    }

    fn vector(&self, terms: &[String]) -> Vector {
        let mut v = Vector::new();
        for t in terms {
            // Words no intent knows still count against similarity: they make the text less like any example.
            *v.entry(t.clone()).or_default() += self.idf.get(t).copied().unwrap_or(2.0);
        }
        let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            v.values_mut().for_each(|x| *x /= norm);
        }
        v
    }

    /// Scores per intent, best first, with the arguments each would get.
    pub fn scores(&self, utterance: &str) -> Vec<(f64, &IntentSpec, Args)> {
        let words = tokens(utterance);
        let all_params: Vec<&ParamSpec> = self.intents.iter().flat_map(|m| &m.spec.params).filter(|p| is_shaped(p)).collect();
        let query = self.vector(&terms(utterance, &all_params));
        let mut scored: Vec<(f64, &IntentSpec, Args)> = self
            .intents
            .iter()
            .map(|m| {
                let similarity = m.examples.iter().map(|e| cosine(&query, e)).fold(0.0, f64::max);
                let args = extract(m, &words);
                (similarity + ARG_WEIGHT * args.len() as f64, &m.spec, args)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
        scored
    }
}

impl Router for OfflineRouter {
    fn route(&self, utterance: &str) -> Result<Call, RouteError> {
        let scored = self.scores(utterance);
        let Some((score, spec, args)) = scored.into_iter().next() else {
            return Ok(Call::out_of_scope());
        };
        if score < MIN_SCORE || spec.name == OUT_OF_SCOPE {
            return Ok(Call::out_of_scope());
        }
        // What the router found must also pass the spec's own check; if not, say nothing we are unsure of.
        match spec.check(&args) {
            Ok(args) => Ok(Call { intent: spec.name.clone(), args }),
            Err(_) => Ok(Call::out_of_scope()),
        }
    }
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    a.iter().filter_map(|(t, x)| b.get(t).map(|y| x * y)).sum()
}

/// Similarity terms: stemmed content words, with numbers and recognisable values (an instance
/// type, a zone) replaced by their kind so "use m5.large" is like "use r7g.medium".
fn terms(text: &str, params: &[&ParamSpec]) -> Vec<String> {
    tokens(text)
        .iter()
        .filter(|t| !is_stopword(t))
        .map(|t| {
            if is_number(t) {
                return "#number".to_string();
            }
            match params.iter().find(|p| p.accepts_text(t)) {
                Some(p) => format!("#{}", p.name),
                None => stem(t).to_string(),
            }
        })
        .collect()
}

/// The words a user may use for a parameter: its synonyms and its name split at case changes.
fn names_of(p: &ParamSpec) -> Vec<Vec<String>> {
    let mut split = String::new();
    for (i, c) in p.name.char_indices() {
        let prev_lower = p.name[..i].chars().last().is_some_and(|l| l.is_lowercase());
        if c.is_uppercase() && prev_lower {
            split.push(' ');
        }
        split.push(c);
    }
    let mut names: Vec<Vec<String>> = p.synonyms.iter().chain([&split, &p.name]).map(|s| tokens(s)).filter(|w| !w.is_empty()).collect();
    names.sort();
    names.dedup();
    names
}

/// Fills the intent's parameters from the tokens: shaped values first, then numbers with units,
/// then values next to a parameter's name.
fn extract(model: &IntentModel, words: &[String]) -> Args {
    let params = &model.spec.params;
    let mut found: Vec<Option<Value>> = vec![None; params.len()];
    let mut used = vec![false; words.len()];

    for (i, p) in params.iter().enumerate().filter(|(i, _)| model.shaped[*i]) {
        let hits: Vec<usize> = (0..words.len()).filter(|&w| !used[w] && p.accepts_text(&words[w])).collect();
        let values: Vec<String> = hits.iter().map(|&w| words[w].clone()).collect();
        let value = match (p.ty, values.as_slice()) {
            (_, []) => continue,
            (ParamType::TextList, _) => Value::TextList(dedup(values)),
            (_, [one]) => Value::Text(one.clone()),
            (_, many) if p.accepts_text(&many.join(",")) => Value::Text(many.join(",")),
            (_, [first, ..]) => Value::Text(first.clone()),
        };
        hits.iter().for_each(|&w| used[w] = true);
        found[i] = Some(value);
    }

    for (i, p) in params.iter().enumerate() {
        let Some(unit) = &p.unit else { continue };
        for w in 1..words.len() {
            if found[i].is_none() && !used[w - 1] && is_number(&words[w - 1]) {
                if let (Some(factor), Ok(n)) = (unit_factor(unit, &words[w]), words[w - 1].parse::<f64>()) {
                    found[i] = Some(Value::Float(n * factor));
                    used[w - 1] = true;
                    used[w] = true;
                }
            }
        }
    }

    let mut at = 0;
    while at < words.len() {
        let hit = model.mentions.iter().find(|(m, _)| words[at..].starts_with(m) && !used[at..at + m.len()].iter().any(|u| *u));
        let Some((mention, i)) = hit else {
            at += 1;
            continue;
        };
        let end = at + mention.len();
        used[at..end].iter_mut().for_each(|u| *u = true);
        if found[*i].is_none() {
            if let Some((w, value)) = value_near(&params[*i], words, &used, at, end) {
                used[w] = true;
                found[*i] = Some(value);
            }
        }
        at = end;
    }

    params.iter().zip(found).filter_map(|(p, v)| v.map(|v| (p.name.clone(), v))).collect()
}

/// The value for `p` mentioned at `words[start..end]`: after the mention (past filler words),
/// or, for numbers, just before it ("4 RAM").
fn value_near(p: &ParamSpec, words: &[String], used: &[bool], start: usize, end: usize) -> Option<(usize, Value)> {
    let after = (end..words.len()).find(|&w| !FILLERS.contains(&words[w].as_str()));
    let before = start.checked_sub(1);
    let parse = |w: usize| -> Option<Value> {
        if used[w] {
            return None;
        }
        let t = &words[w];
        match p.ty {
            ParamType::Int => t.parse::<i64>().ok().map(Value::Int),
            ParamType::Float => t.parse::<f64>().ok().filter(|_| is_number(t)).map(Value::Float),
            ParamType::Text if p.accepts_text(t) && !is_stopword(t) => Some(Value::Text(t.clone())),
            _ => None,
        }
    };
    let numeric = matches!(p.ty, ParamType::Int | ParamType::Float);
    after
        .and_then(|w| parse(w).map(|v| (w, v)))
        .or_else(|| before.filter(|_| numeric).and_then(|w| parse(w).map(|v| (w, v))))
}

/// A pattern that also accepts everyday words ("test", "web-server") names a free-form value,
/// which only a mention of the parameter can locate; one that refuses them recognises values
/// by shape (an instance type, a zone, an AMI id).
fn is_shaped(p: &ParamSpec) -> bool {
    p.matcher.is_some() && !["test", "name", "value", "web-server", "my_app"].iter().any(|w| p.accepts_text(w))
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    values.into_iter().filter(|v| seen.insert(v.clone())).collect()
}
