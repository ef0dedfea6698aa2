//! The store's side of the operator's commands (operations.rs): consistent
//! SQLite copies for backup and restore, and deleting rows for
//! data-protection requests without leaving copies in the live files.

use std::collections::BTreeMap;
use std::str::FromStr;

use anyhow::{bail, Context, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Connection, SqlitePool};

use super::{is_postgres, sqlite_options, Backend, Store};

/// The file of a SQLite database URL; `None` for PostgreSQL.
pub fn sqlite_file(url: &str) -> Result<Option<std::path::PathBuf>> {
    if is_postgres(url) {
        return Ok(None);
    }
    Ok(Some(sqlite_options(url)?.get_filename().to_path_buf()))
}

/// One read-only connection to an existing SQLite file (never creates one).
async fn open_sqlite_read_only(path: &std::path::Path) -> sqlx::Result<SqlitePool> {
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false)
        // As every connection of the store (`Store::connect`).
        .pragma("secure_delete", "on");
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
}

/// What `check_sqlite_backup` found in a backup file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupInfo {
    pub rows: i64,
}

/// Opens a SQLite file read-only and checks it is a sound copy of this
/// endpoint's database: the integrity check passes and the submissions
/// table is there.
pub async fn check_sqlite_backup(path: &std::path::Path) -> Result<BackupInfo> {
    let pool = open_sqlite_read_only(path)
        .await
        .context("it cannot be opened as a SQLite database")?;
    let result = async {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .context("it is not a SQLite database")?;
        if check != "ok" {
            bail!("the SQLite integrity check failed: {check}");
        }
        let tables: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'submissions'",
        )
        .fetch_one(&pool)
        .await?;
        if tables != 1 {
            bail!("it is a SQLite database without a submissions table");
        }
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions")
            .fetch_one(&pool)
            .await?;
        Ok::<_, anyhow::Error>(BackupInfo { rows })
    }
    .await;
    pool.close().await;
    result
}

/// One object of a SQLite schema, as `sqlite_master` lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct SchemaObject {
    kind: String,
    name: String,
    tbl_name: String,
    sql: Option<String>,
}

/// Every table, index, trigger and view of a database, by (type, name).
async fn schema_of(
    conn: &mut sqlx::SqliteConnection,
) -> Result<BTreeMap<(String, String), SchemaObject>> {
    let objects: Vec<SchemaObject> = sqlx::query_as(
        "SELECT type AS kind, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading its schema")?;
    Ok(objects
        .into_iter()
        .map(|o| ((o.kind.clone(), o.name.clone()), o))
        .collect())
}

/// The schema this endpoint makes, derived, never listed by hand: the
/// migrations up to `version` run on a fresh in-memory database, and the
/// health check's table when `with_probe`.
async fn expected_schema(
    version: i64,
    with_probe: bool,
) -> Result<BTreeMap<(String, String), SchemaObject>> {
    let opts = SqliteConnectOptions::from_str("sqlite::memory:")?;
    let mut conn = sqlx::SqliteConnection::connect_with(&opts).await?;
    super::MIGRATOR_SQLITE
        .run_to(version, &mut conn)
        .await
        .context("running the migrations on an empty database")?;
    if with_probe {
        sqlx::query(super::CREATE_WRITE_PROBE_TABLE)
            .execute(&mut conn)
            .await?;
    }
    let schema = schema_of(&mut conn).await;
    let _ = conn.close().await;
    schema
}

/// Checks that a SQLite file's schema (tables, indexes, triggers, views,
/// each by type, name and SQL) is exactly what this endpoint's migrations
/// make at the version it records: a backup with anything more (a trigger
/// copying every new submission away), less or changed is refused, naming
/// what differs.
pub async fn check_sqlite_schema(path: &std::path::Path) -> Result<()> {
    let pool = open_sqlite_read_only(path)
        .await
        .context("it cannot be opened as a SQLite database")?;
    let found = async {
        let mut conn = pool.acquire().await?;
        let found = schema_of(&mut conn).await?;
        let migrations = ("table".to_string(), "_sqlx_migrations".to_string());
        let version: Option<i64> = if found.contains_key(&migrations) {
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&mut *conn)
                .await?
        } else {
            None
        };
        Ok::<_, anyhow::Error>((found, version))
    }
    .await;
    pool.close().await;
    let (found, version) = found?;
    let Some(version) = version else {
        bail!("it has no record of this endpoint's migrations (no _sqlx_migrations rows)");
    };
    if !super::MIGRATOR_SQLITE.version_exists(version) {
        bail!(
            "its schema version {version} is not one of this endpoint's migrations \
             (a backup of a newer release?)"
        );
    }
    let probe = ("table".to_string(), super::WRITE_PROBE_TABLE.to_string());
    let expected = expected_schema(version, found.contains_key(&probe)).await?;
    let mut differences = vec![];
    for ((kind, name), object) in &found {
        match expected.get(&(kind.clone(), name.clone())) {
            None => differences.push(format!("unexpected {kind} {name}")),
            Some(want) if want != object => {
                differences.push(format!("{kind} {name} defined differently"))
            }
            Some(_) => {}
        }
    }
    for (kind, name) in expected.keys() {
        if !found.contains_key(&(kind.clone(), name.clone())) {
            differences.push(format!("missing {kind} {name}"));
        }
    }
    if !differences.is_empty() {
        bail!(
            "its schema is not this endpoint's: {}",
            differences.join(", ")
        );
    }
    Ok(())
}

