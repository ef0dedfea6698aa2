//! The console's pages over HTTP, thin: who is signed in
//! (`session::current`), what they may do (`policy::allows`), what the
//! store says, rendered by `imrf_release::console`. Not signed in, every
//! page is the sign-in page (nothing of any input) and the JSON routes
//! answer 401.

use axum::extract::rejection::FormRejection;
use axum::extract::{Extension, Form, Path as UrlPath, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use imrf_contract::{text_language, Lang, StakeholderGroup, TextDirection};
use imrf_release::console::filter::{ConsoleQuery, StateFilter, PAGE_SIZE};
use imrf_release::console::{
    self as docs, ConsoleInput, ConsoleList, ConsolePage, DecisionRefusal, Forbidden, Frame,
    HistoryEntry, ListItem, MailStatus, Note, Redacted, StaffLine, Viewer,
};
use serde::Deserialize;

use super::passkey::unauthorized;
use super::policy::{allows, Permission, Role};
use super::session::{self, clear_cookie, Signed};
use super::token::{is_token, token_hash};
use super::ClientIp;
use crate::api::SharedState;
use crate::decide_command::{decide_one, NotDecided};
use crate::moderation::{Action, Reason, Refusal, State as Decision};
use crate::operations::canonical_reference;
use crate::redaction::{self, Redaction};
use crate::store::{ReviewFilter, StoredRow};

/// A whole console document.
fn render(
    app: &SharedState,
    lang: Lang,
    viewer: Option<&Signed>,
    rest: &str,
    page: &ConsolePage,
    status: StatusCode,
) -> Response {
    let frame = Frame {
        stylesheet: &app.console.stylesheet,
        viewer: viewer.map(|s| Viewer {
            email: &s.staff.email,
            administrator: s.role == Role::Administrator,
        }),
        rest,
    };
    let html = docs::console_document(lang, &frame, page);
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response()
}

fn internal(app: &SharedState, lang: Lang, e: anyhow::Error) -> Response {
    tracing::error!(error = %format!("{e:#}"), status = 500, "console: a page failed");
    let _ = app;
    let _ = lang;
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// The sign-in page, for a request without a good session.
fn sign_in(app: &SharedState, lang: Lang, status: StatusCode) -> Response {
    let mut r = render(app, lang, None, "", &ConsolePage::SignIn, status);
    r.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    r
}

pub(super) fn forbidden(app: &SharedState, lang: Lang, why: Forbidden) -> Response {
    render(
        app,
        lang,
        None,
        "",
        &ConsolePage::Forbidden(why),
        StatusCode::FORBIDDEN,
    )
}

/// `GET /secretariat/`: to the console in the browser's language.
pub async fn negotiate(headers: HeaderMap) -> Response {
    let lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::language::from_accept_language)
        .unwrap_or(Lang::Ar);
    let mut r = Redirect::to(&docs::home_path(lang)).into_response();
    r.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-language"));
    r
}

/// Who is signed in, or the answer for someone who is not.
async fn signed(
    app: &SharedState,
    headers: &HeaderMap,
    ip: &ClientIp,
    lang: Lang,
) -> Result<Signed, Response> {
    match session::current(&app.store, headers, &ip.0).await {
        Ok(Some(s)) if allows(s.role, Permission::Read) => Ok(s),
        Ok(_) => Err(sign_in(app, lang, StatusCode::OK)),
        Err(e) => Err(internal(app, lang, e)),
    }
}

fn store_filter(q: &ConsoleQuery) -> ReviewFilter {
    ReviewFilter {
        state: q.state.map(|s| s.key().to_string()),
        flagged: q.flagged,
        group: q.filter.group.map(|g| g.key().to_string()),
        country: q.filter.country.map(str::to_string),
        language: q.filter.language.map(|l| l.code().to_string()),
        search: q.search.clone(),
    }
}

/// The language of one field of a stored input.
fn field_lang(text: &str, directions: &str, field: &str, form: &str) -> Lang {
    let typed =
        serde_json::from_str::<std::collections::BTreeMap<String, TextDirection>>(directions)
            .ok()
            .and_then(|d| d.get(field).copied());
    text_language(text, typed, Lang::from_tag(form).unwrap_or_default())
}

/// `GET /secretariat/{lang}/`: the list, or the sign-in page.
pub async fn list(
    lang: Lang,
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let who = match signed(&app, &headers, &ip, lang).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let raw = raw.unwrap_or_default();
    let query = ConsoleQuery::parse(&raw);
    let offset = i64::from(query.page.saturating_sub(1)) * i64::from(PAGE_SIZE);
    let page = app
        .store
        .review_page(&store_filter(&query), i64::from(PAGE_SIZE), offset)
        .await;
    let counts = app.store.review_counts().await;
    let countries = app.store.review_countries().await;
    let ((rows, total), counts, countries) = match (page, counts, countries) {
        (Ok(p), Ok(c), Ok(k)) => (p, c, k),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return internal(&app, lang, e),
    };
    let items: Vec<ListItem> = rows
        .into_iter()
        .map(|r| ListItem {
            title_lang: field_lang(&r.title, &r.directions, "title", &r.language),
            state: StateFilter::from_key(&r.state).unwrap_or(StateFilter::New),
            reference: r.reference,
            received: r.received_at,
            name: r.name,
            organisation: r.organisation,
            title: r.title,
            reason: r.reason,
            flagged: r.flagged,
        })
        .collect();
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    let by_state: Vec<(StateFilter, u64)> = counts
        .by_state
        .iter()
        .filter_map(|(k, v)| StateFilter::from_key(k).map(|s| (s, n(*v))))
        .collect();
    let rest = query.query(query.page);
    let list = ConsoleList {
        query,
        total: n(total),
        items: &items,
        all: n(counts.all),
        by_state: &by_state,
        flagged: n(counts.flagged),
        countries: &countries,
    };
    render(
        &app,
        lang,
        Some(&who),
        &rest,
        &ConsolePage::List(&list),
        StatusCode::OK,
    )
}

fn state_of(d: Decision) -> (StateFilter, Option<String>) {
    match d {
        Decision::New => (StateFilter::New, None),
        Decision::Published => (StateFilter::Published, None),
        Decision::NotPublished(r) => (StateFilter::NotPublished, Some(r.key().to_string())),
        Decision::Withdrawn => (StateFilter::Withdrawn, None),
    }
}

/// An input as the page shows it, with its history.
async fn console_input(app: &SharedState, reference: &str) -> anyhow::Result<Option<ConsoleInput>> {
    let (Some(row), Some(standing)) = (
        app.store.submission(reference).await?,
        app.store.standing(reference).await?,
    ) else {
        return Ok(None);
    };
    let history = app
        .store
        .audit_log(Some(reference))
        .await?
        .into_iter()
        .map(|e| HistoryEntry {
            at: e.at,
            actor: e.actor,
            from: e.from_state,
            to: e.to_state,
            note: e.note,
            action: e.action,
        })
        .collect();
    let (state, reason) = state_of(standing.state);
    let (newer, older) = app.store.review_neighbours(reference).await?;
    let mail = match app.store.review_mail(reference).await? {
        None => MailStatus::NotMailed,
        Some((Some(at), _, _)) => MailStatus::Sent(at),
        Some((None, Some(_), _)) => MailStatus::Failed,
        Some((None, None, n)) => MailStatus::Waiting(u64::try_from(n).unwrap_or(0)),
    };
    let notes = app
        .store
        .notes_of(reference)
        .await?
        .into_iter()
        .map(|(at, actor, text)| Note { at, actor, text })
        .collect();
    let redaction = app.store.redaction_of(reference).await?.map(|r| Redacted {
        name: r.name,
        organisation: r.organisation,
        title: r.title,
        input: r.input,
        at: r.at,
        actor: r.actor,
    });
    let mut input = shown(row, state, reason, history);
    (input.newer, input.older, input.mail, input.notes) = (newer, older, mail, notes);
    input.redaction = redaction;
    Ok(Some(input))
}

fn shown(
    row: StoredRow,
    state: StateFilter,
    reason: Option<String>,
    history: Vec<HistoryEntry>,
) -> ConsoleInput {
    let link_host = url::Url::parse(&row.link)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    ConsoleInput {
        title_lang: field_lang(&row.title, &row.directions, "title", &row.language),
        input_lang: field_lang(&row.input, &row.directions, "input", &row.language),
        group: StakeholderGroup::from_key(&row.stakeholder_group),
        reference: row.reference,
        received: row.received_at,
        name: row.name,
        organisation: row.organisation,
        email: row.email,
        country: row.country,
        group_other: row.stakeholder_group_other,
        title: row.title,
        input: row.input,
        link: row.link,
        link_host,
        state,
        reason,
        flagged: row.flagged,
        history,
        newer: None,
        older: None,
        mail: MailStatus::NotMailed,
        notes: Vec::new(),
        redaction: None,
    }
}

/// `GET /secretariat/{lang}/inputs/{reference}`.
pub async fn input(
    lang: Lang,
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    UrlPath(raw): UrlPath<String>,
) -> Response {
    let who = match signed(&app, &headers, &ip, lang).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    input_page(&app, lang, &who, &raw, None, StatusCode::OK).await
}

async fn input_page(
    app: &SharedState,
    lang: Lang,
    who: &Signed,
    raw: &str,
    refusal: Option<DecisionRefusal>,
    status: StatusCode,
) -> Response {
    let Some(reference) = canonical_reference(raw) else {
        return render(
            app,
            lang,
            Some(who),
            "",
            &ConsolePage::NoInput,
            StatusCode::NOT_FOUND,
        );
    };
    let rest = format!("inputs/{reference}");
    match console_input(app, &reference).await {
        Ok(Some(input)) => render(
            app,
            lang,
            Some(who),
            &rest,
            &ConsolePage::Input(&input, refusal),
            status,
        ),
        Ok(None) => render(
            app,
            lang,
            Some(who),
            &rest,
            &ConsolePage::NoInput,
            StatusCode::NOT_FOUND,
        ),
        Err(e) => internal(app, lang, e),
    }
}

#[derive(Deserialize)]
pub struct DecideForm {
    action: String,
    reason: Option<String>,
    note: Option<String>,
}

/// The longest note kept with a decision.
const NOTE_MAX_CHARS: usize = 500;

fn action_of(form: &DecideForm) -> Option<Action> {
    match form.action.as_str() {
        "publish" => Some(Action::Publish),
        "decline" => Reason::from_key(form.reason.as_deref()?).map(Action::DoNotPublish),
        "undo" => Some(Action::Undo),
        _ => None,
    }
}

/// `POST /secretariat/{lang}/inputs/{reference}/decide`: publish, do not
/// publish with a reason, or undo, through `decide_command::decide_one`
/// (the CLI's path), then back to the input's page (303).
pub async fn decide(
    lang: Lang,
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    UrlPath(raw): UrlPath<String>,
    form: Result<Form<DecideForm>, FormRejection>,
) -> Response {
    let who = match session::current(&app.store, &headers, &ip.0).await {
        Ok(Some(s)) => s,
        Ok(None) => return sign_in(&app, lang, StatusCode::UNAUTHORIZED),
        Err(e) => return internal(&app, lang, e),
    };
    if !allows(who.role, Permission::Decide) {
        return forbidden(&app, lang, Forbidden::Role);
    }
    let (Some(reference), Ok(Form(form))) = (canonical_reference(&raw), form) else {
        return input_page(&app, lang, &who, &raw, None, StatusCode::BAD_REQUEST).await;
    };
    let Some(action) = action_of(&form) else {
        return input_page(&app, lang, &who, &reference, None, StatusCode::BAD_REQUEST).await;
    };
    let note: Option<String> = form
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(NOTE_MAX_CHARS).collect());
    let actor = format!("staff:{}", who.staff.email);
    match decide_one(&app.store, &reference, action, &actor, note.as_deref()).await {
        Ok(_) => Redirect::to(&docs::input_path(lang, &reference)).into_response(),
        Err(NotDecided::Refused(why)) => {
            let refusal = match why {
                Refusal::Withdrawn => DecisionRefusal::Withdrawn,
                Refusal::Flagged => DecisionRefusal::Flagged,
            };
            input_page(
                &app,
                lang,
                &who,
                &reference,
                Some(refusal),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(NotDecided::Unknown) => {
            input_page(&app, lang, &who, &reference, None, StatusCode::NOT_FOUND).await
        }
        Err(NotDecided::Store(e)) => internal(&app, lang, e),
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    text: String,
}

/// The longest private note.
const PRIVATE_NOTE_MAX_CHARS: usize = 2000;

/// `POST /secretariat/{lang}/inputs/{reference}/notes`: a private note
/// added (its text is not copied into the audit log), then back (303).
pub async fn add_note(
    lang: Lang,
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    UrlPath(raw): UrlPath<String>,
    form: Result<Form<NoteForm>, FormRejection>,
) -> Response {
    let who = match session::current(&app.store, &headers, &ip.0).await {
        Ok(Some(s)) => s,
        Ok(None) => return sign_in(&app, lang, StatusCode::UNAUTHORIZED),
        Err(e) => return internal(&app, lang, e),
    };
    if !allows(who.role, Permission::Decide) {
        return forbidden(&app, lang, Forbidden::Role);
    }
    let text: String = form
        .map(|Form(f)| f.text.trim().chars().take(PRIVATE_NOTE_MAX_CHARS).collect())
        .unwrap_or_default();
    let Some(reference) = canonical_reference(&raw).filter(|_| !text.is_empty()) else {
        return input_page(&app, lang, &who, &raw, None, StatusCode::BAD_REQUEST).await;
    };
    match app
        .store
        .add_note(&reference, &format!("staff:{}", who.staff.email), &text)
        .await
    {
        Ok(true) => Redirect::to(&docs::input_path(lang, &reference)).into_response(),
        Ok(false) => input_page(&app, lang, &who, &reference, None, StatusCode::NOT_FOUND).await,
        Err(e) => internal(&app, lang, e),
    }
}

#[derive(Deserialize)]
pub struct RedactionForm {
    action: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    input: String,
}

/// `POST /secretariat/{lang}/inputs/{reference}/redaction`: the redacted
/// copy saved (`action=save`, checked by `redaction::checked`) or removed
/// (`action=remove`), with its audit entry (the fields, never their text),
/// then back (303). A copy that breaks a field's rule is refused (422) with
/// the form's own message in the console's language; nothing changes.
pub async fn redact(
    lang: Lang,
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    UrlPath(raw): UrlPath<String>,
    form: Result<Form<RedactionForm>, FormRejection>,
) -> Response {
    let who = match session::current(&app.store, &headers, &ip.0).await {
        Ok(Some(s)) => s,
        Ok(None) => return sign_in(&app, lang, StatusCode::UNAUTHORIZED),
        Err(e) => return internal(&app, lang, e),
    };
    if !allows(who.role, Permission::Decide) {
        return forbidden(&app, lang, Forbidden::Role);
    }
    let (Some(reference), Ok(Form(form))) = (canonical_reference(&raw), form) else {
        return input_page(&app, lang, &who, &raw, None, StatusCode::BAD_REQUEST).await;
    };
    let refused = |why: DecisionRefusal, status: StatusCode| {
        let (app, who, reference) = (&app, &who, &reference);
        async move { input_page(app, lang, who, reference, Some(why), status).await }
    };
    let (standing, original) = match (
        app.store.standing(&reference).await,
        app.store.submission(&reference).await,
    ) {
        (Ok(Some(s)), Ok(Some(row))) => (s, row),
        (Ok(_), Ok(_)) => {
            return input_page(&app, lang, &who, &reference, None, StatusCode::NOT_FOUND).await
        }
        (Err(e), _) | (_, Err(e)) => return internal(&app, lang, e),
    };
    if let Err(why) = redaction::may_redact(standing) {
        let why = match why {
            Refusal::Withdrawn => DecisionRefusal::Withdrawn,
            Refusal::Flagged => DecisionRefusal::Flagged,
        };
        return refused(why, StatusCode::CONFLICT).await;
    }
    let actor = format!("staff:{}", who.staff.email);
    let done = match form.action.as_str() {
        "remove" => app.store.remove_redaction(&reference, &actor).await,
        "save" => {
            let typed = Redaction {
                name: form.name,
                organisation: form.organisation,
                title: form.title,
                input: form.input,
            };
            let copy = match redaction::checked(&typed) {
                Ok(c) => c,
                Err(broken) => {
                    let (field, rule) = broken[0];
                    return refused(
                        DecisionRefusal::Redaction(field, rule),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await;
                }
            };
            let as_sent = Redaction {
                name: original.name,
                organisation: original.organisation,
                title: original.title,
                input: original.input,
            };
            let fields = redaction::changed_fields(&as_sent, &copy);
            if fields.is_empty() {
                // The original as it was sent: no copy is needed.
                app.store.remove_redaction(&reference, &actor).await
            } else {
                app.store
                    .save_redaction(&reference, &copy, &actor, &fields)
                    .await
            }
        }
        _ => return input_page(&app, lang, &who, &reference, None, StatusCode::BAD_REQUEST).await,
    };
    match done {
        Ok(_) => Redirect::to(&docs::input_path(lang, &reference)).into_response(),
        Err(e) => internal(&app, lang, e),
    }
}

/// `GET /secretariat/{lang}/staff`: administrators only.
pub async fn staff(
    lang: Lang,
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
) -> Response {
    let who = match signed(&app, &headers, &ip, lang).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !allows(who.role, Permission::ManageStaff) {
        tracing::info!(status = 403, "console: a reviewer asked for the staff page");
        return render(
            &app,
            lang,
            Some(&who),
            "staff",
            &ConsolePage::Forbidden(Forbidden::Role),
            StatusCode::FORBIDDEN,
        );
    }
    let lines: Vec<StaffLine> = match app.store.list_staff().await {
        Ok(list) => list
            .into_iter()
            .map(|s| StaffLine {
                administrator: s.role == Role::Administrator.key(),
                email: s.email,
                passkeys: u64::try_from(s.passkeys).unwrap_or(0),
            })
            .collect(),
        Err(e) => return internal(&app, lang, e),
    };
    render(
        &app,
        lang,
        Some(&who),
        "staff",
        &ConsolePage::Staff(&lines),
        StatusCode::OK,
    )
}

/// `GET /secretariat/enrol/{token}`: in the browser's language.
pub async fn enrol_negotiated(
    State(app): State<SharedState>,
    ip: Extension<ClientIp>,
    headers: HeaderMap,
    token: UrlPath<String>,
) -> Response {
    let lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::language::from_accept_language)
        .unwrap_or(Lang::Ar);
    enrol(lang, State(app), ip, token).await
}

/// `GET /secretariat/{lang}/enrol/{token}`: the enrolment page, or why the
/// link does not work (410).
pub async fn enrol(
    lang: Lang,
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    UrlPath(token): UrlPath<String>,
) -> Response {
    let enrolment = match is_token(&token) {
        true => app.store.enrolment(&token_hash(&token)).await,
        false => Ok(None),
    };
    let usable = match enrolment {
        Ok(e) => e.filter(|e| {
            time::OffsetDateTime::parse(
                &e.expires_at,
                &time::format_description::well_known::Rfc3339,
            )
            .is_ok_and(|t| {
                super::policy::enrolment_usable(t, e.used, time::OffsetDateTime::now_utc())
            })
        }),
        Err(e) => return internal(&app, lang, e),
    };
    let rest = format!("enrol/{token}");
    match usable {
        Some(e) => render(
            &app,
            lang,
            None,
            &rest,
            &ConsolePage::Enrol {
                token: &token,
                email: &e.staff.email,
            },
            StatusCode::OK,
        ),
        None => {
            let logged = app
                .store
                .log_staff_event(
                    "-",
                    "enrolment_refused",
                    &ip.0,
                    Some("link page: used, expired or unknown"),
                )
                .await;
            if let Err(e) = logged {
                return internal(&app, lang, e);
            }
            render(
                &app,
                lang,
                None,
                "",
                &ConsolePage::EnrolRefused,
                StatusCode::GONE,
            )
        }
    }
}

#[derive(Deserialize)]
pub struct SignOutForm {
    lang: Option<String>,
}

fn signed_out_redirect(lang: Lang) -> Response {
    let mut r = Redirect::to(&format!("{}signed-out", docs::home_path(lang))).into_response();
    r.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    r
}

fn form_lang(form: &Result<Form<SignOutForm>, FormRejection>) -> Lang {
    form.as_ref()
        .ok()
        .and_then(|Form(f)| f.lang.as_deref())
        .and_then(Lang::from_tag)
        .unwrap_or(Lang::Ar)
}

/// `POST /secretariat/sign-out`: this session ends.
pub async fn sign_out(
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    form: Result<Form<SignOutForm>, FormRejection>,
) -> Response {
    let lang = form_lang(&form);
    if let Ok(Some(who)) = session::current(&app.store, &headers, &ip.0).await {
        let ended = app.store.end_session(&who.session_hash).await;
        let logged = app
            .store
            .log_staff_event(&who.staff.email, "sign_out", &ip.0, None)
            .await;
        if let Err(e) = ended.and(logged) {
            return internal(&app, lang, e);
        }
    }
    signed_out_redirect(lang)
}

/// `POST /secretariat/sign-out-everywhere`: every session of the person ends.
pub async fn sign_out_everywhere(
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    form: Result<Form<SignOutForm>, FormRejection>,
) -> Response {
    let lang = form_lang(&form);
    if let Ok(Some(who)) = session::current(&app.store, &headers, &ip.0).await {
        let ended = app.store.end_sessions_of(who.staff.id).await;
        let detail = ended.as_ref().map(|n| format!("{n} sessions")).ok();
        let logged = app
            .store
            .log_staff_event(
                &who.staff.email,
                "sign_out_everywhere",
                &ip.0,
                detail.as_deref(),
            )
            .await;
        if let Err(e) = ended.map(|_| ()).and(logged) {
            return internal(&app, lang, e);
        }
    }
    signed_out_redirect(lang)
}

/// `GET /secretariat/{lang}/signed-out`.
pub async fn signed_out(lang: Lang, State(app): State<SharedState>) -> Response {
    render(
        &app,
        lang,
        None,
        "signed-out",
        &ConsolePage::SignedOut,
        StatusCode::OK,
    )
}

/// `GET /secretariat/api/inputs`: the list's first page as JSON, for
/// scripts of the signed-in; 401 with no data otherwise.
pub async fn inputs_json(
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    match session::current(&app.store, &headers, &ip.0).await {
        Ok(Some(_)) => {}
        Ok(None) => return unauthorized(),
        Err(e) => return internal(&app, Lang::En, e),
    }
    let query = ConsoleQuery::parse(&raw.unwrap_or_default());
    let offset = i64::from(query.page.saturating_sub(1)) * i64::from(PAGE_SIZE);
    match app
        .store
        .review_page(&store_filter(&query), i64::from(PAGE_SIZE), offset)
        .await
    {
        Ok((rows, total)) => {
            let items: Vec<serde_json::Value> = rows
                .into_iter()
                .map(|r| {
                    serde_json::json!({
                        "reference": r.reference, "received_at": r.received_at,
                        "state": r.state, "reason": r.reason, "flagged": r.flagged,
                    })
                })
                .collect();
            Json(serde_json::json!({ "total": total, "items": items })).into_response()
        }
        Err(e) => internal(&app, Lang::En, e),
    }
}

/// Any other `/secretariat/api/` path: 401 without a session, else 404.
pub async fn api_fallback(
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
) -> Response {
    match session::current(&app.store, &headers, &ip.0).await {
        Ok(Some(_)) => (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({ "error": "not_found" })),
        )
            .into_response(),
        _ => unauthorized(),
    }
}

/// Any other console path: the sign-in page when not signed in, else 404.
pub async fn not_found(
    State(app): State<SharedState>,
    Extension(ip): Extension<ClientIp>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let lang = super::path_lang(uri.path());
    match signed(&app, &headers, &ip, lang).await {
        Ok(who) => render(
            &app,
            lang,
            Some(&who),
            "",
            &ConsolePage::NoInput,
            StatusCode::NOT_FOUND,
        ),
        Err(r) => r,
    }
}
