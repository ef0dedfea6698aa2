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
use axum::http::{header, HeaderValue, Request, Response, StatusCode};

use imrf_contract::Lang;
use imrf_release::embedding::View;
use imrf_release::pages::{bare_document, fill_document, FormState, Place, Shell};

use crate::config::parse_origin;
use crate::language;

const HTML: &str = "text/html; charset=utf-8";

/// The documents that name the endpoint, by URL path, with their media types.
pub const DOCUMENTS: [(&str, &str); 7] = [
    ("/index.html", HTML),
    ("/ar/index.html", HTML),
    ("/en/index.html", HTML),
    ("/embed.html", HTML),
    ("/ar/embed.html", HTML),
    ("/en/embed.html", HTML),
    ("/widget.js", "text/javascript; charset=utf-8"),
];

/// The empty time control each served document gets the current time in.
const SHOWN_AT_EMPTY: &str = "name=\"shown_at\" value=\"\"";

/// The line of `web/widget.js` that holds the default endpoint.
const WIDGET_MARKER: &str = "const DEFAULT_ENDPOINT = \"";

/// Checks an `--endpoint-url`: an `http(s)://` URL or a path starting with
/// `/`, with no character that could end an HTML attribute, a JavaScript
/// string or a CSP source list.
pub fn check_endpoint_url(raw: &str) -> Result<String> {
    let url = raw.trim();
    let bad = |c: char| !c.is_ascii_graphic() || "\"'<>\\`;,&".contains(c);
    if url.is_empty() || url.chars().any(bad) {
        bail!(
            "--endpoint-url {raw:?}: expected a URL like https://imrf.example/api/submissions \
             (no spaces, quotes, <, >, \\, `, ;, , or &)"
        );
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return Ok(url.to_string());
    }
    if endpoint_origin(url)?.is_none() {
        bail!("--endpoint-url {raw:?}: expected an http(s) URL or a path starting with /");
    }
    Ok(url.to_string())
}

