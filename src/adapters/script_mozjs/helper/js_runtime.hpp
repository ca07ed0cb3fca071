// JsRuntime: the SpiderMonkey 102 embedding of the sandbox helper (docs/adr/0004), without any
// IPC, so tests can use it in-process. It owns the one JSContext of the process, the faker and
// prelude stencils (compiled once), a CPU/memory watchdog thread, and at most one open scope: a
// fresh global with faker, console, setVariable, btoa/atob, crypto and Buffer.
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

#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::adapters::sandbox {

class JsRuntime final {
 public:
  // Initialises SpiderMonkey on the calling thread and compiles the faker bundle and prelude.
  static core::Result<std::unique_ptr<JsRuntime>> Create();
  ~JsRuntime();
  JsRuntime(const JsRuntime&) = delete;
  JsRuntime& operator=(const JsRuntime&) = delete;

  // Touches what opens files or libraries lazily (Date, Intl incl. pt-BR, a faker scope, every
  // crypto native, a GC), so nothing needs a file once the syscall filter is on. Closes any scope.
  core::Result<void> WarmUp();

  // Replaces the current scope by a fresh global: faker for `locale` ("en" or "pt_BR"), seeded
  // with `seed` when given. A seed above 2^53 is passed to faker as [high 32 bits, low 32 bits].
  core::Result<void> OpenScope(std::optional<std::uint64_t> seed, std::string locale);
  void CloseScope();  // drops the global; a no-op without a scope
  bool HasScope() const;

  // One "eval" request -> its reply; never fails otherwise (bad requests get kind "invalid").
  core::Value Evaluate(const core::Value& request);

  static std::string MozjsVersion();  // "102.15.1"

 private:
  struct Impl;
  explicit JsRuntime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace flow::adapters::sandbox
