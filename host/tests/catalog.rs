//! The catalog: every source format, and the read-only SQL capability's guards.
//!
//! Every source format (bundled, directory, seed CSV), the operating systems' and Reserved price
//! tables, and the SQL guards: writes, ATTACH, pragmas, runaway queries, huge results, and bound
//! rather than spliced parameters.
mod common;

use aws_agent::catalog::{Catalog, Source, SqlError};
use rusqlite::types::Value;

fn open(source: Source) -> Catalog {
    let cache = tempfile::tempdir().unwrap();
    let catalog = source.open(cache.path()).unwrap();
    std::mem::forget(cache); // the database file must outlive this helper
    catalog
}

fn bundled() -> Catalog {
    open(Source::Bundled)
}

fn text(v: &Value) -> &str {
    match v {
        Value::Text(s) => s,
        other => panic!("not text: {other:?}"),
    }
}

#[test]
fn the_bundled_catalog_is_real_and_multi_region() {
    let c = bundled();
    let (_, rows) = c.query("SELECT count(*), count(DISTINCT region) FROM prices", &[]).unwrap();
    let (Value::Integer(prices), Value::Integer(regions)) = (&rows[0][0], &rows[0][1]) else { panic!() };
    assert!(*prices > 10_000 && *regions >= 30, "{prices} prices in {regions} regions");
    let (_, rows) = c.query("SELECT vcpus, memory_gib, arch FROM instance_types WHERE instance_type = 't4g.medium'", &[]).unwrap();
    assert_eq!(rows[0], vec![Value::Integer(2), Value::Real(4.0), Value::Text("arm64".into())]);
    let (_, rows) = c.query("SELECT count(*) FROM prices WHERE price_per_hour <= 0", &[]).unwrap();
    assert_eq!(rows[0][0], Value::Integer(0), "a zero price means not offered and must not be imported");
}

#[test]
fn writes_attach_and_pragmas_are_refused() {
    let c = bundled();
    for sql in [
        "INSERT INTO prices VALUES ('t3.micro', 'us-east-1', 0.0001)",
        "DELETE FROM prices",
        "DROP TABLE prices",
        "UPDATE instance_types SET vcpus = 0",
        "ATTACH DATABASE '/tmp/x.db' AS x",
        "PRAGMA writable_schema = ON",
        "CREATE TABLE t (x)",
    ] {
        let err = c.query(sql, &[]).unwrap_err();
        assert!(matches!(err, SqlError::NotReadOnly | SqlError::Sqlite(_)), "{sql}: {err:?}");
    }
    assert_eq!(c.query("INSERT INTO prices VALUES ('a', 'b', 1)", &[]).unwrap_err(), SqlError::NotReadOnly);
}

#[test]
fn a_runaway_query_is_interrupted() {
    let c = bundled();
    let sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";
    assert_eq!(c.query(sql, &[]).unwrap_err(), SqlError::TooSlow(aws_agent::catalog::sql::QUERY_TIME_LIMIT));
    let (_, rows) = c.query("SELECT 1", &[]).unwrap();
    assert_eq!(rows, vec![vec![Value::Integer(1)]], "the connection works after an interrupt");
}

#[test]
fn huge_results_are_refused() {
    let c = bundled();
    assert_eq!(c.query("SELECT * FROM prices", &[]).unwrap_err(), SqlError::TooManyRows);
}

#[test]
fn parameters_are_bound_not_spliced() {
    let c = bundled();
    let hostile = Value::Text("t3.micro' OR '1'='1".into());
    let (_, rows) = c.query("SELECT instance_type FROM instance_types WHERE instance_type = ?1", &[hostile]).unwrap();
    assert!(rows.is_empty());
}

#[test]
fn the_seed_csv_loads_with_its_prices_in_us_east_1() {
    let path = common::fixtures().join("seed_small.csv");
    let source = Source::from_path(&path).unwrap();
    assert_eq!(source, Source::SeedCsv(path));
    let c = open(source);
    let (_, rows) = c.query("SELECT instance_type, region, price_per_hour FROM offers ORDER BY price_per_hour LIMIT 1", &[]).unwrap();
    assert_eq!(text(&rows[0][0]), "t4g.nano");
    assert_eq!(text(&rows[0][1]), "us-east-1");
    // Rows with an empty On_Demand are types without a price, never free ones.
    let (_, rows) = c.query("SELECT count(*) FROM instance_types WHERE instance_type NOT IN (SELECT instance_type FROM prices)", &[]).unwrap();
    assert_eq!(rows[0][0], Value::Integer(3));
}

#[test]
fn a_catalog_directory_loads_and_bad_paths_explain_themselves() {
    let c = open(Source::from_path(&common::fixtures().join("catalog")).unwrap());
    let (_, rows) = c.query("SELECT count(*) FROM instance_types", &[]).unwrap();
    assert_eq!(rows[0][0], Value::Integer(16));
    let err = Source::from_path(&common::fixtures().join("catalog/prices.csv")).unwrap_err().to_string();
    assert!(err.contains("one file of a catalog directory"), "{err}");
    let err = Source::from_path(&common::fixtures().join("README.md")).unwrap_err().to_string();
    assert!(err.contains("not a catalog"), "{err}");
    let err = Source::from_path(std::path::Path::new("/no/such/file.csv")).unwrap_err().to_string();
    assert!(err.contains("cannot read catalog /no/such/file.csv"), "{err}");
}

