//! One deployment as a transaction: each resource created is recorded, and if a later step
//! fails, what was created is deleted again, newest first.
//!
//! Everything is tagged `Name` and `aws-agent:session`. A plain deployment is RunInstances; a group
//! is CreateLaunchTemplate, CreateAutoScalingGroup and the group's instances. The failure message
//! says what was rolled back. `dry_run` (real AWS only) first sends each create call with DryRun,
//! so a missing permission is reported before anything exists. `created_by_tool` finds everything
//! tagged, for `teardown --all`.
use super::AwsError;
use super::client::{Clients, describe};
use crate::capability::plan::{Launch, Plan, SESSION_TAG};
use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag as GroupTag};
use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{Filter, InstanceType, LaunchTemplateTagSpecificationRequest, RequestLaunchTemplateData, ResourceType, Tag, TagSpecification};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Something a deployment created, which teardown or rollback must delete.
#[derive(Debug, Clone, PartialEq)]
pub enum Resource {
    Instance { region: String, id: String },
    LaunchTemplate { region: String, name: String },
    Group { region: String, name: String },
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Instance { id, .. } => write!(f, "instance {id}"),
            Resource::LaunchTemplate { name, .. } => write!(f, "launch template {name}"),
            Resource::Group { name, .. } => write!(f, "Auto Scaling group {name}"),
        }
    }
}

impl Resource {
    pub fn region(&self) -> &str {
        match self {
            Resource::Instance { region, .. } | Resource::LaunchTemplate { region, .. } | Resource::Group { region, .. } => region,
        }
    }
}

pub struct Outcome {
    pub created: Vec<Resource>,
    /// Instances launched, directly or by the group.
    pub instance_ids: Vec<String>,
}

/// How long to wait for a new group to report its first instances (moto reports them at once).
const GROUP_INSTANCES_WAIT: Duration = Duration::from_secs(20);

/// Ctrl-C during a deployment. It is honoured between requests, never inside one: a request
/// cut off in flight may still create something on the server that the deployment would never
/// hear of, and so could not roll back.
struct Interrupt {
    pressed: Arc<AtomicBool>,
    watcher: Option<tokio::task::JoinHandle<()>>,
}

impl Interrupt {
    /// Listens from now on (the handler is installed before this returns); must run inside the
    /// runtime. Without a signal handler, Ctrl-C ends the program as it did before.
    fn watch() -> Interrupt {
        let pressed = Arc::new(AtomicBool::new(false));
        let watcher = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok().map(|mut signal| {
            let pressed = pressed.clone();
            tokio::spawn(async move {
                if signal.recv().await.is_some() {
                    pressed.store(true, Ordering::SeqCst);
                }
            })
        });
        Interrupt { pressed, watcher }
    }

    fn check(&self) -> Result<(), AwsError> {
        if self.pressed.load(Ordering::SeqCst) { Err(AwsError::Cancelled) } else { Ok(()) }
    }
}

impl Drop for Interrupt {
    fn drop(&mut self) {
        if let Some(w) = &self.watcher {
            w.abort();
        }
    }
}

pub async fn deploy(clients: &Clients, plan: &Plan) -> Result<Outcome, String> {
    let mut created = Vec::new();
    let interrupt = Interrupt::watch();
    match create(clients, plan, &mut created, &interrupt).await {
        Ok(instance_ids) => Ok(Outcome { created, instance_ids }),
        Err(e) => {
            let mut message = match e {
                AwsError::Cancelled => "Deployment cancelled (Ctrl-C).".to_string(),
                e => format!("Deployment failed: {e}."),
            };
            if created.is_empty() {
                message.push_str(" Nothing had been created.");
            } else {
                let (deleted, failed) = delete_all(clients, &created).await;
                if !deleted.is_empty() {
                    message.push_str(&format!(" Rolled back: deleted {}.", deleted.join(", ")));
                }
                if !failed.is_empty() {
                    message.push_str(&format!(" Could NOT delete, remove by hand: {}.", failed.join("; ")));
                }
            }
            Err(message)
        }
    }
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
    let endpoint = clients.endpoint.as_str();
    let outcome = match &plan.launch {
        Launch::Instances { min_count, max_count } => run_instances(clients, plan, *min_count, *max_count)
            .dry_run(true)
            .send()
            .await
            .map(drop)
            .map_err(|e| (e.code() == Some("DryRunOperation"), describe("RunInstances (dry run)", endpoint, e))),
        Launch::Group { template, .. } => create_launch_template(clients, plan, template)
            .dry_run(true)
            .send()
            .await
            .map(drop)
            .map_err(|e| (e.code() == Some("DryRunOperation"), describe("CreateLaunchTemplate (dry run)", endpoint, e))),
    };
    match outcome {
        Ok(()) | Err((true, _)) => Ok(()),
        Err((false, e)) => Err(e),
    }
}

