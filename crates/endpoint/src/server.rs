//! The router, its layers, and the serve loop with graceful shutdown.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{middleware, Router};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::api::{self, AppState, SharedState};
use crate::config::{parse_origin, ServeArgs};
use crate::documents::{self, Documents};
use crate::form_path;
use crate::metrics::{self, Metrics};
use crate::origin_policy::{FormOrigins, Partners};
use crate::security_headers::{self, SecurityHeaders};
use crate::store::Store;
use crate::withdrawal;
use imrf_contract::Lang;

/// Whether a path names a build artifact whose name carries its content hash
/// (`imrf-release-<hex>_bg.wasm`, `main-<hex>.css`, ...): such a file
/// never changes, so browsers may keep it for a year. Trunk writes the 64-bit
/// hash in hex without leading zeros, so one name in sixteen has 15 digits
/// (`main-80ab92a202c2e09.css` was one); 12 or more digits is still a hash.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// Hashed artifacts are cached for good; everything else (index.html, the
/// stable-named widget.js and embed.html) is revalidated on every visit so a
/// new release reaches visitors and partner pages at once.
async fn cache_policy(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    // A build artifact that is not there (an old release's file) is a 404
    // (`crate::not_found`), revalidated like any answer that is no success.
    let value = if hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    vary_accept_encoding(response.headers_mut());
    response
}

/// Every public file may be answered in another encoding (a `.br`/`.gz`
/// copy, or compressed on the fly), so a shared cache must key its copies
/// by `Accept-Encoding`: without `Vary` it could hand brotli to a client that
/// cannot read it. The compression layer adds it only when it compresses.
fn vary_accept_encoding(headers: &mut HeaderMap) {
    let named = headers.get_all(header::VARY).iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',').any(|name| {
                let name = name.trim();
                name == "*" || name.eq_ignore_ascii_case("accept-encoding")
            })
        })
    });
    if !named {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

/// The longest path segment a file of the static directory can be named
/// by: the system's 255 bytes, less the 3 of a `.br`/`.gz` copy's suffix.
const MAX_SEGMENT_BYTES: usize = 255 - 3;
/// The longest path the system opens (PATH_MAX, 4096 with its NUL), less
/// room for `/index.html` and a `.br` suffix.
const MAX_PATH_BYTES: usize = 4095 - 16;

/// The length of a URL path segment once percent-decoded.
fn decoded_len(segment: &str) -> usize {
    let bytes = segment.as_bytes();
    let escapes = (0..bytes.len())
        .filter(|&i| {
            bytes[i] == b'%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        })
        .count();
    bytes.len() - 2 * escapes
}

/// A path no file of `dir` can have: a segment over [`MAX_SEGMENT_BYTES`]
/// or, with the directory, a path over [`MAX_PATH_BYTES`] (the system
/// would refuse to open it, which the file service answers with a 500).
fn unservable(dir_len: usize, path: &str) -> bool {
    let segments: Vec<usize> = path.split('/').map(decoded_len).collect();
    segments.iter().any(|&n| n > MAX_SEGMENT_BYTES)
        || dir_len + segments.iter().map(|n| n + 1).sum::<usize>() > MAX_PATH_BYTES
}

/// Answers `404` for a path no file can have, before the file service
/// tries to open it (issue 27: these were unlogged 500s).
async fn unservable_paths(
    State(dir_len): State<usize>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    if unservable(dir_len, request.uri().path()) {
        tracing::info!(status = 404, "static path longer than any file name");
        return api::not_found();
    }
    next.run(request).await
}

/// A `Range` the file service may honour: one `bytes` range
/// (`bytes=0-99`, `bytes=100-`, `bytes=-50`), the unit in any case.
fn single_byte_range(value: &str) -> Option<String> {
    let (unit, spec) = value.trim().split_once('=')?;
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return None;
    }
    let (first, last) = spec.trim().split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match (first.is_empty(), last.is_empty()) {
        (false, true) => digits(first),
        (true, false) => digits(last),
        (false, false) => digits(first) && digits(last),
        (true, true) => false,
    };
    ok.then(|| format!("bytes={first}-{last}"))
}

/// Ignores a `Range` the file service would answer with 416 although the
/// file is there: an unknown unit (RFC 9110 says to ignore it), several
/// ranges (no multipart answers here) or a malformed one. The whole file
/// is sent instead (`200`); one satisfiable byte range still gets `206`.
async fn ignore_odd_ranges(
    mut request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let ranges = request.headers().get_all(header::RANGE).iter().count();
    if ranges > 0 {
        let single = (ranges == 1)
            .then(|| request.headers().get(header::RANGE))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(single_byte_range)
            .and_then(|v| HeaderValue::from_str(&v).ok());
        match single {
            Some(v) => {
                request.headers_mut().insert(header::RANGE, v);
            }
            None => {
                request.headers_mut().remove(header::RANGE);
            }
        }
    }
    next.run(request).await
}

/// A redirect's target kept on this site: the file service redirects a
/// folder to its name with a slash, built from the request target, so
/// `//en` became `//en/` (another host to a browser) and an absolute-form
/// target `http://elsewhere.example/en` named that host.
fn on_site(location: &str) -> String {
    let path = match location.split_once("://") {
        Some((scheme, rest)) if !scheme.contains('/') => rest.find('/').map_or("/", |i| &rest[i..]),
        _ => location,
    };
    format!("/{}", path.trim_start_matches(['/', '\\']))
}

/// Keeps every redirect of the public files on this site ([`on_site`]).
async fn same_site_redirects(request: axum::extract::Request, next: middleware::Next) -> Response {
    let mut response = next.run(request).await;
    if response.status().is_redirection() {
        let safe = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(on_site)
            .and_then(|l| HeaderValue::from_str(&l).ok());
        match safe {
            Some(l) => {
                response.headers_mut().insert(header::LOCATION, l);
            }
            None => {
                response.headers_mut().remove(header::LOCATION);
            }
        }
    }
    response
}

/// The partner sites, once for the three doors (`origin_policy`): the
/// API's CORS policy, who may frame embed.html, and the form posted without
/// JavaScript.
fn partners(args: &ServeArgs) -> Result<Partners> {
    let parse = |list: &[String], star: bool| {
        list.iter()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
            .map(|o| {
                if star && o == "*" {
                    Ok(o.to_string())
                } else {
                    parse_origin(o).map_err(anyhow::Error::msg)
                }
            })
            .collect::<Result<Vec<_>>>()
    };
    Partners::decide(
        parse(&args.cors_origins, false)?,
        args.cors_allow_any_origin,
        parse(&args.frame_ancestors, true)?,
    )
    .map_err(anyhow::Error::msg)
}

fn api_cors(partners: &Partners) -> Result<CorsLayer> {
    let allow = match &partners.api {
        FormOrigins::Any => AllowOrigin::any(),
        FormOrigins::Listed(origins) => AllowOrigin::list(
            origins
                .iter()
                .map(|o| {
                    HeaderValue::from_str(o).context("CORS origin is not a valid header value")
                })
                .collect::<Result<Vec<_>>>()?,
        ),
    };
    Ok(CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::POST, Method::GET, Method::OPTIONS])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600)))
}