#[test]
fn offered_types_without_a_price_gpu_makers_and_the_prices_date_are_known() {
    let c = bundled();
    let t3 = c.instance("t3.medium").unwrap().unwrap();
    assert!(t3.burstable && !t3.prices.contains_key("us-east-1") && t3.offered_price_unknown.contains(&"us-east-1".to_string()), "{t3:?}");
    let g4dn = c.instance("g4dn.xlarge").unwrap().unwrap();
    assert_eq!((g4dn.gpu_manufacturer.as_str(), g4dn.gpu_name.as_str(), g4dn.gpu_memory_per_gpu_gib, g4dn.burstable), ("NVIDIA", "T4", 16.0, false));
    assert_eq!(c.instance("g4ad.xlarge").unwrap().unwrap().gpu_manufacturer, "", "moto does not say who makes g4ad's GPU");
    let us_east = c.coverage().unwrap().into_iter().find(|r| r.region == "us-east-1").unwrap();
    assert!(us_east.offered_price_unknown > 0 && us_east.offered_types >= us_east.offered_price_unknown, "{us_east:?}");
    let p = c.provenance();
    assert_eq!((p.prices_as_of.as_deref(), p.price_source.as_deref()), (Some("2025-03-02"), Some("apache-libcloud 3.9.1")));
    assert_eq!(open(Source::Directory(common::fixtures().join("catalog"))).provenance(), Default::default(), "a directory without metadata.csv does not say");
}

#[test]
fn a_database_from_an_older_aws_agent_is_refused_at_open_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "CREATE TABLE instance_types (instance_type TEXT PRIMARY KEY, vcpus INTEGER, memory_gib REAL, gpus INTEGER, arch TEXT);
         CREATE TABLE prices (instance_type TEXT, region TEXT, price_per_hour REAL);
         INSERT INTO instance_types VALUES ('t3.micro', 2, 1.0, 0, 'x86_64');",
    )
    .unwrap();
    drop(db);
    let message = match Source::from_path(&path).unwrap().open(dir.path()) {
        Ok(_) => panic!("an old catalog opened"),
        Err(e) => e.to_string(),
    };
    assert!(message.contains("written by an older aws-agent") && message.contains("catalog refresh"), "{message}");
}

#[test]
fn every_operating_system_is_priced_and_linux_is_the_prices_table() {
    let c = bundled();
    let count = |sql: &str| match c.query(sql, &[]).unwrap().1[0][0] {
        Value::Integer(n) => n,
        ref other => panic!("{other:?}"),
    };
    assert_eq!(count("SELECT count(*) FROM os_prices WHERE operating_system = 'Linux'"), count("SELECT count(*) FROM prices"));
    assert_eq!(
        count(
            "SELECT count(*) FROM prices p JOIN os_prices o USING (instance_type, region) WHERE o.operating_system = 'Linux' AND o.price_per_hour = p.price_per_hour"
        ),
        count("SELECT count(*) FROM prices"),
        "os_prices' Linux rows are the prices table's"
    );
    for os in ["Windows", "RHEL", "SUSE"] {
        assert!(count(&format!("SELECT count(*) FROM os_prices WHERE operating_system = '{os}'")) > 5000, "{os}");
    }
    assert_eq!(count("SELECT count(*) FROM os_prices JOIN instance_types USING (instance_type) WHERE operating_system = 'Windows' AND arch = 'arm64'"), 0);
    // An OS price carries a license on top of Linux compute: never at or below the Linux price.
    assert_eq!(
        count(
            "SELECT count(*) FROM os_prices o JOIN prices p USING (instance_type, region) WHERE o.operating_system <> 'Linux' AND o.price_per_hour <= p.price_per_hour"
        ),
        0
    );
    assert_eq!(count("SELECT count(*) FROM reserved_prices"), 0, "the bundled source has no Reserved rates");
    let m5 = c.os_prices("m5.large").unwrap();
    assert_eq!(m5.keys().collect::<Vec<_>>(), ["Linux", "RHEL", "SUSE", "Windows"]);
    assert_eq!(m5["Linux"], c.instance("m5.large").unwrap().unwrap().prices);
    let us_east = c.coverage().unwrap().into_iter().find(|r| r.region == "us-east-1").unwrap();
    assert_eq!(us_east.priced_by_os["Linux"], us_east.priced_types);
    assert!(us_east.priced_by_os["Windows"] < us_east.priced_types, "{us_east:?}");
}

#[test]
fn a_directory_with_a_second_linux_price_or_a_bad_operating_system_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["instance_types.csv", "prices.csv"] {
        std::fs::copy(common::fixtures().join("catalog").join(file), dir.path().join(file)).unwrap();
    }
    for (row, expected) in [
        ("t2.micro,us-east-1,Linux,0.02", "os_prices.csv row 2: Linux prices belong in prices.csv"),
        ("t2.micro,us-east-1,Ubuntu,0.02", "os_prices.csv row 2: CHECK constraint failed"),
    ] {
        std::fs::write(dir.path().join("os_prices.csv"), format!("instance_type,region,operating_system,price_per_hour\n{row}\n")).unwrap();
        let cache = tempfile::tempdir().unwrap();
        let err = Source::Directory(dir.path().to_path_buf()).open(cache.path()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains(expected), "{row}: {err}");
    }
}

#[test]
fn a_database_without_the_price_tables_of_operating_systems_is_refused_at_open() {
    let cache = tempfile::tempdir().unwrap();
    drop(Source::Directory(common::fixtures().join("catalog")).open(cache.path()).unwrap());
    let built = std::fs::read_dir(cache.path()).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "sqlite")).unwrap();
    let old = cache.path().join("old.sqlite");
    std::fs::copy(&built, &old).unwrap();
    rusqlite::Connection::open(&old).unwrap().execute_batch("DROP TABLE os_prices; DROP TABLE reserved_prices;").unwrap();
    let message = Source::Sqlite(old).open(cache.path()).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("written by an older aws-agent") && message.contains("os_prices"), "{message}");
}
