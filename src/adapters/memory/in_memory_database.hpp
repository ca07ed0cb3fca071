// InMemoryDatabase: a service::Database kept in this process's memory, with every store (suites,
// runs, retries, jobs, users, audit). It follows the store interfaces' contracts as the SQLite and
// PostgreSQL ones do (ordering, conflicts, seq numbering, dedup of versions by yaml_hash, purge
// cascades), so the use cases' unit tests run against it; the repository conformance suite
// (tests/integration/store_conformance.hpp) holds it to the same tests as SQLite and PostgreSQL.
//
// What the SQL schema enforces, it checks too: references to a version, run, user that does not
// exist are kNotFound; a second user with an email, a second step with an id or seq, a second
// token with a hash are kConflict. Each call is atomic: it changes everything or nothing.
//
// Thread-safe: one mutex guards everything (each call is one "transaction"). Ids are random UUIDs
// and times the clock's, unless given.
#pragma once

#include <memory>
#include <string>

#include "core/ports/clock.hpp"
#include "core/ports/entropy.hpp"
#include "service/ports/database.hpp"

namespace flow::adapters {

class InMemoryDatabase final : public service::Database {
 public:
  // Null ports: the system clock and randomness. Borrowed ports must outlive the database; they
  // are only used under its mutex.
  explicit InMemoryDatabase(core::Clock* clock = nullptr, core::Entropy* entropy = nullptr);
  ~InMemoryDatabase() override;
  InMemoryDatabase(const InMemoryDatabase&) = delete;
  InMemoryDatabase& operator=(const InMemoryDatabase&) = delete;

  std::string Dialect() const override { return "memory"; }
  // Nothing to migrate: always the latest.
  core::Result<int> SchemaVersion() override { return LatestSchemaVersion(); }
  int LatestSchemaVersion() const override { return 1; }

  service::SuiteStore& suites() override;
  service::RunStore& runs() override;
  service::RetryStore& retries() override;
  service::JobStore& jobs() override;
  service::UserStore& users() override;
  service::AuditLog& audit() override;

 private:
  struct State;
  class Suites;
  class Runs;
  class Retries;
  class Jobs;
  class Users;
  class Audit;

  std::unique_ptr<State> state_;
  std::unique_ptr<Suites> suites_;
  std::unique_ptr<Runs> runs_;
  std::unique_ptr<Retries> retries_;
  std::unique_ptr<Jobs> jobs_;
  std::unique_ptr<Users> users_;
  std::unique_ptr<Audit> audit_;
};

}  // namespace flow::adapters
