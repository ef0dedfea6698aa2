//! Build-time side: read the TOML files, check them, generate Rust statics.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use crate::{plural_categories, Block, BlockKind, Inline, Meta, Quote, Release, Speaker};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReleaseFile {
    lang: String,
    #[serde(default)]
    #[allow(dead_code)] // for editors; read by people, not by the app
    notes: Vec<String>,
    meta: MetaFile,
    blocks: Vec<BlockFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaFile {
    title: String,
    description: String,
    locale: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockFile {
    id: String,
    kind: String,
    text: String,
    speaker: Option<SpeakerFile>,
    attribution: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakerFile {
    name: String,
    role: String,
    organisation: String,
}

/// Parses one release file. `name` is used in error messages.
pub fn parse_release(name: &str, source: &str) -> Result<Release, String> {
    let file: ReleaseFile = toml::from_str(source).map_err(|e| format!("{name}: {e}"))?;
    let mut blocks = Vec::new();
    for (i, b) in file.blocks.into_iter().enumerate() {
        let at = format!("{name}: block {} ({:?})", i + 1, b.id);
        let valid_id = !b.id.is_empty()
            && b.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid_id {
            return Err(format!("{at}: ids use a-z, 0-9 and '-' only"));
        }
        let inlines = |field: &str, s: &str| {
            if s.trim().is_empty() {
                return Err(format!("{at}: `{field}` is empty"));
            }
            crate::inline::parse(s)
                .map(Into::into)
                .map_err(|e| format!("{at}: `{field}`: {e}"))
        };
        let quote_only = b.speaker.is_some() || b.attribution.is_some();
        let kind = match b.kind.as_str() {
            "quote" => {
                let speaker = b
                    .speaker
                    .ok_or_else(|| format!("{at}: a quote needs `speaker`"))?;
                for (field, value) in [
                    ("speaker.name", &speaker.name),
                    ("speaker.role", &speaker.role),
                    ("speaker.organisation", &speaker.organisation),
                ] {
                    if value.trim().is_empty() {
                        return Err(format!("{at}: `{field}` is empty"));
                    }
                }
                let attribution = b
                    .attribution
                    .ok_or_else(|| format!("{at}: a quote needs `attribution`"))?;
                BlockKind::Quote(Quote {
                    speaker: Speaker {
                        name: speaker.name.into(),
                    },
                    attribution: inlines("attribution", &attribution)?,
                    text: inlines("text", &b.text)?,
                })
            }
            _ if quote_only => {
                return Err(format!(
                    "{at}: only quotes have `speaker` and `attribution`"
                ))
            }
            "title" => BlockKind::Title(inlines("text", &b.text)?),
            "paragraph" => BlockKind::Paragraph(inlines("text", &b.text)?),
            "heading" => BlockKind::Heading(inlines("text", &b.text)?),
            other => {
                return Err(format!(
                    "{at}: unknown kind {other:?} (title, paragraph, heading, quote)"
                ))
            }
        };
        blocks.push(Block {
            id: b.id.into(),
            kind,
        });
    }
    let titles = blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Title(_)))
        .count();
    if titles != 1 || !matches!(blocks.first().map(|b| &b.kind), Some(BlockKind::Title(_))) {
        return Err(format!(
            "{name}: the first block, and only it, must be the `title` (found {titles} titles)"
        ));
    }
    let mut seen = BTreeSet::new();
    for b in &blocks {
        if !seen.insert(b.id.clone()) {
            return Err(format!("{name}: block id {:?} is used twice", b.id));
        }
    }
    for (field, value) in [
        ("meta.title", &file.meta.title),
        ("meta.description", &file.meta.description),
        ("meta.locale", &file.meta.locale),
    ] {
        if value.trim().is_empty() {
            return Err(format!("{name}: `{field}` is empty"));
        }
    }
    Ok(Release {
        lang: file.lang.into(),
        meta: Meta {
            title: file.meta.title.into(),
            description: file.meta.description.into(),
            locale: file.meta.locale.into(),
        },
        blocks: blocks.into(),
    })
}

