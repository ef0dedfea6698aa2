//! When to try sending again after a failure. Plain Rust, tested natively.

/// How many times a submission is sent automatically before the visitor is
/// asked to press "try again".
pub const MAX_AUTOMATIC_ATTEMPTS: u32 = 4;
/// Give up on one request after this long (slow networks are common).
pub const REQUEST_TIMEOUT_MS: u32 = 15_000;
const BASE_DELAY_MS: f64 = 1_000.0;
const MAX_DELAY_MS: f64 = 30_000.0;

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No answer: connection refused, DNS, CORS, or the timeout fired.
    Network,
    /// 5xx (or a 2xx that cannot be read), with the server's Retry-After in
    /// seconds if it sent one (a 503 during maintenance or overload does).
    Server { retry_after_s: Option<u32> },
    /// 429, with the server's Retry-After in seconds if it sent one.
    TooManyRequests { retry_after_s: Option<u32> },
}

/// The delay before attempt number `attempt + 1` (attempts count from 1),
/// or `None` when it is time to stop retrying automatically.
///
/// Exponential backoff with "equal jitter" (half fixed, half random) so that
/// many visitors cut off by the same outage do not come back in lockstep;
/// a server's Retry-After is honoured as a floor.
/// `random` is in `[0, 1)`, supplied by the caller so this stays pure.
pub fn delay_before_retry(attempt: u32, failure: Failure, random: f64) -> Option<u32> {
    if attempt >= MAX_AUTOMATIC_ATTEMPTS {
        return None;
    }
    let exp = BASE_DELAY_MS * 2f64.powi(attempt.saturating_sub(1) as i32);
    let capped = exp.min(MAX_DELAY_MS);
    let jittered = capped / 2.0 + capped / 2.0 * random.clamp(0.0, 1.0);
    let floor = match failure {
        Failure::TooManyRequests {
            retry_after_s: Some(s),
        }
        | Failure::Server {
            retry_after_s: Some(s),
        } => f64::from(s) * 1000.0,
        _ => 0.0,
    };
    Some(jittered.max(floor).round() as u32)
}

/// Reads a Retry-After header given in seconds (the HTTP-date form is not
/// used by our endpoint; it falls back to backoff).
pub fn parse_retry_after(value: &str) -> Option<u32> {
    value.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: Failure = Failure::Server {
        retry_after_s: None,
    };

    #[test]
    fn delays_grow_and_stop_after_the_last_attempt() {
        let d: Vec<_> = (1..=5)
            .map(|a| delay_before_retry(a, Failure::Network, 0.0))
            .collect();
        assert_eq!(d, vec![Some(500), Some(1000), Some(2000), None, None]);
        let d_max: Vec<_> = (1..=3)
            .map(|a| delay_before_retry(a, SERVER, 0.999_999))
            .collect();
        assert_eq!(d_max, vec![Some(1000), Some(2000), Some(4000)]);
    }

    #[test]
    fn retry_after_is_a_floor() {
        let d = delay_before_retry(
            1,
            Failure::TooManyRequests {
                retry_after_s: Some(7),
            },
            0.5,
        );
        assert_eq!(d, Some(7000));
        let d = delay_before_retry(
            1,
            Failure::TooManyRequests {
                retry_after_s: None,
            },
            0.5,
        );
        assert_eq!(d, Some(750));
    }

    /// A 503 with `Retry-After: 5` is not retried before 5 s, at any attempt
    /// and whatever the jitter (the audit saw retries after 1, 2 and 4 s).
    #[test]
    fn retry_after_is_a_floor_for_server_errors_too() {
        for attempt in 1..MAX_AUTOMATIC_ATTEMPTS {
            for random in [0.0, 0.5, 0.999] {
                let failure = Failure::Server {
                    retry_after_s: Some(5),
                };
                let d = delay_before_retry(attempt, failure, random).expect("retries left");
                assert!(d >= 5_000, "attempt {attempt}, random {random}: {d} ms");
            }
        }
        assert_eq!(delay_before_retry(1, SERVER, 0.0), Some(500));
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(parse_retry_after(" 12 "), Some(12));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
