//! Shared helpers: start the real binary on a free port with a temporary
//! database, talk HTTP to it, and read the database back.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Row, SqlitePool};

pub const BIN: &str = env!("CARGO_BIN_EXE_imrf-endpoint");

/// A temporary directory holding the database (and the server's log).
pub struct TestDb {
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub fn new() -> TestDb {
        TestDb {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("submissions.db")
    }
    pub fn url(&self) -> String {
        format!("sqlite://{}", self.path().display())
    }
}

pub struct Server {
    pub child: Option<Child>,
    pub base: String,
    pub log: PathBuf,
}

/// A `Command` for the binary with no configuration leaking in from the environment.
pub fn command() -> Command {
    command_of(Path::new(BIN))
}

/// A copy of the binary that another user may run (a folder of its own,
/// 0755, removed when dropped): the build's folder may be closed to others
/// (a clone in a private temporary folder).
pub struct BinaryForOthers {
    dir: tempfile::TempDir,
}

impl BinaryForOthers {
    pub fn new() -> BinaryForOthers {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let copy = dir.path().join("imrf-endpoint");
        // Copied by `cp`, not `std::fs::copy`: a file this process held open for
        // writing is inherited by any child another test thread forks meanwhile,
        // and running the copy then fails with "Text file busy" (ETXTBSY).
        let copied = Command::new("cp")
            .arg(BIN)
            .arg(&copy)
            .status()
            .expect("run cp");
        assert!(copied.success(), "copy the binary");
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
        BinaryForOthers { dir }
    }

