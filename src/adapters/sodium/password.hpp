// Passwords at rest: argon2id hashes in libsodium's PHC string form ($argon2id$v=19$m=...), made
// with its INTERACTIVE limits (about 0.1 s and 64 MiB per hash). Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flow::adapters {

// kInvalidArgument when the password is empty or longer than 4096 bytes; kUnavailable when the
// memory for the hash cannot be had.
core::Result<std::string> HashPassword(std::string_view password);
// True when `password` matches `hash` (a string HashPassword made).
bool VerifyPassword(std::string_view password, const std::string& hash);
// A new random password: 18 bytes from libsodium's CSPRNG as 24 URL-safe base64 characters.
std::string RandomPassword();

}  // namespace flow::adapters
