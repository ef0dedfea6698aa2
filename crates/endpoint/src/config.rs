//! Command line and environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; \
form-action 'self'; object-src 'none'";

/// The secretariat endpoint: receives stakeholder submissions, validates them
/// with the shared contract and stores them; exports them for the secretariat.
#[derive(Debug, Parser)]
#[command(
    name = "imrf-endpoint",
    version,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `serve` is the default subcommand: its flags may be given without it.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP endpoint (the default).
    Serve(Box<ServeArgs>),
    /// Write the stored submissions as CSV or JSON Lines.
    Export(ExportArgs),
    /// Write a consistent copy of a live SQLite database to a new file.
    Backup(BackupArgs),
    /// Put a backup in place as the database (stop the server first).
    Restore(RestoreArgs),
    /// Delete one submission, on the request of the person who sent it.
    Delete(DeleteArgs),
    /// Delete every submission received before a date (retention).
    Purge(PurgeArgs),
    /// List the messages not yet sent to the mailbox and why; `retry REF` sends one again.
    Outbox(OutboxArgs),
    /// Publish inputs on the Network's site (the secretariat's decision, recorded and logged).
    Publish(PublishArgs),
    /// Decide not to publish an input (or take it down), with a reason.
    Unpublish(UnpublishArgs),
    /// Print the audit log (every decision: who, when, from which state to which), as TSV.
    Audit(AuditArgs),
    /// Write the public site as static files any web server or CMS can host:
    /// the release, the published inputs' pages, the open data and the feeds.
    ExportSite(ExportSiteArgs),
    /// The secretariat's console staff: invite, list, remove, reset (docs/operations.md, "The console").
    Staff(StaffArgs),
}

#[derive(Debug, Clone, Args)]
pub struct StaffArgs {
    #[command(subcommand)]
    pub command: StaffCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum StaffCommand {
    /// Add a person and print their one-time enrolment link (valid 24 hours).
    Invite(StaffInviteArgs),
    /// List the staff: address, role, passkeys, an open enrolment link.
    List(StaffListArgs),
    /// Remove a person: their passkeys and sessions end at once.
    Remove(StaffEmailArgs),
    /// Revoke a person's passkeys and sessions and print a new enrolment link
    /// (a lost or stolen device).
    Reset(StaffEmailArgs),
    /// Print one more enrolment link for a person, for another device
    /// (a phone besides a laptop); their passkeys stay.
    Link(StaffEmailArgs),
    /// Print the console's security log (sign-ins, failures, sign-outs,
    /// enrolments, refused requests), oldest first, as TSV.
    Log(StaffListArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StaffRole {
    /// Reads, tags, notes and decides.
    Reviewer,
    /// Also manages staff, answers data requests and exports.
    Administrator,
}

#[derive(Debug, Clone, Args)]
pub struct StaffInviteArgs {
    /// The person's e-mail address (stored lower-case).
    #[arg(long, value_name = "ADDRESS")]
    pub email: String,

    #[arg(long, value_enum)]
    pub role: StaffRole,

    #[command(flatten)]
    pub link: LinkArgs,

    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Clone, Args)]
pub struct StaffEmailArgs {
    #[arg(long, value_name = "ADDRESS")]
    pub email: String,

    #[command(flatten)]
    pub link: LinkArgs,

    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Clone, Args)]
pub struct StaffListArgs {
    #[command(flatten)]
    pub db: DbArgs,
}

/// Where an enrolment link points: the public address, else the listen address.
#[derive(Debug, Clone, Args)]
pub struct LinkArgs {
    /// The site's public address, as `serve`'s (`https://forms.example.org/`).
    #[arg(long, env = "IMRF_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// Without --public-url: the server's listen address, as `serve`'s.
    #[arg(long, env = "IMRF_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
}

#[derive(Debug, Clone, Args)]
pub struct ExportSiteArgs {
    /// The folder to write (made if missing; files of the same name are replaced).
    #[arg(long = "to", value_name = "DIR")]
    pub to: PathBuf,

    /// The built app (`dist/`), copied first: the release and the form.
    /// Configure it for its host with scripts/configure-dist.mjs first.
    #[arg(long, env = "IMRF_STATIC_DIR", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// The site's public address, for the canonical and feed links (as `serve`).
    #[arg(long, env = "IMRF_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Only this input's entries (default: every entry).
    #[arg(value_name = "REF")]
    pub reference: Option<String>,

    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    /// One or more references, e.g. `IMRF-7K2M9QXA IMRF-3PQ8Z0TR`.
    #[arg(value_name = "REF", required = true, num_args = 1..)]
    pub references: Vec<String>,

    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Clone, Args)]
