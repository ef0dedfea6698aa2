//! The console's sessions: a random id in a `__Host-` cookie (`Secure`,
//! `HttpOnly`, `SameSite=Strict`, path `/`), its hash in the database, so
//! two instances share them and a sign-out ends them at once. The limits
//! (idle 30 minutes, 12 hours in all) are `policy::session_state`'s.

use anyhow::Result;
use axum::http::{header, HeaderMap, HeaderValue};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::policy::{session_state, Role, SessionState};
use super::token::{is_token, token_hash};
use crate::store::{StaffMember, Store};

/// The cookie's name. `__Host-`: the browser keeps it only if it was set
/// `Secure`, from a secure origin (https, or http://localhost), with path
/// `/` and no `Domain`, so no other host can set or read it.
pub const COOKIE: &str = "__Host-imrf-console";

/// The person a request's session belongs to.
#[derive(Debug, Clone)]
pub struct Signed {
    pub staff: StaffMember,
    pub role: Role,
    pub session_hash: String,
}

/// The session id the request's cookie carries, if it has the form of one.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| is_token(v))
}

/// The `Set-Cookie` of a new session.
pub fn set_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict"
    ))
    .expect("a token is a header value")
}

/// The `Set-Cookie` that removes the cookie.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"
    ))
    .expect("a header value")
}

fn parse(t: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(t, &Rfc3339).ok()
}

/// The signed-in person of a request, if its session is good now; a
/// session past its limits is ended here. A session of someone removed
/// from the staff is gone with them. A cookie that names no good session
/// (unknown, replayed after sign-out, idle, too old) is logged, with the
/// client's IP.
pub async fn current(store: &Store, headers: &HeaderMap, ip: &str) -> Result<Option<Signed>> {
    let Some(token) = cookie_token(headers) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    let Some(row) = store.session(&hash).await? else {
        store
            .log_staff_event("-", "session_refused", ip, Some("unknown or ended session"))
            .await?;
        return Ok(None);
    };
    let now = OffsetDateTime::now_utc();
    let state = match (parse(&row.created_at), parse(&row.last_seen_at)) {
        (Some(created), Some(seen)) => session_state(created, seen, now),
        _ => SessionState::Expired,
    };
    let role = Role::from_key(&row.staff.role);
    match (state, role) {
        (SessionState::Valid, Some(role)) => {
            store
                .touch_session(&hash, &crate::store::format_utc(now))
                .await?;
            Ok(Some(Signed {
                staff: row.staff,
                role,
                session_hash: hash,
            }))
        }
        (state, _) => {
            store.end_session(&hash).await?;
            let why = match state {
                SessionState::Idle => "idle for 30 minutes",
                SessionState::Expired => "older than 12 hours",
                SessionState::Valid => "unknown role",
            };
            store
                .log_staff_event(&row.staff.email, "session_refused", ip, Some(why))
                .await?;
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_cookie_with_a_token_is_read() {
        let token = super::super::token::new_token();
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=b; {COOKIE}={token}; c=d")).unwrap(),
        );
        assert_eq!(cookie_token(&h).as_deref(), Some(token.as_str()));
        let mut odd = HeaderMap::new();
        odd.append(
            header::COOKIE,
            HeaderValue::from_static("imrf-console=x; __Host-imrf-console=../../etc"),
        );
        assert_eq!(cookie_token(&odd), None);
        let set = set_cookie(&token);
        let set = set.to_str().unwrap();
        for part in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(set.contains(part), "{set}");
        }
        assert!(!set.contains("Domain"));
    }
}
