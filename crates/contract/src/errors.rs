//! The error vocabulary: every error the endpoint can answer, with its HTTP
//! status, its stable code and its message in both languages, and the wire
//! body that carries it. The endpoint answers with [`ApiError`]; the form
//! reads an answer back into the same enum ([`ApiError::read`]) and matches
//! on it. `crates/endpoint/API.md` lists exactly [`ApiError::catalogue`]
//! (a test in the endpoint checks that).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::messages::request_message;
use crate::{rule_message, Field, FieldError, Lang, LocalizedText, Rule};

/// What an entry of the error body is about (`field` on the wire): a member
/// of the submission, the body as a whole, or the request as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Field(Field),
    Body,
    Request,
}

impl Subject {
    pub fn key(self) -> &'static str {
        match self {
            Subject::Field(field) => field.key(),
            Subject::Body => "body",
            Subject::Request => "request",
        }
    }

    pub fn from_key(key: &str) -> Option<Subject> {
        match key {
            "body" => Some(Subject::Body),
            "request" => Some(Subject::Request),
            _ => Field::from_key(key).map(Subject::Field),
        }
    }

    /// The submission field, when the entry is about one.
    pub fn field(self) -> Option<Field> {
        match self {
            Subject::Field(field) => Some(field),
            Subject::Body | Subject::Request => None,
        }
    }
}

/// The stable machine code of an error entry (`rule` on the wire): the
/// contract's validation rules, then the request-level codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    Required,
    TooLong,
    EmailSyntax,
    UrlSyntax,
    UrlScheme,
    CountryUnknown,
    ConsentRequired,
    Malformed,
    HeaderMissing,
    HeaderMismatch,
    NotFound,
    MethodNotAllowed,
    IdempotencyConflict,
    TooLarge,
    UnsupportedMediaType,
    RateLimited,
    Internal,
    BadRequest,
    Timeout,
    UriTooLong,
    HeadersTooLarge,
    ForeignOrigin,
}

impl Code {
    pub const ALL: [Code; 22] = [
        Code::Required,
        Code::TooLong,
        Code::EmailSyntax,
        Code::UrlSyntax,
        Code::UrlScheme,
        Code::CountryUnknown,
        Code::ConsentRequired,
        Code::Malformed,
        Code::HeaderMissing,
        Code::HeaderMismatch,
        Code::NotFound,
        Code::MethodNotAllowed,
        Code::IdempotencyConflict,
        Code::TooLarge,
        Code::UnsupportedMediaType,
        Code::RateLimited,
        Code::Internal,
        Code::BadRequest,
        Code::Timeout,
        Code::UriTooLong,
        Code::HeadersTooLarge,
        Code::ForeignOrigin,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Code::Required => "required",
            Code::TooLong => "too_long",
            Code::EmailSyntax => "email_syntax",
            Code::UrlSyntax => "url_syntax",
            Code::UrlScheme => "url_scheme",
            Code::CountryUnknown => "country_unknown",
            Code::ConsentRequired => "consent_required",
            Code::Malformed => "malformed",
            Code::HeaderMissing => "header_missing",
            Code::HeaderMismatch => "header_mismatch",
            Code::NotFound => "not_found",
            Code::MethodNotAllowed => "method_not_allowed",
            Code::IdempotencyConflict => "idempotency_conflict",
            Code::TooLarge => "too_large",
            Code::UnsupportedMediaType => "unsupported_media_type",
            Code::RateLimited => "rate_limited",
            Code::Internal => "internal",
            Code::BadRequest => "bad_request",
            Code::Timeout => "timeout",
            Code::UriTooLong => "uri_too_long",
            Code::HeadersTooLarge => "headers_too_large",
            Code::ForeignOrigin => "foreign_origin",
        }
    }

    pub fn from_key(key: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.key() == key)
    }
}

