// Ages on the command line ("--older-than 30d"): a whole number and a unit, s (seconds),
// m (minutes), h (hours), d (days) or w (weeks). Pure.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace flow::cli {

// The age in milliseconds; kInvalidArgument (naming `option`) for anything else, for 0, and for
// more than 100 years.
core::Result<std::int64_t> ParseAge(std::string_view text, std::string_view option);

}  // namespace flow::cli
