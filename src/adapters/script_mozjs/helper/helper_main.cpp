#include "adapters/script_mozjs/helper/helper_main.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "adapters/script_mozjs/faker/faker_bundle.hpp"
#include "adapters/script_mozjs/helper/codec.hpp"
#include "adapters/script_mozjs/helper/confinement.hpp"
#include "adapters/script_mozjs/helper/js_runtime.hpp"
#include "adapters/script_mozjs/helper/startup_blobs.hpp"
#include "adapters/script_mozjs/protocol.hpp"
#include "core/value.hpp"

extern char** environ;

namespace flow::adapters::sandbox {
namespace {

using core::Value;

constexpr int kExitUsage = 64;
constexpr int kExitChannel = 65;
constexpr int kExitParent = 70;
constexpr int kExitConfinement = 71;
constexpr int kExitEngine = 72;
constexpr int kExitProtocol = 73;
// Deeper requests are refused before parsing: every walk over a Value recurses.
constexpr std::size_t kMaxRequestDepth = 512;

// stderr is a pipe the parent drains; keep what goes there to one short line.
void Complain(std::string_view what) {
  std::string line = "flowtest sandbox helper: ";
  line.append(what.substr(0, 400)).push_back('\n');
  [[maybe_unused]] const ssize_t ignored = write(2, line.data(), line.size());
}

int Fail(int code, std::string_view what) {
  Complain(what);
  return code;
}

Value Invalid(const std::string& message) {
  return {{"ok", false},
          {"error", {{"kind", "invalid"}, {"message", message}, {"line", 0}, {"col", 0}}},
          {"console", Value::array()},
          {"recycle", false}};
}

bool ParentIs(std::optional<pid_t> parent) { return !parent || getppid() == *parent; }

// Copies of the embedded start-up caches with one byte flipped in the middle of each (for
// --corrupt-startup-cache): the checksums must keep them from SpiderMonkey. Static, as the engine
// may keep pointers into a cache it accepted.
StartupBlobs CorruptedStartupBlobs() {
  static std::vector<std::uint8_t> copies[3];
  const StartupBlobs embedded = EmbeddedStartupBlobs();
  const auto corrupt = [](std::vector<std::uint8_t>& copy, std::span<const std::uint8_t> blob) {
    copy.assign(blob.begin(), blob.end());
    if (!copy.empty()) copy[copy.size() / 2] ^= 0x40;
    return std::span<const std::uint8_t>(copy);
  };
  return {.self_hosted = corrupt(copies[0], embedded.self_hosted),
          .faker_stencil = corrupt(copies[1], embedded.faker_stencil),
          .prelude_stencil = corrupt(copies[2], embedded.prelude_stencil)};
}

Value SelfTest(const JsRuntime& runtime, const Value& request) {
  const auto found = request.find("what");
  const std::string what =
      found != request.end() && found->is_string() ? found->get<std::string>() : "";
  if (what == "stats") {
    const JsRuntime::Stats stats = runtime.stats();
    const char* stencil = stats.faker_stencil == JsRuntime::FakerStencil::kDecoded    ? "decoded"
                          : stats.faker_stencil == JsRuntime::FakerStencil::kCompiled ? "compiled"
                                                                                      : "none";
    return {{"ok", true},
            {"self_hosted_cached", stats.self_hosted_cached},
            {"prelude_cached", stats.prelude_cached},
            {"faker_stencil", stencil},
            {"faker_loads", stats.faker_loads}};
  }
  const auto syscall_reply = [](long result) {
    return Value{{"ok", true}, {"result", result}, {"errno", result < 0 ? errno : 0}};
  };
  errno = 0;
  if (what == "open") {
    const long fd = syscall(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY | O_CLOEXEC);
    Value reply = syscall_reply(fd);
    if (fd >= 0) close(static_cast<int>(fd));
    return reply;
  }
  if (what == "socket") {
    const long fd = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
    Value reply = syscall_reply(fd);
    if (fd >= 0) close(static_cast<int>(fd));
    return reply;
  }
  if (what == "exec") {
    char arg0[] = "/bin/true";
    char* const args[] = {arg0, nullptr};
    char* const env[] = {nullptr};
    return syscall_reply(syscall(SYS_execve, "/bin/true", args, env));
  }
  if (what == "fork") {
    const long pid = syscall(SYS_fork);
    if (pid == 0) _exit(0);
    return syscall_reply(pid);
  }
  if (what == "clone") {  // without CLONE_THREAD: the filter kills the process
    const long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) _exit(0);
    return syscall_reply(pid);
  }
  if (what == "uid") return {{"ok", true}, {"result", getuid()}};
  if (what == "env") {
    long count = 0;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) ++count;
    return {{"ok", true}, {"result", count}};
  }
  if (what == "fds") {
    Value open = Value::array();
    for (int fd = 0; fd <= 64; ++fd) {
      if (fcntl(fd, F_GETFD) != -1) open.push_back(fd);
    }
    return {{"ok", true}, {"result", std::move(open)}};
  }
  return Invalid("unknown selftest '" + what + "'");
}

Value Open(JsRuntime& runtime, const Value& request) {
  std::optional<std::uint64_t> seed;
  if (const auto it = request.find("seed"); it != request.end() && !it->is_null()) {
    if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<std::int64_t>() >= 0)) {
      return Invalid("\"seed\" must be a non-negative integer or null");
    }
    seed = it->get<std::uint64_t>();
  }
  std::string locale = "en";
  if (const auto it = request.find("locale"); it != request.end() && !it->is_null()) {
    if (!it->is_string()) return Invalid("\"locale\" must be a string");
    locale = it->get<std::string>();
  }
  const auto start = std::chrono::steady_clock::now();
  const core::Result<void> opened = runtime.OpenScope(seed, std::move(locale));
  if (!opened) {
    Value reply = Invalid(opened.error().message);
    if (opened.error().code == core::ErrorCode::kInternal) reply["recycle"] = true;
    return reply;
  }
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  return {{"ok", true}, {"us", us}};
}

