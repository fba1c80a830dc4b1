//! The AWS capability as plugins see it; `crate::aws` implements it over the SDK.
//!
//! `crate::aws::AwsBackend` implements `Aws` over the SDK; the plugin test harness implements it
//! with a recorder. Besides the calls plugins make (deploy, preview, console, teardown, status,
//! Spot prices), the trait carries what the session needs to keep a deployment across a restart:
//! [`State`], what this session deployed, as a serde type the session file can hold, given to a
//! persist hook the moment it changes and put back with [`Aws::restore`].
use super::config::Configuration;
use super::confirm::Confirm;
use super::console::Console;
use serde::{Deserialize, Serialize};
use std::fmt;

pub struct Deployment {
    pub created: Vec<String>,
    pub instance_ids: Vec<String>,
}

/// Something a deployment created, which teardown or rollback must delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
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

    /// The order AWS needs for deleting: groups (which own instances and use templates), then
    /// templates, then instances.
    pub fn delete_order(&self) -> u8 {
        match self {
            Resource::Group { .. } => 0,
            Resource::LaunchTemplate { .. } => 1,
            Resource::Instance { .. } => 2,
        }
    }
}

/// One deployment this session made and has not torn down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployed {
    /// Where its requests went: an endpoint's URL, `aws` for real AWS, or `simulator` (a
    /// simulator lives and dies with its process, so what it held is gone after a restart).
    pub target: String,
    /// The configuration it was deployed from; after an in-place update, the updated one.
    pub config: Configuration,
    /// What exists, in the order it was created.
    pub resources: Vec<Resource>,
    /// Instances launched, directly or by the group.
    pub instance_ids: Vec<String>,
}

/// What this session deployed and has not torn down, oldest first: what `--resume` and a
/// `kill -9` must not lose. Saved through the persist hook ([`Aws::set_persist`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub deployments: Vec<Deployed>,
}

/// Called with the whole [`State`] each time it changes: right after resources exist (before
/// the console is streamed), after an in-place update and after every teardown.
pub type PersistHook = Box<dyn FnMut(&State) + Send>;

/// What deploying a configuration would do, given what this session deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewKind {
    /// Nothing of this session's runs on this target: everything is created.
    Fresh,
    /// The last deployment was of this very configuration: nothing is created.
    Unchanged,
    /// The group is changed in place (CreateLaunchTemplateVersion, UpdateAutoScalingGroup).
    Update,
    /// AWS cannot apply the change in place: a second copy would run beside the first, and is
    /// created only after the user confirms.
    Replace,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub kind: PreviewKind,
    /// Each difference from the last deployment, as "InstanceType t2.micro → t3.micro".
    pub changes: Vec<String>,
    /// What the last deployment created and still runs ("Auto Scaling group x", "instance i-…").
    pub deployed: Vec<String>,
    /// The last deployment's region (the configuration's for a fresh one).
    pub region: String,
    /// What deploying does, in a sentence for the user.
    pub summary: String,
}

/// One Spot price (DescribeSpotPriceHistory `SpotPrice`).
#[derive(Debug, Clone, PartialEq)]
pub struct SpotPrice {
    pub availability_zone: String,
    /// US dollars per hour.
    pub price_per_hour: f64,
    /// When the price took effect, RFC 3339.
    pub timestamp: String,
}

/// An instance carrying this tool's tag (DescribeInstances).
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedInstance {
    pub region: String,
    pub instance_id: String,
    /// `pending`, `running`, `stopping`, `stopped`, `shutting-down` or `terminated`.
    pub state: String,
    pub instance_type: String,
    pub availability_zone: String,
    /// RFC 3339.
    pub launch_time: String,
    /// From `PlatformDetails`, as the price list spells it: Linux, Windows, RHEL or SUSE.
    pub operating_system: String,
    /// `spot` for a Spot instance (`InstanceLifecycle`), else `on-demand`.
    pub market_type: String,
    /// The Auto Scaling group it belongs to (its `aws:autoscaling:groupName` tag).
    pub group: Option<String>,
}

/// An Auto Scaling group carrying this tool's tag (DescribeAutoScalingGroups).
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedGroup {
    pub region: String,
    pub name: String,
    pub min_size: u32,
    pub max_size: u32,
    pub desired_capacity: u32,
    pub instance_ids: Vec<String>,
    /// The launch template it launches from, directly or in its mixed instances policy.
    pub launch_template: Option<String>,
    /// Comma-joined subnet ids (`VPCZoneIdentifier`).
    pub subnets: String,
    pub zones: Vec<String>,
    /// Whether its mixed instances policy launches Spot only.
    pub spot: bool,
}

/// A launch template carrying this tool's tag (DescribeLaunchTemplates), with what its latest
/// version launches (DescribeLaunchTemplateVersions).
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedTemplate {
    pub region: String,
    pub name: String,
    pub latest_version: i64,
    pub instance_type: String,
    pub image_id: String,
}

/// Everything this tool's tag marks in the regions searched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    pub instances: Vec<TaggedInstance>,
    pub groups: Vec<TaggedGroup>,
    pub templates: Vec<TaggedTemplate>,
}

