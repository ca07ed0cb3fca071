// BodyStream: a request body read from disk as it is sent, so that a large file is never held
// in memory: the bytes of `body_file`, or a multipart/form-data body whose file parts are read
// between their framing. Open() opens every file first (a missing file fails the request before
// anything is sent) and knows the total size, so the body goes out with a Content-Length. Owns
// its file descriptors; movable, not copyable; borrows the HttpRequest's strings, which must
// outlive it. Not thread-safe (one per transfer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/http.hpp"
#include "core/result.hpp"

namespace flow::adapters {

class BodyStream {
 public:
  // Whether `request` has a body that must be streamed (body_file or multipart).
  static bool IsNeeded(const core::HttpRequest& request);

  // Opens the files of `request`'s body. Errors (kInvalidArgument, reason "file", `pointer` at
  // the request key at fault): "cannot read file part 'avatar': PATH: No such file or
  // directory" (pointer "/body/avatar/file"), "cannot read body_file: PATH: Is a directory"
  // (pointer "/body_file"), and "... not a regular file" for devices and pipes.
  static core::Result<BodyStream> Open(const core::HttpRequest& request);

  BodyStream(BodyStream&&) noexcept;
  BodyStream& operator=(BodyStream&&) noexcept;
  BodyStream(const BodyStream&) = delete;
  BodyStream& operator=(const BodyStream&) = delete;
  ~BodyStream();

  std::uint64_t size() const { return size_; }

  // Copies up to `capacity` bytes from the current position into `buffer`; 0 at the end. A
  // file that fails to read or got shorter since Open() is an error naming it.
  core::Result<std::size_t> Read(char* buffer, std::size_t capacity);

  // Moves to `offset` from the start (curl rewinds to resend the body); false past the end.
  bool Seek(std::uint64_t offset);

 private:
  struct Segment {
    std::string owned;                      // framing text
    const std::string* borrowed = nullptr;  // a text part's value, in the request
    int fd = -1;                            // a file, read with pread
    std::string label;                      // "file part 'avatar'" / "body_file", for errors
    std::string path;
    std::string pointer;
    std::uint64_t size = 0;
  };
  BodyStream() = default;
  void CloseAll();

  std::vector<Segment> segments_;
  std::uint64_t size_ = 0;
  std::size_t segment_ = 0;   // current segment
  std::uint64_t offset_ = 0;  // within it
};

}  // namespace flow::adapters
