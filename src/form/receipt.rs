//! The receipt: the reference the secretariat's endpoint gave, a summary of
//! what was sent, print and copy, and a way to send another input.

use imrf_contract::{field_label, Field};
use leptos::prelude::*;

use super::FormCtx;
use crate::form_model::{FormModel, Receipt};
use crate::release::heading;

/// The receipt's id: focus moves there once it shows.
pub(super) const RECEIPT_ID: &str = "imrf-receipt";

pub(super) fn receipt_view(ctx: FormCtx, receipt: Receipt) -> AnyView {
    if ctx.no_script() {
        page_receipt(ctx, receipt.reference, receipt.withdraw).into_any()
    } else {
        live_receipt(ctx, receipt).into_any()
    }
}

/// One level below the form's heading (an `h2` when the form is the page).
fn receipt_heading(ctx: FormCtx) -> AnyView {
    let depth = if ctx.is_page { 1 } else { 2 };
    heading(
        ctx.heading(depth),
        "imrf-receipt-heading",
        None,
        move || ctx.t().success_heading,
    )
}

/// The heading and the reference, the same on both receipts.
fn reference_lines(ctx: FormCtx, reference: String) -> impl IntoView {
    view! {
        {receipt_heading(ctx)}
        <p class="imrf-reference">
            {move || ctx.t().success_reference}": "
            <strong dir="ltr" class="imrf-reference-number">{reference}</strong>
        </p>
        <p>{move || ctx.t().success_body}</p>
    }
}

/// The receipt a page without JavaScript shows after its post: the
/// reference and nothing of the input (its URL holds the reference, and
/// anyone who has the URL sees this), and a plain link to an empty form.
/// It takes focus as the page opens (`autofocus`: no script needed), so
/// reading starts there; the app keeps that focus when it takes over.
fn page_receipt(ctx: FormCtx, reference: String, withdraw: Option<String>) -> impl IntoView {
    let data_reference = reference.clone();
    let data_withdraw = withdraw.clone();
    view! {
        <div class="imrf-receipt" id=RECEIPT_ID tabindex="-1" autofocus role="region" aria-labelledby="imrf-receipt-heading" data-reference=data_reference data-withdraw=data_withdraw>
            {reference_lines(ctx, reference)}
            {withdraw_line(ctx, withdraw)}
            <p><a class="imrf-button" href="./">{ctx.t().send_another}</a></p>
        </div>
    }
}

/// The sender's withdrawal link, when the endpoint gave one.
fn withdraw_line(ctx: FormCtx, href: Option<String>) -> impl IntoView {
    href.map(|href| {
        view! { <p class="imrf-withdraw"><a href=href>{move || ctx.t().withdraw_link}</a></p> }
    })
}

/// The endpoint's link made absolute against the endpoint's own URL (which
/// may be on another origin than the page, on a partner's site).
fn on_endpoint(ctx: FormCtx, link: &str) -> String {
    let endpoint = ctx.config.with_value(|c| c.endpoint.clone());
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|base| web_sys::Url::new_with_base(&endpoint, &base).ok())
        .and_then(|e| web_sys::Url::new_with_base(link, &e.href()).ok())
        .map_or_else(|| link.to_string(), |u| u.href())
}

fn live_receipt(ctx: FormCtx, receipt: Receipt) -> impl IntoView {
    let withdraw = receipt.withdraw.as_deref().map(|w| on_endpoint(ctx, w));
    let reference = receipt.reference.clone();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let written = window.navigator().clipboard().write_text(&reference);
        // Say "copied" only once the browser has written it (it may refuse:
        // no permission, an insecure page).
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(written).await;
            copied.set(done.is_ok());
        });
    };
    let sent = receipt.sent;
    let label = move |field| move || field_label(field, ctx.lang());
    view! {
        <div class="imrf-receipt" id=RECEIPT_ID tabindex="-1" role="region" aria-labelledby="imrf-receipt-heading">
            {reference_lines(ctx, receipt.reference)}
            {withdraw_line(ctx, withdraw)}
            // Taken over from a page's receipt, the app never saw the input.
            {(!sent.name.is_empty()).then(|| view! {
            <dl class="imrf-receipt-summary">
                <dt>{label(Field::Name)}</dt>
                <dd dir="auto">{sent.name}</dd>
                <dt>{label(Field::Title)}</dt>
                <dd dir="auto">{sent.title}</dd>
                <dt>{label(Field::Input)}</dt>
                <dd dir="auto" class="imrf-receipt-input">{sent.input.clone()}</dd>
            </dl>
            })}
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
                <button type="button" class="imrf-button" on:click=move |_| ctx.apply(FormModel::send_another)>
                    {move || ctx.t().send_another}
                </button>
            </p>
        </div>
    }
}
