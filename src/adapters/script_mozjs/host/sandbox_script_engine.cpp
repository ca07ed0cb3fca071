#include "adapters/script_mozjs/host/sandbox_script_engine.hpp"

#include <utility>

#include "adapters/script_mozjs/host/helper_process.hpp"
#include "adapters/script_mozjs/host/sandbox_messages.hpp"
#include "adapters/script_mozjs/host/sandbox_pool.hpp"

namespace flow::adapters::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

// A helper taken from the idle list may have died while it waited (OOM killer, a stray kill);
// its open then fails, and a freshly started helper is tried once.
constexpr int kOpenAttempts = 2;

constexpr std::chrono::milliseconds kCloseTimeout{2000};

}  // namespace

SandboxScriptEngine::SandboxScriptEngine(SandboxOptions options)
    : pool_(std::make_shared<SandboxPool>(std::move(options))) {}

SandboxScriptEngine::~SandboxScriptEngine() { pool_->Shutdown(); }

core::Result<std::unique_ptr<core::ScriptSession>> SandboxScriptEngine::OpenSession(
    const core::ScriptSessionOptions& options) {
  core::Result<std::string> request = BuildOpenRequest(options);
  if (!request) return std::move(request).error();
  auto session = std::make_unique<SandboxScriptSession>(pool_, std::move(request).value());
  if (core::Result<void> opened = session->Open(); !opened) return std::move(opened).error();
  return std::unique_ptr<core::ScriptSession>(std::move(session));
}

int SandboxScriptEngine::alive_helpers() const { return pool_->alive(); }

std::vector<pid_t> SandboxScriptEngine::idle_helper_pids() const { return pool_->idle_pids(); }

SandboxScriptSession::SandboxScriptSession(std::shared_ptr<SandboxPool> pool,
                                           std::string open_request)
    : pool_(std::move(pool)), open_request_(std::move(open_request)) {}

SandboxScriptSession::~SandboxScriptSession() {
  if (!helper_) return;
  core::Result<std::string> reply =
      helper_->Exchange(R"({"op":"close"})", Clock::now() + kCloseTimeout);
  const bool healthy = reply && ParseAck(*reply).has_value();
  pool_->Return(std::move(helper_), healthy);
}

core::Result<void> SandboxScriptSession::Open() {
  Discard();
  core::Error last;
  for (int attempt = 0; attempt < kOpenAttempts; ++attempt) {
    core::Result<std::unique_ptr<HelperProcess>> leased = pool_->Lease(attempt > 0);
    if (!leased) return std::move(leased).error();
    std::unique_ptr<HelperProcess> helper = std::move(leased).value();
    const bool reused = helper->scopes_opened() > 0;
    core::Result<std::string> reply =
        helper->Exchange(open_request_, Clock::now() + pool_->options().start_timeout);
    core::Result<void> acked = reply ? ParseAck(*reply) : core::Result<void>(reply.error());
    if (acked) {
      helper->CountScope();
      helper_ = std::move(helper);
      return core::Ok();
    }
    last = std::move(acked).error();
    if (last.code == core::ErrorCode::kTimeout) {
      last.message = "the javascript sandbox helper did not open a scope within " +
                     std::to_string(pool_->options().start_timeout.count()) + " ms and was stopped";
      last.code = core::ErrorCode::kUnavailable;
    }
    pool_->Return(std::move(helper), false);
    if (!reused) break;
  }
  return last;
}

core::Result<core::ScriptOutcome> SandboxScriptSession::Run(const core::ScriptCall& call) {
  core::Result<std::string> request = BuildEvalRequest(call);
  if (!request) return std::move(request).error();
  if (!helper_) {
    if (core::Result<void> opened = Open(); !opened) return std::move(opened).error();
  }
  const auto wall = std::chrono::milliseconds(call.budget.cpu_ms) + pool_->options().wall_margin;
  core::Result<std::string> reply = helper_->Exchange(*request, Clock::now() + wall);
  if (!reply) {
    Discard();
    core::Error error = std::move(reply).error();
    if (error.code == core::ErrorCode::kTimeout) {
      error.message = "javascript took longer than " + std::to_string(wall.count()) +
                      " ms of wall time; the sandbox helper was stopped";
    }
    return error;
  }
  EvalReply mapped = ParseEvalReply(*reply, call);
  if (mapped.protocol_error || mapped.recycle) Discard();
  return std::move(mapped.outcome);
}

pid_t SandboxScriptSession::helper_pid() const { return helper_ ? helper_->pid() : 0; }

void SandboxScriptSession::Discard() {
  if (helper_) pool_->Return(std::move(helper_), false);
}

}  // namespace flow::adapters::sandbox
