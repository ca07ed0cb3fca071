#include "cli/arg_cursor.hpp"

#include <ostream>

#include "core/util/strings.hpp"

namespace flow::cli {

bool ArgCursor::Next() {
  option_.clear();
  positional_.clear();
  has_inline_ = false;
  inline_value_.clear();
  while (next_ < args_.size()) {
    const std::string& arg = args_[next_++];
    if (!rest_positional_ && arg == "--") {
      rest_positional_ = true;
      continue;
    }
    if (rest_positional_ || arg.size() < 2 || arg[0] != '-') {
      positional_ = arg;
      return true;
    }
    option_ = arg;
    if (core::StartsWith(arg, "--")) {
      if (const std::size_t eq = arg.find('='); eq != std::string::npos) {
        option_ = arg.substr(0, eq);
        inline_value_ = arg.substr(eq + 1);
        has_inline_ = true;
      }
    }
    return true;
  }
  return false;
}

core::Result<std::string> ArgCursor::Value() {
  if (has_inline_) return inline_value_;
  if (next_ >= args_.size()) return core::InvalidArgument("option '" + option_ + "' needs a value");
  return args_[next_++];
}

core::Result<void> ArgCursor::NoValue() const {
  if (has_inline_) return core::InvalidArgument("option '" + option_ + "' takes no value");
  return core::Ok();
}

core::Error ArgCursor::Unknown(const std::vector<std::string>& known) const {
  return core::InvalidArgument("unknown option '" + option_ + "'",
                               core::DidYouMean(option_, known));
}

void PrintUsageError(std::ostream& err, std::string_view command, const core::Error& error) {
  err << "flowtest " << command << ": error: " << error.message << "\n";
  if (!error.hint.empty()) err << "  hint: " << error.hint << "\n";
  err << "run 'flowtest " << command << " --help' for the options\n";
}

}  // namespace flow::cli
