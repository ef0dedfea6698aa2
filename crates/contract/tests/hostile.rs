//! Hostile field values (issue 15): invisible characters, look-alike
//! addresses, private hosts, separators. Each case states its outcome; the
//! outcomes are also written as rows of `docs/hostile-input.md` when
//! `IMRF_HOSTILE_ROWS` names a file (see `scripts/hostile-table.sh`).

use imrf_contract::{validate, Field, Lang, Rule, StakeholderGroup, Submission};

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

fn slot(s: &mut Submission, field: Field) -> &mut String {
    match field {
        Field::Name => &mut s.name,
        Field::Organisation => &mut s.organisation,
        Field::Email => &mut s.email,
        Field::Title => &mut s.title,
        Field::Input => &mut s.input,
        Field::Link => &mut s.link,
        other => panic!("no text value for {other:?}"),
    }
}

/// Appends a row to the hostile-input table, when asked to.
pub fn record(area: &str, case: &str, outcome: &str) {
    let Ok(path) = std::env::var("IMRF_HOSTILE_ROWS") else {
        return;
    };
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("rows file");
    // One write per row: the tests run in parallel, and `writeln!` may write
    // a row in pieces that another test's row would split.
    let row = format!("{area}\t{case}\t{outcome}\n");
    f.write_all(row.as_bytes()).expect("write row");
}

/// A value as the table shows it: invisible characters by their code point.
fn shown(s: &str) -> String {
    let text: String = s
        .chars()
        .map(|c| {
            if c == ' ' || (imrf_contract::has_visible(&c.to_string()) && !c.is_control()) {
                c.escape_debug().to_string()
            } else {
                format!("\\u{{{:04X}}}", c as u32)
            }
        })
        .collect();
    format!("`{text}`").replace('|', "\\|")
}

