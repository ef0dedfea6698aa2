//! What every answer of the public record shares, made once at start: the
//! stylesheet inlined into its pages (and the CSP hash that allows it), the
//! site's public address. Kept apart from `crate::publication` so the
//! state (`crate::api::AppState`) can hold it without importing the routes.

use std::path::Path;

use anyhow::{Context, Result};
use axum::http::HeaderValue;
use base64::Engine as _;
use imrf_release::published::{Layout, Site};
use sha2::{Digest, Sha256};

/// What every record answer shares, made once at start.
pub struct RecordSite {
    /// The app's stylesheet (`main-<hash>.css` of the static directory), inlined.
    pub(crate) stylesheet: Option<String>,
    pub(crate) public_url: Option<String>,
    /// The pages' policy: the stylesheet's hash, forms to this site, nothing else.
    pub(crate) csp: HeaderValue,
}

impl RecordSite {
    pub fn new(static_dir: Option<&Path>, public_url: Option<&str>) -> Result<RecordSite> {
        let stylesheet = static_dir.map(find_stylesheet).transpose()?.flatten();
        let style_src = stylesheet.as_deref().map_or("'none'".to_string(), |css| {
            let digest = Sha256::digest(css.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        });
        let csp = format!(
            "default-src 'none'; style-src {style_src}; img-src 'self' data:; form-action 'self'; \
             base-uri 'none'; frame-ancestors 'none'"
        );
        Ok(RecordSite {
            stylesheet,
            public_url: public_url.map(|u| u.trim_end_matches('/').to_string()),
            csp: HeaderValue::from_str(&csp).context("the record's CSP")?,
        })
    }

    pub(crate) fn site(&self) -> Site<'_> {
        Site {
            stylesheet: self.stylesheet.as_deref(),
            public_url: self.public_url.as_deref(),
            layout: Layout::Served,
        }
    }
}

/// The record's own stylesheet in the static directory (`style/record.css`).
const RECORD_CSS: &str = "record.css";

/// The built stylesheet (`main-<hash>.css`) and the record's own after it,
/// when the directory has them.
pub(crate) fn find_stylesheet(dir: &Path) -> Result<Option<String>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    let mut names: Vec<_> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("main-") && n.ends_with(".css"))
        .collect();
    names.sort();
    names.truncate(1);
    names.push(RECORD_CSS.to_string());
    let mut css = String::new();
    for name in names {
        let path = dir.join(&name);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            css.push_str(text.trim());
            css.push('\n');
        }
    }
    Ok((!css.is_empty()).then(|| css.trim_end().to_string()))
}
