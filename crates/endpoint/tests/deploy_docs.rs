//! What docs/operations.md and deploy/ tell the administrator to run, run as
//! written: the reverse-proxy blocks (read from the doc, checked by the proxy's
//! own test, then nginx and caddy each run with its block in front of the
//! real endpoint), the backup timer's command (read from the unit file, run
//! against a live database), and the PostgreSQL role, database, URL and
//! deletion commands (read from the doc, run on the test server). A tool
//! that is not installed makes its test say it is skipped and pass.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The one fenced block of docs/operations.md whose info string is `info`.
fn doc_block(info: &str) -> String {
    let doc = read("docs/operations.md");
    let open = format!("```{info}\n");
    let blocks: Vec<&str> = doc
        .split(open.as_str())
        .skip(1)
        .map(|rest| &rest[..rest.find("\n```").expect("closed block") + 1])
        .collect();
    assert_eq!(
        blocks.len(),
        1,
        "docs/operations.md must hold exactly one ```{info} block"
    );
    blocks[0].to_string()
}

/// `text` with each `from` replaced by `to`; each must be there.
fn substitute(text: &str, pairs: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for (from, to) in pairs {
        assert!(out.contains(from), "{from:?} is no longer in the block");
        out = out.replace(from, to);
    }
    out
}

/// A program by name on PATH or in the system folders (nginx is in /usr/sbin).
fn program(name: &str) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    let found = path
        .split(':')
        .chain(["/usr/sbin", "/usr/bin", "/sbin", "/bin"])
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.is_file());
    found
}

/// Two distinct free ports on loopback. Both are held until both are known:
/// asked one after the other, the kernel may hand out the same port twice, and
/// nginx then warns of a "conflicting server name" (seen in a full run).
fn two_free_ports() -> (u16, u16) {
    let a = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let b = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = |l: &std::net::TcpListener| l.local_addr().unwrap().port();
    (port(&a), port(&b))
}

/// A folder other users may enter (nginx's workers run as `nobody` when the
/// test runs as root).
fn open_dir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// A self-signed certificate for imrf.example (cert, key), made by openssl.
fn test_cert(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let openssl = program("openssl")?;
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let out = Command::new(openssl)
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args(["-nodes", "-days", "1", "-subj", "/CN=imrf.example"])
        .args(["-addext", "subjectAltName=DNS:imrf.example"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some((cert, key))
}

/// The paths and ports of the nginx block, for a test.
struct NginxSite {
    dir: tempfile::TempDir,
    https: u16,
    http: u16,
}

impl NginxSite {
    /// The doc's block with test paths, ports and certificate, under a main
    /// configuration that includes it inside `http {}` as Debian's does
    /// (`include /etc/nginx/conf.d/*.conf;`); `upstream` replaces the
    /// endpoint's address. `None` when openssl is missing.
    fn new(upstream: &str) -> Option<NginxSite> {
        let dir = open_dir();
        let (cert, key) = test_cert(dir.path())?;
        let proxy = dir.path().join("proxy");
        std::fs::create_dir(&proxy).unwrap();
        // As the doc installs it: the page from deploy/.
        std::fs::copy(
            Path::new(ROOT).join("deploy/imrf-unavailable.html"),
            proxy.join("imrf-unavailable.html"),
        )
        .unwrap();
        let logs = dir.path().join("log");
        std::fs::create_dir(&logs).unwrap();
        let (https, http) = two_free_ports();
        let d = |p: &Path| p.display().to_string();
        let block = substitute(
            &doc_block("nginx"),
            &[
                ("listen 443 ", format!("listen 127.0.0.1:{https} ")),
                ("listen 80;", format!("listen 127.0.0.1:{http};")),
                ("/etc/letsencrypt/live/imrf.example/fullchain.pem", d(&cert)),
                ("/etc/letsencrypt/live/imrf.example/privkey.pem", d(&key)),
                ("/var/log/nginx", d(&logs)),
                ("/srv/imrf/proxy", d(&proxy)),
                ("http://127.0.0.1:3000", format!("http://{upstream}")),
            ],
        );
        std::fs::write(dir.path().join("imrf.conf"), block).unwrap();
        let p = d(dir.path());
        // Debian's nginx.conf has the types in http {} too (text/html for the page).
        let types = Path::new("/etc/nginx/mime.types");
        let types = if types.is_file() {
            format!("include {};\n", types.display())
        } else {
            String::new()
        };
        let main = format!(
            "pid {p}/nginx.pid;\nerror_log {p}/log/main-error.log;\nevents {{}}\nhttp {{\n{types}\
             client_body_temp_path {p}/body; proxy_temp_path {p}/proxy-temp;\n\
             fastcgi_temp_path {p}/fastcgi; uwsgi_temp_path {p}/uwsgi; scgi_temp_path {p}/scgi;\n\
             access_log {p}/log/main-access.log;\n\
             include {p}/imrf.conf;\n}}\n"
        );
        std::fs::write(dir.path().join("nginx.conf"), main).unwrap();
        Some(NginxSite { dir, https, http })
    }

    fn nginx(&self, nginx: &Path) -> Command {
        let mut cmd = Command::new(nginx);
        cmd.arg("-p")
            .arg(self.dir.path())
            .arg("-c")
            .arg(self.dir.path().join("nginx.conf"))
            .arg("-e")
            .arg(self.dir.path().join("log/main-error.log"));
        cmd
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join("log").join(name)).unwrap_or_default()
    }
}

/// nginx's test of the configuration: success, and no warning (nginx 1.25.1
/// and newer warn that `listen ... http2` is deprecated: the doc says so).
fn nginx_t(site: &NginxSite, nginx: &Path) {
    let out = site.nginx(nginx).arg("-t").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("[warn]") && !l.contains("\"http2\" directive is deprecated"))
        .collect();
    assert!(
        out.status.success() && warnings.is_empty(),
        "nginx -t on the block of docs/operations.md:\n{err}"
    );
}

