//! The endpoint URL as the pages' Content-Security-Policy must allow it:
//! checking an `--endpoint-url`, its origin, adding sources to a policy, and
//! the inline-content hashes a built page's own policy carries.

use anyhow::{bail, Result};

use super::attr_after;
use crate::config::parse_origin;

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
}
