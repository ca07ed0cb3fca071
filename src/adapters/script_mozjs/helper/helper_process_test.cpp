// Spawns the real helper binary the way the host side does (posix_spawn, socketpair as fd 3,
// empty environment, stderr on a pipe) and checks the protocol and the confinement from outside.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "adapters/script_mozjs/protocol.hpp"
#include "core/value.hpp"

namespace flow::adapters::sandbox {
namespace {

using core::Value;
using Clock = std::chrono::steady_clock;

class HelperProcess {
 public:
  // Starts the helper; `extra` goes after __sandbox-helper --parent-pid <us>.
  explicit HelperProcess(std::vector<std::string> extra = {"--self-test"},
                         pid_t parent = getpid()) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return;
    channel_ = sv[0];
    // dup2(3, 3) would keep FD_CLOEXEC: make sure the child's end is not already 3.
    const int child_end = fcntl(sv[1], F_DUPFD_CLOEXEC, 10);
    close(sv[1]);
    int err[2];
    if (pipe2(err, O_CLOEXEC) != 0) return;
    stderr_ = err[0];

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawn_file_actions_adddup2(&actions, child_end, kChannelFd);
    posix_spawn_file_actions_addclosefrom_np(&actions, kChannelFd + 1);
    std::vector<std::string> args = {FLOW_SANDBOX_HELPER_PATH, "__sandbox-helper", "--parent-pid",
                                     std::to_string(parent)};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    char* envp[] = {nullptr};
    started_ = Clock::now();
    if (posix_spawn(&pid_, FLOW_SANDBOX_HELPER_PATH, &actions, nullptr, argv.data(), envp) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(err[1]);
    close(child_end);
  }

  ~HelperProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (channel_ >= 0) close(channel_);
    if (stderr_ >= 0) close(stderr_);
  }

  bool Started() const { return pid_ > 0; }

  void Send(const Value& request) { ASSERT_TRUE(WriteFrame(channel_, core::DumpJson(request))); }
  void SendRaw(const std::string& text) { ASSERT_TRUE(WriteFrame(channel_, text)); }

  // The next frame as JSON, or a "broken" marker on EOF or timeout.
  Value Receive(std::chrono::seconds wait = std::chrono::seconds(20)) {
    core::Result<std::string> frame = ReadFrame(channel_, kMaxReplyBytes, Clock::now() + wait);
    if (!frame) return {{"broken", frame.error().message}};
    return Value::parse(*frame, nullptr, false);
  }

  Value Ask(const Value& request) {
    Send(request);
    return Receive();
  }

  void CloseChannel() {
    close(channel_);
    channel_ = -1;
  }

  // The wait status once the helper has exited (it is killed after `wait`).
  int Wait(std::chrono::seconds wait = std::chrono::seconds(20)) {
    const auto deadline = Clock::now() + wait;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      usleep(2000);
    }
    reaped_ = true;
    return status;
  }

  std::string Stderr() {
    std::string out;
    char buf[4096];
    fcntl(stderr_, F_SETFL, O_NONBLOCK);
    for (ssize_t n; (n = read(stderr_, buf, sizeof buf)) > 0;)
      out.append(buf, static_cast<std::size_t>(n));
    return out;
  }

  Clock::time_point started() const { return started_; }

 private:
  pid_t pid_ = -1;
  int channel_ = -1;
  int stderr_ = -1;
  bool reaped_ = false;
  Clock::time_point started_;
};

Value Eval(const std::string& kind, const std::string& code, Value extra = Value::object()) {
  Value request = {{"op", "eval"}, {"kind", kind}, {"code", code}};
  for (auto& [key, value] : extra.items()) request[key] = value;
  return request;
}

