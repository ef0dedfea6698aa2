//! Where the app runs and how it is configured: the page it owns (settings
//! from `<meta name="imrf-...">`) or a partner's element (`data-*` attributes).
//! Reading attributes is pure ([`EmbedConfig::from_lookup`]); the DOM part
//! only supplies the lookup. The widget itself (shadow root, several per
//! page) is in [`crate::widget`].

use imrf_contract::{Lang, SUBMISSIONS_PATH};

/// Which parts to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The release and the form.
    Full,
    FormOnly,
    ReleaseOnly,
}

impl View {
    /// The name a `view` setting, query or form control uses.
    pub fn key(self) -> &'static str {
        match self {
            View::Full => "full",
            View::FormOnly => "form",
            View::ReleaseOnly => "release",
        }
    }
    /// A `view` value as read; anything unknown is the full view.
    pub fn from_key(key: &str) -> View {
        match key {
            "form" => View::FormOnly,
            "release" => View::ReleaseOnly,
            _ => View::Full,
        }
    }
    pub fn shows_release(self) -> bool {
        self != View::FormOnly
    }
    pub fn shows_form(self) -> bool {
        self != View::ReleaseOnly
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// Follow the visitor's system setting (`prefers-color-scheme`).
    System,
}

impl Theme {
    pub fn key(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::System => "system",
        }
    }
}

/// Where the widget keeps the visitor's unsent draft (`data-drafts`):
/// the storage of the page it is in, which on a partner's page is the
/// partner site's (docs/embedding.md, "Drafts").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drafts {
    /// `localStorage`: kept until sent, across visits (our own page).
    Local,
    /// `sessionStorage`: kept in this tab until it closes (a partner's
    /// page by default: nothing stays on a shared computer).
    Session,
    /// Not kept: a reload loses what was typed.
    Off,
}

/// A storage area of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageArea {
    Local,
    Session,
}

impl Drafts {
    pub fn key(self) -> &'static str {
        match self {
            Drafts::Local => "local",
            Drafts::Session => "session",
            Drafts::Off => "off",
        }
    }
    fn from_key(key: &str) -> Option<Drafts> {
        [Drafts::Local, Drafts::Session, Drafts::Off]
            .into_iter()
            .find(|d| d.key() == key)
    }
    /// Where the draft is written, if anywhere.
    pub fn area(self) -> Option<StorageArea> {
        match self {
            Drafts::Local => Some(StorageArea::Local),
            Drafts::Session => Some(StorageArea::Session),
            Drafts::Off => None,
        }
    }
    /// The other areas: a draft found there (left under an earlier setting)
    /// is taken up once and removed, so no copy stays where it should not.
    pub fn stale_areas(self) -> Vec<StorageArea> {
        [StorageArea::Session, StorageArea::Local]
            .into_iter()
            .filter(|a| Some(*a) != self.area())
            .collect()
    }
}

/// Which document the app is in: it decides where the language links lead
/// and where the answer to a form posted without JavaScript is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Our page: one document per language, `/ar/` and `/en/`.
    Page,
    /// The iframe embed: `/ar/embed.html` and `/en/embed.html`.
    Frame,
    /// A widget in a partner's page, whose URL is the partner's.
    PartnerPage,
    /// The privacy notice's own document, `/ar/privacy/` and `/en/privacy/`
    /// (no app: rendered by the build only).
    Privacy,
}

/// The folder of the privacy notice in each language's folder
/// (`/en/privacy/`): the build writes its `index.html` there.
pub const PRIVACY_DIR: &str = "privacy";

impl Placement {
    /// Where the link to `lang`'s version of this document leads (relative,
    /// so the same document works at `/`, at `/ar/` and on a static host).
    pub fn language_href(self, lang: Lang, view: View) -> String {
        let code = lang.code();
        match self {
            Placement::Page => format!("../{code}/"),
            Placement::Frame => match view {
                View::Full => format!("../{code}/embed.html"),
                View::FormOnly => format!("../{code}/embed.html?view=form"),
                View::ReleaseOnly => format!("../{code}/embed.html?view=release"),
            },
            Placement::PartnerPage => format!("?lang={code}"),
            Placement::Privacy => format!("../../{code}/{PRIVACY_DIR}/"),
        }
    }

    /// Where the privacy notice in `lang` is from here. On a partner's page
    /// it is on the endpoint's site (`endpoint`, the form's URL), since a
    /// relative link would lead into the partner's.
    pub fn privacy_href(self, lang: Lang, endpoint: &str) -> String {
        let code = lang.code();
        match self {
            Placement::Page | Placement::Frame => format!("../{code}/{PRIVACY_DIR}/"),
            Placement::Privacy => format!("../../{code}/{PRIVACY_DIR}/"),
            Placement::PartnerPage => format!("{}/{code}/{PRIVACY_DIR}/", origin_of(endpoint)),
        }
    }

    /// The page has the site's footer: our own documents, not a frame or
    /// a partner's page (whose site has its own).
    pub fn has_footer(self) -> bool {
        matches!(self, Placement::Page | Placement::Privacy)
    }
}

