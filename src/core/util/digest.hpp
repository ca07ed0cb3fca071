// SHA-256 and base64 encoding, for content hashes the core computes itself (the HTML report's
// Content-Security-Policy hash of its stylesheet; suite hashes). Pure; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace flow::core {

std::array<std::uint8_t, 32> Sha256(std::string_view data);
// Lower-case hex of the SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);
// Standard base64 (RFC 4648 §4) with padding.
std::string EncodeBase64(std::string_view bytes);

namespace digest_testing {
// Whether Sha256 uses the CPU's SHA extensions, and the portable code it uses otherwise.
bool UsesShaExtensions();
std::array<std::uint8_t, 32> Sha256Portable(std::string_view data);
}  // namespace digest_testing

}  // namespace flow::core
