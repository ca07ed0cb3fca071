// TerminalInputProvider: asks a person at a terminal. Text, number, email, url and confirm
// answers are read as lines (the terminal's own editing: backspace, ^U); a password is read with
// echo off, showing '*' per character; a select is a list moved with the arrow keys (or j/k)
// where typing an option's number moves to it, and Enter chooses; a multiline answer ends with an
// empty line. An empty answer is "use the default" (InputAnswer::used_default). ^C or ^D while
// asking, or the terminal going away, is an Error, never a hang. The terminal's settings are
// restored after every question.
//
// `timeout_seconds` of an input has no effect here: a question waits until it is answered.
// One instance per terminal; not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/ports/input_provider.hpp"
#include "core/result.hpp"

namespace flow::adapters {

struct TerminalOptions {
  bool color = true;      // ANSI colours and bold
  bool owns_fds = false;  // close the descriptors when destroyed
};

class TerminalInputProvider final : public core::InputProvider {
 public:
  // `input_fd` and `output_fd` are a terminal (the same descriptor is fine; a pseudo-terminal in
  // tests).
  TerminalInputProvider(int input_fd, int output_fd, TerminalOptions options = {});
  ~TerminalInputProvider() override;
  TerminalInputProvider(const TerminalInputProvider&) = delete;
  TerminalInputProvider& operator=(const TerminalInputProvider&) = delete;

  core::Result<std::optional<core::InputAnswer>> Ask(const core::InputRequest& request) override;
  bool CanReprompt() const override { return true; }

 private:
  core::Result<void> Write(std::string_view text);
  core::Result<char> ReadByte();
  core::Result<bool> HasInputWithin(int ms);
  core::Result<std::string> ReadLine();
  core::Result<std::optional<core::InputAnswer>> AskLine(const core::InputRequest& request);
  core::Result<std::optional<core::InputAnswer>> AskMultiline(const core::InputRequest& request);
  core::Result<std::optional<core::InputAnswer>> AskPassword(const core::InputRequest& request);
  core::Result<std::optional<core::InputAnswer>> AskSelect(const core::InputRequest& request);
  std::string Header(const core::InputRequest& request, std::string_view hint) const;
  std::string Style(std::string_view codes, std::string_view text) const;

  int in_;
  int out_;
  TerminalOptions options_;
};

// The controlling terminal (/dev/tty) when standard input is a terminal and this process is in
// its foreground process group; null otherwise (no terminal, input redirected, a background
// job), so a run without a person never waits for one. Colours are off when NO_COLOR is set.
std::unique_ptr<TerminalInputProvider> OpenTerminal();

}  // namespace flow::adapters
