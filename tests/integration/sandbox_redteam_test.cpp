// Red-team suite of the JavaScript sandbox (docs/adr/0004, docs/javascript.md).
//
// Every attack is a suite run through the real core Runner (FakeHttpClient answering 200 JSON, so
// no network) against the real SandboxScriptEngine, whose helpers are `flowtest-sandbox`, the
// executable flowtest starts: the product path. Each attack must be contained: its step fails
// with the exact status and a message naming the cause, nothing crashes or hangs, and a following
// step evaluating ordinary JavaScript still works (the helper was replaced or reused). Attacks the
// static check refuses are asserted as load errors with file:line:col and, where possible, run
// again in a form the check cannot see, to prove the engine contains them too.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "adapters/script_mozjs/host/sandbox_script_engine.hpp"
#include "core/model/suite.hpp"
#include "core/report/aggregated_report.hpp"
#include "core/run/runner.hpp"
#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

using namespace std::chrono_literals;
using adapters::sandbox::SandboxOptions;
using adapters::sandbox::SandboxScriptEngine;
using flow::testing::FakeClock;
using flow::testing::FakeEntropy;
using flow::testing::FakeEnvironment;
using flow::testing::FakeHttpClient;

constexpr const char* kSecretName = "FLOW_REDTEAM_SECRET";
constexpr const char* kSecretValue = "s3cr3t-6d1f0c2a-redteam";
constexpr int kCpuMs = 300;
constexpr int kMemoryMb = 32;

// ---------------------------------------------------------------------------------------------
// Harness

class CollectingSink final : public EventSink {
 public:
  void OnStepFinished(const StepOutcome& step) override { steps.push_back(step); }
  void OnSuiteFinished(const SuiteOutcome& suite) override { suites.push_back(suite); }
  std::vector<StepOutcome> steps;
  std::vector<SuiteOutcome> suites;
};

struct RunResult {
  std::vector<StepOutcome> steps;
  std::vector<SuiteOutcome> suites;
  std::vector<HttpRequest> sent;
  double seconds = 0;

  const StepOutcome* Step(std::string_view node, std::string_view name) const {
    for (const StepOutcome& s : steps) {
      if (s.node_id == node && s.step_name == name) return &s;
    }
    return nullptr;
  }
  // The URL of the first request sent whose URL starts with `prefix`, or "".
  std::string SentUrl(std::string_view prefix) const {
    for (const HttpRequest& r : sent) {
      if (r.url.rfind(prefix, 0) == 0) return r.url;
    }
    return "";
  }
  // Every step outcome and suite outcome as report JSON, for leak checks.
  std::string AllText() const {
    std::string text;
    for (const StepOutcome& s : steps) {
      text += DumpJson(StepToReport(s));
      if (s.error) text += s.error->message + s.error->hint;
      for (const LogEntry& l : s.logs) text += l.message;
    }
    for (const SuiteOutcome& s : suites) text += DumpJson(s.variables) + DumpJson(s.exported);
    for (const HttpRequest& r : sent) text += r.url + r.body;
    return text;
  }
};

HttpResponse JsonReply() {
  HttpResponse r;
  r.status_code = 200;
  r.headers = {{"content-type", "application/json"}};
  r.body = R"({"ok": true, "items": [1, 2, 3], "token": "a.b.c"})";
  r.size_bytes = r.body.size();
  r.timings.total_ms = 3;
  return r;
}

RunOptions DefaultOptions() {
  RunOptions options;
  options.continue_on_failure = true;  // the follow-up steps must run after the attack
  options.script_budget.cpu_ms = kCpuMs;
  options.script_budget.memory_mb = kMemoryMb;
  return options;
}

SandboxOptions ProductOptions() {
  SandboxOptions options;
  options.helper_executable = FLOW_SANDBOX_HELPER;
  options.helper_args = {"__sandbox-helper"};
  options.start_timeout = 20000ms;  // generous: the machine is shared while tests run
  // CPU budgets are CPU time; on a loaded machine a 300 ms loop can take far longer in wall time,
  // and the wall-time kill would then report instead of the budget (tested on its own below).
  options.wall_margin = 5000ms;
  options.max_helpers = 2;
  options.idle_helpers = 2;
  return options;
}

// A suite document: the header, then `steps` (YAML list items indented by two spaces).
std::string SuiteText(std::string_view node, std::string_view steps) {
  std::string text = "suite_name: red team " + std::string(node) + "\nnode_id: " +
                     std::string(node) + "\nsteps:\n";
  text += steps;
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text;
}

// The step every attack is followed by: ordinary JavaScript that must still work.
constexpr std::string_view kFollowUp = R"y(  - name: after
    request:
      method: GET
      url: "http://api.test/after/{{js: 1 + 1}}"
)y";

RunResult RunSuites(ScriptEngine& engine, const std::vector<std::string>& texts,
                    RunOptions options = DefaultOptions()) {
  RunResult result;
  std::vector<Suite> suites;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    SuiteLoad load = LoadSuite(texts[i], "attack" + std::to_string(i) + ".yaml");
    EXPECT_TRUE(load.suite) << (load.errors.empty() ? "no suite" : FormatErrorLine(load.errors[0]))
                            << "\n" << texts[i];
    if (!load.suite) return result;
    suites.push_back(std::move(*load.suite));
  }
  FakeHttpClient http;
  http.reply = JsonReply();
  FakeClock clock;
  FakeEntropy entropy;
  FakeEnvironment env;
  CollectingSink sink;
  std::vector<const Suite*> plan;
  for (const Suite& s : suites) plan.push_back(&s);
  const auto start = std::chrono::steady_clock::now();
  {
    Runner runner(RunnerPorts{.http = &http, .clock = &clock, .entropy = &entropy,
                              .environment = &env, .sink = &sink, .script = &engine},
                  plan, std::move(options), plan.size());
    runner.RunToEnd();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.steps = std::move(sink.steps);
  result.suites = std::move(sink.suites);
  result.sent = std::move(http.sent);
  return result;
}

// The message a failed step reports: its error, or its failed assertions.
std::string FailureText(const StepOutcome& step) {
  std::string text;
  if (step.error) text += step.error->message + " | " + step.error->hint;
  for (const AssertionOutcome& a : step.assertions) {
    if (!a.passed) text += " | " + a.field + ": " + a.message;
  }
  return text;
}

