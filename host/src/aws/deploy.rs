//! One deployment as a transaction: each resource created is recorded (and handed to `on_created`
//! at once, so the session can save it before anything else happens), and if a later step fails,
//! what was created is deleted again.
//!
//! Everything is tagged `Name` and `aws-agent:session`. A plain deployment is RunInstances; a group
//! is CreateLaunchTemplate, CreateAutoScalingGroup and the group's instances. An in-place update of
//! a group is CreateLaunchTemplateVersion (when what the template launches changed) and
//! UpdateAutoScalingGroup; if the group update is refused, the new version is deleted again. The
//! failure message says what was rolled back. `dry_run` (real AWS only) first sends each create
//! call with DryRun, so a missing permission is reported before anything exists.
use super::AwsError;
use super::client::Clients;
use super::interrupt::Interrupt;
use super::teardown;
use crate::capability::aws::Resource;
use crate::capability::plan::{Launch, Plan};
use aws_sdk_autoscaling::types::{InstancesDistribution, LaunchTemplate as PolicyTemplate, LaunchTemplateSpecification, MixedInstancesPolicy, Tag as GroupTag};
use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{
    InstanceMarketOptionsRequest, InstanceType, LaunchTemplateTagSpecificationRequest, MarketType, RequestLaunchTemplateData, ResourceType, Tag,
    TagSpecification,
};
use std::time::Duration;

pub struct Outcome {
    pub created: Vec<Resource>,
    /// Instances launched, directly or by the group.
    pub instance_ids: Vec<String>,
}

/// How long to wait for a new group to report its first instances (moto reports them at once).
const GROUP_INSTANCES_WAIT: Duration = Duration::from_secs(20);

/// Told each time the deployment has created something: everything created so far, and the
/// instances launched so far.
pub type OnCreated<'a> = &'a mut dyn FnMut(&[Resource], &[String]);

pub async fn deploy(clients: &Clients, plan: &Plan, interrupt: &Interrupt, on_created: OnCreated<'_>) -> Result<Outcome, String> {
    let mut created = Vec::new();
    match create(clients, plan, &mut created, interrupt, on_created).await {
        Ok(instance_ids) => Ok(Outcome { created, instance_ids }),
        Err(e) => {
            let mut message = failure(e);
            if created.is_empty() {
                message.push_str(" Nothing had been created.");
            } else {
                message.push_str(&roll_back(clients, &created).await);
            }
            Err(message)
        }
    }
}

fn failure(e: AwsError) -> String {
    match e {
        AwsError::Cancelled => "Deployment cancelled (Ctrl-C).".to_string(),
        e => format!("Deployment failed: {e}."),
    }
}

/// Deletes `created` and says how that went.
async fn roll_back(clients: &Clients, created: &[Resource]) -> String {
    let done = teardown::delete(clients, created).await;
    let mut message = String::new();
    let deleted: Vec<String> = done.deleted.iter().chain(&done.already_gone).map(ToString::to_string).collect();
    if !deleted.is_empty() {
        message.push_str(&format!(" Rolled back: deleted {}.", deleted.join(", ")));
    }
    if !done.failed.is_empty() {
        message
            .push_str(&format!(" Could NOT delete, remove by hand: {}.", done.failed.iter().map(|(r, e)| format!("{r} ({e})")).collect::<Vec<_>>().join("; ")));
    }
    message
}

/// The plan's tags for one kind of resource.
fn tags_for(plan: &Plan, resource: ResourceType) -> TagSpecification {
    let tags = plan.tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect();
    TagSpecification::builder().resource_type(resource).set_tags(Some(tags)).build()
}

/// Real AWS only: each create call first sent with DryRun, so a missing permission
/// (UnauthorizedOperation) is reported before anything exists. `DryRunOperation` is AWS's
/// answer for "would have succeeded".
pub async fn dry_run(clients: &Clients, plan: &Plan) -> Result<(), AwsError> {
    let outcome = match &plan.launch {
        Launch::Instances { min_count, max_count, .. } => run_instances(clients, plan, *min_count, *max_count)
            .dry_run(true)
            .send()
            .await
            .map(drop)
            .map_err(|e| (e.code() == Some("DryRunOperation"), clients.describe("RunInstances (dry run)", e))),
        Launch::Group { template, .. } => create_launch_template(clients, plan, template)
            .dry_run(true)
            .send()
            .await
            .map(drop)
            .map_err(|e| (e.code() == Some("DryRunOperation"), clients.describe("CreateLaunchTemplate (dry run)", e))),
    };
    match outcome {
        Ok(()) | Err((true, _)) => Ok(()),
        Err((false, e)) => Err(e),
    }
}

