//! The configuration as infrastructure as code, written from the same [`Plan`] a deploy sends, so
//! a template and a deploy never disagree: CloudFormation (a JSON template) and Terraform (HCL for
//! the hashicorp/aws provider).
//!
//! What a reviewer is likely to change is a parameter (CloudFormation `Parameters`, Terraform
//! `variable`s): the instance type, the image (as AWS's public SSM parameter where the default
//! image is used: `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`, or the `aws_ssm_parameter`
//! data source), the key pair, security groups, subnets or zones, group sizes, and for Terraform
//! the region (a CloudFormation stack's region is where it is created; the template says which it
//! was made for). Resources and arguments use the names of the CloudFormation resource reference
//! (`AWS::EC2::Instance`, `AWS::EC2::LaunchTemplate`, `AWS::AutoScaling::AutoScalingGroup`) and of
//! the Terraform AWS provider (`aws_instance`, `aws_launch_template`, `aws_autoscaling_group`).
//! Spot: a plain instance asks for it through a launch template's `InstanceMarketOptions`
//! (`AWS::EC2::Instance` has no such property; `aws_instance` has `instance_market_options`); a
//! group through its mixed instances policy, as `plan.rs` sends it.
use super::plan::{Launch, Plan};
use serde_json::{Value, json};

/// The most plain instances one template declares: CloudFormation declares each instance as a
/// resource of its own (a group is the way to run many).
const MOST_INSTANCES: u32 = 50;

/// `format` is "cloudformation" or "terraform".
pub fn template(plan: &Plan, format: &str) -> Result<String, String> {
    match format {
        "cloudformation" => cloudformation(plan),
        "terraform" => Ok(terraform(plan)),
        other => Err(format!("cannot export as {other:?}: the formats are cloudformation and terraform")),
    }
}

/// The image as the plan shows it before pre-flight: `resolve:ssm:PARAMETER` or an AMI id.
fn ssm_parameter(plan: &Plan) -> Option<&str> {
    plan.image_id.strip_prefix("resolve:ssm:")
}

fn cfn_tags(plan: &Plan) -> Value {
    Value::Array(plan.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())
}

