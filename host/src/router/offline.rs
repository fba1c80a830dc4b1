//! The offline router: no model, no network. It learns every intent from its spec — example
//! utterances, docstring, parameter names, synonyms, units and value patterns — and knows no
//! intent by name except the out-of-scope fallback.
//!
//! Scoring: TF-IDF cosine similarity of the utterance's frame (its words less the numbers placed
//! by position and the words placing them) to each intent's examples, plus a bonus for every
//! argument the utterance fills for that intent. Arguments are found, in order, by shape
//! (a pattern such as an instance type), by unit ("8 GB"), by a mention of the parameter
//! ("min count to 2", "4 RAM"), by a word the examples taught as a value ("graviton" → arm64),
//! and by a word the examples taught as a position ("between 2 and 4").
//!
//! In detail:
//!
//! - Scoring: TF-IDF cosine similarity of the utterance's frame to the intent's closest example
//!   frame (or 0.6 × its docstring), plus 0.5 × similarity to all its example frames together, plus
//!   0.35 for each argument found for that intent. A frame is the words left once the numbers
//!   placed by position, and the words placing them, are taken out ("launch between 2 and 5
//!   instances" → "launch … instances"), so a shared "between" does not decide between EC2 and the
//!   group. An argument found next to a name several intents share (a bare "minimum") counts 1/n;
//!   one placed by position counts fully. A word's weight is its rarity among examples plus 0.3 ×
//!   its rarity among intents ("cheapest" is in many examples, all of one intent). Besides words, a
//!   frame carries how it asks: `#question` (a question word first, or a closing "?" on anything
//!   but a polite request such as "can you …?", when it names something the specs know) and
//!   `#definition` ("what is an …", "what does … mean", "the difference between"), so "is
//!   autoscaling on?" meets show-config's questions and "what is an AMI?" meets out-of-scope's. A
//!   past participle counts as its stem and as itself ("what we deployed" is teardown's, "deploy"
//!   is deploy's).
//! - Extraction, in order: values recognised by their pattern's shape (instance types, zones, AMI
//!   ids, other AWS services for out-of-scope; "from X to Y" keeps the last); numbers with a unit
//!   ("8 GB", "32768 MB"); values next to a parameter's name or synonym, matched by stem (right
//!   after it, else the number just before it — "4 RAM", or before one word: "5 instances minimum",
//!   "3 cheaper alternatives" — else a number a few words on, never across a comma; a free-text
//!   value is a word the specs do not use themselves, so "template to use is named
//!   batch-worker.2024" names `batch-worker.2024`); then what the examples taught: words standing
//!   for a value they never spell out ("graviton" → `arm64`, each with a confidence of 1 over the
//!   words its example left unexplained, the surest word winning, a word taught with less than 1/2
//!   never used) and words placed before a number ("between" → MinSize, "exactly" → MinCount and
//!   MaxCount; matched by stem, so "running 3" is placed as "run 4" was). The lessons come from
//!   each intent's own examples, run through the same extraction.
//! - Decision: an out-of-scope argument (another AWS service: "an RDS instance with 16 GB") read
//!   from a word no other intent reads makes the utterance out of scope whatever numbers it
//!   carries. An intent whose every example fills an argument is skipped when none was found (the
//!   next intent answers). An intent that takes nothing yields to one the utterance gives settings
//!   to ("enable autoscaling, max size 10" → modify-asg). Out of scope when the best score is under
//!   0.3; when an intent that takes parameters found none by name, shape or unit and is less than
//!   0.35 like its examples (unless an argument-less intent is at least 0.5 like the utterance:
//!   "turn on autoscaling with between 2 and 6 instances" trusts its positions); when no argument
//!   was found by name, the intent is less than 0.35 like its examples and out-of-scope is more
//!   than 1.25 times as like ("stop every instance in us-east-1"); when an argument-less call
//!   scores less than 1/0.85 of out-of-scope; or when the arguments fail the spec check. Intents
//!   that act on AWS (they import `aws`) are chosen only on clear evidence (`acting`).
//! - Spelling: a word of six letters or more that no spec uses, and that is one slip (OSA distance
//!   1, `strsim`) from exactly one word the specs use, is read as that word (five-letter words only
//!   for two swapped letters or one left out: "vpcus", "lauch"); compounds of spec words
//!   ("min-size", "instance_type") are read as the words; values keep their spelling.
//! - `explain` prints every intent's score and which words filled which argument.
use super::text::{Token, is_negative_number, is_number, is_stopword, stem, tokens, unit_factor};
use super::{Call, Context, OUT_OF_SCOPE, RouteError, Router};
use crate::plugin::spec::{Args, IntentSpec, ParamSpec, ParamType, Value};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// Below this score an utterance is out of scope.
const MIN_SCORE: f64 = 0.3;
/// `--ask-model unsure` skips the model when the routed intent scores this many times the next
/// one. The sweep in host/tests/router_eval.rs (`sure_margin_keeps_the_turns_it_skips_right`,
/// 2,398 labelled utterances) gave: 1.3 skips 82% of turns, 99.3% of them right; 1.5 skips 72%,
/// 99.5% right; 2.0 skips 56%, 99.7%; 2.5 skips 40%, 100%. 1.5 is the lowest above 99.5%.
pub const SURE_MARGIN: f64 = 1.5;
/// An intent that takes parameters but found none in the utterance (or only numbers placed like
/// its examples place them) must be this much like its examples: "estimate the cost of 2
/// instances" is not a bare "find cheapest", and "if I run 6 instances" sets no group size.
const MIN_SIMILARITY_WITHOUT_ARGS: f64 = 0.35;
/// An intent this like the utterance is sure the request is about it.
const SURE_SIMILARITY: f64 = 0.5;
/// An intent that acts on AWS must be this like its examples to be chosen (see `acting`).
const SURE_ACTION: f64 = 0.3;
/// ... and score this many times the best intent that does not act, unless it is named.
const ACTION_MARGIN: f64 = 1.2;
/// Out-of-scope this many times as like the utterance as an intent that is not much like it
/// overrules that intent's arguments.
const OUT_OF_SCOPE_DOMINANCE: f64 = 1.25;
/// An intent called without arguments must beat out-of-scope by more than this factor.
const NOTHING_MARGIN: f64 = 0.85;
/// What one argument the utterance fills for an intent adds to that intent's score.
const ARG_WEIGHT: f64 = 0.35;
/// How much the docstring counts next to the best example.
const DOCSTRING_WEIGHT: f64 = 0.6;
/// How much the intent's whole vocabulary (all examples together) adds to the best example.
const VOCABULARY_WEIGHT: f64 = 0.5;
/// A value word learned with less confidence than this is a guess: "best deal on arm" leaves
/// three words to choose from, and "best" does not mean arm64.
const MIN_ALIAS_CONFIDENCE: f64 = 0.5;
/// How much a word's rarity among intents adds to its rarity among examples.
const INTENT_IDF_WEIGHT: f64 = 0.3;
/// Words allowed between a parameter's name and its value ("min count to 2", "ram of 4").
const FILLERS: [&str; 17] = ["to", "of", "=", "is", "be", "at", "least", "as", "named", "called", "set", "about", "should", "must", "the", "a", "an"];
/// Other words a number may sit behind its parameter's name ("min count for the fleet 2").
const MAX_SKIPPED: usize = 2;
/// Words that turn the value after them around ("avoid ARM", "not graviton", "without arm64").
/// ("same but arm" is no negation: "but" counts only in "anything but".)
const NEGATIONS: [&str; 11] = ["no", "not", "avoid", "without", "except", "never", "dont", "don't", "nothing", "excluding", "than"];
/// How many words before a value a negation reaches ("not an arm box", "avoid the graviton").
const NEGATION_REACH: usize = 2;
/// Words that let go of a setting named after them ("forget the GPU", "any memory is fine").
const LETTING_GO: [&str; 12] = ["forget", "drop", "any", "no", "without", "remove", "ignore", "dont", "don't", "whatever", "skip", "nothing"];
/// How many words before a setting's name a word letting go of it reaches ("forget about the GPU").
const LETTING_GO_REACH: usize = 3;

