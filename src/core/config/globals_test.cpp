#include "core/config/globals.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace flow::core {
namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

Config WithVariables(Value variables) {
  Config config;
  config.globals.variables = std::move(variables);
  return config;
}

TEST(Globals, ConfigVariablesComeFirstInFileOrder) {
  const Value globals =
      BuildGlobals(WithVariables(Value{{"b", 1}, {"a", Value{{"nested", true}}}}), {});
  EXPECT_EQ(DumpJson(globals), R"({"b":1,"a":{"nested":true}})");
}

TEST(Globals, FlowTestVariablesBecomeLowerCaseGlobals) {
  const Value globals = BuildGlobals(
      Config{},
      {{"FLOW_TEST_HTTPBIN_URL", "http://h:1"}, {"PATH", "/bin"}, {"FLOW_TEST_Api_Key", "k"}});
  EXPECT_EQ(DumpJson(globals), R"({"httpbin_url":"http://h:1","api_key":"k"})");
}

TEST(Globals, EnvironmentWinsOverConfigInPlace) {
  const Value globals = BuildGlobals(
      WithVariables(Value{{"httpbin_url", "http://localhost:8080"}, {"timeout", 30000}}),
      {{"FLOW_TEST_HTTPBIN_URL", "http://ci:80"}, {"FLOW_TEST_EXTRA", "x"}});
  EXPECT_EQ(DumpJson(globals), R"({"httpbin_url":"http://ci:80","timeout":30000,"extra":"x"})");
}

TEST(Globals, EnvironmentValuesStayStrings) {
  const Value globals =
      BuildGlobals(WithVariables(Value{{"timeout", 30000}}), {{"FLOW_TEST_TIMEOUT", "5000"}});
  ASSERT_TRUE(globals["timeout"].is_string());
  EXPECT_EQ(globals["timeout"].get<std::string>(), "5000");
}

TEST(Globals, ControlVariablesAndBarePrefixAreSkipped) {
  const Value globals = BuildGlobals(Config{}, {{"FLOW_TEST_AUTO_INPUT", "true"},
                                                {"FLOW_TEST_USE_STRATEGY_PATTERN", "1"},
                                                {"FLOW_TEST_", "nothing"},
                                                {"FLOW_TESTX", "no underscore"},
                                                {"flow_test_lower", "wrong case prefix"},
                                                {"FLOW_TEST_KEPT", "yes"}});
  EXPECT_EQ(DumpJson(globals), R"({"kept":"yes"})");
  EXPECT_TRUE(IsControlVariable("FLOW_TEST_AUTO_INPUT"));
  EXPECT_FALSE(IsControlVariable("FLOW_TEST_KEPT"));
}

TEST(Globals, NamesDifferingOnlyInCaseLaterWins) {
  const Value globals = BuildGlobals(Config{}, {{"FLOW_TEST_X", "1"}, {"FLOW_TEST_x", "2"}});
  EXPECT_EQ(DumpJson(globals), R"({"x":"2"})");
}

TEST(Globals, NonObjectVariablesAreTreatedAsEmpty) {
  const Value globals = BuildGlobals(WithVariables(Value::array()), {{"FLOW_TEST_A", "1"}});
  EXPECT_EQ(DumpJson(globals), R"({"a":"1"})");
}

}  // namespace
}  // namespace flow::core
