//! The HTTP handlers of `/api`.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use imrf_contract::{
    FieldErrorBody, LocalizedText, Submission, SubmissionAccepted, ValidationErrorBody,
};
use serde_json::json;

use crate::store::{body_hash, Flag, InsertOutcome, Store};

pub struct AppState {
    pub store: Store,
    pub min_fill_ms: u64,
    pub limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    pub trust_forwarded_for: bool,
}

pub type SharedState = Arc<AppState>;

pub fn limiter(per_minute: u32) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    let n = NonZeroU32::new(per_minute)?;
    Some(RateLimiter::keyed(Quota::per_minute(n).allow_burst(n)))
}

/// A response in the one error shape of the API:
/// `{"errors":[{"field","rule","message":{"ar","en"}}]}`.
pub fn error_response(status: StatusCode, field: &str, rule: &str, ar: &str, en: &str) -> Response {
    let body = ValidationErrorBody {
        errors: vec![FieldErrorBody {
            field: field.to_string(),
            rule: rule.to_string(),
            message: LocalizedText {
                ar: ar.to_string(),
                en: en.to_string(),
            },
        }],
    };
    (status, Json(body)).into_response()
}

fn malformed_body() -> Response {
    error_response(
        StatusCode::BAD_REQUEST,
        "body",
        "malformed",
        "تعذّرت قراءة الطلب. أعد تحميل الصفحة وحاول مرة أخرى",
        "The request could not be read. Reload the page and try again",
    )
}

pub fn internal_error() -> Response {
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "request",
        "internal",
        "حدث خطأ لدينا ولم تُحفظ مدخلاتك. حاول مرة أخرى بعد قليل",
        "Something went wrong on our side and your input was not saved. Try again in a few minutes",
    )
}

pub fn not_found() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        "request",
        "not_found",
        "هذه الصفحة غير موجودة",
        "There is nothing at this address",
    )
}

pub fn method_not_allowed() -> Response {
    error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        "request",
        "method_not_allowed",
        "طريقة الطلب هذه غير مسموح بها هنا",
        "This request method is not allowed here",
    )
}

/// `GET /api/health`: `ok` when a submission could be stored now;
/// `writes_failing` when the database answers reads but a write fails (full
/// or read-only disk, read-only server); `unavailable` when it answers nothing.
pub async fn health(State(app): State<SharedState>) -> Response {
    let status = match app.store.health().await {
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            "unavailable"
        }
        Ok(()) => match tokio::time::timeout(WRITE_PROBE_TIMEOUT, app.store.write_probe()).await {
            Ok(Ok(())) => "ok",
            Ok(Err(e)) => {
                tracing::error!(error = %format!("{e:#}"), "health check: writes fail");
                "writes_failing"
            }
            Err(_) => {
                tracing::error!("health check: a write did not complete in time");
                "writes_failing"
            }
        },
    };
    let code = if status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(json!({ "status": status }))).into_response()
}

/// How long the health check waits for its write (a held write lock waits).
const WRITE_PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// `application/json`, with no charset or a UTF-8 one: the body is read as
/// UTF-8, so a body declared in another charset is refused (415), not misread.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut parts = value.split(';');
    let essence_ok = parts
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"));
    essence_ok
        && parts.all(|param| match param.split_once('=') {
            Some((name, v)) if name.trim().eq_ignore_ascii_case("charset") => {
                let v = v.trim().trim_matches('"');
                v.eq_ignore_ascii_case("utf-8") || v.eq_ignore_ascii_case("utf8")
            }
            _ => true,
        })
}

