//! References back to what is set: "double the memory", "half of that", "make that 6", "two
//! more", "one fewer instance", "increase max size by 2", "bump it to 4 of them".
//!
//! A clause refers back when it says how to change a value rather than the value: a factor
//! ("double", "half", "3 times"), a difference ("2 more", "one fewer", "by 2" after a verb of
//! change), or a bare number put on "that" or "it" ("make that 6"). The value changed is the
//! setting or requirement the clause names, as any spec names its parameters ("the memory",
//! "max size"); else instances, when the clause counts them; else what the last change set
//! (`Context::last_changed`). The call goes to the intent that writes that parameter, with the
//! new value worked out from `Context::values`.
use super::OfflineRouter;
use super::plan::courtesy;
use crate::plugin::spec::{ParamType, Value};
use crate::router::lexicon::{self, ANAPHORS, FACTORS, FEWER, INSTANCE_NOUNS, LOWERING, MORE, RAISING, SETTING_VERBS};
use crate::router::text::{Token, is_number, stem};
use crate::router::{Call, Context};

/// How a clause changes a value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Change {
    Times(f64),
    By(f64),
    To(f64),
}

impl Change {
    fn apply(self, now: f64) -> f64 {
        match self {
            Change::Times(f) => now * f,
            Change::By(d) => now + d,
            Change::To(v) => v,
        }
    }
}

impl OfflineRouter {
    /// The calls a clause makes relative to what is set, or None when it refers to nothing.
    /// `Err` says why a reference cannot be followed ("there is no memory requirement yet").
    /// `earlier`: the words before the clause in the same line, where "it" may have been named.
    pub(super) fn refer(&self, words: &[Token], earlier: &[Token], context: &Context) -> Option<Result<Vec<Call>, String>> {
        let t: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        let change = change_of(&t)?;
        let named = self.named_settings(words, context);
        let points = t.iter().any(|w| lexicon::is(&ANAPHORS, w));
        let named_before = if points { self.named_settings(earlier, context) } else { vec![] };
        // "run 3 of them": what "them" counts is instances.
        let counts_them = t.windows(2).any(|w| w[0] == "of" && ["them", "those"].contains(&w[1]));
        let targets: Vec<String> = if !named.is_empty() {
            named
        } else if !named_before.is_empty() {
            named_before
        } else if counts_them || t.iter().any(|w| lexicon::is(&INSTANCE_NOUNS, w)) {
            self.instance_counts(context)
        } else if matches!(change, Change::To(_)) && !t.iter().any(|w| lexicon::is(&ANAPHORS, w)) {
            // "make 6" names nothing and points at nothing.
            return None;
        } else {
            let numeric: Vec<String> = context.last_changed.iter().filter(|n| number_of(context, n).is_some()).cloned().collect();
            let all = t.iter().any(|w| ["both", "all", "each", "everything"].contains(w));
            match numeric.as_slice() {
                [] => return Some(Err("Nothing was just set that this could be relative to; say which setting and the value".into())),
                [.., last] if !all && !same_values(context, &numeric) => vec![last.clone()],
                _ => numeric,
            }
        };
        let mut calls: Vec<Call> = Vec::new();
        for name in targets {
            let Some(spec) = self.intents.iter().map(|m| &m.spec).find(|s| self.writers.contains(&s.name) && s.params.iter().any(|p| p.name == name)) else {
                continue;
            };
            let Some(param) = spec.params.iter().find(|p| p.name == name) else { continue };
            let Some(now) = number_of(context, &name) else {
                return Some(Err(format!("{name} is not set yet, so there is nothing to change relative to; say the value you want")));
            };
            let wanted = change.apply(now);
            if wanted < 0.0 {
                return Some(Err(format!("{name} is {now}; that would take it below zero, so nothing was changed")));
            }
            let value = match param.ty {
                ParamType::Int => Value::Int(wanted.round() as i64),
                _ => Value::Float((wanted * 100.0).round() / 100.0),
            };
            match calls.iter_mut().find(|c| c.intent == spec.name) {
                Some(call) => call.args.push((name, value)),
                None => calls.push(Call { intent: spec.name.clone(), args: vec![(name, value)] }),
            }
        }
        (!calls.is_empty()).then_some(Ok(calls))
    }

