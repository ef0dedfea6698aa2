//! Reading a urlencoded form post into a [`Submission`], and the
//! idempotency key derived from its content.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::{DIR_SUFFIX, SHELL, SHOWN_AT, VIEW};
use crate::{normalize, Field, Submission};

/// A form post as read: the submission (its key derived from its content,
/// `fill_ms` 0: the endpoint computes it from `shown_at`), and the
/// hidden controls that are not part of the submission, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPost {
    pub submission: Submission,
    /// When the endpoint served the document, as it wrote it (signed; the
    /// endpoint reads it); `None` when empty.
    pub shown_at: Option<String>,
    /// The `shell` control (`page`/`embed`), unchecked.
    pub shell: Option<String>,
    /// The `view` control (`full`/`form`), unchecked.
    pub view: Option<String>,
}

/// Why a body is not a readable form post (the endpoint answers 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPostError {
    /// A `%` not followed by two hexadecimal digits.
    PercentEncoding,
    /// A name or value that is not UTF-8 once decoded.
    Utf8,
}

/// One name or value: `+` is a space, `%XX` a byte; the bytes must be UTF-8.
fn decode(raw: &[u8]) -> Result<String, FormPostError> {
    let well_formed = raw.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || raw
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return Err(FormPostError::PercentEncoding);
    }
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&plus_as_space).collect();
    String::from_utf8(bytes).map_err(|_| FormPostError::Utf8)
}

/// The body's pairs by name; for a repeated name the first value wins.
fn pairs(body: &[u8]) -> Result<HashMap<String, String>, FormPostError> {
    let mut out = HashMap::new();
    for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &b""[..]),
        };
        let (name, value) = (decode(name)?, decode(value)?);
        out.entry(name).or_insert(value);
    }
    Ok(out)
}

fn submission(values: &HashMap<String, String>) -> Submission {
    let mut s = super::submission_from(|name| values.get(name).cloned());
    let document = values
        .get(SHOWN_AT)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty());
    s.idempotency_key = derived_key(&s, document);
    s
}

/// Reads an `application/x-www-form-urlencoded` body. Unknown names are
/// ignored, a repeated name keeps its first value, a missing field is empty
/// (the rules name it), `consent` is given only by the box's value
/// ([`super::CONSENT_CHECKED`]).
pub fn parse(body: &[u8]) -> Result<FormPost, FormPostError> {
    let values = pairs(body)?;
    let hidden = |name: &str| values.get(name).filter(|v| !v.is_empty()).cloned();
    Ok(FormPost {
        submission: submission(&values),
        shown_at: hidden(SHOWN_AT).map(|v| v.trim().to_string()),
        shell: hidden(SHELL),
        view: hidden(VIEW),
    })
}

/// The idempotency key of a form post, which carries none: a UUID made from
/// the SHA-256 of the normalised submission's content (everything but the
/// key, `fill_ms` and `website`) and of the document it was posted from
/// (`document`: its `shown_at` value, each served document's own), so the
/// same input posted again from the same page (a double click, a browser's
/// re-POST, back and submit again) is stored once, while someone who knows
/// a person's words cannot post them first under the key the person's post
/// will have (issue 27). A static host's documents carry no value: their
/// key is the content's alone. The UUID is RFC 9562's version 8 (custom),
/// and passes the key rule as any UUID does.
pub fn derived_key(raw: &Submission, document: Option<&str>) -> String {
    let s = normalize(raw);
    let group = s.stakeholder_group.map(|g| g.key()).unwrap_or("");
    let consent = if s.consent { "1" } else { "0" };
    let mut hash = Sha256::new();
    hash.update(b"imrf form post v1");
    let mut part = |name: &str, value: &str| {
        for bytes in [name.as_bytes(), value.as_bytes()] {
            hash.update((bytes.len() as u64).to_be_bytes());
            hash.update(bytes);
        }
    };
    part("language", s.language.code());
    for (field, value) in [
        (Field::Name, &s.name),
        (Field::Organisation, &s.organisation),
        (Field::Email, &s.email),
        (Field::Country, &s.country),
        (Field::StakeholderGroupOther, &s.stakeholder_group_other),
        (Field::Title, &s.title),
        (Field::Input, &s.input),
        (Field::Link, &s.link),
    ] {
        part(field.key(), value);
    }
    part(Field::StakeholderGroup.key(), group);
    part(Field::Consent.key(), consent);
    // Only when asked, so the keys of forms posted before the box are unchanged.
    if s.confirmation {
        part(Field::Confirmation.key(), "1");
    }
    for (key, dir) in &s.directions {
        part(&format!("{key}{DIR_SUFFIX}"), dir.code());
    }
    if let Some(document) = document {
        part(SHOWN_AT, document);
    }
    uuid_v8(&hash.finalize()[..16])
}

/// 16 bytes as a version 8, RFC 9562 variant UUID, lower-case 8-4-4-4-12.
fn uuid_v8(bytes: &[u8]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(bytes);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests;
