//! The store's side of moderation (`crate::moderation`): an input's
//! standing, and a decision written with its audit-log entry in one
//! transaction.

use anyhow::{Context, Result};

use super::{now_rfc3339, with_pool, Backend, Store};
use crate::moderation::{Action, Standing, State};

/// One entry of the audit log, as `imrf-endpoint` and the console show it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub reference: String,
    pub from_state: String,
    pub to_state: String,
    pub note: Option<String>,
}

impl Store {
    /// Where an input stands; `None` when no input has the reference.
    pub async fn standing(&self, reference: &str) -> Result<Option<Standing>> {
        const SQL: &str =
            "SELECT s.flagged IS NOT NULL, d.state, d.reason, w.reference IS NOT NULL \
             FROM submissions s LEFT JOIN decisions d ON d.reference = s.reference \
             LEFT JOIN withdrawals w ON w.reference = s.reference WHERE s.reference = $1";
        type Row = (bool, Option<String>, Option<String>, bool);
        let row: Option<Row> = with_pool!(self, pool => sqlx::query_as(SQL).bind(reference).fetch_optional(pool).await)
            .context("reading an input's standing")?;
        let Some((flagged, state, reason, withdrawn)) = row else {
            return Ok(None);
        };
        let state = if withdrawn {
            State::Withdrawn
        } else {
            match state {
                None => State::New,
                Some(s) => State::from_stored(&s, reason.as_deref())
                    .with_context(|| format!("an unknown stored decision {s:?}"))?,
            }
        };
        Ok(Some(Standing { state, flagged }))
    }

    /// Records that `actor` took `action`, moving the input from `from` to
    /// `to`, with the audit entry, in one transaction. Nothing is written when
    /// `to` is `from` (doing what is already so); whether anything changed.
    pub async fn record_decision(
        &self,
        reference: &str,
        from: State,
        to: State,
        action: Action,
        actor: &str,
        note: Option<&str>,
    ) -> Result<bool> {
        if from == to {
            return Ok(false);
        }
        const CLEAR: &str = "DELETE FROM decisions WHERE reference = $1";
        const SET: &str =
            "INSERT INTO decisions (reference, state, reason, note, decided_at, decided_by, language) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (reference) DO UPDATE SET \
             state = excluded.state, reason = excluded.reason, note = excluded.note, \
             decided_at = excluded.decided_at, decided_by = excluded.decided_by, \
             language = excluded.language";
        const LOG: &str = "INSERT INTO audit_log (at, actor, action, reference, from_state, to_state, reason, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        // Read before the transaction (a read first would make SQLite's
        // write lock fail under concurrency): the text's language, for the
        // public record's filter.
        let language = match to {
            State::Published => {
                self.text_language_of(reference, super::publication::ShownText::AsStored)
                    .await?
            }
            _ => None,
        };
        let now = now_rfc3339();
        let reason = to.reason().map(|r| r.key());
        let (from_name, to_name) = (from.log_name(), to.log_name());
        with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            if to == State::New {
                sqlx::query(CLEAR).bind(reference).execute(&mut *tx).await?;
            } else {
                sqlx::query(SET)
                    .bind(reference).bind(to.key()).bind(reason).bind(note)
                    .bind(now.as_str()).bind(actor).bind(language.as_deref())
                    .execute(&mut *tx).await?;
            }
            sqlx::query(LOG)
                .bind(now.as_str()).bind(actor).bind(action.key()).bind(reference)
                .bind(from_name.as_str()).bind(to_name.as_str()).bind(reason).bind(note)
                .execute(&mut *tx).await?;
            tx.commit().await
        }.await)
        .context("recording a decision")?;
        Ok(true)
    }

    /// The audit log (of one input, or all), oldest first.
    pub async fn audit_log(&self, reference: Option<&str>) -> Result<Vec<AuditEntry>> {
        const SQL: &str = "SELECT at, actor, action, reference, from_state, to_state, note \
             FROM audit_log WHERE ($1 IS NULL OR reference = $1) ORDER BY id";
        with_pool!(self, pool => sqlx::query_as(SQL).bind(reference).fetch_all(pool).await)
            .context("reading the audit log")
    }
}