    pub fn command(&self) -> Command {
        command_of(&self.dir.path().join("imrf-endpoint"))
    }
}

/// As [`command`], for another copy of the binary.
pub fn command_of(bin: &Path) -> Command {
    let mut cmd = Command::new(bin);
    for var in [
        "DATABASE_URL",
        "IMRF_LISTEN",
        "IMRF_CORS_ORIGINS",
        "IMRF_MAX_BODY_BYTES",
        "IMRF_RATE_LIMIT_PER_MINUTE",
        "IMRF_TRUST_FORWARDED_FOR",
        "IMRF_MIN_FILL_MS",
        "IMRF_STATIC_DIR",
        "IMRF_CSP",
        "IMRF_SHUTDOWN_GRACE_SECS",
        "IMRF_ENDPOINT_URL",
        "IMRF_CORS_ALLOW_ANY_ORIGIN",
        "IMRF_FRAME_ANCESTORS",
        "IMRF_HSTS_MAX_AGE",
        "IMRF_SMTP_URL",
        "IMRF_SMTP_CREDENTIALS_FILE",
        "IMRF_MAIL_FROM",
        "IMRF_SECRETARIAT_MAILBOX",
        "IMRF_MAIL_RETRY_BASE_MS",
        "IMRF_MAIL_SEND_TIMEOUT_SECS",
        "IMRF_METRICS_TOKEN",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("RUST_LOG", "info");
    cmd
}

impl Server {
    /// Starts `imrf-endpoint serve --listen 127.0.0.1:0 --database-url <db> <extra>`
    /// and waits for its "listening on" line.
    pub fn start(db: &TestDb, extra: &[&str]) -> Server {
        Server::start_with_url(db, &db.url(), extra)
    }

    /// As [`Server::start`], on another database URL (the `TestDb` keeps the log).
    pub fn start_with_url(db: &TestDb, url: &str, extra: &[&str]) -> Server {
        let log = db
            .dir
            .path()
            .join(format!("server-{}.log", uuid::Uuid::new_v4()));
        let mut cmd = command();
        cmd.arg("serve")
            .args(["--listen", "127.0.0.1:0", "--database-url", url])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(std::fs::File::create(&log).unwrap()));
        let mut child = cmd.spawn().expect("spawn imrf-endpoint");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            // Keep draining so the child never blocks on a full pipe.
            for _ in lines {}
        });
        let line = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "server did not print its address; log:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        };
        let base = line
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        assert!(
            base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
            "{base}"
        );
        Server {
            child: Some(child),
            base,
            log,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn pid(&self) -> i32 {
        self.child.as_ref().unwrap().id() as i32
    }

    /// SIGKILL, as `kill -9`.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().unwrap();
            c.wait().unwrap();
        }
    }

    /// Sends SIGTERM and waits (bounded) for the exit status.
    pub fn terminate(&mut self) -> ExitStatus {
        let mut c = self.child.take().expect("running");
        unsafe {
            assert_eq!(libc::kill(c.id() as i32, libc::SIGTERM), 0);
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = c.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = c.kill();
                panic!("server did not stop within 30 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A valid submission with a fresh idempotency key.
pub fn valid_body() -> Value {
    json!({
        "idempotency_key": new_key(),
        "language": "ar",
        "name": "سارة",
        "email": "sara@example.org",
        "country": "EG",
        "stakeholder_group": "civil_society",
        "title": "عنوان",
        "input": "نص المدخلات",
        "consent": true,
        "fill_ms": 5000
    })
}

pub fn key_of(body: &Value) -> String {
    body["idempotency_key"].as_str().unwrap().to_string()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// POSTs a submission with its own key in the header.
pub async fn submit(client: &reqwest::Client, server: &Server, body: &Value) -> reqwest::Response {
    client
        .post(server.url("/api/submissions"))
        .header("Idempotency-Key", key_of(body))
        .json(body)
        .send()
        .await
        .expect("request")
}

/// Checks the API's error shape and returns the (field, rule) pairs.
pub fn error_pairs(body: &Value) -> Vec<(String, String)> {
    let errors = body["errors"].as_array().expect("errors array");
    assert!(!errors.is_empty(), "no errors in {body}");
    errors
        .iter()
        .map(|e| {
            let ar = e["message"]["ar"].as_str().expect("message.ar");
            let en = e["message"]["en"].as_str().expect("message.en");
            assert!(!ar.is_empty() && !en.is_empty(), "{e}");
            assert!(
                ar.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "Arabic message is not Arabic: {ar}"
            );
            (
                e["field"].as_str().expect("field").to_string(),
                e["rule"].as_str().expect("rule").to_string(),
            )
        })
        .collect()
}

pub async fn open_db(path: &Path) -> SqlitePool {
    let opts = SqliteConnectOptions::new().filename(path).read_only(true);
    SqlitePool::connect_with(opts).await.expect("open db")
}

pub async fn count_rows(path: &Path) -> i64 {
    let pool = open_db(path).await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

/// The stored row for a key, as a JSON object of its columns.
pub async fn row_by_key(path: &Path, key: &str) -> Option<Value> {
    let pool = open_db(path).await;
    let row = sqlx::query(
        "SELECT reference, idempotency_key, body_hash, received_at, language, name, organisation, \
         email, country, stakeholder_group, title, input, link, consent, directions, fill_ms, flagged \
         FROM submissions WHERE idempotency_key = ?",
    )
    .bind(key)
    .fetch_optional(&pool)
    .await
    .unwrap();
    pool.close().await;
    row.map(|r| {
        json!({
            "reference": r.get::<String, _>("reference"),
            "idempotency_key": r.get::<String, _>("idempotency_key"),
            "body_hash": r.get::<String, _>("body_hash"),
            "received_at": r.get::<String, _>("received_at"),
            "language": r.get::<String, _>("language"),
            "name": r.get::<String, _>("name"),
            "organisation": r.get::<String, _>("organisation"),
            "email": r.get::<String, _>("email"),
            "country": r.get::<String, _>("country"),
            "stakeholder_group": r.get::<String, _>("stakeholder_group"),
            "title": r.get::<String, _>("title"),
            "input": r.get::<String, _>("input"),
            "link": r.get::<String, _>("link"),
            "consent": r.get::<bool, _>("consent"),
            "directions": r.get::<String, _>("directions"),
            "fill_ms": r.get::<i64, _>("fill_ms"),
            "flagged": r.get::<Option<String>, _>("flagged"),
        })
    })
}
