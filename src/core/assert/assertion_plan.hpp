// AssertionPlan: a step's `assert` block, compiled once and evaluated against each response.
//
// Compile reads the block as written (before interpolation): keys are never interpolated, so the
// JMESPath paths they name, the operators and every literal expected value are checked there, and
// literal regex patterns are compiled there. Evaluate takes the same block after interpolation,
// where the expected values live, and yields one AssertionOutcome per operator. No check is ever
// silently vacuous: what the original engine ignores (a string or list `status_code`, body checks
// made only of `in`/`*_or_equal`, list literals, unknown operators or targets) is either a real
// check or a compile error.
//
// A plan is immutable after Compile and cheap to copy; Evaluate may run on several threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/assert/body_path.hpp"
#include "core/assert/ecma_regex.hpp"
#include "core/assert/operators.hpp"
#include "core/jmespath/jmespath.hpp"
#include "core/error.hpp"
#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

// What the assertions look at. The pointers are borrowed for the duration of Evaluate; a null
// pointer means no headers / no body.
struct ResponseView {
  int status_code = 0;
  const Value* headers = nullptr;  // object: lower-case header name -> string
  const Value* body = nullptr;     // parsed JSON, or a string for a non-JSON body
  double response_time_ms = 0;
  std::size_t size_bytes = 0;
};

struct AssertionOutcome {
  // The original engine's naming: "status_code", "status_code.in",
  // "headers.content-type.contains", "body.json.id.equals", "body.items.length.greater_than",
  // "response_time_ms.less_than".
  std::string field;
  Value expected;
  Value actual;
  bool passed = false;
  std::string message;  // "OK", or "expected 200, got 404"
  std::string pointer;  // JSON pointer of the check inside the assert block ("/body/id/equals")
  std::optional<SourceSpan> where;  // the check in the suite file; set by the runner
};

// A `custom` entry: JavaScript, which this plan does not run: the suite loader checks the code and
// the runner evaluates it in the step's script session.
struct CustomAssertion {
  std::string name;
  std::string condition;
  std::string message;  // "" when not given
  std::string pointer;  // "/custom/0"
};

namespace assertion {
enum class TargetKind { kStatus, kHeader, kBody, kResponseTime };

// One operator applied to one target.
struct Check {
  std::string field;
  std::string pointer;  // of the expected value inside the block
  Operator op = Operator::kEquals;
  std::string op_name;                          // as written ("min", "pattern"), for messages
  Comparison comparison = Comparison::kEquals;  // for Operator::kLength
  bool status_shorthand = false;   // `status_code: <v>`: equals, or `in` when <v> is a list
  std::optional<EcmaRegex> regex;  // compiled at plan time when the pattern is not a template
};

// What a group of checks looks at: the status, one header, one body path, the response time.
struct Target {
  TargetKind kind = TargetKind::kBody;
  std::string header;                                // lower-case, for kHeader
  std::optional<jmespath::Expression> path;          // for kBody
  std::optional<std::vector<PathStep>> simple_path;  // for `exists` on kBody
  std::vector<Check> checks;
};
}  // namespace assertion

class AssertionPlan {
 public:
  AssertionPlan() = default;  // no checks

  // Errors are kInvalidArgument with `pointer` set (relative to the block, "" for the block
  // itself), `hint` when something close exists, and `reason` one of "invalid-block",
  // "unknown-target", "unknown-operator", "mixed-keys", "invalid-value", "invalid-regex",
  // "invalid-jmespath". A null block is an empty plan.
  static Result<AssertionPlan> Compile(const Value& assert_block);

  // `rendered_block` is the assert block after interpolation. A runtime JMESPath error, a
  // template that rendered to the wrong type or a regex over its limits fails its outcome.
  std::vector<AssertionOutcome> Evaluate(const Value& rendered_block,
                                         const ResponseView& response) const;

  bool HasCustom() const { return !custom_.empty(); }
  // Accepted with a reinterpretation (`json.x` at the root checked as `body.json.x`, ...);
  // Error::pointer relative to the block.
  const std::vector<Error>& warnings() const { return warnings_; }
  const std::vector<CustomAssertion>& custom() const { return custom_; }
  // The number of outcomes Evaluate yields.
  std::size_t CheckCount() const;
  // What is checked, in block order (custom assertions apart): for tools that translate
  // assertions (the Postman exporter). Expected values are at each Check's pointer in the block.
  const std::vector<assertion::Target>& targets() const { return targets_; }

 private:
  std::vector<assertion::Target> targets_;
  std::vector<CustomAssertion> custom_;
  std::vector<Error> warnings_;
};

}  // namespace flow::core
