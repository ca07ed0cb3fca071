#include "core/model/suite.hpp"

#include <cstring>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "core/assert/assertion_plan.hpp"
#include "core/capture/capture_plan.hpp"
#include "core/hooks/hook_plan.hpp"
#include "core/input/input_plan.hpp"
#include "core/hooks/hook_point.hpp"
#include "core/jmespath/jmespath.hpp"
#include "core/model/condition.hpp"
#include "core/model/http.hpp"
#include "core/schema/registry.hpp"
#include "core/template/template.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

using schema::KeyKind;
using schema::ObjectSpec;

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

// A condition that is not JMESPath is JavaScript when it looks like it: the original engine's
// signs (`===`, `!==`, `&&`, `||`, a leading `!`) or a method call (`.includes(`), which JMESPath
// has no syntax for. Anything else keeps its JMESPath error, so a typo is caught at load.
bool LooksLikeJavaScript(std::string_view text) {
  if (text.find("===") != std::string_view::npos || text.find("!==") != std::string_view::npos ||
      text.find("&&") != std::string_view::npos || text.find("||") != std::string_view::npos ||
      (!text.empty() && text.front() == '!')) {
    return true;
  }
  for (std::size_t dot = text.find('.'); dot != std::string_view::npos; dot = text.find('.', dot + 1)) {
    std::size_t i = dot + 1;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
    if (i > dot + 1 && i < text.size() && text[i] == '(') return true;
  }
  return false;
}

constexpr int kMaxNesting = 10;  // scenario steps inside scenario steps

