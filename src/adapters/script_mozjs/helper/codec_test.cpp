#include "adapters/script_mozjs/helper/codec.hpp"

#include <gtest/gtest.h>

namespace flow::adapters::sandbox {
namespace {

TEST(SandboxCodec, Utf8AndUtf16RoundTrip) {
  const std::u16string text = u"h\u00e9llo \u2713 \U0001F600";
  EXPECT_EQ(Utf16ToUtf8(text), "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80");
  EXPECT_EQ(Utf8ToUtf16(Utf16ToUtf8(text)), text);
  EXPECT_EQ(Utf8Length(text), Utf16ToUtf8(text).size());
}

TEST(SandboxCodec, BrokenTextBecomesReplacementCharacters) {
  EXPECT_EQ(Utf16ToUtf8(std::u16string(1, char16_t{0xD800})), "\xEF\xBF\xBD");
  EXPECT_EQ(Utf8ToUtf16("a\xFF"
                        "b"),
            u"a\uFFFDb");
  EXPECT_EQ(Utf8ToUtf16("\xE2\x9C"), u"\uFFFD");
  EXPECT_EQ(Utf8ToUtf16("\xC0\xAF"), u"\uFFFD\uFFFD");  // overlong
}

TEST(SandboxCodec, Base64BothWays) {
  EXPECT_EQ(Base64Encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_EQ(Base64Encode("\xFB\xFF", true), "-_8");
  EXPECT_EQ(Base64Decode("YWI=", true), "ab");
  EXPECT_EQ(Base64Decode(" YW\nI ", true), "ab");
  EXPECT_EQ(Base64Decode("YWI", true), "ab");
  EXPECT_FALSE(Base64Decode("Y", true).has_value());
  EXPECT_FALSE(Base64Decode("Y*I=", true).has_value());
  EXPECT_EQ(Base64Decode("-_8", false), "\xFB\xFF");
  EXPECT_EQ(Base64Decode("YW*I=garbage", false), "ab");
}

TEST(SandboxCodec, HexStopsAtTheFirstBadPair) {
  EXPECT_EQ(HexEncode("\x01\xAB"), "01ab");
  EXPECT_EQ(HexDecode("01aBzz02"), "\x01\xAB");
  EXPECT_EQ(HexDecode("abc"), "\xAB");
}

TEST(SandboxCodec, DigestsMatchKnownVectors) {
  EXPECT_EQ(HexEncode(*Digest("sha256", "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(*Digest("SHA-1", "abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(HexEncode(*Digest("md5", "")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_FALSE(Digest("sha3-999", "abc").has_value());
  // RFC 4231 test case 2.
  EXPECT_EQ(HexEncode(*Hmac("sha256", "Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace flow::adapters::sandbox
