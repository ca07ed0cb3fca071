// Helpers of the schema and fmt conformance tests: the shared suites, and the JSON Schema
// validator they run (python3-jsonschema through tests/support/validate_json_schema.py). Tests only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/value.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_data.hpp"

namespace flow::testing {

inline std::string SourceDirectory() {
  const char* dir = std::getenv("FLOW_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

// ../shared/conformance/original-suites, when FLOW_SHARED_DIR has it.
inline std::optional<std::filesystem::path> OriginalSuitesDir() {
  const char* shared = std::getenv("FLOW_SHARED_DIR");
  if (shared == nullptr) return std::nullopt;
  const std::filesystem::path dir = std::filesystem::path(shared) / "conformance" / "original-suites";
  if (!std::filesystem::is_directory(dir / "examples")) return std::nullopt;
  return dir;
}

inline std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline bool ToolsRequired() {
  for (const char* name : {"FLOW_REQUIRE_SERVICES", "FLOW_REQUIRE_SHARED"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && std::string(value) == "1") return true;
  }
  return false;
}

struct SchemaInstance {
  std::string name;
  core::Value value;
};
struct SchemaVerdict {
  bool valid = false;
  std::string error;
};

// Validates every instance against `schema`; nullopt with `problem` when the validator did not
// run, and `missing` set when that is because python3-jsonschema is not installed.
inline std::optional<std::map<std::string, SchemaVerdict>> ValidateWithJsonSchema(
    const core::Value& schema, const std::vector<SchemaInstance>& instances, std::string& skip_reason,
    bool& missing) {
  missing = false;
  char path[] = "/tmp/flowtest-schema-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) {
    skip_reason = "cannot create a temporary file";
    return std::nullopt;
  }
  ::close(fd);
  {
    core::Value input = {{"schema", schema}, {"instances", core::Value::array()}};
    for (const SchemaInstance& instance : instances) {
      input["instances"].push_back({{"name", instance.name}, {"value", instance.value}});
    }
    std::ofstream(path, std::ios::binary) << core::DumpJson(input);
  }
  const std::string script = SourceDirectory() + "/tests/support/validate_json_schema.py";
  const ProcessResult result = RunCommand("python3 " + ShellQuote(script) + " " + ShellQuote(path) + " 2>&1");
  std::filesystem::remove(path);
  if (result.exit_code != 0) {
    missing = result.exit_code == 3;
    skip_reason = "the JSON Schema validator did not run: " + result.output;
    return std::nullopt;
  }
  std::map<std::string, SchemaVerdict> verdicts;
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) {
    const core::Value v = core::Value::parse(line, nullptr, false);
    if (!v.is_object()) continue;
    verdicts[v["name"].get<std::string>()] = {v["valid"].get<bool>(), v["error"].get<std::string>()};
  }
  if (verdicts.size() != instances.size()) {
    skip_reason = "the JSON Schema validator answered for " + std::to_string(verdicts.size()) + " of " +
                  std::to_string(instances.size()) + " documents: " + result.output.substr(0, 2000);
    return std::nullopt;
  }
  return verdicts;
}

}  // namespace flow::testing

// Skips the test (or fails it, when CI requires every tool) with `reason`.
#define FLOW_SKIP_OR_FAIL_MISSING_TOOL(reason)                                \
  do {                                                                        \
    if (::flow::testing::ToolsRequired()) {                                   \
      FAIL() << (reason) << " (FLOW_REQUIRE_SERVICES/FLOW_REQUIRE_SHARED=1)"; \
    }                                                                         \
    GTEST_SKIP() << (reason);                                                 \
  } while (0)
