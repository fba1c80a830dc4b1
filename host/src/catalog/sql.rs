//! Read-only SQL over the catalog, as lent to plugins.
//!
//! Connections are opened `SQLITE_OPEN_READ_ONLY` with the ATTACH limit set to 0. An authorizer
//! allows only reads, functions and recursive CTEs, and a statement must also be `readonly()`.
//! Queries are interrupted after 2 s by a progress handler and may return at most 10,000 rows.
use super::CatalogError;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OpenFlags, limits::Limit};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Bounds on one query, so a plugin cannot stall the session or flood memory.
pub const QUERY_TIME_LIMIT: Duration = Duration::from_secs(2);
pub const MAX_ROWS: usize = 10_000;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SqlError {
    #[error("only reading statements are allowed on the catalog")]
    NotReadOnly,
    #[error("the query ran longer than {0:?} and was interrupted")]
    TooSlow(Duration),
    #[error("the query returned more than {MAX_ROWS} rows")]
    TooManyRows,
    #[error("{0}")]
    Sqlite(String),
}

pub struct Catalog {
    conn: Connection,
}

impl Catalog {
    pub fn open_read_only(path: &Path) -> Result<Catalog, CatalogError> {
        let sqlite = |source| CatalogError::Sqlite { path: path.to_path_buf(), source };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
        // Read-only already forbids writes; ATTACH and PRAGMA writes would still reach other files.
        conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0).map_err(sqlite)?;
        conn.authorizer(Some(|ctx: AuthContext<'_>| match ctx.action {
            AuthAction::Select | AuthAction::Read { .. } | AuthAction::Function { .. } | AuthAction::Recursive => Authorization::Allow,
            _ => Authorization::Deny,
        }));
        let catalog = Catalog { conn };
        catalog
            .query("SELECT count(*) FROM instance_types", &[])
            .map_err(|e| CatalogError::Format { path: path.to_path_buf(), message: format!("not an aws-agent catalog: {e}") })?;
        // A database written by an older aws-agent lacks what searches read now; say so at open,
        // not as an SQL error in the middle of a search.
        // Each table is asked alone: a join with an empty table could read every row of the others.
        for probe in [
            "SELECT gpu_manufacturer, burstable FROM instance_types LIMIT 1",
            "SELECT 1 FROM unpriced_offerings LIMIT 1",
            "SELECT 1 FROM metadata LIMIT 1",
            "SELECT operating_system FROM os_prices LIMIT 1",
            "SELECT lease_years, purchase_option, upfront_usd, hourly_usd FROM reserved_prices LIMIT 1",
        ] {
            catalog.query(probe, &[]).map_err(|e| CatalogError::Format {
                path: path.to_path_buf(),
                message: format!("written by an older aws-agent ({e}); point --catalog at the CSV folder it came from, or write a new one with `aws-agent catalog refresh --out DIR`"),
            })?;
        }
        Ok(catalog)
    }

    /// Runs one statement with bound parameters; returns column names and rows.
    pub fn query(&self, sql: &str, params: &[Value]) -> Result<(Vec<String>, Vec<Vec<Value>>), SqlError> {
        let sqlite = |e: rusqlite::Error| SqlError::Sqlite(e.to_string());
        // Cached: a plugin asks the same few statements every call, and preparing costs more than
        // running them over the indexed tables.
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::AuthorizationForStatementDenied => SqlError::NotReadOnly,
            e => sqlite(e),
        })?;
        if !stmt.readonly() {
            return Err(SqlError::NotReadOnly);
        }
        let columns: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
        let deadline = Instant::now() + QUERY_TIME_LIMIT;
        let timed_out = Arc::new(AtomicBool::new(false));
        let flag = timed_out.clone();
        self.conn.progress_handler(
            10_000,
            Some(move || {
                let late = Instant::now() > deadline;
                flag.store(late, Ordering::Relaxed);
                late
            }),
        );
        let result = (|| {
            let mut rows = stmt.query(rusqlite::params_from_iter(params)).map_err(sqlite)?;
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(sqlite)? {
                if out.len() == MAX_ROWS {
                    return Err(SqlError::TooManyRows);
                }
                out.push((0..columns.len()).map(|i| row.get_ref(i).map(to_owned)).collect::<Result<_, _>>().map_err(sqlite)?);
            }
            Ok(out)
        })();
        self.conn.progress_handler(0, None::<fn() -> bool>);
        match result {
            Err(_) if timed_out.load(Ordering::Relaxed) => Err(SqlError::TooSlow(QUERY_TIME_LIMIT)),
            other => other.map(|rows| (columns, rows)),
        }
    }
}

fn to_owned(v: ValueRef<'_>) -> Value {
    match v {
        // Catalog text is ours and UTF-8; a lossy copy keeps a corrupted file from aborting.
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        other => other.into(),
    }
}
