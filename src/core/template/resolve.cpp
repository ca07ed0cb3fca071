// Evaluation of parsed expressions against the scopes, and the public path helpers.
#include <array>
#include <string>
#include <unordered_set>
#include <utility>

#include "core/template/builtins.hpp"
#include "core/template/expression.hpp"
#include "core/template/template.hpp"
#include "core/util/strings.hpp"
#include "core/util/time.hpp"

namespace flow::core {
namespace template_detail {
namespace {

constexpr std::array<std::string_view, 5> kBuiltinNames = {"$env", "$now", "$timestamp", "$uuid",
                                                           "$random"};

// Names longer than this get no "did you mean": they are not typos, and edit distance is
// quadratic in the lengths.
constexpr std::size_t kMaxHintedName = 128;

// DidYouMean, bounded in cost.
std::string Suggest(std::string_view name, const std::vector<std::string>& candidates) {
  if (name.size() > kMaxHintedName) return {};
  std::vector<std::string> short_enough;
  short_enough.reserve(candidates.size());
  for (const std::string& candidate : candidates) {
    if (candidate.size() <= 2 * kMaxHintedName) short_enough.push_back(candidate);
  }
  return DidYouMean(name, short_enough);
}

Error Unresolved(std::string message, std::string hint = {}) {
  Error error = InvalidArgument(std::move(message), std::move(hint));
  error.reason = "unresolved-variable";
  return error;
}

Error NotSupported(std::string message, std::string hint = {}) {
  Error error = InvalidArgument(std::move(message), std::move(hint));
  error.reason = "not-supported";
  return error;
}

// The variable scopes in precedence order (exports are not variables).
std::array<const Value*, 4> VariableScopeList(const VariableScopes& scopes) {
  return {scopes.runtime, scopes.suite, scopes.imported, scopes.global};
}

const Value* FindKey(const Value* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  const auto found = object->find(key);
  return found == object->end() ? nullptr : &*found;
}

const Value* FindVariable(const VariableScopes& scopes, std::string_view key) {
  for (const Value* scope : VariableScopeList(scopes)) {
    if (const Value* found = FindKey(scope, key)) return found;
  }
  return nullptr;
}

std::vector<std::string> KeysOf(const Value& object) {
  std::vector<std::string> keys;
  if (!object.is_object()) return keys;
  keys.reserve(object.size());
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  return keys;
}

// Canonical array index: "0" or digits without a leading zero, small enough for the array.
std::optional<std::size_t> ParseIndex(std::string_view key) {
  if (key.empty() || key.size() > 18 || (key.size() > 1 && key[0] == '0')) return std::nullopt;
  std::size_t index = 0;
  for (const char c : key) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return index;
}

// JavaScript's String.prototype.length: UTF-16 code units, so astral characters count two.
std::size_t Utf16Length(std::string_view text) {
  std::size_t units = 0;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u & 0xC0) == 0x80) continue;  // continuation byte
    units += u >= 0xF0 ? 2 : 1;
  }
  return units;
}

// Walks path[from..] starting at `start`, which was found under the name text[0, path[from-1].end).
Result<Resolved> Walk(const Expression& expression, const Value* start, std::size_t from) {
  const std::vector<PathSegment>& path = expression.path;
  Resolved out{.ref = start};
  for (std::size_t i = from; i < path.size(); ++i) {
    const std::string& key = path[i].key;
    const std::string_view so_far = std::string_view(expression.text).substr(0, path[i - 1].end);
    const Value& current = out.get();
    const std::string name = "variable '" + std::string(so_far) + "'";
    if (current.is_object()) {
      const auto found = current.find(key);
      if (found == current.end()) {
        return Unresolved(name + " has no '" + key + "'", Suggest(key, KeysOf(current)));
      }
      out.ref = &*found;
      continue;
    }
    if (current.is_array()) {
      if (const std::optional<std::size_t> index = ParseIndex(key)) {
        if (*index >= current.size()) {
          return Unresolved(name + " has no '" + key + "' (it has " +
                            std::to_string(current.size()) + " items)");
        }
        out.ref = &current[*index];
        continue;
      }
      if (key == "length") {
        out.owned = current.size();
        out.ref = nullptr;
        continue;
      }
      return Unresolved(name + " is an array and has no '" + key + "'",
                        "use an index such as '" + std::string(so_far) + "[0]' or 'length'");
    }
    if (current.is_string() && key == "length") {
      out.owned = Utf16Length(current.get_ref<const std::string&>());
      out.ref = nullptr;
      continue;
    }
    const std::string type =
        current.is_null() ? std::string("null") : "a " + std::string(TypeName(current));
    return Unresolved(name + " is " + type + " and has no '" + key + "'");
  }
  return out;
}

