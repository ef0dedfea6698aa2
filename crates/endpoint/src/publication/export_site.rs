//! `imrf-endpoint export-site --to DIR`: the public site as static files
//! that any web server or CMS can host: the built app as it is (the
//! release and the form), then the public record as the endpoint renders
//! it, every page a folder with its `index.html` (`Layout::Files`, links
//! relative to the site's root, so it works in any folder), the feeds and
//! the open data. A static host cannot filter, so its lists have pages and
//! no filters.

use std::path::Path;

use anyhow::{bail, Context, Result};
use imrf_contract::Lang;
use imrf_release::not_found::not_found_document;
use imrf_release::published::filter::{page_count, ListQuery, PAGE_SIZE};
use imrf_release::published::{
    file_input_path, file_list_path, record_document, Layout, ListPage, PublishedInput, RecordPage,
    Site,
};

use super::crawlers::{
    public_documents, robots_txt, sitemap_xml, Entry, ROBOTS_PATH, SITEMAP_PATH,
};
use super::{counts_of, feed, open_data, shown};
use crate::config::ExportSiteArgs;
use crate::operations::open_existing;
use crate::record_site::find_stylesheet;
use crate::store::RecordFilter;

/// The page a static host answers an address no file has with.
const NOT_FOUND_FILE: &str = "/404.html";

pub async fn run(args: ExportSiteArgs) -> Result<()> {
    if let Some(dir) = &args.static_dir {
        if !dir.join("index.html").is_file() {
            bail!(
                "--static-dir {} has no index.html (build the app first: trunk build --release)",
                dir.display()
            );
        }
    }
    let store = open_existing(&args.db.database_url).await?;
    let rows = store.all_published().await;
    let counts = store.published_counts(&RecordFilter::default()).await;
    store.close().await;
    let (rows, counts) = (rows?, counts_of(counts?));

    std::fs::create_dir_all(&args.to).with_context(|| format!("making {}", args.to.display()))?;
    let mut written = 0usize;
    if let Some(dir) = &args.static_dir {
        written += copy_tree(dir, &args.to)?;
    }
    let stylesheet = args
        .static_dir
        .as_deref()
        .map(find_stylesheet)
        .transpose()?
        .flatten();
    let public_url = args.public_url.as_deref().map(|u| u.trim_end_matches('/'));
    let site = Site {
        stylesheet: stylesheet.as_deref(),
        public_url,
        layout: Layout::Files,
    };
    let items: Vec<PublishedInput> = rows.iter().cloned().map(shown).collect();
    let pages = page_count(counts.total);
    for lang in Lang::ALL {
        for page in 1..=pages {
            let from = usize::try_from((page - 1) * PAGE_SIZE).unwrap_or(usize::MAX);
            let chunk = items.get(from..).unwrap_or(&[]);
            let chunk = &chunk[..chunk.len().min(PAGE_SIZE as usize)];
            let list = ListPage {
                query: ListQuery::parse(""),
                page,
                items: chunk,
                counts: &counts,
                countries: &[],
            };
            let path = file_list_path(lang, page);
            write(
                &args.to,
                &path,
                record_document(lang, &site, &path, &RecordPage::List(list)),
            )?;
            written += 1;
        }
        for input in &items {
            let path = file_input_path(lang, &input.reference);
            write(
                &args.to,
                &path,
                record_document(lang, &site, &path, &RecordPage::Input(input)),
            )?;
            written += 1;
        }
        let feed_path = format!("/{}/inputs/feed.xml", lang.code());
        write(
            &args.to,
            &feed_path,
            feed::feed_xml(lang, public_url, &rows),
        )?;
        written += 1;
    }
    write_bytes(
        &args.to,
        "/inputs.csv",
        &open_data::csv_bytes(rows.clone())?,
    )?;
    // What a crawler reads, and the page a static host answers an unknown
    // address with (`404.html`: GitHub Pages, Netlify, Cloudflare Pages;
    // nginx and Apache with `error_page`/`ErrorDocument`, docs/operations.md).
    write(&args.to, ROBOTS_PATH, robots_txt(public_url))?;
    written += 1;
    match public_url {
        Some(base) => {
            let entries: Vec<Entry> = rows
                .iter()
                .map(|r| Entry {
                    reference: &r.reference,
                    published: &r.published_at,
                })
                .collect();
            let docs = public_documents(Layout::Files, &entries);
            write(&args.to, SITEMAP_PATH, sitemap_xml(base, &docs))?;
            written += 1;
        }
        None => println!(
            "export-site: no --public-url, so no sitemap.xml (it needs absolute addresses)"
        ),
    }
    // Its links from the root (or the public address): a static host
    // serves it at any address.
    let root = public_url.map_or_else(|| "/".to_string(), |base| format!("{base}/"));
    let lang = Lang::default();
    write(
        &args.to,
        NOT_FOUND_FILE,
        not_found_document(lang, &root, stylesheet.as_deref()),
    )?;
    written += 1;
    write_bytes(&args.to, "/inputs.json", &open_data::json_bytes(rows)?)?;
    written += 2;
    println!(
        "export-site: {} published inputs, {written} files written to {}",
        items.len(),
        args.to.display()
    );
    Ok(())
}

/// `path` (a site path: a folder ends with `/`, written as its `index.html`).
fn write(root: &Path, path: &str, text: String) -> Result<()> {
    write_bytes(root, path, text.as_bytes())
}

fn write_bytes(root: &Path, path: &str, bytes: &[u8]) -> Result<()> {
    let relative = path.trim_start_matches('/');
    let file = if relative.ends_with('/') || relative.is_empty() {
        root.join(relative).join("index.html")
    } else {
        root.join(relative)
    };
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("making {}", parent.display()))?;
    }
    std::fs::write(&file, bytes).with_context(|| format!("writing {}", file.display()))
}

/// Copies every file under `from` into `to`; how many.
fn copy_tree(from: &Path, to: &Path) -> Result<usize> {
    let mut copied = 0;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type()?;
        if kind.is_dir() {
            std::fs::create_dir_all(&target)
                .with_context(|| format!("making {}", target.display()))?;
            copied += copy_tree(&source, &target)?;
        } else if kind.is_file() {
            std::fs::copy(&source, &target)
                .with_context(|| format!("copying {}", source.display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}
