//! Every input in the secretariat's mailbox. A stored input that is not
//! flagged as automated gets an outbox row in the same transaction
//! (`store/outbox.rs`); a worker (`worker.rs`) sends each row once it is
//! due, with a lease so that two instances on one database never both send
//! it, and records the outcome. The pieces: what to send (`message.rs`, pure),
//! when to try again (`policy.rs`, pure), the SMTP exchange (`smtp.rs`), the
//! operator's `outbox` command (`command.rs`). Configuration at deploy time
//! is read and checked here, once, at start.

pub mod command;
pub mod message;
pub mod policy;
pub mod smtp;
pub mod worker;

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use lettre::message::Mailbox;

use crate::config::MailArgs;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: plaintext, then STARTTLS; refused if the server offers none.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://` to a loopback address: a relay on this machine, in plaintext.
    LoopbackPlain,
}

/// The SMTP server, from `--smtp-url` (and `--smtp-credentials-file`).
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub credentials: Option<(String, String)>,
}

impl std::fmt::Debug for SmtpServer {
    // Never the password, not even in a debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpServer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("credentials", &self.credentials.as_ref().map(|(u, _)| u))
            .finish()
    }
}

impl std::fmt::Display for SmtpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = match self.security {
            Security::StartTls => "STARTTLS",
            Security::Implicit => "TLS",
            Security::LoopbackPlain => "plaintext on loopback",
        };
        write!(f, "{}:{} ({how})", self.host, self.port)
    }
}

/// Everything the worker needs, checked at start.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub server: SmtpServer,
    pub from: Mailbox,
    pub secretariat: Mailbox,
    /// The right-hand side of every Message-ID: the sender's domain.
    pub message_id_domain: String,
    pub retry_base: Duration,
    /// The bound on one attempt (lettre's own timeout covers only the connection).
    pub send_timeout: Duration,
    /// The site's public address (`--public-url`): a confirmation's
    /// withdrawal link is made from it; without it there is none.
    pub public_url: Option<url::Url>,
}

impl MailConfig {
    /// `None` without `--smtp-url`; an error naming the flag for anything
    /// that could not work.
    pub fn from_args(args: &MailArgs, public_url: Option<&str>) -> Result<Option<MailConfig>> {
        let Some(url) = args.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            if args.mail_from.is_some() || args.smtp_credentials_file.is_some() {
                bail!("--mail-from and --smtp-credentials-file need --smtp-url (IMRF_SMTP_URL)");
            }
            return Ok(None);
        };
        let mut server = parse_smtp_url(url)?;
        if let Some(path) = &args.smtp_credentials_file {
            if server.credentials.is_some() {
                bail!("--smtp-credentials-file: the credentials are already in --smtp-url; give them once");
            }
            server.credentials = Some(read_credentials(path)?);
        }
        let from_raw = args
            .mail_from
            .as_deref()
            .context("--mail-from (IMRF_MAIL_FROM) is required with --smtp-url: the address the messages are sent from")?;
        let from: Mailbox = from_raw.parse().map_err(|e| {
            anyhow::anyhow!("--mail-from {from_raw:?} is not an e-mail address: {e}")
        })?;
        let secretariat: Mailbox = args.secretariat_mailbox.parse().map_err(|e| {
            anyhow::anyhow!(
                "--secretariat-mailbox {:?} is not an e-mail address: {e}",
                args.secretariat_mailbox
            )
        })?;
        Ok(Some(MailConfig {
            message_id_domain: from.email.domain().to_ascii_lowercase(),
            server,
            from,
            secretariat,
            retry_base: Duration::from_millis(args.mail_retry_base_ms),
            send_timeout: Duration::from_secs(args.mail_send_timeout_secs),
            public_url: public_url.map(parse_public_url).transpose()?,
        }))
    }

    /// `href` (a path on this site, `/en/withdraw?...`) made absolute on the public URL.
    pub fn public_link(&self, href: &str) -> Option<String> {
        let base = self.public_url.as_ref()?;
        base.join(href.trim_start_matches('/'))
            .ok()
            .map(String::from)
    }
}

