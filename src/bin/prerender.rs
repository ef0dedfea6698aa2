//! Puts the release, in both languages, into the built `index.html` as static
//! HTML, so it reads before the WebAssembly arrives and without it. Run by the
//! trunk post-build hook: `prerender <path to index.html>`.
//!
//! Both languages are in the page; `style/main.css` shows the one matching
//! `html[lang]`, which `web/lang-boot.js` sets before the first paint. The app
//! replaces this markup with the live one when it starts.

use imrf_contract::Lang;
use imrf_release::app::static_page;
use leptos::prelude::*;

const MOUNT_POINT: &str = r#"<div id="imrf-app" class="imrf-root"></div>"#;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: prerender <path to index.html>");
    let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    assert!(
        html.contains(MOUNT_POINT),
        "{path} has no empty {MOUNT_POINT} to fill (already prerendered?)"
    );
    let pages: String = Lang::ALL
        .into_iter()
        .map(|lang| static_page(lang).to_html())
        .collect();
    let filled = html.replace(
        MOUNT_POINT,
        &format!(r#"<div id="imrf-app" class="imrf-root">{pages}</div>"#),
    );
    std::fs::write(&path, filled).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    println!("prerender: wrote the static release (ar, en) into {path}");
}
