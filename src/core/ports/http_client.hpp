// HttpClient: how the core sends a request. One instance per run (it keeps connections open
// between steps); not shared between threads.
#pragma once

#include "core/model/http.hpp"
#include "core/result.hpp"

namespace flow::core {

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // A response of any status is a value; only a request that got no response is an Error:
  // kUnavailable (refused, DNS, TLS, connection reset) or kTimeout, with a clear message.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace flow::core
