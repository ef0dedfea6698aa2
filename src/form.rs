//! The submission form: fields, live validation with the shared rules, the
//! GOV.UK error summary, the draft kept in localStorage, the send loop with
//! retries, and the receipt. Everything worded comes from `content/ui.*.toml`
//! or the contract's messages, so a language switch re-renders it all while
//! the values, errors and a send in flight stay as they are.

use std::time::Duration;

use imrf_contract::{
    countries, normalize, validate, validate_field, Field, FieldError, Lang, LocalizedText,
    StakeholderGroup, Submission, LIMITS,
};
use leptos::prelude::*;

use crate::app::{local_storage, use_app_state, AppState};
use crate::draft::{mailto_link, set_text, text_directions, text_of, Draft, DRAFT_STORAGE_KEY};
use crate::i18n::fill_count;
use crate::release_content::{ui, UiText};
use crate::retry_policy::delay_before_retry;
use crate::submission_client::{is_online, send_once, sleep_ms, wait_until_online, AttemptOutcome};

/// How long typing pauses before the draft is written to localStorage.
const DRAFT_SAVE_DEBOUNCE: Duration = Duration::from_millis(400);

#[derive(Debug, Clone, PartialEq)]
enum SendState {
    Idle,
    Sending,
    /// Waiting before the next automatic attempt.
    Retrying {
        seconds_left: u32,
    },
    /// The browser is offline; sending resumes at the `online` event.
    Offline,
    /// Automatic attempts are used up, or the endpoint answered unexpectedly.
    Failed,
}

impl SendState {
    /// From pressing send until the endpoint answers: the form is frozen.
    fn is_busy(&self) -> bool {
        matches!(
            self,
            SendState::Sending | SendState::Retrying { .. } | SendState::Offline
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Receipt {
    reference: String,
    sent: Submission,
}

/// An error shown on a field (or on the whole form when `field` is None),
/// kept in both languages so a language switch re-renders it.
#[derive(Debug, Clone, PartialEq)]
struct ShownError {
    field: Option<Field>,
    message: LocalizedText,
}

impl From<&FieldError> for ShownError {
    fn from(e: &FieldError) -> Self {
        ShownError {
            field: Some(e.field),
            message: e.to_body().message,
        }
    }
}

#[derive(Clone, Copy)]
struct FormCtx {
    app: AppState,
    draft: RwSignal<Draft>,
    errors: RwSignal<Vec<ShownError>>,
    show_summary: RwSignal<bool>,
    send_state: RwSignal<SendState>,
    receipt: RwSignal<Option<Receipt>>,
    restored_notice: RwSignal<bool>,
    summary_ref: NodeRef<leptos::html::Div>,
}

impl FormCtx {
    fn lang(&self) -> Lang {
        self.app.lang.get()
    }
    fn t(&self) -> &'static UiText {
        ui(self.lang())
    }
    /// Whether a send is under way (not reactive: for event handlers).
    fn busy(&self) -> bool {
        self.send_state.with_untracked(SendState::is_busy)
    }
    /// The same, reactive: for attributes that follow it.
    fn busy_signal(&self) -> bool {
        self.send_state.with(SendState::is_busy)
    }
    fn error_for(&self, field: Field) -> Option<String> {
        let lang = self.lang();
        self.errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == Some(field))
                .map(|e| e.message.get(lang).to_string())
        })
    }
    /// Re-checks one field with the shared rules (after the visitor leaves it).
    fn check_field(&self, field: Field, only_if_filled_or_shown: bool) {
        let normalized = self.draft.with_untracked(|d| normalize(&d.submission));
        let has_value = !text_of(&normalized, field).is_empty();
        let shown = self
            .errors
            .with_untracked(|e| e.iter().any(|x| x.field == Some(field)));
        if only_if_filled_or_shown && !has_value && !shown {
            return;
        }
        let found = validate_field(&normalized, field).map(|rule| FieldError { field, rule });
        self.errors.update(|errors| {
            errors.retain(|e| e.field != Some(field));
            if let Some(e) = found {
                errors.push(ShownError::from(&e));
                errors.sort_by_key(|e| e.field);
            }
        });
        if self.errors.with_untracked(Vec::is_empty) {
            self.show_summary.set(false);
        }
    }
    /// This form's localStorage key: one per widget when a page has several.
    fn draft_key(&self) -> String {
        self.app
            .config
            .with_value(|c| c.storage_key(DRAFT_STORAGE_KEY))
    }
    fn save_draft_now(&self) {
        let key = self.draft_key();
        self.draft.with_untracked(|d| save_draft(&key, d));
    }
    fn remove_saved_draft(&self) {
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(&self.draft_key());
        }
    }
    fn edit(&self, f: impl FnOnce(&mut Submission)) {
        if self.busy() {
            return; // what is being sent is frozen until the endpoint answers
        }
        self.draft.update(|d| {
            d.edit(new_idempotency_key, f);
        });
    }
}

