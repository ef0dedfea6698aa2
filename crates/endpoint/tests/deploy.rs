//! Deployment over HTTP against the real binary: public files for any
//! origin while the API keeps its list (or is opened by the explicit
//! option), the endpoint URL set at start in every document (plain and
//! compressed), the security headers, the metrics, and the systemd unit.

mod common;
mod hostile;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;
use hostile::record;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const LISTED: &str = "https://listed.example";
const UNLISTED: &str = "https://unlisted.example";
const API_HOST: &str = "https://api.example.org";

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(data).unwrap();
    }
    out
}

/// A built app as the endpoint sees it: the repository's index.html and
/// embed.html and the widget.js template, each with precompressed copies of
/// the built text (which a configured server must not serve).
fn fixture_dist(db: &TestDb) -> PathBuf {
    let dist = db.dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    for (from, name) in [
        ("index.html", "index.html"),
        ("embed.html", "embed.html"),
        ("web/widget.js", "widget.js"),
    ] {
        let data = std::fs::read(Path::new(ROOT).join(from)).unwrap();
        std::fs::write(dist.join(name), &data).unwrap();
        std::fs::write(dist.join(format!("{name}.gz")), gzip(&data)).unwrap();
        std::fs::write(dist.join(format!("{name}.br")), brotli(&data)).unwrap();
    }
    std::fs::write(dist.join("main-0123456789abcdef.css"), "body{}").unwrap();
    dist
}

/// A client that neither adds nor undoes a Content-Encoding.
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// GETs `path` accepting `encoding`; returns the headers and the decoded text.
async fn fetch(server: &Server, path: &str, encoding: &str) -> (HeaderMap, String) {
    let resp = raw_client()
        .get(server.url(path))
        .header("accept-encoding", encoding)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    let headers = resp.headers().clone();
    let body = resp.bytes().await.unwrap();
    let used = headers
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_string());
    let mut text = String::new();
    match used.as_deref() {
        None => text = String::from_utf8(body.to_vec()).unwrap(),
        Some("gzip") => {
            flate2::read::GzDecoder::new(&body[..])
                .read_to_string(&mut text)
                .unwrap();
        }
        Some("br") => {
            brotli::Decompressor::new(&body[..], 4096)
                .read_to_string(&mut text)
                .unwrap();
        }
        Some(other) => panic!("unexpected content-encoding {other}"),
    }
    if encoding != "identity" {
        assert_eq!(
            used.as_deref(),
            Some(encoding),
            "{path} not sent as {encoding}"
        );
    }
    (headers, text)
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
}

/// The sources of one directive of a policy.
fn directive(csp: &str, name: &str) -> Vec<String> {
    csp.split(';')
        .map(str::trim)
        .find(|d| d.split_whitespace().next() == Some(name))
        .map(|d| d.split_whitespace().skip(1).map(String::from).collect())
        .unwrap_or_default()
}

/// The content of the meta CSP and of `<meta name="imrf-endpoint">`.
fn meta(html: &str, anchor: &str) -> String {
    let at = html.find(anchor).unwrap_or_else(|| panic!("no {anchor}"));
    let rest = &html[at..];
    let start = rest.find("content=\"").unwrap() + "content=\"".len();
    let end = start + rest[start..].find('"').unwrap();
    rest[start..end].to_string()
}

