//! CSV to SQLite, done once per distinct source content.
//!
//! It creates the `instance_types`, `prices` and `offerings` tables (with CHECK constraints) and
//! the `offers` view. The database file is named by a hash of `IMPORT_VERSION` and the source
//! bytes, built under a temporary name and then renamed. Zero prices are dropped, because they mean
//! "not offered". The seed CSV's prices are stored as `us-east-1`, and its architecture is inferred
//! from the type name.
use super::{BUNDLED_OFFERINGS, BUNDLED_PRICES, BUNDLED_TYPES, CatalogError, DEFAULT_REGION, Source};
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const SCHEMA: &str = "
CREATE TABLE instance_types (
    instance_type TEXT PRIMARY KEY,
    vcpus INTEGER NOT NULL CHECK (vcpus >= 0),
    memory_gib REAL NOT NULL CHECK (memory_gib >= 0),
    gpus INTEGER NOT NULL DEFAULT 0,
    gpu_memory_gib REAL NOT NULL DEFAULT 0,
    arch TEXT NOT NULL CHECK (arch IN ('x86_64', 'arm64')),
    network TEXT NOT NULL DEFAULT '',
    storage TEXT NOT NULL DEFAULT '',
    family TEXT NOT NULL DEFAULT '',
    current_generation INTEGER NOT NULL DEFAULT 1,
    processor TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE prices (
    instance_type TEXT NOT NULL REFERENCES instance_types,
    region TEXT NOT NULL,
    price_per_hour REAL NOT NULL CHECK (price_per_hour > 0),
    PRIMARY KEY (region, instance_type)
) WITHOUT ROWID;
CREATE INDEX prices_by_region_price ON prices (region, price_per_hour);
CREATE TABLE offerings (
    instance_type TEXT NOT NULL,
    region TEXT NOT NULL,
    PRIMARY KEY (region, instance_type)
) WITHOUT ROWID;
CREATE VIEW offers AS
    SELECT t.*, p.region, p.price_per_hour FROM prices p JOIN instance_types t USING (instance_type);
";

/// Bumped when the schema or the import rules change, so old cached databases are not reused.
const IMPORT_VERSION: &str = "2";

pub(super) fn cached_database(source: &Source, cache_dir: &Path) -> Result<PathBuf, CatalogError> {
    let (types, prices, offerings, origin) = read_source(source)?;
    let mut hash = Sha256::new();
    for part in [IMPORT_VERSION.as_bytes(), &types, &prices, &offerings] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    let key: String = hash.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect();
    let db = cache_dir.join(format!("catalog-{key}.sqlite"));
    if db.is_file() {
        return Ok(db);
    }
    let io = |source| CatalogError::Read { path: cache_dir.to_path_buf(), source };
    std::fs::create_dir_all(cache_dir).map_err(io)?;
    // Built under a temporary name and renamed, so a crash never leaves half a catalog behind.
    let tmp = cache_dir.join(format!("catalog-{key}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let built = build(&tmp, &types, &prices, &offerings, source, &origin);
    if let Err(e) = built {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &db).map_err(io)?;
    Ok(db)
}

/// Types, prices and offerings as read, and the path to blame in errors.
type SourceBytes = (Vec<u8>, Vec<u8>, Vec<u8>, PathBuf);

/// The raw bytes of the source (types, prices, offerings; for the cache key) and the path to
/// blame in errors.
fn read_source(source: &Source) -> Result<SourceBytes, CatalogError> {
    let read = |path: PathBuf| std::fs::read(&path).map_err(|source| CatalogError::Read { path: path.clone(), source });
    match source {
        Source::Bundled => Ok((BUNDLED_TYPES.into(), BUNDLED_PRICES.into(), BUNDLED_OFFERINGS.into(), PathBuf::from("<bundled>"))),
        Source::Directory(dir) => {
            // Offerings are optional: without them a type counts as offered where it is priced.
            let offerings = dir.join("offerings.csv");
            let offerings = if offerings.is_file() { read(offerings)? } else { vec![] };
            Ok((read(dir.join("instance_types.csv"))?, read(dir.join("prices.csv"))?, offerings, dir.clone()))
        }
        Source::SeedCsv(path) => Ok((read(path.clone())?, vec![], vec![], path.clone())),
        Source::Sqlite(path) => Ok((vec![], vec![], vec![], path.clone())),
    }
}

fn build(db: &Path, types: &[u8], prices: &[u8], offerings: &[u8], source: &Source, origin: &Path) -> Result<(), CatalogError> {
    let sqlite = |e| CatalogError::Sqlite { path: origin.to_path_buf(), source: e };
    let format = |message: String| CatalogError::Format { path: origin.to_path_buf(), message };
    let mut conn = Connection::open(db).map_err(sqlite)?;
    conn.execute_batch(SCHEMA).map_err(sqlite)?;
    let tx = conn.transaction().map_err(sqlite)?;
    match source {
        Source::SeedCsv(_) => import_seed(&tx, types).map_err(format)?,
        _ => {
            import_catalog(&tx, types, prices).map_err(format)?;
            import_offerings(&tx, offerings).map_err(format)?;
        }
    }
    tx.commit().map_err(sqlite)?;
    conn.execute_batch("ANALYZE; VACUUM;").map_err(sqlite)
}

type Record = std::collections::HashMap<String, String>;

fn records(bytes: &[u8]) -> Result<Vec<Record>, String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes);
    let header: Vec<String> = reader.headers().map_err(|e| e.to_string())?.iter().map(String::from).collect();
    reader
        .records()
        .enumerate()
        .map(|(i, row)| {
            let row = row.map_err(|e| format!("row {}: {e}", i + 2))?;
            Ok(header.iter().cloned().zip(row.iter().map(String::from)).collect())
        })
        .collect()
}

fn field<'a>(r: &'a Record, name: &str, line: usize) -> Result<&'a str, String> {
    r.get(name).map(String::as_str).ok_or_else(|| format!("row {line}: no column {name}"))
}

