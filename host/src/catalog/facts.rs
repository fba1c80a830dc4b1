//! Typed look-ups the host itself needs: one offer, one type's facts, the regions.
//!
//! They go through the same `query` path plugins use: `offer`, `instance` (`InstanceFacts` with
//! prices by region), `similar_types`, `offered` and `nearest`, `has_type` and `regions` for the
//! configuration rules, and `region_counts`.
use super::sql::{Catalog, SqlError};
use rusqlite::types::Value;
use serde::Serialize;
use std::collections::BTreeMap;

/// An instance type as offered in one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    pub instance_type: String,
    pub vcpus: i64,
    pub memory_gib: f64,
    pub gpus: i64,
    pub arch: String,
    pub network: String,
    pub region: String,
    pub price_per_hour: f64,
}

/// Everything the catalog knows about one type, with its price in every region that offers it.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceFacts {
    pub instance_type: String,
    pub vcpus: i64,
    pub memory_gib: f64,
    pub gpus: i64,
    pub gpu_memory_gib: f64,
    pub arch: String,
    pub network: String,
    pub storage: String,
    pub family: String,
    pub current_generation: bool,
    pub processor: String,
    pub prices: BTreeMap<String, f64>,
}

fn text(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        _ => String::new(),
    }
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Integer(i) => *i,
        _ => 0,
    }
}

fn real(v: &Value) -> f64 {
    match v {
        Value::Real(r) => *r,
        Value::Integer(i) => *i as f64,
        _ => 0.0,
    }
}

impl Catalog {
    pub fn offer(&self, instance_type: &str, region: &str) -> Result<Option<Offer>, SqlError> {
        let sql = "SELECT instance_type, vcpus, memory_gib, gpus, arch, network, region, price_per_hour FROM offers WHERE instance_type = ?1 AND region = ?2";
        let (_, rows) = self.query(sql, &[Value::Text(instance_type.into()), Value::Text(region.into())])?;
        Ok(rows.first().map(|r| Offer {
            instance_type: text(&r[0]),
            vcpus: int(&r[1]),
            memory_gib: real(&r[2]),
            gpus: int(&r[3]),
            arch: text(&r[4]),
            network: text(&r[5]),
            region: text(&r[6]),
            price_per_hour: real(&r[7]),
        }))
    }

    pub fn instance(&self, instance_type: &str) -> Result<Option<InstanceFacts>, SqlError> {
        let name = Value::Text(instance_type.into());
        let sql = "SELECT instance_type, vcpus, memory_gib, gpus, gpu_memory_gib, arch, network, storage, family, current_generation, processor FROM instance_types WHERE instance_type = ?1";
        let (_, rows) = self.query(sql, std::slice::from_ref(&name))?;
        let Some(r) = rows.first() else { return Ok(None) };
        let (_, prices) = self.query("SELECT region, price_per_hour FROM prices WHERE instance_type = ?1 ORDER BY region", &[name])?;
        Ok(Some(InstanceFacts {
            instance_type: text(&r[0]),
            vcpus: int(&r[1]),
            memory_gib: real(&r[2]),
            gpus: int(&r[3]),
            gpu_memory_gib: real(&r[4]),
            arch: text(&r[5]),
            network: text(&r[6]),
            storage: text(&r[7]),
            family: text(&r[8]),
            current_generation: int(&r[9]) != 0,
            processor: text(&r[10]),
            prices: prices.iter().map(|p| (text(&p[0]), real(&p[1]))).collect(),
        }))
    }

    /// Types whose name starts like `instance_type`'s family, to suggest after a typo.
    pub fn similar_types(&self, instance_type: &str) -> Result<Vec<String>, SqlError> {
        let family = instance_type.split('.').next().unwrap_or_default();
        let (_, rows) = self.query(
            "SELECT instance_type FROM instance_types WHERE instance_type LIKE ?1 ESCAPE '\\' ORDER BY vcpus, memory_gib, instance_type LIMIT 8",
            &[Value::Text(format!("{}.%", family.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")))],
        )?;
        Ok(rows.iter().map(|r| text(&r[0])).collect())
    }

    /// Whether `region` has `instance_type`: priced there, or listed among the region's
    /// offerings (DescribeInstanceTypeOfferings). A catalog without an offerings table (a
    /// SQLite file from before it) knows only prices.
    pub fn offered(&self, instance_type: &str, region: &str) -> Result<bool, SqlError> {
        let args = [Value::Text(instance_type.into()), Value::Text(region.into())];
        let priced = self.query("SELECT 1 FROM prices WHERE instance_type = ?1 AND region = ?2", &args)?.1;
        let listed = self.query("SELECT 1 FROM offerings WHERE instance_type = ?1 AND region = ?2", &args).map(|(_, rows)| rows).unwrap_or_default();
        Ok(!priced.is_empty() || !listed.is_empty())
    }

    /// The `n` cheapest types priced in `region` at least as large as `instance_type` (vCPUs and
    /// memory) on the same architecture: what to offer instead when it is not there.
    pub fn nearest(&self, instance_type: &str, region: &str, n: i64) -> Result<Vec<String>, SqlError> {
        let (_, rows) = self.query(
            "SELECT o.instance_type FROM offers o, instance_types t WHERE t.instance_type = ?1 AND o.region = ?2
               AND o.vcpus >= t.vcpus AND o.memory_gib >= t.memory_gib AND o.arch = t.arch
             ORDER BY o.price_per_hour, o.vcpus, o.memory_gib, o.instance_type LIMIT ?3",
            &[Value::Text(instance_type.into()), Value::Text(region.into()), Value::Integer(n)],
        )?;
        Ok(rows.iter().map(|r| text(&r[0])).collect())
    }

    /// Whether `instance_type` is in the catalog.
    pub fn has_type(&self, instance_type: &str) -> Result<bool, SqlError> {
        let (_, rows) = self.query("SELECT 1 FROM instance_types WHERE instance_type = ?1", &[Value::Text(instance_type.into())])?;
        Ok(!rows.is_empty())
    }

    /// Regions with at least one price, sorted.
    pub fn regions(&self) -> Result<Vec<String>, SqlError> {
        let (_, rows) = self.query("SELECT DISTINCT region FROM prices ORDER BY region", &[])?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match r.into_iter().next() {
                Some(Value::Text(s)) => Some(s),
                _ => None,
            })
            .collect())
    }

    /// Every price row: (instance type, region, $/hour).
    pub fn all_prices(&self) -> Result<Vec<(String, String, f64)>, SqlError> {
        // Paged so the capability's row limit, meant for plugins, does not cut the export.
        let mut out = Vec::new();
        loop {
            let (_, rows) = self.query(
                "SELECT instance_type, region, price_per_hour FROM prices ORDER BY instance_type, region LIMIT 5000 OFFSET ?1",
                &[Value::Integer(out.len() as i64)],
            )?;
            let done = rows.len() < 5000;
            out.extend(rows.iter().map(|r| (text(&r[0]), text(&r[1]), real(&r[2]))));
            if done {
                return Ok(out);
            }
        }
    }

    /// Each region with how many types it offers.
    pub fn region_counts(&self) -> Result<Vec<(String, i64)>, SqlError> {
        let (_, rows) = self.query("SELECT region, count(*) FROM prices GROUP BY region ORDER BY region", &[])?;
        Ok(rows.iter().map(|r| (text(&r[0]), int(&r[1]))).collect())
    }
}
