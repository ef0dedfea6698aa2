//! `imrf-endpoint export` round trips.

mod common;
mod hostile;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;

use common::*;
use hostile::record;
use reqwest::StatusCode;
use serde_json::{json, Value};

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"اضغط هنا\")";

async fn seed(db: &TestDb) -> (Value, Value, Value) {
    let server = Server::start(db, &[]);
    let c = client();
    let mut arabic = valid_body();
    arabic["title"] = json!(FORMULA);
    arabic["organisation"] = json!("-منظمة, \"مع\" فاصلة");
    arabic["input"] = json!("سطر أول\nسطر ثانٍ");
    let mut english = valid_body();
    english["language"] = json!("en");
    english["name"] = json!("@Sara");
    english["title"] = json!("+1 more");
    let mut bot = valid_body();
    bot["website"] = json!("spam");
    for b in [&arabic, &english, &bot] {
        assert_eq!(submit(&c, &server, b).await.status(), StatusCode::CREATED);
    }
    (arabic, english, bot)
}

fn export(db: &TestDb, args: &[&str]) -> Vec<u8> {
    let out = command()
        .args(["export", "--database-url", &db.url()])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn csv_records(bytes: &[u8]) -> Vec<csv::StringRecord> {
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "no UTF-8 BOM");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "reference");
    assert_eq!(headers.len(), 17);
    r.records().map(|x| x.unwrap()).collect()
}

#[tokio::test]
async fn csv_is_utf8_with_bom_and_formula_safe() {
    let db = TestDb::new();
    let (arabic, english, bot) = seed(&db).await;
    let records = csv_records(&export(&db, &["--format", "csv"]));
    assert_eq!(records.len(), 2, "flagged rows are left out by default");
    let find = |key: &str| records.iter().find(|r| &r[2] == key).cloned().expect("row");
    let a = find(&key_of(&arabic));
    assert_eq!(&a[4], "سارة");
    assert_eq!(&a[5], "'-منظمة, \"مع\" فاصلة");
    assert_eq!(&a[10], format!("'{FORMULA}"));
    assert_eq!(&a[11], "سطر أول\nسطر ثانٍ");
    assert_eq!(&a[13], "true");
    let e = find(&key_of(&english));
    assert_eq!(&e[3], "en");
    assert_eq!(&e[4], "'@Sara");
    assert_eq!(&e[10], "'+1 more");
    assert!(records.iter().all(|r| r[2] != key_of(&bot)));

    let with_flagged = csv_records(&export(&db, &["--format", "csv", "--include-flagged"]));
    assert_eq!(with_flagged.len(), 3);
    let b = with_flagged.iter().find(|r| r[2] == key_of(&bot)).unwrap();
    assert_eq!(&b[16], "honeypot");
}

#[tokio::test]
async fn jsonl_keeps_values_verbatim() {
    let db = TestDb::new();
    let (arabic, _english, bot) = seed(&db).await;
    let out = String::from_utf8(export(&db, &["--format", "jsonl", "--include-flagged"])).unwrap();
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    let a = rows
        .iter()
        .find(|r| r["idempotency_key"] == json!(key_of(&arabic)))
        .unwrap();
    assert_eq!(a["title"], json!(FORMULA));
    assert_eq!(a["name"], json!("سارة"));
    assert_eq!(a["organisation"], json!("-منظمة, \"مع\" فاصلة"));
    assert_eq!(a["consent"], json!(true));
    assert_eq!(a["fill_ms"], json!(5000));
    assert_eq!(a["flagged"], Value::Null);
    assert!(a["directions"].is_object());
    assert!(a["reference"].as_str().unwrap().starts_with("IMRF-"));
    let b = rows
        .iter()
        .find(|r| r["idempotency_key"] == json!(key_of(&bot)))
        .unwrap();
    assert_eq!(b["flagged"], json!("honeypot"));
}

#[tokio::test]
async fn export_to_file_and_since() {
    let db = TestDb::new();
    seed(&db).await;
    let file = db.dir.path().join("out.jsonl");
    let stdout = export(
        &db,
        &["--format", "jsonl", "--output", file.to_str().unwrap()],
    );
    assert!(stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 2);
    let past =
        String::from_utf8(export(&db, &["--format", "jsonl", "--since", "2000-01-01"])).unwrap();
    assert_eq!(past.lines().count(), 2);
    let future =
        String::from_utf8(export(&db, &["--format", "jsonl", "--since", "2999-01-01"])).unwrap();
    assert_eq!(future.lines().count(), 0);
}

