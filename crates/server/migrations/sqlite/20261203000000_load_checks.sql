-- Load checks of a published session's candidates, sent by the device that ran them; the
-- challenger's latest one is a row of the team report's gate. Immutable.

CREATE TABLE load_checks (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,   -- the server's order (no device clocks)
    id         TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    candidate  TEXT NOT NULL,                    -- the candidate's name in the session
    user_id    INTEGER NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL,                    -- the whole check, JSON
    created_at INTEGER NOT NULL                  -- when the device ran it (Unix ms)
);

CREATE INDEX load_checks_by_session ON load_checks (session_id, created_at);

CREATE TRIGGER load_checks_are_immutable BEFORE UPDATE ON load_checks
BEGIN
    SELECT RAISE(ABORT, 'load checks are immutable');
END;

CREATE TRIGGER load_checks_are_kept BEFORE DELETE ON load_checks
BEGIN
    SELECT RAISE(ABORT, 'load checks are never deleted');
END;
