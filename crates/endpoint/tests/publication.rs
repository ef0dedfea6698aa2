//! The public record over HTTP against the real binary and database:
//! exactly the published inputs on every page, file and feed, each in its
//! own language and direction, never an e-mail address; a decision or a
//! withdrawal shows at the next request; hostile queries get a page in the
//! visitor's language, never a 500.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const FORM: &str = "application/x-www-form-urlencoded";

fn body(language: &str, name: &str, email: &str, title: &str, input: &str, country: &str) -> Value {
    json!({
        "idempotency_key": new_key(),
        "language": language,
        "name": name,
        "email": email,
        "country": country,
        "stakeholder_group": "trade_unions",
        "title": title,
        "input": input,
        "consent": true,
        "fill_ms": 5000
    })
}

/// Stores `body`; its reference and withdrawal path.
async fn stored(server: &Server, body: &Value) -> (String, String) {
    let resp = submit(&client(), server, body).await;
    assert_eq!(resp.status(), 201);
    let v: Value = resp.json().await.unwrap();
    (
        v["reference"].as_str().unwrap().to_string(),
        v["withdraw_url"].as_str().unwrap_or_default().to_string(),
    )
}

fn cli(db: &TestDb, args: &[&str]) {
    let out = command()
        .args(args)
        .args(["--database-url", &db.url()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn get(server: &Server, path: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(server.url(path))
        .send()
        .await
        .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.text().await.unwrap())
}

/// Three published (an Arabic input, an English one, and an Arabic one by a
/// Latin name), one not decided, one declined; their references in that order.
struct Record {
    db: TestDb,
    server: Server,
    arabic: String,
    english: String,
    latin_name: String,
    undecided: String,
    declined: String,
    english_withdraw: String,
}

async fn record() -> Record {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let (arabic, _) = stored(
        &server,
        &body(
            "ar",
            "سارة",
            "sara@example.org",
            "حماية العمال المهاجرين",
            "نص المدخلات بالعربية",
            "JO",
        ),
    )
    .await;
    let (english, english_withdraw) = stored(
        &server,
        &body(
            "en",
            "Amal Haddad",
            "AMAL@example.org",
            "Decent work for all",
            "English text of the input",
            "LB",
        ),
    )
    .await;
    let (latin_name, _) = stored(
        &server,
        &body(
            "en",
            "John Smith",
            "john@example.org",
            "العمل اللائق",
            "نص عربي كتبه John Smith",
            "JO",
        ),
    )
    .await;
    let (undecided, _) = stored(
        &server,
        &body(
            "ar",
            "خفي",
            "hidden@example.org",
            "غير منشور",
            "نص غير منشور",
            "EG",
        ),
    )
    .await;
    let (declined, _) = stored(
        &server,
        &body(
            "en",
            "Declined Person",
            "declined@example.org",
            "Declined title",
            "Declined text",
            "EG",
        ),
    )
    .await;
    cli(&db, &["publish", &arabic, &english, &latin_name]);
    cli(&db, &["unpublish", &declined, "--reason", "off_topic"]);
    Record {
        db,
        server,
        arabic,
        english,
        latin_name,
        undecided,
        declined,
        english_withdraw,
    }
}

fn no_email(text: &str) {
    for address in ["sara@", "AMAL@", "amal@", "john@", "hidden@", "declined@"] {
        assert!(
            !text.contains(address),
            "an e-mail address is public: {address}"
        );
    }
}

#[tokio::test]
async fn the_lists_show_exactly_the_published_inputs_each_in_its_own_direction() {
    let r = record().await;
    for lang in ["ar", "en"] {
        let (status, headers, page) = get(&r.server, &format!("/{lang}/inputs/")).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains(&format!(r#"<html lang="{lang}""#)));
        for published in [&r.arabic, &r.english, &r.latin_name] {
            assert!(
                page.contains(&format!(r#"href="../../{lang}/inputs/{published}""#)),
                "{lang}: {published}"
            );
        }
        for hidden in [&r.undecided, &r.declined] {
            assert!(!page.contains(hidden.as_str()), "{lang}: {hidden}");
        }
        assert!(!page.contains("غير منشور") && !page.contains("Declined"));
        no_email(&page);
        // Each title in its text's language, whatever the page's.
        assert!(page.contains(r#"<h2 lang="ar" dir="rtl"><a href=""#));
        assert!(page.contains(&format!(
            r#"<h2 lang="en" dir="ltr"><a href="../../{lang}/inputs/{}">Decent work for all</a></h2>"#,
            r.english
        )));
        assert!(
            page.contains("<bdi>John Smith</bdi>"),
            "a Latin name is isolated"
        );
        // The Latin name's input is Arabic: its text's language, not the name's.
        assert!(page.contains(&format!(
            r#"<h2 lang="ar" dir="rtl"><a href="../../{lang}/inputs/{}">العمل اللائق</a></h2>"#,
            r.latin_name
        )));
        // No script at all, and a policy that allows none.
        assert!(!page.contains("<script"));
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
        assert!(!csp.contains("script-src"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(headers["cache-control"], "no-cache");
        let compressed = client()
            .get(r.server.url(&format!("/{lang}/inputs/")))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(
            compressed.headers()["content-encoding"],
            "br",
            "served compressed"
        );
        assert!(compressed.headers()["vary"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding"));
        // The counts: Jordan has two, in the chart's table.
        assert!(page.contains("<td>2</td>"), "{page}");
    }
}

#[tokio::test]
async fn one_input_in_full_and_the_others_answer_404_or_410_in_the_visitors_language() {
    let r = record().await;
    let (status, _, page) = get(&r.server, &format!("/en/inputs/{}", r.arabic)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"<h1 lang="ar" dir="rtl">حماية العمال المهاجرين</h1>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"lang="ar" dir="rtl" class="imrf-record-text">نص المدخلات بالعربية</div>"#)
    );
    assert!(page.contains("Jordan") && page.contains(&r.arabic));
    no_email(&page);
    // A lower-case or unknown reference, and one never published: 404.
    for path in [
        format!("/ar/inputs/{}", r.undecided),
        "/ar/inputs/IMRF-00000000".to_string(),
        "/ar/inputs/not-a-reference".to_string(),
        format!("/ar/inputs/{}", r.arabic.to_lowercase()),
    ] {
        let (status, _, page) = get(&r.server, &path).await;
        assert_eq!(status, 404, "{path}");
        assert!(page.contains(r#"<html lang="ar" dir="rtl">"#), "{path}");
        assert!(page.contains("هذه المدخلات غير منشورة"), "{path}: {page}");
    }
    // Published, then declined: 410.
    cli(
        &r.db,
        &["unpublish", &r.latin_name, "--reason", "duplicate"],
    );
    let (status, _, page) = get(&r.server, &format!("/en/inputs/{}", r.latin_name)).await;
    assert_eq!(status, 410);
    assert!(page.contains("This input is no longer published"), "{page}");
    let (_, _, list) = get(&r.server, "/en/inputs/").await;
    assert!(
        !list.contains(&r.latin_name),
        "gone from the list at the next request"
    );
}

#[tokio::test]
async fn a_withdrawal_takes_an_input_off_every_page_file_and_feed_at_the_next_request() {
    let r = record().await;
    let paths = [
        "/en/inputs/".to_string(),
        "/ar/inputs/".to_string(),
        "/inputs.csv".to_string(),
        "/inputs.json".to_string(),
        "/en/inputs/feed.xml".to_string(),
        "/ar/inputs/feed.xml".to_string(),
    ];
    let mut etags = Vec::new();
    for path in &paths {
        let (status, headers, text) = get(&r.server, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(text.contains(&r.english), "{path}");
        etags.push(headers["etag"].to_str().unwrap().to_string());
    }
    // The link in the receipt, followed as its page's form posts it.
    let (_, query) = r.english_withdraw.split_once('?').unwrap();
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(r.server.url("/en/withdraw"))
        .header("content-type", FORM)
        .body(query.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    for (path, etag) in paths.iter().zip(&etags) {
        let resp = client()
            .get(r.server.url(path))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{path}: a changed record is not 304");
        let text = resp.text().await.unwrap();
        assert!(
            !text.contains(&r.english),
            "{path} still lists the withdrawn input"
        );
        assert!(text.contains(&r.arabic), "{path}");
    }
    let (status, _, _) = get(&r.server, &format!("/en/inputs/{}", r.english)).await;
    assert_eq!(status, 410);
}

#[tokio::test]
async fn an_unchanged_page_is_not_sent_again() {
    let r = record().await;
    let (_, headers, _) = get(&r.server, "/ar/inputs/").await;
    let etag = headers["etag"].to_str().unwrap();
    let resp = client()
        .get(r.server.url("/ar/inputs/"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 304);
}

#[tokio::test]
async fn filters_pages_and_hostile_queries() {
    let r = record().await;
    let (_, _, lebanon) = get(&r.server, "/en/inputs/?country=LB").await;
    assert!(lebanon.contains(&r.english) && !lebanon.contains(&r.arabic));
    assert!(lebanon.contains(r#"<option value="LB" selected"#));
    assert!(
        lebanon.contains(r#"href="../../ar/inputs/?country=LB" hreflang="ar""#),
        "the filters go along to the other language"
    );
    let (_, _, arabic) = get(&r.server, "/en/inputs/?language=ar").await;
    assert!(arabic.contains(&r.arabic) && arabic.contains(&r.latin_name));
    assert!(!arabic.contains(&r.english));
    let (_, _, none) = get(&r.server, "/en/inputs/?group=academia").await;
    assert!(none.contains("No published input matches these filters."));
    // Not ours: left out and said, never a 500.
    for query in [
        "group=pirates",
        "country=ZZ&country=LB",
        "language=%FF%FE",
        "q=<script>alert(1)</script>",
    ] {
        let (status, _, page) = get(&r.server, &format!("/en/inputs/?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert!(
            page.contains("were not recognized and were left out"),
            "{query}"
        );
        assert!(!page.contains("<script>alert"), "{query}");
    }
    // 10 KB of query: the listener's limit on a request line answers first.
    let (status, _, _) = get(&r.server, &format!("/en/inputs/?q={}", "x".repeat(10_000))).await;
    assert_eq!(status, 414);
    for page in ["0", "-1", "2", "99999999999999999999", "x"] {
        let (status, _, text) = get(&r.server, &format!("/ar/inputs/?page={page}")).await;
        assert_eq!(status, 404, "page={page}");
        assert!(text.contains("لا توجد صفحة بهذا الرقم"), "page={page}");
    }
    let (status, headers, _) = get(&r.server, "/en/inputs?country=LB").await;
    assert_eq!(status, 308);
    assert_eq!(headers["location"], "/en/inputs/?country=LB");
}

#[tokio::test]
async fn pages_of_twenty_with_real_links() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let mut references = Vec::new();
    for i in 0..21 {
        let (reference, _) = stored(
            &server,
            &body(
                "en",
                "Name",
                "n@example.org",
                &format!("Title {i:02}"),
                "Text",
                "EG",
            ),
        )
        .await;
        references.push(reference);
    }
    let mut args = vec!["publish"];
    args.extend(references.iter().map(String::as_str));
    cli(&db, &args);
    let (_, _, first) = get(&server, "/en/inputs/").await;
    assert_eq!(
        first.matches(r#"<li class="imrf-record-item">"#).count(),
        20
    );
    assert!(
        first.contains(r#"<a href="../../en/inputs/?page=2" rel="next">Next page</a>"#),
        "{first}"
    );
    assert!(first.contains("Page 1 of 2"));
    assert!(first.contains("Title 20"), "newest first");
    let (status, _, second) = get(&server, "/en/inputs/?page=2").await;
    assert_eq!(status, 200);
    assert_eq!(
        second.matches(r#"<li class="imrf-record-item">"#).count(),
        1
    );
    assert!(second.contains("Title 00"));
    assert!(second.contains(r#"<a href="../../en/inputs/" rel="prev">Previous page</a>"#));
}

#[tokio::test]
async fn the_open_data_holds_exactly_the_published_inputs() {
    let r = record().await;
    let (status, headers, csv) = get(&r.server, "/inputs.csv").await;
    assert_eq!(status, 200);
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert!(
        csv.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let heading = reader.headers().unwrap().clone();
    assert_eq!(&heading[0], "reference");
    assert!(!heading.iter().any(|h| h.contains("email")));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut listed: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    listed.sort();
    let mut expected = vec![r.arabic.as_str(), r.english.as_str(), r.latin_name.as_str()];
    expected.sort();
    assert_eq!(listed, expected);
    no_email(&csv);

    let (_, _, json) = get(&r.server, "/inputs.json").await;
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["count"], 3);
    assert!(v["generated_at"].as_str().unwrap().ends_with('Z'));
    let english = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["reference"] == r.english.as_str())
        .unwrap();
    assert_eq!(english["country"]["name"]["en"], "Lebanon");
    assert_eq!(english["country"]["name"]["ar"], "لبنان");
    assert_eq!(english["language"], "en");
    assert_eq!(english["stakeholder_group"]["code"], "trade_unions");
    no_email(&json);

    let (status, headers, feed) = get(&r.server, "/ar/inputs/feed.xml").await;
    assert_eq!(status, 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    assert_eq!(feed.matches("<entry ").count(), 3, "{feed}");
    assert!(feed.contains(&format!("<id>urn:imrf-input:{}</id>", r.english)));
    assert!(feed.contains(r#"<entry xml:lang="en">"#));
    no_email(&feed);
}

#[tokio::test]
async fn a_formula_in_a_published_input_is_text_in_the_csv() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let (reference, _) = stored(
        &server,
        &body(
            "en",
            "=HYPERLINK(\"https://evil.example\")",
            "x@example.org",
            "+1 title",
            "@SUM(A1)",
            "EG",
        ),
    )
    .await;
    cli(&db, &["publish", &reference]);
    let (_, _, csv) = get(&server, "/inputs.csv").await;
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
        "{csv}"
    );
    assert!(
        csv.contains("'=HYPERLINK") || csv.contains("\"'=HYPERLINK"),
        "{csv}"
    );
}

/// A fresh PostgreSQL database for one test (the test server's other tests
/// share `IMRF_TEST_POSTGRES_URL`'s), or `None` when there is none.
async fn fresh_pg(test: &str) -> Option<String> {
    let Ok(url) = std::env::var("IMRF_TEST_POSTGRES_URL") else {
        eprintln!("{test}: skipped (set IMRF_TEST_POSTGRES_URL to run it)");
        return None;
    };
    if url.is_empty() {
        eprintln!("{test}: skipped (set IMRF_TEST_POSTGRES_URL to run it)");
        return None;
    }
    let name = format!("imrf_record_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let (base, _) = url.rsplit_once('/').unwrap();
    Some(format!("{base}/{name}"))
}

#[tokio::test]
async fn two_instances_on_one_postgresql_show_a_decision_at_the_next_request() {
    let Some(url) = fresh_pg("two_instances_on_one_postgresql").await else {
        return;
    };
    let db = TestDb::new();
    let one = Server::start_with_url(&db, &url, &[]);
    let two = Server::start_with_url(&db, &url, &[]);
    let (arabic, _) = stored(
        &one,
        &body("ar", "سارة", "sara@example.org", "عنوان", "نص عربي", "JO"),
    )
    .await;
    let (english, withdraw) = stored(
        &two,
        &body(
            "en",
            "Amal",
            "amal@example.org",
            "Title",
            "English text",
            "LB",
        ),
    )
    .await;
    let publish = command()
        .args(["publish", &arabic, &english, "--database-url", &url])
        .output()
        .unwrap();
    assert!(
        publish.status.success(),
        "{}",
        String::from_utf8_lossy(&publish.stderr)
    );
    for server in [&one, &two] {
        let (_, _, list) = get(server, "/en/inputs/?language=ar&country=JO").await;
        assert!(list.contains(&arabic) && !list.contains(&english), "{list}");
        let (_, _, csv) = get(server, "/inputs.csv").await;
        assert!(csv.contains(&arabic) && csv.contains(&english));
        no_email(&csv);
    }
    let (_, query) = withdraw.split_once('?').unwrap();
    let resp = client()
        .post(one.url("/en/withdraw"))
        .header("content-type", FORM)
        .body(query.to_string())
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success() || resp.status().is_redirection());
    let (status, _, _) = get(&two, &format!("/ar/inputs/{english}")).await;
    assert_eq!(status, 410, "the other instance knows at the next request");
    let (_, _, feed) = get(&two, "/en/inputs/feed.xml").await;
    assert!(!feed.contains(&english) && feed.contains(&arabic));
}

/// Every `href` of a document.
fn hrefs(html: &str) -> Vec<String> {
    html.split(" href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

#[tokio::test]
async fn the_exported_site_is_served_by_a_plain_static_server_with_every_link_found() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let mut references = Vec::new();
    for i in 0..21 {
        let (reference, _) = stored(
            &server,
            &body(
                "en",
                "Name",
                "secret@example.org",
                &format!("Title {i:02}"),
                "نص",
                "EG",
            ),
        )
        .await;
        references.push(reference);
    }
    let mut args = vec!["publish"];
    args.extend(references.iter().map(String::as_str));
    cli(&db, &args);
    // A built app's stand-in: the release document and the stylesheets.
    let dist = db.dir.path().join("dist");
    std::fs::create_dir_all(dist.join("ar")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>release</title>",
    )
    .unwrap();
    std::fs::write(
        dist.join("ar/index.html"),
        "<!doctype html><title>ar</title>",
    )
    .unwrap();
    std::fs::create_dir_all(dist.join("en")).unwrap();
    std::fs::write(
        dist.join("en/index.html"),
        "<!doctype html><title>en</title>",
    )
    .unwrap();
    std::fs::write(dist.join("main-0a1b2c3d.css"), ".imrf-app{color:red}").unwrap();
    std::fs::write(dist.join("record.css"), ".imrf-record{margin:0}").unwrap();
    std::fs::write(
        dist.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    // Under a folder of the host's site, as a CMS would put it.
    let site = db.dir.path().join("host");
    let to = site.join("imrf");
    let out = command()
        .args([
            "export-site",
            "--to",
            to.to_str().unwrap(),
            "--static-dir",
            dist.to_str().unwrap(),
        ])
        .args(["--database-url", &db.url()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("21 published inputs"), "{said}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let python = std::env::var("IMRF_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut host = std::process::Command::new(python)
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(&site)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = reqwest::Url::parse(&format!("http://127.0.0.1:{port}/imrf/")).unwrap();
    let c = client();
    let mut up = false;
    for _ in 0..100 {
        if c.get(base.clone()).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "the static server did not start");
    let mut pages = vec![
        base.join("en/inputs/").unwrap(),
        base.join("ar/inputs/pages/2/").unwrap(),
        base.join(&format!("ar/inputs/{}/", references[0])).unwrap(),
    ];
    let mut checked = 0;
    while let Some(page) = pages.pop() {
        let resp = c.get(page.clone()).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{page}");
        let html = resp.text().await.unwrap();
        assert!(!html.contains("secret@"), "{page}");
        assert!(
            html.contains(".imrf-record{margin:0}"),
            "the record's stylesheet, inlined: {page}"
        );
        for href in hrefs(&html) {
            if href.starts_with("data:") {
                continue;
            }
            let target = page.join(&href).unwrap();
            assert!(
                target.as_str().starts_with(base.as_str()),
                "{page}: {href} leaves the folder"
            );
            let status = c.get(target.clone()).send().await.unwrap().status();
            assert_eq!(status, 200, "{page}: {href} -> {target}");
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked} links");
    let first = c
        .get(base.join("en/inputs/").unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        first.matches(r#"<li class="imrf-record-item">"#).count(),
        20
    );
    assert!(!first.contains("<form"), "no filters on a static host");
    let feed = c
        .get(base.join("ar/inputs/feed.xml").unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(feed.matches("<entry ").count(), 21);
    let csv = c
        .get(base.join("inputs.csv").unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 22, "a header and 21 rows");
    host.kill().ok();
    host.wait().ok();
}
