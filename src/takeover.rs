//! The app taking over a page that came as HTML (the build's document, or
//! the endpoint's answer to a form posted without JavaScript): what the
//! visitor did there before the WebAssembly arrived is read from the DOM
//! (the form's values, whether it showed errors or a receipt, the focused
//! control with its caret, the scroll position) and put back once the live
//! app has replaced the markup. The live markup is the same markup (both come
//! from `app_frame` and the form's views), so nothing moves.
//!
//! Why adoption rather than Leptos hydration: hydration would keep the DOM
//! nodes, but it needs the `hydrate` build and markup that matches the
//! server's to the marker; the live form would still set every value from
//! its (empty) signals; and the page's documents come from the build and
//! the endpoint, not from a Leptos server. Reading the form into the draft
//! is a few lines, and the model decides what wins (`FormModel::take_over`).

use imrf_contract::form_post::submission_from;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, FormData, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlTextAreaElement,
};

use crate::browser::find_by_id;
use crate::form_model::PageForm;

/// What the page held when the app took it over.
#[derive(Clone, Default)]
pub struct Taken {
    /// `None` when the page had no form (the release alone).
    pub form: Option<PageForm>,
    focus: Option<Focus>,
    scroll: (f64, f64),
}

#[derive(Clone)]
struct Focus {
    id: String,
    /// Start, end and direction of the selection in a text control.
    selection: Option<(u32, u32, String)>,
}

/// Reads the page inside `root` before it is replaced.
pub fn read(root: &Element) -> Taken {
    let window = web_sys::window();
    Taken {
        form: page_form(root),
        focus: focus_inside(root),
        scroll: window
            .map(|w| (w.scroll_x().unwrap_or(0.0), w.scroll_y().unwrap_or(0.0)))
            .unwrap_or_default(),
    }
}

fn page_form(root: &Element) -> Option<PageForm> {
    let find = |selector: &str| root.query_selector(selector).ok().flatten();
    let receipt = find("[data-reference]");
    let receipt_reference = receipt
        .as_ref()
        .and_then(|e| e.get_attribute("data-reference"));
    let receipt_withdraw = receipt.and_then(|e| e.get_attribute("data-withdraw"));
    let form = find("form.imrf-form").and_then(|e| e.dyn_into::<HtmlFormElement>().ok());
    if receipt_reference.is_none() && form.is_none() {
        return None;
    }
    let data = form.and_then(|f| FormData::new_with_form(&f).ok());
    let submission = data
        .map(|data| submission_from(|name| data.get(name).as_string()))
        .unwrap_or_default();
    Some(PageForm {
        submission,
        showed_errors: find(".imrf-error-summary").is_some(),
        receipt_reference,
        receipt_withdraw,
    })
}

fn focus_inside(root: &Element) -> Option<Focus> {
    let active = web_sys::window()?.document()?.active_element()?;
    if !root.contains(Some(&active)) || active.id().is_empty() {
        return None;
    }
    let selection = if let Some(input) = active.dyn_ref::<HtmlInputElement>() {
        selection_of(
            input.selection_start(),
            input.selection_end(),
            input.selection_direction(),
        )
    } else if let Some(area) = active.dyn_ref::<HtmlTextAreaElement>() {
        selection_of(
            area.selection_start(),
            area.selection_end(),
            area.selection_direction(),
        )
    } else {
        None
    };
    Some(Focus {
        id: active.id(),
        selection,
    })
}

/// A selection, where the control has one (radios and boxes do not).
fn selection_of<E>(
    start: Result<Option<u32>, E>,
    end: Result<Option<u32>, E>,
    direction: Result<Option<String>, E>,
) -> Option<(u32, u32, String)> {
    Some((
        start.ok()??,
        end.ok()??,
        direction.ok().flatten().unwrap_or_else(|| "none".into()),
    ))
}

/// Puts focus, caret and scroll back, after the live app is mounted.
pub fn restore(taken: &Taken) {
    if let Some(focus) = &taken.focus {
        if let Some(element) = find_by_id(&focus.id) {
            focus_without_scrolling(&element);
            if let Some((start, end, direction)) = &focus.selection {
                if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                    let _ = input.set_selection_range_with_direction(*start, *end, direction);
                } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
                    let _ = area.set_selection_range_with_direction(*start, *end, direction);
                }
            }
        }
    }
    if let Some(window) = web_sys::window() {
        let (x, y) = taken.scroll;
        let now = (
            window.scroll_x().unwrap_or(0.0),
            window.scroll_y().unwrap_or(0.0),
        );
        if now != (x, y) {
            window.scroll_to_with_x_and_y(x, y);
        }
    }
}

fn focus_without_scrolling(element: &HtmlElement) {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = element.focus_with_options(&options);
}
