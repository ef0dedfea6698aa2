//! The secretariat's console (feature `ssr`, natively only, so none of it
//! is in the visitor's WebAssembly): whole documents, rendered by the
//! endpoint for signed-in staff, in Arabic and English. Every action is a
//! real `<form method="post">`; the only script is the passkey ceremony
//! (`web/console.js`, a file of the endpoint's, so the CSP stays
//! `script-src 'self'`), which a page without it says it needs.
//!
//! An input is shown exactly as written: each text marked with its own
//! language and direction ([`imrf_contract::text_language`]), every name
//! isolated (`bdi`), the link as text with its real host, never followed.

pub mod filter;
mod views;

use imrf_contract::{endonym, Lang, StakeholderGroup};
use leptos::prelude::*;

use crate::release_content::ui;
use filter::{ConsoleQuery, StateFilter};

/// The console's paths.
pub const ROOT: &str = "/secretariat/";
pub const SCRIPT_PATH: &str = "/secretariat/console.js";
pub const SIGN_OUT_PATH: &str = "/secretariat/sign-out";
pub const SIGN_OUT_EVERYWHERE_PATH: &str = "/secretariat/sign-out-everywhere";

/// The console's home in `lang`.
pub fn home_path(lang: Lang) -> String {
    format!("/secretariat/{}/", lang.code())
}

/// One input's page in `lang`.
pub fn input_path(lang: Lang, reference: &str) -> String {
    format!("/secretariat/{}/inputs/{reference}", lang.code())
}

/// Where an input's redacted copy is posted (saved or removed).
pub fn redaction_path(lang: Lang, reference: &str) -> String {
    format!("{}/redaction", input_path(lang, reference))
}

/// Where a note on an input is posted.
pub fn notes_path(lang: Lang, reference: &str) -> String {
    format!("{}/notes", input_path(lang, reference))
}

/// Where an input's decision is posted.
pub fn decide_path(lang: Lang, reference: &str) -> String {
    format!("{}/decide", input_path(lang, reference))
}

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub reference: String,
    pub received: String,
    pub name: String,
    pub organisation: String,
    pub title: String,
    pub title_lang: Lang,
    pub state: StateFilter,
    /// A `moderation::Reason` key, with `NotPublished`.
    pub reason: Option<String>,
    pub flagged: Option<String>,
}

/// One page of the list, with the counts.
#[derive(Debug, Clone)]
pub struct ConsoleList<'a> {
    pub query: ConsoleQuery,
    /// How many inputs the filters match.
    pub total: u64,
    pub items: &'a [ListItem],
    /// Every input, by state, and the flagged ones (whatever the filters).
    pub all: u64,
    pub by_state: &'a [(StateFilter, u64)],
    pub flagged: u64,
    /// The countries the country filter offers: those inputs came from.
    pub countries: &'a [String],
}

/// An entry of an input's decision history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    /// `new`, `published`, `not_published:duplicate`, ...
    pub from: String,
    pub to: String,
    pub note: Option<String>,
    /// What was done: `publish`, `do_not_publish`, `undo`, `redact`
    /// (the note then names the fields changed), `unredact`.
    pub action: String,
}

/// The secretariat's redacted copy of an input: what the public sees
/// instead of the original, who made it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub name: String,
    pub organisation: String,
    pub title: String,
    pub input: String,
    pub at: String,
    pub actor: String,
}

/// A private note on an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub at: String,
    pub actor: String,
    pub text: String,
}

/// One input as staff read it, in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleInput {
    pub reference: String,
    pub received: String,
    pub name: String,
    pub organisation: String,
    pub email: String,
    pub country: String,
    pub group: Option<StakeholderGroup>,
    pub group_other: String,
    pub title: String,
    pub title_lang: Lang,
    pub input: String,
    pub input_lang: Lang,
    pub link: String,
    /// The link's host as a URL parser reads it (punycode for a look-alike).
    pub link_host: Option<String>,
    pub state: StateFilter,
    pub reason: Option<String>,
    pub flagged: Option<String>,
    pub history: Vec<HistoryEntry>,
    /// The inputs around it in the list's order (newest first).
    pub newer: Option<String>,
    pub older: Option<String>,
    pub mail: MailStatus,
    pub notes: Vec<Note>,
    pub redaction: Option<Redacted>,
}

