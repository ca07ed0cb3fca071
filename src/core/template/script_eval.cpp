// JavaScript and faker inside templates, and the bindings every JavaScript site shares.
#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "core/template/expression.hpp"
#include "core/template/template.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace template_detail {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

std::optional<Value> ParseArguments(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  if (trimmed.empty()) return Value::array();
  const std::string list = "[" + std::string(trimmed) + "]";
  Value parsed = Value::parse(list, nullptr, false);
  if (!parsed.is_discarded()) return parsed;
  std::string swapped = list;  // the original's second try: single quotes as double quotes
  std::replace(swapped.begin(), swapped.end(), '\'', '"');
  parsed = Value::parse(swapped, nullptr, false);
  if (!parsed.is_discarded()) return parsed;
  return std::nullopt;
}

void PrepareFaker(Expression& e) {
  const std::string_view text = e.text;
  const std::string_view rest = text.substr(StartsWith(text, "$faker.") ? 7 : 6);
  std::size_t i = 0;
  const auto ident = [&]() {
    const std::size_t start = i;
    if (i < rest.size() && IsIdentStart(rest[i])) {
      while (i < rest.size() && IsIdentChar(rest[i])) ++i;
    }
    return rest.substr(start, i - start);
  };
  const std::string_view module = ident();
  const bool dot = i < rest.size() && rest[i] == '.';
  if (dot) ++i;
  const std::string_view method = dot ? ident() : std::string_view{};
  while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
  const bool bare = i == rest.size();
  const bool call = !bare && rest[i] == '(' && rest.back() == ')';
  if (module.empty() || method.empty() || (!bare && !call)) {
    e.problem = ScriptProblem{
        .message = "invalid faker call '" + e.text + "'",
        .hint = "write faker.<module>.<method> or faker.<module>.<method>(arguments), "
                "e.g. faker.person.firstName or faker.number.int({\"min\": 1, \"max\": 9})"};
    e.script_kind = ScriptCallKind::kFaker;
    return;
  }
  const std::string path = std::string(module) + "." + std::string(method);
  if (bare) {
    e.script_kind = ScriptCallKind::kFaker;
    e.code = path;
    return;
  }
  const std::string_view args = rest.substr(i + 1, rest.size() - i - 2);
  if (std::optional<Value> data = ParseArguments(args)) {
    e.script_kind = ScriptCallKind::kFaker;
    e.code = path;
    e.faker_args = std::move(*data);
    return;
  }
  // Arguments that are not JSON ({min: 1}, a variable) are JavaScript.
  e.kind = ExpressionKind::kJavaScript;
  e.script_kind = ScriptCallKind::kExpression;
  e.code = "faker." + std::string(rest);
}

Error CheckError(const ScriptProblem& p) {
  Error error = InvalidArgument("javascript: " + p.message + " (line " + std::to_string(p.line) +
                                    ", column " + std::to_string(p.column) + " of the expression)",
                                p.hint);
  error.reason = "script-check";
  return error;
}

}  // namespace

void PrepareScript(Expression& e) {
  if (e.kind == ExpressionKind::kFaker) PrepareFaker(e);
  if (e.kind != ExpressionKind::kJavaScript) return;
  const std::string_view text = e.text;
  if (!e.code.empty()) {
    // a faker call with JavaScript arguments: the code is set
  } else if (StartsWith(text, "$js:")) {
    e.code = std::string(Trim(text.substr(4)));
  } else if (StartsWith(text, "js:")) {
    e.code = std::string(Trim(text.substr(3)));
  } else if (StartsWith(text, "$js.")) {
    e.script_kind = ScriptCallKind::kBlock;
    e.code = std::string(text.substr(4));
  } else {
    e.code = std::string(text);
  }
  if (e.code.find("{{") != std::string::npos) {
    Result<Template> inner = Template::Parse(e.code);
    if (inner) e.inner = std::make_shared<const Template>(std::move(inner).value());
    return;
  }
  ScriptCheck check = CheckScript(
      e.code, e.script_kind == ScriptCallKind::kBlock ? ScriptKind::kScript : ScriptKind::kExpression);
  if (!check.ok()) e.problem = std::move(check.problems.front());
  e.names = std::move(check.names);
}

