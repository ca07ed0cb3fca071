// The hook blocks of the original engine's suites (../shared/conformance/original-suites) compile,
// list their JavaScript, and run as their authors meant (JavaScript answered by a fake engine).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/hooks/hook_plan.hpp"
#include "core/hooks/hook_point.hpp"
#include "core/hooks/hook_runner.hpp"
#include "core/parse/document.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/shared_data.hpp"

namespace flow::core {
namespace {

std::string SuitesDir() {
  const char* shared = std::getenv("FLOW_SHARED_DIR");
  return std::string(shared != nullptr ? shared : "../shared") +
         "/conformance/original-suites/tests/";
}

std::optional<Document> LoadSuite(const std::string& name) {
  std::ifstream in(SuitesDir() + name, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  Result<Document> document = ParseDocument(text.str(), name);
  EXPECT_TRUE(document.has_value()) << name << ": " << (document ? "" : document.error().message);
  if (!document) return std::nullopt;
  return std::move(document).value();
}

// "<step index>/<hooks key>" -> the compiled plan, for every hooks list of the suite.
std::map<std::string, HookPlan> CompileHooks(const Document& document) {
  std::map<std::string, HookPlan> plans;
  const Value& steps = document.root["steps"];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    for (HookPoint point : kAllHookPoints) {
      const std::string key(HookPointKey(point));
      if (!steps[i].contains(key)) continue;
      HookPlanLoad load = HookPlan::Compile(steps[i][key]);
      for (const Error& e : load.errors) {
        ADD_FAILURE() << document.file << " step " << i << " " << key << e.pointer << ": "
                      << e.message;
      }
      EXPECT_TRUE(load.warnings.empty()) << document.file << " step " << i << " " << key;
      if (load.plan) plans.emplace(std::to_string(i) + "/" + key, std::move(*load.plan));
    }
  }
  return plans;
}

#define LOAD_OR_SKIP(var, name)                                                   \
  std::optional<Document> var = LoadSuite(name);                                  \
  if (!var) {                                                                     \
    FLOW_SKIP_OR_FAIL_MISSING_SHARED("no original suite '" + SuitesDir() + name + \
                                     "' (FLOW_SHARED_DIR)");                      \
  }

// The pieces a runner hands to RunHooks, over plain Values.
struct StepVariables {
  Value runtime = Value::object();
  Value suite = Value::object();
  testing::FakeClock clock;
  HookEnv env;

