//! The configuration being built, and the rules every change must keep.
//!
//! `Configuration` is `Ec2Config`, `AsgConfig` and the remembered `Requirements`.
//!
//! - `with_ec2` and `with_asg` apply an update to a copy and run `validate` on the whole result.
//!   They follow the AWS API reference's rules: a bound named alone drags the other,
//!   DesiredCapacity follows MinSize/MaxSize unless named, bounds named together that cross are
//!   refused, group sizes may be 0. What they move besides what was asked comes back as notes
//!   (`Applied`), which the user is shown. Refused updates come back as `Not changed: …; ….`
//! - When the region changes, the availability zones move to the new region. A type or region that
//!   is set is checked against the catalog's prices and offerings.
//! - `dormant` names the settings not in use (for the router's `Context`); `state` summarises the
//!   configuration for model prompts.
use crate::conversation::Requirements;
use crate::plugin::spec::Value;
use aws_agent_sdk::defaults;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ec2Config {
    pub region: String,
    pub instance_type: String,
    pub image_id: String,
    pub min_count: u32,
    pub max_count: u32,
    /// An existing key pair's name; empty for none.
    #[serde(default)]
    pub key_name: String,
    /// Existing security groups; empty for the VPC's default group.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// "Linux", "Windows", "RHEL" or "SUSE" (the price list's `operatingSystem`): what the
    /// instances run, what they are priced for, and which image family the default image is.
    #[serde(default = "default_operating_system")]
    pub operating_system: String,
    /// "on-demand" or "spot".
    #[serde(default = "default_market_type")]
    pub market_type: String,
    /// The subnet plain instances launch into (RunInstances `SubnetId`); empty for the default
    /// VPC's default subnet.
    #[serde(default)]
    pub subnet_id: String,
}

fn default_operating_system() -> String {
    defaults::OPERATING_SYSTEM.into()
}

fn default_market_type() -> String {
    defaults::MARKET_TYPE.into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsgConfig {
    pub enabled: bool,
    pub launch_template_name: String,
    #[serde(rename = "VPCZoneIdentifier")]
    pub vpc_zone_identifier: String,
    pub availability_zones: Vec<String>,
    pub min_size: u32,
    pub max_size: u32,
    pub desired_capacity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Configuration {
    pub ec2: Ec2Config,
    pub asg: AsgConfig,
    /// What the last search asked for; kept here so it is saved, undone and redone with the
    /// settings it explains.
    #[serde(default)]
    pub requirements: Requirements,
    /// The settings the last change set, by name (`MaxSize`, `ram`): what "make that 6" refers
    /// to. Kept here so undo and redo step it with the change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub last_changed: Vec<String>,
}

/// One setting as a change left it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub name: String,
    pub before: String,
    pub after: String,
}

impl std::fmt::Display for Change {
    /// `MaxSize 5 → 1`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |v: &str| if v.is_empty() { "(none)".to_string() } else { v.to_string() };
        write!(f, "{} {} → {}", self.name, shown(&self.before), shown(&self.after))
    }
}

#[derive(Debug, Default, Clone)]
pub struct Ec2Update {
    pub region: Option<String>,
    pub instance_type: Option<String>,
    pub image_id: Option<String>,
    pub min_count: Option<u32>,
    pub max_count: Option<u32>,
    /// "" removes the key pair.
    pub key_name: Option<String>,
    pub security_group_ids: Option<Vec<String>>,
    pub operating_system: Option<String>,
    pub market_type: Option<String>,
    /// "" goes back to the default VPC.
    pub subnet_id: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct AsgUpdate {
    pub enabled: Option<bool>,
    pub launch_template_name: Option<String>,
    pub vpc_zone_identifier: Option<String>,
    pub availability_zones: Option<Vec<String>>,
    pub min_size: Option<u32>,
    pub max_size: Option<u32>,
    pub desired_capacity: Option<u32>,
}

impl Default for Configuration {
    fn default() -> Self {
        Configuration::in_region(crate::catalog::DEFAULT_REGION)
    }
}

impl Configuration {
    /// The defaults, placed in `region` (its zone "a").
    pub fn in_region(region: &str) -> Self {
        Configuration {
            ec2: Ec2Config {
                region: region.into(),
                instance_type: defaults::INSTANCE_TYPE.into(),
                image_id: DEFAULT_IMAGE.into(),
                min_count: defaults::MIN_COUNT,
                max_count: defaults::MAX_COUNT,
                key_name: String::new(),
                security_group_ids: vec![],
                operating_system: defaults::OPERATING_SYSTEM.into(),
                market_type: defaults::MARKET_TYPE.into(),
                subnet_id: String::new(),
            },
            asg: AsgConfig {
                enabled: false,
                launch_template_name: defaults::LAUNCH_TEMPLATE_NAME.into(),
                vpc_zone_identifier: String::new(),
                availability_zones: vec![defaults::zone(region)],
                min_size: defaults::MIN_SIZE,
                max_size: defaults::MAX_SIZE,
                desired_capacity: defaults::DESIRED_CAPACITY,
            },
            requirements: Requirements::default(),
            last_changed: vec![],
        }
    }

