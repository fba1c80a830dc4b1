//! Pre-flight: before anything is created, ask AWS (or the simulator, which carries AWS's own
//! data: SSM's public image parameters, images with their architectures, per-zone offerings)
//! whether it would accept the plan, and resolve what the configuration leaves to deploy time.
//! Every refusal names what would fit instead.
//!
//! What is asked, in order: the type's architecture (DescribeInstanceTypes) and its offering in the
//! region (DescribeInstanceTypeOfferings); the key pair and security groups, if named
//! (DescribeKeyPairs, DescribeSecurityGroups); the image: an OS family's latest image from its
//! public SSM parameter (the default is Amazon Linux 2023), or a named image, which must exist,
//! match the architecture and run the configured operating system (DescribeImages `Platform`,
//! `PlatformDetails`); for plain instances, the subnet (it must exist and its zone offer the
//! type) or else a default VPC (DescribeVpcs); for a group, that the template and group names are
//! free (unless the group is this session's own, being updated), the zones that offer the type,
//! and the subnets (they must exist, and their zones place the group) or else the default VPC's
//! subnets in the chosen zones.
use super::AwsError;
use super::client::Clients;
use crate::capability::config::Configuration;
use crate::capability::plan::{Launch, Plan, al2023_parameter, family_parameter};
use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{Filter, InstanceType, LocationType};

/// Why the plan would be refused, in words for the user.
pub struct Refusal(pub String);

impl From<AwsError> for Refusal {
    fn from(e: AwsError) -> Refusal {
        Refusal(e.to_string())
    }
}

/// Whether the plan's names must be free: a fresh deployment's must; an update of the session's
/// own group uses them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Names {
    MustBeFree,
    Ours,
}

/// The plan AWS would accept for `config`, resolved: the image id, the subnets.
pub async fn check(clients: &Clients, config: &Configuration, session: &str, names: Names) -> Result<Plan, Refusal> {
    let region = config.ec2.region.as_str();
    let instance_type = config.ec2.instance_type.as_str();
    let arch = architecture(clients, instance_type, region).await?;
    if offered_in(clients, instance_type, LocationType::Region).await?.is_empty() {
        return Err(Refusal(format!("InstanceType {instance_type} is not offered in {region}")));
    }
    access(clients, &config.ec2.key_name, &config.ec2.security_group_ids, region).await?;
    let mut plan = Plan::of(config, Some(&arch), session);
    plan.image_id = image(clients, &config.ec2.image_id, &arch, instance_type, &config.ec2.operating_system, region).await?;
    if let Launch::Instances { subnet_id, .. } = &plan.launch {
        match subnet_id.is_empty() {
            true => default_vpc(clients, region).await?,
            false => {
                let zones = subnet_zones(clients, subnet_id).await?;
                let offering = offered_in(clients, instance_type, LocationType::AvailabilityZone).await?;
                if let Some(zone) = zones.iter().find(|z| !offering.contains(z)) {
                    return Err(Refusal(format!(
                        "InstanceType {instance_type} is not offered in {zone}, the zone of SubnetId {subnet_id}; the zones of {region} that offer it are {}",
                        join(&offering.iter().collect::<Vec<_>>())
                    )));
                }
            }
        }
    }
    if let Launch::Group { subnets, zones, template, group, .. } = &mut plan.launch {
        if names == Names::MustBeFree {
            names_are_free(clients, template, group).await?;
        }
        let offering = offered_in(clients, instance_type, LocationType::AvailabilityZone).await?;
        let chosen = match subnets.is_empty() {
            true => zones.clone(),
            false => subnet_zones(clients, subnets).await?,
        };
        let missing: Vec<&String> = chosen.iter().filter(|z| !offering.contains(z)).collect();
        if !missing.is_empty() {
            let from = if subnets.is_empty() { "" } else { " (the zones of the subnets)" };
            return Err(Refusal(format!(
                "InstanceType {instance_type} is not offered in {}{from}; the zones of {region} that offer it are {}",
                join(&missing),
                join(&offering.iter().collect::<Vec<_>>())
            )));
        }
        if subnets.is_empty() {
            *subnets = default_subnets(clients, zones).await?;
        }
        // The group is placed by its subnets alone: AWS refuses zones that disagree with them.
        zones.clear();
    }
    Ok(plan)
}

/// The key pair and security groups, if given, must exist here (DescribeKeyPairs,
/// DescribeSecurityGroups).
async fn access(clients: &Clients, key_name: &str, groups: &[String], region: &str) -> Result<(), Refusal> {
    if !key_name.is_empty() {
        match clients.ec2.describe_key_pairs().key_names(key_name).send().await {
            Err(e) if e.code().is_some_and(|c| c.starts_with("InvalidKeyPair")) => {
                return Err(Refusal(format!("there is no key pair named {key_name:?} in {region}")));
            }
            other => drop(other.map_err(|e| clients.describe("DescribeKeyPairs", e))?),
        }
    }
    if !groups.is_empty() {
        match clients.ec2.describe_security_groups().set_group_ids(Some(groups.to_vec())).send().await {
            Err(e) if e.code().is_some_and(|c| c.starts_with("InvalidGroup")) => {
                return Err(Refusal(format!(
                    "the security groups {} do not all exist in {region} ({})",
                    groups.join(", "),
                    e.message().unwrap_or("not found")
                )));
            }
            other => drop(other.map_err(|e| clients.describe("DescribeSecurityGroups", e))?),
        }
    }
    Ok(())
}

