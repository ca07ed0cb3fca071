#include "adapters/script_mozjs/host/helper_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "adapters/script_mozjs/protocol.hpp"
#include "core/util/strings.hpp"

namespace flow::adapters::sandbox {
namespace {

constexpr std::size_t kReadyMaxBytes = 64 * 1024;
constexpr std::size_t kTailInMessages = 2000;
constexpr std::chrono::milliseconds kDeathGrace{1000};  // EOF seen: let the exit status arrive

// A descriptor closed when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Moves a descriptor the child will receive above the ones the file actions write (0-3), so no
// dup2 of one clobbers another; the copy stays close-on-exec in the parent.
int MoveHigh(int fd) {
  if (fd >= 10) return fd;
  const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (high < 0) return fd;
  ::close(fd);
  return high;
}

core::Error HelperFailed(core::ErrorCode code, std::string message) {
  core::Error error{.code = code, .message = std::move(message)};
  error.reason = core::kScriptHelperFailed;
  return error;
}

std::string Errno(int err) { return std::strerror(err); }

class SpawnSettings {
 public:
  SpawnSettings() {
    ok_ = ::posix_spawn_file_actions_init(&actions_) == 0;
    ok_ = ::posix_spawnattr_init(&attr_) == 0 && ok_;
  }
  ~SpawnSettings() {
    ::posix_spawn_file_actions_destroy(&actions_);
    ::posix_spawnattr_destroy(&attr_);
  }
  SpawnSettings(const SpawnSettings&) = delete;
  SpawnSettings& operator=(const SpawnSettings&) = delete;

  // 0 or an errno.
  int Prepare(int channel, int err) {
    if (!ok_) return ENOMEM;
    int rc = 0;
    const auto step = [&rc](int r) {
      if (rc == 0) rc = r;
    };
    step(::posix_spawn_file_actions_adddup2(&actions_, channel, kChannelFd));
    step(::posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0));
    step(::posix_spawn_file_actions_addopen(&actions_, 1, "/dev/null", O_WRONLY, 0));
    step(::posix_spawn_file_actions_adddup2(&actions_, err, 2));
    step(::posix_spawn_file_actions_addclosefrom_np(&actions_, kChannelFd + 1));
    // The parent's threads may block or ignore signals (SIGPIPE, SIGCHLD); the helper starts
    // with every signal at its default and none blocked, in a process group of its own.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    step(::posix_spawnattr_setsigmask(&attr_, &none));
    step(::posix_spawnattr_setsigdefault(&attr_, &all));
    step(::posix_spawnattr_setpgroup(&attr_, 0));
    step(::posix_spawnattr_setflags(
        &attr_, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP));
    return rc;
  }

  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attr() const { return &attr_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attr_;
  bool ok_ = false;
};

}  // namespace

core::Result<std::unique_ptr<HelperProcess>> HelperProcess::Launch(
    const std::string& executable, const std::vector<std::string>& args,
    std::chrono::milliseconds start_timeout) {
  if (executable.empty()) {
    return HelperFailed(core::ErrorCode::kUnavailable,
                        "no javascript sandbox helper executable is configured");
  }
  const std::string named = "the javascript sandbox helper '" + executable + "'";
  const auto system_error = [&](const char* what, int err) {
    return HelperFailed(core::ErrorCode::kUnavailable,
                        "cannot start " + named + ": " + what + ": " + Errno(err));
  };

  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return system_error("socketpair", errno);
  }
  Fd channel(sv[0]);
  Fd child_channel(MoveHigh(sv[1]));
  // A helper that stops reading must not block a large request forever: a send that makes no
  // progress for this long fails, and the helper is then killed.
  const auto send_limit = std::max(start_timeout, std::chrono::milliseconds(1000));
  const timeval send_timeout{.tv_sec = static_cast<time_t>(send_limit.count() / 1000),
                             .tv_usec = static_cast<suseconds_t>(send_limit.count() % 1000 * 1000)};
  if (::setsockopt(channel.get(), SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout) !=
      0) {
    return system_error("setsockopt", errno);
  }
  int ep[2];
  if (::pipe2(ep, O_CLOEXEC) != 0) return system_error("pipe", errno);
  Fd err_read(ep[0]);
  Fd child_err(MoveHigh(ep[1]));
  Fd wake(::eventfd(0, EFD_CLOEXEC));
  if (wake.get() < 0) return system_error("eventfd", errno);

