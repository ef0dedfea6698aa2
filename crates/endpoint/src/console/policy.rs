//! The console's security decisions as plain functions (tested natively,
//! and attacked in the tests below): who may do what, whether a session is
//! still good, whether a state-changing request came from this site, and
//! whether another sign-in may be tried. The HTTP layer only asks.

use time::{Duration, OffsetDateTime};

/// A session ends after this long without a request.
pub const IDLE: Duration = Duration::minutes(30);
/// A session ends this long after sign-in, however busy.
pub const ABSOLUTE: Duration = Duration::hours(12);
/// An enrolment link is good this long after `staff invite` or `staff reset`.
pub const ENROLMENT_VALID: Duration = Duration::hours(24);
/// A WebAuthn ceremony must finish this long after it started.
pub const CEREMONY_VALID: Duration = Duration::minutes(5);
/// Failed sign-ins are counted over this window.
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
/// Failed sign-ins allowed per address in the window.
pub const FAILURES_PER_ADDRESS: i64 = 5;
/// Failed sign-ins allowed per client IP in the window.
pub const FAILURES_PER_IP: i64 = 20;

/// What a person of the secretariat is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reads, tags, notes and decides.
    Reviewer,
    /// Also manages staff, answers data requests and exports.
    Administrator,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::Administrator => "administrator",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        [Role::Reviewer, Role::Administrator]
            .into_iter()
            .find(|r| r.key() == key)
    }
}

/// What the console lets someone do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read the inputs, in full.
    Read,
    /// Publish, decline, undo.
    Decide,
    /// See and change the staff list.
    ManageStaff,
}

/// Whether `role` may do `permission`.
pub fn allows(role: Role, permission: Permission) -> bool {
    match permission {
        Permission::Read | Permission::Decide => true,
        Permission::ManageStaff => role == Role::Administrator,
    }
}

/// Where a stored session stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Valid,
    /// No request for [`IDLE`].
    Idle,
    /// Signed in more than [`ABSOLUTE`] ago.
    Expired,
}

pub fn session_state(
    created: OffsetDateTime,
    last_seen: OffsetDateTime,
    now: OffsetDateTime,
) -> SessionState {
    if now - created >= ABSOLUTE || created > now {
        SessionState::Expired
    } else if now - last_seen >= IDLE {
        SessionState::Idle
    } else {
        SessionState::Valid
    }
}

/// Why a state-changing request is refused as cross-site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossSite {
    /// `Sec-Fetch-Site` says another site (or a user's own navigation) sent it.
    FetchSite,
    /// `Origin` names another site.
    Origin,
    /// Neither header: a browser always sends one, so this is no page of ours.
    NoOrigin,
}

/// Whether a request that changes something came from this site's own
/// pages: `Sec-Fetch-Site: same-origin`, or (browsers without it) an
/// `Origin` whose host and port are the request's `Host`. `GET`, `HEAD`
/// and `OPTIONS` change nothing and pass.
pub fn same_origin(
    method: &str,
    sec_fetch_site: Option<&str>,
    origin: Option<&str>,
    host: Option<&str>,
) -> Result<(), CrossSite> {
    if matches!(method, "GET" | "HEAD" | "OPTIONS") {
        return Ok(());
    }
    if let Some(site) = sec_fetch_site {
        return if site.trim().eq_ignore_ascii_case("same-origin") {
            Ok(())
        } else {
            Err(CrossSite::FetchSite)
        };
    }
    let Some(origin) = origin.map(str::trim) else {
        return Err(CrossSite::NoOrigin);
    };
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    match (authority, host) {
        (Some(a), Some(h)) if !a.is_empty() && a.eq_ignore_ascii_case(h.trim()) => Ok(()),
        _ => Err(CrossSite::Origin),
    }
}

/// Whether another sign-in may be tried, given the failures counted in
/// [`FAILURE_WINDOW`] for the address and for the client's IP.
pub fn sign_in_allowed(failures_for_address: i64, failures_for_ip: i64) -> bool {
    failures_for_address < FAILURES_PER_ADDRESS && failures_for_ip < FAILURES_PER_IP
}

