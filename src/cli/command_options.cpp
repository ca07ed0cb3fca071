#include "cli/command_options.hpp"

#include "core/util/strings.hpp"

namespace flow::cli {

OptionArg SplitOption(const std::string& arg) {
  const std::size_t eq = arg.find('=');
  if (!core::StartsWith(arg, "--") || eq == std::string::npos) return OptionArg{.name = arg};
  return OptionArg{.name = arg.substr(0, eq), .inline_value = arg.substr(eq + 1)};
}

std::optional<std::string> TakeOptionValue(const OptionArg& option,
                                           const std::vector<std::string>& args, std::size_t& i) {
  if (option.inline_value) return option.inline_value;
  if (i + 1 >= args.size()) return std::nullopt;
  return args[++i];
}

}  // namespace flow::cli