/// The documents' CSP: `--csp`, allowing the configured endpoint's origin
/// and the inline boot script and stylesheet of the built page (their
/// `'sha256-...'` sources, read from its meta CSP).
fn documents_csp(args: &ServeArgs) -> Result<String> {
    let csp = match &args.endpoint_url {
        Some(url) => {
            let url = documents::check_endpoint_url(url)?;
            documents::allow_endpoint(&args.csp, documents::endpoint_origin(&url)?.as_deref())
        }
        None => args.csp.clone(),
    };
    let index = args
        .static_dir
        .as_ref()
        .and_then(|dir| std::fs::read_to_string(dir.join("index.html")).ok());
    Ok(match index {
        Some(html) => documents::allow_inline_hashes(&csp, &html),
        None => csp,
    })
}

/// The documents of `--static-dir` (rewritten for `--endpoint-url`), or
/// none: the answers to a form post then use a bare document.
pub fn documents(args: &ServeArgs) -> Result<Documents> {
    let Some(dir) = &args.static_dir else {
        return Ok(Documents::default());
    };
    let url = match &args.endpoint_url {
        Some(url) => Some(documents::check_endpoint_url(url)?),
        None => None,
    };
    Documents::load(dir, url.as_deref())
}

/// `--metrics-token`, checked: long enough not to be guessed, and a
/// value an `Authorization` header can carry.
fn metrics_token(args: &ServeArgs) -> Result<Option<String>> {
    let Some(token) = args.metrics_token.as_deref().map(str::trim) else {
        return Ok(None);
    };
    if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        anyhow::bail!(
            "--metrics-token: expected at least 16 visible ASCII characters, no spaces \
             (for example from `openssl rand -hex 32`)"
        );
    }
    Ok(Some(token.to_string()))
}

