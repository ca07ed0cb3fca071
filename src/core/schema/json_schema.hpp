// The JSON Schema (draft-07) of the suite format or of the config file, generated from the
// registry (registry.hpp), for editors: completion, hover descriptions, enums, and errors for
// unknown keys and wrong types where the validator rejects them. Keys that are accepted without
// effect stay valid, marked `deprecated` with a note. Pure; the result is the same every time.
#pragma once

#include <string_view>

#include "core/schema/registry.hpp"
#include "core/value.hpp"

namespace flow::core::schema {

// `root` is "suite" (a suite file) or "config" (flow-test.config.yml).
Value GenerateJsonSchema(const Registry& registry, std::string_view root);

// The JSON Schema of one value form, with references as "#/definitions/<object id>"; exposed
// for tests.
Value TypeSchema(const Type& type);
Value AlternativesSchema(const std::vector<Type>& types);

// An ECMAScript pattern matching exactly one of `values` in any letter case.
std::string CaseInsensitivePattern(const std::vector<std::string>& values);

}  // namespace flow::core::schema
