//! Capabilities are granted, not assumed: a dropped-in plugin gets console and catalog only.
//!
//! Also: `plugins grant`, built-ins carrying exactly the grants they import, unknown capability
//! names refused, and the `plugins test` harness reporting each case.
mod common;

use std::path::Path;
use std::process::Output;

/// The binary with `home`'s config file (`home/config.toml`).
fn agent(home: &Path, args: &[&str]) -> Output {
    common::agent(home).args(args).output().unwrap()
}

fn listed(out: &Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_dropped_in_plugin_needs_a_grant_for_more_than_console_and_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let out = agent(dir.path(), &["--plugins", "target/example-plugins", "plugins", "list", "--json"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("intent vcpu-quota uses the config capability, not granted"), "{err}");
    assert!(err.contains("run `aws-agent plugins grant vcpu-quota config`"), "{err}");
    assert!(!listed(&out).iter().any(|p| p["name"] == "vcpu-quota"), "loaded without its grant");

    let granted = agent(dir.path(), &["plugins", "grant", "vcpu-quota", "config"]);
    assert!(String::from_utf8_lossy(&granted.stdout).contains("Granted config to vcpu-quota"));
    let list = listed(&agent(dir.path(), &["--plugins", "target/example-plugins", "plugins", "list", "--json"]));
    let plugin = list.iter().find(|p| p["name"] == "vcpu-quota").expect("loads once granted");
    assert_eq!(plugin["grants"], serde_json::json!(["catalog", "config"]));
    assert_eq!(plugin["builtin"], false);
    assert_eq!(plugin["version"], "0.1.0");
    assert!(plugin["path"].as_str().unwrap().ends_with("vcpu-quota.wasm"));
}

#[test]
fn someone_elses_copy_of_deploy_cannot_reach_aws() {
    let dir = tempfile::tempdir().unwrap();
    let dropin = dir.path().join("plugins");
    std::fs::create_dir(&dropin).unwrap();
    std::fs::copy(common::builtin_plugins().join("deploy.wasm"), dropin.join("deploy.wasm")).unwrap();
    let out = agent(dir.path(), &["--plugins", dropin.to_str().unwrap(), "plugins", "list"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("intent deploy uses the config capability and the aws capability and the aws-read capability, not granted"), "{err}");
}

#[test]
fn built_ins_carry_exactly_the_grants_they_import() {
    let dir = tempfile::tempdir().unwrap();
    let list = listed(&agent(dir.path(), &["plugins", "list", "--json"]));
    let grants = |name: &str| list.iter().find(|p| p["name"] == name).map(|p| p["grants"].clone()).unwrap();
    assert_eq!(grants("out-of-scope"), serde_json::json!([]));
    assert_eq!(grants("show-config"), serde_json::json!(["config", "console"]));
    assert_eq!(grants("deploy"), serde_json::json!(["catalog", "config", "console", "aws", "aws-read"]));
    // Read-only: export changes nothing, status reads AWS and cannot act on it.
    assert_eq!(grants("export"), serde_json::json!(["config", "console"]));
    assert_eq!(grants("status"), serde_json::json!(["catalog", "console", "aws-read"]));
    assert!(list.iter().all(|p| p["limits"]["fuel"].as_u64() == Some(2_000_000_000)));
}

#[test]
fn unknown_capabilities_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let out = agent(dir.path(), &["plugins", "grant", "vcpu-quota", "root"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown capability \"root\"; known: catalog, config, config-write, console, aws, aws-read"));
    assert!(!config.exists(), "nothing written on a refused grant");
}

#[test]
fn the_plugin_harness_reports_each_case_and_fails_on_a_wrong_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases.toml");
    std::fs::write(
        &cases,
        "[[case]]\nname = \"right\"\nargs = { MinCount = 2, MaxCount = 3 }\nconfig = { MaxCount = 3 }\n\n\
         [[case]]\nname = \"wrong\"\nargs = { MaxCount = 3 }\nconfig = { MaxCount = 4 }\n\n\
         [[case]]\nname = \"no deploy from modify-ec2\"\nargs = { MaxCount = 2 }\naws = [\"deploy\"]\n",
    )
    .unwrap();
    let plugin = common::builtin_plugins().join("modify-ec2.wasm");
    let out = agent(dir.path(), &["plugins", "test", plugin.to_str().unwrap(), cases.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("PASS right"), "{stdout}");
    assert!(stdout.contains("FAIL wrong: config MaxCount: 3, expected 4"), "{stdout}");
    assert!(stdout.contains("FAIL no deploy from modify-ec2: AWS calls [], expected [\"deploy\"]"), "{stdout}");
    assert!(stdout.contains("modify-ec2: 1 passed, 2 failed"), "{stdout}");
}
