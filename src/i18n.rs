//! Which language to show first, and filling placeholders in interface text
//! (with the plural form and the number format of the language).
//! Plain Rust: tested natively; the DOM layer only gathers the inputs.

use imrf_content::Plural;
use imrf_contract::{format_count, plural_category, Lang, PluralCategory};

/// localStorage key of the visitor's language choice.
pub const LANG_STORAGE_KEY: &str = "imrf-lang";

/// Everything the first-language decision looks at, gathered by the DOM layer.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LanguageSignals {
    /// `?lang=` in the page's URL.
    pub query: Option<String>,
    /// The visitor's saved choice (localStorage).
    pub saved: Option<String>,
    /// The embedding element's `data-lang` (or the page's meta default).
    pub host: Option<String>,
    /// `navigator.languages`, in the browser's order of preference.
    pub navigator: Vec<String>,
}

/// The sources of the first-language decision, in the order they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Query,
    Saved,
    Host,
    Navigator,
}

impl Source {
    pub const ORDER: [Source; 4] = [
        Source::Query,
        Source::Saved,
        Source::Host,
        Source::Navigator,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Source::Query => "query",
            Source::Saved => "saved",
            Source::Host => "host",
            Source::Navigator => "navigator",
        }
    }
}

/// The language when no source names one: Arabic, the original.
pub const FALLBACK: Lang = Lang::Ar;

impl LanguageSignals {
    /// The tags one source offers, in its own order.
    fn tags(&self, source: Source) -> Vec<&str> {
        match source {
            Source::Query => self.query.as_deref().into_iter().collect(),
            Source::Saved => self.saved.as_deref().into_iter().collect(),
            Source::Host => self.host.as_deref().into_iter().collect(),
            Source::Navigator => self.navigator.iter().map(String::as_str).collect(),
        }
    }
}

/// Picks the first language, in this order: the query parameter, the saved
/// choice, the host page's attribute, the first of Arabic or English in the
/// browser's languages, and finally Arabic, the original.
pub fn negotiate(signals: &LanguageSignals) -> Lang {
    Source::ORDER
        .into_iter()
        .flat_map(|source| signals.tags(source))
        .find_map(Lang::from_tag)
        .unwrap_or(FALLBACK)
}

/// The table `web/lang-boot.js` decides with before the WebAssembly loads
/// (as JSON): the languages and their directions, the sources in order, the
/// storage key, the page default's meta name and the fallback. A test checks
/// the script carries exactly this table, so it cannot drift from [`negotiate`].
/// The language a per-language URL's path names (`/en/`, `/ar/embed.html`,
/// `/en/receipt`): the segment before the document's name, exactly a
/// language code. Read by the app (its own address) and by the endpoint (the
/// page a post came from); `web/lang-boot.js` applies the same rule.
pub fn path_lang(path: &str) -> Option<Lang> {
    let mut segments = path.rsplit('/');
    segments.next(); // the document's name, or "" after a trailing slash
    let segment = segments.next()?;
    Lang::from_tag(segment).filter(|lang| lang.code() == segment)
}

pub fn boot_table() -> String {
    let languages: serde_json::Map<String, serde_json::Value> = Lang::ALL
        .into_iter()
        .map(|l| (l.code().to_string(), l.dir().code().into()))
        .collect();
    serde_json::json!({
        "fallback": FALLBACK.code(),
        "languages": languages,
        "meta": crate::embedding::meta_name("lang"),
        "sources": Source::ORDER.map(Source::key),
        "storage_key": LANG_STORAGE_KEY,
    })
    .to_string()
}

/// Replaces `{name}` placeholders in interface text.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), &value.to_string())
        })
}

/// The form of a plural message that the number `n` takes in `lang`
/// (CLDR categories: `Intl.PluralRules` in the browser, ICU4X natively).
pub fn plural_form(message: &Plural, lang: Lang, n: u64) -> &'static str {
    match plural_category(lang, n) {
        PluralCategory::Zero => message.zero,
        PluralCategory::One => message.one,
        PluralCategory::Two => message.two,
        PluralCategory::Few => message.few,
        PluralCategory::Many => message.many,
        PluralCategory::Other => message.other,
    }
}

