//! find-cheapest end to end: the real component, the real SQL capability, fixture catalogs.
//!
//! Filters, ties (by size, then name), types unpriced in the region, bad input, the constraints
//! named in the answer, agreement with the seed prototype's SQL over its CSV, and operating
//! systems and purchase options: Windows at its own price and never on arm64, the configuration's
//! OperatingSystem and MarketType set, spot answered with the on-demand ceiling.
mod common;

use aws_agent::catalog::Source;
use aws_agent::plugin::{Limits, Value};
use aws_agent::router::Call;
use aws_agent::session::{Session, Turn};

/// The ranked type names the intent showed (chosen first), or its error.
/// A new search (the session forgets earlier requirements) with `args`.
fn cheapest(session: &mut Session, args: &[(&str, Value)]) -> Result<Vec<String>, String> {
    session.reset();
    let call = Call { intent: "find-cheapest".into(), args: args.iter().map(|(k, v)| (k.to_string(), v.clone())).collect() };
    let turn = session.execute(call);
    let caps = session.caps();
    caps.console.take_lines();
    match turn {
        Turn::Failed { message, .. } | Turn::Unanswered { message } => Err(message),
        Turn::Ran { .. } => {
            let (_, rows) = caps.console.last_table().expect("a table of offers");
            let names: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
            assert_eq!(caps.config.ec2.instance_type, names[0], "the chosen type goes into the configuration");
            Ok(names)
        }
    }
}

fn int(n: i64) -> Value {
    Value::Int(n)
}

fn gib(n: f64) -> Value {
    Value::Float(n)
}

fn text(t: &str) -> Value {
    Value::Text(t.into())
}

#[test]
fn each_filter_narrows_the_choice() {
    let mut s = common::session();
    assert_eq!(cheapest(&mut s, &[]).unwrap()[0], "t4g.micro");
    assert_eq!(cheapest(&mut s, &[("ram", gib(4.0))]).unwrap()[..3], ["t4g.medium", "t3a.medium", "t3.medium"]);
    assert_eq!(cheapest(&mut s, &[("cpu", int(4))]).unwrap()[..2], ["c5.xlarge", "g4dn.xlarge"]);
    assert_eq!(cheapest(&mut s, &[("gpus", int(1))]).unwrap(), ["g4dn.xlarge", "p3.2xlarge"]);
    assert_eq!(cheapest(&mut s, &[("arch", text("x86_64"))]).unwrap()[0], "t3.micro");
    assert_eq!(cheapest(&mut s, &[("ram", gib(4.0)), ("arch", text("arm64"))]).unwrap()[..3], ["t4g.medium", "m6g.large", "m7g.large"]);
    assert_eq!(cheapest(&mut s, &[("cpu", int(2)), ("ram", gib(2.0)), ("region", text("ap-south-1"))]).unwrap()[0], "t4g.medium");
    assert_eq!(s.caps().config.ec2.region, "ap-south-1");
    assert_eq!(s.caps().config.asg.availability_zones, ["ap-south-1a"], "zones follow the region");
    assert_eq!(cheapest(&mut s, &[("alternatives", int(0))]).unwrap().len(), 1);
}

#[test]
fn equal_prices_break_by_size_then_name() {
    let mut s = common::session();
    // m5.large and m6i.large cost exactly 0.096 in us-east-1 with the same resources.
    let ranked = cheapest(&mut s, &[("cpu", int(2)), ("ram", gib(8.0)), ("arch", text("x86_64"))]).unwrap();
    assert_eq!(ranked[..2], ["m5.large", "m6i.large"]);
    for _ in 0..5 {
        assert_eq!(cheapest(&mut s, &[("cpu", int(2)), ("ram", gib(8.0)), ("arch", text("x86_64"))]).unwrap(), ranked);
    }
}

#[test]
fn types_without_a_price_in_the_region_are_never_recommended() {
    let mut s = common::session();
    // hpc7a.12xlarge is the only type with 24 vCPUs, and it is priced only in eu-west-1.
    let err = cheapest(&mut s, &[("cpu", int(24))]).unwrap_err();
    assert!(err.contains("No instance type offered in us-east-1 has >= 24 vCPUs"), "{err}");
    assert_eq!(cheapest(&mut s, &[("cpu", int(24)), ("region", text("eu-west-1"))]).unwrap(), ["hpc7a.12xlarge"]);
    // p3.2xlarge is not offered in ap-south-1.
    assert_eq!(cheapest(&mut s, &[("gpus", int(1)), ("region", text("ap-south-1"))]).unwrap(), ["g4dn.xlarge"]);
}