// The follow-up step of suite `node` ran and its ordinary JavaScript gave 2.
void ExpectFollowUpWorks(const RunResult& r, std::string_view node) {
  const StepOutcome* after = r.Step(node, "after");
  ASSERT_NE(after, nullptr) << "the follow-up step of " << node << " was not reported";
  EXPECT_EQ(after->status, StepStatus::kSuccess) << FailureText(*after);
  EXPECT_EQ(r.SentUrl("http://api.test/after/"), "http://api.test/after/2");
}

bool IsReaped(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

// The child processes of this process, from /proc/<pid>/stat (state and ppid after the ')').
struct ChildInfo {
  pid_t pid = 0;
  char state = '?';
  long cpu_ticks = 0;  // utime + stime, in clock ticks
};
std::vector<ChildInfo> Children() {
  std::vector<ChildInfo> out;
  const pid_t self = ::getpid();
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return out;
  while (dirent* entry = ::readdir(proc)) {
    const std::string name = entry->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in("/proc/" + name + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    char state = '?';
    long ppid = 0;
    if (!(rest >> state >> ppid) || ppid != self) continue;
    std::string skipped;
    for (int i = 0; i < 9; ++i) rest >> skipped;  // pgrp ... cmajflt
    long utime = 0, stime = 0;
    rest >> utime >> stime;
    out.push_back({static_cast<pid_t>(std::stol(name)), state, utime + stime});
  }
  ::closedir(proc);
  return out;
}

std::string ReadProcFile(pid_t pid, const std::string& what) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + what, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Waits (up to `limit`) for a child that is not in `before` to have used more than 250 ms of CPU
// and to be running: the helper busy in a long loop (starting one and the warm-up step cost far
// less). 0 when none was seen.
pid_t WaitForBusyNewChild(const std::set<pid_t>& before, std::chrono::milliseconds limit) {
  const long threshold = ::sysconf(_SC_CLK_TCK) / 4;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const ChildInfo& c : Children()) {
      if (!before.count(c.pid) && c.state == 'R' && c.cpu_ticks > threshold) return c.pid;
    }
    std::this_thread::sleep_for(20ms);
  }
  return 0;
}

std::set<pid_t> ChildPids() {
  std::set<pid_t> out;
  for (const ChildInfo& c : Children()) out.insert(c.pid);
  return out;
}

// One engine for the whole suite, as the CLI keeps one for a run: attacks must leave it usable.
class SandboxRedTeam : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // A secret in the host environment: no attack may ever see it.
    ::setenv(kSecretName, kSecretValue, 1);
    engine_ = std::make_unique<SandboxScriptEngine>(ProductOptions());
  }
  static void TearDownTestSuite() {
    engine_.reset();
  }
  static SandboxScriptEngine& Engine() { return *engine_; }

  // Runs one attack step followed by the follow-up step, in suite `node`; the attack step must be
  // named "attack". Returns the run; the caller asserts the attack's outcome.
  static RunResult RunAttack(std::string_view node, std::string_view attack_step) {
    return RunSuites(Engine(), {SuiteText(node, std::string(attack_step) + std::string(kFollowUp))});
  }

  static std::unique_ptr<SandboxScriptEngine> engine_;
};
std::unique_ptr<SandboxScriptEngine> SandboxRedTeam::engine_;

// The attack step of `r` has exactly `status`, its message contains `needle`, the secret appears
// nowhere, and the follow-up step works.
void ExpectContained(const RunResult& r, std::string_view node, StepStatus status,
                     std::string_view needle, std::string_view alternative = {}) {
  const StepOutcome* attack = r.Step(node, "attack");
  ASSERT_NE(attack, nullptr) << "the attack step of " << node << " was not reported";
  EXPECT_EQ(attack->status, status)
      << "status " << StepStatusName(attack->status) << ": " << FailureText(*attack);
  const std::string text = FailureText(*attack);
  const bool named = text.find(needle) != std::string::npos ||
                     (!alternative.empty() && text.find(alternative) != std::string::npos);
  EXPECT_TRUE(named) << "expected '" << needle << "'"
                     << (alternative.empty() ? "" : " or '" + std::string(alternative) + "'")
                     << " in: " << text;
  EXPECT_EQ(r.AllText().find(kSecretValue), std::string::npos);
  ExpectFollowUpWorks(r, node);
}

// ---------------------------------------------------------------------------------------------
// Table of attacks that each fail one step: one parameterised test per attack.

struct Attack {
  const char* name;
  const char* step;     // the YAML list item of the attack step (named "attack")
  StepStatus status;    // kError, or kFailure for custom assertions that throw
  const char* message;  // a substring of the step's error (or failed assertion) message
  const char* alternative = nullptr;  // another accepted substring, when two budgets race
};

void PrintTo(const Attack& a, std::ostream* os) { *os << a.name; }

class SandboxRedTeamAttack : public SandboxRedTeam, public ::testing::WithParamInterface<Attack> {};

