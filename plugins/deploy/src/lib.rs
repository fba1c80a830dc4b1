//! deploy: show what will be deployed and what it costs, then deploy and follow the console.
use aws_agent_sdk::*;

struct Deploy;

const HOURS_PER_MONTH: f64 = 730.0;

impl Intent for Deploy {
    fn spec() -> Spec {
        Spec::new("deploy", "Deploy the current configuration once the user confirms it, then stream the console output of one launched instance.")
            .example("deploy", &[])
            .example("config looks good", &[])
            .example("yes", &[])
            .example("go for it", &[])
            .example("looks good, launch it", &[])
            .example("ok", &[])
            .example("okay", &[])
            .example("yep", &[])
            .example("sure", &[])
            .example("confirm", &[])
            .example("proceed", &[])
            .example("go ahead", &[])
            .example("ship it", &[])
            .example("lgtm", &[])
            .example("do it", &[])
            .example("apply it", &[])
            .example("launch the instances", &[])
            .example("start it up", &[])
            .example("let's go", &[])
            .example("that's right, go ahead", &[])
            .example("provision it now", &[])
            .example("ready to launch", &[])
            .example("approved", &[])
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
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        let config = host.config();
        let (ec2, asg) = (&config.ec2, &config.asg);
        let (count, what) =
            if asg.enabled { (asg.desired_capacity, "desired capacity of the Auto Scaling group") } else { (ec2.max_count, "MaxCount instances") };
        let price = host
            .query(
                "SELECT price_per_hour FROM prices WHERE instance_type = ?1 AND region = ?2",
                &[ec2.instance_type.as_str().into(), ec2.region.as_str().into()],
            )?
            .first()
            .map(|r| r.f64("price_per_hour"));
        let commands = host.cli_commands();
        host.print(&format!("Deploying with:\n{}", commands.join("\n")));
        match price {
            Some(p) => {
                let hourly = p * f64::from(count);
                host.print(&format!(
                    "Cost: {count} x {} ({what}) x ${p:.4}/hour = ${hourly:.4}/hour, ${:.2}/month.",
                    ec2.instance_type,
                    hourly * HOURS_PER_MONTH
                ));
            }
            None => host.print(&format!("Cost: unknown, the catalog has no price for {} in {}.", ec2.instance_type, ec2.region)),
        }
        let deployment = host.deploy()?;
        host.print(&format!("Created:\n{}", deployment.created.join("\n")));
        if !deployment.instance_ids.is_empty() {
            host.print(&format!("Instances running: {}", deployment.instance_ids.join(", ")));
        }
        if let Some(first) = deployment.instance_ids.first() {
            host.stream_console(first)?;
        }
        Ok("Deployment complete.".into())
    }
}

register_intent!(Deploy);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::{Event, FakeHost, rows};

    #[test]
    fn prices_the_group_then_deploys_and_streams_the_first_instance() {
        let mut host = FakeHost::default();
        host.config.asg.enabled = true;
        host.config.asg.desired_capacity = 3;
        host.answers.push_back(Ok(rows(&["price_per_hour"], vec![vec![0.0116.into()]])));
        host.deploy_result = Ok(Deployment { created: vec!["instance i-1".into(), "instance i-2".into()], instance_ids: vec!["i-1".into(), "i-2".into()] });
        assert_eq!(Deploy::run(&Args::default(), &mut host).unwrap(), "Deployment complete.");
        assert!(
            host.printed()[1].contains("3 x t2.micro (desired capacity of the Auto Scaling group) x $0.0116/hour = $0.0348/hour, $25.40/month"),
            "{:?}",
            host.printed()
        );
        assert_eq!(host.events.last(), Some(&Event::StreamConsole("i-1".into())));
    }

    #[test]
    fn a_refused_deployment_is_an_error() {
        let mut host = FakeHost::default();
        let err = Deploy::run(&Args::default(), &mut host).unwrap_err();
        assert_eq!(err, "not deployed in tests");
        assert!(host.printed()[1].starts_with("Cost: unknown"), "{:?}", host.printed());
    }
}
