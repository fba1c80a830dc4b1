//! `aws-agent plugins new` makes a crate that builds for wasm32-wasip2 with cargo alone, passes
//! its own unit tests and case file, and is routed to from its own examples when dropped in.
//!
//! `plugins new` into a temporary folder, then `cargo build --release --target wasm32-wasip2` and
//! `cargo test --release` on it (with `target/scaffold` as the shared target folder and the
//! workspace's `Cargo.lock`), `plugins test` with its `cases.toml`, and `route` to it as a
//! dropped-in plugin.
mod common;

use std::path::Path;
use std::process::{Command, Output};

/// Cargo on the scaffolded crate, with a target folder shared between runs so that only the
/// first run compiles the SDK's dependencies.
fn cargo(dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", common::repo().join("target/scaffold"))
        // Make's jobserver belongs to the outer build.
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .env_remove("CARGO_MAKEFLAGS")
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    out
}

#[test]
fn a_new_plugin_builds_tests_and_routes() {
    let home = tempfile::tempdir().unwrap();
    let crate_dir = home.path().join("count-types");
    let dir = crate_dir.to_str().unwrap();
    let made = common::agent(home.path()).args(["plugins", "new", "count-types", "--dir", dir]).output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(String::from_utf8_lossy(&made.stdout).contains("Created the count-types plugin in"));
    let again = common::agent(home.path()).args(["plugins", "new", "count-types", "--dir", dir]).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists; choose another NAME"));

    // The versions the workspace already tested and fetched, rather than a fresh resolution.
    std::fs::copy(common::repo().join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    cargo(&crate_dir, &["build", "--release", "--target", "wasm32-wasip2"]);
    let unit = cargo(&crate_dir, &["test", "--release"]);
    assert!(String::from_utf8_lossy(&unit.stdout).contains("test result: ok. 3 passed"), "{}", String::from_utf8_lossy(&unit.stdout));

    let wasm = common::repo().join("target/scaffold/wasm32-wasip2/release/plugin_count_types.wasm");
    let cases = crate_dir.join("cases.toml");
    let tested = common::agent(home.path()).args(["plugins", "test", wasm.to_str().unwrap(), cases.to_str().unwrap()]).output().unwrap();
    let report = String::from_utf8_lossy(&tested.stdout);
    assert!(tested.status.success() && report.contains("3 passed, 0 failed"), "{report}");

    let plugins = home.path().join("plugins");
    std::fs::create_dir(&plugins).unwrap();
    std::fs::copy(&wasm, plugins.join("count-types.wasm")).unwrap();
    let routed = common::agent(home.path())
        .args(["--plugins", plugins.to_str().unwrap(), "route", "--json", "count types that have 64 cores or more"])
        .output()
        .unwrap();
    assert!(routed.stderr.is_empty(), "a dropped-in scaffold needs no grant: {}", String::from_utf8_lossy(&routed.stderr));
    let call: serde_json::Value = serde_json::from_slice(&routed.stdout).unwrap();
    assert_eq!(call, serde_json::json!({ "intent": "count-types", "args": { "vcpus": 64 } }));
}
