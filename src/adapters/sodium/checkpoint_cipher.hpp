// CheckpointCipher: how a run's checkpoint (the runner state: real variable values and the run's
// secret list) is kept at rest. With a key (FLOWTEST_SECRET_KEY: 32 bytes, as 64 hex digits or
// base64) it is sealed with libsodium's crypto_secretbox_easy (XSalsa20-Poly1305, a fresh random
// nonce each time) into {"enc": "secretbox-v1", "nonce": base64, "data": base64}; the key is
// never stored. Without a key every value of the state's own `secrets` list is masked ("***",
// core::SecretSet) before it is stored, so a resumed run sees "***" for them, and a warning is
// given once. Reading a sealed checkpoint without the key, or with another key, is an error
// that says so.
//
// Immutable after construction apart from the warned-once flag; thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/value_fwd.hpp"

namespace flow::adapters {

inline constexpr const char* kSecretKeyVariable = "FLOWTEST_SECRET_KEY";

using SecretKey = std::array<std::uint8_t, 32>;
using Warn = std::function<void(std::string_view)>;

// A key written as 64 hex digits or as base64 (standard or URL-safe, padding optional) of 32
// bytes; surrounding blanks are ignored. kInvalidArgument, naming FLOWTEST_SECRET_KEY, otherwise.
core::Result<SecretKey> ParseSecretKey(std::string_view text);
// A new random key, as base64 (what `flowtest db keygen` would print).
std::string NewSecretKeyText();

class CheckpointCipher {
 public:
  // `warn` gets the one warning about storing masked checkpoints (default: none).
  explicit CheckpointCipher(std::optional<SecretKey> key, Warn warn = {});
  // The key from FLOWTEST_SECRET_KEY when set (an invalid value is an error), else none.
  static core::Result<CheckpointCipher> FromEnvironment(Warn warn = {});

  CheckpointCipher(const CheckpointCipher& other);
  CheckpointCipher& operator=(const CheckpointCipher&) = delete;

  bool has_key() const { return key_.has_value(); }
  // What to store for `checkpoint` (null stays null).
  core::Value Protect(const core::Value& checkpoint) const;
  // The checkpoint back from what was stored: sealed ones are opened (an error without the key
  // or with a wrong one), anything else is returned as it is. `what` names the value in errors.
  core::Result<core::Value> Reveal(const core::Value& stored,
                                   std::string_view what = "the checkpoint") const;

  // A text at rest (a suite's file text, an MFA secret): SealText gives the envelope as JSON text
  // (needs the key); IsSealedText tells such a text from any other; OpenText gives the text back
  // (the errors of Reveal).
  std::string SealText(std::string_view plain) const;
  static bool IsSealedText(std::string_view stored);
  core::Result<std::string> OpenText(std::string_view stored, std::string_view what) const;

 private:
  std::optional<SecretKey> key_;
  Warn warn_;
  mutable std::atomic<bool> warned_{false};
};

}  // namespace flow::adapters
