#include "core/convert/openapi_schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>

#include "core/convert/faker_tokens.hpp"
#include "core/convert/value_strings.hpp"
#include "core/util/strings.hpp"

namespace flow::core::convert {
namespace {

// Deeper schemas are cut off: real request bodies are never this deep, and hostile ones must not
// exhaust the stack.
constexpr int kMaxSampleDepth = 12;
// Values generated for one schema, at most: a large, densely connected spec must not make a
// request body of millions of nodes (or take minutes).
constexpr int kSampleBudget = 2000;
constexpr int kMaxAllOfDepth = 32;
constexpr int kMaxRefChain = 64;
constexpr int kMaxArrayItems = 3;

const Value& EmptyObject() {
  static const Value empty = Value::object();
  return empty;
}

bool ContainsTemplateBraces(const Value& value) {
  bool found = false;
  ForEachString(value, [&](const std::string& text) {
    found = found || text.find("{{") != std::string::npos;
  });
  return found;
}

bool IsTrue(const Value* value) {
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

}  // namespace

SpecNode SpecNode::Member(std::string_view key) const {
  if (!IsObject()) return SpecNode{nullptr, JoinPointer(pointer, key)};
  const auto found = value->find(std::string(key));
  return SpecNode{found == value->end() ? nullptr : &*found, JoinPointer(pointer, key)};
}

SpecNode SpecNode::Item(std::size_t index) const {
  if (value == nullptr || !value->is_array() || index >= value->size()) {
    return SpecNode{nullptr, JoinPointer(pointer, index)};
  }
  return SpecNode{&(*value)[index], JoinPointer(pointer, index)};
}

std::optional<std::string> RefPointer(std::string_view ref) {
  if (ref.empty() || ref.front() != '#') return std::nullopt;
  const std::string decoded = PercentDecode(ref.substr(1)).value_or(std::string(ref.substr(1)));
  if (!decoded.empty() && decoded.front() != '/') return std::nullopt;  // "#anchor"
  return decoded;
}

SpecReader::SpecReader(const Document& document) : document_(document) {}

void SpecReader::Warn(std::string message, const std::string& pointer, std::string hint) {
  if (!warned_.insert(pointer + "\n" + message).second) return;
  Error warning = InvalidArgument(std::move(message), std::move(hint));
  warning.where = document_.WhereKey(pointer);
  warning.pointer = pointer;
  warnings_.push_back(std::move(warning));
}

Result<SpecNode> SpecReader::Resolve(const SpecNode& node) {
  SpecNode current = node;
  for (int hops = 0; current.IsObject() && current.value->contains("$ref"); ++hops) {
    const SpecNode ref = current.Member("$ref");
    if (!ref.value->is_string()) {
      Error error =
          InvalidArgument("'$ref' must be a string, got " + std::string(TypeName(*ref.value)));
      error.where = Where(ref.pointer);
      return error;
    }
    const std::string& text = ref.value->get_ref<const std::string&>();
    const std::optional<std::string> pointer = RefPointer(text);
    if (!pointer) {
      Warn("external $ref '" + text + "' is not followed", ref.pointer,
           "bundle the spec into one file (for example with 'redocly bundle') to import it whole");
      return SpecNode{&EmptyObject(), current.pointer};
    }
    if (hops >= kMaxRefChain) {
      Error error = InvalidArgument("'$ref' '" + text + "' is part of a loop of references");
      error.where = Where(ref.pointer);
      return error;
    }
    const Value* target = ResolvePointer(document_.root, *pointer);
    if (target == nullptr) {
      Error error = InvalidArgument("'$ref' '" + text + "' names nothing in this document");
      error.where = Where(ref.pointer);
      return error;
    }
    current = SpecNode{target, *pointer};
  }
  return current;
}

Result<SpecNode> SpecReader::Flatten(const SpecNode& schema, int depth) {
  Result<SpecNode> resolved = Resolve(schema);
  if (!resolved) return resolved;
  const SpecNode node = *resolved;
  const SpecNode all_of = node.Member("allOf");
  if (all_of.value == nullptr || !all_of.value->is_array()) return node;
  if (depth > kMaxAllOfDepth) {
    Error error = InvalidArgument("'allOf' is nested more than " + std::to_string(kMaxAllOfDepth) +
                                  " levels deep");
    error.where = Where(all_of.pointer);
    return error;
  }
  if (std::find(expanding_.begin(), expanding_.end(), node.pointer + "/allOf") !=
      expanding_.end()) {
    return SpecNode{&EmptyObject(), node.pointer};
  }
  expanding_.push_back(node.pointer + "/allOf");
  Value merged = Value::object();
  for (auto it = node.value->begin(); it != node.value->end(); ++it) {
    if (it.key() != "allOf") merged[it.key()] = it.value();
  }
  for (std::size_t i = 0; i < all_of.value->size(); ++i) {
    Result<SpecNode> part = Flatten(all_of.Item(i), depth + 1);
    if (!part) {
      expanding_.pop_back();
      return part;
    }
    if (!part->IsObject()) continue;
    for (auto it = part->value->begin(); it != part->value->end(); ++it) {
      if (it.key() == "properties" && it.value().is_object()) {
        Value& properties = merged["properties"];
        if (!properties.is_object()) properties = Value::object();
        for (auto p = it.value().begin(); p != it.value().end(); ++p) {
          if (!properties.contains(p.key())) properties[p.key()] = p.value();
        }
      } else if (it.key() == "required" && it.value().is_array()) {
        Value& required = merged["required"];
        if (!required.is_array()) required = Value::array();
        for (const Value& name : it.value()) {
          if (std::find(required.begin(), required.end(), name) == required.end()) {
            required.push_back(name);
          }
        }
      } else if (!merged.contains(it.key())) {
        merged[it.key()] = it.value();
      }
    }
  }
  expanding_.pop_back();
  made_.push_back(std::move(merged));
  return SpecNode{&made_.back(), node.pointer};
}

std::string SpecReader::TypeOf(const Value& schema) {
  if (!schema.is_object()) return "";
  if (const auto type = schema.find("type"); type != schema.end()) {
    if (type->is_string()) return type->get<std::string>();
    if (type->is_array()) {
      for (const Value& t : *type) {
        if (t.is_string() && t.get_ref<const std::string&>() != "null") return t.get<std::string>();
      }
    }
  }
  if (schema.contains("properties") || schema.contains("additionalProperties")) return "object";
  if (schema.contains("items")) return "array";
  if (schema.contains("format")) return "string";
  return "";
}

Result<Value> SpecReader::Sample(const SpecNode& schema, std::string_view name,
                                 SampleOptions options) {
  sample_budget_ = kSampleBudget;
  Result<std::optional<Value>> sample = SampleNode(schema, name, options, 0);
  if (!sample) return std::move(sample).error();
  if (sample_budget_ < 0) {
    Warn("the value generated from this schema was cut short: the schema is too large to expand whole",
         schema.pointer, "add an example to the spec, or complete the value in the suite");
  }
  return sample->value_or(Value(nullptr));
}

Result<std::optional<Value>> SpecReader::SampleNode(const SpecNode& schema, std::string_view name,
                                                    SampleOptions options, int depth) {
  using Sampled = std::optional<Value>;
  if (depth > kMaxSampleDepth || schema.value == nullptr || --sample_budget_ < 0) return Sampled();
  if (schema.value->is_boolean()) {
    return schema.value->get<bool>() ? Sampled(Value("example")) : Sampled();
  }
  if (!schema.value->is_object()) return Sampled(Value("example"));
  if (schema.value->contains("$ref")) {
    Result<SpecNode> target = Resolve(schema);
    if (!target) return std::move(target).error();
    if (std::find(expanding_.begin(), expanding_.end(), target->pointer) != expanding_.end()) {
      return Sampled();  // a recursive schema: stop here
    }
    expanding_.push_back(target->pointer);
    Result<Sampled> sample = SampleNode(*target, name, options, depth + 1);
    expanding_.pop_back();
    return sample;
  }
  const Value& s = *schema.value;
  for (const char* key : {"example", "default", "const"}) {
    if (const auto found = s.find(key); found != s.end()) {
      if (ContainsTemplateBraces(*found)) {
        Warn(std::string("the ") + key + " contains '{{', which flowtest reads as a template",
             JoinPointer(schema.pointer, key), "edit the value in the generated suite");
      }
      return Sampled(*found);
    }
  }
  if (const auto examples = s.find("examples");
      examples != s.end() && examples->is_array() && !examples->empty()) {
    return Sampled((*examples)[0]);
  }
  if (const auto values = s.find("enum");
      values != s.end() && values->is_array() && !values->empty()) {
    for (const Value& v : *values) {
      if (!v.is_null()) return Sampled(v);
    }
    return Sampled(Value(nullptr));
  }
  if (s.contains("allOf")) {
    Result<SpecNode> merged = Flatten(schema);
    if (!merged) return std::move(merged).error();
    if (merged->value->contains("allOf")) return Sampled();
    return SampleNode(*merged, name, options, depth + 1);
  }
  for (const char* key : {"oneOf", "anyOf"}) {
    if (const auto choices = s.find(key);
        choices != s.end() && choices->is_array() && !choices->empty()) {
      return SampleNode(schema.Member(key).Item(0), name, options, depth + 1);
    }
  }
  const std::string type = TypeOf(s);
  if (type == "object") {
    Value object = Value::object();
    const SpecNode properties = schema.Member("properties");
    if (properties.IsObject()) {
      for (auto it = properties.value->begin(); it != properties.value->end(); ++it) {
        const SpecNode property = properties.Member(it.key());
        if (property.IsObject()) {
          Result<SpecNode> resolved = Resolve(property);
          if (!resolved) return std::move(resolved).error();
          const bool skip = options.request ? IsTrue(ResolvePointer(*resolved->value, "/readOnly"))
                                            : IsTrue(ResolvePointer(*resolved->value, "/writeOnly"));
          if (skip) continue;
        }
        Result<Sampled> value = SampleNode(property, it.key(), options, depth + 1);
        if (!value) return value;
        if (*value) object[it.key()] = std::move(**value);
      }
    }
    return Sampled(std::move(object));
  }
  if (type == "array") {
    Value array = Value::array();
    int count = 1;
    if (const auto min = s.find("minItems"); min != s.end() && min->is_number_integer()) {
      count =
          static_cast<int>(std::clamp<std::int64_t>(min->get<std::int64_t>(), 1, kMaxArrayItems));
    }
    if (const auto max = s.find("maxItems");
        max != s.end() && max->is_number_integer() && max->get<std::int64_t>() <= 0) {
      count = 0;
    }
    const SpecNode items = schema.Member("items");
    for (int i = 0; i < count; ++i) {
      Result<Sampled> item = SampleNode(
          items.value ? items : SpecNode{&EmptyObject(), items.pointer}, name, options, depth + 1);
      if (!item) return item;
      if (!*item) break;
      array.push_back(std::move(**item));
    }
    return Sampled(std::move(array));
  }
  if (type == "integer" || type == "number") return Sampled(SampleNumber(s, type == "integer"));
  if (type == "boolean") return Sampled(Value(true));
  if (type == "null") return Sampled(Value(nullptr));
  if (type == "file") return Sampled(Value(""));
  return Sampled(SampleString(s, name, schema.pointer));
}

std::optional<Value> SpecReader::SampleString(const Value& schema, std::string_view name,
                                              const std::string& pointer) {
  const std::string format = schema.is_object() ? schema.value("format", std::string()) : "";
  if (format == "binary") return Value("");
  if (format == "byte") return Value(std::string(FindFakerToken("byte")->text));
  if (const FakerToken* token = FakerTokenForFormat(format)) return Value(std::string(token->text));
  const auto pattern = schema.is_object() ? schema.find("pattern") : schema.end();
  const bool has_pattern = schema.is_object() && pattern != schema.end() && pattern->is_string();
  const bool has_length =
      schema.is_object() && (schema.contains("minLength") || schema.contains("maxLength"));
  if (!has_pattern && !has_length) {
    if (const FakerToken* token = FakerTokenForName(name)) return Value(std::string(token->text));
    return Value(std::string(FindFakerToken("word")->text));
  }
  if (has_pattern) {
    Warn("no example for a string that must match '" + pattern->get<std::string>() +
             "': the value written ('example') may not match it",
         JoinPointer(pointer, "pattern"),
         "add an example to the spec, or edit the generated suite");
  }
  std::string text = "example";
  const auto bound = [&](const char* key) -> std::optional<std::size_t> {
    const auto found = schema.find(key);
    if (found == schema.end() || !found->is_number_integer() || found->get<std::int64_t>() < 0) {
      return std::nullopt;
    }
    return static_cast<std::size_t>(std::min<std::int64_t>(found->get<std::int64_t>(), 4096));
  };
  if (const auto min = bound("minLength"); min && text.size() < *min) text.resize(*min, 'x');
  if (const auto max = bound("maxLength"); max && text.size() > *max) text.resize(*max);
  return Value(text);
}

Value SpecReader::SampleNumber(const Value& schema, bool integer) {
  const auto number = [&](const char* key) -> std::optional<double> {
    const auto found = schema.find(key);
    if (found == schema.end() || !found->is_number()) return std::nullopt;
    return found->get<double>();
  };
  const auto exclusive = [&](const char* key) {
    const auto found = schema.find(key);
    return found != schema.end() && found->is_boolean() && found->get<bool>();
  };
  const double step = integer ? 1.0 : 0.5;
  std::optional<double> low = number("minimum");
  if (low && exclusive("exclusiveMinimum")) *low += step;
  if (const auto above = number("exclusiveMinimum")) low = *above + step;  // OpenAPI 3.1
  std::optional<double> high = number("maximum");
  if (high && exclusive("exclusiveMaximum")) *high -= step;
  if (const auto below = number("exclusiveMaximum")) high = *below - step;
  double value = 1;
  if (low) {
    value = *low;
  } else if (high && *high < 1) {
    value = *high;
  } else if (const auto multiple = number("multipleOf"); multiple && *multiple > 0) {
    value = *multiple;
  }
  if (high && value > *high) value = *high;
  if (integer || std::floor(value) == value) {
    if (integer) value = low ? std::ceil(value) : std::floor(value);
    if (std::fabs(value) < 9.0e15) return Value(static_cast<std::int64_t>(value));
  }
  return Value(value);
}

Result<Value> SpecReader::BodyChecks(const SpecNode& schema) {
  Result<SpecNode> flat = Flatten(schema);
  if (!flat) return std::move(flat).error();
  if (!flat->IsObject()) return Value(nullptr);
  const Value& s = *flat->value;
  const auto explicit_type = [](const Value& node) -> std::string {
    if (!node.is_object() || IsTrue(ResolvePointer(node, "/nullable"))) return "";
    const auto type = node.find("type");
    if (type == node.end() || !type->is_string()) return "";  // missing, or a list with "null"
    const std::string& t = type->get_ref<const std::string&>();
    if (t == "integer") return "number";
    if (t == "string" || t == "number" || t == "boolean" || t == "array" || t == "object") return t;
    return "";
  };
  const std::string top = explicit_type(s);
  if (top == "array") return Value{{"type", "array"}};
  if (top != "object") return Value(nullptr);
  Value checks = Value::object();
  const SpecNode properties = flat->Member("properties");
  const auto required = s.find("required");
  if (properties.IsObject() && required != s.end() && required->is_array()) {
    for (const Value& name : *required) {
      if (!name.is_string()) continue;
      const std::string& key = name.get_ref<const std::string&>();
      // Plain names only: a key with '.', '[' or '-' would read as a path or need quoting.
      if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_') ||
          !std::all_of(key.begin(), key.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
          })) {
        continue;
      }
      const SpecNode property = properties.Member(key);
      if (property.value == nullptr) continue;
      Result<SpecNode> resolved = Flatten(property);
      if (!resolved) return std::move(resolved).error();
      if (!resolved->IsObject() || IsTrue(ResolvePointer(*resolved->value, "/writeOnly"))) continue;
      const std::string type = explicit_type(*resolved->value);
      if (!type.empty()) checks[key] = Value{{"type", type}};
    }
  }
  if (checks.empty()) return Value{{"type", "object"}};
  return checks;
}

Result<bool> SpecReader::HasProperty(const SpecNode& schema, std::string_view name) {
  Result<SpecNode> flat = Flatten(schema);
  if (!flat) return std::move(flat).error();
  const SpecNode properties = flat->Member("properties");
  return properties.IsObject() && properties.value->contains(std::string(name));
}

Result<bool> SpecReader::IsBinary(const SpecNode& schema) {
  Result<SpecNode> resolved = Resolve(schema);
  if (!resolved) return std::move(resolved).error();
  if (!resolved->IsObject()) return false;
  const Value& s = *resolved->value;
  const std::string type = TypeOf(s);
  if (type == "file") return true;
  return type == "string" && s.value("format", std::string()) == "binary";
}

}  // namespace flow::core::convert
