//! enable-autoscaling: deploy through an Auto Scaling group instead of plain instances.
use aws_agent_sdk::*;

struct EnableAutoscaling;

impl Intent for EnableAutoscaling {
    fn spec() -> Spec {
        Spec::new("enable-autoscaling", "Enable autoscaling: deploy the instances through an Auto Scaling group. A group never sized starts from the EC2 MinCount and MaxCount; one sized before keeps its sizes.")
            .example("enable autoscaling", &[])
            .example("turn on auto scaling", &[])
            .example("turn autoscaling on", &[])
            .example("turn it back on", &[])
            .example("use an autoscaling group", &[])
            .example("please make it scale automatically", &[])
            .example("enable auto scaling", &[])
            .example("I want automatic scaling", &[])
            .example("autoscale this", &[])
            .example("add autoscaling", &[])
            .example("scale with the load", &[])
            .example("put the instances in an auto scaling group", &[])
            .example("let it scale up and down with the load", &[])
            .example("deploy it through an auto scaling group", &[])
            .example("switch to an autoscaling group", &[])
            .example("manage the instances with an asg", &[])
            .example("let the fleet grow and shrink on its own", &[])
            .example("let aws scale the instances for me", &[])
            .example("scale out automatically under load", &[])
            .example("set up autoscaling for the instances", &[])
            .example("let the number of instances follow the traffic", &[])
            .example("start more instances on their own when it gets busy", &[])
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        let config = host.config();
        let a = &config.asg;
        if a.enabled {
            return Ok("Autoscaling is already enabled.".into());
        }
        // Sizes set earlier (before autoscaling was turned off, or while it was off) are the
        // user's; a group never sized starts where the EC2 settings left off.
        let (min, max, desired) = match (a.min_size, a.max_size, a.desired_capacity) == UNSIZED {
            true => (config.ec2.min_count, config.ec2.max_count, config.ec2.min_count),
            false => (a.min_size, a.max_size, a.desired_capacity),
        };
        host.update_asg(AsgUpdate { enabled: Some(true), min_size: Some(min), max_size: Some(max), desired_capacity: Some(desired), ..Default::default() })?;
        Ok(format!("Autoscaling enabled: MinSize {min}, MaxSize {max}, DesiredCapacity {desired}."))
    }
}

/// The group's sizes before anyone sets them (the host's defaults).
const UNSIZED: (u32, u32, u32) = (1, 1, 1);

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
    fn a_group_sized_before_keeps_its_sizes() {
        let mut host = FakeHost::default();
        (host.config.asg.min_size, host.config.asg.max_size, host.config.asg.desired_capacity) = (2, 8, 3);
        let said = EnableAutoscaling::run(&Args::default(), &mut host).unwrap();
        assert_eq!((host.config.asg.min_size, host.config.asg.max_size, host.config.asg.desired_capacity), (2, 8, 3));
        assert_eq!(said, "Autoscaling enabled: MinSize 2, MaxSize 8, DesiredCapacity 3.");
    }

    #[test]
    fn enabling_twice_changes_nothing() {
        let mut host = FakeHost::default();
        host.config.asg.enabled = true;
        assert_eq!(EnableAutoscaling::run(&Args::default(), &mut host).unwrap(), "Autoscaling is already enabled.");
        assert!(host.events.is_empty());
    }
}
