-- See the SQLite migration.
CREATE TABLE input_notes (
    id        BIGSERIAL PRIMARY KEY,
    reference TEXT NOT NULL REFERENCES submissions (reference) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    text      TEXT NOT NULL
);

CREATE INDEX input_notes_reference ON input_notes (reference, id);
