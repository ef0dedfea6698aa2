//! The privacy notice's own document (`/ar/privacy/`, `/en/privacy/`): the
//! notice in the app's frame (header with the language links, footer),
//! written by the build (`bin/prerender.rs`) into the page's template.

use imrf_contract::Lang;
use leptos::prelude::*;

use super::{language_document, set_attribute, set_meta_content, MOUNT_END, MOUNT_START};
use crate::app::{app_frame, AppState};
use crate::draft::secretariat_email;
use crate::embedding::{EmbedConfig, Placement, Theme, View};
use crate::form::escape_html;
use crate::form_model::TitlePrefix;
use crate::release_content::ui;

/// The privacy notice's markup in `lang`, in the app's frame (the header
/// with the language links, the footer), for its own document.
pub fn privacy_html(lang: Lang) -> String {
    crate::static_html::render(|| {
        let config = EmbedConfig {
            endpoint: imrf_contract::SUBMISSIONS_PATH.to_string(),
            // No form here: no skip link to one.
            view: View::ReleaseOnly,
            theme: Theme::System,
            host_lang: None,
            owns_page: true,
            instance: None,
            placement: Placement::Privacy,
            drafts: crate::embedding::Drafts::Off,
            heading_level: 1,
        };
        let app_state = AppState {
            lang: RwSignal::new(lang),
            title: RwSignal::new(TitlePrefix::None),
            config: StoredValue::new(config.clone()),
        };
        provide_context(app_state);
        app_frame(app_state, &config, false, move || {
            privacy_notice(lang).into_any()
        })
    })
}

/// What is collected, why, who sees it, what is published, how long it is
/// kept, how to withdraw or ask for deletion, and whom to write to.
fn privacy_notice(lang: Lang) -> impl IntoView {
    let t = ui(lang);
    let sections = [
        (t.privacy_collected_heading, t.privacy_collected),
        (t.privacy_why_heading, t.privacy_why),
        (t.privacy_who_heading, t.privacy_who),
        (t.privacy_published_heading, t.privacy_published),
        (t.privacy_kept_heading, t.privacy_kept),
        (t.privacy_withdraw_heading, t.privacy_withdraw),
    ];
    let address = secretariat_email();
    view! {
        <article class="imrf-privacy" aria-labelledby="imrf-privacy-heading">
            <h1 id="imrf-privacy-heading">{t.privacy_notice}</h1>
            <p>{t.privacy_intro}</p>
            {sections
                .into_iter()
                .map(|(heading, text)| view! { <h2>{heading}</h2><p>{text}</p> })
                .collect_view()}
            <h2>{t.privacy_contact_heading}</h2>
            <p>
                {t.privacy_contact}" "
                <a href=format!("mailto:{address}") dir="ltr" class="ltr-run">{address}</a>
            </p>
            <p><a href="../">{t.privacy_back}</a></p>
        </article>
    }
}

/// A built document (the page's, with the mount comments) made into the
/// privacy notice's in `lang`: head in that language, its own title and
/// description, the language alternates pointing at the notice, the notice
/// between the mount comments. `None` without the mount comments.
pub fn privacy_document(template: &str, lang: Lang) -> Option<String> {
    let t = ui(lang);
    let mut doc = language_document(template, lang);
    if let (Some(start), Some(end)) = (doc.find("<title>"), doc.find("</title>")) {
        let title = format!("{} – {}", t.privacy_notice, t.site_name);
        doc.replace_range(start + "<title>".len()..end, &escape_html(&title));
    }
    for attribute in [r#"name="description""#, r#"property="og:description""#] {
        doc = set_meta_content(&doc, attribute, t.privacy_intro);
    }
    doc = set_meta_content(&doc, r#"property="og:title""#, t.privacy_notice);
    for (hreflang, target) in [("ar", Lang::Ar), ("en", Lang::En), ("x-default", Lang::Ar)] {
        let href = Placement::Privacy.language_href(target, View::Full);
        doc = set_attribute(&doc, &format!(r#"hreflang="{hreflang}""#), "href", &href);
    }
    let start = doc.find(MOUNT_START)? + MOUNT_START.len();
    let end = start + doc[start..].find(MOUNT_END)?;
    Some(format!(
        "{}{}{}",
        &doc[..start],
        privacy_html(lang),
        &doc[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::{fill_document, FormState, Place, Shell};

    const TEMPLATE: &str = concat!(
        r#"<!doctype html><html lang="ar" dir="rtl"><head><title>x</title>"#,
        r#"<meta name="description" content="d" /></head><body><div id="imrf-app">"#,
        "<!--imrf-app--><!--/imrf-app--></div></body></html>"
    );

    /// Issue 26, item 14: the privacy notice, its own document per
    /// language, linked from the form and the footer.
    #[test]
    fn the_privacy_notice_is_a_document_of_its_own_in_each_language() {
        let template = concat!(
            r#"<!doctype html><html lang="ar" dir="rtl"><head><title>x</title>"#,
            r#"<meta name="description" content="d" /><meta property="og:title" content="o" />"#,
            r#"<link rel="alternate" hreflang="ar" href="../ar/" />"#,
            r#"<link rel="alternate" hreflang="en" href="../en/" />"#,
            r#"<link rel="alternate" hreflang="x-default" href="../" />"#,
            r#"</head><body><div id="imrf-privacy"><!--imrf-app--><!--/imrf-app--></div></body></html>"#
        );
        for lang in Lang::ALL {
            let t = ui(lang);
            let doc = privacy_document(template, lang).expect("mount comments");
            assert!(doc.contains(&format!(r#"<html lang="{}""#, lang.code())));
            assert!(doc.contains(&format!(
                "<title>{} – {}</title>",
                t.privacy_notice, t.site_name
            )));
            assert!(doc.contains(&format!(
                r#"<h1 id="imrf-privacy-heading">{}</h1>"#,
                t.privacy_notice
            )));
            for text in [
                t.privacy_collected,
                t.privacy_why,
                t.privacy_who,
                t.privacy_published,
                t.privacy_kept,
                t.privacy_withdraw,
            ] {
                assert!(doc.contains(&escape_html(text)), "{text}");
            }
            assert!(
                doc.contains(r#"<a href="mailto:unmignet@iom.int" dir="ltr""#),
                "{doc}"
            );
            assert!(
                doc.contains(r#"hreflang="en" href="../../en/privacy/""#),
                "{doc}"
            );
            assert!(doc.contains(r#"<footer class="imrf-footer">"#));
            assert!(
                doc.contains(r#"href="../../ar/privacy/" aria-current="page""#) || lang == Lang::En
            );
            assert!(
                !doc.contains("<form"),
                "no form, and no app to take it over"
            );
        }
        // The page links it from the form and the footer.
        let page = fill_document(
            TEMPLATE,
            &Place {
                lang: Lang::En,
                shell: Shell::Page,
                view: View::Full,
                action: "/api/submissions",
            },
            &FormState::Blank,
        )
        .expect("mount comments");
        assert_eq!(
            page.matches(r#"href="../en/privacy/""#).count(),
            2,
            "{page}"
        );
        assert!(page.contains(ui(Lang::En).privacy_link_new_tab));
        assert!(page.contains(
            r#"<a href="mailto:unmignet@iom.int" dir="ltr" class="ltr-run">unmignet@iom.int</a>"#
        ));
    }
}
