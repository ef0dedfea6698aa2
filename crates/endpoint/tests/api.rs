//! The HTTP API against the real binary.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn health_is_ok() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let resp = client()
        .get(server.url("/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.json::<Value>().await.unwrap(), json!({"status": "ok"}));
    // The database file was created on first start.
    assert!(db.path().exists());
}

#[tokio::test]
async fn created_then_stored_normalised() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let mut body = valid_body();
    // Upper-case key and untidy name: stored as validate() normalises them.
    let key = key_of(&body).to_uppercase();
    body["idempotency_key"] = json!(key);
    body["name"] = json!("  سارة   أحمد ");
    let resp = submit(&client(), &server, &body).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let reference = resp.json::<Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reference.starts_with("IMRF-") && reference.len() == 13,
        "{reference}"
    );

    let row = row_by_key(&db.path(), &key.to_lowercase())
        .await
        .expect("row stored");
    assert_eq!(row["reference"], json!(reference));
    assert_eq!(row["name"], json!("سارة أحمد"));
    assert_eq!(row["email"], json!("sara@example.org"));
    assert_eq!(row["country"], json!("EG"));
    assert_eq!(row["stakeholder_group"], json!("civil_society"));
    assert_eq!(row["input"], json!("نص المدخلات"));
    assert_eq!(row["consent"], json!(true));
    assert_eq!(row["fill_ms"], json!(5000));
    assert_eq!(row["flagged"], Value::Null);
    assert_eq!(row["body_hash"].as_str().unwrap().len(), 64);
    let received_at = row["received_at"].as_str().unwrap();
    assert!(
        received_at.ends_with('Z') && received_at.len() == 24,
        "{received_at}"
    );
    assert_eq!(count_rows(&db.path()).await, 1);

    // The log line names the reference and carries no personal data.
    let log = server.log();
    assert!(log.contains(&reference), "{log}");
    for personal in ["سارة", "sara@example.org", "نص المدخلات"] {
        assert!(!log.contains(personal), "log leaks {personal}: {log}");
    }
}

#[tokio::test]
async fn same_key_same_body_replays_reference() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let c = client();
    let mut body = valid_body();
    let first = submit(&c, &server, &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first_ref = first.json::<Value>().await.unwrap()["reference"].clone();

    // fill_ms and surrounding spaces do not make a body different.
    body["fill_ms"] = json!(9000);
    body["title"] = json!("  عنوان ");
    let again = submit(&c, &server, &body).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await.unwrap()["reference"], first_ref);
    assert_eq!(count_rows(&db.path()).await, 1);
}

#[tokio::test]
async fn same_key_different_body_conflicts() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let c = client();
    let mut body = valid_body();
    assert_eq!(
        submit(&c, &server, &body).await.status(),
        StatusCode::CREATED
    );
    body["input"] = json!("نص آخر");
    let resp = submit(&c, &server, &body).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let pairs = error_pairs(&resp.json().await.unwrap());
    assert_eq!(
        pairs,
        vec![("idempotency_key".into(), "idempotency_conflict".into())]
    );
    let row = row_by_key(&db.path(), &key_of(&body)).await.unwrap();
    assert_eq!(row["input"], json!("نص المدخلات"));
    assert_eq!(count_rows(&db.path()).await, 1);
}

#[tokio::test]
async fn concurrent_same_key_stores_once() {
    let db = TestDb::new();
    let server = Server::start(&db, &["--rate-limit-per-minute", "0"]);
    let c = client();
    let body = valid_body();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let (c, body, url, key) = (
            c.clone(),
            body.clone(),
            server.url("/api/submissions"),
            key_of(&body),
        );
        tasks.spawn(async move {
            let r = c
                .post(url)
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
                .await
                .unwrap();
            (
                r.status(),
                r.json::<Value>().await.unwrap()["reference"].clone(),
            )
        });
    }
    let results = tasks.join_all().await;
    let created = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{results:?}");
    assert!(results
        .iter()
        .all(|(s, r)| (*s == StatusCode::CREATED || *s == StatusCode::OK) && *r == results[0].1));
    assert_eq!(count_rows(&db.path()).await, 1);
}

#[tokio::test]
async fn idempotency_header_is_required_and_must_match() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let c = client();
    let body = valid_body();
    let missing = c
        .post(server.url("/api/submissions"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        error_pairs(&missing.json().await.unwrap()),
        vec![("idempotency_key".into(), "header_missing".into())]
    );
    let other = c
        .post(server.url("/api/submissions"))
        .header("Idempotency-Key", new_key())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        error_pairs(&other.json().await.unwrap()),
        vec![("idempotency_key".into(), "header_mismatch".into())]
    );
    assert_eq!(count_rows(&db.path()).await, 0);
}

