//! Whole pages as static HTML, rendered natively (feature `ssr`) from the
//! live app's own components: the documents the build writes for each
//! language (`bin/prerender.rs`), and the endpoint's answers to a form
//! posted without JavaScript (the form again with its errors, the receipt).

use imrf_contract::{FieldError, Lang, LocalizedText, Submission};
use leptos::prelude::*;

use crate::app::{app_frame, AppState};
use crate::draft::Draft;
pub use crate::embedding::Shell;
use crate::embedding::{Drafts, EmbedConfig, Placement, Theme, View};
use crate::form::{escape_html, page_form};
use crate::form_model::{FormModel, Receipt, ShownError, TitlePrefix};
use crate::release::release_article;
use crate::release_content::{release, ui};

mod privacy;

pub use privacy::{privacy_document, privacy_html};

/// Where the rendered app goes in a document: between these two comments.
pub const MOUNT_START: &str = "<!--imrf-app-->";
pub const MOUNT_END: &str = "<!--/imrf-app-->";

/// What is rendered, and where the form posts.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub lang: Lang,
    pub shell: Shell,
    pub view: View,
    /// The form's `action`: the configured endpoint URL.
    pub action: &'a str,
}

/// What the form part shows.
#[derive(Debug, Clone, Copy)]
pub enum FormState<'a> {
    /// The empty form, as the build writes it.
    Blank,
    /// The rules refused a post: the form with every value put back, the
    /// error summary and each field's message.
    Refused {
        submission: &'a Submission,
        errors: &'a [FieldError],
    },
    /// The request itself was refused (too large, wrong charset, unreadable):
    /// the form (with the values, when they could be read) and the message.
    Problem {
        submission: Option<&'a Submission>,
        message: &'a str,
    },
    /// Stored: the reference, and nothing of what was sent; the withdrawal
    /// link when the receipt's address carried its token.
    Receipt {
        reference: &'a str,
        withdraw_href: Option<&'a str>,
    },
    /// The page of a withdrawal link, in place of the form.
    Withdraw {
        reference: &'a str,
        step: WithdrawStep<'a>,
    },
}

impl FormState<'_> {
    /// An answer to a post (the errors, a problem, the receipt) is a page
    /// about the form: the release is left out, the form's heading is the
    /// `h1`, and its summary or receipt is where reading starts. The app,
    /// taking such a page over, decides the same from what it shows
    /// (`PageForm::answers_a_post`).
    pub fn answers_a_post(&self) -> bool {
        matches!(
            self,
            FormState::Refused { .. } | FormState::Problem { .. } | FormState::Receipt { .. }
        )
    }
}

/// Where a withdrawal stands.
#[derive(Debug, Clone, Copy)]
pub enum WithdrawStep<'a> {
    /// A valid link: asks once more, with a form posting to `action`.
    Ask { action: &'a str, token: &'a str },
    /// The input is withdrawn (now or before).
    Done,
    /// The link is not valid (wrong, altered, or its input is gone).
    Invalid,
}

/// The app's markup for `place` in `state` (what goes between the mount comments).
pub fn app_html(place: &Place, state: &FormState) -> String {
    crate::static_html::render(|| {
        let config = EmbedConfig {
            endpoint: place.action.to_string(),
            view: place.view,
            theme: Theme::System,
            host_lang: None,
            // A frame's document is ours too (`crate::widget`).
            owns_page: true,
            instance: None,
            placement: match place.shell {
                Shell::Page => Placement::Page,
                Shell::Embed => Placement::Frame,
            },
            drafts: Drafts::Local,
            heading_level: 1,
        };
        let app_state = AppState {
            lang: RwSignal::new(place.lang),
            title: RwSignal::new(TitlePrefix::None),
            config: StoredValue::new(config.clone()),
        };
        provide_context(app_state);
        let (lang, view_kind) = (place.lang, place.view);
        let model = model_for(lang, state);
        let form_config = config.clone();
        let withdraw = match *state {
            FormState::Withdraw { reference, step } => Some(WithdrawPage::new(reference, step)),
            _ => None,
        };
        let shell = place.shell;
        let is_page = state.answers_a_post();
        let content = move || {
            let form = view_kind.shows_form().then(|| match withdraw.clone() {
                Some(page) => withdraw_section(lang, page, shell, view_kind),
                None => page_form(lang, form_config.clone(), model.clone(), is_page).into_any(),
            });
            view! {
                {(view_kind.shows_release() && !is_page).then(|| release_article(release(lang), 1))}
                {form}
            }
            .into_any()
        };
        app_frame(app_state, &config, false, content)
    })
}

