-- See the SQLite migration.
CREATE TABLE decisions (
    reference  TEXT PRIMARY KEY REFERENCES submissions (reference) ON DELETE CASCADE,
    state      TEXT NOT NULL,
    reason     TEXT,
    note       TEXT,
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL
);

CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    reference  TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    reason     TEXT,
    note       TEXT
);

CREATE INDEX audit_log_reference ON audit_log (reference, id);
