//! enable-autoscaling: deploy through an Auto Scaling group instead of plain instances.
use aws_agent_sdk::*;

struct EnableAutoscaling;

impl Intent for EnableAutoscaling {
    fn spec() -> Spec {
        Spec::new("enable-autoscaling", "Enable autoscaling: deploy the instances through an Auto Scaling group whose sizes start from the EC2 MinCount and MaxCount.")
            .example("enable autoscaling", &[])
            .example("turn on auto scaling", &[])
            .example("use an autoscaling group", &[])
            .example("please make it scale automatically", &[])
            .example("enable auto scaling", &[])
            .example("I want automatic scaling", &[])
            .example("autoscale this", &[])
            .example("add autoscaling", &[])
            .example("scale with the load", &[])
            .example("put the instances in an auto scaling group", &[])
            .example("switch to an autoscaling group", &[])
            .example("manage the instances with an asg", &[])
            .example("let the fleet grow and shrink on its own", &[])
            .example("let aws scale the instances for me", &[])
            .example("scale out automatically under load", &[])
            .example("set up autoscaling for the instances", &[])
            .example("let the number of instances follow the traffic", &[])
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        let config = host.config();
        if config.asg.enabled {
            return Ok("Autoscaling is already enabled.".into());
        }
        // The group starts where the EC2 settings left off, so what the user chose is kept.
        let (min, max) = (config.ec2.min_count, config.ec2.max_count);
        host.update_asg(AsgUpdate {
            enabled: Some(true),
            min_size: Some(min),
            max_size: Some(max),
            desired_capacity: Some(min),
            ..Default::default()
        })?;
        Ok(format!("Autoscaling enabled: MinSize {min}, MaxSize {max}, DesiredCapacity {min}."))
    }
}

register_intent!(EnableAutoscaling);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::FakeHost;

    #[test]
    fn group_sizes_follow_the_ec2_counts() {
        let mut host = FakeHost::default();
        host.config.ec2.min_count = 2;
        host.config.ec2.max_count = 4;
        let said = EnableAutoscaling::run(&Args::default(), &mut host).unwrap();
        assert!(host.config.asg.enabled);
        assert_eq!((host.config.asg.min_size, host.config.asg.max_size, host.config.asg.desired_capacity), (2, 4, 2));
        assert_eq!(said, "Autoscaling enabled: MinSize 2, MaxSize 4, DesiredCapacity 2.");
    }

    #[test]
    fn enabling_twice_changes_nothing() {
        let mut host = FakeHost::default();
        host.config.asg.enabled = true;
        assert_eq!(EnableAutoscaling::run(&Args::default(), &mut host).unwrap(), "Autoscaling is already enabled.");
        assert!(host.events.is_empty());
    }
}
