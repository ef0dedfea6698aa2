//! The release as data.
//!
//! Editors change `content/*.toml`; at build time the app's build script calls
//! [`build::load_release_pair`] (feature `build`), which parses both languages,
//! checks that their structures match and generates Rust statics of the types
//! below, so the WebAssembly holds plain data and no parser.
//!
//! Strings are `Cow<'static, str>` so the same types are built from parsed
//! files (owned) and from generated statics (borrowed).

use std::borrow::Cow;

#[cfg(feature = "build")]
pub mod build;
pub mod inline;
#[cfg(feature = "build")]
pub mod inline_words;

pub type Text = Cow<'static, str>;

/// A plural interface message: one form per CLDR plural category. The app
/// picks the form with `imrf_contract::plural_category` (Intl.PluralRules in
/// the browser). Languages with fewer categories (English: one, other) have
/// the `other` form in the categories they never select.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plural {
    pub zero: &'static str,
    pub one: &'static str,
    pub two: &'static str,
    pub few: &'static str,
    pub many: &'static str,
    pub other: &'static str,
}

/// The CLDR plural categories of a language's cardinal numbers, which a
/// plural message in that language must all have (the app's native test
/// checks this list against ICU4X's rules).
pub fn plural_categories(lang: &str) -> &'static [&'static str] {
    match lang {
        "ar" => &["zero", "one", "two", "few", "many", "other"],
        _ => &["one", "other"],
    }
}

/// One language's release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// `ar` or `en`.
    pub lang: Text,
    pub meta: Meta,
    pub blocks: Cow<'static, [Block]>,
}

/// What goes into the document head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub title: Text,
    pub description: Text,
    /// The Open Graph locale (`og:locale`), e.g. `ar_AR`.
    pub locale: Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Stable id, the same in both languages; also the element id in the page.
    pub id: Text,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// The headline: the page's one `h1`.
    Title(Inlines),
    Paragraph(Inlines),
    /// A section heading (`h2`); it starts a new section.
    Heading(Inlines),
    Quote(Quote),
}

impl BlockKind {
    pub fn name(&self) -> &'static str {
        match self {
            BlockKind::Title(_) => "title",
            BlockKind::Paragraph(_) => "paragraph",
            BlockKind::Heading(_) => "heading",
            BlockKind::Quote(_) => "quote",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub speaker: Speaker,
    /// The words introducing the quote ("Ms. X, role at Y, said:").
    pub attribution: Inlines,
    /// The quoted words, with the original's quotation marks.
    pub text: Inlines,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// The speaker's name (the quote's `data-speaker`). The content file also
    /// gives a role and an organisation, checked at build time; the page shows
    /// them through the attribution, so they are not compiled in.
    pub name: Text,
}

pub type Inlines = Cow<'static, [Inline]>;

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(Text),
    /// A run in another language than its surroundings, isolated with its own direction.
    Foreign {
        lang: Text,
        text: Text,
    },
    /// An abbreviation with its (English) expansion.
    Abbr {
        text: Text,
        title: Text,
    },
    Email(Text),
    Url(Text),
    /// A date; `datetime` is the HTML machine-readable value.
    Time {
        text: Text,
        datetime: Text,
    },
    /// A translator's note beside the words it explains (`{note:...}`): in
    /// a translation only, never in the original (the build refuses it there).
    Note(Text),
}

impl Inline {
    /// The text a reader sees.
    pub fn visible_text(&self) -> &str {
        match self {
            Inline::Text(t) | Inline::Email(t) | Inline::Url(t) | Inline::Note(t) => t,
            Inline::Foreign { text, .. }
            | Inline::Abbr { text, .. }
            | Inline::Time { text, .. } => text,
        }
    }
}

/// The visible text of a run of inlines, markup removed.
pub fn plain_text(inlines: &[Inline]) -> String {
    inlines.iter().map(Inline::visible_text).collect()
}

/// Directions of the two languages, for `dir` attributes.
pub fn dir_of(lang: &str) -> &'static str {
    if lang == "ar" {
        "rtl"
    } else {
        "ltr"
    }
}
