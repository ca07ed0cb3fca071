// SandboxScriptEngine's process and pool handling, against flow_fake_sandbox_helper (a stand-in
// that speaks the channel protocol but runs no JavaScript) and small shell scripts.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "adapters/script_mozjs/host/sandbox_script_engine.hpp"
#include "adapters/script_mozjs/host/sandbox_test_support.hpp"

namespace flow::adapters::sandbox {
namespace {

using namespace std::chrono_literals;
using core::ScriptCall;
using core::ScriptOutcome;
using core::Value;

SandboxOptions FakeOptions() {
  SandboxOptions options;
  options.helper_executable = FLOW_FAKE_SANDBOX_HELPER_PATH;
  options.helper_args = {};
  options.start_timeout = 5000ms;
  options.wall_margin = 1000ms;
  return options;
}

core::Result<ScriptOutcome> RunCode(core::ScriptSession& session, std::string code,
                                    int cpu_ms = 1000) {
  ScriptCall call;
  call.code = std::move(code);
  call.file = "suite.yaml";
  call.line = 7;
  call.column = 11;
  call.budget.cpu_ms = cpu_ms;
  return session.Run(call);
}

using testing::AsSandbox;
using testing::IsReaped;
using testing::Open;
using testing::OpenDescriptors;

// A shell script as a helper executable, in a fresh temporary directory.
std::string Script(const std::string& name, const std::string& body) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("flow-sandbox-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / name;
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), 0755);
  return path.string();
}

TEST(SandboxHost, NothingStartsBeforeTheFirstSession) {
  SandboxScriptEngine engine(FakeOptions());
  EXPECT_EQ(engine.alive_helpers(), 0);
  auto session = Open(engine);
  ASSERT_TRUE(session);
  EXPECT_EQ(engine.alive_helpers(), 1);
  EXPECT_GT(AsSandbox(*session).helper_pid(), 0);
}

TEST(SandboxHost, ValueComesBackWithItsType) {
  SandboxScriptEngine engine(FakeOptions());
  auto session = Open(engine);
  ASSERT_TRUE(session);
  core::Result<ScriptOutcome> outcome = RunCode(*session, R"(value:{"a":[1,"x"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->type, "object");
  EXPECT_EQ(outcome->value, Value::parse(R"({"a":[1,"x"]})"));
  ScriptCall call;
  call.code = "bind:who";
  call.bindings = Value{{"who", "h\u00e9llo"}};
  core::Result<ScriptOutcome> bound = session->Run(call);
  ASSERT_TRUE(bound);
  EXPECT_EQ(bound->value, "h\u00e9llo");
}

// The helper dies with the thread that spawned it (PR_SET_PDEATHSIG), so the pool must not
// spawn on the caller's thread: sessions are opened on worker threads that come and go.
TEST(SandboxHost, HelperOutlivesTheThreadThatOpenedItsSession) {
  SandboxOptions options = FakeOptions();
  options.helper_args = {"--pdeathsig"};
  SandboxScriptEngine engine(options);
  std::unique_ptr<core::ScriptSession> session;
  std::thread([&] { session = Open(engine); }).join();
  ASSERT_TRUE(session);
  std::this_thread::sleep_for(50ms);
  core::Result<ScriptOutcome> outcome = RunCode(*session, "value:5");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->value, 5);
}

TEST(SandboxHost, ExceptionIsLocatedInTheSuiteWithTheConsoleInTheHint) {
  SandboxScriptEngine engine(FakeOptions());
  auto session = Open(engine);
  ASSERT_TRUE(session);
  core::Result<ScriptOutcome> outcome = RunCode(*session, "throw:1:4:TypeError: a is null");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message, "TypeError: a is null");
  EXPECT_EQ(outcome.error().reason, core::kScriptException);
  EXPECT_EQ(*outcome.error().where,
            (core::SourceSpan{.file = "suite.yaml", .line = 7, .column = 14}));
  EXPECT_NE(outcome.error().hint.find("log: before the throw"), std::string::npos);
  // An exception does not cost the helper.
  const pid_t pid = AsSandbox(*session).helper_pid();
  EXPECT_TRUE(RunCode(*session, "value:1"));
  EXPECT_EQ(AsSandbox(*session).helper_pid(), pid);
}

