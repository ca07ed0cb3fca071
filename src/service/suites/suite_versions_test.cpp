#include "service/suites/suite_versions.hpp"

#include <gtest/gtest.h>

#include "adapters/memory/in_memory_database.hpp"
#include "core/util/digest.hpp"

namespace flow::service {
namespace {

core::Suite Load(const std::string& text, const std::string& file = "tests/auth.yaml") {
  core::SuiteLoad load = core::LoadSuite(text, file);
  EXPECT_TRUE(load.suite) << (load.errors.empty() ? "" : load.errors[0].message);
  return std::move(*load.suite);
}

constexpr const char* kSuite = R"(suite_name: Login
node_id: auth
description: Logs in
metadata:
  priority: high
  tags: [smoke, auth]
variables:
  user: ann
  password: {value: hunter2, secret: true}
  url: "{{base}}/login"
steps:
  - name: one
    request: {method: GET, url: /get}
)";

TEST(SuiteVersions, AVersionCarriesTheSuiteAsWritten) {
  const core::Suite suite = Load(kSuite);
  const NewVersion v = VersionOf(suite, "u1");
  EXPECT_EQ(v.node_id, "auth");
  EXPECT_EQ(v.name, "Login");
  EXPECT_EQ(v.description, "Logs in");
  EXPECT_EQ(v.default_priority, Priority::kHigh);
  EXPECT_EQ(v.tags, (std::vector<std::string>{"smoke", "auth"}));
  EXPECT_EQ(v.yaml_raw, kSuite);  // what runs again
  EXPECT_EQ(v.created_by, "u1");
  // The variables as written: templates unrendered, secrets masked.
  EXPECT_EQ(v.effective_variables["user"], "ann");
  EXPECT_EQ(v.effective_variables["url"], "{{base}}/login");
  EXPECT_EQ(v.effective_variables["password"], "***");
  EXPECT_EQ(core::DumpJson(v.effective_variables).find("hunter2"), std::string::npos);
}

constexpr const char* kStep = "steps:\n  - name: one\n    request: {method: GET, url: /get}\n";

TEST(SuiteVersions, VariablesThatLookSecretAreMaskedTemplatesStay) {
  const core::Suite suite = Load(R"(suite_name: s
node_id: s
variables:
  api_token: tk-5d41402abc4b
  from_env: {value: "{{$env.PASSWORD}}", secret: true}
  greeting: hello
)" + std::string(kStep));
  const NewVersion v = VersionOf(suite);
  EXPECT_EQ(v.effective_variables["api_token"], "***");
  EXPECT_EQ(v.effective_variables["from_env"], "***");
  EXPECT_EQ(v.effective_variables["greeting"], "hello");
}

TEST(SuiteVersions, ProjectPrioritiesAreStoredAsMedium) {
  const auto with_priority = [](const std::string& priority) {
    return Load("suite_name: s\nnode_id: s\nmetadata: {priority: " + priority + "}\n" + kStep);
  };
  EXPECT_EQ(StoredPriority(with_priority("p9")), Priority::kMedium);
  EXPECT_EQ(StoredPriority(with_priority("critical")), Priority::kCritical);
}

TEST(SuiteVersions, SavingTheSameTextTwiceFindsTheFirstVersion) {
  adapters::InMemoryDatabase db;
  const core::Suite suite = Load(kSuite);
  const SavedVersion first = SaveSuiteVersion(db.suites(), suite).value();
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.version.yaml_hash, core::Sha256Hex(kSuite));
  const SavedVersion again = SaveSuiteVersion(db.suites(), Load(kSuite, "elsewhere/a.yaml")).value();
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.version.id, first.version.id);
  const SavedVersion edited =
      SaveSuiteVersion(db.suites(), Load(std::string(kSuite) + "# edited\n")).value();
  EXPECT_TRUE(edited.created);
  EXPECT_EQ(edited.version.version, 2);
}

}  // namespace
}  // namespace flow::service