/// AWS refuses a launch template or a group whose name is taken; say so before creating either.
async fn names_are_free(clients: &Clients, template: &str, group: &str) -> Result<(), Refusal> {
    let templates = clients.ec2.describe_launch_templates().send().await.map_err(|e| clients.describe("DescribeLaunchTemplates", e))?;
    if templates.launch_templates().iter().any(|t| t.launch_template_name() == Some(template)) {
        return Err(Refusal(format!(
            "a launch template named {template} already exists here; name another (\"launch template name to …\") or remove it (\"aws-agent teardown --all\" removes what aws-agent created)"
        )));
    }
    let groups = clients
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(group)
        .send()
        .await
        .map_err(|e| clients.describe("DescribeAutoScalingGroups", e))?;
    if !groups.auto_scaling_groups().is_empty() {
        return Err(Refusal(format!(
            "an Auto Scaling group named {group} already exists here; name another launch template (the group is named after it) or remove the group"
        )));
    }
    Ok(())
}

fn join(items: &[&String]) -> String {
    items.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

/// The type's CPU architecture (DescribeInstanceTypes `ProcessorInfo.SupportedArchitectures`).
async fn architecture(clients: &Clients, instance_type: &str, region: &str) -> Result<String, Refusal> {
    let out = clients.ec2.describe_instance_types().instance_types(InstanceType::from(instance_type)).send().await;
    let out = match out {
        Err(e) if e.code() == Some("InvalidInstanceType") => {
            return Err(Refusal(format!("InstanceType {instance_type} is not an instance type AWS offers in {region}")));
        }
        other => other.map_err(|e| clients.describe("DescribeInstanceTypes", e))?,
    };
    let arches: Vec<String> =
        out.instance_types().iter().filter_map(|t| t.processor_info()).flat_map(|p| p.supported_architectures()).map(|a| a.as_str().to_string()).collect();
    // "i386" rides along with x86_64 on old types; the 64-bit one is what images are built for.
    arches
        .iter()
        .find(|a| *a == "x86_64" || *a == "arm64")
        .or(arches.first())
        .cloned()
        .ok_or_else(|| Refusal(format!("InstanceType {instance_type} is not an instance type AWS offers in {region}")))
}

/// Where `instance_type` is offered: the region (if at all) or its zones, sorted.
async fn offered_in(clients: &Clients, instance_type: &str, location: LocationType) -> Result<Vec<String>, Refusal> {
    let out = clients
        .ec2
        .describe_instance_type_offerings()
        .location_type(location)
        .filters(Filter::builder().name("instance-type").values(instance_type).build())
        .send()
        .await
        .map_err(|e| clients.describe("DescribeInstanceTypeOfferings", e))?;
    let mut places: Vec<String> = out.instance_type_offerings().iter().filter_map(|o| o.location().map(String::from)).collect();
    places.sort();
    places.dedup();
    Ok(places)
}

/// The image to launch: an OS family's latest image for `arch` (its public SSM parameter),
/// else the named image, which must exist here, fit the type and run `operating_system`.
async fn image(clients: &Clients, image_id: &str, arch: &str, instance_type: &str, operating_system: &str, region: &str) -> Result<String, Refusal> {
    if let Some(parameter) = family_parameter(image_id, arch) {
        return parameter_value(clients, &parameter).await;
    }
    let out = clients.ec2.describe_images().image_ids(image_id).send().await;
    let found = match out {
        Err(e) if e.code().is_some_and(|c| c.starts_with("InvalidAMIID")) => None,
        other => other.map_err(|e| clients.describe("DescribeImages", e))?.images().first().cloned(),
    };
    let fitting = || async {
        latest_al2023(clients, arch).await.map(|id| format!("the latest Amazon Linux 2023 for {arch} is {id}; say \"use amazon linux 2023\" to launch it"))
    };
    let Some(found) = found else {
        return Err(Refusal(format!("ImageId {image_id} does not exist in {region}; {}", fitting().await?)));
    };
    let image_arch = found.architecture().map_or("unknown", |a| a.as_str());
    if image_arch != arch {
        return Err(Refusal(format!(
            "ImageId {image_id} is an {image_arch} image and InstanceType {instance_type} is {arch}: AWS refuses to launch an image on another architecture; {}",
            fitting().await?
        )));
    }
    let platform = image_platform(found.platform().map(|p| p.as_str()), found.platform_details());
    if let Some(runs) = platform.filter(|runs| *runs != operating_system) {
        return Err(Refusal(format!(
            "ImageId {image_id} is a {runs} image (DescribeImages PlatformDetails {:?}) and OperatingSystem is {operating_system}: the instances would run {runs} and be billed for it; name a {operating_system} image, or say \"operating system {}\"",
            found.platform_details().unwrap_or(runs),
            runs.to_lowercase()
        )));
    }
    Ok(image_id.to_string())
}

/// The operating system an image runs, as the price list spells it, from DescribeImages
/// `Platform` ("windows" for Windows, else absent) and `PlatformDetails` ("Linux/UNIX",
/// "Windows", "Red Hat Enterprise Linux", "SUSE Linux", "Windows with SQL Server …", …); None
/// when the image says neither.
pub fn image_platform(platform: Option<&str>, details: Option<&str>) -> Option<&'static str> {
    if platform == Some("windows") {
        return Some("Windows");
    }
    let details = details?;
    if details.starts_with("Windows") {
        Some("Windows")
    } else if details.starts_with("Red Hat") {
        Some("RHEL")
    } else if details.starts_with("SUSE") {
        Some("SUSE")
    } else if details.starts_with("Linux/UNIX") {
        Some("Linux")
    } else {
        None
    }
}