#[tokio::test]
async fn invalid_submission_is_422_with_field_errors() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let mut body = valid_body();
    body["name"] = json!("   ");
    body["email"] = json!("not-an-email");
    body["consent"] = json!(false);
    body["link"] = json!("ftp://example.org/x");
    let resp = submit(&client(), &server, &body).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let pairs = error_pairs(&resp.json().await.unwrap());
    assert_eq!(
        pairs,
        vec![
            ("name".into(), "required".into()),
            ("email".into(), "email_syntax".into()),
            ("link".into(), "url_scheme".into()),
            ("consent".into(), "consent_required".into()),
        ]
    );
    assert_eq!(count_rows(&db.path()).await, 0);
}

#[tokio::test]
async fn malformed_json_is_400_json() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let c = client();
    let key = new_key();
    let mut wrong_type = valid_body();
    wrong_type["consent"] = json!("yes");
    let mut unknown_field = valid_body();
    unknown_field["admin"] = json!(true);
    for raw in [
        "{not json".to_string(),
        wrong_type.to_string(),
        unknown_field.to_string(),
        "[]".to_string(),
    ] {
        let resp = c
            .post(server.url("/api/submissions"))
            .header("Idempotency-Key", &key)
            .header("Content-Type", "application/json")
            .body(raw.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{raw}");
        assert_eq!(
            error_pairs(&resp.json().await.unwrap()),
            vec![("body".into(), "malformed".into())],
            "{raw}"
        );
    }
    // Not JSON at all: 415, same error shape.
    let resp = c
        .post(server.url("/api/submissions"))
        .header("Idempotency-Key", &key)
        .header("Content-Type", "text/plain")
        .body(valid_body().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    error_pairs(&resp.json().await.unwrap());
    assert_eq!(count_rows(&db.path()).await, 0);
}

#[tokio::test]
async fn oversized_body_is_413_json() {
    let db = TestDb::new();
    let server = Server::start(&db, &["--max-body-bytes", "2048"]);
    let c = client();
    let mut body = valid_body();
    body["input"] = json!("ن".repeat(3000));
    let resp = submit(&c, &server, &body).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        error_pairs(&resp.json().await.unwrap()),
        vec![("body".into(), "too_large".into())]
    );
    // Just under the limit is fine.
    let ok = submit(&c, &server, &valid_body()).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    assert_eq!(count_rows(&db.path()).await, 1);
}

