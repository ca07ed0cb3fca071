#include "adapters/script_mozjs/helper/startup_cache.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/script_mozjs/faker/faker_bundle.hpp"
#include "adapters/script_mozjs/helper/js_prelude.hpp"
#include "adapters/script_mozjs/helper/startup_blobs.hpp"
#include "adapters/script_mozjs/helper/startup_engine.hpp"

namespace flow::adapters::sandbox {
namespace {

constexpr std::string_view kId = "flowtest-js-cache-1;test;0123";

std::vector<std::uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }

std::vector<std::uint8_t> Blob(std::string_view body, std::string_view id = kId,
                               StartupBlobKind kind = StartupBlobKind::kSelfHosted,
                               std::uint64_t input = 0) {
  return Bytes(EncodeStartupBlob(kind, id, input, Bytes(body)));
}

std::string WhyRejected(const std::vector<std::uint8_t>& blob,
                        StartupBlobKind kind = StartupBlobKind::kSelfHosted,
                        std::uint64_t input = 0, std::string_view id = kId) {
  const core::Result<std::span<const std::uint8_t>> opened = OpenStartupBlob(blob, kind, id, input);
  return opened ? "accepted" : opened.error().message;
}

TEST(StartupCache, ChecksumIsXxh64) {
  EXPECT_EQ(Checksum64(std::string_view("")), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(Checksum64(std::string_view("abc")), 0x44BC2CF5AD770999ULL);
  EXPECT_EQ(Checksum64(std::string_view("Nobody inspects the spammish repetition")),
            0xFBCEA83C8A378BF1ULL);
  EXPECT_NE(Checksum64(std::string_view("abd")), Checksum64(std::string_view("abc")));
}

TEST(StartupCache, ABlobOpensToItsBodyAlignedTo16) {
  const std::string body(1000, 'b');
  for (std::string_view id : {std::string_view(""), kId, std::string_view("x")}) {
    const std::vector<std::uint8_t> blob = Blob(body, id);
    const core::Result<std::span<const std::uint8_t>> opened =
        OpenStartupBlob(blob, StartupBlobKind::kSelfHosted, id, 0);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(std::string(opened->begin(), opened->end()), body);
    EXPECT_EQ((opened->data() - blob.data()) % 16, 0) << id;
  }
}

TEST(StartupCache, EveryMismatchIsRejected) {
  const std::vector<std::uint8_t> good =
      Blob(std::string(4096, 'x'), kId, StartupBlobKind::kFakerStencil, 77);
  ASSERT_EQ(WhyRejected(good, StartupBlobKind::kFakerStencil, 77), "accepted");
  EXPECT_EQ(WhyRejected({}), "startup cache is empty");
  EXPECT_EQ(WhyRejected(Bytes("FLOWJSC1")), "startup cache is shorter than its header");
  EXPECT_EQ(WhyRejected(good, StartupBlobKind::kSelfHosted, 77),
            "startup cache is of another kind");
  EXPECT_EQ(WhyRejected(good, StartupBlobKind::kFakerStencil, 78),
            "startup cache was made from another input");
  EXPECT_EQ(WhyRejected(good, StartupBlobKind::kFakerStencil, 77, "other-build"),
            "startup cache was made for another build ('" + std::string(kId) + "')");

  std::vector<std::uint8_t> body_flip = good;
  body_flip[body_flip.size() / 2] ^= 0x01;
  EXPECT_EQ(WhyRejected(body_flip, StartupBlobKind::kFakerStencil, 77),
            "startup cache body checksum does not match");
  std::vector<std::uint8_t> header_flip = good;
  header_flip[16] ^= 0x01;  // the body size
  EXPECT_EQ(WhyRejected(header_flip, StartupBlobKind::kFakerStencil, 77),
            "startup cache header checksum does not match");
  std::vector<std::uint8_t> id_flip = good;
  id_flip[64] ^= 0x01;  // the first byte of the build id
  EXPECT_EQ(WhyRejected(id_flip, StartupBlobKind::kFakerStencil, 77),
            "startup cache header checksum does not match");
  std::vector<std::uint8_t> magic = good;
  magic[0] = 'X';
  EXPECT_EQ(WhyRejected(magic, StartupBlobKind::kFakerStencil, 77),
            "startup cache has no FLOWJSC1 header");
  std::vector<std::uint8_t> truncated(good.begin(), good.end() - 1);
  EXPECT_EQ(WhyRejected(truncated, StartupBlobKind::kFakerStencil, 77),
            "startup cache is truncated or has trailing bytes");
  std::vector<std::uint8_t> longer = good;
  longer.push_back(0);
  EXPECT_EQ(WhyRejected(longer, StartupBlobKind::kFakerStencil, 77),
            "startup cache is truncated or has trailing bytes");
  std::vector<std::uint8_t> huge_id = good;
  huge_id[13] = 0x7F;  // a build id size far beyond the blob
  EXPECT_EQ(WhyRejected(huge_id, StartupBlobKind::kFakerStencil, 77),
            "startup cache has a build id larger than the blob");
  EXPECT_EQ(WhyRejected(Blob("")), "startup cache has an empty body");
}

TEST(StartupCache, TheBuildIdNamesTheEngineAndItsBinary) {
  const std::string& id = ScriptBuildId();
  EXPECT_EQ(id.rfind("flowtest-js-cache-1;JavaScript-C102.", 0), 0u) << id;
  const std::string library = id.substr(id.rfind(';') + 1);
  EXPECT_FALSE(library.empty()) << id;
  EXPECT_NE(library, "unknown-libmozjs") << id;
  EXPECT_EQ(&ScriptBuildId(), &id);
}

TEST(StartupCache, TheEmbeddedCachesAreValidForThisBuild) {
  const StartupBlobs blobs = EmbeddedStartupBlobs();
  const core::Result<std::span<const std::uint8_t>> self_hosted =
      OpenStartupBlob(blobs.self_hosted, StartupBlobKind::kSelfHosted, ScriptBuildId(), 0);
  ASSERT_TRUE(self_hosted) << self_hosted.error().message;
  EXPECT_GT(self_hosted->size(), 100000u);
  const core::Result<std::span<const std::uint8_t>> faker =
      OpenStartupBlob(blobs.faker_stencil, StartupBlobKind::kFakerStencil, ScriptBuildId(),
                      Checksum64(FakerBundleSource()));
  ASSERT_TRUE(faker) << faker.error().message;
  EXPECT_GT(faker->size(), FakerBundleSource().size());
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(faker->data()) % 16, 0u);
  const core::Result<std::span<const std::uint8_t>> prelude =
      OpenStartupBlob(blobs.prelude_stencil, StartupBlobKind::kPreludeStencil, ScriptBuildId(),
                      Checksum64(SandboxPrelude()));
  ASSERT_TRUE(prelude) << prelude.error().message;
  EXPECT_GT(prelude->size(), SandboxPrelude().size());
  // A copy corrupted in the middle of its body never reaches the engine.
  std::vector<std::uint8_t> copy(blobs.self_hosted.begin(), blobs.self_hosted.end());
  copy[copy.size() / 2] ^= 0x40;
  EXPECT_EQ(WhyRejected(copy, StartupBlobKind::kSelfHosted, 0, ScriptBuildId()),
            "startup cache body checksum does not match");
}

}  // namespace
}  // namespace flow::adapters::sandbox
