#include "core/schema/registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "core/value.hpp"

namespace flow::core::schema {
namespace {

void ExpectReferencesExist(const std::vector<Type>& types, const std::string& where) {
  for (const Type& type : types) {
    if (type.kind == Type::Kind::kObject) {
      EXPECT_NE(Format().Find(type.object), nullptr) << where << " refers to '" << type.object << "'";
    }
    ExpectReferencesExist(type.items, where + "[]");
    ExpectReferencesExist(type.values, where + "{}");
  }
}

TEST(SchemaRegistry, EveryReferenceNamesAnObjectOfTheRegistry) {
  for (const ObjectSpec& object : Format().objects()) {
    for (const KeySpec& key : object.keys) ExpectReferencesExist(key.types, object.id + "." + key.name);
    for (const auto& [pattern, types] : object.pattern_keys) ExpectReferencesExist(types, object.id + pattern);
    ExpectReferencesExist(object.unknown_values, object.id + ".*");
  }
}

TEST(SchemaRegistry, IdsAndKeysAreUniqueAndEveryKeyIsDescribed) {
  std::set<std::string> ids;
  for (const ObjectSpec& object : Format().objects()) {
    EXPECT_TRUE(ids.insert(object.id).second) << "duplicate object " << object.id;
    EXPECT_FALSE(object.noun.empty()) << object.id;
    EXPECT_FALSE(object.description.empty()) << object.id;
    std::set<std::string> names;
    for (const KeySpec& key : object.keys) {
      EXPECT_TRUE(names.insert(key.name).second) << object.id << " lists '" << key.name << "' twice";
      EXPECT_FALSE(key.description.empty()) << object.id << "." << key.name;
      if (key.required) {
        EXPECT_EQ(key.kind, KeyKind::kSupported) << object.id << "." << key.name;
      }
    }
  }
}

TEST(SchemaRegistry, EveryExampleIsAMappingWhoseKeysAreKnownAndFitTheirForms) {
  for (const ObjectSpec& object : Format().objects()) {
    const Value example = Value::parse(object.example, nullptr, false);
    ASSERT_TRUE(example.is_object()) << object.id << ": " << object.example;
    for (const KeySpec& key : object.keys) {
      if (key.required) {
        EXPECT_TRUE(example.contains(key.name)) << object.id << " example lacks " << key.name;
      }
    }
    for (auto it = example.begin(); it != example.end(); ++it) {
      const KeySpec* key = object.FindKey(it.key());
      ASSERT_NE(key, nullptr) << object.id << " example has unknown key " << it.key();
      if (!key->types.empty()) {
        EXPECT_NE(MatchType(key->types, it.value()), nullptr) << object.id << "." << it.key();
      }
    }
  }
}

TEST(SchemaRegistry, RootsAndTheirKeysAreInCanonicalOrder) {
  const std::vector<std::string> names = Object("suite").KeyNames();
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(names[0], "suite_name");
  EXPECT_EQ(names[1], "node_id");
  EXPECT_EQ(Object("step").KeyNames()[0], "name");
  EXPECT_NE(Format().Find("config"), nullptr);
}

TEST(SchemaRegistry, KeyNamesFiltersUnsuggestedAliasesAndKinds) {
  const ObjectSpec& config = Object("config");
  const std::vector<std::string> all = config.KeyNames();
  const std::vector<std::string> suggested = config.KeyNames(true);
  EXPECT_NE(std::find(all.begin(), all.end(), "testDirectories"), all.end());
  EXPECT_EQ(std::find(suggested.begin(), suggested.end(), "testDirectories"), suggested.end());
  const std::vector<std::string> no_effect = Object("suite").KeyNamesOfKind(KeyKind::kNoEffect);
  EXPECT_NE(std::find(no_effect.begin(), no_effect.end(), "auth"), no_effect.end());
  EXPECT_EQ(std::find(no_effect.begin(), no_effect.end(), "steps"), no_effect.end());
}

TEST(SchemaRegistry, EnumValuesOfAKey) {
  EXPECT_EQ(Object("hook.log").Key("level").EnumValues(),
            (std::vector<std::string>{"debug", "info", "warn", "error"}));
}

TEST(SchemaRegistry, MatchTypePrefersTheFormWhoseKeysTheMappingHas) {
  const std::vector<Type>& capture = Object("step").Key("capture").types[0].values;
  const Type* entry = MatchType(capture, Value::parse(R"({"path": "body.id"})"));
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->object, "capture.entry");
  const Type* literal = MatchType(capture, Value::parse(R"({"other": 1})"));
  ASSERT_NE(literal, nullptr);
  EXPECT_EQ(literal->kind, Type::Kind::kAny);

  const std::vector<Type>& variables = Object("suite").Key("variables").types[0].values;
  EXPECT_EQ(MatchType(variables, Value::parse(R"({"value": 1, "secret": true})"))->object, "variable.secret");
  EXPECT_EQ(MatchType(variables, Value::parse(R"({"value": 1, "secret": true, "x": 2})"))->kind,
            Type::Kind::kAny);
}

TEST(SchemaRegistry, MatchTypeTellsTemplatesFromOtherStrings) {
  const std::vector<Type>& attempts = Object("retry").Key("max_attempts").types;
  EXPECT_NE(MatchType(attempts, Value("{{n}}")), nullptr);
  EXPECT_EQ(MatchType(attempts, Value("three")), nullptr);
  EXPECT_EQ(MatchType(attempts, Value(true)), nullptr);
  EXPECT_NE(MatchType(attempts, Value(3)), nullptr);
}

}  // namespace
}  // namespace flow::core::schema
