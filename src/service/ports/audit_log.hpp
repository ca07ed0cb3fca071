// AuditLog: the audit trail (audit_log): one row for every change. Append-only. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/ports/records.hpp"

namespace flow::service {

struct AuditFilter {
  std::string actor_id;     // "" = any
  std::string target_type;  // "" = any
  std::string target_id;    // "" = any
  std::optional<std::int64_t> since;
  std::size_t limit = 100;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Returns the row with its id.
  virtual core::Result<AuditRecord> Append(AuditRecord record) = 0;
  // Newest first.
  virtual core::Result<std::vector<AuditRecord>> List(const AuditFilter& filter) = 0;
};

}  // namespace flow::service
