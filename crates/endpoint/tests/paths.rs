//! Real answers for every path (issue 20, item 7), against the real binary:
//! an address no document, file or route has is a 404 page in the language
//! the address names (else the request's), linking home, with no script;
//! `/robots.txt`, `/sitemap.xml` (only with `--public-url`), the icon, and
//! `HEAD` answered as `GET` without a body; `export-site` writes the same
//! robots.txt, sitemap.xml and a 404.html.

mod common;

use common::*;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// A built app's stand-in: the documents at the top and in English, the
/// stylesheets the record and the 404 page inline, the icon.
fn dist(db: &TestDb) -> std::path::PathBuf {
    let dist = db.dir.path().join("dist");
    std::fs::create_dir_all(dist.join("en")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>top</title>").unwrap();
    std::fs::write(
        dist.join("en/index.html"),
        "<!doctype html><title>en</title>",
    )
    .unwrap();
    std::fs::write(
        dist.join("main-0123456789abcdef.css"),
        ".imrf-app{color:red}",
    )
    .unwrap();
    std::fs::write(dist.join("record.css"), ".imrf-record{margin:0}").unwrap();
    std::fs::write(
        dist.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    dist
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(
    server: &Server,
    path: &str,
    accept_language: Option<&str>,
) -> (StatusCode, HeaderMap, String) {
    let mut req = no_redirects().get(server.url(path));
    if let Some(value) = accept_language {
        req = req.header("accept-language", value);
    }
    let resp = req.send().await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.text().await.unwrap())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).map_or("", |v| v.to_str().unwrap())
}

/// The not-found page's words (content/ui.*.toml).
const TITLE: [(&str, &str); 2] = [("ar", "الصفحة غير موجودة"), ("en", "Page not found")];

fn title_of(lang: &str) -> &'static str {
    TITLE.iter().find(|(l, _)| *l == lang).unwrap().1
}

