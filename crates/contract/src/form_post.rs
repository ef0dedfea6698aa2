//! The form as browsers post it without JavaScript
//! (`application/x-www-form-urlencoded`): the names of the controls that are
//! not fields of [`crate::Submission`]. Every field's control is named by
//! [`crate::Field::key`], its `dirname` by `<key>.dir`.

/// When the endpoint served the document (milliseconds since the epoch,
/// written into each document it serves); empty in a document from a static host.
pub const SHOWN_AT: &str = "shown_at";
/// Which document the form was in: `page` or `embed` (where the answer is shown).
pub const SHELL: &str = "shell";
/// The embed's view (`full` or `form`), so the answer keeps the partner's choice.
pub const VIEW: &str = "view";
/// The value the consent box declares (`value="on"`, also what a browser
/// sends for a checked box without one): the only value that is consent.
/// Any other (`false`, `off`, `0`, `no`, empty) is a box not checked.
pub const CONSENT_CHECKED: &str = "on";
/// The value of every checkbox of the form (consent, confirmation).
pub const CHECKED: &str = CONSENT_CHECKED;

use crate::{Field, Lang, StakeholderGroup, Submission, TextDirection};

/// The submission a form's controls hold, read through `value` (a control's
/// value by name, `None` when the form sends none: an unchecked box, no
/// radio chosen). Used by the endpoint for a posted form and by the app when
/// it takes over a form the visitor started before it loaded. The key, the
/// honeypot and the fill time are the reader's business; only `website` is
/// read here, so the honeypot works on every path.
pub fn submission_from(value: impl Fn(&str) -> Option<String>) -> Submission {
    let text = |field: Field| value(field.key()).unwrap_or_default();
    let directions = Field::VISIBLE
        .into_iter()
        .filter_map(|field| {
            let dir = match value(&format!("{}.dir", field.key()))?.as_str() {
                "ltr" => TextDirection::Ltr,
                "rtl" => TextDirection::Rtl,
                _ => return None,
            };
            Some((field.key().to_string(), dir))
        })
        .collect();
    Submission {
        language: value("language")
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default(),
        name: text(Field::Name),
        organisation: text(Field::Organisation),
        email: text(Field::Email),
        country: text(Field::Country),
        stakeholder_group: value(Field::StakeholderGroup.key())
            .filter(|v| !v.is_empty())
            .map(|v| StakeholderGroup::from_key(&v).unwrap_or(StakeholderGroup::Unknown)),
        stakeholder_group_other: text(Field::StakeholderGroupOther),
        title: text(Field::Title),
        input: text(Field::Input),
        link: text(Field::Link),
        consent: value(Field::Consent.key()).as_deref() == Some(CONSENT_CHECKED),
        confirmation: value(Field::Confirmation.key()).as_deref() == Some(CHECKED),
        directions,
        website: value("website").unwrap_or_default(),
        ..Submission::default()
    }
}

/// The suffix of a text control's `dirname` (`input.dir`): the base
/// direction the visitor typed in, `ltr` or `rtl`.
pub const DIR_SUFFIX: &str = ".dir";

#[cfg(not(target_arch = "wasm32"))]
mod parse;
#[cfg(not(target_arch = "wasm32"))]
pub use parse::{derived_key, parse, FormPost, FormPostError};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_control_and_leaves_out_what_a_form_does_not_send() {
        let pairs = [
            ("name", "Sara"),
            ("name.dir", "ltr"),
            ("organisation", "منظمة"),
            ("organisation.dir", "rtl"),
            ("country", "JO"),
            ("stakeholder_group", "trade_unions"),
            ("title", "T"),
            ("input", "Text"),
            ("consent", "on"),
            ("language", "en"),
            ("website", ""),
        ];
        let s = submission_from(|n| {
            pairs
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(s.name, "Sara");
        assert_eq!(s.organisation, "منظمة");
        assert_eq!(s.country, "JO");
        assert_eq!(s.stakeholder_group, Some(StakeholderGroup::TradeUnions));
        assert!(s.consent);
        assert_eq!(s.language, Lang::En);
        assert_eq!(s.directions.get("organisation"), Some(&TextDirection::Rtl));
        assert_eq!(s.directions.len(), 2);
        assert_eq!(s.email, "");

        let none = submission_from(|n| (n == "stakeholder_group").then(|| "kings".to_string()));
        assert_eq!(none.stakeholder_group, Some(StakeholderGroup::Unknown));
        assert!(!none.consent);
        assert_eq!(submission_from(|_| None).stakeholder_group, None);
    }

    /// Issue 27, case 10: only the box's own value is consent.
    #[test]
    fn consent_is_the_checked_boxs_value_only() {
        let consent =
            |v: &str| submission_from(|n| (n == "consent").then(|| v.to_string())).consent;
        assert!(consent(CONSENT_CHECKED));
        for not in ["false", "off", "0", "no", "", "ON", "true", "yes", " on"] {
            assert!(!consent(not), "consent={not:?} read as consent");
        }
    }

    #[test]
    fn the_confirmation_box_is_read_like_consent_and_changes_old_keys_never() {
        let confirmation = |v: Option<&str>| {
            submission_from(|n| {
                (n == "confirmation")
                    .then(|| v.map(str::to_string))
                    .flatten()
            })
            .confirmation
        };
        assert!(confirmation(Some(CHECKED)));
        assert!(!confirmation(None), "unchecked by default");
        for not in ["false", "off", "0", "", "yes"] {
            assert!(!confirmation(Some(not)), "{not:?}");
        }
        // A form posted without the box gets the key it always had, and the
        // JSON of a submission without it is the JSON it always was.
        let mut s = crate::Submission {
            name: "Sara".into(),
            consent: true,
            ..crate::Submission::default()
        };
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("confirmation"), "{json}");
        let key = derived_key(&s, None);
        s.confirmation = true;
        assert_ne!(
            derived_key(&s, None),
            key,
            "asking for a confirmation is another input"
        );
        assert!(serde_json::to_string(&s)
            .unwrap()
            .contains(r#""confirmation":true"#));
    }
}