fn number<T: std::str::FromStr>(r: &Record, name: &str, line: usize) -> Result<T, String> {
    let text = field(r, name, line)?;
    text.parse().map_err(|_| format!("row {line}: {name} is not a number: {text:?}"))
}

fn import_offerings(tx: &rusqlite::Transaction, offerings: &[u8]) -> Result<(), String> {
    if offerings.is_empty() {
        return Ok(());
    }
    let mut insert = tx.prepare("INSERT OR IGNORE INTO offerings VALUES (?1, ?2)").map_err(|e| e.to_string())?;
    for (i, r) in records(offerings)?.iter().enumerate() {
        let line = i + 2;
        insert.execute(params![field(r, "instance_type", line)?, field(r, "region", line)?]).map_err(|e| format!("offerings.csv row {line}: {e}"))?;
    }
    Ok(())
}

fn import_catalog(tx: &rusqlite::Transaction, types: &[u8], prices: &[u8]) -> Result<(), String> {
    let mut insert = tx.prepare("INSERT INTO instance_types VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)").map_err(|e| e.to_string())?;
    for (i, r) in records(types)?.iter().enumerate() {
        let line = i + 2;
        insert
            .execute(params![
                field(r, "instance_type", line)?,
                number::<i64>(r, "vcpus", line)?,
                number::<f64>(r, "memory_gib", line)?,
                number::<i64>(r, "gpus", line)?,
                number::<f64>(r, "gpu_memory_gib", line)?,
                field(r, "arch", line)?,
                field(r, "network", line)?,
                field(r, "storage", line)?,
                field(r, "family", line)?,
                field(r, "current_generation", line)? == "true",
                field(r, "processor", line)?,
            ])
            .map_err(|e| format!("instance_types.csv row {line}: {e}"))?;
    }
    let mut insert = tx.prepare("INSERT INTO prices VALUES (?1, ?2, ?3)").map_err(|e| e.to_string())?;
    for (i, r) in records(prices)?.iter().enumerate() {
        let line = i + 2;
        let price: f64 = number(r, "price_per_hour", line)?;
        // 0.0 in the public data means "not offered there", never "free".
        if price > 0.0 {
            insert.execute(params![field(r, "instance_type", line)?, field(r, "region", line)?, price]).map_err(|e| format!("prices.csv row {line}: {e}"))?;
        }
    }
    Ok(())
}

/// The seed prototype's CSV: one region, no GPU or architecture columns.
fn import_seed(tx: &rusqlite::Transaction, bytes: &[u8]) -> Result<(), String> {
    let mut types = tx
        .prepare("INSERT OR IGNORE INTO instance_types (instance_type, vcpus, memory_gib, arch, network, storage) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .map_err(|e| e.to_string())?;
    let mut prices = tx.prepare("INSERT OR IGNORE INTO prices VALUES (?1, ?2, ?3)").map_err(|e| e.to_string())?;
    for (i, r) in records(bytes)?.iter().enumerate() {
        let line = i + 2;
        let name = field(r, "API_Name", line)?;
        types
            .execute(params![
                name,
                number::<i64>(r, "vCPUs", line)?,
                number::<f64>(r, "Instance_Memory", line)?,
                arch_from_name(name),
                field(r, "Network_Performance", line)?,
                field(r, "Instance_Storage", line)?,
            ])
            .map_err(|e| format!("row {line}: {e}"))?;
        let on_demand = field(r, "On_Demand", line)?;
        if !on_demand.is_empty() {
            let price: f64 = number(r, "On_Demand", line)?;
            if price > 0.0 {
                prices.execute(params![name, DEFAULT_REGION, price]).map_err(|e| format!("row {line}: {e}"))?;
            }
        }
    }
    Ok(())
}

/// Graviton families carry a "g" after the generation digit (m6g, c7gn, r8gd) and a1 is Graviton 1.
fn arch_from_name(name: &str) -> &'static str {
    let family = name.split('.').next().unwrap_or_default();
    let after_digit = family.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = after_digit.trim_start_matches(|c: char| c.is_ascii_digit());
    if family == "a1" || (suffix.starts_with('g') && !family.starts_with("mac")) { "arm64" } else { "x86_64" }
}

#[cfg(test)]
mod tests {
    use super::arch_from_name;

    #[test]
    fn graviton_names_are_arm() {
        for arm in ["t4g.nano", "m6g.large", "c7gn.xlarge", "r8gd.metal", "a1.large", "im4gn.large", "x2gd.medium"] {
            assert_eq!(arch_from_name(arm), "arm64", "{arm}");
        }
        for x86 in ["t3.nano", "g4dn.xlarge", "m5.large", "p3.2xlarge", "c7i-flex.2xlarge", "inf2.xlarge", "mac1.metal"] {
            assert_eq!(arch_from_name(x86), "x86_64", "{x86}");
        }
    }
}
