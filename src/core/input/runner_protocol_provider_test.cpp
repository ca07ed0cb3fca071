#include "core/input/runner_protocol_provider.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/input/input_test_support.hpp"
#include "core/input/run_inputs.hpp"

namespace flow::core {
namespace {

InputRequest SelectRequest() {
  InputRequest r;
  r.variable = "user";
  r.prompt = "Pick a user";
  r.type = "select";
  r.required = true;
  r.default_value = "u1";
  r.ci_default = "u2";
  r.options = {{"u1", "Alice"}, {2, "Bob"}};
  r.suite_name = "Users";
  r.suite_path = "tests/users.yaml";
  r.step_name = "Choose";
  r.step_id = "choose";
  r.step_index = 1;
  r.cache_key = "users::choose::user";
  return r;
}

TEST(RunnerProtocolProvider, WritesTheRequestLineAndReadsTheAnswer) {
  std::istringstream in("Bob\n");
  std::ostringstream out;
  RunnerProtocolProvider provider(in, out);
  Result<std::optional<InputAnswer>> a = provider.Ask(SelectRequest());
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->value, "Bob");
  EXPECT_FALSE((*a)->used_default);
  EXPECT_EQ(out.str(),
            "@@FLOW_INPUT@@{\"type\":\"request\",\"request\":{\"variable\":\"user\",\"prompt\":"
            "\"Pick a user\",\"required\":true,\"masked\":false,\"input_type\":\"select\","
            "\"default\":\"u1\",\"options\":[{\"value\":\"u1\",\"label\":\"Alice\"},"
            "{\"value\":2,\"label\":\"Bob\"}],\"suite_name\":\"Users\",\"suite_path\":"
            "\"tests/users.yaml\",\"step_name\":\"Choose\",\"step_id\":\"choose\","
            "\"step_index\":1,\"cache_key\":\"users::choose::user\"}}\n");
  EXPECT_FALSE(provider.CanReprompt());
}

TEST(RunnerProtocolProvider, TextInputsHaveNoOptionsAndNoNullDefault) {
  std::istringstream in("x\n");
  std::ostringstream out;
  RunnerProtocolProvider provider(in, out);
  InputRequest r;
  r.variable = "pw";
  r.type = "password";
  r.masked = true;
  ASSERT_TRUE(provider.Ask(r));
  const Value event = Value::parse(out.str().substr(std::string(kRunnerInputMarker).size()));
  EXPECT_FALSE(event["request"].contains("options"));
  EXPECT_FALSE(event["request"].contains("default"));
  EXPECT_EQ(event["request"]["masked"], true);
}

TEST(RunnerProtocolProvider, EmptyLineJsonValueAndEndOfInput) {
  std::istringstream in("\r\n{\"value\": 2}\n{not json\n");
  std::ostringstream out;
  RunnerProtocolProvider provider(in, out);
  Result<std::optional<InputAnswer>> a = provider.Ask(SelectRequest());
  ASSERT_TRUE(a && a->has_value());
  EXPECT_TRUE((*a)->used_default);
  a = provider.Ask(SelectRequest());
  ASSERT_TRUE(a && a->has_value());
  EXPECT_TRUE((*a)->value.is_number_integer());
  EXPECT_EQ((*a)->value, 2);
  a = provider.Ask(SelectRequest());
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->value, "{not json");
  a = provider.Ask(SelectRequest());
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(a.error().message, "the runner closed its input (stdin) before answering 'user'");
}

TEST(RunnerProtocolProvider, RoundTripThroughRunInputs) {
  std::istringstream in("2\n\n");
  std::ostringstream out;
  RunnerProtocolProvider provider(in, out);
  InputPlanLoad load = InputPlan::Compile(flow::testing::Yaml(R"(
- prompt: "Pick"
  variable: idx
  type: select
  options: [{value: 0, label: zero}, {value: 1, label: one}, {value: 2, label: two}]
- {prompt: "Batch", variable: batch, type: number, default: 10}
)"));
  ASSERT_TRUE(load.plan);
  InputRunContext ctx;
  ctx.provider = &provider;
  ctx.step = {.suite_name = "S",
              .suite_path = "s.yaml",
              .node_id = "s",
              .step_name = "Step",
              .step_id = "step",
              .step_index = 0};
  InputRunResult r = RunInputs(*load.plan, ctx);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.assigned, Value({{"idx", 2}, {"batch", 10}}));
  EXPECT_TRUE(r.results[1].used_default);
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  EXPECT_NE(text.find("\"cache_key\":\"s::step::batch\"}}\n"), std::string::npos);
}

}  // namespace
}  // namespace flow::core
