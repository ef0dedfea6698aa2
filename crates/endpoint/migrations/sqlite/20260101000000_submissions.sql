-- One row per accepted idempotency key. Text is stored as normalised by
-- imrf_contract::validate; nothing else is rewritten.
CREATE TABLE submissions (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    reference               TEXT    NOT NULL UNIQUE,
    idempotency_key         TEXT    NOT NULL UNIQUE,
    -- SHA-256 (hex) of the canonical JSON of the normalised submission with fill_ms = 0.
    body_hash               TEXT    NOT NULL,
    -- UTC, RFC 3339 with milliseconds: 2026-01-31T12:34:56.789Z (sorts as text).
    received_at             TEXT    NOT NULL,
    language                TEXT    NOT NULL,
    name                    TEXT    NOT NULL,
    organisation            TEXT    NOT NULL,
    email                   TEXT    NOT NULL,
    country                 TEXT    NOT NULL,
    stakeholder_group       TEXT    NOT NULL,
    stakeholder_group_other TEXT    NOT NULL,
    title                   TEXT    NOT NULL,
    input                   TEXT    NOT NULL,
    link                    TEXT    NOT NULL,
    consent                 INTEGER NOT NULL,
    -- JSON object: field key -> "ltr" | "rtl".
    directions              TEXT    NOT NULL,
    fill_ms                 INTEGER NOT NULL,
    -- NULL for ordinary rows; 'honeypot' or 'too_fast' for rows kept apart.
    flagged                 TEXT
);

CREATE INDEX submissions_received_at ON submissions (received_at);
