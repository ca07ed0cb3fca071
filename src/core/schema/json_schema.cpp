#include "core/schema/json_schema.hpp"

#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace flow::core::schema {
namespace {

constexpr std::string_view kDraft = "http://json-schema.org/draft-07/schema#";

std::string RefOf(const std::string& id) { return "#/definitions/" + id; }

// A number bound as an integer when it is one, so the schema reads naturally.
Value Bound(double value) {
  if (value == static_cast<double>(static_cast<long long>(value))) {
    return Value(static_cast<long long>(value));
  }
  return Value(value);
}

// The test a mapping must pass for a discriminated form to apply.
Value Discriminator(const Type& type) {
  Value out = {{"type", "object"}};
  if (type.exact_keys) {
    out["required"] = type.when_keys;
    out["maxProperties"] = type.when_keys.size();
  } else {
    Value any = Value::array();
    for (const std::string& key : type.when_keys) any.push_back({{"required", {key}}});
    out["anyOf"] = std::move(any);
  }
  return out;
}

// A schema that may carry sibling keywords: draft-07 ignores the siblings of "$ref".
Value Wrapped(Value schema) {
  if (schema.is_object() && schema.contains("$ref")) return Value{{"allOf", Value::array({schema})}};
  return schema;
}

Value ObjectSchema(const ObjectSpec& object) {
  Value out = {{"type", "object"}, {"description", object.description}};
  Value properties = Value::object();
  Value required = Value::array();
  for (const KeySpec& key : object.keys) {
    Value property = Wrapped(AlternativesSchema(key.types));
    std::string description = key.description;
    switch (key.kind) {
      case KeyKind::kSupported:
        break;
      case KeyKind::kLater:
        description += " (Not supported yet: a step using it fails when run.)";
        break;
      case KeyKind::kNoEffect:
      case KeyKind::kDeprecated: {
        const std::string note = key.kind == KeyKind::kNoEffect
                                     ? "No effect: accepted for compatibility, with a warning."
                                     : "Deprecated: accepted with a warning.";
        const std::string message = note + (key.hint.empty() ? "" : " Instead: " + key.hint + ".");
        description += " " + message;
        property["deprecated"] = true;
        property["deprecationMessage"] = message;  // shown by the VS Code YAML extension
        break;
      }
    }
    if (key.checked == CheckedAt::kSend) description += " (Checked when the request is sent.)";
    property["description"] = description;
    properties[key.name] = std::move(property);
    if (key.required) required.push_back(key.name);
  }
  out["properties"] = std::move(properties);
  if (!required.empty()) out["required"] = std::move(required);
  if (!object.pattern_keys.empty()) {
    Value patterns = Value::object();
    for (const auto& [pattern, types] : object.pattern_keys) {
      patterns[pattern] = AlternativesSchema(types);
    }
    out["patternProperties"] = std::move(patterns);
  }
  switch (object.unknown) {
    case UnknownKeys::kReject:
      out["additionalProperties"] = false;
      break;
    case UnknownKeys::kWarn:
      break;  // accepted with a warning: valid for the schema
    case UnknownKeys::kAllow:
      if (!object.unknown_values.empty()) {
        out["additionalProperties"] = AlternativesSchema(object.unknown_values);
      }
      break;
  }
  if (!object.any_of_required.empty()) {
    Value any = Value::array();
    for (const std::vector<std::string>& group : object.any_of_required) {
      any.push_back({{"required", group}});
    }
    out["anyOf"] = std::move(any);
  }
  if (object.min_properties > 0) out["minProperties"] = object.min_properties;
  return out;
}

// The object ids reachable from `types`.
void CollectObjects(const Registry& registry, const std::vector<Type>& types,
                    std::set<std::string>& seen, std::vector<std::string>& order);

void CollectObject(const Registry& registry, const std::string& id, std::set<std::string>& seen,
                   std::vector<std::string>& order) {
  if (!seen.insert(id).second) return;
  order.push_back(id);
  const ObjectSpec& object = registry.Object(id);
  for (const KeySpec& key : object.keys) CollectObjects(registry, key.types, seen, order);
  for (const auto& [pattern, types] : object.pattern_keys) CollectObjects(registry, types, seen, order);
  CollectObjects(registry, object.unknown_values, seen, order);
}

void CollectObjects(const Registry& registry, const std::vector<Type>& types,
                    std::set<std::string>& seen, std::vector<std::string>& order) {
  for (const Type& type : types) {
    if (type.kind == Type::Kind::kObject) CollectObject(registry, type.object, seen, order);
    CollectObjects(registry, type.items, seen, order);
    CollectObjects(registry, type.values, seen, order);
  }
}

}  // namespace

