//! Every built-in component, loaded by the real host.
//!
//! The fourteen intents load with their contract parameters; every spec example routes to its own
//! call; the seed's usage examples route; a broken or duplicate file is skipped; a cached component
//! is mapped again for each call.
mod common;

use aws_agent::plugin::{ParamType, Value};
use aws_agent::router::{Call, Router, offline::OfflineRouter};

#[test]
fn the_intents_load_with_their_contract_parameters() {
    let session = common::session();
    let mut names: Vec<(&str, Vec<(&str, ParamType)>)> =
        session.registry().specs().map(|s| (s.name.as_str(), s.params.iter().map(|p| (p.name.as_str(), p.ty)).collect())).collect();
    names.sort_by_key(|(name, _)| *name);
    use ParamType::*;
    assert_eq!(
        names,
        vec![
            ("compare-instance-types", vec![("InstanceTypes", TextList), ("region", Text), ("os", Text)]),
            ("deploy", vec![]),
            ("describe-instance-type", vec![("InstanceType", Text), ("region", Text), ("os", Text)]),
            ("disable-autoscaling", vec![]),
            ("enable-autoscaling", vec![]),
            ("estimate-cost", vec![("count", Int), ("hours", Int), ("days", Int), ("months", Int)]),
            ("export", vec![("format", Text)]),
            (
                "find-cheapest",
                vec![
                    ("cpu", Int),
                    ("ram", Float),
                    ("gpus", Int),
                    ("arch", Text),
                    ("gpu_vendor", Text),
                    ("burstable", Text),
                    ("region", Text),
                    ("alternatives", Int),
                    ("search", Text),
                    ("os", Text),
                    ("market", Text)
                ]
            ),
            (
                "modify-asg",
                vec![
                    ("LaunchTemplateName", Text),
                    ("VPCZoneIdentifier", Text),
                    ("AvailabilityZones", TextList),
                    ("MinSize", Int),
                    ("MaxSize", Int),
                    ("DesiredCapacity", Int)
                ]
            ),
            (
                "modify-ec2",
                vec![
                    ("InstanceType", Text),
                    ("ImageId", Text),
                    ("MinCount", Int),
                    ("MaxCount", Int),
                    ("KeyName", Text),
                    ("SecurityGroupIds", TextList),
                    ("Region", Text)
                ]
            ),
            ("out-of-scope", vec![("service", Text)]),
            ("show-config", vec![("setting", Text)]),
            ("status", vec![("all_regions", Text)]),
            ("teardown", vec![]),
        ]
    );
}

#[test]
fn every_docstring_example_routes_to_its_own_call() {
    let session = common::session();
    let router = aws_agent::router::offline_router(session.registry());
    let mut wrong = Vec::new();
    for spec in session.registry().specs() {
        for ex in &spec.examples {
            let expected = Call { intent: spec.name.clone(), args: spec.check(&ex.args).expect("examples passed the load check") };
            let got = router.route(&ex.utterance).expect("offline routing never fails");
            // A bare "ok" confirms only a question the agent asked: with none asked, it runs nothing.
            let answered_nothing = got.plan.is_empty() && !got.notes.is_empty();
            if got.only() != Some(&expected) && !answered_nothing {
                wrong.push(format!("{:?}: got {got}, expected {expected}", ex.utterance));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_seed_usage_examples_route() {
    let session = common::session();
    let router = OfflineRouter::new(session.registry().specs());
    let int = |n| Value::Int(n);
    // (utterance, intent, arguments)
    type Expected<'a> = (&'a str, &'a str, Vec<(&'a str, Value)>);
    let cases: Vec<Expected> = vec![
        ("4 RAM", "find-cheapest", vec![("ram", Value::Float(4.0))]),
        ("get cheapest instance with 3 RAM and 2 CPU", "find-cheapest", vec![("cpu", int(2)), ("ram", Value::Float(3.0))]),
        ("change min count to 2 and max count to 4", "modify-ec2", vec![("MinCount", int(2)), ("MaxCount", int(4))]),
        (
            "change desired capacity to 5 and launch template name to test",
            "modify-asg",
            vec![("LaunchTemplateName", Value::Text("test".into())), ("DesiredCapacity", int(5))],
        ),
        ("display config", "show-config", vec![]),
        ("show deployment settings", "show-config", vec![]),
        ("config looks good", "deploy", vec![]),
        ("deploy", "deploy", vec![]),
        ("enable autoscaling", "enable-autoscaling", vec![]),
        ("hello", "out-of-scope", vec![]),
        ("", "out-of-scope", vec![]),
    ];
    for (text, intent, args) in cases {
        let args = args.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        assert_eq!(router.route(text).unwrap().plan, [Call { intent: intent.into(), args }], "{text:?}");
    }
}

/// A cached component is mapped again for each call, not kept: calls keep working; with its
/// compiled file gone it is compiled again, unless the plugin's file changed since it was
/// described, which the call refuses.
#[test]
fn a_cached_component_is_mapped_again_for_each_call() {
    let (plugins, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let wasm = plugins.path().join("show-config.wasm");
    std::fs::copy(common::builtin_plugins().join("show-config.wasm"), &wasm).unwrap();
    let mut session = common::session_cached_in(plugins.path().to_path_buf(), cache.path());
    let components = cache.path().join("components");
    for _ in 0..2 {
        assert!(common::say(&mut session, "show config").contains("Current configuration"));
    }
    std::fs::remove_dir_all(&components).unwrap();
    assert!(common::say(&mut session, "show config").contains("Current configuration"), "compiled again");
    assert_eq!(std::fs::read_dir(&components).unwrap().count(), 1, "and cached again");

    std::fs::remove_dir_all(&components).unwrap();
    std::fs::copy(common::builtin_plugins().join("status.wasm"), &wasm).unwrap();
    let out = common::say(&mut session, "show config");
    assert!(out.contains("show-config.wasm changed since it was loaded; start aws-agent again"), "{out}");
    assert!(!out.contains("Current configuration"), "{out}");
}

#[test]
fn a_broken_file_is_skipped_and_the_rest_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.wasm"), b"\0asm not really").unwrap();
    std::fs::copy(common::builtin_plugins().join("show-config.wasm"), dir.path().join("show-config.wasm")).unwrap();
    let (session, messages) = common::start(vec![common::trusted(common::builtin_plugins()), common::trusted(dir.path().to_path_buf())]);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("broken.wasm is not a usable intent component")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("intent name \"show-config\" is already taken")), "{messages:?}");
    assert_eq!(session.registry().plugins().len(), 14);
}