type Vector = HashMap<String, f64>;

struct IntentModel {
    spec: IntentSpec,
    /// Per parameter: whether its pattern picks its values out of a sentence by shape alone.
    shaped: Vec<bool>,
    examples: Vec<Vector>,
    /// All examples together: words that mark the intent even when no single example has them all.
    vocabulary: Vector,
    docstring: Vector,
    /// (words of a synonym, parameter index), longest first so "launch template name" beats "template".
    mentions: Vec<(Vec<String>, usize)>,
    /// Words the examples use for a text value they never spell out ("graviton" → arch arm64).
    /// Each with its confidence: 1 over the number of words its example left to choose from.
    aliases: HashMap<String, (usize, String, f64)>,
    /// Words the examples put right before a number no mention explains ("between" → MinSize).
    positions: HashMap<String, Vec<usize>>,
    /// Whether the examples say what the intent does with a negation ("no autoscaling after
    /// all"): a declining word then asks for it rather than against it.
    negative: bool,
}

pub struct OfflineRouter {
    intents: Vec<IntentModel>,
    /// For each mention phrase or position word, how many intents use it: evidence shared by
    /// several intents ("minimum", "between") counts for less than evidence one intent owns.
    sharing: HashMap<String, usize>,
    idf: HashMap<String, f64>,
    /// Parameters of every intent whose patterns recognise values, for similarity terms.
    shaped: Vec<ParamSpec>,
    /// Every word the specs use, to read a mistyped word as the one it is one slip away from.
    known: HashSet<String>,
    /// Words the specs use that no example gives as a value ("use", "zones"): never a name.
    plain: HashSet<String>,
    /// Places that name one region ("frankfurt" → eu-central-1), read as its code.
    places: &'static [(Vec<String>, String)],
    /// Intents that act on AWS: chosen only on clear evidence (see [`OfflineRouter::acting`]).
    actions: HashSet<String>,
}

/// Words shorter than this are never corrected: too many short words are one slip apart.
const MIN_CORRECTED_LEN: usize = 6;
/// Shorter words are never corrected at all.
const MIN_SWAPPED_LEN: usize = 5;

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
    /// Per word: whether the intent read it, as a value or as the name or word beside one.
    read: Vec<bool>,
    /// Words that name one of its parameters but give no value it can use ("-5", "x.aaaa").
    pub problems: Vec<String>,
    /// Every argument was found by words other intents read too ("maximum", "between"): the
    /// words alone do not say whose setting is meant.
    pub shared_only: bool,
}

