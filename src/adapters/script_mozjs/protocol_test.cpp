#include "adapters/script_mozjs/protocol.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace flow::adapters::sandbox {
namespace {

struct Pair {
  int a = -1, b = -1;
  Pair() {
    int sv[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    a = sv[0];
    b = sv[1];
  }
  ~Pair() {
    if (a >= 0) ::close(a);
    if (b >= 0) ::close(b);
  }
};

TEST(SandboxProtocol, FramesRoundTripInOrder) {
  Pair p;
  ASSERT_TRUE(WriteFrame(p.a, R"({"op":"open"})"));
  ASSERT_TRUE(WriteFrame(p.a, ""));
  core::Result<std::string> first = ReadFrame(p.b, 1024);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, R"({"op":"open"})");
  core::Result<std::string> second = ReadFrame(p.b, 1024);
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, "");
}

TEST(SandboxProtocol, LargeFrameArrivesWhole) {
  Pair p;
  const std::string big(3u << 20, 'x');  // larger than the socket buffer: needs a reader
  std::thread writer([&] { EXPECT_TRUE(WriteFrame(p.a, big)); });
  core::Result<std::string> got =
      ReadFrame(p.b, 4u << 20, std::chrono::steady_clock::now() + std::chrono::seconds(10));
  writer.join();
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->size(), big.size());
}

TEST(SandboxProtocol, OversizedLengthIsRefused) {
  Pair p;
  const unsigned char header[4] = {0xFF, 0xFF, 0xFF, 0xFF};
  ASSERT_EQ(::write(p.a, header, 4), 4);
  core::Result<std::string> got = ReadFrame(p.b, 1024);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(got.error().message.find("over the limit"), std::string::npos);
}

TEST(SandboxProtocol, SilentPeerTimesOut) {
  Pair p;
  const auto start = std::chrono::steady_clock::now();
  core::Result<std::string> got =
      ReadFrame(p.b, 1024, start + std::chrono::milliseconds(50));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::ErrorCode::kTimeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
}

TEST(SandboxProtocol, ClosedPeerIsUnavailableEvenMidFrame) {
  Pair p;
  const unsigned char header[4] = {10, 0, 0, 0};
  ASSERT_EQ(::write(p.a, header, 4), 4);
  ASSERT_EQ(::write(p.a, "abc", 3), 3);
  ::close(p.a);
  p.a = -1;
  core::Result<std::string> got = ReadFrame(p.b, 1024);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::ErrorCode::kUnavailable);
}

TEST(SandboxProtocol, WriteToClosedPeerFailsWithoutSigpipe) {
  Pair p;
  ::close(p.b);
  p.b = -1;
  core::Result<void> r = WriteFrame(p.a, "hello");
  EXPECT_FALSE(r);
}

}  // namespace
}  // namespace flow::adapters::sandbox
