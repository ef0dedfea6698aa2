//! The form as browsers post it without JavaScript
//! (`application/x-www-form-urlencoded`): the names of the controls that are
//! not fields of [`crate::Submission`]. Every field's control is named by
//! [`crate::Field::key`], its `dirname` by `<key>.dir`.

/// When the endpoint served the document (milliseconds since the epoch,
/// written into each document it serves); empty in a document from a static host.
pub const SHOWN_AT: &str = "shown_at";
/// Which document the form was in: `page` or `embed` (where the answer is shown).
pub const SHELL: &str = "shell";
/// The embed's view (`full` or `form`), so the answer keeps the partner's choice.
pub const VIEW: &str = "view";
