//! Crash safety and shutdown of the real binary.

mod common;

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;

/// A `kill -9` in the middle of a burst loses no row that was acknowledged
/// with 201, and no key is ever stored twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_burst_loses_no_acknowledged_row() {
    let db = TestDb::new();
    let mut server = Server::start(&db, &["--rate-limit-per-minute", "0"]);
    let c = client();
    let url = server.url("/api/submissions");
    const TASKS: usize = 8;
    const PER_TASK: usize = 25;

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..TASKS {
        let (c, url, tx) = (c.clone(), url.clone(), tx.clone());
        tasks.spawn(async move {
            let mut acked = vec![];
            let mut sent = vec![];
            for _ in 0..PER_TASK {
                let body = valid_body();
                let key = key_of(&body);
                sent.push(key.clone());
                let resp = c
                    .post(&url)
                    .header("Idempotency-Key", &key)
                    .json(&body)
                    .send()
                    .await;
                let Ok(resp) = resp else { break };
                let status = resp.status();
                let Ok(json) = resp.json::<Value>().await else {
                    break;
                };
                if status == StatusCode::CREATED {
                    acked.push((key, json["reference"].as_str().unwrap().to_string()));
                    let _ = tx.send(());
                }
            }
            (acked, sent)
        });
    }
    drop(tx);
    // Kill once a good share of the burst has been acknowledged.
    let mut seen = 0;
    while seen < (TASKS * PER_TASK) / 3 {
        if rx.recv().await.is_none() {
            break;
        }
        seen += 1;
    }
    server.kill9();
    let results = tasks.join_all().await;
    let acked: Vec<(String, String)> = results.iter().flat_map(|(a, _)| a.clone()).collect();
    let sent_total: usize = results.iter().map(|(_, s)| s.len()).sum();
    eprintln!(
        "acknowledged {} of {sent_total} sent before SIGKILL",
        acked.len()
    );
    assert!(acked.len() >= seen, "acked {} < seen {seen}", acked.len());
    assert!(
        acked.len() < TASKS * PER_TASK,
        "the kill came too late to test anything"
    );

    // Restart on the same database: recovery from the WAL, then read back.
    let server = Server::start(&db, &[]);
    let h = client()
        .get(server.url("/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(h.status(), StatusCode::OK);
    for (key, reference) in &acked {
        let row = row_by_key(&db.path(), key).await;
        let row = row.unwrap_or_else(|| panic!("acknowledged {reference} lost"));
        assert_eq!(row["reference"].as_str().unwrap(), reference);
    }
    let pool = open_db(&db.path()).await;
    let dupes: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT idempotency_key FROM submissions GROUP BY idempotency_key HAVING COUNT(*) > 1)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(dupes, 0);
    let keys: Vec<String> = sqlx::query_scalar("SELECT idempotency_key FROM submissions")
        .fetch_all(&pool)
        .await
        .unwrap();
    let sent: HashSet<String> = results.iter().flat_map(|(_, s)| s.clone()).collect();
    assert!(keys.iter().all(|k| sent.contains(k)));
    assert!(keys.len() >= acked.len());
}

/// SIGTERM lets a request in flight finish, then the process exits 0.
#[test]
fn sigterm_finishes_in_flight_request_and_exits_zero() {
    let db = TestDb::new();
    let mut server = Server::start(&db, &[]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let body = valid_body().to_string();
    let key = key_of(&serde_json::from_str(&body).unwrap());
    let (head_part, tail_part) = body.as_bytes().split_at(body.len() / 2);

    let mut stream = TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /api/submissions HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Idempotency-Key: {key}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(head_part).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));

    // Signal while the request body is only half sent.
    let pid = server.pid();
    let waiter = std::thread::spawn(move || server.terminate());
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(tail_part).unwrap();
    stream.flush().unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 201"),
        "pid {pid}: {response}"
    );

    let status = waiter.join().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    assert!(rt.block_on(row_by_key(&db.path(), &key)).is_some());
}

/// After SIGTERM, new connections are refused.
#[test]
fn sigterm_when_idle_exits_zero_and_stops_listening() {
    let db = TestDb::new();
    let mut server = Server::start(&db, &[]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let status = server.terminate();
    assert_eq!(status.code(), Some(0));
    assert!(TcpStream::connect(&addr).is_err());
    assert!(server.log().contains("stopped"));
}
