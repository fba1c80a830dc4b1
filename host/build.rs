//! Link settings for the `aws-agent` binary.
//!
//! On GNU/Linux the relative relocations are packed (`-z pack-relative-relocs`, DT_RELR): the
//! dynamic loader then reads some 30 KiB at start instead of 2.6 MB of RELA entries (108,000
//! pointers into vtables and static tables, in a binary that embeds wasmtime, the AWS SDK, rmcp
//! and axum), which were an eighth of the memory resident at the first prompt (BENCHMARKS.md,
//! "Resident memory"). GNU ld (2.38 and later) packs only when the C library can load packed
//! relocations (glibc 2.36 and later), so the binary runs wherever it was linked; older linkers
//! ignore the option with a warning.
fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.ends_with("-linux-gnu") {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
