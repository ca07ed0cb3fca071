// SandboxScriptEngine: the ScriptEngine port over SpiderMonkey helper processes (docs/adr/0004).
// It owns a SandboxPool of helpers (started lazily, at the first OpenSession). A session leases
// one helper for its lifetime and opens one fresh JavaScript global (a "scope") in it; closing
// the session closes the scope and gives the helper back for later sessions, which get a fresh
// global of their own.
//
// When a helper fails during a call (a budget stopped the code and the helper asked to be
// replaced, the call ran past cpu_ms + wall_margin of wall time, the helper died or sent a bad
// frame), that call fails and the helper is discarded; the session's NEXT Run transparently takes
// a new helper and opens a new scope with the same options. Globals the code had defined in the
// old helper are lost then (only what setVariable returned survives, in the caller's variables),
// and faker restarts from its seed.
//
// Thread-safety: OpenSession may be called from any number of threads; a session is used by one
// thread at a time. Sessions should end before the engine: the engine's destructor stops the idle
// helpers and kills the leased ones (their sessions then fail), and reaps every child once its
// session is gone.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/script_mozjs/host/sandbox_options.hpp"
#include "core/ports/script_engine.hpp"

namespace flow::adapters::sandbox {

class HelperProcess;
class SandboxPool;

class SandboxScriptEngine final : public core::ScriptEngine {
 public:
  explicit SandboxScriptEngine(SandboxOptions options);
  ~SandboxScriptEngine() override;
  SandboxScriptEngine(const SandboxScriptEngine&) = delete;
  SandboxScriptEngine& operator=(const SandboxScriptEngine&) = delete;

  // Errors: InvalidArgument for an unknown faker locale; kUnavailable with reason
  // kScriptHelperFailed when no helper could be started (the message names the executable).
  core::Result<std::unique_ptr<core::ScriptSession>> OpenSession(
      const core::ScriptSessionOptions& options) override;

  // For tests and diagnostics: helpers running or starting, and the idle ones' pids.
  int alive_helpers() const;
  std::vector<pid_t> idle_helper_pids() const;

 private:
  std::shared_ptr<SandboxPool> pool_;
};

class SandboxScriptSession final : public core::ScriptSession {
 public:
  // Use SandboxScriptEngine::OpenSession.
  SandboxScriptSession(std::shared_ptr<SandboxPool> pool, std::string open_request);
  ~SandboxScriptSession() override;
  SandboxScriptSession(const SandboxScriptSession&) = delete;
  SandboxScriptSession& operator=(const SandboxScriptSession&) = delete;

  core::Result<core::ScriptOutcome> Run(const core::ScriptCall& call) override;

  // Leases a helper and opens the scope in it (done by OpenSession, and again by Run after a
  // helper was discarded).
  core::Result<void> Open();
  // The pid of the session's current helper, 0 when it has none (for tests).
  pid_t helper_pid() const;

 private:
  void Discard();

  std::shared_ptr<SandboxPool> pool_;
  std::string open_request_;
  std::unique_ptr<HelperProcess> helper_;
};

}  // namespace flow::adapters::sandbox
