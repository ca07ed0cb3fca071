-- The job queue's rows and manual retry requests (docs/data-model.md).

CREATE TYPE retry_request_status AS ENUM ('pending', 'approved', 'rejected', 'executed');
CREATE TYPE job_state AS ENUM ('waiting', 'active', 'stalled', 'failed', 'completed');

CREATE TABLE queue_job (
  id               uuid PRIMARY KEY,
  flow_run_id      uuid NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  queue_name       text NOT NULL DEFAULT 'runs',
  state            job_state NOT NULL DEFAULT 'waiting',
  attempts_made    integer NOT NULL DEFAULT 0,
  max_attempts     integer NOT NULL DEFAULT 3,
  last_error       text NOT NULL DEFAULT '',
  priority         flow_priority NOT NULL DEFAULT 'medium',
  run_at           timestamptz NOT NULL,
  lease_owner      text NOT NULL DEFAULT '',
  lease_expires_at timestamptz,
  epoch            bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
-- The claim: waiting jobs of a queue by priority, then run_at.
CREATE INDEX queue_job_claim ON queue_job (queue_name, state, priority, run_at, created_at);
CREATE INDEX queue_job_flow_run_id ON queue_job (flow_run_id);

-- The job that carries a run (set when its job is created).
ALTER TABLE flow_run ADD COLUMN queue_job_id uuid REFERENCES queue_job (id) ON DELETE SET NULL;
CREATE INDEX flow_run_queue_job_id ON flow_run (queue_job_id);

CREATE TABLE manual_retry_request (
  id               uuid PRIMARY KEY,
  flow_run_id      uuid NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  step_run_id      uuid REFERENCES step_run (id) ON DELETE CASCADE,
  requested_by     text NOT NULL,
  reason           text NOT NULL DEFAULT '',
  status           retry_request_status NOT NULL DEFAULT 'pending',
  resolution_notes text NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL,
  resolved_at      timestamptz
);
CREATE INDEX manual_retry_request_flow_run_id ON manual_retry_request (flow_run_id, created_at);
CREATE INDEX manual_retry_request_step_run_id ON manual_retry_request (step_run_id);
CREATE INDEX manual_retry_request_status ON manual_retry_request (status);
