#include "core/run/runner.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "core/assert/assertion_plan.hpp"
#include "core/capture/capture_plan.hpp"
#include "core/jmespath/jmespath.hpp"
#include "core/run/outcome_json.hpp"
#include "core/script/lazy_session.hpp"
#include "core/cookies/cookie_exchange.hpp"
#include "core/cookies/cookie_jar.hpp"
#include "core/hooks/hook_point.hpp"
#include "core/hooks/hook_runner.hpp"
#include "core/input/input_policy.hpp"
#include "core/input/run_inputs.hpp"
#include "core/model/condition.hpp"
#include "core/run/planner.hpp"
#include "core/util/path.hpp"
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
  CookieJar cookies;       // the current suite's
  std::unique_ptr<LazyScriptSession> script;  // the current suite's JavaScript session
  std::vector<std::optional<SuiteStatus>> statuses;  // of every suite so far (required deps)
  std::string stop_run;    // set when a required suite failed: the rest are skipped
  SuiteOutcome suite;
  std::int64_t suite_started_us = 0;
  std::int64_t run_started_us = 0;
  double suite_elapsed_ms = 0;  // time spent in this suite before a restore
  double run_elapsed_ms = 0;
};

namespace {

constexpr int kStateVersion = 1;


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

Value StatusesToState(const std::vector<std::optional<SuiteStatus>>& statuses) {
  Value out = Value::array();
  for (const auto& status : statuses) {
    out.push_back(status ? Value(std::string(SuiteStatusName(*status))) : Value());
  }
  return out;
}

std::vector<std::optional<SuiteStatus>> StatusesFromState(const Value& v, std::size_t size) {
  std::vector<std::optional<SuiteStatus>> out(size);
  if (!v.is_array()) return out;
  for (std::size_t i = 0; i < size && i < v.size(); ++i) {
    for (SuiteStatus st : {SuiteStatus::kSuccess, SuiteStatus::kFailure, SuiteStatus::kSkipped}) {
      if (v[i].is_string() && v[i].get<std::string>() == SuiteStatusName(st)) out[i] = st;
    }
  }
  return out;
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


// Where the variables of the step being run live: the suite's own, or a called suite's.
struct Runner::Frame {
  const Suite* suite = nullptr;
  Value* runtime = nullptr;
  Value* suite_vars = nullptr;
  std::string* base_url = nullptr;
  std::size_t depth = 0;
  std::string parent_id;                 // qualified id of the step running this one
  std::string parent_name;               // and its name
  std::vector<std::string> call_stack;   // "file::step" of the calls in progress
  std::optional<std::int64_t> timeout_ms;  // a call's `timeout` for the steps it runs
  LazyScriptSession* script = nullptr;     // this suite execution's JavaScript global
};

// What one try of a step left behind, for retry decisions and conditions.
struct Runner::Attempt {
  bool network_error = false;
  Value response_view;  // {status_code, status, headers, body, duration_ms, size_bytes}; null if none
};

namespace {

constexpr std::size_t kMaxCallDepth = 10;
constexpr std::int64_t kMaxIterations = 10'000'000;

bool Failed(StepStatus s) { return s == StepStatus::kFailure || s == StepStatus::kError; }

void MergeInto(Value& target, const Value& source) {
  if (!source.is_object()) return;
  for (auto it = source.begin(); it != source.end(); ++it) target[it.key()] = it.value();
}

// Masks every event with the run's secrets before it reaches the real sink. A step's credential
// headers and the captures under secret-looking names are added to the secrets first, so the
// step that brings a secret already has it masked.
class MaskingSink final : public EventSink {
 public:
  MaskingSink(EventSink& next, SecretRegistry& secrets) : next_(next), secrets_(secrets) {}

  void OnRunStarted(std::int64_t at, std::size_t count) override { next_.OnRunStarted(at, count); }
  void OnSuiteStarted(const std::string& node_id, const std::string& name) override {
    const auto set = secrets_.Snapshot();
    next_.OnSuiteStarted(node_id, set->Masked(name));
  }
  void OnStepStarted(const std::string& node_id, std::size_t index,
                     const std::string& name) override {
    const auto set = secrets_.Snapshot();
    next_.OnStepStarted(node_id, index, set->Masked(name));
  }
  void OnStepFinished(const StepOutcome& step) override {
    const auto set = Learn(step);
    if (set->empty()) {
      next_.OnStepFinished(step);
      return;
    }
    StepOutcome masked = step;
    Mask(*set, masked);
    next_.OnStepFinishedOwned(std::move(masked));
  }
  void OnStepFinishedOwned(StepOutcome&& step) override {
    const auto set = Learn(step);
    if (!set->empty()) Mask(*set, step);  // in place: it is ours
    next_.OnStepFinishedOwned(std::move(step));
  }
  // The secrets a step reveals (its headers' credentials, its named captures), and the set to mask
  // it with.
  std::shared_ptr<const SecretSet> Learn(const StepOutcome& step) {
    for (const std::optional<Value>* part : {&step.request, &step.response}) {
      if (!*part || !(*part)->is_object()) continue;
      const auto headers = (*part)->find("headers");
      if (headers != (*part)->end()) secrets_.AddFromHeaders(*headers);
    }
    secrets_.AddNamed(step.captured);
    return secrets_.Snapshot();
  }

  void OnSuiteFinished(const SuiteOutcome& suite) override {
    secrets_.AddNamed(suite.variables);
    secrets_.AddNamed(suite.exported);
    const auto set = secrets_.Snapshot();
    SuiteOutcome masked = suite;
    MaskSecretNames(masked.variables);
    MaskSecretNames(masked.exported);
    if (!set->empty()) {
      set->MaskValue(masked.variables);
      set->MaskValue(masked.exported);
      set->MaskString(masked.suite_name);
      set->MaskString(masked.skip_reason);
      for (std::string& w : masked.warnings) set->MaskString(w);
      if (masked.error) MaskError(*set, *masked.error);
    }
    next_.OnSuiteFinished(masked);
  }
  void OnRunFinished(const RunOutcome& run) override { next_.OnRunFinished(run); }

 private:
  static void MaskError(const SecretSet& set, Error& e) {
    set.MaskString(e.message);
    set.MaskString(e.hint);
  }
  static void Mask(const SecretSet& set, StepOutcome& s) {
    set.MaskString(s.step_name);
    set.MaskString(s.parent_step_name);
    set.MaskString(s.skip_reason);
    if (s.error) MaskError(set, *s.error);
    if (s.request) set.MaskValue(*s.request);
    if (s.response) set.MaskValue(*s.response);
    for (AssertionOutcome& a : s.assertions) {
      set.MaskValue(a.expected);
      set.MaskValue(a.actual);
      set.MaskString(a.message);
      set.MaskString(a.field);
    }
    MaskSecretNames(s.captured);
    set.MaskValue(s.captured);
    for (std::string& w : s.warnings) set.MaskString(w);
    for (AttemptOutcome& a : s.attempts) set.MaskString(a.reason);
    for (LogEntry& log : s.logs) {
      set.MaskString(log.message);
      set.MaskValue(log.data);
    }
    set.MaskValue(s.details);
  }

  EventSink& next_;
  SecretRegistry& secrets_;
};

}  // namespace

Runner::Runner(RunnerPorts ports, std::vector<const Suite*> suites, RunOptions options,
               std::size_t suites_discovered)
    : ports_(ports), suites_(std::move(suites)), options_(std::move(options)),
      state_(std::make_unique<State>()) {
  FLOW_CHECK(ports_.http && ports_.clock && ports_.entropy && ports_.environment && ports_.sink);
  if (ports_.secrets == nullptr) own_secrets_ = std::make_unique<SecretRegistry>();
  secrets_ = ports_.secrets ? ports_.secrets : own_secrets_.get();
  masking_ = std::make_unique<MaskingSink>(*ports_.sink, *secrets_);
  ports_.sink = masking_.get();
  secrets_->AddNamed(options_.globals);
  secrets_->AddNamed(options_.exports);
  state_->run.suites_discovered = suites_discovered;
  state_->exports = options_.exports.is_object() ? options_.exports : Value::object();
  state_->statuses.resize(suites_.size());
  plan_.suites = suites_;
  plan_.dependencies = options_.dependencies;
  plan_.dependencies.resize(suites_.size());
}

Runner::~Runner() = default;

void Runner::NoteVariable(std::string_view name, const Value& value) {
  if (LooksSecret(name)) {
    secrets_->AddValue(value);
  } else if (value.is_object()) {
    secrets_->AddNamed(value);
  }
}

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

Runner::Frame Runner::TopFrame() {
  State& s = *state_;
  Frame f;
  f.suite = suites_[s.suite_index];
  f.runtime = &s.runtime;
  f.suite_vars = &s.suite_vars;
  f.base_url = &s.base_url;
  f.script = s.script.get();
  return f;
}

InterpolationContext Runner::Context(const Frame& frame) const {
  InterpolationContext ctx;
  ctx.scopes.runtime = frame.runtime;
  ctx.scopes.suite = frame.suite_vars;
  ctx.scopes.global = &options_.globals;
  ctx.scopes.exports = &state_->exports;
  ctx.environment = ports_.environment;
  ctx.clock = ports_.clock;
  ctx.entropy = ports_.entropy;
  ctx.script = frame.script;
  ctx.script_budget = options_.script_budget;
  ctx.unresolved = options_.unresolved;
  ctx.secrets = secrets_;
  return ctx;
}

Value Runner::MergedVariables(const Frame& frame, const Value* extra) const {
  Value data = options_.globals.is_object() ? options_.globals : Value::object();
  for (auto it = state_->exports.begin(); it != state_->exports.end(); ++it) {
    if (!data.contains(it.key())) data[it.key()] = it.value();
  }
  MergeInto(data, *frame.suite_vars);
  MergeInto(data, *frame.runtime);
  if (extra != nullptr) MergeInto(data, *extra);
  return data;
}

void Runner::SkipSuite(std::string reason) {
  State& s = *state_;
  const Suite& suite = *suites_[s.suite_index];
  ports_.sink->OnSuiteStarted(suite.node_id, suite.suite_name);
  SuiteOutcome o = SkippedSuiteOutcome(suite, std::move(reason), ports_.clock->NowUnixMs());
  s.statuses[s.suite_index] = SuiteStatus::kSkipped;
  ++s.suite_index;
  ports_.sink->OnSuiteFinished(o);
}

void Runner::StartSuite() {
  State& s = *state_;
  const Suite& suite = *suites_[s.suite_index];
  if (!s.stop_run.empty()) {
    SkipSuite(s.stop_run);
    return;
  }
  if (std::string blocked = RequiredDependencyFailure(plan_, s.suite_index, s.statuses);
      !blocked.empty()) {
    SkipSuite(blocked);
    return;
  }
  s.in_suite = true;
  s.next_step = 0;
  s.runtime = Value::object();
  s.suite_vars = Value::object();
  s.stopped_by.clear();
  s.cookies.Clear();
  s.script = std::make_unique<LazyScriptSession>(ports_.script, options_.script_session);
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
  Frame frame = TopFrame();
  // Variables are interpolated once, in the order written: each may use the globals and the
  // variables above it (the original engine sees only the globals).
  std::vector<std::string> warnings;
  for (const auto& [name, compiled] : suite.variable_templates) {
    InterpolationContext ctx = Context(frame);
    ctx.warnings = &warnings;
    Result<Value> value = compiled->Render(ctx);
    if (!value) {
      s.suite.error = Locate(std::move(value).error(), suite, JoinPointer("/variables", name));
      return;
    }
    NoteVariable(name, *value);
    if (std::find(suite.secret_variables.begin(), suite.secret_variables.end(), name) !=
        suite.secret_variables.end()) {
      secrets_->AddValue(*value);  // `{value: ..., secret: true}`
    }
    s.suite_vars[name] = std::move(*value);
  }
  s.base_url = options_.http.base_url;
  if (suite.base_url) {
    InterpolationContext ctx = Context(frame);
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

StepOutcome Runner::NewOutcome(const Frame& frame, const StepSpec& step,
                               bool one_iteration) const {
  StepOutcome out;
  out.node_id = frame.suite->node_id;
  out.step_index = step.index;
  out.step_id = step.id;
  out.qualified_step_id = frame.suite->node_id + "::" + step.id;
  out.step_name = step.name;
  out.where = step.where;
  out.parent_qualified_id = frame.parent_id;
  out.parent_step_name = frame.parent_name;
  out.run_node_id = state_->suite_index < suites_.size() ? suites_[state_->suite_index]->node_id
                                                         : frame.suite->node_id;
  out.depth = frame.depth;
  if (step.iterate && !one_iteration) {
    out.kind = "iterate";
  } else if (step.call) {
    out.kind = "call";
  } else if (step.has_request) {
    out.kind = "request";
  } else if (!step.scenarios.empty()) {
    out.kind = "scenarios";
  } else if (step.input) {
    out.kind = "input";
  }
  return out;
}

void Runner::RunNextStep() {
  State& s = *state_;
  const Suite& suite = *suites_[s.suite_index];
  const StepSpec& step = suite.steps[s.next_step];
  ports_.sink->OnStepStarted(suite.node_id, step.index, step.name);

  Frame frame = TopFrame();
  StepOutcome outcome;
  if (!s.stopped_by.empty() || !StepSelected(suite, step)) {
    outcome = NewOutcome(frame, step, false);
    outcome.status = StepStatus::kSkipped;
    outcome.skip_reason = s.stopped_by.empty()
                              ? "not selected by --step"
                              : "not run: step '" + s.stopped_by + "' failed";
    outcome.started_at_ms = outcome.completed_at_ms = ports_.clock->NowUnixMs();
  } else {
    outcome = RunStep(frame, step, false);
  }

  ++s.suite.steps_reported;
  switch (outcome.status) {
    case StepStatus::kSuccess: ++s.suite.steps_successful; break;
    case StepStatus::kFailure: ++s.suite.steps_failed; break;
    case StepStatus::kError: ++s.suite.steps_errored; break;
    case StepStatus::kSkipped: ++s.suite.steps_skipped; break;
  }
  const bool keep_going = step.continue_on_failure.value_or(options_.continue_on_failure);
  if (Failed(outcome.status) && !keep_going && s.stopped_by.empty()) s.stopped_by = step.name;
  ++s.next_step;
  ports_.sink->OnStepFinishedOwned(std::move(outcome));
}

StepOutcome Runner::RunStep(Frame& frame, const StepSpec& step, bool iteration_child) {
  StepOutcome out = NewOutcome(frame, step, iteration_child);
  out.started_at_ms = ports_.clock->NowUnixMs();
  std::int64_t started_us = ports_.clock->MonotonicUs();
  const auto finish = [&](StepOutcome& o) {
    if (frame.script != nullptr) {
      for (ScriptLogLine& line : frame.script->TakeConsole()) {
        o.logs.push_back({.level = std::move(line.level), .message = std::move(line.message)});
      }
    }
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
  if (!iteration_child && step.skip && !step.skip->post_capture) {
    Result<bool> skip = EvaluateSkip(frame, *step.skip, nullptr);
    if (!skip) return fail(std::move(skip).error());
    if (*skip) {
      out.status = StepStatus::kSkipped;
      const std::string text = step.skip->text.empty() ? std::string("true") : step.skip->text;
      out.skip_reason = step.skip->negate ? "condition is false: " + text
                                          : "skip condition is true: " + text;
      finish(out);
      return out;
    }
  }
  if (!step.delay.is_null() && (iteration_child || !step.iterate)) {
    Result<std::int64_t> delay = DelayMs(frame, step);
    if (!delay) return fail(std::move(delay).error());
    ports_.clock->SleepMs(*delay);
    out.delay_ms = *delay;
    out.started_at_ms = ports_.clock->NowUnixMs();
    started_us = ports_.clock->MonotonicUs();
  }
  if (step.iterate && !iteration_child) {
    RunIterate(frame, step, out);
    finish(out);
    return out;
  }

  // Retries: `retry` on the step, else execution.retry_failed.
  std::optional<RetrySpec> retry = step.retry;
  if (!retry && options_.retry_failed.enabled) {
    RetrySpec r;
    r.max_attempts = std::max(1, options_.retry_failed.max_attempts);
    r.delay_ms = options_.retry_failed.delay_ms;
    retry = r;
  }
  if (retry && (retry->max_attempts_template || retry->delay_template)) {
    // "{{max_retries}}": numbers known when the step runs.
    const auto number = [&](const CompiledValue& t, const char* key, std::int64_t low,
                            std::int64_t high) -> Result<std::int64_t> {
      Result<Value> v = t.Render(Context(frame));
      if (!v) return Locate(std::move(v).error(), *frame.suite, retry->pointer + "/" + key);
      const std::string text(Trim(ToText(*v)));
      char* end = nullptr;
      const long long n = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || n < low || n > high) {
        Error e = InvalidArgument(std::string("retry '") + key + "' must be a number from " +
                                  std::to_string(low) + " to " + std::to_string(high) + ", got '" +
                                  text + "'");
        e.where = frame.suite->document.WhereValue(retry->pointer + "/" + key);
        return e;
      }
      return static_cast<std::int64_t>(n);
    };
    if (retry->max_attempts_template) {
      Result<std::int64_t> n = number(*retry->max_attempts_template, "max_attempts", 1, 100);
      if (!n) return fail(std::move(n).error());
      retry->max_attempts = static_cast<int>(*n);
    }
    if (retry->delay_template) {
      Result<std::int64_t> n = number(*retry->delay_template, "delay_ms", 0, 3'600'000);
      if (!n) return fail(std::move(n).error());
      retry->delay_ms = *n;
    }
  }
  const int max_attempts = retry ? retry->max_attempts : 1;
  std::int64_t next_delay = retry ? retry->delay_ms : 0;
  std::vector<AttemptOutcome> attempts;
  std::int64_t waited = 0;
  for (int n = 1;; ++n) {
    Attempt attempt;
    const std::int64_t attempt_us = ports_.clock->MonotonicUs();
    StepOutcome tried = RunStepOnce(frame, step, attempt);
    tried.started_at_ms = out.started_at_ms;
    tried.delay_ms = out.delay_ms;
    std::string reason;
    const bool again = retry && n < max_attempts && ShouldRetry(frame, *retry, tried, attempt, reason);
    if (retry) {
      AttemptOutcome a;
      a.number = static_cast<std::size_t>(n);
      a.status = tried.status;
      a.duration_ms = static_cast<double>(ports_.clock->MonotonicUs() - attempt_us) / 1000.0;
      a.waited_ms = waited;
      if (attempt.response_view.is_object()) a.status_code = attempt.response_view.value("status_code", 0);
      if (tried.error) {
        a.reason = tried.error->message;
      } else if (tried.FailedAssertions() > 0) {
        for (const AssertionOutcome& x : tried.assertions) {
          if (!x.passed) {
            a.reason = "assertion failed: " + x.field + ": " + x.message;
            break;
          }
        }
      }
      if (a.reason.empty()) a.reason = reason;
      attempts.push_back(std::move(a));
    }
    if (!again) {
      if (retry && retry->until && n >= max_attempts && !Failed(tried.status)) {
        // Polling ended without the condition holding.
        Value data = MergedVariables(frame, &attempt.response_view);
        Result<bool> holds = retry->until->Evaluate(data, Context(frame));
        if (holds && !*holds) {
          tried.status = StepStatus::kFailure;
          tried.error = InvalidArgument("retry 'until' condition '" + retry->until_text +
                                        "' did not hold after " + std::to_string(n) + " attempts");
          tried.error->where = frame.suite->document.WhereValue(retry->pointer + "/until");
          tried.status = StepStatus::kError;
        }
      }
      out = std::move(tried);
      break;
    }
    std::int64_t wait = next_delay;
    if (retry->max_delay_ms > 0) wait = std::min(wait, retry->max_delay_ms);
    if (retry->jitter_ms != 0) {
      const std::int64_t span = retry->jitter_ms < 0 ? wait / 2 : retry->jitter_ms;
      if (span > 0) wait += static_cast<std::int64_t>(ports_.entropy->Next() % static_cast<std::uint64_t>(span + 1));
    }
    ports_.clock->SleepMs(wait);
    waited = wait;
    if (retry->backoff < 0) {
      next_delay += retry->delay_ms;
    } else {
      next_delay = static_cast<std::int64_t>(std::llround(static_cast<double>(next_delay) * retry->backoff));
    }
    if (retry->max_delay_ms > 0) next_delay = std::min(next_delay, retry->max_delay_ms);
    next_delay = std::min<std::int64_t>(next_delay, 3'600'000);
  }
  out.attempts = std::move(attempts);

  if (step.skip && step.skip->post_capture && !Failed(out.status)) {
    Value view = out.response ? Value{{"status_code", (*out.response).value("status_code", 0)},
                                      {"status", (*out.response).value("status_code", 0)},
                                      {"headers", (*out.response).value("headers", Value::object())},
                                      {"body", (*out.response).value("body", Value())}}
                              : Value::object();
    if (out.response) view["response"] = view;  // the original's `response` variable
    Result<bool> skip = EvaluateSkip(frame, *step.skip, &view);
    if (!skip) return fail(std::move(skip).error());
    if (*skip) {
      out.status = StepStatus::kSkipped;
      out.skip_reason = "post_capture skip condition is true: " + step.skip->text;
    }
  }
  finish(out);
  return out;
}

bool Runner::ShouldRetry(Frame& frame, const RetrySpec& retry, const StepOutcome& out,
                         const Attempt& attempt, std::string& reason) {
  if (retry.retry_if) {
    if (attempt.network_error) {
      reason = "network error";
      return true;
    }
    Value extra = attempt.response_view;
    if (extra.is_object()) extra["response"] = attempt.response_view;
    Value data = MergedVariables(frame, &extra);
    Result<bool> holds = retry.retry_if->Evaluate(data, Context(frame));
    if (!holds) return false;
    reason = "retry condition holds";
    return *holds;
  }
  if (retry.until) {
    if (attempt.network_error) {
      reason = "network error";
      return retry.on_network_error;
    }
    Value data = MergedVariables(frame, &attempt.response_view);
    Result<bool> holds = retry.until->Evaluate(data, Context(frame));
    if (!holds) return false;
    reason = "until condition does not hold yet";
    return !*holds;
  }
  if (attempt.network_error) {
    reason = "network error";
    return retry.on_network_error;
  }
  if (attempt.response_view.is_object()) {
    const int status = attempt.response_view.value("status_code", 0);
    if (std::find(retry.retry_on_status.begin(), retry.retry_on_status.end(), status) !=
        retry.retry_on_status.end()) {
      reason = "status " + std::to_string(status);
      return true;
    }
  }
  if (out.status == StepStatus::kFailure && retry.on_assertion_failure) {
    reason = "assertions failed";
    return true;
  }
  return false;
}

StepOutcome Runner::RunStepOnce(Frame& frame, const StepSpec& step, Attempt& attempt) {
  StepOutcome out = NewOutcome(frame, step, /*one_iteration=*/true);  // never the loop itself
  if (step.call) {
    RunCall(frame, step, out, attempt);
  } else if (step.has_request) {
    RunRequestStep(frame, step, out, attempt);
  } else if (!step.scenarios.empty()) {
    RunScenarioOnly(frame, step, out, attempt);
  } else if (step.input) {
    RunInputOnly(frame, step, out);
  } else {
    Error e = InvalidArgument("step '" + step.name + "' has nothing to run");
    e.where = step.where;
    out.status = StepStatus::kError;
    out.error = std::move(e);
  }
  if (out.status == StepStatus::kSuccess && out.FailedAssertions() > 0) out.status = StepStatus::kFailure;
  return out;
}

bool Runner::Send(Frame& frame, const StepSpec& step, const CompiledValue& request,
                  const std::string& request_pointer, const std::string& raw_url, StepOutcome& out,
                  Attempt& attempt) {
  const Suite& suite = *frame.suite;
  const auto fail = [&](Error e) {
    out.status = StepStatus::kError;
    out.error = std::move(e);
    return false;
  };
  InterpolationContext ctx = Context(frame);
  ctx.warnings = &out.warnings;
  Result<Value> rendered = request.Render(ctx);
  if (!rendered) return fail(Locate(std::move(rendered).error(), suite, request_pointer));
  if (step.pre_request && &request == step.request.get()) {
    if (!RunStepScript(frame, *step.pre_request, "pre_request", &*rendered, nullptr, out)) {
      return false;
    }
  }

  RequestDefaults defaults = options_.http;
  defaults.base_url = *frame.base_url;
  defaults.base_dir = DirName(suite.file);
  if (suite.certificate) {
    // Rendered per step, not kept in the run state: it may use variables captured on the way.
    Result<Value> certificate = suite.certificate->Render(ctx);
    if (!certificate) return fail(Locate(std::move(certificate).error(), suite, "/certificate"));
    defaults.certificate = std::move(*certificate);
  }
  if (step.timeout_ms) defaults.timeout = std::chrono::milliseconds(*step.timeout_ms);
  if (frame.timeout_ms) defaults.timeout = std::chrono::milliseconds(*frame.timeout_ms);
  Result<HttpRequest> built = BuildHttpRequest(*rendered, defaults);
  if (!built) return fail(Locate(std::move(built).error(), suite, request_pointer));
  out.request = DescribeRequest(*built, *rendered, *frame.base_url, raw_url);

  Result<HttpResponse> response = SendFollowingRedirects(
      *ports_.http, *built, options_.cookies ? &state_->cookies : nullptr, *ports_.clock);
  if (!response) {
    Error e = std::move(response).error();
    if (!built->connect_to.empty() && e.hint.empty()) {
      // The host in the message is the URL's; say where the connection really went.
      e.hint = "--connect-to in effect: " + built->connect_to.front();
    }
    if (!e.pointer.empty()) {
      e = Locate(std::move(e), suite, request_pointer);  // a file part that cannot be read
    } else {
      e.where = suite.document.WhereValue(request_pointer + "/url");
    }
    attempt.network_error = true;
    attempt.response_view = Value();
    return fail(std::move(e));
  }
  const Value headers = HeadersToValue(response->headers);
  Value body = ParseResponseBody(*response, built->method);
  out.response = DescribeResponse(*response, headers, body, out.started_at_ms);
  attempt.network_error = false;
  attempt.response_view = {{"status_code", response->status_code},
                           {"status", response->status_code},
                           {"headers", headers},
                           {"body", std::move(body)},
                           {"duration_ms", response->timings.total_ms},
                           {"response_time_ms", response->timings.total_ms},
                           {"size_bytes", response->size_bytes}};
  return true;
}

namespace {

// Assertions of `plan` (its block rendered first) against a response view; each outcome is
// located in the suite.
Result<std::vector<AssertionOutcome>> EvaluateAssertions(const AssertionPlan& plan,
                                                         const CompiledValue* block,
                                                         const InterpolationContext& ctx,
                                                         const Value& view, const Suite& suite,
                                                         const std::string& pointer) {
  Result<Value> rendered = block ? block->Render(ctx) : Result<Value>(Value::object());
  if (!rendered) return Locate(std::move(rendered).error(), suite, pointer);
  const Value& headers = view["headers"];
  const Value& body = view["body"];
  const ResponseView rv{.status_code = view.value("status_code", 0),
                        .headers = &headers,
                        .body = &body,
                        .response_time_ms = view.value("duration_ms", 0.0),
                        .size_bytes = view.value("size_bytes", std::size_t{0})};
  std::vector<AssertionOutcome> outcomes = plan.Evaluate(*rendered, rv);
  for (AssertionOutcome& a : outcomes) a.where = suite.document.WhereValue(pointer + a.pointer);
  return outcomes;
}

}  // namespace

namespace {

// The `response` a hook sees: {status, status_code, headers, body, data, response_time_ms}.
Value HookResponse(const Value& view) {
  if (!view.is_object()) return Value();
  return {{"status", view.value("status_code", 0)},
          {"status_code", view.value("status_code", 0)},
          {"headers", view.value("headers", Value::object())},
          {"body", view.value("body", Value())},
          {"data", view.value("body", Value())},
          {"response_time_ms", view.value("duration_ms", 0.0)}};
}

Value AssertionsToValue(const std::vector<AssertionOutcome>& assertions) {
  Value out = Value::array();
  for (const AssertionOutcome& a : assertions) {
    out.push_back({{"field", a.field}, {"expected", a.expected}, {"actual", a.actual},
                   {"passed", a.passed}, {"message", a.message}});
  }
  return out;
}

}  // namespace

void Runner::RunRequestStep(Frame& frame, const StepSpec& step, StepOutcome& out, Attempt& attempt) {
  const Suite& suite = *frame.suite;
  using P = HookPoint;
  // `context()` makes what the hook sees (copies of the response): only for a step with a hook
  // at that point.
  const auto hook = [&](P point, const auto& context) {
    if (!step.hooks[HookPointIndex(point)]) return true;
    return RunHookPoint(frame, step, HookPointIndex(point), context(), out);
  };
  if (!hook(P::kPreRequest, [] { return Value::object(); })) return;
  if (!Send(frame, step, *step.request, step.pointer + "/request", step.raw_url, out, attempt)) return;
  const Value& view = attempt.response_view;
  if (step.post_request) {
    const Value response = HookResponse(view);
    Value sent = out.request.value_or(Value::object());
    if (!RunStepScript(frame, *step.post_request, "post_request", &sent, &response, out)) return;
  }
  if (!hook(P::kPostRequest, [&]() -> Value { return {{"response", HookResponse(view)}}; })) {
    return;
  }
  InterpolationContext ctx = Context(frame);
  ctx.warnings = &out.warnings;

  // Scenario branches first (their conditions see the response), as the original does.
  RunScenarios(frame, step, out, attempt, true);
  if (out.status == StepStatus::kError) return;

  if (!hook(P::kPreAssertion, [&]() -> Value { return {{"response", HookResponse(view)}}; })) {
    return;
  }
  if (step.assertions) {
    Result<std::vector<AssertionOutcome>> a = EvaluateAssertions(
        *step.assertions, step.assert_block.get(), ctx, view, suite, step.pointer + "/assert");
    if (!a) {
      out.status = StepStatus::kError;
      out.error = std::move(a).error();
      return;
    }
    for (AssertionOutcome& x : *a) out.assertions.push_back(std::move(x));
  }
  if (!RunCustomAssertions(frame, step, view, out)) return;
  if (!hook(P::kPostAssertion, [&]() -> Value {
        return {{"response", HookResponse(view)},
                {"assertions", AssertionsToValue(out.assertions)}};
      })) {
    return;
  }
  if (!hook(P::kPreCapture, [&]() -> Value { return {{"response", HookResponse(view)}}; })) {
    return;
  }
  if (step.captures) RunCaptures(frame, *step.captures, view, out);
  if (!hook(P::kPostCapture, [&]() -> Value {
        return {{"response", HookResponse(view)}, {"captured", out.captured}};
      })) {
    return;
  }
  RunStepInputs(frame, step, out);
}

void Runner::RunScenarios(Frame& frame, const StepSpec& step, StepOutcome& out, Attempt& attempt,
                          bool request_step) {
  if (step.scenarios.empty()) return;
  const Suite& suite = *frame.suite;
  Value evaluations = Value::array();
  std::size_t executed = 0;
  for (std::size_t i = 0; i < step.scenarios.size(); ++i) {
    const ScenarioSpec& sc = step.scenarios[i];
    const Value extra = request_step && attempt.response_view.is_object() ? attempt.response_view
                                                                          : Value::object();
    Value data = MergedVariables(frame, &extra);
    data["step_status"] = out.FailedAssertions() > 0 ? "failure" : "success";
    Result<bool> matched = sc.condition ? sc.condition->Evaluate(data, Context(frame)) : Result<bool>(false);
    if (!matched) {
      Error e = std::move(matched).error();
      e.message = "scenario " + std::to_string(i + 1) + (sc.name.empty() ? "" : " ('" + sc.name + "')") +
                  ": " + e.message;
      e.where = suite.document.WhereValue(sc.pointer + "/condition");
      out.status = StepStatus::kError;
      out.error = std::move(e);
      return;
    }
    const std::shared_ptr<ScenarioBranch>& branch = *matched ? sc.then_branch : sc.else_branch;
    Value eval = {{"index", i},
                  {"name", sc.name},
                  {"condition", sc.condition_text},
                  {"matched", *matched},
                  {"executed", branch != nullptr},
                  {"branch", branch == nullptr ? "none" : (*matched ? "then" : "else")},
                  {"assertions_added", 0},
                  {"captures_added", 0},
                  {"steps_run", 0}};
    if (branch) {
      ++executed;
      Attempt branch_attempt = attempt;
      if (branch->request) {
        StepOutcome sent = NewOutcome(frame, step, false);
        sent.started_at_ms = ports_.clock->NowUnixMs();
        if (!Send(frame, step, *branch->request, branch->pointer + "/request", branch->raw_url, sent,
                  branch_attempt)) {
          out.status = StepStatus::kError;
          out.error = std::move(sent.error);
          out.request = std::move(sent.request);
          return;
        }
        out.request = std::move(sent.request);
        out.response = std::move(sent.response);
        for (std::string& w : sent.warnings) out.warnings.push_back(std::move(w));
        attempt = branch_attempt;
      }
      const Value view = branch_attempt.response_view.is_object() ? branch_attempt.response_view
                                                                    : Value{{"status_code", 0},
                                                                            {"headers", Value::object()},
                                                                            {"body", nullptr}};
      InterpolationContext ctx = Context(frame);
      ctx.warnings = &out.warnings;
      if (branch->assertions) {
        Result<std::vector<AssertionOutcome>> a =
            EvaluateAssertions(*branch->assertions, branch->assert_block.get(), ctx, view, suite,
                               branch->pointer + "/assert");
        if (!a) {
          out.status = StepStatus::kError;
          out.error = std::move(a).error();
          return;
        }
        eval["assertions_added"] = a->size();
        for (AssertionOutcome& x : *a) out.assertions.push_back(std::move(x));
      }
      std::size_t captures =
          branch->captures ? RunCaptures(frame, *branch->captures, view, out) : 0;
      for (const auto& [name, compiled] : branch->variables) {
        Result<Value> v = compiled->Render(Context(frame));
        if (!v) {
          out.status = StepStatus::kError;
          out.error = Locate(std::move(v).error(), suite, JoinPointer(branch->pointer + "/variables", name));
          return;
        }
        (*frame.runtime)[name] = *v;
        out.captured[name] = std::move(*v);
        ++captures;
      }
      eval["captures_added"] = captures;
      if (!branch->steps.empty()) {
        eval["steps_run"] = branch->steps.size();
        if (!RunChildren(frame, branch->steps, out)) {
          if (out.status == StepStatus::kSuccess) out.status = StepStatus::kFailure;
        }
      }
    }
    evaluations.push_back(std::move(eval));
  }
  out.details["scenarios_meta"] = {{"has_scenarios", true},
                                   {"executed_count", executed},
                                   {"evaluations", std::move(evaluations)}};
}

bool Runner::RunChildren(Frame& frame, const std::vector<StepSpec>& steps, StepOutcome& parent) {
  Frame child = frame;
  child.depth = frame.depth + 1;
  child.parent_id = parent.qualified_step_id;
  child.parent_name = parent.step_name;
  bool all_ok = true;
  std::string stopped_by;
  for (const StepSpec& step : steps) {
    ports_.sink->OnStepStarted(frame.suite->node_id, step.index, step.name);
    StepOutcome o;
    if (!stopped_by.empty()) {
      o = NewOutcome(child, step, false);
      o.status = StepStatus::kSkipped;
      o.skip_reason = "not run: step '" + stopped_by + "' failed";
      o.started_at_ms = o.completed_at_ms = ports_.clock->NowUnixMs();
    } else {
      o = RunStep(child, step, false);
    }
    if (Failed(o.status)) {
      all_ok = false;
      const bool keep_going = step.continue_on_failure.value_or(options_.continue_on_failure);
      if (!keep_going && stopped_by.empty()) stopped_by = step.name;
      parent.warnings.push_back("nested step '" + step.name + "' " + std::string(StepStatusName(o.status)));
    }
    ports_.sink->OnStepFinishedOwned(std::move(o));
  }
  return all_ok;
}

void Runner::RunScenarioOnly(Frame& frame, const StepSpec& step, StepOutcome& out, Attempt& attempt) {
  RunScenarios(frame, step, out, attempt, false);
  if (out.status == StepStatus::kError) return;
  const std::size_t executed = out.details.contains("scenarios_meta")
                                   ? out.details["scenarios_meta"].value("executed_count", std::size_t{0})
                                   : 0;
  if (executed == 0 && out.status == StepStatus::kSuccess) {
    out.status = StepStatus::kSkipped;
    out.skip_reason = "no scenario condition matched";
  }
}

void Runner::RunInputOnly(Frame& frame, const StepSpec& step, StepOutcome& out) {
  if (!RunStepInputs(frame, step, out) || !step.captures) return;
  // An input step's captures run over the variables (the answers included).
  RunCaptures(frame, *step.captures, MergedVariables(frame, nullptr), out);
}

std::size_t Runner::RunCaptures(Frame& frame, const CapturePlan& plan, const Value& context,
                                StepOutcome& out) {
  Value bindings = context;  // JavaScript sees the response context and `response` itself
  if (bindings.is_object() && !bindings.contains("response")) bindings["response"] = context;
  const auto render = [&](const std::string& text) -> Result<Value> {
    Result<CompiledValue> t = CompiledValue::Compile(Value(text));  // direct forms too
    if (!t) return std::move(t).error();
    InterpolationContext c = Context(frame);
    c.warnings = &out.warnings;
    c.script_bindings = &bindings;
    return t->Render(c);
  };
  std::size_t stored = 0;
  for (CaptureOutcome& c : plan.Evaluate(context, render)) {
    if (!c.warning.empty()) out.warnings.push_back(c.warning);
    if (!c.stored) continue;
    if (c.redact) secrets_->AddValue(c.value);  // `{path: ..., redact: true}`
    (*frame.runtime)[c.name] = c.value;
    out.captured[c.name] = std::move(c.value);
    ++stored;
  }
  return stored;
}

bool Runner::RunStepInputs(Frame& frame, const StepSpec& step, StepOutcome& out) {
  if (!step.input) return true;
  if (!RunHookPoint(frame, step, HookPointIndex(HookPoint::kPreInput), Value::object(), out)) {
    return false;
  }
  const Value variables = MergedVariables(frame, nullptr);
  InputRunContext ctx;
  ctx.interpolation = Context(frame);
  ctx.interpolation.warnings = &out.warnings;
  ctx.variables = &variables;
  ctx.provider = ports_.input;
  Result<InputPolicy> policy = ParseInputPolicy(options_.input_policy);
  ctx.policy = policy ? *policy : InputPolicy::kFail;
  ctx.ci = options_.ci;
  ctx.step = InputStepInfo{.suite_name = frame.suite->suite_name,
                           .suite_path = frame.suite->file,
                           .node_id = frame.suite->node_id,
                           .step_name = step.name,
                           .step_id = step.id,
                           .step_index = step.index};
  ctx.clock = ports_.clock;
  InputRunResult result = RunInputs(*step.input, ctx);
  Value reports = Value::array();
  for (const InputResult& r : result.results) {
    if (r.masked) secrets_->AddValue(r.value);  // a password typed in
    reports.push_back(r.ToReport());
  }
  out.details["input_results"] = std::move(reports);
  for (auto it = result.assigned.begin(); it != result.assigned.end(); ++it) {
    (*frame.runtime)[it.key()] = it.value();
    out.captured[it.key()] = it.value();
  }
  if (result.error) {
    Error e = std::move(*result.error);
    e = Locate(std::move(e), *frame.suite, step.input_pointer);
    out.status = StepStatus::kError;
    out.error = std::move(e);
    return false;
  }
  return RunHookPoint(frame, step, HookPointIndex(HookPoint::kPostInput),
                      {{"input", result.assigned}, {"capturedVariables", out.captured}}, out);
}

void Runner::RunIterate(Frame& frame, const StepSpec& step, StepOutcome& out) {
  const Suite& suite = *frame.suite;
  const IterateSpec& it = *step.iterate;
  const auto fail = [&](Error e) {
    out.status = StepStatus::kError;
    out.error = std::move(e);
  };
  // The items: a list, or the numbers of a range.
  Value items;
  std::int64_t range_from = 0, range_to = -1, range_step = 1;
  bool is_range = false;
  InterpolationContext ctx = Context(frame);
  ctx.warnings = &out.warnings;
  if (it.range) {
    Result<Value> text = it.range->Render(ctx);
    if (!text) return fail(Locate(std::move(text).error(), suite, it.pointer + "/range"));
    const std::string range(Trim(ToText(*text)));
    const std::size_t dots = range.find("..");
    const auto parse = [](std::string_view t, std::int64_t& v) {
      const std::string s(Trim(t));
      if (s.empty()) return false;
      char* end = nullptr;
      const long long n = std::strtoll(s.c_str(), &end, 10);
      if (end == nullptr || *end != '\0') return false;
      v = n;
      return true;
    };
    if (dots == std::string::npos || !parse(std::string_view(range).substr(0, dots), range_from) ||
        !parse(std::string_view(range).substr(dots + 2), range_to)) {
      Error e = InvalidArgument("'range' must be \"A..B\" with whole numbers, got '" + range + "'");
      e.where = suite.document.WhereValue(it.pointer + "/range");
      return fail(std::move(e));
    }
    range_step = range_from <= range_to ? 1 : -1;
    const std::int64_t count = (range_to - range_from) * range_step + 1;
    if (count > kMaxIterations) {
      Error e = InvalidArgument("'range' " + range + " has " + std::to_string(count) +
                                " items, more than " + std::to_string(kMaxIterations));
      e.where = suite.document.WhereValue(it.pointer + "/range");
      return fail(std::move(e));
    }
    is_range = true;
  } else {
    const std::string& text = it.over_text;
    Result<Value> value = Value();
    if (text.find("{{") != std::string::npos) {
      value = it.over->Render(ctx);
    } else {
      Result<Template> t = Template::Parse("{{" + text + "}}");
      value = t ? t->Render(ctx) : Result<Value>(std::move(t).error());
      if (!value) {
        // Not a variable: a JMESPath expression over the variables (`users[?active]`).
        Result<jmespath::Expression> expression = jmespath::Expression::Compile(text);
        if (expression) {
          Result<Value> found = expression->Search(MergedVariables(frame, nullptr));
          if (found && !found->is_null()) value = std::move(found);
        }
      }
    }
    if (!value) return fail(Locate(std::move(value).error(), suite, it.pointer + "/over"));
    if (!value->is_array()) {
      Error e = InvalidArgument("'iterate.over' must give a list, '" + text + "' is " +
                                std::string(TypeName(*value)));
      e.where = suite.document.WhereValue(it.pointer + "/over");
      return fail(std::move(e));
    }
    items = std::move(*value);
  }
  const std::size_t total = is_range ? static_cast<std::size_t>((range_to - range_from) * range_step + 1)
                                     : items.size();

  Value& runtime = *frame.runtime;
  const std::optional<Value> saved_as = runtime.contains(it.as) ? std::optional<Value>(runtime[it.as]) : std::nullopt;
  const std::optional<Value> saved_iteration =
      runtime.contains("_iteration") ? std::optional<Value>(runtime["_iteration"]) : std::nullopt;

  Frame child = frame;
  child.depth = frame.depth + 1;
  child.parent_id = out.qualified_step_id;
  child.parent_name = out.step_name;
  std::size_t passed = 0, failed = 0, skipped = 0, executed = 0;
  const bool keep_going = step.continue_on_failure.value_or(options_.continue_on_failure);
  for (std::size_t k = 0; k < total; ++k) {
    Value item = is_range ? Value(range_from + static_cast<std::int64_t>(k) * range_step) : items[k];
    runtime[it.as] = item;
    runtime["_iteration"] = {{"index", k},
                             {"total", total},
                             {"isFirst", k == 0},
                             {"isLast", k + 1 == total},
                             {"value", item}};
    std::string name = step.name;
    if (name.find("{{") != std::string::npos) {
      Result<Template> t = Template::Parse(name);
      if (t) {
        Result<Value> r = t->Render(Context(frame));
        if (r) name = ToText(*r);
      }
    }
    ports_.sink->OnStepStarted(suite.node_id, step.index, name);
    StepOutcome o;
    const Value iteration_info = runtime["_iteration"];
    if (!RunHookPoint(frame, step, HookPointIndex(HookPoint::kPreIteration),
                      {{"iteration", iteration_info}}, o)) {
      o.node_id = suite.node_id;
      o.step_index = step.index;
    } else {
      o = RunStep(child, step, true);
      Value result = {{"status", std::string(StepStatusName(o.status))}, {"captured", o.captured}};
      RunHookPoint(frame, step, HookPointIndex(HookPoint::kPostIteration),
                   {{"iteration", iteration_info}, {"result", std::move(result)}}, o);
    }
    o.depth = child.depth;
    o.parent_qualified_id = child.parent_id;
    o.parent_step_name = child.parent_name;
    o.step_name = name + " [" + std::to_string(k + 1) + "/" + std::to_string(total) + "]";
    o.step_id = step.id + "-iter-" + std::to_string(k + 1);
    o.qualified_step_id = suite.node_id + "::" + o.step_id;
    o.iteration = k;
    ++executed;
    for (auto c = o.captured.begin(); c != o.captured.end(); ++c) {
      runtime[c.key() + "_iteration_" + std::to_string(k)] = c.value();
      out.captured[c.key()] = c.value();
      out.captured[c.key() + "_iteration_" + std::to_string(k)] = c.value();
    }
    if (k == 0 && o.request) out.request = o.request;
    if (o.response) out.response = o.response;
    switch (o.status) {
      case StepStatus::kSuccess: ++passed; break;
      case StepStatus::kSkipped: ++skipped; break;
      default: ++failed; break;
    }
    const bool stop = Failed(o.status) && !keep_going;
    ports_.sink->OnStepFinishedOwned(std::move(o));
    if (stop) break;
  }
  if (saved_as) {
    runtime[it.as] = *saved_as;
  } else {
    runtime.erase(it.as);
  }
  if (saved_iteration) {
    runtime["_iteration"] = *saved_iteration;
  } else {
    runtime.erase("_iteration");
  }
  out.details["iteration_summary"] = {{"total", total},     {"executed", executed},
                                      {"passed", passed},   {"failed", failed},
                                      {"skipped", skipped}};
  out.status = failed > 0 ? StepStatus::kFailure : StepStatus::kSuccess;
  if (failed > 0) {
    out.warnings.push_back(std::to_string(failed) + " of " + std::to_string(total) + " iterations failed");
  }
}

void Runner::RunCall(Frame& frame, const StepSpec& step, StepOutcome& out, Attempt& attempt) {
  const Suite& suite = *frame.suite;
  const CallSpec& call = *step.call;
  InterpolationContext ctx = Context(frame);
  ctx.warnings = &out.warnings;
  // Resolution problems follow on_error: continue skips the step, warn and fail fail it.
  const auto resolution_error = [&](Error e) {
    if (!e.where || !e.where->IsKnown()) e.where = suite.document.WhereValue(call.pointer);
    if (call.on_error == "continue") {
      out.status = StepStatus::kSkipped;
      out.skip_reason = "call not run (on_error: continue): " + e.message;
      return;
    }
    if (call.on_error == "warn") out.warnings.push_back(e.message);
    out.status = StepStatus::kError;
    out.error = std::move(e);
  };
  if (!RunHookPoint(frame, step, HookPointIndex(HookPoint::kPreCall), Value::object(), out)) return;
  if (ports_.suites == nullptr) {
    return resolution_error(InvalidArgument("'call' is not available here: no suite source"));
  }
  Result<Value> test = call.test->Render(ctx);
  if (!test) return resolution_error(Locate(std::move(test).error(), suite, call.pointer + "/test"));
  const std::string target(Trim(ToText(*test)));
  std::string path;
  if (call.path_type == "absolute") {
    path = NormalizePath(target.rfind('/', 0) == 0 ? target : options_.test_directory + "/" + target);
  } else {
    if (target.rfind('/', 0) == 0) {
      Error e = InvalidArgument("call 'test' is an absolute path: '" + target + "'",
                                "give a path relative to this file, or set path_type: absolute "
                                "for a path relative to the test directory");
      e.where = suite.document.WhereValue(call.pointer + "/test");
      return resolution_error(std::move(e));
    }
    path = JoinPath(DirName(suite.file), target);
  }
  Result<const Suite*> loaded = ports_.suites->Load(path);
  if (!loaded) {
    Error e = std::move(loaded).error();
    e.where = suite.document.WhereValue(call.pointer + "/test");
    return resolution_error(std::move(e));
  }
  const Suite& callee = **loaded;
  const StepSpec* target_step = FindCalledStep(callee, call.step);
  if (target_step == nullptr) {
    std::vector<std::string> names;
    for (const StepSpec& s : callee.steps) names.push_back(s.step_id.empty() ? s.name : s.step_id);
    Error e = NotFound("no step '" + call.step + "' in " + path, DidYouMean(call.step, names));
    e.where = suite.document.WhereValue(call.pointer + "/step");
    return resolution_error(std::move(e));
  }
  const std::string key = path + "::" + target_step->id;
  if (std::find(frame.call_stack.begin(), frame.call_stack.end(), key) != frame.call_stack.end()) {
    std::string chain;
    for (const std::string& k : frame.call_stack) chain += k + " -> ";
    Error e = InvalidArgument("recursive call: " + chain + key);
    return resolution_error(std::move(e));
  }
  if (frame.call_stack.size() >= kMaxCallDepth) {
    return resolution_error(InvalidArgument("calls nest deeper than " + std::to_string(kMaxCallDepth) + " levels"));
  }
  Value call_vars = Value::object();
  if (call.variables) {
    Result<Value> v = call.variables->Render(ctx);
    if (!v) {
      out.status = StepStatus::kError;
      out.error = Locate(std::move(v).error(), suite, call.pointer + "/variables");
      return;
    }
    call_vars = std::move(*v);
  }

  // The callee's frame.
  Value callee_runtime = call.isolate_context ? call_vars : Value();
  Value callee_suite_vars = Value::object();
  std::string callee_base = *frame.base_url;
  // The callee's JavaScript runs in the caller's session: a call is part of the caller's
  // execution (and a session per call could exhaust the helper pool with nested calls).
  Frame inner = frame;
  inner.suite = &callee;
  inner.depth = frame.depth + 1;
  inner.parent_id = out.qualified_step_id;
  inner.parent_name = out.step_name;
  inner.call_stack.push_back(key);
  if (call.timeout_ms) inner.timeout_ms = call.timeout_ms;
  Value before_runtime;
  if (call.isolate_context) {
    inner.runtime = &callee_runtime;
    inner.suite_vars = &callee_suite_vars;
  } else {
    before_runtime = *frame.runtime;
    secrets_->AddNamed(call_vars);
    MergeInto(*frame.runtime, call_vars);
    callee_suite_vars = *frame.suite_vars;
    inner.runtime = frame.runtime;
    inner.suite_vars = &callee_suite_vars;
  }
  for (const auto& [name, compiled] : callee.variable_templates) {
    if (!call.isolate_context && callee_suite_vars.contains(name)) continue;
    if (!call.isolate_context && frame.runtime->contains(name)) continue;
    Result<Value> v = compiled->Render(Context(inner));
    if (!v) {
      out.status = StepStatus::kError;
      out.error = Locate(std::move(v).error(), callee, JoinPointer("/variables", name));
      return;
    }
    callee_suite_vars[name] = std::move(*v);
  }
  if (callee.base_url) {
    Result<Value> base = callee.base_url->Render(Context(inner));
    if (!base) {
      out.status = StepStatus::kError;
      out.error = Locate(std::move(base).error(), callee, "/base_url");
      return;
    }
    callee_base = std::string(Trim(ToText(*base)));
  }
  inner.base_url = &callee_base;  // the caller's base_url stays its own

  ports_.sink->OnStepStarted(callee.node_id, target_step->index, target_step->name);
  StepOutcome called = RunStep(inner, *target_step, false);
  called.parent_qualified_id = out.qualified_step_id;

  // Propagate what the callee captured.
  Value propagated = Value::object();
  if (call.isolate_context) {
    for (auto it = callee_runtime.begin(); it != callee_runtime.end(); ++it) {
      if (call_vars.contains(it.key()) && DeepEqual(call_vars[it.key()], it.value())) continue;
      propagated[it.key()] = it.value();
    }
    const std::string prefix = call.alias.empty() ? callee.node_id : call.alias;
    Value& slot = (*frame.runtime)[prefix];
    if (!slot.is_object()) slot = Value::object();
    NoteVariable(prefix, propagated);
    MergeInto(slot, propagated);
    if (!call.alias.empty() && !propagated.empty()) {
      Value& registry = state_->exports[call.alias];
      if (!registry.is_object()) registry = Value::object();
      MergeInto(registry, propagated);
    }
    Value prefixed = Value::object();
    prefixed[prefix] = propagated;
    out.captured = std::move(prefixed);
  } else {
    for (auto it = frame.runtime->begin(); it != frame.runtime->end(); ++it) {
      if (before_runtime.contains(it.key()) && DeepEqual(before_runtime[it.key()], it.value())) continue;
      propagated[it.key()] = it.value();
    }
    out.captured = propagated;
  }
  out.request = called.request;
  out.response = called.response;
  out.assertions = called.assertions;
  if (called.response) {
    const Value& r = *called.response;
    attempt.response_view = {{"status_code", r.value("status_code", 0)},
                             {"status", r.value("status_code", 0)},
                             {"headers", r.value("headers", Value::object())},
                             {"body", r.value("body", Value())}};
  }
  attempt.network_error = called.status == StepStatus::kError && !called.response && called.error &&
                          called.error->code != ErrorCode::kInvalidArgument;
  out.status = called.status;
  if (called.status == StepStatus::kSkipped) out.skip_reason = "called step skipped: " + called.skip_reason;
  if (Failed(called.status)) {
    Error e = InvalidArgument("called step '" + target_step->name + "' in " + path + " " +
                              std::string(StepStatusName(called.status)) +
                              (called.error ? ": " + called.error->message : ""));
    e.where = suite.document.WhereValue(call.pointer);
    if (called.status == StepStatus::kError) out.error = std::move(e);
  }
  out.details["call"] = {{"test", path},
                         {"step", target_step->id},
                         {"node_id", callee.node_id},
                         {"alias", call.alias},
                         {"isolate_context", call.isolate_context},
                         {"propagated_variables", propagated}};
  ports_.sink->OnStepFinished(called);
  const bool success = !Failed(called.status);
  RunHookPoint(frame, step, HookPointIndex(HookPoint::kPostCall),
               {{"call_result", {{"success", success},
                                 {"status", std::string(StepStatusName(called.status))},
                                 {"captured", called.captured}}},
                {"propagated_variables", propagated},
                {"success", success},
                {"status", std::string(StepStatusName(called.status))}},
               out);
}

bool Runner::RunHookPoint(Frame& frame, const StepSpec& step, std::size_t point_index,
                          Value context, StepOutcome& out) {
  const std::shared_ptr<const HookPlan>& plan = step.hooks[point_index];
  if (!plan) return true;
  HookEnv env;
  env.point = kAllHookPoints[point_index];
  env.interpolation = Context(frame);
  env.interpolation.warnings = &out.warnings;
  context["stepName"] = step.name;
  context["stepIndex"] = step.index;
  env.context = std::move(context);
  env.clock = ports_.clock;
  env.set_variable = [&](const std::string& name, const Value& value) {
    (*frame.runtime)[name] = value;
    out.captured[name] = value;
  };
  std::string hook_node = "hook_";
  for (char c : ToLower(step.name)) hook_node += c == ' ' ? '_' : c;
  env.export_variable = [&, hook_node](const std::string& name, const Value& value) {
    Value& registry = state_->exports[hook_node];
    if (!registry.is_object()) registry = Value::object();
    registry[name] = value;
  };
  env.call = [&](const Value& spec, const std::string& pointer) -> Result<Value> {
    return RunHookCall(frame, step, spec, step.hook_pointers[point_index] + pointer, out);
  };
  HookRunResult result = RunHooks(*plan, env);
  for (LogEntry& l : result.logs) out.logs.push_back(std::move(l));
  for (std::string& w : result.warnings) out.warnings.push_back(std::move(w));
  if (!result.computed.empty()) {
    Value& hooks = out.details["hooks"];
    if (!hooks.is_object()) hooks = Value::object();
    hooks[std::string(HookPointKey(env.point))] = result.computed;
  }
  if (!result.error) return true;
  Error e = std::move(*result.error);
  e.where = frame.suite->document.WhereValue(step.hook_pointers[point_index] + e.pointer);
  e.message = std::string(HookPointKey(env.point)) + ": " + e.message;
  out.status = e.reason == "hook-validate" ? StepStatus::kFailure : StepStatus::kError;
  out.error = std::move(e);
  return false;
}

Result<Value> Runner::RunHookCall(Frame& frame, const StepSpec& step, const Value& spec,
                                  const std::string& pointer, StepOutcome& out) {
  Result<CompiledValue> compiled = CompiledValue::Compile(spec);
  if (!compiled) return std::move(compiled).error();
  Result<Value> rendered = compiled->Render(Context(frame));
  if (!rendered) return std::move(rendered).error();
  const Value& c = *rendered;
  if (!c.is_object() || !c.contains("test") || !c.contains("step")) {
    return InvalidArgument("a hook call needs 'test' and 'step'");
  }
  StepSpec call_step;
  call_step.name = step.name + " (hook call)";
  call_step.id = step.id + "-hook-call";
  call_step.pointer = pointer;
  call_step.where = frame.suite->document.WhereValue(pointer);
  CallSpec call;
  call.pointer = pointer;
  Result<CompiledValue> test = CompiledValue::Compile(Value(ToText(c["test"])));
  if (!test) return std::move(test).error();
  call.test = std::make_shared<const CompiledValue>(std::move(*test));
  call.step = ToText(c["step"]);
  if (c.contains("variables") && c["variables"].is_object()) {
    Result<CompiledValue> vars = CompiledValue::Compile(c["variables"]);
    if (vars) call.variables = std::make_shared<const CompiledValue>(std::move(*vars));
  }
  call.alias = c.value("alias", "");
  call.isolate_context = c.value("isolate_context", true);
  call.on_error = c.value("on_error", "fail");
  call.path_type = c.value("path_type", "relative");
  call_step.call = std::move(call);
  StepOutcome result = NewOutcome(frame, call_step, false);
  Attempt attempt;
  RunCall(frame, call_step, result, attempt);
  for (std::string& w : result.warnings) out.warnings.push_back(std::move(w));
  const bool ok = !Failed(result.status);
  Value summary = {{"success", ok},
                   {"status", std::string(StepStatusName(result.status))},
                   {"propagated_variables", result.captured}};
  if (result.error) {
    if (!ok) return std::move(*result.error);
  }
  return summary;
}

bool Runner::RunStepScript(Frame& frame, const StepScript& script, const char* phase,
                           Value* request, const Value* response, StepOutcome& out) {
  const Suite& suite = *frame.suite;
  const std::string what = std::string(phase) + " script";
  const auto failed = [&](Error e) {
    e.message = what + " failed: " + e.message;
    if (!e.where) e.where = suite.document.WhereValue(script.pointer);
    if (script.continue_on_error) {
      out.warnings.push_back(FormatErrorLine(e) + " (continue_on_error)");
      return true;
    }
    out.status = StepStatus::kError;
    out.error = std::move(e);
    return false;
  };
  ScriptSource source;
  if (script.source) {
    source = *script.source;
  } else {
    if (ports_.suites == nullptr) return failed(InvalidArgument("'script_file' cannot be read here"));
    const std::string path = script.script_file.rfind('/', 0) == 0
                                 ? NormalizePath(script.script_file)
                                 : JoinPath(DirName(suite.file), script.script_file);
    Result<std::string> text = ports_.suites->ReadText(path);
    if (!text) {
      Error e = std::move(text).error();
      e.where = suite.document.WhereValue(script.pointer + "/script_file");
      return failed(std::move(e));
    }
    Result<ScriptSource> made = ScriptSource::Make(ScriptCallKind::kBlock, std::move(*text));
    if (!made) {
      Error e = std::move(made).error();
      e.where->file = path;  // the position is in the script file
      return failed(std::move(e));
    }
    source = std::move(*made);
    source.file = path;
    source.line = 1;
    source.column = 1;
  }
  Value site = Value::object();
  site["request"] = request != nullptr && request->is_object() ? *request : Value::object();
  if (!site["request"].contains("headers") || !site["request"]["headers"].is_object()) {
    site["request"]["headers"] = Value::object();  // always there, as in the original engine
  }
  if (response != nullptr) site["response"] = *response;
  if (source.names.empty() || std::find(source.names.begin(), source.names.end(), "variables") ==
                                  source.names.end()) {
    source.names.push_back("variables");  // always bound, like the original's frozen copy
  }
  for (const char* name : {"request", "response"}) {
    if (site.contains(name) &&
        std::find(source.names.begin(), source.names.end(), name) == source.names.end()) {
      source.names.push_back(name);
    }
  }
  InterpolationContext ctx = Context(frame);
  ctx.warnings = &out.warnings;
  ctx.script_bindings = &site;
  ScriptBudget budget = options_.script_budget;
  budget.cpu_ms = script.timeout_ms;
  std::vector<std::string> read_back;
  if (request != nullptr && response == nullptr) read_back.push_back("request");
  Result<ScriptOutcome> r = RunScript(source, ctx, budget, read_back);
  if (!r) return failed(std::move(r).error());
  for (auto it = r->set_variables.begin(); it != r->set_variables.end(); ++it) {
    NoteVariable(it.key(), it.value());
    (*frame.runtime)[it.key()] = it.value();
    if (response != nullptr) out.captured[it.key()] = it.value();
  }
  if (request != nullptr && response == nullptr && r->read_back.contains("request")) {
    const Value& changed = r->read_back["request"];
    if (!changed.is_object()) {
      return failed(InvalidArgument("the script left 'request' as " + std::string(TypeName(changed)) +
                                    ", not an object"));
    }
    *request = changed;
  }
  return true;
}

bool Runner::RunCustomAssertions(Frame& frame, const StepSpec& step, const Value& view,
                                 StepOutcome& out) {
  if (step.custom_assertions.empty()) return true;
  const Suite& suite = *frame.suite;
  Value site = Value::object();
  site["status_code"] = view.value("status_code", 0);
  site["status"] = view.value("status_code", 0);
  site["headers"] = view.value("headers", Value::object());
  site["body"] = view.value("body", Value::object());
  site["response_time"] = view.value("duration_ms", 0.0);
  site["response_time_ms"] = view.value("duration_ms", 0.0);
  site["response"] = HookResponse(view);
  InterpolationContext ctx = Context(frame);
  ctx.warnings = &out.warnings;
  ctx.script_bindings = &site;
  for (const CustomCheck& check : step.custom_assertions) {
    AssertionOutcome a;
    a.field = "custom." + check.name;
    a.expected = true;
    a.pointer = check.pointer;
    a.where = suite.document.WhereValue(check.pointer + "/condition");
    Result<ScriptOutcome> r = RunScript(check.source, ctx, options_.script_budget);
    if (!r) {
      const Error& e = r.error();
      if (e.reason != kScriptException && e.reason != kScriptSyntax) {
        // A budget or a sandbox failure is not an assertion result: the step errors.
        Error located = e;
        located.message = "custom assertion '" + check.name + "': " + e.message;
        if (!located.where) located.where = a.where;
        out.status = StepStatus::kError;
        out.error = std::move(located);
        return false;
      }
      a.passed = false;
      a.actual = Value();
      a.message = "error evaluating condition: " + e.message;
    } else {
      a.actual = r->value;
      a.passed = IsJsTruthy(r->value);
      a.message = a.passed ? "OK"
                           : (check.message.empty() ? "custom assertion '" + check.name + "' is false"
                                                    : check.message);
    }
    out.assertions.push_back(std::move(a));
  }
  return true;
}

Result<bool> Runner::EvaluateSkip(Frame& frame, const SkipSpec& skip, const Value* response) {
  bool result = false;
  if (skip.constant) {
    result = *skip.constant;
  } else {
    Value data = MergedVariables(frame, response);
    InterpolationContext ctx = Context(frame);
    if (response != nullptr) ctx.scopes.imported = response;  // {{response.status}}, {{body.x}}
    Result<bool> r = skip.condition->Evaluate(data, ctx);
    if (!r) return Locate(std::move(r).error(), *frame.suite, skip.pointer);
    result = *r;
  }
  return skip.negate ? !result : result;
}

Result<std::int64_t> Runner::DelayMs(Frame& frame, const StepSpec& step) {
  const Suite& suite = *frame.suite;
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
    Result<Value> r = step.delay_template->Render(Context(frame));
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

  s.script.reset();  // the suite's JavaScript global ends with it
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
    if (s.stop_run.empty() &&
        StopsRunOnFailure(suite, options_.required_priorities, options_.fail_fast_on_required)) {
      s.stop_run = "not run: required suite '" + suite.node_id + "' failed";
    }
  }
  s.statuses[s.suite_index] = o.status;
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
      {"secrets", secrets_->Values()},
      {"statuses", StatusesToState(s.statuses)},
      {"stop_run", s.stop_run},
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
        {"cookies", s.cookies.ToValue()},
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
  if (const auto secrets = v.find("secrets"); secrets != v.end() && secrets->is_array()) {
    for (const Value& secret : *secrets) {
      if (secret.is_string()) secrets_->Add(secret.get_ref<const std::string&>());
    }
  }
  s.statuses = StatusesFromState(v.value("statuses", Value::array()), suites_.size());
  s.stop_run = v.value("stop_run", "");
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
    if (cur.contains("cookies")) {
      Result<CookieJar> jar = CookieJar::FromValue(cur["cookies"]);
      if (!jar) return std::move(jar).error();
      s.cookies = std::move(*jar);
    }
    SuiteOutcomeFromState(cur.value("outcome", Value::object()), s.suite);
    s.suite_elapsed_ms = cur.value("elapsed_ms", 0.0);
    s.suite_started_us = ports_.clock->MonotonicUs();
  }
  state_ = std::move(restored);
  return Ok();
}

}  // namespace flow::core
