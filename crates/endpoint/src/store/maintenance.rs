//! The store's side of the operator's commands (operations.rs): consistent
//! SQLite copies for backup and restore, and deleting rows for
//! data-protection requests without leaving copies in the live files.

use std::collections::BTreeMap;
use std::str::FromStr;

use anyhow::{bail, Context, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Connection, SqlitePool};

use super::{is_postgres, sqlite_options, Backend, Store};

/// Why SQLite could not open `path` ("unable to open database file" says
/// neither which file nor why): missing, not readable, or (when the
/// connection writes, `writes`) the file or its folder not writable by this
/// user (a database in WAL mode needs its `-wal`/`-shm` beside it). `None`
/// when none of these is the cause.
pub fn why_sqlite_cannot_open(path: &std::path::Path, writes: bool) -> Option<String> {
    use std::io::ErrorKind;
    let who = || format!("this user (uid {})", unsafe { libc::geteuid() });
    let shown = path.display();
    match std::fs::metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            let folder = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => std::path::PathBuf::from("."),
            };
            let c_folder = std::ffi::CString::new(folder.as_os_str().as_encoded_bytes()).ok();
            // SAFETY: a valid NUL-terminated path.
            let can_create =
                c_folder.is_some_and(|f| unsafe { libc::access(f.as_ptr(), libc::W_OK) } == 0);
            return Some(if folder.is_dir() && writes && !can_create {
                format!(
                    "there is no database at {shown}, and {} cannot create one in the folder {}",
                    who(),
                    folder.display()
                )
            } else if folder.is_dir() {
                format!("there is no database at {shown} (check --database-url or DATABASE_URL)")
            } else {
                format!(
                    "there is no database at {shown}: the folder {} does not exist \
                     (check --database-url or DATABASE_URL)",
                    folder.display()
                )
            });
        }
        Err(e) if e.kind() == ErrorKind::PermissionDenied => {
            return Some(format!(
                "{shown} cannot be reached by {}: permission denied on a folder of its path",
                who()
            ));
        }
        Err(e) => return Some(format!("{shown}: {e}")),
        Ok(meta) if meta.is_dir() => return Some(format!("{shown} is a folder, not a database")),
        Ok(_) => {}
    }
    let denied = |r: std::io::Result<std::fs::File>| matches!(r, Err(e) if e.kind() == ErrorKind::PermissionDenied);
    if denied(std::fs::File::open(path)) {
        return Some(format!(
            "{shown} cannot be read by {}: permission denied (see its owner and mode with ls -l)",
            who()
        ));
    }
    if writes {
        if denied(std::fs::OpenOptions::new().write(true).open(path)) {
            return Some(format!(
                "{shown} cannot be written by {}: permission denied (run as the service's user, \
                 or see its owner and mode with ls -l)",
                who()
            ));
        }
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
        let folder = folder.unwrap_or(std::path::Path::new("."));
        let c_folder = std::ffi::CString::new(folder.as_os_str().as_encoded_bytes()).ok()?;
        // SAFETY: a valid NUL-terminated path.
        if unsafe { libc::access(c_folder.as_ptr(), libc::W_OK) } != 0 {
            return Some(format!(
                "the folder {} cannot be written by {}, and SQLite keeps its -wal and -shm files there",
                folder.display(),
                who()
            ));
        }
    }
    None
}

/// Adds the cause [`why_sqlite_cannot_open`] finds to an error opening `url`.
pub fn explain_open_error(url: &str, writes: bool, e: sqlx::Error) -> anyhow::Error {
    let cause = sqlite_file(url)
        .ok()
        .flatten()
        .and_then(|path| why_sqlite_cannot_open(&path, writes));
    match (cause, sqlite_file(url).ok().flatten()) {
        (Some(cause), _) => anyhow::Error::new(e).context(cause),
        (None, Some(path)) => {
            anyhow::Error::new(e).context(format!("opening the database {}", path.display()))
        }
        (None, None) => anyhow::Error::new(e).context("opening the database"),
    }
}

/// The file of a SQLite database URL; `None` for PostgreSQL.
pub fn sqlite_file(url: &str) -> Result<Option<std::path::PathBuf>> {
    if is_postgres(url) {
        return Ok(None);
    }
    Ok(Some(sqlite_options(url)?.get_filename().to_path_buf()))
}

