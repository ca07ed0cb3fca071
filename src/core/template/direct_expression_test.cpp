#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/template/template.hpp"

namespace flow::core {
namespace {

struct DirectCase {
  const char* text;
  std::optional<DirectExpression> expected;
};

TEST(DetectDirectExpression, RecognisesEachFormAndLeavesOrdinaryTextAlone) {
  const DirectCase cases[] = {
      {"#faker.person.name", DirectExpression{DirectKind::kFaker, "faker.person.name"}},
      {"#faker.number.int({\"min\":1})",
       DirectExpression{DirectKind::kFaker, "faker.number.int({\"min\":1})"}},
      {"$return 1+2", DirectExpression{DirectKind::kJavaScript, "return 1+2"}},
      {"$Math.floor(1.5)", DirectExpression{DirectKind::kJavaScript, "Math.floor(1.5)"}},
      {"$Date.now()", DirectExpression{DirectKind::kJavaScript, "Date.now()"}},
      {"$parseInt('4')", DirectExpression{DirectKind::kJavaScript, "parseInt('4')"}},
      {"$new Date().toISOString()",
       DirectExpression{DirectKind::kJavaScript, "new Date().toISOString()"}},
      {"$!!auth.access_token", DirectExpression{DirectKind::kJavaScript, "!!auth.access_token"}},
      {"$(a + b) * 2", DirectExpression{DirectKind::kJavaScript, "(a + b) * 2"}},
      {"$typeof x", DirectExpression{DirectKind::kJavaScript, "typeof x"}},
      {"$new", std::nullopt},
      {"$! wow", std::nullopt},
      {"$(5)", std::nullopt},
      {"@body.json.id", DirectExpression{DirectKind::kJmesPath, "body.json.id"}},
      {"@body.json", DirectExpression{DirectKind::kJmesPath, "body.json"}},
      {"@[0].id", DirectExpression{DirectKind::kJmesPath, "[0].id"}},
      {"@\"odd key\"", DirectExpression{DirectKind::kJmesPath, "\"odd key\""}},
      {"@_private", DirectExpression{DirectKind::kJmesPath, "_private"}},
      {"@.x", DirectExpression{DirectKind::kJmesPath, ".x"}},
      {"$100", std::nullopt},
      {"$ 5", std::nullopt},
      {"$5.00", std::nullopt},
      {"$", std::nullopt},
      {"$return", std::nullopt},
      {"$USD", std::nullopt},
      {"Total in $USD.", std::nullopt},
      {"$USD.", std::nullopt},
      {"$uuid", std::nullopt},
      {"$$x.y", std::nullopt},
      {"email@x.com", std::nullopt},
      {"a@b.c", std::nullopt},
      {"@", std::nullopt},
      {"@ foo", std::nullopt},
      {"@1", std::nullopt},
      {"#tag", std::nullopt},
      {"#1", std::nullopt},
      {"#faker.", std::nullopt},
      {"#faker", std::nullopt},
      {" #faker.person.name", std::nullopt},
      {"{{name}}", std::nullopt},
      {"", std::nullopt},
  };
  for (const DirectCase& c : cases) {
    EXPECT_EQ(DetectDirectExpression(c.text), c.expected) << "'" << c.text << "'";
  }
}

}  // namespace
}  // namespace flow::core
