// Helpers of the end-to-end tests: a scratch directory and the flowtest binary.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/process.hpp"

namespace flow::testing {

// A fresh directory under the system temp dir, removed at destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "flowtest-e2e-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? pattern : std::string();
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }

 private:
  std::string path_;
};

inline std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string Flowtest() { return ShellQuote(FLOW_BINARY); }

// Runs flowtest with `args` (already shell-quoted where needed) in directory `cwd`.
inline ProcessResult RunFlowtest(const std::string& cwd, const std::string& args,
                                 const std::string& env = "") {
  return RunCommand("cd " + ShellQuote(cwd) + " && " + env + " " + Flowtest() + " " + args +
                    " </dev/null");
}

inline std::string SourceDir() {
  const char* dir = std::getenv("FLOW_SOURCE_DIR");
  return dir ? dir : ".";
}

}  // namespace flow::testing
