//! Drift: where what this session deployed, as AWS describes it now, differs from the session's
//! configuration. Each difference is one line naming the resource, the field (its AWS name),
//! the value on AWS and the configured one; a deployed resource that is gone is a line too.
use crate::capability::aws::{Deployed, Inventory, Resource};
use crate::capability::config::Configuration;

pub fn drift(deployed: &[&Deployed], found: &Inventory, config: &Configuration, searched: &[String]) -> Vec<String> {
    let mut lines = vec![];
    for d in deployed {
        for r in d.resources.iter().filter(|r| searched.iter().any(|s| s == r.region())) {
            let region = r.region();
            match r {
                Resource::Group { name, .. } => {
                    let Some(g) = found.groups.iter().find(|g| &g.name == name && g.region == region) else {
                        lines.push(format!("Auto Scaling group {name} ({region}): deployed by this session, not found on AWS (deleted outside it?)"));
                        continue;
                    };
                    let a = &config.asg;
                    if !a.enabled || config.group_name() != *name || config.ec2.region != region {
                        lines.push(format!("Auto Scaling group {name} ({region}): runs, but the configuration no longer describes it (autoscaling off, another template name or region)"));
                        continue;
                    }
                    let mut differ = |field: &str, on_aws: String, configured: String| {
                        if on_aws != configured {
                            lines.push(format!("Auto Scaling group {name} ({region}): {field} {on_aws} on AWS, {configured} in the configuration"));
                        }
                    };
                    differ("MinSize", g.min_size.to_string(), a.min_size.to_string());
                    differ("MaxSize", g.max_size.to_string(), a.max_size.to_string());
                    differ("DesiredCapacity", g.desired_capacity.to_string(), a.desired_capacity.to_string());
                    differ("MarketType", if g.spot { "spot" } else { "on-demand" }.into(), config.ec2.market_type.clone());
                    let template = g.launch_template.as_deref().and_then(|t| found.templates.iter().find(|x| x.name == t && x.region == region));
                    if let Some(t) = template {
                        differ(
                            &format!("InstanceType (launch template {} version {})", t.name, t.latest_version),
                            t.instance_type.clone(),
                            config.ec2.instance_type.clone(),
                        );
                    }
                }
                Resource::Instance { id, .. } => {
                    let Some(i) = found.instances.iter().find(|i| &i.instance_id == id) else {
                        lines.push(format!("instance {id} ({region}): deployed by this session, not running on AWS (terminated or deleted outside it?)"));
                        continue;
                    };
                    if config.asg.enabled || config.ec2.region != region {
                        lines.push(format!("instance {id} ({region}): runs, but the configuration no longer describes it (autoscaling on, or another region)"));
                        continue;
                    }
                    if i.instance_type != config.ec2.instance_type {
                        lines.push(format!(
                            "instance {id} ({region}): InstanceType {} on AWS, {} in the configuration",
                            i.instance_type, config.ec2.instance_type
                        ));
                    }
                    if i.state != "running" && i.state != "pending" {
                        lines.push(format!("instance {id} ({region}): {} on AWS, deployed running", i.state));
                    }
                }
                Resource::LaunchTemplate { name, .. } => {
                    if !found.templates.iter().any(|t| &t.name == name && t.region == region) {
                        lines.push(format!("launch template {name} ({region}): deployed by this session, not found on AWS (deleted outside it?)"));
                    }
                }
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capability::aws::TaggedGroup;

    #[test]
    fn a_group_resized_outside_the_session_is_named_field_by_field() {
        let mut config = Configuration::default();
        config.asg.enabled = true;
        let name = config.group_name();
        let deployed = Deployed {
            target: "x".into(),
            config: config.clone(),
            resources: vec![
                Resource::Group { region: "us-east-1".into(), name: name.clone() },
                Resource::Instance { region: "us-east-1".into(), id: "i-1".into() },
            ],
            instance_ids: vec![],
        };
        let group = TaggedGroup {
            region: "us-east-1".into(),
            name,
            min_size: 1,
            max_size: 3,
            desired_capacity: 3,
            instance_ids: vec![],
            launch_template: None,
            subnets: String::new(),
            zones: vec![],
            spot: false,
        };
        let found = Inventory { groups: vec![group], ..Default::default() };
        let lines = drift(&[&deployed], &found, &config, &["us-east-1".into()]);
        assert_eq!(
            lines,
            [
                "Auto Scaling group aws-agent-template-asg (us-east-1): MaxSize 3 on AWS, 1 in the configuration",
                "Auto Scaling group aws-agent-template-asg (us-east-1): DesiredCapacity 3 on AWS, 1 in the configuration",
                "instance i-1 (us-east-1): deployed by this session, not running on AWS (terminated or deleted outside it?)"
            ]
            .map(String::from)
        );
        assert!(drift(&[&deployed], &found, &config, &["eu-west-1".into()]).is_empty(), "regions not searched say nothing");
    }
}
