#include "adapters/terminal/terminal_input_provider.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

namespace flow::adapters {
namespace {

using core::InputAnswer;
using core::InputRequest;
using core::Result;

constexpr std::size_t kVisibleOptions = 10;  // a longer select list scrolls

Result<std::optional<InputAnswer>> Answer(core::Value value) {
  return std::optional<InputAnswer>(InputAnswer{.value = std::move(value)});
}

Result<std::optional<InputAnswer>> DefaultAnswer() {
  return std::optional<InputAnswer>(InputAnswer{.used_default = true});
}

core::Error Cancelled() {
  core::Error e = core::Unavailable("input cancelled at the terminal");
  e.reason = "input-cancelled";
  return e;
}

// Puts the terminal in line mode (the kernel edits and echoes the line) or raw mode (every key
// at once, no echo, ^C as a byte) and restores its settings when destroyed.
class TerminalMode {
 public:
  TerminalMode(int fd, bool raw) : fd_(fd) {
    if (tcgetattr(fd, &saved_) != 0) return;
    termios t = saved_;
    if (raw) {
      t.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
      t.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL | INLCR);
      t.c_cc[VMIN] = 1;
      t.c_cc[VTIME] = 0;
    } else {
      t.c_lflag |= ICANON | ECHO | ECHOE | ISIG;
      t.c_iflag |= ICRNL;
    }
    // TCSANOW, not TCSAFLUSH: keys typed ahead are kept.
    ok_ = tcsetattr(fd, TCSANOW, &t) == 0;
  }
  ~TerminalMode() {
    if (ok_) tcsetattr(fd_, TCSANOW, &saved_);
  }
  TerminalMode(const TerminalMode&) = delete;
  TerminalMode& operator=(const TerminalMode&) = delete;

  Result<void> Check() const {
    if (ok_) return core::Ok();
    return core::Unavailable(std::string("cannot use the terminal: ") + std::strerror(errno));
  }

 private:
  int fd_;
  termios saved_{};
  bool ok_ = false;
};

void PopUtf8Char(std::string& text) {
  while (!text.empty()) {
    const unsigned char c = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((c & 0xC0) != 0x80) break;  // the lead byte (or ASCII) ends the character
  }
}

}  // namespace

TerminalInputProvider::TerminalInputProvider(int input_fd, int output_fd, TerminalOptions options)
    : in_(input_fd), out_(output_fd), options_(options) {}

TerminalInputProvider::~TerminalInputProvider() {
  if (!options_.owns_fds) return;
  if (in_ >= 0) close(in_);
  if (out_ >= 0 && out_ != in_) close(out_);
}