fn field_id(field: Field) -> String {
    format!("imrf-{}", field.key().replace('_', "-"))
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn load_draft(key: &str) -> Option<Draft> {
    let json = local_storage()?.get_item(key).ok()??;
    Draft::from_json(&json)
}

fn save_draft(key: &str, draft: &Draft) {
    let Some(storage) = local_storage() else {
        return;
    };
    if draft.has_content() || draft.sending {
        let _ = storage.set_item(key, &draft.to_json());
    } else {
        let _ = storage.remove_item(key);
    }
}

/// Moves focus to the element with this id (in the page or inside a widget's
/// shadow root): at once when it is there, else after the next render.
fn focus_element(id: &str) {
    if let Some(element) = crate::widget::find_by_id(id) {
        let _ = element.focus();
        return;
    }
    let id = id.to_string();
    request_animation_frame(move || {
        if let Some(element) = crate::widget::find_by_id(&id) {
            let _ = element.focus();
        }
    });
}

#[component]
pub fn SubmissionForm() -> impl IntoView {
    let app = use_app_state();
    let stored = load_draft(&app.config.with_value(|c| c.storage_key(DRAFT_STORAGE_KEY)));
    let restored = stored.as_ref().is_some_and(|d| d.has_content());
    let resume_sending = stored.as_ref().is_some_and(|d| d.sending);
    let draft = stored
        .unwrap_or_else(|| Draft::new(new_idempotency_key(), app.lang.get_untracked(), now_ms()));
    let ctx = FormCtx {
        app,
        draft: RwSignal::new(draft),
        errors: RwSignal::new(Vec::new()),
        show_summary: RwSignal::new(false),
        send_state: RwSignal::new(SendState::Idle),
        receipt: RwSignal::new(None),
        restored_notice: RwSignal::new(restored && !resume_sending),
        summary_ref: NodeRef::new(),
    };

    // Debounced draft saving; a page being hidden or closed saves at once.
    let pending_save = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        ctx.draft.track();
        if let Some(handle) = pending_save.get_value() {
            handle.clear();
        }
        let handle =
            set_timeout_with_handle(move || ctx.save_draft_now(), DRAFT_SAVE_DEBOUNCE).ok();
        pending_save.set_value(handle);
    });
    let _ = window_event_listener(leptos::ev::pagehide, move |_| ctx.save_draft_now());

    // The form title prefix ("Error: ") follows the error summary.
    Effect::new(move |_| {
        let shown = ctx.show_summary.get() && ctx.errors.with(|e| !e.is_empty());
        ctx.app.form_has_errors.set(shown);
    });

    if resume_sending {
        // The page was reloaded while sending: resend with the same key.
        leptos::task::spawn_local(run_send(ctx));
    }

    view! {
        <section class="imrf-submission" aria-labelledby="imrf-form-heading" id="imrf-submission">
            <h2 id="imrf-form-heading">{move || ctx.t().form_heading}</h2>
            {move || match ctx.receipt.get() {
                Some(receipt) => receipt_view(ctx, receipt).into_any(),
                None => form_view(ctx).into_any(),
            }}
        </section>
    }
}

