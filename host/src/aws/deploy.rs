//! One deployment as a transaction: each resource created is recorded, and if a later step
//! fails, what was created is deleted again, newest first.
use super::client::{describe, Clients};
use super::AwsError;
use crate::capability::config::Configuration;
use aws_sdk_autoscaling::types::LaunchTemplateSpecification;
use aws_sdk_ec2::types::{Filter, InstanceType, RequestLaunchTemplateData};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
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

pub async fn deploy(clients: &Clients, config: &Configuration) -> Result<Outcome, String> {
    let mut created = Vec::new();
    let interrupt = Interrupt::watch();
    match create(clients, config, &mut created, &interrupt).await {
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

async fn create(clients: &Clients, config: &Configuration, created: &mut Vec<Resource>, interrupt: &Interrupt) -> Result<Vec<String>, AwsError> {
    let (e, a) = (&config.ec2, &config.asg);
    let region = e.region.clone();
    let endpoint = clients.endpoint.as_str();
    interrupt.check()?;
    if !a.enabled {
        let out = clients
            .ec2
            .run_instances()
            .image_id(&e.image_id)
            .instance_type(InstanceType::from(e.instance_type.as_str()))
            .min_count(e.min_count as i32)
            .max_count(e.max_count as i32)
            .send()
            .await
            .map_err(|err| describe("RunInstances", endpoint, err))?;
        let ids: Vec<String> = out.instances().iter().filter_map(|i| i.instance_id().map(String::from)).collect();
        created.extend(ids.iter().map(|id| Resource::Instance { region: region.clone(), id: id.clone() }));
        interrupt.check()?;
        return Ok(ids);
    }

    let data = RequestLaunchTemplateData::builder().image_id(&e.image_id).instance_type(InstanceType::from(e.instance_type.as_str())).build();
    clients
        .ec2
        .create_launch_template()
        .launch_template_name(&a.launch_template_name)
        .launch_template_data(data)
        .send()
        .await
        .map_err(|err| describe("CreateLaunchTemplate", endpoint, err))?;
    created.push(Resource::LaunchTemplate { region: region.clone(), name: a.launch_template_name.clone() });
    interrupt.check()?;

    let subnets = if a.vpc_zone_identifier.is_empty() { default_subnets(clients, &a.availability_zones).await? } else { a.vpc_zone_identifier.clone() };
    interrupt.check()?;
    let group = config.group_name();
    let template = LaunchTemplateSpecification::builder().launch_template_name(&a.launch_template_name).version("$Latest").build();
    clients
        .autoscaling
        .create_auto_scaling_group()
        .auto_scaling_group_name(&group)
        .launch_template(template)
        .min_size(a.min_size as i32)
        .max_size(a.max_size as i32)
        .desired_capacity(a.desired_capacity as i32)
        .vpc_zone_identifier(subnets)
        .send()
        .await
        .map_err(|err| describe("CreateAutoScalingGroup", endpoint, err))?;
    created.push(Resource::Group { region, name: group.clone() });
    group_instances(clients, &group, interrupt).await
}

/// The default VPC's subnets in the chosen zones, comma-joined as VPCZoneIdentifier wants them.
async fn default_subnets(clients: &Clients, zones: &[String]) -> Result<String, AwsError> {
    let out = clients
        .ec2
        .describe_subnets()
        .filters(Filter::builder().name("default-for-az").values("true").build())
        .filters(Filter::builder().name("availability-zone").set_values(Some(zones.to_vec())).build())
        .send()
        .await
        .map_err(|err| describe("DescribeSubnets", &clients.endpoint, err))?;
    let ids: Vec<&str> = out.subnets().iter().filter_map(|s| s.subnet_id()).collect();
    if ids.is_empty() {
        return Err(AwsError::Refused {
            operation: "finding subnets",
            detail: format!("the default VPC has no subnets in {}; give subnets with \"set the subnets to subnet-…\"", zones.join(", ")),
        });
    }
    Ok(ids.join(","))
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
            Resource::Instance { id, .. } => clients
                .ec2
                .terminate_instances()
                .instance_ids(id)
                .send()
                .await
                .map(drop)
                .map_err(|e| describe("TerminateInstances", endpoint, e)),
        };
        match result {
            Ok(()) => deleted.push(r.to_string()),
            Err(e) => failed.push(format!("{r} ({e})")),
        }
    }
    (deleted, failed)
}