TEST(SandboxHost, RecycledHelperIsReplacedAtTheNextRun) {
  SandboxScriptEngine engine(FakeOptions());
  auto session = Open(engine);
  ASSERT_TRUE(session);
  ASSERT_TRUE(RunCode(*session, "set:g=1"));
  const pid_t first = AsSandbox(*session).helper_pid();
  core::Result<ScriptOutcome> stopped = RunCode(*session, "cpu");
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().reason, core::kScriptCpuBudget);
  EXPECT_EQ(AsSandbox(*session).helper_pid(), 0);
  EXPECT_TRUE(IsReaped(first));
  core::Result<ScriptOutcome> after = RunCode(*session, "pid");
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_NE(after->value.get<int>(), first);
  // The new helper has a new scope: the old global is gone.
  core::Result<ScriptOutcome> global = RunCode(*session, "get:g");
  ASSERT_TRUE(global);
  EXPECT_TRUE(global->is_undefined);
}

TEST(SandboxHost, KilledHelperFailsTheCallThenTheSessionRecovers) {
  SandboxScriptEngine engine(FakeOptions());
  auto session = Open(engine);
  ASSERT_TRUE(session);
  const pid_t first = AsSandbox(*session).helper_pid();
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  core::Result<ScriptOutcome> failed = RunCode(*session, "value:1");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().reason, core::kScriptHelperFailed);
  EXPECT_EQ(failed.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(failed.error().message.find("was killed by SIGKILL"), std::string::npos)
      << failed.error().message;
  EXPECT_TRUE(IsReaped(first));
  core::Result<ScriptOutcome> again = RunCode(*session, "pid");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_NE(again->value.get<int>(), first);
}

TEST(SandboxHost, CrashNamesTheSignalAndTheHelpersLastWords) {
  SandboxScriptEngine engine(FakeOptions());
  auto session = Open(engine);
  ASSERT_TRUE(session);
  core::Result<ScriptOutcome> crashed = RunCode(*session, "crash");
  ASSERT_FALSE(crashed);
  EXPECT_NE(crashed.error().message.find("was killed by SIGSEGV"), std::string::npos)
      << crashed.error().message;
  EXPECT_NE(crashed.error().message.find("fake helper: about to crash"), std::string::npos)
      << crashed.error().message;
  EXPECT_TRUE(RunCode(*session, "value:2"));
}

TEST(SandboxHost, HelperThatDoesNotAnswerIsStoppedAfterCpuPlusMargin) {
  SandboxOptions options = FakeOptions();
  options.wall_margin = 200ms;
  SandboxScriptEngine engine(options);
  auto session = Open(engine);
  ASSERT_TRUE(session);
  const pid_t first = AsSandbox(*session).helper_pid();
  const auto start = std::chrono::steady_clock::now();
  core::Result<ScriptOutcome> hung = RunCode(*session, "hang", 100);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(hung);
  EXPECT_EQ(hung.error().message,
            "javascript took longer than 300 ms of wall time; the sandbox helper was stopped");
  EXPECT_EQ(hung.error().reason, core::kScriptHelperFailed);
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 3000ms);
  EXPECT_TRUE(IsReaped(first));
  EXPECT_TRUE(RunCode(*session, "value:3"));
}

TEST(SandboxHost, InvalidFrameStopsTheHelper) {
  SandboxScriptEngine engine(FakeOptions());
  auto session = Open(engine);
  ASSERT_TRUE(session);
  const pid_t first = AsSandbox(*session).helper_pid();
  core::Result<ScriptOutcome> bad = RunCode(*session, "garbage");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().reason, core::kScriptHelperFailed);
  EXPECT_NE(bad.error().message.find("invalid reply"), std::string::npos) << bad.error().message;
  EXPECT_TRUE(IsReaped(first));
  EXPECT_TRUE(RunCode(*session, "value:4"));
}

TEST(SandboxHost, SessionsReuseTheHelperWithAFreshGlobal) {
  SandboxScriptEngine engine(FakeOptions());
  pid_t first = 0;
  {
    auto session = Open(engine);
    ASSERT_TRUE(session);
    first = AsSandbox(*session).helper_pid();
    ASSERT_TRUE(RunCode(*session, "set:token=\"abc\""));
    core::Result<ScriptOutcome> seen = RunCode(*session, "get:token");
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->value, "abc");
  }
  EXPECT_EQ(engine.idle_helper_pids(), std::vector<pid_t>{first});
  auto second = Open(engine);
  ASSERT_TRUE(second);
  EXPECT_EQ(AsSandbox(*second).helper_pid(), first);
  core::Result<ScriptOutcome> unseen = RunCode(*second, "get:token");
  ASSERT_TRUE(unseen);
  EXPECT_TRUE(unseen->is_undefined);
}

