//! Puts the country list in each language's reading order at build time.
//!
//! `data/countries.tsv` is in code order. Here ICU4X's collator (CLDR root
//! order with the `ar` and `en` tailorings) sorts the names the way each
//! language's readers expect, and the result is written as two arrays of row
//! indices. The app's WebAssembly carries only those indices, not a collator.
//!
//! Arabic: the article «ال» at the start of a name is ignored (الأرجنتين is
//! filed under أ), and the hamza and madda forms of alef (أ إ آ) sort with ا. English: diacritics count only when
//! the letters are otherwise equal (Åland with A, Côte d’Ivoire before Croatia).

use std::fmt::Write as _;
use std::path::PathBuf;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

/// The name as it is filed: without a leading Arabic definite article, and
/// with alef madda (آ) written as alef. The collator already treats أ and إ
/// as ا at the primary level, but CLDR's Arabic tailoring files آ as a letter
/// of its own before ا, which would put آيرلندا before every other alef name.
fn arabic_sort_key(name: &str) -> String {
    name.strip_prefix("ال")
        .unwrap_or(name)
        .replace('\u{0622}', "\u{0627}")
}

fn order(
    rows: &[(String, String, String)],
    collator: &CollatorBorrowed<'_>,
    key: impl Fn(&(String, String, String)) -> String,
) -> Vec<usize> {
    let keys: Vec<String> = rows.iter().map(key).collect();
    let mut idx: Vec<usize> = (0..rows.len()).collect();
    idx.sort_by(|&a, &b| {
        collator
            .compare(&keys[a], &keys[b])
            .then_with(|| rows[a].0.cmp(&rows[b].0))
    });
    idx
}

fn main() {
    println!("cargo:rerun-if-changed=data/countries.tsv");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let tsv = std::fs::read_to_string(manifest.join("data/countries.tsv"))
        .expect("data/countries.tsv is readable");
    // (code, Arabic name, English name), in file order: the order `all()` parses.
    let rows: Vec<(String, String, String)> = tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 5, "countries.tsv has five columns: {l}");
            (cols[0].into(), cols[3].into(), cols[4].into())
        })
        .collect();
    assert!(rows.len() < usize::from(u16::MAX));
    let ar = Collator::try_new(locale!("ar").into(), CollatorOptions::default())
        .expect("ICU4X has Arabic collation data");
    let en = Collator::try_new(locale!("en").into(), CollatorOptions::default())
        .expect("ICU4X has English collation data");
    let by_ar = order(&rows, &ar, |r| arabic_sort_key(&r.1));
    let by_en = order(&rows, &en, |r| r.2.clone());

    let mut out = String::new();
    for (name, idx) in [("ORDER_AR", by_ar), ("ORDER_EN", by_en)] {
        let list: Vec<String> = idx.iter().map(|i| i.to_string()).collect();
        let _ = writeln!(
            out,
            "pub(crate) static {name}: [u16; {}] = [{}];",
            idx.len(),
            list.join(", ")
        );
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(dest.join("country_order.rs"), out).expect("OUT_DIR is writable");
}