const Attack kAttacks[] = {
    // --- CPU: every loop is stopped by the cpu budget, whatever runs it.
    {"WhileTrueInAPreRequestScript", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        while (true) {}
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"ForeverLoopInTryCatchFinally", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        try {
          for (;;) {}
        } catch (e) {
          setVariable('caught', String(e));
        } finally {
          for (;;) { try { throw 1; } catch (e) {} }
        }
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"LoopInAGetterOfTheResult", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: ({ get x() { for (;;) {} } })}}"
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"LoopInToJsonOfTheResult", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/a"
      body:
        v: "{{js: ({ toJSON() { while (true) {} } })}}"
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"LoopInValueOfOfAReturnedNumberObject", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/a"
      body:
        v: "{{$js.const n = new Number(1); n.valueOf = () => { for (;;) {} }; return n;}}"
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"LoopInAPromiseJob", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        Promise.resolve().then(() => { for (;;) {} });
        setVariable('queued', true);
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"SelfReschedulingMicrotasks", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        let n = 0;
        const again = () => { n++; return Promise.resolve().then(again); };
        again();
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"AsyncFunctionThatNeverYields", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: (async () => { await null; for (;;) {} })()}}"
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"ThenableWhoseThenLoops", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: Promise.resolve({ then(ok) { for (;;) {} } })}}"
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"LoopInASortComparator", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: [3, 1, 2].sort(() => { for (;;) {} })}}"
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"CatastrophicRegexBacktracking", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: /(a+)+$/.test('a'.repeat(40) + '!')}}"
)y",
     // Stopped by the regular expression engine's own backtracking limit, in milliseconds.
     StepStatus::kError, "InternalError: too much recursion"},
    {"CatastrophicRegexOverAHugeInput", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: /^(?:[a-z]+ ?)+$/i.test('word '.repeat(2e6) + '!')}}"
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"LoopInASkipCondition", R"y(  - name: attack
    skip: "(() => { for (;;) {} })() || env === 'prod'"
    request: {method: GET, url: "http://api.test/a"}
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"LoopInACustomAssertion", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    assert:
      custom:
        - name: spin
          condition: "return (() => { while (true) {} })()"
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"LoopInAPostRequestScript", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    post_request:
      timeout: 300
      script: |
        for (const x of (function* () { for (;;) yield 1; })()) {}
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"LoopInAFakerArgumentExpression", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{faker.number.int({min: 1, max: (() => { for (;;) {} })()})}}"
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},

    // --- Memory: every bomb is stopped by the memory budget (or refused by the engine's own
    // limits), and the helper is replaced.
    {"ObjectArrayBomb", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        const a = [];
        for (;;) a.push({ index: a.length, text: 'item ' + a.length });
)y",
     StepStatus::kError, "memory budget of 32 MiB exceeded"},
    {"RopeDoublingString", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        let s = 'x';
        for (;;) s += s;
)y",
     // Ropes make doubling cheap; the engine refuses the string length long before memory.
     StepStatus::kError, "InternalError: allocation size overflow"},
    {"FlattenedDoublingString", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        let s = 'ab';
        for (;;) { s = s + s; s.indexOf('z'); }
)y",
     StepStatus::kError, "memory budget of 32 MiB exceeded"},
    {"ManyFlatStrings", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        const keep = [];
        for (let i = 0; ; i++) keep.push(('x' + i).repeat(1 << 16).split('').join(''));
)y",
     StepStatus::kError, "memory budget of 32 MiB exceeded"},
    {"ArrayBufferBurst", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        const keep = [];
        for (;;) { const b = new Uint8Array(8 << 20); b.fill(1); keep.push(b); }
)y",
     StepStatus::kError, "memory budget of 32 MiB exceeded"},
    {"OneHugeTypedArray", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        const big = new Float64Array(1 << 28);
        big.fill(1.5);
        setVariable('n', big.length);
)y",
     StepStatus::kError, "memory budget of 32 MiB exceeded"},
    {"HugeDenseArray", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: new Array(1e8).fill(0).length}}"
)y",
     StepStatus::kError, "memory budget of 32 MiB exceeded"},

    // --- Recursion and nesting.
    {"DeepRecursion", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{$js.const f = (n) => f(n + 1) + 1; return f(0);}}"
)y",
     StepStatus::kError, "too much recursion"},
    {"DeeplyNestedResult", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/a"
      body:
        v: "{{$js.let v = []; for (let i = 0; i < 100000; i++) v = [v]; return v;}}"
)y",
     StepStatus::kError, "InternalError: too much recursion"},
    {"ResultNestedPastTheDepthCap", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/a"
      body:
        v: "{{$js.let v = {}; for (let i = 0; i < 600; i++) v = { v }; return v;}}"
)y",
     StepStatus::kError, "nested deeper than 512 levels"},

    // --- Code generation through the engine, with keys the static check cannot see.
    {"ConstructorConstructorViaVariableKey", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{$js.const k = 'constr' + 'uctor'; const F = (() => 0)[k][k]; return F('return this')();}}"
)y",
     StepStatus::kError, "blocked"},
    {"ArrayConstructorViaJoinedKey", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{$js.const c = ['con', 'struc', 'tor'].join(''); return [][c][c]('return 1')();}}"
)y",
     StepStatus::kError, "EvalError"},
    {"AsyncFunctionConstructor", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        const k = ['constr', 'uctor'].join('');
        const AsyncFunction = Object.getPrototypeOf(async function () {})[k];
        setVariable('r', typeof AsyncFunction('return 1'));
)y",
     StepStatus::kError, "EvalError"},
    {"GeneratorFunctionConstructor", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        const k = 'constr'.concat('uctor');
        const Gen = Object.getPrototypeOf(function* () {})[k];
        setVariable('r', Gen('yield 1')().next().value);
)y",
     StepStatus::kError, "EvalError"},
    {"EvalAliasThroughThis", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{$js.const k = 'ev' + 'al'; return this[k]('1');}}"
)y",
     StepStatus::kError, "EvalError: call to eval() blocked"},
    {"FunctionThroughThisWithAVariableKey", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        const k = 'Func' + 'tion';
        const F = this[k];
        setVariable('r', new F('return 1')());
)y",
     StepStatus::kError, "EvalError"},
    {"IndirectEvalThroughGlobalThisProperty", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{$js.const g = this.globalThis; const k = ['e', 'v', 'a', 'l'].join(''); return (0, g[k])('this');}}"
)y",
     StepStatus::kError, "EvalError"},
    {"FunctionFromABoundMethodChain", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{$js.const k = String.fromCharCode(99, 111, 110, 115, 116, 114, 117, 99, 116, 111, 114); return Math.max[k].call(null, 'return 1')();}}"
)y",
     StepStatus::kError, "blocked"},
    {"CodeGenerationThroughFakerHelpersFake", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: faker.helpers.fake(['{', '{string.', 'constr', 'uctor.', 'constr', 'uctor(\"return 1\")}', '}'].join(''))}}"
)y",
     StepStatus::kError, "Cannot resolve expression"},

    // --- Host access: not there at run time (names the check does not know).
    {"QuickJsOsModule", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: os.system('id')}}"
)y",
     StepStatus::kError, "ReferenceError"},
    {"DenoAndBunGlobals", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: (typeof Deno === 'undefined' && typeof Bun === 'undefined' && typeof std === 'undefined') ? environment.PATH : 'present'}}"
)y",
     StepStatus::kError, "ReferenceError"},
    {"ImportScriptsAndLoad", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        const found = [typeof importScripts, typeof load, typeof read, typeof readline,
                       typeof snarf, typeof os, typeof quit];
        if (found.some((t) => t !== 'undefined')) setVariable('found', found);
        read('/etc/passwd');
)y",
     StepStatus::kError, "ReferenceError"},

    // --- Promises and hostile results.
    {"NeverSettlingPromise", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: new Promise(() => {})}}"
)y",
     StepStatus::kError, "did not settle"},
    {"RejectedPromise", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{js: Promise.reject(new Error('rejected-on-purpose'))}}"
)y",
     StepStatus::kError, "rejected-on-purpose"},
    {"GetterThatThrowsOnTheResult", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/a"
      body:
        v: "{{js: ({ get x() { throw new RangeError('getter-threw') } })}}"
)y",
     StepStatus::kError, "getter-threw"},
    {"CyclicResult", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/a"
      body:
        v: "{{$js.const o = { name: 'loop' }; o.self = o; return o;}}"
)y",
     StepStatus::kError, "cyclic"},
    {"BigIntResult", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/a"
      body:
        v: "{{js: 10n ** 30n}}"
)y",
     StepStatus::kError, "BigInt"},
    {"ResultOverTheOutputCap", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/a"
      body:
        v: "{{js: 'x'.repeat(2 * 1024 * 1024)}}"
)y",
     StepStatus::kError, "larger than 1048576 bytes"},
    {"ToJsonThatGrowsPastTheOutputCap", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/a"
      body:
        v: "{{js: ({ toJSON() { return Array.from({ length: 300000 }, (_, i) => 'item-' + i); } })}}"
)y",
     StepStatus::kError, "larger than 1048576 bytes"},

    // --- setVariable abuse.
    {"SetVariableWithAMegabyteName", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        setVariable('n'.repeat(1 << 20), 1);
)y",
     StepStatus::kError, "longer than 256 bytes"},
    {"SetVariableAMillionTimes", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        for (let i = 0; i < 1e6; i++) setVariable('v' + i, i);
)y",
     StepStatus::kError, "at most 10000 variables"},
    {"SetVariableWithAHugeValue", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        for (let i = 0; i < 8; i++) setVariable('big' + i, 'y'.repeat(200000));
)y",
     StepStatus::kError, "exceed 1048576 bytes"},
    {"SetVariableWithACyclicValue", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        const o = {}; o.o = o;
        setVariable('cyclic', o);
)y",
     StepStatus::kError, "cyclic"},

    // --- Faker path and argument abuse.
    {"FakerModuleThatIsNoModule", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{$faker.seed.call}}"
)y",
     StepStatus::kError, "faker method 'seed.call' does not exist"},
    {"FakerArrayElementOfNothing", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{faker.helpers.arrayElement([])}}"
)y",
     StepStatus::kError, "Cannot get value from empty dataset"},
    {"FakerArrayElementWithALoopingGetter", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{faker.helpers.arrayElement(Object.defineProperty([1], 0, { get() { for (;;) {} } }))}}"
)y",
     StepStatus::kError, "cpu budget of 300 ms exceeded"},
    {"FakerMultipleWithAHugeCount", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/{{faker.helpers.multiple(() => 'x'.repeat(1000), {count: 1e9})}}"
)y",
     StepStatus::kError, "memory budget of 32 MiB exceeded"},
    {"FakerStringOfAHugeLength", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/a"
      body:
        v: "{{faker.string.alpha(100000000)}}"
)y",
     // It allocates as fast as it computes: whichever budget this machine hits first.
     StepStatus::kError, "cpu budget of 300 ms exceeded", "memory budget of 32 MiB exceeded"},

    // --- A custom assertion that throws is an assertion failure, not a crash.
    {"CustomAssertionThatThrows", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    assert:
      custom:
        - name: hostile
          condition: "(() => { throw new TypeError('assertion-threw'); })()"
)y",
     StepStatus::kFailure, "error evaluating condition: TypeError: assertion-threw"},
};

