//! The submission form as plain data: the field table, the form's state and
//! its transitions (editing, checking a field, preparing a submission, every
//! outcome of an attempt), and the error summary's items. No DOM, no signals:
//! tested natively, and written so that the live app (`crate::form`, which
//! holds one [`FormModel`] in a signal and carries out the returned
//! [`Command`]s) and a server-side render of the same form (no JavaScript)
//! can both be driven by it.

use imrf_contract::{
    normalize, validate, validate_field, ApiError, Field, FieldError, FieldErrorBody, Lang,
    LocalizedText, Submission, LIMITS,
};

use crate::draft::{text_directions, text_of, Draft};
use crate::release_content::UiText;
use crate::retry_policy::{delay_before_retry, Failure};

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
pub const FIELDS: [Field; 10] = Field::VISIBLE;

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

/// Where a send stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SendState {
    Idle,
    Sending,
    /// Waiting before the next automatic attempt.
    Retrying {
        seconds_left: u32,
    },
    /// The browser is offline; sending resumes when it is online again.
    Offline,
    /// Automatic attempts are used up, or the endpoint refused for good.
    Failed,
}

impl SendState {
    /// From pressing send until the endpoint answers: the form is frozen.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            SendState::Sending | SendState::Retrying { .. } | SendState::Offline
        )
    }
}

/// What the visitor sees after the endpoint confirmed.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub reference: String,
    pub sent: Submission,
}

/// An error shown on a field (or on the whole form when `field` is None),
/// kept in both languages so a language switch re-renders it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownError {
    pub field: Option<Field>,
    pub message: LocalizedText,
}

impl From<&FieldError> for ShownError {
    fn from(e: &FieldError) -> Self {
        ShownError {
            field: Some(e.field),
            message: e.to_body().message,
        }
    }
}

/// One line of the error summary: a link to the field (`#id`) or plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryItem {
    pub target: Option<String>,
    pub message: String,
}

/// What one attempt to send came back with.
#[derive(Debug, Clone, PartialEq)]
pub enum AttemptOutcome {
    /// 201, or 200 when an earlier attempt with the same key was stored.
    Stored { reference: String, replayed: bool },
    /// An error of the contract's vocabulary, with the entries of the body
    /// as the endpoint worded them (shown as they are, like a 422's).
    Refused {
        error: ApiError,
        said: Vec<FieldErrorBody>,
    },
    /// An answer outside it: a 2xx that cannot be read, a proxy's 502, a
    /// misconfigured endpoint URL's 404 page.
    Unreadable { status: u16 },
    /// No answer: connection refused, DNS, CORS, or the timeout fired.
    NoAnswer,
    /// The request could not even be made.
    NotSent,
}

/// Something the live layer does after a transition (the model stays pure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Write the draft to storage now (not after the typing debounce).
    SaveDraft,
    RemoveSavedDraft,
    FocusSummary,
    FocusField(Field),
    /// Start the send loop.
    Send,
    /// Move focus to the receipt and tell the host page (`imrf-submitted`).
    AnnounceReceipt {
        reference: String,
    },
}

/// After an attempt: stop, or try again after a delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Stop,
    RetryIn { ms: u32 },
}

/// The whole state of one form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormModel {
    pub draft: Draft,
    pub errors: Vec<ShownError>,
    pub show_summary: bool,
    pub send: SendState,
    pub receipt: Option<Receipt>,
    /// "Your draft was restored" shows.
    pub restored_notice: bool,
    /// The attempt under way in this send, from 1.
    pub attempt: u32,
}

impl FormModel {
    /// The form as it opens: the stored draft when there is one, else `fresh`.
    pub fn open(stored: Option<Draft>, fresh: Draft) -> FormModel {
        let restored = stored.as_ref().is_some_and(Draft::has_content);
        let draft = stored.unwrap_or(fresh);
        FormModel {
            restored_notice: restored && !draft.sending,
            draft,
            errors: Vec::new(),
            show_summary: false,
            send: SendState::Idle,
            receipt: None,
            attempt: 0,
        }
    }

    /// The page was reloaded while sending: the same draft is sent again,
    /// with the same key.
    pub fn resumes_sending(&self) -> bool {
        self.draft.sending
    }

    pub fn busy(&self) -> bool {
        self.send.is_busy()
    }

