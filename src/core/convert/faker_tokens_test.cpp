// The table's shape and lookups. That every template really renders in the bundled faker is
// checked through the real sandbox in tests/integration/faker_tokens_test.cpp.
#include "core/convert/faker_tokens.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/template/template.hpp"

namespace flow::core::convert {
namespace {

TEST(FakerTokens, EveryEntryIsOneWholePlaceholderWithUniqueKeyAndPostmanName) {
  std::set<std::string_view> keys;
  std::set<std::string_view> postman;
  for (const FakerToken& token : FakerTokens()) {
    EXPECT_TRUE(keys.insert(token.key).second) << "duplicate key " << token.key;
    if (!token.postman.empty()) {
      EXPECT_TRUE(postman.insert(token.postman).second) << "duplicate " << token.postman;
      EXPECT_EQ(token.postman.front(), '$') << token.postman;
    }
    Result<Template> parsed = Template::Parse(token.text);
    ASSERT_TRUE(parsed) << token.text;
    EXPECT_TRUE(parsed->IsWholeExpression()) << token.text;
    EXPECT_TRUE(token.type == "string" || token.type == "number" || token.type == "boolean")
        << token.key;
    for (const ScriptUse& use : parsed->ScriptUses()) {
      EXPECT_FALSE(use.problem) << token.text << ": " << use.problem->message;
    }
  }
  EXPECT_GT(FakerTokens().size(), 60u);
}

TEST(FakerTokens, FormatsNamesAndPostmanVariablesFindTheirEntry) {
  EXPECT_EQ(FakerTokenForFormat("email")->text, "{{$faker.internet.email}}");
  EXPECT_EQ(FakerTokenForFormat("UUID")->text, "{{$faker.string.uuid}}");
  EXPECT_EQ(FakerTokenForFormat("date-time")->key, "date-time");
  EXPECT_EQ(FakerTokenForFormat("uri")->text, "{{$faker.internet.url}}");
  EXPECT_EQ(FakerTokenForFormat("int64"), nullptr);
  EXPECT_EQ(FakerTokenForName("firstName")->key, "first_name");
  EXPECT_EQ(FakerTokenForName("first_name")->key, "first_name");
  EXPECT_EQ(FakerTokenForName("E-Mail")->key, "email");
  EXPECT_EQ(FakerTokenForName("zip")->key, "zip_code");
  EXPECT_EQ(FakerTokenForName("status"), nullptr);
  EXPECT_EQ(FakerTokenForPostman("$randomEmail")->text, "{{$faker.internet.email}}");
  EXPECT_EQ(FakerTokenForPostman("$guid")->text, "{{$uuid}}");
  EXPECT_EQ(FakerTokenForPostman("$randomNope"), nullptr);
}

TEST(FakerTokens, EverySpellingOfAFakerCallFindsTheSameEntry) {
  const FakerToken* email = FindFakerToken("email");
  EXPECT_EQ(FakerTokenForExpression("$faker.internet.email"), email);
  EXPECT_EQ(FakerTokenForExpression(" faker.internet.email "), email);
  EXPECT_EQ(FakerTokenForExpression("#faker.internet.email"), email);
  EXPECT_EQ(FakerTokenForExpression("$uuid")->postman, "$guid");
  EXPECT_EQ(FakerTokenForExpression("$now")->postman, "$isoTimestamp");
  EXPECT_EQ(FakerTokenForExpression("$faker.internet.emails"), nullptr);
  EXPECT_EQ(FakerTokenForExpression("token"), nullptr);
}

}  // namespace
}  // namespace flow::core::convert
