//! `GET /api/health`: whether a submission could be stored now. The write
//! probe is real (issue 15: a commit of a full submission's size), so its
//! outcome is reused for [`PROBE_REUSE`] and concurrent checks share one
//! probe: the public cannot make the server write at will (issue 27). A
//! submission that fails to store discards the outcome at once, so health
//! never says `ok` for long after a write failed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::store::Store;

/// How long a write probe's outcome answers health checks (API.md).
pub const PROBE_REUSE: Duration = Duration::from_secs(5);

/// How long the health check waits for its write (a held write lock waits).
const WRITE_PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the last write probe found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writes {
    Work,
    Fail,
}

/// The last write probe's outcome and when it was taken.
#[derive(Default)]
pub struct WriteCheck {
    last: tokio::sync::Mutex<Option<(Instant, Writes)>>,
    /// Set when a submission failed to store: the next check probes afresh.
    stale: AtomicBool,
}

impl WriteCheck {
    /// A write just failed: the next health check probes again.
    pub fn forget(&self) {
        self.stale.store(true, Ordering::SeqCst);
    }

    /// The write probe's outcome: the last one while it is fresh, else a
    /// new probe. Checks that arrive during a probe wait for it (the lock)
    /// and take its outcome.
    async fn writes(&self, store: &Store) -> Writes {
        let mut last = self.last.lock().await;
        let stale = self.stale.swap(false, Ordering::SeqCst);
        if let Some((at, outcome)) = *last {
            if !stale && at.elapsed() < PROBE_REUSE {
                return outcome;
            }
        }
        let outcome = probe(store).await;
        *last = Some((Instant::now(), outcome));
        outcome
    }
}

async fn probe(store: &Store) -> Writes {
    match tokio::time::timeout(WRITE_PROBE_TIMEOUT, store.write_probe()).await {
        Ok(Ok(())) => Writes::Work,
        Ok(Err(e)) => {
            tracing::error!(error = %format!("{e:#}"), "health check: writes fail");
            Writes::Fail
        }
        Err(_) => {
            tracing::error!("health check: a write did not complete in time");
            Writes::Fail
        }
    }
}

/// `GET /api/health`: `ok` when a submission could be stored now;
/// `writes_failing` when the database answers reads but a write fails (full
/// or read-only disk, read-only server); `unavailable` when it answers nothing.
pub async fn health(store: &Store, write_check: &WriteCheck) -> Response {
    let status = match store.health().await {
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            "unavailable"
        }
        Ok(()) => match write_check.writes(store).await {
            Writes::Work => "ok",
            Writes::Fail => "writes_failing",
        },
    };
    let code = if status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(json!({ "status": status }))).into_response()
}
