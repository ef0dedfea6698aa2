//! What docs/operations.md and deploy/ tell the administrator to run, run as
//! written: the reverse-proxy blocks (read from the doc, checked by the proxy's
//! own test and nginx's run in front of the real endpoint), the backup timer's
//! command (read from the unit file, run against a real database), and the
//! PostgreSQL role and database (read from the doc, run on the test server).
//! A tool that is not installed makes its test say it is skipped and pass.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"])
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
        let (https, http) = (free_port(), free_port());
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
        let main = format!(
            "pid {p}/nginx.pid;\nerror_log {p}/log/main-error.log;\nevents {{}}\nhttp {{\n\
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

/// nginx running (not as a daemon); stopped gracefully when dropped.
struct Running(Option<Child>);

impl Running {
    fn stop(&mut self) {
        if let Some(mut child) = self.0.take() {
            // SIGQUIT: the master stops its workers, then itself.
            unsafe {
                libc::kill(child.id() as i32, libc::SIGQUIT);
            }
            let deadline = Instant::now() + Duration::from_secs(10);
            while child.try_wait().unwrap().is_none() {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("nginx did not stop within 10 s of SIGQUIT");
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.0.is_some() && !std::thread::panicking() {
            self.stop();
        } else if let Some(child) = &self.0 {
            unsafe {
                libc::kill(child.id() as i32, libc::SIGTERM);
            }
        }
    }
}

/// curl to the site as a visitor of https://imrf.example would reach it,
/// on loopback: (status, body).
fn curl(site: &NginxSite, args: &[&str], path: &str) -> (u16, String) {
    let body = site.dir.path().join(format!("body-{}", new_key()));
    let out = Command::new(program("curl").unwrap())
        .args(["-sS", "--noproxy", "*", "--max-time", "10", "-w", "%{http_code}"])
        .arg("--cacert")
        .arg(site.dir.path().join("cert.pem"))
        .arg("--resolve")
        .arg(format!("imrf.example:{}:127.0.0.1", site.https))
        .arg("-o")
        .arg(&body)
        .args(args)
        .arg(format!("https://imrf.example:{}{path}", site.https))
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

    // A submission through the proxy.
    let body = valid_body();
    let json = body.to_string();
    let key = format!("Idempotency-Key: {}", key_of(&body));
    let (status, answer) = curl(
        &site,
        &["-H", "Content-Type: application/json", "-H", &key, "--data-binary", &json],
        "/api/submissions",
    );
    assert_eq!(status, 201, "{answer}\n{}", site.log("imrf-error.log"));
    assert_eq!(count_rows(&db.path()).await, 1);
    let answer: Value = serde_json::from_str(&answer).unwrap();
    let reference = answer["reference"].as_str().unwrap().to_string();
    let withdraw = answer["withdraw_url"].as_str().unwrap().to_string();
    let token = withdraw.split("token=").nth(1).unwrap().to_string();
    assert!(token.len() >= 16, "{withdraw}");
    let receipt = format!("/en/receipt?reference={reference}&token={token}");
    let referer = format!("Referer: https://imrf.example{receipt}");
    let (status, page) = curl(&site, &["-H", &referer], &receipt);
    assert_eq!(status, 200);
    assert!(page.contains(&reference));
    // The endpoint saw the client's address from the proxy (it trusts it).
    let (status, _) = curl(&site, &[], "/api/health");
    assert_eq!(status, 200);

    // The endpoint restarts: the proxy's own page, with 502, for a GET and a post.
    server.kill9();
    let (status, page) = curl(&site, &["-H", &referer], &receipt);
    assert_eq!(status, 502);
    assert!(
        page.contains("id=\"imrf-unavailable\"") && page.contains("unmignet@iom.int"),
        "not deploy/imrf-unavailable.html:\n{page}"
    );
    assert!(!page.contains("nginx"), "{page}");
    let (status, page) = curl(
        &site,
        &["-H", "Content-Type: application/json", "-H", &key, "--data-binary", &json],
        "/api/submissions",
    );
    assert_eq!(status, 502);
    assert!(page.contains("id=\"imrf-unavailable\""), "{page}");
    // The plain-HTTP server only redirects.
    let out = Command::new(program("curl").unwrap())
        .args(["-sS", "--noproxy", "*", "--max-time", "10", "-o", "/dev/null"])
        .args(["-w", "%{http_code}"])
        .arg(format!("http://127.0.0.1:{}{receipt}", site.http))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "301");
    running.stop();

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
