#include "adapters/http_curl/body_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace flow::adapters {
namespace {

core::Error FileError(const std::string& label, const std::string& path, const std::string& why,
                      std::string pointer) {
  core::Error e = core::InvalidArgument("cannot read " + label + ": " + path + ": " + why);
  e.reason = "file";
  e.pointer = std::move(pointer);
  return e;
}

std::string ErrnoText(int error) { return std::generic_category().message(error); }

}  // namespace

bool BodyStream::IsNeeded(const core::HttpRequest& request) {
  return !request.body_file.empty() || !request.multipart_boundary.empty();
}

core::Result<BodyStream> BodyStream::Open(const core::HttpRequest& request) {
  BodyStream stream;
  const auto add_file = [&](const std::string& label, const std::string& path,
                            const std::string& pointer) -> core::Result<void> {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return FileError(label, path, ErrnoText(errno), pointer);
    Segment segment{.fd = fd, .label = label, .path = path, .pointer = pointer};
    struct stat info {};
    const bool stat_ok = ::fstat(fd, &info) == 0;
    const int stat_errno = errno;
    stream.segments_.push_back(std::move(segment));  // owns the fd from here on
    if (!stat_ok) return FileError(label, path, ErrnoText(stat_errno), pointer);
    if (S_ISDIR(info.st_mode)) return FileError(label, path, ErrnoText(EISDIR), pointer);
    if (!S_ISREG(info.st_mode)) return FileError(label, path, "not a regular file", pointer);
    stream.segments_.back().size = static_cast<std::uint64_t>(info.st_size);
    return core::Ok();
  };
  const auto add_text = [&](std::string text) {
    Segment segment;
    segment.size = text.size();
    segment.owned = std::move(text);
    stream.segments_.push_back(std::move(segment));
  };

  if (!request.multipart_boundary.empty()) {
    for (const core::MultipartPart& part : request.multipart) {
      add_text(core::MultipartPartHead(part, request.multipart_boundary));
      if (part.IsFile()) {
        FLOW_TRY_VOID(add_file("file part '" + part.name + "'", part.file_path, part.pointer));
      } else {
        Segment segment{.borrowed = &part.value, .size = part.value.size()};
        stream.segments_.push_back(std::move(segment));
      }
      add_text("\r\n");
    }
    add_text(core::MultipartTail(request.multipart_boundary));
  } else if (!request.body_file.empty()) {
    FLOW_TRY_VOID(add_file("body_file", request.body_file, "/body_file"));
  }
  for (const Segment& segment : stream.segments_) stream.size_ += segment.size;
  return stream;
}

BodyStream::BodyStream(BodyStream&& other) noexcept
    : segments_(std::move(other.segments_)),
      size_(other.size_),
      segment_(other.segment_),
      offset_(other.offset_) {
  other.segments_.clear();
}

BodyStream& BodyStream::operator=(BodyStream&& other) noexcept {
  if (this != &other) {
    CloseAll();
    segments_ = std::move(other.segments_);
    other.segments_.clear();
    size_ = other.size_;
    segment_ = other.segment_;
    offset_ = other.offset_;
  }
  return *this;
}

BodyStream::~BodyStream() { CloseAll(); }

void BodyStream::CloseAll() {
  for (Segment& segment : segments_) {
    if (segment.fd >= 0) ::close(segment.fd);
    segment.fd = -1;
  }
}

core::Result<std::size_t> BodyStream::Read(char* buffer, std::size_t capacity) {
  std::size_t written = 0;
  while (written < capacity && segment_ < segments_.size()) {
    Segment& segment = segments_[segment_];
    const std::uint64_t left = segment.size - offset_;
    if (left == 0) {
      ++segment_;
      offset_ = 0;
      continue;
    }
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(left, capacity - written));
    if (segment.fd < 0) {
      const std::string& text = segment.borrowed != nullptr ? *segment.borrowed : segment.owned;
      std::memcpy(buffer + written, text.data() + offset_, want);
      written += want;
      offset_ += want;
      continue;
    }
    const ssize_t got = ::pread(segment.fd, buffer + written, want, static_cast<off_t>(offset_));
    if (got < 0) {
      if (errno == EINTR) continue;
      return FileError(segment.label, segment.path, ErrnoText(errno), segment.pointer);
    }
    if (got == 0) {
      return FileError(segment.label, segment.path, "the file got shorter while it was sent",
                       segment.pointer);
    }
    written += static_cast<std::size_t>(got);
    offset_ += static_cast<std::uint64_t>(got);
  }
  return written;
}

bool BodyStream::Seek(std::uint64_t offset) {
  if (offset > size_) return false;
  segment_ = 0;
  while (segment_ < segments_.size() && offset > 0 && offset >= segments_[segment_].size) {
    offset -= segments_[segment_].size;
    ++segment_;
  }
  offset_ = offset;
  return true;
}

}  // namespace flow::adapters
