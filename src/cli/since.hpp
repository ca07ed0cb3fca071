// The start of a time window on the command line ("--since 7d", "--since 2026-12-01"). Pure.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace flow::cli {

// An age (ParseAge: "7d" is that long before `now_ms`) or a UTC date or time ("2026-12-01",
// "2026-12-01T08:30", "2026-12-01T08:30:15Z"), in unix milliseconds; kInvalidArgument naming
// `option` otherwise.
core::Result<std::int64_t> ParseSince(std::string_view text, std::int64_t now_ms,
                                      std::string_view option);

}  // namespace flow::cli