fn nginx_or_skip(test: &str) -> Option<PathBuf> {
    let found = program("nginx");
    if found.is_none() {
        eprintln!("{test}: SKIPPED: nginx is not installed (scripts/setup.sh installs it as root)");
    }
    found
}

/// docs/operations.md's nginx block passes `nginx -t` on the installed nginx
/// (Debian 12's is 1.22, where `http2 on;` is an unknown directive).
#[test]
fn the_documented_nginx_block_passes_nginx_t() {
    let Some(nginx) = nginx_or_skip("the_documented_nginx_block_passes_nginx_t") else {
        return;
    };
    let Some(site) = NginxSite::new("127.0.0.1:3000") else {
        eprintln!("SKIPPED: openssl is not installed (the test certificate)");
        return;
    };
    nginx_t(&site, &nginx);
}

/// A proxy running in the foreground (nginx with `daemon off`, `caddy run`);
/// stopped with SIGTERM (nginx's master then stops its workers) when dropped.
struct Running(Option<Child>);

impl Running {
    /// SIGTERM, then waits up to 10 s (then SIGKILL); whether it stopped in time.
    fn stop(&mut self) -> bool {
        let Some(mut child) = self.0.take() else {
            return true;
        };
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// curl to the site as a visitor of https://imrf.example would reach it,
/// on loopback: (status, body).
fn curl(dir: &Path, https: u16, args: &[&str], path: &str) -> (u16, String) {
    let body = dir.join(format!("body-{}", new_key()));
    let out = Command::new(program("curl").unwrap())
        .args([
            "-sS",
            "--noproxy",
            "*",
            "--max-time",
            "10",
            "-w",
            "%{http_code}",
        ])
        .arg("--cacert")
        .arg(dir.join("cert.pem"))
        .arg("--resolve")
        .arg(format!("imrf.example:{https}:127.0.0.1"))
        .arg("-o")
        .arg(&body)
        .args(args)
        .arg(format!("https://imrf.example:{https}{path}"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "curl {path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    (status, std::fs::read_to_string(&body).unwrap_or_default())
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A visitor's requests through a proxy in front of `server` (at
/// https://imrf.example:`https`, `dir` holding cert.pem): a submission is
/// stored (201), its receipt answers (200, with a Referer holding its own
/// address), a post over the endpoint's limit gets the endpoint's 413; then the endpoint is stopped and the receipt and a post get
/// deploy/imrf-unavailable.html with 502. (reference, token, receipt path).
async fn visit_through_the_proxy(
    dir: &Path,
    https: u16,
    server: &mut Server,
    db: &TestDb,
) -> (String, String, String) {
    // A submission through the proxy.
    let body = valid_body();
    let json = body.to_string();
    let key = format!("Idempotency-Key: {}", key_of(&body));
    let (status, answer) = curl(
        dir,
        https,
        &[
            "-H",
            "Content-Type: application/json",
            "-H",
            &key,
            "--data-binary",
            &json,
        ],
        "/api/submissions",
    );
    assert_eq!(status, 201, "{answer}");
    assert_eq!(count_rows(&db.path()).await, 1);
    let answer: Value = serde_json::from_str(&answer).unwrap();
    let reference = answer["reference"].as_str().unwrap().to_string();
    let withdraw = answer["withdraw_url"].as_str().unwrap().to_string();
    let token = withdraw.split("token=").nth(1).unwrap().to_string();
    assert!(token.len() >= 16, "{withdraw}");
    let receipt = format!("/en/receipt?reference={reference}&token={token}");
    let referer = format!("Referer: https://imrf.example{receipt}");
    let (status, page) = curl(dir, https, &["-H", &referer], &receipt);
    assert_eq!(status, 200);
    assert!(page.contains(&reference));
    let (status, _) = curl(dir, https, &[], "/api/health");
    assert_eq!(status, 200);

    // The endpoint restarts: the proxy's own page, with 502, for a GET and a post.
    // A post larger than the endpoint's limit (64 KiB) is the endpoint's to
    // refuse, with its own answer, not the proxy's.
    let large = dir.join("large.json");
    let mut big = valid_body();
    big["input"] = Value::String("x".repeat(100 * 1024));
    std::fs::write(&large, big.to_string()).unwrap();
    let data = format!("@{}", large.display());
    let (status, answer) = curl(
        dir,
        https,
        &[
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            &data,
        ],
        "/api/submissions",
    );
    // The endpoint refuses by the declared length and closes the connection:
    // a proxy still writing the body may then see it reset and answer 502
    // with its own page (seen under load in CI). Either way the visitor is
    // told and nothing is stored; never the proxy's bare 413.
    match status {
        413 => {
            let refusal: Value = serde_json::from_str(&answer)
                .unwrap_or_else(|_| panic!("not the endpoint's answer: {answer}"));
            assert!(refusal["errors"].is_array(), "{answer}");
        }
        502 => assert!(answer.contains("imrf-unavailable"), "{answer}"),
        other => panic!("{other}: {answer}"),
    }
    assert_eq!(count_rows(&db.path()).await, 1, "nothing more stored");

    server.kill9();
    let (status, page) = curl(dir, https, &["-H", &referer], &receipt);
    assert_eq!(status, 502);
    assert!(
        page.contains("id=\"imrf-unavailable\"") && page.contains("unmignet@iom.int"),
        "not deploy/imrf-unavailable.html:\n{page}"
    );
    assert!(!page.contains("nginx") && !page.contains("Caddy"), "{page}");
    let (status, page) = curl(
        dir,
        https,
        &[
            "-H",
            "Content-Type: application/json",
            "-H",
            &key,
            "--data-binary",
            &json,
        ],
        "/api/submissions",
    );
    assert_eq!(status, 502);
    assert!(page.contains("id=\"imrf-unavailable\""), "{page}");
    (reference, token, receipt)
}

/// The nginx block in front of the real endpoint: a submission through it is
/// stored, the receipt answers; with the endpoint stopped the proxy answers
/// 502 with deploy/imrf-unavailable.html; the logs hold no reference and no
/// withdrawal token, though both were in the query and in a Referer.
#[tokio::test]
async fn nginx_with_the_documented_block_serves_the_endpoint_and_logs_no_token() {
    let test = "nginx_with_the_documented_block_serves_the_endpoint_and_logs_no_token";
    let Some(nginx) = nginx_or_skip(test) else {
        return;
    };
    if program("curl").is_none() {
        eprintln!("{test}: SKIPPED: curl is not installed");
        return;
    }
    let db = TestDb::new();
    let mut server = Server::start(
        &db,
        &["--trust-forwarded-for", "--rate-limit-per-minute", "0"],
    );
    let upstream = server.base.trim_start_matches("http://").to_string();
    let Some(site) = NginxSite::new(&upstream) else {
        eprintln!("{test}: SKIPPED: openssl is not installed (the test certificate)");
        return;
    };
    nginx_t(&site, &nginx);
    let mut running = Running(Some(
        site.nginx(&nginx)
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .spawn()
            .unwrap(),
    ));
    wait_for_port(site.https);

    let (reference, token, receipt) =
        visit_through_the_proxy(site.dir.path(), site.https, &mut server, &db).await;
    // The plain-HTTP server only redirects.
    let out = Command::new(program("curl").unwrap())
        .args([
            "-sS",
            "--noproxy",
            "*",
            "--max-time",
            "10",
            "-o",
            "/dev/null",
        ])
        .args(["-w", "%{http_code}"])
        .arg(format!("http://127.0.0.1:{}{receipt}", site.http))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "301");
    assert!(running.stop(), "nginx did not stop within 10 s of SIGTERM");

    let access = site.log("imrf-access.log");
    let error = site.log("imrf-error.log");
    assert!(access.contains("\"POST /api/submissions "), "{access}");
    assert!(access.contains("\"GET /en/receipt HTTP/"), "{access}");
    assert!(access.contains("\" 502 "), "{access}");
    for (name, log) in [("access", &access), ("error", &error)] {
        assert!(
            !log.contains(&token) && !log.contains(&reference),
            "the {name} log holds the receipt's reference or token:\n{log}"
        );
    }
}

/// docs/operations.md's Caddyfile passes `caddy validate`, with no warning,
/// on the installed caddy (Debian 12's is 2.6).
#[test]
fn the_documented_caddyfile_passes_caddy_validate() {
    let Some(caddy) = program("caddy") else {
        eprintln!(
            "the_documented_caddyfile_passes_caddy_validate: SKIPPED: caddy is not installed \
             (scripts/setup.sh installs it as root)"
        );
        return;
    };
    let dir = open_dir();
    let d = |p: PathBuf| p.display().to_string();
    let file = dir.path().join("Caddyfile");
    let caddyfile = substitute(
        &doc_block("caddyfile"),
        &[
            ("/var/log/caddy", d(dir.path().join("log"))),
            ("/srv/imrf/proxy", d(dir.path().join("proxy"))),
        ],
    );
    std::fs::write(&file, caddyfile).unwrap();
    // Caddy's data and configuration folders in the test's, so that validating
    // touches nothing of the machine's (it contacts no server either).
    let out = Command::new(caddy)
        .args(["validate", "--adapter", "caddyfile", "--config"])
        .arg(&file)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let complaints: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("\"level\":\"warn\"") || l.contains("\"level\":\"error\""))
        .collect();
    assert!(
        out.status.success() && complaints.is_empty(),
        "caddy validate on the Caddyfile of docs/operations.md:\n{err}"
    );
}

/// The values of `key=` lines of a unit file, continuation lines joined as
/// systemd joins them (a `\` at the end of a line becomes a space).
fn unit_values(unit: &str, key: &str) -> Vec<String> {
    let joined = unit.replace("\\\n", " ");
    let prefix = format!("{key}=");
    joined
        .lines()
        .filter_map(|l| l.strip_prefix(prefix.as_str()))
        .map(str::to_string)
        .collect()
}

/// What systemd makes of a unit's `%%` and `$$` (a `%` and a `$`); the unit
/// must use no other specifier or variable, so that this is all there is.
fn systemd_unescape(value: &str) -> String {
    let rest = value.replace("%%", "").replace("$$", "");
    assert!(
        !rest.contains('%') && !rest.contains('$'),
        "a specifier or a variable systemd would expand itself: {value}"
    );
    value.replace("%%", "%").replace("$$", "$")
}

/// The backup unit's `Environment=` lines as (name, value).
fn unit_environment(unit: &str) -> Vec<(String, String)> {
    unit_values(unit, "Environment")
        .iter()
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("NAME=value");
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// The backup unit's `ExecStart=`: `/bin/sh -euc '<script>'`, the script as
/// the shell gets it from systemd.
fn backup_script(unit: &str) -> String {
    let exec = unit_values(unit, "ExecStart");
    assert_eq!(exec.len(), 1, "one ExecStart: {exec:?}");
    let script = exec[0]
        .strip_prefix("/bin/sh -euc '")
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or_else(|| panic!("ExecStart is not /bin/sh -euc '...': {}", exec[0]));
    assert!(!script.contains('\''), "{script}");
    systemd_unescape(script)
}

fn set_mtime(path: &Path, seconds_ago: u64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let out = Command::new("touch")
        .arg("-d")
        .arg(format!("@{}", now - seconds_ago))
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success());
}

/// Runs the backup unit's command as systemd would, with the unit's
/// environment, only its paths replaced (the binary, the database, the
/// backups' folder), and a umask of 022: the backup's mode is the binary's
/// doing, not the unit's `UMask=`.
fn run_backup_unit(database: &str, backups: &Path) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let unit = read("deploy/imrf-endpoint-backup.service");
    let script = substitute(
        &backup_script(&unit),
        &[("/usr/local/bin/imrf-endpoint", BIN.to_string())],
    );
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-euc").arg(&script).env_clear().env(
        "PATH",
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    );
    for (name, value) in unit_environment(&unit) {
        let value = match name.as_str() {
            "DATABASE_URL" => substitute(
                &value,
                &[(
                    "sqlite:///var/lib/imrf-endpoint/imrf-submissions.db",
                    database.to_string(),
                )],
            ),
            "IMRF_BACKUP_DIR" => substitute(
                &value,
                &[("/var/backups/imrf", backups.display().to_string())],
            ),
            _ => value,
        };
        cmd.env(name, value);
    }
    unsafe {
        cmd.pre_exec(|| {
            libc::umask(0o022);
            Ok(())
        });
    }
    cmd.output().unwrap()
}

fn backups_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// deploy/imrf-endpoint-backup.service's command, as written in the unit, on
/// a live database: a new backup, 0600, in a 0700 folder, holding every
/// submission; backups older than the unit's IMRF_BACKUP_KEEP_DAYS deleted,
/// newer ones and other files kept; a failed backup deletes nothing.
#[tokio::test]
async fn the_backup_units_command_backs_up_and_prunes_old_backups() {
    use std::os::unix::fs::PermissionsExt;
    let unit = read("deploy/imrf-endpoint-backup.service");
    let keep_days: u64 = unit_environment(&unit)
        .into_iter()
        .find(|(k, _)| k == "IMRF_BACKUP_KEEP_DAYS")
        .expect("Environment=IMRF_BACKUP_KEEP_DAYS=")
        .1
        .parse()
        .unwrap();
    let day = 86_400;
    let doc = read("docs/operations.md");
    assert!(
        doc.contains(&format!(
            "`IMRF_BACKUP_KEEP_DAYS` days ({keep_days} by default)"
        )),
        "docs/operations.md does not give the unit's IMRF_BACKUP_KEEP_DAYS"
    );

    let db = TestDb::new();
    let server = Server::start(&db, &["--rate-limit-per-minute", "0"]);
    let c = client();
    for _ in 0..2 {
        assert_eq!(submit(&c, &server, &valid_body()).await.status(), 201);
    }

    let backups = db.dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    std::fs::set_permissions(&backups, std::fs::Permissions::from_mode(0o755)).unwrap();
    let old = backups.join("imrf-20250101T020000Z.db");
    let recent = backups.join("imrf-20250102T020000Z.db");
    let other = backups.join("notes.txt");
    for (file, age) in [
        (&old, keep_days * day + 3600),
        (&recent, keep_days * day - 3600),
        (&other, 10 * keep_days * day),
    ] {
        std::fs::write(file, b"an older file").unwrap();
        set_mtime(file, age);
    }

    let out = run_backup_unit(&db.url(), &backups);
    assert!(
        out.status.success(),
        "the unit's command failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let names = backups_in(&backups);
    let new: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("imrf-2") && !n.starts_with("imrf-2025"))
        .collect();
    assert_eq!(new.len(), 1, "one new backup: {names:?}");
    let new = backups.join(new[0]);
    assert!(
        !old.exists(),
        "a backup older than {keep_days} days was kept: {names:?}"
    );
    assert!(
        recent.exists(),
        "a backup newer than {keep_days} days was deleted"
    );
    assert!(other.exists(), "a file that is not a backup was deleted");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&new), 0o600, "the backup's mode");
    assert_eq!(mode(&backups), 0o700, "the backups' folder's mode");
    assert_eq!(count_rows(&new).await, 2);

    // A backup that fails (no database there) prunes nothing.
    std::fs::write(&old, b"an older file").unwrap();
    set_mtime(&old, keep_days * day + 3600);
    let missing = format!("sqlite://{}", db.dir.path().join("missing.db").display());
    let out = run_backup_unit(&missing, &backups);
    assert!(!out.status.success());
    assert!(old.exists(), "a failed backup pruned the old ones");
    drop(server);
}

