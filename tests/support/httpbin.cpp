#include "tests/support/httpbin.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#ifndef FLOW_DEFAULT_SOURCE_DIR
#define FLOW_DEFAULT_SOURCE_DIR ""
#endif

namespace flow::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitMissingDependency = 3;  // httpbin_server.py: a module or tool is missing
constexpr int kExitExecFailed = 127;
constexpr auto kStartTimeout = std::chrono::seconds(20);

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

int MsLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

struct HostPort {
  std::string host;
  std::string port;
};

// "http://host:port[/...]" -> host and port (80 when absent).
std::optional<HostPort> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  std::string_view rest = url.substr(kScheme.size());
  rest = rest.substr(0, rest.find('/'));
  if (rest.empty()) return std::nullopt;
  HostPort out{std::string(rest), "80"};
  if (rest.front() == '[') {  // [::1]:8080
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(rest.substr(1, close - 1));
    if (close + 1 < rest.size() && rest[close + 1] == ':') {
      out.port = std::string(rest.substr(close + 2));
    }
  } else if (const std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    out.host = std::string(rest.substr(0, colon));
    out.port = std::string(rest.substr(colon + 1));
  }
  if (out.host.empty() || out.port.empty()) return std::nullopt;
  return out;
}

// A connected TCP socket, or -1.
int Connect(const HostPort& where, Clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(where.host.c_str(), where.port.c_str(), &hints, &found) != 0) return -1;
  int result = -1;
  for (addrinfo* at = found; at != nullptr && result < 0; at = at->ai_next) {
    const int fd =
        socket(at->ai_family, at->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, at->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, at->ai_addr, at->ai_addrlen) == 0) {
      result = fd;
      break;
    }
    if (errno == EINPROGRESS) {
      pollfd waiter{fd, POLLOUT, 0};
      int error = 0;
      socklen_t size = sizeof(error);
      if (poll(&waiter, 1, MsLeft(deadline)) == 1 &&
          getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0) {
        result = fd;
        break;
      }
    }
    close(fd);
  }
  freeaddrinfo(found);
  return result;
}

// The first line the server answers to GET /get, or "".
std::string FetchStatusLine(const HostPort& where, Clock::time_point deadline) {
  const int fd = Connect(where, deadline);
  if (fd < 0) return {};
  const std::string request = "GET /get HTTP/1.1\r\nHost: " + where.host + ":" + where.port +
                              "\r\nConnection: close\r\n\r\n";
  std::size_t sent = 0;
  std::string received;
  while (sent < request.size()) {
    pollfd waiter{fd, POLLOUT, 0};
    if (poll(&waiter, 1, MsLeft(deadline)) != 1) break;
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  while (sent == request.size() && received.find("\r\n") == std::string::npos) {
    pollfd waiter{fd, POLLIN, 0};
    if (poll(&waiter, 1, MsLeft(deadline)) != 1) break;
    char buffer[512];
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  const std::size_t end = received.find("\r\n");
  return end == std::string::npos ? std::string() : received.substr(0, end);
}

// A server this process started, stopped (and its folder removed) when the process exits.
class LocalServer {
 public:
  ~LocalServer() {
    Stop();
    if (!folder_.empty() && getpid() == owner_) {
      std::error_code ignored;
      std::filesystem::remove_all(folder_, ignored);
    }
  }

  // Starts httpbin_server.py with `extra_args`; the port it listens on, or nullopt with
  // `reason` set.
  std::optional<std::string> Start(const std::vector<std::string>& extra_args, std::string& reason);
  // A fresh private folder, removed with the server.
  std::optional<std::string> MakeFolder(std::string& reason);

 private:
  void Stop();

  pid_t pid_ = -1;
  pid_t owner_ = getpid();  // a forked child (a death test) must not stop our server
  std::string folder_;
};

std::optional<std::string> LocalServer::MakeFolder(std::string& reason) {
  std::error_code error;
  std::string pattern =
      (std::filesystem::temp_directory_path(error) / "flowtest-httpbin-XXXXXX").string();
  if (error || mkdtemp(pattern.data()) == nullptr) {
    reason = std::string("cannot make a temporary folder: ") + std::strerror(errno);
    return std::nullopt;
  }
  folder_ = pattern;
  return folder_;
}

std::optional<std::string> LocalServer::Start(const std::vector<std::string>& extra_args,
                                              std::string& reason) {
  std::string source_dir = Env("FLOW_SOURCE_DIR");
  if (source_dir.empty()) source_dir = FLOW_DEFAULT_SOURCE_DIR;
  const std::string script = source_dir + "/tests/support/httpbin_server.py";
  std::string python = Env("FLOW_PYTHON");
  if (python.empty()) python = "/usr/bin/python3";
  if (access(script.c_str(), R_OK) != 0) {
    reason = "cannot read " + script + " (set FLOW_SOURCE_DIR to the source tree)";
    return std::nullopt;
  }
  if (access(python.c_str(), X_OK) != 0) {
    reason = python + " not found (install python3 and python3-httpbin: scripts/install-deps.sh)";
    return std::nullopt;
  }

  // Everything the child needs is prepared before fork(): after it, only exec-safe calls.
  std::vector<std::string> args = {python, script,        "--port",
                                   "0",    "--watch-pid", std::to_string(getpid())};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    reason = std::string("pipe failed: ") + std::strerror(errno);
    return std::nullopt;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    reason = std::string("fork failed: ") + std::strerror(errno);
    close(out[0]);
    close(out[1]);
    return std::nullopt;
  }
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);  // the duplicate does not close on exec
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    // Keep no descriptor of the test (listening sockets, pipes) open in the server.
    for (int fd = 3; fd < 1024; ++fd) close(fd);
    execv(argv[0], argv.data());
    _exit(kExitExecFailed);
  }
  close(out[1]);
  pid_ = pid;

  // The server prints its port once it listens (stderr stays the test's, for its errors).
  const Clock::time_point deadline = Clock::now() + kStartTimeout;
  std::string line;
  for (;;) {
    pollfd waiter{out[0], POLLIN, 0};
    if (poll(&waiter, 1, MsLeft(deadline)) != 1) break;
    char buffer[64];
    const ssize_t n = read(out[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    line.append(buffer, static_cast<std::size_t>(n));
    if (line.find('\n') != std::string::npos) break;
  }
  close(out[0]);
  const std::string port = line.substr(0, line.find('\n'));
  if (!port.empty() && port.size() <= 5 &&
      port.find_first_not_of("0123456789") == std::string::npos) {
    return port;
  }
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == kExitMissingDependency) {
      reason =
          "python3-httpbin or a tool it needs is missing (see the message above; "
          "scripts/install-deps.sh)";
    } else if (code == kExitExecFailed) {
      reason = "could not run " + python;
    } else {
      reason = script + " exited with status " + std::to_string(code);
    }
  } else {
    reason = script + " printed no port within " + std::to_string(kStartTimeout.count()) + " s";
    Stop();
  }
  return std::nullopt;
}

