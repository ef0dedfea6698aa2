//! Every input in the secretariat's mailbox, through a real SMTP server on
//! loopback (aiosmtpd, Debian's python3-aiosmtpd, `support/smtp_sink.py`),
//! each message parsed back with Python's `email` package
//! (`support/read_mail.py`). The faults of issue 22: the server down and
//! back, transient and permanent refusals, an answer lost after DATA, the
//! endpoint killed during a burst, two instances on one PostgreSQL.

mod common;
mod hostile;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use hostile::record;
use serde_json::{json, Value};

const SUPPORT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support");

/// The Python with aiosmtpd, or `None` (the test says it is skipped; in CI it fails).
fn python(test: &str) -> Option<String> {
    let python = std::env::var("IMRF_TEST_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let ok = Command::new(&python)
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: {python} has no aiosmtpd (scripts/test.sh installs python3-aiosmtpd)"
    );
    eprintln!("{test}: skipped ({python} has no aiosmtpd; apt install python3-aiosmtpd)");
    None
}

/// A real SMTP server on 127.0.0.1, killed when dropped.
struct Sink {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
    python: String,
}

impl Sink {
    fn start(python: &str, mode: &str) -> Sink {
        Sink::start_on(python, 0, mode)
    }

    fn start_on(python: &str, port: u16, mode: &str) -> Sink {
        Sink::start_with(python, port, mode, &[])
    }