Result<void> TerminalInputProvider::Write(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = write(out_, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return core::Unavailable(std::string("cannot write to the terminal: ") +
                               std::strerror(errno));
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return core::Ok();
}

Result<char> TerminalInputProvider::ReadByte() {
  for (;;) {
    char c = 0;
    const ssize_t n = read(in_, &c, 1);
    if (n == 1) return c;
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {
      core::Error e = core::Unavailable("end of input at the terminal");
      e.reason = "input-cancelled";
      return e;
    }
    return core::Unavailable(std::string("cannot read the terminal: ") + std::strerror(errno));
  }
}

Result<bool> TerminalInputProvider::HasInputWithin(int ms) {
  pollfd p{.fd = in_, .events = POLLIN, .revents = 0};
  for (;;) {
    const int n = poll(&p, 1, ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return core::Unavailable(std::string("cannot poll the terminal: ") + std::strerror(errno));
    return n > 0;
  }
}

Result<std::string> TerminalInputProvider::ReadLine() {
  std::string line;
  for (;;) {
    Result<char> c = ReadByte();
    if (!c) return std::move(c).error();
    if (*c == '\n') break;
    line += *c;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string TerminalInputProvider::Style(std::string_view codes, std::string_view text) const {
  if (!options_.color) return std::string(text);
  return "\x1b[" + std::string(codes) + "m" + std::string(text) + "\x1b[0m";
}

std::string TerminalInputProvider::Header(const InputRequest& request,
                                          std::string_view hint) const {
  std::string out;
  if (!request.previous_error.empty()) out += Style("31", "x " + request.previous_error) + "\n";
  if (request.style == "boxed") {
    std::string rule;
    for (int i = 0; i < 40; ++i) rule += "\xe2\x94\x80";  // U+2500 box drawing
    out += Style("2", rule) + "\n";
  }
  out += Style("32", "? ") + Style(request.style == "highlighted" ? "1;33" : "1", request.prompt);
  if (!hint.empty()) out += " " + Style("2", hint);
  out += "\n";
  if (!request.description.empty()) out += "  " + Style("2", request.description) + "\n";
  if (!request.placeholder.empty() && request.type != "select") {
    out += "  " + Style("2", "e.g. " + request.placeholder) + "\n";
  }
  return out;
}

Result<std::optional<InputAnswer>> TerminalInputProvider::Ask(const InputRequest& request) {
  if (request.type == "password" || request.masked) return AskPassword(request);
  if (request.type == "select" && !request.options.empty()) return AskSelect(request);
  if (request.type == "multiline") return AskMultiline(request);
  return AskLine(request);
}

Result<std::optional<InputAnswer>> TerminalInputProvider::AskLine(const InputRequest& request) {
  TerminalMode mode(in_, /*raw=*/false);
  FLOW_TRY_VOID(mode.Check());
  std::string hint;
  if (request.type == "confirm") {
    const core::Value& d = request.default_value;
    const bool yes = d.is_boolean() ? d.get<bool>() : false;
    hint = d.is_null() ? "(y/n)" : (yes ? "(Y/n)" : "(y/N)");
  } else if (!request.default_value.is_null()) {
    hint = "(default: " + core::ToText(request.default_value) + ")";
  }
  FLOW_TRY_VOID(Write(Header(request, hint) + Style("36", "> ")));
  Result<std::string> line = ReadLine();
  if (!line) return std::move(line).error();
  if (line->empty()) return DefaultAnswer();
  return Answer(std::move(*line));
}

Result<std::optional<InputAnswer>> TerminalInputProvider::AskMultiline(
    const InputRequest& request) {
  TerminalMode mode(in_, /*raw=*/false);
  FLOW_TRY_VOID(mode.Check());
  FLOW_TRY_VOID(Write(Header(request, "(finish with an empty line)")));
  std::string text;
  for (;;) {
    FLOW_TRY_VOID(Write(Style("36", "> ")));
    Result<std::string> line = ReadLine();
    if (!line) return std::move(line).error();
    if (line->empty()) break;
    if (!text.empty()) text += '\n';
    text += *line;
  }
  if (text.empty()) return DefaultAnswer();
  return Answer(std::move(text));
}

Result<std::optional<InputAnswer>> TerminalInputProvider::AskPassword(const InputRequest& request) {
  TerminalMode mode(in_, /*raw=*/true);
  FLOW_TRY_VOID(mode.Check());
  FLOW_TRY_VOID(
      Write(Header(request, request.default_value.is_null() ? "" : "(Enter keeps the default)") +
            Style("36", "> ")));
  std::string value;
  for (;;) {
    Result<char> key = ReadByte();
    if (!key) return std::move(key).error();
    const char c = *key;
    if (c == '\r' || c == '\n') break;
    if (c == 0x03 || (c == 0x04 && value.empty())) {
      FLOW_TRY_VOID(Write("\n"));
      return Cancelled();
    }
    if (c == 0x7f || c == 0x08) {
      if (!value.empty()) {
        PopUtf8Char(value);
        FLOW_TRY_VOID(Write("\b \b"));
      }
      continue;
    }
    if (c == 0x15) {  // ^U: erase everything typed
      while (!value.empty()) {
        PopUtf8Char(value);
        FLOW_TRY_VOID(Write("\b \b"));
      }
      continue;
    }
    if (c == 0x1b) {  // an escape sequence (arrow keys): not part of a password
      for (;;) {
        Result<bool> more = HasInputWithin(30);
        if (!more) return std::move(more).error();
        if (!*more) break;
        Result<char> next = ReadByte();
        if (!next) return std::move(next).error();
        if (std::isalpha(static_cast<unsigned char>(*next)) || *next == '~') break;
      }
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20) continue;
    value += c;
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) FLOW_TRY_VOID(Write("*"));
  }
  FLOW_TRY_VOID(Write("\n"));
  if (value.empty()) return DefaultAnswer();
  return Answer(std::move(value));
}

Result<std::optional<InputAnswer>> TerminalInputProvider::AskSelect(const InputRequest& request) {
  const std::vector<core::InputOption>& options = request.options;
  TerminalMode mode(in_, /*raw=*/true);
  FLOW_TRY_VOID(mode.Check());
  std::size_t cursor = 0;
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (!request.default_value.is_null() &&
        core::DeepEqual(options[i].value, request.default_value)) {
      cursor = i;
      break;
    }
  }
  const std::size_t visible = std::min(options.size(), kVisibleOptions);
  std::size_t top = 0;
  const auto draw = [&](bool again) -> Result<void> {
    if (cursor < top) top = cursor;
    if (cursor >= top + visible) top = cursor + 1 - visible;
    std::string out;
    if (again) out += "\x1b[" + std::to_string(visible) + "A";
    for (std::size_t i = top; i < top + visible; ++i) {
      const bool here = i == cursor;
      const std::string label = std::to_string(i + 1) + ") " + options[i].label;
      out += "\r\x1b[2K" + (here ? Style("36", "> " + label) : "  " + label) + "\n";
    }
    return Write(out);
  };
  FLOW_TRY_VOID(Write(Header(request, "(arrows or a number, Enter to choose)")));
  FLOW_TRY_VOID(draw(false));
  std::string typed;
  for (;;) {
    Result<char> key = ReadByte();
    if (!key) return std::move(key).error();
    const char c = *key;
    int move = 0;
    if (c == '\r' || c == '\n') break;
    if (c == 0x03 || c == 0x04) return Cancelled();
    if (c == 0x1b) {
      Result<bool> more = HasInputWithin(50);
      if (!more) return std::move(more).error();
      if (!*more) continue;
      Result<char> b = ReadByte();
      if (!b) return std::move(b).error();
      if (*b != '[' && *b != 'O') continue;
      Result<char> arrow = ReadByte();
      if (!arrow) return std::move(arrow).error();
      if (*arrow == 'A') move = -1;
      if (*arrow == 'B') move = 1;
    } else if (c == 'k') {
      move = -1;
    } else if (c == 'j') {
      move = 1;
    } else if (c >= '0' && c <= '9') {
      typed += c;
      std::size_t n = typed.size() < 9 ? std::stoul(typed) : 0;
      if (n < 1 || n > options.size()) {
        typed = std::string(1, c);
        n = static_cast<std::size_t>(c - '0');
      }
      if (n >= 1 && n <= options.size()) {
        cursor = n - 1;
      } else {
        typed.clear();
      }
    } else if (c == 0x7f || c == 0x08) {
      if (!typed.empty()) typed.pop_back();
      continue;
    } else {
      continue;
    }
    if (move != 0) {
      typed.clear();
      cursor = move < 0 ? (cursor == 0 ? options.size() - 1 : cursor - 1)
                        : (cursor + 1 == options.size() ? 0 : cursor + 1);
    }
    FLOW_TRY_VOID(draw(true));
  }
  // Replace the list by the choice.
  FLOW_TRY_VOID(Write("\x1b[" + std::to_string(visible) + "A\r\x1b[J" +
                      Style("36", "> " + options[cursor].label) + "\n"));
  return Answer(options[cursor].value);
}

std::unique_ptr<TerminalInputProvider> OpenTerminal() {
  if (isatty(STDIN_FILENO) == 0) return nullptr;
  const int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  if (tcgetpgrp(fd) != getpgrp()) {  // a background job would be stopped by SIGTTIN
    close(fd);
    return nullptr;
  }
  const bool color = std::getenv("NO_COLOR") == nullptr;
  return std::make_unique<TerminalInputProvider>(fd, fd,
                                                 TerminalOptions{.color = color, .owns_fds = true});
}

}  // namespace flow::adapters
