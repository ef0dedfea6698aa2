//! The CSV export is formula-safe whichever delimiter the spreadsheet
//! splits at (issue 15, "Export"): parsed with `,` and with `;`, no cell
//! starts with a formula trigger, behind spaces or invisible marks either.

mod common;
mod hostile;

use common::*;
use hostile::record;
use reqwest::StatusCode;
use serde_json::json;

const HOSTILE: [(&str, &str); 8] = [
    ("title", "x;=1+1"),
    ("title", "x;\"=6+6"),
    ("title", "\u{200E}=HYPERLINK(\"http://evil.example\")"),
    ("title", "\u{FF1D}1+1"),
    ("organisation", "a, @SUM(A1)"),
    ("name", "Sara | -2+3"),
    ("input", "line one\n=cmd|' /C calc'!A0"),
    ("input", "x\t+1"),
];

fn is_trigger(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'
    )
}

/// A cell as a spreadsheet would judge it: spaces and invisible marks skipped.
fn starts_formula(cell: &str) -> bool {
    cell.chars()
        .find(|&c| {
            !matches!(
                c,
                ' ' | '\u{A0}' | '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{2060}' | '\u{FEFF}'
            )
        })
        .is_some_and(is_trigger)
}

#[tokio::test]
async fn csv_cells_never_start_a_formula_at_any_delimiter() {
    let db = TestDb::new();
    {
        let server = Server::start(&db, &[]);
        let c = client();
        for (field, value) in HOSTILE {
            let mut body = valid_body();
            body[field] = json!(value);
            let resp = submit(&c, &server, &body).await;
            assert_eq!(resp.status(), StatusCode::CREATED, "{field} {value:?}");
        }
    }
    let out = command()
        .args(["export", "--format", "csv", "--database-url", &db.url()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = &out.stdout[3..];
    for delimiter in [b',', b';'] {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(csv);
        let mut cells = 0;
        for record in reader.records() {
            let record = record.expect("parses");
            for cell in record.iter() {
                cells += 1;
                // Lines may also be read one by one.
                for piece in cell.split(['\n', '\r', '\t', '|']) {
                    assert!(
                        !starts_formula(piece),
                        "split at {:?}: formula cell {cell:?}",
                        delimiter as char
                    );
                }
            }
        }
        assert!(cells > HOSTILE.len());
    }
    // A lenient reader: splits each line at `;` (or `,`) without reading
    // the quoting, and takes the double quotes off each piece.
    let text = String::from_utf8_lossy(csv);
    for line in text.split(['\n', '\r']) {
        for piece in line.split([';', ',', '\t', '|']) {
            let unquoted = piece.trim_start_matches([' ', '"']);
            assert!(
                !starts_formula(unquoted),
                "a lenient reader sees a formula in {piece:?} (line {line:?})"
            );
        }
    }
    // The JSON Lines export keeps every value verbatim.
    let out = command()
        .args(["export", "--format", "jsonl", "--database-url", &db.url()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for (field, value) in HOSTILE {
        let stored = match field {
            "name" => value.split_whitespace().collect::<Vec<_>>().join(" "),
            "input" => value.to_string(),
            _ => value.to_string(),
        };
        assert!(
            text.lines().any(
                |l| serde_json::from_str::<serde_json::Value>(l).unwrap()[field] == json!(stored)
            ),
            "{field} {value:?} not verbatim in JSON Lines"
        );
        record(
            "CSV export",
            &format!("{field} `{}`", value.escape_debug()),
            "no cell starts a formula when split at `,` or `;`, by a CSV reader or a lenient one that ignores the quoting; JSON Lines verbatim",
        );
    }
}
