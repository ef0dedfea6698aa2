//! In-browser component tests: the real components mounted in headless
//! Chromium (wasm-bindgen-test through chromedriver).
#![cfg(target_arch = "wasm32")]

use imrf_contract::Lang;
use imrf_release::app::App;
use imrf_release::embedding::EmbedConfig;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the app in a fresh container; the config is a widget's, so the
/// test page's own `html`, title and URL are left alone.
fn mount(lang: &str) -> web_sys::HtmlElement {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    let container: web_sys::HtmlElement =
        document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let lang = lang.to_string();
    let config =
        EmbedConfig::from_lookup(move |name| (name == "lang").then(|| lang.clone()), false);
    leptos::mount::mount_to(
        container.clone(),
        move || view! { <App config=config.clone() /> },
    )
    .forget();
    container
}

fn query(root: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is rendered"))
        .unchecked_into()
}

async fn next_frame() {
    imrf_release::submission_client::sleep_ms(100).await;
}

#[wasm_bindgen_test]
async fn renders_the_release_in_the_host_language_with_direction() {
    for (lang, dir, headline_word) in [("ar", "rtl", "شبكة"), ("en", "ltr", "Network")] {
        let root = mount(lang);
        next_frame().await;
        let app = query(&root, ".imrf-app");
        assert_eq!(app.get_attribute("lang").as_deref(), Some(lang));
        assert_eq!(app.get_attribute("dir").as_deref(), Some(dir));
        // On a partner's page the title is an h2 (the page has its own h1).
        assert_eq!(root.query_selector_all("h1").unwrap().length(), 0, "no h1");
        assert_eq!(query(&root, ".release-title").tag_name(), "H2");
        assert!(query(&root, ".release-title")
            .text_content()
            .unwrap()
            .contains(headline_word));
        // The email addresses are mailto: links, isolated left-to-right.
        let mail = query(&root, "a[href='mailto:unmignet@iom.int']");
        assert_eq!(mail.get_attribute("dir").as_deref(), Some("ltr"));
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn the_switcher_changes_language_in_place_and_keeps_typed_values() {
    let root = mount("ar");
    next_frame().await;
    let name: web_sys::HtmlInputElement = query(&root, "#imrf-name").unchecked_into();
    name.set_value("Sara");
    name.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    let link = query(&root, ".imrf-language-nav a[hreflang='en']");
    link.click();
    next_frame().await;
    let app = query(&root, ".imrf-app");
    assert_eq!(app.get_attribute("lang").as_deref(), Some(Lang::En.code()));
    assert_eq!(app.get_attribute("dir").as_deref(), Some("ltr"));
    assert_eq!(
        query(&root, ".imrf-language-current")
            .text_content()
            .as_deref(),
        Some("English")
    );
    let name: web_sys::HtmlInputElement = query(&root, "#imrf-name").unchecked_into();
    assert_eq!(name.value(), "Sara", "typed value survives the switch");
    assert_eq!(
        query(&root, "label[for='imrf-name']")
            .text_content()
            .as_deref(),
        Some("Full name")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn an_empty_submit_shows_the_error_summary_linked_to_fields() {
    let root = mount("en");
    next_frame().await;
    query(&root, "form button[type='submit']").click();
    next_frame().await;
    let summary = query(&root, ".imrf-error-summary");
    assert!(summary
        .text_content()
        .unwrap()
        .contains("There is a problem"));
    let first = query(&root, ".imrf-error-summary-list a");
    assert_eq!(first.get_attribute("href").as_deref(), Some("#imrf-name"));
    let name = query(&root, "#imrf-name");
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = name.get_attribute("aria-describedby").unwrap();
    assert!(described.contains("imrf-name-error"), "{described}");
    assert_eq!(
        document().active_element().map(|e| e.class_name()),
        Some("imrf-error-summary".to_string()),
        "focus moves to the summary"
    );
    root.remove();
}

/// In the browser the contract normalises with the engine's NFC; it must give
/// what the endpoint's (native) normalisation gives, the same cases as
/// crates/contract/tests/rules.rs.
#[wasm_bindgen_test]
fn normalisation_in_the_browser_matches_the_endpoint() {
    use imrf_contract::{normalize_line, normalize_multiline};
    assert_eq!(normalize_line("Jose\u{301}"), "Jos\u{e9}");
    assert_eq!(normalize_line("Jose\u{202E}\u{301}"), "Jos\u{e9}");
    assert_eq!(normalize_line("\u{627}\u{654}حمد"), "\u{623}حمد");
    assert_eq!(normalize_line("  سارة   الخطيب  "), "سارة الخطيب");
    assert_eq!(normalize_line("report\u{202E}fdp.exe"), "reportfdp.exe");
    assert_eq!(
        normalize_line("الهجرة\u{200F} (IMRF)\u{200E}"),
        "الهجرة\u{200F} (IMRF)\u{200E}"
    );
    assert_eq!(
        normalize_multiline("سطر أول\r\nسطر ثانٍ  \n\n"),
        "سطر أول\nسطر ثانٍ"
    );
    // Hangul and Vietnamese compose too (algorithmic and table compositions).
    assert_eq!(normalize_line("\u{1100}\u{1161}"), "\u{AC00}");
    assert_eq!(normalize_line("Vie\u{302}\u{323}t"), "Vi\u{1EC7}t");
}

/// The browser path of plurals and numbers (Intl.PluralRules,
/// Intl.NumberFormat) gives what the native path (ICU4X, the grouping rule)
/// gives in the native tests, and the interface shows the right forms.
#[wasm_bindgen_test]
fn plurals_and_numbers_come_from_intl_and_match_cldr() {
    use imrf_contract::{format_count, plural_category, PluralCategory::*};
    for (n, category) in [
        (0, Zero),
        (1, One),
        (2, Two),
        (3, Few),
        (11, Many),
        (100, Other),
    ] {
        assert_eq!(plural_category(Lang::Ar, n), category, "{n} in Arabic");
    }
    assert_eq!(plural_category(Lang::En, 1), One);
    assert_eq!(plural_category(Lang::En, 2), Other);
    for lang in Lang::ALL {
        assert_eq!(
            format_count(lang, 5000),
            "5,000",
            "{lang:?}: Western digits, grouped"
        );
        assert_eq!(format_count(lang, 1234567), "1,234,567");
    }
    let retry = |lang, n| {
        imrf_release::i18n::fill_count(
            &imrf_release::release_content::ui(lang).retrying_in,
            lang,
            n,
            &[("seconds", n)],
        )
    };
    assert!(retry(Lang::Ar, 2).contains("ثانيتين"));
    assert!(retry(Lang::Ar, 3).contains("3 ثوانٍ"));
    assert!(retry(Lang::En, 1).ends_with("in 1 second…"));
}

/// Where the character at `utf16_index` of `node`'s text is drawn (its left edge).
fn char_left(node: &web_sys::Node, utf16_index: u32) -> f64 {
    let range = document().create_range().unwrap();
    range.set_start(node, utf16_index).unwrap();
    range.set_end(node, utf16_index + 1).unwrap();
    range.get_bounding_client_rect().left()
}

/// Renders `text` in a right-to-left paragraph and says whether `https://`
/// in it is drawn left to right: "h" left of "s", "s" left of ":".
fn url_reads_left_to_right(text: &str) -> bool {
    let p = document().create_element("p").unwrap();
    p.set_attribute("dir", "rtl").unwrap();
    p.set_attribute("lang", "ar").unwrap();
    p.set_text_content(Some(text));
    document().body().unwrap().append_child(&p).unwrap();
    let node = p.first_child().unwrap();
    let units: Vec<u16> = text.encode_utf16().collect();
    let needle: Vec<u16> = "https://".encode_utf16().collect();
    let at = units
        .windows(needle.len())
        .position(|w| w == needle.as_slice())
        .expect("the text has https://") as u32;
    let (h, s, colon) = (
        char_left(&node, at),
        char_left(&node, at + 4),
        char_left(&node, at + 5),
    );
    p.remove();
    h < s && s < colon
}

/// An Arabic message that ends in a URL shows it intact, left to right,
/// because the message table isolates it (FSI … PDI); the same words without
/// the isolation show `//:https`, which is what the isolation prevents.
#[wasm_bindgen_test]
fn an_arabic_message_with_a_url_renders_it_left_to_right() {
    use imrf_contract::{rule_message, Field, Rule};
    let message = rule_message(Field::Link, Rule::UrlScheme, Lang::Ar);
    assert!(url_reads_left_to_right(&message), "{message}");
    let hint = imrf_release::release_content::ui(Lang::Ar).link_hint;
    assert!(url_reads_left_to_right(hint), "{hint}");
    let bare = message.replace(['\u{2068}', '\u{2069}'], "");
    assert!(!url_reads_left_to_right(&bare), "without isolation: {bare}");
}