#[test]
fn export_of_a_missing_database_fails() {
    let db = TestDb::new();
    let out = command()
        .args(["export", "--format", "csv", "--database-url", &db.url()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!db.path().exists(), "export must not create a database");
}

/// `export <args>` under umask 000 (so a mode the export does not set
/// itself would show as world-readable).
fn export_open_umask(db: &TestDb, args: &[&str]) -> std::process::Output {
    let mut cmd = command();
    cmd.args(["export", "--format", "csv", "--database-url", &db.url()])
        .args(args);
    unsafe {
        cmd.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    cmd.output().unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Issue 27, cases 5 and 17: `--output` refuses an existing file unless
/// `--force` (and says so), never writes over the database (by its name or
/// another), writes through a temporary file renamed at the end, and the
/// export is readable by its owner only, whatever the umask.
#[tokio::test]
async fn export_output_never_overwrites_by_surprise_nor_the_database_and_is_private() {
    let db = TestDb::new();
    seed(&db).await;
    let dir = db.dir.path();
    let stderr = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();

    let fresh = dir.join("fresh.csv");
    let out = export_open_umask(&db, &["--output", fresh.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(csv_records(&std::fs::read(&fresh).unwrap()).len(), 2);
    assert_eq!(mode(&fresh), 0o600, "a new export file");

    let existing = dir.join("existing.csv");
    std::fs::write(&existing, "keep me").unwrap();
    let out = export_open_umask(&db, &["--output", existing.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me");

    let out = export_open_umask(&db, &["--output", existing.to_str().unwrap(), "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(csv_records(&std::fs::read(&existing).unwrap()).len(), 2);
    assert_eq!(mode(&existing), 0o600, "an export written over a file");

    let live = std::fs::read(db.path()).unwrap();
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(db.path(), &link).unwrap();
    for target in [db.path(), link.clone()] {
        let out = export_open_umask(&db, &["--output", target.to_str().unwrap(), "--force"]);
        assert!(!out.status.success(), "{}", target.display());
        assert!(
            stderr(&out).contains("database"),
            "{}: {}",
            target.display(),
            stderr(&out)
        );
        assert_eq!(
            std::fs::read(db.path()).unwrap(),
            live,
            "the database changed"
        );
    }
    assert_eq!(count_rows(&db.path()).await, 3);
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    record(
        "Operations",
        "`export --output` onto an existing file",
        "refused, the message names `--force`; the file unchanged",
    );
    record(
        "Operations",
        "`export --output --force` onto the live database, by its name or a symlink",
        "refused; the database unchanged",
    );
    record(
        "Operations",
        "`export --output` under umask 000",
        "mode 0600, written through a temporary file renamed at the end",
    );
}

/// Issue 27, case 16: a clock that steps back stamps a later row before an
/// earlier one; the export follows the order stored (the row id), and
/// `--since T` keeps every row stored from the first one received at or
/// after T, so a periodic export `--since` the previous one misses nothing.
#[tokio::test]
async fn export_follows_the_order_stored_and_since_misses_no_row_after_a_clock_step() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let c = client();
    let mut keys = vec![];
    for i in 0..3 {
        let mut body = valid_body();
        body["title"] = json!(format!("row {i}"));
        assert_eq!(
            submit(&c, &server, &body).await.status(),
            StatusCode::CREATED
        );
        keys.push(key_of(&body));
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    drop(server);
    // The third row was stored while the clock had stepped back to the
    // time of the first.
    let path = db.path();
    let stamp = |i: usize| row_by_key(&path, &keys[i]);
    let first = stamp(0).await.unwrap()["received_at"]
        .as_str()
        .unwrap()
        .to_string();
    let second = stamp(1).await.unwrap()["received_at"]
        .as_str()
        .unwrap()
        .to_string();
    {
        let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(db.path());
        let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
        sqlx::query("UPDATE submissions SET received_at = ? WHERE idempotency_key = ?")
            .bind(&first)
            .bind(&keys[2])
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }
    let titles = |args: &[&str]| {
        let mut all = vec!["--format", "jsonl"];
        all.extend_from_slice(args);
        String::from_utf8(export(&db, &all))
            .unwrap()
            .lines()
            .map(|l| {
                let row: Value = serde_json::from_str(l).unwrap();
                row["title"].as_str().unwrap().to_string()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&[]), ["row 0", "row 1", "row 2"], "the order stored");
    assert_eq!(
        titles(&["--since", &second]),
        ["row 1", "row 2"],
        "--since the second row's time missed the row stamped earlier after it"
    );
    record(
        "CSV export",
        "a row stored after a clock stepped back (stamped before the row stored before it), `export --since` the earlier row's time",
        "kept, in the order stored (by row id, not by `received_at`)",
    );
}