pub struct UnpublishArgs {
    /// The reference, e.g. `IMRF-7K2M9QXA`.
    #[arg(value_name = "REF")]
    pub reference: String,

    /// Why: duplicate, off_topic, abusive, personal_data, not_consented,
    /// other, or your own words (recorded as "other" with them as the note).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,

    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// An environment file, as the service's (`/etc/imrf-endpoint.env`):
    /// `KEY=value` lines, `#` comments. Its variables (`DATABASE_URL`,
    /// `IMRF_*`) replace those of the environment; flags still win. (Read
    /// before the flags are parsed, by `env_file::apply_from_args`.)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Database: `sqlite://file.db`, `sqlite:///abs/file.db`, a plain SQLite file path,
    /// or `postgres://user@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://imrf-submissions.db"
    )]
    pub database_url: String,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free port).
    #[arg(long, env = "IMRF_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    #[command(flatten)]
    pub db: DbArgs,

    /// Only these origins' pages may read the API's answers and frame
    /// embed.html, e.g. `https://example.org` (repeatable; exact match).
    /// Without a list, any site may (docs/operations.md, "Partners").
    #[arg(
        long = "cors-origin",
        env = "IMRF_CORS_ORIGINS",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    pub cors_origins: Vec<String>,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "IMRF_MAX_BODY_BYTES", default_value_t = 64 * 1024)]
    pub max_body_bytes: usize,

    /// Submissions allowed per client IP per minute (burst the same); 0 turns the limit off.
    #[arg(long, env = "IMRF_RATE_LIMIT_PER_MINUTE", default_value_t = 30)]
    pub rate_limit_per_minute: u32,

    /// Take the client IP from the last `X-Forwarded-For` entry (only behind a trusted proxy).
    #[arg(long, env = "IMRF_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Submissions sent faster than this after the form was shown are stored flagged `too_fast`.
    #[arg(long, env = "IMRF_MIN_FILL_MS", default_value_t = imrf_contract::MIN_FILL_MS)]
    pub min_fill_ms: u64,

    /// Serve the built app from this directory at `/` (unknown non-API paths get index.html).
    #[arg(long, env = "IMRF_STATIC_DIR", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// Content-Security-Policy sent with static files.
    #[arg(long, env = "IMRF_CSP", default_value = DEFAULT_CSP)]
    pub csp: String,

    /// Where the served pages send submissions: an absolute URL
    /// (`https://api.example.org/api/submissions`) or a path on this server.
    /// Written into index.html, embed.html and widget.js at start, with the CSP
    /// (`connect-src`, `form-action`) that allows it. Default: as built
    /// (`/api/submissions` on this server).
    #[arg(long, env = "IMRF_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// The site's public address, e.g. `https://forms.example.org/` (an
    /// absolute http(s) URL without query or fragment): the links that leave
    /// the site are made from it (the withdrawal link in a confirmation
    /// e-mail, the public record's canonical links). Without it a
    /// confirmation carries no link.
    #[arg(long, env = "IMRF_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// Let pages on ANY site post the form without JavaScript too (the API's
    /// answers are open to any site already without a --cors-origin list,
    /// which this contradicts); see docs/operations.md.
    #[arg(long, env = "IMRF_CORS_ALLOW_ANY_ORIGIN")]
    pub cors_allow_any_origin: bool,

    /// A page origin allowed to frame embed.html, besides this server and the
    /// `--cors-origin` list (repeatable; `*` allows any site). Without this
    /// and without a --cors-origin list, any site may.
    #[arg(
        long = "frame-ancestor",
        env = "IMRF_FRAME_ANCESTORS",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    pub frame_ancestors: Vec<String>,

    /// Send `Strict-Transport-Security: max-age=SECONDS` (only behind TLS; 0: not sent).
    #[arg(
        long,
        env = "IMRF_HSTS_MAX_AGE",
        default_value_t = 0,
        value_name = "SECONDS"
    )]
    pub hsts_max_age: u64,

    /// Seconds to let in-flight requests finish after SIGTERM / Ctrl-C.
    #[arg(long, env = "IMRF_SHUTDOWN_GRACE_SECS", default_value_t = 30)]
    pub shutdown_grace_secs: u64,

    /// Seconds a client has to send a complete request head; also the
    /// longest a kept-alive connection may sit idle.
    #[arg(long, env = "IMRF_HEADER_READ_TIMEOUT_SECS", default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_secs: u64,

    /// Seconds a client has to send the whole body once the head is in (408 after).
    #[arg(long, env = "IMRF_BODY_READ_TIMEOUT_SECS", default_value_t = 20,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub body_read_timeout_secs: u64,

    /// Open connections at most; further clients wait in the listen queue.
    #[arg(long, env = "IMRF_MAX_CONNECTIONS", default_value_t = 512,
        value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Let whoever sends `Authorization: Bearer TOKEN` read /api/metrics
    /// (at least 16 characters). Without it, only a client on this machine
    /// whose request no proxy relayed may read them.
    #[arg(
        long,
        env = "IMRF_METRICS_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,

    #[command(flatten)]
    pub mail: MailArgs,
}

