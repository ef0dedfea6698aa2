//! The outbox: one row per message to send, written with the submission it
//! is about (`Store::insert`), claimed by one worker at a time with a lease,
//! and marked with each attempt's outcome. Times are stored as the
//! submissions' are (fixed-width UTC text, so they compare as text); the
//! SQL suits both backends (`$1` placeholders, no casts).

use std::sync::Arc;

use anyhow::{Context, Result};
use sqlx::Row;

use super::{now_rfc3339, with_pool, Backend, Store, StoredRow, COLUMNS};

/// What to write in an outbox row after an attempt (`mail::policy` decides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Sent,
    RetryAt {
        at: time::OffsetDateTime,
        error: String,
        uncertain: bool,
    },
    Failed {
        error: String,
        uncertain: bool,
    },
}

// Each message's Message-ID is derived from what it is about, so every
// attempt (and every instance) gives the same one and a resend is one message.
/// `<IMRF-7K2M9QXA.secretariat@example.org>`: derived from the reference,
/// so every attempt carries the same one and a resent message is one message.
pub fn secretariat_message_id(reference: &str, domain: &str) -> String {
    format!("<{reference}.secretariat@{domain}>")
}

/// `<digest-2026-12-03@example.org>`: one digest per day, whichever instance queues it.
pub fn digest_message_id(day: &str, domain: &str) -> String {
    format!("<digest-{day}@{domain}>")
}

/// `<IMRF-7K2M9QXA.confirmation@example.org>`: the sender's confirmation.
pub fn confirmation_message_id(reference: &str, domain: &str) -> String {
    format!("<{reference}.confirmation@{domain}>")
}

/// `<IMRF-7K2M9QXA.withdrawal@example.org>`: the notice that the sender withdrew it.
pub fn withdrawal_message_id(reference: &str, domain: &str) -> String {
    format!("<{reference}.withdrawal@{domain}>")
}

/// Queuing on: the Message-ID domain, and the worker to wake on a new row.
#[derive(Clone)]
pub struct MailQueue {
    domain: String,
    wake: Arc<tokio::sync::Notify>,
}

/// The outbox rows to be written with a new submission.
pub struct Queued {
    pub(super) reference: String,
    pub(super) message_id: String,
    pub(super) at: String,
    /// The sender asked for a confirmation: its Message-ID, and the start
    /// of the day its address's limit counts from.
    pub(super) confirmation: Option<(String, String)>,
    pub(super) email: String,
}

/// Confirmations to one address in a day, at most.
pub const CONFIRMATIONS_PER_DAY: i64 = 3;

impl MailQueue {
    pub(super) fn queued(&self, row: &StoredRow, confirmation: bool) -> Queued {
        let day_ago = time::OffsetDateTime::now_utc() - time::Duration::days(1);
        Queued {
            reference: row.reference.clone(),
            message_id: secretariat_message_id(&row.reference, &self.domain),
            at: row.received_at.clone(),
            confirmation: confirmation.then(|| {
                (
                    confirmation_message_id(&row.reference, &self.domain),
                    super::format_utc(day_ago),
                )
            }),
            email: row.email.clone(),
        }
    }

    pub(super) fn wake(&self) {
        self.wake.notify_one();
    }

    pub(super) fn domain(&self) -> &str {
        &self.domain
    }
}

/// The sender's confirmation, unless their address had its day's share
/// (counted across their inputs, case-insensitively; run in the input's
/// transaction, after its own row).
pub(super) const ENQUEUE_CONFIRMATION: &str =
    "INSERT INTO outbox (reference, kind, message_id, queued_at, next_attempt_at) \
     SELECT $1, 'confirmation', $2, $3, $3 WHERE (SELECT COUNT(*) FROM outbox o \
     JOIN submissions s ON s.reference = o.reference WHERE o.kind = 'confirmation' \
     AND lower(s.email) = lower($4) AND o.queued_at >= $5) < $6";

/// The insert of a submission's outbox row (run in its transaction).
pub(super) const ENQUEUE: &str =
    "INSERT INTO outbox (reference, kind, message_id, queued_at, next_attempt_at) \
     VALUES ($1, 'secretariat', $2, $3, $3)";

/// A row due to be sent.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub reference: Option<String>,
    pub kind: String,
    pub digest_day: Option<String>,
    pub message_id: String,
    pub queued_at: String,
    pub attempts: i64,
}

