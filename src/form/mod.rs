//! The submission form in the browser: one [`FormModel`] in a signal, the
//! views over it (`fields`, `status`, `receipt`), and the carrying out of the
//! model's [`Command`]s: storage, focus, the send loop. Decisions are the
//! model's (`crate::form_model`); this layer only connects it to the DOM.
//! Everything worded comes from `content/ui.*.toml` or the contract, so a
//! language switch re-renders it all while values, errors and a send in
//! flight stay as they are.

mod fields;

#[cfg(feature = "ssr")]
pub(crate) use fields::escape_html;
mod receipt;
mod status;

use std::time::Duration;

use imrf_contract::{form_post, Field, Lang};
use leptos::prelude::*;

use crate::browser::{self, focus_element, now_ms};
use crate::draft::{Draft, DRAFT_STORAGE_KEY};
use crate::embedding::{EmbedConfig, StorageArea};
use crate::form_model::{field_id, Command, FormModel, Next, PageForm, SendState, TitlePrefix};
use crate::release::heading;
use crate::release_content::{ui, UiText};
use crate::submission_client::{is_online, send_once, sleep_ms, wait_until_online};

/// How long typing pauses before the draft is written to localStorage.
const DRAFT_SAVE_DEBOUNCE: Duration = Duration::from_millis(400);
/// The form's section (the receipt replaces the form inside it).
const SECTION_ID: &str = "imrf-submission";
/// Dispatched (bubbling, composed) when the endpoint has confirmed.
pub const SUBMITTED_EVENT: &str = "imrf-submitted";

/// The model, and memos of the parts whose views are rebuilt when they
/// change, so that typing does not rebuild the error summary or the status.
#[derive(Clone, Copy)]
struct FormCtx {
    model: RwSignal<FormModel>,
    /// Notified when the errors or the send state change (compared in
    /// [`FormCtx::update`]; one untyped trigger costs the WebAssembly less
    /// than a memo per type).
    errors_or_send: Trigger,
    show_summary: Memo<bool>,
    has_receipt: Memo<bool>,
    restored_notice: Memo<bool>,
    lang: Signal<Lang>,
    config: StoredValue<EmbedConfig>,
    summary_ref: NodeRef<leptos::html::Div>,
    /// The form (or the receipt) is the page: it answered a post, and the
    /// release is left out, so its heading is the page's `h1`.
    is_page: bool,
    /// Rendered as HTML for a page without JavaScript: what needs script
    /// (the live count, print and copy, the conditional reveal) is replaced
    /// by what works without it. Only rendered natively (`ssr`): the
    /// WebAssembly never renders it, so it carries none of that code.
    #[cfg(feature = "ssr")]
    no_script: bool,
}