/// Files come to any origin; the API answers only listed origins (or, with
/// the explicit option, any); a submission from an unlisted page still
/// reaches the API (it is public) but its answer is not readable there.
#[tokio::test]
async fn public_files_serve_any_origin_and_the_api_keeps_its_list() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = Server::start(
        &db,
        &[
            "--static-dir",
            dist.to_str().unwrap(),
            "--cors-origin",
            LISTED,
        ],
    );
    let c = client();
    for path in [
        "/widget.js",
        "/embed.html",
        "/main-0123456789abcdef.css",
        "/",
    ] {
        let resp = c
            .get(server.url(path))
            .header("origin", UNLISTED)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        let h = resp.headers();
        assert_eq!(header(h, "access-control-allow-origin"), "*", "{path}");
        assert_eq!(
            header(h, "cross-origin-resource-policy"),
            "cross-origin",
            "{path}"
        );
    }
    let preflight = |origin: &'static str| {
        c.request(reqwest::Method::OPTIONS, server.url("/api/submissions"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,idempotency-key",
            )
            .send()
    };
    let listed = preflight(LISTED).await.unwrap();
    assert_eq!(
        header(listed.headers(), "access-control-allow-origin"),
        LISTED
    );
    let unlisted = preflight(UNLISTED).await.unwrap();
    assert_eq!(
        header(unlisted.headers(), "access-control-allow-origin"),
        ""
    );

    let body = valid_body();
    let resp = c
        .post(server.url("/api/submissions"))
        .header("origin", UNLISTED)
        .header("Idempotency-Key", key_of(&body))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(header(resp.headers(), "access-control-allow-origin"), "");

    // The explicit option opens the API's answers to every origin.
    let open_db = TestDb::new();
    let open = Server::start(&open_db, &["--cors-allow-any-origin"]);
    let resp = c
        .request(reqwest::Method::OPTIONS, open.url("/api/submissions"))
        .header("origin", UNLISTED)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(header(resp.headers(), "access-control-allow-origin"), "*");
    let body = valid_body();
    let resp = c
        .post(open.url("/api/submissions"))
        .header("origin", UNLISTED)
        .header("Idempotency-Key", key_of(&body))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(header(resp.headers(), "access-control-allow-origin"), "*");
    assert_eq!(count_rows(&open_db.path()).await, 1);
}