/// The RunInstances request the plan sends, as its `aws ec2 run-instances` command shows it.
fn run_instances(clients: &Clients, plan: &Plan, min_count: u32, max_count: u32) -> aws_sdk_ec2::operation::run_instances::builders::RunInstancesFluentBuilder {
    let subnet = match &plan.launch {
        Launch::Instances { subnet_id, .. } if !subnet_id.is_empty() => Some(subnet_id.clone()),
        _ => None,
    };
    let market = plan.spot.then(|| InstanceMarketOptionsRequest::builder().market_type(MarketType::Spot).build());
    clients
        .ec2
        .run_instances()
        .image_id(&plan.image_id)
        .instance_type(InstanceType::from(plan.instance_type.as_str()))
        .min_count(min_count as i32)
        .max_count(max_count as i32)
        .set_key_name(key_name(plan))
        .set_security_group_ids(security_groups(plan))
        .set_subnet_id(subnet)
        .set_instance_market_options(market)
        .tag_specifications(tags_for(plan, ResourceType::Instance))
}

/// The CreateLaunchTemplate request the plan sends, as its `aws ec2 create-launch-template`
/// command shows it.
fn create_launch_template(
    clients: &Clients,
    plan: &Plan,
    template: &str,
) -> aws_sdk_ec2::operation::create_launch_template::builders::CreateLaunchTemplateFluentBuilder {
    clients
        .ec2
        .create_launch_template()
        .launch_template_name(template)
        .launch_template_data(template_data(plan))
        .tag_specifications(tags_for(plan, ResourceType::LaunchTemplate))
}

/// What the template launches; a Spot group asks for Spot in its mixed instances policy, not here.
fn template_data(plan: &Plan) -> RequestLaunchTemplateData {
    let tags = plan.tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect();
    let instance_tags = LaunchTemplateTagSpecificationRequest::builder().resource_type(ResourceType::Instance).set_tags(Some(tags)).build();
    RequestLaunchTemplateData::builder()
        .image_id(&plan.image_id)
        .instance_type(InstanceType::from(plan.instance_type.as_str()))
        .set_key_name(key_name(plan))
        .set_security_group_ids(security_groups(plan))
        .tag_specifications(instance_tags)
        .build()
}

fn key_name(plan: &Plan) -> Option<String> {
    Some(plan.key_name.clone()).filter(|k| !k.is_empty())
}

fn security_groups(plan: &Plan) -> Option<Vec<String>> {
    Some(plan.security_group_ids.clone()).filter(|g| !g.is_empty())
}

/// How the group launches: the template directly, or for Spot a mixed instances policy that is
/// all Spot ([`Plan::mixed_instances_policy`] is the same request as the CLI shows it).
fn group_launch(plan: &Plan, template: &str) -> (Option<LaunchTemplateSpecification>, Option<MixedInstancesPolicy>) {
    let spec = LaunchTemplateSpecification::builder().launch_template_name(template).version("$Latest").build();
    match plan.spot {
        false => (Some(spec), None),
        true => {
            let distribution = InstancesDistribution::builder()
                .on_demand_base_capacity(0)
                .on_demand_percentage_above_base_capacity(0)
                .spot_allocation_strategy("price-capacity-optimized")
                .build();
            let policy = MixedInstancesPolicy::builder()
                .launch_template(PolicyTemplate::builder().launch_template_specification(spec).build())
                .instances_distribution(distribution)
                .build();
            (None, Some(policy))
        }
    }
}

