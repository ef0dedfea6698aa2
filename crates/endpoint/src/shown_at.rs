//! The `shown_at` control of a served form, signed: `MS.NONCE.TAG`, the time
//! the endpoint served the document (milliseconds since the epoch), 8 random
//! bytes that make each served document's value its own, and the first 16
//! bytes of HMAC-SHA256 over both with a server key kept in the database
//! (`server_keys`), all hex but the time. A bot cannot send an old time to
//! look patient (issue 27): a value this server did not write reads as
//! unknown, which counts as too fast where this server serves the documents.
//! The whole value also goes into a form post's derived key (the contract's
//! `form_post::derived_key`), so whoever knows a person's words cannot post
//! them first under the key the person's own post will have.

use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The name of the key in `server_keys`.
pub const KEY_NAME: &str = "shown_at";
const TAG_BYTES: usize = 16;
/// 8 random bytes, hex.
const NONCE_HEX: usize = 16;

/// Signs and reads `shown_at` values.
#[derive(Clone)]
pub struct ShownAtKey(Vec<u8>);

impl ShownAtKey {
    pub fn new(key: Vec<u8>) -> ShownAtKey {
        ShownAtKey(key)
    }

    fn mac(&self, ms: u64, nonce: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"imrf-shown-at\0");
        mac.update(format!("{ms}.{nonce}").as_bytes());
        mac
    }

    /// The control's value for a document served at `ms`.
    pub fn stamp(&self, ms: u64) -> String {
        let nonce = crate::store::hex(&uuid::Uuid::new_v4().as_bytes()[8..16]);
        let tag = self.mac(ms, &nonce).finalize().into_bytes();
        format!("{ms}.{nonce}.{}", crate::store::hex(&tag[..TAG_BYTES]))
    }

    /// The time a value says, if this server wrote it (checked in constant time).
    pub fn read(&self, value: &str) -> Option<u64> {
        let mut parts = value.trim().split('.');
        let (ms, nonce, tag) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some()
            || !ms.bytes().all(|b| b.is_ascii_digit())
            || nonce.len() != NONCE_HEX
            || crate::store::unhex(nonce).is_none()
            || tag.len() != TAG_BYTES * 2
        {
            return None;
        }
        let ms: u64 = ms.parse().ok()?;
        let tag = crate::store::unhex(tag)?;
        self.mac(ms, nonce).verify_truncated_left(&tag).ok()?;
        Some(ms)
    }
}

impl Default for ShownAtKey {
    /// A key of this process only (documents with no database behind them, tests).
    fn default() -> Self {
        let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        ShownAtKey([*a.as_bytes(), *b.as_bytes()].concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_this_key_wrote_reads_back() {
        let key = ShownAtKey::new(vec![1; 32]);
        let v = key.stamp(1_767_225_600_000);
        assert!(v.starts_with("1767225600000."), "{v}");
        assert_eq!(key.read(&v), Some(1_767_225_600_000));
        assert_eq!(key.read(&format!(" {v} ")), Some(1_767_225_600_000));
        assert_ne!(
            key.stamp(1_767_225_600_000),
            v,
            "each document its own value"
        );
        let (_, rest) = v.split_once('.').unwrap();
        let (nonce, tag) = rest.split_once('.').unwrap();
        for forged in [
            "1767225600000".to_string(),
            format!("1767225600000.{tag}"),
            format!("1767225500000.{nonce}.{tag}"),
            format!("1767225600000.{}.{tag}", "0".repeat(16)),
            format!("+1767225600000.{nonce}.{tag}"),
            format!("1767225600000.{nonce}.{}", &tag[..30]),
            format!("{v}.00"),
            String::new(),
            "soon".into(),
        ] {
            assert_eq!(key.read(&forged), None, "{forged}");
        }
        assert_eq!(
            ShownAtKey::new(vec![2; 32]).read(&v),
            None,
            "another server's"
        );
    }
}