/// The shipped `deploy/imrf-endpoint.env`, as the service reads it (only
/// the address, the database and the static folder given here): a page on
/// any site may read the API's answers (the partner's two lines send) and
/// frame embed.html (the iframe snippet shows); the form posted without
/// JavaScript stays this site's (issue 27's case 12); the main page is
/// framed by none.
#[tokio::test]
async fn the_shipped_configuration_lets_any_site_embed() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let env = Path::new(ROOT).join("deploy/imrf-endpoint.env");
    let server = Server::start(
        &db,
        &[
            "--config",
            env.to_str().unwrap(),
            "--static-dir",
            dist.to_str().unwrap(),
        ],
    );
    let c = client();
    let pre = c
        .request(reqwest::Method::OPTIONS, server.url("/api/submissions"))
        .header("origin", UNLISTED)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(header(pre.headers(), "access-control-allow-origin"), "*");
    let body = valid_body();
    let resp = c
        .post(server.url("/api/submissions"))
        .header("origin", UNLISTED)
        .header("Idempotency-Key", key_of(&body))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(header(resp.headers(), "access-control-allow-origin"), "*");
    assert_eq!(count_rows(&db.path()).await, 1);

    for path in ["/embed.html", "/embed.html?lang=en&view=full"] {
        let embed = c.get(server.url(path)).send().await.unwrap();
        let h = embed.headers();
        assert_eq!(
            directive(header(h, "content-security-policy"), "frame-ancestors"),
            ["*"],
            "{path}"
        );
        assert_eq!(header(h, "x-frame-options"), "", "{path}");
        // Readable by imrf-frame-host.js on the partner's page.
        assert_eq!(header(h, "access-control-allow-origin"), "*");
        assert!(header(h, "access-control-expose-headers")
            .to_ascii_lowercase()
            .contains("content-security-policy"));
    }
    let page = c.get(server.url("/")).send().await.unwrap();
    assert_eq!(
        directive(
            header(page.headers(), "content-security-policy"),
            "frame-ancestors"
        ),
        ["'none'"]
    );

    let form = c
        .post(server.url("/api/submissions"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", UNLISTED)
        .header("sec-fetch-site", "cross-site")
        .body("name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::FORBIDDEN);
    assert_eq!(count_rows(&db.path()).await, 1);

    // A list, once given, is the only one: an unlisted page may neither
    // read the answers nor frame embed.html.
    let db2 = TestDb::new();
    let dist2 = fixture_dist(&db2);
    let listed = Server::start(
        &db2,
        &[
            "--config",
            env.to_str().unwrap(),
            "--static-dir",
            dist2.to_str().unwrap(),
            "--cors-origin",
            LISTED,
        ],
    );
    let embed = c.get(listed.url("/embed.html")).send().await.unwrap();
    assert_eq!(
        directive(
            header(embed.headers(), "content-security-policy"),
            "frame-ancestors"
        ),
        ["'self'", LISTED]
    );
    let pre = c
        .request(reqwest::Method::OPTIONS, listed.url("/api/submissions"))
        .header("origin", UNLISTED)
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(header(pre.headers(), "access-control-allow-origin"), "");
}

/// `--endpoint-url` at start: index.html, embed.html and widget.js name it, plain, gzip and brotli alike;
/// the meta CSP and the header CSP allow its origin for connect-src and
/// form-action. Without the option the built files are served as they are.
#[tokio::test]
async fn endpoint_url_is_set_at_start_in_every_document_and_encoding() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let url = format!("{API_HOST}/api/submissions");
    let server = Server::start(
        &db,
        &[
            "--static-dir",
            dist.to_str().unwrap(),
            "--endpoint-url",
            &url,
        ],
    );
    for encoding in ["identity", "gzip", "br"] {
        for path in ["/", "/index.html"] {
            let (h, html) = fetch(&server, path, encoding).await;
            assert_eq!(
                meta(&html, "name=\"imrf-endpoint\""),
                url,
                "{path} {encoding}"
            );
            let page_csp = meta(&html, "http-equiv=\"Content-Security-Policy\"");
            let header_csp = header(&h, "content-security-policy");
            for csp in [page_csp.as_str(), header_csp] {
                for d in ["connect-src", "form-action"] {
                    let sources = directive(csp, d);
                    assert!(
                        sources.contains(&API_HOST.to_string()),
                        "{path} {encoding} {d}: {csp}"
                    );
                    assert!(sources.contains(&"'self'".to_string()), "{csp}");
                }
            }
        }
        let (h, embed) = fetch(&server, "/embed.html", encoding).await;
        let csp = meta(&embed, "http-equiv=\"Content-Security-Policy\"");
        assert!(
            directive(&csp, "connect-src").contains(&API_HOST.to_string()),
            "{csp}"
        );
        assert!(
            directive(header(&h, "content-security-policy"), "connect-src")
                .contains(&API_HOST.to_string())
        );
        let (_, js) = fetch(&server, "/widget.js", encoding).await;
        assert!(
            js.contains(&format!("const DEFAULT_ENDPOINT = \"{url}\";")),
            "widget.js {encoding}"
        );
    }

    // The same files without the option: as built (the precompressed copy).
    let plain_db = TestDb::new();
    let plain = Server::start(&plain_db, &["--static-dir", dist.to_str().unwrap()]);
    let (h, html) = fetch(&plain, "/", "br").await;
    assert_eq!(meta(&html, "name=\"imrf-endpoint\""), "/api/submissions");
    assert_eq!(
        directive(header(&h, "content-security-policy"), "connect-src"),
        ["'self'"]
    );
}

/// An endpoint URL that could break out of an attribute, a string or the
/// policy stops the server at start, with a message.
#[test]
fn a_bad_endpoint_url_stops_the_start() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    for bad in [
        "https://a.example/x\"><script>",
        "https://a.example; script-src *",
        "ftp://a.example/x",
        // Issue 27, case 14: a browser drops such a CSP source, and the
        // form is then blocked.
        "https://a.example:/x",
        "https://a.example:99999/x",
        "https://a.example:0/x",
        "https://a.example:8o/x",
        "https://%61.example/x",
        "https://a%2eexample/x",
    ] {
        let mut child = command()
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                &db.url(),
            ])
            .args([
                "--static-dir",
                dist.to_str().unwrap(),
                "--endpoint-url",
                bad,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("the server started with --endpoint-url {bad:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(!status.success());
        assert!(err.contains("--endpoint-url"), "{bad}: {err}");
        if bad.contains(':') && bad.matches(':').count() > 1 || bad.contains('%') {
            record(
                "Operations",
                &format!("`serve --endpoint-url {bad}`"),
                "refused at start, naming `--endpoint-url`",
            );
        }
    }
}

/// The security headers, per kind of answer (docs/operations.md lists them
/// against OWASP's): the page may not be framed, embed.html only by the
/// partners, API answers carry their own CSP; HSTS only when asked.
#[tokio::test]
async fn security_headers_per_kind_of_answer() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = Server::start(
        &db,
        &[
            "--static-dir",
            dist.to_str().unwrap(),
            "--cors-origin",
            LISTED,
            "--frame-ancestor",
            "https://framer.example",
        ],
    );
    let c = client();
    let get = |path: &str| c.get(server.url(path)).send();

    let page = get("/").await.unwrap();
    let h = page.headers();
    assert_eq!(
        directive(header(h, "content-security-policy"), "frame-ancestors"),
        ["'none'"]
    );
    assert_eq!(header(h, "x-frame-options"), "DENY");
    assert_eq!(header(h, "cross-origin-opener-policy"), "same-origin");
    assert_eq!(header(h, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(h, "referrer-policy"),
        "strict-origin-when-cross-origin"
    );
    assert_eq!(header(h, "x-permitted-cross-domain-policies"), "none");
    let pp = header(h, "permissions-policy");
    for feature in ["camera=()", "microphone=()", "geolocation=()"] {
        assert!(pp.contains(feature), "{pp}");
    }
    assert_eq!(header(h, "strict-transport-security"), "");

    let embed = get("/embed.html").await.unwrap();
    let h = embed.headers();
    assert_eq!(
        directive(header(h, "content-security-policy"), "frame-ancestors"),
        ["'self'", LISTED, "https://framer.example"]
    );
    assert_eq!(
        header(h, "x-frame-options"),
        "",
        "embed.html must be frameable"
    );

    let js = get("/widget.js").await.unwrap();
    assert_eq!(
        header(js.headers(), "x-permitted-cross-domain-policies"),
        "none"
    );
    assert_eq!(header(js.headers(), "x-frame-options"), "");

    for path in ["/api/health", "/api/nothing-here", "/api/metrics"] {
        let api = get(path).await.unwrap();
        let h = api.headers();
        assert_eq!(
            header(h, "content-security-policy"),
            "default-src 'none'; frame-ancestors 'none'",
            "{path}"
        );
        assert_eq!(header(h, "x-frame-options"), "DENY", "{path}");
        assert_eq!(
            header(h, "cross-origin-resource-policy"),
            "same-origin",
            "{path}"
        );
        assert_eq!(header(h, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(h, "cache-control"), "no-store", "{path}");
    }

    let tls_db = TestDb::new();
    let tls = Server::start(
        &tls_db,
        &[
            "--static-dir",
            dist.to_str().unwrap(),
            "--hsts-max-age",
            "31536000",
        ],
    );
    for path in ["/", "/api/health"] {
        let resp = c.get(tls.url(path)).send().await.unwrap();
        assert_eq!(
            header(resp.headers(), "strict-transport-security"),
            "max-age=31536000",
            "{path}"
        );
    }
}

/// Whether a `Vary` header names `Accept-Encoding`.
fn varies_by_encoding(h: &HeaderMap) -> bool {
    h.get_all("vary").iter().any(|v| {
        v.to_str()
            .unwrap()
            .split(',')
            .any(|n| n.trim().eq_ignore_ascii_case("accept-encoding"))
    })
}

/// Issue 27, case 1: every public file can be answered in another encoding
/// (its `.br`/`.gz` copy, or compressed on the fly), so every answer says
/// `Vary: Accept-Encoding`, the hashed files cached for a year included:
/// otherwise a shared cache hands brotli to a client that cannot read it.
#[tokio::test]
async fn every_encoding_of_a_public_file_says_vary_accept_encoding() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let big = "x".repeat(4096);
    for name in [
        "imrf-release-0123456789abcdef_bg.wasm",
        "imrf-release-0123456789abcdef.js",
        "main-fedcba9876543210.css",
        // Under the size the compression layer bothers with.
        "tiny-0123456789abcdef.css",
    ] {
        let data = if name.starts_with("tiny") {
            "a{}".to_string()
        } else {
            big.clone()
        };
        std::fs::write(dist.join(name), &data).unwrap();
        std::fs::write(dist.join(format!("{name}.gz")), gzip(data.as_bytes())).unwrap();
        std::fs::write(dist.join(format!("{name}.br")), brotli(data.as_bytes())).unwrap();
    }
    let server = Server::start(&db, &["--static-dir", dist.to_str().unwrap()]);
    for path in [
        "/imrf-release-0123456789abcdef_bg.wasm",
        "/imrf-release-0123456789abcdef.js",
        "/main-fedcba9876543210.css",
        "/tiny-0123456789abcdef.css",
        "/",
        "/embed.html",
        "/widget.js",
    ] {
        for encoding in ["br", "gzip", "identity"] {
            let (h, _) = fetch(&server, path, encoding).await;
            assert!(
                varies_by_encoding(&h),
                "{path} as {encoding}: no Vary: Accept-Encoding in {h:?}"
            );
        }
    }
    let (h, _) = fetch(&server, "/imrf-release-0123456789abcdef_bg.wasm", "br").await;
    assert_eq!(
        header(&h, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    record(
        "Static files",
        "a hashed file's `.br`/`.gz` copy (cached a year), a tiny file, the documents, each as br, gzip and identity",
        "`Vary: Accept-Encoding` on every answer",
    );
}

/// A document whose text says which file it is, with the meta and the
/// form a configured server rewrites, and an empty `shown_at`.
fn marked_document(name: &str) -> String {
    format!(
        "<!doctype html><html><head><meta name=\"imrf-endpoint\" content=\"/api/submissions\" />\
         <title>{name}</title></head><body><!--imrf-app--><form method=\"post\" action=\"/api/submissions\">\
         <input type=\"hidden\" name=\"shown_at\" value=\"\"></form><!--/imrf-app--></body></html>"
    )
}

/// Issue 27, case 2: no spelling of a path reaches a document's file on
/// disk (which names the built endpoint and carries no `shown_at`): an
/// unknown `*.html`, percent-encoded names, doubled slashes, `.` segments
/// and the `.br`/`.gz` copies are each the configured document or a 404
/// (the not-found page, issue 20; before, an unknown path was index.html).
#[tokio::test]
async fn no_spelling_of_a_path_reaches_a_document_on_disk() {
    let db = TestDb::new();
    let dist = db.dir.path().join("dist");
    for dir in ["", "ar", "en"] {
        std::fs::create_dir_all(dist.join(dir)).unwrap();
    }
    for name in [
        "index.html",
        "ar/index.html",
        "en/index.html",
        "embed.html",
        "en/embed.html",
    ] {
        let data = marked_document(name);
        std::fs::write(dist.join(name), &data).unwrap();
        std::fs::write(dist.join(format!("{name}.gz")), gzip(data.as_bytes())).unwrap();
        std::fs::write(dist.join(format!("{name}.br")), brotli(data.as_bytes())).unwrap();
    }
    let js = std::fs::read(Path::new(ROOT).join("web/widget.js")).unwrap();
    std::fs::write(dist.join("widget.js"), &js).unwrap();
    std::fs::write(dist.join("widget.js.br"), brotli(&js)).unwrap();
    let url = format!("{API_HOST}/api/submissions");
    let server = Server::start(
        &db,
        &[
            "--static-dir",
            dist.to_str().unwrap(),
            "--endpoint-url",
            &url,
        ],
    );
    let c = raw_client();
    for (path, document) in [
        ("/nothing-here.html", None),
        ("/en/nothing-here.html", None),
        ("/some/page", None),
        ("/%65n/index.html", Some("en/index.html")),
        ("/%65n/", Some("en/index.html")),
        ("/en%2Findex.html", Some("en/index.html")),
        ("/%69ndex.html", Some("index.html")),
        ("//en/", Some("en/index.html")),
        ("//en//index.html", Some("en/index.html")),
        ("/en/./index.html", Some("en/index.html")),
        ("/./embed.html", Some("embed.html")),
        ("/en/%65mbed.html", Some("en/embed.html")),
        ("/index.html.br", None),
        ("/en/index.html.gz", None),
        ("/%77idget.js", Some("widget.js")),
        ("/widget.js.br", None),
    ] {
        for encoding in ["br", "gzip", "identity"] {
            let resp = c
                .get(server.url(path))
                .header("accept-encoding", encoding)
                .send()
                .await
                .unwrap();
            let status = resp.status();
            match document {
                None => assert_eq!(status, StatusCode::NOT_FOUND, "{path} as {encoding}"),
                Some(_) => assert_eq!(status, StatusCode::OK, "{path} as {encoding}"),
            }
        }
        let Some(document) = document else {
            let text = c
                .get(server.url(path))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                !text.contains("name=\"imrf-endpoint\"") && !text.contains(".html</title>"),
                "{path}: the not-found page, never a document: {text}"
            );
            let what = if path.ends_with(".br") || path.ends_with(".gz") {
                "a document's precompressed copy, by name"
            } else {
                "an address no file has"
            };
            record(
                "Static files",
                &format!("GET `{path}` ({what})"),
                "404, the not-found page: never the file on disk, never index.html",
            );
            continue;
        };
        for encoding in ["br", "gzip", "identity"] {
            let (_, text) = fetch(&server, path, encoding).await;
            if document == "widget.js" {
                assert!(
                    text.contains(&format!("const DEFAULT_ENDPOINT = \"{url}\";")),
                    "{path} as {encoding}"
                );
                continue;
            }
            assert!(
                text.contains(&format!("<title>{document}</title>")),
                "{path} as {encoding}: not {document}: {text}"
            );
            assert_eq!(
                meta(&text, "name=\"imrf-endpoint\""),
                url,
                "{path} as {encoding}: the document on disk"
            );
            assert!(
                text.contains(&format!("action=\"{url}\"")),
                "{path} as {encoding}: {text}"
            );
            assert!(
                !text.contains("name=\"shown_at\" value=\"\""),
                "{path} as {encoding}: no shown_at"
            );
        }
        record(
            "Static files",
            &format!("GET `{path}` with `--endpoint-url`, as br, gzip and identity"),
            &format!("200, the configured `{document}` (the endpoint URL written in, `shown_at` stamped), never the file on disk"),
        );
    }
}

/// Issue 27, case 18: `Accept-Language` parameters in any case (`Q=`), and
/// `*` standing for every language the header does not name.
#[tokio::test]
async fn the_document_at_the_top_follows_accept_language_q_in_any_case_and_the_wildcard() {
    let db = TestDb::new();
    let dist = db.dir.path().join("dist");
    std::fs::create_dir_all(dist.join("en")).unwrap();
    for name in ["index.html", "en/index.html"] {
        std::fs::write(dist.join(name), marked_document(name)).unwrap();
    }
    let server = Server::start(&db, &["--static-dir", dist.to_str().unwrap()]);
    let c = client();
    for (value, document) in [
        ("ar;Q=0.1, en;Q=0.9", "en/index.html"),
        ("en;Q=0, ar", "index.html"),
        ("*;q=1, en;q=0.5", "index.html"),
        ("*;q=1, ar;q=0.5", "en/index.html"),
    ] {
        let text = c
            .get(server.url("/"))
            .header("accept-language", value)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            text.contains(&format!("<title>{document}</title>")),
            "Accept-Language: {value}: not {document}"
        );
        record(
            "Static files",
            &format!("GET / with `Accept-Language: {value}`"),
            &format!("`{document}`"),
        );
    }
}

/// Issue 27, case 18: a `Range` with an unknown unit, several ranges or a
/// malformed one is ignored (the whole file, `200`), not `416`; one byte
/// range is still honoured (`206`), and one beyond the end is still `416`.
#[tokio::test]
async fn odd_ranges_are_ignored_and_one_byte_range_is_honoured() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let data: String = (0..1000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    std::fs::write(dist.join("data-0123456789abcdef.txt"), &data).unwrap();
    let server = Server::start(&db, &["--static-dir", dist.to_str().unwrap()]);
    let c = raw_client();
    for (range, status, body) in [
        ("items=0-9", 200, data.as_str()),
        ("bytes=0-1,3-4", 200, data.as_str()),
        ("bytes=0-1, 5-", 200, data.as_str()),
        ("bytes=x-y", 200, data.as_str()),
        ("bytes=0-9", 206, &data[..10]),
        ("Bytes=990-", 206, &data[990..]),
        ("bytes=5000-", 416, ""),
    ] {
        let resp = c
            .get(server.url("/data-0123456789abcdef.txt"))
            .header("accept-encoding", "identity")
            .header("range", range)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), status, "Range: {range}");
        let text = resp.text().await.unwrap();
        if status != 416 {
            assert_eq!(text, body, "Range: {range}");
        }
        record(
            "Static files",
            &format!("`Range: {range}` on a file of 1000 bytes"),
            &match status {
                200 => "ignored: 200, the whole file".to_string(),
                206 => format!("206, {} bytes", body.len()),
                _ => "416 (beyond the end)".to_string(),
            },
        );
    }
}

