//! The form's fields, rendered from the model's field table: one-line
//! inputs, the text area with its character count, the country list, the
//! stakeholder groups, the consent box, and the honeypot.

use std::time::Duration;

use imrf_contract::{countries, stakeholder_group_label, Field, StakeholderGroup};
use leptos::prelude::*;

use super::FormCtx;
use crate::draft::{set_text, text_of};
use crate::form_model::{field_class, field_id, spec, Control, FieldSpec, FIELDS};
use crate::i18n::fill_count;

/// How long typing pauses before a screen reader hears the character count.
const COUNT_ANNOUNCE_DELAY: Duration = Duration::from_millis(1000);

/// Every field shown at the top level, in display order.
pub(super) fn all_fields(ctx: FormCtx) -> impl IntoView {
    FIELDS
        .into_iter()
        .filter_map(spec)
        .filter(|spec| spec.inside.is_none())
        .map(|spec| field_view(ctx, spec))
        .collect_view()
}

fn field_view(ctx: FormCtx, spec: FieldSpec) -> AnyView {
    match spec.control {
        Control::Input(_) => text_field(ctx, spec).into_any(),
        Control::TextArea => text_area(ctx, spec).into_any(),
        Control::Select => country_field(ctx, spec).into_any(),
        Control::Radios => group_field(ctx, spec).into_any(),
        Control::Checkbox => checkbox_field(ctx, spec).into_any(),
    }
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

fn has_error(ctx: FormCtx, field: Field) -> impl Fn() -> bool + Copy {
    move || ctx.error_for(field).is_some()
}

/// A text control's value, from the draft.
fn text_value(ctx: FormCtx, field: Field) -> impl Fn() -> String {
    move || ctx.with_draft(|d| text_of(&d.submission, field).to_string())
}

/// A text control's value when it is created: written as its `value`
/// attribute (or a text area's text) so that HTML rendered without
/// JavaScript carries it; the live value is the `value` property above.
fn initial_text(ctx: FormCtx, field: Field) -> String {
    ctx.model
        .with_untracked(|m| text_of(&m.draft.submission, field).to_string())
}

/// Text made safe to write into HTML as it is (`&`, `<`, `>`, `"`).
pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Typing in a text control edits the draft, then runs `then`.
fn on_text_input(
    ctx: FormCtx,
    field: Field,
    then: impl Fn() + 'static,
) -> impl Fn(leptos::ev::Event) + 'static {
    move |ev| {
        let value = event_target_value(&ev);
        ctx.edit(|s| set_text(s, field, value));
        then();
    }
}

fn label(ctx: FormCtx, spec: FieldSpec) -> impl IntoView {
    view! { <label for=spec.id() class="imrf-label">{move || spec.label_text(ctx.t())}</label> }
}

fn hint(ctx: FormCtx, spec: FieldSpec) -> Option<impl IntoView> {
    spec.hint.map(|hint| {
        view! { <p class="imrf-hint" id=format!("{}-hint", spec.id())>{move || hint(ctx.t())}</p> }
    })
}

fn text_field(ctx: FormCtx, spec: FieldSpec) -> impl IntoView {
    let (field, error) = (spec.field, has_error(ctx, spec.field));
    let Control::Input(input_type) = spec.control else {
        unreachable!("text_field renders inputs only")
    };
    view! {
        <div class=move || field_class(error())>
            {label(ctx, spec)}
            {hint(ctx, spec)}
            {inline_error(ctx, field)}
            <input
                class="imrf-input"
                type=input_type
                id=spec.id()
                name=field.key()
                dir=spec.dir
                dirname=format!("{}.dir", field.key())
                autocomplete=spec.autocomplete
                spellcheck={ if spec.spellcheck { "true" } else { "false" } }
                maxlength=spec.maxlength().map(|n| n.to_string())
                aria-describedby=move || spec.described_by(error())
                aria-invalid=move || error().then_some("true")
                aria-required=spec.aria_required()
                readonly=move || ctx.busy_signal()
                value=initial_text(ctx, field)
                prop:value=text_value(ctx, field)
                on:input=on_text_input(ctx, field, || ())
                on:blur=move |_| ctx.check_field(field, true)
            />
        </div>
    }
}

