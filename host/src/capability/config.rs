//! The configuration being built, and the rules every change must keep.
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ec2Config {
    pub region: String,
    pub instance_type: String,
    pub image_id: String,
    pub min_count: u32,
    pub max_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsgConfig {
    pub enabled: bool,
    pub launch_template_name: String,
    #[serde(rename = "VPCZoneIdentifier")]
    pub vpc_zone_identifier: String,
    pub availability_zones: Vec<String>,
    pub min_size: u32,
    pub max_size: u32,
    pub desired_capacity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Configuration {
    pub ec2: Ec2Config,
    pub asg: AsgConfig,
}

#[derive(Debug, Default, Clone)]
pub struct Ec2Update {
    pub region: Option<String>,
    pub instance_type: Option<String>,
    pub image_id: Option<String>,
    pub min_count: Option<u32>,
    pub max_count: Option<u32>,
}

#[derive(Debug, Default, Clone)]
pub struct AsgUpdate {
    pub enabled: Option<bool>,
    pub launch_template_name: Option<String>,
    pub vpc_zone_identifier: Option<String>,
    pub availability_zones: Option<Vec<String>>,
    pub min_size: Option<u32>,
    pub max_size: Option<u32>,
    pub desired_capacity: Option<u32>,
}

impl Default for Configuration {
    fn default() -> Self {
        Configuration::in_region(crate::catalog::DEFAULT_REGION)
    }
}

impl Configuration {
    /// The defaults, placed in `region` (its zone "a").
    pub fn in_region(region: &str) -> Self {
        Configuration {
            ec2: Ec2Config {
                region: region.into(),
                instance_type: "t2.micro".into(),
                image_id: "ami-0abcdef1234567890".into(),
                min_count: 1,
                max_count: 1,
            },
            asg: AsgConfig {
                enabled: false,
                launch_template_name: "aws-agent-template".into(),
                vpc_zone_identifier: String::new(),
                availability_zones: vec![format!("{region}a")],
                min_size: 1,
                max_size: 1,
                desired_capacity: 1,
            },
        }
    }
}

static IMAGE_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^ami-([0-9a-f]{8}|[0-9a-f]{17})$").expect("valid regex"));
static SUBNETS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^subnet-[0-9a-f]{8,17}(,subnet-[0-9a-f]{8,17})*$").expect("valid regex"));
static TEMPLATE_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z0-9()./_-]{3,128}$").expect("valid regex"));
static REGION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z]{2}(-gov)?-[a-z]+-\d$").expect("valid regex"));

/// What the configuration rules need to know about the catalog.
pub trait Facts {
    fn has_type(&mut self, instance_type: &str) -> Result<bool, String>;
    fn regions(&mut self) -> Result<Vec<String>, String>;
}

impl Configuration {
    /// The configuration with `update` applied, if it keeps every rule.
    pub fn with_ec2(&self, u: Ec2Update, facts: &mut dyn Facts) -> Result<Configuration, String> {
        let mut next = self.clone();
        let e = &mut next.ec2;
        if let Some(region) = u.region {
            if region != e.region {
                // Zones belong to a region: follow the move instead of leaving the group invalid.
                let old = std::mem::replace(&mut e.region, region);
                for zone in &mut next.asg.availability_zones {
                    if let Some(letter) = zone.strip_prefix(old.as_str()) {
                        *zone = format!("{}{letter}", e.region);
                    }
                }
            }
        }
        let e = &mut next.ec2;
        e.instance_type = u.instance_type.unwrap_or(std::mem::take(&mut e.instance_type));
        e.image_id = u.image_id.unwrap_or(std::mem::take(&mut e.image_id));
        e.min_count = u.min_count.unwrap_or(e.min_count);
        e.max_count = u.max_count.unwrap_or(e.max_count);
        next.validate(facts)?;
        Ok(next)
    }

    pub fn with_asg(&self, u: AsgUpdate, facts: &mut dyn Facts) -> Result<Configuration, String> {
        let mut next = self.clone();
        let a = &mut next.asg;
        a.enabled = u.enabled.unwrap_or(a.enabled);
        a.launch_template_name = u.launch_template_name.unwrap_or(std::mem::take(&mut a.launch_template_name));
        a.vpc_zone_identifier = u.vpc_zone_identifier.unwrap_or(std::mem::take(&mut a.vpc_zone_identifier));
        a.availability_zones = u.availability_zones.unwrap_or(std::mem::take(&mut a.availability_zones));
        a.min_size = u.min_size.unwrap_or(a.min_size);
        a.max_size = u.max_size.unwrap_or(a.max_size);
        a.desired_capacity = u.desired_capacity.unwrap_or(a.desired_capacity);
        next.validate(facts)?;
        Ok(next)
    }

