//! `/api/health` tells whether a submission can be stored now (issue 15).
//! A full disk is made with a file-size limit on the server process
//! (RLIMIT_FSIZE, SIGXFSZ ignored so writes fail with EFBIG instead of
//! killing it), then lifted from outside (prlimit) to check recovery.

mod common;
mod hostile;

use std::os::unix::process::CommandExt;

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

    // Space again: healthy and storing, without a restart.
    set_fsize(server.pid(), libc::RLIM_INFINITY);
    assert_eq!(
        health(&c, &server).await,
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
        health(&c, &server).await,
        (StatusCode::OK, json!({"status": "ok"}))
    );
    record(
        "Faults",
        "PostgreSQL writable again",
        "/api/health 200 ok, no restart",
    );
}
