-- See the SQLite migration.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    key  TEXT NOT NULL
);

CREATE TABLE withdrawals (
    reference    TEXT PRIMARY KEY REFERENCES submissions (reference) ON DELETE CASCADE,
    withdrawn_at TEXT NOT NULL
);
