// The original engine's conversion flags on `flowtest run` and the `fest` form, mapped onto the
// import and export commands:
//   --swagger-import SPEC [--swagger-output DIR]              -> import openapi SPEC --output DIR
//   --postman-import FILE [--postman-import-output DIR]
//       [--postman-preserve-folders] [--postman-analyze-deps] -> import postman FILE --output DIR
//                                                                 (--single-suite without
//                                                                 --postman-preserve-folders)
//   --postman-export PATH [--postman-output|--postman-export-output FILE|DIR]
//                                                             -> export postman PATH --output FILE
// --postman-export-from-results is refused (flowtest exports suites, not reports).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace flow::cli {

// nullopt when `args` hold none of these flags (an ordinary run); else the exit code of the
// conversion (2 for flags that cannot be combined).
std::optional<int> RunLegacyConversion(const std::vector<std::string>& args, std::ostream& out,
                                       std::ostream& err);

}  // namespace flow::cli