// "did you mean" for an unknown variable: the whole text first, then the head of a path with
// its tail kept ("usr.name" -> "user.name").
std::string UnknownHint(const Expression& expression, const InterpolationContext& ctx) {
  std::vector<std::string> names = KnownNames(ctx);
  if (StartsWith(expression.text, "$"))
    names.insert(names.end(), kBuiltinNames.begin(), kBuiltinNames.end());
  std::string hint = Suggest(expression.text, names);
  if (!hint.empty() || expression.path.size() < 2 || expression.text.size() > kMaxHintedName) {
    return hint;
  }
  std::vector<std::string> heads;
  const auto add_keys = [&heads](const Value* object) {
    if (object == nullptr || !object->is_object()) return;
    for (auto it = object->begin(); it != object->end(); ++it) {
      if (it.key().size() <= 2 * kMaxHintedName) heads.push_back(it.key());
    }
  };
  for (const Value* scope : VariableScopeList(ctx.scopes)) add_keys(scope);
  add_keys(ctx.scopes.exports);
  const std::string_view text = expression.text;
  const std::string_view head = text.substr(0, expression.path[0].end);
  const std::string_view tail = text.substr(expression.path[0].end);
  const std::vector<std::string> close = ClosestMatches(head, heads, 2);
  if (close.empty()) return {};
  hint = "did you mean '" + close[0] + std::string(tail) + "'";
  if (close.size() > 1) hint += " or '" + close[1] + std::string(tail) + "'";
  return hint + "?";
}

Result<Resolved> EvaluateVariable(const Expression& expression, const InterpolationContext& ctx) {
  const VariableScopes& scopes = ctx.scopes;
  // A key equal to the whole text wins, so a variable literally named "alias.var" is found.
  if (const Value* exact = FindVariable(scopes, expression.text)) return Resolved{.ref = exact};
  if (expression.path_error) return *expression.path_error;

  const std::vector<PathSegment>& path = expression.path;
  const std::string_view text = expression.text;
  // Then the longest prefix that names a variable, walking the rest of the path in it. A higher
  // scope shadows a lower one for the same name; variables shadow exports.
  std::optional<Error> first_failure;
  for (std::size_t k = path.size(); k-- > 1;) {
    if (const Value* found = FindVariable(scopes, text.substr(0, path[k - 1].end))) {
      Result<Resolved> walked = Walk(expression, found, k);
      if (walked) return walked;
      if (!first_failure) first_failure = std::move(walked).error();
    }
  }
  if (first_failure) return *first_failure;

  // Then the registry of exports: node_id.var, then the rest of the path inside var.
  if (scopes.exports != nullptr && scopes.exports->is_object()) {
    for (std::size_t k = path.size(); k-- > 1;) {
      const std::string_view node_id = text.substr(0, path[k - 1].end);
      const Value* node = FindKey(scopes.exports, node_id);
      if (node == nullptr) continue;
      const std::string& var = path[k].key;
      const Value* exported = FindKey(node, var);
      if (exported == nullptr) {
        return Unresolved("node '" + std::string(node_id) + "' exports no '" + var + "'",
                          Suggest(var, KeysOf(*node)));
      }
      return Walk(expression, exported, k + 1);
    }
  }
  return Unresolved("unknown variable '" + expression.text + "'", UnknownHint(expression, ctx));
}

