//! The release and the interface text, compiled in from `content/*.toml` by
//! `build.rs` (which checks both languages have the same structure).

use imrf_content::{Block, BlockKind, Inline, Meta, Plural, Quote, Release, Speaker};
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
fn _generated_code_uses(
    _: (
        &Block,
        &BlockKind,
        &Inline,
        &Meta,
        &Plural,
        &Quote,
        &Speaker,
    ),
) {
}

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

    #[test]
    fn messages_name_fields_by_the_form_labels() {
        use imrf_contract::{field_label, Field};
        for lang in Lang::ALL {
            let t = ui(lang);
            for (field, label) in [
                (Field::Name, t.name_label),
                (Field::Organisation, t.organisation_label),
                (Field::Email, t.email_label),
                (Field::Country, t.country_label),
                (Field::StakeholderGroup, t.group_label),
                (Field::StakeholderGroupOther, t.group_other_label),
                (Field::Title, t.title_label),
                (Field::Input, t.input_label),
                (Field::Link, t.link_label),
            ] {
                assert_eq!(field_label(field, lang), label, "{field:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn the_content_check_asks_for_the_categories_cldr_defines() {
        use imrf_contract::PluralCategory;
        for lang in Lang::ALL {
            let cldr: Vec<&str> = PluralCategory::used_by(lang)
                .iter()
                .map(|c| c.key())
                .collect();
            assert_eq!(
                imrf_content::plural_categories(lang.code()),
                cldr.as_slice(),
                "{lang:?}"
            );
        }
    }

    #[test]
    fn every_plural_category_renders_its_own_form() {
        use crate::i18n::fill_count;
        let retry = |lang, n| fill_count(&ui(lang).retrying_in, lang, n, &[("seconds", n)]);
        let ar: Vec<String> = [0, 1, 2, 3, 11, 100]
            .into_iter()
            .map(|n| retry(Lang::Ar, n))
            .collect();
        let tail = |s: &String| s.trim_start_matches("تعذّر الاتصال. ").to_string();
        assert_eq!(
            ar.iter().map(tail).collect::<Vec<_>>(),
            [
                "تُعاد المحاولة الآن…",
                "ستُعاد المحاولة خلال ثانية واحدة…",
                "ستُعاد المحاولة خلال ثانيتين…",
                "ستُعاد المحاولة خلال 3 ثوانٍ…",
                "ستُعاد المحاولة خلال 11 ثانية…",
                "ستُعاد المحاولة خلال 100 ثانية…",
            ]
        );
        assert_eq!(
            retry(Lang::En, 1),
            "The connection failed. Trying again in 1 second…"
        );
        assert_eq!(
            retry(Lang::En, 2),
            "The connection failed. Trying again in 2 seconds…"
        );

        let count = |lang, max| {
            fill_count(
                &ui(lang).char_count,
                lang,
                max,
                &[("count", 7), ("max", max)],
            )
        };
        let ar: Vec<String> = [0, 1, 2, 3, 11, 100, 5000]
            .into_iter()
            .map(|max| count(Lang::Ar, max))
            .collect();
        assert_eq!(
            ar,
            [
                "7 من 0 حرف",
                "7 من حرف واحد",
                "7 من حرفين",
                "7 من 3 أحرف",
                "7 من 11 حرفًا",
                "7 من 100 حرف",
                "7 من 5,000 حرف",
            ]
        );
        assert_eq!(count(Lang::En, 1), "7 of 1 character");
        assert_eq!(count(Lang::En, 2), "7 of 2 characters");
        assert_eq!(count(Lang::En, 5000), "7 of 5,000 characters");
    }
}