pub fn cloudformation(plan: &Plan) -> Result<String, String> {
    let mut parameters = serde_json::Map::new();
    parameters.insert("InstanceType".into(), json!({"Type": "String", "Default": plan.instance_type, "Description": "EC2 instance type"}));
    let image = match ssm_parameter(plan) {
        Some(name) => {
            json!({"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": name, "Description": "The image, read from AWS's public SSM parameter when the stack is created"})
        }
        None => json!({"Type": "AWS::EC2::Image::Id", "Default": plan.image_id, "Description": "The image (AMI id)"}),
    };
    parameters.insert("ImageId".into(), image);
    let mut launch_data = serde_json::Map::new();
    launch_data.insert("ImageId".into(), json!({"Ref": "ImageId"}));
    launch_data.insert("InstanceType".into(), json!({"Ref": "InstanceType"}));
    if !plan.key_name.is_empty() {
        parameters.insert("KeyName".into(), json!({"Type": "AWS::EC2::KeyPair::KeyName", "Default": plan.key_name, "Description": "An existing EC2 key pair"}));
        launch_data.insert("KeyName".into(), json!({"Ref": "KeyName"}));
    }
    if !plan.security_group_ids.is_empty() {
        parameters.insert(
            "SecurityGroupIds".into(),
            json!({"Type": "List<AWS::EC2::SecurityGroup::Id>", "Default": plan.security_group_ids.join(","), "Description": "Existing security groups"}),
        );
        launch_data.insert("SecurityGroupIds".into(), json!({"Ref": "SecurityGroupIds"}));
    }
    let mut resources = serde_json::Map::new();
    let mut outputs = serde_json::Map::new();
    match &plan.launch {
        Launch::Instances { min_count: _, max_count, subnet_id } => {
            if *max_count > MOST_INSTANCES {
                return Err(format!(
                    "MaxCount {max_count} is more instances than one template declares ({MOST_INSTANCES}); export a group instead (\"enable autoscaling\")"
                ));
            }
            let mut properties = launch_data.clone();
            if !subnet_id.is_empty() {
                parameters.insert(
                    "SubnetId".into(),
                    json!({"Type": "AWS::EC2::Subnet::Id", "Default": subnet_id, "Description": "The subnet the instances launch into"}),
                );
                properties.insert("SubnetId".into(), json!({"Ref": "SubnetId"}));
            }
            properties.insert("Tags".into(), cfn_tags(plan));
            if plan.spot {
                resources.insert(
                    "SpotOptions".into(),
                    json!({"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceMarketOptions": {"MarketType": "spot"}}}}),
                );
                properties.insert(
                    "LaunchTemplate".into(),
                    json!({"LaunchTemplateId": {"Ref": "SpotOptions"}, "Version": {"Fn::GetAtt": ["SpotOptions", "LatestVersionNumber"]}}),
                );
            }
            for n in 1..=*max_count {
                let name = format!("Instance{n}");
                resources.insert(name.clone(), json!({"Type": "AWS::EC2::Instance", "Properties": properties}));
                outputs.insert(format!("{name}Id"), json!({"Description": format!("The id of instance {n}"), "Value": {"Ref": name}}));
            }
        }
        Launch::Group { template, group, min_size, max_size, desired_capacity, subnets, zones } => {
            for (name, value) in [("MinSize", min_size), ("MaxSize", max_size), ("DesiredCapacity", desired_capacity)] {
                parameters.insert(name.into(), json!({"Type": "Number", "Default": value.to_string(), "Description": format!("The group's {name}")}));
            }
            let mut data = launch_data.clone();
            data.insert("TagSpecifications".into(), json!([{"ResourceType": "instance", "Tags": cfn_tags(plan)}]));
            resources.insert(
                "LaunchTemplate".into(),
                json!({"Type": "AWS::EC2::LaunchTemplate", "Properties": {
                    "LaunchTemplateName": template,
                    "LaunchTemplateData": data,
                    "TagSpecifications": [{"ResourceType": "launch-template", "Tags": cfn_tags(plan)}],
                }}),
            );
            let version = json!({"LaunchTemplateId": {"Ref": "LaunchTemplate"}, "Version": {"Fn::GetAtt": ["LaunchTemplate", "LatestVersionNumber"]}});
            let tags: Vec<Value> = plan.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v, "PropagateAtLaunch": true})).collect();
            let mut properties = json!({
                "AutoScalingGroupName": group,
                "MinSize": {"Ref": "MinSize"},
                "MaxSize": {"Ref": "MaxSize"},
                "DesiredCapacity": {"Ref": "DesiredCapacity"},
                "Tags": tags,
            });
            match plan.spot {
                true => {
                    let mut policy = Plan::mixed_instances_policy(template);
                    policy["LaunchTemplate"]["LaunchTemplateSpecification"] = version;
                    properties["MixedInstancesPolicy"] = policy;
                }
                false => properties["LaunchTemplate"] = version,
            }
            match subnets.is_empty() {
                true => {
                    parameters.insert(
                        "AvailabilityZones".into(),
                        json!({"Type": "List<AWS::EC2::AvailabilityZone::Name>", "Default": zones.join(","), "Description": "The zones the group launches in (the default VPC's subnets there)"}),
                    );
                    properties["AvailabilityZones"] = json!({"Ref": "AvailabilityZones"});
                }
                false => {
                    parameters.insert(
                        "Subnets".into(),
                        json!({"Type": "List<AWS::EC2::Subnet::Id>", "Default": subnets, "Description": "The subnets the group launches in (their zones place it)"}),
                    );
                    properties["VPCZoneIdentifier"] = json!({"Ref": "Subnets"});
                }
            }
            resources.insert("Group".into(), json!({"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": properties}));
            outputs.insert("LaunchTemplateId".into(), json!({"Description": "The launch template's id", "Value": {"Ref": "LaunchTemplate"}}));
            outputs.insert("AutoScalingGroupName".into(), json!({"Description": "The Auto Scaling group's name", "Value": {"Ref": "Group"}}));
        }
    }
    let description = format!("aws-agent: {}, made for region {} (its zones, subnets and image are that region's).", what(plan), plan.region);
    let document = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": description,
        "Parameters": parameters,
        "Resources": resources,
        "Outputs": outputs,
    });
    serde_json::to_string_pretty(&document).map_err(|e| format!("cannot write the template: {e}"))
}