TEST(SandboxHelperProcess, StartsAnswersAndExits) {
  HelperProcess helper;
  ASSERT_TRUE(helper.Started());
  Value ready = helper.Receive();
  const double ready_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - helper.started()).count();
  ASSERT_EQ(ready.value("op", ""), "ready") << ready << helper.Stderr();
  std::printf("helper spawn to ready: %.1f ms (start_us %lld)\n", ready_ms,
              static_cast<long long>(ready["start_us"].get<std::int64_t>()));
  EXPECT_EQ(ready["mozjs"].get<std::string>().rfind("102.", 0), 0u);
  EXPECT_FALSE(ready["faker"].get<std::string>().empty());
  EXPECT_GT(ready["start_us"].get<std::int64_t>(), 0);
  EXPECT_EQ(ready["seccomp"], true);
  EXPECT_EQ(ready["uid"], geteuid() == 0 ? 65534u : getuid());

  Value opened = helper.Ask({{"op", "open"}, {"seed", 42}, {"locale", "pt_BR"}});
  ASSERT_EQ(opened["ok"], true) << opened;
  std::printf("scope open: %lld us\n", static_cast<long long>(opened["us"].get<std::int64_t>()));
  Value sum = helper.Ask(Eval("expression", "a + 1", {{"bind", {{"a", 41}}}}));
  EXPECT_EQ(sum["value"], 42) << sum;
  Value name = helper.Ask(Eval("faker", "person.firstName"));
  EXPECT_EQ(name["type"], "string") << name << helper.Stderr();
  // Time zones, Intl, crypto and faker all work after the filter (nothing needs a file).
  Value after = helper.Ask(
      Eval("block",
           "return [new Date(0).toISOString(), (1234.5).toLocaleString('pt-BR'),\n"
           "  new Date(0).toLocaleString('de-DE', {timeZone: 'Europe/Berlin'}).length > 0,\n"
           "  crypto.createHash('sha256').update('abc').digest('hex').slice(0, 8),\n"
           "  crypto.randomUUID().length, faker.location.state().length > 0, "
           "Buffer.from('a:b').toString('base64')];"));
  EXPECT_EQ(
      after["value"],
      Value::parse(R"(["1970-01-01T00:00:00.000Z","1.234,5",true,"ba7816bf",36,true,"YTpi"])"))
      << after;
  EXPECT_EQ(helper.Ask({{"op", "close"}}), Value::parse(R"({"ok":true})"));
  EXPECT_EQ(helper.Ask(Eval("expression", "1"))["error"]["kind"], "invalid");
  helper.Send({{"op", "exit"}});
  const int status = helper.Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << helper.Stderr();
}

// After the filter (and with no TZ in the environment, so ICU and glibc had to look at
// /etc/localtime during the warm-up): dates, time zones, pt-BR formatting, crypto and faker in
// both locales, in a helper whose warm-up touched neither Intl's locales nor faker.
TEST(SandboxHelperProcess, DatesIntlCryptoAndFakerWorkAfterTheFilter) {
  HelperProcess helper;
  ASSERT_EQ(helper.Receive().value("op", ""), "ready") << helper.Stderr();
  Value stats = helper.Ask({{"op", "selftest"}, {"what", "stats"}});
  EXPECT_EQ(stats["faker_stencil"], "none") << stats;
  EXPECT_EQ(stats["faker_loads"], 0) << stats;
  ASSERT_EQ(helper.Ask({{"op", "open"}, {"seed", 42}, {"locale", "pt_BR"}})["ok"], true);
  Value reply = helper.Ask(Eval(
      "block",
      "return [new Date(0).toLocaleString('pt-BR', {timeZone: 'America/Sao_Paulo'}),\n"
      "  new Date(0).toLocaleString('de-DE', {timeZone: 'Europe/Berlin'}),\n"
      "  new Date(0).toLocaleString('ja-JP', {timeZone: 'Asia/Tokyo'}),\n"
      "  new Intl.DateTimeFormat('pt-BR', {dateStyle: 'full', timeZone: 'UTC'}).format(new "
      "Date(0)),\n"
      "  (1234.5).toLocaleString('pt-BR'),\n"
      "  new Intl.NumberFormat('pt-BR', {style: 'currency', currency: 'BRL'}).format(1234.5),\n"
      "  new Intl.RelativeTimeFormat('pt-BR').format(-1, 'day'),\n"
      "  Intl.DateTimeFormat('en-US', {timeZone: 'America/New_York', timeZoneName: "
      "'short'}).format(new Date(0)),\n"
      "  typeof new Date().getTimezoneOffset(), new Date(0).toString().length > 0,\n"
      "  crypto.createHash('md5').update('abc').digest('hex'),\n"
      "  crypto.createHash('sha1').update('abc').digest('hex').slice(0, 8),\n"
      "  crypto.createHash('sha384').update('abc').digest('hex').slice(0, 8),\n"
      "  crypto.createHash('sha512').update('abc').digest('hex').slice(0, 8),\n"
      "  crypto.createHmac('sha256', 'Jefe').update('what do ya want for nothing?')"
      ".digest('hex').slice(0, 8),\n"
      "  crypto.randomUUID().length, faker.person.firstName(), faker.location.state()];"));
  EXPECT_EQ(reply["value"],
            Value::parse("[\"31/12/1969 21:00:00\",\"1.1.1970, 01:00:00\",\"1970/1/1 9:00:00\","
                         "\"quinta-feira, 1 de janeiro de 1970\",\"1.234,5\","
                         "\"R$\\u00a01.234,50\",\"h\\u00e1 1 dia\",\"12/31/1969, EST\","
                         "\"number\",true,\"900150983cd24fb0d6963f7d28e17f72\",\"a9993e36\","
                         "\"cb00753f\",\"ddaf35a1\",\"5bdcc146\",36,\"Helo\\u00edsa\","
                         "\"Sergipe\"]"))
      << reply << helper.Stderr();
  ASSERT_EQ(helper.Ask({{"op", "open"}, {"seed", 42}, {"locale", "en"}})["ok"], true);
  EXPECT_EQ(helper.Ask(Eval("faker", "person.firstName"))["value"], "Garnet");
  stats = helper.Ask({{"op", "selftest"}, {"what", "stats"}});
  EXPECT_EQ(stats["faker_loads"], 2) << stats;
}

