-- See the SQLite migration.
CREATE TABLE redactions (
    reference    TEXT PRIMARY KEY REFERENCES submissions (reference) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    organisation TEXT NOT NULL,
    title        TEXT NOT NULL,
    input        TEXT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL
);
