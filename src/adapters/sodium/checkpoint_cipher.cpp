#include "adapters/sodium/checkpoint_cipher.hpp"

#include <sodium.h>

#include <cstdlib>
#include <vector>

#include "core/secrets/secrets.hpp"
#include "core/util/strings.hpp"
#include "core/value.hpp"

namespace flow::adapters {
namespace {

constexpr const char* kEnvelope = "secretbox-v1";

void InitSodium() {
  // sodium_init is thread-safe and idempotent; it fails only when no randomness is available.
  FLOW_CHECK(sodium_init() >= 0);
}

std::string Base64(const std::uint8_t* data, std::size_t size) {
  std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::vector<std::uint8_t>> FromBase64(std::string_view text, int variant) {
  // libsodium may not be given a null pointer (an empty string_view's data()).
  if (text.empty()) return std::vector<std::uint8_t>();
  std::vector<std::uint8_t> out(text.size());
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &end,
                        variant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

core::Error KeyError(std::string message) {
  return core::InvalidArgument(
      std::string(kSecretKeyVariable) + " " + message,
      "give 32 random bytes as 64 hex digits or base64, e.g. from `openssl rand -base64 32`");
}

}  // namespace

core::Result<SecretKey> ParseSecretKey(std::string_view text) {
  InitSodium();
  text = core::Trim(text);
  SecretKey key{};
  if (text.size() == 64) {
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(key.data(), key.size(), text.data(), text.size(), nullptr, &length, &end) ==
            0 &&
        length == key.size() && end == text.data() + text.size()) {
      return key;
    }
  }
  for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                      sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING}) {
    if (auto bytes = FromBase64(text, variant)) {
      if (bytes->size() != key.size()) {
        return KeyError("must be 32 bytes, got " + std::to_string(bytes->size()));
      }
      std::copy(bytes->begin(), bytes->end(), key.begin());
      return key;
    }
  }
  return KeyError("is neither 64 hex digits nor base64");
}

std::string NewSecretKeyText() {
  InitSodium();
  SecretKey key{};
  randombytes_buf(key.data(), key.size());
  return Base64(key.data(), key.size());
}

CheckpointCipher::CheckpointCipher(std::optional<SecretKey> key, Warn warn)
    : key_(key), warn_(std::move(warn)) {
  InitSodium();
}

CheckpointCipher::CheckpointCipher(const CheckpointCipher& other)
    : key_(other.key_), warn_(other.warn_), warned_(other.warned_.load()) {}

core::Result<CheckpointCipher> CheckpointCipher::FromEnvironment(Warn warn) {
  const char* text = std::getenv(kSecretKeyVariable);
  if (text == nullptr || core::Trim(text).empty()) return CheckpointCipher(std::nullopt, warn);
  core::Result<SecretKey> key = ParseSecretKey(text);
  if (!key) return std::move(key).error();
  return CheckpointCipher(*key, std::move(warn));
}

core::Value CheckpointCipher::Protect(const core::Value& checkpoint) const {
  if (checkpoint.is_null()) return checkpoint;
  if (!key_) {
    std::vector<std::string> secrets;
    if (checkpoint.is_object()) {
      if (auto it = checkpoint.find("secrets"); it != checkpoint.end() && it->is_array()) {
        for (const core::Value& s : *it) {
          if (s.is_string()) secrets.push_back(s.get<std::string>());
        }
      }
    }
    core::Value masked = checkpoint;
    core::SecretSet(std::move(secrets)).MaskValue(masked);
    if (warn_ && !warned_.exchange(true)) {
      warn_(std::string(kSecretKeyVariable) +
            " is not set: run checkpoints are stored with their secret values masked, so a "
            "resumed run sees \"***\" for them");
    }
    return masked;
  }
  const std::string plain = core::DumpJson(checkpoint);
  std::array<std::uint8_t, crypto_secretbox_NONCEBYTES> nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  std::vector<std::uint8_t> sealed(plain.size() + crypto_secretbox_MACBYTES);
  crypto_secretbox_easy(sealed.data(), reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), nonce.data(), key_->data());
  return core::Value{{"enc", kEnvelope},
                     {"nonce", Base64(nonce.data(), nonce.size())},
                     {"data", Base64(sealed.data(), sealed.size())}};
}

core::Result<core::Value> CheckpointCipher::Reveal(const core::Value& stored,
                                                   std::string_view what) const {
  if (!stored.is_object() || !stored.contains("enc")) return stored;
  const std::string subject(what);
  const core::Value& enc = stored["enc"];
  if (!enc.is_string() || enc.get<std::string>() != kEnvelope) {
    return core::InvalidArgument(subject + " is sealed with an unknown method '" +
                                 core::ToText(enc) + "'");
  }
  if (!key_) {
    return core::InvalidArgument(
        subject + " is encrypted and " + std::string(kSecretKeyVariable) + " is not set",
        "set FLOWTEST_SECRET_KEY to the key it was stored with");
  }
  const core::Value& nonce_text = stored.value("nonce", core::Value());
  const core::Value& data_text = stored.value("data", core::Value());
  std::optional<std::vector<std::uint8_t>> nonce, data;
  if (nonce_text.is_string()) {
    nonce = FromBase64(nonce_text.get<std::string>(), sodium_base64_VARIANT_ORIGINAL);
  }
  if (data_text.is_string()) {
    data = FromBase64(data_text.get<std::string>(), sodium_base64_VARIANT_ORIGINAL);
  }
  if (!nonce || nonce->size() != crypto_secretbox_NONCEBYTES || !data ||
      data->size() < crypto_secretbox_MACBYTES) {
    return core::InvalidArgument(subject + " is encrypted but damaged");
  }
  std::string plain(data->size() - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), data->data(),
                                 data->size(), nonce->data(), key_->data()) != 0) {
    return core::InvalidArgument(
        subject + " cannot be decrypted with " + std::string(kSecretKeyVariable),
        "it was stored with another key; set FLOWTEST_SECRET_KEY to that key");
  }
  core::Value value = core::Value::parse(plain, nullptr, false);
  if (value.is_discarded()) return core::InvalidArgument(subject + " is not JSON once decrypted");
  return value;
}

std::string CheckpointCipher::SealText(std::string_view plain) const {
  FLOW_CHECK(key_.has_value());
  return core::DumpJson(Protect(core::Value(std::string(plain))));
}

bool CheckpointCipher::IsSealedText(std::string_view stored) {
  // The envelope's JSON text: an object of exactly enc, nonce and data (no suite is one).
  if (stored.empty() || stored.front() != '{') return false;
  const core::Value value = core::Value::parse(stored, nullptr, false);
  return value.is_object() && value.size() == 3 && value.contains("nonce") &&
         value.contains("data") && value.value("enc", core::Value()) == kEnvelope;
}

core::Result<std::string> CheckpointCipher::OpenText(std::string_view stored,
                                                     std::string_view what) const {
  core::Result<core::Value> opened = Reveal(core::Value::parse(stored, nullptr, false), what);
  if (!opened) return std::move(opened).error();
  if (!opened->is_string()) return core::InvalidArgument(std::string(what) + " is not a text");
  return opened->get<std::string>();
}

}  // namespace flow::adapters
