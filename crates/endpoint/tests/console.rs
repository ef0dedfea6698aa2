//! The secretariat's console (`/secretariat/`) against the real binary:
//! staff invited from the command line, real passkey ceremonies with a
//! software authenticator (webauthn-authenticator-rs's `SoftPasskey`),
//! sessions, the same-origin guard, roles, decisions that reach the
//! public record, and inputs written to attack a reviewer.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::SqlitePool;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

const COOKIE: &str = "__Host-imrf-console";

/// A form-urlencoded body, as a browser posts a form.
trait FormBody {
    fn form_body(self, pairs: &[(&str, &str)]) -> Self;
}

impl FormBody for reqwest::RequestBuilder {
    fn form_body(self, pairs: &[(&str, &str)]) -> Self {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }
}

struct Console {
    db: TestDb,
    /// The database the server and the commands use (the `TestDb`'s SQLite file by default).
    url: String,
    server: Server,
    http: reqwest::Client,
    /// The console's origin: the listen address's port on `localhost`.
    origin: String,
}

impl Console {
    fn start() -> Console {
        Console::start_on(None)
    }

    fn start_on(url: Option<String>) -> Console {
        let db = TestDb::new();
        let url = url.unwrap_or_else(|| db.url());
        let server = Server::start_with_url(&db, &url, &[]);
        let origin = server.base.replace("127.0.0.1", "localhost");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap();
        Console {
            db,
            url,
            server,
            http,
            origin,
        }
    }

    fn port(&self) -> &str {
        self.server.base.rsplit(':').next().unwrap()
    }