#[test]
fn bad_requests_get_answers_that_say_what_exists() {
    let mut s = common::session();
    let before = s.caps().config.clone();
    let err = cheapest(&mut s, &[("region", text("eu-south-9"))]).unwrap_err();
    assert_eq!(err, "The catalog has no prices for region eu-south-9. Regions: ap-south-1, eu-west-1, us-east-1.");
    let err = cheapest(&mut s, &[("ram", gib(30_000.0)), ("cpu", int(1))]).unwrap_err();
    assert_eq!(err, "No instance type offered in us-east-1 has >= 1 vCPUs, >= 30000 GiB memory. The largest there have 8 vCPUs, 61 GiB, 1 GPUs.");
    let err = cheapest(&mut s, &[("cpu", int(-1))]).unwrap_err();
    assert_eq!(err, "cpu must be zero or more, not -1.");
    let err = cheapest(&mut s, &[("arch", text("sparc"))]).unwrap_err();
    assert!(err.contains("arch must be one of x86_64, arm64, not \"sparc\""), "{err}");
    assert_eq!(s.caps().config, before, "nothing changes on a bad request");
}

#[test]
fn the_answer_names_the_constraints_it_applied() {
    let mut s = common::session();
    s.execute(Call { intent: "find-cheapest".into(), args: vec![("ram".into(), gib(4.0))] });
    let shown = s.caps().console.take_lines().join("\n");
    assert!(shown.contains("Cheapest in us-east-1 with >= 4 GiB memory: t4g.medium at $0.0336/hour ($24.53/month)"), "{shown}");
    assert!(!shown.contains("vCPUs:"), "no hidden cpu default");
}

/// The seed prototype's own query, run over its own CSV format in plain SQLite.
fn seed_answer(rows: &[csv::StringRecord], cpu: i64, ram: f64) -> Option<f64> {
    let db = rusqlite::Connection::open_in_memory().unwrap();
    db.execute_batch("CREATE TABLE ec2_rec (API_Name TEXT, vCPUs INTEGER, Instance_Memory REAL, On_Demand REAL)").unwrap();
    for r in rows {
        let price: Option<f64> = r[7].trim().parse().ok();
        db.execute(
            "INSERT INTO ec2_rec VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![&r[2], r[4].trim().parse::<i64>().unwrap(), r[3].trim().parse::<f64>().unwrap(), price],
        )
        .unwrap();
    }
    db.query_row(
        "SELECT On_Demand FROM ec2_rec WHERE vCPUs >= ? AND Instance_Memory >= ? AND On_Demand IS NOT NULL ORDER BY On_Demand LIMIT 1",
        rusqlite::params![cpu, ram],
        |row| row.get(0),
    )
    .ok()
}

#[test]
fn agrees_with_the_seed_sql_over_the_seed_csv() {
    let path = common::fixtures().join("seed_small.csv");
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&path).unwrap().records().map(Result::unwrap).collect();
    let mut s = common::session_with(vec![common::builtin_plugins()], Source::from_path(&path).unwrap(), Limits::default());
    let mut compared = 0;
    for cpu in [1, 2, 4, 8, 16, 32, 64] {
        for ram in [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0] {
            let expected = seed_answer(&rows, cpu, ram);
            let ours = cheapest(&mut s, &[("cpu", int(cpu)), ("ram", gib(ram))]);
            let catalog = s.caps().catalog.get().unwrap();
            let price = ours.ok().map(|names| catalog.offer(&names[0], "us-east-1", "Linux").unwrap().expect("priced").price_per_hour);
            assert_eq!(price, expected, "cpu {cpu}, ram {ram}");
            compared += 1;
        }
    }
    assert_eq!(compared, 63);
}

/// A session over the bundled catalog, which has offerings, GPU makers and its prices' date.
fn bundled() -> Session {
    common::session_with(vec![common::builtin_plugins()], Source::Bundled, Limits::default())
}

/// The answer line of a new search with `args`.
fn answer(session: &mut Session, args: &[(&str, Value)]) -> String {
    session.reset();
    session.execute(Call { intent: "find-cheapest".into(), args: args.iter().map(|(k, v)| (k.to_string(), v.clone())).collect() });
    session.caps().console.take_lines().join("\n")
}

#[test]
fn offered_types_without_a_price_are_counted_and_the_prices_dated() {
    let mut s = bundled();
    let shown = answer(&mut s, &[("cpu", int(2)), ("ram", gib(4.0)), ("arch", text("x86_64"))]);
    // t3.medium is offered in us-east-1 (moto's DescribeInstanceTypeOfferings) with no price.
    let left_out = regex::Regex::new(r"(\d+) offered types have no price here and are not ranked \(([^)]*)\)").unwrap();
    let caps = left_out.captures(&shown).unwrap_or_else(|| panic!("{shown}"));
    assert!(caps[1].parse::<usize>().unwrap() > 3 && caps[2].contains("t3.medium"), "{shown}");
    assert!(shown.contains("Prices as of 2025-03-02 (apache-libcloud 3.9.1)."), "{shown}");
}

