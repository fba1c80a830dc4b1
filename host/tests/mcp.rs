//! `aws-agent mcp` judged by a client no one here wrote: the official MCP Python SDK, driven by
//! `tests/mcp/client.py` (each scenario asserts what the client sees and exits non-zero on the
//! first miss). Over stdio: the tool list with schemas and annotations, calls, tool errors
//! against protocol errors, converse, the session file and `--resume`; deploys refused without
//! `--allow-deploy` and, with it, checked with boto3 on a real moto server; real AWS asking the
//! client through elicitation. Over streamable HTTP on a loopback port: tools, calls and one
//! configuration per session; with the SDK, sessions capped and ended when idle, and a DELETE
//! the SDK takes as done.
//!
//! Raw JSON-RPC, over stdio and over HTTP (reqwest), for what no SDK sends: cut-off messages,
//! `1e309`, lone surrogates, invalid UTF-8, wrong shapes and bad params each get their JSON-RPC
//! error and the server goes on serving; a browser `Origin` that is not allowed gets 403.
mod common;

use aws_agent::aws::Simulator;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::time::Duration;

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
    let moto = Simulator::start(&common::repo().join(".venv/bin/moto_server")).expect("moto starts");
    scenario("real-aws", &["--moto", &moto.url]);
}

#[test]
fn http_sessions_are_capped_ended_when_idle_and_deleted_as_the_sdk_expects() {
    scenario("http-sessions", &[]);
}

/// Longest wait for one answer: a server that never answers fails here instead of hanging.
const ANSWER_WITHIN: Duration = Duration::from_secs(60);

/// `aws-agent mcp` over stdio, spoken to line by line.
struct RawStdio {
    child: Child,
    answers: mpsc::Receiver<String>,
}

