//! Typed look-ups the host itself needs: one offer, one type's facts, the regions.
//!
//! They go through the same `query` path plugins use: `offer` (one type in one region, priced for
//! one operating system), `instance` (`InstanceFacts` with Linux prices by region and the regions
//! that offer it unpriced), `os_prices` and `reserved` (every operating system's on-demand price
//! and the Reserved rates of one type), `similar_types`, `offered` and `nearest`, `has_type` and
//! `regions` for the configuration rules, `coverage` per region and the prices' `provenance`.
use super::sql::{Catalog, SqlError};
use rusqlite::types::Value;
use serde::Serialize;
use std::collections::BTreeMap;

/// Rows per page when the host reads a whole table, so the capability's row limit, meant for
/// plugins, does not cut it.
const PAGE: usize = 5000;

/// (instance type, region, operating system, USD per hour).
pub type OsPrice = (String, String, String, f64);

/// An instance type as offered in one region, with its on-demand price for one operating system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    pub instance_type: String,
    pub vcpus: i64,
    pub memory_gib: f64,
    pub gpus: i64,
    pub arch: String,
    pub network: String,
    pub region: String,
    /// The price list's `operatingSystem`: Linux, Windows, RHEL or SUSE.
    pub operating_system: String,
    pub price_per_hour: f64,
}

/// One Standard Reserved Instance rate (AWS Price List, `TermType` Reserved, `OfferingClass`
/// standard): what is paid up front and per hour for a 1- or 3-year lease.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReservedRate {
    pub instance_type: String,
    pub region: String,
    pub operating_system: String,
    /// 1 or 3 (`LeaseContractLength` 1yr, 3yr).
    pub lease_years: i64,
    /// `PurchaseOption`: "No Upfront", "Partial Upfront" or "All Upfront".
    pub purchase_option: String,
    /// USD once, at purchase (the "Upfront Fee" row, `Unit` Quantity).
    pub upfront_usd: f64,
    /// USD per hour for every hour of the lease (the `Unit` Hrs row).
    pub hourly_usd: f64,
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
    /// The GPUs' maker and model as DescribeInstanceTypes names them (`GpuInfo.Gpus[].Manufacturer`,
    /// `Name`: "NVIDIA", "T4"); empty when the source does not say.
    pub gpu_manufacturer: String,
    pub gpu_name: String,
    /// GiB per GPU (`GpuInfo.Gpus[].MemoryInfo.SizeInMiB` / 1024); 0 when unknown.
    pub gpu_memory_per_gpu_gib: f64,
    /// AWS's `BurstablePerformanceSupported`: CPU credits (the T family).
    pub burstable: bool,
    /// USD per hour by region, Linux on demand (other operating systems: [`Catalog::os_prices`]).
    pub prices: BTreeMap<String, f64>,
    /// Regions that offer the type (DescribeInstanceTypeOfferings) where the catalog has no price.
    pub offered_price_unknown: Vec<String>,
}

/// Where a catalog's prices come from and how old they are (its `metadata` table); `None` when
/// the catalog does not say (a seed CSV, a directory without `metadata.csv`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Provenance {
    pub price_source: Option<String>,
    /// ISO date, e.g. "2025-03-02".
    pub prices_as_of: Option<String>,
}