  SpawnSettings settings;
  if (const int rc = settings.Prepare(child_channel.get(), child_err.get()); rc != 0) {
    return system_error("posix_spawn setup", rc);
  }
  std::vector<std::string> words;
  words.push_back(executable);
  words.insert(words.end(), args.begin(), args.end());
  words.push_back("--parent-pid");
  words.push_back(std::to_string(::getpid()));
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  char tz[] = "TZ=UTC";
  char* envp[] = {tz, nullptr};

  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, executable.c_str(), settings.actions(), settings.attr(),
                               argv.data(), envp);
  child_channel.Reset();
  child_err.Reset();
  if (rc != 0) {
    return HelperFailed(core::ErrorCode::kUnavailable, "cannot start " + named + ": " + Errno(rc));
  }

  std::unique_ptr<HelperProcess> helper(new HelperProcess());
  helper->executable_ = executable;
  helper->pid_ = pid;
  helper->channel_ = channel.Release();
  helper->stderr_ = err_read.Release();
  helper->wake_ = wake.Release();
  helper->drain_ = std::thread([h = helper.get()] { h->DrainStderr(); });
  helper->start_timeout_ = start_timeout;
  helper->ready_deadline_ = Clock::now() + start_timeout;
  return helper;
}

core::Result<void> HelperProcess::AwaitReady() {
  const std::string named = "the javascript sandbox helper '" + executable_ + "'";
  core::Result<std::string> frame = ReadFrame(channel_, kReadyMaxBytes, ready_deadline_);
  if (!frame) {
    const core::Error& error = frame.error();
    if (error.code == core::ErrorCode::kTimeout) {
      return HelperFailed(core::ErrorCode::kUnavailable,
                          Fail(named + " did not report ready within " +
                                   std::to_string(start_timeout_.count()) + " ms",
                               std::chrono::milliseconds(0)));
    }
    if (error.code == core::ErrorCode::kInvalidArgument) {
      return HelperFailed(
          core::ErrorCode::kUnavailable,
          Fail(named + " sent an oversized start-up frame", std::chrono::milliseconds(0)));
    }
    return HelperFailed(core::ErrorCode::kUnavailable,
                        Fail(named + " ended during start-up", kDeathGrace));
  }
  core::Result<ReadyInfo> ready = ParseReady(*frame);
  if (!ready) {
    return HelperFailed(
        core::ErrorCode::kUnavailable,
        Fail(named + " sent an invalid start-up message: " + ready.error().message,
             std::chrono::milliseconds(0)));
  }
  ready_ = std::move(ready).value();
  return core::Ok();
}

HelperProcess::~HelperProcess() {
  Kill();
  Reap(std::chrono::milliseconds(0));
  if (wake_ >= 0) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_, &one, sizeof one);
  }
  if (drain_.joinable()) drain_.join();
  for (int fd : {channel_, stderr_, wake_}) {
    if (fd >= 0) ::close(fd);
  }
}