#[test]
fn a_gpu_maker_returns_only_that_maker_and_says_what_it_left_out() {
    let mut s = bundled();
    let catalog = |s: &mut Session, t: &str| s.caps().catalog.get().unwrap().instance(t).unwrap().unwrap();
    let nvidia = cheapest(&mut s, &[("gpus", int(1)), ("gpu_vendor", text("NVIDIA")), ("alternatives", int(20))]).unwrap();
    for t in &nvidia {
        assert_eq!(catalog(&mut s, t).gpu_manufacturer, "NVIDIA", "{t} in {nvidia:?}");
    }
    let any = cheapest(&mut s, &[("gpus", int(1))]).unwrap();
    assert_eq!(catalog(&mut s, &any[0]).gpu_manufacturer, "", "without a maker the cheapest GPU type ({}) is one of unknown maker", any[0]);
    let shown = answer(&mut s, &[("gpus", int(1)), ("gpu_vendor", text("NVIDIA"))]);
    assert!(shown.contains("GPU types were left out because the catalog does not know their GPU maker (g4ad.xlarge"), "{shown}");
    let amd = cheapest(&mut s, &[("gpus", int(1)), ("gpu_vendor", text("AMD"))]).unwrap_err();
    assert!(amd.contains("No instance type offered in us-east-1 has >= 1 GPUs, AMD GPUs") && amd.contains("left out"), "{amd}");
}

#[test]
fn burstable_no_skips_the_t_family_and_yes_keeps_only_it() {
    let mut s = bundled();
    let t_family = |name: &str| regex::Regex::new(r"^t\d").unwrap().is_match(name);
    let steady = cheapest(&mut s, &[("cpu", int(2)), ("ram", gib(4.0)), ("burstable", text("no")), ("alternatives", int(20))]).unwrap();
    assert!(steady.iter().all(|t| !t_family(t)), "{steady:?}");
    let plain = cheapest(&mut s, &[("cpu", int(2)), ("ram", gib(4.0))]).unwrap();
    assert!(t_family(&plain[0]), "without the filter a T type is cheapest: {plain:?}");
    let bursting = cheapest(&mut s, &[("cpu", int(2)), ("ram", gib(4.0)), ("burstable", text("yes")), ("alternatives", int(20))]).unwrap();
    assert!(bursting.iter().all(|t| t_family(t)), "{bursting:?}");
}

#[test]
fn windows_ranks_by_its_own_price_and_never_offers_arm64() {
    let mut s = common::session();
    let linux = cheapest(&mut s, &[("ram", gib(4.0))]).unwrap();
    assert_eq!(linux[0], "t4g.medium", "the Linux answer is arm64");
    // The fixture gives t4g.medium the lowest Windows price of all; Windows must still skip it.
    let windows = cheapest(&mut s, &[("ram", gib(4.0)), ("os", text("windows")), ("alternatives", int(20))]).unwrap();
    let caps = s.caps();
    let catalog = caps.catalog.get().unwrap();
    for t in &windows {
        let offer = catalog.offer(t, "us-east-1", "Windows").unwrap().unwrap_or_else(|| panic!("{t} has no Windows price"));
        assert_eq!(offer.arch, "x86_64", "{t} in {windows:?}");
    }
    let prices: Vec<f64> = windows.iter().map(|t| catalog.offer(t, "us-east-1", "Windows").unwrap().unwrap().price_per_hour).collect();
    assert!(prices.windows(2).all(|p| p[0] <= p[1]), "ranked by the Windows price: {prices:?}");
    assert_eq!((caps.config.ec2.operating_system.as_str(), caps.config.ec2.instance_type.as_str()), ("Windows", windows[0].as_str()));
}

#[test]
fn the_answer_names_the_operating_system_and_purchase_option_of_its_price() {
    let mut s = bundled();
    // The issue's request, through the router as typed.
    s.reset();
    s.turn("cheapest windows instance with 4 GB ram");
    let shown = s.caps().console.take_lines().join("\n");
    let chosen = s.caps().config.ec2.instance_type.clone();
    let offer = s.caps().catalog.get().unwrap().offer(&chosen, "us-east-1", "Windows").unwrap().expect("a Windows price");
    assert_eq!(offer.arch, "x86_64", "{shown}");
    assert!(offer.memory_gib >= 4.0, "{offer:?}");
    let price = format!("{chosen} at ${:.4}/hour (${:.2}/month), the Windows on-demand price.", offer.price_per_hour, offer.price_per_hour * 730.0);
    assert!(shown.contains(&price), "{price} in {shown}");
    assert_eq!(s.caps().config.ec2.operating_system, "Windows");

    let shown = answer(&mut s, &[("cpu", int(2)), ("market", text("spot")), ("os", text("linux"))]);
    assert!(shown.contains("the Linux on-demand price. Spot prices are not known here"), "{shown}");
    let ec2 = s.caps().config.ec2.clone();
    assert_eq!((ec2.market_type.as_str(), ec2.operating_system.as_str()), ("spot", "Linux"));
}

#[test]
fn a_region_without_prices_for_the_operating_system_says_which_have_them() {
    let mut s = common::session();
    let err = cheapest(&mut s, &[("os", text("windows")), ("region", text("ap-south-1")), ("cpu", int(8))]).unwrap_err();
    assert_eq!(err, "No instance type offered in ap-south-1 has >= 8 vCPUs, for Windows. The largest there have 4 vCPUs, 8 GiB, 0 GPUs.");
    let err = cheapest(&mut s, &[("os", text("suse")), ("region", text("eu-south-9"))]).unwrap_err();
    assert_eq!(err, "The catalog has no SUSE prices for region eu-south-9. Regions with SUSE prices: ap-south-1, eu-west-1, us-east-1.");
}
