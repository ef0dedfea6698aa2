//! Whole pages as static HTML, rendered natively (feature `ssr`) from the
//! live app's own components: the documents the build writes for each
//! language (`bin/prerender.rs`), and the endpoint's answers to a form
//! posted without JavaScript (the form again with its errors, the receipt).

use imrf_contract::{FieldError, Lang, Submission};

use crate::embedding::View;

/// Where the rendered app goes in a document: between these two comments.
pub const MOUNT_START: &str = "<!--imrf-app-->";
pub const MOUNT_END: &str = "<!--/imrf-app-->";

/// Which document: our own page, or the iframe embed (no page chrome).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Page,
    Embed,
}

impl Shell {
    /// The value of the form's hidden `shell` control.
    pub fn key(self) -> &'static str {
        match self {
            Shell::Page => "page",
            Shell::Embed => "embed",
        }
    }
    pub fn from_key(key: &str) -> Option<Shell> {
        match key {
            "page" => Some(Shell::Page),
            "embed" => Some(Shell::Embed),
            _ => None,
        }
    }
}

/// What is rendered, and where the form posts.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub lang: Lang,
    pub shell: Shell,
    pub view: View,
    /// The form's `action`: the configured endpoint URL.
    pub action: &'a str,
}

/// What the form part shows.
#[derive(Debug, Clone, Copy)]
pub enum FormState<'a> {
    /// The empty form, as the build writes it.
    Blank,
    /// The rules refused a post: the form with every value put back, the
    /// error summary and each field's message.
    Refused {
        submission: &'a Submission,
        errors: &'a [FieldError],
    },
    /// The request itself was refused (too large, wrong charset, unreadable):
    /// the form (with the values, when they could be read) and the message.
    Problem {
        submission: Option<&'a Submission>,
        message: &'a str,
    },
    /// Stored: the reference, and nothing of what was sent.
    Receipt { reference: &'a str },
}

/// The app's markup for `place` in `state` (what goes between the mount comments).
pub fn app_html(place: &Place, state: &FormState) -> String {
    let _ = (place, state);
    unimplemented!("in progress")
}

/// `document` with the app's markup between its mount comments replaced,
/// and "Error: " before its title when `state` shows errors. `None` when the
/// document has no mount comments.
pub fn fill_document(document: &str, place: &Place, state: &FormState) -> Option<String> {
    let _ = (document, place, state);
    unimplemented!("in progress")
}

/// A minimal document with the mount comments, for an endpoint that serves
/// no built pages (its answers to a form post still need a page).
pub fn bare_document(lang: Lang) -> String {
    let _ = lang;
    unimplemented!("in progress")
}
