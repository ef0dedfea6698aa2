use super::*;
use crate::{validate, Field, Lang, Rule, StakeholderGroup};

const COMPLETE: &str = "language=en&name=Sara+Ali&organisation=&email=sara%40example.org\
&country=EG&stakeholder_group=civil_society&stakeholder_group_other=\
&title=A+title&input=Line+one%0D%0ALine+two&link=&consent=on\
&name.dir=ltr&title.dir=ltr&input.dir=rtl&organisation.dir=ltr\
&website=&shown_at=1767225600000&shell=embed&view=form";

#[test]
fn a_complete_post_is_a_valid_submission() {
    let post = parse(COMPLETE.as_bytes()).unwrap();
    let s = &post.submission;
    assert_eq!(s.language, Lang::En);
    assert_eq!(s.name, "Sara Ali");
    assert_eq!(s.email, "sara@example.org");
    assert_eq!(s.stakeholder_group, Some(StakeholderGroup::CivilSociety));
    assert_eq!(s.input, "Line one\r\nLine two");
    assert!(s.consent);
    assert_eq!(s.fill_ms, 0);
    let dirs: Vec<(&str, &str)> = s
        .directions
        .iter()
        .map(|(k, v)| (k.as_str(), v.code()))
        .collect();
    assert_eq!(
        dirs,
        [
            ("input", "rtl"),
            ("name", "ltr"),
            ("organisation", "ltr"),
            ("title", "ltr")
        ]
    );
    assert_eq!(post.shown_at.as_deref(), Some("1767225600000"));
    assert_eq!(post.shell.as_deref(), Some("embed"));
    assert_eq!(post.view.as_deref(), Some("form"));
    let valid = validate(s).expect("valid");
    assert_eq!(valid.get().input, "Line one\nLine two");
}

#[test]
fn arabic_text_decodes_from_percent_encoded_utf8() {
    let post = parse("name=%D8%B3%D8%A7%D8%B1%D8%A9&language=ar".as_bytes()).unwrap();
    assert_eq!(post.submission.name, "\u{633}\u{627}\u{631}\u{629}");
    assert_eq!(post.submission.language, Lang::Ar);
}

#[test]
fn unknown_names_are_ignored_and_the_first_of_a_repeated_name_wins() {
    let post = parse(b"name=First&name=Second&colour=blue&idempotency_key=x&fill_ms=9").unwrap();
    assert_eq!(post.submission.name, "First");
    assert_eq!(post.submission.fill_ms, 0);
    assert_ne!(post.submission.idempotency_key, "x");
}

#[test]
fn missing_fields_are_empty_and_named_by_the_rules() {
    let post = parse(b"").unwrap();
    assert_eq!(post.shown_at, None);
    assert_eq!(post.shell, None);
    let errors = validate(&post.submission).unwrap_err();
    let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            Field::Name,
            Field::Email,
            Field::Country,
            Field::StakeholderGroup,
            Field::Title,
            Field::Input,
            Field::Consent
        ]
    );
    // The derived key always passes the key rule.
    assert!(!fields.contains(&Field::IdempotencyKey));
}

#[test]
fn malformed_encoding_and_invalid_utf8_are_errors() {
    for (body, want) in [
        (&b"name=%ZZ"[..], FormPostError::PercentEncoding),
        (b"name=%4", FormPostError::PercentEncoding),
        (b"na%G1me=x", FormPostError::PercentEncoding),
        (b"name=%FF%FE", FormPostError::Utf8),
        (b"name=\xff", FormPostError::Utf8),
        (b"name=%C3", FormPostError::Utf8),
    ] {
        assert_eq!(parse(body), Err(want), "{body:?}");
    }
}

#[test]
fn odd_values_are_read_as_the_rules_expect() {
    let post =
        parse(b"stakeholder_group=pirates&shown_at=soon&language=fr&name.dir=up&name=x").unwrap();
    assert_eq!(
        post.submission.stakeholder_group,
        Some(StakeholderGroup::Unknown)
    );
    assert_eq!(
        post.shown_at.as_deref(),
        Some("soon"),
        "read by the endpoint, which refuses it"
    );
    assert_eq!(post.submission.language, Lang::Ar);
    assert!(post.submission.directions.is_empty());
    let errors = validate(&post.submission).unwrap_err();
    assert!(errors
        .iter()
        .any(|e| e.field == Field::StakeholderGroup && e.rule == Rule::Malformed));
}

#[test]
fn the_derived_key_follows_the_content_and_the_document() {
    let key = |body: &str| parse(body.as_bytes()).unwrap().submission.idempotency_key;
    let first = key(COMPLETE);
    assert_eq!(first.len(), 36);
    assert_eq!(&first[14..15], "8", "version 8: {first}");
    assert!("89ab".contains(&first[19..20]), "variant: {first}");
    // Another document (its own `shown_at`) makes another key: whoever knows
    // a person's words cannot post them first under the person's key.
    let other_document = COMPLETE.replace("shown_at=1767225600000", "shown_at=1767225699999");
    assert_ne!(key(&other_document), first);
    assert_ne!(
        key(&COMPLETE.replace("shown_at=1767225600000", "shown_at=")),
        first
    );
    // The honeypot, the shell and normalisation do not count.
    let later = COMPLETE
        .replace("website=", "website=x")
        .replace("shell=embed", "shell=page")
        .replace("name=Sara+Ali", "name=++Sara+Ali+");
    assert_eq!(key(&later), first);
    // Any field of the input does.
    for changed in [
        COMPLETE.replace("A+title", "Another+title"),
        COMPLETE.replace("language=en", "language=ar"),
        COMPLETE.replace("input.dir=rtl", "input.dir=ltr"),
        COMPLETE.replace("&consent=on", ""),
        COMPLETE.replace("civil_society", "academia"),
    ] {
        assert_ne!(key(&changed), first, "{changed}");
    }
    // Fields are kept apart: moving text between two fields changes the key.
    assert_ne!(key("name=ab&organisation=c"), key("name=a&organisation=bc"));
}
