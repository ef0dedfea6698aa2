-- See the SQLite migration.
CREATE TABLE search_index (
    reference TEXT PRIMARY KEY REFERENCES submissions (reference) ON DELETE CASCADE,
    text      TEXT NOT NULL
);
