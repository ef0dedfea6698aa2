//! Storage of submissions. Everything SQL lives here, behind [`Store`]:
//! SQLite by default, PostgreSQL when `DATABASE_URL` starts with `postgres:`.

use std::str::FromStr;
use std::sync::LazyLock;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use imrf_contract::{Submission, ValidSubmission};
use sha2::{Digest, Sha256};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Row, SqlitePool};

// Backups, restores and data-protection requests (the store's side of operations.rs).
mod maintenance;
pub use maintenance::{
    check_sqlite_backup, check_sqlite_schema, copy_sqlite, explain_open_error, sqlite_file,
    why_sqlite_cannot_open, BackupInfo,
};
// The messages to send (the store's side of mail/).
mod outbox;
pub use outbox::{
    secretariat_message_id, withdrawal_message_id, MailQueue, OutboxCounts, OutboxRow, Record,
};
// The secretariat's decisions and their audit log (the store's side of moderation.rs).
mod decisions;
// The public record: what the public may see of the published inputs.
mod publication;
pub use publication::{Lookup, PublishedRow, RecordCounts, RecordFilter};
// The secretariat's redacted copies (the store's side of redaction.rs).
mod redactions;
// The console's staff, passkeys and sessions (the store's side of console/).
mod staff;
pub use staff::{Ceremony, Invited, NewCeremony, StaffMember};
// Every input as the console's staff read it.
mod review;
pub use review::ReviewFilter;
// Withdrawal by the sender (the store's side of withdrawal.rs).
mod withdrawals;
pub use withdrawals::Withdrawal;

static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Why a row is kept apart from the secretariat's default export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// The hidden `website` field was filled in.
    Honeypot,
    /// The form was sent faster than a person can fill it in.
    TooFast,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Honeypot => "honeypot",
            Flag::TooFast => "too_fast",
        }
    }
}

/// How many submissions the database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredCounts {
    pub all: i64,
    pub honeypot: i64,
    pub too_fast: i64,
}

/// What happened to an insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertOutcome {
    /// A new row was committed.
    Created { reference: String },
    /// The key was already stored with the same body.
    Replayed { reference: String },
    /// The key was already stored with a different body.
    Conflict,
}

/// One value of a row, typed as the databases and the exports need it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Text(&'a str),
    /// JSON kept as text in the database (an object in JSON Lines).
    Json(&'a str),
    Bool(bool),
    Int(i64),
    Null,
}

