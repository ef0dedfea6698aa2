//! The open data: every published input as CSV (`/inputs.csv`: UTF-8 with a
//! byte-order mark, so that spreadsheet programs read the Arabic; every cell
//! formula-safe, as the secretariat's export) and as JSON (`/inputs.json`,
//! the schema in API.md). Exactly the published inputs, and when the file
//! was made; never an e-mail address (the store does not read it here).

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use imrf_contract::{countries, stakeholder_group_label, Lang, StakeholderGroup};
use serde::Serialize;

use super::{answer, failed};
use crate::api::SharedState;
use crate::export::spreadsheet_safe;
use crate::store::{now_rfc3339, PublishedRow};

/// A name in both languages.
#[derive(Debug, Serialize)]
struct Names {
    ar: &'static str,
    en: &'static str,
}

#[derive(Debug, Serialize)]
struct Coded {
    code: String,
    name: Option<Names>,
}

/// One published input in `/inputs.json`.
#[derive(Debug, Serialize)]
struct OpenInput {
    reference: String,
    received_at: String,
    published_at: String,
    /// The language of the title and the input (`ar`, `en`).
    language: Option<String>,
    stakeholder_group: Coded,
    /// The group's own name, when it is "other".
    stakeholder_group_other: String,
    country: Coded,
    name: String,
    organisation: String,
    title: String,
    input: String,
    link: String,
    /// The name, organisation, title and input are the secretariat's
    /// redacted copy, not what was sent.
    edited_by_secretariat: bool,
}

#[derive(Debug, Serialize)]
struct OpenData {
    generated_at: String,
    count: usize,
    inputs: Vec<OpenInput>,
}

fn group_names(key: &str) -> Option<Names> {
    StakeholderGroup::from_key(key).map(|g| Names {
        ar: stakeholder_group_label(g, Lang::Ar),
        en: stakeholder_group_label(g, Lang::En),
    })
}

fn country_names(code: &str) -> Option<Names> {
    countries::all()
        .iter()
        .find(|c| c.code == code)
        .map(|c| Names {
            ar: c.name_ar,
            en: c.name_en,
        })
}

fn open_input(row: PublishedRow) -> OpenInput {
    OpenInput {
        stakeholder_group: Coded {
            name: group_names(&row.stakeholder_group),
            code: row.stakeholder_group,
        },
        country: Coded {
            name: country_names(&row.country),
            code: row.country,
        },
        reference: row.reference,
        received_at: row.received_at,
        published_at: row.published_at,
        language: row.language,
        stakeholder_group_other: row.stakeholder_group_other,
        name: row.name,
        organisation: row.organisation,
        title: row.title,
        input: row.input,
        link: row.link,
        edited_by_secretariat: row.edited_by_secretariat,
    }
}

/// The CSV's columns, in order (the JSON's members, flattened).
pub const CSV_COLUMNS: [&str; 17] = [
    "reference",
    "received_at",
    "published_at",
    "language",
    "stakeholder_group",
    "stakeholder_group_ar",
    "stakeholder_group_en",
    "stakeholder_group_other",
    "country",
    "country_ar",
    "country_en",
    "name",
    "organisation",
    "title",
    "input",
    "link",
    "edited_by_secretariat",
];

fn csv_record(i: &OpenInput) -> [String; 17] {
    let (group_ar, group_en) = i
        .stakeholder_group
        .name
        .as_ref()
        .map_or(("", ""), |n| (n.ar, n.en));
    let (country_ar, country_en) = i.country.name.as_ref().map_or(("", ""), |n| (n.ar, n.en));
    [
        i.reference.clone(),
        i.received_at.clone(),
        i.published_at.clone(),
        i.language.clone().unwrap_or_default(),
        i.stakeholder_group.code.clone(),
        group_ar.to_string(),
        group_en.to_string(),
        i.stakeholder_group_other.clone(),
        i.country.code.clone(),
        country_ar.to_string(),
        country_en.to_string(),
        i.name.clone(),
        i.organisation.clone(),
        i.title.clone(),
        i.input.clone(),
        i.link.clone(),
        i.edited_by_secretariat.to_string(),
    ]
}

/// The published inputs as CSV bytes (with the byte-order mark).
pub fn csv_bytes(rows: Vec<PublishedRow>) -> anyhow::Result<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(CSV_COLUMNS)?;
        for row in rows {
            let record = csv_record(&open_input(row));
            w.write_record(record.iter().map(|cell| spreadsheet_safe(cell)))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The published inputs as the JSON document.
pub fn json_bytes(rows: Vec<PublishedRow>) -> anyhow::Result<Vec<u8>> {
    let inputs: Vec<OpenInput> = rows.into_iter().map(open_input).collect();
    let data = OpenData {
        generated_at: now_rfc3339(),
        count: inputs.len(),
        inputs,
    };
    Ok(serde_json::to_vec_pretty(&data)?)
}

fn open(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// `GET /inputs.csv`.
pub async fn csv(State(app): State<SharedState>, headers: HeaderMap) -> Response {
    match app.store.all_published().await.and_then(csv_bytes) {
        Ok(body) => open(answer(
            StatusCode::OK,
            "text/csv; charset=utf-8",
            body,
            &headers,
        )),
        Err(e) => failed(e),
    }
}

/// `GET /inputs.json`.
pub async fn json(State(app): State<SharedState>, headers: HeaderMap) -> Response {
    match app.store.all_published().await.and_then(json_bytes) {
        Ok(body) => open(answer(StatusCode::OK, "application/json", body, &headers)),
        Err(e) => failed(e),
    }
}