/// Both units of the backup pass `systemd-analyze verify`, and the backup
/// reads the database the service writes.
#[test]
fn the_backup_units_verify_and_back_up_the_services_database() {
    let service = read("deploy/imrf-endpoint.service");
    let backup = read("deploy/imrf-endpoint-backup.service");
    let db = |unit: &str| {
        unit_environment(unit)
            .into_iter()
            .find(|(k, _)| k == "DATABASE_URL")
            .map(|(_, v)| v)
    };
    assert_eq!(
        db(&backup),
        db(&service),
        "the backup's database is not the service's"
    );
    assert!(db(&backup).is_some());
    if std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: systemd-analyze is not installed; the backup units were not verified");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("imrf-endpoint-backup.service");
    let timer = dir.path().join("imrf-endpoint-backup.timer");
    std::fs::write(&unit, backup.replace("/usr/local/bin/imrf-endpoint", BIN)).unwrap();
    std::fs::write(&timer, read("deploy/imrf-endpoint-backup.timer")).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&unit)
        .arg(&timer)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let about: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("imrf-endpoint"))
        .collect();
    assert!(
        out.status.success() && about.is_empty(),
        "systemd-analyze verify:\n{err}"
    );
}

/// The URL with its database replaced (`scheme://user@host:port/DB?query`).
fn with_database(url: &str, database: &str) -> String {
    let (head, _) = url.rsplit_once('/').expect("a URL with a database");
    let query = url
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{head}/{database}{query}")
}

