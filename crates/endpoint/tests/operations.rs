//! The operator's commands against the real binary and real SQLite files:
//! backup during a burst and restore, delete and purge for data-protection
//! requests, and each command's bad input (a clear message, a non-zero
//! exit, the live database untouched).

mod common;
mod hostile;

use std::collections::HashSet;
use std::path::Path;
use std::process::Output;

use common::*;
use hostile::record;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Runs `imrf-endpoint <args>` to its end.
fn run(args: &[&str]) -> Output {
    command().args(args).output().expect("run imrf-endpoint")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The bytes of a database and its write-ahead log, to show nothing changed.
fn fingerprint(db: &Path) -> String {
    let mut h = Sha256::new();
    for suffix in ["", "-wal"] {
        let p = format!("{}{suffix}", db.display());
        h.update(std::fs::read(&p).unwrap_or_default());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

async fn references(path: &Path) -> HashSet<String> {
    let pool = open_db(path).await;
    let refs: Vec<String> = sqlx::query_scalar("SELECT reference FROM submissions")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    refs.into_iter().collect()
}

/// Stores `n` submissions through a server and stops it; returns their
/// (body, reference) pairs.
async fn seed(db: &TestDb, n: usize) -> Vec<(Value, String)> {
    let mut server = Server::start(db, &["--rate-limit-per-minute", "0"]);
    let c = client();
    let mut out = vec![];
    for i in 0..n {
        let mut body = valid_body();
        body["name"] = Value::from(format!("سارة رقم {i}"));
        let resp = submit(&c, &server, &body).await;
        assert_eq!(resp.status(), StatusCode::CREATED);
        let json: Value = resp.json().await.unwrap();
        out.push((body, json["reference"].as_str().unwrap().to_string()));
    }
    assert!(server.terminate().success());
    out
}

/// A backup taken while 8 clients send 200 submissions holds every
/// submission acknowledged before it started; restored into a fresh file it
/// has the same rows, and a server on the restored file still answers a
/// replay with the original reference.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backup_during_a_burst_then_restore_keeps_every_acknowledged_reference() {
    let db = TestDb::new();
    let server = Server::start(&db, &["--rate-limit-per-minute", "0"]);
    let c = client();
    let url = server.url("/api/submissions");
    const TASKS: usize = 8;
    const PER_TASK: usize = 25;

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..TASKS {
        let (c, url, tx) = (c.clone(), url.clone(), tx.clone());
        tasks.spawn(async move {
            let mut acked = vec![];
            for _ in 0..PER_TASK {
                let body = valid_body();
                let resp = c
                    .post(&url)
                    .header("Idempotency-Key", key_of(&body))
                    .json(&body)
                    .send()
                    .await
                    .expect("request");
                assert_eq!(resp.status(), StatusCode::CREATED);
                let json: Value = resp.json().await.unwrap();
                let reference = json["reference"].as_str().unwrap().to_string();
                let _ = tx.send(reference.clone());
                acked.push((body, reference));
            }
            acked
        });
    }
    drop(tx);
    // Once a third is acknowledged, back up while the rest keeps coming.
    let mut before_backup = HashSet::new();
    while before_backup.len() < TASKS * PER_TASK / 3 {
        before_backup.insert(rx.recv().await.expect("the burst ended early"));
    }
    while let Ok(r) = rx.try_recv() {
        before_backup.insert(r);
    }
    let backup = db.dir.path().join("backup.db");
    let backup_s = backup.to_str().unwrap().to_string();
    let db_url = db.url();
    let out = tokio::task::spawn_blocking(move || {
        run(&["backup", "--database-url", &db_url, "--to", &backup_s])
    })
    .await
    .unwrap();
    assert!(out.status.success(), "backup failed: {}", stderr(&out));
    let acked: Vec<(Value, String)> = tasks.join_all().await.into_iter().flatten().collect();
    assert_eq!(acked.len(), TASKS * PER_TASK);
    let all: HashSet<String> = acked.iter().map(|(_, r)| r.clone()).collect();
    let in_backup = references(&backup).await;
    eprintln!(
        "backup during the burst: {} rows ({} acknowledged before it started, {} in all)",
        in_backup.len(),
        before_backup.len(),
        all.len()
    );
    assert!(
        in_backup.len() < all.len(),
        "the backup came after the burst: it tests nothing"
    );
    assert!(
        stdout(&out).contains(&format!("backup: {} submissions", in_backup.len())),
        "{}",
        stdout(&out)
    );
    let missing: Vec<_> = before_backup.difference(&in_backup).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, not in it: {missing:?}"
    );
    assert!(
        in_backup.is_subset(&all),
        "the backup holds rows never acknowledged"
    );

    // Restore into a fresh file.
    let fresh = TestDb::new();
    let out = run(&[
        "restore",
        "--from",
        backup.to_str().unwrap(),
        "--database-url",
        &fresh.url(),
    ]);
    assert!(out.status.success(), "restore failed: {}", stderr(&out));
    assert_eq!(references(&fresh.path()).await, in_backup);

    // The restored database serves: a replay of an acknowledged submission
    // gets its original reference, not a second row.
    let (body, reference) = acked
        .iter()
        .find(|(_, r)| before_backup.contains(r))
        .unwrap()
        .clone();
    let restored = Server::start(&fresh, &[]);
    let resp = submit(&client(), &restored, &body).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let json: Value = resp.json().await.unwrap();
    assert_eq!(json["reference"], reference.as_str());
    assert_eq!(count_rows(&fresh.path()).await, in_backup.len() as i64);
}

/// `restore --replace` puts the backup in place and keeps the old database
/// (with its log) next to it; without `--replace` an existing file is refused.
#[tokio::test]
async fn restore_replaces_only_when_asked_and_keeps_the_old_file() {
    let source = TestDb::new();
    let seeded = seed(&source, 2).await;
    let backup = source.dir.path().join("b.db");
    let out = run(&[
        "backup",
        "--database-url",
        &source.url(),
        "--to",
        backup.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    let live = TestDb::new();
    let live_rows = seed(&live, 3).await;
    let before = fingerprint(&live.path());
    let refused = run(&[
        "restore",
        "--from",
        backup.to_str().unwrap(),
        "--database-url",
        &live.url(),
    ]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("add --replace"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        fingerprint(&live.path()),
        before,
        "the live database changed"
    );

    let out = run(&[
        "restore",
        "--replace",
        "--from",
        backup.to_str().unwrap(),
        "--database-url",
        &live.url(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let want: HashSet<String> = seeded.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(references(&live.path()).await, want);
    let aside = std::fs::read_dir(live.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.contains(".replaced-") && !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .expect("the old database kept aside");
    let old: HashSet<String> = live_rows.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(references(&aside).await, old);
}

/// `delete --reference` removes that row and no other, and logs the
/// reference but nothing the person wrote.
#[tokio::test]
async fn delete_removes_exactly_the_named_submission() {
    let db = TestDb::new();
    let rows = seed(&db, 3).await;
    let target = rows[1].1.clone();
    let out = run(&[
        "delete",
        "--database-url",
        &db.url(),
        "--reference",
        &target.to_lowercase(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("{target} deleted")));
    let left = references(&db.path()).await;
    let want: HashSet<String> = [rows[0].1.clone(), rows[2].1.clone()].into();
    assert_eq!(left, want);
    let log = stderr(&out);
    assert!(log.contains(&target), "the deletion is logged: {log}");
    for personal in ["سارة", "sara@example.org", "نص المدخلات"] {
        assert!(!log.contains(personal), "personal data in the log: {log}");
    }
}

/// `purge --before` removes the rows received before the date and keeps the
/// others; `--dry-run` only counts.
#[tokio::test]
async fn purge_removes_exactly_the_rows_before_the_date() {
    let db = TestDb::new();
    let rows = seed(&db, 4).await;
    // Backdate: two rows from 2020, one from 2021-06-01 exactly, one today.
    let pool = sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new().filename(db.path()),
    )
    .await
    .unwrap();
    for (i, at) in [
        "2020-01-01T00:00:00.000Z",
        "2020-12-31T23:59:59.999Z",
        "2021-06-01T00:00:00.000Z",
    ]
    .iter()
    .enumerate()
    {
        sqlx::query("UPDATE submissions SET received_at = ? WHERE reference = ?")
            .bind(at)
            .bind(&rows[i].1)
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;

    let dry = run(&[
        "purge",
        "--database-url",
        &db.url(),
        "--before",
        "2021-06-01",
        "--dry-run",
    ]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("purge: 2 submissions"),
        "{}",
        stdout(&dry)
    );
    assert_eq!(count_rows(&db.path()).await, 4, "a dry run deleted rows");

    let out = run(&[
        "purge",
        "--database-url",
        &db.url(),
        "--before",
        "2021-06-01",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("purge: 2 submissions"),
        "{}",
        stdout(&out)
    );
    let want: HashSet<String> = [rows[2].1.clone(), rows[3].1.clone()].into();
    assert_eq!(references(&db.path()).await, want);
}

/// A backup onto a path that cannot be written, or onto an existing file:
/// a clear message, a non-zero exit, the live database unchanged.
#[tokio::test]
async fn backup_onto_an_unwritable_path_fails_clearly() {
    let db = TestDb::new();
    seed(&db, 2).await;
    let before = fingerprint(&db.path());

    // A folder this process may not write to (as root: /proc).
    let locked = db.dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let mut perms = std::fs::metadata(&locked).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o500);
    std::fs::set_permissions(&locked, perms).unwrap();
    let is_root = unsafe { libc::geteuid() } == 0;
    let target = if is_root {
        Path::new("/proc/imrf-backup.db").to_path_buf()
    } else {
        locked.join("backup.db")
    };
    let out = run(&[
        "backup",
        "--database-url",
        &db.url(),
        "--to",
        target.to_str().unwrap(),
    ]);
    assert!(
        !out.status.success(),
        "backup onto {} succeeded",
        target.display()
    );
    assert!(
        stderr(&out).contains("cannot write the backup file"),
        "{}",
        stderr(&out)
    );
    assert!(!target.exists());

    let missing_dir = db.dir.path().join("no-such-folder/backup.db");
    let out = run(&[
        "backup",
        "--database-url",
        &db.url(),
        "--to",
        missing_dir.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));

    let existing = db.dir.path().join("existing.db");
    std::fs::write(&existing, b"keep me").unwrap();
    let out = run(&[
        "backup",
        "--database-url",
        &db.url(),
        "--to",
        existing.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");

    assert_eq!(fingerprint(&db.path()), before, "the live database changed");
    assert_eq!(count_rows(&db.path()).await, 2);
}

/// Restoring a file that is not a database (text, a truncated copy, a
/// SQLite file of something else) fails clearly, even with `--replace`,
/// and the live database is unchanged.
#[tokio::test]
async fn restore_of_a_non_database_fails_clearly() {
    let db = TestDb::new();
    seed(&db, 2).await;
    let before = fingerprint(&db.path());

    let text = db.dir.path().join("notes.txt");
    std::fs::write(&text, "this is not a database\n").unwrap();
    let truncated = db.dir.path().join("truncated.db");
    std::fs::write(&truncated, &std::fs::read(db.path()).unwrap()[..100]).unwrap();
    let other = db.dir.path().join("other.db");
    let pool = sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&other)
            .create_if_missing(true),
    )
    .await
    .unwrap();
    sqlx::query("CREATE TABLE t (x)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    for (file, says) in [
        (&text, "is not a SQLite database"),
        (&truncated, "is not a usable backup"),
        (&other, "without a submissions table"),
    ] {
        let out = run(&[
            "restore",
            "--replace",
            "--from",
            file.to_str().unwrap(),
            "--database-url",
            &db.url(),
        ]);
        assert!(!out.status.success(), "restored from {}", file.display());
        assert!(
            stderr(&out).contains(says),
            "{}: {}",
            file.display(),
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("nothing was changed"),
            "{}",
            stderr(&out)
        );
        assert_eq!(fingerprint(&db.path()), before, "the live database changed");
    }
    assert_eq!(count_rows(&db.path()).await, 2);
}

/// A delete of an unknown (or malformed) reference and a purge date in the
/// future (or not a date): clear messages, non-zero exits, nothing deleted.
#[tokio::test]
async fn unknown_reference_and_future_purge_date_delete_nothing() {
    let db = TestDb::new();
    seed(&db, 2).await;
    let before = fingerprint(&db.path());
    let cases: [(&[&str], &str); 5] = [
        (
            &["delete", "--reference", "IMRF-00000000"],
            "no submission has the reference IMRF-00000000; nothing was deleted",
        ),
        (&["delete", "--reference", "12345"], "is not a reference"),
        (&["purge", "--before", "2999-01-01"], "is in the future"),
        (
            &["purge", "--before", "last year"],
            "expected a date like 2026-01-01",
        ),
        (
            &[
                "delete",
                "--reference",
                "IMRF-00000000",
                "--database-url",
                "sqlite:///nonexistent/x.db",
            ],
            "there is no database at /nonexistent/x.db",
        ),
    ];
    for (args, says) in cases {
        let url = db.url();
        let mut full: Vec<&str> = args.to_vec();
        if !args.contains(&"--database-url") {
            full.extend(["--database-url", &url]);
        }
        let out = run(&full);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert_eq!(
            fingerprint(&db.path()),
            before,
            "{args:?} changed the database"
        );
    }
    assert!(!Path::new("/nonexistent/x.db").exists());
    assert_eq!(count_rows(&db.path()).await, 2);
}

/// Whether `needle` occurs in the bytes of `path` (a missing file holds nothing).
fn file_holds(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The database file and its write-ahead log.
fn live_files(db: &TestDb) -> [std::path::PathBuf; 2] {
    [
        db.path(),
        std::path::PathBuf::from(format!("{}-wal", db.path().display())),
    ]
}

/// Issue 27, case 4: after `delete` and `purge` (run while the server
/// runs, as docs/operations.md allows), the deleted texts are nowhere in
/// the database file nor in its write-ahead log: every connection that
/// writes, the server's own included, overwrites what it frees.
#[tokio::test]
async fn deleted_and_purged_text_is_gone_from_the_file_and_its_log() {
    const DELETED: &str = "QXJ-DELETED-ON-REQUEST-7Z";
    const PURGED: &str = "QXJ-PURGED-BY-RETENTION-7Z";
    let db = TestDb::new();
    let server = Server::start(&db, &["--rate-limit-per-minute", "0"]);
    let c = client();
    let post = |input: String| {
        let mut body = valid_body();
        body["input"] = Value::from(input);
        let c = c.clone();
        let url = server.url("/api/submissions");
        async move {
            let resp = c
                .post(url)
                .header("Idempotency-Key", key_of(&body))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::CREATED);
            let json: Value = resp.json().await.unwrap();
            json["reference"].as_str().unwrap().to_string()
        }
    };
    post(format!("{PURGED} {}", "قديم ".repeat(40))).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let cut = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let deleted = post(format!("{DELETED} {}", "نص ".repeat(40))).await;
    // Enough rows after them that their pages are split and rewritten.
    for i in 0..60 {
        post(format!("{i} {}", "مدخلات أخرى ".repeat(30 + i))).await;
    }
    assert!(live_files(&db).iter().any(|f| file_holds(f, DELETED)));

    let out = run(&[
        "delete",
        "--database-url",
        &db.url(),
        "--reference",
        &deleted,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&["purge", "--database-url", &db.url(), "--before", &cut]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("purge: 1 submissions"),
        "{}",
        stdout(&out)
    );
    for file in live_files(&db) {
        for text in [DELETED, PURGED] {
            assert!(
                !file_holds(&file, text),
                "{text} is still in {}",
                file.display()
            );
        }
    }
    assert_eq!(count_rows(&db.path()).await, 60);
    drop(server);
    record(
        "Operations",
        "a deleted and a purged submission's text, searched in the database file and its -wal",
        "in neither (`secure_delete` on every connection, the log checkpointed and emptied)",
    );
}

/// `run`, under umask 000 (a mode the command does not set itself shows).
fn run_open_umask(args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = command();
    cmd.args(args);
    unsafe {
        cmd.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    cmd.output().expect("run imrf-endpoint")
}

fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Issue 27, case 17: a backup, and a database restored into a new file
/// (the restore's scratch file renamed), are readable by their owner only,
/// whatever the umask.
#[tokio::test]
async fn backups_and_restored_files_are_private_whatever_the_umask() {
    let db = TestDb::new();
    seed(&db, 2).await;
    let backup = db.dir.path().join("private.db");
    let out = run_open_umask(&[
        "backup",
        "--database-url",
        &db.url(),
        "--to",
        backup.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode_of(&backup), 0o600, "backup file");

    let fresh = TestDb::new();
    let out = run_open_umask(&[
        "restore",
        "--from",
        backup.to_str().unwrap(),
        "--database-url",
        &fresh.url(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode_of(&fresh.path()), 0o600, "restored database");
    assert_eq!(count_rows(&fresh.path()).await, 2);
    record(
        "Operations",
        "`backup` and `restore` into a new file under umask 000",
        "both files mode 0600",
    );
}

/// A copy of a good backup with `sql` run on it.
async fn crafted(from: &Path, to: &Path, sql: &str) {
    std::fs::copy(from, to).unwrap();
    let pool =
        sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(to))
            .await
            .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

/// Issue 27, case 6: a backup with anything the migrations do not make (a
/// trigger that copies every new submission away, a view, a table, a
/// changed table, a missing index) is refused, naming what it found, and
/// the live database is unchanged; a backup of a server that ran health
/// checks (its write-probe table) is still restored.
#[tokio::test]
async fn restore_refuses_a_backup_whose_schema_is_not_the_projects() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let c = client();
    assert_eq!(
        submit(&c, &server, &valid_body()).await.status(),
        StatusCode::CREATED
    );
    let health = c.get(server.url("/api/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let good = db.dir.path().join("good.db");
    let out = run(&[
        "backup",
        "--database-url",
        &db.url(),
        "--to",
        good.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    drop(server);

    let live = TestDb::new();
    seed(&live, 1).await;
    let before = fingerprint(&live.path());
    let cases = [
        (
            "a trigger copying each new submission to a hidden table",
            "CREATE TABLE hidden (x TEXT); CREATE TRIGGER spy AFTER INSERT ON submissions \
             BEGIN INSERT INTO hidden VALUES (NEW.input); \
             UPDATE submissions SET flagged = 'honeypot' WHERE id = NEW.id; END;",
            ["trigger spy", "table hidden"].as_slice(),
        ),
        (
            "an extra view",
            "CREATE VIEW everything AS SELECT * FROM submissions;",
            ["view everything"].as_slice(),
        ),
        (
            "an extra table",
            "CREATE TABLE extra (x);",
            ["table extra"].as_slice(),
        ),
        (
            "the submissions table changed",
            "ALTER TABLE submissions ADD COLUMN note TEXT DEFAULT 'x';",
            ["table submissions"].as_slice(),
        ),
        (
            "an index missing",
            "DROP INDEX submissions_received_at;",
            ["index submissions_received_at"].as_slice(),
        ),
    ];
    for (case, sql, names) in cases {
        let file = db
            .dir
            .path()
            .join(format!("crafted-{}.db", case.replace(' ', "-")));
        crafted(&good, &file, sql).await;
        let out = run(&[
            "restore",
            "--replace",
            "--from",
            file.to_str().unwrap(),
            "--database-url",
            &live.url(),
        ]);
        assert!(!out.status.success(), "{case}: restored");
        let err = stderr(&out);
        for name in names {
            assert!(err.contains(name), "{case}: {name} not named in {err}");
        }
        assert!(err.contains("nothing was changed"), "{case}: {err}");
        assert_eq!(
            fingerprint(&live.path()),
            before,
            "{case}: the live database changed"
        );
        record(
            "Operations",
            &format!("`restore` of a crafted backup: {case}"),
            &format!("refused, naming {}; nothing changed", names.join(", ")),
        );
    }

    let out = run(&[
        "restore",
        "--replace",
        "--from",
        good.to_str().unwrap(),
        "--database-url",
        &live.url(),
    ]);
    assert!(out.status.success(), "the good backup: {}", stderr(&out));
    assert_eq!(count_rows(&live.path()).await, 1);
}

/// Issue 27, case 7: `restore --replace` while a server has the database
/// open is refused (the server would go on writing to the file moved
/// aside, and every submission acknowledged after it would be lost); the
/// server keeps storing. Once it stops, the same command works.
#[tokio::test]
async fn restore_replace_is_refused_while_a_server_has_the_database_open() {
    let source = TestDb::new();
    seed(&source, 2).await;
    let backup = source.dir.path().join("b.db");
    let out = run(&[
        "backup",
        "--database-url",
        &source.url(),
        "--to",
        backup.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    let live = TestDb::new();
    let mut server = Server::start(&live, &[]);
    let c = client();
    assert_eq!(
        submit(&c, &server, &valid_body()).await.status(),
        StatusCode::CREATED
    );
    let restore = || {
        run(&[
            "restore",
            "--replace",
            "--from",
            backup.to_str().unwrap(),
            "--database-url",
            &live.url(),
        ])
    };
    let out = restore();
    assert!(!out.status.success(), "restored under a running server");
    assert!(stderr(&out).contains("stop the server"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was changed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        submit(&c, &server, &valid_body()).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(count_rows(&live.path()).await, 2);
    assert!(server.terminate().success());

    let out = restore();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count_rows(&live.path()).await, 2);
    record(
        "Operations",
        "`restore --replace` while the server runs",
        "refused (stop the server); the server keeps storing; after it stops, restored",
    );
}

/// Issue 27, case 8: `restore --replace` run as root keeps the owner and
/// mode of the database it replaces, so the service can still write it.
#[tokio::test]
async fn restore_replace_keeps_the_owner_and_mode_of_the_replaced_file() {
    use std::os::unix::fs::MetadataExt;
    let source = TestDb::new();
    seed(&source, 2).await;
    let backup = source.dir.path().join("b.db");
    let out = run(&[
        "backup",
        "--database-url",
        &source.url(),
        "--to",
        backup.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    let live = TestDb::new();
    seed(&live, 1).await;
    let is_root = unsafe { libc::geteuid() } == 0;
    // The service's user, as systemd's DynamicUser would give it.
    let (uid, gid) = if is_root {
        (4242, 4243)
    } else {
        unsafe { (libc::geteuid(), libc::getegid()) }
    };
    std::os::unix::fs::chown(live.path(), Some(uid), Some(gid)).unwrap();
    std::fs::set_permissions(
        live.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o640),
    )
    .unwrap();
    let out = run_open_umask(&[
        "restore",
        "--replace",
        "--from",
        backup.to_str().unwrap(),
        "--database-url",
        &live.url(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let meta = std::fs::metadata(live.path()).unwrap();
    assert_eq!(
        (meta.uid(), meta.gid()),
        (uid, gid),
        "owner of the restored database"
    );
    assert_eq!(
        mode_of(&live.path()),
        0o640,
        "mode of the restored database"
    );
    assert_eq!(count_rows(&live.path()).await, 2);
    if is_root {
        record(
            "Operations",
            "`restore --replace` as root over a database of uid 4242, mode 0640",
            "the restored file keeps uid, gid and mode",
        );
    } else {
        eprintln!("restore_replace_keeps_the_owner_and_mode_of_the_replaced_file: owner change not tested (not root)");
    }
}

/// Issue 27, case 14: `backup --to file:y.db` writes the file it names
/// (SQLite read a `file:` name as a URI and wrote `y.db`).
#[tokio::test]
async fn backup_to_a_name_starting_with_file_colon_writes_that_file() {
    let db = TestDb::new();
    seed(&db, 2).await;
    let out = command()
        .current_dir(db.dir.path())
        .args(["backup", "--database-url", &db.url(), "--to", "file:y.db"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !db.dir.path().join("y.db").exists(),
        "`--to file:y.db` wrote y.db"
    );
    let named = db.dir.path().join("file:y.db");
    assert_eq!(count_rows(&named).await, 2, "file:y.db holds the backup");
    record(
        "Operations",
        "`backup --to file:y.db`",
        "writes the file `file:y.db` (never `y.db`)",
    );
}

/// Runs `imrf-endpoint <args>` as a user who may read but not write the
/// database (as root: uid 65534, with the folder and file readable by
/// all; otherwise the file and its folder made read-only).
fn run_without_write_access(db: &TestDb, args: &[&str]) -> Output {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let is_root = unsafe { libc::geteuid() } == 0;
    let (dir_mode, file_mode) = if is_root {
        (0o755, 0o644)
    } else {
        (0o555, 0o444)
    };
    std::fs::set_permissions(db.path(), std::fs::Permissions::from_mode(file_mode)).unwrap();
    std::fs::set_permissions(db.dir.path(), std::fs::Permissions::from_mode(dir_mode)).unwrap();
    let copy = is_root.then(BinaryForOthers::new);
    let mut cmd = copy.as_ref().map_or_else(command, BinaryForOthers::command);
    cmd.args(args);
    if is_root {
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().expect("run imrf-endpoint");
    std::fs::set_permissions(db.dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::set_permissions(db.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    out
}

/// The names in a folder.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Issue 27, case 14: `export` and `backup` open the database read-only:
/// they work on a database this user cannot write (the service's), and
/// they change nothing in it (no migration, no journal mode: a backup
/// file, in rollback-journal mode, stays in it, byte for byte).
#[tokio::test]
async fn export_and_backup_read_a_database_they_cannot_write_and_change_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::new();
    seed(&db, 3).await;
    let before = fingerprint(&db.path());
    let files = names_in(db.dir.path());

    let out = run_without_write_access(
        &db,
        &["export", "--format", "jsonl", "--database-url", &db.url()],
    );
    assert!(out.status.success(), "export: {}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3);

    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::set_permissions(elsewhere.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let copy = elsewhere.path().join("copy.db");
    let out = run_without_write_access(
        &db,
        &[
            "backup",
            "--database-url",
            &db.url(),
            "--to",
            copy.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "backup: {}", stderr(&out));
    assert_eq!(count_rows(&copy).await, 3);
    assert_eq!(fingerprint(&db.path()), before, "the database changed");
    assert_eq!(names_in(db.dir.path()), files, "files appeared beside it");
    record(
        "Operations",
        "`export` and `backup` by a user who cannot write the database or its folder",
        "both succeed (opened read-only); the file unchanged, no `-wal`/`-shm` left",
    );

    // A file in rollback-journal mode (what backup writes) stays so.
    let journal_mode = |path: &Path| {
        let bytes = std::fs::read(path).unwrap();
        (bytes[18], bytes[19])
    };
    let copy_url = format!("sqlite://{}", copy.display());
    let before = (fingerprint(&copy), journal_mode(&copy));
    assert_eq!(before.1, (1, 1), "a backup is in rollback-journal mode");
    for format in ["csv", "jsonl"] {
        let out = run(&["export", "--format", format, "--database-url", &copy_url]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(
        (fingerprint(&copy), journal_mode(&copy)),
        before,
        "export changed the file it read (journal mode or migrations)"
    );
    record(
        "Operations",
        "`export` of a database in rollback-journal mode",
        "the file unchanged byte for byte (no WAL switch, no migration)",
    );
}

/// Issue 27, case 18: a row stamped in the future (the clock was ahead
/// when it arrived) could not be purged until that date. It was received
/// before every row stored after it, so it goes with them: when a row
/// stored after it is older than `--before`, it is deleted too; a row
/// stamped in the future with no such row after it stays.
#[tokio::test]
async fn purge_takes_a_row_stamped_in_the_future_with_the_older_rows_stored_after_it() {
    let db = TestDb::new();
    let rows = seed(&db, 4).await;
    let pool = sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new().filename(db.path()),
    )
    .await
    .unwrap();
    // Stored in this order: ahead, 2020, today, ahead again.
    for (i, at) in [
        (0, "2099-01-01T00:00:00.000Z"),
        (1, "2020-01-01T00:00:00.000Z"),
        (3, "2098-01-01T00:00:00.000Z"),
    ] {
        sqlx::query("UPDATE submissions SET received_at = ? WHERE reference = ?")
            .bind(at)
            .bind(&rows[i].1)
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
    let out = run(&[
        "purge",
        "--database-url",
        &db.url(),
        "--before",
        "2021-01-01",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let want: HashSet<String> = [rows[2].1.clone(), rows[3].1.clone()].into();
    assert_eq!(
        references(&db.path()).await,
        want,
        "the row stamped 2099 and stored before a row of 2020 was kept"
    );
    assert!(
        stdout(&out).contains("purge: 2 submissions"),
        "{}",
        stdout(&out)
    );
    record(
        "Operations",
        "`purge --before 2021-01-01` with a row stamped 2099 stored before a row of 2020, and one stamped 2098 stored last",
        "the 2099 row goes with the 2020 row; the last one (nothing older stored after it) stays",
    );
}

/// Issue 26, case 8: the subcommands take the service's environment file
/// (`--config FILE`: `KEY=value` lines, comments), so an operator uses the
/// database and settings the service uses, from any folder.
#[tokio::test]
async fn subcommands_take_the_services_environment_file() {
    let db = TestDb::new();
    let rows = seed(&db, 2).await;
    let env = db.dir.path().join("imrf-endpoint.env");
    std::fs::write(
        &env,
        format!(
            "# /etc/imrf-endpoint.env\nIMRF_LISTEN=127.0.0.1:3000\n\n; a comment\nDATABASE_URL=\"{}\"\n#IMRF_ENDPOINT_URL=https://x.example\n",
            db.url()
        ),
    )
    .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let in_elsewhere = |args: &[&str]| {
        command()
            .current_dir(elsewhere.path())
            .args(args)
            .output()
            .unwrap()
    };
    let env = env.to_str().unwrap();
    let out = in_elsewhere(&["export", "--format", "jsonl", "--config", env]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 2);
    let out = in_elsewhere(&[
        "purge",
        "--config",
        env,
        "--before",
        "2000-01-01",
        "--dry-run",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("purge: 0 submissions"),
        "{}",
        stdout(&out)
    );
    let copy = elsewhere.path().join("copy.db");
    let out = in_elsewhere(&["backup", "--config", env, "--to", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = in_elsewhere(&["delete", "--config", env, "--reference", &rows[0].1]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count_rows(&db.path()).await, 1);
    assert!(
        names_in(elsewhere.path()) == ["copy.db"],
        "a database was made in the current folder: {:?}",
        names_in(elsewhere.path())
    );
    // A flag still wins over the file.
    let other = TestDb::new();
    let out = in_elsewhere(&[
        "export",
        "--format",
        "csv",
        "--config",
        env,
        "--database-url",
        &other.url(),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&other.path().display().to_string()),
        "{}",
        stderr(&out)
    );
    record(
        "Operations",
        "`export`, `purge`, `backup`, `delete` with `--config` the service's environment file, from another folder",
        "each uses the file's DATABASE_URL (comments and quotes read as systemd does); a flag still wins",
    );

    let bad = db.dir.path().join("bad.env");
    std::fs::write(&bad, "DATABASE_URL\n").unwrap();
    let out = in_elsewhere(&[
        "export",
        "--format",
        "csv",
        "--config",
        bad.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bad.env, line 1"), "{}", stderr(&out));
    let out = in_elsewhere(&["export", "--format", "csv", "--config", "/no/such.env"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--config /no/such.env: cannot read the environment file"),
        "{}",
        stderr(&out)
    );
}

/// The lines of a command's standard error that hold `needle`.
fn lines_with(out: &Output, needle: &str) -> usize {
    stderr(out).lines().filter(|l| l.contains(needle)).count()
}

/// Issue 26, case 8: "unable to open database file" said neither which
/// file nor why, and every error was printed twice (a log line and the
/// message). Now the message names the path and the cause (missing, not
/// readable, not writable), once.
#[tokio::test]
async fn an_unopenable_database_is_named_with_its_cause_once() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let db = TestDb::new();
    let missing = db.dir.path().join("missing.db");
    let missing_url = format!("sqlite://{}", missing.display());
    for args in [
        &["export", "--format", "csv"][..],
        &["backup", "--to", "/tmp/never-written.db"][..],
        &["purge", "--before", "2020-01-01"][..],
    ] {
        let out = run(&[args, &["--database-url", &missing_url]].concat());
        assert!(!out.status.success());
        let path = missing.display().to_string();
        assert!(
            stderr(&out).contains(&format!("there is no database at {path}")),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(
            lines_with(&out, &path),
            1,
            "{args:?}: printed more than once: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("ERROR"), "{}", stderr(&out));
    }
    record(
        "Operations",
        "`export`, `backup`, `purge` on a database file that does not exist",
        "\"there is no database at PATH\", printed once, exit 1",
    );

    // Not readable, and readable but not writable, for another user.
    seed(&db, 1).await;
    let is_root = unsafe { libc::geteuid() } == 0;
    std::fs::set_permissions(db.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let as_other = |mode: u32, args: &[&str]| {
        std::fs::set_permissions(db.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        let copy = is_root.then(BinaryForOthers::new);
        let mut cmd = copy.as_ref().map_or_else(command, BinaryForOthers::command);
        cmd.args(args).args(["--database-url", &db.url()]);
        if is_root {
            cmd.uid(65534).gid(65534);
        }
        let out = cmd.output().unwrap();
        std::fs::set_permissions(db.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        out
    };
    let path = db.path().display().to_string();
    let (unreadable, read_only) = if is_root {
        (0o600, 0o644)
    } else {
        (0o000, 0o444)
    };
    let out = as_other(unreadable, &["export", "--format", "csv"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!("{path} cannot be read by this user")),
        "{}",
        stderr(&out)
    );
    assert_eq!(lines_with(&out, &path), 1, "{}", stderr(&out));
    let out = as_other(read_only, &["delete", "--reference", "IMRF-00000000"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!("{path} cannot be written by this user")),
        "{}",
        stderr(&out)
    );
    assert_eq!(lines_with(&out, &path), 1, "{}", stderr(&out));
    std::fs::set_permissions(db.dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    record(
        "Operations",
        "`export` of a database this user may not read; `delete` on one it may not write",
        "the path and the cause (cannot be read / cannot be written by this user, uid N), printed once",
    );
}
