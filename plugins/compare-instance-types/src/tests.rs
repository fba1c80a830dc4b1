//! Native unit tests of compare-instance-types against `FakeHost`: one table, differences marked,
//! the cheapest named (ties too), too few or unknown types refused, nothing changed.
use super::*;
use aws_agent_sdk::testing::{Event, FakeHost, rows};

const FACTS: [&str; 11] =
    ["instance_type", "vcpus", "memory_gib", "gpus", "gpu_memory_gib", "gpu_manufacturer", "gpu_name", "arch", "network", "burstable", "processor"];

fn facts(name: &str, vcpus: i64, arch: &str) -> Rows {
    let values = vec![
        name.into(),
        vcpus.into(),
        8.0.into(),
        0i64.into(),
        0.0.into(),
        "".into(),
        "".into(),
        arch.into(),
        "Up to 10 Gigabit".into(),
        0i64.into(),
        "".into(),
    ];
    rows(&FACTS, vec![values])
}

fn price(p: f64) -> Rows {
    rows(&["price_per_hour"], vec![vec![p.into()]])
}

fn types(names: &[&str]) -> Args {
    Args::of(&[("InstanceTypes", names.into())])
}

#[test]
fn one_table_with_what_differs_marked_and_the_cheapest_named() {
    let mut host = FakeHost::default();
    host.answers.extend([Ok(facts("m5.large", 2, "x86_64")), Ok(price(0.096)), Ok(facts("m6g.large", 2, "arm64")), Ok(price(0.077))]);
    let said = CompareInstanceTypes::run(&types(&["m5.large", "M6G.large", "m5.large"]), &mut host).unwrap();
    assert!(said.starts_with("Cheapest: m6g.large ($0.0770/hour)."), "{said}");
    assert_eq!(host.printed()[0], "m5.large, m6g.large side by side in us-east-1, Linux on-demand prices; * marks what differs.");
    let Some(Event::Table(header, table)) = host.events.iter().find(|e| matches!(e, Event::Table(..))) else { panic!("{:?}", host.events) };
    assert_eq!(header, &["", "m5.large", "m6g.large"]);
    let row = |what: &str| table.iter().find(|r| r[0].starts_with(what)).unwrap_or_else(|| panic!("{what}: {table:?}")).clone();
    assert_eq!(row("vCPUs"), ["vCPUs", "2", "2"], "the same is not marked");
    assert_eq!(row("arch"), ["arch *", "x86_64", "arm64"]);
    assert_eq!(row("$/month"), ["$/month *", "70.08", "56.21"]);
    assert!(!host.events.iter().any(|e| matches!(e, Event::UpdateEc2(_) | Event::UpdateAsg(_) | Event::UpdateLaunchOptions(_))));
}

#[test]
fn ties_missing_prices_and_the_operating_system_are_said() {
    let mut host = FakeHost::default();
    host.answers.extend([Ok(facts("m5.large", 2, "x86_64")), Ok(price(0.188)), Ok(facts("m6i.large", 2, "x86_64")), Ok(price(0.188))]);
    host.answers.extend([Ok(facts("m6g.large", 2, "arm64")), Ok(rows(&["price_per_hour"], vec![]))]);
    let args = Args::of(&[("InstanceTypes", (&["m5.large", "m6i.large", "m6g.large"][..]).into()), ("os", "windows".into()), ("region", "eu-west-1".into())]);
    let said = CompareInstanceTypes::run(&args, &mut host).unwrap();
    assert!(said.starts_with("Cheapest, at the same $0.1880/hour: m5.large, m6i.large."), "{said}");
    assert!(host.printed()[0].contains("in eu-west-1, Windows on-demand prices"), "{:?}", host.printed());
    let Some(Event::Table(_, table)) = host.events.iter().find(|e| matches!(e, Event::Table(..))) else { panic!() };
    assert!(table.iter().any(|r| r[0] == "$/hour *" && r[3] == "no price"), "{table:?}");
}

#[test]
fn fewer_than_two_or_an_unknown_type_is_refused() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(facts("m5.large", 2, "x86_64")));
    let err = CompareInstanceTypes::run(&types(&["m5.large", "m5.large"]), &mut host).unwrap_err();
    assert_eq!(err, "Name from 2 to 8 different instance types to compare (\"compare m5.large and m6i.large\"); for one, ask \"tell me about m5.large\".");
    host.answers.extend([Ok(rows(&FACTS, vec![])), Ok(facts("t3.2xlarge", 8, "x86_64"))]);
    let err = CompareInstanceTypes::run(&types(&["ml.t3.2xlarge"]), &mut host).unwrap_err();
    assert!(err.starts_with("ml.t3.2xlarge is a SageMaker instance type"), "one unknown name is answered as such: {err}");
    host.answers.extend([
        Ok(facts("m5.large", 2, "x86_64")),
        Ok(price(0.096)),
        Ok(rows(&FACTS, vec![])),
        Ok(rows(&["instance_type"], vec![vec!["m5.large".into()]])),
    ]);
    let err = CompareInstanceTypes::run(&types(&["m5.large", "m9.huge"]), &mut host).unwrap_err();
    assert_eq!(err, "Not compared: m9.huge is not an EC2 instance type; nearest: m5.large.");
}
