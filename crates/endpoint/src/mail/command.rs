//! `imrf-endpoint outbox`: what is not sent yet and why; `outbox retry
//! REF` makes a reference's messages due again (the running server sends
//! them; this command needs no SMTP configuration).

use std::io::Write;

use anyhow::{bail, Result};

use crate::config::{OutboxAction, OutboxArgs};
use crate::store::{is_reference, Store};

pub async fn run(args: OutboxArgs) -> Result<()> {
    match args.action {
        None => list(&Store::connect(&args.db.database_url, false).await?).await,
        Some(OutboxAction::Retry(retry)) => {
            if !is_reference(&retry.reference) {
                bail!(
                    "{:?} is not a reference (IMRF- and 8 characters)",
                    retry.reference
                );
            }
            let store = Store::connect(&retry.db.database_url, false).await?;
            let n = store.outbox_retry(&retry.reference).await?;
            store.close().await;
            if n == 0 {
                bail!("no message for {} in the outbox", retry.reference);
            }
            println!(
                "{}: {n} message(s) queued again; the running server sends them within seconds",
                retry.reference
            );
            Ok(())
        }
    }
}

async fn list(store: &Store) -> Result<()> {
    let rows = store.outbox_pending().await?;
    store.close().await;
    let mut out = std::io::stdout().lock();
    if rows.is_empty() {
        writeln!(out, "every message has been sent")?;
        return Ok(());
    }
    writeln!(
        out,
        "reference\tkind\tstate\tattempts\tqueued\tnext attempt\tlast answer"
    )?;
    for r in rows {
        let state = match (&r.failed_at, r.attempts, r.uncertain) {
            (Some(_), _, _) => "failed",
            (None, 0, _) => "queued",
            (None, _, true) => "retrying (uncertain)",
            (None, _, false) => "retrying",
        };
        let about = r.reference.or(r.digest_day).unwrap_or_default();
        let next = if r.failed_at.is_some() {
            "-".to_string()
        } else {
            r.next_attempt_at
        };
        let last = r
            .last_error
            .unwrap_or_default()
            .replace(['\r', '\n', '\t'], " ");
        writeln!(
            out,
            "{about}\t{}\t{state}\t{}\t{}\t{next}\t{last}",
            r.kind, r.attempts, r.queued_at
        )?;
    }
    Ok(())
}
