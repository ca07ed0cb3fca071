#include "core/template/builtins.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <set>
#include <string>

#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

class ConstantEntropy final : public Entropy {
 public:
  explicit ConstantEntropy(std::uint64_t value) : value_(value) {}
  std::uint64_t Next() override { return value_; }

 private:
  std::uint64_t value_;
};

TEST(MakeUuidV4, HasTheRfc4122LayoutVersionAndVariant) {
  testing::FakeEntropy entropy;
  for (int i = 0; i < 50; ++i) {
    const std::string uuid = MakeUuidV4(entropy);
    ASSERT_EQ(uuid.size(), 36u) << uuid;
    for (std::size_t pos : {8u, 13u, 18u, 23u}) EXPECT_EQ(uuid[pos], '-') << uuid;
    EXPECT_EQ(uuid[14], '4') << uuid;
    EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos) << uuid;
    for (char c : uuid) EXPECT_NE(std::string("0123456789abcdef-").find(c), std::string::npos);
  }
}

TEST(MakeUuidV4, SetsVersionBitsEvenFromAllOnes) {
  ConstantEntropy ones(~std::uint64_t{0});
  EXPECT_EQ(MakeUuidV4(ones), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  ConstantEntropy zeros(0);
  EXPECT_EQ(MakeUuidV4(zeros), "00000000-0000-4000-8000-000000000000");
}

TEST(MakeUuidV4, DiffersBetweenCalls) {
  testing::FakeEntropy entropy;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(MakeUuidV4(entropy));
  EXPECT_EQ(seen.size(), 100u);
}

TEST(RandomBelow, StaysInRangeEvenForExtremeEntropy) {
  ConstantEntropy ones(~std::uint64_t{0});
  EXPECT_EQ(RandomBelow(ones, 1'000'000), 999'999u);
  ConstantEntropy zeros(0);
  EXPECT_EQ(RandomBelow(zeros, 1'000'000), 0u);
  testing::FakeEntropy entropy;
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t value = RandomBelow(entropy, 1'000'000);
    EXPECT_LT(value, 1'000'000u);
    seen.insert(value);
  }
  EXPECT_GT(seen.size(), 990u);
}

}  // namespace
}  // namespace flow::core
