-- The report server's store (PostgreSQL). Timestamps are Unix milliseconds. JSON columns hold
-- text, as on SQLite, so both backends run the same queries.

CREATE TABLE users (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('reviewer', 'approver', 'admin')),
    created_at BIGINT NOT NULL
);

CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE changes (
    seq        BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('event', 'session')),
    ref        TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    owner_id     BIGINT NOT NULL REFERENCES users (id),
    body         TEXT NOT NULL,
    body_hash    TEXT NOT NULL,
    seq          BIGINT NOT NULL REFERENCES changes (seq),
    published_at BIGINT NOT NULL
);

CREATE TABLE snapshots (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id)
);

CREATE TABLE events (
    op_id        TEXT PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES sessions (id),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    device_id    TEXT NOT NULL,
    device_seq   BIGINT NOT NULL,
    payload      TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    seq          BIGINT NOT NULL REFERENCES changes (seq),
    received_at  BIGINT NOT NULL
);

CREATE INDEX events_by_session ON events (session_id, seq);
CREATE INDEX events_by_device ON events (device_id, device_seq);

CREATE FUNCTION refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% are immutable and never deleted', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_are_immutable BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE idempotency (
    user_id      BIGINT NOT NULL REFERENCES users (id),
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE decisions (
    id            BIGSERIAL PRIMARY KEY,
    session_id    TEXT NOT NULL REFERENCES sessions (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    decision      TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
    note          TEXT NOT NULL,
    report_digest TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TRIGGER decisions_are_immutable BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