/// How much of what a region offers the catalog can price.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionCoverage {
    pub region: String,
    /// Types with a price in the region.
    pub priced_types: i64,
    /// Types the region offers (DescribeInstanceTypeOfferings); 0 when the catalog has no offerings.
    pub offered_types: i64,
    /// Offered types without a price: "offered, price unknown".
    pub offered_price_unknown: i64,
    /// Types with an on-demand price in the region per operating system (Linux, Windows, RHEL,
    /// SUSE; an OS without one is left out).
    pub priced_by_os: BTreeMap<String, i64>,
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
    /// `instance_type` in `region` at its on-demand price for `operating_system` (Linux, Windows,
    /// RHEL, SUSE); None where the catalog has no such price.
    pub fn offer(&self, instance_type: &str, region: &str, operating_system: &str) -> Result<Option<Offer>, SqlError> {
        let sql = "SELECT instance_type, vcpus, memory_gib, gpus, arch, network, region, operating_system, price_per_hour
                   FROM os_prices JOIN instance_types USING (instance_type) WHERE instance_type = ?1 AND region = ?2 AND operating_system = ?3";
        let (_, rows) = self.query(sql, &[Value::Text(instance_type.into()), Value::Text(region.into()), Value::Text(operating_system.into())])?;
        Ok(rows.first().map(|r| Offer {
            instance_type: text(&r[0]),
            vcpus: int(&r[1]),
            memory_gib: real(&r[2]),
            gpus: int(&r[3]),
            arch: text(&r[4]),
            network: text(&r[5]),
            region: text(&r[6]),
            operating_system: text(&r[7]),
            price_per_hour: real(&r[8]),
        }))
    }

    /// Every on-demand price of `instance_type`: operating system → region → USD per hour.
    pub fn os_prices(&self, instance_type: &str) -> Result<BTreeMap<String, BTreeMap<String, f64>>, SqlError> {
        let (_, rows) =
            self.query("SELECT operating_system, region, price_per_hour FROM os_prices WHERE instance_type = ?1", &[Value::Text(instance_type.into())])?;
        let mut out: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
        for r in &rows {
            out.entry(text(&r[0])).or_default().insert(text(&r[1]), real(&r[2]));
        }
        Ok(out)
    }

    /// The Reserved rates of `instance_type` (every one when None), ordered by region, operating
    /// system, lease and purchase option.
    pub fn reserved(&self, instance_type: Option<&str>) -> Result<Vec<ReservedRate>, SqlError> {
        let sql = "SELECT instance_type, region, operating_system, lease_years, purchase_option, upfront_usd, hourly_usd FROM reserved_prices
                   WHERE instance_type = coalesce(?1, instance_type) ORDER BY instance_type, region, operating_system, lease_years, purchase_option";
        let name = instance_type.map_or(Value::Null, |t| Value::Text(t.into()));
        let row = |r: &[Value]| ReservedRate {
            instance_type: text(&r[0]),
            region: text(&r[1]),
            operating_system: text(&r[2]),
            lease_years: int(&r[3]),
            purchase_option: text(&r[4]),
            upfront_usd: real(&r[5]),
            hourly_usd: real(&r[6]),
        };
        let paged = format!("{sql} LIMIT {PAGE} OFFSET ?2");
        let mut out = Vec::new();
        loop {
            let (_, rows) = self.query(&paged, &[name.clone(), Value::Integer(out.len() as i64)])?;
            let done = rows.len() < PAGE;
            out.extend(rows.iter().map(|r| row(r)));
            if done {
                return Ok(out);
            }
        }
    }

    pub fn instance(&self, instance_type: &str) -> Result<Option<InstanceFacts>, SqlError> {
        let name = Value::Text(instance_type.into());
        let sql = "SELECT instance_type, vcpus, memory_gib, gpus, gpu_memory_gib, arch, network, storage, family, current_generation, processor,
                          gpu_manufacturer, gpu_name, gpu_memory_per_gpu_gib, burstable FROM instance_types WHERE instance_type = ?1";
        let (_, rows) = self.query(sql, std::slice::from_ref(&name))?;
        let Some(r) = rows.first() else { return Ok(None) };
        let (_, prices) = self.query("SELECT region, price_per_hour FROM prices WHERE instance_type = ?1 ORDER BY region", std::slice::from_ref(&name))?;
        let (_, unpriced) = self.query("SELECT region FROM unpriced_offerings WHERE instance_type = ?1 ORDER BY region", &[name])?;
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
            gpu_manufacturer: text(&r[11]),
            gpu_name: text(&r[12]),
            gpu_memory_per_gpu_gib: real(&r[13]),
            burstable: int(&r[14]) != 0,
            prices: prices.iter().map(|p| (text(&p[0]), real(&p[1]))).collect(),
            offered_price_unknown: unpriced.iter().map(|r| text(&r[0])).collect(),
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
        self.all_rows("SELECT instance_type, region, price_per_hour FROM prices ORDER BY instance_type, region", |r| (text(&r[0]), text(&r[1]), real(&r[2])))
    }

    /// Every on-demand price of an operating system besides Linux: (instance type, region, OS, $/hour).
    pub fn all_os_prices(&self) -> Result<Vec<OsPrice>, SqlError> {
        self.all_rows(
            "SELECT instance_type, region, operating_system, price_per_hour FROM os_prices WHERE operating_system <> 'Linux' ORDER BY instance_type, region, operating_system",
            |r| (text(&r[0]), text(&r[1]), text(&r[2]), real(&r[3])),
        )
    }

    /// Every offering: (instance type, region).
    pub fn all_offerings(&self) -> Result<Vec<(String, String)>, SqlError> {
        self.all_rows("SELECT instance_type, region FROM offerings ORDER BY instance_type, region", |r| (text(&r[0]), text(&r[1])))
    }

    /// Every row of `sql` (ordered, without LIMIT), paged so the capability's row limit, meant
    /// for plugins, does not cut an export.
    fn all_rows<T>(&self, sql: &str, row: impl Fn(&[Value]) -> T) -> Result<Vec<T>, SqlError> {
        let paged = format!("{sql} LIMIT {PAGE} OFFSET ?1");
        let mut out = Vec::new();
        loop {
            let (_, rows) = self.query(&paged, &[Value::Integer(out.len() as i64)])?;
            let done = rows.len() < PAGE;
            out.extend(rows.iter().map(|r| row(r)));
            if done {
                return Ok(out);
            }
        }
    }

    /// Per region, priced types against offered ones, for every region with a price or an offering.
    pub fn coverage(&self) -> Result<Vec<RegionCoverage>, SqlError> {
        let (_, rows) = self.query(
            "SELECT region, sum(priced), sum(offered), sum(offered AND NOT priced) FROM (
                 SELECT region, instance_type, max(priced) AS priced, max(offered) AS offered FROM (
                     SELECT region, instance_type, 1 AS priced, 0 AS offered FROM prices
                     UNION ALL SELECT region, instance_type, 0, 1 FROM offerings)
                 GROUP BY region, instance_type)
             GROUP BY region ORDER BY region",
            &[],
        )?;
        let (_, by_os) = self.query("SELECT region, operating_system, count(*) FROM os_prices GROUP BY region, operating_system", &[])?;
        let mut priced_by_os: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        for r in &by_os {
            priced_by_os.entry(text(&r[0])).or_default().insert(text(&r[1]), int(&r[2]));
        }
        Ok(rows
            .iter()
            .map(|r| RegionCoverage {
                region: text(&r[0]),
                priced_types: int(&r[1]),
                offered_types: int(&r[2]),
                offered_price_unknown: int(&r[3]),
                priced_by_os: priced_by_os.remove(&text(&r[0])).unwrap_or_default(),
            })
            .collect())
    }

    /// The catalog's `metadata`; a catalog without the table (a SQLite file from before it) does
    /// not say.
    pub fn provenance(&self) -> Provenance {
        let rows = self.query("SELECT key, value FROM metadata", &[]).map(|(_, rows)| rows).unwrap_or_default();
        let get = |key: &str| rows.iter().find(|r| text(&r[0]) == key).map(|r| text(&r[1]));
        Provenance { price_source: get("price_source"), prices_as_of: get("prices_as_of") }
    }
}
