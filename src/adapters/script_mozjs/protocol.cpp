#include "adapters/script_mozjs/protocol.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace flow::adapters::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

core::Result<void> WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::Unavailable(std::string("sandbox channel write failed: ") + std::strerror(errno));
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

// Waits until fd is readable or the deadline passes; no deadline waits forever.
core::Result<void> WaitReadable(int fd, std::optional<Clock::time_point> deadline) {
  while (true) {
    int timeout_ms = -1;
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
      if (left.count() <= 0) return core::Timeout("the sandbox helper did not answer in time");
      timeout_ms = static_cast<int>(left.count()) + 1;
    }
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    const int r = ::poll(&p, 1, timeout_ms);
    if (r < 0) {
      if (errno == EINTR) continue;
      return core::Unavailable(std::string("sandbox channel poll failed: ") + std::strerror(errno));
    }
    if (r > 0) return {};
  }
}

core::Result<void> ReadAll(int fd, char* data, std::size_t size,
                           std::optional<Clock::time_point> deadline) {
  while (size > 0) {
    if (deadline) {
      if (core::Result<void> ready = WaitReadable(fd, deadline); !ready) return ready;
    }
    const ssize_t n = ::recv(fd, data, size, 0);
    if (n == 0) return core::Unavailable("the sandbox channel was closed");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return core::Unavailable(std::string("sandbox channel read failed: ") + std::strerror(errno));
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

core::Result<std::string> Read(int fd, std::size_t max_bytes,
                               std::optional<Clock::time_point> deadline) {
  unsigned char header[4];
  if (core::Result<void> r = ReadAll(fd, reinterpret_cast<char*>(header), 4, deadline); !r) {
    return std::move(r).error();
  }
  const std::uint32_t length = static_cast<std::uint32_t>(header[0]) |
                               (static_cast<std::uint32_t>(header[1]) << 8) |
                               (static_cast<std::uint32_t>(header[2]) << 16) |
                               (static_cast<std::uint32_t>(header[3]) << 24);
  if (length > max_bytes) {
    return core::InvalidArgument("sandbox frame of " + std::to_string(length) +
                                 " bytes is over the limit of " + std::to_string(max_bytes));
  }
  std::string payload(length, '\0');
  if (core::Result<void> r = ReadAll(fd, payload.data(), length, deadline); !r) {
    return std::move(r).error();
  }
  return payload;
}

}  // namespace

core::Result<void> WriteFrame(int fd, std::string_view payload) {
  if (payload.size() > 0xFFFFFFFFu) return core::InvalidArgument("sandbox frame too large");
  const auto length = static_cast<std::uint32_t>(payload.size());
  std::string frame;
  frame.reserve(4 + payload.size());
  frame.push_back(static_cast<char>(length & 0xFF));
  frame.push_back(static_cast<char>((length >> 8) & 0xFF));
  frame.push_back(static_cast<char>((length >> 16) & 0xFF));
  frame.push_back(static_cast<char>((length >> 24) & 0xFF));
  frame.append(payload);
  return WriteAll(fd, frame.data(), frame.size());
}

core::Result<std::string> ReadFrame(int fd, std::size_t max_bytes) {
  return Read(fd, max_bytes, std::nullopt);
}

core::Result<std::string> ReadFrame(int fd, std::size_t max_bytes, Clock::time_point deadline) {
  return Read(fd, max_bytes, deadline);
}

}  // namespace flow::adapters::sandbox
