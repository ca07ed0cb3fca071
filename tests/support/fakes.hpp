// Small working test doubles for the core's ports. Header-only; tests only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/clock.hpp"
#include "core/ports/entropy.hpp"
#include "core/ports/environment.hpp"
#include "core/ports/http_client.hpp"
#include "core/ports/script_engine.hpp"

namespace flow::testing {

class FakeClock final : public core::Clock {
 public:
  std::int64_t NowUnixMs() override { return unix_ms; }
  std::int64_t MonotonicUs() override { return monotonic_us += step_us; }
  void SleepMs(std::int64_t ms) override {  // time passes at once
    slept_ms.push_back(ms);
    monotonic_us += ms * 1000;
    unix_ms += ms;
  }
  std::vector<std::int64_t> slept_ms;
  std::int64_t unix_ms = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
  std::int64_t monotonic_us = 0;
  std::int64_t step_us = 1'000;  // each reading advances the monotonic clock by this much
};

class FakeEntropy final : public core::Entropy {
 public:
  std::uint64_t Next() override {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state;
  }
  std::uint64_t state = 42;
};

class FakeEnvironment final : public core::Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override {
    const auto found = vars.find(std::string(name));
    if (found == vars.end()) return std::nullopt;
    return found->second;
  }
  std::map<std::string, std::string> vars;
};

// Answers every request with `reply`, or with the next queued result when `replies` is not
// empty; records what was sent.
class FakeHttpClient final : public core::HttpClient {
 public:
  core::Result<core::HttpResponse> Send(const core::HttpRequest& request) override {
    sent.push_back(request);
    if (!replies.empty()) {
      core::Result<core::HttpResponse> next = replies.front();
      replies.erase(replies.begin());
      return next;
    }
    return reply;
  }
  core::HttpResponse reply{.status_code = 200};
  std::vector<core::Result<core::HttpResponse>> replies;
  std::vector<core::HttpRequest> sent;
};

// A ScriptEngine whose "JavaScript" is a table: `answers[code]` computes the outcome of a call
// with that code (for kFaker, the method path) from the call. Unknown code is a
// script-exception "ReferenceError: no fake answer for '<code>'". Records every call and counts
// the sessions opened.
class FakeScriptEngine final : public core::ScriptEngine {
 public:
  using Answer = std::function<core::Result<core::ScriptOutcome>(const core::ScriptCall&)>;

  // The common case: a value computed from the bindings.
  void On(const std::string& code, std::function<core::Value(const core::Value& bindings)> f) {
    answers[code] = [f](const core::ScriptCall& call) -> core::Result<core::ScriptOutcome> {
      core::ScriptOutcome out;
      out.value = f(call.bindings);
      return out;
    };
  }

  core::Result<std::unique_ptr<core::ScriptSession>> OpenSession(
      const core::ScriptSessionOptions& options) override {
    ++sessions_opened;
    last_options = options;
    return std::unique_ptr<core::ScriptSession>(std::make_unique<Session>(*this));
  }

  std::map<std::string, Answer> answers;
  std::vector<core::ScriptCall> calls;
  int sessions_opened = 0;
  core::ScriptSessionOptions last_options;

 private:
  class Session final : public core::ScriptSession {
   public:
    explicit Session(FakeScriptEngine& engine) : engine_(engine) {}
    core::Result<core::ScriptOutcome> Run(const core::ScriptCall& call) override {
      engine_.calls.push_back(call);
      const auto found = engine_.answers.find(call.code);
      if (found == engine_.answers.end()) {
        core::Error e = core::InvalidArgument("ReferenceError: no fake answer for '" + call.code + "'");
        e.reason = core::kScriptException;
        return e;
      }
      return found->second(call);
    }

   private:
    FakeScriptEngine& engine_;
  };
};

}  // namespace flow::testing