/// What must be the same in both languages for one block: links, contacts,
/// dates and abbreviations. Text itself differs, of course.
#[derive(Debug, PartialEq, Eq, Default)]
struct Fingerprint {
    emails: BTreeSet<String>,
    urls: BTreeSet<String>,
    times: BTreeMap<String, usize>,
    abbrs: BTreeSet<String>,
}

fn fingerprint(block: &Block) -> Fingerprint {
    let mut fp = Fingerprint::default();
    let runs: Vec<&Inline> = match &block.kind {
        BlockKind::Title(i) | BlockKind::Paragraph(i) | BlockKind::Heading(i) => i.iter().collect(),
        BlockKind::Quote(q) => q.attribution.iter().chain(q.text.iter()).collect(),
    };
    for run in runs {
        match run {
            Inline::Email(e) => {
                fp.emails.insert(e.to_string());
            }
            Inline::Url(u) => {
                fp.urls.insert(u.to_string());
            }
            Inline::Time { datetime, .. } => {
                *fp.times.entry(datetime.to_string()).or_default() += 1
            }
            Inline::Abbr { text, .. } => {
                fp.abbrs.insert(text.to_string());
            }
            Inline::Text(_) | Inline::Foreign { .. } | Inline::Note(_) => {}
        }
    }
    fp
}

/// Checks that two languages have the same structure: the same blocks, in the
/// same order, of the same kinds, with the same links, contacts, dates and
/// abbreviations. Every difference is reported, each naming the block.
pub fn check_same_structure(
    a_name: &str,
    a: &Release,
    b_name: &str,
    b: &Release,
) -> Result<(), String> {
    let mut problems = Vec::new();
    let ids = |r: &Release| {
        r.blocks
            .iter()
            .map(|b| b.id.to_string())
            .collect::<Vec<_>>()
    };
    let (a_ids, b_ids) = (ids(a), ids(b));
    for (ids_here, name_here, ids_there, name_there) in [
        (&a_ids, a_name, &b_ids, b_name),
        (&b_ids, b_name, &a_ids, a_name),
    ] {
        for id in ids_here.iter().filter(|id| !ids_there.contains(id)) {
            let kind = [a, b]
                .iter()
                .flat_map(|r| r.blocks.iter())
                .find(|blk| blk.id == id.as_str())
                .map(|blk| blk.kind.name())
                .unwrap_or("block");
            problems.push(format!(
                "{kind} {id:?} is in {name_here} but missing from {name_there}"
            ));
        }
    }
    let common_a: Vec<&String> = a_ids.iter().filter(|id| b_ids.contains(id)).collect();
    let common_b: Vec<&String> = b_ids.iter().filter(|id| a_ids.contains(id)).collect();
    if common_a != common_b {
        problems.push(format!(
            "blocks are in a different order: {a_name} has {common_a:?}, {b_name} has {common_b:?}"
        ));
    }
    for block_a in a.blocks.iter() {
        let Some(block_b) = b.blocks.iter().find(|x| x.id == block_a.id) else {
            continue;
        };
        let id = &block_a.id;
        if block_a.kind.name() != block_b.kind.name() {
            problems.push(format!(
                "block {id:?} is a {} in {a_name} but a {} in {b_name}",
                block_a.kind.name(),
                block_b.kind.name()
            ));
            continue;
        }
        let (fa, fb) = (fingerprint(block_a), fingerprint(block_b));
        let mut differ = |what: &str, x: String, y: String| {
            if x != y {
                problems.push(format!(
                    "block {id:?}: {what} differ: {a_name} has {x}, {b_name} has {y}"
                ));
            }
        };
        differ(
            "e-mail addresses",
            format!("{:?}", fa.emails),
            format!("{:?}", fb.emails),
        );
        differ("links", format!("{:?}", fa.urls), format!("{:?}", fb.urls));
        differ(
            "dates",
            format!("{:?}", fa.times),
            format!("{:?}", fb.times),
        );
        differ(
            "abbreviations",
            format!("{:?}", fa.abbrs),
            format!("{:?}", fb.abbrs),
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the release's languages do not match:\n  - {}",
            problems.join("\n  - ")
        ))
    }
}

