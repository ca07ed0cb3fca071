// Database: one opened database (SQLite file or PostgreSQL) and its stores. Opening applies the
// pending migrations (and refuses a database whose schema is newer than this binary). The stores
// it hands out are owned by it and thread-safe.
#pragma once

#include <string>

#include "core/result.hpp"
#include "service/ports/audit_log.hpp"
#include "service/ports/job_store.hpp"
#include "service/ports/retry_store.hpp"
#include "service/ports/run_store.hpp"
#include "service/ports/suite_store.hpp"
#include "service/ports/user_store.hpp"

namespace flow::service {

class Database {
 public:
  virtual ~Database() = default;
  virtual std::string Dialect() const = 0;  // "sqlite" or "postgres"
  // The schema version now, and the newest this binary knows.
  virtual core::Result<int> SchemaVersion() = 0;
  virtual int LatestSchemaVersion() const = 0;

  virtual SuiteStore& suites() = 0;
  virtual RunStore& runs() = 0;
  virtual RetryStore& retries() = 0;
  virtual JobStore& jobs() = 0;
  virtual UserStore& users() = 0;
  virtual AuditLog& audit() = 0;

  // Upkeep the database may do while its caller has nothing better to do, so that it is not done
  // at a worse time. SQLite: folds the write-ahead log back into the file, kWhenDue (a background
  // writer between batches) once it holds 1000 pages (else the commit that passes 4000 pages does
  // it), kNow once it is longer than 1 MB (a process that opened the database, while its suites
  // load). Failing is harmless: it is tried again next time.
  enum class Upkeep { kWhenDue, kNow };
  virtual core::Result<void> Housekeep(Upkeep = Upkeep::kWhenDue) { return core::Ok(); }
  // Gets ready to record runs, for a process about to record one, on a thread of its own while
  // it does something else (`flowtest run`: while its suites load): opens the connections the
  // recording will use and prepares the statements it runs, so that its first writes do not.
  // Failing is harmless: the recording opens and prepares what it needs itself.
  virtual core::Result<void> PrepareToRecord() { return core::Ok(); }
};

}  // namespace flow::service
