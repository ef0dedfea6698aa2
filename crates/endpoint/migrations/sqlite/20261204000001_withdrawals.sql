-- Keys the server signs with, kept in the database so that every instance
-- on it signs alike (one row per purpose; made at first start).
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    -- 32 random bytes, hex.
    key  TEXT NOT NULL
);

-- Inputs their senders withdrew (the withdrawal link of their receipt):
-- never published; deleted with the input.
CREATE TABLE withdrawals (
    reference    TEXT PRIMARY KEY REFERENCES submissions (reference) ON DELETE CASCADE,
    withdrawn_at TEXT NOT NULL
);
