//! Model backends against a local server speaking each protocol: the two passes, reflection,
//! every kind of bad reply, faults, timeouts, the shortlist and the offline fallback.
mod common;

use aws_agent::llm::{AskModel, Backend, Reflect, Settings};
use aws_agent::session::{Session, Turn};
use common::model_server::{ModelServer, Reply, refused_url};
use serde_json::json;
use std::time::{Duration, Instant};

fn settings(backend: Backend, url: &str, reflect: Reflect) -> Settings {
    let url = match backend {
        Backend::Raven => format!("{url}/generate"),
        _ => format!("{url}/v1"),
    };
    Settings {
        backend,
        url: Some(url),
        model: Some("test-model".into()),
        api_key: Some("sk-test".into()),
        timeout: Duration::from_secs(5),
        reflect,
        ask_model: AskModel::Always,
        prompts: None,
    }
}

fn session_on(backend: Backend, server: &ModelServer, reflect: Reflect) -> Session {
    common::session_routed(settings(backend, &server.url, reflect))
}

fn max_count(s: &mut Session) -> u32 {
    s.caps().config.ec2.max_count
}

#[test]
fn raven_passes_run_in_order_and_reflection_corrects_the_first_call() {
    let server = ModelServer::start(vec![Reply::raven("Call: modify_ec2(MaxCount=3)<bot_end>"), Reply::raven(" Call: modify_ec2(MaxCount=4)")]);
    let mut s = session_on(Backend::Raven, &server, Reflect::Always);
    let turn = s.turn("change max count to 4");
    assert!(matches!(turn, Turn::Ran { .. }), "{turn:?}");
    assert_eq!(max_count(&mut s), 4, "the reflected call ran, not the first");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path, "/generate");
    let first = requests[0].body["inputs"].as_str().unwrap();
    assert!(first.contains("Function:\ndef modify_ec2("), "{first}");
    assert!(first.contains("MinCount (int, optional):"), "{first}");
    assert!(first.ends_with("Current User Query: change max count to 4<human_end>"), "{first}");
    assert!(!first.contains("Initial Call"), "{first}");
    assert_eq!(requests[0].body["parameters"]["stop"], json!(["<bot_end>"]));
    assert_eq!(requests[0].body["parameters"]["do_sample"], json!(false));
    let second = requests[1].body["inputs"].as_str().unwrap();
    assert!(second.contains("Current User Query: change max count to 4\nInitial Call: modify_ec2(MaxCount=3)\n"), "{second}");
    assert!(second.ends_with("<human_end>"), "{second}");
}

#[test]
fn openai_passes_carry_tools_and_the_first_call_back() {
    let server = ModelServer::start(vec![Reply::tool_call("modify_asg", json!({"MinSize": 2})), Reply::tool_call("modify_ec2", json!({"MaxCount": 4}))]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Always);
    let turn = s.turn("change max count to 4");
    assert!(matches!(&turn, Turn::Ran { calls, .. } if calls.last().is_some_and(|call| call.intent == "modify-ec2")), "{turn:?}");
    assert_eq!(max_count(&mut s), 4);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path, "/v1/chat/completions");
    assert_eq!(requests[0].authorization.as_deref(), Some("Bearer sk-test"));
    let body = &requests[0].body;
    assert_eq!(body["model"], "test-model");
    let tools = body["tools"].as_array().unwrap();
    let ec2 = tools.iter().find(|t| t["function"]["name"] == "modify_ec2").expect("modify_ec2 is offered");
    assert_eq!(ec2["function"]["parameters"]["properties"]["MinCount"]["type"], "integer");
    assert_eq!(ec2["function"]["parameters"]["additionalProperties"], false);
    // Patterns only in the syntax grammar-constrained servers enforce (llama.cpp ignores a
    // pattern with `\d`, and wants it anchored); word lists as enums.
    let params = tools.iter().flat_map(|t| t["function"]["parameters"]["properties"].as_object().unwrap().values());
    let patterns: Vec<&str> = params.clone().filter_map(|p| p["pattern"].as_str().or(p["items"]["pattern"].as_str())).collect();
    assert!(patterns.len() >= 7, "{patterns:?}");
    for p in &patterns {
        assert!(p.starts_with('^') && p.ends_with('$') && !p.contains("\\d") && !p.contains("\\w") && !p.contains("\\s"), "{p}");
    }
    assert!(params.clone().any(|p| p["enum"] == json!(["x86_64", "arm64"])), "arch is an enum");
    assert!(body["messages"][1]["content"].as_str().unwrap().ends_with("\n\nRequest: change max count to 4"), "{}", body["messages"][1]);
    let messages = requests[1].body["messages"].as_array().unwrap();
    assert_eq!(messages[2]["role"], "assistant");
    assert_eq!(messages[2]["tool_calls"][0]["function"]["name"], "modify_asg");
    assert_eq!(messages[3]["role"], "tool");
    assert_eq!(messages[3]["tool_call_id"], "call_1");
    assert!(messages[3]["content"].as_str().unwrap().contains("change max count to 4"));
}