/// One read-only connection to an existing SQLite file (never creates one).
async fn open_sqlite_read_only(path: &std::path::Path) -> sqlx::Result<SqlitePool> {
    // Absolute: SQLite reads a name starting with `file:` as a URI.
    let path = std::path::absolute(path).map_err(sqlx::Error::Io)?;
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

/// Whether a SQLite database has a write-ahead log beside it (a process
/// has it open, or one stopped without closing it).
fn wal_exists(opts: &SqliteConnectOptions) -> bool {
    let wal = format!("{}-wal", opts.get_filename().display());
    std::path::Path::new(&wal).exists()
}

/// The file name `VACUUM INTO` gets: absolute, so that SQLite never reads
/// it as a URI (`file:y.db` would write `y.db`; `/abs/file:y.db` is the
/// file the operator named).
fn vacuum_target(to: &std::path::Path) -> Result<String> {
    let abs = std::path::absolute(to).with_context(|| format!("the path {}", to.display()))?;
    abs.to_str()
        .map(str::to_string)
        .with_context(|| format!("{} is not a UTF-8 path", abs.display()))
}

/// Copies a SQLite database file (read-only) into a new file with
/// `VACUUM INTO`: a consistent snapshot, even while a server writes to it.
pub async fn copy_sqlite(from: &std::path::Path, to: &std::path::Path) -> Result<()> {
    let pool = open_sqlite_read_only(from)
        .await
        .context("opening the source database")?;
    let result = sqlx::query("VACUUM INTO ?")
        .bind(vacuum_target(to)?)
        .execute(&pool)
        .await
        .map(|_| ())
        .context("copying the database");
    pool.close().await;
    result
}

impl Store {
    /// Opens an existing database to read only (`export`, `backup`): no
    /// migration, no change of journal mode, no file created, so it works
    /// on a database this user cannot write (the service's) and leaves the
    /// file as it was. PostgreSQL: every transaction read-only.
    pub async fn open_read_only(url: &str) -> Result<Store> {
        if is_postgres(url) {
            let opts = sqlx::postgres::PgConnectOptions::from_str(url)
                .context("invalid PostgreSQL URL")?
                .options([("default_transaction_read_only", "on")]);
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(2)
                .acquire_timeout(std::time::Duration::from_secs(10))
                .connect_with(opts)
                .await
                .context("connecting to PostgreSQL")?;
            return Ok(Store {
                backend: Backend::Postgres(pool),
                mail: None,
            });
        }
        let opts = sqlite_options(url)?
            .read_only(true)
            .create_if_missing(false)
            .busy_timeout(std::time::Duration::from_secs(10));
        let open = |opts: SqliteConnectOptions| async move {
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(opts)
                .await?;
            // The first read opens the write-ahead log's index, if any.
            match sqlx::query("SELECT COUNT(*) FROM sqlite_master")
                .execute(&pool)
                .await
            {
                Ok(_) => Ok(pool),
                Err(e) => {
                    pool.close().await;
                    Err(e)
                }
            }
        };
        let pool = match open(opts.clone()).await {
            Ok(pool) => pool,
            // A database in WAL mode that no process has open (no `-wal`)
            // in a folder this user cannot write: SQLite cannot make the
            // `-shm` a reader needs, and reads the file as it is instead.
            Err(sqlx::Error::Database(e))
                if e.code().as_deref() == Some("1544") && !wal_exists(&opts) =>
            {
                open(opts.immutable(true))
                    .await
                    .map_err(|e| explain_open_error(url, false, e))?
            }
            Err(e) => return Err(explain_open_error(url, false, e)),
        };
        Ok(Store {
            backend: Backend::Sqlite(pool),
            mail: None,
        })
    }

    /// Writes a consistent copy of a SQLite database to `to` (`VACUUM INTO`).
    pub async fn backup_into(&self, to: &std::path::Path) -> Result<()> {
        let Backend::Sqlite(pool) = &self.backend else {
            bail!("backup is for SQLite; back up PostgreSQL with pg_dump");
        };
        sqlx::query("VACUUM INTO ?")
            .bind(vacuum_target(to)?)
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
            .remove_rows(RowFilter::Reference, &[reference], false)
            .await?
            > 0)
    }

    /// Deletes (or with `dry_run` counts) the rows received before `before`
    /// (a timestamp as [`format_utc`] writes it); returns how many. A row
    /// stamped later than now (a clock that was ahead) was received before
    /// every row stored after it: it goes too when a row stored after it
    /// was received before `before`.
    pub async fn purge_before(&self, before: &str, dry_run: bool) -> Result<u64> {
        let now = super::now_rfc3339();
        self.remove_rows(RowFilter::ReceivedBefore, &[before, &now], dry_run)
            .await
    }

    /// Deletes (or counts) the rows `filter` names with `values`.
    async fn remove_rows(&self, filter: RowFilter, values: &[&str], dry_run: bool) -> Result<u64> {
        let verb = if dry_run { "SELECT COUNT(*)" } else { "DELETE" };
        // Only constants enter the SQL; the values are bound.
        let sql = |placeholder: fn(usize) -> String| {
            AssertSqlSafe(format!(
                "{verb} FROM submissions WHERE {}",
                filter.condition(placeholder)
            ))
        };
        let sqlite = |i: usize| format!("?{i}");
        let postgres = |i: usize| format!("${i}");
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                if dry_run {
                    let mut q = sqlx::query_scalar(sql(sqlite));
                    for v in values {
                        q = q.bind(*v);
                    }
                    let n: i64 = q.fetch_one(&mut *conn).await?;
                    return Ok(n as u64);
                }
                // The connection runs with `secure_delete` (Store::connect).
                let mut q = sqlx::query(sql(sqlite));
                for v in values {
                    q = q.bind(*v);
                }
                let n = q.execute(&mut *conn).await?.rows_affected();
                checkpoint(&mut conn).await;
                Ok(n)
            }
            Backend::Postgres(pool) if dry_run => {
                let mut q = sqlx::query_scalar(sql(postgres));
                for v in values {
                    q = q.bind(*v);
                }
                let n: i64 = q.fetch_one(pool).await?;
                Ok(n as u64)
            }
            Backend::Postgres(pool) => {
                let mut q = sqlx::query(sql(postgres));
                for v in values {
                    q = q.bind(*v);
                }
                Ok(q.execute(pool).await?.rows_affected())
            }
        }
    }
}

/// Which rows a data-protection request names.
#[derive(Debug, Clone, Copy)]
enum RowFilter {
    /// One submission, by its reference (value 1).
    Reference,
    /// Every submission received before a time (value 1), a row stamped
    /// after now (value 2) counting as received before the rows stored
    /// after it.
    ReceivedBefore,
}

impl RowFilter {
    fn condition(self, p: fn(usize) -> String) -> String {
        match self {
            RowFilter::Reference => format!("reference = {}", p(1)),
            RowFilter::ReceivedBefore => format!(
                "received_at < {before} OR (received_at > {now} AND id < \
                 (SELECT MAX(id) FROM submissions WHERE received_at < {before}))",
                before = p(1),
                now = p(2)
            ),
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
