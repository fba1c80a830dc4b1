//! An utterance as a plan: every request it makes, in the user's order.
//!
//! Each clause of the reading is decided on its own (`decide`), then the decisions are put
//! together:
//!
//! - A clause that gives values and asks for nothing of its own ("Frankfurt", "in Ireland",
//!   "min size 2 max size 8") is a modifier: it joins the request next to it whose intent reads
//!   the same values from its words ("Frankfurt, cheapest box with 8 vCPUs" is one search in
//!   eu-central-1), or stands alone when none does.
//! - Calls of one intent next to each other are one call; a later value for the same setting
//!   wins, which is how a correction inside the line works ("512 GB… no wait, make it 32 GB").
//!   A clause that is only a number after a correction ("8 GB, no wait, 16") replaces the last
//!   number said.
//! - A clause that carries nothing this tool does is left out, and said unless it is courtesy
//!   ("thanks", "hi there"); a clause that named a setting but gave it nothing usable refuses
//!   the whole line.
//!
//! A line whose clauses come to one call keeps the reading of the whole line, which sees values
//! across clauses ("the min count and the max count to 2"), unless only the clauses found a
//! request in it (chatter around it) or a correction changed it.
use super::OfflineRouter;
use crate::plugin::spec::{ParamType, Value};
use crate::router::lexicon::{self, CHATTER, CORRECTING, FILLERS, STOPWORDS};
use crate::router::reading::Reading;
use crate::router::text::{Token, is_number};
use crate::router::{Call, Context, OUT_OF_SCOPE, RouteError};
use std::ops::Range;

/// A clause whose call takes no arguments is a request of its own, in a line of several
/// clauses, only when at least this like the intent's examples (similarity counts the best
/// example plus half the whole vocabulary, so an example said as is scores about 1.2) and it
/// says a word that marks the intent.
const CLAUSE_SIMILARITY: f64 = 0.55;

/// One clause's part in the plan.
enum Part {
    Request {
        calls: Vec<Call>,
        span: Range<usize>,
        modifier: bool,
    },
    /// Nothing this tool does; `foreign` when it asked for something (it is said, not dropped).
    Chatter {
        span: Range<usize>,
        foreign: bool,
        correcting: bool,
    },
    /// Only a number ("16").
    Bare {
        value: f64,
        span: Range<usize>,
        correcting: bool,
    },
    /// Asks for something not to happen ("don't deploy yet").
    Declined {
        why: String,
    },
}

/// A call in the making, with the words it came from.
pub(super) struct Planned {
    pub(super) call: Call,
    pub(super) spans: Vec<Range<usize>>,
    modifier: bool,
}

/// The plan with the words each call came from, and what the user should be told.
pub(super) struct Plan {
    pub(super) calls: Vec<Planned>,
    pub(super) notes: Vec<String>,
}

