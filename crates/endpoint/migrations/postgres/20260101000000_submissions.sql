-- Same table as migrations/sqlite, in PostgreSQL types.
CREATE TABLE submissions (
    id                      BIGSERIAL PRIMARY KEY,
    reference               TEXT    NOT NULL UNIQUE,
    idempotency_key         TEXT    NOT NULL UNIQUE,
    body_hash               TEXT    NOT NULL,
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
    consent                 BOOLEAN NOT NULL,
    directions              TEXT    NOT NULL,
    fill_ms                 BIGINT  NOT NULL,
    flagged                 TEXT
);

CREATE INDEX submissions_received_at ON submissions (received_at);
