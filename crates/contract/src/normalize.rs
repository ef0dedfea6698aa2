//! Text clean-up applied before validation, identically in the form and the endpoint.

/// Unicode Normalization Form C.
#[cfg(not(target_arch = "wasm32"))]
fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect()
}

/// Unicode Normalization Form C, by the browser's engine (see Cargo.toml).
#[cfg(target_arch = "wasm32")]
fn nfc(s: &str) -> String {
    js_sys::JsString::from(s).normalize("NFC").into()
}

/// Explicit bidi embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO,
/// LRI, RLI, FSI, PDI). They can make published text read differently from
/// what was typed ("Trojan Source"-style spoofing), so they are removed.
/// The implicit marks LRM, RLM and ALM stay: word processors insert them in
/// ordinary Arabic text and they cannot reorder anything beyond a neutral.
fn is_explicit_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The implicit direction marks LRM, RLM and ALM (kept in text).
fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// ZWNJ and ZWJ: Persian and Arabic words and emoji sequences need them
/// between two visible characters; anywhere else they are only hiding.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Variation selectors (emoji and text presentation, ideographic variants):
/// meaningful only right after the character they select a form of.
fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Tag characters: only meaningful inside an emoji flag tag sequence.
fn is_tag(c: char) -> bool {
    matches!(c, '\u{E0000}'..='\u{E007F}')
}

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, 15.1):
/// characters that render as nothing.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Characters that show nothing on their own: white space, controls,
/// default-ignorables and blank-looking letters (Braille blank, Hangul fillers).
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace() || c.is_control() || is_default_ignorable(c) || c == '\u{2800}'
}

/// Whether the text has at least one character a reader can see.
pub fn has_visible(s: &str) -> bool {
    s.chars().any(|c| !is_invisible(c))
}

/// Line breaks of every kind (CR LF, CR, VT, FF, NEL, the information
/// separators, U+2028, U+2029) become `\n`, and the Braille blank a space, so
/// that no separator is lost (words stay apart) and the JSON Lines export
/// keeps one record per line. Other controls and the default-ignorables that
/// carry no meaning in Arabic or English text are removed.
fn strip(raw: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\u{001C}'..='\u{001F}' | '\u{2800}' => out.push(' '),
            '\t' => out.push('\t'),
            c if is_direction_mark(c) || is_joiner(c) || is_variation_selector(c) || is_tag(c) => {
                out.push(c)
            }
            c if c.is_control() || is_explicit_bidi_control(c) || is_default_ignorable(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A character a joiner or selector may attach to.
fn is_base(c: char) -> bool {
    !is_invisible(c)
}

/// Keeps ZWJ/ZWNJ runs only between two visible characters, variation
/// selectors only after a visible character (or another kept selector or
/// joiner-joined sequence), and tag characters only in a complete emoji tag
/// sequence (U+1F3F4, tags, U+E007F: the flags of England, Scotland, Wales).
fn keep_attached(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_joiner(c) {
            let end = chars[i..]
                .iter()
                .position(|&d| !is_joiner(d))
                .map_or(chars.len(), |n| i + n);
            let before = out.chars().next_back().is_some_and(is_base_or_selector);
            let after = chars.get(end).is_some_and(|&d| is_base(d));
            if before && after {
                out.extend(&chars[i..end]);
            }
            i = end;
        } else if is_variation_selector(c) {
            if out.chars().next_back().is_some_and(is_base_or_selector) {
                out.push(c);
            }
            i += 1;
        } else if is_tag(c) {
            i += 1;
        } else if c == '\u{1F3F4}' {
            out.push(c);
            let run = chars[i + 1..]
                .iter()
                .position(|&d| !is_tag(d))
                .map_or(chars.len() - i - 1, |n| n);
            let tags = &chars[i + 1..i + 1 + run];
            let complete = tags.len() >= 2
                && tags.last() == Some(&'\u{E007F}')
                && tags[..tags.len() - 1]
                    .iter()
                    .all(|&t| matches!(t, '\u{E0020}'..='\u{E007E}'));
            if complete {
                out.extend(tags);
            }
            i += 1 + run;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_base_or_selector(c: char) -> bool {
    is_base(c) || is_variation_selector(c) || is_tag(c)
}

fn clean(raw: &str) -> String {
    // Controls and ignorables go first, so that one between a letter and its
    // accent cannot keep the pair from composing.
    nfc(&keep_attached(&strip(raw)))
}

/// Normalises a one-line field: NFC, controls and invisible characters
/// removed, line breaks and tabs turned into spaces, runs of spaces
/// collapsed, trimmed. A value with no visible character becomes empty.
pub fn normalize_line(raw: &str) -> String {
    let cleaned = clean(raw);
    if !has_visible(&cleaned) {
        return String::new();
    }
    let mut out = String::with_capacity(cleaned.len());
    let mut pending_space = false;
    for c in cleaned.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Normalises a multi-line field: NFC, controls and invisible characters
/// removed, `\n` line breaks, trailing spaces on each line removed,
/// surrounding blank lines trimmed. A value with no visible character becomes empty.
pub fn normalize_multiline(raw: &str) -> String {
    let cleaned = clean(raw);
    if !has_visible(&cleaned) {
        return String::new();
    }
    let lines: Vec<&str> = cleaned.split('\n').map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// Normalises a machine-read value (an e-mail address, a link): NFC, and
/// white space and invisible characters trimmed at both ends (they come with
/// copying and pasting). Nothing inside is removed: an invisible character
/// inside makes a different address that looks the same, so the rules refuse it.
pub fn normalize_token(raw: &str) -> String {
    nfc(raw.trim_matches(is_invisible))
}

/// Whether a machine-read value holds a character that cannot be seen or
/// that changes how the rest reads (spaces, controls, ignorables, bidi marks).
pub fn has_hidden_character(s: &str) -> bool {
    s.chars().any(is_invisible)
}

/// Maps Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits to ASCII digits,
/// so that a visitor on an Arabic keyboard can type digits where digits are machine-read.
pub fn fold_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            _ => c,
        })
        .collect()
}