impl OfflineRouter {
    pub fn new<'a>(specs: impl IntoIterator<Item = &'a IntentSpec>) -> OfflineRouter {
        let specs: Vec<IntentSpec> = specs.into_iter().cloned().collect();
        let shaped: Vec<ParamSpec> = specs.iter().flat_map(|s| &s.params).filter(|p| is_shaped(p)).cloned().collect();
        let places = crate::catalog::regions::places();
        let mut router = OfflineRouter {
            intents: vec![],
            sharing: HashMap::new(),
            idf: HashMap::new(),
            shaped,
            known: HashSet::new(),
            plain: HashSet::new(),
            places,
            actions: HashSet::new(),
        };
        // Tokenized once here; IDF, the vectors and the lessons all read these.
        let example_words: Vec<Vec<Vec<Token>>> = specs.iter().map(|s| s.examples.iter().map(|e| tokens(&e.utterance)).collect()).collect();
        router.known = example_words
            .iter()
            .flatten()
            .flatten()
            .map(|t| t.text.clone())
            .chain(specs.iter().flat_map(|s| {
                let names = s.params.iter().flat_map(|p| p.synonyms.iter().chain([&p.name, &p.description]));
                names.chain([&s.docstring]).flat_map(|text| tokens(text)).map(|t| t.text).collect::<Vec<_>>()
            }))
            .collect();
        let values: HashSet<String> = specs
            .iter()
            .flat_map(|s| &s.examples)
            .flat_map(|e| &e.args)
            .filter_map(|(_, v)| match v {
                Value::Text(t) => Some(t.to_lowercase()),
                _ => None,
            })
            .collect();
        router.plain = router.known.iter().filter(|w| !values.contains(*w)).cloned().collect();
        router.intents = specs.into_iter().zip(&example_words).map(|(spec, words)| router.model(spec, words)).collect();
        // Examples are compared by their frames: the words left once the numbers the examples
        // place by position, and the words that place them, are taken out ("launch between 2
        // and 5 instances" teaches "launch … instances"), as they are from an utterance.
        let frames: Vec<Vec<Vec<String>>> = router
            .intents
            .iter()
            .zip(&example_words)
            .map(|(m, words)| m.spec.examples.iter().zip(words).map(|(e, w)| router.terms(&router.frame(w), &moods(&e.utterance, w))).collect())
            .collect();
        let docstrings: Vec<Vec<String>> = router.intents.iter().map(|m| router.terms(&tokens(&m.spec.docstring), &[])).collect();
        // Each example and each docstring is one document for inverse document frequency.
        let mut df: HashMap<String, f64> = HashMap::new();
        for doc in frames.iter().flatten().chain(&docstrings) {
            for t in doc.iter().collect::<HashSet<_>>() {
                *df.entry(t.clone()).or_default() += 1.0;
            }
        }
        let n = (frames.iter().map(Vec::len).sum::<usize>() + docstrings.len()).max(1) as f64;
        // A word every example of one intent uses ("cheapest") is common among examples and
        // still marks that intent: how few intents use a word counts too.
        let mut intents_using: HashMap<String, f64> = HashMap::new();
        for (frames, doc) in frames.iter().zip(&docstrings) {
            for t in frames.iter().flatten().chain(doc).collect::<HashSet<_>>() {
                *intents_using.entry(t.clone()).or_default() += 1.0;
            }
        }
        let intents = docstrings.len().max(1) as f64;
        router.idf = df
            .into_iter()
            .map(|(t, d)| {
                let owners = intents_using.get(&t).copied().unwrap_or(1.0);
                let w = (1.0 + n / d).ln() + INTENT_IDF_WEIGHT * (1.0 + intents / owners).ln();
                (t, w)
            })
            .collect();
        let vectors: Vec<(Vec<Vector>, Vector, Vector)> = frames
            .iter()
            .zip(&docstrings)
            .map(|(frames, doc)| (frames.iter().map(|t| router.vector(t)).collect(), router.vector(&frames.concat()), router.vector(doc)))
            .collect();
        for (m, (examples, vocabulary, docstring)) in router.intents.iter_mut().zip(vectors) {
            (m.examples, m.vocabulary, m.docstring) = (examples, vocabulary, docstring);
        }
        for m in &router.intents {
            let keys: HashSet<String> = m.mentions.iter().map(|(w, _)| w.join(" ")).collect();
            for k in keys {
                *router.sharing.entry(k).or_default() += 1;
            }
        }
        router
    }

    /// What the spec teaches besides its word vectors, which wait for every intent's lessons;
    /// `example_words` are `spec.examples`' utterances, tokenized.
    fn model(&self, spec: IntentSpec, example_words: &[Vec<Token>]) -> IntentModel {
        let mut mentions: Vec<(Vec<String>, usize)> =
            spec.params.iter().enumerate().flat_map(|(i, p)| names_of(p).into_iter().map(move |words| (words, i))).collect();
        mentions.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        let shaped = spec.params.iter().map(is_shaped).collect();
        let (examples, vocabulary, docstring) = (vec![], Vector::new(), Vector::new());
        let negative = example_words.iter().flatten().any(|t| DECLINING.contains(&t.text.as_str()));
        let mut model = IntentModel { spec, shaped, examples, vocabulary, docstring, mentions, aliases: HashMap::new(), positions: HashMap::new(), negative };
        learn(&mut model, example_words, &self.plain);
        model
    }

    /// The words left once every intent has taken the numbers it places by position, and the
    /// words that placed them: evidence the arguments already count, shared by several intents.
    fn frame(&self, words: &[Token]) -> Vec<Token> {
        let found: Vec<Found> = self.intents.iter().map(|m| extract(m, words, &self.plain, true)).collect();
        frame_of(words, &found)
    }

    fn vector(&self, terms: &[String]) -> Vector {
        let mut v = Vector::new();
        for t in terms {
            // Words no intent knows still count: they make the text less like any example.
            *v.entry(t.clone()).or_default() += self.idf.get(t).copied().unwrap_or(2.0);
        }
        let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            v.values_mut().for_each(|x| *x /= norm);
        }
        v
    }

    /// Similarity terms: stemmed content words, with numbers and recognisable values (an
    /// instance type, a zone) replaced by their kind so "use m5.large" is like "use r7g.medium".
    fn terms(&self, words: &[Token], moods: &[&str]) -> Vec<String> {
        // "do it" is all stop words and still means something, as does "perfect, do it" when
        // the specs never use "perfect".
        let all_stop = words.iter().all(|t| is_stopword(&t.text) || !self.known.contains(&t.text));
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

    /// The utterance's tokens, each mistyped word ("deplyo", "tempalte") read as the one word
    /// the specs use that it is a single slip (a letter wrong, missing, extra or two swapped)
    /// away from. A word with no such neighbour, or with several, is left as typed.
    fn words(&self, utterance: &str) -> Vec<Token> {
        let words: Vec<Token> = tokens(utterance).into_iter().flat_map(|t| self.split_compound(t)).collect();
        let mut words = self.read_places(words);
        for w in &mut words {
            if w.text.len() < MIN_SWAPPED_LEN || !w.text.bytes().all(|b| b.is_ascii_lowercase()) || self.known.contains(&w.text) {
                continue;
            }
            // Below MIN_CORRECTED_LEN only two swapped letters or one left out count ("vpcus",
            // "lauch"): a letter wrong or extra turns too many short words into others.
            let slip = |k: &String| match w.text.len() >= MIN_CORRECTED_LEN {
                true => strsim::osa_distance(k, &w.text) == 1,
                false => strsim::osa_distance(k, &w.text) == 1 && (k.len() == w.text.len() + 1 || strsim::hamming(k, &w.text) == Ok(2)),
            };
            let mut near = self.known.iter().filter(|k| k.len().abs_diff(w.text.len()) <= 1 && slip(k));
            if let (Some(only), None) = (near.next(), near.next()) {
                w.text = only.clone();
            }
        }
        words
    }

    /// "in Frankfurt", "São Paulo": a place that names one region is read as the region's code,
    /// which every parameter that takes a region recognises by its shape.
    fn read_places(&self, words: Vec<Token>) -> Vec<Token> {
        let folded: Vec<String> = words.iter().map(|t| crate::catalog::regions::fold(&t.text)).collect();
        let mut out = Vec::with_capacity(words.len());
        let mut at = 0;
        while at < words.len() {
            let place = self.places.iter().find(|(p, _)| folded[at..].len() >= p.len() && p.iter().zip(&folded[at..]).all(|(a, b)| a == b));
            match place {
                Some((p, code)) => {
                    out.push(Token { text: code.clone(), original: code.clone(), clause_start: words[at].clause_start });
                    at += p.len();
                }
                None => {
                    out.push(words[at].clone());
                    at += 1;
                }
            }
        }
        out
    }

    /// Marks the intents whose calls act on AWS; they are chosen only on clear evidence.
    pub fn with_actions<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> OfflineRouter {
        self.actions = names.into_iter().map(String::from).collect();
        self
    }

    /// Whether `intent` acts on AWS (marked by [`OfflineRouter::with_actions`]).
    pub fn acts(&self, intent: &str) -> bool {
        self.actions.contains(intent)
    }

    /// The call for `utterance` when this router is sure of it: the intent it routes to scores
    /// [`SURE_MARGIN`] times the next intent or more, and no setting was named without a
    /// usable value. `None` means a model should be asked.
    pub fn sure(&self, utterance: &str, context: &Context) -> Option<Call> {
        let call = self.route_with(utterance, context).ok()?;
        let margin = self.margin(utterance, &call.intent)?;
        (margin >= SURE_MARGIN).then_some(call)
    }

    /// How many times the next intent's score `intent` scores for `utterance`.
    pub fn margin(&self, utterance: &str, intent: &str) -> Option<f64> {
        let scores = self.scores(utterance);
        let chosen = scores.iter().find(|s| s.spec.name == intent)?;
        if !chosen.problems.is_empty() {
            return None;
        }
        let next = scores.iter().filter(|s| s.spec.name != intent).map(|s| s.score).fold(0.0, f64::max);
        Some(chosen.score / next.max(f64::EPSILON))
    }

    /// "min-size", "instance_type", "desired-capacity": words the specs use, joined the way
    /// flags and keys join them, are read as those words. Names ("web-prod") stay whole.
    fn split_compound(&self, token: Token) -> Vec<Token> {
        let parts: Vec<&str> = token.text.split(['-', '_']).collect();
        if parts.len() < 2 || !parts.iter().all(|p| self.plain.contains(*p)) {
            return vec![token];
        }
        let originals: Vec<&str> = token.original.split(['-', '_']).collect();
        parts
            .iter()
            .zip(originals.iter().chain(std::iter::repeat(&"")))
            .enumerate()
            .map(|(i, (p, o))| Token { text: p.to_string(), original: o.to_string(), clause_start: i == 0 && token.clause_start })
            .collect()
    }

    /// Every intent's score for `utterance`, best first.
    pub fn scores(&self, utterance: &str) -> Vec<Scored<'_>> {
        self.scores_of(&self.words(utterance), utterance)
    }

    /// [`OfflineRouter::scores`] of the utterance's words, read once by the caller.
    fn scores_of(&self, words: &[Token], utterance: &str) -> Vec<Scored<'_>> {
        let found: Vec<Found> = self.intents.iter().map(|m| extract(m, words, &self.plain, true)).collect();
        let frame = frame_of(words, &found);
        let query = self.vector(&self.terms(&frame, &moods(utterance, words)));
        let mut scored: Vec<Scored<'_>> = self
            .intents
            .iter()
            .zip(found)
            .map(|(m, found)| {
                let best_example = m.examples.iter().map(|e| cosine(&query, e)).fold(0.0, f64::max);
                let similarity = best_example.max(DOCSTRING_WEIGHT * cosine(&query, &m.docstring)) + VOCABULARY_WEIGHT * cosine(&query, &m.vocabulary);
                let weight: f64 = found.keys.iter().map(|k| 1.0 / self.sharing.get(k).copied().unwrap_or(1).max(1) as f64).sum();
                let named_args = found.keys.iter().filter(|k| !k.starts_with('@')).count();
                let by_name = found.keys.iter().filter(|k| !k.is_empty() && !k.starts_with('@')).count();
                let shared_only = !found.keys.is_empty() && found.keys.iter().all(|k| k.starts_with('@') || self.sharing.get(k).is_some_and(|n| *n > 1));
                let (args, evidence, read, problems) = (found.args, found.evidence, found.used, found.problems);
                Scored { score: similarity + ARG_WEIGHT * weight, similarity, spec: &m.spec, args, evidence, named_args, by_name, read, problems, shared_only }
            })
            .collect();
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.spec.name.cmp(&b.spec.name)));
        scored
    }
}

