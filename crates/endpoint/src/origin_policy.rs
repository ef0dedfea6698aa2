//! Which sites may use the endpoint from their pages, decided once from the
//! settings (`Partners::decide`, pure) for the three doors a partner's page
//! meets: the API's CORS policy, who may frame `embed.html`, and which
//! sites' pages may post the form without JavaScript (a plain form post,
//! which CORS does not stop; issue 27).
//!
//! Open by default, so the documented snippets work with the shipped
//! configuration (issue 26): without a `--cors-origin` list the API answers
//! any origin (it sets no cookies, so CORS protects no session) and any site
//! may frame `embed.html`. A list, once given, is the only one: the API
//! answers those origins, `embed.html` is framed by this site, them and the
//! `--frame-ancestor` list.
//!
//! The form posted without JavaScript stays this site's (and the list's)
//! either way: no documented embedding posts it from a partner's origin
//! (the widget sends JSON with its script; the iframe's form is on this
//! site), so a foreign form post is either a stale copy of our page or a page
//! that makes its visitors post what it chose (a page where scripts do not
//! run, such as a forum or a mail that allows forms, can still do that).
//! `--cors-allow-any-origin` lets every site's pages post it too.
//!
//! A browser says where a post comes from (`Sec-Fetch-Site`, `Origin`); a
//! client that says nothing (an old browser, a script) is let through: what
//! limits it is the rate limit and the flags.

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

/// Who may use the endpoint from a page on another site ([module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partners {
    /// Whose pages may read the API's answers (CORS); `Listed` names them
    /// all (this site's own pages need no CORS).
    pub api: FormOrigins,
    /// Whose pages may frame `embed.html` (this site's always).
    pub frame: FormOrigins,
    /// Whose pages may post the form without JavaScript.
    pub form: FormOrigins,
}

impl Partners {
    /// The policy from the settings: `cors` (`--cors-origin`, canonical
    /// origins), `allow_any` (`--cors-allow-any-origin`) and `framers`
    /// (`--frame-ancestor`, canonical origins or `*`). A list and
    /// `--cors-allow-any-origin` together are refused: they contradict.
    pub fn decide(
        cors: Vec<String>,
        allow_any: bool,
        framers: Vec<String>,
    ) -> Result<Partners, String> {
        if allow_any && !cors.is_empty() {
            return Err(format!(
                "--cors-allow-any-origin (IMRF_CORS_ALLOW_ANY_ORIGIN) and a --cors-origin list \
                 (IMRF_CORS_ORIGINS: {}) contradict each other: a list means only the list. \
                 Remove one of them",
                cors.join(",")
            ));
        }
        let listed = |list: Vec<String>| {
            if list.is_empty() {
                FormOrigins::Any
            } else {
                FormOrigins::Listed(list)
            }
        };
        let frame = if framers.iter().any(|f| f == "*") {
            FormOrigins::Any
        } else {
            let mut all = cors.clone();
            all.extend(framers.into_iter().filter(|f| !cors.contains(f)));
            listed(all)
        };
        Ok(Partners {
            api: listed(cors.clone()),
            frame,
            form: if allow_any {
                FormOrigins::Any
            } else {
                FormOrigins::Listed(cors)
            },
        })
    }

    /// One line for the log at start: what a partner's page may do here.
    pub fn summary(&self) -> String {
        let show = |o: &FormOrigins| match o {
            FormOrigins::Any => "any site".to_string(),
            FormOrigins::Listed(l) if l.is_empty() => "this site only".to_string(),
            FormOrigins::Listed(l) => format!("this site and {}", l.join(", ")),
        };
        format!(
            "API answers readable by: {}; embed.html framed by: {}; form posted without JavaScript from: {}",
            show(&self.api),
            show(&self.frame),
            show(&self.form)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_by_default_and_a_list_means_only_the_list() {
        let listed = |l: &[&str]| FormOrigins::Listed(l.iter().map(|s| s.to_string()).collect());
        // Nothing set (the shipped configuration): the API and the frame are
        // open to any site; the form without JavaScript is this site's.
        let open = Partners::decide(vec![], false, vec![]).unwrap();
        assert_eq!(open.api, FormOrigins::Any);
        assert_eq!(open.frame, FormOrigins::Any);
        assert_eq!(open.form, listed(&[]));
        // A list: only the list, for each door.
        let list = Partners::decide(vec!["https://a.example".into()], false, vec![]).unwrap();
        assert_eq!(list.api, listed(&["https://a.example"]));
        assert_eq!(list.frame, listed(&["https://a.example"]));
        assert_eq!(list.form, listed(&["https://a.example"]));
        // A frame list alone restricts the frame only; `*` opens it.
        let framers = Partners::decide(
            vec!["https://a.example".into()],
            false,
            vec!["https://f.example".into(), "https://a.example".into()],
        )
        .unwrap();
        assert_eq!(
            framers.frame,
            listed(&["https://a.example", "https://f.example"])
        );
        let only_frame = Partners::decide(vec![], false, vec!["https://f.example".into()]).unwrap();
        assert_eq!(only_frame.api, FormOrigins::Any);
        assert_eq!(only_frame.frame, listed(&["https://f.example"]));
        let star = Partners::decide(vec!["https://a.example".into()], false, vec!["*".into()]);
        assert_eq!(star.unwrap().frame, FormOrigins::Any);
        // Any origin, said explicitly: every site's form posts too.
        let any = Partners::decide(vec![], true, vec![]).unwrap();
        assert_eq!((any.api, any.form), (FormOrigins::Any, FormOrigins::Any));
        let both = Partners::decide(vec!["https://a.example".into()], true, vec![]);
        assert!(both.unwrap_err().contains("IMRF_CORS_ORIGINS"));
    }

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