fn form_view(ctx: FormCtx) -> impl IntoView {
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit(ctx);
    };
    view! {
        <p class="imrf-form-intro">{move || ctx.t().form_intro}</p>
        {move || ctx.restored_notice.get().then(|| view! {
            <div class="imrf-notice" role="status">
                <p>{ctx.t().draft_restored}</p>
                <button type="button" class="imrf-button imrf-button-secondary" on:click=move |_| discard_draft(ctx)>
                    {ctx.t().discard_draft}
                </button>
            </div>
        })}
        {move || error_summary(ctx)}
        <form class="imrf-form" novalidate on:submit=on_submit>
            {text_field(ctx, Field::Name, "text", "name", |t| t.name_label, None, false)}
            {text_field(ctx, Field::Organisation, "text", "organization", |t| t.organisation_label, Some(|t: &UiText| t.organisation_hint), true)}
            {text_field(ctx, Field::Email, "email", "email", |t| t.email_label, Some(|t: &UiText| t.email_hint), false)}
            {country_field(ctx)}
            {group_field(ctx)}
            {text_field(ctx, Field::Title, "text", "off", |t| t.title_label, None, false)}
            {input_field(ctx)}
            {text_field(ctx, Field::Link, "url", "url", |t| t.link_label, Some(|t: &UiText| t.link_hint), true)}
            {consent_field(ctx)}
            {honeypot(ctx)}
            {status_view(ctx)}
            <button
                type="submit"
                class="imrf-button"
                aria-disabled=move || ctx.busy_signal().then_some("true")
            >
                {move || match ctx.send_state.get() {
                    SendState::Idle | SendState::Failed => ctx.t().submit,
                    _ => ctx.t().sending,
                }}
            </button>
        </form>
    }
}

fn error_summary(ctx: FormCtx) -> Option<impl IntoView> {
    if !ctx.show_summary.get() || ctx.errors.with(Vec::is_empty) {
        return None;
    }
    let lang = ctx.lang();
    let items = ctx
        .errors
        .get()
        .into_iter()
        .map(|e| {
            let message = e.message.get(lang).to_string();
            match e.field {
                Some(field) => {
                    let id = field_id(field);
                    let href = format!("#{id}");
                    view! {
                        <li>
                            <a href=href on:click=move |ev| {
                                ev.prevent_default();
                                focus_element(&id);
                            }>{message}</a>
                        </li>
                    }
                    .into_any()
                }
                None => view! { <li>{message}</li> }.into_any(),
            }
        })
        .collect_view();
    Some(view! {
        <div class="imrf-error-summary" tabindex="-1" node_ref=ctx.summary_ref aria-labelledby="imrf-error-summary-title">
            <div role="alert">
                <h2 id="imrf-error-summary-title" class="imrf-error-summary-title">{ctx.t().error_summary_title}</h2>
                <ul class="imrf-error-summary-list">{items}</ul>
            </div>
        </div>
    })
}

/// The inline message under a field, with a visually hidden "Error:" prefix.
fn inline_error(ctx: FormCtx, field: Field) -> impl IntoView {
    move || {
        ctx.error_for(field).map(|message| {
            view! {
                <p class="imrf-error-message" id=format!("{}-error", field_id(field))>
                    <span class="imrf-visually-hidden">{ctx.t().error_prefix}" "</span>
                    {message}
                </p>
            }
        })
    }
}

