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
use imrf_contract::{form_post, ApiError, Lang};
use imrf_release::pages::{FormState, WithdrawStep};
use serde::Deserialize;

use crate::api::SharedState;
use crate::form_path::{self, At};
use crate::store::{is_reference, Withdrawal};
use crate::withdrawal_link::{href, WithdrawalKey};

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
        At::named(lang, self.shell.as_deref(), self.view.as_deref())
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
    let location = href(at.lang, at.shell, at.view, reference, token);
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

    #[test]
    fn repeated_fields_make_the_link_invalid() {
        let p =
            serde_urlencoded_lenient(b"reference=IMRF-7K2M9QXA&reference=IMRF-00000000&token=x");
        assert_eq!(p.reference.as_deref(), Some(""));
        assert_eq!(p.token.as_deref(), Some("x"));
    }
}
