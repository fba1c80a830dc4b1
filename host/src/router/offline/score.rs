//! How like each intent a span of words is: TF-IDF cosine similarity of the span's frame (its
//! words less the numbers placed by position and the words placing them) to each intent's
//! examples and docstring, plus a bonus for every argument the span fills for that intent.
use super::OfflineRouter;
use super::extract::{Found, extract};
use crate::plugin::spec::{Args, IntentSpec};
use crate::router::lexicon::{ASKING, REQUESTING, TELLING, is};
use crate::router::text::{Token, is_negative_number, is_number, is_stopword, stem};
use std::collections::HashMap;

/// What one argument the utterance fills for an intent adds to that intent's score.
const ARG_WEIGHT: f64 = 0.35;
/// How much the docstring counts next to the best example.
pub(super) const DOCSTRING_WEIGHT: f64 = 0.6;
/// How much the intent's whole vocabulary (all examples together) adds to the best example.
pub(super) const VOCABULARY_WEIGHT: f64 = 0.5;
/// How much a word's rarity among intents adds to its rarity among examples.
pub(super) const INTENT_IDF_WEIGHT: f64 = 0.3;

pub(super) type Vector = HashMap<String, f64>;

/// How an intent scored, with the arguments it would get and where each came from.
pub struct Scored<'a> {
    pub score: f64,
    pub similarity: f64,
    pub spec: &'a IntentSpec,
    pub args: Args,
    pub evidence: Vec<String>,
    /// Arguments found by shape, unit, name or a learned value word: not by position alone.
    pub named_args: usize,
    /// Arguments found next to a parameter's name ("MinCount=1"): the user named the setting.
    pub by_name: usize,
    /// Arguments found by shape, unit or name: not by a learned value word or position alone.
    pub sure_args: usize,
    /// Arguments that set something: all but a setting named as a value (show-config's
    /// `setting`), which changes nothing.
    pub settings: usize,
    /// Per word: whether the intent read it, as a value or as the name or word beside one.
    pub(super) read: Vec<bool>,
    /// Words that name one of its parameters but give no value it can use ("-5", "x.aaaa").
    pub problems: Vec<String>,
    /// Every argument was found by words other intents read too ("maximum", "between"): the
    /// words alone do not say whose setting is meant.
    pub shared_only: bool,
}

impl OfflineRouter {
    /// The words left once every intent has taken the numbers it places by position, and the
    /// words that placed them: evidence the arguments already count, shared by several intents.
    pub(super) fn frame(&self, words: &[Token]) -> Vec<Token> {
        let found: Vec<Found> = self.intents.iter().map(|m| extract(m, words, &self.plain, true)).collect();
        frame_of(words, &found)
    }

    pub(super) fn vector(&self, terms: &[String]) -> Vector {
        let mut v = Vector::new();
        for t in terms {
            // Words no intent knows still count: they make the text less like any example. A
            // kind of value ("#number", an instance type) counts once however often it is said:
            // "compare m5.large, m6i.large and m7i.large" is no more about a type than "use
            // m5.large" is.
            let weight = self.idf.get(t).copied().unwrap_or(2.0);
            match t.starts_with('#') {
                true => _ = v.insert(t.clone(), weight),
                false => *v.entry(t.clone()).or_default() += weight,
            }
        }
        let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            v.values_mut().for_each(|x| *x /= norm);
        }
        v
    }

    /// Similarity terms: stemmed content words, with numbers and recognisable values (an
    /// instance type, a zone) replaced by their kind so "use m5.large" is like "use r7g.medium".
    pub(super) fn terms(&self, words: &[Token], moods: &[&str]) -> Vec<String> {
        // "do it" is all stop words and still means something, as does "perfect, do it" when
        // the specs never use "perfect".
        let all_stop = words.iter().all(|t| is_stopword(&t.text) || crate::router::lexicon::is(&crate::router::lexicon::ACKNOWLEDGING, &t.text));
        words
            .iter()
            .filter(|t| all_stop || !is_stopword(&t.text))
            .flat_map(|t| {
                if is_number(&t.text) || is_negative_number(&t.text) {
                    return vec!["#number".to_string()];
                }
                match self.shaped.iter().find(|p| p.accepts_text(&t.text)) {
                    Some(p) => vec![format!("#{}", p.name)],
                    // "auto-scaling" is like "auto scaling". A past participle also counts as
                    // itself: "what we deployed" is about something done, "deploy" asks for it.
                    None => t
                        .text
                        .split('-')
                        .filter(|p| !p.is_empty())
                        .flat_map(|p| {
                            let past = (p.len() > 4 && p.ends_with("ed")).then(|| p.to_string());
                            std::iter::once(stem(p)).chain(past)
                        })
                        .collect(),
                }
            })
            // Only a question about something the specs know: "what is kubernetes?" asks about
            // nothing here.
            .chain(moods.iter().filter(|m| !all_stop || **m != QUESTION).map(|m| m.to_string()))
            .collect()
    }

    /// Every intent's score for `utterance`, best first.
    /// Every intent's score for the words of `reading`, best first.
    pub fn scores_of_reading(&self, reading: &crate::router::reading::Reading) -> Vec<Scored<'_>> {
        self.scores_of(&reading.words, reading.words.iter().any(|t| t.asks))
    }

    pub fn scores(&self, utterance: &str) -> Vec<Scored<'_>> {
        let words = self.words(utterance);
        let asks = words.iter().any(|t| t.asks);
        self.scores_of(&words, asks)
    }

    /// [`OfflineRouter::scores`] of the utterance's words, read once by the caller.
    pub(super) fn scores_of(&self, words: &[Token], asks: bool) -> Vec<Scored<'_>> {
        let found: Vec<Found> = self.intents.iter().map(|m| extract(m, words, &self.plain, true)).collect();
        let frame = frame_of(words, &found);
        let query = self.vector(&self.terms(&frame, &moods(asks, words)));
        let mut scored: Vec<Scored<'_>> = self
            .intents
            .iter()
            .zip(found)
            .map(|(m, found)| {
                let best_example = m.examples.iter().map(|e| cosine(&query, e)).fold(0.0, f64::max);
                let similarity = best_example.max(DOCSTRING_WEIGHT * cosine(&query, &m.docstring)) + VOCABULARY_WEIGHT * cosine(&query, &m.vocabulary);
                // A setting named as the value of one ("what is the max size?" → setting=MaxSize)
                // is no evidence for the intent: every intent that changes it names it too.
                let weight: f64 =
                    found.keys.iter().filter(|k| !k.starts_with('%')).map(|k| 1.0 / self.sharing.get(k).copied().unwrap_or(1).max(1) as f64).sum();
                let named_args = found.keys.iter().filter(|k| !k.starts_with('@')).count();
                let by_name = found.keys.iter().filter(|k| !k.is_empty() && !k.starts_with(['@', '~', '%'])).count();
                let sure_args = found.keys.iter().filter(|k| !k.starts_with(['@', '~', '%'])).count();
                let settings = found.keys.iter().filter(|k| !k.starts_with('%')).count();
                let shared_only = !found.keys.is_empty() && found.keys.iter().all(|k| k.starts_with('@') || self.sharing.get(k).is_some_and(|n| *n > 1));
                let (args, evidence, read, problems) = (found.args, found.evidence, found.used, found.problems);
                Scored {
                    score: similarity + ARG_WEIGHT * weight,
                    similarity,
                    spec: &m.spec,
                    args,
                    evidence,
                    named_args,
                    by_name,
                    sure_args,
                    settings,
                    read,
                    problems,
                    shared_only,
                }
            })
            .collect();
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.spec.name.cmp(&b.spec.name)));
        scored
    }
}

