//! The field table: for every field a person fills in, what control it is,
//! its autocomplete token, direction, spellcheck, length limit, whether it
//! is optional, its label and hint, and the ids and ARIA wiring derived from
//! them. Views (and a server-side render) read it instead of taking
//! positional arguments.

use imrf_contract::{Field, LIMITS};

use crate::release_content::UiText;

/// What kind of control a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// `<input type=...>` with this type.
    Input(&'static str),
    TextArea,
    /// The country list.
    Select,
    /// The stakeholder groups.
    Radios,
    Checkbox,
}

/// A label or hint: a function of the interface text, so it follows the language.
pub type Words = fn(&'static UiText) -> &'static str;

/// One row of the field table: everything a view needs to render a field.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub field: Field,
    pub control: Control,
    /// The `autocomplete` token.
    pub autocomplete: &'static str,
    /// The `dir` attribute: addresses are left-to-right in either language;
    /// free text follows what is typed (`auto`).
    pub dir: &'static str,
    pub spellcheck: bool,
    /// The label says "(optional)".
    pub optional: bool,
    /// The rule's length limit in characters (`None`: choices and the box).
    pub max_chars: Option<usize>,
    pub label: Words,
    pub hint: Option<Words>,
    /// Shown inside another field's group (and only when it asks for it):
    /// the "other" stakeholder group under the group choice.
    pub inside: Option<Field>,
}

/// The form's fields, in display order.
pub const FIELDS: [Field; Field::VISIBLE.len()] = Field::VISIBLE;

/// The row of the field table for a visible field; `None` for the members a
/// person never fills in (the idempotency key, the directions).
pub fn spec(field: Field) -> Option<FieldSpec> {
    let text = |field, autocomplete, label: Words| FieldSpec {
        field,
        control: Control::Input("text"),
        autocomplete,
        dir: "auto",
        spellcheck: true,
        optional: false,
        max_chars: None,
        label,
        hint: None,
        inside: None,
    };
    let address = |field, kind, label: Words, hint: Words, max, optional| FieldSpec {
        field,
        control: Control::Input(kind),
        autocomplete: kind,
        dir: "ltr",
        spellcheck: false,
        optional,
        max_chars: Some(max),
        label,
        hint: Some(hint),
        inside: None,
    };
    Some(match field {
        Field::Name => FieldSpec {
            max_chars: Some(LIMITS.name),
            ..text(field, "name", |t| t.name_label)
        },
        Field::Organisation => FieldSpec {
            optional: true,
            hint: Some(|t| t.organisation_hint),
            max_chars: Some(LIMITS.organisation),
            ..text(field, "organization", |t| t.organisation_label)
        },
        Field::Email => address(
            field,
            "email",
            |t| t.email_label,
            |t| t.email_hint,
            LIMITS.email,
            false,
        ),
        Field::Country => FieldSpec {
            control: Control::Select,
            ..text(field, "country", |t| t.country_label)
        },
        Field::StakeholderGroup => FieldSpec {
            control: Control::Radios,
            ..text(field, "off", |t| t.group_label)
        },
        Field::StakeholderGroupOther => FieldSpec {
            inside: Some(Field::StakeholderGroup),
            max_chars: Some(LIMITS.stakeholder_group_other),
            ..text(field, "off", |t| t.group_other_label)
        },
        Field::Title => FieldSpec {
            max_chars: Some(LIMITS.title),
            ..text(field, "off", |t| t.title_label)
        },
        Field::Input => FieldSpec {
            control: Control::TextArea,
            hint: Some(|t| t.input_hint),
            max_chars: Some(LIMITS.input),
            ..text(field, "off", |t| t.input_label)
        },
        Field::Link => address(
            field,
            "url",
            |t| t.link_label,
            |t| t.link_hint,
            LIMITS.link,
            true,
        ),
        Field::Consent => FieldSpec {
            control: Control::Checkbox,
            hint: Some(|t| t.privacy_note),
            ..text(field, "off", |t| t.consent_label)
        },
        Field::Confirmation => FieldSpec {
            control: Control::Checkbox,
            optional: true,
            hint: Some(|t| t.confirmation_hint),
            ..text(field, "off", |t| t.confirmation_label)
        },
        Field::IdempotencyKey | Field::Directions => return None,
    })
}

impl FieldSpec {
    /// The control's `id` (the error summary links to it).
    pub fn id(&self) -> String {
        field_id(self.field)
    }

    /// The label as shown: with "(optional)" when the field is.
    pub fn label_text(&self, t: &'static UiText) -> String {
        if self.optional {
            format!("{} {}", (self.label)(t), t.optional)
        } else {
            (self.label)(t).to_string()
        }
    }

    /// The `maxlength` attribute of a one-line input, or `None`.
    ///
    /// The rule's limit counts characters after normalisation; `maxlength`
    /// counts UTF-16 code units of the raw value. An Arabic letter with its
    /// marks, a character outside the Basic Multilingual Plane or spaces and
    /// controls that normalisation removes all take more units than they
    /// count as characters, so the attribute allows twice the limit: a value
    /// the rule accepts can always be typed or pasted, a runaway paste is
    /// still cut, and a value between the two gets the rule's own message.
    /// The text area has none: its counter shows how far over it is.
    pub fn maxlength(&self) -> Option<usize> {
        match self.control {
            Control::Input(_) => self.max_chars.map(|max| max * 2),
            Control::TextArea | Control::Select | Control::Radios | Control::Checkbox => None,
        }
    }

    /// `aria-required`: `Some("true")` unless the field is optional. The
    /// form is `novalidate` (the browser's bubbles would not follow the
    /// language switch), so the attribute carries what `required` would;
    /// the radios use `required` itself (`aria-required` is not allowed on
    /// a radio).
    pub fn aria_required(&self) -> Option<&'static str> {
        (!self.optional).then_some("true")
    }

    /// `aria-describedby`: the hint, the character count (the text area) and
    /// the inline error when there is one.
    pub fn described_by(&self, has_error: bool) -> Option<String> {
        let id = self.id();
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{id}-hint"));
        }
        if self.control == Control::TextArea {
            ids.push(format!("{id}-count"));
        }
        if has_error {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The `id` of a field's control: `imrf-` and its key with dashes.
pub fn field_id(field: Field) -> String {
    format!("imrf-{}", field.key().replace('_', "-"))
}

/// The class of a field's wrapper.
pub fn field_class(has_error: bool) -> &'static str {
    if has_error {
        "imrf-field imrf-field-error"
    } else {
        "imrf-field"
    }
}
