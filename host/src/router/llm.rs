//! Routing through a language model, as the seed prototype did: a first pass predicts the call,
//! a reflection pass sees that prediction and may correct it. The model only proposes; every
//! proposal is judged here against the loaded specs, and anything that is not exactly one
//! known function with well-typed arguments is turned into out-of-scope or a refusal.
//!
//! The shortlist is the offline router's 8 best intents, the previous turn's intent and
//! out-of-scope, so the prompt stays the same size however many plugins are loaded.
//!
//! - A call of the out-of-scope function, or of a function no plugin offers, is out of scope.
//! - A reply that breaks the protocol (cut off, unreadable, prose or nothing where a call was
//!   asked for) is a failed reply (`RouteError::BadReply`), never passed off as out of scope.
//! - Several calls, or arguments that are not plain values the spec accepts, are refused.
//! - Arguments nothing the user said backs are left out and the user is told (`grounding`); a
//!   call left with nothing is refused. The reflection pass is told what was left out.
//! - A call of an intent that acts on AWS runs only when the offline router, reading the same
//!   words, chooses it too; otherwise the user is asked to say so, and nothing runs.
//! - With `--ask-model unsure`, an utterance the offline router is sure of is not sent at all,
//!   and when the model gives no usable answer the offline router's reading stands.
//!
//! Each pass is logged (`model.pass`: prompt and cached tokens, milliseconds), as are arguments
//! left out (`model.ungrounded`) and failed replies (`model.bad_reply`). `explain` shows the
//! intents offered, each pass's request size, what the model said and what was made of it.
use super::grounding::{self, Evidence};
use super::offline::{OfflineRouter, Scored};
use super::{Call, Context, Exchange, OUT_OF_SCOPE, RouteError, Router};
use crate::llm::prompt::Prompt;
use crate::llm::{Answer, Arg, AskModel, LlmError, Pass, Proposed, Protocol, Reflect, pycall};
use crate::plugin::spec::{Args, IntentSpec};
use std::fmt::Write as _;
use std::sync::Mutex;

/// How many intents, besides out-of-scope, a prompt offers the model. The offline router's
/// ranking picks them, so the prompt stays the same size however many plugins are loaded.
pub const SHORTLIST: usize = 8;
/// How many earlier turns the prompt shows.
const HISTORY_TURNS: usize = 4;

pub struct LlmRouter {
    specs: Vec<IntentSpec>,
    offline: OfflineRouter,
    protocol: Box<dyn Protocol>,
    reflect: Reflect,
    ask: AskModel,
    /// What the last routing has to tell the user (arguments left out), taken by the session.
    notes: Mutex<Vec<String>>,
}

/// What the application makes of one answer.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    /// A call to run, and the arguments the model added that nothing the user said backs.
    Run { call: Call, dropped: Args },
    /// The out-of-scope function, or one no loaded plugin offers; the reason goes to the log.
    OutOfScope(String),
    /// A call that will not be run; the reason is told to the user.
    Refuse(String),
    /// A reply that breaks the protocol: no answer at all.
    Broken(String),
}

impl Verdict {
    fn usable(&self) -> bool {
        matches!(self, Verdict::Run { .. })
    }

    /// What the reflection pass is told was wrong with the first answer.
    fn problem(&self) -> Option<String> {
        match self {
            Verdict::Run { dropped, .. } if dropped.is_empty() => None,
            Verdict::Run { dropped, .. } => {
                Some(format!("the user never gave {}, so it was left out; call again with only the values the user stated", grounding::describe(dropped)))
            }
            Verdict::OutOfScope(why) | Verdict::Refuse(why) | Verdict::Broken(why) => Some(why.clone()),
        }
    }
}

/// Both passes of one turn, for the log and `route --explain`.
struct Trace<'a> {
    offered: Vec<&'a IntentSpec>,
    first: (Pass, Verdict),
    second: Option<(Pass, Verdict)>,
}