impl From<Rule> for Code {
    fn from(rule: Rule) -> Code {
        match rule {
            Rule::Required => Code::Required,
            Rule::TooLong { .. } => Code::TooLong,
            Rule::EmailSyntax => Code::EmailSyntax,
            Rule::UrlSyntax => Code::UrlSyntax,
            Rule::UrlScheme => Code::UrlScheme,
            Rule::CountryUnknown => Code::CountryUnknown,
            Rule::ConsentRequired => Code::ConsentRequired,
            Rule::Malformed => Code::Malformed,
        }
    }
}

/// Both enums travel as their key strings.
macro_rules! serde_as_key {
    ($ty:ty, $what:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let key = String::deserialize(d)?;
                <$ty>::from_key(&key)
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown {}: {key}", $what)))
            }
        }
    };
}
serde_as_key!(Subject, "field");
serde_as_key!(Code, "rule");

/// One entry of the error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrorBody {
    pub field: Subject,
    pub rule: Code,
    pub message: LocalizedText,
}

/// The body of every error response: `{"errors":[...]}`, never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrorBody {
    pub errors: Vec<FieldErrorBody>,
}

impl FieldError {
    pub fn message(&self, lang: Lang) -> String {
        rule_message(self.field, self.rule, lang)
    }

    /// The entry of the error body for this error.
    pub fn to_body(&self) -> FieldErrorBody {
        FieldErrorBody {
            field: Subject::Field(self.field),
            rule: self.rule.into(),
            message: LocalizedText {
                ar: self.message(Lang::Ar),
                en: self.message(Lang::En),
            },
        }
    }
}

impl From<&[FieldError]> for ValidationErrorBody {
    fn from(errors: &[FieldError]) -> Self {
        ValidationErrorBody {
            errors: errors.iter().map(FieldError::to_body).collect(),
        }
    }
}

/// Every error the endpoint answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 422: `validate` refused the submission; one entry per failing field,
    /// in display order, each with its message (as the endpoint worded it).
    Invalid(Vec<FieldErrorBody>),
    /// 400: the body is not a submission (not JSON, a wrong type, a missing
    /// or unknown member).
    MalformedBody,
    /// 400: no `Idempotency-Key` header.
    KeyHeaderMissing,
    /// 400: the header differs from the body's key.
    KeyHeaderMismatch,
    /// 400 (or another 4xx the framework produced) of no other kind.
    BadRequest,
    /// 404.
    NotFound,
    /// 405.
    MethodNotAllowed,
    /// 409: the key was already used with a different body.
    KeyConflict,
    /// 413: the body is longer than the endpoint accepts.
    TooLarge,
    /// 415: not `application/json`.
    UnsupportedMediaType,
    /// 429, with `Retry-After` in seconds.
    RateLimited { retry_after_s: Option<u32> },
    /// 500: the database failed; nothing was stored.
    Internal,
    /// 408: the body did not arrive within the body-read timeout.
    BodyTimeout,
    /// 414: the request target is longer than the endpoint reads.
    UriTooLong,
    /// 431: too many request headers, or too large.
    HeadersTooLarge,
    /// 403: a form posted from a site the operator has not listed.
    ForeignOrigin,
}

impl ApiError {
    /// Every request-level error (all but [`ApiError::Invalid`]).
    pub const REQUEST_LEVEL: [ApiError; 15] = [
        ApiError::MalformedBody,
        ApiError::KeyHeaderMissing,
        ApiError::KeyHeaderMismatch,
        ApiError::BadRequest,
        ApiError::NotFound,
        ApiError::MethodNotAllowed,
        ApiError::KeyConflict,
        ApiError::TooLarge,
        ApiError::UnsupportedMediaType,
        ApiError::RateLimited {
            retry_after_s: None,
        },
        ApiError::Internal,
        ApiError::BodyTimeout,
        ApiError::UriTooLong,
        ApiError::HeadersTooLarge,
        ApiError::ForeignOrigin,
    ];

