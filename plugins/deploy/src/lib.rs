//! deploy: say what deploying does given what this session deployed (nothing, an update in place,
//! a second copy), show the requests and the cost at the configured OS's price, deploy, then
//! follow the console; a console that cannot be followed is a warning, never a failure.
use aws_agent_sdk::*;

struct Deploy;

const HOURS_PER_MONTH: f64 = 730.0;

impl Intent for Deploy {
    fn spec() -> Spec {
        Spec::new("deploy", "Deploy the current configuration once the user confirms it, then stream the console output of one launched instance.")
            .example("deploy", &[])
            .example("config looks good", &[])
            .example("go for it", &[])
            .example("looks good, launch it", &[])
            .example("confirm", &[])
            .example("proceed", &[])
            .example("go ahead", &[])
            .example("ship it", &[])
            .example("do it", &[])
            .example("apply it", &[])
            .example("launch the instances", &[])
            .example("start it up", &[])
            .example("let's go", &[])
            .example("that's right, go ahead", &[])
            .example("provision it now", &[])
            .example("ready to launch", &[])
            .example("let's do it", &[])
            .example("make it live", &[])
            .example("roll out the config", &[])
            .example("deploy it now", &[])
            .example("go ahead and deploy", &[])
            .example("ok, deploy", &[])
            .example("start the deployment", &[])
            .example("everything is correct, deploy it", &[])
            .example("push it live", &[])
            .example("sounds good, bring it up", &[])
            .example("great, spin it up", &[])
            .example("execute", &[])
            .example("deploy this configuration", &[])
            .example("send it", &[])
            .example("go live", &[])
            .example("launch it", &[])
            .example("create the servers", &[])
            .example("proceed with the rollout", &[])
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        let preview = host.preview()?;
        match preview.kind {
            PreviewKind::Unchanged => return Ok(preview.summary),
            PreviewKind::Fresh => {}
            _ => host.print(&format!("Changed since the last deploy:\n{}", preview.changes.join("\n"))),
        }
        match preview.kind {
            PreviewKind::Replace => host.warn(&preview.summary),
            PreviewKind::Update => host.print(&preview.summary),
            _ => {}
        }
        if preview.kind != PreviewKind::Update {
            let commands = host.cli_commands();
            host.print(&format!("Deploying with:\n{}", commands.join("\n")));
        }
        let cost = cost(host)?;
        host.print(&cost);
        let deployment = host.deploy()?;
        let verb = if preview.kind == PreviewKind::Update { "Updated" } else { "Created" };
        host.print(&format!("{verb}:\n{}", deployment.created.join("\n")));
        if !deployment.instance_ids.is_empty() {
            host.print(&format!("Instances running: {}", deployment.instance_ids.join(", ")));
        }
        // Whatever happens from here on, the deployment exists and is said to.
        host.print("Deployment complete.");
        if let Some(first) = deployment.instance_ids.first()
            && let Err(why) = host.stream_console(first)
        {
            host.warn(&format!("the console output of {first} could not be followed ({why}); the deployment is complete and running."));
        }
        Ok(String::new())
    }
}

/// The cost line: instances x the configured OS's on-demand price (`os_prices`, else the Linux
/// `prices`); a group also at MinSize and MaxSize; Spot says what AWS charges now, if known.
fn cost(host: &mut impl Host) -> Result<String, String> {
    let (config, options) = (host.config(), host.launch_options());
    let (ec2, asg, os) = (&config.ec2, &config.asg, options.operating_system.as_str());
    let (count, what) = if asg.enabled { (asg.desired_capacity, "desired capacity of the Auto Scaling group") } else { (ec2.max_count, "MaxCount instances") };
    let keys = [ec2.instance_type.as_str().into(), ec2.region.as_str().into(), os.into()];
    let by_os = host.query("SELECT price_per_hour FROM os_prices WHERE instance_type = ?1 AND region = ?2 AND operating_system = ?3", &keys);
    let rows = match by_os {
        Ok(rows) => rows,
        Err(_) if os == "Linux" => host.query("SELECT price_per_hour FROM prices WHERE instance_type = ?1 AND region = ?2", &keys[..2])?,
        Err(_) => return Ok(format!("Cost: unknown, the catalog has no {os} prices.")),
    };
    let Some(p) = rows.first().map(|r| r.f64("price_per_hour")) else {
        return Ok(format!("Cost: unknown, the catalog has no {os} price for {} in {}.", ec2.instance_type, ec2.region));
    };
    let hourly = p * f64::from(count);
    let mut line = format!(
        "Cost: {count} x {} ({what}) x ${p:.4}/hour = ${hourly:.4}/hour, ${:.2}/month, at the {os} on-demand price.",
        ec2.instance_type,
        hourly * HOURS_PER_MONTH
    );
    if asg.enabled {
        let month = |n: u32| p * f64::from(n) * HOURS_PER_MONTH;
        line.push_str(&format!(
            " At MinSize {}: ${:.2}/month; at MaxSize {}: ${:.2}/month.",
            asg.min_size,
            month(asg.min_size),
            asg.max_size,
            month(asg.max_size)
        ));
    }
    if options.market_type == "spot" {
        match host.spot_prices(&ec2.instance_type, &ec2.region, os) {
            Ok(zones) if !zones.is_empty() => line.push_str(&format!(
                " Spot now: ${:.4}/hour in {} (cheapest of {} zones); the on-demand price is the ceiling.",
                zones[0].price_per_hour,
                zones[0].availability_zone,
                zones.len()
            )),
            Ok(_) => line.push_str(" Spot: AWS reported no current Spot price; the on-demand price is the ceiling."),
            Err(why) => line.push_str(&format!(" {why}.")),
        }
    }
    Ok(line)
}