impl FormCtx {
    fn new(
        model: FormModel,
        lang: Signal<Lang>,
        config: StoredValue<EmbedConfig>,
        is_page: bool,
        no_script: bool,
    ) -> FormCtx {
        #[cfg(not(feature = "ssr"))]
        let _ = no_script;
        let model = RwSignal::new(model);
        FormCtx {
            model,
            errors_or_send: Trigger::new(),
            show_summary: Memo::new(move |_| model.with(|m| m.show_summary)),
            has_receipt: Memo::new(move |_| model.with(|m| m.receipt.is_some())),
            restored_notice: Memo::new(move |_| model.with(|m| m.restored_notice)),
            lang,
            config,
            summary_ref: NodeRef::new(),
            is_page,
            #[cfg(feature = "ssr")]
            no_script,
        }
    }
    /// Reads the draft, reactively. (No memo: the draft changes with every
    /// key anyway, and the controls that read it only set what differs.)
    fn with_draft<R>(&self, f: impl FnOnce(&Draft) -> R) -> R {
        self.model.with(|m| f(&m.draft))
    }
    fn lang(&self) -> Lang {
        self.lang.get()
    }
    fn no_script(&self) -> bool {
        #[cfg(feature = "ssr")]
        return self.no_script;
        #[cfg(not(feature = "ssr"))]
        false
    }
    fn t(&self) -> &'static UiText {
        ui(self.lang())
    }
    /// Whether a send is under way, reactive: for attributes that follow it
    /// (event handlers need not ask: the model ignores edits while busy).
    fn busy_signal(&self) -> bool {
        self.send().is_busy()
    }
    /// The send state, reactive.
    fn send(&self) -> SendState {
        self.errors_or_send.track();
        self.model.with_untracked(|m| m.send.clone())
    }
    /// A field's error message in the current language, reactive.
    fn error_for(&self, field: Field) -> Option<String> {
        let lang = self.lang();
        self.errors_or_send.track();
        self.model
            .with_untracked(|m| m.error_for(field).map(|e| e.get(lang).to_string()))
    }
    /// Runs a transition of the model and returns what it returned.
    fn update<R>(&self, f: impl FnOnce(&mut FormModel) -> R) -> R {
        let part = |m: &FormModel| (m.errors.clone(), m.send.clone());
        let before = self.model.with_untracked(part);
        let result = self
            .model
            .try_update(f)
            .expect("the form's model lives as long as its views");
        if self.model.with_untracked(part) != before {
            self.errors_or_send.notify();
        }
        result
    }
    /// Runs a transition and carries out its effects.
    fn apply(&self, f: impl FnOnce(&mut FormModel) -> Vec<Command>) {
        let effects = self.update(f);
        self.carry_out(effects);
    }
    fn carry_out(&self, effects: Vec<Command>) {
        let ctx = *self;
        for effect in effects {
            match effect {
                Command::SaveDraft => ctx.save_draft_now(),
                Command::RemoveSavedDraft => ctx.remove_saved_draft(),
                Command::FocusSummary => request_animation_frame(move || {
                    if let Some(summary) = ctx.summary_ref.get_untracked() {
                        let _ = summary.focus();
                    }
                }),
                Command::FocusField(field) => focus_element(&field_id(field)),
                Command::Send => leptos::task::spawn_local(run_send(ctx)),
                Command::AnnounceReceipt { reference } => request_animation_frame(move || {
                    focus_element(receipt::RECEIPT_ID);
                    if let Some(section) = browser::find_by_id(SECTION_ID) {
                        let detail = [("reference", reference.as_str())];
                        browser::announce(&section, SUBMITTED_EVENT, &detail);
                    }
                }),
            }
        }
    }
    /// Edits the draft (frozen while sending); after a send attempt the
    /// edited text is a new input with a new key.
    fn edit(&self, f: impl FnOnce(&mut imrf_contract::Submission)) {
        self.update(|m| m.edit(new_idempotency_key, f));
    }
    fn check_field(&self, field: Field, only_if_filled_or_shown: bool) {
        self.update(|m| m.check_field(field, only_if_filled_or_shown));
    }
    /// The level of a heading `depth` below the release's title.
    fn heading(&self, depth: u8) -> u8 {
        self.config
            .with_value(|c| crate::embedding::heading_level(c.heading_level, depth))
    }
    /// This form's localStorage key: one per widget when a page has several.
    fn draft_key(&self) -> String {
        self.config.with_value(|c| c.storage_key(DRAFT_STORAGE_KEY))
    }
    /// Where this form keeps its draft (`data-drafts`), if anywhere.
    fn draft_area(&self) -> Option<bool> {
        self.config
            .with_value(|c| c.drafts.area())
            .map(|a| a == StorageArea::Session)
    }
    fn save_draft_now(&self) {
        let Some(session) = self.draft_area() else {
            return;
        };
        let key = self.draft_key();
        self.model.with_untracked(|m| {
            if m.draft.has_content() || m.draft.sending {
                browser::area_set(session, &key, &m.draft.to_json());
            } else {
                browser::area_remove(session, &key);
            }
        });
    }
    fn remove_saved_draft(&self) {
        if let Some(session) = self.draft_area() {
            browser::area_remove(session, &self.draft_key());
        }
    }
    fn fresh_draft(&self) -> Draft {
        Draft::new(new_idempotency_key(), self.lang.get_untracked(), now_ms())
    }
}

/// The draft this form left unsent, from where `data-drafts` keeps it; one
/// left in another area (under an earlier setting) is taken up once and
/// removed there, so no copy stays where the page said not to keep one.
fn stored_draft(config: &EmbedConfig) -> Option<Draft> {
    let key = config.storage_key(DRAFT_STORAGE_KEY);
    let session = |a: StorageArea| a == StorageArea::Session;
    let mut found = config
        .drafts
        .area()
        .and_then(|a| browser::area_get(session(a), &key));
    for stale in config.drafts.stale_areas() {
        if let Some(json) = browser::area_get(session(stale), &key) {
            browser::area_remove(session(stale), &key);
            found = found.or(Some(json));
        }
    }
    found.and_then(|json| Draft::from_json(&json))
}

fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The form. `lang` is the app's language; `config` says where to send and
/// which storage keys are this form's; `title` follows the model's
/// [`FormModel::title_prefix`] (the page title, which the shell owns, follows
/// it); `page_form` is what the page's HTML form held when the app took it
/// over, and `is_page` that this page answered a post (see `FormCtx`).
#[component]
pub fn SubmissionForm(
    lang: Signal<Lang>,
    config: StoredValue<EmbedConfig>,
    title: WriteSignal<TitlePrefix>,
    #[prop(default = None)] page_form: Option<PageForm>,
    #[prop(default = false)] is_page: bool,
) -> impl IntoView {
    let stored = stored_draft(&config.get_value());
    let fresh = Draft::new(new_idempotency_key(), lang.get_untracked(), now_ms());
    let model = match page_form {
        Some(page) => FormModel::take_over(page, stored, fresh),
        None => FormModel::open(stored, fresh),
    };
    let ctx = FormCtx::new(model, lang, config, is_page, false);

    // Debounced draft saving; a page being hidden or closed saves at once.
    let pending_save = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        ctx.model.track();
        if let Some(handle) = pending_save.get_value() {
            handle.clear();
        }
        let handle =
            set_timeout_with_handle(move || ctx.save_draft_now(), DRAFT_SAVE_DEBOUNCE).ok();
        pending_save.set_value(handle);
    });
    let _ = window_event_listener(leptos::ev::pagehide, move |_| ctx.save_draft_now());

    // The title's prefix ("Error: ", "Input received: ") follows the model.
    let prefix = Memo::new(move |_| ctx.model.with(FormModel::title_prefix));
    Effect::new(move |_| title.set(prefix.get()));

    if ctx.model.with_untracked(FormModel::resumes_sending) {
        // The page was reloaded while sending: resend with the same key.
        ctx.apply(FormModel::resume);
    }
    section(ctx)
}