std::string CaseInsensitivePattern(const std::vector<std::string>& values) {
  std::string out = "^(";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += '|';
    for (const char c : values[i]) {
      const auto u = static_cast<unsigned char>(c);
      if (std::isalpha(u)) {
        out += '[';
        out += static_cast<char>(std::toupper(u));
        out += static_cast<char>(std::tolower(u));
        out += ']';
      } else if (std::string_view("\\^$.|?*+()[]{}/-").find(c) != std::string_view::npos) {
        out += '\\';
        out += c;
      } else {
        out += c;
      }
    }
  }
  return out + ")$";
}

Value TypeSchema(const Type& type) {
  Value out = Value::object();
  switch (type.kind) {
    case Type::Kind::kAny:
      break;
    case Type::Kind::kNever:
      out["not"] = Value::object();
      break;
    case Type::Kind::kNull:
      out["type"] = "null";
      break;
    case Type::Kind::kBoolean:
      out["type"] = "boolean";
      break;
    case Type::Kind::kInteger:
    case Type::Kind::kNumber:
      out["type"] = type.kind == Type::Kind::kInteger ? "integer" : "number";
      if (type.minimum) out[type.exclusive_minimum ? "exclusiveMinimum" : "minimum"] = Bound(*type.minimum);
      if (type.maximum) out["maximum"] = Bound(*type.maximum);
      break;
    case Type::Kind::kString:
      out["type"] = "string";
      if (!type.enum_values.empty()) {
        if (type.case_insensitive) {
          // The enum gives editors their completion; the pattern accepts any letter case.
          out["anyOf"] = Value::array({Value{{"enum", type.enum_values}},
                                       Value{{"pattern", CaseInsensitivePattern(type.enum_values)}}});
        } else {
          out["enum"] = type.enum_values;
        }
      }
      if (!type.pattern.empty()) out["pattern"] = type.pattern;
      if (type.min_length > 0) out["minLength"] = type.min_length;
      break;
    case Type::Kind::kArray:
      out["type"] = "array";
      if (!type.items.empty()) out["items"] = AlternativesSchema(type.items);
      if (type.min_items > 0) out["minItems"] = type.min_items;
      break;
    case Type::Kind::kMap:
      out["type"] = "object";
      if (!type.values.empty()) out["additionalProperties"] = AlternativesSchema(type.values);
      if (type.min_properties > 0) out["minProperties"] = type.min_properties;
      break;
    case Type::Kind::kObject:
      out["$ref"] = RefOf(type.object);
      if (type.min_properties > 0) {
        out = {{"allOf", Value::array({out})}, {"minProperties", type.min_properties}};
      }
      break;
  }
  return out;
}

Value AlternativesSchema(const std::vector<Type>& types) {
  if (types.empty()) return Value::object();
  std::vector<const Type*> discriminated;
  Value rest = Value::array();
  bool rest_is_any = false;
  for (const Type& type : types) {
    if (!type.when_keys.empty()) {
      discriminated.push_back(&type);
    } else {
      if (type.kind == Type::Kind::kAny) rest_is_any = true;
      rest.push_back(TypeSchema(type));
    }
  }
  if (discriminated.empty()) {
    if (rest_is_any) return Value::object();
    if (rest.size() == 1) return rest[0];
    return {{"anyOf", std::move(rest)}};
  }
  // A mapping that has a form's keys must be that form; anything else is one of the others.
  Value all = Value::array();
  for (const Type* type : discriminated) {
    all.push_back({{"if", Discriminator(*type)}, {"then", TypeSchema(*type)}});
  }
  if (!rest_is_any) {
    for (const Type* type : discriminated) {
      rest.push_back({{"allOf", Value::array({Discriminator(*type), TypeSchema(*type)})}});
    }
    all.push_back({{"anyOf", std::move(rest)}});
  }
  if (all.size() == 1) return all[0];
  return {{"allOf", std::move(all)}};
}

Value GenerateJsonSchema(const Registry& registry, std::string_view root) {
  std::set<std::string> seen;
  std::vector<std::string> order;
  CollectObject(registry, std::string(root), seen, order);
  if (root == "suite") {
    // Multipart parts are only known once the Content-Type is: listed for reference.
    for (const ObjectSpec& object : registry.objects()) {
      if (object.checked == CheckedAt::kSend) CollectObject(registry, object.id, seen, order);
    }
  }
  Value definitions = Value::object();
  for (const std::string& id : order) definitions[id] = ObjectSchema(registry.Object(id));

  const bool config = root == "config";
  Value out = {{"$schema", kDraft},
               {"title", config ? "flowtest configuration (flow-test.config.yml)" : "flowtest suite"},
               {"description", registry.Object(root).description +
                                   " Generated by `flowtest schema" + (config ? " --config" : "") +
                                   "` from the definitions the validator uses."}};
  Value reference = {{"$ref", RefOf(std::string(root))}};
  if (config) {
    // An empty config file is valid: every default applies.
    out["anyOf"] = Value::array({reference, Value{{"type", "null"}}});
  } else {
    out["allOf"] = Value::array({reference});
  }
  out["definitions"] = std::move(definitions);
  return out;
}

}  // namespace flow::core::schema
