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
#include "core/value.hpp"

namespace flow::core {

class CompiledValue;
class AssertionPlan;
class CapturePlan;

struct Dependency {
  std::string node_id;
  std::string path;
  std::string path_type = "relative";
  SourceSpan where;
};

// A step's `skip`: a boolean, or a condition (JMESPath over the variables, after {{ }}
// interpolation), checked before the step (pre_execution) or after its captures (post_capture,
// with the response visible).
struct SkipSpec {
  bool post_capture = false;
  std::optional<bool> constant;                       // `skip: true` / "false"
  std::shared_ptr<const CompiledValue> condition;     // the condition text, templates parsed
  std::string text;                                   // as written
  std::string pointer;                                // of the condition in the document
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
  std::shared_ptr<const CapturePlan> captures;       // null when the step has no `capture`
  std::optional<bool> continue_on_failure;
  std::optional<std::int64_t> timeout_ms;  // request.timeout, else step timeout, else metadata.timeout
  std::optional<SkipSpec> skip;
  Value delay;                                       // `delay` as written (null: none)
  std::shared_ptr<const CompiledValue> delay_template;  // when `delay` is a string
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
  // Each variable's value, templates parsed, in the order written.
  std::vector<std::pair<std::string, std::shared_ptr<const CompiledValue>>> variable_templates;
  std::vector<std::string> exports;
  std::vector<std::string> exports_optional;
  std::vector<Dependency> depends;
  std::string priority;                            // metadata.priority, or inferred from the name
  bool priority_inferred = false;
  std::vector<std::string> tags;
  std::int64_t estimated_duration_ms = 0;
  std::vector<StepSpec> steps;
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

// metadata.priority inference from a suite name (critical/smoke/health -> critical, ...).
std::string InferPriority(std::string_view suite_name);

}  // namespace flow::core
