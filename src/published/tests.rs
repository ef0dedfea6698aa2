use super::*;

fn input(reference: &str, text_lang: Lang, name: &str, title: &str, text: &str) -> PublishedInput {
    PublishedInput {
        reference: reference.into(),
        received: "2026-12-04T10:00:00.000Z".into(),
        published: "2026-12-05T09:00:00.000Z".into(),
        text_lang,
        name: name.into(),
        organisation: String::new(),
        country: "JO".into(),
        group: Some(StakeholderGroup::TradeUnions),
        group_other: String::new(),
        title: title.into(),
        input: text.into(),
        link: String::new(),
        edited: false,
    }
}

fn list_doc(lang: Lang, items: &[PublishedInput], query: &str) -> String {
    let counts = Counts {
        total: items.len() as u64,
        by_group: vec![(Some(StakeholderGroup::TradeUnions), items.len() as u64)],
        by_country: vec![("JO".into(), items.len() as u64)],
    };
    let page = ListPage {
        query: ListQuery::parse(query),
        page: 1,
        items,
        counts: &counts,
        countries: &["JO".to_string()],
    };
    record_document(
        lang,
        &Site::default(),
        &list_path(lang),
        &RecordPage::List(page),
    )
}

#[test]
fn an_arabic_input_on_the_english_list_keeps_its_language_and_direction() {
    let items = [input(
        "IMRF-AAAAAAAA",
        Lang::Ar,
        "John Smith",
        "حماية العمال",
        "نص المدخلات",
    )];
    let doc = list_doc(Lang::En, &items, "");
    assert!(doc.starts_with("<!doctype html>"));
    assert!(
        !doc.contains("<!>"),
        "no empty comments: the Nu checker reads them as bogus"
    );
    assert!(doc.contains(r#"<html lang="en" dir="ltr">"#), "{doc}");
    assert!(
        doc.contains(r#"<h2 lang="ar" dir="rtl"><a href="../../en/inputs/IMRF-AAAAAAAA">حماية العمال</a></h2>"#),
        "{doc}"
    );
    assert!(doc.contains(r#"<p lang="ar" dir="rtl" class="imrf-record-excerpt">نص المدخلات</p>"#));
    assert!(doc.contains("<bdi>John Smith</bdi>"), "names are isolated");
    assert!(
        doc.contains("Trade unions")
            || doc.contains("trade unions")
            || doc.contains("Trade Unions")
    );
    assert!(doc.contains("Jordan"));
}

#[test]
fn published_text_is_text() {
    let hostile = "<script>alert(1)</script>\u{202E}evil";
    let items = [input("IMRF-AAAAAAAA", Lang::En, hostile, hostile, hostile)];
    for lang in Lang::ALL {
        let doc = list_doc(lang, &items, "");
        assert!(!doc.contains("<script"), "{doc}");
        assert!(doc.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let one = record_document(lang, &Site::default(), "/x", &RecordPage::Input(&items[0]));
        assert!(!one.contains("<script"), "{one}");
    }
}

#[test]
fn the_language_link_keeps_the_filters_and_the_page() {
    let items = [input("IMRF-AAAAAAAA", Lang::En, "A", "T", "I")];
    let doc = list_doc(Lang::Ar, &items, "group=media&language=en");
    assert!(
        doc.contains(r#"<a href="../../en/inputs/?group=media&amp;language=en" hreflang="en""#),
        "{doc}"
    );
    assert!(doc.contains(r#"<option value="media" selected"#), "{doc}");
    assert!(doc.contains(r#"<a href="./">"#), "a way back to all inputs");
}

#[test]
fn filters_not_understood_are_said() {
    let items = [input("IMRF-AAAAAAAA", Lang::En, "A", "T", "I")];
    let doc = list_doc(Lang::En, &items, "group=pirates");
    assert!(doc.contains(ui(Lang::En).inputs_filters_ignored));
    assert!(!list_doc(Lang::En, &items, "").contains(ui(Lang::En).inputs_filters_ignored));
}

#[test]
fn the_counts_are_a_chart_and_a_table_with_the_same_numbers() {
    let items: Vec<_> = (0..3)
        .map(|i| input(&format!("IMRF-AAAAAAA{i}"), Lang::En, "A", "T", "I"))
        .collect();
    let doc = list_doc(Lang::En, &items, "");
    assert!(doc.contains(r#"<svg viewBox="0 0 640 28""#), "{doc}");
    assert!(doc.contains(r#"aria-hidden="true""#));
    assert!(
        doc.contains("<th scope=\"row\">Jordan</th><td>3</td>"),
        "{doc}"
    );
}

#[test]
fn one_input_in_full_with_its_link_shown_and_not_followed() {
    let mut one = input(
        "IMRF-AAAAAAAA",
        Lang::En,
        "Sara",
        "Decent work",
        "Line one\nLine two",
    );
    one.link = "https://example.org/report".into();
    let doc = record_document(
        Lang::Ar,
        &Site::default(),
        "/ar/inputs/IMRF-AAAAAAAA",
        &RecordPage::Input(&one),
    );
    assert!(
        doc.contains(r#"<h1 lang="en" dir="ltr">Decent work</h1>"#),
        "{doc}"
    );
    assert!(doc.contains(
        r#"<div lang="en" dir="ltr" class="imrf-record-text">Line one
Line two</div>"#
    ));
    assert!(doc.contains(r#"rel="nofollow ugc noopener noreferrer""#));
    assert!(doc.contains(">https://example.org/report</a>"));
    assert!(doc.contains(r#"<a href="../../en/inputs/IMRF-AAAAAAAA" hreflang="en""#));
}

#[test]
fn no_script_and_the_canonical_address_when_known() {
    let items = [input("IMRF-AAAAAAAA", Lang::En, "A", "T", "I")];
    let doc = list_doc(Lang::En, &items, "");
    assert!(!doc.contains("<script"));
    assert!(
        !doc.contains("canonical"),
        "no public address, no canonical link"
    );
    let site = Site {
        stylesheet: Some("a>b{color:red}"),
        public_url: Some("https://imrf.example"),
        ..Site::default()
    };
    let doc = record_document(Lang::En, &site, "/en/inputs/", &RecordPage::NotPublished);
    assert!(doc.contains("<style>a>b{color:red}</style>"), "{doc}");
    assert!(
        !doc.contains("canonical"),
        "a missing page has no canonical address"
    );
    assert!(
        doc.contains(
            r#"<link rel="alternate" hreflang="ar" href="https://imrf.example/ar/inputs/""#
        ),
        "{doc}"
    );
}

#[test]
fn excerpts_cut_at_a_word_and_never_inside_a_character() {
    assert_eq!(excerpt("one two\nthree", 240), "one two three");
    assert_eq!(excerpt("alpha beta gamma delta", 12), "alpha beta…");
    let long = "ع".repeat(5000);
    let cut = excerpt(&long, 240);
    assert_eq!(cut.chars().count(), 241);
}

#[test]
fn static_files_link_folders_from_any_depth_and_offer_no_filters() {
    let items = [input("IMRF-AAAAAAAA", Lang::En, "A", "T", "I")];
    let counts = Counts {
        total: 41,
        ..Counts::default()
    };
    let page = ListPage {
        query: ListQuery::parse(""),
        page: 2,
        items: &items,
        counts: &counts,
        countries: &[],
    };
    let site = Site {
        layout: Layout::Files,
        ..Site::default()
    };
    let path = file_list_path(Lang::En, 2);
    assert_eq!(path, "/en/inputs/pages/2/");
    let doc = record_document(Lang::En, &site, &path, &RecordPage::List(page));
    assert!(
        doc.contains(r#"<a href="../../../../en/inputs/IMRF-AAAAAAAA/">T</a>"#),
        "{doc}"
    );
    assert!(
        doc.contains(r#"<a href="../../../../en/inputs/" rel="prev">"#),
        "{doc}"
    );
    assert!(
        doc.contains(r#"<a href="../../../../en/inputs/pages/3/" rel="next">"#),
        "{doc}"
    );
    assert!(
        doc.contains(r#"<a href="../../../../ar/inputs/pages/2/" hreflang="ar""#),
        "{doc}"
    );
    assert!(doc.contains(r#"href="../../../../inputs.csv""#));
    assert!(!doc.contains("<form"), "a static host cannot filter");
    let one = record_document(
        Lang::Ar,
        &site,
        &file_input_path(Lang::Ar, "IMRF-AAAAAAAA"),
        &RecordPage::Input(&items[0]),
    );
    assert!(one.contains(r#"<a href="../../../ar/inputs/">"#), "{one}");
    assert!(one.contains(r#"<a href="../../../ar/">"#), "{one}");
}

#[test]
fn a_redacted_copy_is_marked_as_edited_by_the_secretariat_in_the_visitors_language() {
    for lang in Lang::ALL {
        let mark = crate::release_content::ui(lang).inputs_edited;
        let plain = input("IMRF-AAAAAAAA", Lang::En, "A. Haddad", "Title", "Text");
        let edited = PublishedInput {
            edited: true,
            ..plain.clone()
        };
        for (item, marked) in [(&plain, false), (&edited, true)] {
            let list = list_doc(lang, std::slice::from_ref(item), "");
            let page = record_document(lang, &Site::default(), "/x", &RecordPage::Input(item));
            assert_eq!(list.contains(mark), marked, "{list}");
            assert_eq!(page.contains(mark), marked, "{page}");
        }
    }
}
