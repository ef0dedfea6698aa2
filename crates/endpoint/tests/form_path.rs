//! The form without JavaScript, over HTTP against the real binary: a
//! urlencoded post is stored once and answered with `303 See Other` to the
//! receipt; refusals are pages in the visitor's language; the documents are
//! served per language with the time they were served written in.

mod common;
mod hostile;

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use hostile::record;
use imrf_contract::Lang;
use imrf_release::embedding::View;
use imrf_release::pages::{bare_document, fill_document, FormState, Place, Shell};
use reqwest::StatusCode;

const FORM: &str = "application/x-www-form-urlencoded";

/// The documents a build writes, small: each names itself (`DOC:en/index`)
/// and has the mount comments, a form and an empty `shown_at`.
fn fixture_dist(db: &TestDb) -> PathBuf {
    let dist = db.dir.path().join("dist");
    for (name, lang) in [
        ("index.html", "ar"),
        ("ar/index.html", "ar"),
        ("en/index.html", "en"),
        ("embed.html", "ar"),
        ("ar/embed.html", "ar"),
        ("en/embed.html", "en"),
    ] {
        let file = dist.join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let doc = format!(
            "<!doctype html><html lang=\"{lang}\"><head><title>T</title>\
             <meta name=\"imrf-endpoint\" content=\"/api/submissions\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; form-action 'self'\">\
             </head><body><p>DOC:{}</p><!--imrf-app--><form method=\"post\" action=\"/api/submissions\">\
             <input type=\"hidden\" name=\"shown_at\" value=\"\"></form><!--/imrf-app--></body></html>",
            name.trim_end_matches(".html")
        );
        std::fs::write(file, doc).unwrap();
    }
    dist
}

fn start(db: &TestDb, dist: Option<&PathBuf>, extra: &[&str]) -> Server {
    let mut args = vec!["--rate-limit-per-minute", "0"];
    if let Some(dist) = dist {
        args.extend(["--static-dir", dist.to_str().unwrap()]);
    }
    args.extend(extra);
    Server::start(db, &args)
}