impl<'a> Trace<'a> {
    /// The reflection's verdict, unless it broke the protocol where the first pass had a call.
    fn verdict(&self) -> &Verdict {
        match &self.second {
            Some((_, Verdict::Broken(_))) if self.first.1.usable() => &self.first.1,
            Some((_, verdict)) => verdict,
            None => &self.first.1,
        }
    }
}

impl LlmRouter {
    /// `offline` ranks the shortlist and answers when the model cannot.
    pub fn new<'a>(
        specs: impl IntoIterator<Item = &'a IntentSpec>,
        offline: OfflineRouter,
        protocol: Box<dyn Protocol>,
        reflect: Reflect,
        ask: AskModel,
    ) -> LlmRouter {
        let specs: Vec<IntentSpec> = specs.into_iter().cloned().collect();
        LlmRouter { specs, offline, protocol, reflect, ask, notes: Mutex::new(vec![]) }
    }

    /// The intents the prompt offers: the offline router's best guesses, the intent of the
    /// last turn (a follow-up often continues it) and out-of-scope, in load order.
    fn shortlist(&self, scores: &[Scored<'_>], history: &[Exchange]) -> Vec<&IntentSpec> {
        let mut wanted: Vec<&str> = scores.iter().map(|s| s.spec.name.as_str()).filter(|n| *n != OUT_OF_SCOPE).take(SHORTLIST).collect();
        wanted.push(OUT_OF_SCOPE);
        if let Some(last) = history.last() {
            wanted.push(&last.call.intent);
        }
        self.specs.iter().filter(|s| wanted.contains(&s.name.as_str())).collect()
    }

    fn passes(&self, utterance: &str, context: &Context) -> Result<Trace<'_>, LlmError> {
        let history = &context.history[context.history.len().saturating_sub(HISTORY_TURNS)..];
        let scores = self.offline.scores(utterance);
        let offered = self.shortlist(&scores, history);
        let prompt = Prompt { query: utterance, intents: offered.clone(), history, state: &context.state };
        let ask = |reflect_on| {
            let _spinner = crate::spinner::start("asking the model…");
            let started = std::time::Instant::now();
            let pass = self.protocol.ask(&prompt, reflect_on)?;
            let ms = started.elapsed().as_millis() as u64;
            tracing::info!(prompt_tokens = pass.usage.prompt_tokens, cached_tokens = pass.usage.cached_tokens, ms, bytes = pass.request_bytes, "model.pass");
            tracing::debug!(url = self.protocol.url(), intents = prompt.intents.len(), answer = %pass.answer, "model answer");
            Ok::<Pass, LlmError>(pass)
        };
        let evidence = Evidence::of(&scores, utterance, context);
        let first = ask(None)?;
        let first_verdict = self.judge(&first.answer, &evidence, utterance, context);
        let reflect = match self.reflect {
            Reflect::Always => true,
            Reflect::Never => false,
            Reflect::Auto => !matches!(&first_verdict, Verdict::Run { call, dropped } if call.intent != OUT_OF_SCOPE && dropped.is_empty()),
        };
        let second = if reflect {
            let problem = first_verdict.problem();
            let pass = match ask(Some((&first, problem.as_deref()))) {
                Ok(pass) => pass,
                // A usable first answer outlives a reflection pass that got no answer; a cancel
                // is the user's and ends the turn.
                Err(e) if first_verdict.usable() && !matches!(e, LlmError::Cancelled) => {
                    tracing::info!(utterance, error = %e, "reflection got no answer; the first call stands");
                    return Ok(Trace { offered, first: (first, first_verdict), second: None });
                }
                Err(e) => return Err(e),
            };
            let verdict = self.judge(&pass.answer, &evidence, utterance, context);
            if verdict != first_verdict {
                tracing::info!(utterance, first = %first.answer, reflected = %pass.answer, "reflection changed the call");
            }
            Some((pass, verdict))
        } else {
            None
        };
        Ok(Trace { offered, first: (first, first_verdict), second })
    }

    /// Whether `answer` is one call of a loaded intent with arguments its spec accepts and the
    /// user's words back, and, for an intent that acts on AWS, that the words ask for.
    fn judge(&self, answer: &Answer, evidence: &Evidence, utterance: &str, context: &Context) -> Verdict {
        let bare;
        let proposed = match answer {
            Answer::Text(text) => return Verdict::Broken(format!("the model answered in prose instead of calling a function: {text:?}")),
            Answer::Unreadable(why) => return Verdict::Broken(format!("the model's reply is not a readable call: {why}")),
            Answer::Name(name) => match self.specs.iter().find(|s| pycall::identifier(&s.name) == *name) {
                Some(spec) if spec.params.iter().all(|p| !p.required) => {
                    bare = Proposed { function: name.clone(), positional: vec![], keywords: vec![] };
                    &bare
                }
                Some(_) => {
                    return Verdict::Broken(format!("the model's reply is not a readable call: a bare name, {name}, for a function that needs arguments"));
                }
                None => return Verdict::Broken(format!("the model answered in prose instead of calling a function: {name:?}")),
            },
            Answer::Calls(calls) if calls.is_empty() => return Verdict::Broken("the model's reply holds no call".into()),
            Answer::Calls(calls) if calls.len() > 1 => {
                return Verdict::Refuse(format!("the model proposed {} calls at once ({answer}); nothing was run — ask for one thing at a time", calls.len()));
            }
            Answer::Calls(calls) => &calls[0],
        };
        let Some(spec) = self.specs.iter().find(|s| pycall::identifier(&s.name) == proposed.function || s.name == proposed.function) else {
            return Verdict::OutOfScope(format!("the model called {}, which no loaded plugin offers", proposed.function));
        };
        let refuse = |why: String| Verdict::Refuse(format!("the model's call {proposed} was not run: {why}"));
        // Positional arguments follow the order of the `def` the prompt showed: required first.
        let order: Vec<&str> = spec.params.iter().filter(|p| p.required).chain(spec.params.iter().filter(|p| !p.required)).map(|p| p.name.as_str()).collect();
        if proposed.positional.len() > order.len() {
            return refuse(format!("{} takes at most {} arguments", spec.name, order.len()));
        }
        let named = order.iter().map(|n| n.to_string()).zip(&proposed.positional).chain(proposed.keywords.iter().map(|(k, a)| (k.clone(), a)));
        let mut args: Args = vec![];
        for (name, arg) in named {
            match arg {
                Arg::Given(value) => args.push((name, value.clone())),
                Arg::Absent => {}
                Arg::Unusable(source) => return refuse(format!("{name} = {source} is not a plain value")),
            }
        }
        let args = match spec.check(&args) {
            Ok(args) => args,
            Err(why) => return refuse(why),
        };
        let (call, dropped) = grounding::ground(Call { intent: spec.name.clone(), args }, evidence);
        if call.args.is_empty() && !dropped.is_empty() {
            return refuse(format!("nothing you said gives {}", grounding::describe(&dropped)));
        }
        if self.offline.acts(&call.intent) && !self.offline.route_with(utterance, context).is_ok_and(|c| c.intent == call.intent) {
            return Verdict::Refuse(format!(
                "the model chose {}, which acts on AWS, but what you said does not clearly ask for it, so nothing was run; say \"{}\" in so many words to go ahead",
                call.intent, call.intent
            ));
        }
        Verdict::Run { call, dropped }
    }

    /// With `--ask-model unsure` the model is a second opinion on what the offline router is
    /// unsure of: when its answer cannot be used (a broken reply, or one the server itself
    /// could not parse), the offline reading stands, and the user is told. (The 1.5B model's
    /// `{"name": "show_config"}`, which llama-server refuses with HTTP 500, had cost two lines
    /// the offline router gets right.) Never into an action on AWS: an unsure reading is not
    /// the clear request those need.
    fn offline_instead(&self, utterance: &str, context: &Context, why: &str) -> Result<Call, RouteError> {
        let call = self.offline.route_with(utterance, context).map_err(|e| RouteError::BadReply(format!("{why}; and the offline router: {e}")))?;
        if self.offline.acts(&call.intent) {
            return Err(RouteError::Rejected(format!(
                "the model gave no usable answer ({why}), and the offline router's guess, {}, acts on AWS, so nothing was run; say \"{}\" in so many words to go ahead",
                call.intent, call.intent
            )));
        }
        tracing::info!(utterance, why, %call, "model.fallback");
        self.note(format!("The model gave no usable answer ({why}); the offline router's reading, {call}, was used."));
        Ok(call)
    }

    fn note(&self, text: String) {
        self.notes.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(text);
    }

    /// The offline router's call when it is sure of it, so the model need not be asked.
    fn sure_offline(&self, utterance: &str, context: &Context) -> Option<Call> {
        (self.ask == AskModel::Unsure).then(|| self.offline.sure(utterance, context)).flatten()
    }
}