/// `--public-url`: absolute http(s), a host, no user, query or fragment;
/// read as a folder (a missing final `/` is added).
pub fn parse_public_url(raw: &str) -> Result<url::Url> {
    let bad = |why: &str| anyhow::anyhow!("--public-url {raw:?}: {why}");
    let mut url = url::Url::parse(raw.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(bad(
            "it must be an absolute http:// or https:// URL, e.g. https://forms.example.org/",
        ));
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(bad("it must have no user, query or fragment"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// `smtp://[user:password@]host[:port]` or `smtps://...`; nothing else.
pub fn parse_smtp_url(raw: &str) -> Result<SmtpServer> {
    let bad = |why: &str| anyhow::anyhow!("--smtp-url {raw:?}: {why}");
    let url = url::Url::parse(raw.trim()).map_err(|e| bad(&e.to_string()))?;
    let host = match url.host() {
        Some(url::Host::Domain(d)) => d.to_ascii_lowercase(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        None => return Err(bad("a host is needed, e.g. smtp://mail.example.org:587")),
    };
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err(bad(
            "only scheme://host:port is allowed (no path, query or fragment)",
        ));
    }
    let loopback = is_loopback(&host);
    let (security, default_port) = match url.scheme() {
        "smtps" => (Security::Implicit, 465),
        "smtp" if loopback => (Security::LoopbackPlain, 25),
        "smtp" => (Security::StartTls, 587),
        _ => {
            return Err(bad(
                "the scheme must be smtp:// (STARTTLS) or smtps:// (TLS)",
            ))
        }
    };
    let credentials = if url.username().is_empty() {
        None
    } else {
        let decode = |s: &str| {
            percent_decode(s)
                .map_err(|()| bad("the user or password is not valid percent-encoded UTF-8"))
        };
        Some((
            decode(url.username())?,
            decode(url.password().unwrap_or(""))?,
        ))
    };
    Ok(SmtpServer {
        host,
        port: url.port().unwrap_or(default_port),
        security,
        credentials,
    })
}

fn percent_decode(s: &str) -> Result<String, ()> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|v| v.into_owned())
        .map_err(|_| ())
}

/// Whether the SMTP host is this machine (plaintext is allowed only there).
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// One line `user:password` (split at the first `:`).
fn read_credentials(path: &Path) -> Result<(String, String)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("--smtp-credentials-file {}: cannot be read", path.display()))?;
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    match line.split_once(':') {
        Some((user, password)) if !user.is_empty() => Ok((user.to_string(), password.to_string())),
        _ => bail!(
            "--smtp-credentials-file {}: the first line must be user:password",
            path.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(url: Option<&str>, from: Option<&str>) -> MailArgs {
        MailArgs {
            smtp_url: url.map(str::to_string),
            smtp_credentials_file: None,
            mail_from: from.map(str::to_string),
            secretariat_mailbox: "unmignet@iom.int".into(),
            mail_retry_base_ms: 30_000,
            mail_send_timeout_secs: 60,
        }
    }

    #[test]
    fn public_urls() {
        let u = parse_public_url("https://forms.example.org").unwrap();
        assert_eq!(u.as_str(), "https://forms.example.org/");
        let u = parse_public_url("https://example.org/imrf").unwrap();
        assert_eq!(
            u.join("en/withdraw?reference=R&token=T").unwrap().as_str(),
            "https://example.org/imrf/en/withdraw?reference=R&token=T"
        );
        for bad in [
            "forms.example.org",
            "ftp://x.org/",
            "https://x.org/?a",
            "https://x.org/#a",
            "https://u:p@x.org/",
            "/relative",
        ] {
            let e = parse_public_url(bad).unwrap_err().to_string();
            assert!(e.starts_with("--public-url"), "{bad}: {e}");
        }
    }

    #[test]
    fn smtp_urls() {
        let s = parse_smtp_url("smtp://mail.example.org").unwrap();
        assert_eq!((s.port, s.security), (587, Security::StartTls));
        let s = parse_smtp_url("smtps://u%40x:p%3Aw@mail.example.org:2465").unwrap();
        assert_eq!((s.port, s.security), (2465, Security::Implicit));
        assert_eq!(s.credentials, Some(("u@x".into(), "p:w".into())));
        let s = parse_smtp_url("smtp://127.0.0.1:2525").unwrap();
        assert_eq!((s.port, s.security), (2525, Security::LoopbackPlain));
        assert_eq!(
            parse_smtp_url("smtp://[::1]").unwrap().security,
            Security::LoopbackPlain
        );
        assert_eq!(
            parse_smtp_url("smtp://localhost").unwrap().security,
            Security::LoopbackPlain
        );
        // A name that merely starts like loopback is not loopback.
        assert_eq!(
            parse_smtp_url("smtp://127.0.0.1.example.org")
                .unwrap()
                .security,
            Security::StartTls
        );
        for bad in [
            "mail.example.org",
            "http://mail.example.org",
            "smtp://",
            "smtp://mail.example.org/path",
            "smtp://mail.example.org?tls=off",
            "smtp://mail.example.org:99999",
            "smtp://mail.example.org#x",
        ] {
            let e = parse_smtp_url(bad).unwrap_err().to_string();
            assert!(e.starts_with("--smtp-url"), "{bad}: {e}");
        }
    }

    #[test]
    fn the_password_is_never_printed() {
        let s = parse_smtp_url("smtps://user:s3cret@mail.example.org").unwrap();
        assert!(!format!("{s:?} {s}").contains("s3cret"));
    }

    #[test]
    fn configuration_is_checked_at_start() {
        assert!(MailConfig::from_args(&args(None, None), None)
            .unwrap()
            .is_none());
        let e = MailConfig::from_args(&args(None, Some("a@example.org")), None).unwrap_err();
        assert!(e.to_string().contains("--smtp-url"), "{e}");
        let e = MailConfig::from_args(&args(Some("smtp://127.0.0.1:25"), None), None).unwrap_err();
        assert!(e.to_string().contains("--mail-from"), "{e}");
        let e = MailConfig::from_args(
            &args(Some("smtp://127.0.0.1:25"), Some("not an address")),
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("--mail-from"), "{e}");
        let c = MailConfig::from_args(
            &args(
                Some("smtp://127.0.0.1:25"),
                Some("IMRF form <Forms@Example.org>"),
            ),
            Some("https://forms.example.org"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            c.public_link("/en/withdraw?reference=R").as_deref(),
            Some("https://forms.example.org/en/withdraw?reference=R")
        );
        assert_eq!(c.message_id_domain, "example.org");
        assert_eq!(c.secretariat.email.to_string(), "unmignet@iom.int");
        let mut missing = args(Some("smtp://127.0.0.1:25"), Some("a@example.org"));
        missing.smtp_credentials_file = Some("/nonexistent/credentials".into());
        let e = MailConfig::from_args(&missing, None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--smtp-credentials-file /nonexistent/credentials"),
            "{e}"
        );
    }
}
