#include "adapters/system/interrupt_watcher.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace flow::adapters {
namespace {

// Forks; the child runs `body` and must be ended by a signal. Returns how it ended and what it
// wrote on the pipe (its callback's record).
struct ChildEnd {
  bool signaled = false;
  int signal = 0;
  std::string written;
};

template <typename Body>
ChildEnd RunChild(Body body) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    body(fds[1]);
    _exit(0);  // the signal did not end it
  }
  close(fds[1]);
  ChildEnd end;
  char buffer[64];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) end.written.append(buffer, n);
  close(fds[0]);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  end.signaled = WIFSIGNALED(status);
  end.signal = end.signaled ? WTERMSIG(status) : 0;
  return end;
}

TEST(InterruptWatcher, RunsTheCallbackOnItsThreadThenTheSignalEndsTheProcess) {
  for (const int sig : {SIGINT, SIGTERM}) {
    const ChildEnd end = RunChild([sig](int out) {
      InterruptWatcher watcher([out](int got) {
        const std::string line = "called " + std::to_string(got) + "\n";
        (void)!write(out, line.data(), line.size());
      });
      kill(getpid(), sig);
      std::this_thread::sleep_for(std::chrono::seconds(5));
    });
    EXPECT_TRUE(end.signaled) << sig;
    EXPECT_EQ(end.signal, sig);
    EXPECT_EQ(end.written, "called " + std::to_string(sig) + "\n");
  }
}

TEST(InterruptWatcher, ASecondSignalDuringTheCallbackEndsTheProcessAtOnce) {
  const ChildEnd end = RunChild([](int out) {
    InterruptWatcher watcher([out](int) {
      (void)!write(out, "slow\n", 5);
      kill(getpid(), SIGINT);  // the user presses Ctrl-C again
      std::this_thread::sleep_for(std::chrono::seconds(5));
      (void)!write(out, "finished\n", 9);
    });
    kill(getpid(), SIGINT);
    std::this_thread::sleep_for(std::chrono::seconds(10));
  });
  EXPECT_TRUE(end.signaled);
  EXPECT_EQ(end.signal, SIGINT);
  EXPECT_EQ(end.written, "slow\n");
}

TEST(InterruptWatcher, GivesTheSignalsBackWhenDestroyed) {
  struct sigaction before {};
  sigaction(SIGTERM, nullptr, &before);
  {
    InterruptWatcher watcher([](int) {});
    struct sigaction during {};
    sigaction(SIGTERM, nullptr, &during);
    EXPECT_NE(during.sa_handler, before.sa_handler);
  }
  struct sigaction after {};
  sigaction(SIGTERM, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

}  // namespace
}  // namespace flow::adapters