/// The form as HTML for a page without JavaScript (rendered natively): a
/// real form that posts to the endpoint, in the state `model` holds.
#[cfg(feature = "ssr")]
pub fn page_form(
    lang: Lang,
    config: EmbedConfig,
    model: FormModel,
    is_page: bool,
) -> impl IntoView {
    let ctx = FormCtx::new(model, lang.into(), StoredValue::new(config), is_page, true);
    section(ctx)
}

fn section(ctx: FormCtx) -> impl IntoView {
    view! {
        <section class="imrf-submission" aria-labelledby="imrf-form-heading" id=SECTION_ID>
            {form_heading(ctx)}
            {move || match ctx.has_receipt.get().then(|| ctx.model.with_untracked(|m| m.receipt.clone())).flatten() {
                Some(receipt) => receipt::receipt_view(ctx, receipt).into_any(),
                None => form_view(ctx).into_any(),
            }}
        </section>
    }
}

/// The section's heading: the page's `h1` when the form is the page.
/// The form's heading: the page's own on a page that answered a post (the
/// release left out), else one level below the release's title.
fn form_heading(ctx: FormCtx) -> AnyView {
    let depth = if ctx.is_page { 0 } else { 1 };
    heading(ctx.heading(depth), "imrf-form-heading", None, move || {
        ctx.t().form_heading
    })
}

fn form_view(ctx: FormCtx) -> impl IntoView {
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit(ctx);
    };
    let (endpoint, placement, view) = ctx
        .config
        .with_value(|c| (c.endpoint.clone(), c.placement, c.view));
    view! {
        // The summary first, at the top of the section (GOV.UK's place for
        // it): a page about the problem opens with it on the first screen.
        {move || status::error_summary(ctx)}
        <p class="imrf-form-intro">{move || ctx.t().form_intro}</p>
        {move || status::restored_notice(ctx)}
        // A real form: without JavaScript the browser posts it to the
        // endpoint, which answers with this page again (errors) or a receipt.
        <form class="imrf-form" method="post" action=endpoint accept-charset="utf-8" novalidate on:submit=on_submit>
            {fields::all_fields(ctx)}
            {fields::honeypot(ctx)}
            <input type="hidden" name="language" value=move || ctx.lang().code() />
            <input type="hidden" name=form_post::SHOWN_AT value="" />
            <input type="hidden" name=form_post::SHELL value=placement.shell().key() />
            <input type="hidden" name=form_post::VIEW value=view.key() />
            {status::status_view(ctx)}
            <button
                type="submit"
                class="imrf-button"
                aria-disabled=move || ctx.busy_signal().then_some("true")
            >
                {move || match ctx.send() {
                    SendState::Idle | SendState::Failed => ctx.t().submit,
                    _ => ctx.t().sending,
                }}
            </button>
        </form>
    }
}

/// Validates everything: shows the summary and moves focus to it, or sends.
fn submit(ctx: FormCtx) {
    let lang = ctx.lang.get_untracked();
    ctx.apply(|m| m.prepare(lang, now_ms()));
}

fn discard_draft(ctx: FormCtx) {
    let fresh = ctx.fresh_draft();
    ctx.apply(|m| m.discard(fresh));
}

/// Sends the frozen draft until the endpoint answers, as the model decides.
async fn run_send(ctx: FormCtx) {
    let submission = ctx.model.with_untracked(|m| m.draft.submission.clone());
    let endpoint = ctx.config.with_value(|c| c.endpoint.clone());
    loop {
        if !ctx.update(|m| m.attempt_starts(is_online())) {
            wait_until_online().await;
            ctx.update(FormModel::online_again);
        }
        let outcome = send_once(&endpoint, &submission).await;
        let fresh = ctx.fresh_draft();
        let (next, effects) = ctx
            .update(|m| m.attempt_done(outcome, browser::random(), || fresh, new_idempotency_key));
        ctx.carry_out(effects);
        let Next::RetryIn { ms } = next else {
            return;
        };
        let mut left = ms;
        while left > 0 {
            ctx.update(|m| m.retry_countdown(left));
            let step = left.min(1000);
            sleep_ms(step).await;
            left -= step;
        }
    }
}
