#include "core/schema/json_schema.hpp"

#include <gtest/gtest.h>

namespace flow::core::schema {
namespace {

TEST(JsonSchema, SuiteSchemaIsDraft07WithADefinitionPerReachableObject) {
  const Value schema = GenerateJsonSchema(Format(), "suite");
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_EQ(schema["allOf"][0]["$ref"], "#/definitions/suite");
  for (const char* id : {"suite", "step", "request", "retry", "hook.action", "input", "assert",
                         "assert.check", "capture.entry", "variable.secret", "multipart.file"}) {
    EXPECT_TRUE(schema["definitions"].contains(id)) << id;
  }
  EXPECT_FALSE(schema["definitions"].contains("config"));
}

TEST(JsonSchema, ConfigSchemaAcceptsAnEmptyFileAndHoldsOnlyConfigObjects) {
  const Value schema = GenerateJsonSchema(Format(), "config");
  EXPECT_EQ(schema["anyOf"][1]["type"], "null");
  EXPECT_TRUE(schema["definitions"].contains("config.execution"));
  EXPECT_TRUE(schema["definitions"].contains("variable.secret"));
  EXPECT_FALSE(schema["definitions"].contains("step"));
  // `key:` with nothing after it keeps the default.
  const Value& mode = schema["definitions"]["config.execution"]["properties"]["mode"];
  ASSERT_TRUE(mode.contains("anyOf")) << mode.dump();
  EXPECT_EQ(mode["anyOf"][1]["type"], "null");
}

TEST(JsonSchema, StrictObjectsRejectOtherKeysAndFreeFormOnesDoNot) {
  const Value schema = GenerateJsonSchema(Format(), "suite");
  EXPECT_EQ(schema["definitions"]["step"]["additionalProperties"], false);
  EXPECT_FALSE(schema["definitions"]["suite.metadata"].contains("additionalProperties"));
  EXPECT_EQ(schema["definitions"]["step"]["required"], Value::array({"name"}));
}

TEST(JsonSchema, NoEffectKeysStayValidButAreMarkedDeprecated) {
  const Value schema = GenerateJsonSchema(Format(), "suite");
  const Value& auth = schema["definitions"]["suite"]["properties"]["auth"];
  EXPECT_EQ(auth["deprecated"], true);
  EXPECT_NE(auth["description"].get<std::string>().find("No effect"), std::string::npos);
  EXPECT_FALSE(auth.contains("type"));
  const Value& response_time = schema["definitions"]["assert"]["properties"]["response_time"];
  EXPECT_NE(response_time["deprecationMessage"].get<std::string>().find("response_time_ms"),
            std::string::npos);
}

TEST(JsonSchema, ReferencesCarryTheirDescriptionBesideAnAllOf) {
  const Value schema = GenerateJsonSchema(Format(), "suite");
  const Value& request = schema["definitions"]["step"]["properties"]["request"];
  EXPECT_EQ(request["allOf"][0]["$ref"], "#/definitions/request");
  EXPECT_FALSE(request["description"].get<std::string>().empty());
}

TEST(JsonSchema, TemplatesStandInForNumbers) {
  const Value schema = AlternativesSchema(Object("retry").Key("max_attempts").types);
  ASSERT_TRUE(schema.contains("anyOf"));
  EXPECT_EQ(schema["anyOf"][0]["type"], "number");
  EXPECT_EQ(schema["anyOf"][0]["minimum"], 1);
  EXPECT_EQ(schema["anyOf"][0]["maximum"], 100);
  EXPECT_EQ(schema["anyOf"][1]["pattern"], "\\{\\{");
}

TEST(JsonSchema, CaseInsensitiveEnumsKeepTheEnumForCompletion) {
  const Value schema = TypeSchema(Object("request").Key("method").types[0]);
  EXPECT_EQ(schema["anyOf"][0]["enum"][0], "GET");
  EXPECT_EQ(schema["anyOf"][1]["pattern"].get<std::string>().substr(0, 11), "^([Gg][Ee][");
  EXPECT_EQ(CaseInsensitivePattern({"TLSv1.2"}), "^([Tt][Ll][Ss][Vv]1\\.2)$");
}

TEST(JsonSchema, DiscriminatedFormsApplyByTheirKeys) {
  const Value schema = AlternativesSchema(Object("suite").Key("variables").types[0].values);
  // {value, secret} and nothing else is the secret form; any other value is a plain variable.
  ASSERT_TRUE(schema.contains("if")) << schema.dump();
  EXPECT_EQ(schema["if"]["maxProperties"], 2);
  EXPECT_EQ(schema["then"]["$ref"], "#/definitions/variable.secret");
}

TEST(JsonSchema, GenerationIsDeterministic) {
  EXPECT_EQ(GenerateJsonSchema(Format(), "suite").dump(), GenerateJsonSchema(Format(), "suite").dump());
}

}  // namespace
}  // namespace flow::core::schema
