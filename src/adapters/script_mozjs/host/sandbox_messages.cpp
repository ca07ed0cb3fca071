#include "adapters/script_mozjs/host/sandbox_messages.hpp"

#include <sys/wait.h>

#include <csignal>
#include <cstring>
#include <utility>

#include "adapters/script_mozjs/protocol.hpp"
#include "core/value.hpp"

namespace flow::adapters::sandbox {
namespace {

using core::Value;

core::Error Refused(std::string message) {
  core::Error error = core::InvalidArgument(std::move(message));
  error.reason = core::kScriptException;
  return error;
}

core::Error BadReply(std::string what) {
  core::Error error =
      core::Unavailable("the javascript sandbox helper sent an invalid reply: " + std::move(what));
  error.reason = core::kScriptHelperFailed;
  return error;
}

// Whether `value` nests deeper than `limit` levels of arrays and objects. Stops descending once
// over the limit, so the recursion is bounded whatever the value.
bool NestsDeeperThan(const Value& value, int limit) {
  if (!value.is_structured()) return false;
  if (limit <= 0) return true;
  for (const Value& child : value) {
    if (NestsDeeperThan(child, limit - 1)) return true;
  }
  return false;
}

std::string_view KindName(core::ScriptCallKind kind) {
  switch (kind) {
    case core::ScriptCallKind::kExpression:
      return "expression";
    case core::ScriptCallKind::kBlock:
      return "block";
    case core::ScriptCallKind::kFaker:
      return "faker";
  }
  return "expression";
}

const char* ReasonOf(std::string_view kind) {
  if (kind == "exception" || kind == "invalid") return core::kScriptException;
  if (kind == "syntax") return core::kScriptSyntax;
  if (kind == "cpu") return core::kScriptCpuBudget;
  if (kind == "memory") return core::kScriptMemoryBudget;
  if (kind == "output") return core::kScriptOutputBudget;
  return nullptr;
}

int IntField(const Value& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return 0;
  const auto n = it->get<std::int64_t>();
  return n > 0 && n < (1 << 30) ? static_cast<int>(n) : 0;
}

// console: [["log","text"], ...]; false when it is malformed.
bool ReadConsole(const Value& reply, std::vector<core::ScriptLogLine>& out) {
  const auto it = reply.find("console");
  if (it == reply.end() || it->is_null()) return true;
  if (!it->is_array()) return false;
  for (const Value& line : *it) {
    if (!line.is_array() || line.size() != 2 || !line[0].is_string() || !line[1].is_string()) {
      return false;
    }
    out.push_back({line[0].get<std::string>(), line[1].get<std::string>()});
  }
  return true;
}

core::Result<Value> ParseObject(std::string_view text) {
  // Every later walk over a Value recurses; the envelope adds up to three levels to a result.
  if (core::FindJsonNestingBeyond(text, kMaxBindingDepth + 3)) {
    core::Error error = core::InvalidArgument("the javascript result nests deeper than " +
                                              std::to_string(kMaxBindingDepth) + " levels");
    error.reason = core::kScriptOutputBudget;
    return error;
  }
  Value parsed = Value::parse(text.begin(), text.end(), nullptr, false);
  if (parsed.is_discarded()) return BadReply("not json");
  if (!parsed.is_object()) return BadReply("not a json object");
  return parsed;
}

}  // namespace

core::Result<std::string> BuildOpenRequest(const core::ScriptSessionOptions& options) {
  if (options.faker_locale != "en" && options.faker_locale != "pt_BR") {
    return core::InvalidArgument("unknown faker locale '" + options.faker_locale + "'",
                                 "use 'en' or 'pt_BR'");
  }
  Value request = Value::object();
  request["op"] = "open";
  request["seed"] = options.faker_seed ? Value(*options.faker_seed) : Value(nullptr);
  request["locale"] = options.faker_locale;
  return core::DumpJson(request);
}

core::Result<std::string> BuildEvalRequest(const core::ScriptCall& call) {
  if (!call.bindings.is_object()) return Refused("javascript bindings must be an object");
  if (!call.args.is_array()) return Refused("faker arguments must be an array");
  if (NestsDeeperThan(call.bindings, kMaxBindingDepth)) {
    return Refused("javascript bindings nest deeper than " + std::to_string(kMaxBindingDepth) +
                   " levels");
  }
  if (NestsDeeperThan(call.args, kMaxBindingDepth)) {
    return Refused("faker arguments nest deeper than " + std::to_string(kMaxBindingDepth) +
                   " levels");
  }
  if (call.budget.cpu_ms <= 0 || call.budget.memory_mb <= 0 || call.budget.output_bytes == 0) {
    return Refused("javascript budgets must be positive (cpu " +
                   std::to_string(call.budget.cpu_ms) + " ms, memory " +
                   std::to_string(call.budget.memory_mb) + " MB, output " +
                   std::to_string(call.budget.output_bytes) + " bytes)");
  }
  // Pieced together from DumpJson so the (possibly large) bindings are not copied into a Value.
  Value read_back = Value::array();
  for (const std::string& name : call.read_back) read_back.push_back(name);
  std::string out;
  out.reserve(call.code.size() + 256);
  out += R"({"op":"eval","kind":")";
  out += KindName(call.kind);
  out += R"(","code":)";
  out += core::DumpJson(Value(call.code));
  out += R"(,"args":)";
  out += core::DumpJson(call.args);
  out += R"(,"bind":)";
  out += core::DumpJson(call.bindings);
  out += R"(,"read_back":)";
  out += core::DumpJson(read_back);
  out += R"(,"file":)";
  out += core::DumpJson(Value(call.file));
  out += R"(,"line":)" + std::to_string(call.line > 0 ? call.line : 0);
  out += R"(,"col":)" + std::to_string(call.column > 0 ? call.column : 0);
  out += R"(,"cpu_ms":)" + std::to_string(call.budget.cpu_ms);
  out += R"(,"mem_mb":)" + std::to_string(call.budget.memory_mb);
  out += R"(,"out_bytes":)" + std::to_string(call.budget.output_bytes);
  out += '}';
  if (out.size() > kMaxRequestBytes) {
    return Refused("javascript call of " + std::to_string(out.size()) +
                   " bytes (code and bindings) is over the sandbox's limit of " +
                   std::to_string(kMaxRequestBytes >> 20) + " MiB");
  }
  return out;
}

