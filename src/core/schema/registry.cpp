#include "core/schema/registry.hpp"

#include <algorithm>
#include <utility>

#include "core/check.hpp"
#include "core/value.hpp"

namespace flow::core::schema {

const KeySpec* ObjectSpec::FindKey(std::string_view name) const {
  for (const KeySpec& key : keys) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

const KeySpec& ObjectSpec::Key(std::string_view name) const {
  const KeySpec* key = FindKey(name);
  FLOW_CHECK(key != nullptr);
  return *key;
}

std::vector<std::string> ObjectSpec::KeyNames(bool suggested_only) const {
  std::vector<std::string> names;
  for (const KeySpec& key : keys) {
    if (!suggested_only || key.suggest) names.push_back(key.name);
  }
  return names;
}

std::vector<std::string> ObjectSpec::KeyNamesOfKind(KeyKind kind) const {
  std::vector<std::string> names;
  for (const KeySpec& key : keys) {
    if (key.kind == kind) names.push_back(key.name);
  }
  return names;
}

const std::vector<std::string>& KeySpec::EnumValues() const {
  for (const Type& type : types) {
    if (type.kind == Type::Kind::kString && !type.enum_values.empty()) return type.enum_values;
  }
  CheckFailed("a key with enum values", __FILE__, __LINE__);
}

Registry::Registry(std::vector<ObjectSpec> objects) : objects_(std::move(objects)) {}

const ObjectSpec* Registry::Find(std::string_view id) const {
  for (const ObjectSpec& object : objects_) {
    if (object.id == id) return &object;
  }
  return nullptr;
}

const ObjectSpec& Registry::Object(std::string_view id) const {
  const ObjectSpec* object = Find(id);
  FLOW_CHECK(object != nullptr);
  return *object;
}

const ObjectSpec& Object(std::string_view id) { return Format().Object(id); }

namespace {

bool KindFits(Type::Kind kind, const Value& value) {
  switch (kind) {
    case Type::Kind::kAny:
      return true;
    case Type::Kind::kNever:
      return false;
    case Type::Kind::kNull:
      return value.is_null();
    case Type::Kind::kBoolean:
      return value.is_boolean();
    case Type::Kind::kInteger:
    case Type::Kind::kNumber:
      return value.is_number();
    case Type::Kind::kString:
      return value.is_string();
    case Type::Kind::kArray:
      return value.is_array();
    case Type::Kind::kMap:
    case Type::Kind::kObject:
      return value.is_object();
  }
  return false;
}

bool WhenFits(const Type& type, const Value& value) {
  if (type.when_keys.empty()) return true;
  if (type.exact_keys) {
    if (value.size() != type.when_keys.size()) return false;
    return std::all_of(type.when_keys.begin(), type.when_keys.end(),
                       [&](const std::string& key) { return value.contains(key); });
  }
  return std::any_of(type.when_keys.begin(), type.when_keys.end(),
                     [&](const std::string& key) { return value.contains(key); });
}

}  // namespace

const Type* MatchType(const std::vector<Type>& types, const Value& value) {
  // Forms with discriminating keys first, then the others in order.
  for (const Type& type : types) {
    if (!type.when_keys.empty() && KindFits(type.kind, value) && WhenFits(type, value)) {
      return &type;
    }
  }
  for (const Type& type : types) {
    if (!type.when_keys.empty() || !KindFits(type.kind, value)) continue;
    if (type.kind == Type::Kind::kString && type.template_only &&
        value.get_ref<const std::string&>().find("{{") == std::string::npos) {
      continue;
    }
    return &type;
  }
  return nullptr;
}

bool IsSecretVariable(const Value& value) {
  const Type* type = MatchType(Object("suite").Key("variables").types.front().values, value);
  return type != nullptr && type->object == "variable.secret";
}

}  // namespace flow::core::schema
