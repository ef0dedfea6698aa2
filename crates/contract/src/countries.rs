//! Countries and areas with their UN names in Arabic and English (the M49
//! names of OCHA's Countries & Territories taxonomy; see
//! `scripts/gen-countries.py`), Arab states first as the form lists them,
//! each group in its language's collation order (computed at build time by
//! `build.rs` with ICU4X, so only the order is compiled in).

use std::sync::OnceLock;

use crate::Lang;

const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");

// ORDER_AR, ORDER_EN: indices into `all()`, in each language's reading order.
include!(concat!(env!("OUT_DIR"), "/country_order.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: &'static str,
    pub arab_state: bool,
    /// In the UN terminology list (a Member or observer State), as opposed
    /// to an area M49 lists separately.
    pub unterm: bool,
    pub name_ar: &'static str,
    pub name_en: &'static str,
}

impl Country {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ar => self.name_ar,
            Lang::En => self.name_en,
        }
    }
}

/// All countries and areas, in code order.
pub fn all() -> &'static [Country] {
    static PARSED: OnceLock<Vec<Country>> = OnceLock::new();
    PARSED.get_or_init(|| {
        COUNTRIES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|line| {
                let mut cols = line.split('\t');
                let mut next = || cols.next().expect("countries.tsv has five columns");
                Country {
                    code: next(),
                    arab_state: next() == "1",
                    unterm: next() == "1",
                    name_ar: next(),
                    name_en: next(),
                }
            })
            .collect()
    })
}

pub fn is_known(code: &str) -> bool {
    all().iter().any(|c| c.code == code)
}

