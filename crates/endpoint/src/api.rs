//! The HTTP handlers of `/api`.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use imrf_contract::{ApiError, Submission, SubmissionAccepted, ValidSubmission};

pub use crate::error_response::ErrorResponse;
use crate::store::{body_hash, Flag, InsertOutcome, Store};

pub struct AppState {
    pub store: Store,
    /// The documents served, and the pages answering a form post.
    pub documents: Arc<crate::documents::Documents>,
    pub min_fill_ms: u64,
    pub limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    pub trust_forwarded_for: bool,
    /// The health check's last write probe (`crate::health`).
    pub write_check: crate::health::WriteCheck,
    /// The sites whose pages may post the form (`crate::origin_policy`).
    pub form_origins: crate::origin_policy::FormOrigins,
    /// Signs the withdrawal links (`crate::withdrawal`).
    pub withdrawal_key: crate::withdrawal_link::WithdrawalKey,
    /// What the public record's answers share (`crate::publication`).
    pub record: crate::record_site::RecordSite,
    /// What the console's answers share (`crate::console`).
    pub console: crate::console_site::ConsoleSite,
}

pub type SharedState = Arc<AppState>;

pub fn limiter(per_minute: u32) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    let n = NonZeroU32::new(per_minute)?;
    Some(RateLimiter::keyed(Quota::per_minute(n).allow_burst(n)))
}

pub fn not_found() -> Response {
    ErrorResponse(ApiError::NotFound).into_response()
}

pub fn method_not_allowed() -> Response {
    ErrorResponse(ApiError::MethodNotAllowed).into_response()
}

/// `POST /api/submissions` with JSON: the checks of API.md's "Order of
/// checks", each a step that answers with an [`ApiError`] when it refuses.
/// (A form posted without JavaScript goes to `crate::form_path`; the route
/// chooses, `crate::server`.)
pub async fn submit(
    State(app): State<SharedState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ErrorResponse> {
    let body = read_body(body)?;
    require_json(&headers)?;
    let raw = parse_submission(&body)?;
    check_key_header(&headers, &raw)?;
    let valid = validate(&raw)?;
    let flag = bot_flag(valid.get(), app.min_fill_ms);
    Ok(store(&app, &valid, flag).await?)
}

pub(crate) fn read_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            tracing::info!(status = 413, "submission rejected: body too large");
            ApiError::TooLarge
        } else {
            ApiError::MalformedBody
        }
    })
}

/// `application/json`, with no charset or a UTF-8 one: the body is read as
/// UTF-8, so a body declared in another charset is refused (415), not misread.
fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    require_media_type(headers, "application/json")
}

/// The request's `Content-Type` essence (`application/json`), lower-cased.
pub(crate) fn media_type(headers: &HeaderMap) -> String {
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// `Content-Type` is `essence`, with no charset or a UTF-8 one (415 otherwise).
pub(crate) fn require_media_type(headers: &HeaderMap, essence: &str) -> Result<(), ApiError> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut parts = value.split(';');
    parts.next();
    let essence_ok = media_type(headers) == essence;
    let charset_ok = parts.all(|param| match param.split_once('=') {
        Some((name, v)) if name.trim().eq_ignore_ascii_case("charset") => {
            let v = v.trim().trim_matches('"');
            v.eq_ignore_ascii_case("utf-8") || v.eq_ignore_ascii_case("utf8")
        }
        _ => true,
    });
    (essence_ok && charset_ok)
        .then_some(())
        .ok_or(ApiError::UnsupportedMediaType)
}

fn parse_submission(body: &[u8]) -> Result<Submission, ApiError> {
    // Only an object: serde would also read a struct from an array (`[]`).
    let is_object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    match is_object.then(|| serde_json::from_slice(body)) {
        Some(Ok(s)) => Ok(s),
        _ => {
            tracing::info!(status = 400, "submission rejected: malformed body");
            Err(ApiError::MalformedBody)
        }
    }
}

/// The `Idempotency-Key` header must be there and name the body's key.
fn check_key_header(headers: &HeaderMap, raw: &Submission) -> Result<(), ApiError> {
    let body_key = imrf_contract::normalize(raw).idempotency_key;
    match headers
        .get(imrf_contract::IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        None => Err(ApiError::KeyHeaderMissing),
        // A body without a key is named by the rules (422) later.
        Some(h) if !body_key.is_empty() && h.trim().to_ascii_lowercase() != body_key => {
            Err(ApiError::KeyHeaderMismatch)
        }
        Some(_) => Ok(()),
    }
}

fn validate(raw: &Submission) -> Result<ValidSubmission, ApiError> {
    validate_logged(raw).map_err(|errors| ApiError::invalid(&errors))
}