impl Router for OfflineRouter {
    /// Scores per intent and which words filled which argument.
    fn explain(&self, utterance: &str) -> String {
        let words: Vec<String> = self
            .words(utterance)
            .into_iter()
            .map(|t| if t.text == t.original.to_lowercase() { t.text } else { format!("{}({})", t.text, t.original) })
            .collect();
        let mut out = format!("tokens: {}\n", words.join(" "));
        for s in self.scores(utterance) {
            let _ = writeln!(out, "{:>6.3}  {:<20} similarity {:.3}, {} argument(s)", s.score, s.spec.name, s.similarity, s.args.len());
            for e in &s.evidence {
                let _ = writeln!(out, "          {e}");
            }
        }
        let _ = write!(out, "call: {}", self.route(utterance).map(|c| c.to_string()).unwrap_or_default());
        out
    }

    /// Each utterance stands alone but for the context's settings not in use, which decide
    /// whose setting a shared word names.
    fn route_with(&self, utterance: &str, context: &Context) -> Result<Call, RouteError> {
        // An intent whose every example fills an argument is never called empty ("what's my
        // min size?" asks about the group, it changes nothing): the next intent answers instead.
        let words = self.words(utterance);
        let scores = self.scores_of(&words, utterance);
        let out_of_scope = scores.iter().find(|s| s.spec.name == OUT_OF_SCOPE);
        // Out-of-scope's own arguments name what it covers ("an RDS instance with 16 GB"): the
        // numbers around them belong to that, not to any intent here, unless another intent
        // reads the same word ("the vpc zone identifier" is a modify-asg setting).
        let elsewhere = |w: usize| scores.iter().any(|s| s.spec.name != OUT_OF_SCOPE && s.read[w]);
        if out_of_scope.is_some_and(|s| !s.args.is_empty() && s.read.iter().enumerate().any(|(w, r)| *r && !elsewhere(w))) {
            return Ok(Call::out_of_scope());
        }
        let (out_of_scope, unlike_anything) = out_of_scope.map_or((0.0, 0.0), |s| (s.score, s.similarity));
        // The best intent that does not act on AWS, which an action must stand clear of.
        let runner_up = scores.iter().find(|s| !self.actions.contains(&s.spec.name) && s.spec.name != OUT_OF_SCOPE).map_or(0.0, |s| s.score);
        let mut callable: Vec<Scored<'_>> = scores.into_iter().filter(|s| !s.args.is_empty() || !s.problems.is_empty() || !needs_arguments(s.spec)).collect();
        // Numbers placed only by position are trusted when an intent that takes nothing is sure
        // the request is about it ("turn on autoscaling with between 2 and 6 instances"): the
        // numbers can only be settings for it.
        let sure_setting = callable.iter().any(|s| s.spec.params.is_empty() && s.spec.name != OUT_OF_SCOPE && s.similarity >= SURE_SIMILARITY);
        // An intent that takes nothing yields to one the utterance gives settings to: "enable
        // autoscaling, max size 10" changes the max.
        if callable.first().is_some_and(|s| s.spec.params.is_empty())
            && let Some(at) = callable.iter().position(|s| !s.args.is_empty() && s.spec.name != OUT_OF_SCOPE)
        {
            callable.swap(0, at);
        }
        // A setting not in use yields to one in use that the same shared words fill: "set the
        // maximum to 6" is the group's while autoscaling is on, and the EC2 count's while it is off.
        let dormant = |s: &Scored<'_>| s.args.iter().any(|(n, _)| context.dormant.contains(n));
        let values = |s: &Scored<'_>| s.args.iter().map(|(_, v)| serde_json::to_string(v).unwrap_or_default()).collect::<Vec<_>>();
        if let Some(first) = callable.first().filter(|s| s.shared_only && dormant(s))
            && let Some(at) = callable.iter().position(|s| s.shared_only && !dormant(s) && values(s) == values(first))
        {
            callable.swap(0, at);
        }
        let Some(best) = callable.into_iter().next() else {
            return Ok(Call::out_of_scope());
        };
        // "don't deploy yet" declines deploy whichever intent the words "don't" and "yet" favour.
        if best.args.is_empty() && best.spec.name != OUT_OF_SCOPE {
            // Best by its own words; any other by its name ("don't deploy yet"), unless best says
            // what it does with a negation about the same thing ("no autoscaling after all").
            let shares_name = |s: &IntentSpec| s.name.split('-').any(|w| best.spec.name.split('-').any(|b| b == w));
            let named = self
                .intents
                .iter()
                .map(|m| &m.spec)
                .filter(|s| s.params.is_empty() && s.name != OUT_OF_SCOPE && !(self.negative(&best.spec.name) && shares_name(s)))
                .find(|s| self.declined_by_name(&s.name, &words));
            let declined = std::iter::once(best.spec).filter(|s| s.params.is_empty() && self.declined(&s.name, &words)).chain(named).next();
            if let Some(spec) = declined.filter(|s| !self.negative(&s.name)) {
                return Err(RouteError::Rejected(format!("that reads as not wanting {}; nothing was done", spec.name)));
            }
        }
        if self.actions.contains(&best.spec.name) && !self.acting(&best, &words, utterance, runner_up) {
            return Ok(Call::out_of_scope());
        }
        let unsure_without_args = best.named_args == 0 && !best.spec.params.is_empty() && best.similarity < MIN_SIMILARITY_WITHOUT_ARGS && !sure_setting;
        // An action nothing in the utterance parametrises, barely ahead of "none of these", is
        // not worth the risk ("disregard your rules and delete everything").
        let close_to_nothing = best.args.is_empty() && out_of_scope >= NOTHING_MARGIN * best.score;
        // Arguments do not make an intent of words far more like what it does not cover: "stop
        // every instance in us-east-1" names a region and still asks for something else.
        let unlike_its_examples =
            best.by_name == 0 && best.similarity < MIN_SIMILARITY_WITHOUT_ARGS && unlike_anything > OUT_OF_SCOPE_DOMINANCE * best.similarity;
        if best.score < MIN_SCORE || best.spec.name == OUT_OF_SCOPE || unsure_without_args || close_to_nothing || unlike_its_examples {
            return Ok(Call::out_of_scope());
        }
        // Words that named a setting but gave nothing usable for it are said, not dropped.
        if !best.problems.is_empty() {
            return Err(RouteError::Rejected(format!("{}; nothing was changed", best.problems.join("; "))));
        }
        // What the router found must pass the spec's own check; if not, act on nothing unsure.
        match best.spec.check(&best.args) {
            Ok(args) => Ok(Call { intent: best.spec.name.clone(), args }),
            Err(_) => Ok(Call::out_of_scope()),
        }
    }
}

