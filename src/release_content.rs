//! The release and the interface text, compiled in from `content/*.toml` by
//! `build.rs` (which checks both languages have the same structure).

use imrf_content::{Block, BlockKind, Inline, Meta, Quote, Release, Speaker};
use imrf_contract::Lang;

include!(concat!(env!("OUT_DIR"), "/content.rs"));

/// The release in one language.
pub fn release(lang: Lang) -> &'static Release {
    match lang {
        Lang::Ar => &RELEASE_AR,
        Lang::En => &RELEASE_EN,
    }
}

/// The interface text in one language.
pub fn ui(lang: Lang) -> &'static UiText {
    match lang {
        Lang::Ar => &UI_AR,
        Lang::En => &UI_EN,
    }
}

// Silence "unused import" for types only the generated code names.
#[allow(dead_code)]
fn _generated_code_uses(_: (&Block, &BlockKind, &Inline, &Meta, &Quote, &Speaker)) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_are_compiled_in_with_the_same_blocks() {
        let ids = |l| {
            release(l)
                .blocks
                .iter()
                .map(|b| b.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(Lang::Ar), ids(Lang::En));
        assert_eq!(release(Lang::Ar).lang, "ar");
        assert_eq!(release(Lang::En).lang, "en");
        assert_ne!(ui(Lang::Ar).submit, ui(Lang::En).submit);
    }
}
