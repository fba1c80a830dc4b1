//! Settings precedence: flag > environment > config file > default.
//!
//! Also: a mistake in the config file is one error that names the file, the line, the key and the
//! value expected; a bad value names where it was set (flag, variable or file line); and limits
//! from the file reach the sandbox.
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

/// stderr and the exit status of `aws-agent ARGS route hello` with `config` as the config file.
fn refused(config: Option<&str>, env: &[(&str, &str)], args: &[&str]) -> (String, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    if let Some(text) = config {
        std::fs::write(&path, text).unwrap();
    }
    let mut cmd = common::agent(dir.path());
    cmd.args(args).args(["route", "hello"]).envs(env.iter().copied());
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "one message per problem:\n{err}");
    (err, path)
}

#[test]
fn a_config_file_mistake_names_the_line_the_key_and_the_value_expected() {
    let (err, path) = refused(Some("region = \"eu-west-1\"\nlog_seconds = \"ten\"\n"), &[], &[]);
    assert_eq!(err.trim(), format!("error: {} line 2: `log_seconds` must be a whole number of seconds, not \"ten\"", path.display()));
    let (err, _) = refused(Some("log_secnds = 5\n"), &[], &[]);
    assert!(err.contains("config.toml line 1: there is no key `log_secnds`; did you mean `log_seconds`?"), "{err}");
}

#[test]
fn a_bad_value_is_reported_where_it_was_set() {
    let file = Some("\nregion = \"Tokio\"\n");
    let (err, path) = refused(file, &[], &[]);
    assert!(err.starts_with(&format!("error: {} line 2: region = \"Tokio\" is not an AWS region; use a code or a place: ", path.display())), "{err}");
    assert!(!err.contains("--region"), "{err}");
    let (err, _) = refused(file, &[("AWS_AGENT_REGION", "Mars")], &[]);
    assert!(err.starts_with("error: AWS_AGENT_REGION=\"Mars\" is not an AWS region"), "{err}");
    let (err, _) = refused(file, &[("AWS_AGENT_REGION", "Mars")], &["--region", "Venus"]);
    assert!(err.starts_with("error: --region \"Venus\" is not an AWS region"), "{err}");
    let (err, _) = refused(Some("llm_timeout = -1\n"), &[], &[]);
    assert!(err.contains("config.toml line 1: llm_timeout = -1 must be a number of seconds above 0"), "{err}");
}

#[test]
fn a_missing_catalog_says_the_os_error_once() {
    let (err, path) = refused(Some("catalog = \"/no/such/catalog\"\n"), &[], &[]);
    assert_eq!(err.trim(), format!("error: {} line 1: catalog = \"/no/such/catalog\": cannot read it: No such file or directory (os error 2)", path.display()));
    let (err, _) = refused(None, &[], &["--catalog", "/no/such/catalog"]);
    assert_eq!(err.trim(), "error: --catalog \"/no/such/catalog\": cannot read it: No such file or directory (os error 2)");
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
