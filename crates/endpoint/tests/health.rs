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
