#include "adapters/http_curl/body_stream.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace flow::adapters {
namespace {

namespace fs = std::filesystem;
using core::HttpRequest;
using core::MultipartPart;

// A private folder for the test's files, removed afterwards.
class BodyStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("flow_body_stream_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  fs::path dir_;
};

std::string ReadAll(BodyStream& stream, std::size_t chunk) {
  std::string out;
  std::string buffer(chunk, '\0');
  for (;;) {
    const core::Result<std::size_t> n = stream.Read(buffer.data(), buffer.size());
    EXPECT_TRUE(n) << n.error().message;
    if (!n || *n == 0) break;
    out.append(buffer, 0, *n);
  }
  return out;
}

TEST_F(BodyStreamTest, StreamsABodyFileByteForByte) {
  std::string bytes(100'000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
  HttpRequest request;
  request.body_file = Write("data.bin", bytes);
  ASSERT_TRUE(BodyStream::IsNeeded(request));
  core::Result<BodyStream> stream = BodyStream::Open(request);
  ASSERT_TRUE(stream) << stream.error().message;
  EXPECT_EQ(stream->size(), bytes.size());
  EXPECT_EQ(ReadAll(*stream, 4096), bytes);
}

TEST_F(BodyStreamTest, FramesMultipartPartsAroundTheFiles) {
  HttpRequest request;
  request.multipart_boundary = "XyZ";
  request.multipart = {
      MultipartPart{.name = "note", .value = "hello"},
      MultipartPart{.name = "avatar",
                    .file_path = Write("a.png", "PNGDATA"),
                    .filename = "a.png",
                    .content_type = "image/png",
                    .pointer = "/body/avatar/file"},
  };
  core::Result<BodyStream> stream = BodyStream::Open(request);
  ASSERT_TRUE(stream) << stream.error().message;
  const std::string expected =
      "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\n"
      "Content-Type: image/png\r\n\r\nPNGDATA\r\n"
      "--XyZ--\r\n";
  EXPECT_EQ(stream->size(), expected.size());
  EXPECT_EQ(ReadAll(*stream, 3), expected);  // small reads cross every segment boundary
}

TEST_F(BodyStreamTest, SeekRewindsAnywhere) {
  HttpRequest request;
  request.multipart_boundary = "B";
  request.multipart = {
      MultipartPart{.name = "f", .file_path = Write("f.txt", "0123456789"), .filename = "f.txt"},
      MultipartPart{.name = "e", .value = ""}};
  core::Result<BodyStream> stream = BodyStream::Open(request);
  ASSERT_TRUE(stream);
  const std::string all = ReadAll(*stream, 64);
  for (std::uint64_t offset :
       {std::uint64_t{0}, std::uint64_t{5}, std::uint64_t{50}, std::uint64_t{all.size()}}) {
    ASSERT_TRUE(stream->Seek(offset)) << offset;
    EXPECT_EQ(ReadAll(*stream, 7), all.substr(offset)) << offset;
  }
  EXPECT_FALSE(stream->Seek(all.size() + 1));
}

TEST_F(BodyStreamTest, MissingFilePartIsAnErrorNamingThePartAndPointer) {
  HttpRequest request;
  request.multipart_boundary = "B";
  const std::string path = (dir_ / "missing.png").string();
  request.multipart = {MultipartPart{
      .name = "avatar", .file_path = path, .filename = "m.png", .pointer = "/body/avatar/file"}};
  const core::Result<BodyStream> stream = BodyStream::Open(request);
  ASSERT_FALSE(stream);
  EXPECT_EQ(stream.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(stream.error().message,
            "cannot read file part 'avatar': " + path + ": No such file or directory");
  EXPECT_EQ(stream.error().pointer, "/body/avatar/file");
  EXPECT_EQ(stream.error().reason, "file");
}

TEST_F(BodyStreamTest, DirectoryOrDeviceIsNotABodyFile) {
  HttpRequest request;
  request.body_file = dir_.string();
  core::Result<BodyStream> stream = BodyStream::Open(request);
  ASSERT_FALSE(stream);
  EXPECT_EQ(stream.error().message, "cannot read body_file: " + dir_.string() + ": Is a directory");
  EXPECT_EQ(stream.error().pointer, "/body_file");

  request.body_file = "/dev/zero";
  stream = BodyStream::Open(request);
  ASSERT_FALSE(stream);
  EXPECT_EQ(stream.error().message, "cannot read body_file: /dev/zero: not a regular file");
}

TEST_F(BodyStreamTest, AFileThatShrinksWhileSentIsAnError) {
  HttpRequest request;
  request.body_file = Write("shrinks.txt", "0123456789");
  core::Result<BodyStream> stream = BodyStream::Open(request);
  ASSERT_TRUE(stream);
  fs::resize_file(request.body_file, 4);
  char buffer[64];
  const core::Result<std::size_t> read = stream->Read(buffer, sizeof buffer);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message, "cannot read body_file: " + request.body_file +
                                      ": the file got shorter while it was sent");
}

TEST_F(BodyStreamTest, PlainBodiesNeedNoStream) {
  HttpRequest request;
  request.body = "in memory";
  EXPECT_FALSE(BodyStream::IsNeeded(request));
}

}  // namespace
}  // namespace flow::adapters