/// The form's model for a page in `state`.
fn model_for(lang: Lang, state: &FormState) -> FormModel {
    let draft = |submission: Option<&Submission>| {
        let mut draft = Draft::new(String::new(), lang, 0);
        if let Some(s) = submission {
            draft.submission = s.clone();
        }
        draft
    };
    match *state {
        FormState::Blank => FormModel::for_page(draft(None), Vec::new()),
        FormState::Refused { submission, errors } => FormModel::for_page(
            draft(Some(submission)),
            errors.iter().map(ShownError::from).collect(),
        ),
        FormState::Problem {
            submission,
            message,
        } => {
            let message = LocalizedText {
                ar: message.to_string(),
                en: message.to_string(),
            };
            let error = ShownError {
                field: None,
                message,
            };
            FormModel::for_page(draft(submission), vec![error])
        }
        FormState::Receipt {
            reference,
            withdraw_href,
        } => {
            let mut model = FormModel::for_page(draft(None), Vec::new());
            model.receipt = Some(Receipt {
                reference: reference.to_string(),
                sent: Submission::default(),
                withdraw: withdraw_href.map(str::to_string),
            });
            model
        }
        FormState::Withdraw { .. } => FormModel::for_page(draft(None), Vec::new()),
    }
}

/// A withdrawal page's facts, owned (the view is built in a closure).
#[derive(Debug, Clone)]
struct WithdrawPage {
    reference: String,
    /// The form's action and the token, when the page asks.
    ask: Option<(String, String)>,
    done: bool,
}

impl WithdrawPage {
    fn new(reference: &str, step: WithdrawStep) -> WithdrawPage {
        let (ask, done) = match step {
            WithdrawStep::Ask { action, token } => {
                (Some((action.to_string(), token.to_string())), false)
            }
            WithdrawStep::Done => (None, true),
            WithdrawStep::Invalid => (None, false),
        };
        WithdrawPage {
            reference: reference.to_string(),
            ask,
            done,
        }
    }
}

/// The withdrawal page's part, where the form would be: the question and a
/// real form (no script needed), or what came of it.
fn withdraw_section(lang: Lang, page: WithdrawPage, shell: Shell, view_kind: View) -> AnyView {
    let t = ui(lang);
    let reference_line = (!page.reference.is_empty()).then(|| {
        view! {
            <p class="imrf-reference">
                {t.success_reference}": "
                <strong dir="ltr" class="imrf-reference-number">{page.reference.clone()}</strong>
            </p>
        }
    });
    let body = match (page.ask, page.done) {
        (Some((action, token)), _) => view! {
            <p>{t.withdraw_ask}</p>
            <form class="imrf-withdraw-form" method="post" action=action accept-charset="utf-8">
                <input type="hidden" name="reference" value=page.reference.clone() />
                <input type="hidden" name="token" value=token />
                <input type="hidden" name=imrf_contract::form_post::SHELL value=shell.key() />
                <input type="hidden" name=imrf_contract::form_post::VIEW value=view_kind.key() />
                <button type="submit" class="imrf-button">{t.withdraw_button}</button>
            </form>
        }
        .into_any(),
        (None, true) => view! { <p role="status">{t.withdraw_done}</p> }.into_any(),
        (None, false) => view! { <p role="alert">{t.withdraw_invalid}</p> }.into_any(),
    };
    view! {
        <section class="imrf-submission" aria-labelledby="imrf-form-heading" id="imrf-withdraw">
            <h2 id="imrf-form-heading">{t.withdraw_heading}</h2>
            {reference_line}
            {body}
        </section>
    }
    .into_any()
}

