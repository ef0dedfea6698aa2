//! When a message is tried again, and when it is given up: pure decisions
//! on the outcome of one attempt, tested natively.

use std::time::Duration;

use time::OffsetDateTime;

/// What one attempt to send a message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The server took the message (250 after the data).
    Sent,
    /// Refused for now or not reached: connection refused or cut before the
    /// data was sent, a 4xx answer, a timeout before the end of DATA.
    Transient(String),
    /// Refused for good: a 5xx answer. Trying again would be refused again.
    Permanent(String),
    /// The data was sent but its answer never came: the server may or may
    /// not have the message. Sent again, with the same Message-ID.
    Uncertain(String),
}

pub use crate::store::Record;

/// Retries go on for three days (GOV.UK Forms: about ten over four and a
/// half hours; a secretariat's mail server may be down over a weekend).
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(3 * 24 * 3600);
/// The longest wait between two attempts.
pub const MAX_WAIT: Duration = Duration::from_secs(3600);

/// The wait after the `attempts`-th failed attempt (1 for the first):
/// `base`, doubling each time up to [`MAX_WAIT`], times a jitter in
/// [0.8, 1.2) from `unit` in [0, 1), so instances that failed together do
/// not all retry together.
pub fn wait_after(attempts: u32, base: Duration, unit: f64) -> Duration {
    let doubled = base.saturating_mul(1u32 << attempts.saturating_sub(1).min(20));
    let capped = doubled.min(MAX_WAIT);
    capped.mul_f64(0.8 + 0.4 * unit.clamp(0.0, 1.0))
}

/// The record for an attempt's outcome: `attempts` counts this one.
pub fn decide(
    attempt: Attempt,
    attempts: u32,
    queued_at: OffsetDateTime,
    now: OffsetDateTime,
    base: Duration,
    unit: f64,
) -> Record {
    let (error, uncertain) = match attempt {
        Attempt::Sent => return Record::Sent,
        Attempt::Permanent(error) => {
            return Record::Failed {
                error,
                uncertain: false,
            }
        }
        Attempt::Transient(error) => (error, false),
        Attempt::Uncertain(error) => (error, true),
    };
    let at = now + wait_after(attempts, base, unit);
    if at > queued_at + GIVE_UP_AFTER {
        Record::Failed {
            error: format!("given up after {attempts} attempts over three days; last: {error}"),
            uncertain,
        }
    } else {
        Record::RetryAt {
            at,
            error,
            uncertain,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(30);

    #[test]
    fn waits_double_up_to_an_hour_with_jitter() {
        assert_eq!(wait_after(1, BASE, 0.5), BASE);
        assert_eq!(wait_after(2, BASE, 0.5), 2 * BASE);
        assert_eq!(wait_after(3, BASE, 0.5), 4 * BASE);
        assert_eq!(wait_after(40, BASE, 0.5), MAX_WAIT);
        assert_eq!(wait_after(u32::MAX, BASE, 0.5), MAX_WAIT);
        assert_eq!(wait_after(1, BASE, 0.0), BASE.mul_f64(0.8));
        assert!(wait_after(1, BASE, 1.0) <= BASE.mul_f64(1.2));
        assert_ne!(wait_after(5, BASE, 0.1), wait_after(5, BASE, 0.9));
    }

    #[test]
    fn retries_last_at_least_a_day() {
        let queued = time::macros::datetime!(2026-12-04 10:00 UTC);
        let mut now = queued;
        let mut attempts = 0;
        loop {
            attempts += 1;
            match decide(
                Attempt::Transient("421".into()),
                attempts,
                queued,
                now,
                BASE,
                0.0,
            ) {
                Record::RetryAt { at, .. } => now = at,
                Record::Failed { error, .. } => {
                    assert!(error.contains("given up"), "{error}");
                    break;
                }
                Record::Sent => unreachable!(),
            }
        }
        assert!(now - queued >= time::Duration::days(1), "{}", now - queued);
        assert!(now - queued <= time::Duration::days(3));
        assert!(attempts > 10, "{attempts}");
    }

    #[test]
    fn outcomes() {
        let t = time::macros::datetime!(2026-12-04 10:00 UTC);
        assert_eq!(decide(Attempt::Sent, 1, t, t, BASE, 0.5), Record::Sent);
        assert_eq!(
            decide(Attempt::Permanent("550 no".into()), 1, t, t, BASE, 0.5),
            Record::Failed {
                error: "550 no".into(),
                uncertain: false
            }
        );
        assert_eq!(
            decide(Attempt::Uncertain("cut".into()), 1, t, t, BASE, 0.5),
            Record::RetryAt {
                at: t + BASE,
                error: "cut".into(),
                uncertain: true
            }
        );
    }
}