    /// Every setting by the name the specs use for it — the AWS field names, `Autoscaling` for
    /// whether the group is on, and the requirements by the searching intent's own argument
    /// names — for words that are relative to what is set ("double the memory").
    pub fn values(&self) -> Vec<(String, Value)> {
        let (e, a) = (&self.ec2, &self.asg);
        let text = |v: &str| Value::Text(v.to_string());
        let mut values = vec![
            ("Region".to_string(), text(&e.region)),
            ("InstanceType".into(), text(&e.instance_type)),
            ("ImageId".into(), text(&e.image_id)),
            ("MinCount".into(), Value::Int(e.min_count.into())),
            ("MaxCount".into(), Value::Int(e.max_count.into())),
            ("KeyName".into(), text(&e.key_name)),
            ("SecurityGroupIds".into(), Value::TextList(e.security_group_ids.clone())),
            ("OperatingSystem".into(), text(&e.operating_system)),
            ("MarketType".into(), text(&e.market_type)),
            ("SubnetId".into(), text(&e.subnet_id)),
            ("Autoscaling".into(), text(if a.enabled { "enabled" } else { "disabled" })),
            ("LaunchTemplateName".into(), text(&a.launch_template_name)),
            ("VPCZoneIdentifier".into(), text(&a.vpc_zone_identifier)),
            ("AvailabilityZones".into(), Value::TextList(a.availability_zones.clone())),
            ("MinSize".into(), Value::Int(a.min_size.into())),
            ("MaxSize".into(), Value::Int(a.max_size.into())),
            ("DesiredCapacity".into(), Value::Int(a.desired_capacity.into())),
        ];
        values.extend(self.requirements.constraints.iter().cloned());
        values
    }

    /// What changed from `self` to `after`, setting by setting, in [`Configuration::values`] order.
    pub fn changes_to(&self, after: &Configuration) -> Vec<Change> {
        let (old, new) = (self.values(), after.values());
        let shown = |v: Option<&Value>| match v {
            None => String::new(),
            Some(Value::Text(t)) => t.clone(),
            Some(Value::TextList(l)) => l.join(", "),
            Some(Value::Int(i)) => i.to_string(),
            Some(Value::Float(f)) => f.to_string(),
        };
        let mut names: Vec<&String> = old.iter().map(|(n, _)| n).collect();
        names.extend(new.iter().map(|(n, _)| n).filter(|n| !old.iter().any(|(o, _)| o == *n)));
        names
            .into_iter()
            .filter_map(|name| {
                let before = shown(old.iter().find(|(n, _)| n == name).map(|(_, v)| v));
                let after = shown(new.iter().find(|(n, _)| n == name).map(|(_, v)| v));
                (before != after).then(|| Change { name: name.clone(), before, after })
            })
            .collect()
    }

    /// Parameter names of the settings not in use: the group's while autoscaling is off, the
    /// EC2 counts while it is on (the group decides how many instances run then).
    pub fn dormant(&self) -> Vec<String> {
        let names: &[&str] = match self.asg.enabled {
            true => &["MinCount", "MaxCount"],
            false => &["LaunchTemplateName", "VPCZoneIdentifier", "AvailabilityZones", "MinSize", "MaxSize", "DesiredCapacity"],
        };
        names.iter().map(|n| n.to_string()).collect()
    }

