//! `--config FILE`: the service's environment file (`deploy/imrf-endpoint.env`,
//! systemd's `EnvironmentFile=`) for the command line, so that `export`,
//! `backup`, `purge` and the others use the database and settings the
//! service uses. Read before the flags are parsed: its variables go into
//! this process's environment, where the flags' `env` defaults find them.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The value of `--config` in the arguments (`--config FILE` or
/// `--config=FILE`), if any; after `--` nothing is an option.
pub fn config_arg(args: &[std::ffi::OsString]) -> Result<Option<PathBuf>> {
    let mut found = None;
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else { continue };
        if text == "--" {
            break;
        }
        if text == "--config" {
            let value = args.next().context("--config needs a FILE")?;
            found = Some(PathBuf::from(value));
        } else if let Some(value) = text.strip_prefix("--config=") {
            found = Some(PathBuf::from(value));
        }
    }
    Ok(found)
}

/// The `KEY=value` pairs of an environment file, as systemd reads one:
/// blank lines and lines starting with `#` or `;` skipped, spaces around
/// the key and the value trimmed, a value in matching double or single
/// quotes taken without them (`\"` and `\\` inside double quotes).
pub fn parse(text: &str, file: &Path) -> Result<Vec<(String, String)>> {
    let mut pairs = vec![];
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let where_ = || format!("{}, line {}", file.display(), i + 1);
        let Some((key, value)) = line.split_once('=') else {
            bail!("{}: expected KEY=value", where_());
        };
        let key = key.trim();
        let valid_key = key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_key {
            bail!("{}: {key:?} is not a variable name", where_());
        }
        let value = value.trim();
        let value = if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                match (c, chars.clone().next()) {
                    ('\\', Some(next @ ('"' | '\\'))) => {
                        out.push(next);
                        chars.next();
                    }
                    _ => out.push(c),
                }
            }
            out
        } else if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            inner.to_string()
        } else {
            value.to_string()
        };
        pairs.push((key.to_string(), value));
    }
    Ok(pairs)
}

/// Reads the `--config` file named in `args`, if any, into this process's
/// environment. Call before any thread starts (the environment is then
/// this thread's alone).
pub fn apply_from_args(args: &[std::ffi::OsString]) -> Result<()> {
    let Some(file) = config_arg(args)? else {
        return Ok(());
    };
    let text = std::fs::read_to_string(&file).with_context(|| {
        format!(
            "--config {}: cannot read the environment file",
            file.display()
        )
    })?;
    for (key, value) in parse(&text, &file)? {
        std::env::set_var(key, value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_files_as_systemd_reads_them() {
        let text = "# comment\n; also\n\nIMRF_LISTEN=127.0.0.1:3000\n  DATABASE_URL = sqlite:///var/lib/x.db  \n\
                    IMRF_MAIL_FROM=\"IMRF form <f@example.org>\"\nIMRF_CSP='a b'\nIMRF_X=\"q\\\"q\"\nEMPTY=\n";
        let pairs = parse(text, Path::new("e.env")).unwrap();
        assert_eq!(
            pairs,
            [
                ("IMRF_LISTEN", "127.0.0.1:3000"),
                ("DATABASE_URL", "sqlite:///var/lib/x.db"),
                ("IMRF_MAIL_FROM", "IMRF form <f@example.org>"),
                ("IMRF_CSP", "a b"),
                ("IMRF_X", "q\"q"),
                ("EMPTY", ""),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        let err = parse("IMRF_LISTEN\n", Path::new("e.env")).unwrap_err();
        assert!(err.to_string().contains("e.env, line 1"), "{err}");
        assert!(parse("1X=2\n", Path::new("e.env")).is_err());
    }

    #[test]
    fn the_config_argument() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            config_arg(&args(&["x", "export", "--config", "/e"])).unwrap(),
            Some(PathBuf::from("/e"))
        );
        assert_eq!(
            config_arg(&args(&["x", "--config=/e", "purge"])).unwrap(),
            Some(PathBuf::from("/e"))
        );
        assert_eq!(config_arg(&args(&["x", "export"])).unwrap(), None);
        assert_eq!(
            config_arg(&args(&["x", "--", "--config", "/e"])).unwrap(),
            None
        );
        assert!(config_arg(&args(&["x", "--config"])).is_err());
    }
}
