-- Suites, their versions, runs and what runs record (docs/data-model.md). SQLite forms of the
-- PostgreSQL types: uuid -> TEXT, timestamptz -> INTEGER unix milliseconds, jsonb and text[] ->
-- TEXT holding JSON, enums -> TEXT checked against their labels.

CREATE TABLE flow_suite (
  id               TEXT PRIMARY KEY,
  node_id          TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  default_priority TEXT NOT NULL DEFAULT 'medium'
                   CHECK (default_priority IN ('critical', 'high', 'medium', 'low')),
  tags             TEXT NOT NULL DEFAULT '[]' CHECK (json_type(tags) = 'array'),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE flow_version (
  id                  TEXT PRIMARY KEY,
  suite_id            TEXT NOT NULL REFERENCES flow_suite (id) ON DELETE CASCADE,
  version             INTEGER NOT NULL CHECK (version > 0),
  yaml_raw            TEXT NOT NULL,
  yaml_hash           TEXT NOT NULL CHECK (length(yaml_hash) = 64),
  effective_variables TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(effective_variables)),
  compiled_config     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(compiled_config)),
  created_by          TEXT NOT NULL DEFAULT '',
  created_at          INTEGER NOT NULL,
  UNIQUE (suite_id, version),
  UNIQUE (suite_id, yaml_hash)
) STRICT;

CREATE TABLE flow_run (
  id             TEXT PRIMARY KEY,
  version_id     TEXT NOT NULL REFERENCES flow_version (id) ON DELETE CASCADE,
  batch_id       TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'waiting_input',
                                                 'completed', 'failed', 'cancelled')),
  trigger_source TEXT NOT NULL CHECK (trigger_source IN ('cli', 'api', 'schedule', 'dependency')),
  priority       TEXT NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  requested_by   TEXT NOT NULL DEFAULT '',
  queued_at      INTEGER NOT NULL,
  started_at     INTEGER,
  finished_at    INTEGER,
  input_payload  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(input_payload)),
  result_summary TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(result_summary)),
  retry_of       TEXT REFERENCES flow_run (id) ON DELETE SET NULL,
  checkpoint     TEXT CHECK (checkpoint IS NULL OR json_valid(checkpoint)),
  step_seq       INTEGER NOT NULL DEFAULT 0,
  event_seq      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX flow_run_status_priority_queued_at ON flow_run (status, priority, queued_at);
CREATE INDEX flow_run_queued_at ON flow_run (queued_at, id);
CREATE INDEX flow_run_version_id ON flow_run (version_id);
CREATE INDEX flow_run_batch_id ON flow_run (batch_id);
CREATE INDEX flow_run_retry_of ON flow_run (retry_of);

CREATE TABLE step_run (
  id                TEXT PRIMARY KEY,
  flow_run_id       TEXT NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  seq               INTEGER NOT NULL,
  step_index        INTEGER NOT NULL,
  step_name         TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('pending', 'running', 'waiting_input',
                                                    'success', 'warning', 'failed', 'skipped',
                                                    'aborted')),
  request_snapshot  TEXT CHECK (request_snapshot IS NULL OR json_valid(request_snapshot)),
  response_snapshot TEXT CHECK (response_snapshot IS NULL OR json_valid(response_snapshot)),
  assertions        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(assertions)),
  captures          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(captures)),
  error_details     TEXT CHECK (error_details IS NULL OR json_valid(error_details)),
  started_at        INTEGER,
  finished_at       INTEGER,
  duration_ms       REAL NOT NULL DEFAULT 0,
  attempt           INTEGER NOT NULL DEFAULT 1,
  depth             INTEGER NOT NULL DEFAULT 0,
  iteration         INTEGER,
  parent_step_id    TEXT NOT NULL DEFAULT '',
  outcome           TEXT CHECK (outcome IS NULL OR json_valid(outcome)),
  UNIQUE (flow_run_id, seq)
) STRICT;

CREATE TABLE step_log (
  id          INTEGER PRIMARY KEY,
  step_run_id TEXT NOT NULL REFERENCES step_run (id) ON DELETE CASCADE,
  log_level   TEXT NOT NULL CHECK (log_level IN ('debug', 'info', 'warn', 'error')),
  message     TEXT NOT NULL,
  payload     TEXT CHECK (payload IS NULL OR json_valid(payload)),
  timestamp   INTEGER NOT NULL
) STRICT;
CREATE INDEX step_log_step_run_id ON step_log (step_run_id);
-- retention deletes by age
CREATE INDEX step_log_timestamp ON step_log (timestamp);

CREATE TABLE variable_snapshot (
  id          INTEGER PRIMARY KEY,
  flow_run_id TEXT NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  step_run_id TEXT REFERENCES step_run (id) ON DELETE CASCADE,
  scope       TEXT NOT NULL CHECK (scope IN ('suite', 'step', 'global')),
  key         TEXT NOT NULL,
  value       TEXT NOT NULL CHECK (json_valid(value)),
  source      TEXT NOT NULL CHECK (source IN ('variable', 'capture', 'input', 'export')),
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX variable_snapshot_flow_run_id ON variable_snapshot (flow_run_id);
CREATE INDEX variable_snapshot_step_run_id ON variable_snapshot (step_run_id);

CREATE TABLE flow_run_event (
  flow_run_id TEXT NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  type        TEXT NOT NULL,
  payload     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (flow_run_id, seq)
) STRICT;
