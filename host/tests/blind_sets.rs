//! The blind sets of the request-to-act, question and whole-utterance work (`tests/eval/
//! actions-blind-*.jsonl`, `questions-blind-*.jsonl`, `conversations-blind-c/d.jsonl`), each
//! written by someone who never saw the router, the a/c halves tuned on and the b/d halves
//! sealed until measured once. Floors sit at the figures when they were set (see
//! tests/eval/README.md); precision on acting is never allowed below 100% on a tuned half.
mod common;

use aws_agent::catalog::Source;
use aws_agent::evaluation::{actions, conversations, questions};
use aws_agent::llm::{AskModel, Backend, Reflect, Settings};
use aws_agent::plugin::Limits;
use common::model_server::{ModelServer, Reply};
use std::time::Duration;

fn read(file: &str) -> String {
    std::fs::read_to_string(common::repo().join("tests/eval").join(file)).unwrap()
}

fn bundled() -> aws_agent::session::Session {
    common::session_with(vec![common::builtin_plugins()], Source::Bundled, Limits::default())
}

/// The offline router acts only when a line asks for it now: on the tuned half, no line that
/// must not act does; on the sealed half, what was measured once stays.
#[test]
fn actions_run_only_when_the_line_asks_for_them_now() {
    let mut session = bundled();
    // (file, most lines that must not act and did, least recall)
    for (file, wrongly, recall) in [("actions-blind-a.jsonl", 0, 27), ("actions-blind-b.jsonl", SEALED_B_WRONGLY, SEALED_B_RECALL)] {
        let report = actions::evaluate(&mut session, &actions::Case::parse_all(&read(file)).unwrap());
        assert!(report.wrongly_acted().count() <= wrongly, "{file}: {report}");
        assert!(report.recall().0 >= recall, "{file}: {report}");
    }
}

/// The sealed half at the end of the work (see tests/eval/README.md; 2 and 25 when first
/// measured mid-way).
const SEALED_B_WRONGLY: usize = 0;
const SEALED_B_RECALL: usize = 27;

/// A model that proposes an action for every line is held to the same gate: on the tuned half
/// nothing that must not act acts, whatever the model says.
#[test]
fn a_model_that_always_proposes_an_action_is_held_to_the_words() {
    let cases = actions::Case::parse_all(&read("actions-blind-a.jsonl")).unwrap();
    let turns = cases.iter().map(|c| c.before.len() + 1).sum::<usize>();
    for (function, act) in [("deploy", "deploy"), ("teardown", "teardown")] {
        let server = ModelServer::start((0..turns).map(|_| Reply::tool_call(function, serde_json::json!({}))).collect());
        let settings = Settings {
            backend: Backend::Openai,
            url: Some(format!("{}/v1", server.url)),
            model: Some("test-model".into()),
            api_key: Some("sk-test".into()),
            timeout: Duration::from_secs(5),
            reflect: Reflect::Never,
            ask_model: AskModel::Always,
            ..Settings::offline()
        };
        let mut session = common::session_routed(settings);
        let report = actions::evaluate(&mut session, &cases);
        let wrong: Vec<String> = report.wrongly_acted().map(|o| format!("{:?} ran {}", o.case.text, o.calls.join("; "))).collect();
        assert!(wrong.is_empty(), "a model always calling {function}: {wrong:?}");
        // ... and where a line plainly asks for that action now, it runs (the setup lines of the
        // other classes get the same call from this model, so they set up nothing to answer).
        let plain = |o: &&actions::Outcome| o.case.act == act && o.case.class == "plain";
        let asked = report.outcomes.iter().filter(plain).count();
        let ran = report.outcomes.iter().filter(plain).filter(|o| o.acted.iter().any(|a| a == act)).count();
        assert!(ran * 10 >= asked * 8, "a model always calling {function}: {ran}/{asked} of the plain requests for it ran it");
    }
}

/// Questions are answered and change nothing; requests, however asked, make their change.
#[test]
fn questions_change_nothing_and_requests_still_do() {
    let mut session = bundled();
    // (file, least questions answered right and unchanged, least unchanged, least requests exact)
    for (file, answered, unchanged, requests) in
        [("questions-blind-a.jsonl", 29, 32, 12), ("questions-blind-b.jsonl", 28, SEALED_B_UNCHANGED, SEALED_B_REQUESTS)]
    {
        let report = questions::evaluate(&mut session, &questions::Case::parse_all(&read(file)).unwrap()).unwrap();
        let (a, _) = report.figure(questions::Kind::Question);
        let (r, _) = report.figure(questions::Kind::Request);
        let still = report.outcomes.iter().filter(|o| o.case.kind == questions::Kind::Question && o.unchanged).count();
        assert!(a >= answered && still >= unchanged && r >= requests, "{file}: {report}");
    }
}

const SEALED_B_UNCHANGED: usize = 32;
const SEALED_B_REQUESTS: usize = 11;

/// Whole conversations in five voices end where the user meant at least as often as when the
/// floors were set.
#[test]
fn blind_conversations_end_where_the_user_meant() {
    let mut session = bundled();
    for (file, floor) in [("conversations-blind-c.jsonl", 26), ("conversations-blind-d.jsonl", 24)] {
        let all = conversations::Conversation::parse_all(&read(file)).unwrap();
        let report = conversations::evaluate(&mut session, &all).unwrap();
        let right = (report.accuracy() * all.len() as f64).round() as usize;
        assert!(right >= floor, "{file}: {report}");
    }
}