fn described_by(
    ctx: FormCtx,
    field: Field,
    hint: bool,
    extra: Option<&'static str>,
) -> impl Fn() -> Option<String> {
    move || {
        let id = field_id(field);
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if let Some(extra) = extra {
            ids.push(format!("{id}-{extra}"));
        }
        if ctx.error_for(field).is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

fn field_class(ctx: FormCtx, field: Field) -> impl Fn() -> &'static str {
    move || {
        if ctx.error_for(field).is_some() {
            "imrf-field imrf-field-error"
        } else {
            "imrf-field"
        }
    }
}

fn label_text(
    ctx: FormCtx,
    label: fn(&'static UiText) -> &'static str,
    optional: bool,
) -> impl IntoView {
    move || {
        let t = ctx.t();
        if optional {
            format!("{} {}", label(t), t.optional)
        } else {
            label(t).to_string()
        }
    }
}

fn text_field(
    ctx: FormCtx,
    field: Field,
    input_type: &'static str,
    autocomplete: &'static str,
    label: fn(&'static UiText) -> &'static str,
    hint: Option<fn(&'static UiText) -> &'static str>,
    optional: bool,
) -> impl IntoView {
    let id = field_id(field);
    // Addresses are left-to-right in either language; free text follows what is typed.
    let dir = if matches!(field, Field::Email | Field::Link) {
        "ltr"
    } else {
        "auto"
    };
    let max = match field {
        Field::Name => LIMITS.name,
        Field::Organisation => LIMITS.organisation,
        Field::Email => LIMITS.email,
        Field::StakeholderGroupOther => LIMITS.stakeholder_group_other,
        Field::Title => LIMITS.title,
        _ => LIMITS.link,
    };
    view! {
        <div class=field_class(ctx, field)>
            <label for=id.clone() class="imrf-label">{label_text(ctx, label, optional)}</label>
            {hint.map(|hint| view! { <p class="imrf-hint" id=format!("{id}-hint")>{move || hint(ctx.t())}</p> })}
            {inline_error(ctx, field)}
            <input
                class="imrf-input"
                type=input_type
                id=id.clone()
                name=field.key()
                dir=dir
                dirname=format!("{}.dir", field.key())
                autocomplete=autocomplete
                spellcheck={ if matches!(field, Field::Email | Field::Link) { "false" } else { "true" } }
                maxlength=(max * 2).to_string()
                aria-describedby=described_by(ctx, field, hint.is_some(), None)
                aria-invalid=move || ctx.error_for(field).is_some().then_some("true")
                readonly=move || ctx.busy_signal()
                prop:value=move || ctx.draft.with(|d| text_of(&d.submission, field).to_string())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.edit(|s| set_text(s, field, value));
                }
                on:blur=move |_| ctx.check_field(field, true)
            />
        </div>
    }
}

/// How long typing pauses before a screen reader hears the character count.
const COUNT_ANNOUNCE_DELAY: Duration = Duration::from_millis(1000);

fn input_field(ctx: FormCtx) -> impl IntoView {
    let field = Field::Input;
    let id = field_id(field);
    let count = move || ctx.draft.with(|d| d.submission.input.chars().count());
    let count_text = move || {
        let t = ctx.t();
        let template = if count() > LIMITS.input {
            t.char_count_over
        } else {
            t.char_count
        };
        let max = LIMITS.input as u64;
        fill_count(
            &template,
            ctx.lang(),
            max,
            &[("count", count() as u64), ("max", max)],
        )
    };
    // The visible count changes with every key; a screen reader hears it only
    // when typing pauses (the GOV.UK character-count pattern), never per key.
    let announced = RwSignal::new(String::new());
    let pending_announcement = StoredValue::new(None::<TimeoutHandle>);
    let announce_later = move || {
        if let Some(handle) = pending_announcement.get_value() {
            handle.clear();
        }
        let handle =
            set_timeout_with_handle(move || announced.set(count_text()), COUNT_ANNOUNCE_DELAY).ok();
        pending_announcement.set_value(handle);
    };
    view! {
        <div class=field_class(ctx, field)>
            <label for=id.clone() class="imrf-label">{move || ctx.t().input_label}</label>
            <p class="imrf-hint" id=format!("{id}-hint")>{move || ctx.t().input_hint}</p>
            {inline_error(ctx, field)}
            <textarea
                class="imrf-textarea"
                id=id.clone()
                name=field.key()
                dir="auto"
                dirname="input.dir"
                rows="10"
                aria-describedby=described_by(ctx, field, true, Some("count"))
                aria-invalid=move || ctx.error_for(field).is_some().then_some("true")
                readonly=move || ctx.busy_signal()
                prop:value=move || ctx.draft.with(|d| d.submission.input.clone())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.edit(|s| s.input = value);
                    announce_later();
                }
                on:blur=move |_| ctx.check_field(field, true)
            ></textarea>
            <p
                class=move || { if count() > LIMITS.input { "imrf-char-count imrf-char-count-over" } else { "imrf-char-count" } }
                id=format!("{id}-count")
                aria-hidden="true"
            >
                {count_text}
            </p>
            <p class="imrf-visually-hidden" id=format!("{id}-count-live") aria-live="polite">
                {move || announced.get()}
            </p>
        </div>
    }
}

fn country_field(ctx: FormCtx) -> impl IntoView {
    let field = Field::Country;
    let id = field_id(field);
    let options = move |arab: bool| {
        let lang = ctx.lang();
        countries::display_order(lang)
            .into_iter()
            .filter(|c| c.arab_state == arab)
            .map(|c| {
                let selected = move || ctx.draft.with(|d| d.submission.country == c.code);
                view! { <option value=c.code selected=selected>{c.name(lang)}</option> }
            })
            .collect_view()
    };
    view! {
        <div class=field_class(ctx, field)>
            <label for=id.clone() class="imrf-label">{move || ctx.t().country_label}</label>
            {inline_error(ctx, field)}
            <select
                class="imrf-select"
                id=id.clone()
                name=field.key()
                autocomplete="country"
                aria-describedby=described_by(ctx, field, false, None)
                aria-invalid=move || ctx.error_for(field).is_some().then_some("true")
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.edit(|s| s.country = value);
                    ctx.check_field(field, true);
                }
                prop:value=move || ctx.draft.with(|d| d.submission.country.clone())
            >
                <option value="" selected=move || ctx.draft.with(|d| d.submission.country.is_empty())>
                    {move || ctx.t().country_choose}
                </option>
                <optgroup label=move || ctx.t().country_arab_states>{move || options(true)}</optgroup>
                <optgroup label=move || ctx.t().country_all_others>{move || options(false)}</optgroup>
                <option value="other" selected=move || ctx.draft.with(|d| d.submission.country == "other")>
                    {move || ctx.t().country_other}
                </option>
            </select>
        </div>
    }
}

fn group_field(ctx: FormCtx) -> impl IntoView {
    let field = Field::StakeholderGroup;
    let id = field_id(field);
    let radios = StakeholderGroup::ALL
        .into_iter()
        .enumerate()
        .map(|(i, group)| {
            // The first radio carries the field's id so the error summary can focus it.
            let radio_id = if i == 0 { field_id(field) } else { format!("{}-{}", field_id(field), group.key().replace('_', "-")) };
            let checked = move || ctx.draft.with(|d| d.submission.stakeholder_group == Some(group));
            view! {
                <div class="imrf-radio">
                    <input
                        type="radio"
                        class="imrf-radio-input"
                        id=radio_id.clone()
                        name=field.key()
                        value=group.key()
                        prop:checked=checked
                        on:change=move |_| {
                            ctx.edit(|s| s.stakeholder_group = Some(group));
                            ctx.check_field(field, true);
                        }
                    />
                    <label for=radio_id class="imrf-radio-label">{move || group.label(ctx.lang())}</label>
                </div>
            }
        })
        .collect_view();
    let other_chosen = move || {
        ctx.draft
            .with(|d| d.submission.stakeholder_group == Some(StakeholderGroup::Other))
    };
    view! {
        <div class=field_class(ctx, field)>
            <fieldset class="imrf-fieldset" aria-describedby=described_by(ctx, field, false, None)>
                <legend class="imrf-legend">{move || ctx.t().group_label}</legend>
                {inline_error(ctx, field)}
                <div class="imrf-radios" id=format!("{id}-options")>{radios}</div>
                <Show when=other_chosen>
                    <div class="imrf-conditional">
                        {text_field(ctx, Field::StakeholderGroupOther, "text", "off", |t| t.group_other_label, None, false)}
                    </div>
                </Show>
            </fieldset>
        </div>
    }
}

fn consent_field(ctx: FormCtx) -> impl IntoView {
    let field = Field::Consent;
    let id = field_id(field);
    view! {
        <div class=field_class(ctx, field)>
            <p class="imrf-hint" id=format!("{id}-hint")>{move || ctx.t().privacy_note}</p>
            {inline_error(ctx, field)}
            <div class="imrf-checkbox">
                <input
                    type="checkbox"
                    class="imrf-checkbox-input"
                    id=id.clone()
                    name=field.key()
                    aria-describedby=described_by(ctx, field, true, None)
                    aria-invalid=move || ctx.error_for(field).is_some().then_some("true")
                    prop:checked=move || ctx.draft.with(|d| d.submission.consent)
                    on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        ctx.edit(|s| s.consent = checked);
                        ctx.check_field(field, false);
                    }
                />
                <label for=id class="imrf-checkbox-label">{move || ctx.t().consent_label}</label>
            </div>
        </div>
    }
}

