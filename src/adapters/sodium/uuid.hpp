// The ids the stores make: time-ordered UUIDs (RFC 9562 version 7), so that a new row's key lands
// at the end of its B-tree indexes instead of on a random page (a step's history rows then share
// pages: bench/README.md). The first 48 bits are the Unix time in milliseconds, the next 12 a
// counter that keeps the ids one process makes strictly increasing within a millisecond (started
// at a random value below 2048 each millisecond), the remaining 62 come from libsodium's CSPRNG.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace flow::adapters {

// "0193a5e2-7c4f-7a21-8f0c-1a2b3c4d5e6f" (lower case), strictly greater (as text) than the
// previous id this process made.
std::string NewUuid();
// NewUuid at the given Unix time in ms (the same ordering across calls); for tests.
std::string NewUuidAt(std::int64_t unix_ms);
// True for 8-4-4-4-12 hex digits (any case, any version).
bool IsUuid(std::string_view text);

}  // namespace flow::adapters
