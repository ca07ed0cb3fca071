#include "core/convert/value_strings.hpp"

#include <gtest/gtest.h>

namespace flow::core::convert {
namespace {

TEST(ValueStrings, MapStringsReplacesValuesNotKeys) {
  const Value in = Value::parse(R"({"a": "x", "b": [1, "y", {"c": "z"}], "x": null})");
  EXPECT_EQ(MapStrings(in, [](const std::string& s) { return s + "!"; }),
            Value::parse(R"({"a": "x!", "b": [1, "y!", {"c": "z!"}], "x": null})"));
  std::string seen;
  ForEachString(in, [&](const std::string& s) { seen += s; });
  EXPECT_EQ(seen, "xyz");
}

TEST(ValueStrings, PercentDecodeNeedsValidEscapes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(PercentDecode("plain+text"), "plain+text");
  EXPECT_EQ(PercentDecode("100%"), std::nullopt);
  EXPECT_EQ(PercentDecode("%zz"), std::nullopt);
  EXPECT_EQ(PercentDecode("%4"), std::nullopt);
}

}  // namespace
}  // namespace flow::core::convert
