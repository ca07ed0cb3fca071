// Suite: one loaded, validated and compiled suite file, ready to run. Immutable after
// BuildSuite(); shared read-only between runs (the compiled plans inside are immutable too).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/parse/document.hpp"
#include "core/template/template.hpp"
#include "core/value.hpp"

namespace flow::core {

class CompiledValue;
class Condition;
class AssertionPlan;
class CapturePlan;
class HookPlan;
class InputPlan;
struct StepSpec;

struct Dependency {
  std::string node_id;
  std::string path;
  std::string path_type = "relative";
  bool required = false;  // a failed (or skipped) dependency skips this suite
  SourceSpan where;
};

// A step's `skip`: a boolean, or a condition (JMESPath over the variables, after {{ }}
// interpolation), checked before the step (pre_execution) or after its captures (post_capture,
// with the response visible).
struct SkipSpec {
  bool post_capture = false;
  bool negate = false;                                // a step `condition`: skip when it is false
  std::optional<bool> constant;                       // `skip: true` / "false"
  std::shared_ptr<const Condition> condition;
  std::string text;                                   // as written
  std::string pointer;                                // of the condition in the document
};

// `iterate`: over an array (a variable name, a dotted path, or a "{{…}}" template that yields an
// array) or over a `range` "A..B" (inclusive, templates allowed, A > B counts down).
struct IterateSpec {
  std::shared_ptr<const CompiledValue> over;   // the `over` text, templates parsed
  std::string over_text;
  std::shared_ptr<const CompiledValue> range;  // the `range` text, templates parsed
  std::string range_text;
  std::string as = "item";
  std::string pointer;
};

// One branch (`then` / `else`) of a scenario.
struct ScenarioBranch {
  std::shared_ptr<const CompiledValue> assert_block;
  std::shared_ptr<const AssertionPlan> assertions;
  std::shared_ptr<const CapturePlan> captures;
  std::vector<std::pair<std::string, std::shared_ptr<const CompiledValue>>> variables;
  std::shared_ptr<const CompiledValue> request;  // a request sent by the branch (then.request)
  std::string raw_url;
  std::vector<StepSpec> steps;                   // nested steps, run and reported as children
  std::string pointer;
};

struct ScenarioSpec {
  std::string name;
  std::shared_ptr<const Condition> condition;
  std::string condition_text;
  std::shared_ptr<ScenarioBranch> then_branch;     // null when absent
  std::shared_ptr<ScenarioBranch> else_branch;
  std::string pointer;
};

// `retry` (or the original's `metadata.retry`): try a step again.
struct RetrySpec {
  int max_attempts = 1;            // total tries, >= 1
  std::int64_t delay_ms = 0;       // before the second try
  double backoff = 1.0;            // the delay is multiplied by this after each try
  std::int64_t max_delay_ms = 0;   // 0: no cap
  std::vector<int> retry_on_status;  // retry when the response has one of these codes
  bool on_network_error = true;
  bool on_assertion_failure = true;
  bool on_status_only = false;     // `retry_on` lists only status codes: assertions do not retry
  std::shared_ptr<const Condition> until;  // poll until this condition holds
  std::string until_text;
  std::shared_ptr<const Condition> retry_if;  // `condition`: retry while this holds
  std::string retry_if_text;
  std::int64_t jitter_ms = 0;       // up to this much is added to each wait, at random
  // "{{…}}" max_attempts / delay_ms, rendered when the step runs (null: the numbers above).
  std::shared_ptr<const CompiledValue> max_attempts_template;
  std::shared_ptr<const CompiledValue> delay_template;
  std::string pointer;
};

// `call`: run a step of another suite file.
struct CallSpec {
  std::shared_ptr<const CompiledValue> test;       // the file, templates parsed
  std::string step;                                // step_id or name of the target step
  std::shared_ptr<const CompiledValue> variables;  // null when absent
  std::string alias;
  bool isolate_context = true;
  std::string on_error = "fail";                   // fail | continue | warn
  std::string path_type = "relative";              // relative | absolute
  std::optional<std::int64_t> timeout_ms;
  std::string pointer;
};

inline constexpr std::size_t kHookPointCount = 12;

// A `pre_request` / `post_request` script.
struct StepScript {
  std::optional<ScriptSource> source;  // `script`, checked at load
  std::string script_file;             // or `script_file`, relative to the suite file
  int timeout_ms = 5000;               // the CPU budget of the script
  bool continue_on_error = false;
  std::string pointer;
};

// An `assert.custom` entry: JavaScript that must be truthy.
struct CustomCheck {
  std::string name;
  std::string message;
  ScriptSource source;
  std::string pointer;  // of the entry ("/steps/0/assert/custom/1")
};

// A place in the suite that runs JavaScript or faker: what `javascript.enabled: false` refuses.
struct ScriptSite {
  SourceSpan where;
  std::string what;  // "javascript" or "faker"
};

struct StepSpec {
  std::size_t index = 0;       // 0-based position in `steps`
  std::string name;
  std::string step_id;         // as written (may be empty)
  std::string id;              // normalised: step_id, or "step-<n>-<name>"
  std::string qualified_id;    // "<node_id>::<id>"
  std::string pointer;         // JSON pointer of the step in the document ("/steps/3")
  SourceSpan where;

