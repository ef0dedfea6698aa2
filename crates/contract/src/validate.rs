use serde::Serialize;

use crate::{
    fold_digits, normalize_line, normalize_multiline, normalize_token, Field, StakeholderGroup,
    Submission,
};

/// Length limits, in Unicode scalar values (what the form's counter shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    pub name: usize,
    pub organisation: usize,
    pub email: usize,
    pub stakeholder_group_other: usize,
    pub title: usize,
    pub input: usize,
    pub link: usize,
}

pub const LIMITS: Limits = Limits {
    name: 200,
    organisation: 200,
    email: 254,
    stakeholder_group_other: 200,
    title: 200,
    input: 5000,
    link: 2000,
};

/// What a value broke. Each rule has one message per language (see `messages`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    Required,
    TooLong { max: usize },
    EmailSyntax,
    UrlSyntax,
    UrlScheme,
    CountryUnknown,
    ConsentRequired,
    Malformed,
}

impl Rule {
    pub fn key(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::TooLong { .. } => "too_long",
            Rule::EmailSyntax => "email_syntax",
            Rule::UrlSyntax => "url_syntax",
            Rule::UrlScheme => "url_scheme",
            Rule::CountryUnknown => "country_unknown",
            Rule::ConsentRequired => "consent_required",
            Rule::Malformed => "malformed",
        }
    }
}

/// A field and the rule its value broke (its messages and wire form are in
/// `errors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldError {
    pub field: Field,
    pub rule: Rule,
}

/// A submission that passed [`validate`]: normalised, safe to store and publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSubmission(Submission);

impl ValidSubmission {
    pub fn get(&self) -> &Submission {
        &self.0
    }
    pub fn into_inner(self) -> Submission {
        self.0
    }
}

/// Counts characters as the form's live counter does.
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}

fn check_len(value: &str, max: usize, required: bool) -> Option<Rule> {
    if required && value.is_empty() {
        Some(Rule::Required)
    } else if char_count(value) > max {
        Some(Rule::TooLong { max })
    } else {
        None
    }
}

fn check_email(value: &str) -> Option<Rule> {
    if value.is_empty() {
        return Some(Rule::Required);
    }
    if char_count(value) > LIMITS.email {
        return Some(Rule::TooLong { max: LIMITS.email });
    }
    // An invisible character inside makes another address that looks the same.
    if crate::normalize::has_hidden_character(value) {
        return Some(Rule::EmailSyntax);
    }
    // Syntax by RFC 5322 (the `email_address` crate), plus a public-looking
    // domain: dotted, not an IP address, no label mixing scripts.
    let valid = email_address::EmailAddress::parse_with_options(
        value,
        email_address::Options::default()
            .without_display_text()
            .without_domain_literal(),
    )
    .map(|addr| {
        let domain = addr.domain();
        domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !crate::hosts::looks_numeric(domain)
            && !crate::hosts::mixes_scripts(domain)
    })
    .unwrap_or(false);
    (!valid).then_some(Rule::EmailSyntax)
}

fn check_link(value: &str) -> Option<Rule> {
    if value.is_empty() {
        return None;
    }
    if char_count(value) > LIMITS.link {
        return Some(Rule::TooLong { max: LIMITS.link });
    }
    if crate::normalize::has_hidden_character(value) {
        return Some(Rule::UrlSyntax);
    }
    // RFC 3986/3987 syntax by `fluent-uri` (IRIs, so Arabic paths are allowed).
    let Ok(iri) = fluent_uri::Iri::parse(value) else {
        return Some(Rule::UrlSyntax);
    };
    let scheme = iri.scheme().as_str().to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Some(Rule::UrlScheme);
    }
    // A link to a published document: a public host, no credentials.
    match iri.authority() {
        Some(authority)
            if authority.userinfo().is_none() && crate::hosts::is_public(authority.host()) =>
        {
            None
        }
        _ => Some(Rule::UrlSyntax),
    }
}

