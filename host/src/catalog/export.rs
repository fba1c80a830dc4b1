//! Writes a catalog directory in the bundled format, which `--catalog DIR` reads back.
use super::{CatalogError, InstanceFacts};
use std::path::Path;

/// `instance_types.csv` from `types`, `prices.csv` from `prices` (instance type, region, $/hour).
pub fn write_dir(dir: &Path, types: &[InstanceFacts], prices: &[(String, String, f64)]) -> Result<(), CatalogError> {
    let io = |source: std::io::Error| CatalogError::Read { path: dir.to_path_buf(), source };
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
    ])
    .map_err(csv_err)?;
    for t in types {
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
        ])
        .map_err(csv_err)?;
    }
    out.flush().map_err(io)?;
    let mut out = csv::Writer::from_path(dir.join("prices.csv")).map_err(csv_err)?;
    out.write_record(["instance_type", "region", "price_per_hour"]).map_err(csv_err)?;
    for (t, region, price) in prices {
        out.write_record([t.as_str(), region.as_str(), &price.to_string()]).map_err(csv_err)?;
    }
    out.flush().map_err(io)
}