std::shared_ptr<const Expression> DirectToExpression(const DirectExpression& direct) {
  auto e = std::make_shared<Expression>();
  switch (direct.kind) {
    case DirectKind::kFaker:
      e->kind = ExpressionKind::kFaker;
      e->text = direct.expression;
      break;
    case DirectKind::kJavaScript:
      if (StartsWith(direct.expression, "env.") &&
          std::all_of(direct.expression.begin() + 4, direct.expression.end(), IsIdentChar) &&
          direct.expression.size() > 4) {
        e->kind = ExpressionKind::kEnv;  // "$env.API_KEY": the environment, as {{$env.API_KEY}}
        e->text = "$" + direct.expression;
        e->detail = direct.expression.substr(4);
        return e;
      }
      e->kind = ExpressionKind::kJavaScript;
      e->text = "$" + direct.expression;
      if (StartsWith(direct.expression, "return")) {
        e->script_kind = ScriptCallKind::kBlock;
      }
      e->code = direct.expression;
      {
        ScriptCheck check = CheckScript(e->code, e->script_kind == ScriptCallKind::kBlock
                                                     ? ScriptKind::kScript
                                                     : ScriptKind::kExpression);
        if (!check.ok()) e->problem = std::move(check.problems.front());
        e->names = std::move(check.names);
      }
      return e;
    case DirectKind::kJmesPath:
      e->kind = ExpressionKind::kVariable;  // not a direct form of templates
      e->text = direct.expression;
      return e;
  }
  PrepareScript(*e);
  return e;
}

Result<Resolved> EvaluateScript(const Expression& e, const InterpolationContext& ctx) {
  if (e.problem) return CheckError(*e.problem);
  if (ctx.script == nullptr) {
    Error error = InvalidArgument(
        std::string(e.kind == ExpressionKind::kFaker ? "faker" : "javascript") +
            " is not available here: '" + e.text + "'",
        "javascript and faker run in the sandbox, which this run does not have");
    error.reason = kScriptDisabled;
    return error;
  }
  ScriptCall call;
  call.kind = e.script_kind;
  call.budget = ctx.script_budget;
  if (e.script_kind == ScriptCallKind::kFaker) {
    call.code = e.code;
    call.args = e.faker_args;
  } else if (e.inner != nullptr) {
    // The original's order: inner {{ }} are pasted into the code as text, then it runs.
    Result<Value> rendered = e.inner->Render(ctx);
    if (!rendered) return std::move(rendered).error();
    std::string code;
    AppendValueText(code, *rendered);
    ScriptCheck check = CheckScript(code, e.script_kind == ScriptCallKind::kBlock
                                              ? ScriptKind::kScript
                                              : ScriptKind::kExpression);
    if (!check.ok()) return CheckError(check.problems.front());
    call.bindings = ScriptBindings(check.names, ctx);
    call.code = std::move(code);
  } else {
    call.code = e.code;
    call.bindings = ScriptBindings(e.names, ctx);
  }
  Result<ScriptOutcome> outcome = ctx.script->Run(call);
  if (!outcome) return std::move(outcome).error();
  if (ctx.script_console != nullptr) {
    for (ScriptLogLine& line : outcome->console) ctx.script_console->push_back(std::move(line));
  }
  if (!outcome->set_variables.empty() && ctx.warnings != nullptr) {
    ctx.warnings->push_back("setVariable() in '{{" + e.text +
                            "}}' has no effect: use a pre_request or post_request script");
  }
  return Resolved{.owned = std::move(outcome->value)};
}

}  // namespace template_detail

