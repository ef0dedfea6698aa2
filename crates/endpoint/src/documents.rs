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

use crate::config::parse_origin;

/// The documents that name the endpoint, by URL path, with their media types.
pub const DOCUMENTS: [(&str, &str); 3] = [
    ("/index.html", "text/html; charset=utf-8"),
    ("/embed.html", "text/html; charset=utf-8"),
    ("/widget.js", "text/javascript; charset=utf-8"),
];

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

/// Rewrites an HTML document: `<meta name="imrf-endpoint" content>` (when
/// present) and the meta CSP's `connect-src`/`form-action`.
pub fn rewrite_html(html: &str, url: &str) -> Result<String> {
    let origin = endpoint_origin(url)?;
    let mut out = html.to_string();
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

/// The rewritten documents, served from memory.
#[derive(Clone, Default)]
pub struct Documents {
    by_path: HashMap<&'static str, (&'static str, axum::body::Bytes)>,
}

impl Documents {
    /// Reads and rewrites the documents of `dir` for `url`. A document the
    /// build does not have is skipped; one that cannot be rewritten is an error.
    pub fn load(dir: &Path, url: &str) -> Result<Documents> {
        let mut by_path = HashMap::new();
        for (path, media_type) in DOCUMENTS {
            let file = dir.join(&path[1..]);
            let text = match std::fs::read_to_string(&file) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).with_context(|| format!("reading {}", file.display())),
            };
            let text = if path.ends_with(".js") {
                rewrite_widget(&text, url)
            } else {
                rewrite_html(&text, url)
            }
            .with_context(|| format!("configuring {}", file.display()))?;
            by_path.insert(path, (media_type, axum::body::Bytes::from(text)));
        }
        Ok(Documents { by_path })
    }

    /// The document for a request path (`/` is index.html).
    pub fn get(&self, path: &str) -> Option<Response<Body>> {
        let path = if path == "/" { "/index.html" } else { path };
        let (media_type, body) = self.by_path.get(path)?.clone();
        let mut response = Response::new(Body::from(body));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
        Some(response)
    }

    /// The page for unknown non-API paths (index.html), as a 200.
    pub fn index(&self) -> Option<Response<Body>> {
        self.get("/index.html")
    }
}

/// Answers GET/HEAD for a configured document from memory; anything else
/// goes on to the files.
pub async fn serve_configured(
    axum::extract::State(docs): axum::extract::State<std::sync::Arc<Documents>>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response<Body> {
    let method = request.method().clone();
    if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        if let Some(mut response) = docs.get(request.uri().path()) {
            if method == axum::http::Method::HEAD {
                *response.body_mut() = Body::empty();
            }
            return response;
        }
    }
    let is_html_name = request.uri().path().ends_with(".html");
    let response = next.run(request).await;
    // The file fallback for unknown paths is index.html from disk: serve the
    // configured one instead.
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
        let js = "import x;\nconst DEFAULT_ENDPOINT = \"/api/submissions\";\nrest";
        assert_eq!(
            rewrite_widget(js, "https://a.example/s").unwrap(),
            "import x;\nconst DEFAULT_ENDPOINT = \"https://a.example/s\";\nrest"
        );
        assert!(rewrite_widget("no marker", "/x").is_err());
    }
}