/// `POST /api/submissions`.
pub async fn submit(
    State(app): State<SharedState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            tracing::info!(status = 413, "submission rejected: body too large");
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body",
                "too_large",
                "الطلب أكبر من المسموح به. اختصر مدخلاتك وحاول مرة أخرى",
                "The request is too large. Shorten your input and try again",
            );
        }
        Err(_) => return malformed_body(),
    };
    if !is_json(&headers) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "body",
            "unsupported_media_type",
            "يجب إرسال الطلب بصيغة JSON",
            "The request must be sent as JSON (Content-Type: application/json)",
        );
    }
    // Only an object: serde would also read a struct from an array (`[]`).
    let is_object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let raw: Submission = match is_object.then(|| serde_json::from_slice(&body)) {
        Some(Ok(s)) => s,
        _ => {
            tracing::info!(status = 400, "submission rejected: malformed body");
            return malformed_body();
        }
    };

    let body_key = imrf_contract::normalize(&raw).idempotency_key;
    match headers
        .get(imrf_contract::IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        None => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "idempotency_key",
                "header_missing",
                "ترويسة Idempotency-Key مفقودة. أعد تحميل الصفحة وحاول مرة أخرى",
                "The Idempotency-Key header is missing. Reload the page and try again",
            );
        }
        // A body without a key is named by the rules (422) below.
        Some(h) if !body_key.is_empty() && h.trim().to_ascii_lowercase() != body_key => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "idempotency_key",
                "header_mismatch",
                "لا تطابق ترويسة Idempotency-Key المفتاح الوارد في الطلب. أعد تحميل الصفحة وحاول مرة أخرى",
                "The Idempotency-Key header does not match the key in the body. Reload the page and try again",
            );
        }
        Some(_) => {}
    }

    let valid = match imrf_contract::validate(&raw) {
        Ok(v) => v,
        Err(errors) => {
            let rules: Vec<String> = errors
                .iter()
                .map(|e| format!("{}:{}", e.field.key(), e.rule.key()))
                .collect();
            tracing::info!(status = 422, errors = %rules.join(","), "submission rejected: invalid");
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(ValidationErrorBody::from(&errors[..])),
            )
                .into_response();
        }
    };

    let flag = if !valid.get().website.trim().is_empty() {
        Some(Flag::Honeypot)
    } else if valid.get().fill_ms < app.min_fill_ms {
        Some(Flag::TooFast)
    } else {
        None
    };
    let hash = body_hash(&valid);
    let flagged = flag.map(Flag::as_str).unwrap_or("");
    match app.store.insert(&valid, &hash, flag).await {
        Ok(InsertOutcome::Created { reference }) => {
            tracing::info!(%reference, status = 201, flagged, "submission stored");
            let counted = axum::Extension(crate::metrics::Flagged(flag));
            (
                StatusCode::CREATED,
                counted,
                Json(SubmissionAccepted { reference }),
            )
                .into_response()
        }
        Ok(InsertOutcome::Replayed { reference }) => {
            tracing::info!(%reference, status = 200, flagged, "submission replayed");
            (StatusCode::OK, Json(SubmissionAccepted { reference })).into_response()
        }
        Ok(InsertOutcome::Conflict) => {
            tracing::info!(
                status = 409,
                "submission rejected: key reused with another body"
            );
            error_response(
                StatusCode::CONFLICT,
                "idempotency_key",
                "idempotency_conflict",
                "سبق إرسال مدخلات أخرى بمفتاح الإرسال نفسه. أعد تحميل الصفحة لبدء إرسال جديد",
                "Different input was already sent with this submission key. Reload the page to start a new submission",
            )
        }
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), status = 500, "storing a submission failed");
            internal_error()
        }
    }
}

/// The client's IP: the TCP peer, or the last `X-Forwarded-For` entry when
/// the operator said a trusted proxy sets it.
fn client_ip(req: &Request, trust_forwarded_for: bool) -> Option<IpAddr> {
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
            let mut resp = error_response(
                StatusCode::TOO_MANY_REQUESTS,
                "request",
                "rate_limited",
                "أُرسلت طلبات كثيرة من هذا الاتصال. انتظر قليلًا ثم حاول مرة أخرى",
                "Too many requests were sent from this connection. Wait a moment and try again",
            );
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            return resp;
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
        let mut fresh = match status {
            StatusCode::METHOD_NOT_ALLOWED => method_not_allowed(),
            StatusCode::NOT_FOUND => not_found(),
            StatusCode::PAYLOAD_TOO_LARGE => error_response(
                status,
                "body",
                "too_large",
                "الطلب أكبر من المسموح به",
                "The request is too large",
            ),
            s if s.is_server_error() => internal_error(),
            s => error_response(
                s,
                "request",
                "bad_request",
                "تعذّرت معالجة الطلب",
                "The request could not be processed",
            ),
        };
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