    pub fn error_for(&self, field: Field) -> Option<&LocalizedText> {
        self.errors
            .iter()
            .find(|e| e.field == Some(field))
            .map(|e| &e.message)
    }

    /// The error summary's lines, when it shows.
    pub fn summary(&self, lang: Lang) -> Option<Vec<SummaryItem>> {
        (self.show_summary && !self.errors.is_empty()).then(|| {
            self.errors
                .iter()
                .map(|e| SummaryItem {
                    target: e.field.map(field_id),
                    message: e.message.get(lang).to_string(),
                })
                .collect()
        })
    }

    /// The page title says "Error:" while the summary shows.
    pub fn title_says_error(&self) -> bool {
        self.show_summary && !self.errors.is_empty()
    }

    /// A visitor's edit. While sending, what is being sent is frozen.
    pub fn edit(&mut self, fresh_key: impl FnOnce() -> String, f: impl FnOnce(&mut Submission)) {
        if !self.busy() {
            self.draft.edit(fresh_key, f);
        }
    }

    /// The honeypot is filled by bots only; it is never frozen or re-keyed.
    pub fn set_website(&mut self, value: String) {
        self.draft.submission.website = value;
    }

    /// Re-checks one field with the shared rules (after the visitor leaves it).
    /// With `only_if_filled_or_shown`, an empty field without an error shown
    /// stays quiet (nobody is told off for a field they have not reached).
    pub fn check_field(&mut self, field: Field, only_if_filled_or_shown: bool) {
        let normalized = normalize(&self.draft.submission);
        let has_value = !text_of(&normalized, field).is_empty();
        let shown = self.errors.iter().any(|e| e.field == Some(field));
        if only_if_filled_or_shown && !has_value && !shown {
            return;
        }
        self.errors.retain(|e| e.field != Some(field));
        if let Some(rule) = validate_field(&normalized, field) {
            self.errors
                .push(ShownError::from(&FieldError { field, rule }));
            self.errors.sort_by_key(|e| e.field);
        }
        if self.errors.is_empty() {
            self.show_summary = false;
        }
    }

    /// "Send" pressed: either the summary with every error, or the draft
    /// prepared (normalised, language, directions, time to fill in) and frozen.
    pub fn prepare(&mut self, lang: Lang, now_ms: u64) -> Vec<Command> {
        if self.busy() {
            return Vec::new(); // one send at a time
        }
        let valid = match validate(&self.draft.submission) {
            Err(errors) => {
                self.errors = errors.iter().map(ShownError::from).collect();
                self.show_summary = true;
                return vec![Command::FocusSummary];
            }
            Ok(valid) => valid,
        };
        self.errors.clear();
        self.show_summary = false;
        self.restored_notice = false;
        let d = &mut self.draft;
        let mut s = valid.into_inner();
        s.language = lang;
        s.directions = text_directions(&s);
        s.website = std::mem::take(&mut d.submission.website);
        s.fill_ms = if d.submission.fill_ms > 0 {
            d.submission.fill_ms
        } else {
            now_ms.saturating_sub(d.shown_at_ms)
        };
        d.submission = s;
        d.sending = true;
        d.attempted = true;
        self.attempt = 1;
        // Frozen from this moment.
        self.send = SendState::Sending;
        // Persist "sending" now, not after the debounce: a reload must resend.
        vec![Command::SaveDraft, Command::Send]
    }

    /// Resuming after a reload: the loop starts at the first attempt again.
    pub fn resume(&mut self) -> Vec<Command> {
        self.attempt = 1;
        self.send = SendState::Sending;
        vec![Command::Send]
    }

    /// An attempt is about to go out; `online` is the browser's belief.
    /// Returns false when it must wait for the `online` event first.
    pub fn attempt_starts(&mut self, online: bool) -> bool {
        self.send = if online {
            SendState::Sending
        } else {
            SendState::Offline
        };
        online
    }

    /// The browser is online again: the attempt goes out.
    pub fn online_again(&mut self) {
        self.send = SendState::Sending;
    }

    /// The countdown before the next attempt.
    pub fn retry_countdown(&mut self, ms_left: u32) {
        self.send = SendState::Retrying {
            seconds_left: ms_left.div_ceil(1000),
        };
    }

