//! Broken plugins fail cleanly and leave the session working.
//!
//! After fuel runs out, a loop of slow queries, a trap following an update, a refused update,
//! ill-typed or unknown calls, a memory bomb, WASI snooping and an output flood, the configuration
//! is unchanged and the next turn works. The `lying-*` plugins are refused at load with their
//! reasons, in the library and as the user sees them from the binary.
mod common;

use aws_agent::catalog::Source;
use aws_agent::plugin::Limits;
use aws_agent::router::Call;
use aws_agent::session::Turn;

fn session(limits: Limits) -> aws_agent::session::Session {
    common::session_with(vec![common::builtin_plugins(), common::test_plugins()], Source::Directory(common::fixtures().join("catalog")), limits)
}

fn call(intent: &str) -> Call {
    Call { intent: intent.into(), args: vec![] }
}

/// Runs a hostile intent and reports how long it took to stop (for the issue notes; no timing
/// is asserted).
fn timed(s: &mut aws_agent::session::Session, intent: &str) -> Turn {
    let started = std::time::Instant::now();
    let turn = s.execute(call(intent));
    eprintln!("{intent}: stopped after {:?}", started.elapsed());
    turn
}

#[test]
fn an_endless_loop_is_stopped_and_the_next_turn_works() {
    let mut s = session(Limits { fuel: 50_000_000, ..Limits::default() });
    let Turn::Failed { message, .. } = timed(&mut s, "spin-forever") else { panic!("the loop finished?") };
    assert!(message.contains("ran out of its instruction budget (50000000 units)"), "{message}");
    s.caps().console.take_lines();
    let shown = common::say(&mut s, "change min count to 2 and max count to 3");
    assert!(shown.contains("EC2 configuration updated."), "{shown}");
    assert_eq!((s.caps().config.ec2.min_count, s.caps().config.ec2.max_count), (2, 3));
}

#[test]
fn an_endless_loop_of_slow_queries_is_stopped_by_the_catalog_time_limit() {
    let mut s = session(Limits::default());
    let Turn::Failed { message, .. } = timed(&mut s, "slow-queries") else { panic!("the loop finished?") };
    assert_eq!(message, "the plugin was stopped: it spent more than 4s in catalog queries");
    s.caps().console.take_lines();
    let shown = common::say(&mut s, "cheapest box with 2 vCPUs and 8 GB");
    assert!(shown.contains("Cheapest in us-east-1"), "the next call gets a fresh allowance: {shown}");
}

#[test]
fn a_trap_after_an_update_rolls_the_update_back() {
    let mut s = session(Limits::default());
    let before = s.caps().config.clone();
    let Turn::Failed { message, .. } = timed(&mut s, "trap-mid-update") else { panic!("the trap was not reported") };
    assert!(message.contains("the plugin crashed"), "{message}");
    assert_eq!(s.caps().config, before);
    let shown = s.caps().console.take_lines().join("\n");
    assert!(shown.contains("configuration is unchanged"), "{shown}");
    s.caps().console.take_lines();
    let shown = common::say(&mut s, "display config");
    assert!(shown.contains("│ MinCount     ┆ 1 "), "{shown}");
}

#[test]
fn a_plugin_refused_by_validation_changes_nothing() {
    let mut s = session(Limits::default());
    common::say(&mut s, "change min count to 2 and max count to 4");
    common::say(&mut s, "enable autoscaling");
    let before = s.caps().config.clone();
    let shown = common::say(&mut s, "change desired capacity to 5 and launch template name to test");
    assert!(shown.contains("DesiredCapacity (5) is above MaxSize (4)"), "{shown}");
    assert_eq!(s.caps().config, before);
    let shown = common::say(&mut s, "change desired capacity to 3 and launch template name to test");
    assert!(shown.contains("Auto Scaling configuration updated."), "{shown}");
    assert_eq!((s.caps().config.asg.desired_capacity, s.caps().config.asg.launch_template_name.as_str()), (3, "test"));
}

#[test]
fn arguments_that_do_not_fit_never_reach_the_plugin() {
    let mut s = session(Limits::default());
    let bad = Call { intent: "modify-ec2".into(), args: vec![("MinCount".into(), aws_agent::plugin::Value::Text("two".into()))] };
    let Turn::Failed { message, .. } = s.execute(bad) else { panic!("ill-typed call ran") };
    assert_eq!(message, "Not run: MinCount takes a whole number, not the text \"two\".");
    let unknown = s.execute(call("drop-database"));
    assert!(matches!(unknown, Turn::Failed { ref message, .. } if message == "No intent called \"drop-database\" is loaded."), "{unknown:?}");
}

