//! `/api/health` tells whether a submission can be stored now (issue 15).
//! A full disk is made with a file-size limit on the server process
//! (RLIMIT_FSIZE, SIGXFSZ ignored so writes fail with EFBIG instead of
//! killing it), then lifted from outside (prlimit) to check recovery.

mod common;
mod hostile;

use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

use common::*;
use hostile::{record, start_server};
use reqwest::StatusCode;
use serde_json::{json, Value};

const LIMIT_BYTES: u64 = 256 * 1024;

fn set_fsize(pid: i32, bytes: u64) {
    let lim = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: libc::RLIM_INFINITY,
    };
    let rc = unsafe { libc::prlimit(pid, libc::RLIMIT_FSIZE, &lim, std::ptr::null_mut()) };
    assert_eq!(rc, 0, "prlimit: {}", std::io::Error::last_os_error());
}

async fn health(c: &reqwest::Client, server: &Server) -> (StatusCode, Value) {
    let resp = c.get(server.url("/api/health")).send().await.unwrap();
    (resp.status(), resp.json().await.unwrap())
}

/// How long a write probe's outcome is reused (API.md: 5 s), and a margin.
const PROBE_REUSE_AND_MARGIN: Duration = Duration::from_secs(8);

/// Health once it answers 200, or its last answer after `wait`.
async fn health_within(
    c: &reqwest::Client,
    server: &Server,
    wait: Duration,
) -> (StatusCode, Value) {
    let deadline = Instant::now() + wait;
    loop {
        let seen = health(c, server).await;
        if seen.0 == StatusCode::OK || Instant::now() > deadline {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn health_reports_failing_writes_and_their_recovery() {
    let db = TestDb::new();
    let server = start_server(&db, &[], |cmd| unsafe {
        cmd.pre_exec(|| {
            // Ignored signals stay ignored across exec.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    });
    let c = client();
    assert_eq!(
        health(&c, &server).await,
        (StatusCode::OK, json!({"status": "ok"}))
    );

    // Fill the "disk": large submissions until one is refused.
    set_fsize(server.pid(), LIMIT_BYTES);
    let mut refused = None;
    for _ in 0..200 {
        let mut body = valid_body();
        body["input"] = json!("ع".repeat(4900));
        let status = submit(&c, &server, &body).await.status();
        if status != StatusCode::CREATED {
            refused = Some(status);
            break;
        }
    }
    assert_eq!(
        refused,
        Some(StatusCode::INTERNAL_SERVER_ERROR),
        "the disk never filled"
    );
    let (status, body) = health(&c, &server).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"status": "writes_failing"})
        ),
        "health while every write fails"
    );
    record(
        "Faults",
        "disk full (file-size limit reached)",
        "submissions 500 request/internal; /api/health 503 {\"status\":\"writes_failing\"}",
    );

    // Space again: healthy and storing, without a restart (once the
    // failed probe's outcome is no longer reused: API.md, 5 s).
    set_fsize(server.pid(), libc::RLIM_INFINITY);
    assert_eq!(
        health_within(&c, &server, PROBE_REUSE_AND_MARGIN).await,
        (StatusCode::OK, json!({"status": "ok"}))
    );
    assert_eq!(
        submit(&c, &server, &valid_body()).await.status(),
        StatusCode::CREATED
    );
    record(
        "Faults",
        "disk space freed again",
        "/api/health 200 ok and submissions stored, no restart",
    );
}

/// The size of the SQLite write-ahead log (0 when there is none).
fn wal_bytes(db: &TestDb) -> u64 {
    std::fs::metadata(format!("{}-wal", db.path().display()))
        .map(|m| m.len())
        .unwrap_or(0)
}

/// Issue 27, case 3: each health check used to write its 24 KiB probe, so
/// anyone could make the server write to disk at will (four clients wrote
/// 839 MB in ten seconds). The probe's outcome is now reused for a few
/// seconds (API.md), concurrent checks share one probe, and the write-ahead
/// log grows by at most one probe over 40 checks in a row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_checks_in_a_row_write_one_probe_at_most() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let c = client();
    assert_eq!(
        health(&c, &server).await,
        (StatusCode::OK, json!({"status": "ok"}))
    );
    let before = wal_bytes(&db);
    for _ in 0..20 {
        assert_eq!(health(&c, &server).await.0, StatusCode::OK);
    }
    let mut together = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (c, url) = (c.clone(), server.url("/api/health"));
        together.spawn(async move { c.get(url).send().await.unwrap().status() });
    }
    while let Some(status) = together.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::OK);
    }
    let grown = wal_bytes(&db) - before;
    // One probe is 24 KiB of blob in pages of 4 KiB, with frame headers.
    assert!(
        grown < 2 * 24 * 1024,
        "40 health checks wrote {grown} bytes to the write-ahead log"
    );
    record(
        "Health",
        "40 anonymous health checks within a few seconds",
        &format!("one write probe at most (the log grew {grown} bytes; each probe was 24 KiB)"),
    );
}

/// Sets or resets `default_transaction_read_only` on the test database and
/// ends the other sessions, so the server's pool reconnects under it.
async fn pg_read_only(url: &str, on: bool) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    // This session itself may have started read-only.
    sqlx::query("SET default_transaction_read_only = off")
        .execute(&mut conn)
        .await
        .unwrap();
    let name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let sql = if on {
        format!("ALTER DATABASE \"{name}\" SET default_transaction_read_only = on")
    } else {
        format!("ALTER DATABASE \"{name}\" RESET default_transaction_read_only")
    };
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
}

/// A read-only PostgreSQL (a standby, or read-only by setting): reads work,
/// writes fail, and health says so. Runs only with `IMRF_TEST_POSTGRES_URL`.
#[tokio::test]
async fn health_on_a_read_only_postgres() {
    let Ok(url) = std::env::var("IMRF_TEST_POSTGRES_URL") else {
        eprintln!("health_on_a_read_only_postgres: skipped (set IMRF_TEST_POSTGRES_URL to run it)");
        return;
    };
    let db = TestDb::new();
    let server = Server::start_with_url(&db, &url, &[]);
    let c = client();
    assert_eq!(
        health(&c, &server).await,
        (StatusCode::OK, json!({"status": "ok"}))
    );
    pg_read_only(&url, true).await;
    // The first check's outcome is reused for 5 s (API.md).
    tokio::time::sleep(PROBE_REUSE_AND_MARGIN).await;
    let seen = health(&c, &server).await;
    let stored = submit(&c, &server, &valid_body()).await.status();
    pg_read_only(&url, false).await;
    assert_eq!(
        seen,
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"status": "writes_failing"})
        )
    );
    assert_eq!(stored, StatusCode::INTERNAL_SERVER_ERROR);
    record(
        "Faults",
        "PostgreSQL read-only (default_transaction_read_only)",
        "submissions 500 request/internal; /api/health 503 {\"status\":\"writes_failing\"}",
    );
    assert_eq!(
        health_within(&c, &server, PROBE_REUSE_AND_MARGIN).await,
        (StatusCode::OK, json!({"status": "ok"}))
    );
    record(
        "Faults",
        "PostgreSQL writable again",
        "/api/health 200 ok, no restart",
    );
}
