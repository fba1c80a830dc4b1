//! `make bench-hostile`: every hostile test plugin against the real host with the default limits
//! (2×10⁹ fuel units, 64 MiB), and for each one what the user is shown and how long the host
//! took to stop it, let it finish harmlessly, or refuse it at load (medians). The figures are
//! in BENCHMARKS.md; the tests assert the messages, never the times.
mod shared;

use aws_agent::catalog::Source;
use aws_agent::plugin::{Limits, Runtime};
use aws_agent::router::Call;
use shared::{median, repo};
use std::time::{Duration, Instant};

/// What the user saw, shortened: long lines cut, runs of the same line counted.
fn shown(lines: &[String]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut repeats = 0;
    let lines: Vec<&str> = lines.iter().flat_map(|l| l.lines()).collect();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 && *line == lines[i - 1] {
            repeats += 1;
            continue;
        }
        if repeats > 0 {
            out.push(format!("  (… the line above {repeats} more times)"));
            repeats = 0;
        }
        let short: String = line.chars().take(120).collect();
        let cut = if line.chars().count() > 120 { format!("… ({} characters)", line.chars().count()) } else { String::new() };
        out.push(format!("  {short}{cut}"));
    }
    if repeats > 0 {
        out.push(format!("  (… the line above {repeats} more times)"));
    }
    out.join("\n")
}

fn report(case: &str, runs: usize, took: Duration, what: &str) {
    println!("== {case}: median {:.3} ms over {runs} runs\n{what}\n", took.as_secs_f64() * 1e3);
}

fn main() {
    let cache = std::env::temp_dir().join(format!("aws-agent-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let mut s = shared::session(&cache, &["target/plugins", "target/test-plugins"], Source::Directory(repo().join("tests/fixtures/catalog")));
    println!(
        "machine: {} cores; limits per call: {} fuel units, {} MiB\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        s.limits().fuel,
        s.limits().memory_bytes >> 20
    );

    let calls = [
        ("endless loop (spin)", "spin-forever", 5),
        ("endless loop of slow catalog queries", "slow-queries", 3),
        ("memory bomb", "memory-bomb", 11),
        ("trap after a two-field config update", "trap-mid-update", 11),
        ("WASI snoop: file, directory, environment, socket, name lookup", "snoop", 11),
        ("10 MiB of output (flood)", "flood", 11),
    ];
    for (case, intent, runs) in calls {
        let before = s.caps().config.clone();
        let mut seen = None;
        let samples = (0..runs)
            .map(|_| {
                let start = Instant::now();
                s.execute(Call { intent: intent.into(), args: vec![] });
                let took = start.elapsed();
                let lines = s.caps().console.take_lines();
                seen.get_or_insert(lines);
                took
            })
            .collect();
        assert_eq!(s.caps().config, before, "{intent} changed the configuration");
        report(case, runs, median(samples), &shown(&seen.unwrap_or_default()));
    }

    // Lying specs are refused while loading. Warm: the compiled component is in the cache, as on
    // every start after the first; cold: compiled first, as on the first start.
    for (case, file) in
        [("lying spec: an intent name already taken (deploy)", "lying-name.wasm"), ("lying spec: a parameter of unknown type (boolean)", "lying-type.wasm")]
    {
        let path = repo().join("target/lying-plugins").join(file);
        let mut message = String::new();
        let warm = median(
            (0..11)
                .map(|_| {
                    let start = Instant::now();
                    let refused = s.load_plugin(&path).expect_err("a lying plugin is refused");
                    let took = start.elapsed();
                    message = format!("warning: plugin skipped: {refused}");
                    took
                })
                .collect(),
        );
        let cold = median(
            (0..5)
                .map(|i| {
                    let runtime = Runtime::new(Some(cache.join(format!("cold-{file}-{i}"))), Limits::default()).expect("runtime");
                    let start = Instant::now();
                    let _ = runtime.load(&path);
                    start.elapsed()
                })
                .collect(),
        );
        report(case, 11, warm, &format!("  {message}\n  (cold cache, compiling first: median {:.1} ms over 5 runs)", cold.as_secs_f64() * 1e3));
    }
    let _ = std::fs::remove_dir_all(&cache);
}
