//! The worker that empties the outbox: woken by each new row (and every
//! second for retries and rows other instances queued), it claims each due
//! row with a lease, makes its message, sends it and records the outcome.
//! It also queues yesterday's digest once a day. It logs references and
//! outcomes, never a field of an input.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
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
        Ok(Built::Message(m)) => smtp::send(cfg, m.envelope(), &m.formatted()).await,
        Ok(Built::Gone) => Attempt::Permanent("the submission no longer exists".into()),
        Ok(Built::Unsendable(why)) => Attempt::Permanent(why),
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
/// What a row's message came to, made now from what the database holds.
enum Built {
    Message(Box<lettre::Message>),
    /// The submission was deleted since: nothing to send, ever.
    Gone,
    /// It cannot be made (an address lettre refuses): trying again cannot help.
    Unsendable(String),
}

fn made(message: Result<lettre::Message>) -> Built {
    match message {
        Ok(m) => Built::Message(Box::new(m)),
        Err(e) => Built::Unsendable(format!("{e:#}")),
    }
}

/// A row's message; `Err` only when the database could not be read (retried).
async fn build(
    store: &Store,
    cfg: &MailConfig,
    key: &WithdrawalKey,
    row: &OutboxRow,
) -> Result<Built> {
    Ok(match (row.kind.as_str(), &row.reference, &row.digest_day) {
        ("secretariat", Some(reference), _) => match store.submission(reference).await? {
            Some(s) => made(message::secretariat_message(&s, &row.message_id, cfg)),
            None => Built::Gone,
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
                made(message::confirmation_message(
                    &s,
                    &row.message_id,
                    link.as_deref(),
                    cfg,
                ))
            }
            None => Built::Gone,
        },
        ("withdrawal", Some(reference), _) => {
            match (
                store.submission(reference).await?,
                store.withdrawn_at(reference).await?,
            ) {
                (Some(s), Some(at)) => {
                    made(message::withdrawal_message(&s, &at, &row.message_id, cfg))
                }
                _ => Built::Gone,
            }
        }
        ("digest", _, Some(day)) => {
            let (references, flagged) = store.day_references(day).await?;
            made(message::digest_message(
                day,
                &references,
                flagged,
                &row.message_id,
                cfg,
            ))
        }
        (kind, _, _) => Built::Unsendable(format!("unknown outbox row kind {kind:?}")),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_that_cannot_be_made_fails_for_good() {
        let cfg = MailConfig {
            server: super::super::parse_smtp_url("smtp://127.0.0.1:25").unwrap(),
            from: "forms@example.org".parse().unwrap(),
            secretariat: "unmignet@iom.int".parse().unwrap(),
            message_id_domain: "example.org".into(),
            retry_base: Duration::from_secs(30),
            send_timeout: Duration::from_secs(60),
            public_url: None,
        };
        let mut row = message::tests::row();
        row.email = "not an address".into();
        let made = made(message::confirmation_message(
            &row,
            "<x@example.org>",
            None,
            &cfg,
        ));
        assert!(
            matches!(&made, Built::Unsendable(why) if why.contains("address")),
            "an address no mail server takes is not retried for three days"
        );
        row.email = "sara@example.org".into();
        let ok = made_ok(message::confirmation_message(
            &row,
            "<x@example.org>",
            None,
            &cfg,
        ));
        assert!(ok);
    }

    fn made_ok(m: Result<lettre::Message>) -> bool {
        matches!(made(m), Built::Message(_))
    }
}
