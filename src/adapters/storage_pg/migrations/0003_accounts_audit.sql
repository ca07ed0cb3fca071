-- Accounts, API tokens and the audit trail (docs/data-model.md). Roles are the fixed set
-- admin, operator, viewer, checked on write.

CREATE TABLE user_account (
  id            uuid PRIMARY KEY,
  email         text NOT NULL UNIQUE CHECK (email = lower(email)),
  name          text NOT NULL DEFAULT '',
  password_hash text NOT NULL,
  roles         text[] NOT NULL DEFAULT '{}'
                CHECK (roles <@ ARRAY['admin', 'operator', 'viewer']::text[]),
  mfa_secret    text NOT NULL DEFAULT '',
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL,
  last_login_at timestamptz
);

CREATE TABLE api_token (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
  name         text NOT NULL,
  prefix       text NOT NULL,
  hash         text NOT NULL UNIQUE,
  scopes       text[] NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_token_user_id ON api_token (user_id);

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  actor_id    text NOT NULL DEFAULT '',
  action      text NOT NULL,
  target_type text NOT NULL DEFAULT '',
  target_id   text NOT NULL DEFAULT '',
  metadata    jsonb NOT NULL DEFAULT '{}',
  ip_address  text NOT NULL DEFAULT '',
  user_agent  text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL
);
CREATE INDEX audit_log_created_at ON audit_log (created_at, id);
CREATE INDEX audit_log_actor_id ON audit_log (actor_id, created_at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, created_at);
