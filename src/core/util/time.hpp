// Calendar formatting of unix timestamps. Pure.
#pragma once

#include <cstdint>
#include <string>

namespace flow::core {

// "2026-12-04T14:22:56.123Z"
std::string FormatIsoUtc(std::int64_t unix_ms);
// "2026-12-04_14-22-56" (report file names)
std::string FormatFileStamp(std::int64_t unix_ms);

}  // namespace flow::core