    /// The settings in use and the requirements, one line each, for a model's prompt.
    pub fn state(&self) -> String {
        let (e, a) = (&self.ec2, &self.asg);
        let mut lines = vec![format!("Region {}, InstanceType {}, ImageId {}", e.region, e.instance_type, e.image_id)];
        match a.enabled {
            true => lines.push(format!(
                "Autoscaling on: MinSize {}, MaxSize {}, DesiredCapacity {}, AvailabilityZones {}",
                a.min_size,
                a.max_size,
                a.desired_capacity,
                a.availability_zones.join(" ")
            )),
            false => lines.push(format!("Autoscaling off: MinCount {}, MaxCount {}", e.min_count, e.max_count)),
        }
        lines.extend(self.requirements.describe(&e.instance_type, &e.region));
        lines.join("\n")
    }
}

/// The image a configuration launches when the user chose none: the latest Amazon Linux 2023 for
/// the type's architecture, from AWS's public SSM parameter (resolved when deploying).
pub const DEFAULT_IMAGE: &str = defaults::IMAGE_ID;

/// An AMI id, or an OS family resolved for the type when deploying (`plan::family_parameter`).
static IMAGE_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(ami-([0-9a-f]{8}|[0-9a-f]{17})|al2023|ubuntu-24\.04|windows-2022)$").expect("valid regex"));
static SUBNET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^subnet-([0-9a-f]{8}|[0-9a-f]{17})$").expect("valid regex"));

/// The operating system an image family value runs; None for an AMI id.
pub fn family_of(image_id: &str) -> Option<&'static str> {
    match image_id {
        DEFAULT_IMAGE | "ubuntu-24.04" => Some("Linux"),
        "windows-2022" => Some("Windows"),
        _ => None,
    }
}

/// The image family the default image becomes for `os`: the latest image AWS publishes a
/// public parameter for (`plan::family_parameter`). None where this tool knows none (RHEL and
/// SUSE are sold through the Marketplace; name an AMI).
pub fn family_for(os: &str) -> Option<&'static str> {
    match os {
        "Linux" => Some(DEFAULT_IMAGE),
        "Windows" => Some("windows-2022"),
        _ => None,
    }
}
static SUBNETS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^subnet-[0-9a-f]{8,17}(,subnet-[0-9a-f]{8,17})*$").expect("valid regex"));
static SECURITY_GROUP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^sg-([0-9a-f]{8}|[0-9a-f]{17})$").expect("valid regex"));
static TEMPLATE_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z0-9()./_-]{3,128}$").expect("valid regex"));
static REGION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z]{2}(-gov)?-[a-z]+-\d$").expect("valid regex"));

/// A pair of bounds after an update: `(name, named, current)` for the lower and the upper one.
/// Both named and crossed is a contradiction; one named alone drags the other along.
fn bounds(low: (&str, Option<u32>, u32), high: (&str, Option<u32>, u32), notes: &mut Vec<String>) -> Result<(u32, u32), String> {
    let ((low_name, low_named, low_now), (high_name, high_named, high_now)) = (low, high);
    match (low_named, high_named) {
        (Some(lo), Some(hi)) if lo > hi => {
            Err(format!("Not changed: {low_name} {lo} and {high_name} {hi} contradict each other; the minimum must not exceed the maximum."))
        }
        (Some(lo), None) if lo > high_now => {
            notes.push(format!("{high_name} raised to {lo} to stay at or above {low_name}."));
            Ok((lo, lo))
        }
        (None, Some(hi)) if hi < low_now => {
            notes.push(format!("{low_name} lowered to {hi} to stay at or below {high_name}."));
            Ok((hi, hi))
        }
        (lo, hi) => Ok((lo.unwrap_or(low_now), hi.unwrap_or(high_now))),
    }
}

/// The largest Integer the EC2 and Auto Scaling APIs take (a 32-bit signed integer).
pub const MAX_INTEGER: u32 = i32::MAX as u32;

