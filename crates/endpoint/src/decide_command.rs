//! `imrf-endpoint publish REF...` and `imrf-endpoint unpublish REF --reason
//! TEXT`: the secretariat's decisions from the command line, for scripts and
//! recovery. They go through `moderation::decide` and write the same
//! records (the decision and its audit entry) as the console will.

use anyhow::{bail, Result};

use crate::config::{AuditArgs, PublishArgs, UnpublishArgs};
use crate::moderation::{decide, Action, Reason, Refusal, State};
use crate::operations::{canonical_reference, open_existing};
use crate::store::Store;

/// Who the audit log says decided: the operator's account.
fn actor() -> String {
    let user = std::env::var("SUDO_USER")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

pub async fn publish(args: PublishArgs) -> Result<()> {
    let store = open_existing(&args.db.database_url).await?;
    let mut refused = 0;
    for raw in &args.references {
        match apply(&store, raw, Action::Publish, None).await {
            Ok(line) => println!("publish: {line}"),
            Err(e) => {
                refused += 1;
                eprintln!("publish: {e:#}");
            }
        }
    }
    store.close().await;
    if refused > 0 {
        bail!(
            "{refused} of {} not published (see above)",
            args.references.len()
        );
    }
    Ok(())
}

pub async fn unpublish(args: UnpublishArgs) -> Result<()> {
    let text = args.reason.trim();
    if text.is_empty() {
        bail!(
            "--reason must say why (one of {}, or your own words)",
            reason_keys()
        );
    }
    // A reason of the list by its name; anything else is "other" with the words as the note.
    let (reason, note) = match Reason::from_key(text) {
        Some(r) => (r, None),
        None => (Reason::Other, Some(text)),
    };
    let store = open_existing(&args.db.database_url).await?;
    let result = apply(&store, &args.reference, Action::DoNotPublish(reason), note).await;
    store.close().await;
    println!("unpublish: {}", result?);
    Ok(())
}

/// `imrf-endpoint audit [REF]`: the log as tab-separated lines, oldest first.
pub async fn audit(args: AuditArgs) -> Result<()> {
    let reference = match &args.reference {
        Some(raw) => match canonical_reference(raw) {
            Some(r) => Some(r),
            None => bail!("{raw:?} is not a reference: expected IMRF- and 8 letters or digits"),
        },
        None => None,
    };
    let store = open_existing(&args.db.database_url).await?;
    let entries = store.audit_log(reference.as_deref()).await;
    store.close().await;
    println!("at\tactor\taction\treference\tfrom\tto\tnote");
    for e in entries? {
        let note = e.note.unwrap_or_default().replace(['\t', '\r', '\n'], " ");
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{note}",
            e.at, e.actor, e.action, e.reference, e.from_state, e.to_state
        );
    }
    Ok(())
}

fn reason_keys() -> String {
    Reason::ALL.map(Reason::key).join(", ")
}

/// Why one decision was not made.
#[derive(Debug)]
pub enum NotDecided {
    Unknown,
    Refused(Refusal),
    Store(anyhow::Error),
}

impl std::fmt::Display for NotDecided {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotDecided::Unknown => f.write_str("no submission has this reference"),
            NotDecided::Refused(why) => write!(f, "not changed: {why}"),
            NotDecided::Store(e) => write!(f, "{e:#}"),
        }
    }
}

/// What one decision came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decided {
    pub to: State,
    /// False when it was so already.
    pub changed: bool,
}

/// One decision, as every door makes it (these commands and the console):
/// the input's standing, `moderation::decide`, and the record with its
/// audit entry.
pub async fn decide_one(
    store: &Store,
    reference: &str,
    action: Action,
    actor: &str,
    note: Option<&str>,
) -> Result<Decided, NotDecided> {
    let standing = store
        .standing(reference)
        .await
        .map_err(NotDecided::Store)?
        .ok_or(NotDecided::Unknown)?;
    let to = decide(standing, action).map_err(NotDecided::Refused)?;
    let changed = store
        .record_decision(reference, standing.state, to, action, actor, note)
        .await
        .map_err(NotDecided::Store)?;
    tracing::info!(%reference, from = standing.state.key(), to = to.key(), "decision recorded");
    Ok(Decided { to, changed })
}

/// Decides one reference; the line that says what came of it.
async fn apply(store: &Store, raw: &str, action: Action, note: Option<&str>) -> Result<String> {
    let Some(reference) = canonical_reference(raw) else {
        bail!("{raw:?} is not a reference: expected IMRF- and 8 letters or digits");
    };
    let done = match decide_one(store, &reference, action, &actor(), note).await {
        Ok(done) => done,
        Err(NotDecided::Unknown) => bail!("no submission has the reference {reference}"),
        Err(NotDecided::Refused(why)) => bail!("{reference} is not changed: {why}"),
        Err(e) => bail!("{reference}: {e}"),
    };
    Ok(match done.changed {
        false => format!("{reference} was already {}", describe(done.to)),
        true => format!("{reference} is now {}", describe(done.to)),
    })
}

fn describe(state: State) -> String {
    match state {
        State::NotPublished(r) => format!("not published ({})", r.key()),
        other => other.key().replace('_', " "),
    }
}