void LocalServer::Stop() {
  if (pid_ <= 0 || getpid() != owner_) return;
  kill(pid_, SIGTERM);
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(3);
  while (waitpid(pid_, nullptr, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
}

std::optional<std::string> StartPlain(LocalServer& server, std::string& reason) {
  const std::optional<std::string> port = server.Start({}, reason);
  if (!port) return std::nullopt;
  const std::string url = "http://127.0.0.1:" + *port;
  const Clock::time_point deadline = Clock::now() + kStartTimeout;
  while (!HttpbinAnswers(url, 1'000)) {
    if (MsLeft(deadline) == 0) {
      reason = "httpbin started on " + url + " but does not answer GET /get";
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return url;
}

std::optional<HttpbinTls> StartTls(LocalServer& server, std::string& reason) {
  const std::optional<std::string> folder = server.MakeFolder(reason);
  if (!folder) return std::nullopt;
  // Certificates are made before the port is printed, and the listening socket accepts from
  // then on: nothing more to wait for.
  const std::optional<std::string> port = server.Start({"--tls-dir", *folder}, reason);
  if (!port) return std::nullopt;
  return HttpbinTls{.url = "https://127.0.0.1:" + *port,
                    .ca_path = *folder + "/ca.pem",
                    .client_cert_path = *folder + "/client.pem",
                    .client_key_path = *folder + "/client.key",
                    .client_p12_path = *folder + "/client.p12",
                    .passphrase = "flowtest"};
}

// One plain and one TLS server at most per process, each started on first use.
template <typename T>
struct Started {
  std::once_flag once;
  std::optional<T> value;
  std::string reason;
  LocalServer server;  // destroyed at exit, which stops the server
};

Started<std::string>& PlainServer() {
  static Started<std::string> started;
  std::call_once(started.once, [] { started.value = StartPlain(started.server, started.reason); });
  return started;
}

Started<HttpbinTls>& TlsServer() {
  static Started<HttpbinTls> started;
  std::call_once(started.once, [] { started.value = StartTls(started.server, started.reason); });
  return started;
}

}  // namespace

std::optional<std::string> HttpbinUrl() {
  std::string from_env = Env("FLOW_HTTPBIN_URL");
  if (!from_env.empty()) {
    while (!from_env.empty() && from_env.back() == '/') from_env.pop_back();
    return from_env;
  }
  return PlainServer().value;
}

std::string HttpbinUnavailableReason() {
  if (!Env("FLOW_HTTPBIN_URL").empty()) return {};
  const auto& started = PlainServer();
  return started.value ? std::string() : started.reason;
}

std::optional<HttpbinTls> HttpbinTlsServer() { return TlsServer().value; }

std::string HttpbinTlsUnavailableReason() {
  const auto& started = TlsServer();
  return started.value ? std::string() : started.reason;
}

bool HttpbinAnswers(std::string_view base_url, int timeout_ms) {
  const std::optional<HostPort> where = ParseHttpUrl(base_url);
  if (!where) return false;
  const std::string status =
      FetchStatusLine(*where, Clock::now() + std::chrono::milliseconds(timeout_ms));
  return status.rfind("HTTP/1.1 200", 0) == 0 || status.rfind("HTTP/1.0 200", 0) == 0;
}

bool ServicesRequired() { return Env("FLOW_REQUIRE_SERVICES") == "1"; }

}  // namespace flow::testing
