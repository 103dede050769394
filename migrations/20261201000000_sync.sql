-- Sync with the report server: when this device published a session there.

ALTER TABLE review_sessions ADD COLUMN published_at INTEGER;
