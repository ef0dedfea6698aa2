//! `GET /api/metrics`: counts of submissions by outcome and the time to
//! answer them, in the Prometheus/OpenMetrics text format
//! (`prometheus-client`), counted since the process started; the totals
//! the database holds (submissions, mail), read at each scrape. Nothing
//! personal, no reference numbers. Only for the operator: the flag counts
//! would tell a bot it was found out, so the metrics answer a loopback
//! client that no proxy relayed, or the `--metrics-token` (`may_read`).

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::store::{Flag, OutboxCounts, StoredCounts};

/// Marks a stored submission's response with its flag, for the counters
/// (set by `api::submit`, read here; never sent).
#[derive(Debug, Clone, Copy)]
pub struct Flagged(pub Option<Flag>);

/// The status a form post's redirect stands for (201 stored, 200 replayed),
/// so the counters read it as the JSON answer would be read.
#[derive(Debug, Clone, Copy)]
pub struct CountedAs(pub StatusCode);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RefusedLabels {
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FlagLabels {
    reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MailLabels {
    state: String,
}

pub struct Metrics {
    registry: Registry,
    mail: Family<MailLabels, Gauge>,
    stored: Gauge,
    stored_flagged: Family<FlagLabels, Gauge>,
    submissions: Family<OutcomeLabels, Counter>,
    refused: Family<RefusedLabels, Counter>,
    flagged: Family<FlagLabels, Counter>,
    duration: Histogram,
}

/// What a submission's answer means, by its status: `stored` (201),
/// `replayed` (200), `refused` (4xx: invalid, conflict, rate limited, ...)
/// or `failed` (5xx).
pub fn outcome(status: StatusCode) -> &'static str {
    match status.as_u16() {
        201 => "stored",
        200 => "replayed",
        400..=499 => "refused",
        _ => "failed",
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("imrf");
        let submissions = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "submissions",
            "Submission requests by outcome: stored (201), replayed (200), refused (4xx), failed (5xx)",
            submissions.clone(),
        );
        let refused = Family::<RefusedLabels, Counter>::default();
        registry.register(
            "submissions_refused",
            "Refused submission requests by HTTP status (422 invalid, 429 rate limited, 409 key conflict, ...)",
            refused.clone(),
        );
        let flagged = Family::<FlagLabels, Counter>::default();
        registry.register(
            "submissions_flagged",
            "Stored submissions flagged as automated, by reason (honeypot, too_fast)",
            flagged.clone(),
        );
        // 1 ms to about 16 s.
        let duration = Histogram::new(exponential_buckets(0.001, 2.0, 15));
        registry.register(
            "submission_duration_seconds",
            "Time to answer a submission request",
            duration.clone(),
        );
        let mail = Family::<MailLabels, Gauge>::default();
        registry.register(
            "mail_messages",
            "Messages to the mailbox by state, as the database holds them: queued (not tried yet), retrying, sent, failed",
            mail.clone(),
        );
        let stored = Gauge::default();
        registry.register(
            "submissions_stored",
            "Submissions the database holds (all, flagged included), read at each scrape",
            stored.clone(),
        );
        let stored_flagged = Family::<FlagLabels, Gauge>::default();
        registry.register(
            "submissions_stored_flagged",
            "Submissions the database holds flagged as automated, by reason (honeypot, too_fast), read at each scrape",
            stored_flagged.clone(),
        );
        for o in ["stored", "replayed", "refused", "failed"] {
            let _ = submissions.get_or_create(&OutcomeLabels { outcome: o.into() });
        }
        for f in [Flag::Honeypot, Flag::TooFast] {
            let _ = flagged.get_or_create(&FlagLabels {
                reason: f.as_str().into(),
            });
        }
        Metrics {
            registry,
            mail,
            stored,
            stored_flagged,
            submissions,
            refused,
            flagged,
            duration,
        }
    }

