// How the keys of a `body` assertion map become JMESPath text, and the structural walk that lets
// `exists` see a member that is present with a null value. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/value.hpp"

namespace flow::core::assertion {

// One key of a body map as JMESPath (the original engine's rule, made total): a key made only of
// [A-Za-z0-9_.] is a dotted path (`json.user.name`; a segment of digits is an index,
// `items.0` -> `items[0]`; a segment starting with a digit is a quoted name, `1x` -> `"1x"`), and
// so is a key containing `[<digit>`,
// `[*`, `[?`, `@.` or `]` (`items[0].id`, ``data[?id==`1`]``); any other key is quoted as one
// identifier (`user-agent` -> `"user-agent"`).
std::string KeyToPathSegment(std::string_view key);

// `prefix.segment`, or `prefix[0]` when the segment starts with '[', or `segment` alone.
std::string JoinPath(std::string_view prefix, std::string_view segment);

// A path made only of identifiers (plain or quoted) and integer indices, e.g.
// `json.items[0]."user-agent"`; nullopt for anything else (filters, functions, projections).
using PathStep = std::variant<std::string, std::int64_t>;
std::optional<std::vector<PathStep>> ParseSimplePath(std::string_view path);

// Whether `steps` lead to a member of `data` that is present, even when its value is null.
bool IsPresent(const Value& data, const std::vector<PathStep>& steps);

}  // namespace flow::core::assertion
