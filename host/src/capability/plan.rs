//! The requests a configuration deploys as, in one place: the `aws` CLI commands shown to the
//! user are printed from the same values the SDK sends (`aws/deploy.rs` reads this plan), so what
//! the user is shown is what is sent.
//!
//! `Plan` is the image, type, tags, purchase option, and instances or a template and group;
//! `cli_commands` are the `aws` commands that send exactly that plan, and `capability/export.rs`
//! writes the same plan as a CloudFormation or Terraform template. Before deploying, a family
//! image (the default Amazon Linux 2023) is shown as `resolve:ssm:…`; after pre-flight the plan
//! carries the resolved image and subnets, and that is what `aws/deploy.rs` sends.
//!
//! Spot: plain instances ask for it with RunInstances `InstanceMarketOptions` (`MarketType`
//! spot); a group with a mixed instances policy whose instances distribution is all Spot
//! (`OnDemandBaseCapacity` 0, `OnDemandPercentageAboveBaseCapacity` 0), the way the Amazon EC2
//! Auto Scaling User Guide documents Spot for a group ("Auto Scaling groups with multiple
//! instance types and purchase options"); the launch template itself then carries no market
//! options, as that guide requires of templates used in a mixed instances policy.
use super::config::{Configuration, DEFAULT_IMAGE};

/// An OS family's public SSM parameter naming its latest image for `arch` (`x86_64` or
/// `arm64`), for the ImageId values that name a family rather than an AMI. Sources: "Query for
/// the latest Amazon Linux AMI IDs using Systems Manager Parameter Store" (EC2 user guide),
/// Canonical's "Find Ubuntu images on AWS" (`/aws/service/canonical/...`) and "Query for the
/// latest Windows AMI using Systems Manager Parameter Store" (EC2 Windows guide; Windows Server
/// is x86_64 only, so `arch` does not enter its name).
pub fn family_parameter(family: &str, arch: &str) -> Option<String> {
    match family {
        DEFAULT_IMAGE => Some(format!("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{arch}")),
        "ubuntu-24.04" => {
            let arch = if arch == "x86_64" { "amd64" } else { arch };
            Some(format!("/aws/service/canonical/ubuntu/server/24.04/stable/current/{arch}/hvm/ebs-gp3/ami-id"))
        }
        "windows-2022" => Some("/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base".into()),
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
        "windows-2022" => Some("latest Windows Server 2022 (English, full base)"),
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
    /// Spot instead of on-demand (see the module doc for how each launch asks for it).
    pub spot: bool,
    /// What the instances run ("Linux", "Windows", "RHEL", "SUSE"); not sent, but what
    /// pre-flight checks a named image against and what the instances are priced for.
    pub operating_system: String,
    pub launch: Launch,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Launch {
    Instances {
        min_count: u32,
        max_count: u32,
        /// RunInstances `SubnetId`; empty for the default VPC's default subnet.
        subnet_id: String,
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
            false => Launch::Instances { min_count: e.min_count, max_count: e.max_count, subnet_id: e.subnet_id.clone() },
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
            spot: e.market_type == "spot",
            operating_system: e.operating_system.clone(),
            launch,
        }
    }

    /// The mixed instances policy a Spot group is created with: the launch template, and an
    /// instances distribution that is all Spot, in the JSON shape of the Auto Scaling API
    /// (`MixedInstancesPolicy`); `SpotAllocationStrategy` price-capacity-optimized is what the
    /// Auto Scaling User Guide recommends.
    pub fn mixed_instances_policy(template: &str) -> serde_json::Value {
        serde_json::json!({
            "LaunchTemplate": {"LaunchTemplateSpecification": {"LaunchTemplateName": template, "Version": "$Latest"}},
            "InstancesDistribution": {"OnDemandBaseCapacity": 0, "OnDemandPercentageAboveBaseCapacity": 0, "SpotAllocationStrategy": "price-capacity-optimized"},
        })
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
            Launch::Instances { min_count, max_count, subnet_id } => {
                let mut options = self.access_options();
                if !subnet_id.is_empty() {
                    options.push_str(&format!(" --subnet-id {subnet_id}"));
                }
                if self.spot {
                    options.push_str(r#" --instance-market-options '{"MarketType":"spot"}'"#);
                }
                vec![format!(
                    "aws ec2 run-instances --region {} --image-id {} --instance-type {} --count {min_count}:{max_count}{options} --tag-specifications {}",
                    self.region,
                    self.image_id,
                    self.instance_type,
                    self.tag_specification("instance")
                )]
            }
            Launch::Group { template, group, min_size, max_size, desired_capacity, subnets, zones } => {
                let mut group_cmd = format!(
                    "aws autoscaling create-auto-scaling-group --region {} --auto-scaling-group-name {group} {} --min-size {min_size} --max-size {max_size} --desired-capacity {desired_capacity}",
                    self.region,
                    self.group_launch(template)
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
                        self.template_data_json(),
                        self.tag_specification("launch-template")
                    ),
                    group_cmd,
                ]
            }
        }
    }

    /// The `aws` CLI commands that change a deployed group in place to this plan: a new launch
    /// template version when what it launches changed (`new_version`), then the group update.
    /// Empty for plain instances, which are never updated in place.
    pub fn update_commands(&self, new_version: bool) -> Vec<String> {
        let Launch::Group { template, group, min_size, max_size, desired_capacity, subnets, .. } = &self.launch else { return vec![] };
        let mut commands = vec![];
        if new_version {
            commands.push(format!(
                "aws ec2 create-launch-template-version --region {} --launch-template-name {template} --launch-template-data '{}'",
                self.region,
                self.template_data_json()
            ));
        }
        commands.push(format!(
            "aws autoscaling update-auto-scaling-group --region {} --auto-scaling-group-name {group} {} --min-size {min_size} --max-size {max_size} --desired-capacity {desired_capacity} --vpc-zone-identifier {subnets}",
            self.region,
            self.group_launch(template)
        ));
        commands
    }

    /// The launch template data (CreateLaunchTemplate `LaunchTemplateData`) as the CLI takes
    /// it, quoted for a single-quoted shell word.
    fn template_data_json(&self) -> String {
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
        data.to_string().replace('\'', "'\\''")
    }

    /// How a group launches, as CLI options: its template, or for Spot the all-Spot policy.
    fn group_launch(&self, template: &str) -> String {
        match self.spot {
            true => format!("--mixed-instances-policy '{}'", Plan::mixed_instances_policy(template)),
            false => format!("--launch-template 'LaunchTemplateName={template},Version=$Latest'"),
        }
    }
}
