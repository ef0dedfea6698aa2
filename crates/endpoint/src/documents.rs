//! Deploy-time page configuration: the endpoint URL the served pages post to,
//! and the CSP that follows from it, set when the server starts
//! (`--endpoint-url`) instead of when the app is built.
//!
//! The documents that carry the URL (`index.html`, `embed.html`,
//! `widget.js`) are read once at start, rewritten, and served from memory
//! (compressed per request), so their precompressed `.br`/`.gz` copies on
//! disk, which still name the built URL, are never served.
//! `scripts/configure-dist.mjs` applies the same rewrite to `dist/` for
//! static hosts; the rules here and there must stay the same.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response};

use imrf_contract::Lang;
use imrf_release::embedding::View;
use imrf_release::pages::{bare_document, fill_document, FormState, Place, Shell};

use crate::language;
use crate::shown_at::ShownAtKey;

mod csp;

pub use csp::{allow_endpoint, allow_inline_hashes, check_endpoint_url, endpoint_origin};

const HTML: &str = "text/html; charset=utf-8";

/// The documents that name the endpoint, by URL path, with their media types.
/// A folder's `index.html` is also served at the folder (`/en/privacy/`).
pub const DOCUMENTS: [(&str, &str); 9] = [
    ("/index.html", HTML),
    ("/ar/index.html", HTML),
    ("/en/index.html", HTML),
    // The privacy notice (`imrf_release::embedding::PRIVACY_DIR`): no form,
    // but its meta CSP names the endpoint like every document's.
    ("/ar/privacy/index.html", HTML),
    ("/en/privacy/index.html", HTML),
    ("/embed.html", HTML),
    ("/ar/embed.html", HTML),
    ("/en/embed.html", HTML),
    ("/widget.js", "text/javascript; charset=utf-8"),
];

/// The empty time control each served document gets the current time in.
const SHOWN_AT_EMPTY: &str = "name=\"shown_at\" value=\"\"";

/// The line of `web/widget.js` that holds the default endpoint.
const WIDGET_MARKER: &str = "const DEFAULT_ENDPOINT = \"";

/// Where the value of the first `attr="..."` after `anchor` (within the same
/// tag) stands; `None` when the anchor or the attribute is not there.
fn attr_after(html: &str, anchor: &str, attr: &str) -> Option<std::ops::Range<usize>> {
    let at = html.find(anchor)?;
    let tag_end = at + html[at..].find('>')?;
    let open = format!("{attr}=\"");
    let start = at + html[at..tag_end].find(&open)? + open.len();
    let end = start + html[start..].find('"')?;
    Some(start..end)
}

/// Replaces the value of the first `attr="..."` found after `anchor` (within
/// the same tag); `None` when the anchor or the attribute is not there.
fn replace_attr_after(
    html: &str,
    anchor: &str,
    attr: &str,
    f: impl FnOnce(&str) -> String,
) -> Option<String> {
    let range = attr_after(html, anchor, attr)?;
    Some(format!(
        "{}{}{}",
        &html[..range.start],
        f(&html[range.clone()]),
        &html[range.end..]
    ))
}

/// Sets the `action` of every `<form>` (the static form posts to the endpoint).
fn rewrite_form_actions(html: &str, url: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(range) = attr_after(rest, "<form ", "action") {
        out.push_str(&rest[..range.start]);
        out.push_str(url);
        rest = &rest[range.end..];
    }
    out.push_str(rest);
    out
}

/// Rewrites an HTML document: `<meta name="imrf-endpoint" content>` (when
/// present), every form's `action`, and the meta CSP's
/// `connect-src`/`form-action`.
pub fn rewrite_html(html: &str, url: &str) -> Result<String> {
    let origin = endpoint_origin(url)?;
    let mut out = rewrite_form_actions(html, url);
    if let Some(done) = replace_attr_after(&out, "name=\"imrf-endpoint\"", "content", |_| {
        url.to_string()
    }) {
        out = done;
    }
    if let Some(done) = replace_attr_after(
        &out,
        "http-equiv=\"Content-Security-Policy\"",
        "content",
        |csp| allow_endpoint(csp, origin.as_deref()),
    ) {
        out = done;
    }
    Ok(out)
}

/// Rewrites widget.js's default endpoint (`const DEFAULT_ENDPOINT = "..."`).
pub fn rewrite_widget(js: &str, url: &str) -> Result<String> {
    let Some(at) = js.find(WIDGET_MARKER) else {
        bail!("widget.js has no `{WIDGET_MARKER}...\"` line (built from an older web/widget.js?)");
    };
    let start = at + WIDGET_MARKER.len();
    let end = start
        + js[start..]
            .find('"')
            .context("widget.js: unterminated endpoint")?;
    Ok(format!("{}{}{}", &js[..start], url, &js[end..]))
}