/// A row not yet sent, as `imrf-endpoint outbox` shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxStatus {
    pub reference: Option<String>,
    pub kind: String,
    pub digest_day: Option<String>,
    pub queued_at: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub failed_at: Option<String>,
    pub last_error: Option<String>,
    pub uncertain: bool,
}

/// Messages by state, for `/api/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Not tried yet.
    pub queued: i64,
    /// Tried, not taken yet, to be tried again.
    pub retrying: i64,
    pub sent: i64,
    /// Refused for good, or given up.
    pub failed: i64,
}

const PENDING: &str = "sent_at IS NULL AND failed_at IS NULL";

impl Store {
    /// Turns queuing on: from now on every unflagged input gets its message.
    pub fn queue_mail(mut self, domain: &str, wake: Arc<tokio::sync::Notify>) -> Store {
        self.mail = Some(MailQueue {
            domain: domain.to_string(),
            wake,
        });
        self
    }

    /// Rows due at `now` that no live lease holds, oldest first.
    pub async fn outbox_due(&self, now: &str, limit: i64) -> Result<Vec<OutboxRow>> {
        let sql = format!(
            "SELECT id, reference, kind, digest_day, message_id, queued_at, attempts FROM outbox \
             WHERE {PENDING} AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $1) \
             ORDER BY id LIMIT $2"
        );
        let sql = sqlx::AssertSqlSafe(sql);
        with_pool!(self, pool => sqlx::query_as(sql).bind(now).bind(limit).fetch_all(pool).await)
            .context("reading the outbox")
    }