/// Every file of a database's folder (`base/OID/`, read as the superuser)
/// that holds `needle`.
async fn files_holding(pool: &sqlx::PgPool, needle: &str) -> Vec<String> {
    let oid: sqlx::postgres::types::Oid =
        sqlx::query_scalar("SELECT oid FROM pg_database WHERE datname = current_database()")
            .fetch_one(pool)
            .await
            .unwrap();
    let dir = format!("base/{}", oid.0);
    let files: Vec<String> = sqlx::query_scalar("SELECT pg_ls_dir($1)")
        .bind(&dir)
        .fetch_all(pool)
        .await
        .unwrap();
    let mut holding = Vec::new();
    for file in files {
        let path = format!("{dir}/{file}");
        let bytes: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT pg_read_binary_file($1, 0, (pg_stat_file($1, true)).size, true)",
        )
        .bind(&path)
        .fetch_one(pool)
        .await
        .unwrap();
        let bytes = bytes.unwrap_or_default();
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            holding.push(path);
        }
    }
    holding
}

/// The role and database made as docs/operations.md says (its SQL, with a
/// fresh name and password), the endpoint started on the documented URL
/// form (a password, `sslmode=disable`): its migrations run as that role, a
/// submission is stored; `sslmode=require` stops the start as the doc says;
/// after `delete` the text is still in the table's file until the doc's
/// `VACUUM (FULL)` and `CHECKPOINT`, then in no file of the database.
#[tokio::test]
async fn postgres_as_documented_role_database_url_and_deleting() {
    let Ok(admin_url) = std::env::var("IMRF_TEST_POSTGRES_URL") else {
        eprintln!(
            "postgres_as_documented_role_database_url_and_deleting: skipped \
             (set IMRF_TEST_POSTGRES_URL to run it)"
        );
        return;
    };
    let doc = read("docs/operations.md");
    let name = format!(
        "imrf_doc_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let password = uuid::Uuid::new_v4().simple().to_string();
    let admin = sqlx::PgPool::connect(&admin_url)
        .await
        .expect("the test server");
    let sql = substitute(
        &doc_block("sql"),
        &[
            ("CREATE ROLE imrf ", format!("CREATE ROLE {name} ")),
            ("PASSWORD-FROM-OPENSSL", password.clone()),
            (
                "CREATE DATABASE imrf OWNER imrf;",
                format!("CREATE DATABASE {name} OWNER {name};"),
            ),
        ],
    );
    for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
            .execute(&admin)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    let (superuser, scram): (bool, bool) = sqlx::query_as(
        "SELECT rolsuper, rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = $1",
    )
    .bind(&name)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert!(
        !superuser && scram,
        "the role: superuser {superuser}, SCRAM password {scram}"
    );

    // The documented URL, with the test server's address and the fresh names.
    let line = doc
        .lines()
        .find(|l| l.starts_with("DATABASE_URL=postgres://"))
        .expect("a DATABASE_URL=postgres://... line in docs/operations.md");
    let host_port = admin_url
        .split_once('@')
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(hp, _)| hp.to_string())
        .expect("IMRF_TEST_POSTGRES_URL as postgres://user@host:port/db");
    let url = substitute(
        line.strip_prefix("DATABASE_URL=").unwrap(),
        &[
            ("imrf:PASSWORD-FROM-OPENSSL@", format!("{name}:{password}@")),
            ("127.0.0.1:5432", host_port),
            ("/imrf?", format!("/{name}?")),
        ],
    );
    assert!(url.contains("sslmode="), "{url}");

    // The test server lets local logins in without a password (initdb
    // --auth=trust): for this role and database only, ask for the password
    // as Debian's pg_hba.conf does on 127.0.0.1 (a first line; a reload).
    let hba_file: String = sqlx::query_scalar("SELECT current_setting('hba_file')")
        .fetch_one(&admin)
        .await
        .unwrap();
    let hba: String = sqlx::query_scalar("SELECT pg_read_file(current_setting('hba_file'))")
        .fetch_one(&admin)
        .await
        .unwrap();
    let scram_line = format!("host {name} {name} 127.0.0.1/32 scram-sha-256\n");
    let write_hba = |content: String| {
        assert!(!content.contains("$imrf$") && !hba_file.contains('\''));
        // One line per row (empty lines left out: CSV writes them quoted), in
        // a CSV whose delimiter and quote no line holds.
        format!(
            "COPY (SELECT l FROM unnest(string_to_array($imrf${content}$imrf$, E'\\n')) l WHERE l <> '') \
             TO '{hba_file}' (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')"
        )
    };
    for statement in [
        write_hba(format!("{scram_line}{hba}")),
        "SELECT pg_reload_conf()".into(),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&admin)
            .await
            .unwrap();
    }
    let wrong = url.replace(&format!(":{password}@"), ":not-the-password@");
    let deadline = Instant::now() + Duration::from_secs(10);
    while sqlx::PgPool::connect(&wrong).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "the server still lets the role in without its password"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let db = TestDb::new();
    let mut server = Server::start_with_url(&db, &url, &["--rate-limit-per-minute", "0"]);
    let c = client();
    let health = c.get(server.url("/api/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let marker = format!("remove-me-{}", uuid::Uuid::new_v4().simple());
    let mut body = valid_body();
    body["input"] = serde_json::json!(format!("نص المدخلات {marker}"));
    let answer = submit(&c, &server, &body).await;
    assert_eq!(answer.status(), 201);
    let answer: Value = answer.json().await.unwrap();
    let reference = answer["reference"].as_str().unwrap().to_string();
    server.terminate();

    let mine = sqlx::PgPool::connect(&with_database(&admin_url, &name))
        .await
        .unwrap();
    let owner: String = sqlx::query_scalar(
        "SELECT tableowner::text FROM pg_tables WHERE tablename = 'submissions'",
    )
    .fetch_one(&mine)
    .await
    .unwrap();
    assert_eq!(owner, name, "the migrations ran as the documented role");

    // sslmode=require: the start stops, with the message the doc quotes.
    let require = url.replace("sslmode=disable", "sslmode=require");
    let mut child = command()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &require,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the endpoint started with sslmode=require");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    let quoted =
        "TLS upgrade required by connect options but SQLx was built without TLS support enabled";
    let doc_words = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(err.contains(quoted) && doc_words.contains(quoted), "{err}");

    // Deleting: the dead tuple stays in the file until the documented commands.
    sqlx::raw_sql("CHECKPOINT").execute(&mine).await.unwrap();
    assert!(
        !files_holding(&mine, &marker).await.is_empty(),
        "the scan finds the stored text"
    );
    let out = command()
        .args(["delete", "--reference", &reference, "--database-url", &url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sqlx::raw_sql("CHECKPOINT").execute(&mine).await.unwrap();
    let after_delete = files_holding(&mine, &marker).await;
    assert!(
        !after_delete.is_empty(),
        "deleted, and gone from the files without VACUUM"
    );
    let vacuum = doc
        .lines()
        .find(|l| l.starts_with("sudo -u postgres psql --dbname imrf --command "))
        .expect("the documented VACUUM line");
    let commands: Vec<&str> = vacuum
        .split("--command '")
        .skip(1)
        .map(|c| c.split('\'').next().unwrap())
        .collect();
    assert_eq!(
        commands,
        ["VACUUM (FULL, ANALYZE)", "CHECKPOINT"],
        "{vacuum}"
    );
    for command in commands {
        sqlx::raw_sql(sqlx::AssertSqlSafe(command.to_string()))
            .execute(&mine)
            .await
            .unwrap();
    }
    let after_vacuum = files_holding(&mine, &marker).await;
    assert!(
        after_vacuum.is_empty(),
        "after the documented VACUUM the deleted text is still in {after_vacuum:?}"
    );

    mine.close().await;
    for statement in [write_hba(hba.clone()), "SELECT pg_reload_conf()".into()] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&admin)
            .await
            .unwrap();
    }
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&admin)
    .await
    .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP ROLE {name}")))
        .execute(&admin)
        .await
        .unwrap();
}