    /// Every rule, checked on the whole configuration so no order of updates can slip past one.
    pub fn validate(&self, facts: &mut dyn Facts) -> Result<(), String> {
        let (e, a) = (&self.ec2, &self.asg);
        let mut problems = Vec::new();
        for (name, n) in [("MinCount", e.min_count), ("MaxCount", e.max_count), ("MinSize", a.min_size), ("MaxSize", a.max_size), ("DesiredCapacity", a.desired_capacity)] {
            if n < 1 {
                problems.push(format!("{name} must be at least 1"));
            }
        }
        if e.min_count > e.max_count {
            problems.push(format!("MinCount ({}) must not exceed MaxCount ({})", e.min_count, e.max_count));
        }
        if a.min_size > a.max_size {
            problems.push(format!("MinSize ({}) must not exceed MaxSize ({})", a.min_size, a.max_size));
        } else if a.desired_capacity < a.min_size || a.desired_capacity > a.max_size {
            problems.push(format!("DesiredCapacity ({}) must be between MinSize ({}) and MaxSize ({})", a.desired_capacity, a.min_size, a.max_size));
        }
        if !IMAGE_ID.is_match(&e.image_id) {
            problems.push(format!("ImageId {:?} is not an AMI id (ami- and 8 or 17 hex digits)", e.image_id));
        }
        if !TEMPLATE_NAME.is_match(&a.launch_template_name) {
            problems.push(format!("LaunchTemplateName {:?} must be 3 to 128 letters, digits or ()./_-", a.launch_template_name));
        }
        if !a.vpc_zone_identifier.is_empty() && !SUBNETS.is_match(&a.vpc_zone_identifier) {
            problems.push(format!("VPCZoneIdentifier {:?} must be comma-separated subnet ids", a.vpc_zone_identifier));
        }
        if a.availability_zones.is_empty() {
            problems.push("AvailabilityZones must name at least one zone".into());
        }
        for zone in &a.availability_zones {
            let letter = zone.strip_prefix(e.region.as_str());
            if !letter.is_some_and(|l| l.len() == 1 && l.chars().all(|c| c.is_ascii_lowercase())) {
                problems.push(format!("availability zone {zone:?} is not a zone of region {}", e.region));
            }
        }
        if !REGION.is_match(&e.region) {
            problems.push(format!("region {:?} is not an AWS region code", e.region));
        } else {
            let regions = facts.regions()?;
            if !regions.is_empty() && !regions.contains(&e.region) {
                problems.push(format!("the catalog has no prices for region {}", e.region));
            }
        }
        if !facts.has_type(&e.instance_type)? {
            problems.push(format!("InstanceType {} is not in the catalog", e.instance_type));
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(format!("Not changed: {}.", problems.join("; "))),
        }
    }

    /// The `aws` CLI commands that deploy this configuration.
    pub fn cli_commands(&self) -> Vec<String> {
        let (e, a) = (&self.ec2, &self.asg);
        if !a.enabled {
            return vec![format!(
                "aws ec2 run-instances --region {} --image-id {} --instance-type {} --count {}:{}",
                e.region, e.image_id, e.instance_type, e.min_count, e.max_count
            )];
        }
        let data = serde_json::json!({ "ImageId": e.image_id, "InstanceType": e.instance_type });
        let mut group = format!(
            "aws autoscaling create-auto-scaling-group --region {} --auto-scaling-group-name {} --launch-template 'LaunchTemplateName={},Version=$Latest' --min-size {} --max-size {} --desired-capacity {} --availability-zones {}",
            e.region, self.group_name(), a.launch_template_name, a.min_size, a.max_size, a.desired_capacity, a.availability_zones.join(" ")
        );
        if !a.vpc_zone_identifier.is_empty() {
            group.push_str(&format!(" --vpc-zone-identifier {}", a.vpc_zone_identifier));
        }
        vec![
            format!("aws ec2 create-launch-template --region {} --launch-template-name {} --launch-template-data '{data}'", e.region, a.launch_template_name),
            group,
        ]
    }

