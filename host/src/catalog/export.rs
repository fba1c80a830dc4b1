//! Writes a catalog directory in the bundled format, which `--catalog DIR` reads back.
use super::{CatalogError, InstanceFacts, OsPrice, Provenance, ReservedRate};
use std::path::Path;

/// What a catalog directory holds: facts per type, Linux on-demand prices (instance type, region,
/// USD/hour), the other operating systems' on-demand prices, Reserved rates, offerings (instance
/// type, region) and where the prices come from.
pub struct Contents<'a> {
    pub types: &'a [InstanceFacts],
    pub prices: &'a [(String, String, f64)],
    /// Windows, RHEL and SUSE only: Linux's are `prices`.
    pub os_prices: &'a [OsPrice],
    pub reserved: &'a [ReservedRate],
    pub offerings: &'a [(String, String)],
    pub provenance: &'a Provenance,
}

/// `instance_types.csv`, `prices.csv`, `os_prices.csv`, `reserved_prices.csv`, `offerings.csv` and `metadata.csv` in `dir`, replacing
/// what it held. The files are written into a sibling folder first and swapped in at the end, so
/// a failure leaves `dir` as it was. Errors name `dir`.
pub fn write_dir(dir: &Path, contents: &Contents) -> Result<(), CatalogError> {
    let io = |source: std::io::Error| CatalogError::Read { path: dir.to_path_buf(), error: source };
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "catalog".into());
    let sibling = |what: &str| dir.with_file_name(format!(".{name}.{what}-{}", std::process::id()));
    let (partial, old) = (sibling("partial"), sibling("old"));
    let _ = std::fs::remove_dir_all(&partial);
    if let Err(e) = write_files(&partial, contents) {
        let _ = std::fs::remove_dir_all(&partial);
        return Err(e);
    }
    if dir.exists() {
        std::fs::rename(dir, &old).map_err(io)?;
    }
    std::fs::rename(&partial, dir).map_err(io)?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

fn write_files(dir: &Path, contents: &Contents) -> Result<(), CatalogError> {
    let io = |source: std::io::Error| CatalogError::Read { path: dir.to_path_buf(), error: source };
    let csv_err = |e: csv::Error| CatalogError::Format { path: dir.to_path_buf(), message: e.to_string() };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut out = csv::Writer::from_path(dir.join("instance_types.csv")).map_err(csv_err)?;
    out.write_record([
        "instance_type",
        "vcpus",
        "memory_gib",
        "gpus",
        "gpu_memory_gib",
        "arch",
        "network",
        "storage",
        "family",
        "current_generation",
        "processor",
        "gpu_manufacturer",
        "gpu_name",
        "gpu_memory_per_gpu_gib",
        "burstable",
    ])
    .map_err(csv_err)?;
    for t in contents.types {
        out.write_record([
            t.instance_type.clone(),
            t.vcpus.to_string(),
            format!("{:?}", t.memory_gib),
            t.gpus.to_string(),
            format!("{:?}", t.gpu_memory_gib),
            t.arch.clone(),
            t.network.clone(),
            t.storage.clone(),
            t.family.clone(),
            t.current_generation.to_string(),
            t.processor.clone(),
            t.gpu_manufacturer.clone(),
            t.gpu_name.clone(),
            format!("{:?}", t.gpu_memory_per_gpu_gib),
            t.burstable.to_string(),
        ])
        .map_err(csv_err)?;
    }
    out.flush().map_err(io)?;
    let mut out = csv::Writer::from_path(dir.join("prices.csv")).map_err(csv_err)?;
    out.write_record(["instance_type", "region", "price_per_hour"]).map_err(csv_err)?;
    for (t, region, price) in contents.prices {
        out.write_record([t.as_str(), region.as_str(), &price.to_string()]).map_err(csv_err)?;
    }
    out.flush().map_err(io)?;
    let mut out = csv::Writer::from_path(dir.join("os_prices.csv")).map_err(csv_err)?;
    out.write_record(["instance_type", "region", "operating_system", "price_per_hour"]).map_err(csv_err)?;
    for (t, region, os, price) in contents.os_prices {
        out.write_record([t.as_str(), region.as_str(), os.as_str(), &price.to_string()]).map_err(csv_err)?;
    }
    out.flush().map_err(io)?;
    let mut out = csv::Writer::from_path(dir.join("reserved_prices.csv")).map_err(csv_err)?;
    out.write_record(["instance_type", "region", "operating_system", "lease_years", "purchase_option", "upfront_usd", "hourly_usd"]).map_err(csv_err)?;
    for r in contents.reserved {
        let (years, upfront, hourly) = (r.lease_years.to_string(), r.upfront_usd.to_string(), r.hourly_usd.to_string());
        out.write_record([r.instance_type.as_str(), &r.region, &r.operating_system, &years, &r.purchase_option, &upfront, &hourly]).map_err(csv_err)?;
    }
    out.flush().map_err(io)?;
    let mut out = csv::Writer::from_path(dir.join("offerings.csv")).map_err(csv_err)?;
    out.write_record(["instance_type", "region"]).map_err(csv_err)?;
    for (t, region) in contents.offerings {
        out.write_record([t, region]).map_err(csv_err)?;
    }
    out.flush().map_err(io)?;
    let mut out = csv::Writer::from_path(dir.join("metadata.csv")).map_err(csv_err)?;
    out.write_record(["key", "value"]).map_err(csv_err)?;
    let p = contents.provenance;
    for (key, value) in [("price_source", &p.price_source), ("prices_as_of", &p.prices_as_of)] {
        if let Some(value) = value {
            out.write_record([key, value]).map_err(csv_err)?;
        }
    }
    out.flush().map_err(io)
}
