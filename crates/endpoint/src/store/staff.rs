//! The store's side of the console's staff (`crate::console`): people and
//! their roles, enrolment links, passkeys, sessions, WebAuthn ceremonies,
//! failed sign-ins and the security log. Every secret arrives hashed
//! (`console::token`); times are the stored RFC 3339 UTC text, which
//! compares in time order. SQLite: each transaction writes first.

use anyhow::{Context, Result};

use super::{with_pool, Backend, Store};

/// One person of the secretariat.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub role: String,
    /// The WebAuthn user id (a UUID).
    pub user_handle: String,
}

/// A line of `staff list`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffSummary {
    pub email: String,
    pub role: String,
    pub created_at: String,
    pub passkeys: i64,
    /// When the newest unused enrolment link expires, if one is open.
    pub enrolment_expires: Option<String>,
}

/// An enrolment link, looked up by its token's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub staff: StaffMember,
    pub expires_at: String,
    pub used: bool,
}

/// A ceremony's saved state, taken (once) by its finish.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Ceremony {
    pub staff_id: i64,
    pub enrolment_hash: Option<String>,
    pub state: String,
    pub expires_at: String,
}

/// A ceremony to save: its id's hash, `register` or `authenticate`, whose,
/// the enrolment link it uses, webauthn-rs's state (JSON), until when.
#[derive(Debug, Clone, Copy)]
pub struct NewCeremony<'a> {
    pub id_hash: &'a str,
    pub kind: &'a str,
    pub staff_id: i64,
    pub enrolment_hash: Option<&'a str>,
    pub state: &'a str,
    pub expires_at: &'a str,
}

/// A session and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub staff: StaffMember,
    pub created_at: String,
    pub last_seen_at: String,
}

/// What `staff invite` came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invited {
    Invited,
    /// The address is staff already (`staff reset` gives a new link).
    AlreadyStaff,
}

const MEMBER: &str = "s.id, s.email, s.role, s.user_handle";
const ENROL: &str =
    "INSERT INTO staff_enrolments (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";

impl Store {
    /// Adds a person with an enrolment link, in one transaction.
    pub async fn invite_staff(
        &self,
        email: &str,
        role: &str,
        user_handle: &str,
        token_hash: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<Invited> {
        const ADD: &str = "INSERT INTO staff (email, role, user_handle, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING";
        const ID: &str = "SELECT id FROM staff WHERE email = $1";
        let added = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let added = sqlx::query(ADD).bind(email).bind(role).bind(user_handle).bind(now)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if added {
                let id: i64 = sqlx::query_scalar(ID).bind(email).fetch_one(&mut *tx).await?;
                sqlx::query(ENROL).bind(token_hash).bind(id).bind(now).bind(expires_at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(added)
        }.await)
        .context("inviting a person")?;
        Ok(if added {
            Invited::Invited
        } else {
            Invited::AlreadyStaff
        })
    }

    /// A new enrolment link for a person, their passkeys, sessions and
    /// older links revoked, in one transaction; false when no such person.
    pub async fn reset_staff(
        &self,
        email: &str,
        token_hash: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<bool> {
        let Some(member) = self.staff_by_email(email).await? else {
            return Ok(false);
        };
        const CLEAR: [&str; 4] = [
            "DELETE FROM staff_passkeys WHERE staff_id = $1",
            "DELETE FROM staff_sessions WHERE staff_id = $1",
            "DELETE FROM staff_enrolments WHERE staff_id = $1",
            "DELETE FROM staff_ceremonies WHERE staff_id = $1",
        ];
        with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            for sql in CLEAR {
                sqlx::query(sql).bind(member.id).execute(&mut *tx).await?;
            }
            sqlx::query(ENROL).bind(token_hash).bind(member.id).bind(now).bind(expires_at)
                .execute(&mut *tx).await?;
            tx.commit().await
        }.await)
        .context("resetting a person's passkeys")?;
        Ok(true)
    }

    /// One more enrolment link for a person (another device); their
    /// passkeys stay. False when no such person.
    pub async fn add_enrolment(
        &self,
        email: &str,
        token_hash: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<bool> {
        let Some(member) = self.staff_by_email(email).await? else {
            return Ok(false);
        };
        with_pool!(self, pool => sqlx::query(ENROL).bind(token_hash).bind(member.id).bind(now)
            .bind(expires_at).execute(pool).await.map(|_| ()))
        .context("adding an enrolment link")?;
        Ok(true)
    }

    /// Removes a person (their passkeys, links and sessions with them).
    pub async fn remove_staff(&self, email: &str) -> Result<bool> {
        const SQL: &str = "DELETE FROM staff WHERE email = $1";
        let n = with_pool!(self, pool => sqlx::query(SQL).bind(email).execute(pool).await
            .map(|r| r.rows_affected()))
        .context("removing a person")?;
        Ok(n == 1)
    }

    pub async fn list_staff(&self) -> Result<Vec<StaffSummary>> {
        const SQL: &str = "SELECT s.email, s.role, s.created_at, \
             (SELECT COUNT(*) FROM staff_passkeys p WHERE p.staff_id = s.id) AS passkeys, \
             (SELECT MAX(e.expires_at) FROM staff_enrolments e WHERE e.staff_id = s.id \
              AND e.used_at IS NULL) AS enrolment_expires \
             FROM staff s ORDER BY s.email";
        with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)
            .context("listing the staff")
    }