impl Inventory {
    /// What deleting all of it means: the groups (whose deletion terminates their instances),
    /// the templates, and the instances of no group found.
    pub fn resources(&self) -> Vec<Resource> {
        let groups = self.groups.iter().map(|g| Resource::Group { region: g.region.clone(), name: g.name.clone() });
        let templates = self.templates.iter().map(|t| Resource::LaunchTemplate { region: t.region.clone(), name: t.name.clone() });
        let in_a_group = |i: &&TaggedInstance| i.group.as_ref().is_some_and(|g| self.groups.iter().any(|found| &found.name == g && found.region == i.region));
        let instances = self.instances.iter().filter(|i| !in_a_group(i)).map(|i| Resource::Instance { region: i.region.clone(), id: i.instance_id.clone() });
        groups.chain(templates).chain(instances).collect()
    }

    /// Adds another region's findings.
    pub fn extend(&mut self, other: Inventory) {
        self.instances.extend(other.instances);
        self.groups.extend(other.groups);
        self.templates.extend(other.templates);
    }

    pub fn is_empty(&self) -> bool {
        self.instances.is_empty() && self.groups.is_empty() && self.templates.is_empty()
    }
}

/// What runs where, for `status`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    pub found: Inventory,
    /// Where a resource this session deployed differs from the session's configuration, one
    /// difference a line ("Auto Scaling group x (us-east-1): DesiredCapacity 3 on AWS, 2 in the
    /// configuration"); a deployed resource that is gone is a line too.
    pub drift: Vec<String>,
    /// The regions searched.
    pub searched: Vec<String>,
    /// Regions that could not be searched, each with why ("af-south-1: not enabled …").
    pub skipped: Vec<String>,
}

/// The catalog's price for an instance, for what a teardown saves and what runs costs.
pub trait Prices {
    /// US dollars per hour on demand for `instance_type` in `region` running `operating_system`
    /// (Linux, Windows, RHEL, SUSE); None when the catalog has no such price.
    fn price_per_hour(&mut self, instance_type: &str, region: &str, operating_system: &str) -> Option<f64>;
}

/// Nothing priced: for callers without a catalog.
pub struct NoPrices;

impl Prices for NoPrices {
    fn price_per_hour(&mut self, _: &str, _: &str, _: &str) -> Option<f64> {
        None
    }
}

impl Prices for super::LazyCatalog {
    /// The `os_prices` table where the catalog has it, else `prices`, which holds Linux prices.
    fn price_per_hour(&mut self, instance_type: &str, region: &str, operating_system: &str) -> Option<f64> {
        use rusqlite::types::Value;
        let catalog = self.get().ok()?;
        let first = |sql: &str, params: &[Value]| match catalog.query(sql, params) {
            Ok((_, rows)) => rows.first().and_then(|r| r.first()).and_then(|v| if let Value::Real(p) = v { Some(*p) } else { None }),
            Err(_) => None,
        };
        let (t, r, os) = (Value::Text(instance_type.into()), Value::Text(region.into()), Value::Text(operating_system.into()));
        let by_os = "SELECT price_per_hour FROM os_prices WHERE instance_type = ?1 AND region = ?2 AND operating_system = ?3";
        first(by_os, &[t.clone(), r.clone(), os]).or_else(|| {
            (operating_system == "Linux").then(|| first("SELECT price_per_hour FROM prices WHERE instance_type = ?1 AND region = ?2", &[t, r])).flatten()
        })
    }
}

pub trait Aws: Send {
    /// Deploys `config`: creates it, updates the group in place, or after `confirm` says yes
    /// creates a second copy (see [`Aws::preview`]); on failure, deletes whatever it had created
    /// and says so. On real AWS `confirm` is asked after pre-flight, before anything is sent.
    fn deploy(&mut self, config: &Configuration, console: &mut Console, confirm: &mut dyn Confirm) -> Result<Deployment, String>;
    /// What deploying `config` would do, given what this session deployed; creates nothing.
    fn preview(&mut self, config: &Configuration, console: &mut Console) -> Result<Preview, String>;
    fn stream_console(&mut self, instance_id: &str, console: &mut Console) -> Result<(), String>;
    /// Lists what this session deployed (ids, names, region, cost per hour from `prices`) and
    /// deletes it once `confirm` says yes; returns what was deleted.
    fn teardown(&mut self, console: &mut Console, confirm: &mut dyn Confirm, prices: &mut dyn Prices) -> Result<Vec<String>, String>;
    /// The architecture of `image_id` in `region`, if an endpoint is already up to ask (nothing
    /// is started for this); None when unknown.
    fn image_architecture(&mut self, _region: &str, _image_id: &str) -> Option<String> {
        None
    }
    /// What this session deployed and has not torn down.
    fn state(&self) -> State {
        State::default()
    }
    /// Takes back a state saved earlier (`--resume`); deployments to a simulator are dropped,
    /// since the simulator they ran on ended with its process.
    fn restore(&mut self, _state: State) {}
    /// Called with the state each time it changes, from now on.
    fn set_persist(&mut self, _hook: PersistHook) {}
    /// Recent Spot prices of `instance_type` in `region` for `operating_system`, one per zone
    /// (DescribeSpotPriceHistory); Err saying why where they are unknown.
    fn spot_prices(&mut self, _instance_type: &str, _region: &str, _operating_system: &str, _console: &mut Console) -> Result<Vec<SpotPrice>, String> {
        Err("Spot prices are unknown here".into())
    }
    /// Everything carrying this tool's tag in `regions`, with drift against `config`.
    fn status(&mut self, _regions: &[String], _config: &Configuration, _console: &mut Console) -> Result<Status, String> {
        Err("status is not available here".into())
    }
}
