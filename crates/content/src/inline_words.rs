//! The build's guard for "every word lives in `content/` or the contract's
//! message table": it reads Rust source files and reports each string
//! literal that is interface text written inline.
//!
//! How it works: a small lexer walks the source (skipping `//` and `/* */`
//! comments, char literals and lifetimes; reading "…", r"…", r#"…"# and b"…"
//! literals) up to the first `#[cfg(test)]` line (tests may hold sample
//! text). A literal is reported when
//!
//! - it contains an Arabic letter (U+0621–U+064A): every visible word has an
//!   Arabic twin, so inline Arabic marks inline interface text; or
//! - it is the value of an English arm (`Lang::En => "…"`,
//!   `(…, Lang::En) => "…"`, also inside `{ }`) and reads as words (has a
//!   space or a capital letter), which catches the English half of a
//!   bilingual `match` even when the Arabic half was moved.
//!
//! Language codes (`Lang::En => "en"`) pass. The app's `build.rs` runs it over
//! `src/` and `crates/contract/src/` with the contract's `messages.rs`
//! allowed, and fails the build naming file, line and text.

/// One inline interface string: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: usize,
    pub text: String,
    pub why: &'static str,
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c)
}

/// Whether the code just before a literal is the arrow of an English arm.
fn after_english_arm(before: &str) -> bool {
    let t = before.trim_end();
    let t = t.strip_suffix('{').unwrap_or(t).trim_end();
    let Some(t) = t.strip_suffix("=>") else {
        return false;
    };
    let t = t.trim_end();
    t.ends_with("Lang::En") || t.ends_with("Lang::En)")
}

fn reads_as_words(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_alphabetic())
        && (text.contains(' ') || text.chars().any(|c| c.is_ascii_uppercase()))
}

/// Every string literal of `source` (before its tests), with its line and
/// the code before it.
fn literals(source: &str) -> Vec<(usize, usize, String)> {
    let end = source
        .lines()
        .scan(0usize, |offset, line| {
            let here = *offset;
            *offset += line.len() + 1;
            Some((here, line))
        })
        .find(|(_, line)| line.trim_start().starts_with("#[cfg(test)]"))
        .map_or(source.len(), |(at, _)| at);
    let b = &source.as_bytes()[..end];
    let mut out = Vec::new();
    let mut i = 0;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{..}', 'ب') or a lifetime ('a).
                if b.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                } else {
                    let ch_len = source[i + 1..].chars().next().map_or(1, char::len_utf8);
                    if b.get(i + 1 + ch_len) == Some(&b'\'') {
                        i += 2 + ch_len;
                    } else {
                        i += 1;
                    }
                }
            }
            b'r' if (i == 0 || !ident(b[i - 1]))
                && matches!(b.get(i + 1), Some(b'"') | Some(b'#')) =>
            {
                let mut j = i + 1;
                while b.get(j) == Some(&b'#') {
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let hashes = j - i - 1;
                let close = format!("\"{}", "#".repeat(hashes));
                let start = j + 1;
                let stop = source[start..end].find(&close).map_or(end, |k| start + k);
                out.push((i, start, source[start..stop].to_string()));
                i = stop + close.len();
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let stop = j.min(end);
                out.push((i, start, source[start..stop].to_string()));
                i = stop + 1;
            }
            _ => i += 1,
        }
    }
    out.into_iter()
        .map(|(quote, start, text)| {
            let line = source[..start].matches('\n').count() + 1;
            (line, quote, text)
        })
        .collect()
}

/// The inline interface strings of one Rust source file.
pub fn find(source: &str) -> Vec<Finding> {
    literals(source)
        .into_iter()
        .filter_map(|(line, quote, text)| {
            let why = if text.chars().any(is_arabic_letter) {
                "Arabic text"
            } else if after_english_arm(&source[..quote]) && reads_as_words(&text) {
                "English text in a Lang::En arm"
            } else {
                return None;
            };
            Some(Finding { line, text, why })
        })
        .collect()
}

/// Runs [`find`] over `(path, source)` pairs and words the failure.
pub fn check(files: &[(String, String)]) -> Result<(), String> {
    let problems: Vec<String> = files
        .iter()
        .flat_map(|(path, source)| {
            find(source)
                .into_iter()
                .map(move |f| format!("{path}:{}: {} {:?}", f.line, f.why, f.text))
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "interface text written inline in Rust (move it to content/ui.*.toml, or for rule messages to crates/contract/src/messages.rs, and reach it by key):\n  - {}",
            problems.join("\n  - ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_arabic_and_english_arms_but_not_codes_comments_or_tests() {
        let source = r##"
// A comment in Arabic: مرحبا "not a literal"
fn label(lang: Lang) -> &'static str {
    let _c = 'ب';
    let _l: &'a str = "plain";
    match lang {
        Lang::Ar => "المنظمة",
        Lang::En => "Organization",
    }
}
fn code(lang: Lang) -> &'static str {
    match lang { Lang::Ar => "ar", Lang::En => "en" }
}
fn pair(g: G, lang: Lang) -> &'static str {
    match (g, lang) {
        (G::A, Lang::En) => {
            "Other stakeholders"
        }
        _ => r#"raw "quoted" شبكة"#,
    }
}
#[cfg(test)]
mod tests { const SAMPLE: &str = "سارة"; }
"##;
        let found: Vec<(usize, String)> =
            find(source).into_iter().map(|f| (f.line, f.text)).collect();
        assert_eq!(
            found,
            [
                (7, "المنظمة".to_string()),
                (8, "Organization".to_string()),
                (17, "Other stakeholders".to_string()),
                (19, "raw \"quoted\" شبكة".to_string()),
            ]
        );
        let err = check(&[("src/x.rs".into(), source.into())]).unwrap_err();
        assert!(err.contains("src/x.rs:7: Arabic text"), "{err}");
    }

    #[test]
    fn clean_code_passes() {
        let source = "fn f(l: Lang) -> &'static str { match l { Lang::Ar => ui(l).submit, Lang::En => \"en\" } }";
        assert_eq!(check(&[("a.rs".into(), source.into())]), Ok(()));
    }
}
