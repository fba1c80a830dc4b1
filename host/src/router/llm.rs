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
use super::offline::gate::NotNow;
use super::offline::{OfflineRouter, Scored};
use super::reading::Reading;
use super::{Call, Context, Exchange, OUT_OF_SCOPE, RouteError, Routed, Router};
use crate::llm::prompt::Prompt;
use crate::llm::{Answer, Arg, AskModel, LlmError, Pass, Proposed, Protocol, Reflect, pycall};
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
    ask: AskModel,
}

/// What the application makes of one answer.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    /// Calls to run, in the model's order; the arguments the model added that nothing the user
    /// said backs; and what is told about calls of the answer that will not run.
    Run { plan: Vec<Call>, dropped: Args, notes: Vec<String> },
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

/// What one turn's answers are judged against: the offline router's reading of the same words.
struct Grounds<'a> {
    evidence: Evidence,
    reading: &'a Reading,
    /// The offline router's plan for the words: an action runs only where it asks for it too.
    offline_plan: Vec<Call>,
}

/// Why one proposed call of an answer will not run.
enum Judged {
    /// The out-of-scope function, or one no loaded plugin offers.
    Outside(String),
    /// Told to the user.
    Refused(String),
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
        LlmRouter { specs, offline, protocol, reflect, ask }
    }

    /// The intents the prompt offers: the offline router's best guesses, the intent of the
    /// last turn (a follow-up often continues it) and out-of-scope, in load order.
    fn shortlist(&self, scores: &[Scored<'_>], history: &[Exchange]) -> Vec<&IntentSpec> {
        let mut wanted: Vec<&str> = scores.iter().map(|s| s.spec.name.as_str()).filter(|n| *n != OUT_OF_SCOPE).take(SHORTLIST).collect();
        wanted.push(OUT_OF_SCOPE);
        if let Some(last) = history.last() {
            wanted.extend(last.plan.iter().map(|c| c.intent.as_str()));
        }
        self.specs.iter().filter(|s| wanted.contains(&s.name.as_str())).collect()
    }

    fn passes(&self, reading: &Reading, context: &Context) -> Result<Trace<'_>, LlmError> {
        let utterance = reading.utterance.as_str();
        let history = &context.history[context.history.len().saturating_sub(HISTORY_TURNS)..];
        // The offline router reads the utterance once: its scores rank the shortlist and back
        // the arguments, and its plan is what an action must agree with.
        let scores = self.offline.scores_of_reading(reading);
        let offline_plan = self.offline.route_reading(reading, context).map(|r| r.plan).unwrap_or_default();
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
        let grounds = Grounds { evidence: Evidence::of(&scores, utterance, context), reading, offline_plan };
        let first = ask(None)?;
        let first_verdict = self.judge(&first.answer, &grounds);
        let reflect = match self.reflect {
            Reflect::Always => true,
            Reflect::Never => false,
            Reflect::Auto => !matches!(&first_verdict, Verdict::Run { plan, dropped, notes } if !plan.is_empty() && dropped.is_empty() && notes.is_empty()),
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
            let verdict = self.judge(&pass.answer, &grounds);
            if verdict != first_verdict {
                tracing::info!(utterance, first = %first.answer, reflected = %pass.answer, "reflection changed the call");
            }
            Some((pass, verdict))
        } else {
            None
        };
        Ok(Trace { offered, first: (first, first_verdict), second })
    }

    /// What the application makes of `answer`: each call of a loaded intent with arguments its
    /// spec accepts and the user's words back; an intent that acts on AWS only where the words
    /// ask for it now (the offline router's gate, and its own reading of the same words), and
    /// only as the last call.
    fn judge(&self, answer: &Answer, grounds: &Grounds<'_>) -> Verdict {
        let (evidence, reading) = (&grounds.evidence, grounds.reading);
        let bare;
        let proposals: &[Proposed] = match answer {
            Answer::Text(text) => return Verdict::Broken(format!("the model answered in prose instead of calling a function: {text:?}")),
            Answer::Unreadable(why) => return Verdict::Broken(format!("the model's reply is not a readable call: {why}")),
            Answer::Name(name) => match self.specs.iter().find(|s| pycall::identifier(&s.name) == *name) {
                Some(spec) if spec.params.iter().all(|p| !p.required) => {
                    bare = [Proposed { function: name.clone(), positional: vec![], keywords: vec![] }];
                    &bare
                }
                Some(_) => {
                    return Verdict::Broken(format!("the model's reply is not a readable call: a bare name, {name}, for a function that needs arguments"));
                }
                None => return Verdict::Broken(format!("the model answered in prose instead of calling a function: {name:?}")),
            },
            Answer::Calls(calls) if calls.is_empty() => return Verdict::Broken("the model's reply holds no call".into()),
            Answer::Calls(calls) => calls,
        };
        let (mut plan, mut dropped, mut notes, mut outside) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for proposed in proposals {
            match self.judge_one(proposed, evidence) {
                Ok((call, left_out)) if call.intent == OUT_OF_SCOPE => {
                    dropped.extend(left_out);
                    outside.push(format!("the model called {OUT_OF_SCOPE}"));
                }
                Ok((call, left_out)) => {
                    dropped.extend(left_out);
                    plan.push(call);
                }
                Err(Judged::Outside(why)) => outside.push(why),
                Err(Judged::Refused(why)) => notes.push(why),
            }
        }
        let offline = &grounds.offline_plan;
        let last = plan.len().saturating_sub(1);
        let mut kept = Vec::with_capacity(plan.len());
        for (i, call) in plan.into_iter().enumerate() {
            if !self.offline.acts(&call.intent) {
                kept.push(call);
                continue;
            }
            let verdict = match i == last {
                false => Err(NotNow::NotLast),
                true => self.offline.asks_now(reading, &call, &[]).and_then(|()| match offline.iter().any(|c| c.intent == call.intent) {
                    true => Ok(()),
                    false => Err(NotNow::NoActionWord),
                }),
            };
            match verdict {
                Ok(()) => kept.push(call),
                Err(why) => notes.push(format!("The model chose {}, which acts on AWS. {}", call.intent, why.say(&call.intent))),
            }
        }
        match (kept.is_empty(), notes.is_empty()) {
            (true, true) => Verdict::OutOfScope(outside.join("; ")),
            (true, false) => Verdict::Refuse(notes.join(" ")),
            (false, _) => Verdict::Run { plan: kept, dropped, notes },
        }
    }

    /// One proposed call, judged: the call with the arguments the user's words back, and those
    /// left out.
    fn judge_one(&self, proposed: &Proposed, evidence: &Evidence) -> Result<(Call, Args), Judged> {
        let Some(spec) = self.specs.iter().find(|s| pycall::identifier(&s.name) == proposed.function || s.name == proposed.function) else {
            return Err(Judged::Outside(format!("the model called {}, which no loaded plugin offers", proposed.function)));
        };
        let refuse = |why: String| Judged::Refused(format!("the model's call {proposed} was not run: {why}"));
        // Positional arguments follow the order of the `def` the prompt showed: required first.
        let order: Vec<&str> = spec.params.iter().filter(|p| p.required).chain(spec.params.iter().filter(|p| !p.required)).map(|p| p.name.as_str()).collect();
        if proposed.positional.len() > order.len() {
            return Err(refuse(format!("{} takes at most {} arguments", spec.name, order.len())));
        }
        let named = order.iter().map(|n| n.to_string()).zip(&proposed.positional).chain(proposed.keywords.iter().map(|(k, a)| (k.clone(), a)));
        let mut args: Args = vec![];
        for (name, arg) in named {
            match arg {
                Arg::Given(value) => args.push((name, value.clone())),
                Arg::Absent => {}
                Arg::Unusable(source) => return Err(refuse(format!("{name} = {source} is not a plain value"))),
            }
        }
        let args = spec.check(&args).map_err(refuse)?;
        let (call, dropped) = grounding::ground(Call { intent: spec.name.clone(), args }, evidence);
        if call.args.is_empty() && !dropped.is_empty() {
            return Err(refuse(format!("nothing you said gives {}", grounding::describe(&dropped))));
        }
        Ok((call, dropped))
    }

    /// With `--ask-model unsure` the model is a second opinion on what the offline router is
    /// unsure of: when its answer cannot be used (a broken reply, or one the server itself
    /// could not parse), the offline reading stands, and the user is told. (The 1.5B model's
    /// `{"name": "show_config"}`, which llama-server refuses with HTTP 500, had cost two lines
    /// the offline router gets right.) Never into an action on AWS: an unsure reading is not
    /// the clear request those need.
    fn offline_instead(&self, reading: &Reading, context: &Context, why: &str) -> Result<Routed, RouteError> {
        let mut routed = self.offline.route_reading(reading, context).map_err(|e| RouteError::BadReply(format!("{why}; and the offline router: {e}")))?;
        if let Some(action) = routed.plan.iter().find(|c| self.offline.acts(&c.intent)) {
            return Err(RouteError::Rejected(format!(
                "the model gave no usable answer ({why}), and the offline router's reading asks for {}, which acts on AWS, so nothing was run; say \"{}\" in so many words to go ahead",
                action.intent, action.intent
            )));
        }
        tracing::info!(utterance = %reading.utterance, why, plan = %routed, "model.fallback");
        routed.notes.insert(0, format!("The model gave no usable answer ({why}); the offline router's reading, {routed}, was used."));
        Ok(routed)
    }

    /// The offline router's plan when it is sure of it, so the model need not be asked.
    fn sure_offline(&self, utterance: &str, context: &Context) -> Option<Routed> {
        (self.ask == AskModel::Unsure).then(|| self.offline.sure(utterance, context)).flatten()
    }
}

