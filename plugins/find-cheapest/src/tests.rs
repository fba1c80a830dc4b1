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

fn updates(host: &FakeHost) -> Vec<&'static str> {
    host.events
        .iter()
        .filter_map(|e| match e {
            Event::UpdateEc2(_) => Some("ec2"),
            Event::UpdateLaunchOptions(_) => Some("launch options"),
            _ => None,
        })
        .collect()
}

#[test]
fn windows_ranks_by_the_windows_price_and_sets_the_type_before_the_operating_system() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(rows(&["1"], vec![vec![1i64.into()]])));
    host.answers.push_back(Ok(rows(
        &COLUMNS,
        vec![vec!["t3a.medium".into(), 2i64.into(), 4.0.into(), 0i64.into(), "x86_64".into(), "Up to 5 Gigabit".into(), 0.056.into()]],
    )));
    FindCheapest::run(&Args::of(&[("os", "windows".into()), ("ram", 4.0.into())]), &mut host).unwrap();
    let Event::Query(sql, params) = &host.events[1] else { panic!("{:?}", host.events) };
    assert!(sql.contains("FROM os_prices") && sql.contains("arch = 'x86_64'"), "{sql}");
    assert_eq!(params[8], SqlValue::Text("Windows".into()), "the Windows price ranks");
    assert_eq!(updates(&host), ["ec2", "launch options"], "an x86_64 type goes in before Windows");
    assert_eq!((host.launch_options.operating_system.as_str(), host.config.ec2.instance_type.as_str()), ("Windows", "t3a.medium"));
    let answer = &host.printed()[0];
    assert!(answer.contains("t3a.medium at $0.0560/hour ($40.88/month), the Windows on-demand price."), "{answer}");
    assert!(answer.contains("Windows runs on x86_64 types only"), "{answer}");
    let Some(Event::SetRequirements(r)) = host.events.iter().find(|e| matches!(e, Event::SetRequirements(_))) else { panic!() };
    assert!(r.summary.contains("for Windows"), "a region change searches again for Windows: {r:?}");
}

#[test]
fn leaving_windows_sets_the_operating_system_first_and_defaults_follow_the_configuration() {
    let mut host = FakeHost::default();
    host.launch_options.operating_system = "Windows".into();
    host.answers.push_back(Ok(rows(&["1"], vec![vec![1i64.into()]])));
    host.answers.push_back(Ok(rows(&COLUMNS, vec![offer("t4g.medium", 0.0336)])));
    FindCheapest::run(&Args::of(&[("ram", 4.0.into())]), &mut host).unwrap();
    let Event::Query(_, params) = &host.events[0] else { panic!() };
    assert_eq!(params[1], SqlValue::Text("Windows".into()), "without os the configuration's is used");
    assert!(updates(&host) == ["ec2"], "nothing to change in the launch options: {:?}", host.events);

    let mut host = FakeHost::default();
    host.launch_options.operating_system = "Windows".into();
    host.answers.push_back(Ok(rows(&["1"], vec![vec![1i64.into()]])));
    host.answers.push_back(Ok(rows(&COLUMNS, vec![offer("t4g.medium", 0.0336)])));
    FindCheapest::run(&Args::of(&[("os", "linux".into()), ("ram", 4.0.into())]), &mut host).unwrap();
    assert_eq!(updates(&host), ["launch options", "ec2"], "Linux goes in before an arm64 type");
    assert_eq!(host.launch_options.operating_system, "Linux");
}

#[test]
fn spot_says_its_prices_are_unknown_and_gives_the_on_demand_ceiling() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(rows(&["1"], vec![vec![1i64.into()]])));
    host.answers.push_back(Ok(rows(&COLUMNS, vec![offer("t4g.nano", 0.0042)])));
    FindCheapest::run(&Args::of(&[("market", "spot".into()), ("cpu", 2.into())]), &mut host).unwrap();
    assert_eq!(host.launch_options.market_type, "spot");
    let answer = &host.printed()[0];
    assert!(answer.contains("the Linux on-demand price. Spot prices are not known here"), "{answer}");
    assert!(answer.contains("the on-demand price is the most a Spot Instance costs"), "{answer}");
}

#[test]
fn a_region_without_prices_for_the_operating_system_lists_those_with_them() {
    let mut host = FakeHost::default();
    host.answers.push_back(Ok(rows(&["1"], vec![])));
    host.answers.push_back(Ok(rows(&["region"], vec![vec!["us-east-1".into()]])));
    let err = FindCheapest::run(&Args::of(&[("os", "suse".into()), ("region", "ap-south-1".into())]), &mut host).unwrap_err();
    assert_eq!(err, "The catalog has no SUSE prices for region ap-south-1. Regions with SUSE prices: us-east-1.");
}
