#include "core/assert/body_path.hpp"

#include <gtest/gtest.h>

namespace flow::core::assertion {
namespace {

TEST(BodyPath, PlainKeysPassThroughAsPaths) {
  EXPECT_EQ(KeyToPathSegment("json.user.name"), "json.user.name");
  EXPECT_EQ(KeyToPathSegment("id"), "id");
  EXPECT_EQ(KeyToPathSegment("items[0].id"), "items[0].id");
  EXPECT_EQ(KeyToPathSegment("items[*].id"), "items[*].id");
  EXPECT_EQ(KeyToPathSegment("data[?id==`1`]"), "data[?id==`1`]");
  EXPECT_EQ(KeyToPathSegment("items[-1]"), "items[-1]");
}

TEST(BodyPath, OtherKeysAreQuotedAsOneIdentifier) {
  EXPECT_EQ(KeyToPathSegment("user-agent"), "\"user-agent\"");
  EXPECT_EQ(KeyToPathSegment("length(items)"), "\"length(items)\"");
  EXPECT_EQ(KeyToPathSegment("a \"b\""), "\"a \\\"b\\\"\"");
  EXPECT_EQ(KeyToPathSegment("caf\u00e9"), "\"caf\u00e9\"");
}

TEST(BodyPath, DottedPathsWithOddNamesQuoteEachSegment) {
  EXPECT_EQ(KeyToPathSegment("headers.X-Name"), "headers.\"X-Name\"");
  EXPECT_EQ(KeyToPathSegment("json.user-info.0.first-name"), "json.\"user-info\"[0].\"first-name\"");
  EXPECT_EQ(KeyToPathSegment("headers.\"X-Name\""), "headers.\"X-Name\"");  // JMESPath already
}

TEST(BodyPath, JoinPathAddsADotExceptBeforeAnIndex) {
  EXPECT_EQ(JoinPath("", "id"), "id");
  EXPECT_EQ(JoinPath("json", "id"), "json.id");
  EXPECT_EQ(JoinPath("items", "[0]"), "items[0]");
  EXPECT_EQ(JoinPath("headers", "\"user-agent\""), "headers.\"user-agent\"");
}

TEST(BodyPath, ParsesSimplePaths) {
  const auto steps = ParseSimplePath("json.items[1].\"user-agent\"");
  ASSERT_TRUE(steps.has_value());
  ASSERT_EQ(steps->size(), 4u);
  EXPECT_EQ(std::get<std::string>((*steps)[0]), "json");
  EXPECT_EQ(std::get<std::string>((*steps)[1]), "items");
  EXPECT_EQ(std::get<std::int64_t>((*steps)[2]), 1);
  EXPECT_EQ(std::get<std::string>((*steps)[3]), "user-agent");
  EXPECT_TRUE(ParseSimplePath("a[-1]").has_value());
  EXPECT_TRUE(ParseSimplePath("\"\\u00e9\"").has_value());
}

TEST(BodyPath, RejectsAnythingButIdentifiersAndIndices) {
  EXPECT_FALSE(ParseSimplePath("items[*].id").has_value());
  EXPECT_FALSE(ParseSimplePath("items[?a==`1`]").has_value());
  EXPECT_FALSE(ParseSimplePath("length(items)").has_value());
  EXPECT_FALSE(ParseSimplePath("a.[0]").has_value());
  EXPECT_FALSE(ParseSimplePath("a.").has_value());
  EXPECT_FALSE(ParseSimplePath("@").has_value());
  EXPECT_FALSE(ParseSimplePath("a | b").has_value());
  EXPECT_FALSE(ParseSimplePath("").has_value());
}

TEST(BodyPath, IsPresentSeesNullMembers) {
  const Value data = Value::parse(R"({"a": {"b": null, "list": [1, null]}})");
  EXPECT_TRUE(IsPresent(data, *ParseSimplePath("a.b")));
  EXPECT_TRUE(IsPresent(data, *ParseSimplePath("a.list[1]")));
  EXPECT_TRUE(IsPresent(data, *ParseSimplePath("a.list[-1]")));
  EXPECT_FALSE(IsPresent(data, *ParseSimplePath("a.list[2]")));
  EXPECT_FALSE(IsPresent(data, *ParseSimplePath("a.c")));
  EXPECT_FALSE(IsPresent(data, *ParseSimplePath("a.b.c")));
  EXPECT_FALSE(IsPresent(data, *ParseSimplePath("a[0]")));
}

TEST(BodyPath, PlainKeysWithNumericSegmentsBecomeIndexesOrQuotedNames) {
  EXPECT_EQ(KeyToPathSegment("json.items.0.id"), "json.items[0].id");
  EXPECT_EQ(KeyToPathSegment("json.1x"), "json.\"1x\"");
  EXPECT_EQ(KeyToPathSegment("0"), "[0]");
  EXPECT_EQ(KeyToPathSegment("a..b"), "a..b");  // still invalid: reported at load
}

}  // namespace
}  // namespace flow::core::assertion