/// What the configuration rules need to know about the catalog.
pub trait Facts {
    fn has_type(&mut self, instance_type: &str) -> Result<bool, String>;
    /// The type's CPU architecture (`x86_64`, `arm64`), if the catalog knows the type.
    fn arch(&mut self, instance_type: &str) -> Option<String>;
    /// Ok if `region` has the type (priced or offered there), else the nearest types it has.
    fn offered(&mut self, instance_type: &str, region: &str) -> Result<Result<(), Vec<String>>, String>;
    fn regions(&mut self) -> Result<Vec<String>, String>;
}

/// A change that was applied, with what the host moved to keep the rules ("DesiredCapacity
/// raised to 2 to stay within MinSize 2 – MaxSize 4"): the user is told each one.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub config: Configuration,
    pub notes: Vec<String>,
}

impl Configuration {
    /// The configuration with `update` applied, if it keeps every rule.
    ///
    /// A bound named alone drags the other along (MinCount 3 while MaxCount is 1 gives MaxCount
    /// 3); bounds named together that contradict each other are refused. RunInstances takes
    /// MinCount and MaxCount from 1 up, with MinCount ≤ MaxCount (EC2 API reference,
    /// RunInstances).
    pub fn with_ec2(&self, u: Ec2Update, facts: &mut dyn Facts) -> Result<Applied, String> {
        let mut next = self.clone();
        let mut notes = Vec::new();
        let placed = u.instance_type.is_some() || u.region.is_some();
        let image_named = u.image_id.is_some();
        if let Some(region) = u.region
            && region != next.ec2.region
        {
            // Zones belong to a region: follow the move instead of leaving the group invalid.
            let old = std::mem::replace(&mut next.ec2.region, region);
            let before = next.asg.availability_zones.clone();
            for zone in &mut next.asg.availability_zones {
                if let Some(letter) = zone.strip_prefix(old.as_str()) {
                    *zone = format!("{}{letter}", next.ec2.region);
                }
            }
            // The default zone ("a") moves quietly; zones the user chose are worth a word,
            // since the same letters need not exist in the new region (pre-flight checks).
            if before != [format!("{old}a")] {
                notes.push(format!("AvailabilityZones moved with the region: {} → {}.", before.join(", "), next.asg.availability_zones.join(", ")));
            }
            // Image, subnet and security group ids exist in one region only: what was named
            // for the old one is dropped, and the user is told.
            let new = next.ec2.region.clone();
            if next.ec2.image_id.starts_with("ami-") && u.image_id.is_none() {
                notes.push(format!("ImageId {} is an image of {old}; back to the latest Amazon Linux 2023 in {new}.", next.ec2.image_id));
                next.ec2.image_id = DEFAULT_IMAGE.into();
            }
            if !next.asg.vpc_zone_identifier.is_empty() {
                notes.push(format!(
                    "VPCZoneIdentifier {} is in {old}; the group now uses the default VPC's subnets in its zones.",
                    next.asg.vpc_zone_identifier
                ));
                next.asg.vpc_zone_identifier.clear();
            }
            if !next.ec2.subnet_id.is_empty() && u.subnet_id.is_none() {
                notes.push(format!("SubnetId {} is in {old}; the instances launch into the default VPC in {new}.", next.ec2.subnet_id));
                next.ec2.subnet_id.clear();
            }
            if !next.ec2.security_group_ids.is_empty() && u.security_group_ids.is_none() {
                notes.push(format!("SecurityGroupIds {} are in {old}; the default security group is used in {new}.", next.ec2.security_group_ids.join(", ")));
                next.ec2.security_group_ids.clear();
            }
        }
        let e = &mut next.ec2;
        e.instance_type = u.instance_type.unwrap_or(std::mem::take(&mut e.instance_type));
        e.image_id = u.image_id.unwrap_or(std::mem::take(&mut e.image_id));
        e.key_name = u.key_name.unwrap_or(std::mem::take(&mut e.key_name));
        e.security_group_ids = u.security_group_ids.unwrap_or(std::mem::take(&mut e.security_group_ids));
        e.market_type = u.market_type.unwrap_or(std::mem::take(&mut e.market_type));
        e.subnet_id = u.subnet_id.unwrap_or(std::mem::take(&mut e.subnet_id));
        if let Some(os) = u.operating_system
            && os != e.operating_system
        {
            // The default image follows the operating system: a family image of the old one is
            // replaced by the new one's, and the user is told; a named AMI stays (pre-flight
            // checks its platform).
            let family = family_for(&os);
            if !image_named && family_of(&e.image_id).is_some() && family_of(&e.image_id) != Some(os.as_str()) {
                match family {
                    Some(f) => notes.push(format!("ImageId follows OperatingSystem {os}: {} → {f}.", e.image_id)),
                    None => notes.push(format!(
                        "AWS publishes no \"latest image\" parameter for {os} that this tool knows; name an AMI (\"use image ami-…\") before deploying."
                    )),
                }
                if let Some(f) = family {
                    e.image_id = f.into();
                }
            }
            e.operating_system = os;
        } else if let Some(os) = Some(&e.image_id).filter(|_| image_named).and_then(|i| family_of(i)).filter(|os| *os != e.operating_system) {
            // An image family named for another operating system brings it along.
            notes.push(format!("OperatingSystem follows ImageId {}: {} → {os}.", e.image_id, e.operating_system));
            e.operating_system = os.into();
        }
        let (min, max) = bounds(("MinCount", u.min_count, e.min_count), ("MaxCount", u.max_count, e.max_count), &mut notes)?;
        (e.min_count, e.max_count) = (min, max);
        next.validate(facts)?;
        // Checked when the type or the region is set, not on every change: a configuration that
        // starts in a region without the default type can still be changed to one it has.
        if placed && let Err(nearest) = facts.offered(&next.ec2.instance_type, &next.ec2.region)? {
            let instead = if nearest.is_empty() {
                "no type of that size or larger is priced there".to_string()
            } else {
                format!("nearest offered: {}", nearest.join(", "))
            };
            return Err(format!("Not changed: {} is not offered in {}; {instead}.", next.ec2.instance_type, next.ec2.region));
        }
        Ok(Applied { config: next, notes })
    }

