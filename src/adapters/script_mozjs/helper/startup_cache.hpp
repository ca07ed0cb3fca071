// Start-up caches of the sandbox helper (docs/adr/0004): SpiderMonkey's self-hosted code and the
// XDR-encoded stencils of the faker bundle and the sandbox prelude, generated at build time by
// flow_sandbox_startup_gen and embedded in the helper (flow_sandbox_startup_blobs);
// startup_engine.hpp has the engine side. Pure functions on bytes, thread-safe. A corrupt
// self-hosted cache body crashes SpiderMonkey (research P5), so every blob carries its own
// checksums and the build id it was made for, and OpenStartupBlob() checks them all before a single
// byte reaches the engine.
//
// Blob layout (little-endian): a 64-byte header {magic "FLOWJSC1", u32 kind, u32 build id size,
// u64 body size, u64 body checksum, u64 input checksum, u64 header checksum, 16 zero bytes}, the
// build id padded with zeros to a multiple of 16, then the body (so the body is 16-byte aligned
// within the blob). The header checksum covers the first 40 header bytes and the build id.
// Checksums are XXH64 with seed 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flow::adapters::sandbox {

enum class StartupBlobKind : std::uint32_t {
  kSelfHosted = 1,      // the bytes JS::InitSelfHostedCode's writer produced
  kFakerStencil = 2,    // JS::EncodeStencil of the faker bundle; input = Checksum64(bundle source)
  kPreludeStencil = 3,  // the same for SandboxPrelude(); input = Checksum64(prelude source)
};

// The two embedded blobs, or other bytes for tests; empty spans mean "no cache".
struct StartupBlobs {
  std::span<const std::uint8_t> self_hosted;
  std::span<const std::uint8_t> faker_stencil;
  std::span<const std::uint8_t> prelude_stencil;
};

// XXH64 (seed 0) of `bytes`.
std::uint64_t Checksum64(std::span<const std::uint8_t> bytes);
std::uint64_t Checksum64(std::string_view bytes);

// `body` wrapped in the blob layout above.
std::string EncodeStartupBlob(StartupBlobKind kind, std::string_view build_id,
                              std::uint64_t input_checksum, std::span<const std::uint8_t> body);

// The body of `blob` when its magic, kind, header checksum, build id, input checksum, size and
// body checksum all match; otherwise an error saying which did not.
core::Result<std::span<const std::uint8_t>> OpenStartupBlob(std::span<const std::uint8_t> blob,
                                                            StartupBlobKind kind,
                                                            std::string_view build_id,
                                                            std::uint64_t input_checksum);

}  // namespace flow::adapters::sandbox