    fn start_with(python: &str, port: u16, mode: &str, extra: &[&str]) -> Sink {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(python)
            .arg(format!("{SUPPORT}/smtp_sink.py"))
            .arg(dir.path())
            .args(["--port", &port.to_string(), "--mode", mode])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the SMTP sink");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("sink said {line:?}"))
            .parse()
            .unwrap();
        Sink {
            child,
            dir,
            port,
            python: python.to_string(),
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files
    }

    /// Every message kept, parsed.
    fn messages(&self) -> Vec<Value> {
        let files = self.files();
        if files.is_empty() {
            return vec![];
        }
        let out = Command::new(&self.python)
            .arg(format!("{SUPPORT}/read_mail.py"))
            .args(&files)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    /// How many messages were offered (DATA), kept or not.
    fn attempts(&self) -> usize {
        std::fs::read_to_string(self.dir.path().join("attempts.log"))
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn header<'a>(message: &'a Value, name: &str) -> Vec<&'a str> {
    message["headers"][name]
        .as_array()
        .map(|v| v.iter().map(|h| h.as_str().unwrap()).collect())
        .unwrap_or_default()
}

fn part<'a>(message: &'a Value, content_type: &str) -> &'a str {
    message["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == content_type)
        .unwrap_or_else(|| panic!("no {content_type} part in {message}"))["text"]
        .as_str()
        .unwrap()
}

/// The flags that send mail to `smtp_url`, retrying quickly.
fn mail_flags(smtp_url: &str) -> Vec<String> {
    [
        "--smtp-url",
        smtp_url,
        "--mail-from",
        "IMRF form <forms@example.org>",
        "--secretariat-mailbox",
        "secretariat@example.org",
        "--mail-retry-base-ms",
        "100",
        "--mail-send-timeout-secs",
        "2",
        "--rate-limit-per-minute",
        "0",
    ]
    .map(String::from)
    .to_vec()
}

fn start_mailing(db: &TestDb, url: &str, smtp_url: &str) -> Server {
    start_mailing_with(db, url, smtp_url, &[])
}

fn start_mailing_with(db: &TestDb, url: &str, smtp_url: &str, extra: &[&str]) -> Server {
    let flags = mail_flags(smtp_url);
    let mut flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    flags.extend(extra);
    Server::start_with_url(db, url, &flags)
}

fn to_of(m: &Value) -> String {
    header(m, "to").join(",")
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Posts a submission; its reference.
async fn send(server: &Server, body: &Value) -> String {
    let resp = submit(&client(), server, body).await;
    let status = resp.status();
    assert_eq!(status, 201, "{}", resp.text().await.unwrap_or_default());
    resp.json::<Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string()
}

fn outbox_command(url: &str, extra: &[&str]) -> (bool, String) {
    let out = command()
        .arg("outbox")
        .args(extra)
        .args(["--database-url", url])
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

async fn metric(server: &Server, state: &str) -> i64 {
    let text = client()
        .get(server.url("/api/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let prefix = format!("imrf_mail_messages{{state=\"{state}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {prefix} in {text}"))
        .trim()
        .parse()
        .unwrap()
}

fn by_message_id(messages: &[Value]) -> BTreeMap<String, usize> {
    let mut ids = BTreeMap::new();
    for m in messages {
        let id = header(m, "message-id");
        assert_eq!(id.len(), 1, "{m}");
        *ids.entry(id[0].to_string()).or_insert(0) += 1;
    }
    ids
}

#[tokio::test]
async fn every_input_reaches_the_mailbox_once_in_its_language() {
    let Some(python) = python("every_input_reaches_the_mailbox_once_in_its_language") else {
        return;
    };
    let sink = Sink::start(&python, "ok");
    let db = TestDb::new();
    let server = start_mailing(&db, &db.url(), &sink.url());

    let mut arabic = valid_body();
    arabic["name"] = json!("Sara Ahmed");
    arabic["organisation"] = json!("جمعية المهاجرين");
    arabic["title"] = json!("حماية العمال المهاجرين");
    arabic["input"] = json!("الفقرة الأولى عن UN Network on Migration.\n\nالفقرة الثانية.");
    arabic["directions"] = json!({"input": "rtl", "title": "rtl", "name": "ltr"});
    let ar_ref = send(&server, &arabic).await;
    let mut english = valid_body();
    english["language"] = json!("en");
    english["title"] = json!("Labour mobility");
    english["input"] = json!("An input in English.");
    english["email"] = json!("Sender@Example.org");
    let en_ref = send(&server, &english).await;
    let mut bot = valid_body();
    bot["website"] = json!("http://spam.example");
    let bot_ref = send(&server, &bot).await;

    wait_for("two messages", Duration::from_secs(20), || {
        sink.files().len() >= 2
    });
    // Nothing more comes: not the bot's, not a second copy.
    std::thread::sleep(Duration::from_millis(1500));
    let messages = sink.messages();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    let find = |reference: &str| {
        messages
            .iter()
            .find(|m| header(m, "subject")[0].contains(reference))
            .unwrap_or_else(|| panic!("no message for {reference}"))
    };
    assert!(!messages
        .iter()
        .any(|m| header(m, "subject")[0].contains(&bot_ref)));

    let ar = find(&ar_ref);
    assert_eq!(header(ar, "to"), ["secretariat@example.org"]);
    assert_eq!(header(ar, "from"), ["IMRF form <forms@example.org>"]);
    assert_eq!(header(ar, "reply-to"), ["Sara Ahmed <sara@example.org>"]);
    assert_eq!(
        header(ar, "subject"),
        [format!("[{ar_ref}] حماية العمال المهاجرين").as_str()]
    );
    assert_eq!(
        header(ar, "message-id"),
        [format!("<{ar_ref}.secretariat@example.org>").as_str()]
    );
    assert!(ar["defects"].as_array().unwrap().is_empty(), "{ar}");
    let plain = part(ar, "text/plain");
    assert!(
        plain.contains("الفقرة الأولى عن UN Network on Migration."),
        "{plain}"
    );
    assert!(plain.contains("جمعية المهاجرين"), "{plain}");
    assert!(plain.contains(&ar_ref), "{plain}");
    let html = part(ar, "text/html");
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    assert!(html.contains("<div dir=\"rtl\">"), "{html}");
    assert!(html.contains("<p>الفقرة الثانية.</p>"), "{html}");
    assert!(
        html.contains("<td dir=\"ltr\" style=\"padding:2px 8px\">Sara Ahmed</td>"),
        "{html}"
    );

    let en = find(&en_ref);
    let html = part(en, "text/html");
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"), "{html}");
    assert!(part(en, "text/plain").contains("Your input:\n\nAn input in English."));
    assert_eq!(header(en, "reply-to"), ["سارة <Sender@Example.org>"]);

    assert_eq!(metric(&server, "sent").await, 2);
    assert_eq!(metric(&server, "queued").await, 0);
    let (ok, out) = outbox_command(&db.url(), &[]);
    assert!(ok && out.contains("every message has been sent"), "{out}");
}

#[tokio::test]
async fn a_server_down_then_back_gets_every_message_once() {
    let Some(python) = python("a_server_down_then_back_gets_every_message_once") else {
        return;
    };
    // A port with nothing listening (yet).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db = TestDb::new();
    let server = start_mailing(&db, &db.url(), &format!("smtp://127.0.0.1:{port}"));
    let mut references = BTreeSet::new();
    for _ in 0..3 {
        references.insert(send(&server, &valid_body()).await);
    }
    wait_for("a failed attempt", Duration::from_secs(10), || {
        outbox_command(&db.url(), &[]).1.contains("retrying")
    });
    let (_, listing) = outbox_command(&db.url(), &[]);
    for r in &references {
        assert!(listing.contains(r.as_str()), "{listing}");
    }
    assert!(
        listing.to_lowercase().contains("connect"),
        "the reason is shown: {listing}"
    );

    let sink = Sink::start_on(&python, port, "ok");
    wait_for("three messages", Duration::from_secs(30), || {
        sink.files().len() >= 3
    });
    std::thread::sleep(Duration::from_millis(1000));
    let ids = by_message_id(&sink.messages());
    let expected: BTreeMap<String, usize> = references
        .iter()
        .map(|r| (format!("<{r}.secretariat@example.org>"), 1))
        .collect();
    assert_eq!(ids, expected);
    drop(server);
}

#[tokio::test]
async fn transient_refusals_are_retried_until_taken() {
    let Some(python) = python("transient_refusals_are_retried_until_taken") else {
        return;
    };
    let sink = Sink::start(&python, "tempfail:3");
    let db = TestDb::new();
    let server = start_mailing(&db, &db.url(), &sink.url());
    let reference = send(&server, &valid_body()).await;
    wait_for("the message", Duration::from_secs(30), || {
        sink.files().len() == 1
    });
    assert_eq!(sink.attempts(), 4, "three refusals, then taken");
    let m = &sink.messages()[0];
    assert_eq!(
        header(m, "message-id"),
        [format!("<{reference}.secretariat@example.org>").as_str()]
    );
    assert_eq!(metric(&server, "sent").await, 1);
}

#[tokio::test]
async fn a_permanent_refusal_is_recorded_and_not_retried() {
    let Some(python) = python("a_permanent_refusal_is_recorded_and_not_retried") else {
        return;
    };
    let sink = Sink::start(&python, "permfail");
    let db = TestDb::new();
    let server = start_mailing(&db, &db.url(), &sink.url());
    let reference = send(&server, &valid_body()).await;
    wait_for("the refusal", Duration::from_secs(20), || {
        sink.attempts() == 1
    });
    // Retries would come within 100 ms, 200 ms, ...: none does.
    std::thread::sleep(Duration::from_millis(2000));
    assert_eq!(sink.attempts(), 1);
    assert_eq!(metric(&server, "failed").await, 1);
    let (_, listing) = outbox_command(&db.url(), &[]);
    let line = listing
        .lines()
        .find(|l| l.starts_with(&reference))
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(line.contains("failed") && line.contains("550"), "{line}");

    // The operator sends it again (for example after fixing the mailbox).
    let (ok, out) = outbox_command(&db.url(), &["retry", &reference]);
    assert!(ok, "{out}");
    wait_for("the second attempt", Duration::from_secs(20), || {
        sink.attempts() == 2
    });
    let (ok, out) = outbox_command(&db.url(), &["retry", "IMRF-00000000"]);
    assert!(!ok && out.contains("no message for IMRF-00000000"), "{out}");
    let (ok, out) = outbox_command(&db.url(), &["retry", "nonsense"]);
    assert!(!ok && out.contains("not a reference"), "{out}");
    drop(server);
}

#[tokio::test]
async fn an_answer_lost_after_data_is_resent_with_the_same_message_id() {
    let Some(python) = python("an_answer_lost_after_data_is_resent_with_the_same_message_id")
    else {
        return;
    };
    let sink = Sink::start(&python, "hangup:1");
    let db = TestDb::new();
    let server = start_mailing(&db, &db.url(), &sink.url());
    let reference = send(&server, &valid_body()).await;
    wait_for("two copies", Duration::from_secs(20), || {
        sink.files().len() == 2
    });
    let ids = by_message_id(&sink.messages());
    assert_eq!(
        ids,
        BTreeMap::from([(format!("<{reference}.secretariat@example.org>"), 2)])
    );
    wait_for("recorded as sent", Duration::from_secs(10), || {
        outbox_command(&db.url(), &[])
            .1
            .contains("every message has been sent")
    });
    let pool = open_db(&db.path()).await;
    let (uncertain, attempts): (bool, i64) =
        sqlx::query_as("SELECT uncertain, attempts FROM outbox WHERE reference = ?")
            .bind(&reference)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(uncertain);
    assert_eq!(attempts, 2);
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_endpoint_killed_during_a_burst_loses_no_message() {
    let Some(python) = python("the_endpoint_killed_during_a_burst_loses_no_message") else {
        return;
    };
    let sink = Sink::start(&python, "ok");
    let db = TestDb::new();
    let mut server = start_mailing(&db, &db.url(), &sink.url());
    let base = server.base.clone();
    let pid = server.pid();
    // Posts until the process dies under them; every 201 is acknowledged.
    let burst = tokio::spawn(async move {
        let client = client();
        let mut acknowledged = vec![];
        for i in 0..400 {
            let body = valid_body();
            let sent = client
                .post(format!("{base}/api/submissions"))
                .header("Idempotency-Key", key_of(&body))
                .json(&body)
                .send()
                .await;
            match sent {
                Ok(r) if r.status() == 201 => {
                    if let Ok(v) = r.json::<Value>().await {
                        acknowledged.push(v["reference"].as_str().unwrap().to_string());
                    }
                }
                Ok(r) => panic!("post {i}: {}", r.status()),
                Err(_) => break,
            }
        }
        acknowledged
    });
    wait_for("some messages sent", Duration::from_secs(30), || {
        sink.files().len() >= 5
    });
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
    let acknowledged = burst.await.unwrap();
    server.kill9();
    assert!(acknowledged.len() >= 5, "{}", acknowledged.len());

    let _restarted = start_mailing(&db, &db.url(), &sink.url());
    let expected: BTreeSet<String> = acknowledged
        .iter()
        .map(|r| format!("<{r}.secretariat@example.org>"))
        .collect();
    // A message cut short by the kill waits for its lease (2 × 2 s + 5 s).
    wait_for(
        "every acknowledged input's message",
        Duration::from_secs(60),
        || {
            let ids: BTreeSet<String> = by_message_id(&sink.messages()).into_keys().collect();
            expected.is_subset(&ids)
        },
    );
    let ids = by_message_id(&sink.messages());
    // At most the message in flight at the kill arrives twice, under its one Message-ID.
    let doubled: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(doubled.len() <= 1, "{doubled:?}");
    // A kill between a commit and its 201 reaching the client leaves an input
    // stored but never acknowledged: its message comes too, and rightly. Every
    // message is for a stored input.
    let pool = open_db(&db.path()).await;
    let stored: BTreeSet<String> =
        sqlx::query_scalar::<_, String>("SELECT reference FROM submissions")
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .map(|r| format!("<{r}.secretariat@example.org>"))
            .collect();
    assert!(
        ids.keys().all(|id| stored.contains(id)),
        "a message for an input not stored"
    );
    assert!(
        ids.len() <= expected.len() + 1,
        "at most the one in flight at the kill: {}",
        ids.len()
    );
}

#[tokio::test]
async fn hostile_names_and_titles_stay_one_header() {
    let Some(python) = python("hostile_names_and_titles_stay_one_header") else {
        return;
    };
    let sink = Sink::start(&python, "ok");
    let db = TestDb::new();
    let server = start_mailing(&db, &db.url(), &sink.url());
    let mut body = valid_body();
    body["name"] = json!("Eve\r\nBcc: victim@example.org");
    body["title"] = json!(format!(
        "=?utf-8?b?SGFja2Vk?= \"quoted\" {}",
        "long ".repeat(30)
    ));
    body["input"] = json!("x\r\n.\r\nMAIL FROM:<a@b.c>\r\n");
    let reference = send(&server, &body).await;
    wait_for("the message", Duration::from_secs(20), || {
        sink.files().len() == 1
    });
    let m = &sink.messages()[0];
    assert!(header(m, "bcc").is_empty(), "{m}");
    assert_eq!(header(m, "to"), ["secretariat@example.org"]);
    let subject = header(m, "subject");
    assert_eq!(subject.len(), 1);
    assert!(
        subject[0].starts_with(&format!(
            "[{reference}] =\u{2060}?utf-8?b?SGFja2Vk?= \"quoted\""
        )),
        "{subject:?}"
    );
    assert!(!subject[0].contains("Hacked"), "{subject:?}");
    assert!(
        subject[0].ends_with('…') && subject[0].chars().count() < 140,
        "cut: {subject:?}"
    );
    let reply_to = header(m, "reply-to");
    assert_eq!(reply_to.len(), 1);
    assert!(
        !reply_to[0].contains('\n') && reply_to[0].contains("sara@example.org"),
        "{reply_to:?}"
    );
    assert!(
        part(m, "text/plain").contains("MAIL FROM:<a@b.c>"),
        "the body is data, not commands"
    );
    assert_eq!(sink.attempts(), 1);
    drop(server);
    record(
        "Mail",
        "a name with CR/LF and `Bcc:`, a title with an encoded-word lookalike, quotes and 184 characters, an input with `.` and SMTP commands on their own lines",
        "one To (the mailbox), no Bcc, one Subject cut at 120 characters with `=?` shown as typed, Reply-To one line; the body is data",
    );
}

#[tokio::test]
async fn without_smtp_nothing_is_queued_and_the_log_says_so() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    send(&server, &valid_body()).await;
    assert!(server.log().contains("no --smtp-url"), "{}", server.log());
    let pool = open_db(&db.path()).await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn bad_mail_configuration_is_refused_at_start_naming_the_flag() {
    let db = TestDb::new();
    let unreadable = db.dir.path().join("missing-credentials");
    let unreadable = unreadable.to_str().unwrap();
    for (flags, named) in [
        (
            vec![
                "--smtp-url",
                "mail.example.org:25",
                "--mail-from",
                "a@example.org",
            ],
            "--smtp-url",
        ),
        (
            vec![
                "--smtp-url",
                "smtp://mail.example.org/x",
                "--mail-from",
                "a@example.org",
            ],
            "--smtp-url",
        ),
        (vec!["--smtp-url", "smtp://127.0.0.1:25"], "--mail-from"),
        (
            vec!["--smtp-url", "smtp://127.0.0.1:25", "--mail-from", "nobody"],
            "--mail-from",
        ),
        (
            vec![
                "--smtp-url",
                "smtp://127.0.0.1:25",
                "--mail-from",
                "a@example.org",
                "--smtp-credentials-file",
                unreadable,
            ],
            "--smtp-credentials-file",
        ),
        (
            vec![
                "--smtp-url",
                "smtp://127.0.0.1:25",
                "--mail-from",
                "a@example.org",
                "--secretariat-mailbox",
                "x",
            ],
            "--secretariat-mailbox",
        ),
    ] {
        let out = command()
            .arg("serve")
            .args(["--listen", "127.0.0.1:0", "--database-url", &db.url()])
            .args(&flags)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{flags:?} was accepted");
        assert!(stderr.contains(named), "{flags:?}: {stderr}");
    }
}

#[tokio::test]
async fn two_instances_on_one_postgres_send_each_message_once() {
    let Some(url) = std::env::var("IMRF_TEST_POSTGRES_URL").ok() else {
        eprintln!("two_instances_on_one_postgres_send_each_message_once: skipped (set IMRF_TEST_POSTGRES_URL to run it)");
        return;
    };
    let Some(python) = python("two_instances_on_one_postgres_send_each_message_once") else {
        return;
    };
    let sink = Sink::start(&python, "ok");
    let db = TestDb::new();
    let a = start_mailing(&db, &url, &sink.url());
    let b = start_mailing(&db, &url, &sink.url());
    let mut references = BTreeSet::new();
    for i in 0..20 {
        let server = if i % 2 == 0 { &a } else { &b };
        references.insert(send(server, &valid_body()).await);
    }
    let expected: BTreeSet<String> = references
        .iter()
        .map(|r| format!("<{r}.secretariat@example.org>"))
        .collect();
    wait_for("twenty messages", Duration::from_secs(30), || {
        let ids: BTreeSet<String> = by_message_id(&sink.messages()).into_keys().collect();
        expected.is_subset(&ids)
    });
    std::thread::sleep(Duration::from_millis(1500));
    let ids = by_message_id(&sink.messages());
    for id in &expected {
        assert_eq!(ids[id], 1, "{id} sent {} times", ids[id]);
    }
}

#[tokio::test]
async fn a_daily_digest_lists_the_days_references_once() {
    let Some(python) = python("a_daily_digest_lists_the_days_references_once") else {
        return;
    };
    let db = TestDb::new();
    // Yesterday's inputs, stored before mail was configured.
    let mut references = vec![];
    {
        let server = Server::start(&db, &[]);
        for _ in 0..2 {
            references.push(send(&server, &valid_body()).await);
        }
        let mut bot = valid_body();
        bot["website"] = json!("x");
        send(&server, &bot).await;
        drop(server);
    }
    let yesterday = (time::OffsetDateTime::now_utc() - time::Duration::days(1)).date();
    let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(db.path());
    let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
    sqlx::query("UPDATE submissions SET received_at = ? || substr(received_at, 11)")
        .bind(yesterday.to_string())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let sink = Sink::start(&python, "ok");
    let server = start_mailing(&db, &db.url(), &sink.url());
    wait_for("the digest", Duration::from_secs(20), || {
        sink.files().len() == 1
    });
    drop(server);
    // Another start (or a second instance) queues no second digest.
    let again = start_mailing(&db, &db.url(), &sink.url());
    std::thread::sleep(Duration::from_millis(1500));
    drop(again);
    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    let digest = &messages[0];
    assert_eq!(
        header(digest, "message-id"),
        [format!("<digest-{yesterday}@example.org>").as_str()]
    );
    assert!(header(digest, "subject")[0].ends_with(&yesterday.to_string()));
    let text = part(digest, "text/plain");
    for r in &references {
        assert_eq!(
            text.matches(r.as_str()).count(),
            2,
            "once per language: {text}"
        );
    }
    assert!(
        text.contains("Inputs set apart as automated (not sent by mail): 1"),
        "{text}"
    );
}

#[tokio::test]
async fn a_withdrawal_tells_the_mailbox_in_the_inputs_thread() {
    let Some(python) = python("a_withdrawal_tells_the_mailbox_in_the_inputs_thread") else {
        return;
    };
    let sink = Sink::start(&python, "ok");
    let db = TestDb::new();
    let server = start_mailing(&db, &db.url(), &sink.url());
    let resp = submit(&client(), &server, &valid_body()).await;
    let v: Value = resp.json().await.unwrap();
    let reference = v["reference"].as_str().unwrap().to_string();
    let link = v["withdraw_url"].as_str().unwrap().to_string();
    wait_for("the input's message", Duration::from_secs(20), || {
        sink.files().len() == 1
    });
    let token = link.rsplit("token=").next().unwrap();
    let body = format!("reference={reference}&token={token}");
    for _ in 0..2 {
        let resp = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(server.url("/ar/withdraw"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303);
    }
    wait_for("the notice", Duration::from_secs(20), || {
        sink.files().len() >= 2
    });
    std::thread::sleep(Duration::from_millis(1000));
    let messages = sink.messages();
    assert_eq!(messages.len(), 2, "one notice for two posts: {messages:#?}");
    let notice = &messages[1];
    let original = format!("<{reference}.secretariat@example.org>");
    assert_eq!(header(notice, "in-reply-to"), [original.as_str()]);
    assert_eq!(header(notice, "references"), [original.as_str()]);
    assert_eq!(
        header(notice, "message-id"),
        [format!("<{reference}.withdrawal@example.org>").as_str()]
    );
    assert!(header(notice, "subject")[0].starts_with(&format!("[{reference}] سُحبت")));
    assert!(part(notice, "text/plain").contains("ولا يجوز نشرها"));
}

#[tokio::test]
async fn a_confirmation_goes_to_the_sender_who_asks_with_nothing_they_typed() {
    let Some(python) = python("a_confirmation_goes_to_the_sender_who_asks_with_nothing_they_typed")
    else {
        return;
    };
    let sink = Sink::start(&python, "ok");
    let db = TestDb::new();
    let server = start_mailing_with(
        &db,
        &db.url(),
        &sink.url(),
        &["--public-url", "http://forms.example.org"],
    );
    let mut asks = valid_body();
    asks["language"] = json!("en");
    asks["confirmation"] = json!(true);
    asks["email"] = json!("sender@example.org");
    asks["name"] = json!("NAME-QX7 visit spam.example");
    asks["title"] = json!("TITLE-QX7");
    asks["input"] = json!("INPUT-QX7 buy now");
    let reference = send(&server, &asks).await;
    let quiet = send(&server, &valid_body()).await;
    wait_for("three messages", Duration::from_secs(20), || {
        sink.files().len() >= 3
    });
    std::thread::sleep(Duration::from_millis(1000));
    let messages = sink.messages();
    assert_eq!(
        messages.len(),
        3,
        "two inputs, one confirmation: {messages:#?}"
    );
    let confirmation = messages
        .iter()
        .find(|m| to_of(m) == "sender@example.org")
        .expect("a message to the sender");
    assert_eq!(
        header(confirmation, "message-id"),
        [format!("<{reference}.confirmation@example.org>").as_str()]
    );
    assert_eq!(
        header(confirmation, "reply-to"),
        ["secretariat@example.org"]
    );
    assert_eq!(
        header(confirmation, "subject"),
        [format!("[{reference}] Your input has been received").as_str()]
    );
    let text = part(confirmation, "text/plain");
    for typed in ["NAME-QX7", "spam.example", "TITLE-QX7", "INPUT-QX7"] {
        assert!(
            !text.contains(typed) && !header(confirmation, "subject")[0].contains(typed),
            "{typed} in {text}"
        );
    }
    assert!(
        text.contains("ahead of the International Migration Review Forum"),
        "{text}"
    );
    let prefix = format!("http://forms.example.org/en/withdraw?reference={reference}&token=");
    let link = text
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no withdrawal link in {text}"));
    // The link works on this server (its public address is a proxy's).
    let path = link.strip_prefix("http://forms.example.org").unwrap();
    let page = client().get(server.url(path)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Withdraw my input"));
    assert!(
        !messages
            .iter()
            .any(|m| to_of(m) != "secretariat@example.org"
                && header(m, "subject")[0].contains(&quiet))
    );
}

#[tokio::test]
async fn at_most_three_confirmations_a_day_go_to_one_address() {
    let Some(python) = python("at_most_three_confirmations_a_day_go_to_one_address") else {
        return;
    };
    let sink = Sink::start(&python, "ok");
    let db = TestDb::new();
    let server = start_mailing(&db, &db.url(), &sink.url());
    for email in [
        "victim@example.org",
        "Victim@Example.org",
        "VICTIM@example.org",
        "victim@EXAMPLE.ORG",
        "victim@example.org",
    ] {
        let mut body = valid_body();
        body["confirmation"] = json!(true);
        body["email"] = json!(email);
        send(&server, &body).await;
    }
    wait_for("eight messages", Duration::from_secs(20), || {
        sink.files().len() >= 8
    });
    std::thread::sleep(Duration::from_millis(1500));
    let messages = sink.messages();
    let to_sender = messages
        .iter()
        .filter(|m| to_of(m).to_lowercase() == "victim@example.org")
        .count();
    assert_eq!(to_sender, 3, "{messages:#?}");
    assert_eq!(
        messages.len(),
        5 + 3,
        "every input still reaches the mailbox"
    );
    // Without a public URL the confirmation points to the receipt's link.
    let c = messages
        .iter()
        .find(|m| to_of(m).to_lowercase() == "victim@example.org")
        .unwrap();
    assert!(
        part(c, "text/plain").contains("الرابط الوارد في الإيصال"),
        "{c}"
    );
}

#[tokio::test]
async fn an_address_the_server_refuses_fails_the_confirmation_only() {
    let Some(python) = python("an_address_the_server_refuses_fails_the_confirmation_only") else {
        return;
    };
    let sink = Sink::start_with(&python, 0, "ok", &["--refuse-rcpt", "nobody@example.org"]);
    let db = TestDb::new();
    let server = start_mailing(&db, &db.url(), &sink.url());
    let mut body = valid_body();
    body["confirmation"] = json!(true);
    body["email"] = json!("nobody@example.org");
    let reference = send(&server, &body).await;
    wait_for("the input's message", Duration::from_secs(20), || {
        sink.files().len() == 1
    });
    wait_for("the refusal recorded", Duration::from_secs(20), || {
        outbox_command(&db.url(), &[]).1.contains("failed")
    });
    let (_, listing) = outbox_command(&db.url(), &[]);
    let line = listing
        .lines()
        .find(|l| l.contains("confirmation"))
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(
        line.starts_with(&reference) && line.contains("failed") && line.contains("550"),
        "{line}"
    );
    record(
        "Mail",
        "a confirmation asked for an address the mail server refuses (550 at RCPT)",
        "the confirmation recorded failed with the server's answer; the input and its message to the mailbox unaffected",
    );
    assert_eq!(
        header(&sink.messages()[0], "to"),
        ["secretariat@example.org"]
    );
    assert_eq!(metric(&server, "failed").await, 1);
    assert_eq!(metric(&server, "sent").await, 1);
}

#[tokio::test]
async fn a_form_posted_without_javascript_can_ask_for_a_confirmation() {
    let Some(python) = python("a_form_posted_without_javascript_can_ask_for_a_confirmation") else {
        return;
    };
    let sink = Sink::start(&python, "ok");
    let db = TestDb::new();
    let server = start_mailing(&db, &db.url(), &sink.url());
    let form = "language=en&name=Sara&email=nojs%40example.org&country=EG\
                &stakeholder_group=civil_society&title=T&input=Text&consent=on\
                &confirmation=on&website=&shell=page&view=full";
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(server.url("/api/submissions"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    wait_for("two messages", Duration::from_secs(20), || {
        sink.files().len() >= 2
    });
    let messages = sink.messages();
    assert!(
        messages.iter().any(|m| to_of(m) == "nojs@example.org"),
        "the box posted without JavaScript asks for the confirmation: {messages:#?}"
    );
}
