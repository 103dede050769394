-- Real candidates (HTTP endpoints, Amazon Personalize) next to the built-in models:
-- candidates can be archived (kept for the sessions that used them, hidden from new ones),
-- and a frozen list keeps the warnings its answer raised (unknown ids, repeats, cut to k).

ALTER TABLE candidates ADD COLUMN archived_at INTEGER;           -- Unix ms; NULL = in use

ALTER TABLE snapshots ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';  -- JSON array of strings
