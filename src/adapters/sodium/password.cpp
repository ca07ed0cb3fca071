#include "adapters/sodium/password.hpp"

#include <sodium.h>

namespace flow::adapters {

core::Result<std::string> HashPassword(std::string_view password) {
  FLOW_CHECK(sodium_init() >= 0);
  if (password.empty()) return core::InvalidArgument("the password is empty");
  if (password.size() > 4096) return core::InvalidArgument("the password is longer than 4096 bytes");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::Unavailable("not enough memory to hash the password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  FLOW_CHECK(sodium_init() >= 0);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomPassword() {
  FLOW_CHECK(sodium_init() >= 0);
  unsigned char bytes[18];
  randombytes_buf(bytes, sizeof bytes);
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(sizeof bytes, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, sizeof bytes, variant);
  out.resize(out.find('\0'));
  return out;
}

}  // namespace flow::adapters
