//! The secretariat's redacted copy of an input (issue 23 item 3), pure:
//! what a reviewer typed, normalised and checked as the form's contract
//! checks the original (a title and an input are required, each within its
//! limit), which fields differ from the original (the audit log names
//! them, never their text), and whether an input may have a copy at all.
//! The store keeps it (`store/redactions.rs`); the public record shows it
//! instead of the original, marked as edited by the secretariat.

use imrf_contract::{normalize_field, validate_field, Field, Rule, Submission};

use crate::moderation::{Refusal, Standing, State};

/// The fields a redacted copy holds, in the form's order.
pub const FIELDS: [Field; 4] = [Field::Name, Field::Organisation, Field::Title, Field::Input];

/// What the public sees of an input instead of what was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redaction {
    pub name: String,
    pub organisation: String,
    pub title: String,
    pub input: String,
}

impl Redaction {
    fn get(&self, field: Field) -> &str {
        match field {
            Field::Name => &self.name,
            Field::Organisation => &self.organisation,
            Field::Title => &self.title,
            _ => &self.input,
        }
    }
}

/// The copy normalised as the form's fields are, or each field it breaks
/// with the rule it breaks (as the form would say it).
pub fn checked(raw: &Redaction) -> Result<Redaction, Vec<(Field, Rule)>> {
    let copy = Redaction {
        name: normalize_field(Field::Name, &raw.name),
        organisation: normalize_field(Field::Organisation, &raw.organisation),
        title: normalize_field(Field::Title, &raw.title),
        input: normalize_field(Field::Input, &raw.input),
    };
    let as_sent = Submission {
        name: copy.name.clone(),
        organisation: copy.organisation.clone(),
        title: copy.title.clone(),
        input: copy.input.clone(),
        ..Submission::default()
    };
    let broken: Vec<(Field, Rule)> = FIELDS
        .into_iter()
        .filter_map(|f| validate_field(&as_sent, f).map(|rule| (f, rule)))
        .collect();
    if broken.is_empty() {
        Ok(copy)
    } else {
        Err(broken)
    }
}

/// The keys of the fields the copy changes, comma-separated (the audit
/// log's note), e.g. `title,input`; empty when it changes none.
pub fn changed_fields(original: &Redaction, copy: &Redaction) -> String {
    FIELDS
        .into_iter()
        .filter(|&f| original.get(f) != copy.get(f))
        .map(Field::key)
        .collect::<Vec<_>>()
        .join(",")
}

/// Whether an input may get a redacted copy: not a withdrawn one (nothing
/// of it is ever shown again) nor one set apart as automated (never published).
pub fn may_redact(standing: Standing) -> Result<(), Refusal> {
    if standing.state == State::Withdrawn {
        Err(Refusal::Withdrawn)
    } else if standing.flagged {
        Err(Refusal::Flagged)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(title: &str, input: &str) -> Redaction {
        Redaction {
            name: "Hala".into(),
            organisation: String::new(),
            title: title.into(),
            input: input.into(),
        }
    }

    #[test]
    fn a_copy_needs_a_title_an_input_and_a_name() {
        assert_eq!(
            checked(&copy(" \u{200B} ", "text")),
            Err(vec![(Field::Title, Rule::Required)])
        );
        assert_eq!(
            checked(&copy("t", "")),
            Err(vec![(Field::Input, Rule::Required)])
        );
        let mut no_name = copy("t", "i");
        no_name.name.clear();
        assert_eq!(checked(&no_name), Err(vec![(Field::Name, Rule::Required)]));
        assert!(matches!(
            checked(&copy(&"x".repeat(201), "i")),
            Err(e) if e == vec![(Field::Title, Rule::TooLong { max: 200 })]
        ));
    }

    #[test]
    fn a_copy_is_normalised_as_the_form_is() {
        let c = checked(&copy("  A   title ", "line\r\nline")).unwrap();
        assert_eq!(c.title, "A title");
        assert_eq!(c.input, "line\nline");
    }

    #[test]
    fn the_changed_fields_are_named_never_their_text() {
        let original = copy("Title", "Call 0100 123 4567");
        let redacted = copy("Title", "Call [removed]");
        assert_eq!(changed_fields(&original, &redacted), "input");
        assert_eq!(changed_fields(&original, &original), "");
        let mut all = copy("T", "I");
        all.name = "H.".into();
        all.organisation = "O".into();
        assert_eq!(
            changed_fields(&original, &all),
            "name,organisation,title,input"
        );
    }

    #[test]
    fn withdrawn_and_flagged_inputs_get_no_copy() {
        let s = |state, flagged| Standing { state, flagged };
        assert_eq!(may_redact(s(State::Published, false)), Ok(()));
        assert_eq!(may_redact(s(State::New, false)), Ok(()));
        assert_eq!(
            may_redact(s(State::Withdrawn, false)),
            Err(Refusal::Withdrawn)
        );
        assert_eq!(may_redact(s(State::New, true)), Err(Refusal::Flagged));
    }
}
