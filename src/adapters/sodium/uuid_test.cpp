#include "adapters/sodium/uuid.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace flow::adapters {
namespace {

// The Unix ms an id carries in its first 48 bits.
std::int64_t MillisOf(const std::string& id) {
  std::string hex = id.substr(0, 8) + id.substr(9, 4);
  return std::stoll(hex, nullptr, 16);
}

TEST(Uuid, MakesRandomVersion4Ids) {
  const std::string id = NewUuid();
  EXPECT_TRUE(IsUuid(id)) << id;
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef-"), std::string::npos) << id;
  // Random from the first characters on: the 8-character prefixes people type differ.
  std::set<std::string> prefixes;
  for (int i = 0; i < 100; ++i) prefixes.insert(NewUuid().substr(0, 8));
  EXPECT_EQ(prefixes.size(), 100u);
}

TEST(Uuid, MakesTimeOrderedVersion7Ids) {
  const std::string id = NewTimeOrderedUuidAt(1'796'394'176'123);
  EXPECT_TRUE(IsUuid(id)) << id;
  EXPECT_EQ(id.substr(0, 13), "01a2416f-ce7b") << id;  // 0x01a2416fce7b = 1796394176123
  EXPECT_EQ(MillisOf(id), 1'796'394'176'123);
  EXPECT_EQ(id[14], '7');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef-"), std::string::npos) << id;
}

TEST(Uuid, IdsOfOneProcessIncreaseEvenWithinAMillisecondOrWhenTheClockGoesBack) {
  std::vector<std::string> ids;
  for (int i = 0; i < 10'000; ++i) ids.push_back(NewTimeOrderedUuidAt(1'900'000'000'000));  // one ms
  ids.push_back(NewTimeOrderedUuidAt(1'800'000'000'000));  // the clock went back
  ids.push_back(NewTimeOrderedUuid());  // now (earlier than all of the above)
  for (std::size_t i = 1; i < ids.size(); ++i) {
    ASSERT_LT(ids[i - 1], ids[i]) << "at " << i;
  }
  // 4096 ids fit in a millisecond at most; the rest borrowed the following ones.
  EXPECT_EQ(MillisOf(ids.front()), 1'900'000'000'000);
  EXPECT_GT(MillisOf(ids[9'999]), 1'900'000'000'000);
  EXPECT_LE(MillisOf(ids[9'999]), 1'900'000'000'005);
  EXPECT_EQ(MillisOf(ids.back()), MillisOf(ids[ids.size() - 2]));
}

TEST(Uuid, ThreadsGetDistinctIds) {
  std::vector<std::vector<std::string>> made(4);
  std::vector<std::thread> threads;
  for (auto& out : made) {
    threads.emplace_back([&out] {
      for (int i = 0; i < 2'000; ++i) out.push_back(NewTimeOrderedUuid());
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& out : made) {
    for (std::size_t i = 1; i < out.size(); ++i) ASSERT_LT(out[i - 1], out[i]);
    all.insert(out.begin(), out.end());
  }
  EXPECT_EQ(all.size(), 8'000u);
}

TEST(Uuid, RecognizesTheTextForm) {
  EXPECT_TRUE(IsUuid("3F2B8C1E-9D4A-4E6B-8F0C-1A2B3C4D5E6F"));
  EXPECT_FALSE(IsUuid("3f2b8c1e-9d4a-4e6b-8f0c-1a2b3c4d5e6"));
  EXPECT_FALSE(IsUuid("3f2b8c1e_9d4a-4e6b-8f0c-1a2b3c4d5e6f"));
  EXPECT_FALSE(IsUuid("zf2b8c1e-9d4a-4e6b-8f0c-1a2b3c4d5e6f"));
}

}  // namespace
}  // namespace flow::adapters
