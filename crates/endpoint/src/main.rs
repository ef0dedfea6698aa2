//! The reference secretariat endpoint of the IMRF stakeholder submission form.

mod api;
mod config;
mod console;
mod console_site;
mod decide_command;
mod documents;
mod env_file;
mod error_response;
mod export;
mod form_path;
mod health;
mod language;
mod listener;
mod mail;
mod metrics;
mod moderation;
mod not_found;
mod operations;
mod origin_policy;
mod private_files;
mod publication;
mod record_site;
mod redaction;
mod search_text;
mod security_headers;
mod server;
mod shown_at;
mod store;
mod withdrawal;
mod withdrawal_link;

use std::io::IsTerminal;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use config::{Cli, Command};

fn main() -> std::process::ExitCode {
    // `--config FILE` first: its variables are the flags' defaults.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Err(e) = env_file::apply_from_args(&args) {
        eprintln!("imrf-endpoint: {e:#}");
        return std::process::ExitCode::from(2);
    }
    let cli = Cli::parse_from(args);
    // Logs go to stderr; stdout carries the "listening on" line and exports.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("imrf-endpoint: starting the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Some(Command::Export(args)) => export::run(args).await,
            Some(Command::Backup(args)) => operations::backup(args).await,
            Some(Command::Restore(args)) => operations::restore(args).await,
            Some(Command::Delete(args)) => operations::delete(args).await,
            Some(Command::Purge(args)) => operations::purge(args).await,
            Some(Command::Outbox(args)) => mail::command::run(args).await,
            Some(Command::Publish(args)) => decide_command::publish(args).await,
            Some(Command::Unpublish(args)) => decide_command::unpublish(args).await,
            Some(Command::Audit(args)) => decide_command::audit(args).await,
            Some(Command::ExportSite(args)) => publication::export_site::run(args).await,
            Some(Command::Staff(args)) => console::staff_command::run(args).await,
            Some(Command::Serve(args)) => server::serve(*args).await,
            None => server::serve(cli.serve).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // Once, on stderr (where the logs go too): not also as a log line.
            eprintln!("imrf-endpoint: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
