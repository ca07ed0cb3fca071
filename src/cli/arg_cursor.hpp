// ArgCursor: reads a command's arguments one at a time: options with a value ("--format dot",
// "--format=dot", "-o file"), options whose value is optional ("--live-events [FILE]"),
// switches ("--yes") and positional arguments; "--" makes the rest positional. Every command's
// option parser uses it. Pure.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"

namespace flow::cli {

// How a command's arguments split into options and positional arguments. The defaults are the
// usual rules; the others keep the rules some commands have always had, so that no command
// accepts or refuses other forms than it did.
struct ArgSyntax {
  // "--name=value" is the option "--name" with its value; off, it is one option of that name.
  bool inline_values = true;
  // "--" makes every later argument positional; off, it is an option like any other.
  bool double_dash_ends_options = true;
  // "-" is a positional argument (standard input, say); off, it is an option.
  bool dash_is_positional = true;
  // Names read as another (short, long): "-o" is then "--output" in option(), Is() and errors.
  std::vector<std::pair<std::string, std::string>> aliases;

  // Every argument that starts with '-' is an option, taken whole ("--check=1", "-", "--").
  static ArgSyntax Whole() {
    return ArgSyntax{
        .inline_values = false, .double_dash_ends_options = false, .dash_is_positional = false};
  }
};

class ArgCursor {
 public:
  explicit ArgCursor(const std::vector<std::string>& args, ArgSyntax syntax = {})
      : args_(args), syntax_(std::move(syntax)) {}

  // Moves to the next argument; false when none is left.
  bool Next();
  // The current option ("--format" of "--format=dot"); empty for a positional argument.
  const std::string& option() const { return option_; }
  // The current positional argument.
  const std::string& positional() const { return positional_; }
  // The current argument as given ("--format=dot").
  const std::string& arg() const { return args_[current_]; }
  bool IsPositional() const { return option_.empty(); }
  bool Is(std::string_view name) const { return option_ == name; }
  // The current option's value: after '=', or the next argument. Without one, the error says
  // "option '--output' needs <what>".
  core::Result<std::string> Value(std::string_view what = "a value");
  // The value of an option whose value may be left out: after '=', else the next argument when
  // `is_value` takes it for the value (it is consumed); nullopt otherwise.
  std::optional<std::string> OptionalValue(const std::function<bool(const std::string&)>& is_value);
  // A switch given a value ("--yes=1") is an error.
  core::Result<void> NoValue() const;
  // The error for an unknown current option, with a "did you mean" among `known`.
  core::Error Unknown(const std::vector<std::string>& known = {}) const;
  // The arguments not read yet, as given; the cursor is then at the end.
  std::vector<std::string> Rest();

 private:
  const std::vector<std::string>& args_;
  ArgSyntax syntax_;
  std::size_t next_ = 0;
  std::size_t current_ = 0;
  bool rest_positional_ = false;
  std::string option_;
  std::string positional_;
  bool has_inline_ = false;
  std::string inline_value_;
};

// Whether a usage error's first line names the command ("flowtest graph: error: ...") or the
// program only ("flowtest: error: ...", as run, validate, import and export print it).
enum class UsageLabel { kCommand, kProgram };

// "flowtest <command>: error: <message>", its hint, and where the options are listed.
void PrintUsageError(std::ostream& err, std::string_view command, const core::Error& error,
                     UsageLabel label = UsageLabel::kCommand);
// "flowtest <command>: error: <message>", its hint, then the command's whole usage text.
void PrintUsageErrorWithUsage(std::ostream& err, std::string_view command, const core::Error& error,
                              std::string_view usage);

}  // namespace flow::cli
