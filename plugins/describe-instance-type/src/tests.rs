//! Native unit tests of describe-instance-type against `FakeHost`: what it says of a type, its
//! reserved rates and their break-even month, unknown and SageMaker names, Windows on arm64, and
//! that it changes nothing.
use super::*;
use aws_agent_sdk::testing::{Event, FakeHost, rows};

const FACTS: [&str; 11] =
    ["instance_type", "vcpus", "memory_gib", "gpus", "gpu_memory_gib", "gpu_manufacturer", "gpu_name", "arch", "network", "burstable", "processor"];

fn facts(name: &str, arch: &str) -> Rows {
    let values = vec![
        name.into(),
        2i64.into(),
        8.0.into(),
        0i64.into(),
        0.0.into(),
        "".into(),
        "".into(),
        arch.into(),
        "Up to 10 Gigabit".into(),
        0i64.into(),
        "Intel Xeon".into(),
    ];
    rows(&FACTS, vec![values])
}

fn changed_nothing(host: &FakeHost) -> bool {
    !host.events.iter().any(|e| matches!(e, Event::UpdateEc2(_) | Event::UpdateAsg(_) | Event::UpdateLaunchOptions(_) | Event::SetRequirements(_)))
}

#[test]
fn facts_price_cheapest_regions_and_reserved_rates_with_their_break_even_month() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(facts("m5.large", "x86_64")));
    host.answers.push_back(Ok(rows(&["price_per_hour"], vec![vec![0.096.into()]])));
    host.answers.push_back(Ok(rows(&["region", "price_per_hour"], vec![vec!["us-east-1".into(), 0.096.into()], vec!["us-east-2".into(), 0.096.into()]])));
    let reserved = vec![vec![1i64.into(), "No Upfront".into(), 0.0.into(), 0.06.into()], vec![1i64.into(), "All Upfront".into(), 495.0.into(), 0.0.into()]];
    host.answers.push_back(Ok(rows(&["lease_years", "purchase_option", "upfront_usd", "hourly_usd"], reserved)));
    host.answers.push_back(Ok(rows(&["prices_as_of", "price_source"], vec![vec!["2025-11-20".into(), "AWS Price List".into()]])));
    let last = DescribeInstanceType::run(&Args::of(&[("InstanceType", "m5.large".into())]), &mut host).unwrap();
    let said = host.printed().join("\n") + "\n" + &last;
    assert!(said.starts_with("m5.large: 2 vCPUs, 8 GiB memory, GPUs: none, x86_64 (Intel Xeon), network Up to 10 Gigabit, not burstable."), "{said}");
    assert!(said.contains("In us-east-1: $0.0960/hour ($70.08/month), the Linux on-demand price."), "{said}");
    assert!(said.contains("Cheapest Linux regions: us-east-1 $0.0960/hour, us-east-2 $0.0960/hour."), "{said}");
    assert!(said.contains("Spot: prices are not known here") && said.ends_with("Prices as of 2025-11-20 (AWS Price List)."), "{said}");
    let Some(Event::Table(_, table)) = host.events.iter().find(|e| matches!(e, Event::Table(..))) else { panic!("{:?}", host.events) };
    assert_eq!(table[0][5], offers::break_even(0.0, 0.06, 0.096, 1).describe());
    assert_eq!(table[1][5], offers::break_even(495.0, 0.0, 0.096, 1).describe(), "{table:?}");
    assert!(table[1][5].starts_with("pays off in month 8"), "495 / (0.096 x 730) = 7.06 months: {table:?}");
    assert!(changed_nothing(&host));
}

#[test]
fn without_reserved_rates_it_says_so_and_windows_is_priced_when_asked() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(facts("m5.large", "x86_64")));
    host.answers.push_back(Ok(rows(&["price_per_hour"], vec![vec![0.188.into()]])));
    DescribeInstanceType::run(&Args::of(&[("InstanceType", "m5.large".into()), ("os", "windows".into()), ("region", "eu-west-1".into())]), &mut host).unwrap();
    let Event::Query(_, params) = &host.events[1] else { panic!() };
    assert_eq!(params[1..], [SqlValue::Text("eu-west-1".into()), SqlValue::Text("Windows".into())]);
    let said = host.printed().join("\n");
    assert!(said.contains("In eu-west-1: $0.1880/hour ($137.24/month), the Windows on-demand price."), "{said}");
    assert!(said.contains("the catalog has no Reserved rates for m5.large (Windows, eu-west-1)"), "{said}");
}

#[test]
fn windows_on_an_arm64_type_is_explained() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(facts("m6g.large", "arm64")));
    DescribeInstanceType::run(&Args::of(&[("InstanceType", "m6g.large".into()), ("os", "windows".into())]), &mut host).unwrap();
    assert!(host.printed()[0].contains("Windows does not run on m6g.large (x86_64 types only, never Mac)."), "{:?}", host.printed());
}

#[test]
fn an_unknown_name_gets_the_nearest_types_and_a_sagemaker_one_is_named() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(rows(&FACTS, vec![])));
    let names = ["m5.large", "m5.xlarge", "c5.large", "r6g.metal", "m6g.large"];
    host.answers.push_back(Ok(rows(&["instance_type"], names.iter().map(|n| vec![(*n).into()]).collect())));
    let err = DescribeInstanceType::run(&Args::of(&[("InstanceType", "m9.huge".into())]), &mut host).unwrap_err();
    assert_eq!(err, "m9.huge is not an EC2 instance type; nearest: m5.large, m5.xlarge, c5.large.");

    let mut host = FakeHost::default();
    host.answers.push_back(Ok(rows(&FACTS, vec![])));
    host.answers.push_back(Ok(facts("t3.2xlarge", "x86_64")));
    let err = DescribeInstanceType::run(&Args::of(&[("InstanceType", "ml.t3.2xlarge".into())]), &mut host).unwrap_err();
    assert_eq!(err, "ml.t3.2xlarge is a SageMaker instance type (the ml. prefix), not an EC2 one; the EC2 type of that size is t3.2xlarge.");
    assert!(changed_nothing(&host));
}
