//! Sending one submission to the secretariat endpoint over HTTP (gloo-net),
//! with a timeout, and the browser waits the retry loop needs. What to do
//! after each outcome is decided by the form's model (`form_model`).

use gloo_net::http::Request;
use imrf_contract::{
    ApiError, Submission, SubmissionAccepted, ValidationErrorBody, IDEMPOTENCY_HEADER,
};
use wasm_bindgen::{closure::Closure, JsCast};

use crate::form_model::AttemptOutcome;
use crate::retry_policy::{parse_retry_after, REQUEST_TIMEOUT_MS};

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
        Err(_) => AttemptOutcome::NotSent,
        Ok(request) => match request.send().await {
            Err(_) => AttemptOutcome::NoAnswer,
            Ok(response) => classify(response).await,
        },
    };
    if let (Some((_abort, Some(handle))), Some(window)) = (timeout, web_sys::window()) {
        window.clear_timeout_with_handle(handle);
    }
    outcome
}

/// Reads the answer into the contract's vocabulary.
async fn classify(response: gloo_net::http::Response) -> AttemptOutcome {
    let status = response.status();
    if status == 200 || status == 201 {
        return match response.json::<SubmissionAccepted>().await {
            Ok(body) => AttemptOutcome::Stored {
                reference: body.reference,
                replayed: status == 200,
                withdraw: body.withdraw_url,
            },
            Err(_) => AttemptOutcome::Unreadable {
                status,
                retry_after_s: None,
            },
        };
    }
    // Read on every error status: a 429 and a 503 may both say when to come back.
    let retry_after_s = response
        .headers()
        .get("retry-after")
        .and_then(|v| parse_retry_after(&v));
    let body = response.json::<ValidationErrorBody>().await.ok();
    match ApiError::read(status, body.as_ref(), retry_after_s) {
        Some(error) => AttemptOutcome::Refused {
            error,
            said: body.map(|b| b.errors).unwrap_or_default(),
        },
        None => AttemptOutcome::Unreadable {
            status,
            retry_after_s,
        },
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
