-- 0002_change_log: the outbox becomes the change log that every instance
-- follows. Rows are no longer deleted when indexed, only pruned by age;
-- log_positions holds the named positions kept in the store: the horizon
-- (the highest position pruned) and the search indexers' checkpoints.
CREATE TABLE log_positions (
	name TEXT PRIMARY KEY,
	seq  BIGINT NOT NULL
);
CREATE INDEX outbox_created_at ON outbox (created_at);