    /// What an attempt came back with decides what happens next. `random`
    /// in `[0, 1)` feeds the retry jitter; `fresh` makes the next empty draft.
    pub fn attempt_done(
        &mut self,
        outcome: AttemptOutcome,
        random: f64,
        fresh: impl FnOnce() -> Draft,
        fresh_key: impl FnOnce() -> String,
    ) -> (Next, Vec<Command>) {
        let failure = match outcome {
            AttemptOutcome::Stored { reference, .. } => {
                let sent = std::mem::replace(&mut self.draft, fresh()).submission;
                self.send = SendState::Idle;
                self.receipt = Some(Receipt {
                    reference: reference.clone(),
                    sent,
                });
                let effects = vec![
                    Command::RemoveSavedDraft,
                    Command::AnnounceReceipt { reference },
                ];
                return (Next::Stop, effects);
            }
            AttemptOutcome::Refused {
                error:
                    ApiError::Invalid(_)
                    | ApiError::MalformedBody
                    | ApiError::KeyHeaderMissing
                    | ApiError::KeyHeaderMismatch
                    | ApiError::BadRequest,
                said,
            } => {
                let shown = said
                    .into_iter()
                    .map(|e| ShownError {
                        field: e.field.field().filter(|f| Field::VISIBLE.contains(f)),
                        message: e.message,
                    })
                    .collect();
                return (Next::Stop, self.refused_with(shown));
            }
            AttemptOutcome::Refused {
                error: ApiError::KeyConflict,
                ..
            } => {
                // Another version was stored under this key; this one is new.
                self.draft.submission.idempotency_key = fresh_key();
                self.draft.attempted = false;
                return (Next::Stop, self.stop(SendState::Failed));
            }
            AttemptOutcome::Refused {
                error:
                    ApiError::TooLarge
                    | ApiError::UnsupportedMediaType
                    | ApiError::NotFound
                    | ApiError::MethodNotAllowed,
                ..
            }
            | AttemptOutcome::NotSent => return (Next::Stop, self.stop(SendState::Failed)),
            AttemptOutcome::Refused {
                error: ApiError::RateLimited { retry_after_s },
                ..
            } => Failure::TooManyRequests { retry_after_s },
            AttemptOutcome::Refused {
                error: ApiError::Internal,
                ..
            } => Failure::Server,
            // A 2xx we cannot read may still mean "stored": retrying with the
            // same key is safe and returns the reference.
            AttemptOutcome::Unreadable { status } if (200..300).contains(&status) => {
                Failure::Server
            }
            AttemptOutcome::Unreadable { status } if (500..600).contains(&status) => {
                Failure::Server
            }
            AttemptOutcome::Unreadable { .. } => return (Next::Stop, self.stop(SendState::Failed)),
            AttemptOutcome::NoAnswer => Failure::Network,
        };
        match delay_before_retry(self.attempt, failure, random) {
            Some(ms) => {
                self.attempt += 1;
                self.retry_countdown(ms);
                (Next::RetryIn { ms }, Vec::new())
            }
            None => (Next::Stop, self.stop(SendState::Failed)),
        }
    }

    fn refused_with(&mut self, shown: Vec<ShownError>) -> Vec<Command> {
        let mut effects = self.stop(SendState::Idle);
        self.errors = shown;
        self.show_summary = true;
        effects.push(Command::FocusSummary);
        effects
    }

    /// The send is over without a reference: the draft is editable again.
    fn stop(&mut self, state: SendState) -> Vec<Command> {
        self.draft.sending = false;
        self.send = state;
        vec![Command::SaveDraft]
    }

    /// "Discard draft": a fresh, empty form.
    pub fn discard(&mut self, fresh: Draft) -> Vec<Command> {
        if self.busy() {
            return Vec::new();
        }
        self.draft = fresh;
        self.errors.clear();
        self.show_summary = false;
        self.restored_notice = false;
        vec![Command::RemoveSavedDraft, Command::FocusField(Field::Name)]
    }

    /// "Send another input" on the receipt.
    pub fn send_another(&mut self) {
        self.receipt = None;
        self.send = SendState::Idle;
    }
}

#[cfg(test)]
mod tests {
    use imrf_contract::{Code, StakeholderGroup, Subject};

    use super::*;
    use crate::release_content::ui;
    use crate::retry_policy::MAX_AUTOMATIC_ATTEMPTS;