/// Plain instances without a subnet launch into the default VPC, which an account may have
/// deleted (DescribeVpcs `is-default`).
async fn default_vpc(clients: &Clients, region: &str) -> Result<(), Refusal> {
    let out = clients
        .ec2
        .describe_vpcs()
        .filters(Filter::builder().name("is-default").values("true").build())
        .send()
        .await
        .map_err(|e| clients.describe("DescribeVpcs", e))?;
    match out.vpcs().is_empty() {
        true => Err(Refusal(no_default_vpc(region))),
        false => Ok(()),
    }
}

fn no_default_vpc(region: &str) -> String {
    format!(
        "there is no default VPC in {region}, so the instances have nowhere to launch; name a subnet (\"set the subnet id to subnet-…\", or for a group \"set the subnets to subnet-…\"), or create a default VPC with `aws ec2 create-default-vpc --region {region}`"
    )
}

async fn latest_al2023(clients: &Clients, arch: &str) -> Result<String, Refusal> {
    parameter_value(clients, &al2023_parameter(arch)).await
}

async fn parameter_value(clients: &Clients, name: &str) -> Result<String, Refusal> {
    let out = match clients.ssm.get_parameter().name(name).send().await {
        Err(e) if e.code() == Some("ParameterNotFound") => {
            return Err(Refusal(format!("the public SSM parameter {name} does not exist on {}", clients.endpoint)));
        }
        other => other.map_err(|e| clients.describe("GetParameter", e))?,
    };
    out.parameter().and_then(|p| p.value()).map(String::from).ok_or_else(|| Refusal(format!("the SSM parameter {name} has no value")))
}

/// The zones of `subnets` (comma-joined ids), which must all exist in this region.
async fn subnet_zones(clients: &Clients, subnets: &str) -> Result<Vec<String>, Refusal> {
    let ids: Vec<String> = subnets.split(',').map(String::from).collect();
    let out = clients.ec2.describe_subnets().set_subnet_ids(Some(ids.clone())).send().await;
    let out = match out {
        Err(e) if e.code() == Some("InvalidSubnetID.NotFound") => {
            return Err(Refusal(format!("the subnets {subnets} do not all exist in this region ({})", e.message().unwrap_or("not found"))));
        }
        other => other.map_err(|e| clients.describe("DescribeSubnets", e))?,
    };
    let mut zones: Vec<String> = out.subnets().iter().filter_map(|s| s.availability_zone().map(String::from)).collect();
    if out.subnets().len() < ids.len() {
        return Err(Refusal(format!("the subnets {subnets} do not all exist in this region")));
    }
    zones.sort();
    zones.dedup();
    Ok(zones)
}

/// The default VPC's subnets in the chosen zones, comma-joined as VPCZoneIdentifier wants them.
async fn default_subnets(clients: &Clients, zones: &[String]) -> Result<String, Refusal> {
    let out = clients
        .ec2
        .describe_subnets()
        .filters(Filter::builder().name("default-for-az").values("true").build())
        .filters(Filter::builder().name("availability-zone").set_values(Some(zones.to_vec())).build())
        .send()
        .await
        .map_err(|e| clients.describe("DescribeSubnets", e))?;
    let ids: Vec<&str> = out.subnets().iter().filter_map(|s| s.subnet_id()).collect();
    if ids.is_empty() {
        default_vpc(clients, &clients.region).await?;
        return Err(Refusal(format!("the default VPC has no subnets in {}; give subnets with \"set the subnets to subnet-…\"", zones.join(", "))));
    }
    Ok(ids.join(","))
}