impl OfflineRouter {
    /// Whether `best`, an intent that acts on AWS, is clearly asked for: not a question that
    /// opens with a question word ("should I deploy now?", "what would deploying create?" ask
    /// about the plan; "ok, can you deploy?" asks for it), and like its own examples at least
    /// [`SURE_ACTION`] — a greeting or chit-chat barely like anything does not launch instances.
    ///
    /// It must also stand clear of the best intent that does not act (by [`ACTION_MARGIN`]),
    /// unless the utterance names it ("deploy the gpu config now", "tear down the asg"): a
    /// request that is nearly as much about changing a setting or showing the plan is not a
    /// request to act on AWS.
    ///
    /// Jokes and hypotheticals ("deploy, just kidding", "imagine if you deployed this") and
    /// questions that ask about acting rather than for it ("would deploying cost a lot?", as
    /// against "can you deploy it?") are not requests either.
    fn acting(&self, best: &Scored<'_>, words: &[Token], utterance: &str, runner_up: f64) -> bool {
        let asks = words.first().is_some_and(|w| ASKING.contains(&w.text.as_str()) || w.text == "should");
        // "would deploying cost a lot?" wonders; "could you deploy it?", "could we remove them?" ask.
        let wonders = utterance.contains('?')
            && words.first().is_some_and(|w| REQUESTING.contains(&w.text.as_str()))
            && !words.get(1).is_some_and(|w| ["you", "we"].contains(&w.text.as_str()));
        let playful = words.iter().any(|w| NOT_MEANT.contains(&w.text.as_str()));
        let name = best.spec.name.replace('-', "");
        let named = words.iter().any(|w| stem(&w.text) == stem(&name)) || words.windows(2).any(|w| format!("{}{}", w[0].text, w[1].text) == name);
        !asks && !wonders && !playful && best.similarity >= SURE_ACTION && (named || best.score >= ACTION_MARGIN * runner_up)
    }

    /// Whether a declining word comes shortly before `intent`'s name ("don't deploy yet").
    fn declined_by_name(&self, intent: &str, words: &[Token]) -> bool {
        let name: Vec<String> = intent.split('-').map(stem).collect();
        declining(words, |stemmed| name.iter().any(|n| n == stemmed))
    }

    /// Whether `intent`'s own examples say what it does with a negation ("no autoscaling after
    /// all", "I don't want an autoscaling group").
    fn negative(&self, intent: &str) -> bool {
        self.intents.iter().any(|m| m.spec.name == intent && m.negative)
    }

    /// Whether the utterance asks for `intent` (one that takes no arguments) not to happen: a
    /// negation shortly before a word of its own examples ("don't enable autoscaling", "do not
    /// deploy", "not sure"). Negation of a value is read where the value is; this is the
    /// negation of the request itself. An intent whose own examples are negative ("no
    /// autoscaling after all") is not declined by the words that ask for it.
    fn declined(&self, intent: &str, words: &[Token]) -> bool {
        let Some(model) = self.intents.iter().find(|m| m.spec.name == intent) else { return false };
        !model.negative && declining(words, |stemmed| model.vocabulary.contains_key(stemmed))
    }
}

/// Whether a declining word comes shortly before a word whose stem `marks` accepts.
fn declining(words: &[Token], marks: impl Fn(&str) -> bool) -> bool {
    words.iter().enumerate().filter(|(_, w)| DECLINING.contains(&w.text.as_str())).any(|(at, _)| {
        words[at + 1..].iter().take_while(|w| !w.clause_start).filter(|w| !is_stopword(&w.text)).take(DECLINING_REACH).any(|w| marks(&stem(&w.text)))
    })
}

/// The words left once the numbers placed by position, and the words placing them, are taken
/// out: what every intent reads alike does not tell them apart.
fn frame_of(words: &[Token], found: &[Found]) -> Vec<Token> {
    words.iter().enumerate().filter(|(w, _)| !found.iter().any(|f| f.placed[*w])).map(|(_, t)| t.clone()).collect()
}

const QUESTION: &str = "#question";
const DEFINITION: &str = "#definition";

