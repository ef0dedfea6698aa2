//! How the endpoint reads a body at the edges (issue 15, "Edge cases"):
//! charsets, a byte order mark, an unknown group, an empty object.
//! The decisions are recorded in API.md.

mod common;
mod hostile;

use common::*;
use hostile::record;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn post(
    server: &Server,
    key: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let resp = client()
        .post(server.url("/api/submissions"))
        .header("Idempotency-Key", key)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (resp.status(), resp.json().await.unwrap())
}

#[tokio::test]
async fn edge_cases_of_the_body() {
    let db = TestDb::new();
    let server = Server::start(&db, &[]);
    let area = "Request decoding";

    // A charset other than UTF-8 is refused rather than misread.
    let body = valid_body();
    let (status, errors) = post(
        &server,
        &key_of(&body),
        "application/json; charset=iso-8859-1",
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        error_pairs(&errors),
        vec![("body".into(), "unsupported_media_type".into())]
    );
    record(
        area,
        "`Content-Type: application/json; charset=iso-8859-1`",
        "415 body/unsupported_media_type",
    );
    for ct in [
        "application/json; charset=utf-8",
        "application/json;charset=\"UTF-8\"",
    ] {
        let body = valid_body();
        let (status, _) = post(&server, &key_of(&body), ct, body.to_string().into_bytes()).await;
        assert_eq!(status, StatusCode::CREATED, "{ct}");
    }
    record(area, "`charset=utf-8` in any case, quoted or not", "201");

    // A byte order mark: JSON must not carry one (RFC 8259 §8.1); refused.
    let body = valid_body();
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(body.to_string().into_bytes());
    let (status, errors) = post(&server, &key_of(&body), "application/json", bytes).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error_pairs(&errors),
        vec![("body".into(), "malformed".into())]
    );
    record(
        area,
        "UTF-8 byte order mark before the JSON",
        "400 body/malformed (documented)",
    );

    // An unknown group is named on its field.
    let mut body = valid_body();
    body["stakeholder_group"] = json!("aliens");
    let (status, errors) = submit_raw(&server, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_pairs(&errors),
        vec![("stakeholder_group".into(), "malformed".into())]
    );
    record(
        area,
        "`\"stakeholder_group\": \"aliens\"`",
        "422 stakeholder_group/malformed",
    );

    // An empty object: every missing field is named.
    let (status, errors) = post(&server, &new_key(), "application/json", b"{}".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = error_pairs(&errors).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        [
            "name",
            "email",
            "country",
            "stakeholder_group",
            "title",
            "input",
            "consent",
            "idempotency_key"
        ]
    );
    record(area, "`{}` with an Idempotency-Key header", "422 naming name, email, country, stakeholder_group, title, input, consent, idempotency_key");
    assert_eq!(count_rows(&db.path()).await, 2);
}

async fn submit_raw(server: &Server, body: &Value) -> (StatusCode, Value) {
    let resp = submit(&client(), server, body).await;
    (resp.status(), resp.json().await.unwrap())
}
