-- The console's private notes on an input (staff only, never published):
-- who wrote what, when; append-only; deleted with the input, since a note
-- may repeat what the input says.
CREATE TABLE input_notes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL REFERENCES submissions (reference) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    text      TEXT NOT NULL
);

CREATE INDEX input_notes_reference ON input_notes (reference, id);
