//! The console's secrets: enrolment tokens, session ids and ceremony ids,
//! 256 random bits from the operating system, written base64url; the
//! database keeps only their SHA-256, so a copy of it signs no one in.

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// A new secret: 32 random bytes, base64url without padding (43 characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random generator");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a secret.
pub fn token_hash(token: &str) -> String {
    crate::store::hex(&Sha256::digest(token.as_bytes()))
}

/// Whether `s` has the form of a token (so a header or a path that is
/// not one is refused before any lookup).
pub fn is_token(s: &str) -> bool {
    s.len() == 43
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_new_each_time_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(is_token(&a) && is_token(&b));
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert!(!is_token("short"));
        assert!(!is_token(&format!("{}=", &a[..42])));
        assert!(!is_token(&format!("{a}a")));
    }
}
