-- The secretariat's console (console/): its staff, their passkeys, the
-- one-time enrolment links, the sessions, the WebAuthn ceremonies between
-- their two requests, and the sign-in attempts (for the rate limit).
-- Secrets are stored as SHA-256 hashes only (tokens, session ids).

-- One person of the secretariat. `email` is stored lower-case;
-- `user_handle` is the WebAuthn user id (a UUID, never the address).
CREATE TABLE staff (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       TEXT NOT NULL UNIQUE,
    -- 'reviewer' or 'administrator'.
    role        TEXT NOT NULL,
    user_handle TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

-- An enrolment link (staff invite / staff reset): valid 24 hours, once.
CREATE TABLE staff_enrolments (
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

-- A person's passkeys (several: a laptop, a phone): webauthn-rs's Passkey as JSON.
CREATE TABLE staff_passkeys (
    credential_id TEXT PRIMARY KEY,
    staff_id      INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    passkey       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT
);

-- A signed-in session: the hash of the cookie's id; idle and absolute
-- limits are checked against these times (console/policy.rs).
CREATE TABLE staff_sessions (
    id_hash      TEXT PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

-- A WebAuthn ceremony's state between its start and its finish (server-side,
-- never in a cookie): 'register' (with its enrolment) or 'authenticate'.
CREATE TABLE staff_ceremonies (
    id_hash        TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    staff_id       INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    enrolment_hash TEXT,
    state          TEXT NOT NULL,
    expires_at     TEXT NOT NULL
);

-- Failed sign-ins, for the limits per address and per IP (kept a day).
CREATE TABLE staff_sign_in_failures (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    at    TEXT NOT NULL,
    ip    TEXT NOT NULL,
    email TEXT NOT NULL
);

CREATE INDEX staff_sign_in_failures_at ON staff_sign_in_failures (at);

-- The console's security log, append-only: sign-in, failure, sign-out,
-- enrolment, refusals. Decisions go to audit_log, as the CLI's do.
CREATE TABLE staff_events (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    event  TEXT NOT NULL,
    ip     TEXT NOT NULL,
    detail TEXT
);