TEST(SandboxHelperProcess, StartsFromTheEmbeddedCachesAndLoadsFakerOnlyWhenUsed) {
  HelperProcess helper;
  ASSERT_EQ(helper.Receive().value("op", ""), "ready") << helper.Stderr();
  EXPECT_EQ(helper.Ask({{"op", "selftest"}, {"what", "stats"}}),
            Value::parse(R"({"ok":true,"self_hosted_cached":true,"prelude_cached":true,)"
                         R"("faker_stencil":"none","faker_loads":0})"));
  ASSERT_EQ(helper.Ask({{"op", "open"}, {"locale", "en"}})["ok"], true);
  EXPECT_EQ(helper.Ask(Eval("expression", "[1 + 1, typeof Buffer]"))["value"],
            Value::parse(R"([2,"function"])"));
  EXPECT_EQ(helper.Ask({{"op", "selftest"}, {"what", "stats"}})["faker_loads"], 0);
  EXPECT_EQ(helper.Ask(Eval("expression", "typeof faker"))["value"], "object");
  EXPECT_EQ(helper.Ask({{"op", "selftest"}, {"what", "stats"}}),
            Value::parse(R"({"ok":true,"self_hosted_cached":true,"prelude_cached":true,)"
                         R"("faker_stencil":"decoded","faker_loads":1})"));
}

// Copies of the caches with a byte flipped: the checksums reject them all, SpiderMonkey parses
// the self-hosted code, the prelude and faker instead, and everything answers as before.
TEST(SandboxHelperProcess, CorruptCachesAreRejectedAndTheFallbackWorks) {
  HelperProcess helper({"--self-test", "--corrupt-startup-cache"});
  ASSERT_EQ(helper.Receive().value("op", ""), "ready") << helper.Stderr();
  Value stats = helper.Ask({{"op", "selftest"}, {"what", "stats"}});
  EXPECT_EQ(stats["self_hosted_cached"], false) << stats;
  EXPECT_EQ(stats["prelude_cached"], false) << stats;
  ASSERT_EQ(helper.Ask({{"op", "open"}, {"seed", 42}, {"locale", "en"}})["ok"], true);
  EXPECT_EQ(helper.Ask(Eval("expression", "[1, 2, 3].map((x) => x * 2).join()"))["value"], "2,4,6");
  EXPECT_EQ(helper.Ask(Eval("faker", "person.firstName"))["value"], "Garnet");
  EXPECT_EQ(helper.Ask({{"op", "selftest"}, {"what", "stats"}}),
            Value::parse(R"({"ok":true,"self_hosted_cached":false,"prelude_cached":false,)"
                         R"("faker_stencil":"compiled","faker_loads":1})"));
}

TEST(SandboxHelperProcess, TheCorruptCacheSwitchNeedsTheSelfTestFlag) {
  HelperProcess helper(std::vector<std::string>{"--corrupt-startup-cache"});
  const int status = helper.Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 64) << status;
}

