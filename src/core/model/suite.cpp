#include "core/model/suite.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "core/assert/assertion_plan.hpp"
#include "core/capture/capture_plan.hpp"
#include "core/jmespath/jmespath.hpp"
#include "core/model/http.hpp"
#include "core/template/template.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

enum class KeyKind {
  kSupported,    // implemented
  kLater,        // a documented feature that a later version implements: step error when run
  kNoEffect,     // accepted for compatibility, has no effect: a warning
};

struct KeyRule {
  const char* name;
  KeyKind kind;
};

constexpr KeyRule kRootKeys[] = {
    {"suite_name", KeyKind::kSupported},   {"node_id", KeyKind::kSupported},
    {"description", KeyKind::kSupported},  {"base_url", KeyKind::kSupported},
    {"variables", KeyKind::kSupported},    {"exports", KeyKind::kSupported},
    {"exports_optional", KeyKind::kSupported}, {"depends", KeyKind::kSupported},
    {"metadata", KeyKind::kSupported},     {"steps", KeyKind::kSupported},
    {"certificate", KeyKind::kSupported},  {"auth", KeyKind::kNoEffect},
    {"certificates", KeyKind::kNoEffect},  {"faker", KeyKind::kNoEffect},
    {"priority", KeyKind::kNoEffect},      {"execution_mode", KeyKind::kNoEffect},
    {"project_name", KeyKind::kNoEffect},
};

constexpr KeyRule kStepKeys[] = {
    {"name", KeyKind::kSupported},          {"step_id", KeyKind::kSupported},
    {"request", KeyKind::kSupported},       {"assert", KeyKind::kSupported},
    {"capture", KeyKind::kSupported},       {"continue_on_failure", KeyKind::kSupported},
    {"metadata", KeyKind::kSupported},      {"scenarios", KeyKind::kLater},
    {"iterate", KeyKind::kLater},           {"input", KeyKind::kLater},
    {"call", KeyKind::kLater},              {"skip", KeyKind::kSupported},
    {"pre_request", KeyKind::kLater},       {"post_request", KeyKind::kLater},
    {"delay", KeyKind::kSupported},         {"condition", KeyKind::kLater},
    {"skip_condition", KeyKind::kLater},    {"retry", KeyKind::kLater},
    {"timeout", KeyKind::kSupported},       {"hooks_pre_input", KeyKind::kLater},
    {"hooks_post_input", KeyKind::kLater},  {"hooks_pre_iteration", KeyKind::kLater},
    {"hooks_post_iteration", KeyKind::kLater}, {"hooks_pre_request", KeyKind::kLater},
    {"hooks_post_request", KeyKind::kLater},   {"hooks_pre_assertion", KeyKind::kLater},
    {"hooks_post_assertion", KeyKind::kLater}, {"hooks_pre_capture", KeyKind::kLater},
    {"hooks_post_capture", KeyKind::kLater},   {"hooks_pre_call", KeyKind::kLater},
    {"hooks_post_call", KeyKind::kLater},   {"performance", KeyKind::kNoEffect},
    {"assertions", KeyKind::kNoEffect},     {"depends", KeyKind::kNoEffect},
    {"priority", KeyKind::kNoEffect},
};

constexpr KeyRule kRequestKeys[] = {
    {"method", KeyKind::kSupported}, {"url", KeyKind::kSupported},
    {"headers", KeyKind::kSupported}, {"params", KeyKind::kSupported},
    {"body", KeyKind::kSupported},   {"timeout", KeyKind::kSupported},
    {"certificate", KeyKind::kSupported}, {"follow_redirects", KeyKind::kSupported},
    {"max_redirects", KeyKind::kSupported},
};

constexpr KeyRule kCertificateKeys[] = {
    {"cert_path", KeyKind::kSupported},  {"key_path", KeyKind::kSupported},
    {"pfx_path", KeyKind::kSupported},   {"passphrase", KeyKind::kSupported},
    {"ca_path", KeyKind::kSupported},    {"verify", KeyKind::kSupported},
    {"min_version", KeyKind::kSupported}, {"max_version", KeyKind::kSupported},
};

constexpr KeyRule kSuiteMetadataKeys[] = {
    {"priority", KeyKind::kSupported},     {"tags", KeyKind::kSupported},
    {"estimated_duration_ms", KeyKind::kSupported}, {"description", KeyKind::kSupported},
    {"timeout", KeyKind::kNoEffect},       {"requires_user_input", KeyKind::kNoEffect},
};

constexpr KeyRule kStepMetadataKeys[] = {
    {"priority", KeyKind::kSupported},  {"tags", KeyKind::kSupported},
    {"description", KeyKind::kSupported}, {"timeout", KeyKind::kSupported},
    {"retry", KeyKind::kLater},         {"depends_on", KeyKind::kNoEffect},
    {"skip", KeyKind::kNoEffect},
};

