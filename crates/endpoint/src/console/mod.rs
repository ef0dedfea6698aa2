//! The secretariat's console at `/secretariat/` (issue 23): staff sign in
//! with passkeys (`passkey`), sessions live in the database (`session`),
//! the pages are `imrf_release::console`'s documents (`pages`). Every
//! state-changing request must come from this site's own pages
//! (`policy::same_origin`, checked here for every console route), and
//! every answer carries the console's CSP, `no-store` and no referrer.
//! `staff_command` is `imrf-endpoint staff`.

mod pages;
mod passkey;
pub mod policy;
mod session;
pub mod staff_command;
pub mod token;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get, post};
use axum::Router;
use imrf_contract::Lang;
use imrf_release::console as docs;

use crate::api::SharedState;
use crate::security_headers::SecurityHeaders;

/// The client's IP as the logs and the sign-in limit see it.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// The console's one script (the passkey ceremonies).
const SCRIPT: &str = include_str!("../../../../web/console.js");

/// The console's routes.
pub fn routes(app: SharedState, headers: Arc<SecurityHeaders>) -> Router {
    let mut router = Router::new()
        .route(
            "/secretariat",
            get(|| async { Redirect::permanent(docs::ROOT) }),
        )
        .route(docs::ROOT, get(pages::negotiate))
        .route(docs::SCRIPT_PATH, get(script))
        .route("/secretariat/enrol/{token}", get(pages::enrol_negotiated))
        .route(docs::SIGN_OUT_PATH, post(pages::sign_out))
        .route(
            docs::SIGN_OUT_EVERYWHERE_PATH,
            post(pages::sign_out_everywhere),
        )
        .route("/secretariat/api/enrol/start", post(passkey::enrol_start))
        .route("/secretariat/api/enrol/finish", post(passkey::enrol_finish))
        .route(
            "/secretariat/api/sign-in/start",
            post(passkey::sign_in_start),
        )
        .route(
            "/secretariat/api/sign-in/finish",
            post(passkey::sign_in_finish),
        )
        .route("/secretariat/api/inputs", get(pages::inputs_json))
        .route("/secretariat/api/{*rest}", any(pages::api_fallback));
    for lang in Lang::ALL {
        let home = docs::home_path(lang);
        router = router
            .route(&home, get(move |s, i, h, q| pages::list(lang, s, i, h, q)))
            .route(
                &format!("{home}inputs/{{reference}}"),
                get(move |s, i, h, r| pages::input(lang, s, i, h, r)),
            )
            .route(
                &format!("{home}inputs/{{reference}}/decide"),
                post(move |s, i, h, r, f| pages::decide(lang, s, i, h, r, f)),
            )
            .route(
                &format!("{home}inputs/{{reference}}/redaction"),
                post(move |s, i, h, r, f| pages::redact(lang, s, i, h, r, f)),
            )
            .route(
                &format!("{home}inputs/{{reference}}/notes"),
                post(move |s, i, h, r, f| pages::add_note(lang, s, i, h, r, f)),
            )
            .route(
                &format!("{home}enrol/{{token}}"),
                get(move |s, i, t| pages::enrol(lang, s, i, t)),
            )
            .route(
                &format!("{home}signed-out"),
                get(move |s| pages::signed_out(lang, s)),
            )
            .route(
                &format!("{home}staff"),
                get(move |s, i, h| pages::staff(lang, s, i, h)),
            );
    }
    let csp = app.console.csp.clone();
    router
        .route("/secretariat/{*rest}", any(pages::not_found))
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .layer(axum::middleware::from_fn_with_state(
            (headers, csp),
            console_headers,
        ))
        .with_state(app)
}

/// The language a console path names (`/secretariat/en/...`), else Arabic.
fn path_lang(path: &str) -> Lang {
    path.strip_prefix("/secretariat/")
        .and_then(|rest| rest.split('/').next())
        .and_then(Lang::from_tag)
        .unwrap_or(Lang::Ar)
}

/// Every console request: the client's IP noted, and a state-changing one
/// refused (403, with a page saying why, and logged) unless it came from
/// this site's own pages.
async fn guard(State(app): State<SharedState>, mut request: Request, next: Next) -> Response {
    let ip = crate::api::client_ip(&request, app.trust_forwarded_for)
        .map_or_else(|| "-".to_string(), |ip| ip.to_string());
    let h = request.headers();
    let text = |name: header::HeaderName| h.get(name).and_then(|v| v.to_str().ok());
    let verdict = policy::same_origin(
        request.method().as_str(),
        h.get("sec-fetch-site").and_then(|v| v.to_str().ok()),
        text(header::ORIGIN),
        text(header::HOST),
    );
    if let Err(why) = verdict {
        let path = request.uri().path().to_string();
        tracing::info!(status = 403, ?why, "console: cross-site request refused");
        if let Err(e) = app
            .store
            .log_staff_event(
                "-",
                "cross_site_refused",
                &ip,
                Some(&format!("{why:?} {path}")),
            )
            .await
        {
            tracing::error!(error = %format!("{e:#}"), "console: writing the security log failed");
        }
        if path.starts_with("/secretariat/api/") {
            return (
                StatusCode::FORBIDDEN,
                axum::Json(serde_json::json!({ "error": "cross_site" })),
            )
                .into_response();
        }
        return pages::forbidden(&app, path_lang(&path), docs::Forbidden::CrossSite);
    }
    request.extensions_mut().insert(ClientIp(ip));
    next.run(request).await
}

/// The console's headers on every answer.
async fn console_headers(
    State((headers, csp)): State<(Arc<SecurityHeaders>, HeaderValue)>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    headers.console(response.headers_mut(), csp);
    response
}

/// `GET /secretariat/console.js`.
async fn script() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        )],
        SCRIPT,
    )
        .into_response()
}