/// Delivery of every input to the secretariat's mailbox (docs/operations.md, "Mail").
#[derive(Debug, Clone, Args)]
pub struct MailArgs {
    /// The SMTP server that delivers to the secretariat's mailbox:
    /// `smtp://host:port` (STARTTLS required; plaintext only to a loopback
    /// relay such as a local Postfix) or `smtps://host:port` (implicit TLS),
    /// optionally with `user:password@`. Without it nothing is sent.
    #[arg(long, env = "IMRF_SMTP_URL", value_name = "URL")]
    pub smtp_url: Option<String>,

    /// A file holding the SMTP credentials as one line `user:password`
    /// (instead of putting them in --smtp-url).
    #[arg(long, env = "IMRF_SMTP_CREDENTIALS_FILE", value_name = "FILE")]
    pub smtp_credentials_file: Option<PathBuf>,

    /// The sender of the messages, e.g. `IMRF form <forms@example.org>`
    /// (an address the SMTP server may send as; required with --smtp-url).
    #[arg(long, env = "IMRF_MAIL_FROM", value_name = "ADDRESS")]
    pub mail_from: Option<String>,

    /// Where every input is sent.
    #[arg(
        long,
        env = "IMRF_SECRETARIAT_MAILBOX",
        default_value = "unmignet@iom.int",
        value_name = "ADDRESS"
    )]
    pub secretariat_mailbox: String,

    /// Milliseconds before the first retry of a message the server did not
    /// take; each later wait doubles, up to an hour (retries go on for three days).
    #[arg(long, env = "IMRF_MAIL_RETRY_BASE_MS", default_value_t = 30_000,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub mail_retry_base_ms: u64,

    /// Seconds one attempt to send a message may take in all.
    #[arg(long, env = "IMRF_MAIL_SEND_TIMEOUT_SECS", default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub mail_send_timeout_secs: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// Output format: CSV (UTF-8 with BOM, formula-safe) or JSON Lines (verbatim).
    #[arg(long, value_enum)]
    pub format: ExportFormat,

    /// Only rows received at or after this date (`2026-01-01`, UTC) or RFC 3339 time.
    #[arg(long)]
    pub since: Option<String>,

    /// Include rows flagged as automated (honeypot, too fast).
    #[arg(long)]
    pub include_flagged: bool,

    /// Write here instead of standard output (through a temporary file in
    /// the same folder, renamed at the end; readable by the owner only).
    /// An existing file is refused unless `--force`; the database never.
    #[arg(long, short)]
    pub output: Option<PathBuf>,

    /// Replace the `--output` file if it exists (never a database).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// The backup file to write; it must not exist yet.
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The backup file (written by `imrf-endpoint backup`).
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,

    /// The database to create from it.
    #[command(flatten)]
    pub db: DbArgs,

    /// Replace an existing database file; the old one (with its -wal/-shm) is
    /// kept next to it as `<name>.replaced-<time>`. Stop the server first.
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// The reference the person was given, e.g. `IMRF-7K2M9QXA`.
    #[arg(long, value_name = "REF")]
    pub reference: String,
}

#[derive(Debug, Clone, Args)]
pub struct PurgeArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// Delete submissions received before this date (`2026-01-01`, midnight
    /// UTC) or RFC 3339 time; it must not be in the future.
    #[arg(long, value_name = "DATE")]
    pub before: String,

    /// Only count what would be deleted.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
