-- The report server's store (SQLite). Timestamps are Unix milliseconds. JSON columns hold text.

CREATE TABLE users (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('reviewer', 'approver', 'admin')),
    created_at INTEGER NOT NULL
);

-- Only a hash of each token is kept: the token itself is shown once, when it is made.
CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
);

-- Every change the pull feed hands out, in the order the server made them (no client clocks).
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL CHECK (kind IN ('event', 'session')),
    ref        TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES users (id),
    body         TEXT NOT NULL,      -- the published session, JSON
    body_hash    TEXT NOT NULL,
    seq          INTEGER NOT NULL REFERENCES changes (seq),
    published_at INTEGER NOT NULL
);

CREATE TABLE snapshots (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id)
);

-- Judgement events: never updated, never deleted.
CREATE TABLE events (
    op_id        TEXT PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES sessions (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    device_id    TEXT NOT NULL,
    device_seq   INTEGER NOT NULL,
    payload      TEXT NOT NULL,      -- the event in the export format, reviewer filled in
    payload_hash TEXT NOT NULL,
    seq          INTEGER NOT NULL REFERENCES changes (seq),
    received_at  INTEGER NOT NULL
);

CREATE INDEX events_by_session ON events (session_id, seq);
CREATE INDEX events_by_device ON events (device_id, device_seq);

CREATE TRIGGER events_are_immutable BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'judgement events are immutable');
END;

CREATE TRIGGER events_are_kept BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'judgement events are never deleted');
END;

-- The answer to each push batch, so a resent batch gets the same answer.
CREATE TABLE idempotency (
    user_id      INTEGER NOT NULL REFERENCES users (id),
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response     TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id    TEXT NOT NULL REFERENCES sessions (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    decision      TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
    note          TEXT NOT NULL,
    report_digest TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TRIGGER decisions_are_immutable BEFORE UPDATE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions are immutable');
END;

CREATE TRIGGER decisions_are_kept BEFORE DELETE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions are never deleted');
END;
