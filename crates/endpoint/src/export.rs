//! `imrf-endpoint export`: the secretariat's copy of the submissions.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::ser::SerializeMap;
use serde::Serialize;

use crate::config::{ExportArgs, ExportFormat};
use crate::store::{format_utc, Cell, Store, StoredRow};

/// The columns, in order, of both formats (defined with the row in `store`).
pub use crate::store::COLUMNS;

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
/// characters (LRM, RLM, BOM, ...) that a spreadsheet may ignore, and the
/// double quote, which a lenient reader splitting lines at `;` without
/// reading the CSV's quoting takes off a cell (`x;"=6+6` is `=6+6` to it).
fn is_skippable(c: char) -> bool {
    c == ' ' || c == '\u{00A0}' || c == '"' || imrf_contract::is_default_ignorable(c)
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

/// A cell as CSV text (before [`spreadsheet_safe`]).
fn csv_text(cell: Cell<'_>) -> Cow<'_, str> {
    match cell {
        Cell::Text(v) | Cell::Json(v) => Cow::Borrowed(v),
        Cell::Bool(v) => Cow::Borrowed(if v { "true" } else { "false" }),
        Cell::Int(v) => Cow::Owned(v.to_string()),
        Cell::Null => Cow::Borrowed(""),
    }
}

/// A row as one JSON object, members in [`COLUMNS`] order, values verbatim
/// (the JSON column as an object).
struct JsonRow<'a>(&'a StoredRow);

impl Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(COLUMNS.len()))?;
        for (column, cell) in COLUMNS.iter().zip(self.0.cells()) {
            match cell {
                Cell::Text(v) => map.serialize_entry(column, v)?,
                Cell::Json(v) => {
                    let value = serde_json::from_str(v)
                        .unwrap_or_else(|_| serde_json::Value::String(v.to_string()));
                    map.serialize_entry(column, &value)?
                }
                Cell::Bool(v) => map.serialize_entry(column, &v)?,
                Cell::Int(v) => map.serialize_entry(column, &v)?,
                Cell::Null => map.serialize_entry(column, &())?,
            }
        }
        map.end()
    }
}

pub fn write_csv<W: Write>(mut out: W, rows: &[StoredRow]) -> Result<()> {
    // A byte order mark, so that spreadsheets read the file as UTF-8 (Arabic).
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for r in rows {
        w.write_record(
            r.cells()
                .into_iter()
                .map(|c| spreadsheet_safe(&csv_text(c))),
        )?;
    }
    w.flush()?;
    Ok(())
}

pub fn write_jsonl<W: Write>(mut out: W, rows: &[StoredRow]) -> Result<()> {
    for r in rows {
        serde_json::to_writer(&mut out, &JsonRow(r))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Whether two paths name the same file (both exist, same device and inode).
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Refuses an `--output` that is the database (by any name), any SQLite
/// file, a folder, or an existing file without `--force`.
fn check_output(path: &Path, database_url: &str, force: bool) -> Result<()> {
    if let Some(db) = crate::store::sqlite_file(database_url)? {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let file = PathBuf::from(format!("{}{suffix}", db.display()));
            if same_file(path, &file) {
                bail!(
                    "--output {} is the database {}: an export never writes over it \
                     (--force does not change that); nothing was written",
                    path.display(),
                    file.display()
                );
            }
        }
    }
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("--output {}", path.display())),
        Ok(meta) if meta.is_dir() => bail!("--output {} is a folder", path.display()),
        Ok(_) => {
            let mut magic = [0u8; 16];
            let is_sqlite = File::open(path)
                .and_then(|mut f| f.read_exact(&mut magic))
                .is_ok()
                && &magic == b"SQLite format 3\0";
            if is_sqlite {
                bail!(
                    "--output {} is a SQLite database: an export never writes over one \
                     (--force does not change that); nothing was written",
                    path.display()
                );
            }
            if !force {
                bail!(
                    "--output {} already exists: add --force to replace it, or choose \
                     another name; nothing was written",
                    path.display()
                );
            }
            Ok(())
        }
    }
}

