//! The app shell: picks the first language, holds the language state, renders
//! the language switcher, the release and the form, and keeps the document
//! (`html` attributes, title, head, URL) in step when the app owns the page.

use imrf_contract::Lang;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::{announce, storage_get, storage_set};
use crate::draft::secretariat_email;
use crate::embedding::{page_config, EmbedConfig, Placement};
use crate::form::SubmissionForm;
use crate::form_model::{PageForm, TitlePrefix};
use crate::i18n::{self, negotiate, LanguageSignals};
use crate::release::release_article;
use crate::release_content::{release, ui};
use crate::takeover;

pub use crate::i18n::LANG_STORAGE_KEY;

/// Dispatched (bubbling, composed) when the visitor switches language.
pub const LANGUAGE_CHANGED_EVENT: &str = "imrf-language-changed";

/// The shell's state: the language and the page it may own.
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    /// What the page title says first ("Error:", "Input received:"): the
    /// form sets it from its model; the shell only writes it into the title.
    pub title: RwSignal<TitlePrefix>,
    pub config: StoredValue<EmbedConfig>,
}

pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

fn query_lang() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("lang")
}

/// The language of this page's address when it is a per-language one.
fn path_lang() -> Option<String> {
    let path = web_sys::window()?.location().pathname().ok()?;
    i18n::path_lang(&path).map(|lang| lang.code().to_string())
}

/// Gathers the inputs of the first-language decision from the browser.
pub fn language_signals(config: &EmbedConfig) -> LanguageSignals {
    let navigator = web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
        .unwrap_or_default();
    LanguageSignals {
        // A page's URL speaks for the app that owns it, not for a widget in a partner's page.
        // (and on our page, the language whose URL it is: `/en/`).
        query: if config.owns_page {
            query_lang().or_else(path_lang)
        } else {
            None
        },
        saved: storage_get(&config.storage_key(LANG_STORAGE_KEY)),
        host: config.host_lang.clone(),
        navigator,
    }
}

/// Entry point of the page build: takes over the page's HTML (the
/// release and the form, rendered by the build or the endpoint) in
/// `#imrf-app`. Without that element (a partner's page that loaded the
/// widget, `crate::widget`) it does nothing.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("imrf-app"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let config = page_config();
    // What the visitor did on the HTML page before the app arrived: values,
    // focus, caret and scroll come across; the markup is the same, so
    // nothing moves.
    let taken = takeover::read(&root);
    let page_form = taken.form.clone();
    // Built aside, then swapped in at once: should the app fail while it
    // starts, the page's HTML is still there, whole and working.
    let Some(aside) = detached_element() else {
        return;
    };
    leptos::mount::mount_to(aside.clone(), move || {
        view! { <App config=config.clone() page_form=page_form.clone() /> }
    })
    .forget();
    let live = web_sys::DocumentFragment::new().expect("a document fragment");
    while let Some(child) = aside.first_child() {
        let _ = live.append_child(&child);
    }
    root.replace_children_with_node_1(&live);
    takeover::restore(&taken);
}

/// A detached element to build the live app in.
fn detached_element() -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .create_element("div")
        .ok()?
        .dyn_into()
        .ok()
}

#[component]
pub fn App(
    config: EmbedConfig,
    #[prop(default = None)] page_form: Option<PageForm>,
) -> impl IntoView {
    let first = negotiate(&language_signals(&config));
    let state = AppState {
        lang: RwSignal::new(first),
        title: RwSignal::new(TitlePrefix::None),
        config: StoredValue::new(config.clone()),
    };
    provide_context(state);
    let lang = state.lang;

    if config.owns_page {
        Effect::new(move |_| sync_document(lang.get(), state.title.get()));
    }

    let view_kind = config.view;
    let level = config.heading_level;
    // A page that answered a post is about the form (or the receipt): the
    // release stays out, as on that page.
    let is_page = page_form.as_ref().is_some_and(PageForm::answers_a_post);
    let content = move || {
        let page_form = page_form.clone();
        view! {
            {(view_kind.shows_release() && !is_page).then_some(move || release_article(release(lang.get()), level))}
            {view_kind.shows_form().then(move || view! {
                <SubmissionForm
                    lang=lang.into()
                    config=state.config
                    title=state.title.write_only()
                    page_form=page_form
                    is_page=is_page
                />
            })}
        }
        .into_any()
    };
    app_frame(state, &config, true, content)
}

/// The app around its content: the header with the site name and the
/// language switcher, and the content as the page's `main` (on our page) or
/// as one named region among a partner's landmarks. The same for the live
/// app and for a page rendered without JavaScript (`crate::pages`).
/// `live` marks the live app (`data-live`; an attribute, so the page's
/// HTML and the app it becomes lay out the same).
pub fn app_frame(
    state: AppState,
    config: &EmbedConfig,
    live: bool,
    content: impl Fn() -> AnyView,
) -> impl IntoView {
    let lang = state.lang;
    let theme = config.theme.key();
    let owns_page = config.owns_page;
    let body = if owns_page {
        view! { <main id="imrf-main" class="imrf-main">{content()}</main> }.into_any()
    } else {
        view! { <div class="imrf-main">{content()}</div> }.into_any()
    };
    view! {
        <div
            class="imrf-app"
            lang=move || lang.get().code()
            dir=move || lang.get().dir().code()
            data-theme=theme
            data-live=live.then_some("true")
            role=(!owns_page).then_some("region")
            aria-label=move || (!owns_page).then(|| ui(lang.get()).site_name)
        >
            <header class="imrf-header">
                {(owns_page && config.view.shows_form()).then(|| view! {
                    <a class="imrf-skip-link" href="#imrf-submission">{move || ui(lang.get()).skip_to_form}</a>
                })}
                <p class="imrf-site-name">{move || ui(lang.get()).site_name}</p>
                <LanguageSwitcher />
            </header>
            {body}
            {config.placement.has_footer().then(|| site_footer(lang, config))}
        </div>
    }
}

