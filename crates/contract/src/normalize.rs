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

/// Other invisible controls nobody types on purpose (C0/C1 except tab and
/// newline, which the caller decides about).
fn is_stray_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

fn clean(raw: &str) -> String {
    // Controls go first, so that a control between a letter and its accent
    // cannot keep the pair from composing.
    let without_controls: String = raw
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| !is_explicit_bidi_control(c) && !is_stray_control(c))
        .collect();
    nfc(&without_controls)
}

/// Normalises a one-line field: NFC, controls removed, line breaks and tabs
/// turned into spaces, runs of spaces collapsed, trimmed.
pub fn normalize_line(raw: &str) -> String {
    let cleaned = clean(raw);
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

/// Normalises a multi-line field: NFC, controls removed, `\n` line breaks,
/// trailing spaces on each line removed, surrounding blank lines trimmed.
pub fn normalize_multiline(raw: &str) -> String {
    let cleaned = clean(raw);
    let lines: Vec<&str> = cleaned.split('\n').map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
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