/// Validates a valid submission with one field replaced; returns the outcome
/// as the table words it: `accepted as "…"` or `422 field/rule`.
fn outcome(field: Field, input: &str) -> String {
    let mut s = valid();
    *slot(&mut s, field) = input.to_string();
    match validate(&s) {
        Ok(v) => {
            let mut v = v.into_inner();
            format!("accepted as {}", shown(slot(&mut v, field)))
        }
        Err(errors) => errors
            .iter()
            .map(|e| format!("422 {}/{}", e.field.key(), e.rule.key()))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn refused(field: Field, rule: Rule) -> String {
    format!("422 {}/{}", field.key(), rule.key())
}

fn accepted(value: &str) -> String {
    format!("accepted as {}", shown(value))
}

fn case(area: &str, field: Field, input: &str, want: String) {
    let got = outcome(field, input);
    assert_eq!(got, want, "{field:?} {input:?}");
    record(
        area,
        &format!("{} {}", field.key(), shown(input)),
        &got.replace('|', "\\|"),
    );
}

const INVISIBLE: [char; 21] = [
    '\u{200B}',
    '\u{FEFF}',
    '\u{200C}',
    '\u{200D}',
    '\u{2060}',
    '\u{3164}',
    '\u{2800}',
    '\u{00AD}',
    '\u{034F}',
    '\u{115F}',
    '\u{1160}',
    '\u{180E}',
    '\u{2061}',
    '\u{2062}',
    '\u{2063}',
    '\u{2064}',
    '\u{E0001}',
    '\u{E0041}',
    '\u{200E}',
    '\u{FFA0}',
    '\u{FE0F}',
];

#[test]
fn invisible_only_values_are_required() {
    for c in INVISIBLE {
        for field in [Field::Name, Field::Title, Field::Input] {
            let got = outcome(field, &c.to_string());
            assert_eq!(got, refused(field, Rule::Required), "{field:?} {c:?}");
        }
        record(
            "Invisible-only value",
            &format!("name, title or input = {}", shown(&c.to_string())),
            "422 required, in each field",
        );
    }
    let all: String = INVISIBLE.iter().collect();
    case(
        "Invisible-only value",
        Field::Name,
        &format!(" {all} "),
        refused(Field::Name, Rule::Required),
    );
    // An optional field made only of invisible characters is simply empty.
    case(
        "Invisible-only value",
        Field::Organisation,
        "\u{200B}\u{3164}",
        accepted(""),
    );
}

#[test]
fn hidden_characters_are_removed_and_meaningful_ones_kept() {
    let area = "Hidden characters in text";
    case(
        area,
        Field::Title,
        "Hello\u{E0041}\u{E0042}\u{E007F}",
        accepted("Hello"),
    );
    case(area, Field::Name, "سا\u{200B}رة\u{FEFF}", accepted("سارة"));
    case(area, Field::Name, "\u{200D}Sara\u{200C}", accepted("Sara"));
    case(area, Field::Name, "Sa\u{00AD}ra", accepted("Sara"));
    // ZWNJ inside a Persian word, ZWJ inside an emoji sequence, an emoji
    // presentation selector, and the flag of Scotland (a tag sequence) stay.
    case(
        area,
        Field::Input,
        "می\u{200C}خواهم",
        accepted("می\u{200C}خواهم"),
    );
    case(area, Field::Name, "سارة 👩🏽‍🎓", accepted("سارة 👩🏽‍🎓"));
    case(
        area,
        Field::Title,
        "❤\u{FE0F} IMRF",
        accepted("❤\u{FE0F} IMRF"),
    );
    let scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
    case(area, Field::Title, scotland, accepted(scotland));
    case(area, Field::Title, "\u{FE0F}IMRF", accepted("IMRF"));
    // LRM, RLM and ALM stay, as before.
    case(
        area,
        Field::Title,
        "الهجرة\u{200F} (IMRF)\u{200E}",
        accepted("الهجرة\u{200F} (IMRF)\u{200E}"),
    );
}

#[test]
fn separators_keep_words_apart_and_lines_intact() {
    let area = "Separators";
    for sep in [
        '\u{000B}', '\u{000C}', '\u{0085}', '\u{2028}', '\u{2029}', '\u{001E}',
    ] {
        case(area, Field::Name, &format!("a{sep}b"), accepted("a b"));
    }
    for sep in ['\u{000B}', '\u{000C}', '\u{0085}', '\u{2028}', '\u{2029}'] {
        case(area, Field::Input, &format!("a{sep}b"), accepted("a\nb"));
    }
    case(area, Field::Input, "a\u{2800}b", accepted("a b"));
}

#[test]
fn machine_read_values_with_hidden_characters_are_refused() {
    let area = "Look-alike e-mail addresses";
    let email = |v: &str| {
        case(
            area,
            Field::Email,
            v,
            refused(Field::Email, Rule::EmailSyntax),
        )
    };
    email("sara\u{200B}@example.org");
    email("sara@exam\u{200B}ple.org");
    email("sara@example\u{2060}.org");
    email("sa\u{202E}ra@example.org");
    email("sara@ex\u{0430}mple.org");
    email("sara@1.2.3.4");
    email("sara@[1.2.3.4]");
    // Marks that come with copying from Arabic text, at the ends only, go.
    case(
        area,
        Field::Email,
        "\u{200F}sara@example.org\u{200E} ",
        accepted("sara@example.org"),
    );
    case(
        area,
        Field::Email,
        "sara٢٠٢٢@example.org",
        accepted("sara2022@example.org"),
    );

    let area = "Links";
    let link = |v: &str| case(area, Field::Link, v, refused(Field::Link, Rule::UrlSyntax));
    link("https://exam\u{200B}ple.org/");
    link("https://example.org/\u{200B}report");
    link("http://user:pass@example.org/");
    link("http://user@example.org/");
    link("http://127.0.0.1/");
    link("http://127.1/");
    link("http://2130706433/");
    link("http://0x7f000001/");
    link("http://localhost:8080/");
    link("http://a.localhost/");
    link("http://10.1.2.3/");
    link("http://192.168.1.1/");
    link("http://172.16.0.1/");
    link("http://169.254.169.254/latest/meta-data/");
    link("http://100.64.0.1/");
    link("http://0.0.0.0/");
    link("http://[::1]/");
    link("http://[fd00::1]/");
    link("http://[fe80::1]/");
    link("http://[::ffff:127.0.0.1]/");
    link("http://intranet/report");
    link("https://ex\u{0430}mple.org/");
    link("https://g\u{03BF}\u{03BF}gle.com/");
    link("https://exam%70le.org/");
    // Kept as sent: digits in a path name a different page.
    let wiki = "https://ar.wikipedia.org/wiki/\u{0661}\u{0669}\u{0664}\u{0668}";
    case(area, Field::Link, wiki, accepted(wiki));
    case(
        area,
        Field::Link,
        "https://example.org/report-٢٠٢٢",
        accepted("https://example.org/report-٢٠٢٢"),
    );
    // A whole label in one other alphabet, and a public address, are fine.
    case(
        area,
        Field::Link,
        "https://\u{0440}\u{0444}.example.org/",
        accepted("https://\u{0440}\u{0444}.example.org/"),
    );
    case(
        area,
        Field::Link,
        "https://مثال.example/تقرير",
        accepted("https://مثال.example/تقرير"),
    );
    case(
        area,
        Field::Link,
        "http://93.184.216.34/",
        accepted("http://93.184.216.34/"),
    );
}

#[test]
fn decoding_names_the_field_instead_of_refusing_the_body() {
    let area = "Body decoding";
    let mut json = serde_json::to_value(valid()).unwrap();
    json["stakeholder_group"] = "aliens".into();
    let s: Submission = serde_json::from_value(json).expect("an unknown group decodes");
    let errors = validate(&s).unwrap_err();
    let got: Vec<(Field, Rule)> = errors.iter().map(|e| (e.field, e.rule)).collect();
    assert_eq!(got, vec![(Field::StakeholderGroup, Rule::Malformed)]);
    record(
        area,
        "`\"stakeholder_group\": \"aliens\"`",
        "422 stakeholder_group/malformed",
    );

    let s: Submission = serde_json::from_str("{}").expect("an empty object decodes");
    let errors = validate(&s).unwrap_err();
    let got: Vec<String> = errors
        .iter()
        .map(|e| format!("{}/{}", e.field.key(), e.rule.key()))
        .collect();
    assert_eq!(
        got,
        [
            "name/required",
            "email/required",
            "country/required",
            "stakeholder_group/required",
            "title/required",
            "input/required",
            "consent/consent_required",
            "idempotency_key/malformed",
        ]
    );
    record(area, "`{}`", &format!("422 {}", got.join(", ")));

    // Wrong types and unknown members still refuse the body as a whole.
    assert!(serde_json::from_str::<Submission>(r#"{"name": 1}"#).is_err());
    assert!(serde_json::from_str::<Submission>(r#"{"surprise": 1}"#).is_err());
    assert!(serde_json::from_str::<Submission>(r#"{"stakeholder_group": 3}"#).is_err());
}
