//! The form posted without JavaScript (`application/x-www-form-urlencoded`
//! to `POST /api/submissions`): the same steps and rules as the JSON path,
//! answered with pages instead of JSON: `303 See Other` to the receipt
//! (Post/Redirect/Get, so a reload never posts again), the form again with
//! its errors (`422`), or the problem (`4xx`/`5xx`), each rendered by the
//! app's own components into the language's document. API.md, "The form
//! without JavaScript", is the contract.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use imrf_contract::form_post::{self, FormPost};
use imrf_contract::{
    page_message, ApiError, FieldError, Lang, PageMessage, Submission, ValidationErrorBody,
};
use imrf_release::embedding::View;
use imrf_release::pages::{FormState, Place, Shell};
use serde::Deserialize;

use crate::api::{self, AppState, SharedState, Stored};
use crate::documents::{now_ms, stamp_shown_at, Documents};
use crate::language;
use crate::metrics::{CountedAs, Flagged};
use crate::security_headers::{RenderedPage, SecurityHeaders};
use crate::shown_at::ShownAtKey;
use crate::store::{self, Flag};
use crate::withdrawal_link::{self, WithdrawalKey};

/// The media type of a form posted by a browser without JavaScript.
pub const FORM: &str = "application/x-www-form-urlencoded";

pub fn is_form_post(headers: &HeaderMap) -> bool {
    api::media_type(headers) == FORM
}

/// Where an answer is shown: the visitor's language, and the document the
/// form was in (our page, or the embed in its view).
#[derive(Debug, Clone, Copy)]
pub(crate) struct At {
    pub lang: Lang,
    pub shell: Shell,
    pub view: View,
}

impl At {
    /// Before the body is read: the Referer's page, `Accept-Language`, Arabic.
    fn of_request(headers: &HeaderMap) -> At {
        let embed = language::referer_is_embed(headers);
        At {
            lang: language::of_request(headers),
            shell: if embed { Shell::Embed } else { Shell::Page },
            view: View::Full,
        }
    }

    /// From the form's own controls (`language`, `shell`, `view`).
    fn of_post(post: &FormPost) -> At {
        At::named(
            post.submission.language,
            post.shell.as_deref(),
            post.view.as_deref(),
        )
    }

    /// From a language and the wire names of a shell and a view (a query's
    /// or a form's); what is missing or unknown is our page, in full.
    pub(crate) fn named(lang: Lang, shell: Option<&str>, view: Option<&str>) -> At {
        At {
            lang,
            shell: shell.and_then(Shell::from_key).unwrap_or(Shell::Page),
            view: view.map_or(View::Full, View::from_key),
        }
    }
}

/// What the form path refuses with: a page, not a JSON body.
enum Refusal {
    /// The request or the store failed: the message, and the values when read.
    Problem {
        at: At,
        error: ApiError,
        sent: Option<Box<(Submission, Option<Shown>)>>,
    },
    /// The rules refused the values: the form again with every error.
    Refused {
        at: At,
        submission: Box<Submission>,
        errors: Vec<FieldError>,
        shown_at: Option<Shown>,
    },
}

/// A `shown_at` this server signed: its time, and the value as sent (which
/// goes back into a refused form unchanged, with the key it makes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shown {
    pub ms: u64,
    pub stamp: String,
}

impl Refusal {
    fn problem(at: At) -> impl FnOnce(ApiError) -> Refusal {
        move |error| Refusal::Problem {
            at,
            error,
            sent: None,
        }
    }

    fn into_response(self, docs: &Documents) -> Response {
        match self {
            Refusal::Problem { at, error, sent } => {
                let message = problem_message(&error, at.lang);
                let status = StatusCode::from_u16(error.status())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let (submission, shown_at) = match sent.as_deref() {
                    Some((s, shown_at)) => (Some(s), shown_at.clone()),
                    None => (None, None),
                };
                let state = FormState::Problem {
                    submission,
                    message: &message,
                };
                rendered(docs, at, &state, status, shown_at.as_ref())
            }
            Refusal::Refused {
                at,
                submission,
                errors,
                shown_at,
            } => {
                let state = FormState::Refused {
                    submission: &submission,
                    errors: &errors,
                };
                rendered(
                    docs,
                    at,
                    &state,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    shown_at.as_ref(),
                )
            }
        }
    }
}

/// The words for a refused request: the error's own, except a wrong
/// charset, which for a form is not about JSON.
fn problem_message(error: &ApiError, lang: Lang) -> String {
    match error {
        ApiError::UnsupportedMediaType => page_message(PageMessage::FormCharset, lang).to_string(),
        other => other.message(lang),
    }
}

/// `POST /api/submissions` with a form body.
pub async fn submit_form(
    app: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match form_steps(app, headers, body).await {
        Ok(response) => response,
        Err(refusal) => refusal.into_response(&app.documents),
    }
}