pub struct OutboxArgs {
    #[command(flatten)]
    pub db: DbArgs,

    #[command(subcommand)]
    pub action: Option<OutboxAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum OutboxAction {
    /// Send a reference's messages again (also one already sent or given up);
    /// the running server sends them within seconds.
    Retry(OutboxRetryArgs),
}

#[derive(Debug, Clone, Args)]
pub struct OutboxRetryArgs {
    /// The reference, e.g. `IMRF-7K2M9QXA`.
    #[arg(value_name = "REF")]
    pub reference: String,

    #[command(flatten)]
    pub db: DbArgs,
}

/// Checks and canonicalises a CORS origin: `scheme://host[:port]`, no path,
/// never `*`. A trailing `/` is dropped.
pub fn parse_origin(raw: &str) -> Result<String, String> {
    let o = raw.trim().trim_end_matches('/');
    if o.is_empty() {
        return Err("empty CORS origin".into());
    }
    if o.contains('*') {
        return Err(format!("CORS origin {raw:?}: wildcards are not allowed"));
    }
    let Some((scheme, rest)) = o.split_once("://") else {
        return Err(format!(
            "CORS origin {raw:?} must look like https://example.org"
        ));
    };
    if !matches!(scheme, "http" | "https")
        || rest.is_empty()
        || rest.contains(['/', '?', '#', '@', ' '])
    {
        return Err(format!(
            "CORS origin {raw:?} must be scheme://host[:port] with no path"
        ));
    }
    check_authority(rest).map_err(|why| format!("origin {raw:?}: {why}"))?;
    Ok(o.to_ascii_lowercase())
}

/// Checks an origin's `host[:port]` as a browser and a CSP source list read
/// it: a host of ASCII letters, digits, `-` and `.` (an IDN in its `xn--`
/// form) or an IPv6 address in brackets, never percent-encoded; a port,
/// when the `:` is there, of 1 to 65535. (A browser drops a CSP source it
/// cannot read, and the form is then blocked.)
fn check_authority(authority: &str) -> Result<(), String> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (addr, after) = v6
            .split_once(']')
            .ok_or("an IPv6 address needs its closing `]`")?;
        if addr.is_empty()
            || !addr
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err("not an IPv6 address in brackets".into());
        }
        match after {
            "" => (addr, None),
            p => (
                addr,
                Some(p.strip_prefix(':').ok_or("expected `:port` after `]`")?),
            ),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("no host".into());
    }
    if !authority.starts_with('[')
        && !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        return Err(format!(
            "the host {host:?} may hold only letters, digits, `-` and `.` \
             (no percent-encoding; an international name in its xn-- form)"
        ));
    }
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && (1..=65535).contains(&port.parse::<u32>().unwrap_or(0));
        if !valid {
            return Err(format!(
                "the port {port:?} is not a number from 1 to 65535 (leave out the `:` for the default port)"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            parse_origin("https://Example.org/").unwrap(),
            "https://example.org"
        );
        assert_eq!(
            parse_origin("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(parse_origin("*").is_err());
        assert!(parse_origin("https://*.example.org").is_err());
        assert!(parse_origin("example.org").is_err());
        assert!(parse_origin("https://example.org/path").is_err());
        assert!(parse_origin("ftp://example.org").is_err());
        assert_eq!(
            parse_origin("http://[::1]:8080").unwrap(),
            "http://[::1]:8080"
        );
        assert!(parse_origin("https://xn--mgbh0fb.example:443").is_ok());
        for bad in [
            "https://a.example:",
            "https://a.example:0",
            "https://a.example:65536",
            "https://a.example:8o",
            "https://a.example:+80",
            "https://%61.example",
            "https://a.example%2f",
            "https://:80",
            "https://[::1",
            "https://[::1]x",
            "https://مثال.example",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    /// The partner-side scripts name the settings that refuse their page
    /// (issue 26); the names are clap's, so a rename fails here.
    #[test]
    fn the_partner_scripts_name_the_settings() {
        use clap::CommandFactory;
        let cli = Cli::command();
        let env = |flag: &str| {
            cli.get_arguments()
                .find(|a| a.get_long() == Some(flag))
                .and_then(|a| a.get_env())
                .and_then(|e| e.to_str())
                .unwrap_or_else(|| panic!("--{flag} has no environment variable"))
                .to_string()
        };
        let web = |file: &str| {
            std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../web")
                    .join(file),
            )
            .unwrap()
        };
        let widget = web("widget.js");
        assert!(widget.contains(&format!("{} (--cors-origin)", env("cors-origin"))));
        let frame_host = web("imrf-frame-host.js");
        for flag in ["cors-origin", "frame-ancestor"] {
            assert!(
                frame_host.contains(&format!("{} (--{flag})", env(flag))),
                "{flag}"
            );
        }
    }

    #[test]
    fn cli_parses() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        let cli = Cli::try_parse_from(["imrf-endpoint", "--listen", "127.0.0.1:0"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.listen.port(), 0);
        let cli = Cli::try_parse_from(["imrf-endpoint", "export", "--format", "csv"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Export(_))));
        let config = |cli: Cli| match cli.command {
            None => cli.serve.db.config,
            Some(Command::Serve(a)) => a.db.config,
            Some(Command::Export(a)) => a.db.config,
            Some(Command::Backup(a)) => a.db.config,
            Some(Command::Restore(a)) => a.db.config,
            Some(Command::Delete(a)) => a.db.config,
            Some(Command::Purge(a)) => a.db.config,
            Some(Command::Outbox(a)) => match a.action {
                Some(OutboxAction::Retry(r)) => r.db.config.or(a.db.config),
                None => a.db.config,
            },
            Some(Command::Publish(a)) => a.db.config,
            Some(Command::Unpublish(a)) => a.db.config,
            Some(Command::Audit(a)) => a.db.config,
            Some(Command::ExportSite(a)) => a.db.config,
            Some(Command::Staff(a)) => match a.command {
                StaffCommand::Invite(i) => i.db.config,
                StaffCommand::List(l) | StaffCommand::Log(l) => l.db.config,
                StaffCommand::Remove(r) | StaffCommand::Reset(r) | StaffCommand::Link(r) => {
                    r.db.config
                }
            },
        };
        for args in [
            &[
                "imrf-endpoint",
                "export",
                "--config",
                "/e.env",
                "--format",
                "csv",
            ][..],
            &[
                "imrf-endpoint",
                "purge",
                "--before",
                "2026-01-01",
                "--config=/e.env",
            ][..],
            &[
                "imrf-endpoint",
                "--config",
                "/e.env",
                "--listen",
                "127.0.0.1:0",
            ][..],
            &["imrf-endpoint", "serve", "--config", "/e.env"][..],
            &[
                "imrf-endpoint",
                "backup",
                "--config",
                "/e.env",
                "--to",
                "b.db",
            ][..],
            &[
                "imrf-endpoint",
                "restore",
                "--config",
                "/e.env",
                "--from",
                "b.db",
            ][..],
            &[
                "imrf-endpoint",
                "delete",
                "--config",
                "/e.env",
                "--reference",
                "R",
            ][..],
            &["imrf-endpoint", "outbox", "--config", "/e.env"][..],
            &[
                "imrf-endpoint",
                "staff",
                "invite",
                "--email",
                "a@example.org",
                "--role",
                "administrator",
                "--config",
                "/e.env",
            ][..],
            &["imrf-endpoint", "staff", "list", "--config", "/e.env"][..],
            &[
                "imrf-endpoint",
                "staff",
                "reset",
                "--email",
                "a@example.org",
                "--config",
                "/e.env",
            ][..],
            &[
                "imrf-endpoint",
                "outbox",
                "retry",
                "R",
                "--config",
                "/e.env",
            ][..],
        ] {
            let cli = Cli::try_parse_from(args).unwrap();
            assert_eq!(
                config(cli).as_deref(),
                Some(std::path::Path::new("/e.env")),
                "{args:?}"
            );
        }
        let cli = Cli::try_parse_from(["imrf-endpoint", "backup", "--to", "b.db"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Backup(_))));
        let cli =
            Cli::try_parse_from(["imrf-endpoint", "purge", "--before", "2026-01-01"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Purge(_))));
        let cli = Cli::try_parse_from(["imrf-endpoint", "outbox"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Outbox(OutboxArgs { action: None, .. }))
        ));
        let cli =
            Cli::try_parse_from(["imrf-endpoint", "outbox", "retry", "IMRF-00000000"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Outbox(OutboxArgs {
                action: Some(OutboxAction::Retry(_)),
                ..
            }))
        ));
    }
}
