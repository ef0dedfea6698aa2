//! Sending one submission to the secretariat endpoint over HTTP (gloo-net),
//! with a timeout, and the browser waits the retry loop needs. What to do
//! after each outcome is decided by `retry_policy` and the form.

use gloo_net::http::Request;
use imrf_contract::{
    FieldErrorBody, Submission, SubmissionAccepted, ValidationErrorBody, IDEMPOTENCY_HEADER,
};
use wasm_bindgen::{closure::Closure, JsCast};

use crate::retry_policy::{parse_retry_after, Failure, REQUEST_TIMEOUT_MS};

/// What one attempt came back with.
#[derive(Debug, Clone, PartialEq)]
pub enum AttemptOutcome {
    /// 201 or 200: stored (now, or by an earlier attempt with the same key).
    Accepted { reference: String },
    /// 400/422: the endpoint's field errors, in both languages.
    Invalid(Vec<FieldErrorBody>),
    /// 409: this key was already used for a different submission.
    Conflict,
    /// 413: the submission is larger than the endpoint accepts.
    TooLarge,
    /// Worth trying again: no answer, 5xx or 429.
    Retry(Failure),
    /// Anything else (a misconfigured endpoint URL, say).
    Unexpected(u16),
}

/// Posts the submission once, with the idempotency key in the header and the body.
pub async fn send_once(endpoint_url: &str, submission: &Submission) -> AttemptOutcome {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    // Abort after the timeout; the closure is dropped (and the timer cleared) after the await.
    let timeout = controller.clone().map(|c| {
        let abort = Closure::<dyn FnMut()>::new(move || c.abort());
        let handle = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                abort.as_ref().unchecked_ref(),
                REQUEST_TIMEOUT_MS as i32,
            )
            .ok()
        });
        (abort, handle)
    });
    let request = Request::post(endpoint_url)
        .header(IDEMPOTENCY_HEADER, &submission.idempotency_key)
        .abort_signal(signal.as_ref())
        .json(submission);
    let outcome = match request {
        Err(_) => AttemptOutcome::Unexpected(0),
        Ok(request) => match request.send().await {
            Err(_) => AttemptOutcome::Retry(Failure::Network),
            Ok(response) => classify(response).await,
        },
    };
    if let (Some((_abort, Some(handle))), Some(window)) = (timeout, web_sys::window()) {
        window.clear_timeout_with_handle(handle);
    }
    outcome
}

async fn classify(response: gloo_net::http::Response) -> AttemptOutcome {
    match response.status() {
        200 | 201 => match response.json::<SubmissionAccepted>().await {
            Ok(body) => AttemptOutcome::Accepted {
                reference: body.reference,
            },
            // A 2xx we cannot read may still mean "stored": retrying with the
            // same key is safe and will return the reference.
            Err(_) => AttemptOutcome::Retry(Failure::Server),
        },
        400 | 422 => match response.json::<ValidationErrorBody>().await {
            Ok(body) => AttemptOutcome::Invalid(body.errors),
            Err(_) => AttemptOutcome::Unexpected(response.status()),
        },
        409 => AttemptOutcome::Conflict,
        413 => AttemptOutcome::TooLarge,
        429 => AttemptOutcome::Retry(Failure::TooManyRequests {
            retry_after_s: response
                .headers()
                .get("retry-after")
                .and_then(|v| parse_retry_after(&v)),
        }),
        500..=599 => AttemptOutcome::Retry(Failure::Server),
        other => AttemptOutcome::Unexpected(other),
    }
}

/// Resolves after `ms` milliseconds.
pub async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether the browser believes it is online.
pub fn is_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// Resolves at the next `online` event.
pub async fn wait_until_online() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let options = web_sys::AddEventListenerOptions::new();
            options.set_once(true);
            let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
                "online", &resolve, &options,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