/// The site's footer on our own documents: the Network's name, the
/// secretariat's address (the release's), and the privacy notice.
fn site_footer(lang: RwSignal<Lang>, config: &EmbedConfig) -> impl IntoView {
    let (placement, endpoint) = (config.placement, config.endpoint.clone());
    let address = secretariat_email();
    let here = (placement == Placement::Privacy).then_some("page");
    view! {
        <footer class="imrf-footer">
            <p class="imrf-footer-name">{move || ui(lang.get()).site_name}</p>
            <p>
                {move || ui(lang.get()).footer_contact}" "
                <a href=format!("mailto:{address}") dir="ltr" class="ltr-run">{address}</a>
            </p>
            <p>
                <a href=move || placement.privacy_href(lang.get(), &endpoint) aria-current=here>
                    {move || ui(lang.get()).privacy_notice}
                </a>
            </p>
        </footer>
    }
}

/// The language list for a page in `current`: each language named in
/// itself, the current one marked, the other a real link (to that
/// language's document, `Placement::language_href`) that works without
/// WebAssembly, in a new tab, and after a reload.
pub fn language_items(current: Lang, config: &EmbedConfig) -> impl IntoView {
    let (placement, view_kind) = (config.placement, config.view);
    let items = Lang::ALL
        .into_iter()
        .map(|l| {
            let item = if l == current {
                view! {
                    <span class="imrf-language-current" lang=l.code() aria-current="true">
                        {imrf_contract::endonym(l)}
                    </span>
                }
                .into_any()
            } else {
                view! {
                    <a href=placement.language_href(l, view_kind) hreflang=l.code() lang=l.code() rel="alternate">
                        {imrf_contract::endonym(l)}
                    </a>
                }
                .into_any()
            };
            view! { <li>{item}</li> }
        })
        .collect_view();
    view! { <ul>{items}</ul> }
}

/// GOV.UK-style language navigation, enhanced to switch in place.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let state = use_app_state();
    let lang = state.lang;
    let nav_ref = NodeRef::<leptos::html::Nav>::new();
    // One delegated handler: the links themselves are plain, as in the static page.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        // Let modified clicks (new tab, new window) do what links do.
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() || ev.button() != 0 {
            return;
        }
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[hreflang]").ok().flatten());
        let target = link
            .as_ref()
            .and_then(|a| a.get_attribute("hreflang"))
            .and_then(|tag| Lang::from_tag(&tag));
        let Some(target) = target else { return };
        ev.prevent_default();
        // Leave the link before the switch replaces it: removing the focused
        // element makes the browser lay out the page there and then, inside
        // the update (focus comes back to the switcher on the next frame).
        if let Some(link) = link.and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = link.blur();
        }
        switch_language(state, target);
        if let Some(nav) = nav_ref.get() {
            announce(&nav, LANGUAGE_CHANGED_EVENT, &[("lang", target.code())]);
            // Keep keyboard focus on the switcher: on the link that now leads back.
            request_animation_frame(move || {
                if let Ok(Some(link)) = nav.query_selector("a[hreflang]") {
                    if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
                        let _ = link.focus();
                    }
                }
            });
        }
    };
    view! {
        <nav
            class="imrf-language-nav"
            aria-label=move || ui(lang.get()).language_nav_label
            node_ref=nav_ref
            on:click=on_click
        >
            {move || state.config.with_value(|c| language_items(lang.get(), c))}
        </nav>
    }
}

/// Switches in place: state, saved choice and (on our own page) the URL.
pub fn switch_language(state: AppState, target: Lang) {
    state.lang.set(target);
    storage_set(
        &state.config.with_value(|c| c.storage_key(LANG_STORAGE_KEY)),
        target.code(),
    );
    let (owns_page, placement) = state.config.with_value(|c| (c.owns_page, c.placement));
    if owns_page {
        replace_url_lang(target, placement);
    }
}

/// Puts the language in the address bar without a reload or a new history
/// entry: our page moves to the language's own URL (`/en/`), other
/// documents set `?lang=`.
fn replace_url_lang(target: Lang, placement: Placement) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(href) = window.location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    let url = match placement {
        Placement::Page => {
            let Ok(moved) = web_sys::Url::new_with_base(&format!("../{}/", target.code()), &href)
            else {
                return;
            };
            moved.set_search(&url.search());
            moved.search_params().delete("lang");
            moved.set_hash(&url.hash());
            moved
        }
        Placement::Frame | Placement::PartnerPage | Placement::Privacy => {
            url.search_params().set("lang", target.code());
            url
        }
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}

/// Keeps `html lang/dir`, the title and the head's descriptions in step.
fn sync_document(lang: Lang, title: TitlePrefix) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute("lang", lang.code());
        let _ = html.set_attribute("dir", lang.dir().code());
    }
    let meta = &release(lang).meta;
    document.set_title(&format!("{}{}", title.words(lang), meta.title));
    for (selector, value) in [
        ("meta[name=\"description\"]", meta.description.as_ref()),
        ("meta[property=\"og:title\"]", meta.title.as_ref()),
        (
            "meta[property=\"og:description\"]",
            meta.description.as_ref(),
        ),
        ("meta[property=\"og:locale\"]", meta.locale.as_ref()),
        (
            "meta[property=\"og:locale:alternate\"]",
            release(lang.other()).meta.locale.as_ref(),
        ),
    ] {
        if let Ok(Some(el)) = document.query_selector(selector) {
            let _ = el.set_attribute("content", value);
        }
    }
}