#[tokio::test]
async fn rate_limit_is_429_with_retry_after() {
    let db = TestDb::new();
    let server = Server::start(&db, &["--rate-limit-per-minute", "3"]);
    let c = client();
    for _ in 0..3 {
        assert_eq!(
            submit(&c, &server, &valid_body()).await.status(),
            StatusCode::CREATED
        );
    }
    let resp = submit(&c, &server, &valid_body()).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert_eq!(
        error_pairs(&resp.json().await.unwrap()),
        vec![("request".into(), "rate_limited".into())]
    );
    assert_eq!(count_rows(&db.path()).await, 3);
    // Health is not rate limited.
    let h = c.get(server.url("/api/health")).send().await.unwrap();
    assert_eq!(h.status(), StatusCode::OK);
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_trusted() {
    let c = client();
    for (trust, expect_second) in [
        (false, StatusCode::TOO_MANY_REQUESTS),
        (true, StatusCode::CREATED),
    ] {
        let db = TestDb::new();
        let mut args = vec!["--rate-limit-per-minute", "1"];
        if trust {
            args.push("--trust-forwarded-for");
        }
        let server = Server::start(&db, &args);
        let mut statuses = vec![];
        for ip in ["203.0.113.1", "203.0.113.2"] {
            let body = valid_body();
            let r = c
                .post(server.url("/api/submissions"))
                .header("Idempotency-Key", key_of(&body))
                .header("X-Forwarded-For", format!("198.51.100.7, {ip}"))
                .json(&body)
                .send()
                .await
                .unwrap();
            statuses.push(r.status());
        }
        assert_eq!(
            statuses,
            vec![StatusCode::CREATED, expect_second],
            "trust={trust}"
        );
    }
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let db = TestDb::new();
    let server = Server::start(
        &db,
        &[
            "--cors-origin",
            "https://form.example.org",
            "--cors-origin",
            "http://localhost:8080",
        ],
    );
    let c = client();
    let body = valid_body();
    let allowed = c
        .post(server.url("/api/submissions"))
        .header("Origin", "https://form.example.org")
        .header("Idempotency-Key", key_of(&body))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), StatusCode::CREATED);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://form.example.org"
    );
    let expose = allowed.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(expose.contains("retry-after"), "{expose}");

    let refused = c
        .get(server.url("/api/health"))
        .header("Origin", "https://evil.example.com")
        .send()
        .await
        .unwrap();
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    // Preflight from the allowed origin.
    let pre = c
        .request(reqwest::Method::OPTIONS, server.url("/api/submissions"))
        .header("Origin", "http://localhost:8080")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type,idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success(), "{}", pre.status());
    assert_eq!(
        pre.headers()["access-control-allow-origin"],
        "http://localhost:8080"
    );
    let methods = pre.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        methods.contains("POST") && methods.contains("GET") && methods.contains("OPTIONS"),
        "{methods}"
    );
    let headers = pre.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        headers.contains("content-type") && headers.contains("idempotency-key"),
        "{headers}"
    );

    // Preflight from a refused origin: no allow-origin.
    let pre_refused = c
        .request(reqwest::Method::OPTIONS, server.url("/api/submissions"))
        .header("Origin", "https://evil.example.com")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert!(pre_refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

/// Without a `--cors-origin` list any site's page may read the API's
/// answers (issue 26: the partner's two lines work with the shipped
/// configuration): the submissions and the health the widget checks at
/// load. The console's routes stay same-origin; a list means only the list.
#[tokio::test]
async fn any_origin_reads_the_api_by_default() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let get = |path: &'static str, origin: &'static str| {
        client()
            .get(server.url(path))
            .header("Origin", origin)
            .send()
    };
    let r = get("/api/health", "https://form.example.org")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let pre = client()
        .request(reqwest::Method::OPTIONS, server.url("/api/submissions"))
        .header("Origin", "https://anyone.example")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type,idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success(), "{}", pre.status());
    assert_eq!(pre.headers()["access-control-allow-origin"], "*");
    let body = valid_body();
    let sent = client()
        .post(server.url("/api/submissions"))
        .header("Origin", "https://anyone.example")
        .header("Idempotency-Key", key_of(&body))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::CREATED);
    assert_eq!(sent.headers()["access-control-allow-origin"], "*");
    for path in [
        "/api/metrics",
        "/en/receipt?ref=IMRF-00000000",
        "/en/withdraw",
    ] {
        let r = get(path, "https://anyone.example").await.unwrap();
        assert!(
            r.headers().get("access-control-allow-origin").is_none(),
            "{path} is the console's, not for other sites"
        );
    }

    // With a list, the widget's check tells a listed page from another.
    let db2 = TestDb::new();
    let listed = Server::start(&db2, &["--cors-origin", "https://partner.example"]);
    let probe = |origin: &'static str| {
        client()
            .get(listed.url("/api/health"))
            .header("Origin", origin)
            .send()
    };
    let ok = probe("https://partner.example").await.unwrap();
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://partner.example"
    );
    let other = probe("https://other.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[test]
fn a_list_and_any_origin_together_are_refused_at_start() {
    let db = TestDb::new();
    let mut child = command()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db.url(),
            "--cors-origin",
            "https://partner.example",
            "--cors-allow-any-origin",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the server started with a list and --cors-allow-any-origin");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(!status.success());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("a list means only the list"), "{err}");
}

#[tokio::test]
async fn sql_injection_shaped_input_is_stored_verbatim() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let evil = "Robert'); DROP TABLE submissions;--";
    let mut body = valid_body();
    body["name"] = json!(evil);
    body["organisation"] = json!("x' OR '1'='1");
    body["input"] = json!("\"; DELETE FROM submissions; --");
    assert_eq!(
        submit(&client(), &server, &body).await.status(),
        StatusCode::CREATED
    );
    let row = row_by_key(&db.path(), &key_of(&body))
        .await
        .expect("table still there");
    assert_eq!(row["name"], json!(evil));
    assert_eq!(row["organisation"], json!("x' OR '1'='1"));
    assert_eq!(row["input"], json!("\"; DELETE FROM submissions; --"));
    assert_eq!(count_rows(&db.path()).await, 1);
}