/// The origin (`scheme://host[:port]`) of an absolute endpoint URL; `None`
/// for a path on this server.
pub fn endpoint_origin(url: &str) -> Result<Option<String>> {
    if url.starts_with('/') && !url.starts_with("//") {
        return Ok(None);
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        bail!("--endpoint-url {url:?}: expected an http(s) URL or a path starting with /");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let origin = parse_origin(&format!("{scheme}://{authority}"))
        .map_err(|e| anyhow::anyhow!("--endpoint-url {url:?}: {e}"))?;
    Ok(Some(origin))
}

/// Adds `source` to a CSP directive's source list unless it is there. A
/// missing directive is created from `default-src` (it would have fallen
/// back to it); with neither, nothing restricts the directive and the
/// policy is returned as it was.
pub fn add_source(csp: &str, directive: &str, source: &str) -> String {
    let mut parts: Vec<String> = csp
        .split(';')
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect();
    let name_of = |d: &str| {
        d.split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    if let Some(part) = parts.iter_mut().find(|d| name_of(d) == directive) {
        let has = part.split_whitespace().skip(1).any(|s| s == source);
        let only_none = part.split_whitespace().skip(1).collect::<Vec<_>>() == ["'none'"];
        if only_none {
            *part = format!("{directive} {source}");
        } else if !has {
            part.push(' ');
            part.push_str(source);
        }
    } else if let Some(default) = parts.iter().find(|d| name_of(d) == "default-src").cloned() {
        let sources: Vec<&str> = default
            .split_whitespace()
            .skip(1)
            .filter(|s| *s != "'none'")
            .collect();
        let mut new = format!("{directive} {}", sources.join(" "));
        if !sources.contains(&source) {
            new = format!("{} {source}", new.trim_end());
        }
        parts.push(new);
    }
    parts.join("; ")
}

/// A policy that allows posting to the endpoint's origin, if it has one.
pub fn allow_endpoint(csp: &str, origin: Option<&str>) -> String {
    match origin {
        Some(origin) => add_source(
            &add_source(csp, "connect-src", origin),
            "form-action",
            origin,
        ),
        None => csp.to_string(),
    }
}

/// Adds to `csp` the `'sha256-...'` sources that the page's own meta CSP
/// gives `script-src` and `style-src` (scripts/inline-critical.mjs puts the
/// boot script and the stylesheet inline and allows them by hash), so the
/// header policy, which browsers enforce as well, allows them too.
pub fn allow_inline_hashes(csp: &str, html: &str) -> String {
    let Some(meta) = meta_csp(html) else {
        return csp.to_string();
    };
    let mut out = csp.to_string();
    for directive in meta.split(';') {
        let mut words = directive.split_whitespace();
        let Some(name @ ("script-src" | "style-src")) = words.next() else {
            continue;
        };
        for source in words.filter(|w| w.starts_with("'sha256-") && w.ends_with('\'')) {
            out = add_source(&out, name, source);
        }
    }
    out
}

/// The content of an HTML document's `<meta http-equiv="Content-Security-Policy">`.
fn meta_csp(html: &str) -> Option<&str> {
    attr_after(html, "http-equiv=\"Content-Security-Policy\"", "content").map(|r| &html[r])
}

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

/// Writes the time a document is served into its form's `shown_at` control.
pub fn stamp_shown_at(html: &str, now_ms: u64) -> String {
    html.replace(
        SHOWN_AT_EMPTY,
        &format!("name=\"shown_at\" value=\"{now_ms}\""),
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
}

impl Default for Documents {
    fn default() -> Self {
        Documents {
            by_path: HashMap::new(),
            action: imrf_contract::SUBMISSIONS_PATH.to_string(),
            serves: false,
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
            "/widget.js" => fixed("/widget.js"),
            _ => return None,
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
        stamp_shown_at(&text, now_ms()).into()
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
        stamp_shown_at(filled.as_deref().unwrap_or(&text), now_ms()).into()
    }

    /// The page for unknown non-API paths (index.html), as a 200.
    pub fn index(&self) -> Option<Response<Body>> {
        let (media_type, body) = self.by_path.get("/index.html")?.clone();
        let mut response = Response::new(Body::from(self.stamped(&body)));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
        Some(response)
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

/// Answers GET/HEAD for a document from memory; anything else
/// goes on to the files.
pub async fn serve_configured(
    axum::extract::State(docs): axum::extract::State<std::sync::Arc<Documents>>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response<Body> {
    let method = request.method().clone();
    if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        if let Some(mut response) = docs.get(request.uri(), request.headers()) {
            if method == axum::http::Method::HEAD {
                *response.body_mut() = Body::empty();
            }
            return response;
        }
    }
    let is_html_name = request.uri().path().ends_with(".html");
    let response = next.run(request).await;
    // The file fallback for unknown paths is index.html from disk: serve the
    // one from memory instead.
    let is_page = !is_html_name
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_page && response.status() == StatusCode::OK {
        if let Some(index) = docs.index() {
            return index;
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSP: &str = "default-src 'self'; connect-src 'self'; form-action 'self'";

    #[test]
    fn endpoint_urls() {
        assert_eq!(
            check_endpoint_url(" https://api.example.org/api/submissions ").unwrap(),
            "https://api.example.org/api/submissions"
        );
        assert_eq!(
            check_endpoint_url("/x/submissions").unwrap(),
            "/x/submissions"
        );
        for bad in [
            "",
            "//evil.example/x",
            "ftp://a.example/x",
            "https://a.example/x\"><script>",
            "https://a.example; script-src *",
            "https://a.example/x y",
            "api/submissions",
            "https://*.example/x",
        ] {
            assert!(check_endpoint_url(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            endpoint_origin("https://API.example.org:8443/api/submissions?x=1").unwrap(),
            Some("https://api.example.org:8443".to_string())
        );
        assert_eq!(endpoint_origin("/api/submissions").unwrap(), None);
    }

    #[test]
    fn csp_sources() {
        assert_eq!(
            allow_endpoint(CSP, Some("https://a.example")),
            "default-src 'self'; connect-src 'self' https://a.example; \
             form-action 'self' https://a.example"
        );
        // Idempotent, and a path changes nothing.
        let once = allow_endpoint(CSP, Some("https://a.example"));
        assert_eq!(allow_endpoint(&once, Some("https://a.example")), once);
        assert_eq!(allow_endpoint(CSP, None), CSP);
        // Missing directives start from default-src; 'none' is replaced.
        assert_eq!(
            add_source("default-src 'self'", "connect-src", "https://a.example"),
            "default-src 'self'; connect-src 'self' https://a.example"
        );
        assert_eq!(
            add_source("form-action 'none'", "form-action", "https://a.example"),
            "form-action https://a.example"
        );
        assert_eq!(
            add_source("img-src 'self'", "connect-src", "https://a"),
            "img-src 'self'"
        );
    }

    #[test]
    fn inline_hashes_from_the_page() {
        let html = "<meta\n  http-equiv=\"Content-Security-Policy\"\n  content=\"default-src 'self'; \
                    script-src 'self' 'sha256-AAA='; style-src 'self' 'sha256-BBB='; img-src 'sha256-CCC='\"\n/>";
        assert_eq!(
            allow_inline_hashes(
                "default-src 'self'; script-src 'self'; style-src 'self'",
                html
            ),
            "default-src 'self'; script-src 'self' 'sha256-AAA='; style-src 'self' 'sha256-BBB='"
        );
        // A page without a meta CSP, or without hashes, changes nothing.
        assert_eq!(
            allow_inline_hashes("script-src 'self'", "<html>"),
            "script-src 'self'"
        );
        let plain = "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self'\">";
        assert_eq!(
            allow_inline_hashes("script-src 'self'", plain),
            "script-src 'self'"
        );
    }

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
            stamp_shown_at("<input name=\"shown_at\" value=\"\">", 42),
            "<input name=\"shown_at\" value=\"42\">"
        );
        let js = "import x;\nconst DEFAULT_ENDPOINT = \"/api/submissions\";\nrest";
        assert_eq!(
            rewrite_widget(js, "https://a.example/s").unwrap(),
            "import x;\nconst DEFAULT_ENDPOINT = \"https://a.example/s\";\nrest"
        );
        assert!(rewrite_widget("no marker", "/x").is_err());
    }
}