register_intent!(Deploy);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::{Event, FakeHost, rows};

    fn deployed() -> Deployment {
        Deployment { created: vec!["instance i-1".into(), "instance i-2".into()], instance_ids: vec!["i-1".into(), "i-2".into()] }
    }

    #[test]
    fn prices_the_group_then_deploys_and_streams_the_first_instance() {
        let mut host = FakeHost::default();
        host.config.asg.enabled = true;
        (host.config.asg.desired_capacity, host.config.asg.max_size) = (3, 4);
        host.answers.push_back(Ok(rows(&["price_per_hour"], vec![vec![0.0116.into()]])));
        host.deploy_result = Ok(deployed());
        assert_eq!(Deploy::run(&Args::default(), &mut host).unwrap(), "");
        let printed = host.printed();
        assert!(
            printed[1].contains(
                "3 x t2.micro (desired capacity of the Auto Scaling group) x $0.0116/hour = $0.0348/hour, $25.40/month, at the Linux on-demand price."
            ),
            "{printed:?}"
        );
        assert!(printed[1].contains("At MinSize 1: $8.47/month; at MaxSize 4: $33.87/month."), "{printed:?}");
        assert_eq!(printed.last(), Some(&"Deployment complete."));
        assert_eq!(host.events.last(), Some(&Event::StreamConsole("i-1".into())));
    }

    #[test]
    fn a_failed_console_stream_is_a_warning_after_a_complete_deployment() {
        let mut host =
            FakeHost { deploy_result: Ok(deployed()), stream_result: Err("UnauthorizedOperation: ec2:GetConsoleOutput".into()), ..Default::default() };
        assert_eq!(Deploy::run(&Args::default(), &mut host), Ok(String::new()));
        assert!(host.printed().contains(&"Deployment complete."), "{:?}", host.printed());
        assert!(host.warnings()[0].contains("ec2:GetConsoleOutput") && host.warnings()[0].contains("complete and running"), "{:?}", host.warnings());
    }

    #[test]
    fn an_unchanged_deployment_creates_nothing() {
        let summary = "Already deployed in us-east-1: instance i-1. Deploying again creates nothing.";
        let preview = DeployPreview {
            kind: PreviewKind::Unchanged,
            changes: vec![],
            deployed: vec!["instance i-1".into()],
            region: "us-east-1".into(),
            summary: summary.into(),
        };
        let mut host = FakeHost { preview: Ok(preview), deploy_result: Ok(deployed()), ..Default::default() };
        assert_eq!(Deploy::run(&Args::default(), &mut host).unwrap(), summary);
        assert_eq!(host.events, [Event::Preview]);
    }

    #[test]
    fn a_refused_deployment_is_an_error_and_a_windows_price_is_asked_for() {
        let mut host = FakeHost::default();
        host.launch_options.operating_system = "Windows".into();
        host.answers.push_back(Err("no such table: os_prices".into()));
        let err = Deploy::run(&Args::default(), &mut host).unwrap_err();
        assert_eq!(err, "not deployed in tests");
        assert_eq!(host.printed()[1], "Cost: unknown, the catalog has no Windows prices.");
    }

    #[test]
    fn spot_says_what_aws_charges_now_or_that_it_is_unknown() {
        let mut host = FakeHost::default();
        host.launch_options.market_type = "spot".into();
        host.answers.push_back(Ok(rows(&["price_per_hour"], vec![vec![0.0116.into()]])));
        let _ = Deploy::run(&Args::default(), &mut host);
        assert!(host.printed()[1].ends_with(" Spot prices are unknown here."), "{:?}", host.printed());
    }
}
