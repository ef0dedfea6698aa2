//! Renders the release: an `article` with one `h1`, sections at each heading,
//! quotes as figures, and every run in another language or direction isolated.
//!
//! The components are pure functions of the content data (no signals, no
//! browser APIs), so the same code can render the release to static HTML at
//! build time as well as in the browser.

use imrf_content::{dir_of, Block, BlockKind, Inline, Quote, Release};
use leptos::prelude::*;

use crate::embedding::heading_level;

/// A heading of `level` (1 to 6; anything above is 6): the level is the
/// page's choice (`EmbedConfig::heading_level`), the markup the same.
pub fn heading<C: IntoView + 'static>(
    level: u8,
    id: &'static str,
    class: Option<&'static str>,
    children: C,
) -> AnyView {
    match level {
        0 | 1 => view! { <h1 id=id class=class>{children}</h1> }.into_any(),
        2 => view! { <h2 id=id class=class>{children}</h2> }.into_any(),
        3 => view! { <h3 id=id class=class>{children}</h3> }.into_any(),
        4 => view! { <h4 id=id class=class>{children}</h4> }.into_any(),
        5 => view! { <h5 id=id class=class>{children}</h5> }.into_any(),
        _ => view! { <h6 id=id class=class>{children}</h6> }.into_any(),
    }
}

/// The whole release in its language; its title a heading of `level`, its
/// sections' headings one below.
pub fn release_article(release: &'static Release, level: u8) -> impl IntoView {
    let lang: &'static str = release.lang.as_ref();
    let headline_id = release
        .blocks
        .first()
        .map(|b| b.id.as_ref())
        .unwrap_or("headline");
    let sections = split_sections(&release.blocks);
    view! {
        <article class="release" aria-labelledby=headline_id>
            {sections
                .into_iter()
                .map(|section| release_section(lang, level, section))
                .collect_view()}
        </article>
    }
}

