//! Arguments of one intent from a span of words: by shape (a pattern such as an instance type),
//! by unit ("8 GB"), by a mention of the parameter ("min count to 2", "4 RAM"), by a word the
//! examples taught as a value ("graviton" → arm64), and by a word the examples taught as a
//! position ("between 2 and 4").
use super::model::IntentModel;
use crate::plugin::spec::{Args, ParamSpec, ParamType, Value};
use crate::router::lexicon::{self, BOUND_WORDS, FILLERS, HAVING, MAX_SKIPPED};
use crate::router::text::{Token, is_negative_number, is_number, is_stopword, stem, unit_factor};
use std::collections::HashSet;

/// A value word learned with less confidence than this is a guess: "best deal on arm" leaves
/// three words to choose from, and "best" does not mean arm64.
const MIN_ALIAS_CONFIDENCE: f64 = 0.5;

pub(super) struct Found {
    pub(super) args: Args,
    /// Why each argument was filled, for people.
    pub(super) evidence: Vec<String>,
    /// What filled each argument, for weighing: a mention phrase, "@word" for a learned
    /// position, "~word" for a learned value word, "%Value" for a setting named as a value, or
    /// "" for a shape or unit, which no other intent shares.
    pub(super) keys: Vec<String>,
    /// Per word: a number placed by the word before it, or that word.
    pub(super) placed: Vec<bool>,
    /// Per word: read by this intent, as a value or as the name or word beside one.
    pub(super) used: Vec<bool>,
    /// What named a parameter but gave no usable value, said to the user.
    pub(super) problems: Vec<String>,
}

/// What words imply for a parameter no mention gave a value: (the value, its key, the words
/// typed), or why the words give it none.
type Implied = Result<(Value, String, String), String>;

