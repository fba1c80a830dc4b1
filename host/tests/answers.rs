//! The answering intents (describe-instance-type, compare-instance-types, estimate-cost) through
//! the REPL as a user types, judged by its session file and by `catalog show`: questions are
//! answered at the catalog's prices for the configured OS and change nothing; the intents are
//! granted the catalog and reading the configuration only; Reserved rates come with the break-even
//! month their own numbers give.
mod common;

use aws_agent::catalog::Source;
use aws_agent::plugin::Limits;
use serde_json::Value as Json;

/// The REPL over the bundled catalog with `lines` piped in: what it printed, and the
/// configuration its session file holds afterwards.
fn repl(lines: &[&str]) -> (String, Json) {
    let home = tempfile::tempdir().unwrap();
    let out = common::agent_piped(home.path(), &["-q"], &(lines.join("\n") + "\n"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let session: Json = serde_json::from_str(&std::fs::read_to_string(home.path().join("state/session.json")).unwrap()).unwrap();
    (String::from_utf8(out.stdout).unwrap(), session["config"].clone())
}

/// `catalog show TYPE --json` of the bundled catalog.
fn show(instance_type: &str) -> Json {
    let home = tempfile::tempdir().unwrap();
    let out = common::agent_piped(home.path(), &["catalog", "show", instance_type, "--json"], "");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn on_demand(facts: &Json, os: &str, region: &str) -> f64 {
    facts["os_prices"][os][region].as_f64().unwrap_or_else(|| panic!("no {os} price in {region}: {facts}"))
}

#[test]
fn the_issues_questions_are_answered_and_change_nothing() {
    let (_, configured) = repl(&["use m5.large"]);
    let questions = [
        "use m5.large",
        "what will this cost?",
        "what would three of these cost per month?",
        "what does an m5.large cost per hour?",
        "compare m5.large and m6i.large",
        "how much memory does an r6g.xlarge have?",
        "how much is an m5.large in Frankfurt?",
    ];
    let (said, after) = repl(&questions);
    assert_eq!(after, configured, "no question changed the configuration: {said}");
    let m5 = show("m5.large");
    let price = on_demand(&m5, "Linux", "us-east-1");
    assert!(said.contains(&format!("m5.large in us-east-1 at ${price:.4}/hour each, the Linux on-demand price")), "{said}");
    let three = said.lines().find(|l| l.contains("3 instances")).unwrap_or_else(|| panic!("{said}"));
    assert!(three.contains(&format!("{:.4}", 3.0 * price)) && three.contains(&format!("{:.2}", 3.0 * price * 730.0)), "{three}");
    assert!(said.contains(&format!("In us-east-1: ${price:.4}/hour (${:.2}/month), the Linux on-demand price.", price * 730.0)), "{said}");
    let frankfurt = on_demand(&m5, "Linux", "eu-central-1");
    assert!(said.contains(&format!("In eu-central-1: ${frankfurt:.4}/hour")), "{said}");
    assert!(said.contains("m5.large, m6i.large side by side in us-east-1, Linux on-demand prices; * marks what differs."), "{said}");
    let r6g = show("r6g.xlarge");
    assert!(said.contains(&format!("r6g.xlarge: {} vCPUs, {} GiB memory", r6g["vcpus"], r6g["memory_gib"].as_f64().unwrap())), "{said}");
    assert!(said.matches("Prices as of 2025-03-02 (apache-libcloud 3.9.1).").count() >= 5, "every answer dates its prices: {said}");
}

#[test]
fn a_group_costs_at_three_sizes_at_the_configured_operating_systems_price() {
    let (said, config) = repl(&["cheapest windows instance with 4 GB ram", "enable autoscaling", "max size 4", "what's the worst case per month?"]);
    let chosen = config["ec2"]["InstanceType"].as_str().unwrap().to_string();
    assert_eq!((config["ec2"]["OperatingSystem"].as_str(), config["asg"]["MaxSize"].as_i64()), (Some("Windows"), Some(4)), "{said}");
    let price = on_demand(&show(&chosen), "Windows", "us-east-1");
    assert!(said.contains(&format!("{chosen} in us-east-1 at ${price:.4}/hour each, the Windows on-demand price")), "{said}");
    assert!(said.contains(&format!("Worst case (MaxSize 4): ${:.2}/month.", 4.0 * price * 730.0)), "{said}");
}

#[test]
fn the_answering_intents_read_the_catalog_and_the_configuration_only() {
    let home = tempfile::tempdir().unwrap();
    let out = common::agent_piped(home.path(), &["plugins", "list", "--json"], "");
    let list: Vec<Json> = serde_json::from_slice(&out.stdout).unwrap();
    for name in ["describe-instance-type", "compare-instance-types", "estimate-cost"] {
        let plugin = list.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("{name} is built in"));
        assert_eq!(plugin["grants"], serde_json::json!(["catalog", "config", "console"]), "{name}");
        let examples = plugin["examples"].as_array().map_or(0, Vec::len);
        assert!((15..=25).contains(&examples), "{name} has {examples} examples");
    }
}

#[test]
fn reserved_rates_come_with_their_break_even_month_against_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["instance_types.csv", "prices.csv", "os_prices.csv"] {
        std::fs::copy(common::fixtures().join("catalog").join(file), dir.path().join(file)).unwrap();
    }
    let rates = [(1, "No Upfront", 0.0, 0.06), (1, "All Upfront", 495.0, 0.0), (3, "Partial Upfront", 537.0, 0.0204)];
    let mut csv = String::from("instance_type,region,operating_system,lease_years,purchase_option,upfront_usd,hourly_usd\n");
    rates.iter().for_each(|(years, option, upfront, hourly)| csv += &format!("m5.large,us-east-1,Linux,{years},{option},{upfront},{hourly}\n"));
    std::fs::write(dir.path().join("reserved_prices.csv"), csv).unwrap();
    let mut s = common::session_with(vec![common::builtin_plugins()], Source::Directory(dir.path().to_path_buf()), Limits::default());
    let said = common::say(&mut s, "what are the reserved rates for an m5.large?");
    assert!(said.contains("Reserved (Standard), Linux in us-east-1, against on demand running all month:"), "{said}");
    let catalog = s.caps().catalog.get().unwrap();
    let od = catalog.offer("m5.large", "us-east-1", "Linux").unwrap().unwrap().price_per_hour;
    let (_, table) = s.caps().console.last_table().expect("a table of rates").clone();
    for (years, option, upfront, hourly) in rates {
        let row = table.iter().find(|r| r[1] == option).unwrap_or_else(|| panic!("{option}: {table:?}"));
        assert_eq!(row[5], aws_agent_sdk::offers::break_even(upfront, hourly, od, years).describe(), "{row:?}");
    }
    assert!(table.iter().any(|r| r[5].starts_with("pays off in month")), "{table:?}");
}
