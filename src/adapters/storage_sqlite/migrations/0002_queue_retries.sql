-- The job queue's rows and manual retry requests (docs/data-model.md).

CREATE TABLE queue_job (
  id               TEXT PRIMARY KEY,
  flow_run_id      TEXT NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  queue_name       TEXT NOT NULL DEFAULT 'runs',
  state            TEXT NOT NULL DEFAULT 'waiting'
                   CHECK (state IN ('waiting', 'active', 'stalled', 'failed', 'completed')),
  attempts_made    INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL DEFAULT 3,
  last_error       TEXT NOT NULL DEFAULT '',
  priority         TEXT NOT NULL DEFAULT 'medium'
                   CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  run_at           INTEGER NOT NULL,
  lease_owner      TEXT NOT NULL DEFAULT '',
  lease_expires_at INTEGER,
  epoch            INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX queue_job_claim ON queue_job (queue_name, state, priority, run_at, created_at);
CREATE INDEX queue_job_flow_run_id ON queue_job (flow_run_id);

-- The job that carries a run (set when its job is created).
ALTER TABLE flow_run ADD COLUMN queue_job_id TEXT REFERENCES queue_job (id) ON DELETE SET NULL;
CREATE INDEX flow_run_queue_job_id ON flow_run (queue_job_id);

CREATE TABLE manual_retry_request (
  id               TEXT PRIMARY KEY,
  flow_run_id      TEXT NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  step_run_id      TEXT REFERENCES step_run (id) ON DELETE CASCADE,
  requested_by     TEXT NOT NULL,
  reason           TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'approved', 'rejected', 'executed')),
  resolution_notes TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  resolved_at      INTEGER
) STRICT;
CREATE INDEX manual_retry_request_flow_run_id ON manual_retry_request (flow_run_id, created_at);
CREATE INDEX manual_retry_request_step_run_id ON manual_retry_request (step_run_id);
CREATE INDEX manual_retry_request_status ON manual_retry_request (status);
