-- no-transaction
-- Team sessions: a session someone else published on the report server can be joined. Its
-- candidates exist on this device only as names (kind 'team': never asked for lists, archived),
-- and the session remembers who published it.
--
-- SQLite cannot change a CHECK constraint in place, so the candidates table is rebuilt the way
-- SQLite's documentation prescribes (ALTER TABLE, "Making Other Kinds Of Table Schema Changes"):
-- foreign keys off, new table, copy, drop, rename, check, commit. That needs to run outside the
-- migration's usual transaction, hence the first line.

PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE TABLE candidates_new (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('builtin', 'http', 'personalize', 'team')),
    config      TEXT NOT NULL,                     -- JSON, by kind
    created_at  INTEGER NOT NULL,
    archived_at INTEGER                            -- Unix ms; NULL = in use
) STRICT;

INSERT INTO candidates_new (id, name, kind, config, created_at, archived_at)
    SELECT id, name, kind, config, created_at, archived_at FROM candidates;

DROP TABLE candidates;

ALTER TABLE candidates_new RENAME TO candidates;

-- Who published a joined session (the server's user name); NULL for this device's own sessions.
ALTER TABLE review_sessions ADD COLUMN published_by TEXT;

COMMIT;

PRAGMA foreign_keys = ON;