constexpr KeyRule kDependencyKeys[] = {
    {"node_id", KeyKind::kSupported},   {"path", KeyKind::kSupported},
    {"path_type", KeyKind::kSupported}, {"required", KeyKind::kLater},
    {"cache", KeyKind::kLater},         {"condition", KeyKind::kLater},
    {"variables", KeyKind::kLater},     {"retry", KeyKind::kLater},
};


template <std::size_t N>
const KeyRule* FindRule(const KeyRule (&rules)[N], std::string_view key) {
  for (const KeyRule& rule : rules) {
    if (key == rule.name) return &rule;
  }
  return nullptr;
}

template <std::size_t N>
std::vector<std::string> RuleNames(const KeyRule (&rules)[N]) {
  std::vector<std::string> names;
  for (const KeyRule& rule : rules) names.emplace_back(rule.name);
  return names;
}

// Words other tools use for our keys: a typo of one of these suggests our key.
struct KeyAlias {
  const char* alias;
  const char* key;
};
constexpr KeyAlias kStepKeyAliases[] = {
    {"expect", "assert"},     {"expected", "assert"},  {"expects", "assert"},
    {"asserts", "assert"},    {"assertion", "assert"}, {"validate", "assert"},
    {"check", "assert"},      {"checks", "assert"},    {"captures", "capture"},
    {"extract", "capture"},   {"save", "capture"},     {"store", "capture"},
    {"req", "request"},       {"http", "request"},     {"title", "name"},
};

// "did you mean ..." for an unknown key: close names among `names`, then our keys for words
// other tools use, then keys of the request written one level too high.
std::string SuggestKey(std::string_view key, const std::vector<std::string>& names,
                       bool is_step) {
  std::string hint = DidYouMean(key, names);
  if (!hint.empty() || !is_step) return hint;
  for (const KeyAlias& alias : kStepKeyAliases) {
    if (EditDistance(key, alias.alias) <= (std::string_view(alias.alias).size() > 4 ? 2u : 1u)) {
      return std::string("did you mean '") + alias.key + "'?";
    }
  }
  for (const char* request_key : {"method", "url", "headers", "params", "body"}) {
    if (key == request_key) return std::string("'") + request_key + "' belongs under 'request:'";
  }
  return {};
}

std::string Describe(const Value& v) {
  return std::string(TypeName(v));
}

// The direct (brace-less) faker and JavaScript forms, "#faker.x.y" and "$return ...", need the
// JavaScript sandbox of a later version. Returns the pointer and description of the first one.
std::optional<std::pair<std::string, std::string>> FindDirectExpression(const Value& value,
                                                                        const std::string& pointer,
                                                                        int depth = 0) {
  if (depth > 64) return std::nullopt;
  if (value.is_string()) {
    const std::optional<DirectExpression> direct =
        DetectDirectExpression(value.get_ref<const std::string&>());
    if (direct && direct->kind == DirectKind::kFaker) {
      return std::make_pair(pointer, std::string("direct '#faker.' syntax"));
    }
    if (direct && direct->kind == DirectKind::kJavaScript) {
      return std::make_pair(pointer, std::string("direct '$' JavaScript syntax"));
    }
    return std::nullopt;
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (auto found = FindDirectExpression(it.value(), JoinPointer(pointer, it.key()), depth + 1)) {
        return found;
      }
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto found = FindDirectExpression(value[i], JoinPointer(pointer, i), depth + 1)) {
        return found;
      }
    }
  }
  return std::nullopt;
}

// The original engine hands skip conditions with `===`, `!==`, `&&`, `||` or a leading `!` to
// JavaScript.
bool LooksLikeJavaScript(std::string_view text) {
  return text.find("===") != std::string_view::npos || text.find("!==") != std::string_view::npos ||
         text.find("&&") != std::string_view::npos || text.find("||") != std::string_view::npos ||
         (!text.empty() && text.front() == '!');
}

class Builder {
 public:
  explicit Builder(Document document) : doc_(std::move(document)) {}

