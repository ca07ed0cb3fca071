// flow_js_sandbox_bench HELPER [RENDERS] [STARTS]: what JavaScript and faker cost through the
// real sandbox (docs/adr/0004), with HELPER (`HELPER __sandbox-helper`) as the helper: the
// `flowtest-sandbox` that flowtest uses when it sits beside it, or flowtest itself.
//
//  1. A `{{js: a + b * 2}}` template render through a SandboxScriptEngine session, IPC included:
//     median and p90 of RENDERS renders (default 5000) after RENDERS / 10 warm-up; target < 50 µs.
//  2. The same for `{{$faker.person.firstName}}` (target < 50 µs).
//  3. The floor: the same render of a plain `{{a}}` (no JavaScript, no IPC).
//     Then the parts of the JavaScript render: the session's Run without the template, the
//     parent's encoding and decoding of the messages, and a bare round trip of a frame of the same
//     size between two processes over a socketpair (the kernel's part of the IPC). All these rows
//     are sampled round-robin, so a change in the machine's load weighs on all of them alike.
//     And the JavaScript render after the helper sat idle for 1 ms, as between the steps of a run.
//  4. Helper start (spawn to ready: the first OpenSession on a fresh engine minus the scope) and
//     a fresh global (OpenSession on a warm pool: a new scope with faker instantiated), medians
//     over STARTS (default 20) each; both targets < 10 ms. Then the parts of a start, from
//     HelperProcess directly: spawn, the helper's own start-up time, a whole HELPER process that
//     exits at once (exec and dynamic linking), the CPU time of one helper, and the open of a scope.
//
// It prints numbers and "ok" / "MISSED"; a missed target is not a failure (exit 0). A failure of
// the sandbox itself (no helper, a wrong result) exits 1.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/script_mozjs/host/helper_process.hpp"
#include "adapters/script_mozjs/host/sandbox_messages.hpp"
#include "adapters/script_mozjs/host/sandbox_options.hpp"
#include "adapters/script_mozjs/host/sandbox_script_engine.hpp"
#include "adapters/script_mozjs/protocol.hpp"
#include "core/ports/script_engine.hpp"
#include "core/template/template.hpp"
#include "core/value.hpp"

namespace {

namespace core = flow::core;
namespace sb = flow::adapters::sandbox;
using Clock = std::chrono::steady_clock;

constexpr double kExpressionTargetUs = 50;
constexpr double kStartTargetMs = 10;
constexpr int kIdleRenders = 500;

double MicrosSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

struct Stats {
  double median = 0;
  double p90 = 0;
};

Stats Summarize(std::vector<double> samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  return {.median = samples[samples.size() / 2], .p90 = samples[samples.size() * 9 / 10]};
}

const char* Verdict(double value, double target) { return value < target ? "ok" : "MISSED"; }

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "flow_js_sandbox_bench: %s\n", what.c_str());
  std::exit(1);
}

// Times each of `bodies` `count` times after `warmup` untimed runs, round-robin, so a change in
// the machine's load weighs on all of them alike; a body returns false on a failure.
std::vector<std::vector<double>> Sample(int warmup, int count,
                                        const std::vector<std::function<bool()>>& bodies) {
  for (int i = 0; i < warmup; ++i) {
    for (const auto& body : bodies) {
      if (!body()) Die("a warm-up run failed");
    }
  }
  std::vector<std::vector<double>> us(bodies.size());
  for (auto& samples : us) samples.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    for (std::size_t b = 0; b < bodies.size(); ++b) {
      const Clock::time_point start = Clock::now();
      const bool ok = bodies[b]();
      us[b].push_back(MicrosSince(start));
      if (!ok) Die("a timed run failed");
    }
  }
  return us;
}