/// Reads `release.ar.toml` and `release.en.toml` from `dir`, checks each and
/// both together. This is exactly what the app's build script runs.
pub fn load_release_pair(dir: &Path) -> Result<(Release, Release), String> {
    let read = |lang: &str| {
        let name = format!("release.{lang}.toml");
        let path = dir.join(&name);
        let source = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let release = parse_release(&name, &source)?;
        if release.lang != lang {
            return Err(format!("{name}: `lang` must be {lang:?}"));
        }
        Ok::<_, String>((name, release))
    };
    let (ar_name, ar) = read("ar")?;
    let (en_name, en) = read("en")?;
    check_same_structure(&ar_name, &ar, &en_name, &en)?;
    check_original_has_no_notes(&ar_name, &ar)?;
    Ok((ar, en))
}

/// The Arabic original is verbatim: a translator's note (`{note:...}`)
/// belongs to the translation only. Names each block that has one.
pub fn check_original_has_no_notes(name: &str, original: &Release) -> Result<(), String> {
    let with_notes: Vec<String> = original
        .blocks
        .iter()
        .filter(|block| {
            let runs: Vec<&Inline> = match &block.kind {
                BlockKind::Title(i) | BlockKind::Paragraph(i) | BlockKind::Heading(i) => {
                    i.iter().collect()
                }
                BlockKind::Quote(q) => q.attribution.iter().chain(q.text.iter()).collect(),
            };
            runs.iter().any(|run| matches!(run, Inline::Note(_)))
        })
        .map(|block| format!("{:?}", block.id.as_ref()))
        .collect();
    if with_notes.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{name} is the original, kept verbatim: a translator's note {{note:...}} belongs in the translation only (block {})",
            with_notes.join(", ")
        ))
    }
}

/// One interface message: a plain text, or a plural message with one form
/// per CLDR plural category of its language (`zero`, `one`, `two`, `few`,
/// `many`, `other`), written in TOML as an inline table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiValue {
    Text(String),
    Plural(BTreeMap<String, String>),
}

impl UiValue {
    fn texts(&self) -> Vec<&str> {
        match self {
            UiValue::Text(t) => vec![t.as_str()],
            UiValue::Plural(forms) => forms.values().map(String::as_str).collect(),
        }
    }
}

/// Interface text of one language: key to message. `notes` (for editors)
/// is read and dropped.
pub type UiStrings = BTreeMap<String, UiValue>;

const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';
const LRI: char = '\u{2066}';

/// Every Latin letter of an Arabic interface text, outside `{placeholders}`,
/// sits between FSI (or LRI) and PDI, so `https://` and `name@example.org`
/// read left to right inside right-to-left text.
fn latin_runs_isolated(text: &str) -> bool {
    let (mut depth, mut in_placeholder) = (0i32, false);
    for c in text.chars() {
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            FSI | LRI => depth += 1,
            PDI => depth -= 1,
            c if c.is_ascii_alphabetic() && !in_placeholder && depth <= 0 => return false,
            _ => {}
        }
    }
    depth == 0
}

/// Parses a flat interface-strings file of `key = "text"` and
/// `key = { one = "...", other = "..." }` entries, for language `lang`.
pub fn parse_ui(name: &str, lang: &str, source: &str) -> Result<UiStrings, String> {
    let table: toml::Table = toml::from_str(source).map_err(|e| format!("{name}: {e}"))?;
    let mut out = UiStrings::new();
    for (key, value) in table {
        if key == "notes" {
            continue;
        }
        if !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(format!("{name}: key {key:?} must be snake_case ascii"));
        }
        let value = match value {
            toml::Value::String(s) => UiValue::Text(s),
            toml::Value::Table(forms) => UiValue::Plural(parse_plural(name, lang, &key, forms)?),
            _ => {
                return Err(format!(
                    "{name}: {key:?} must be a text or a table of plural forms"
                ))
            }
        };
        for text in value.texts() {
            if text.trim().is_empty() {
                return Err(format!("{name}: {key:?} is empty"));
            }
            if lang == "ar" && !latin_runs_isolated(text) {
                return Err(format!(
                    "{name}: {key:?} has a Latin run not isolated with \\u2068 … \\u2069 (FSI … PDI): {text:?}"
                ));
            }
        }
        out.insert(key, value);
    }
    Ok(out)
}