impl OfflineRouter {
    pub(super) fn plan(&self, reading: &Reading, context: &Context, answers_only: bool) -> Result<Plan, RouteError> {
        let all = 0..reading.words.len();
        if reading.clauses.len() < 2
            && !answers_only
            && let Some(referred) = self.refer(&reading.words, &[], context)
        {
            return referred.map(|calls| Plan { calls: whole_line(calls, &all), notes: vec![] }).map_err(RouteError::Rejected);
        }
        let decided = self.decide(&reading.words, reading.asks(&all), context, answers_only);
        // The whole line named another service ("an RDS postgres with 16 GB and 4 vCPUs"): its
        // numbers are that service's, whatever a clause of it reads.
        let elsewhere = decided.as_ref().is_ok_and(|d| d.elsewhere);
        let whole = decided.map(|d| whole_line(d.calls, &all));
        // A setting named without a usable value refuses the whole line.
        if reading.clauses.len() < 2 || elsewhere || matches!(whole, Err(RouteError::Rejected(_))) {
            return whole.map(|calls| Plan { calls, notes: vec![] });
        }
        let mut parts = Vec::new();
        for span in &reading.clauses {
            parts.push(self.part(reading, span.clone(), context, answers_only)?);
        }
        let mut notes = Vec::new();
        let mut corrected = false;
        let mut planned: Vec<Planned> = Vec::new();
        let mut correcting_next = false;
        for part in parts {
            match part {
                Part::Request { calls, span, modifier } => {
                    correcting_next = false;
                    planned.extend(calls.into_iter().map(|call| Planned { call, spans: vec![span.clone()], modifier }));
                }
                Part::Chatter { span, foreign, correcting } => {
                    correcting_next |= correcting;
                    if foreign {
                        notes.push(format!("Left out \"{}\": that is not something this agent does.", reading.text_of(&span)));
                    }
                }
                Part::Declined { why } => notes.push(why),
                Part::Bare { value, span, correcting } => {
                    if (correcting || correcting_next) && self.replace_last_number(&mut planned, value) {
                        corrected = true;
                    } else {
                        notes.push(format!("Left out \"{}\": it names no setting.", reading.text_of(&span)));
                    }
                    correcting_next = false;
                }
            }
        }
        self.attach_modifiers(reading, &mut planned);
        let mut merged = merge_neighbours(planned, &mut corrected);
        // The host's own intents (undo, redo) run alone: asked for in a clause of their own
        // ("hmm, scratch that — finance won't sign off on it"), the rest of the line is left
        // out, and said.
        if merged.len() > 1
            && let Some(at) = merged.iter().position(|p| self.solo.contains(&p.call.intent))
            && self.shares_the_next_object(reading, &merged, at)
        {
            // "roll back and delete the instances you created": the verbs share the object the
            // second names, so the line asks for what the second does with it (and teardown
            // asks before it deletes anything).
            merged.remove(at);
        } else if merged.len() > 1
            && let Some(at) = merged.iter().position(|p| self.solo.contains(&p.call.intent))
        {
            let solo = merged.swap_remove(at);
            for rest in merged.drain(..) {
                notes.push(format!("Left out {}: {} runs alone; ask again after it.", rest.call, solo.call.intent));
            }
            merged.push(solo);
        }
        let whole_calls: Vec<&Call> = whole.as_ref().map(|calls| calls.iter().map(|c| &c.call).collect()).unwrap_or_default();
        let whole_found_nothing = whole_calls.iter().all(|c| c.intent == OUT_OF_SCOPE);
        // The clauses add a request the whole line's reading does not have: an intent it lacks
        // that takes nothing ("…, and turn on autoscaling"), or one with values it did not read
        // ("find the cheapest with 4 vCPUs and set min count 2"). Else the whole line's reading
        // stands: it sees values across clauses ("autoscaling please with minimum 2, maximum 6
        // and desired 3").
        let said: Vec<&crate::plugin::spec::Value> = whole_calls.iter().flat_map(|c| c.args.iter().map(|(_, v)| v)).collect();
        let adds = merged
            .iter()
            .any(|p| !whole_calls.iter().any(|c| c.intent == p.call.intent) && (p.call.args.is_empty() || p.call.args.iter().any(|(_, v)| !said.contains(&v))));
        // The same calls in the user's order ("Frankfurt, cheapest box with 8 vCPUs, and turn on
        // autoscaling" searches first).
        let same = merged.len() == whole_calls.len() && merged.iter().all(|p| whole_calls.contains(&&p.call));
        if same && !(corrected || whole_found_nothing || adds) {
            // ... read from the whole line, as the whole line's reading was.
            merged.iter_mut().for_each(|p| p.spans = vec![all.clone()]);
        }
        match merged.len() {
            0 => whole.map(|calls| Plan { calls, notes }),
            _ if corrected || whole_found_nothing || adds || same => Ok(Plan { calls: merged, notes }),
            _ => whole.map(|calls| Plan { calls, notes }),
        }
    }

    /// Whether the solo call at `at` is a verb with no object of its own ("roll back", "undo";
    /// not "undo that") joined by "and" to the next call's clause, which names one and whose
    /// intent takes no settings: the two verbs share that object.
    fn shares_the_next_object(&self, reading: &Reading, merged: &[Planned], at: usize) -> bool {
        let (Some(solo), Some(next)) = (merged.get(at), merged.get(at + 1)) else { return false };
        let ([own], [theirs]) = (solo.spans.as_slice(), next.spans.as_slice()) else { return false };
        let joined = theirs.start == own.end + 1 && reading.words.get(own.end).is_some_and(|w| w.text == "and");
        let content = |span: &Range<usize>| -> Vec<String> {
            reading.words_of(span).iter().filter(|t| !courtesy(&t.text) || lexicon::is(&lexicon::ANAPHORS, &t.text)).map(|t| t.text.clone()).collect()
        };
        let own_words = content(own);
        let verb_alone = !own_words.is_empty() && own_words.iter().skip(1).all(|w| lexicon::is(&lexicon::PARTICLES, w));
        let takes_nothing = self.intents.iter().any(|m| m.spec.name == next.call.intent && m.spec.params.is_empty());
        joined && verb_alone && takes_nothing && content(theirs).len() >= 2
    }