/// `validate`, logging the refused rules (never the values).
pub(crate) fn validate_logged(
    raw: &Submission,
) -> Result<ValidSubmission, Vec<imrf_contract::FieldError>> {
    imrf_contract::validate(raw).inspect_err(|errors| {
        let rules: Vec<String> = errors
            .iter()
            .map(|e| format!("{}:{}", e.field.key(), e.rule.key()))
            .collect();
        tracing::info!(status = 422, errors = %rules.join(","), "submission rejected: invalid");
    })
}

/// Automated senders are answered as people are, but their rows are kept apart.
pub(crate) fn bot_flag(s: &Submission, min_fill_ms: u64) -> Option<Flag> {
    if !s.website.trim().is_empty() {
        Some(Flag::Honeypot)
    } else if s.fill_ms < min_fill_ms {
        Some(Flag::TooFast)
    } else {
        None
    }
}

/// Where a submission went: a new row, or the row its key already had.
pub(crate) enum Stored {
    Created(String),
    Replayed(String),
}

async fn store(
    app: &AppState,
    valid: &ValidSubmission,
    flag: Option<Flag>,
) -> Result<Response, ApiError> {
    let accepted = |reference: String| {
        // The withdrawal page in the language the form was in.
        let token = app.withdrawal_key.token(&reference);
        let withdraw_url = Some(crate::withdrawal_link::href(
            valid.get().language,
            imrf_release::pages::Shell::Page,
            imrf_release::embedding::View::Full,
            &reference,
            &token,
        ));
        Json(SubmissionAccepted {
            reference,
            withdraw_url,
        })
    };
    Ok(match store_logged(app, valid, flag).await? {
        Stored::Created(reference) => {
            let counted = axum::Extension(crate::metrics::Flagged(flag));
            (StatusCode::CREATED, counted, accepted(reference)).into_response()
        }
        Stored::Replayed(reference) => (StatusCode::OK, accepted(reference)).into_response(),
    })
}

/// Stores a submission once per key, logging the outcome (the reference,
/// never the values). A failure also tells the health check to probe afresh.
pub(crate) async fn store_logged(
    app: &AppState,
    valid: &ValidSubmission,
    flag: Option<Flag>,
) -> Result<Stored, ApiError> {
    let flagged = flag.map(Flag::as_str).unwrap_or("");
    match app.store.insert(valid, &body_hash(valid), flag).await {
        Ok(InsertOutcome::Created { reference }) => {
            tracing::info!(%reference, status = 201, flagged, "submission stored");
            Ok(Stored::Created(reference))
        }
        Ok(InsertOutcome::Replayed { reference }) => {
            tracing::info!(%reference, status = 200, flagged, "submission replayed");
            Ok(Stored::Replayed(reference))
        }
        Ok(InsertOutcome::Conflict) => {
            tracing::info!(
                status = 409,
                "submission rejected: key reused with another body"
            );
            Err(ApiError::KeyConflict)
        }
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), status = 500, "storing a submission failed");
            app.write_check.forget();
            Err(ApiError::Internal)
        }
    }
}

/// The client's IP: the TCP peer, or the last `X-Forwarded-For` entry when
/// the operator said a trusted proxy sets it.
pub(crate) fn client_ip(req: &Request, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for {
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .next_back();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip())
}

/// Per-IP rate limit in front of `POST /api/submissions`.
pub async fn rate_limit(State(app): State<SharedState>, req: Request, next: Next) -> Response {
    if let (Some(limiter), Some(ip)) = (&app.limiter, client_ip(&req, app.trust_forwarded_for)) {
        if let Err(not_until) = limiter.check_key(&ip) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let secs = secs.max(1);
            tracing::info!(status = 429, retry_after = secs, "submission rate limited");
            return ErrorResponse(ApiError::RateLimited {
                retry_after_s: Some(u32::try_from(secs).unwrap_or(u32::MAX)),
            })
            .into_response();
        }
    }
    next.run(req).await
}

/// Drops rate-limit state of clients not seen for a while.
pub fn spawn_limiter_housekeeping(app: SharedState) {
    if app.limiter.is_none() {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Some(l) = &app.limiter {
                l.retain_recent();
                l.shrink_to_fit();
            }
        }
    });
}

/// Never lets a body-less error through: any empty 4xx/5xx from the
/// framework gets the JSON error shape.
pub async fn json_errors(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    if (status.is_client_error() || status.is_server_error())
        && resp.headers().get(header::CONTENT_TYPE).is_none()
    {
        let (parts, _) = resp.into_parts();
        let error = match status {
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::NOT_FOUND => ApiError::NotFound,
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
            s if s.is_server_error() => ApiError::Internal,
            _ => ApiError::BadRequest,
        };
        let mut fresh = ErrorResponse(error).into_response();
        *fresh.status_mut() = status;
        for (name, value) in parts.headers.iter() {
            if name != header::CONTENT_LENGTH {
                fresh.headers_mut().append(name, value.clone());
            }
        }
        return fresh;
    }
    resp
}
