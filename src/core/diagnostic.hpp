// Compiler-style rendering of an Error for terminals and editors:
//
//   suites/login.yaml:12:5: error: unknown key 'expct'
//      12 |     expct:
//         |     ^^^^^
//      hint: did you mean 'expect'?
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace flow::core {

// `source` is the text of the file the error points into (may be empty: then no excerpt).
// `severity` is "error" or "warning".
std::string FormatDiagnostic(const Error& error, std::string_view source,
                             std::string_view severity = "error");

}  // namespace flow::core
