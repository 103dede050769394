-- The local desktop store: catalogs, personas, candidates, review sessions, frozen snapshots,
-- judgements as immutable events, and an outbox row per judgement for the sync.
-- Timestamps are Unix milliseconds (UTC) unless a column says otherwise. JSON columns hold text.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE catalogs (
    id           TEXT PRIMARY KEY,                 -- 'demo' or a UUIDv7
    name         TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('demo', 'personalize', 'movielens')),
    source_path  TEXT,                             -- NULL for the embedded demo catalog
    digest       TEXT NOT NULL,
    items        INTEGER NOT NULL,
    users        INTEGER NOT NULL,
    interactions INTEGER NOT NULL,
    imported_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE personas (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    tags              TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    external_user_ids TEXT NOT NULL DEFAULT '{}',  -- JSON object: candidate id -> user id
    catalog_id        TEXT NOT NULL REFERENCES catalogs (id),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE persona_history (
    persona_id TEXT NOT NULL REFERENCES personas (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,                   -- 0 = oldest
    item_id    TEXT NOT NULL,
    timestamp  INTEGER NOT NULL,                   -- Unix seconds, as in interaction logs
    event_type TEXT NOT NULL,
    PRIMARY KEY (persona_id, position)
) STRICT;

CREATE TABLE candidates (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('builtin', 'http', 'personalize')),
    config     TEXT NOT NULL,                      -- JSON, by kind
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE review_sessions (
    id                     TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    catalog_id             TEXT NOT NULL REFERENCES catalogs (id),
    k                      INTEGER NOT NULL CHECK (k BETWEEN 1 AND 100),
    blind                  INTEGER NOT NULL DEFAULT 1 CHECK (blind IN (0, 1)),
    criteria               TEXT NOT NULL,          -- JSON array of criterion names
    incumbent_candidate_id TEXT REFERENCES candidates (id),
    created_at             INTEGER NOT NULL,
    frozen_at              INTEGER
) STRICT;

CREATE TABLE session_personas (
    session_id TEXT NOT NULL REFERENCES review_sessions (id) ON DELETE CASCADE,
    persona_id TEXT NOT NULL REFERENCES personas (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (session_id, persona_id)
) STRICT;

CREATE TABLE session_candidates (
    session_id   TEXT NOT NULL REFERENCES review_sessions (id) ON DELETE CASCADE,
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    position     INTEGER NOT NULL,
    PRIMARY KEY (session_id, candidate_id)
) STRICT;

-- One frozen list: candidate x persona in a session, with what was asked and what came back.
CREATE TABLE snapshots (
    id           TEXT PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES review_sessions (id),
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    persona_id   TEXT NOT NULL REFERENCES personas (id),
    created_at   INTEGER NOT NULL,
    request      TEXT NOT NULL,                    -- JSON
    raw_response TEXT,
    items        TEXT NOT NULL DEFAULT '[]',       -- JSON array of {item_id, score, reason}
    latency_ms   REAL,
    error        TEXT,
    UNIQUE (session_id, candidate_id, persona_id)
) STRICT;

-- Judgements are events: never updated, never deleted; an edit is a new row that supersedes.
CREATE TABLE judgements (
    op_id       TEXT PRIMARY KEY,                  -- UUIDv7
    device_id   TEXT NOT NULL,
    device_seq  INTEGER NOT NULL,
    reviewer    TEXT NOT NULL,
    session_id  TEXT NOT NULL REFERENCES review_sessions (id),
    persona_id  TEXT NOT NULL REFERENCES personas (id),
    snapshot_id TEXT REFERENCES snapshots (id),
    item_id     TEXT,
    kind        TEXT NOT NULL CHECK (kind IN ('rating', 'preference', 'flag', 'comment', 'reveal')),
    payload     TEXT NOT NULL,                     -- JSON, by kind
    created_at  INTEGER NOT NULL,
    supersedes  TEXT REFERENCES judgements (op_id),
    UNIQUE (device_id, device_seq)
) STRICT;

CREATE INDEX judgements_by_session ON judgements (session_id, persona_id);

CREATE TRIGGER judgements_are_immutable BEFORE UPDATE ON judgements
BEGIN
    SELECT RAISE(ABORT, 'judgements are immutable: record a new one that supersedes it');
END;

CREATE TRIGGER judgements_are_kept BEFORE DELETE ON judgements
BEGIN
    SELECT RAISE(ABORT, 'judgements are never deleted: record a new one that supersedes it');
END;

-- What the sync client still has to send; written in the same transaction as the judgement.
CREATE TABLE outbox (
    op_id       TEXT PRIMARY KEY REFERENCES judgements (op_id),
    enqueued_at INTEGER NOT NULL,
    sent_at     INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX outbox_pending ON outbox (sent_at) WHERE sent_at IS NULL;
