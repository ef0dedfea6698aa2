-- The secretariat's redacted copy of an input (issue 23 item 3): what the
-- public record shows instead of the original, which stays untouched in
-- `submissions`. At most one per input; removing it publishes the original
-- again. Deleted with the input (it repeats what the input says).
CREATE TABLE redactions (
    reference    TEXT PRIMARY KEY REFERENCES submissions (reference) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    organisation TEXT NOT NULL,
    title        TEXT NOT NULL,
    input        TEXT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL
);