/// What the plan runs, in words.
fn what(plan: &Plan) -> String {
    let market = if plan.spot { "Spot " } else { "" };
    match &plan.launch {
        Launch::Instances { max_count, .. } => format!("{max_count} {market}{} instance(s)", plan.instance_type),
        Launch::Group { group, .. } => format!("Auto Scaling group {group} of {market}{}", plan.instance_type),
    }
}

/// A string as an HCL quoted template: `"`, `\` and the template sequences `${` and `%{` escaped
/// (Terraform language, "Strings and Templates").
fn hcl(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace("${", "$${").replace("%{", "%%{");
    format!("\"{escaped}\"")
}

fn hcl_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|i| hcl(i)).collect::<Vec<_>>().join(", "))
}

/// The plan's tags as an HCL map whose closing brace is indented by `indent` spaces.
fn hcl_tags(plan: &Plan, indent: usize) -> String {
    let inner = " ".repeat(indent + 2);
    let pairs: Vec<String> = plan.tags.iter().map(|(k, v)| format!("{inner}{} = {}", hcl(k), hcl(v))).collect();
    format!("{{\n{}\n{}}}", pairs.join("\n"), " ".repeat(indent))
}

fn variable(name: &str, kind: &str, default: &str, description: &str) -> String {
    format!("variable \"{name}\" {{\n  type        = {kind}\n  default     = {default}\n  description = {}\n}}\n", hcl(description))
}

