//! The worker that empties the outbox: woken by each new row (and every
//! second for retries and rows other instances queued), it claims each due
//! row with a lease, makes its message, sends it and records the outcome.
//! It also queues yesterday's digest once a day. It logs references and
//! outcomes, never a field of an input.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::sync::Notify;

use super::policy::{self, Attempt, Record};
use super::{message, smtp, MailConfig};
use crate::store::{format_utc, OutboxRow, Store};
use crate::withdrawal_link::{self, WithdrawalKey};

/// Rows claimed per round.
const BATCH: i64 = 16;

/// Starts the worker; it runs until the process ends (a send cut short is
/// sent again after its lease, with the same Message-ID).
pub fn spawn(store: Store, cfg: Arc<MailConfig>, key: WithdrawalKey, wake: Arc<Notify>) {
    let owner = uuid::Uuid::new_v4().to_string();
    let poll = cfg.retry_base.min(Duration::from_secs(1));
    tokio::spawn(async move {
        let mut digest_day = String::new();
        loop {
            if let Err(e) = queue_digest(&store, &mut digest_day).await {
                tracing::error!(error = %format!("{e:#}"), "mail: queuing the digest failed");
            }
            if let Err(e) = round(&store, &cfg, &key, &owner).await {
                tracing::error!(error = %format!("{e:#}"), "mail: reading the outbox failed");
            }
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
    });
}

/// Yesterday's digest (UTC), once per day per instance; the database
/// keeps it to one in all (its Message-ID is unique).
async fn queue_digest(store: &Store, done_for: &mut String) -> Result<()> {
    let yesterday = (time::OffsetDateTime::now_utc() - time::Duration::days(1)).date();
    let day = yesterday.to_string();
    if *done_for != day {
        if store.queue_digest(&day).await? {
            tracing::info!(%day, "mail: digest queued");
        }
        *done_for = day;
    }
    Ok(())
}

/// Sends every due row, a batch at a time.
async fn round(store: &Store, cfg: &MailConfig, key: &WithdrawalKey, owner: &str) -> Result<()> {
    loop {
        let now = time::OffsetDateTime::now_utc();
        let due = store.outbox_due(&format_utc(now), BATCH).await?;
        let mut claimed = 0;
        for row in &due {
            let lease = now + 2 * cfg.send_timeout + Duration::from_secs(5);
            if store
                .outbox_claim(row.id, owner, &format_utc(now), &format_utc(lease))
                .await?
            {
                claimed += 1;
                let record = attempt(store, cfg, key, row).await;
                log(row, &record);
                store.outbox_record(row.id, owner, &record).await?;
            }
        }
        if claimed == 0 || (due.len() as i64) < BATCH {
            return Ok(());
        }
    }
}

/// One attempt at a row, decided into what to record.
async fn attempt(store: &Store, cfg: &MailConfig, key: &WithdrawalKey, row: &OutboxRow) -> Record {
    let outcome = match build(store, cfg, key, row).await {
        Ok(Some(m)) => smtp::send(cfg, m.envelope(), &m.formatted()).await,
        // The submission was deleted since: nothing to send, ever.
        Ok(None) => Attempt::Permanent("the submission no longer exists".into()),
        Err(e) => Attempt::Transient(format!("{e:#}")),
    };
    let queued = time::OffsetDateTime::parse(
        &row.queued_at,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let attempts = u32::try_from(row.attempts + 1).unwrap_or(u32::MAX);
    let unit = f64::from(uuid::Uuid::new_v4().as_bytes()[0]) / 256.0;
    policy::decide(
        outcome,
        attempts,
        queued,
        time::OffsetDateTime::now_utc(),
        cfg.retry_base,
        unit,
    )
}

/// The message of a row, made now from what the database holds.
async fn build(
    store: &Store,
    cfg: &MailConfig,
    key: &WithdrawalKey,
    row: &OutboxRow,
) -> Result<Option<lettre::Message>> {
    match (row.kind.as_str(), &row.reference, &row.digest_day) {
        ("secretariat", Some(reference), _) => match store.submission(reference).await? {
            Some(s) => message::secretariat_message(&s, &row.message_id, cfg).map(Some),
            None => Ok(None),
        },
        ("confirmation", Some(reference), _) => match store.submission(reference).await? {
            Some(s) => {
                let href = withdrawal_link::href(
                    imrf_contract::Lang::from_tag(&s.language).unwrap_or_default(),
                    imrf_release::pages::Shell::Page,
                    imrf_release::embedding::View::Full,
                    reference,
                    &key.token(reference),
                );
                let link = cfg.public_link(&href);
                message::confirmation_message(&s, &row.message_id, link.as_deref(), cfg).map(Some)
            }
            None => Ok(None),
        },
        ("withdrawal", Some(reference), _) => {
            match (
                store.submission(reference).await?,
                store.withdrawn_at(reference).await?,
            ) {
                (Some(s), Some(at)) => {
                    message::withdrawal_message(&s, &at, &row.message_id, cfg).map(Some)
                }
                _ => Ok(None),
            }
        }
        ("digest", _, Some(day)) => {
            let (references, flagged) = store.day_references(day).await?;
            message::digest_message(day, &references, flagged, &row.message_id, cfg).map(Some)
        }
        (kind, _, _) => Err(anyhow::anyhow!("unknown outbox kind {kind:?}")).context("outbox"),
    }
}

fn log(row: &OutboxRow, record: &Record) {
    let reference = row
        .reference
        .as_deref()
        .or(row.digest_day.as_deref())
        .unwrap_or("");
    let kind = row.kind.as_str();
    match record {
        Record::Sent => tracing::info!(%reference, kind, "mail: sent"),
        Record::RetryAt {
            at,
            error,
            uncertain,
        } => {
            tracing::warn!(%reference, kind, %error, uncertain, retry_at = %format_utc(*at), "mail: not sent, will retry")
        }
        Record::Failed { error, uncertain } => {
            tracing::error!(%reference, kind, %error, uncertain, "mail: failed for good")
        }
    }
}
