// ArgCursor: reads a command's arguments one at a time: options with a value ("--format dot",
// "--format=dot", "-o file"), switches ("--yes") and positional arguments; "--" makes the rest
// positional. Pure; for the commands with a handful of options (init, graph).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"

namespace flow::cli {

class ArgCursor {
 public:
  explicit ArgCursor(const std::vector<std::string>& args) : args_(args) {}

  // Moves to the next argument; false when none is left.
  bool Next();
  // The current option ("--format" of "--format=dot"); empty for a positional argument.
  const std::string& option() const { return option_; }
  // The current positional argument.
  const std::string& positional() const { return positional_; }
  bool Is(std::string_view name) const { return option_ == name; }
  // The current option's value: after '=', or the next argument.
  core::Result<std::string> Value();
  // A switch given a value ("--yes=1") is an error.
  core::Result<void> NoValue() const;
  // The error for an unknown current option, with a "did you mean" among `known`.
  core::Error Unknown(const std::vector<std::string>& known) const;

 private:
  const std::vector<std::string>& args_;
  std::size_t next_ = 0;
  bool rest_positional_ = false;
  std::string option_;
  std::string positional_;
  bool has_inline_ = false;
  std::string inline_value_;
};

// "flowtest <command>: error: <message>", its hint, and where the options are listed.
void PrintUsageError(std::ostream& err, std::string_view command, const core::Error& error);

}  // namespace flow::cli
