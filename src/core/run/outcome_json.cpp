#include "core/run/outcome_json.hpp"

#include <limits>
#include <type_traits>

namespace flow::core {
namespace {

Value SpanToJson(const SourceSpan& s) {
  Value out = ObjectWithRoom(3);
  AppendMember(out, "file", s.file);
  AppendMember(out, "line", s.line);
  AppendMember(out, "column", s.column);
  return out;
}

SourceSpan SpanFromJson(const Value& v) {
  if (!v.is_object()) return {};
  return SourceSpan{.file = v.value("file", ""), .line = v.value("line", 0),
                    .column = v.value("column", 0)};
}

std::optional<StepStatus> StepStatusFrom(std::string_view name) {
  for (StepStatus s : {StepStatus::kSuccess, StepStatus::kFailure, StepStatus::kError,
                       StepStatus::kSkipped}) {
    if (StepStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<SuiteStatus> SuiteStatusFrom(std::string_view name) {
  for (SuiteStatus s : {SuiteStatus::kSuccess, SuiteStatus::kFailure, SuiteStatus::kSkipped}) {
    if (SuiteStatusName(s) == name) return s;
  }
  return std::nullopt;
}

Value StringsToJson(const std::vector<std::string>& strings) {
  Value out = Value::array();
  for (const std::string& s : strings) out.push_back(s);
  return out;
}

std::vector<std::string> StringsFromJson(const Value& v) {
  std::vector<std::string> out;
  if (!v.is_array()) return out;
  for (const Value& s : v) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

// A duration as written: JSON has no infinity nor NaN, so a duration that was not finite was
// written null; it reads back NaN (written null again), not as an error that would lose the rest.
double DurationOf(const Value& v) {
  const auto it = v.find("duration_ms");
  if (it == v.end()) return 0;
  if (it->is_null()) return std::numeric_limits<double>::quiet_NaN();
  return it->get<double>();
}

Error Bad(std::string what) { return InvalidArgument("not a stored outcome: " + std::move(what)); }

}  // namespace

Value ErrorToJson(const Error& e) {
  Value out = {{"code", ErrorCodeName(e.code)}, {"message", e.message}};
  if (!e.hint.empty()) out["hint"] = e.hint;
  if (!e.reason.empty()) out["reason"] = e.reason;
  if (!e.pointer.empty()) out["pointer"] = e.pointer;
  if (e.where) out["where"] = SpanToJson(*e.where);
  return out;
}

std::optional<Error> ErrorFromJson(const Value& v) {
  if (!v.is_object()) return std::nullopt;
  Error e = InvalidArgument(v.value("message", ""), v.value("hint", ""));
  const std::string code = v.value("code", "invalid_argument");
  for (ErrorCode c : {ErrorCode::kInvalidArgument, ErrorCode::kUnauthenticated,
                      ErrorCode::kPermissionDenied, ErrorCode::kNotFound, ErrorCode::kConflict,
                      ErrorCode::kUnavailable, ErrorCode::kTimeout, ErrorCode::kInternal}) {
    if (ErrorCodeName(c) == code) e.code = c;
  }
  e.reason = v.value("reason", "");
  e.pointer = v.value("pointer", "");
  if (v.contains("where")) e.where = SpanFromJson(v["where"]);
  return e;
}

// Built member by member into room made for all (ObjectWithRoom): the history records every step
// this way, and the same object written as one initializer list cost five times as much.
Value StepOutcomeToJson(const StepOutcome& s) {
  Value assertions = Value::array();
  assertions.get_ref<Value::array_t&>().reserve(s.assertions.size());
  for (const AssertionOutcome& a : s.assertions) {
    Value item = ObjectWithRoom(7);
    AppendMember(item, "field", a.field);
    AppendMember(item, "expected", a.expected);
    AppendMember(item, "actual", a.actual);
    AppendMember(item, "passed", a.passed);
    AppendMember(item, "message", a.message);
    if (!a.pointer.empty()) AppendMember(item, "pointer", a.pointer);
    if (a.where) AppendMember(item, "where", SpanToJson(*a.where));
    assertions.push_back(std::move(item));
  }
  Value attempts = Value::array();
  for (const AttemptOutcome& a : s.attempts) {
    Value item = ObjectWithRoom(6);
    AppendMember(item, "number", a.number);
    AppendMember(item, "status", StepStatusName(a.status));
    AppendMember(item, "duration_ms", a.duration_ms);
    AppendMember(item, "waited_ms", a.waited_ms);
    AppendMember(item, "reason", a.reason);
    if (a.status_code) AppendMember(item, "status_code", *a.status_code);
    attempts.push_back(std::move(item));
  }
  Value logs = Value::array();
  for (const LogEntry& l : s.logs) {
    Value item = ObjectWithRoom(3);
    AppendMember(item, "level", l.level);
    AppendMember(item, "message", l.message);
    AppendMember(item, "data", l.data);
    logs.push_back(std::move(item));
  }
  Value out = ObjectWithRoom(27);
  AppendMember(out, "node_id", s.node_id);
  AppendMember(out, "step_index", s.step_index);
  AppendMember(out, "step_id", s.step_id);
  AppendMember(out, "qualified_step_id", s.qualified_step_id);
  AppendMember(out, "step_name", s.step_name);
  AppendMember(out, "where", SpanToJson(s.where));
  AppendMember(out, "status", StepStatusName(s.status));
  AppendMember(out, "skip_reason", s.skip_reason);
  AppendMember(out, "duration_ms", s.duration_ms);
  AppendMember(out, "delay_ms", s.delay_ms);
  AppendMember(out, "started_at_ms", s.started_at_ms);
  AppendMember(out, "completed_at_ms", s.completed_at_ms);
  AppendMember(out, "assertions", std::move(assertions));
  AppendMember(out, "captured", s.captured);
  AppendMember(out, "warnings", StringsToJson(s.warnings));
  AppendMember(out, "parent_qualified_id", s.parent_qualified_id);
  AppendMember(out, "parent_step_name", s.parent_step_name);
  AppendMember(out, "run_node_id", s.run_node_id);
  AppendMember(out, "depth", s.depth);
  AppendMember(out, "kind", s.kind);
  AppendMember(out, "attempts", std::move(attempts));
  AppendMember(out, "logs", std::move(logs));
  AppendMember(out, "details", s.details);
  if (s.error) AppendMember(out, "error", ErrorToJson(*s.error));
  if (s.request) AppendMember(out, "request", *s.request);
  if (s.response) AppendMember(out, "response", *s.response);
  if (s.iteration) AppendMember(out, "iteration", *s.iteration);
  return out;
}

namespace {

// An object written as text member by member, as DumpJson writes the Value StepOutcomeToJson
// makes: each member is given the C++ value StepOutcomeToJson converts (a bool stays a bool, a
// double a double, a size_t an unsigned number).
class ObjectText {
 public:
  explicit ObjectText(std::string& out) : out_(out) { out_ += '{'; }
  void Close() { out_ += '}'; }

  // `key` is plain ASCII (a literal): written as is.
  ObjectText& Key(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;
    out_ += "\":";
    return *this;
  }
  void Put(std::string_view text) { AppendJsonString(out_, text); }
  void Put(const std::string& text) { AppendJsonString(out_, text); }
  void Put(const char* text) { AppendJsonString(out_, text); }
  void Put(bool b) { out_ += b ? "true" : "false"; }
  void Put(double x) { AppendJsonNumber(out_, x); }
  void Put(const Value& v) { AppendJson(out_, v); }
  template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
  void Put(T n) {
    if constexpr (std::is_signed_v<T>) {
      AppendJsonNumber(out_, static_cast<std::int64_t>(n));
    } else {
      AppendJsonNumber(out_, static_cast<std::uint64_t>(n));
    }
  }
  template <typename T>
  ObjectText& Member(std::string_view key, const T& value) {
    Key(key);
    Put(value);
    return *this;
  }
  std::string& out() { return out_; }

 private:
  std::string& out_;
  bool first_ = true;
};

// `items` as a JSON array, each written by `write(out, item)`.
template <typename T, typename Write>
void ArrayText(std::string& out, const std::vector<T>& items, Write write) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    write(out, items[i]);
  }
  out += ']';
}

void SpanText(std::string& out, const SourceSpan& s) {
  ObjectText o(out);
  o.Member("file", s.file).Member("line", s.line).Member("column", s.column);
  o.Close();
}

void ErrorText(std::string& out, const Error& e) {
  ObjectText o(out);
  o.Member("code", ErrorCodeName(e.code)).Member("message", e.message);
  if (!e.hint.empty()) o.Member("hint", e.hint);
  if (!e.reason.empty()) o.Member("reason", e.reason);
  if (!e.pointer.empty()) o.Member("pointer", e.pointer);
  if (e.where) SpanText(o.Key("where").out(), *e.where);
  o.Close();
}

void AssertionText(std::string& out, const AssertionOutcome& a) {
  ObjectText o(out);
  o.Member("field", a.field).Member("expected", a.expected).Member("actual", a.actual);
  o.Member("passed", a.passed).Member("message", a.message);
  if (!a.pointer.empty()) o.Member("pointer", a.pointer);
  if (a.where) SpanText(o.Key("where").out(), *a.where);
  o.Close();
}

void AttemptText(std::string& out, const AttemptOutcome& a) {
  ObjectText o(out);
  o.Member("number", a.number).Member("status", StepStatusName(a.status));
  o.Member("duration_ms", a.duration_ms).Member("waited_ms", a.waited_ms);
  o.Member("reason", a.reason);
  if (a.status_code) o.Member("status_code", *a.status_code);
  o.Close();
}

void LogText(std::string& out, const LogEntry& l) {
  ObjectText o(out);
  o.Member("level", l.level).Member("message", l.message).Member("data", l.data);
  o.Close();
}

}  // namespace

// The same members, in the same order, as StepOutcomeToJson: a change to one is a change to both
// (outcome_json_test compares them).
StepOutcomeColumns StepOutcomeColumnsJson(const StepOutcome& s) {
  StepOutcomeColumns out;
  ArrayText(out.assertions, s.assertions, AssertionText);
  out.captured = s.captured.is_object() ? DumpJson(s.captured) : "{}";
  if (s.error) ErrorText(out.error, *s.error);

  std::string& text = out.rest;
  text.reserve(512);
  ObjectText o(text);
  o.Member("node_id", s.node_id).Member("step_index", s.step_index).Member("step_id", s.step_id);
  o.Member("qualified_step_id", s.qualified_step_id).Member("step_name", s.step_name);
  SpanText(o.Key("where").out(), s.where);
  o.Member("status", StepStatusName(s.status)).Member("skip_reason", s.skip_reason);
  o.Member("duration_ms", s.duration_ms).Member("delay_ms", s.delay_ms);
  o.Member("started_at_ms", s.started_at_ms).Member("completed_at_ms", s.completed_at_ms);
  // (assertions, captured: their columns)
  ArrayText(o.Key("warnings").out(), s.warnings,
            [](std::string& to, const std::string& w) { AppendJsonString(to, w); });
  o.Member("parent_qualified_id", s.parent_qualified_id);
  o.Member("parent_step_name", s.parent_step_name).Member("run_node_id", s.run_node_id);
  o.Member("depth", s.depth).Member("kind", s.kind);
  ArrayText(o.Key("attempts").out(), s.attempts, AttemptText);
  ArrayText(o.Key("logs").out(), s.logs, LogText);
  o.Member("details", s.details);
  // (error: its column)
  if (s.request) o.Member("request", *s.request);
  if (s.response) o.Member("response", *s.response);
  if (s.iteration) o.Member("iteration", *s.iteration);
  o.Close();
  return out;
}

Result<StepOutcome> StepOutcomeFromJson(const Value& v) {
  if (!v.is_object()) return Bad("a step must be an object");
  StepOutcome s;
  try {
    const std::optional<StepStatus> status = StepStatusFrom(v.value("status", ""));
    if (!status) return Bad("unknown step status '" + v.value("status", "") + "'");
    s.status = *status;
    s.node_id = v.value("node_id", "");
    s.step_index = v.value("step_index", std::size_t{0});
    s.step_id = v.value("step_id", "");
    s.qualified_step_id = v.value("qualified_step_id", "");
    s.step_name = v.value("step_name", "");
    s.where = SpanFromJson(v.value("where", Value()));
    if (v.contains("error")) s.error = ErrorFromJson(v["error"]);
    s.skip_reason = v.value("skip_reason", "");
    s.duration_ms = DurationOf(v);
    s.delay_ms = v.value("delay_ms", std::int64_t{0});
    s.started_at_ms = v.value("started_at_ms", std::int64_t{0});
    s.completed_at_ms = v.value("completed_at_ms", std::int64_t{0});
    if (v.contains("request")) s.request = v["request"];
    if (v.contains("response")) s.response = v["response"];
    for (const Value& a : v.value("assertions", Value::array())) {
      AssertionOutcome o{.field = a.value("field", ""), .expected = a.value("expected", Value()),
                         .actual = a.value("actual", Value()), .passed = a.value("passed", false),
                         .message = a.value("message", ""), .pointer = a.value("pointer", "")};
      if (a.contains("where")) o.where = SpanFromJson(a["where"]);
      s.assertions.push_back(std::move(o));
    }
    s.captured = v.value("captured", Value::object());
    s.warnings = StringsFromJson(v.value("warnings", Value()));
    s.parent_qualified_id = v.value("parent_qualified_id", "");
    s.parent_step_name = v.value("parent_step_name", "");
    s.run_node_id = v.value("run_node_id", "");
    s.depth = v.value("depth", std::size_t{0});
    if (v.contains("iteration") && v["iteration"].is_number_unsigned()) {
      s.iteration = v["iteration"].get<std::size_t>();
    }
    s.kind = v.value("kind", "request");
    for (const Value& a : v.value("attempts", Value::array())) {
      AttemptOutcome o{.number = a.value("number", std::size_t{1}),
                       .duration_ms = DurationOf(a),
                       .waited_ms = a.value("waited_ms", std::int64_t{0}),
                       .reason = a.value("reason", "")};
      o.status = StepStatusFrom(a.value("status", "")).value_or(StepStatus::kFailure);
      if (a.contains("status_code") && a["status_code"].is_number_integer()) {
        o.status_code = a["status_code"].get<int>();
      }
      s.attempts.push_back(std::move(o));
    }
    for (const Value& l : v.value("logs", Value::array())) {
      s.logs.push_back(LogEntry{.level = l.value("level", ""), .message = l.value("message", ""),
                                .data = l.value("data", Value())});
    }
    s.details = v.value("details", Value::object());
  } catch (const std::exception& e) {
    return Bad(e.what());  // a field of the wrong type
  }
  return s;
}

Value SuiteOutcomeToJson(const SuiteOutcome& s) {
  Value out = {{"node_id", s.node_id},
               {"suite_name", s.suite_name},
               {"file", s.file},
               {"priority", s.priority},
               {"status", SuiteStatusName(s.status)},
               {"started_at_ms", s.started_at_ms},
               {"completed_at_ms", s.completed_at_ms},
               {"duration_ms", s.duration_ms},
               {"steps_reported", s.steps_reported},
               {"steps_successful", s.steps_successful},
               {"steps_failed", s.steps_failed},
               {"steps_errored", s.steps_errored},
               {"steps_skipped", s.steps_skipped},
               {"skip_reason", s.skip_reason},
               {"exported", s.exported},
               {"variables", s.variables},
               {"warnings", StringsToJson(s.warnings)}};
  if (s.error) out["error"] = ErrorToJson(*s.error);
  return out;
}

Result<SuiteOutcome> SuiteOutcomeFromJson(const Value& v) {
  if (!v.is_object()) return Bad("a suite must be an object");
  SuiteOutcome s;
  try {
    const std::optional<SuiteStatus> status = SuiteStatusFrom(v.value("status", ""));
    if (!status) return Bad("unknown suite status '" + v.value("status", "") + "'");
    s.status = *status;
    s.node_id = v.value("node_id", "");
    s.suite_name = v.value("suite_name", "");
    s.file = v.value("file", "");
    s.priority = v.value("priority", "");
    s.started_at_ms = v.value("started_at_ms", std::int64_t{0});
    s.completed_at_ms = v.value("completed_at_ms", std::int64_t{0});
    s.duration_ms = DurationOf(v);
    s.steps_reported = v.value("steps_reported", std::size_t{0});
    s.steps_successful = v.value("steps_successful", std::size_t{0});
    s.steps_failed = v.value("steps_failed", std::size_t{0});
    s.steps_errored = v.value("steps_errored", std::size_t{0});
    s.steps_skipped = v.value("steps_skipped", std::size_t{0});
    if (v.contains("error")) s.error = ErrorFromJson(v["error"]);
    s.skip_reason = v.value("skip_reason", "");
    s.exported = v.value("exported", Value::object());
    s.variables = v.value("variables", Value::object());
    s.warnings = StringsFromJson(v.value("warnings", Value()));
  } catch (const std::exception& e) {
    return Bad(e.what());
  }
  return s;
}

Value RunOutcomeToJson(const RunOutcome& r) {
  return {{"started_at_ms", r.started_at_ms},   {"completed_at_ms", r.completed_at_ms},
          {"duration_ms", r.duration_ms},       {"suites_discovered", r.suites_discovered},
          {"suites_run", r.suites_run},         {"suites_successful", r.suites_successful},
          {"suites_failed", r.suites_failed},   {"suites_skipped", r.suites_skipped}};
}

Result<RunOutcome> RunOutcomeFromJson(const Value& v) {
  if (!v.is_object()) return Bad("a run must be an object");
  RunOutcome r;
  try {
    r.started_at_ms = v.value("started_at_ms", std::int64_t{0});
    r.completed_at_ms = v.value("completed_at_ms", std::int64_t{0});
    r.duration_ms = DurationOf(v);
    r.suites_discovered = v.value("suites_discovered", std::size_t{0});
    r.suites_run = v.value("suites_run", std::size_t{0});
    r.suites_successful = v.value("suites_successful", std::size_t{0});
    r.suites_failed = v.value("suites_failed", std::size_t{0});
    r.suites_skipped = v.value("suites_skipped", std::size_t{0});
  } catch (const std::exception& e) {
    return Bad(e.what());
  }
  return r;
}

}  // namespace flow::core