TEST(SandboxHelperProcess, EndOfChannelExitsCleanly) {
  HelperProcess helper;
  ASSERT_EQ(helper.Receive().value("op", ""), "ready");
  helper.CloseChannel();
  const int status = helper.Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST(SandboxHelperProcess, EscapesFailAfterTheFilter) {
  HelperProcess helper;
  ASSERT_EQ(helper.Receive().value("op", ""), "ready") << helper.Stderr();
  for (const char* what : {"open", "socket", "exec", "fork"}) {
    Value reply = helper.Ask({{"op", "selftest"}, {"what", what}});
    EXPECT_EQ(reply, Value::parse(R"({"ok":true,"result":-1,"errno":1})")) << what << " " << reply;
  }
  EXPECT_EQ(helper.Ask({{"op", "selftest"}, {"what", "uid"}})["result"],
            geteuid() == 0 ? 65534u : getuid());
  EXPECT_EQ(helper.Ask({{"op", "selftest"}, {"what", "env"}})["result"], 0);
  EXPECT_EQ(helper.Ask({{"op", "selftest"}, {"what", "fds"}})["result"], Value::parse("[0,1,2,3]"));
  // Still serving afterwards.
  ASSERT_EQ(helper.Ask({{"op", "open"}, {"locale", "en"}})["ok"], true);
  EXPECT_EQ(helper.Ask(Eval("expression", "typeof process + typeof require"))["value"],
            "undefinedundefined");
}

TEST(SandboxHelperProcess, CloneWithoutThreadKillsTheHelper) {
  HelperProcess helper;
  ASSERT_EQ(helper.Receive().value("op", ""), "ready");
  helper.Send({{"op", "selftest"}, {"what", "clone"}});
  EXPECT_TRUE(helper.Receive().contains("broken"));
  const int status = helper.Wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) << status;
}

TEST(SandboxHelperProcess, MalformedRequestsAreAnsweredAndServingGoesOn) {
  HelperProcess helper(std::vector<std::string>{});  // no --self-test
  ASSERT_EQ(helper.Receive().value("op", ""), "ready");
  helper.SendRaw("{not json");
  EXPECT_EQ(helper.Receive()["error"]["kind"], "invalid");
  EXPECT_EQ(helper.Ask({{"op", "dance"}})["error"]["kind"], "invalid");
  EXPECT_EQ(helper.Ask(Value::array())["error"]["kind"], "invalid");
  helper.SendRaw(R"({"op":"eval","kind":"expression","code":"1","bind":{"a":)" +
                 std::string(100000, '[') + std::string(100000, ']') + "}}");
  EXPECT_EQ(helper.Receive()["error"]["kind"], "invalid");
  helper.SendRaw("{\"op\":\"open\",\"locale\":\"en\xff\"}");  // not UTF-8
  EXPECT_EQ(helper.Receive()["error"]["kind"], "invalid");
  EXPECT_EQ(helper.Ask({{"op", "selftest"}, {"what", "uid"}})["error"]["kind"], "invalid");
  EXPECT_EQ(helper.Ask({{"op", "open"}, {"seed", -1}})["error"]["kind"], "invalid");
  EXPECT_EQ(helper.Ask({{"op", "open"}, {"locale", "xx"}})["error"]["kind"], "invalid");
  ASSERT_EQ(helper.Ask({{"op", "open"}, {"seed", nullptr}, {"locale", "en"}})["ok"], true);
  EXPECT_EQ(helper.Ask(Eval("expression", "'still ' + 'here'"))["value"], "still here");
}

TEST(SandboxHelperProcess, BudgetsHoldUnderTheRealLimits) {
  HelperProcess helper;
  ASSERT_EQ(helper.Receive().value("op", ""), "ready");
  ASSERT_EQ(helper.Ask({{"op", "open"}, {"locale", "en"}})["ok"], true);
  Value loop = helper.Ask(Eval("block", "for (;;) {}", {{"cpu_ms", 100}}));
  EXPECT_EQ(loop["error"]["kind"], "cpu") << loop;
  EXPECT_EQ(loop["recycle"], true);
  // Untouched ArrayBuffers grow faster than the 2 ms checks; RLIMIT_DATA ends them as an
  // out-of-memory error, and the helper lives on.
  Value buffers = helper.Ask(
      Eval("block", "const a = []; for (;;) a.push(new ArrayBuffer(1 << 24));", {{"mem_mb", 64}}));
  EXPECT_EQ(buffers["error"]["kind"], "memory") << buffers;
  EXPECT_EQ(buffers["recycle"], true);
  Value objects = helper.Ask(Eval(
      "block", "const a = []; for (let i = 0;; i++) a.push({i, s: 'x' + i});", {{"mem_mb", 64}}));
  EXPECT_EQ(objects["error"]["kind"], "memory") << objects;
  EXPECT_EQ(helper.Ask(Eval("expression", "6 * 7"))["value"], 42);
  Value big = helper.Ask(Eval("expression", "'x'.repeat(3e6)"));
  EXPECT_EQ(big["error"]["kind"], "output") << big.dump().substr(0, 200);
}

TEST(SandboxHelperProcess, ExitsWhenTheParentIsNotTheExpectedOne) {
  HelperProcess helper(std::vector<std::string>{}, /*parent=*/1);
  const int status = helper.Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 70) << status;
}

}  // namespace
}  // namespace flow::adapters::sandbox
