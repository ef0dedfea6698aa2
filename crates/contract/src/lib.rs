//! The wire contract between the submission form and the secretariat endpoint.
//!
//! One source of truth: the form validates with [`validate`] as the visitor types,
//! and the endpoint validates the same JSON again with the same function before
//! storing it, so the two can never disagree about what is acceptable.
//!
//! This crate is plain Rust (no I/O, no DOM), so it is tested natively and fast.

pub mod countries;
mod errors;
pub mod form_post;
mod hosts;
mod lang;
mod messages;
mod normalize;
mod numbers;
mod plural;
mod submission;
mod validate;

pub use errors::{ApiError, Code, FieldErrorBody, Subject, ValidationErrorBody};
pub use lang::{first_strong_direction, text_language, Lang, TextDirection};
// Words are the message table's: a type never reaches into it (no circle).
#[cfg(not(target_arch = "wasm32"))]
pub use messages::mail_message;
pub use messages::{
    endonym, field_label, page_message, rule_message, stakeholder_group_label, MailMessage,
    PageMessage,
};
pub use normalize::{
    fold_digits, has_visible, is_default_ignorable, normalize_line, normalize_multiline,
    normalize_token,
};
pub use numbers::format_count;
pub use plural::{plural_category, PluralCategory};
pub use submission::{
    Field, IdempotencyKey, LocalizedText, StakeholderGroup, Submission, SubmissionAccepted,
    IDEMPOTENCY_HEADER, MIN_FILL_MS, SUBMISSIONS_PATH,
};
pub use validate::{
    char_count, normalize, normalize_field, validate, validate_field, FieldError, Limits, Rule,
    ValidSubmission, LIMITS,
};
