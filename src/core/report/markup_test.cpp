#include "core/report/markup.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

TEST(Markup, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(XmlEscape(R"(<a href="x">Tom & 'Jerry'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
}

TEST(Markup, KeepsUnicodeDropsForbiddenControlsAndRepairsInvalidUtf8) {
  EXPECT_EQ(XmlEscape("olá → ✓ 🚀"), "olá → ✓ 🚀");
  EXPECT_EQ(XmlEscape(std::string("a\x01" "b\x1f" "c\td\ne\rf", 12)), "abc\td\ne\rf");
  EXPECT_EQ(XmlEscape(std::string("bad\xff" "byte")), "bad\xEF\xBF\xBD" "byte");
  EXPECT_EQ(XmlEscape(std::string("cut\xe2\x82")), "cut\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(XmlEscape("\xEF\xBF\xBF"), "");              // U+FFFF is not XML
  EXPECT_EQ(XmlEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(XmlEscape(std::string("nul\0x", 5)), "nulx");
}

TEST(Markup, TruncatesOnACharacterBoundary) {
  EXPECT_EQ(TruncateUtf8("short", 10), "short");
  EXPECT_EQ(TruncateUtf8("abcdef", 3), "abc… (3 more bytes)");
  // "é" is two bytes: a cut in its middle backs up before it.
  EXPECT_EQ(TruncateUtf8("aé", 2), "a… (2 more bytes)");
}

}  // namespace
}  // namespace flow::core
