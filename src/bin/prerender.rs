//! Writes one complete document per language from the built `index.html`,
//! so the release and the whole form read and work before the WebAssembly
//! arrives and without it: `index.html` (Arabic, the bare address; its boot
//! script moves a visitor whose language is English to `/en/`),
//! `ar/index.html` and `en/index.html`. Run by the trunk post-build hook,
//! after the critical CSS is inlined: `prerender <dist directory>`.
//!
//! The markup comes from the live app's own components (`imrf_release::pages`),
//! which the app takes over when it starts (`imrf_release::takeover`).

use std::path::Path;

use imrf_contract::{Lang, SUBMISSIONS_PATH};
use imrf_release::embedding::View;
use imrf_release::pages::{
    fill_document, language_document, FormState, Place, Shell, MOUNT_END, MOUNT_START,
};

const MOUNT_POINT: &str = r#"<div id="imrf-app" class="imrf-root"></div>"#;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: prerender <dist directory>");
    let dir = Path::new(&dir);
    let template = read(&dir.join("index.html"));
    assert!(
        template.contains(MOUNT_POINT),
        "{} has no empty {MOUNT_POINT} to fill (already prerendered?)",
        dir.display()
    );
    let template = template.replace(
        MOUNT_POINT,
        &format!(r#"<div id="imrf-app" class="imrf-root">{MOUNT_START}{MOUNT_END}</div>"#),
    );
    for lang in Lang::ALL {
        let place = Place {
            lang,
            shell: Shell::Page,
            view: View::Full,
            action: SUBMISSIONS_PATH,
        };
        let document = fill_document(
            &language_document(&template, lang),
            &place,
            &FormState::Blank,
        )
        .expect("the template has the mount comments");
        let lang_dir = dir.join(lang.code());
        std::fs::create_dir_all(&lang_dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", lang_dir.display()));
        write(&lang_dir.join("index.html"), &document);
        if lang == Lang::Ar {
            write(&dir.join("index.html"), &document);
        }
    }
    println!(
        "prerender: wrote index.html, ar/index.html, en/index.html into {}",
        dir.display()
    );
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
