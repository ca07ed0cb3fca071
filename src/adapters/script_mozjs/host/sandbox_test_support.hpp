// Helpers shared by the sandbox host tests (header-only; tests only).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cerrno>
#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "adapters/script_mozjs/host/sandbox_script_engine.hpp"

namespace flow::adapters::sandbox::testing {

inline SandboxScriptSession& AsSandbox(core::ScriptSession& session) {
  return dynamic_cast<SandboxScriptSession&>(session);
}

inline std::unique_ptr<core::ScriptSession> Open(SandboxScriptEngine& engine,
                                                 core::ScriptSessionOptions options = {}) {
  core::Result<std::unique_ptr<core::ScriptSession>> session = engine.OpenSession(options);
  EXPECT_TRUE(session) << session.error().message;
  return session ? std::move(session).value() : nullptr;
}

// A reaped process no longer exists (a zombie still answers kill(pid, 0)).
inline bool IsReaped(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

inline int OpenDescriptors() {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    ++n;
  return n;
}

}  // namespace flow::adapters::sandbox::testing