/// Writes a (signed) `shown_at` value into a document's form.
pub fn stamp_shown_at(html: &str, value: &str) -> String {
    html.replace(
        SHOWN_AT_EMPTY,
        &format!("name=\"shown_at\" value=\"{value}\""),
    )
}

/// Milliseconds since the epoch.
pub fn now_ms() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The documents of the static directory (with `--endpoint-url`, rewritten),
/// served from memory, and the pages that answer a form post.
#[derive(Clone)]
pub struct Documents {
    by_path: HashMap<&'static str, (&'static str, axum::body::Bytes)>,
    /// Where the forms post: `--endpoint-url`, or the API's own path.
    action: String,
    /// Whether this server serves the documents (`--static-dir`), so every
    /// form it gave out carries the time it was served.
    serves: bool,
    /// Signs the time written into each form (`crate::shown_at`).
    shown_at: ShownAtKey,
}

impl Default for Documents {
    fn default() -> Self {
        Documents {
            by_path: HashMap::new(),
            action: imrf_contract::SUBMISSIONS_PATH.to_string(),
            serves: false,
            shown_at: ShownAtKey::default(),
        }
    }
}

/// Which document answers a GET, and how.
struct Chosen {
    path: &'static str,
    /// Re-rendered as the embed's form-only view in this language.
    form_only: Option<Lang>,
    /// Chosen by `Accept-Language`.
    negotiated: bool,
}