/// Where the input's message to the secretariat's mailbox stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailStatus {
    /// At this time (RFC 3339).
    Sent(String),
    /// Attempts so far.
    Waiting(u64),
    Failed,
    /// No message: mail not configured, or the input was flagged.
    NotMailed,
}

/// Why a decision was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionRefusal {
    Withdrawn,
    Flagged,
    /// A redacted copy broke the form's rule for a field (empty where the
    /// contract requires text, or too long).
    Redaction(imrf_contract::Field, imrf_contract::Rule),
}

/// Why a request is refused (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forbidden {
    /// Not from the console's own pages.
    CrossSite,
    /// An administrator's action, asked by a reviewer.
    Role,
}

/// A line of the staff page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffLine {
    pub email: String,
    pub administrator: bool,
    pub passkeys: u64,
}

/// What a console document shows.
#[derive(Debug, Clone, Copy)]
pub enum ConsolePage<'a> {
    SignIn,
    Enrol { token: &'a str, email: &'a str },
    EnrolRefused,
    SignedOut,
    List(&'a ConsoleList<'a>),
    Input(&'a ConsoleInput, Option<DecisionRefusal>),
    NoInput,
    Forbidden(Forbidden),
    Staff(&'a [StaffLine]),
}

/// Who is signed in.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub email: &'a str,
    pub administrator: bool,
}

/// What every console document shares.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Inlined; the endpoint allows it by its hash.
    pub stylesheet: &'a str,
    pub viewer: Option<Viewer<'a>>,
    /// The page's path after `/secretariat/{lang}/` (with its query), for
    /// the language switch.
    pub rest: &'a str,
}

/// The whole document.
pub fn console_document(lang: Lang, frame: &Frame, page: &ConsolePage) -> String {
    let html = crate::static_html::render(|| document(lang, frame, page));
    format!("<!doctype html>\n{html}\n")
}

fn page_title(lang: Lang, page: &ConsolePage) -> String {
    let t = ui(lang);
    let first = match page {
        ConsolePage::SignIn => t.console_sign_in.to_string(),
        ConsolePage::Enrol { .. } => t.console_enrol_title.to_string(),
        ConsolePage::EnrolRefused => t.console_enrol_refused.to_string(),
        ConsolePage::SignedOut => t.console_signed_out.to_string(),
        ConsolePage::List(_) => t.console_all_inputs.to_string(),
        ConsolePage::Input(input, _) => format!("{} ({})", input.title, input.reference),
        ConsolePage::NoInput => t.console_no_input.to_string(),
        ConsolePage::Forbidden(_) => t.console_forbidden.to_string(),
        ConsolePage::Staff(_) => t.console_staff.to_string(),
    };
    format!("{first} | {}", t.console_title)
}

/// Whether the page runs the passkey script.
fn needs_script(page: &ConsolePage) -> bool {
    matches!(page, ConsolePage::SignIn | ConsolePage::Enrol { .. })
}

fn document(lang: Lang, frame: &Frame, page: &ConsolePage) -> impl IntoView {
    let t = ui(lang);
    let title = page_title(lang, page);
    let script = needs_script(page).then(|| view! { <script src=SCRIPT_PATH defer></script> });
    let other = lang.other();
    let other_href = format!("/secretariat/{}/{}", other.code(), frame.rest);
    view! {
        <html lang=lang.code() dir=lang.dir().code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="robots" content="noindex, nofollow" />
                <link rel="icon" href="data:," />
                <title>{title}</title>
                <style inner_html=frame.stylesheet.to_string()></style>
                {script}
            </head>
            <body>
                <div class="imrf-root">
                    <div class="imrf-app imrf-console" lang=lang.code() dir=lang.dir().code() data-theme="system">
                        <header class="imrf-header">
                            <p class="imrf-site-name">
                                <a href=home_path(lang)>{t.console_title}</a>
                            </p>
                            <nav class="imrf-language-nav" aria-label=t.language_nav_label>
                                <ul>
                                    <li>
                                        <a href=other_href hreflang=other.code() lang=other.code()>
                                            {endonym(other)}
                                        </a>
                                    </li>
                                </ul>
                            </nav>
                            {frame.viewer.map(|v| views::viewer_bar(lang, v))}
                        </header>
                        <main id="imrf-main" class="imrf-main">{views::content(lang, page)}</main>
                    </div>
                </div>
            </body>
        </html>
    }
}

#[cfg(test)]
mod tests;