impl Router for LlmRouter {
    fn route_with(&self, utterance: &str, context: &Context) -> Result<Routed, RouteError> {
        let reading = self.offline.read(utterance);
        // A bare yes or no to the agent's own question needs no model.
        if context.proposal.is_some() && (reading.acknowledges() || reading.declines()) {
            return self.offline.route_reading(&reading, context);
        }
        if let Some(routed) = self.sure_offline(utterance, context) {
            tracing::info!(utterance, plan = %routed, "model.skipped");
            return Ok(routed);
        }
        let trace = match self.passes(&reading, context) {
            Ok(trace) => trace,
            Err(e) if self.ask == AskModel::Unsure && answered_unusably(&e) => return self.offline_instead(&reading, context, &e.to_string()),
            Err(e) => return Err(e.into()),
        };
        match trace.verdict() {
            Verdict::Run { plan, dropped, notes } => {
                let mut routed = Routed { plan: plan.clone(), notes: notes.clone() };
                if !dropped.is_empty() {
                    tracing::info!(utterance, dropped = dropped.len(), left_out = %grounding::describe(dropped), plan = %routed, "model.ungrounded");
                    routed.notes.insert(0, format!("The model added {}, which you did not ask for; it was left out.", grounding::describe(dropped)));
                }
                Ok(routed)
            }
            Verdict::OutOfScope(why) => {
                tracing::info!(utterance, why, "routed out of scope");
                Ok(Routed::call(Call::out_of_scope()))
            }
            Verdict::Refuse(why) => Err(RouteError::Rejected(why.clone())),
            Verdict::Broken(why) => {
                tracing::info!(utterance, why, "model.bad_reply");
                match self.ask {
                    AskModel::Unsure => self.offline_instead(&reading, context, why),
                    AskModel::Always => Err(RouteError::BadReply(why.clone())),
                }
            }
        }
    }

    /// The intents offered, each pass's request size and answer, and what was made of it.
    fn explain(&self, utterance: &str) -> String {
        let reading = self.offline.read(utterance);
        let trace = match self.passes(&reading, &Context::default()) {
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
        Verdict::Run { plan, dropped, .. } if dropped.is_empty() => Routed { plan: plan.clone(), notes: vec![] }.to_string(),
        Verdict::Run { plan, dropped, .. } => {
            format!("{} (left out, never given: {})", Routed { plan: plan.clone(), notes: vec![] }, grounding::describe(dropped))
        }
        Verdict::OutOfScope(why) => format!("{OUT_OF_SCOPE}() ({why})"),
        Verdict::Refuse(why) => format!("refused: {why}"),
        Verdict::Broken(why) => format!("failed reply: {why}"),
    }
}
