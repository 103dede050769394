-- The outbox drains in the order judgements were made on this device (device_seq: no clock
-- involved, so an edit never travels before the judgement it supersedes, even when the clock
-- went back), and a batch is found through an index instead of sorting the whole backlog.

ALTER TABLE outbox ADD COLUMN device_seq INTEGER;

UPDATE outbox SET device_seq = (SELECT j.device_seq FROM judgements j WHERE j.op_id = outbox.op_id);

DROP INDEX outbox_pending;

CREATE INDEX outbox_pending ON outbox (device_seq) WHERE sent_at IS NULL;