    pub fn observe(&self, status: StatusCode, seconds: f64, flag: Option<Flag>) {
        let outcome = outcome(status);
        self.submissions
            .get_or_create(&OutcomeLabels {
                outcome: outcome.into(),
            })
            .inc();
        if outcome == "refused" {
            self.refused
                .get_or_create(&RefusedLabels {
                    status: status.as_u16().to_string(),
                })
                .inc();
        }
        if let (Some(flag), "stored") = (flag, outcome) {
            self.flagged
                .get_or_create(&FlagLabels {
                    reason: flag.as_str().into(),
                })
                .inc();
        }
        self.duration.observe(seconds);
    }

    /// The text of `/api/metrics`, with the database's counts (submissions,
    /// outbox) when they could be read.
    pub fn render(&self, stored: Option<StoredCounts>, outbox: Option<OutboxCounts>) -> Response {
        if let Some(c) = stored {
            self.stored.set(c.all);
            for (flag, n) in [(Flag::Honeypot, c.honeypot), (Flag::TooFast, c.too_fast)] {
                self.stored_flagged
                    .get_or_create(&FlagLabels {
                        reason: flag.as_str().into(),
                    })
                    .set(n);
            }
        }
        if let Some(c) = outbox {
            for (state, n) in [
                ("queued", c.queued),
                ("retrying", c.retrying),
                ("sent", c.sent),
                ("failed", c.failed),
            ] {
                self.mail
                    .get_or_create(&MailLabels {
                        state: state.into(),
                    })
                    .set(n);
            }
        }
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &self.registry).is_err() {
            return crate::error_response::ErrorResponse(imrf_contract::ApiError::Internal)
                .into_response();
        }
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            )],
            text,
        )
            .into_response()
    }
}

/// Who may read the metrics: with a token, whoever sends it as
/// `Authorization: Bearer TOKEN`; without, a client on this machine
/// (a loopback peer) whose request no proxy relayed (no `Forwarded`,
/// `X-Forwarded-For` or `X-Real-IP`: the documented proxies set one for
/// every public request). Anyone else gets the 404 of any unknown path.
#[derive(Debug, Clone, Default)]
pub struct Access {
    pub token: Option<String>,
}

impl Access {
    pub fn may_read(&self, request: &Request) -> bool {
        let headers = request.headers();
        match &self.token {
            Some(token) => headers
                .get_all(header::AUTHORIZATION)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .filter_map(|v| {
                    let (scheme, value) = v.trim().split_once(' ')?;
                    scheme.eq_ignore_ascii_case("bearer").then(|| value.trim())
                })
                .any(|given| same_secret(given.as_bytes(), token.as_bytes())),
            None => {
                let relayed = ["forwarded", "x-forwarded-for", "x-real-ip"]
                    .iter()
                    .any(|name| headers.contains_key(*name));
                let local = request
                    .extensions()
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .is_some_and(|peer| peer.0.ip().to_canonical().is_loopback());
                local && !relayed
            }
        }
    }
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Counts each `POST /api/submissions` answer (placed outside the rate limit,
/// so 429s count too).
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let start = Instant::now();
    let response = next.run(request).await;
    let flag = response.extensions().get::<Flagged>().and_then(|f| f.0);
    let status = response
        .extensions()
        .get::<CountedAs>()
        .map_or(response.status(), |c| c.0);
    metrics.observe(status, start.elapsed().as_secs_f64(), flag);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_by_status() {
        assert_eq!(outcome(StatusCode::CREATED), "stored");
        assert_eq!(outcome(StatusCode::OK), "replayed");
        assert_eq!(outcome(StatusCode::UNPROCESSABLE_ENTITY), "refused");
        assert_eq!(outcome(StatusCode::TOO_MANY_REQUESTS), "refused");
        assert_eq!(outcome(StatusCode::INTERNAL_SERVER_ERROR), "failed");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abcdef", b"abcdef"));
        assert!(!same_secret(b"abcdef", b"abcdeg"));
        assert!(!same_secret(b"abcdef", b"abcde"));
    }
}
