//! The shared rules on many real-looking inputs: Arabic, English, mixed,
//! emoji, controls, empty and oversized. Each case changes one field of a
//! valid submission and states the outcome the form and the endpoint must agree on.

use imrf_contract::{validate, Field, Lang, Rule, StakeholderGroup, Submission, LIMITS};

fn valid() -> Submission {
    Submission {
        idempotency_key: "3f2b8c1e-9d4a-4b7e-8f01-2c3d4e5f6a7b".into(),
        language: Lang::Ar,
        name: "سارة الخطيب".into(),
        organisation: "مركز التضامن".into(),
        email: "sara@example.org".into(),
        country: "EG".into(),
        stakeholder_group: Some(StakeholderGroup::CivilSociety),
        title: "الهجرة الآمنة".into(),
        input: "نأمل أن يكون المنتدى فرصة.".into(),
        consent: true,
        fill_ms: 5000,
        ..Submission::default()
    }
}

/// What a case expects: accepted with this normalised value of the field, or rejected by this rule.
enum Expect {
    Ok(&'static str),
    OkAny,
    Err(Rule),
}

fn get(s: &Submission, field: Field) -> String {
    match field {
        Field::Name => s.name.clone(),
        Field::Organisation => s.organisation.clone(),
        Field::Email => s.email.clone(),
        Field::Country => s.country.clone(),
        Field::StakeholderGroupOther => s.stakeholder_group_other.clone(),
        Field::Title => s.title.clone(),
        Field::Input => s.input.clone(),
        Field::Link => s.link.clone(),
        Field::IdempotencyKey => s.idempotency_key.clone(),
        other => panic!("no text value for {other:?}"),
    }
}

fn set(s: &mut Submission, field: Field, value: &str) {
    let v = value.to_string();
    match field {
        Field::Name => s.name = v,
        Field::Organisation => s.organisation = v,
        Field::Email => s.email = v,
        Field::Country => s.country = v,
        Field::StakeholderGroupOther => s.stakeholder_group_other = v,
        Field::Title => s.title = v,
        Field::Input => s.input = v,
        Field::Link => s.link = v,
        Field::IdempotencyKey => s.idempotency_key = v,
        other => panic!("no text value for {other:?}"),
    }
}

fn check(field: Field, input: &str, expect: Expect) {
    let mut s = valid();
    set(&mut s, field, input);
    let result = validate(&s);
    match (expect, result) {
        (Expect::Ok(want), Ok(v)) => {
            assert_eq!(get(v.get(), field), want, "{field:?} {input:?} normalised")
        }
        (Expect::OkAny, Ok(_)) => {}
        (Expect::Err(rule), Err(errors)) => {
            assert_eq!(errors.len(), 1, "{field:?} {input:?}: {errors:?}");
            assert_eq!(errors[0].field, field, "{input:?}");
            assert_eq!(errors[0].rule, rule, "{field:?} {input:?}");
        }
        (Expect::Err(rule), Ok(v)) => panic!(
            "{field:?} {input:?} accepted as {:?}, expected {rule:?}",
            get(v.get(), field)
        ),
        (_, Err(errors)) => panic!("{field:?} {input:?} rejected: {errors:?}"),
    }
}

#[test]
fn names_and_titles() {
    use Expect::*;
    check(Field::Name, "  سارة   الخطيب  ", Ok("سارة الخطيب"));
    check(Field::Name, "Sarah Al-Khatib", Ok("Sarah Al-Khatib"));
    check(Field::Name, "José Ñúñez", Ok("José Ñúñez"));
    // NFD input (e + combining acute) comes out NFC.
    check(Field::Name, "Jose\u{301}", Ok("Jos\u{e9}"));
    // A control between a letter and its accent does not stop composition.
    check(Field::Name, "Jose\u{202E}\u{301}", Ok("Jos\u{e9}"));
    // Alef + combining hamza above composes to أ.
    check(Field::Name, "\u{627}\u{654}حمد", Ok("\u{623}حمد"));
    check(Field::Name, "", Err(Rule::Required));
    check(Field::Name, "   \t  ", Err(Rule::Required));
    check(Field::Name, "\u{202E}\u{202E}", Err(Rule::Required));
    check(Field::Name, "سارة 👩🏽‍🎓", Ok("سارة 👩🏽‍🎓"));
    check(Field::Name, "line\nbreak", Ok("line break"));
    check(Field::Name, &"ن".repeat(LIMITS.name), OkAny);
    check(
        Field::Name,
        &"ن".repeat(LIMITS.name + 1),
        Err(Rule::TooLong { max: LIMITS.name }),
    );
    check(
        Field::Title,
        "Robert'); DROP TABLE submissions;--",
        Ok("Robert'); DROP TABLE submissions;--"),
    );
    check(
        Field::Title,
        "<script>alert(1)</script>",
        Ok("<script>alert(1)</script>"),
    );
    check(Field::Title, "", Err(Rule::Required));
    check(Field::Title, "مدخلات (IMRF) 2022", Ok("مدخلات (IMRF) 2022"));
    check(Field::Organisation, "", Ok(""));
    check(Field::Organisation, "  UNICEF\u{0007} ", Ok("UNICEF"));
    check(
        Field::Organisation,
        &"x".repeat(LIMITS.organisation + 1),
        Err(Rule::TooLong {
            max: LIMITS.organisation,
        }),
    );
}

#[test]
fn bidi_controls_are_neutralised_but_word_processor_marks_pass() {
    use Expect::*;
    // RLO would display "txt.exe" reversed: it is removed.
    check(Field::Title, "report\u{202E}fdp.exe", Ok("reportfdp.exe"));
    check(
        Field::Title,
        "a\u{2066}b\u{2069}c\u{202A}d\u{202C}",
        Ok("abcd"),
    );
    // RLM/LRM/ALM from a word processor stay.
    check(
        Field::Title,
        "الهجرة\u{200F} (IMRF)\u{200E}",
        Ok("الهجرة\u{200F} (IMRF)\u{200E}"),
    );
    check(Field::Input, "نص\u{061C} عربي", Ok("نص\u{061C} عربي"));
    // ZWJ/ZWNJ are part of ordinary text (Persian, emoji).
    check(Field::Input, "می\u{200C}خواهم", Ok("می\u{200C}خواهم"));
}

#[test]
fn the_input_text() {
    use Expect::*;
    check(
        Field::Input,
        "سطر أول\r\nسطر ثانٍ  \n\n",
        Ok("سطر أول\nسطر ثانٍ"),
    );
    check(
        Field::Input,
        "Mixed النص العربي and English.",
        Ok("Mixed النص العربي and English."),
    );
    check(Field::Input, "", Err(Rule::Required));
    check(Field::Input, "\n\n  \n", Err(Rule::Required));
    check(Field::Input, &"ع".repeat(LIMITS.input), OkAny);
    check(
        Field::Input,
        &"ع".repeat(LIMITS.input + 1),
        Err(Rule::TooLong { max: LIMITS.input }),
    );
    check(
        Field::Input,
        &"🙂".repeat(LIMITS.input + 1),
        Err(Rule::TooLong { max: LIMITS.input }),
    );
    check(Field::Input, "tab\tkept", Ok("tab\tkept"));
}

#[test]
fn email_addresses() {
    use Expect::*;
    check(Field::Email, " sara@example.org ", Ok("sara@example.org"));
    check(Field::Email, "first.last+imrf@sub.example.co.uk", OkAny);
    // Arabic-Indic and Eastern Arabic-Indic digits are digits.
    check(
        Field::Email,
        "sara٢٠٢٢@example.org",
        Ok("sara2022@example.org"),
    );
    check(Field::Email, "user۱۲@example.org", Ok("user12@example.org"));
    check(Field::Email, "", Err(Rule::Required));
    check(Field::Email, "sara", Err(Rule::EmailSyntax));
    check(Field::Email, "sara@", Err(Rule::EmailSyntax));
    check(Field::Email, "@example.org", Err(Rule::EmailSyntax));
    check(Field::Email, "sara@localhost", Err(Rule::EmailSyntax));
    check(Field::Email, "sara@@example.org", Err(Rule::EmailSyntax));
    check(
        Field::Email,
        "Sara <sara@example.org>",
        Err(Rule::EmailSyntax),
    );
    check(Field::Email, "sara@[127.0.0.1]", Err(Rule::EmailSyntax));
    check(Field::Email, "sara@example.org.", Err(Rule::EmailSyntax));
    check(
        Field::Email,
        &format!("{}@example.org", "a".repeat(250)),
        Err(Rule::TooLong { max: LIMITS.email }),
    );
}

#[test]
fn links() {
    use Expect::*;
    check(Field::Link, "", Ok(""));
    check(
        Field::Link,
        "https://migrationnetwork.un.org/",
        Ok("https://migrationnetwork.un.org/"),
    );
    check(Field::Link, "http://example.org/report.pdf?x=1#p2", OkAny);
    check(Field::Link, "HTTPS://EXAMPLE.ORG", OkAny);
    check(Field::Link, "https://example.org/تقرير", OkAny);
    // Digits in a link are kept as sent (they may name another page).
    check(
        Field::Link,
        "https://example.org/report-٢٠٢٢",
        Ok("https://example.org/report-٢٠٢٢"),
    );
    check(Field::Link, "javascript:alert(1)", Err(Rule::UrlScheme));
    check(Field::Link, "ftp://example.org/file", Err(Rule::UrlScheme));
    check(Field::Link, "data:text/html,hi", Err(Rule::UrlScheme));
    check(Field::Link, "example.org/report", Err(Rule::UrlSyntax));
    check(Field::Link, "https://", Err(Rule::UrlSyntax));
    check(Field::Link, "https://exa mple.org", Err(Rule::UrlSyntax));
    check(
        Field::Link,
        &format!("https://example.org/{}", "a".repeat(LIMITS.link)),
        Err(Rule::TooLong { max: LIMITS.link }),
    );
}

#[test]
fn choices_and_consent() {
    check(Field::Country, "EG", Expect::Ok("EG"));
    check(Field::Country, "PS", Expect::Ok("PS"));
    check(Field::Country, "other", Expect::Ok("other"));
    check(Field::Country, "", Expect::Err(Rule::Required));
    check(Field::Country, "XX", Expect::Err(Rule::CountryUnknown));
    check(Field::Country, "eg", Expect::Err(Rule::CountryUnknown));

    let mut s = valid();
    s.stakeholder_group = None;
    let errors = validate(&s).unwrap_err();
    assert_eq!(
        (errors[0].field, errors[0].rule),
        (Field::StakeholderGroup, Rule::Required)
    );

    let mut s = valid();
    s.stakeholder_group = Some(StakeholderGroup::Other);
    let errors = validate(&s).unwrap_err();
    assert_eq!(
        (errors[0].field, errors[0].rule),
        (Field::StakeholderGroupOther, Rule::Required)
    );
    s.stakeholder_group_other = "  نقابة صحفيين ".into();
    assert_eq!(
        validate(&s).unwrap().get().stakeholder_group_other,
        "نقابة صحفيين"
    );

    // "Other" text is dropped when another group is chosen.
    let mut s = valid();
    s.stakeholder_group_other = "left over".into();
    assert_eq!(validate(&s).unwrap().get().stakeholder_group_other, "");

    let mut s = valid();
    s.consent = false;
    let errors = validate(&s).unwrap_err();
    assert_eq!(
        (errors[0].field, errors[0].rule),
        (Field::Consent, Rule::ConsentRequired)
    );
}

#[test]
fn keys_and_directions() {
    check(
        Field::IdempotencyKey,
        "3F2B8C1E-9D4A-4B7E-8F01-2C3D4E5F6A7B",
        Expect::Ok("3f2b8c1e-9d4a-4b7e-8f01-2c3d4e5f6a7b"),
    );
    check(Field::IdempotencyKey, "", Expect::Err(Rule::Malformed));
    check(
        Field::IdempotencyKey,
        "not-a-uuid",
        Expect::Err(Rule::Malformed),
    );
    let mut s = valid();
    s.directions
        .insert("no_such_field".into(), imrf_contract::TextDirection::Rtl);
    let errors = validate(&s).unwrap_err();
    assert_eq!(
        (errors[0].field, errors[0].rule),
        (Field::Directions, Rule::Malformed)
    );
}

#[test]
fn an_empty_form_lists_every_required_field_in_display_order() {
    let s = Submission {
        idempotency_key: valid().idempotency_key,
        ..Submission::default()
    };
    let errors = validate(&s).unwrap_err();
    let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        vec![
            Field::Name,
            Field::Email,
            Field::Country,
            Field::StakeholderGroup,
            Field::Title,
            Field::Input,
            Field::Consent
        ]
    );
    for e in &errors {
        assert!(!e.message(Lang::Ar).is_empty() && !e.message(Lang::En).is_empty());
        assert_ne!(e.message(Lang::Ar), e.message(Lang::En));
    }
}

#[test]
fn the_wire_form_is_stable_json() {
    let json = serde_json::to_value(valid()).unwrap();
    assert_eq!(json["stakeholder_group"], "civil_society");
    assert_eq!(json["language"], "ar");
    let back: Submission = serde_json::from_value(json).unwrap();
    assert_eq!(back, valid());
    let unknown = serde_json::json!({"idempotency_key": "k", "language": "en", "name": "", "email": "", "country": "",
        "stakeholder_group": null, "title": "", "input": "", "consent": false, "surprise": 1});
    assert!(
        serde_json::from_value::<Submission>(unknown).is_err(),
        "unknown members are refused"
    );
}

#[test]
fn normalisation_cases_shared_with_the_browser_test() {
    use imrf_contract::normalize_line;
    // tests/web.rs checks the same in Chromium, where NFC comes from the engine.
    assert_eq!(normalize_line("\u{1100}\u{1161}"), "\u{AC00}");
    assert_eq!(normalize_line("Vie\u{302}\u{323}t"), "Vi\u{1EC7}t");
}
