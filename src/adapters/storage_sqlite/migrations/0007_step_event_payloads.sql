-- A step's own event (step_completed) names its step, step_run.seq of the same run, in step_seq,
-- and no longer stores a payload of its own ('{}'): that payload is a summary of the step's row
-- (status, duration, request and response lines, assertion counts, failures, error), which the
-- reads make again from the row (RunStore::ListEvents returns the step with the event). Writing
-- it a second time for every step cost about a tenth of recording a run (bench/README.md).
--
-- Not a declared foreign key: events and steps both go with their run (ON DELETE CASCADE from
-- flow_run), nothing deletes a step alone, and a declared key would need one more index written
-- at every step. Events recorded before keep their payloads, with step_seq NULL.

ALTER TABLE flow_run_event ADD COLUMN step_seq INTEGER CHECK (step_seq IS NULL OR step_seq > 0);