/// docs/operations.md's Caddyfile run by caddy in front of the real endpoint,
/// as for nginx: the 502 page with the error's status, and logs (the site's
/// access log, caddy's own log of errors) with neither reference nor token.
/// Besides paths, the test gives caddy its certificate (`tls`), loopback
/// (`bind`), free ports, no admin endpoint and no port-80 redirect server.
#[tokio::test]
async fn caddy_with_the_documented_caddyfile_serves_the_endpoint_and_logs_no_token() {
    let test = "caddy_with_the_documented_caddyfile_serves_the_endpoint_and_logs_no_token";
    let Some(caddy) = program("caddy") else {
        eprintln!("{test}: SKIPPED: caddy is not installed (scripts/setup.sh installs it as root)");
        return;
    };
    if program("curl").is_none() {
        eprintln!("{test}: SKIPPED: curl is not installed");
        return;
    }
    let dir = open_dir();
    let Some((cert, key)) = test_cert(dir.path()) else {
        eprintln!("{test}: SKIPPED: openssl is not installed (the test certificate)");
        return;
    };
    let proxy = dir.path().join("proxy");
    std::fs::create_dir(&proxy).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("deploy/imrf-unavailable.html"),
        proxy.join("imrf-unavailable.html"),
    )
    .unwrap();
    let logs = dir.path().join("log");
    std::fs::create_dir(&logs).unwrap();
    let db = TestDb::new();
    let mut server = Server::start(
        &db,
        &["--trust-forwarded-for", "--rate-limit-per-minute", "0"],
    );
    let upstream = server.base.trim_start_matches("http://").to_string();
    let (https, http) = two_free_ports();
    let d = |p: &Path| p.display().to_string();
    let caddyfile = substitute(
        &doc_block("caddyfile"),
        &[
            (
                "{\n\tlog default {",
                format!(
                    "{{\n\tadmin off\n\thttp_port {http}\n\thttps_port {https}\n\
                     \tauto_https disable_redirects\n\tlog default {{"
                ),
            ),
            (
                "imrf.example {",
                format!(
                    "https://imrf.example:{https} {{\n\tbind 127.0.0.1\n\ttls {} {}",
                    d(&cert),
                    d(&key)
                ),
            ),
            ("127.0.0.1:3000", upstream),
            ("/var/log/caddy", d(&logs)),
            ("/srv/imrf/proxy", d(&proxy)),
        ],
    );
    let file = dir.path().join("Caddyfile");
    std::fs::write(&file, caddyfile).unwrap();
    let stderr = dir.path().join("caddy.log");
    let mut running = Running(Some(
        Command::new(caddy)
            .args(["run", "--adapter", "caddyfile", "--config"])
            .arg(&file)
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap(),
    ));
    wait_for_port(https);
    let (reference, token, _) = visit_through_the_proxy(dir.path(), https, &mut server, &db).await;
    assert!(running.stop(), "caddy did not stop within 10 s of SIGTERM");

    let access = std::fs::read_to_string(logs.join("imrf-access.log")).unwrap_or_default();
    let own = std::fs::read_to_string(&stderr).unwrap();
    assert!(access.contains("/en/receipt"), "{access}");
    assert!(access.contains("\"status\":502"), "{access}");
    for (name, log) in [("access", &access), ("caddy's own", &own)] {
        assert!(
            !log.contains(&token) && !log.contains(&reference),
            "the {name} log holds the receipt's reference or token:\n{log}"
        );
    }
}
