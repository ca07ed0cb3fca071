#include "adapters/sodium/checkpoint_cipher.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/value.hpp"

namespace flow::adapters {
namespace {

using core::Value;

const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

SecretKey Key(const char* text) {
  core::Result<SecretKey> key = ParseSecretKey(text);
  EXPECT_TRUE(key) << (key ? "" : key.error().message);
  return key.value_or(SecretKey{});
}

Value State() {
  return Value{{"secrets", {"s3cr3t-token", "hunter22"}},
               {"variables", {{"token", "s3cr3t-token"}, {"user", "ana"}, {"pw", "hunter22"}}}};
}

TEST(SecretKey, ReadsHexAndBase64Forms) {
  const SecretKey hex = Key(kHexKey);
  EXPECT_EQ(hex[0], 0);
  EXPECT_EQ(hex[31], 31);
  EXPECT_EQ(Key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="), hex);
  EXPECT_EQ(Key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"), hex);  // no padding
  EXPECT_EQ(Key("  AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"), hex);
  EXPECT_EQ(Key(NewSecretKeyText().c_str()).size(), 32u);
}

TEST(SecretKey, RefusesWrongLengthsAndText) {
  for (const char* bad : {"", "abc", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd", "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "not base64 !!"}) {
    core::Result<SecretKey> key = ParseSecretKey(bad);
    ASSERT_FALSE(key) << bad;
    EXPECT_EQ(key.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(key.error().message.find("FLOWTEST_SECRET_KEY"), std::string::npos);
  }
}

TEST(CheckpointCipher, SealsAndOpensWithTheKey) {
  const CheckpointCipher cipher(Key(kHexKey));
  const Value sealed = cipher.Protect(State());
  EXPECT_EQ(sealed["enc"], "secretbox-v1");
  const std::string text = core::DumpJson(sealed);
  EXPECT_EQ(text.find("s3cr3t-token"), std::string::npos);
  EXPECT_EQ(text.find("hunter22"), std::string::npos);
  // Nothing of the state shows: three fields, none of its names (a short value such as "ana"
  // can occur in base64 by chance, so the names are checked, with their quotes).
  EXPECT_EQ(sealed.size(), 3u) << text;
  EXPECT_EQ(text.find("\"user\""), std::string::npos);
  EXPECT_EQ(text.find("variables"), std::string::npos);
  // A fresh nonce each time.
  EXPECT_NE(sealed["nonce"], cipher.Protect(State())["nonce"]);
  core::Result<Value> opened = cipher.Reveal(sealed);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_TRUE(core::DeepEqual(*opened, State()));
}

TEST(CheckpointCipher, RefusesToOpenWithoutOrWithAnotherKey) {
  const Value sealed = CheckpointCipher(Key(kHexKey)).Protect(State());
  core::Result<Value> without = CheckpointCipher(std::nullopt).Reveal(sealed);
  ASSERT_FALSE(without);
  EXPECT_NE(without.error().message.find("FLOWTEST_SECRET_KEY is not set"), std::string::npos);
  SecretKey other = Key(kHexKey);
  other[0] = 99;
  core::Result<Value> wrong = CheckpointCipher(other).Reveal(sealed);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("cannot be decrypted"), std::string::npos);
  Value damaged = sealed;
  damaged["data"] = "AAAA";
  EXPECT_FALSE(CheckpointCipher(Key(kHexKey)).Reveal(damaged));
}

TEST(CheckpointCipher, SealsTextsAndTellsThemFromOtherTexts) {
  const CheckpointCipher cipher(Key(kHexKey));
  const std::string text = "suite_name: s\nvariables:\n  password: s3cret-pw\n";
  const std::string sealed = cipher.SealText(text);
  EXPECT_EQ(sealed.find("s3cret-pw"), std::string::npos) << sealed;
  EXPECT_TRUE(CheckpointCipher::IsSealedText(sealed));
  EXPECT_FALSE(CheckpointCipher::IsSealedText(text));
  EXPECT_FALSE(CheckpointCipher::IsSealedText(R"({"suite_name": "s", "enc": "secretbox-v1"})"));
  EXPECT_FALSE(CheckpointCipher::IsSealedText(""));
  core::Result<std::string> opened = cipher.OpenText(sealed, "the text");
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(*opened, text);
  // The errors name what was sealed.
  core::Result<std::string> without = CheckpointCipher(std::nullopt).OpenText(sealed, "the text");
  ASSERT_FALSE(without);
  EXPECT_EQ(without.error().message, "the text is encrypted and FLOWTEST_SECRET_KEY is not set");
}

TEST(CheckpointCipher, MasksSecretsWithoutAKeyAndWarnsOnce) {
  std::vector<std::string> warnings;
  const CheckpointCipher cipher(std::nullopt,
                                [&](std::string_view w) { warnings.emplace_back(w); });
  const Value stored = cipher.Protect(State());
  const std::string text = core::DumpJson(stored);
  EXPECT_EQ(text.find("s3cr3t-token"), std::string::npos);
  EXPECT_EQ(text.find("hunter22"), std::string::npos);
  EXPECT_EQ(stored["variables"]["user"], "ana");
  EXPECT_EQ(stored["variables"]["token"], "***");
  (void)cipher.Protect(State());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("FLOWTEST_SECRET_KEY"), std::string::npos);
  // What was stored masked reads back as it is; null stays null.
  EXPECT_TRUE(core::DeepEqual(*cipher.Reveal(stored), stored));
  EXPECT_TRUE(cipher.Protect(Value()).is_null());
}

TEST(CheckpointCipher, TakesTheKeyFromTheEnvironment) {
  ::setenv(kSecretKeyVariable, kHexKey, 1);
  core::Result<CheckpointCipher> cipher = CheckpointCipher::FromEnvironment();
  ASSERT_TRUE(cipher);
  EXPECT_TRUE(cipher->has_key());
  ::setenv(kSecretKeyVariable, "short", 1);
  EXPECT_FALSE(CheckpointCipher::FromEnvironment());
  ::unsetenv(kSecretKeyVariable);
  core::Result<CheckpointCipher> none = CheckpointCipher::FromEnvironment();
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_key());
}

}  // namespace
}  // namespace flow::adapters
