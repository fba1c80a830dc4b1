//! Settings precedence: flag > environment > config file > default.
//!
//! Also: a typo in the config file is an error that names it, and limits from the file reach the
//! sandbox.
mod common;

/// The region `catalog cheapest` answered in, given a config file, an environment and flags.
fn answered_region(file: Option<&str>, env: Option<&str>, flags: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    if let Some(text) = file {
        std::fs::write(&config, text).unwrap();
    }
    let mut cmd = common::agent(dir.path());
    cmd.args(["--catalog", "tests/fixtures/catalog"]).args(flags).args(["catalog", "cheapest", "--ram", "1", "--json"]);
    if let Some(region) = env {
        cmd.env("AWS_AGENT_REGION", region);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["region"].as_str().unwrap().to_string()
}

#[test]
fn flag_beats_environment_beats_file_beats_default() {
    let file = Some("region = \"eu-west-1\"\n");
    assert_eq!(answered_region(None, None, &[]), "us-east-1");
    assert_eq!(answered_region(file, None, &[]), "eu-west-1");
    assert_eq!(answered_region(file, Some("ap-south-1"), &[]), "ap-south-1");
    assert_eq!(answered_region(file, Some("ap-south-1"), &["--region", "us-east-1"]), "us-east-1");
}

#[test]
fn a_config_file_with_a_typo_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "log_secnds = 5\n").unwrap();
    let out = common::agent(dir.path()).args(["route", "hello"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml: unknown field `log_secnds`"), "{err}");
}

#[test]
fn limits_from_the_file_reach_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    // So little fuel that even describing a plugin runs out: every plugin is skipped, by name.
    std::fs::write(&config, "fuel = 1000\n").unwrap();
    let out = common::agent(dir.path()).args(["route", "hello"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ran out of its instruction budget (1000 units)"), "{err}");
    assert!(err.contains("no intent plugins loaded"), "{err}");
}