    pub async fn staff_by_email(&self, email: &str) -> Result<Option<StaffMember>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {MEMBER} FROM staff s WHERE s.email = $1"));
        with_pool!(self, pool => sqlx::query_as(sql).bind(email).fetch_optional(pool).await)
            .context("reading a person")
    }

    pub async fn staff_by_id(&self, id: i64) -> Result<Option<StaffMember>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {MEMBER} FROM staff s WHERE s.id = $1"));
        with_pool!(self, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await)
            .context("reading a person")
    }

    pub async fn enrolment(&self, token_hash: &str) -> Result<Option<Enrolment>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {MEMBER}, e.expires_at, e.used_at IS NOT NULL AS used \
             FROM staff_enrolments e JOIN staff s ON s.id = e.staff_id WHERE e.token_hash = $1"
        ));
        type Row = (i64, String, String, String, String, bool);
        let row: Option<Row> =
            with_pool!(self, pool => sqlx::query_as(sql).bind(token_hash).fetch_optional(pool).await)
                .context("reading an enrolment link")?;
        Ok(row.map(
            |(id, email, role, user_handle, expires_at, used)| Enrolment {
                staff: StaffMember {
                    id,
                    email,
                    role,
                    user_handle,
                },
                expires_at,
                used,
            },
        ))
    }

    /// A person's passkeys (webauthn-rs's JSON).
    pub async fn passkeys_of(&self, staff_id: i64) -> Result<Vec<String>> {
        const SQL: &str =
            "SELECT passkey FROM staff_passkeys WHERE staff_id = $1 ORDER BY created_at";
        with_pool!(self, pool => sqlx::query_scalar(SQL).bind(staff_id).fetch_all(pool).await)
            .context("reading the passkeys")
    }

    /// Saves a ceremony's state (and drops ceremonies past their time).
    pub async fn save_ceremony(&self, c: &NewCeremony<'_>, now: &str) -> Result<()> {
        const PRUNE: &str = "DELETE FROM staff_ceremonies WHERE expires_at <= $1";
        const SQL: &str = "INSERT INTO staff_ceremonies \
             (id_hash, kind, staff_id, enrolment_hash, state, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
        with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            sqlx::query(PRUNE).bind(now).execute(&mut *tx).await?;
            sqlx::query(SQL).bind(c.id_hash).bind(c.kind).bind(c.staff_id).bind(c.enrolment_hash)
                .bind(c.state).bind(c.expires_at).execute(&mut *tx).await?;
            tx.commit().await
        }.await)
        .context("saving a ceremony")?;
        Ok(())
    }

    /// Takes a ceremony's state: deleted as it is read, so a replayed
    /// finish finds nothing.
    pub async fn take_ceremony(&self, id_hash: &str, kind: &str) -> Result<Option<Ceremony>> {
        const SQL: &str = "DELETE FROM staff_ceremonies WHERE id_hash = $1 AND kind = $2 \
             RETURNING staff_id, enrolment_hash, state, expires_at";
        with_pool!(self, pool => sqlx::query_as(SQL).bind(id_hash).bind(kind).fetch_optional(pool).await)
            .context("taking a ceremony")
    }

    /// Uses the enrolment link (once, before it expires), stores the passkey
    /// and opens a session, in one transaction; false when the link was
    /// used meanwhile or expired.
    pub async fn finish_enrolment(
        &self,
        enrolment_hash: &str,
        staff_id: i64,
        credential_id: &str,
        passkey: &str,
        session_hash: &str,
        now: &str,
    ) -> Result<bool> {
        const USE: &str = "UPDATE staff_enrolments SET used_at = $1 \
             WHERE token_hash = $2 AND staff_id = $3 AND used_at IS NULL AND expires_at > $1";
        const KEY: &str =
            "INSERT INTO staff_passkeys (credential_id, staff_id, passkey, created_at) \
             VALUES ($1, $2, $3, $4)";
        with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let used = sqlx::query(USE).bind(now).bind(enrolment_hash).bind(staff_id)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if !used {
                tx.rollback().await?;
                return Ok::<bool, sqlx::Error>(false);
            }
            sqlx::query(KEY).bind(credential_id).bind(staff_id).bind(passkey).bind(now)
                .execute(&mut *tx).await?;
            sqlx::query(SESSION).bind(session_hash).bind(staff_id).bind(now)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        }.await)
        .context("finishing an enrolment")
    }

    /// A sign-in: the passkey's new counter stored and a new session
    /// opened, in one transaction.
    pub async fn finish_sign_in(
        &self,
        staff_id: i64,
        credential_id: &str,
        passkey: Option<&str>,
        session_hash: &str,
        now: &str,
    ) -> Result<()> {
        const KEY: &str =
            "UPDATE staff_passkeys SET last_used_at = $1, passkey = COALESCE($2, passkey) \
             WHERE credential_id = $3 AND staff_id = $4";
        with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            sqlx::query(KEY).bind(now).bind(passkey).bind(credential_id).bind(staff_id)
                .execute(&mut *tx).await?;
            sqlx::query(SESSION).bind(session_hash).bind(staff_id).bind(now)
                .execute(&mut *tx).await?;
            tx.commit().await
        }.await)
        .context("signing in")?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {MEMBER}, x.created_at, x.last_seen_at \
             FROM staff_sessions x JOIN staff s ON s.id = x.staff_id WHERE x.id_hash = $1"
        ));
        type Row = (i64, String, String, String, String, String);
        let row: Option<Row> =
            with_pool!(self, pool => sqlx::query_as(sql).bind(id_hash).fetch_optional(pool).await)
                .context("reading a session")?;
        Ok(row.map(
            |(id, email, role, user_handle, created_at, last_seen_at)| SessionRow {
                staff: StaffMember {
                    id,
                    email,
                    role,
                    user_handle,
                },
                created_at,
                last_seen_at,
            },
        ))
    }

    pub async fn touch_session(&self, id_hash: &str, now: &str) -> Result<()> {
        const SQL: &str = "UPDATE staff_sessions SET last_seen_at = $1 WHERE id_hash = $2";
        with_pool!(self, pool => sqlx::query(SQL).bind(now).bind(id_hash).execute(pool).await.map(|_| ()))
            .context("keeping a session")?;
        Ok(())
    }

    pub async fn end_session(&self, id_hash: &str) -> Result<()> {
        const SQL: &str = "DELETE FROM staff_sessions WHERE id_hash = $1";
        with_pool!(self, pool => sqlx::query(SQL).bind(id_hash).execute(pool).await.map(|_| ()))
            .context("ending a session")?;
        Ok(())
    }

    /// Ends every session of a person (sign-out everywhere); how many.
    pub async fn end_sessions_of(&self, staff_id: i64) -> Result<u64> {
        const SQL: &str = "DELETE FROM staff_sessions WHERE staff_id = $1";
        with_pool!(self, pool => sqlx::query(SQL).bind(staff_id).execute(pool).await
            .map(|r| r.rows_affected()))
        .context("ending a person's sessions")
    }

    /// Counts a failed sign-in (and forgets those over a day old).
    pub async fn record_sign_in_failure(
        &self,
        ip: &str,
        email: &str,
        now: &str,
        day_ago: &str,
    ) -> Result<()> {
        const ADD: &str = "INSERT INTO staff_sign_in_failures (at, ip, email) VALUES ($1, $2, $3)";
        const PRUNE: &str = "DELETE FROM staff_sign_in_failures WHERE at < $1";
        with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            sqlx::query(ADD).bind(now).bind(ip).bind(email).execute(&mut *tx).await?;
            sqlx::query(PRUNE).bind(day_ago).execute(&mut *tx).await?;
            tx.commit().await
        }.await)
        .context("counting a failed sign-in")?;
        Ok(())
    }

    /// Failed sign-ins since `since`: for the address, and from the IP.
    pub async fn sign_in_failures(&self, ip: &str, email: &str, since: &str) -> Result<(i64, i64)> {
        const SQL: &str = "SELECT \
             (SELECT COUNT(*) FROM staff_sign_in_failures WHERE email = $1 AND at >= $3), \
             (SELECT COUNT(*) FROM staff_sign_in_failures WHERE ip = $2 AND at >= $3)";
        with_pool!(self, pool => sqlx::query_as(SQL).bind(email).bind(ip).bind(since).fetch_one(pool).await)
            .context("counting failed sign-ins")
    }

    /// An entry of the console's security log.
    pub async fn log_staff_event(
        &self,
        actor: &str,
        event: &str,
        ip: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        const SQL: &str =
            "INSERT INTO staff_events (at, actor, event, ip, detail) VALUES ($1, $2, $3, $4, $5)";
        let now = super::now_rfc3339();
        with_pool!(self, pool => sqlx::query(SQL).bind(now.as_str()).bind(actor).bind(event)
            .bind(ip).bind(detail).execute(pool).await.map(|_| ()))
        .context("writing the security log")?;
        Ok(())
    }

    /// The security log, oldest first: (at, actor, event, ip, detail).
    pub async fn staff_events(&self) -> Result<Vec<StaffEvent>> {
        const SQL: &str = "SELECT at, actor, event, ip, detail FROM staff_events ORDER BY id";
        with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)
            .context("reading the security log")
    }
}

/// One entry of the security log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffEvent {
    pub at: String,
    pub actor: String,
    pub event: String,
    pub ip: String,
    pub detail: Option<String>,
}

const SESSION: &str = "INSERT INTO staff_sessions (id_hash, staff_id, created_at, last_seen_at) \
     VALUES ($1, $2, $3, $3)";
