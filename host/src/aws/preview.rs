//! What deploying a configuration would change, compared with the configuration the last
//! deployment was made from, and whether AWS can apply that in place.
//!
//! A group is updated the AWS way: what the launch template launches (InstanceType, ImageId,
//! KeyName, SecurityGroupIds) takes a new template version (CreateLaunchTemplateVersion); sizes,
//! subnets, zones and the purchase option are UpdateAutoScalingGroup fields (Auto Scaling API
//! reference, UpdateAutoScalingGroup). What cannot change in place: the region, the group's name
//! (it follows LaunchTemplateName), a switch between plain instances and a group, and anything of
//! plain instances, whose type, image, subnet, key pair and purchase option are fixed at launch
//! (RunInstances; changing a type needs the instance stopped, EC2 User Guide "Change the
//! instance type").
use crate::capability::config::Configuration;

pub struct Comparison {
    /// "InstanceType t2.micro → t3.micro", one per difference the requests would carry.
    pub changes: Vec<String>,
    /// Why AWS cannot apply the changes in place; empty when it can.
    pub blockers: Vec<String>,
    /// Whether the launch template needs a new version.
    pub new_version: bool,
}

fn shown(values: &[String], none: &str) -> String {
    if values.is_empty() { none.to_string() } else { values.join(", ") }
}

fn or(value: &str, none: &str) -> String {
    if value.is_empty() { none.to_string() } else { value.to_string() }
}

pub fn compare(deployed: &Configuration, wanted: &Configuration) -> Comparison {
    let (old, new) = (deployed, wanted);
    let mut changes = vec![];
    let mut differs = |name: &str, a: String, b: String| {
        let changed = a != b;
        if changed {
            changes.push(format!("{name} {a} → {b}"));
        }
        changed
    };
    let mut blockers = vec![];
    if differs("Region", old.ec2.region.clone(), new.ec2.region.clone()) {
        blockers.push("a deployment cannot move to another region".to_string());
    }
    let state = |c: &Configuration| if c.asg.enabled { "enabled" } else { "disabled" }.to_string();
    if differs("Autoscaling", state(old), state(new)) {
        blockers.push("plain instances and an Auto Scaling group are different resources".to_string());
        return Comparison { changes, blockers, new_version: false };
    }
    let (oe, ne) = (&old.ec2, &new.ec2);
    let launched = [
        differs("InstanceType", oe.instance_type.clone(), ne.instance_type.clone()),
        differs("ImageId", oe.image_id.clone(), ne.image_id.clone()),
        differs("KeyName", or(&oe.key_name, "(none)"), or(&ne.key_name, "(none)")),
        differs("SecurityGroupIds", shown(&oe.security_group_ids, "(the VPC's default)"), shown(&ne.security_group_ids, "(the VPC's default)")),
    ];
    let market = differs("MarketType", oe.market_type.clone(), ne.market_type.clone());
    let new_version = launched.contains(&true);
    if !new.asg.enabled {
        let counts =
            [differs("MinCount", oe.min_count.to_string(), ne.min_count.to_string()), differs("MaxCount", oe.max_count.to_string(), ne.max_count.to_string())];
        let subnet = differs("SubnetId", or(&oe.subnet_id, "(default VPC)"), or(&ne.subnet_id, "(default VPC)"));
        if new_version || market || subnet || counts.contains(&true) {
            blockers
                .push("AWS cannot change running instances in place: their type, image, key pair, subnet and purchase option are fixed at launch".to_string());
        }
        return Comparison { changes, blockers, new_version: false };
    }
    let (oa, na) = (&old.asg, &new.asg);
    if differs("LaunchTemplateName", oa.launch_template_name.clone(), na.launch_template_name.clone()) {
        blockers.push(format!("the group is named after its launch template, so another name is another group ({})", new.group_name()));
    }
    differs("MinSize", oa.min_size.to_string(), na.min_size.to_string());
    differs("MaxSize", oa.max_size.to_string(), na.max_size.to_string());
    differs("DesiredCapacity", oa.desired_capacity.to_string(), na.desired_capacity.to_string());
    differs("VPCZoneIdentifier", or(&oa.vpc_zone_identifier, "(default VPC subnets)"), or(&na.vpc_zone_identifier, "(default VPC subnets)"));
    if na.vpc_zone_identifier.is_empty() {
        differs("AvailabilityZones", oa.availability_zones.join(", "), na.availability_zones.join(", "));
    }
    Comparison { changes, blockers, new_version }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> Configuration {
        let mut c = Configuration::default();
        c.asg.enabled = true;
        c
    }

    #[test]
    fn the_same_configuration_changes_nothing() {
        let c = group();
        let same = compare(&c, &c.clone());
        assert!(same.changes.is_empty() && same.blockers.is_empty() && !same.new_version);
    }

    #[test]
    fn a_group_takes_sizes_types_and_spot_in_place() {
        let old = group();
        let mut new = old.clone();
        (new.asg.max_size, new.asg.desired_capacity) = (4, 3);
        new.ec2.instance_type = "t3.micro".into();
        new.ec2.market_type = "spot".into();
        let c = compare(&old, &new);
        assert!(c.blockers.is_empty(), "{:?}", c.blockers);
        assert!(c.new_version);
        assert_eq!(c.changes, ["InstanceType t2.micro → t3.micro", "MarketType on-demand → spot", "MaxSize 1 → 4", "DesiredCapacity 1 → 3"]);
    }

    #[test]
    fn plain_instances_a_region_or_a_new_name_are_replaced() {
        let old = Configuration::default();
        let mut new = old.clone();
        new.ec2.instance_type = "t3.micro".into();
        let c = compare(&old, &new);
        assert_eq!(c.changes, ["InstanceType t2.micro → t3.micro"]);
        assert!(c.blockers[0].contains("fixed at launch"), "{:?}", c.blockers);
        let mut moved = group();
        moved.ec2.region = "eu-west-1".into();
        assert!(compare(&group(), &moved).blockers[0].contains("another region"));
        let mut renamed = group();
        renamed.asg.launch_template_name = "web".into();
        assert!(compare(&group(), &renamed).blockers[0].contains("web-asg"));
        assert!(compare(&old, &group()).blockers[0].contains("different resources"));
    }
}
