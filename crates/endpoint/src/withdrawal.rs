//! Withdrawal without an account: the receipt (and, later, the confirmation
//! e-mail) carries a link `/{lang}/withdraw?reference=REF&token=TOKEN`
//! whose token is an HMAC of the reference with a server key kept in the
//! database (`server_keys`), so it cannot be made from the reference alone.
//! The link's page asks once more; its form posts back, and the input is
//! marked withdrawn (never published; the mailbox gets a notice). Twice is
//! harmless; a wrong or altered token changes nothing and says so.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{KeyInit, Mac};
use imrf_contract::{form_post, ApiError, Lang};
use imrf_release::embedding::View;
use imrf_release::pages::{FormState, Shell, WithdrawStep};
use serde::Deserialize;

use crate::api::SharedState;
use crate::form_path::{self, At};
use crate::store::{is_reference, Withdrawal};

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
pub fn href(at: At, reference: &str, token: &str) -> String {
    let mut href = format!(
        "/{}/withdraw?reference={reference}&token={token}",
        at.lang.code()
    );
    if at.shell == Shell::Embed {
        href.push_str("&shell=embed&view=");
        href.push_str(at.view.key());
    }
    href
}

/// The query of the link, or the fields of its page's form.
#[derive(Debug, Default, Deserialize)]
pub struct WithdrawParams {
    reference: Option<String>,
    token: Option<String>,
    shell: Option<String>,
    view: Option<String>,
}

impl WithdrawParams {
    fn at(&self, lang: Lang) -> At {
        At {
            lang,
            shell: self
                .shell
                .as_deref()
                .and_then(Shell::from_key)
                .unwrap_or(Shell::Page),
            view: self.view.as_deref().map_or(View::Full, View::from_key),
        }
    }

    /// The reference, when the token is its own.
    fn verified<'a>(&'a self, key: &WithdrawalKey) -> Option<(&'a str, &'a str)> {
        let reference = self.reference.as_deref().filter(|r| is_reference(r))?;
        let token = self.token.as_deref()?;
        key.verify(reference, token).then_some((reference, token))
    }
}

/// `GET /{lang}/withdraw?reference=REF&token=TOKEN`: asks once more, or
/// says it is done; a link that is not valid changes nothing (404).
pub async fn page(
    lang: Lang,
    State(app): State<SharedState>,
    query: Result<Query<WithdrawParams>, QueryRejection>,
) -> Response {
    let params = query.map(|Query(q)| q).unwrap_or_default();
    let at = params.at(lang);
    let docs = &app.documents;
    let Some((reference, token)) = params.verified(&app.withdrawal_key) else {
        return invalid(&app, at);
    };
    let (exists, withdrawn) = match (
        app.store.reference_exists(reference).await,
        app.store.withdrawn_at(reference).await,
    ) {
        (Ok(e), Ok(w)) => (e, w),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %format!("{e:#}"), status = 500, "reading a withdrawal failed");
            return form_path::problem_page(docs, at, ApiError::Internal);
        }
    };
    let action = format!("/{}/withdraw", lang.code());
    let step = match (exists, withdrawn) {
        (false, _) => return invalid(&app, at),
        (true, Some(_)) => WithdrawStep::Done,
        (true, None) => WithdrawStep::Ask {
            action: &action,
            token,
        },
    };
    let state = FormState::Withdraw { reference, step };
    form_path::rendered(docs, at, &state, StatusCode::OK, None)
}

/// `POST /{lang}/withdraw` (the page's form): withdraws, then `303` back to
/// the page, which now says it is done.
pub async fn confirm(lang: Lang, State(app): State<SharedState>, body: Bytes) -> Response {
    let params: WithdrawParams = serde_urlencoded_lenient(&body);
    let at = params.at(lang);
    let Some((reference, token)) = params.verified(&app.withdrawal_key) else {
        tracing::info!(status = 404, "withdrawal refused: not a valid link");
        return invalid(&app, at);
    };
    match app.store.withdraw(reference).await {
        Ok(Withdrawal::Withdrawn) => {
            tracing::info!(%reference, "input withdrawn by its sender");
        }
        Ok(Withdrawal::Already(_)) => {
            tracing::info!(%reference, "withdrawal repeated: nothing changed");
        }
        Ok(Withdrawal::Unknown) => return invalid(&app, at),
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), status = 500, "withdrawing failed");
            return form_path::problem_page(&app.documents, at, ApiError::Internal);
        }
    }
    let location = href(at, reference, token);
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

fn invalid(app: &SharedState, at: At) -> Response {
    let state = FormState::Withdraw {
        reference: "",
        step: WithdrawStep::Invalid,
    };
    form_path::rendered(&app.documents, at, &state, StatusCode::NOT_FOUND, None)
}

/// The page's form fields (an unreadable body reads as none: the link is then not valid).
fn serde_urlencoded_lenient(body: &[u8]) -> WithdrawParams {
    let mut params = WithdrawParams::default();
    for (name, value) in url::form_urlencoded::parse(body) {
        let slot = match name.as_ref() {
            "reference" => &mut params.reference,
            "token" => &mut params.token,
            form_post::SHELL => &mut params.shell,
            form_post::VIEW => &mut params.view,
            _ => continue,
        };
        // A repeated field makes the link not valid rather than choosing one.
        *slot = if slot.is_some() {
            Some(String::new())
        } else {
            Some(value.into_owned())
        };
    }
    params
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

    #[test]
    fn repeated_fields_make_the_link_invalid() {
        let p =
            serde_urlencoded_lenient(b"reference=IMRF-7K2M9QXA&reference=IMRF-00000000&token=x");
        assert_eq!(p.reference.as_deref(), Some(""));
        assert_eq!(p.token.as_deref(), Some("x"));
    }
}
