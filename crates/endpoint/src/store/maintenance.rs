//! The store's side of the operator's commands (operations.rs): consistent
//! SQLite copies for backup and restore, and deleting rows for
//! data-protection requests without leaving copies in the live files.

use anyhow::{bail, Context, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, SqlitePool};

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