/// A field people never see or hear (hidden by CSS `display: none`, which
/// also hides it from screen readers); bots that fill every input fill it.
fn honeypot(ctx: FormCtx) -> impl IntoView {
    view! {
        <div class="imrf-hp" aria-hidden="true">
            <label for="imrf-website">"Website"</label>
            <input
                type="text"
                id="imrf-website"
                name="website"
                tabindex="-1"
                autocomplete="off"
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.draft.update(|d| d.submission.website = value);
                }
            />
        </div>
    }
}

fn status_view(ctx: FormCtx) -> impl IntoView {
    view! {
        <div class="imrf-status" role="status" aria-live="polite">
            {move || {
                let t = ctx.t();
                match ctx.send_state.get() {
                    SendState::Idle => None,
                    SendState::Sending => Some(view! { <p>{t.sending}</p> }.into_any()),
                    SendState::Retrying { seconds_left } => Some(
                        view! { <p>{fill_count(&t.retrying_in, ctx.lang(), seconds_left.into(), &[("seconds", seconds_left.into())])}</p> }.into_any(),
                    ),
                    SendState::Offline => Some(view! { <p>{t.offline_waiting}</p> }.into_any()),
                    SendState::Failed => {
                        let mailto = ctx.draft.with(|d| mailto_link(&d.submission, ctx.lang()));
                        Some(
                            view! {
                                <div class="imrf-send-failed">
                                    <p>{t.send_failed}</p>
                                    <p class="imrf-actions">
                                        <button type="button" class="imrf-button imrf-button-secondary" on:click=move |_| submit(ctx)>
                                            {t.try_again}
                                        </button>
                                        <a class="imrf-email-instead" href=mailto>{t.email_instead}</a>
                                    </p>
                                </div>
                            }
                            .into_any(),
                        )
                    }
                }
            }}
        </div>
    }
}