EvalReply ParseEvalReply(std::string_view text, const core::ScriptCall& call) {
  EvalReply out;
  core::Result<Value> parsed = ParseObject(text);
  if (!parsed) {
    out.protocol_error = parsed.error().reason == core::kScriptHelperFailed;
    out.outcome = std::move(parsed).error();
    return out;
  }
  const Value& reply = *parsed;
  const auto fail = [&](std::string what) {
    out.protocol_error = true;
    out.outcome = BadReply(std::move(what));
    return out;
  };
  const auto ok = reply.find("ok");
  if (ok == reply.end() || !ok->is_boolean()) return fail("no \"ok\"");
  if (const auto recycle = reply.find("recycle"); recycle != reply.end()) {
    if (!recycle->is_boolean()) return fail("\"recycle\" is not a boolean");
    out.recycle = recycle->get<bool>();
  }
  std::vector<core::ScriptLogLine> console;
  if (!ReadConsole(reply, console)) return fail("malformed \"console\"");

  if (!ok->get<bool>()) {
    const auto error = reply.find("error");
    if (error == reply.end() || !error->is_object()) return fail("no \"error\"");
    const auto kind = error->find("kind");
    const auto message = error->find("message");
    if (kind == error->end() || !kind->is_string()) return fail("no error kind");
    if (message == error->end() || !message->is_string()) return fail("no error message");
    const char* reason = ReasonOf(kind->get<std::string>());
    if (reason == nullptr) return fail("unknown error kind '" + kind->get<std::string>() + "'");
    core::Error failure = core::InvalidArgument(message->get<std::string>());
    failure.reason = reason;
    failure.where = MapPosition(call, IntField(*error, "line"), IntField(*error, "col"));
    failure.hint = FormatConsoleHint(console);
    out.outcome = std::move(failure);
    return out;
  }

  core::ScriptOutcome outcome;
  const auto type = reply.find("type");
  if (type == reply.end() || !type->is_string()) return fail("no \"type\"");
  outcome.type = type->get<std::string>();
  if (const auto undefined = reply.find("undefined"); undefined != reply.end()) {
    if (!undefined->is_boolean()) return fail("\"undefined\" is not a boolean");
    outcome.is_undefined = undefined->get<bool>();
  }
  if (const auto value = reply.find("value"); value != reply.end() && !outcome.is_undefined) {
    outcome.value = *value;
  }
  if (const auto set = reply.find("set"); set != reply.end() && !set->is_null()) {
    if (!set->is_object()) return fail("\"set\" is not an object");
    outcome.set_variables = *set;
  }
  if (const auto back = reply.find("read_back"); back != reply.end() && !back->is_null()) {
    if (!back->is_object()) return fail("\"read_back\" is not an object");
    outcome.read_back = *back;
  }
  outcome.console = std::move(console);
  out.outcome = std::move(outcome);
  return out;
}

