//! The WIT contract grows without breaking plugins built against an earlier compatible release:
//! `old-contract` is built with wit-bindgen over the frozen copy of 0.1.0 (tests/wit/0.1.0).
//!
//! It loads, routes and runs its calls.
mod common;

use aws_agent::plugin::CONTRACT;
use aws_agent::plugin::Value;
use aws_agent::router::Call;

#[test]
fn a_plugin_built_against_contract_0_1_0_loads_routes_and_runs() {
    let mut s = common::session_with(
        vec![common::builtin_plugins(), common::test_plugins()],
        aws_agent::catalog::Source::Directory(common::fixtures().join("catalog")),
        Default::default(),
    );
    let old = s.registry().get("old-contract").expect("the 0.1.0 plugin loads");
    assert_eq!(old.contract.as_deref(), Some("0.1.0"));
    assert_eq!(s.registry().get("show-config").and_then(|p| p.contract.as_deref()), Some(CONTRACT), "built-ins use the current contract");
    assert_ne!(CONTRACT, "0.1.0", "the contract has grown since the frozen copy");

    let routed = s.router().route("greet me the old fashioned way 2 times").unwrap();
    assert_eq!(routed.plan, [Call { intent: "old-contract".into(), args: vec![("times".into(), Value::Int(2))] }]);
    // console.print, config.get and catalog.query, each through a 0.1.0 import.
    let shown = common::say(&mut s, "greet me the old fashioned way 2 times");
    assert_eq!(shown, "hello from contract 0.1.0\nhello from contract 0.1.0\nt2.micro in us-east-1; 15 catalog types have 2 or more vCPUs.");
    // Its spec check is the host's: a wrong type never reaches it.
    let bad = Call { intent: "old-contract".into(), args: vec![("times".into(), Value::Text("twice".into()))] };
    assert!(matches!(s.execute(bad), aws_agent::session::Turn::Failed { message, .. } if message.contains("times takes a whole number")));
}
