//! One native test per transition of the form model.

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
    assert_eq!(items[0].message, "Enter your full name");
}

/// Issue 26, item 12: the receipt is a page of its own, whose title says
/// the input was received; a page that answered a post shows no release.
#[test]
fn the_title_says_the_input_was_received_while_the_receipt_shows() {
    let mut m = sending();
    assert_eq!(m.title_prefix(), TitlePrefix::None);
    done(
        &mut m,
        AttemptOutcome::Stored {
            reference: "IMRF-7K3Q-X9AB".into(),
            replayed: false,
            withdraw: None,
        },
    );
    assert_eq!(m.title_prefix(), TitlePrefix::Received);
    assert_eq!(
        m.title_prefix().words(Lang::En),
        ui(Lang::En).title_received_prefix
    );
    m.send_another();
    assert_eq!(m.title_prefix(), TitlePrefix::None);
    let mut m = FormModel::open(None, fresh());
    m.prepare(Lang::En, 5_000);
    assert_eq!(m.title_prefix(), TitlePrefix::Error);
    assert_eq!(
        m.title_prefix().words(Lang::Ar),
        ui(Lang::Ar).title_error_prefix
    );
}

#[test]
fn a_page_that_answered_a_post_is_told_from_the_blank_document() {
    let blank = PageForm::default();
    assert!(!blank.answers_a_post());
    let refused = PageForm {
        showed_errors: true,
        ..PageForm::default()
    };
    let receipt = PageForm {
        receipt_reference: Some("IMRF-7K3Q-X9AB".into()),
        ..PageForm::default()
    };
    assert!(refused.answers_a_post() && receipt.answers_a_post());
}

/// Pressing the mouse on a control blurs the field above it, which checks
/// that field: taking its error (or the summary) away there moved the control
/// up under the pointer and the click missed (issue 26, item 13). So an error
/// shown, and the summary, stay until the next submit (GOV.UK's pattern).
#[test]
fn a_shown_error_and_the_summary_stay_until_the_next_submit() {
    let mut m = FormModel::open(None, fresh());
    assert_eq!(m.prepare(Lang::En, 5_000), vec![Command::FocusSummary]);
    let before = m.summary(Lang::En).unwrap();
    m.edit(|| unreachable!(), |s| s.name = "Sara Ali".into());
    m.check_field(Field::Name, true);
    assert!(
        m.error_for(Field::Name).is_some(),
        "the fixed field keeps its error until the next submit"
    );
    assert_eq!(
        m.summary(Lang::En).unwrap(),
        before,
        "the summary is as it was"
    );
    assert!(m.title_says_error());

    // Fixing every field still leaves the summary in place...
    let mut m = filled();
    m.show_summary = true;
    m.errors = vec![ShownError::from(&FieldError {
        field: Field::Name,
        rule: imrf_contract::Rule::Required,
    })];
    m.check_field(Field::Name, true);
    assert!(m.show_summary && m.summary(Lang::En).is_some());
    // ... and the next submit clears it (and sends).
    assert_eq!(
        m.prepare(Lang::En, 9_000),
        vec![Command::SaveDraft, Command::Send]
    );
    assert!(m.errors.is_empty() && m.summary(Lang::En).is_none());
}

#[test]
fn a_shown_error_that_changes_is_reworded_in_its_place() {
    let mut m = FormModel::open(None, fresh());
    m.prepare(Lang::En, 5_000);
    let order: Vec<_> = m.errors.iter().map(|e| e.field).collect();
    m.edit(|| unreachable!(), |s| s.email = "nope".into());
    m.check_field(Field::Email, true);
    assert_eq!(
        m.errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        order,
        "the same lines in the same order"
    );
    assert_ne!(
        m.error_for(Field::Email).unwrap().en,
        "Enter your email address",
        "the line says what is wrong now"
    );
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
            withdraw: Some("/ar/withdraw?reference=IMRF-AAAA0000&token=t".into()),
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
    assert_eq!(
        m.receipt.as_ref().unwrap().withdraw.as_deref(),
        Some("/ar/withdraw?reference=IMRF-AAAA0000&token=t"),
        "the withdrawal link goes to the receipt"
    );
    assert_eq!(m.draft, fresh());
    assert_eq!(m.send, SendState::Idle);
    // Focus goes to the new form's first field, not to <body>.
    assert_eq!(m.send_another(), vec![Command::FocusField(Field::Name)]);
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
            withdraw: None,
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
    assert_eq!(
        m.send,
        SendState::Retrying {
            seconds_left: 7,
            wait_s: 7
        }
    );
    assert_eq!(m.attempt, 2);
    assert!(m.busy() && m.draft.sending);
    // The visible countdown moves; what is announced stays the whole wait.
    m.retry_countdown(1_500);
    assert_eq!(
        m.send,
        SendState::Retrying {
            seconds_left: 2,
            wait_s: 7
        }
    );
}