/// The RunInstances request the plan sends, as its `aws ec2 run-instances` command shows it.
fn run_instances(clients: &Clients, plan: &Plan, min_count: u32, max_count: u32) -> aws_sdk_ec2::operation::run_instances::builders::RunInstancesFluentBuilder {
    clients
        .ec2
        .run_instances()
        .image_id(&plan.image_id)
        .instance_type(InstanceType::from(plan.instance_type.as_str()))
        .min_count(min_count as i32)
        .max_count(max_count as i32)
        .set_key_name(key_name(plan))
        .set_security_group_ids(security_groups(plan))
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

async fn create(clients: &Clients, plan: &Plan, created: &mut Vec<Resource>, interrupt: &Interrupt) -> Result<Vec<String>, AwsError> {
    let region = plan.region.clone();
    let endpoint = clients.endpoint.as_str();
    interrupt.check()?;
    let (template, group, min_size, max_size, desired_capacity, subnets) = match &plan.launch {
        Launch::Instances { min_count, max_count } => {
            let out = run_instances(clients, plan, *min_count, *max_count).send().await.map_err(|err| describe("RunInstances", endpoint, err))?;
            let ids: Vec<String> = out.instances().iter().filter_map(|i| i.instance_id().map(String::from)).collect();
            created.extend(ids.iter().map(|id| Resource::Instance { region: region.clone(), id: id.clone() }));
            interrupt.check()?;
            return Ok(ids);
        }
        Launch::Group { template, group, min_size, max_size, desired_capacity, subnets, .. } => {
            (template, group, *min_size, *max_size, *desired_capacity, subnets)
        }
    };
    create_launch_template(clients, plan, template).send().await.map_err(|err| describe("CreateLaunchTemplate", endpoint, err))?;
    created.push(Resource::LaunchTemplate { region: region.clone(), name: template.clone() });
    interrupt.check()?;

    let spec = LaunchTemplateSpecification::builder().launch_template_name(template).version("$Latest").build();
    let tags = plan
        .tags
        .iter()
        .map(|(k, v)| GroupTag::builder().key(k).value(v).propagate_at_launch(true).resource_id(group).resource_type("auto-scaling-group").build());
    clients
        .autoscaling
        .create_auto_scaling_group()
        .auto_scaling_group_name(group)
        .launch_template(spec)
        .min_size(min_size as i32)
        .max_size(max_size as i32)
        .desired_capacity(desired_capacity as i32)
        .vpc_zone_identifier(subnets)
        .set_tags(Some(tags.collect()))
        .send()
        .await
        .map_err(|err| describe("CreateAutoScalingGroup", endpoint, err))?;
    created.push(Resource::Group { region, name: group.clone() });
    group_instances(clients, group, interrupt).await
}

/// Everything in this region that carries [`SESSION_TAG`], whichever process created it: groups
/// and launch templates first, then instances, in the order [`delete_all`] must not reverse
/// (it deletes newest first), so the groups go before the instances they would replace.
pub async fn created_by_tool(clients: &Clients, region: &str) -> Result<Vec<Resource>, AwsError> {
    let endpoint = clients.endpoint.as_str();
    let tagged = |tags: Vec<(Option<&str>, Option<&str>)>| tags.iter().any(|(k, _)| *k == Some(SESSION_TAG));
    let mut found = Vec::new();
    let instances = clients
        .ec2
        .describe_instances()
        .filters(Filter::builder().name("instance-state-name").values("pending").values("running").values("stopping").values("stopped").build())
        .send()
        .await
        .map_err(|e| describe("DescribeInstances", endpoint, e))?;
    for i in instances.reservations().iter().flat_map(|r| r.instances()) {
        if tagged(i.tags().iter().map(|t| (t.key(), t.value())).collect()) {
            found.extend(i.instance_id().map(|id| Resource::Instance { region: region.into(), id: id.into() }));
        }
    }
    let templates = clients.ec2.describe_launch_templates().send().await.map_err(|e| describe("DescribeLaunchTemplates", endpoint, e))?;
    for t in templates.launch_templates() {
        if tagged(t.tags().iter().map(|t| (t.key(), t.value())).collect()) {
            found.extend(t.launch_template_name().map(|name| Resource::LaunchTemplate { region: region.into(), name: name.into() }));
        }
    }
    let groups = clients.autoscaling.describe_auto_scaling_groups().send().await.map_err(|e| describe("DescribeAutoScalingGroups", endpoint, e))?;
    for g in groups.auto_scaling_groups() {
        if tagged(g.tags().iter().map(|t| (t.key(), t.value())).collect()) {
            found.extend(g.auto_scaling_group_name().map(|name| Resource::Group { region: region.into(), name: name.into() }));
        }
    }
    Ok(found)
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
            .map_err(|err| describe("DescribeAutoScalingGroups", &clients.endpoint, err))?;
        let ids: Vec<String> = out.auto_scaling_groups().iter().flat_map(|g| g.instances()).filter_map(|i| i.instance_id().map(String::from)).collect();
        if !ids.is_empty() || started.elapsed() > GROUP_INSTANCES_WAIT {
            return Ok(ids);
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// Deletes `resources` newest first; returns what was deleted and what could not be.
pub async fn delete_all(clients: &Clients, resources: &[Resource]) -> (Vec<String>, Vec<String>) {
    let (mut deleted, mut failed) = (Vec::new(), Vec::new());
    for r in resources.iter().rev() {
        let endpoint = clients.endpoint.as_str();
        let result = match r {
            Resource::Group { name, .. } => clients
                .autoscaling
                .delete_auto_scaling_group()
                .auto_scaling_group_name(name)
                .force_delete(true)
                .send()
                .await
                .map(drop)
                .map_err(|e| describe("DeleteAutoScalingGroup", endpoint, e)),
            Resource::LaunchTemplate { name, .. } => clients
                .ec2
                .delete_launch_template()
                .launch_template_name(name)
                .send()
                .await
                .map(drop)
                .map_err(|e| describe("DeleteLaunchTemplate", endpoint, e)),
            Resource::Instance { id, .. } => {
                clients.ec2.terminate_instances().instance_ids(id).send().await.map(drop).map_err(|e| describe("TerminateInstances", endpoint, e))
            }
        };
        match result {
            Ok(()) => deleted.push(r.to_string()),
            Err(e) => failed.push(format!("{r} ({e})")),
        }
    }
    (deleted, failed)
}
