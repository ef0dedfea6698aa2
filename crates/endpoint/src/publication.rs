//! The public record over HTTP: `/{lang}/inputs/` (the published inputs,
//! filtered and paged), `/{lang}/inputs/REFERENCE` (one in full; 404 when
//! never public, 410 once it was), the Atom feeds `/{lang}/inputs/feed.xml`
//! and the open data `/inputs.csv` and `/inputs.json`; and what crawlers
//! read of the public site, `/robots.txt` and `/sitemap.xml`
//! (`publication/crawlers.rs`). Every answer is read
//! from the store at the request (what the public may see is
//! `store/publication.rs`'s one condition), so a decision or a withdrawal
//! shows at the next request; answers carry an `ETag` and `Cache-Control:
//! no-cache` (a cache may keep them but must ask again each time).
//!
//! The pages are `imrf_release::published`'s, with no script at all: their
//! CSP allows the inlined stylesheet by its hash and nothing else.

use std::sync::Arc;

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use imrf_contract::{Lang, StakeholderGroup};
use imrf_release::published::filter::{page_count, ListQuery, PAGE_SIZE};
use imrf_release::published::{
    self, record_document, Counts, ListPage, PublishedInput, RecordPage,
};
use sha2::{Digest, Sha256};

use crate::api::SharedState;
use crate::security_headers::SecurityHeaders;
use crate::store::{is_reference, Lookup, PublishedRow, RecordFilter};

pub mod crawlers;
pub mod export_site;
mod feed;
pub(crate) use feed::xml_text;
mod open_data;

/// The record's routes.
pub fn routes(app: SharedState, headers: Arc<SecurityHeaders>) -> Router {
    let mut router = Router::new()
        .route(published::CSV_PATH, get(open_data::csv))
        .route(published::JSON_PATH, get(open_data::json));
    for lang in Lang::ALL {
        let list = published::list_path(lang);
        let bare = list.trim_end_matches('/').to_string();
        let target = list.clone();
        router = router
            .route(&list, get(move |s, q, h| list_page(lang, s, q, h)))
            .route(
                &bare,
                get(move |RawQuery(q): RawQuery| async move {
                    let query = q.map(|q| format!("?{q}")).unwrap_or_default();
                    Redirect::permanent(&format!("{target}{query}"))
                }),
            )
            .route(
                &published::feed_path(lang),
                get(move |s, h| feed::feed(lang, s, h)),
            )
            .route(
                &format!("{list}{{reference}}"),
                get(move |s, r, h| input_page(lang, s, r, h)),
            );
    }
    let csp = app.record.csp.clone();
    router
        .layer(axum::middleware::from_fn_with_state(
            (headers, csp),
            record_headers,
        ))
        // brotli or gzip as the client asks, as the site's own files.
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(app)
}

/// The site's security headers, with the record's CSP.
async fn record_headers(
    State((headers, csp)): State<(Arc<SecurityHeaders>, HeaderValue)>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    headers.record(response.headers_mut(), csp);
    response
}

/// A stored row as the pages show it.
pub(super) fn shown(row: PublishedRow) -> PublishedInput {
    let text_lang = row
        .language
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or_default();
    PublishedInput {
        reference: row.reference,
        received: row.received_at,
        published: row.published_at,
        text_lang,
        name: row.name,
        organisation: row.organisation,
        country: row.country,
        group: StakeholderGroup::from_key(&row.stakeholder_group),
        group_other: row.stakeholder_group_other,
        title: row.title,
        input: row.input,
        link: row.link,
        edited: row.edited_by_secretariat,
    }
}

fn store_filter(query: &ListQuery) -> RecordFilter {
    let f = query.filter;
    RecordFilter {
        group: f.group.map(|g| g.key().to_string()),
        country: f.country.map(str::to_string),
        language: f.language.map(|l| l.code().to_string()),
    }
}

fn counts_of(c: crate::store::RecordCounts) -> Counts {
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Counts {
        total: n(c.total),
        by_group: c
            .by_group
            .into_iter()
            .map(|(g, count)| (StakeholderGroup::from_key(&g), n(count)))
            .collect(),
        by_country: c.by_country.into_iter().map(|(k, v)| (k, n(v))).collect(),
    }
}