/// Groups blocks into sections: a new one starts at each heading.
fn split_sections(blocks: &'static [Block]) -> Vec<&'static [Block]> {
    let mut sections = Vec::new();
    let mut start = 0;
    for (i, block) in blocks.iter().enumerate() {
        if matches!(block.kind, BlockKind::Heading(_)) && i > start {
            sections.push(&blocks[start..i]);
            start = i;
        }
    }
    if start < blocks.len() {
        sections.push(&blocks[start..]);
    }
    sections
}

fn release_section(lang: &'static str, level: u8, blocks: &'static [Block]) -> AnyView {
    let content = blocks
        .iter()
        .map(|b| release_block(lang, level, b))
        .collect_view();
    match blocks.first().map(|b| (&b.kind, b.id.as_ref())) {
        // The first section holds the headline and the body: a header, not a titled section.
        Some((BlockKind::Title(_), _)) => {
            view! { <div class="release-body">{content}</div> }.into_any()
        }
        Some((BlockKind::Heading(_), id)) => {
            view! { <section class="release-section" aria-labelledby=id>{content}</section> }
                .into_any()
        }
        _ => view! { <section class="release-section">{content}</section> }.into_any(),
    }
}

fn release_block(lang: &'static str, level: u8, block: &'static Block) -> AnyView {
    let id: &'static str = block.id.as_ref();
    match &block.kind {
        BlockKind::Title(runs) => heading(
            heading_level(level, 0),
            id,
            Some("release-title"),
            inline_runs(lang, runs),
        ),
        BlockKind::Paragraph(runs) => view! { <p id=id>{inline_runs(lang, runs)}</p> }.into_any(),
        BlockKind::Heading(runs) => heading(
            heading_level(level, 1),
            id,
            Some("release-heading"),
            inline_runs(lang, runs),
        ),
        BlockKind::Quote(quote) => release_quote(lang, id, quote),
    }
}

fn release_quote(lang: &'static str, id: &'static str, quote: &'static Quote) -> AnyView {
    view! {
        <figure id=id class="release-quote" data-speaker=quote.speaker.name.as_ref()>
            <figcaption class="release-quote-attribution">
                {inline_runs(lang, &quote.attribution)}
            </figcaption>
            <blockquote>
                <p>{inline_runs(lang, &quote.text)}</p>
            </blockquote>
        </figure>
    }
    .into_any()
}

/// `lang`/`dir` for a run whose language is `run_lang`, only where it differs
/// from the surrounding text (`dir` on an element also isolates it).
fn foreign_attrs(
    context: &str,
    run_lang: &'static str,
) -> (Option<&'static str>, Option<&'static str>) {
    if context == run_lang {
        (None, None)
    } else {
        (Some(run_lang), Some(dir_of(run_lang)))
    }
}

fn inline_runs(lang: &'static str, runs: &'static [Inline]) -> impl IntoView {
    runs.iter().map(|run| inline_run(lang, run)).collect_view()
}

fn inline_run(lang: &'static str, run: &'static Inline) -> AnyView {
    match run {
        Inline::Text(text) => text.as_ref().into_any(),
        Inline::Foreign {
            lang: run_lang,
            text,
        } => {
            let run_lang: &'static str = run_lang.as_ref();
            let (l, d) = foreign_attrs(lang, run_lang);
            view! { <span lang=l dir=d>{text.as_ref()}</span> }.into_any()
        }
        Inline::Abbr { text, title } => {
            // Abbreviations and their expansions are English in both languages.
            let (l, d) = foreign_attrs(lang, "en");
            view! { <abbr title=title.as_ref() lang=l dir=d>{text.as_ref()}</abbr> }.into_any()
        }
        Inline::Email(address) => {
            let address: &'static str = address.as_ref();
            view! { <a href=format!("mailto:{address}") dir="ltr" class="ltr-run">{address}</a> }
                .into_any()
        }
        Inline::Url(url) => {
            let url: &'static str = url.as_ref();
            view! { <a href=url dir="ltr" class="ltr-run">{url}</a> }.into_any()
        }
        Inline::Time { text, datetime } => {
            view! { <time datetime=datetime.as_ref()>{text.as_ref()}</time> }.into_any()
        }
        Inline::Note(text) => {
            view! { <span class="release-translator-note">{text.as_ref()}</span> }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release_content::release;
    use imrf_contract::Lang;

    #[test]
    fn sections_start_at_each_heading_and_keep_every_block() {
        let blocks: &'static [Block] = &release(Lang::En).blocks;
        let sections = split_sections(blocks);
        assert_eq!(
            sections.iter().map(|s| s.len()).sum::<usize>(),
            blocks.len()
        );
        assert!(matches!(sections[0][0].kind, BlockKind::Title(_)));
        for section in &sections[1..] {
            assert!(matches!(section[0].kind, BlockKind::Heading(_)));
        }
    }

    #[test]
    fn foreign_runs_get_lang_and_dir_only_when_they_differ() {
        assert_eq!(foreign_attrs("ar", "en"), (Some("en"), Some("ltr")));
        assert_eq!(foreign_attrs("en", "en"), (None, None));
        assert_eq!(foreign_attrs("en", "ar"), (Some("ar"), Some("rtl")));
    }
}

#[cfg(all(test, feature = "ssr"))]
mod html_tests {
    use super::*;
    use crate::release_content::release;
    use imrf_contract::Lang;

    #[test]
    fn renders_to_static_html() {
        let html = release_article(release(Lang::Ar), 1).to_html();
        assert!(
            html.starts_with("<article"),
            "{}",
            &html[..200.min(html.len())]
        );
        assert!(html.contains("mailto:unmignet@iom.int"));
        assert!(
            html.contains("<h1 id=\"headline\" class=\"release-title\">"),
            "{html}"
        );
        let lower = release_article(release(Lang::En), 3).to_html();
        assert!(!lower.contains("<h1") && !lower.contains("<h2"));
        assert!(lower.contains("<h3 id=\"headline\" class=\"release-title\">"));
        assert!(lower.contains("<h4 ") && lower.contains("class=\"release-heading\""));
    }
}