TEST(SandboxHost, HelperIsReplacedAfterTheConfiguredNumberOfScopes) {
  SandboxOptions options = FakeOptions();
  options.recycle_after_scopes = 2;
  SandboxScriptEngine engine(options);
  pid_t pids[3] = {};
  for (pid_t& pid : pids) {
    auto session = Open(engine);
    ASSERT_TRUE(session);
    pid = AsSandbox(*session).helper_pid();
  }
  EXPECT_EQ(pids[0], pids[1]);
  EXPECT_NE(pids[1], pids[2]);
  EXPECT_TRUE(IsReaped(pids[0]));
}

TEST(SandboxHost, ParallelSessionsNeverExceedMaxHelpers) {
  SandboxOptions options = FakeOptions();
  options.max_helpers = 2;
  options.idle_helpers = 1;
  SandboxScriptEngine engine(options);
  std::atomic<int> holding{0}, most{0}, most_alive{0}, failures{0};
  std::mutex mutex;
  std::set<int> pids;
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        core::Result<std::unique_ptr<core::ScriptSession>> session = engine.OpenSession({});
        if (!session) {
          ++failures;
          continue;
        }
        const int now = ++holding;
        most = std::max(most.load(), now);
        most_alive = std::max(most_alive.load(), engine.alive_helpers());
        core::Result<ScriptOutcome> pid = RunCode(**session, "pid");
        if (!pid)
          ++failures;
        else {
          std::lock_guard lock(mutex);
          pids.insert(pid->value.get<int>());
        }
        std::this_thread::sleep_for(10ms);
        --holding;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_LE(most, 2);
  EXPECT_GE(most, 1);
  EXPECT_LE(most_alive, 2);
  EXPECT_LE(engine.idle_helper_pids().size(), 1u);
  EXPECT_LE(engine.alive_helpers(), 1);
  EXPECT_GE(pids.size(), 1u);
}

TEST(SandboxHost, DestructorReapsEveryChildAndClosesItsDescriptors) {
  const int before = OpenDescriptors();
  std::vector<pid_t> pids;
  {
    SandboxScriptEngine engine(FakeOptions());
    auto a = Open(engine);
    auto b = Open(engine);
    ASSERT_TRUE(a && b);
    pids = {AsSandbox(*a).helper_pid(), AsSandbox(*b).helper_pid()};
    b.reset();  // idle now
    EXPECT_EQ(engine.idle_helper_pids().size(), 1u);
    a.reset();
    EXPECT_EQ(engine.alive_helpers(), 2);
  }
  for (pid_t pid : pids) EXPECT_TRUE(IsReaped(pid)) << pid;
  EXPECT_EQ(OpenDescriptors(), before);
}

TEST(SandboxHost, SessionOutlivingTheEngineFailsCleanly) {
  std::unique_ptr<core::ScriptSession> session;
  pid_t pid = 0;
  {
    SandboxScriptEngine engine(FakeOptions());
    session = Open(engine);
    ASSERT_TRUE(session);
    pid = AsSandbox(*session).helper_pid();
  }
  core::Result<ScriptOutcome> after = RunCode(*session, "value:1");
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().reason, core::kScriptHelperFailed);
  core::Result<ScriptOutcome> again = RunCode(*session, "value:1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "the javascript sandbox is shut down");
  session.reset();
  EXPECT_TRUE(IsReaped(pid));
}

TEST(SandboxHost, MissingExecutableIsNamed) {
  SandboxOptions options = FakeOptions();
  options.helper_executable = "/nonexistent/flowtest-helper";
  SandboxScriptEngine engine(options);
  core::Result<std::unique_ptr<core::ScriptSession>> session = engine.OpenSession({});
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(session.error().reason, core::kScriptHelperFailed);
  EXPECT_EQ(session.error().message,
            "cannot start the javascript sandbox helper '/nonexistent/flowtest-helper': "
            "No such file or directory");
  EXPECT_EQ(engine.alive_helpers(), 0);
}

