#include "adapters/terminal/terminal_input_provider.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/input/run_inputs.hpp"

namespace flow::adapters {
namespace {

using core::InputAnswer;
using core::InputRequest;
using core::Result;
using core::Value;

// A pseudo-terminal with a "person" at its master side: it waits until the output shows a text,
// then types keys, step by step, and keeps reading what is written. If an expected text does not
// appear within its patience (5 seconds) it hangs up (closes the master), so the provider's read
// fails instead of the test hanging.
class Person {
 public:
  struct Step {
    std::string expect;
    std::string keys;
  };

  explicit Person(std::chrono::milliseconds patience = std::chrono::seconds(5))
      : patience_(patience) {
    EXPECT_EQ(openpty(&master_, &slave_, nullptr, nullptr, nullptr), 0);
  }
  ~Person() {
    Stop();
    if (master_ >= 0) close(master_);
    if (slave_ >= 0) close(slave_);
  }

  int terminal() const { return slave_; }

  void Start(std::vector<Step> steps) {
    thread_ = std::thread([this, steps = std::move(steps)] { Run(steps); });
  }

  // Waits for the person to finish the script (or give up), then returns all output seen.
  std::string Finish() {
    done_ = true;
    Stop();
    std::lock_guard<std::mutex> lock(mutex_);
    return output_;
  }

  bool hung_up() const { return hung_up_; }

 private:
  void Stop() {
    if (thread_.joinable()) thread_.join();
  }

  bool ReadSome(int ms) {
    pollfd p{.fd = master_, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, ms) <= 0) return false;
    char buffer[4096];
    const ssize_t n = read(master_, buffer, sizeof buffer);
    if (n <= 0) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    output_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  void Run(const std::vector<Step>& steps) {
    std::size_t seen = 0;  // output before this offset was matched by an earlier step
    for (const Step& step : steps) {
      const auto deadline = std::chrono::steady_clock::now() + patience_;
      for (;;) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          const std::size_t at = output_.find(step.expect, seen);
          if (at != std::string::npos) {
            seen = at + step.expect.size();
            break;
          }
        }
        if (std::chrono::steady_clock::now() > deadline) {
          hung_up_ = true;
          close(master_);
          master_ = -1;
          return;
        }
        ReadSome(20);
      }
      if (!step.keys.empty()) {
        EXPECT_EQ(write(master_, step.keys.data(), step.keys.size()),
                  static_cast<ssize_t>(step.keys.size()));
      }
    }
    // Keep draining until the test is done, so the provider's writes never block; a provider
    // still waiting for keys after 5 seconds is hung up on.
    const auto deadline = std::chrono::steady_clock::now() + patience_;
    while (!done_) {
      ReadSome(20);
      if (std::chrono::steady_clock::now() > deadline && !done_) {
        hung_up_ = true;
        close(master_);
        master_ = -1;
        return;
      }
    }
    while (ReadSome(20)) {
    }
  }

  std::chrono::milliseconds patience_;
  int master_ = -1;
  int slave_ = -1;
  std::thread thread_;
  std::mutex mutex_;
  std::string output_;
  std::atomic<bool> done_{false};
  std::atomic<bool> hung_up_{false};
};

InputRequest Select() {
  InputRequest r;
  r.variable = "user";
  r.prompt = "Pick a user";
  r.type = "select";
  r.options = {{"alice", "Alice"}, {"bob", "Bob"}, {3, "Carol"}};
  return r;
}

Result<std::optional<InputAnswer>> AskOver(Person& person, const InputRequest& request,
                                           std::vector<Person::Step> steps) {
  TerminalInputProvider terminal(person.terminal(), person.terminal(), {.color = false});
  person.Start(std::move(steps));
  return terminal.Ask(request);
}

TEST(TerminalInputProvider, SelectsWithTheArrowKeys) {
  Person person;
  Result<std::optional<InputAnswer>> a =
      AskOver(person, Select(), {{"3) Carol", "\x1b[B\x1b[B\x1b[A\r"}});
  const std::string out = person.Finish();
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ((*a)->value, "bob");
  EXPECT_NE(out.find("? Pick a user (arrows or a number, Enter to choose)"), std::string::npos)
      << out;
  EXPECT_NE(out.find("> 1) Alice"), std::string::npos);
  EXPECT_NE(out.find("> 3) Carol"), std::string::npos);  // passed on the way down
  EXPECT_NE(out.find("> Bob\r\n"), std::string::npos);   // the choice replaces the list
}

TEST(TerminalInputProvider, SelectsByTypingTheNumberAndWrapsAround) {
  Person person;
  Result<std::optional<InputAnswer>> a = AskOver(person, Select(), {{"3) Carol", "3\r"}});
  person.Finish();
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->value, 3);  // the option's value keeps its type

  Person again;
  a = AskOver(again, Select(), {{"3) Carol", "\x1b[A\r"}});  // up from the first: the last
  again.Finish();
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->value, 3);
}

TEST(TerminalInputProvider, SelectStartsAtTheDefault) {
  InputRequest r = Select();
  r.default_value = "bob";
  Person person;
  Result<std::optional<InputAnswer>> a = AskOver(person, r, {{"3) Carol", "\x1b[B\r"}});
  person.Finish();
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->value, 3);
}

