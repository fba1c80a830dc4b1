//! `aws-agent mcp` judged by a client no one here wrote: the official MCP Python SDK, driven by
//! `tests/mcp/client.py` (each scenario asserts what the client sees and exits non-zero on the
//! first miss). Over stdio: the tool list with schemas and annotations, calls, tool errors
//! against protocol errors, converse, the session file and `--resume`; deploys refused without
//! `--allow-deploy` and, with it, checked with boto3 on a real moto server; real AWS asking the
//! client through elicitation. Over streamable HTTP on a loopback port: tools, calls and one
//! configuration per session.
mod common;

use aws_agent::aws::Simulator;
use std::process::Command;

fn python() -> std::path::PathBuf {
    let path = common::repo().join(".venv/bin/python");
    assert!(path.is_file(), "{} is missing: `make test` makes the venv with the MCP SDK", path.display());
    path
}

/// Runs one scenario of `tests/mcp/client.py` and fails with its output if it fails.
fn scenario(name: &str, extra: &[&str]) {
    let home = tempfile::tempdir().expect("a temp dir");
    let binary = common::binary();
    let plugins = common::builtin_plugins();
    let out = Command::new(python())
        .arg(common::repo().join("tests/mcp/client.py"))
        .args([name, "--binary", binary.to_str().expect("a UTF-8 path"), "--home", home.path().to_str().expect("a UTF-8 path")])
        .args(["--plugins", plugins.to_str().expect("a UTF-8 path")])
        .args(extra)
        .env("AWS_AGENT_CACHE_DIR", common::cache_dir())
        .env_remove("AWS_AGENT_REGION")
        .env_remove("AWS_ENDPOINT_URL")
        .current_dir(common::repo())
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "scenario {name} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.lines().filter(|l| l.starts_with("ok: ")).count() >= 3, "scenario {name} checked too little:\n{stdout}");
}

#[test]
fn stdio_lists_every_intent_and_runs_calls_like_the_repl() {
    scenario("tools-and-calls", &[]);
}

#[test]
fn streamable_http_serves_a_configuration_per_session() {
    scenario("http", &[]);
}

#[test]
fn deploys_only_with_allow_deploy_and_boto3_sees_them() {
    let moto_server = common::repo().join(".venv/bin/moto_server");
    let moto = Simulator::start(&moto_server).expect("moto starts");
    scenario("deploy", &["--moto", &moto.url]);
}

#[test]
fn real_aws_asks_the_client_to_confirm_and_refuses_without_it() {
    scenario("real-aws", &[]);
}
