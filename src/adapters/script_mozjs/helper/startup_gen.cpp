// flow_sandbox_startup_gen SELF_HOSTED_OUT FAKER_STENCIL_OUT PRELUDE_STENCIL_OUT: run at build
// time (CMakeLists.txt), writes the start-up caches that flow_sandbox_startup_blobs embeds
// (startup_cache.hpp): SpiderMonkey's self-hosted cache, as JS::InitSelfHostedCode's writer hands
// it over, and the XDR encodings of the faker bundle's and the prelude's stencils, each wrapped
// with the script build id of the libmozjs it ran with and checksums. It sets the engine up the way
// JsRuntime::Create does (build id op, JS_Init, context, internal job queues, then the self-hosted
// code).
#include <js/Initialization.h>
#include <js/RealmOptions.h>
#include <js/Transcoding.h>
#include <jsapi.h>
#include <jsfriendapi.h>

#include <cstdio>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "adapters/script_mozjs/faker/faker_bundle.hpp"
#include "adapters/script_mozjs/helper/js_prelude.hpp"
#include "adapters/script_mozjs/helper/startup_cache.hpp"
#include "adapters/script_mozjs/helper/startup_engine.hpp"

namespace sb = flow::adapters::sandbox;

namespace {

const JSClass kGlobalClass = {
    "flowtest", JSCLASS_GLOBAL_FLAGS, &JS::DefaultGlobalClassOps, nullptr, nullptr, nullptr};

std::vector<std::uint8_t> g_self_hosted;

bool KeepSelfHosted(JSContext*, JS::SelfHostedCache cache) {
  g_self_hosted.assign(cache.begin(), cache.end());
  return true;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "flow_sandbox_startup_gen: %s\n", what.c_str());
  return 1;
}

// Writes next to `path` and renames, so an interrupted build never leaves half a cache.
bool WriteFile(const std::string& path, const std::string& bytes) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.good()) return false;
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

// The encoded stencils, kept until after JS_ShutDown: the check decode pins their bytecode.
std::vector<std::vector<std::uint8_t>> g_encoded;

// Encodes `stencil`, checks that it decodes the way the helper decodes it (so a cache the helper
// could not read fails the build instead), and writes it wrapped as `kind`.
int WriteStencil(JSContext* cx, JS::Stencil* stencil, sb::StartupBlobKind kind,
                 std::string_view source, const std::string& path) {
  JS::TranscodeBuffer encoded;
  if (JS::EncodeStencil(cx, stencil, encoded) != JS::TranscodeResult::Ok) {
    return Fail("JS::EncodeStencil failed for " + path);
  }
  const std::vector<std::uint8_t>& body = g_encoded.emplace_back(encoded.begin(), encoded.end());
  if (!sb::DecodeStartupStencil(cx, body))
    return Fail("the stencil for " + path + " does not decode");
  if (!WriteFile(path,
                 sb::EncodeStartupBlob(kind, sb::ScriptBuildId(), sb::Checksum64(source), body))) {
    return Fail("cannot write " + path);
  }
  return 0;
}

int Generate(JSContext* cx, char** paths) {
  js::UseInternalJobQueues(cx);
  if (!JS::InitSelfHostedCode(cx, nullptr, &KeepSelfHosted)) {
    return Fail("JS::InitSelfHostedCode failed");
  }
  if (g_self_hosted.empty()) return Fail("the engine wrote no self-hosted cache");
  if (!WriteFile(paths[0], sb::EncodeStartupBlob(sb::StartupBlobKind::kSelfHosted,
                                                 sb::ScriptBuildId(), 0, g_self_hosted))) {
    return Fail(std::string("cannot write ") + paths[0]);
  }

  JS::RealmOptions options;
  JS::RootedObject global(
      cx, JS_NewGlobalObject(cx, &kGlobalClass, nullptr, JS::FireOnNewGlobalHook, options));
  if (!global) return Fail("JS_NewGlobalObject failed");
  JSAutoRealm realm(cx, global);
  RefPtr<JS::Stencil> faker = sb::CompileFakerStencil(cx);
  if (!faker) return Fail("the faker bundle does not compile");
  if (const int status = WriteStencil(cx, faker, sb::StartupBlobKind::kFakerStencil,
                                      sb::FakerBundleSource(), paths[1])) {
    return status;
  }
  RefPtr<JS::Stencil> prelude = sb::CompilePreludeStencil(cx);
  if (!prelude) return Fail("the sandbox prelude does not compile");
  return WriteStencil(cx, prelude, sb::StartupBlobKind::kPreludeStencil, sb::SandboxPrelude(),
                      paths[2]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    return Fail(
        "usage: flow_sandbox_startup_gen SELF_HOSTED_OUT FAKER_STENCIL_OUT "
        "PRELUDE_STENCIL_OUT");
  }
  sb::InstallScriptBuildIdOp();
  if (!JS_Init()) return Fail("JS_Init failed");
  JSContext* cx = JS_NewContext(JS::DefaultHeapMaxBytes);
  if (cx == nullptr) return Fail("JS_NewContext failed");
  const int status = Generate(cx, argv + 1);
  JS_DestroyContext(cx);
  JS_ShutDown();
  return status;
}
