#include "core/run/runner.hpp"

#include <algorithm>
#include <cstdlib>

#include "core/assert/assertion_plan.hpp"
#include "core/capture/capture_plan.hpp"
#include "core/jmespath/jmespath.hpp"
#include "core/run/planner.hpp"
#include "core/util/strings.hpp"

namespace flow::core {

// Everything that changes while a run advances. Its JSON form (SaveState) is the checkpoint.
struct Runner::State {
  bool run_started = false;
  bool run_finished = false;
  std::size_t suite_index = 0;  // the suite being run, or the next one to start
  Value exports = Value::object();
  RunOutcome run;

  // The current suite, when one is started and not yet finished.
  bool in_suite = false;
  std::size_t next_step = 0;
  Value runtime = Value::object();
  Value suite_vars = Value::object();
  std::string base_url;
  std::string stopped_by;  // name of the step whose failure stopped the suite
  SuiteOutcome suite;
  std::int64_t suite_started_us = 0;
  std::int64_t run_started_us = 0;
  double suite_elapsed_ms = 0;  // time spent in this suite before a restore
  double run_elapsed_ms = 0;
};

namespace {

constexpr int kStateVersion = 1;

Value ErrorToJson(const Error& e) {
  Value out = {{"code", ErrorCodeName(e.code)}, {"message", e.message}};
  if (!e.hint.empty()) out["hint"] = e.hint;
  if (!e.reason.empty()) out["reason"] = e.reason;
  if (e.where) out["where"] = {{"file", e.where->file}, {"line", e.where->line}, {"column", e.where->column}};
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
  if (v.contains("where")) {
    const Value& w = v["where"];
    e.where = SourceSpan{.file = w.value("file", ""), .line = w.value("line", 0),
                         .column = w.value("column", 0)};
  }
  return e;
}

Value SuiteOutcomeToState(const SuiteOutcome& s) {
  Value out = {
      {"started_at_ms", s.started_at_ms},   {"steps_reported", s.steps_reported},
      {"steps_successful", s.steps_successful}, {"steps_failed", s.steps_failed},
      {"steps_errored", s.steps_errored},   {"steps_skipped", s.steps_skipped},
      {"warnings", s.warnings},
  };
  if (s.error) out["error"] = ErrorToJson(*s.error);
  return out;
}

void SuiteOutcomeFromState(const Value& v, SuiteOutcome& s) {
  s.started_at_ms = v.value("started_at_ms", std::int64_t{0});
  s.steps_reported = v.value("steps_reported", std::size_t{0});
  s.steps_successful = v.value("steps_successful", std::size_t{0});
  s.steps_failed = v.value("steps_failed", std::size_t{0});
  s.steps_errored = v.value("steps_errored", std::size_t{0});
  s.steps_skipped = v.value("steps_skipped", std::size_t{0});
  s.warnings = v.value("warnings", std::vector<std::string>{});
  if (v.contains("error")) s.error = ErrorFromJson(v["error"]);
}

// A suite-file error at the JSON pointer `base` + error.pointer.
Error Locate(Error e, const Suite& suite, const std::string& base) {
  if (!e.where || !e.where->IsKnown()) {
    e.where = suite.document.WhereValue(base + e.pointer);
  }
  return e;
}

// "'scenarios' is not supported yet" for a key; descriptions ("direct '#faker.' syntax") are not
// quoted again.
std::string UnsupportedMessage(const std::string& feature) {
  if (feature.find(' ') != std::string::npos) return feature + " is not supported yet";
  return "'" + feature + "' is not supported yet";
}

}  // namespace

Runner::Runner(RunnerPorts ports, std::vector<const Suite*> suites, RunOptions options,
               std::size_t suites_discovered)
    : ports_(ports), suites_(std::move(suites)), options_(std::move(options)),
      state_(std::make_unique<State>()) {
  FLOW_CHECK(ports_.http && ports_.clock && ports_.entropy && ports_.environment && ports_.sink);
  state_->run.suites_discovered = suites_discovered;
}

Runner::~Runner() = default;

bool Runner::Done() const { return state_->run_finished; }

const RunOutcome& Runner::outcome() const { return state_->run; }
const Value& Runner::exports() const { return state_->exports; }

void Runner::RunToEnd() {
  while (!Done()) Advance();
}

void Runner::Advance() {
  State& s = *state_;
  if (s.run_finished) return;
  if (!s.run_started) {
    StartRun();
    return;
  }
  if (!s.in_suite) {
    if (s.suite_index >= suites_.size()) {
      FinishRun();
    } else {
      StartSuite();
    }
    return;
  }
  const Suite& suite = *suites_[s.suite_index];
  if (s.next_step < suite.steps.size() && !s.suite.error) {
    RunNextStep();
  } else {
    FinishSuite();
  }
}

void Runner::StartRun() {
  State& s = *state_;
  s.run_started = true;
  s.run.started_at_ms = ports_.clock->NowUnixMs();
  s.run_started_us = ports_.clock->MonotonicUs();
  ports_.sink->OnRunStarted(s.run.started_at_ms, suites_.size());
}

InterpolationContext Runner::Context() const {
  InterpolationContext ctx;
  ctx.scopes.runtime = &state_->runtime;
  ctx.scopes.suite = &state_->suite_vars;
  ctx.scopes.global = &options_.globals;
  ctx.scopes.exports = &state_->exports;
  ctx.environment = ports_.environment;
  ctx.clock = ports_.clock;
  ctx.entropy = ports_.entropy;
  ctx.unresolved = options_.unresolved;
  return ctx;
}

void Runner::StartSuite() {
  State& s = *state_;
  const Suite& suite = *suites_[s.suite_index];
  s.in_suite = true;
  s.next_step = 0;
  s.runtime = Value::object();
  s.suite_vars = Value::object();
  s.stopped_by.clear();
  s.suite = SuiteOutcome{};
  s.suite.started_at_ms = ports_.clock->NowUnixMs();
  s.suite_started_us = ports_.clock->MonotonicUs();
  s.suite_elapsed_ms = 0;
  ports_.sink->OnSuiteStarted(suite.node_id, suite.suite_name);

  if (!suite.unsupported.empty()) {
    Error e = InvalidArgument(UnsupportedMessage(suite.unsupported.front()));
    e.reason = "not-supported";
    e.where = suite.unsupported_where.front();
    s.suite.error = std::move(e);
    return;
  }
  // Variables are interpolated once, in the order written: each may use the globals and the
  // variables above it (the original engine sees only the globals).
  std::vector<std::string> warnings;
  for (const auto& [name, compiled] : suite.variable_templates) {
    InterpolationContext ctx = Context();
    ctx.warnings = &warnings;
    Result<Value> value = compiled->Render(ctx);
    if (!value) {
      s.suite.error = Locate(std::move(value).error(), suite, JoinPointer("/variables", name));
      return;
    }
    s.suite_vars[name] = std::move(*value);
  }
  s.base_url = options_.http.base_url;
  if (suite.base_url) {
    InterpolationContext ctx = Context();
    ctx.warnings = &warnings;
    Result<Value> base = suite.base_url->Render(ctx);
    if (!base) {
      s.suite.error = Locate(std::move(base).error(), suite, "/base_url");
      return;
    }
    s.base_url = std::string(Trim(ToText(*base)));
  }
  for (std::string& w : warnings) s.suite.warnings.push_back(std::move(w));
}

bool Runner::StepSelected(const Suite& suite, const StepSpec& step) const {
  if (options_.step_filter.empty()) return true;
  return std::any_of(options_.step_filter.begin(), options_.step_filter.end(),
                     [&](const std::string& wanted) { return StepMatchesFilter(suite, step, wanted); });
}

void Runner::RunNextStep() {
  State& s = *state_;
  const Suite& suite = *suites_[s.suite_index];
  const StepSpec& step = suite.steps[s.next_step];
  ports_.sink->OnStepStarted(suite.node_id, step.index, step.name);

  StepOutcome outcome;
  if (!s.stopped_by.empty() || !StepSelected(suite, step)) {
    outcome.node_id = suite.node_id;
    outcome.step_index = step.index;
    outcome.step_id = step.id;
    outcome.qualified_step_id = step.qualified_id;
    outcome.step_name = step.name;
    outcome.status = StepStatus::kSkipped;
    outcome.skip_reason = s.stopped_by.empty()
                              ? "not selected by --step"
                              : "not run: step '" + s.stopped_by + "' failed";
    outcome.started_at_ms = outcome.completed_at_ms = ports_.clock->NowUnixMs();
  } else {
    outcome = ExecuteStep(suite, step);
  }

  ++s.suite.steps_reported;
  switch (outcome.status) {
    case StepStatus::kSuccess: ++s.suite.steps_successful; break;
    case StepStatus::kFailure: ++s.suite.steps_failed; break;
    case StepStatus::kError: ++s.suite.steps_errored; break;
    case StepStatus::kSkipped: ++s.suite.steps_skipped; break;
  }
  const bool failed = outcome.status == StepStatus::kFailure || outcome.status == StepStatus::kError;
  const bool keep_going = step.continue_on_failure.value_or(options_.continue_on_failure);
  if (failed && !keep_going && s.stopped_by.empty()) s.stopped_by = step.name;
  ++s.next_step;
  ports_.sink->OnStepFinished(outcome);
}

StepOutcome Runner::ExecuteStep(const Suite& suite, const StepSpec& step) {
  State& s = *state_;
  StepOutcome out;
  out.node_id = suite.node_id;
  out.step_index = step.index;
  out.step_id = step.id;
  out.qualified_step_id = step.qualified_id;
  out.step_name = step.name;
  out.started_at_ms = ports_.clock->NowUnixMs();
  std::int64_t started_us = ports_.clock->MonotonicUs();
  const auto finish = [&](StepOutcome& o) {
    o.completed_at_ms = ports_.clock->NowUnixMs();
    o.duration_ms = static_cast<double>(ports_.clock->MonotonicUs() - started_us) / 1000.0;
  };
  const auto fail = [&](Error e) {
    out.status = StepStatus::kError;
    out.error = std::move(e);
    finish(out);
    return out;
  };

  if (!step.unsupported.empty()) {
    Error e = InvalidArgument(UnsupportedMessage(step.unsupported.front()));
    e.reason = "not-supported";
    e.where = step.unsupported_where.front();
    return fail(std::move(e));
  }
  if (step.skip && !step.skip->post_capture) {
    Result<bool> skip = EvaluateSkip(suite, *step.skip, nullptr);
    if (!skip) return fail(std::move(skip).error());
    if (*skip) {
      out.status = StepStatus::kSkipped;
      out.skip_reason = "skip condition is true: " +
                        (step.skip->text.empty() ? std::string("true") : step.skip->text);
      finish(out);
      return out;
    }
  }
  if (!step.delay.is_null()) {
    Result<std::int64_t> delay = DelayMs(suite, step);
    if (!delay) return fail(std::move(delay).error());
    ports_.clock->SleepMs(*delay);
    out.delay_ms = *delay;
    out.started_at_ms = ports_.clock->NowUnixMs();
    started_us = ports_.clock->MonotonicUs();
  }
  if (!step.has_request || !step.request) {
    Error e = InvalidArgument("step '" + step.name + "' has no request");
    e.where = step.where;
    return fail(std::move(e));
  }

  std::vector<std::string> warnings;
  InterpolationContext ctx = Context();
  ctx.warnings = &warnings;
  const std::string request_pointer = step.pointer + "/request";
  Result<Value> rendered = step.request->Render(ctx);
  if (!rendered) return fail(Locate(std::move(rendered).error(), suite, request_pointer));

  RequestDefaults defaults = options_.http;
  defaults.base_url = s.base_url;
  if (suite.certificate) {
    // Rendered per step, not kept in the run state: it may use variables captured on the way.
    Result<Value> certificate = suite.certificate->Render(ctx);
    if (!certificate) return fail(Locate(std::move(certificate).error(), suite, "/certificate"));
    defaults.certificate = std::move(*certificate);
  }
  if (step.timeout_ms) defaults.timeout = std::chrono::milliseconds(*step.timeout_ms);
  Result<HttpRequest> request = BuildHttpRequest(*rendered, defaults);
  if (!request) return fail(Locate(std::move(request).error(), suite, request_pointer));
  out.request = DescribeRequest(*request, *rendered, s.base_url, step.raw_url);

  Result<HttpResponse> response = ports_.http->Send(*request);
  if (!response) {
    Error e = std::move(response).error();
    if (!request->connect_to.empty() && e.hint.empty()) {
      // The host in the message is the URL's; say where the connection really went.
      e.hint = "--connect-to in effect: " + request->connect_to.front();
    }
    e.where = suite.document.WhereValue(request_pointer + "/url");
    out.warnings = std::move(warnings);
    return fail(std::move(e));
  }
  const Value headers = HeadersToValue(response->headers);
  const Value body = ParseResponseBody(*response, request->method);
  out.response = DescribeResponse(*response, headers, body, out.started_at_ms);

  if (step.assertions) {
    Result<Value> block = step.assert_block ? step.assert_block->Render(ctx) : Result<Value>(Value::object());
    if (!block) {
      out.warnings = std::move(warnings);
      return fail(Locate(std::move(block).error(), suite, step.pointer + "/assert"));
    }
    const ResponseView view{.status_code = response->status_code,
                            .headers = &headers,
                            .body = &body,
                            .response_time_ms = response->timings.total_ms,
                            .size_bytes = response->size_bytes};
    out.assertions = step.assertions->Evaluate(*block, view);
    const std::string assert_pointer = step.pointer + "/assert";
    for (AssertionOutcome& a : out.assertions) {
      a.where = suite.document.WhereValue(assert_pointer + a.pointer);
    }
  }

  if (step.captures) {
    const Value context = {{"status_code", response->status_code},
                           {"headers", headers},
                           {"body", body},
                           {"duration_ms", response->timings.total_ms},
                           {"size_bytes", response->size_bytes}};
    const auto render = [&](const std::string& text) -> Result<Value> {
      Result<Template> t = Template::Parse(text);
      if (!t) return std::move(t).error();
      InterpolationContext c = Context();
      c.warnings = &warnings;
      return t->Render(c);
    };
    for (CaptureOutcome& c : step.captures->Evaluate(context, render)) {
      if (!c.warning.empty()) warnings.push_back(c.warning);
      if (!c.stored) continue;
      s.runtime[c.name] = c.value;
      out.captured[c.name] = std::move(c.value);
    }
  }

  out.warnings = std::move(warnings);
  out.status = out.FailedAssertions() > 0 ? StepStatus::kFailure : StepStatus::kSuccess;
  if (step.skip && step.skip->post_capture) {
    const Value response_view = {{"status_code", response->status_code},
                                 {"status", response->status_code},
                                 {"headers", headers},
                                 {"body", body}};
    Result<bool> skip = EvaluateSkip(suite, *step.skip, &response_view);
    if (!skip) return fail(std::move(skip).error());
    if (*skip) {
      out.status = StepStatus::kSkipped;
      out.skip_reason = "post_capture skip condition is true: " + step.skip->text;
    }
  }
  finish(out);
  return out;
}

Result<bool> Runner::EvaluateSkip(const Suite& suite, const SkipSpec& skip,
                                  const Value* response) const {
  if (skip.constant) return *skip.constant;
  Result<Value> rendered = skip.condition->Render(Context());
  if (!rendered) return Locate(std::move(rendered).error(), suite, skip.pointer);
  if (rendered->is_boolean()) return rendered->get<bool>();
  const std::string text(Trim(ToText(*rendered)));
  if (text == "true" || text == "false") return text == "true";
  Result<jmespath::Expression> expression =
      jmespath::Expression::Compile(SkipConditionToJmesPath(text));
  if (!expression) {
    Error e = std::move(expression).error();
    e.message = "invalid skip condition '" + text + "': " + e.message;
    e.where = suite.document.WhereValue(skip.pointer);
    return e;
  }
  // The variables a condition sees, highest precedence last: globals, suite, runtime, and for a
  // post_capture condition the response.
  Value data = options_.globals.is_object() ? options_.globals : Value::object();
  for (const Value* scope : std::initializer_list<const Value*>{&state_->suite_vars, &state_->runtime, response}) {
    if (scope == nullptr || !scope->is_object()) continue;
    for (auto it = scope->begin(); it != scope->end(); ++it) data[it.key()] = it.value();
  }
  for (auto it = state_->exports.begin(); it != state_->exports.end(); ++it) {
    if (!data.contains(it.key())) data[it.key()] = it.value();
  }
  Result<Value> result = expression->Search(data);
  if (!result) {
    Error e = std::move(result).error();
    e.message = "skip condition '" + text + "': " + e.message;
    e.where = suite.document.WhereValue(skip.pointer);
    return e;
  }
  const Value& v = *result;
  const bool truthy = !(v.is_null() || (v.is_boolean() && !v.get<bool>()) || IsEmptyValue(v));
  return truthy;
}

Result<std::int64_t> Runner::DelayMs(const Suite& suite, const StepSpec& step) {
  const std::string pointer = step.pointer + "/delay";
  constexpr std::int64_t kMaxDelayMs = 3'600'000;  // an hour: beyond is surely a mistake
  const auto checked = [&](double ms) -> Result<std::int64_t> {
    if (ms < 0 || ms > kMaxDelayMs) {
      Error e = InvalidArgument("delay of " + std::to_string(static_cast<long long>(ms)) +
                                " ms is outside 0..3600000");
      e.where = suite.document.WhereValue(pointer);
      return e;
    }
    return static_cast<std::int64_t>(ms);
  };
  if (step.delay.is_number()) return checked(step.delay.get<double>());
  if (step.delay.is_object()) {
    const auto low = static_cast<std::uint64_t>(step.delay["min"].get<double>());
    const auto high = static_cast<std::uint64_t>(step.delay["max"].get<double>());
    const std::uint64_t span = high - low + 1;
    return checked(static_cast<double>(low + (span == 0 ? 0 : ports_.entropy->Next() % span)));
  }
  Value rendered = step.delay;
  if (step.delay_template) {
    Result<Value> r = step.delay_template->Render(Context());
    if (!r) return Locate(std::move(r).error(), suite, pointer);
    rendered = std::move(*r);
  }
  if (rendered.is_number()) return checked(rendered.get<double>());
  const std::string text(Trim(ToText(rendered)));
  char* end = nullptr;
  const double ms = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0') {
    Error e = InvalidArgument("'delay' must be milliseconds, got '" + text + "'");
    e.where = suite.document.WhereValue(pointer);
    return e;
  }
  return checked(ms);
}

