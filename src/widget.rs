//! The embeddable widget: the app mounted into a partner's element, inside an
//! open shadow root, so the partner's CSS does not reach in and ours does not
//! leak out. `web/widget.js` (built into `dist/widget.js` by
//! `scripts/build-widget.mjs`) loads the WebAssembly and calls
//! [`mount_widget`] for every `[data-imrf-widget]` element; see
//! `docs/embedding.md` for the attributes.
//!
//! A widget sets `lang`/`dir` on its own root only and never touches the
//! host's `html`, title or URL (its configuration has `owns_page` false),
//! except in `embed.html` (`data-frame`), whose document is ours.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::app::App;
use crate::embedding::EmbedConfig;

thread_local! {
    /// The shadow roots of the widgets mounted on this page, in mount order.
    static ROOTS: RefCell<Vec<ShadowRoot>> = const { RefCell::new(Vec::new()) };
}

/// The class of the element inside the shadow root that the app mounts into.
pub const CONTAINER_CLASS: &str = "imrf-widget";

/// Mounts the app into `host` (once; a second call for the same element does
/// nothing). `stylesheet` is the absolute URL of the widget's CSS, resolved by
/// the loader against its own URL so another origin can use it.
#[wasm_bindgen]
pub fn mount_widget(host: HtmlElement, stylesheet: String) -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    if host.shadow_root().is_some() {
        return Ok(());
    }
    let document = host
        .owner_document()
        .ok_or_else(|| JsValue::from_str("imrf widget: the element has no document"))?;
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;

    let link = document.create_element("link")?;
    link.set_attribute("rel", "stylesheet")?;
    link.set_attribute("href", &stylesheet)?;
    let container: HtmlElement = document.create_element("div")?.unchecked_into();
    container.set_class_name(CONTAINER_CLASS);
    // Hidden until the stylesheet has loaded (or failed): no unstyled flash.
    container.set_hidden(true);
    for event in ["load", "error"] {
        let shown = container.clone();
        let reveal = Closure::once_into_js(move || shown.set_hidden(false));
        link.add_event_listener_with_callback(event, reveal.unchecked_ref())?;
    }
    shadow.append_child(&link)?;
    shadow.append_child(&container)?;
    set_base_size(&container);

    // Several widgets on one page keep their saved language and draft apart:
    // by `data-id`, or else by their order (the first keeps the plain keys).
    let index = ROOTS.with(|r| r.borrow().len());
    let frame = host.has_attribute("data-frame");
    let mut config =
        EmbedConfig::from_lookup(|name| host.get_attribute(&format!("data-{name}")), frame);
    if config.instance.is_none() && index > 0 {
        config.instance = Some(format!("w{index}"));
    }
    ROOTS.with(|r| r.borrow_mut().push(shadow));

    leptos::mount::mount_to(container, move || view! { <App config=config.clone() /> }).forget();
    Ok(())
}

/// The widget's CSS measures in `var(--imrf-rem)` instead of `rem` (which is
/// the host page's root font size, often changed by partners). Its default is
/// the visitor's own default font size (`medium`), measured here.
fn set_base_size(container: &HtmlElement) {
    let style = container.style();
    let _ = style.set_property("font-size", "medium");
    let size = web_sys::window()
        .and_then(|w| w.get_computed_style(container).ok().flatten())
        .and_then(|s| s.get_property_value("font-size").ok())
        .filter(|v| v.ends_with("px"));
    let _ = style.remove_property("font-size");
    if let Some(size) = size {
        let _ = style.set_property("--imrf-medium", &size);
    }
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
