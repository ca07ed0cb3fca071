// `flowtest fmt` on every suite and config file of the shared conformance data and of
// examples/: the formatted file loads to the same document (keys in any order, every value the
// same), a suite the validator accepted is still accepted with the same steps and warnings, and
// formatting the result again changes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/fmt/suite_formatter.hpp"
#include "core/model/suite.hpp"
#include "core/parse/document.hpp"
#include "tests/support/schema_test_support.hpp"

namespace flow::testing {
namespace {

using core::Value;

// Equal as loaded documents: objects by key whatever the order, numbers of the same kind.
bool SameValue(const Value& a, const Value& b, std::string& where, const std::string& pointer = "") {
  if (a.type() != b.type() && !(a.is_number_integer() && b.is_number_integer())) {
    where = pointer + ": " + a.dump() + " became " + b.dump();
    return false;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) {
      where = pointer + ": " + std::to_string(a.size()) + " keys became " + std::to_string(b.size());
      return false;
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key())) {
        where = pointer + "/" + it.key() + " is missing";
        return false;
      }
      if (!SameValue(it.value(), b[it.key()], where, pointer + "/" + it.key())) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) {
      where = pointer + ": the list's length changed";
      return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!SameValue(a[i], b[i], where, pointer + "/" + std::to_string(i))) return false;
    }
    return true;
  }
  if (a != b) {
    where = pointer + ": " + a.dump() + " became " + b.dump();
    return false;
  }
  return true;
}

std::vector<std::filesystem::path> Files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FmtConformance, EverySharedSuiteAndExampleKeepsItsMeaningAndIsStable) {
  const std::optional<std::filesystem::path> shared = OriginalSuitesDir();
  if (!shared) FLOW_SKIP_OR_FAIL_MISSING_SHARED("no original-suites under FLOW_SHARED_DIR");
  std::size_t formatted = 0, changed = 0;
  for (const std::filesystem::path& dir : {*shared, std::filesystem::path(SourceDirectory()) / "examples"}) {
    for (const std::filesystem::path& path : Files(dir)) {
      const std::string file = path.string();
      const std::string text = ReadWholeFile(path);
      core::Result<core::Document> original = core::ParseDocument(text, file);
      if (!original) continue;  // fmt refuses what the loader refuses (SuiteFormatter tests)
      const bool config = path.filename().string().rfind("flow-test", 0) == 0;
      core::Result<std::string> out =
          core::FormatSuiteText(text, file, config ? core::FormatRoot::kConfig : core::FormatRoot::kSuite);
      ASSERT_TRUE(out.has_value()) << file << ": " << out.error().message << " (line "
                                   << (out.error().where ? out.error().where->line : 0) << ")";
      ++formatted;
      if (*out != text) ++changed;
      core::Result<core::Document> again = core::ParseDocument(*out, file);
      ASSERT_TRUE(again.has_value()) << file << ": " << again.error().message << "\n" << *out;
      std::string where;
      EXPECT_TRUE(SameValue(original->root, again->root, where)) << file << where;
      core::Result<std::string> twice =
          core::FormatSuiteText(*out, file, config ? core::FormatRoot::kConfig : core::FormatRoot::kSuite);
      ASSERT_TRUE(twice.has_value()) << file << ": " << twice.error().message;
      EXPECT_EQ(*twice, *out) << file << ": fmt is not idempotent";
      if (config) continue;
      const core::SuiteLoad before = core::LoadSuite(text, file);
      const core::SuiteLoad after = core::LoadSuite(*out, file);
      EXPECT_EQ(before.errors.empty(), after.errors.empty()) << file;
      EXPECT_EQ(before.warnings.size(), after.warnings.size()) << file;
      if (before.suite && after.suite) {
        EXPECT_EQ(before.suite->steps.size(), after.suite->steps.size()) << file;
      }
    }
  }
  EXPECT_GT(formatted, 70u);
  EXPECT_GT(changed, 10u);  // the shared suites are not all canonical already
}

}  // namespace
}  // namespace flow::testing