// [A-Za-z_][A-Za-z0-9_]* (and '-' after the first character when `dash`).
bool IsName(std::string_view text, bool dash) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) {
    return false;
  }
  return std::all_of(text.begin() + 1, text.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (dash && c == '-');
  });
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
    CheckKeys(root, "", schema::Object("suite"), &suite.unsupported, &suite.unsupported_where);

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
          // `{value: ..., secret: true|false}`: the variable is `value`, its name is recorded in
          // suite.secret_variables (masking is the runner's and the reporters' job).
          const Value* value = &it.value();
          if (schema::IsSecretVariable(*value)) {
            const Value& secret = (*value)["secret"];
            if (!secret.is_boolean()) {
              TypeError(JoinPointer(pointer, "secret"), "'secret'", "true or false", secret);
              continue;
            }
            if (secret.get<bool>()) suite.secret_variables.push_back(it.key());
            value = &(*value)["value"];
            suite.variables[it.key()] = *value;  // the variable is its value
            if (auto compiled = CompileTemplate(*value, JoinPointer(pointer, "value"))) {
              suite.variable_templates.emplace_back(it.key(), std::move(compiled));
            }
            continue;
          }
          if (auto compiled = CompileTemplate(*value, pointer)) {
            suite.variable_templates.emplace_back(it.key(), std::move(compiled));
          }
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
    suite.needs_input = needs_input_;

    suite.file = doc_.file;
    suite.text = doc_.text;
    return Finish(std::move(load), std::move(suite));
  }

 private:
  SuiteLoad Finish(SuiteLoad load, std::optional<Suite> suite) {
    load.errors = std::move(errors_);
    load.warnings = std::move(warnings_);
    if (load.errors.empty() && suite) {
      suite->scripts = std::move(scripts_);
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

  // Unknown keys, no-effect warnings and later features of `map`, by the registry's `spec`.
  // A free-form mapping (metadata: UnknownKeys::kWarn) keeps keys of the user's own with a
  // warning (a likely typo is still named) rather than an error. `context` names the mapping in
  // messages (default: the spec's noun).
  void CheckKeys(const Value& map, const std::string& pointer, const ObjectSpec& spec,
                 std::vector<std::string>* later, std::vector<SourceSpan>* later_where,
                 const std::string& context_override = {}) {
    const std::string& context = context_override.empty() ? spec.noun : context_override;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string& key = it.key();
      const std::string child = JoinPointer(pointer, key);
      const schema::KeySpec* rule = spec.FindKey(key);
      if (rule == nullptr && spec.unknown == schema::UnknownKeys::kWarn) {
        Warn(child, "'" + key + "' is not a " + context + " key flowtest knows; kept as information",
             DidYouMean(key, spec.KeyNames(true)));
        continue;
      }
      if (rule == nullptr) {
        core::Error e = InvalidArgument("unknown " + context + " key '" + key + "'",
                                        SuggestKey(key, spec.KeyNames(true), context == "step"));
        e.where = doc_.WhereKey(child);
        errors_.push_back(std::move(e));
        continue;
      }
      if (rule->kind == KeyKind::kNoEffect) {
        Warn(child, "'" + key + "' has no effect on a " + context + " and is ignored", rule->hint);
      } else if (rule->kind == KeyKind::kLater && later != nullptr) {
        later->push_back(key);
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
    NoteScriptUses(compiled->ScriptUses(), pointer);
    return std::make_shared<const CompiledValue>(std::move(*compiled));
  }

  // JavaScript and faker found in a compiled value: each is a script site, and a problem of the
  // static check is a load error at the string.
  void NoteScriptUses(const std::vector<ScriptUse>& uses, const std::string& pointer) {
    for (const ScriptUse& use : uses) {
      const std::string at = pointer + use.pointer;
      NoteScript(at, use.faker ? "faker" : "javascript");
      if (use.problem) {
        Error(at, "javascript: " + use.problem->message + " (line " +
                      std::to_string(use.problem->line) + ", column " +
                      std::to_string(use.problem->column) + " of '" + use.code + "')",
              use.problem->hint);
      }
    }
  }

  void NoteScript(const std::string& pointer, std::string what) {
    scripts_.push_back({.where = doc_.WhereValue(pointer), .what = std::move(what)});
  }

  // Where the text of a string value starts in the file: after the opening quote, or on the
  // line after a block scalar's `|` / `>` indicator (whose lines all start at its indentation).
  struct CodeStart {
    int line = 0, column = 0, continuation_column = 0;
  };
  CodeStart FindCodeStart(const SourceSpan& where) const {
    CodeStart start{.line = where.line, .column = where.column};
    const std::string& text = doc_.text;
    std::size_t pos = 0;
    for (int line = 1; line < where.line && pos != std::string::npos; ++line) {
      pos = text.find('\n', pos);
      if (pos != std::string::npos) ++pos;
    }
    if (pos == std::string::npos || where.column < 1) return start;
    pos += static_cast<std::size_t>(where.column - 1);
    if (pos >= text.size()) return start;
    const char c = text[pos];
    if (c == '"' || c == '\'') {
      start.column += 1;
    } else if (c == '|' || c == '>') {
      const std::size_t next = text.find('\n', pos);
      if (next == std::string::npos) return start;
      std::size_t first = next + 1;
      while (first < text.size() && text[first] == ' ') ++first;
      start.line += 1;
      start.column = static_cast<int>(first - next);
      start.continuation_column = start.column;
    }
    return start;
  }

  // A piece of JavaScript at `pointer` (a string value): checked now, located in the file.
  std::optional<ScriptSource> BuildScriptSource(const std::string& code, ScriptCallKind kind,
                                                const std::string& pointer, std::string what) {
    NoteScript(pointer, what);
    Result<ScriptSource> source = ScriptSource::Make(kind, code);
    const SourceSpan where = doc_.WhereValue(pointer);
    if (!source) {
      core::Error e = std::move(source).error();
      e.message = what + ": " + e.message.substr(std::string_view("javascript: ").size()) +
                  " (line " + std::to_string(e.where->line) + ", column " +
                  std::to_string(e.where->column) + " of the code)";
      // The problem's own place in the file.
      const CodeStart start = FindCodeStart(where);
      SourceSpan at = where;
      at.line = start.line + e.where->line - 1;
      at.column = e.where->line == 1 ? start.column + e.where->column - 1
                                     : (start.continuation_column > 0 ? start.continuation_column : 1) +
                                           e.where->column - 1;
      at.length = 0;
      e.where = at;
      errors_.push_back(std::move(e));
      return std::nullopt;
    }
    const CodeStart start = FindCodeStart(where);
    source->file = where.file;
    source->line = start.line;
    source->column = start.column;
    source->continuation_column = start.continuation_column;
    return std::move(source).value();
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
        CheckKeys(d, pointer, schema::Object("dependency"), &suite.unsupported,
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
        if (d.contains("required") && !d["required"].is_null()) {
          if (d["required"].is_boolean()) {
            dep.required = d["required"].get<bool>();
          } else {
            TypeError(JoinPointer(pointer, "required"), "'required'", "true or false", d["required"]);
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
        CheckKeys(meta, "/metadata", schema::Object("suite.metadata"), nullptr, nullptr);
        suite.priority = OptionalString(meta, "/metadata", "priority");
        suite.tags = StringList(meta, "/metadata", "tags");
        if (meta.contains("estimated_duration_ms") && !meta["estimated_duration_ms"].is_null()) {
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
    suite.steps.reserve(steps.size());  // a StepSpec is large: no doubling on the way
    for (std::size_t i = 0; i < steps.size(); ++i) {
      StepSpec step = BuildStep(steps[i], i, suite, JoinPointer("/steps", i), "", 0);
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

  StepSpec BuildStep(const Value& s, std::size_t index, const Suite& suite,
                     const std::string& pointer, const std::string& id_prefix, int depth) {
    StepSpec step;
    step.index = index;
    step.pointer = pointer;
    step.where = doc_.WhereValue(step.pointer);
    step.suite_file = doc_.file;
    if (!s.is_object()) {
      TypeError(step.pointer, "a step", "a mapping with at least 'name' and 'request'", s);
      return step;
    }
    CheckKeys(s, step.pointer, schema::Object("step"), &step.unsupported, &step.unsupported_where);
    step.name = RequiredString(s, step.pointer, "name");
    step.step_id = OptionalString(s, step.pointer, "step_id");
    step.id = NormalizeStepId(step.step_id);
    if (step.id.empty()) {
      step.id = id_prefix + NormalizeStepId("step-" + std::to_string(index + 1) + "-" + step.name);
    }
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
      const std::string meta_pointer = JoinPointer(step.pointer, "metadata");
      const Value& meta = s["metadata"];
      if (!meta.is_object()) {
        TypeError(meta_pointer, "step 'metadata'", "a mapping", meta);
      } else {
        std::vector<std::string> later;
        std::vector<SourceSpan> later_where;
        CheckKeys(meta, meta_pointer, schema::Object("step.metadata"), &later, &later_where);
        for (std::size_t k = 0; k < later.size(); ++k) {
          step.unsupported.push_back("metadata." + later[k]);
          step.unsupported_where.push_back(later_where[k]);
        }
        if (meta.contains("timeout")) {
          step.timeout_ms = PositiveMs(meta["timeout"], JoinPointer(meta_pointer, "timeout"));
        }
        if (meta.contains("retry") && !meta["retry"].is_null() && !s.contains("retry")) {
          step.retry = BuildRetry(meta["retry"], JoinPointer(meta_pointer, "retry"), step);
        }
      }
    }

    if (s.contains("timeout")) {
      step.timeout_ms = PositiveMs(s["timeout"], JoinPointer(step.pointer, "timeout"));
    }
    if (s.contains("delay") && !s["delay"].is_null()) BuildDelay(s["delay"], step);
    if (s.contains("skip") && !s["skip"].is_null()) {
      BuildSkip(s["skip"], JoinPointer(step.pointer, "skip"), false, step);
    }
    if (s.contains("skip_condition") && !s["skip_condition"].is_null()) {
      if (step.skip) {
        Error(JoinPointer(step.pointer, "skip_condition"),
              "a step has either 'skip' or 'skip_condition', not both", "", true);
      } else {
        BuildSkip(s["skip_condition"], JoinPointer(step.pointer, "skip_condition"), false, step);
      }
    }
    if (s.contains("condition") && !s["condition"].is_null()) {
      if (step.skip) {
        Error(JoinPointer(step.pointer, "condition"),
              "a step has one of 'skip', 'skip_condition' and 'condition', not several", "", true);
      } else {
        BuildSkip(s["condition"], JoinPointer(step.pointer, "condition"), true, step);
      }
    }
    if (s.contains("retry") && !s["retry"].is_null()) {
      step.retry = BuildRetry(s["retry"], JoinPointer(step.pointer, "retry"), step);
    }

    const bool has_any_kind = s.contains("request") || s.contains("input") ||
                              s.contains("call") || s.contains("scenarios");
    if (!has_any_kind) {
      Error(step.pointer, "step '" + step.name + "' does nothing",
            "a step needs one of 'request', 'input', 'call' or 'scenarios'");
    }
    if (s.contains("call")) {
      for (const char* other : {"request", "input", "scenarios"}) {
        if (s.contains(other)) {
          Error(JoinPointer(step.pointer, other),
                std::string("a step cannot define 'call' alongside '") + other + "'",
                "put the " + std::string(other) + " in its own step", true);
        }
      }
      BuildCall(s["call"], JoinPointer(step.pointer, "call"), step);
    }
    if (s.contains("steps")) {
      Error(JoinPointer(step.pointer, "steps"), "nested 'steps' belong in a scenario branch",
            "write them under scenarios: - condition: ... then: steps: [...]", true);
    }
    if (s.contains("iterate") && !s["iterate"].is_null()) {
      BuildIterate(s["iterate"], JoinPointer(step.pointer, "iterate"), step);
    }
    if (s.contains("request")) BuildRequest(s["request"], step);
    for (const char* key : {"pre_request", "post_request"}) {
      if (s.contains(key) && !s[key].is_null()) {
        BuildStepScript(s[key], JoinPointer(step.pointer, key), key,
                        key[1] == 'r' ? step.pre_request : step.post_request);
      }
    }
    if (s.contains("assert") && !s["assert"].is_null()) {
      BuildAssert(s["assert"], JoinPointer(step.pointer, "assert"), step, step.assert_block,
                  step.assertions);
    }
    if (s.contains("capture") && !s["capture"].is_null()) {
      step.captures = BuildCapture(s["capture"], JoinPointer(step.pointer, "capture"), step);
    }
    if (s.contains("scenarios") && !s["scenarios"].is_null()) {
      BuildScenarios(s["scenarios"], JoinPointer(step.pointer, "scenarios"), suite, step, depth);
    }
    if (s.contains("input") && !s["input"].is_null()) {
      BuildInput(s["input"], JoinPointer(step.pointer, "input"), step);
    }
    BuildHooks(s, step);
    return step;
  }

  void BuildAssert(const Value& block, const std::string& pointer, StepSpec& step,
                   std::shared_ptr<const CompiledValue>& compiled,
                   std::shared_ptr<const AssertionPlan>& plan_out) {
    if (!block.is_object()) {
      TypeError(pointer, "'assert'", "a mapping", block);
      return;
    }
    Result<AssertionPlan> plan = AssertionPlan::Compile(block);
    if (!plan) {
      AddError(std::move(plan).error(), pointer);
      return;
    }
    for (const core::Error& note : plan->warnings()) {
      core::Error w = note;
      w.where = doc_.WhereKey(pointer + note.pointer);
      warnings_.push_back(std::move(w));
    }
    plan_out = std::make_shared<const AssertionPlan>(std::move(*plan));
    compiled = CompileTemplate(block, pointer);
    for (const CustomAssertion& custom : plan_out->custom()) {
      std::string code(Trim(custom.condition));
      for (const char* prefix : {"$js:", "js:"}) {
        if (StartsWith(code, prefix)) code = std::string(Trim(code.substr(std::strlen(prefix))));
      }
      // `return …` statements (the original ran `return <condition>`), else one expression.
      const bool block_code = StartsWith(code, "return ") || code.find(';') != std::string::npos ||
                              code.find('\n') != std::string::npos;
      std::optional<ScriptSource> source =
          BuildScriptSource(code, block_code ? ScriptCallKind::kBlock : ScriptCallKind::kExpression,
                            pointer + custom.pointer + "/condition", "custom assertion '" + custom.name + "'");
      if (!source) continue;
      step.custom_assertions.push_back({.name = custom.name,
                                        .message = custom.message,
                                        .source = std::move(*source),
                                        .pointer = pointer + custom.pointer});
    }
  }

  // pre_request / post_request: {script | script_file, timeout, continue_on_error}.
  void BuildStepScript(const Value& v, const std::string& pointer, const std::string& key,
                       std::optional<StepScript>& out) {
    if (!v.is_object()) {
      TypeError(pointer, "'" + key + "'", "a mapping with 'script' (or 'script_file')", v);
      return;
    }
    CheckKeys(v, pointer, schema::Object("step.script"), nullptr, nullptr, key);
    StepScript script;
    script.pointer = pointer;
    bool failed = false;
    const bool has_script = v.contains("script") && !v["script"].is_null();
    const bool has_file = v.contains("script_file") && !v["script_file"].is_null();
    if (has_script == has_file) {
      Error(pointer, has_script ? "'" + key + "' has both 'script' and 'script_file'"
                                : "'" + key + "' needs 'script' (JavaScript code) or 'script_file'");
      return;
    }
    if (has_file) {
      if (!v["script_file"].is_string() || Trim(v["script_file"].get<std::string>()).empty()) {
        TypeError(JoinPointer(pointer, "script_file"), "'script_file'", "a file path", v["script_file"]);
        return;
      }
      script.script_file = std::string(Trim(v["script_file"].get<std::string>()));
      NoteScript(JoinPointer(pointer, "script_file"), "javascript");
    } else {
      if (!v["script"].is_string()) {
        TypeError(JoinPointer(pointer, "script"), "'script'", "JavaScript code (a string)", v["script"]);
        return;
      }
      script.source =
          BuildScriptSource(v["script"].get<std::string>(), ScriptCallKind::kBlock,
                            JoinPointer(pointer, "script"), "'" + key + "' script");
      if (!script.source) failed = true;
    }
    if (v.contains("timeout") && !v["timeout"].is_null()) {
      const Value& t = v["timeout"];
      if (!t.is_number() || t.get<double>() < 1 || t.get<double>() > 600000) {
        Error(JoinPointer(pointer, "timeout"), "'timeout' must be a number of milliseconds from 1 to 600000");
        failed = true;
      } else {
        script.timeout_ms = static_cast<int>(t.get<double>());
      }
    }
    if (v.contains("continue_on_error") && !v["continue_on_error"].is_null()) {
      if (!v["continue_on_error"].is_boolean()) {
        TypeError(JoinPointer(pointer, "continue_on_error"), "'continue_on_error'", "true or false",
                  v["continue_on_error"]);
        return;
      }
      script.continue_on_error = v["continue_on_error"].get<bool>();
    }
    if (!failed) out = std::move(script);
  }

  std::shared_ptr<const CapturePlan> BuildCapture(const Value& block, const std::string& pointer,
                                                  StepSpec& /*step*/) {
    if (!block.is_object()) {
      TypeError(pointer, "'capture'", "a mapping of variable names to expressions", block);
      return nullptr;
    }
    for (auto it = block.begin(); it != block.end(); ++it) {
      // A string, or the `path` of the entry form {path, redact}.
      const bool entry_form = IsCaptureEntryForm(it.value()) && it.value().contains("path");
      const Value& text = entry_form ? it.value()["path"] : it.value();
      if (!text.is_string()) continue;
      Result<CompiledValue> compiled = CompiledValue::Compile(text);
      const std::string at = JoinPointer(pointer, it.key());
      if (compiled) NoteScriptUses(compiled->ScriptUses(), entry_form ? JoinPointer(at, "path") : at);
    }
    Result<CapturePlan> plan = CapturePlan::Compile(block);
    if (!plan) {
      AddError(std::move(plan).error(), pointer);
      return nullptr;
    }
    for (const core::Error& note : plan->warnings()) {
      core::Error w = note;
      w.where = doc_.WhereValue(pointer + note.pointer);
      warnings_.push_back(std::move(w));
    }
    return std::make_shared<const CapturePlan>(std::move(*plan));
  }

  std::shared_ptr<const Condition> BuildCondition(const Value& v, const std::string& pointer,
                                                  StepSpec& /*step*/, const std::string& noun) {
    std::string text;
    if (v.is_boolean()) {
      text = v.get<bool>() ? "`true`" : "`false`";
    } else if (v.is_string()) {
      text = std::string(Trim(v.get<std::string>()));
    } else {
      TypeError(pointer, "a " + noun, "a condition (a JMESPath expression)", v);
      return nullptr;
    }
    if (text.empty()) {
      Error(pointer, "the " + noun + " is empty");
      return nullptr;
    }
    Result<Condition> c = Condition::Compile(text);
    if (!c && LooksLikeJavaScript(text)) {
      Result<Condition> js = Condition::CompileJavaScript(text);
      if (js) {
        NoteScript(pointer, "javascript");
        return std::make_shared<const Condition>(std::move(*js));
      }
      c = std::move(js);  // report the JavaScript problem
    }
    if (!c) {
      core::Error e = std::move(c).error();
      if (e.message.rfind("invalid condition", 0) == 0) {
        e.message = "invalid " + noun + e.message.substr(std::string_view("invalid condition").size());
      } else if (e.message.rfind("invalid javascript condition", 0) == 0) {
        e.message = "invalid javascript " + noun +
                    e.message.substr(std::string_view("invalid javascript condition").size());
      }
      e.where = doc_.WhereValue(pointer);
      errors_.push_back(std::move(e));
      return nullptr;
    }
    return std::make_shared<const Condition>(std::move(*c));
  }

  void BuildIterate(const Value& it, const std::string& pointer, StepSpec& step) {
    if (!it.is_object()) {
      TypeError(pointer, "'iterate'", "a mapping with 'over' or 'range', and 'as'", it);
      return;
    }
    CheckKeys(it, pointer, schema::Object("iterate"), nullptr, nullptr);
    IterateSpec spec;
    spec.pointer = pointer;
    const bool has_over = it.contains("over") && !it["over"].is_null();
    const bool has_range = it.contains("range") && !it["range"].is_null();
    if (has_over == has_range) {
      Error(pointer, has_over ? "'iterate' has both 'over' and 'range'"
                              : "'iterate' needs 'over' (a list) or 'range' (\"1..10\")");
      return;
    }
    if (has_over) {
      const Value& over = it["over"];
      if (!over.is_string() || Trim(over.get<std::string>()).empty()) {
        TypeError(JoinPointer(pointer, "over"), "'over'",
                  "a variable name, a path or a \"{{…}}\" expression that yields a list", over);
        return;
      }
      spec.over_text = std::string(Trim(over.get<std::string>()));
      spec.over = CompileTemplate(Value(spec.over_text), JoinPointer(pointer, "over"));
    } else {
      const Value& range = it["range"];
      if (!range.is_string()) {
        TypeError(JoinPointer(pointer, "range"), "'range'", "\"A..B\" (e.g. \"1..10\")", range);
        return;
      }
      spec.range_text = std::string(Trim(range.get<std::string>()));
      if (spec.range_text.find("..") == std::string::npos) {
        Error(JoinPointer(pointer, "range"),
              "'range' must be \"A..B\" (e.g. \"1..10\"), got '" + spec.range_text + "'");
        return;
      }
      spec.range = CompileTemplate(Value(spec.range_text), JoinPointer(pointer, "range"));
    }
    if (it.contains("as")) {
      const Value& as = it["as"];
      if (!as.is_string() || !IsName(as.get<std::string>(), false)) {
        Error(JoinPointer(pointer, "as"),
              "'as' must be a variable name (letters, digits, '_'), got " +
                  (as.is_string() ? "'" + as.get<std::string>() + "'" : Describe(as)));
        return;
      }
      spec.as = as.get<std::string>();
    }
    step.iterate = std::move(spec);
  }

  std::optional<RetrySpec> BuildRetry(const Value& r, const std::string& pointer, StepSpec& step) {
    if (!r.is_object()) {
      if (r.is_number_integer() && r.get<std::int64_t>() >= 1) {
        RetrySpec spec;  // `retry: 3`
        spec.max_attempts = static_cast<int>(std::min<std::int64_t>(r.get<std::int64_t>(), 100));
        spec.pointer = pointer;
        return spec;
      }
      TypeError(pointer, "'retry'", "a mapping with 'max_attempts' (and delay_ms, backoff, retry_on, until)", r);
      return std::nullopt;
    }
    CheckKeys(r, pointer, schema::Object("retry"), nullptr, nullptr);
    RetrySpec spec;
    spec.pointer = pointer;
    const std::size_t before = errors_.size();
    const auto count = [&](const char* key, std::int64_t low, std::int64_t high) -> std::optional<std::int64_t> {
      if (!r.contains(key) || r[key].is_null()) return std::nullopt;
      const Value& v = r[key];
      if (v.is_string() && v.get<std::string>().find("{{") != std::string::npos) {
        auto compiled = CompileTemplate(v, JoinPointer(pointer, key));
        if (std::string_view(key) == "max_attempts") {
          spec.max_attempts_template = compiled;
        } else {
          spec.delay_template = compiled;
        }
        return std::nullopt;
      }
      if (!v.is_number() || v.get<double>() < static_cast<double>(low) ||
          v.get<double>() > static_cast<double>(high)) {
        Error(JoinPointer(pointer, key), std::string("'") + key + "' must be a number from " +
                                             std::to_string(low) + " to " + std::to_string(high) +
                                             ", got " + ToText(v));
        return std::nullopt;
      }
      return v.get<std::int64_t>();
    };
    if (auto n = count("max_attempts", 1, 100)) spec.max_attempts = static_cast<int>(*n);
    if (auto d = count("delay_ms", 0, 3'600'000)) spec.delay_ms = *d;
    if (auto d = count("delay", 0, 3'600'000)) spec.delay_ms = *d;
    if (auto d = count("max_delay_ms", 0, 3'600'000)) spec.max_delay_ms = *d;
    for (const char* key : {"strategy", "backoff", "backoff_multiplier"}) {
      if (!r.contains(key) || r[key].is_null()) continue;
      const Value& b = r[key];
      if (b.is_number() && b.get<double>() >= 1 && b.get<double>() <= 10) {
        spec.backoff = b.get<double>();
      } else if (b.is_string() && (b == "fixed" || b == "constant" || b == "none")) {
        spec.backoff = 1;
      } else if (b.is_string() && b == "exponential") {
        spec.backoff = 2;
      } else if (b.is_string() && b == "linear") {
        spec.backoff = -1;  // delay grows by delay_ms each try
      } else {
        Error(JoinPointer(pointer, key),
              std::string("'") + key + "' must be a multiplier from 1 to 10, or fixed, linear or exponential, got " +
                  ToText(b));
      }
    }
    if (r.contains("jitter") && r["jitter"].is_boolean()) {
      spec.jitter_ms = r["jitter"].get<bool>() ? -1 : 0;  // true: up to half the delay
    } else if (auto j = count("jitter", 0, 3'600'000)) {
      spec.jitter_ms = *j;
    }
    if (auto j = count("jitter_max_ms", 0, 3'600'000)) spec.jitter_ms = *j;
    const bool has_retry_on = r.contains("retry_on") && !r["retry_on"].is_null();
    const bool has_codes = r.contains("on_status_codes") && !r["on_status_codes"].is_null();
    if (has_retry_on || has_codes) {
      const char* key = has_retry_on ? "retry_on" : "on_status_codes";
      const std::string on_pointer = JoinPointer(pointer, key);
      Value list = r[key];
      if (!list.is_array()) list = Value::array({list});
      spec.on_network_error = false;
      spec.on_assertion_failure = false;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const Value& raw = list[i];
        if (raw.is_object() && raw.size() == 1 && raw.contains("timeout") && raw["timeout"] == true) {
          spec.on_network_error = true;
          continue;
        }
        if (raw.is_object() && raw.contains("condition") && !raw["condition"].is_null()) {
          // `{status_code: 200, condition: "body.status == 'processing'"}`: retry while it holds.
          spec.retry_if = BuildCondition(raw["condition"], JoinPointer(JoinPointer(on_pointer, i), "condition"),
                                         step, "retry condition");
          spec.retry_if_text = ToText(raw["condition"]);
          continue;
        }
        const Value& item = raw.is_object() && raw.size() == 1 && raw.contains("status_code")
                                ? raw["status_code"]
                                : raw;
        const std::string item_pointer = JoinPointer(on_pointer, i);
        if (item.is_number_integer() && item.get<int>() >= 100 && item.get<int>() <= 599) {
          spec.retry_on_status.push_back(item.get<int>());
          continue;
        }
        const std::string word = item.is_string() ? ToLower(Trim(item.get<std::string>())) : "";
        if (word.size() == 3 && std::isdigit(static_cast<unsigned char>(word[0])) && word.substr(1) == "xx") {
          for (int code = (word[0] - '0') * 100; code < (word[0] - '0') * 100 + 100; ++code) {
            spec.retry_on_status.push_back(code);
          }
        } else if (word.size() == 3 && std::all_of(word.begin(), word.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
          spec.retry_on_status.push_back(std::stoi(word));
        } else if (word == "network_error" || word == "network_errors" || word == "network" ||
                   word == "timeout" || word == "connection_error") {
          spec.on_network_error = true;
        } else if (word == "assertion_failure" || word == "assertion_failures" ||
                   word == "assertions" || word == "assertion") {
          spec.on_assertion_failure = true;
        } else {
          Error(item_pointer,
                "'retry_on' entries are status codes (503, \"5xx\"), network_error or assertion_failure, got " +
                    ToText(item));
        }
      }
    }
    if (r.contains("on_timeout") && r["on_timeout"].is_boolean() && r["on_timeout"].get<bool>()) {
      spec.on_network_error = true;
    }
    if (r.contains("condition") && !r["condition"].is_null()) {
      spec.retry_if = BuildCondition(r["condition"], JoinPointer(pointer, "condition"), step,
                                     "retry condition");
      spec.retry_if_text = r["condition"].is_string() ? r["condition"].get<std::string>() : ToText(r["condition"]);
    }
    if (r.contains("until") && !r["until"].is_null()) {
      StepSpec scratch;
      spec.until = BuildCondition(r["until"], JoinPointer(pointer, "until"), scratch, "retry 'until' condition");
      spec.until_text = r["until"].is_string() ? r["until"].get<std::string>() : ToText(r["until"]);
    }
    if (errors_.size() != before) return std::nullopt;
    return spec;
  }

  void BuildCall(const Value& c, const std::string& pointer, StepSpec& step) {
    if (!c.is_object()) {
      TypeError(pointer, "'call'", "a mapping with 'test' and 'step'", c);
      return;
    }
    CheckKeys(c, pointer, schema::Object("call"), nullptr, nullptr);
    CallSpec spec;
    spec.pointer = pointer;
    const std::size_t before = errors_.size();
    const std::string test = RequiredString(c, pointer, "test");
    spec.step = RequiredString(c, pointer, "step");
    if (!test.empty()) spec.test = CompileTemplate(Value(test), JoinPointer(pointer, "test"));
    if (c.contains("variables") && !c["variables"].is_null()) {
      if (!c["variables"].is_object()) {
        TypeError(JoinPointer(pointer, "variables"), "call 'variables'", "a mapping", c["variables"]);
      } else {
        spec.variables = CompileTemplate(c["variables"], JoinPointer(pointer, "variables"));
      }
    }
    spec.alias = OptionalString(c, pointer, "alias");
    if (!spec.alias.empty()) {
      if (!IsName(spec.alias, true)) {
        Error(JoinPointer(pointer, "alias"), "'alias' must be a name (letters, digits, '_', '-'), got '" + spec.alias + "'");
      }
    }
    if (c.contains("isolate_context") && !c["isolate_context"].is_null()) {
      if (c["isolate_context"].is_boolean()) {
        spec.isolate_context = c["isolate_context"].get<bool>();
      } else {
        TypeError(JoinPointer(pointer, "isolate_context"), "'isolate_context'", "true or false", c["isolate_context"]);
      }
    }
    const auto one_of = [&](const char* key, std::initializer_list<const char*> allowed, std::string& out) {
      if (!c.contains(key) || c[key].is_null()) return;
      const std::string v = OptionalString(c, pointer, key);
      for (const char* a : allowed) {
        if (v == a) {
          out = v;
          return;
        }
      }
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Error(JoinPointer(pointer, key), std::string("'") + key + "' must be one of " + list + ", got '" + v + "'");
    };
    one_of("on_error", {"fail", "continue", "warn"}, spec.on_error);
    one_of("path_type", {"relative", "absolute"}, spec.path_type);
    if (c.contains("timeout")) spec.timeout_ms = PositiveMs(c["timeout"], JoinPointer(pointer, "timeout"));
    if (c.contains("retry") && !c["retry"].is_null() && !step.retry) {
      step.retry = BuildRetry(c["retry"], JoinPointer(pointer, "retry"), step);
    }
    if (errors_.size() == before) step.call = std::move(spec);
  }

  std::shared_ptr<ScenarioBranch> BuildBranch(const Value& b, const std::string& pointer,
                                              const Suite& suite, StepSpec& step, int depth,
                                              const std::string& id_prefix) {
    auto branch = std::make_shared<ScenarioBranch>();
    branch->pointer = pointer;
    if (b.is_null()) return branch;
    if (!b.is_object()) {
      TypeError(pointer, "a scenario branch", "a mapping with assert, capture, variables, request or steps", b);
      return nullptr;
    }
    CheckKeys(b, pointer, schema::Object("scenario.branch"), nullptr, nullptr);
    if (b.contains("assert") && !b["assert"].is_null()) {
      BuildAssert(b["assert"], JoinPointer(pointer, "assert"), step, branch->assert_block, branch->assertions);
    }
    if (b.contains("capture") && !b["capture"].is_null()) {
      branch->captures = BuildCapture(b["capture"], JoinPointer(pointer, "capture"), step);
    }
    if (b.contains("variables") && !b["variables"].is_null()) {
      const Value& vars = b["variables"];
      if (!vars.is_object()) {
        TypeError(JoinPointer(pointer, "variables"), "branch 'variables'", "a mapping", vars);
      } else {
        for (auto it = vars.begin(); it != vars.end(); ++it) {
          const std::string p = JoinPointer(JoinPointer(pointer, "variables"), it.key());
          if (auto compiled = CompileTemplate(it.value(), p)) branch->variables.emplace_back(it.key(), compiled);
        }
      }
    }
    if (b.contains("request") && !b["request"].is_null()) {
      StepSpec scratch;
      scratch.pointer = pointer;
      BuildRequest(b["request"], scratch);
      branch->request = scratch.request;
      branch->raw_url = scratch.raw_url;
      if (scratch.timeout_ms && !step.timeout_ms) step.timeout_ms = scratch.timeout_ms;
    }
    if (b.contains("steps") && !b["steps"].is_null()) {
      const Value& steps = b["steps"];
      const std::string steps_pointer = JoinPointer(pointer, "steps");
      if (!steps.is_array()) {
        TypeError(steps_pointer, "'steps'", "a list of steps", steps);
      } else if (depth >= kMaxNesting) {
        Error(steps_pointer, "nested steps go deeper than " + std::to_string(kMaxNesting) + " levels");
      } else {
        for (std::size_t i = 0; i < steps.size(); ++i) {
          branch->steps.push_back(BuildStep(steps[i], i, suite, JoinPointer(steps_pointer, i),
                                            id_prefix, depth + 1));
        }
      }
    }
    return branch;
  }

  void BuildScenarios(const Value& list, const std::string& pointer, const Suite& suite,
                      StepSpec& step, int depth) {
    if (!list.is_array()) {
      TypeError(pointer, "'scenarios'", "a list of {condition, then, else}", list);
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string p = JoinPointer(pointer, i);
      const Value& sc = list[i];
      if (!sc.is_object()) {
        TypeError(p, "a scenario", "a mapping with 'condition' and 'then' or 'else'", sc);
        continue;
      }
      CheckKeys(sc, p, schema::Object("scenario"), nullptr, nullptr);
      ScenarioSpec spec;
      spec.pointer = p;
      spec.name = OptionalString(sc, p, "name");
      if (!sc.contains("condition") || sc["condition"].is_null()) {
        Error(p, "a scenario needs a 'condition'");
        continue;
      }
      spec.condition_text = sc["condition"].is_string() ? sc["condition"].get<std::string>() : ToText(sc["condition"]);
      spec.condition = BuildCondition(sc["condition"], JoinPointer(p, "condition"), step, "scenario condition");
      if (!sc.contains("then") && !sc.contains("else")) {
        Error(p, "a scenario needs 'then' or 'else'");
      }
      const std::string prefix = step.id + ".s" + std::to_string(i + 1) + "-";
      if (sc.contains("then")) {
        spec.then_branch = BuildBranch(sc["then"], JoinPointer(p, "then"), suite, step, depth, prefix + "then-");
      }
      if (sc.contains("else")) {
        spec.else_branch = BuildBranch(sc["else"], JoinPointer(p, "else"), suite, step, depth, prefix + "else-");
      }
      step.scenarios.push_back(std::move(spec));
    }
  }

  void BuildInput(const Value& input, const std::string& pointer, StepSpec& step) {
    needs_input_ = true;
    step.input_pointer = pointer;
    InputPlanLoad load = InputPlan::Compile(input);
    for (core::Error& e : load.errors) AddError(std::move(e), pointer);
    for (core::Error& w : load.warnings) {
      w.where = doc_.WhereKey(pointer + w.pointer);
      warnings_.push_back(std::move(w));
    }
    if (!load.plan) return;
    for (const InputScriptUse& u : load.plan->scripts()) NoteScript(pointer + u.pointer, u.what);
    step.input = std::make_shared<const InputPlan>(std::move(*load.plan));
  }

  void BuildHooks(const Value& s, StepSpec& step) {
    for (auto it = s.begin(); it != s.end(); ++it) {
      const std::optional<HookPoint> point = HookPointFromKey(it.key());
      if (!point) continue;
      const std::string pointer = JoinPointer(step.pointer, it.key());
      HookPlanLoad load = HookPlan::Compile(it.value());
      for (core::Error& e : load.errors) AddError(std::move(e), pointer);
      for (core::Error& w : load.warnings) {
        w.where = doc_.WhereKey(pointer + w.pointer);
        warnings_.push_back(std::move(w));
      }
      if (!load.plan) continue;
      for (const HookScriptUse& u : load.plan->scripts()) NoteScript(pointer + u.pointer, u.what);
      const std::size_t index = HookPointIndex(*point);
      step.hooks[index] = std::make_shared<const HookPlan>(std::move(*load.plan));
      step.hook_pointers[index] = pointer;
    }
  }

  // `skip`, `skip_condition`, or (negate) a step `condition`: the step runs only when it holds.
  void BuildSkip(const Value& skip, std::string pointer, bool negate, StepSpec& step) {
    SkipSpec spec;
    spec.negate = negate;
    Value condition = skip;
    if (skip.is_object() && !negate) {
      for (auto it = skip.begin(); it != skip.end(); ++it) {
        if (schema::Object("skip").FindKey(it.key()) == nullptr) {
          core::Error e = InvalidArgument("unknown skip key '" + it.key() + "'",
                                          DidYouMean(it.key(), schema::Object("skip").KeyNames()));
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
    const char* noun = negate ? "step condition" : "skip condition";
    if (condition.is_boolean()) {
      spec.constant = condition.get<bool>();
    } else if (condition.is_string()) {
      spec.text = condition.get<std::string>();
      const std::string trimmed(Trim(spec.text));
      if (trimmed == "true" || trimmed == "false") {
        spec.constant = trimmed == "true";
      } else {
        spec.condition = BuildCondition(condition, pointer, step, noun);
        if (!spec.condition) return;
      }
    } else {
      TypeError(pointer, negate ? "'condition'" : "'skip'",
                "true/false, a condition, or {when, condition}", condition);
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
        if (schema::Object("delay").FindKey(it.key()) == nullptr) {
          core::Error e = InvalidArgument("unknown delay key '" + it.key() + "'",
                                          DidYouMean(it.key(), schema::Object("delay").KeyNames()));
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
    CheckKeys(cert, pointer, schema::Object("certificate"), nullptr, nullptr);
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
    CheckKeys(r, pointer, schema::Object("request"), &step.unsupported, &step.unsupported_where);
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
  bool needs_input_ = false;
  std::vector<core::Error> errors_;
  std::vector<core::Error> warnings_;
  std::vector<ScriptSite> scripts_;
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

const StepSpec* FindCalledStep(const Suite& suite, std::string_view step) {
  const std::string wanted = ToLower(Trim(step));
  const std::string normalized = NormalizeStepId(step);
  for (const StepSpec& s : suite.steps) {
    if (ToLower(Trim(s.step_id)) == wanted || ToLower(Trim(s.name)) == wanted || s.id == normalized) {
      return &s;
    }
  }
  return nullptr;
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
