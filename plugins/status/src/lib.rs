//! status: what aws-agent runs, found by its tag, in the configuration's region or all regions,
//! what it costs per hour and month at the catalog's on-demand prices, and drift from the
//! session's configuration. Read-only: it reads from AWS (`aws-read`) and changes nothing.
use aws_agent_sdk::*;

struct Status;

const HOURS_PER_MONTH: f64 = 730.0;

impl Intent for Status {
    fn spec() -> Spec {
        Spec::new("status", "Status of the instances, groups and templates aws-agent launched, per region or across all, with drift from the configuration.")
            .param(Param::text("all_regions", "yes: every region of the catalog; otherwise the configured region").pattern("yes|no").synonyms(&[
                "all regions",
                "every region",
                "each region",
            ]))
            .example("what's running out there?", &[])
            .example("status", &[])
            .example("status report", &[])
            .example("status across all regions", &[("all_regions", "yes".into())])
            .example("list everything launched across all regions", &[("all_regions", "yes".into())])
            .example("any drift?", &[])
            .example("report drift", &[])
            .example("live instances", &[])
            .example("inventory of aws-agent launches", &[])
            .example("which of our instances are live", &[])
            .example("check whether the fleet is stopped", &[])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        let report = host.status(args.text("all_regions") == Some("yes"))?;
        for skipped in &report.skipped {
            host.warn(&format!("not searched: {skipped}"));
        }
        let searched = if report.searched.len() == 1 { report.searched[0].clone() } else { format!("{} regions", report.searched.len()) };
        if report.instances.is_empty() && report.groups.is_empty() && report.templates.is_empty() {
            return Ok(format!("Nothing created by aws-agent runs in {searched}."));
        }
        let (mut hourly, mut unpriced) = (0.0, 0);
        let mut rows = vec![];
        for i in &report.instances {
            let running = i.state == "running" || i.state == "pending";
            let price = if running { price(host, &i.instance_type, &i.region, &i.operating_system) } else { None };
            match (running, price) {
                (true, Some(p)) => hourly += p,
                (true, None) => unpriced += 1,
                _ => {}
            }
            let cost = price.map_or(if running { "unknown".into() } else { "-".into() }, |p| format!("{p:.4}"));
            let group = i.group.clone().unwrap_or_default();
            rows.push(vec![
                i.region.clone(),
                i.instance_id.clone(),
                i.state.clone(),
                i.instance_type.clone(),
                i.availability_zone.clone(),
                i.launch_time.clone(),
                i.operating_system.clone(),
                i.market_type.clone(),
                group,
                cost,
            ]);
        }
        let header = ["region", "instance", "state", "type", "zone", "launched", "OS", "market", "group", "$/hour (on-demand)"];
        host.table(&header.map(String::from), &rows);
        if !report.groups.is_empty() {
            let rows: Vec<Vec<String>> = report
                .groups
                .iter()
                .map(|g| {
                    vec![
                        g.region.clone(),
                        g.name.clone(),
                        format!("{} / {} / {}", g.min_size, g.desired_capacity, g.max_size),
                        g.instance_ids.join(", "),
                        g.launch_template.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            host.table(&["region", "Auto Scaling group", "min / desired / max", "instances", "launch template"].map(String::from), &rows);
        }
        if !report.templates.is_empty() {
            let rows: Vec<Vec<String>> =
                report.templates.iter().map(|t| vec![t.region.clone(), t.name.clone(), t.latest_version.to_string(), t.instance_type.clone()]).collect();
            host.table(&["region", "launch template", "latest version", "type"].map(String::from), &rows);
        }
        let unpriced = if unpriced == 0 { String::new() } else { format!(" ({unpriced} running instance(s) unpriced in the catalog)") };
        let mut said = format!("Running now in {searched}: ${hourly:.4}/hour, ${:.2}/month at on-demand prices{unpriced}.", hourly * HOURS_PER_MONTH);
        match report.drift.is_empty() {
            true => said.push_str("\nNo drift: what this session deployed matches its configuration."),
            false => said.push_str(&format!("\nDrift from the configuration:\n{}", report.drift.join("\n"))),
        }
        Ok(said)
    }
}

/// The on-demand price for `os` (`os_prices`, else the Linux `prices`).
fn price(host: &mut impl Host, instance_type: &str, region: &str, os: &str) -> Option<f64> {
    let keys = [instance_type.into(), region.into(), os.into()];
    let rows = match host.query("SELECT price_per_hour FROM os_prices WHERE instance_type = ?1 AND region = ?2 AND operating_system = ?3", &keys) {
        Ok(rows) => rows,
        Err(_) if os == "Linux" => host.query("SELECT price_per_hour FROM prices WHERE instance_type = ?1 AND region = ?2", &keys[..2]).ok()?,
        Err(_) => return None,
    };
    rows.first().map(|r| r.f64("price_per_hour"))
}

register_intent!(Status);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::{Event, FakeHost, rows};

    fn instance(state: &str) -> TaggedInstance {
        TaggedInstance {
            region: "us-east-1".into(),
            instance_id: "i-1".into(),
            state: state.into(),
            instance_type: "t2.micro".into(),
            availability_zone: "us-east-1a".into(),
            launch_time: "2025-01-01T00:00:00Z".into(),
            operating_system: "Linux".into(),
            market_type: "on-demand".into(),
            group: None,
        }
    }

    fn report(instances: Vec<TaggedInstance>, drift: Vec<String>) -> StatusReport {
        StatusReport { instances, groups: vec![], templates: vec![], drift, searched: vec!["us-east-1".into()], skipped: vec![] }
    }

    #[test]
    fn prices_what_runs_and_names_the_drift() {
        let drift = vec!["instance i-1 (us-east-1): InstanceType t2.micro on AWS, t3.micro in the configuration".to_string()];
        let mut host = FakeHost { status_report: Ok(report(vec![instance("running")], drift.clone())), ..Default::default() };
        host.answers.push_back(Err("no such table: os_prices".into()));
        host.answers.push_back(Ok(rows(&["price_per_hour"], vec![vec![0.0116.into()]])));
        let said = Status::run(&Args::of(&[("all_regions", "yes".into())]), &mut host).unwrap();
        assert_eq!(host.events[0], Event::Status(true));
        assert!(said.starts_with("Running now in us-east-1: $0.0116/hour, $8.47/month at on-demand prices."), "{said}");
        assert!(said.ends_with(&drift[0]), "{said}");
    }

    #[test]
    fn a_stopped_instance_costs_nothing_and_nothing_found_is_said() {
        let mut host = FakeHost { status_report: Ok(report(vec![instance("stopped")], vec![])), ..Default::default() };
        let said = Status::run(&Args::default(), &mut host).unwrap();
        assert!(said.starts_with("Running now in us-east-1: $0.0000/hour"), "{said}");
        let mut host = FakeHost { status_report: Ok(report(vec![], vec![])), ..Default::default() };
        assert_eq!(Status::run(&Args::default(), &mut host).unwrap(), "Nothing created by aws-agent runs in us-east-1.");
    }
}