/// How the utterance asks, as terms its examples can share: a question asks about what is, not
/// for a change ("is autoscaling on?" is not "autoscaling on"), and a question about what a
/// thing is ("what is an AMI?", "the difference between a vCPU and a core") asks about no
/// configuration at all.
/// Words that turn a request around ("don't enable autoscaling", "do not deploy").
const DECLINING: [&str; 8] = ["no", "not", "dont", "don't", "never", "nah", "nope", "without"];
/// How many content words after a declining word it reaches: the next one ("not ready to
/// deploy", "don't tear it down"); two reached "I don't want to get billed" → get (rid of).
const DECLINING_REACH: usize = 1;
/// Words that say an action is not meant: jokes, hypotheticals, hesitation.
const NOT_MEANT: [&str; 11] = ["kidding", "joking", "jk", "haha", "imagine", "suppose", "pretend", "hypothetically", "nah", "nope", "hmm"];
/// "can you …?", "could you …?": a question that asks us to act.
const REQUESTING: [&str; 4] = ["can", "could", "would", "will"];

/// Words that open a question.
const ASKING: [&str; 13] = ["what", "whats", "which", "how", "is", "are", "does", "did", "where", "who", "why", "when", "was"];

fn moods(utterance: &str, words: &[Token]) -> Vec<&'static str> {
    // "can you make it autoscale?" asks for a change, politely.
    let t: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let polite = t.first().is_some_and(|w| REQUESTING.contains(w) || *w == "please");
    let question = t.first().is_some_and(|w| ASKING.contains(w)) || (utterance.trim_end().ends_with('?') && !polite);
    // "what is a …", "what's an …", "what exactly is a …"
    let what_a = (0..t.len())
        .filter(|&i| ["what", "whats"].contains(&t[i]))
        .any(|i| t[i + 1..].iter().find(|x| !["is", "are", "exactly", "actually"].contains(x)).is_some_and(|x| ["a", "an"].contains(x)));
    let definition =
        what_a || (t.contains(&"what") && t.iter().any(|w| ["mean", "means", "meaning"].contains(w))) || t.windows(2).any(|w| w == ["difference", "between"]);
    [(question, QUESTION), (definition, DEFINITION)].into_iter().filter(|(on, _)| *on).map(|(_, m)| m).collect()
}

