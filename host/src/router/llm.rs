//! Routing through a language model, as the seed prototype did: a first pass predicts the call,
//! a reflection pass sees that prediction and may correct it. The model only proposes; every
//! proposal is judged here against the loaded specs, and anything that is not exactly one
//! known function with well-typed arguments is turned into out-of-scope or a refusal.
//!
//! The shortlist is the offline router's 8 best intents, the previous turn's intent and
//! out-of-scope, so the prompt stays the same size however many plugins are loaded. Prose or an
//! unknown function becomes out-of-scope; several calls, or arguments that are not plain values the
//! spec accepts, are refused with a message. `explain` shows the intents offered, each pass's
//! request size, what the model said and what was made of it.
use super::offline::OfflineRouter;
use super::{Call, Context, Exchange, OUT_OF_SCOPE, RouteError, Router};
use crate::llm::prompt::Prompt;
use crate::llm::{Answer, Arg, LlmError, Pass, Protocol, Reflect, pycall};
use crate::plugin::spec::{Args, IntentSpec};
use std::fmt::Write as _;

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
}

/// What the application makes of one answer.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    Run(Call),
    /// Not a call of any loaded intent; the reason goes to the log.
    OutOfScope(String),
    /// A call that will not be run; the reason is told to the user.
    Refuse(String),
}

impl Verdict {
    /// What the reflection pass is told was wrong with the first answer.
    fn problem(&self) -> Option<&str> {
        match self {
            Verdict::Run(_) => None,
            Verdict::OutOfScope(why) | Verdict::Refuse(why) => Some(why),
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
    fn verdict(&self) -> &Verdict {
        &self.second.as_ref().unwrap_or(&self.first).1
    }
}

impl LlmRouter {
    /// `offline` ranks the shortlist and answers when the model cannot.
    pub fn new<'a>(specs: impl IntoIterator<Item = &'a IntentSpec>, offline: OfflineRouter, protocol: Box<dyn Protocol>, reflect: Reflect) -> LlmRouter {
        let specs: Vec<IntentSpec> = specs.into_iter().cloned().collect();
        LlmRouter { specs, offline, protocol, reflect }
    }

    /// The intents the prompt offers: the offline router's best guesses, the intent of the
    /// last turn (a follow-up often continues it) and out-of-scope, in load order.
    fn shortlist(&self, utterance: &str, history: &[Exchange]) -> Vec<&IntentSpec> {
        let scores = self.offline.scores(utterance);
        let mut wanted: Vec<&str> = scores.iter().map(|s| s.spec.name.as_str()).filter(|n| *n != OUT_OF_SCOPE).take(SHORTLIST).collect();
        wanted.push(OUT_OF_SCOPE);
        if let Some(last) = history.last() {
            wanted.push(&last.call.intent);
        }
        self.specs.iter().filter(|s| wanted.contains(&s.name.as_str())).collect()
    }

    fn passes(&self, utterance: &str, context: &Context) -> Result<Trace<'_>, LlmError> {
        let history = &context.history[context.history.len().saturating_sub(HISTORY_TURNS)..];
        let offered = self.shortlist(utterance, history);
        let prompt = Prompt { query: utterance, intents: offered.clone(), history, state: &context.state };
        let ask = |reflect_on| {
            let _spinner = crate::spinner::start("asking the model…");
            let pass = self.protocol.ask(&prompt, reflect_on)?;
            tracing::debug!(url = self.protocol.url(), bytes = pass.request_bytes, intents = prompt.intents.len(), answer = %pass.answer, "model pass");
            Ok::<Pass, LlmError>(pass)
        };
        let first = ask(None)?;
        let first_verdict = self.judge(&first.answer);
        let reflect = match self.reflect {
            Reflect::Always => true,
            Reflect::Never => false,
            Reflect::Auto => !matches!(&first_verdict, Verdict::Run(call) if call.intent != OUT_OF_SCOPE),
        };
        let second = if reflect {
            let pass = ask(Some((&first, first_verdict.problem())))?;
            let verdict = self.judge(&pass.answer);
            if verdict != first_verdict {
                tracing::info!(utterance, first = %first.answer, reflected = %pass.answer, "reflection changed the call");
            }
            Some((pass, verdict))
        } else {
            None
        };
        Ok(Trace { offered, first: (first, first_verdict), second })
    }

    /// Whether `answer` is one call of a loaded intent with arguments its spec accepts.
    fn judge(&self, answer: &Answer) -> Verdict {
        let proposed = match answer {
            Answer::Text(text) => return Verdict::OutOfScope(format!("the model answered in prose, not a call: {text:?}")),
            Answer::Unreadable(why) => return Verdict::OutOfScope(format!("the model's reply is not a call: {why}")),
            Answer::Calls(calls) if calls.is_empty() => return Verdict::OutOfScope("the model proposed no call".into()),
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
        match spec.check(&args) {
            Ok(args) => Verdict::Run(Call { intent: spec.name.clone(), args }),
            Err(why) => refuse(why),
        }
    }
}

impl Router for LlmRouter {
    fn route_with(&self, utterance: &str, context: &Context) -> Result<Call, RouteError> {
        match self.passes(utterance, context)?.verdict() {
            Verdict::Run(call) => Ok(call.clone()),
            Verdict::OutOfScope(why) => {
                tracing::info!(utterance, why, "routed out of scope");
                Ok(Call::out_of_scope())
            }
            Verdict::Refuse(why) => Err(RouteError::Rejected(why.clone())),
        }
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

fn describe(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Run(call) => call.to_string(),
        Verdict::OutOfScope(why) => format!("{OUT_OF_SCOPE}() ({why})"),
        Verdict::Refuse(why) => format!("refused: {why}"),
    }
}