#[test]
fn a_memory_bomb_is_stopped_by_the_memory_limit() {
    let mut s = session(Limits { memory_bytes: 8 << 20, ..Limits::default() });
    let Turn::Failed { message, .. } = timed(&mut s, "memory-bomb") else { panic!("the bomb finished?") };
    assert!(message.starts_with("the plugin was stopped: it tried to use ") && message.ends_with(" MiB of memory; the limit is 8 MiB"), "{message}");
    let shown = common::say(&mut s, "display config");
    assert!(shown.contains("Current configuration"), "{shown}");
}

#[test]
fn wasi_gives_a_plugin_no_files_environment_or_network() {
    let mut s = session(Limits::default());
    let Turn::Ran { .. } = timed(&mut s, "snoop") else { panic!("snoop failed to run") };
    let seen = s.caps().console.take_lines().join("\n");
    for line in ["file Err(NotFound)", "dir Err(NotFound)", "env 0", "args 0", "socket Err(PermissionDenied)", "lookup Err("] {
        assert!(seen.contains(line), "{line:?} not in:\n{seen}");
    }
}

#[test]
fn a_flood_of_output_is_cut_and_the_session_goes_on() {
    let mut s = session(Limits::default());
    let turn = timed(&mut s, "flood");
    assert!(matches!(turn, Turn::Ran { .. }), "{turn:?}");
    let lines = s.caps().console.take_lines();
    let bytes: usize = lines.iter().map(String::len).sum();
    assert!(bytes <= aws_agent::capability::console::OUTPUT_LIMIT + 1024, "{bytes} bytes got through");
    assert!(lines.iter().any(|l| l.starts_with("[output cut: a plugin may print at most 256 KiB per call]")));
    let shown = common::say(&mut s, "display config");
    assert!(shown.contains("Current configuration"), "{shown}");
}

#[test]
fn plugins_that_lie_in_their_spec_are_refused_at_load_and_the_rest_work() {
    let dropped_in = aws_agent::plugin::PluginDir { path: common::lying_plugins(), builtin: false };
    let started = std::time::Instant::now();
    let (mut s, messages) = common::start(vec![common::trusted(common::builtin_plugins()), dropped_in]);
    eprintln!("lying plugins: refused within a start-up of {:?}", started.elapsed());
    assert_eq!(messages.len(), 2, "{messages:?}");
    let deploy = common::builtin_plugins().join("deploy.wasm");
    let taken = format!("lying-name.wasm: intent name \"deploy\" is already taken by {}", deploy.display());
    assert!(messages.iter().any(|m| m.ends_with(&taken)), "{messages:?}");
    let unknown = "lying-type.wasm is not a usable intent component: intent lying-type: parameter \"verbose\" has type \"boolean\", which this host does not know (aws-agent:plugin@0.1.3 has parameter types int, float, text, text-list)";
    assert!(messages.iter().any(|m| m.ends_with(unknown)), "{messages:?}");
    assert_eq!(s.registry().plugins().len(), 14);
    assert_eq!(s.registry().get("deploy").map(|p| p.path.clone()), Some(deploy));
    assert_eq!(s.router().route("deploy it now").unwrap().to_string(), "deploy()", "the impostor's own example reaches the real deploy");
    let shown = common::say(&mut s, "change min count to 2 and max count to 3");
    assert!(shown.contains("EC2 configuration updated."), "{shown}");
}

#[test]
fn the_user_sees_why_a_lying_plugin_was_skipped_and_the_conversation_goes_on() {
    let home = tempfile::tempdir().unwrap();
    let out = common::agent_piped(home.path(), &["--plugins", "target/lying-plugins"], "display config\n");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("warning: plugin skipped: target/lying-plugins/lying-name.wasm: intent name \"deploy\" is already taken by"), "{stderr}");
    assert!(stderr.contains("warning: plugin skipped: target/lying-plugins/lying-type.wasm is not a usable intent component: intent lying-type: parameter \"verbose\" has type \"boolean\""), "{stderr}");
    assert!(stdout.contains("> display config\nCurrent configuration:"), "{stdout}");
}
