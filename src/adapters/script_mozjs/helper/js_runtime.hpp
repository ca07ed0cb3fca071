// JsRuntime: the SpiderMonkey 102 embedding of the sandbox helper (docs/adr/0004), without any
// IPC, so tests can use it in-process. It owns the one JSContext of the process, the prelude and
// faker stencils, a CPU/memory watchdog thread, and at most one open scope: a fresh global with
// faker, console, setVariable, btoa/atob, crypto and Buffer.
//
// Start-up is cheap: the self-hosted code and the prelude come from the embedded caches
// (startup_cache.hpp) when their build id and checksums match, and faker is lazy. A scope's `faker`
// is an accessor that, on first use (or the first "faker" evaluation), runs the faker stencil in
// the scope and builds the locale's instance (seeded before any call), then becomes a read-only
// data property; the faker stencil itself is decoded from the embedded XDR cache (or compiled) on
// the first use in the process. The time and memory that loading faker takes are not charged to the
// evaluation.
//
// Evaluate() takes and returns the JSON of protocol.hpp's "eval" request and its reply (ok or
// error, with "console", "set", "read_back" and "recycle"). The reply's "type" is "undefined",
// "function", "symbol" from typeof, otherwise the JSON type of the produced value ("null",
// "boolean", "number", "string", "array", "object"), so a Date is a "string" and NaN a "null".
//
// Once per process: JS_Init cannot run twice, so a second Create() fails even after the first
// runtime is gone. Not thread-safe: every call must come from the thread that called Create().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "adapters/script_mozjs/helper/startup_cache.hpp"
#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::adapters::sandbox {

class JsRuntime final {
 public:
  // Where the faker stencil came from: not needed yet, decoded from the cache, or compiled.
  enum class FakerStencil { kNone, kDecoded, kCompiled };
  struct Stats {
    bool self_hosted_cached = false;  // the self-hosted code came from the start-up cache
    bool prelude_cached = false;      // so did the prelude's stencil
    FakerStencil faker_stencil = FakerStencil::kNone;
    std::uint64_t faker_loads = 0;  // scopes in which faker was instantiated
  };

  // Initialises SpiderMonkey on the calling thread and loads the prelude, from the embedded
  // start-up caches (EmbeddedStartupBlobs()) or `blobs`, which must outlive the process (the
  // engine keeps pointers into them). A blob that OpenStartupBlob() rejects is ignored: the code
  // is parsed instead.
  static core::Result<std::unique_ptr<JsRuntime>> Create();
  static core::Result<std::unique_ptr<JsRuntime>> Create(StartupBlobs blobs);
  ~JsRuntime();
  JsRuntime(const JsRuntime&) = delete;
  JsRuntime& operator=(const JsRuntime&) = delete;

  // Touches what would otherwise read files lazily once the syscall filter is on: OpenSSL's
  // configuration (WarmUpDigests()) and the host time zone of glibc (tzset) and ICU (one local
  // Date; with TZ unset ICU readlinks /etc/localtime, which the filter kills). ICU's locale data
  // is inside libmozjs and faker needs no file, so neither is touched (about 2 ms in all).
  // Closes any scope.
  core::Result<void> WarmUp();

  // Replaces the current scope by a fresh global: faker for `locale` ("en" or "pt_BR"), seeded
  // with `seed` when given. A seed above 2^53 is passed to faker as [high 32 bits, low 32 bits].
  core::Result<void> OpenScope(std::optional<std::uint64_t> seed, std::string locale);
  void CloseScope();  // drops the global; a no-op without a scope
  bool HasScope() const;

  // One "eval" request -> its reply; never fails otherwise (bad requests get kind "invalid").
  core::Value Evaluate(const core::Value& request);

  Stats stats() const;

  static std::string MozjsVersion();  // "102.15.1"

 private:
  struct Impl;
  explicit JsRuntime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace flow::adapters::sandbox
