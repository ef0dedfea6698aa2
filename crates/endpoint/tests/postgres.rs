//! The same API against PostgreSQL. Runs only when `IMRF_TEST_POSTGRES_URL`
//! names a database this test may create a table in, e.g.
//! `postgres://postgres@127.0.0.1:5432/imrf_test`; otherwise each test says it
//! is skipped and passes.

mod common;

use std::process::Stdio;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::{PgPool, Row};

fn pg_url(test: &str) -> Option<String> {
    match std::env::var("IMRF_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("{test}: skipped (set IMRF_TEST_POSTGRES_URL to run it)");
            None
        }
    }
}

/// Starts the binary on PostgreSQL (the `TestDb` only holds the log).
fn start_pg(db: &TestDb, url: &str, extra: &[&str]) -> Server {
    Server::start_with_url(db, url, extra)
}

#[tokio::test]
async fn postgres_store_replay_conflict_and_flags() {
    let Some(url) = pg_url("postgres_store_replay_conflict_and_flags") else {
        return;
    };
    let db = TestDb::new();
    let server = start_pg(&db, &url, &["--rate-limit-per-minute", "0"]);
    let c = client();
    let h = c.get(server.url("/api/health")).send().await.unwrap();
    assert_eq!(h.status(), StatusCode::OK);

    let mut body = valid_body();
    body["name"] = json!("Robert'); DROP TABLE submissions;--");
    let first = submit(&c, &server, &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let reference = first.json::<Value>().await.unwrap()["reference"].clone();
    body["fill_ms"] = json!(7000);
    let again = submit(&c, &server, &body).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await.unwrap()["reference"], reference);
    body["input"] = json!("نص آخر");
    assert_eq!(
        submit(&c, &server, &body).await.status(),
        StatusCode::CONFLICT
    );

    let mut bot = valid_body();
    bot["website"] = json!("x");
    assert_eq!(
        submit(&c, &server, &bot).await.status(),
        StatusCode::CREATED
    );

    let pool = PgPool::connect(&url).await.unwrap();
    let row = sqlx::query("SELECT reference, name, input, consent, fill_ms, flagged FROM submissions WHERE idempotency_key = $1")
        .bind(key_of(&body))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(json!(row.get::<String, _>("reference")), reference);
    assert_eq!(
        row.get::<String, _>("name"),
        "Robert'); DROP TABLE submissions;--"
    );
    assert_eq!(row.get::<String, _>("input"), "نص المدخلات");
    assert!(row.get::<bool, _>("consent"));
    assert_eq!(row.get::<i64, _>("fill_ms"), 5000);
    assert_eq!(row.get::<Option<String>, _>("flagged"), None);
    let flagged: Option<String> =
        sqlx::query_scalar("SELECT flagged FROM submissions WHERE idempotency_key = $1")
            .bind(key_of(&bot))
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(flagged.as_deref(), Some("honeypot"));
    pool.close().await;

    // Export reads the same database.
    let out = command()
        .args([
            "export",
            "--format",
            "jsonl",
            "--include-flagged",
            "--database-url",
            &url,
        ])
        .stderr(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ours = rows
        .iter()
        .find(|r| r["idempotency_key"] == json!(key_of(&body)))
        .unwrap();
    assert_eq!(ours["reference"], reference);
    assert_eq!(ours["consent"], json!(true));
    assert!(rows
        .iter()
        .any(|r| r["idempotency_key"] == json!(key_of(&bot)) && r["flagged"] == json!("honeypot")));
}

#[tokio::test]
async fn postgres_concurrent_same_key_stores_once() {
    let Some(url) = pg_url("postgres_concurrent_same_key_stores_once") else {
        return;
    };
    let db = TestDb::new();
    let server = start_pg(&db, &url, &["--rate-limit-per-minute", "0"]);
    let c = client();
    let body = valid_body();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let (c, body, url) = (c.clone(), body.clone(), server.url("/api/submissions"));
        tasks.spawn(async move {
            let r = c
                .post(url)
                .header("Idempotency-Key", key_of(&body))
                .json(&body)
                .send()
                .await
                .unwrap();
            r.status()
        });
    }
    let statuses = tasks.join_all().await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::CREATED || *s == StatusCode::OK));
    let pool = PgPool::connect(&url).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions WHERE idempotency_key = $1")
        .bind(key_of(&body))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
    pool.close().await;
}

/// The receipt's lookup (`Store::reference_exists`) on PostgreSQL: a stored
/// reference has its page, any other is 404.
#[tokio::test]
async fn postgres_receipts_find_stored_references_only() {
    let Some(url) = pg_url("postgres_receipts_find_stored_references_only") else {
        return;
    };
    let db = TestDb::new();
    let server = start_pg(&db, &url, &["--rate-limit-per-minute", "0"]);
    let c = client();
    let first = submit(&c, &server, &valid_body()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let reference = first.json::<Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let found = c
        .get(server.url(&format!("/en/receipt?reference={reference}")))
        .send()
        .await
        .unwrap();
    assert_eq!(found.status(), StatusCode::OK);
    assert!(found.text().await.unwrap().contains(&reference));
    let missing = c
        .get(server.url("/en/receipt?reference=IMRF-00000000"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// This round's queries on PostgreSQL: the stored totals of `/api/metrics`
/// (issue 26, case 11), `export --since` by the order stored and read-only
/// (issue 27, cases 14 and 16), and `purge`'s condition (case 18).
#[tokio::test]
async fn postgres_metrics_totals_export_since_and_purge() {
    let Some(url) = pg_url("postgres_metrics_totals_export_since_and_purge") else {
        return;
    };
    let db = TestDb::new();
    let server = start_pg(&db, &url, &["--rate-limit-per-minute", "0"]);
    let c = client();
    let mut bot = valid_body();
    bot["website"] = json!("x");
    for body in [valid_body(), bot] {
        assert_eq!(
            submit(&c, &server, &body).await.status(),
            StatusCode::CREATED
        );
    }
    let pool = PgPool::connect(&url).await.unwrap();
    let (all, honeypot): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(CASE WHEN flagged = 'honeypot' THEN 1 END) FROM submissions",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let latest: String =
        sqlx::query_scalar("SELECT received_at FROM submissions ORDER BY id DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    pool.close().await;
    let text = c
        .get(server.url("/api/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The other tests share the database and may store more meanwhile.
    let value = |name: &str| -> i64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    assert!(value("imrf_submissions_stored") >= all, "{text}");
    assert!(
        value("imrf_submissions_stored_flagged{reason=\"honeypot\"}") >= honeypot,
        "{text}"
    );
    let out = command()
        .args([
            "export",
            "--format",
            "jsonl",
            "--include-flagged",
            "--since",
            &latest,
            "--database-url",
            &url,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8(out.stdout).unwrap().lines().count() >= 1);
    let out = command()
        .args([
            "purge",
            "--before",
            "2000-01-01",
            "--dry-run",
            "--database-url",
            &url,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("purge: 0 submissions"));
}
