//! show-config: the configuration and the aws CLI commands that would deploy it; or, asked
//! about one setting, that setting alone.
use aws_agent_sdk::*;

struct ShowConfig;

/// The settings a question can ask about, as the configuration table names them.
const SETTINGS: &str = "Region|InstanceType|ImageId|MinCount|MaxCount|Autoscaling|LaunchTemplateName|AvailabilityZones|VPCZoneIdentifier|MinSize|MaxSize|DesiredCapacity|KeyName|SecurityGroupIds|OperatingSystem|MarketType|SubnetId";

impl Intent for ShowConfig {
    fn spec() -> Spec {
        Spec::new("show-config", "Display the current EC2 and Auto Scaling configuration and the equivalent aws CLI commands, then offer to deploy it; or, asked about one setting, answer that setting alone.")
            .param(Param::text("setting", "The one setting asked about, as the configuration table names it").pattern(SETTINGS))
            .example("display config", &[])
            .example("show deployment settings", &[])
            .example("what have we set up so far", &[])
            .example("show me the current configuration", &[])
            .example("what's the current setup", &[])
            .example("recap the settings so far", &[])
            .example("print the config", &[])
            .example("let me review everything before deploying", &[])
            .example("what is configured right now", &[])
            .example("what are the settings", &[])
            .example("what does the configuration look like", &[])
            .example("list the current settings", &[])
            .example("what did I choose so far", &[])
            .example("summarize the configuration", &[])
            .example("show the aws cli commands", &[])
            .example("display the commands you would run", &[])
            .example("which commands will you execute", &[])
            .example("recap everything before I confirm", &[])
            .example("how does the config look now", &[])
            .example("what's in the plan right now?", &[])
            .example("which instance type am I using", &[("setting", "InstanceType".into())])
            .example("which ami is configured", &[("setting", "ImageId".into())])
            .example("what's the min count right now", &[("setting", "MinCount".into())])
            .example("what region are we in", &[("setting", "Region".into())])
            .example("what is the max size set to", &[("setting", "MaxSize".into())])
            .example("how many instances is the desired capacity", &[("setting", "DesiredCapacity".into())])
            .example("remind me which ami we picked", &[("setting", "ImageId".into())])
            .example("what is the desired capacity right now", &[("setting", "DesiredCapacity".into())])
            .example("is autoscaling enabled at the moment?", &[("setting", "Autoscaling".into())])
            .example("is autoscaling on?", &[("setting", "Autoscaling".into())])
            .example("which availability zones does the group use?", &[("setting", "AvailabilityZones".into())])
            .example("what operating system will it run?", &[("setting", "OperatingSystem".into())])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        if let Some(setting) = args.text("setting") {
            return Ok(answer(setting, host));
        }
        host.show_config();
        let commands = host.cli_commands();
        host.print(&format!("Equivalent aws CLI commands:\n{}", commands.join("\n")));
        host.propose("deploy", "Deploy this configuration? (yes/no)");
        Ok(String::new())
    }
}

/// "Region: us-east-1" — the one setting asked about.
fn answer(setting: &str, host: &mut impl Host) -> String {
    let config = host.config();
    let (e, a) = (&config.ec2, &config.asg);
    let (access, launch) = (host.access(), host.launch_options());
    let none = |v: String| if v.is_empty() { "(none)".to_string() } else { v };
    let group = |v: String| if a.enabled { v } else { format!("{v} (used once autoscaling is on; it is off)") };
    let value = match setting {
        "Region" => e.region.clone(),
        "InstanceType" => e.instance_type.clone(),
        "ImageId" => e.image_id.clone(),
        "MinCount" => e.min_count.to_string(),
        "MaxCount" => e.max_count.to_string(),
        "Autoscaling" => if a.enabled { "enabled" } else { "disabled" }.to_string(),
        "LaunchTemplateName" => group(a.launch_template_name.clone()),
        "AvailabilityZones" => group(a.availability_zones.join(", ")),
        "VPCZoneIdentifier" => group(if a.vpc_zone_identifier.is_empty() { "(the default VPC's subnets)".into() } else { a.vpc_zone_identifier.clone() }),
        "MinSize" => group(a.min_size.to_string()),
        "MaxSize" => group(a.max_size.to_string()),
        "DesiredCapacity" => group(a.desired_capacity.to_string()),
        "KeyName" => none(access.key_name.unwrap_or_default()),
        "SecurityGroupIds" => {
            if access.security_group_ids.is_empty() {
                "(the VPC's default group)".to_string()
            } else {
                access.security_group_ids.join(", ")
            }
        }
        "OperatingSystem" => launch.operating_system,
        "MarketType" => launch.market_type,
        "SubnetId" => launch.subnet_id.unwrap_or_else(|| "(the default VPC's default subnet)".into()),
        other => return format!("There is no setting called {other}; say \"show config\" for all of them."),
    };
    format!("{setting}: {value}")
}

register_intent!(ShowConfig);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::{Event, FakeHost};

    #[test]
    fn shows_config_then_commands_then_offers_to_deploy() {
        let mut host = FakeHost::default();
        ShowConfig::run(&Args::default(), &mut host).unwrap();
        assert_eq!(host.events[0], Event::ShowConfig);
        assert!(host.printed()[0].contains("aws ec2 run-instances --instance-type t2.micro"));
        assert_eq!(host.events.last(), Some(&Event::Propose("deploy".into(), "Deploy this configuration? (yes/no)".into())));
    }

    #[test]
    fn one_setting_is_answered_alone() {
        let mut host = FakeHost::default();
        assert_eq!(ShowConfig::run(&Args::of(&[("setting", "Region".into())]), &mut host).unwrap(), "Region: us-east-1");
        assert_eq!(ShowConfig::run(&Args::of(&[("setting", "Autoscaling".into())]), &mut host).unwrap(), "Autoscaling: disabled");
        let said = ShowConfig::run(&Args::of(&[("setting", "MaxSize".into())]), &mut host).unwrap();
        assert!(said.starts_with("MaxSize: 1 (used once autoscaling is on"), "{said}");
        assert!(!host.events.iter().any(|e| matches!(e, Event::ShowConfig | Event::Propose(..))), "no table, no question");
    }
}
