//! The submission form as plain data: the field table, the form's state and
//! its transitions (editing, checking a field, preparing a submission, every
//! outcome of an attempt), and the error summary's items. No DOM, no signals:
//! tested natively, and written so that the live app (`crate::form`, which
//! holds one [`FormModel`] in a signal and carries out the returned
//! [`Command`]s) and a server-side render of the same form (no JavaScript)
//! can both be driven by it.

mod field_table;

pub use field_table::{field_class, field_id, spec, Control, FieldSpec, Words, FIELDS};

use imrf_contract::{
    normalize, validate, validate_field, ApiError, Field, FieldError, FieldErrorBody, Lang,
    LocalizedText, Submission,
};

use crate::draft::{text_directions, text_of, Draft};
use crate::release_content::ui;
use crate::retry_policy::{delay_before_retry, Failure};

/// Where a send stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SendState {
    Idle,
    Sending,
    /// Waiting before the next automatic attempt: the visible countdown,
    /// and the whole wait as announced once (the live region says it when
    /// the wait starts and is not rewritten every second).
    Retrying {
        seconds_left: u32,
        wait_s: u32,
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
    /// The sender's withdrawal link, as the endpoint gave it.
    pub withdraw: Option<String>,
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

/// What a form that came as HTML holds when the app takes it over.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageForm {
    /// The values of its controls.
    pub submission: Submission,
    /// It showed an error summary.
    pub showed_errors: bool,
    /// It was a receipt with this reference.
    pub receipt_reference: Option<String>,
    /// ... and this withdrawal link.
    pub receipt_withdraw: Option<String>,
}

impl PageForm {
    /// The page answered a post without JavaScript (the form with its
    /// errors, a problem, a receipt): the form or the receipt is the page,
    /// without the release above it, and stays so when the app takes it over.
    pub fn answers_a_post(&self) -> bool {
        self.showed_errors || self.receipt_reference.is_some()
    }
}

/// What the page title says before the release's title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TitlePrefix {
    /// The release's title alone.
    #[default]
    None,
    /// "Error: " while the error summary shows.
    Error,
    /// "Input received: " while the receipt shows.
    Received,
}

impl TitlePrefix {
    /// The words before the title, in `lang`.
    pub fn words(self, lang: Lang) -> &'static str {
        match self {
            TitlePrefix::None => "",
            TitlePrefix::Error => ui(lang).title_error_prefix,
            TitlePrefix::Received => ui(lang).title_received_prefix,
        }
    }
}