void Runner::FinishSuite() {
  State& s = *state_;
  const Suite& suite = *suites_[s.suite_index];
  SuiteOutcome& o = s.suite;
  o.node_id = suite.node_id;
  o.suite_name = suite.suite_name;
  o.file = suite.file;
  o.priority = suite.priority;

  Value published = Value::object();
  const auto lookup = [&](const std::string& name) -> const Value* {
    if (s.runtime.contains(name)) return &s.runtime[name];
    if (s.suite_vars.contains(name)) return &s.suite_vars[name];
    return nullptr;
  };
  for (const std::string& name : suite.exports) {
    if (const Value* v = lookup(name)) {
      published[name] = *v;
    } else {
      o.warnings.push_back("export '" + name + "' was never set in suite '" + suite.node_id + "'");
    }
  }
  for (const std::string& name : suite.exports_optional) {
    if (const Value* v = lookup(name)) published[name] = *v;
  }
  if (!published.empty()) {
    Value& registry = s.exports[suite.node_id];
    if (!registry.is_object()) registry = Value::object();
    for (auto it = published.begin(); it != published.end(); ++it) registry[it.key()] = it.value();
  }
  o.exported = std::move(published);
  Value vars = s.suite_vars;
  for (auto it = s.runtime.begin(); it != s.runtime.end(); ++it) vars[it.key()] = it.value();
  o.variables = std::move(vars);

  const bool any_failed = o.steps_failed > 0 || o.steps_errored > 0 || o.error.has_value();
  o.status = any_failed ? SuiteStatus::kFailure : SuiteStatus::kSuccess;
  o.completed_at_ms = ports_.clock->NowUnixMs();
  o.duration_ms = s.suite_elapsed_ms +
                  static_cast<double>(ports_.clock->MonotonicUs() - s.suite_started_us) / 1000.0;

  ++s.run.suites_run;
  if (o.status == SuiteStatus::kSuccess) {
    ++s.run.suites_successful;
  } else {
    ++s.run.suites_failed;
  }
  s.in_suite = false;
  ++s.suite_index;
  ports_.sink->OnSuiteFinished(o);
}

