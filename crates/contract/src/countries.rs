//! Countries and territories with their Arabic and English names, from CLDR
//! (see `scripts/gen-countries.py`), Arab states first as the form lists them.

use std::sync::OnceLock;

use crate::Lang;

const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: &'static str,
    pub arab_state: bool,
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

/// All countries, in code order.
pub fn all() -> &'static [Country] {
    static PARSED: OnceLock<Vec<Country>> = OnceLock::new();
    PARSED.get_or_init(|| {
        COUNTRIES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|line| {
                let mut cols = line.split('\t');
                let mut next = || cols.next().expect("countries.tsv has four columns");
                Country {
                    code: next(),
                    arab_state: next() == "1",
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
/// each group sorted by name in the given language.
pub fn display_order(lang: Lang) -> Vec<Country> {
    let mut list = all().to_vec();
    list.sort_by(|a, b| {
        b.arab_state
            .cmp(&a.arab_state)
            .then_with(|| a.name(lang).cmp(b.name(lang)))
    });
    list
}