fn parse_plural(
    name: &str,
    lang: &str,
    key: &str,
    forms: toml::Table,
) -> Result<BTreeMap<String, String>, String> {
    let needed = plural_categories(lang);
    let mut out = BTreeMap::new();
    for (category, text) in forms {
        if !needed.contains(&category.as_str()) {
            return Err(format!(
                "{name}: plural message {key:?} has {category:?}, which is not a plural category of {lang:?} ({})",
                needed.join(", ")
            ));
        }
        let toml::Value::String(text) = text else {
            return Err(format!("{name}: {key:?}.{category} must be a text"));
        };
        out.insert(category, text);
    }
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|c| !out.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{name}: plural message {key:?} lacks the form(s) {} (every plural message needs {})",
            missing.join(", "),
            needed.join(", ")
        ));
    }
    Ok(out)
}

/// Reads `ui.ar.toml` and `ui.en.toml` and checks they have the same keys,
/// each plain in both or plural in both.
pub fn load_ui_pair(dir: &Path) -> Result<(UiStrings, UiStrings), String> {
    let read = |lang: &str| {
        let name = format!("ui.{lang}.toml");
        let path = dir.join(&name);
        let source = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        parse_ui(&name, lang, &source)
    };
    let (ar, en) = (read("ar")?, read("en")?);
    let mut problems: Vec<String> = ar
        .keys()
        .filter(|k| !en.contains_key(*k))
        .map(|k| format!("{k:?} is in ui.ar.toml but missing from ui.en.toml"))
        .chain(
            en.keys()
                .filter(|k| !ar.contains_key(*k))
                .map(|k| format!("{k:?} is in ui.en.toml but missing from ui.ar.toml")),
        )
        .collect();
    for (key, a) in &ar {
        if let Some(e) = en.get(key) {
            if matches!(a, UiValue::Plural(_)) != matches!(e, UiValue::Plural(_)) {
                problems.push(format!("{key:?} is a plural message in one language only"));
            }
        }
    }
    if problems.is_empty() {
        Ok((ar, en))
    } else {
        Err(format!(
            "the interface texts do not match:\n  - {}",
            problems.join("\n  - ")
        ))
    }
}

