//! The visitor's unsent work: what is kept in localStorage between visits,
//! and the "send by email instead" fallback built from it. Plain Rust.

use imrf_contract::{
    countries, field_label, first_strong_direction, stakeholder_group_label, Field, Lang,
    StakeholderGroup, Submission, TextDirection,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use crate::i18n::fill;
use crate::release_content::{release, ui};
use imrf_content::{BlockKind, Inline};

/// localStorage key; the suffix changes if the stored shape ever changes.
pub const DRAFT_STORAGE_KEY: &str = "imrf-draft-v1";
/// Where the release says inputs go: the e-mail address in its paragraph
/// on submissions (`p-submissions`), read from the content, not copied.
pub fn secretariat_email() -> &'static str {
    let paragraph = release(Lang::Ar)
        .blocks
        .iter()
        .find(|b| b.id == "p-submissions")
        .map(|b| &b.kind);
    let Some(BlockKind::Paragraph(runs)) = paragraph else {
        return "";
    };
    runs.iter()
        .find_map(|run| match run {
            Inline::Email(address) => Some(address.as_ref()),
            _ => None,
        })
        .unwrap_or_default()
}
/// Mail clients (and Windows' URL handler) truncate or refuse long mailto:
/// URLs; 2000 characters is the commonly safe limit.
pub const MAILTO_MAX_LEN: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The form's values, including the idempotency key made for this draft.
    pub submission: Submission,
    /// When the form was first shown for this draft (ms since the epoch),
    /// to measure how long it took to fill in.
    pub shown_at_ms: u64,
    /// True from the moment the visitor presses send until the endpoint
    /// confirms: a reload in between resends with the same key.
    #[serde(default)]
    pub sending: bool,
    /// True once this version has been sent at least once. The endpoint may
    /// have stored it even if no answer came back, so an edit after that is a
    /// new input and gets a new key (instead of a 409 for the old one).
    #[serde(default)]
    pub attempted: bool,
}

impl Draft {
    pub fn new(idempotency_key: String, language: Lang, now_ms: u64) -> Draft {
        Draft {
            submission: Submission {
                idempotency_key,
                language,
                ..Submission::default()
            },
            shown_at_ms: now_ms,
            sending: false,
            attempted: false,
        }
    }

    /// Applies a visitor's edit; after a send attempt the edited text is a new
    /// input, so it gets `fresh_key`. Returns whether the key changed.
    pub fn edit(
        &mut self,
        fresh_key: impl FnOnce() -> String,
        f: impl FnOnce(&mut Submission),
    ) -> bool {
        let before = self.submission.clone();
        f(&mut self.submission);
        if self.attempted && self.submission != before {
            self.submission.idempotency_key = fresh_key();
            self.submission.fill_ms = 0;
            self.attempted = false;
            return true;
        }
        false
    }

