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
/// The suffix of a text control's `dirname` (`input.dir`): the base
/// direction the visitor typed in, `ltr` or `rtl`.
pub const DIR_SUFFIX: &str = ".dir";

/// The fields whose `dirname` goes into [`crate::Submission::directions`]
/// (the free-text fields, as the form's script records them).
pub const DIRECTED: [crate::Field; 5] = [
    crate::Field::Name,
    crate::Field::Organisation,
    crate::Field::StakeholderGroupOther,
    crate::Field::Title,
    crate::Field::Input,
];

#[cfg(not(target_arch = "wasm32"))]
mod parse;
#[cfg(not(target_arch = "wasm32"))]
pub use parse::{derived_key, parse, FormPost, FormPostError};
