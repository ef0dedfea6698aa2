use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Lang, TextDirection};

/// Where the form posts, relative to the configured endpoint base.
pub const SUBMISSIONS_PATH: &str = "/api/submissions";
/// The header that carries the idempotency key (also sent in the body).
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// A UUID v4 made once per draft; the endpoint stores each key at most once.
pub type IdempotencyKey = String;

/// What a stakeholder sends, exactly as it travels as JSON.
///
/// Every text field is a plain string (empty when not given) so that a draft,
/// the request body and the stored row have one shape. Every member may be
/// left out: a missing one decodes as empty and the rules name it (422), as
/// they would an empty field. Unknown members are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    #[serde(default)]
    pub idempotency_key: IdempotencyKey,
    /// The language the form was shown in when it was sent.
    #[serde(default)]
    pub language: Lang,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub email: String,
    /// ISO 3166-1 alpha-2 code, or `other`.
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub stakeholder_group: Option<StakeholderGroup>,
    #[serde(default)]
    pub stakeholder_group_other: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub input: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub consent: bool,
    /// The sender asks for a confirmation by e-mail (unchecked by default).
    /// Left out of the JSON when false, so the bodies (and their hashes) of
    /// inputs sent before the box existed are unchanged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confirmation: bool,
    /// The base direction of each text field as the visitor typed it
    /// (what a form's `dirname` would send), keyed by [`Field::key`].
    #[serde(default)]
    pub directions: BTreeMap<String, TextDirection>,
    /// Honeypot: a field no person sees. Anything in it marks the sender as a bot.
    #[serde(default)]
    pub website: String,
    /// Milliseconds between the form being shown and being sent.
    #[serde(default)]
    pub fill_ms: u64,
}

impl Submission {
    /// The value of a checkbox field; `None` for a field that is not one.
    pub fn checked(&self, field: Field) -> Option<bool> {
        match field {
            Field::Consent => Some(self.consent),
            Field::Confirmation => Some(self.confirmation),
            Field::Name
            | Field::Organisation
            | Field::Email
            | Field::Country
            | Field::StakeholderGroup
            | Field::StakeholderGroupOther
            | Field::Title
            | Field::Input
            | Field::Link
            | Field::IdempotencyKey
            | Field::Directions => None,
        }
    }

    /// Sets a checkbox field (nothing for a field that is not one).
    pub fn set_checked(&mut self, field: Field, checked: bool) {
        match field {
            Field::Consent => self.consent = checked,
            Field::Confirmation => self.confirmation = checked,
            Field::Name
            | Field::Organisation
            | Field::Email
            | Field::Country
            | Field::StakeholderGroup
            | Field::StakeholderGroupOther
            | Field::Title
            | Field::Input
            | Field::Link
            | Field::IdempotencyKey
            | Field::Directions => {}
        }
    }
}

/// The groups of stakeholders the release invites, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StakeholderGroup {
    Migrants,
    CivilSociety,
    MigrantAndDiasporaOrganisations,
    FaithBasedOrganisations,
    LocalAuthoritiesAndCommunities,
    PrivateSector,
    TradeUnions,
    Parliamentarians,
    NationalHumanRightsInstitutions,
    RedCrossRedCrescentMovement,
    Academia,
    Media,
    Other,
    /// Any other string on the wire: decoded, so that the rules can name the
    /// field (422 `malformed`) instead of refusing the whole body. Never valid,
    /// never stored, not in [`StakeholderGroup::ALL`].
    #[serde(other)]
    Unknown,
}

impl StakeholderGroup {
    pub const ALL: [StakeholderGroup; 13] = [
        StakeholderGroup::Migrants,
        StakeholderGroup::CivilSociety,
        StakeholderGroup::MigrantAndDiasporaOrganisations,
        StakeholderGroup::FaithBasedOrganisations,
        StakeholderGroup::LocalAuthoritiesAndCommunities,
        StakeholderGroup::PrivateSector,
        StakeholderGroup::TradeUnions,
        StakeholderGroup::Parliamentarians,
        StakeholderGroup::NationalHumanRightsInstitutions,
        StakeholderGroup::RedCrossRedCrescentMovement,
        StakeholderGroup::Academia,
        StakeholderGroup::Media,
        StakeholderGroup::Other,
    ];

    /// The wire name (as serde writes it).
    pub fn key(self) -> &'static str {
        match self {
            StakeholderGroup::Migrants => "migrants",
            StakeholderGroup::CivilSociety => "civil_society",
            StakeholderGroup::MigrantAndDiasporaOrganisations => {
                "migrant_and_diaspora_organisations"
            }
            StakeholderGroup::FaithBasedOrganisations => "faith_based_organisations",
            StakeholderGroup::LocalAuthoritiesAndCommunities => "local_authorities_and_communities",
            StakeholderGroup::PrivateSector => "private_sector",
            StakeholderGroup::TradeUnions => "trade_unions",
            StakeholderGroup::Parliamentarians => "parliamentarians",
            StakeholderGroup::NationalHumanRightsInstitutions => {
                "national_human_rights_institutions"
            }
            StakeholderGroup::RedCrossRedCrescentMovement => "red_cross_red_crescent_movement",
            StakeholderGroup::Academia => "academia",
            StakeholderGroup::Media => "media",
            StakeholderGroup::Other => "other",
            StakeholderGroup::Unknown => "unknown",
        }
    }

    pub fn from_key(key: &str) -> Option<StakeholderGroup> {
        StakeholderGroup::ALL.into_iter().find(|g| g.key() == key)
    }
}

/// The form's fields, in the order they are shown and errors are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Organisation,
    Email,
    Country,
    StakeholderGroup,
    StakeholderGroupOther,
    Title,
    Input,
    Link,
    Consent,
    Confirmation,
    IdempotencyKey,
    Directions,
}

impl Field {
    /// The fields a person fills in, in display order.
    pub const VISIBLE: [Field; 11] = [
        Field::Name,
        Field::Organisation,
        Field::Email,
        Field::Country,
        Field::StakeholderGroup,
        Field::StakeholderGroupOther,
        Field::Title,
        Field::Input,
        Field::Link,
        Field::Consent,
        Field::Confirmation,
    ];

    /// The JSON member name; also the form control's `name` and the base of its `id`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Organisation => "organisation",
            Field::Email => "email",
            Field::Country => "country",
            Field::StakeholderGroup => "stakeholder_group",
            Field::StakeholderGroupOther => "stakeholder_group_other",
            Field::Title => "title",
            Field::Input => "input",
            Field::Link => "link",
            Field::Consent => "consent",
            Field::Confirmation => "confirmation",
            Field::IdempotencyKey => "idempotency_key",
            Field::Directions => "directions",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        [Field::IdempotencyKey, Field::Directions]
            .into_iter()
            .chain(Field::VISIBLE)
            .find(|f| f.key() == key)
    }
}

/// A text in both languages, as the endpoint returns messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    pub ar: String,
    pub en: String,
}

impl LocalizedText {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ar => &self.ar,
            Lang::En => &self.en,
        }
    }
}

/// The body of a 201 (new) or 200 (same key, same body again) response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionAccepted {
    pub reference: String,
    /// The sender's withdrawal link (`/en/withdraw?reference=…&token=…`),
    /// relative to the endpoint's URL; absent from endpoints without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdraw_url: Option<String>,
}

/// A form sent faster than this after it was shown was almost surely not
/// filled in by a person; the endpoint answers as usual but stores it apart.
pub const MIN_FILL_MS: u64 = 3000;