    /// The answer to a submission that broke the shared rules.
    pub fn invalid(errors: &[FieldError]) -> ApiError {
        ApiError::Invalid(errors.iter().map(FieldError::to_body).collect())
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::Invalid(_) => 422,
            ApiError::MalformedBody
            | ApiError::KeyHeaderMissing
            | ApiError::KeyHeaderMismatch
            | ApiError::BadRequest => 400,
            ApiError::NotFound => 404,
            ApiError::MethodNotAllowed => 405,
            ApiError::KeyConflict => 409,
            ApiError::TooLarge => 413,
            ApiError::UnsupportedMediaType => 415,
            ApiError::RateLimited { .. } => 429,
            ApiError::Internal => 500,
            ApiError::BodyTimeout => 408,
            ApiError::UriTooLong => 414,
            ApiError::HeadersTooLarge => 431,
            ApiError::ForeignOrigin => 403,
        }
    }

    /// The one entry of a request-level error (`None` for [`ApiError::Invalid`]).
    fn entry(&self) -> Option<(Subject, Code)> {
        let key = Subject::Field(Field::IdempotencyKey);
        Some(match self {
            ApiError::Invalid(_) => return None,
            ApiError::MalformedBody => (Subject::Body, Code::Malformed),
            ApiError::KeyHeaderMissing => (key, Code::HeaderMissing),
            ApiError::KeyHeaderMismatch => (key, Code::HeaderMismatch),
            ApiError::BadRequest => (Subject::Request, Code::BadRequest),
            ApiError::NotFound => (Subject::Request, Code::NotFound),
            ApiError::MethodNotAllowed => (Subject::Request, Code::MethodNotAllowed),
            ApiError::KeyConflict => (key, Code::IdempotencyConflict),
            ApiError::TooLarge => (Subject::Body, Code::TooLarge),
            ApiError::UnsupportedMediaType => (Subject::Body, Code::UnsupportedMediaType),
            ApiError::RateLimited { .. } => (Subject::Request, Code::RateLimited),
            ApiError::Internal => (Subject::Request, Code::Internal),
            ApiError::BodyTimeout => (Subject::Body, Code::Timeout),
            ApiError::UriTooLong => (Subject::Request, Code::UriTooLong),
            ApiError::HeadersTooLarge => (Subject::Request, Code::HeadersTooLarge),
            ApiError::ForeignOrigin => (Subject::Request, Code::ForeignOrigin),
        })
    }

    /// The message of a request-level error in one language (for
    /// [`ApiError::Invalid`], the first field's message).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Invalid(errors) => errors
                .first()
                .map(|e| e.message.get(lang).to_string())
                .unwrap_or_default(),
            other => other
                .entry()
                .map(|(_, code)| request_message(code.key(), lang))
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// The response body.
    pub fn body(&self) -> ValidationErrorBody {
        let errors = match (self, self.entry()) {
            (ApiError::Invalid(errors), _) => errors.clone(),
            (_, Some((field, rule))) => vec![FieldErrorBody {
                field,
                rule,
                message: LocalizedText {
                    ar: self.message(Lang::Ar),
                    en: self.message(Lang::En),
                },
            }],
            (_, None) => Vec::new(),
        };
        ValidationErrorBody { errors }
    }

    /// Reads an answer back: the status decides, and where one status has
    /// several meanings (400, 422) the body's code does. `None` for a
    /// status or body outside this vocabulary (a misconfigured URL, a proxy).
    pub fn read(
        status: u16,
        body: Option<&ValidationErrorBody>,
        retry_after_s: Option<u32>,
    ) -> Option<ApiError> {
        let first = body.and_then(|b| b.errors.first());
        match status {
            422 => body
                .filter(|b| !b.errors.is_empty())
                .map(|b| ApiError::Invalid(b.errors.clone())),
            400 => match first.map(|e| (e.field, e.rule)) {
                Some((Subject::Body, Code::Malformed)) => Some(ApiError::MalformedBody),
                Some((_, Code::HeaderMissing)) => Some(ApiError::KeyHeaderMissing),
                Some((_, Code::HeaderMismatch)) => Some(ApiError::KeyHeaderMismatch),
                Some(_) => Some(ApiError::BadRequest),
                None => None,
            },
            404 => Some(ApiError::NotFound),
            405 => Some(ApiError::MethodNotAllowed),
            409 => Some(ApiError::KeyConflict),
            413 => Some(ApiError::TooLarge),
            415 => Some(ApiError::UnsupportedMediaType),
            429 => Some(ApiError::RateLimited { retry_after_s }),
            500 => Some(ApiError::Internal),
            408 => Some(ApiError::BodyTimeout),
            414 => Some(ApiError::UriTooLong),
            431 => Some(ApiError::HeadersTooLarge),
            403 => Some(ApiError::ForeignOrigin),
            _ => None,
        }
    }

    /// Every (status, code) pair the endpoint can answer: what `API.md` lists.
    pub fn catalogue() -> Vec<(u16, Code)> {
        let rules = [
            Rule::Required,
            Rule::TooLong { max: 0 },
            Rule::EmailSyntax,
            Rule::UrlSyntax,
            Rule::UrlScheme,
            Rule::CountryUnknown,
            Rule::ConsentRequired,
            Rule::Malformed,
        ];
        let mut all: Vec<(u16, Code)> = rules.into_iter().map(|r| (422, Code::from(r))).collect();
        all.extend(
            ApiError::REQUEST_LEVEL
                .iter()
                .filter_map(|e| e.entry().map(|(_, code)| (e.status(), code))),
        );
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_level_error_round_trips_through_its_wire_body() {
        for error in ApiError::REQUEST_LEVEL {
            let body = error.body();
            assert_eq!(body.errors.len(), 1, "{error:?}");
            let json = serde_json::to_string(&body).unwrap();
            let back: ValidationErrorBody = serde_json::from_str(&json).unwrap();
            assert_eq!(
                ApiError::read(error.status(), Some(&back), None),
                Some(error.clone()),
                "{json}"
            );
            for lang in Lang::ALL {
                assert!(!error.message(lang).is_empty(), "{error:?} {lang:?}");
            }
        }
    }

    #[test]
    fn field_errors_travel_with_typed_field_and_rule() {
        let error = ApiError::invalid(&[FieldError {
            field: Field::Email,
            rule: Rule::EmailSyntax,
        }]);
        let json = serde_json::to_value(error.body()).unwrap();
        assert_eq!(json["errors"][0]["field"], "email");
        assert_eq!(json["errors"][0]["rule"], "email_syntax");
        let back: ValidationErrorBody = serde_json::from_value(json).unwrap();
        assert_eq!(ApiError::read(422, Some(&back), None), Some(error));
        // A code outside the vocabulary is refused, not guessed.
        let odd =
            r#"{"errors":[{"field":"email","rule":"bounced","message":{"ar":"x","en":"x"}}]}"#;
        assert!(serde_json::from_str::<ValidationErrorBody>(odd).is_err());
    }

    #[test]
    fn statuses_outside_the_vocabulary_are_not_read() {
        assert_eq!(ApiError::read(418, None, None), None);
        assert_eq!(ApiError::read(422, None, None), None);
        assert_eq!(ApiError::read(400, None, None), None);
        assert_eq!(
            ApiError::read(429, None, Some(3)),
            Some(ApiError::RateLimited {
                retry_after_s: Some(3)
            })
        );
    }

    #[test]
    fn codes_and_subjects_have_unique_keys() {
        for code in Code::ALL {
            assert_eq!(Code::from_key(code.key()), Some(code));
        }
        for subject in [Subject::Body, Subject::Request, Subject::Field(Field::Link)] {
            assert_eq!(Subject::from_key(subject.key()), Some(subject));
        }
    }
}
