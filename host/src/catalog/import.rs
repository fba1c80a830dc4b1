//! CSV to SQLite, done once per distinct source content.
//!
//! It creates the `instance_types`, `prices`, `os_prices`, `reserved_prices`, `offerings`,
//! `unpriced_offerings` and `metadata` tables (with CHECK constraints) and the `offers` view. The
//! database file is named by a hash of `IMPORT_VERSION` and the source bytes, built under a
//! temporary name and then renamed. Zero prices are dropped, because they mean "not offered". The
//! seed CSV's prices are stored as `us-east-1`, and its architecture is inferred from the type name.
//!
//! `prices` is the Linux on-demand table plugins have always read; `os_prices` holds the on-demand
//! price per operating system (the price list's `operatingSystem`: Linux, Windows, RHEL, SUSE), its
//! Linux rows copied from `prices`, so `os_prices.csv` carries the other three only.
//! `reserved_prices` holds Standard Reserved Instance rates (AWS Price List `TermType` Reserved,
//! `OfferingClass` standard), empty unless the source has `reserved_prices.csv`.
use super::{BUNDLED_METADATA, BUNDLED_OFFERINGS, BUNDLED_OS_PRICES, BUNDLED_PRICES, BUNDLED_TYPES, CatalogError, DEFAULT_REGION, Source};
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
    processor TEXT NOT NULL DEFAULT '',
    gpu_manufacturer TEXT NOT NULL DEFAULT '',
    gpu_name TEXT NOT NULL DEFAULT '',
    gpu_memory_per_gpu_gib REAL NOT NULL DEFAULT 0,
    burstable INTEGER NOT NULL DEFAULT 0 CHECK (burstable IN (0, 1))
) WITHOUT ROWID;
CREATE TABLE prices (
    instance_type TEXT NOT NULL REFERENCES instance_types,
    region TEXT NOT NULL,
    price_per_hour REAL NOT NULL CHECK (price_per_hour > 0),
    PRIMARY KEY (region, instance_type)
) WITHOUT ROWID;
CREATE INDEX prices_by_region_price ON prices (region, price_per_hour);
CREATE TABLE os_prices (
    instance_type TEXT NOT NULL REFERENCES instance_types,
    region TEXT NOT NULL,
    operating_system TEXT NOT NULL CHECK (operating_system IN ('Linux', 'Windows', 'RHEL', 'SUSE')),
    price_per_hour REAL NOT NULL CHECK (price_per_hour > 0),
    PRIMARY KEY (region, operating_system, instance_type)
) WITHOUT ROWID;
CREATE INDEX os_prices_by_region_price ON os_prices (region, operating_system, price_per_hour);
CREATE INDEX os_prices_by_type ON os_prices (instance_type, operating_system, region);
CREATE TABLE reserved_prices (
    instance_type TEXT NOT NULL REFERENCES instance_types,
    region TEXT NOT NULL,
    operating_system TEXT NOT NULL CHECK (operating_system IN ('Linux', 'Windows', 'RHEL', 'SUSE')),
    lease_years INTEGER NOT NULL CHECK (lease_years IN (1, 3)),
    purchase_option TEXT NOT NULL CHECK (purchase_option IN ('No Upfront', 'Partial Upfront', 'All Upfront')),
    upfront_usd REAL NOT NULL CHECK (upfront_usd >= 0),
    hourly_usd REAL NOT NULL CHECK (hourly_usd >= 0),
    PRIMARY KEY (instance_type, region, operating_system, lease_years, purchase_option)
) WITHOUT ROWID;
CREATE TABLE offerings (
    instance_type TEXT NOT NULL,
    region TEXT NOT NULL,
    PRIMARY KEY (region, instance_type)
) WITHOUT ROWID;
-- Offered but not priced ('offered, price unknown'), filled once at import: rankings count these
-- on every search, and an anti-join over all of a region's offerings costs more than the search.
CREATE TABLE unpriced_offerings (
    instance_type TEXT NOT NULL,
    region TEXT NOT NULL,
    PRIMARY KEY (region, instance_type)
) WITHOUT ROWID;
CREATE TABLE metadata (
    key TEXT PRIMARY KEY CHECK (key IN ('price_source', 'prices_as_of')),
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE VIEW offers AS
    SELECT t.*, p.region, p.price_per_hour FROM prices p JOIN instance_types t USING (instance_type);
";

/// Bumped when the schema or the import rules change, so old cached databases are not reused.
const IMPORT_VERSION: &str = "5";

pub(super) fn cached_database(source: &Source, cache_dir: &Path) -> Result<PathBuf, CatalogError> {
    let files = read_source(source)?;
    let mut hash = Sha256::new();
    for part in [IMPORT_VERSION.as_bytes(), &files.types, &files.prices, &files.os_prices, &files.reserved, &files.offerings, &files.metadata] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    let key: String = hash.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect();
    let db = cache_dir.join(format!("catalog-{key}.sqlite"));
    if db.is_file() {
        return Ok(db);
    }
    let io = |source| CatalogError::Read { path: cache_dir.to_path_buf(), error: source };
    std::fs::create_dir_all(cache_dir).map_err(io)?;
    // Built under a temporary name and renamed, so a crash never leaves half a catalog behind. The
    // name is this process's and this call's: two sessions of one process may build at once.
    static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let build_no = BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = cache_dir.join(format!("catalog-{key}.{}-{build_no}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let built = build(&tmp, &files, source);
    if let Err(e) = built {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &db).map_err(io)?;
    Ok(db)
}

/// The raw bytes of a CSV source (also the cache key) and the path to blame in errors. Absent
/// optional files are empty.
struct SourceFiles {
    types: Vec<u8>,
    prices: Vec<u8>,
    os_prices: Vec<u8>,
    reserved: Vec<u8>,
    offerings: Vec<u8>,
    metadata: Vec<u8>,
    origin: PathBuf,
}

impl SourceFiles {
    fn empty() -> SourceFiles {
        SourceFiles { types: vec![], prices: vec![], os_prices: vec![], reserved: vec![], offerings: vec![], metadata: vec![], origin: PathBuf::new() }
    }
}

fn read_source(source: &Source) -> Result<SourceFiles, CatalogError> {
    let read = |path: PathBuf| std::fs::read(&path).map_err(|source| CatalogError::Read { path: path.clone(), error: source });
    // Offerings and metadata are optional: without them a type counts as offered where it is
    // priced, and prices are of unknown date. So are other operating systems' and reserved prices.
    let optional = |path: PathBuf| if path.is_file() { read(path) } else { Ok(vec![]) };
    match source {
        Source::Bundled => Ok(SourceFiles {
            types: BUNDLED_TYPES.into(),
            prices: BUNDLED_PRICES.into(),
            os_prices: BUNDLED_OS_PRICES.into(),
            reserved: vec![],
            offerings: BUNDLED_OFFERINGS.into(),
            metadata: BUNDLED_METADATA.into(),
            origin: PathBuf::from("<bundled>"),
        }),
        Source::Directory(dir) => Ok(SourceFiles {
            types: read(dir.join("instance_types.csv"))?,
            prices: read(dir.join("prices.csv"))?,
            os_prices: optional(dir.join("os_prices.csv"))?,
            reserved: optional(dir.join("reserved_prices.csv"))?,
            offerings: optional(dir.join("offerings.csv"))?,
            metadata: optional(dir.join("metadata.csv"))?,
            origin: dir.clone(),
        }),
        Source::SeedCsv(path) => Ok(SourceFiles { types: read(path.clone())?, origin: path.clone(), ..SourceFiles::empty() }),
        Source::Sqlite(path) => Ok(SourceFiles { origin: path.clone(), ..SourceFiles::empty() }),
    }
}

fn build(db: &Path, files: &SourceFiles, source: &Source) -> Result<(), CatalogError> {
    let sqlite = |e| CatalogError::Sqlite { path: files.origin.clone(), source: e };
    let format = |message: String| CatalogError::Format { path: files.origin.clone(), message };
    let mut conn = Connection::open(db).map_err(sqlite)?;
    conn.execute_batch(SCHEMA).map_err(sqlite)?;
    let tx = conn.transaction().map_err(sqlite)?;
    match source {
        Source::SeedCsv(_) => import_seed(&tx, &files.types).map_err(format)?,
        _ => {
            import_catalog(&tx, &files.types, &files.prices).map_err(format)?;
            import_os_prices(&tx, &files.os_prices).map_err(format)?;
            import_reserved(&tx, &files.reserved).map_err(format)?;
            import_pairs(&tx, "offerings", &files.offerings, ["instance_type", "region"]).map_err(format)?;
            import_pairs(&tx, "metadata", &files.metadata, ["key", "value"]).map_err(format)?;
        }
    }
    tx.execute_batch("INSERT INTO os_prices SELECT instance_type, region, 'Linux', price_per_hour FROM prices").map_err(sqlite)?;
    tx.execute_batch("INSERT INTO unpriced_offerings SELECT instance_type, region FROM offerings EXCEPT SELECT instance_type, region FROM prices")
        .map_err(sqlite)?;
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

fn optional<'a>(r: &'a Record, name: &str) -> &'a str {
    r.get(name).map_or("", String::as_str)
}

fn number<T: std::str::FromStr>(r: &Record, name: &str, line: usize) -> Result<T, String> {
    let text = field(r, name, line)?;
    text.parse().map_err(|_| format!("row {line}: {name} is not a number: {text:?}"))
}

/// A two-column file (`offerings.csv`, `metadata.csv`) into its table of the same name.
fn import_pairs(tx: &rusqlite::Transaction, table: &str, bytes: &[u8], columns: [&str; 2]) -> Result<(), String> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut insert = tx.prepare(&format!("INSERT OR IGNORE INTO {table} VALUES (?1, ?2)")).map_err(|e| e.to_string())?;
    for (i, r) in records(bytes)?.iter().enumerate() {
        let line = i + 2;
        insert.execute(params![field(r, columns[0], line)?, field(r, columns[1], line)?]).map_err(|e| format!("{table}.csv row {line}: {e}"))?;
    }
    Ok(())
}

fn import_catalog(tx: &rusqlite::Transaction, types: &[u8], prices: &[u8]) -> Result<(), String> {
    let mut insert =
        tx.prepare("INSERT INTO instance_types VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)").map_err(|e| e.to_string())?;
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
                // GPU makers and burstable came later: a directory written before them still imports.
                optional(r, "gpu_manufacturer"),
                optional(r, "gpu_name"),
                if optional(r, "gpu_memory_per_gpu_gib").is_empty() { 0.0 } else { number::<f64>(r, "gpu_memory_per_gpu_gib", line)? },
                optional(r, "burstable") == "true",
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

/// `os_prices.csv`: on-demand prices of the operating systems besides Linux, whose prices are
/// `prices.csv`'s (a Linux row here would be a second, possibly different, Linux price).
fn import_os_prices(tx: &rusqlite::Transaction, bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut insert = tx.prepare("INSERT INTO os_prices VALUES (?1, ?2, ?3, ?4)").map_err(|e| e.to_string())?;
    for (i, r) in records(bytes)?.iter().enumerate() {
        let line = i + 2;
        let os = field(r, "operating_system", line)?;
        if os == "Linux" {
            return Err(format!("os_prices.csv row {line}: Linux prices belong in prices.csv"));
        }
        let price: f64 = number(r, "price_per_hour", line)?;
        if price > 0.0 {
            insert
                .execute(params![field(r, "instance_type", line)?, field(r, "region", line)?, os, price])
                .map_err(|e| format!("os_prices.csv row {line}: {e} (operating_system is one of Windows, RHEL, SUSE)"))?;
        }
    }
    Ok(())
}

/// `reserved_prices.csv`: one row per (type, region, OS, lease, purchase option).
fn import_reserved(tx: &rusqlite::Transaction, bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut insert = tx.prepare("INSERT INTO reserved_prices VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)").map_err(|e| e.to_string())?;
    for (i, r) in records(bytes)?.iter().enumerate() {
        let line = i + 2;
        insert
            .execute(params![
                field(r, "instance_type", line)?,
                field(r, "region", line)?,
                field(r, "operating_system", line)?,
                number::<i64>(r, "lease_years", line)?,
                field(r, "purchase_option", line)?,
                number::<f64>(r, "upfront_usd", line)?,
                number::<f64>(r, "hourly_usd", line)?,
            ])
            .map_err(|e| format!("reserved_prices.csv row {line}: {e}"))?;
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
