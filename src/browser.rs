//! Browser helpers every DOM module may use: localStorage and sessionStorage, the clock and
//! randomness, finding an element across widgets' shadow roots, moving focus,
//! and the events the app dispatches for the host page. It imports no other
//! module of this crate, so nothing here can import back.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRoot};

thread_local! {
    /// The shadow roots of the widgets mounted on this page, in mount order.
    static ROOTS: RefCell<Vec<ShadowRoot>> = const { RefCell::new(Vec::new()) };
}

pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

pub fn storage_remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// The page's `sessionStorage` (`session`) or `localStorage`.
fn storage_in(session: bool) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    if session {
        window.session_storage().ok()?
    } else {
        window.local_storage().ok()?
    }
}

/// As [`storage_get`], in `sessionStorage` when `session`.
pub fn area_get(session: bool, key: &str) -> Option<String> {
    storage_in(session)?.get_item(key).ok()?
}

/// As [`storage_set`], in `sessionStorage` when `session`.
pub fn area_set(session: bool, key: &str, value: &str) {
    if let Some(storage) = storage_in(session) {
        let _ = storage.set_item(key, value);
    }
}

/// As [`storage_remove`], in `sessionStorage` when `session`.
pub fn area_remove(session: bool, key: &str) {
    if let Some(storage) = storage_in(session) {
        let _ = storage.remove_item(key);
    }
}

/// Milliseconds since the epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A number in `[0, 1)`.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// Remembers a widget's shadow root, where [`find_by_id`] looks too.
/// Returns how many were registered before it.
pub fn register_shadow_root(root: ShadowRoot) -> usize {
    ROOTS.with(|r| {
        let mut roots = r.borrow_mut();
        roots.push(root);
        roots.len() - 1
    })
}

/// Finds an element by id in the page or in a widget's shadow root (where
/// `document.getElementById` does not look): first the document, then the
/// widget that holds the focus, then every widget in mount order.
pub fn find_by_id(id: &str) -> Option<HtmlElement> {
    let document = web_sys::window()?.document()?;
    let found = document.get_element_by_id(id).or_else(|| {
        focused_shadow_root(&document)
            .and_then(|root| root.get_element_by_id(id))
            .or_else(|| {
                ROOTS.with(|roots| {
                    roots
                        .borrow()
                        .iter()
                        .find_map(|root| root.get_element_by_id(id))
                })
            })
    })?;
    found.dyn_into::<HtmlElement>().ok()
}

/// The innermost shadow root that contains the focused element, if any.
fn focused_shadow_root(document: &web_sys::Document) -> Option<ShadowRoot> {
    let mut root: Option<ShadowRoot> = None;
    let mut active: Option<Element> = document.active_element();
    while let Some(shadow) = active.as_ref().and_then(Element::shadow_root) {
        active = shadow.active_element();
        root = Some(shadow);
    }
    root
}

/// Moves focus to the element with this id (in the page or inside a widget's
/// shadow root): at once when it is there, else after the next render.
pub fn focus_element(id: &str) {
    if let Some(element) = find_by_id(id) {
        let _ = element.focus();
        return;
    }
    let id = id.to_string();
    leptos::prelude::request_animation_frame(move || {
        if let Some(element) = find_by_id(&id) {
            let _ = element.focus();
        }
    });
}

/// Dispatches `type` with `detail` (string members) from `element`. The
/// event bubbles and is composed, so it leaves a widget's shadow root and
/// reaches the host element and the host page's listeners.
pub fn announce(element: &Element, event_type: &str, detail: &[(&str, &str)]) {
    let object = js_sys::Object::new();
    for (name, value) in detail {
        let _ = js_sys::Reflect::set(&object, &(*name).into(), &(*value).into());
    }
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&object);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(event_type, &init) {
        let _ = element.dispatch_event(&event);
    }
}