/// `POST /api/submissions`: the app's JSON, or a form posted without
/// JavaScript (form-urlencoded), each answered by its own path.
async fn submissions_post(
    State(app): State<SharedState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if form_path::is_form_post(&headers) {
        form_path::submit_form(&app, &headers, body).await
    } else {
        api::submit(State(app), headers, body).await.into_response()
    }
}

pub fn router(app: SharedState, args: &ServeArgs) -> Result<Router> {
    let documents = app.documents.clone();
    let counters = Arc::new(Metrics::new());
    let access = metrics::Access {
        token: metrics_token(args)?,
    };
    let partners = partners(args)?;
    let framers = match &partners.frame {
        FormOrigins::Any => vec!["*".to_string()],
        FormOrigins::Listed(list) => list.clone(),
    };
    let headers = Arc::new(SecurityHeaders::new(
        &documents_csp(args)?,
        &framers,
        args.hsts_max_age,
    )?);

    let submissions = post(submissions_post)
        .layer(middleware::from_fn_with_state(app.clone(), api::rate_limit))
        .layer(middleware::from_fn_with_state(
            counters.clone(),
            metrics::track,
        ));

    // What a partner's page uses (sending, and the widget's check at load)
    // has the CORS policy; the console's routes (metrics, receipts,
    // withdrawals) stay same-origin, whatever the policy.
    let partner_routes = Router::new()
        .route(imrf_contract::SUBMISSIONS_PATH, submissions)
        .route(
            "/api/health",
            get(|State(app): State<SharedState>| async move {
                crate::health::health(&app.store, &app.write_check).await
            }),
        )
        .method_not_allowed_fallback(|| async { api::method_not_allowed() })
        .layer(api_cors(&partners)?);
    let api_routes = Router::new()
        .merge(partner_routes)
        .route(
            "/api/metrics",
            get(move |State(app): State<SharedState>, request: axum::extract::Request| {
                let counters = counters.clone();
                let access = access.clone();
                async move {
                    if !access.may_read(&request) {
                        tracing::info!(
                            status = 404,
                            "metrics refused: not a local client, or no --metrics-token"
                        );
                        return api::not_found();
                    }
                    let stored = app.store.stored_counts().await;
                    if let Err(e) = &stored {
                        tracing::error!(error = %format!("{e:#}"), "metrics: counting the submissions failed");
                    }
                    let outbox = app.store.outbox_counts().await;
                    if let Err(e) = &outbox {
                        tracing::error!(error = %format!("{e:#}"), "metrics: counting the outbox failed");
                    }
                    counters.render(stored.ok(), outbox.ok())
                }
            }),
        )
        .route(
            "/ar/receipt",
            get(|s, q| form_path::receipt(Lang::Ar, s, q)),
        )
        .route(
            "/en/receipt",
            get(|s, q| form_path::receipt(Lang::En, s, q)),
        )
        .route(
            "/ar/withdraw",
            get(|s, q| withdrawal::page(Lang::Ar, s, q))
                .post(|s, b| withdrawal::confirm(Lang::Ar, s, b)),
        )
        .route(
            "/en/withdraw",
            get(|s, q| withdrawal::page(Lang::En, s, q))
                .post(|s, b| withdrawal::confirm(Lang::En, s, b)),
        )
        .route("/api", any(|| async { api::not_found() }))
        .route("/api/{*rest}", any(|| async { api::not_found() }))
        .method_not_allowed_fallback(|| async { api::method_not_allowed() })
        .layer(DefaultBodyLimit::max(args.max_body_bytes))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(middleware::from_fn_with_state(
            headers.clone(),
            security_headers::api,
        ))
        .with_state(app.clone());

    let not_found_pages: crate::not_found::Pages = (app.clone(), headers.clone());
    // `/favicon.ico`, asked for by clients that read no `<link rel="icon">`,
    // is sent to the site's icon rather than to the not-found page.
    let site_routes = crate::publication::crawlers::routes()
        .route(
            "/favicon.ico",
            get(|| async {
                axum::response::Redirect::permanent(&format!(
                    "/{}",
                    imrf_release::plain_page::FAVICON
                ))
            }),
        )
        .layer(middleware::from_fn_with_state(
            headers.clone(),
            security_headers::api,
        ))
        .with_state(app.clone());
    let mut router = api_routes
        .merge(site_routes)
        .merge(crate::publication::routes(app.clone(), headers.clone()))
        .merge(crate::console::routes(app, headers.clone()));
    if let Some(dir) = &args.static_dir {
        // No fallback file: a path no file has is a 404 here, which
        // `not_found::pages` answers with the not-found document.
        let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
        let static_service = tower::ServiceBuilder::new()
            .layer(CompressionLayer::new())
            .layer(middleware::from_fn_with_state(
                not_found_pages,
                crate::not_found::pages,
            ))
            .layer(middleware::from_fn(same_site_redirects))
            .layer(middleware::from_fn(cache_policy))
            .layer(middleware::from_fn_with_state(
                headers.clone(),
                security_headers::public_files,
            ))
            .layer(CompressionLayer::new())
            // Before the documents: a path no file can have is not looked up.
            .layer(middleware::from_fn_with_state(
                std::path::absolute(dir).map_or(dir.as_os_str().len(), |d| d.as_os_str().len()),
                unservable_paths,
            ))
            .layer(middleware::from_fn_with_state(
                documents.clone(),
                documents::serve_configured,
            ))
            .layer(middleware::from_fn(ignore_odd_ranges))
            .service(files);
        router = router.fallback_service(static_service);
    } else {
        router = router.fallback(move |request| {
            crate::not_found::fallback(State(not_found_pages.clone()), request)
        });
    }

    let request_limits = crate::listener::RequestLimits {
        max_body_bytes: args.max_body_bytes,
        body_read: Duration::from_secs(args.body_read_timeout_secs),
    };
    Ok(router
        .layer(middleware::from_fn_with_state(
            request_limits,
            crate::listener::guard_request,
        ))
        .layer(middleware::from_fn(api::json_errors))
        .layer(middleware::from_fn_with_state(
            (documents, headers),
            crate::form_path::form_errors,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(middleware::from_fn(head_as_get)))
}

/// `HEAD` answers as `GET` does, without the body: the request is handled
/// as a `GET` (every route, document and file the same way), and the body
/// dropped; its length, when known, stays in `Content-Length`.
async fn head_as_get(mut request: axum::extract::Request, next: middleware::Next) -> Response {
    if request.method() != Method::HEAD {
        return next.run(request).await;
    }
    *request.method_mut() = Method::GET;
    let (mut parts, body) = next.run(request).await.into_parts();
    let known = axum::body::HttpBody::size_hint(&body).exact();
    if let Some(length) = known.filter(|_| !parts.headers.contains_key(header::CONTENT_LENGTH)) {
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    Response::from_parts(parts, axum::body::Body::empty())
}

/// Resolves on SIGTERM or Ctrl-C. The handlers are installed before this
/// returns the future, so a signal right after start-up is not lost.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("installing the SIGTERM handler")?;
    Ok(async move {
        #[cfg(unix)]
        let term = term.recv();
        #[cfg(not(unix))]
        let term = std::future::pending::<Option<()>>();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term => {}
        }
    })
}

pub async fn serve(args: ServeArgs) -> Result<()> {
    let public_url = args.public_url.as_deref().filter(|u| !u.trim().is_empty());
    if let Some(u) = public_url {
        crate::mail::parse_public_url(u)?;
    }
    let mail = crate::mail::MailConfig::from_args(&args.mail, public_url)?;
    tracing::info!("partners: {}", partners(&args)?.summary());
    let mut store = Store::connect(&args.db.database_url, true).await?;
    let wake = Arc::new(tokio::sync::Notify::new());
    match &mail {
        None => tracing::info!(
            "mail: no --smtp-url, so no input is sent to the secretariat's mailbox (they are stored only)"
        ),
        Some(cfg) => {
            tracing::info!(
                server = %cfg.server,
                to = %cfg.secretariat,
                from = %cfg.from,
                "mail: every input is sent to the secretariat's mailbox"
            );
            store = store.queue_mail(&cfg.message_id_domain, wake.clone());
        }
    }
    // Bound before the state: the console's address (its passkeys' origin)
    // is the port actually bound when there is no public address.
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    let addr = listener.local_addr()?;
    let console =
        crate::console_site::ConsoleSite::new(args.static_dir.as_deref(), public_url, addr)?;
    tracing::info!(origin = %console.origin, "console: passkeys are bound to this origin");
    let app = Arc::new(AppState {
        console,
        store: store.clone(),
        documents: Arc::new(
            documents(&args)?.with_shown_at_key(crate::shown_at::ShownAtKey::new(
                store.server_key(crate::shown_at::KEY_NAME).await?,
            )),
        ),
        min_fill_ms: args.min_fill_ms,
        limiter: api::limiter(args.rate_limit_per_minute),
        trust_forwarded_for: args.trust_forwarded_for,
        write_check: Default::default(),
        form_origins: partners(&args)?.form,
        withdrawal_key: crate::withdrawal_link::WithdrawalKey::new(
            store.server_key(crate::withdrawal_link::KEY_NAME).await?,
        ),
        record: crate::record_site::RecordSite::new(args.static_dir.as_deref(), public_url)?,
    });
    api::spawn_limiter_housekeeping(app.clone());
    if let Some(cfg) = mail {
        let key = app.withdrawal_key.clone();
        crate::mail::worker::spawn(store.clone(), Arc::new(cfg), key, wake);
    }
    let router = router(app, &args)?;

    let signal = shutdown_signal()?;

    let stop = Arc::new(tokio::sync::Notify::new());
    let stop_wait = stop.clone();
    let limits = crate::listener::ConnLimits {
        header_read: Duration::from_secs(args.header_read_timeout_secs),
        max_connections: args.max_connections as usize,
    };
    let mut server = tokio::spawn(async move {
        crate::listener::serve(listener, router, limits, async move {
            stop_wait.notified().await
        })
        .await
    });

    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{addr}")?;
        out.flush()?;
    }
    tracing::info!(%addr, "listening");

    tokio::select! {
        () = signal => {
            tracing::info!("shutting down: finishing requests in flight");
            stop.notify_one();
            let grace = Duration::from_secs(args.shutdown_grace_secs);
            match tokio::time::timeout(grace, &mut server).await {
                Ok(res) => res.context("server task")?.context("server")?,
                Err(_) => {
                    tracing::warn!("requests still in flight after the grace period; stopping anyway");
                    server.abort();
                }
            }
        }
        res = &mut server => {
            res.context("server task")?.context("server")?;
        }
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

#[cfg(test)]
mod path_tests {
    use super::{on_site, single_byte_range, unservable};

    #[test]
    fn only_one_byte_range_is_honoured() {
        assert_eq!(single_byte_range("bytes=0-9").as_deref(), Some("bytes=0-9"));
        assert_eq!(single_byte_range("Bytes=5-").as_deref(), Some("bytes=5-"));
        assert_eq!(single_byte_range("bytes=-5").as_deref(), Some("bytes=-5"));
        for odd in [
            "items=0-9",
            "bytes=0-1,3-4",
            "bytes=x-",
            "bytes=-",
            "bytes",
            "",
        ] {
            assert_eq!(single_byte_range(odd), None, "{odd}");
        }
    }

    #[test]
    fn redirects_stay_on_the_site() {
        assert_eq!(on_site("/en/"), "/en/");
        assert_eq!(on_site("//en/"), "/en/");
        assert_eq!(on_site("/\\en/"), "/en/");
        assert_eq!(on_site("http://elsewhere.example/en/"), "/en/");
        assert_eq!(on_site("http://elsewhere.example"), "/");
        assert_eq!(on_site("/en/?lang=x://y"), "/en/?lang=x://y");
    }

    #[test]
    fn paths_no_file_can_have() {
        assert!(!unservable(20, "/en/index.html"));
        assert!(!unservable(20, &format!("/{}", "a".repeat(252))));
        assert!(unservable(20, &format!("/{}", "a".repeat(253))));
        assert!(unservable(20, &format!("/{}", "%61".repeat(253))));
        assert!(!unservable(20, &format!("/{}", "%61".repeat(252))));
        assert!(unservable(20, &"/a".repeat(2100)));
        assert!(!unservable(20, &"/a".repeat(1000)));
    }
}

#[cfg(test)]
mod cache_tests {
    use super::is_hashed_asset;

    #[test]
    fn hashed_artifacts_are_recognised() {
        assert!(is_hashed_asset("/imrf-release-b745c270bd10d111_bg.wasm"));
        assert!(is_hashed_asset("/imrf-release-b745c270bd10d111.js"));
        assert!(is_hashed_asset("/main-7680f21d46fcb159.css"));
        assert!(is_hashed_asset("/loader-502bcaad6593833a.js"));
        assert!(is_hashed_asset("/main-80ab92a202c2e09.css"));
        assert!(!is_hashed_asset("/main-80ab92a.css"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/widget.js"));
        assert!(!is_hashed_asset("/lang-boot.js"));
        assert!(!is_hashed_asset("/imrf-frame-host.js"));
        assert!(!is_hashed_asset("/main-zzzzzzzzzzzzzzzz.css"));
    }
}