void Runner::FinishRun() {
  State& s = *state_;
  s.run_finished = true;
  s.run.completed_at_ms = ports_.clock->NowUnixMs();
  s.run.duration_ms = s.run_elapsed_ms +
                      static_cast<double>(ports_.clock->MonotonicUs() - s.run_started_us) / 1000.0;
  s.run.suites_skipped = s.run.suites_discovered > s.run.suites_run
                             ? s.run.suites_discovered - s.run.suites_run
                             : 0;
  ports_.sink->OnRunFinished(s.run);
}

Value Runner::SaveState() const {
  const State& s = *state_;
  Value suites = Value::array();
  for (const Suite* suite : suites_) suites.push_back(suite->node_id);
  const std::int64_t now_us = ports_.clock->MonotonicUs();
  Value out = {
      {"version", kStateVersion},
      {"suites", suites},
      {"run_started", s.run_started},
      {"run_finished", s.run_finished},
      {"suite_index", s.suite_index},
      {"exports", s.exports},
      {"run",
       {{"started_at_ms", s.run.started_at_ms},
        {"suites_run", s.run.suites_run},
        {"suites_successful", s.run.suites_successful},
        {"suites_failed", s.run.suites_failed},
        {"elapsed_ms", s.run_started ? s.run_elapsed_ms +
                                           static_cast<double>(now_us - s.run_started_us) / 1000.0
                                     : 0.0}}},
  };
  if (s.in_suite) {
    out["suite"] = {
        {"next_step", s.next_step},
        {"runtime", s.runtime},
        {"suite_vars", s.suite_vars},
        {"base_url", s.base_url},
        {"stopped_by", s.stopped_by},
        {"outcome", SuiteOutcomeToState(s.suite)},
        {"elapsed_ms", s.suite_elapsed_ms + static_cast<double>(now_us - s.suite_started_us) / 1000.0},
    };
  }
  return out;
}

