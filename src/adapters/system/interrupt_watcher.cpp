#include "adapters/system/interrupt_watcher.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>

#include "core/check.hpp"

namespace flow::adapters {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM};
// The watcher's pipe, for the handler (async-signal-safe: a write of one byte).
std::atomic<int> g_write_end{-1};
struct sigaction g_previous[2];

void OnSignal(int sig) {
  const int saved = errno;
  const int fd = g_write_end.load();
  const unsigned char byte = static_cast<unsigned char>(sig);
  if (fd >= 0) (void)!write(fd, &byte, 1);
  errno = saved;
}

}  // namespace

InterruptWatcher::InterruptWatcher(std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)) {
  FLOW_CHECK(pipe2(pipe_, O_CLOEXEC) == 0);
  g_write_end.store(pipe_[1]);
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    // A signal the process was started ignoring (nohup, a background job of a script) stays so.
    sigaction(kSignals[i], nullptr, &g_previous[i]);
    if (g_previous[i].sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = &OnSignal;
    sigemptyset(&action.sa_mask);
    // The first signal is ours; a second one (the user pressing Ctrl-C again while the first is
    // handled) has the default action and ends the process.
    action.sa_flags = SA_RESTART | SA_RESETHAND;
    sigaction(kSignals[i], &action, nullptr);
  }
  thread_ = std::thread([this] { Watch(); });
}

InterruptWatcher::~InterruptWatcher() {
  for (std::size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
  g_write_end.store(-1);
  const unsigned char stop = 0;
  (void)!write(pipe_[1], &stop, 1);
  thread_.join();
  close(pipe_[0]);
  close(pipe_[1]);
}

void InterruptWatcher::Watch() {
  unsigned char byte = 0;
  for (;;) {
    const ssize_t n = read(pipe_[0], &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n != 1 || byte == 0) return;  // the destructor's stop
    const int sig = byte;
    on_signal_(sig);
    // Then as if no one had caught it: the default action ends the process with the signal.
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(sig, &action, nullptr);
    raise(sig);
    _exit(128 + sig);  // a signal whose default action does not end the process: never ours
  }
}

}  // namespace flow::adapters
