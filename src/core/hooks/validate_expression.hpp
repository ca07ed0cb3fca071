// The expressions of hook `validate` entries. The original engine runs them as JavaScript with the
// variables as identifiers; flowtest evaluates them as JMESPath after a few rewrites that give the
// common JavaScript forms their JavaScript meaning, and runs the ones that are still not JMESPath
// as JavaScript (hook_plan.hpp). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/value.hpp"

namespace flow::core {

// The JMESPath text for a validate expression. Outside quoted text:
//   - `path.length` (a variable path ending in `.length`) -> `length(path)`;
//   - a bare number, true, false or null after a comparison operator -> a JMESPath literal
//     (SkipConditionToJmesPath: `response_time < 2000` -> ``response_time < `2000` ``);
//   - a double-quoted string after a comparison operator -> a raw string
//     (`name == "ann"` -> `name == 'ann'`), since in JavaScript it is a string, not a field.
// Quoted text ('raw', "field", `literal`) is copied as it is. Everything else is unchanged, so
// `username && password`, `!token`, `a.b || c` mean what they mean in both languages.
std::string ValidateExpressionToJmesPath(std::string_view expression);

// JMESPath truthiness: null, false, "", [] and {} are false; everything else (0 too) is true.
bool IsHookTruthy(const Value& value);

}  // namespace flow::core
