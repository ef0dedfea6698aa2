//! Which sites may post the form without JavaScript: the same rule as the
//! API's CORS policy, applied to a plain form post, which CORS does not stop
//! (issue 27). Any site with `--cors-allow-any-origin`; otherwise this site
//! and the `--cors-origin` list. A browser says where a post comes from
//! (`Sec-Fetch-Site`, `Origin`); a client that says nothing (an old browser,
//! a script) is let through: what limits it is the rate limit and the flags.

use axum::http::{header, HeaderMap};

/// The sites whose pages may post the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormOrigins {
    Any,
    /// This site and these origins (canonical, `https://partner.example`).
    Listed(Vec<String>),
}

impl FormOrigins {
    /// Whether a form post with these headers may go on.
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        let listed = match self {
            FormOrigins::Any => return true,
            FormOrigins::Listed(list) => list,
        };
        let text = |name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        if matches!(text("sec-fetch-site"), Some("same-origin" | "none")) {
            return true;
        }
        let Some(origin) = text(header::ORIGIN.as_str()) else {
            // No word from the browser: the post's own host cannot be doubted.
            return true;
        };
        let origin = origin.to_ascii_lowercase();
        if listed.contains(&origin) {
            return true;
        }
        // Same origin: the Origin's host (and port) is the Host this request
        // came to (through a proxy, the public one).
        let authority = origin.split_once("://").map(|(_, a)| a);
        let host = text(header::HOST.as_str()).map(str::to_ascii_lowercase);
        authority.is_some() && authority == host.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn only_this_site_and_the_listed_ones_post_when_a_list_is_kept() {
        let policy = FormOrigins::Listed(vec!["https://partner.example".into()]);
        let host = ("host", "forms.example.org");
        for (allowed, pairs) in [
            (true, vec![host, ("sec-fetch-site", "same-origin")]),
            (true, vec![host, ("origin", "https://forms.example.org")]),
            (
                true,
                vec![
                    host,
                    ("origin", "https://Partner.example"),
                    ("sec-fetch-site", "cross-site"),
                ],
            ),
            (true, vec![host]),
            (
                false,
                vec![
                    host,
                    ("origin", "https://evil.example"),
                    ("sec-fetch-site", "cross-site"),
                ],
            ),
            (false, vec![host, ("origin", "https://evil.example")]),
            (false, vec![host, ("origin", "null")]),
            (
                false,
                vec![host, ("origin", "https://forms.example.org.evil.example")],
            ),
            (
                false,
                vec![
                    host,
                    ("origin", "https://api.example.org"),
                    ("sec-fetch-site", "same-site"),
                ],
            ),
        ] {
            assert_eq!(policy.allows(&headers(&pairs)), allowed, "{pairs:?}");
        }
        assert!(FormOrigins::Any.allows(&headers(&[host, ("origin", "https://evil.example")])));
    }
}
