//! Every document's markup is rendered here, once (feature `ssr`): the
//! pages the build writes (`bin/prerender.rs`), the endpoint's answers to a
//! form post, the privacy notice, the public record, the not-found page and
//! the secretariat's console.
//!
//! Leptos's server render marks where a dynamic part may change with empty
//! comments (`<!>`), so that hydration can find its text nodes. Nothing
//! hydrates these documents (the app takes a page over and renders its own
//! DOM: `crate::takeover`), so the markers are useless, and the W3C Nu HTML
//! Checker reports each as a "Bogus comment" error: they are left out.

use leptos::prelude::*;

/// The placeholder Leptos writes between adjacent text nodes and for an
/// absent optional part.
const MARKER: &str = "<!>";

/// `view` rendered to HTML in a fresh reactive owner, without Leptos's
/// `<!>` markers. The text can hold none: every `<` of a text or an
/// attribute value is written `&lt;`.
pub fn render<V: IntoView>(view: impl FnOnce() -> V) -> String {
    let owner = Owner::new();
    let html = owner.with(|| view().to_html());
    html.replace(MARKER, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_markers_and_text_kept_escaped() {
        let shown = Some("b");
        let absent: Option<&str> = None;
        let html = render(|| {
            view! { <p title="<!>">"a"{shown}{absent}" <!> "</p> }
        });
        assert_eq!(html, r#"<p title="&lt;!&gt;">ab &lt;!&gt; </p>"#);
        // What Leptos writes without this module.
        let raw = Owner::new().with(|| view! { <p>"a"{shown}{absent}</p> }.to_html());
        assert!(raw.contains(MARKER), "{raw}");
    }
}
