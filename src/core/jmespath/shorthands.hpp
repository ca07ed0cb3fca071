// Rewrites of JavaScript-flavoured paths that suites written for the original engine use, into
// the JMESPath they mean.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flow::core::jmespath {

// `a['b-c']` (JavaScript's bracket access after a name, `]` or `"`) -> `a."b-c"`. nullopt when
// the text has no such access.
std::optional<std::string> QuoteBracketKeys(std::string_view text);

}  // namespace flow::core::jmespath