fn receipt_view(ctx: FormCtx, receipt: Receipt) -> impl IntoView {
    let reference = receipt.reference.clone();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&reference);
            copied.set(true);
        }
    };
    let sent = receipt.sent.clone();
    request_animation_frame(|| focus_element("imrf-receipt"));
    view! {
        <div class="imrf-receipt" id="imrf-receipt" tabindex="-1" role="region" aria-labelledby="imrf-receipt-heading">
            <h3 id="imrf-receipt-heading">{move || ctx.t().success_heading}</h3>
            <p class="imrf-reference">
                {move || ctx.t().success_reference}": "
                <strong dir="ltr" class="imrf-reference-number">{receipt.reference.clone()}</strong>
            </p>
            <p>{move || ctx.t().success_body}</p>
            <dl class="imrf-receipt-summary">
                <dt>{move || imrf_contract::field_label(Field::Name, ctx.lang())}</dt>
                <dd dir="auto">{sent.name.clone()}</dd>
                <dt>{move || imrf_contract::field_label(Field::Title, ctx.lang())}</dt>
                <dd dir="auto">{sent.title.clone()}</dd>
                <dt>{move || imrf_contract::field_label(Field::Input, ctx.lang())}</dt>
                <dd dir="auto" class="imrf-receipt-input">{sent.input.clone()}</dd>
            </dl>
            <p class="imrf-actions">
                <button type="button" class="imrf-button imrf-button-secondary" on:click=move |_| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                }>{move || ctx.t().print_receipt}</button>
                <button type="button" class="imrf-button imrf-button-secondary" on:click=copy>
                    {move || ctx.t().copy_reference}
                </button>
                <span role="status">{move || copied.get().then(|| ctx.t().reference_copied)}</span>
            </p>
            <p>
                <button type="button" class="imrf-button" on:click=move |_| {
                    ctx.receipt.set(None);
                    ctx.send_state.set(SendState::Idle);
                }>{move || ctx.t().send_another}</button>
            </p>
        </div>
    }
}

fn discard_draft(ctx: FormCtx) {
    if ctx.busy() {
        return;
    }
    let lang = ctx.app.lang.get_untracked();
    ctx.draft
        .set(Draft::new(new_idempotency_key(), lang, now_ms()));
    ctx.errors.set(Vec::new());
    ctx.show_summary.set(false);
    ctx.restored_notice.set(false);
    ctx.remove_saved_draft();
    focus_element(&field_id(Field::Name));
}