fn text_area(ctx: FormCtx, spec: FieldSpec) -> impl IntoView {
    let (field, error) = (spec.field, has_error(ctx, spec.field));
    let id = spec.id();
    let max = spec
        .max_chars
        .expect("the field table gives a text area a length limit");
    let count = move || ctx.with_draft(|d| text_of(&d.submission, field).chars().count());
    let count_text = move || {
        let t = ctx.t();
        if ctx.no_script() {
            // Nothing counts without JavaScript: say the limit instead.
            let max = max as u64;
            return fill_count(&t.char_limit, ctx.lang(), max, &[("max", max)]);
        }
        let template = if count() > max {
            &t.char_count_over
        } else {
            &t.char_count
        };
        let max = max as u64;
        fill_count(
            template,
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
        <div class=move || field_class(error())>
            {label(ctx, spec)}
            {hint(ctx, spec)}
            {inline_error(ctx, field)}
            <textarea
                class="imrf-textarea"
                id=id.clone()
                name=field.key()
                dir=spec.dir
                dirname=format!("{}.dir", field.key())
                rows="10"
                aria-describedby=move || spec.described_by(error())
                aria-invalid=move || error().then_some("true")
                aria-required=spec.aria_required()
                readonly=move || ctx.busy_signal()
                prop:value=text_value(ctx, field)
                on:input=on_text_input(ctx, field, announce_later)
                on:blur=move |_| ctx.check_field(field, true)
            >
                // Rendered as HTML only: tachys writes a text area's children
                // unescaped (as raw text), so the text is escaped here.
                {ctx.no_script().then(|| escape_html(&initial_text(ctx, field)))}
            </textarea>
            <p
                class=move || { if count() > max { "imrf-char-count imrf-char-count-over" } else { "imrf-char-count" } }
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

fn country_field(ctx: FormCtx, spec: FieldSpec) -> impl IntoView {
    let (field, error) = (spec.field, has_error(ctx, spec.field));
    let options = move |arab: bool| {
        let lang = ctx.lang();
        countries::display_order(lang)
            .into_iter()
            .filter(|c| c.arab_state == arab)
            .map(|c| {
                let selected = move || ctx.with_draft(|d| d.submission.country == c.code);
                view! { <option value=c.code selected=selected>{c.name(lang)}</option> }
            })
            .collect_view()
    };
    view! {
        <div class=move || field_class(error())>
            {label(ctx, spec)}
            {inline_error(ctx, field)}
            <select
                class="imrf-select"
                id=spec.id()
                name=field.key()
                autocomplete=spec.autocomplete
                aria-describedby=move || spec.described_by(error())
                aria-invalid=move || error().then_some("true")
                aria-required=spec.aria_required()
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.edit(|s| s.country = value);
                    ctx.check_field(field, true);
                }
                prop:value=move || ctx.with_draft(|d| d.submission.country.clone())
            >
                <option value="" selected=move || ctx.with_draft(|d| d.submission.country.is_empty())>
                    {move || ctx.t().country_choose}
                </option>
                <optgroup label=move || ctx.t().country_arab_states>{move || options(true)}</optgroup>
                <optgroup label=move || ctx.t().country_all_others>{move || options(false)}</optgroup>
                <option value="other" selected=move || ctx.with_draft(|d| d.submission.country == "other")>
                    {move || ctx.t().country_other}
                </option>
            </select>
        </div>
    }
}

fn group_field(ctx: FormCtx, spec: FieldSpec) -> impl IntoView {
    let (field, error) = (spec.field, has_error(ctx, spec.field));
    let id = spec.id();
    let radios = StakeholderGroup::ALL
        .into_iter()
        .enumerate()
        .map(|(i, group)| {
            // The first radio carries the field's id so the error summary can
            // focus it; the others are `-option-` ids, which no field's id can
            // be (`imrf-stakeholder-group-other` is the text field's).
            let radio_id = if i == 0 { id.clone() } else { format!("{id}-option-{}", group.key().replace('_', "-")) };
            let checked = move || ctx.with_draft(|d| d.submission.stakeholder_group == Some(group));
            view! {
                <div class="imrf-radio">
                    <input
                        type="radio"
                        class="imrf-radio-input"
                        id=radio_id.clone()
                        name=field.key()
                        value=group.key()
                        required=!spec.optional
                        checked=ctx.model.with_untracked(|m| m.draft.submission.stakeholder_group == Some(group))
                        prop:checked=checked
                        on:change=move |_| {
                            ctx.edit(|s| s.stakeholder_group = Some(group));
                            ctx.check_field(field, true);
                        }
                    />
                    <label for=radio_id class="imrf-radio-label">{move || stakeholder_group_label(group, ctx.lang())}</label>
                </div>
            }
        })
        .collect_view();
    let other_chosen =
        move || ctx.with_draft(|d| d.submission.stakeholder_group == Some(StakeholderGroup::Other));
    let nested: Vec<FieldSpec> = FIELDS.into_iter().filter_map(spec_inside(field)).collect();
    view! {
        <div class=move || field_class(error())>
            <fieldset class="imrf-fieldset" aria-describedby=move || spec.described_by(error())>
                <legend class="imrf-legend">{move || (spec.label)(ctx.t())}</legend>
                {inline_error(ctx, field)}
                <div class="imrf-radios" id=format!("{id}-options")>{radios}</div>
                {if ctx.no_script() {
                    // Without JavaScript the field is always in the form;
                    // CSS shows it while "Other" is chosen (`:has`).
                    view! {
                        <div class="imrf-conditional imrf-conditional-static">
                            {nested.iter().map(|inner| field_view(ctx, *inner)).collect_view()}
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <Show when=other_chosen>
                            <div class="imrf-conditional">
                                {nested.iter().map(|inner| field_view(ctx, *inner)).collect_view()}
                            </div>
                        </Show>
                    }
                    .into_any()
                }}
            </fieldset>
        </div>
    }
}

/// The rows of the field table shown inside `outer`.
fn spec_inside(outer: Field) -> impl Fn(Field) -> Option<FieldSpec> {
    move |field| spec(field).filter(|s| s.inside == Some(outer))
}

/// A checkbox field (consent, confirmation): its value through
/// `Submission::checked`, the one place that maps a box to its member.
fn checkbox_field(ctx: FormCtx, spec: FieldSpec) -> impl IntoView {
    let is_checked = move |s: &imrf_contract::Submission| s.checked(spec.field).unwrap_or(false);
    let (field, error) = (spec.field, has_error(ctx, spec.field));
    view! {
        <div class=move || field_class(error())>
            {hint(ctx, spec)}
            {inline_error(ctx, field)}
            <div class="imrf-checkbox">
                <input
                    type="checkbox"
                    class="imrf-checkbox-input"
                    id=spec.id()
                    name=field.key()
                    value=imrf_contract::form_post::CHECKED
                    aria-describedby=move || spec.described_by(error())
                    aria-invalid=move || error().then_some("true")
                    aria-required=spec.aria_required()
                    checked=ctx.model.with_untracked(|m| is_checked(&m.draft.submission))
                    prop:checked=move || ctx.with_draft(|d| is_checked(&d.submission))
                    on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        ctx.edit(|s| s.set_checked(field, checked));
                        ctx.check_field(field, false);
                    }
                />
                <label for=spec.id() class="imrf-checkbox-label">{move || spec.label_text(ctx.t())}</label>
            </div>
            {(field == Field::Consent).then(|| privacy_link(ctx))}
        </div>
    }
}

/// Beside the consent: the privacy notice, in a new tab, so nothing typed
/// here is lost (and a frame is not navigated to a page it may not show).
fn privacy_link(ctx: FormCtx) -> impl IntoView {
    let (placement, endpoint) = ctx.config.with_value(|c| (c.placement, c.endpoint.clone()));
    view! {
        <p class="imrf-privacy-link">
            <a href=move || placement.privacy_href(ctx.lang(), &endpoint) target="_blank" rel="noopener">
                {move || ctx.t().privacy_link_new_tab}
            </a>
        </p>
    }
}

/// A field people never see or hear (hidden by CSS `display: none`, which
/// also hides it from screen readers); bots that fill every input fill it.
pub(super) fn honeypot(ctx: FormCtx) -> impl IntoView {
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
                    ctx.update(|m| m.set_website(value));
                }
            />
        </div>
    }
}
