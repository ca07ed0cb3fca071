// The parent side of the sandbox channel's messages (adapters/script_mozjs/protocol.hpp): builds
// the JSON requests a SandboxScriptEngine sends to a helper and maps the helper's replies to
// ScriptOutcome or Error values. Pure functions (no I/O), thread-safe, so they are unit-tested
// without a helper process.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/ports/script_engine.hpp"
#include "core/result.hpp"

namespace flow::adapters::sandbox {

inline constexpr int kMaxBindingDepth = 256;               // nesting of one binding, args or result
inline constexpr std::size_t kMaxConsoleHintBytes = 4096;  // console lines kept in Error::hint

// What a helper announces once it is ready: {"op":"ready","protocol":…,"mozjs":…,"faker":…,
// "start_us":…}. A protocol other than kProtocolVersion is refused.
struct ReadyInfo {
  std::string mozjs;
  std::string faker;
  std::int64_t start_us = 0;
};

// The helper's reply to an eval, mapped. `protocol_error` means the reply itself was malformed
// (the helper must be killed); `recycle` that the helper asked to be replaced.
struct EvalReply {
  core::Result<core::ScriptOutcome> outcome = core::ScriptOutcome{};
  bool recycle = false;
  bool protocol_error = false;
};

// {"op":"open","seed":…,"locale":…}; an unknown locale is an InvalidArgument.
core::Result<std::string> BuildOpenRequest(const core::ScriptSessionOptions& options);

// {"op":"eval",…} for `call`. Refuses (InvalidArgument, reason kScriptException) bindings that
// are not an object, faker args that are not an array, a binding or args nested deeper than
// kMaxBindingDepth, a budget that is not positive, and a request over kMaxRequestBytes.
core::Result<std::string> BuildEvalRequest(const core::ScriptCall& call);

// Maps an eval reply. Exceptions, syntax errors and budgets become InvalidArgument errors with the
// port's reasons, the helper's message, `where` from MapPosition and the console in `hint`; a
// malformed reply is kUnavailable with reason kScriptHelperFailed and protocol_error set.
EvalReply ParseEvalReply(std::string_view reply, const core::ScriptCall& call);

core::Result<ReadyInfo> ParseReady(std::string_view reply);

// The reply to open or close: {"ok":true}, else an error naming what the helper said.
core::Result<void> ParseAck(std::string_view reply);

// Where a position the helper reported (1-based `line` and `column` inside call.code; 0 when
// unknown) lies in the suite file: on the code's first line, column call.column + column - 1;
// further down, the column as given. nullopt when either the call's or the helper's line is
// unknown.
std::optional<core::SourceSpan> MapPosition(const core::ScriptCall& call, int line, int column);

// "level: message" lines for Error::hint, capped at kMaxConsoleHintBytes with a marker.
std::string FormatConsoleHint(const std::vector<core::ScriptLogLine>& console);

// How a helper ended, from a waitpid status: "exited with code 3", "was killed by SIGKILL",
// "was killed by SIGSYS (stopped by the sandbox's system-call filter)".
std::string DescribeWaitStatus(int status);

}  // namespace flow::adapters::sandbox
