//! `make bench`: medians of the paths a user waits on. Plain timing loops (no criterion) so the
//! benchmark builds with nothing beyond the release profile the tests already compiled.
//!
//! Measures: start to first prompt (cold: empty caches; warm), routing per utterance with all
//! plugins loaded, one plugin call through the host (show-config), find-cheapest over the full
//! bundled catalog, and the seed prototype's query over the same catalog for comparison.
mod shared;

use aws_agent::catalog::Source;
use aws_agent::plugin::Value;
use aws_agent::router::eval::Case;
use aws_agent::router::offline::OfflineRouter;
use aws_agent::router::{Call, Router};
use shared::{median, repo};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median((0..runs).map(|_| {
        let start = Instant::now();
        std::hint::black_box(f());
        start.elapsed()
    }).collect())
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

    let cold = median((0..5).map(|_| {
        let _ = std::fs::remove_dir_all(&cache);
        start_to_first_prompt(&cache)
    }).collect());
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

    report("whole turn: route, check, find-cheapest, SQL (200 runs)", time(200, || {
        s.turn("cheapest box with 2 vCPUs and 8 GB");
        s.caps().console.take_lines()
    }));

    let show = Call { intent: "show-config".into(), args: vec![] };
    s.execute(show.clone()); // opens the catalog once
    report("plugin call through the host: show-config (200 runs)", time(200, || {
        s.execute(show.clone());
        s.caps().console.take_lines()
    }));

    let cheapest = Call { intent: "find-cheapest".into(), args: vec![("cpu".into(), Value::Int(2)), ("ram".into(), Value::Float(8.0))] };
    report("find-cheapest turn, full bundled catalog (200 runs)", time(200, || {
        s.execute(cheapest.clone());
        s.caps().console.take_lines()
    }));
    let catalog = s.caps().catalog.get().expect("catalog opens");
    let sql = "SELECT instance_type, price_per_hour FROM offers WHERE region = ?1 AND vcpus >= ?2 AND memory_gib >= ?3 ORDER BY price_per_hour, vcpus, memory_gib, gpus, instance_type LIMIT 5";
    let params = [rusqlite::types::Value::Text("us-east-1".into()), rusqlite::types::Value::Integer(2), rusqlite::types::Value::Real(8.0)];
    report("  its SQL alone, indexed multi-region table (1000 runs)", time(1000, || catalog.query(sql, &params).expect("query")));
    let seed = "SELECT instance_type, price_per_hour FROM offers WHERE region = 'us-east-1' AND vcpus >= ?1 AND memory_gib >= ?2 ORDER BY price_per_hour LIMIT 1";
    report("  the seed prototype's query, same catalog (1000 runs)", time(1000, || catalog.query(seed, &params[1..]).expect("query")));

    for entry in std::fs::read_dir(repo().join("target/plugins")).expect("built plugins") {
        let path = entry.expect("readable").path();
        let kib = std::fs::metadata(&path).map_or(0, |m| m.len()) / 1024;
        println!("plugin size {:<46} {kib:>9} KiB", path.file_name().unwrap_or_default().to_string_lossy());
    }
    let _ = std::fs::remove_dir_all(&cache);
}
