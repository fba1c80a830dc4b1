//! `make bench`: medians of the paths a user waits on. Plain timing loops (no criterion) so the
//! benchmark builds with nothing beyond the release profile the tests already compiled.
//!
//! Measures: start to first prompt (cold: empty caches; warm), routing per utterance with all
//! plugins loaded, one plugin call through the host (show-config), find-cheapest over the full
//! bundled catalog, and the seed prototype's query over the same catalog for comparison; for the
//! model backends, the host's own time per turn against a loopback server that answers at once,
//! and the request size with 7, 8 and 50 intents loaded.
mod shared;

use aws_agent::catalog::Source;
use aws_agent::evaluation::utterances::Case;
use aws_agent::llm::{Backend, Reflect};
use aws_agent::plugin::Value;
use aws_agent::plugin::spec::IntentSpec;
use aws_agent::router::llm::LlmRouter;
use aws_agent::router::offline::OfflineRouter;
use aws_agent::router::{Call, Router};
use shared::{median, repo};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn report(what: &str, d: Duration) {
    println!("{what:<58} {:>12.3} ms", d.as_secs_f64() * 1e3);
}

/// Runs the REPL on empty piped input: it loads everything, prints the first prompt, exits.
fn start_to_first_prompt(cache: &Path) -> Duration {
    let start = Instant::now();
    let status = Command::new(repo().join("target/release/aws-agent"))
        .env("AWS_AGENT_CACHE_DIR", cache)
        .env("AWS_AGENT_STATE_DIR", cache.join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("target/release/aws-agent runs (make build)");
    assert!(status.success());
    start.elapsed()
}

/// The largest resident set of any child this process waited for, in KiB (Linux reports KiB).
fn max_child_rss_kib() -> i64 {
    // SAFETY: getrusage writes into the zeroed struct we pass and reads nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss
}

fn main() {
    let cache = std::env::temp_dir().join(format!("aws-agent-bench-{}", std::process::id()));
    println!("machine: {} cores, {}", std::thread::available_parallelism().map_or(0, |n| n.get()), std::env::consts::ARCH);
    println!("{:<58} {:>15}", "median of", "time");

    let cold = median(
        (0..5)
            .map(|_| {
                let _ = std::fs::remove_dir_all(&cache);
                start_to_first_prompt(&cache)
            })
            .collect(),
    );
    report("start to first prompt, cold cache (5 runs)", cold);
    report("start to first prompt, warm cache (11 runs)", median((0..11).map(|_| start_to_first_prompt(&cache)).collect()));
    println!("{:<58} {:>12.1} MiB", "peak resident memory, largest of the cold and warm runs", max_child_rss_kib() as f64 / 1024.0);

    let mut s = shared::session(&cache, &["target/plugins"], Source::Bundled);
    let router = OfflineRouter::new(s.registry().specs());
    let text = std::fs::read_to_string(repo().join("tests/eval/utterances.jsonl")).expect("eval set");
    let cases = Case::parse_all(&text).expect("eval set parses");
    let per_utterance: Vec<Duration> = cases
        .iter()
        .map(|c| {
            let start = Instant::now();
            for _ in 0..20 {
                std::hint::black_box(router.route(&c.text).expect("offline routing"));
            }
            start.elapsed() / 20
        })
        .collect();
    report(&format!("route one utterance, offline ({} utterances x 20)", cases.len()), median(per_utterance));

    report(
        "whole turn: route, check, find-cheapest, SQL (200 runs)",
        time(200, || {
            s.turn("cheapest box with 2 vCPUs and 8 GB");
            s.caps().console.take_lines()
        }),
    );

    let show = Call { intent: "show-config".into(), args: vec![] };
    s.execute(show.clone()); // opens the catalog once
    report(
        "plugin call through the host: show-config (200 runs)",
        time(200, || {
            s.execute(show.clone());
            s.caps().console.take_lines()
        }),
    );

    let cheapest = Call { intent: "find-cheapest".into(), args: vec![("cpu".into(), Value::Int(2)), ("ram".into(), Value::Float(8.0))] };
    report(
        "find-cheapest turn, full bundled catalog (200 runs)",
        time(200, || {
            s.execute(cheapest.clone());
            s.caps().console.take_lines()
        }),
    );
    let catalog = s.caps().catalog.get().expect("catalog opens");
    let sql = "SELECT instance_type, price_per_hour FROM offers WHERE region = ?1 AND vcpus >= ?2 AND memory_gib >= ?3 ORDER BY price_per_hour, vcpus, memory_gib, gpus, instance_type LIMIT 5";
    let params = [rusqlite::types::Value::Text("us-east-1".into()), rusqlite::types::Value::Integer(2), rusqlite::types::Value::Real(8.0)];
    report("  its SQL alone, indexed multi-region table (1000 runs)", time(1000, || catalog.query(sql, &params).expect("query")));
    let seed =
        "SELECT instance_type, price_per_hour FROM offers WHERE region = 'us-east-1' AND vcpus >= ?1 AND memory_gib >= ?2 ORDER BY price_per_hour LIMIT 1";
    report("  the seed prototype's query, same catalog (1000 runs)", time(1000, || catalog.query(seed, &params[1..]).expect("query")));

    let specs: Vec<IntentSpec> = s.registry().specs().cloned().collect();
    model_backends(&specs, &cases);

    for entry in std::fs::read_dir(repo().join("target/plugins")).expect("built plugins") {
        let path = entry.expect("readable").path();
        let kib = std::fs::metadata(&path).map_or(0, |m| m.len()) / 1024;
        println!("plugin size {:<46} {kib:>9} KiB", path.file_name().unwrap_or_default().to_string_lossy());
    }
    let _ = std::fs::remove_dir_all(&cache);
}

/// A model server on loopback that answers every request at once in the protocol it was asked
/// in, and keeps each request body's size.
fn instant_model_server() -> (String, Arc<Mutex<Vec<usize>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://127.0.0.1:{}", server.server_addr().to_ip().expect("an IP address").port());
    let sizes = Arc::new(Mutex::new(vec![]));
    let seen = sizes.clone();
    std::thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            seen.lock().expect("not poisoned").push(body.len());
            let reply = if body.contains("\"inputs\"") {
                r#"{"generated_text": "Call: show_config()"}"#
            } else {
                r#"{"choices": [{"message": {"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "show_config", "arguments": "{}"}}]}}]}"#
            };
            let _ = request.respond(tiny_http::Response::from_string(reply));
        }
    });
    (url, sizes)
}

