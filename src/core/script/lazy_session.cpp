#include "core/script/lazy_session.hpp"

#include <utility>

namespace flow::core {

Result<ScriptOutcome> LazyScriptSession::Run(const ScriptCall& call) {
  if (session_ == nullptr) {
    if (engine_ == nullptr) {
      Error e = InvalidArgument("javascript and faker are not available in this run",
                                "the run was started without the javascript sandbox");
      e.reason = kScriptDisabled;
      return e;
    }
    Result<std::unique_ptr<ScriptSession>> opened = engine_->OpenSession(options_);
    if (!opened) return std::move(opened).error();  // tried again at the next call
    session_ = std::move(opened).value();
  }
  Result<ScriptOutcome> outcome = session_->Run(call);
  if (outcome) {
    for (const ScriptLogLine& line : outcome->console) console_.push_back(line);
  }
  return outcome;
}

}  // namespace flow::core
