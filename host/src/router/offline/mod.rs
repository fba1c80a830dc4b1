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
mod decide;
mod extract;
pub mod gate;
mod model;
mod plan;
mod refer;
mod score;
mod words;

pub use score::Scored;

/// `--ask-model unsure` skips the model when the routed intent scores this many times the next
/// one. The sweep in host/tests/router_eval.rs (`sure_margin_keeps_the_turns_it_skips_right`,
/// 2,398 labelled utterances) gave: 1.3 skips 82% of turns, 99.3% of them right; 1.5 skips 72%,
/// 99.5% right; 2.0 skips 56%, 99.7%; 2.5 skips 40%, 100%. 1.5 is the lowest above 99.5%.
pub const SURE_MARGIN: f64 = 1.5;

use crate::plugin::spec::{IntentSpec, ParamSpec, Value};
use crate::router::reading::Reading;
use crate::router::text::{Token, tokens};
use crate::router::{Call, Context, RouteError, Routed, Router};
use model::{IntentModel, is_shaped, learn, names_of};
use score::{INTENT_IDF_WEIGHT, Vector, moods};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

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
    /// Intents that change the configuration (they import `config-write`): a question never
    /// reaches one unless its own examples ask questions, and only these pair with another
    /// intent's settings in one request ("enable autoscaling with min 2").
    writers: HashSet<String>,
    /// Intents that run alone, never in a plan of several, and only when every word of the
    /// request is one their own examples use (the host's undo and redo).
    solo: HashSet<String>,
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
            solo: HashSet::new(),
            writers: HashSet::new(),
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
            // How requests are asked is known too, so "coudl we…" is read as "could we…".
            .chain(crate::router::lexicon::ASKING_WORDS.iter().flat_map(|list| list.iter()).map(|w| w.to_string()))
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
        let all_params: Vec<ParamSpec> = specs.iter().flat_map(|s| s.params.iter().cloned()).collect();
        router.intents = specs.into_iter().zip(&example_words).map(|(spec, words)| router.model(spec, words, &all_params)).collect();
        // Examples are compared by their frames: the words left once the numbers the examples
        // place by position, and the words that place them, are taken out ("launch between 2
        // and 5 instances" teaches "launch … instances"), as they are from an utterance.
        let frames: Vec<Vec<Vec<String>>> = router
            .intents
            .iter()
            .zip(&example_words)
            .map(|(m, words)| m.spec.examples.iter().zip(words).map(|(_, w)| router.terms(&router.frame(w), &moods(w.iter().any(|t| t.asks), w))).collect())
            .collect();
        for ((m, intent_frames), words) in router.intents.iter_mut().zip(&frames).zip(&example_words) {
            m.asks = intent_frames.iter().flatten().any(|t| t == score::QUESTION);
            m.defines = intent_frames.iter().flatten().any(|t| t == score::DEFINITION);
            m.only_asks = !intent_frames.is_empty()
                && intent_frames.iter().zip(words).all(|(f, w)| f.iter().any(|t| t == score::QUESTION || t == score::DEFINITION) || score::tells(w));
        }
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
        // Words that mark an intent: said in two or more of its examples and repeated so by one
        // other intent at most ("enable", "cheapest", "config"; "turn", which export says once,
        // marks enabling and disabling), not grammar ("off", "which").
        let per_intent: Vec<HashMap<&String, usize>> = frames
            .iter()
            .map(|intent_frames| {
                let mut in_examples: HashMap<&String, usize> = HashMap::new();
                for t in intent_frames.iter().flat_map(|f| f.iter().collect::<HashSet<_>>()) {
                    *in_examples.entry(t).or_default() += 1;
                }
                in_examples
            })
            .collect();
        let mut repeated_by: HashMap<&String, usize> = HashMap::new();
        for t in per_intent.iter().flat_map(|counts| counts.iter().filter(|(_, n)| **n >= 2).map(|(t, _)| *t)) {
            *repeated_by.entry(t).or_default() += 1;
        }
        for (m, in_examples) in router.intents.iter_mut().zip(per_intent) {
            m.markers = in_examples
                .into_iter()
                .filter(|(t, n)| *n >= 2 && repeated_by.get(t).is_some_and(|owners| *owners <= 2) && !t.starts_with('#') && !grammar(t))
                .map(|(t, _)| t.clone())
                .collect();
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
    fn model(&self, spec: IntentSpec, example_words: &[Vec<Token>], all_params: &[ParamSpec]) -> IntentModel {
        let mut mentions: Vec<(Vec<String>, usize)> =
            spec.params.iter().enumerate().flat_map(|(i, p)| names_of(p).into_iter().map(move |words| (words, i))).collect();
        mentions.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        let shaped = spec.params.iter().map(is_shaped).collect();
        let all: Vec<&ParamSpec> = all_params.iter().collect();
        let named_values = spec.params.iter().map(|p| model::named_values(p, &all)).collect();
        let min_items = spec
            .params
            .iter()
            .map(|p| {
                let given = spec.examples.iter().filter_map(|e| e.args.iter().find(|(n, _)| *n == p.name)).filter_map(|(_, v)| match v {
                    Value::TextList(items) => Some(items.len()),
                    _ => None,
                });
                given.min().unwrap_or(1)
            })
            .collect();
        let (examples, vocabulary, docstring) = (vec![], Vector::new(), Vector::new());
        let negative = example_words.iter().flatten().any(|t| crate::router::lexicon::declines(&t.text));
        let mut model = IntentModel {
            spec,
            shaped,
            examples,
            vocabulary,
            docstring,
            mentions,
            aliases: HashMap::new(),
            positions: HashMap::new(),
            negative,
            markers: HashSet::new(),
            named_values,
            min_items,
            asks: false,
            defines: false,
            only_asks: false,
        };
        learn(&mut model, example_words, &self.plain);
        model
    }

    /// Marks the intents whose calls act on AWS; they are chosen only on clear evidence.
    pub fn with_actions<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> OfflineRouter {
        self.actions = names.into_iter().map(String::from).collect();
        self
    }

    /// Marks the intents that change the configuration.
    pub fn with_writers<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> OfflineRouter {
        self.writers = names.into_iter().map(String::from).collect();
        self
    }

    /// Marks intents that run alone and only when asked in their own words.
    pub fn with_solo<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> OfflineRouter {
        self.solo = names.into_iter().map(String::from).collect();
        self
    }

    /// Whether `intent` acts on AWS (marked by [`OfflineRouter::with_actions`]).
    pub fn acts(&self, intent: &str) -> bool {
        self.actions.contains(intent)
    }

    /// The plan for `utterance` when this router is sure of it: one call whose intent scores
    /// [`SURE_MARGIN`] times the next intent or more, with no setting named without a usable
    /// value. `None` means a model should be asked.
    pub fn sure(&self, utterance: &str, context: &Context) -> Option<Routed> {
        let routed = self.route_with(utterance, context).ok()?;
        let margin = self.margin(utterance, &routed.only()?.intent)?;
        (margin >= SURE_MARGIN).then_some(routed)
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

    /// `utterance` read once: its words as the specs spell them, and its clauses.
    pub fn read(&self, utterance: &str) -> Reading {
        Reading::new(utterance, self.words(utterance), |a, b| self.shaped.iter().any(|p| p.accepts_text(&a.text) && p.accepts_text(&b.text)))
    }

    /// The plan for a reading: a bare yes or no to the agent's own question answers it; anything
    /// else is planned clause by clause, and actions the words do not ask for now are taken out.
    pub fn route_reading(&self, reading: &Reading, context: &Context) -> Result<Routed, RouteError> {
        if let Some(intent) = &context.proposal {
            if reading.acknowledges() {
                return Ok(Routed::call(Call { intent: intent.clone(), args: vec![] }));
            }
            if reading.declines() {
                return Ok(Routed { plan: vec![], notes: vec![format!("OK, not now: {intent} was not run.")] });
            }
        }
        match self.plan(reading, context, false) {
            // "set the launch template name to web'; DROP TABLE prices;--": a value cut short by
            // a statement is refused whole, and said, never kept as its first word.
            Ok(plan)
                if plan.calls.iter().any(|p| self.writers.contains(&p.call.intent))
                    && let Some(code) = statement(&reading.utterance) =>
            {
                Err(RouteError::Rejected(format!(
                    "that line carries a statement ({code:?}) inside a value; values are names and numbers, so nothing was changed"
                )))
            }
            Ok(plan) => {
                let refused: Vec<String> = plan.calls.iter().map(|p| p.call.intent.clone()).filter(|i| self.actions.contains(i)).collect();
                let mut routed = self.gate(reading, plan);
                // Every action refused and nothing else asked for: what the line asks may still
                // be answered ("show me the config before I send it to the client") ...
                if routed.plan.is_empty()
                    && !routed.notes.is_empty()
                    && !reading.acknowledges()
                    && let Ok(answer) = self.plan(reading, context, true)
                {
                    // ... in words of its own ("show … config"), not because "tomorrow" is unlike
                    // everything else.
                    routed.plan = answer
                        .calls
                        .into_iter()
                        .map(|p| p.call)
                        .filter(|c| c.intent != crate::router::OUT_OF_SCOPE && refused.iter().all(|a| self.marked(&reading.words, &c.intent, Some(a))))
                        .collect();
                }
                Ok(routed)
            }
            Err(RouteError::Declined(why)) => Ok(Routed { plan: vec![], notes: vec![why] }),
            Err(e) => Err(e),
        }
    }
}

/// SQL or shell written into a line ("'; DROP TABLE prices;--", "; rm -rf /"): the piece that
/// gives it away.
fn statement(utterance: &str) -> Option<String> {
    static STATEMENT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?i)(['`"]\s*;|;\s*--|\b(drop|truncate)\s+table\b|\bdelete\s+from\b|\binsert\s+into\b|\bunion\s+select\b|;\s*rm\s+-|\$\()"#)
            .expect("valid regex")
    });
    STATEMENT.find(utterance).map(|m| m.as_str().to_string())
}