impl Documents {
    /// Reads the documents of `dir`, rewritten for `url` when given. A
    /// document the build does not have is skipped; one that cannot be
    /// rewritten is an error.
    pub fn load(dir: &Path, url: Option<&str>) -> Result<Documents> {
        let mut by_path = HashMap::new();
        for (path, media_type) in DOCUMENTS {
            let file = dir.join(&path[1..]);
            let text = match std::fs::read_to_string(&file) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).with_context(|| format!("reading {}", file.display())),
            };
            let text = match url {
                Some(url) if path.ends_with(".js") => rewrite_widget(&text, url),
                Some(url) => rewrite_html(&text, url),
                None => Ok(text),
            }
            .with_context(|| format!("configuring {}", file.display()))?;
            by_path.insert(path, (media_type, axum::body::Bytes::from(text)));
        }
        Ok(Documents {
            by_path,
            action: url.unwrap_or(imrf_contract::SUBMISSIONS_PATH).to_string(),
            serves: true,
            shown_at: ShownAtKey::default(),
        })
    }

    /// Where the forms post.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// Whether every form this server gave out carries its `shown_at`.
    pub fn serves_documents(&self) -> bool {
        self.serves
    }

    fn has(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    fn text(&self, path: &str) -> Option<&str> {
        let (_, body) = self.by_path.get(path)?;
        std::str::from_utf8(body).ok()
    }

    /// The document of a language (`/en/index.html`), or the one at the top.
    fn localised(&self, lang: Lang, name: &str) -> &'static str {
        DOCUMENTS
            .iter()
            .map(|(p, _)| *p)
            .find(|p| {
                p.strip_prefix('/').and_then(|p| p.split_once('/')) == Some((lang.code(), name))
            })
            .filter(|p| self.has(p))
            .unwrap_or_else(|| top(name))
    }

    /// `/` in a language: Arabic is the document at the top (with the boot
    /// script that follows a saved choice), when the build has one.
    fn home(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ar if self.has("/index.html") => "/index.html",
            _ => self.localised(lang, "index.html"),
        }
    }

    /// The document for a GET of `path`; `/` by `?lang=`, then
    /// `Accept-Language`, then Arabic.
    fn choose(&self, path: &str, query: Option<&str>, accept: Option<&str>) -> Option<Chosen> {
        let form_only =
            |lang: Lang| (language::query_value(query, "view") == Some("form")).then_some(lang);
        let fixed = |path| Chosen {
            path,
            form_only: None,
            negotiated: false,
        };
        Some(match path {
            "/" | "/index.html" => {
                let by_query = language::from_query(query);
                let lang = by_query
                    .or_else(|| accept.and_then(language::from_accept_language))
                    .unwrap_or_default();
                Chosen {
                    path: self.home(lang),
                    form_only: None,
                    negotiated: by_query.is_none(),
                }
            }
            "/ar/" | "/ar/index.html" => fixed("/ar/index.html"),
            "/en/" | "/en/index.html" => fixed("/en/index.html"),
            "/embed.html" => {
                let lang = language::from_query(query);
                let path = match lang {
                    Some(lang) => self.localised(lang, "embed.html"),
                    None => "/embed.html",
                };
                Chosen {
                    path,
                    form_only: form_only(lang.unwrap_or_default()),
                    negotiated: false,
                }
            }
            "/ar/embed.html" => Chosen {
                form_only: form_only(Lang::Ar),
                ..fixed("/ar/embed.html")
            },
            "/en/embed.html" => Chosen {
                form_only: form_only(Lang::En),
                ..fixed("/en/embed.html")
            },
            // Any other document at its path, or at its folder.
            other => fixed(DOCUMENTS.iter().map(|(p, _)| *p).find(|p| {
                *p == other || (other.ends_with('/') && p.strip_suffix("index.html") == Some(other))
            })?),
        })
    }

    /// The document for a request, from memory, with the time written in.
    pub fn get(
        &self,
        uri: &axum::http::Uri,
        headers: &axum::http::HeaderMap,
    ) -> Option<Response<Body>> {
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let chosen = self.choose(uri.path(), uri.query(), accept)?;
        let (media_type, body) = self.by_path.get(chosen.path)?.clone();
        let body = match (media_type == HTML, chosen.form_only) {
            (false, _) => body,
            (true, None) => self.stamped(&body),
            (true, Some(lang)) => self.form_only(&body, lang),
        };
        let mut response = Response::new(Body::from(body));
        let h = response.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
        if chosen.negotiated {
            h.insert(header::VARY, HeaderValue::from_static("accept-language"));
        }
        Some(response)
    }

    fn stamped(&self, body: &[u8]) -> axum::body::Bytes {
        let text = String::from_utf8_lossy(body);
        stamp_shown_at(&text, &self.shown_at.stamp(now_ms())).into()
    }

    /// Signs the documents' `shown_at` with the server's key.
    pub fn with_shown_at_key(mut self, key: ShownAtKey) -> Documents {
        self.shown_at = key;
        self
    }

    /// The `shown_at` key (the form path reads posted values with it).
    pub fn shown_at_key(&self) -> &ShownAtKey {
        &self.shown_at
    }

    /// An embed document re-rendered with the form only.
    fn form_only(&self, body: &[u8], lang: Lang) -> axum::body::Bytes {
        let text = String::from_utf8_lossy(body);
        let place = Place {
            lang,
            shell: Shell::Embed,
            view: View::FormOnly,
            action: &self.action,
        };
        let filled = fill_document(&text, &place, &FormState::Blank);
        let stamp = self.shown_at.stamp(now_ms());
        stamp_shown_at(filled.as_deref().unwrap_or(&text), &stamp).into()
    }

    /// The document an answer to a form post is rendered into: the
    /// language's page or embed, else a bare one (no `--static-dir`, or a
    /// build without the mount comments).
    pub fn answer(&self, place: &Place, state: &FormState) -> String {
        let name = match place.shell {
            Shell::Page => "index.html",
            Shell::Embed => "embed.html",
        };
        self.text(self.localised(place.lang, name))
            .and_then(|doc| fill_document(doc, place, state))
            .or_else(|| fill_document(&bare_document(place.lang), place, state))
            .unwrap_or_default()
    }
}

/// The top-level document of a name (`/index.html`).
fn top(name: &str) -> &'static str {
    if name == "embed.html" {
        "/embed.html"
    } else {
        "/index.html"
    }
}

/// A path as the file service resolves it: percent-decoded, empty and `.`
/// segments dropped, a trailing `/` kept (the service then opens the
/// folder's `index.html`). `None` when the file service would refuse it
/// (`..`, not UTF-8), so that nothing but a 404 can come of it.
pub fn resolved_path(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut out = String::with_capacity(decoded.len());
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => {
                out.push('/');
                out.push_str(s);
            }
        }
    }
    // The file service appends `index.html` when the raw path ends in `/`.
    if path.ends_with('/') || out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Whether a resolved path is a document's file on disk, or its
/// precompressed copy, which name the built endpoint (and carry no
/// `shown_at`): such a file is never served from disk.
fn names_document_file(resolved: &str) -> bool {
    let file = if resolved.ends_with('/') {
        format!("{resolved}index.html")
    } else {
        resolved.to_string()
    };
    let stem = file
        .strip_suffix(".br")
        .or_else(|| file.strip_suffix(".gz"))
        .unwrap_or(&file);
    DOCUMENTS.iter().any(|(p, _)| *p == stem)
}