    const KEY: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    fn fresh() -> Draft {
        Draft::new("fresh-key".into(), Lang::Ar, 1_000)
    }

    fn filled() -> FormModel {
        let mut m = FormModel::open(None, Draft::new(KEY.into(), Lang::Ar, 1_000));
        m.edit(
            || unreachable!(),
            |s| {
                s.name = " سارة ".into();
                s.email = "sara@example.org".into();
                s.country = "EG".into();
                s.stakeholder_group = Some(StakeholderGroup::Migrants);
                s.title = "عنوان".into();
                s.input = "نص".into();
                s.consent = true;
            },
        );
        m
    }

    /// A filled form whose send is under way (first attempt out).
    fn sending() -> FormModel {
        let mut m = filled();
        assert_eq!(
            m.prepare(Lang::En, 9_000),
            vec![Command::SaveDraft, Command::Send]
        );
        assert!(m.attempt_starts(true));
        m
    }

    /// The endpoint's answer as the client reads it: the error and its body.
    fn refused(error: ApiError) -> AttemptOutcome {
        AttemptOutcome::Refused {
            said: error.body().errors,
            error,
        }
    }

    fn done(m: &mut FormModel, outcome: AttemptOutcome) -> (Next, Vec<Command>) {
        m.attempt_done(outcome, 0.0, fresh, || "new-key".into())
    }

    #[test]
    fn the_field_table_covers_every_visible_field_and_nothing_else() {
        for field in FIELDS {
            let spec = spec(field).expect("a visible field has a row");
            assert_eq!(spec.field, field);
            assert!(!spec.label_text(ui(Lang::En)).is_empty());
        }
        assert!(spec(Field::IdempotencyKey).is_none() && spec(Field::Directions).is_none());
        let link = spec(Field::Link).unwrap();
        assert_eq!(
            (link.control, link.autocomplete, link.dir),
            (Control::Input("url"), "url", "ltr")
        );
        assert_eq!(link.maxlength(), Some(4000));
        assert_eq!(spec(Field::Email).unwrap().maxlength(), Some(508));
        assert_eq!(spec(Field::Name).unwrap().maxlength(), Some(400));
        assert_eq!(spec(Field::Input).unwrap().maxlength(), None);
        // Every text control has its rule's limit; choices and the box have none.
        for field in FIELDS {
            let s = spec(field).unwrap();
            let text = matches!(s.control, Control::Input(_) | Control::TextArea);
            assert_eq!(s.max_chars.is_some(), text, "{field:?}");
        }
        assert!(spec(Field::Organisation)
            .unwrap()
            .label_text(ui(Lang::En))
            .ends_with(ui(Lang::En).optional));
        assert_eq!(
            spec(Field::Input).unwrap().described_by(true).as_deref(),
            Some("imrf-input-hint imrf-input-count imrf-input-error")
        );
        assert_eq!(spec(Field::Name).unwrap().described_by(false), None);
    }

    #[test]
    fn a_stored_draft_is_restored_and_one_being_sent_resumes() {
        let mut stored = filled().draft;
        let m = FormModel::open(Some(stored.clone()), fresh());
        assert!(m.restored_notice && !m.resumes_sending());
        stored.sending = true;
        let mut m = FormModel::open(Some(stored), fresh());
        assert!(!m.restored_notice && m.resumes_sending());
        assert_eq!(m.resume(), vec![Command::Send]);
        let m = FormModel::open(None, fresh());
        assert!(!m.restored_notice && m.draft == fresh());
    }

