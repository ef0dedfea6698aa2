//! Property-based fuzzing of normalisation, validation and body decoding
//! (issue 15, "Fuzzing"). Ignored in the ordinary test run; `scripts/fuzz.sh`
//! runs it with a case count and a time budget. A failing input proptest
//! finds is saved under `proptest-regressions/` and replayed first on every
//! later run; copy it into `hostile.rs` as a named case as well.

use imrf_contract::{
    normalize, normalize_field, validate, Field, Lang, StakeholderGroup, Submission,
};
use proptest::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many generated submissions were accepted, of how many: printed now
/// and then, so a run shows the properties were not tested on refusals only.
static ACCEPTED: AtomicU64 = AtomicU64::new(0);
static TRIED: AtomicU64 = AtomicU64::new(0);

/// Characters that have broken text handling somewhere: invisible and
/// joining characters, bidi controls, separators, composing pairs, digits
/// of other scripts, fullwidth forms, the syntax of addresses and links.
const HOSTILE_CHARS: &[char] = &[
    'a',
    'Z',
    '0',
    '9',
    ' ',
    '.',
    '@',
    ':',
    '/',
    '-',
    '_',
    '%',
    '[',
    ']',
    '?',
    '#',
    '=',
    '+',
    ',',
    ';',
    '"',
    '\'',
    '\\',
    'س',
    'ا',
    'ر',
    'ة',
    '\u{0660}',
    '\u{0669}',
    '\u{06F1}',
    'е',
    'а',
    'ο',
    '\u{0301}',
    '\u{0302}',
    '\u{0323}',
    '\u{0654}',
    '\u{0627}',
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{200E}',
    '\u{200F}',
    '\u{061C}',
    '\u{202A}',
    '\u{202E}',
    '\u{2066}',
    '\u{2069}',
    '\u{2060}',
    '\u{2061}',
    '\u{FEFF}',
    '\u{00AD}',
    '\u{034F}',
    '\u{115F}',
    '\u{1160}',
    '\u{180E}',
    '\u{3164}',
    '\u{FFA0}',
    '\u{2800}',
    '\u{E0001}',
    '\u{E0041}',
    '\u{E007F}',
    '\u{1F3F4}',
    '\u{FE0F}',
    '\u{FE0E}',
    '\u{E0100}',
    '👩',
    '🏽',
    '🎓',
    '\0',
    '\t',
    '\n',
    '\r',
    '\u{000B}',
    '\u{000C}',
    '\u{0085}',
    '\u{001E}',
    '\u{2028}',
    '\u{2029}',
    '\u{00A0}',
    '\u{2000}',
    '\u{3000}',
    '\u{FF1D}',
    '\u{1100}',
    '\u{1161}',
    '\u{11A8}',
    'Å',
    '\u{212B}',
    '\u{0041}',
    '\u{030A}',
];

fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(HOSTILE_CHARS),
        1 => any::<char>(),
    ]
}

fn hostile_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..max).prop_map(|v| v.into_iter().collect())
}

/// Mostly plain ASCII, now and then anything from [`HOSTILE_CHARS`].
fn plain_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            30 => prop::sample::select(&b"abcdefghijklmnopqrstuvwxyz0123456789"[..]).prop_map(char::from),
            1 => hostile_char(),
        ],
        1..max,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// Text that is usually acceptable, sometimes not at all.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![3 => plain_string(max), 1 => hostile_string(max)]
}

/// Usually nothing, sometimes hostile characters (around an address).
fn sometimes_hostile() -> impl Strategy<Value = String> {
    prop_oneof![3 => Just(String::new()), 1 => hostile_string(3)]
}

fn email() -> impl Strategy<Value = String> {
    (
        sometimes_hostile(),
        plain_string(8),
        plain_string(8),
        prop::sample::select(&["org", "com", "مصر", "1"][..]),
        sometimes_hostile(),
    )
        .prop_map(|(pre, local, host, tld, post)| format!("{pre}{local}@{host}.{tld}{post}"))
}