/// `document` with the app's markup between its mount comments replaced,
/// and "Error: " or "Input received: " before its title when `state` shows
/// errors or the receipt (`FormModel::title_prefix`). `None` when the
/// document has no mount comments.
pub fn fill_document(document: &str, place: &Place, state: &FormState) -> Option<String> {
    let start = document.find(MOUNT_START)? + MOUNT_START.len();
    let end = start + document[start..].find(MOUNT_END)?;
    let mut filled = format!(
        "{}{}{}",
        &document[..start],
        app_html(place, state),
        &document[end..]
    );
    let prefix = model_for(place.lang, state)
        .title_prefix()
        .words(place.lang);
    if !prefix.is_empty() {
        if let Some(title) = filled.find("<title>") {
            let at = title + "<title>".len();
            filled.insert_str(at, &escape_html(prefix));
        }
    }
    Some(filled)
}

/// A minimal document with the mount comments, for an endpoint that serves
/// no built pages (its answers to a form post still need a page).
pub fn bare_document(lang: Lang) -> String {
    let meta = &release(lang).meta;
    format!(
        "<!doctype html>\n<html lang=\"{code}\" dir=\"{dir}\"><head><meta charset=\"utf-8\" />\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\
         <title>{title}</title></head><body><div id=\"imrf-page\">{MOUNT_START}{MOUNT_END}</div></body></html>\n",
        code = lang.code(),
        dir = lang.dir().code(),
        title = escape_html(&meta.title),
    )
}

