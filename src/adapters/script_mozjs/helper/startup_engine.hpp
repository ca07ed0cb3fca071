// The SpiderMonkey side of the start-up caches (startup_cache.hpp), shared by the build-time
// generator (startup_gen.cpp) and JsRuntime so both make and read the caches the same way.
// Call from the thread that owns `cx`.
#pragma once

#include <js/experimental/JSStencil.h>
#include <jsapi.h>

#include <cstdint>
#include <span>
#include <string>

namespace flow::adapters::sandbox {

inline constexpr const char* kFakerFileName = "<faker>";
inline constexpr const char* kPreludeFileName = "<prelude>";

// The script build id the generator and the helper give SpiderMonkey (and write into and check
// against the blob headers): "flowtest-js-cache-1;<JS_GetImplementationVersion()>;<the GNU build
// id of the loaded libmozjs>" (its path, size and mtime when it has no build id note), so a cache
// made for another libmozjs, even of the same version, is never used. Computed on the first call,
// which reads the loaded objects' program headers and may stat libmozjs (so make it before the
// syscall filter); thread-safe.
const std::string& ScriptBuildId();

// JS::SetProcessBuildIdOp with ScriptBuildId(), which it computes first. Required before a cache
// is read or written: writing the self-hosted cache without it segfaults.
void InstallScriptBuildIdOp();

// FakerBundleSource() compiled (fully parsed, as "<faker>") in the current realm; nullptr with an
// exception pending on failure.
RefPtr<JS::Stencil> CompileFakerStencil(JSContext* cx);
// The same for SandboxPrelude() (js_prelude.hpp), as "<prelude>".
RefPtr<JS::Stencil> CompilePreludeStencil(JSContext* cx);

// The stencil of an XDR body that JS::EncodeStencil made from one of the above. It borrows
// `body` (bytecode included), which must stay alive until JS_ShutDown. nullptr when SpiderMonkey
// refuses the bytes (another build id, a bad encoding); no exception is left pending.
RefPtr<JS::Stencil> DecodeStartupStencil(JSContext* cx, std::span<const std::uint8_t> body);

}  // namespace flow::adapters::sandbox