/// The order the form shows them in: Arab states first, then all others,
/// each group in the collation order of the given language.
pub fn display_order(lang: Lang) -> Vec<Country> {
    let order: &[u16] = match lang {
        Lang::Ar => &ORDER_AR,
        Lang::En => &ORDER_EN,
    };
    let sorted = order.iter().map(|&i| all()[usize::from(i)]);
    let (arab, others): (Vec<Country>, Vec<Country>) = sorted.partition(|c| c.arab_state);
    arab.into_iter().chain(others).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(lang: Lang, codes: &[&str]) -> Vec<&'static str> {
        let by_code = |code: &&str| all().iter().find(|c| c.code == *code).expect(code);
        codes.iter().map(|code| by_code(code).name(lang)).collect()
    }

    /// Where a name appears in the form's list (Arab states, then others).
    fn position(lang: Lang, code: &str) -> usize {
        display_order(lang)
            .iter()
            .position(|c| c.code == code)
            .expect(code)
    }

    #[test]
    fn sensitive_entries_carry_the_un_names_in_both_languages() {
        let expected: [(&str, &str, &str); 16] = [
            ("PS", "دولة فلسطين", "State of Palestine"),
            ("SY", "الجمهورية العربية السورية", "Syrian Arab Republic"),
            ("VA", "الكرسي الرسولي", "Holy See"),
            (
                "IR",
                "إيران (جمهورية - الإسلامية)",
                "Iran (Islamic Republic of)",
            ),
            ("RU", "الاتحاد الروسي", "Russian Federation"),
            ("KR", "جمهورية كوريا", "Republic of Korea"),
            (
                "KP",
                "جمهورية كوريا الشعبية الديمقراطية",
                "Democratic People's Republic of Korea",
            ),
            (
                "TZ",
                "جمهورية تنزانيا المتحدة",
                "United Republic of Tanzania",
            ),
            (
                "BO",
                "بوليفيا (دولة - المتعددة القوميات)",
                "Bolivia (Plurinational State of)",
            ),
            (
                "VE",
                "فنزويلا (جمهورية - البوليفارية)",
                "Venezuela (Bolivarian Republic of)",
            ),
            ("CI", "كوت ديفوار", "Côte d’Ivoire"),
            ("CZ", "تشيكيا", "Czechia"),
            (
                "HK",
                "الصين، منطقة هونغ كونغ الإدارية الخاصة",
                "China, Hong Kong Special Administrative Region",
            ),
            ("FK", "جزر فوكلاند (مالفيناس)", "Falkland Islands (Malvinas)"),
            ("NL", "هولندا (مملكة -)", "Netherlands (Kingdom of the)"),
            ("MD", "جمهورية مولدوفا", "Republic of Moldova"),
        ];
        for (code, ar, en) in expected {
            assert_eq!(names(Lang::Ar, &[code]), [ar], "{code} in Arabic");
            assert_eq!(names(Lang::En, &[code]), [en], "{code} in English");
        }
        // Observer States are on the UN terminology list; areas are not.
        assert!(all().iter().find(|c| c.code == "PS").unwrap().unterm);
        assert!(all().iter().find(|c| c.code == "VA").unwrap().unterm);
        assert!(!all().iter().find(|c| c.code == "HK").unwrap().unterm);
        // The source carries no M49 name for these, so the UN list has no entry.
        for code in ["TW", "XK"] {
            assert!(!is_known(code), "{code} is not listed on its own");
        }
        // No CLDR everyday forms or abbreviations left.
        for c in all() {
            assert!(
                !c.name_en.contains(" & ") && !c.name_en.contains("St. "),
                "{c:?}"
            );
        }
    }

    #[test]
    fn the_arab_states_come_first_and_are_all_there() {
        for lang in Lang::ALL {
            let list = display_order(lang);
            let arab = list.iter().take_while(|c| c.arab_state).count();
            assert_eq!(arab, 22, "the League of Arab States has 22 members");
            assert!(list[arab..].iter().all(|c| !c.arab_state));
            assert_eq!(list.len(), all().len());
        }
    }

    #[test]
    fn arabic_order_ignores_the_article_and_files_hamza_forms_with_alef() {
        // Among the Arab states: أ and إ are one letter, so الأردن (أردن)
        // precedes الإمارات (إمارات) because ر < م; السعودية is filed under
        // its full UN name, المملكة العربية السعودية, hence under م.
        let sample = ["JO", "AE", "BH", "DZ", "SA", "SD", "SY", "TN"];
        let mut got = sample.to_vec();
        got.sort_by_key(|code| position(Lang::Ar, code));
        // الأردن، الإمارات، البحرين، تونس، الجزائر، الجمهورية العربية السورية، السودان، المملكة العربية السعودية
        assert_eq!(got, ["JO", "AE", "BH", "TN", "DZ", "SY", "SD", "SA"]);
        // Among the others: إسبانيا (إ) between أرمينيا (أ) and أستراليا (أ);
        // آيرلندا (آ) next to إيطاليا (إ); the article ignored for الأرجنتين.
        let others = ["AM", "ES", "AU", "IE", "IT", "AR", "AF", "BR"];
        let mut got = others.to_vec();
        got.sort_by_key(|code| position(Lang::Ar, code));
        // الأرجنتين، أرمينيا، إسبانيا، أستراليا، أفغانستان، آيرلندا، إيطاليا، البرازيل
        assert_eq!(got, ["AR", "AM", "ES", "AU", "AF", "IE", "IT", "BR"]);
    }

    #[test]
    fn english_order_ignores_diacritics() {
        let sample = [
            "AX", "AF", "AL", "CI", "HR", "CU", "CW", "CZ", "RE", "RO", "TR", "TM",
        ];
        let mut got = sample.to_vec();
        got.sort_by_key(|code| position(Lang::En, code));
        // Afghanistan, Åland Islands, Albania, Côte d’Ivoire, Croatia, Cuba,
        // Curaçao, Czechia, Réunion, Romania, Türkiye, Turkmenistan
        assert_eq!(
            got,
            ["AF", "AX", "AL", "CI", "HR", "CU", "CW", "CZ", "RE", "RO", "TR", "TM"]
        );
    }
}
