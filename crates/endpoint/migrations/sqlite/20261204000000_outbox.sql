-- One row per message to send (mail/). A submission's row is written in the
-- same transaction as the submission, so no input is acknowledged without its
-- mail queued, and a crash loses none. The message itself is made from the
-- submission at each attempt: nothing personal is copied here.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The submission the message is about (NULL for a daily digest); the
    -- message goes with it when the submission is deleted.
    reference       TEXT    REFERENCES submissions (reference) ON DELETE CASCADE,
    -- 'secretariat' (the input, to the mailbox) or 'digest' (a day's references).
    kind            TEXT    NOT NULL,
    -- The UTC day a digest lists (YYYY-MM-DD); NULL otherwise.
    digest_day      TEXT,
    -- The same on every attempt, so a message sent twice is seen as one.
    message_id      TEXT    NOT NULL UNIQUE,
    -- UTC, RFC 3339 with milliseconds, like submissions.received_at.
    queued_at       TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    -- A worker's claim: no other worker sends the row before lease_until.
    lease_owner     TEXT,
    lease_until     TEXT,
    sent_at         TEXT,
    -- A permanent failure (the server's 5xx, or retries given up).
    failed_at       TEXT,
    -- The last attempt's outcome: the server's answer or the error.
    last_error      TEXT,
    -- Some attempt's answer was lost after the message's data had been sent.
    uncertain       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (reference, kind)
);

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
