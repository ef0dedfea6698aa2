//! The store's side of the redacted copy (`crate::redaction`): the copy
//! of an input the public record shows instead of the original, kept in its
//! own table (the original in `submissions` is never changed), saved and
//! removed each with an audit-log entry that names the fields, never their
//! text.

use anyhow::{Context, Result};

use super::publication::ShownText;
use super::{now_rfc3339, with_pool, Backend, Store};
use crate::redaction::Redaction;

/// The stored copy, with who made it and when.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredRedaction {
    pub name: String,
    pub organisation: String,
    pub title: String,
    pub input: String,
    pub at: String,
    pub actor: String,
}

/// The audit log's entry for a redaction: the action, and the fields
/// changed (their keys, comma-separated) as its note.
const LOG: &str =
    "INSERT INTO audit_log (at, actor, action, reference, from_state, to_state, reason, note) \
     VALUES ($1, $2, $3, $4, $5, $5, NULL, $6)";

/// The public record's language of the published input, as decided from
/// the text it shows (`$2`), where it is published.
const LANGUAGE: &str =
    "UPDATE decisions SET language = $2 WHERE reference = $1 AND state = 'published'";

impl Store {
    /// The redacted copy of an input, if the secretariat made one.
    pub async fn redaction_of(&self, reference: &str) -> Result<Option<StoredRedaction>> {
        const SQL: &str = "SELECT name, organisation, title, input, at, actor FROM redactions \
             WHERE reference = $1";
        with_pool!(self, pool => sqlx::query_as(SQL).bind(reference).fetch_optional(pool).await)
            .context("reading a redacted copy")
    }

    /// Saves (or replaces) the redacted copy of an input, in one
    /// transaction with the audit entry (naming `fields`, the keys of the
    /// fields that differ from the original, and the input's state) and the
    /// published text's language, decided from the copy. False when no
    /// input has the reference.
    pub async fn save_redaction(
        &self,
        reference: &str,
        copy: &Redaction,
        actor: &str,
        fields: &str,
    ) -> Result<bool> {
        // Read before the transaction (see `record_decision`).
        let (Some(standing), Some(language)) = (
            self.standing(reference).await?,
            self.text_language_of(reference, ShownText::This(&copy.input))
                .await?,
        ) else {
            return Ok(false);
        };
        let state = standing.state.log_name();
        const SAVE: &str =
            "INSERT INTO redactions (reference, name, organisation, title, input, at, actor) \
             SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM submissions WHERE reference = $1) \
             ON CONFLICT (reference) DO UPDATE SET name = excluded.name, \
             organisation = excluded.organisation, title = excluded.title, input = excluded.input, \
             at = excluded.at, actor = excluded.actor";
        let now = now_rfc3339();
        let saved = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let saved = sqlx::query(SAVE)
                .bind(reference).bind(copy.name.as_str()).bind(copy.organisation.as_str())
                .bind(copy.title.as_str()).bind(copy.input.as_str())
                .bind(now.as_str()).bind(actor)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if saved {
                sqlx::query(LOG)
                    .bind(now.as_str()).bind(actor).bind("redact").bind(reference)
                    .bind(state.as_str()).bind(fields)
                    .execute(&mut *tx).await?;
                sqlx::query(LANGUAGE).bind(reference).bind(language.as_str())
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(saved)
        }.await)
        .context("saving a redacted copy")?;
        Ok(saved)
    }

    /// Removes the redacted copy (the public record shows the original
    /// again, in its own language), with its audit entry; false when there
    /// was none.
    pub async fn remove_redaction(&self, reference: &str, actor: &str) -> Result<bool> {
        let (Some(standing), Some(language)) = (
            self.standing(reference).await?,
            self.text_language_of(reference, ShownText::Original)
                .await?,
        ) else {
            return Ok(false);
        };
        let state = standing.state.log_name();
        const REMOVE: &str = "DELETE FROM redactions WHERE reference = $1";
        let now = now_rfc3339();
        let removed = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let removed = sqlx::query(REMOVE).bind(reference)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if removed {
                sqlx::query(LOG)
                    .bind(now.as_str()).bind(actor).bind("unredact").bind(reference)
                    .bind(state.as_str()).bind(None::<&str>)
                    .execute(&mut *tx).await?;
                sqlx::query(LANGUAGE).bind(reference).bind(language.as_str())
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(removed)
        }.await)
        .context("removing a redacted copy")?;
        Ok(removed)
    }
}