fn check_country(value: &str) -> Option<Rule> {
    if value.is_empty() {
        Some(Rule::Required)
    } else if value == "other" || crate::countries::is_known(value) {
        None
    } else {
        Some(Rule::CountryUnknown)
    }
}

/// Normalises one field's raw value the way [`validate`] does.
pub fn normalize_field(field: Field, raw: &str) -> String {
    match field {
        Field::Input => normalize_multiline(raw),
        // Digits are folded only where they are machine-read; a link is kept
        // as sent (after NFC): `/wiki/١٩٤٨` and `/wiki/1948` are different pages.
        Field::Email => fold_digits(&normalize_token(raw)),
        Field::Link => normalize_token(raw),
        _ => normalize_line(raw),
    }
}

/// Checks one field of a (normalised) submission; the form calls this when
/// the visitor leaves a field, [`validate`] calls it for all of them.
pub fn validate_field(s: &Submission, field: Field) -> Option<Rule> {
    match field {
        Field::Name => check_len(&s.name, LIMITS.name, true),
        Field::Organisation => check_len(&s.organisation, LIMITS.organisation, false),
        Field::Email => check_email(&s.email),
        Field::Country => check_country(&s.country),
        Field::StakeholderGroup => match s.stakeholder_group {
            None => Some(Rule::Required),
            Some(StakeholderGroup::Unknown) => Some(Rule::Malformed),
            Some(_) => None,
        },
        Field::StakeholderGroupOther => check_len(
            &s.stakeholder_group_other,
            LIMITS.stakeholder_group_other,
            s.stakeholder_group == Some(StakeholderGroup::Other),
        ),
        Field::Title => check_len(&s.title, LIMITS.title, true),
        Field::Input => check_len(&s.input, LIMITS.input, true),
        Field::Link => check_link(&s.link),
        Field::Consent => (!s.consent).then_some(Rule::ConsentRequired),
        // A choice either way; it sends nothing the sender typed (only the reference).
        Field::Confirmation => None,
        Field::IdempotencyKey => {
            let k = &s.idempotency_key;
            let ok = k.len() == 36
                && k.chars().enumerate().all(|(i, c)| {
                    if matches!(i, 8 | 13 | 18 | 23) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                });
            (!ok).then_some(Rule::Malformed)
        }
        Field::Directions => {
            let ok = s.directions.len() <= Field::VISIBLE.len()
                && s.directions.keys().all(|k| Field::from_key(k).is_some());
            (!ok).then_some(Rule::Malformed)
        }
    }
}

/// Returns a copy of the submission with every text field normalised.
pub fn normalize(raw: &Submission) -> Submission {
    let mut s = raw.clone();
    s.name = normalize_field(Field::Name, &raw.name);
    s.organisation = normalize_field(Field::Organisation, &raw.organisation);
    s.email = normalize_field(Field::Email, &raw.email);
    s.country = normalize_line(&raw.country);
    s.stakeholder_group_other = if raw.stakeholder_group == Some(StakeholderGroup::Other) {
        normalize_field(Field::StakeholderGroupOther, &raw.stakeholder_group_other)
    } else {
        String::new()
    };
    s.title = normalize_field(Field::Title, &raw.title);
    s.input = normalize_field(Field::Input, &raw.input);
    s.link = normalize_field(Field::Link, &raw.link);
    s.idempotency_key = raw.idempotency_key.trim().to_ascii_lowercase();
    s
}

/// Normalises and checks a whole submission. Errors come in display order.
pub fn validate(raw: &Submission) -> Result<ValidSubmission, Vec<FieldError>> {
    let s = normalize(raw);
    let errors: Vec<FieldError> = Field::VISIBLE
        .into_iter()
        .chain([Field::IdempotencyKey, Field::Directions])
        .filter_map(|field| validate_field(&s, field).map(|rule| FieldError { field, rule }))
        .collect();
    if errors.is_empty() {
        Ok(ValidSubmission(s))
    } else {
        Err(errors)
    }
}