#[tokio::test]
async fn bots_get_a_reference_but_are_stored_flagged() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let c = client();
    let mut honeypot = valid_body();
    honeypot["website"] = json!("http://spam.example");
    let mut too_fast = valid_body();
    too_fast["fill_ms"] = json!(120);
    let person = valid_body();
    for (body, flag) in [
        (&honeypot, json!("honeypot")),
        (&too_fast, json!("too_fast")),
        (&person, Value::Null),
    ] {
        let resp = submit(&c, &server, body).await;
        assert_eq!(resp.status(), StatusCode::CREATED);
        let reference = resp.json::<Value>().await.unwrap()["reference"].clone();
        let row = row_by_key(&db.path(), &key_of(body)).await.unwrap();
        assert_eq!(row["flagged"], flag);
        assert_eq!(row["reference"], reference);
    }
}

#[tokio::test]
async fn min_fill_ms_is_configurable() {
    let db = TestDb::new();
    let server = Server::start(&db, &["--min-fill-ms", "10000"]);
    let body = valid_body(); // fill_ms 5000
    assert_eq!(
        submit(&client(), &server, &body).await.status(),
        StatusCode::CREATED
    );
    let row = row_by_key(&db.path(), &key_of(&body)).await.unwrap();
    assert_eq!(row["flagged"], json!("too_fast"));
}

#[tokio::test]
async fn unknown_api_paths_and_methods_are_json() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let c = client();
    let r = c.get(server.url("/api/nope")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    error_pairs(&r.json().await.unwrap());
    let r = c.get(server.url("/api/submissions")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    error_pairs(&r.json().await.unwrap());
    let r = c.get(server.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn static_files_with_security_headers() {
    let db = TestDb::new();
    let site = tempfile::tempdir().unwrap();
    let index = format!(
        "<!doctype html><title>IMRF</title>{}",
        "<p>مرحبا</p>".repeat(100)
    );
    std::fs::write(site.path().join("index.html"), &index).unwrap();
    let wasm: Vec<u8> = b"\0asm\x01\0\0\0"
        .iter()
        .copied()
        .chain(std::iter::repeat_n(0u8, 4000))
        .collect();
    std::fs::write(site.path().join("app_bg.wasm"), &wasm).unwrap();
    std::fs::write(site.path().join("app-0123456789abcdef_bg.wasm"), &wasm).unwrap();
    let server = Server::start(&db, &["--static-dir", site.path().to_str().unwrap()]);
    // No automatic decompression in this client: gzip is visible.
    let c = client();

    let r = c.get(server.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("object-src 'none'"),
        "{csp}"
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        r.headers()["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    assert_eq!(
        r.headers()["cache-control"],
        "no-cache",
        "the page is revalidated"
    );
    assert_eq!(r.text().await.unwrap(), index);

    // A content-hashed artifact is cached for good; a stable name is not.
    let r = c
        .get(server.url("/app-0123456789abcdef_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let r = c.get(server.url("/app_bg.wasm")).send().await.unwrap();
    assert_eq!(r.headers()["cache-control"], "no-cache");
    // An old release's artifact is a 404, not the page cached for a year.
    let r = c
        .get(server.url("/app-fedcba9876543210_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.headers()["cache-control"], "no-cache");

    let r = c.get(server.url("/app_bg.wasm")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/wasm");
    assert_eq!(r.bytes().await.unwrap().to_vec(), wasm);

    let r = c
        .get(server.url("/app_bg.wasm"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    assert!(r.bytes().await.unwrap().len() < wasm.len());

    // An address no file has is a 404 page (there are no client-side
    // routes: issue 20), never index.html; API paths keep their JSON.
    let r = c.get(server.url("/en/submit")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_ne!(r.text().await.unwrap(), index);
    let r = c.get(server.url("/api/unknown")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    error_pairs(&r.json().await.unwrap());

    // A custom policy.
    drop(server);
    let server = Server::start(
        &db,
        &[
            "--static-dir",
            site.path().to_str().unwrap(),
            "--csp",
            "default-src 'none'",
        ],
    );
    let r = c.get(server.url("/")).send().await.unwrap();
    // The page may not be framed (frame-ancestors is added to the operator's policy).
    assert_eq!(
        r.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
}

#[tokio::test]
async fn wildcard_cors_origin_is_refused_at_start() {
    let db = TestDb::new();
    let out = command()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db.url(),
            "--cors-origin",
            "*",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("wildcard"));
}
