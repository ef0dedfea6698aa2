//! What search engines and other crawlers read: `/robots.txt` (every path
//! allowed, and where the sitemap is when the site's public address is
//! known) and `/sitemap.xml` (the absolute address of every public
//! document, in both languages: the release, the privacy notice, the
//! record's list and each published input). A sitemap must name absolute
//! addresses, and the request's `Host` is the client's to choose, so
//! without `--public-url` there is none (404) and robots.txt names none.
//! `imrf-endpoint export-site` writes the same two files (`Layout::Files`).

use std::fmt::Write as _;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use imrf_contract::Lang;
use imrf_release::embedding::PRIVACY_DIR;
use imrf_release::published::{self, Layout};

use super::xml_text;
use crate::api::SharedState;

pub const ROBOTS_PATH: &str = "/robots.txt";
pub const SITEMAP_PATH: &str = "/sitemap.xml";

/// One published input, as the sitemap names it.
pub struct Entry<'a> {
    pub reference: &'a str,
    /// RFC 3339; the sitemap gives its date.
    pub published: &'a str,
}

/// robots.txt: every crawler may read every path; the sitemap's absolute
/// address when `public_url` (no trailing slash) is known.
pub fn robots_txt(public_url: Option<&str>) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = public_url {
        let _ = write!(text, "\nSitemap: {base}{SITEMAP_PATH}\n");
    }
    text
}

/// One public document: its path in each language (`Lang::ALL`'s order)
/// and the date it last changed, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub paths: [String; 2],
    pub lastmod: Option<String>,
}

/// The public documents: the release, the privacy notice, the record's
/// list, then every input's page.
pub fn public_documents(layout: Layout, inputs: &[Entry]) -> Vec<Document> {
    let each = |path: &dyn Fn(Lang) -> String| Lang::ALL.map(path);
    let mut docs = vec![
        Document {
            paths: each(&|l| format!("/{}/", l.code())),
            lastmod: None,
        },
        Document {
            paths: each(&|l| format!("/{}/{PRIVACY_DIR}/", l.code())),
            lastmod: None,
        },
        Document {
            paths: each(&published::list_path),
            lastmod: None,
        },
    ];
    docs.extend(inputs.iter().map(|input| Document {
        paths: each(&|l| match layout {
            Layout::Served => published::input_path(l, input.reference),
            Layout::Files => published::file_input_path(l, input.reference),
        }),
        lastmod: Some(published::date_of(input.published).to_string()),
    }));
    docs
}

/// The sitemap (sitemaps.org 0.9) of `docs` under `public_url` (no
/// trailing slash): one entry per document and language, each naming the
/// document in every language (`xhtml:link rel="alternate" hreflang`).
pub fn sitemap_xml(public_url: &str, docs: &[Document]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let url = |path: &str| xml_text(&format!("{public_url}{path}"));
    for doc in docs {
        for path in &doc.paths {
            let _ = write!(xml, "<url><loc>{}</loc>", url(path));
            if let Some(date) = &doc.lastmod {
                let _ = write!(xml, "<lastmod>{}</lastmod>", xml_text(date));
            }
            for (lang, other) in Lang::ALL.iter().zip(&doc.paths) {
                let _ = write!(
                    xml,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    lang.code(),
                    url(other)
                );
            }
            xml.push_str("</url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The two routes.
pub fn routes() -> Router<SharedState> {
    Router::new()
        .route(ROBOTS_PATH, get(robots))
        .route(SITEMAP_PATH, get(sitemap))
}

fn text(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

async fn robots(State(app): State<SharedState>) -> Response {
    text(
        "text/plain; charset=utf-8",
        robots_txt(app.record.public_url.as_deref()),
    )
}

async fn sitemap(State(app): State<SharedState>) -> Response {
    let Some(base) = app.record.public_url.as_deref() else {
        tracing::info!(
            status = 404,
            "sitemap: no --public-url, so no absolute addresses"
        );
        return crate::error_response::ErrorResponse(imrf_contract::ApiError::NotFound)
            .into_response();
    };
    let rows = match app.store.all_published().await {
        Ok(rows) => rows,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), status = 500, "sitemap: reading the record failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, ()).into_response();
        }
    };
    let entries: Vec<Entry> = rows
        .iter()
        .map(|r| Entry {
            reference: &r.reference,
            published: &r.published_at,
        })
        .collect();
    text(
        "application/xml; charset=utf-8",
        sitemap_xml(base, &public_documents(Layout::Served, &entries)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_names_the_sitemap_only_with_a_public_address() {
        assert_eq!(robots_txt(None), "User-agent: *\nAllow: /\n");
        assert_eq!(
            robots_txt(Some("https://forms.example.org/imrf")),
            "User-agent: *\nAllow: /\n\nSitemap: https://forms.example.org/imrf/sitemap.xml\n"
        );
    }

    #[test]
    fn the_sitemap_names_every_public_document_in_both_languages() {
        let inputs = [Entry {
            reference: "IMRF-7K2M9QXA",
            published: "2026-12-04T10:00:00Z",
        }];
        let base = "https://x.example/a&b";
        let xml = sitemap_xml(base, &public_documents(Layout::Served, &inputs));
        let b = "https://x.example/a&amp;b";
        for (ar, en) in [
            ("/ar/", "/en/"),
            ("/ar/privacy/", "/en/privacy/"),
            ("/ar/inputs/", "/en/inputs/"),
        ] {
            let alternates = format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"{b}{ar}\"/>\
                 <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{b}{en}\"/></url>"
            );
            for path in [ar, en] {
                assert!(
                    xml.contains(&format!("<url><loc>{b}{path}</loc>{alternates}")),
                    "{path}: {xml}"
                );
            }
        }
        for lang in ["ar", "en"] {
            assert!(xml.contains(&format!(
                "<url><loc>{b}/{lang}/inputs/IMRF-7K2M9QXA</loc><lastmod>2026-12-04</lastmod><xhtml:link"
            )), "{xml}");
        }
        assert_eq!(xml.matches("<url>").count(), 8);
        let files = public_documents(Layout::Files, &inputs);
        assert_eq!(files[3].paths[1], "/en/inputs/IMRF-7K2M9QXA/");
    }
}