impl Router for LlmRouter {
    fn route_with(&self, utterance: &str, context: &Context) -> Result<Call, RouteError> {
        // Notes belong to the last routing; the lock is never held across a model call.
        self.take_notes();
        if let Some(call) = self.sure_offline(utterance, context) {
            tracing::info!(utterance, %call, "model.skipped");
            return Ok(call);
        }
        let trace = match self.passes(utterance, context) {
            Ok(trace) => trace,
            Err(e) if self.ask == AskModel::Unsure && answered_unusably(&e) => return self.offline_instead(utterance, context, &e.to_string()),
            Err(e) => return Err(e.into()),
        };
        match trace.verdict() {
            Verdict::Run { call, dropped } => {
                if !dropped.is_empty() {
                    tracing::info!(utterance, dropped = dropped.len(), left_out = %grounding::describe(dropped), %call, "model.ungrounded");
                    self.note(format!("The model added {}, which you did not ask for; it was left out.", grounding::describe(dropped)));
                }
                Ok(call.clone())
            }
            Verdict::OutOfScope(why) => {
                tracing::info!(utterance, why, "routed out of scope");
                Ok(Call::out_of_scope())
            }
            Verdict::Refuse(why) => Err(RouteError::Rejected(why.clone())),
            Verdict::Broken(why) => {
                tracing::info!(utterance, why, "model.bad_reply");
                match self.ask {
                    AskModel::Unsure => self.offline_instead(utterance, context, why),
                    AskModel::Always => Err(RouteError::BadReply(why.clone())),
                }
            }
        }
    }

    fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.notes.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// The intents offered, each pass's request size and answer, and what was made of it.
    fn explain(&self, utterance: &str) -> String {
        let trace = match self.passes(utterance, &Context::default()) {
            Ok(trace) => trace,
            Err(e) => return format!("error: {e}"),
        };
        let names: Vec<&str> = trace.offered.iter().map(|s| s.name.as_str()).collect();
        let mut out = format!("model: {}\noffered: {}\n", self.protocol.url(), names.join(", "));
        for (label, (pass, verdict)) in [("first", Some(&trace.first)), ("reflection", trace.second.as_ref())].into_iter().filter_map(|(l, p)| Some((l, p?))) {
            let _ = writeln!(out, "{label} pass: {} bytes sent; the model said {} → {}", pass.request_bytes, pass.answer, describe(verdict));
        }
        let _ = write!(out, "call: {}", describe(trace.verdict()));
        out
    }

    fn fallback(&self) -> Option<&dyn Router> {
        Some(&self.offline)
    }
}

/// A server that answered, but not with something usable: an HTTP 5xx (llama-server's answer to
/// model output it cannot parse) or a body the protocol cannot read. Not a cancel, a server
/// that cannot be reached or is slow (the REPL offers the offline router for those), nor a
/// mistake in the settings.
fn answered_unusably(e: &LlmError) -> bool {
    matches!(e, LlmError::Status { status: 500..=599, .. } | LlmError::Malformed { .. })
}

fn describe(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Run { call, dropped } if dropped.is_empty() => call.to_string(),
        Verdict::Run { call, dropped } => format!("{call} (left out, never given: {})", grounding::describe(dropped)),
        Verdict::OutOfScope(why) => format!("{OUT_OF_SCOPE}() ({why})"),
        Verdict::Refuse(why) => format!("refused: {why}"),
        Verdict::Broken(why) => format!("failed reply: {why}"),
    }
}
