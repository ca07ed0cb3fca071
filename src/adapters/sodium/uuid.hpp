// Random (version 4) UUIDs for the ids the stores make, from libsodium's CSPRNG. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace flow::adapters {

// "3f2b8c1e-9d4a-4e6b-8f0c-1a2b3c4d5e6f" (lower case).
std::string NewUuid();
// True for 8-4-4-4-12 hex digits (any case, any version).
bool IsUuid(std::string_view text);

}  // namespace flow::adapters