    /// As [`Configuration::with_ec2`], for the group. Sizes may be 0 (a group scaled in to
    /// nothing). When MinSize or MaxSize changes and DesiredCapacity is not given,
    /// DesiredCapacity moves into the new range, as UpdateAutoScalingGroup does; a
    /// DesiredCapacity the user names outside [MinSize, MaxSize] is refused, as AWS refuses it
    /// (Auto Scaling API reference, UpdateAutoScalingGroup).
    pub fn with_asg(&self, u: AsgUpdate, facts: &mut dyn Facts) -> Result<Applied, String> {
        let mut next = self.clone();
        let mut notes = Vec::new();
        let a = &mut next.asg;
        a.enabled = u.enabled.unwrap_or(a.enabled);
        a.launch_template_name = u.launch_template_name.unwrap_or(std::mem::take(&mut a.launch_template_name));
        a.vpc_zone_identifier = u.vpc_zone_identifier.unwrap_or(std::mem::take(&mut a.vpc_zone_identifier));
        a.availability_zones = u.availability_zones.unwrap_or(std::mem::take(&mut a.availability_zones));
        let (min, max) = bounds(("MinSize", u.min_size, a.min_size), ("MaxSize", u.max_size, a.max_size), &mut notes)?;
        (a.min_size, a.max_size) = (min, max);
        match u.desired_capacity {
            Some(d) if d < min => {
                return Err(format!(
                    "Not changed: DesiredCapacity ({d}) is below MinSize ({min}); lower MinSize too (\"min size {d}\") or choose a capacity from {min} to {max}."
                ));
            }
            Some(d) if d > max && u.max_size.is_some() => {
                return Err(format!(
                    "Not changed: DesiredCapacity {d} and MaxSize {max} contradict each other; the desired capacity must not exceed the maximum."
                ));
            }
            Some(d) if d < min && u.min_size.is_some() => {
                return Err(format!(
                    "Not changed: DesiredCapacity {d} and MinSize {min} contradict each other; the desired capacity must not be below the minimum."
                ));
            }
            Some(d) if d > max => {
                return Err(format!(
                    "Not changed: DesiredCapacity ({d}) is above MaxSize ({max}); raise MaxSize too (\"max size {d}\") or choose a capacity from {min} to {max}."
                ));
            }
            Some(d) => a.desired_capacity = d,
            None => {
                let clamped = a.desired_capacity.clamp(min, max);
                if clamped != a.desired_capacity {
                    let moved = if clamped > a.desired_capacity { "raised" } else { "lowered" };
                    notes.push(format!("DesiredCapacity {moved} to {clamped} to stay within MinSize {min} – MaxSize {max}."));
                    a.desired_capacity = clamped;
                }
            }
        }
        next.validate(facts)?;
        Ok(Applied { config: next, notes })
    }