// The kernel's part of one exchange: an echo process forked before any thread exists, to which a
// frame goes and from which it comes back over a SOCK_STREAM socketpair, with the sandbox's
// framing. The destructor ends it.
class EchoProcess {
 public:
  EchoProcess() {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) Die("socketpair failed");
    pid_ = fork();
    if (pid_ < 0) Die("fork failed");
    if (pid_ == 0) {
      close(fds[0]);
      while (true) {
        core::Result<std::string> frame = sb::ReadFrame(fds[1], sb::kMaxRequestBytes);
        if (!frame || !sb::WriteFrame(fds[1], *frame)) _exit(0);
      }
    }
    close(fds[1]);
    fd_ = fds[0];
  }
  ~EchoProcess() {
    close(fd_);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  EchoProcess(const EchoProcess&) = delete;
  EchoProcess& operator=(const EchoProcess&) = delete;

  bool RoundTrip(const std::string& frame) const {
    if (!sb::WriteFrame(fd_, frame)) return false;
    core::Result<std::string> echo = sb::ReadFrame(fd_, sb::kMaxReplyBytes);
    return echo && echo->size() == frame.size();
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
};

// User + system CPU time of the reaped children so far.
double ChildrenCpuMs() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  const auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// Wall time of a whole `FLOWTEST ARG` process (exec, dynamic linking of SpiderMonkey, exit).
double TimeProcessMs(const std::string& flowtest, const char* arg) {
  const Clock::time_point t0 = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    execl(flowtest.c_str(), flowtest.c_str(), arg, static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return MicrosSince(t0) / 1000;
}

core::Template ParseOrDie(const std::string& text) {
  core::Result<core::Template> parsed = core::Template::Parse(text);
  if (!parsed) Die("cannot parse " + text + ": " + parsed.error().message);
  return std::move(parsed).value();
}

std::unique_ptr<core::ScriptSession> OpenOrDie(sb::SandboxScriptEngine& engine) {
  core::Result<std::unique_ptr<core::ScriptSession>> session =
      engine.OpenSession(core::ScriptSessionOptions{});
  if (!session) Die("cannot open a sandbox session: " + session.error().message);
  return std::move(session).value();
}

sb::SandboxOptions OptionsFor(const std::string& flowtest) {
  sb::SandboxOptions options;
  options.helper_executable = flowtest;
  options.helper_args = {"__sandbox-helper"};
  return options;
}

void PrintRow(const char* what, const Stats& s, std::optional<double> target_us) {
  std::printf("  %-36s median %7.2f µs   p90 %7.2f µs", what, s.median, s.p90);
  if (target_us)
    std::printf("   (target < %.0f µs: %s)", *target_us, Verdict(s.median, *target_us));
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: flow_js_sandbox_bench HELPER [RENDERS=5000] [STARTS=20]\n");
    return 2;
  }
  const std::string flowtest = argv[1];
  const int renders = argc > 2 ? std::max(10, std::atoi(argv[2])) : 5000;
  const int starts = argc > 3 ? std::max(2, std::atoi(argv[3])) : 20;
  const int warmup = std::max(1, renders / 10);
  if (access(flowtest.c_str(), X_OK) != 0) Die(flowtest + " is not an executable");

  // The JavaScript call the template makes, as the session sends it.
  core::ScriptCall js_call;
  js_call.kind = core::ScriptCallKind::kExpression;
  js_call.code = "a + b * 2";
  js_call.bindings = core::Value{{"a", 1}, {"b", 2}};
  core::Result<std::string> js_request = sb::BuildEvalRequest(js_call);
  if (!js_request) Die("cannot build the eval request: " + js_request.error().message);
  const std::string js_reply_text =  // what the helper answers to it
      R"({"ok":true,"type":"number","value":5,"undefined":false,)"
      R"("set":{},"read_back":{},"console":[]})";

  // Before any thread: fork is safe only now.
  const EchoProcess echo;

  // 1-3: renders through one session, with the parts of the JavaScript render interleaved.
  sb::SandboxScriptEngine engine(OptionsFor(flowtest));
  std::unique_ptr<core::ScriptSession> session = OpenOrDie(engine);
  const core::Value vars = {{"a", 1}, {"b", 2}};
  core::InterpolationContext ctx;
  ctx.scopes.runtime = &vars;
  ctx.script = session.get();

  const core::Template js = ParseOrDie("{{js: a + b * 2}}");
  const core::Template faker = ParseOrDie("{{$faker.person.firstName}}");
  const core::Template plain = ParseOrDie("{{a}}");
  const auto render_is = [&ctx](const core::Template& t,
                                std::function<bool(const core::Value&)> ok) {
    return std::function<bool()>([&t, &ctx, ok = std::move(ok)] {
      core::Result<core::Value> v = t.Render(ctx);
      if (!v) Die("render of " + t.source() + " failed: " + v.error().message);
      return ok(*v);
    });
  };
  const std::vector<std::vector<double>> samples =
      Sample(warmup, renders,
             {
                 render_is(js, [](const core::Value& v) { return v == 5; }),
                 render_is(faker,
                           [](const core::Value& v) {
                             return v.is_string() && !v.get_ref<const std::string&>().empty();
                           }),
                 render_is(plain, [](const core::Value& v) { return v == 1; }),
                 [&] {
                   core::Result<core::ScriptOutcome> out = session->Run(js_call);
                   if (!out) Die("run failed: " + out.error().message);
                   return out->value == 5;
                 },
                 [&] {
                   core::Result<std::string> request = sb::BuildEvalRequest(js_call);
                   sb::EvalReply reply = sb::ParseEvalReply(js_reply_text, js_call);
                   return request && reply.outcome && reply.outcome->value == 5;
                 },
                 [&] { return echo.RoundTrip(*js_request); },
             });
  const Stats js_render = Summarize(samples[0]);
  const Stats faker_render = Summarize(samples[1]);
  const Stats plain_render = Summarize(samples[2]);
  const Stats js_run = Summarize(samples[3]);
  const Stats codec = Summarize(samples[4]);
  const Stats socket_trip = Summarize(samples[5]);
  // As in a run, where an HTTP exchange lies between two sandbox calls: the same render after the
  // helper sat idle for 1 ms (the idle time is not counted).
  std::vector<double> idle_us;
  for (int i = 0; i < kIdleRenders; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const Clock::time_point t0 = Clock::now();
    core::Result<core::Value> v = js.Render(ctx);
    idle_us.push_back(MicrosSince(t0));
    if (!v || *v != 5) Die("render of " + js.source() + " failed after an idle time");
  }
  const Stats js_after_idle = Summarize(idle_us);
  session.reset();

  if (std::FILE* load = std::fopen("/proc/loadavg", "r")) {
    char line[128] = {};
    if (std::fgets(line, sizeof line, load) != nullptr) std::printf("load average: %s", line);
    std::fclose(load);
  }
  std::printf(
      "per-expression cost, template render through a SandboxScriptEngine session\n"
      "(%d renders after %d warm-up, all rows interleaved; IPC included):\n",
      renders, warmup);
  PrintRow("{{js: a + b * 2}}", js_render, kExpressionTargetUs);
  PrintRow("{{$faker.person.firstName}}", faker_render, kExpressionTargetUs);
  PrintRow("{{a}}  (floor: no JavaScript)", plain_render, std::nullopt);
  PrintRow("{{js: a + b * 2}} after 1 ms idle", js_after_idle, std::nullopt);
  std::printf("parts of the JavaScript render:\n");
  PrintRow("session Run, no template", js_run, std::nullopt);
  PrintRow("parent: encode request + parse reply", codec, std::nullopt);
  PrintRow("socketpair round trip, bare", socket_trip, std::nullopt);
  std::printf("  %-36s median %7.2f µs   (Run - codec - round trip)\n",
              "helper: decode, eval, encode", js_run.median - codec.median - socket_trip.median);

  // 4a: helper start = first OpenSession on a fresh engine minus the scope (the second one),
  // alternating with 4c, the parts of a start with HelperProcess directly, so that the load of
  // the machine weighs on both alike.
  std::vector<double> first_ms, scope_ms, start_ms;
  std::vector<double> spawn_ms, ready_ms, helper_start_ms, open_direct_ms, open_helper_ms;
  std::vector<double> helper_cpu_ms, exec_ms;
  core::Result<std::string> open_request = sb::BuildOpenRequest(core::ScriptSessionOptions{});
  if (!open_request) Die("cannot build the open request: " + open_request.error().message);
  for (int i = 0; i < starts; ++i) {
    {
      sb::SandboxScriptEngine fresh(OptionsFor(flowtest));
      Clock::time_point t0 = Clock::now();
      std::unique_ptr<core::ScriptSession> s = OpenOrDie(fresh);
      const double first = MicrosSince(t0) / 1000;
      s.reset();
      t0 = Clock::now();
      s = OpenOrDie(fresh);
      const double scope = MicrosSince(t0) / 1000;
      s.reset();
      first_ms.push_back(first);
      scope_ms.push_back(scope);
      start_ms.push_back(first - scope);
    }
    const double cpu_before = ChildrenCpuMs();
    Clock::time_point t0 = Clock::now();
    core::Result<std::unique_ptr<sb::HelperProcess>> launched =
        sb::HelperProcess::Launch(flowtest, {"__sandbox-helper"}, std::chrono::seconds(10));
    if (!launched) Die("cannot launch a helper: " + launched.error().message);
    std::unique_ptr<sb::HelperProcess> helper = std::move(launched).value();
    spawn_ms.push_back(MicrosSince(t0) / 1000);
    if (core::Result<void> ready = helper->AwaitReady(); !ready) {
      Die("the helper did not start: " + ready.error().message);
    }
    ready_ms.push_back(MicrosSince(t0) / 1000);
    helper_start_ms.push_back(static_cast<double>(helper->ready().start_us) / 1000);
    t0 = Clock::now();
    core::Result<std::string> opened =
        helper->Exchange(*open_request, Clock::now() + std::chrono::seconds(10));
    if (!opened) Die("the helper did not open a scope: " + opened.error().message);
    open_direct_ms.push_back(MicrosSince(t0) / 1000);
    const core::Value ack = core::Value::parse(*opened, nullptr, false);
    if (ack.is_object() && ack.contains("us") && ack["us"].is_number()) {
      open_helper_ms.push_back(ack["us"].get<double>() / 1000);
    }
    helper->Stop(std::chrono::milliseconds(500));
    helper.reset();
    helper_cpu_ms.push_back(ChildrenCpuMs() - cpu_before);
    exec_ms.push_back(TimeProcessMs(flowtest, "version"));
  }
  // 4b: fresh globals on the warm pool of the render engine; and the first faker call in each.
  std::vector<double> open_ms, first_faker_us;
  for (int i = 0; i < starts + 2; ++i) {
    const Clock::time_point t0 = Clock::now();
    std::unique_ptr<core::ScriptSession> s = OpenOrDie(engine);
    const double open = MicrosSince(t0) / 1000;
    ctx.script = s.get();
    const Clock::time_point t1 = Clock::now();
    if (!faker.Render(ctx)) Die("faker render failed in a fresh global");
    const double faker_us = MicrosSince(t1);
    ctx.script = nullptr;
    if (i < 2) continue;  // warm-up
    open_ms.push_back(open);
    first_faker_us.push_back(faker_us);
  }

  const Stats start = Summarize(start_ms);
  const Stats open = Summarize(open_ms);
  std::printf("\nhelper processes and globals (median of %d each):\n", starts);
  std::printf("  %-36s %7.2f ms   (target < %.0f ms: %s)\n", "helper start, spawn to ready",
              start.median, kStartTargetMs, Verdict(start.median, kStartTargetMs));
  std::printf("  %-36s %7.2f ms   (target < %.0f ms: %s)\n", "fresh global (warm pool open)",
              open.median, kStartTargetMs, Verdict(open.median, kStartTargetMs));
  std::printf("parts of a helper start:\n");
  std::printf("  %-36s %7.2f ms   (= start + the scope, %.2f ms)\n",
              "first OpenSession, fresh engine", Summarize(first_ms).median,
              Summarize(scope_ms).median);
  std::printf("  %-36s %7.2f ms\n", "HelperProcess: posix_spawn returns",
              Summarize(spawn_ms).median);
  std::printf("  %-36s %7.2f ms\n", "HelperProcess: spawn to ready frame",
              Summarize(ready_ms).median);
  std::printf("  %-36s %7.2f ms   (start_us: its main() to ready)\n", "the helper's own start-up",
              Summarize(helper_start_ms).median);
  std::printf("  %-36s %7.2f ms   (exec, dynamic linking, exit)\n", "a whole helper exec, no work",
              Summarize(exec_ms).median);
  std::printf("  %-36s %7.2f ms   (user + sys: start, 1 scope, exit)\n", "CPU time of one helper",
              Summarize(helper_cpu_ms).median);
  std::printf("  %-36s %7.2f ms   (%.2f ms inside the helper)\n", "open of a scope, bare exchange",
              Summarize(open_direct_ms).median, Summarize(open_helper_ms).median);
  std::printf("  %-36s %7.1f µs\n", "first faker call in a fresh global",
              Summarize(first_faker_us).median);
  return 0;
}
