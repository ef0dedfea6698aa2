//! What the console's answers share, made once at start (apart from
//! `crate::console`, so the state holds it without importing the routes):
//! the WebAuthn relying party, the console's own address, the stylesheet
//! inlined into its pages and the CSP that allows it and the console's
//! one script.
//!
//! The address is the origin passkeys are bound to and enrolment links
//! point at: from the public address when there is one; else the listen
//! address, where a loopback or unspecified IP becomes `localhost`
//! (browsers refuse WebAuthn on an IP address, and treat
//! `http://localhost` as secure, so passkeys and `Secure` cookies work
//! there in development and tests).

use std::net::SocketAddr;
use std::path::Path;

use anyhow::{bail, Context, Result};
use axum::http::HeaderValue;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use url::Url;
use webauthn_rs::{Webauthn, WebauthnBuilder};

/// The console's own rules, after the site's stylesheet.
const CONSOLE_CSS: &str = include_str!("../../../style/console.css");

/// What every console answer shares.
pub struct ConsoleSite {
    pub(crate) webauthn: Webauthn,
    pub(crate) origin: Url,
    pub(crate) stylesheet: String,
    /// The pages' policy: the stylesheet by its hash, the console's script
    /// file from this site, fetches and forms to this site only.
    pub(crate) csp: HeaderValue,
}

impl ConsoleSite {
    pub fn new(
        static_dir: Option<&Path>,
        public_url: Option<&str>,
        listen: SocketAddr,
    ) -> Result<ConsoleSite> {
        let origin = console_origin(public_url, listen)?;
        let webauthn = WebauthnBuilder::new(rp_id(&origin), &origin)
            .context("the console's WebAuthn relying party")?
            .rp_name("IMRF secretariat")
            .build()
            .context("the console's WebAuthn relying party")?;
        let site_css = static_dir
            .map(crate::record_site::find_stylesheet)
            .transpose()?
            .flatten()
            .unwrap_or_default();
        let stylesheet = format!("{site_css}\n{CONSOLE_CSS}");
        let hash =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(stylesheet.as_bytes()));
        let csp = format!(
            "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'sha256-{hash}'; \
             img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        );
        Ok(ConsoleSite {
            webauthn,
            origin,
            stylesheet,
            csp: HeaderValue::from_str(&csp).context("the console's CSP")?,
        })
    }
}

/// The console's origin (scheme, host, port; no path), e.g. `https://forms.example.org`.
pub fn console_origin(public_url: Option<&str>, listen: SocketAddr) -> Result<Url> {
    if let Some(public) = public_url.map(str::trim).filter(|u| !u.is_empty()) {
        let url = Url::parse(public).with_context(|| format!("--public-url {public:?}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            bail!("--public-url {public:?}: expected an http(s) address");
        }
        return Url::parse(&url.origin().ascii_serialization()).context("the public origin");
    }
    let ip = listen.ip();
    let host = if ip.is_loopback() || ip.is_unspecified() {
        "localhost".to_string()
    } else {
        match ip {
            std::net::IpAddr::V4(v4) => v4.to_string(),
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        }
    };
    Url::parse(&format!("http://{host}:{}", listen.port())).context("the listen origin")
}

/// The relying party id: the origin's host.
pub fn rp_id(origin: &Url) -> &str {
    origin.host_str().unwrap_or("localhost")
}

/// The enrolment link of a token.
pub fn enrolment_link(origin: &Url, token: &str) -> String {
    format!(
        "{}{}{token}",
        origin.as_str().trim_end_matches('/'),
        ENROL_PREFIX
    )
}

/// Where enrolment links point (the token follows).
pub const ENROL_PREFIX: &str = "/secretariat/enrol/";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_comes_from_the_public_address_or_the_listen_address() {
        let listen: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let o = console_origin(Some("https://forms.example.org/sub/"), listen).unwrap();
        assert_eq!(o.as_str(), "https://forms.example.org/");
        assert_eq!(rp_id(&o), "forms.example.org");
        let o = console_origin(None, listen).unwrap();
        assert_eq!(o.as_str(), "http://localhost:8080/");
        assert_eq!(rp_id(&o), "localhost");
        let o = console_origin(None, "0.0.0.0:3000".parse().unwrap()).unwrap();
        assert_eq!(o.as_str(), "http://localhost:3000/");
        let o = console_origin(None, "192.0.2.1:3000".parse().unwrap()).unwrap();
        assert_eq!(o.as_str(), "http://192.0.2.1:3000/");
        assert!(console_origin(Some("ftp://x.example"), listen).is_err());
        assert_eq!(
            enrolment_link(&console_origin(None, listen).unwrap(), "TOKEN"),
            "http://localhost:8080/secretariat/enrol/TOKEN"
        );
    }
}