  StepVariables(HookPoint point, Value suite_variables) : suite(std::move(suite_variables)) {
    env.point = point;
    env.interpolation.scopes = {.runtime = &runtime, .suite = &suite};
    env.clock = &clock;
    env.set_variable = [this](const std::string& name, const Value& value) {
      runtime[name] = value;
    };
  }
};

TEST(OriginalSuiteHooks, HooksExampleCompilesWithItsJavaScriptListed) {
  LOAD_OR_SKIP(document, "hooks-example.yaml");
  std::map<std::string, HookPlan> plans = CompileHooks(*document);
  EXPECT_EQ(plans.size(), 6u);
  const std::vector<HookScriptUse> login_pre = {{"/0/compute/timestamp", "javascript"},
                                                {"/0/compute/request_id", "javascript"}};
  EXPECT_EQ(plans.at("0/hooks_pre_request").scripts(), login_pre);
  // Its validate expressions are JMESPath once rewritten: not listed.
  const std::vector<HookScriptUse> login_post = {{"/0/compute/response_time", "javascript"},
                                                 {"/0/compute/expires_at", "javascript"},
                                                 {"/0/compute/token_length", "javascript"},
                                                 {"/3/log/metadata/user_id", "javascript"}};
  EXPECT_EQ(plans.at("0/hooks_post_request").scripts(), login_post);
  EXPECT_EQ(plans.at("1/hooks_pre_input").scripts().size(), 2u);
  EXPECT_EQ(plans.at("1/hooks_post_input").scripts().size(), 2u);
  EXPECT_EQ(plans.at("2/hooks_post_request").scripts().size(), 2u);

  // The cart step's pre_request hook is a plain log line.
  const HookPlan& cart = plans.at("2/hooks_pre_request");
  EXPECT_TRUE(cart.scripts().empty());
  StepVariables step(HookPoint::kPreRequest, document->root["variables"]);
  const HookRunResult result = RunHooks(cart, step.env);
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  ASSERT_EQ(result.logs.size(), 1u);
  EXPECT_EQ(result.logs[0].message, "Fetching cart 1");
}

TEST(OriginalSuiteHooks, HooksExampleLoginPostRequestComputesWithJavaScript) {
  LOAD_OR_SKIP(document, "hooks-example.yaml");
  std::map<std::string, HookPlan> plans = CompileHooks(*document);
  testing::FakeScriptEngine engine;
  engine.On("Date.now() - timestamp",
            [](const Value& b) { return Value(1250 - b.at("timestamp").get<int>()); });
  engine.On("Date.now() + (30 * 60 * 1000)", [](const Value&) { return Value(1801250); });
  engine.On("response.body.accessToken.length", [](const Value& b) {
    return Value(b.at("response").at("body").at("accessToken").get<std::string>().size());
  });
  engine.On("response.body.id",
            [](const Value& b) { return b.at("response").at("body").at("id"); });
  std::unique_ptr<ScriptSession> session = engine.OpenSession({}).value();
  StepVariables step(HookPoint::kPostRequest, document->root["variables"]);
  step.env.interpolation.script = session.get();
  step.runtime["timestamp"] = 1000;  // set by the pre_request hook
  step.env.context["response"] =
      Value::parse(R"({"status_code": 200, "body": {"accessToken": "abcdef", "id": 7}})");
  const HookRunResult result = RunHooks(plans.at("0/hooks_post_request"), step.env);
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(step.runtime["response_time"], 250);
  EXPECT_EQ(step.runtime["token_length"], 6);
  ASSERT_EQ(result.logs.size(), 2u);  // both validations pass
  EXPECT_EQ(result.logs[0].message, "metric api_login_duration_ms=250");
  EXPECT_EQ(result.logs[1].message, "Login successful in 250ms, token expires at 1801250");
  EXPECT_EQ(result.logs[1].data, Value::parse(R"({"token_length": 6, "user_id": 7})"));
}

TEST(OriginalSuiteHooks, PostInputComputeSetsVariablesForLaterSteps) {
  LOAD_OR_SKIP(document, "test-hooks-post-input.yaml");
  std::map<std::string, HookPlan> plans = CompileHooks(*document);
  ASSERT_EQ(plans.size(), 1u);
  const HookPlan& plan = plans.at("0/hooks_post_input");
  EXPECT_TRUE(plan.scripts().empty());
  StepVariables step(HookPoint::kPostInput, document->root["variables"]);
  step.runtime["selected_beneficio_index"] = 2;
  step.env.context["input"] = Value::parse(R"({"selected_beneficio_index": 2})");
  const HookRunResult result = RunHooks(plan, step.env);
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(step.runtime["selected_cpf_numerico"], "51040921604");
  EXPECT_EQ(step.runtime["selected_beneficio"]["nome"], "DONIZETTI APARECIDA DA SILVA SANTOS");
  ASSERT_EQ(result.logs.size(), 1u);
  EXPECT_EQ(result.logs[0].message,
            "✅ Beneficiário selecionado: DONIZETTI APARECIDA DA SILVA SANTOS (CPF: 51040921604)");
}

TEST(OriginalSuiteHooks, AuthSetupPostCaptureLogsTheCapturedCredentials) {
  LOAD_OR_SKIP(document, "examples/auth-setup-demo.yaml");
  std::map<std::string, HookPlan> plans = CompileHooks(*document);
  ASSERT_EQ(plans.size(), 1u);
  StepVariables step(HookPoint::kPostCapture, Value::object());
  step.runtime = Value::parse(
      R"({"access_token": "test_user", "user_id": "test_user", "token_expiry": "3600000"})");
  const HookRunResult result = RunHooks(plans.at("0/hooks_post_capture"), step.env);
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  ASSERT_EQ(result.logs.size(), 1u);
  EXPECT_EQ(result.logs[0].data, Value::parse(R"({"access_token": "test_user",
      "user_id": "test_user", "expiry": "3600000"})"));
}

TEST(OriginalSuiteHooks, CallDemoCompilesWithItsJavaScriptListedAndRunsIt) {
  LOAD_OR_SKIP(document, "examples/hooks-pre-post-call-demo.yaml");
  std::map<std::string, HookPlan> plans = CompileHooks(*document);
  EXPECT_EQ(plans.size(), 5u);
  const std::vector<HookScriptUse> pre_call = {{"/0/compute/call_started_at", "javascript"},
                                               {"/0/compute/call_request_id", "javascript"},
                                               {"/0/compute/timestamp_iso", "javascript"}};
  EXPECT_EQ(plans.at("0/hooks_pre_call").scripts(), pre_call);
  const std::vector<HookScriptUse> post_call_uses = {{"/0/compute/call_duration_ms", "javascript"},
                                                     {"/2/metric/tags/has_token", "javascript"}};
  EXPECT_EQ(plans.at("0/hooks_post_call").scripts(), post_call_uses);

  testing::FakeScriptEngine engine;
  engine.On("Date.now()", [](const Value&) { return Value(5000); });
  engine.On("crypto.randomUUID()", [](const Value&) { return Value("uuid-1"); });
  engine.On("new Date().toISOString()", [](const Value&) { return Value("1970-01-01T00:00:05.000Z"); });
  std::unique_ptr<ScriptSession> session = engine.OpenSession({}).value();
  StepVariables pre(HookPoint::kPreCall, document->root["variables"]);
  pre.env.interpolation.script = session.get();
  const HookRunResult started = RunHooks(plans.at("0/hooks_pre_call"), pre.env);
  ASSERT_FALSE(started.error.has_value()) << started.error->message;
  EXPECT_EQ(pre.runtime["call_started_at"], 5000);
  ASSERT_EQ(started.logs.size(), 1u);  // both validations pass
  EXPECT_EQ(started.logs[0].message, "🚀 Starting auth call - Request ID: uuid-1");

  const HookPlan& post_call = plans.at("2/hooks_post_call");
  ASSERT_TRUE(post_call.scripts().empty());
  StepVariables step(HookPoint::kPostCall, document->root["variables"]);
  step.env.context["success"] = true;
  step.runtime["simple_auth.access_token"] = "simple_user";
  step.runtime["simple_auth.user_id"] = "simple_user";
  const HookRunResult passed = RunHooks(post_call, step.env);
  ASSERT_FALSE(passed.error.has_value()) << passed.error->message;
  ASSERT_EQ(passed.logs.size(), 1u);
  EXPECT_EQ(passed.logs[0].message, "✅ Call completed successfully - Token: simple_user");

  // Without the propagated token the error-severity validation fails the step.
  step.runtime = Value::object();
  step.env.interpolation.unresolved = UnresolvedPolicy::kLiteral;
  const HookRunResult failed = RunHooks(post_call, step.env);
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_EQ(failed.error->pointer, "/0/validate/0");
  EXPECT_EQ(failed.error->message,
            "hook validation failed at hooks_post_call: Token must be captured");
}

}  // namespace
}  // namespace flow::core
