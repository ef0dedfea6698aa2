-- The secretariat's decision on each input (moderation.rs): the current
-- state, one row per decided input (no row: new). Deleted with the input.
CREATE TABLE decisions (
    reference  TEXT PRIMARY KEY REFERENCES submissions (reference) ON DELETE CASCADE,
    -- 'published' or 'not_published' ('new' is no row; 'withdrawn' is withdrawals').
    state      TEXT NOT NULL,
    -- With not_published: duplicate, off_topic, abusive, personal_data, not_consented, other.
    reason     TEXT,
    note       TEXT,
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL
);

-- Every decision, append-only: who, when, what, from which state to which.
-- It holds references and the secretariat's own words, never an input's
-- text, and outlives a deleted input (the record of what was done).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
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
