use super::*;
use imrf_contract::Lang;

fn hostile() -> ConsoleInput {
    ConsoleInput {
        reference: "IMRF-7K2M9QXA".into(),
        received: "2026-12-07T10:00:00.000Z".into(),
        name: "Amal \u{202E}evil".into(),
        organisation: "<b>Org</b>".into(),
        email: "a@example.org".into(),
        country: "EG".into(),
        group: None,
        group_other: String::new(),
        title: "<script>alert(1)</script>".into(),
        title_lang: Lang::En,
        input: format!("مرحبا {}", "x".repeat(5000)),
        input_lang: Lang::Ar,
        link: "https://xn--pple-43d.example/<img src=x onerror=alert(1)>".into(),
        link_host: Some("xn--pple-43d.example".into()),
        state: filter::StateFilter::New,
        reason: None,
        flagged: None,
        history: vec![],
        newer: None,
        older: Some("IMRF-3PQ8Z0TR".into()),
        mail: MailStatus::Waiting(2),
        notes: vec![Note {
            at: "2026-12-07T11:00:00.000Z".into(),
            actor: "staff:r@example.org".into(),
            text: "<i>check</i>".into(),
        }],
        redaction: None,
    }
}

fn frame() -> Frame<'static> {
    Frame {
        stylesheet: "body{}",
        viewer: Some(Viewer {
            email: "r@example.org",
            administrator: false,
        }),
        rest: "inputs/IMRF-7K2M9QXA",
    }
}

#[test]
fn an_input_is_shown_as_text_in_its_own_direction() {
    let input = hostile();
    let html = console_document(Lang::En, &frame(), &ConsolePage::Input(&input, None));
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<b>Org"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<script"), "no script on an input's page");
    assert!(
        html.contains(r#"<div lang="ar" dir="rtl" class="imrf-console-text">"#),
        "the input in its own direction"
    );
    assert!(html.contains("<bdi>Amal \u{202E}evil</bdi>"));
    assert!(html.contains("xn--pple-43d.example</strong>"));
    assert!(
        !html.contains("href=\"https://xn--"),
        "the link is not a link"
    );
    assert!(html.contains(r#"action="/secretariat/en/inputs/IMRF-7K2M9QXA/decide""#));
    assert!(html
        .contains(r#"<a href="/secretariat/en/inputs/IMRF-3PQ8Z0TR" rel="next">Older input</a>"#));
}

#[test]
fn the_sign_in_page_says_a_passkey_needs_javascript_in_its_language() {
    for lang in Lang::ALL {
        let html = console_document(
            lang,
            &Frame {
                viewer: None,
                rest: "",
                ..frame()
            },
            &ConsolePage::SignIn,
        );
        assert!(html.contains(crate::release_content::ui(lang).console_needs_script));
        assert!(html.contains(r#"<script src="/secretariat/console.js" defer"#));
        assert!(!html.contains("IMRF-"), "no input on the sign-in page");
        assert!(html.contains(&format!(r#"<html lang="{}""#, lang.code())));
    }
}

#[test]
fn the_redaction_form_holds_the_text_as_text() {
    let mut input = hostile();
    input.redaction = Some(Redacted {
        name: "\"><script>alert(1)</script>".into(),
        organisation: String::new(),
        title: "t".into(),
        input: "</textarea><script>alert(2)</script> & <img src=x>".into(),
        at: "2026-12-07T11:00:00.000Z".into(),
        actor: "staff:r@example.org".into(),
    });
    let html = console_document(Lang::En, &frame(), &ConsolePage::Input(&input, None));
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("</textarea><script"), "{html}");
    assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;alert(2)"));
    assert!(html.contains(r#"action="/secretariat/en/inputs/IMRF-7K2M9QXA/redaction""#));
}