    /// What one clause contributes.
    fn part(&self, reading: &Reading, span: Range<usize>, context: &Context, answers_only: bool) -> Result<Part, RouteError> {
        let words = reading.words_of(&span);
        let correcting = words.iter().take(3).any(|t| lexicon::is(&CORRECTING, &t.text));
        let content: Vec<&Token> = words.iter().filter(|t| !courtesy(&t.text)).collect();
        if let [only] = content.as_slice()
            && is_number(&only.text)
            && let Ok(value) = only.text.parse::<f64>()
        {
            return Ok(Part::Bare { value, span, correcting });
        }
        // "how many computers should run at most? make it 5": "it" may be a setting named
        // earlier in the line.
        let earlier = reading.words_of(&(0..span.start));
        if let Some(referred) = self.refer(words, earlier, context).filter(|_| !answers_only) {
            return referred.map(|calls| Part::Request { calls, span, modifier: false }).map_err(RouteError::Rejected);
        }
        let decision = match self.decide(words, reading.asks(&span), context, answers_only) {
            Ok(decision) => decision,
            // "don't deploy yet, just show the config": the declined clause is said; the rest runs.
            Err(RouteError::Declined(why)) => return Ok(Part::Declined { why }),
            Err(e) => return Err(e),
        };
        let calls = decision.calls;
        let last = calls.last().map(|c| c.intent.as_str()).unwrap_or(OUT_OF_SCOPE);
        let takes_nothing = self.intents.iter().any(|m| m.spec.name == last && m.spec.params.is_empty());
        // Within a line of several clauses, a clause is a request of its own only on clear
        // evidence: an intent that takes nothing must be very like its examples ("turn on
        // autoscaling"), one that takes settings must get one by shape, unit or name. A
        // reason around a request ("to keep costs predictable", "our client standardised on
        // AMD") is not a request.
        // The host's own intents (undo) are only ever chosen in their own words.
        let weak = match takes_nothing {
            _ if self.solo.contains(last) => false,
            true => decision.similarity < CLAUSE_SIMILARITY || !self.marked(words, last, None) || self.unknown_word(words),
            false => decision.sure_args == 0,
        };
        if calls.iter().all(|c| c.intent == OUT_OF_SCOPE) || weak {
            // Asked for something, in words beyond courtesy and corrections.
            let foreign = calls.iter().all(|c| c.intent == OUT_OF_SCOPE) && content.iter().filter(|t| !lexicon::is(&CORRECTING, &t.text)).count() >= 2;
            return Ok(Part::Chatter { span, foreign, correcting });
        }
        let modifier = calls.len() == 1 && self.only_values(words, &calls[0].intent);
        Ok(Part::Request { calls, span, modifier })
    }

    /// Whether `words` say a word that marks `intent` (one its examples keep saying and other
    /// intents' do not), not counting words the examples of `besides` use too.
    pub(super) fn marked(&self, words: &[Token], intent: &str, besides: Option<&str>) -> bool {
        let Some(model) = self.intents.iter().find(|m| m.spec.name == intent) else { return false };
        let other = besides.and_then(|b| self.intents.iter().find(|m| m.spec.name == b));
        let read_by_other = |s: &String| other.is_some_and(|o| o.vocabulary.contains_key(s) || o.mentions.iter().any(|(m, _)| m.contains(s)));
        words.iter().map(|t| crate::router::text::stem(&t.text)).any(|s| model.markers.contains(&s) && !read_by_other(&s))
    }

    /// Whether `words` say something no spec knows ("disable all guardrails", "the current ones
    /// are too slow"): then a request for an intent that takes nothing is about something else.
    fn unknown_word(&self, words: &[Token]) -> bool {
        words.iter().any(|t| !courtesy(&t.text) && !is_number(&t.text) && !self.known.contains(&t.text) && t.text.chars().all(|c| c.is_alphabetic()))
    }