async fn create(
    clients: &Clients,
    plan: &Plan,
    created: &mut Vec<Resource>,
    interrupt: &Interrupt,
    on_created: OnCreated<'_>,
) -> Result<Vec<String>, AwsError> {
    let region = plan.region.clone();
    interrupt.check()?;
    let (template, group, min_size, max_size, desired_capacity, subnets) = match &plan.launch {
        Launch::Instances { min_count, max_count, .. } => {
            let out = run_instances(clients, plan, *min_count, *max_count).send().await.map_err(|err| clients.describe("RunInstances", err))?;
            let ids: Vec<String> = out.instances().iter().filter_map(|i| i.instance_id().map(String::from)).collect();
            created.extend(ids.iter().map(|id| Resource::Instance { region: region.clone(), id: id.clone() }));
            on_created(created, &ids);
            interrupt.check()?;
            return Ok(ids);
        }
        Launch::Group { template, group, min_size, max_size, desired_capacity, subnets, .. } => {
            (template, group, *min_size, *max_size, *desired_capacity, subnets)
        }
    };
    create_launch_template(clients, plan, template).send().await.map_err(|err| clients.describe("CreateLaunchTemplate", err))?;
    created.push(Resource::LaunchTemplate { region: region.clone(), name: template.clone() });
    on_created(created, &[]);
    interrupt.check()?;

    let (spec, policy) = group_launch(plan, template);
    let tags = plan
        .tags
        .iter()
        .map(|(k, v)| GroupTag::builder().key(k).value(v).propagate_at_launch(true).resource_id(group).resource_type("auto-scaling-group").build());
    clients
        .autoscaling
        .create_auto_scaling_group()
        .auto_scaling_group_name(group)
        .set_launch_template(spec)
        .set_mixed_instances_policy(policy)
        .min_size(min_size as i32)
        .max_size(max_size as i32)
        .desired_capacity(desired_capacity as i32)
        .vpc_zone_identifier(subnets)
        .set_tags(Some(tags.collect()))
        .send()
        .await
        .map_err(|err| clients.describe("CreateAutoScalingGroup", err))?;
    created.push(Resource::Group { region, name: group.clone() });
    on_created(created, &[]);
    let ids = group_instances(clients, group, interrupt).await?;
    on_created(created, &ids);
    Ok(ids)
}

/// Changes the session's group in place to `plan`: a new launch template version when what the
/// template launches changed (`new_version`), then UpdateAutoScalingGroup with the sizes, the
/// template (or the Spot policy) and the subnets. Returns what was changed, and the group's
/// instances.
pub async fn update(clients: &Clients, plan: &Plan, new_version: bool, interrupt: &Interrupt) -> Result<(Vec<String>, Vec<String>), String> {
    let Launch::Group { template, group, min_size, max_size, desired_capacity, subnets, .. } = &plan.launch else {
        return Err("Deployment failed: only an Auto Scaling group can be updated in place.".into());
    };
    interrupt.check().map_err(|e| failure(e) + " Nothing was changed.")?;
    let mut version = None;
    if new_version {
        let out = clients
            .ec2
            .create_launch_template_version()
            .launch_template_name(template)
            .launch_template_data(template_data(plan))
            .send()
            .await
            .map_err(|e| failure(clients.describe("CreateLaunchTemplateVersion", e)))?;
        version = out.launch_template_version().and_then(|v| v.version_number());
    }
    let (spec, policy) = group_launch(plan, template);
    let updated = clients
        .autoscaling
        .update_auto_scaling_group()
        .auto_scaling_group_name(group)
        .set_launch_template(spec)
        .set_mixed_instances_policy(policy)
        .min_size(*min_size as i32)
        .max_size(*max_size as i32)
        .desired_capacity(*desired_capacity as i32)
        .vpc_zone_identifier(subnets)
        .send()
        .await;
    if let Err(e) = updated {
        let mut message = failure(clients.describe("UpdateAutoScalingGroup", e));
        if let Some(v) = version {
            let deleted = clients.ec2.delete_launch_template_versions().launch_template_name(template).versions(v.to_string()).send().await;
            match deleted {
                Ok(_) => message.push_str(&format!(" Rolled back: deleted launch template {template} version {v}; the group is as it was.")),
                Err(e) => message.push_str(&format!(
                    " Could NOT delete launch template {template} version {v} ({}): new instances of the group launch from it; delete it by hand.",
                    clients.describe("DeleteLaunchTemplateVersions", e)
                )),
            }
        } else {
            message.push_str(" Nothing was changed.");
        }
        return Err(message);
    }
    let mut changed: Vec<String> = version.map(|v| format!("launch template {template} version {v} (CreateLaunchTemplateVersion)")).into_iter().collect();
    changed.push(format!("Auto Scaling group {group} (UpdateAutoScalingGroup)"));
    Ok((changed, group_instances(clients, group, interrupt).await.map_err(failure)?))
}

async fn group_instances(clients: &Clients, group: &str, interrupt: &Interrupt) -> Result<Vec<String>, AwsError> {
    let started = std::time::Instant::now();
    loop {
        interrupt.check()?;
        let out = clients
            .autoscaling
            .describe_auto_scaling_groups()
            .auto_scaling_group_names(group)
            .send()
            .await
            .map_err(|err| clients.describe("DescribeAutoScalingGroups", err))?;
        let ids: Vec<String> = out.auto_scaling_groups().iter().flat_map(|g| g.instances()).filter_map(|i| i.instance_id().map(String::from)).collect();
        if !ids.is_empty() || started.elapsed() > GROUP_INSTANCES_WAIT {
            return Ok(ids);
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
