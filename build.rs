//! Reads the release and interface text from `content/`, checks that Arabic
//! and English have the same structure, and generates the Rust statics the
//! app compiles in. A mismatch fails the build with a message naming the block.
//!
//! Two more checks keep every word in one home: an interface key no code
//! reads fails the build (dead key), and so does interface text written
//! inline in Rust outside the contract's message table
//! (`imrf_content::inline_words` says how it is recognised).

use std::path::{Path, PathBuf};

/// Where inline interface text is looked for, relative to the workspace root.
const SCANNED: &[&str] = &["src", "crates/contract/src", "crates/endpoint/src"];
/// The one place in Rust where words may be written: the contract's message
/// table (rule messages, shared by the form and the endpoint).
const MESSAGE_TABLES: &[&str] = &["crates/contract/src/messages.rs"];

/// Every `.rs` file under `dir`, as (path relative to `root`, source).
fn rust_sources(root: &Path, dir: &str, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            rust_sources(root, &rel, out);
        } else if rel.ends_with(".rs") {
            if let Ok(source) = std::fs::read_to_string(&path) {
                out.push((rel, source));
            }
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    // IMRF_CONTENT_DIR builds from another copy of the content (the test
    // script uses it to show that a broken copy fails the build).
    println!("cargo:rerun-if-env-changed=IMRF_CONTENT_DIR");
    let content_dir = std::env::var_os("IMRF_CONTENT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("content"));
    println!("cargo:rerun-if-changed={}", content_dir.display());
    for dir in SCANNED {
        println!("cargo:rerun-if-changed={dir}");
    }

    let fail = |message: String| -> ! {
        // `cargo:warning` shows in the summary; the panic fails the build.
        for line in message.lines() {
            println!("cargo:warning={line}");
        }
        panic!("content check failed:\n{message}");
    };
    let (ar, en) = imrf_content::build::load_release_pair(&content_dir).unwrap_or_else(|e| fail(e));
    let (ui_ar, ui_en) =
        imrf_content::build::load_ui_pair(&content_dir).unwrap_or_else(|e| fail(e));

    let mut sources = Vec::new();
    for dir in SCANNED {
        rust_sources(&manifest, dir, &mut sources);
    }
    let app_sources: Vec<(String, String)> = sources
        .iter()
        .filter(|(path, _)| path.starts_with("src/"))
        .cloned()
        .collect();
    imrf_content::build::check_keys_used(&ui_ar, &app_sources).unwrap_or_else(|e| fail(e));
    // A module file named `tests.rs` is a test module (`#[cfg(test)] mod tests;`):
    // its sample text is test data, not interface text.
    sources.retain(|(path, _)| {
        !MESSAGE_TABLES.contains(&path.as_str()) && !path.ends_with("/tests.rs")
    });
    imrf_content::inline_words::check(&sources).unwrap_or_else(|e| fail(e));

    let code = format!(
        "pub static RELEASE_AR: Release = {};\npub static RELEASE_EN: Release = {};\n{}",
        imrf_content::build::generate_release(&ar),
        imrf_content::build::generate_release(&en),
        imrf_content::build::generate_ui(&ui_ar, &ui_en),
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("content.rs");
    std::fs::write(&out, code)
        .unwrap_or_else(|e| fail(format!("cannot write {}: {e}", out.display())));
}