Result<void> Runner::RestoreState(const Value& v) {
  if (!v.is_object() || v.value("version", 0) != kStateVersion) {
    return InvalidArgument("not a run state of this flowtest version");
  }
  const Value suites = v.value("suites", Value::array());
  if (suites.size() != suites_.size()) {
    return InvalidArgument("the saved run has " + std::to_string(suites.size()) +
                           " suites, this plan has " + std::to_string(suites_.size()));
  }
  for (std::size_t i = 0; i < suites_.size(); ++i) {
    if (!suites[i].is_string() || suites[i].get<std::string>() != suites_[i]->node_id) {
      return InvalidArgument("the saved run's suite " + std::to_string(i + 1) + " is '" +
                             ToText(suites[i]) + "', this plan has '" + suites_[i]->node_id + "'");
    }
  }
  auto restored = std::make_unique<State>();
  State& s = *restored;
  s.run.suites_discovered = state_->run.suites_discovered;
  s.run_started = v.value("run_started", false);
  s.run_finished = v.value("run_finished", false);
  s.suite_index = v.value("suite_index", std::size_t{0});
  s.exports = v.value("exports", Value::object());
  const Value run = v.value("run", Value::object());
  s.run.started_at_ms = run.value("started_at_ms", std::int64_t{0});
  s.run.suites_run = run.value("suites_run", std::size_t{0});
  s.run.suites_successful = run.value("suites_successful", std::size_t{0});
  s.run.suites_failed = run.value("suites_failed", std::size_t{0});
  s.run_elapsed_ms = run.value("elapsed_ms", 0.0);
  s.run_started_us = ports_.clock->MonotonicUs();
  if (s.suite_index > suites_.size()) return InvalidArgument("the saved run's cursor is past its end");
  if (v.contains("suite") && v["suite"].is_object()) {
    const Value& cur = v["suite"];
    if (s.suite_index >= suites_.size()) return InvalidArgument("the saved run's cursor is past its end");
    s.in_suite = true;
    s.next_step = cur.value("next_step", std::size_t{0});
    if (s.next_step > suites_[s.suite_index]->steps.size()) {
      return InvalidArgument("the saved run's step cursor is past the suite's end");
    }
    s.runtime = cur.value("runtime", Value::object());
    s.suite_vars = cur.value("suite_vars", Value::object());
    s.base_url = cur.value("base_url", "");
    s.stopped_by = cur.value("stopped_by", "");
    SuiteOutcomeFromState(cur.value("outcome", Value::object()), s.suite);
    s.suite_elapsed_ms = cur.value("elapsed_ms", 0.0);
    s.suite_started_us = ports_.clock->MonotonicUs();
  }
  state_ = std::move(restored);
  return Ok();
}

}  // namespace flow::core