/// Defines the stored row once: the struct (read back with `FromRow`), the
/// column list [`COLUMNS`] (which the SQL, the CSV header and the JSON Lines
/// members are made from) and [`StoredRow::cells`] (what insert binds and the
/// exports write), all from one list of columns.
macro_rules! stored_row {
    ($( $(#[$doc:meta])* $column:ident : $ty:ty ),* $(,)?) => {
        /// One stored row, as the export writes it (`body_hash` and `id` are
        /// the database's own and not exported).
        #[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
        pub struct StoredRow {
            $( $(#[$doc])* pub $column: $ty, )*
        }

        /// The exported columns, in order.
        pub const COLUMNS: &[&str] = &[$(stringify!($column)),*];

        impl StoredRow {
            /// The values, in [`COLUMNS`] order.
            pub fn cells(&self) -> Vec<Cell<'_>> {
                vec![$( ToCell::cell(&self.$column, stringify!($column)) ),*]
            }
        }
    };
}

stored_row! {
    reference: String,
    /// UTC, RFC 3339 with milliseconds.
    received_at: String,
    idempotency_key: String,
    language: String,
    name: String,
    organisation: String,
    email: String,
    country: String,
    /// A `StakeholderGroup` key, or empty.
    stakeholder_group: String,
    stakeholder_group_other: String,
    title: String,
    input: String,
    link: String,
    consent: bool,
    /// The stored JSON text, e.g. `{"input":"rtl"}`.
    directions: String,
    fill_ms: i64,
    flagged: Option<String>,
}

/// The one column kept as JSON text.
const JSON_COLUMN: &str = "directions";

trait ToCell {
    fn cell(&self, column: &'static str) -> Cell<'_>;
}
impl ToCell for String {
    fn cell(&self, column: &'static str) -> Cell<'_> {
        if column == JSON_COLUMN {
            Cell::Json(self)
        } else {
            Cell::Text(self)
        }
    }
}
impl ToCell for bool {
    fn cell(&self, _: &'static str) -> Cell<'_> {
        Cell::Bool(*self)
    }
}
impl ToCell for i64 {
    fn cell(&self, _: &'static str) -> Cell<'_> {
        Cell::Int(*self)
    }
}
impl ToCell for Option<String> {
    fn cell(&self, _: &'static str) -> Cell<'_> {
        self.as_deref().map_or(Cell::Null, Cell::Text)
    }
}

impl StoredRow {
    /// The row for a new submission.
    fn new(s: &Submission, reference: String, flag: Option<Flag>) -> Result<StoredRow> {
        Ok(StoredRow {
            reference,
            received_at: now_rfc3339(),
            idempotency_key: s.idempotency_key.clone(),
            language: s.language.code().to_string(),
            name: s.name.clone(),
            organisation: s.organisation.clone(),
            email: s.email.clone(),
            country: s.country.clone(),
            stakeholder_group: s
                .stakeholder_group
                .map(|g| g.key())
                .unwrap_or_default()
                .to_string(),
            stakeholder_group_other: s.stakeholder_group_other.clone(),
            title: s.title.clone(),
            input: s.input.clone(),
            link: s.link.clone(),
            consent: s.consent,
            directions: serde_json::to_string(&s.directions)?,
            fill_ms: i64::try_from(s.fill_ms).unwrap_or(i64::MAX),
            flagged: flag.map(|f| f.as_str().to_string()),
        })
    }
}

#[derive(Clone)]
enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The submissions database: SQLite (the default) or PostgreSQL, chosen by
/// the scheme of the database URL.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    /// When mail is configured: every unflagged input gets its outbox row.
    mail: Option<MailQueue>,
}

/// Runs `$body` with `$pool` bound to the backend's pool (the body is
/// compiled once per backend; the SQL must suit both, `$1` placeholders).
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.backend {
            Backend::Sqlite($pool) => $body,
            Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// SHA-256 (lower-case hex) of the canonical JSON of a normalised submission
/// with `fill_ms` set to 0: the "same body" test of idempotent replays.
pub fn body_hash(valid: &ValidSubmission) -> String {
    let mut canonical = valid.get().clone();
    canonical.fill_ms = 0;
    // Struct fields serialise in declaration order and `directions` is a
    // BTreeMap, so this JSON is canonical for a given submission.
    let json = serde_json::to_vec(&canonical).expect("a Submission always serialises");
    hex(&Sha256::digest(&json))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of hex text (either case); `None` for anything else.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `IMRF-` and 8 Crockford base32 characters (40 random bits from a UUID v4).
pub fn new_reference() -> String {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    // Bytes 10..15 of a v4 UUID are fully random.
    let mut n: u64 = 0;
    for b in &bytes[10..15] {
        n = (n << 8) | u64::from(*b);
    }
    let mut out = String::from("IMRF-");
    for i in (0..8).rev() {
        out.push(CROCKFORD[((n >> (i * 5)) & 31) as usize] as char);
    }
    out
}

/// Whether `s` has the form of a reference (`IMRF-` and 8 Crockford characters).
pub fn is_reference(s: &str) -> bool {
    s.strip_prefix("IMRF-")
        .is_some_and(|code| code.len() == 8 && code.bytes().all(|b| CROCKFORD.contains(&b)))
}

/// The current time as stored: UTC, RFC 3339 with milliseconds.
pub fn now_rfc3339() -> String {
    format_utc(time::OffsetDateTime::now_utc())
}

pub fn format_utc(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    .expect("formatting a UTC time cannot fail")
}

/// Parses a SQLite `--database-url`: a `sqlite:` URL (`sqlite://relative.db`,
/// `sqlite:///abs/path.db`, with optional `?mode=...` etc.) or a bare file path.
fn sqlite_options(url: &str) -> Result<SqliteConnectOptions> {
    let opts = if url.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(url)
            .with_context(|| "invalid sqlite database URL".to_string())?
    } else if url.contains("://") {
        bail!("unsupported database URL scheme (expected sqlite: or postgres:)");
    } else {
        SqliteConnectOptions::new().filename(url)
    };
    Ok(opts)
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres:") || url.starts_with("postgresql:")
}

/// The size of the health check's write: about the largest submission
/// (5000 characters of up to 4 bytes, plus the other fields).
pub const WRITE_PROBE_BYTES: i64 = 24 * 1024;

/// The health check's table on SQLite, made by the first check (so a
/// database, and a backup of it, may have it or not).
const WRITE_PROBE_TABLE: &str = "imrf_write_probe";
const CREATE_WRITE_PROBE_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS imrf_write_probe (id INTEGER PRIMARY KEY, pad BLOB NOT NULL)";

/// The SQL of one backend, made from [`COLUMNS`] and constants only (no
/// value ever enters it, so handing it to sqlx as `&'static str` is safe).
struct Sql {
    insert: String,
    existing: String,
    /// 1 when a row has the reference.
    reference: String,
    export: String,
}

impl Sql {
    fn new(placeholder: fn(usize) -> String, export_filter: &str) -> Sql {
        let columns = COLUMNS.join(", ");
        let values: Vec<String> = (1..=COLUMNS.len() + 1).map(placeholder).collect();
        Sql {
            insert: format!(
                "INSERT INTO submissions (body_hash, {columns}) VALUES ({}) \
                 ON CONFLICT (idempotency_key) DO NOTHING",
                values.join(", ")
            ),
            existing: format!(
                "SELECT reference, body_hash FROM submissions WHERE idempotency_key = {}",
                placeholder(1)
            ),
            export: format!("SELECT {columns} FROM submissions WHERE {export_filter} ORDER BY id"),
            reference: format!(
                "SELECT COUNT(*) FROM submissions WHERE reference = {}",
                placeholder(1)
            ),
        }
    }
}

static SQL_SQLITE: LazyLock<Sql> = LazyLock::new(|| {
    Sql::new(
        |_| "?".to_string(),
        "(?1 IS NULL OR id >= (SELECT MIN(id) FROM submissions WHERE received_at >= ?1)) \
         AND (?2 OR flagged IS NULL)",
    )
});
static SQL_POSTGRES: LazyLock<Sql> = LazyLock::new(|| {
    Sql::new(
        |i| format!("${i}"),
        "($1::text IS NULL OR id >= (SELECT MIN(id) FROM submissions WHERE received_at >= $1::text)) \
         AND ($2::boolean OR flagged IS NULL)",
    )
});

macro_rules! insert_row {
    ($pool:expr, $sql:expr, $row:expr, $hash:expr) => {{
        let mut query = sqlx::query($sql).bind($hash);
        for cell in $row.cells() {
            query = match cell {
                Cell::Text(v) | Cell::Json(v) => query.bind(v),
                Cell::Bool(v) => query.bind(v),
                Cell::Int(v) => query.bind(v),
                Cell::Null => query.bind(None::<&str>),
            };
        }
        query.execute($pool).await.map(|done| done.rows_affected())
    }};
}

/// Inserts the row and, when it is new and `$mail` names a message, its
/// outbox row, in one transaction: an acknowledged input always has its
/// mail queued. The number of submissions inserted (0 or 1).
macro_rules! insert_with_mail {
    ($pool:expr, $sql:expr, $row:expr, $hash:expr, $mail:expr) => {
        async {
            let mut tx = $pool.begin().await?;
            let inserted = insert_row!(&mut *tx, $sql, $row, $hash)?;
            if inserted == 1 {
                if let Some(m) = &$mail {
                    sqlx::query(outbox::ENQUEUE)
                        .bind(m.reference.as_str())
                        .bind(m.message_id.as_str())
                        .bind(m.at.as_str())
                        .execute(&mut *tx)
                        .await?;
                    if let Some((id, day_ago)) = &m.confirmation {
                        sqlx::query(outbox::ENQUEUE_CONFIRMATION)
                            .bind(m.reference.as_str())
                            .bind(id.as_str())
                            .bind(m.at.as_str())
                            .bind(m.email.as_str())
                            .bind(day_ago.as_str())
                            .bind(outbox::CONFIRMATIONS_PER_DAY)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(inserted)
        }
        .await
    };
}

macro_rules! existing_row {
    ($pool:expr, $sql:expr, $key:expr) => {
        sqlx::query($sql)
            .bind($key)
            .fetch_one($pool)
            .await
            .and_then(|row| {
                Ok((
                    row.try_get::<String, _>("reference")?,
                    row.try_get::<String, _>("body_hash")?,
                ))
            })
    };
}

impl Store {
    /// Opens the database named by `url` and runs the migrations. A SQLite
    /// file is created when missing only if `create` is set.
    pub async fn connect(url: &str, create: bool) -> Result<Store> {
        if is_postgres(url) {
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .context("connecting to PostgreSQL")?;
            MIGRATOR_POSTGRES
                .run(&pool)
                .await
                .context("running database migrations")?;
            return Ok(Store {
                backend: Backend::Postgres(pool),
                mail: None,
            });
        }
        let opts = sqlite_options(url)?
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            // A 201 goes out only once the commit has reached the disk.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // What a connection frees (a deleted row, a cell moved when a
            // page is split) is overwritten with zeros, so deleted text
            // leaves no copy in the file (docs/operations.md).
            .pragma("secure_delete", "on");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await
            .map_err(|e| explain_open_error(url, true, e))?;
        MIGRATOR_SQLITE
            .run(&pool)
            .await
            .context("running database migrations")?;
        Ok(Store {
            backend: Backend::Sqlite(pool),
            mail: None,
        })
    }

    pub async fn health(&self) -> Result<()> {
        let one: i32 = match &self.backend {
            Backend::Sqlite(pool) => sqlx::query_scalar("SELECT 1").fetch_one(pool).await?,
            Backend::Postgres(pool) => sqlx::query_scalar("SELECT 1").fetch_one(pool).await?,
        };
        if one != 1 {
            bail!("unexpected answer from the database");
        }
        Ok(())
    }

    /// Whether a submission of the largest size could be committed now.
    /// SQLite: rewrites one row of `imrf_write_probe` (made here when
    /// missing, outside the submissions schema) with [`WRITE_PROBE_BYTES`],
    /// a commit through the journal to the disk like an insert of a full
    /// submission; a full or read-only disk fails it. (A smaller write could
    /// still fit where a submission does not.) PostgreSQL: a write statement
    /// in a transaction that is rolled back (fails on a read-only server or
    /// standby, not on a full disk).
    pub async fn write_probe(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                sqlx::query(CREATE_WRITE_PROBE_TABLE)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(
                    "INSERT OR REPLACE INTO imrf_write_probe (id, pad) VALUES (1, zeroblob(?))",
                )
                .bind(WRITE_PROBE_BYTES)
                .execute(&mut *conn)
                .await?;
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("UPDATE submissions SET id = id WHERE false")
                    .execute(&mut *tx)
                    .await?;
                tx.rollback().await?;
            }
        }
        Ok(())
    }

    /// Stores a submission under its idempotency key, at most once per key.
    /// Safe when several requests with the same key race: the database's
    /// UNIQUE constraint decides, and the loser reads the winner's row.
    pub async fn insert(
        &self,
        valid: &ValidSubmission,
        hash: &str,
        flag: Option<Flag>,
    ) -> Result<InsertOutcome> {
        let s: &Submission = valid.get();
        for _attempt in 0..8 {
            let row = StoredRow::new(s, new_reference(), flag)?;
            // Automated senders' rows are kept apart: no mail for them.
            let mail = flag
                .is_none()
                .then(|| self.mail.as_ref().map(|q| q.queued(&row, s.confirmation)))
                .flatten();
            let result = match &self.backend {
                Backend::Sqlite(pool) => {
                    insert_with_mail!(pool, SQL_SQLITE.insert.as_str(), row, hash, mail)
                }
                Backend::Postgres(pool) => {
                    insert_with_mail!(pool, SQL_POSTGRES.insert.as_str(), row, hash, mail)
                }
            };
            match result {
                Ok(1) => {
                    if mail.is_some() {
                        self.mail.as_ref().map(MailQueue::wake);
                    }
                    return Ok(InsertOutcome::Created {
                        reference: row.reference,
                    });
                }
                Ok(_) => {
                    let key = &s.idempotency_key;
                    let (existing_ref, existing_hash) = match &self.backend {
                        Backend::Sqlite(pool) => {
                            existing_row!(pool, SQL_SQLITE.existing.as_str(), key)
                        }
                        Backend::Postgres(pool) => {
                            existing_row!(pool, SQL_POSTGRES.existing.as_str(), key)
                        }
                    }
                    .context("reading back an existing submission")?;
                    return Ok(if existing_hash == hash {
                        InsertOutcome::Replayed {
                            reference: existing_ref,
                        }
                    } else {
                        InsertOutcome::Conflict
                    });
                }
                // The random reference collided with another row's: draw again.
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
                Err(e) => return Err(e).context("storing a submission"),
            }
        }
        bail!("could not draw an unused reference")
    }

    /// Rows in the order stored (the row id: the insertion sequence, not
    /// the wall clock, which can step back), optionally from `since` (a
    /// canonical UTC timestamp as [`format_utc`] writes it): every row
    /// stored from the first one received at or after it, so a later row
    /// stamped earlier by a clock that stepped back is kept too.
    pub async fn export_rows(
        &self,
        since: Option<&str>,
        include_flagged: bool,
    ) -> Result<Vec<StoredRow>> {
        let rows = match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query_as(SQL_SQLITE.export.as_str())
                    .bind(since)
                    .bind(include_flagged)
                    .fetch_all(pool)
                    .await
            }
            Backend::Postgres(pool) => {
                sqlx::query_as(SQL_POSTGRES.export.as_str())
                    .bind(since)
                    .bind(include_flagged)
                    .fetch_all(pool)
                    .await
            }
        };
        rows.context("reading submissions")
    }

    /// The submissions the database holds, all and flagged by reason (for
    /// `/api/metrics`: totals that survive a restart).
    pub async fn stored_counts(&self) -> Result<StoredCounts> {
        const SQL: &str = "SELECT COUNT(*), \
             COUNT(CASE WHEN flagged = 'honeypot' THEN 1 END), \
             COUNT(CASE WHEN flagged = 'too_fast' THEN 1 END) FROM submissions";
        with_pool!(self, pool => sqlx::query(SQL).fetch_one(pool).await.and_then(|r| {
            Ok(StoredCounts {
                all: r.try_get(0)?,
                honeypot: r.try_get(1)?,
                too_fast: r.try_get(2)?,
            })
        }))
        .context("counting the submissions")
    }

    /// Whether a row has this reference (what a receipt page shows).
    pub async fn reference_exists(&self, reference: &str) -> Result<bool> {
        let n: i64 = match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query_scalar(SQL_SQLITE.reference.as_str())
                    .bind(reference)
                    .fetch_one(pool)
                    .await
            }
            Backend::Postgres(pool) => {
                sqlx::query_scalar(SQL_POSTGRES.reference.as_str())
                    .bind(reference)
                    .fetch_one(pool)
                    .await
            }
        }
        .context("looking up a reference")?;
        Ok(n > 0)
    }

    /// Closes the pool (for SQLite, the last connection checkpoints the WAL).
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_crockford() {
        for _ in 0..100 {
            let r = new_reference();
            assert_eq!(r.len(), 13, "{r}");
            assert!(r.starts_with("IMRF-"));
            assert!(r[5..].bytes().all(|b| CROCKFORD.contains(&b)), "{r}");
        }
        assert_ne!(new_reference(), new_reference());
        assert!(is_reference(&new_reference()));
        for bad in [
            "",
            "IMRF-",
            "IMRF-0000000",
            "IMRF-0000000I",
            "imrf-00000000",
            "IMRF-000000000",
        ] {
            assert!(!is_reference(bad), "{bad}");
        }
    }

    #[test]
    fn both_migrations_create_every_column() {
        for migration in [
            include_str!("../migrations/sqlite/20260101000000_submissions.sql"),
            include_str!("../migrations/postgres/20260101000000_submissions.sql"),
        ] {
            for column in COLUMNS.iter().chain(&["body_hash"]) {
                let declared = migration
                    .lines()
                    .any(|l| l.split_whitespace().next() == Some(column));
                assert!(declared, "{column} missing in:\n{migration}");
            }
        }
    }

    #[test]
    fn the_sql_names_every_column_once_with_one_value_each() {
        for sql in [&*SQL_SQLITE, &*SQL_POSTGRES] {
            for column in COLUMNS {
                assert_eq!(
                    sql.insert.matches(&format!(" {column},")).count()
                        + sql.insert.matches(&format!(" {column})")).count(),
                    1,
                    "{column} in {}",
                    sql.insert
                );
            }
        }
        assert_eq!(SQL_POSTGRES.insert.matches('$').count(), COLUMNS.len() + 1);
        assert_eq!(SQL_SQLITE.insert.matches('?').count(), COLUMNS.len() + 1);
    }

    #[test]
    fn timestamps_are_fixed_width_utc() {
        let t = time::macros::datetime!(2026-01-02 03:04:05.006 +02:00);
        assert_eq!(format_utc(t), "2026-01-02T01:04:05.006Z");
    }
}