/// What a session makes of a first-pass reply: the call it ran, or the message it gave.
fn outcome(backend: Backend, reply: Reply) -> Result<String, String> {
    let server = ModelServer::start(vec![reply]);
    let mut s = session_on(backend, &server, Reflect::Never);
    let before = s.caps().config.clone();
    let turn = s.turn("change max count to 4");
    assert_eq!(s.caps().config, before, "a bad reply changed the configuration: {turn:?}");
    match turn {
        Turn::Ran { calls, .. } => Ok(calls.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")),
        Turn::Failed { message, .. } | Turn::Unanswered { message } => Err(message),
    }
}

/// The message of a reply that broke the protocol: no answer, never out-of-scope.
fn failed_reply(got: Result<String, String>, want: &str) {
    let message = got.expect_err("a failed reply runs nothing");
    assert!(message.starts_with("No answer: the model's reply could not be used: ") && message.contains(want), "{message}");
}

#[test]
fn bad_raven_replies_are_failed_replies_out_of_scope_or_a_message() {
    let oos = Ok("out-of-scope()".to_string());
    assert_eq!(outcome(Backend::Raven, Reply::raven("Call: out_of_scope()")), oos, "only the model's own choice is out of scope");
    assert_eq!(outcome(Backend::Raven, Reply::raven("Call: delete_all_instances(region='us-east-1')")), oos);
    failed_reply(outcome(Backend::Raven, Reply::raven("I would pick a t3.micro for that.")), "answered in prose");
    failed_reply(outcome(Backend::Raven, Reply::raven("Call: modify_ec2(MaxCount=4")), "not a readable call");
    failed_reply(outcome(Backend::Raven, Reply::raven("Call: import os")), "not a readable call");
    // How the 1.5B model wrote calls without arguments: a bare name, or quoted as code. A bare
    // name that is no offered function (the utterance echoed) is no call.
    for reply in ["Call: show_config", "`show_config()`", "show_config"] {
        assert_eq!(outcome(Backend::Raven, Reply::raven(reply)), Ok("show-config()".to_string()), "{reply}");
    }
    failed_reply(outcome(Backend::Raven, Reply::raven("Call: go")), "answered in prose instead of calling a function: \"go\"");
    let refused = |reply: &str, want: &str| {
        let got = outcome(Backend::Raven, Reply::raven(reply)).expect_err(reply);
        assert!(got.contains(want), "{reply}: {got}");
    };
    refused("Call: modify_ec2(MinCount='two')", "MinCount takes a whole number, not the text \"two\"");
    refused("Call: modify_ec2(Colour='red')", "modify-ec2 has no parameter \"Colour\"");
    refused("Call: modify_ec2(MinCount=int('2'))", "MinCount = int('2') is not a plain value");
    refused("Call: modify_ec2(2, 3, 4, 5, 6, 7, 8, 9, 10)", "takes at most");
    let fault = |reply: Reply, want: &str| {
        let got = outcome(Backend::Raven, reply).expect_err(want);
        assert!(got.starts_with("No answer: ") && got.contains(want), "{got}");
    };
    two_calls_the_words_half_ask_for(Backend::Raven, Reply::raven("Call: modify_ec2(MaxCount=4); deploy()"));
    fault(Reply::raw(500, "model exploded"), "answered HTTP 500: model exploded");
    fault(Reply::raw(200, "<html>not json</html>"), "not JSON");
    fault(Reply::json(json!({"text": "Call: deploy()"})), "no generated_text");
}

/// A plan of two calls where the words ask for the first only: the configuration change runs,
/// the deployment does not, and the user hears why.
fn two_calls_the_words_half_ask_for(backend: Backend, reply: Reply) {
    let server = ModelServer::start(vec![reply]);
    let mut s = session_on(backend, &server, Reflect::Never);
    let turn = s.turn("change max count to 4");
    assert!(matches!(&turn, Turn::Ran { calls, .. } if calls.len() == 1 && calls[0].intent == "modify-ec2"), "{turn:?}");
    assert_eq!(max_count(&mut s), 4);
    let said = s.caps().console.take_lines().join("\n");
    assert!(said.contains("The model chose deploy, which acts on AWS.") && said.contains("nothing was sent to AWS"), "{said}");
}

#[test]
fn bad_openai_replies_are_failed_replies_out_of_scope_or_a_message() {
    let oos = Ok("out-of-scope()".to_string());
    assert_eq!(outcome(Backend::Openai, Reply::tool_call("out_of_scope", json!({}))), oos);
    assert_eq!(outcome(Backend::Openai, Reply::tool_call("rm_rf", json!({}))), oos);
    let prose = Reply::json(json!({"choices": [{"message": {"role": "assistant", "content": "You could use a t3.micro."}}]}));
    failed_reply(outcome(Backend::Openai, prose), "answered in prose");
    // A call written as text (a server without a tool-call parser for the model) is still a call.
    for content in [
        "{\"name\": \"modify_ec2\", \"arguments\": {\"MaxCount\": 4}}",
        "```json\n{\"name\": \"modify_ec2\", \"arguments\": {\"MaxCount\": 4}}\n```",
        "modify_ec2(MaxCount=4)",
    ] {
        let server = ModelServer::start(vec![Reply::json(json!({"choices": [{"message": {"role": "assistant", "content": content}}]}))]);
        let mut s = session_on(Backend::Openai, &server, Reflect::Never);
        s.turn("change max count to 4");
        assert_eq!(max_count(&mut s), 4, "{content}");
    }
    let broken_args = Reply::json(json!({"choices": [{"message": {"tool_calls": [{"function": {"name": "modify_ec2", "arguments": "{\"MaxCount\": 4"}}]}}]}));
    failed_reply(outcome(Backend::Openai, broken_args), "not JSON");
    let cut_off = Reply::json(
        json!({"choices": [{"finish_reason": "length", "message": {"content": "```json\n{\"name\": \"modify_ec2\", \"arguments\": {\"MaxCount\""}}]}),
    );
    failed_reply(outcome(Backend::Openai, cut_off), "cut off after 256 tokens");
    let got = outcome(Backend::Openai, Reply::tool_call("modify_ec2", json!({"MinCount": "two"}))).unwrap_err();
    assert!(got.contains("MinCount takes a whole number"), "{got}");
    let got = outcome(Backend::Openai, Reply::tool_call("modify_ec2", json!({"MaxCount": 4, "Sneaky": true}))).unwrap_err();
    assert!(got.contains("Sneaky"), "{got}");
    let two = Reply::json(json!({"choices": [{"message": {"tool_calls": [
        {"id": "a", "function": {"name": "modify_ec2", "arguments": "{\"MaxCount\": 4}"}},
        {"id": "b", "function": {"name": "deploy", "arguments": "{}"}},
    ]}}]}));
    two_calls_the_words_half_ask_for(Backend::Openai, two);
    // Ollama sends the arguments as an object, not a string.
    let ollama = Reply::json(json!({"choices": [{"message": {"tool_calls": [{"function": {"name": "modify_ec2", "arguments": {"MaxCount": 4}}}]}}]}));
    let server = ModelServer::start(vec![ollama]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Never);
    s.turn("change max count to 4");
    assert_eq!(max_count(&mut s), 4);
    let got = outcome(Backend::Openai, Reply::raw(401, r#"{"error": {"message": "Incorrect API key"}}"#)).unwrap_err();
    assert!(got.contains("HTTP 401") && got.contains("Incorrect API key"), "{got}");
    let got = outcome(Backend::Openai, Reply::json(json!({"object": "error"}))).unwrap_err();
    assert!(got.contains("no choices[0].message"), "{got}");
}

#[test]
fn arguments_the_user_never_gave_are_left_out_and_said() {
    // What a 0.5B model did with the issue's utterance: the prompt's example values copied in.
    let invented = Reply::tool_call("modify_ec2", json!({"MinCount": 2, "MaxCount": 4, "InstanceType": "m5.large", "ImageId": "ami-0abcdef1234567890"}));
    let server = ModelServer::start(vec![invented]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Never);
    let turn = s.turn("change min count to 2 and max count to 4");
    assert!(
        matches!(&turn, Turn::Ran { calls, .. } if calls.last().is_some_and(|call| call.args.len() == 2)),
        "only the grounded arguments reached the plugin: {turn:?}"
    );
    let ec2 = &s.caps().config.ec2;
    assert_eq!((ec2.min_count, ec2.max_count, ec2.instance_type.as_str(), ec2.image_id.as_str()), (2, 4, "t2.micro", "al2023"));
    let said = s.caps().console.take_lines().join("\n");
    assert!(
        said.contains("The model added InstanceType=\"m5.large\", ImageId=\"ami-0abcdef1234567890\", which you did not ask for; it was left out."),
        "{said}"
    );
    assert_eq!(s.journal().turns[0].call, "modify-ec2(MinCount=2, MaxCount=4)");

    // Values the offline reader finds are grounded however they were said: a place for its
    // region, a unit, a value word.
    let server = ModelServer::start(vec![Reply::tool_call("find_cheapest", json!({"ram": 1024, "arch": "arm64", "region": "eu-west-1"}))]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Never);
    let turn = s.turn("cheapest graviton box with 1 TB of memory in Ireland");
    assert!(
        matches!(&turn, Turn::Ran { calls, .. } | Turn::Failed { calls, .. } if calls.last().is_some_and(|call| call.args.len() == 3)),
        "all three reached the plugin: {turn:?}"
    );

    // Text backs a value only as a word of its own: the 1.5B model's burstable="no" for "now".
    let server = ModelServer::start(vec![Reply::tool_call("find_cheapest", json!({"cpu": 4, "ram": 16, "burstable": "no"}))]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Never);
    let turn = s.turn("cheapest thing w/ 4 vcpu 16gb, now");
    assert!(matches!(&turn, Turn::Ran { calls, .. } if calls.last().is_some_and(|call| call.to_string() == "find-cheapest(cpu=4, ram=16.0)")), "{turn:?}");

    // A number said once backs one argument (the 1.5B model's answer to "set min size to 2"),
    // unless the words give it to both.
    let both = || Reply::tool_call("modify_ec2", json!({"MinCount": 2, "MaxCount": 2}));
    let server = ModelServer::start(vec![both(), both(), both()]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Never);
    let turn = s.turn("set min size to 2");
    assert!(matches!(&turn, Turn::Ran { calls, .. } if calls.last().is_some_and(|call| call.to_string() == "modify-ec2(MinCount=2)")), "{turn:?}");
    let said = s.caps().console.take_lines().join("\n");
    assert!(said.contains("The model added MaxCount=2, which you did not ask for; it was left out."), "{said}");
    for (words, two) in [("launch exactly two instances", "both named"), ("min 2, max 2", "2 said twice")] {
        let turn = s.turn(words);
        assert!(
            matches!(&turn, Turn::Ran { calls, .. } if calls.last().is_some_and(|call| call.to_string() == "modify-ec2(MinCount=2, MaxCount=2)")),
            "{two}: {turn:?}"
        );
    }

    // A follow-up may repeat what an earlier turn said; nothing else.
    let server = ModelServer::start(vec![
        Reply::tool_call("find_cheapest", json!({"cpu": 2, "ram": 8})),
        Reply::tool_call("find_cheapest", json!({"cpu": 2, "ram": 8, "region": "eu-west-1", "gpus": 1})),
    ]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Never);
    s.turn("cheapest box with 2 vCPUs and 8 GB");
    let turn = s.turn("what about in Ireland?");
    assert!(
        matches!(&turn, Turn::Ran { calls, .. } if calls.last().is_some_and(|call| call.to_string() == "find-cheapest(cpu=2, ram=8.0, region=\"eu-west-1\")")),
        "{turn:?}"
    );
}

#[test]
fn a_call_with_nothing_grounded_is_refused_and_the_reflection_hears_what_was_dropped() {
    let server = ModelServer::start(vec![Reply::tool_call("find_cheapest", json!({"cpu": 2}))]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Never);
    let before = s.caps().config.clone();
    let turn = s.turn("find me something affordable");
    assert!(matches!(&turn, Turn::Failed { message, .. } if message.contains("nothing you said gives cpu=2")), "{turn:?}");
    assert_eq!(s.caps().config, before);

    let server = ModelServer::start(vec![
        Reply::tool_call("modify_ec2", json!({"MinCount": 2, "InstanceType": "m5.large"})),
        Reply::tool_call("modify_ec2", json!({"MinCount": 2})),
    ]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Always);
    assert!(matches!(s.turn("min count 2"), Turn::Ran { .. }));
    let review = server.requests()[1].body["messages"][3]["content"].as_str().unwrap_or_default().to_string();
    assert!(review.contains("the user never gave InstanceType=\"m5.large\", so it was left out"), "{review}");
    assert!(!s.caps().console.take_lines().join("\n").contains("left out."), "the reflected call added nothing, so nothing is said");
}

#[test]
fn a_model_calling_an_action_the_words_do_not_ask_for_runs_nothing() {
    for (backend, reply) in [(Backend::Openai, Reply::tool_call("deploy", json!({}))), (Backend::Raven, Reply::raven("Call: teardown()"))] {
        let server = ModelServer::start(vec![reply]);
        let mut s = session_on(backend, &server, Reflect::Never);
        let turn = s.turn("16 cpus 64 gb ram");
        assert!(matches!(&turn, Turn::Failed { message, .. } if message.contains("acts on AWS") && message.contains("in so many words")), "{turn:?}");
    }
    // Words that ask for it let the model's call through.
    let server = ModelServer::start(vec![Reply::tool_call("show_config", json!({}))]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Never);
    assert!(matches!(s.turn("show me the config"), Turn::Ran { .. }));
}

#[test]
fn a_cut_off_reply_is_told_as_such_offered_offline_and_route_exits_1() {
    let cut_off =
        || Reply::json(json!({"choices": [{"finish_reason": "length", "message": {"content": "{\"name\": \"modify_ec2\", \"arguments\": {\"MinCount\": 2"}}]}));
    let server = ModelServer::start(vec![cut_off(), cut_off()]);
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/v1", server.url);
    let args = ["--llm", "openai", "--llm-url", url.as_str(), "--llm-model", "m", "--reflect", "never"];
    let out = common::agent_piped(home.path(), &args, "min count 2\ny\n");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("No answer: the model's reply could not be used: the model's reply is not a readable call: the reply was cut off"), "{text}");
    assert!(text.contains("Route it with the offline router instead? Answer y"), "{text}");
    assert!(text.contains("│ MinCount     ┆ 2"), "the offline router ran the turn the user confirmed: {text}");
    let out = common::agent(home.path()).args(args).args(["route", "min", "count", "2"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("not routed: the model's reply could not be used"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn consecutive_turns_send_the_same_prefix_ahead_of_the_conversation() {
    let server = ModelServer::start(vec![Reply::tool_call("modify_ec2", json!({"MaxCount": 4})), Reply::tool_call("modify_ec2", json!({"MinCount": 2}))]);
    let mut s = session_on(Backend::Openai, &server, Reflect::Never);
    // Two turns on the same settings get the same shortlist; the conversation goes after it.
    s.turn("change max count to 4");
    s.turn("change min count to 2");
    let requests = server.requests();
    let (first, second) = (&requests[0].body, &requests[1].body);
    assert_eq!(first["tools"].to_string(), second["tools"].to_string(), "the tools are byte-identical");
    assert_eq!(first["messages"][0], second["messages"][0], "the system message is byte-identical");
    let conversation = second["messages"][1]["content"].as_str().unwrap();
    assert!(conversation.starts_with("Conversation so far:") && conversation.ends_with("Request: change min count to 2"), "{conversation}");
    drop(requests);

    let server = ModelServer::start(vec![Reply::raven("Call: modify_ec2(MaxCount=4)"), Reply::raven("Call: modify_ec2(MinCount=2)")]);
    let mut s = session_on(Backend::Raven, &server, Reflect::Never);
    // Two turns on the same settings get the same shortlist; the conversation goes after it.
    s.turn("change max count to 4");
    s.turn("change min count to 2");
    let requests = server.requests();
    let inputs: Vec<&str> = requests.iter().map(|r| r.body["inputs"].as_str().unwrap()).collect();
    let functions =
        |i: &str| i[..i.find("Conversation so far:").or_else(|| i.find("Current state")).expect("the conversation follows the functions")].to_string();
    assert!(functions(inputs[0]).contains("def modify_ec2("));
    assert_eq!(functions(inputs[0]), functions(inputs[1]), "the function blocks are byte-identical");
}

#[test]
fn ask_model_unsure_skips_the_model_only_for_what_the_offline_router_is_sure_of() {
    let server = ModelServer::start(vec![Reply::tool_call("modify_ec2", json!({"MinCount": 3}))]);
    let mut unsure = settings(Backend::Openai, &server.url, Reflect::Never);
    unsure.ask_model = AskModel::Unsure;
    let mut s = common::session_routed(unsure);
    assert!(matches!(s.turn("change max count to 4"), Turn::Ran { .. }));
    assert_eq!(max_count(&mut s), 4);
    assert_eq!(server.requests().len(), 0, "a sure utterance costs no model time");
    assert!(matches!(s.turn("make it three"), Turn::Ran { .. }));
    assert_eq!(server.requests().len(), 1, "an unsure one is asked");
    assert_eq!(s.caps().config.ec2.min_count, 3);

    // A second opinion that fails leaves the offline reading standing, and says so: a cut-off
    // reply, then the HTTP 500 llama-server answers for a call it cannot parse.
    let cut_off = Reply::json(json!({"choices": [{"finish_reason": "length", "message": {"content": "{\"name\": \"show_config\", \"argu"}}]}));
    let server = ModelServer::start(vec![cut_off, refused_500()]);
    let mut unsure = settings(Backend::Openai, &server.url, Reflect::Never);
    unsure.ask_model = AskModel::Unsure;
    let mut s = common::session_routed(unsure);
    for why in ["cut off", "HTTP 500"] {
        let turn = s.turn("hold on, before we ship anything show me everything that's configured");
        assert!(matches!(&turn, Turn::Ran { calls, .. } if calls.last().is_some_and(|call| call.intent == "show-config")), "{why}: {turn:?}");
        let said = s.caps().console.take_lines().join("\n");
        assert!(
            said.contains("The model gave no usable answer (") && said.contains(why) && said.contains("the offline router's reading, show-config(), was used"),
            "{said}"
        );
    }
    assert_eq!(server.requests().len(), 2, "both were asked");

    // Not for a server that cannot be reached or a settings mistake (the REPL offers the
    // offline router for those), and never into an action on AWS the words do not clearly ask for.
    let server = ModelServer::start(vec![Reply::raw(401, r#"{"error": {"message": "Incorrect API key"}}"#)]);
    let mut unsure = settings(Backend::Openai, &server.url, Reflect::Never);
    unsure.ask_model = AskModel::Unsure;
    let mut s = common::session_routed(unsure);
    let turn = s.turn("hold on, before we ship anything show me everything that's configured");
    assert!(matches!(&turn, Turn::Unanswered { message } if message.contains("HTTP 401")), "{turn:?}");
    let server = ModelServer::start(vec![refused_500()]);
    let mut unsure = settings(Backend::Openai, &server.url, Reflect::Never);
    unsure.ask_model = AskModel::Unsure;
    let mut s = common::session_routed(unsure);
    let turn = s.turn("deploy?");
    assert_eq!(server.requests().len(), 1, "an unsure utterance");
    // The offline reading of a question about deploying runs nothing, and says why.
    assert!(matches!(&turn, Turn::Ran { calls, .. } if calls.is_empty()), "{turn:?}");
    let said = s.caps().console.take_lines().join("\n");
    assert!(said.contains("Not run: deploy — that reads as a question about it"), "{said}");
}

fn refused_500() -> Reply {
    Reply::raw(500, r#"{"error": {"code": 500, "message": "The model produced output that does not match the expected peg-native format"}}"#)
}

#[test]
fn a_reflection_pass_without_an_answer_leaves_a_usable_first_call() {
    let broken = Reply::json(json!({"choices": [{"finish_reason": "length", "message": {"content": "{\"name\": \"modify_ec2\", \"argu"}}]}));
    for second in [refused_500(), broken] {
        let server = ModelServer::start(vec![Reply::tool_call("modify_ec2", json!({"MaxCount": 4})), second]);
        let mut s = session_on(Backend::Openai, &server, Reflect::Always);
        let turn = s.turn("change max count to 4");
        assert!(matches!(&turn, Turn::Ran { calls, .. } if calls.last().is_some_and(|call| call.to_string() == "modify-ec2(MaxCount=4)")), "{turn:?}");
        assert_eq!(server.requests().len(), 2, "the reflection was asked");
    }
}

#[test]
fn a_slow_server_is_cut_off_at_the_timeout_and_a_dead_one_is_named() {
    let server = ModelServer::start(vec![Reply::raven("Call: deploy()").after(Duration::from_secs(5))]);
    let mut slow = settings(Backend::Raven, &server.url, Reflect::Never);
    slow.timeout = Duration::from_millis(300);
    let mut s = common::session_routed(slow);
    let started = Instant::now();
    let turn = s.turn("deploy it");
    let waited = started.elapsed();
    let Turn::Unanswered { message } = turn else { panic!("{turn:?}") };
    assert!(message.contains("did not answer within 0.3 s"), "{message}");
    assert!(waited < Duration::from_secs(5), "waited {waited:?} for a server that takes 5 s");

    let dead = refused_url();
    let mut s = common::session_routed(settings(Backend::Openai, &dead, Reflect::Always));
    let Turn::Unanswered { message } = s.turn("change max count to 4") else { panic!("a dead server answered") };
    assert!(message.contains(&format!("cannot reach the model server at {dead}/v1/chat/completions")), "{message}");
    assert_eq!(max_count(&mut s), 1);
    assert!(matches!(s.turn_offline("change max count to 4"), Turn::Ran { .. }), "the offline fallback routes the same turn");
    assert_eq!(max_count(&mut s), 4);
}

#[test]
fn auto_reflects_only_when_the_first_call_is_not_usable() {
    let server = ModelServer::start(vec![Reply::raven("Call: modify_ec2(MaxCount=4)")]);
    let mut s = session_on(Backend::Raven, &server, Reflect::Auto);
    s.turn("change max count to 4");
    assert_eq!(server.requests().len(), 1, "a good first call is not reflected on");

    let server = ModelServer::start(vec![Reply::raven("Call: modify_ec2(MinCount='2 please')"), Reply::raven("Call: modify_ec2(MaxCount=4)")]);
    let mut s = session_on(Backend::Raven, &server, Reflect::Auto);
    assert!(matches!(s.turn("change max count to 4"), Turn::Ran { .. }));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let second = requests[1].body["inputs"].as_str().unwrap();
    assert!(second.contains("The application could not use the initial call:") && second.contains("MinCount takes a whole number"), "{second}");
}

#[test]
fn the_conversation_so_far_reaches_the_next_prompt() {
    let server = ModelServer::start(vec![Reply::raven("Call: modify_ec2(MaxCount=4)"), Reply::raven("Call: show_config()")]);
    let mut s = session_on(Backend::Raven, &server, Reflect::Never);
    s.turn("change max count to 4");
    s.turn("and now?");
    let second = server.requests()[1].body["inputs"].as_str().unwrap().to_string();
    assert!(second.contains("Conversation so far:\nUser: change max count to 4\nCall: modify_ec2(MaxCount=4)\n"), "{second}");
}

#[test]
fn many_plugins_are_shortlisted_so_the_prompt_stays_bounded() {
    let mut specs: Vec<aws_agent::plugin::spec::IntentSpec> = common::session().registry().specs().cloned().collect();
    let template = specs.iter().find(|s| s.name == "show-config").unwrap().clone();
    for i in 0..50 {
        let mut extra = template.clone();
        extra.name = format!("widget-{i}");
        extra.docstring = format!("Polishes widget number {i} of the fleet.");
        for e in &mut extra.examples {
            e.utterance = format!("polish widget {i} please");
        }
        specs.push(extra);
    }
    let server = ModelServer::start(vec![Reply::raven("Call: modify_ec2(MaxCount=4)")]);
    let protocol = aws_agent::llm::connect(&settings(Backend::Raven, &server.url, Reflect::Never)).unwrap();
    let router =
        aws_agent::router::llm::LlmRouter::new(&specs, aws_agent::router::offline::OfflineRouter::new(&specs), protocol, Reflect::Never, AskModel::Always);
    use aws_agent::router::Router;
    assert_eq!(router.route("change max count to 4").unwrap().only().map(|c| c.intent.as_str()), Some("modify-ec2"));
    let prompt = server.requests()[0].body["inputs"].as_str().unwrap().to_string();
    let offered = prompt.matches("Function:\ndef ").count();
    assert_eq!(offered, aws_agent::router::llm::SHORTLIST + 1, "{prompt}");
    assert!(prompt.contains("def modify_ec2(") && prompt.contains("def out_of_scope("), "{prompt}");
}

#[test]
fn templates_in_the_prompt_folder_replace_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("raven-first.jinja"), "{% for f in functions %}{{ f.name }} {% endfor %}| {{ query }}<human_end>").unwrap();
    let server = ModelServer::start(vec![Reply::raven("Call: show_config()")]);
    let mut custom = settings(Backend::Raven, &server.url, Reflect::Never);
    custom.prompts = Some(dir.path().to_path_buf());
    let mut s = common::session_routed(custom);
    s.turn("show config");
    let inputs = server.requests()[0].body["inputs"].as_str().unwrap().to_string();
    assert!(inputs.ends_with("| show config<human_end>") && inputs.contains("show_config "), "{inputs}");
    let broken = tempfile::tempdir().unwrap();
    std::fs::write(broken.path().join("raven-first.jinja"), "{{ no_such_value }}").unwrap();
    let mut custom = settings(Backend::Raven, &server.url, Reflect::Never);
    custom.prompts = Some(broken.path().to_path_buf());
    let mut s = common::session_routed(custom);
    let Turn::Unanswered { message } = s.turn("show config") else { panic!("a broken template was sent") };
    assert!(message.contains("prompt template raven-first.jinja"), "{message}");
}

#[test]
fn route_json_is_the_same_whatever_the_backend() {
    let home = tempfile::tempdir().unwrap();
    let offline = common::agent_piped(home.path(), &["route", "--json", "change min count to 2"], "");
    assert!(offline.status.success(), "{}", String::from_utf8_lossy(&offline.stderr));
    let server = ModelServer::start(vec![Reply::raven("Call: modify_ec2(MinCount=2)"), Reply::raven("Call: modify_ec2(MinCount=2)")]);
    let url = format!("{}/generate", server.url);
    let raven = common::agent_piped(home.path(), &["route", "--json", "--llm", "raven", "--llm-url", &url, "change min count to 2"], "");
    assert!(raven.status.success(), "{}", String::from_utf8_lossy(&raven.stderr));
    assert_eq!(String::from_utf8_lossy(&raven.stdout), String::from_utf8_lossy(&offline.stdout));
    assert_eq!(String::from_utf8_lossy(&raven.stdout).trim(), r#"{"intent":"modify-ec2","args":{"MinCount":2}}"#);
    assert_eq!(server.requests().len(), 2, "reflection is on by default for model backends");
}

#[test]
fn missing_model_settings_are_refused_at_start() {
    let home = tempfile::tempdir().unwrap();
    let out = common::agent_piped(home.path(), &["route", "--llm", "raven", "hello"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--llm raven needs --llm-url"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = common::agent_piped(home.path(), &["route", "--llm", "openai", "hello"], "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--llm openai needs --llm-model"));
    let out = common::agent_piped(home.path(), &["route", "--llm", "raven", "--llm-url", "ftp://x", "hello"], "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("must be http:// or https://"));
}

#[test]
fn a_piped_session_offers_the_offline_router_when_the_model_is_down() {
    let home = tempfile::tempdir().unwrap();
    let dead = refused_url();
    let out = common::agent_piped(
        home.path(),
        &["--catalog", "tests/fixtures/catalog", "--llm", "openai", "--llm-model", "m", "--llm-url", &dead],
        "change max count to 5\ny\nchange max count to 7\nno\n",
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("No answer: cannot reach the model server"), "{text}");
    assert!(text.contains("Route it with the offline router instead? Answer y"), "{text}");
    assert!(text.contains("│ MaxCount     ┆ 5"), "the offline router ran the turn: {text}");
    assert!(!text.contains("│ MaxCount     ┆ 7"), "a turn the user did not confirm ran: {text}");
}

#[test]
fn openai_settings_come_from_the_openai_variables_too() {
    let server = ModelServer::start(vec![Reply::tool_call("modify_ec2", json!({"MinCount": 2})), Reply::tool_call("modify_ec2", json!({"MinCount": 2}))]);
    let home = tempfile::tempdir().unwrap();
    let out = common::agent(home.path())
        .env("OPENAI_BASE_URL", format!("{}/v1", server.url))
        .env("OPENAI_API_KEY", "sk-from-env")
        .args(["route", "--json", "--llm", "openai", "--llm-model", "m", "change min count to 2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), r#"{"intent":"modify-ec2","args":{"MinCount":2}}"#);
    let requests = server.requests();
    assert_eq!(requests[0].path, "/v1/chat/completions");
    assert_eq!(requests[0].authorization.as_deref(), Some("Bearer sk-from-env"));
}

#[test]
fn the_backend_setting_follows_flag_over_environment_over_file() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("config.toml"), "llm = \"raven\"\n").unwrap();
    let run = |env: Option<&str>, flag: Option<&str>| {
        let mut command = common::agent(home.path());
        if let Some(v) = env {
            command.env("AWS_AGENT_LLM", v);
        }
        if let Some(v) = flag {
            command.args(["--llm", v]);
        }
        command.args(["route", "show config"]).output().unwrap()
    };
    let from_file = run(None, None);
    assert!(String::from_utf8_lossy(&from_file.stderr).contains("--llm raven needs --llm-url"), "the file's backend is used");
    assert!(run(Some("offline"), None).status.success(), "the environment beats the file");
    let env_raven = run(Some("raven"), Some("offline"));
    assert!(env_raven.status.success(), "the flag beats the environment: {}", String::from_utf8_lossy(&env_raven.stderr));
}