TEST(TerminalInputProvider, PasswordIsMasked) {
  InputRequest r;
  r.variable = "key";
  r.prompt = "API key";
  r.type = "password";
  r.masked = true;
  Person person;
  Result<std::optional<InputAnswer>> a = AskOver(person, r,
                                                 {{"API key",
                                                   "s3cr\x7f"
                                                   "et\x1b[D!\r"}});
  const std::string out = person.Finish();
  ASSERT_TRUE(a && a->has_value()) << (a ? "" : a.error().message);
  EXPECT_EQ((*a)->value, "s3cet!");
  EXPECT_EQ(out.find("s3c"), std::string::npos) << out;
  EXPECT_NE(out.find("****\b \b***"), std::string::npos) << out;
}

TEST(TerminalInputProvider, LinesNumbersAndConfirm) {
  InputRequest r;
  r.variable = "name";
  r.prompt = "Name";
  r.description = "your full name";
  r.default_value = "Ada";
  Person person;
  Result<std::optional<InputAnswer>> a = AskOver(person, r, {{"> ", "Grace Hopper\n"}});
  const std::string out = person.Finish();
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->value, "Grace Hopper");
  EXPECT_NE(out.find("? Name (default: Ada)\r\n  your full name\r\n> "), std::string::npos) << out;

  Person enter;
  a = AskOver(enter, r, {{"> ", "\n"}});
  enter.Finish();
  ASSERT_TRUE(a && a->has_value());
  EXPECT_TRUE((*a)->used_default);

  r.type = "confirm";
  r.default_value = false;
  Person confirm;
  a = AskOver(confirm, r, {{"(y/N)", "n\n"}});
  confirm.Finish();
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->value, "n");
}

TEST(TerminalInputProvider, MultilineEndsWithAnEmptyLine) {
  InputRequest r;
  r.variable = "notes";
  r.prompt = "Notes";
  r.type = "multiline";
  Person person;
  Result<std::optional<InputAnswer>> a =
      AskOver(person, r, {{"> ", "line 1\n"}, {"> ", "line 2\n"}, {"> ", "\n"}});
  person.Finish();
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->value, "line 1\nline 2");
}

TEST(TerminalInputProvider, ControlCCancels) {
  Person person;
  Result<std::optional<InputAnswer>> a = AskOver(person, Select(), {{"3) Carol", "\x03"}});
  person.Finish();
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().message, "input cancelled at the terminal");
  EXPECT_EQ(a.error().reason, "input-cancelled");
}

TEST(TerminalInputProvider, AHungUpTerminalIsAnErrorNotAHang) {
  Person person(std::chrono::milliseconds(300));
  // The person waits for a text that never comes, then hangs up.
  Result<std::optional<InputAnswer>> a = AskOver(person, Select(), {{"never shown", ""}});
  person.Finish();
  EXPECT_TRUE(person.hung_up());
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, core::ErrorCode::kUnavailable);
}

TEST(TerminalInputProvider, RestoresTheTerminalSettings) {
  Person person;
  termios before{};
  ASSERT_EQ(tcgetattr(person.terminal(), &before), 0);
  Result<std::optional<InputAnswer>> a = AskOver(person, Select(), {{"3) Carol", "\r"}});
  person.Finish();
  ASSERT_TRUE(a);
  termios after{};
  ASSERT_EQ(tcgetattr(person.terminal(), &after), 0);
  EXPECT_EQ(before.c_lflag, after.c_lflag);
  EXPECT_EQ(before.c_iflag, after.c_iflag);
}

// RunInputs with a person at the terminal: an invalid number is asked again, with the reason.
TEST(TerminalInputProvider, InvalidAnswersAreAskedAgain) {
  core::InputPlanLoad load = core::InputPlan::Compile(Value{{"prompt", "Batch size"},
                                                            {"variable", "batch"},
                                                            {"type", "number"},
                                                            {"validation", {{"max", 100}}}});
  ASSERT_TRUE(load.plan);
  Person person;
  TerminalInputProvider terminal(person.terminal(), person.terminal(), {.color = false});
  core::InputRunContext ctx;
  ctx.provider = &terminal;
  ctx.policy = core::InputPolicy::kPrompt;
  person.Start({{"Batch size", "abc\n"},
                {"x expected a number, got 'abc'", ""},
                {"> ", "500\n"},
                {"x must be at most 100", ""},
                {"> ", "50\n"}});
  core::InputRunResult r = core::RunInputs(*load.plan, ctx);
  person.Finish();
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.assigned["batch"], 50);
}

// Run in a child process, whose standard input and session are changed.
int InChild(void (*setup)()) {
  const pid_t pid = fork();
  if (pid == 0) {
    setup();
    _exit(OpenTerminal() == nullptr ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

TEST(OpenTerminal, IsNullWithoutATerminal) {
  // Standard input redirected from /dev/null.
  EXPECT_EQ(InChild([] {
              const int null = open("/dev/null", O_RDONLY);
              dup2(null, STDIN_FILENO);
            }),
            0);
  // No controlling terminal at all (a new session), even with a terminal as stdin.
  EXPECT_EQ(InChild([] {
              int master = -1;
              int slave = -1;
              if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) _exit(3);
              setsid();
              dup2(slave, STDIN_FILENO);
            }),
            0);
}

TEST(OpenTerminal, OpensTheControllingTerminalInTheForeground) {
  // A child that makes a pseudo-terminal its controlling terminal, in the foreground.
  const pid_t pid = fork();
  if (pid == 0) {
    int master = -1;
    int slave = -1;
    if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) _exit(3);
    setsid();
    if (ioctl(slave, TIOCSCTTY, 0) != 0) _exit(4);
    dup2(slave, STDIN_FILENO);
    _exit(OpenTerminal() != nullptr ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace flow::adapters