#[tokio::test]
async fn an_unknown_address_is_a_404_page_in_its_language_linking_home() {
    let db = TestDb::new();
    let dist = dist(&db);
    let server = Server::start(&db, &["--static-dir", dist.to_str().unwrap()]);
    for (path, accept, lang, home, negotiated) in [
        ("/en/no-such-page", Some("ar"), "en", "../en/", false),
        ("/ar/a/b", Some("en"), "ar", "../../ar/", false),
        ("/x", Some("en-GB,en;q=0.9"), "en", "en/", true),
        ("/x", None, "ar", "ar/", true),
        ("/x?lang=en", None, "en", "en/", false),
        ("/nothing-here.html", None, "ar", "ar/", true),
        ("/en/submit", None, "en", "../en/", false),
        // An old release's artifact: a 404, never cached for a year.
        ("/main-fedcba9876543210.css", None, "ar", "ar/", true),
        ("/ar/privacy/other", None, "ar", "../../ar/", false),
    ] {
        let (status, headers, body) = get(&server, path, accept).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            header(&headers, "content-type"),
            "text/html; charset=utf-8",
            "{path}"
        );
        assert_eq!(header(&headers, "cache-control"), "no-cache", "{path}");
        let csp = header(&headers, "content-security-policy");
        assert!(
            csp.starts_with("default-src 'none'; style-src 'sha256-") && !csp.contains("script"),
            "{path}: {csp}"
        );
        assert_eq!(header(&headers, "x-frame-options"), "DENY", "{path}");
        assert_eq!(
            header(&headers, "vary").contains("accept-language"),
            negotiated,
            "{path}: {:?}",
            headers.get_all("vary")
        );
        assert!(
            body.starts_with("<!doctype html>\n<html lang="),
            "{path}: {body}"
        );
        assert!(
            body.contains(&format!("<html lang=\"{lang}\"")),
            "{path} in {lang}: {body}"
        );
        assert!(
            body.contains(&format!("<h1>{}</h1>", title_of(lang))),
            "{path}: {body}"
        );
        assert!(
            body.contains(&format!("<p><a href=\"{home}\">")),
            "{path} links {home}: {body}"
        );
        assert!(
            body.contains("<style>.imrf-app{color:red}"),
            "{path}: styled"
        );
        assert!(
            !body.contains("<script") && !body.contains("<!>"),
            "{path}: {body}"
        );
    }
    // What must still be served is.
    for path in [
        "/",
        "/index.html",
        "/en/",
        "/main-0123456789abcdef.css",
        "/favicon.svg",
        "/ar/inputs/",
    ] {
        let (status, _, _) = get(&server, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    // The API's own paths keep their JSON.
    let resp = client()
        .get(server.url("/api/nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    error_pairs(&resp.json().await.unwrap());
    // A path no file can have, or with `..` in it: the same page.
    let long = format!("/en/{}", "a".repeat(300));
    let (status, _, body) = get(&server, &long, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains(title_of("en")), "{body}");
    for path in [
        "/en/..%2f..%2f..%2fetc%2fpasswd",
        "/en/..%5c..%5c..%5cetc%5cpasswd",
        "/en/a%00b",
        "/en/%00",
    ] {
        let (status, _, body) = get(&server, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            body.contains(title_of("en")) && !body.contains("root:"),
            "{path}: {body}"
        );
    }
}

#[tokio::test]
async fn without_a_static_dir_an_unknown_address_is_the_404_page_too() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let (status, headers, body) = get(&server, "/en/no-such-page", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    assert!(
        body.contains("<html lang=\"en\"") && body.contains(title_of("en")),
        "{body}"
    );
    assert!(
        header(&headers, "content-security-policy")
            .starts_with("default-src 'none'; style-src 'none'"),
        "{headers:?}"
    );
    let resp = client()
        .post(server.url("/en/no-such-page"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    error_pairs(&resp.json().await.unwrap());
}

#[tokio::test]
async fn the_icon_is_linked_and_favicon_ico_is_sent_to_it() {
    let db = TestDb::new();
    let dist = dist(&db);
    let server = Server::start(&db, &["--static-dir", dist.to_str().unwrap()]);
    let (status, headers, _) = get(&server, "/favicon.ico", None).await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(header(&headers, "location"), "/favicon.svg");
    let (status, headers, _) = get(&server, "/favicon.svg", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "content-type"), "image/svg+xml");
    for (path, root) in [("/en/x", "../"), ("/ar/inputs/", "../../")] {
        let (_, headers, body) = get(&server, path, None).await;
        assert!(
            body.contains(&format!(
                "<link rel=\"icon\" type=\"image/svg+xml\" href=\"{root}favicon.svg\">"
            )),
            "{path}: {body}"
        );
        // The record's policy lets the page show it.
        assert!(
            header(&headers, "content-security-policy").contains("img-src 'self' data:"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn robots_and_the_sitemap_without_and_with_the_public_address() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let (status, headers, body) = get(&server, "/robots.txt", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        header(&headers, "content-type"),
        "text/plain; charset=utf-8"
    );
    assert_eq!(body, "User-agent: *\nAllow: /\n");
    let (status, _, _) = get(&server, "/sitemap.xml", None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no absolute addresses to give"
    );
    drop(server);

    // One published input, one not.
    let server = Server::start(&db, &["--public-url", "https://forms.example.org/imrf/"]);
    let c = client();
    let mut references = vec![];
    for _ in 0..2 {
        let resp = submit(&c, &server, &valid_body()).await;
        assert_eq!(resp.status(), StatusCode::CREATED);
        let v: serde_json::Value = resp.json().await.unwrap();
        references.push(v["reference"].as_str().unwrap().to_string());
    }
    let out = command()
        .args(["publish", &references[0], "--database-url", &db.url()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, _, body) = get(&server, "/robots.txt", None).await;
    assert_eq!(
        body,
        "User-agent: *\nAllow: /\n\nSitemap: https://forms.example.org/imrf/sitemap.xml\n"
    );
    let (status, headers, xml) = get(&server, "/sitemap.xml", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        header(&headers, "content-type"),
        "application/xml; charset=utf-8"
    );
    assert!(
        xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
             xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">"
        ),
        "{xml}"
    );
    let locs: Vec<&str> = xml
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    let mut want = vec![];
    for path in [
        "/{lang}/".to_string(),
        "/{lang}/privacy/".to_string(),
        "/{lang}/inputs/".to_string(),
        format!("/{{lang}}/inputs/{}", references[0]),
    ] {
        for lang in ["ar", "en"] {
            let path = path.replace("{lang}", lang);
            want.push(format!("https://forms.example.org/imrf{path}"));
        }
    }
    assert_eq!(locs, want, "{xml}");
    // Each names itself and the other language's document.
    assert!(xml.contains(
        "<url><loc>https://forms.example.org/imrf/en/privacy/</loc>\
         <xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"https://forms.example.org/imrf/ar/privacy/\"/>\
         <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://forms.example.org/imrf/en/privacy/\"/></url>"
    ), "{xml}");
    assert!(
        !xml.contains(&references[1]),
        "the unpublished input is not named"
    );
}

/// `HEAD` as `GET`: the same status and headers, no body.
#[tokio::test]
async fn head_answers_as_get_without_a_body() {
    let db = TestDb::new();
    let dist = dist(&db);
    let server = Server::start(&db, &["--static-dir", dist.to_str().unwrap()]);
    let c = no_redirects();
    for path in [
        "/",
        "/en/",
        "/main-0123456789abcdef.css",
        "/favicon.svg",
        "/favicon.ico",
        "/en/no-such-page",
        "/robots.txt",
        "/ar/inputs/",
        "/inputs.csv",
        "/api/health",
        "/api/nothing",
        "/api/submissions",
    ] {
        let g = c.get(server.url(path)).send().await.unwrap();
        let (g_status, g_headers) = (g.status(), g.headers().clone());
        let g_body = g.bytes().await.unwrap();
        let h = c.head(server.url(path)).send().await.unwrap();
        assert_eq!(h.status(), g_status, "{path}");
        for name in [
            "content-type",
            "content-security-policy",
            "cache-control",
            "vary",
            "location",
            "etag",
        ] {
            assert_eq!(
                header(h.headers(), name),
                header(&g_headers, name),
                "{path}: {name}"
            );
        }
        assert_eq!(
            header(h.headers(), "content-length"),
            g_body.len().to_string(),
            "{path}: the length of GET's body"
        );
        assert!(h.bytes().await.unwrap().is_empty(), "{path}: no body");
    }
}

#[tokio::test]
async fn export_site_writes_robots_the_sitemap_and_a_404_page() {
    let db = TestDb::new();
    let dist = dist(&db);
    let server = Server::start(&db, &[]);
    let resp = submit(&client(), &server, &valid_body()).await;
    let reference = resp.json::<serde_json::Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string();
    drop(server);
    let out = command()
        .args(["publish", &reference, "--database-url", &db.url()])
        .output()
        .unwrap();
    assert!(out.status.success());
    for public_url in [None, Some("https://www.example.org/imrf")] {
        let to = db.dir.path().join(format!("site-{}", public_url.is_some()));
        let mut cmd = command();
        cmd.args(["export-site", "--to", to.to_str().unwrap()])
            .args(["--static-dir", dist.to_str().unwrap()])
            .args(["--database-url", &db.url()]);
        if let Some(url) = public_url {
            cmd.args(["--public-url", url]);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let robots = std::fs::read_to_string(to.join("robots.txt")).unwrap();
        let page = std::fs::read_to_string(to.join("404.html")).unwrap();
        assert!(
            page.contains(title_of("ar")) && page.contains("<style>"),
            "{page}"
        );
        match public_url {
            None => {
                assert_eq!(robots, "User-agent: *\nAllow: /\n");
                assert!(!to.join("sitemap.xml").exists());
                assert!(page.contains("<p><a href=\"/ar/\">"), "{page}");
            }
            Some(url) => {
                assert!(
                    robots.ends_with(&format!("Sitemap: {url}/sitemap.xml\n")),
                    "{robots}"
                );
                let xml = std::fs::read_to_string(to.join("sitemap.xml")).unwrap();
                assert!(
                    xml.contains(&format!("<loc>{url}/en/inputs/{reference}/</loc>")),
                    "{xml}"
                );
                assert!(
                    page.contains(&format!("<p><a href=\"{url}/ar/\">")),
                    "{page}"
                );
            }
        }
    }
}
