-- Suites, their versions, runs and what runs record (docs/data-model.md).

-- Conversions the stores use in the SQL they share with SQLite (which defines them as the
-- identity): unix milliseconds <-> timestamptz, and JSON array text <-> text[].
CREATE FUNCTION flow_ts(ms bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN TIMESTAMPTZ 'epoch' + ms * INTERVAL '1 millisecond';
CREATE FUNCTION flow_ms(ts timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (extract(epoch FROM ts) * 1000)::bigint;
CREATE FUNCTION flow_text_array(js text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN ARRAY(SELECT json_array_elements_text(js::json));
CREATE FUNCTION flow_array_json(arr text[]) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN array_to_json(arr)::text;

-- Enumerations: labels in the order the design gives (priorities sort critical first).
CREATE TYPE flow_priority AS ENUM ('critical', 'high', 'medium', 'low');
CREATE TYPE run_status AS ENUM ('queued', 'running', 'waiting_input', 'completed', 'failed',
                                'cancelled');
CREATE TYPE trigger_source AS ENUM ('cli', 'api', 'schedule', 'dependency');
CREATE TYPE step_run_status AS ENUM ('pending', 'running', 'waiting_input', 'success', 'warning',
                                     'failed', 'skipped', 'aborted');
CREATE TYPE log_level AS ENUM ('debug', 'info', 'warn', 'error');
CREATE TYPE variable_scope AS ENUM ('suite', 'step', 'global');
CREATE TYPE variable_source AS ENUM ('variable', 'capture', 'input', 'export');

CREATE TABLE flow_suite (
  id               uuid PRIMARY KEY,
  node_id          text NOT NULL UNIQUE,
  name             text NOT NULL,
  description      text NOT NULL DEFAULT '',
  default_priority flow_priority NOT NULL DEFAULT 'medium',
  tags             text[] NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX flow_suite_tags_gin ON flow_suite USING gin (tags);

CREATE TABLE flow_version (
  id                  uuid PRIMARY KEY,
  suite_id            uuid NOT NULL REFERENCES flow_suite (id) ON DELETE CASCADE,
  version             integer NOT NULL CHECK (version > 0),
  yaml_raw            text NOT NULL,
  yaml_hash           char(64) NOT NULL CHECK (yaml_hash ~ '^[0-9a-f]{64}$'),
  effective_variables jsonb NOT NULL DEFAULT '{}',
  compiled_config     jsonb NOT NULL DEFAULT '{}',
  created_by          text NOT NULL DEFAULT '',
  created_at          timestamptz NOT NULL,
  CONSTRAINT flow_version_suite_version_key UNIQUE (suite_id, version),
  CONSTRAINT flow_version_suite_hash_key UNIQUE (suite_id, yaml_hash)
);

CREATE TABLE flow_run (
  id             uuid PRIMARY KEY,
  version_id     uuid NOT NULL REFERENCES flow_version (id) ON DELETE CASCADE,
  batch_id       text NOT NULL DEFAULT '',
  status         run_status NOT NULL,
  trigger_source trigger_source NOT NULL,
  priority       flow_priority NOT NULL,
  requested_by   text NOT NULL DEFAULT '',
  queued_at      timestamptz NOT NULL,
  started_at     timestamptz,
  finished_at    timestamptz,
  input_payload  jsonb NOT NULL DEFAULT '{}',
  result_summary jsonb NOT NULL DEFAULT '{}',
  retry_of       uuid REFERENCES flow_run (id) ON DELETE SET NULL,
  checkpoint     jsonb,
  -- the last seq given to a step_run and to a flow_run_event of this run
  step_seq       bigint NOT NULL DEFAULT 0,
  event_seq      bigint NOT NULL DEFAULT 0
);
CREATE INDEX flow_run_status_priority_queued_at ON flow_run (status, priority, queued_at);
CREATE INDEX flow_run_queued_at ON flow_run (queued_at, id);
CREATE INDEX flow_run_version_id ON flow_run (version_id);
CREATE INDEX flow_run_batch_id ON flow_run (batch_id);
CREATE INDEX flow_run_retry_of ON flow_run (retry_of);
CREATE INDEX flow_run_result_summary_gin ON flow_run USING gin (result_summary);

CREATE TABLE step_run (
  id                uuid PRIMARY KEY,
  flow_run_id       uuid NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  seq               bigint NOT NULL,
  step_index        integer NOT NULL,
  step_name         text NOT NULL,
  status            step_run_status NOT NULL,
  request_snapshot  jsonb,
  response_snapshot jsonb,
  assertions        jsonb NOT NULL DEFAULT '[]',
  captures          jsonb NOT NULL DEFAULT '{}',
  error_details     jsonb,
  started_at        timestamptz,
  finished_at       timestamptz,
  duration_ms       double precision NOT NULL DEFAULT 0,
  attempt           integer NOT NULL DEFAULT 1,
  depth             integer NOT NULL DEFAULT 0,
  iteration         integer,
  parent_step_id    text NOT NULL DEFAULT '',
  outcome           jsonb,
  CONSTRAINT step_run_run_seq_key UNIQUE (flow_run_id, seq)
);

-- Partitioned by month of `timestamp`; the partitions (step_log_pYYYY_MM) are created ahead by
-- the application and dropped whole by `flowtest db retention`.
CREATE TABLE step_log (
  id          bigserial,
  step_run_id uuid NOT NULL REFERENCES step_run (id) ON DELETE CASCADE,
  log_level   log_level NOT NULL,
  message     text NOT NULL,
  payload     jsonb,
  timestamp   timestamptz NOT NULL,
  PRIMARY KEY (id, timestamp)
) PARTITION BY RANGE (timestamp);
CREATE INDEX step_log_step_run_id ON step_log (step_run_id);

CREATE TABLE variable_snapshot (
  id          bigserial PRIMARY KEY,
  flow_run_id uuid NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  step_run_id uuid REFERENCES step_run (id) ON DELETE CASCADE,
  scope       variable_scope NOT NULL,
  key         text NOT NULL,
  value       jsonb NOT NULL,
  source      variable_source NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX variable_snapshot_flow_run_id ON variable_snapshot (flow_run_id);
CREATE INDEX variable_snapshot_step_run_id ON variable_snapshot (step_run_id);

CREATE TABLE flow_run_event (
  flow_run_id uuid NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  seq         bigint NOT NULL,
  type        text NOT NULL,
  payload     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (flow_run_id, seq)
);
