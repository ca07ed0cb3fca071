#include "core/run/planner.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

Suite Make(std::string node, std::string priority, std::vector<std::string> depends = {},
           std::vector<std::string> tags = {}) {
  Suite s;
  s.node_id = node;
  s.suite_name = "Suite " + node;
  s.file = "tests/" + node + ".yaml";
  s.priority = std::move(priority);
  s.tags = std::move(tags);
  s.estimated_duration_ms = 500;
  for (std::string& d : depends) s.depends.push_back(Dependency{.node_id = std::move(d)});
  return s;
}

std::vector<std::string> Order(const RunPlan& plan) {
  std::vector<std::string> out;
  for (const Suite* s : plan.suites) out.push_back(s->node_id);
  return out;
}

const std::vector<std::string> kLevels = {"critical", "high", "medium", "low"};

TEST(Planner, OrdersByPriorityThenDependencies) {
  const Suite a = Make("a", "low");
  const Suite b = Make("b", "critical", {"c"});
  const Suite c = Make("c", "medium");
  const Result<RunPlan> plan = PlanRun({&a, &b, &c}, {}, kLevels);
  ASSERT_TRUE(plan);
  EXPECT_EQ(Order(*plan), (std::vector<std::string>{"c", "b", "a"}));
}

TEST(Planner, CycleIsAnErrorNamingIt) {
  const Suite a = Make("a", "high", {"b"});
  const Suite b = Make("b", "high", {"a"});
  const Result<RunPlan> plan = PlanRun({&a, &b}, {}, kLevels);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, "dependency cycle: a -> b -> a");
}

TEST(Planner, FiltersByNodeTagAndPriority) {
  const Suite a = Make("a", "high", {}, {"smoke"});
  const Suite b = Make("b", "low", {}, {"slow"});
  EXPECT_EQ(Order(*PlanRun({&a, &b}, {.node_ids = {"B"}}, kLevels)), std::vector<std::string>{"b"});
  EXPECT_EQ(Order(*PlanRun({&a, &b}, {.tags = {"smoke"}}, kLevels)), std::vector<std::string>{"a"});
  EXPECT_EQ(Order(*PlanRun({&a, &b}, {.priorities = {"low"}}, kLevels)),
            std::vector<std::string>{"b"});
  EXPECT_EQ(Order(*PlanRun({&a, &b}, {.suite_names = {"suite a"}}, kLevels)),
            std::vector<std::string>{"a"});
}

TEST(Planner, SelfDependencyIsACycle) {
  const Suite a = Make("a", "high", {"a"});
  const Result<RunPlan> plan = PlanRun({&a}, {}, kLevels);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, "dependency cycle: a -> a");
}

TEST(Planner, StepFiltersThatNameNoStepAreReported) {
  Suite a = Make("a", "high");
  a.steps.push_back(StepSpec{.name = "Login", .id = "step-1-login", .qualified_id = "a::step-1-login"});
  a.steps.push_back(StepSpec{.name = "Me", .step_id = "Profile", .id = "profile", .qualified_id = "a::profile"});
  EXPECT_TRUE(StepMatchesFilter(a, a.steps[0], "a::step-1-login"));
  EXPECT_TRUE(StepMatchesFilter(a, a.steps[0], "a:Step-1-Login"));
  EXPECT_TRUE(StepMatchesFilter(a, a.steps[1], "profile"));
  EXPECT_FALSE(StepMatchesFilter(a, a.steps[1], "b::profile"));
  EXPECT_EQ(UnmatchedStepFilters({&a}, {"profile", "proflie", "x::profile"}),
            (std::vector<std::string>{"proflie", "x::profile"}));
}

TEST(Planner, MissingDependencyIsAWarning) {
  const Suite a = Make("a", "high", {"ghost"});
  const Result<RunPlan> plan = PlanRun({&a}, {}, kLevels);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->warnings.size(), 1u);
  EXPECT_NE(plan->warnings[0].message.find("'ghost'"), std::string::npos);
}

TEST(Planner, DependencyByRelativePath) {
  Suite a = Make("a", "low");
  Suite b = Make("b", "critical");
  b.depends.push_back(Dependency{.path = "./a.yaml"});
  const Result<RunPlan> plan = PlanRun({&a, &b}, {}, kLevels);
  ASSERT_TRUE(plan);
  EXPECT_EQ(Order(*plan), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace flow::core