/// A client that does not follow redirects (the test reads the 303).
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// `application/x-www-form-urlencoded`, every byte but letters and digits escaped.
fn encode(pairs: &[(&str, String)]) -> String {
    let esc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", esc(k), esc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A complete form as the page posts it, shown 10 s ago.
fn complete_form() -> Vec<(&'static str, String)> {
    [
        ("language", "ar"),
        ("name", "سارة"),
        ("name.dir", "rtl"),
        ("organisation", ""),
        ("email", "sara@example.org"),
        ("country", "EG"),
        ("stakeholder_group", "civil_society"),
        ("stakeholder_group_other", ""),
        ("title", "عنوان"),
        ("title.dir", "rtl"),
        ("input", "نص المدخلات"),
        ("input.dir", "rtl"),
        ("link", ""),
        ("consent", "on"),
        ("website", ""),
        ("shell", "page"),
        ("view", "full"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .chain([("shown_at", (now_ms() - 10_000).to_string())])
    .collect()
}

fn with(
    form: &[(&'static str, String)],
    name: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    let mut out: Vec<_> = form.iter().filter(|(k, _)| *k != name).cloned().collect();
    out.push((name, value.to_string()));
    out
}

fn without(form: &[(&'static str, String)], name: &str) -> Vec<(&'static str, String)> {
    form.iter().filter(|(k, _)| *k != name).cloned().collect()
}

async fn post_raw(server: &Server, content_type: &str, body: Vec<u8>) -> reqwest::Response {
    no_redirects()
        .post(server.url("/api/submissions"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request")
}

/// Posts a form; a `shown_at` given as a bare time is first signed with the
/// server's key, as the server signs the documents it serves.
async fn post_form(server: &Server, form: &[(&str, String)]) -> reqwest::Response {
    let mut form = form.to_vec();
    for (name, value) in form.iter_mut() {
        if *name == "shown_at" && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            *value = signed_shown_at(server, value.parse().unwrap()).await;
        }
    }
    post_raw(server, FORM, encode(&form).into_bytes()).await
}

/// `MS.NONCE.TAG` as the server writes it (`crate::shown_at`), with the key
/// from its database (and a nonce of this test's, the same for one time).
async fn signed_shown_at(server: &Server, ms: u64) -> String {
    use hmac::{KeyInit, Mac};
    let db = server.log.parent().unwrap().join("submissions.db");
    let pool = open_db(&db).await;
    let key: String = sqlx::query_scalar("SELECT key FROM server_keys WHERE name = 'shown_at'")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    let key: Vec<u8> = (0..key.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&key[i..i + 2], 16).unwrap())
        .collect();
    let nonce = format!("{:016x}", ms.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(b"imrf-shown-at\0");
    mac.update(format!("{ms}.{nonce}").as_bytes());
    let tag = mac.finalize().into_bytes();
    let hex: String = tag[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{ms}.{nonce}.{hex}")
}

fn header(resp: &reqwest::Response, name: &str) -> String {
    resp.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The 303's receipt path, and its reference.
fn receipt_of(resp: &reqwest::Response) -> (String, String) {
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let location = header(resp, "location");
    let reference = location
        .split("reference=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    (location, reference)
}

/// (name, flagged, fill_ms, directions) of the row with this reference.
async fn row(db: &TestDb, reference: &str) -> (String, Option<String>, i64, String) {
    use sqlx::Row;
    let pool = open_db(&db.path()).await;
    let r = sqlx::query(
        "SELECT name, flagged, fill_ms, directions FROM submissions WHERE reference = ?",
    )
    .bind(reference)
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    (r.get(0), r.get(1), r.get(2), r.get(3))
}

async fn html_answer(resp: reqwest::Response, status: StatusCode) -> String {
    assert_eq!(resp.status(), status);
    assert_eq!(header(&resp, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&resp, "cache-control"), "no-store");
    assert_eq!(header(&resp, "referrer-policy"), "no-referrer");
    resp.text().await.unwrap()
}

#[tokio::test]
async fn a_complete_post_is_stored_once_and_redirected_to_its_receipt() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = start(&db, Some(&dist), &[]);
    let form = complete_form();
    let resp = post_form(&server, &form).await;
    assert_eq!(header(&resp, "cache-control"), "no-store");
    let (location, reference) = receipt_of(&resp);
    // The receipt's address carries the withdrawal token (tests/withdrawal.rs).
    let token = location
        .strip_prefix(&format!("/ar/receipt?reference={reference}&token="))
        .unwrap_or_else(|| panic!("{location}"));
    assert!(
        token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "{location}"
    );
    let (name, flagged, fill_ms, directions) = row(&db, &reference).await;
    assert_eq!(name, "سارة");
    assert_eq!(flagged, None, "shown 10 s ago, no honeypot");
    assert!(fill_ms >= 10_000, "{fill_ms}");
    assert_eq!(directions, r#"{"input":"rtl","name":"rtl","title":"rtl"}"#);

    // A double click, or a browser posting again after a lost answer: one row.
    let again = post_form(&server, &form).await;
    assert_eq!(receipt_of(&again).0, location);
    assert_eq!(count_rows(&db.path()).await, 1);

    // Unknown names are ignored; the embed keeps its shell and view.
    let embed = with(&with(&complete_form(), "shell", "embed"), "view", "form");
    let embed = with(&with(&embed, "title", "Another"), "colour", "blue");
    let embed = with(&embed, "language", "en");
    let (location, _) = receipt_of(&post_form(&server, &embed).await);
    assert!(
        location.starts_with("/en/receipt?reference=IMRF-")
            && location.ends_with("&shell=embed&view=form"),
        "{location}"
    );
    assert_eq!(count_rows(&db.path()).await, 2);
}

#[tokio::test]
async fn bots_are_stored_apart_by_the_honeypot_and_the_fill_time() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = start(&db, Some(&dist), &[]);
    let honeypot = with(&complete_form(), "website", "http://spam.example");
    let (_, r) = receipt_of(&post_form(&server, &honeypot).await);
    assert_eq!(row(&db, &r).await.1.as_deref(), Some("honeypot"));

    let fast = with(&complete_form(), "shown_at", &(now_ms() - 500).to_string());
    let fast = with(&fast, "title", "fast");
    let (_, r) = receipt_of(&post_form(&server, &fast).await);
    assert_eq!(row(&db, &r).await.1.as_deref(), Some("too_fast"));

    // This server serves the documents, so every form it gave out has the time.
    let untimed = with(&without(&complete_form(), "shown_at"), "title", "untimed");
    let (_, r) = receipt_of(&post_form(&server, &untimed).await);
    assert_eq!(row(&db, &r).await.1.as_deref(), Some("too_fast"));

    // Without --static-dir the documents come from a static host: no time, no flag.
    let db2 = TestDb::new();
    let bare = start(&db2, None, &[]);
    let (_, r) = receipt_of(&post_form(&bare, &untimed).await);
    assert_eq!(row(&db2, &r).await.1, None);
}

/// Issue 27, case 10: only the value a checked box sends (`on`) is consent;
/// `false`, `off`, `0`, `no` or an empty value is refused like a box left
/// unchecked (422 `consent_required`), and nothing is stored.
#[tokio::test]
async fn only_the_checked_boxs_value_is_consent() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = start(&db, Some(&dist), &[]);
    for value in ["false", "off", "0", "no", "", "ON", "true", "yes"] {
        let form = with(&with(&complete_form(), "consent", value), "language", "en");
        let html = html_answer(
            post_form(&server, &form).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(
            html.contains("To send your input, agree to it being published"),
            "consent={value:?}: {html}"
        );
        assert_eq!(count_rows(&db.path()).await, 0, "consent={value:?} stored");
    }
    receipt_of(&post_form(&server, &complete_form()).await);
    assert_eq!(count_rows(&db.path()).await, 1);
    record(
        "Form without JavaScript",
        "`consent=` `false`, `off`, `0`, `no`, empty, `ON`, `true`, `yes`",
        "422 consent_required, nothing stored; only `on` (the box's value) is consent",
    );
}

#[tokio::test]
async fn three_mistakes_come_back_as_the_form_with_three_messages_and_the_values() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = start(&db, Some(&dist), &[]);
    let form = with(&complete_form(), "email", "not an address");
    let form = without(&without(&form, "consent"), "title");
    let form = with(&form, "language", "en");
    let form = with(&form, "name", "Sara <Typed>");
    let html = html_answer(
        post_form(&server, &form).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    for message in [
        "Enter an email address in the correct format",
        "Enter a title for your input",
        "To send your input, agree to it being published",
    ] {
        assert!(html.contains(message), "{message} missing in\n{html}");
    }
    assert!(html.contains("not an address"), "typed value missing");
    assert!(
        html.contains("Sara &lt;Typed&gt;"),
        "typed value missing or unescaped"
    );
    assert!(html.contains("<title>Error: "), "title without Error:");
    assert!(html.contains("DOC:en/index"), "not the English document");
    assert_eq!(count_rows(&db.path()).await, 0);
}

#[tokio::test]
async fn unreadable_requests_are_pages_in_the_visitors_language() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = start(&db, Some(&dist), &["--max-body-bytes", "2048"]);
    let en = "The request could not be read";
    for body in [
        b"name=%ZZ&language=en".to_vec(),
        b"name=\xff&language=en".to_vec(),
    ] {
        let resp = no_redirects()
            .post(server.url("/api/submissions"))
            .header("content-type", FORM)
            .header("referer", format!("{}/en/", server.base))
            .body(body)
            .send()
            .await
            .unwrap();
        let html = html_answer(resp, StatusCode::BAD_REQUEST).await;
        assert!(html.contains(en), "{html}");
    }
    let resp = post_raw(
        &server,
        "application/x-www-form-urlencoded; charset=iso-8859-1",
        encode(&complete_form()).into_bytes(),
    )
    .await;
    let html = html_answer(resp, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    assert!(
        html.contains("أُرسل النموذج بترميز"),
        "Arabic by default: {html}"
    );

    let long = with(&complete_form(), "input", &"x".repeat(4096));
    let resp = no_redirects()
        .post(server.url("/api/submissions"))
        .header("content-type", FORM)
        .header("accept-language", "en-GB,en;q=0.9")
        .body(encode(&long))
        .send()
        .await
        .unwrap();
    let html = html_answer(resp, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert!(html.contains("The request is too large"), "{html}");
    assert_eq!(count_rows(&db.path()).await, 0);
}

#[tokio::test]
async fn receipts_show_stored_references_only_and_never_post_again() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = start(&db, Some(&dist), &[]);
    let (location, reference) = receipt_of(&post_form(&server, &complete_form()).await);
    for _ in 0..2 {
        let resp = no_redirects()
            .get(server.url(&location))
            .send()
            .await
            .unwrap();
        let html = html_answer(resp, StatusCode::OK).await;
        assert!(html.contains(&reference), "{html}");
        assert!(
            !html.contains("sara@example.org"),
            "the receipt shows input"
        );
    }
    assert_eq!(count_rows(&db.path()).await, 1, "a reload stored again");
    for path in [
        "/en/receipt?reference=IMRF-00000000",
        "/en/receipt?reference=nonsense",
        "/en/receipt",
    ] {
        let resp = no_redirects().get(server.url(path)).send().await.unwrap();
        let html = html_answer(resp, StatusCode::NOT_FOUND).await;
        assert!(
            html.contains("No input with this reference was found"),
            "{path}: {html}"
        );
    }
    // Without --static-dir the receipt is a bare document.
    let db2 = TestDb::new();
    let bare = start(&db2, None, &[]);
    let (location, reference) = receipt_of(&post_form(&bare, &complete_form()).await);
    let resp = no_redirects()
        .get(bare.url(&location))
        .send()
        .await
        .unwrap();
    assert!(html_answer(resp, StatusCode::OK).await.contains(&reference));
}

async fn get_doc(server: &Server, path: &str, accept_language: Option<&str>) -> (String, String) {
    let mut req = no_redirects().get(server.url(path));
    if let Some(al) = accept_language {
        req = req.header("accept-language", al);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    let vary = header(&resp, "vary");
    (resp.text().await.unwrap(), vary)
}

/// The written time (`MS.TAG`): its milliseconds, close to now.
fn shown_at(html: &str) -> u64 {
    let value = shown_at_value(html);
    let parts: Vec<&str> = value.split('.').collect();
    assert!(
        parts.len() == 3 && parts[1].len() == 16 && parts[2].len() == 32,
        "{value}"
    );
    parts[0].parse().expect("a time in shown_at")
}

fn shown_at_value(html: &str) -> String {
    let at = html.find("name=\"shown_at\" value=\"").expect("shown_at") + 23;
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn documents_per_language_with_the_time_they_were_served() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = start(&db, Some(&dist), &[]);
    for (path, al, want) in [
        ("/", None, "DOC:index"),
        ("/", Some("en-GB,en;q=0.9"), "DOC:en/index"),
        ("/index.html", Some("fr, ar;q=0.5, en;q=0.4"), "DOC:index"),
        ("/?lang=en", None, "DOC:en/index"),
        ("/?lang=ar", Some("en"), "DOC:index"),
        ("/en/", None, "DOC:en/index"),
        ("/ar/index.html", Some("en"), "DOC:ar/index"),
        ("/en/embed.html", None, "DOC:en/embed"),
        ("/embed.html?lang=en", None, "DOC:en/embed"),
        ("/embed.html", None, "DOC:embed"),
    ] {
        let before = now_ms();
        let (html, vary) = get_doc(&server, path, al).await;
        assert!(html.contains(want), "{path} {al:?}: {html}");
        let t = shown_at(&html);
        assert!(t >= before && t <= now_ms(), "{path}: {t}");
        if path == "/" || path == "/index.html" {
            assert!(
                vary.to_lowercase().contains("accept-language"),
                "{path}: {vary}"
            );
        }
    }
}

#[tokio::test]
async fn the_endpoint_url_is_written_into_every_forms_action() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let url = "https://api.example.org/api/submissions";
    let server = start(&db, Some(&dist), &["--endpoint-url", url]);
    for path in ["/", "/en/", "/ar/embed.html"] {
        let resp = no_redirects().get(server.url(path)).send().await.unwrap();
        let csp = header(&resp, "content-security-policy");
        assert!(
            csp.contains("form-action 'self' https://api.example.org"),
            "{csp}"
        );
        let html = resp.text().await.unwrap();
        assert!(
            html.contains(&format!("action=\"{url}\"")),
            "{path}: {html}"
        );
        assert!(
            html.contains("form-action 'self' https://api.example.org"),
            "{path}"
        );
    }
}

/// With the app's own documents (bare ones filled as the build fills
/// them): the embed's form-only view, and a post of that form's controls.
#[tokio::test]
async fn the_apps_own_documents_serve_and_answer() {
    let db = TestDb::new();
    let dist = db.dir.path().join("dist");
    for lang in [Lang::Ar, Lang::En] {
        for (name, shell) in [("index.html", Shell::Page), ("embed.html", Shell::Embed)] {
            let place = Place {
                lang,
                shell,
                view: View::Full,
                action: "/api/submissions",
            };
            let doc = fill_document(&bare_document(lang), &place, &FormState::Blank).unwrap();
            let file = dist.join(lang.code()).join(name);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            if lang == Lang::Ar {
                std::fs::write(dist.join(name), &doc).unwrap();
            }
            std::fs::write(file, doc).unwrap();
        }
    }
    let server = start(&db, Some(&dist), &[]);
    let (page, _) = get_doc(&server, "/en/", None).await;
    assert!(page.contains("action=\"/api/submissions\""), "{page}");
    assert!(page.contains("name=\"shown_at\""), "{page}");
    shown_at(&page);
    let (embed, _) = get_doc(&server, "/embed.html?lang=en&view=form", None).await;
    assert!(
        embed.contains("name=\"view\"") && embed.contains("value=\"form\""),
        "{embed}"
    );

    let form = with(&with(&complete_form(), "language", "en"), "shell", "embed");
    let (location, reference) = receipt_of(&post_form(&server, &form).await);
    let resp = no_redirects()
        .get(server.url(&location))
        .send()
        .await
        .unwrap();
    assert!(
        resp.headers().get("x-frame-options").is_none(),
        "the embed's receipt must be frameable"
    );
    assert!(html_answer(resp, StatusCode::OK).await.contains(&reference));
}

#[tokio::test]
async fn the_time_a_form_was_shown_counts_only_when_this_server_signed_it() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = start(&db, Some(&dist), &[]);
    // A bot sends an old time it made up: no time at all, so too fast.
    let forged = with(
        &with(&complete_form(), "title", "forged"),
        "shown_at",
        &(now_ms() - 60_000).to_string(),
    );
    let resp = post_raw(&server, FORM, encode(&forged).into_bytes()).await;
    let (_, r) = receipt_of(&resp);
    assert_eq!(row(&db, &r).await.1.as_deref(), Some("too_fast"));
    let signed = signed_shown_at(&server, now_ms() - 60_000).await;
    let (ms, rest) = signed.split_once('.').unwrap();
    let older = format!("{}.{rest}", ms.parse::<u64>().unwrap() - 60_000);
    let tampered = with(
        &with(&complete_form(), "title", "tampered"),
        "shown_at",
        &older,
    );
    let resp = post_raw(&server, FORM, encode(&tampered).into_bytes()).await;
    assert_eq!(
        row(&db, &receipt_of(&resp).1).await.1.as_deref(),
        Some("too_fast")
    );

    // A person shown the form 10 s ago makes a mistake, then corrects it at
    // once: the 422 page keeps the first time, so the correction is no bot's.
    let shown = signed_shown_at(&server, now_ms() - 10_000).await;
    let wrong = with(
        &with(&complete_form(), "email", "not an address"),
        "shown_at",
        &shown,
    );
    let resp = post_raw(&server, FORM, encode(&wrong).into_bytes()).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = resp.text().await.unwrap();
    assert_eq!(
        shown_at_value(&page),
        shown,
        "the refused form keeps its time"
    );
    let fixed = with(
        &with(&complete_form(), "title", "corrected"),
        "shown_at",
        &shown_at_value(&page),
    );
    let resp = post_raw(&server, FORM, encode(&fixed).into_bytes()).await;
    let (_, r) = receipt_of(&resp);
    assert_eq!(
        row(&db, &r).await.1,
        None,
        "corrected within a second: not flagged"
    );
    record(
        "Form without JavaScript",
        "`shown_at` made up (an old time unsigned) or its time altered under a real signature",
        "counts as no time: stored flagged `too_fast`, answered as a person is",
    );
    record(
        "Form without JavaScript",
        "a person corrects a refused form within a second of the 422",
        "the 422 page keeps the first signed time: stored unflagged",
    );
}

#[tokio::test]
async fn someone_who_knows_a_persons_words_cannot_take_their_key() {
    let db = TestDb::new();
    let dist = fixture_dist(&db);
    let server = start(&db, Some(&dist), &[]);
    let words = with(&complete_form(), "title", "words someone knows");
    // The attacker posts them first, from a document of their own, as a bot.
    let attacker = with(
        &words,
        "shown_at",
        &signed_shown_at(&server, now_ms() - 20_000).await,
    );
    let attacker = with(&attacker, "website", "x");
    let (_, theirs) = receipt_of(&post_raw(&server, FORM, encode(&attacker).into_bytes()).await);
    assert_eq!(row(&db, &theirs).await.1.as_deref(), Some("honeypot"));
    // The person's own post, from their document: stored as theirs, not 409, not merged.
    let person = with(
        &words,
        "shown_at",
        &signed_shown_at(&server, now_ms() - 10_000).await,
    );
    let resp = post_raw(&server, FORM, encode(&person).into_bytes()).await;
    let (_, mine) = receipt_of(&resp);
    assert_ne!(mine, theirs);
    assert_eq!(
        row(&db, &mine).await.1,
        None,
        "the person's input is not flagged"
    );
    // The same document posted twice (a double click) is still one input.
    let again = post_raw(&server, FORM, encode(&person).into_bytes()).await;
    assert_eq!(receipt_of(&again).1, mine);
    record(
        "Form without JavaScript",
        "a person's exact words posted first by someone else (honeypot filled), then by the person",
        "two rows: the other's flagged, the person's their own (the key binds the document's signed `shown_at`); no 409",
    );
}

/// A form post as a browser on `origin` sends it, cross-site.
async fn post_from(server: &Server, origin: &str, form: &[(&str, String)]) -> reqwest::Response {
    let mut form = form.to_vec();
    for (name, value) in form.iter_mut() {
        if *name == "shown_at" {
            *value = signed_shown_at(server, value.parse().unwrap()).await;
        }
    }
    no_redirects()
        .post(server.url("/api/submissions"))
        .header("content-type", FORM)
        .header("origin", origin)
        .header("sec-fetch-site", "cross-site")
        .body(encode(&form))
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn forms_posted_from_sites_not_listed_are_refused_with_a_page_that_says_why() {
    let db = TestDb::new();
    let server = start(&db, None, &["--cors-origin", "https://partner.example"]);
    let resp = post_from(&server, "https://evil.example", &complete_form()).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let page = resp.text().await.unwrap();
    assert!(
        page.contains("أُرسل النموذج من موقع غير مأذون له بإرساله"),
        "{page}"
    );
    assert_eq!(count_rows(&db.path()).await, 0);
    // A listed partner's page, this site's own page, and a client that says nothing.
    receipt_of(&post_from(&server, "https://partner.example", &complete_form()).await);
    let own = server.base.clone();
    let title = with(&complete_form(), "title", "from this site");
    receipt_of(&post_from(&server, &own, &title).await);
    receipt_of(&post_form(&server, &with(&complete_form(), "title", "no word")).await);
    assert_eq!(count_rows(&db.path()).await, 3);
    // Without a list only this site's pages post; with any origin allowed, every site's do.
    let db2 = TestDb::new();
    let closed = start(&db2, None, &[]);
    let resp = post_from(&closed, "https://partner.example", &complete_form()).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let db3 = TestDb::new();
    let open = start(&db3, None, &["--cors-allow-any-origin"]);
    receipt_of(&post_from(&open, "https://evil.example", &complete_form()).await);
    record(
        "Form without JavaScript",
        "a form posted from a site not in `--cors-origin` (`Origin` another site, `Sec-Fetch-Site: cross-site`)",
        "403 foreign_origin, a page in the visitor's language saying why; nothing stored; listed partners, this site and `--cors-allow-any-origin` post",
    );
}
