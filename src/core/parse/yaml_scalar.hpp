// Typing of YAML scalars as js-yaml 4 does by default (YAML 1.2 core schema), which the original
// engine used: what `42`, `0x1F`, `true`, `yes`, `~` and `.inf` become. Pure functions.
//
// Values JSON cannot hold are stored as strings: `.inf`, `-.inf` and `.nan` (in any spelling YAML
// allows, and floats too large for a double) become the strings ".inf", "-.inf" and ".nan".
// Timestamps are not typed: `2024-01-01` stays the string as written.
#pragma once

#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

// A plain (unquoted, untagged) scalar: null, bool, int, float, or else the string itself.
Value ResolvePlainScalar(std::string_view text);

// A scalar with an explicit tag as yaml-cpp reports it ("tag:yaml.org,2002:int", "!" for quoted
// and block scalars, "!foo" for local tags). A text the tag does not accept, or a tag we do not
// know, is an error without location (the caller adds it).
Result<Value> ResolveTaggedScalar(std::string_view tag, std::string_view text);

// "!!int" for "tag:yaml.org,2002:int", other tags as they are.
std::string DisplayTag(std::string_view tag);

// The parts of the schema, exposed for tests and for the loader's key handling.
bool IsYamlNull(std::string_view text);
std::optional<bool> ParseYamlBool(std::string_view text);
std::optional<Value> ParseYamlInt(std::string_view text);
std::optional<Value> ParseYamlFloat(std::string_view text);

// An unsigned decimal numeral ("12.5e3") as a double, like JavaScript's parseFloat: too large is
// infinity, too small is zero, unreadable is NaN. Shared with the JSON loader.
double DecimalToDouble(std::string_view digits);

// A double that JSON can hold as it is, or the string ".inf", "-.inf" or ".nan".
Value FloatValue(double value);

}  // namespace flow::core
