use serde::{Deserialize, Serialize};

/// The two languages of the release: Arabic, the original, and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ar,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ar, Lang::En];

    /// The BCP 47 tag used in `lang` attributes and on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }

    pub fn dir(self) -> TextDirection {
        match self {
            Lang::Ar => TextDirection::Rtl,
            Lang::En => TextDirection::Ltr,
        }
    }

    /// The other language of the two (the page's alternate, e.g. `og:locale:alternate`).
    pub fn other(self) -> Lang {
        match self {
            Lang::Ar => Lang::En,
            Lang::En => Lang::Ar,
        }
    }

    /// Parses a language tag loosely: `ar`, `ar-EG`, `EN-gb`, ` en ` all match.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ar" => Some(Lang::Ar),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Base direction of a run of text, as in the HTML `dir` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextDirection {
    Ltr,
    Rtl,
}

impl TextDirection {
    pub fn code(self) -> &'static str {
        match self {
            TextDirection::Ltr => "ltr",
            TextDirection::Rtl => "rtl",
        }
    }
}

/// The language of a stakeholder's text, as the public record marks it
/// (`lang`): the direction it was typed in (`typed`, what the form's
/// `dirname` sent), else that of its first strong character; right to left
/// is Arabic, left to right English, the two languages the form asks for.
/// A text with no letters (a number, a link) is in the form's language.
pub fn text_language(text: &str, typed: Option<TextDirection>, form: Lang) -> Lang {
    match typed.or_else(|| first_strong_direction(text)) {
        Some(TextDirection::Rtl) => Lang::Ar,
        Some(TextDirection::Ltr) => Lang::En,
        None => form,
    }
}

/// The direction of a text as `dir="auto"` decides it: that of its first
/// strongly directional character (Arabic, Hebrew, Syriac, Thaana, N'Ko: rtl;
/// Latin and other letters: ltr), or `None` when it has none.
pub fn first_strong_direction(text: &str) -> Option<TextDirection> {
    text.chars().find_map(|c| {
        let code = c as u32;
        let rtl = matches!(code, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF);
        if rtl {
            Some(TextDirection::Rtl)
        } else if c.is_alphabetic() {
            Some(TextDirection::Ltr)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod text_language_tests {
    use super::*;

    #[test]
    fn the_typed_direction_wins_then_the_script_then_the_form() {
        assert_eq!(
            text_language("Hello", Some(TextDirection::Rtl), Lang::En),
            Lang::Ar
        );
        assert_eq!(text_language("مرحبا John", None, Lang::En), Lang::Ar);
        assert_eq!(text_language("John مرحبا", None, Lang::Ar), Lang::En);
        assert_eq!(text_language("2022 - 42", None, Lang::Ar), Lang::Ar);
        assert_eq!(text_language("", None, Lang::En), Lang::En);
    }
}