/// API.md's "Order of checks" for a form post, each step refusing with a page.
async fn form_steps(
    app: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Refusal> {
    let at = At::of_request(headers);
    if !app.form_origins.allows(headers) {
        tracing::info!(status = 403, "form post refused: from a site not listed");
        return Err(Refusal::problem(at)(ApiError::ForeignOrigin));
    }
    let body = api::read_body(body).map_err(Refusal::problem(at))?;
    api::require_media_type(headers, FORM).map_err(Refusal::problem(at))?;
    let post = parse_post(&body).map_err(Refusal::problem(at))?;
    let at = At::of_post(&post);
    let (raw, shown_at) = with_fill_time(post, now_ms(), app.documents.shown_at_key());
    let valid = api::validate_logged(&raw).map_err(|errors| Refusal::Refused {
        at,
        submission: Box::new(raw.clone()),
        errors,
        shown_at: shown_at.clone(),
    })?;
    let flag = form_bot_flag(
        valid.get(),
        shown_at.as_ref(),
        &app.documents,
        app.min_fill_ms,
    );
    let stored = api::store_logged(app, &valid, flag)
        .await
        .map_err(|error| Refusal::Problem {
            at,
            error,
            sent: Some(Box::new((raw, shown_at))),
        })?;
    Ok(see_other(at, stored, flag, &app.withdrawal_key))
}

fn parse_post(body: &[u8]) -> Result<FormPost, ApiError> {
    form_post::parse(body).map_err(|e| {
        tracing::info!(status = 400, reason = ?e, "form post rejected: malformed body");
        ApiError::MalformedBody
    })
}

/// The submission with its fill time: now − `shown_at` (0 when unknown or
/// in the future); `shown_at` counts only when this server signed it, and
/// the same time goes back into a refused form (so a person who corrects a
/// field quickly is not taken for a bot).
fn with_fill_time(post: FormPost, now: u64, key: &ShownAtKey) -> (Submission, Option<Shown>) {
    let shown_at = post.shown_at.and_then(|stamp| {
        let ms = key.read(&stamp)?;
        Some(Shown { ms, stamp })
    });
    let mut s = post.submission;
    s.fill_ms = shown_at.as_ref().map_or(0, |t| now.saturating_sub(t.ms));
    (s, shown_at)
}

/// The JSON path's flag, with the form's fill-time rule: an unknown time
/// (no `shown_at`) is too fast only when this server serves the documents,
/// since every form it gave out carries the time; a static host's copy has
/// none, and a person using it must not be flagged.
fn form_bot_flag(
    s: &Submission,
    shown_at: Option<&Shown>,
    docs: &Documents,
    min_fill_ms: u64,
) -> Option<Flag> {
    let time_known = shown_at.is_some() || docs.serves_documents();
    api::bot_flag(s, if time_known { min_fill_ms } else { 0 })
}

/// `303 See Other` to the receipt: a reload or back-and-forward of the
/// receipt is a GET, never the POST again.
fn see_other(at: At, stored: Stored, flag: Option<Flag>, key: &WithdrawalKey) -> Response {
    let (counted, reference) = match stored {
        Stored::Created(r) => (StatusCode::CREATED, r),
        Stored::Replayed(r) => (StatusCode::OK, r),
    };
    let location = receipt_location(at, &reference, &key.token(&reference));
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    response.extensions_mut().insert(CountedAs(counted));
    if counted == StatusCode::CREATED {
        response.extensions_mut().insert(Flagged(flag));
    }
    response
}

/// The receipt's address carries the withdrawal token: whoever has the
/// receipt may withdraw, whoever has only the reference may not.
fn receipt_location(at: At, reference: &str, token: &str) -> String {
    let mut location = format!(
        "/{}/receipt?reference={reference}&token={token}",
        at.lang.code()
    );
    if at.shell == Shell::Embed {
        location.push_str("&shell=embed&view=");
        location.push_str(at.view.key());
    }
    location
}

/// A request-level problem as a page in `at`'s language.
pub(crate) fn problem_page(docs: &Documents, at: At, error: ApiError) -> Response {
    Refusal::problem(at)(error).into_response(docs)
}

/// A page rendered into the language's document, with a fresh `shown_at`
/// (or the refused form's own), marked for the documents' headers.
pub(crate) fn rendered(
    docs: &Documents,
    at: At,
    state: &FormState,
    status: StatusCode,
    shown_at: Option<&Shown>,
) -> Response {
    let place = Place {
        lang: at.lang,
        shell: at.shell,
        view: at.view,
        action: docs.action(),
    };
    let stamp = match shown_at {
        Some(s) => s.stamp.clone(),
        None => docs.shown_at_key().stamp(now_ms()),
    };
    let html = stamp_shown_at(&docs.answer(&place, state), &stamp);
    let content_type = HeaderValue::from_static("text/html; charset=utf-8");
    let mut response = (status, [(header::CONTENT_TYPE, content_type)], html).into_response();
    response.extensions_mut().insert(RenderedPage {
        embed: at.shell == Shell::Embed,
    });
    response
}

/// The query of a receipt: `reference`, and for the embed `shell` and `view`.
#[derive(Debug, Default, Deserialize)]
pub struct ReceiptQuery {
    reference: Option<String>,
    token: Option<String>,
    shell: Option<String>,
    view: Option<String>,
}

/// `GET /{lang}/receipt?reference=REF`: the receipt, only for a reference
/// the database holds (nothing of the input is shown); otherwise 404.
pub async fn receipt(
    lang: Lang,
    State(app): State<SharedState>,
    query: Result<Query<ReceiptQuery>, QueryRejection>,
) -> Response {
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let at = At::named(lang, q.shell.as_deref(), q.view.as_deref());
    let reference = q.reference.filter(|r| store::is_reference(r));
    let found = match &reference {
        Some(r) => app.store.reference_exists(r).await,
        None => Ok(false),
    };
    let docs = &app.documents;
    match (found, reference.as_deref()) {
        (Ok(true), Some(reference)) => {
            let withdraw_href = q
                .token
                .as_deref()
                .filter(|t| app.withdrawal_key.verify(reference, t))
                .map(|t| withdrawal_link::href(at.lang, at.shell, at.view, reference, t));
            let state = FormState::Receipt {
                reference,
                withdraw_href: withdraw_href.as_deref(),
            };
            rendered(docs, at, &state, StatusCode::OK, None)
        }
        (Ok(_), _) => {
            let message = page_message(PageMessage::UnknownReference, lang);
            let state = FormState::Problem {
                submission: None,
                message,
            };
            rendered(docs, at, &state, StatusCode::NOT_FOUND, None)
        }
        (Err(e), _) => {
            tracing::error!(error = %format!("{e:#}"), status = 500, "reading a receipt failed");
            Refusal::problem(at)(ApiError::Internal).into_response(docs)
        }
    }
}

/// Answers a form post refused before its handler (size, timeout, rate
/// limit: JSON errors from the layers) with a page in the visitor's
/// language (Referer, `Accept-Language`, Arabic: the body was not read).
pub async fn form_errors(
    State((docs, security)): State<(Arc<Documents>, Arc<SecurityHeaders>)>,
    request: Request,
    next: Next,
) -> Response {
    let form = request.method() == Method::POST
        && request.uri().path() == imrf_contract::SUBMISSIONS_PATH
        && is_form_post(request.headers());
    let at = At::of_request(request.headers());
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !form
        || !is_json
        || !(response.status().is_client_error() || response.status().is_server_error())
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let body: Option<ValidationErrorBody> = serde_json::from_slice(&bytes).ok();
    let retry_after = parts
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let error = ApiError::read(parts.status.as_u16(), body.as_ref(), retry_after)
        .unwrap_or(ApiError::BadRequest);
    let mut page = Refusal::problem(at)(error).into_response(&docs);
    *page.status_mut() = parts.status;
    for name in [header::RETRY_AFTER, header::CONNECTION] {
        if let Some(v) = parts.headers.get(&name) {
            page.headers_mut().insert(name, v.clone());
        }
    }
    security.rendered_page(page.headers_mut(), at.shell == Shell::Embed);
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(shell: Shell, view: View) -> At {
        At {
            lang: Lang::En,
            shell,
            view,
        }
    }

    #[test]
    fn receipt_locations() {
        assert_eq!(
            receipt_location(at(Shell::Page, View::Full), "IMRF-ABC", "t0"),
            "/en/receipt?reference=IMRF-ABC&token=t0"
        );
        assert_eq!(
            receipt_location(at(Shell::Embed, View::FormOnly), "IMRF-ABC", "t0"),
            "/en/receipt?reference=IMRF-ABC&token=t0&shell=embed&view=form"
        );
    }

    #[test]
    fn fill_time_and_flags() {
        let key = ShownAtKey::new(vec![3; 32]);
        let signed = |ms: u64| format!("website=&shown_at={}", key.stamp(ms));
        let post = form_post::parse(signed(1000).as_bytes()).unwrap();
        let (s, shown) = with_fill_time(post, 4500, &key);
        assert_eq!(
            (s.fill_ms, shown.as_ref().map(|t| t.ms)),
            (3500, Some(1000))
        );
        let future = form_post::parse(signed(9000).as_bytes()).unwrap();
        assert_eq!(with_fill_time(future, 4500, &key).0.fill_ms, 0);
        // A time this server did not sign is no time at all.
        for forged in [
            "website=&shown_at=1000",
            "shown_at=1000.00000000000000000000000000000000",
        ] {
            let (_, none) =
                with_fill_time(form_post::parse(forged.as_bytes()).unwrap(), 4500, &key);
            assert_eq!(none, None, "{forged}");
        }

        let static_host = Documents::default();
        let (unknown, none) = with_fill_time(form_post::parse(b"").unwrap(), 4500, &key);
        assert_eq!(
            form_bot_flag(&unknown, none.as_ref(), &static_host, 3000),
            None
        );
        assert_eq!(
            form_bot_flag(&s, shown.as_ref(), &static_host, 3000),
            None,
            "3.5 s is long enough"
        );
        assert_eq!(
            form_bot_flag(&s, shown.as_ref(), &static_host, 4000),
            Some(Flag::TooFast)
        );
        let bot = form_post::parse(b"website=x").unwrap().submission;
        assert_eq!(
            form_bot_flag(&bot, None, &static_host, 3000),
            Some(Flag::Honeypot)
        );
    }
}
