#include "adapters/sodium/uuid.hpp"

#include <sodium.h>

#include <array>
#include <cctype>
#include <chrono>
#include <mutex>

#include "core/check.hpp"

namespace flow::adapters {
namespace {

constexpr std::uint32_t kCounterLimit = 1u << 12;  // rand_a: 12 bits

struct Sequence {
  std::mutex mutex;
  std::int64_t last_ms = -1;
  std::uint32_t counter = 0;
};

Sequence& TheSequence() {
  static Sequence sequence;
  return sequence;
}

std::string Format(const std::array<std::uint8_t, 16>& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0f];
  }
  return out;
}

}  // namespace

std::string NewUuid() {
  FLOW_CHECK(sodium_init() >= 0);
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 9562 variant
  return Format(bytes);
}

std::string NewTimeOrderedUuidAt(std::int64_t unix_ms) {
  FLOW_CHECK(sodium_init() >= 0);
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::int64_t ms = unix_ms < 0 ? 0 : unix_ms;
  std::uint32_t counter = 0;
  {
    Sequence& s = TheSequence();
    std::lock_guard lock(s.mutex);
    if (ms <= s.last_ms) {
      // The same millisecond (or the clock went back): the next number after the last id.
      ms = s.last_ms;
      counter = s.counter + 1;
      if (counter == kCounterLimit) {  // 4096 ids in one ms: borrow the next millisecond
        ++ms;
        counter = randombytes_uniform(kCounterLimit / 2);
      }
    } else {
      counter = randombytes_uniform(kCounterLimit / 2);  // room for 2048 more in this ms
    }
    s.last_ms = ms;
    s.counter = counter;
  }
  const auto time = static_cast<std::uint64_t>(ms);
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<std::uint8_t>(time >> (40 - 8 * i));
  bytes[6] = static_cast<std::uint8_t>(0x70 | (counter >> 8));  // version 7, counter high bits
  bytes[7] = static_cast<std::uint8_t>(counter & 0xff);
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 9562 variant
  return Format(bytes);
}

std::string NewTimeOrderedUuid() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return NewTimeOrderedUuidAt(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

}  // namespace flow::adapters
