//! The frame of the documents that carry no script at all (feature `ssr`):
//! the public record's pages (`crate::published`) and the page of an
//! address no document has (`crate::not_found`). Head (language, title,
//! description, icon, alternates, the inlined stylesheet), the header with
//! the site's name and the language list, and the main region. The caller
//! allows the stylesheet in its CSP by its hash.

use imrf_contract::{endonym, Lang};
use leptos::prelude::*;

use crate::release_content::ui;

/// The site's icon, at the root of the built site (`web/favicon.svg`).
pub const FAVICON: &str = "favicon.svg";

/// What a plain document's head says about it.
#[derive(Debug, Clone, Default)]
pub struct Head<'a> {
    pub title: String,
    pub description: &'a str,
    /// The page's absolute address, when the site's public address is known.
    pub canonical: Option<String>,
    /// Where the same page is in Arabic and in English.
    pub alternates: Option<(String, String)>,
    /// An Atom feed of the page: its address and its title.
    pub feed: Option<(String, &'static str)>,
    /// The site's root as seen from the page (`../../`, `/`, or the public
    /// address with a slash): where the icon is.
    pub root: String,
    /// The stylesheet, inlined.
    pub stylesheet: Option<&'a str>,
}

/// The whole document in `lang`: `head`, the header whose language list
/// links `other_href` (the page, or the site, in the other language), and
/// `content` in the main region.
pub fn plain_document(
    lang: Lang,
    head: Head,
    other_href: String,
    content: impl IntoView,
) -> impl IntoView {
    let t = ui(lang);
    let Head {
        title,
        description,
        canonical,
        alternates,
        feed,
        root,
        stylesheet,
    } = head;
    let alternates = alternates.map(|(ar, en)| {
        view! {
            <link rel="alternate" hreflang="ar" href=ar />
            <link rel="alternate" hreflang="en" href=en />
        }
    });
    let feed = feed.map(|(href, title)| {
        view! { <link rel="alternate" type="application/atom+xml" href=href title=title /> }
    });
    let stylesheet = stylesheet.map(|css| view! { <style inner_html=css.to_string()></style> });
    view! {
        <html lang=lang.code() dir=lang.dir().code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" type="image/svg+xml" href=format!("{root}{FAVICON}") />
                <title>{title}</title>
                <meta name="description" content=description.to_string() />
                {canonical.map(|href| view! { <link rel="canonical" href=href /> })}
                {alternates}
                {feed}
                {stylesheet}
            </head>
            <body>
                <div class="imrf-root">
                    <div class="imrf-app" lang=lang.code() dir=lang.dir().code() data-theme="system">
                        <header class="imrf-header">
                            <p class="imrf-site-name">{t.site_name}</p>
                            <nav class="imrf-language-nav" aria-label=t.language_nav_label>
                                {language_list(lang, other_href)}
                            </nav>
                        </header>
                        <main id="imrf-main" class="imrf-main">{content}</main>
                    </div>
                </div>
            </body>
        </html>
    }
}

/// The language list, as the release's own (`crate::app::language_items`):
/// each language named in itself, the current one marked, the other a link.
fn language_list(lang: Lang, other_href: String) -> impl IntoView {
    let other = lang.other();
    let current = view! {
        <li>
            <span class="imrf-language-current" lang=lang.code() aria-current="true">
                {endonym(lang)}
            </span>
        </li>
    };
    let link = view! {
        <li>
            <a href=other_href hreflang=other.code() lang=other.code() rel="alternate">
                {endonym(other)}
            </a>
        </li>
    };
    let items = match lang {
        Lang::Ar => view! { {current}{link} }.into_any(),
        Lang::En => view! { {link}{current} }.into_any(),
    };
    view! { <ul>{items}</ul> }
}