/// Fails naming every key of `ui` that no source file reads (`.key`): a
/// message nobody shows is either dead or a sign of a typo in the code.
pub fn check_keys_used(ui: &UiStrings, sources: &[(String, String)]) -> Result<(), String> {
    let used = |key: &str| {
        let needle = format!(".{key}");
        sources.iter().any(|(_, code)| {
            code.match_indices(&needle).any(|(at, _)| {
                code[at + needle.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
            })
        })
    };
    let dead: Vec<&String> = ui.keys().filter(|k| !used(k)).collect();
    if dead.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "dead interface keys (in content/ui.*.toml but read nowhere in the app): {}",
            dead.iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// Rust source for a `UiText` struct with one field per key (`&'static str`,
/// or [`crate::Plural`] for a plural message), and one `const` per language.
/// A key the code uses but the files lack is then a compile error, not a
/// blank on screen. English plural messages have only `one` and `other`; the
/// categories English never selects get the `other` form.
pub fn generate_ui(ar: &UiStrings, en: &UiStrings) -> String {
    let mut out = String::from(
        "/// Interface text of one language (generated from content/ui.*.toml).\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub struct UiText {\n",
    );
    for (key, value) in ar {
        let ty = match value {
            UiValue::Text(_) => "&'static str",
            UiValue::Plural(_) => "Plural",
        };
        let _ = writeln!(out, "    pub {key}: {ty},");
    }
    out.push_str("}\n");
    for (name, table) in [("UI_AR", ar), ("UI_EN", en)] {
        let _ = writeln!(out, "pub const {name}: UiText = UiText {{");
        for (key, value) in table {
            match value {
                UiValue::Text(t) => {
                    let _ = writeln!(out, "    {key}: {t:?},");
                }
                UiValue::Plural(forms) => {
                    let form = |c: &str| forms.get(c).unwrap_or(&forms["other"]).clone();
                    let _ = writeln!(
                        out,
                        "    {key}: Plural {{ zero: {:?}, one: {:?}, two: {:?}, few: {:?}, many: {:?}, other: {:?} }},",
                        form("zero"),
                        form("one"),
                        form("two"),
                        form("few"),
                        form("many"),
                        form("other")
                    );
                }
            }
        }
        out.push_str("};\n");
    }
    out
}

fn text(s: &str) -> String {
    format!("::std::borrow::Cow::Borrowed({s:?})")
}

fn inlines(runs: &[Inline]) -> String {
    let items: Vec<String> = runs
        .iter()
        .map(|r| match r {
            Inline::Text(t) => format!("Inline::Text({})", text(t)),
            Inline::Foreign { lang, text: t } => {
                format!(
                    "Inline::Foreign {{ lang: {}, text: {} }}",
                    text(lang),
                    text(t)
                )
            }
            Inline::Abbr { text: t, title } => {
                format!(
                    "Inline::Abbr {{ text: {}, title: {} }}",
                    text(t),
                    text(title)
                )
            }
            Inline::Email(e) => format!("Inline::Email({})", text(e)),
            Inline::Url(u) => format!("Inline::Url({})", text(u)),
            Inline::Note(n) => format!("Inline::Note({})", text(n)),
            Inline::Time { text: t, datetime } => {
                format!(
                    "Inline::Time {{ text: {}, datetime: {} }}",
                    text(t),
                    text(datetime)
                )
            }
        })
        .collect();
    format!("::std::borrow::Cow::Borrowed(&[{}])", items.join(", "))
}

/// Rust source for a `Release` constant expression, using the crate's types
/// (the generated file must have `use imrf_content::*;` in scope).
pub fn generate_release(release: &Release) -> String {
    let blocks: Vec<String> = release
        .blocks
        .iter()
        .map(|b| {
            let kind = match &b.kind {
                BlockKind::Title(i) => format!("BlockKind::Title({})", inlines(i)),
                BlockKind::Paragraph(i) => format!("BlockKind::Paragraph({})", inlines(i)),
                BlockKind::Heading(i) => format!("BlockKind::Heading({})", inlines(i)),
                BlockKind::Quote(q) => format!(
                    "BlockKind::Quote(Quote {{ speaker: Speaker {{ name: {} }}, attribution: {}, text: {} }})",
                    text(&q.speaker.name),
                    inlines(&q.attribution),
                    inlines(&q.text)
                ),
            };
            format!("Block {{ id: {}, kind: {kind} }}", text(&b.id))
        })
        .collect();
    format!(
        "Release {{ lang: {}, meta: Meta {{ title: {}, description: {}, locale: {} }}, blocks: ::std::borrow::Cow::Borrowed(&[\n{}\n]) }}",
        text(&release.lang),
        text(&release.meta.title),
        text(&release.meta.description),
        text(&release.meta.locale),
        blocks.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn content_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../content")
    }

    fn read(name: &str) -> String {
        std::fs::read_to_string(content_dir().join(name)).unwrap()
    }

    #[test]
    fn the_real_content_passes_the_build_check() {
        let (ar, en) = load_release_pair(&content_dir()).expect("content is consistent");
        assert_eq!(ar.blocks.len(), en.blocks.len());
        assert!(
            ar.blocks.len() >= 15,
            "every paragraph of the release is there"
        );
        load_ui_pair(&content_dir()).expect("interface texts are consistent");
    }

    /// Removes the `[[blocks]]` table whose id is `id` from a release file.
    fn without_block(source: &str, id: &str) -> String {
        let parts: Vec<&str> = source.split("[[blocks]]").collect();
        let kept: Vec<&str> = parts
            .iter()
            .copied()
            .filter(|p| {
                !p.contains(&format!("id = '{id}'")) && !p.contains(&format!("id = \"{id}\""))
            })
            .collect();
        assert_eq!(kept.len() + 1, parts.len(), "block {id} was found once");
        kept.join("[[blocks]]")
    }

    fn check_pair(ar_src: &str, en_src: &str) -> Result<(), String> {
        let ar = parse_release("release.ar.toml", ar_src)?;
        let en = parse_release("release.en.toml", en_src)?;
        check_same_structure("release.ar.toml", &ar, "release.en.toml", &en)
    }

    #[test]
    fn a_paragraph_missing_in_one_language_fails_naming_it() {
        let (ar, en) = (read("release.ar.toml"), read("release.en.toml"));
        let err = check_pair(&ar, &without_block(&en, "p-forum")).unwrap_err();
        assert!(
            err.contains(
                "paragraph \"p-forum\" is in release.ar.toml but missing from release.en.toml"
            ),
            "{err}"
        );
        let err = check_pair(&without_block(&ar, "quote-khatib"), &en).unwrap_err();
        assert!(
            err.contains(
                "quote \"quote-khatib\" is in release.en.toml but missing from release.ar.toml"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_translators_note_stands_beside_the_english_date_and_never_in_the_original() {
        let (ar, en) = (read("release.ar.toml"), read("release.en.toml"));
        let en = parse_release("release.en.toml", &en).unwrap();
        let briefing = en.blocks.iter().find(|b| b.id == "p-briefing").unwrap();
        let BlockKind::Paragraph(runs) = &briefing.kind else {
            panic!("p-briefing is a paragraph")
        };
        // The note stands right after the date it explains.
        let date = runs
            .iter()
            .position(|r| matches!(r, Inline::Time { datetime, .. } if datetime == "2022-02-10"))
            .expect("the English date");
        let Some(Inline::Note(note)) = runs.get(date + 1) else {
            panic!("a translator's note follows the date: {runs:?}")
        };
        assert!(
            note.contains("11 February") && note.contains("Friday"),
            "{note}"
        );

        let ar_with_note = ar.replacen("2022-02-10}", "2022-02-10}{note:x}", 1);
        let ar = parse_release("release.ar.toml", &ar_with_note).unwrap();
        let err = check_original_has_no_notes("release.ar.toml", &ar).unwrap_err();
        assert!(err.contains("\"p-briefing\""), "{err}");
    }

    #[test]
    fn a_contact_or_link_missing_in_one_language_fails_naming_the_block() {
        let (ar, en) = (read("release.ar.toml"), read("release.en.toml"));
        let en_no_mail = en.replacen("{email:telyan@iom.int}", "telyan@iom.int", 1);
        let err = check_pair(&ar, &en_no_mail).unwrap_err();
        assert!(
            err.contains("block \"p-contact\": e-mail addresses differ"),
            "{err}"
        );
        let en_no_url = en.replacen(
            "({url:https://migrationnetwork.un.org/})",
            "(the website)",
            1,
        );
        let err = check_pair(&ar, &en_no_url).unwrap_err();
        assert!(
            err.contains("block \"p-submissions\": links differ"),
            "{err}"
        );
    }

    #[test]
    fn a_plural_message_needs_every_category_of_its_language() {
        let ar_ok = r#"n = { zero = "0", one = "1", two = "2", few = "{n} ق", many = "{n} م", other = "{n} ك" }"#;
        assert!(parse_ui("ui.ar.toml", "ar", ar_ok).is_ok());
        let ar_short = r#"n = { one = "ثانية", other = "{n} ثانية" }"#;
        let err = parse_ui("ui.ar.toml", "ar", ar_short).unwrap_err();
        assert!(
            err.contains("plural message \"n\" lacks the form(s) zero, two, few, many"),
            "{err}"
        );
        let en_extra = r#"n = { one = "1 second", few = "x", other = "{n} seconds" }"#;
        let err = parse_ui("ui.en.toml", "en", en_extra).unwrap_err();
        assert!(
            err.contains("\"few\", which is not a plural category"),
            "{err}"
        );
        assert!(parse_ui(
            "ui.en.toml",
            "en",
            r#"n = { one = "1 s", other = "{n} s" }"#
        )
        .is_ok());
    }

    #[test]
    fn a_latin_run_in_arabic_interface_text_must_be_isolated() {
        let bare = "hint = \"يبدأ بـ https://\"";
        let err = parse_ui("ui.ar.toml", "ar", bare).unwrap_err();
        assert!(
            err.contains("\"hint\" has a Latin run not isolated"),
            "{err}"
        );
        let isolated = "hint = \"يبدأ بـ\\u2068https://\\u2069 {max}\"";
        assert!(parse_ui("ui.ar.toml", "ar", isolated).is_ok());
        // The real Arabic file passes, and its link hint is isolated.
        let ar = parse_ui("ui.ar.toml", "ar", &read("ui.ar.toml")).unwrap();
        assert!(
            matches!(&ar["link_hint"], UiValue::Text(t) if t.contains("\u{2068}https://\u{2069}"))
        );
    }

    #[test]
    fn a_key_no_code_reads_is_dead() {
        let (ar, _) = load_ui_pair(&content_dir()).unwrap();
        let code = ar.keys().map(|k| format!("t.{k};")).collect::<String>();
        assert_eq!(
            check_keys_used(&ar, &[("src/x.rs".into(), code.clone())]),
            Ok(())
        );
        let without = code.replace("t.discard_draft;", "t.discard_draft_label;");
        let err = check_keys_used(&ar, &[("src/x.rs".into(), without)]).unwrap_err();
        assert!(err.ends_with(": discard_draft"), "{err}");
    }

    #[test]
    fn generated_code_round_trips_the_text() {
        let (ar, _) = load_release_pair(&content_dir()).unwrap();
        let code = generate_release(&ar);
        assert!(code.contains("unmignet@iom.int"));
        assert!(code.starts_with("Release {"));
    }
}

#[cfg(test)]
mod page_head_tests {
    use std::path::PathBuf;

    /// The static head of index.html (what crawlers and link previews read
    /// before any script) must say what the Arabic release's `meta` says.
    #[test]
    fn index_html_head_matches_the_arabic_meta() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let (ar, en) = super::load_release_pair(&root.join("content")).unwrap();
        let index = std::fs::read_to_string(root.join("index.html")).unwrap();
        let attr = |s: &str| s.replace('&', "&amp;").replace('"', "&quot;");
        let title = format!("<title>{}</title>", ar.meta.title);
        assert!(
            index.contains(&title),
            "index.html <title> differs from release.ar.toml"
        );
        for needle in [
            format!(
                "name=\"description\" content=\"{}\"",
                attr(&ar.meta.description)
            ),
            format!("property=\"og:title\" content=\"{}\"", attr(&ar.meta.title)),
            format!(
                "property=\"og:description\" content=\"{}\"",
                attr(&ar.meta.description)
            ),
            format!("property=\"og:locale\" content=\"{}\"", ar.meta.locale),
            format!(
                "property=\"og:locale:alternate\" content=\"{}\"",
                en.meta.locale
            ),
        ] {
            assert!(index.contains(&needle), "index.html lacks {needle}");
        }
        assert!(index.contains("<html lang=\"ar\" dir=\"rtl\">"));
        for lang in ["ar", "en", "x-default"] {
            assert!(
                index.contains(&format!("hreflang=\"{lang}\"")),
                "alternate link for {lang}"
            );
        }
    }
}
