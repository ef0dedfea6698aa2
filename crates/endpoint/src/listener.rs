//! The accept loop: HTTP/1.1 connections with a header-read (and idle
//! keep-alive) timeout, a body-read timeout, a connection cap, answers to
//! half-closed clients, refusal by declared length, and a shutdown that does
//! not wait on connections that never sent a complete request.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

use crate::api::ErrorResponse;
use imrf_contract::ApiError;

/// Requests whose target is longer than this get `414` with the error body.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Requests with more headers than this, or more header bytes, get `431`
/// with the error body. Beyond hyper's own limits (100 headers,
/// [`HARD_MAX_HEADER_BYTES`]) hyper answers with an empty body.
pub const MAX_HEADERS: usize = 64;
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
pub const HARD_MAX_HEADER_BYTES: usize = 64 * 1024;

/// What the accept loop enforces, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Time to receive a complete request head, and the longest a kept-alive
    /// connection may sit idle.
    pub header_read: Duration,
    pub max_connections: usize,
}

/// What [`guard_request`] enforces before a handler runs.
#[derive(Debug, Clone, Copy)]
pub struct RequestLimits {
    pub max_body_bytes: usize,
    /// Time to receive the whole body once the head is in.
    pub body_read: Duration,
}

fn closing(mut resp: Response) -> Response {
    let headers = resp.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn too_large() -> Response {
    closing(ErrorResponse(ApiError::TooLarge).into_response())
}

fn body_timeout() -> Response {
    closing(ErrorResponse(ApiError::BodyTimeout).into_response())
}

fn body_unreadable() -> Response {
    closing(ErrorResponse(ApiError::MalformedBody).into_response())
}

/// Refuses what can be refused from the head alone (target too long, too
/// many or too large headers, a declared body over the limit: at once, so an
/// `Expect: 100-continue` client never gets `100 Continue`), then reads the
/// body within the body-read timeout and the size limit. The handler gets
/// the body in memory. (At shutdown a body still arriving is waited for, at
/// most the body-read timeout: it may be someone's submission.)
pub async fn guard_request(
    State(limits): State<RequestLimits>,
    req: Request,
    next: Next,
) -> Response {
    if req.uri().to_string().len() > MAX_URI_BYTES {
        return closing(ErrorResponse(ApiError::UriTooLong).into_response());
    }
    if !is_origin_or_absolute_form(req.uri()) {
        tracing::info!(status = 400, "request target not in origin form");
        return closing(ErrorResponse(ApiError::BadRequest).into_response());
    }
    let header_bytes: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if req.headers().len() > MAX_HEADERS || header_bytes > MAX_HEADER_BYTES {
        return closing(ErrorResponse(ApiError::HeadersTooLarge).into_response());
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        tracing::info!(status = 413, "request refused by its declared length");
        return too_large();
    }
    let (parts, body) = req.into_parts();
    let read = tokio::time::timeout(
        limits.body_read,
        Limited::new(body, limits.max_body_bytes).collect(),
    );
    let bytes = match read.await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => return too_large(),
        Ok(Err(_)) => return body_unreadable(),
        Err(_) => {
            tracing::info!(status = 408, "request body too slow");
            return body_timeout();
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether a request target is a path (`/x?y`, origin form) or an http(s)
/// URL (absolute form, which servers must accept, RFC 9112 §3.2.2). The
/// authority form (`x`, `mailto:x`) is for `CONNECT` to a proxy, the
/// asterisk form for a server-wide `OPTIONS`; neither names anything here.
fn is_origin_or_absolute_form(uri: &axum::http::Uri) -> bool {
    let path_ok = uri.path().starts_with('/');
    match (uri.scheme_str(), uri.authority()) {
        (None, None) => path_ok,
        (Some(scheme), Some(_)) => {
            path_ok && (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        }
        _ => false,
    }
}

/// Serves `router` on `listener` until `stop` resolves, then stops
/// accepting, closes connections that have not sent a complete request,
/// lets requests in flight finish, and returns when every connection is
/// closed (the caller bounds that wait with the grace period).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnLimits,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .max_header_size(HARD_MAX_HEADER_BYTES)
        // A client that shuts down its sending side after a complete
        // request still gets the answer.
        .half_close(true);
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors and the like: wait, then go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let started = Arc::new(AtomicBool::new(false));
        let service = {
            let (router, started) = (router.clone(), started.clone());
            hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
                started.store(true, Ordering::SeqCst);
                req.extensions_mut().insert(ConnectInfo(peer));
                let router = router.clone();
                async move { router.oneshot(req).await }
            })
        };
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let stop_rx = stop_rx.clone();
        tokio::spawn(async move {
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                () = stopped(stop_rx) => {
                    // Nothing asked yet: nothing to finish. Dropping the
                    // connection closes it.
                    if started.load(Ordering::SeqCst) {
                        conn.as_mut().graceful_shutdown();
                        let _ = conn.await;
                    }
                }
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a permit until it is closed.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = permits.acquire_many(all).await;
    Ok(())
}

/// Resolves once the server is stopping (or has stopped).
async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}
