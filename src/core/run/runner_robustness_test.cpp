// Structure-aware fuzzing of the suite language: a suite using every flow-control key has random
// values put at random places; whatever loads must run to the end with an outcome for every
// top-level step, and whatever does not load must say why with a place. Never a crash or a hang.
#include <gtest/gtest.h>

#include <random>

#include "core/run/runner.hpp"
#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

constexpr const char* kBase = R"({
  "suite_name": "Fuzz", "node_id": "fuzz", "base_url": "http://api.test",
  "variables": {"items": [1, 2, 3], "n": 2, "flag": true},
  "steps": [
    {"name": "loop", "iterate": {"over": "{{items}}", "as": "it"},
     "request": {"method": "GET", "url": "/i/{{it}}"}, "capture": {"x": "body.x"},
     "retry": {"max_attempts": 2, "delay_ms": 1, "retry_on": [503], "until": "status_code == `200`"},
     "hooks_pre_iteration": [{"compute": {"k": "{{_iteration.index}}"}}]},
    {"name": "branch", "request": {"method": "POST", "url": "/b", "body": {"a": "{{n}}"}},
     "scenarios": [{"condition": "status_code == `200`",
                    "then": {"assert": {"status_code": 200}, "variables": {"ok": true},
                             "steps": [{"name": "nested", "request": {"method": "GET", "url": "/n"}}]},
                    "else": {"capture": {"why": "body"}}}],
     "hooks_post_request": [{"validate": [{"expression": "response.status_code", "severity": "warning"}]}]},
    {"name": "only scenarios", "scenarios": [{"condition": "flag", "then": {"variables": {"z": 1}}}]},
    {"name": "ask", "input": {"prompt": "Size?", "variable": "size", "type": "number", "default": 3}},
    {"name": "call", "call": {"test": "h.yaml", "step": "s", "on_error": "continue"}},
    {"name": "cond", "condition": "{{n}} > `1`", "delay": 1, "request": {"method": "GET", "url": "/c"}}
  ]
})";

Value RandomValue(std::mt19937& random, int depth = 0) {
  switch (random() % (depth > 2 ? 7 : 9)) {
    case 0: return nullptr;
    case 1: return static_cast<int>(random() % 2000) - 1000;
    case 2: return random() % 2 == 0;
    case 3: return std::string("{{") + (random() % 2 ? "items" : "nope") + "}}";
    case 4: return "1..3";
    case 5: return "status_code == `200` && body.x";
    case 6: return std::string(static_cast<std::size_t>(random() % 5), "a=[{'\""[random() % 6]);
    case 7: return Value::array({RandomValue(random, depth + 1), RandomValue(random, depth + 1)});
    default: {
      Value o = Value::object();
      o["condition"] = RandomValue(random, depth + 1);
      o["then"] = RandomValue(random, depth + 1);
      return o;
    }
  }
}

// Every JSON pointer in `v`.
void Pointers(const Value& v, const std::string& at, std::vector<std::string>& out) {
  out.push_back(at);
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) Pointers(it.value(), JoinPointer(at, it.key()), out);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) Pointers(v[i], JoinPointer(at, i), out);
  }
}

TEST(RunnerRobustness, RandomValuesAnywhereLoadWithPlacedErrorsOrRunToTheEnd) {
  const Value base = Value::parse(kBase);
  std::vector<std::string> pointers;
  Pointers(base, "", pointers);
  std::mt19937 random(20261204);
  std::size_t loaded = 0;
  for (int round = 0; round < 400; ++round) {
    Value doc = base;
    for (int edits = 1 + static_cast<int>(random() % 3); edits > 0; --edits) {
      const std::string& pointer = pointers[1 + random() % (pointers.size() - 1)];
      const Value::json_pointer p(pointer);
      if (doc.contains(p)) doc[p] = RandomValue(random);
    }
    SuiteLoad load = LoadSuite(DumpJson(doc), "fuzz.json");
    if (!load.suite) {
      ASSERT_FALSE(load.errors.empty()) << DumpJson(doc);
      for (const Error& e : load.errors) {
        EXPECT_FALSE(e.message.empty());
        EXPECT_TRUE(e.where.has_value()) << e.message << "\n" << DumpJson(doc);
      }
      continue;
    }
    ++loaded;
    testing::FakeHttpClient http;
    http.reply.status_code = random() % 2 ? 200 : 503;
    http.reply.body = R"({"x": 1})";
    testing::FakeClock clock;
    testing::FakeEntropy entropy;
    testing::FakeEnvironment env;
    struct Count final : EventSink {
      void OnStepFinished(const StepOutcome& s) override { top += s.depth == 0; }
      void OnSuiteFinished(const SuiteOutcome& s) override { suite_error = s.error.has_value(); }
      std::size_t top = 0;
      bool suite_error = false;
    } sink;
    RunOptions options;
    options.continue_on_failure = true;
    Runner runner(RunnerPorts{.http = &http, .clock = &clock, .entropy = &entropy,
                              .environment = &env, .sink = &sink},
                  {&*load.suite}, options, 1);
    runner.RunToEnd();
    // A suite whose variables cannot be rendered does not start (its error says why); any other
    // reports every one of its steps.
    EXPECT_EQ(sink.top, sink.suite_error ? 0u : load.suite->steps.size()) << DumpJson(doc);
  }
  EXPECT_GT(loaded, 20u);  // the mutations leave many suites valid: the run part is exercised
}

}  // namespace
}  // namespace flow::core
