//! The Atom feeds of the published inputs (`/{lang}/inputs/feed.xml`,
//! RFC 4287): the interface in the feed's language, each entry marked with
//! its own text's language (`xml:lang`). Written by hand: the format is a
//! handful of elements, and the one thing that needs care, text that XML 1.0
//! cannot hold (control characters), is [`xml_text`] with its test.

use std::fmt::Write as _;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use imrf_contract::Lang;
use imrf_release::published;
use imrf_release::release_content::ui;

use super::{answer, failed};
use crate::api::SharedState;
use crate::store::{now_rfc3339, PublishedRow};

/// `text` escaped for XML, without the characters XML 1.0 may not contain.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An input's stable identifier, whatever address the site moves to.
fn entry_id(reference: &str) -> String {
    format!("urn:imrf-input:{reference}")
}

/// The feed for `lang`; `base` is the site's public address (links are
/// relative to the feed without it).
pub fn feed_xml(lang: Lang, base: Option<&str>, rows: &[PublishedRow]) -> String {
    let t = ui(lang);
    let href = |path: String| format!("{}{path}", base.unwrap_or(""));
    let updated = rows
        .iter()
        .map(|r| r.published_at.as_str())
        .max()
        .map_or_else(now_rfc3339, str::to_string);
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{code}\">\n\
         <title>{title}</title>\n<subtitle>{subtitle}</subtitle>\n\
         <id>urn:imrf-inputs:{code}</id>\n<updated>{updated}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{list}\"/>\n\
         <author><name>{author}</name></author>\n",
        code = lang.code(),
        title = xml_text(&format!("{} | {}", t.inputs_title, t.site_name)),
        subtitle = xml_text(t.inputs_intro),
        feed = xml_text(&href(published::feed_path(lang))),
        list = xml_text(&href(published::list_path(lang))),
        author = xml_text(t.site_name),
    );
    for row in rows {
        let text_lang = row.language.as_deref().unwrap_or(lang.code());
        let _ = write!(
            xml,
            "<entry xml:lang=\"{text_lang}\">\n<title>{title}</title>\n<id>{id}</id>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
             <published>{published}</published>\n<updated>{published}</updated>\n\
             <author><name>{name}</name></author>\n{edited}<content type=\"text\">{input}</content>\n</entry>\n",
            text_lang = xml_text(text_lang),
            title = xml_text(&row.title),
            id = entry_id(&row.reference),
            link = xml_text(&href(published::input_path(lang, &row.reference))),
            published = xml_text(&row.published_at),
            name = xml_text(&row.name),
            input = xml_text(&row.input),
            edited = if row.edited_by_secretariat {
                format!(
                    "<category term=\"edited-by-secretariat\" label=\"{}\"/>\n",
                    xml_text(t.inputs_edited)
                )
            } else {
                String::new()
            },
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// `GET /{lang}/inputs/feed.xml`.
pub async fn feed(lang: Lang, State(app): State<SharedState>, headers: HeaderMap) -> Response {
    match app.store.all_published().await {
        Ok(rows) => {
            let body = feed_xml(lang, app.record.public_url.as_deref(), &rows);
            let mut response = answer(
                StatusCode::OK,
                "application/atom+xml; charset=utf-8",
                body.into_bytes(),
                &headers,
            );
            response.headers_mut().insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
            response
        }
        Err(e) => failed(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_xml_cannot_hold_is_left_out_and_markup_is_escaped() {
        assert_eq!(
            xml_text("a<b>&\"c\u{0}\u{1b}\u{FFFF}\n"),
            "a&lt;b&gt;&amp;&quot;c\n"
        );
        assert_eq!(xml_text("عربي"), "عربي");
    }
}