    #[test]
    fn checking_a_field_adds_and_clears_its_error_in_display_order() {
        let mut m = FormModel::open(None, fresh());
        m.check_field(Field::Email, true);
        assert!(
            m.errors.is_empty(),
            "an empty field not yet reached stays quiet"
        );
        m.check_field(Field::Consent, false);
        m.edit(|| unreachable!(), |s| s.email = "nope".into());
        m.check_field(Field::Email, true);
        let fields: Vec<_> = m.errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Some(Field::Email), Some(Field::Consent)]);
        m.edit(|| unreachable!(), |s| s.email = String::new());
        m.check_field(Field::Email, true);
        assert!(
            m.error_for(Field::Email).is_some(),
            "an error shown is re-checked"
        );
        assert_eq!(
            m.error_for(Field::Email).unwrap().en,
            "Enter your email address"
        );
    }

    #[test]
    fn an_invalid_form_shows_the_summary_and_focuses_it() {
        let mut m = FormModel::open(None, fresh());
        assert_eq!(m.prepare(Lang::En, 5_000), vec![Command::FocusSummary]);
        assert!(m.show_summary && m.title_says_error() && !m.busy());
        let items = m.summary(Lang::En).unwrap();
        assert_eq!(items[0].target.as_deref(), Some("imrf-name"));
        assert_eq!(items[0].message, "Enter your name");
        // Fixing every field hides the summary.
        let mut m = filled();
        m.show_summary = true;
        m.errors = vec![ShownError::from(&FieldError {
            field: Field::Name,
            rule: imrf_contract::Rule::Required,
        })];
        m.check_field(Field::Name, true);
        assert!(!m.show_summary && m.summary(Lang::En).is_none());
    }

    #[test]
    fn preparing_normalises_freezes_and_measures_the_fill_time() {
        let mut m = filled();
        m.set_website("bot".into());
        m.prepare(Lang::En, 9_000);
        let s = &m.draft.submission;
        assert_eq!(s.name, "سارة");
        assert_eq!(s.language, Lang::En);
        assert_eq!(s.fill_ms, 8_000);
        assert_eq!(s.website, "bot");
        assert_eq!(s.directions.get("name").map(|d| d.code()), Some("rtl"));
        assert!(m.draft.sending && m.draft.attempted && m.busy());
        // Frozen: an edit does nothing, a second press sends nothing.
        m.edit(|| unreachable!(), |s| s.name = "other".into());
        assert_eq!(m.draft.submission.name, "سارة");
        assert_eq!(m.prepare(Lang::En, 10_000), vec![]);
    }

    #[test]
    fn offline_waits_and_online_again_sends() {
        let mut m = filled();
        m.prepare(Lang::Ar, 9_000);
        assert!(!m.attempt_starts(false));
        assert_eq!(m.send, SendState::Offline);
        assert!(m.busy(), "still frozen while offline");
        m.online_again();
        assert_eq!(m.send, SendState::Sending);
    }

    #[test]
    fn created_201_shows_the_receipt_and_starts_a_fresh_draft() {
        let mut m = sending();
        let sent = m.draft.submission.clone();
        let (next, effects) = done(
            &mut m,
            AttemptOutcome::Stored {
                reference: "IMRF-AAAA0000".into(),
                replayed: false,
            },
        );
        assert_eq!(next, Next::Stop);
        assert_eq!(
            effects,
            vec![
                Command::RemoveSavedDraft,
                Command::AnnounceReceipt {
                    reference: "IMRF-AAAA0000".into()
                }
            ]
        );
        assert_eq!(m.receipt.as_ref().unwrap().sent, sent);
        assert_eq!(m.draft, fresh());
        assert_eq!(m.send, SendState::Idle);
        m.send_another();
        assert!(m.receipt.is_none());
    }

    #[test]
    fn replayed_200_is_a_receipt_with_the_first_reference() {
        let mut m = sending();
        let (next, _) = done(
            &mut m,
            AttemptOutcome::Stored {
                reference: "IMRF-BBBB1111".into(),
                replayed: true,
            },
        );
        assert_eq!(next, Next::Stop);
        assert_eq!(m.receipt.unwrap().reference, "IMRF-BBBB1111");
    }

    #[test]
    fn conflict_409_gives_the_draft_a_new_key_and_stops() {
        let mut m = sending();
        let (next, effects) = done(&mut m, refused(ApiError::KeyConflict));
        assert_eq!((next, effects), (Next::Stop, vec![Command::SaveDraft]));
        assert_eq!(m.draft.submission.idempotency_key, "new-key");
        assert!(!m.draft.attempted && !m.draft.sending);
        assert_eq!(m.send, SendState::Failed);
        assert!(!m.busy(), "the visitor can edit and send again");
    }

    #[test]
    fn too_large_413_and_unsupported_415_stop_with_the_draft_kept() {
        for error in [ApiError::TooLarge, ApiError::UnsupportedMediaType] {
            let mut m = sending();
            let key = m.draft.submission.idempotency_key.clone();
            let (next, effects) = done(&mut m, refused(error));
            assert_eq!((next, effects), (Next::Stop, vec![Command::SaveDraft]));
            assert_eq!(m.send, SendState::Failed);
            assert!(!m.draft.sending);
            assert_eq!(
                m.draft.submission.idempotency_key, key,
                "same input, same key"
            );
            assert!(m.draft.has_content(), "nothing lost");
        }
    }

    #[test]
    fn invalid_422_puts_the_endpoint_messages_on_their_fields() {
        let mut m = sending();
        let entry = |field, rule, en: &str| FieldErrorBody {
            field,
            rule,
            message: LocalizedText {
                ar: "ع".into(),
                en: en.into(),
            },
        };
        let outcome = refused(ApiError::Invalid(vec![
            entry(Subject::Field(Field::Email), Code::EmailSyntax, "bounced"),
            entry(Subject::Field(Field::Directions), Code::Malformed, "odd"),
        ]));
        let (next, effects) = done(&mut m, outcome);
        assert_eq!(next, Next::Stop);
        assert_eq!(effects, vec![Command::SaveDraft, Command::FocusSummary]);
        assert_eq!(m.error_for(Field::Email).unwrap().en, "bounced");
        assert_eq!(
            m.errors[1].field, None,
            "an invisible field's error is the form's"
        );
        assert!(m.show_summary && m.send == SendState::Idle && !m.draft.sending);
    }

    #[test]
    fn a_request_level_400_is_shown_in_the_summary() {
        let mut m = sending();
        let (_, effects) = done(&mut m, refused(ApiError::KeyHeaderMissing));
        assert_eq!(effects, vec![Command::SaveDraft, Command::FocusSummary]);
        let items = m.summary(Lang::En).unwrap();
        assert_eq!(items[0].target, None);
        assert!(items[0].message.contains("Idempotency-Key"));
    }

    #[test]
    fn rate_limited_429_waits_at_least_retry_after() {
        let mut m = sending();
        let (next, effects) = done(
            &mut m,
            refused(ApiError::RateLimited {
                retry_after_s: Some(7),
            }),
        );
        assert_eq!(next, Next::RetryIn { ms: 7_000 });
        assert!(effects.is_empty());
        assert_eq!(m.send, SendState::Retrying { seconds_left: 7 });
        assert_eq!(m.attempt, 2);
        assert!(m.busy() && m.draft.sending);
        m.retry_countdown(1_500);
        assert_eq!(m.send, SendState::Retrying { seconds_left: 2 });
    }

    #[test]
    fn server_errors_5xx_and_timeouts_retry_then_fail() {
        for outcome in [
            refused(ApiError::Internal),
            AttemptOutcome::Unreadable { status: 503 },
            AttemptOutcome::Unreadable { status: 201 },
            AttemptOutcome::NoAnswer,
        ] {
            let mut m = sending();
            for attempt in 1..MAX_AUTOMATIC_ATTEMPTS {
                let (next, _) = done(&mut m, outcome.clone());
                assert!(
                    matches!(next, Next::RetryIn { .. }),
                    "{outcome:?} {attempt}"
                );
                assert!(m.attempt_starts(true));
            }
            let (next, effects) = done(&mut m, outcome.clone());
            assert_eq!((next, effects), (Next::Stop, vec![Command::SaveDraft]));
            assert_eq!(m.send, SendState::Failed, "{outcome:?}");
            assert!(!m.draft.sending && m.draft.has_content());
        }
    }

    #[test]
    fn answers_outside_the_vocabulary_fail_at_once() {
        for outcome in [
            AttemptOutcome::Unreadable { status: 404 },
            refused(ApiError::NotFound),
            AttemptOutcome::NotSent,
        ] {
            let mut m = sending();
            let (next, _) = done(&mut m, outcome);
            assert_eq!(next, Next::Stop);
            assert_eq!(m.send, SendState::Failed);
        }
    }

    #[test]
    fn discarding_empties_the_form_unless_sending() {
        let mut m = filled();
        m.restored_notice = true;
        assert_eq!(
            m.discard(fresh()),
            vec![Command::RemoveSavedDraft, Command::FocusField(Field::Name)]
        );
        assert!(!m.draft.has_content() && !m.restored_notice);
        let mut m = sending();
        assert!(m.discard(fresh()).is_empty());
        assert!(m.draft.has_content());
    }
}
