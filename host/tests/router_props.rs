//! Properties of the offline router over generated utterances: it never panics, and every
//! argument of every routed call comes from the words typed — a number that appears (in a unit
//! the reader converts), a value word or place the utterance carries, or an identifier it
//! contains — never from nowhere.
mod common;

use aws_agent::plugin::spec::Value;
use proptest::prelude::*;

/// Words people type to this agent, with odd numbers and signs among them.
const WORDS: [&str; 62] = [
    "cheapest",
    "instance",
    "with",
    "cpus",
    "vcpus",
    "cores",
    "gb",
    "ram",
    "memory",
    "mb",
    "tb",
    "gpu",
    "gpus",
    "a",
    "an",
    "the",
    "set",
    "min",
    "max",
    "count",
    "size",
    "desired",
    "capacity",
    "to",
    "between",
    "and",
    "from",
    "at",
    "least",
    "most",
    "no",
    "not",
    "avoid",
    "arm",
    "graviton",
    "intel",
    "x86",
    "forget",
    "any",
    "in",
    "frankfurt",
    "tokyo",
    "ireland",
    "us-west-2",
    "eu-central-1",
    "m5.large",
    "t4g.nano",
    "x.aaaa",
    "ami-0123456789abcdef0",
    "subnet-0a1b2c3d",
    "us-east-1a",
    "zones",
    "template",
    "web-prod",
    "enable",
    "autoscaling",
    "deploy",
    "teardown",
    "show",
    "config",
    "please",
    "?",
];
const NUMBERS: [&str; 12] = ["0", "1", "2", "4", "8", "16", "2.5", "-5", "99999999999999999999999", "two", "half", "1e9"];

fn utterance() -> impl Strategy<Value = String> {
    let word = prop_oneof![3 => proptest::sample::select(WORDS.to_vec()), 1 => proptest::sample::select(NUMBERS.to_vec())];
    proptest::collection::vec(word, 0..10).prop_map(|w| w.join(" "))
}

/// The numbers `text` carries, in every unit the reader converts to GiB, and 0 and 1 where
/// words imply them ("forget", "any", "no" let go; "a GPU", "gpu instance" is one).
fn numbers_in(text: &str) -> Vec<f64> {
    let mut found: Vec<f64> = vec![];
    for w in text.split_whitespace() {
        let n = match w {
            "two" => Some(2.0),
            "half" => Some(0.5),
            // Exponents are read as written ("1e9").
            w => w.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0),
        };
        found.extend(n.into_iter().flat_map(|n| [n, n / 1024.0, n * 1024.0]));
    }
    // "half" is also relative to what is set: half of the starting counts of 1.
    if text.split_whitespace().any(|w| w == "half") {
        found.extend([0.0, 1.0]);
    }
    if text.split_whitespace().any(|w| ["forget", "any", "no", "not", "avoid"].contains(&w)) {
        found.push(0.0);
    }
    // "a GPU", "a GPU instance", "with graphic card": one of the thing named.
    if text.split_whitespace().any(|w| ["a", "an", "instance", "with"].contains(&w)) {
        found.push(1.0);
    }
    found
}

/// Text values the words carry without spelling them: architecture words and region places.
fn texts_implied_by(text: &str) -> Vec<&'static str> {
    let pairs = [("arm", ["arm64", "x86_64"]), ("graviton", ["arm64", "x86_64"]), ("intel", ["x86_64", "arm64"]), ("x86", ["x86_64", "arm64"])];
    let places = [("frankfurt", "eu-central-1"), ("tokyo", "ap-northeast-1"), ("ireland", "eu-west-1")];
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<&'static str> = pairs.iter().filter(|(w, _)| words.contains(w)).flat_map(|(_, v)| *v).collect();
    out.extend(places.iter().filter(|(w, _)| words.contains(w)).map(|(_, code)| *code));
    out
}

#[test]
fn every_argument_comes_from_the_words() {
    let session = common::session();
    // A fixed seed: the same 2,000 utterances on every run, so a failure is never a fluke of CI.
    let rng = proptest::test_runner::TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha);
    let mut runner = proptest::test_runner::TestRunner::new_with_rng(ProptestConfig { cases: 2000, ..ProptestConfig::default() }, rng);
    let outcome = runner.run(&utterance(), |text| {
        let Ok(routed) = session.router().route(&text) else { return Ok(()) };
        let numbers = numbers_in(&text);
        let implied = texts_implied_by(&text);
        // show-config's `setting` is the name of the setting the words name, not a value in them.
        for (name, value) in routed.plan.iter().flat_map(|c| c.args.iter()).filter(|(name, _)| name != "setting") {
            let call = &routed;
            match value {
                Value::Int(n) => prop_assert!(numbers.contains(&(*n as f64)), "{name}={n} in {call} has no source in {text:?}"),
                Value::Float(n) => prop_assert!(numbers.iter().any(|x| (x - n).abs() < 1e-9), "{name}={n} in {call} has no source in {text:?}"),
                // Comma-joined values (subnets) come from several words.
                Value::Text(t) => prop_assert!(
                    t.split(',').all(|part| text.to_lowercase().contains(&part.to_lowercase())) || implied.contains(&t.as_str()),
                    "{name}={t:?} in {call} has no source in {text:?}"
                ),
                Value::TextList(items) => {
                    for t in items {
                        prop_assert!(text.to_lowercase().contains(&t.to_lowercase()), "{name} item {t:?} in {call} has no source in {text:?}");
                    }
                }
            }
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