/// A plural message in the form `n` takes, its `{name}` placeholders filled
/// with numbers formatted for `lang` (grouped, Western digits).
pub fn fill_count(message: &Plural, lang: Lang, n: u64, values: &[(&str, u64)]) -> String {
    let formatted: Vec<(&str, String)> = values
        .iter()
        .map(|(name, value)| (*name, format_count(lang, *value)))
        .collect();
    let values: Vec<(&str, &dyn std::fmt::Display)> = formatted
        .iter()
        .map(|(name, value)| (*name, value as &dyn std::fmt::Display))
        .collect();
    fill(plural_form(message, lang, n), &values)
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn the_segment_before_the_document_names_the_language() {
        assert_eq!(path_lang("/en/"), Some(Lang::En));
        assert_eq!(path_lang("/ar/index.html"), Some(Lang::Ar));
        assert_eq!(path_lang("/ar/embed.html"), Some(Lang::Ar));
        assert_eq!(path_lang("/en/receipt"), Some(Lang::En));
        for none in [
            "/",
            "/index.html",
            "/embed.html",
            "/api/submissions",
            "/EN/",
            "/en-GB/",
            "en",
        ] {
            assert_eq!(path_lang(none), None, "{none}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(
        query: Option<&str>,
        saved: Option<&str>,
        host: Option<&str>,
        navigator: &[&str],
    ) -> LanguageSignals {
        LanguageSignals {
            query: query.map(Into::into),
            saved: saved.map(Into::into),
            host: host.map(Into::into),
            navigator: navigator.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn each_source_wins_over_the_ones_after_it() {
        assert_eq!(
            negotiate(&signals(Some("en"), Some("ar"), Some("ar"), &["ar"])),
            Lang::En
        );
        assert_eq!(
            negotiate(&signals(None, Some("en"), Some("ar"), &["ar"])),
            Lang::En
        );
        assert_eq!(
            negotiate(&signals(None, None, Some("en"), &["ar"])),
            Lang::En
        );
        assert_eq!(
            negotiate(&signals(None, None, None, &["fr-FR", "en-GB", "ar"])),
            Lang::En
        );
        assert_eq!(
            negotiate(&signals(None, None, None, &["fr", "ar-EG", "en"])),
            Lang::Ar
        );
        assert_eq!(
            negotiate(&signals(None, None, None, &["fr", "de"])),
            Lang::Ar
        );
        assert_eq!(negotiate(&LanguageSignals::default()), Lang::Ar);
    }

    #[test]
    fn unknown_values_fall_through_to_the_next_source() {
        assert_eq!(
            negotiate(&signals(Some("fr"), Some("xx"), None, &["en-US"])),
            Lang::En
        );
        assert_eq!(
            negotiate(&signals(Some(""), None, Some("EN"), &[])),
            Lang::En
        );
    }

    #[test]
    fn the_boot_script_carries_the_same_table_as_negotiate() {
        let script = include_str!("../web/lang-boot.js");
        let line = format!("var BOOT = {};", boot_table());
        assert!(
            script.lines().any(|l| l.trim() == line),
            "web/lang-boot.js must contain the line\n  {line}\n(src/i18n.rs boot_table)"
        );
        // And the script decides by it, not by names of its own.
        for own in ["\"ar\"", "\"en\"", "\"rtl\"", "imrf-lang"] {
            let outside_table = script
                .lines()
                .filter(|l| !l.contains("var BOOT"))
                .any(|l| l.contains(own));
            assert!(
                !outside_table,
                "{own} outside the table in web/lang-boot.js"
            );
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(
            fill("{count} of {max}", &[("count", &3), ("max", &5000)]),
            "3 of 5000"
        );
        assert_eq!(fill("no placeholders", &[("count", &3)]), "no placeholders");
    }
}