  bool has_request = false;
  std::shared_ptr<const CompiledValue> request;      // the `request` map, templates parsed
  std::string raw_url;                               // the url as written
  std::shared_ptr<const CompiledValue> assert_block; // null when the step has no `assert`
  std::shared_ptr<const AssertionPlan> assertions;
  std::vector<CustomCheck> custom_assertions;        // assert.custom
  std::optional<StepScript> pre_request, post_request;
  std::shared_ptr<const CapturePlan> captures;       // null when the step has no `capture`
  std::optional<bool> continue_on_failure;
  std::optional<std::int64_t> timeout_ms;  // request.timeout, else step timeout, else metadata.timeout
  std::optional<SkipSpec> skip;
  Value delay;                                       // `delay` as written (null: none)
  std::shared_ptr<const CompiledValue> delay_template;  // when `delay` is a string
  std::optional<IterateSpec> iterate;
  std::vector<ScenarioSpec> scenarios;
  std::optional<RetrySpec> retry;
  std::optional<CallSpec> call;
  std::shared_ptr<const InputPlan> input;            // null when the step has no `input`
  std::string input_pointer;
  // hooks[i]: the compiled hooks_<point> list for HookPoint i (in kAllHookPoints order), or null.
  std::vector<std::shared_ptr<const HookPlan>> hooks = std::vector<std::shared_ptr<const HookPlan>>(kHookPointCount);
  std::vector<std::string> hook_pointers = std::vector<std::string>(kHookPointCount);
  std::string suite_file;                            // the file the step is in (for `call` paths)
  // Keys of features that a later version implements ("scenarios", "metadata.retry", ...);
  // running the step fails with a "not supported yet" error naming the first one.
  std::vector<std::string> unsupported;
  std::vector<SourceSpan> unsupported_where;
};

struct Suite {
  std::string file;  // as given to the loader
  std::string text;  // raw file text (suite_yaml_content in reports, diagnostics)
  std::string suite_name;
  std::string node_id;
  std::string description;
  std::shared_ptr<const CompiledValue> base_url;   // null when absent
  std::shared_ptr<const CompiledValue> certificate;  // suite client certificate; null when absent
  Value variables = Value::object();               // as written (templates inside)
  // Each variable's value, templates parsed, in the order written. A variable written
  // `{value: V, secret: true|false}` is compiled from V.
  std::vector<std::pair<std::string, std::shared_ptr<const CompiledValue>>> variable_templates;
  // Variables written `{value: V, secret: true}`: names whose values every output masks.
  std::vector<std::string> secret_variables;
  std::vector<std::string> exports;
  std::vector<std::string> exports_optional;
  std::vector<Dependency> depends;
  std::string priority;                            // metadata.priority, or inferred from the name
  bool priority_inferred = false;
  std::vector<std::string> tags;
  std::int64_t estimated_duration_ms = 0;
  std::vector<StepSpec> steps;
  bool needs_input = false;                        // a step (or nested step) has `input`
  std::vector<ScriptSite> scripts;                 // every JavaScript and faker use, in order
  std::vector<std::string> unsupported;            // suite-level later features ("certificate")
  std::vector<SourceSpan> unsupported_where;
  Document document;                               // for spans of runtime errors
};

struct SuiteLoad {
  std::optional<Suite> suite;   // set when there are no errors
  std::vector<Error> errors;    // every problem found, each with `where`
  std::vector<Error> warnings;  // keys accepted for compatibility that have no effect, ...
};

// Validates a loaded document as a suite and compiles it: unknown keys (with "did you mean"),
// wrong types, missing required keys, invalid templates, JMESPath, operators and regexes.
SuiteLoad BuildSuite(Document document);

// ParseDocument + BuildSuite.
SuiteLoad LoadSuite(std::string_view text, std::string file);

// A skip condition as JMESPath: bare numbers, true, false and null after a comparison operator
// become JMESPath literals (`count == 3` -> ``count == `3` ``), as the original engine rewrites
// them.
std::string SkipConditionToJmesPath(std::string_view condition);

// The original's normalisation of step ids: trim, lower-case, whitespace runs -> '-', characters
// outside [a-z0-9_.:-] -> '-', '-' runs collapsed and stripped at both ends.
std::string NormalizeStepId(std::string_view text);

// The step of `suite` a `call` names with `step`: by step_id or name (trimmed, any case), or by
// the normalised id; the first match in file order. Null when none.
const StepSpec* FindCalledStep(const Suite& suite, std::string_view step);

// metadata.priority inference from a suite name (critical/smoke/health -> critical, ...).
std::string InferPriority(std::string_view suite_name);

}  // namespace flow::core