  SuiteLoad Build() {
    SuiteLoad load;
    Suite suite;
    const Value& root = doc_.root;
    if (!root.is_object()) {
      Error(
          "", root.is_null() ? "the file is empty: a suite needs 'suite_name', 'node_id' and 'steps'"
                             : "a suite must be a mapping with 'suite_name', 'node_id' and 'steps', "
                               "got " + Describe(root));
      return Finish(std::move(load), std::nullopt);
    }
    CheckKeys(root, "", kRootKeys, "suite", &suite.unsupported, &suite.unsupported_where);

    suite.suite_name = RequiredString(root, "", "suite_name");
    suite.node_id = RequiredString(root, "", "node_id");
    suite.description = OptionalString(root, "", "description");
    if (root.contains("base_url")) {
      const std::string pointer = "/base_url";
      if (!root["base_url"].is_string()) {
        TypeError(pointer, "'base_url'", "a string", root["base_url"]);
      } else {
        suite.base_url = CompileTemplate(root["base_url"], pointer);
      }
    }
    if (root.contains("variables")) {
      const Value& vars = root["variables"];
      if (vars.is_null()) {
        // `variables:` with nothing under it: no variables.
      } else if (!vars.is_object()) {
        TypeError("/variables", "'variables'", "a mapping of names to values", vars);
      } else {
        suite.variables = vars;
        for (auto it = vars.begin(); it != vars.end(); ++it) {
          const std::string pointer = JoinPointer("/variables", it.key());
          if (auto compiled = CompileTemplate(it.value(), pointer)) {
            suite.variable_templates.emplace_back(it.key(), std::move(compiled));
          }
        }
        if (auto direct = FindDirectExpression(vars, "/variables")) {
          suite.unsupported.push_back(direct->second);
          suite.unsupported_where.push_back(doc_.WhereValue(direct->first));
        }
      }
    }
    if (root.contains("certificate") && !root["certificate"].is_null()) {
      if (CheckCertificate(root["certificate"], "/certificate")) {
        suite.certificate = CompileTemplate(root["certificate"], "/certificate");
      }
    }
    suite.exports = StringList(root, "", "exports");
    suite.exports_optional = StringList(root, "", "exports_optional");
    BuildDepends(root, suite);
    BuildMetadata(root, suite);
    BuildSteps(root, suite);

    suite.file = doc_.file;
    suite.text = doc_.text;
    return Finish(std::move(load), std::move(suite));
  }

 private:
  SuiteLoad Finish(SuiteLoad load, std::optional<Suite> suite) {
    load.errors = std::move(errors_);
    load.warnings = std::move(warnings_);
    if (load.errors.empty() && suite) {
      suite->document = std::move(doc_);
      load.suite = std::move(suite);
    }
    return load;
  }

  void Error(const std::string& pointer, std::string message, std::string hint = {},
             bool at_key = false) {
    core::Error e = InvalidArgument(std::move(message), std::move(hint));
    e.where = at_key ? doc_.WhereKey(pointer) : doc_.WhereValue(pointer);
    errors_.push_back(std::move(e));
  }

  void Warn(const std::string& pointer, std::string message, std::string hint = {}) {
    core::Error e = InvalidArgument(std::move(message), std::move(hint));
    e.where = doc_.WhereKey(pointer);
    warnings_.push_back(std::move(e));
  }

  void AddError(core::Error e, const std::string& base_pointer) {
    const std::string pointer = base_pointer + e.pointer;
    if (!e.where || !e.where->IsKnown()) {
      // Problems with a key itself (an unknown name, a body key that is no valid path) point at
      // the key; problems with a value point at the value.
      const bool about_key = e.reason == "unknown-key" || e.reason == "unknown-operator" ||
                             e.reason == "unknown-target" || e.reason == "invalid-jmespath" ||
                             e.reason == "mixed-keys";
      e.where = about_key ? doc_.WhereKey(pointer) : doc_.WhereValue(pointer);
    }
    errors_.push_back(std::move(e));
  }

  void TypeError(const std::string& pointer, const std::string& what, const std::string& expected,
                 const Value& got) {
    Error(pointer, what + " must be " + expected + ", got " + Describe(got));
  }