impl RawStdio {
    fn start(home: &std::path::Path) -> RawStdio {
        let mut child = common::agent(home).args(["--plugins", common::builtin_plugins().to_str().unwrap(), "mcp"]).spawn().expect("the server starts");
        let stdout = child.stdout.take().expect("piped");
        let (sender, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        let mut raw = RawStdio { child, answers };
        let init = raw.ask(br#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#);
        assert_eq!(init["result"]["serverInfo"]["name"], "aws-agent", "{init}");
        raw.send(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
        raw
    }

    fn send(&mut self, line: &[u8]) {
        let stdin = self.child.stdin.as_mut().expect("piped");
        stdin.write_all(line).and_then(|()| stdin.write_all(b"\n")).and_then(|()| stdin.flush()).expect("the server reads");
    }

    /// Sends `line` and returns the one answer it gets.
    fn ask(&mut self, line: &[u8]) -> Value {
        self.send(line);
        let answer = self.answers.recv_timeout(ANSWER_WITHIN).unwrap_or_else(|_| panic!("no answer to {}", String::from_utf8_lossy(line)));
        serde_json::from_str(&answer).unwrap_or_else(|e| panic!("{e}: {answer}"))
    }
}

impl Drop for RawStdio {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The cases no SDK sends, each with the code, id and words of the answer it must get.
fn hostile_messages() -> Vec<(Vec<u8>, i64, Value, &'static str)> {
    let call = |params: &str| format!(r#"{{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{params}}}"#).into_bytes();
    vec![
        (br#"{"jsonrpc":"2.0","id":1,"method":"tools/li"#.to_vec(), -32700, Value::Null, "not JSON"),
        (call(r#"{"name":"find-cheapest","arguments":{"ram":1e309}}"#), -32700, Value::Null, "number out of range"),
        (call(r#"{"name":"find-cheapest","arguments":{"region":"\ud800x"}}"#), -32700, Value::Null, "not JSON"),
        (b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\xff\"}".to_vec(), -32700, Value::Null, "not UTF-8"),
        (br#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#.to_vec(), -32600, Value::Null, "batches"),
        (br#"{"jsonrpc":"1.0","id":2,"method":"ping"}"#.to_vec(), -32600, json!(2), "`jsonrpc` must be \"2.0\""),
        (br#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#.to_vec(), -32600, Value::Null, "`id` must be a string or a whole number"),
        (call(r#"{"name":"show-config","arguments":[1,2]}"#), -32602, json!(9), "`arguments` must be an object"),
        (call(r#"{"name":"show-config","arguments":"MinCount=2"}"#), -32602, json!(9), "`arguments` must be an object"),
        (call(r#"{"arguments":{"MinCount":2}}"#), -32602, json!(9), "needs `name`"),
    ]
}

#[test]
fn raw_stdio_answers_every_bad_message_and_keeps_serving() {
    let home = tempfile::tempdir().unwrap();
    let mut server = RawStdio::start(home.path());
    for (line, code, id, says) in hostile_messages() {
        let answer = server.ask(&line);
        let shown = String::from_utf8_lossy(&line);
        assert_eq!((answer["error"]["code"].as_i64(), &answer["id"]), (Some(code), &id), "{shown} got {answer}");
        assert!(answer["error"]["message"].as_str().unwrap_or("").contains(says), "{shown} got {answer}");
    }
    // Still serving, in order, after all that.
    let answer = server.ask(br#"{"jsonrpc":"2.0","id":"last","method":"tools/call","params":{"name":"show-config","arguments":{}}}"#);
    assert_eq!(answer["id"], "last");
    assert!(answer["result"]["content"][0]["text"].as_str().unwrap_or("").contains("InstanceType"), "{answer}");
    // A message cut off by the end of the input is still answered.
    let stdin = server.child.stdin.as_mut().unwrap();
    stdin.write_all(br#"{"jsonrpc":"2.0","id":3,"#).unwrap();
    drop(server.child.stdin.take());
    let answer: Value = serde_json::from_str(&server.answers.recv_timeout(ANSWER_WITHIN).expect("an answer to the cut-off message")).unwrap();
    assert_eq!((answer["error"]["code"].as_i64(), &answer["id"]), (Some(-32700), &Value::Null), "{answer}");
}

/// `aws-agent mcp --http 127.0.0.1:0` and its URL.
struct RawHttp {
    child: Child,
    url: String,
}

impl RawHttp {
    fn start(home: &std::path::Path, flags: &[&str]) -> RawHttp {
        let plugins = common::builtin_plugins();
        let mut child = common::agent(home)
            .args(["--plugins", plugins.to_str().unwrap(), "mcp", "--http", "127.0.0.1:0"])
            .args(flags)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut stderr = BufReader::new(child.stderr.take().expect("piped"));
        let mut line = String::new();
        while !line.contains("MCP server: ") {
            line.clear();
            assert!(stderr.read_line(&mut line).expect("stderr") > 0, "the server ended before listening");
        }
        let url = line.split("MCP server: ").nth(1).unwrap().trim().to_string();
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        RawHttp { child, url }
    }

    fn post(&self, body: &[u8], headers: &[(&str, &str)]) -> (u16, String) {
        let client = reqwest::blocking::Client::builder().timeout(ANSWER_WITHIN).build().unwrap();
        let mut request =
            client.post(&self.url).header("content-type", "application/json").header("accept", "application/json, text/event-stream").body(body.to_vec());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().expect("the server answers");
        let status = response.status().as_u16();
        (status, response.text().unwrap_or_default())
    }
}

impl Drop for RawHttp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn raw_http_answers_bad_bodies_with_400_and_validates_origin() {
    let home = tempfile::tempdir().unwrap();
    let server = RawHttp::start(home.path(), &["--allow-origin", "https://app.example.com"]);
    for (body, code, id, says) in hostile_messages() {
        let (status, text) = server.post(&body, &[]);
        let shown = String::from_utf8_lossy(&body);
        let answer: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{shown}: {e}: {status} {text}"));
        let want_status = if code == -32602 { 200 } else { 400 };
        assert_eq!((status, answer["error"]["code"].as_i64(), &answer["id"]), (want_status, Some(code), &id), "{shown} got {text}");
        assert!(answer["error"]["message"].as_str().unwrap_or("").contains(says), "{shown} got {text}");
    }
    let initialize = br#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#;
    // A page elsewhere may not call this server, whatever it sends; this machine's pages and the
    // allowed origin may.
    for origin in ["http://evil.example", "http://localhost.evil.example:80", "null"] {
        assert_eq!(server.post(initialize, &[("origin", origin)]).0, 403, "{origin}");
        assert_eq!(server.post(b"not json", &[("origin", origin)]).0, 403, "{origin}");
    }
    for origin in ["http://localhost:5173", "http://127.0.0.1:8080", "https://app.example.com"] {
        let (status, text) = server.post(initialize, &[("origin", origin)]);
        assert_eq!(status, 200, "{origin}: {text}");
        assert!(text.contains("aws-agent"), "{origin}: {text}");
    }
    assert_eq!(server.post(b"", &[]).0, 400);
}
