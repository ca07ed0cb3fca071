#include "service/suites/suite_versions.hpp"

#include <gtest/gtest.h>

#include <algorithm>

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

TEST(SuiteVersions, TheSecretValuesWrittenInTheSuiteGoWithTheVersion) {
  const core::Suite suite = Load(R"(suite_name: s
node_id: s
variables:
  plain: hello
  password: s3cret-pw
  pin: {value: 4711, secret: true}
  shown: {value: visible, secret: false}
  from_env: {value: "{{$env.PASSWORD}}", secret: true}
  nested: {db: {api_key: "k-998877"}}
)" + std::string(kStep));
  std::vector<std::string> values = VersionOf(suite).secret_values;
  std::sort(values.begin(), values.end());
  EXPECT_EQ(values, (std::vector<std::string>{"4711", "k-998877", "s3cret-pw"}));
  // A suite with no secret written in it has none: it is stored as it is.
  EXPECT_TRUE(
      VersionOf(Load(std::string("suite_name: s\nnode_id: s\n") + kStep)).secret_values.empty());
}

TEST(SuiteVersions, CompiledConfigIsTheParsedSuiteWithSecretsMasked) {
  const core::Suite suite = Load(R"(suite_name: Login
node_id: auth
variables:
  password: {value: hunter2-long, secret: true}
  user: ann
steps:
  - name: one
    request: &req {method: GET, url: /get, headers: {X-Key: hunter2-long}}
  - name: two
    request:
      <<: *req
      url: /post
)");
  const NewVersion v = VersionOf(suite);
  const Value& c = v.compiled_config;
  EXPECT_EQ(c["suite_name"], "Login");
  EXPECT_EQ(c["variables"]["user"], "ann");
  EXPECT_EQ(c["variables"]["password"], (Value{{"value", "***"}, {"secret", true}}));
  // Merge keys and aliases resolved, as the loader read them; the secret masked there too.
  EXPECT_EQ(c["steps"][1]["request"]["method"], "GET");
  EXPECT_EQ(c["steps"][1]["request"]["url"], "/post");
  EXPECT_EQ(c["steps"][1]["request"]["headers"]["X-Key"], "***");
  EXPECT_FALSE(c["steps"][1]["request"].contains("<<"));
  EXPECT_EQ(core::DumpJson(c).find("hunter2"), std::string::npos);
  // Without secrets it is the document itself.
  const core::Suite open = Load(kSuite);
  EXPECT_EQ(VersionOf(open).compiled_config["steps"], open.document.root["steps"]);
}

TEST(SuiteVersions, AStoreWithoutAKeyKeepsTheTextWithItsSecretsMasked) {
  adapters::InMemoryDatabase db;
  const SavedVersion saved = SaveSuiteVersion(db.suites(), Load(kSuite)).value();
  EXPECT_EQ(saved.version.yaml_raw, kSuite);
  EXPECT_EQ(saved.version.yaml_hash, core::Sha256Hex(kSuite));  // the hash of the text as written
  const auto found = db.suites().FindVersion(saved.version.id).value();
  ASSERT_TRUE(found);
  EXPECT_EQ(found->yaml_raw.find("hunter2"), std::string::npos);
  EXPECT_NE(found->yaml_raw.find("password: {value: ***, secret: true}"), std::string::npos)
      << found->yaml_raw;
  EXPECT_EQ(found->yaml_hash, core::Sha256Hex(kSuite));
}

}  // namespace
}  // namespace flow::service
