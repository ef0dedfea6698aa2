//! The passkey ceremonies (webauthn-rs): enrolment with a one-time link,
//! and sign-in. Each is two JSON requests from `web/console.js`; the
//! state between them is kept in the database (`staff_ceremonies`), taken
//! once by the finish, so a replayed answer finds nothing. webauthn-rs
//! checks the challenge, the origin and the relying party id, the user
//! verification and the signature counter. Every sign-in, failure and
//! enrolment goes to the security log.

use axum::extract::{Extension, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use imrf_contract::Lang;
use serde::Deserialize;
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential,
};

use super::policy::{enrolment_usable, sign_in_allowed, CEREMONY_VALID, FAILURE_WINDOW};
use super::session::{self, clear_cookie, set_cookie};
use super::token::{is_token, new_token, token_hash};
use super::ClientIp;
use crate::api::SharedState;
use crate::store::{format_utc, hex, Ceremony, NewCeremony, StaffMember};

const REGISTER: &str = "register";
const AUTHENTICATE: &str = "authenticate";

/// A JSON answer with no data: the status and a stable code.
fn refused(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({ "error": code }))).into_response()
}

fn internal(e: anyhow::Error) -> Response {
    tracing::error!(error = %format!("{e:#}"), "console: passkey ceremony failed");
    refused(StatusCode::INTERNAL_SERVER_ERROR, "internal")
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn expired(at: &str) -> bool {
    OffsetDateTime::parse(at, &Rfc3339).map_or(true, |t| now() >= t)
}

fn lang_of(code: Option<&str>) -> Lang {
    code.and_then(Lang::from_tag).unwrap_or_default()
}

/// A new ceremony's id, saved with its state.
async fn save(
    app: &SharedState,
    kind: &str,
    staff_id: i64,
    enrolment_hash: Option<&str>,
    state: &str,
) -> anyhow::Result<String> {
    let id = new_token();
    let t = now();
    let (id_hash, expires_at) = (token_hash(&id), format_utc(t + CEREMONY_VALID));
    let ceremony = NewCeremony {
        id_hash: &id_hash,
        kind,
        staff_id,
        enrolment_hash,
        state,
        expires_at: &expires_at,
    };
    app.store.save_ceremony(&ceremony, &format_utc(t)).await?;
    Ok(id)
}

/// A ceremony taken by its id, if it is of `kind` and not past its time.
async fn take(app: &SharedState, id: &str, kind: &str) -> anyhow::Result<Option<Ceremony>> {
    if !is_token(id) {
        return Ok(None);
    }
    Ok(app
        .store
        .take_ceremony(&token_hash(id), kind)
        .await?
        .filter(|c| !expired(&c.expires_at)))
}

#[derive(Deserialize)]
pub struct EnrolStart {
    token: String,
}

/// `POST /secretariat/api/enrol/start`: the creation options for a usable link.
pub async fn enrol_start(
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    Json(body): Json<EnrolStart>,
) -> Response {
    match enrol_start_inner(&app, &ip, &body.token).await {
        Ok(r) => r,
        Err(e) => internal(e),
    }
}

async fn enrol_start_inner(
    app: &SharedState,
    ip: &ClientIp,
    token: &str,
) -> anyhow::Result<Response> {
    let site = &app.console;
    let enrolment = match is_token(token) {
        true => app.store.enrolment(&token_hash(token)).await?,
        false => None,
    };
    let Some(e) = enrolment.filter(|e| {
        OffsetDateTime::parse(&e.expires_at, &Rfc3339)
            .is_ok_and(|t| enrolment_usable(t, e.used, now()))
    }) else {
        app.store
            .log_staff_event(
                "-",
                "enrolment_refused",
                &ip.0,
                Some("link used, expired or unknown"),
            )
            .await?;
        return Ok(refused(StatusCode::GONE, "enrolment_link_not_usable"));
    };
    let existing: Vec<Passkey> = app
        .store
        .passkeys_of(e.staff.id)
        .await?
        .iter()
        .filter_map(|j| serde_json::from_str(j).ok())
        .collect();
    let exclude = existing
        .iter()
        .map(|p| p.cred_id().clone())
        .collect::<Vec<_>>();
    let handle = uuid::Uuid::parse_str(&e.staff.user_handle)?;
    let (options, state) = site.webauthn.start_passkey_registration(
        handle,
        &e.staff.email,
        &e.staff.email,
        Some(exclude),
    )?;
    let id = save(
        app,
        REGISTER,
        e.staff.id,
        Some(&token_hash(token)),
        &serde_json::to_string(&state)?,
    )
    .await?;
    Ok(Json(json!({ "ceremony": id, "options": options })).into_response())
}

#[derive(Deserialize)]
pub struct EnrolFinish {
    ceremony: String,
    credential: RegisterPublicKeyCredential,
    lang: Option<String>,
}

/// `POST /secretariat/api/enrol/finish`: the passkey stored, the link used,
/// and the person signed in, in one transaction.
pub async fn enrol_finish(
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    Json(body): Json<EnrolFinish>,
) -> Response {
    match enrol_finish_inner(&app, &ip, body).await {
        Ok(r) => r,
        Err(e) => internal(e),
    }
}

async fn enrol_finish_inner(
    app: &SharedState,
    ip: &ClientIp,
    body: EnrolFinish,
) -> anyhow::Result<Response> {
    let Some(c) = take(app, &body.ceremony, REGISTER).await? else {
        app.store
            .log_staff_event(
                "-",
                "enrolment_refused",
                &ip.0,
                Some("no such ceremony (replayed or expired)"),
            )
            .await?;
        return Ok(refused(StatusCode::UNAUTHORIZED, "ceremony_unknown"));
    };
    let Some(staff) = app.store.staff_by_id(c.staff_id).await? else {
        return Ok(refused(StatusCode::UNAUTHORIZED, "ceremony_unknown"));
    };
    let state: PasskeyRegistration = serde_json::from_str(&c.state)?;
    let passkey = match app
        .console
        .webauthn
        .finish_passkey_registration(&body.credential, &state)
    {
        Ok(p) => p,
        Err(e) => {
            app.store
                .log_staff_event(
                    &staff.email,
                    "enrolment_failed",
                    &ip.0,
                    Some(&e.to_string()),
                )
                .await?;
            return Ok(refused(StatusCode::UNAUTHORIZED, "passkey_not_accepted"));
        }
    };
    let session = new_token();
    let credential_id = hex(passkey.cred_id().as_ref());
    let done = app
        .store
        .finish_enrolment(
            c.enrolment_hash.as_deref().unwrap_or_default(),
            staff.id,
            &credential_id,
            &serde_json::to_string(&passkey)?,
            &token_hash(&session),
            &format_utc(now()),
        )
        .await?;
    if !done {
        app.store
            .log_staff_event(
                &staff.email,
                "enrolment_refused",
                &ip.0,
                Some("link used or expired"),
            )
            .await?;
        return Ok(refused(StatusCode::GONE, "enrolment_link_not_usable"));
    }
    app.store
        .log_staff_event(&staff.email, "enrolled", &ip.0, None)
        .await?;
    app.store
        .log_staff_event(&staff.email, "sign_in", &ip.0, Some("after enrolment"))
        .await?;
    Ok(signed_in(&session, lang_of(body.lang.as_deref())))
}

/// The answer that sets a new session's cookie.
fn signed_in(session: &str, lang: Lang) -> Response {
    let mut r = Json(json!({ "next": imrf_release::console::home_path(lang) })).into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, set_cookie(session));
    r
}