/// Fills the intent's parameters from the words; `learned` turns on what the examples taught
/// (off while learning, so only names, shapes and units count there).
pub(super) fn extract(model: &IntentModel, words: &[Token], plain: &HashSet<String>, learned: bool) -> Found {
    let params = &model.spec.params;
    let mut found: Vec<Option<Value>> = vec![None; params.len()];
    let mut evidence = Vec::new();
    let mut keys = Vec::new();
    let mut used = vec![false; words.len()];
    let mut placed = vec![false; words.len()];
    let mut problems = Vec::new();
    // Values the words imply, or why they give none, for parameters no mention gave a value.
    let mut unsaid: Vec<(usize, Implied)> = Vec::new();
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
        // "from t3.micro to t3.large" changes one thing into another; it lists nothing.
        let from_to = hits.len() == 2 && hits[0] >= 1 && words[hits[0] - 1].text == "from" && words.get(hits[0] + 1).is_some_and(|t| t.text == "to");
        let value = match (p.ty, values.as_slice()) {
            (_, []) => continue,
            (ParamType::TextList, _) if from_to => continue,
            (ParamType::TextList, list) if list.len() < model.min_items[i] => continue,
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

    // A parameter that names one of several settings ("setting" = MaxSize), read from the
    // words the value is made of ("max size"); the longest name said wins.
    let stems: Vec<String> = words.iter().map(|t| stem(&t.text)).collect();
    // ... unless the whole configuration is asked for ("show me the ec2 and autoscaling config").
    let whole = words.iter().any(|t| lexicon::is(&lexicon::CONFIGURATION_NOUNS, &t.text));
    for (i, named) in model.named_values.iter().enumerate().filter(|(_, n)| !n.is_empty() && !whole) {
        let said = |name: &[String]| {
            (0..(words.len() + 1).saturating_sub(name.len())).find(|&at| stems[at..at + name.len()] == *name && !used[at..at + name.len()].iter().any(|u| *u))
        };
        // Longest names first, each word in one name: "min count" is MinCount, not also the
        // "min" of MinSize.
        let mut by_length: Vec<&(Vec<String>, String)> = named.iter().collect();
        by_length.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
        let mut claimed = vec![false; words.len()];
        let mut hits: Vec<(usize, usize, &String)> = Vec::new();
        for (name, value) in by_length {
            if let Some(at) = said(name).filter(|&at| !claimed[at..at + name.len()].iter().any(|c| *c)) {
                claimed[at..at + name.len()].iter_mut().for_each(|c| *c = true);
                hits.push((at, name.len(), value));
            }
        }
        // Two settings named ("the min and max counts") ask for more than one fact.
        let mut values: Vec<&String> = hits.iter().map(|(_, _, v)| *v).collect();
        values.sort();
        values.dedup();
        if let ([(at, len, value), ..], 1) = (hits.as_slice(), values.len()) {
            let (at, len) = (*at, *len);
            used[at..at + len].iter_mut().for_each(|u| *u = true);
            evidence.push(format!(
                "{} <- {value:?} (the setting \"{}\" names)",
                params[i].name,
                words[at..at + len].iter().map(|t| t.original.as_str()).collect::<Vec<_>>().join(" ")
            ));
            keys.push(format!("%{value}"));
            found[i] = Some(Value::Text((*value).clone()));
        }
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

    // Per word: it starts a name of one of the intent's parameters, or is a unit.
    let named: Vec<bool> = (0..words.len())
        .map(|at| {
            params.iter().any(|p| p.unit.as_deref().is_some_and(|u| unit_factor(u, &words[at].text).is_some()))
                || model.mentions.iter().any(|(m, _)| words.len() - at >= m.len() && m.iter().zip(&stems[at..]).all(|(a, b)| a == b))
        })
        .collect();
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
            match value_near(&params[*i], words, &used, &named, plain, at, end) {
                // "4 KB ram": a unit that makes no sense for the setting is said, not dropped.
                Some((w, _)) if words.get(w + 1).is_some_and(|u| lexicon::is(&lexicon::UNSUPPORTED_UNITS, &u.text)) => {
                    used[w] = true;
                    let unit = params[*i].unit.as_deref().unwrap_or("whole numbers");
                    problems.push(format!("I could not use {} {} for {}: it is counted in {unit}", words[w].original, words[w + 1].original, params[*i].name));
                }
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
            // "ubuntu 22.04" when the value the word stands for is ubuntu-24.04: the version
            // asked for is not known, which is said rather than swapped for the one that is.
            let versioned = |t: &&Token| is_number(&t.text) && t.text.contains('.') && value.contains('.') && !value.contains(t.text.as_str());
            if let Some(version) = words.get(w + 1).filter(versioned) {
                problems.push(format!("I could not use {} {} for {}: only {value} is known", words[w].original, version.original, params[i].name));
                used[w + 1] = true;
                continue;
            }
            let Some(value) = unless_negated(&params[i], words, w, value) else { continue };
            evidence.push(format!("{} <- {:?} (a word the examples use for {value:?})", params[i].name, words[w].text));
            keys.push(format!("~{}", words[w].text));
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
    let reach = w.saturating_sub(lexicon::VALUE_NEGATION_REACH)..w;
    let crossed = |k: usize| (k + 1..=w).any(|j| words[j].clause_start);
    let negated = reach.clone().any(|k| lexicon::negates_value(&words[k].text) && !crossed(k))
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
    (at.saturating_sub(lexicon::LETTING_GO_REACH)..at).any(|k| lexicon::lets_go(&words[k].text) && !crossed(k))
}

/// Whether `mention` names the thing `p` counts ("gpu" for "Minimum number of GPUs"), not a
/// bound or measure of it ("max count").
fn counted(p: &ParamSpec, mention: &[String]) -> bool {
    p.description.to_lowercase().contains("number of") && !mention.iter().any(|w| BOUND_WORDS.contains(&w.as_str()))
}

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
            // "0x10", "1e309": digits in a notation this reader does not take, or too large.
            ParamType::Int | ParamType::Float
                if t.text.starts_with(|c: char| c.is_ascii_digit()) && !is_number(&t.text) && t.text.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') =>
            {
                Some(format!("I could not use {} for {name}: it is not a number as I read them (too large, or not written in decimal digits)", t.original))
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
///
/// A number belongs to the setting or unit next to it on either side: "2 cpu 4 ram" is 2 vCPUs
/// and 4 GiB, so a number after the name that another name or a unit follows ("cpu 4 ram")
/// is that one's when a number before the name is free ("2 cpu"); `named[w]` says whether
/// word `w` starts a parameter's name or is a unit.
fn value_near(p: &ParamSpec, words: &[Token], used: &[bool], named: &[bool], plain: &HashSet<String>, start: usize, end: usize) -> Option<(usize, Value)> {
    let numeric = matches!(p.ty, ParamType::Int | ParamType::Float);
    // Values stay inside the mention's clause: "20 instances, 18 months".
    let clause_end = (end..words.len()).find(|&w| words[w].clause_start).unwrap_or(words.len());
    let claimed = |w: usize| named.get(w + 1).copied().unwrap_or(false);
    if numeric {
        let before_free = start >= 1 && !words[start].clause_start && !used[start - 1] && number(p, &words[start - 1].text).is_some();
        let next = (end..clause_end).find(|&w| !FILLERS.contains(&words[w].text.as_str())).filter(|&w| !used[w]);
        if let Some(v) = next.and_then(|w| number(p, &words[w].text).map(|v| (w, v))).filter(|(w, _)| !(claimed(*w) && before_free)) {
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
            // "per hour for 128 GiB": a number with its own unit or name after it is not this one's.
            if let Some(v) = number(p, &t.text).filter(|_| !claimed(w)) {
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
