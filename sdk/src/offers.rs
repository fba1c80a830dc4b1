//! The catalog's offers ranked by price: the search `find-cheapest` answers with, shared with
//! any intent that must search again with the same requirements (a region change keeps them).
use crate::{Args, Argument, Host, Rows, Value};

/// What a search asks for: minimums and one architecture; `None` means any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub cpu: Option<i64>,
    /// GiB.
    pub ram: Option<f64>,
    pub gpus: Option<i64>,
    /// `x86_64` or `arm64`.
    pub arch: Option<String>,
}

// Ties on price go to the smaller machine, then to the name, so answers never flicker.
const CHEAPEST: &str = "SELECT instance_type, vcpus, memory_gib, gpus, arch, network, price_per_hour
    FROM offers WHERE region = ?1 AND vcpus >= coalesce(?2, 0) AND memory_gib >= coalesce(?3, 0)
      AND gpus >= coalesce(?4, 0) AND arch = coalesce(?5, arch)
    ORDER BY price_per_hour, vcpus, memory_gib, gpus, instance_type LIMIT ?6";

impl Constraints {
    /// The constraints among `args` (the searching intent's own parameter names).
    pub fn from_args(args: &Args) -> Constraints {
        Constraints { cpu: args.int("cpu"), ram: args.float("ram"), gpus: args.int("gpus"), arch: args.text("arch").map(String::from) }
    }

    /// `args` laid over these: a value given replaces the remembered one, and 0 drops a
    /// minimum ("any memory is fine", "forget the GPU").
    pub fn updated(&self, args: &Args) -> Constraints {
        let given = Constraints::from_args(args);
        let keep_positive = |new: Option<f64>, old: Option<f64>| match new {
            Some(v) if v <= 0.0 => None,
            Some(v) => Some(v),
            None => old,
        };
        Constraints {
            cpu: keep_positive(given.cpu.map(|v| v as f64), self.cpu.map(|v| v as f64)).map(|v| v as i64),
            ram: keep_positive(given.ram, self.ram),
            gpus: keep_positive(given.gpus.map(|v| v as f64), self.gpus.map(|v| v as f64)).map(|v| v as i64),
            arch: given.arch.or_else(|| self.arch.clone()),
        }
    }

    /// The constraints as arguments, for [`crate::Requirements::constraints`].
    pub fn to_arguments(&self) -> Vec<Argument> {
        let arg = |name: &str, value: Value| Argument { name: name.into(), value };
        [
            self.cpu.map(|v| arg("cpu", Value::Int(v))),
            self.ram.map(|v| arg("ram", Value::Float(v))),
            self.gpus.map(|v| arg("gpus", Value::Int(v))),
            self.arch.clone().map(|v| arg("arch", Value::Text(v))),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Which of these were kept from `earlier` rather than given in `args`.
    pub fn kept_from(&self, earlier: &Constraints, args: &Args) -> Constraints {
        let given = Constraints::from_args(args);
        Constraints {
            cpu: self.cpu.filter(|_| given.cpu.is_none() && earlier.cpu.is_some()),
            ram: self.ram.filter(|_| given.ram.is_none() && earlier.ram.is_some()),
            gpus: self.gpus.filter(|_| given.gpus.is_none() && earlier.gpus.is_some()),
            arch: self.arch.clone().filter(|_| given.arch.is_none() && earlier.arch.is_some()),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// The constraints in words, so the user sees exactly what was applied.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            self.cpu.map(|c| format!(">= {c} vCPUs")),
            self.ram.map(|r| format!(">= {} GiB memory", (r * 1000.0).round() / 1000.0)),
            self.gpus.map(|g| format!(">= {g} GPUs")),
            self.arch.as_ref().map(|a| format!("{a} architecture")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() { "no constraints".into() } else { parts.join(", ") }
    }
}

/// The `limit` cheapest offers in `region` that meet `c`, cheapest first, with the columns
/// instance_type, vcpus, memory_gib, gpus, arch, network, price_per_hour.
pub fn cheapest(host: &mut impl Host, region: &str, c: &Constraints, limit: i64) -> Result<Rows, String> {
    let params = [region.into(), c.cpu.into(), c.ram.into(), c.gpus.into(), c.arch.as_deref().into(), limit.into()];
    host.query(CHEAPEST, &params)
}

/// Whether `region` has `instance_type`: priced there, or among its offerings.
pub fn offered(host: &mut impl Host, instance_type: &str, region: &str) -> Result<bool, String> {
    let sql =
        "SELECT 1 FROM prices WHERE instance_type = ?1 AND region = ?2 UNION ALL SELECT 1 FROM offerings WHERE instance_type = ?1 AND region = ?2 LIMIT 1";
    let found = host.query(sql, &[instance_type.into(), region.into()])?;
    Ok(!found.is_empty())
}

/// A type's own size as constraints: what to look for when it is not offered somewhere.
pub fn size_of(host: &mut impl Host, instance_type: &str) -> Result<Constraints, String> {
    let found = host.query("SELECT vcpus, memory_gib, gpus, arch FROM instance_types WHERE instance_type = ?1", &[instance_type.into()])?;
    Ok(found.first().map_or_else(Constraints::default, |r| Constraints {
        cpu: Some(r.i64("vcpus")),
        ram: Some(r.f64("memory_gib")),
        gpus: Some(r.i64("gpus")).filter(|g| *g > 0),
        arch: Some(r.text("arch")),
    }))
}

impl From<&[Argument]> for Constraints {
    fn from(args: &[Argument]) -> Constraints {
        Constraints::from_args(&Args::new(args.to_vec()))
    }
}
