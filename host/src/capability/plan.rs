//! The requests a configuration deploys as, in one place: the `aws` CLI commands shown to the
//! user are printed from the same values the SDK sends (`aws/deploy.rs` reads this plan), so what
//! the user is shown is what is sent.
//!
//! `Plan` is the image, type, tags, and instances or a template and group; `cli_commands` are the
//! `aws` commands that send exactly that plan. Before deploying, a family image (the default Amazon
//! Linux 2023) is shown as `resolve:ssm:…`; after pre-flight the plan carries the resolved image
//! and subnets, and that is what `aws/deploy.rs` sends.
use super::config::{Configuration, DEFAULT_IMAGE};

/// An OS family's public SSM parameter naming its latest image for `arch` (`x86_64` or
/// `arm64`), for the ImageId values that name a family rather than an AMI. Sources: "Query for
/// the latest Amazon Linux AMI IDs using Systems Manager Parameter Store" (EC2 user guide) and
/// Canonical's "Find Ubuntu images on AWS" (`/aws/service/canonical/...`).
pub fn family_parameter(family: &str, arch: &str) -> Option<String> {
    match family {
        DEFAULT_IMAGE => Some(format!("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{arch}")),
        "ubuntu-24.04" => {
            let arch = if arch == "x86_64" { "amd64" } else { arch };
            Some(format!("/aws/service/canonical/ubuntu/server/24.04/stable/current/{arch}/hvm/ebs-gp3/ami-id"))
        }
        _ => None,
    }
}

/// The latest Amazon Linux 2023 image's parameter for `arch`: the image offered in its place
/// when a named one does not fit.
pub fn al2023_parameter(arch: &str) -> String {
    family_parameter(DEFAULT_IMAGE, arch).unwrap_or_default()
}

/// What an ImageId family value means, for show config.
pub fn family_name(family: &str) -> Option<&'static str> {
    match family {
        DEFAULT_IMAGE => Some("latest Amazon Linux 2023"),
        "ubuntu-24.04" => Some("latest Ubuntu 24.04 LTS"),
        _ => None,
    }
}

/// The tag key on everything this tool creates, so `teardown --all` can find it from any process.
/// Its value names the process that created it ([`session_id`]).
pub const SESSION_TAG: &str = "aws-agent:session";

/// This process's session id: when it started (seconds since the epoch, hex) and its pid.
pub fn session_id() -> &'static str {
    static ID: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        format!("{secs:x}-{}", std::process::id())
    });
    &ID
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub region: String,
    pub instance_type: String,
    /// An AMI id, or before pre-flight `resolve:ssm:PARAMETER` (which RunInstances and launch
    /// templates also accept on AWS).
    pub image_id: String,
    /// An existing key pair, or empty.
    pub key_name: String,
    pub security_group_ids: Vec<String>,
    /// (key, value) on every resource created.
    pub tags: Vec<(String, String)>,
    pub launch: Launch,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Launch {
    Instances {
        min_count: u32,
        max_count: u32,
    },
    Group {
        template: String,
        group: String,
        min_size: u32,
        max_size: u32,
        desired_capacity: u32,
        /// Comma-joined subnet ids; when given, the group's zones are the subnets' zones and no
        /// AvailabilityZones are sent (AWS refuses the two when they disagree).
        subnets: String,
        zones: Vec<String>,
    },
}

