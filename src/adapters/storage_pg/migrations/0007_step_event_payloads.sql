-- A step's own event (step_completed) names its step, step_run.seq of the same run, in step_seq,
-- and no longer stores a payload of its own ('{}'): the reads make it again from the step's row
-- (RunStore::ListEvents returns the step with the event). As in SQLite's 0007, not a declared
-- foreign key: events and steps both go with their run. Events recorded before keep their
-- payloads, with step_seq NULL.

ALTER TABLE flow_run_event ADD COLUMN step_seq bigint CHECK (step_seq IS NULL OR step_seq > 0);