/// A built document (`index.html` or `embed.html`, written in Arabic) made
/// into `lang`'s: the `html` attributes, the title and the descriptions in
/// that language.
pub fn language_document(template: &str, lang: Lang) -> String {
    let meta = &release(lang).meta;
    let mut doc = template.replacen(
        r#"<html lang="ar" dir="rtl">"#,
        &format!(
            r#"<html lang="{}" dir="{}">"#,
            lang.code(),
            lang.dir().code()
        ),
        1,
    );
    if let (Some(start), Some(end)) = (doc.find("<title>"), doc.find("</title>")) {
        doc.replace_range(start + "<title>".len()..end, &escape_html(&meta.title));
    }
    for (attribute, value) in [
        (r#"name="description""#, &meta.description),
        (r#"property="og:title""#, &meta.title),
        (r#"property="og:description""#, &meta.description),
        (r#"property="og:locale""#, &meta.locale),
        (
            r#"property="og:locale:alternate""#,
            &release(lang.other()).meta.locale,
        ),
    ] {
        doc = set_meta_content(&doc, attribute, value);
    }
    doc
}

/// Sets the `content` of `<meta {attribute} content="...">`.
fn set_meta_content(doc: &str, attribute: &str, value: &str) -> String {
    set_attribute(doc, attribute, "content", value)
}

/// Sets `attr="..."` in the tag that holds `anchor` (a meta's `content`,
/// a `<link>`'s `href`).
pub(super) fn set_attribute(doc: &str, anchor: &str, attr: &str, value: &str) -> String {
    let Some(at) = doc.find(anchor) else {
        return doc.to_string();
    };
    let tag_start = doc[..at].rfind('<').unwrap_or(at);
    let tag_end = at + doc[at..].find('>').unwrap_or(0);
    let needle = format!(r#"{attr}=""#);
    let Some(open) = doc[tag_start..tag_end].find(&needle) else {
        return doc.to_string();
    };
    let start = tag_start + open + needle.len();
    let Some(len) = doc[start..].find('"') else {
        return doc.to_string();
    };
    format!(
        "{}{}{}",
        &doc[..start],
        escape_html(value),
        &doc[start + len..]
    )
}

#[cfg(test)]
mod tests {
    use imrf_contract::{validate, Field, StakeholderGroup};

    use super::*;

    const TEMPLATE: &str = concat!(
        r#"<!doctype html><html lang="ar" dir="rtl"><head><title>x</title>"#,
        r#"<meta name="description" content="d" /></head><body><div id="imrf-app">"#,
        "<!--imrf-app--><!--/imrf-app--></div></body></html>"
    );

    fn place(lang: Lang) -> Place<'static> {
        Place {
            lang,
            shell: Shell::Page,
            view: View::Full,
            action: "https://api.example/api/submissions",
        }
    }

    fn typed() -> Submission {
        Submission {
            idempotency_key: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            name: r#"Sara "<script>alert(1)</script>"#.into(),
            email: "not an address".into(),
            country: "JO".into(),
            stakeholder_group: Some(StakeholderGroup::TradeUnions),
            input: "Line one\nLine <two>".into(),
            consent: true,
            ..Submission::default()
        }
    }

    #[test]
    fn a_refused_post_comes_back_with_every_error_and_every_value() {
        let submission = typed();
        let errors = validate(&submission).expect_err("three fields are wrong");
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert!(fields.contains(&Field::Email) && fields.contains(&Field::Title));
        let doc = fill_document(
            &language_document(TEMPLATE, Lang::En),
            &place(Lang::En),
            &FormState::Refused {
                submission: &submission,
                errors: &errors,
            },
        )
        .expect("mount comments");
        assert!(doc.contains("<title>Error: Regional UN Network"), "{doc}");
        assert!(doc.contains(r#"class="imrf-error-summary""#));
        for e in &errors {
            let message = e.to_body().message.en;
            assert_eq!(
                doc.matches(&message).count(),
                2,
                "summary and field: {message}"
            );
        }
        // Values back, escaped: nothing the visitor typed becomes markup.
        assert!(
            doc.contains(r#"value="Sara &quot;&lt;script&gt;alert(1)&lt;/script&gt;""#),
            "{doc}"
        );
        assert!(!doc.contains("<script>alert"));
        let area = &doc[doc.find("<textarea").unwrap()..doc.find("</textarea>").unwrap()];
        assert!(area.ends_with(">Line one\nLine &lt;two&gt;"), "{area}");
        assert!(doc.contains(r#"value="not an address""#));
        assert!(doc.contains(r#"<option value="JO" selected"#));
        assert!(
            doc.contains(r#"value="trade_unions" required checked"#),
            "{doc}"
        );
        assert!(doc.contains(r#"action="https://api.example/api/submissions""#));
        assert!(doc.contains(r#"<input type="hidden" name="shown_at" value="">"#));
    }

    #[test]
    fn the_form_offers_a_confirmation_unchecked() {
        let doc =
            fill_document(TEMPLATE, &place(Lang::En), &FormState::Blank).expect("mount comments");
        let at = doc
            .find(r#"name="confirmation""#)
            .expect("the confirmation box");
        let input = &doc[doc[..at].rfind('<').unwrap()..at + doc[at..].find('>').unwrap()];
        assert!(
            input.contains(r#"type="checkbox""#) && input.contains(r#"value="on""#),
            "{input}"
        );
        assert!(!input.contains("checked"), "unchecked by default: {input}");
        assert!(doc.contains(ui(Lang::En).confirmation_label));
    }

    #[test]
    fn the_receipt_shows_the_reference_and_no_form() {
        let doc = fill_document(
            TEMPLATE,
            &place(Lang::Ar),
            &FormState::Receipt {
                reference: "IMRF-7K3Q-X9",
                withdraw_href: Some("/ar/withdraw?reference=IMRF-7K3Q-X9&token=abc"),
            },
        )
        .expect("mount comments");
        assert!(doc.contains("IMRF-7K3Q-X9"));
        assert!(doc.contains(ui(Lang::Ar).success_heading));
        assert!(
            doc.contains(r#"<a href="/ar/withdraw?reference=IMRF-7K3Q-X9&amp;token=abc">"#),
            "{doc}"
        );
        assert!(!doc.contains("<form"));
        assert!(!doc.contains("Error"), "no error prefix on a receipt");
    }

    /// Issue 26, item 12: the answers to a post land where they matter.
    /// The refused form and the receipt are pages about the form, without
    /// the release above them (on a phone the summary was 4,659 px down);
    /// the summary or the receipt takes focus as the page opens; the
    /// receipt's title says the input was received.
    #[test]
    fn an_answer_to_a_post_starts_with_the_summary_or_the_receipt() {
        let submission = typed();
        let errors = validate(&submission).expect_err("three fields are wrong");
        let refused = fill_document(
            &language_document(TEMPLATE, Lang::En),
            &place(Lang::En),
            &FormState::Refused {
                submission: &submission,
                errors: &errors,
            },
        )
        .expect("mount comments");
        assert!(!refused.contains("<article"), "no release: {refused}");
        let main = &refused[refused.find("<main").expect("main")..];
        let summary = main.find(r#"class="imrf-error-summary""#).expect("summary");
        assert!(
            main[..summary].find("<form").is_none() && main[..summary].contains("<h1"),
            "the page's heading, then the summary, then the form"
        );
        let tag = &main
            [main[..summary].rfind('<').unwrap()..summary + main[summary..].find('>').unwrap()];
        assert!(
            tag.contains("autofocus") && tag.contains(r#"id="imrf-error-summary""#),
            "{tag}"
        );

        let receipt = fill_document(
            &language_document(TEMPLATE, Lang::Ar),
            &place(Lang::Ar),
            &FormState::Receipt {
                reference: "IMRF-7K3Q-X9",
                withdraw_href: None,
            },
        )
        .expect("mount comments");
        assert!(
            receipt.contains(&format!(
                "<title>{}{}</title>",
                ui(Lang::Ar).title_received_prefix,
                release(Lang::Ar).meta.title
            )),
            "{receipt}"
        );
        assert!(
            !receipt.contains("<article"),
            "the receipt is a page of its own"
        );
        let at = receipt.find(r#"id="imrf-receipt""#).expect("receipt");
        let tag =
            &receipt[receipt[..at].rfind('<').unwrap()..at + receipt[at..].find('>').unwrap()];
        assert!(tag.contains("autofocus"), "{tag}");
        assert!(
            receipt.contains(r#"<h2 id="imrf-receipt-heading""#),
            "{receipt}"
        );

        // The blank document keeps the release first and takes no focus.
        let blank =
            fill_document(TEMPLATE, &place(Lang::En), &FormState::Blank).expect("mount comments");
        assert!(blank.contains("<article") && !blank.contains("autofocus"));
        assert!(blank.contains(r#"<h2 id="imrf-form-heading""#));
    }

    #[test]
    fn each_language_document_speaks_its_language() {
        let en = language_document(TEMPLATE, Lang::En);
        assert!(en.contains(r#"<html lang="en" dir="ltr">"#));
        assert!(en.contains(&format!("<title>{}</title>", release(Lang::En).meta.title)));
        let ar = fill_document(
            &language_document(TEMPLATE, Lang::Ar),
            &place(Lang::Ar),
            &FormState::Blank,
        )
        .expect("mount comments");
        assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
        assert!(
            ar.contains(r#"<a href="../en/" hreflang="en""#),
            "the switcher leads to /en/"
        );
        assert!(ar.contains(r#"name="language" value="ar""#));
        assert_eq!(
            fill_document("<p>no mount</p>", &place(Lang::Ar), &FormState::Blank),
            None
        );
    }
}
