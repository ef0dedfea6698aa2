//! Which language a request wants, for the documents served at `/` and the
//! pages answering a form posted without JavaScript: `?lang=`, the path of
//! the page it came from, `Accept-Language`, then Arabic (the original).

use axum::http::{header, HeaderMap};
use imrf_contract::Lang;

/// The value of `name` in a query string (`a=1&lang=en`), undecoded: the
/// values read this way are plain ASCII keys.
pub fn query_value<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// `?lang=ar|en`.
pub fn from_query(query: Option<&str>) -> Option<Lang> {
    match query_value(query, "lang")? {
        "ar" => Some(Lang::Ar),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The first supported language of an `Accept-Language` value, by
/// q-value (RFC 9110: parameter names in any case; a language with `q=0`
/// is refused). A language gets the q-value of its own range, or else that
/// of `*` (any language not named otherwise), so `*;q=1, en;q=0.5` is
/// Arabic. On equal q-values a named language goes before one that only
/// `*` matches, then the order of the header.
pub fn from_accept_language(value: &str) -> Option<Lang> {
    // (q in thousandths, position) of each language's own range, and of `*`.
    let mut named: Vec<(Lang, u16, usize)> = vec![];
    let mut any: Option<(u16, usize)> = None;
    for (position, range) in value.split(',').enumerate() {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let q = parts
            .filter_map(|p| {
                let (name, value) = p.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("q")
                    .then(|| value.trim().parse::<f32>().ok())
                    .flatten()
            })
            .next()
            .unwrap_or(1.0);
        let weight = (q.clamp(0.0, 1.0) * 1000.0).round() as u16;
        if tag == "*" {
            any.get_or_insert((weight, position));
        } else if let Some(lang) = Lang::from_tag(tag) {
            // The highest q-value among a language's ranges (`en-GB`, `en`).
            match named.iter_mut().find(|(l, _, _)| *l == lang) {
                Some(entry) if entry.1 < weight => entry.1 = weight,
                Some(_) => {}
                None => named.push((lang, weight, position)),
            }
        }
    }
    // (weight, named, earlier) for each language, best first.
    let mut candidates: Vec<(u16, bool, std::cmp::Reverse<usize>, Lang)> = named
        .iter()
        .map(|&(lang, w, p)| (w, true, std::cmp::Reverse(p), lang))
        .collect();
    if let Some((w, p)) = any {
        for lang in [Lang::Ar, Lang::En] {
            if !named.iter().any(|(l, _, _)| *l == lang) {
                candidates.push((w, false, std::cmp::Reverse(p), lang));
            }
        }
    }
    candidates.retain(|c| c.0 > 0);
    candidates.sort_by_key(|c| std::cmp::Reverse((c.0, c.1, c.2)));
    candidates.first().map(|c| c.3)
}

/// The language of the page a request came from: its path (`/en/…`) or
/// its `?lang=`. (A cross-origin Referer carries the origin only.)
pub fn from_referer(value: &str) -> Option<Lang> {
    let after_scheme = value.split_once("://").map_or(value, |(_, rest)| rest);
    let target = &after_scheme[after_scheme.find('/')?..];
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    imrf_release::i18n::path_lang(path).or_else(|| from_query(query))
}

/// The language of the page answering an address no document has: the
/// address's first segment when it is exactly a language code
/// (`/en/no-such-page`), else `?lang=`, else `Accept-Language`, else
/// Arabic; and whether the request's headers chose it (the answer then
/// varies with `Accept-Language`).
pub fn of_address(path: &str, query: Option<&str>, accept: Option<&str>) -> (Lang, bool) {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let named = Lang::from_tag(first).filter(|lang| lang.code() == first);
    match named.or_else(|| from_query(query)) {
        Some(lang) => (lang, false),
        None => (
            accept.and_then(from_accept_language).unwrap_or_default(),
            true,
        ),
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A request's language when its body cannot tell: the Referer's page,
/// then `Accept-Language`, then Arabic.
pub fn of_request(headers: &HeaderMap) -> Lang {
    header_str(headers, header::REFERER)
        .and_then(from_referer)
        .or_else(|| header_str(headers, header::ACCEPT_LANGUAGE).and_then(from_accept_language))
        .unwrap_or_default()
}

/// Whether the Referer is an embed document (the answer goes into a frame).
pub fn referer_is_embed(headers: &HeaderMap) -> bool {
    header_str(headers, header::REFERER).is_some_and(|r| {
        r.split(['?', '#'])
            .next()
            .is_some_and(|p| p.ends_with("/embed.html"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_address_in_the_language_it_names() {
        let en = Some("en-GB,en;q=0.9");
        assert_eq!(of_address("/ar/no-such-page", None, en), (Lang::Ar, false));
        assert_eq!(of_address("/en/a/b", None, None), (Lang::En, false));
        assert_eq!(of_address("/en", None, None), (Lang::En, false));
        assert_eq!(of_address("/x", Some("lang=en"), None), (Lang::En, false));
        assert_eq!(of_address("/x", None, en), (Lang::En, true));
        assert_eq!(of_address("/EN/x", None, en), (Lang::En, true));
        assert_eq!(of_address("/english/x", None, None), (Lang::Ar, true));
        assert_eq!(of_address("/favicon.ico", None, None), (Lang::Ar, true));
    }

    #[test]
    fn accept_language_by_q_value() {
        assert_eq!(from_accept_language("en-GB,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            from_accept_language("fr, en;q=0.5, ar;q=0.8"),
            Some(Lang::Ar)
        );
        assert_eq!(from_accept_language("en;q=0, ar-EG;q=0.1"), Some(Lang::Ar));
        assert_eq!(from_accept_language("fr, de;q=0.5"), None);
        assert_eq!(from_accept_language("AR , en"), Some(Lang::Ar));
    }

    /// Issue 27, case 18: `Q=` is `q=`; `*` stands for every language the
    /// header does not name.
    #[test]
    fn accept_language_upper_case_q_and_wildcard() {
        assert_eq!(from_accept_language("ar;Q=0.1, en;Q=0.9"), Some(Lang::En));
        assert_eq!(from_accept_language("en;Q=0, ar"), Some(Lang::Ar));
        assert_eq!(from_accept_language("*;q=1, en;q=0.5"), Some(Lang::Ar));
        assert_eq!(from_accept_language("*;q=1, ar;q=0.5"), Some(Lang::En));
        assert_eq!(from_accept_language("*, en"), Some(Lang::En));
        assert_eq!(from_accept_language("*;q=0.1, fr"), Some(Lang::Ar));
        assert_eq!(from_accept_language("*;q=0, en;q=0.2"), Some(Lang::En));
        assert_eq!(from_accept_language("*;q=0"), None);
        assert_eq!(from_accept_language("*"), Some(Lang::Ar));
    }

    #[test]
    fn referer_and_query() {
        assert_eq!(from_referer("https://a.example/en/"), Some(Lang::En));
        assert_eq!(
            from_referer("https://a.example/ar/embed.html"),
            Some(Lang::Ar)
        );
        assert_eq!(from_referer("https://a.example/?lang=en"), Some(Lang::En));
        assert_eq!(from_referer("https://a.example/"), None);
        assert_eq!(from_referer("https://a.example"), None);
        assert_eq!(from_query(Some("view=form&lang=en")), Some(Lang::En));
        assert_eq!(from_query(Some("lang=fr")), None);
        assert_eq!(from_query(None), None);
    }
}