/// Copies a SQLite database file (read-only) into a new file with
/// `VACUUM INTO`: a consistent snapshot, even while a server writes to it.
pub async fn copy_sqlite(from: &std::path::Path, to: &std::path::Path) -> Result<()> {
    let pool = open_sqlite_read_only(from)
        .await
        .context("opening the source database")?;
    let result = sqlx::query("VACUUM INTO ?")
        .bind(to.to_string_lossy().as_ref())
        .execute(&pool)
        .await
        .map(|_| ())
        .context("copying the database");
    pool.close().await;
    result
}

impl Store {
    /// Writes a consistent copy of a SQLite database to `to` (`VACUUM INTO`).
    pub async fn backup_into(&self, to: &std::path::Path) -> Result<()> {
        let Backend::Sqlite(pool) = &self.backend else {
            bail!("backup is for SQLite; back up PostgreSQL with pg_dump");
        };
        sqlx::query("VACUUM INTO ?")
            .bind(to.to_string_lossy().as_ref())
            .execute(pool)
            .await
            .context("writing the backup")?;
        Ok(())
    }

    /// Deletes the row with this reference; false when there is none. On
    /// SQLite the deleted content is overwritten (`secure_delete`) and the
    /// write-ahead log is checkpointed, so no copy stays in the live files.
    pub async fn delete_reference(&self, reference: &str) -> Result<bool> {
        Ok(self
            .remove_rows(RowFilter::Reference, reference, false)
            .await?
            > 0)
    }

    /// Deletes (or with `dry_run` counts) the rows received before `before`
    /// (a timestamp as [`format_utc`] writes it); returns how many.
    pub async fn purge_before(&self, before: &str, dry_run: bool) -> Result<u64> {
        self.remove_rows(RowFilter::ReceivedBefore, before, dry_run)
            .await
    }

    /// Deletes (or counts) the rows `filter` names with `value`.
    async fn remove_rows(&self, filter: RowFilter, value: &str, dry_run: bool) -> Result<u64> {
        let verb = if dry_run { "SELECT COUNT(*)" } else { "DELETE" };
        // Only constants enter the SQL; the value is bound.
        let sql = |placeholder: &str| {
            AssertSqlSafe(format!(
                "{verb} FROM submissions WHERE {} {placeholder}",
                filter.condition()
            ))
        };
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                if dry_run {
                    let n: i64 = sqlx::query_scalar(sql("?"))
                        .bind(value)
                        .fetch_one(&mut *conn)
                        .await?;
                    return Ok(n as u64);
                }
                // The connection runs with `secure_delete` (Store::connect).
                let n = sqlx::query(sql("?"))
                    .bind(value)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                checkpoint(&mut conn).await;
                Ok(n)
            }
            Backend::Postgres(pool) if dry_run => {
                let n: i64 = sqlx::query_scalar(sql("$1"))
                    .bind(value)
                    .fetch_one(pool)
                    .await?;
                Ok(n as u64)
            }
            Backend::Postgres(pool) => Ok(sqlx::query(sql("$1"))
                .bind(value)
                .execute(pool)
                .await?
                .rows_affected()),
        }
    }
}

/// Which rows a data-protection request names.
#[derive(Debug, Clone, Copy)]
enum RowFilter {
    /// One submission, by its reference.
    Reference,
    /// Every submission received before a time.
    ReceivedBefore,
}

impl RowFilter {
    fn condition(self) -> &'static str {
        match self {
            RowFilter::Reference => "reference =",
            RowFilter::ReceivedBefore => "received_at <",
        }
    }
}

/// Moves the write-ahead log into the database file and empties it, so the
/// log keeps no frame with the deleted text (it waits, within the busy
/// timeout, for a running server's readers; if one still holds the log, a
/// warning says so and the server's next checkpoint finishes the work).
async fn checkpoint(conn: &mut sqlx::pool::PoolConnection<sqlx::Sqlite>) {
    match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(&mut **conn)
        .await
    {
        Ok((0, _, _)) => {}
        Ok(_) => tracing::warn!(
            "the write-ahead log is still in use: it keeps old pages until the next checkpoint"
        ),
        Err(e) => tracing::warn!(error = %e, "checkpointing the write-ahead log failed"),
    }
}