/// Words of grammar and courtesy, which mark no intent however often its examples say them.
pub(super) fn grammar(term: &str) -> bool {
    use crate::router::lexicon::{self as l, ACKNOWLEDGING, ASKING, CHATTER, EARLIER, HYPOTHETICAL, LATER, MUSING, PARTICLES, REQUESTING, STOPWORDS};
    // Words of mood ("will", "would", "wonder", "if") say how something is asked, not what.
    [&PARTICLES[..], &ACKNOWLEDGING, &ASKING, &CHATTER, &STOPWORDS, &EARLIER, &LATER, &REQUESTING, &MUSING, &HYPOTHETICAL].iter().any(|list| l::is(list, term))
}

impl Router for OfflineRouter {
    /// Scores per intent and which words filled which argument, the clauses, and the plan.
    fn explain(&self, utterance: &str) -> String {
        let reading = self.read(utterance);
        let words: Vec<String> =
            reading.words.iter().map(|t| if t.text == t.original.to_lowercase() { t.text.clone() } else { format!("{}({})", t.text, t.original) }).collect();
        let mut out = format!("tokens: {}\n", words.join(" "));
        let clauses: Vec<String> = reading.clauses.iter().map(|c| format!("[{}]", reading.text_of(c))).collect();
        let _ = writeln!(out, "clauses: {}", clauses.join(" "));
        for s in self.scores(utterance) {
            let _ = writeln!(out, "{:>6.3}  {:<20} similarity {:.3}, {} argument(s)", s.score, s.spec.name, s.similarity, s.args.len());
            for e in &s.evidence {
                let _ = writeln!(out, "          {e}");
            }
        }
        match self.route_reading(&reading, &Context::default()) {
            Ok(routed) => {
                let _ = write!(out, "call: {routed}");
                for note in &routed.notes {
                    let _ = write!(out, "\nnote: {note}");
                }
            }
            Err(e) => {
                let _ = write!(out, "refused: {e}");
            }
        }
        out
    }

    fn route_with(&self, utterance: &str, context: &Context) -> Result<Routed, RouteError> {
        self.route_reading(&self.read(utterance), context)
    }
}