pub fn terraform(plan: &Plan) -> String {
    let mut out = format!(
        "# aws-agent: {} in {}.\n# No terraform binary was run on this; `terraform init && terraform plan` checks it against your account.\n\n",
        what(plan),
        plan.region
    );
    out.push_str("terraform {\n  required_providers {\n    aws = {\n      source = \"hashicorp/aws\"\n    }\n  }\n}\n\n");
    out.push_str("provider \"aws\" {\n  region = var.region\n}\n\n");
    out.push_str(&variable("region", "string", &hcl(&plan.region), "The AWS region (its zones, subnets and image ids are that region's)"));
    out.push('\n');
    out.push_str(&variable("instance_type", "string", &hcl(&plan.instance_type), "EC2 instance type"));
    out.push('\n');
    let image = match ssm_parameter(plan) {
        Some(name) => {
            out.push_str(&variable("image_parameter", "string", &hcl(name), "AWS's public SSM parameter naming the image"));
            out.push_str("\ndata \"aws_ssm_parameter\" \"image\" {\n  name = var.image_parameter\n}\n\n");
            "data.aws_ssm_parameter.image.value"
        }
        None => {
            out.push_str(&variable("image_id", "string", &hcl(&plan.image_id), "The image (AMI id)"));
            out.push('\n');
            "var.image_id"
        }
    };
    let mut access = String::new();
    if !plan.key_name.is_empty() {
        out.push_str(&variable("key_name", "string", &hcl(&plan.key_name), "An existing EC2 key pair"));
        out.push('\n');
        access.push_str("  key_name               = var.key_name\n");
    }
    if !plan.security_group_ids.is_empty() {
        out.push_str(&variable("security_group_ids", "list(string)", &hcl_list(&plan.security_group_ids), "Existing security groups"));
        out.push('\n');
        access.push_str("  vpc_security_group_ids = var.security_group_ids\n");
    }
    let spot = if plan.spot { "\n  instance_market_options {\n    market_type = \"spot\"\n  }\n" } else { "" };
    match &plan.launch {
        Launch::Instances { max_count, subnet_id, .. } => {
            let mut subnet = String::new();
            if !subnet_id.is_empty() {
                out.push_str(&variable("subnet_id", "string", &hcl(subnet_id), "The subnet the instances launch into"));
                out.push('\n');
                subnet.push_str("  subnet_id              = var.subnet_id\n");
            }
            out.push_str(&format!(
                "resource \"aws_instance\" \"this\" {{\n  count                  = {max_count}\n  ami                    = {image}\n  instance_type          = var.instance_type\n{access}{subnet}{spot}\n  tags = {}\n}}\n\n",
                hcl_tags(plan, 2)
            ));
            out.push_str("output \"instance_ids\" {\n  value = aws_instance.this[*].id\n}\n");
        }
        Launch::Group { template, group, min_size, max_size, desired_capacity, subnets, zones } => {
            for (name, value) in [("min_size", min_size), ("max_size", max_size), ("desired_capacity", desired_capacity)] {
                out.push_str(&variable(name, "number", &value.to_string(), &format!("The group's {name}")));
                out.push('\n');
            }
            let placement = match subnets.is_empty() {
                true => {
                    out.push_str(&variable("availability_zones", "list(string)", &hcl_list(zones), "The zones the group launches in"));
                    out.push('\n');
                    "  availability_zones  = var.availability_zones\n"
                }
                false => {
                    let ids: Vec<String> = subnets.split(',').map(String::from).collect();
                    out.push_str(&variable("subnets", "list(string)", &hcl_list(&ids), "The subnets the group launches in"));
                    out.push('\n');
                    "  vpc_zone_identifier = var.subnets\n"
                }
            };
            out.push_str(&format!(
                "resource \"aws_launch_template\" \"this\" {{\n  name                   = {}\n  image_id               = {image}\n  instance_type          = var.instance_type\n{access}\n  tag_specifications {{\n    resource_type = \"instance\"\n    tags = {}\n  }}\n\n  tags = {}\n}}\n\n",
                hcl(template),
                hcl_tags(plan, 4),
                hcl_tags(plan, 2)
            ));
            let launch = match plan.spot {
                false => "  launch_template {\n    id      = aws_launch_template.this.id\n    version = aws_launch_template.this.latest_version\n  }\n".to_string(),
                true => "  mixed_instances_policy {\n    instances_distribution {\n      on_demand_base_capacity                  = 0\n      on_demand_percentage_above_base_capacity = 0\n      spot_allocation_strategy                 = \"price-capacity-optimized\"\n    }\n\n    launch_template {\n      launch_template_specification {\n        launch_template_id = aws_launch_template.this.id\n        version            = aws_launch_template.this.latest_version\n      }\n    }\n  }\n".to_string(),
            };
            let tags: String = plan
                .tags
                .iter()
                .map(|(k, v)| {
                    format!("\n  tag {{\n    key                 = {}\n    value               = {}\n    propagate_at_launch = true\n  }}\n", hcl(k), hcl(v))
                })
                .collect();
            out.push_str(&format!(
                "resource \"aws_autoscaling_group\" \"this\" {{\n  name                = {}\n  min_size            = var.min_size\n  max_size            = var.max_size\n  desired_capacity    = var.desired_capacity\n{placement}\n{launch}{tags}}}\n\n",
                hcl(group)
            ));
            out.push_str("output \"launch_template_id\" {\n  value = aws_launch_template.this.id\n}\n\noutput \"autoscaling_group_name\" {\n  value = aws_autoscaling_group.this.name\n}\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capability::config::Configuration;

    #[test]
    fn the_template_carries_the_plans_values() {
        let mut config = Configuration::default();
        config.asg.enabled = true;
        config.ec2.instance_type = "t3.small".into();
        let plan = Plan::of(&config, Some("x86_64"), "s-1");
        let cfn: Value = serde_json::from_str(&cloudformation(&plan).unwrap()).unwrap();
        assert_eq!(cfn["Parameters"]["InstanceType"]["Default"], "t3.small");
        assert_eq!(cfn["Parameters"]["ImageId"]["Default"], "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        assert_eq!(cfn["Resources"]["Group"]["Properties"]["AutoScalingGroupName"], "aws-agent-template-asg");
        assert_eq!(cfn["Resources"]["Group"]["Properties"]["Tags"][1], json!({"Key": "aws-agent:session", "Value": "s-1", "PropagateAtLaunch": true}));
        let hcl = terraform(&plan);
        assert!(hcl.contains("resource \"aws_autoscaling_group\" \"this\"") && hcl.contains("default     = \"t3.small\""), "{hcl}");
        assert!(template(&plan, "pulumi").unwrap_err().contains("cloudformation and terraform"));
    }

    #[test]
    fn hcl_strings_escape_templates_and_quotes() {
        assert_eq!(hcl(r#"a"b\${c}%{d}"#), r#""a\"b\\$${c}%%{d}""#);
    }
}