    /// The Auto Scaling group is named after its template, so one name identifies a deployment.
    pub fn group_name(&self) -> String {
        format!("{}-asg", self.asg.launch_template_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Known;
    impl Facts for Known {
        fn has_type(&mut self, t: &str) -> Result<bool, String> {
            Ok(["t2.micro", "m5.large"].contains(&t))
        }
        fn regions(&mut self) -> Result<Vec<String>, String> {
            Ok(vec!["us-east-1".into(), "eu-west-1".into()])
        }
    }

    #[test]
    fn default_is_valid() {
        Configuration::default().validate(&mut Known).unwrap();
    }

    #[test]
    fn counts_and_sizes_keep_their_order() {
        let c = Configuration::default();
        let err = c.with_ec2(Ec2Update { min_count: Some(3), ..Default::default() }, &mut Known).unwrap_err();
        assert_eq!(err, "Not changed: MinCount (3) must not exceed MaxCount (1).");
        let ok = c.with_ec2(Ec2Update { min_count: Some(2), max_count: Some(4), ..Default::default() }, &mut Known).unwrap();
        assert_eq!((ok.ec2.min_count, ok.ec2.max_count), (2, 4));
        let err = ok.with_asg(AsgUpdate { max_size: Some(4), desired_capacity: Some(5), ..Default::default() }, &mut Known).unwrap_err();
        assert_eq!(err, "Not changed: DesiredCapacity (5) must be between MinSize (1) and MaxSize (4).");
        let err = ok.with_asg(AsgUpdate { min_size: Some(0), ..Default::default() }, &mut Known).unwrap_err();
        assert!(err.contains("MinSize must be at least 1"), "{err}");
    }

    #[test]
    fn values_must_have_their_shape_and_exist() {
        let c = Configuration::default();
        let bad = Ec2Update { instance_type: Some("t3.nonsense".into()), image_id: Some("ami-xyz".into()), ..Default::default() };
        let err = c.with_ec2(bad, &mut Known).unwrap_err();
        assert!(err.contains("InstanceType t3.nonsense is not in the catalog"), "{err}");
        assert!(err.contains("ImageId \"ami-xyz\" is not an AMI id"), "{err}");
        let err = c.with_asg(AsgUpdate { availability_zones: Some(vec!["eu-west-1a".into()]), ..Default::default() }, &mut Known).unwrap_err();
        assert!(err.contains("\"eu-west-1a\" is not a zone of region us-east-1"), "{err}");
        let err = c.with_ec2(Ec2Update { region: Some("ap-mars-1".into()), ..Default::default() }, &mut Known).unwrap_err();
        assert!(err.contains("no prices for region ap-mars-1"), "{err}");
    }

    #[test]
    fn zones_follow_a_region_change() {
        let c = Configuration::default();
        let moved = c.with_ec2(Ec2Update { region: Some("eu-west-1".into()), ..Default::default() }, &mut Known).unwrap();
        assert_eq!(moved.asg.availability_zones, ["eu-west-1a"]);
    }

    #[test]
    fn cli_commands_match_the_mode() {
        let mut c = Configuration::default();
        assert_eq!(c.cli_commands(), ["aws ec2 run-instances --region us-east-1 --image-id ami-0abcdef1234567890 --instance-type t2.micro --count 1:1"]);
        c.asg.enabled = true;
        let cmds = c.cli_commands();
        assert!(cmds[0].contains(r#"--launch-template-data '{"ImageId":"ami-0abcdef1234567890","InstanceType":"t2.micro"}'"#), "{}", cmds[0]);
        assert!(cmds[1].contains("--auto-scaling-group-name aws-agent-template-asg"), "{}", cmds[1]);
        assert!(cmds[1].contains("--min-size 1 --max-size 1 --desired-capacity 1 --availability-zones us-east-1a"), "{}", cmds[1]);
    }
}

#[cfg(test)]
mod sdk_agreement {
    use super::Configuration;

    /// Plugin authors test against the SDK's copy of the defaults; it must not drift from ours.
    #[test]
    fn the_sdk_fake_host_starts_from_the_same_configuration() {
        let ours = Configuration::default();
        let theirs = aws_agent_sdk::testing::default_config();
        let (e, a) = (&theirs.ec2, &theirs.asg);
        assert_eq!(
            (e.region.as_str(), e.instance_type.as_str(), e.image_id.as_str(), e.min_count, e.max_count),
            (ours.ec2.region.as_str(), ours.ec2.instance_type.as_str(), ours.ec2.image_id.as_str(), ours.ec2.min_count, ours.ec2.max_count)
        );
        assert_eq!(
            (a.enabled, a.launch_template_name.as_str(), a.vpc_zone_identifier.as_str(), &a.availability_zones, a.min_size, a.max_size, a.desired_capacity),
            (ours.asg.enabled, ours.asg.launch_template_name.as_str(), ours.asg.vpc_zone_identifier.as_str(), &ours.asg.availability_zones, ours.asg.min_size, ours.asg.max_size, ours.asg.desired_capacity)
        );
    }
}
