//! CLDR plural categories: which form of a counted word a number takes.
//!
//! Arabic has six (zero, one, two, few for 3–10, many for 11–99, other for
//! 100, 1000, ...), English two (one, other). [`plural_category`] is the one
//! function the form, the endpoint and the messages ask. In the browser it is
//! the engine's `Intl.PluralRules` (no rule tables in the wasm); natively it
//! is ICU4X's `icu_plurals` with CLDR's data. `tests/web.rs` checks the two
//! agree on the numbers the tests here use.

use crate::Lang;

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PluralCategory {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl PluralCategory {
    pub const ALL: [PluralCategory; 6] = [
        PluralCategory::Zero,
        PluralCategory::One,
        PluralCategory::Two,
        PluralCategory::Few,
        PluralCategory::Many,
        PluralCategory::Other,
    ];

    /// The CLDR name, as `Intl.PluralRules` returns it and content files use it.
    pub fn key(self) -> &'static str {
        match self {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<PluralCategory> {
        PluralCategory::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The categories CLDR defines for a language's cardinal numbers: a
    /// plural message in that language needs a form for each.
    pub fn used_by(lang: Lang) -> &'static [PluralCategory] {
        match lang {
            Lang::Ar => &PluralCategory::ALL,
            Lang::En => &[PluralCategory::One, PluralCategory::Other],
        }
    }
}

/// The plural category of the whole number `n` in `lang` (cardinal).
pub fn plural_category(lang: Lang, n: u64) -> PluralCategory {
    imp::category(lang, n)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use icu_locale_core::locale;
    use icu_plurals::{PluralCategory as Icu, PluralRules};

    use super::PluralCategory;
    use crate::Lang;

    thread_local! {
        // Built once per thread from ICU4X's compiled CLDR data.
        static AR: PluralRules = PluralRules::try_new_cardinal(locale!("ar").into())
            .expect("ICU4X has the Arabic plural rules");
        static EN: PluralRules = PluralRules::try_new_cardinal(locale!("en").into())
            .expect("ICU4X has the English plural rules");
    }

    pub fn category(lang: Lang, n: u64) -> PluralCategory {
        let rules = match lang {
            Lang::Ar => &AR,
            Lang::En => &EN,
        };
        match rules.with(|r| r.category_for(n)) {
            Icu::Zero => PluralCategory::Zero,
            Icu::One => PluralCategory::One,
            Icu::Two => PluralCategory::Two,
            Icu::Few => PluralCategory::Few,
            Icu::Many => PluralCategory::Many,
            Icu::Other => PluralCategory::Other,
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use js_sys::{Array, Intl, Object};

    use super::PluralCategory;
    use crate::Lang;

    pub fn category(lang: Lang, n: u64) -> PluralCategory {
        let rules = Intl::PluralRules::new(&Array::of1(&lang.code().into()), &Object::new());
        let name: String = rules.select(n as f64).into();
        PluralCategory::from_key(&name).unwrap_or(PluralCategory::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_uses_all_six_categories_as_cldr_defines_them() {
        use PluralCategory::*;
        let cases = [
            (0, Zero),
            (1, One),
            (2, Two),
            (3, Few),
            (10, Few),
            (11, Many),
            (99, Many),
            (100, Other),
            (101, Other),
            (102, Other),
            (103, Few),
            (111, Many),
            (200, Other),
            (254, Many),
            (2000, Other),
            (5000, Other),
        ];
        for (n, expected) in cases {
            assert_eq!(plural_category(Lang::Ar, n), expected, "{n} in Arabic");
        }
    }

    #[test]
    fn english_has_one_and_other() {
        assert_eq!(plural_category(Lang::En, 1), PluralCategory::One);
        for n in [0, 2, 3, 11, 100, 5000] {
            assert_eq!(plural_category(Lang::En, n), PluralCategory::Other, "{n}");
        }
    }

    #[test]
    fn category_names_round_trip() {
        for c in PluralCategory::ALL {
            assert_eq!(PluralCategory::from_key(c.key()), Some(c));
        }
        assert_eq!(PluralCategory::from_key("several"), None);
    }
}
