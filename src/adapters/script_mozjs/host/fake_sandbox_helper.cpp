// A stand-in for the sandbox helper, for the host's tests: it speaks the channel protocol on fd 3
// but evaluates nothing. An eval's `code` is a command:
//   value:<json>   answers that value (type from the JSON)      pid     answers its own pid
//   set:<n>=<json> keeps a global n (per scope)                  get:<n> answers it, or undefined
//   bind:<n>       answers binding n                             throw:<line>:<col>:<message>
//   cpu            a cpu-budget error with "recycle":true        hang    never answers
//   crash          writes to stderr and raises SIGSEGV           garbage answers a non-JSON frame
// Flags: --no-ready (never says ready), --die-on-open (exits 7 at the first open), --report
// (writes its environment, open descriptors and arguments to stderr, then exits 1), --pdeathsig
// (dies with the thread that spawned it, as the real helper does).
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "adapters/script_mozjs/protocol.hpp"

namespace {

using nlohmann::json;
namespace sb = flow::adapters::sandbox;

std::string TypeOf(const json& v) {
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  return "object";
}

json Value(const json& v) { return {{"ok", true}, {"type", TypeOf(v)}, {"value", v}}; }

json Eval(const json& request, std::map<std::string, json>& globals) {
  const std::string code = request.value("code", "");
  const std::string_view c = code;
  if (c.starts_with("value:")) return Value(json::parse(c.substr(6)));
  if (c == "pid") return Value(static_cast<int>(::getpid()));
  if (c.starts_with("set:")) {
    const std::size_t eq = c.find('=');
    globals[std::string(c.substr(4, eq - 4))] = json::parse(c.substr(eq + 1));
    return {{"ok", true}, {"type", "undefined"}, {"undefined", true}};
  }
  if (c.starts_with("get:")) {
    const auto it = globals.find(std::string(c.substr(4)));
    if (it == globals.end()) return {{"ok", true}, {"type", "undefined"}, {"undefined", true}};
    return Value(it->second);
  }
  if (c.starts_with("bind:")) return Value(request["bind"][std::string(c.substr(5))]);
  if (c.starts_with("throw:")) {
    const std::size_t a = c.find(':', 6), b = c.find(':', a + 1);
    return {{"ok", false},
            {"error",
             {{"kind", "exception"},
              {"message", std::string(c.substr(b + 1))},
              {"line", std::stoi(std::string(c.substr(6, a - 6)))},
              {"col", std::stoi(std::string(c.substr(a + 1, b - a - 1)))}}},
            {"console", json::array({json::array({"log", "before the throw"})})}};
  }
  if (c == "cpu") {
    return {{"ok", false},
            {"error", {{"kind", "cpu"}, {"message", "cpu budget of 5 ms exceeded"}}},
            {"recycle", true}};
  }
  if (c == "hang") {
    while (true) ::pause();
  }
  if (c == "crash") {
    std::fputs("fake helper: about to crash\n", stderr);
    std::fflush(stderr);
    std::signal(SIGSEGV, SIG_DFL);
    std::raise(SIGSEGV);
  }
  return {{"ok", false}, {"error", {{"kind", "invalid"}, {"message", "unknown command " + code}}}};
}

int Report(int argc, char** argv) {
  std::string env, fds, args;
  for (char** e = environ; *e != nullptr; ++e) env += std::string(*e) + ",";
  for (int fd = 0; fd < 1024; ++fd) {
    if (::fcntl(fd, F_GETFD) >= 0) fds += std::to_string(fd) + ",";
  }
  for (int i = 1; i < argc; ++i) args += std::string(i > 1 ? " " : "") + argv[i];
  std::fprintf(stderr, "env=%s fds=%s args=%s\n", env.c_str(), fds.c_str(), args.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  bool ready = true, die_on_open = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--no-ready") ready = false;
    if (arg == "--die-on-open") die_on_open = true;
    if (arg == "--report") return Report(argc, argv);
    if (arg == "--pdeathsig") ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  }
  if (!ready) {
    while (true) ::pause();
  }
  const int fd = sb::kChannelFd;
  const std::string hello = R"({"op":"ready","protocol":)" + std::to_string(sb::kProtocolVersion) +
                            R"(,"mozjs":"fake","faker":"9.9.0","start_us":1})";
  if (!sb::WriteFrame(fd, hello))
    return 2;
  std::map<std::string, json> globals;
  while (true) {
    flow::core::Result<std::string> frame = sb::ReadFrame(fd, sb::kMaxRequestBytes);
    if (!frame) return 0;
    const json request = json::parse(*frame, nullptr, false);
    const std::string op = request.is_object() ? request.value("op", "") : "";
    json reply = {{"ok", true}};
    if (op == "exit") return 0;
    if (op == "open") {
      if (die_on_open) return 7;
      globals.clear();
    } else if (op == "eval") {
      if (request.value("code", "") == "garbage") {
        (void)sb::WriteFrame(fd, "this is not json");
        continue;
      }
      reply = Eval(request, globals);
    }
    if (!sb::WriteFrame(fd, reply.dump())) return 3;
  }
}
