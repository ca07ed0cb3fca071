#include "core/convert/naming.hpp"

#include <gtest/gtest.h>

namespace flow::core::convert {
namespace {

TEST(Naming, SlugIsLowerCaseWordsJoinedByUnderscores) {
  EXPECT_EQ(Slug("Pet Store!"), "pet_store");
  EXPECT_EQ(Slug("  user-accounts / v2 "), "user_accounts_v2");
  EXPECT_EQ(Slug("Café"), "caf");
  EXPECT_EQ(Slug("2fa"), "suite_2fa");
  EXPECT_EQ(Slug("###"), "suite");
  EXPECT_EQ(Slug("", "default"), "default");
}

TEST(Naming, IdentifierKeepsCaseAndReplacesOtherCharacters) {
  EXPECT_EQ(Identifier("petId"), "petId");
  EXPECT_EQ(Identifier("pet-id"), "pet_id");
  EXPECT_EQ(Identifier("api.key"), "api_key");
  EXPECT_EQ(Identifier("base url "), "base_url");
  EXPECT_EQ(Identifier("1st"), "_1st");
  EXPECT_EQ(Identifier("--", "param"), "param");
  EXPECT_TRUE(IsIdentifier("token_2"));
  EXPECT_TRUE(IsIdentifier("_x"));
  EXPECT_FALSE(IsIdentifier("base-url"));
  EXPECT_FALSE(IsIdentifier("a.b"));
  EXPECT_FALSE(IsIdentifier("9a"));
  EXPECT_FALSE(IsIdentifier(""));
}

TEST(Naming, NameSetHandsOutEachNameOnce) {
  NameSet names;
  EXPECT_EQ(names.Claim("pets"), "pets");
  EXPECT_EQ(names.Claim("pets"), "pets_2");
  EXPECT_EQ(names.Claim("pets"), "pets_3");
  names.Reserve("users");
  EXPECT_TRUE(names.Contains("users"));
  EXPECT_EQ(names.Claim("users", "-"), "users-2");
}

}  // namespace
}  // namespace flow::core::convert
