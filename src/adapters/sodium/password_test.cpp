#include "adapters/sodium/password.hpp"

#include <gtest/gtest.h>


namespace flow::adapters {
namespace {

TEST(Password, HashesWithArgon2idAndVerifies) {
  core::Result<std::string> hash = HashPassword("correct horse");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse", *hash));
  EXPECT_FALSE(VerifyPassword("correct horsf", *hash));
  EXPECT_NE(*hash, *HashPassword("correct horse"));  // salted
  EXPECT_FALSE(HashPassword(""));
  EXPECT_FALSE(VerifyPassword("x", "not a hash"));
}

TEST(Password, RandomPasswordsAreLongAndDistinct) {
  const std::string a = RandomPassword();
  EXPECT_EQ(a.size(), 24u) << a;
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos) << a;
  EXPECT_NE(a, RandomPassword());
}

}  // namespace
}  // namespace flow::adapters
