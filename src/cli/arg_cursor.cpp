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
    current_ = next_++;
    const std::string& arg = args_[current_];
    if (!rest_positional_ && syntax_.double_dash_ends_options && arg == "--") {
      rest_positional_ = true;
      continue;
    }
    const bool lone_dash = arg == "-" && syntax_.dash_is_positional;
    if (rest_positional_ || arg.empty() || arg[0] != '-' || lone_dash) {
      positional_ = arg;
      return true;
    }
    option_ = arg;
    if (syntax_.inline_values && core::StartsWith(arg, "--")) {
      if (const std::size_t eq = arg.find('='); eq != std::string::npos) {
        option_ = arg.substr(0, eq);
        inline_value_ = arg.substr(eq + 1);
        has_inline_ = true;
      }
    }
    for (const auto& [name, canonical] : syntax_.aliases) {
      if (option_ == name) option_ = canonical;
    }
    return true;
  }
  return false;
}

core::Result<std::string> ArgCursor::Value(std::string_view what) {
  if (has_inline_) return inline_value_;
  if (next_ >= args_.size()) {
    return core::InvalidArgument("option '" + option_ + "' needs " + std::string(what));
  }
  return args_[next_++];
}

std::optional<std::string> ArgCursor::OptionalValue(
    const std::function<bool(const std::string&)>& is_value) {
  if (has_inline_) return inline_value_;
  if (next_ < args_.size() && is_value(args_[next_])) return args_[next_++];
  return std::nullopt;
}

core::Result<void> ArgCursor::NoValue() const {
  if (has_inline_) return core::InvalidArgument("option '" + option_ + "' takes no value");
  return core::Ok();
}

core::Error ArgCursor::Unknown(const std::vector<std::string>& known) const {
  return core::InvalidArgument("unknown option '" + option_ + "'",
                               core::DidYouMean(option_, known));
}

std::vector<std::string> ArgCursor::Rest() {
  std::vector<std::string> rest(args_.begin() + static_cast<std::ptrdiff_t>(next_), args_.end());
  next_ = args_.size();
  return rest;
}

namespace {

void PrintErrorAndHint(std::ostream& err, std::string_view label, const core::Error& error) {
  err << label << ": error: " << error.message << "\n";
  if (!error.hint.empty()) err << "  hint: " << error.hint << "\n";
}

}  // namespace

void PrintUsageError(std::ostream& err, std::string_view command, const core::Error& error,
                     UsageLabel label) {
  PrintErrorAndHint(
      err, label == UsageLabel::kCommand ? "flowtest " + std::string(command) : "flowtest", error);
  err << "run 'flowtest " << command << " --help' for the options\n";
}

void PrintUsageErrorWithUsage(std::ostream& err, std::string_view command, const core::Error& error,
                              std::string_view usage) {
  PrintErrorAndHint(err, "flowtest " + std::string(command), error);
  err << usage;
}

}  // namespace flow::cli
