// Small pieces of option parsing shared by the import, export and conversion-flag parsers:
// "--name=value" splitting and reading an option's value. Pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace flow::cli {

struct OptionArg {
  std::string name;                         // "--output", "-o", or a positional argument
  std::optional<std::string> inline_value;  // the part after '=' of "--output=dir"
};

// Splits "--name=value"; anything else (short options, positional arguments) is kept whole.
OptionArg SplitOption(const std::string& arg);

// The value of `option`: its inline value, else the argument after position `i` (and `i`
// moves past it); nullopt when there is none.
std::optional<std::string> TakeOptionValue(const OptionArg& option,
                                           const std::vector<std::string>& args, std::size_t& i);

}  // namespace flow::cli
