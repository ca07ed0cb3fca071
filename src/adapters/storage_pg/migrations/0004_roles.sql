-- The RBAC roles, seeded (docs/data-model.md). service::BuiltInRoles() holds the same rows in the
-- same order; user_account.roles may name only these (the CHECK of migration 3 and the store).

CREATE TABLE role (
  name        text PRIMARY KEY,
  rank        integer NOT NULL UNIQUE,  -- 1 = most rights
  description text NOT NULL
);

INSERT INTO role (name, rank, description) VALUES
  ('admin', 1, 'everything: users, tokens, suites, runs, the queue and the audit trail'),
  ('operator', 2, 'suites and runs: run, answer inputs, retry, cancel; read the queue'),
  ('viewer', 3, 'read suites, runs, reports and the queue');
