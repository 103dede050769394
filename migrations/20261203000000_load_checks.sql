-- Load checks of a session's candidates: the plan (rate, duration, …), the p99 bound the gate
-- holds it to, and what was measured (screening-load's result, JSON), kept with the session.

CREATE TABLE load_checks (
    id           TEXT PRIMARY KEY,                 -- UUIDv7
    session_id   TEXT NOT NULL REFERENCES review_sessions (id),
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    plan         TEXT NOT NULL,                    -- JSON
    max_p99_ms   REAL NOT NULL,
    result       TEXT NOT NULL,                    -- JSON
    created_at   INTEGER NOT NULL,
    shared_at    INTEGER                           -- sent to the report server (published sessions)
) STRICT;

CREATE INDEX load_checks_by_session ON load_checks (session_id, created_at);
