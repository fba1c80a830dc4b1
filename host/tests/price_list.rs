//! `catalog refresh --from-price-list` against a loopback HTTP server serving small files in AWS's
//! bulk price list format (tests/fixtures/price_list, described in tests/fixtures/README.md).
//!
//! A good set builds a working catalog, with every operating system's on-demand price and the
//! Standard Reserved terms (shown with their break-even month); a 404, a file cut short and a
//! file in another shape are clear errors that leave the target directory as it was.
mod common;

use std::path::Path;

/// Serves `tests/fixtures/price_list/<set>/<path>` at `/<set>/<path>` until the test ends; the
/// address to give as `--url` for a set is `http://127.0.0.1:PORT/<set>`.
fn serve() -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    std::thread::spawn(move || {
        let root = common::fixtures().join("price_list");
        for request in server.incoming_requests() {
            let path = root.join(request.url().trim_start_matches('/'));
            let _ = match std::fs::read(&path) {
                Ok(body) if path.starts_with(&root) => request.respond(tiny_http::Response::from_data(body)),
                _ => request.respond(tiny_http::Response::empty(404)),
            };
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn agent(args: &[&str]) -> std::process::Output {
    common::agent(tempfile::tempdir().unwrap().path()).args(args).output().unwrap()
}

fn refresh(url: &str, out: &Path, regions: &[&str]) -> std::process::Output {
    let mut args = vec!["catalog", "refresh", "--from-price-list", "--url", url, "--out", out.to_str().unwrap()];
    regions.iter().for_each(|r| args.extend(["--region", r]));
    agent(&args)
}

#[test]
fn the_price_list_builds_a_working_catalog() {
    let base = serve();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("catalog");
    let run = refresh(&format!("{base}/good"), &out, &[]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("1 priced type the catalog does not describe was left out"), "zz9.huge: {err}");
    let prices = std::fs::read_to_string(out.join("prices.csv")).unwrap();
    // On-demand, Linux, shared, no software, used capacity only: the Reserved, Windows, Dedicated,
    // SQL Web and capacity-reservation rows of t3.medium are all dropped.
    assert_eq!(
        prices.lines().collect::<Vec<_>>(),
        [
            "instance_type,region,price_per_hour",
            "g4dn.xlarge,us-east-1,0.526",
            "m5.large,eu-west-1,0.107",
            "m5.large,us-east-1,0.096",
            "t3.medium,eu-west-1,0.0456",
            "t3.medium,us-east-1,0.0416"
        ]
    );
    let catalog = out.to_str().unwrap();
    let best = agent(&["--catalog", catalog, "catalog", "cheapest", "--cpu", "2", "--ram", "4", "--arch", "x86_64", "--json"]);
    let best: serde_json::Value = serde_json::from_slice(&best.stdout).unwrap();
    assert_eq!(best["instance_type"], "t3.medium", "the gap in the bundled data is filled: {best}");
    assert_eq!((best["prices_as_of"].as_str(), best["price_source"].as_str()), (Some("2025-11-20"), Some("AWS Price List, AmazonEC2 20251120180551")));
    let show = String::from_utf8(agent(&["--catalog", catalog, "catalog", "show", "g4dn.xlarge"]).stdout).unwrap();
    assert!(show.contains("NVIDIA T4") && show.contains("us-east-1\t$0.5260/hour"), "facts come from the current catalog: {show}");
    // The other operating systems, license included (BYOL, Ubuntu Pro and SQL Web left out).
    let os_prices = std::fs::read_to_string(out.join("os_prices.csv")).unwrap();
    assert_eq!(
        os_prices.lines().collect::<Vec<_>>(),
        [
            "instance_type,region,operating_system,price_per_hour",
            "m5.large,us-east-1,SUSE,0.152",
            "m5.large,us-east-1,Windows,0.188",
            "t3.medium,us-east-1,RHEL,0.0704",
            "t3.medium,us-east-1,Windows,0.06"
        ]
    );
    // Standard terms only (the convertible one is left out); a fee row and an hourly row make one.
    let reserved = std::fs::read_to_string(out.join("reserved_prices.csv")).unwrap();
    assert_eq!(
        reserved.lines().collect::<Vec<_>>(),
        [
            "instance_type,region,operating_system,lease_years,purchase_option,upfront_usd,hourly_usd",
            "m5.large,us-east-1,Linux,1,All Upfront,495,0",
            "m5.large,us-east-1,Linux,1,No Upfront,0,0.06",
            "m5.large,us-east-1,Linux,1,Partial Upfront,252,0.0287",
            "m5.large,us-east-1,Linux,3,All Upfront,1010,0",
            "m5.large,us-east-1,Linux,3,No Upfront,0,0.041",
            "m5.large,us-east-1,Linux,3,Partial Upfront,537,0.0204",
            "m5.large,us-east-1,Windows,1,No Upfront,0,0.152",
            "t3.medium,us-east-1,Linux,1,No Upfront,0,0.026"
        ]
    );
    let show = String::from_utf8(agent(&["--catalog", catalog, "catalog", "show", "m5.large"]).stdout).unwrap();
    let month = aws_agent_sdk::offers::break_even(252.0, 0.0287, 0.096, 1).describe();
    assert!(show.contains(&format!("us-east-1\tLinux\t1 year Partial Upfront\t$252.00 upfront\t$0.0287/hour\t{month}")), "{month}: {show}");
    assert!(show.contains("us-east-1\tSUSE $0.1520/hour"), "{show}");
    let windows = agent(&["--catalog", catalog, "catalog", "cheapest", "--ram", "4", "--os", "windows", "--json"]);
    let windows: serde_json::Value = serde_json::from_slice(&windows.stdout).unwrap();
    assert_eq!((windows["instance_type"].as_str(), windows["price_per_hour"].as_f64()), (Some("t3.medium"), Some(0.06)), "{windows}");
    // Only the regions asked for.
    let only = dir.path().join("eu");
    assert!(refresh(&format!("{base}/good"), &only, &["eu-west-1"]).status.success());
    let eu = std::fs::read_to_string(only.join("prices.csv")).unwrap();
    assert!(eu.lines().count() == 3 && eu.lines().skip(1).all(|l| l.contains(",eu-west-1,")), "{eu}");
}

#[test]
fn broken_inputs_are_refused_and_the_target_is_untouched() {
    let base = serve();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("catalog");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("prices.csv"), "instance_type,region,price_per_hour\nkept,us-east-1,1\n").unwrap();
    for (set, regions, expected) in [
        ("missing", &[][..], "HTTP 404"),
        ("truncated", &[], "the file is cut short"),
        ("other-shape", &[], "not the EC2 price list format: expected the metadata row \"FormatVersion\""),
        ("good", &["mars-north-1"][..], "region mars-north-1 is not in the price list's region index"),
    ] {
        let run = refresh(&format!("{base}/{set}"), &out, regions);
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success() && err.contains(expected), "{set}: {err}");
        let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(entries, ["catalog"], "{set}: nothing left beside the target");
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "{set}");
        assert!(std::fs::read_to_string(out.join("prices.csv")).unwrap().contains("kept,us-east-1,1"), "{set}");
    }
}
