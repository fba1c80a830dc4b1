//! Deleting resources in one region, in the order AWS needs: Auto Scaling groups first (forced,
//! which terminates their instances), waiting until each is gone, then launch templates, then
//! instances. A resource that no longer exists is "already deleted", not a failure.
use super::AwsError;
use super::client::Clients;
use crate::capability::aws::Resource;
use aws_sdk_ec2::error::ProvideErrorMetadata;
use std::time::{Duration, Instant};

/// What a deletion did.
#[derive(Debug, Default)]
pub struct Deleted {
    pub deleted: Vec<Resource>,
    /// Not there any more (deleted outside this tool, or a simulator that restarted).
    pub already_gone: Vec<Resource>,
    pub failed: Vec<(Resource, AwsError)>,
}

/// How long to wait for a deleted group to disappear before deleting its template. Moto
/// deletes at once; AWS takes as long as terminating the group's instances takes.
const GROUP_GONE_WAIT: Duration = Duration::from_secs(300);

/// The error codes that mean "there is no such resource" (EC2 API and Auto Scaling API error
/// references); Auto Scaling says it with ValidationError and a message.
fn not_found(code: Option<&str>, message: Option<&str>) -> bool {
    let code = code.unwrap_or_default();
    code.starts_with("InvalidInstanceID.NotFound")
        || code.starts_with("InvalidLaunchTemplateName.NotFound")
        || code.starts_with("InvalidLaunchTemplateId.NotFound")
        || (code == "ValidationError" && message.is_some_and(|m| m.contains("not found")))
}

/// Deletes `resources`, all in `clients`' region, groups first.
pub async fn delete(clients: &Clients, resources: &[Resource]) -> Deleted {
    let mut ordered: Vec<&Resource> = resources.iter().collect();
    ordered.sort_by_key(|r| r.delete_order());
    let mut done = Deleted::default();
    for r in ordered {
        let result = match r {
            Resource::Group { name, .. } => delete_group(clients, name).await,
            Resource::LaunchTemplate { name, .. } => match clients.ec2.delete_launch_template().launch_template_name(name).send().await {
                Ok(_) => Ok(true),
                // moto answers an unknown name with MissingParameter (the name is always sent).
                Err(e) if not_found(e.code(), e.message()) || e.code() == Some("MissingParameter") => Ok(false),
                Err(e) => Err(clients.describe("DeleteLaunchTemplate", e)),
            },
            Resource::Instance { id, .. } => match clients.ec2.terminate_instances().instance_ids(id).send().await {
                // Terminating a terminated instance succeeds; its previous state tells.
                Ok(out) => {
                    Ok(!out.terminating_instances().iter().any(|i| i.previous_state().and_then(|s| s.name()).is_some_and(|n| n.as_str() == "terminated")))
                }
                Err(e) if not_found(e.code(), e.message()) => Ok(false),
                Err(e) => Err(clients.describe("TerminateInstances", e)),
            },
        };
        match result {
            Ok(true) => done.deleted.push(r.clone()),
            Ok(false) => done.already_gone.push(r.clone()),
            Err(e) => done.failed.push((r.clone(), e)),
        }
    }
    done
}

/// Deletes the group (ForceDelete terminates its instances) and waits until it is gone; Ok(false)
/// when there was no such group.
async fn delete_group(clients: &Clients, name: &str) -> Result<bool, AwsError> {
    match clients.autoscaling.delete_auto_scaling_group().auto_scaling_group_name(name).force_delete(true).send().await {
        Ok(_) => {}
        Err(e) if not_found(e.code(), e.message()) => return Ok(false),
        Err(e) => return Err(clients.describe("DeleteAutoScalingGroup", e)),
    }
    let started = Instant::now();
    loop {
        let out = clients
            .autoscaling
            .describe_auto_scaling_groups()
            .auto_scaling_group_names(name)
            .send()
            .await
            .map_err(|e| clients.describe("DescribeAutoScalingGroups", e))?;
        if out.auto_scaling_groups().is_empty() || started.elapsed() > GROUP_GONE_WAIT {
            return Ok(true);
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}
