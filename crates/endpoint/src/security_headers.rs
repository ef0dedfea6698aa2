//! The security headers of every answer (docs/operations.md compares them
//! with the OWASP Secure Headers Project's list): one set for the public
//! files (the page, embed.html, scripts, WebAssembly, CSS), one for the API.

use std::sync::Arc;

use anyhow::{Context, Result};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::parse_origin;

/// Powerful features the app never uses, switched off for it and any frame.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), \
gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

/// API answers are data, never documents: nothing may load from them or frame them.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// The paths of the iframe pages partners frame.
pub const EMBED_PATHS: [&str; 3] = ["/embed.html", "/ar/embed.html", "/en/embed.html"];

/// Marks a response as a page the endpoint rendered (an answer to a form
/// posted without JavaScript, a receipt): it gets the documents' headers,
/// not the API's, and `no-referrer`, since its URL may carry a reference.
#[derive(Debug, Clone, Copy)]
pub struct RenderedPage {
    /// In the embed's frame: framed by the partners, like embed.html.
    pub embed: bool,
}

const PERMISSIONS_POLICY_HEADER: HeaderName = HeaderName::from_static("permissions-policy");
const COOP: HeaderName = HeaderName::from_static("cross-origin-opener-policy");
const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");
const XPCDP: HeaderName = HeaderName::from_static("x-permitted-cross-domain-policies");

pub struct SecurityHeaders {
    /// The page's policy, with `frame-ancestors 'none'`.
    page_csp: HeaderValue,
    /// embed.html's policy: framed by this server and the partners only.
    embed_csp: HeaderValue,
    hsts: Option<HeaderValue>,
}

/// `csp` with `frame-ancestors` added, unless the operator's policy has one.
fn with_frame_ancestors(csp: &str, sources: &str) -> String {
    let has = csp.split(';').any(|d| {
        d.split_whitespace()
            .next()
            .is_some_and(|n| n.eq_ignore_ascii_case("frame-ancestors"))
    });
    if has {
        csp.to_string()
    } else {
        format!(
            "{}; frame-ancestors {sources}",
            csp.trim().trim_end_matches(';')
        )
    }
}

/// The sources of embed.html's `frame-ancestors`: `'self'` and the partner
/// origins (checked like CORS origins), or `*` when the operator lets any
/// site frame it.
pub fn embed_ancestors(partners: &[String]) -> Result<String> {
    let mut sources = vec!["'self'".to_string()];
    for p in partners.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if p == "*" {
            return Ok("*".to_string());
        }
        let origin = parse_origin(p).map_err(anyhow::Error::msg)?;
        if !sources.contains(&origin) {
            sources.push(origin);
        }
    }
    Ok(sources.join(" "))
}

impl SecurityHeaders {
    /// `csp` is the documents' policy (the endpoint's origin already allowed);
    /// `partners` may frame embed.html.
    pub fn new(csp: &str, partners: &[String], hsts_max_age: u64) -> Result<SecurityHeaders> {
        let value =
            |v: String| HeaderValue::from_str(&v).context("--csp is not a valid header value");
        Ok(SecurityHeaders {
            page_csp: value(with_frame_ancestors(csp, "'none'"))?,
            embed_csp: value(with_frame_ancestors(csp, &embed_ancestors(partners)?))?,
            hsts: (hsts_max_age > 0)
                .then(|| value(format!("max-age={hsts_max_age}")))
                .transpose()?,
        })
    }

    /// The headers of a page the endpoint rendered ([`RenderedPage`]).
    pub fn rendered_page(&self, h: &mut HeaderMap, embed: bool) {
        self.common(h);
        let csp = if embed {
            &self.embed_csp
        } else {
            &self.page_csp
        };
        h.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
        h.insert(COOP, HeaderValue::from_static("same-origin"));
        h.insert(CORP, HeaderValue::from_static("same-origin"));
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if embed {
            h.remove(header::X_FRAME_OPTIONS);
        } else {
            h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        }
    }

    /// The headers of the public record (`crate::publication`): its own
    /// policy, never framed; the open data and the feeds, which say
    /// `Access-Control-Allow-Origin: *`, may be read by any site.
    pub fn record(&self, h: &mut HeaderMap, csp: HeaderValue) {
        self.common(h);
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(COOP, HeaderValue::from_static("same-origin"));
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
        let open = h.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN);
        h.insert(
            CORP,
            HeaderValue::from_static(if open { "cross-origin" } else { "same-origin" }),
        );
    }

    /// The console's answers: the record's headers with the console's
    /// CSP, never cached, and no `Referer` (an enrolment link's token is in
    /// its path).
    pub fn console(&self, h: &mut HeaderMap, csp: HeaderValue) {
        self.record(h, csp);
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(header::VARY, HeaderValue::from_static("cookie"));
    }

    fn common(&self, h: &mut HeaderMap) {
        h.insert(XPCDP, HeaderValue::from_static("none"));
        h.insert(
            PERMISSIONS_POLICY_HEADER,
            HeaderValue::from_static(PERMISSIONS_POLICY),
        );
        if let Some(hsts) = &self.hsts {
            h.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
        }
    }
}

/// Headers of the public files: readable and embeddable from any origin
/// (`Access-Control-Allow-Origin: *`, `Cross-Origin-Resource-Policy:
/// cross-origin`), so a partner's page loads the widget without being listed;
/// the documents get their CSP, and only embed.html may be framed.
pub async fn public_files(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let embed = EMBED_PATHS.contains(&request.uri().path());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let h = response.headers_mut();
    headers.common(h);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    // `imrf-frame-host.js` reads embed.html's `frame-ancestors` at load, to
    // tell the partner's webmaster when this site may not frame it.
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("content-security-policy"),
    );
    h.insert(CORP, HeaderValue::from_static("cross-origin"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    let csp = if embed && is_html {
        &headers.embed_csp
    } else {
        &headers.page_csp
    };
    h.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    if is_html {
        h.insert(COOP, HeaderValue::from_static("same-origin"));
        if !embed {
            h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        }
    }
    response
}

/// Headers of API answers: never framed, never loaded as a resource by
/// another site (CORS reads are governed by the CORS policy instead).
pub async fn api(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    if let Some(page) = response.extensions().get::<RenderedPage>().copied() {
        headers.rendered_page(response.headers_mut(), page.embed);
        return response;
    }
    let h = response.headers_mut();
    headers.common(h);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(API_CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(CORP, HeaderValue::from_static("same-origin"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_ancestors() {
        assert_eq!(
            with_frame_ancestors("default-src 'self';", "'none'"),
            "default-src 'self'; frame-ancestors 'none'"
        );
        let own = "default-src 'self'; Frame-Ancestors https://a.example";
        assert_eq!(with_frame_ancestors(own, "'none'"), own);
        assert_eq!(
            embed_ancestors(&["https://A.example/".into(), "https://a.example".into()]).unwrap(),
            "'self' https://a.example"
        );
        assert_eq!(embed_ancestors(&["*".into()]).unwrap(), "*");
        assert!(embed_ancestors(&["https://a.example/path".into()]).is_err());
    }
}
