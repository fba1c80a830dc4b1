//! modify-asg: change the Auto Scaling group part of the configuration.
use aws_agent_sdk::*;

struct ModifyAsg;

const ZONE: &str = r"[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]";

impl Intent for ModifyAsg {
    fn spec() -> Spec {
        Spec::new("modify-asg", "Modify the Auto Scaling group configuration: launch template name, subnets (VPCZoneIdentifier), availability zones, and the group's MinSize, MaxSize and DesiredCapacity.")
            .param(Param::text("LaunchTemplateName", "Name of the launch template").pattern(r"[A-Za-z0-9()./_-]{3,128}").synonyms(&["launch template name", "launch template", "template name", "template", "lt name", "lt"]))
            .param(Param::text("VPCZoneIdentifier", "Comma-separated subnet ids").pattern(r"subnet-[0-9a-f]{8,17}(,subnet-[0-9a-f]{8,17})*").synonyms(&["vpc zone identifier", "subnets", "subnet"]))
            .param(Param::text_list("AvailabilityZones", "Availability zones of the group").pattern(ZONE).synonyms(&["availability zones", "availability zone", "zones", "zone", "azs"]))
            .param(Param::int("MinSize", "Minimum size of the group").synonyms(&["min size", "minimum size", "minsize", "min group size", "minimum group size", "group min", "min", "minimum", "floor"]))
            .param(Param::int("MaxSize", "Maximum size of the group").synonyms(&["max size", "maximum size", "maxsize", "max group size", "maximum group size", "group max", "max", "maximum", "ceiling"]))
            .param(Param::int("DesiredCapacity", "Desired capacity of the group").synonyms(&["desired capacity", "desired size", "desired count", "desired instances", "target capacity", "desired"]))
            .example("change desired capacity to 5 and launch template name to test", &[("DesiredCapacity", 5.into()), ("LaunchTemplateName", "test".into())])
            .example("min size 3 max size 9 desired capacity 5", &[("MinSize", 3.into()), ("MaxSize", 9.into()), ("DesiredCapacity", 5.into())])
            .example("use availability zones us-east-1a and us-east-1b", &[("AvailabilityZones", ["us-east-1a", "us-east-1b"].as_slice().into())])
            .example("set the subnet to subnet-0123abcd", &[("VPCZoneIdentifier", "subnet-0123abcd".into())])
            .example("keep between 2 and 8 instances in the group", &[("MinSize", 2.into()), ("MaxSize", 8.into())])
            .example("from 1 to 3 instances with 2 desired", &[("MinSize", 1.into()), ("MaxSize", 3.into()), ("DesiredCapacity", 2.into())])
            .example("the group should never go below 2 instances", &[("MinSize", 2.into())])
            .example("never more than 10 instances in the auto scaling group", &[("MaxSize", 10.into())])
            .example("scale out to at most 12 instances", &[("MaxSize", 12.into())])
            .example("keep at least 3 instances running in the group", &[("MinSize", 3.into())])
            .example("set the asg min to 1 and max to 6", &[("MinSize", 1.into()), ("MaxSize", 6.into())])
            .example("normally run 4 instances in the asg", &[("DesiredCapacity", 4.into())])
            .example("use the launch template web-prod", &[("LaunchTemplateName", "web-prod".into())])
            .example("put the group in subnet-0a1b2c3d and subnet-0e1f2a3b", &[("VPCZoneIdentifier", "subnet-0a1b2c3d,subnet-0e1f2a3b".into())])
            .example("keep the group in us-west-2b", &[("AvailabilityZones", ["us-west-2b"].as_slice().into())])
            .example("set the availability zone to eu-west-1c", &[("AvailabilityZones", ["eu-west-1c"].as_slice().into())])
            .example("spread it across ap-south-1a, ap-south-1b and ap-south-1c", &[("AvailabilityZones", ["ap-south-1a", "ap-south-1b", "ap-south-1c"].as_slice().into())])
            .example("the asg can scale from 2 to 10 instances", &[("MinSize", 2.into()), ("MaxSize", 10.into())])
            .example("cap the group size at 15", &[("MaxSize", 15.into())])
            .example("normally 3 instances, at least 2 and at most 8", &[("DesiredCapacity", 3.into()), ("MinSize", 2.into()), ("MaxSize", 8.into())])
            .example("the group must stay between 1 and 4 instances", &[("MinSize", 1.into()), ("MaxSize", 4.into())])
    }

    fn run(args: &Args, host: &mut impl Host) -> Result<String, String> {
        let update = AsgUpdate {
            launch_template_name: args.text("LaunchTemplateName").map(String::from),
            vpc_zone_identifier: args.text("VPCZoneIdentifier").map(String::from),
            availability_zones: args.list("AvailabilityZones").map(<[String]>::to_vec),
            min_size: args.size("MinSize")?,
            max_size: args.size("MaxSize")?,
            desired_capacity: args.size("DesiredCapacity")?,
            ..Default::default()
        };
        if update == AsgUpdate::default() {
            return Err("Say what to change: LaunchTemplateName, VPCZoneIdentifier, AvailabilityZones, MinSize, MaxSize or DesiredCapacity.".into());
        }
        let config = host.update_asg(update)?;
        if !config.asg.enabled {
            return Ok("Auto Scaling settings updated; autoscaling is off, say \"enable autoscaling\" to use them.".into());
        }
        Ok("Auto Scaling configuration updated.".into())
    }
}

register_intent!(ModifyAsg);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::FakeHost;

    #[test]
    fn applies_sizes_and_names_together() {
        let mut host = FakeHost::default();
        host.config.asg.enabled = true;
        let args = Args::of(&[
            ("DesiredCapacity", 5.into()),
            ("LaunchTemplateName", "test".into()),
            ("AvailabilityZones", ["eu-west-1a", "eu-west-1c"].as_slice().into()),
        ]);
        assert_eq!(ModifyAsg::run(&args, &mut host).unwrap(), "Auto Scaling configuration updated.");
        assert_eq!(host.config.asg.desired_capacity, 5);
        assert_eq!(host.config.asg.launch_template_name, "test");
        assert_eq!(host.config.asg.availability_zones, ["eu-west-1a", "eu-west-1c"]);
    }

    #[test]
    fn says_when_autoscaling_is_off() {
        let mut host = FakeHost::default();
        let said = ModifyAsg::run(&Args::of(&[("MinSize", 2.into())]), &mut host).unwrap();
        assert!(said.contains("enable autoscaling"), "{said}");
    }

    #[test]
    fn refusal_passes_through() {
        let mut host = FakeHost { refuse_updates: Some("DesiredCapacity 5 is above MaxSize 4".into()), ..Default::default() };
        let err = ModifyAsg::run(&Args::of(&[("DesiredCapacity", 5.into())]), &mut host).unwrap_err();
        assert_eq!(err, "DesiredCapacity 5 is above MaxSize 4");
    }
}
