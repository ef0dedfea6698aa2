//! Numbers as each language's interface writes them: grouped by thousands,
//! in Western digits in both languages (the Arabic release itself uses them).
//!
//! In the browser this is the engine's `Intl.NumberFormat` (`ar-u-nu-latn`,
//! `en`); natively the same CLDR result (group separator "," and Latin digits
//! for both), which `tests/web.rs` compares with the browser's.

use crate::Lang;

/// `n` formatted for `lang`: `5000` becomes `5,000`.
pub fn format_count(lang: Lang, n: u64) -> String {
    imp::format(lang, n)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use crate::Lang;

    pub fn format(_lang: Lang, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(d);
        }
        out
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use js_sys::{Array, Intl, Number, Object};

    use crate::Lang;

    pub fn format(lang: Lang, n: u64) -> String {
        let tag = match lang {
            Lang::Ar => "ar-u-nu-latn",
            Lang::En => "en",
        };
        let format = Intl::NumberFormat::new(&Array::of1(&tag.into()), &Object::new()).format();
        format
            .call1(&Object::new(), &Number::from(n as f64))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_in_western_digits() {
        for lang in Lang::ALL {
            assert_eq!(format_count(lang, 0), "0");
            assert_eq!(format_count(lang, 999), "999");
            assert_eq!(format_count(lang, 5000), "5,000");
            assert_eq!(format_count(lang, 1234567), "1,234,567");
        }
    }
}
