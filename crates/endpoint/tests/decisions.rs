//! The secretariat's decisions from the command line: `publish REF...` and
//! `unpublish REF --reason TEXT`, each written with its audit entry; a
//! withdrawn or flagged input is never published.

mod common;

use common::*;
use serde_json::{json, Value};

async fn stored(server: &Server, body: &Value) -> String {
    let resp = submit(&client(), server, body).await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string()
}

fn run(db: &TestDb, args: &[&str]) -> (bool, String) {
    let out = command()
        .args(args)
        .args(["--database-url", &db.url()])
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

async fn decision(
    db: &TestDb,
    reference: &str,
) -> Option<(String, Option<String>, Option<String>)> {
    let pool = open_db(&db.path()).await;
    let row = sqlx::query_as("SELECT state, reason, note FROM decisions WHERE reference = ?")
        .bind(reference)
        .fetch_optional(&pool)
        .await
        .unwrap();
    pool.close().await;
    row
}

async fn log(db: &TestDb, reference: &str) -> Vec<(String, String, String, String)> {
    let pool = open_db(&db.path()).await;
    let rows = sqlx::query_as(
        "SELECT actor, action, from_state, to_state FROM audit_log WHERE reference = ? ORDER BY id",
    )
    .bind(reference)
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows
}

#[tokio::test]
async fn publish_and_unpublish_are_recorded_and_logged() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let a = stored(&server, &valid_body()).await;
    let b = stored(&server, &valid_body()).await;

    let (ok, out) = run(&db, &["publish", &a, &b.to_lowercase()]);
    assert!(ok, "{out}");
    assert!(out.contains(&format!("{a} is now published")), "{out}");
    assert_eq!(
        decision(&db, &a).await,
        Some(("published".into(), None, None))
    );
    assert_eq!(
        decision(&db, &b).await.unwrap().0,
        "published",
        "a reference in lower case is the same"
    );

    // Again: nothing changes, nothing is logged twice.
    let (ok, out) = run(&db, &["publish", &a]);
    assert!(ok && out.contains("already published"), "{out}");
    assert_eq!(log(&db, &a).await.len(), 1);

    let (ok, out) = run(&db, &["unpublish", &a, "--reason", "personal_data"]);
    assert!(ok, "{out}");
    assert_eq!(
        decision(&db, &a).await,
        Some(("not_published".into(), Some("personal_data".into()), None))
    );
    let (ok, _) = run(
        &db,
        &["unpublish", &b, "--reason", "It names a third person"],
    );
    assert!(ok);
    assert_eq!(
        decision(&db, &b).await,
        Some((
            "not_published".into(),
            Some("other".into()),
            Some("It names a third person".into())
        ))
    );
    let (ok, tsv) = run(&db, &["audit", &a]);
    assert!(ok, "{tsv}");
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two entries: {tsv}");
    assert!(
        lines[2].contains("\tdo_not_publish\t")
            && lines[2].contains("\tnot_published:personal_data\t"),
        "{tsv}"
    );
    let (_, all) = run(&db, &["audit"]);
    assert_eq!(all.lines().count(), 1 + 2 + 2, "{all}");
    let entries = log(&db, &a).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(entries[0].0.starts_with("cli:"), "{entries:?}");
    assert_eq!(
        (
            entries[1].1.as_str(),
            entries[1].2.as_str(),
            entries[1].3.as_str()
        ),
        ("do_not_publish", "published", "not_published:personal_data")
    );
    // The log holds no input's text.
    let pool = open_db(&db.path()).await;
    let texts: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE note LIKE '%نص المدخلات%' OR reason LIKE '%نص%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(texts, 0);
}

#[tokio::test]
async fn withdrawn_flagged_and_unknown_inputs_are_refused() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let ok_ref = stored(&server, &valid_body()).await;
    let mut bot = valid_body();
    bot["website"] = json!("x");
    let flagged = stored(&server, &bot).await;
    // A withdrawn one: through its own link.
    let body = valid_body();
    let resp = submit(&client(), &server, &body).await;
    let v: Value = resp.json().await.unwrap();
    let withdrawn = v["reference"].as_str().unwrap().to_string();
    let token = v["withdraw_url"]
        .as_str()
        .unwrap()
        .rsplit("token=")
        .next()
        .unwrap()
        .to_string();
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(server.url("/ar/withdraw"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("reference={withdrawn}&token={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);

    let (ok, out) = run(
        &db,
        &[
            "publish",
            &ok_ref,
            &withdrawn,
            &flagged,
            "IMRF-00000000",
            "nonsense",
        ],
    );
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("{ok_ref} is now published")),
        "the valid one is done: {out}"
    );
    assert!(
        out.contains(&format!(
            "{withdrawn} is not changed: its sender withdrew it"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("{flagged} is not changed")) && out.contains("flagged"),
        "{out}"
    );
    assert!(
        out.contains("no submission has the reference IMRF-00000000"),
        "{out}"
    );
    assert!(out.contains("\"nonsense\" is not a reference"), "{out}");
    assert!(out.contains("4 of 5 not published"), "{out}");
    assert_eq!(decision(&db, &withdrawn).await, None);
    assert_eq!(decision(&db, &flagged).await, None);
    let (ok, out) = run(&db, &["unpublish", &withdrawn, "--reason", "duplicate"]);
    assert!(!ok && out.contains("withdrew"), "{out}");
    let (ok, out) = run(&db, &["unpublish", &ok_ref, "--reason", "  "]);
    assert!(!ok && out.contains("--reason must say why"), "{out}");
    // A deleted input's decisions go with it; its log stays (references only).
    let (ok, out) = run(&db, &["delete", "--reference", &ok_ref]);
    assert!(ok, "{out}");
    assert_eq!(decision(&db, &ok_ref).await, None);
    assert_eq!(log(&db, &ok_ref).await.len(), 1);
}