fn link() -> impl Strategy<Value = String> {
    let parts = (
        prop::sample::select(
            &[
                "https://",
                "https://",
                "http://",
                "ftp://",
                "",
                "https://user@",
            ][..],
        ),
        plain_string(10),
        prop::sample::select(&[".org", ".org", ".org", ".مثال", "", ".1"][..]),
        text(12),
    )
        .prop_map(|(scheme, host, tld, path)| format!("{scheme}{host}{tld}/{path}"));
    prop_oneof![1 => Just(String::new()), 3 => parts]
}

fn submission() -> impl Strategy<Value = Submission> {
    (
        (text(12), text(12), email()),
        (
            prop::sample::select(&["EG", "EG", "EG", "other", "XX", ""][..]),
            prop::option::weighted(0.9, prop::sample::select(&StakeholderGroup::ALL[..])),
            hostile_string(12),
        ),
        (text(12), text(40), link(), prop::bool::weighted(0.9)),
    )
        .prop_map(
            |(
                (name, organisation, email),
                (country, group, other),
                (title, input, link, consent),
            )| {
                Submission {
                    idempotency_key: "3f2b8c1e-9d4a-4b7e-8f01-2c3d4e5f6a7b".into(),
                    language: Lang::En,
                    name,
                    organisation,
                    email,
                    country: country.into(),
                    stakeholder_group: group,
                    stakeholder_group_other: other,
                    title,
                    input,
                    link,
                    consent,
                    fill_ms: 5000,
                    ..Submission::default()
                }
            },
        )
}

const TEXT_FIELDS: [Field; 7] = [
    Field::Name,
    Field::Organisation,
    Field::Email,
    Field::StakeholderGroupOther,
    Field::Title,
    Field::Input,
    Field::Link,
];

proptest! {
    #![proptest_config(ProptestConfig {
        // Failing inputs are kept here (relative to the crate) and replayed first.
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct("proptest-regressions/fuzz.txt"),
        )),
        ..ProptestConfig::default()
    })]

    /// Normalising twice equals normalising once, for every field.
    #[test]
    #[ignore = "fuzzing: run by scripts/fuzz.sh"]
    fn normalising_is_idempotent(raw in hostile_string(24)) {
        for field in TEXT_FIELDS {
            let once = normalize_field(field, &raw);
            prop_assert_eq!(normalize_field(field, &once), once.clone(), "{:?}", field);
        }
    }

    /// Whatever is accepted is accepted again after normalisation (no valid
    /// input refused), unchanged; and it survives the JSON Lines export and
    /// re-import: one line, same values, still valid.
    #[test]
    #[ignore = "fuzzing: run by scripts/fuzz.sh"]
    fn accepted_input_is_stable(raw in submission()) {
        let tried = TRIED.fetch_add(1, Ordering::Relaxed) + 1;
        if tried % 10_000 == 0 {
            eprintln!("accepted_input_is_stable: {} of {tried} accepted", ACCEPTED.load(Ordering::Relaxed));
        }
        let normalised = normalize(&raw);
        prop_assert_eq!(normalize(&normalised), normalised.clone());
        if let Ok(valid) = validate(&raw) {
            ACCEPTED.fetch_add(1, Ordering::Relaxed);
            let v = valid.get();
            prop_assert_eq!(validate(v).map(|x| x.into_inner()), Ok(v.clone()));
            let line = serde_json::to_string(v).unwrap();
            prop_assert!(!line.contains(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}']), "{}", line);
            let back: Submission = serde_json::from_str(&line).unwrap();
            prop_assert_eq!(&back, v);
            prop_assert_eq!(validate(&back).map(|x| x.into_inner()), Ok(v.clone()));
        }
    }

    /// Any body the endpoint may receive decodes or is refused; nothing panics.
    #[test]
    #[ignore = "fuzzing: run by scripts/fuzz.sh"]
    fn body_decoding_never_panics(
        base in submission(),
        cut in any::<prop::sample::Index>(),
        junk in prop::collection::vec(any::<u8>(), 0..16),
    ) {
        let json = serde_json::to_vec(&base).unwrap();
        let at = cut.index(json.len() + 1);
        let mut mutated = json[..at].to_vec();
        mutated.extend_from_slice(&junk);
        mutated.extend_from_slice(&json[at..]);
        for body in [&json, &mutated] {
            if let Ok(s) = serde_json::from_slice::<Submission>(body) {
                let _ = validate(&s);
            }
        }
    }
}