/// Whether an enrolment link made at `expires_at - ENROLMENT_VALID` may
/// still be used: never used, and not expired.
pub fn enrolment_usable(expires_at: OffsetDateTime, used: bool, now: OffsetDateTime) -> bool {
    !used && now < expires_at
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-12-07 10:00 UTC);

    #[test]
    fn a_reviewer_decides_but_does_not_manage_staff() {
        assert!(allows(Role::Reviewer, Permission::Read));
        assert!(allows(Role::Reviewer, Permission::Decide));
        assert!(!allows(Role::Reviewer, Permission::ManageStaff));
        assert!(allows(Role::Administrator, Permission::ManageStaff));
        assert_eq!(Role::from_key("administrator"), Some(Role::Administrator));
        assert_eq!(Role::from_key("Administrator"), None);
        assert_eq!(Role::from_key("root"), None);
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let minute = Duration::minutes(1);
        assert_eq!(session_state(T0, T0, T0 + minute), SessionState::Valid);
        assert_eq!(
            session_state(T0, T0, T0 + IDLE - minute),
            SessionState::Valid
        );
        assert_eq!(session_state(T0, T0, T0 + IDLE), SessionState::Idle);
        // Busy all day: still ends at 12 hours.
        let busy = T0 + ABSOLUTE - minute;
        assert_eq!(
            session_state(T0, busy, busy + minute),
            SessionState::Expired
        );
        assert_eq!(session_state(T0, busy, busy), SessionState::Valid);
        // A session from the future (a clock set back) is not trusted.
        assert_eq!(
            session_state(T0 + minute, T0 + minute, T0),
            SessionState::Expired
        );
    }

    #[test]
    fn only_same_origin_requests_change_anything() {
        let host = Some("127.0.0.1:8080");
        assert_eq!(same_origin("GET", Some("cross-site"), None, host), Ok(()));
        assert_eq!(same_origin("POST", Some("same-origin"), None, host), Ok(()));
        for site in ["cross-site", "same-site", "none", ""] {
            assert_eq!(
                same_origin("POST", Some(site), Some("http://127.0.0.1:8080"), host),
                Err(CrossSite::FetchSite),
                "{site}"
            );
        }
        assert_eq!(
            same_origin("POST", None, Some("http://127.0.0.1:8080"), host),
            Ok(())
        );
        assert_eq!(
            same_origin("POST", None, Some("https://127.0.0.1:8080"), host),
            Ok(())
        );
        for origin in [
            "http://evil.example",
            "http://127.0.0.1:8081",
            "http://127.0.0.1:8080.evil.example",
            "null",
            "",
            "http://",
        ] {
            assert_eq!(
                same_origin("POST", None, Some(origin), host),
                Err(CrossSite::Origin),
                "{origin}"
            );
        }
        assert_eq!(
            same_origin("POST", None, Some("http://a"), None),
            Err(CrossSite::Origin)
        );
        assert_eq!(
            same_origin("POST", None, None, host),
            Err(CrossSite::NoOrigin)
        );
        assert_eq!(
            same_origin("DELETE", None, None, host),
            Err(CrossSite::NoOrigin)
        );
    }

    #[test]
    fn failed_sign_ins_are_limited_per_address_and_per_ip() {
        assert!(sign_in_allowed(0, 0));
        assert!(sign_in_allowed(
            FAILURES_PER_ADDRESS - 1,
            FAILURES_PER_IP - 1
        ));
        assert!(!sign_in_allowed(FAILURES_PER_ADDRESS, 0));
        assert!(!sign_in_allowed(0, FAILURES_PER_IP));
    }

    #[test]
    fn an_enrolment_link_is_good_once_for_a_day() {
        let expires = T0 + ENROLMENT_VALID;
        assert!(enrolment_usable(expires, false, T0));
        assert!(!enrolment_usable(expires, true, T0));
        assert!(!enrolment_usable(expires, false, expires));
        assert!(!enrolment_usable(
            expires,
            false,
            expires + Duration::seconds(1)
        ));
    }
}
