//! Everything in one region that carries [`SESSION_TAG`], whichever process created it: instances
//! (not terminated), Auto Scaling groups with their instances, and launch templates with what
//! their latest version launches. For `status` and `teardown --all`.
use super::AwsError;
use super::client::Clients;
use super::preflight::image_platform;
use crate::capability::aws::{Inventory, Resource, TaggedGroup, TaggedInstance, TaggedTemplate};
use crate::capability::plan::SESSION_TAG;
use aws_sdk_ec2::types::Filter;

/// The tag AWS puts on a group's instances (Auto Scaling User Guide, "Tag Auto Scaling groups").
const GROUP_TAG: &str = "aws:autoscaling:groupName";

pub async fn tagged(clients: &Clients) -> Result<Inventory, AwsError> {
    let region = clients.region.as_str();
    let mut found = Inventory::default();
    let live = Filter::builder().name("instance-state-name").values("pending").values("running").values("stopping").values("stopped").build();
    let mut token = None;
    loop {
        let page = clients
            .ec2
            .describe_instances()
            .filters(live.clone())
            .filters(Filter::builder().name("tag-key").values(SESSION_TAG).build())
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| clients.describe("DescribeInstances", e))?;
        for i in page.reservations().iter().flat_map(|r| r.instances()) {
            let tags = i.tags();
            if !tags.iter().any(|t| t.key() == Some(SESSION_TAG)) {
                continue;
            }
            let Some(id) = i.instance_id() else { continue };
            found.instances.push(TaggedInstance {
                region: region.into(),
                instance_id: id.into(),
                state: i.state().and_then(|s| s.name()).map_or("unknown", |n| n.as_str()).into(),
                instance_type: i.instance_type().map_or("", |t| t.as_str()).into(),
                availability_zone: i.placement().and_then(|p| p.availability_zone()).unwrap_or_default().into(),
                launch_time: i.launch_time().map(|t| t.to_string()).unwrap_or_default(),
                operating_system: image_platform(i.platform().map(|p| p.as_str()), i.platform_details()).unwrap_or("Linux").into(),
                market_type: if i.instance_lifecycle().is_some_and(|l| l.as_str() == "spot") { "spot" } else { "on-demand" }.into(),
                group: tags.iter().find(|t| t.key() == Some(GROUP_TAG)).and_then(|t| t.value()).map(String::from),
            });
        }
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    let templates = clients.ec2.describe_launch_templates().send().await.map_err(|e| clients.describe("DescribeLaunchTemplates", e))?;
    for t in templates.launch_templates() {
        let (Some(name), true) = (t.launch_template_name(), t.tags().iter().any(|t| t.key() == Some(SESSION_TAG))) else { continue };
        let latest = t.latest_version_number().unwrap_or(1);
        let versions = clients
            .ec2
            .describe_launch_template_versions()
            .launch_template_name(name)
            .versions(latest.to_string())
            .send()
            .await
            .map_err(|e| clients.describe("DescribeLaunchTemplateVersions", e))?;
        let data = versions.launch_template_versions().first().and_then(|v| v.launch_template_data());
        found.templates.push(TaggedTemplate {
            region: region.into(),
            name: name.into(),
            latest_version: latest,
            instance_type: data.and_then(|d| d.instance_type()).map_or("", |t| t.as_str()).into(),
            image_id: data.and_then(|d| d.image_id()).unwrap_or_default().into(),
        });
    }
    let mut token = None;
    loop {
        let page = clients
            .autoscaling
            .describe_auto_scaling_groups()
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| clients.describe("DescribeAutoScalingGroups", e))?;
        for g in page.auto_scaling_groups() {
            let (Some(name), true) = (g.auto_scaling_group_name(), g.tags().iter().any(|t| t.key() == Some(SESSION_TAG))) else { continue };
            let policy = g.mixed_instances_policy();
            let template = g
                .launch_template()
                .or_else(|| policy.and_then(|p| p.launch_template()).and_then(|t| t.launch_template_specification()))
                .and_then(|t| t.launch_template_name())
                .map(String::from);
            let spot = policy.and_then(|p| p.instances_distribution()).is_some_and(|d| d.on_demand_percentage_above_base_capacity() == Some(0));
            let size = |n: Option<i32>| n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
            found.groups.push(TaggedGroup {
                region: region.into(),
                name: name.into(),
                min_size: size(g.min_size()),
                max_size: size(g.max_size()),
                desired_capacity: size(g.desired_capacity()),
                instance_ids: g.instances().iter().filter_map(|i| i.instance_id().map(String::from)).collect(),
                launch_template: template,
                subnets: g.vpc_zone_identifier().unwrap_or_default().into(),
                zones: g.availability_zones().to_vec(),
                spot,
            });
        }
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    Ok(found)
}

/// Whether any of `resources` (all in `clients`' region) still exists: a group by name, an
/// instance that is not terminated. A deployment deleted outside this tool, or held by a
/// simulator that restarted, is gone.
pub async fn still_there(clients: &Clients, resources: &[Resource]) -> Result<bool, AwsError> {
    use aws_sdk_ec2::error::ProvideErrorMetadata;
    let groups: Vec<String> = resources.iter().filter_map(|r| if let Resource::Group { name, .. } = r { Some(name.clone()) } else { None }).collect();
    if !groups.is_empty() {
        let out = clients
            .autoscaling
            .describe_auto_scaling_groups()
            .set_auto_scaling_group_names(Some(groups))
            .send()
            .await
            .map_err(|e| clients.describe("DescribeAutoScalingGroups", e))?;
        return Ok(!out.auto_scaling_groups().is_empty());
    }
    let ids: Vec<String> = resources.iter().filter_map(|r| if let Resource::Instance { id, .. } = r { Some(id.clone()) } else { None }).collect();
    if ids.is_empty() {
        return Ok(false);
    }
    let out = match clients.ec2.describe_instances().set_instance_ids(Some(ids)).send().await {
        Err(e) if e.code().is_some_and(|c| c.starts_with("InvalidInstanceID")) => return Ok(false),
        other => other.map_err(|e| clients.describe("DescribeInstances", e))?,
    };
    let gone = ["shutting-down", "terminated"];
    Ok(out.reservations().iter().flat_map(|r| r.instances()).any(|i| i.state().and_then(|s| s.name()).is_some_and(|n| !gone.contains(&n.as_str()))))
}