namespace {

// Globals of the sandbox that a variable of the same name must not hide.
constexpr std::array<std::string_view, 34> kSandboxGlobals = {
    "faker",    "console",  "setVariable", "crypto",     "btoa",    "atob",     "Buffer",
    "Math",     "Date",     "JSON",        "Object",     "Array",   "String",   "Number",
    "Boolean",  "parseInt", "parseFloat",  "isNaN",      "isFinite", "Promise", "RegExp",
    "Error",    "TypeError", "Symbol",     "Map",        "Set",     "Intl",     "BigInt",
    "encodeURIComponent", "decodeURIComponent", "encodeURI", "decodeURI", "WeakMap", "WeakSet"};

bool IsSandboxGlobal(std::string_view name) {
  return std::find(kSandboxGlobals.begin(), kSandboxGlobals.end(), name) != kSandboxGlobals.end();
}

const Value* FindIn(const Value* object, const std::string& key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  const auto found = object->find(key);
  return found == object->end() ? nullptr : &*found;
}

Value MergedVariables(const VariableScopes& scopes) {
  Value merged = Value::object();
  for (const Value* scope : {scopes.global, scopes.imported, scopes.suite, scopes.runtime}) {
    if (scope == nullptr || !scope->is_object()) continue;
    for (auto it = scope->begin(); it != scope->end(); ++it) merged[it.key()] = it.value();
  }
  return merged;
}

}  // namespace

Value ScriptBindings(const std::vector<std::string>& names, const InterpolationContext& ctx) {
  Value bindings = Value::object();
  for (const std::string& name : names) {
    if (IsSandboxGlobal(name)) continue;
    if (const Value* site = FindIn(ctx.script_bindings, name)) {
      bindings[name] = *site;
      continue;
    }
    if (name == "variables") {
      bindings[name] = MergedVariables(ctx.scopes);
      continue;
    }
    const Value* found = nullptr;
    for (const Value* scope :
         {ctx.scopes.runtime, ctx.scopes.suite, ctx.scopes.imported, ctx.scopes.global}) {
      if ((found = FindIn(scope, name)) != nullptr) break;
    }
    if (found == nullptr) found = FindIn(ctx.scopes.exports, name);  // node_id.var
    if (found != nullptr) bindings[name] = *found;
  }
  return bindings;
}

Result<ScriptSource> ScriptSource::Make(ScriptCallKind kind, std::string code) {
  ScriptCheck check = CheckScript(
      code, kind == ScriptCallKind::kBlock ? ScriptKind::kScript : ScriptKind::kExpression);
  if (!check.ok()) {
    const ScriptProblem& p = check.problems.front();
    Error error = InvalidArgument("javascript: " + p.message, p.hint);
    error.reason = "script-check";
    error.where = SourceSpan{.line = static_cast<int>(p.line), .column = static_cast<int>(p.column)};
    return error;
  }
  ScriptSource source;
  source.kind = kind;
  source.code = std::move(code);
  source.names = std::move(check.names);
  return source;
}

Result<ScriptOutcome> RunScript(const ScriptSource& source, const InterpolationContext& ctx,
                                const ScriptBudget& budget, std::vector<std::string> read_back) {
  if (ctx.script == nullptr) {
    Error error = InvalidArgument("javascript is not available here",
                                  "javascript runs in the sandbox, which this run does not have");
    error.reason = kScriptDisabled;
    return error;
  }
  ScriptCall call;
  call.kind = source.kind;
  call.code = source.code;
  call.bindings = ScriptBindings(source.names, ctx);
  for (const std::string& name : read_back) {
    if (!call.bindings.contains(name)) {
      if (const Value* site = FindIn(ctx.script_bindings, name)) call.bindings[name] = *site;
    }
  }
  call.read_back = std::move(read_back);
  call.file = source.file;
  call.line = source.line;
  call.column = source.column;
  call.continuation_column = source.continuation_column;
  call.budget = budget;
  return ctx.script->Run(call);
}

}  // namespace flow::core