/// `GET /{lang}/inputs/`.
async fn list_page(
    lang: Lang,
    State(app): State<SharedState>,
    RawQuery(raw): RawQuery,
    request_headers: HeaderMap,
) -> Response {
    let raw = raw.unwrap_or_default();
    let query = ListQuery::parse(&raw);
    let path = published::list_path(lang);
    let site = app.record.site();
    let filter = store_filter(&query);
    let counted = match (
        app.store.published_counts(&filter).await,
        app.store.published_counts(&RecordFilter::default()).await,
    ) {
        (Ok(c), Ok(all)) => (counts_of(c), all.by_country),
        (Err(e), _) | (_, Err(e)) => return failed(e),
    };
    let (counts, all_countries) = counted;
    let pages = page_count(counts.total);
    let page = match query.page {
        Some(p) if p <= pages => p,
        _ => {
            let doc = record_document(lang, &site, &path, &RecordPage::NoSuchPage);
            return html(StatusCode::NOT_FOUND, doc, &request_headers);
        }
    };
    let offset = i64::from(page - 1) * i64::from(PAGE_SIZE);
    let rows = match app
        .store
        .published_page(&filter, i64::from(PAGE_SIZE), offset)
        .await
    {
        Ok(rows) => rows,
        Err(e) => return failed(e),
    };
    let items: Vec<PublishedInput> = rows.into_iter().map(shown).collect();
    let countries: Vec<String> = all_countries.into_iter().map(|(code, _)| code).collect();
    let list = ListPage {
        query,
        page,
        items: &items,
        counts: &counts,
        countries: &countries,
    };
    // The page's own address as the filters understood it, never the raw query.
    let path_and_query = format!("{path}{}", query.filter.query(page));
    let doc = record_document(lang, &site, &path_and_query, &RecordPage::List(list));
    html(StatusCode::OK, doc, &request_headers)
}

/// `GET /{lang}/inputs/REFERENCE`.
async fn input_page(
    lang: Lang,
    State(app): State<SharedState>,
    UrlPath(reference): UrlPath<String>,
    request_headers: HeaderMap,
) -> Response {
    let site = app.record.site();
    let path = published::input_path(lang, &reference);
    let lookup = if is_reference(&reference) {
        match app.store.published_input(&reference).await {
            Ok(l) => l,
            Err(e) => return failed(e),
        }
    } else {
        Lookup::NotPublished
    };
    let (status, doc) = match lookup {
        Lookup::Published(row) => {
            let input = shown(*row);
            let doc = record_document(lang, &site, &path, &RecordPage::Input(&input));
            (StatusCode::OK, doc)
        }
        Lookup::NoLongerPublished => (
            StatusCode::GONE,
            record_document(lang, &site, &path, &RecordPage::NoLongerPublished),
        ),
        Lookup::NotPublished => (
            StatusCode::NOT_FOUND,
            record_document(lang, &site, &path, &RecordPage::NotPublished),
        ),
    };
    html(status, doc, &request_headers)
}

/// A store failure: logged, answered 500 with the API's body (no detail).
fn failed(e: anyhow::Error) -> Response {
    tracing::error!(error = %format!("{e:#}"), status = 500, "reading the public record failed");
    crate::error_response::ErrorResponse(imrf_contract::ApiError::Internal).into_response()
}

/// The strong validator of an answer's body.
fn etag_of(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    let tag = format!("\"{}\"", crate::store::hex(&digest[..16]));
    HeaderValue::from_str(&tag).expect("hex is a valid header value")
}

/// An answer of the record: `304` when the client's copy is this one.
pub(crate) fn answer(
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
    request_headers: &HeaderMap,
) -> Response {
    let etag = etag_of(&body);
    let fresh = status == StatusCode::OK
        && request_headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == etag)
            });
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::ETAG, etag),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (status, headers, body).into_response()
}

fn html(status: StatusCode, doc: String, request_headers: &HeaderMap) -> Response {
    answer(
        status,
        "text/html; charset=utf-8",
        doc.into_bytes(),
        request_headers,
    )
}
