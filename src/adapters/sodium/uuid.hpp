// The ids the stores make, from libsodium's CSPRNG. Thread-safe.
//
// Most ids are random (version 4): people type a prefix of a run's or a batch's id (`flowtest runs
// show 3f2b8c1e`), and a random id is unique from its first characters.
//
// The rows written in bulk and never named by hand (step runs) get time-ordered ids (RFC 9562
// version 7), so that a new row lands at the end of its B-tree indexes instead of on a random page
// and the rows of one batch share pages (bench/README.md). Their first 48 bits are the Unix time
// in milliseconds, the next 12 a counter that keeps the ids one process makes strictly increasing
// within a millisecond (started at a random value below 2048 each millisecond), the remaining 62
// are random. Their first 8 characters change only every 65 seconds: never shorten them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace flow::adapters {

// A random id: "3f2b8c1e-9d4a-4e6b-8f0c-1a2b3c4d5e6f" (lower case).
std::string NewUuid();
// A time-ordered id: "01a2416f-ce7b-7a21-8f0c-1a2b3c4d5e6f" (lower case), greater (as text) than
// every one this process made before.
std::string NewTimeOrderedUuid();
// NewTimeOrderedUuid at the given Unix time in ms (keeping the same ordering); for tests.
std::string NewTimeOrderedUuidAt(std::int64_t unix_ms);
// True for 8-4-4-4-12 hex digits (any case, any version).
bool IsUuid(std::string_view text);

}  // namespace flow::adapters