/// The value of one sample line of the metrics text, 0 when absent.
fn sample(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| {
            l.strip_prefix(name)?
                .strip_prefix(' ')?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(0.0)
}

/// `/api/metrics` counts stored, replayed, refused (by status) and flagged
/// submissions and their answer times, in the Prometheus text format, with
/// no reference or personal data in it.
#[tokio::test]
async fn metrics_count_each_outcome() {
    let db = TestDb::new();
    let server = Server::start(&db, &["--rate-limit-per-minute", "6"]);
    let c = client();
    let stored = valid_body();
    let r = submit(&c, &server, &stored).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let reference = r.json::<Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(submit(&c, &server, &stored).await.status(), StatusCode::OK);
    let mut invalid = valid_body();
    invalid["email"] = Value::from("not an address");
    assert_eq!(
        submit(&c, &server, &invalid).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut honeypot = valid_body();
    honeypot["website"] = Value::from("http://spam.example");
    assert_eq!(
        submit(&c, &server, &honeypot).await.status(),
        StatusCode::CREATED
    );
    let mut fast = valid_body();
    fast["fill_ms"] = Value::from(10);
    assert_eq!(
        submit(&c, &server, &fast).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        submit(&c, &server, &valid_body()).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        submit(&c, &server, &valid_body()).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );

    let resp = c.get(server.url("/api/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(header(resp.headers(), "content-type").starts_with("application/openmetrics-text"));
    let text = resp.text().await.unwrap();
    let expect = [
        ("imrf_submissions_total{outcome=\"stored\"}", 4.0),
        ("imrf_submissions_total{outcome=\"replayed\"}", 1.0),
        ("imrf_submissions_total{outcome=\"refused\"}", 2.0),
        ("imrf_submissions_total{outcome=\"failed\"}", 0.0),
        ("imrf_submissions_refused_total{status=\"422\"}", 1.0),
        ("imrf_submissions_refused_total{status=\"429\"}", 1.0),
        ("imrf_submissions_flagged_total{reason=\"honeypot\"}", 1.0),
        ("imrf_submissions_flagged_total{reason=\"too_fast\"}", 1.0),
        ("imrf_submission_duration_seconds_count", 7.0),
    ];
    for (name, want) in expect {
        assert_eq!(sample(&text, name), want, "{name} in\n{text}");
    }
    assert!(
        text.contains("imrf_submissions_total{outcome=\"failed\"} 0"),
        "{text}"
    );
    assert!(sample(&text, "imrf_submission_duration_seconds_sum") > 0.0);
    assert!(
        !text.contains(&reference) && !text.contains("sara"),
        "{text}"
    );
}

/// deploy/imrf-endpoint.service passes `systemd-analyze verify` with no
/// warning about it (run with the built binary in ExecStart).
#[test]
fn systemd_unit_verifies() {
    let Ok(out) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        eprintln!("SKIPPED: systemd-analyze is not installed; the unit was not verified");
        return;
    };
    assert!(out.status.success());
    let unit =
        std::fs::read_to_string(Path::new(ROOT).join("deploy/imrf-endpoint.service")).unwrap();
    assert!(unit.contains("ExecStart=/usr/local/bin/imrf-endpoint serve"));
    for option in [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "DynamicUser=yes",
        "StateDirectory=",
    ] {
        assert!(unit.contains(option), "{option}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("imrf-endpoint.service");
    std::fs::write(&path, unit.replace("/usr/local/bin/imrf-endpoint", BIN)).unwrap();
    let out = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let about_unit: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("imrf-endpoint"))
        .collect();
    assert!(
        out.status.success() && about_unit.is_empty(),
        "systemd-analyze verify:\n{err}"
    );
}

/// GETs `/api/metrics` with extra headers; the status and the body.
async fn metrics_as(server: &Server, headers: &[(&str, &str)]) -> (StatusCode, String) {
    let mut req = client().get(server.url("/api/metrics"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}

/// Issue 27, case 15: the flag counts (and the mail gauges: a flagged
/// input is not mailed) would tell a bot it was found out, so the metrics
/// answer only the operator: a client on this machine whose request no
/// proxy relayed, or with `--metrics-token` whoever sends it. Anyone else
/// gets the 404 of any unknown path, so a bot learns nothing.
#[tokio::test]
async fn metrics_answer_only_the_operator() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let c = client();
    let mut bot = valid_body();
    bot["website"] = Value::from("http://spam.example");
    let resp = c
        .post(server.url("/api/submissions"))
        .header("Idempotency-Key", key_of(&bot))
        .header("x-forwarded-for", "203.0.113.9")
        .json(&bot)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let unknown = c.get(server.url("/api/nothing-here")).send().await.unwrap();
    let unknown = (unknown.status(), unknown.text().await.unwrap());
    for (case, headers) in [
        (
            "relayed by a proxy (`X-Forwarded-For`)",
            &[("x-forwarded-for", "203.0.113.9")][..],
        ),
        (
            "relayed by a proxy (`Forwarded`)",
            &[("forwarded", "for=203.0.113.9")][..],
        ),
        (
            "relayed by a proxy (`X-Real-IP`)",
            &[("x-real-ip", "203.0.113.9")][..],
        ),
    ] {
        let seen = metrics_as(&server, headers).await;
        assert_eq!(seen, unknown, "{case}");
        record(
            "Metrics",
            &format!("GET /api/metrics after a flagged post, {case}, no token configured"),
            "404 not_found, the same answer as any unknown /api path",
        );
    }
    let (status, text) = metrics_as(&server, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        sample(&text, "imrf_submissions_flagged_total{reason=\"honeypot\"}"),
        1.0
    );
    record(
        "Metrics",
        "GET /api/metrics from this machine, not relayed, no token configured",
        "200, the metrics",
    );

    let token = "0123456789abcdef0123456789abcdef";
    let tdb = TestDb::new();
    let guarded = Server::start(&tdb, &["--metrics-token", token]);
    let unknown = c
        .get(guarded.url("/api/nothing-here"))
        .send()
        .await
        .unwrap();
    let unknown = (unknown.status(), unknown.text().await.unwrap());
    let right = format!("Bearer {token}");
    let wrong = format!("Bearer {}x", &token[1..]);
    let lower = format!("bearer {token}");
    for (case, headers, allowed) in [
        ("no token, from this machine", vec![], false),
        (
            "a wrong token",
            vec![("authorization", wrong.as_str())],
            false,
        ),
        (
            "the token as Basic",
            vec![("authorization", "Basic eDp5")],
            false,
        ),
        (
            "the token, relayed by a proxy",
            vec![
                ("authorization", right.as_str()),
                ("x-forwarded-for", "203.0.113.9"),
            ],
            true,
        ),
        (
            "the token, `bearer` in lower case",
            vec![("authorization", lower.as_str())],
            true,
        ),
    ] {
        let (status, text) = metrics_as(&guarded, &headers).await;
        if allowed {
            assert_eq!(status, StatusCode::OK, "{case}");
            assert!(text.contains("imrf_submissions_total"), "{case}");
        } else {
            assert_eq!((status, text), unknown, "{case}");
        }
        record(
            "Metrics",
            &format!("GET /api/metrics with `--metrics-token`: {case}"),
            if allowed {
                "200, the metrics"
            } else {
                "404 not_found, as any unknown /api path"
            },
        );
    }

    let out = command()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &tdb.url(),
        ])
        .args(["--metrics-token", "short"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--metrics-token"));
}

/// Issue 26, case 11: besides the counts since the process started, the
/// metrics give the totals the database holds, all and flagged by reason,
/// read at each scrape, so they survive a restart.
#[tokio::test]
async fn metrics_give_the_stored_totals_across_a_restart() {
    let db = TestDb::new();
    let mut server = Server::start(&db, &[]);
    let c = client();
    let mut honeypot = valid_body();
    honeypot["website"] = Value::from("http://spam.example");
    let mut fast = valid_body();
    fast["fill_ms"] = Value::from(10);
    for body in [valid_body(), valid_body(), honeypot, fast] {
        assert_eq!(
            submit(&c, &server, &body).await.status(),
            StatusCode::CREATED
        );
    }
    assert!(server.terminate().success());
    let server = Server::start(&db, &[]);
    let (status, text) = metrics_as(&server, &[]).await;
    assert_eq!(status, StatusCode::OK);
    for (name, want) in [
        ("imrf_submissions_total{outcome=\"stored\"}", 0.0),
        ("imrf_submissions_stored", 4.0),
        ("imrf_submissions_stored_flagged{reason=\"honeypot\"}", 1.0),
        ("imrf_submissions_stored_flagged{reason=\"too_fast\"}", 1.0),
    ] {
        assert_eq!(sample(&text, name), want, "{name} in\n{text}");
    }
    assert!(text.contains("imrf_submissions_stored 4"), "{text}");
}
