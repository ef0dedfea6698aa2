-- One row per message to send (mail/); see the SQLite migration for the columns.
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    reference       TEXT    REFERENCES submissions (reference) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    digest_day      TEXT,
    message_id      TEXT    NOT NULL UNIQUE,
    queued_at       TEXT    NOT NULL,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    lease_owner     TEXT,
    lease_until     TEXT,
    sent_at         TEXT,
    failed_at       TEXT,
    last_error      TEXT,
    uncertain       BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (reference, kind)
);

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