    /// Takes the row for `owner` until `until`, unless another worker holds
    /// it or it was sent meanwhile (the condition is checked again on the
    /// row itself, so two instances never both win).
    pub async fn outbox_claim(&self, id: i64, owner: &str, now: &str, until: &str) -> Result<bool> {
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE outbox SET lease_owner = $1, lease_until = $2 \
             WHERE id = $3 AND {PENDING} AND (lease_until IS NULL OR lease_until < $4)"
        ));
        let done = with_pool!(self, pool => sqlx::query(sql)
            .bind(owner).bind(until).bind(id).bind(now)
            .execute(pool).await.map(|d| d.rows_affected()))
        .context("claiming an outbox row")?;
        Ok(done == 1)
    }

    /// Writes an attempt's outcome, if `owner` still holds the row.
    pub async fn outbox_record(&self, id: i64, owner: &str, record: &Record) -> Result<()> {
        let now = now_rfc3339();
        let (sent_at, failed_at, next, error, uncertain) = match record {
            Record::Sent => (Some(now.as_str()), None, None, None, false),
            Record::RetryAt {
                at,
                error,
                uncertain,
            } => (
                None,
                None,
                Some(super::format_utc(*at)),
                Some(error.as_str()),
                *uncertain,
            ),
            Record::Failed { error, uncertain } => (
                None,
                Some(now.as_str()),
                None,
                Some(error.as_str()),
                *uncertain,
            ),
        };
        const SQL: &str = "UPDATE outbox SET attempts = attempts + 1, lease_owner = NULL, \
             lease_until = NULL, sent_at = $1, failed_at = $2, \
             next_attempt_at = COALESCE($3, next_attempt_at), \
             last_error = COALESCE($4, last_error), uncertain = (uncertain OR $5) \
             WHERE id = $6 AND lease_owner = $7";
        with_pool!(self, pool => sqlx::query(SQL)
            .bind(sent_at).bind(failed_at).bind(next.as_deref()).bind(error).bind(uncertain)
            .bind(id).bind(owner)
            .execute(pool).await.map(|_| ()))
        .context("recording a mail attempt")
    }

    /// The stored submission with this reference.
    pub async fn submission(&self, reference: &str) -> Result<Option<StoredRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM submissions WHERE reference = $1",
            COLUMNS.join(", ")
        ));
        with_pool!(self, pool => sqlx::query_as(sql).bind(reference).fetch_optional(pool).await)
            .context("reading a submission")
    }

    /// Every message not sent yet (failed ones included), oldest first.
    pub async fn outbox_pending(&self) -> Result<Vec<OutboxStatus>> {
        const SQL: &str = "SELECT reference, kind, digest_day, queued_at, attempts, \
             next_attempt_at, failed_at, last_error, uncertain FROM outbox \
             WHERE sent_at IS NULL ORDER BY id";
        with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)
            .context("reading the outbox")
    }

    /// Makes a reference's messages due now again (sent, failed or waiting);
    /// the number of messages.
    pub async fn outbox_retry(&self, reference: &str) -> Result<u64> {
        const SQL: &str = "UPDATE outbox SET sent_at = NULL, failed_at = NULL, \
             next_attempt_at = $1, lease_owner = NULL, lease_until = NULL WHERE reference = $2";
        let now = now_rfc3339();
        with_pool!(self, pool => sqlx::query(SQL).bind(now.as_str()).bind(reference)
            .execute(pool).await.map(|d| d.rows_affected()))
        .context("queuing a message again")
    }

    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        const SQL: &str = "SELECT \
             COUNT(CASE WHEN sent_at IS NULL AND failed_at IS NULL AND attempts = 0 THEN 1 END), \
             COUNT(CASE WHEN sent_at IS NULL AND failed_at IS NULL AND attempts > 0 THEN 1 END), \
             COUNT(CASE WHEN sent_at IS NOT NULL THEN 1 END), \
             COUNT(CASE WHEN failed_at IS NOT NULL THEN 1 END) FROM outbox";
        let row = with_pool!(self, pool => sqlx::query(SQL).fetch_one(pool).await.and_then(|r| {
            Ok(OutboxCounts {
                queued: r.try_get(0)?,
                retrying: r.try_get(1)?,
                sent: r.try_get(2)?,
                failed: r.try_get(3)?,
            })
        }))
        .context("counting the outbox")?;
        Ok(row)
    }

    /// Queues the digest of `day` (`YYYY-MM-DD`, UTC) once, if anything
    /// arrived that day; whether this call queued it.
    pub async fn queue_digest(&self, day: &str) -> Result<bool> {
        let Some(queue) = &self.mail else {
            return Ok(false);
        };
        const SQL: &str =
            "INSERT INTO outbox (kind, digest_day, message_id, queued_at, next_attempt_at) \
             SELECT 'digest', $1, $2, $3, $3 WHERE EXISTS \
             (SELECT 1 FROM submissions WHERE received_at >= $4 AND received_at < $5) \
             ON CONFLICT (message_id) DO NOTHING";
        let (from, until) = day_bounds(day)?;
        let id = digest_message_id(day, &queue.domain);
        let now = now_rfc3339();
        let n = with_pool!(self, pool => sqlx::query(SQL)
            .bind(day).bind(id.as_str()).bind(now.as_str()).bind(from.as_str()).bind(until.as_str())
            .execute(pool).await.map(|d| d.rows_affected()))
        .context("queuing the digest")?;
        Ok(n == 1)
    }

    /// The references received on `day` that were sent by mail, in order,
    /// and the number set apart as automated.
    pub async fn day_references(&self, day: &str) -> Result<(Vec<String>, usize)> {
        const SQL: &str = "SELECT reference, flagged IS NOT NULL AS flagged FROM submissions \
             WHERE received_at >= $1 AND received_at < $2 ORDER BY received_at, id";
        let (from, until) = day_bounds(day)?;
        let rows: Vec<(String, bool)> = with_pool!(self, pool => sqlx::query_as(SQL)
            .bind(from.as_str()).bind(until.as_str()).fetch_all(pool).await)
        .context("reading the day's references")?;
        let flagged = rows.iter().filter(|(_, f)| *f).count();
        Ok((
            rows.into_iter()
                .filter(|(_, f)| !f)
                .map(|(r, _)| r)
                .collect(),
            flagged,
        ))
    }
}

/// The stored-time bounds of a UTC day: `[day 00:00, next day 00:00)`.
fn day_bounds(day: &str) -> Result<(String, String)> {
    let date = time::Date::parse(
        day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .with_context(|| format!("not a day: {day}"))?;
    let start = date.midnight().assume_utc();
    Ok((
        super::format_utc(start),
        super::format_utc(start + time::Duration::days(1)),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn day_bounds_are_the_stored_format() {
        let (from, until) = super::day_bounds("2026-12-31").unwrap();
        assert_eq!(from, "2026-12-31T00:00:00.000Z");
        assert_eq!(until, "2027-01-01T00:00:00.000Z");
        assert!(super::day_bounds("31/12/2026").is_err());
    }
}