    /// Every rule, checked on the whole configuration so no order of updates can slip past one.
    pub fn validate(&self, facts: &mut dyn Facts) -> Result<(), String> {
        let (e, a) = (&self.ec2, &self.asg);
        let mut problems = Vec::new();
        // Group sizes may be 0; RunInstances launches at least one instance.
        for (name, n) in [("MinCount", e.min_count), ("MaxCount", e.max_count)] {
            if n < 1 {
                problems.push(format!("{name} must be at least 1: RunInstances launches at least one instance"));
            }
        }
        // The APIs take these as Integer (32-bit signed): larger values cannot be sent as shown.
        for (name, n) in
            [("MinCount", e.min_count), ("MaxCount", e.max_count), ("MinSize", a.min_size), ("MaxSize", a.max_size), ("DesiredCapacity", a.desired_capacity)]
        {
            if n > MAX_INTEGER {
                problems.push(format!("{name} ({n}) is above {MAX_INTEGER}, the largest number the AWS API takes"));
            }
        }
        if e.min_count > e.max_count {
            problems.push(format!("MinCount ({}) must not exceed MaxCount ({})", e.min_count, e.max_count));
        }
        if a.min_size > a.max_size {
            problems.push(format!("MinSize ({}) must not exceed MaxSize ({})", a.min_size, a.max_size));
        } else if a.desired_capacity < a.min_size || a.desired_capacity > a.max_size {
            problems.push(format!("DesiredCapacity ({}) must be between MinSize ({}) and MaxSize ({})", a.desired_capacity, a.min_size, a.max_size));
        }
        if !IMAGE_ID.is_match(&e.image_id) {
            problems.push(format!("ImageId {:?} is not an AMI id (ami- and 8 or 17 hex digits), al2023, ubuntu-24.04 or windows-2022", e.image_id));
        }
        if !defaults::OPERATING_SYSTEMS.contains(&e.operating_system.as_str()) {
            problems.push(format!("OperatingSystem {:?} is not one of {}", e.operating_system, defaults::OPERATING_SYSTEMS.join(", ")));
        }
        if !defaults::MARKET_TYPES.contains(&e.market_type.as_str()) {
            problems.push(format!("MarketType {:?} is not one of {}", e.market_type, defaults::MARKET_TYPES.join(", ")));
        }
        if !e.subnet_id.is_empty() && !SUBNET.is_match(&e.subnet_id) {
            problems.push(format!("SubnetId {:?} is not a subnet id (subnet- and 8 or 17 hex digits)", e.subnet_id));
        }
        // Windows runs on x86_64 types only, and never on Mac instances (EC2 User Guide,
        // "Windows instances" and "Amazon EC2 Mac instances").
        if e.operating_system == "Windows" && (e.instance_type.starts_with("mac") || facts.arch(&e.instance_type).is_some_and(|arch| arch != "x86_64")) {
            problems.push(format!("InstanceType {} cannot run Windows: Windows runs on x86_64 types only, not on arm64 or Mac instances", e.instance_type));
        }
        // EC2 key pair names: up to 255 ASCII characters (CreateKeyPair).
        if e.key_name.len() > 255 || !e.key_name.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
            problems.push(format!("KeyName {:?} must be up to 255 ASCII characters", e.key_name));
        }
        for group in e.security_group_ids.iter().filter(|g| !SECURITY_GROUP.is_match(g)) {
            problems.push(format!("{group:?} is not a security group id (sg- and 8 or 17 hex digits)"));
        }
        if !TEMPLATE_NAME.is_match(&a.launch_template_name) {
            problems.push(format!("LaunchTemplateName {:?} must be 3 to 128 letters, digits or ()./_-", a.launch_template_name));
        }
        if !a.vpc_zone_identifier.is_empty() && !SUBNETS.is_match(&a.vpc_zone_identifier) {
            problems.push(format!("VPCZoneIdentifier {:?} must be comma-separated subnet ids", a.vpc_zone_identifier));
        }
        if a.availability_zones.is_empty() {
            problems.push("AvailabilityZones must name at least one zone".into());
        }
        for zone in &a.availability_zones {
            let letter = zone.strip_prefix(e.region.as_str());
            if !letter.is_some_and(|l| l.len() == 1 && l.chars().all(|c| c.is_ascii_lowercase())) {
                problems.push(format!("availability zone {zone:?} is not a zone of region {}", e.region));
            }
        }
        if !REGION.is_match(&e.region) {
            problems.push(format!("region {:?} is not an AWS region code", e.region));
        } else {
            let regions = facts.regions()?;
            if !regions.is_empty() && !regions.contains(&e.region) {
                problems.push(format!("the catalog has no prices for region {}", e.region));
            }
        }
        if !facts.has_type(&e.instance_type)? {
            problems.push(format!("InstanceType {} is not in the catalog", e.instance_type));
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(format!("Not changed: {}.", problems.join("; "))),
        }
    }

    /// The Auto Scaling group is named after its template, so one name identifies a deployment.
    pub fn group_name(&self) -> String {
        format!("{}-asg", self.asg.launch_template_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Known;
    impl Facts for Known {
        fn has_type(&mut self, t: &str) -> Result<bool, String> {
            Ok(["t2.micro", "m5.large"].contains(&t))
        }
        fn regions(&mut self) -> Result<Vec<String>, String> {
            Ok(vec!["us-east-1".into(), "eu-west-1".into()])
        }
        fn arch(&mut self, _: &str) -> Option<String> {
            Some("x86_64".into())
        }
        fn offered(&mut self, t: &str, region: &str) -> Result<Result<(), Vec<String>>, String> {
            Ok(if t == "m5.large" && region == "eu-west-1" { Err(vec!["m6i.large".into()]) } else { Ok(()) })
        }
    }

    #[test]
    fn default_is_valid() {
        Configuration::default().validate(&mut Known).unwrap();
    }

    fn ec2(c: &Configuration, u: Ec2Update) -> Result<Applied, String> {
        c.with_ec2(u, &mut Known)
    }

    fn asg(c: &Configuration, u: AsgUpdate) -> Result<Applied, String> {
        c.with_asg(u, &mut Known)
    }

    #[test]
    fn a_bound_named_alone_drags_the_other() {
        let c = Configuration::default();
        let up = ec2(&c, Ec2Update { min_count: Some(2), ..Default::default() }).unwrap();
        assert_eq!((up.config.ec2.min_count, up.config.ec2.max_count), (2, 2));
        assert_eq!(up.notes, ["MaxCount raised to 2 to stay at or above MinCount."]);
        let then = ec2(&up.config, Ec2Update { max_count: Some(6), ..Default::default() }).unwrap();
        assert_eq!((then.config.ec2.min_count, then.config.ec2.max_count), (2, 6));
        assert!(then.notes.is_empty());
        let mut group = Configuration::default();
        (group.asg.min_size, group.asg.max_size, group.asg.desired_capacity) = (5, 8, 5);
        let down = asg(&group, AsgUpdate { max_size: Some(3), ..Default::default() }).unwrap();
        assert_eq!((down.config.asg.min_size, down.config.asg.max_size, down.config.asg.desired_capacity), (3, 3, 3));
        assert_eq!(down.notes, ["MinSize lowered to 3 to stay at or below MaxSize.", "DesiredCapacity lowered to 3 to stay within MinSize 3 – MaxSize 3."]);
    }

    #[test]
    fn desired_capacity_follows_the_range_unless_named() {
        let c = Configuration::default();
        let moved = asg(&c, AsgUpdate { min_size: Some(2), max_size: Some(4), ..Default::default() }).unwrap();
        assert_eq!((moved.config.asg.min_size, moved.config.asg.max_size, moved.config.asg.desired_capacity), (2, 4, 2));
        assert_eq!(moved.notes, ["DesiredCapacity raised to 2 to stay within MinSize 2 – MaxSize 4."]);
        let err = asg(&moved.config, AsgUpdate { desired_capacity: Some(10), ..Default::default() }).unwrap_err();
        assert_eq!(err, "Not changed: DesiredCapacity (10) is above MaxSize (4); raise MaxSize too (\"max size 10\") or choose a capacity from 2 to 4.");
    }

    #[test]
    fn contradictions_are_refused_and_zero_sizes_allowed() {
        let c = Configuration::default();
        let err = asg(&c, AsgUpdate { min_size: Some(5), max_size: Some(3), ..Default::default() }).unwrap_err();
        assert_eq!(err, "Not changed: MinSize 5 and MaxSize 3 contradict each other; the minimum must not exceed the maximum.");
        let night = asg(&c, AsgUpdate { min_size: Some(0), desired_capacity: Some(0), ..Default::default() }).unwrap();
        assert_eq!((night.config.asg.min_size, night.config.asg.desired_capacity), (0, 0));
        let err = ec2(&c, Ec2Update { max_count: Some(0), ..Default::default() }).unwrap_err();
        assert!(err.contains("MaxCount must be at least 1"), "{err}");
    }

    #[test]
    fn values_must_have_their_shape_and_exist() {
        let c = Configuration::default();
        let bad = Ec2Update { instance_type: Some("t3.nonsense".into()), image_id: Some("ami-xyz".into()), ..Default::default() };
        let err = ec2(&c, bad).unwrap_err();
        assert!(err.contains("InstanceType t3.nonsense is not in the catalog"), "{err}");
        assert!(err.contains("ImageId \"ami-xyz\" is not an AMI id"), "{err}");
        let err = asg(&c, AsgUpdate { availability_zones: Some(vec!["eu-west-1a".into()]), ..Default::default() }).unwrap_err();
        assert!(err.contains("\"eu-west-1a\" is not a zone of region us-east-1"), "{err}");
        let err = ec2(&c, Ec2Update { region: Some("ap-mars-1".into()), ..Default::default() }).unwrap_err();
        assert!(err.contains("no prices for region ap-mars-1"), "{err}");
    }

    #[test]
    fn a_type_the_region_does_not_have_is_refused_when_set() {
        let c = Configuration::default();
        let moved = ec2(&c, Ec2Update { region: Some("eu-west-1".into()), ..Default::default() }).unwrap();
        let err = ec2(&moved.config, Ec2Update { instance_type: Some("m5.large".into()), ..Default::default() }).unwrap_err();
        assert_eq!(err, "Not changed: m5.large is not offered in eu-west-1; nearest offered: m6i.large.");
    }

    #[test]
    fn ids_of_the_old_region_do_not_move_with_it() {
        let mut c = Configuration::default();
        c.ec2.image_id = "ami-760aaa0f".into();
        c.asg.vpc_zone_identifier = "subnet-0123abcd".into();
        let moved = ec2(&c, Ec2Update { region: Some("eu-west-1".into()), ..Default::default() }).unwrap();
        assert_eq!(moved.config.ec2.image_id, "al2023");
        assert!(moved.config.asg.vpc_zone_identifier.is_empty());
        assert_eq!(moved.notes.len(), 2, "{:?}", moved.notes);
    }

    #[test]
    fn zones_follow_a_region_change() {
        let c = Configuration::default();
        let moved = ec2(&c, Ec2Update { region: Some("eu-west-1".into()), ..Default::default() }).unwrap();
        assert_eq!(moved.config.asg.availability_zones, ["eu-west-1a"]);
    }
}