  // `free_form`: a mapping users may annotate with keys of their own (metadata), where an unknown
  // key is a warning (a likely typo is still named) rather than an error.
  template <std::size_t N>
  void CheckKeys(const Value& map, const std::string& pointer, const KeyRule (&rules)[N],
                 const std::string& context, std::vector<std::string>* later,
                 std::vector<SourceSpan>* later_where, bool free_form = false) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string& key = it.key();
      const std::string child = JoinPointer(pointer, key);
      const KeyRule* rule = FindRule(rules, key);
      if (rule == nullptr && free_form) {
        Warn(child, "'" + key + "' is not a " + context + " key flowtest knows; kept as information",
             DidYouMean(key, RuleNames(rules)));
        continue;
      }
      if (rule == nullptr) {
        core::Error e = InvalidArgument("unknown " + context + " key '" + key + "'",
                                        SuggestKey(key, RuleNames(rules), context == "step"));
        e.where = doc_.WhereKey(child);
        errors_.push_back(std::move(e));
        continue;
      }
      if (rule->kind == KeyKind::kNoEffect) {
        std::string hint;
        if (key == "assertions") hint = "did you mean 'assert'?";
        Warn(child, "'" + key + "' has no effect on a " + context + " and is ignored",
             std::move(hint));
      } else if (rule->kind == KeyKind::kLater && later != nullptr) {
        later->push_back(pointer.empty() ? key : key);
        later_where->push_back(doc_.WhereKey(child));
      }
    }
  }

  std::string RequiredString(const Value& map, const std::string& pointer, const char* key) {
    if (!map.contains(key)) {
      Error(pointer, std::string("missing required key '") + key + "'");
      return {};
    }
    const Value& v = map[key];
    if (!v.is_string() || Trim(v.get<std::string>()).empty()) {
      if (v.is_string()) {
        Error(JoinPointer(pointer, key), std::string("'") + key + "' must not be empty");
      } else {
        TypeError(JoinPointer(pointer, key), std::string("'") + key + "'", "a string", v);
      }
      return {};
    }
    return std::string(Trim(v.get<std::string>()));
  }

  std::string OptionalString(const Value& map, const std::string& pointer, const char* key) {
    if (!map.contains(key) || map[key].is_null()) return {};
    const Value& v = map[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number() || v.is_boolean()) return ToText(v);
    TypeError(JoinPointer(pointer, key), std::string("'") + key + "'", "a string", v);
    return {};
  }

  std::vector<std::string> StringList(const Value& map, const std::string& pointer,
                                      const char* key) {
    std::vector<std::string> out;
    if (!map.contains(key) || map[key].is_null()) return out;
    const Value& v = map[key];
    const std::string child = JoinPointer(pointer, key);
    if (v.is_string()) {
      out.push_back(v.get<std::string>());
      return out;
    }
    if (!v.is_array()) {
      TypeError(child, std::string("'") + key + "'", "a list of strings", v);
      return out;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        TypeError(JoinPointer(child, i), std::string("each entry of '") + key + "'", "a string",
                  v[i]);
        continue;
      }
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }

  std::shared_ptr<const CompiledValue> CompileTemplate(const Value& value,
                                                       const std::string& pointer) {
    Result<CompiledValue> compiled = CompiledValue::Compile(value);
    if (!compiled) {
      AddError(std::move(compiled).error(), pointer);
      return nullptr;
    }
    return std::make_shared<const CompiledValue>(std::move(*compiled));
  }

  void BuildDepends(const Value& root, Suite& suite) {
    if (!root.contains("depends") || root["depends"].is_null()) return;
    const Value& deps = root["depends"];
    if (!deps.is_array()) {
      TypeError("/depends", "'depends'", "a list", deps);
      return;
    }
    for (std::size_t i = 0; i < deps.size(); ++i) {
      const std::string pointer = JoinPointer("/depends", i);
      const Value& d = deps[i];
      Dependency dep;
      dep.where = doc_.WhereValue(pointer);
      if (d.is_string()) {
        dep.node_id = d.get<std::string>();
      } else if (d.is_object()) {
        CheckKeys(d, pointer, kDependencyKeys, "dependency", &suite.unsupported,
                  &suite.unsupported_where);
        dep.node_id = OptionalString(d, pointer, "node_id");
        dep.path = OptionalString(d, pointer, "path");
        if (d.contains("path_type")) {
          dep.path_type = OptionalString(d, pointer, "path_type");
          if (dep.path_type != "relative" && dep.path_type != "absolute") {
            Error(JoinPointer(pointer, "path_type"),
                  "'path_type' must be 'relative' or 'absolute', got '" + dep.path_type + "'");
          }
        }
        if (dep.node_id.empty() && dep.path.empty()) {
          Error(pointer, "a dependency needs 'node_id' or 'path'");
        }
      } else {
        TypeError(pointer, "a dependency", "a mapping with 'node_id' or 'path'", d);
        continue;
      }
      suite.depends.push_back(std::move(dep));
    }
  }

  void BuildMetadata(const Value& root, Suite& suite) {
    if (root.contains("metadata") && !root["metadata"].is_null()) {
      const Value& meta = root["metadata"];
      if (!meta.is_object()) {
        TypeError("/metadata", "'metadata'", "a mapping", meta);
      } else {
        CheckKeys(meta, "/metadata", kSuiteMetadataKeys, "suite metadata", nullptr, nullptr, true);
        suite.priority = OptionalString(meta, "/metadata", "priority");
        suite.tags = StringList(meta, "/metadata", "tags");
        if (meta.contains("estimated_duration_ms")) {
          const Value& d = meta["estimated_duration_ms"];
          if (d.is_number()) {
            suite.estimated_duration_ms = d.get<std::int64_t>();
          } else {
            TypeError("/metadata/estimated_duration_ms", "'estimated_duration_ms'", "a number", d);
          }
        }
      }
    }
    if (suite.priority.empty()) {
      suite.priority = InferPriority(suite.suite_name);
      suite.priority_inferred = true;
    }
  }

  void BuildSteps(const Value& root, Suite& suite) {
    if (!root.contains("steps")) {
      Error("", "missing required key 'steps'");
      return;
    }
    const Value& steps = root["steps"];
    if (!steps.is_array()) {
      TypeError("/steps", "'steps'", "a list of steps", steps);
      return;
    }
    if (steps.empty()) {
      Error("/steps", "'steps' is empty: a suite needs at least one step");
      return;
    }
    std::map<std::string, std::string> ids;  // normalised id -> pointer of its first use
    for (std::size_t i = 0; i < steps.size(); ++i) {
      StepSpec step = BuildStep(steps[i], i, suite);
      if (!step.id.empty()) {
        const auto [it, inserted] = ids.emplace(step.id, step.pointer);
        if (!inserted && !step.step_id.empty()) {
          const SourceSpan first = doc_.WhereValue(it->second);
          Error(JoinPointer(step.pointer, "step_id"), "duplicate step id '" + step.id + "'",
                "first used by the step at line " + std::to_string(first.line));
        }
      }
      suite.steps.push_back(std::move(step));
    }
    if (suite.estimated_duration_ms == 0) {
      suite.estimated_duration_ms = 500 * static_cast<std::int64_t>(suite.steps.size());
    }
  }

  StepSpec BuildStep(const Value& s, std::size_t index, const Suite& suite) {
    StepSpec step;
    step.index = index;
    step.pointer = JoinPointer("/steps", index);
    step.where = doc_.WhereValue(step.pointer);
    if (!s.is_object()) {
      TypeError(step.pointer, "a step", "a mapping with at least 'name' and 'request'", s);
      return step;
    }
    CheckKeys(s, step.pointer, kStepKeys, "step", &step.unsupported, &step.unsupported_where);
    step.name = RequiredString(s, step.pointer, "name");
    step.step_id = OptionalString(s, step.pointer, "step_id");
    step.id = NormalizeStepId(step.step_id);
    if (step.id.empty()) step.id = NormalizeStepId("step-" + std::to_string(index + 1) + "-" + step.name);
    step.qualified_id = suite.node_id + "::" + step.id;

    if (s.contains("continue_on_failure") && !s["continue_on_failure"].is_null()) {
      const Value& c = s["continue_on_failure"];
      if (c.is_boolean()) {
        step.continue_on_failure = c.get<bool>();
      } else {
        TypeError(JoinPointer(step.pointer, "continue_on_failure"), "'continue_on_failure'",
                  "true or false", c);
      }
    }
    if (s.contains("metadata") && !s["metadata"].is_null()) {
      const std::string pointer = JoinPointer(step.pointer, "metadata");
      const Value& meta = s["metadata"];
      if (!meta.is_object()) {
        TypeError(pointer, "step 'metadata'", "a mapping", meta);
      } else {
        std::vector<std::string> later;
        std::vector<SourceSpan> later_where;
        CheckKeys(meta, pointer, kStepMetadataKeys, "step metadata", &later, &later_where, true);
        for (std::size_t k = 0; k < later.size(); ++k) {
          step.unsupported.push_back("metadata." + later[k]);
          step.unsupported_where.push_back(later_where[k]);
        }
        if (meta.contains("timeout")) {
          step.timeout_ms = PositiveMs(meta["timeout"], JoinPointer(pointer, "timeout"));
        }
      }
    }

    if (s.contains("timeout")) {
      step.timeout_ms = PositiveMs(s["timeout"], JoinPointer(step.pointer, "timeout"));
    }
    if (s.contains("delay") && !s["delay"].is_null()) BuildDelay(s["delay"], step);
    if (s.contains("skip") && !s["skip"].is_null()) BuildSkip(s["skip"], step);

    const bool has_any_kind = s.contains("request") || s.contains("input") ||
                              s.contains("call") || s.contains("scenarios");
    if (!has_any_kind) {
      Error(step.pointer, "step '" + step.name + "' does nothing",
            "a step needs one of 'request', 'input', 'call' or 'scenarios'");
    }
    if (s.contains("request")) BuildRequest(s["request"], step);
    for (const char* key : {"request", "assert"}) {
      if (!s.contains(key)) continue;
      if (auto direct = FindDirectExpression(s[key], JoinPointer(step.pointer, key))) {
        step.unsupported.push_back(direct->second);
        step.unsupported_where.push_back(doc_.WhereValue(direct->first));
      }
    }
    if (s.contains("assert") && !s["assert"].is_null()) {
      const std::string pointer = JoinPointer(step.pointer, "assert");
      const Value& block = s["assert"];
      if (!block.is_object()) {
        TypeError(pointer, "'assert'", "a mapping", block);
      } else {
        Result<AssertionPlan> plan = AssertionPlan::Compile(block);
        if (!plan) {
          AddError(std::move(plan).error(), pointer);
        } else {
          step.assertions = std::make_shared<const AssertionPlan>(std::move(*plan));
          step.assert_block = CompileTemplate(block, pointer);
          if (step.assertions->HasCustom()) {
            step.unsupported.push_back("assert.custom");
            step.unsupported_where.push_back(doc_.WhereKey(JoinPointer(pointer, "custom")));
          }
        }
      }
    }
    if (s.contains("capture") && !s["capture"].is_null()) {
      const std::string pointer = JoinPointer(step.pointer, "capture");
      const Value& block = s["capture"];
      const auto direct = block.is_object() ? FindDirectExpression(block, pointer) : std::nullopt;
      if (!block.is_object()) {
        TypeError(pointer, "'capture'", "a mapping of variable names to expressions", block);
      } else if (direct) {
        // The whole block waits for the JavaScript sandbox: running the step reports it.
        step.unsupported.push_back(direct->second + " in 'capture'");
        step.unsupported_where.push_back(doc_.WhereValue(direct->first));
      } else {
        Result<CapturePlan> plan = CapturePlan::Compile(block);
        if (!plan) {
          AddError(std::move(plan).error(), pointer);
        } else {
          for (const core::Error& note : plan->warnings()) {
            core::Error w = note;
            w.where = doc_.WhereValue(pointer + note.pointer);
            warnings_.push_back(std::move(w));
          }
          step.captures = std::make_shared<const CapturePlan>(std::move(*plan));
        }
      }
    }
    return step;
  }

  void BuildSkip(const Value& skip, StepSpec& step) {
    std::string pointer = JoinPointer(step.pointer, "skip");
    SkipSpec spec;
    Value condition = skip;
    if (skip.is_object()) {
      for (auto it = skip.begin(); it != skip.end(); ++it) {
        if (it.key() != "when" && it.key() != "condition") {
          core::Error e = InvalidArgument("unknown skip key '" + it.key() + "'",
                                          DidYouMean(it.key(), {"when", "condition"}));
          e.where = doc_.WhereKey(JoinPointer(pointer, it.key()));
          errors_.push_back(std::move(e));
        }
      }
      const std::string when = skip.value("when", Value("pre_execution")).is_string()
                                   ? skip.value("when", "pre_execution")
                                   : std::string("?");
      if (when != "pre_execution" && when != "post_capture") {
        Error(JoinPointer(pointer, "when"),
              "'when' must be 'pre_execution' or 'post_capture', got " +
                  ToText(skip.value("when", Value())));
        return;
      }
      spec.post_capture = when == "post_capture";
      if (!skip.contains("condition")) {
        Error(pointer, "a skip block needs a 'condition'");
        return;
      }
      pointer = JoinPointer(pointer, "condition");
      condition = skip["condition"];
    }
    spec.pointer = pointer;
    if (condition.is_boolean()) {
      spec.constant = condition.get<bool>();
    } else if (condition.is_string()) {
      spec.text = condition.get<std::string>();
      const std::string trimmed(Trim(spec.text));
      if (trimmed == "true" || trimmed == "false") {
        spec.constant = trimmed == "true";
      } else if (LooksLikeJavaScript(trimmed)) {
        step.unsupported.push_back("javascript in 'skip'");
        step.unsupported_where.push_back(doc_.WhereValue(pointer));
        return;
      } else {
        if (trimmed.find("{{") == std::string::npos) {
          // No template: the condition is fixed, so a bad expression is a load error.
          Result<jmespath::Expression> compiled =
              jmespath::Expression::Compile(SkipConditionToJmesPath(trimmed));
          if (!compiled) {
            core::Error e = std::move(compiled).error();
            e.message = "invalid skip condition '" + trimmed + "': " + e.message;
            e.where = doc_.WhereValue(pointer);
            errors_.push_back(std::move(e));
            return;
          }
        }
        spec.condition = CompileTemplate(condition, pointer);
      }
    } else {
      TypeError(pointer, "'skip'", "true/false, a condition, or {when, condition}", condition);
      return;
    }
    step.skip = std::move(spec);
  }

  // `delay`: milliseconds to wait before the step, as a number, a string (a template rendered at
  // run time, or digits) or {min, max} for a random wait in that range.
  void BuildDelay(const Value& delay, StepSpec& step) {
    const std::string pointer = JoinPointer(step.pointer, "delay");
    const auto non_negative = [](const Value& v) { return v.is_number() && v.get<double>() >= 0; };
    if (non_negative(delay)) {
      step.delay = delay;
    } else if (delay.is_string()) {
      const std::string text(Trim(delay.get<std::string>()));
      const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      });
      if (!digits && text.find("{{") == std::string::npos) {
        Error(pointer, "'delay' must be milliseconds, got '" + text + "'",
              "write a number (500), a template (\"{{wait_ms}}\") or {min: 100, max: 500}");
        return;
      }
      step.delay = delay;
      step.delay_template = CompileTemplate(delay, pointer);
    } else if (delay.is_object()) {
      for (auto it = delay.begin(); it != delay.end(); ++it) {
        if (it.key() != "min" && it.key() != "max") {
          core::Error e = InvalidArgument("unknown delay key '" + it.key() + "'",
                                          DidYouMean(it.key(), {"min", "max"}));
          e.where = doc_.WhereKey(JoinPointer(pointer, it.key()));
          errors_.push_back(std::move(e));
        } else if (!non_negative(it.value())) {
          TypeError(JoinPointer(pointer, it.key()), "'" + it.key() + "'",
                    "a number of milliseconds >= 0", it.value());
        }
      }
      if (!delay.contains("min") || !delay.contains("max")) {
        Error(pointer, "a random delay needs both 'min' and 'max'");
      } else if (non_negative(delay["min"]) && non_negative(delay["max"]) &&
                 delay["min"].get<double>() > delay["max"].get<double>()) {
        Error(pointer, "'delay.min' is greater than 'delay.max'");
      } else {
        step.delay = delay;
      }
    } else if (delay.is_number()) {
      Error(pointer, "'delay' must be 0 or more milliseconds, got " + ToText(delay));
    } else {
      TypeError(pointer, "'delay'", "milliseconds (a number, a template, or {min, max})", delay);
    }
  }

  // A `certificate` map (suite or request): known keys, strings, `verify` a boolean, and either
  // a pfx_path or a cert_path (with its key_path).
  bool CheckCertificate(const Value& cert, const std::string& pointer) {
    if (!cert.is_object()) {
      TypeError(pointer, "'certificate'", "a mapping (cert_path + key_path, or pfx_path)", cert);
      return false;
    }
    const std::size_t errors_before = errors_.size();
    CheckKeys(cert, pointer, kCertificateKeys, "certificate", nullptr, nullptr);
    for (auto it = cert.begin(); it != cert.end(); ++it) {
      const std::string child = JoinPointer(pointer, it.key());
      if (it.key() == "verify") {
        if (!it.value().is_boolean() && !it.value().is_string()) {
          TypeError(child, "'verify'", "true or false", it.value());
        }
      } else if (!it.value().is_string()) {
        TypeError(child, "'" + it.key() + "'", "a string", it.value());
      }
    }
    if (cert.contains("pfx_path") && (cert.contains("cert_path") || cert.contains("key_path"))) {
      Error(pointer, "a certificate has either 'pfx_path' or 'cert_path' and 'key_path', not both");
    }
    if (cert.contains("key_path") && !cert.contains("cert_path")) {
      Error(pointer, "'key_path' needs its 'cert_path'");
    }
    return errors_.size() == errors_before;
  }

  std::optional<std::int64_t> PositiveMs(const Value& v, const std::string& pointer) {
    if (v.is_number() && v.get<double>() > 0) return v.get<std::int64_t>();
    if (v.is_string()) {
      const std::string text(Trim(v.get<std::string>()));
      if (!text.empty() && std::all_of(text.begin(), text.end(),
                                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        const long long n = std::stoll(text.substr(0, 15));
        if (n > 0) return n;
      }
    }
    Error(pointer, "a timeout must be a positive number of milliseconds, got " +
                       (v.is_string() ? "'" + v.get<std::string>() + "'" : Describe(v)));
    return std::nullopt;
  }

  void BuildRequest(const Value& r, StepSpec& step) {
    const std::string pointer = JoinPointer(step.pointer, "request");
    if (!r.is_object()) {
      TypeError(pointer, "'request'", "a mapping with 'method' and 'url'", r);
      return;
    }
    step.has_request = true;
    CheckKeys(r, pointer, kRequestKeys, "request", &step.unsupported, &step.unsupported_where);
    if (r.contains("certificate")) CheckCertificate(r["certificate"], JoinPointer(pointer, "certificate"));
    if (!r.contains("method")) {
      Error(pointer, "missing required key 'method' in the request",
            "one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
    } else if (!r["method"].is_string()) {
      TypeError(JoinPointer(pointer, "method"), "'method'", "a string", r["method"]);
    } else {
      const std::string method = r["method"].get<std::string>();
      if (method.find("{{") == std::string::npos) {
        std::string upper = method;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (!IsHttpMethod(upper)) {
          Error(JoinPointer(pointer, "method"), "unknown HTTP method '" + method + "'",
                DidYouMean(upper, {std::begin(kHttpMethods), std::end(kHttpMethods)}));
        }
      }
    }
    if (!r.contains("url")) {
      Error(pointer, "missing required key 'url' in the request");
    } else if (!r["url"].is_string()) {
      TypeError(JoinPointer(pointer, "url"), "'url'", "a string", r["url"]);
    } else {
      step.raw_url = r["url"].get<std::string>();
    }
    for (const char* key : {"headers", "params"}) {
      if (r.contains(key) && !r[key].is_null() && !r[key].is_object()) {
        TypeError(JoinPointer(pointer, key), std::string("'") + key + "'", "a mapping", r[key]);
      }
    }
    if (r.contains("timeout")) {
      step.timeout_ms = PositiveMs(r["timeout"], JoinPointer(pointer, "timeout"));
    }
    if (r.contains("follow_redirects") && !r["follow_redirects"].is_boolean() &&
        !r["follow_redirects"].is_string()) {
      TypeError(JoinPointer(pointer, "follow_redirects"), "'follow_redirects'", "true or false",
                r["follow_redirects"]);
    }
    if (r.contains("max_redirects") && !r["max_redirects"].is_string() &&
        !(r["max_redirects"].is_number_integer() && r["max_redirects"].get<std::int64_t>() >= 0)) {
      TypeError(JoinPointer(pointer, "max_redirects"), "'max_redirects'", "a count >= 0",
                r["max_redirects"]);
    }
    step.request = CompileTemplate(r, pointer);
  }

  Document doc_;
  std::vector<core::Error> errors_;
  std::vector<core::Error> warnings_;
};

}  // namespace

