//! The form's messages: the restored-draft notice, the GOV.UK error summary
//! and the send status (sending, retrying, offline, failed with the e-mail
//! fallback). What they say comes from the model and the interface text.

use leptos::prelude::*;

use super::{discard_draft, submit, FormCtx};
use crate::browser::focus_element;
use crate::draft::mailto_link;
use crate::form_model::{FormModel, SendState};
use crate::i18n::fill_count;
use crate::release::heading;

/// Shown from the first render, so a live region would not announce it
/// (and its button would sit in one): a plain block, first in reading order.
pub(super) fn restored_notice(ctx: FormCtx) -> Option<impl IntoView> {
    ctx.restored_notice.get().then(|| {
        view! {
            <div class="imrf-notice">
                <p>{ctx.t().draft_restored}</p>
                <button type="button" class="imrf-button imrf-button-secondary" on:click=move |_| discard_draft(ctx)>
                    {ctx.t().discard_draft}
                </button>
            </div>
        }
    })
}

pub(super) fn error_summary(ctx: FormCtx) -> Option<impl IntoView> {
    // Reactive on the summary's own parts only (not on every keystroke).
    ctx.show_summary.track();
    ctx.errors_or_send.track();
    let lang = ctx.lang();
    let items = ctx.model.with_untracked(|m: &FormModel| m.summary(lang))?;
    let items = items
        .into_iter()
        .map(|item| match item.target {
            Some(id) => {
                let href = format!("#{id}");
                view! {
                    <li>
                        <a href=href on:click=move |ev| {
                            ev.prevent_default();
                            focus_element(&id);
                        }>{item.message}</a>
                    </li>
                }
                .into_any()
            }
            None => view! { <li>{item.message}</li> }.into_any(),
        })
        .collect_view();
    // The GOV.UK structure: the focus target outside, `role=alert` with the
    // heading inside (a name on a div without a role is not exposed). On a
    // page without JavaScript it takes focus as the page opens (`autofocus`),
    // and its id lets the app keep that focus when it takes over.
    Some(view! {
        <div class="imrf-error-summary" id="imrf-error-summary" tabindex="-1" autofocus=ctx.no_script() node_ref=ctx.summary_ref>
            <div role="alert">
                {heading(ctx.heading(1), "imrf-error-summary-title", Some("imrf-error-summary-title"), ctx.t().error_summary_title)}
                <ul class="imrf-error-summary-list">{items}</ul>
            </div>
        </div>
    })
}

/// What the live region says, and whether it is for screen readers only
/// (while the visible countdown runs beside it): it changes when the send
/// state does (a retry wait is announced once, whole), never every second.
fn announcement(ctx: FormCtx) -> Option<(String, bool)> {
    let t = ctx.t();
    match ctx.send() {
        SendState::Idle => None,
        SendState::Sending => Some((t.sending.to_string(), false)),
        SendState::Retrying { wait_s, .. } => Some((retrying_in(ctx, wait_s), true)),
        SendState::Offline => Some((t.offline_waiting.to_string(), false)),
        SendState::Failed => Some((t.send_failed.to_string(), false)),
    }
}

/// "Trying again in {seconds} seconds", in the plural form of `seconds`.
fn retrying_in(ctx: FormCtx, seconds: u32) -> String {
    let s = u64::from(seconds);
    fill_count(&ctx.t().retrying_in, ctx.lang(), s, &[("seconds", s)])
}

/// The send status: a polite live region, the visible countdown beside it
/// (hidden from screen readers, which heard the wait once), and when the
/// send failed the actions, outside the live region.
pub(super) fn status_view(ctx: FormCtx) -> impl IntoView {
    let announced = Memo::new(move |_| announcement(ctx));
    let send = move || ctx.send();
    let class = move || match send() {
        SendState::Idle => "imrf-status",
        SendState::Failed => "imrf-status imrf-status-shown imrf-send-failed",
        _ => "imrf-status imrf-status-shown",
    };
    view! {
        <div class=class>
            <div role="status" aria-live="polite" class="imrf-status-live">
                {move || announced.get().map(|(text, hidden)| {
                    let class = if hidden { "imrf-visually-hidden" } else { "imrf-status-message" };
                    view! { <p class=class>{text}</p> }
                })}
            </div>
            {move || match send() {
                SendState::Retrying { seconds_left, .. } => {
                    let text = retrying_in(ctx, seconds_left);
                    Some(view! { <p class="imrf-status-message imrf-countdown" aria-hidden="true">{text}</p> }.into_any())
                }
                SendState::Failed => {
                    let t = ctx.t();
                    let mailto = ctx.with_draft(|d| mailto_link(&d.submission, ctx.lang()));
                    Some(view! {
                        <p class="imrf-actions">
                            <button type="button" class="imrf-button imrf-button-secondary" on:click=move |_| submit(ctx)>
                                {t.try_again}
                            </button>
                            <a class="imrf-email-instead" href=mailto>{t.email_instead}</a>
                        </p>
                    }.into_any())
                }
                _ => None,
            }}
        </div>
    }
}