[[noreturn]] void Serve(JsRuntime& runtime, bool self_test) {
  while (true) {
    core::Result<std::string> frame = ReadFrame(kChannelFd, kMaxRequestBytes);
    if (!frame) {
      if (frame.error().code == core::ErrorCode::kUnavailable) _exit(0);  // the parent is gone
      // An oversized length: the rest of the stream cannot be trusted.
      Complain(frame.error().message);
      _exit(kExitProtocol);
    }
    const bool too_deep = core::FindJsonNestingBeyond(*frame, kMaxRequestDepth).has_value();
    const Value request = too_deep ? Value() : Value::parse(*frame, nullptr, false);
    Value reply;
    if (too_deep) {
      reply =
          Invalid("a request nests deeper than " + std::to_string(kMaxRequestDepth) + " levels");
    } else if (request.is_discarded() || !request.is_object()) {
      reply = Invalid("a request must be a json object");
    } else {
      const auto op = request.find("op");
      const std::string name = op != request.end() && op->is_string() ? op->get<std::string>() : "";
      if (name == "eval") {
        reply = runtime.Evaluate(request);
      } else if (name == "open") {
        reply = Open(runtime, request);
      } else if (name == "close") {
        runtime.CloseScope();
        reply = {{"ok", true}};
      } else if (name == "exit") {
        _exit(0);
      } else if (name == "selftest" && self_test) {
        reply = SelfTest(runtime, request);
      } else {
        reply = Invalid(name.empty() ? "a request needs an \"op\"" : "unknown op '" + name + "'");
      }
    }
    std::string text = core::DumpJson(reply);
    if (text.size() > kMaxReplyBytes) {
      Value too_big =
          Invalid("the reply is larger than " + std::to_string(kMaxReplyBytes) + " bytes");
      too_big["error"]["kind"] = "output";
      text = core::DumpJson(too_big);
    }
    if (!WriteFrame(kChannelFd, text)) _exit(0);
  }
}

}  // namespace

int RunSandboxHelper(int argc, char** argv) {
  const auto started = std::chrono::steady_clock::now();
  if (argc < 2 || std::string_view(argv[1]) != "__sandbox-helper") {
    return Fail(kExitUsage,
                "usage: __sandbox-helper [--parent-pid N] [--self-test [--corrupt-startup-cache]]");
  }
  std::optional<pid_t> parent;
  bool self_test = false;
  bool corrupt_cache = false;
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--self-test") {
      self_test = true;
    } else if (arg == "--corrupt-startup-cache") {
      corrupt_cache = true;
    } else if (arg == "--parent-pid" && i + 1 < argc) {
      char* end = nullptr;
      const long pid = std::strtol(argv[++i], &end, 10);
      if (end == argv[i] || *end != '\0' || pid <= 0) return Fail(kExitUsage, "bad --parent-pid");
      parent = static_cast<pid_t>(pid);
    } else {
      return Fail(kExitUsage, "unknown argument '" + std::string(arg) + "'");
    }
  }
  if (corrupt_cache && !self_test) {
    return Fail(kExitUsage, "--corrupt-startup-cache needs --self-test");
  }

  // Die with the parent; the check closes the race with a parent that died before the prctl.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (!ParentIs(parent)) return Fail(kExitParent, "the parent process is gone");
  close_range(4, ~0U, 0);
  struct stat channel {};
  if (fstat(kChannelFd, &channel) != 0 || !S_ISSOCK(channel.st_mode)) {
    return Fail(kExitChannel, "fd 3 is not the channel socket");
  }
  if (core::Result<void> limited = ApplyResourceLimits(); !limited) {
    return Fail(kExitConfinement, limited.error().message);
  }
  if (core::Result<void> dropped = DropRootPrivileges(); !dropped) {
    return Fail(kExitConfinement, dropped.error().message);
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // a uid change clears it
  if (!ParentIs(parent)) return Fail(kExitParent, "the parent process is gone");

  // OpenSSL's first use (~1 ms) runs beside the engine's start; WarmUp then finds it done.
  std::thread digests([] { static_cast<void>(WarmUpDigests()); });
  core::Result<std::unique_ptr<JsRuntime>> made =
      JsRuntime::Create(corrupt_cache ? CorruptedStartupBlobs() : EmbeddedStartupBlobs());
  digests.join();
  if (!made) return Fail(kExitEngine, made.error().message);
  JsRuntime& runtime = **made;
  if (core::Result<void> warm = runtime.WarmUp(); !warm)
    return Fail(kExitEngine, warm.error().message);
  const unsigned uid = getuid();
  if (core::Result<void> filtered = InstallSyscallFilter(kChannelFd); !filtered) {
    return Fail(kExitConfinement, filtered.error().message);
  }

  const Value ready = {{"op", "ready"},
                       {"protocol", kProtocolVersion},
                       {"mozjs", JsRuntime::MozjsVersion()},
                       {"faker", std::string(FakerVersion())},
                       {"start_us", std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - started)
                                        .count()},
                       {"uid", uid},
                       {"seccomp", true}};
  if (!WriteFrame(kChannelFd, core::DumpJson(ready))) _exit(0);
  Serve(runtime, self_test);
}

}  // namespace flow::adapters::sandbox
