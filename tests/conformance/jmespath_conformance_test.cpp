// Runs every case of the upstream JMESPath compliance files ($FLOW_SHARED_DIR/conformance/
// jmespath/*.json, kept unchanged) against our implementation: one failure per failing case.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/jmespath/jmespath.hpp"
#include "core/value.hpp"

namespace flow::core::jmespath {
namespace {

namespace fs = std::filesystem;

struct Tally {
  int run = 0;
  int failed = 0;
};

std::string Describe(const std::string& file, int index, const Value& test_case) {
  return file + " case #" + std::to_string(index) + " expression " +
         DumpJson(test_case.value("expression", Value()));
}

void RunCase(const std::string& file, int index, const Value& given, const Value& test_case,
             Tally& tally) {
  ++tally.run;
  const std::string where = Describe(file, index, test_case);
  if (!test_case.contains("expression") || !test_case["expression"].is_string()) {
    ++tally.failed;
    ADD_FAILURE() << where << ": case has no expression";
    return;
  }
  const std::string expression = test_case["expression"].get<std::string>();
  const Result<Value> result = Search(expression, given);
  if (test_case.contains("error")) {
    const std::string wanted = test_case["error"].get<std::string>();
    if (result.has_value()) {
      ++tally.failed;
      ADD_FAILURE() << where << ": expected error " << wanted << ", got result "
                    << DumpJson(*result);
    } else if (result.error().reason != wanted ||
               result.error().code != ErrorCode::kInvalidArgument) {
      ++tally.failed;
      ADD_FAILURE() << where << ": expected error " << wanted << ", got " << result.error().reason
                    << ": " << result.error().message;
    }
    return;
  }
  if (!result.has_value()) {
    ++tally.failed;
    ADD_FAILURE() << where << ": unexpected error " << result.error().reason << ": "
                  << result.error().message;
    return;
  }
  // Benchmark cases without "result" only have to evaluate.
  if (test_case.contains("result") && !DeepEqual(*result, test_case["result"])) {
    ++tally.failed;
    ADD_FAILURE() << where << ": expected " << DumpJson(test_case["result"]) << ", got "
                  << DumpJson(*result);
  }
}

TEST(JmesPathConformance, EveryComplianceCasePasses) {
  const char* shared = std::getenv("FLOW_SHARED_DIR");
  const fs::path folder = fs::path(shared ? shared : "") / "conformance" / "jmespath";
  std::error_code ec;
  if (shared == nullptr || !fs::is_directory(folder, ec)) {
    const char* require = std::getenv("FLOW_REQUIRE_SHARED");
    if (require != nullptr && std::string(require) == "1") {
      FAIL() << "jmespath compliance folder " << folder << " is missing (FLOW_REQUIRE_SHARED=1)";
    }
    GTEST_SKIP() << "jmespath compliance folder " << folder
                 << " is missing; set FLOW_SHARED_DIR to the shared/ folder";
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty()) << "no *.json files in " << folder;

  Tally tally;
  for (const fs::path& path : files) {
    const std::string file = path.filename().string();
    std::ifstream stream(path, std::ios::binary);
    std::stringstream text;
    text << stream.rdbuf();
    const Value suite = Value::parse(text.str(), nullptr, false);
    if (!suite.is_array()) {
      ADD_FAILURE() << file << ": not a json array of test groups";
      continue;
    }
    int index = 0;
    for (const Value& group : suite) {
      const Value given = group.value("given", Value());
      if (!group.contains("cases") || !group["cases"].is_array()) {
        ADD_FAILURE() << file << ": a test group has no cases";
        continue;
      }
      for (const Value& test_case : group["cases"]) RunCase(file, index++, given, test_case, tally);
    }
  }
  EXPECT_GT(tally.run, 800) << "too few compliance cases ran";
  EXPECT_EQ(tally.failed, 0) << tally.failed << " of " << tally.run << " cases failed";
  std::cout << "jmespath compliance: " << tally.run << " cases run, " << tally.failed
            << " failing\n";
}

}  // namespace
}  // namespace flow::core::jmespath
