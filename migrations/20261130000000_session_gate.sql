-- The report: a session names its challenger (beside the incumbent) and may set its own release
-- gate thresholds.

ALTER TABLE review_sessions ADD COLUMN challenger_candidate_id TEXT REFERENCES candidates (id);

-- JSON object of gate thresholds (screening_core::report::GateThresholds); NULL = the defaults.
ALTER TABLE review_sessions ADD COLUMN gate TEXT;
