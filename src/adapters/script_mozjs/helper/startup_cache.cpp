#include "adapters/script_mozjs/helper/startup_cache.hpp"

#include <bit>
#include <cstring>

namespace flow::adapters::sandbox {
namespace {

constexpr char kMagic[8] = {'F', 'L', 'O', 'W', 'J', 'S', 'C', '1'};
constexpr std::size_t kHeaderBytes = 64;
constexpr std::size_t kCheckedHeaderBytes = 40;  // up to the header checksum
constexpr std::size_t kMaxBuildIdBytes = 4096;

constexpr std::uint64_t kP1 = 11400714785074694791ULL;
constexpr std::uint64_t kP2 = 14029467366897019727ULL;
constexpr std::uint64_t kP3 = 1609587929392839161ULL;
constexpr std::uint64_t kP4 = 9650029242287828579ULL;
constexpr std::uint64_t kP5 = 2870177450012600261ULL;

std::uint64_t Rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// Little-endian loads (memcpy compiles to one move).
std::uint64_t Read64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

std::uint32_t Read32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

void Put64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void Put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint64_t Round(std::uint64_t acc, std::uint64_t input) {
  acc += input * kP2;
  acc = Rotl(acc, 31);
  return acc * kP1;
}

std::uint64_t MergeRound(std::uint64_t acc, std::uint64_t value) {
  acc ^= Round(0, value);
  return acc * kP1 + kP4;
}

std::size_t PaddedTo16(std::size_t n) { return (n + 15) / 16 * 16; }

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// XXH64 of the header's checked part and the build id, as one run of bytes.
std::uint64_t HeaderChecksum(std::span<const std::uint8_t> header, std::string_view build_id) {
  std::string joined(reinterpret_cast<const char*>(header.data()), kCheckedHeaderBytes);
  joined.append(build_id);
  return Checksum64(std::string_view(joined));
}

}  // namespace

std::uint64_t Checksum64(std::span<const std::uint8_t> bytes) {
  const std::uint8_t* p = bytes.data();
  const std::uint8_t* const end = p + bytes.size();
  std::uint64_t h = 0;
  if (bytes.size() >= 32) {
    std::uint64_t v1 = kP1 + kP2, v2 = kP2, v3 = 0, v4 = 0 - kP1;
    const std::uint8_t* const limit = end - 32;
    do {
      v1 = Round(v1, Read64(p));
      v2 = Round(v2, Read64(p + 8));
      v3 = Round(v3, Read64(p + 16));
      v4 = Round(v4, Read64(p + 24));
      p += 32;
    } while (p <= limit);
    h = Rotl(v1, 1) + Rotl(v2, 7) + Rotl(v3, 12) + Rotl(v4, 18);
    h = MergeRound(h, v1);
    h = MergeRound(h, v2);
    h = MergeRound(h, v3);
    h = MergeRound(h, v4);
  } else {
    h = kP5;
  }
  h += bytes.size();
  for (; end - p >= 8; p += 8) {
    h ^= Round(0, Read64(p));
    h = Rotl(h, 27) * kP1 + kP4;
  }
  if (end - p >= 4) {
    h ^= static_cast<std::uint64_t>(Read32(p)) * kP1;
    h = Rotl(h, 23) * kP2 + kP3;
    p += 4;
  }
  for (; p < end; ++p) {
    h ^= *p * kP5;
    h = Rotl(h, 11) * kP1;
  }
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

std::uint64_t Checksum64(std::string_view bytes) { return Checksum64(Bytes(bytes)); }

std::string EncodeStartupBlob(StartupBlobKind kind, std::string_view build_id,
                              std::uint64_t input_checksum, std::span<const std::uint8_t> body) {
  std::string out(kMagic, sizeof kMagic);
  Put32(out, static_cast<std::uint32_t>(kind));
  Put32(out, static_cast<std::uint32_t>(build_id.size()));
  Put64(out, body.size());
  Put64(out, Checksum64(body));
  Put64(out, input_checksum);
  Put64(out, HeaderChecksum(Bytes(out), build_id));
  out.resize(kHeaderBytes, '\0');
  out.append(build_id);
  out.resize(kHeaderBytes + PaddedTo16(build_id.size()), '\0');
  out.append(reinterpret_cast<const char*>(body.data()), body.size());
  return out;
}

core::Result<std::span<const std::uint8_t>> OpenStartupBlob(std::span<const std::uint8_t> blob,
                                                            StartupBlobKind kind,
                                                            std::string_view build_id,
                                                            std::uint64_t input_checksum) {
  const auto bad = [](const std::string& why) {
    return core::InvalidArgument("startup cache " + why);
  };
  if (blob.empty()) return bad("is empty");
  if (blob.size() < kHeaderBytes) return bad("is shorter than its header");
  const std::uint8_t* h = blob.data();
  if (std::memcmp(h, kMagic, sizeof kMagic) != 0) return bad("has no FLOWJSC1 header");
  if (Read32(h + 8) != static_cast<std::uint32_t>(kind)) return bad("is of another kind");
  const std::size_t id_size = Read32(h + 12);
  if (id_size > kMaxBuildIdBytes || kHeaderBytes + PaddedTo16(id_size) > blob.size()) {
    return bad("has a build id larger than the blob");
  }
  const std::string_view stored_id(reinterpret_cast<const char*>(h + kHeaderBytes), id_size);
  if (HeaderChecksum(blob.first(kHeaderBytes), stored_id) != Read64(h + 40)) {
    return bad("header checksum does not match");
  }
  if (stored_id != build_id)
    return bad("was made for another build ('" + std::string(stored_id) + "')");
  if (Read64(h + 32) != input_checksum) return bad("was made from another input");
  const std::size_t body_at = kHeaderBytes + PaddedTo16(id_size);
  const std::uint64_t body_size = Read64(h + 16);
  if (body_size != blob.size() - body_at) return bad("is truncated or has trailing bytes");
  const std::span<const std::uint8_t> body = blob.subspan(body_at);
  if (body.empty()) return bad("has an empty body");
  if (Checksum64(body) != Read64(h + 24)) return bad("body checksum does not match");
  return body;
}

}  // namespace flow::adapters::sandbox
