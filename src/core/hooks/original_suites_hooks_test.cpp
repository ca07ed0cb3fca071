// The hook blocks of the original engine's suites (../shared/conformance/original-suites) compile,
// and the ones that need no JavaScript run as their authors meant.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

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

TEST(OriginalSuiteHooks, HooksExampleCompilesAndItsJavaScriptIsMarkedUnsupported) {
  LOAD_OR_SKIP(document, "hooks-example.yaml");
  std::map<std::string, HookPlan> plans = CompileHooks(*document);
  EXPECT_EQ(plans.size(), 6u);
  // `timestamp: "$Date.now()"` and friends need the JavaScript sandbox.
  const HookPlan& login = plans.at("0/hooks_pre_request");
  ASSERT_TRUE(login.HasUnsupported());
  EXPECT_EQ(login.unsupported()[0].pointer, "/0/compute/timestamp");
  EXPECT_EQ(login.unsupported()[0].feature, "direct '$' JavaScript syntax");
  // Its validate expressions are JMESPath once rewritten.
  for (const HookUnsupported& u : login.unsupported()) {
    EXPECT_NE(u.feature, "javascript in hook validate") << u.pointer;
  }
  // The cart step's pre_request hook is a plain log line.
  const HookPlan& cart = plans.at("2/hooks_pre_request");
  EXPECT_FALSE(cart.HasUnsupported());
  StepVariables step(HookPoint::kPreRequest, document->root["variables"]);
  const HookRunResult result = RunHooks(cart, step.env);
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  ASSERT_EQ(result.logs.size(), 1u);
  EXPECT_EQ(result.logs[0].message, "Fetching cart 1");
}

TEST(OriginalSuiteHooks, PostInputComputeSetsVariablesForLaterSteps) {
  LOAD_OR_SKIP(document, "test-hooks-post-input.yaml");
  std::map<std::string, HookPlan> plans = CompileHooks(*document);
  ASSERT_EQ(plans.size(), 1u);
  const HookPlan& plan = plans.at("0/hooks_post_input");
  EXPECT_FALSE(plan.HasUnsupported());
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

TEST(OriginalSuiteHooks, CallDemoValidatesPropagatedVariables) {
  LOAD_OR_SKIP(document, "examples/hooks-pre-post-call-demo.yaml");
  std::map<std::string, HookPlan> plans = CompileHooks(*document);
  EXPECT_EQ(plans.size(), 5u);
  EXPECT_TRUE(plans.at("0/hooks_pre_call").HasUnsupported());   // "$Date.now()"
  EXPECT_TRUE(plans.at("0/hooks_post_call").HasUnsupported());  // "$!!auth.access_token"

  const HookPlan& post_call = plans.at("2/hooks_post_call");
  ASSERT_FALSE(post_call.HasUnsupported());
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
