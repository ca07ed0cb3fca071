#include "core/input/answers_file_provider.hpp"

#include <gtest/gtest.h>

#include "core/input/run_inputs.hpp"

namespace flow::core {
namespace {

InputRequest Request(std::string variable, std::string node_id, std::string step_id) {
  InputRequest r;
  r.variable = variable;
  r.step_id = step_id;
  r.cache_key = node_id + "::" + step_id + "::" + variable;
  return r;
}

Value AnswerOf(AnswersFileProvider& provider, const InputRequest& request) {
  Result<std::optional<InputAnswer>> a = provider.Ask(request);
  EXPECT_TRUE(a);
  if (!a || !a->has_value()) return "<none>";
  return (*a)->value;
}

constexpr const char* kAnswers = R"(
api_key: sk-top
confirmed: "no"
steps:
  pick:
    api_key: sk-step
  shop::pick:
    api_key: sk-qualified
  other:
    empty: null
)";

TEST(AnswersFileProvider, StepSpecificEntriesWin) {
  Result<AnswersFileProvider> p = LoadAnswersFile(kAnswers, "answers.yaml");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(AnswerOf(*p, Request("api_key", "shop", "pick")), "sk-qualified");
  EXPECT_EQ(AnswerOf(*p, Request("api_key", "cart", "pick")), "sk-step");
  EXPECT_EQ(AnswerOf(*p, Request("api_key", "cart", "login")), "sk-top");
  EXPECT_EQ(AnswerOf(*p, Request("missing", "shop", "pick")), "<none>");
  EXPECT_EQ(AnswerOf(*p, Request("steps", "shop", "pick")), "<none>");
  Result<std::optional<InputAnswer>> empty = p->Ask(Request("empty", "x", "other"));
  ASSERT_TRUE(empty && empty->has_value());
  EXPECT_TRUE((*empty)->used_default);
}

TEST(AnswersFileProvider, AnswersAreConvertedByTheInputType) {
  Result<AnswersFileProvider> p = LoadAnswersFile(kAnswers, "answers.yaml");
  ASSERT_TRUE(p);
  InputPlanLoad load =
      InputPlan::Compile(Value{{"prompt", "ok?"}, {"variable", "confirmed"}, {"type", "confirm"}});
  ASSERT_TRUE(load.plan);
  InputRunContext ctx;
  ctx.provider = &*p;
  ctx.step = {.node_id = "shop", .step_id = "pick"};
  InputRunResult r = RunInputs(*load.plan, ctx);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.assigned["confirmed"], false);
}

TEST(AnswersFileProvider, JsonFilesWork) {
  Result<AnswersFileProvider> p =
      LoadAnswersFile(R"({"n": 3, "steps": {"s": {"n": 4}}})", "answers.json");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(AnswerOf(*p, Request("n", "x", "s")), 4);
  EXPECT_EQ(AnswerOf(*p, Request("n", "x", "t")), 3);
  EXPECT_TRUE(LoadAnswersFile("", "empty.yaml"));
}

TEST(LoadAnswersFile, ShapeErrorsPointAtTheFile) {
  Result<AnswersFileProvider> p = LoadAnswersFile("a: 1\nsteps:\n  pick: [1, 2]\n", "answers.yaml");
  ASSERT_FALSE(p);
  EXPECT_EQ(FormatErrorLine(p.error()),
            "answers.yaml:3:9: the answers of step 'pick' must be a mapping of variable: value, "
            "got array");
  p = LoadAnswersFile("- a\n- b\n", "answers.yaml");
  ASSERT_FALSE(p);
  EXPECT_EQ(
      FormatErrorLine(p.error()).rfind("answers.yaml:1:1: an answers file must be a mapping", 0),
      0u)
      << FormatErrorLine(p.error());
}

TEST(LoadAnswersFile, SyntaxErrorsHaveLineAndColumn) {
  Result<AnswersFileProvider> p = LoadAnswersFile("a: 1\nb: [unclosed\n", "answers.yaml");
  ASSERT_FALSE(p);
  ASSERT_TRUE(p.error().where);
  EXPECT_EQ(p.error().where->file, "answers.yaml");
  EXPECT_GT(p.error().where->line, 0);
}

}  // namespace
}  // namespace flow::core
