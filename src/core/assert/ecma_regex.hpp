// EcmaRegex: an ECMAScript regular expression (what the original engine's `regex`/`pattern`
// assertions use: `new RegExp(text)`, no flags, unanchored search) run by PCRE2.
//
// The pattern is translated to PCRE2 syntax where the two differ (identity escapes like `\i`,
// `\v`, a `-` beside a class escape such as `[\w-.]`, a `[` inside a class), then compiled with
// PCRE2_UTF, PCRE2_DOLLAR_ENDONLY, PCRE2_ALT_BSUX and PCRE2_ALLOW_EMPTY_CLASS. Matching has match,
// depth and heap limits, so a catastrophic pattern ends with an error instead of hanging.
//
// Immutable after Compile and cheap to copy (shared compiled code); Search may be called from
// several threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

struct pcre2_real_code_8;

namespace flow::core {

class EcmaRegex {
 public:
  static constexpr unsigned kMatchLimit = 1'000'000;
  static constexpr unsigned kDepthLimit = 10'000;
  static constexpr unsigned kHeapLimitKib = 32 * 1024;

  // An invalid pattern is kInvalidArgument (reason "invalid-regex") with PCRE2's message and the
  // offset in `pattern` (0-based, as PCRE2 reports it).
  static Result<EcmaRegex> Compile(std::string_view pattern);

  // Whether the pattern matches somewhere in `subject`. Exceeding a limit is kInvalidArgument
  // with reason "regex-limit" and the message "regex exceeded its match limit".
  Result<bool> Search(std::string_view subject) const;

  const std::string& pattern() const { return pattern_; }

 private:
  EcmaRegex(std::shared_ptr<pcre2_real_code_8> code, std::string pattern);
  std::shared_ptr<pcre2_real_code_8> code_;
  std::string pattern_;
};

// The PCRE2 text for an ECMAScript pattern (exposed for tests). `origin`, when given, receives
// for every byte of the result the offset of the pattern byte it came from.
std::string TranslateEcmaPattern(std::string_view pattern,
                                 std::vector<std::size_t>* origin = nullptr);

}  // namespace flow::core
