//! Reads the release and interface text from `content/`, checks that Arabic
//! and English have the same structure, and generates the Rust statics the
//! app compiles in. A mismatch fails the build with a message naming the block.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    // IMRF_CONTENT_DIR builds from another copy of the content (the test
    // script uses it to show that a broken copy fails the build).
    println!("cargo:rerun-if-env-changed=IMRF_CONTENT_DIR");
    let content_dir = std::env::var_os("IMRF_CONTENT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("content"));
    println!("cargo:rerun-if-changed={}", content_dir.display());

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
