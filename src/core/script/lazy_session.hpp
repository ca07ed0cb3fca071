// LazyScriptSession: the ScriptSession of one suite execution, opened at its first use, so a
// suite without JavaScript or faker never starts a sandbox helper. It keeps the console output
// of every call until the runner takes it for the step that produced it. One thread at a time.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "core/ports/script_engine.hpp"

namespace flow::core {

class LazyScriptSession final : public ScriptSession {
 public:
  // `engine` may be null: every call then fails with reason kScriptDisabled.
  LazyScriptSession(ScriptEngine* engine, ScriptSessionOptions options)
      : engine_(engine), options_(std::move(options)) {}

  Result<ScriptOutcome> Run(const ScriptCall& call) override;

  bool IsOpen() const { return session_ != nullptr; }
  std::vector<ScriptLogLine> TakeConsole() { return std::exchange(console_, {}); }

 private:
  ScriptEngine* engine_;
  ScriptSessionOptions options_;
  std::unique_ptr<ScriptSession> session_;
  std::vector<ScriptLogLine> console_;
};

}  // namespace flow::core