/// The words left once the numbers placed by position, and the words placing them, are taken
/// out: what every intent reads alike does not tell them apart.
pub(super) fn frame_of(words: &[Token], found: &[Found]) -> Vec<Token> {
    words.iter().enumerate().filter(|(w, _)| !found.iter().any(|f| f.placed[*w])).map(|(_, t)| t.clone()).collect()
}

pub(super) const QUESTION: &str = "#question";
pub(super) const DEFINITION: &str = "#definition";

/// How the utterance asks, as terms its examples can share: a question asks about what is, not
/// for a change ("is autoscaling on?" is not "autoscaling on"), and a question about what a
/// thing is ("what is an AMI?", "the difference between a vCPU and a core") asks about no
/// configuration at all.
/// `asks`: the sentence ends with a question mark.
pub(super) fn moods(asks: bool, words: &[Token]) -> Vec<&'static str> {
    let t: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let question = !polite(&t) && (t.first().is_some_and(|w| ASKING.contains(w)) || asks);
    // "what is a …", "what's an …", "what exactly is a …"
    let what_a = (0..t.len())
        .filter(|&i| ["what", "whats"].contains(&t[i]))
        .any(|i| t[i + 1..].iter().find(|x| !["is", "are", "exactly", "actually"].contains(x)).is_some_and(|x| ["a", "an"].contains(x)));
    let definition =
        what_a || (t.contains(&"what") && t.iter().any(|w| ["mean", "means", "meaning"].contains(w))) || t.windows(2).any(|w| w == ["difference", "between"]);
    [(question, QUESTION), (definition, DEFINITION)].into_iter().filter(|(on, _)| *on).map(|(_, m)| m).collect()
}

/// A request put as a question, or softened: "can you make it autoscale?", "could we bump the
/// max count to 7?", "is it possible to turn on auto scaling?", "would you please set that?",
/// "… please do it" — as against one that asks to be told ("can you tell me which region?").
pub(super) fn polite(t: &[&str]) -> bool {
    let asks_to_be_told = |rest: &[&str]| rest.iter().find(|w| !["please", "kindly", "just", "also"].contains(w)).is_some_and(|w| is(&TELLING, w));
    let asks_us =
        t.windows(2).enumerate().any(|(i, w)| REQUESTING.contains(&w[0]) && ["you", "u", "we", "ya", "i"].contains(&w[1]) && !asks_to_be_told(&t[i + 2..]));
    let possible = t.windows(2).any(|w| w == ["possible", "to"]);
    let please = t.iter().any(|w| ["please", "pls", "plz", "kindly"].contains(w)) && !asks_to_be_told(t) && !t.first().is_some_and(|w| ASKING.contains(w));
    asks_us || possible || please
}

/// Whether the words ask to be told about something rather than ask a question ("tell me about
/// the g4dn.xlarge", "describe the m6i.large", "I wonder how much a c5.xlarge costs"): an intent
/// that only answers takes these too.
pub(super) fn tells(words: &[Token]) -> bool {
    let t: Vec<&str> =
        words.iter().map(|w| w.text.as_str()).filter(|w| !["please", "ok", "so", "hey", "now", "also", "just", "i", "can", "you"].contains(w)).collect();
    t.first().is_some_and(|w| is(&TELLING, w)) || t.iter().any(|w| ["wonder", "wondering", "curious"].contains(w))
}

pub(super) fn cosine(a: &Vector, b: &Vector) -> f64 {
    a.iter().filter_map(|(t, x)| b.get(t).map(|y| x * y)).sum()
}