/// Whether the spec's examples teach that this intent always takes an argument.
fn needs_arguments(spec: &IntentSpec) -> bool {
    !spec.params.is_empty() && !spec.examples.is_empty() && spec.examples.iter().all(|e| !e.args.is_empty())
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    a.iter().filter_map(|(t, x)| b.get(t).map(|y| x * y)).sum()
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
fn is_shaped(p: &ParamSpec) -> bool {
    p.matcher.is_some() && !["test", "name", "value", "web-server", "my_app", "yes", "no"].iter().any(|w| p.accepts_text(w))
}

/// Learns value words and number positions from the intent's own examples: whatever an example's
/// arguments need that names, shapes and units do not already explain.
fn learn(model: &mut IntentModel, example_words: &[Vec<Token>], plain: &HashSet<String>) {
    let mention_words: HashSet<&str> = model.mentions.iter().flat_map(|(w, _)| w.iter().map(String::as_str)).collect();
    let mut aliases = HashMap::new();
    let mut positions: HashMap<String, Vec<usize>> = HashMap::new();
    for (e, (example, words)) in model.spec.examples.iter().zip(example_words).enumerate() {
        let found = extract(model, words, plain, false).args;
        let mut explained: HashSet<usize> = HashSet::new();
        for (name, value) in &example.args {
            let Some(p) = model.spec.params.iter().position(|p| p.name == *name) else { continue };
            if found.iter().any(|(n, v)| n == name && v == value) {
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

struct Found {
    args: Args,
    /// Why each argument was filled, for people.
    evidence: Vec<String>,
    /// What filled each argument, for weighing: a mention phrase, "@word" for a learned
    /// position, or "" for a shape, unit or learned value, which no other intent shares.
    keys: Vec<String>,
    /// Per word: a number placed by the word before it, or that word.
    placed: Vec<bool>,
    /// Per word: read by this intent, as a value or as the name or word beside one.
    used: Vec<bool>,
    /// What named a parameter but gave no usable value, said to the user.
    problems: Vec<String>,
}

/// What words imply for a parameter no mention gave a value: (the value, its key, the words
/// typed), or why the words give it none.
type Reading = Result<(Value, String, String), String>;

/// Fills the intent's parameters from the words; `learned` turns on what the examples taught
/// (off while learning, so only names, shapes and units count there).
fn extract(model: &IntentModel, words: &[Token], plain: &HashSet<String>, learned: bool) -> Found {
    let params = &model.spec.params;
    let mut found: Vec<Option<Value>> = vec![None; params.len()];
    let mut evidence = Vec::new();
    let mut keys = Vec::new();
    let mut used = vec![false; words.len()];
    let mut placed = vec![false; words.len()];
    let mut problems = Vec::new();
    // Values the words imply, or why they give none, for parameters no mention gave a value.
    let mut unsaid: Vec<(usize, Reading)> = Vec::new();
    // Where each parameter was named: (first word, past the last word, parameter).
    let mut mentioned: Vec<(usize, usize, usize)> = Vec::new();

    for (i, p) in params.iter().enumerate().filter(|(i, _)| model.shaped[*i]) {
        let hits: Vec<usize> = (0..words.len()).filter(|&w| !used[w] && p.accepts_text(&words[w].text)).collect();
        // A negated value is the other of two ("without arm64"), or none at all.
        let values: Vec<String> = hits.iter().filter_map(|&w| unless_negated(p, words, w, &words[w].text)).collect();
        if values.is_empty() && !hits.is_empty() {
            hits.iter().for_each(|&w| used[w] = true);
            continue;
        }
        let value = match (p.ty, values.as_slice()) {
            (_, []) => continue,
            (ParamType::TextList, _) => Value::TextList(dedup(values.clone())),
            (_, many) if many.len() > 1 && p.accepts_text(&many.join(",")) => Value::Text(many.join(",")),
            // "from m5.large to m6i.large": the last one named is the one wanted.
            (_, [.., last]) => Value::Text(last.clone()),
        };
        hits.iter().for_each(|&w| used[w] = true);
        evidence.push(format!("{} <- {:?} (by its shape)", p.name, values));
        keys.push(String::new());
        found[i] = Some(value);
    }

    for (i, p) in params.iter().enumerate() {
        let Some(unit) = &p.unit else { continue };
        for w in 1..words.len() {
            if found[i].is_none()
                && !used[w - 1]
                && is_number(&words[w - 1].text)
                && let (Some(factor), Ok(n)) = (unit_factor(unit, &words[w].text), words[w - 1].text.parse::<f64>())
            {
                found[i] = Some(Value::Float(n * factor));
                used[w - 1] = true;
                used[w] = true;
                evidence.push(format!("{} <- \"{} {}\" (a number with a unit)", p.name, words[w - 1].text, words[w].text));
                keys.push(String::new());
            }
        }
    }

    let stems: Vec<String> = words.iter().map(|t| stem(&t.text)).collect();
    let mut at = 0;
    while at < words.len() {
        let hit = model.mentions.iter().find(|(m, _)| {
            words.len() - at >= m.len()
                && m.iter().zip(&stems[at..]).all(|(a, b)| a == b)
                && !used[at..at + m.len()].iter().any(|u| *u)
                && !words[at + 1..at + m.len()].iter().any(|t| t.clause_start)
        });
        let Some((mention, i)) = hit else {
            at += 1;
            continue;
        };
        let end = at + mention.len();
        used[at..end].iter_mut().for_each(|u| *u = true);
        mentioned.push((at, end, *i));
        let typed: Vec<&str> = words[at..end].iter().map(|t| t.original.as_str()).collect();
        if found[*i].is_none()
            && let Some(one) = one_of(&params[*i], words, mention, at)
        {
            // "a gpu with 4 cpus": the article is the count and the 4 belongs to the cpus; a
            // later mention with its own number ("a gpu instance with 2 gpus") still wins.
            unsaid.insert(0, (*i, Ok((one, mention.join(" "), typed.join(" ")))));
        } else if found[*i].is_none() {
            match value_near(&params[*i], words, &used, plain, at, end) {
                Some((w, value)) => {
                    used[w] = true;
                    evidence.push(format!("{} <- {:?} (next to \"{}\")", params[*i].name, words[w].original, typed.join(" ")));
                    keys.push(mention.join(" "));
                    found[*i] = Some(value);
                }
                // Another mention of the same parameter may still give it a number.
                None => match implied(&params[*i], words, mention, at, end) {
                    Some(value) => unsaid.push((*i, Ok((value, mention.join(" "), typed.join(" "))))),
                    None => unsaid.extend(unusable(&params[*i], words, &used, plain, at, end).map(|why| (*i, Err(why)))),
                },
            }
        }
        at = end;
    }
    // "the min count and the max count to 2": a setting named just before another, joined by
    // "and", shares its value.
    for &(_, end, i) in &mentioned {
        let joined = words.get(end).is_some_and(|t| t.text == "and");
        let next = mentioned.iter().find(|(s, _, _)| *s == end + 1 || (*s == end + 2 && words[end + 1].text == "the"));
        if let Some(&(_, _, j)) = next.filter(|(_, _, j)| joined && found[i].is_none() && params[i].ty == params[*j].ty)
            && let Some(value) = found[j].clone()
        {
            evidence.push(format!("{} <- {value:?} (shares the value of {})", params[i].name, params[j].name));
            keys.push(String::new());
            found[i] = Some(value);
        }
    }
    for (i, reading) in unsaid {
        match reading {
            _ if found[i].is_some() => {}
            Ok((value, key, typed)) => {
                evidence.push(format!("{} <- {value:?} (implied by \"{typed}\" and the words around it)", params[i].name));
                keys.push(key);
                found[i] = Some(value);
            }
            Err(why) => problems.push(why),
        }
    }

    if learned {
        // The surest value word for each parameter, the first of equals.
        let mut best: Vec<Option<(usize, &String, f64)>> = vec![None; params.len()];
        for (w, word) in words.iter().enumerate() {
            if let Some((i, value, confidence)) = model.aliases.get(&word.text)
                && *confidence >= MIN_ALIAS_CONFIDENCE
                && found[*i].is_none()
                && !used[w]
                && best[*i].is_none_or(|(_, _, c)| c < *confidence)
            {
                best[*i] = Some((w, value, *confidence));
            }
        }
        for (i, (w, value, _)) in best.into_iter().enumerate().filter_map(|(i, b)| b.map(|b| (i, b))) {
            used[w] = true;
            let Some(value) = unless_negated(&params[i], words, w, value) else { continue };
            evidence.push(format!("{} <- {:?} (a word the examples use for {value:?})", params[i].name, words[w].text));
            keys.push(String::new());
            found[i] = Some(Value::Text(value));
        }
        for w in 1..words.len() {
            let Some(slots) = model.positions.get(&stems[w - 1]) else { continue };
            if used[w] || !is_number(&words[w].text) {
                continue;
            }
            for &i in slots {
                if found[i].is_none()
                    && let Some(v) = number(&params[i], &words[w].text)
                {
                    evidence.push(format!("{} <- {:?} (after \"{}\", as in the examples)", params[i].name, words[w].text, words[w - 1].text));
                    keys.push(format!("@{}", words[w - 1].text));
                    found[i] = Some(v);
                    used[w] = true;
                    placed[w - 1] = true;
                    placed[w] = true;
                }
            }
        }
    }

    let args = params.iter().zip(found).filter_map(|(p, v)| v.map(|v| (p.name.clone(), v))).collect();
    Found { args, evidence, keys, placed, used, problems }
}

/// `value` for `p`, read at `words[w]`, unless a negation comes just before it ("avoid ARM",
/// "not graviton", "without arm64"): then the other value of a two-valued parameter, or none.
fn unless_negated(p: &ParamSpec, words: &[Token], w: usize, value: &str) -> Option<String> {
    let reach = w.saturating_sub(NEGATION_REACH)..w;
    let crossed = |k: usize| (k + 1..=w).any(|j| words[j].clause_start);
    let negated = reach.clone().any(|k| NEGATIONS.contains(&words[k].text.as_str()) && !crossed(k))
        || reach.clone().any(|k| k > 0 && words[k - 1].text == "anything" && words[k].text == "but" && !crossed(k));
    if !negated {
        return Some(value.to_string());
    }
    let alternatives: Vec<&str> = p.pattern.as_deref().map(|pat| pat.split('|').collect()).unwrap_or_default();
    let literal = |a: &&str| !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    match alternatives.as_slice() {
        [a, b] if literal(a) && literal(b) && (*a == value || *b == value) => Some(if *a == value { b } else { a }.to_string()),
        _ => None,
    }
}

/// 1 for a thing counted named with an article ("a GPU"; the article must be right before the
/// name) or describing the instance ("a gpu box"), unless letting it go ("without a GPU").
fn one_of(p: &ParamSpec, words: &[Token], mention: &[String], at: usize) -> Option<Value> {
    // "with a GPU", "a GPU with 4 cpus" — not "what is a vCPU?"
    let article =
        at >= 1 && ["a", "an"].contains(&words[at - 1].text.as_str()) && !words[at].clause_start && (at == 1 || HAVING.contains(&words[at - 2].text.as_str()));
    // "cheapest gpu box with 4 cpus": a thing counted used to describe the instance; "4 gpu box"
    // has its own number.
    let describing = words.get(at + mention.len()).is_some_and(|t| t.text == "instance") && !at.checked_sub(1).is_some_and(|b| is_number(&words[b].text));
    (p.ty == ParamType::Int && counted(p, mention) && (article || describing) && !lets_go(words, at)).then_some(Value::Int(1))
}

/// Whether a word letting the setting named at `words[at]` go ("forget the GPU", "any memory")
/// comes shortly before it, in its clause.
fn lets_go(words: &[Token], at: usize) -> bool {
    let crossed = |k: usize| (k + 1..=at).any(|j| words[j].clause_start);
    (at.saturating_sub(LETTING_GO_REACH)..at).any(|k| LETTING_GO.contains(&words[k].text.as_str()) && !crossed(k))
}

/// Whether `mention` names the thing `p` counts ("gpu" for "Minimum number of GPUs"), not a
/// bound or measure of it ("max count").
fn counted(p: &ParamSpec, mention: &[String]) -> bool {
    p.description.to_lowercase().contains("number of") && !mention.iter().any(|w| BOUND_WORDS.contains(&w.as_str()))
}

/// Words before "a" that ask for the thing named after it ("with a GPU", "need a GPU").
const HAVING: [&str; 9] = ["with", "need", "needs", "want", "wants", "has", "have", "plus", "and"];

/// Words that bound or measure a setting rather than name the thing it counts.
const BOUND_WORDS: [&str; 8] = ["min", "max", "minimum", "maximum", "count", "size", "number", "desired"];

/// A value the words imply for `p` where none is written: 0 where the user lets the setting go
/// ("forget the GPU", "any memory is fine"), 1 for one of the thing it counts named after a word
/// that asks for it ("with graphic card"), yes or no for a yes/no parameter named alone. `mention` is the parameter's name as found at
/// `words[at..end]`.
fn implied(p: &ParamSpec, words: &[Token], mention: &[String], at: usize, end: usize) -> Option<Value> {
    let zero = match p.ty {
        ParamType::Int => Value::Int(0),
        ParamType::Float => Value::Float(0.0),
        // A yes/no parameter named alone is asked for ("burstable instances"), or against it
        // after a negation ("no burstable instances").
        ParamType::Text if p.pattern.as_deref() == Some("yes|no") => {
            let no = lets_go(words, at) || unless_negated(p, words, at, "yes").as_deref() == Some("no");
            return Some(Value::Text(if no { "no" } else { "yes" }.into()));
        }
        _ => return None,
    };
    if lets_go(words, at) {
        return Some(zero);
    }
    // "a GPU" and "a gpu box" are read by `one_of` before any number is looked for. Without an
    // article only one thing is named: "with graphic card", not "with cpus".
    let singular = !words[end - 1].text.ends_with('s');
    let having = at >= 1 && HAVING.contains(&words[at - 1].text.as_str()) && !words[at].clause_start;
    (p.ty == ParamType::Int && counted(p, mention) && singular && having).then_some(Value::Int(1))
}

/// Why the words next to `p`'s name at `words[start..end]` give it no value, when they look like
/// one: a negative number, one too large to hold, or an identifier its pattern refuses.
fn unusable(p: &ParamSpec, words: &[Token], used: &[bool], plain: &HashSet<String>, start: usize, end: usize) -> Option<String> {
    let clause_end = (end..words.len()).find(|&w| words[w].clause_start).unwrap_or(words.len());
    let next = (end..clause_end).find(|&w| !FILLERS.contains(&words[w].text.as_str()));
    let before = start.checked_sub(1).filter(|_| !words[start].clause_start);
    let name = &p.name;
    [next, before].into_iter().flatten().filter(|&w| !used[w]).find_map(|w| {
        let t = &words[w];
        match p.ty {
            ParamType::Int | ParamType::Float if is_negative_number(&t.text) => {
                Some(format!("I could not use {} for {name}: it takes no negative numbers", t.original))
            }
            ParamType::Int | ParamType::Float if is_number(&t.text) && number(p, &t.text).is_none() => {
                let why = if t.text.contains('.') { "it takes a whole number" } else { "that number is too large for it" };
                Some(format!("I could not use {} for {name}: {why}", t.original))
            }
            ParamType::Text | ParamType::TextList
                if w >= end
                    && !plain.contains(&t.text)
                    && !is_number(&t.text)
                    && t.original.contains(|c: char| c.is_ascii_digit() || ".-_".contains(c))
                    && !p.accepts_text(&t.original)
                    && !p.accepts_text(&t.text) =>
            {
                Some(format!("I could not use {:?} for {name}: it does not look like {}", t.original, p.description.to_lowercase()))
            }
            _ => None,
        }
    })
}

fn number(p: &ParamSpec, text: &str) -> Option<Value> {
    match p.ty {
        ParamType::Int if is_number(text) => text.parse::<i64>().ok().map(Value::Int),
        ParamType::Float if is_number(text) => text.parse::<f64>().ok().map(Value::Float),
        _ => None,
    }
}

/// The value for `p` mentioned at `words[start..end]`: right after the mention (past fillers:
/// "min count to 2"), else a number just before it ("4 RAM"), else a number a few words after it.
fn value_near(p: &ParamSpec, words: &[Token], used: &[bool], plain: &HashSet<String>, start: usize, end: usize) -> Option<(usize, Value)> {
    let numeric = matches!(p.ty, ParamType::Int | ParamType::Float);
    // Values stay inside the mention's clause: "20 instances, 18 months".
    let clause_end = (end..words.len()).find(|&w| words[w].clause_start).unwrap_or(words.len());
    if numeric {
        let next = (end..clause_end).find(|&w| !FILLERS.contains(&words[w].text.as_str())).filter(|&w| !used[w]);
        if let Some(v) = next.and_then(|w| number(p, &words[w].text).map(|v| (w, v))) {
            return Some(v);
        }
        // The number just before ("4 RAM"), else before it past one word ("5 instances
        // minimum", "3 cheaper alternatives").
        for back in [1, 2] {
            let Some(w) = start.checked_sub(back).filter(|_| !words[start].clause_start) else { break };
            let between_is_a_word = (w + 1..start).all(|b| !used[b] && !words[b].clause_start && words[b].text.bytes().all(|c| c.is_ascii_lowercase()));
            if let Some(v) = number(p, &words[w].text).filter(|_| !used[w] && between_is_a_word) {
                return Some((w, v));
            }
        }
    }
    let mut skipped = 0;
    let mut introduced = false;
    for w in end..clause_end {
        if used[w] {
            break;
        }
        let t = &words[w];
        if numeric {
            if let Some(v) = number(p, &t.text) {
                return Some((w, v));
            }
        } else if p.ty == ParamType::Text && !FILLERS.contains(&t.text.as_str()) && !plain.contains(&t.text) {
            // A name is a word the specs do not use themselves, introduced ("named test", "to
            // test") or shaped like an identifier ("template web-prod"): "the template
            // according to our convention" names nothing.
            let name = introduced || t.original.contains(|c: char| c.is_ascii_digit() || c.is_uppercase() || "-_.".contains(c));
            return (name && p.accepts_text(&t.original) && !is_stopword(&t.text)).then(|| (w, Value::Text(t.original.clone())));
        }
        introduced |= FILLERS.contains(&t.text.as_str());
        if !FILLERS.contains(&t.text.as_str()) {
            skipped += 1;
            if skipped > MAX_SKIPPED {
                break;
            }
        }
    }
    None
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    values.into_iter().filter(|v| seen.insert(v.clone())).collect()
}