Result<Resolved> EvaluateEnv(const Expression& expression, const InterpolationContext& ctx) {
  const std::string& name = expression.detail;
  if (name.empty()) {
    Error error = InvalidArgument("'$env.' needs a variable name", "write '$env.API_KEY'");
    error.reason = "syntax";
    return error;
  }
  if (ctx.environment == nullptr) {
    return Internal("'" + expression.text + "' needs an environment, but none was given");
  }
  std::optional<std::string> value = ctx.environment->Get(name);
  // The original documentation promises that $env.API_KEY also reads FLOW_TEST_API_KEY.
  if (!value && !StartsWith(name, "FLOW_TEST_")) value = ctx.environment->Get("FLOW_TEST_" + name);
  if (!value) return Resolved{};  // owned null
  if (ctx.secrets != nullptr) ctx.secrets->Add(*value);
  return Resolved{.owned = std::move(*value)};
}

}  // namespace

Result<Resolved> Evaluate(const Expression& expression, const InterpolationContext& ctx) {
  switch (expression.kind) {
    case ExpressionKind::kEmpty: {
      Error error =
          InvalidArgument("empty expression '{{}}'", "write a variable name inside the braces");
      error.reason = "syntax";
      return error;
    }
    case ExpressionKind::kVariable:
      return EvaluateVariable(expression, ctx);
    case ExpressionKind::kEnv:
      return EvaluateEnv(expression, ctx);
    case ExpressionKind::kNow:
    case ExpressionKind::kTimestamp: {
      if (ctx.clock == nullptr) {
        return Internal("'" + expression.text + "' needs a clock, but none was given");
      }
      const std::int64_t now = ctx.clock->NowUnixMs();
      if (expression.kind == ExpressionKind::kNow)
        return Resolved{.owned = FormatIsoUtc(now)};
      return Resolved{.owned = now};
    }
    case ExpressionKind::kUuid:
    case ExpressionKind::kRandom: {
      if (ctx.entropy == nullptr) {
        return Internal("'" + expression.text + "' needs an entropy source, but none was given");
      }
      if (expression.kind == ExpressionKind::kUuid)
        return Resolved{.owned = MakeUuidV4(*ctx.entropy)};
      return Resolved{.owned = static_cast<std::int64_t>(RandomBelow(*ctx.entropy, 1'000'000))};
    }
    case ExpressionKind::kFaker:
    case ExpressionKind::kJavaScript:
      return EvaluateScript(expression, ctx);
    case ExpressionKind::kNested:
      return NotSupported("nested templates are not supported: '" + expression.text + "'",
                          "only javascript expressions may contain '{{'");
  }
  return Internal("unknown expression kind");
}

}  // namespace template_detail

std::vector<std::string> KnownNames(const InterpolationContext& ctx) {
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  const auto add = [&names, &seen](std::string name) {
    if (seen.insert(name).second) names.push_back(std::move(name));
  };
  for (const Value* scope : template_detail::VariableScopeList(ctx.scopes)) {
    if (scope == nullptr || !scope->is_object()) continue;
    for (auto it = scope->begin(); it != scope->end(); ++it) add(it.key());
  }
  const Value* exports = ctx.scopes.exports;
  if (exports != nullptr && exports->is_object()) {
    for (auto node = exports->begin(); node != exports->end(); ++node) {
      if (!node->is_object()) continue;
      for (auto var = node->begin(); var != node->end(); ++var) add(node.key() + "." + var.key());
    }
  }
  return names;
}

Result<Value> ResolvePath(std::string_view path, const InterpolationContext& ctx) {
  const std::shared_ptr<const template_detail::Expression> expression =
      template_detail::ParseExpression(path);
  Result<template_detail::Resolved> resolved = template_detail::Evaluate(*expression, ctx);
  if (!resolved) return std::move(resolved).error();
  if (resolved->ref != nullptr) return *resolved->ref;
  return std::move(resolved->owned);
}

}  // namespace flow::core
