-- Accounts, API tokens and the audit trail (docs/data-model.md). Roles are the fixed set
-- admin, operator, viewer, checked on write
-- (by the store: SQLite allows no subquery in a CHECK).

CREATE TABLE user_account (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
  name          TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  roles         TEXT NOT NULL DEFAULT '[]'
                CHECK (json_type(roles) = 'array'),  -- the labels are checked by the store
  mfa_secret    TEXT NOT NULL DEFAULT '',
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    INTEGER NOT NULL,
  last_login_at INTEGER
) STRICT;

CREATE TABLE api_token (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  prefix       TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  scopes       TEXT NOT NULL DEFAULT '[]' CHECK (json_type(scopes) = 'array'),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  last_used_at INTEGER,
  revoked_at   INTEGER
) STRICT;
CREATE INDEX api_token_user_id ON api_token (user_id);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  actor_id    TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL DEFAULT '',
  target_id   TEXT NOT NULL DEFAULT '',
  metadata    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  ip_address  TEXT NOT NULL DEFAULT '',
  user_agent  TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_created_at ON audit_log (created_at, id);
CREATE INDEX audit_log_actor_id ON audit_log (actor_id, created_at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, created_at);
