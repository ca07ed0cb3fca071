#include "core/template/builtins.hpp"

#include <array>
#include <cstdio>

namespace flow::core {

std::string MakeUuidV4(Entropy& entropy) {
  std::array<unsigned char, 16> bytes{};
  const std::uint64_t high = entropy.Next();
  const std::uint64_t low = entropy.Next();
  for (int i = 0; i < 8; ++i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(high >> (56 - 8 * i));
    bytes[static_cast<std::size_t>(8 + i)] = static_cast<unsigned char>(low >> (56 - 8 * i));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // variant 10xx (RFC 4122)
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0F]);
  }
  return out;
}

std::uint64_t RandomBelow(Entropy& entropy, std::uint64_t bound) {
  // Lemire's multiply-shift: the bias is bound / 2^64, far below anything observable.
  const unsigned __int128 product =
      static_cast<unsigned __int128>(entropy.Next()) * static_cast<unsigned __int128>(bound);
  return static_cast<std::uint64_t>(product >> 64);
}

}  // namespace flow::core
