//! The store's side of withdrawal (withdrawal.rs): the server key the links
//! are signed with, and the record that a sender withdrew an input, written
//! with its notice to the mailbox in one transaction.

use anyhow::{Context, Result};

use super::withdrawal_message_id;
use super::{now_rfc3339, with_pool, Backend, Store};

/// What a withdrawal came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Withdrawal {
    /// Withdrawn now.
    Withdrawn,
    /// It was withdrawn before, at this time: nothing changed.
    Already(String),
    /// No input has this reference (deleted, or never stored).
    Unknown,
}

impl Store {
    /// The key of `name`, made (32 random bytes) the first time any instance asks.
    pub async fn server_key(&self, name: &str) -> Result<Vec<u8>> {
        let fresh = random_hex_32();
        const INSERT: &str =
            "INSERT INTO server_keys (name, key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
        const SELECT: &str = "SELECT key FROM server_keys WHERE name = $1";
        let key: String = with_pool!(self, pool => {
            sqlx::query(INSERT).bind(name).bind(fresh.as_str()).execute(pool).await?;
            sqlx::query_scalar(SELECT).bind(name).fetch_one(pool).await
        })
        .context("reading the server key")?;
        super::unhex(&key).context("the stored server key is not hex")
    }

    /// When the input was withdrawn, if it was.
    pub async fn withdrawn_at(&self, reference: &str) -> Result<Option<String>> {
        const SQL: &str = "SELECT withdrawn_at FROM withdrawals WHERE reference = $1";
        with_pool!(self, pool => sqlx::query_scalar(SQL).bind(reference).fetch_optional(pool).await)
            .context("reading a withdrawal")
    }

    /// Marks the input withdrawn (once), and queues the notice to the
    /// mailbox in the same transaction when its input was mailed.
    pub async fn withdraw(&self, reference: &str) -> Result<Withdrawal> {
        const EXISTS: &str = "SELECT COUNT(*) FROM submissions WHERE reference = $1";
        // The write comes first: a SQLite transaction that reads, then writes,
        // fails at once when another connection wrote in between; one that
        // writes first waits for the lock (busy timeout).
        const INSERT: &str = "INSERT INTO withdrawals (reference, withdrawn_at) \
             SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM submissions WHERE reference = $1) \
             ON CONFLICT (reference) DO NOTHING";
        // Only for an input the mailbox got (not flagged), once.
        const NOTICE: &str =
            "INSERT INTO outbox (reference, kind, message_id, queued_at, next_attempt_at) \
             SELECT $1, 'withdrawal', $2, $3, $3 WHERE EXISTS \
             (SELECT 1 FROM submissions WHERE reference = $1 AND flagged IS NULL) \
             ON CONFLICT DO NOTHING";
        const UNREDACT: &str = "DELETE FROM redactions WHERE reference = $1";
        let now = now_rfc3339();
        let notice = self
            .mail
            .as_ref()
            .map(|q| withdrawal_message_id(reference, q.domain()));
        let inserted = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let inserted = sqlx::query(INSERT).bind(reference).bind(now.as_str())
                .execute(&mut *tx).await?.rows_affected() == 1;
            // Nothing of a withdrawn input is shown again: its redacted copy goes.
            sqlx::query(UNREDACT).bind(reference).execute(&mut *tx).await?;
            if let (true, Some(id)) = (inserted, &notice) {
                sqlx::query(NOTICE).bind(reference).bind(id.as_str()).bind(now.as_str())
                    .execute(&mut *tx).await?;
            }
            let exists: i64 = sqlx::query_scalar(EXISTS).bind(reference).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Ok::<Option<bool>, sqlx::Error>((exists > 0).then_some(inserted))
        }.await)
        .context("withdrawing an input")?;
        Ok(match inserted {
            None => Withdrawal::Unknown,
            Some(true) => {
                if let Some(q) = &self.mail {
                    q.wake();
                }
                Withdrawal::Withdrawn
            }
            Some(false) => {
                Withdrawal::Already(self.withdrawn_at(reference).await?.unwrap_or_default())
            }
        })
    }
}

fn random_hex_32() -> String {
    // 2 × 122 random bits from the OS's generator (the version bits are fixed).
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    super::hex(&[*a.as_bytes(), *b.as_bytes()].concat())
}
