//! `imrf-endpoint export`: the secretariat's copy of the submissions.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::config::{ExportArgs, ExportFormat};
use crate::store::{format_utc, Store, StoredRow};

/// The CSV columns, in order (JSON Lines uses the same names).
pub const COLUMNS: [&str; 17] = [
    "reference",
    "received_at",
    "idempotency_key",
    "language",
    "name",
    "organisation",
    "email",
    "country",
    "stakeholder_group",
    "stakeholder_group_other",
    "title",
    "input",
    "link",
    "consent",
    "directions",
    "fill_ms",
    "flagged",
];

/// Characters that make a spreadsheet read a cell as a formula: `=`, `+`,
/// `-`, `@`, tab, carriage return, and their fullwidth forms.
fn is_formula_trigger(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'
    )
}

/// Characters a spreadsheet may split a line into cells at (the delimiter
/// differs by locale) or a line-oriented reader may split records at.
fn is_cell_separator(c: char) -> bool {
    matches!(c, ',' | ';' | '\t' | '|' | '\n' | '\r')
}

/// Skipped when looking for a trigger: spaces and invisible format
/// characters (LRM, RLM, BOM, ...) that a spreadsheet may ignore.
fn is_skippable(c: char) -> bool {
    c == ' ' || c == '\u{00A0}' || imrf_contract::is_default_ignorable(c)
}

/// Neutralises spreadsheet formulas (OWASP's advice, extended): a `'` goes
/// before the cell when it starts with a formula trigger (after any spaces or
/// invisible marks), and right after every `,`, `;`, tab, `|` or line break
/// that is followed by one, so that a spreadsheet splitting the file at
/// another delimiter than `,` (`;` in many locales) never sees a formula.
pub fn spreadsheet_safe(cell: &str) -> String {
    let starts_formula = |rest: &str| {
        rest.chars()
            .find(|&d| !is_skippable(d))
            .is_some_and(is_formula_trigger)
    };
    let mut out = String::with_capacity(cell.len() + 1);
    if starts_formula(cell) {
        out.push('\'');
    }
    for (i, c) in cell.char_indices() {
        out.push(c);
        if is_cell_separator(c) && starts_formula(&cell[i + c.len_utf8()..]) {
            out.push('\'');
        }
    }
    out
}

/// `2026-01-01` (midnight UTC) or an RFC 3339 time, as the stored timestamp format.
pub fn parse_since(raw: &str) -> Result<String> {
    let raw = raw.trim();
    if let Ok(t) = time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339)
    {
        return Ok(format_utc(t));
    }
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(raw, &date_format) {
        Ok(d) => Ok(format_utc(d.midnight().assume_utc())),
        Err(_) => bail!("--since {raw:?}: expected a date like 2026-01-01 or an RFC 3339 time"),
    }
}

#[derive(Serialize)]
struct JsonRow<'a> {
    reference: &'a str,
    received_at: &'a str,
    idempotency_key: &'a str,
    language: &'a str,
    name: &'a str,
    organisation: &'a str,
    email: &'a str,
    country: &'a str,
    stakeholder_group: &'a str,
    stakeholder_group_other: &'a str,
    title: &'a str,
    input: &'a str,
    link: &'a str,
    consent: bool,
    directions: serde_json::Value,
    fill_ms: i64,
    flagged: Option<&'a str>,
}

pub fn write_csv<W: Write>(mut out: W, rows: &[StoredRow]) -> Result<()> {
    // A byte order mark, so that spreadsheets read the file as UTF-8 (Arabic).
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for r in rows {
        let fill_ms = r.fill_ms.to_string();
        let cells: [&str; 17] = [
            &r.reference,
            &r.received_at,
            &r.idempotency_key,
            &r.language,
            &r.name,
            &r.organisation,
            &r.email,
            &r.country,
            &r.stakeholder_group,
            &r.stakeholder_group_other,
            &r.title,
            &r.input,
            &r.link,
            if r.consent { "true" } else { "false" },
            &r.directions,
            &fill_ms,
            r.flagged.as_deref().unwrap_or(""),
        ];
        w.write_record(cells.iter().map(|c| spreadsheet_safe(c)))?;
    }
    w.flush()?;
    Ok(())
}

pub fn write_jsonl<W: Write>(mut out: W, rows: &[StoredRow]) -> Result<()> {
    for r in rows {
        let row = JsonRow {
            reference: &r.reference,
            received_at: &r.received_at,
            idempotency_key: &r.idempotency_key,
            language: &r.language,
            name: &r.name,
            organisation: &r.organisation,
            email: &r.email,
            country: &r.country,
            stakeholder_group: &r.stakeholder_group,
            stakeholder_group_other: &r.stakeholder_group_other,
            title: &r.title,
            input: &r.input,
            link: &r.link,
            consent: r.consent,
            directions: serde_json::from_str(&r.directions)
                .unwrap_or_else(|_| serde_json::Value::String(r.directions.clone())),
            fill_ms: r.fill_ms,
            flagged: r.flagged.as_deref(),
        };
        serde_json::to_writer(&mut out, &row)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

pub async fn run(args: ExportArgs) -> Result<()> {
    let since = args.since.as_deref().map(parse_since).transpose()?;
    let store = Store::connect(&args.db.database_url, false).await?;
    let rows = store
        .export_rows(since.as_deref(), args.include_flagged)
        .await?;
    store.close().await;
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        ExportFormat::Csv => write_csv(out, &rows)?,
        ExportFormat::Jsonl => write_jsonl(out, &rows)?,
    }
    tracing::info!(rows = rows.len(), "exported");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("+1"), "'+1");
        assert_eq!(spreadsheet_safe("-1"), "'-1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("\tx"), "'\tx");
        assert_eq!(spreadsheet_safe("\rx"), "'\rx");
        assert_eq!(spreadsheet_safe("سارة"), "سارة");
        assert_eq!(spreadsheet_safe("a=b"), "a=b");
        assert_eq!(spreadsheet_safe(""), "");
        // After a separator, as a spreadsheet splitting at it would see it.
        assert_eq!(spreadsheet_safe("x;=1+1"), "x;'=1+1");
        assert_eq!(spreadsheet_safe("x, @A1"), "x,' @A1");
        assert_eq!(spreadsheet_safe("a\n-1"), "a\n'-1");
        assert_eq!(spreadsheet_safe("a;b"), "a;b");
        // Behind invisible marks and in fullwidth form.
        assert_eq!(spreadsheet_safe("\u{200E}=1"), "'\u{200E}=1");
        assert_eq!(spreadsheet_safe("\u{FEFF}=1"), "'\u{FEFF}=1");
        assert_eq!(spreadsheet_safe("\u{FF1D}1+1"), "'\u{FF1D}1+1");
    }

    #[test]
    fn since_forms() {
        assert_eq!(
            parse_since("2026-01-01").unwrap(),
            "2026-01-01T00:00:00.000Z"
        );
        assert_eq!(
            parse_since("2026-01-01T03:00:00+03:00").unwrap(),
            "2026-01-01T00:00:00.000Z"
        );
        assert!(parse_since("yesterday").is_err());
    }
}
