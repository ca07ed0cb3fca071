// RetryStore: manual retry requests (manual_retry_request): pending -> approved -> executed, or
// rejected. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/ports/records.hpp"

namespace flow::service {

class RetryStore {
 public:
  virtual ~RetryStore() = default;
  // id and created_at are made by the store when empty/0; status must be pending.
  virtual core::Result<RetryRequestRecord> CreateRetryRequest(RetryRequestRecord request) = 0;
  // Moves a request on: pending -> approved | rejected, approved -> executed. Any other move is
  // kConflict (also when another caller moved it first); kNotFound for an unknown id.
  virtual core::Result<RetryRequestRecord> ResolveRetryRequest(const std::string& id,
                                                               RetryRequestStatus to,
                                                               std::string notes,
                                                               std::int64_t at) = 0;
  virtual core::Result<std::optional<RetryRequestRecord>> FindRetryRequest(
      const std::string& id) = 0;
  virtual core::Result<std::vector<RetryRequestRecord>> ListRetryRequests(
      const std::string& flow_run_id) = 0;
};

}  // namespace flow::service