core::Result<std::string> HelperProcess::Exchange(std::string_view request,
                                                  Clock::time_point deadline) {
  if (!alive()) {
    return HelperFailed(core::ErrorCode::kUnavailable,
                        "the javascript sandbox helper is no longer running");
  }
  if (core::Result<void> sent = WriteFrame(channel_, request); !sent) {
    return HelperFailed(core::ErrorCode::kUnavailable,
                        Fail("the javascript sandbox helper died", kDeathGrace));
  }
  core::Result<std::string> reply = ReadFrame(channel_, kMaxReplyBytes, deadline);
  if (reply) return reply;
  switch (reply.error().code) {
    case core::ErrorCode::kTimeout:
      Fail("", std::chrono::milliseconds(0));
      return HelperFailed(core::ErrorCode::kTimeout,
                          "the javascript sandbox helper did not answer in time");
    case core::ErrorCode::kInvalidArgument:
      return HelperFailed(core::ErrorCode::kUnavailable,
                          Fail("the javascript sandbox helper sent an invalid frame (" +
                                   reply.error().message + ") and was stopped",
                               std::chrono::milliseconds(0)));
    default:
      return HelperFailed(core::ErrorCode::kUnavailable,
                          Fail("the javascript sandbox helper died", kDeathGrace));
  }
}

void HelperProcess::Stop(std::chrono::milliseconds grace) {
  RequestExit();
  Reap(grace);
}

void HelperProcess::RequestExit() {
  if (alive()) (void)WriteFrame(channel_, R"({"op":"exit"})");
}

void HelperProcess::Kill() {
  std::lock_guard lock(mutex_);
  if (reaped_ || pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);  // the helper's process group: anything it started
  ::kill(pid_, SIGKILL);
}

bool HelperProcess::alive() const {
  std::lock_guard lock(mutex_);
  return !reaped_ && pid_ > 0;
}

std::string HelperProcess::StderrTail(std::size_t max_bytes) const {
  std::lock_guard lock(mutex_);
  std::string_view tail = stderr_tail_;
  if (tail.size() > max_bytes) tail.remove_prefix(tail.size() - max_bytes);
  return std::string(core::Trim(tail));
}

void HelperProcess::DrainStderr() {
  char buffer[4096];
  pollfd fds[2] = {{.fd = stderr_, .events = POLLIN, .revents = 0},
                   {.fd = wake_, .events = POLLIN, .revents = 0}};
  while (true) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0) break;
    if (fds[0].revents == 0) continue;
    const ssize_t n = ::read(stderr_, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    std::lock_guard lock(mutex_);
    if (n <= 0) break;
    stderr_tail_.append(buffer, static_cast<std::size_t>(n));
    // Trimmed in bulk so a chatty helper costs amortised O(1) per byte.
    if (stderr_tail_.size() > 2 * kStderrKeptBytes) {
      stderr_tail_.erase(0, stderr_tail_.size() - kStderrKeptBytes);
    }
  }
  std::lock_guard lock(mutex_);
  stderr_closed_ = true;
  stderr_closed_cv_.notify_all();
}

int HelperProcess::Reap(std::chrono::milliseconds grace) {
  const auto deadline = Clock::now() + grace;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (reaped_ || pid_ <= 0) return status_;
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_ || (r < 0 && errno != EINTR)) {
        // ECHILD: the status was taken elsewhere (SIGCHLD ignored); nothing left to reap.
        reaped_ = true;
        status_ = r == pid_ ? status : -1;
        return status_;
      }
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  Kill();
  std::lock_guard lock(mutex_);
  if (reaped_) return status_;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  reaped_ = true;
  status_ = r == pid_ ? status : -1;
  return status_;
}

std::string HelperProcess::Fail(std::string_view what, std::chrono::milliseconds grace) {
  const int status = Reap(grace);
  if (what.empty()) return {};
  std::string message(what);
  if (grace.count() > 0 && status != -1) message += " (it " + DescribeWaitStatus(status) + ")";
  {
    // The pipe closes when the helper is gone; wait briefly so its last words are in the tail.
    std::unique_lock lock(mutex_);
    stderr_closed_cv_.wait_for(lock, std::chrono::milliseconds(200),
                               [this] { return stderr_closed_; });
  }
  std::string tail = StderrTail(kTailInMessages);
  if (!tail.empty()) {
    for (char& c : tail) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    message += "; its stderr ended with: " + tail;
  }
  return message;
}

}  // namespace flow::adapters::sandbox