    fn cli(&self, args: &[&str]) -> (bool, String) {
        let out = command()
            .args(args)
            .args(["--database-url", &self.url])
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

    /// `staff invite`; the token of the printed link.
    fn invite(&self, email: &str, role: &str) -> String {
        let listen = format!("127.0.0.1:{}", self.port());
        let (ok, out) = self.cli(&[
            "staff", "invite", "--email", email, "--role", role, "--listen", &listen,
        ]);
        assert!(ok, "{out}");
        let prefix = format!("{}/secretariat/enrol/", self.origin);
        let line = out
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no link in {out}"));
        line[prefix.len()..].to_string()
    }

    /// A POST as the console's own pages send it.
    fn post(&self, path: &str, cookie: Option<&str>) -> reqwest::RequestBuilder {
        let mut r = self
            .http
            .post(self.server.url(path))
            .header("origin", &self.origin)
            .header("sec-fetch-site", "same-origin");
        if let Some(c) = cookie {
            r = r.header("cookie", format!("{COOKIE}={c}"));
        }
        r
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> (StatusCode, String) {
        let mut r = self.http.get(self.server.url(path));
        if let Some(c) = cookie {
            r = r.header("cookie", format!("{COOKIE}={c}"));
        }
        let resp = r.send().await.unwrap();
        (resp.status(), resp.text().await.unwrap())
    }

    /// Enrols a passkey with the link's token; the session cookie set.
    async fn enrol(
        &self,
        token: &str,
        key: &mut WebauthnAuthenticator<SoftPasskey>,
    ) -> Result<String, StatusCode> {
        let start = self
            .post("/secretariat/api/enrol/start", None)
            .json(&json!({ "token": token }))
            .send()
            .await
            .unwrap();
        if !start.status().is_success() {
            return Err(start.status());
        }
        let start: Value = start.json().await.unwrap();
        let options: CreationChallengeResponse =
            serde_json::from_value(start["options"].clone()).unwrap();
        let credential = key
            .do_registration(Url::parse(&self.origin).unwrap(), options)
            .expect("the soft passkey registers");
        let finish = self
            .post("/secretariat/api/enrol/finish", None)
            .json(&json!({ "ceremony": start["ceremony"], "credential": credential, "lang": "en" }))
            .send()
            .await
            .unwrap();
        session_cookie(finish).await
    }

    /// The options and ceremony of a sign-in.
    async fn sign_in_start(&self, email: &str) -> Result<Value, StatusCode> {
        let start = self
            .post("/secretariat/api/sign-in/start", None)
            .json(&json!({ "email": email }))
            .send()
            .await
            .unwrap();
        if !start.status().is_success() {
            return Err(start.status());
        }
        Ok(start.json().await.unwrap())
    }

    /// The finish body of a sign-in at `origin` (the page's origin the
    /// authenticator signs).
    async fn assertion(
        &self,
        email: &str,
        key: &mut WebauthnAuthenticator<SoftPasskey>,
        origin: &str,
    ) -> Result<Value, StatusCode> {
        let start = self.sign_in_start(email).await?;
        let options: RequestChallengeResponse =
            serde_json::from_value(start["options"].clone()).unwrap();
        let credential = key
            .do_authentication(Url::parse(origin).unwrap(), options)
            .expect("the soft passkey signs");
        Ok(json!({ "ceremony": start["ceremony"], "credential": credential, "lang": "en" }))
    }

    async fn sign_in_finish(
        &self,
        body: &Value,
        cookie: Option<&str>,
    ) -> Result<String, StatusCode> {
        let finish = self
            .post("/secretariat/api/sign-in/finish", cookie)
            .json(body)
            .send()
            .await
            .unwrap();
        session_cookie(finish).await
    }

    async fn sign_in(
        &self,
        email: &str,
        key: &mut WebauthnAuthenticator<SoftPasskey>,
    ) -> Result<String, StatusCode> {
        let body = self.assertion(email, key, &self.origin.clone()).await?;
        self.sign_in_finish(&body, None).await
    }

    async fn pool(&self) -> SqlitePool {
        SqlitePool::connect_with(SqliteConnectOptions::new().filename(self.db.path()))
            .await
            .unwrap()
    }

    async fn events(&self) -> Vec<(String, String)> {
        let pool = self.pool().await;
        let rows = sqlx::query_as("SELECT actor, event FROM staff_events ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        rows
    }

    async fn decision(&self, reference: &str) -> Option<(String, Option<String>, Option<String>)> {
        let pool = self.pool().await;
        let row = sqlx::query_as("SELECT state, reason, note FROM decisions WHERE reference = ?")
            .bind(reference)
            .fetch_optional(&pool)
            .await
            .unwrap();
        pool.close().await;
        row
    }

    async fn stored(&self, body: &Value) -> String {
        let resp = submit(&client(), &self.server, body).await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        resp.json::<Value>().await.unwrap()["reference"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A person invited, enrolled and signed in: their passkey and session.
    async fn person(
        &self,
        email: &str,
        role: &str,
    ) -> (WebauthnAuthenticator<SoftPasskey>, String) {
        let token = self.invite(email, role);
        let mut key = WebauthnAuthenticator::new(SoftPasskey::new(true));
        let cookie = self.enrol(&token, &mut key).await.expect("enrolled");
        (key, cookie)
    }
}

/// The session the answer set, checking the cookie's attributes.
async fn session_cookie(resp: reqwest::Response) -> Result<String, StatusCode> {
    if !resp.status().is_success() {
        return Err(resp.status());
    }
    let set = resp
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_string();
    for part in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(set.contains(part), "{set}");
    }
    assert!(!set.contains("Domain"), "{set}");
    let value = set
        .strip_prefix(&format!("{COOKIE}="))
        .unwrap_or_else(|| panic!("{set}"))
        .split(';')
        .next()
        .unwrap();
    assert_eq!(value.len(), 43, "{set}");
    Ok(value.to_string())
}

fn is_sign_in_page(html: &str) -> bool {
    html.contains("id=\"imrf-console-sign-in\"") && html.contains("needs JavaScript")
}

fn body_with(title: &str, input: &str) -> Value {
    let mut b = valid_body();
    b["title"] = json!(title);
    b["input"] = json!(input);
    b["name"] = json!("Amal Haddad");
    b
}

#[tokio::test]
async fn not_signed_in_sees_the_sign_in_page_and_nothing_of_any_input() {
    let c = Console::start();
    let reference = c.stored(&body_with("SECRET TITLE", "SECRET TEXT")).await;
    let unknown = "A".repeat(43);
    for cookie in [None, Some(unknown.as_str()), Some("not-a-token")] {
        for path in [
            "/secretariat/en/".to_string(),
            "/secretariat/ar/".to_string(),
            format!("/secretariat/en/inputs/{reference}"),
            "/secretariat/en/staff".to_string(),
            "/secretariat/en/nothing-here".to_string(),
        ] {
            let (status, html) = c.get(&path, cookie).await;
            assert_eq!(status, 200, "{path}");
            assert!(
                html.contains("id=\"imrf-console-sign-in\""),
                "{path}: {html}"
            );
            for secret in ["SECRET", "Amal", "sara@example.org", reference.as_str()] {
                assert!(!html.contains(secret), "{path} shows {secret}");
            }
        }
        let api = c.get("/secretariat/api/inputs", cookie).await;
        assert_eq!(api.0, 401);
        assert_eq!(api.1, r#"{"error":"not_signed_in"}"#);
        assert_eq!(c.get("/secretariat/api/anything", cookie).await.0, 401);
    }
    // The English page says it in English, the Arabic one in Arabic.
    assert!(is_sign_in_page(&c.get("/secretariat/en/", None).await.1));
    assert!(c
        .get("/secretariat/ar/", None)
        .await
        .1
        .contains("يحتاج تسجيل الدخول بمفتاح مرور إلى جافاسكريبت"));
    // A decision posted without a session changes nothing.
    let resp = c
        .post(
            &format!("/secretariat/en/inputs/{reference}/decide"),
            Some(&unknown),
        )
        .form_body(&[("action", "publish")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(c.decision(&reference).await, None);
}

#[tokio::test]
async fn an_enrolment_link_works_once_and_not_after_24_hours() {
    let c = Console::start();
    let token = c.invite("Reviewer@Example.org", "reviewer");
    let (status, page) = c.get(&format!("/secretariat/en/enrol/{token}"), None).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("reviewer@example.org"),
        "stored lower-case: {page}"
    );
    let mut key = WebauthnAuthenticator::new(SoftPasskey::new(true));
    let cookie = c.enrol(&token, &mut key).await.expect("enrolled");
    let (status, list) = c.get("/secretariat/en/", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(list.contains("reviewer@example.org") && !is_sign_in_page(&list));

    // Used: refused, page and ceremony alike.
    let mut other = WebauthnAuthenticator::new(SoftPasskey::new(true));
    assert_eq!(c.enrol(&token, &mut other).await, Err(StatusCode::GONE));
    let (status, page) = c.get(&format!("/secretariat/en/enrol/{token}"), None).await;
    assert_eq!(status, 410);
    assert!(page.contains("This enrolment link does not work"), "{page}");

    // Older than 24 hours: refused.
    let late = c.invite("late@example.org", "reviewer");
    let pool = c.pool().await;
    sqlx::query(
        "UPDATE staff_enrolments SET expires_at = '2020-01-01T00:00:00.000Z' WHERE used_at IS NULL",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(c.enrol(&late, &mut other).await, Err(StatusCode::GONE));
    assert_eq!(
        c.get(&format!("/secretariat/enrol/{late}"), None).await.0,
        410
    );
    // A token never issued, or not a token at all.
    assert_eq!(
        c.enrol(&"B".repeat(43), &mut other).await,
        Err(StatusCode::GONE)
    );
    assert_eq!(c.get("/secretariat/enrol/..%2F..%2Fetc", None).await.0, 410);
    let events = c.events().await;
    assert!(events.iter().any(|(_, e)| e == "enrolled"), "{events:?}");
    assert!(
        events
            .iter()
            .filter(|(_, e)| e == "enrolment_refused")
            .count()
            >= 3,
        "{events:?}"
    );

    // An invitation twice is refused; staff list shows the passkey.
    let (ok, out) = c.cli(&[
        "staff",
        "invite",
        "--email",
        "reviewer@example.org",
        "--role",
        "reviewer",
    ]);
    assert!(!ok && out.contains("staff reset"), "{out}");
    let (ok, out) = c.cli(&["staff", "list"]);
    assert!(
        ok && out.contains("reviewer@example.org\treviewer\t1\t-"),
        "{out}"
    );
}

#[tokio::test]
async fn sign_in_makes_a_new_session_and_keeps_none_fixed_before() {
    let c = Console::start();
    let (mut key, first) = c.person("admin@example.org", "administrator").await;
    // An id the attacker chose and planted, and a session of the same
    // browser from before: neither survives the sign-in.
    let planted = "C".repeat(43);
    let body = c
        .assertion("admin@example.org", &mut key, &c.origin.clone())
        .await
        .unwrap();
    let fresh = c
        .sign_in_finish(&body, Some(&planted))
        .await
        .expect("signed in");
    assert_ne!(fresh, planted);
    assert!(is_sign_in_page(
        &c.get("/secretariat/en/", Some(&planted)).await.1
    ));
    let body = c
        .assertion("admin@example.org", &mut key, &c.origin.clone())
        .await
        .unwrap();
    let newer = c
        .sign_in_finish(&body, Some(&fresh))
        .await
        .expect("signed in");
    assert_ne!(newer, fresh);
    assert!(
        is_sign_in_page(&c.get("/secretariat/en/", Some(&fresh)).await.1),
        "the old session ended"
    );
    assert!(!is_sign_in_page(
        &c.get("/secretariat/en/", Some(&newer)).await.1
    ));
    assert!(
        !is_sign_in_page(&c.get("/secretariat/en/", Some(&first)).await.1),
        "another device's session stays"
    );

    // The same assertion again (a replay): refused.
    assert_eq!(
        c.sign_in_finish(&body, None).await,
        Err(StatusCode::UNAUTHORIZED)
    );
    // A passkey's answer made for another site: refused.
    // (same host, another port: the soft passkey signs it, the server must not take it).
    let elsewhere = c
        .assertion("admin@example.org", &mut key, "http://localhost:1")
        .await
        .unwrap();
    assert_eq!(
        c.sign_in_finish(&elsewhere, None).await,
        Err(StatusCode::UNAUTHORIZED)
    );
    let events = c.events().await;
    assert_eq!(
        events.iter().filter(|(_, e)| e == "sign_in").count(),
        3,
        "{events:?}"
    );
    assert!(
        events.iter().filter(|(_, e)| e == "sign_in_failed").count() >= 2,
        "{events:?}"
    );
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_address_and_per_ip() {
    let c = Console::start();
    for _ in 0..5 {
        assert_eq!(
            c.sign_in_start("nobody@example.org").await.unwrap_err(),
            401
        );
    }
    assert_eq!(
        c.sign_in_start("nobody@example.org").await.unwrap_err(),
        429
    );
    assert_eq!(
        c.sign_in_start("NOBODY@example.org ").await.unwrap_err(),
        429,
        "the same address"
    );
    for i in 0..15 {
        assert_eq!(
            c.sign_in_start(&format!("n{i}@example.org"))
                .await
                .unwrap_err(),
            401
        );
    }
    // 20 failures from this IP: every address is refused now.
    assert_eq!(c.sign_in_start("fresh@example.org").await.unwrap_err(), 429);
    let events = c.events().await;
    assert!(
        events.iter().any(|(_, e)| e == "sign_in_limited"),
        "{events:?}"
    );
}

#[tokio::test]
async fn idle_and_old_sessions_end() {
    let c = Console::start();
    let (_key, cookie) = c.person("r@example.org", "reviewer").await;
    assert!(!is_sign_in_page(
        &c.get("/secretariat/en/", Some(&cookie)).await.1
    ));
    let pool = c.pool().await;
    sqlx::query("UPDATE staff_sessions SET last_seen_at = '2020-01-01T00:00:00.000Z'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(
        is_sign_in_page(&c.get("/secretariat/en/", Some(&cookie)).await.1),
        "idle"
    );
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff_sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 0, "an idle session is ended, not kept");
    pool.close().await;

    let (_key, cookie) = c.person("s@example.org", "reviewer").await;
    let pool = c.pool().await;
    let old =
        time::OffsetDateTime::now_utc() - time::Duration::hours(12) - time::Duration::minutes(1);
    let old = old
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    sqlx::query("UPDATE staff_sessions SET created_at = ?")
        .bind(old)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert!(
        is_sign_in_page(&c.get("/secretariat/en/", Some(&cookie)).await.1),
        "older than 12 hours"
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let c = Console::start();
    let reference = c.stored(&valid_body()).await;
    let (_key, cookie) = c.person("r@example.org", "reviewer").await;
    let path = format!("/secretariat/en/inputs/{reference}/decide");
    let cookie_header = format!("{COOKIE}={cookie}");
    let attempts = [
        vec![("origin", "http://evil.example")],
        vec![
            ("origin", "http://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ],
        vec![
            ("origin", c.origin.as_str()),
            ("sec-fetch-site", "same-site"),
        ],
        vec![("sec-fetch-site", "cross-site")],
        vec![],
    ];
    for headers in &attempts {
        let mut r = c
            .http
            .post(c.server.url(&path))
            .header("cookie", &cookie_header)
            .form_body(&[("action", "publish")]);
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        let resp = r.send().await.unwrap();
        assert_eq!(resp.status(), 403, "{headers:?}");
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("did not come from the console's own pages"),
            "{html}"
        );
    }
    assert_eq!(c.decision(&reference).await, None, "nothing changed");
    // Sign-out from another site is refused too: the session still works.
    let resp = c
        .http
        .post(c.server.url("/secretariat/sign-out"))
        .header("cookie", &cookie_header)
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert!(!is_sign_in_page(
        &c.get("/secretariat/en/", Some(&cookie)).await.1
    ));
    // JSON routes too.
    let resp = c
        .http
        .post(c.server.url("/secretariat/api/sign-in/start"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({ "email": "r@example.org" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let events = c.events().await;
    assert_eq!(
        events
            .iter()
            .filter(|(_, e)| e == "cross_site_refused")
            .count(),
        attempts.len() + 2,
        "{events:?}"
    );
    // The same post from the console's own page is done.
    let resp = c
        .post(&path, Some(&cookie))
        .form_body(&[("action", "publish")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(c.decision(&reference).await.unwrap().0, "published");
}

#[tokio::test]
async fn a_reviewer_is_refused_what_only_an_administrator_may_do() {
    let c = Console::start();
    let (_a, admin) = c.person("admin@example.org", "administrator").await;
    let (_r, reviewer) = c.person("reviewer@example.org", "reviewer").await;
    let (status, html) = c.get("/secretariat/en/staff", Some(&reviewer)).await;
    assert_eq!(status, 403);
    assert!(html.contains("Only an administrator may do this"), "{html}");
    assert!(!html.contains("admin@example.org"));
    let (status, html) = c.get("/secretariat/en/staff", Some(&admin)).await;
    assert_eq!(status, 200);
    assert!(html.contains("admin@example.org") && html.contains("reviewer@example.org"));
}

#[tokio::test]
async fn decisions_from_the_console_reach_the_public_record() {
    let c = Console::start();
    let reference = c
        .stored(&body_with("Decent work for migrants", "Text of the input"))
        .await;
    let (_key, cookie) = c.person("r@example.org", "reviewer").await;
    let decide = |form: Vec<(&'static str, &'static str)>| {
        c.post(
            &format!("/secretariat/en/inputs/{reference}/decide"),
            Some(&cookie),
        )
        .form_body(&form)
        .send()
    };
    let resp = decide(vec![("action", "publish")]).await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        resp.headers()["location"],
        format!("/secretariat/en/inputs/{reference}").as_str()
    );
    let record = client()
        .get(c.server.url("/en/inputs/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(record.contains("Decent work for migrants"), "{record}");

    let resp = decide(vec![
        ("action", "decline"),
        ("reason", "duplicate"),
        ("note", "Same as IMRF-AAAAAAAA"),
    ])
    .await
    .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        c.decision(&reference).await,
        Some((
            "not_published".into(),
            Some("duplicate".into()),
            Some("Same as IMRF-AAAAAAAA".into())
        ))
    );
    let record = client()
        .get(c.server.url("/en/inputs/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!record.contains("Decent work for migrants"));
    let (_, page) = c
        .get(
            &format!("/secretariat/en/inputs/{reference}"),
            Some(&cookie),
        )
        .await;
    assert!(page.contains("Not published: Duplicate"), "{page}");
    assert!(page.contains("staff:r@example.org") && page.contains("Same as IMRF-AAAAAAAA"));
    assert!(
        page.contains("Not mailed (mail is not configured"),
        "{page}"
    );

    // A private note: on the input's page, escaped; never on the public record
    // nor in the audit log.
    let resp = c
        .post(
            &format!("/secretariat/en/inputs/{reference}/notes"),
            Some(&cookie),
        )
        .form_body(&[("text", "<b>Call</b> the sender about the annex")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let (_, page) = c
        .get(
            &format!("/secretariat/en/inputs/{reference}"),
            Some(&cookie),
        )
        .await;
    assert!(
        page.contains("&lt;b&gt;Call&lt;/b&gt; the sender about the annex"),
        "{page}"
    );
    let resp = c
        .post(
            &format!("/secretariat/en/inputs/{reference}/notes"),
            Some(&cookie),
        )
        .form_body(&[("text", "   ")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400, "an empty note");
    let pool = c.pool().await;
    let in_log: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE note LIKE '%annex%'")
            .fetch_one(&pool)
            .await
            .unwrap();
    pool.close().await;
    assert_eq!(in_log, 0);
    let (ok, out) = c.cli(&["publish", &reference]);
    assert!(ok, "{out}");
    let public = client()
        .get(c.server.url(&format!("/en/inputs/{reference}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        public.contains("Decent work for migrants") && !public.contains("annex"),
        "{public}"
    );
    let (ok, out) = c.cli(&["unpublish", &reference, "--reason", "duplicate"]);
    assert!(ok, "{out}");

    // A reason not on the list: refused, nothing changed.
    let resp = decide(vec![("action", "decline"), ("reason", "rude")])
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = decide(vec![("action", "undo")]).await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(c.decision(&reference).await, None);
    let (ok, audit) = c.cli(&["audit", &reference]);
    assert!(ok, "{audit}");
    // The console's decisions and the CLI's, in one log, the same way.
    let actors: Vec<&str> = audit
        .lines()
        .skip(1)
        .map(|l| l.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(actors.len(), 5, "{audit}");
    assert_eq!(
        actors
            .iter()
            .filter(|a| **a == "staff:r@example.org")
            .count(),
        3,
        "{audit}"
    );
    assert!(
        actors.iter().filter(|a| a.starts_with("cli:")).count() == 2,
        "{audit}"
    );
    assert!(
        audit.lines().last().unwrap().contains("\tundo\t"),
        "{audit}"
    );

    // The list filters by state, bookmarkably.
    let (_, list) = c
        .get("/secretariat/en/?state=published", Some(&cookie))
        .await;
    assert!(!list.contains("Decent work for migrants"), "{list}");
    let (_, list) = c.get("/secretariat/en/?state=new", Some(&cookie)).await;
    assert!(list.contains("Decent work for migrants"), "{list}");
    assert!(list.contains(r#"<option value="new" selected"#), "{list}");
    for (query, shown) in [
        ("?country=EG&group=civil_society&language=ar", true),
        ("?country=JO", false),
        ("?group=trade_unions", false),
        ("?language=en", false),
        ("?flagged=yes", false),
    ] {
        let (_, list) = c
            .get(&format!("/secretariat/en/{query}"), Some(&cookie))
            .await;
        assert_eq!(list.contains("Decent work for migrants"), shown, "{query}");
    }
}

#[tokio::test]
async fn search_finds_arabic_without_diacritics_and_alef_forms_and_english_without_case() {
    let c = Console::start();
    let mut arabic = body_with("حماية العمال المهاجرين", "نص عن العمل اللائق");
    arabic["name"] = json!("أَحْمَد إبراهيم");
    c.stored(&arabic).await;
    let mut english = body_with("Decent Work for all", "Fair recruitment, 100% of it");
    english["language"] = json!("en");
    c.stored(&english).await;
    let (_key, cookie) = c.person("r@example.org", "reviewer").await;
    let found = |html: &str| {
        (
            html.contains("حماية العمال المهاجرين"),
            html.contains("Decent Work for all"),
        )
    };
    for (words, expected) in [
        ("احمد", (true, false)),
        ("ابراهيم احمد", (true, false)),
        ("المهاجرين DECENT", (false, false)),
        ("decent", (false, true)),
        ("recruitment 100%", (false, true)),
        ("%", (false, true)), // the one with "100%": a percent sign is matched as itself
        ("_", (false, false)),
        ("العمل", (true, false)),
    ] {
        let q: String = url::form_urlencoded::byte_serialize(words.as_bytes()).collect();
        let (status, html) = c
            .get(&format!("/secretariat/en/?q={q}"), Some(&cookie))
            .await;
        assert_eq!(status, 200);
        assert_eq!(found(&html), expected, "{words}");
    }
    let (_, html) = c
        .get("/secretariat/en/?q=decent&state=published", Some(&cookie))
        .await;
    assert_eq!(found(&html), (false, false), "with the state filter");
    let (_, html) = c
        .get("/secretariat/en/?q=%3Cscript%3E", Some(&cookie))
        .await;
    assert!(
        html.contains(r#"value="&lt;script&gt;""#),
        "the search is kept, escaped: {html}"
    );
}

#[tokio::test]
async fn hostile_input_is_shown_as_text() {
    let c = Console::start();
    let long = "x".repeat(4900);
    let mut body = body_with(
        "<script>alert(1)</script>",
        &format!("<img src=x onerror=alert(1)> {long}"),
    );
    body["language"] = json!("en");
    body["organisation"] = json!("<b>Org</b>\u{202E}reversed");
    body["link"] = json!("https://evil.example/example.org/login?next=javascript:alert(2)");
    let reference = c.stored(&body).await;
    let arabic = c
        .stored(&body_with("عنوان عربي", "نص المدخلات بالعربية"))
        .await;
    let (_key, cookie) = c.person("r@example.org", "reviewer").await;
    let (status, html) = c
        .get(
            &format!("/secretariat/en/inputs/{reference}"),
            Some(&cookie),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("<script"),
        "no script element at all: {html}"
    );
    assert!(!html.contains("<img") && !html.contains("<b>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains(&long), "the long word is there, whole");
    assert!(
        !html.contains("\u{202E}"),
        "bidi controls were removed when it was stored"
    );
    assert!(
        html.contains(">evil.example</strong>"),
        "the link's real host: {html}"
    );
    assert!(
        !html.contains("href=\"https://example.org"),
        "the link is not a link"
    );
    // An Arabic input on the English console: its own direction.
    let (_, html) = c
        .get(&format!("/secretariat/en/inputs/{arabic}"), Some(&cookie))
        .await;
    assert!(
        html.contains(r#"<h1 lang="ar" dir="rtl">عنوان عربي</h1>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<div lang="ar" dir="rtl" class="imrf-console-text">"#),
        "{html}"
    );
    let csp = c
        .http
        .get(c.server.url(&format!("/secretariat/en/inputs/{reference}")))
        .header("cookie", format!("{COOKIE}={cookie}"))
        .send()
        .await
        .unwrap()
        .headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.starts_with("default-src 'none'; script-src 'self';"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe"));
}

#[tokio::test]
async fn sign_out_ends_this_session_and_sign_out_everywhere_every_one() {
    let c = Console::start();
    let (mut key, laptop) = c.person("r@example.org", "reviewer").await;
    let phone = c.sign_in("r@example.org", &mut key).await.unwrap();
    let resp = c
        .post("/secretariat/sign-out", Some(&laptop))
        .form_body(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert!(resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert!(is_sign_in_page(
        &c.get("/secretariat/en/", Some(&laptop)).await.1
    ));
    assert!(!is_sign_in_page(
        &c.get("/secretariat/en/", Some(&phone)).await.1
    ));
    let tablet = c.sign_in("r@example.org", &mut key).await.unwrap();
    let resp = c
        .post("/secretariat/sign-out-everywhere", Some(&tablet))
        .form_body(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    for s in [&phone, &tablet] {
        assert!(is_sign_in_page(&c.get("/secretariat/en/", Some(s)).await.1));
    }
    // A second device: `staff link` adds a passkey, the first one stays.
    let (ok, out) = c.cli(&[
        "staff",
        "link",
        "--email",
        "r@example.org",
        "--listen",
        &format!("127.0.0.1:{}", c.port()),
    ]);
    assert!(ok, "{out}");
    let prefix = format!("{}/secretariat/enrol/", c.origin);
    let token = out
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .expect("a link")
        .to_string();
    let mut phone_key = WebauthnAuthenticator::new(SoftPasskey::new(true));
    c.enrol(&token, &mut phone_key)
        .await
        .expect("the second passkey");
    c.sign_in("r@example.org", &mut key)
        .await
        .expect("the first still signs in");
    c.sign_in("r@example.org", &mut phone_key)
        .await
        .expect("the second signs in");
    let (ok, out) = c.cli(&["staff", "list"]);
    assert!(ok && out.contains("r@example.org\treviewer\t2\t-"), "{out}");
    // staff reset revokes the passkeys: they sign in no more.
    let (ok, out) = c.cli(&[
        "staff",
        "reset",
        "--email",
        "r@example.org",
        "--listen",
        &format!("127.0.0.1:{}", c.port()),
    ]);
    assert!(ok && out.contains("/secretariat/enrol/"), "{out}");
    assert_eq!(
        c.sign_in("r@example.org", &mut key).await,
        Err(StatusCode::UNAUTHORIZED)
    );
    let (ok, _) = c.cli(&["staff", "remove", "--email", "r@example.org"]);
    assert!(ok);
    let (ok, log) = c.cli(&["staff", "log"]);
    assert!(ok, "{log}");
    for event in [
        "\tsign_in\t",
        "\tsign_out\t",
        "\tsign_out_everywhere\t",
        "\tsign_in_failed\t",
    ] {
        assert!(log.contains(event), "{event}: {log}");
    }
}

/// A fresh PostgreSQL database for one test, or `None` when there is none
/// (as tests/publication.rs).
async fn fresh_pg(test: &str) -> Option<String> {
    let url = std::env::var("IMRF_TEST_POSTGRES_URL").unwrap_or_default();
    if url.is_empty() {
        eprintln!("{test}: skipped (set IMRF_TEST_POSTGRES_URL to run it)");
        return None;
    }
    let name = format!("imrf_console_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let (base, _) = url.rsplit_once('/').unwrap();
    Some(format!("{base}/{name}"))
}

#[tokio::test]
async fn the_console_works_on_postgresql_and_two_instances_share_a_session() {
    let Some(url) = fresh_pg("the_console_works_on_postgresql").await else {
        return;
    };
    let c = Console::start_on(Some(url.clone()));
    let reference = c
        .stored(&body_with("Decent work on PostgreSQL", "Text"))
        .await;
    let (mut key, cookie) = c.person("admin@example.org", "administrator").await;
    let again = c
        .sign_in("admin@example.org", &mut key)
        .await
        .expect("signed in");
    assert_ne!(again, cookie);
    let resp = c
        .post(
            &format!("/secretariat/en/inputs/{reference}/decide"),
            Some(&again),
        )
        .form_body(&[("action", "decline"), ("reason", "off_topic")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    // A second instance on the same database knows the session.
    let other = Server::start_with_url(&c.db, &url, &[]);
    let page = c
        .http
        .get(other.url(&format!("/secretariat/en/inputs/{reference}")))
        .header("cookie", format!("{COOKIE}={again}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Not published: Off topic"), "{page}");
    let (_, list) = c
        .get("/secretariat/en/?state=not_published", Some(&again))
        .await;
    assert!(list.contains("Decent work on PostgreSQL"), "{list}");
    let (_, list) = c
        .get("/secretariat/en/?state=new&flagged=no", Some(&again))
        .await;
    assert!(!list.contains("Decent work on PostgreSQL"), "{list}");
    for _ in 0..5 {
        assert_eq!(
            c.sign_in_start("nobody@example.org").await.unwrap_err(),
            401
        );
    }
    assert_eq!(
        c.sign_in_start("nobody@example.org").await.unwrap_err(),
        429
    );
    let (ok, out) = c.cli(&["staff", "list"]);
    assert!(
        ok && out.contains("admin@example.org\tadministrator\t1\t-"),
        "{out}"
    );
    let (ok, log) = c.cli(&["staff", "log"]);
    assert!(ok && log.contains("\tsign_in_limited\t"), "{log}");

    // A redacted copy on PostgreSQL: published in place of the original, then removed.
    let redaction = format!("/secretariat/en/inputs/{reference}/redaction");
    let (ok, out) = c.cli(&["publish", &reference]);
    assert!(ok, "{out}");
    let resp = c
        .post(&redaction, Some(&again))
        .form_body(&[
            ("action", "save"),
            ("name", "A. Haddad"),
            ("title", "Decent work, redacted"),
            ("input", REDACTED_TEXT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let (_, json) = c.get("/inputs.json", None).await;
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["inputs"][0]["input"], REDACTED_TEXT, "{json}");
    assert_eq!(json["inputs"][0]["edited_by_secretariat"], true);
    let (ok, audit) = c.cli(&["audit", &reference]);
    assert!(
        ok && audit.contains("\tredact\t") && !audit.contains("union"),
        "{audit}"
    );
    let resp = c
        .post(&redaction, Some(&again))
        .form_body(&[("action", "remove")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let (_, json) = c.get("/inputs.json", None).await;
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["inputs"][0]["input"], "Text", "{json}");
    assert_eq!(json["inputs"][0]["edited_by_secretariat"], false);
    let (ok, out) = c.cli(&["delete", "--reference", &reference]);
    assert!(ok, "{out}");
}

/// A fake built app, enough for `export-site`: the release documents and
/// the stylesheets.
fn fake_dist(dir: &std::path::Path) -> std::path::PathBuf {
    let dist = dir.join("dist");
    for lang in ["ar", "en"] {
        std::fs::create_dir_all(dist.join(lang)).unwrap();
        std::fs::write(
            dist.join(lang).join("index.html"),
            "<!doctype html><title>release</title>",
        )
        .unwrap();
    }
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>release</title>",
    )
    .unwrap();
    std::fs::write(dist.join("main-0a1b2c3d.css"), ".imrf-app{color:red}").unwrap();
    std::fs::write(dist.join("record.css"), ".imrf-record{margin:0}").unwrap();
    dist
}

/// Every file under `dir`, read as text (lossily).
fn texts_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(texts_under(&path));
        } else {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).to_string();
            out.push((path, text));
        }
    }
    out
}

const ORIGINAL_TEXT: &str = "Call Omar Khalil on 0791234567 about the housing of migrant workers.";
const REDACTED_TEXT: &str = "Call the union about the housing of migrant workers.";

#[tokio::test]
async fn a_redacted_copy_is_all_the_public_sees_and_the_original_stays_for_staff() {
    let c = Console::start();
    let reference = c
        .stored(&body_with("Housing for Omar's family", ORIGINAL_TEXT))
        .await;
    let (_key, cookie) = c.person("r@example.org", "reviewer").await;
    let redaction = format!("/secretariat/en/inputs/{reference}/redaction");
    let resp = c
        .post(
            &format!("/secretariat/en/inputs/{reference}/decide"),
            Some(&cookie),
        )
        .form_body(&[("action", "publish")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    // The console's page has the form, filled with the original.
    let (_, page) = c
        .get(
            &format!("/secretariat/en/inputs/{reference}"),
            Some(&cookie),
        )
        .await;
    assert!(page.contains(&format!("action=\"{redaction}\"")), "{page}");
    assert!(page.contains("What will be published"), "{page}");

    let save = |title: &'static str, input: &'static str| {
        c.post(&redaction, Some(&cookie))
            .form_body(&[
                ("action", "save"),
                ("name", "A. Haddad"),
                ("organisation", ""),
                ("title", title),
                ("input", input),
            ])
            .send()
    };
    let resp = save("Housing for a family", REDACTED_TEXT).await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        resp.headers()["location"],
        format!("/secretariat/en/inputs/{reference}").as_str()
    );

    let removed = ["Omar", "0791234567", "Amal"];
    let public = [
        ("/en/inputs/", "Edited by the secretariat"),
        ("/ar/inputs/", "عدّلته الأمانة"),
        (
            &*format!("/en/inputs/{reference}"),
            "Edited by the secretariat",
        ),
        (&*format!("/ar/inputs/{reference}"), "عدّلته الأمانة"),
        ("/en/inputs/feed.xml", "term=\"edited-by-secretariat\""),
        ("/ar/inputs/feed.xml", "term=\"edited-by-secretariat\""),
        ("/inputs.csv", ",true"),
        ("/inputs.json", "\"edited_by_secretariat\": true"),
    ];
    for (path, mark) in &public {
        let (status, text) = c.get(path, None).await;
        assert_eq!(status, 200, "{path}");
        assert!(text.contains(REDACTED_TEXT), "{path}: {text}");
        assert!(text.contains("A. Haddad"), "{path}");
        assert!(text.contains(mark), "{path}: {text}");
        for word in removed {
            assert!(!text.contains(word), "{path} still has {word:?}: {text}");
        }
    }
    let (_, json) = c.get("/inputs.json", None).await;
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["inputs"][0]["title"], "Housing for a family");
    assert_eq!(json["inputs"][0]["edited_by_secretariat"], true);
    assert_eq!(json["inputs"][0]["language"], "en");

    // The static site: the same documents.
    let dist = fake_dist(c.db.dir.path());
    let site = c.db.dir.path().join("site");
    let (ok, out) = c.cli(&[
        "export-site",
        "--to",
        site.to_str().unwrap(),
        "--static-dir",
        dist.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    let files = texts_under(&site);
    assert!(
        files.iter().any(|(_, t)| t.contains(REDACTED_TEXT)),
        "{files:?}"
    );
    for (path, text) in &files {
        for word in removed {
            assert!(!text.contains(word), "{path:?} still has {word:?}");
        }
    }

    // Staff still read the original, with the copy beside it; the database
    // holds the original untouched.
    let (_, page) = c
        .get(
            &format!("/secretariat/en/inputs/{reference}"),
            Some(&cookie),
        )
        .await;
    assert!(page.contains("Omar Khalil on 0791234567"), "{page}");
    assert!(page.contains(REDACTED_TEXT), "{page}");
    assert!(
        page.contains("Redacted copy saved (Full name, Title of your input, Your input)"),
        "{page}"
    );
    let pool = c.pool().await;
    let (title, input, name): (String, String, String) =
        sqlx::query_as("SELECT title, input, name FROM submissions WHERE reference = ?")
            .bind(&reference)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (title.as_str(), input.as_str(), name.as_str()),
        ("Housing for Omar's family", ORIGINAL_TEXT, "Amal Haddad")
    );
    // The audit log names the fields, never their text.
    let log: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT actor, action, note FROM audit_log WHERE reference = ? ORDER BY id")
            .bind(&reference)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        log.last().unwrap(),
        &(
            "staff:r@example.org".to_string(),
            "redact".to_string(),
            Some("name,title,input".to_string())
        ),
        "{log:?}"
    );
    // Every column of every entry, as one text.
    let all_log: Vec<String> = sqlx::query_scalar(
        "SELECT at || ' ' || actor || ' ' || action || ' ' || reference || ' ' || from_state \
         || ' ' || to_state || ' ' || COALESCE(reason, '') || ' ' || COALESCE(note, '') FROM audit_log",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let words = ["union", "Omar", "family", "Haddad", "housing"];
    for row in &all_log {
        for w in words {
            assert!(!row.contains(w), "the audit log holds {w:?}: {row}");
        }
    }
    pool.close().await;

    // A copy with no title is refused, in the console's language; nothing changes.
    let resp = save("   ", "Something else entirely").await.unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("The redacted copy was not saved: Enter a title"),
        "{html}"
    );
    let resp = c
        .post(
            &format!("/secretariat/ar/inputs/{reference}/redaction"),
            Some(&cookie),
        )
        .form_body(&[
            ("action", "save"),
            ("name", "x"),
            ("title", "t"),
            ("input", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("لم تُحفظ النسخة المنقّحة: يُرجى كتابة المدخلات"),
        "{html}"
    );
    // From another site, or not signed in: refused, nothing changes.
    let resp = c
        .http
        .post(c.server.url(&redaction))
        .header("cookie", format!("{COOKIE}={cookie}"))
        .header("origin", "http://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form_body(&[
            ("action", "save"),
            ("name", "x"),
            ("title", "Cross-site title"),
            ("input", "Cross-site text"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let resp = c
        .post(&redaction, None)
        .form_body(&[
            ("action", "save"),
            ("name", "x"),
            ("title", "Unsigned title"),
            ("input", "Unsigned text"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert!(is_sign_in_page(&resp.text().await.unwrap()));
    let resp = c
        .post(&redaction, None)
        .form_body(&[("action", "remove")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let (_, text) = c.get(&format!("/en/inputs/{reference}"), None).await;
    assert!(text.contains(REDACTED_TEXT), "{text}");
    for refused in ["Something else", "Cross-site", "Unsigned"] {
        assert!(!text.contains(refused), "{text}");
    }

    // Removed: the original is public again, unmarked.
    let resp = c
        .post(&redaction, Some(&cookie))
        .form_body(&[("action", "remove")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    for (path, mark) in &public {
        let (_, text) = c.get(path, None).await;
        assert!(!text.contains(REDACTED_TEXT), "{path}: {text}");
        assert!(!text.contains(mark), "{path}: {text}");
        assert!(text.contains("Amal Haddad"), "{path}: {text}");
    }
    let (_, text) = c.get(&format!("/en/inputs/{reference}"), None).await;
    assert!(text.contains("Omar Khalil"), "{text}");
    let (_, page) = c
        .get(
            &format!("/secretariat/en/inputs/{reference}"),
            Some(&cookie),
        )
        .await;
    assert!(page.contains("Redacted copy removed"), "{page}");
}

#[tokio::test]
async fn a_redacted_copy_goes_with_its_input_deleted_or_withdrawn() {
    let c = Console::start();
    let (_key, cookie) = c.person("r@example.org", "reviewer").await;
    let resp = submit(&client(), &c.server, &body_with("Title one", ORIGINAL_TEXT)).await;
    assert_eq!(resp.status(), 201);
    let receipt: Value = resp.json().await.unwrap();
    let withdrawn = receipt["reference"].as_str().unwrap().to_string();
    let deleted = c.stored(&body_with("Title two", ORIGINAL_TEXT)).await;
    for reference in [&withdrawn, &deleted] {
        let resp = c
            .post(
                &format!("/secretariat/en/inputs/{reference}/redaction"),
                Some(&cookie),
            )
            .form_body(&[
                ("action", "save"),
                ("name", "A. Haddad"),
                ("title", "Title"),
                ("input", REDACTED_TEXT),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303);
    }
    let copies = || async {
        let pool = c.pool().await;
        let n: Vec<String> =
            sqlx::query_scalar("SELECT reference FROM redactions ORDER BY reference")
                .fetch_all(&pool)
                .await
                .unwrap();
        pool.close().await;
        n
    };
    assert_eq!(copies().await.len(), 2);
    let (ok, out) = c.cli(&["delete", "--reference", &deleted]);
    assert!(ok, "{out}");
    assert_eq!(copies().await, vec![withdrawn.clone()]);
    let link = receipt["withdraw_url"].as_str().expect("a withdrawal link");
    let (_, query) = link.split_once('?').unwrap();
    let resp = c
        .http
        .post(c.server.url("/en/withdraw"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(query.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert!(copies().await.is_empty());
    // And a withdrawn input gets no new copy.
    let resp = c
        .post(
            &format!("/secretariat/en/inputs/{withdrawn}/redaction"),
            Some(&cookie),
        )
        .form_body(&[
            ("action", "save"),
            ("name", "A. Haddad"),
            ("title", "Title"),
            ("input", REDACTED_TEXT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    assert!(copies().await.is_empty());
}
