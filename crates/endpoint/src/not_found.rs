//! The answer to an address no document, file or route has: `404` with the
//! not-found document (`imrf_release::not_found`), in the language the
//! address names or the request's (`crate::language::of_address`), with no
//! script and the record's strict policy (its inlined stylesheet by hash,
//! nothing else). Whatever made the 404 of the site's files (no such file,
//! a path no file can have, a spelling that would reach a document's file
//! on disk), a reader gets this page; an `/api/` path keeps its JSON.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use imrf_release::not_found::{not_found_document, root_from};

use crate::api::SharedState;
use crate::security_headers::SecurityHeaders;

/// What the answer needs: the record's stylesheet and policy, the headers.
pub type Pages = (SharedState, Arc<SecurityHeaders>);

/// What the answer depends on: the address asked for and the languages
/// the request accepts.
struct Asked {
    uri: axum::http::Uri,
    accept_language: Option<HeaderValue>,
}

impl Asked {
    fn of(request: &Request) -> Asked {
        Asked {
            uri: request.uri().clone(),
            accept_language: request.headers().get(header::ACCEPT_LANGUAGE).cloned(),
        }
    }
}

/// The 404 answer for `asked`.
fn answer(app: &SharedState, headers: &SecurityHeaders, asked: &Asked) -> Response {
    let uri = &asked.uri;
    let accept = asked.accept_language.as_ref().and_then(|v| v.to_str().ok());
    let (lang, negotiated) = crate::language::of_address(uri.path(), uri.query(), accept);
    let record = &app.record;
    let doc = not_found_document(lang, &root_from(uri.path()), record.stylesheet.as_deref());
    let mut response = (
        StatusCode::NOT_FOUND,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        doc,
    )
        .into_response();
    let h = response.headers_mut();
    headers.record(h, record.csp.clone());
    if negotiated {
        h.insert(header::VARY, HeaderValue::from_static("accept-language"));
    }
    response
}

fn reads(request: &Request) -> bool {
    matches!(*request.method(), Method::GET | Method::HEAD)
}

/// Over the site's files: any 404 they answer a read with becomes the
/// not-found document.
pub async fn pages(State((app, headers)): State<Pages>, request: Request, next: Next) -> Response {
    if !reads(&request) {
        return next.run(request).await;
    }
    let asked = Asked::of(&request);
    let response = next.run(request).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    tracing::info!(status = 404, "no document or file at this address");
    answer(&app, &headers, &asked)
}

/// Without `--static-dir`: every other address (`/api/` has its own).
pub async fn fallback(State((app, headers)): State<Pages>, request: Request) -> Response {
    if !reads(&request) {
        return crate::api::not_found();
    }
    answer(&app, &headers, &Asked::of(&request))
}
