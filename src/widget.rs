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

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::app::{language_signals, App};
use crate::browser::{announce, register_shadow_root};
use crate::embedding::{EmbedConfig, Placement};
use crate::i18n::negotiate;

/// Dispatched (bubbling, composed) on the widget's element once it has rendered.
pub const READY_EVENT: &str = "imrf-ready";

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
    let index = register_shadow_root(shadow);
    let frame = host.has_attribute("data-frame");
    let mut config =
        EmbedConfig::from_lookup(|name| host.get_attribute(&format!("data-{name}")), frame);
    if frame {
        config.placement = Placement::Frame;
    }
    if config.instance.is_none() && index > 0 {
        config.instance = Some(format!("w{index}"));
    }

    // The language the app is about to choose (it negotiates the same way).
    let lang = negotiate(&language_signals(&config));
    leptos::mount::mount_to(
        container.clone(),
        move || view! { <App config=config.clone() /> },
    )
    .forget();
    // The app is in the DOM now: tell the host page (and `web/widget.js`).
    announce(&container, READY_EVENT, &[("lang", lang.code())]);
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