    /// Whether the visitor has typed or chosen anything worth restoring.
    pub fn has_content(&self) -> bool {
        let s = &self.submission;
        [
            &s.name,
            &s.organisation,
            &s.email,
            &s.country,
            &s.stakeholder_group_other,
            &s.title,
            &s.input,
            &s.link,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
            || s.stakeholder_group.is_some()
            || s.consent
            || s.confirmation
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a stored draft; anything unreadable is treated as no draft.
    pub fn from_json(json: &str) -> Option<Draft> {
        serde_json::from_str(json).ok()
    }
}

/// Characters kept as they are in a mailto: query value (RFC 3986 unreserved).
const MAILTO_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn group_label(s: &Submission, lang: Lang) -> String {
    match s.stakeholder_group {
        Some(StakeholderGroup::Other) if !s.stakeholder_group_other.is_empty() => {
            s.stakeholder_group_other.clone()
        }
        Some(g) => stakeholder_group_label(g, lang).to_string(),
        None => String::new(),
    }
}

/// The country's UN name in `lang`, "Other" for `other`, else the value as typed.
fn country_name(code: &str, lang: Lang) -> String {
    if code == "other" {
        return ui(lang).country_other.to_string();
    }
    countries::all()
        .iter()
        .find(|c| c.code == code)
        .map_or_else(|| code.to_string(), |c| c.name(lang).to_string())
}

/// A `mailto:` link to the secretariat with the draft as subject and body,
/// shortened to fit [`MAILTO_MAX_LEN`] (the input is cut, with a note).
/// The body's labels are the form's field labels.
pub fn mailto_link(s: &Submission, lang: Lang) -> String {
    let t = ui(lang);
    let truncated_note = t.mailto_truncated_note;
    let subject = fill(t.mailto_subject, &[("title", &s.title)]);
    let label = |field| field_label(field, lang);
    let header = [
        (label(Field::Name), s.name.clone()),
        (label(Field::Organisation), s.organisation.clone()),
        (label(Field::Country), country_name(&s.country, lang)),
        (label(Field::StakeholderGroup), group_label(s, lang)),
        (label(Field::Link), s.link.clone()),
        (label(Field::IdempotencyKey), s.idempotency_key.clone()),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}: {v}"))
    .collect::<Vec<_>>()
    .join("\n");
    let build = |input: &str| {
        let body = format!("{header}\n\n{input}");
        format!(
            "mailto:{}?subject={}&body={}",
            secretariat_email(),
            utf8_percent_encode(&subject, MAILTO_VALUE),
            utf8_percent_encode(&body, MAILTO_VALUE)
        )
    };
    let full = build(&s.input);
    if full.len() <= MAILTO_MAX_LEN {
        return full;
    }
    // Cut the input by characters until the encoded link fits.
    let chars: Vec<char> = s.input.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect();
        if build(&format!("{candidate}…\n{truncated_note}")).len() <= MAILTO_MAX_LEN {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept: String = chars[..lo].iter().collect();
    build(&format!("{kept}…\n{truncated_note}"))
}

/// The value of a text field (empty for fields that are not text).
pub fn text_of(s: &Submission, field: Field) -> &str {
    match field {
        Field::Name => &s.name,
        Field::Organisation => &s.organisation,
        Field::Email => &s.email,
        Field::Country => &s.country,
        Field::StakeholderGroupOther => &s.stakeholder_group_other,
        Field::Title => &s.title,
        Field::Input => &s.input,
        Field::Link => &s.link,
        _ => "",
    }
}

/// Sets a text field; other fields are left alone.
pub fn set_text(s: &mut Submission, field: Field, value: String) {
    let slot = match field {
        Field::Name => &mut s.name,
        Field::Organisation => &mut s.organisation,
        Field::Email => &mut s.email,
        Field::Country => &mut s.country,
        Field::StakeholderGroupOther => &mut s.stakeholder_group_other,
        Field::Title => &mut s.title,
        Field::Input => &mut s.input,
        Field::Link => &mut s.link,
        _ => return,
    };
    *slot = value;
}

/// What `dirname` would send for each non-empty free-text field.
pub fn text_directions(s: &Submission) -> std::collections::BTreeMap<String, TextDirection> {
    [
        Field::Name,
        Field::Organisation,
        Field::StakeholderGroupOther,
        Field::Title,
        Field::Input,
    ]
    .into_iter()
    .filter_map(|f| first_strong_direction(text_of(s, f)).map(|d| (f.key().to_string(), d)))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Submission {
        Submission {
            idempotency_key: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            name: "سارة".into(),
            title: "عنوان & تجربة".into(),
            input: "نص".into(),
            ..Submission::default()
        }
    }

    #[test]
    fn draft_round_trips_and_knows_when_it_is_empty() {
        let mut d = Draft::new("k".into(), Lang::En, 5);
        assert!(!d.has_content());
        d.submission.input = "x".into();
        assert!(d.has_content());
        assert_eq!(Draft::from_json(&d.to_json()), Some(d));
        assert_eq!(Draft::from_json("{not json"), None);
    }

    #[test]
    fn an_edit_after_a_send_attempt_gets_a_new_key_and_not_before() {
        let mut d = Draft::new("key-1".into(), Lang::Ar, 0);
        assert!(!d.edit(|| "key-2".into(), |s| s.name = "a".into()));
        assert_eq!(d.submission.idempotency_key, "key-1");
        d.attempted = true;
        // Setting a value to what it already is changes nothing.
        assert!(!d.edit(|| "key-2".into(), |s| s.name = "a".into()));
        assert_eq!(d.submission.idempotency_key, "key-1");
        assert!(d.edit(|| "key-2".into(), |s| s.name = "b".into()));
        assert_eq!(d.submission.idempotency_key, "key-2");
        assert!(!d.attempted);
    }

    #[test]
    fn mailto_encodes_arabic_and_reserved_characters() {
        let link = mailto_link(&sample(), Lang::Ar);
        assert!(link.starts_with("mailto:unmignet@iom.int?subject="));
        assert!(link.contains("%26"), "& is encoded: {link}");
        assert!(!link.contains(' '));
        assert!(link.contains(&utf8_percent_encode("سارة", MAILTO_VALUE).to_string()));
    }

    #[test]
    fn a_long_input_is_cut_to_fit_with_a_note() {
        let mut s = sample();
        s.input = "مدخلات طويلة ".repeat(500);
        let link = mailto_link(&s, Lang::En);
        assert!(link.len() <= MAILTO_MAX_LEN, "{}", link.len());
        assert!(link.contains("shortened"));
        let short = mailto_link(&sample(), Lang::En);
        assert!(!short.contains("shortened"));
    }

    #[test]
    fn mailto_labels_are_the_form_labels_and_countries_their_un_names() {
        let decode = |link: &str| {
            percent_encoding::percent_decode_str(link)
                .decode_utf8()
                .unwrap()
                .into_owned()
        };
        let mut s = sample();
        s.country = "PS".into();
        s.stakeholder_group = Some(StakeholderGroup::TradeUnions);
        let ar = decode(&mailto_link(&s, Lang::Ar));
        assert!(ar.contains("الاسم الكامل: سارة"), "{ar}");
        assert!(ar.contains("البلد أو الإقليم: دولة فلسطين"), "{ar}");
        assert!(ar.contains("فئة أصحاب المصلحة: النقابات العمالية"), "{ar}");
        assert!(ar.contains("مفتاح الإرسال: 0f8fad5b"), "{ar}");
        let en = decode(&mailto_link(&s, Lang::En));
        assert!(
            en.contains(
                "subject=Input for the International Migration Review Forum: عنوان & تجربة"
            ),
            "{en}"
        );
        assert!(
            en.contains(&format!(
                "{}: State of Palestine",
                ui(Lang::En).country_label
            )),
            "{en}"
        );
        assert!(
            en.contains(&format!("{}: سارة", ui(Lang::En).name_label)),
            "{en}"
        );
    }
}