/// `scheme://host[:port]` of an absolute http(s) URL; empty for a path
/// (the same site).
fn origin_of(url: &str) -> &str {
    let Some(after_scheme) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return "";
    };
    let host_len = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    &url[..url.len() - after_scheme.len() + host_len]
}

/// Which document a form was in, as its post names it (`shell`): where the
/// endpoint shows the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Page,
    Embed,
}

impl Shell {
    pub fn key(self) -> &'static str {
        match self {
            Shell::Page => "page",
            Shell::Embed => "embed",
        }
    }
    pub fn from_key(key: &str) -> Option<Shell> {
        match key {
            "page" => Some(Shell::Page),
            "embed" => Some(Shell::Embed),
            _ => None,
        }
    }
}

impl Placement {
    /// The document kind a form here posts from.
    pub fn shell(self) -> Shell {
        match self {
            Placement::Frame => Shell::Embed,
            Placement::Page | Placement::PartnerPage | Placement::Privacy => Shell::Page,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedConfig {
    /// Full URL (or page-relative path) that submissions are POSTed to.
    pub endpoint: String,
    pub view: View,
    pub theme: Theme,
    /// The host's language preference (`data-lang` / meta), a negotiation input.
    pub host_lang: Option<String>,
    /// True on our own page: the app may change `html`, the title and the URL.
    pub owns_page: bool,
    /// Names this instance among several on one page (`data-id`): it keeps the
    /// saved language and the draft of one widget apart from another's.
    pub instance: Option<String>,
    pub placement: Placement,
    /// Where the unsent draft is kept (`data-drafts`).
    pub drafts: Drafts,
    /// The level of the release's title (`data-heading-level`, 1 to 6);
    /// every other heading follows, one level below, down to 6.
    pub heading_level: u8,
}

impl EmbedConfig {
    /// Builds the configuration from named settings (`endpoint`, `view`,
    /// `theme`, `lang`), falling back to defaults for missing or unknown values.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>, owns_page: bool) -> EmbedConfig {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let owns = owns_page || get("manage-page").as_deref() == Some("true");
        EmbedConfig {
            // Our page and a page the widget manages keep drafts across
            // visits, as before; a partner's page, in the tab only.
            drafts: get("drafts")
                .and_then(|d| Drafts::from_key(&d))
                .unwrap_or(if owns { Drafts::Local } else { Drafts::Session }),
            // A partner's page has its own `h1`; a page that is the app's has the app's.
            heading_level: get("heading-level")
                .and_then(|l| l.parse::<u8>().ok())
                .filter(|l| (1..=6).contains(l))
                .unwrap_or(if owns { 1 } else { 2 }),
            endpoint: get("endpoint").unwrap_or_else(|| SUBMISSIONS_PATH.to_string()),
            view: get("view").map_or(View::Full, |v| View::from_key(&v)),
            theme: match get("theme").as_deref() {
                Some("dark") => Theme::Dark,
                Some("light") => Theme::Light,
                _ => Theme::System,
            },
            host_lang: get("lang"),
            // A host may hand the widget its page (`data-manage-page="true"`):
            // then, like on our own page, it keeps `html lang/dir`, the title
            // and `?lang=` in step with the visitor's choice.
            owns_page: owns,
            instance: get("id").filter(|id| is_instance_name(id)),
            placement: if owns_page {
                Placement::Page
            } else {
                Placement::PartnerPage
            },
        }
    }

    /// The localStorage key of `base` for this instance: `base` itself for a
    /// single app on a page, `base:instance` for a named widget.
    pub fn storage_key(&self, base: &str) -> String {
        match &self.instance {
            Some(instance) => format!("{base}:{instance}"),
            None => base.to_string(),
        }
    }
}

/// The level of a heading `depth` steps below the release's title (0 for
/// the title itself), capped at 6.
pub fn heading_level(top: u8, depth: u8) -> u8 {
    top.saturating_add(depth).clamp(1, 6)
}

/// An instance name is short and plain (it becomes part of a storage key).
fn is_instance_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The `<meta name>` of a setting on a page the app owns: `imrf-<setting>`.
pub fn meta_name(setting: &str) -> String {
    format!("imrf-{setting}")
}

/// Settings of a page the app owns, from `<meta name="imrf-endpoint" content="...">` etc.
pub fn page_config() -> EmbedConfig {
    let document = web_sys::window().and_then(|w| w.document());
    EmbedConfig::from_lookup(
        |name| {
            let selector = format!("meta[name=\"{}\"]", meta_name(name));
            document
                .as_ref()?
                .query_selector(&selector)
                .ok()??
                .get_attribute("content")
        },
        true,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_nothing_is_set() {
        let c = EmbedConfig::from_lookup(|_| None, true);
        assert_eq!(c.endpoint, "/api/submissions");
        assert_eq!(c.view, View::Full);
        assert_eq!(c.theme, Theme::System);
        assert_eq!(c.host_lang, None);
        assert_eq!(c.instance, None);
        assert_eq!(c.storage_key("imrf-lang"), "imrf-lang");
    }

    #[test]
    fn a_host_can_opt_in_to_letting_the_widget_manage_its_page() {
        let widget = |value: &'static str| {
            EmbedConfig::from_lookup(move |n| (n == "manage-page").then(|| value.into()), false)
        };
        assert!(widget("true").owns_page);
        assert!(!widget("false").owns_page);
        assert!(!widget("yes please").owns_page);
        assert!(!EmbedConfig::from_lookup(|_| None, false).owns_page);
        assert!(EmbedConfig::from_lookup(|_| None, true).owns_page);
    }

    #[test]
    fn drafts_stay_in_the_tab_on_a_partners_page_unless_it_says_otherwise() {
        let widget = |value: Option<&'static str>, manage: bool| {
            EmbedConfig::from_lookup(
                move |n| match n {
                    "drafts" => value.map(String::from),
                    "manage-page" => manage.then(|| "true".into()),
                    _ => None,
                },
                false,
            )
            .drafts
        };
        assert_eq!(widget(None, false), Drafts::Session);
        assert_eq!(widget(Some("local"), false), Drafts::Local);
        assert_eq!(widget(Some(" off "), false), Drafts::Off);
        assert_eq!(widget(Some("session"), true), Drafts::Session);
        assert_eq!(widget(Some("cookies"), false), Drafts::Session);
        assert_eq!(widget(None, true), Drafts::Local);
        // Our own page (and the iframe, whose document is ours) as before.
        assert_eq!(
            EmbedConfig::from_lookup(|_| None, true).drafts,
            Drafts::Local
        );
        assert_eq!(Drafts::Session.area(), Some(StorageArea::Session));
        assert_eq!(Drafts::Off.area(), None);
        assert_eq!(Drafts::Session.stale_areas(), [StorageArea::Local]);
        assert_eq!(Drafts::Local.stale_areas(), [StorageArea::Session]);
        assert_eq!(
            Drafts::Off.stale_areas(),
            [StorageArea::Session, StorageArea::Local]
        );
    }

    #[test]
    fn the_heading_level_is_the_partners_choice_from_one_to_six() {
        let level = |value: &'static str, owns: bool| {
            EmbedConfig::from_lookup(move |n| (n == "heading-level").then(|| value.into()), owns)
                .heading_level
        };
        assert_eq!(level("", false), 2);
        assert_eq!(level("", true), 1);
        assert_eq!(level("3", false), 3);
        assert_eq!(level(" 6 ", false), 6);
        for odd in ["0", "7", "h3", "-1", "2.5", "256"] {
            assert_eq!(level(odd, false), 2, "{odd}");
        }
        assert_eq!(level("1", false), 1);
        assert_eq!(heading_level(2, 0), 2);
        assert_eq!(heading_level(2, 2), 4);
        assert_eq!(heading_level(5, 2), 6);
        assert_eq!(heading_level(6, 1), 6);
    }

