//! `imrf-endpoint staff invite|list|remove|reset`: the console's staff from
//! the command line (the first administrator is made this way too). A link
//! is printed once; the database keeps only its token's hash.

use anyhow::{bail, Result};

use super::policy::{Role, ENROLMENT_VALID};
use super::token::{new_token, token_hash};
use crate::config::{LinkArgs, StaffArgs, StaffCommand, StaffRole};
use crate::console_site::{console_origin, enrolment_link};
use crate::operations::open_existing;
use crate::store::{format_utc, Invited, Store};

pub async fn run(args: StaffArgs) -> Result<()> {
    match args.command {
        StaffCommand::Invite(a) => {
            let email = address(&a.email)?;
            let role = match a.role {
                StaffRole::Reviewer => Role::Reviewer,
                StaffRole::Administrator => Role::Administrator,
            };
            let store = Store::connect(&a.db.database_url, true).await?;
            let result = invite(&store, &email, role, &a.link).await;
            store.close().await;
            result
        }
        StaffCommand::List(a) => {
            let store = open_existing(&a.db.database_url).await?;
            let staff = store.list_staff().await;
            store.close().await;
            println!("email\trole\tpasskeys\tenrolment link open until");
            for s in staff? {
                let open = s.enrolment_expires.unwrap_or_else(|| "-".into());
                println!("{}\t{}\t{}\t{open}", s.email, s.role, s.passkeys);
            }
            Ok(())
        }
        StaffCommand::Remove(a) => {
            let email = address(&a.email)?;
            let store = open_existing(&a.db.database_url).await?;
            let removed = store.remove_staff(&email).await;
            store.close().await;
            if !removed? {
                bail!("{email} is not on the staff list (see `imrf-endpoint staff list`)");
            }
            println!("staff remove: {email} removed; their passkeys and sessions no longer work");
            Ok(())
        }
        StaffCommand::Log(a) => {
            let store = open_existing(&a.db.database_url).await?;
            let events = store.staff_events().await;
            store.close().await;
            println!("at\tactor\tevent\tip\tdetail");
            for e in events? {
                let detail = e
                    .detail
                    .unwrap_or_default()
                    .replace(['\t', '\r', '\n'], " ");
                println!("{}\t{}\t{}\t{}\t{detail}", e.at, e.actor, e.event, e.ip);
            }
            Ok(())
        }
        StaffCommand::Link(a) => {
            let email = address(&a.email)?;
            let store = open_existing(&a.db.database_url).await?;
            let result = another_device(&store, &email, &a.link).await;
            store.close().await;
            result
        }
        StaffCommand::Reset(a) => {
            let email = address(&a.email)?;
            let store = open_existing(&a.db.database_url).await?;
            let result = reset(&store, &email, &a.link).await;
            store.close().await;
            result
        }
    }
}

/// An address as stored: trimmed, lower-case, with one `@`.
fn address(raw: &str) -> Result<String> {
    let email = raw.trim().to_lowercase();
    let parts: Vec<&str> = email.split('@').collect();
    if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) || email.contains(char::is_whitespace)
    {
        bail!("--email {raw:?} is not an e-mail address");
    }
    Ok(email)
}

/// A new token, and the times of its link (now, and 24 hours later).
fn new_link() -> (String, String, String) {
    let now = time::OffsetDateTime::now_utc();
    (
        new_token(),
        format_utc(now),
        format_utc(now + ENROLMENT_VALID),
    )
}

async fn invite(store: &Store, email: &str, role: Role, link: &LinkArgs) -> Result<()> {
    let origin = console_origin(link.public_url.as_deref(), link.listen)?;
    let (token, now, expires) = new_link();
    let handle = uuid::Uuid::new_v4().to_string();
    match store
        .invite_staff(email, role.key(), &handle, &token_hash(&token), &now, &expires)
        .await?
    {
        Invited::AlreadyStaff => bail!(
            "{email} is on the staff list already; `imrf-endpoint staff reset --email {email}` gives a new link"
        ),
        Invited::Invited => {
            tracing::info!(role = role.key(), "staff invited");
            println!("staff invite: {email} ({}); this one-time enrolment link works until {expires}:", role.key());
            println!("{}", enrolment_link(&origin, &token));
            Ok(())
        }
    }
}

async fn reset(store: &Store, email: &str, link: &LinkArgs) -> Result<()> {
    let origin = console_origin(link.public_url.as_deref(), link.listen)?;
    let (token, now, expires) = new_link();
    if !store
        .reset_staff(email, &token_hash(&token), &now, &expires)
        .await?
    {
        bail!("{email} is not on the staff list (see `imrf-endpoint staff list`)");
    }
    println!("staff reset: {email}'s passkeys and sessions are revoked; this one-time enrolment link works until {expires}:");
    println!("{}", enrolment_link(&origin, &token));
    Ok(())
}

async fn another_device(store: &Store, email: &str, link: &LinkArgs) -> Result<()> {
    let origin = console_origin(link.public_url.as_deref(), link.listen)?;
    let (token, now, expires) = new_link();
    if !store
        .add_enrolment(email, &token_hash(&token), &now, &expires)
        .await?
    {
        bail!("{email} is not on the staff list (see `imrf-endpoint staff list`)");
    }
    println!("staff link: a passkey for another device of {email}; this one-time enrolment link works until {expires}:");
    println!("{}", enrolment_link(&origin, &token));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::address;

    #[test]
    fn addresses_are_stored_lower_case() {
        assert_eq!(address(" Amal@Example.ORG ").unwrap(), "amal@example.org");
        for bad in ["", "a", "a@", "@b", "a@b@c", "a b@c"] {
            assert!(address(bad).is_err(), "{bad}");
        }
    }
}
