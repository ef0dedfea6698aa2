//! The form's messages: the restored-draft notice, the GOV.UK error summary
//! and the send status (sending, retrying, offline, failed with the e-mail
//! fallback). What they say comes from the model and the interface text.

use leptos::prelude::*;

use super::{discard_draft, submit, FormCtx};
use crate::browser::focus_element;
use crate::draft::mailto_link;
use crate::form_model::{FormModel, SendState};
use crate::i18n::fill_count;

pub(super) fn restored_notice(ctx: FormCtx) -> Option<impl IntoView> {
    ctx.restored_notice.get().then(|| {
        view! {
            <div class="imrf-notice" role="status">
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
    Some(view! {
        <div class="imrf-error-summary" tabindex="-1" node_ref=ctx.summary_ref aria-labelledby="imrf-error-summary-title">
            <div role="alert">
                <h2 id="imrf-error-summary-title" class="imrf-error-summary-title">{ctx.t().error_summary_title}</h2>
                <ul class="imrf-error-summary-list">{items}</ul>
            </div>
        </div>
    })
}

pub(super) fn status_view(ctx: FormCtx) -> impl IntoView {
    view! {
        <div class="imrf-status" role="status" aria-live="polite">
            {move || {
                let t = ctx.t();
                match ctx.send() {
                    SendState::Idle => None,
                    SendState::Sending => Some(view! { <p>{t.sending}</p> }.into_any()),
                    SendState::Retrying { seconds_left } => Some(
                        view! { <p>{fill_count(&t.retrying_in, ctx.lang(), seconds_left.into(), &[("seconds", seconds_left.into())])}</p> }.into_any(),
                    ),
                    SendState::Offline => Some(view! { <p>{t.offline_waiting}</p> }.into_any()),
                    SendState::Failed => {
                        let mailto = ctx.with_draft(|d| mailto_link(&d.submission, ctx.lang()));
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
