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
use imrf_release::embedding::{View, PRIVACY_DIR};
use imrf_release::pages::{
    fill_document, language_document, privacy_document, FormState, Place, Shell, MOUNT_END,
    MOUNT_START,
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
    // The privacy notice's document has no `#imrf-app`: no app loads there.
    let privacy = template.replace(r#"<div id="imrf-app""#, r#"<div id="imrf-privacy""#);
    let embed = read(&dir.join("embed.html"));
    for lang in Lang::ALL {
        let lang_dir = dir.join(lang.code());
        std::fs::create_dir_all(&lang_dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", lang_dir.display()));
        for (name, template, shell) in [
            ("index.html", &template, Shell::Page),
            ("embed.html", &embed, Shell::Embed),
        ] {
            let document = document(template, lang, shell)
                .unwrap_or_else(|| panic!("{name} has no mount comments {MOUNT_START}{MOUNT_END}"));
            write(&lang_dir.join(name), &document);
            // The bare address serves the original language.
            if lang == Lang::Ar {
                write(&dir.join(name), &document);
            }
        }
        let privacy_dir = lang_dir.join(PRIVACY_DIR);
        std::fs::create_dir_all(&privacy_dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", privacy_dir.display()));
        let document = privacy_document(&privacy, lang)
            .unwrap_or_else(|| panic!("index.html has no mount comments {MOUNT_START}{MOUNT_END}"));
        write(&privacy_dir.join("index.html"), &document);
    }
    println!(
        "prerender: wrote index.html and embed.html, both in ar/ and en/, and the privacy notice in ar/{PRIVACY_DIR}/ and en/{PRIVACY_DIR}/, into {}",
        dir.display()
    );
}

/// `template` as `lang`'s document with the empty form.
fn document(template: &str, lang: Lang, shell: Shell) -> Option<String> {
    let place = Place {
        lang,
        shell,
        view: View::Full,
        action: SUBMISSIONS_PATH,
    };
    fill_document(
        &language_document(template, lang),
        &place,
        &FormState::Blank,
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