#[derive(Deserialize)]
pub struct SignInStart {
    email: String,
}

/// Whether more sign-ins may be tried for this address from this IP.
async fn may_try(app: &SharedState, ip: &ClientIp, email: &str) -> anyhow::Result<bool> {
    let since = format_utc(now() - FAILURE_WINDOW);
    let (by_address, by_ip) = app.store.sign_in_failures(&ip.0, email, &since).await?;
    Ok(sign_in_allowed(by_address, by_ip))
}

/// Counts and logs a failed sign-in; the answer (the same whatever failed).
async fn failed(
    app: &SharedState,
    ip: &ClientIp,
    email: &str,
    why: &str,
) -> anyhow::Result<Response> {
    let t = now();
    app.store
        .record_sign_in_failure(
            &ip.0,
            email,
            &format_utc(t),
            &format_utc(t - time::Duration::days(1)),
        )
        .await?;
    app.store
        .log_staff_event(email, "sign_in_failed", &ip.0, Some(why))
        .await?;
    tracing::info!(status = 401, "console: sign-in failed");
    Ok(refused(StatusCode::UNAUTHORIZED, "sign_in_failed"))
}

async fn too_many(app: &SharedState, ip: &ClientIp, email: &str) -> anyhow::Result<Response> {
    app.store
        .log_staff_event(email, "sign_in_limited", &ip.0, None)
        .await?;
    tracing::info!(status = 429, "console: sign-in rate limited");
    let mut r = refused(StatusCode::TOO_MANY_REQUESTS, "too_many_sign_ins");
    r.headers_mut().insert(
        header::RETRY_AFTER,
        axum::http::HeaderValue::from_static("900"),
    );
    Ok(r)
}

