#include "adapters/sodium/password.hpp"

#include <gtest/gtest.h>

#include "adapters/sodium/uuid.hpp"

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

TEST(Uuid, MakesVersion4Ids) {
  const std::string id = NewUuid();
  EXPECT_TRUE(IsUuid(id)) << id;
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
  EXPECT_NE(id, NewUuid());
  EXPECT_TRUE(IsUuid("3F2B8C1E-9D4A-4E6B-8F0C-1A2B3C4D5E6F"));
  EXPECT_FALSE(IsUuid("3f2b8c1e-9d4a-4e6b-8f0c-1a2b3c4d5e6"));
  EXPECT_FALSE(IsUuid("3f2b8c1e_9d4a-4e6b-8f0c-1a2b3c4d5e6f"));
  EXPECT_FALSE(IsUuid("zf2b8c1e-9d4a-4e6b-8f0c-1a2b3c4d5e6f"));
}

}  // namespace
}  // namespace flow::adapters
