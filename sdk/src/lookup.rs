//! One instance type as the answering intents describe it: its facts, its on-demand price for an
//! operating system, where its prices come from, and what to say of a name that is no EC2 type.
//!
//! Every look-up is read-only SQL over the catalog (`instance_types`, `os_prices`, `metadata`),
//! so an intent built on these needs the catalog capability and nothing else.
use crate::Host;
use crate::offers::prices_as_of;
use crate::values::Row;

/// What the catalog knows of one instance type (the `instance_types` table; DescribeInstanceTypes
/// names in the comments).
#[derive(Debug, Clone, PartialEq)]
pub struct TypeFacts {
    pub instance_type: String,
    /// `VCpuInfo.DefaultVCpus`.
    pub vcpus: i64,
    /// GiB (`MemoryInfo.SizeInMiB` / 1024).
    pub memory_gib: f64,
    pub gpus: i64,
    /// GiB over all GPUs.
    pub gpu_memory_gib: f64,
    /// `GpuInfo.Gpus[].Manufacturer` ("NVIDIA"); empty when the catalog does not know.
    pub gpu_manufacturer: String,
    /// `GpuInfo.Gpus[].Name` ("T4"); empty when the catalog does not know.
    pub gpu_name: String,
    /// `x86_64` or `arm64`.
    pub arch: String,
    /// `NetworkInfo.NetworkPerformance` ("Up to 10 Gigabit").
    pub network: String,
    /// `BurstablePerformanceSupported`: runs on CPU credits (the T family).
    pub burstable: bool,
    pub processor: String,
}

impl TypeFacts {
    fn from_row(r: &Row<'_>) -> TypeFacts {
        TypeFacts {
            instance_type: r.text("instance_type"),
            vcpus: r.i64("vcpus"),
            memory_gib: r.f64("memory_gib"),
            gpus: r.i64("gpus"),
            gpu_memory_gib: r.f64("gpu_memory_gib"),
            gpu_manufacturer: r.text("gpu_manufacturer"),
            gpu_name: r.text("gpu_name"),
            arch: r.text("arch"),
            network: r.text("network"),
            burstable: r.i64("burstable") != 0,
            processor: r.text("processor"),
        }
    }

    /// "1 x NVIDIA T4, 16 GiB in all", "none", or "2, maker unknown to the catalog".
    pub fn gpus_in_words(&self) -> String {
        let model = format!("{} {}", self.gpu_manufacturer, self.gpu_name);
        match (self.gpus, model.trim()) {
            (0, _) => "none".into(),
            (n, "") => format!("{n}, maker unknown to the catalog"),
            (n, model) => format!("{n} x {model}, {} GiB in all", self.gpu_memory_gib),
        }
    }
}

/// The facts of `instance_type`, or None when the catalog has no such type.
pub fn facts(host: &mut impl Host, instance_type: &str) -> Result<Option<TypeFacts>, String> {
    let rows = host.query(
        "SELECT instance_type, vcpus, memory_gib, gpus, gpu_memory_gib, gpu_manufacturer, gpu_name, arch, network, burstable, processor
         FROM instance_types WHERE instance_type = ?1",
        &[instance_type.into()],
    )?;
    Ok(rows.first().map(|r| TypeFacts::from_row(&r)))
}

/// USD per hour on demand for `instance_type` in `region` running `operating_system` (the price
/// list's spelling: Linux, Windows, RHEL, SUSE); None where the catalog has no such price.
pub fn on_demand(host: &mut impl Host, instance_type: &str, region: &str, operating_system: &str) -> Result<Option<f64>, String> {
    let rows = host.query(
        "SELECT price_per_hour FROM os_prices WHERE instance_type = ?1 AND region = ?2 AND operating_system = ?3",
        &[instance_type.into(), region.into(), operating_system.into()],
    )?;
    Ok(rows.first().map(|r| r.f64("price_per_hour")))
}

/// "Prices as of 2025-03-02 (apache-libcloud 3.9.1)." for the whole catalog.
pub fn provenance(host: &mut impl Host) -> Result<String, String> {
    let rows = host.query(
        "SELECT (SELECT value FROM metadata WHERE key = 'prices_as_of') AS prices_as_of, (SELECT value FROM metadata WHERE key = 'price_source') AS price_source",
        &[],
    )?;
    let first = rows.first();
    Ok(prices_as_of(first.as_ref().and_then(|r| r.get("prices_as_of").as_str()), first.as_ref().and_then(|r| r.get("price_source").as_str())))
}

/// How many names [`not_a_type`] offers instead.
const NEAREST: usize = 3;

/// What to say of `name`, which the catalog does not have: a SageMaker type (`ml.t3.2xlarge`)
/// is named as such, with its EC2 counterpart when there is one; anything else gets the closest
/// EC2 names (by edit distance of the family, then of the size: "m9.huge" is near "m5.large").
pub fn not_a_type(host: &mut impl Host, name: &str) -> Result<String, String> {
    if let Some(ec2) = name.strip_prefix("ml.") {
        let counterpart = match facts(host, ec2)? {
            Some(_) => format!("; the EC2 type of that size is {ec2}"),
            None => String::new(),
        };
        return Ok(format!("{name} is a SageMaker instance type (the ml. prefix), not an EC2 one{counterpart}."));
    }
    let rows = host.query("SELECT instance_type FROM instance_types", &[])?;
    let split = |t: &str| t.split_once('.').map_or((t.to_string(), String::new()), |(f, s)| (f.to_string(), s.to_string()));
    let (family, size) = split(name);
    let mut scored: Vec<(usize, usize, String)> = rows
        .iter()
        .map(|r| {
            let t = r.text("instance_type");
            let (f, s) = split(&t);
            (strsim::osa_distance(&family, &f), strsim::osa_distance(&size, &s), t)
        })
        .collect();
    scored.sort();
    let nearest: Vec<String> = scored.into_iter().take(NEAREST).map(|(_, _, t)| t).collect();
    Ok(match nearest.is_empty() {
        true => format!("{name} is not an EC2 instance type in the catalog."),
        false => format!("{name} is not an EC2 instance type; nearest: {}.", nearest.join(", ")),
    })
}

/// The operating system an answer prices for: the one named (`linux`, `windows`, …, any case),
/// else the configuration's `OperatingSystem`; in the price list's spelling.
pub fn operating_system(named: Option<&str>, host: &mut impl Host) -> String {
    named.and_then(crate::offers::operating_system).map_or_else(|| host.launch_options().operating_system, String::from)
}

/// The pattern of an instance type parameter: an EC2 type ("m5.large", "u-6tb1.metal"), or a
/// SageMaker one ("ml.t3.2xlarge") so that [`not_a_type`] can name it as such.
pub const INSTANCE_TYPE: &str = r"(ml\.)?[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.[a-z0-9-]+";
/// The pattern of a region code parameter ("eu-central-1", "us-gov-west-1").
pub const REGION: &str = r"[a-z]{2}(-gov)?-[a-z]+-[0-9]";
/// The pattern of an operating system parameter, read with [`operating_system`].
pub const OPERATING_SYSTEM: &str = "linux|windows|rhel|suse";