/// `POST /secretariat/api/sign-in/start`: the request options for the
/// address's passkeys (an unknown address fails like a wrong passkey).
pub async fn sign_in_start(
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    Json(body): Json<SignInStart>,
) -> Response {
    match sign_in_start_inner(&app, &ip, &body.email.trim().to_lowercase()).await {
        Ok(r) => r,
        Err(e) => internal(e),
    }
}

async fn sign_in_start_inner(
    app: &SharedState,
    ip: &ClientIp,
    email: &str,
) -> anyhow::Result<Response> {
    if !may_try(app, ip, email).await? {
        return too_many(app, ip, email).await;
    }
    let Some(staff) = app.store.staff_by_email(email).await? else {
        return failed(app, ip, email, "not on the staff list").await;
    };
    let passkeys: Vec<Passkey> = app
        .store
        .passkeys_of(staff.id)
        .await?
        .iter()
        .filter_map(|j| serde_json::from_str(j).ok())
        .collect();
    if passkeys.is_empty() {
        return failed(app, ip, email, "no passkey enrolled").await;
    }
    let (options, state) = app
        .console
        .webauthn
        .start_passkey_authentication(&passkeys)?;
    let id = save(
        app,
        AUTHENTICATE,
        staff.id,
        None,
        &serde_json::to_string(&state)?,
    )
    .await?;
    Ok(Json(json!({ "ceremony": id, "options": options })).into_response())
}

#[derive(Deserialize)]
pub struct SignInFinish {
    ceremony: String,
    credential: PublicKeyCredential,
    lang: Option<String>,
}

/// `POST /secretariat/api/sign-in/finish`: a new session (a new id: any
/// session the request carried is ended first, so none fixed before
/// sign-in survives it).
pub async fn sign_in_finish(
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    Json(body): Json<SignInFinish>,
) -> Response {
    match sign_in_finish_inner(&app, &ip, &headers, body).await {
        Ok(r) => r,
        Err(e) => internal(e),
    }
}

async fn sign_in_finish_inner(
    app: &SharedState,
    ip: &ClientIp,
    headers: &HeaderMap,
    body: SignInFinish,
) -> anyhow::Result<Response> {
    let Some(c) = take(app, &body.ceremony, AUTHENTICATE).await? else {
        return failed(app, ip, "-", "no such ceremony (replayed or expired)").await;
    };
    let Some(staff) = app.store.staff_by_id(c.staff_id).await? else {
        return failed(app, ip, "-", "removed from the staff").await;
    };
    if !may_try(app, ip, &staff.email).await? {
        return too_many(app, ip, &staff.email).await;
    }
    let state: PasskeyAuthentication = serde_json::from_str(&c.state)?;
    let result = match app
        .console
        .webauthn
        .finish_passkey_authentication(&body.credential, &state)
    {
        Ok(r) => r,
        Err(e) => return failed(app, ip, &staff.email, &e.to_string()).await,
    };
    let updated = updated_passkey(app, &staff, &result).await?;
    if let Some(old) = session::cookie_token(headers) {
        app.store.end_session(&token_hash(&old)).await?;
    }
    let session = new_token();
    app.store
        .finish_sign_in(
            staff.id,
            &hex(result.cred_id().as_ref()),
            updated.as_deref(),
            &token_hash(&session),
            &format_utc(now()),
        )
        .await?;
    app.store
        .log_staff_event(&staff.email, "sign_in", &ip.0, None)
        .await?;
    Ok(signed_in(&session, lang_of(body.lang.as_deref())))
}

/// The passkey with its new counter and flags, when they changed.
async fn updated_passkey(
    app: &SharedState,
    staff: &StaffMember,
    result: &webauthn_rs::prelude::AuthenticationResult,
) -> anyhow::Result<Option<String>> {
    if !result.needs_update() {
        return Ok(None);
    }
    for json in app.store.passkeys_of(staff.id).await? {
        let Ok(mut passkey) = serde_json::from_str::<Passkey>(&json) else {
            continue;
        };
        if passkey.update_credential(result) == Some(true) {
            return Ok(Some(serde_json::to_string(&passkey)?));
        }
    }
    Ok(None)
}

/// The answer to an API request without a good session: 401, no data,
/// and the cookie removed.
pub fn unauthorized() -> Response {
    let mut r = refused(StatusCode::UNAUTHORIZED, "not_signed_in");
    r.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    r
}
