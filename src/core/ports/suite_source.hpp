// SuiteSource: how the runner gets the suite file a `call` step names, and other files a suite
// names (`script_file`). The CLI's implementation
// reads and loads files (cached), and refuses paths outside the test directory; the service's
// reads its stored suites.
#pragma once

#include <string>

#include "core/result.hpp"

namespace flow::core {

struct Suite;

class SuiteSource {
 public:
  virtual ~SuiteSource() = default;
  // `path` as the runner resolved it (the caller's directory or the test directory joined with
  // the call's `test`, normalised). The suite stays valid as long as the source lives.
  // Errors: not found (kNotFound), outside the test directory (kPermissionDenied), invalid
  // (kInvalidArgument, with the file's diagnostics in the message).
  virtual Result<const Suite*> Load(const std::string& path) = 0;
  // The text of another file a suite names (a `script_file`), under the same rules as Load.
  virtual Result<std::string> ReadText(const std::string& path) = 0;
};

}  // namespace flow::core
