//! The console's search, as plain text functions (pure): a text folded so
//! that Arabic matches without regard to its diacritics (harakat, tanwin,
//! shadda, sukun, the dagger alef), the tatweel and the forms of alef
//! (أ إ آ ٱ as ا, and ى as ي), and any script without regard to case; and
//! the `LIKE` patterns of a search's words. The store keeps each input's
//! folded text (`store/review.rs`), so both sides are folded the same way.

/// How many words of a search count (the rest are left out).
pub const MAX_WORDS: usize = 5;

/// `text` folded for matching.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' => Some('ي'),
            _ => Some(c),
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The `LIKE ... ESCAPE '\'` patterns of a search: one per word (at most
/// [`MAX_WORDS`]), folded, with `%`, `_` and `\` matched as themselves.
pub fn like_patterns(search: &str) -> Vec<String> {
    search
        .split_whitespace()
        .take(MAX_WORDS)
        .map(|word| {
            let mut p = String::from("%");
            for c in fold(word).chars() {
                if matches!(c, '%' | '_' | '\\') {
                    p.push('\\');
                }
                p.push(c);
            }
            p.push('%');
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_matches_without_diacritics_or_alef_forms() {
        assert_eq!(fold("أَحْمَد"), fold("احمد"));
        assert_eq!(fold("إسلام"), fold("اسلام"));
        assert_eq!(fold("آمال"), fold("امال"));
        assert_eq!(fold("مصطفى"), fold("مصطفي"));
        assert_eq!(fold("العمـــال"), fold("العمال"));
        assert_eq!(fold("Decent WORK"), "decent work");
        assert_ne!(fold("عمل"), fold("علم"));
    }

    #[test]
    fn search_words_are_patterns_with_wildcards_escaped() {
        assert_eq!(like_patterns("  أحمد  Work "), vec!["%احمد%", "%work%"]);
        assert_eq!(like_patterns("100%_a\\b"), vec!["%100\\%\\_a\\\\b%"]);
        assert_eq!(like_patterns("a b c d e f g").len(), MAX_WORDS);
        assert!(like_patterns("   ").is_empty());
    }
}