/// Validates everything; shows the summary and moves focus to it, or sends.
fn submit(ctx: FormCtx) {
    if ctx.busy() {
        return; // one send at a time: the button cannot send twice
    }
    let raw = ctx.draft.with_untracked(|d| d.submission.clone());
    match validate(&raw) {
        Err(errors) => {
            ctx.errors
                .set(errors.iter().map(ShownError::from).collect());
            ctx.show_summary.set(true);
            request_animation_frame(move || {
                if let Some(summary) = ctx.summary_ref.get_untracked() {
                    let _ = summary.focus();
                }
            });
        }
        Ok(valid) => {
            let lang = ctx.app.lang.get_untracked();
            ctx.errors.set(Vec::new());
            ctx.show_summary.set(false);
            ctx.restored_notice.set(false);
            ctx.draft.update(|d| {
                let mut s = valid.into_inner();
                s.language = lang;
                s.directions = text_directions(&s);
                s.website = d.submission.website.clone();
                s.fill_ms = if d.submission.fill_ms > 0 {
                    d.submission.fill_ms
                } else {
                    now_ms().saturating_sub(d.shown_at_ms)
                };
                d.submission = s;
                d.sending = true;
                d.attempted = true;
            });
            // Persist "sending" now, not after the debounce: a reload must resend.
            ctx.save_draft_now();
            leptos::task::spawn_local(run_send(ctx));
        }
    }
}

/// Sends the frozen draft until the endpoint answers, retrying as the policy says.
async fn run_send(ctx: FormCtx) {
    let submission = ctx.draft.with_untracked(|d| d.submission.clone());
    let endpoint = ctx.app.config.with_value(|c| c.endpoint.clone());
    let mut attempt = 1;
    loop {
        if !is_online() {
            ctx.send_state.set(SendState::Offline);
            wait_until_online().await;
        }
        ctx.send_state.set(SendState::Sending);
        let failure = match send_once(&endpoint, &submission).await {
            AttemptOutcome::Accepted { reference } => {
                ctx.remove_saved_draft();
                let lang = ctx.app.lang.get_untracked();
                ctx.draft
                    .set(Draft::new(new_idempotency_key(), lang, now_ms()));
                ctx.send_state.set(SendState::Idle);
                ctx.receipt.set(Some(Receipt {
                    reference,
                    sent: submission,
                }));
                return;
            }
            AttemptOutcome::Invalid(errors) => {
                let shown = errors
                    .into_iter()
                    .map(|e| ShownError {
                        field: Field::from_key(&e.field).filter(|f| Field::VISIBLE.contains(f)),
                        message: e.message,
                    })
                    .collect();
                stop_sending(ctx, SendState::Idle);
                ctx.errors.set(shown);
                ctx.show_summary.set(true);
                request_animation_frame(move || {
                    if let Some(summary) = ctx.summary_ref.get_untracked() {
                        let _ = summary.focus();
                    }
                });
                return;
            }
            AttemptOutcome::Retry(failure) => failure,
            AttemptOutcome::Conflict => {
                // Another version was stored under this key; this one is new.
                ctx.draft.update(|d| {
                    d.submission.idempotency_key = new_idempotency_key();
                    d.attempted = false;
                });
                stop_sending(ctx, SendState::Failed);
                return;
            }
            AttemptOutcome::TooLarge | AttemptOutcome::Unexpected(_) => {
                stop_sending(ctx, SendState::Failed);
                return;
            }
        };
        match delay_before_retry(attempt, failure, js_sys::Math::random()) {
            Some(delay_ms) => {
                let mut left = delay_ms;
                while left > 0 {
                    ctx.send_state.set(SendState::Retrying {
                        seconds_left: left.div_ceil(1000),
                    });
                    let step = left.min(1000);
                    sleep_ms(step).await;
                    left -= step;
                }
                attempt += 1;
            }
            None => {
                stop_sending(ctx, SendState::Failed);
                return;
            }
        }
    }
}

fn stop_sending(ctx: FormCtx, state: SendState) {
    ctx.draft.update(|d| d.sending = false);
    ctx.save_draft_now();
    ctx.send_state.set(state);
}
