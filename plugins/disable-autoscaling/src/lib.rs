//! disable-autoscaling: launch plain instances again, keeping the group's settings for later.
use aws_agent_sdk::*;

struct DisableAutoscaling;

impl Intent for DisableAutoscaling {
    fn spec() -> Spec {
        Spec::new("disable-autoscaling", "Disable autoscaling: deploy plain instances (MinCount, MaxCount) instead of an Auto Scaling group. The group's settings are kept for when autoscaling is enabled again.")
            .example("turn autoscaling off", &[])
            .example("disable autoscaling", &[])
            .example("no autoscaling after all", &[])
            .example("turn off auto scaling", &[])
            .example("actually, I don't want an autoscaling group", &[])
            .example("switch autoscaling off", &[])
            .example("drop autoscaling", &[])
            .example("disable auto scaling", &[])
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        let config = host.config();
        if !config.asg.enabled {
            return Ok("Autoscaling is already off.".into());
        }
        host.update_asg(AsgUpdate { enabled: Some(false), ..Default::default() })?;
        let (e, a) = (&config.ec2, &config.asg);
        Ok(format!(
            "Autoscaling disabled: deploying launches MinCount {} to MaxCount {} instances. The group's settings (MinSize {}, MaxSize {}, DesiredCapacity {}) are kept for when you enable it again.",
            e.min_count, e.max_count, a.min_size, a.max_size, a.desired_capacity
        ))
    }
}

register_intent!(DisableAutoscaling);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_agent_sdk::testing::FakeHost;

    #[test]
    fn turns_the_group_off_and_keeps_its_sizes() {
        let mut host = FakeHost::default();
        host.config.asg.enabled = true;
        host.config.asg.max_size = 4;
        let said = DisableAutoscaling::run(&Args::default(), &mut host).unwrap();
        assert!(!host.config.asg.enabled);
        assert_eq!(host.config.asg.max_size, 4);
        assert!(said.contains("MaxSize 4"), "{said}");
    }

    #[test]
    fn already_off_changes_nothing() {
        let mut host = FakeHost::default();
        assert_eq!(DisableAutoscaling::run(&Args::default(), &mut host).unwrap(), "Autoscaling is already off.");
        assert!(host.events.is_empty());
    }
}
