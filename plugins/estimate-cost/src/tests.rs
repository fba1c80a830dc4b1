//! Native unit tests of estimate-cost against `FakeHost`: N instances over a period, a group at
//! its three sizes with the worst case, the configured OS's price, spot's ceiling, bad input.
use super::*;
use aws_agent_sdk::testing::{Event, FakeHost, rows};

fn priced(host: &mut FakeHost, p: f64) {
    host.answers.push_back(Ok(rows(&["price_per_hour"], vec![vec![p.into()]])));
}

fn table(host: &FakeHost) -> (Vec<String>, Vec<Vec<String>>) {
    host.events.iter().find_map(|e| if let Event::Table(h, r) = e { Some((h.clone(), r.clone())) } else { None }).expect("a table")
}

#[test]
fn n_instances_over_a_period() {
    let mut host = FakeHost::default();
    priced(&mut host, 0.0116);
    EstimateCost::run(&Args::of(&[("count", 3.into()), ("months", 1.into()), ("days", 2.into())]), &mut host).unwrap();
    let (header, rows) = table(&host);
    assert_eq!(header[4], "$ over 1 month and 2 days (778 hours)");
    assert_eq!(rows, [["3 instances", "3", "0.0348", "25.40", "27.07"]]);
    assert!(
        host.printed()[0].starts_with("t2.micro in us-east-1 at $0.0116/hour each, the Linux on-demand price (730 hours a month)."),
        "{:?}",
        host.printed()
    );
    let Event::Query(_, params) = &host.events[0] else { panic!() };
    assert_eq!(params[2], SqlValue::Text("Linux".into()));
}

#[test]
fn a_group_at_min_desired_and_max_with_the_worst_case_at_the_configured_os_and_spot_ceiling() {
    let mut host = FakeHost::default();
    (host.config.asg.enabled, host.config.asg.min_size, host.config.asg.desired_capacity, host.config.asg.max_size) = (true, 2, 3, 6);
    (host.launch_options.operating_system, host.launch_options.market_type) = ("Windows".into(), "spot".into());
    priced(&mut host, 0.1);
    EstimateCost::run(&Args::default(), &mut host).unwrap();
    let Event::Query(_, params) = &host.events[0] else { panic!() };
    assert_eq!(params[2], SqlValue::Text("Windows".into()));
    let (header, rows) = table(&host);
    assert_eq!(header.len(), 4, "no period asked: per hour and month only");
    assert_eq!(
        rows.iter().map(|r| (r[0].as_str(), r[3].as_str())).collect::<Vec<_>>(),
        [("MinSize", "146.00"), ("DesiredCapacity", "219.00"), ("MaxSize", "438.00")]
    );
    let said = host.printed()[0];
    assert!(said.contains("the Windows on-demand price") && said.contains("Worst case (MaxSize 6): $438.00/month."), "{said}");
    assert!(said.contains("Spot prices are not known here"), "{said}");
    assert!(!host.events.iter().any(|e| matches!(e, Event::UpdateEc2(_) | Event::UpdateAsg(_) | Event::UpdateLaunchOptions(_))));
}

#[test]
fn bad_input_and_an_unpriced_type_are_refused() {
    let mut host = FakeHost::default();
    assert_eq!(EstimateCost::run(&Args::of(&[("hours", (-5).into())]), &mut host).unwrap_err(), "hours must be zero or more, not -5.");
    assert!(EstimateCost::run(&Args::of(&[("count", 0.into())]), &mut host).unwrap_err().contains("count"));
    let err = EstimateCost::run(&Args::default(), &mut host).unwrap_err();
    assert_eq!(err, "The catalog has no Linux on-demand price for t2.micro in us-east-1, so its cost is unknown.");
}