    /// Whether every word of `words` is a value or a setting's name for `intent`, or courtesy:
    /// nothing asks for anything of its own.
    fn only_values(&self, words: &[Token], intent: &str) -> bool {
        let Some(model) = self.intents.iter().find(|m| m.spec.name == intent) else { return false };
        let found = super::extract::extract(model, words, &self.plain, true);
        words.iter().zip(&found.used).all(|(t, used)| *used || courtesy(&t.text) || ["in", "on", "at", "for"].contains(&t.text.as_str()))
    }

    /// Joins each modifier to the request next to it (before it, else after it) whose intent
    /// reads at least as many values from the modifier's words.
    fn attach_modifiers(&self, reading: &Reading, planned: &mut Vec<Planned>) {
        let mut i = 0;
        while i < planned.len() {
            if !planned[i].modifier || planned.len() < 2 {
                i += 1;
                continue;
            }
            let words: Vec<Token> = planned[i].spans.iter().flat_map(|s| reading.words_of(s).iter().cloned()).collect();
            let wanted = planned[i].call.args.len();
            let neighbours = [i.checked_sub(1), Some(i + 1).filter(|&n| n < planned.len())];
            let host = neighbours.into_iter().flatten().filter(|&n| !planned[n].modifier || n > i).find_map(|n| {
                let model = self.intents.iter().find(|m| m.spec.name == planned[n].call.intent)?;
                let found = super::extract::extract(model, &words, &self.plain, true).args;
                (found.len() >= wanted && wanted > 0).then_some((n, found))
            });
            match host {
                Some((n, found)) => {
                    let modifier = planned.remove(i);
                    let n = if n > i { n - 1 } else { n };
                    for (name, value) in found {
                        if !planned[n].call.args.iter().any(|(k, _)| *k == name) {
                            planned[n].call.args.push((name, value));
                        }
                    }
                    planned[n].spans.extend(modifier.spans);
                }
                None => {
                    planned[i].modifier = false;
                    i += 1;
                }
            }
        }
    }

    /// "8 GB, no wait, 16": the last number said, in the last call that has one, becomes `value`.
    fn replace_last_number(&self, planned: &mut [Planned], value: f64) -> bool {
        for p in planned.iter_mut().rev() {
            let Some(spec) = self.intents.iter().find(|m| m.spec.name == p.call.intent).map(|m| &m.spec) else { continue };
            let Some((name, old)) = p.call.args.iter_mut().rev().find(|(_, v)| matches!(v, Value::Int(_) | Value::Float(_))) else { continue };
            let Some(param) = spec.params.iter().find(|q| q.name == *name) else { continue };
            *old = match param.ty {
                ParamType::Int if value.fract() == 0.0 && value <= i64::MAX as f64 => Value::Int(value as i64),
                ParamType::Float => Value::Float(value),
                _ => return false,
            };
            return true;
        }
        false
    }
}

/// Calls of one intent next to each other become one; a later value for the same setting wins.
fn merge_neighbours(planned: Vec<Planned>, corrected: &mut bool) -> Vec<Planned> {
    let mut out: Vec<Planned> = Vec::new();
    for p in planned {
        match out.last_mut() {
            Some(last) if last.call.intent == p.call.intent => {
                for (name, value) in p.call.args {
                    match last.call.args.iter_mut().find(|(k, _)| *k == name) {
                        Some((_, old)) => {
                            *corrected |= *old != value;
                            *old = value;
                        }
                        None => last.call.args.push((name, value)),
                    }
                }
                last.spans.extend(p.spans);
            }
            _ => out.push(p),
        }
    }
    out
}

/// Courtesy, fillers and small talk: words that ask for nothing.
pub(super) fn courtesy(word: &str) -> bool {
    lexicon::is(&STOPWORDS, word) || lexicon::is(&CHATTER, word) || lexicon::is(&FILLERS, word) || lexicon::is(&CORRECTING, word)
}

/// The whole line's decision, every call from every word; out-of-scope beside a request is
/// dropped.
fn whole_line(calls: Vec<Call>, all: &Range<usize>) -> Vec<Planned> {
    let requests = calls.iter().any(|c| c.intent != OUT_OF_SCOPE);
    calls.into_iter().filter(|c| !requests || c.intent != OUT_OF_SCOPE).map(|call| Planned { call, spans: vec![all.clone()], modifier: false }).collect()
}
