-- Enumeration CHECKs as comparisons joined by OR instead of IN lists: SQLite builds a temporary
-- table for every IN list of more than two constants each time a row is written, which made
-- recording a step (step_run, variable_snapshot) about twice as slow as it needs to be
-- (bench/README.md). The accepted values do not change.
--
-- A CHECK constraint leaves the stored rows as they are, so the tables are not rebuilt: their
-- definitions are edited in sqlite_schema, the documented way for such changes
-- (https://sqlite.org/lang_altertable.html, "making other kinds of table schema changes"). The
-- throw-away table at the end changes the schema version, so that every open connection reads
-- the new definitions.

PRAGMA writable_schema = ON;

UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (default_priority IN (''critical'', ''high'', ''medium'', ''low''))',
    'CHECK (default_priority = ''critical'' OR default_priority = ''high'' OR default_priority = ''medium'' OR default_priority = ''low'')')
  WHERE type = 'table' AND name = 'flow_suite';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''queued'', ''running'', ''waiting_input'',
                                                 ''completed'', ''failed'', ''cancelled''))',
    'CHECK (status = ''queued'' OR status = ''running'' OR status = ''waiting_input'' OR status = ''completed'' OR status = ''failed'' OR status = ''cancelled'')')
  WHERE type = 'table' AND name = 'flow_run';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (trigger_source IN (''cli'', ''api'', ''schedule'', ''dependency''))',
    'CHECK (trigger_source = ''cli'' OR trigger_source = ''api'' OR trigger_source = ''schedule'' OR trigger_source = ''dependency'')')
  WHERE type = 'table' AND name = 'flow_run';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (priority IN (''critical'', ''high'', ''medium'', ''low''))',
    'CHECK (priority = ''critical'' OR priority = ''high'' OR priority = ''medium'' OR priority = ''low'')')
  WHERE type = 'table' AND name = 'flow_run';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''pending'', ''running'', ''waiting_input'',
                                                    ''success'', ''warning'', ''failed'', ''skipped'',
                                                    ''aborted''))',
    'CHECK (status = ''pending'' OR status = ''running'' OR status = ''waiting_input'' OR status = ''success'' OR status = ''warning'' OR status = ''failed'' OR status = ''skipped'' OR status = ''aborted'')')
  WHERE type = 'table' AND name = 'step_run';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (log_level IN (''debug'', ''info'', ''warn'', ''error''))',
    'CHECK (log_level = ''debug'' OR log_level = ''info'' OR log_level = ''warn'' OR log_level = ''error'')')
  WHERE type = 'table' AND name = 'step_log';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (scope IN (''suite'', ''step'', ''global''))',
    'CHECK (scope = ''suite'' OR scope = ''step'' OR scope = ''global'')')
  WHERE type = 'table' AND name = 'variable_snapshot';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (source IN (''variable'', ''capture'', ''input'', ''export''))',
    'CHECK (source = ''variable'' OR source = ''capture'' OR source = ''input'' OR source = ''export'')')
  WHERE type = 'table' AND name = 'variable_snapshot';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''waiting'', ''active'', ''stalled'', ''failed'', ''completed''))',
    'CHECK (state = ''waiting'' OR state = ''active'' OR state = ''stalled'' OR state = ''failed'' OR state = ''completed'')')
  WHERE type = 'table' AND name = 'queue_job';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (priority IN (''critical'', ''high'', ''medium'', ''low''))',
    'CHECK (priority = ''critical'' OR priority = ''high'' OR priority = ''medium'' OR priority = ''low'')')
  WHERE type = 'table' AND name = 'queue_job';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''pending'', ''approved'', ''rejected'', ''executed''))',
    'CHECK (status = ''pending'' OR status = ''approved'' OR status = ''rejected'' OR status = ''executed'')')
  WHERE type = 'table' AND name = 'manual_retry_request';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (disabled IN (0, 1))',
    'CHECK (disabled = 0 OR disabled = 1)')
  WHERE type = 'table' AND name = 'user_account';
PRAGMA writable_schema = RESET;
CREATE TABLE flowtest_schema_changed (x INTEGER) STRICT;
DROP TABLE flowtest_schema_changed;