TEST(SandboxHost, HelperThatNeverSaysReadyTimesOut) {
  SandboxOptions options = FakeOptions();
  options.helper_executable = Script("sleeper.sh", "echo starting >&2\n/bin/sleep 60");
  options.start_timeout = 300ms;
  SandboxScriptEngine engine(options);
  const auto start = std::chrono::steady_clock::now();
  core::Result<std::unique_ptr<core::ScriptSession>> session = engine.OpenSession({});
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().reason, core::kScriptHelperFailed);
  EXPECT_NE(session.error().message.find("'" + options.helper_executable +
                                         "' did not report ready within 300 ms"),
            std::string::npos)
      << session.error().message;
  EXPECT_NE(session.error().message.find("starting"), std::string::npos) << session.error().message;
  EXPECT_LT(took, 3000ms);  // the sleeping grandchild did not keep us waiting
  EXPECT_EQ(engine.alive_helpers(), 0);
}

TEST(SandboxHost, HelperThatSaysReadyThenNeverAnswersTimesOut) {
  SandboxOptions options = FakeOptions();
  options.helper_executable =
      Script("mute.sh", "printf '\\033\\000\\000\\000{\"op\":\"ready\",\"protocol\":1}' >&3\n"
                        "/bin/sleep 60");
  options.start_timeout = 500ms;
  SandboxScriptEngine engine(options);
  core::Result<std::unique_ptr<core::ScriptSession>> session = engine.OpenSession({});
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().message,
            "the javascript sandbox helper did not open a scope within 500 ms and was stopped");
  EXPECT_EQ(engine.alive_helpers(), 0);
}

TEST(SandboxHost, HelperDyingAtStartNamesItsExitCode) {
  SandboxOptions options = FakeOptions();
  options.helper_executable = Script("dies.sh", "echo 'no engine here' >&2\nexit 5");
  SandboxScriptEngine engine(options);
  core::Result<std::unique_ptr<core::ScriptSession>> session = engine.OpenSession({});
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().message,
            "the javascript sandbox helper '" + options.helper_executable +
                "' ended during start-up (it exited with code 5); its stderr ended with: "
                "no engine here");
}

TEST(SandboxHost, HelperGetsOnlyTzAndTheChannel) {
  SandboxOptions options = FakeOptions();
  options.helper_args = {"__sandbox-helper", "--report"};
  SandboxScriptEngine engine(options);
  core::Result<std::unique_ptr<core::ScriptSession>> session = engine.OpenSession({});
  ASSERT_FALSE(session);
  const std::string& message = session.error().message;
  EXPECT_NE(message.find("env=TZ=UTC, fds=0,1,2,3, args=__sandbox-helper --report --parent-pid " +
                         std::to_string(::getpid())),
            std::string::npos)
      << message;
}

TEST(SandboxHost, HelperThatDiesAtItsFirstOpenFailsTheSession) {
  SandboxOptions options = FakeOptions();
  options.helper_args = {"--die-on-open"};
  SandboxScriptEngine engine(options);
  core::Result<std::unique_ptr<core::ScriptSession>> session = engine.OpenSession({});
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().reason, core::kScriptHelperFailed);
  EXPECT_EQ(session.error().message, "the javascript sandbox helper died (it exited with code 7)");
  EXPECT_EQ(engine.alive_helpers(), 0);
}

TEST(SandboxHost, DeadIdleHelperIsReplacedWhenOpening) {
  SandboxScriptEngine engine(FakeOptions());
  pid_t first = 0;
  {
    auto session = Open(engine);
    ASSERT_TRUE(session);
    first = AsSandbox(*session).helper_pid();
  }
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  auto session = Open(engine);
  ASSERT_TRUE(session);
  EXPECT_NE(AsSandbox(*session).helper_pid(), first);
  EXPECT_TRUE(RunCode(*session, "value:1"));
}

// The channel's own cost (no JavaScript runs in the stand-in), printed for the record.
TEST(SandboxHost, ChannelRoundTripCost) {
  SandboxScriptEngine engine(FakeOptions());
  auto session = Open(engine);
  ASSERT_TRUE(session);
  ScriptCall call;
  call.code = "bind:a";
  call.bindings = Value{{"a", 41}};
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(session->Run(call));
  std::vector<double> us;
  for (int i = 0; i < 5000; ++i) {
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(session->Run(call));
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(us.begin(), us.end());
  std::printf("channel round trip (stand-in helper): median %.1f us, p90 %.1f us (n=5000)\n",
              us[us.size() / 2], us[us.size() * 9 / 10]);
  EXPECT_LT(us[us.size() / 2], 2000.0);
}

}  // namespace
}  // namespace flow::adapters::sandbox