fn model_router(specs: &[IntentSpec], backend: Backend, url: &str, reflect: Reflect) -> LlmRouter {
    let url = match backend {
        Backend::Raven => format!("{url}/generate"),
        _ => format!("{url}/v1"),
    };
    let settings = aws_agent::llm::Settings { backend, url: Some(url), model: Some("bench".into()), reflect, ..aws_agent::llm::Settings::offline() };
    LlmRouter::new(
        specs,
        aws_agent::router::offline::OfflineRouter::new(specs),
        aws_agent::llm::connect(&settings).expect("settings are complete"),
        reflect,
        aws_agent::llm::AskModel::Always,
    )
}

/// `n` intents: the built-ins, then made-up ones shaped like them, so the shortlist has to choose.
fn intents(builtin: &[IntentSpec], n: usize) -> Vec<IntentSpec> {
    let mut specs: Vec<IntentSpec> = builtin.iter().take(n).cloned().collect();
    let mut i = 0;
    while specs.len() < n {
        let mut extra = builtin[i % builtin.len()].clone();
        extra.name = format!("extra-{i}");
        extra.docstring = format!("Manage the fleet's gadget number {i}: {}", extra.docstring);
        for e in &mut extra.examples {
            e.utterance = format!("gadget {i}: {}", e.utterance);
        }
        specs.push(extra);
        i += 1;
    }
    specs
}

fn model_backends(builtin: &[IntentSpec], cases: &[Case]) {
    let (url, sizes) = instant_model_server();
    for backend in [Backend::Raven, Backend::Openai] {
        let router = model_router(builtin, backend, &url, Reflect::Always);
        router.route("warm up").expect("the server answers");
        let per_turn: Vec<Duration> = cases
            .iter()
            .map(|c| {
                let start = Instant::now();
                std::hint::black_box(router.route(&c.text).expect("the server answers"));
                start.elapsed()
            })
            .collect();
        report(&format!("route one utterance, {backend:?}, 2 passes, instant server ({})", cases.len()), median(per_turn));
    }
    // Request sizes of the first pass, over the whole eval set.
    let without_teardown: Vec<IntentSpec> = builtin.iter().filter(|s| s.name != "teardown").cloned().collect();
    for (label, specs) in [("7", without_teardown), ("8 (built-in)", builtin.to_vec()), ("50", intents(builtin, 50))] {
        for backend in [Backend::Raven, Backend::Openai] {
            let router = model_router(&specs, backend, &url, Reflect::Never);
            sizes.lock().expect("not poisoned").clear();
            for c in cases {
                router.route(&c.text).expect("the server answers");
            }
            let mut bytes = sizes.lock().expect("not poisoned").clone();
            bytes.sort();
            println!("{:<58} {:>9} B (max {})", format!("request bytes, {backend:?}, {label} intents, median"), bytes[bytes.len() / 2], bytes[bytes.len() - 1]);
        }
    }
    // What the shortlist saves: the raven prompt if all 50 intents were offered.
    let fifty = intents(builtin, 50);
    let prompt = aws_agent::llm::prompt::Prompt { query: "change min count to 2", intents: fifty.iter().collect(), history: &[], state: "" };
    let all = aws_agent::llm::prompt::Templates::new(None).render("raven-first.jinja", &prompt, minijinja::context! {}).expect("built-in template renders");
    println!("{:<58} {:>9} B", "raven prompt with all 50 intents offered (no shortlist)", all.len());
}