#[test]
fn service_unavailable_503_waits_at_least_retry_after() {
    let mut m = sending();
    for _ in 1..MAX_AUTOMATIC_ATTEMPTS {
        let outcome = AttemptOutcome::Unreadable {
            status: 503,
            retry_after_s: Some(5),
        };
        let (next, _) = m.attempt_done(outcome, 0.0, fresh, || "k".into());
        let Next::RetryIn { ms } = next else {
            panic!("a 503 is retried")
        };
        assert!(ms >= 5_000, "retried after {ms} ms despite Retry-After: 5");
        assert!(m.attempt_starts(true));
    }
}

#[test]
fn server_errors_5xx_and_timeouts_retry_then_fail() {
    for outcome in [
        refused(ApiError::Internal),
        AttemptOutcome::Unreadable {
            status: 503,
            retry_after_s: None,
        },
        AttemptOutcome::Unreadable {
            status: 201,
            retry_after_s: None,
        },
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
        AttemptOutcome::Unreadable {
            status: 404,
            retry_after_s: None,
        },
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

mod take_over {
    use super::*;
    use crate::form_model::PageForm;

    fn fresh() -> Draft {
        Draft::new("fresh-key".into(), Lang::En, 1_000)
    }

    fn stored() -> Draft {
        let mut d = Draft::new("stored-key".into(), Lang::En, 5);
        d.submission.name = "From storage".into();
        d
    }

    /// An empty form posted without JavaScript comes back with its summary;
    /// the app taking that page over kept nothing of it (the summary went,
    /// the form moved up), found by issue 26's item 12 e2e test.
    #[test]
    fn the_errors_of_an_empty_refused_page_show_again() {
        let page = PageForm {
            showed_errors: true,
            ..PageForm::default()
        };
        let m = FormModel::take_over(page, Some(stored()), fresh());
        assert!(m.show_summary && m.title_says_error());
        assert!(m.error_for(Field::Name).is_some());
        assert_eq!(m.draft.submission.name, "", "the page's (empty) values win");
    }

    #[test]
    fn what_was_typed_on_the_page_wins_over_a_stored_draft_and_nothing_is_announced() {
        let page = PageForm {
            submission: Submission {
                name: "Typed before the app".into(),
                stakeholder_group: Some(StakeholderGroup::Academia),
                ..Submission::default()
            },
            ..PageForm::default()
        };
        let m = FormModel::take_over(page, Some(stored()), fresh());
        assert_eq!(m.draft.submission.name, "Typed before the app");
        assert_eq!(
            m.draft.submission.stakeholder_group,
            Some(StakeholderGroup::Academia)
        );
        assert_eq!(m.draft.submission.idempotency_key, "fresh-key");
        assert!(
            !m.restored_notice,
            "the page looks as it did: no notice appears"
        );
        assert!(m.errors.is_empty() && !m.show_summary);
    }

    #[test]
    fn an_untouched_page_form_lets_the_stored_draft_come_back() {
        let m = FormModel::take_over(PageForm::default(), Some(stored()), fresh());
        assert_eq!(m.draft.submission.name, "From storage");
        assert!(m.restored_notice);
    }

    #[test]
    fn errors_the_page_showed_show_again() {
        let page = PageForm {
            submission: Submission {
                name: "Sara".into(),
                email: "not an address".into(),
                ..Submission::default()
            },
            showed_errors: true,
            ..PageForm::default()
        };
        let m = FormModel::take_over(page, None, fresh());
        assert!(m.show_summary);
        assert!(m.error_for(Field::Email).is_some());
        assert!(m.error_for(Field::Name).is_none());
        assert!(m.title_says_error());
    }

    #[test]
    fn a_receipt_stays_a_receipt() {
        let page = PageForm {
            receipt_reference: Some("IMRF-2022-ABCD".into()),
            receipt_withdraw: Some("/en/withdraw?reference=IMRF-2022-ABCD&token=t".into()),
            ..PageForm::default()
        };
        let m = FormModel::take_over(page, Some(stored()), fresh());
        assert_eq!(
            m.receipt.as_ref().map(|r| r.reference.as_str()),
            Some("IMRF-2022-ABCD")
        );
        assert_eq!(
            m.receipt.as_ref().and_then(|r| r.withdraw.as_deref()),
            Some("/en/withdraw?reference=IMRF-2022-ABCD&token=t")
        );
        assert!(!m.restored_notice);
    }
}