SuiteLoad BuildSuite(Document document) { return Builder(std::move(document)).Build(); }

SuiteLoad LoadSuite(std::string_view text, std::string file) {
  Result<Document> doc = ParseDocument(text, std::move(file));
  if (!doc) {
    SuiteLoad load;
    load.errors.push_back(std::move(doc).error());
    return load;
  }
  return BuildSuite(std::move(*doc));
}

std::string SkipConditionToJmesPath(std::string_view condition) {
  // `== 3`, `!= true`, `>= 1.5`: the original's rewrite of bare literals after a comparison into
  // JMESPath literals (`== \`3\``); quoted strings ('x') are JMESPath raw strings already.
  std::string out;
  std::size_t i = 0;
  while (i < condition.size()) {
    const bool two = i + 1 < condition.size() && condition[i + 1] == '=' &&
                     (condition[i] == '=' || condition[i] == '!' || condition[i] == '<' ||
                      condition[i] == '>');
    const bool one = !two && (condition[i] == '<' || condition[i] == '>');
    if (!two && !one) {
      out += condition[i++];
      continue;
    }
    const std::size_t op_len = two ? 2 : 1;
    out.append(condition.substr(i, op_len));
    i += op_len;
    std::size_t j = i;
    while (j < condition.size() && condition[j] == ' ') ++j;
    std::size_t k = j;
    while (k < condition.size() && (std::isalnum(static_cast<unsigned char>(condition[k])) ||
                                    condition[k] == '.' || condition[k] == '-')) {
      ++k;
    }
    const std::string_view word = condition.substr(j, k - j);
    const bool number = !word.empty() && (std::isdigit(static_cast<unsigned char>(word[0])) ||
                                          (word[0] == '-' && word.size() > 1));
    if (number || word == "true" || word == "false" || word == "null") {
      out.append(condition.substr(i, j - i)).append("`").append(word).append("`");
      i = k;
    }
  }
  return out;
}

std::string NormalizeStepId(std::string_view text) {
  const std::string lower = ToLower(Trim(text));
  std::string out;
  bool dash = false;
  for (char c : lower) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
                      c == ':' || static_cast<unsigned char>(c) >= 0x80;
    if (keep && static_cast<unsigned char>(c) < 0x80) {
      out += c;
      dash = false;
    } else if (!dash) {
      out += '-';
      dash = true;
    }
  }
  while (!out.empty() && out.front() == '-') out.erase(out.begin());
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string InferPriority(std::string_view suite_name) {
  const std::string name = ToLower(suite_name);
  const auto has = [&](std::initializer_list<const char*> words) {
    return std::any_of(words.begin(), words.end(),
                       [&](const char* w) { return name.find(w) != std::string::npos; });
  };
  if (has({"critical", "smoke", "health"})) return "critical";
  if (has({"auth", "login", "core"})) return "high";
  if (has({"edge", "optional", "experimental"})) return "low";
  return "medium";
}

}  // namespace flow::core
