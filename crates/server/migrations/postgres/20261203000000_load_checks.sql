-- Load checks of a published session's candidates, sent by the device that ran them; the
-- challenger's latest one is a row of the team report's gate. Immutable.

CREATE TABLE load_checks (
    seq        BIGSERIAL PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    candidate  TEXT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX load_checks_by_session ON load_checks (session_id, created_at);

CREATE TRIGGER load_checks_are_immutable BEFORE UPDATE OR DELETE ON load_checks
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