impl Plan {
    /// The plan before pre-flight: the default image as its SSM parameter for `arch` (the
    /// type's architecture, when known) and the zones as configured.
    pub fn of(config: &Configuration, arch: Option<&str>, session: &str) -> Plan {
        let (e, a) = (&config.ec2, &config.asg);
        let image_id = match family_parameter(&e.image_id, arch.unwrap_or("x86_64")) {
            Some(parameter) => format!("resolve:ssm:{parameter}"),
            None => e.image_id.clone(),
        };
        let launch = match a.enabled {
            false => Launch::Instances { min_count: e.min_count, max_count: e.max_count },
            true => Launch::Group {
                template: a.launch_template_name.clone(),
                group: config.group_name(),
                min_size: a.min_size,
                max_size: a.max_size,
                desired_capacity: a.desired_capacity,
                subnets: a.vpc_zone_identifier.clone(),
                zones: if a.vpc_zone_identifier.is_empty() { a.availability_zones.clone() } else { vec![] },
            },
        };
        let name = match &launch {
            Launch::Instances { .. } => "aws-agent".to_string(),
            Launch::Group { group, .. } => group.clone(),
        };
        let tags = vec![("Name".into(), name), (SESSION_TAG.into(), session.into())];
        Plan {
            region: e.region.clone(),
            instance_type: e.instance_type.clone(),
            image_id,
            key_name: e.key_name.clone(),
            security_group_ids: e.security_group_ids.clone(),
            tags,
            launch,
        }
    }

    /// `--tag-specifications` for `resource`, in the CLI's shorthand.
    fn tag_specification(&self, resource: &str) -> String {
        let tags: Vec<String> = self.tags.iter().map(|(k, v)| format!("{{Key={k},Value={v}}}")).collect();
        format!("'ResourceType={resource},Tags=[{}]'", tags.join(","))
    }

    /// `--key-name` and `--security-group-ids`, as far as the plan has them.
    fn access_options(&self) -> String {
        let mut options = String::new();
        if !self.key_name.is_empty() {
            options.push_str(&format!(" --key-name '{}'", self.key_name.replace('\'', "'\\''")));
        }
        if !self.security_group_ids.is_empty() {
            options.push_str(&format!(" --security-group-ids {}", self.security_group_ids.join(" ")));
        }
        options
    }

    /// The `aws` CLI commands that send exactly this plan.
    pub fn cli_commands(&self) -> Vec<String> {
        match &self.launch {
            Launch::Instances { min_count, max_count } => vec![format!(
                "aws ec2 run-instances --region {} --image-id {} --instance-type {} --count {min_count}:{max_count}{} --tag-specifications {}",
                self.region,
                self.image_id,
                self.instance_type,
                self.access_options(),
                self.tag_specification("instance")
            )],
            Launch::Group { template, group, min_size, max_size, desired_capacity, subnets, zones } => {
                let instance_tags: Vec<serde_json::Value> = self.tags.iter().map(|(k, v)| serde_json::json!({ "Key": k, "Value": v })).collect();
                let mut data = serde_json::json!({
                    "ImageId": self.image_id,
                    "InstanceType": self.instance_type,
                    "TagSpecifications": [{ "ResourceType": "instance", "Tags": instance_tags }],
                });
                if !self.key_name.is_empty() {
                    data["KeyName"] = self.key_name.clone().into();
                }
                if !self.security_group_ids.is_empty() {
                    data["SecurityGroupIds"] = self.security_group_ids.clone().into();
                }
                let mut group_cmd = format!(
                    "aws autoscaling create-auto-scaling-group --region {} --auto-scaling-group-name {group} --launch-template 'LaunchTemplateName={template},Version=$Latest' --min-size {min_size} --max-size {max_size} --desired-capacity {desired_capacity}",
                    self.region
                );
                match subnets.is_empty() {
                    true => group_cmd.push_str(&format!(" --availability-zones {}", zones.join(" "))),
                    false => group_cmd.push_str(&format!(" --vpc-zone-identifier {subnets}")),
                }
                let group_tags: Vec<String> = self.tags.iter().map(|(k, v)| format!("Key={k},Value={v},PropagateAtLaunch=true")).collect();
                group_cmd.push_str(&format!(" --tags {}", group_tags.join(" ")));
                vec![
                    format!(
                        "aws ec2 create-launch-template --region {} --launch-template-name {template} --launch-template-data '{}' --tag-specifications {}",
                        self.region,
                        data.to_string().replace('\'', "'\\''"),
                        self.tag_specification("launch-template")
                    ),
                    group_cmd,
                ]
            }
        }
    }
}
