//! Native unit tests of find-cheapest against `FakeHost`: which constraints it binds, and its
//! answers to negative, unknown-region and impossible requests.
use super::*;
use aws_agent_sdk::testing::{Event, FakeHost, rows};

fn offer(name: &str, price: f64) -> Vec<SqlValue> {
    vec![name.into(), 2i64.into(), 4.0.into(), 0i64.into(), "arm64".into(), "Up to 5 Gigabit".into(), price.into()]
}

const COLUMNS: [&str; 7] = ["instance_type", "vcpus", "memory_gib", "gpus", "arch", "network", "price_per_hour"];

#[test]
fn picks_the_first_row_and_binds_only_given_constraints() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(rows(&["1"], vec![vec![1i64.into()]])));
    host.answers.push_back(Ok(rows(&COLUMNS, vec![offer("t4g.medium", 0.0336), offer("t3a.medium", 0.0376)])));
    let args = Args::of(&[("ram", 4.0.into())]);
    FindCheapest::run(&args, &mut host).unwrap();
    assert_eq!(host.config.ec2.instance_type, "t4g.medium");
    let Event::Query(_, params) = &host.events[1] else { panic!("{:?}", host.events) };
    assert_eq!(params[..5], [SqlValue::Text("us-east-1".into()), SqlValue::Null, SqlValue::Real(4.0), SqlValue::Null, SqlValue::Null]);
    assert!(host.printed()[0].contains(">= 4 GiB memory"), "{:?}", host.printed());
    assert!(host.printed()[0].contains("$0.0336/hour ($24.53/month)"), "{:?}", host.printed());
}

#[test]
fn negative_numbers_are_refused_before_any_query() {
    let mut host = FakeHost::default();
    let err = FindCheapest::run(&Args::of(&[("cpu", (-2).into())]), &mut host).unwrap_err();
    assert!(err.contains("cpu must be zero or more"), "{err}");
    assert!(host.events.is_empty());
}

#[test]
fn unknown_region_lists_the_known_ones() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(rows(&["1"], vec![])));
    host.answers.push_back(Ok(rows(&["region"], vec![vec!["eu-west-1".into()], vec!["us-east-1".into()]])));
    let err = FindCheapest::run(&Args::of(&[("region", "mars-north-1".into())]), &mut host).unwrap_err();
    assert!(err.contains("no prices for region mars-north-1. Regions: eu-west-1, us-east-1."), "{err}");
}

#[test]
fn impossible_request_says_what_is_available() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(rows(&["1"], vec![vec![1i64.into()]])));
    host.answers.push_back(Ok(rows(&COLUMNS, vec![])));
    host.answers.push_back(Ok(rows(&["instance_type"], vec![])));
    host.answers.push_back(Ok(rows(&["c", "m", "g"], vec![vec![192i64.into(), 24576.0.into(), 8i64.into()]])));
    let err = FindCheapest::run(&Args::of(&[("ram", 3072.0.into()), ("cpu", 1.into())]), &mut host).unwrap_err();
    assert!(err.contains("largest there have 192 vCPUs, 24576 GiB, 8 GPUs"), "{err}");
    assert_eq!(host.config.ec2.instance_type, "t2.micro");
}

#[test]
fn the_answer_counts_offered_types_without_a_price_and_dates_its_prices() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(rows(&["prices_as_of", "price_source"], vec![vec!["2025-03-02".into(), "test data".into()]])));
    host.answers.push_back(Ok(rows(&COLUMNS, vec![offer("t3a.medium", 0.0376)])));
    let unpriced = ["t3.medium", "c7i-flex.large", "m7a.medium"];
    host.answers.push_back(Ok(rows(&["n", "instance_type"], unpriced.iter().map(|t| vec![4i64.into(), (*t).into()]).collect())));
    host.answers
        .push_back(Ok(rows(&["key", "value"], vec![vec!["prices_as_of".into(), "2025-03-02".into()], vec!["price_source".into(), "test data".into()]])));
    FindCheapest::run(&Args::of(&[("cpu", 2.into()), ("ram", 4.0.into())]), &mut host).unwrap();
    let answer = &host.printed()[0];
    assert!(answer.contains("Prices as of 2025-03-02 (test data)."), "{answer}");
    assert!(answer.contains("4 offered types have no price here and are not ranked (t3.medium, c7i-flex.large, m7a.medium, …)."), "{answer}");
}

#[test]
fn a_gpu_maker_is_bound_and_unknown_makers_are_said() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(rows(&["1"], vec![vec![1i64.into()]])));
    host.answers.push_back(Ok(rows(&COLUMNS, vec![offer("g4dn.xlarge", 0.526)])));
    host.answers.push_back(Ok(rows(&["instance_type"], vec![])));
    host.answers.push_back(Ok(rows(&["n", "instance_type"], vec![vec![1i64.into(), "g4ad.xlarge".into()]])));
    let args = Args::of(&[("gpus", 1.into()), ("gpu_vendor", "NVIDIA".into()), ("burstable", "no".into())]);
    FindCheapest::run(&args, &mut host).unwrap();
    let Event::Query(_, params) = &host.events[1] else { panic!("{:?}", host.events) };
    assert_eq!(params[5..7], [SqlValue::Text("NVIDIA".into()), SqlValue::Integer(0)]);
    let Event::Query(_, params) = &host.events[3] else { panic!("{:?}", host.events) };
    assert_eq!(params[5], SqlValue::Null, "types of unknown maker are looked for without the maker");
    let answer = &host.printed()[0];
    assert!(answer.contains(">= 1 GPUs, NVIDIA GPUs, not burstable"), "{answer}");
    assert!(answer.contains("1 GPU type was left out because the catalog does not know its GPU maker (g4ad.xlarge)."), "{answer}");
}