TEST_P(SandboxRedTeamAttack, IsContainedAndTheNextStepWorks) {
  const Attack& attack = GetParam();
  const std::string node = attack.name;
  const RunResult r = RunAttack(node, attack.step);
  ExpectContained(r, node, attack.status, attack.message,
                  attack.alternative == nullptr ? "" : attack.alternative);
  EXPECT_LT(r.seconds, 10.0) << "the attack took too long to stop";
}

INSTANTIATE_TEST_SUITE_P(Attacks, SandboxRedTeamAttack, ::testing::ValuesIn(kAttacks),
                         [](const ::testing::TestParamInfo<Attack>& info) {
                           return std::string(info.param.name);
                         });

// ---------------------------------------------------------------------------------------------
// The static check: refused at load time with file:line:col. The run-time variants of the same
// attacks (keys built in variables, names the check does not know) are in kAttacks.

// The error names the exact place of the refused token: either directly (`where` is the token's
// line and column in the file) or as the place of the code in the file plus the token's position
// inside the code ("(line 2, column 5 of the code)").
::testing::AssertionResult NamesThePlace(const Error& e, int token_line, int token_column,
                                         int code_line, int code_column, const std::string& inside) {
  if (!e.where) return ::testing::AssertionFailure() << "no place: " << e.message;
  if (e.where->file != "refused.yaml") return ::testing::AssertionFailure() << FormatErrorLine(e);
  if (e.where->line == token_line && e.where->column == token_column) {
    return ::testing::AssertionSuccess();
  }
  if (e.where->line == code_line && e.where->column == code_column &&
      e.message.find(inside) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected " << token_line << ":" << token_column << ", or " << code_line << ":"
         << code_column << " with '" << inside << "'; got: " << FormatErrorLine(e);
}

struct Refusal {
  const char* code;     // line 2 of a pre_request script (line 10, column 9 of the file)
  const char* message;  // a substring of the load error
  int code_column;      // 1-based column of the refused token inside the code
};

const Refusal kRefusals[] = {
    {"constructor.constructor('return this')()", "'constructor' is not available", 1},
    {"const f = () => 0; f.constructor.constructor('return this')();", "access to 'constructor'", 22},
    {"[]['constr' + 'uctor'];", "built string", 3},
    {"const k = 'ev' + 'al'; globalThis[k]('1');", "'globalThis' is not available", 24},
    {"globalThis['ev' + 'al']('1');", "'globalThis' is not available", 1},
    {"const e = eval; e('1');", "'eval' is not available", 11},
    {"(0, eval)('1');", "'eval' is not available", 5},
    {"new Function('return 1')();", "'Function' is not available", 5},
    {"const A = (async () => 0).constructor; A('return 1');", "access to 'constructor'", 27},
    {"require('fs').readFileSync('/etc/passwd');", "'require' is not available", 1},
    {"process.env.FLOW_REDTEAM_SECRET;", "'process' is not available", 1},
    {"import('fs').then((fs) => fs.readFileSync('/etc/passwd'));", "'import' is not available", 1},
    {"fetch('http://169.254.169.254/latest/meta-data/');", "'fetch' is not available", 1},
    {"const x = new XMLHttpRequest(); x.open('GET', 'http://example.com');", "'XMLHttpRequest' is not available", 15},
    {"WebAssembly.compile(new Uint8Array([0, 97, 115, 109]));", "'WebAssembly' is not available", 1},
    {"new Worker('data:text/javascript,1');", "'Worker' is not available", 5},
    {"setTimeout('while (true) {}', 0);", "'setTimeout' is not available", 1},
    {"Object.prototype.polluted = 'yes';", "assignment to a prototype is not allowed", 8},
    {"({}).__proto__.polluted = 'yes';", "access to '__proto__'", 6},
    {"const o = { __proto__: Array.prototype };", "'__proto__' is not allowed as an object key", 13},
    {"with (Math) { max(1, 2); }", "'with' statements are not allowed", 1},
    {"const g = globalThis.PATH;", "'globalThis' is not available", 11},
    {"Reflect.construct(Date, []);", "'Reflect' is not available", 1},
    {"new Proxy({}, {});", "'Proxy' is not available", 5},
    {"new SharedArrayBuffer(8);", "'SharedArrayBuffer' is not available", 5},
    {"function f() { return arguments.callee; }", "'arguments.callee' is not allowed", 33},
    {"({}).__defineGetter__('x', () => 1);", "access to '__defineGetter__'", 6},
};

TEST_F(SandboxRedTeam, StaticCheckRefusesTheObviousFormsWithTheirPlace) {
  for (const Refusal& refusal : kRefusals) {
    const std::string text = SuiteText("static", std::string(R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        const ok = 1;
        )y") + refusal.code + "\n");
    SuiteLoad load = LoadSuite(text, "refused.yaml");
    EXPECT_FALSE(load.suite) << refusal.code;
    ASSERT_FALSE(load.errors.empty()) << refusal.code;
    const Error& e = load.errors[0];
    EXPECT_NE(e.message.find(refusal.message), std::string::npos)
        << refusal.code << "\n  got: " << FormatErrorLine(e);
    ASSERT_TRUE(e.where) << refusal.code;
    EXPECT_TRUE(NamesThePlace(e, 10, 8 + refusal.code_column, 8, 15,
                              "(line 2, column " + std::to_string(refusal.code_column) +
                                  " of the code)"))
        << refusal.code;
  }
}

TEST_F(SandboxRedTeam, StaticCheckRefusesATemplateExpressionAtItsColumn) {
  // The same refusal inside a {{js: …}} of a URL points at the token inside the template.
  const std::string text = SuiteText("static", R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/{{js: [].constructor.constructor('return this')()}}"
)y");
  SuiteLoad load = LoadSuite(text, "refused.yaml");
  ASSERT_FALSE(load.suite);
  ASSERT_EQ(load.errors.size(), 1u) << FormatErrorLine(load.errors[0]);
  const Error& e = load.errors[0];
  EXPECT_NE(e.message.find("access to 'constructor' is not allowed"), std::string::npos)
      << FormatErrorLine(e);
  // The first 'constructor': column 34 of line 7, or column 4 of the code in the url at 7:12.
  EXPECT_TRUE(NamesThePlace(e, 7, 34, 7, 12, "(line 1, column 4 of '[].constructor"));
}

// ---------------------------------------------------------------------------------------------
// Isolation between suites and runs on the same engine.

TEST_F(SandboxRedTeam, PrototypePollutionInOneSuiteIsInvisibleToTheNext) {
  const std::string polluter = SuiteText("polluter", R"y(  - name: pollute
    request: {method: GET, url: "http://api.test/pollute"}
    post_request:
      timeout: 300
      script: |
        Object.defineProperty(Object.prototype, 'polluted',
          { value: 'yes', enumerable: true, configurable: true, writable: true });
        const AP = Array.prototype;
        AP.map = function () { return ['hijacked']; };
        JSON.stringify = () => 'hijacked';
        JSON.parse = () => ({ hijacked: true });
        Math.random = () => 0.5;
        const SP = String.prototype;
        SP.toUpperCase = () => 'hijacked';
        this.helper = () => 'hijacked';
  - name: seen
    request:
      method: GET
      url: "http://api.test/seen/{{js: [({}).polluted, [1].map((x) => x)[0], JSON.stringify({ a: 1 }), 'a'.toUpperCase(), Math.random(), helper()].join(',')}}"
)y");
  const std::string clean = SuiteText("clean", std::string(R"y(  - name: check
    request:
      method: POST
      url: "http://api.test/clean"
      body:
        v: '{{js: ({ polluted: typeof ({}).polluted, mapped: [1, 2].map((x) => x * 2), json: JSON.stringify({ a: 1 }), parsed: JSON.parse("{\"b\": 2}"), upper: "a".toUpperCase(), random: Math.random() !== 0.5, helper: typeof this.helper })}}'
)y") + std::string(kFollowUp));
  const RunResult r = RunSuites(Engine(), {polluter, clean});
  ASSERT_EQ(r.steps.size(), 4u);
  ASSERT_EQ(r.steps[0].status, StepStatus::kSuccess) << FailureText(r.steps[0]);
  // The pollution took effect inside its own suite...
  EXPECT_EQ(r.SentUrl("http://api.test/seen/"), "http://api.test/seen/yes,hijacked,hijacked,hijacked,0.5,hijacked");
  // ...and the next suite, on the same engine, has pristine built-ins.
  ASSERT_EQ(r.steps[2].status, StepStatus::kSuccess) << FailureText(r.steps[2]);
  std::string body;
  for (const HttpRequest& sent : r.sent) {
    if (sent.url == "http://api.test/clean") body = sent.body;
  }
  const Value sent = Value::parse(body, nullptr, false);
  EXPECT_EQ(sent, Value::parse(R"({"v": {"polluted": "undefined", "mapped": [2, 4],
                                       "json": "{\"a\":1}", "parsed": {"b": 2},
                                       "upper": "A", "random": true, "helper": "undefined"}})"))
      << body;
  ExpectFollowUpWorks(r, "clean");
}

TEST_F(SandboxRedTeam, GlobalsSetInOneRunAreInvisibleToTheNextRun) {
  const std::string first = SuiteText("first", R"y(  - name: set
    request: {method: GET, url: "http://api.test/set"}
    pre_request:
      timeout: 300
      script: |
        Math.leak = 'run-one';
        console.leak = 'run-one';
        faker.leak = 'run-one';
        crypto.leak = 'run-one';
        this.leak = 'run-one';
        Object.defineProperty(Object.prototype, 'leak', { value: 'run-one', configurable: true });
  - name: seen
    request:
      method: GET
      url: "http://api.test/seen/{{js: [Math.leak, console.leak, faker.leak, crypto.leak, ({}).leak, leak].join(',')}}"
)y");
  const RunResult one = RunSuites(Engine(), {first});
  ASSERT_EQ(one.steps.size(), 2u);
  EXPECT_EQ(one.steps[0].status, StepStatus::kSuccess) << FailureText(one.steps[0]);
  EXPECT_EQ(one.SentUrl("http://api.test/seen/"),
            "http://api.test/seen/run-one,run-one,run-one,run-one,run-one,run-one");
  const std::vector<pid_t> idle_after_one = Engine().idle_helper_pids();
  ASSERT_FALSE(idle_after_one.empty());

  const std::string second = SuiteText("second", std::string(R"y(  - name: look
    request:
      method: GET
      url: "http://api.test/look/{{js: [typeof Math.leak, typeof console.leak, typeof faker.leak, typeof crypto.leak, typeof ({}).leak, typeof this.leak].join(',')}}"
)y") + std::string(kFollowUp));
  const RunResult two = RunSuites(Engine(), {second});
  ASSERT_EQ(two.steps.size(), 2u);
  EXPECT_EQ(two.steps[0].status, StepStatus::kSuccess) << FailureText(two.steps[0]);
  EXPECT_EQ(two.SentUrl("http://api.test/look/"),
            "http://api.test/look/undefined,undefined,undefined,undefined,undefined,undefined");
  ExpectFollowUpWorks(two, "second");
  // The isolation comes from a fresh global, not from a fresh process: the helper was reused.
  const std::vector<pid_t> idle_after_two = Engine().idle_helper_pids();
  const bool reused = std::any_of(idle_after_one.begin(), idle_after_one.end(), [&](pid_t p) {
    return std::find(idle_after_two.begin(), idle_after_two.end(), p) != idle_after_two.end();
  });
  EXPECT_TRUE(reused);
}

TEST_F(SandboxRedTeam, SetVariableNamedProtoPollutesNothing) {
  const std::string text = SuiteText("proto", std::string(R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        setVariable('__proto__', { polluted: 'yes' });
        setVariable('constructor', { prototype: { polluted: 'yes' } });
  - name: look
    request:
      method: GET
      url: "http://api.test/look/{{js: [typeof ({}).polluted, typeof variables.polluted, typeof [].polluted].join(',')}}"
)y") + std::string(kFollowUp));
  const RunResult r = RunSuites(Engine(), {text});
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[0].status, StepStatus::kSuccess) << FailureText(r.steps[0]);
  EXPECT_EQ(r.steps[1].status, StepStatus::kSuccess) << FailureText(r.steps[1]);
  EXPECT_EQ(r.SentUrl("http://api.test/look/"), "http://api.test/look/undefined,undefined,undefined");
  ExpectFollowUpWorks(r, "proto");
}

// ---------------------------------------------------------------------------------------------
// Hostile results that are contained without failing: capped, dropped or typed.

TEST_F(SandboxRedTeam, ConsoleFloodIsCapped) {
  const RunResult r = RunAttack("flood", R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        for (let i = 0; i < 100000; i++) console.log('flood line ' + i);
        console.error('e'.repeat(10 << 20));
)y");
  const StepOutcome* attack = r.Step("flood", "attack");
  ASSERT_NE(attack, nullptr);
  EXPECT_EQ(attack->status, StepStatus::kSuccess) << FailureText(*attack);
  std::size_t bytes = 0;
  for (const LogEntry& l : attack->logs) bytes += l.message.size();
  EXPECT_LE(attack->logs.size(), 1001u);
  EXPECT_GE(attack->logs.size(), 10u);
  EXPECT_LE(bytes, (64u << 10) + 64u);
  ASSERT_FALSE(attack->logs.empty());
  EXPECT_EQ(attack->logs.front().message, "flood line 0");
  EXPECT_NE(attack->logs.back().message.find("truncated"), std::string::npos)
      << attack->logs.back().message;
  ExpectFollowUpWorks(r, "flood");
}

TEST_F(SandboxRedTeam, SymbolFunctionAndThenableResultsAreData) {
  const RunResult r = RunAttack("odd", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/odd"
      body:
        symbol: "{{js: Symbol('s')}}"
        function: "{{js: () => 1}}"
        thenable: "{{js: ({ then(ok) { ok('called'); } })}}"
        adopted: "{{js: (async () => ({ then(ok) { ok('adopted'); } }))()}}"
)y");
  const StepOutcome* attack = r.Step("odd", "attack");
  ASSERT_NE(attack, nullptr);
  EXPECT_EQ(attack->status, StepStatus::kSuccess) << FailureText(*attack);
  std::string body;
  for (const HttpRequest& sent : r.sent) {
    if (sent.url == "http://api.test/odd") body = sent.body;
  }
  // A symbol or a function has no JSON form: null. A plain thenable is an object whose `then`
  // is never called; an async function's thenable is adopted.
  EXPECT_EQ(Value::parse(body, nullptr, false),
            Value::parse(R"({"symbol": null, "function": null, "thenable": {}, "adopted": "adopted"})"))
      << body;
  ExpectFollowUpWorks(r, "odd");
}

TEST_F(SandboxRedTeam, FakerPrototypePathsAreRefused) {
  const char* const kPaths[] = {
      "{{faker.constructor.constructor}}",
      "{{faker.__proto__.x}}",
      "{{$faker.helpers.constructor}}",
      "{{$faker.__proto__.constructor}}",
      "{{$faker.person.__proto__}}",
      "{{$faker.helpers.prototype}}",
  };
  for (const char* path : kPaths) {
    const std::string text = SuiteText("fakerpath", std::string(R"y(  - name: attack
    request:
      method: GET
      url: "http://api.test/a/)y") + path + "\"\n" + std::string(kFollowUp));
    SuiteLoad load = LoadSuite(text, "faker.yaml");
    if (!load.suite) {
      // Refused at load: it must say where.
      ASSERT_FALSE(load.errors.empty());
      EXPECT_TRUE(load.errors[0].where) << path;
      if (load.errors[0].where) {
        EXPECT_EQ(load.errors[0].where->line, 7) << path;
      }
      continue;
    }
    const RunResult r = RunSuites(Engine(), {text});
    SCOPED_TRACE(path);
    ExpectContained(r, "fakerpath", StepStatus::kError, "is not allowed");
  }
}

TEST_F(SandboxRedTeam, HostEnvironmentIsNeverVisible) {
  const RunResult r = RunAttack("env", R"y(  - name: attack
    request:
      method: POST
      url: "http://api.test/env"
      body:
        zone: "{{js: Intl.DateTimeFormat().resolvedOptions().timeZone}}"
        offset: "{{js: new Date(0).getTimezoneOffset()}}"
        names: "{{js: [Math, JSON, Intl, console, crypto, Buffer, faker, Date, Object].map((o) => Object.getOwnPropertyNames(o).join(' ')).join(' ')}}"
        stack: "{{js: new Error('where').stack}}"
        probes: "{{js: [typeof os, typeof std, typeof environment, typeof env, typeof getenv, typeof Deno, typeof Bun, typeof importScripts, typeof read, typeof load].join(',')}}"
        through_this: "{{js: [this.PATH, this.HOME, this.FLOW_REDTEAM_SECRET, this.environment]}}"
        host_names: "{{js: ['require', 'process', 'fetch', 'XMLHttpRequest', 'WebAssembly', 'Worker', 'os', 'setTimeout', 'setInterval', 'setImmediate', 'module', 'exports', 'global', 'window', 'self', 'Deno', 'Bun', 'std', 'environment', 'importScripts', 'load', 'read', 'print', 'quit', 'gc', 'uneval', 'SharedArrayBuffer', 'Atomics', 'WebSocket', 'Request', 'navigator', 'location', '__flowFaker'].filter((n) => n in this)}}"
        globals: "{{js: Object.getOwnPropertyNames(this).join(' ')}}"
)y");
  const StepOutcome* attack = r.Step("env", "attack");
  ASSERT_NE(attack, nullptr);
  EXPECT_EQ(attack->status, StepStatus::kSuccess) << FailureText(*attack);
  std::string body;
  for (const HttpRequest& sent : r.sent) {
    if (sent.url == "http://api.test/env") body = sent.body;
  }
  const Value sent = Value::parse(body, nullptr, false);
  ASSERT_TRUE(sent.is_object()) << body;
  EXPECT_EQ(sent.value("zone", ""), "UTC");
  EXPECT_EQ(sent.value("offset", -1), 0);
  EXPECT_EQ(sent.value("probes", ""),
            "undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,"
            "undefined,undefined");
  EXPECT_EQ(sent.value("through_this", Value()), Value::parse("[null, null, null, null]"));
  EXPECT_EQ(sent.value("host_names", Value()), Value::array()) << body;
  EXPECT_NE(sent.value("globals", "").find("setVariable"), std::string::npos) << body;
  EXPECT_EQ(body.find(kSecretValue), std::string::npos);
  EXPECT_EQ(body.find(kSecretName), std::string::npos);
  EXPECT_EQ(r.AllText().find(kSecretValue), std::string::npos);
  ExpectFollowUpWorks(r, "env");
}

// ---------------------------------------------------------------------------------------------
// Process-level guarantees, observed from the parent. Each uses its own engine, so the helpers it
// looks at are its own.

// Runs `suite` on `engine` while a watcher thread waits for a new helper to be busy and sends it
// `signal`; returns the run and the pid signalled (0 when none was found).
std::pair<RunResult, pid_t> RunAndSignalBusyHelper(SandboxScriptEngine& engine,
                                                   const std::string& suite, int signal) {
  const std::set<pid_t> before = ChildPids();
  std::atomic<pid_t> signalled{0};
  std::thread watcher([&] {
    const pid_t busy = WaitForBusyNewChild(before, 8000ms);
    if (busy != 0 && ::kill(busy, signal) == 0) signalled = busy;
  });
  RunResult r = RunSuites(engine, {suite});
  watcher.join();
  return {std::move(r), signalled.load()};
}

constexpr std::string_view kLongLoop = R"y(  - name: warm
    request: {method: GET, url: "http://api.test/warm/{{js: 40 + 2}}"}
  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 15000
      script: |
        for (;;) {}
)y";

TEST(SandboxRedTeamProcess, KillingTheHelperDuringALoopFailsThatStepAndTheNextWorks) {
  SandboxScriptEngine engine(ProductOptions());
  const auto start = std::chrono::steady_clock::now();
  auto [r, pid] = RunAndSignalBusyHelper(
      engine, SuiteText("kill", std::string(kLongLoop) + std::string(kFollowUp)), SIGKILL);
  ASSERT_NE(pid, 0) << "no busy helper was found to kill";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  ExpectContained(r, "kill", StepStatus::kError, "sandbox helper");
  const StepOutcome* attack = r.Step("kill", "attack");
  ASSERT_NE(attack, nullptr);
  ASSERT_TRUE(attack->error);
  EXPECT_EQ(attack->error->reason, kScriptHelperFailed);
  EXPECT_TRUE(IsReaped(pid));
}

TEST(SandboxRedTeamProcess, AStoppedHelperIsKilledAfterItsWallTime) {
  SandboxOptions options = ProductOptions();
  options.wall_margin = 300ms;
  SandboxScriptEngine engine(options);
  const std::string loop = R"y(  - name: warm
    request: {method: GET, url: "http://api.test/warm/{{js: 40 + 2}}"}
  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 1500
      script: |
        for (;;) {}
)y";
  const auto start = std::chrono::steady_clock::now();
  auto [r, pid] = RunAndSignalBusyHelper(engine, SuiteText("stop", loop + std::string(kFollowUp)),
                                         SIGSTOP);
  ASSERT_NE(pid, 0) << "no busy helper was found to stop";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  ExpectContained(r, "stop", StepStatus::kError, "wall time");
  const StepOutcome* attack = r.Step("stop", "attack");
  ASSERT_NE(attack, nullptr);
  ASSERT_TRUE(attack->error);
  EXPECT_NE(attack->error->message.find("sandbox helper"), std::string::npos)
      << attack->error->message;
  EXPECT_TRUE(IsReaped(pid));
}

TEST(SandboxRedTeamProcess, ABudgetKillReplacesTheHelperAndReapsTheOldOne) {
  SandboxScriptEngine engine(ProductOptions());
  const RunResult warm = RunSuites(engine, {SuiteText("warm", kFollowUp)});
  ExpectFollowUpWorks(warm, "warm");
  const std::vector<pid_t> idle = engine.idle_helper_pids();
  ASSERT_EQ(idle.size(), 1u);
  const RunResult r = RunSuites(engine, {SuiteText("budget", std::string(R"y(  - name: attack
    request: {method: GET, url: "http://api.test/a"}
    pre_request:
      timeout: 300
      script: |
        for (;;) {}
)y") + std::string(kFollowUp))});
  ExpectContained(r, "budget", StepStatus::kError, "cpu budget of 300 ms exceeded");
  EXPECT_TRUE(IsReaped(idle[0])) << "the helper stopped by a budget was not reaped";
  const std::vector<pid_t> now = engine.idle_helper_pids();
  ASSERT_EQ(now.size(), 1u);
  EXPECT_NE(now[0], idle[0]);
}

// An idle helper of a fresh engine that ran one suite.
pid_t IdleHelper(SandboxScriptEngine& engine) {
  const RunResult warm = RunSuites(engine, {SuiteText("warm", kFollowUp)});
  ExpectFollowUpWorks(warm, "warm");
  const std::vector<pid_t> idle = engine.idle_helper_pids();
  return idle.size() == 1 ? idle[0] : 0;
}

std::string StatusField(const std::string& status, const std::string& field) {
  std::istringstream in(status);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::string value = line.substr(field.size() + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  }
  return "";
}

TEST(SandboxRedTeamProcess, TheHelperIsFlowtestSandboxUnderSeccompWithNoNewPrivileges) {
  SandboxScriptEngine engine(ProductOptions());
  const pid_t pid = IdleHelper(engine);
  ASSERT_NE(pid, 0);
  const std::string status = ReadProcFile(pid, "status");
  EXPECT_EQ(StatusField(status, "NoNewPrivs"), "1") << status;
  EXPECT_EQ(StatusField(status, "Seccomp"), "2") << status;  // filter mode
  const std::string cmdline = ReadProcFile(pid, "cmdline");
  EXPECT_NE(cmdline.find("__sandbox-helper"), std::string::npos) << cmdline;
  char exe[4096] = {};
  const ssize_t n = ::readlink(("/proc/" + std::to_string(pid) + "/exe").c_str(), exe, sizeof exe - 1);
  if (n > 0) {
    EXPECT_EQ(std::string(exe, static_cast<std::size_t>(n)),
              std::filesystem::canonical(FLOW_SANDBOX_HELPER).string());
  }
}

TEST(SandboxRedTeamProcess, TheHelperEnvironmentHoldsNoSecret) {
  ::setenv(kSecretName, kSecretValue, 1);
  SandboxScriptEngine engine(ProductOptions());
  const pid_t pid = IdleHelper(engine);
  ASSERT_NE(pid, 0);
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  ASSERT_TRUE(in) << "cannot open the helper's environ";
  const std::string environ((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(environ.find(kSecretValue), std::string::npos);
  std::vector<std::string> entries;
  std::istringstream split(environ);
  std::string entry;
  while (std::getline(split, entry, '\0')) {
    if (!entry.empty()) entries.push_back(entry);
  }
  // Only the time zone, as documented: nothing of the parent's environment.
  EXPECT_EQ(entries, std::vector<std::string>{"TZ=UTC"});
}

TEST(SandboxRedTeamProcess, TheHelperHasTightResourceLimits) {
  SandboxScriptEngine engine(ProductOptions());
  const pid_t pid = IdleHelper(engine);
  ASSERT_NE(pid, 0);
  const std::string limits = ReadProcFile(pid, "limits");
  const auto soft = [&](const std::string& name) {
    const std::size_t at = limits.find(name);
    if (at == std::string::npos) return std::string("?");
    std::istringstream row(limits.substr(at + name.size()));
    std::string value;
    row >> value;
    return value;
  };
  EXPECT_EQ(soft("Max file size"), "0") << limits;
  EXPECT_EQ(soft("Max core file size"), "0") << limits;
  EXPECT_EQ(soft("Max open files"), "16") << limits;
  EXPECT_NE(soft("Max data size"), "unlimited") << limits;
  EXPECT_NE(soft("Max address space"), "unlimited") << limits;
  EXPECT_NE(soft("Max cpu time"), "unlimited") << limits;
}

TEST(SandboxRedTeamProcess, TheHelperHoldsOnlyItsChannelAndStandardDescriptors) {
  SandboxScriptEngine engine(ProductOptions());
  const pid_t pid = IdleHelper(engine);
  ASSERT_NE(pid, 0);
  std::vector<std::string> targets;
  std::error_code ec;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    std::error_code link_ec;
    targets.push_back(fd.path().filename().string() + " -> " +
                      std::filesystem::read_symlink(fd.path(), link_ec).string());
  }
  ASSERT_FALSE(ec) << ec.message();
  std::string all;
  for (const std::string& t : targets) all += t + "\n";
  EXPECT_LE(targets.size(), 5u) << all;  // stdin, stdout, stderr pipe, the channel, maybe one more
  for (const std::string& t : targets) {
    const bool file = t.find(" -> /") != std::string::npos && t.find(" -> /dev/null") == std::string::npos;
    EXPECT_FALSE(file) << "a file is open in the helper: " << t;
  }
}

TEST(SandboxRedTeamProcess, DestroyingTheEngineReapsEveryHelper) {
  std::vector<pid_t> pids;
  {
    SandboxScriptEngine engine(ProductOptions());
    const std::set<pid_t> before = ChildPids();
    const RunResult r = RunSuites(engine, {SuiteText("a", kFollowUp), SuiteText("b", kFollowUp)});
    ExpectFollowUpWorks(r, "b");
    for (pid_t p : ChildPids()) {
      if (!before.count(p)) pids.push_back(p);
    }
    ASSERT_FALSE(pids.empty());
  }
  for (pid_t p : pids) EXPECT_TRUE(IsReaped(p)) << p;
}

}  // namespace
}  // namespace flow::core
