//! The page of an address no document has (feature `ssr`): answered with a
//! 404 by the endpoint, and written as `404.html` by `imrf-endpoint
//! export-site` for static hosts. A whole document with no script (the
//! frame of `crate::plain_page`), in the language the address names or the
//! visitor's, linking the release in that language and in the other.

use imrf_contract::Lang;
use leptos::prelude::*;

use crate::plain_page::{plain_document, Head};
use crate::release_content::ui;

/// The not-found document in `lang`. `root` is the site's root as the page
/// sees it: relative to the address asked for (`../`), `/`, or the public
/// address with a trailing slash (a static host serves `404.html` at any
/// address). `stylesheet` is inlined (the caller's CSP allows it by hash).
pub fn not_found_document(lang: Lang, root: &str, stylesheet: Option<&str>) -> String {
    let t = ui(lang);
    let home = |l: Lang| format!("{root}{}/", l.code());
    let head = Head {
        title: format!("{} | {}", t.not_found_title, t.site_name),
        description: t.not_found_body,
        root: root.to_string(),
        stylesheet,
        ..Head::default()
    };
    let (own, other) = (home(lang), home(lang.other()));
    let html = crate::static_html::render(move || {
        let content = view! {
            <article class="imrf-record">
                <h1>{t.not_found_title}</h1>
                <p>{t.not_found_body}</p>
                <p><a href=own>{t.not_found_home}</a></p>
            </article>
        };
        plain_document(lang, head, other, content)
    });
    format!("<!doctype html>\n{html}\n")
}

/// The site's root seen from `path` (an address on this site): `../` once
/// per folder below the root, so the links work under any path prefix.
pub fn root_from(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    "../".repeat(path.matches('/').count().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_each_language_linking_home_with_no_script() {
        for lang in Lang::ALL {
            let t = ui(lang);
            let doc = not_found_document(lang, "../../", Some("p{color:red}"));
            assert!(doc.starts_with("<!doctype html>\n<html"), "{doc}");
            assert!(
                doc.contains(&format!(
                    r#"<html lang="{}" dir="{}">"#,
                    lang.code(),
                    lang.dir().code()
                )),
                "{doc}"
            );
            assert!(doc.contains(&format!("<h1>{}</h1>", t.not_found_title)));
            assert!(doc.contains(&format!(
                r#"<a href="../../{}/">{}</a>"#,
                lang.code(),
                t.not_found_home
            )));
            assert!(doc.contains(&format!(
                r#"href="../../{}/" hreflang="{}""#,
                lang.other().code(),
                lang.other().code()
            )));
            assert!(
                doc.contains(r#"<link rel="icon" type="image/svg+xml" href="../../favicon.svg">"#),
                "{doc}"
            );
            assert!(doc.contains("<style>p{color:red}</style>"));
            assert!(!doc.contains("<script") && !doc.contains("<!>"), "{doc}");
        }
    }

    #[test]
    fn the_root_from_any_address() {
        assert_eq!(root_from("/x"), "");
        assert_eq!(root_from("/favicon.ico"), "");
        assert_eq!(root_from("/en/no-such-page"), "../");
        assert_eq!(root_from("/en/a/b/?q=/x"), "../../../");
        assert_eq!(root_from("//a"), "../");
    }
}