    /// The numeric settings the words name by any spec's names for them ("the memory", "max
    /// size", "the maximum"), preferring, where one name fits several, what was changed last and
    /// then what is in use (the group's maximum while autoscaling is on).
    fn named_settings(&self, words: &[Token], context: &Context) -> Vec<String> {
        let stems: Vec<String> = words.iter().map(|w| stem(&w.text)).collect();
        let mut found: Vec<String> = Vec::new();
        let mut claimed = vec![false; stems.len()];
        let mut mentions: Vec<(&Vec<String>, &str)> =
            self.intents.iter().flat_map(|m| m.mentions.iter().map(move |(words, i)| (words, m.spec.params[*i].name.as_str()))).collect();
        mentions.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        for (at, _) in stems.iter().enumerate() {
            if claimed[at] {
                continue;
            }
            let Some(len) =
                mentions.iter().map(|(w, _)| w.len()).find(|&len| at + len <= stems.len() && mentions.iter().any(|(w, _)| **w == stems[at..at + len]))
            else {
                continue;
            };
            let fits: Vec<&str> =
                mentions.iter().filter(|(w, _)| **w == stems[at..at + len]).map(|(_, n)| *n).filter(|n| number_of(context, n).is_some()).collect();
            let chosen = fits
                .iter()
                .find(|n| context.last_changed.iter().any(|c| c == *n))
                .or_else(|| fits.iter().find(|n| !context.dormant.iter().any(|d| d == *n)))
                .or(fits.first());
            if let Some(name) = chosen.filter(|n| !found.iter().any(|f| f == *n)) {
                found.push(name.to_string());
                claimed[at..at + len].iter_mut().for_each(|c| *c = true);
            }
        }
        found
    }

    /// How many instances run: the group's desired capacity while autoscaling is on, else the
    /// EC2 counts (both, as "4 instances" sets both).
    fn instance_counts(&self, context: &Context) -> Vec<String> {
        let counts: Vec<String> =
            context.last_changed.iter().filter(|n| ["MinCount", "MaxCount", "MinSize", "MaxSize", "DesiredCapacity"].contains(&n.as_str())).cloned().collect();
        if !counts.is_empty() {
            return counts;
        }
        match context.dormant.iter().any(|d| d == "MinCount") {
            true => vec!["DesiredCapacity".into()],
            false => vec!["MinCount".into(), "MaxCount".into()],
        }
    }
}

/// The change the words ask for, if they say one.
fn change_of(t: &[&str]) -> Option<Change> {
    let number = |i: usize| t.get(i).filter(|w| is_number(w)).and_then(|w| w.parse::<f64>().ok());
    // "2 more", "1 fewer instance", "with 3 more"; not "one more thing".
    for i in 0..t.len() {
        let Some(n) = number(i) else { continue };
        let next = t.get(i + 1).copied();
        let after = t.get(i + 2).copied();
        let ends_or_counts =
            |w: Option<&str>| w.is_none_or(|w| lexicon::is(&INSTANCE_NOUNS, w) || ["than", "of", "please", "pls", "then", "instead"].contains(&w));
        if next.is_some_and(|w| lexicon::is(&MORE, w)) && ends_or_counts(after) {
            return Some(Change::By(n));
        }
        if next.is_some_and(|w| lexicon::is(&FEWER, w)) && ends_or_counts(after) {
            return Some(Change::By(-n));
        }
        // "3 times the memory"
        if next == Some("times") && i + 2 < t.len() {
            return Some(Change::Times(n));
        }
    }
    // "increase max size by 2", "drop one", "cut it by 2", "add 2".
    let verb = |list: &[&str]| t.iter().position(|w| lexicon::is(list, w));
    let by = t.iter().position(|w| *w == "by").and_then(|i| number(i + 1));
    for (list, sign) in [(&RAISING[..], 1.0), (&LOWERING[..], -1.0)] {
        if let Some(v) = verb(list)
            && let Some(n) = by.or_else(|| number(v + 1).filter(|_| t.len() <= v + 3))
        {
            return Some(Change::By(sign * n));
        }
    }
    // "double the memory", "halve the maximum", "half of that"; not "double-check".
    for (i, w) in t.iter().enumerate() {
        if let Some((_, f)) = FACTORS.iter().find(|(word, _)| word == w)
            && !t.get(i + 1).is_some_and(|n| ["check", "checked", "checking"].contains(n))
        {
            return Some(Change::Times(*f));
        }
    }
    // "make that 6", "bump it to 4 of them", "change that to 8": one number, put on "that" or "it".
    let numbers: Vec<f64> = (0..t.len()).filter_map(number).collect();
    let points = t.iter().any(|w| lexicon::is(&ANAPHORS, w));
    let only_setting_words =
        t.iter().all(|w| is_number(w) || lexicon::is(&ANAPHORS, w) || lexicon::is(&INSTANCE_NOUNS, w) || lexicon::is(&SETTING_VERBS, w) || courtesy(w));
    match numbers.as_slice() {
        [n] if points && only_setting_words => Some(Change::To(*n)),
        _ => None,
    }
}

fn number_of(context: &Context, name: &str) -> Option<f64> {
    context.values.iter().find(|(n, _)| n == name).and_then(|(_, v)| match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    })
}

fn same_values(context: &Context, names: &[String]) -> bool {
    let values: Vec<Option<f64>> = names.iter().map(|n| number_of(context, n)).collect();
    values.windows(2).all(|w| w[0] == w[1])
}
