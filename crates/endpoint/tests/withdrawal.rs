//! Withdrawal without an account: the receipt's address and the JSON answer
//! carry a link bound to the reference by an HMAC with the server's key; the
//! link's page asks once more, its form withdraws. Attacks: a tampered
//! token, another reference's token, a token from another server, the
//! reference alone, a repeated field; each changes nothing.

mod common;
mod hostile;

use common::*;
use hostile::record;
use reqwest::StatusCode;
use serde_json::Value;

const FORM: &str = "application/x-www-form-urlencoded";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A valid JSON submission; its reference and withdrawal path.
async fn submitted(server: &Server, language: &str) -> (String, String) {
    let mut body = valid_body();
    body["language"] = Value::from(language);
    let resp = submit(&client(), server, &body).await;
    assert_eq!(resp.status(), 201);
    let v: Value = resp.json().await.unwrap();
    (
        v["reference"].as_str().unwrap().to_string(),
        v["withdraw_url"]
            .as_str()
            .expect("withdraw_url")
            .to_string(),
    )
}

async fn get(server: &Server, path: &str) -> (StatusCode, String) {
    let resp = no_redirects().get(server.url(path)).send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}

async fn post(server: &Server, path: &str, body: String) -> reqwest::Response {
    no_redirects()
        .post(server.url(path))
        .header("content-type", FORM)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn query_of(path: &str) -> (String, String) {
    let q = path.split_once('?').unwrap().1;
    let mut reference = String::new();
    let mut token = String::new();
    for pair in q.split('&') {
        match pair.split_once('=') {
            Some(("reference", v)) => reference = v.to_string(),
            Some(("token", v)) => token = v.to_string(),
            _ => {}
        }
    }
    (reference, token)
}

async fn withdrawn(db: &TestDb, reference: &str) -> i64 {
    let pool = open_db(&db.path()).await;
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM withdrawals WHERE reference = ?")
        .bind(reference)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

#[tokio::test]
async fn the_link_asks_once_more_then_withdraws_once() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let (reference, link) = submitted(&server, "en").await;
    assert!(
        link.starts_with(&format!("/en/withdraw?reference={reference}&token=")),
        "{link}"
    );

    let (status, page) = get(&server, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Withdraw your input"), "{page}");
    assert!(
        page.contains(r#"<form method="post" action="/en/withdraw""#),
        "{page}"
    );
    assert!(page.contains(r#"class="imrf-withdraw-form""#), "{page}");
    assert!(page.contains(&reference));
    assert_eq!(withdrawn(&db, &reference).await, 0, "a GET changes nothing");

    let (_, token) = query_of(&link);
    let body = format!("reference={reference}&token={token}&shell=page&view=full");
    let resp = post(&server, "/en/withdraw", body.clone()).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"].to_str().unwrap(), link);
    assert_eq!(withdrawn(&db, &reference).await, 1);
    let (status, page) = get(&server, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Your input has been withdrawn"), "{page}");
    assert!(!page.contains("imrf-withdraw-form"), "no second question");

    // Twice is harmless.
    let again = post(&server, "/en/withdraw", body).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(withdrawn(&db, &reference).await, 1);
}

#[tokio::test]
async fn a_wrong_or_altered_link_says_so_and_changes_nothing() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let (reference, link) = submitted(&server, "ar").await;
    let (other, other_link) = submitted(&server, "ar").await;
    let (_, token) = query_of(&link);
    let (_, other_token) = query_of(&other_link);
    let mut altered = token.clone().into_bytes();
    altered[0] = if altered[0] == b'a' { b'b' } else { b'a' };
    let altered = String::from_utf8(altered).unwrap();
    for (what, query) in [
        (
            "an altered token",
            format!("reference={reference}&token={altered}"),
        ),
        (
            "another reference's token",
            format!("reference={reference}&token={other_token}"),
        ),
        ("no token", format!("reference={reference}")),
        ("an empty token", format!("reference={reference}&token=")),
        (
            "a repeated reference",
            format!("reference={other}&reference={reference}&token={token}"),
        ),
        (
            "a malformed reference",
            format!("reference=IMRF-&token={token}"),
        ),
    ] {
        let (status, page) = get(&server, &format!("/ar/withdraw?{query}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{what}");
        assert!(page.contains("رابط السحب هذا غير صالح"), "{what}: {page}");
        assert!(!page.contains("imrf-withdraw-form"), "{what}");
        let resp = post(&server, "/ar/withdraw", query.clone()).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{what}");
        let page = resp.text().await.unwrap();
        assert!(page.contains("رابط السحب هذا غير صالح"), "{what}: {page}");
    }
    assert_eq!(withdrawn(&db, &reference).await, 0);
    assert_eq!(withdrawn(&db, &other).await, 0);
    record(
        "Withdrawal",
        "a withdrawal link with an altered token, another reference's token, none, an empty one, a repeated reference, a malformed reference (GET and POST)",
        "404 with a page saying the link is not valid; nothing withdrawn",
    );

    // Another server (another database, another key) does not honour this one's links.
    let db2 = TestDb::new();
    let server2 = Server::start(&db2, &[]);
    let (reference2, link2) = submitted(&server2, "ar").await;
    let (_, token2) = query_of(&link2);
    let forged = format!("reference={reference2}&token={token}");
    assert_eq!(
        post(&server2, "/ar/withdraw", forged).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_ne!(token, token2);
    record(
        "Withdrawal",
        "one server's token used on another server's reference (another database, another key)",
        "404, nothing withdrawn: the token cannot be made from the reference",
    );
}

#[tokio::test]
async fn the_receipt_shows_the_link_only_to_whoever_has_its_token() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let (reference, link) = submitted(&server, "ar").await;
    let (_, token) = query_of(&link);
    let (status, with_token) = get(
        &server,
        &format!("/ar/receipt?reference={reference}&token={token}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let href = format!(r#"href="/ar/withdraw?reference={reference}&amp;token={token}""#);
    assert!(with_token.contains(&href), "{with_token}");
    // The reference alone (someone who was told it) shows no link.
    let (status, without) = get(&server, &format!("/ar/receipt?reference={reference}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!without.contains("/ar/withdraw"), "{without}");
    let (_, forged) = get(
        &server,
        &format!("/ar/receipt?reference={reference}&token={}", "0".repeat(32)),
    )
    .await;
    assert!(!forged.contains("/ar/withdraw"), "{forged}");
}

#[tokio::test]
async fn a_deleted_input_has_no_withdrawal_page() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let (reference, link) = submitted(&server, "en").await;
    let out = command()
        .args([
            "delete",
            "--reference",
            &reference,
            "--database-url",
            &db.url(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (status, page) = get(&server, &link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("This withdrawal link is not valid"), "{page}");
}