/// Writes the export to `path` through a temporary file in the same folder
/// (owner-only, 0600), flushed to disk and renamed over `path` at the end,
/// so an interrupted or failed export never leaves a truncated file there.
fn write_file(path: &Path, write: impl FnOnce(&mut BufWriter<&File>) -> Result<()>) -> Result<()> {
    let dir = crate::private_files::parent_of(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let temp = dir.join(format!(".{name}.export-{}", uuid::Uuid::new_v4()));
    let file = crate::private_files::create_private(&temp)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    let written = (|| {
        let mut out = BufWriter::new(&file);
        write(&mut out)?;
        out.flush()?;
        drop(out);
        file.sync_all()?;
        std::fs::rename(&temp, path)
            .with_context(|| format!("moving the export to {}", path.display()))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    crate::private_files::sync_dir(&dir);
    Ok(())
}

pub async fn run(args: ExportArgs) -> Result<()> {
    let since = args.since.as_deref().map(parse_since).transpose()?;
    if let Some(path) = &args.output {
        check_output(path, &args.db.database_url, args.force)?;
    }
    // Read-only: no migration, no journal-mode change; works on a database
    // this user cannot write.
    let store = Store::open_read_only(&args.db.database_url).await?;
    let rows = store
        .export_rows(since.as_deref(), args.include_flagged)
        .await?;
    store.close().await;
    let format = args.format;
    let write = |out: &mut dyn Write| match format {
        ExportFormat::Csv => write_csv(out, &rows),
        ExportFormat::Jsonl => write_jsonl(out, &rows),
    };
    match &args.output {
        Some(path) => write_file(path, |out| write(out))?,
        None => write(&mut BufWriter::new(std::io::stdout().lock()))?,
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
        // Behind a double quote, which a lenient reader drops.
        assert_eq!(spreadsheet_safe("x;\"=6+6"), "x;'\"=6+6");
        assert_eq!(spreadsheet_safe("\"=6+6"), "'\"=6+6");
        assert_eq!(spreadsheet_safe("\"quoted\""), "\"quoted\"");
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

    /// A row whose every column holds a value found nowhere else.
    fn distinct_row() -> StoredRow {
        StoredRow {
            reference: "IMRF-REF00001".into(),
            received_at: "2026-01-02T03:04:05.006Z".into(),
            idempotency_key: "key-value".into(),
            language: "lang-value".into(),
            name: "name-value".into(),
            organisation: "organisation-value".into(),
            email: "email-value".into(),
            country: "country-value".into(),
            stakeholder_group: "group-value".into(),
            stakeholder_group_other: "group-other-value".into(),
            title: "title-value".into(),
            input: "input-value".into(),
            link: "link-value".into(),
            consent: true,
            directions: r#"{"input":"rtl"}"#.into(),
            fill_ms: 4321,
            flagged: Some("flag-value".into()),
        }
    }

    #[test]
    fn every_column_appears_in_both_export_formats() {
        let row = distinct_row();
        assert_eq!(row.cells().len(), COLUMNS.len());

        let mut csv_out = Vec::new();
        write_csv(&mut csv_out, std::slice::from_ref(&row)).unwrap();
        let text = String::from_utf8(csv_out).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, COLUMNS);
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.len(), COLUMNS.len());

        let mut jsonl_out = Vec::new();
        write_jsonl(&mut jsonl_out, std::slice::from_ref(&row)).unwrap();
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&jsonl_out).unwrap();
        let mut members: Vec<&str> = object.keys().map(String::as_str).collect();
        let mut columns = COLUMNS.to_vec();
        members.sort_unstable();
        columns.sort_unstable();
        assert_eq!(members, columns);
        // Members come in column order, as in the CSV.
        let line = String::from_utf8(jsonl_out).unwrap();
        let positions: Vec<usize> = COLUMNS
            .iter()
            .map(|c| line.find(&format!("\"{c}\":")).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{line}");

        // Each column's own value is in both, under its own name.
        for (i, (column, cell)) in COLUMNS.iter().zip(row.cells()).enumerate() {
            assert_eq!(record[i], *csv_text(cell), "{column}");
            let json = &object[*column];
            match cell {
                Cell::Text(v) => assert_eq!(json, v, "{column}"),
                Cell::Json(v) => {
                    assert_eq!(json, &serde_json::from_str::<serde_json::Value>(v).unwrap())
                }
                Cell::Bool(v) => assert_eq!(json, v, "{column}"),
                Cell::Int(v) => assert_eq!(json, v, "{column}"),
                Cell::Null => assert!(json.is_null(), "{column}"),
            }
        }
    }
}
