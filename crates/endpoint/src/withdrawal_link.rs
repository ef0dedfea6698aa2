//! The withdrawal link (`crate::withdrawal` serves it): a token that binds
//! a reference to the server's key, HMAC-SHA256 truncated to 128 bits, and
//! the link's address. Pure; the key comes from the database
//! (`store::Store::server_key`).

use hmac::{KeyInit, Mac};
use imrf_contract::Lang;
use imrf_release::embedding::View;
use imrf_release::pages::Shell;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The name of the key in `server_keys`.
pub const KEY_NAME: &str = "withdrawal";
/// Bytes of the HMAC kept in a token (128 bits, 32 hex characters).
const TOKEN_BYTES: usize = 16;

/// Signs and checks withdrawal tokens.
#[derive(Clone)]
pub struct WithdrawalKey(Vec<u8>);

impl WithdrawalKey {
    pub fn new(key: Vec<u8>) -> WithdrawalKey {
        WithdrawalKey(key)
    }

    fn mac(&self, reference: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"imrf-withdraw\0");
        mac.update(reference.as_bytes());
        mac
    }

    /// The token of a reference: lower-case hex.
    pub fn token(&self, reference: &str) -> String {
        crate::store::hex(&self.mac(reference).finalize().into_bytes()[..TOKEN_BYTES])
    }

    /// Whether `token` is the reference's (compared in constant time).
    pub fn verify(&self, reference: &str, token: &str) -> bool {
        let Some(bytes) = decode_token(token) else {
            return false;
        };
        self.mac(reference).verify_truncated_left(&bytes).is_ok()
    }
}

fn decode_token(token: &str) -> Option<Vec<u8>> {
    (token.len() == TOKEN_BYTES * 2)
        .then(|| crate::store::unhex(token))
        .flatten()
}

/// The withdrawal page of a reference, in `at`'s language and document.
pub fn href(lang: Lang, shell: Shell, view: View, reference: &str, token: &str) -> String {
    let mut href = format!(
        "/{}/withdraw?reference={reference}&token={token}",
        lang.code()
    );
    if shell == Shell::Embed {
        href.push_str("&shell=embed&view=");
        href.push_str(view.key());
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> WithdrawalKey {
        WithdrawalKey::new(vec![7; 32])
    }

    #[test]
    fn a_token_is_bound_to_its_reference_and_key() {
        let t = key().token("IMRF-7K2M9QXA");
        assert_eq!(t.len(), 32);
        assert!(key().verify("IMRF-7K2M9QXA", &t));
        assert!(!key().verify("IMRF-7K2M9QXB", &t), "another reference");
        assert!(
            !WithdrawalKey::new(vec![8; 32]).verify("IMRF-7K2M9QXA", &t),
            "another key"
        );
        let mut altered = t.clone().into_bytes();
        altered[31] = if altered[31] == b'0' { b'1' } else { b'0' };
        assert!(!key().verify("IMRF-7K2M9QXA", std::str::from_utf8(&altered).unwrap()));
        for bad in [
            "",
            "zz",
            &t[..30],
            &format!("{t}00"),
            &t.to_uppercase().replace(|c: char| c.is_ascii_digit(), "g"),
        ] {
            assert!(!key().verify("IMRF-7K2M9QXA", bad), "{bad}");
        }
    }
}
