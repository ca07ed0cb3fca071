// Suite files for `call` steps and for the dependencies of a single-file run.
//
// FileSuiteSource loads the suite a `call` names, once per file (later calls reuse it), and
// refuses files outside the test directory (after resolving symbolic links), so a suite cannot
// make the runner read arbitrary files. Not thread-safe: one per runner thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/model/suite.hpp"
#include "core/ports/suite_source.hpp"

namespace flow::cli {

class FileSuiteSource final : public core::SuiteSource {
 public:
  explicit FileSuiteSource(std::string test_directory);
  core::Result<const core::Suite*> Load(const std::string& path) override;
  core::Result<std::string> ReadText(const std::string& path) override;

 private:
  // The text of `path` (`canonical` its resolved form) when it is a file inside the test
  // directory; `what` names such files in the hint, `noun` in "no <noun><path>".
  core::Result<std::string> ReadInside(const std::string& path, const std::string& canonical,
                                       const std::string& what, const std::string& noun) const;

  std::string root_;  // canonical test directory
  std::map<std::string, std::unique_ptr<core::Suite>> cache_;  // by canonical path
};

// The suite files below `root` (every *.yaml, *.yml and *.json that looks like a suite), by
// node_id, for finding the dependencies of the suites given on the command line. Files that do
// not parse are ignored here (the run reports the ones it loads).
std::map<std::string, std::string> IndexSuitesByNodeId(const std::string& root);

}  // namespace flow::cli