/// What one attempt to send came back with.
#[derive(Debug, Clone, PartialEq)]
pub enum AttemptOutcome {
    /// 201, or 200 when an earlier attempt with the same key was stored.
    Stored {
        reference: String,
        replayed: bool,
        withdraw: Option<String>,
    },
    /// An error of the contract's vocabulary, with the entries of the body
    /// as the endpoint worded them (shown as they are, like a 422's).
    Refused {
        error: ApiError,
        said: Vec<FieldErrorBody>,
    },
    /// An answer outside it: a 2xx that cannot be read, a proxy's 502, a
    /// 503 during maintenance, a misconfigured endpoint URL's 404 page; with
    /// its Retry-After in seconds, if it had one.
    Unreadable {
        status: u16,
        retry_after_s: Option<u32>,
    },
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

/// What an outcome means for the form, before the retry policy is asked.
enum Verdict {
    Stored {
        reference: String,
        withdraw: Option<String>,
    },
    /// Stop and show these errors (the endpoint's words).
    ShowErrors(Vec<ShownError>),
    /// Stop; this draft needs a new key (409).
    NewKey,
    /// Stop; trying again would get the same answer.
    GiveUp,
    Retry(Failure),
}

fn verdict(outcome: AttemptOutcome) -> Verdict {
    use ApiError::*;
    let error = match outcome {
        AttemptOutcome::Stored {
            reference,
            withdraw,
            ..
        } => {
            return Verdict::Stored {
                reference,
                withdraw,
            }
        }
        AttemptOutcome::NoAnswer => return Verdict::Retry(Failure::Network),
        AttemptOutcome::NotSent => return Verdict::GiveUp,
        // A 2xx we cannot read may still mean "stored": retrying with the
        // same key is safe and returns the reference. A proxy's 5xx passes.
        AttemptOutcome::Unreadable {
            status,
            retry_after_s,
        } => {
            return match status {
                200..=299 | 500..=599 => Verdict::Retry(Failure::Server { retry_after_s }),
                _ => Verdict::GiveUp,
            }
        }
        AttemptOutcome::Refused { error, said } => (error, said),
    };
    match error {
        (Invalid(_) | MalformedBody | KeyHeaderMissing | KeyHeaderMismatch | BadRequest, said) => {
            Verdict::ShowErrors(
                said.into_iter()
                    .map(|e| ShownError {
                        field: e.field.field().filter(|f| Field::VISIBLE.contains(f)),
                        message: e.message,
                    })
                    .collect(),
            )
        }
        (KeyConflict, _) => Verdict::NewKey,
        (TooLarge | UnsupportedMediaType | NotFound | MethodNotAllowed, _) => Verdict::GiveUp,
        (RateLimited { retry_after_s }, _) => {
            Verdict::Retry(Failure::TooManyRequests { retry_after_s })
        }
        // The body did not arrive in time (a slow link): the same key resent is safe.
        (Internal | BodyTimeout, _) => Verdict::Retry(Failure::Server {
            retry_after_s: None,
        }),
        (UriTooLong | HeadersTooLarge | ForeignOrigin, _) => Verdict::GiveUp,
    }
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

    /// The form as the app takes over a page whose form came as HTML
    /// (before the WebAssembly, or from the endpoint after a post without
    /// it): what the visitor typed there wins over a stored draft, the
    /// errors that page showed show again (the same rules give the same
    /// ones), and a receipt stays a receipt. Nothing is announced: the page
    /// looks as it did.
    pub fn take_over(page: PageForm, stored: Option<Draft>, mut fresh: Draft) -> FormModel {
        if let Some(reference) = page.receipt_reference {
            let mut model = FormModel::open(None, fresh);
            model.receipt = Some(Receipt {
                reference,
                sent: Submission::default(),
                withdraw: page.receipt_withdraw,
            });
            return model;
        }
        let typed = Draft {
            submission: page.submission.clone(),
            ..fresh.clone()
        };
        // An untouched page lets a stored draft come back; a page that
        // showed errors (even for an empty form) shows them again.
        if !typed.has_content() && !page.showed_errors {
            return FormModel::open(stored, fresh);
        }
        fresh.submission = Submission {
            idempotency_key: fresh.submission.idempotency_key,
            language: fresh.submission.language,
            ..page.submission
        };
        let mut model = FormModel::open(None, fresh);
        if page.showed_errors {
            if let Err(errors) = validate(&model.draft.submission) {
                model.errors = errors.iter().map(ShownError::from).collect();
                model.show_summary = true;
            }
        }
        model
    }

    /// The form as a page without JavaScript shows it (rendered natively):
    /// `submission`'s values and, when the rules refused it, its errors.
    pub fn for_page(draft: Draft, errors: Vec<ShownError>) -> FormModel {
        let mut model = FormModel::open(None, draft);
        model.show_summary = !errors.is_empty();
        model.errors = errors;
        model
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

    /// What the page title says first: that the input was received while
    /// the receipt shows, "Error:" while the summary does.
    pub fn title_prefix(&self) -> TitlePrefix {
        if self.receipt.is_some() {
            TitlePrefix::Received
        } else if self.title_says_error() {
            TitlePrefix::Error
        } else {
            TitlePrefix::None
        }
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
    ///
    /// An error shown stays until the next submit (GOV.UK's pattern), even
    /// once the value is right, and so does the summary: the check runs on
    /// blur, and a mouse pressed on a control below blurs the field first,
    /// so an error (or the summary) taken away there would move the control
    /// up under the pointer and the click would miss. A shown error that is
    /// now a different one is reworded in its place (the line stays).
    pub fn check_field(&mut self, field: Field, only_if_filled_or_shown: bool) {
        let normalized = normalize(&self.draft.submission);
        let has_value = !text_of(&normalized, field).is_empty();
        let shown = self.errors.iter().position(|e| e.field == Some(field));
        if only_if_filled_or_shown && !has_value && shown.is_none() {
            return;
        }
        let Some(rule) = validate_field(&normalized, field) else {
            return; // right now; a shown error waits for the next submit
        };
        let error = ShownError::from(&FieldError { field, rule });
        match shown {
            Some(i) => self.errors[i] = error,
            None => {
                self.errors.push(error);
                self.errors.sort_by_key(|e| e.field);
            }
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

    /// The countdown before the next attempt: the first call of a wait sets
    /// what is announced; later calls change only the visible seconds.
    pub fn retry_countdown(&mut self, ms_left: u32) {
        let seconds_left = ms_left.div_ceil(1000);
        let wait_s = match self.send {
            SendState::Retrying { wait_s, .. } => wait_s,
            _ => seconds_left,
        };
        self.send = SendState::Retrying {
            seconds_left,
            wait_s,
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
        let commands = match verdict(outcome) {
            Verdict::Stored {
                reference,
                withdraw,
            } => {
                let sent = std::mem::replace(&mut self.draft, fresh()).submission;
                self.send = SendState::Idle;
                self.receipt = Some(Receipt {
                    reference: reference.clone(),
                    sent,
                    withdraw,
                });
                vec![
                    Command::RemoveSavedDraft,
                    Command::AnnounceReceipt { reference },
                ]
            }
            Verdict::ShowErrors(shown) => self.refused_with(shown),
            Verdict::NewKey => {
                // Another version was stored under this key; this one is new.
                self.draft.submission.idempotency_key = fresh_key();
                self.draft.attempted = false;
                self.stop(SendState::Failed)
            }
            Verdict::GiveUp => self.stop(SendState::Failed),
            Verdict::Retry(failure) => match delay_before_retry(self.attempt, failure, random) {
                Some(ms) => {
                    self.attempt += 1;
                    self.retry_countdown(ms);
                    return (Next::RetryIn { ms }, Vec::new());
                }
                None => self.stop(SendState::Failed),
            },
        };
        (Next::Stop, commands)
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

    /// "Send another input" on the receipt: the empty form, with focus on
    /// its first field (the receipt that had focus is gone).
    pub fn send_another(&mut self) -> Vec<Command> {
        self.receipt = None;
        self.send = SendState::Idle;
        vec![Command::FocusField(Field::Name)]
    }
}

#[cfg(test)]
mod tests;