core::Result<ReadyInfo> ParseReady(std::string_view text) {
  core::Result<Value> parsed = ParseObject(text);
  if (!parsed) return BadReply("a start-up message that is not a json object");
  const Value& reply = *parsed;
  const auto op = reply.find("op");
  if (op == reply.end() || *op != "ready")
    return BadReply("a start-up message without \"op\":\"ready\"");
  const auto protocol = reply.find("protocol");
  if (protocol == reply.end() || !protocol->is_number_integer() ||
      protocol->get<std::int64_t>() != kProtocolVersion) {
    const std::string theirs = protocol == reply.end() ? "none" : core::DumpJson(*protocol);
    core::Error error = core::Unavailable(
        "it is of another build (protocol " + theirs + "; this flowtest speaks " +
        std::to_string(kProtocolVersion) + "): install flowtest and flowtest-sandbox together");
    error.reason = core::kScriptHelperFailed;
    return error;
  }
  ReadyInfo info;
  if (const auto v = reply.find("mozjs"); v != reply.end() && v->is_string())
    info.mozjs = v->get<std::string>();
  if (const auto v = reply.find("faker"); v != reply.end() && v->is_string())
    info.faker = v->get<std::string>();
  if (const auto v = reply.find("start_us"); v != reply.end() && v->is_number_integer()) {
    info.start_us = v->get<std::int64_t>();
  }
  return info;
}

core::Result<void> ParseAck(std::string_view text) {
  core::Result<Value> parsed = ParseObject(text);
  if (!parsed) return BadReply("not a json object");
  const Value& reply = *parsed;
  const auto ok = reply.find("ok");
  if (ok == reply.end() || !ok->is_boolean()) return BadReply("no \"ok\"");
  if (ok->get<bool>()) return core::Ok();
  std::string message = "no message";
  if (const auto error = reply.find("error"); error != reply.end() && error->is_object()) {
    if (const auto m = error->find("message"); m != error->end() && m->is_string())
      message = m->get<std::string>();
  }
  core::Error error = core::Unavailable("the javascript sandbox helper refused: " + message);
  error.reason = core::kScriptHelperFailed;
  return error;
}

std::optional<core::SourceSpan> MapPosition(const core::ScriptCall& call, int line, int column) {
  if (call.line <= 0 || line <= 0) return std::nullopt;
  core::SourceSpan where{.file = call.file, .line = call.line + line - 1};
  if (column > 0) {
    if (line == 1 && call.column > 0) {
      where.column = call.column + column - 1;
    } else if (line > 1 && call.continuation_column > 0) {
      where.column = call.continuation_column + column - 1;  // a YAML block scalar's indentation
    } else {
      where.column = column;
    }
  }
  return where;
}

std::string FormatConsoleHint(const std::vector<core::ScriptLogLine>& console) {
  if (console.empty()) return {};
  std::string out = "console output before the failure:";
  std::size_t shown = 0;
  for (const core::ScriptLogLine& line : console) {
    const std::size_t size = line.level.size() + line.message.size() + 3;
    if (out.size() + size > kMaxConsoleHintBytes) break;
    out += "\n  " + line.level + ": " + line.message;
    ++shown;
  }
  if (shown < console.size()) {
    if (shown == 0) {
      // One line longer than the cap: show its start rather than nothing.
      const core::ScriptLogLine& first = console.front();
      out += "\n  " + first.level + ": " + first.message.substr(0, kMaxConsoleHintBytes / 2) + "…";
      ++shown;
    }
    if (shown < console.size()) {
      out += "\n  … (" + std::to_string(console.size() - shown) + " more lines)";
    }
  }
  return out;
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* abbrev = ::sigabbrev_np(sig);
    std::string name = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
    if (sig == SIGSYS) name += " (stopped by the sandbox's system-call filter)";
    return "was killed by " + name;
  }
  return "ended with status " + std::to_string(status);
}

}  // namespace flow::adapters::sandbox