    #[test]
    fn language_links_lead_to_the_other_document_of_the_same_kind() {
        assert_eq!(
            Placement::Page.language_href(Lang::En, View::Full),
            "../en/"
        );
        assert_eq!(
            Placement::Frame.language_href(Lang::Ar, View::FormOnly),
            "../ar/embed.html?view=form"
        );
        assert_eq!(
            Placement::PartnerPage.language_href(Lang::En, View::Full),
            "?lang=en"
        );
    }

    #[test]
    fn a_named_instance_has_its_own_storage_keys() {
        let c = EmbedConfig::from_lookup(|n| (n == "id").then(|| " news-en ".into()), false);
        assert_eq!(c.instance.as_deref(), Some("news-en"));
        assert_eq!(c.storage_key("imrf-draft-v1"), "imrf-draft-v1:news-en");
        // Anything else is ignored rather than written into a key.
        for odd in ["a b", "x:y", "", &"n".repeat(65), "é"] {
            let c = EmbedConfig::from_lookup(|n| (n == "id").then(|| odd.to_string()), false);
            assert_eq!(c.instance, None, "{odd:?}");
        }
    }

    #[test]
    fn reads_each_setting_and_ignores_unknown_values() {
        let c = EmbedConfig::from_lookup(
            |name| match name {
                "endpoint" => Some(" https://example.org/api/submissions ".into()),
                "view" => Some("form".into()),
                "theme" => Some("dark".into()),
                "lang" => Some("en".into()),
                _ => None,
            },
            false,
        );
        assert_eq!(c.endpoint, "https://example.org/api/submissions");
        assert_eq!(c.view, View::FormOnly);
        assert!(!c.view.shows_release() && c.view.shows_form());
        assert_eq!(c.theme, Theme::Dark);
        assert_eq!(c.host_lang.as_deref(), Some("en"));
        let odd = EmbedConfig::from_lookup(|n| (n == "view").then(|| "weird".into()), false);
        assert_eq!(odd.view, View::Full);
    }
}