/// Answers GET/HEAD for a document from memory, by the path the file
/// service would open (`/%65n/index.html`, `//en/` and `/en/./` are
/// `/en/index.html`); a document's file on disk (or its `.br`/`.gz` copy)
/// under any other spelling is a 404, and a path no file has gets the
/// configured index.html (client-side routing), never the one on disk.
pub async fn serve_configured(
    axum::extract::State(docs): axum::extract::State<std::sync::Arc<Documents>>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response<Body> {
    let method = request.method().clone();
    let reads = method == axum::http::Method::GET || method == axum::http::Method::HEAD;
    if reads {
        let Some(resolved) = resolved_path(request.uri().path()) else {
            return axum::response::IntoResponse::into_response(
                crate::error_response::ErrorResponse(imrf_contract::ApiError::NotFound),
            );
        };
        let uri = match request.uri().query() {
            Some(q) => format!("{resolved}?{q}"),
            None => resolved.clone(),
        };
        let found = uri
            .parse::<axum::http::Uri>()
            .ok()
            .and_then(|uri| docs.get(&uri, request.headers()));
        if let Some(response) = found {
            // (A `HEAD` is a `GET` here, its body dropped by `crate::server`.)
            return response;
        }
        if names_document_file(&resolved) {
            return axum::response::IntoResponse::into_response(
                crate::error_response::ErrorResponse(imrf_contract::ApiError::NotFound),
            );
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_widget() {
        let html = "<head>\n<meta\n  http-equiv=\"Content-Security-Policy\"\n  content=\"default-src 'self'; connect-src 'self'\"\n/>\n<meta name=\"imrf-endpoint\" content=\"/api/submissions\" />";
        let out = rewrite_html(html, "https://a.example/api/submissions").unwrap();
        assert!(
            out.contains("content=\"https://a.example/api/submissions\""),
            "{out}"
        );
        assert!(
            out.contains(
                "connect-src 'self' https://a.example; form-action 'self' https://a.example\""
            ),
            "{out}"
        );
        let forms =
            "<form method=\"post\" action=\"/api/submissions\"><form class=\"b\" action=\"/x\">";
        assert_eq!(
            rewrite_html(forms, "https://a.example/s").unwrap(),
            "<form method=\"post\" action=\"https://a.example/s\"><form class=\"b\" action=\"https://a.example/s\">"
        );
        assert_eq!(
            stamp_shown_at("<input name=\"shown_at\" value=\"\">", "42.ab"),
            "<input name=\"shown_at\" value=\"42.ab\">"
        );
        let js = "import x;\nconst DEFAULT_ENDPOINT = \"/api/submissions\";\nrest";
        assert_eq!(
            rewrite_widget(js, "https://a.example/s").unwrap(),
            "import x;\nconst DEFAULT_ENDPOINT = \"https://a.example/s\";\nrest"
        );
        assert!(rewrite_widget("no marker", "/x").is_err());
    }

    /// Issue 26, item 14: the privacy notice is a document like the others,
    /// at its folder and at its file, in each language.
    #[test]
    fn the_privacy_notice_is_served_at_its_folder() {
        let docs = Documents::default();
        for lang in ["ar", "en"] {
            let file = format!(
                "/{lang}/{}/index.html",
                imrf_release::embedding::PRIVACY_DIR
            );
            assert!(
                DOCUMENTS.iter().any(|(p, _)| *p == file),
                "{file} is a document"
            );
            for asked in [
                file.clone(),
                file.trim_end_matches("index.html").to_string(),
            ] {
                let chosen = docs.choose(&asked, None, None).expect("a document");
                assert_eq!(chosen.path, file, "{asked}");
            }
            assert!(docs
                .choose(&format!("/{lang}/privacy/other"), None, None)
                .is_none());
        }
        assert!(names_document_file("/en/privacy/index.html.br"));
        assert!(names_document_file("/en/privacy/"));
    }

    #[test]
    fn paths_as_the_file_service_resolves_them() {
        for (raw, want) in [
            ("/", Some("/")),
            ("//", Some("/")),
            ("/en/", Some("/en/")),
            ("//en/", Some("/en/")),
            ("/%65n/index.html", Some("/en/index.html")),
            ("/en%2Findex.html", Some("/en/index.html")),
            ("/en/./index.html", Some("/en/index.html")),
            ("/en%2F", Some("/en")),
            ("/en%2F/", Some("/en/")),
            ("/a/../index.html", None),
            ("/%ff", None),
        ] {
            assert_eq!(resolved_path(raw).as_deref(), want, "{raw}");
        }
        assert!(names_document_file("/en/"));
        assert!(names_document_file("/index.html.br"));
        assert!(names_document_file("/widget.js.gz"));
        assert!(!names_document_file("/main.css"));
        assert!(!names_document_file("/en"));
    }
}
